/*
 * UPDATEs from a peer into the Adj-RIB-In: decoded by the codec, judged
 * by RFC 7606 (session reset, treat-as-withdraw, attribute discard, each
 * logged with the peer and the attribute), checked for loops (AS_PATH
 * with allow_local_as, ORIGINATOR_ID and CLUSTER_LIST per RFC 4456 8),
 * normalised (LOCAL_PREF for eBGP, attributes that must not cross an AS
 * boundary), interned once per message, filtered by the peer's import
 * BGPFilter rules per prefix, and limited by max-prefix (Cease/1).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

/* Decoding state kept out of the stack: struct bgp_update is large. */
static struct bgp_update	 upd;
static struct rde_abuild	 imp_ab;
static uint8_t			*imp_aspath;
static uint8_t			*imp_unknown;

/* Attribute bits kept in an interned set. */
#define RDE_ATTR_KEEP	(BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |		\
	BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |				\
	BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) |				\
	BGP_ATTR_BIT(BGP_ATTR_MED) |					\
	BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |				\
	BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE) |			\
	BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |				\
	BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) |				\
	BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |				\
	BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST) |				\
	BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES) |			\
	BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES))

/* Why a route is not accepted, for the log; NULL when it is. */
struct rde_imp {
	const char	*why;
	uint32_t	 a4;		/* for classic NLRI */
	uint32_t	 a6;		/* for MP_REACH_NLRI */
};

static void
rde_update_bufs(void)
{
	if (imp_aspath == NULL) {
		imp_aspath = xmalloc(BGP_ASPATH_BUFMAX);
		imp_unknown = xmalloc(BGP_MAXLEN_EXT);
	}
}

static int
rde_aspath_occurs(const uint8_t *p, size_t len, uint32_t as)
{
	struct bgp_aspath_iter	 it;
	uint32_t		 a;
	uint8_t			 seg;
	int			 n = 0;

	bgp_aspath_iter_init(&it, p, len, 1);
	while (bgp_aspath_next(&it, &a, &seg) == 1)
		if (a == as)
			n++;
	return n;
}

static int
rde_cluster_has(const uint8_t *p, size_t len, uint32_t id)
{
	size_t	 off;

	for (off = 0; off + 4 <= len; off += 4)
		if (((uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
		    (uint32_t)p[off + 2] << 8 | p[off + 3]) == id)
			return 1;
	return 0;
}

/* Loop checks: AS_PATH (RFC 4271 9.1.2), RFC 4456 8.  NULL if fine. */
static const char *
rde_import_loops(const struct rde_peer *peer, const struct rde_abuild *ab)
{
	uint32_t	 las = peer->conf.local_as ? peer->conf.local_as :
			    rde->conf.global.local_as;

	if (las != 0 && rde_aspath_occurs(ab->part[RDE_AP_ASPATH],
	    ab->len[RDE_AP_ASPATH], las) > peer->conf.allow_local_as)
		return "AS path loop";
	if (peer->sess.ebgp && peer->sess.enforce_first_as &&
	    ab->k.neighbor_as != peer->conf.peer_as)
		return "first AS is not the peer's";
	if (rde_peer_is_ebgp(peer))
		return NULL;
	if ((ab->k.present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID)) &&
	    ab->k.originator_id == rde_router_id())
		return "ORIGINATOR_ID is our router ID";
	if (rde_cluster_has(ab->part[RDE_AP_CLUSTER], ab->len[RDE_AP_CLUSTER],
	    rde_cluster_id()))
		return "CLUSTER_LIST loop";
	return NULL;
}

/* LOCAL_PREF and RR attributes by session type (RFC 4271 5.1.5). */
static void
rde_import_normalize(const struct rde_peer *peer, struct rde_abuild *ab)
{
	if (rde_peer_is_ebgp(peer)) {
		ab->k.local_pref = RDE_LOCAL_PREF_DEFAULT;
		rde_ab_drop(ab, BGP_ATTR_ORIGINATOR_ID);
		rde_ab_drop(ab, BGP_ATTR_CLUSTER_LIST);
	} else if (!(ab->k.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)))
		ab->k.local_pref = RDE_LOCAL_PREF_DEFAULT;
	ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
}

