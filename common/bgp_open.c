/*
 * OPEN messages and capabilities (RFC 4271 4.2, RFC 5492, RFC 9072), and
 * the negotiation of a session's settings from both sides' OPENs.
 */
#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

#define BGP_OPEN_OPTLEN_OFF	(BGP_HDR_LEN + 9)

static int
bgp_capa_bad(struct bgp_err *err, uint8_t code, size_t len)
{
	/* RFC 4271 6.2: a recognized but malformed parameter: Unspecific. */
	bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC, NULL, 0,
	    "OPEN: capability %s (%u) has bad length %zu",
	    bgp_capa_name(code), code, len);
	return -1;
}

static void
bgp_capa_mp(struct bgp_caps *c, const uint8_t *v)
{
	int	 aid;

	c->mp_seen = 1;
	if ((aid = bgp_aid_from(bgp_get16(v), v[3])) != -1)
		c->mp[aid] = 1;
}

static void
bgp_capa_gr(struct bgp_caps *c, const uint8_t *v, size_t len)
{
	size_t	 i;
	int	 aid;

	c->gr = 1;
	c->gr_flags = v[0] >> 4;
	c->gr_time = bgp_get16(v) & 0x0fff;
	for (i = 2; i + 4 <= len; i += 4) {
		if ((aid = bgp_aid_from(bgp_get16(v + i), v[i + 2])) == -1)
			continue;
		c->gr_af[aid] = BGP_GR_AF_PRESENT;
		if (v[i + 3] & 0x80)
			c->gr_af[aid] |= BGP_GR_AF_FORWARDING;
	}
}

static void
bgp_capa_addpath(struct bgp_caps *c, const uint8_t *v, size_t len)
{
	size_t	 i;
	int	 aid;

	/*
	 * RFC 7911 4: a Send/Receive value other than 1..3 makes the whole
	 * capability one we do not understand, so it is ignored.
	 */
	for (i = 0; i < len; i += 4)
		if (v[i + 3] < 1 || v[i + 3] > 3) {
			c->unknown++;
			return;
		}
	for (i = 0; i < len; i += 4)
		if ((aid = bgp_aid_from(bgp_get16(v + i), v[i + 2])) != -1)
			c->addpath[aid] = v[i + 3] & (BGP_ADDPATH_RECV |
			    BGP_ADDPATH_SEND);
}

/* Apply one capability; -1 with err when a known one is malformed. */
static int
bgp_capa_one(struct bgp_caps *c, uint8_t code, const uint8_t *v, size_t len,
    struct bgp_err *err)
{
	switch (code) {
	case BGP_CAPA_MP:
		if (len != 4)
			return bgp_capa_bad(err, code, len);
		bgp_capa_mp(c, v);
		break;
	case BGP_CAPA_RREFRESH:
	case BGP_CAPA_ENHANCED_RR:
	case BGP_CAPA_EXT_MSG:
		if (len != 0)
			return bgp_capa_bad(err, code, len);
		if (code == BGP_CAPA_RREFRESH)
			c->rrefresh = 1;
		else if (code == BGP_CAPA_ENHANCED_RR)
			c->enhanced_rr = 1;
		else
			c->ext_msg = 1;
		break;
	case BGP_CAPA_AS4:
		if (len != 4)
			return bgp_capa_bad(err, code, len);
		c->as4 = 1;
		c->as4_as = bgp_get32(v);
		break;
	case BGP_CAPA_GR:
		if (len < 2 || (len - 2) % 4 != 0)
			return bgp_capa_bad(err, code, len);
		bgp_capa_gr(c, v, len);
		break;
	case BGP_CAPA_ADDPATH:
		if (len % 4 != 0)
			return bgp_capa_bad(err, code, len);
		bgp_capa_addpath(c, v, len);
		break;
	default:
		/* RFC 5492 3: capabilities we do not know are ignored. */
		if (c->unknown < UINT16_MAX)
			c->unknown++;
		break;
	}
	return 0;
}

int
bgp_caps_decode(const uint8_t *p, size_t len, struct bgp_caps *c,
    struct bgp_err *err)
{
	size_t	 off = 0, cl;

