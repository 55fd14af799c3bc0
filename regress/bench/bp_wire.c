/*
 * benchpeer's BGP messages and workloads.  The encoder and the parser
 * are written apart from tortie's codec on purpose: a benchmark that
 * shared the daemon's parser would not notice when both agree on
 * something wrong.
 *
 * The full-table workload is deterministic for (N, seed): N distinct
 * IPv4 prefixes of lengths /16 to /24 in a mix like the Internet's
 * (/24 the most common), none inside reserved or special ranges, in
 * random order; a new attribute set every 1 to 7 prefixes (4 on
 * average), so that about N/4 UPDATEs carry it, each with its own
 * ORIGIN, AS_PATH of 2 to 6 ASes (16- and 32-bit), MED in 30 % and
 * COMMUNITIES in 40 % of the sets.
 */
#include <sys/types.h>

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "bp.h"

#define BP_ATTR_OPT		0x80
#define BP_ATTR_TRANS		0x40
#define BP_ATTR_EXTLEN		0x10

#define BP_A_ORIGIN		1
#define BP_A_AS_PATH		2
#define BP_A_NEXT_HOP		3
#define BP_A_MED		4
#define BP_A_LOCAL_PREF		5
#define BP_A_COMMUNITIES	8
#define BP_A_MP_REACH		14
#define BP_A_MP_UNREACH		15

/* Ranges no generated prefix may overlap (address, length). */
static const struct bp_pfx bp_reserved[] = {
	{ 0x00000000U, 8 },	/* this network */
	{ 0x0a000000U, 8 },	/* private */
	{ 0x64400000U, 10 },	/* shared address space */
	{ 0x7f000000U, 8 },	/* loopback */
	{ 0xa9fe0000U, 16 },	/* link local */
	{ 0xac100000U, 12 },	/* private */
	{ 0xc0000000U, 24 },	/* IETF protocol assignments */
	{ 0xc0000200U, 24 },	/* documentation */
	{ 0xc0586300U, 24 },	/* 6to4 relay */
	{ 0xc0a80000U, 16 },	/* private */
	{ 0xc6120000U, 15 },	/* benchmarking (tortie's labs) */
	{ 0xc6336400U, 24 },	/* documentation */
	{ 0xcb007100U, 24 },	/* documentation */
	{ 0xe0000000U, 3 },	/* multicast and reserved */
};

/* Prefix lengths and their weights in percent. */
static const uint8_t bp_len_mix[][2] = {
	{ 24, 55 }, { 23, 10 }, { 22, 12 }, { 21, 6 }, { 20, 6 },
	{ 19, 4 }, { 18, 3 }, { 17, 2 }, { 16, 2 },
};

/* splitmix64: small, fast and good enough for a workload. */
uint64_t
bp_rand(uint64_t *s)
{
	uint64_t	 z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
bp_rand_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)((bp_rand(s) >> 32) * n >> 32);
}

static uint32_t
bp_mask(uint8_t plen)
{
	return plen == 0 ? 0 : 0xffffffffU << (32 - plen);
}

static uint32_t
bp_key_hash(uint32_t addr, uint8_t plen)
{
	uint64_t	 k = (uint64_t)plen << 32 | addr;

	k *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(k >> 32);
}

void
bp_table_init(struct bp_table *t, uint32_t cap)
{
	uint32_t	 hsize = 1024;

	while (hsize < cap * 2)
		hsize *= 2;
	memset(t, 0, sizeof(*t));
	if ((t->v = calloc(cap ? cap : 1, sizeof(*t->v))) == NULL ||
	    (t->hash = calloc(hsize, sizeof(*t->hash))) == NULL)
		err(1, "bp_table_init");
	t->hmask = hsize - 1;
}

