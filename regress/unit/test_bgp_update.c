/*
 * BGP codec: UPDATE decoding, NLRI iterators, ADD-PATH, End-of-RIB, and
 * every RFC 7606 action the decoder implements, one test per case and per
 * NOTIFICATION subcode it can produce.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp_msg.h"
#include "bgp_testutil.h"

static struct bgp_update	 u;
static struct bgp_sess		 s;
static uint8_t			 m[BGP_MAXLEN_EXT];
static uint8_t			 at[BGP_MAXLEN_EXT];

static const uint8_t	 nlri2[] = { 24, 198, 19, 1, 26, 198, 19, 0, 64 };

static int
setup(void **state)
{
	(void)state;
	tb_sess(&s, 1, 0);
	return 0;
}

static enum bgp_verdict
dec(size_t len)
{
	return bgp_update_decode(m, len, &s, &u);
}

/* An UPDATE of the basic attributes, extra ones, and two prefixes. */
static size_t
mk(const uint8_t *extra, size_t el)
{
	size_t	 al;

	al = tb_basic_attrs(at, s.as4);
	if (el)
		memcpy(at + al, extra, el);
	return tb_update(m, NULL, 0, at, al + el, nlri2, sizeof(nlri2));
}

/* The UPDATE with one extra attribute. */
static size_t
mk1(uint8_t flags, uint8_t type, const void *v, size_t len)
{
	uint8_t	 a[300];
	size_t	 al;

	al = tb_attr(a, flags, type, v, len);
	return mk(a, al);
}

static void
expect(enum bgp_verdict v, const char *word)
{
	if (u.verdict != v)
		fail_msg("verdict %s, want %s (%s)", bgp_verdict_name(u.verdict),
		    bgp_verdict_name(v), u.err.reason);
	if (word != NULL && strstr(u.err.reason, word) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", u.err.reason, word);
}

static void
expect_reset(uint8_t sub, const char *word)
{
	expect(BGP_UPD_RESET, word);
	assert_int_equal(u.err.code, BGP_ERR_UPDATE);
	if (u.err.subcode != sub)
		fail_msg("subcode %u, want %u (%s)", u.err.subcode, sub,
		    u.err.reason);
}

static void
expect_pfx(struct bgp_nlri_iter *it, const char *want, uint32_t path_id)
{
	struct bgp_prefix	 p, w;

	assert_int_equal(tb_prefix(want, &w), 0);
	assert_int_equal(bgp_nlri_next(it, &p), 1);
	assert_int_equal(p.plen, w.plen);
	assert_int_equal(p.aid, w.aid);
	assert_int_equal(p.path_id, path_id);
	assert_int_equal(addr_cmp(&p.addr, &w.addr), 0);
}

/* Valid messages */

static void
test_basic(void **state)
{
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;
	uint8_t			 path[64];

	(void)state;
	assert_int_equal(dec(mk(NULL, 0)), BGP_UPD_OK);
	assert_string_equal(u.err.reason, "");
	assert_int_equal(u.attrs.origin, BGP_ORIGIN_IGP);
	assert_int_equal(u.attrs.nexthop.af, AF_INET);
	assert_int_equal(u.attrs.nexthop.bytes[3], 2);
	assert_true(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH));
	assert_int_equal(bgp_update_aspath(&u, path, sizeof(path)), 6);
	assert_int_equal(bgp_aspath_first(path, 6, 1), 65001);
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_NLRI, &it), 0);
	expect_pfx(&it, "198.19.1.0/24", 0);
	/* The host bits of 198.19.0.64/26 are cleared, not an error. */
	expect_pfx(&it, "198.19.0.64/26", 0);
	assert_int_equal(bgp_nlri_next(&it, &p), 0);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 2);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_WITHDRAWN), 0);
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_MP_REACH, &it), -1);
	assert_false(u.eor);
}

static void
test_host_bits(void **state)
{
	static const uint8_t	 nl[] = { 26, 198, 19, 0, 0x7f, 0, 9, 1,
				    0xff, 32, 10, 1, 2, 3 };
	struct bgp_nlri_iter	 it;
	size_t			 al;

	(void)state;
	al = tb_basic_attrs(at, 1);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, nl, sizeof(nl))),
	    BGP_UPD_OK);
	bgp_update_iter(&u, BGP_SECT_NLRI, &it);
	expect_pfx(&it, "198.19.0.64/26", 0);
	expect_pfx(&it, "0.0.0.0/0", 0);
	expect_pfx(&it, "1.128.0.0/9", 0);
	expect_pfx(&it, "10.1.2.3/32", 0);
}

static void
test_withdraw_only(void **state)
{
	struct bgp_nlri_iter	 it;

	(void)state;
	assert_int_equal(dec(tb_update(m, nlri2, sizeof(nlri2), NULL, 0, NULL,
	    0)), BGP_UPD_OK);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_WITHDRAWN), 2);
	bgp_update_iter(&u, BGP_SECT_WITHDRAWN, &it);
	expect_pfx(&it, "198.19.1.0/24", 0);
	assert_false(u.eor);
}

