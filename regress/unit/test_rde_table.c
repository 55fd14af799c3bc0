/*
 * ribd: a table of 1,000,000 IPv4 prefixes from one peer, decided,
 * exported to another peer and packed, then withdrawn.  Checks the
 * counts and that nothing is left, and prints the cost as TAP comments:
 * ns per prefix each way, bytes of RIB per prefix and per path.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "rde_testutil.h"

#define NPFX	1000000

static struct bgp_prefix	*pfx;

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int
setup(void **state)
{
	uint32_t	 i, a;

	(void)state;
	rt_init();
	rt.count_only = 1;
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("16.0.0.0/4", 0, 0, 0);
	rt_done();
	rt_peer(1, "198.18.0.254", 65000, 0);
	rt_peer(2, "198.18.0.2", 64512, 0);
	rt_up(1);
	rt_up(2);
	rt_run();
	rt_clear();
	pfx = calloc(NPFX, sizeof(*pfx));
	for (i = 0; i < NPFX; i++) {
		pfx[i].addr.af = AF_INET;
		pfx[i].aid = BGP_AID_IPV4;
		pfx[i].plen = 24;
		a = 0x10000000U + (i << 8);
		rt_put32(pfx[i].addr.bytes, a);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(pfx);
	rt_fini();
	return 0;
}

static void
test_million(void **state)
{
	struct rt_attr	 a = { .path = { 65000 }, .npath = 1,
			    .nexthop = "198.18.0.254" };
	uint64_t	 t0, t1, t2;
	size_t		 mem, pathmem;
	uint32_t	 npfx, npath;

	(void)state;
	t0 = now_ns();
	rt_send(1, &a, pfx, NPFX);
	rt_run();
	t1 = now_ns();
	npfx = rde_prefix_count();
	npath = rde_path_count();
	mem = rde_mem_bytes();
	pathmem = rde_path_bytes();
	assert_int_equal(npfx, NPFX);
	assert_int_equal(npath, NPFX);
	assert_int_equal(rde_peer_find(1)->prefixes_in, NPFX);
	assert_int_equal(rde_peer_find(1)->prefixes_best, NPFX);
	assert_int_equal(rde_peer_adv_count(rde_peer_find(2)), NPFX);
	/* 4 octets a prefix, one attribute set: about 1000 UPDATEs. */
	assert_true(rt.updates < NPFX / 900 + 10);
	rt_clear();
	t2 = now_ns();
	rt_send(1, NULL, pfx, NPFX);
	rt_run();
	t2 = now_ns() - t2;
	assert_int_equal(rde_prefix_count(), 0);
	assert_int_equal(rde_path_count(), 0);
	assert_int_equal(rde_peer_adv_count(rde_peer_find(2)), 0);
	assert_true(rt.updates < NPFX / 900 + 10);
	/* A generous bound that catches a layout regression. */
	assert_true(mem / npfx < 100);
	printf("# 1000000 prefixes: insert+decide+export+pack %.1f ns/prefix, "
	    "withdraw %.1f ns/prefix\n", (double)(t1 - t0) / NPFX,
	    (double)t2 / NPFX);
	printf("# RIB memory %zu bytes: %.1f bytes/prefix (prefix, paths, "
	    "hash, out-tables), %.1f bytes/path\n", mem,
	    (double)mem / npfx, (double)pathmem / npath);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_million, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
