/*
 * BGP codec: UPDATE encoding.  Attribute sets for 2- and 4-octet sessions
 * (AS_TRANS, AS4_PATH, AS4_AGGREGATOR), round trips through the decoder,
 * the packer's message counts for IPv4 and IPv6, announcements and
 * withdrawals, ADD-PATH, and its limits.
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

static struct bgp_packer	*pk;
static struct bgp_update	 u;
static struct bgp_sess		 s;

static const uint8_t	 path4[] = { 2, 2, 0xfa, 0x56, 0xea, 0x00, 0, 0,
			    0xfd, 0xe9 };	/* 4200000000 65001 */
static const uint8_t	 comm[] = { 0xfd, 0xe9, 0, 1, 0xff, 0xff, 0xff,
			    0x01 };
static const uint8_t	 lcomm[] = { 0xfa, 0x56, 0xea, 0, 0, 0, 0, 1, 0, 0,
			    0, 2 };
static const uint8_t	 cl[] = { 10, 0, 0, 1 };
static const uint8_t	 ext[] = { 0, 2, 0xfd, 0xe9, 0, 0, 0, 1 };

static int
setup(void **state)
{
	(void)state;
	pk = calloc(1, sizeof(*pk));
	assert_non_null(pk);
	tb_sess(&s, 1, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(pk);
	return 0;
}

static void
basic(struct bgp_attrs *a, const char *nh)
{
	memset(a, 0, sizeof(*a));
	a->origin = BGP_ORIGIN_IGP;
	a->aspath = path4;
	a->aspath_len = sizeof(path4);
	a->aspath_as4 = 1;
	assert_int_equal(addr_parse(nh, &a->nexthop), 0);
}

static void
full(struct bgp_attrs *a)
{
	basic(a, "198.18.0.1");
	a->present = BGP_ATTR_BIT(BGP_ATTR_MED) |
	    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
	    BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE) |
	    BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |
	    BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) |
	    BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST) |
	    BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES) |
	    BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
	a->med = 10;
	a->local_pref = 300;
	a->aggregator_as = 4200000000U;
	a->aggregator_id = 0x0a000001;
	a->communities = comm;
	a->communities_len = sizeof(comm);
	a->originator_id = 0x0a000009;
	a->cluster_list = cl;
	a->cluster_list_len = sizeof(cl);
	a->ext_communities = ext;
	a->ext_communities_len = sizeof(ext);
	a->large_communities = lcomm;
	a->large_communities_len = sizeof(lcomm);
}

/* Pack one prefix, flush, and decode the message into u. */
static size_t
pack_one(const struct bgp_attrs *a, const char *pfx)
{
	struct bgp_prefix	 p;
	const uint8_t		*msg;
	size_t			 len;

	assert_int_equal(tb_prefix(pfx, &p), 0);
	assert_int_equal(bgp_pack_init(pk, &s, p.aid, a), 0);
	assert_int_equal(bgp_pack_add(pk, &p), 0);
	len = bgp_pack_flush(pk, &msg);
	assert_true(len > 0);
	if (bgp_update_decode(msg, len, &s, &u) != BGP_UPD_OK)
		fail_msg("decode: %s: %s", bgp_verdict_name(u.verdict),
		    u.err.reason);
	return len;
}

static void
check_full(int as4)
{
	uint8_t		 path[64];
	int		 n;

	assert_int_equal(u.attrs.med, 10);
	assert_int_equal(u.attrs.local_pref, 300);
	assert_true(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE));
	assert_int_equal(u.attrs.aggregator_as, 4200000000U);
	assert_int_equal(u.attrs.aggregator_id, 0x0a000001);
	assert_memory_equal(u.attrs.communities, comm, sizeof(comm));
	assert_int_equal(u.attrs.originator_id, 0x0a000009);
	assert_memory_equal(u.attrs.cluster_list, cl, sizeof(cl));
	assert_memory_equal(u.attrs.ext_communities, ext, sizeof(ext));
	assert_memory_equal(u.attrs.large_communities, lcomm, sizeof(lcomm));
	assert_int_equal(u.attrs.aspath_as4, as4);
	n = bgp_update_aspath(&u, path, sizeof(path));
	assert_int_equal(n, sizeof(path4));
	assert_memory_equal(path, path4, sizeof(path4));
}

