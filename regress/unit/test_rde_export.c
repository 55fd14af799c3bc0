/*
 * ribd: Calico's export policy calico_export_to_bgp_peers (CALICO.md
 * 2.8) step by step, the communities of prefixAdvertisements, next hops
 * per mode, the priority prelude (LOCAL_PREF), well-known communities,
 * and the kernel filter calico_kernel_programming.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

/*
 * Pools: 198.19.0.0/16 (no encapsulation), 198.20.0.0/16
 * (disableBGPExport), 172.16.0.0/16 (VXLAN), 172.17.0.0/16 (IPIP
 * CrossSubnet), 172.18.0.0/16 (IPIP Always).  Local block
 * 198.19.7.0/26; services: cluster IPs 10.96.0.0/12 (advertised, not
 * programmed), LB 203.0.113.0/24 and external 192.0.2.0/24 (reject
 * routes only).  Communities for 198.19.0.0/16.
 */
static void
conf(const char *cluster, uint32_t flags)
{
	struct rc_comm	 c[2] = { { .a = 64512, .b = 300 },
			    { .large = 1, .a = 64512, .b = 1, .c = 2 } };

	rt_conf(64512, "198.18.0.1", cluster, flags);
	rt_pool("198.19.0.0/16", 0, RC_ENCAP_NEVER, RC_ENCAP_NEVER);
	rt_pool("198.20.0.0/16", RC_POOL_NO_EXPORT, 0, 0);
	rt_pool("172.16.0.0/16", 0, RC_ENCAP_NEVER, RC_ENCAP_ALWAYS);
	rt_pool("172.17.0.0/16", 0, RC_ENCAP_CROSS_SUBNET, RC_ENCAP_NEVER);
	rt_pool("172.18.0.0/16", 0, RC_ENCAP_ALWAYS, RC_ENCAP_NEVER);
	rt_orig("198.19.7.0/26", RC_ORIG_BLOCK, RC_ORIG_F_ADVERTISE);
	rt_orig("10.96.0.0/12", RC_ORIG_CLUSTER_IP,
	    RC_ORIG_F_ADVERTISE | RC_ORIG_F_NO_KERNEL);
	rt_orig("203.0.113.0/24", RC_ORIG_LB_IP, RC_ORIG_F_NO_KERNEL);
	rt_orig("192.0.2.0/24", RC_ORIG_EXTERNAL_IP, RC_ORIG_F_NO_KERNEL);
	rt_comms("198.19.0.0/16", c, 2);
	rt_done();
}

/* Peer 1 iBGP (mesh), 2 eBGP ToR, 3 eBGP off the subnet, 4 iBGP. */
static void
net(const char *cluster, uint32_t flags)
{
	rt_init();
	conf(cluster, flags);
	rt_peer(1, "198.18.0.2", 64512, 0);
	rt_peer(2, "198.18.0.254", 65000, 0);
	rt_peer(3, "192.168.50.1", 65001, 0);
	rt_peer(4, "198.18.0.4", 64512, 0);
	rt_up(1);
	rt_up(2);
	rt_up(3);
	rt_up(4);
	rt_run();
}

static int
setup(void **state)
{
	(void)state;
	net(NULL, 0);
	return 0;
}

static int
setup_rr(void **state)
{
	(void)state;
	net("10.0.0.1", 0);
	return 0;
}

static int
setup_kernel(void **state)
{
	(void)state;
	net(NULL, RC_F_KERNEL_INSTALL);
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

/* The local block goes everywhere, with next hop self and priority. */
static void
test_local_block(void **state)
{
	struct rt_seen	 sn;
	char		 buf[64];

	(void)state;
	rt_seen(1, "198.19.7.0/26", &sn);
	assert_int_equal(sn.announced, 1);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.1");
	assert_int_equal(sn.u.attrs.local_pref, 2147483647 - 1024);
	assert_int_equal(sn.aspath_len, 0);
	/* apply_communities(): standard and large. */
	assert_true(rt_seen_has_comm(&sn, 64512U << 16 | 300));
	assert_int_equal(sn.u.attrs.large_communities_len, 12);
	rt_seen(2, "198.19.7.0/26", &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(bgp_aspath_first(sn.aspath, sn.aspath_len, 1), 64512);
	/* End-of-RIB for both families of the session. */
	assert_int_equal(sn.eor, 2);
}

/* calico_aggr(): more-specifics of a local block are not exported. */
static void
test_aggr_more_specific(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };

	(void)state;
	rt_clear();
	rt_announce(2, &a, "198.19.7.5/32");
	rt_announce(2, &a, "198.19.8.0/26");
	rt_run();
	assert_int_equal(announced(1, "198.19.7.5/32"), -1);
	/* Another node's block inside the pool is re-advertised. */
	assert_int_equal(announced(1, "198.19.8.0/26"), 1);
}

/* disableBGPExport wins, routes outside every pool stay. */
static void
test_pools(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };

	(void)state;
	rt_clear();
	rt_announce(2, &a, "198.20.1.0/24");
	rt_announce(2, &a, "8.8.8.0/24");
	rt_announce(2, &a, "172.16.4.0/26");
	rt_run();
	assert_int_equal(announced(1, "198.20.1.0/24"), -1);
	assert_int_equal(announced(1, "8.8.8.0/24"), -1);
	assert_int_equal(announced(1, "172.16.4.0/26"), 1);
	assert_int_equal(announced(3, "8.8.8.0/24"), -1);
}

