/*
 * BGP message framing, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH, error
 * bookkeeping and the names of codes.  See bgp_msg.h.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

struct bgp_name {
	uint8_t		 code;
	uint8_t		 sub;
	const char	*name;
};

static const char *const bgp_type_names[] = {
	"Reserved", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE",
	"ROUTE-REFRESH"
};

static const char *const bgp_code_names[] = {
	"No Error", "Message Header Error", "OPEN Message Error",
	"UPDATE Message Error", "Hold Timer Expired",
	"Finite State Machine Error", "Cease", "ROUTE-REFRESH Message Error"
};

/*
 * Subcode names as the RFCs spell them, except "Bad BGP identifier": that
 * is how BIRD words it, and Calico's status output (INTERFACES.md) shows
 * it that way.
 */
static const struct bgp_name bgp_subcode_names[] = {
	{ BGP_ERR_HEADER, BGP_ERRHDR_UNSPEC, "Unspecific" },
	{ BGP_ERR_HEADER, BGP_ERRHDR_SYNC, "Connection Not Synchronized" },
	{ BGP_ERR_HEADER, BGP_ERRHDR_LEN, "Bad Message Length" },
	{ BGP_ERR_HEADER, BGP_ERRHDR_TYPE, "Bad Message Type" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_UNSPEC, "Unspecific" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_VERSION, "Unsupported Version Number" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_AS, "Bad Peer AS" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_BGPID, "Bad BGP identifier" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_OPT, "Unsupported Optional Parameter" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_AUTH, "Authentication Failure" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_HOLDTIME, "Unacceptable Hold Time" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_CAPA, "Unsupported Capability" },
	{ BGP_ERR_OPEN, BGP_ERROPEN_ROLE, "Role Mismatch" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_UNSPEC, "Unspecific" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_ATTRLIST, "Malformed Attribute List" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_UNKNWN_WK,
	    "Unrecognized Well-known Attribute" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_MISSNG_WK,
	    "Missing Well-known Attribute" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_ATTRFLAGS, "Attribute Flags Error" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_ATTRLEN, "Attribute Length Error" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_ORIGIN, "Invalid ORIGIN Attribute" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_LOOP, "AS Routing Loop" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_NEXTHOP, "Invalid NEXT_HOP Attribute" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_OPTATTR, "Optional Attribute Error" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_NETWORK, "Invalid Network Field" },
	{ BGP_ERR_UPDATE, BGP_ERRUPD_ASPATH, "Malformed AS_PATH" },
	{ BGP_ERR_FSM, BGP_ERRFSM_UNSPEC, "Unspecified Error" },
	{ BGP_ERR_FSM, BGP_ERRFSM_OPENSENT,
	    "Receive Unexpected Message in OpenSent State" },
	{ BGP_ERR_FSM, BGP_ERRFSM_OPENCONFIRM,
	    "Receive Unexpected Message in OpenConfirm State" },
	{ BGP_ERR_FSM, BGP_ERRFSM_ESTABLISHED,
	    "Receive Unexpected Message in Established State" },
	{ BGP_ERR_CEASE, BGP_CEASE_UNSPEC, "Unspecific" },
	{ BGP_ERR_CEASE, BGP_CEASE_MAXPREFIX,
	    "Maximum Number of Prefixes Reached" },
	{ BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN, "Administrative Shutdown" },
	{ BGP_ERR_CEASE, BGP_CEASE_PEER_UNCONF, "Peer De-configured" },
	{ BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET, "Administrative Reset" },
	{ BGP_ERR_CEASE, BGP_CEASE_CONN_REJECT, "Connection Rejected" },
	{ BGP_ERR_CEASE, BGP_CEASE_CONFIG_CHANGE,
	    "Other Configuration Change" },
	{ BGP_ERR_CEASE, BGP_CEASE_COLLISION,
	    "Connection Collision Resolution" },
	{ BGP_ERR_CEASE, BGP_CEASE_RESOURCES, "Out of Resources" },
	{ BGP_ERR_CEASE, BGP_CEASE_HARD_RESET, "Hard Reset" },
	{ BGP_ERR_CEASE, BGP_CEASE_BFD_DOWN, "BFD Down" },
	{ BGP_ERR_RREFRESH, BGP_ERRRR_UNSPEC, "Unspecific" },
	{ BGP_ERR_RREFRESH, BGP_ERRRR_LEN, "Invalid Message Length" },
};

