/*
 * libFuzzer target for BGP capabilities (RFC 5492): the input is the
 * value of a Capabilities optional parameter.  It is decoded on its own
 * and inside an OPEN, negotiated against a fixed local OPEN, re-encoded,
 * and must decode again to the same settings.  A broken promise aborts.
 *
 * regress/unit/test_bgp_fuzz.c includes this file to run the same checks
 * on random input in the unit tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZC_CHECK(e)	do { if (!(e)) fzc_fail(#e, __LINE__); } while (0)

static void
fzc_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_bgp_caps: broken promise at line %d: %s\n",
	    line, what);
	abort();
}

static int
fzc_same(const struct bgp_caps *a, const struct bgp_caps *b)
{
	return memcmp(a->mp, b->mp, sizeof(a->mp)) == 0 &&
	    memcmp(a->addpath, b->addpath, sizeof(a->addpath)) == 0 &&
	    memcmp(a->gr_af, b->gr_af, sizeof(a->gr_af)) == 0 &&
	    a->rrefresh == b->rrefresh && a->enhanced_rr == b->enhanced_rr &&
	    a->as4 == b->as4 && a->ext_msg == b->ext_msg && a->gr == b->gr &&
	    a->gr_flags == b->gr_flags && a->gr_time == b->gr_time &&
	    (!a->as4 || a->as4_as == b->as4_as);
}

/* The capabilities inside an OPEN, then negotiated. */
static void
fzc_open(const uint8_t *data, size_t size, const struct bgp_caps *c)
{
	struct bgp_open	 l, o;
	struct bgp_sess	 s;
	struct bgp_err	 err;
	uint8_t		*m;
	size_t		 len = BGP_OPEN_MINLEN + 2 + size;

	if (size > 253 || (m = malloc(len)) == NULL)
		return;
	memset(m, 0xff, BGP_MARKER_LEN);
	m[16] = (uint8_t)(len >> 8);
	m[17] = (uint8_t)len;
	m[18] = BGP_MSG_OPEN;
	m[19] = 4;
	m[20] = 0x5b;			/* AS_TRANS, valid with any AS4 cap */
	m[21] = 0xa0;
	m[22] = 0;
	m[23] = 90;
	memcpy(m + 24, "\x0a\0\0\2", 4);
	m[28] = (uint8_t)(2 + size);
	m[29] = BGP_OPT_CAPABILITIES;
	m[30] = (uint8_t)size;
	memcpy(m + 31, data, size);
	if (bgp_open_decode(m, len, &o, &err) == 0) {
		FZC_CHECK(fzc_same(&o.caps, c));
		memset(&l, 0, sizeof(l));
		l.as = 64512;
		l.holdtime = 30;
		l.bgp_id = 0x0a000001;
		l.caps = *c;
		if (bgp_caps_negotiate(&l, &o, 0, &s, &err) == 0)
			FZC_CHECK(s.holdtime == 30 && (s.maxlen == BGP_MAXLEN ||
			    s.maxlen == BGP_MAXLEN_EXT));
	} else
		FZC_CHECK(err.code == BGP_ERR_OPEN);
	free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_caps	 c, c2;
	struct bgp_err	 err;
	uint8_t		*copy, buf[256];
	int		 n;

	/* An exact-size copy, so that any overread is caught. */
	if ((copy = calloc(1, size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	memset(&c, 0, sizeof(c));
	if (bgp_caps_decode(copy, size, &c, &err) == -1) {
		FZC_CHECK(err.code == BGP_ERR_OPEN &&
		    err.subcode == BGP_ERROPEN_UNSPEC);
		free(copy);
		return 0;
	}
	fzc_open(copy, size, &c);
	n = bgp_caps_encode(&c, c.as4_as, buf, sizeof(buf));
	FZC_CHECK(n >= 0);
	memset(&c2, 0, sizeof(c2));
	FZC_CHECK(bgp_caps_decode(buf, (size_t)n, &c2, &err) == 0);
	FZC_CHECK(fzc_same(&c, &c2));
	free(copy);
	return 0;
}
