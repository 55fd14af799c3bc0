/*
 * Configuration: received between IMSG_RECONF_START and IMSG_RECONF_DONE
 * into rde->next, checked message by message, swapped in whole at DONE.
 * Then what changed is applied: originated routes are added or
 * withdrawn, peers whose BGPFilter rules changed get a new policy (and
 * possibly another update group), and every consumer of the Loc-RIB
 * re-evaluates the table when export or kernel rules changed.
 *
 * BGPFilter rules are interned per peer into policies so that peers with
 * the same rules compare equal and share an update group.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

void
rde_conf_free(struct rde_conf *c)
{
	free(c->pools);
	free(c->origs);
	free(c->comms);
	free(c->rules);
	memset(c, 0, sizeof(*c));
}

int
rde_conf_start(void)
{
	rde_conf_free(&rde->next);
	rde->in_reconf = 1;
	return 0;
}

static int
rde_conf_active(const char *what)
{
	if (!rde->in_reconf) {
		log_warnx("%s outside of a configuration", what);
		return 0;
	}
	return 1;
}

/* Check and mask a prefix from the parent. */
static int
rde_cprefix_set(struct rde_cprefix *c, const struct bgpd_addr *a, int plen)
{
	memset(c, 0, sizeof(*c));
	if (a->af == AF_INET && plen >= 0 && plen <= 32)
		c->aid = BGP_AID_IPV4;
	else if (a->af == AF_INET6 && plen >= 0 && plen <= 128)
		c->aid = BGP_AID_IPV6;
	else
		return -1;
	c->addr.af = a->af;
	memcpy(c->addr.bytes, a->bytes, sizeof(c->addr.bytes));
	addr_mask(&c->addr, plen);
	c->plen = (uint8_t)plen;
	return 0;
}

static int
rde_conf_addr_ok(const struct bgpd_addr *a, int af)
{
	return a->af == 0 || a->af == af;
}

int
rde_conf_global(const struct imsg_global *g)
{
	if (!rde_conf_active("global settings"))
		return -1;
	if (!rde_conf_addr_ok(&g->ipv4, AF_INET) ||
	    !rde_conf_addr_ok(&g->ipv6, AF_INET6) || g->ipv4_plen > 32 ||
	    g->ipv6_plen > 128 || g->cluster_routes < RC_PCR_ENABLED ||
	    g->cluster_routes > RC_PCR_NOENCAP_ONLY || g->local_as == 0) {
		log_warnx("configuration: bad global settings");
		return -1;
	}
	rde->next.global = *g;
	rde->next.have_global = 1;
	return 0;
}

#define RDE_APPEND(arr, n, v) do {					\
	(arr) = xreallocarray((arr), (n) + 1, sizeof(*(arr)));		\
	(arr)[(n)++] = (v);						\
} while (0)

int
rde_conf_pool(const struct imsg_pool *p)
{
	struct rde_pool	 np;

	if (!rde_conf_active("pool"))
		return -1;
	memset(&np, 0, sizeof(np));
	if (rde_cprefix_set(&np.pfx, &p->prefix, p->plen) == -1 ||
	    p->ipip > RC_ENCAP_CROSS_SUBNET ||
	    p->vxlan > RC_ENCAP_CROSS_SUBNET) {
		log_warnx("configuration: bad pool");
		return -1;
	}
	np.ipip = p->ipip;
	np.vxlan = p->vxlan;
	np.flags = p->flags;
	RDE_APPEND(rde->next.pools, rde->next.npools, np);
	return 0;
}

int
rde_conf_originate(const struct imsg_originate *o)
{
	struct rde_orig	 no;

	if (!rde_conf_active("originate"))
		return -1;
	memset(&no, 0, sizeof(no));
	if (rde_cprefix_set(&no.pfx, &o->prefix, o->plen) == -1 ||
	    o->kind < RC_ORIG_BLOCK || o->kind > RC_ORIG_LB_IP) {
		log_warnx("configuration: bad originated prefix");
		return -1;
	}
	no.kind = o->kind;
	no.flags = o->flags;
	RDE_APPEND(rde->next.origs, rde->next.norigs, no);
	return 0;
}

static int
rde_comm_ok(const struct rc_comm *c)
{
	return c->large || (c->a <= UINT16_MAX && c->b <= UINT16_MAX);
}

int
rde_conf_community(const struct imsg_community *c)
{
	struct rde_comms	 nc;
	size_t			 i;

	if (!rde_conf_active("community"))
		return -1;
	memset(&nc, 0, sizeof(nc));
	if (rde_cprefix_set(&nc.pfx, &c->prefix, c->plen) == -1 ||
	    c->ncomms > RC_COMMS_MAX)
		goto bad;
	for (i = 0; i < c->ncomms; i++)
		if (!rde_comm_ok(&c->comms[i]))
			goto bad;
	nc.ncomms = c->ncomms;
	memcpy(nc.comms, c->comms, sizeof(nc.comms));
	RDE_APPEND(rde->next.comms, rde->next.ncomms, nc);
	return 0;
 bad:
	log_warnx("configuration: bad community prefix");
	return -1;
}