static const struct bgp_name bgp_attr_names[] = {
	{ BGP_ATTR_ORIGIN, 0, "ORIGIN" },
	{ BGP_ATTR_AS_PATH, 0, "AS_PATH" },
	{ BGP_ATTR_NEXT_HOP, 0, "NEXT_HOP" },
	{ BGP_ATTR_MED, 0, "MULTI_EXIT_DISC" },
	{ BGP_ATTR_LOCAL_PREF, 0, "LOCAL_PREF" },
	{ BGP_ATTR_ATOMIC_AGGREGATE, 0, "ATOMIC_AGGREGATE" },
	{ BGP_ATTR_AGGREGATOR, 0, "AGGREGATOR" },
	{ BGP_ATTR_COMMUNITIES, 0, "COMMUNITIES" },
	{ BGP_ATTR_ORIGINATOR_ID, 0, "ORIGINATOR_ID" },
	{ BGP_ATTR_CLUSTER_LIST, 0, "CLUSTER_LIST" },
	{ BGP_ATTR_MP_REACH_NLRI, 0, "MP_REACH_NLRI" },
	{ BGP_ATTR_MP_UNREACH_NLRI, 0, "MP_UNREACH_NLRI" },
	{ BGP_ATTR_EXT_COMMUNITIES, 0, "EXTENDED_COMMUNITIES" },
	{ BGP_ATTR_AS4_PATH, 0, "AS4_PATH" },
	{ BGP_ATTR_AS4_AGGREGATOR, 0, "AS4_AGGREGATOR" },
	{ BGP_ATTR_LARGE_COMMUNITIES, 0, "LARGE_COMMUNITY" },
};

static const struct bgp_name bgp_capa_names[] = {
	{ BGP_CAPA_MP, 0, "Multiprotocol Extensions" },
	{ BGP_CAPA_RREFRESH, 0, "Route Refresh" },
	{ BGP_CAPA_ORF, 0, "Outbound Route Filtering" },
	{ BGP_CAPA_EXT_NEXTHOP, 0, "Extended Next Hop Encoding" },
	{ BGP_CAPA_EXT_MSG, 0, "Extended Message" },
	{ BGP_CAPA_ROLE, 0, "BGP Role" },
	{ BGP_CAPA_GR, 0, "Graceful Restart" },
	{ BGP_CAPA_AS4, 0, "4-octet AS number" },
	{ BGP_CAPA_ADDPATH, 0, "ADD-PATH" },
	{ BGP_CAPA_ENHANCED_RR, 0, "Enhanced Route Refresh" },
	{ BGP_CAPA_LLGR, 0, "Long-Lived Graceful Restart" },
	{ BGP_CAPA_FQDN, 0, "FQDN" },
};

static const char *
bgp_name_find(const struct bgp_name *tab, size_t n, uint8_t code,
    uint8_t sub)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (tab[i].code == code && tab[i].sub == sub)
			return tab[i].name;
	return NULL;
}

void
bgp_err_clear(struct bgp_err *err)
{
	err->code = BGP_ERR_NONE;
	err->subcode = 0;
	err->datalen = 0;
	err->reason[0] = '\0';
}

void
bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t sub,
    const uint8_t *data, size_t datalen, const char *fmt, ...)
{
	va_list	 ap;

	err->code = code;
	err->subcode = sub;
	if (data == NULL)
		datalen = 0;
	if (datalen > sizeof(err->data))
		datalen = sizeof(err->data);
	if (datalen > 0)
		memmove(err->data, data, datalen);
	err->datalen = (uint16_t)datalen;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

void
bgp_hdr_write(uint8_t *buf, uint16_t msglen, uint8_t type)
{
	memset(buf, 0xff, BGP_MARKER_LEN);
	bgp_put16(buf + BGP_MARKER_LEN, msglen);
	buf[BGP_MARKER_LEN + 2] = type;
}

static size_t
bgp_type_minlen(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return BGP_OPEN_MINLEN;
	case BGP_MSG_UPDATE:
		return BGP_UPDATE_MINLEN;
	case BGP_MSG_NOTIFICATION:
		return BGP_NOTIFY_MINLEN;
	default:
		/*
		 * ROUTE-REFRESH has its own length error (RFC 7313 5),
		 * reported by bgp_rrefresh_decode().
		 */
		return BGP_HDR_LEN;
	}
}