/* The message's attributes into the builder; -1 if unusable. */
static int
rde_import_build(const struct rde_peer *peer, const struct bgp_update *u,
    struct rde_abuild *ab)
{
	const struct bgp_attrs	*at = &u->attrs;
	int			 n;

	rde_ab_reset(ab);
	ab->k.present = at->present & RDE_ATTR_KEEP;
	ab->k.origin = at->origin;
	ab->k.med = at->med;
	ab->k.local_pref = at->local_pref;
	ab->k.aggregator_as = at->aggregator_as;
	ab->k.aggregator_id = at->aggregator_id;
	ab->k.originator_id = at->originator_id;
	if ((n = bgp_update_aspath(u, imp_aspath, BGP_ASPATH_BUFMAX)) < 0 ||
	    n > BGP_MAXLEN_EXT - 64)
		return -1;
	ab->part[RDE_AP_ASPATH] = imp_aspath;
	ab->len[RDE_AP_ASPATH] = (uint16_t)n;
	ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	ab->part[RDE_AP_COMM] = at->communities;
	ab->len[RDE_AP_COMM] = at->communities_len;
	ab->part[RDE_AP_EXT] = at->ext_communities;
	ab->len[RDE_AP_EXT] = at->ext_communities_len;
	ab->part[RDE_AP_LARGE] = at->large_communities;
	ab->len[RDE_AP_LARGE] = at->large_communities_len;
	ab->part[RDE_AP_CLUSTER] = at->cluster_list;
	ab->len[RDE_AP_CLUSTER] = at->cluster_list_len;
	if ((n = bgp_attrs_copy_unknown(u, imp_unknown, BGP_MAXLEN_EXT)) < 0)
		return -1;
	ab->part[RDE_AP_UNKNOWN] = imp_unknown;
	ab->len[RDE_AP_UNKNOWN] = (uint16_t)n;
	rde_import_normalize(peer, ab);
	/* Derived fields (first AS) for the loop checks. */
	ab->k.neighbor_as = bgp_aspath_first(imp_aspath, ab->len[RDE_AP_ASPATH],
	    1);
	return 0;
}

static int
rde_nexthop_ok(const struct bgpd_addr *nh, uint8_t aid)
{
	const struct imsg_global	*g = &rde->conf.global;

	if (nh->af != (aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET))
		return 0;
	if (nh->af == AF_INET && g->ipv4.af == AF_INET &&
	    memcmp(nh->bytes, g->ipv4.bytes, 4) == 0)
		return 0;
	if (nh->af == AF_INET6 && g->ipv6.af == AF_INET6 &&
	    memcmp(nh->bytes, g->ipv6.bytes, 16) == 0)
		return 0;
	return 1;
}

/* Intern the set with a given next hop; RDE_NIL with *why if refused. */
static uint32_t
rde_import_intern(struct rde_abuild *ab, const struct bgpd_addr *nh,
    const struct bgpd_addr *ll, uint8_t aid, const char **why)
{
	uint32_t	 id;

	if (!rde_nexthop_ok(nh, aid)) {
		*why = "next hop is ours or of the wrong family";
		return RDE_NIL;
	}
	ab->k.nexthop = *nh;
	memset(&ab->k.nexthop_ll, 0, sizeof(ab->k.nexthop_ll));
	if (ll != NULL && ll->af == AF_INET6)
		ab->k.nexthop_ll = *ll;
	if ((id = rde_attr_intern(ab)) == RDE_NIL)
		*why = "out of attribute ids";
	return id;
}

static void
rde_import_attrs(struct rde_peer *peer, const struct bgp_update *u,
    struct rde_imp *imp)
{
	struct rde_abuild	*ab = &imp_ab;