static void
test_all_attrs(void **state)
{
	static const uint8_t	 med[] = { 0, 0, 0, 50 };
	static const uint8_t	 lp[] = { 0, 0, 0, 200 };
	static const uint8_t	 agg[] = { 0, 0, 0xfd, 0xe9, 10, 0, 0, 1 };
	static const uint8_t	 comm[] = { 0xfd, 0xe9, 0, 1, 0xff, 0xff,
				    0xff, 0x01 };
	static const uint8_t	 oid[] = { 10, 0, 0, 9 };
	static const uint8_t	 cl[] = { 10, 0, 0, 1, 10, 0, 0, 2 };
	static const uint8_t	 ext[] = { 0, 2, 0xfd, 0xe9, 0, 0, 0, 1 };
	static const uint8_t	 lc[] = { 0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0,
				    0, 2 };
	uint8_t			 a[256];
	size_t			 o = 0;

	(void)state;
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, BGP_ATTR_MED, med, 4);
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_LOCAL_PREF, lp, 4);
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ATOMIC_AGGREGATE,
	    NULL, 0);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR, agg, 8);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, comm,
	    8);
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, oid,
	    4);
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, BGP_ATTR_CLUSTER_LIST, cl, 8);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS | BGP_ATTRF_EXTLEN,
	    BGP_ATTR_EXT_COMMUNITIES, ext, 8);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_LARGE_COMMUNITIES, lc,
	    12);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_OK);
	assert_int_equal(u.attrs.med, 50);
	assert_int_equal(u.attrs.local_pref, 200);
	assert_true(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE));
	assert_int_equal(u.attrs.aggregator_as, 65001);
	assert_int_equal(u.attrs.aggregator_id, 0x0a000001);
	assert_int_equal(u.attrs.communities_len, 8);
	assert_memory_equal(u.attrs.communities, comm, 8);
	assert_int_equal(u.attrs.originator_id, 0x0a000009);
	assert_int_equal(u.attrs.cluster_list_len, 8);
	assert_int_equal(u.attrs.ext_communities_len, 8);
	assert_int_equal(u.attrs.large_communities_len, 12);
	assert_memory_equal(u.attrs.large_communities, lc, 12);
}

static void
test_mp_reach_v6(void **state)
{
	uint8_t			 mp[128];
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;
	size_t			 o = 0, al;
	char			 buf[64];

	(void)state;
	mp[o++] = 0;
	mp[o++] = 2;
	mp[o++] = 1;
	mp[o++] = 32;
	memcpy(mp + o, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\2", 16);
	o += 16;
	memcpy(mp + o, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\2", 16);
	o += 16;
	mp[o++] = 0;
	memcpy(mp + o, "\x30\x20\x01\x0d\xb8\x00\x01", 7);
	o += 7;
	memcpy(mp + o, "\x40\x20\x01\x0d\xb8\x00\x02\x00\x03", 9);
	o += 9;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp, o);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_true(u.has_mp_reach);
	assert_int_equal(u.mp_reach_aid, BGP_AID_IPV6);
	assert_string_equal(addr_ntop(&u.mp_nexthop, buf, sizeof(buf)),
	    "2001:db8::2");
	assert_string_equal(addr_ntop(&u.mp_nexthop_ll, buf, sizeof(buf)),
	    "fe80::2");
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_MP_REACH, &it), 0);
	expect_pfx(&it, "2001:db8:1::/48", 0);
	expect_pfx(&it, "2001:db8:2:3::/64", 0);
	assert_int_equal(bgp_nlri_next(&it, &p), 0);
	/* Only the global next hop. */
	mp[3] = 16;
	memmove(mp + 20, mp + 36, o - 36);
	o -= 16;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp, o);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_int_equal(u.mp_nexthop_ll.af, 0);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_MP_REACH), 2);
}

/* The v6 MP_REACH_NLRI value for 2001:db8::2 with the given NLRI. */
static size_t
mp6(uint8_t *mp, const void *nl, size_t nll)
{
	size_t	 o = 0;

	mp[o++] = 0;
	mp[o++] = 2;
	mp[o++] = 1;
	mp[o++] = 16;
	memcpy(mp + o, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\2", 16);
	o += 16;
	mp[o++] = 0;
	if (nll > 0)
		memcpy(mp + o, nl, nll);
	return o + nll;
}

/* An IPv6 announcement with ORIGIN and AS_PATH after MP_REACH_NLRI. */
static size_t
mk6(const void *nl, size_t nll, const uint8_t *extra, size_t el)
{
	uint8_t	 mp[300];
	size_t	 al;

	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp,
	    mp6(mp, nl, nll));
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	if (el > 0)
		memcpy(at + al, extra, el);
	return tb_update(m, NULL, 0, at, al + el, NULL, 0);
}

static void
test_mp_unreach(void **state)
{
	static const uint8_t	 mpu[] = { 0, 2, 1, 32, 0x20, 0x01, 0x0d,
				    0xb8 };
	struct bgp_nlri_iter	 it;
	size_t			 al;

	(void)state;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, mpu,
	    sizeof(mpu));
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_true(u.has_mp_unreach);
	assert_false(u.eor);
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_MP_UNREACH, &it), 0);
	expect_pfx(&it, "2001:db8::/32", 0);
}

static void
test_mp_reach_v4(void **state)
{
	static const uint8_t	 mp[] = { 0, 1, 1, 4, 198, 18, 0, 9, 0, 24,
				    198, 19, 5 };
	struct bgp_nlri_iter	 it;
	size_t			 al;

	(void)state;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp,
	    sizeof(mp));
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_int_equal(u.mp_reach_aid, BGP_AID_IPV4);
	assert_int_equal(u.mp_nexthop.bytes[3], 9);
	bgp_update_iter(&u, BGP_SECT_MP_REACH, &it);
	expect_pfx(&it, "198.19.5.0/24", 0);
}

