/*
 * Explicit BGPPeer expansion (CALICO.md 2.5) and per-peering rendering
 * (2.6, 2.7) for one local node.
 *
 * Calico computes keys for every node and renders those of the local
 * one; here only the keys that can reach the local node are made: global
 * keys and keys of this node.  Duplicates are resolved as tortie decision
 * 2 says: global BGPPeers first, then the others, each group in name
 * order, then the automatic reverse peerings in name order; the first
 * writer of a key wins.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_int.h"
#include "util.h"

static int	 plan_entry_cmp(const struct plan_entry *,
		    const struct plan_entry *);

/*
 * libbsd leaves __unused undefined (Linux headers use the name), yet its
 * RB_GENERATE_STATIC needs it for the functions this file does not call.
 */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
RB_GENERATE_STATIC(plan_entry_tree, plan_entry, link, plan_entry_cmp)

static int
plan_entry_cmp(const struct plan_entry *a, const struct plan_entry *b)
{
	int	 c;

	if ((c = addr_cmp(&a->ip, &b->ip)) != 0)
		return c;
	if (a->portkey != b->portkey)
		return a->portkey < b->portkey ? -1 : 1;
	return 0;
}

static const char *
bp_name(const struct res_bgppeer *bp)
{
	return bp->meta.name ? bp->meta.name : "";
}

/* An unparsable selector matches nothing (CALICO.md 3.3). */
static int
plan_sel_match(const struct res_selector *rsel,
    const struct plan_nodeinfo *n)
{
	return rsel->sel != NULL && sel_match(rsel->sel, &n->labels);
}

/* Is n one of the nodes that get this BGPPeer's peerings? */
static int
bp_local_node(const struct res_bgppeer *bp, const struct plan_nodeinfo *n)
{
	if (bp->spec.node != NULL)
		return strcmp(bp->spec.node, n->name) == 0;
	if (bp->spec.node_selector.text != NULL)
		return plan_sel_match(&bp->spec.node_selector, n);
	return 1;
}

/* The first node, in address then name order, with this address. */
static const struct plan_addrent *
plan_addr_first(struct plan_ctx *ctx, const struct bgpd_addr *a)
{
	size_t	 lo = 0, hi = ctx->nbyaddr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(&ctx->byaddr[mid].addr, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->nbyaddr && addr_cmp(&ctx->byaddr[lo].addr, a) == 0)
		return &ctx->byaddr[lo];
	return NULL;
}

/*
 * Emission of a key.  A key of a family the local node has no address
 * in is never rendered, and one that points at the local node is skipped
 * ("Skipping ourselves"), so neither is kept.
 */
static void
plan_emit(struct plan_ctx *ctx, const struct plan_entry *tmpl)
{
	const struct plan_nodeinfo	*self = ctx->self;
	struct plan_entry		*e;
	int				 fam = PLAN_FAM(tmpl->ip.af);

	if (self->ip[fam].af == 0 ||
	    addr_cmp(&tmpl->ip, &self->ip[fam]) == 0)
		return;
	e = xmalloc(sizeof(*e));
	*e = *tmpl;
	e->portkey = e->port == RES_DEFAULT_PORT ? 0 : e->port;
	if (RB_INSERT(plan_entry_tree, &ctx->entries, e) != NULL)
		free(e);
}

static void
plan_entry_init(struct plan_entry *e, const struct res_bgppeer *bp,
    int global)
{
	memset(e, 0, sizeof(*e));
	e->bp = bp;
	e->global = global;
	e->peer_node = SIZE_MAX;
}

/* peerSelector: the selected Calico nodes, each family they have. */
static void
plan_forward_selector(struct plan_ctx *ctx, const struct res_bgppeer *bp,
    int global)
{
	const struct plan_nodeinfo	*n;
	struct plan_entry		 e;
	size_t				 i;
	int				 fam;

	for (i = 0; i < ctx->nnodes; i++) {
		n = &ctx->nodes[i];
		if (!plan_sel_match(&bp->spec.peer_selector, n))
			continue;
		for (fam = 0; fam < 2; fam++) {
			if (n->ip[fam].af == 0)
				continue;
			plan_entry_init(&e, bp, global);
			e.ip = n->ip[fam];
			e.port = n->port;
			e.peer_as = n->asn;
			e.peer_cluster_id = n->cluster_id;
			e.peer_node = i;
			plan_emit(ctx, &e);
		}
	}
}

