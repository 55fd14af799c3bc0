/*
 * ribd: interned path attributes.  Equal sets share one copy and one id,
 * references count, the last one frees (by a reclaim: a dead set can
 * come back); builders modify copies only;
 * AS path prepending across segment limits; communities as sorted sets;
 * a round trip through the UPDATE encoder and decoder.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

static struct rde_abuild	 ab;

static int
setup(void **state)
{
	(void)state;
	rt_init();
	rde_ab_init(&ab);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rde_ab_free(&ab);
	rt_fini();
	return 0;
}

static void
basic(struct rde_abuild *b, uint32_t as)
{
	uint8_t	 path[6] = { BGP_AS_SEQUENCE, 1 };

	rt_put32(path + 2, as);
	rde_ab_reset(b);
	b->k.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN);
	b->k.origin = BGP_ORIGIN_IGP;
	b->k.nexthop = rt_addr("198.18.0.2");
	rde_ab_set_aspath(b, path, sizeof(path));
}

static void
test_intern_share(void **state)
{
	uint32_t	 a, b, c;
	size_t		 n = rde_attr_count();

	(void)state;
	basic(&ab, 65001);
	a = rde_attr_intern(&ab);
	b = rde_attr_intern(&ab);
	assert_int_not_equal(a, RDE_NIL);
	assert_int_equal(a, b);
	assert_int_equal(rde_attr_refcnt(a), 2);
	assert_int_equal(rde_attr_count(), n + 1);
	basic(&ab, 65002);
	c = rde_attr_intern(&ab);
	assert_int_not_equal(a, c);
	assert_int_equal(rde_attr_get(c)->k.neighbor_as, 65002);
	assert_int_equal(rde_attr_get(c)->k.aspath_count, 1);
	rde_attr_unref(a);
	assert_int_equal(rde_attr_refcnt(a), 1);
	rde_attr_unref(a);
	assert_int_equal(rde_attr_refcnt(a), 0);
	assert_int_equal(rde_attr_count(), n + 1);
	/* The id comes back for the next new set. */
	basic(&ab, 65003);
	assert_int_equal(rde_attr_intern(&ab), a);
	rde_attr_unref(a);
	rde_attr_unref(c);
	assert_int_equal(rde_attr_count(), n);
}

/*
 * A set without references is freed only by a reclaim; interned again
 * before that, it comes back alive with its id.
 */
static void
test_dead_revive(void **state)
{
	uint32_t	 a, b;
	size_t		 n = rde_attr_count(), bytes, budget;

	(void)state;
	basic(&ab, 65010);
	a = rde_attr_intern(&ab);
	rde_attr_unref(a);
	assert_int_equal(rde_attr_refcnt(a), 0);
	assert_int_equal(rde_attr_count(), n);
	b = rde_attr_intern(&ab);
	assert_int_equal(b, a);
	assert_non_null(rde_attr_get(a));
	assert_int_equal(rde_attr_refcnt(a), 1);
	assert_int_equal(rde_attr_count(), n + 1);
	rde_attr_unref(a);
	bytes = rde_attr_bytes();
	budget = 0;
	assert_int_equal(rde_attr_reclaim(&budget), 1);
	/* Dead twice, it is on the list once. */
	budget = 100;
	assert_int_equal(rde_attr_reclaim(&budget), 0);
	assert_int_equal(budget, 99);
	assert_true(rde_attr_bytes() < bytes);
	assert_null(rde_attr_get(a));
	assert_int_equal(rde_attr_count(), n);
}

/* Editing a copy leaves the interned set alone. */
static void
test_builder_copy(void **state)
{
	uint32_t	 a, b;
	uint16_t	 len;

	(void)state;
	basic(&ab, 65001);
	a = rde_attr_intern(&ab);
	rde_ab_from(&ab, rde_attr_get(a));
	rde_ab_add_comm(&ab, 64512U << 16 | 1);
	b = rde_attr_intern(&ab);
	assert_int_not_equal(a, b);
	rde_attr_part(rde_attr_get(a), RDE_AP_COMM, &len);
	assert_int_equal(len, 0);
	rde_attr_part(rde_attr_get(b), RDE_AP_COMM, &len);
	assert_int_equal(len, 4);
	assert_true(rde_attr_has_comm(rde_attr_get(b), 64512U << 16 | 1));
	rde_attr_unref(a);
	rde_attr_unref(b);
}

static void
test_prepend(void **state)
{
	uint8_t		 set[10] = { BGP_AS_SET, 2 };
	const uint8_t	*p;
	uint16_t	 len;

	(void)state;
	rde_ab_reset(&ab);
	assert_int_equal(rde_ab_prepend(&ab, 64512, 1), 0);
	assert_int_equal(ab.len[RDE_AP_ASPATH], 6);
	basic(&ab, 65001);
	assert_int_equal(rde_ab_prepend(&ab, 64512, 2), 0);
	p = ab.part[RDE_AP_ASPATH];
	len = ab.len[RDE_AP_ASPATH];
	assert_int_equal(len, 2 + 3 * 4);
	assert_int_equal(p[1], 3);
	assert_int_equal(bgp_aspath_first(p, len, 1), 64512);
	/* A set in front: a new sequence goes before it. */
	rt_put32(set + 2, 1);
	rt_put32(set + 6, 2);
	rde_ab_set_aspath(&ab, set, sizeof(set));
	assert_int_equal(rde_ab_prepend(&ab, 64512, 1), 0);
	assert_int_equal(ab.len[RDE_AP_ASPATH], 6 + 10);
	assert_int_equal(ab.part[RDE_AP_ASPATH][0], BGP_AS_SEQUENCE);
	assert_int_equal(bgp_aspath_count(ab.part[RDE_AP_ASPATH],
	    ab.len[RDE_AP_ASPATH], 1), 2);
	/* More than a segment holds: 255 + 45. */
	rde_ab_reset(&ab);
	assert_int_equal(rde_ab_prepend(&ab, 64512, 300), 0);
	assert_int_equal(bgp_aspath_check(ab.part[RDE_AP_ASPATH],
	    ab.len[RDE_AP_ASPATH], 1), 0);
	assert_int_equal(bgp_aspath_count(ab.part[RDE_AP_ASPATH],
	    ab.len[RDE_AP_ASPATH], 1), 300);
}