static void
test_roundtrip_as4(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p, w;

	(void)state;
	full(&a);
	pack_one(&a, "198.19.0.64/26");
	check_full(1);
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AS4_PATH));
	assert_int_equal(u.attrs.nexthop.bytes[3], 1);
	bgp_update_iter(&u, BGP_SECT_NLRI, &it);
	assert_int_equal(bgp_nlri_next(&it, &p), 1);
	tb_prefix("198.19.0.64/26", &w);
	assert_int_equal(addr_cmp(&p.addr, &w.addr), 0);
	assert_int_equal(p.plen, 26);
}

static void
test_roundtrip_as2(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_attr_walk	 w;
	struct bgp_attr		 at;
	int			 saw4 = 0, sawagg4 = 0;

	(void)state;
	tb_sess(&s, 0, 0);
	full(&a);
	pack_one(&a, "198.19.0.0/26");
	/* On the wire: AS_TRANS in AS_PATH and AGGREGATOR, plus AS4_*. */
	assert_false(u.attrs.aspath_as4);
	assert_int_equal(bgp_aspath_first(u.attrs.aspath, u.attrs.aspath_len,
	    0), BGP_AS_TRANS);
	bgp_attr_walk_init(&w, u.attrs_raw, u.attrs_len);
	while (bgp_attr_next(&w, &at) == 1) {
		if (at.type == BGP_ATTR_AS4_PATH) {
			saw4 = 1;
			assert_int_equal(at.flags, BGP_ATTRF_OPT_TRANS);
			assert_memory_equal(at.value, path4, sizeof(path4));
		}
		if (at.type == BGP_ATTR_AGGREGATOR)
			assert_int_equal(at.value[0] << 8 | at.value[1],
			    BGP_AS_TRANS);
		if (at.type == BGP_ATTR_AS4_AGGREGATOR)
			sawagg4 = 1;
	}
	assert_true(saw4);
	assert_true(sawagg4);
	/* Decoded and merged, the original comes back. */
	check_full(0);
}

static void
test_as2_small(void **state)
{
	static const uint8_t	 small[] = { 2, 1, 0, 0, 0xfd, 0xe9, 3, 1, 0,
				    0, 0xfe, 0x00 };
	struct bgp_attrs	 a;
	uint8_t			 path[64];

	(void)state;
	tb_sess(&s, 0, 0);
	basic(&a, "198.18.0.1");
	a.aspath = small;
	a.aspath_len = sizeof(small);
	a.present = BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	a.aggregator_as = 65001;
	pack_one(&a, "198.19.0.0/26");
	/* Nothing large: no AS4_PATH, no AS4_AGGREGATOR. */
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AS4_PATH));
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR));
	assert_int_equal(u.attrs.aggregator_as, 65001);
	assert_int_equal(bgp_update_aspath(&u, path, sizeof(path)),
	    sizeof(small));
	assert_memory_equal(path, small, sizeof(small));
}

static void
test_as4_confed_not_in_as4path(void **state)
{
	static const uint8_t	 p[] = { 3, 1, 0, 0, 0xfe, 0x00, 2, 1, 0xfa,
				    0x56, 0xea, 0x00 };
	struct bgp_attrs	 a;
	struct bgp_attr_walk	 w;
	struct bgp_attr		 at;
	uint8_t			 enc[256];
	int			 n;

	(void)state;
	tb_sess(&s, 0, 0);
	basic(&a, "198.18.0.1");
	a.aspath = p;
	a.aspath_len = sizeof(p);
	n = bgp_attrs_encode(&a, &s, BGP_AID_IPV4, enc, sizeof(enc));
	assert_true(n > 0);
	bgp_attr_walk_init(&w, enc, (size_t)n);
	while (bgp_attr_next(&w, &at) == 1)
		if (at.type == BGP_ATTR_AS4_PATH) {
			assert_int_equal(at.len, 6);
			assert_int_equal(at.value[0], BGP_AS_SEQUENCE);
		}
}

static void
test_widen_input(void **state)
{
	static const uint8_t	 p2[] = { 2, 2, 0xfd, 0xe9, 0xfd, 0xea };
	struct bgp_attrs	 a;
	char			 buf[64];
	uint8_t			 path[64];
	int			 n;

	(void)state;
	basic(&a, "198.18.0.1");
	a.aspath = p2;
	a.aspath_len = sizeof(p2);
	a.aspath_as4 = 0;
	pack_one(&a, "198.19.0.0/26");
	assert_true(u.attrs.aspath_as4);
	n = bgp_update_aspath(&u, path, sizeof(path));
	assert_string_equal(bgp_aspath_str(path, (size_t)n, 1, buf,
	    sizeof(buf)), "65001 65002");
}

