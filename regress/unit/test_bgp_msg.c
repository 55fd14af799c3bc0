/*
 * BGP codec: header checks, OPEN and capabilities, negotiation, KEEPALIVE,
 * NOTIFICATION (shutdown communication), ROUTE-REFRESH and code names.
 * One test per NOTIFICATION code/subcode the codec produces for these
 * message types.
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

static struct bgp_err	 err;

static void
hdr(uint8_t *b, size_t len, uint8_t type)
{
	memset(b, 0xff, 16);
	b[16] = (uint8_t)(len >> 8);
	b[17] = (uint8_t)len;
	b[18] = type;
}

/* An OPEN with the given fields and a raw optional parameters block. */
static size_t
mk_open(uint8_t *b, uint8_t ver, uint16_t as, uint16_t hold, uint32_t id,
    const uint8_t *opt, size_t optlen)
{
	size_t	 len = 29 + optlen;

	hdr(b, len, BGP_MSG_OPEN);
	b[19] = ver;
	b[20] = (uint8_t)(as >> 8);
	b[21] = (uint8_t)as;
	b[22] = (uint8_t)(hold >> 8);
	b[23] = (uint8_t)hold;
	b[24] = (uint8_t)(id >> 24);
	b[25] = (uint8_t)(id >> 16);
	b[26] = (uint8_t)(id >> 8);
	b[27] = (uint8_t)id;
	b[28] = (uint8_t)optlen;
	if (optlen)
		memcpy(b + 29, opt, optlen);
	return len;
}

/* One capabilities optional parameter around caps. */
static size_t
mk_open_caps(uint8_t *b, uint16_t as, uint32_t id, const uint8_t *caps,
    size_t cl)
{
	uint8_t	 opt[260];

	opt[0] = 2;
	opt[1] = (uint8_t)cl;
	memcpy(opt + 2, caps, cl);
	return mk_open(b, 4, as, 90, id, opt, cl + 2);
}

static void
expect_err(uint8_t code, uint8_t sub)
{
	if (err.code != code || err.subcode != sub)
		fail_msg("got %u/%u (%s), want %u/%u", err.code, err.subcode,
		    err.reason, code, sub);
	assert_true(err.reason[0] != '\0');
}

/* Header */

static void
test_hdr_ok(void **state)
{
	uint8_t		 b[64];
	uint8_t		 type;
	uint16_t	 len;

	(void)state;
	hdr(b, 19, BGP_MSG_KEEPALIVE);
	assert_int_equal(bgp_hdr_parse(b, 18, 4096, &type, &len, &err), 0);
	assert_int_equal(bgp_hdr_parse(b, 19, 4096, &type, &len, &err), 1);
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	assert_int_equal(len, 19);
	hdr(b, 5000, BGP_MSG_UPDATE);
	assert_int_equal(bgp_hdr_parse(b, 19, 65535, &type, &len, &err), 1);
	assert_int_equal(len, 5000);
	hdr(b, 23, BGP_MSG_ROUTE_REFRESH);
	assert_int_equal(bgp_hdr_parse(b, 19, 4096, &type, &len, &err), 1);
}

static void
test_hdr_sync(void **state)
{
	uint8_t		 b[19];
	uint8_t		 type;
	uint16_t	 len;

	(void)state;
	hdr(b, 19, BGP_MSG_KEEPALIVE);
	b[7] = 0xfe;
	assert_int_equal(bgp_hdr_parse(b, 19, 4096, &type, &len, &err), -1);
	expect_err(BGP_ERR_HEADER, BGP_ERRHDR_SYNC);
	assert_int_equal(err.datalen, 0);
}