/*
 * peerIP without a port: if the address and AS are those of a Calico
 * node, that node's listen port applies.
 */
static uint16_t
plan_fill_port(struct plan_ctx *ctx, const struct bgpd_addr *ip,
    uint32_t asn)
{
	const struct plan_addrent	*first, *e;
	const struct plan_nodeinfo	*n;

	if (asn == 0)
		asn = ctx->global_as;
	if ((first = plan_addr_first(ctx, ip)) == NULL)
		return 0;
	for (e = first; e < ctx->byaddr + ctx->nbyaddr &&
	    addr_cmp(&e->addr, ip) == 0; e++) {
		n = &ctx->nodes[e->node];
		if (n->asn == asn)
			return n->port;
	}
	return 0;
}

static void
plan_forward_ip(struct plan_ctx *ctx, const struct res_bgppeer *bp,
    int global)
{
	const struct res_ip_port	*pip = &bp->spec.peer_ip;
	const struct plan_addrent	*first;
	struct plan_entry		 e;

	plan_entry_init(&e, bp, global);
	e.ip = pip->addr;
	e.peer_as = bp->spec.as_number;
	e.forward_ip = 1;
	e.port = pip->port;
	if (e.port == 0)
		e.port = plan_fill_port(ctx, &pip->addr, bp->spec.as_number);
	if ((first = plan_addr_first(ctx, &pip->addr)) != NULL) {
		e.calico_node = 1;
		e.peer_node = first->node;
	}
	plan_emit(ctx, &e);
}

static void
plan_forward(struct plan_ctx *ctx, const struct res_bgppeer *bp,
    int global)
{
	if (bp->spec.local_workload_selector.text != NULL) {
		plan_warn(ctx, "BGPPeer %s: localWorkloadSelector is not "
		    "supported yet: ignored", bp_name(bp));
		return;
	}
	if (bp->spec.peer_selector.text != NULL)
		plan_forward_selector(ctx, bp, global);
	else if (bp->spec.peer_ip.addr.af != 0)
		plan_forward_ip(ctx, bp, global);
}

/*
 * Which families of the local node are "reverse local nodes" of bp
 * (CALICO.md 2.5 pass 2): a bit per family, 0 if none.
 */
static int
plan_reverse_fams(struct plan_ctx *ctx, const struct res_bgppeer *bp)
{
	const struct plan_nodeinfo	*self = ctx->self;
	const struct res_ip_port	*pip = &bp->spec.peer_ip;
	uint32_t			 asn;
	uint16_t			 P = pip->port;
	int				 fam;

	if (bp->spec.peer_selector.text != NULL)
		return plan_sel_match(&bp->spec.peer_selector, self) ? 3 : 0;
	if (pip->addr.af == 0)
		return 0;
	fam = PLAN_FAM(pip->addr.af);
	asn = bp->spec.as_number ? bp->spec.as_number : ctx->global_as;
	if (addr_cmp(&self->ip[fam], &pip->addr) != 0 || self->asn != asn)
		return 0;
	/*
	 * Calico's nodesWithIPPortAndAS: a configured global port that
	 * differs excludes the node even when its own port matches.
	 */
	if (P != 0 && ((self->node_port != 0 && self->node_port != P) ||
	    (ctx->global_port != 0 && ctx->global_port != P)))
		return 0;
	return 1 << fam;
}