static void
test_addpath(void **state)
{
	static const uint8_t	 wd[] = { 0, 0, 0, 7, 24, 198, 19, 9 };
	static const uint8_t	 nl[] = { 0, 0, 0, 1, 24, 198, 19, 1, 0, 0,
				    0, 2, 24, 198, 19, 1 };
	static const uint8_t	 nl6[] = { 0, 0, 1, 0, 32, 0x20, 0x01, 0x0d,
				    0xb8 };
	struct bgp_nlri_iter	 it;
	size_t			 al;

	(void)state;
	s.addpath_rx[BGP_AID_IPV4] = 1;
	al = tb_basic_attrs(at, 1);
	assert_int_equal(dec(tb_update(m, wd, sizeof(wd), at, al, nl,
	    sizeof(nl))), BGP_UPD_OK);
	bgp_update_iter(&u, BGP_SECT_NLRI, &it);
	expect_pfx(&it, "198.19.1.0/24", 1);
	expect_pfx(&it, "198.19.1.0/24", 2);
	bgp_update_iter(&u, BGP_SECT_WITHDRAWN, &it);
	expect_pfx(&it, "198.19.9.0/24", 7);
	/* The same bytes without ADD-PATH are malformed NLRI. */
	s.addpath_rx[BGP_AID_IPV4] = 0;
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, nl, sizeof(nl))),
	    BGP_UPD_RESET);
	s.addpath_rx[BGP_AID_IPV6] = 1;
	assert_int_equal(dec(mk6(nl6, sizeof(nl6), NULL, 0)), BGP_UPD_OK);
	bgp_update_iter(&u, BGP_SECT_MP_REACH, &it);
	expect_pfx(&it, "2001:db8::/32", 256);
	/* Truncated path id. */
	assert_int_equal(dec(mk6(nl6, 3, NULL, 0)), BGP_UPD_RESET);
}

static void
test_eor(void **state)
{
	static const uint8_t	 mpu[] = { 0, 2, 1 };
	uint8_t			 b[64];
	size_t			 al;
	int			 len;

	(void)state;
	assert_int_equal(dec(tb_update(m, NULL, 0, NULL, 0, NULL, 0)),
	    BGP_UPD_OK);
	assert_true(u.eor);
	assert_int_equal(u.eor_aid, BGP_AID_IPV4);
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, mpu, 3);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_true(u.eor);
	assert_int_equal(u.eor_aid, BGP_AID_IPV6);
	/* With another attribute it is not an End-of-RIB. */
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_false(u.eor);
	/* Our own markers decode as such. */
	len = bgp_eor_encode(BGP_AID_IPV6, b, sizeof(b));
	assert_int_equal(bgp_update_decode(b, (size_t)len, &s, &u), BGP_UPD_OK);
	assert_true(u.eor);
	assert_int_equal(u.eor_aid, BGP_AID_IPV6);
	len = bgp_eor_encode(BGP_AID_IPV4, b, sizeof(b));
	assert_int_equal(len, 23);
	assert_int_equal(bgp_update_decode(b, (size_t)len, &s, &u), BGP_UPD_OK);
	assert_true(u.eor);
	assert_int_equal(bgp_eor_encode(BGP_AID_IPV6, b, 28), -1);
}

/* Framing: session reset */

static void
test_reset_header(void **state)
{
	struct bgp_nlri_iter	 it;
	size_t			 len;

	(void)state;
	len = mk(NULL, 0);
	m[3] = 0;
	assert_int_equal(dec(len), BGP_UPD_RESET);
	assert_int_equal(u.err.code, BGP_ERR_HEADER);
	assert_int_equal(u.err.subcode, BGP_ERRHDR_SYNC);
	/* Every iterator refuses a reset UPDATE. */
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_NLRI, &it), -1);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 0);
	/* The buffer is shorter than the header says. */
	len = mk(NULL, 0);
	assert_int_equal(dec(len - 1), BGP_UPD_RESET);
	assert_int_equal(u.err.code, BGP_ERR_HEADER);
	assert_int_equal(u.err.subcode, BGP_ERRHDR_LEN);
	assert_int_equal(dec(10), BGP_UPD_RESET);
}

static void
test_reset_withdrawn_len(void **state)
{
	size_t	 len;

	(void)state;
	len = tb_update(m, nlri2, sizeof(nlri2), NULL, 0, NULL, 0);
	m[20] = 40;
	assert_int_equal(dec(len), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLIST, "withdrawn");
}

static void
test_reset_attr_len(void **state)
{
	size_t	 len;

	(void)state;
	len = mk(NULL, 0);
	m[22] += sizeof(nlri2) + 1;
	assert_int_equal(dec(len), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLIST, "attribute length");
}

static void
test_reset_nlri(void **state)
{
	static const uint8_t	 bad1[] = { 33, 1, 2, 3, 4, 5 };
	static const uint8_t	 bad2[] = { 24, 198, 19 };
	static const uint8_t	 bad3[] = { 24, 198, 19, 1, 8 };
	size_t			 al;

	(void)state;
	al = tb_basic_attrs(at, 1);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, bad1,
	    sizeof(bad1))), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_NETWORK, "NLRI");
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, bad2,
	    sizeof(bad2))), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_NETWORK, "NLRI");
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, bad3,
	    sizeof(bad3))), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_NETWORK, "prefix 2");
	assert_int_equal(dec(tb_update(m, bad1, sizeof(bad1), NULL, 0, NULL,
	    0)), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_NETWORK, "withdrawn");
}

static void
test_reset_unknown_wellknown(void **state)
{
	(void)state;
	assert_int_equal(dec(mk1(BGP_ATTRF_WELLKNOWN, 99, "ab", 2)),
	    BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_UNKNWN_WK, "99");
	/* The data is the attribute: flags, type, length, value. */
	assert_int_equal(u.err.datalen, 5);
	assert_memory_equal(u.err.data, "\x40\x63\x02" "ab", 5);
}

static void
test_reset_mp_dup(void **state)
{
	static const uint8_t	 mpu[] = { 0, 2, 1 };
	uint8_t			 a[32];
	size_t			 o;

	(void)state;
	o = tb_attr(a, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, mpu, 3);
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, mpu,
	    3);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLIST, "twice");
}

static void
test_reset_mp_reach_dup(void **state)
{
	uint8_t	 mp[64], a[128];
	size_t	 o;

	(void)state;
	o = tb_attr(a, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp,
	    mp6(mp, NULL, 0));
	assert_int_equal(dec(mk6(NULL, 0, a, o)), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLIST, "MP_REACH_NLRI");
}

static void
test_reset_mp_flags(void **state)
{
	uint8_t	 mp[64];
	size_t	 al;

	(void)state;
	al = tb_attr(at, BGP_ATTRF_OPT_TRANS, BGP_ATTR_MP_REACH_NLRI, mp,
	    mp6(mp, NULL, 0));
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRFLAGS, "MP_REACH_NLRI");
}