void
bp_table_free(struct bp_table *t)
{
	free(t->v);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

/* -1 if the table holds the prefix already (the caller sized it). */
int
bp_table_add(struct bp_table *t, uint32_t addr, uint8_t plen)
{
	uint32_t	 h = bp_key_hash(addr, plen) & t->hmask, i;

	while ((i = t->hash[h]) != 0) {
		if (t->v[i - 1].addr == addr && t->v[i - 1].plen == plen)
			return -1;
		h = (h + 1) & t->hmask;
	}
	t->v[t->n].addr = addr;
	t->v[t->n].plen = plen;
	t->hash[h] = ++t->n;
	return 0;
}

/* The index of a prefix, -1 if the table does not hold it. */
int64_t
bp_table_find(const struct bp_table *t, uint32_t addr, uint8_t plen)
{
	uint32_t	 h = bp_key_hash(addr, plen) & t->hmask, i;

	while ((i = t->hash[h]) != 0) {
		if (t->v[i - 1].addr == addr && t->v[i - 1].plen == plen)
			return (int64_t)i - 1;
		h = (h + 1) & t->hmask;
	}
	return -1;
}

static int
bp_is_reserved(uint32_t addr, uint8_t plen)
{
	size_t		 i;
	uint32_t	 m;
	uint8_t		 l;

	for (i = 0; i < sizeof(bp_reserved) / sizeof(bp_reserved[0]); i++) {
		l = plen < bp_reserved[i].plen ? plen : bp_reserved[i].plen;
		m = bp_mask(l);
		if ((addr & m) == (bp_reserved[i].addr & m))
			return 1;
	}
	return 0;
}

static uint8_t
bp_rand_len(uint64_t *s)
{
	uint32_t	 r = bp_rand_below(s, 100), acc = 0;
	size_t		 i;

	for (i = 0; i < sizeof(bp_len_mix) / sizeof(bp_len_mix[0]); i++) {
		acc += bp_len_mix[i][1];
		if (r < acc)
			return bp_len_mix[i][0];
	}
	return 24;
}

/* N distinct prefixes in random order (the order they are drawn in). */
void
bp_gen_table(struct bp_table *t, uint32_t n, uint64_t seed)
{
	uint64_t	 s = seed;
	uint32_t	 addr;
	uint8_t		 plen;

	bp_table_init(t, n);
	while (t->n < n) {
		plen = bp_rand_len(&s);
		addr = (uint32_t)bp_rand(&s) & bp_mask(plen);
		if (bp_is_reserved(addr, plen))
			continue;
		(void)bp_table_add(t, addr, plen);
	}
}

/* One /26 per client, in 198.19.0.0/16 and up, as Calico's blocks. */
void
bp_gen_rr_table(struct bp_table *t, uint32_t n)
{
	uint32_t	 i;

	bp_table_init(t, n);
	for (i = 0; i < n; i++)
		if (bp_table_add(t, 0xc6130000U + (i << 6), 26) == -1)
			errx(1, "bp_gen_rr_table: duplicate");
}

static uint8_t *
bp_stream_room(struct bp_stream *st, size_t len)
{
	size_t	 ncap;

	if (st->cap - st->len < len) {
		ncap = st->cap ? st->cap : 1 << 20;
		while (ncap - st->len < len)
			ncap *= 2;
		if ((st->buf = realloc(st->buf, ncap)) == NULL)
			err(1, "bp_stream_room");
		st->cap = ncap;
	}
	return st->buf + st->len;
}

void
bp_stream_free(struct bp_stream *st)
{
	free(st->buf);
	memset(st, 0, sizeof(*st));
}

static uint8_t *
bp_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *
bp_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
	return p + 4;
}

static uint16_t
bp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
bp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *
bp_put_hdr(uint8_t *p, uint16_t len, uint8_t type)
{
	memset(p, 0xff, 16);
	bp_put16(p + 16, len);
	p[18] = type;
	return p + BP_HDR_LEN;
}

static uint8_t *
bp_put_prefix(uint8_t *p, const struct bp_pfx *x)
{
	uint8_t	 a[4];

	*p++ = x->plen;
	bp_put32(a, x->addr);
	memcpy(p, a, (x->plen + 7) / 8);
	return p + (x->plen + 7) / 8;
}

