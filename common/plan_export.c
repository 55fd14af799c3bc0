/*
 * What the local node originates and the data ribd needs to export
 * (CALICO.md 2.8): confirmed local blocks, IP pools, service ranges,
 * communities per prefix, and the BGPFilters that sessions name (2.9),
 * copied so that the plan outlives the resources.
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

#define PLAN_EXCLUDE_LB_LABEL \
	"node.kubernetes.io/exclude-from-external-load-balancers"

static int
plan_maxlen(int af)
{
	return af == AF_INET6 ? 128 : 32;
}

void
plan_prefix_set(struct plan_prefix *pfx, const struct bgpd_addr *a,
    int plen)
{
	/* Field by field, so that padding stays zero for plan_diff. */
	memset(pfx, 0, sizeof(*pfx));
	pfx->addr.af = a->af;
	memcpy(pfx->addr.bytes, a->bytes, a->af == AF_INET6 ? 16 : 4);
	pfx->plen = plen;
	addr_mask(&pfx->addr, plen);
}

/* IPv4 before IPv6, then address, then length. */
int
plan_prefix_cmp(const struct plan_prefix *a, const struct plan_prefix *b)
{
	int	 c;

	if ((c = addr_cmp(&a->addr, &b->addr)) != 0)
		return c;
	return a->plen < b->plen ? -1 : a->plen > b->plen;
}

void
plan_prefix_fmt(const struct plan_prefix *pfx, char *buf, size_t len)
{
	char	 a[ADDRSTRLEN];

	snprintf(buf, len, "%s/%d", addr_ntop(&pfx->addr, a, sizeof(a)),
	    pfx->plen);
}

static int
plan_prefix_qcmp(const void *a, const void *b)
{
	return plan_prefix_cmp(a, b);
}

/* Sort and drop duplicates. */
static size_t
plan_prefix_uniq(struct plan_prefix *v, size_t n)
{
	size_t	 i, o;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), plan_prefix_qcmp);
	for (i = o = 1; i < n; i++)
		if (plan_prefix_cmp(&v[o - 1], &v[i]) != 0)
			v[o++] = v[i];
	return o;
}

static int
plan_cidr_ok(const struct res_cidr *c)
{
	return (c->addr.af == AF_INET || c->addr.af == AF_INET6) &&
	    c->plen >= 0 && c->plen <= plan_maxlen(c->addr.af);
}

/* BlockAffinities of this node: confirmed, or old data without state. */
static void
plan_blocks(struct plan_ctx *ctx)
{
	const struct res_set		*rs = ctx->rs;
	const struct res_blockaffinity_spec *ba;
	struct plan			*p = ctx->p;
	size_t				 i;

	p->blocks = xcalloc(rs->nblockaffinities + 1, sizeof(*p->blocks));
	for (i = 0; i < rs->nblockaffinities; i++) {
		ba = &rs->blockaffinities[i].spec;
		if (ba->node == NULL || strcmp(ba->node, p->node) != 0 ||
		    ba->deleted || !plan_cidr_ok(&ba->cidr))
			continue;
		if (ba->state != RES_BLOCK_UNSET &&
		    ba->state != RES_BLOCK_CONFIRMED)
			continue;
		plan_prefix_set(&p->blocks[p->nblocks++], &ba->cidr.addr,
		    ba->cidr.plen);
	}
	p->nblocks = plan_prefix_uniq(p->blocks, p->nblocks);
}

static int
plan_pool_cmp(const void *a, const void *b)
{
	const struct plan_pool	*pa = a, *pb = b;

	return plan_prefix_cmp(&pa->cidr, &pb->cidr);
}

