/*
 * UPDATE encoding: path attributes for a session (2- or 4-octet AS), and a
 * packer that fills messages with as many prefixes as fit.  IPv4 unicast
 * uses the classic Withdrawn Routes and NLRI fields; other families go in
 * MP_REACH_NLRI / MP_UNREACH_NLRI, encoded as the first attribute as RFC
 * 7606 5.1 asks.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

/* An output cursor that remembers whether anything did not fit. */
struct bgp_wbuf {
	uint8_t		*p;
	size_t		 len;
	size_t		 off;
	int		 err;
};

static uint8_t *
bgp_wb_reserve(struct bgp_wbuf *wb, size_t n)
{
	uint8_t	*r;

	if (wb->err || n > wb->len - wb->off) {
		wb->err = 1;
		return NULL;
	}
	r = wb->p + wb->off;
	wb->off += n;
	return r;
}

/* Attribute header; the extended length form only when needed. */
static uint8_t *
bgp_wb_attr(struct bgp_wbuf *wb, uint8_t flags, uint8_t type, size_t len)
{
	uint8_t	*h;

	if (len > UINT16_MAX) {
		wb->err = 1;
		return NULL;
	}
	if (len > 255) {
		if ((h = bgp_wb_reserve(wb, 4 + len)) == NULL)
			return NULL;
		h[0] = flags | BGP_ATTRF_EXTLEN;
		h[1] = type;
		bgp_put16(h + 2, (uint16_t)len);
		return h + 4;
	}
	if ((h = bgp_wb_reserve(wb, 3 + len)) == NULL)
		return NULL;
	h[0] = flags;
	h[1] = type;
	h[2] = (uint8_t)len;
	return h + 3;
}

static void
bgp_wb_blob(struct bgp_wbuf *wb, uint8_t flags, uint8_t type,
    const uint8_t *v, size_t len)
{
	uint8_t	*d;

	if ((d = bgp_wb_attr(wb, flags, type, len)) != NULL && len > 0)
		memcpy(d, v, len);
}

static void
bgp_wb_u32(struct bgp_wbuf *wb, uint8_t flags, uint8_t type, uint32_t v)
{
	uint8_t	*d;

	if ((d = bgp_wb_attr(wb, flags, type, 4)) != NULL)
		bgp_put32(d, v);
}

/*
 * Convert a checked path between AS sizes, segment by segment, writing to
 * out unless it is NULL; returns the converted length.  Going to 2 octets,
 * larger ASes become AS_TRANS and *big is set.  AS4_PATH carries no
 * confederation segments (RFC 6793 3), so noconfed drops them.
 */
static size_t
bgp_aspath_conv(const uint8_t *p, size_t len, int from4, int to4,
    int noconfed, uint8_t *out, int *big)
{
	size_t		 fsz = from4 ? 4 : 2, tsz = to4 ? 4 : 2, off, o = 0;
	uint32_t	 as;
	int		 i;

	for (off = 0; off < len; off += 2 + p[off + 1] * fsz) {
		if (noconfed && (p[off] == BGP_AS_CONFED_SEQUENCE ||
		    p[off] == BGP_AS_CONFED_SET))
			continue;
		if (out != NULL) {
			out[o] = p[off];
			out[o + 1] = p[off + 1];
		}
		o += 2;
		for (i = 0; i < p[off + 1]; i++, o += tsz) {
			as = from4 ? bgp_get32(p + off + 2 + (size_t)i * 4) :
			    bgp_get16(p + off + 2 + (size_t)i * 2);
			if (!to4 && as > UINT16_MAX) {
				*big = 1;
				as = BGP_AS_TRANS;
			}
			if (out != NULL && to4)
				bgp_put32(out + o, as);
			else if (out != NULL)
				bgp_put16(out + o, (uint16_t)as);
		}
	}
	return o;
}

static void
bgp_wb_path(struct bgp_wbuf *wb, uint8_t flags, uint8_t type,
    const struct bgp_attrs *at, int to4, int noconfed, int *big)
{
	uint8_t	*d;
	size_t	 n;

	n = bgp_aspath_conv(at->aspath, at->aspath_len, at->aspath_as4, to4,
	    noconfed, NULL, big);
	if ((d = bgp_wb_attr(wb, flags, type, n)) != NULL)
		bgp_aspath_conv(at->aspath, at->aspath_len, at->aspath_as4, to4,
		    noconfed, d, big);
}

