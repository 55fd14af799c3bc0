/*
 * Calico's route policy (CALICO.md 2.8 and 2.9), evaluated directly:
 * BGPFilter rules, the export policy calico_export_to_bgp_peers() and
 * the kernel filter calico_kernel_programming.
 *
 * Where BIRD would read a route attribute tortie does not have, the
 * condition behaves as in BIRD with the attribute undefined.  A learned
 * route's interface (ifname) is the one of the connected network its
 * next hop is on, from kroute's interface view (rde_nexthop.c);
 * originated routes, next hops off every connected network and a node
 * without the view have none, so interface conditions do not hold for
 * them.  The ifname steps of the export policy (2 and 3) are not
 * applied yet: they never reject.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <string.h>

#include "rde.h"
#include "util.h"

/* Whether prefix p lies within c (c itself included). */
int
rde_pfx_in(const struct rde_prefix *p, const struct rde_cprefix *c)
{
	int	 full, rest;

	if (p->aid != c->aid || p->plen < c->plen)
		return 0;
	full = c->plen / 8;
	rest = c->plen % 8;
	if (memcmp(p->addr, c->addr.bytes, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((p->addr[full] ^ c->addr.bytes[full]) &
	    (uint8_t)(0xff00 >> rest)) == 0;
}

static int
rde_pfx_eq(const struct rde_prefix *p, const struct rde_cprefix *c)
{
	return p->plen == c->plen && rde_pfx_in(p, c);
}

static int
rde_addr_in(const struct bgpd_addr *a, const struct bgpd_addr *net, int plen)
{
	if (a->af == 0 || a->af != net->af)
		return 0;
	return addr_in_prefix(a, net, plen);
}

/* The cidr condition: `net op cidr` or `net op [ cidr{min,max} ]`. */
static int
rde_frule_cidr(const struct imsg_filter_rule *r, const struct rde_prefix *p)
{
	struct rde_cprefix	 c;
	int			 in;

	if (r->match == RC_MATCH_NONE)
		return 1;
	memset(&c, 0, sizeof(c));
	c.addr = r->cidr;
	c.plen = r->cidr_plen;
	c.aid = r->cidr.af == AF_INET6 ? BGP_AID_IPV6 : BGP_AID_IPV4;
	if (r->has_len) {
		/*
		 * A prefix set: Equal and In both ask for membership (BIRD
		 * has no equality with a set; tortie reads it as In).
		 */
		in = rde_pfx_in(p, &c) && p->plen >= r->min_len &&
		    p->plen <= r->max_len;
		return (r->match == RC_MATCH_EQUAL ||
		    r->match == RC_MATCH_IN) ? in : !in;
	}
	switch (r->match) {
	case RC_MATCH_EQUAL:
		return rde_pfx_eq(p, &c);
	case RC_MATCH_NOT_EQUAL:
		return !rde_pfx_eq(p, &c);
	case RC_MATCH_IN:
		return rde_pfx_in(p, &c);
	default:
		return !rde_pfx_in(p, &c);
	}
}

/* `bgp_path ~ [= a b * =]`: the path starts with these ASes. */
static int
rde_frule_aspath(const struct imsg_filter_rule *r, const struct rde_attrs *a)
{
	struct bgp_aspath_iter	 it;
	const uint8_t		*p;
	uint16_t		 len;
	uint32_t		 as;
	uint8_t			 seg;
	int			 i;

	p = rde_attr_part(a, RDE_AP_ASPATH, &len);
	bgp_aspath_iter_init(&it, p, len, 1);
	for (i = 0; i < r->nas_path; i++) {
		if (bgp_aspath_next(&it, &as, &seg) != 1 ||
		    seg != BGP_AS_SEQUENCE || as != r->as_path[i])
			return 0;
	}
	return 1;
}

static int
rde_frule_comm(const struct imsg_filter_rule *r, const struct rde_attrs *a)
{
	if (r->community.large)
		return rde_attr_has_large(a, r->community.a, r->community.b,
		    r->community.c);
	return rde_attr_has_comm(a, r->community.a << 16 | r->community.b);
}

/*
 * Whether a rule's conditions hold for a route: prefix p with
 * attributes a, local preference lp (-1: undefined), over an eBGP or
 * iBGP session, learned from BGP or originated.
 */
int
rde_frule_match(const struct rde_frule *fr, const struct rde_prefix *p,
    const struct rde_attrs *a, int ebgp, int from_bgp, int64_t lp)
{
	const struct imsg_filter_rule	*r = &fr->r;

	if ((r->peer_type == RC_PT_EBGP && !ebgp) ||
	    (r->peer_type == RC_PT_IBGP && ebgp))
		return 0;
	if (!rde_frule_cidr(r, p))
		return 0;
	if (r->source_remote && !from_bgp)
		return 0;
	if (r->iface[0] != '\0' && !rde_nexthop_iface_match(r->iface, a))
		return 0;
	if (r->has_community && !rde_frule_comm(r, a))
		return 0;
	if (r->nas_path > 0 && !rde_frule_aspath(r, a))
		return 0;
	if (r->has_priority &&
	    lp != (int64_t)RDE_PRIORITY_MAX - r->priority)
		return 0;
	return 1;
}

/* Apply an Accept rule's operations, in order.  -1 if too large. */
int
rde_frule_apply(const struct rde_frule *fr, struct rde_abuild *ab)
{
	const struct rc_filter_op	*op;
	int				 i, j;

	for (i = 0; i < fr->r.nops; i++) {
		op = &fr->r.ops[i];
		switch (op->kind) {
		case RC_FOP_ADD_COMMUNITY:
			if ((op->community.large ? rde_ab_add_large(ab,
			    op->community.a, op->community.b,
			    op->community.c) : rde_ab_add_comm(ab,
			    op->community.a << 16 | op->community.b)) == -1)
				return -1;
			break;
		case RC_FOP_PREPEND:
			/* prepend(y) then prepend(x): the path starts x y. */
			for (j = op->nprepend - 1; j >= 0; j--)
				if (rde_ab_prepend(ab, op->prepend[j], 1) == -1)
					return -1;
			break;
		case RC_FOP_SET_PRIORITY:
			ab->k.local_pref = (uint32_t)(RDE_PRIORITY_MAX -
			    op->priority);
			ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
			break;
		}
	}
	return 0;
}

/*
 * The BGPFilter rules of a policy for one direction: the first rule
 * whose conditions hold decides.  Returns it (*accept set), or NULL when
 * none matched and Calico's default applies.
 */
const struct rde_frule *
rde_filter_eval(const struct rde_policy *pol, int dir,
    const struct rde_prefix *p, const struct rde_attrs *a, int ebgp,
    int from_bgp, int64_t lp, int *accept)
{
	const struct rde_frule	*fr;
	uint32_t		 i, n;

	if (pol == NULL)
		return NULL;
	n = pol->nrules[dir][p->aid];
	for (i = 0; i < n; i++) {
		fr = &pol->rules[dir][p->aid][i];
		if (rde_frule_match(fr, p, a, ebgp, from_bgp, lp)) {
			*accept = fr->r.action == RC_ACTION_ACCEPT;
			return fr;
		}
	}
	return NULL;
}

static int
rde_is_rr(void)
{
	return rde->conf.global.cluster_id != 0;
}

/* Step 5, calico_aggr(): a local block itself, not its more-specifics. */
static int
rde_calico_aggr(const struct rde_prefix *p)
{
	const struct rde_orig	*o;
	size_t			 i;

	for (i = 0; i < rde->conf.norigs; i++) {
		o = &rde->conf.origs[i];
		if (o->kind != RC_ORIG_BLOCK || !rde_pfx_in(p, &o->pfx))
			continue;
		return p->plen == o->pfx.plen ? 1 : 0;
	}
	return -1;
}

/* Steps 6 and 7: static service routes; LB and external ranges on RRs. */
static int
rde_calico_services(const struct rde_prefix *p)
{
	const struct rde_orig	*o;
	size_t			 i;

	for (i = 0; i < rde->conf.norigs; i++) {
		o = &rde->conf.origs[i];
		if (o->kind == RC_ORIG_BLOCK || !rde_pfx_in(p, &o->pfx))
			continue;
		if (o->flags & RC_ORIG_F_ADVERTISE)
			return 1;
		if (rde_is_rr() && (o->kind == RC_ORIG_LB_IP ||
		    o->kind == RC_ORIG_EXTERNAL_IP))
			return 1;
	}
	return 0;
}

/* Which apply_communities() entries cover p, as a bit mask. */
uint64_t
rde_calico_comm_mask(const struct rde_prefix *p)
{
	uint64_t	 m = 0;
	size_t		 i;

	for (i = 0; i < rde->conf.ncomms; i++)
		if (rde_pfx_in(p, &rde->conf.comms[i].pfx))
			m |= i < 63 ? UINT64_C(1) << i : UINT64_C(1) << 63;
	return m;
}

/*
 * calico_export_to_bgp_peers(): 1 accept, 0 reject.  *comm_mask gets the
 * apply_communities() entries for an accepted route.
 */
int
rde_calico_export(const struct rde_prefix *p, int internal,
    uint64_t *comm_mask)
{
	const struct rde_pool	*pool;
	size_t			 i;
	int			 r;

	(void)internal;
	*comm_mask = 0;
	for (i = 0; i < rde->conf.npools; i++) {
		pool = &rde->conf.pools[i];
		if ((pool->flags & RC_POOL_NO_EXPORT) &&
		    rde_pfx_in(p, &pool->pfx))
			return 0;
	}
	*comm_mask = rde_calico_comm_mask(p);
	if ((r = rde_calico_aggr(p)) != -1)
		return r;
	if (rde_calico_services(p))
		return 1;
	for (i = 0; i < rde->conf.npools; i++) {
		pool = &rde->conf.pools[i];
		if (!(pool->flags & RC_POOL_NO_EXPORT) &&
		    rde_pfx_in(p, &pool->pfx))
			return 1;
	}
	return 0;
}

/* Add the communities of the apply_communities() entries covering p. */
int
rde_calico_add_comms(const struct rde_prefix *p, struct rde_abuild *ab)
{
	const struct rde_comms	*c;
	size_t			 i, j;

	for (i = 0; i < rde->conf.ncomms; i++) {
		c = &rde->conf.comms[i];
		if (!rde_pfx_in(p, &c->pfx))
			continue;
		for (j = 0; j < c->ncomms; j++)
			if ((c->comms[j].large ? rde_ab_add_large(ab,
			    c->comms[j].a, c->comms[j].b, c->comms[j].c) :
			    rde_ab_add_comm(ab, c->comms[j].a << 16 |
			    c->comms[j].b)) == -1)
				return -1;
	}
	return 0;
}

static uint32_t
rde_normal_priority(uint8_t aid)
{
	int32_t	 v;

	v = aid == BGP_AID_IPV6 ? rde->conf.global.ipv6_priority :
	    rde->conf.global.ipv4_priority;
	return v > 0 ? (uint32_t)v : 1024;
}

/*
 * The local preference a route is exported with after Calico's priority
 * prelude (CALICO.md 2.8): learned routes keep theirs, originated ones
 * get 2147483647 - NormalRoutePriority.
 */
uint32_t
rde_export_local_pref(const struct rde_attrs *a, int local, uint8_t aid)
{
	if (!local && (a->k.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)))
		return a->k.local_pref;
	return RDE_PRIORITY_MAX - rde_normal_priority(aid);
}

/*
 * The kernel metric: for learned routes 2147483647 - LOCAL_PREF (or the
 * normal priority without one), for originated ones BIRD's kernel
 * protocol default.
 */
uint32_t
rde_priority_of(const struct rde_attrs *a, int local, uint8_t aid)
{
	if (local)
		return 32;
	if (!(a->k.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)))
		return rde_normal_priority(aid);
	if (a->k.local_pref >= RDE_PRIORITY_MAX)
		return 0;
	return RDE_PRIORITY_MAX - a->k.local_pref;
}