static void
plan_pools(struct plan_ctx *ctx)
{
	const struct res_set		*rs = ctx->rs;
	const struct res_ippool_spec	*ps;
	struct plan			*p = ctx->p;
	struct plan_pool		*pp;
	size_t				 i;

	p->pools = xcalloc(rs->nippools + 1, sizeof(*p->pools));
	for (i = 0; i < rs->nippools; i++) {
		ps = &rs->ippools[i].spec;
		if (!plan_cidr_ok(&ps->cidr))
			continue;
		pp = &p->pools[p->npools++];
		plan_prefix_set(&pp->cidr, &ps->cidr.addr, ps->cidr.plen);
		pp->disable_export = ps->disable_bgp_export;
		pp->disabled = ps->disabled;
		pp->ipip = ps->ipip_mode ? ps->ipip_mode : RES_ENCAP_NEVER;
		pp->vxlan = ps->vxlan_mode ? ps->vxlan_mode : RES_ENCAP_NEVER;
		pp->block_size = res_ippool_block_size(&rs->ippools[i]);
	}
	qsort(p->pools, p->npools, sizeof(*p->pools), plan_pool_cmp);
}

static void
plan_service_add(struct plan_ctx *ctx, const struct res_cidr *c,
    enum plan_svc_kind kind, int excluded)
{
	struct plan		*p = ctx->p;
	struct plan_service	*sv;
	int			 single;

	/* Entries with an empty cidr are ignored, as Calico does. */
	if (!plan_cidr_ok(c))
		return;
	single = c->plen == plan_maxlen(c->addr.af);
	sv = &p->services[p->nservices++];
	plan_prefix_set(&sv->cidr, &c->addr, c->plen);
	sv->kind = kind;
	/* Single addresses of external and LB ranges are per Service. */
	switch (kind) {
	case PLAN_SVC_CLUSTER:
		sv->reject = 1;
		break;
	case PLAN_SVC_EXTERNAL:
		sv->reject = !single;
		break;
	case PLAN_SVC_LB:
		sv->reject = !single && p->lb_aggregation;
		break;
	}
	sv->originate = sv->reject && !excluded;
}

static int
plan_service_cmp(const void *a, const void *b)
{
	const struct plan_service	*sa = a, *sb = b;

	if (sa->kind != sb->kind)
		return sa->kind < sb->kind ? -1 : 1;
	return plan_prefix_cmp(&sa->cidr, &sb->cidr);
}

static void
plan_services(struct plan_ctx *ctx)
{
	const struct res_bgpconfig_spec	*d;
	struct plan			*p = ctx->p;
	const char			*ex;
	size_t				 i, n;
	int				 excluded;

	if (ctx->defcfg == NULL)
		return;
	d = &ctx->defcfg->spec;
	ex = sel_labels_get(&ctx->self->labels, PLAN_EXCLUDE_LB_LABEL);
	excluded = ex != NULL && strcmp(ex, "true") == 0;
	n = d->nservice_cluster_ips + d->nservice_external_ips +
	    d->nservice_load_balancer_ips;
	p->services = xcalloc(n + 1, sizeof(*p->services));
	for (i = 0; i < d->nservice_cluster_ips; i++)
		plan_service_add(ctx, &d->service_cluster_ips[i],
		    PLAN_SVC_CLUSTER, excluded);
	for (i = 0; i < d->nservice_external_ips; i++)
		plan_service_add(ctx, &d->service_external_ips[i],
		    PLAN_SVC_EXTERNAL, excluded);
	for (i = 0; i < d->nservice_load_balancer_ips; i++)
		plan_service_add(ctx, &d->service_load_balancer_ips[i],
		    PLAN_SVC_LB, excluded);
	qsort(p->services, p->nservices, sizeof(*p->services),
	    plan_service_cmp);
	if (excluded && p->nservices > 0)
		plan_warn(ctx, "node %s: labelled %s=true: service ranges "
		    "are not advertised", p->node, PLAN_EXCLUDE_LB_LABEL);
}

/* Blocks (not /32 or /128 ones) and advertised service ranges. */
static void
plan_originate(struct plan_ctx *ctx)
{
	struct plan	*p = ctx->p;
	size_t		 i;

	p->originate = xcalloc(p->nblocks + p->nservices + 1,
	    sizeof(*p->originate));
	for (i = 0; i < p->nblocks; i++)
		if (p->blocks[i].plen != plan_maxlen(p->blocks[i].addr.af))
			p->originate[p->noriginate++] = p->blocks[i];
	for (i = 0; i < p->nservices; i++)
		if (p->services[i].originate)
			p->originate[p->noriginate++] = p->services[i].cidr;
	p->noriginate = plan_prefix_uniq(p->originate, p->noriginate);
}