static uint32_t
bp_rand_asn(uint64_t *s)
{
	uint32_t	 a;

	if (bp_rand_below(s, 10) < 7) {
		/* Public 16-bit ASes; 23456 is AS_TRANS. */
		do
			a = 1 + bp_rand_below(s, 64495);
		while (a == BP_AS_TRANS);
		return a;
	}
	return 131072 + bp_rand_below(s, 401308 - 131072 + 1);
}

/* One random attribute set for an eBGP injector; returns its length. */
static size_t
bp_gen_attrs(uint8_t *p0, uint64_t *s, uint32_t inj_as, uint32_t nexthop)
{
	uint32_t	 path[6], comms[4], t, r = bp_rand_below(s, 100);
	uint8_t		*p = p0;
	int		 plen, i, j, nc;

	*p++ = BP_ATTR_TRANS;
	*p++ = BP_A_ORIGIN;
	*p++ = 1;
	*p++ = r < 80 ? 0 : r < 95 ? 2 : 1;
	plen = 2 + (int)bp_rand_below(s, 5);
	path[0] = inj_as;
	for (i = 1; i < plen; i++)
		path[i] = bp_rand_asn(s);
	if (plen >= 3 && bp_rand_below(s, 10) == 0)
		path[plen - 1] = path[plen - 2];
	*p++ = BP_ATTR_TRANS;
	*p++ = BP_A_AS_PATH;
	*p++ = (uint8_t)(2 + 4 * plen);
	*p++ = 2;			/* AS_SEQUENCE */
	*p++ = (uint8_t)plen;
	for (i = 0; i < plen; i++)
		p = bp_put32(p, path[i]);
	*p++ = BP_ATTR_TRANS;
	*p++ = BP_A_NEXT_HOP;
	*p++ = 4;
	p = bp_put32(p, nexthop);
	if (bp_rand_below(s, 10) < 3) {
		*p++ = BP_ATTR_OPT;
		*p++ = BP_A_MED;
		*p++ = 4;
		p = bp_put32(p, bp_rand_below(s, 1001));
	}
	if (bp_rand_below(s, 10) < 4) {
		nc = 1 + (int)bp_rand_below(s, 4);
		t = path[1] <= 0xffff ? path[1] : inj_as;
		for (i = 0; i < nc; i++)
			comms[i] = t << 16 | (1 + bp_rand_below(s, 65535));
		/* Sorted, as most speakers send them. */
		for (i = 1; i < nc; i++)
			for (j = i; j > 0 && comms[j - 1] > comms[j]; j--) {
				t = comms[j];
				comms[j] = comms[j - 1];
				comms[j - 1] = t;
			}
		*p++ = BP_ATTR_OPT | BP_ATTR_TRANS;
		*p++ = BP_A_COMMUNITIES;
		*p++ = (uint8_t)(4 * nc);
		for (i = 0; i < nc; i++)
			p = bp_put32(p, comms[i]);
	}
	return (size_t)(p - p0);
}

/* The table as an injector announces it: groups of 1 to 7 prefixes. */
void
bp_gen_announce(struct bp_stream *st, const struct bp_table *t,
    uint32_t inj_as, uint32_t nexthop, uint64_t seed)
{
	uint64_t	 s = seed ^ 0x5eed5eed5eed5eedULL;
	uint32_t	 i = 0, g, k;
	uint8_t		*m, *p;
	size_t		 alen;

	while (i < t->n) {
		g = 1 + bp_rand_below(&s, 7);
		if (g > t->n - i)
			g = t->n - i;
		m = bp_stream_room(st, BP_MAXLEN);
		p = m + BP_HDR_LEN;
		p = bp_put16(p, 0);
		alen = bp_gen_attrs(p + 2, &s, inj_as, nexthop);
		p = bp_put16(p, (uint16_t)alen) + alen;
		for (k = 0; k < g; k++)
			p = bp_put_prefix(p, &t->v[i + k]);
		bp_put_hdr(m, (uint16_t)(p - m), BP_MSG_UPDATE);
		st->len += (size_t)(p - m);
		st->msgs++;
		i += g;
	}
}