static void
test_hdr_badlen(void **state)
{
	uint8_t		 b[19];
	uint8_t		 type;
	uint16_t	 len;
	static const struct {
		uint16_t	 len;
		uint8_t		 type;
		size_t		 max;
	} bad[] = {
		{ 18, BGP_MSG_KEEPALIVE, 4096 },
		{ 0, BGP_MSG_UPDATE, 4096 },
		{ 4097, BGP_MSG_UPDATE, 4096 },
		{ 20, BGP_MSG_KEEPALIVE, 4096 },
		{ 28, BGP_MSG_OPEN, 4096 },
		{ 4097, BGP_MSG_OPEN, 65535 },
		{ 22, BGP_MSG_UPDATE, 4096 },
		{ 20, BGP_MSG_NOTIFICATION, 4096 },
		{ 5000, BGP_MSG_UPDATE, 100 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hdr(b, bad[i].len, bad[i].type);
		assert_int_equal(bgp_hdr_parse(b, 19, bad[i].max, &type, &len,
		    &err), -1);
		expect_err(BGP_ERR_HEADER, BGP_ERRHDR_LEN);
		/* The data is the erroneous length field. */
		assert_int_equal(err.datalen, 2);
		assert_memory_equal(err.data, b + 16, 2);
	}
}

static void
test_hdr_badtype(void **state)
{
	uint8_t		 b[19];
	uint8_t		 type;
	uint16_t	 len;

	(void)state;
	hdr(b, 19, 0);
	assert_int_equal(bgp_hdr_parse(b, 19, 4096, &type, &len, &err), -1);
	expect_err(BGP_ERR_HEADER, BGP_ERRHDR_TYPE);
	hdr(b, 19, 6);
	assert_int_equal(bgp_hdr_parse(b, 19, 4096, &type, &len, &err), -1);
	expect_err(BGP_ERR_HEADER, BGP_ERRHDR_TYPE);
	assert_int_equal(err.datalen, 1);
	assert_int_equal(err.data[0], 6);
}

/* KEEPALIVE */

static void
test_keepalive(void **state)
{
	uint8_t	 b[32];

	(void)state;
	assert_int_equal(bgp_keepalive_encode(b, 18), -1);
	assert_int_equal(bgp_keepalive_encode(b, sizeof(b)), 19);
	assert_int_equal(bgp_keepalive_decode(b, 19, &err), 0);
	assert_int_equal(bgp_keepalive_decode(b, 18, &err), -1);
	hdr(b, 20, BGP_MSG_KEEPALIVE);
	assert_int_equal(bgp_keepalive_decode(b, 20, &err), -1);
	expect_err(BGP_ERR_HEADER, BGP_ERRHDR_LEN);
	hdr(b, 19, BGP_MSG_UPDATE);
	assert_int_equal(bgp_keepalive_decode(b, 19, &err), -1);
}

/* OPEN */

static const uint8_t caps_full[] = {
	1, 4, 0, 1, 0, 1,		/* MP IPv4 unicast */
	1, 4, 0, 2, 0, 1,		/* MP IPv6 unicast */
	1, 4, 0, 1, 0, 128,		/* MP IPv4 VPN: unknown family */
	2, 0,				/* route refresh */
	70, 0,				/* enhanced route refresh */
	6, 0,				/* extended message */
	65, 4, 0, 3, 0x0d, 0x40,	/* AS4 200000 */
	64, 10, 0x80 | 0x40, 120,	/* GR R+N bits, 120 s */
	    0, 1, 1, 0x80,		/*   IPv4 forwarding */
	    0, 2, 1, 0x00,		/*   IPv6 */
	69, 8, 0, 1, 1, 3, 0, 2, 1, 1,	/* ADD-PATH v4 both, v6 recv */
	73, 3, 1, 'a', 0,		/* FQDN: unknown, skipped */
	128, 0,				/* old Cisco route refresh */
};

static void
test_open_caps_full(void **state)
{
	uint8_t		 b[512];
	struct bgp_open	 o;
	size_t		 len;

	(void)state;
	len = mk_open_caps(b, BGP_AS_TRANS, 0x0a000001, caps_full,
	    sizeof(caps_full));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	assert_int_equal(o.version, 4);
	assert_int_equal(o.as2, BGP_AS_TRANS);
	assert_int_equal(o.as, 200000);
	assert_int_equal(o.holdtime, 90);
	assert_int_equal(o.bgp_id, 0x0a000001);
	assert_true(o.caps.mp_seen);
	assert_true(o.caps.mp[BGP_AID_IPV4]);
	assert_true(o.caps.mp[BGP_AID_IPV6]);
	assert_true(o.caps.rrefresh);
	assert_true(o.caps.enhanced_rr);
	assert_true(o.caps.ext_msg);
	assert_true(o.caps.as4);
	assert_true(o.caps.gr);
	assert_int_equal(o.caps.gr_flags,
	    BGP_GR_RESTARTING | BGP_GR_NOTIFICATION);
	assert_int_equal(o.caps.gr_time, 120);
	assert_int_equal(o.caps.gr_af[BGP_AID_IPV4],
	    BGP_GR_AF_PRESENT | BGP_GR_AF_FORWARDING);
	assert_int_equal(o.caps.gr_af[BGP_AID_IPV6], BGP_GR_AF_PRESENT);
	assert_int_equal(o.caps.addpath[BGP_AID_IPV4],
	    BGP_ADDPATH_RECV | BGP_ADDPATH_SEND);
	assert_int_equal(o.caps.addpath[BGP_AID_IPV6], BGP_ADDPATH_RECV);
	assert_int_equal(o.caps.unknown, 2);
}

static void
test_open_no_caps(void **state)
{
	uint8_t		 b[64];
	struct bgp_open	 o;
	size_t		 len;

	(void)state;
	len = mk_open(b, 4, 64512, 0, 0x01020304, NULL, 0);
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	assert_int_equal(o.as, 64512);
	assert_int_equal(o.holdtime, 0);
	assert_false(o.caps.mp_seen);
	assert_false(o.caps.as4);
}

static void
test_open_caps_split(void **state)
{
	/* Two optional parameters, an empty one among them. */
	static const uint8_t	 opt[] = { 2, 6, 1, 4, 0, 2, 0, 1, 2, 0,
				    2, 2, 2, 0 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open(b, 4, 65001, 180, 1, opt, sizeof(opt));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	assert_true(o.caps.mp[BGP_AID_IPV6]);
	assert_false(o.caps.mp[BGP_AID_IPV4]);
	assert_true(o.caps.rrefresh);
}

static void
test_open_extended_params(void **state)
{
	/* RFC 9072: 255, 255, 2-octet length, params with 2-octet lengths. */
	static const uint8_t	 opt[] = { 255, 0, 9, 2, 0, 6, 65, 4,
				    0, 0, 0xfd, 0xe9 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open(b, 4, 65001, 90, 1, opt, sizeof(opt));
	b[28] = 255;
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	assert_true(o.caps.as4);
	assert_int_equal(o.as, 65001);
	b[31] = 10;
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC);
}

static void
test_open_version(void **state)
{
	uint8_t		 b[64];
	struct bgp_open	 o;
	size_t		 len;

	(void)state;
	len = mk_open(b, 3, 65001, 90, 1, NULL, 0);
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_VERSION);
	assert_int_equal(err.datalen, 2);
	assert_int_equal(err.data[0], 0);
	assert_int_equal(err.data[1], 4);
}

static void
test_open_bad_as(void **state)
{
	static const uint8_t	 as4[] = { 65, 4, 0, 0, 0xfd, 0xe9 };
	static const uint8_t	 as4zero[] = { 65, 4, 0, 0, 0, 0 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open(b, 4, 0, 90, 1, NULL, 0);
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_AS);
	/* The 2-octet field disagrees with the capability (65001). */
	len = mk_open_caps(b, 65002, 1, as4, sizeof(as4));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_AS);
	len = mk_open_caps(b, 65001, 1, as4, sizeof(as4));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	len = mk_open_caps(b, BGP_AS_TRANS, 1, as4zero, sizeof(as4zero));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_AS);
}