static int
plan_comm_cmp(const void *a, const void *b)
{
	char	 sa[40], sb[40];

	res_comm_fmt(a, sa, sizeof(sa));
	res_comm_fmt(b, sb, sizeof(sb));
	return strcmp(sa, sb);
}

/* Calico de-duplicates and sorts each list as strings. */
static void
plan_comms_uniq(struct plan_comm_prefix *cp)
{
	size_t	 i, o;

	if (cp->ncomms == 0)
		return;
	qsort(cp->comms, cp->ncomms, sizeof(cp->comms[0]), plan_comm_cmp);
	for (i = o = 1; i < cp->ncomms; i++)
		if (plan_comm_cmp(&cp->comms[o - 1], &cp->comms[i]) != 0)
			cp->comms[o++] = cp->comms[i];
	cp->ncomms = o;
}

static int
plan_comm_adv(struct plan_ctx *ctx, const struct res_bgpconfig *cfg,
    const struct res_prefix_adv *pa)
{
	struct plan		*p = ctx->p;
	struct plan_comm_prefix	*cp;
	struct res_comm		 c;
	size_t			 i;

	if (pa->ncommunities > PLAN_COMMS_MAX)
		return plan_fail(ctx, "BGPConfiguration %s: more than %d "
		    "communities for one prefix", cfg->meta.name,
		    PLAN_COMMS_MAX);
	p->comms = xreallocarray(p->comms, p->ncomms + 1, sizeof(*p->comms));
	cp = &p->comms[p->ncomms++];
	memset(cp, 0, sizeof(*cp));
	plan_prefix_set(&cp->cidr, &pa->cidr.addr, pa->cidr.plen);
	for (i = 0; i < pa->ncommunities; i++) {
		if (pa->communities[i] == NULL ||
		    res_comm_resolve(&cfg->spec, pa->communities[i],
		    &c) == -1) {
			plan_warn(ctx, "BGPConfiguration %s: community \"%s\" "
			    "is neither aa:nn[:mm] nor a defined name: ignored",
			    cfg->meta.name, pa->communities[i] ?
			    pa->communities[i] : "");
			continue;
		}
		cp->comms[cp->ncomms++] = c;
	}
	plan_comms_uniq(cp);
	return 0;
}

static int
plan_has_adv(const struct res_bgpconfig *cfg, int af)
{
	size_t	 i;

	if (cfg == NULL)
		return 0;
	for (i = 0; i < cfg->spec.nprefix_advertisements; i++)
		if (cfg->spec.prefix_advertisements[i].cidr.addr.af == af)
			return 1;
	return 0;
}

/*
 * Per family, the node.<name> advertisements replace the default ones
 * when that resource has any for the family (CALICO.md 2.8).
 */
static int
plan_comms(struct plan_ctx *ctx)
{
	const struct res_bgpconfig	*cfg;
	const struct res_prefix_adv	*pa;
	size_t				 i;
	int				 fam, af;

	for (fam = 0; fam < 2; fam++) {
		af = PLAN_AF(fam);
		cfg = plan_has_adv(ctx->nodecfg, af) ? ctx->nodecfg :
		    ctx->defcfg;
		if (!plan_has_adv(cfg, af))
			continue;
		for (i = 0; i < cfg->spec.nprefix_advertisements; i++) {
			pa = &cfg->spec.prefix_advertisements[i];
			if (pa->cidr.addr.af != af || !plan_cidr_ok(&pa->cidr))
				continue;
			if (plan_comm_adv(ctx, cfg, pa) == -1)
				return -1;
		}
	}
	return 0;
}

int
plan_export(struct plan_ctx *ctx)
{
	plan_blocks(ctx);
	plan_pools(ctx);
	plan_services(ctx);
	plan_originate(ctx);
	return plan_comms(ctx);
}

/*
 * BGPFilters.  A session keeps indexes into plan->filters, which holds a
 * copy of every filter some session names.
 */

