/*
 * BGP codec robustness: random and mutated messages through every decoder,
 * with the checks of the libFuzzer targets (included below under other
 * names), so that `make check` runs them without libFuzzer.  Build it with
 * -fsanitize=address,undefined to catch any read out of bounds: every
 * input sits in a heap buffer of exactly its size.  The generator is
 * seeded with a constant (TORTIE_FUZZ_SEED overrides it) so that a
 * failure repeats.
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

#define LLVMFuzzerTestOneInput	fuzz_msg_one
#include "../fuzz/fuzz_bgp_msg.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput	fuzz_caps_one
#include "../fuzz/fuzz_bgp_caps.c"
#undef LLVMFuzzerTestOneInput

#define NSEEDS		16
#define SEEDMAX		8192

struct seed {
	size_t		 len;
	uint8_t		 b[SEEDMAX];
};

static struct seed	 seeds[NSEEDS];
static int		 nseeds;
static uint64_t		 rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
add_seed(const uint8_t *b, size_t len)
{
	assert_true(nseeds < NSEEDS && len <= SEEDMAX);
	memcpy(seeds[nseeds].b, b, len);
	seeds[nseeds].len = len;
	nseeds++;
}

static void
seed_open(void)
{
	struct bgp_open	 o;
	uint8_t		 b[512];
	int		 n;

	memset(&o, 0, sizeof(o));
	o.as = 4200000000U;
	o.holdtime = 90;
	o.bgp_id = 0xc6120001;
	o.caps.mp[0] = o.caps.mp[1] = 1;
	o.caps.rrefresh = o.caps.enhanced_rr = o.caps.ext_msg = 1;
	o.caps.as4 = 1;
	o.caps.gr = 1;
	o.caps.gr_time = 120;
	o.caps.gr_af[0] = BGP_GR_AF_PRESENT | BGP_GR_AF_FORWARDING;
	o.caps.addpath[0] = BGP_ADDPATH_SEND | BGP_ADDPATH_RECV;
	o.caps.addpath[1] = BGP_ADDPATH_RECV;
	n = bgp_open_encode(&o, b, sizeof(b));
	assert_true(n > 0);
	add_seed(b, (size_t)n);
}

static void
seed_small(void)
{
	uint8_t	 b[512];
	int	 n;

	add_seed(b, (size_t)bgp_keepalive_encode(b, sizeof(b)));
	n = bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_DOWN,
	    "maintenance \xc3\xa9", b, sizeof(b));
	add_seed(b, (size_t)n);
	n = bgp_notification_encode(BGP_ERR_UPDATE, BGP_ERRUPD_ATTRLEN,
	    (const uint8_t *)"\x40\x01\x02\x00\x00", 5, b, sizeof(b));
	add_seed(b, (size_t)n);
	add_seed(b, (size_t)bgp_rrefresh_encode(BGP_AID_IPV6, BGP_RR_BORR, b,
	    sizeof(b)));
	add_seed(b, (size_t)bgp_eor_encode(BGP_AID_IPV6, b, sizeof(b)));
}

static void
seed_pack(const struct bgp_sess *s, uint8_t aid, const struct bgp_attrs *a,
    int npfx)
{
	static struct bgp_packer	 pk;
	struct bgp_prefix		 p;
	const uint8_t			*msg;
	size_t				 len;
	int				 i;

	assert_int_equal(bgp_pack_init(&pk, s, aid, a), 0);
	for (i = 0; i < npfx; i++) {
		tb_prefix(aid == BGP_AID_IPV6 ? "2001:db8::/48" :
		    "198.19.0.0/26", &p);
		p.addr.bytes[aid == BGP_AID_IPV6 ? 5 : 2] = (uint8_t)i;
		p.path_id = (uint32_t)i;
		assert_int_equal(bgp_pack_add(&pk, &p), 0);
	}
	len = bgp_pack_flush(&pk, &msg);
	add_seed(msg, len);
}

static void
seed_updates(void)
{
	static const uint8_t	 p4[] = { 2, 3, 0, 0, 0xfd, 0xe9, 0xfa, 0x56,
				    0xea, 0, 0, 0, 0xfd, 0xea, 1, 1, 0, 0, 0,
				    7 };
	static const uint8_t	 comm[] = { 0xfd, 0xe9, 0, 1 };
	static const uint8_t	 lc[] = { 0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0,
				    0, 2 };
	static const uint8_t	 unk[] = { 0xe0, 0xc8, 0x02, 'h', 'i' };
	struct bgp_sess		 s;
	struct bgp_attrs	 a;

	tb_sess(&s, 1, 0);
	memset(&a, 0, sizeof(a));
	a.aspath = p4;
	a.aspath_len = sizeof(p4);
	a.aspath_as4 = 1;
	a.present = BGP_ATTR_BIT(BGP_ATTR_MED) |
	    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
	    BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) |
	    BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |
	    BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST) |
	    BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
	a.aggregator_as = 4200000000U;
	a.communities = comm;
	a.communities_len = sizeof(comm);
	a.cluster_list = comm;
	a.cluster_list_len = sizeof(comm);
	a.large_communities = lc;
	a.large_communities_len = sizeof(lc);
	a.unknown = unk;
	a.unknown_len = sizeof(unk);
	addr_parse("198.18.0.1", &a.nexthop);
	seed_pack(&s, BGP_AID_IPV4, &a, 20);
	seed_pack(&s, BGP_AID_IPV4, NULL, 20);
	addr_parse("2001:db8::1", &a.nexthop);
	addr_parse("fe80::1", &a.nexthop_ll);
	seed_pack(&s, BGP_AID_IPV6, &a, 20);
	seed_pack(&s, BGP_AID_IPV6, NULL, 20);
	/* A 2-octet session: AS_TRANS and AS4_PATH on the wire. */
	tb_sess(&s, 0, 0);
	addr_parse("198.18.0.1", &a.nexthop);
	seed_pack(&s, BGP_AID_IPV4, &a, 5);
	/* ADD-PATH. */
	tb_sess(&s, 1, 0);
	s.addpath_tx[BGP_AID_IPV4] = 1;
	seed_pack(&s, BGP_AID_IPV4, &a, 5);
}

