/*
 * Export of a best path to an update group: whether BGP lets it go there
 * (iBGP split horizon and route reflection, RFC 4456 5; well-known
 * communities, RFC 1997), whether Calico's policy accepts it, and the
 * attributes the group's peers get.  Attribute transformations are
 * cached per group, keyed by the input set and everything else that
 * shapes the output, so that a table sharing few attribute sets costs
 * one transformation per set, not per prefix.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

static struct rde_abuild	 exp_ab;

int
rde_peer_is_ebgp(const struct rde_peer *p)
{
	return !(p->flags & RDE_PEER_LOCAL) && (p->conf.flags & PEER_F_EBGP);
}

int
rde_peer_is_ibgp(const struct rde_peer *p)
{
	return !(p->flags & RDE_PEER_LOCAL) && !(p->conf.flags & PEER_F_EBGP);
}

/*
 * BGP's own rules: NO_ADVERTISE goes nowhere, NO_EXPORT and
 * NO_EXPORT_SUBCONFED (no confederations here) not to eBGP, and
 * a route from an iBGP peer goes to iBGP peers only by reflection: from a
 * client to everyone, from a non-client to clients.
 */
int
rde_export_allowed(const struct rde_group *g, const struct rde_peer *src,
    const struct rde_attrs *a)
{
	if (a->k.comm_len > 0) {
		if (rde_attr_has_comm(a, BGP_COMM_NO_ADVERTISE))
			return 0;
		if (g->key.ebgp && (rde_attr_has_comm(a, BGP_COMM_NO_EXPORT) ||
		    rde_attr_has_comm(a, BGP_COMM_NO_EXPORT_SUBCONFED)))
			return 0;
	}
	if (!g->key.ebgp && rde_peer_is_ibgp(src) &&
	    !(src->conf.flags & PEER_F_RR_CLIENT) && !g->key.rr_client)
		return 0;
	return 1;
}

/* Next hop per the group's mode (CALICO.md 2.6, step 12). */
static int
rde_export_nexthop(const struct rde_group *g, const struct rde_peer *src,
    uint8_t aid, struct rde_abuild *ab)
{
	const struct bgpd_addr		*self;
	const struct imsg_global	*gl = &rde->conf.global;
	int				 keep;

	self = aid == BGP_AID_IPV6 ? &g->key.self6 : &g->key.self4;
	if ((src->flags & RDE_PEER_LOCAL) || ab->k.nexthop.af == 0)
		keep = 0;
	else if (g->key.nexthop == NEXTHOP_SELF)
		keep = 0;
	else if (g->key.nexthop == NEXTHOP_KEEP || !g->key.ebgp)
		keep = 1;
	else
		/* eBGP: a third-party next hop on the shared subnet. */
		keep = g->key.on_subnet && aid == BGP_AID_IPV4 &&
		    ab->k.nexthop.af == AF_INET && gl->ipv4.af == AF_INET &&
		    addr_in_prefix(&ab->k.nexthop, &gl->ipv4, gl->ipv4_plen);
	if (keep && ab->k.nexthop.af == (aid == BGP_AID_IPV6 ? AF_INET6 :
	    AF_INET))
		return 0;
	if (self->af == 0)
		return -1;
	ab->k.nexthop = *self;
	memset(&ab->k.nexthop_ll, 0, sizeof(ab->k.nexthop_ll));
	return 0;
}

/* What BGP itself changes toward the group (RFC 4271 5.1, RFC 4456 8). */
static int
rde_export_bgp(const struct rde_group *g, const struct rde_peer *src,
    struct rde_abuild *ab)
{
	if (g->key.ebgp) {
		if (rde_ab_prepend(ab, g->key.local_as, 1) == -1)
			return -1;
		rde_ab_drop(ab, BGP_ATTR_LOCAL_PREF);
		rde_ab_drop(ab, BGP_ATTR_ORIGINATOR_ID);
		rde_ab_drop(ab, BGP_ATTR_CLUSTER_LIST);
		if (!(src->flags & RDE_PEER_LOCAL))
			rde_ab_drop(ab, BGP_ATTR_MED);
		return 0;
	}
	if (rde_peer_is_ibgp(src)) {
		if (!(ab->k.present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))) {
			ab->k.originator_id = src->remote_id;
			ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
		}
		if (rde_ab_cluster_prepend(ab, rde_cluster_id()) == -1)
			return -1;
	}
	return 0;
}