static int
bgp_hdr_len_ok(uint8_t type, size_t msglen, size_t maxlen)
{
	if (type == BGP_MSG_KEEPALIVE)
		return msglen == BGP_KEEPALIVE_LEN;
	/* Extended messages never apply to OPEN (RFC 8654 3). */
	if (type == BGP_MSG_OPEN && msglen > BGP_MAXLEN)
		return 0;
	return msglen >= bgp_type_minlen(type) && msglen <= maxlen;
}

int
bgp_hdr_parse(const uint8_t *buf, size_t len, size_t maxlen, uint8_t *type,
    uint16_t *msglen, struct bgp_err *err)
{
	const uint8_t	*lenp = buf + BGP_MARKER_LEN;
	uint16_t	 ml;
	uint8_t		 t;
	size_t		 i;

	if (len < BGP_HDR_LEN)
		return 0;
	if (maxlen < BGP_MAXLEN)
		maxlen = BGP_MAXLEN;
	for (i = 0; i < BGP_MARKER_LEN; i++)
		if (buf[i] != 0xff) {
			bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_SYNC,
			    NULL, 0, "header: marker is not all ones");
			return -1;
		}
	ml = bgp_get16(lenp);
	t = buf[BGP_MARKER_LEN + 2];
	if (ml < BGP_HDR_LEN || ml > maxlen) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_LEN, lenp, 2,
		    "header: length %u out of range %u..%zu", ml,
		    BGP_HDR_LEN, maxlen);
		return -1;
	}
	if (t < BGP_MSG_OPEN || t > BGP_MSG_ROUTE_REFRESH) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_TYPE, &t, 1,
		    "header: unknown message type %u", t);
		return -1;
	}
	if (!bgp_hdr_len_ok(t, ml, maxlen)) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_LEN, lenp, 2,
		    "header: bad length %u for %s", ml, bgp_msg_type_name(t));
		return -1;
	}
	*type = t;
	*msglen = ml;
	return 1;
}

/*
 * Check the header of a complete message handed to a decoder: the caller
 * may have skipped bgp_hdr_parse() (a fuzzer does), so nothing is assumed.
 */
int
bgp_msg_check(const uint8_t *msg, size_t len, uint8_t want,
    struct bgp_err *err)
{
	uint8_t		 type;
	uint16_t	 ml;
	int		 r;

	r = bgp_hdr_parse(msg, len, BGP_MAXLEN_EXT, &type, &ml, err);
	if (r == 0) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_LEN, NULL, 0,
		    "header: truncated message of %zu octets", len);
		return -1;
	}
	if (r == -1)
		return -1;
	if (type != want || ml != len) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERRHDR_LEN,
		    msg + BGP_MARKER_LEN, 2,
		    "header: %s of %u octets given as %s of %zu",
		    bgp_msg_type_name(type), ml, bgp_msg_type_name(want), len);
		return -1;
	}
	return 0;
}

int
bgp_keepalive_encode(uint8_t *buf, size_t len)
{
	if (len < BGP_KEEPALIVE_LEN)
		return -1;
	bgp_hdr_write(buf, BGP_KEEPALIVE_LEN, BGP_MSG_KEEPALIVE);
	return BGP_KEEPALIVE_LEN;
}

int
bgp_keepalive_decode(const uint8_t *msg, size_t len, struct bgp_err *err)
{
	return bgp_msg_check(msg, len, BGP_MSG_KEEPALIVE, err);
}

int
bgp_notification_encode(uint8_t code, uint8_t sub, const uint8_t *data,
    size_t datalen, uint8_t *buf, size_t len)
{
	size_t	 ml;

	if (data == NULL)
		datalen = 0;
	/* A NOTIFICATION must reach a peer that knows only 4096 octets. */
	if (datalen > BGP_ERR_DATA_MAX)
		datalen = BGP_ERR_DATA_MAX;
	ml = BGP_NOTIFY_MINLEN + datalen;
	if (len < ml)
		return -1;
	bgp_hdr_write(buf, (uint16_t)ml, BGP_MSG_NOTIFICATION);
	buf[BGP_HDR_LEN] = code;
	buf[BGP_HDR_LEN + 1] = sub;
	if (datalen > 0)
		memmove(buf + BGP_NOTIFY_MINLEN, data, datalen);
	return (int)ml;
}

int
bgp_notification_encode_err(const struct bgp_err *err, uint8_t *buf,
    size_t len)
{
	return bgp_notification_encode(err->code, err->subcode, err->data,
	    err->datalen, buf, len);
}