static int
setup(void **state)
{
	const char	*e;

	(void)state;
	if ((e = getenv("TORTIE_FUZZ_SEED")) != NULL)
		rng = strtoull(e, NULL, 0) | 1;
	nseeds = 0;
	seed_open();
	seed_small();
	seed_updates();
	return 0;
}

/* One random change to b (len octets of cap); returns the new length. */
static size_t
mutate(uint8_t *b, size_t len, size_t cap)
{
	size_t	 i, j, n;

	i = len ? rnd() % len : 0;
	switch (rnd() % 8) {
	case 0:
		if (len)
			b[i] ^= (uint8_t)(1 << (rnd() % 8));
		break;
	case 1:
		if (len)
			b[i] = (uint8_t)rnd();
		break;
	case 2:
		if (len)
			b[i] = (rnd() & 1) ? 0xff : 0;
		break;
	case 3:
		if (len > 1) {
			b[i] = (uint8_t)(rnd() % 3);
			b[(i + 1) % len] = (uint8_t)rnd();
		}
		break;
	case 4:
		n = rnd() % 8 + 1;
		if (len + n <= cap) {
			memmove(b + i + n, b + i, len - i);
			for (j = 0; j < n; j++)
				b[i + j] = (uint8_t)rnd();
			len += n;
		}
		break;
	case 5:
		n = rnd() % 8 + 1;
		if (i + n <= len) {
			memmove(b + i, b + i + n, len - i - n);
			len -= n;
		}
		break;
	case 6:
		len = i;
		break;
	default:
		if (len > 2)
			b[i % (len - 1)] = (uint8_t)(rnd() % 64);
		break;
	}
	return len;
}

/* Run one input through the message target from an exact-size buffer. */
static void
run_msg(uint8_t cfg, const uint8_t *b, size_t len)
{
	uint8_t	*in;

	in = malloc(len + 1);
	assert_non_null(in);
	in[0] = cfg;
	memcpy(in + 1, b, len);
	fuzz_msg_one(in, len + 1);
	free(in);
}

static void
test_mutated_messages(void **state)
{
	static uint8_t	 b[SEEDMAX + 64];
	size_t		 len;
	int		 i, k, nm;

	(void)state;
	/* The seeds themselves, under every session setting. */
	for (i = 0; i < nseeds; i++)
		for (k = 0; k < 256; k++)
			run_msg((uint8_t)k, seeds[i].b, seeds[i].len);
	for (i = 0; i < 60000; i++) {
		k = (int)(rnd() % (uint32_t)nseeds);
		len = seeds[k].len;
		memcpy(b, seeds[k].b, len);
		for (nm = (int)(rnd() % 6) + 1; nm > 0; nm--)
			len = mutate(b, len, sizeof(b));
		run_msg((uint8_t)(rnd() | ((rnd() & 3) ? 0x80 : 0)), b, len);
	}
}

static void
test_random_messages(void **state)
{
	static uint8_t	 b[2048];
	size_t		 len, j;
	int		 i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		len = rnd() % sizeof(b);
		for (j = 0; j < len; j++)
			b[j] = (uint8_t)rnd();
		/* Often a valid header, so that the bodies get exercised. */
		if (len >= 19 && (rnd() & 1))
			b[18] = (uint8_t)(rnd() % 6);
		run_msg((uint8_t)(rnd() | 0x80), b, len);
		run_msg((uint8_t)rnd(), b, len);
	}
}

static void
run_caps(const uint8_t *b, size_t len)
{
	uint8_t	*in = malloc(len > 0 ? len : 1);

	assert_non_null(in);
	memcpy(in, b, len);
	fuzz_caps_one(in, len);
	free(in);
}

static void
test_random_caps(void **state)
{
	static const uint8_t	 valid[] = { 1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0,
				    1, 2, 0, 70, 0, 6, 0, 65, 4, 0, 3, 0x0d,
				    0x40, 64, 10, 0xc0, 120, 0, 1, 1, 0x80, 0,
				    2, 1, 0, 69, 8, 0, 1, 1, 3, 0, 2, 1, 1,
				    73, 1, 0 };
	uint8_t			 b[300];
	size_t			 len, j;
	int			 i, nm;
	static const uint8_t	 codes[] = { 1, 2, 6, 64, 65, 69, 70, 73 };

	(void)state;
	run_caps(valid, sizeof(valid));
	for (i = 0; i < 100000; i++) {
		if (i & 1) {
			len = sizeof(valid);
			memcpy(b, valid, len);
			for (nm = (int)(rnd() % 4) + 1; nm > 0; nm--)
				len = mutate(b, len, sizeof(b));
		} else {
			/* Random capabilities of known codes. */
			for (len = 0; len + 2 < 64;) {
				b[len] = codes[rnd() % sizeof(codes)];
				b[len + 1] = (uint8_t)(rnd() % 12);
				for (j = 0; j < b[len + 1] && len + 2 + j <
				    sizeof(b); j++)
					b[len + 2 + j] = (uint8_t)rnd();
				len += 2 + j;
				if (rnd() % 4 == 0)
					break;
			}
		}
		run_caps(b, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutated_messages),
		cmocka_unit_test(test_random_messages),
		cmocka_unit_test(test_random_caps),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
