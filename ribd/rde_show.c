/*
 * `show rib` data (INTERFACES.md): every path of the selected prefixes
 * as {prefix, nexthop, asPath, origin, localPref, med, communities,
 * originatorID, clusterList, peerIP, best}, prefixes in address order.
 * Absent values are null; originated routes have a null nexthop and
 * peerIP.  Two marks are added only where they hold: stale (graceful
 * restart) and unreachable (the next hop is, so the path is not
 * eligible: never best, exported or installed).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "rde.h"
#include "util.h"

#define RDE_SHOW_ALL		0
#define RDE_SHOW_EXACT		1
#define RDE_SHOW_COVERING	2

/*
 * The request: "" for everything, "a/len" for one prefix, an address
 * for every prefix that contains it.  Returns the mode, -1 if bad.
 */
int
rde_show_parse(const char *s, size_t len, struct rde_cprefix *c, int *mode)
{
	char		 buf[80];
	struct bgpd_addr a;
	int		 plen;

	memset(c, 0, sizeof(*c));
	while (len > 0 && s[len - 1] == '\0')
		len--;
	if (len == 0) {
		*mode = RDE_SHOW_ALL;
		return 0;
	}
	if (len >= sizeof(buf) || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strchr(buf, '/') != NULL) {
		if (prefix_parse(buf, &a, &plen) == -1)
			return -1;
		*mode = RDE_SHOW_EXACT;
	} else {
		if (addr_parse(buf, &a) == -1)
			return -1;
		plen = a.af == AF_INET ? 32 : 128;
		*mode = RDE_SHOW_COVERING;
	}
	if (a.af != AF_INET && a.af != AF_INET6)
		return -1;
	addr_mask(&a, plen);
	c->addr = a;
	c->plen = (uint8_t)plen;
	c->aid = a.af == AF_INET ? BGP_AID_IPV4 : BGP_AID_IPV6;
	return 0;
}

static int
rde_show_cmp(const void *x, const void *y)
{
	uint32_t	 a, b;

	memcpy(&a, x, sizeof(a));
	memcpy(&b, y, sizeof(b));
	return rde_prefix_cmp(rde_prefix_at(a), rde_prefix_at(b));
}

static int
rde_show_wanted(const struct rde_prefix *p, const struct rde_cprefix *c,
    int mode)
{
	struct rde_cprefix	 pc;
	struct rde_prefix	 host;

	if (p->paths == RDE_NIL)
		return 0;
	switch (mode) {
	case RDE_SHOW_ALL:
		return 1;
	case RDE_SHOW_EXACT:
		return p->plen == c->plen && rde_pfx_in(p, c);
	default:
		/* p covers the address: the address lies within p. */
		memset(&pc, 0, sizeof(pc));
		rde_prefix_to_addr(p, &pc.addr);
		pc.plen = p->plen;
		pc.aid = p->aid;
		memset(&host, 0, sizeof(host));
		memcpy(host.addr, c->addr.bytes, sizeof(host.addr));
		host.aid = c->aid;
		host.plen = c->plen;
		return rde_pfx_in(&host, &pc);
	}
}