static void
test_open_holdtime(void **state)
{
	uint8_t		 b[64];
	struct bgp_open	 o;
	size_t		 len;
	uint16_t	 h;

	(void)state;
	for (h = 1; h <= 3; h++) {
		len = mk_open(b, 4, 65001, h, 1, NULL, 0);
		if (h < 3) {
			assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
			expect_err(BGP_ERR_OPEN, BGP_ERROPEN_HOLDTIME);
		} else
			assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	}
}

static void
test_open_bgpid(void **state)
{
	uint8_t		 b[64];
	struct bgp_open	 o;
	size_t		 len;

	(void)state;
	len = mk_open(b, 4, 65001, 90, 0, NULL, 0);
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_BGPID);
}

static void
test_open_unsupported_param(void **state)
{
	static const uint8_t	 opt[] = { 1, 2, 0, 0 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open(b, 4, 65001, 90, 1, opt, sizeof(opt));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_OPT);
}

static void
test_open_malformed_caps(void **state)
{
	static const uint8_t	 c1[] = { 1, 3, 0, 1, 0 };
	static const uint8_t	 c2[] = { 2, 1, 0 };
	static const uint8_t	 c3[] = { 65, 2, 0, 1 };
	static const uint8_t	 c4[] = { 64, 3, 0, 0, 0 };
	static const uint8_t	 c5[] = { 64, 1, 0 };
	static const uint8_t	 c6[] = { 69, 3, 0, 1, 1 };
	static const uint8_t	 c7[] = { 70, 1, 0 };
	static const uint8_t	 c8[] = { 6, 2, 0, 0 };
	static const uint8_t	 c9[] = { 1, 9, 0, 1, 0 };
	static const uint8_t	 c10[] = { 1 };
	static const struct {
		const uint8_t	*c;
		size_t		 l;
	} bad[] = {
		{ c1, sizeof(c1) }, { c2, sizeof(c2) }, { c3, sizeof(c3) },
		{ c4, sizeof(c4) }, { c5, sizeof(c5) }, { c6, sizeof(c6) },
		{ c7, sizeof(c7) }, { c8, sizeof(c8) }, { c9, sizeof(c9) },
		{ c10, sizeof(c10) },
	};
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = mk_open_caps(b, 65001, 1, bad[i].c, bad[i].l);
		assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
		expect_err(BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC);
	}
}

