/*
 * AS paths in wire format: checks, iteration, counting, the 2-octet to
 * 4-octet conversion and the AS4_PATH merge of RFC 6793, prepending and
 * printing.  A path is a list of segments: type (1 octet), count of ASes
 * (1 octet), then the ASes of 2 or 4 octets each.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

#define BGP_SEG_MAX	255

static uint32_t
bgp_as_get(const uint8_t *p, int as4)
{
	return as4 ? bgp_get32(p) : bgp_get16(p);
}

int
bgp_aspath_check(const uint8_t *p, size_t len, int as4)
{
	size_t	 asz = as4 ? 4 : 2, off = 0, sl;

	while (off < len) {
		if (len - off < 2)
			return -1;
		if (p[off] < BGP_AS_SET || p[off] > BGP_AS_CONFED_SET)
			return -1;
		if (p[off + 1] == 0)
			return -1;
		sl = (size_t)p[off + 1] * asz;
		if (sl > len - off - 2)
			return -1;
		off += 2 + sl;
	}
	return 0;
}

void
bgp_aspath_iter_init(struct bgp_aspath_iter *it, const uint8_t *p, size_t len,
    int as4)
{
	it->p = p;
	it->end = p + len;
	it->as4 = as4 ? 1 : 0;
	it->seg_type = 0;
	it->seg_left = 0;
}

int
bgp_aspath_next(struct bgp_aspath_iter *it, uint32_t *as, uint8_t *seg_type)
{
	size_t	 asz = it->as4 ? 4 : 2;

	if (it->seg_left == 0) {
		if (it->p == it->end)
			return 0;
		if (it->end - it->p < 2 || it->p[1] == 0 ||
		    it->p[0] < BGP_AS_SET || it->p[0] > BGP_AS_CONFED_SET)
			return -1;
		it->seg_type = it->p[0];
		it->seg_left = it->p[1];
		it->p += 2;
	}
	if ((size_t)(it->end - it->p) < asz)
		return -1;
	*as = bgp_as_get(it->p, it->as4);
	*seg_type = it->seg_type;
	it->p += asz;
	it->seg_left--;
	return 1;
}

/* How much one segment adds to the path length (RFC 4271 9.1.2.2 a). */
static int
bgp_seg_weight(uint8_t type, uint8_t count)
{
	switch (type) {
	case BGP_AS_SEQUENCE:
		return count;
	case BGP_AS_SET:
		return 1;
	default:
		return 0;
	}
}

int
bgp_aspath_count(const uint8_t *p, size_t len, int as4)
{
	size_t	 asz = as4 ? 4 : 2, off = 0;
	int	 n = 0;

	while (len - off >= 2) {
		n += bgp_seg_weight(p[off], p[off + 1]);
		off += 2 + (size_t)p[off + 1] * asz;
		if (off > len)
			break;
	}
	return n;
}

uint32_t
bgp_aspath_first(const uint8_t *p, size_t len, int as4)
{
	size_t	 asz = as4 ? 4 : 2;

	if (len < 2 + asz || p[0] != BGP_AS_SEQUENCE || p[1] == 0)
		return 0;
	return bgp_as_get(p + 2, as4);
}

int
bgp_aspath_contains(const uint8_t *p, size_t len, int as4, uint32_t as)
{
	struct bgp_aspath_iter	 it;
	uint32_t		 a;
	uint8_t			 t;

	bgp_aspath_iter_init(&it, p, len, as4);
	while (bgp_aspath_next(&it, &a, &t) == 1)
		if (a == as)
			return 1;
	return 0;
}

/*
 * An output cursor for building 4-octet paths.  A segment is open while
 * ASes are appended to it; opening a sequence right after an open sequence
 * with room left continues that one, so that merged paths come out as
 * few segments as they can.
 */
struct bgp_pathw {
	uint8_t		*out;
	size_t		 len;
	size_t		 off;
	size_t		 seg;		/* offset of the open segment header */
	int		 open;
	int		 err;
};

static void
bgp_pathw_seg(struct bgp_pathw *w, uint8_t type)
{
	if (w->open && type == BGP_AS_SEQUENCE &&
	    w->out[w->seg] == BGP_AS_SEQUENCE && w->out[w->seg + 1] < BGP_SEG_MAX)
		return;
	if (w->len - w->off < 2) {
		w->err = 1;
		return;
	}
	w->seg = w->off;
	w->out[w->off] = type;
	w->out[w->off + 1] = 0;
	w->off += 2;
	w->open = 1;
}

static void
bgp_pathw_as(struct bgp_pathw *w, uint32_t as)
{
	if (w->err)
		return;
	if (w->out[w->seg + 1] == BGP_SEG_MAX) {
		uint8_t	 type = w->out[w->seg];

		w->open = 0;
		bgp_pathw_seg(w, type);
		if (w->err)
			return;
	}
	if (w->len - w->off < 4) {
		w->err = 1;
		return;
	}
	bgp_put32(w->out + w->off, as);
	w->off += 4;
	w->out[w->seg + 1]++;
}