/* Static service routes: originated and anything within them. */
static void
test_services(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };

	(void)state;
	assert_int_equal(announced(1, "10.96.0.0/12"), 1);
	assert_int_equal(announced(2, "10.96.0.0/12"), 1);
	rt_clear();
	rt_announce(1, &a, "203.0.113.8/32");
	rt_announce(1, &a, "10.96.1.1/32");
	rt_run();
	/* Not an RR: LB ranges from peers are not passed on. */
	assert_int_equal(announced(2, "203.0.113.8/32"), -1);
	assert_int_equal(announced(2, "10.96.1.1/32"), 1);
	/* Not originated: reject-only ranges. */
	assert_int_equal(announced(2, "203.0.113.0/24"), -1);
}

/* Step 7: a route reflector passes on LB and external service routes. */
static void
test_rr_services(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };

	(void)state;
	rt_clear();
	rt_announce(2, &a, "203.0.113.8/32");
	rt_announce(2, &a, "192.0.2.9/32");
	rt_run();
	assert_int_equal(announced(1, "203.0.113.8/32"), 1);
	assert_int_equal(announced(1, "192.0.2.9/32"), 1);
}

/* Next hops: iBGP keeps, eBGP off the subnet gets self, ToR third party. */
static void
test_nexthop_auto(void **state)
{
	struct rt_attr	 a = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2" };
	struct rt_attr	 b = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };
	struct rt_seen	 sn;
	char		 buf[64];

	(void)state;
	rt_clear();
	rt_announce(1, &a, "198.19.9.0/26");
	rt_announce(2, &b, "198.19.10.0/26");
	rt_run();
	rt_seen(2, "198.19.9.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.2");
	rt_seen(3, "198.19.9.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.1");
	rt_seen(1, "198.19.10.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.254");
	assert_int_equal(sn.u.attrs.local_pref, 100);
}

/* nextHopMode Self on iBGP, Keep on eBGP (a new session each). */
static void
test_nexthop_modes(void **state)
{
	struct rt_attr	 b = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };
	struct rt_seen	 sn;
	char		 buf[64];

	(void)state;
	rt_down(1, 0, 0);
	rt_down(3, 0, 0);
	rde_peer_find(1)->conf.nexthop = NEXTHOP_SELF;
	rde_peer_find(3)->conf.nexthop = NEXTHOP_KEEP;
	rt_up(1);
	rt_up(3);
	rt_announce(2, &b, "198.19.10.0/26");
	rt_run();
	rt_seen(1, "198.19.10.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.1");
	rt_seen(3, "198.19.10.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.254");
	rt_seen(4, "198.19.10.0/26", &sn);
	assert_string_equal(rt_seen_nexthop(&sn, buf, sizeof(buf)),
	    "198.18.0.254");
}

/* NO_ADVERTISE goes nowhere, NO_EXPORT not to eBGP. */
static void
test_wellknown_comms(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254", .comms = {
			    BGP_COMM_NO_EXPORT }, .ncomms = 1 };
	struct rt_attr	 b = a;

	(void)state;
	b.comms[0] = BGP_COMM_NO_ADVERTISE;
	rt_clear();
	rt_announce(2, &a, "198.19.11.0/26");
	rt_announce(2, &b, "198.19.12.0/26");
	rt_run();
	assert_int_equal(announced(1, "198.19.11.0/26"), 1);
	assert_int_equal(announced(3, "198.19.11.0/26"), -1);
	assert_int_equal(announced(1, "198.19.12.0/26"), -1);
}

/* A configuration change re-exports: the pool goes, routes go. */
static void
test_reconf(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };

	(void)state;
	rt_announce(2, &a, "198.19.8.0/26");
	rt_run();
	assert_int_equal(announced(1, "198.19.8.0/26"), 1);
	assert_int_equal(announced(1, "198.19.7.0/26"), 1);
	rt_clear();
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_done();
	assert_int_equal(announced(1, "198.19.8.0/26"), 0);
	assert_int_equal(announced(1, "198.19.7.0/26"), 0);
	assert_int_equal(rt_best("198.19.7.0/26"), -1);
}

