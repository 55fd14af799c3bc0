/*
 * libFuzzer target for the BGP message codec: every message type.
 *
 * Input: one octet of session settings, then a BGP message.  The settings
 * octet's bits: 0 4-octet AS, 1 eBGP, 2 ADD-PATH IPv4, 3 ADD-PATH IPv6,
 * 4 extended messages, 5 enforce first AS, 6 no IPv6, 7 repair the header
 * (marker and length) so that the fuzzer spends its time past it.
 *
 * Besides not crashing, the codec must keep its promises: iterators over a
 * decoded UPDATE never find a malformed prefix, what decodes re-encodes,
 * and a re-encoded UPDATE decodes again with the same prefixes.  A broken
 * promise aborts.
 *
 * regress/unit/test_bgp_fuzz.c includes this file to run the same checks
 * on random and mutated input in the unit tests.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZ_CHECK(e)	do { if (!(e)) fz_fail(#e, __LINE__); } while (0)

static void
fz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_bgp_msg: broken promise at line %d: %s\n",
	    line, what);
	abort();
}

static void
fz_sess(uint8_t cfg, struct bgp_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->as4 = cfg & 0x01;
	s->ebgp = (cfg >> 1) & 1;
	s->addpath_rx[BGP_AID_IPV4] = (cfg >> 2) & 1;
	s->addpath_tx[BGP_AID_IPV4] = (cfg >> 2) & 1;
	s->addpath_rx[BGP_AID_IPV6] = (cfg >> 3) & 1;
	s->addpath_tx[BGP_AID_IPV6] = (cfg >> 3) & 1;
	s->ext_msg = (cfg >> 4) & 1;
	s->maxlen = s->ext_msg ? BGP_MAXLEN_EXT : BGP_MAXLEN;
	s->enforce_first_as = (cfg >> 5) & 1;
	s->af[BGP_AID_IPV4] = 1;
	s->af[BGP_AID_IPV6] = !((cfg >> 6) & 1);
	s->local_as = 64512;
	s->peer_as = s->ebgp ? 64513 : 64512;
}

static void
fz_open(const uint8_t *msg, size_t len)
{
	struct bgp_open	 o, o2, l;
	struct bgp_sess	 s;
	struct bgp_err	 err;
	uint8_t		 buf[BGP_MAXLEN];
	int		 n;

	if (bgp_open_decode(msg, len, &o, &err) == -1) {
		FZ_CHECK(err.code == BGP_ERR_HEADER || err.code == BGP_ERR_OPEN);
		return;
	}
	memset(&l, 0, sizeof(l));
	l.version = 4;
	l.as = 64512;
	l.holdtime = 90;
	l.bgp_id = 0x0a000001;
	l.caps.as4 = 1;
	l.caps.mp[BGP_AID_IPV4] = l.caps.mp[BGP_AID_IPV6] = 1;
	l.caps.mp_seen = 1;
	l.caps.addpath[BGP_AID_IPV4] = BGP_ADDPATH_SEND | BGP_ADDPATH_RECV;
	if (bgp_caps_negotiate(&l, &o, 0, &s, &err) == 0)
		FZ_CHECK(s.holdtime == 0 || s.holdtime >= 3);
	/* What decodes re-encodes, and decodes to the same values. */
	n = bgp_open_encode(&o, buf, sizeof(buf));
	FZ_CHECK(n > 0);
	FZ_CHECK(bgp_open_decode(buf, (size_t)n, &o2, &err) == 0);
	FZ_CHECK(o2.as == o.as && o2.holdtime == o.holdtime &&
	    o2.bgp_id == o.bgp_id && o2.caps.as4 == o.caps.as4 &&
	    memcmp(o2.caps.mp, o.caps.mp, sizeof(o.caps.mp)) == 0 &&
	    memcmp(o2.caps.addpath, o.caps.addpath,
	    sizeof(o.caps.addpath)) == 0 && o2.caps.gr == o.caps.gr &&
	    o2.caps.gr_time == o.caps.gr_time &&
	    o2.caps.ext_msg == o.caps.ext_msg);
}

static void
fz_notification(const uint8_t *msg, size_t len)
{
	struct bgp_notification	 n;
	struct bgp_err		 err;
	char			 buf[512];

	if (bgp_notification_decode(msg, len, &n, &err) == -1)
		return;
	bgp_notification_str(0, 0, &n, buf, sizeof(buf));
	FZ_CHECK(strlen(buf) < sizeof(buf));
	if (n.has_shutdown)
		FZ_CHECK(strlen(n.shutdown) == n.shutdown_len);
}

static void
fz_small(const uint8_t *msg, size_t len, size_t maxlen)
{
	struct bgp_rrefresh	 rr;
	struct bgp_err		 err;
	uint8_t			 type;
	uint16_t		 ml;
	int			 r;

	r = bgp_hdr_parse(msg, len, maxlen, &type, &ml, &err);
	if (r == 1)
		FZ_CHECK(ml >= BGP_HDR_LEN && ml <= maxlen &&
		    type >= BGP_MSG_OPEN && type <= BGP_MSG_ROUTE_REFRESH);
	else if (r == -1)
		FZ_CHECK(err.code == BGP_ERR_HEADER);
	(void)bgp_keepalive_decode(msg, len, &err);
	if (bgp_rrefresh_decode(msg, len, &rr, &err) == 0)
		FZ_CHECK(len == BGP_RREFRESH_LEN);
}

