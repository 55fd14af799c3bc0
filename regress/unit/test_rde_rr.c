/*
 * ribd: iBGP and route reflection (RFC 4456): which peers get a route,
 * the ORIGINATOR_ID and CLUSTER_LIST a reflected route carries, the loop
 * checks on import (ORIGINATOR_ID, CLUSTER_LIST, AS_PATH with
 * allow_local_as), and what eBGP peers get instead.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

#define PFX	"198.19.1.0/26"
#define CLUSTER	0x0a000001U	/* 10.0.0.1 */

/* Node 198.18.0.1 in AS 64512; two clients, a non-client, an eBGP peer. */
static void
net(const char *cluster)
{
	rt_init();
	rt_conf(64512, "198.18.0.1", cluster, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_done();
	rt_peer(1, "198.18.0.2", 64512, cluster ? PEER_F_RR_CLIENT : 0);
	rt_peer(2, "198.18.0.3", 64512, cluster ? PEER_F_RR_CLIENT : 0);
	rt_peer(3, "198.18.0.4", 64512, 0);
	rt_peer(4, "198.18.0.5", 65001, 0);
	rt_up(1);
	rt_up(2);
	rt_up(3);
	rt_up(4);
	rt_run();
	rt_clear();
}

static int
setup_rr(void **state)
{
	(void)state;
	net("10.0.0.1");
	return 0;
}

static int
setup_plain(void **state)
{
	(void)state;
	net(NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rt_fini();
	return 0;
}

static uint32_t
cluster0(const struct rt_seen *sn)
{
	const uint8_t	*p = sn->u.attrs.cluster_list;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* From a client: to the other client and the non-client, not back. */
static void
test_from_client(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };
	struct rt_seen	 sn;

	(void)state;
	rt_announce(1, &a, PFX);
	rt_run();
	rt_seen(1, PFX, &sn);
	assert_int_equal(sn.announced, -1);
	rt_seen(2, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	assert_true(sn.u.attrs.present &
	    BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID));
	assert_int_equal(sn.u.attrs.originator_id, 0xc6120002U);
	assert_int_equal(sn.u.attrs.cluster_list_len, 4);
	assert_int_equal(cluster0(&sn), CLUSTER);
	rt_seen(3, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(cluster0(&sn), CLUSTER);
}

/* From a non-client: to clients only. */
static void
test_from_nonclient(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.4" };
	struct rt_seen	 sn;

	(void)state;
	rt_announce(3, &a, PFX);
	rt_run();
	rt_seen(1, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.u.attrs.originator_id, 0xc6120004U);
	rt_seen(2, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	rt_seen(3, PFX, &sn);
	assert_int_equal(sn.announced, -1);
}

/* An ORIGINATOR_ID is kept; the cluster id goes in front of the list. */
static void
test_keep_originator(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.9", .has_originator = 1,
			    .originator = 0xc6120009U,
			    .cluster = { 0x0a000002 }, .ncluster = 1 };
	struct rt_seen	 sn;

	(void)state;
	rt_announce(1, &a, PFX);
	rt_run();
	rt_seen(3, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.u.attrs.originator_id, 0xc6120009U);
	assert_int_equal(sn.u.attrs.cluster_list_len, 8);
	assert_int_equal(cluster0(&sn), CLUSTER);
}

/* eBGP peers get our AS in front and no RR attributes. */
static void
test_to_ebgp(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_med = 1, .med = 7 };
	struct rt_seen	 sn;
	char		 buf[64];

	(void)state;
	rt_announce(1, &a, PFX);
	rt_run();
	rt_seen(4, PFX, &sn);
	assert_int_equal(sn.announced, 1);
	assert_false(sn.u.attrs.present &
	    BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID));
	assert_false(sn.u.attrs.present &
	    BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
	assert_false(sn.u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF));
	assert_false(sn.u.attrs.present & BGP_ATTR_BIT(BGP_ATTR_MED));
	assert_int_equal(bgp_aspath_first(sn.aspath, sn.aspath_len, 1), 64512);
	assert_int_equal(bgp_aspath_count(sn.aspath, sn.aspath_len, 1), 2);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.2");
}

/* A route from eBGP goes to every iBGP peer, without RR attributes. */
static void
test_from_ebgp(void **state)
{
	struct rt_attr	 a = { .path = { 65001 }, .npath = 1,
			    .nexthop = "198.18.0.5" };
	struct rt_seen	 sn;
	int		 i;

	(void)state;
	rt_announce(4, &a, PFX);
	rt_run();
	for (i = 1; i <= 3; i++) {
		rt_seen(i, PFX, &sn);
		assert_int_equal(sn.announced, 1);
		assert_false(sn.u.attrs.present &
		    BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
		assert_int_equal(sn.u.attrs.local_pref, 100);
	}
	rt_seen(4, PFX, &sn);
	assert_int_equal(sn.announced, -1);
}

/* Without a route reflector role iBGP routes stay off iBGP. */
static void
test_no_reflection(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };
	struct rt_seen	 sn;
	int		 i;

	(void)state;
	rt_announce(1, &a, PFX);
	rt_run();
	for (i = 1; i <= 3; i++) {
		rt_seen(i, PFX, &sn);
		assert_int_equal(sn.announced, -1);
	}
	rt_seen(4, PFX, &sn);
	assert_int_equal(sn.announced, 1);
}

/* Loops: our router id as ORIGINATOR_ID, our cluster in the list. */
static void
test_rr_loops(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_originator = 1,
			    .originator = 0xc6120001U };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .cluster = { 0x0a000002,
			    CLUSTER }, .ncluster = 2 };

	(void)state;
	rt_announce(1, &a, PFX);
	assert_int_equal(rt_best(PFX), -1);
	rt_announce(1, &b, PFX);
	assert_int_equal(rt_best(PFX), -1);
	assert_int_equal(rde_peer_find(1)->filtered, 2);
	b.ncluster = 1;
	rt_announce(1, &b, PFX);
	assert_int_equal(rt_best(PFX), 1);
}

/* AS_PATH loops, and allow_local_as (numAllowedLocalASNumbers). */
static void
test_as_loop(void **state)
{
	struct rt_attr	 a = { .path = { 65001, 64512, 65020 }, .npath = 3,
			    .nexthop = "198.18.0.5" };

	(void)state;
	rt_announce(4, &a, PFX);
	assert_int_equal(rt_best(PFX), -1);
	rde_peer_find(4)->conf.allow_local_as = 1;
	rt_announce(4, &a, PFX);
	assert_int_equal(rt_best(PFX), 4);
	a.path[2] = 64512;
	rt_announce(4, &a, PFX);
	assert_int_equal(rt_best(PFX), -1);
}

/* A client and a non-client update group get the same route. */
static void
test_groups(void **state)
{
	struct rde_peer	*c1 = rde_peer_find(1), *c2 = rde_peer_find(2);
	struct rde_peer	*n1 = rde_peer_find(3), *e1 = rde_peer_find(4);

	(void)state;
	assert_ptr_equal(c1->group, c2->group);
	assert_ptr_not_equal(c1->group, n1->group);
	assert_ptr_not_equal(n1->group, e1->group);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_from_client, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_from_nonclient, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keep_originator,
		    setup_rr, teardown),
		cmocka_unit_test_setup_teardown(test_to_ebgp, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_from_ebgp, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_reflection,
		    setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_rr_loops, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_as_loop, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_groups, setup_rr,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