static void
test_reset_mp_short(void **state)
{
	size_t	 al;

	(void)state;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI,
	    "\0\2\1\0", 4);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLEN, "MP_REACH_NLRI");
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, "\0\2",
	    2);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLEN, "MP_UNREACH_NLRI");
}

static void
test_reset_mp_nexthop_len(void **state)
{
	static const uint8_t	 nhl[] = { 0, 4, 8, 15, 17, 31, 33, 255 };
	uint8_t			 mp[64];
	size_t			 al, i, o;

	(void)state;
	for (i = 0; i < sizeof(nhl); i++) {
		o = mp6(mp, NULL, 0);
		mp[3] = nhl[i];
		al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI,
		    mp, o);
		assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
		    BGP_UPD_RESET);
		expect_reset(BGP_ERRUPD_OPTATTR, "next hop length");
		/* The data is the whole attribute. */
		assert_int_equal(u.err.datalen, al);
	}
}

static void
test_reset_mp_nlri(void **state)
{
	static const uint8_t	 bad[] = { 129, 0x20, 0x01 };
	static const uint8_t	 mpu[] = { 0, 2, 1, 64, 0x20 };
	size_t			 al;

	(void)state;
	assert_int_equal(dec(mk6(bad, sizeof(bad), NULL, 0)), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_OPTATTR, "MP_REACH_NLRI");
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, mpu,
	    sizeof(mpu));
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_OPTATTR, "MP_UNREACH_NLRI");
}

static void
test_reset_mp_overrun(void **state)
{
	uint8_t	 mp[64];
	size_t	 al, len;

	(void)state;
	/* MP_REACH_NLRI whose length runs past the attribute field. */
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp,
	    mp6(mp, NULL, 0));
	len = tb_update(m, NULL, 0, at, al, NULL, 0);
	m[25] = 200;
	assert_int_equal(dec(len), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_ATTRLEN, "overruns");
}

/* RFC 7606: treat-as-withdraw */

/* Replace the first basic attribute of type t with (flags, v, len). */
static size_t
mk_replace(uint8_t t, uint8_t flags, const void *v, size_t len)
{
	uint8_t			 a[512];
	struct bgp_attr_walk	 w;
	struct bgp_attr		 x;
	size_t			 al, o = 0;

	al = tb_basic_attrs(at, s.as4);
	bgp_attr_walk_init(&w, at, al);
	while (bgp_attr_next(&w, &x) == 1) {
		if (x.type == t)
			o += tb_attr(a + o, flags, t, v, len);
		else
			o += tb_attr(a + o, x.flags, x.type, x.value, x.len);
	}
	return tb_update(m, NULL, 0, a, o, nlri2, sizeof(nlri2));
}

static void
test_withdraw_origin(void **state)
{
	struct bgp_nlri_iter	 it;

	(void)state;
	assert_int_equal(dec(mk_replace(BGP_ATTR_ORIGIN, BGP_ATTRF_WELLKNOWN,
	    "\0\0", 2)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "ORIGIN: bad length");
	assert_int_equal(dec(mk_replace(BGP_ATTR_ORIGIN, BGP_ATTRF_WELLKNOWN,
	    "\3", 1)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "ORIGIN: undefined");
	/* The prefixes remain readable, to be withdrawn. */
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_NLRI, &it), 0);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 2);
	assert_int_equal(dec(mk_replace(BGP_ATTR_ORIGIN, BGP_ATTRF_OPT_TRANS,
	    "\0", 1)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "ORIGIN: bad flags");
	/* The Partial bit on a well-known attribute is tolerated. */
	assert_int_equal(dec(mk_replace(BGP_ATTR_ORIGIN, BGP_ATTRF_WELLKNOWN |
	    BGP_ATTRF_PARTIAL, "\2", 1)), BGP_UPD_OK);
	assert_int_equal(u.attrs.origin, 2);
}

static void
test_withdraw_aspath(void **state)
{
	static const uint8_t	 badtype[] = { 5, 1, 0, 0, 0, 1 };
	static const uint8_t	 zero[] = { 2, 0 };
	static const uint8_t	 overrun[] = { 2, 2, 0, 0, 0, 1 };
	static const uint8_t	 partial[] = { 2, 1, 0, 0, 0, 1, 2 };
	static const uint8_t	 confed[] = { 3, 1, 0, 0, 0, 1, 2, 1, 0, 0,
				    0xfd, 0xe9 };
	static const uint8_t	 first[] = { 2, 1, 0, 0, 0xfd, 0xea };

	(void)state;
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    badtype, sizeof(badtype))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "AS_PATH");
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    zero, sizeof(zero))), BGP_UPD_WITHDRAW);
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    overrun, sizeof(overrun))), BGP_UPD_WITHDRAW);
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    partial, sizeof(partial))), BGP_UPD_WITHDRAW);
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_OPTIONAL,
	    first, sizeof(first))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "AS_PATH: bad flags");
	/* Confederation segments: fine from iBGP, not from eBGP. */
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    confed, sizeof(confed))), BGP_UPD_OK);
	tb_sess(&s, 1, 1);
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    confed, sizeof(confed))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "confederation");
	/* First AS check, when asked for. */
	s.peer_as = 65001;
	s.enforce_first_as = 1;
	assert_int_equal(dec(mk(NULL, 0)), BGP_UPD_OK);
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    first, sizeof(first))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "first AS");
	assert_int_equal(dec(mk_replace(BGP_ATTR_AS_PATH, BGP_ATTRF_WELLKNOWN,
	    NULL, 0)), BGP_UPD_WITHDRAW);
}