	while (off < len) {
		if (len - off < 2) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC,
			    NULL, 0, "OPEN: truncated capability header");
			return -1;
		}
		cl = p[off + 1];
		if (cl > len - off - 2) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC,
			    NULL, 0, "OPEN: capability %s (%u) of length %zu "
			    "overruns its parameter", bgp_capa_name(p[off]),
			    p[off], cl);
			return -1;
		}
		if (bgp_capa_one(c, p[off], p + off + 2, cl, err) == -1)
			return -1;
		off += 2 + cl;
	}
	return 0;
}

/*
 * Walk the optional parameters: classic (1-octet type and length) or, when
 * the first one has type 255, the extended form of RFC 9072 (2-octet
 * lengths).
 */
static int
bgp_open_params(const uint8_t *msg, size_t len, struct bgp_caps *c,
    struct bgp_err *err)
{
	size_t	 off, end, hl, pl;
	int	 ext = 0;

	off = BGP_OPEN_OPTLEN_OFF + 1;
	end = off + msg[BGP_OPEN_OPTLEN_OFF];
	if (msg[BGP_OPEN_OPTLEN_OFF] == 255 && len > off &&
	    msg[off] == BGP_OPT_EXTENDED) {
		if (len < off + 3)
			goto badlen;
		ext = 1;
		end = off + 3 + bgp_get16(msg + off + 1);
		off += 3;
	}
	if (end != len)
		goto badlen;
	hl = ext ? 3 : 2;
	while (off < end) {
		if (end - off < hl)
			goto badlen;
		pl = ext ? bgp_get16(msg + off + 1) : msg[off + 1];
		if (pl > end - off - hl)
			goto badlen;
		if (msg[off] != BGP_OPT_CAPABILITIES) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_OPT, NULL, 0,
			    "OPEN: unsupported optional parameter %u",
			    msg[off]);
			return -1;
		}
		if (bgp_caps_decode(msg + off + hl, pl, c, err) == -1)
			return -1;
		off += hl + pl;
	}
	return 0;
badlen:
	bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC, NULL, 0,
	    "OPEN: optional parameters do not match the message length");
	return -1;
}

static int
bgp_open_check_as(struct bgp_open *o, struct bgp_err *err)
{
	if (o->caps.as4) {
		if (o->caps.as4_as == 0 || (o->as2 != BGP_AS_TRANS &&
		    o->as2 != o->caps.as4_as)) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_AS, NULL, 0,
			    "OPEN: bad peer AS %u (4-octet capability %u)",
			    o->as2, o->caps.as4_as);
			return -1;
		}
		o->as = o->caps.as4_as;
	} else
		o->as = o->as2;
	/* RFC 7607: AS 0 in an OPEN is a Bad Peer AS. */
	if (o->as2 == 0) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_AS, NULL, 0,
		    "OPEN: bad peer AS 0");
		return -1;
	}
	return 0;
}

int
bgp_open_decode(const uint8_t *msg, size_t len, struct bgp_open *o,
    struct bgp_err *err)
{
	static const uint8_t	 myversion[2] = { 0, BGP_VERSION };
	const uint8_t		*p = msg + BGP_HDR_LEN;

	memset(o, 0, sizeof(*o));
	if (bgp_msg_check(msg, len, BGP_MSG_OPEN, err) == -1)
		return -1;
	o->version = p[0];
	o->as2 = bgp_get16(p + 1);
	o->holdtime = bgp_get16(p + 3);
	o->bgp_id = bgp_get32(p + 5);
	if (o->version != BGP_VERSION) {
		/* The data is the largest version we support (RFC 4271). */
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_VERSION, myversion,
		    sizeof(myversion), "OPEN: unsupported version %u",
		    o->version);
		return -1;
	}
	if (bgp_open_params(msg, len, &o->caps, err) == -1)
		return -1;
	if (bgp_open_check_as(o, err) == -1)
		return -1;
	if (o->holdtime == 1 || o->holdtime == 2) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_HOLDTIME, NULL, 0,
		    "OPEN: unacceptable hold time %u", o->holdtime);
		return -1;
	}
	if (o->bgp_id == 0) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_BGPID, NULL, 0,
		    "OPEN: bad BGP identifier 0.0.0.0");
		return -1;
	}
	return 0;
}