/* Communities are sets: order and duplicates do not make new sets. */
static void
test_comm_sets(void **state)
{
	uint32_t	 a, b;

	(void)state;
	basic(&ab, 65001);
	rde_ab_add_comm(&ab, 3);
	rde_ab_add_comm(&ab, 1);
	rde_ab_add_comm(&ab, 2);
	rde_ab_add_comm(&ab, 1);
	rde_ab_add_large(&ab, 2, 0, 0);
	rde_ab_add_large(&ab, 1, 9, 9);
	assert_int_equal(ab.len[RDE_AP_COMM], 12);
	rde_ab_normalize(&ab);
	a = rde_attr_intern(&ab);
	basic(&ab, 65001);
	rde_ab_add_large(&ab, 1, 9, 9);
	rde_ab_add_comm(&ab, 2);
	rde_ab_add_large(&ab, 2, 0, 0);
	rde_ab_add_comm(&ab, 3);
	rde_ab_add_comm(&ab, 1);
	rde_ab_normalize(&ab);
	b = rde_attr_intern(&ab);
	assert_int_equal(a, b);
	assert_int_equal(ab.part[RDE_AP_COMM][3], 1);
	assert_int_equal(ab.part[RDE_AP_LARGE][3], 1);
	rde_attr_unref(a);
	rde_attr_unref(b);
}

static void
test_cluster_drop(void **state)
{
	uint32_t	 a;
	const uint8_t	*p;
	uint16_t	 len;

	(void)state;
	basic(&ab, 65001);
	rde_ab_cluster_prepend(&ab, 0x0a000002);
	rde_ab_cluster_prepend(&ab, 0x0a000001);
	a = rde_attr_intern(&ab);
	p = rde_attr_part(rde_attr_get(a), RDE_AP_CLUSTER, &len);
	assert_int_equal(len, 8);
	assert_int_equal(p[3], 1);
	assert_int_equal(p[7], 2);
	assert_int_equal(rde_attr_get(a)->k.cluster_len, 8);
	rde_ab_drop(&ab, BGP_ATTR_CLUSTER_LIST);
	assert_int_equal(ab.len[RDE_AP_CLUSTER], 0);
	assert_false(ab.k.present & BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
	rde_attr_unref(a);
}

/* Interned set -> codec -> wire -> codec: the same attributes. */
static void
test_round_trip(void **state)
{
	struct bgp_packer	*pk;
	struct bgp_update	*u;
	struct bgp_attrs	 b;
	struct bgp_sess		 s;
	struct bgp_prefix	 p = rt_pfx("198.19.0.0/26");
	const uint8_t		*msg;
	uint32_t		 a;
	size_t			 len;

	(void)state;
	pk = calloc(1, sizeof(*pk));
	u = calloc(1, sizeof(*u));
	basic(&ab, 65001);
	ab.k.present |= BGP_ATTR_BIT(BGP_ATTR_MED) |
	    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
	    BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
	ab.k.med = 10;
	ab.k.local_pref = 200;
	ab.k.originator_id = 0x01020304;
	rde_ab_add_comm(&ab, 7);
	rde_ab_cluster_prepend(&ab, 0x0a000001);
	a = rde_attr_intern(&ab);
	rde_attr_to_bgp(rde_attr_get(a), &b);
	rt_sess(&s, 0, 64512);
	assert_int_equal(bgp_pack_init(pk, &s, BGP_AID_IPV4, &b), 0);
	assert_int_equal(bgp_pack_add(pk, &p), 0);
	len = bgp_pack_flush(pk, &msg);
	assert_int_equal(bgp_update_decode(msg, len, &s, u), BGP_UPD_OK);
	assert_int_equal(u->attrs.med, 10);
	assert_int_equal(u->attrs.local_pref, 200);
	assert_int_equal(u->attrs.originator_id, 0x01020304);
	assert_int_equal(u->attrs.communities_len, 4);
	assert_int_equal(u->attrs.cluster_list_len, 4);
	assert_int_equal(bgp_aspath_first(u->attrs.aspath, u->attrs.aspath_len,
	    1), 65001);
	rde_attr_unref(a);
	free(pk);
	free(u);
}

/* Many sets: the table grows, every id still finds its set. */
static void
test_many(void **state)
{
	uint32_t	*ids;
	int		 i, n = 20000;

	(void)state;
	ids = calloc(n, sizeof(*ids));
	for (i = 0; i < n; i++) {
		basic(&ab, 100000 + i);
		ids[i] = rde_attr_intern(&ab);
	}
	for (i = 0; i < n; i++) {
		basic(&ab, 100000 + i);
		assert_int_equal(rde_attr_intern(&ab), ids[i]);
		assert_int_equal(rde_attr_get(ids[i])->k.neighbor_as,
		    (uint32_t)(100000 + i));
		rde_attr_unref(ids[i]);
		rde_attr_unref(ids[i]);
	}
	assert_int_equal(rde_attr_count(), 0);
	free(ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intern_share, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dead_revive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_builder_copy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prepend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comm_sets, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cluster_drop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
