/*
 * ribd: the decision process, one test per tie-break step (RFC 4271
 * 9.1.2.2, RFC 4456 9), each with the routes arriving in both orders.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

#define PFX	"198.19.1.0/24"

static int
setup(void **state)
{
	(void)state;
	rt_init();
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_done();
	rt_peer(1, "198.18.0.2", 64512, 0);
	rt_peer(2, "198.18.0.3", 64512, 0);
	rt_peer(3, "198.18.0.4", 65001, 0);
	rt_peer(4, "198.18.0.5", 65002, 0);
	rt_up(1);
	rt_up(2);
	rt_up(3);
	rt_up(4);
	rt_run();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rt_fini();
	return 0;
}

/* Announce a from peer pa and b from pb in one order, then the other. */
static void
both_orders(uint32_t pa, const struct rt_attr *a, uint32_t pb,
    const struct rt_attr *b, int64_t want)
{
	rt_announce(pa, a, PFX);
	rt_announce(pb, b, PFX);
	assert_int_equal(rt_best(PFX), want);
	rt_withdraw(pa, PFX);
	rt_withdraw(pb, PFX);
	assert_int_equal(rt_best(PFX), -1);
	rt_announce(pb, b, PFX);
	rt_announce(pa, a, PFX);
	assert_int_equal(rt_best(PFX), want);
}

static void
test_local_first(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_lp = 1, .lp = 1000 };

	(void)state;
	rt_announce(1, &a, "198.19.7.0/26");
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_orig("198.19.7.0/26", RC_ORIG_BLOCK, RC_ORIG_F_ADVERTISE);
	rt_done();
	assert_int_equal(rt_best("198.19.7.0/26"), 0);
}

static void
test_local_pref(void **state)
{
	struct rt_attr	 a = { .path = { 65010, 65011 }, .npath = 2,
			    .nexthop = "198.18.0.3", .has_lp = 1, .lp = 200 };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_lp = 1, .lp = 100 };

	(void)state;
	both_orders(2, &a, 1, &b, 2);
}

static void
test_aspath_len(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3" };
	struct rt_attr	 b = { .path = { 65010, 65011 }, .npath = 2,
			    .nexthop = "198.18.0.2" };

	(void)state;
	both_orders(2, &a, 1, &b, 2);
}

static void
test_origin(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3", .origin = BGP_ORIGIN_IGP };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2",
			    .origin = BGP_ORIGIN_INCOMPLETE };

	(void)state;
	both_orders(2, &a, 1, &b, 2);
}

static void
test_med_same_as(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3", .has_med = 1, .med = 10 };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_med = 1, .med = 20 };

	(void)state;
	both_orders(2, &a, 1, &b, 2);
}

/* MEDs from different neighbour ASes are not compared: router id wins. */
static void
test_med_other_as(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3", .has_med = 1, .med = 10 };
	struct rt_attr	 b = { .path = { 65020 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_med = 1, .med = 20 };

	(void)state;
	both_orders(2, &a, 1, &b, 1);
}

static void
test_ebgp_over_ibgp(void **state)
{
	struct rt_attr	 a = { .path = { 65001 }, .npath = 1,
			    .nexthop = "198.18.0.4" };
	struct rt_attr	 b = { .path = { 65009 }, .npath = 1,
			    .nexthop = "198.18.0.2" };

	(void)state;
	both_orders(3, &a, 1, &b, 3);
}

static void
test_router_id(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3" };

	(void)state;
	both_orders(1, &a, 2, &b, 1);
}

/* An ORIGINATOR_ID stands for the router id (RFC 4456 9). */
static void
test_originator_id(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3", .has_originator = 1,
			    .originator = 0x0a000001 };

	(void)state;
	both_orders(1, &a, 2, &b, 2);
}

static void
test_cluster_len(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_originator = 1,
			    .originator = 0x0a000001, .cluster = { 1, 2 },
			    .ncluster = 2 };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3", .has_originator = 1,
			    .originator = 0x0a000001, .cluster = { 1 },
			    .ncluster = 1 };

	(void)state;
	both_orders(1, &a, 2, &b, 2);
}

static void
test_peer_addr(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_originator = 1,
			    .originator = 0x0a000001 };
	struct rt_attr	 b = a;

	(void)state;
	b.nexthop = "198.18.0.3";
	both_orders(2, &b, 1, &a, 1);
}

/* A withdrawn best path gives way to the next one. */
static void
test_withdraw_best(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_lp = 1, .lp = 300 };
	struct rt_attr	 b = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.3" };

	(void)state;
	rt_announce(1, &a, PFX);
	rt_announce(2, &b, PFX);
	assert_int_equal(rt_best(PFX), 1);
	rt_withdraw(1, PFX);
	assert_int_equal(rt_best(PFX), 2);
	/* An implicit withdraw: peer 2 replaces its route. */
	b.has_lp = 1;
	b.lp = 50;
	rt_announce(1, &a, PFX);
	rt_announce(2, &b, PFX);
	assert_int_equal(rt_best(PFX), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_local_pref, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aspath_len, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_med_same_as, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_med_other_as, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_over_ibgp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_router_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_originator_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cluster_len, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_addr, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_best, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