static const struct res_bgpfilter *
plan_bgpfilter(const struct res_set *rs, const char *name)
{
	size_t	 i;

	for (i = 0; i < rs->nbgpfilters; i++)
		if (rs->bgpfilters[i].meta.name != NULL &&
		    strcmp(rs->bgpfilters[i].meta.name, name) == 0)
			return &rs->bgpfilters[i];
	return NULL;
}

static int
plan_filter_op(struct plan_ctx *ctx, const char *fname,
    const struct res_filter_op *o, struct plan_filter_op *po)
{
	if (o->has_add_community) {
		po->kind = PLAN_FOP_ADD_COMMUNITY;
		po->community = o->add_community;
	} else if (o->has_prepend_as_path) {
		if (o->prepend_as_path.nprefix > PLAN_PREPEND_MAX)
			return plan_fail(ctx, "BGPFilter %s: prependASPath "
			    "longer than %d", fname, PLAN_PREPEND_MAX);
		po->kind = PLAN_FOP_PREPEND;
		po->nprepend = o->prepend_as_path.nprefix;
		if (po->nprepend > 0)
			memcpy(po->prepend, o->prepend_as_path.prefix,
			    po->nprepend * sizeof(po->prepend[0]));
	} else if (o->has_set_priority) {
		po->kind = PLAN_FOP_SET_PRIORITY;
		po->priority = o->set_priority;
	}
	return 0;
}

/* prefixLength bounds: max(cidr length, min) .. min(full, max). */
static void
plan_rule_lengths(const struct res_filter_rule *r,
    struct plan_filter_rule *pr)
{
	int	 full = plan_maxlen(r->cidr.addr.af);

	if (!r->has_prefix_length || pr->cidr.addr.af == 0)
		return;
	pr->has_len = 1;
	pr->min_len = pr->cidr.plen;
	if (r->prefix_length.has_min && r->prefix_length.min > pr->min_len)
		pr->min_len = r->prefix_length.min;
	pr->max_len = full;
	if (r->prefix_length.has_max && r->prefix_length.max < full)
		pr->max_len = r->prefix_length.max;
}

static int
plan_filter_rule(struct plan_ctx *ctx, const char *fname,
    const struct res_filter_rule *r, struct plan_filter_rule *out)
{
	struct plan_filter_rule	 pr;
	size_t			 i;

	memset(&pr, 0, sizeof(pr));
	if (plan_cidr_ok(&r->cidr))
		plan_prefix_set(&pr.cidr, &r->cidr.addr, r->cidr.plen);
	pr.op = r->match_operator;
	plan_rule_lengths(r, &pr);
	pr.source_remote = r->source == RES_FSRC_REMOTE_PEERS;
	if (r->interface != NULL && strlcpy(pr.iface, r->interface,
	    sizeof(pr.iface)) >= sizeof(pr.iface))
		return plan_fail(ctx, "BGPFilter %s: interface longer than "
		    "15 characters", fname);
	pr.peer_type = r->peer_type;
	pr.has_community = r->has_communities;
	pr.community = r->communities;
	if (r->nas_path_prefix > PLAN_ASPATH_MAX)
		return plan_fail(ctx, "BGPFilter %s: asPathPrefix longer "
		    "than %d", fname, PLAN_ASPATH_MAX);
	pr.nas_path_prefix = r->nas_path_prefix;
	if (r->nas_path_prefix > 0)
		memcpy(pr.as_path_prefix, r->as_path_prefix,
		    r->nas_path_prefix * sizeof(pr.as_path_prefix[0]));
	pr.has_priority = r->has_priority;
	pr.priority = r->priority;
	if (r->noperations > PLAN_FILTER_OPS_MAX)
		return plan_fail(ctx, "BGPFilter %s: more than %d operations",
		    fname, PLAN_FILTER_OPS_MAX);
	for (i = 0; i < r->noperations; i++)
		if (plan_filter_op(ctx, fname, &r->operations[i],
		    &pr.ops[i]) == -1)
			return -1;
	pr.nops = r->noperations;
	pr.action = r->action;
	/* Copied bytewise, padding included, so that plan_diff may memcmp. */
	memcpy(out, &pr, sizeof(pr));
	return 0;
}