static void
test_open_param_overrun(void **state)
{
	static const uint8_t	 opt[] = { 2, 5, 2, 0 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open(b, 4, 65001, 90, 1, opt, sizeof(opt));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC);
	/* Optional parameters length disagrees with the message length. */
	len = mk_open(b, 4, 65001, 90, 1, opt, sizeof(opt));
	b[28] = 2;
	assert_int_equal(bgp_open_decode(b, len, &o, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC);
}

static void
test_open_addpath_bad_value(void **state)
{
	/* Send/Receive 4 makes the whole capability ignored (RFC 7911). */
	static const uint8_t	 c[] = { 69, 8, 0, 1, 1, 3, 0, 2, 1, 4 };
	uint8_t			 b[64];
	struct bgp_open		 o;
	size_t			 len;

	(void)state;
	len = mk_open_caps(b, 65001, 1, c, sizeof(c));
	assert_int_equal(bgp_open_decode(b, len, &o, &err), 0);
	assert_int_equal(o.caps.addpath[BGP_AID_IPV4], 0);
	assert_int_equal(o.caps.addpath[BGP_AID_IPV6], 0);
	assert_int_equal(o.caps.unknown, 1);
}

static void
fill_open(struct bgp_open *o, uint32_t as, uint32_t id)
{
	memset(o, 0, sizeof(*o));
	o->version = 4;
	o->as = as;
	o->holdtime = 90;
	o->bgp_id = id;
	o->caps.mp[BGP_AID_IPV4] = 1;
	o->caps.mp[BGP_AID_IPV6] = 1;
	o->caps.mp_seen = 1;
	o->caps.rrefresh = 1;
	o->caps.as4 = 1;
}

static void
test_open_roundtrip(void **state)
{
	uint8_t		 b[4096];
	struct bgp_open	 o, d;
	int		 len;

	(void)state;
	fill_open(&o, 4200000000U, 0xc6120001);
	o.caps.enhanced_rr = 1;
	o.caps.ext_msg = 1;
	o.caps.gr = 1;
	o.caps.gr_flags = BGP_GR_NOTIFICATION;
	o.caps.gr_time = 300;
	o.caps.gr_af[BGP_AID_IPV4] = BGP_GR_AF_PRESENT | BGP_GR_AF_FORWARDING;
	o.caps.gr_af[BGP_AID_IPV6] = BGP_GR_AF_PRESENT;
	o.caps.addpath[BGP_AID_IPV6] = BGP_ADDPATH_SEND;
	len = bgp_open_encode(&o, b, sizeof(b));
	assert_true(len > 29);
	assert_int_equal(b[20] << 8 | b[21], BGP_AS_TRANS);
	assert_int_equal(bgp_open_decode(b, (size_t)len, &d, &err), 0);
	o.as2 = BGP_AS_TRANS;
	o.caps.as4_as = o.as;
	assert_memory_equal(&o, &d, sizeof(o));
	assert_int_equal(bgp_open_encode(&o, b, (size_t)len - 1), -1);
	/* A large AS without the 4-octet capability cannot be sent. */
	o.caps.as4 = 0;
	assert_int_equal(bgp_open_encode(&o, b, sizeof(b)), -1);
}

static void
test_negotiate(void **state)
{
	struct bgp_open	 l, r;
	struct bgp_sess	 s;

	(void)state;
	fill_open(&l, 64512, 1);
	fill_open(&r, 64513, 2);
	l.caps.addpath[BGP_AID_IPV4] = BGP_ADDPATH_SEND | BGP_ADDPATH_RECV;
	r.caps.addpath[BGP_AID_IPV4] = BGP_ADDPATH_RECV;
	l.caps.addpath[BGP_AID_IPV6] = BGP_ADDPATH_RECV;
	r.caps.addpath[BGP_AID_IPV6] = BGP_ADDPATH_SEND;
	l.caps.ext_msg = 1;
	r.holdtime = 30;
	r.caps.mp[BGP_AID_IPV6] = 0;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 64513, &s, &err), 0);
	assert_true(s.as4);
	assert_true(s.ebgp);
	assert_false(s.ext_msg);
	assert_int_equal(s.maxlen, 4096);
	assert_int_equal(s.holdtime, 30);
	assert_true(s.af[BGP_AID_IPV4]);
	assert_false(s.af[BGP_AID_IPV6]);
	assert_true(s.addpath_tx[BGP_AID_IPV4]);
	assert_false(s.addpath_rx[BGP_AID_IPV4]);
	/* No IPv6 in common, so no ADD-PATH for it either. */
	assert_false(s.addpath_rx[BGP_AID_IPV6]);
	assert_true(s.rrefresh);
	assert_false(s.enhanced_rr);
	assert_int_equal(s.peer_as, 64513);
	r.caps.ext_msg = 1;
	r.caps.mp[BGP_AID_IPV6] = 1;
	r.caps.as4 = 0;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 0, &s, &err), 0);
	assert_int_equal(s.maxlen, 65535);
	assert_false(s.as4);
	assert_true(s.addpath_rx[BGP_AID_IPV6]);
	assert_false(s.addpath_tx[BGP_AID_IPV6]);
}

