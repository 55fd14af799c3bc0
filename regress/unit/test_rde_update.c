/*
 * ribd: UPDATEs in and out.  RFC 7606 verdicts through ribd's path
 * (treat-as-withdraw, attribute discard, session reset), packing (N
 * prefixes with one attribute set make ceil(N / capacity) UPDATEs, the
 * same bytes to every member of a group), coalescing within a round,
 * End-of-RIB, route refresh, max-prefix, graceful restart, flow control,
 * IPv6 and the counts reported to the parent.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "bgp_testutil.h"
#include "rde_testutil.h"

#define SRC	1	/* eBGP 198.18.0.254 AS 65000: sends the routes */
#define MESH1	2	/* iBGP 198.18.0.2 */
#define MESH2	3	/* iBGP 198.18.0.3, same group as MESH1 */
#define LATE	4	/* iBGP 198.18.0.4, up later */

static const struct rt_attr	 base = { .path = { 65000 }, .npath = 1,
				    .nexthop = "198.18.0.254" };

static int
setup(void **state)
{
	(void)state;
	rt_init();
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_pool("2001:db8:1::/48", 0, 0, 0);
	rt_done();
	rt_peer(SRC, "198.18.0.254", 65000, PEER_F_GR);
	rt_peer(MESH1, "198.18.0.2", 64512, 0);
	rt_peer(MESH2, "198.18.0.3", 64512, 0);
	rt_peer(LATE, "198.18.0.4", 64512, 0);
	rt_up(SRC);
	rt_up(MESH1);
	rt_up(MESH2);
	rt_run();
	rt_clear();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rt_fini();
	return 0;
}

static int
announced(uint32_t peer, const char *pfx)
{
	struct rt_seen	 sn;

	rt_seen(peer, pfx, &sn);
	return sn.announced;
}

static int
nupdates(uint32_t peer)
{
	struct rt_seen	 sn;

	rt_seen(peer, NULL, &sn);
	return sn.nupdates - sn.eor;
}

/* One raw UPDATE from SRC: the given ORIGIN attribute, then basics. */
static void
raw_update(const uint8_t *extra, size_t elen, int bad_origin)
{
	uint8_t		 at[256], m[512];
	static const uint8_t nlri[] = { 24, 198, 19, 1 };
	static const uint8_t path4[] = { 2, 1, 0, 0, 0xfd, 0xe8 };
	static const uint8_t nh[] = { 198, 18, 0, 254 };
	uint8_t		 origin = bad_origin ? 5 : 0;
	size_t		 o = 0, len;

	o += tb_attr(at + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN, &origin, 1);
	o += tb_attr(at + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, path4,
	    sizeof(path4));
	o += tb_attr(at + o, BGP_ATTRF_WELLKNOWN, BGP_ATTR_NEXT_HOP, nh, 4);
	if (elen > 0)
		memcpy(at + o, extra, elen);
	o += elen;
	len = tb_update(m, NULL, 0, at, o, nlri, sizeof(nlri));
	assert_int_equal(rde_update_input(rde_peer_find(SRC), m, len), 0);
	rt_run();
}

/* A malformed ORIGIN: treat-as-withdraw removes the route. */
static void
test_7606_withdraw(void **state)
{
	(void)state;
	raw_update(NULL, 0, 0);
	assert_int_equal(rt_best("198.19.1.0/24"), SRC);
	assert_int_equal(announced(MESH1, "198.19.1.0/24"), 1);
	raw_update(NULL, 0, 1);
	assert_int_equal(rt_best("198.19.1.0/24"), -1);
	assert_int_equal(announced(MESH1, "198.19.1.0/24"), 0);
	assert_int_equal(rde_peer_find(SRC)->withdrawn_7606, 1);
}