/* Length of the valid UTF-8 sequence at s (n octets left), 0 if invalid. */
static size_t
bgp_utf8_seq(const uint8_t *s, size_t n)
{
	uint32_t	 cp;
	size_t		 need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

/* Number of leading octets of s (at most n) that are whole UTF-8 text. */
static size_t
bgp_utf8_prefix(const uint8_t *s, size_t n)
{
	size_t	 i = 0, k;

	while (i < n) {
		if ((k = bgp_utf8_seq(s + i, n - i)) == 0)
			break;
		i += k;
	}
	return i;
}

int
bgp_notification_encode_shutdown(uint8_t sub, const char *text,
    uint8_t *buf, size_t len)
{
	uint8_t	 data[1 + BGP_SHUTDOWN_MAX];
	size_t	 tl = 0;

	if (sub != BGP_CEASE_ADMIN_DOWN && sub != BGP_CEASE_ADMIN_RESET)
		return -1;
	if (text != NULL) {
		tl = strnlen(text, BGP_SHUTDOWN_MAX);
		/* Cut long text on a character boundary, never mid-way. */
		tl = bgp_utf8_prefix((const uint8_t *)text, tl);
		memcpy(data + 1, text, tl);
	}
	data[0] = (uint8_t)tl;
	return bgp_notification_encode(BGP_ERR_CEASE, sub, data, 1 + tl, buf,
	    len);
}

int
bgp_notification_encode_maxprefix(uint8_t aid, uint32_t limit, uint8_t *buf,
    size_t len)
{
	uint8_t		 data[7];
	uint16_t	 afi;
	uint8_t		 safi;

	/* RFC 4486 4: AFI, SAFI and the upper bound, 7 octets. */
	if (aid >= BGP_AID_MAX)
		return -1;
	bgp_aid_to(aid, &afi, &safi);
	bgp_put16(data, afi);
	data[2] = safi;
	bgp_put32(data + 3, limit);
	return bgp_notification_encode(BGP_ERR_CEASE, BGP_CEASE_MAXPREFIX, data,
	    sizeof(data), buf, len);
}

static void
bgp_shutdown_decode(struct bgp_notification *n)
{
	size_t	 tl, i;

	if (n->code != BGP_ERR_CEASE || n->datalen == 0 ||
	    (n->subcode != BGP_CEASE_ADMIN_DOWN &&
	    n->subcode != BGP_CEASE_ADMIN_RESET))
		return;
	tl = n->data[0];
	/* RFC 8203 2: a length beyond the data, or bad UTF-8, is ignored. */
	if (tl > (size_t)n->datalen - 1)
		return;
	if (bgp_utf8_prefix(n->data + 1, tl) != tl)
		return;
	for (i = 0; i < tl; i++) {
		uint8_t	 c = n->data[1 + i];

		n->shutdown[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	n->shutdown[tl] = '\0';
	n->shutdown_len = (uint8_t)tl;
	n->has_shutdown = 1;
}

int
bgp_notification_decode(const uint8_t *msg, size_t len,
    struct bgp_notification *n, struct bgp_err *err)
{
	memset(n, 0, sizeof(*n));
	if (bgp_msg_check(msg, len, BGP_MSG_NOTIFICATION, err) == -1)
		return -1;
	n->code = msg[BGP_HDR_LEN];
	n->subcode = msg[BGP_HDR_LEN + 1];
	n->datalen = (uint16_t)(len - BGP_NOTIFY_MINLEN);
	n->data = msg + BGP_NOTIFY_MINLEN;
	bgp_shutdown_decode(n);
	return 0;
}

int
bgp_rrefresh_encode(uint8_t aid, uint8_t subtype, uint8_t *buf, size_t len)
{
	uint16_t	 afi;
	uint8_t		 safi;

	if (aid >= BGP_AID_MAX || len < BGP_RREFRESH_LEN)
		return -1;
	bgp_aid_to(aid, &afi, &safi);
	bgp_hdr_write(buf, BGP_RREFRESH_LEN, BGP_MSG_ROUTE_REFRESH);
	bgp_put16(buf + BGP_HDR_LEN, afi);
	buf[BGP_HDR_LEN + 2] = subtype;
	buf[BGP_HDR_LEN + 3] = safi;
	return BGP_RREFRESH_LEN;
}

int
bgp_rrefresh_decode(const uint8_t *msg, size_t len, struct bgp_rrefresh *rr,
    struct bgp_err *err)
{
	int	 aid;

	memset(rr, 0, sizeof(*rr));
	if (bgp_msg_check(msg, len, BGP_MSG_ROUTE_REFRESH, err) == -1)
		return -1;
	/*
	 * Tortie never negotiates ORF, so every ROUTE-REFRESH must be
	 * exactly 23 octets; the data of the error is the whole message.
	 */
	if (len != BGP_RREFRESH_LEN) {
		bgp_err_set(err, BGP_ERR_RREFRESH, BGP_ERRRR_LEN, msg, len,
		    "ROUTE-REFRESH: length %zu, expected %d", len,
		    BGP_RREFRESH_LEN);
		return -1;
	}
	rr->afi = bgp_get16(msg + BGP_HDR_LEN);
	rr->subtype = msg[BGP_HDR_LEN + 2];
	rr->safi = msg[BGP_HDR_LEN + 3];
	if ((aid = bgp_aid_from(rr->afi, rr->safi)) != -1) {
		rr->aid = (uint8_t)aid;
		rr->known = 1;
	}
	return 0;
}

int
bgp_aid_from(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return -1;
	if (afi == BGP_AFI_IPV4)
		return BGP_AID_IPV4;
	if (afi == BGP_AFI_IPV6)
		return BGP_AID_IPV6;
	return -1;
}

void
bgp_aid_to(uint8_t aid, uint16_t *afi, uint8_t *safi)
{
	*afi = aid == BGP_AID_IPV6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	*safi = BGP_SAFI_UNICAST;
}

int
bgp_aid_af(uint8_t aid)
{
	return aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET;
}

const char *
bgp_msg_type_name(uint8_t type)
{
	if (type < sizeof(bgp_type_names) / sizeof(bgp_type_names[0]))
		return bgp_type_names[type];
	return "Unknown";
}

const char *
bgp_err_code_name(uint8_t code)
{
	if (code < sizeof(bgp_code_names) / sizeof(bgp_code_names[0]))
		return bgp_code_names[code];
	return "Unknown Error";
}

const char *
bgp_err_subcode_name(uint8_t code, uint8_t sub)
{
	const char	*s;

	s = bgp_name_find(bgp_subcode_names, sizeof(bgp_subcode_names) /
	    sizeof(bgp_subcode_names[0]), code, sub);
	return s != NULL ? s : "Unknown";
}

const char *
bgp_attr_name(uint8_t type)
{
	const char	*s;

	s = bgp_name_find(bgp_attr_names, sizeof(bgp_attr_names) /
	    sizeof(bgp_attr_names[0]), type, 0);
	return s != NULL ? s : "unknown attribute";
}

const char *
bgp_capa_name(uint8_t code)
{
	const char	*s;

	s = bgp_name_find(bgp_capa_names, sizeof(bgp_capa_names) /
	    sizeof(bgp_capa_names[0]), code, 0);
	return s != NULL ? s : "unknown capability";
}

const char *
bgp_aid_name(uint8_t aid)
{
	switch (aid) {
	case BGP_AID_IPV4:
		return "IPv4 unicast";
	case BGP_AID_IPV6:
		return "IPv6 unicast";
	default:
		return "unknown family";
	}
}

const char *
bgp_verdict_name(enum bgp_verdict v)
{
	switch (v) {
	case BGP_UPD_OK:
		return "ok";
	case BGP_UPD_ATTR_DISCARD:
		return "attribute discard";
	case BGP_UPD_WITHDRAW:
		return "treat-as-withdraw";
	case BGP_UPD_RESET:
		return "session reset";
	}
	return "unknown";
}

const char *
bgp_notification_str(uint8_t code, uint8_t sub,
    const struct bgp_notification *n, char *buf, size_t len)
{
	const char	*sn;
	int		 w;

	if (n != NULL) {
		code = n->code;
		sub = n->subcode;
	}
	sn = bgp_name_find(bgp_subcode_names, sizeof(bgp_subcode_names) /
	    sizeof(bgp_subcode_names[0]), code, sub);
	if (code == BGP_ERR_HOLD && sub == 0)
		w = snprintf(buf, len, "%s", bgp_err_code_name(code));
	else if (sn != NULL)
		w = snprintf(buf, len, "%s: %s", bgp_err_code_name(code), sn);
	else
		w = snprintf(buf, len, "%s: subcode %u",
		    bgp_err_code_name(code), sub);
	if (n != NULL && n->has_shutdown && n->shutdown_len > 0 && w >= 0 &&
	    (size_t)w < len)
		snprintf(buf + w, len - (size_t)w, ": \"%s\"", n->shutdown);
	return buf;
}