static void
test_negotiate_implied_ipv4(void **state)
{
	struct bgp_open	 l, r;
	struct bgp_sess	 s;

	(void)state;
	fill_open(&l, 64512, 1);
	fill_open(&r, 64512, 2);
	memset(&r.caps, 0, sizeof(r.caps));
	assert_int_equal(bgp_caps_negotiate(&l, &r, 64512, &s, &err), 0);
	assert_false(s.ebgp);
	assert_true(s.af[BGP_AID_IPV4]);
	assert_false(s.af[BGP_AID_IPV6]);
	assert_false(s.as4);
}

static void
test_negotiate_errors(void **state)
{
	struct bgp_open	 l, r;
	struct bgp_sess	 s;

	(void)state;
	fill_open(&l, 64512, 1);
	fill_open(&r, 64513, 2);
	assert_int_equal(bgp_caps_negotiate(&l, &r, 64514, &s, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_AS);
	r.as = 64512;
	r.bgp_id = 1;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 0, &s, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_BGPID);
	/* Identical identifiers are fine between different ASes. */
	r.as = 64513;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 0, &s, &err), 0);
	r.holdtime = 2;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 0, &s, &err), -1);
	expect_err(BGP_ERR_OPEN, BGP_ERROPEN_HOLDTIME);
	r.holdtime = 0;
	assert_int_equal(bgp_caps_negotiate(&l, &r, 0, &s, &err), 0);
	assert_int_equal(s.holdtime, 0);
}

/* NOTIFICATION */

static void
test_notification_roundtrip(void **state)
{
	static const uint8_t		 data[] = { 1, 2, 3 };
	uint8_t				 b[4200];
	struct bgp_notification		 n;
	static uint8_t			 big[5000];
	int				 len;

	(void)state;
	len = bgp_notification_encode(BGP_ERR_UPDATE, BGP_ERRUPD_ATTRLEN, data,
	    sizeof(data), b, sizeof(b));
	assert_int_equal(len, 24);
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_int_equal(n.code, BGP_ERR_UPDATE);
	assert_int_equal(n.subcode, BGP_ERRUPD_ATTRLEN);
	assert_int_equal(n.datalen, 3);
	assert_memory_equal(n.data, data, 3);
	assert_false(n.has_shutdown);
	/* Data is cut so that the message fits 4096 octets. */
	len = bgp_notification_encode(BGP_ERR_UPDATE, 1, big, sizeof(big), b,
	    sizeof(b));
	assert_int_equal(len, 4096);
	assert_int_equal(bgp_notification_encode(4, 0, NULL, 0, b, 20), -1);
	len = bgp_notification_encode(BGP_ERR_HOLD, 0, NULL, 0, b, sizeof(b));
	assert_int_equal(len, 21);
	assert_int_equal(bgp_notification_decode(b, 20, &n, &err), -1);
}