	memset(imp, 0, sizeof(*imp));
	if (rde_import_build(peer, u, ab) == -1) {
		imp->why = "AS path too long";
		return;
	}
	if ((imp->why = rde_import_loops(peer, ab)) != NULL)
		return;
	if (u->nlri_len > 0)
		imp->a4 = rde_import_intern(ab, &u->attrs.nexthop, NULL,
		    BGP_AID_IPV4, &imp->why);
	if (u->has_mp_reach && u->mp_reach_len > 0 && imp->why == NULL)
		imp->a6 = rde_import_intern(ab, &u->mp_nexthop,
		    &u->mp_nexthop_ll, u->mp_reach_aid, &imp->why);
}

/* Cease/1 with AFI, SAFI and the limit (RFC 4486 4). */
static void
rde_max_prefix(struct rde_peer *peer, uint8_t aid)
{
	uint8_t		 data[7];
	uint16_t	 afi;
	uint8_t		 safi;
	uint32_t	 max = peer->conf.max_prefix;

	bgp_aid_to(aid, &afi, &safi);
	data[0] = afi >> 8;
	data[1] = afi;
	data[2] = safi;
	data[3] = max >> 24;
	data[4] = max >> 16;
	data[5] = max >> 8;
	data[6] = max;
	log_warnx("peer %s: more than %u prefixes, closing the session "
	    "(Cease, maximum number of prefixes reached)", peer->conf.name,
	    max);
	peer->flags |= RDE_PEER_DEAD;
	if (rde->io.peer_notify != NULL)
		rde->io.peer_notify(peer, BGP_ERR_CEASE, BGP_CEASE_MAXPREFIX,
		    data, sizeof(data), rde->io.arg);
}

/*
 * Import policy for one prefix: the attribute id to store (with a
 * reference for the caller), or RDE_NIL when the route is rejected.
 */
static uint32_t
rde_import_policy(struct rde_peer *peer, uint32_t pi, uint32_t attrs)
{
	const struct rde_frule	*rule;
	const struct rde_attrs	*a = rde_attr_get(attrs);
	struct rde_prefix	*p = rde_prefix_at(pi);
	int			 accept = 1;
	int64_t			 lp = a->k.local_pref;

	rule = rde_filter_eval(peer->policy, RDE_FDIR_IMPORT, p, a,
	    rde_peer_is_ebgp(peer), 1, lp, &accept);
	if (rule == NULL || (accept && rule->r.nops == 0)) {
		rde_attr_ref(attrs);
		return attrs;
	}
	if (!accept)
		return RDE_NIL;
	rde_ab_from(&imp_ab, a);
	if (rde_frule_apply(rule, &imp_ab) == -1)
		return RDE_NIL;
	rde_ab_normalize(&imp_ab);
	return rde_attr_intern(&imp_ab);
}

static int
rde_policy_has_import(const struct rde_peer *peer, uint8_t aid)
{
	return peer->policy != NULL &&
	    peer->policy->nrules[RDE_FDIR_IMPORT][aid] > 0;
}

/* One announced prefix. */
static void
rde_import_prefix(struct rde_peer *peer, const struct bgp_prefix *bp,
    uint32_t attrs)
{
	uint32_t	 id, pi;

	rde->stats.prefixes_in++;
	if (rde_policy_has_import(peer, bp->aid)) {
		if ((pi = rde_prefix_get(bp->aid, bp->addr.bytes,
		    bp->plen)) == RDE_NIL)
			return;
		if ((id = rde_import_policy(peer, pi, attrs)) == RDE_NIL) {
			peer->filtered++;
			rde_peer_changed(peer);
			rde_rib_withdraw(bp->aid, bp->addr.bytes, bp->plen,
			    peer, bp->path_id);
			rde_prefix_gc(pi);
			return;
		}
	} else {
		id = attrs;
		rde_attr_ref(id);
	}
	rde_rib_update(bp->aid, bp->addr.bytes, bp->plen, peer, bp->path_id,
	    id);
	if (peer->conf.max_prefix != 0 &&
	    peer->prefixes_in > peer->conf.max_prefix &&
	    !(peer->flags & RDE_PEER_DEAD))
		rde_max_prefix(peer, bp->aid);
}