static int
plan_filter_copy(struct plan_ctx *ctx, const struct res_bgpfilter *bf,
    struct plan_filter *pf)
{
	const struct res_filter_rules	*l;
	int				 i;
	size_t				 j;

	memset(pf, 0, sizeof(*pf));
	strlcpy(pf->name, bf->meta.name, sizeof(pf->name));
	for (i = 0; i < RES_FILTER_NLISTS; i++) {
		l = &bf->spec.lists[i];
		if (l->nrules == 0)
			continue;
		pf->rules[i] = xcalloc(l->nrules, sizeof(*pf->rules[i]));
		pf->nrules[i] = l->nrules;
		for (j = 0; j < l->nrules; j++)
			if (plan_filter_rule(ctx, pf->name, &l->rules[j],
			    &pf->rules[i][j]) == -1)
				return -1;
	}
	return 0;
}

/* The index of a filter in plan->filters, copying it on first use. */
static int
plan_filter_ref(struct plan_ctx *ctx, const struct res_bgpfilter *bf,
    size_t *idx)
{
	struct plan	*p = ctx->p;
	size_t		 i;

	for (i = 0; i < p->nfilters; i++) {
		if (strcmp(p->filters[i].name, bf->meta.name) == 0) {
			*idx = i;
			return 0;
		}
	}
	if (p->nfilters == ctx->fcap) {
		ctx->fcap = ctx->fcap ? ctx->fcap * 2 : 8;
		p->filters = xreallocarray(p->filters, ctx->fcap,
		    sizeof(*p->filters));
	}
	*idx = p->nfilters++;
	return plan_filter_copy(ctx, bf, &p->filters[*idx]);
}

/*
 * The BGPPeer's filters in its order; names of filters that do not
 * exist are skipped, as Calico does, with a warning.
 */
int
plan_session_filters(struct plan_ctx *ctx, const struct res_bgppeer *bp,
    struct plan_session *s)
{
	const struct res_bgpfilter	*bf;
	size_t				 i, idx;

	if (bp->spec.nfilters == 0)
		return 0;
	s->filters = xcalloc(bp->spec.nfilters, sizeof(*s->filters));
	for (i = 0; i < bp->spec.nfilters; i++) {
		if (bp->spec.filters[i] == NULL)
			continue;
		if ((bf = plan_bgpfilter(ctx->rs, bp->spec.filters[i])) ==
		    NULL) {
			plan_warn(ctx, "BGPPeer %s: BGPFilter %s does not "
			    "exist: skipped", bp->meta.name,
			    bp->spec.filters[i]);
			continue;
		}
		if (plan_filter_ref(ctx, bf, &idx) == -1)
			return -1;
		s->filters[s->nfilters++] = idx;
	}
	return 0;
}

struct plan_fsort {
	const char	*name;
	size_t		 old;
};

static int
plan_filter_qcmp(const void *a, const void *b)
{
	const struct plan_fsort	*fa = a, *fb = b;

	return strcmp(fa->name, fb->name);
}

/* Sort the filters by name and renumber the sessions' references. */
void
plan_filters_sort(struct plan_ctx *ctx)
{
	struct plan		*p = ctx->p;
	struct plan_filter	*sorted;
	struct plan_session	*s;
	struct plan_fsort	*v;
	size_t			*inv, i, j;

	if (p->nfilters < 2)
		return;
	v = xcalloc(p->nfilters, sizeof(*v));
	inv = xcalloc(p->nfilters, sizeof(*inv));
	for (i = 0; i < p->nfilters; i++) {
		v[i].name = p->filters[i].name;
		v[i].old = i;
	}
	qsort(v, p->nfilters, sizeof(*v), plan_filter_qcmp);
	sorted = xcalloc(p->nfilters, sizeof(*sorted));
	for (i = 0; i < p->nfilters; i++) {
		sorted[i] = p->filters[v[i].old];
		inv[v[i].old] = i;
	}
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		for (j = 0; j < s->nfilters; j++)
			s->filters[j] = inv[s->filters[j]];
	}
	free(p->filters);
	p->filters = sorted;
	ctx->fcap = p->nfilters;
	free(v);
	free(inv);
}