static const struct kroute *
kr_find(const char *pfx, uint32_t type)
{
	struct bgp_prefix	 p = rt_pfx(pfx);
	size_t			 i;

	for (i = rt.nkr; i-- > 0;)
		if (rt.krtype[i] == type && rt.kr[i].prefixlen == p.plen &&
		    memcmp(rt.kr[i].prefix.bytes, p.addr.bytes, 16) == 0)
			return &rt.kr[i];
	return NULL;
}

/* calico_kernel_programming. */
static void
test_kernel(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };
	struct rt_attr	 far = { .path = { 65000 }, .npath = 1,
			    .nexthop = "192.168.50.1" };
	struct rt_attr	 lp = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_lp = 1,
			    .lp = 2147483647 - 500 };
	const struct kroute	*k;

	(void)state;
	/* Local block: blackhole; cluster IP range: never programmed. */
	k = kr_find("198.19.7.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_true(k->flags & KR_F_BLACKHOLE);
	assert_null(kr_find("10.96.0.0/12", IMSG_KROUTE_CHANGE));
	rt_clear();
	rt_announce(2, &a, "198.19.8.0/26");
	rt_announce(2, &a, "172.16.1.0/26");
	rt_announce(2, &a, "172.17.1.0/26");
	rt_announce(3, &far, "172.17.2.0/26");
	rt_announce(2, &a, "172.18.1.0/26");
	rt_announce(2, &a, "8.8.8.0/24");
	rt_announce(1, &lp, "198.19.9.0/26");
	rt_run();
	k = kr_find("198.19.8.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_int_equal(k->priority, 2147483647 - 100);
	assert_false(k->flags & (KR_F_ONLINK | KR_F_BLACKHOLE));
	/* VXLAN pool: Felix's. */
	assert_null(kr_find("172.16.1.0/26", IMSG_KROUTE_CHANGE));
	/* IPIP pools are Felix's by default (EnabledNoEncapOnly). */
	assert_null(kr_find("172.17.1.0/26", IMSG_KROUTE_CHANGE));
	assert_null(kr_find("172.18.1.0/26", IMSG_KROUTE_CHANGE));
	/* Outside every pool: accepted. */
	assert_non_null(kr_find("8.8.8.0/24", IMSG_KROUTE_CHANGE));
	k = kr_find("198.19.9.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_int_equal(k->priority, 500);
	/* programClusterRoutes Enabled: IPIP pools with tunl0. */
	rt_clear();
	rt_conf(64512, "198.18.0.1", NULL, RC_F_KERNEL_INSTALL);
	rt_pool("172.17.0.0/16", 0, RC_ENCAP_CROSS_SUBNET, RC_ENCAP_NEVER);
	rt_pool("172.18.0.0/16", 0, RC_ENCAP_ALWAYS, RC_ENCAP_NEVER);
	rde->next.global.cluster_routes = RC_PCR_ENABLED;
	rt_done();
	k = kr_find("172.17.1.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_false(k->flags & KR_F_ONLINK);
	k = kr_find("172.17.2.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_true(k->flags & KR_F_ONLINK);
	k = kr_find("172.18.1.0/26", IMSG_KROUTE_CHANGE);
	assert_non_null(k);
	assert_true(k->flags & KR_F_ONLINK);
	/* The local block is no longer originated: deleted. */
	assert_non_null(kr_find("198.19.7.0/26", IMSG_KROUTE_DELETE));
}

/* A priority change is a delete of the old route, then the new one. */
static void
test_kernel_priority(void **state)
{
	struct rt_attr	 lp = { .path = { 65010 }, .npath = 1,
			    .nexthop = "198.18.0.2", .has_lp = 1, .lp = 200 };
	size_t		 i;

	(void)state;
	rt_announce(1, &lp, "198.19.9.0/26");
	rt_run();
	rt_clear();
	lp.lp = 300;
	rt_announce(1, &lp, "198.19.9.0/26");
	rt_run();
	assert_int_equal(rt.nkr, 2);
	assert_int_equal(rt.krtype[0], IMSG_KROUTE_DELETE);
	assert_int_equal(rt.kr[0].priority, 2147483647 - 200);
	assert_int_equal(rt.krtype[1], IMSG_KROUTE_CHANGE);
	assert_int_equal(rt.kr[1].priority, 2147483647 - 300);
	rt_clear();
	rt_withdraw(1, "198.19.9.0/26");
	rt_run();
	assert_int_equal(rt.nkr, 1);
	assert_int_equal(rt.krtype[0], IMSG_KROUTE_DELETE);
	for (i = 0; i < rt.nkr; i++)
		assert_int_equal(rt.kr[i].prefixlen, 26);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_block, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aggr_more_specific, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pools, setup, teardown),
		cmocka_unit_test_setup_teardown(test_services, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rr_services, setup_rr,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_auto, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wellknown_comms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reconf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel, setup_kernel,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kernel_priority,
		    setup_kernel, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
