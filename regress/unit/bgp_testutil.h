/*
 * Helpers shared by the test_bgp*.c unit tests: building raw UPDATE
 * messages and session settings by hand.
 */
#ifndef BGP_TESTUTIL_H
#define BGP_TESTUTIL_H

#include <stdint.h>
#include <string.h>

#include "bgp_msg.h"

/* A session with both families, no ADD-PATH, 4096-octet messages. */
static inline void
tb_sess(struct bgp_sess *s, int as4, int ebgp)
{
	memset(s, 0, sizeof(*s));
	s->as4 = (uint8_t)as4;
	s->ebgp = (uint8_t)ebgp;
	s->af[BGP_AID_IPV4] = 1;
	s->af[BGP_AID_IPV6] = 1;
	s->maxlen = BGP_MAXLEN;
	s->holdtime = 90;
	s->local_as = 64512;
	s->peer_as = ebgp ? 64513 : 64512;
}

/* Append one attribute (extended length when flags ask or len > 255). */
static inline size_t
tb_attr(uint8_t *p, uint8_t flags, uint8_t type, const void *v, size_t len)
{
	size_t	 o = 0;

	if (len > 255)
		flags |= BGP_ATTRF_EXTLEN;
	p[o++] = flags;
	p[o++] = type;
	if (flags & BGP_ATTRF_EXTLEN) {
		p[o++] = (uint8_t)(len >> 8);
		p[o++] = (uint8_t)len;
	} else
		p[o++] = (uint8_t)len;
	if (len > 0)
		memcpy(p + o, v, len);
	return o + len;
}

/* ORIGIN IGP, AS_PATH (2-octet) "65001", NEXT_HOP 198.18.0.2. */
static inline size_t
tb_basic_attrs(uint8_t *p, int as4)
{
	static const uint8_t	 path2[] = { 2, 1, 0xfd, 0xe9 };
	static const uint8_t	 path4[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
	static const uint8_t	 nh[] = { 198, 18, 0, 2 };
	uint8_t			 origin = 0;
	size_t			 o = 0;

	o += tb_attr(p + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, &origin, 1);
	if (as4)
		o += tb_attr(p + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH,
		    path4, sizeof(path4));
	else
		o += tb_attr(p + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH,
		    path2, sizeof(path2));
	o += tb_attr(p + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_NEXT_HOP, nh, 4);
	return o;
}

/* A complete UPDATE from its three fields. */
static inline size_t
tb_update(uint8_t *m, const uint8_t *wd, size_t wl, const uint8_t *at,
    size_t al, const uint8_t *nl, size_t nll)
{
	size_t	 o = 19, len = 23 + wl + al + nll;

	memset(m, 0xff, 16);
	m[16] = (uint8_t)(len >> 8);
	m[17] = (uint8_t)len;
	m[18] = BGP_MSG_UPDATE;
	m[o++] = (uint8_t)(wl >> 8);
	m[o++] = (uint8_t)wl;
	if (wl)
		memcpy(m + o, wd, wl);
	o += wl;
	m[o++] = (uint8_t)(al >> 8);
	m[o++] = (uint8_t)al;
	if (al)
		memcpy(m + o, at, al);
	o += al;
	if (nll)
		memcpy(m + o, nl, nll);
	return len;
}

/* A prefix from text, e.g. "198.19.0.0/26" or "2001:db8::/48". */
static inline int
tb_prefix(const char *s, struct bgp_prefix *p)
{
	int	 plen;

	memset(p, 0, sizeof(*p));
	if (prefix_parse(s, &p->addr, &plen) == -1)
		return -1;
	p->plen = (uint8_t)plen;
	p->aid = p->addr.af == AF_INET6 ? BGP_AID_IPV6 : BGP_AID_IPV4;
	return 0;
}

#endif