static void
test_notification_err(void **state)
{
	uint8_t			 b[64];
	struct bgp_notification	 n;
	int			 len;

	(void)state;
	bgp_err_set(&err, BGP_ERR_OPEN, BGP_ERROPEN_VERSION,
	    (const uint8_t *)"\0\4", 2, "test %d", 1);
	assert_string_equal(err.reason, "test 1");
	len = bgp_notification_encode_err(&err, b, sizeof(b));
	assert_int_equal(len, 23);
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_int_equal(n.code, 2);
	assert_int_equal(n.subcode, 1);
	assert_int_equal(n.data[1], 4);
}

static void
test_notification_shutdown(void **state)
{
	uint8_t			 b[512];
	char			 text[300], s[400];
	struct bgp_notification	 n;
	int			 len;

	(void)state;
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN,
	    "maintenance, back at 10:00 \xc3\xa9t\xc3\xa9", b, sizeof(b));
	assert_true(len > 21);
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_true(n.has_shutdown);
	assert_string_equal(n.shutdown,
	    "maintenance, back at 10:00 \xc3\xa9t\xc3\xa9");
	assert_string_equal(bgp_notification_str(0, 0, &n, s, sizeof(s)),
	    "Cease: Administrative Shutdown: \"maintenance, back at 10:00 "
	    "\xc3\xa9t\xc3\xa9\"");
	/* Empty text, subcode 4. */
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_RESET, "", b,
	    sizeof(b));
	assert_int_equal(len, 22);
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_true(n.has_shutdown);
	assert_int_equal(n.shutdown_len, 0);
	assert_int_equal(bgp_notification_encode_shutdown(BGP_CEASE_CONN_REJECT,
	    "x", b, sizeof(b)), -1);
	/* Too long: cut at 255 octets, on a character boundary. */
	memset(text, 'a', sizeof(text));
	memcpy(text + 253, "\xc3\xa9", 2);
	text[299] = '\0';
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN, text, b,
	    sizeof(b));
	assert_int_equal(b[21], 255);
	/* Invalid UTF-8 in our own text is cut off too. */
	text[254] = 'a';
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN, text, b,
	    sizeof(b));
	assert_int_equal(b[21], 253);
	text[253] = 'a';
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN, text, b,
	    sizeof(b));
	assert_int_equal(b[21], 255);
	memcpy(text + 254, "\xc3\xa9", 2);
	len = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN, text, b,
	    sizeof(b));
	assert_int_equal(b[21], 254);
}

static void
test_notification_shutdown_bad(void **state)
{
	uint8_t			 b[64];
	struct bgp_notification	 n;
	int			 len;

	(void)state;
	/* Length beyond the data: not interpreted. */
	len = bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN,
	    (const uint8_t *)"\x05" "abc", 4, b, sizeof(b));
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_false(n.has_shutdown);
	/* Invalid UTF-8 (overlong, lone continuation): not interpreted. */
	len = bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN,
	    (const uint8_t *)"\x02\xc0\xaf", 3, b, sizeof(b));
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_false(n.has_shutdown);
	len = bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET,
	    (const uint8_t *)"\x01\x80", 2, b, sizeof(b));
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_false(n.has_shutdown);
	/* Control characters are replaced for the log. */
	len = bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET,
	    (const uint8_t *)"\x03" "a\nb", 4, b, sizeof(b));
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_true(n.has_shutdown);
	assert_string_equal(n.shutdown, "a?b");
	/* Other subcodes never carry one. */
	len = bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_PEER_UNCONF,
	    (const uint8_t *)"\x01" "a", 2, b, sizeof(b));
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_false(n.has_shutdown);
}