/* Count a section's prefixes; a decoded UPDATE never has a bad one. */
static size_t
fz_count(const struct bgp_update *u, enum bgp_nlri_sect sect)
{
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;
	size_t			 n = 0;
	int			 r;

	if (bgp_update_iter(u, sect, &it) == -1)
		return 0;
	while ((r = bgp_nlri_next(&it, &p)) == 1) {
		FZ_CHECK(p.plen <= (p.aid == BGP_AID_IPV6 ? 128 : 32));
		n++;
	}
	FZ_CHECK(r == 0);
	return n;
}

/*
 * Pack the prefixes of one section again with the decoded attributes
 * and check that the result decodes with as many prefixes.
 */
static void
fz_repack(const struct bgp_update *u, const struct bgp_sess *s,
    enum bgp_nlri_sect sect, const struct bgp_attrs *at)
{
	static struct bgp_packer	 pk;
	static struct bgp_update	 u2;
	struct bgp_nlri_iter		 it;
	struct bgp_prefix		 p;
	const uint8_t			*msg;
	size_t				 len, want, got = 0;
	enum bgp_nlri_sect		 back;

	if ((want = fz_count(u, sect)) == 0 || bgp_update_iter(u, sect,
	    &it) == -1)
		return;
	if (bgp_nlri_next(&it, &p) != 1 ||
	    bgp_pack_init(&pk, s, p.aid, at) == -1)
		return;
	if (p.aid == BGP_AID_IPV4)
		back = at != NULL ? BGP_SECT_NLRI : BGP_SECT_WITHDRAWN;
	else
		back = at != NULL ? BGP_SECT_MP_REACH : BGP_SECT_MP_UNREACH;
	bgp_update_iter(u, sect, &it);
	for (;;) {
		int	 r = 1, more = bgp_nlri_next(&it, &p) == 1;

		while (more && (r = bgp_pack_add(&pk, &p)) == 1) {
			len = bgp_pack_flush(&pk, &msg);
			FZ_CHECK(len > 0 && len <= s->maxlen);
			FZ_CHECK(bgp_update_decode(msg, len, s, &u2) !=
			    BGP_UPD_RESET);
			got += fz_count(&u2, back);
		}
		FZ_CHECK(!more || r == 0);
		if (!more)
			break;
	}
	len = bgp_pack_flush(&pk, &msg);
	if (len > 0) {
		FZ_CHECK(bgp_update_decode(msg, len, s, &u2) != BGP_UPD_RESET);
		got += fz_count(&u2, back);
	}
	FZ_CHECK(got == want);
}

/* The decoded attributes as an encoder input, AS path merged. */
static int
fz_attrs(const struct bgp_update *u, struct bgp_attrs *at, uint8_t *path,
    size_t pathlen, uint8_t *unk, size_t unklen)
{
	int	 n;

	*at = u->attrs;
	if ((n = bgp_update_aspath(u, path, pathlen)) == -1)
		return -1;
	at->aspath = path;
	at->aspath_len = (uint16_t)n;
	at->aspath_as4 = 1;
	if ((n = bgp_attrs_copy_unknown(u, unk, unklen)) == -1)
		return -1;
	at->unknown = unk;
	at->unknown_len = (uint16_t)n;
	return 0;
}

static void
fz_update(const uint8_t *msg, size_t len, const struct bgp_sess *s)
{
	static struct bgp_update	 u;
	static uint8_t			 path[BGP_ASPATH_BUFMAX];
	static uint8_t			 unk[BGP_MAXLEN_EXT];
	struct bgp_attrs		 at;
	char				 str[256];
	int				 n;

	if (bgp_update_decode(msg, len, s, &u) == BGP_UPD_RESET) {
		FZ_CHECK(u.err.code != BGP_ERR_NONE && u.err.reason[0]);
		return;
	}
	FZ_CHECK(u.verdict == BGP_UPD_OK || u.err.reason[0] != '\0');
	n = bgp_update_aspath(&u, path, sizeof(path));
	FZ_CHECK(n >= 0);
	FZ_CHECK(bgp_aspath_check(path, (size_t)n, 1) == 0);
	bgp_aspath_str(path, (size_t)n, 1, str, sizeof(str));
	fz_repack(&u, s, BGP_SECT_WITHDRAWN, NULL);
	fz_repack(&u, s, BGP_SECT_MP_UNREACH, NULL);
	if (u.verdict == BGP_UPD_WITHDRAW)
		return;
	if (fz_attrs(&u, &at, path, sizeof(path), unk, sizeof(unk)) == -1)
		return;
	if (u.nlri_len > 0)
		fz_repack(&u, s, BGP_SECT_NLRI, &at);
	if (u.has_mp_reach) {
		at.nexthop = u.mp_nexthop;
		at.nexthop_ll = u.mp_nexthop_ll;
		fz_repack(&u, s, BGP_SECT_MP_REACH, &at);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_sess	 s;
	uint8_t		*msg;
	size_t		 len;

	if (size < 1)
		return 0;
	fz_sess(data[0], &s);
	len = size - 1;
	/* An exact-size copy, so that any overread is caught. */
	if ((msg = calloc(1, len > 0 ? len : 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(msg, data + 1, len);
	if ((data[0] & 0x80) && len >= BGP_HDR_LEN && len <= BGP_MAXLEN_EXT) {
		memset(msg, 0xff, BGP_MARKER_LEN);
		msg[16] = (uint8_t)(len >> 8);
		msg[17] = (uint8_t)len;
	}
	fz_small(msg, len, s.maxlen);
	fz_open(msg, len);
	fz_notification(msg, len);
	fz_update(msg, len, &s);
	free(msg);
	return 0;
}