/* Build the group's attributes; RDE_NIL if they cannot be sent. */
static uint32_t
rde_export_build(struct rde_group *g, const struct rde_attrs *a,
    const struct rde_peer *src, const struct rde_prefix *p,
    const struct rde_frule *rule)
{
	struct rde_abuild	*ab = &exp_ab;
	int			 local = (src->flags & RDE_PEER_LOCAL) != 0;

	rde_ab_from(ab, a);
	/* Calico's priority prelude: LOCAL_PREF from the priority. */
	ab->k.local_pref = rde_export_local_pref(a, local, p->aid);
	ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	if (rule != NULL) {
		if (rde_frule_apply(rule, ab) == -1)
			return RDE_NIL;
	} else if (rde_calico_add_comms(p, ab) == -1)
		return RDE_NIL;
	if (rde_export_bgp(g, src, ab) == -1 ||
	    rde_export_nexthop(g, src, p->aid, ab) == -1)
		return RDE_NIL;
	rde_ab_normalize(ab);
	return rde_attr_intern(ab);
}

static uint32_t
rde_memo_hash(uint64_t serial, uint32_t src, uint32_t rule, uint64_t mask,
    uint8_t aid)
{
	uint64_t	 h;

	h = serial * 0x9e3779b97f4a7c15ULL;
	h ^= ((uint64_t)src << 32 | rule) * 0xc2b2ae3d27d4eb4fULL;
	h ^= (mask + aid) * 0x165667b19e3779f9ULL;
	return (uint32_t)(h >> 40) & (RDE_MEMO_SIZE - 1);
}

/*
 * The output attribute id for input a: borrowed, valid as long as the
 * group's cache holds it (the caller takes its own reference).
 */
uint32_t
rde_export_attrs(struct rde_group *g, const struct rde_attrs *a,
    const struct rde_peer *src, const struct rde_prefix *p,
    const struct rde_frule *rule, uint64_t mask)
{
	struct rde_memo	*m;
	uint32_t	 rid = rule ? rule->id : 0, out;

	m = &g->memo[rde_memo_hash(a->serial, src->sid, rid, mask, p->aid)];
	if (m->out != RDE_NIL && m->serial == a->serial &&
	    m->src == src->sid && m->rule == rid && m->comm_mask == mask &&
	    m->aid == p->aid && !(mask >> 63)) {
		rde->stats.memo_hits++;
		return m->out;
	}
	rde->stats.memo_misses++;
	if ((out = rde_export_build(g, a, src, p, rule)) == RDE_NIL)
		return RDE_NIL;
	if (m->out != RDE_NIL)
		rde_attr_unref(m->out);
	m->serial = a->serial;
	m->src = src->sid;
	m->rule = rid;
	m->comm_mask = mask;
	m->aid = p->aid;
	m->out = out;
	return out;
}

/*
 * The group's out-table word for prefix p: the attributes its best path
 * is exported with, and the slot of the member it came from (which must
 * not get it back), or 0 when it is not exported.
 */
uint32_t
rde_export(struct rde_group *g, const struct rde_prefix *p)
{
	const struct rde_path	*q;
	const struct rde_peer	*src;
	const struct rde_attrs	*a;
	const struct rde_frule	*rule;
	uint64_t		 mask = 0;
	uint32_t		 out, best;
	int			 accept = 0, local;

	if (!g->key.af[p->aid] || (best = rde_rib_best(p)) == RDE_NIL)
		return 0;
	q = rde_path_at(best);
	src = rde_path_peer(q);
	a = rde_attr_get(q->attrs);
	if (!rde_export_allowed(g, src, a))
		return 0;
	local = (src->flags & RDE_PEER_LOCAL) != 0;
	rule = rde_filter_eval(g->key.policy, RDE_FDIR_EXPORT, p, a,
	    g->key.ebgp, !local, rde_export_local_pref(a, local, p->aid),
	    &accept);
	if (rule != NULL && !accept)
		return 0;
	if (rule == NULL && !rde_calico_export(p, !g->key.ebgp, &mask))
		return 0;
	if ((out = rde_export_attrs(g, a, src, p, rule, mask)) == RDE_NIL)
		return 0;
	return RDE_OUT(out, src->group == g ? src->slot : 0);
}