/* The prefixes to show, sorted; free() the result. */
uint32_t *
rde_show_collect(const struct rde_cprefix *c, int mode, size_t *np)
{
	uint32_t	*v = NULL, i, lim = rde_prefix_limit();
	size_t		 n = 0, cap = 0;

	for (i = 1; i < lim; i++) {
		struct rde_prefix *p = rde_prefix_at(i);

		if (p->aid == RDE_AID_FREE || !rde_show_wanted(p, c, mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = i;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), rde_show_cmp);
	*np = n;
	return v;
}

static const char *
rde_origin_str(uint8_t o)
{
	switch (o) {
	case BGP_ORIGIN_IGP:
		return "IGP";
	case BGP_ORIGIN_EGP:
		return "EGP";
	default:
		return "incomplete";
	}
}

static void
rde_show_id(struct jsonw *jw, const char *key, uint32_t id)
{
	struct in_addr	 in;
	char		 buf[INET_ADDRSTRLEN];

	in.s_addr = htonl(id);
	inet_ntop(AF_INET, &in, buf, sizeof(buf));
	jw_str(jw, key, buf);
}

static uint32_t
rde_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
rde_show_aspath(struct jsonw *jw, const struct rde_attrs *a)
{
	struct bgp_aspath_iter	 it;
	const uint8_t		*p;
	uint16_t		 len;
	uint32_t		 as;
	uint8_t			 seg;

	p = rde_attr_part(a, RDE_AP_ASPATH, &len);
	jw_arr_open(jw, "asPath");
	bgp_aspath_iter_init(&it, p, len, 1);
	while (bgp_aspath_next(&it, &as, &seg) == 1)
		jw_uint(jw, NULL, as);
	jw_arr_close(jw);
}

static void
rde_show_comms(struct jsonw *jw, const struct rde_attrs *a)
{
	const uint8_t	*p;
	uint16_t	 len, off;
	uint32_t	 v;
	char		 buf[40];

	jw_arr_open(jw, "communities");
	p = rde_attr_part(a, RDE_AP_COMM, &len);
	for (off = 0; off + 4 <= len; off += 4) {
		v = rde_get32(p + off);
		snprintf(buf, sizeof(buf), "%u:%u", v >> 16, v & 0xffff);
		jw_str(jw, NULL, buf);
	}
	p = rde_attr_part(a, RDE_AP_LARGE, &len);
	for (off = 0; off + 12 <= len; off += 12) {
		snprintf(buf, sizeof(buf), "%u:%u:%u", rde_get32(p + off),
		    rde_get32(p + off + 4), rde_get32(p + off + 8));
		jw_str(jw, NULL, buf);
	}
	jw_arr_close(jw);
}

static void
rde_show_clusters(struct jsonw *jw, const struct rde_attrs *a)
{
	const uint8_t	*p;
	uint16_t	 len, off;

	if (!(a->k.present & BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST))) {
		jw_null(jw, "clusterList");
		return;
	}
	p = rde_attr_part(a, RDE_AP_CLUSTER, &len);
	jw_arr_open(jw, "clusterList");
	for (off = 0; off + 4 <= len; off += 4)
		rde_show_id(jw, NULL, rde_get32(p + off));
	jw_arr_close(jw);
}

static void
rde_show_path(struct jsonw *jw, const struct rde_prefix *p,
    const struct rde_path *q, int best)
{
	const struct rde_attrs	*a = rde_attr_get(q->attrs);
	const struct rde_peer	*peer = rde_path_peer(q);
	struct bgpd_addr	 addr;
	char			 buf[ADDRSTRLEN + 8], ab[ADDRSTRLEN];

	rde_prefix_to_addr(p, &addr);
	snprintf(buf, sizeof(buf), "%s/%u", addr_ntop(&addr, ab, sizeof(ab)),
	    p->plen);
	jw_obj_open(jw, NULL);
	jw_str(jw, "prefix", buf);
	if (a->k.nexthop.af != 0)
		jw_str(jw, "nexthop", addr_ntop(&a->k.nexthop, ab, sizeof(ab)));
	else
		jw_null(jw, "nexthop");
	rde_show_aspath(jw, a);
	jw_str(jw, "origin", rde_origin_str(a->k.origin));
	if (a->k.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		jw_uint(jw, "localPref", a->k.local_pref);
	else
		jw_null(jw, "localPref");
	if (a->k.present & BGP_ATTR_BIT(BGP_ATTR_MED))
		jw_uint(jw, "med", a->k.med);
	else
		jw_null(jw, "med");
	rde_show_comms(jw, a);
	if (a->k.present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))
		rde_show_id(jw, "originatorID", a->k.originator_id);
	else
		jw_null(jw, "originatorID");
	rde_show_clusters(jw, a);
	if (peer->flags & RDE_PEER_LOCAL)
		jw_null(jw, "peerIP");
	else
		jw_str(jw, "peerIP", addr_ntop(&peer->conf.remote, ab,
		    sizeof(ab)));
	jw_bool(jw, "best", best);
	if (q->peer & RDE_PATH_STALE)
		jw_bool(jw, "stale", 1);
	if (q->peer & RDE_PATH_UNREACH)
		jw_bool(jw, "unreachable", 1);
	jw_obj_close(jw);
}

/* Every path of one prefix, best first, as array elements. */
void
rde_show_prefix(struct jsonw *jw, uint32_t i)
{
	const struct rde_prefix	*p = rde_prefix_at(i);
	const struct rde_path	*q;
	uint32_t		 qi, best;

	if (p->aid == RDE_AID_FREE)
		return;
	best = rde_rib_best(p);
	for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		rde_show_path(jw, p, q, qi == best);
	}
}