/* A malformed AGGREGATOR: attribute discard, the route stays. */
static void
test_7606_discard(void **state)
{
	uint8_t		 ag[8];
	static const uint8_t bad[] = { 0, 1, 2 };
	struct rt_seen	 sn;

	(void)state;
	raw_update(ag, tb_attr(ag, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
	    bad, sizeof(bad)), 0);
	assert_int_equal(rt_best("198.19.1.0/24"), SRC);
	rt_seen(MESH1, "198.19.1.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	assert_false(sn.u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR));
}

/* A malformed NLRI: session reset, NOTIFICATION UPDATE error. */
static void
test_7606_reset(void **state)
{
	uint8_t		 at[64], m[128];
	static const uint8_t nlri[] = { 33, 198, 19, 1, 0, 0 };
	struct rt_seen	 sn;
	size_t		 len;

	(void)state;
	len = tb_update(m, NULL, 0, at, tb_basic_attrs(at, 1), nlri,
	    sizeof(nlri));
	assert_int_equal(rde_update_input(rde_peer_find(SRC), m, len), 0);
	rt_seen(SRC, NULL, &sn);
	assert_int_equal(sn.notify, 1);
	assert_int_equal(sn.code, BGP_ERR_UPDATE);
	assert_int_equal(sn.subcode, BGP_ERRUPD_NETWORK);
	/* Until the session is down, nothing more is taken from it. */
	rt_announce(SRC, &base, "198.19.2.0/24");
	assert_int_equal(rt_best("198.19.2.0/24"), -1);
}

/* N prefixes, one attribute set: ceil(N / capacity) UPDATEs. */
static void
test_packing(void **state)
{
	struct bgp_prefix	*p;
	struct rt_seen		 sn;
	size_t			 i, j, per, n = 5000, want, seen = 0;
	size_t			 m1 = 0, m2 = 0;

	(void)state;
	p = calloc(n, sizeof(*p));
	for (i = 0; i < n; i++) {
		p[i] = rt_pfx("198.19.0.0/29");
		p[i].addr.bytes[2] = (uint8_t)((i * 8) >> 8);
		p[i].addr.bytes[3] = (uint8_t)(i * 8);
	}
	rt_send(SRC, &base, p, (int)n);
	rt_run();
	rt_seen(MESH1, "198.19.0.0/29", &sn);
	assert_int_equal(sn.announced, 1);
	/* A /29 takes 5 octets; the attributes what the first UPDATE has. */
	per = (BGP_MAXLEN - BGP_UPDATE_MINLEN - sn.u.attrs_len) / 5;
	want = (n + per - 1) / per;
	assert_int_equal(nupdates(MESH1), want);
	assert_int_equal(nupdates(MESH2), want);
	/* The same bytes to both members of the group. */
	for (i = 0; i < rt.nmsgs; i++) {
		if (rt.msgs[i].peerid != MESH1)
			continue;
		seen += rt.msgs[i].len;
		for (j = m2; j < rt.nmsgs; j++)
			if (rt.msgs[j].peerid == MESH2)
				break;
		assert_true(j < rt.nmsgs);
		assert_int_equal(rt.msgs[j].len, rt.msgs[i].len);
		assert_memory_equal(rt.msgs[j].buf, rt.msgs[i].buf,
		    rt.msgs[i].len);
		m2 = j + 1;
		m1++;
	}
	assert_int_equal(m1, want);
	assert_int_equal(rde_peer_adv_count(rde_peer_find(MESH1)), n);
	free(p);
	(void)seen;
}

/* Changes that cancel out within a round send nothing. */
static void
test_coalesce(void **state)
{
	struct rt_attr	 a = base;
	struct rt_seen	 sn;

	(void)state;
	rt_announce(SRC, &base, "198.19.3.0/24");
	rt_withdraw(SRC, "198.19.3.0/24");
	a.has_med = 1;
	a.med = 5;
	rt_announce(SRC, &base, "198.19.4.0/24");
	rt_announce(SRC, &a, "198.19.4.0/24");
	rt_run();
	assert_int_equal(announced(MESH1, "198.19.3.0/24"), -1);
	rt_seen(MESH1, "198.19.4.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(nupdates(MESH1), 1);
	/* MED from another AS is kept inside ours. */
	assert_int_equal(sn.u.attrs.med, 5);
}

/* A peer joining a group gets the table and End-of-RIB, alone. */
static void
test_join_eor(void **state)
{
	struct rt_seen	 sn;

	(void)state;
	rt_announce(SRC, &base, "198.19.5.0/24");
	rt_run();
	rt_clear();
	rt_up(LATE);
	rt_run();
	rt_seen(LATE, "198.19.5.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.eor, 2);
	assert_ptr_equal(rde_peer_find(LATE)->group,
	    rde_peer_find(MESH1)->group);
	assert_int_equal(nupdates(MESH1), 0);
	/* End-of-RIB comes after the routes. */
	assert_true(rt.msgs[rt.nmsgs - 1].len <= BGP_UPDATE_MINLEN + 6);
}

/* Route refresh: the peer alone gets its routes again. */
static void
test_refresh(void **state)
{
	struct bgp_rrefresh	 rr;
	struct rt_seen		 sn;
	size_t			 i;
	int			 borr = 0, eorr = 0;

	(void)state;
	rt_announce(SRC, &base, "198.19.6.0/24");
	rt_run();
	rt_clear();
	memset(&rr, 0, sizeof(rr));
	rr.afi = BGP_AFI_IPV4;
	rr.safi = BGP_SAFI_UNICAST;
	rr.aid = BGP_AID_IPV4;
	rr.known = 1;
	assert_int_equal(rde_refresh_input(rde_peer_find(MESH1),
	    (uint8_t *)&rr, sizeof(rr)), 0);
	rt_run();
	assert_int_equal(announced(MESH1, "198.19.6.0/24"), 1);
	assert_int_equal(nupdates(MESH2), 0);
	/* Enhanced route refresh: BoRR, the routes, EoRR. */
	rt_clear();
	rde_peer_find(MESH1)->sess.enhanced_rr = 1;
	rde_refresh_input(rde_peer_find(MESH1), (uint8_t *)&rr, sizeof(rr));
	rt_run();
	for (i = 0; i < rt.nmsgs; i++) {
		if (rt.msgs[i].buf[18] != BGP_MSG_ROUTE_REFRESH)
			continue;
		if (rt.msgs[i].buf[21] == BGP_RR_BORR) {
			assert_int_equal(i, 0);
			borr++;
		} else if (rt.msgs[i].buf[21] == BGP_RR_EORR) {
			assert_int_equal(i, rt.nmsgs - 1);
			eorr++;
		}
	}
	assert_int_equal(borr, 1);
	assert_int_equal(eorr, 1);
	rt_seen(MESH1, "198.19.6.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	/* A bad payload is an error on the pipe. */
	assert_int_equal(rde_refresh_input(rde_peer_find(MESH1),
	    (uint8_t *)&rr, sizeof(rr) - 1), -1);
}

/* max-prefix: Cease/1 and nothing more taken. */
static void
test_max_prefix(void **state)
{
	struct bgp_prefix	 p[12];
	struct rt_seen		 sn;
	int			 i;

	(void)state;
	rde_peer_find(SRC)->conf.max_prefix = 10;
	for (i = 0; i < 12; i++) {
		p[i] = rt_pfx("198.19.0.0/24");
		p[i].addr.bytes[2] = (uint8_t)(100 + i);
	}
	rt_send(SRC, &base, p, 12);
	rt_seen(SRC, NULL, &sn);
	assert_int_equal(sn.notify, 1);
	assert_int_equal(sn.code, BGP_ERR_CEASE);
	assert_int_equal(sn.subcode, BGP_CEASE_MAXPREFIX);
	assert_int_equal(rde_peer_find(SRC)->prefixes_in, 11);
}

/* Graceful restart: stale routes stay, End-of-RIB sweeps the rest. */
static void
test_gr_eor(void **state)
{
	struct imsg_session_up	 up;
	uint8_t			 eor[32];
	int			 n;

	(void)state;
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_announce(SRC, &base, "198.19.8.0/24");
	rt_run();
	rt_clear();
	rt_down(SRC, 1, 60);
	rt_run();
	assert_int_equal(rde_peer_find(SRC)->stale, 2);
	assert_int_equal(nupdates(MESH1), 0);
	assert_int_equal(rt_best("198.19.7.0/24"), SRC);
	/* Back, with graceful restart kept for IPv4. */
	memset(&up, 0, sizeof(up));
	up.peerid = SRC;
	up.remote_id = rt_id("198.18.0.254");
	up.local_addr = rt_addr("198.18.0.1");
	up.remote_addr = rt_addr("198.18.0.254");
	rt_sess(&up.sess, 1, 65000);
	up.sess.peer_caps.gr = 1;
	up.sess.peer_caps.gr_af[BGP_AID_IPV4] = BGP_GR_AF_PRESENT |
	    BGP_GR_AF_FORWARDING;
	rde_peer_up(&up);
	rt_announce(SRC, &base, "198.19.7.0/24");
	assert_int_equal(rde_peer_find(SRC)->stale, 1);
	n = bgp_eor_encode(BGP_AID_IPV4, eor, sizeof(eor));
	rde_update_input(rde_peer_find(SRC), eor, n);
	rt_run();
	assert_int_equal(rde_peer_find(SRC)->stale, 0);
	assert_int_equal(rt_best("198.19.7.0/24"), SRC);
	assert_int_equal(rt_best("198.19.8.0/24"), -1);
	assert_int_equal(announced(MESH1, "198.19.8.0/24"), 0);
	assert_int_equal(announced(MESH1, "198.19.7.0/24"), -1);
}

/* Back from a restart into a shared group: not sent its own routes. */
static void
test_gr_rejoin(void **state)
{
	struct imsg_session_up	 up;
	struct rt_seen		 sn;

	(void)state;
	rt_peer(5, "198.18.0.5", 65005, 0);
	rt_up(5);
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_run();
	assert_ptr_equal(rde_peer_find(5)->group, rde_peer_find(SRC)->group);
	assert_int_equal(announced(5, "198.19.7.0/24"), 1);
	assert_int_equal(announced(SRC, "198.19.7.0/24"), -1);
	rt_down(SRC, 1, 60);
	rt_run();
	rt_clear();
	memset(&up, 0, sizeof(up));
	up.peerid = SRC;
	up.remote_id = rt_id("198.18.0.254");
	up.local_addr = rt_addr("198.18.0.1");
	up.remote_addr = rt_addr("198.18.0.254");
	rt_sess(&up.sess, 1, 65000);
	up.sess.peer_caps.gr = 1;
	up.sess.peer_caps.gr_af[BGP_AID_IPV4] = BGP_GR_AF_PRESENT |
	    BGP_GR_AF_FORWARDING;
	up.sess.peer_caps.gr_af[BGP_AID_IPV6] = BGP_GR_AF_PRESENT |
	    BGP_GR_AF_FORWARDING;
	rde_peer_up(&up);
	rt_run();
	assert_int_equal(rt_best("198.19.7.0/24"), SRC);
	rt_seen(SRC, "198.19.7.0/24", &sn);
	assert_int_equal(sn.announced, -1);
	assert_int_equal(sn.eor, 2);
	assert_int_equal(nupdates(5), 0);
}

/* Graceful restart: the restart time runs out. */
static void
test_gr_expiry(void **state)
{
	(void)state;
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_run();
	rt_down(SRC, 1, 5);
	assert_true(rde_next_timer() > 0);
	rde_set_now(rde->now + 4000);
	rde_timers();
	assert_int_equal(rt_best("198.19.7.0/24"), SRC);
	rde_set_now(rde->now + 2000);
	rde_timers();
	rt_run();
	assert_int_equal(rt_best("198.19.7.0/24"), -1);
	assert_int_equal(announced(MESH1, "198.19.7.0/24"), 0);
}

/* A sessiond that dies: GR peers keep stale routes, the others lose. */
static void
test_group_lost(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };

	(void)state;
	rde_peer_find(SRC)->sess.peer_caps.gr = 1;
	rde_peer_find(SRC)->sess.peer_caps.gr_time = 30;
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_announce(MESH1, &a, "198.19.8.0/24");
	rt_run();
	rde_peer_group_lost(1);
	rt_run();
	assert_int_equal(rt_best("198.19.7.0/24"), SRC);
	assert_int_equal(rde_peer_find(SRC)->stale, 1);
	assert_int_equal(rt_best("198.19.8.0/24"), -1);
	assert_false(rde_peer_find(MESH1)->flags & RDE_PEER_UP);
	assert_int_equal(rde_peer_find(SRC)->stale_deadline, rde->now + 30000);
}

/* A session that ends without graceful restart: routes withdrawn. */
static void
test_down(void **state)
{
	(void)state;
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_run();
	rt_down(SRC, 0, 0);
	rt_run();
	assert_int_equal(rt_best("198.19.7.0/24"), -1);
	assert_int_equal(announced(MESH1, "198.19.7.0/24"), 0);
	assert_int_equal(rde_prefix_count(), 0);
}

/* XOFF holds the whole group back; XON lets it go on. */
static void
test_xoff(void **state)
{
	(void)state;
	rde_peer_xoff(MESH2, 1);
	rt_announce(SRC, &base, "198.19.9.0/24");
	rt_run();
	assert_int_equal(nupdates(MESH1), 0);
	assert_int_equal(nupdates(MESH2), 0);
	rde_peer_xoff(MESH2, 0);
	rt_run();
	assert_int_equal(announced(MESH1, "198.19.9.0/24"), 1);
	assert_int_equal(announced(MESH2, "198.19.9.0/24"), 1);
}

/* IPv6 in MP_REACH_NLRI: next hop self from the node's IPv6 address. */
static void
test_ipv6(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "2001:db8::fe" };
	struct rt_seen	 sn;
	char		 buf[64];

	(void)state;
	rt_announce(SRC, &a, "2001:db8:1:2::/64");
	rt_run();
	rt_seen(MESH1, "2001:db8:1:2::/64", &sn);
	assert_int_equal(sn.announced, 1);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "2001:db8::fe");
	rt_withdraw(SRC, "2001:db8:1:2::/64");
	rt_run();
	rt_seen(MESH1, "2001:db8:1:2::/64", &sn);
	assert_int_equal(sn.announced, 0);
}

static const struct imsg_peer_counts *
counts_of(uint32_t peerid)
{
	size_t	 i;

	for (i = rt.ncounts; i-- > 0;)
		if (rt.counts[i].peerid == peerid)
			return &rt.counts[i];
	return NULL;
}

/* Counts for the parent: forced at session events, then once a second. */
static void
test_counts(void **state)
{
	const struct imsg_peer_counts	*c;

	(void)state;
	rt_announce(SRC, &base, "198.19.7.0/24");
	rt_announce(SRC, &base, "198.19.8.0/24");
	rt_run();
	rde_set_now(rde->now + 1500);
	rde_timers();
	c = counts_of(SRC);
	assert_non_null(c);
	assert_int_equal(c->prefixes_in, 2);
	assert_int_equal(c->prefixes_best, 2);
	assert_int_equal(c->prefixes_out, 0);
	c = counts_of(MESH1);
	assert_non_null(c);
	assert_int_equal(c->prefixes_out, 2);
	rt_clear();
	rt_down(SRC, 0, 0);
	c = counts_of(SRC);
	assert_non_null(c);
	assert_int_equal(c->prefixes_in, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_7606_withdraw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_7606_discard, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_7606_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_packing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coalesce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_join_eor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_max_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_gr_eor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gr_rejoin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_gr_expiry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_lost, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