/* Every code and subcode: encoded, decoded, named as the RFCs do. */
static void
test_notification_all_codes(void **state)
{
	static const struct {
		uint8_t		 code;
		uint8_t		 sub;
		const char	*str;
	} all[] = {
		{ 1, 1, "Message Header Error: Connection Not Synchronized" },
		{ 1, 2, "Message Header Error: Bad Message Length" },
		{ 1, 3, "Message Header Error: Bad Message Type" },
		{ 2, 0, "OPEN Message Error: Unspecific" },
		{ 2, 1, "OPEN Message Error: Unsupported Version Number" },
		{ 2, 2, "OPEN Message Error: Bad Peer AS" },
		{ 2, 3, "OPEN Message Error: Bad BGP identifier" },
		{ 2, 4, "OPEN Message Error: Unsupported Optional Parameter" },
		{ 2, 6, "OPEN Message Error: Unacceptable Hold Time" },
		{ 2, 7, "OPEN Message Error: Unsupported Capability" },
		{ 2, 11, "OPEN Message Error: Role Mismatch" },
		{ 3, 1, "UPDATE Message Error: Malformed Attribute List" },
		{ 3, 2, "UPDATE Message Error: Unrecognized Well-known "
		    "Attribute" },
		{ 3, 3, "UPDATE Message Error: Missing Well-known Attribute" },
		{ 3, 4, "UPDATE Message Error: Attribute Flags Error" },
		{ 3, 5, "UPDATE Message Error: Attribute Length Error" },
		{ 3, 6, "UPDATE Message Error: Invalid ORIGIN Attribute" },
		{ 3, 8, "UPDATE Message Error: Invalid NEXT_HOP Attribute" },
		{ 3, 9, "UPDATE Message Error: Optional Attribute Error" },
		{ 3, 10, "UPDATE Message Error: Invalid Network Field" },
		{ 3, 11, "UPDATE Message Error: Malformed AS_PATH" },
		{ 4, 0, "Hold Timer Expired" },
		{ 5, 0, "Finite State Machine Error: Unspecified Error" },
		{ 5, 1, "Finite State Machine Error: Receive Unexpected "
		    "Message in OpenSent State" },
		{ 5, 2, "Finite State Machine Error: Receive Unexpected "
		    "Message in OpenConfirm State" },
		{ 5, 3, "Finite State Machine Error: Receive Unexpected "
		    "Message in Established State" },
		{ 6, 1, "Cease: Maximum Number of Prefixes Reached" },
		{ 6, 2, "Cease: Administrative Shutdown" },
		{ 6, 3, "Cease: Peer De-configured" },
		{ 6, 4, "Cease: Administrative Reset" },
		{ 6, 5, "Cease: Connection Rejected" },
		{ 6, 6, "Cease: Other Configuration Change" },
		{ 6, 7, "Cease: Connection Collision Resolution" },
		{ 6, 8, "Cease: Out of Resources" },
		{ 6, 9, "Cease: Hard Reset" },
		{ 6, 10, "Cease: BFD Down" },
		{ 7, 1, "ROUTE-REFRESH Message Error: Invalid Message Length" },
	};
	struct bgp_notification	 n;
	uint8_t			 b[64];
	char			 s[160];
	size_t			 i;
	int			 len;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		len = bgp_notification_encode(all[i].code, all[i].sub, NULL, 0,
		    b, sizeof(b));
		assert_int_equal(len, 21);
		assert_int_equal(bgp_notification_decode(b, 21, &n, &err), 0);
		assert_int_equal(n.code, all[i].code);
		assert_int_equal(n.subcode, all[i].sub);
		assert_string_equal(bgp_notification_str(0, 0, &n, s,
		    sizeof(s)), all[i].str);
	}
}

static void
test_notification_maxprefix(void **state)
{
	struct bgp_notification	 n;
	uint8_t			 b[64];
	int			 len;

	(void)state;
	len = bgp_notification_encode_maxprefix(BGP_AID_IPV6, 1000, b,
	    sizeof(b));
	assert_int_equal(len, 28);
	assert_int_equal(bgp_notification_decode(b, (size_t)len, &n, &err), 0);
	assert_int_equal(n.code, BGP_ERR_CEASE);
	assert_int_equal(n.subcode, BGP_CEASE_MAXPREFIX);
	assert_memory_equal(n.data, "\0\2\1\0\0\x03\xe8", 7);
	assert_int_equal(bgp_notification_encode_maxprefix(BGP_AID_MAX, 1, b,
	    sizeof(b)), -1);
}

/* ROUTE-REFRESH */

static void
test_rrefresh(void **state)
{
	uint8_t			 b[64];
	struct bgp_rrefresh	 rr;
	int			 len;
	uint8_t			 st;

	(void)state;
	for (st = 0; st <= BGP_RR_EORR; st++) {
		len = bgp_rrefresh_encode(BGP_AID_IPV6, st, b, sizeof(b));
		assert_int_equal(len, 23);
		assert_int_equal(bgp_rrefresh_decode(b, 23, &rr, &err), 0);
		assert_true(rr.known);
		assert_int_equal(rr.aid, BGP_AID_IPV6);
		assert_int_equal(rr.afi, 2);
		assert_int_equal(rr.safi, 1);
		assert_int_equal(rr.subtype, st);
	}
	assert_int_equal(bgp_rrefresh_encode(BGP_AID_MAX, 0, b, sizeof(b)), -1);
	/* Unknown family: decoded, not known, not an error. */
	b[20] = 3;
	assert_int_equal(bgp_rrefresh_decode(b, 23, &rr, &err), 0);
	assert_false(rr.known);
}