/* AS_PATH, and AS4_PATH for a 2-octet session whose path needs it. */
static void
bgp_wb_aspath(struct bgp_wbuf *wb, const struct bgp_attrs *at,
    const struct bgp_sess *s)
{
	int	 big = 0;

	if (at->aspath_len > 0 && (at->aspath == NULL ||
	    bgp_aspath_check(at->aspath, at->aspath_len, at->aspath_as4))) {
		wb->err = 1;
		return;
	}
	bgp_wb_path(wb, BGP_ATTRF_WELLKNOWN, BGP_ATTR_AS_PATH, at, s->as4, 0,
	    &big);
	if (big)
		bgp_wb_path(wb, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_PATH, at, 1, 1,
		    &big);
}

static void
bgp_wb_aggregator(struct bgp_wbuf *wb, const struct bgp_attrs *at,
    const struct bgp_sess *s)
{
	uint8_t	*d;

	if (s->as4) {
		if ((d = bgp_wb_attr(wb, BGP_ATTRF_OPT_TRANS,
		    BGP_ATTR_AGGREGATOR, 8)) != NULL) {
			bgp_put32(d, at->aggregator_as);
			bgp_put32(d + 4, at->aggregator_id);
		}
		return;
	}
	if ((d = bgp_wb_attr(wb, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AGGREGATOR,
	    6)) == NULL)
		return;
	bgp_put16(d, at->aggregator_as > UINT16_MAX ? BGP_AS_TRANS :
	    (uint16_t)at->aggregator_as);
	bgp_put32(d + 2, at->aggregator_id);
}

static void
bgp_wb_as4aggregator(struct bgp_wbuf *wb, const struct bgp_attrs *at,
    const struct bgp_sess *s)
{
	uint8_t	*d;

	if (s->as4 || at->aggregator_as <= UINT16_MAX)
		return;
	if ((d = bgp_wb_attr(wb, BGP_ATTRF_OPT_TRANS, BGP_ATTR_AS4_AGGREGATOR,
	    8)) != NULL) {
		bgp_put32(d, at->aggregator_as);
		bgp_put32(d + 4, at->aggregator_id);
	}
}

static int
bgp_at_has(const struct bgp_attrs *at, uint8_t type)
{
	return (at->present & BGP_ATTR_BIT(type)) != 0;
}

/* The attributes up to NEXT_HOP, which every announcement carries. */
static void
bgp_wb_mandatory(struct bgp_wbuf *wb, const struct bgp_attrs *at,
    const struct bgp_sess *s, uint8_t aid)
{
	uint8_t	*d;

	if ((d = bgp_wb_attr(wb, BGP_ATTRF_WELLKNOWN, BGP_ATTR_ORIGIN,
	    1)) != NULL)
		d[0] = at->origin;
	bgp_wb_aspath(wb, at, s);
	if (aid != BGP_AID_IPV4)
		return;
	if (at->nexthop.af != AF_INET) {
		wb->err = 1;
		return;
	}
	bgp_wb_blob(wb, BGP_ATTRF_WELLKNOWN, BGP_ATTR_NEXT_HOP,
	    at->nexthop.bytes, 4);
}

static void
bgp_wb_lists(struct bgp_wbuf *wb, const struct bgp_attrs *at)
{
	if (bgp_at_has(at, BGP_ATTR_COMMUNITIES))
		bgp_wb_blob(wb, BGP_ATTRF_OPT_TRANS, BGP_ATTR_COMMUNITIES,
		    at->communities, at->communities_len);
	if (bgp_at_has(at, BGP_ATTR_ORIGINATOR_ID))
		bgp_wb_u32(wb, BGP_ATTRF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID,
		    at->originator_id);
	if (bgp_at_has(at, BGP_ATTR_CLUSTER_LIST))
		bgp_wb_blob(wb, BGP_ATTRF_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
		    at->cluster_list, at->cluster_list_len);
	if (bgp_at_has(at, BGP_ATTR_EXT_COMMUNITIES))
		bgp_wb_blob(wb, BGP_ATTRF_OPT_TRANS, BGP_ATTR_EXT_COMMUNITIES,
		    at->ext_communities, at->ext_communities_len);
}

/* A blob given as a pointer with a length must have the pointer. */
static int
bgp_attrs_sane(const struct bgp_attrs *at)
{
	return !((at->communities_len && at->communities == NULL) ||
	    (at->ext_communities_len && at->ext_communities == NULL) ||
	    (at->large_communities_len && at->large_communities == NULL) ||
	    (at->cluster_list_len && at->cluster_list == NULL) ||
	    (at->unknown_len && at->unknown == NULL));
}