/* Copy up to max ASes of the segment at p (any AS size) to w. */
static void
bgp_pathw_copy(struct bgp_pathw *w, const uint8_t *p, int as4, int max)
{
	size_t	 asz = as4 ? 4 : 2;
	int	 i, n = p[1] < max ? p[1] : max;

	bgp_pathw_seg(w, p[0]);
	for (i = 0; i < n && !w->err; i++)
		bgp_pathw_as(w, bgp_as_get(p + 2 + (size_t)i * asz, as4));
	/* A set must stay whole, so it is never continued. */
	if (p[0] != BGP_AS_SEQUENCE)
		w->open = 0;
}

int
bgp_aspath_widen(const uint8_t *p, size_t len, uint8_t *out, size_t outlen)
{
	return bgp_aspath_merge(p, len, 0, NULL, 0, out, outlen);
}

int
bgp_aspath_merge(const uint8_t *p, size_t len, int as4, const uint8_t *p4,
    size_t len4, uint8_t *out, size_t outlen)
{
	struct bgp_pathw	 w = { out, outlen, 0, 0, 0, 0 };
	size_t			 asz = as4 ? 4 : 2, off;
	int			 need, n4, take;

	if (bgp_aspath_check(p, len, as4) == -1 ||
	    (p4 != NULL && bgp_aspath_check(p4, len4, 1) == -1))
		return -1;
	n4 = p4 != NULL ? bgp_aspath_count(p4, len4, 1) : 0;
	need = bgp_aspath_count(p, len, as4) - n4;
	/* A longer AS4_PATH than AS_PATH is ignored (RFC 6793 4.2.3). */
	if (p4 == NULL || need < 0) {
		p4 = NULL;
		need = -1;
	}
	for (off = 0; off < len && !w.err; off += 2 + p[off + 1] * asz) {
		if (need == 0)
			break;
		/* Only a sequence can be cut; sets and confeds go whole. */
		take = p[off + 1];
		if (need > 0 && p[off] == BGP_AS_SEQUENCE && need < take)
			take = need;
		bgp_pathw_copy(&w, p + off, as4, take);
		if (need > 0)
			need -= bgp_seg_weight(p[off], (uint8_t)take);
	}
	for (off = 0; p4 != NULL && off < len4 && !w.err;
	    off += 2 + p4[off + 1] * 4)
		bgp_pathw_copy(&w, p4 + off, 1, BGP_SEG_MAX);
	return w.err ? -1 : (int)w.off;
}

int
bgp_aspath_prepend(const uint8_t *p, size_t len, uint32_t as, int count,
    uint8_t *out, size_t outlen)
{
	struct bgp_pathw	 w = { out, outlen, 0, 0, 0, 0 };
	size_t			 off;
	int			 i;

	if (count < 0 || bgp_aspath_check(p, len, 1) == -1)
		return -1;
	if (count > 0)
		bgp_pathw_seg(&w, BGP_AS_SEQUENCE);
	for (i = 0; i < count && !w.err; i++)
		bgp_pathw_as(&w, as);
	for (off = 0; off < len && !w.err; off += 2 + p[off + 1] * 4)
		bgp_pathw_copy(&w, p + off, 1, BGP_SEG_MAX);
	return w.err ? -1 : (int)w.off;
}

static const char *
bgp_seg_open(uint8_t type)
{
	switch (type) {
	case BGP_AS_SET:
		return "{";
	case BGP_AS_CONFED_SEQUENCE:
		return "(";
	case BGP_AS_CONFED_SET:
		return "[";
	default:
		return "";
	}
}

static const char *
bgp_seg_close(uint8_t type)
{
	switch (type) {
	case BGP_AS_SET:
		return "}";
	case BGP_AS_CONFED_SEQUENCE:
		return ")";
	case BGP_AS_CONFED_SET:
		return "]";
	default:
		return "";
	}
}

const char *
bgp_aspath_str(const uint8_t *p, size_t len, int as4, char *buf,
    size_t buflen)
{
	size_t	 asz = as4 ? 4 : 2, off, o = 0;
	int	 i, w;

	if (buflen == 0)
		return buf;
	buf[0] = '\0';
	if (bgp_aspath_check(p, len, as4) == -1) {
		snprintf(buf, buflen, "<malformed>");
		return buf;
	}
	for (off = 0; off < len; off += 2 + p[off + 1] * asz) {
		w = snprintf(buf + o, buflen - o, "%s%s", o ? " " : "",
		    bgp_seg_open(p[off]));
		for (i = 0; i < p[off + 1] && w >= 0 && o + (size_t)w < buflen;
		    i++) {
			o += (size_t)w;
			w = snprintf(buf + o, buflen - o, "%s%u", i ? " " : "",
			    bgp_as_get(p + off + 2 + (size_t)i * asz, as4));
		}
		if (w < 0 || o + (size_t)w >= buflen)
			break;
		o += (size_t)w;
		w = snprintf(buf + o, buflen - o, "%s", bgp_seg_close(p[off]));
		if (w < 0 || o + (size_t)w >= buflen)
			break;
		o += (size_t)w;
	}
	return buf;
}