/* Append one capability; returns the new offset or -1 if it won't fit. */
static int
bgp_capa_put(uint8_t *buf, size_t len, size_t off, uint8_t code,
    const uint8_t *v, size_t vl)
{
	if (off + 2 + vl > len)
		return -1;
	buf[off] = code;
	buf[off + 1] = (uint8_t)vl;
	if (vl > 0)
		memcpy(buf + off + 2, v, vl);
	return (int)(off + 2 + vl);
}

static int
bgp_capa_put_mp(const struct bgp_caps *c, uint8_t *buf, size_t len, int off)
{
	uint8_t		 v[4];
	uint16_t	 afi;
	uint8_t		 safi, aid;

	for (aid = 0; aid < BGP_AID_MAX && off != -1; aid++) {
		if (!c->mp[aid])
			continue;
		bgp_aid_to(aid, &afi, &safi);
		bgp_put16(v, afi);
		v[2] = 0;
		v[3] = safi;
		off = bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_MP, v, 4);
	}
	return off;
}

static int
bgp_capa_put_gr(const struct bgp_caps *c, uint8_t *buf, size_t len, int off)
{
	uint8_t		 v[2 + 4 * BGP_AID_MAX];
	uint16_t	 afi, hw;
	uint8_t		 safi, aid;
	size_t		 vl = 2;

	hw = (uint16_t)((c->gr_flags & 0x0f) << 12 |
	    (c->gr_time > BGP_GR_TIME_MAX ? BGP_GR_TIME_MAX : c->gr_time));
	bgp_put16(v, hw);
	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!(c->gr_af[aid] & BGP_GR_AF_PRESENT))
			continue;
		bgp_aid_to(aid, &afi, &safi);
		bgp_put16(v + vl, afi);
		v[vl + 2] = safi;
		v[vl + 3] = (c->gr_af[aid] & BGP_GR_AF_FORWARDING) ? 0x80 : 0;
		vl += 4;
	}
	return bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_GR, v, vl);
}

static int
bgp_capa_put_addpath(const struct bgp_caps *c, uint8_t *buf, size_t len,
    int off)
{
	uint8_t		 v[4 * BGP_AID_MAX];
	uint16_t	 afi;
	uint8_t		 safi, aid;
	size_t		 vl = 0;

	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!(c->addpath[aid] & (BGP_ADDPATH_RECV | BGP_ADDPATH_SEND)))
			continue;
		bgp_aid_to(aid, &afi, &safi);
		bgp_put16(v + vl, afi);
		v[vl + 2] = safi;
		v[vl + 3] = c->addpath[aid] &
		    (BGP_ADDPATH_RECV | BGP_ADDPATH_SEND);
		vl += 4;
	}
	if (vl == 0)
		return off;
	return bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_ADDPATH, v, vl);
}

int
bgp_caps_encode(const struct bgp_caps *c, uint32_t as, uint8_t *buf,
    size_t len)
{
	uint8_t	 v[4];
	int	 off;

	off = bgp_capa_put_mp(c, buf, len, 0);
	if (off != -1 && c->rrefresh)
		off = bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_RREFRESH,
		    NULL, 0);
	if (off != -1 && c->enhanced_rr)
		off = bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_ENHANCED_RR,
		    NULL, 0);
	if (off != -1 && c->ext_msg)
		off = bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_EXT_MSG,
		    NULL, 0);
	if (off != -1 && c->as4) {
		bgp_put32(v, as);
		off = bgp_capa_put(buf, len, (size_t)off, BGP_CAPA_AS4, v, 4);
	}
	if (off != -1 && c->gr)
		off = bgp_capa_put_gr(c, buf, len, off);
	if (off != -1)
		off = bgp_capa_put_addpath(c, buf, len, off);
	return off;
}