int
bgp_attrs_encode(const struct bgp_attrs *at, const struct bgp_sess *s,
    uint8_t aid, uint8_t *buf, size_t len)
{
	struct bgp_wbuf	 wb = { buf, len, 0, 0 };

	if (!bgp_attrs_sane(at))
		return -1;
	bgp_wb_mandatory(&wb, at, s, aid);
	if (bgp_at_has(at, BGP_ATTR_MED))
		bgp_wb_u32(&wb, BGP_ATTRF_OPTIONAL, BGP_ATTR_MED, at->med);
	/* LOCAL_PREF is for internal peers only (RFC 4271 5.1.5). */
	if (bgp_at_has(at, BGP_ATTR_LOCAL_PREF) && !s->ebgp)
		bgp_wb_u32(&wb, BGP_ATTRF_WELLKNOWN, BGP_ATTR_LOCAL_PREF,
		    at->local_pref);
	if (bgp_at_has(at, BGP_ATTR_ATOMIC_AGGREGATE))
		bgp_wb_attr(&wb, BGP_ATTRF_WELLKNOWN,
		    BGP_ATTR_ATOMIC_AGGREGATE, 0);
	if (bgp_at_has(at, BGP_ATTR_AGGREGATOR))
		bgp_wb_aggregator(&wb, at, s);
	bgp_wb_lists(&wb, at);
	if (bgp_at_has(at, BGP_ATTR_AGGREGATOR))
		bgp_wb_as4aggregator(&wb, at, s);
	if (bgp_at_has(at, BGP_ATTR_LARGE_COMMUNITIES))
		bgp_wb_blob(&wb, BGP_ATTRF_OPT_TRANS,
		    BGP_ATTR_LARGE_COMMUNITIES, at->large_communities,
		    at->large_communities_len);
	if (at->unknown_len > 0) {
		uint8_t	*d = bgp_wb_reserve(&wb, at->unknown_len);

		if (d != NULL)
			memcpy(d, at->unknown, at->unknown_len);
	}
	return wb.err ? -1 : (int)wb.off;
}

/* Bytes of one encoded prefix: path id, length octet, address octets. */
static size_t
bgp_pfx_size(const struct bgp_packer *pk, uint8_t plen)
{
	return (pk->addpath ? 4 : 0) + 1 + (plen + 7u) / 8;
}

/* Octets reserved at the end of the message for what follows NLRI. */
static size_t
bgp_pack_tail(const struct bgp_packer *pk)
{
	if (!pk->mp)
		return pk->withdraw ? 2 : 0;
	return pk->withdraw ? 0 : pk->attrlen;
}

/* The fixed front of a message, up to where prefixes go. */
static void
bgp_pack_begin(struct bgp_packer *pk)
{
	uint8_t	*m = pk->msg;

	memset(m + BGP_HDR_LEN, 0, 4);
	if (!pk->mp && pk->withdraw) {
		pk->nlri_off = BGP_HDR_LEN + 2;
	} else if (!pk->mp) {
		bgp_put16(m + BGP_HDR_LEN + 2, pk->attrlen);
		memcpy(m + BGP_UPDATE_MINLEN, pk->attrbuf, pk->attrlen);
		pk->nlri_off = (uint16_t)(BGP_UPDATE_MINLEN + pk->attrlen);
	} else {
		memcpy(m + BGP_UPDATE_MINLEN, pk->mpbuf, pk->mphdr);
		pk->nlri_off = (uint16_t)(BGP_UPDATE_MINLEN + pk->mphdr);
	}
	pk->len = pk->nlri_off;
	pk->count = 0;
}

/* MP_REACH_NLRI or MP_UNREACH_NLRI up to the NLRI (length set later). */
static int
bgp_pack_mphdr(struct bgp_packer *pk, const struct bgp_attrs *at)
{
	uint8_t		*b = pk->mpbuf;
	uint16_t	 afi;
	uint8_t		 safi, nhlen;

	bgp_aid_to(pk->aid, &afi, &safi);
	b[0] = BGP_ATTRF_OPTIONAL | BGP_ATTRF_EXTLEN;
	b[1] = pk->withdraw ? BGP_ATTR_MP_UNREACH_NLRI : BGP_ATTR_MP_REACH_NLRI;
	bgp_put16(b + 4, afi);
	b[6] = safi;
	if (pk->withdraw) {
		pk->mphdr = 7;
		return 0;
	}
	if (at->nexthop.af != bgp_aid_af(pk->aid))
		return -1;
	nhlen = pk->aid == BGP_AID_IPV4 ? 4 : 16;
	memcpy(b + 8, at->nexthop.bytes, nhlen);
	if (pk->aid == BGP_AID_IPV6 && at->nexthop_ll.af == AF_INET6) {
		memcpy(b + 8 + nhlen, at->nexthop_ll.bytes, 16);
		nhlen += 16;
	}
	b[7] = nhlen;
	b[8 + nhlen] = 0;		/* reserved */
	pk->mphdr = (uint16_t)(9 + nhlen);
	return 0;
}