static void
test_withdraw_nexthop(void **state)
{
	(void)state;
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_WELLKNOWN,
	    "\1\2\3\4\5", 5)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "NEXT_HOP: bad length");
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_WELLKNOWN,
	    "\0\0\0\0", 4)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "NEXT_HOP: not a unicast");
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_WELLKNOWN,
	    "\xe0\0\0\1", 4)), BGP_UPD_WITHDRAW);
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_WELLKNOWN,
	    "\xff\xff\xff\xff", 4)), BGP_UPD_WITHDRAW);
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_OPTIONAL,
	    "\1\2\3\4", 4)), BGP_UPD_WITHDRAW);
	/* Loopback next hops are fine: tests run peers on 127.0.0.0/8. */
	assert_int_equal(dec(mk_replace(BGP_ATTR_NEXT_HOP, BGP_ATTRF_WELLKNOWN,
	    "\x7f\0\0\2", 4)), BGP_UPD_OK);
}

static void
test_nexthop_ignored_without_nlri(void **state)
{
	static const uint8_t	 nh[] = { 1, 2, 3, 4, 5 };
	uint8_t			 mp[64];
	size_t			 al;

	(void)state;
	/* RFC 7606 5.2: MP-only UPDATE with a broken NEXT_HOP: ignored. */
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp,
	    mp6(mp, "\x20\x20\x01\x0d\xb8", 5));
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_NEXT_HOP, nh, 5);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_OK);
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP));
}

static void
test_withdraw_med(void **state)
{
	(void)state;
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL, BGP_ATTR_MED, "\0\0\1",
	    3)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "MULTI_EXIT_DISC");
	assert_int_equal(dec(mk1(BGP_ATTRF_WELLKNOWN, BGP_ATTR_MED, "\0\0\0\1",
	    4)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "bad flags");
}

static void
test_localpref(void **state)
{
	(void)state;
	assert_int_equal(dec(mk1(BGP_ATTRF_WELLKNOWN, BGP_ATTR_LOCAL_PREF,
	    "\0\0\1", 3)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "LOCAL_PREF");
	/* From an external peer it is discarded, whatever its form. */
	tb_sess(&s, 1, 1);
	assert_int_equal(dec(mk1(BGP_ATTRF_WELLKNOWN, BGP_ATTR_LOCAL_PREF,
	    "\0\0\0\1", 4)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "LOCAL_PREF: from an external peer");
	assert_true(bgp_is_discarded(&u, BGP_ATTR_LOCAL_PREF));
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF));
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL, BGP_ATTR_LOCAL_PREF,
	    "\0\0\1", 3)), BGP_UPD_ATTR_DISCARD);
}

static void
test_discard_atomic(void **state)
{
	(void)state;
	assert_int_equal(dec(mk1(BGP_ATTRF_WELLKNOWN,
	    BGP_ATTR_ATOMIC_AGGREGATE, "x", 1)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "ATOMIC_AGGREGATE");
	assert_true(bgp_is_discarded(&u, BGP_ATTR_ATOMIC_AGGREGATE));
	assert_false(bgp_is_discarded(&u, BGP_ATTR_ORIGIN));
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL,
	    BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0)), BGP_UPD_ATTR_DISCARD);
}

static void
test_discard_aggregator(void **state)
{
	(void)state;
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
	    "\0\0\xfd\xe9\1\2\3", 7)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AGGREGATOR");
	/* Six octets is right for a 2-octet session only. */
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
	    "\xfd\xe9\1\2\3\4", 6)), BGP_UPD_ATTR_DISCARD);
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
	    "\xfd\xe9\1\2\3\4", 6)), BGP_UPD_OK);
	assert_int_equal(u.attrs.aggregator_as, 65001);
	assert_int_equal(u.attrs.aggregator_id, 0x01020304);
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL, BGP_ATTR_AGGREGATOR,
	    "\xfd\xe9\1\2\3\4", 6)), BGP_UPD_ATTR_DISCARD);
}

static void
test_withdraw_lists(void **state)
{
	static const struct {
		uint8_t		 flags;
		uint8_t		 type;
		size_t		 len;
		const char	*name;
	} bad[] = {
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, 0, "COMMUNITIES" },
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, 6, "COMMUNITIES" },
		{ BGP_ATTRF_OPTIONAL, BGP_ATTR_COMMUNITIES, 4, "COMMUNITIES" },
		{ BGP_ATTRF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, 3,
		    "ORIGINATOR_ID" },
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_ORIGINATOR_ID, 4,
		    "ORIGINATOR_ID" },
		{ BGP_ATTRF_OPTIONAL, BGP_ATTR_CLUSTER_LIST, 0,
		    "CLUSTER_LIST" },
		{ BGP_ATTRF_OPTIONAL, BGP_ATTR_CLUSTER_LIST, 5,
		    "CLUSTER_LIST" },
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_LARGE_COMMUNITIES, 13,
		    "LARGE_COMMUNITY" },
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_LARGE_COMMUNITIES, 0,
		    "LARGE_COMMUNITY" },
		{ BGP_ATTRF_OPT_TRANS, BGP_ATTR_EXT_COMMUNITIES, 9,
		    "EXTENDED_COMMUNITIES" },
	};
	static const uint8_t	 v[16];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dec(mk1(bad[i].flags, bad[i].type, v,
		    bad[i].len)), BGP_UPD_WITHDRAW);
		expect(BGP_UPD_WITHDRAW, bad[i].name);
	}
}

