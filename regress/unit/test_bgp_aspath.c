/*
 * BGP codec: AS paths in wire format: checks, iteration, path length,
 * widening, the RFC 6793 AS4_PATH merge, prepending and printing.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp_msg.h"

/* Build a 4-octet path from "seq:1,2 set:3,4 cseq:5 cset:6". */
static size_t
mkpath(const char *spec, uint8_t *out, int as4)
{
	char		 buf[512], *seg, *sp, *as, *ap;
	size_t		 o = 0, cnt;
	uint32_t	 v;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (seg = strtok_r(buf, " ", &sp); seg != NULL;
	    seg = strtok_r(NULL, " ", &sp)) {
		if (strncmp(seg, "seq:", 4) == 0)
			out[o] = BGP_AS_SEQUENCE;
		else if (strncmp(seg, "set:", 4) == 0)
			out[o] = BGP_AS_SET;
		else if (strncmp(seg, "cseq:", 5) == 0)
			out[o] = BGP_AS_CONFED_SEQUENCE;
		else
			out[o] = BGP_AS_CONFED_SET;
		cnt = o + 1;
		o += 2;
		out[cnt] = 0;
		for (as = strtok_r(strchr(seg, ':') + 1, ",", &ap); as != NULL;
		    as = strtok_r(NULL, ",", &ap)) {
			v = (uint32_t)strtoul(as, NULL, 10);
			if (as4) {
				out[o++] = (uint8_t)(v >> 24);
				out[o++] = (uint8_t)(v >> 16);
			}
			out[o++] = (uint8_t)(v >> 8);
			out[o++] = (uint8_t)v;
			out[cnt]++;
		}
	}
	return o;
}

static const char *
str4(const uint8_t *p, int len)
{
	static char	 buf[2048];

	assert_true(len >= 0);
	assert_int_equal(bgp_aspath_check(p, (size_t)len, 1), 0);
	return bgp_aspath_str(p, (size_t)len, 1, buf, sizeof(buf));
}

static void
test_check(void **state)
{
	uint8_t		 p[64];
	size_t		 n;

	(void)state;
	n = mkpath("seq:1,2 set:3", p, 1);
	assert_int_equal(bgp_aspath_check(p, n, 1), 0);
	assert_int_equal(bgp_aspath_check(p, n - 1, 1), -1);
	assert_int_equal(bgp_aspath_check(p, n, 0), -1);
	assert_int_equal(bgp_aspath_check(p, 0, 1), 0);
	p[0] = 0;
	assert_int_equal(bgp_aspath_check(p, n, 1), -1);
	p[0] = 5;
	assert_int_equal(bgp_aspath_check(p, n, 1), -1);
	p[0] = 2;
	p[1] = 0;
	assert_int_equal(bgp_aspath_check(p, 2, 1), -1);
	assert_int_equal(bgp_aspath_check(p, 1, 1), -1);
	n = mkpath("seq:1,2 set:3", p, 0);
	assert_int_equal(bgp_aspath_check(p, n, 0), 0);
}

static void
test_iter(void **state)
{
	struct bgp_aspath_iter	 it;
	uint8_t			 p[64], t;
	uint32_t		 as;
	size_t			 n;

	(void)state;
	n = mkpath("seq:65001,4200000000 set:7", p, 1);
	bgp_aspath_iter_init(&it, p, n, 1);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 1);
	assert_int_equal(as, 65001);
	assert_int_equal(t, BGP_AS_SEQUENCE);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 1);
	assert_int_equal(as, 4200000000U);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 1);
	assert_int_equal(as, 7);
	assert_int_equal(t, BGP_AS_SET);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 0);
	bgp_aspath_iter_init(&it, p, n - 1, 1);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 1);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), 1);
	assert_int_equal(bgp_aspath_next(&it, &as, &t), -1);
}