static void
test_ebgp_no_localpref(void **state)
{
	struct bgp_attrs	 a;

	(void)state;
	tb_sess(&s, 1, 1);
	full(&a);
	/* LOCAL_PREF never goes to an external peer. */
	pack_one(&a, "198.19.0.0/26");
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF));
	assert_int_equal(u.verdict, BGP_UPD_OK);
}

static void
test_unknown_passthrough(void **state)
{
	uint8_t			 raw[64], unk[64], m[256];
	struct bgp_attrs	 a;
	size_t			 al;
	int			 n;

	(void)state;
	al = tb_basic_attrs(raw, 1);
	al += tb_attr(raw + al, BGP_ATTRF_OPT_TRANS, 200, "xyz", 3);
	assert_int_equal(bgp_update_decode(m, tb_update(m, NULL, 0, raw, al,
	    (const uint8_t *)"\x18\xc6\x13\x01", 4), &s, &u), BGP_UPD_OK);
	n = bgp_attrs_copy_unknown(&u, unk, sizeof(unk));
	assert_int_equal(n, 6);
	basic(&a, "198.18.0.1");
	a.unknown = unk;
	a.unknown_len = (uint16_t)n;
	pack_one(&a, "198.19.0.0/26");
	assert_int_equal(bgp_attrs_copy_unknown(&u, raw, sizeof(raw)), 6);
	assert_memory_equal(raw, "\xe0\xc8\x03" "xyz", 6);
}

static void
test_ipv6_roundtrip(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p, w;
	char			 buf[64];

	(void)state;
	full(&a);
	assert_int_equal(addr_parse("2001:db8::1", &a.nexthop), 0);
	assert_int_equal(addr_parse("fe80::1", &a.nexthop_ll), 0);
	pack_one(&a, "2001:db8:1:2::/64");
	check_full(1);
	/* MP_REACH_NLRI first, no classic NEXT_HOP. */
	assert_int_equal(u.attrs_raw[1], BGP_ATTR_MP_REACH_NLRI);
	assert_false(u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP));
	assert_string_equal(addr_ntop(&u.mp_nexthop, buf, sizeof(buf)),
	    "2001:db8::1");
	assert_string_equal(addr_ntop(&u.mp_nexthop_ll, buf, sizeof(buf)),
	    "fe80::1");
	assert_int_equal(bgp_update_iter(&u, BGP_SECT_MP_REACH, &it), 0);
	assert_int_equal(bgp_nlri_next(&it, &p), 1);
	tb_prefix("2001:db8:1:2::/64", &w);
	assert_int_equal(addr_cmp(&p.addr, &w.addr), 0);
	/* Without a link-local next hop: 16 octets. */
	memset(&a.nexthop_ll, 0, sizeof(a.nexthop_ll));
	pack_one(&a, "2001:db8:1:2::/64");
	assert_int_equal(u.mp_nexthop_ll.af, 0);
	/* A v4 next hop for a v6 prefix is refused. */
	assert_int_equal(addr_parse("198.18.0.1", &a.nexthop), 0);
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV6, &a), -1);
}

/*
 * Pack n prefixes of length plen from base, decode every message, check
 * sizes and the prefixes that come back in order; returns the number of
 * messages.
 */
static size_t
pack_many(uint8_t aid, const struct bgp_attrs *a, size_t n, uint8_t plen,
    size_t *per_msg)
{
	struct bgp_prefix	 p, q;
	struct bgp_nlri_iter	 it;
	const uint8_t		*msg;
	size_t			 i, got = 0, nmsg = 0, len, inmsg;
	enum bgp_nlri_sect	 sect;
	int			 r;

	assert_int_equal(bgp_pack_init(pk, &s, aid, a), 0);
	memset(&p, 0, sizeof(p));
	p.aid = aid;
	p.plen = plen;
	p.addr.af = aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET;
	if (aid == BGP_AID_IPV6)
		sect = a ? BGP_SECT_MP_REACH : BGP_SECT_MP_UNREACH;
	else
		sect = a ? BGP_SECT_NLRI : BGP_SECT_WITHDRAWN;
	*per_msg = 0;
	for (i = 0; i <= n; i++) {
		if (i < n) {
			p.addr.bytes[0] = (uint8_t)((aid == BGP_AID_IPV6 ?
			    0x20 : 10) + (i >> 16));
			p.addr.bytes[1] = (uint8_t)(i >> 8);
			p.addr.bytes[2] = (uint8_t)i;
			p.path_id = (uint32_t)i;
			if ((r = bgp_pack_add(pk, &p)) == 0)
				continue;
			assert_int_equal(r, 1);
		}
		len = bgp_pack_flush(pk, &msg);
		if (len == 0)
			break;
		assert_true(len <= s.maxlen);
		nmsg++;
		assert_int_equal(bgp_update_decode(msg, len, &s, &u),
		    BGP_UPD_OK);
		assert_int_equal(bgp_update_iter(&u, sect, &it), 0);
		inmsg = 0;
		while (bgp_nlri_next(&it, &q) == 1) {
			assert_int_equal(q.addr.bytes[1], (uint8_t)(got >> 8));
			assert_int_equal(q.addr.bytes[2], (uint8_t)got);
			assert_int_equal(q.plen, plen);
			if (s.addpath_rx[aid])
				assert_int_equal(q.path_id, got);
			got++;
			inmsg++;
		}
		if (*per_msg == 0)
			*per_msg = inmsg;
		/* A full message has no room for one more prefix. */
		if (i < n)
			assert_int_equal(bgp_pack_add(pk, &p), 0);
	}
	assert_int_equal(got, n);
	return nmsg;
}