int
bgp_open_encode(const struct bgp_open *o, uint8_t *buf, size_t len)
{
	uint8_t		 caps[253];
	uint8_t		*p = buf + BGP_HDR_LEN;
	size_t		 ml;
	int		 cl;

	/* The 4-octet AS capability is how an AS above 65535 is carried. */
	if (o->as == 0 || (o->as > UINT16_MAX && !o->caps.as4))
		return -1;
	if ((cl = bgp_caps_encode(&o->caps, o->as, caps, sizeof(caps))) == -1)
		return -1;
	ml = BGP_OPEN_MINLEN + (cl > 0 ? 2 + (size_t)cl : 0);
	if (len < ml)
		return -1;
	bgp_hdr_write(buf, (uint16_t)ml, BGP_MSG_OPEN);
	p[0] = BGP_VERSION;
	bgp_put16(p + 1, o->as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)o->as);
	bgp_put16(p + 3, o->holdtime);
	bgp_put32(p + 5, o->bgp_id);
	p[9] = (uint8_t)(ml - BGP_OPEN_MINLEN);
	if (cl > 0) {
		p[10] = BGP_OPT_CAPABILITIES;
		p[11] = (uint8_t)cl;
		memcpy(p + 12, caps, (size_t)cl);
	}
	return (int)ml;
}

/* A family is on when listed, or for IPv4 when no MP capability at all. */
static int
bgp_caps_has_af(const struct bgp_caps *c, uint8_t aid)
{
	if (!c->mp_seen)
		return aid == BGP_AID_IPV4;
	return c->mp[aid];
}

static void
bgp_negotiate_af(const struct bgp_caps *l, const struct bgp_caps *r,
    struct bgp_sess *s)
{
	uint8_t	 aid;

	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		s->af[aid] = bgp_caps_has_af(l, aid) && bgp_caps_has_af(r, aid);
		if (!s->af[aid])
			continue;
		/* RFC 7911 5: send only when the peer is willing to receive. */
		s->addpath_tx[aid] = (l->addpath[aid] & BGP_ADDPATH_SEND) &&
		    (r->addpath[aid] & BGP_ADDPATH_RECV);
		s->addpath_rx[aid] = (l->addpath[aid] & BGP_ADDPATH_RECV) &&
		    (r->addpath[aid] & BGP_ADDPATH_SEND);
	}
}

int
bgp_caps_negotiate(const struct bgp_open *l, const struct bgp_open *r,
    uint32_t peer_as, struct bgp_sess *s, struct bgp_err *err)
{
	memset(s, 0, sizeof(*s));
	if (peer_as != 0 && r->as != peer_as) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_AS, NULL, 0,
		    "OPEN: peer AS %u, expected %u", r->as, peer_as);
		return -1;
	}
	/* RFC 6286 2.2: within one AS the identifiers must differ. */
	if (r->bgp_id == l->bgp_id && r->as == l->as) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_BGPID, NULL, 0,
		    "OPEN: peer uses our own BGP identifier");
		return -1;
	}
	if (r->holdtime == 1 || r->holdtime == 2 || l->holdtime == 1 ||
	    l->holdtime == 2) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERROPEN_HOLDTIME, NULL, 0,
		    "OPEN: unacceptable hold time %u (ours %u)", r->holdtime,
		    l->holdtime);
		return -1;
	}
	s->holdtime = l->holdtime < r->holdtime ? l->holdtime : r->holdtime;
	s->as4 = l->caps.as4 && r->caps.as4;
	s->ext_msg = l->caps.ext_msg && r->caps.ext_msg;
	s->maxlen = s->ext_msg ? BGP_MAXLEN_EXT : BGP_MAXLEN;
	s->rrefresh = l->caps.rrefresh && r->caps.rrefresh;
	s->enhanced_rr = l->caps.enhanced_rr && r->caps.enhanced_rr;
	s->local_as = l->as;
	s->peer_as = r->as;
	s->ebgp = l->as != r->as;
	s->peer_caps = r->caps;
	bgp_negotiate_af(&l->caps, &r->caps, s);
	return 0;
}