/* Whether programClusterRoutes makes tortie program this pool. */
static int
rde_pool_ours(const struct rde_pool *pool)
{
	int	 ipip = pool->ipip != RC_ENCAP_NEVER;
	int	 none = !ipip && pool->vxlan == RC_ENCAP_NEVER;

	switch (rde->conf.global.cluster_routes) {
	case RC_PCR_ENABLED:
		return ipip || none;
	case RC_PCR_IPIP_ONLY:
		return ipip;
	case RC_PCR_NOENCAP_ONLY:
		return none;
	default:
		return 0;
	}
}

/* Step 4 of calico_kernel_programming for the pool covering p. */
static int
rde_kernel_pool(const struct rde_prefix *p, const struct rde_pool *pool,
    const struct rde_attrs *a, struct kroute *kr)
{
	const struct imsg_global	*g = &rde->conf.global;

	if (pool->vxlan != RC_ENCAP_NEVER)
		return 0;
	if (!rde_pool_ours(pool))
		return 0;
	if (p->aid != BGP_AID_IPV4)
		return 1;
	if (pool->ipip == RC_ENCAP_ALWAYS ||
	    (pool->ipip == RC_ENCAP_CROSS_SUBNET &&
	    !rde_addr_in(&a->k.nexthop, &g->ipv4, g->ipv4_plen)))
		kr->flags |= KR_F_ONLINK;
	return 1;
}