/* Every prefix of the table withdrawn, as many per UPDATE as fit. */
void
bp_gen_withdraw(struct bp_stream *st, const struct bp_table *t)
{
	uint32_t	 i = 0;
	uint8_t		*m, *p, *wstart;

	while (i < t->n) {
		m = bp_stream_room(st, BP_MAXLEN);
		wstart = p = m + BP_HDR_LEN + 2;
		while (i < t->n && (size_t)(p - m) + 5 + 2 <= BP_MAXLEN)
			p = bp_put_prefix(p, &t->v[i++]);
		bp_put16(m + BP_HDR_LEN, (uint16_t)(p - wstart));
		p = bp_put16(p, 0);
		bp_put_hdr(m, (uint16_t)(p - m), BP_MSG_UPDATE);
		st->len += (size_t)(p - m);
		st->msgs++;
	}
}

/* An iBGP client's one route: ORIGIN IGP, empty AS_PATH, itself as hop. */
void
bp_gen_ibgp(struct bp_stream *st, const struct bp_pfx *x, uint32_t nexthop)
{
	uint8_t	*m, *p, *a;

	m = bp_stream_room(st, BP_MAXLEN);
	p = bp_put16(m + BP_HDR_LEN, 0);
	a = p + 2;
	*a++ = BP_ATTR_TRANS;
	*a++ = BP_A_ORIGIN;
	*a++ = 1;
	*a++ = 0;
	*a++ = BP_ATTR_TRANS;
	*a++ = BP_A_AS_PATH;
	*a++ = 0;
	*a++ = BP_ATTR_TRANS;
	*a++ = BP_A_NEXT_HOP;
	*a++ = 4;
	a = bp_put32(a, nexthop);
	*a++ = BP_ATTR_TRANS;
	*a++ = BP_A_LOCAL_PREF;
	*a++ = 4;
	a = bp_put32(a, 100);
	bp_put16(p, (uint16_t)(a - (p + 2)));
	p = bp_put_prefix(a, x);
	bp_put_hdr(m, (uint16_t)(p - m), BP_MSG_UPDATE);
	st->len += (size_t)(p - m);
	st->msgs++;
}

/* OPEN: IPv4 unicast and 4-octet AS capabilities. */
size_t
bp_open(uint8_t *m, uint32_t as, uint16_t hold, uint32_t id)
{
	uint8_t	*p = m + BP_HDR_LEN;

	*p++ = 4;
	p = bp_put16(p, as > 0xffff ? BP_AS_TRANS : (uint16_t)as);
	p = bp_put16(p, hold);
	p = bp_put32(p, id);
	*p++ = 16;			/* optional parameters */
	*p++ = 2;			/* capabilities */
	*p++ = 14;
	*p++ = 1;			/* multiprotocol */
	*p++ = 4;
	p = bp_put16(p, 1);
	*p++ = 0;
	*p++ = 1;
	*p++ = 65;			/* 4-octet AS */
	*p++ = 4;
	p = bp_put32(p, as);
	*p++ = 2;			/* route refresh */
	*p++ = 0;
	bp_put_hdr(m, (uint16_t)(p - m), BP_MSG_OPEN);
	return (size_t)(p - m);
}

size_t
bp_keepalive(uint8_t *m)
{
	bp_put_hdr(m, BP_HDR_LEN, BP_MSG_KEEPALIVE);
	return BP_HDR_LEN;
}

/* NOTIFICATION Cease, Administrative Shutdown. */
size_t
bp_cease(uint8_t *m)
{
	bp_put_hdr(m, BP_HDR_LEN + 2, BP_MSG_NOTIFICATION);
	m[BP_HDR_LEN] = 6;
	m[BP_HDR_LEN + 1] = 2;
	return BP_HDR_LEN + 2;
}

/*
 * A header at the start of len bytes: 1 with the message's length and
 * type when it is all there, 0 when more is needed, -1 if it is bad.
 */