static int
rde_fop_ok(const struct rc_filter_op *op, int export)
{
	switch (op->kind) {
	case RC_FOP_ADD_COMMUNITY:
		return rde_comm_ok(&op->community);
	case RC_FOP_PREPEND:
		return op->nprepend >= 1 && op->nprepend <= RC_PREPEND_MAX;
	case RC_FOP_SET_PRIORITY:
		return op->priority >= 1 && op->priority <= RDE_PRIORITY_MAX;
	}
	(void)export;
	return 0;
}

static int
rde_frule_ok(const struct imsg_filter_rule *r)
{
	int	 max = r->aid == BGP_AID_IPV6 ? 128 : 32, i;

	if ((r->dir != RC_FDIR_IMPORT && r->dir != RC_FDIR_EXPORT) ||
	    r->aid >= BGP_AID_MAX || r->match > RC_MATCH_NOT_IN ||
	    (r->action != RC_ACTION_ACCEPT && r->action != RC_ACTION_REJECT) ||
	    r->peer_type > RC_PT_IBGP || r->nas_path > RC_ASPATH_MAX ||
	    r->nops > RC_FOPS_MAX)
		return 0;
	if (r->match != RC_MATCH_NONE &&
	    r->cidr.af != (r->aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET))
		return 0;
	if (r->cidr_plen > max || (r->has_len && (r->min_len > max ||
	    r->max_len > max)))
		return 0;
	if (r->has_community && !rde_comm_ok(&r->community))
		return 0;
	for (i = 0; i < r->nops; i++)
		if (!rde_fop_ok(&r->ops[i], r->dir == RC_FDIR_EXPORT))
			return 0;
	return 1;
}

int
rde_conf_filter(const struct imsg_filter_rule *r)
{
	struct imsg_filter_rule	 nr;
	struct rde_cprefix	 c;

	if (!rde_conf_active("filter rule"))
		return -1;
	if (!rde_frule_ok(r)) {
		log_warnx("configuration: bad BGPFilter rule for peer %u",
		    r->peerid);
		return -1;
	}
	nr = *r;
	nr.filter[sizeof(nr.filter) - 1] = '\0';
	nr.iface[sizeof(nr.iface) - 1] = '\0';
	if (nr.match != RC_MATCH_NONE) {
		rde_cprefix_set(&c, &nr.cidr, nr.cidr_plen);
		nr.cidr = c.addr;
	}
	RDE_APPEND(rde->next.rules, rde->next.nrules, nr);
	return 0;
}

/* Policies. */

static void
rde_policy_free(struct rde_policy *pol)
{
	int	 d, a;

	for (d = 0; d < 2; d++)
		for (a = 0; a < BGP_AID_MAX; a++)
			free(pol->rules[d][a]);
	free(pol);
}

static int
rde_policy_same(const struct rde_policy *x, const struct rde_policy *y)
{
	uint32_t	 i;
	int		 d, a;

	for (d = 0; d < 2; d++)
		for (a = 0; a < BGP_AID_MAX; a++) {
			if (x->nrules[d][a] != y->nrules[d][a])
				return 0;
			for (i = 0; i < x->nrules[d][a]; i++)
				if (memcmp(&x->rules[d][a][i].r,
				    &y->rules[d][a][i].r,
				    sizeof(x->rules[d][a][i].r)) != 0)
					return 0;
		}
	return 1;
}

/* The rules of peerid in the current configuration, or NULL if none. */
static struct rde_policy *
rde_policy_build(uint32_t peerid)
{
	struct rde_policy	*pol = NULL;
	struct rde_frule	 fr;
	const struct imsg_filter_rule *r;
	uint32_t		 id = 0;
	size_t			 i;
	int			 d;

	for (i = 0; i < rde->conf.nrules; i++) {
		r = &rde->conf.rules[i];
		if (r->peerid != peerid)
			continue;
		if (pol == NULL)
			pol = xcalloc(1, sizeof(*pol));
		d = r->dir == RC_FDIR_IMPORT ? RDE_FDIR_IMPORT :
		    RDE_FDIR_EXPORT;
		fr.r = *r;
		/* Ids without the peer, so that equal rules compare equal. */
		fr.r.peerid = 0;
		fr.id = ++id;
		RDE_APPEND(pol->rules[d][r->aid], pol->nrules[d][r->aid], fr);
	}
	return pol;
}

/* A reference to the policy of peerid (NULL: no rules). */
struct rde_policy *
rde_policy_for(uint32_t peerid)
{
	struct rde_policy	*pol, *p;

	if ((pol = rde_policy_build(peerid)) == NULL)
		return NULL;
	TAILQ_FOREACH(p, &rde->policies, entry)
		if (rde_policy_same(p, pol)) {
			rde_policy_free(pol);
			p->refcnt++;
			return p;
		}
	pol->refcnt = 1;
	TAILQ_INSERT_TAIL(&rde->policies, pol, entry);
	return pol;
}

void
rde_policy_unref(struct rde_policy *pol)
{
	if (pol == NULL || --pol->refcnt > 0)
		return;
	TAILQ_REMOVE(&rde->policies, pol, entry);
	rde_policy_free(pol);
}