static void
test_rrefresh_badlen(void **state)
{
	uint8_t			 b[64];
	struct bgp_rrefresh	 rr;

	(void)state;
	memset(b, 0, sizeof(b));
	hdr(b, 24, BGP_MSG_ROUTE_REFRESH);
	assert_int_equal(bgp_rrefresh_decode(b, 24, &rr, &err), -1);
	expect_err(BGP_ERR_RREFRESH, BGP_ERRRR_LEN);
	assert_int_equal(err.datalen, 24);
	assert_memory_equal(err.data, b, 24);
	hdr(b, 21, BGP_MSG_ROUTE_REFRESH);
	assert_int_equal(bgp_rrefresh_decode(b, 21, &rr, &err), -1);
	expect_err(BGP_ERR_RREFRESH, BGP_ERRRR_LEN);
}

/* Names */

static void
test_names(void **state)
{
	char	 s[128];

	(void)state;
	assert_string_equal(bgp_err_subcode_name(2, 3), "Bad BGP identifier");
	assert_string_equal(bgp_err_subcode_name(2, 2), "Bad Peer AS");
	assert_string_equal(bgp_err_code_name(4), "Hold Timer Expired");
	assert_string_equal(bgp_err_subcode_name(6, 5), "Connection Rejected");
	assert_string_equal(bgp_err_subcode_name(5, 2),
	    "Receive Unexpected Message in OpenConfirm State");
	assert_string_equal(bgp_err_subcode_name(3, 11), "Malformed AS_PATH");
	assert_string_equal(bgp_err_subcode_name(6, 99), "Unknown");
	assert_string_equal(bgp_err_code_name(99), "Unknown Error");
	assert_string_equal(bgp_msg_type_name(5), "ROUTE-REFRESH");
	assert_string_equal(bgp_msg_type_name(9), "Unknown");
	assert_string_equal(bgp_attr_name(32), "LARGE_COMMUNITY");
	assert_string_equal(bgp_attr_name(200), "unknown attribute");
	assert_string_equal(bgp_capa_name(65), "4-octet AS number");
	assert_string_equal(bgp_aid_name(BGP_AID_IPV6), "IPv6 unicast");
	assert_string_equal(bgp_verdict_name(BGP_UPD_WITHDRAW),
	    "treat-as-withdraw");
	assert_string_equal(bgp_notification_str(4, 0, NULL, s, sizeof(s)),
	    "Hold Timer Expired");
	assert_string_equal(bgp_notification_str(2, 3, NULL, s, sizeof(s)),
	    "OPEN Message Error: Bad BGP identifier");
	assert_string_equal(bgp_notification_str(6, 42, NULL, s, sizeof(s)),
	    "Cease: subcode 42");
	assert_int_equal(bgp_aid_from(1, 1), BGP_AID_IPV4);
	assert_int_equal(bgp_aid_from(2, 1), BGP_AID_IPV6);
	assert_int_equal(bgp_aid_from(2, 2), -1);
	assert_int_equal(bgp_aid_af(BGP_AID_IPV6), AF_INET6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_ok),
		cmocka_unit_test(test_hdr_sync),
		cmocka_unit_test(test_hdr_badlen),
		cmocka_unit_test(test_hdr_badtype),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_open_caps_full),
		cmocka_unit_test(test_open_no_caps),
		cmocka_unit_test(test_open_caps_split),
		cmocka_unit_test(test_open_extended_params),
		cmocka_unit_test(test_open_version),
		cmocka_unit_test(test_open_bad_as),
		cmocka_unit_test(test_open_holdtime),
		cmocka_unit_test(test_open_bgpid),
		cmocka_unit_test(test_open_unsupported_param),
		cmocka_unit_test(test_open_malformed_caps),
		cmocka_unit_test(test_open_param_overrun),
		cmocka_unit_test(test_open_addpath_bad_value),
		cmocka_unit_test(test_open_roundtrip),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_negotiate_implied_ipv4),
		cmocka_unit_test(test_negotiate_errors),
		cmocka_unit_test(test_notification_roundtrip),
		cmocka_unit_test(test_notification_err),
		cmocka_unit_test(test_notification_shutdown),
		cmocka_unit_test(test_notification_shutdown_bad),
		cmocka_unit_test(test_notification_all_codes),
		cmocka_unit_test(test_notification_maxprefix),
		cmocka_unit_test(test_rrefresh),
		cmocka_unit_test(test_rrefresh_badlen),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
