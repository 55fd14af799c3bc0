/*
 * UPDATE decoding (RFC 4271 4.3, RFC 4760, RFC 6793, RFC 7911) with the
 * revised error handling of RFC 7606: every problem maps to one of
 * attribute discard, treat-as-withdraw or session reset, and the UPDATE
 * keeps the strongest.  Prefixes are checked once here and then read in
 * place by the NLRI iterators.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

/* State of one decode, beyond what struct bgp_update reports. */
struct bgp_upd_ctx {
	struct bgp_update	*u;
	const struct bgp_sess	*s;
	uint8_t			 seen[32];
	unsigned int		 nattrs;
	uint32_t		 as4agg_as;
	uint32_t		 as4agg_id;
	uint8_t			 has_as4agg;
};

struct bgp_attr_rule;
typedef int	(*bgp_attr_fn)(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);

/*
 * What tortie knows of an attribute: the Optional and Transitive bits it
 * must carry, what RFC 7606 does when it is malformed, and its parser.
 */
struct bgp_attr_rule {
	uint8_t			 type;
	uint8_t			 flags;
	enum bgp_verdict	 action;
	bgp_attr_fn		 parse;
};

static int	bgp_attr_origin(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_aspath(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_nexthop(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_u32(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_localpref(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_atomic(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_aggregator(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_list(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_mp_reach(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_mp_unreach(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_as4path(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static int	bgp_attr_as4agg(struct bgp_upd_ctx *,
		    const struct bgp_attr_rule *, const struct bgp_attr *);
static void	bgp_upd_verdict(struct bgp_update *, enum bgp_verdict,
		    const char *, ...) __attribute__((__format__(printf, 3, 4)));

#define WK	BGP_ATTRF_WELLKNOWN
#define OPT	BGP_ATTRF_OPTIONAL
#define OPTT	BGP_ATTRF_OPT_TRANS

/* RFC 7606 7 gives the action per attribute; RFC 6793 6 for AS4_*. */
static const struct bgp_attr_rule bgp_attr_rules[] = {
	{ BGP_ATTR_ORIGIN, WK, BGP_UPD_WITHDRAW, bgp_attr_origin },
	{ BGP_ATTR_AS_PATH, WK, BGP_UPD_WITHDRAW, bgp_attr_aspath },
	{ BGP_ATTR_NEXT_HOP, WK, BGP_UPD_WITHDRAW, bgp_attr_nexthop },
	{ BGP_ATTR_MED, OPT, BGP_UPD_WITHDRAW, bgp_attr_u32 },
	{ BGP_ATTR_LOCAL_PREF, WK, BGP_UPD_WITHDRAW, bgp_attr_localpref },
	{ BGP_ATTR_ATOMIC_AGGREGATE, WK, BGP_UPD_ATTR_DISCARD,
	    bgp_attr_atomic },
	{ BGP_ATTR_AGGREGATOR, OPTT, BGP_UPD_ATTR_DISCARD,
	    bgp_attr_aggregator },
	{ BGP_ATTR_COMMUNITIES, OPTT, BGP_UPD_WITHDRAW, bgp_attr_list },
	{ BGP_ATTR_ORIGINATOR_ID, OPT, BGP_UPD_WITHDRAW, bgp_attr_u32 },
	{ BGP_ATTR_CLUSTER_LIST, OPT, BGP_UPD_WITHDRAW, bgp_attr_list },
	{ BGP_ATTR_MP_REACH_NLRI, OPT, BGP_UPD_RESET, bgp_attr_mp_reach },
	{ BGP_ATTR_MP_UNREACH_NLRI, OPT, BGP_UPD_RESET, bgp_attr_mp_unreach },
	{ BGP_ATTR_EXT_COMMUNITIES, OPTT, BGP_UPD_WITHDRAW, bgp_attr_list },
	{ BGP_ATTR_AS4_PATH, OPTT, BGP_UPD_ATTR_DISCARD, bgp_attr_as4path },
	{ BGP_ATTR_AS4_AGGREGATOR, OPTT, BGP_UPD_ATTR_DISCARD,
	    bgp_attr_as4agg },
	{ BGP_ATTR_LARGE_COMMUNITIES, OPTT, BGP_UPD_WITHDRAW, bgp_attr_list },
};

#undef WK
#undef OPT
#undef OPTT

static const struct bgp_attr_rule *
bgp_attr_rule_find(uint8_t type)
{
	size_t	 i;

	for (i = 0; i < sizeof(bgp_attr_rules) / sizeof(bgp_attr_rules[0]);
	    i++)
		if (bgp_attr_rules[i].type == type)
			return &bgp_attr_rules[i];
	return NULL;
}

/*
 * Raise the verdict to v.  The reason of the strongest verdict is kept,
 * the first one found among equals.
 */
static void
bgp_upd_verdict(struct bgp_update *u, enum bgp_verdict v, const char *fmt,
    ...)
{
	va_list	 ap;

	if (v <= u->verdict && u->err.reason[0] != '\0')
		return;
	if (v < u->verdict)
		return;
	u->verdict = v;
	va_start(ap, fmt);
	vsnprintf(u->err.reason, sizeof(u->err.reason), fmt, ap);
	va_end(ap);
}

/* Session reset with a NOTIFICATION; the first reset found wins. */
static void
bgp_upd_reset(struct bgp_update *u, uint8_t sub, const uint8_t *data,
    size_t datalen, const char *what)
{
	if (u->verdict == BGP_UPD_RESET)
		return;
	bgp_err_set(&u->err, BGP_ERR_UPDATE, sub, data, datalen, "%s", what);
	u->verdict = BGP_UPD_RESET;
}

static void
bgp_upd_discard(struct bgp_update *u, uint8_t type)
{
	u->discarded[type / 8] |= (uint8_t)(1 << (type % 8));
	u->attrs.present &= ~(type < 64 ? BGP_ATTR_BIT(type) : 0);
}

int
bgp_is_discarded(const struct bgp_update *u, uint8_t type)
{
	return (u->discarded[type / 8] >> (type % 8)) & 1;
}

/*
 * An attribute is malformed: apply its RFC 7606 action.  A reset sends
 * the attribute itself as NOTIFICATION data (RFC 4271 6.3).
 */
static int
bgp_attr_bad(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a, enum bgp_verdict action, uint8_t sub,
    const char *why)
{
	char	 msg[BGP_REASON_MAX];

	snprintf(msg, sizeof(msg), "UPDATE: %s: %s", bgp_attr_name(a->type),
	    why);
	(void)r;
	switch (action) {
	case BGP_UPD_RESET:
		bgp_upd_reset(c->u, sub, a->value - a->hdrlen,
		    (size_t)a->hdrlen + a->len, msg);
		break;
	case BGP_UPD_ATTR_DISCARD:
		bgp_upd_discard(c->u, a->type);
		bgp_upd_verdict(c->u, action, "%s", msg);
		break;
	default:
		bgp_upd_verdict(c->u, action, "%s", msg);
		break;
	}
	return -1;
}

static int
bgp_attr_badlen(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	char	 why[64];

	snprintf(why, sizeof(why), "bad length %u", a->len);
	return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ATTRLEN, why);
}

static void
bgp_attr_set(struct bgp_upd_ctx *c, uint8_t type)
{
	c->u->attrs.present |= BGP_ATTR_BIT(type);
}

static int
bgp_attr_origin(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	if (a->len != 1)
		return bgp_attr_badlen(c, r, a);
	if (a->value[0] > BGP_ORIGIN_INCOMPLETE)
		return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ORIGIN,
		    "undefined value");
	c->u->attrs.origin = a->value[0];
	bgp_attr_set(c, a->type);
	return 0;
}

/* eBGP peers must not send confederation segments (RFC 5065 5.3). */
static int
bgp_aspath_has_confed(const uint8_t *p, size_t len, int as4)
{
	size_t	 asz = as4 ? 4 : 2, off;

	for (off = 0; off + 2 <= len; off += 2 + p[off + 1] * asz)
		if (p[off] == BGP_AS_CONFED_SEQUENCE ||
		    p[off] == BGP_AS_CONFED_SET)
			return 1;
	return 0;
}

static int
bgp_attr_aspath(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	const struct bgp_sess	*s = c->s;
	char			 why[64];

	if (bgp_aspath_check(a->value, a->len, s->as4) == -1)
		return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ASPATH,
		    "malformed segments");
	if (s->ebgp && bgp_aspath_has_confed(a->value, a->len, s->as4))
		return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ASPATH,
		    "confederation segment from an external peer");
	if (s->ebgp && s->enforce_first_as &&
	    bgp_aspath_first(a->value, a->len, s->as4) != s->peer_as) {
		snprintf(why, sizeof(why), "first AS is not the peer's (%u)",
		    s->peer_as);
		return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ASPATH, why);
	}
	c->u->attrs.aspath = a->value;
	c->u->attrs.aspath_len = a->len;
	c->u->attrs.aspath_as4 = s->as4;
	bgp_attr_set(c, a->type);
	return 0;
}

/* Addresses that can never be a next hop (RFC 4271 6.3, RFC 7606 7.3). */
static int
bgp_nexthop_bad(const struct bgpd_addr *nh)
{
	static const uint8_t	 zero[16];

	if (nh->af == AF_INET)
		return nh->bytes[0] == 0 || nh->bytes[0] >= 224;
	return memcmp(nh->bytes, zero, 16) == 0 || nh->bytes[0] == 0xff;
}

static int
bgp_attr_nexthop(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	struct bgpd_addr	*nh = &c->u->attrs.nexthop;

	/*
	 * RFC 7606 5.2: without classic NLRI the attribute is ignored,
	 * malformed or not.
	 */
	if (c->u->nlri_len == 0)
		return 0;
	if (a->len != 4)
		return bgp_attr_badlen(c, r, a);
	memset(nh, 0, sizeof(*nh));
	nh->af = AF_INET;
	memcpy(nh->bytes, a->value, 4);
	if (bgp_nexthop_bad(nh))
		return bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_NEXTHOP,
		    "not a unicast address");
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_u32(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	if (a->len != 4)
		return bgp_attr_badlen(c, r, a);
	if (a->type == BGP_ATTR_MED)
		c->u->attrs.med = bgp_get32(a->value);
	else
		c->u->attrs.originator_id = bgp_get32(a->value);
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_localpref(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	if (c->s->ebgp)
		return bgp_attr_bad(c, r, a, BGP_UPD_ATTR_DISCARD, 0,
		    "from an external peer");
	if (a->len != 4)
		return bgp_attr_badlen(c, r, a);
	c->u->attrs.local_pref = bgp_get32(a->value);
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_atomic(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	if (a->len != 0)
		return bgp_attr_badlen(c, r, a);
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_aggregator(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	size_t	 asz = c->s->as4 ? 4 : 2;

	if (a->len != asz + 4)
		return bgp_attr_badlen(c, r, a);
	c->u->attrs.aggregator_as = c->s->as4 ? bgp_get32(a->value) :
	    bgp_get16(a->value);
	c->u->attrs.aggregator_id = bgp_get32(a->value + asz);
	bgp_attr_set(c, a->type);
	return 0;
}

/* COMMUNITIES, EXT_COMMUNITIES, LARGE_COMMUNITY, CLUSTER_LIST. */
static int
bgp_attr_list(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	struct bgp_attrs	*at = &c->u->attrs;
	size_t			 unit;

	switch (a->type) {
	case BGP_ATTR_EXT_COMMUNITIES:
		unit = 8;
		break;
	case BGP_ATTR_LARGE_COMMUNITIES:
		unit = 12;
		break;
	default:
		unit = 4;
		break;
	}
	/* RFC 7606 7.8, 7.10, 7.14; RFC 8092 6: a non-zero multiple. */
	if (a->len == 0 || a->len % unit != 0)
		return bgp_attr_badlen(c, r, a);
	switch (a->type) {
	case BGP_ATTR_COMMUNITIES:
		at->communities = a->value;
		at->communities_len = a->len;
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
		at->ext_communities = a->value;
		at->ext_communities_len = a->len;
		break;
	case BGP_ATTR_LARGE_COMMUNITIES:
		at->large_communities = a->value;
		at->large_communities_len = a->len;
		break;
	default:
		at->cluster_list = a->value;
		at->cluster_list_len = a->len;
		break;
	}
	bgp_attr_set(c, a->type);
	return 0;
}

/* Check one field of prefixes; on error why says what is wrong. */
static int
bgp_nlri_check(const uint8_t *p, size_t len, uint8_t aid, int addpath,
    char *why, size_t whylen)
{
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 pfx;
	int			 r;
	size_t			 n = 0;

	bgp_nlri_iter_init(&it, p, len, aid, addpath);
	while ((r = bgp_nlri_next(&it, &pfx)) == 1)
		n++;
	if (r == -1)
		snprintf(why, whylen, "prefix %zu of %s is malformed%s", n + 1,
		    bgp_aid_name(aid), addpath ? " (with path ids)" : "");
	return r;
}

/* Decode the next hop of MP_REACH_NLRI; -1 if its length is wrong. */
static int
bgp_mp_nexthop(struct bgp_update *u, uint8_t aid, const uint8_t *p,
    size_t nhlen)
{
	memset(&u->mp_nexthop, 0, sizeof(u->mp_nexthop));
	memset(&u->mp_nexthop_ll, 0, sizeof(u->mp_nexthop_ll));
	if (aid == BGP_AID_IPV4) {
		if (nhlen != 4)
			return -1;
		u->mp_nexthop.af = AF_INET;
		memcpy(u->mp_nexthop.bytes, p, 4);
		return 0;
	}
	if (nhlen != 16 && nhlen != 32)
		return -1;
	u->mp_nexthop.af = AF_INET6;
	memcpy(u->mp_nexthop.bytes, p, 16);
	if (nhlen == 32) {
		u->mp_nexthop_ll.af = AF_INET6;
		memcpy(u->mp_nexthop_ll.bytes, p + 16, 16);
	}
	return 0;
}

/* The family of an MP attribute, or -1 (and a discard) if not ours. */
static int
bgp_mp_family(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	int	 aid;
	char	 why[64];

	aid = bgp_aid_from(bgp_get16(a->value), a->value[2]);
	if (aid != -1 && c->s->af[aid])
		return aid;
	/*
	 * A family that was not negotiated cannot be parsed or used; its
	 * routes are ignored rather than the session reset (RFC 4760 7).
	 */
	snprintf(why, sizeof(why), "AFI %u SAFI %u not negotiated, ignored",
	    bgp_get16(a->value), a->value[2]);
	return bgp_attr_bad(c, r, a, BGP_UPD_ATTR_DISCARD, 0, why);
}

static int
bgp_attr_mp_reach(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	struct bgp_update	*u = c->u;
	char			 why[96];
	size_t			 nhlen;
	int			 aid;

	if (a->len < 5)
		return bgp_attr_badlen(c, r, a);
	if ((aid = bgp_mp_family(c, r, a)) == -1)
		return -1;
	nhlen = a->value[3];
	/* RFC 7606 7.11: a bad next hop length hides the NLRI: reset. */
	if (4 + nhlen + 1 > a->len ||
	    bgp_mp_nexthop(u, (uint8_t)aid, a->value + 4, nhlen) == -1) {
		snprintf(why, sizeof(why), "bad next hop length %zu for %s",
		    nhlen, bgp_aid_name((uint8_t)aid));
		return bgp_attr_bad(c, r, a, BGP_UPD_RESET,
		    BGP_ERRUPD_OPTATTR, why);
	}
	u->mp_reach_aid = (uint8_t)aid;
	u->addpath_reach = c->s->addpath_rx[aid];
	u->mp_reach = a->value + 5 + nhlen;
	u->mp_reach_len = (uint16_t)(a->len - 5 - nhlen);
	if (bgp_nlri_check(u->mp_reach, u->mp_reach_len, (uint8_t)aid,
	    u->addpath_reach, why, sizeof(why)) == -1)
		return bgp_attr_bad(c, r, a, BGP_UPD_RESET,
		    BGP_ERRUPD_OPTATTR, why);
	u->has_mp_reach = 1;
	bgp_attr_set(c, a->type);
	if (bgp_nexthop_bad(&u->mp_nexthop))
		return bgp_attr_bad(c, r, a, BGP_UPD_WITHDRAW, 0,
		    "next hop is not a unicast address");
	return 0;
}

static int
bgp_attr_mp_unreach(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	struct bgp_update	*u = c->u;
	char			 why[96];
	int			 aid;

	if (a->len < 3)
		return bgp_attr_badlen(c, r, a);
	if ((aid = bgp_mp_family(c, r, a)) == -1)
		return -1;
	u->mp_unreach_aid = (uint8_t)aid;
	u->addpath_unreach = c->s->addpath_rx[aid];
	u->mp_unreach = a->value + 3;
	u->mp_unreach_len = (uint16_t)(a->len - 3);
	if (bgp_nlri_check(u->mp_unreach, u->mp_unreach_len, (uint8_t)aid,
	    u->addpath_unreach, why, sizeof(why)) == -1)
		return bgp_attr_bad(c, r, a, BGP_UPD_RESET,
		    BGP_ERRUPD_OPTATTR, why);
	u->has_mp_unreach = 1;
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_as4path(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	/* RFC 6793 4.1: a 4-octet speaker never sends it; drop it. */
	if (c->s->as4)
		return bgp_attr_bad(c, r, a, r->action, 0,
		    "received on a 4-octet AS session");
	if (bgp_aspath_check(a->value, a->len, 1) == -1)
		return bgp_attr_bad(c, r, a, r->action, 0,
		    "malformed segments");
	if (bgp_aspath_has_confed(a->value, a->len, 1))
		return bgp_attr_bad(c, r, a, r->action, 0,
		    "confederation segment");
	c->u->attrs.as4path = a->value;
	c->u->attrs.as4path_len = a->len;
	bgp_attr_set(c, a->type);
	return 0;
}

static int
bgp_attr_as4agg(struct bgp_upd_ctx *c, const struct bgp_attr_rule *r,
    const struct bgp_attr *a)
{
	if (c->s->as4)
		return bgp_attr_bad(c, r, a, r->action, 0,
		    "received on a 4-octet AS session");
	if (a->len != 8)
		return bgp_attr_badlen(c, r, a);
	c->as4agg_as = bgp_get32(a->value);
	c->as4agg_id = bgp_get32(a->value + 4);
	c->has_as4agg = 1;
	bgp_attr_set(c, a->type);
	return 0;
}

void
bgp_attr_walk_init(struct bgp_attr_walk *w, const uint8_t *p, size_t len)
{
	w->p = p;
	w->end = p + len;
}

int
bgp_attr_next(struct bgp_attr_walk *w, struct bgp_attr *a)
{
	size_t	 left = (size_t)(w->end - w->p);

	if (left == 0)
		return 0;
	memset(a, 0, sizeof(*a));
	if (left < 2)
		return -1;
	a->flags = w->p[0];
	a->type = w->p[1];
	a->hdrlen = (a->flags & BGP_ATTRF_EXTLEN) ? 4 : 3;
	if (left < a->hdrlen)
		return -1;
	a->len = a->hdrlen == 4 ? bgp_get16(w->p + 2) : w->p[2];
	if (a->len > left - a->hdrlen)
		return -1;
	a->value = w->p + a->hdrlen;
	w->p += a->hdrlen + a->len;
	return 1;
}

/*
 * RFC 7606 4: an attribute that overruns the field.  The NLRI can still
 * be found from the field lengths, so treat-as-withdraw, except when the
 * broken attribute is an MP one: its routes cannot be found (7.11).
 */
static void
bgp_attrs_overrun(struct bgp_upd_ctx *c, const struct bgp_attr *a,
    size_t left)
{
	char	 msg[BGP_REASON_MAX];

	if (left < 2)
		snprintf(msg, sizeof(msg), "UPDATE: truncated attribute header "
		    "(%zu octets left)", left);
	else
		snprintf(msg, sizeof(msg), "UPDATE: %s (type %u) overruns the "
		    "path attributes (%zu octets left)",
		    bgp_attr_name(a->type), a->type, left);
	if (left >= 2 && (a->type == BGP_ATTR_MP_REACH_NLRI ||
	    a->type == BGP_ATTR_MP_UNREACH_NLRI))
		bgp_upd_reset(c->u, BGP_ERRUPD_ATTRLEN, NULL, 0, msg);
	else
		bgp_upd_verdict(c->u, BGP_UPD_WITHDRAW, "%s", msg);
}

/* A duplicate: MP ones reset, others are dropped (RFC 7606 3 g). */
static int
bgp_attr_dup(struct bgp_upd_ctx *c, const struct bgp_attr *a)
{
	char	 msg[BGP_REASON_MAX];

	if (!((c->seen[a->type / 8] >> (a->type % 8)) & 1)) {
		c->seen[a->type / 8] |= (uint8_t)(1 << (a->type % 8));
		return 0;
	}
	snprintf(msg, sizeof(msg), "UPDATE: %s (type %u) appears twice",
	    bgp_attr_name(a->type), a->type);
	if (a->type == BGP_ATTR_MP_REACH_NLRI ||
	    a->type == BGP_ATTR_MP_UNREACH_NLRI)
		bgp_upd_reset(c->u, BGP_ERRUPD_ATTRLIST, NULL, 0, msg);
	else
		bgp_upd_verdict(c->u, BGP_UPD_ATTR_DISCARD, "%s, ignored", msg);
	return 1;
}

static void
bgp_attr_one(struct bgp_upd_ctx *c, const struct bgp_attr *a)
{
	const struct bgp_attr_rule	*r;
	char				 why[64];

	if (bgp_attr_dup(c, a))
		return;
	if ((r = bgp_attr_rule_find(a->type)) == NULL) {
		/* Unknown optional ones are kept or dropped by the caller. */
		if (a->flags & BGP_ATTRF_OPTIONAL)
			return;
		snprintf(why, sizeof(why), "UPDATE: unrecognized well-known "
		    "attribute %u", a->type);
		bgp_upd_reset(c->u, BGP_ERRUPD_UNKNWN_WK, a->value - a->hdrlen,
		    (size_t)a->hdrlen + a->len, why);
		return;
	}
	/* LOCAL_PREF from eBGP is dropped whatever its flags. */
	if ((a->flags & BGP_ATTRF_OPT_TRANS) != r->flags &&
	    !(a->type == BGP_ATTR_LOCAL_PREF && c->s->ebgp)) {
		snprintf(why, sizeof(why), "bad flags 0x%02x", a->flags);
		(void)bgp_attr_bad(c, r, a, r->action, BGP_ERRUPD_ATTRFLAGS,
		    why);
		return;
	}
	(void)r->parse(c, r, a);
}

static void
bgp_attrs_parse(struct bgp_upd_ctx *c)
{
	struct bgp_update	*u = c->u;
	struct bgp_attr_walk	 w;
	struct bgp_attr		 a;
	int			 r;

	bgp_attr_walk_init(&w, u->attrs_raw, u->attrs_len);
	while (u->verdict != BGP_UPD_RESET &&
	    (r = bgp_attr_next(&w, &a)) != 0) {
		if (r == -1) {
			bgp_attrs_overrun(c, &a, (size_t)(w.end - w.p));
			break;
		}
		c->nattrs++;
		bgp_attr_one(c, &a);
	}
}

static int
bgp_has(const struct bgp_update *u, uint8_t type)
{
	return (u->attrs.present & BGP_ATTR_BIT(type)) != 0;
}

/* RFC 7606 3 d: missing mandatory attributes mean treat-as-withdraw. */
static void
bgp_attrs_mandatory(struct bgp_upd_ctx *c)
{
	struct bgp_update	*u = c->u;
	static const uint8_t	 need[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
				    BGP_ATTR_NEXT_HOP };
	size_t			 i, n;

	if (u->nlri_len > 0)
		n = 3;
	else if (u->has_mp_reach && u->mp_reach_len > 0)
		n = 2;
	else
		return;
	for (i = 0; i < n; i++)
		if (!bgp_has(u, need[i]) && !bgp_is_discarded(u, need[i]) &&
		    !((c->seen[need[i] / 8] >> (need[i] % 8)) & 1))
			bgp_upd_verdict(u, BGP_UPD_WITHDRAW,
			    "UPDATE: missing well-known attribute %s",
			    bgp_attr_name(need[i]));
}

/*
 * RFC 6793 4.2.3 for 2-octet sessions: AS4_AGGREGATOR replaces an
 * AGGREGATOR of AS_TRANS; an AGGREGATOR of a real AS means the AS4_*
 * attributes are stale and both are ignored.
 */
static void
bgp_attrs_as4(struct bgp_upd_ctx *c)
{
	struct bgp_attrs	*at = &c->u->attrs;

	if (c->s->as4)
		return;
	if ((at->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR)) &&
	    at->aggregator_as != BGP_AS_TRANS) {
		c->has_as4agg = 0;
		at->as4path = NULL;
		at->as4path_len = 0;
		at->present &= ~(BGP_ATTR_BIT(BGP_ATTR_AS4_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR));
	}
	if (!c->has_as4agg)
		return;
	if (at->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR)) {
		at->aggregator_as = c->as4agg_as;
		at->aggregator_id = c->as4agg_id;
	} else
		at->present &= ~BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR);
}

/* RFC 4724 2: an empty UPDATE, or one holding only an empty unreach. */
static void
bgp_update_eor(struct bgp_upd_ctx *c)
{
	struct bgp_update	*u = c->u;

	if (u->verdict != BGP_UPD_OK || u->withdrawn_len != 0 ||
	    u->nlri_len != 0)
		return;
	if (u->attrs_len == 0) {
		u->eor = 1;
		u->eor_aid = BGP_AID_IPV4;
	} else if (c->nattrs == 1 && u->has_mp_unreach &&
	    u->mp_unreach_len == 0) {
		u->eor = 1;
		u->eor_aid = u->mp_unreach_aid;
	}
}

/* Split the body into its three fields (RFC 4271 6.3 first checks). */
static int
bgp_update_fields(struct bgp_update *u, const uint8_t *b, size_t blen)
{
	size_t	 wl, al;

	wl = bgp_get16(b);
	if (2 + wl + 2 > blen) {
		bgp_upd_reset(u, BGP_ERRUPD_ATTRLIST, NULL, 0,
		    "UPDATE: withdrawn routes length exceeds the message");
		return -1;
	}
	al = bgp_get16(b + 2 + wl);
	if (4 + wl + al > blen) {
		bgp_upd_reset(u, BGP_ERRUPD_ATTRLIST, NULL, 0,
		    "UPDATE: path attribute length exceeds the message");
		return -1;
	}
	u->withdrawn = b + 2;
	u->withdrawn_len = (uint16_t)wl;
	u->attrs_raw = b + 4 + wl;
	u->attrs_len = (uint16_t)al;
	u->nlri = b + 4 + wl + al;
	u->nlri_len = (uint16_t)(blen - 4 - wl - al);
	return 0;
}

/* RFC 7606 5.3: unparseable classic NLRI fields reset the session. */
static int
bgp_update_classic(struct bgp_update *u)
{
	char	 why[96], msg[BGP_REASON_MAX];

	if (bgp_nlri_check(u->withdrawn, u->withdrawn_len, BGP_AID_IPV4,
	    u->addpath_v4, why, sizeof(why)) == -1) {
		snprintf(msg, sizeof(msg), "UPDATE: withdrawn routes: %s", why);
		bgp_upd_reset(u, BGP_ERRUPD_NETWORK, NULL, 0, msg);
		return -1;
	}
	if (bgp_nlri_check(u->nlri, u->nlri_len, BGP_AID_IPV4, u->addpath_v4,
	    why, sizeof(why)) == -1) {
		snprintf(msg, sizeof(msg), "UPDATE: NLRI: %s", why);
		bgp_upd_reset(u, BGP_ERRUPD_NETWORK, NULL, 0, msg);
		return -1;
	}
	return 0;
}

/*
 * Classic fields on a session without IPv4 unicast: the prefixes cannot be
 * used, and like an MP attribute of a family not negotiated they are
 * ignored rather than the session reset.
 */
static void
bgp_update_no_ipv4(struct bgp_update *u, const struct bgp_sess *s)
{
	if (s->af[BGP_AID_IPV4] || (u->withdrawn_len == 0 && u->nlri_len == 0))
		return;
	bgp_upd_verdict(u, BGP_UPD_ATTR_DISCARD, "UPDATE: IPv4 unicast not "
	    "negotiated, %u octets of prefixes ignored",
	    u->withdrawn_len + u->nlri_len);
	u->withdrawn_len = 0;
	u->nlri_len = 0;
}

enum bgp_verdict
bgp_update_decode(const uint8_t *msg, size_t len, const struct bgp_sess *s,
    struct bgp_update *u)
{
	struct bgp_upd_ctx	 c;

	memset(u, 0, offsetof(struct bgp_update, err));
	bgp_err_clear(&u->err);
	memset((uint8_t *)u + offsetof(struct bgp_update, discarded), 0,
	    sizeof(*u) - offsetof(struct bgp_update, discarded));
	memset(&c, 0, sizeof(c));
	c.u = u;
	c.s = s;
	if (bgp_msg_check(msg, len, BGP_MSG_UPDATE, &u->err) == -1) {
		u->verdict = BGP_UPD_RESET;
		return u->verdict;
	}
	u->addpath_v4 = s->addpath_rx[BGP_AID_IPV4];
	if (bgp_update_fields(u, msg + BGP_HDR_LEN, len - BGP_HDR_LEN) == -1 ||
	    bgp_update_classic(u) == -1)
		return u->verdict;
	bgp_update_no_ipv4(u, s);
	bgp_attrs_parse(&c);
	if (u->verdict == BGP_UPD_RESET)
		return u->verdict;
	bgp_attrs_as4(&c);
	bgp_attrs_mandatory(&c);
	bgp_update_eor(&c);
	return u->verdict;
}

void
bgp_nlri_iter_init(struct bgp_nlri_iter *it, const uint8_t *p, size_t len,
    uint8_t aid, int addpath)
{
	it->p = p;
	it->end = p + len;
	it->aid = aid;
	it->addpath = addpath ? 1 : 0;
}

int
bgp_nlri_next(struct bgp_nlri_iter *it, struct bgp_prefix *pfx)
{
	const uint8_t	*p = it->p;
	size_t		 nb;
	unsigned int	 max = it->aid == BGP_AID_IPV6 ? 128 : 32;

	if (p == it->end)
		return 0;
	pfx->path_id = 0;
	if (it->addpath) {
		if (it->end - p < 5)
			return -1;
		pfx->path_id = bgp_get32(p);
		p += 4;
	}
	pfx->plen = *p++;
	nb = (pfx->plen + 7u) / 8;
	if (pfx->plen > max || nb > (size_t)(it->end - p))
		return -1;
	memset(&pfx->addr, 0, sizeof(pfx->addr));
	pfx->addr.af = it->aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET;
	pfx->aid = it->aid;
	memcpy(pfx->addr.bytes, p, nb);
	/* Host bits are ignored (RFC 4271 4.3): clear them. */
	if (pfx->plen % 8)
		pfx->addr.bytes[nb - 1] &= (uint8_t)(0xff00 >> (pfx->plen % 8));
	it->p = p + nb;
	return 1;
}

int
bgp_update_iter(const struct bgp_update *u, enum bgp_nlri_sect sect,
    struct bgp_nlri_iter *it)
{
	if (u->verdict == BGP_UPD_RESET)
		return -1;
	switch (sect) {
	case BGP_SECT_WITHDRAWN:
		bgp_nlri_iter_init(it, u->withdrawn, u->withdrawn_len,
		    BGP_AID_IPV4, u->addpath_v4);
		return 0;
	case BGP_SECT_NLRI:
		bgp_nlri_iter_init(it, u->nlri, u->nlri_len, BGP_AID_IPV4,
		    u->addpath_v4);
		return 0;
	case BGP_SECT_MP_REACH:
		if (!u->has_mp_reach)
			return -1;
		bgp_nlri_iter_init(it, u->mp_reach, u->mp_reach_len,
		    u->mp_reach_aid, u->addpath_reach);
		return 0;
	case BGP_SECT_MP_UNREACH:
		if (!u->has_mp_unreach)
			return -1;
		bgp_nlri_iter_init(it, u->mp_unreach, u->mp_unreach_len,
		    u->mp_unreach_aid, u->addpath_unreach);
		return 0;
	}
	return -1;
}

size_t
bgp_update_count(const struct bgp_update *u, enum bgp_nlri_sect sect)
{
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;
	size_t			 n = 0;

	if (bgp_update_iter(u, sect, &it) == -1)
		return 0;
	while (bgp_nlri_next(&it, &p) == 1)
		n++;
	return n;
}

int
bgp_update_aspath(const struct bgp_update *u, uint8_t *buf, size_t len)
{
	const struct bgp_attrs	*at = &u->attrs;

	if (!(at->present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH)))
		return 0;
	if (at->aspath_as4) {
		if (len < at->aspath_len)
			return -1;
		memcpy(buf, at->aspath, at->aspath_len);
		return at->aspath_len;
	}
	return bgp_aspath_merge(at->aspath, at->aspath_len, 0, at->as4path,
	    at->as4path_len, buf, len);
}

static int
bgp_attr_known(uint8_t type)
{
	return bgp_attr_rule_find(type) != NULL;
}

int
bgp_attrs_copy_unknown(const struct bgp_update *u, uint8_t *buf, size_t len)
{
	struct bgp_attr_walk	 w;
	struct bgp_attr		 a;
	uint8_t			 seen[32];
	size_t			 off = 0, n;

	memset(seen, 0, sizeof(seen));
	bgp_attr_walk_init(&w, u->attrs_raw, u->attrs_len);
	while (bgp_attr_next(&w, &a) == 1) {
		if ((seen[a.type / 8] >> (a.type % 8)) & 1)
			continue;
		seen[a.type / 8] |= (uint8_t)(1 << (a.type % 8));
		if (bgp_attr_known(a.type) ||
		    (a.flags & BGP_ATTRF_OPT_TRANS) != BGP_ATTRF_OPT_TRANS)
			continue;
		n = (size_t)a.hdrlen + a.len;
		if (n > len - off)
			return -1;
		memcpy(buf + off, a.value - a.hdrlen, n);
		buf[off] |= BGP_ATTRF_PARTIAL;
		off += n;
	}
	return (int)off;
}