static void
test_withdraw_missing(void **state)
{
	static const uint8_t	 origin = 0;
	uint8_t			 a[64];
	size_t			 o;

	(void)state;
	/* No attributes at all but NLRI. */
	assert_int_equal(dec(tb_update(m, NULL, 0, NULL, 0, nlri2,
	    sizeof(nlri2))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "missing well-known attribute ORIGIN");
	/* ORIGIN and AS_PATH but no NEXT_HOP. */
	o = tb_attr(a, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, &origin, 1);
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, a, o, nlri2,
	    sizeof(nlri2))), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "NEXT_HOP");
	/* An MP announcement needs ORIGIN and AS_PATH, not NEXT_HOP. */
	{
		uint8_t	 mp[64];
		size_t	 al;

		al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI,
		    mp, mp6(mp, "\x20\x20\x01\x0d\xb8", 5));
		al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN,
		    &origin, 1);
		assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
		    BGP_UPD_WITHDRAW);
		expect(BGP_UPD_WITHDRAW, "AS_PATH");
		assert_int_equal(bgp_update_count(&u, BGP_SECT_MP_REACH), 1);
	}
	/* Withdrawals need no attributes. */
	assert_int_equal(dec(tb_update(m, nlri2, sizeof(nlri2), NULL, 0, NULL,
	    0)), BGP_UPD_OK);
}

static void
test_withdraw_overrun(void **state)
{
	size_t	 al, len;

	(void)state;
	/* The last attribute claims more than the field holds. */
	al = tb_basic_attrs(at, 1);
	al += tb_attr(at + al, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES,
	    "\0\0\0\1", 4);
	len = tb_update(m, NULL, 0, at, al, nlri2, sizeof(nlri2));
	m[23 + al - 5] = 9;
	assert_int_equal(dec(len), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "overruns");
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 2);
	/* Two octets left: not even an attribute header. */
	al = tb_basic_attrs(at, 1);
	at[al] = 0x40;
	at[al + 1] = 1;
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al + 2, nlri2,
	    sizeof(nlri2))), BGP_UPD_WITHDRAW);
	/* Extended length header cut short. */
	at[al] = 0x50;
	at[al + 1] = 8;
	at[al + 2] = 0;
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al + 3, nlri2,
	    sizeof(nlri2))), BGP_UPD_WITHDRAW);
}

static void
test_mp_family_not_negotiated(void **state)
{
	static const uint8_t	 vpn[] = { 0, 1, 128, 12, 0, 0, 0, 0, 0, 0,
				    0, 0, 1, 2, 3, 4, 0 };
	struct bgp_nlri_iter	 it;

	(void)state;
	s.af[BGP_AID_IPV6] = 0;
	assert_int_equal(dec(mk6("\x20\x20\x01\x0d\xb8", 5, NULL, 0)),
	    BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "not negotiated");
	assert_false(u.has_mp_reach);
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_MP_REACH, &it), -1);
	/* An unknown family (VPNv4) is ignored the same way. */
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI,
	    vpn, sizeof(vpn))), BGP_UPD_ATTR_DISCARD);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 2);
}

static void
test_ipv4_not_negotiated(void **state)
{
	(void)state;
	s.af[BGP_AID_IPV4] = 0;
	assert_int_equal(dec(mk(NULL, 0)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "IPv4 unicast not negotiated");
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 0);
	assert_int_equal(dec(tb_update(m, nlri2, sizeof(nlri2), NULL, 0, NULL,
	    0)), BGP_UPD_ATTR_DISCARD);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_WITHDRAWN), 0);
	/* Malformed ones still reset: the framing is the same. */
	assert_int_equal(dec(tb_update(m, (const uint8_t *)"\x21", 1, NULL, 0,
	    NULL, 0)), BGP_UPD_RESET);
}

static void
test_withdraw_mp_nexthop(void **state)
{
	uint8_t	 mp[64];
	size_t	 al, o;

	(void)state;
	o = mp6(mp, "\x20\x20\x01\x0d\xb8", 5);
	memset(mp + 4, 0, 16);
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp, o);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "MP_REACH_NLRI: next hop");
	mp[4] = 0xff;
	al = tb_attr(at, BGP_ATTRF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, mp, o);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	al += tb_attr(at + al, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, NULL, 0);
	assert_int_equal(dec(tb_update(m, NULL, 0, at, al, NULL, 0)),
	    BGP_UPD_WITHDRAW);
}

/* Duplicates and unknown attributes */

static void
test_duplicate(void **state)
{
	uint8_t	 a[32];
	size_t	 o;

	(void)state;
	o = tb_attr(a, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, "\0\0\0\1",
	    4);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES,
	    "\0\0\0\2\0\0\0\3", 8);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "COMMUNITIES (type 8) appears twice");
	/* The first one is kept. */
	assert_int_equal(u.attrs.communities_len, 4);
	/* A malformed duplicate is dropped without a look. */
	o = tb_attr(a, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, "\0\0\0\1",
	    4);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES, "\0", 1);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_ATTR_DISCARD);
}

static void
test_unknown_attrs(void **state)
{
	uint8_t	 a[600], out[700];
	uint8_t	 big[300];
	size_t	 o;
	int	 n;

	(void)state;
	memset(big, 7, sizeof(big));
	o = tb_attr(a, BGP_ATTRF_OPT_TRANS, 99, "abc", 3);
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, 100, "zz", 2);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, 99, "dup", 3);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS | BGP_ATTRF_PARTIAL, 101, big,
	    sizeof(big));
	assert_int_equal(dec(mk(a, o)), BGP_UPD_ATTR_DISCARD);
	n = bgp_attrs_copy_unknown(&u, out, sizeof(out));
	assert_int_equal(n, 6 + 4 + (int)sizeof(big));
	/* Partial bit set when passed on, the rest as received. */
	assert_memory_equal(out, "\xe0\x63\x03" "abc", 6);
	assert_int_equal(out[6], 0xf0);
	assert_int_equal(out[7], 101);
	assert_int_equal(out[8] << 8 | out[9], sizeof(big));
	assert_int_equal(bgp_attrs_copy_unknown(&u, out, 10), -1);
	/* Known attributes are never copied. */
	assert_int_equal(dec(mk(NULL, 0)), BGP_UPD_OK);
	assert_int_equal(bgp_attrs_copy_unknown(&u, out, sizeof(out)), 0);
}

/* 2-octet sessions: AS4_PATH and AS4_AGGREGATOR (RFC 6793) */