static void
test_pack_counts_v4(void **state)
{
	struct bgp_attrs	 a;
	uint8_t			 enc[256];
	size_t			 nmsg, cap, per;
	int			 al;

	(void)state;
	full(&a);
	al = bgp_attrs_encode(&a, &s, BGP_AID_IPV4, enc, sizeof(enc));
	assert_true(al > 0);
	/* /24: 4 octets each. */
	cap = (4096 - 23 - (size_t)al) / 4;
	nmsg = pack_many(BGP_AID_IPV4, &a, 100000, 24, &per);
	assert_int_equal(per, cap);
	assert_int_equal(nmsg, (100000 + cap - 1) / cap);
	/* Extended messages. */
	s.maxlen = 65535;
	cap = (65535 - 23 - (size_t)al) / 4;
	nmsg = pack_many(BGP_AID_IPV4, &a, 100000, 24, &per);
	assert_int_equal(per, cap);
	assert_int_equal(nmsg, (100000 + cap - 1) / cap);
	/* Exactly one message's worth, and one more. */
	s.maxlen = 4096;
	cap = (4096 - 23 - (size_t)al) / 4;
	assert_int_equal(pack_many(BGP_AID_IPV4, &a, cap, 24, &per), 1);
	assert_int_equal(pack_many(BGP_AID_IPV4, &a, cap + 1, 24, &per), 2);
}

static void
test_pack_counts_withdraw_v4(void **state)
{
	size_t	 nmsg, cap, per;

	(void)state;
	/* /32: 5 octets; the two length fields frame them. */
	cap = (4096 - 23) / 5;
	nmsg = pack_many(BGP_AID_IPV4, NULL, 50000, 32, &per);
	assert_int_equal(per, cap);
	assert_int_equal(nmsg, (50000 + cap - 1) / cap);
}

static void
test_pack_counts_v6(void **state)
{
	struct bgp_attrs	 a;
	uint8_t			 enc[256];
	size_t			 nmsg, cap, per;
	int			 al;

	(void)state;
	full(&a);
	assert_int_equal(addr_parse("2001:db8::1", &a.nexthop), 0);
	al = bgp_attrs_encode(&a, &s, BGP_AID_IPV6, enc, sizeof(enc));
	assert_true(al > 0);
	/* /48: 7 octets; MP_REACH_NLRI header 4 + 5 + 16. */
	cap = (4096 - 23 - 25 - (size_t)al) / 7;
	nmsg = pack_many(BGP_AID_IPV6, &a, 30000, 48, &per);
	assert_int_equal(per, cap);
	assert_int_equal(nmsg, (30000 + cap - 1) / cap);
	/* Withdrawals: MP_UNREACH_NLRI header 4 + 3. */
	cap = (4096 - 23 - 7) / 7;
	nmsg = pack_many(BGP_AID_IPV6, NULL, 30000, 48, &per);
	assert_int_equal(per, cap);
	assert_int_equal(nmsg, (30000 + cap - 1) / cap);
}