uint32_t
rde_router_id(void)
{
	return ntohl(rde->conf.global.router_id);
}

/* RFC 4456 7: the cluster id is the router id unless configured. */
uint32_t
rde_cluster_id(void)
{
	if (rde->conf.global.cluster_id != 0)
		return ntohl(rde->conf.global.cluster_id);
	return rde_router_id();
}

/* Originated routes: an empty AS path, ORIGIN IGP, next hop "us". */
static void
rde_local_add(const struct rde_orig *o)
{
	struct rde_abuild	 ab;
	uint32_t		 id;

	rde_ab_init(&ab);
	ab.k.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	ab.k.origin = BGP_ORIGIN_IGP;
	if ((id = rde_attr_intern(&ab)) == RDE_NIL)
		fatalx("rde_local_add: attribute ids exhausted");
	rde_rib_update(o->pfx.aid, o->pfx.addr.bytes, o->pfx.plen,
	    rde_peer_local(), 0, id);
	rde_ab_free(&ab);
}

static int
rde_orig_has(const struct rde_conf *c, const struct rde_orig *o)
{
	size_t	 i;

	for (i = 0; i < c->norigs; i++)
		if ((c->origs[i].flags & RC_ORIG_F_ADVERTISE) &&
		    c->origs[i].pfx.aid == o->pfx.aid &&
		    c->origs[i].pfx.plen == o->pfx.plen &&
		    memcmp(c->origs[i].pfx.addr.bytes, o->pfx.addr.bytes,
		    16) == 0)
			return 1;
	return 0;
}

/* Withdraw what is no longer originated, add what is new. */
static void
rde_local_sync(const struct rde_conf *old)
{
	const struct rde_orig	*o;
	size_t			 i;

	for (i = 0; i < old->norigs; i++) {
		o = &old->origs[i];
		if ((o->flags & RC_ORIG_F_ADVERTISE) &&
		    !rde_orig_has(&rde->conf, o))
			rde_rib_withdraw(o->pfx.aid, o->pfx.addr.bytes,
			    o->pfx.plen, rde_peer_local(), 0);
	}
	for (i = 0; i < rde->conf.norigs; i++) {
		o = &rde->conf.origs[i];
		if ((o->flags & RC_ORIG_F_ADVERTISE) && !rde_orig_has(old, o))
			rde_local_add(o);
	}
}

#define RDE_SAME_ARRAY(a, b, f, n) ((a)->n == (b)->n &&			\
	((a)->n == 0 || memcmp((a)->f, (b)->f, (a)->n * sizeof(*(a)->f)) == 0))

/* Whether what the export policy reads changed. */
static int
rde_conf_export_changed(const struct rde_conf *o, const struct rde_conf *n)
{
	return memcmp(&o->global, &n->global, sizeof(o->global)) != 0 ||
	    !RDE_SAME_ARRAY(o, n, pools, npools) ||
	    !RDE_SAME_ARRAY(o, n, origs, norigs) ||
	    !RDE_SAME_ARRAY(o, n, comms, ncomms);
}

/* New rules for every peer; refresh or regroup those that changed. */
static void
rde_conf_peers(void)
{
	struct rde_peer		*peer;
	struct rde_policy	*pol, *old;
	int			 aid, imp;

	RB_FOREACH(peer, rde_peer_tree, &rde->peertree) {
		pol = rde_policy_for(peer->conf.peerid);
		old = peer->policy;
		if (pol == old) {
			rde_policy_unref(pol);
			continue;
		}
		imp = 0;
		for (aid = 0; aid < BGP_AID_MAX; aid++)
			if ((pol ? pol->nrules[RDE_FDIR_IMPORT][aid] : 0) ||
			    (old ? old->nrules[RDE_FDIR_IMPORT][aid] : 0))
				imp = 1;
		peer->policy = pol;
		if (peer->flags & RDE_PEER_UP) {
			rde_peer_regroup(peer);
			if (imp)
				rde_peer_ask_refresh(peer);
		}
		rde_policy_unref(old);
	}
}

int
rde_conf_done(void)
{
	struct rde_conf	 old;
	struct rde_peer	*peer;
	int		 changed;

	if (!rde_conf_active("done"))
		return -1;
	rde->in_reconf = 0;
	if (!rde->next.have_global) {
		log_warnx("configuration without global settings ignored");
		rde_conf_free(&rde->next);
		return -1;
	}
	old = rde->conf;
	rde->conf = rde->next;
	rde->conf.gen = old.gen + 1;
	memset(&rde->next, 0, sizeof(rde->next));
	changed = rde_conf_export_changed(&old, &rde->conf);
	rde_peer_local()->remote_id = rde_router_id();
	rde_local_sync(&old);
	rde_conf_peers();
	rde_kernel_config();
	if (changed) {
		/* The node's addresses are part of the groups' keys. */
		RB_FOREACH(peer, rde_peer_tree, &rde->peertree)
			if (peer->flags & RDE_PEER_UP)
				rde_peer_regroup(peer);
		rde_group_resync_all();
		rde_kernel_resync();
	}
	rde_conf_free(&old);
	return 0;
}