static size_t
mk_as2(const uint8_t *path, size_t pl, const uint8_t *p4, size_t p4l,
    const uint8_t *agg, const uint8_t *agg4)
{
	uint8_t	 a[512];
	size_t	 o = 0;

	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, "\0", 1);
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, path, pl);
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_NEXT_HOP,
	    "\xc6\x12\0\2", 4);
	if (agg != NULL)
		o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
		    agg, 6);
	if (p4 != NULL)
		o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_PATH, p4,
		    p4l);
	if (agg4 != NULL)
		o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS,
		    BGP_ATTR_AS4_AGGREGATOR, agg4, 8);
	return tb_update(m, NULL, 0, a, o, nlri2, sizeof(nlri2));
}

static const char *
path_of(char *buf, size_t len)
{
	static uint8_t	 p[BGP_ASPATH_BUFMAX];
	int		 n;

	n = bgp_update_aspath(&u, p, sizeof(p));
	assert_true(n >= 0);
	return bgp_aspath_str(p, (size_t)n, 1, buf, len);
}

static void
test_as4_merge(void **state)
{
	/* 65010 (an old speaker) prepended to AS_TRANS 65001. */
	static const uint8_t	 path[] = { 2, 3, 0xfd, 0xf2, 0x5b, 0xa0,
				    0xfd, 0xe9 };
	static const uint8_t	 p4[] = { 2, 2, 0xfa, 0x56, 0xea, 0x00, 0, 0,
				    0xfd, 0xe9 };
	char			 buf[128];

	(void)state;
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4, sizeof(p4), NULL,
	    NULL)), BGP_UPD_OK);
	assert_false(u.attrs.aspath_as4);
	assert_string_equal(path_of(buf, sizeof(buf)),
	    "65010 4200000000 65001");
	/* Without AS4_PATH the path is widened as it is. */
	assert_int_equal(dec(mk_as2(path, sizeof(path), NULL, 0, NULL, NULL)),
	    BGP_UPD_OK);
	assert_string_equal(path_of(buf, sizeof(buf)), "65010 23456 65001");
}

static void
test_as4_merge_longer(void **state)
{
	static const uint8_t	 path[] = { 2, 1, 0x5b, 0xa0 };
	static const uint8_t	 p4[] = { 2, 2, 0xfa, 0x56, 0xea, 0x00, 0, 0,
				    0xfd, 0xe9 };
	char			 buf[128];

	(void)state;
	tb_sess(&s, 0, 0);
	/* AS4_PATH longer than AS_PATH: ignored. */
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4, sizeof(p4), NULL,
	    NULL)), BGP_UPD_OK);
	assert_string_equal(path_of(buf, sizeof(buf)), "23456");
}

static void
test_as4_merge_set(void **state)
{
	/* AS_PATH: 65010 {65020 65021} 23456; AS4_PATH: 4200000000. */
	static const uint8_t	 path[] = { 2, 1, 0xfd, 0xf2, 1, 2, 0xfd,
				    0xfc, 0xfd, 0xfd, 2, 1, 0x5b, 0xa0 };
	static const uint8_t	 p4[] = { 2, 1, 0xfa, 0x56, 0xea, 0x00 };
	char			 buf[128];

	(void)state;
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4, sizeof(p4), NULL,
	    NULL)), BGP_UPD_OK);
	assert_string_equal(path_of(buf, sizeof(buf)),
	    "65010 {65020 65021} 4200000000");
}

static void
test_as4_discard(void **state)
{
	static const uint8_t	 path[] = { 2, 1, 0x5b, 0xa0 };
	static const uint8_t	 p4bad[] = { 2, 2, 0xfa, 0x56, 0xea, 0x00 };
	static const uint8_t	 p4confed[] = { 3, 1, 0, 0, 0, 1 };
	static const uint8_t	 p4[] = { 2, 1, 0xfa, 0x56, 0xea, 0x00 };
	char			 buf[128];

	(void)state;
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4bad, sizeof(p4bad),
	    NULL, NULL)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AS4_PATH: malformed");
	assert_true(bgp_is_discarded(&u, BGP_ATTR_AS4_PATH));
	assert_string_equal(path_of(buf, sizeof(buf)), "23456");
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4confed,
	    sizeof(p4confed), NULL, NULL)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AS4_PATH: confederation");
	/* On a 4-octet session AS4_PATH is dropped. */
	tb_sess(&s, 1, 0);
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_PATH, p4,
	    sizeof(p4))), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AS4_PATH: received on a 4-octet");
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_AGGREGATOR,
	    "\0\0\0\1\1\2\3\4", 8)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AS4_AGGREGATOR");
	/* Flags of AS4_PATH wrong: discarded too. */
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk1(BGP_ATTRF_OPTIONAL, BGP_ATTR_AS4_PATH, p4,
	    sizeof(p4))), BGP_UPD_ATTR_DISCARD);
}

static void
test_as4_aggregator(void **state)
{
	static const uint8_t	 path[] = { 2, 1, 0x5b, 0xa0 };
	static const uint8_t	 p4[] = { 2, 1, 0xfa, 0x56, 0xea, 0x00 };
	static const uint8_t	 agg_trans[] = { 0x5b, 0xa0, 10, 0, 0, 1 };
	static const uint8_t	 agg_real[] = { 0xfd, 0xe9, 10, 0, 0, 1 };
	static const uint8_t	 agg4[] = { 0xfa, 0x56, 0xea, 0x00, 10, 0, 0,
				    2 };
	char			 buf[128];

	(void)state;
	tb_sess(&s, 0, 0);
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4, sizeof(p4),
	    agg_trans, agg4)), BGP_UPD_OK);
	assert_int_equal(u.attrs.aggregator_as, 4200000000U);
	assert_int_equal(u.attrs.aggregator_id, 0x0a000002);
	assert_string_equal(path_of(buf, sizeof(buf)), "4200000000");
	/* A real AS in AGGREGATOR: AS4_AGGREGATOR and AS4_PATH ignored. */
	assert_int_equal(dec(mk_as2(path, sizeof(path), p4, sizeof(p4),
	    agg_real, agg4)), BGP_UPD_OK);
	assert_int_equal(u.attrs.aggregator_as, 65001);
	assert_string_equal(path_of(buf, sizeof(buf)), "23456");
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AS4_PATH));
	/* AS4_AGGREGATOR without AGGREGATOR: ignored. */
	assert_int_equal(dec(mk_as2(path, sizeof(path), NULL, 0, NULL, agg4)),
	    BGP_UPD_OK);
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR));
	assert_false(u.attrs.present &
	    BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR));
	/* A bad AS4_AGGREGATOR is discarded. */
	assert_int_equal(dec(mk1(BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_AGGREGATOR,
	    "\0\0\0\1\1\2\3", 7)), BGP_UPD_ATTR_DISCARD);
	expect(BGP_UPD_ATTR_DISCARD, "AS4_AGGREGATOR: bad length");
}