static void
plan_reverse(struct plan_ctx *ctx, const struct res_bgppeer *bp)
{
	const struct plan_nodeinfo	*n;
	struct plan_entry		 e;
	size_t				 i;
	int				 fams, fam;

	if (bp->spec.reverse_peering == RES_REV_MANUAL ||
	    bp->spec.local_workload_selector.text != NULL)
		return;
	if ((fams = plan_reverse_fams(ctx, bp)) == 0)
		return;
	for (i = 0; i < ctx->nnodes; i++) {
		n = &ctx->nodes[i];
		if (!bp_local_node(bp, n))
			continue;
		for (fam = 0; fam < 2; fam++) {
			if (!(fams & (1 << fam)) || n->ip[fam].af == 0)
				continue;
			plan_entry_init(&e, bp, 0);
			e.ip = n->ip[fam];
			e.port = n->port;
			e.peer_as = n->asn;
			e.peer_cluster_id = n->cluster_id;
			e.peer_node = i;
			e.reverse = 1;
			plan_emit(ctx, &e);
		}
	}
}

static enum plan_nexthop
plan_nexthop(const struct res_bgppeer *bp, int same_as)
{
	switch (bp->spec.next_hop_mode) {
	case RES_NH_SELF:
		return PLAN_NH_SELF;
	case RES_NH_KEEP:
		return PLAN_NH_KEEP;
	case RES_NH_AUTO:
		return PLAN_NH_AUTO;
	case RES_NH_UNSET:
		break;
	}
	/* The deprecated flag keeps the next hop toward eBGP peers only. */
	if (bp->spec.keep_original_next_hop && !same_as)
		return PLAN_NH_KEEP;
	return PLAN_NH_AUTO;
}

static void
plan_render_times(const struct res_bgppeer *bp, struct plan_session *s)
{
	if (bp->spec.has_max_restart_time) {
		s->has_restart_time = 1;
		s->restart_time = plan_duration_secs(bp->spec.max_restart_time);
		s->restart_source = PLAN_RT_PEER;
	}
	if (bp->spec.has_keepalive_time) {
		s->has_keepalive_time = 1;
		s->keepalive_time = plan_duration_secs(bp->spec.keepalive_time);
	}
}

/* Route reflection (CALICO.md 2.6 item 10). */
static void
plan_render_rr(struct plan_ctx *ctx, const struct plan_entry *e,
    struct plan_session *s)
{
	const struct bgpd_addr	*ours = &ctx->self->cluster_id;

	if (ours->af == 0 || !s->same_as)
		return;
	if (e->peer_cluster_id.af != 0 &&
	    addr_cmp(&e->peer_cluster_id, ours) == 0)
		return;
	s->rr_client = 1;
	s->cluster_id = *ours;
}

static void
plan_render_extras(struct plan_ctx *ctx, const struct plan_entry *e,
    struct plan_session *s)
{
	const struct res_bgppeer	*bp = e->bp;
	const struct plan_addrent	*a;

	s->peer_cluster_id = e->peer_cluster_id;
	s->reverse = e->reverse;
	if (e->peer_node != SIZE_MAX)
		strlcpy(s->peer_node, ctx->nodes[e->peer_node].name,
		    sizeof(s->peer_node));
	if ((a = plan_addr_first(ctx, &e->ip)) != NULL) {
		s->calico_node = 1;
		if (s->peer_node[0] == '\0')
			strlcpy(s->peer_node, ctx->nodes[a->node].name,
			    sizeof(s->peer_node));
	}
	if (bp->spec.reachable_by.af == e->ip.af)
		s->reachable_by = bp->spec.reachable_by;
	else if (bp->spec.reachable_by.af != 0)
		plan_warn(ctx, "BGPPeer %s: reachableBy is not of the family "
		    "of %s: ignored", bp_name(bp), s->name);
	s->failure_detection = bp->spec.failure_detection_mode;
	s->restart_mode = bp->spec.restart_mode;
	if (s->failure_detection != RES_FD_UNSET)
		plan_warn(ctx, "BGPPeer %s: failureDetectionMode is not "
		    "supported yet", bp_name(bp));
	if (s->restart_mode != RES_RM_UNSET)
		plan_warn(ctx, "BGPPeer %s: restartMode is not supported yet",
		    bp_name(bp));
}

/*
 * A prefix limit per BGPPeer, default off.  Calico has no field for it:
 * tortie reads the annotation tortie.io/max-prefix (a positive count);
 * more prefixes than that from one session close it with Cease/1.
 */