/*
 * A second iterator over a long section, RDE_HT_AHEAD prefixes ahead,
 * fetches the bucket each lookup will read: in a section of a thousand
 * withdrawals every lookup is otherwise a cache miss after the last.  A
 * short section (an UPDATE of a few prefixes) is not worth it.
 */
#define RDE_AHEAD_MIN_OCTETS	(8 * RDE_HT_AHEAD)

static void
rde_update_ahead(struct bgp_nlri_iter *ahead)
{
	struct bgp_prefix	 bp;

	if (bgp_nlri_next(ahead, &bp) == 1)
		rde_prefix_prefetch(bp.aid, bp.addr.bytes, bp.plen);
}

/* Walk one NLRI section: withdraw each prefix, or announce with attrs. */
static void
rde_update_section(struct rde_peer *peer, const struct bgp_update *u,
    enum bgp_nlri_sect sect, int withdraw, uint32_t attrs)
{
	struct bgp_nlri_iter	 it, ahead;
	struct bgp_prefix	 bp;
	int			 k, long_sect;

	if (bgp_update_iter(u, sect, &it) == -1)
		return;
	ahead = it;
	long_sect = it.end - it.p >= RDE_AHEAD_MIN_OCTETS;
	for (k = 0; long_sect && k < RDE_HT_AHEAD; k++)
		rde_update_ahead(&ahead);
	while (bgp_nlri_next(&it, &bp) == 1 &&
	    !(peer->flags & RDE_PEER_DEAD)) {
		if (long_sect)
			rde_update_ahead(&ahead);
		/* A family the session did not negotiate is ignored. */
		if (!peer->sess.af[bp.aid])
			continue;
		if (withdraw || attrs == RDE_NIL) {
			rde->stats.withdraws_in++;
			rde_rib_withdraw(bp.aid, bp.addr.bytes, bp.plen, peer,
			    bp.path_id);
			if (!withdraw)
				peer->filtered++;
		} else
			rde_import_prefix(peer, &bp, attrs);
	}
}

static void
rde_update_withdraw_all(struct rde_peer *peer, const struct bgp_update *u)
{
	rde_update_section(peer, u, BGP_SECT_WITHDRAWN, 1, RDE_NIL);
	rde_update_section(peer, u, BGP_SECT_MP_UNREACH, 1, RDE_NIL);
	rde_update_section(peer, u, BGP_SECT_NLRI, 1, RDE_NIL);
	rde_update_section(peer, u, BGP_SECT_MP_REACH, 1, RDE_NIL);
}

static void
rde_update_log_discard(const struct rde_peer *peer, const struct bgp_update *u)
{
	char	 names[256];
	size_t	 len = 0;
	int	 t;

	names[0] = '\0';
	for (t = 1; t < 256; t++)
		if (bgp_is_discarded(u, t) && len < sizeof(names) - 1)
			len += snprintf(names + len, sizeof(names) - len,
			    "%s%s", len ? ", " : "", bgp_attr_name(t));
	log_warnx("peer %s: UPDATE attributes discarded (RFC 7606): %s: %s",
	    peer->conf.name, names, u->err.reason);
}