/*
 * calico_kernel_programming: 1 and *kr filled when the best route a of
 * prefix p goes into the kernel, 0 when it does not.
 */
int
rde_calico_kernel(const struct rde_prefix *p, const struct rde_attrs *a,
    int local, struct kroute *kr)
{
	const struct rde_orig	*o;
	const struct rde_pool	*pool;
	size_t			 i;
	int			 v4 = p->aid == BGP_AID_IPV4;

	memset(kr, 0, sizeof(*kr));
	rde_prefix_to_addr(p, &kr->prefix);
	kr->prefixlen = p->plen;
	for (i = 0; i < rde->conf.norigs; i++) {
		o = &rde->conf.origs[i];
		if ((o->flags & RC_ORIG_F_NO_KERNEL) && rde_pfx_in(p, &o->pfx))
			return 0;
	}
	kr->priority = rde_priority_of(a, local, p->aid);
	if (local || a->k.nexthop.af == 0)
		kr->flags |= KR_F_BLACKHOLE;
	else
		kr->nexthop = a->k.nexthop;
	/* IPv4 pool statements exist only when the node's IPv4 is known. */
	if (v4 && rde->conf.global.ipv4.af == 0)
		return 1;
	for (i = 0; i < rde->conf.npools; i++) {
		pool = &rde->conf.pools[i];
		if (!rde_pfx_in(p, &pool->pfx))
			continue;
		if (!rde_kernel_pool(p, pool, a, kr))
			return 0;
		if (kr->flags & KR_F_BLACKHOLE)
			kr->flags &= ~KR_F_ONLINK;
		return 1;
	}
	return 1;
}