static void
plan_render_max_prefix(struct plan_ctx *ctx, const struct res_bgppeer *bp,
    struct plan_session *s)
{
	const struct res_meta	*m = &bp->meta;
	const char		*v = NULL, *errstr;
	size_t			 i;
	long long		 n;

	for (i = 0; i < m->nannotations; i++)
		if (strcmp(m->annotations[i].key, PLAN_MAX_PREFIX_KEY) == 0)
			v = m->annotations[i].value;
	if (v == NULL)
		return;
	n = strtonum(v, 1, UINT32_MAX, &errstr);
	if (errstr != NULL) {
		plan_warn(ctx, "BGPPeer %s: annotation %s \"%s\" is %s: no "
		    "prefix limit", bp_name(bp), PLAN_MAX_PREFIX_KEY, v,
		    errstr);
		return;
	}
	s->max_prefix = (uint32_t)n;
}

static int
plan_render(struct plan_ctx *ctx, const struct plan_entry *e)
{
	const struct res_bgppeer	*bp = e->bp;
	const struct plan_nodeinfo	*self = ctx->self;
	struct plan_session		*s;
	int				 fam = PLAN_FAM(e->ip.af);

	s = plan_session_add(ctx);
	s->type = e->global ? PLAN_GLOBAL : PLAN_NODE;
	plan_session_name(s->name, sizeof(s->name), s->type, &e->ip, e->port);
	strlcpy(s->group, bp_name(bp), sizeof(s->group));
	strlcpy(s->bgppeer, bp_name(bp), sizeof(s->bgppeer));
	s->peer_ip = e->ip;
	s->port = e->port ? e->port : RES_DEFAULT_PORT;
	s->peer_as = e->peer_as;
	s->local_as = self->asn;
	if (e->forward_ip && bp->spec.has_local_as_number) {
		s->local_as = bp->spec.local_as_number;
		s->local_as_override = 1;
	}
	s->same_as = s->peer_as == s->local_as;
	if (e->forward_ip && e->peer_as == 0)
		plan_warn(ctx, "BGPPeer %s: peerIP without asNumber: %s has "
		    "peer AS 0", bp_name(bp), s->name);
	if (bp->spec.source_address != RES_SRC_NONE)
		s->source_addr = self->ip[fam];
	if (bp->spec.has_ttl_security)
		s->ttl_security = bp->spec.ttl_security;
	/* Node-specific peerings are never made passive (2.6 item 7). */
	s->passive = e->global && e->calico_node &&
	    plan_addr_strcmp(&e->ip, &self->ip[fam]) > 0;
	plan_render_times(bp, s);
	plan_render_rr(ctx, e, s);
	plan_session_password(ctx, bp->spec.has_password ?
	    &bp->spec.password : NULL, s);
	s->next_hop = plan_nexthop(bp, s->same_as);
	if (e->forward_ip && bp->spec.has_num_allowed_local_as_numbers &&
	    bp->spec.num_allowed_local_as_numbers > 0)
		s->allow_local_as = bp->spec.num_allowed_local_as_numbers;
	plan_render_extras(ctx, e, s);
	plan_render_max_prefix(ctx, bp, s);
	return plan_session_filters(ctx, bp, s);
}

int
plan_peers(struct plan_ctx *ctx)
{
	const struct res_bgppeer	*bp;
	struct plan_entry		*e;
	size_t				 i;
	int				 pass;

	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < ctx->npeers; i++) {
			bp = ctx->peers[i];
			if (res_bgppeer_is_global(bp) != pass)
				continue;
			if (!pass && !bp_local_node(bp, ctx->self))
				continue;
			plan_forward(ctx, bp, pass);
		}
	}
	for (i = 0; i < ctx->npeers; i++)
		plan_reverse(ctx, ctx->peers[i]);
	RB_FOREACH(e, plan_entry_tree, &ctx->entries)
		if (plan_render(ctx, e) == -1)
			return -1;
	return 0;
}

void
plan_entries_free(struct plan_ctx *ctx)
{
	struct plan_entry	*e, *next;

	RB_FOREACH_SAFE(e, plan_entry_tree, &ctx->entries, next) {
		RB_REMOVE(plan_entry_tree, &ctx->entries, e);
		free(e);
	}
}