/* The RFC 7606 verdict; returns 1 if the UPDATE is to be used. */
static int
rde_update_verdict(struct rde_peer *peer, const struct bgp_update *u)
{
	switch (u->verdict) {
	case BGP_UPD_OK:
		return 1;
	case BGP_UPD_ATTR_DISCARD:
		rde_update_log_discard(peer, u);
		return 1;
	case BGP_UPD_WITHDRAW:
		log_warnx("peer %s: UPDATE treated as withdraw (RFC 7606): %s",
		    peer->conf.name, u->err.reason);
		peer->withdrawn_7606++;
		rde_peer_changed(peer);
		rde_update_withdraw_all(peer, u);
		return 0;
	default:
		log_warnx("peer %s: %s; resetting the session (RFC 7606)",
		    peer->conf.name, u->err.reason);
		peer->flags |= RDE_PEER_DEAD;
		if (rde->io.peer_notify != NULL)
			rde->io.peer_notify(peer, u->err.code, u->err.subcode,
			    u->err.data, u->err.datalen, rde->io.arg);
		return 0;
	}
}

static void
rde_update_one(struct rde_peer *peer, const uint8_t *msg, size_t len)
{
	struct bgp_update	*u = &upd;
	struct rde_imp		 imp;

	rde->stats.updates_in++;
	bgp_update_decode(msg, len, &peer->sess, u);
	if (!rde_update_verdict(peer, u))
		return;
	if (u->eor) {
		rde_peer_eor(peer, u->eor_aid);
		return;
	}
	rde_update_section(peer, u, BGP_SECT_WITHDRAWN, 1, RDE_NIL);
	rde_update_section(peer, u, BGP_SECT_MP_UNREACH, 1, RDE_NIL);
	if (u->nlri_len == 0 && !(u->has_mp_reach && u->mp_reach_len > 0))
		return;
	rde_import_attrs(peer, u, &imp);
	if (imp.why != NULL)
		log_debug("peer %s: UPDATE routes not accepted: %s",
		    peer->conf.name, imp.why);
	rde_update_section(peer, u, BGP_SECT_NLRI, 0, imp.a4);
	rde_update_section(peer, u, BGP_SECT_MP_REACH, 0, imp.a6);
	if (imp.a4 != RDE_NIL)
		rde_attr_unref(imp.a4);
	if (imp.a6 != RDE_NIL)
		rde_attr_unref(imp.a6);
}

/*
 * An IMSG_UPDATE payload: complete BGP messages back to back, framed by
 * sessiond.  -1 if the framing is broken (a bug on the pipe).
 */
int
rde_update_input(struct rde_peer *peer, const uint8_t *buf, size_t len)
{
	size_t		 off = 0, mlen;

	rde_update_bufs();
	while (off < len) {
		if (len - off < BGP_HDR_LEN)
			return -1;
		mlen = (size_t)buf[off + 16] << 8 | buf[off + 17];
		if (mlen < BGP_HDR_LEN || mlen > len - off)
			return -1;
		if (!(peer->flags & RDE_PEER_UP) ||
		    (peer->flags & RDE_PEER_DEAD))
			return 0;
		if (buf[off + 18] == BGP_MSG_UPDATE)
			rde_update_one(peer, buf + off, mlen);
		off += mlen;
	}
	return 0;
}

/* IMSG_REFRESH from sessiond: a struct bgp_rrefresh. */
int
rde_refresh_input(struct rde_peer *peer, const uint8_t *buf, size_t len)
{
	struct bgp_rrefresh	 rr;

	if (len != sizeof(rr))
		return -1;
	memcpy(&rr, buf, sizeof(rr));
	if (!(peer->flags & RDE_PEER_UP) || !rr.known ||
	    rr.aid >= BGP_AID_MAX)
		return 0;
	switch (rr.subtype) {
	case BGP_RR_NORMAL:
		rde_peer_refresh(peer, rr.aid, peer->sess.enhanced_rr);
		break;
	case BGP_RR_BORR:
		if (peer->sess.enhanced_rr)
			rde_rib_mark_stale(peer, 1 << rr.aid);
		break;
	case BGP_RR_EORR:
		if (peer->sess.enhanced_rr)
			rde_rib_sweep_stale(peer, 1 << rr.aid);
		break;
	}
	return 0;
}