static void
test_count_first_contains(void **state)
{
	uint8_t		 p[128];
	size_t		 n;

	(void)state;
	n = mkpath("cseq:9,9 seq:1,2,3 set:4,5,6 cset:7 seq:8", p, 1);
	assert_int_equal(bgp_aspath_count(p, n, 1), 5);
	/* The first segment is a confed sequence: no first AS. */
	assert_int_equal(bgp_aspath_first(p, n, 1), 0);
	assert_true(bgp_aspath_contains(p, n, 1, 6));
	assert_false(bgp_aspath_contains(p, n, 1, 10));
	n = mkpath("seq:65001,65002", p, 0);
	assert_int_equal(bgp_aspath_first(p, n, 0), 65001);
	assert_int_equal(bgp_aspath_count(p, n, 0), 2);
	assert_int_equal(bgp_aspath_count(p, 0, 0), 0);
	assert_int_equal(bgp_aspath_first(p, 0, 0), 0);
}

static void
test_widen(void **state)
{
	uint8_t		 p[64], out[128];
	size_t		 n;

	(void)state;
	n = mkpath("seq:65001,23456 set:1,2", p, 0);
	assert_string_equal(str4(out, bgp_aspath_widen(p, n, out,
	    sizeof(out))), "65001 23456 {1 2}");
	assert_int_equal(bgp_aspath_widen(p, n, out, 10), -1);
	assert_int_equal(bgp_aspath_widen(p, n - 1, out, sizeof(out)), -1);
	assert_int_equal(bgp_aspath_widen(p, 0, out, sizeof(out)), 0);
}

static void
test_merge(void **state)
{
	uint8_t		 p[128], p4[128], out[256];
	size_t		 n, n4;

	(void)state;
	/* Equal lengths: AS4_PATH replaces AS_PATH. */
	n = mkpath("seq:23456,65001", p, 0);
	n4 = mkpath("seq:4200000000,65001", p4, 1);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "4200000000 65001");
	/* The cut falls inside a sequence. */
	n = mkpath("seq:65010,65011,23456,65001", p, 0);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "65010 65011 4200000000 65001");
	/* Segments at the cut stay whole and merge with AS4_PATH's first. */
	n = mkpath("seq:65010 seq:65011 seq:23456,65001", p, 0);
	assert_int_equal(bgp_aspath_merge(p, n, 0, p4, n4, out, sizeof(out)),
	    2 + 4 * 4);
	/* A set ahead of the cut is kept whole. */
	n = mkpath("set:65020,65021 seq:23456", p, 0);
	n4 = mkpath("seq:4200000000", p4, 1);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "{65020 65021} 4200000000");
	/* Confederation segments in the leading part are kept. */
	n = mkpath("cseq:65100 seq:65010,23456", p, 0);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "(65100) 65010 4200000000");
	/* AS4_PATH longer than AS_PATH: ignored. */
	n = mkpath("seq:23456", p, 0);
	n4 = mkpath("seq:4200000000,65001", p4, 1);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "23456");
	/* An AS4_PATH set counts one. */
	n = mkpath("seq:23456,23456", p, 0);
	n4 = mkpath("seq:4200000000 set:4200000001,4200000002", p4, 1);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, n4, out,
	    sizeof(out))), "4200000000 {4200000001 4200000002}");
	/* Empty AS4_PATH: AS_PATH unchanged. */
	n = mkpath("seq:1,2", p, 0);
	assert_string_equal(str4(out, bgp_aspath_merge(p, n, 0, p4, 0, out,
	    sizeof(out))), "1 2");
	/* Malformed inputs and a short buffer. */
	assert_int_equal(bgp_aspath_merge(p, n - 1, 0, NULL, 0, out,
	    sizeof(out)), -1);
	assert_int_equal(bgp_aspath_merge(p, n, 0, p4, n4 - 1, out,
	    sizeof(out)), -1);
	assert_int_equal(bgp_aspath_merge(p, n, 0, NULL, 0, out, 9), -1);
}