int
bgp_pack_init(struct bgp_packer *pk, const struct bgp_sess *s, uint8_t aid,
    const struct bgp_attrs *at)
{
	int	 r;

	if (aid >= BGP_AID_MAX || !s->af[aid])
		return -1;
	pk->aid = aid;
	pk->withdraw = at == NULL;
	pk->addpath = s->addpath_tx[aid];
	pk->mp = aid != BGP_AID_IPV4;
	pk->maxlen = s->maxlen > BGP_MAXLEN ? s->maxlen : BGP_MAXLEN;
	pk->attrlen = 0;
	pk->mphdr = 0;
	if (at != NULL) {
		r = bgp_attrs_encode(at, s, aid, pk->attrbuf,
		    sizeof(pk->attrbuf));
		if (r == -1)
			return -1;
		pk->attrlen = (uint16_t)r;
	}
	if (pk->mp && bgp_pack_mphdr(pk, at) == -1)
		return -1;
	/* At least the longest prefix must fit next to the attributes. */
	if ((size_t)BGP_UPDATE_MINLEN + pk->mphdr + pk->attrlen +
	    bgp_pfx_size(pk, 128) + 2 > pk->maxlen)
		return -1;
	pk->len = 0;
	pk->count = 0;
	return 0;
}

int
bgp_pack_add(struct bgp_packer *pk, const struct bgp_prefix *p)
{
	uint8_t		*d;
	size_t		 need, nb;

	if (p->aid != pk->aid || p->plen > (pk->aid == BGP_AID_IPV6 ? 128 : 32))
		return -1;
	if (pk->len == 0)
		bgp_pack_begin(pk);
	need = bgp_pfx_size(pk, p->plen);
	if (pk->len + need + bgp_pack_tail(pk) > pk->maxlen)
		return 1;
	d = pk->msg + pk->len;
	if (pk->addpath) {
		bgp_put32(d, p->path_id);
		d += 4;
	}
	*d++ = p->plen;
	nb = (p->plen + 7u) / 8;
	memcpy(d, p->addr.bytes, nb);
	if (p->plen % 8)
		d[nb - 1] &= (uint8_t)(0xff00 >> (p->plen % 8));
	pk->len = (uint16_t)(pk->len + need);
	pk->count++;
	return 0;
}

size_t
bgp_pack_flush(struct bgp_packer *pk, const uint8_t **msg)
{
	uint8_t	*m = pk->msg;
	size_t	 len = pk->len;

	if (pk->len == 0 || pk->count == 0)
		return 0;
	if (!pk->mp && pk->withdraw) {
		bgp_put16(m + BGP_HDR_LEN, (uint16_t)(len - BGP_HDR_LEN - 2));
		bgp_put16(m + len, 0);
		len += 2;
	} else if (pk->mp) {
		bgp_put16(m + BGP_UPDATE_MINLEN + 2,
		    (uint16_t)(len - BGP_UPDATE_MINLEN - 4));
		memcpy(m + len, pk->attrbuf, pk->attrlen);
		len += pk->attrlen;
		bgp_put16(m + BGP_HDR_LEN + 2,
		    (uint16_t)(len - BGP_UPDATE_MINLEN));
	}
	bgp_hdr_write(m, (uint16_t)len, BGP_MSG_UPDATE);
	*msg = m;
	pk->len = 0;
	pk->count = 0;
	return len;
}

int
bgp_eor_encode(uint8_t aid, uint8_t *buf, size_t len)
{
	uint16_t	 afi;
	uint8_t		 safi;
	size_t		 ml;

	if (aid >= BGP_AID_MAX)
		return -1;
	ml = aid == BGP_AID_IPV4 ? BGP_UPDATE_MINLEN : BGP_UPDATE_MINLEN + 6;
	if (len < ml)
		return -1;
	bgp_hdr_write(buf, (uint16_t)ml, BGP_MSG_UPDATE);
	memset(buf + BGP_HDR_LEN, 0, 4);
	if (aid == BGP_AID_IPV4)
		return (int)ml;
	bgp_aid_to(aid, &afi, &safi);
	buf[BGP_HDR_LEN + 3] = 6;
	buf[BGP_UPDATE_MINLEN] = BGP_ATTRF_OPTIONAL;
	buf[BGP_UPDATE_MINLEN + 1] = BGP_ATTR_MP_UNREACH_NLRI;
	buf[BGP_UPDATE_MINLEN + 2] = 3;
	bgp_put16(buf + BGP_UPDATE_MINLEN + 3, afi);
	buf[BGP_UPDATE_MINLEN + 5] = safi;
	return (int)ml;
}