static void
test_pack_addpath(void **state)
{
	struct bgp_attrs	 a;
	size_t			 per;

	(void)state;
	s.addpath_tx[BGP_AID_IPV4] = 1;
	s.addpath_rx[BGP_AID_IPV4] = 1;
	s.addpath_tx[BGP_AID_IPV6] = 1;
	s.addpath_rx[BGP_AID_IPV6] = 1;
	basic(&a, "198.18.0.1");
	pack_many(BGP_AID_IPV4, &a, 5000, 24, &per);
	pack_many(BGP_AID_IPV4, NULL, 5000, 24, &per);
	assert_int_equal(per, (4096 - 23) / 8);
	assert_int_equal(addr_parse("2001:db8::1", &a.nexthop), 0);
	pack_many(BGP_AID_IPV6, &a, 5000, 64, &per);
	pack_many(BGP_AID_IPV6, NULL, 5000, 64, &per);
}

static void
test_pack_mixed_lengths(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_prefix	 p;
	const uint8_t		*msg;
	size_t			 len, total = 0;
	int			 i, r;

	(void)state;
	basic(&a, "2001:db8::1");
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV6, &a), 0);
	memset(&p, 0, sizeof(p));
	p.aid = BGP_AID_IPV6;
	p.addr.af = AF_INET6;
	for (i = 0; i < 3000; i++) {
		p.plen = (uint8_t)(i % 129);
		p.addr.bytes[15] = 0xff;
		r = bgp_pack_add(pk, &p);
		if (r == 1) {
			len = bgp_pack_flush(pk, &msg);
			assert_true(len <= 4096);
			assert_int_equal(bgp_update_decode(msg, len, &s, &u),
			    BGP_UPD_OK);
			total += bgp_update_count(&u, BGP_SECT_MP_REACH);
			r = bgp_pack_add(pk, &p);
		}
		assert_int_equal(r, 0);
	}
	len = bgp_pack_flush(pk, &msg);
	assert_int_equal(bgp_update_decode(msg, len, &s, &u), BGP_UPD_OK);
	total += bgp_update_count(&u, BGP_SECT_MP_REACH);
	assert_int_equal(total, 3000);
	/* Nothing pending: nothing to flush. */
	assert_int_equal(bgp_pack_flush(pk, &msg), 0);
}

static void
test_pack_errors(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_prefix	 p;
	static uint8_t		 big[4096];
	uint8_t			 small[8];

	(void)state;
	basic(&a, "198.18.0.1");
	/* Family not negotiated. */
	s.af[BGP_AID_IPV6] = 0;
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV6, &a), -1);
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_MAX, &a), -1);
	/* Attributes that leave no room for a prefix. */
	a.present = BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	a.communities = big;
	a.communities_len = 4060;
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &a), -1);
	s.maxlen = 65535;
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &a), 0);
	/* Wrong family or length. */
	tb_prefix("2001:db8::/32", &p);
	assert_int_equal(bgp_pack_add(pk, &p), -1);
	tb_prefix("10.0.0.0/8", &p);
	p.plen = 33;
	assert_int_equal(bgp_pack_add(pk, &p), -1);
	/* Missing next hop, bad AS path, pointer without data. */
	basic(&a, "198.18.0.1");
	memset(&a.nexthop, 0, sizeof(a.nexthop));
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &a), -1);
	basic(&a, "198.18.0.1");
	a.aspath_len = 3;
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &a), -1);
	basic(&a, "198.18.0.1");
	a.communities_len = 4;
	assert_int_equal(bgp_attrs_encode(&a, &s, BGP_AID_IPV4, small,
	    sizeof(small)), -1);
	basic(&a, "198.18.0.1");
	assert_int_equal(bgp_attrs_encode(&a, &s, BGP_AID_IPV4, small,
	    sizeof(small)), -1);
}

static void
test_host_bits_cleared(void **state)
{
	struct bgp_attrs	 a;
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;
	const uint8_t		*msg;
	size_t			 len;

	(void)state;
	basic(&a, "198.18.0.1");
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &a), 0);
	tb_prefix("198.19.0.0/26", &p);
	p.addr.bytes[3] = 0xff;
	assert_int_equal(bgp_pack_add(pk, &p), 0);
	len = bgp_pack_flush(pk, &msg);
	/* The last octet on the wire is 0xc0, not 0xff. */
	assert_int_equal(msg[len - 1], 0xc0);
	bgp_update_decode(msg, len, &s, &u);
	bgp_update_iter(&u, BGP_SECT_NLRI, &it);
	assert_int_equal(bgp_nlri_next(&it, &p), 1);
	assert_int_equal(p.addr.bytes[3], 0xc0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_as4, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_as2, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_as2_small, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_as4_confed_not_in_as4path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_widen_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_no_localpref, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_passthrough, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_counts_v4, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_counts_withdraw_v4,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_counts_v6, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_addpath, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_mixed_lengths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_host_bits_cleared, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