static void
test_verdict_strongest(void **state)
{
	uint8_t	 a[64];
	size_t	 o;

	(void)state;
	/* Discard, then withdraw, then discard: withdraw with its reason. */
	o = tb_attr(a, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ATOMIC_AGGREGATE, "x", 1);
	o += tb_attr(a + o, BGP_ATTRF_OPTIONAL, BGP_ATTR_MED, "\0", 1);
	o += tb_attr(a + o, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR, "\0", 1);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_WITHDRAW);
	expect(BGP_UPD_WITHDRAW, "MULTI_EXIT_DISC");
	assert_true(bgp_is_discarded(&u, BGP_ATTR_ATOMIC_AGGREGATE));
	assert_true(bgp_is_discarded(&u, BGP_ATTR_AGGREGATOR));
	/* A reset after a withdraw wins. */
	o += tb_attr(a + o, BGP_ATTRF_WELLKNOWN, 77, NULL, 0);
	assert_int_equal(dec(mk(a, o)), BGP_UPD_RESET);
	expect_reset(BGP_ERRUPD_UNKNWN_WK, "77");
}

static void
test_extended_message(void **state)
{
	static uint8_t	 nl[8000];
	size_t		 i, al, len;

	(void)state;
	for (i = 0; i < sizeof(nl); i += 4) {
		nl[i] = 24;
		nl[i + 1] = 10;
		nl[i + 2] = (uint8_t)(i >> 10);
		nl[i + 3] = (uint8_t)(i >> 2);
	}
	al = tb_basic_attrs(at, 1);
	len = tb_update(m, NULL, 0, at, al, nl, sizeof(nl));
	assert_true(len > 4096);
	assert_int_equal(dec(len), BGP_UPD_OK);
	assert_int_equal(bgp_update_count(&u, BGP_SECT_NLRI), 2000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_basic, setup),
		cmocka_unit_test_setup(test_host_bits, setup),
		cmocka_unit_test_setup(test_withdraw_only, setup),
		cmocka_unit_test_setup(test_all_attrs, setup),
		cmocka_unit_test_setup(test_mp_reach_v6, setup),
		cmocka_unit_test_setup(test_mp_unreach, setup),
		cmocka_unit_test_setup(test_mp_reach_v4, setup),
		cmocka_unit_test_setup(test_addpath, setup),
		cmocka_unit_test_setup(test_eor, setup),
		cmocka_unit_test_setup(test_reset_header, setup),
		cmocka_unit_test_setup(test_reset_withdrawn_len, setup),
		cmocka_unit_test_setup(test_reset_attr_len, setup),
		cmocka_unit_test_setup(test_reset_nlri, setup),
		cmocka_unit_test_setup(test_reset_unknown_wellknown, setup),
		cmocka_unit_test_setup(test_reset_mp_dup, setup),
		cmocka_unit_test_setup(test_reset_mp_reach_dup, setup),
		cmocka_unit_test_setup(test_reset_mp_flags, setup),
		cmocka_unit_test_setup(test_reset_mp_short, setup),
		cmocka_unit_test_setup(test_reset_mp_nexthop_len, setup),
		cmocka_unit_test_setup(test_reset_mp_nlri, setup),
		cmocka_unit_test_setup(test_reset_mp_overrun, setup),
		cmocka_unit_test_setup(test_withdraw_origin, setup),
		cmocka_unit_test_setup(test_withdraw_aspath, setup),
		cmocka_unit_test_setup(test_withdraw_nexthop, setup),
		cmocka_unit_test_setup(test_nexthop_ignored_without_nlri, setup),
		cmocka_unit_test_setup(test_withdraw_med, setup),
		cmocka_unit_test_setup(test_localpref, setup),
		cmocka_unit_test_setup(test_discard_atomic, setup),
		cmocka_unit_test_setup(test_discard_aggregator, setup),
		cmocka_unit_test_setup(test_withdraw_lists, setup),
		cmocka_unit_test_setup(test_withdraw_missing, setup),
		cmocka_unit_test_setup(test_withdraw_overrun, setup),
		cmocka_unit_test_setup(test_mp_family_not_negotiated, setup),
		cmocka_unit_test_setup(test_ipv4_not_negotiated, setup),
		cmocka_unit_test_setup(test_withdraw_mp_nexthop, setup),
		cmocka_unit_test_setup(test_duplicate, setup),
		cmocka_unit_test_setup(test_unknown_attrs, setup),
		cmocka_unit_test_setup(test_as4_merge, setup),
		cmocka_unit_test_setup(test_as4_merge_longer, setup),
		cmocka_unit_test_setup(test_as4_merge_set, setup),
		cmocka_unit_test_setup(test_as4_discard, setup),
		cmocka_unit_test_setup(test_as4_aggregator, setup),
		cmocka_unit_test_setup(test_verdict_strongest, setup),
		cmocka_unit_test_setup(test_extended_message, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