static void
test_merge_long(void **state)
{
	static uint8_t	 p[2 + 255 * 2 + 2 + 10 * 2], p4[64], out[4096];
	size_t		 n = 0, n4;
	int		 i, len;

	(void)state;
	/* 265 ASes: a full sequence of 255 and one of 10, last is TRANS. */
	p[n++] = BGP_AS_SEQUENCE;
	p[n++] = 255;
	for (i = 0; i < 255; i++, n += 2) {
		p[n] = 0xfd;
		p[n + 1] = (uint8_t)i;
	}
	p[n++] = BGP_AS_SEQUENCE;
	p[n++] = 10;
	for (i = 0; i < 10; i++, n += 2) {
		p[n] = 0x5b;
		p[n + 1] = 0xa0;
	}
	n4 = mkpath("seq:4200000000,4200000001,4200000002,4200000003,"
	    "4200000004,4200000005,4200000006,4200000007,4200000008,"
	    "4200000009", p4, 1);
	len = bgp_aspath_merge(p, n, 0, p4, n4, out, sizeof(out));
	assert_true(len > 0);
	assert_int_equal(bgp_aspath_count(out, (size_t)len, 1), 265);
	assert_int_equal(bgp_aspath_check(out, (size_t)len, 1), 0);
	assert_true(bgp_aspath_contains(out, (size_t)len, 1, 4200000009U));
	assert_false(bgp_aspath_contains(out, (size_t)len, 1, BGP_AS_TRANS));
	/* 255 + 10 ASes: two segments, 255 and 10. */
	assert_int_equal(out[1], 255);
	assert_int_equal(out[2 + 255 * 4 + 1], 10);
	/* With a single AS in AS4_PATH, 264 lead from AS_PATH. */
	n4 = mkpath("seq:4200000000", p4, 1);
	len = bgp_aspath_merge(p, n, 0, p4, n4, out, sizeof(out));
	assert_int_equal(bgp_aspath_count(out, (size_t)len, 1), 265);
	assert_int_equal(out[2 + 255 * 4 + 1], 10);
}

static void
test_prepend(void **state)
{
	uint8_t		 p[2048], out[4096];
	size_t		 n;
	int		 len;

	(void)state;
	n = mkpath("seq:65001", p, 1);
	assert_string_equal(str4(out, bgp_aspath_prepend(p, n, 64512, 2, out,
	    sizeof(out))), "64512 64512 65001");
	/* One segment, not two. */
	assert_int_equal(out[1], 3);
	n = mkpath("set:1,2", p, 1);
	assert_string_equal(str4(out, bgp_aspath_prepend(p, n, 64512, 1, out,
	    sizeof(out))), "64512 {1 2}");
	assert_string_equal(str4(out, bgp_aspath_prepend(p, 0, 64512, 1, out,
	    sizeof(out))), "64512");
	assert_int_equal(bgp_aspath_prepend(p, n, 64512, 0, out, sizeof(out)),
	    (int)n);
	assert_int_equal(bgp_aspath_prepend(p, n, 64512, -1, out,
	    sizeof(out)), -1);
	assert_int_equal(bgp_aspath_prepend(p, n, 64512, 1, out, 8), -1);
	/* Long prepends split into segments of 255. */
	len = bgp_aspath_prepend(p, 0, 7, 300, out, sizeof(out));
	assert_int_equal(len, 2 + 255 * 4 + 2 + 45 * 4);
	assert_int_equal(bgp_aspath_count(out, (size_t)len, 1), 300);
	/* Filling an existing sequence up to 255. */
	n = (size_t)bgp_aspath_prepend(p, 0, 9, 254, p, sizeof(p));
	len = bgp_aspath_prepend(p, n, 7, 3, out, sizeof(out));
	assert_int_equal(bgp_aspath_count(out, (size_t)len, 1), 257);
	assert_int_equal(out[1], 255);
}

static void
test_str(void **state)
{
	uint8_t		 p[128];
	char		 buf[64];
	size_t		 n;

	(void)state;
	n = mkpath("seq:1,2 set:3,4 cseq:5 cset:6,7", p, 1);
	assert_string_equal(bgp_aspath_str(p, n, 1, buf, sizeof(buf)),
	    "1 2 {3 4} (5) [6 7]");
	assert_string_equal(bgp_aspath_str(p, 0, 1, buf, sizeof(buf)), "");
	assert_string_equal(bgp_aspath_str(p, n - 1, 1, buf, sizeof(buf)),
	    "<malformed>");
	/* Short buffers truncate, never overflow. */
	bgp_aspath_str(p, n, 1, buf, 5);
	assert_true(strlen(buf) < 5);
	bgp_aspath_str(p, n, 1, buf, 1);
	assert_string_equal(buf, "");
	n = mkpath("seq:65001", p, 0);
	assert_string_equal(bgp_aspath_str(p, n, 0, buf, sizeof(buf)),
	    "65001");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_count_first_contains),
		cmocka_unit_test(test_widen),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_long),
		cmocka_unit_test(test_prepend),
		cmocka_unit_test(test_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
