/*
 * ribd: the index hash tables (rde_hash.c).  Entries that share a bucket
 * go on past it when it is full and are found there; removing them
 * leaves the others findable; candidates come only with a matching tag;
 * a table rebuilt bigger finds everything; a search in a table whose
 * every bucket once overflowed ends.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

/* Whether idx is among the candidates for hash h. */
static int
has(const struct rde_ht *ht, uint32_t h, uint32_t idx)
{
	struct rde_ht_iter	 it;
	uint32_t		 i;

	for (i = rde_ht_find(ht, h, &it); i != RDE_NIL; i = rde_ht_next(&it))
		if (i == idx)
			return 1;
	return 0;
}

/* 100 entries with one hash: six buckets' worth, all found. */
static void
test_overflow(void **state)
{
	struct rde_ht	 ht;
	uint32_t	 i, h = 0x12345678;

	(void)state;
	rde_ht_init(&ht, RDE_HT_MIN);
	for (i = 1; i <= 100; i++)
		rde_ht_insert(&ht, h, i);
	assert_int_equal(ht.count, 100);
	for (i = 1; i <= 100; i++)
		assert_true(has(&ht, h, i));
	/* Another tag, same bucket: no candidates. */
	assert_false(has(&ht, h ^ 0x01, 50));
	for (i = 1; i <= 100; i += 2)
		rde_ht_remove(&ht, h, i);
	for (i = 1; i <= 100; i++)
		assert_int_equal(has(&ht, h, i), i % 2 == 0);
	for (i = 2; i <= 100; i += 2)
		rde_ht_remove(&ht, h, i);
	assert_int_equal(ht.count, 0);
	for (i = 0; i < ht.nbuckets * 16; i += 16)
		assert_int_equal(ht.b[i], 0);
	rde_ht_free(&ht);
}

static uint32_t
mix(uint32_t i)
{
	uint64_t	 h = i * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* Filling to the limit, rebuilding bigger, finding every entry. */
static void
test_grow(void **state)
{
	struct rde_ht	 ht, big;
	uint32_t	 i, n = 0, k;

	(void)state;
	rde_ht_init(&ht, RDE_HT_MIN);
	while (!rde_ht_full(&ht)) {
		n++;
		rde_ht_insert(&ht, mix(n), n);
	}
	assert_true(n > RDE_HT_MIN * 15 * 3 / 4);
	rde_ht_init(&big, rde_ht_bigger(&ht));
	assert_true(big.nbuckets > ht.nbuckets);
	for (k = 0; k < ht.nbuckets * 16; k++)
		if (k % 16 != 0 && ht.b[k] != 0) {
			i = ht.b[k] & RDE_HT_IDX_MAX;
			rde_ht_insert(&big, mix(i), i);
		}
	assert_int_equal(big.count, n);
	for (i = 1; i <= n; i++)
		assert_true(has(&big, mix(i), i));
	assert_false(has(&big, mix(n + 1), n + 1));
	rde_ht_free(&ht);
	rde_ht_free(&big);
}

/* Every bucket once overflowed: a search for nothing still ends. */
static void
test_all_overflowed(void **state)
{
	struct rde_ht	 ht;
	uint32_t	 k;

	(void)state;
	rde_ht_init(&ht, RDE_HT_MIN);
	for (k = 0; k < ht.nbuckets * 16; k += 16)
		ht.b[k] = 1;
	assert_false(has(&ht, 0xdeadbeef, 7));
	rde_ht_free(&ht);
}

/* The prefix table on top of it: many prefixes of one hash bucket. */
static void
test_prefixes(void **state)
{
	uint8_t		 a[16];
	uint32_t	 i, idx[5000];

	(void)state;
	rt_init();
	memset(a, 0, sizeof(a));
	for (i = 0; i < 5000; i++) {
		rt_put32(a, 0xc6130000U + i * 64);
		idx[i] = rde_prefix_get(BGP_AID_IPV4, a, 26);
		assert_int_not_equal(idx[i], RDE_NIL);
	}
	assert_int_equal(rde_prefix_count(), 5000);
	for (i = 0; i < 5000; i++) {
		rt_put32(a, 0xc6130000U + i * 64);
		assert_int_equal(rde_prefix_find(BGP_AID_IPV4, a, 26),
		    idx[i]);
		assert_int_equal(rde_prefix_find(BGP_AID_IPV4, a, 27),
		    RDE_NIL);
	}
	for (i = 0; i < 5000; i += 2)
		rde_prefix_gc(idx[i]);
	for (i = 0; i < 5000; i++) {
		rt_put32(a, 0xc6130000U + i * 64);
		assert_int_equal(rde_prefix_find(BGP_AID_IPV4, a, 26),
		    i % 2 ? idx[i] : RDE_NIL);
	}
	assert_int_equal(rde_prefix_count(), 2500);
	rt_fini();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_all_overflowed),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