int
bp_hdr(const uint8_t *p, size_t len, uint16_t *mlen, uint8_t *type)
{
	static const uint8_t	 marker[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	if (len < BP_HDR_LEN)
		return 0;
	if (memcmp(p, marker, sizeof(marker)) != 0)
		return -1;
	*mlen = bp_get16(p + 16);
	*type = p[18];
	if (*mlen < BP_HDR_LEN || *mlen > BP_MAXLEN)
		return -1;
	return len >= *mlen ? 1 : 0;
}

/* The DUT's OPEN: its hold time and BGP identifier; -1 if malformed. */
int
bp_open_parse(const uint8_t *m, size_t len, uint16_t *hold, uint32_t *id)
{
	if (len < BP_HDR_LEN + 10 || m[BP_HDR_LEN] != 4)
		return -1;
	*hold = bp_get16(m + BP_HDR_LEN + 3);
	*id = bp_get32(m + BP_HDR_LEN + 5);
	if ((size_t)m[BP_HDR_LEN + 9] > len - BP_HDR_LEN - 10)
		return -1;
	return 0;
}

/* IPv4 prefixes in p[0..len); -1 if one runs past the end. */
static int
bp_nlri(const uint8_t *p, size_t len, int withdraw, bp_nlri_cb cb, void *arg)
{
	size_t		 off = 0, n;
	uint32_t	 a;
	uint8_t		 plen, b[4];

	while (off < len) {
		plen = p[off++];
		n = (plen + 7) / 8;
		if (plen > 32 || n > len - off)
			return -1;
		memset(b, 0, sizeof(b));
		memcpy(b, p + off, n);
		off += n;
		a = bp_get32(b) & bp_mask(plen);
		cb(arg, a, plen, withdraw);
	}
	return 0;
}

/* MP_REACH_NLRI / MP_UNREACH_NLRI of IPv4 unicast; others are skipped. */
static int
bp_mp(const uint8_t *v, size_t len, int withdraw, bp_nlri_cb cb, void *arg)
{
	size_t	 off;

	if (len < 3)
		return -1;
	if (bp_get16(v) != 1 || v[2] != 1)
		return 0;
	if (withdraw)
		return bp_nlri(v + 3, len - 3, 1, cb, arg);
	if (len < 5 || (size_t)v[3] + 5 > len)
		return -1;
	off = 4 + (size_t)v[3] + 1;
	return bp_nlri(v + off, len - off, 0, cb, arg);
}

static int
bp_attrs(const uint8_t *p, size_t len, bp_nlri_cb cb, void *arg)
{
	size_t		 off = 0, alen, hl;
	uint8_t		 flags, type;

	while (off < len) {
		if (len - off < 3)
			return -1;
		flags = p[off];
		type = p[off + 1];
		if (flags & BP_ATTR_EXTLEN) {
			if (len - off < 4)
				return -1;
			alen = bp_get16(p + off + 2);
			hl = 4;
		} else {
			alen = p[off + 2];
			hl = 3;
		}
		if (alen > len - off - hl)
			return -1;
		if ((type == BP_A_MP_REACH || type == BP_A_MP_UNREACH) &&
		    bp_mp(p + off + hl, alen, type == BP_A_MP_UNREACH, cb,
		    arg) == -1)
			return -1;
		off += hl + alen;
	}
	return 0;
}

/* Every prefix an UPDATE announces or withdraws; -1 if malformed. */
int
bp_update_parse(const uint8_t *m, size_t len, bp_nlri_cb cb, void *arg)
{
	const uint8_t	*p = m + BP_HDR_LEN;
	size_t		 rest = len - BP_HDR_LEN, wlen, alen;

	if (rest < 4)
		return -1;
	wlen = bp_get16(p);
	if (wlen > rest - 4)
		return -1;
	if (bp_nlri(p + 2, wlen, 1, cb, arg) == -1)
		return -1;
	p += 2 + wlen;
	rest -= 2 + wlen;
	alen = bp_get16(p);
	if (alen > rest - 2)
		return -1;
	if (bp_attrs(p + 2, alen, cb, arg) == -1)
		return -1;
	return bp_nlri(p + 2 + alen, rest - 2 - alen, 0, cb, arg);
}
