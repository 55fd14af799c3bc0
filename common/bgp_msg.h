/*
 * BGP-4 message codec: framing, OPEN and capabilities, KEEPALIVE,
 * NOTIFICATION, ROUTE-REFRESH, UPDATE decode and encode.
 *
 * The codec is pure: no I/O, no event loop, no logging, no global state.
 * Every decoder takes a complete message (header included) as a pointer and
 * a length, trusts nothing in it, and reports problems through a
 * struct bgp_err that holds the NOTIFICATION to send and a sentence for the
 * log.  Decoders never allocate; UPDATE decoding leaves the prefixes where
 * they are and hands out iterators over them, so that a million prefixes
 * cost a million small loops and no malloc.
 *
 * Conventions:
 * - Multi-octet integers in the structs below are in host byte order, BGP
 *   identifiers, ORIGINATOR_ID and CLUSTER_LIST entries included.
 * - Addresses are struct bgpd_addr (util.h).
 * - An "aid" is tortie's dense index of a supported AFI/SAFI pair.
 * - Functions return -1 on error unless their comment says otherwise.
 * - Decoders accept messages of up to 65535 octets: holding a session to
 *   4096 is bgp_hdr_parse()'s job, on the read path.
 *
 * RFCs: 4271 (base), 5492 (capabilities), 4760 (multiprotocol), 6793
 * (4-octet AS), 2918 and 7313 (route refresh), 4724 (graceful restart),
 * 8654 (extended messages), 7911 (ADD-PATH), 7606 (UPDATE error handling),
 * 1997 and 8092 (communities), 4456 (route reflection), 6608 (FSM error
 * subcodes), 4486 and 8203/9003 (Cease subcodes, shutdown communication),
 * 9072 (extended optional parameters length).
 */
#ifndef TORTIE_BGP_MSG_H
#define TORTIE_BGP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Message framing (RFC 4271 4.1, RFC 8654). */
#define BGP_MARKER_LEN		16
#define BGP_HDR_LEN		19
#define BGP_MAXLEN		4096
#define BGP_MAXLEN_EXT		65535
#define BGP_OPEN_MINLEN		29
#define BGP_UPDATE_MINLEN	23
#define BGP_NOTIFY_MINLEN	21
#define BGP_KEEPALIVE_LEN	19
#define BGP_RREFRESH_LEN	23
#define BGP_VERSION		4
#define BGP_PORT		179

/* AS numbers (RFC 6793, RFC 7607). */
#define BGP_AS_TRANS		23456

/* Message types (RFC 4271 4.1, RFC 2918). */
enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5
};

/* NOTIFICATION error codes (RFC 4271 4.5, RFC 7313). */
enum bgp_err_code {
	BGP_ERR_NONE = 0,
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7
};

/* Message Header Error subcodes (RFC 4271 6.1). */
enum bgp_err_header {
	BGP_ERRHDR_UNSPEC = 0,
	BGP_ERRHDR_SYNC = 1,		/* Connection Not Synchronized */
	BGP_ERRHDR_LEN = 2,		/* Bad Message Length */
	BGP_ERRHDR_TYPE = 3		/* Bad Message Type */
};

/* OPEN Message Error subcodes (RFC 4271 6.2, RFC 5492, RFC 9234). */
enum bgp_err_open {
	BGP_ERROPEN_UNSPEC = 0,
	BGP_ERROPEN_VERSION = 1,	/* Unsupported Version Number */
	BGP_ERROPEN_AS = 2,		/* Bad Peer AS */
	BGP_ERROPEN_BGPID = 3,		/* Bad BGP Identifier */
	BGP_ERROPEN_OPT = 4,		/* Unsupported Optional Parameter */
	BGP_ERROPEN_AUTH = 5,		/* deprecated */
	BGP_ERROPEN_HOLDTIME = 6,	/* Unacceptable Hold Time */
	BGP_ERROPEN_CAPA = 7,		/* Unsupported Capability */
	BGP_ERROPEN_ROLE = 11		/* Role Mismatch */
};

/* UPDATE Message Error subcodes (RFC 4271 6.3). */
enum bgp_err_update {
	BGP_ERRUPD_UNSPEC = 0,
	BGP_ERRUPD_ATTRLIST = 1,	/* Malformed Attribute List */
	BGP_ERRUPD_UNKNWN_WK = 2,	/* Unrecognized Well-known Attribute */
	BGP_ERRUPD_MISSNG_WK = 3,	/* Missing Well-known Attribute */
	BGP_ERRUPD_ATTRFLAGS = 4,	/* Attribute Flags Error */
	BGP_ERRUPD_ATTRLEN = 5,		/* Attribute Length Error */
	BGP_ERRUPD_ORIGIN = 6,		/* Invalid ORIGIN Attribute */
	BGP_ERRUPD_LOOP = 7,		/* deprecated */
	BGP_ERRUPD_NEXTHOP = 8,		/* Invalid NEXT_HOP Attribute */
	BGP_ERRUPD_OPTATTR = 9,		/* Optional Attribute Error */
	BGP_ERRUPD_NETWORK = 10,	/* Invalid Network Field */
	BGP_ERRUPD_ASPATH = 11		/* Malformed AS_PATH */
};

/* Finite State Machine Error subcodes (RFC 6608). */
enum bgp_err_fsm {
	BGP_ERRFSM_UNSPEC = 0,
	BGP_ERRFSM_OPENSENT = 1,
	BGP_ERRFSM_OPENCONFIRM = 2,
	BGP_ERRFSM_ESTABLISHED = 3
};

/* Cease subcodes (RFC 4486, RFC 8538, RFC 9384). */
enum bgp_err_cease {
	BGP_CEASE_UNSPEC = 0,
	BGP_CEASE_MAXPREFIX = 1,	/* Maximum Number of Prefixes Reached */
	BGP_CEASE_ADMIN_DOWN = 2,	/* Administrative Shutdown */
	BGP_CEASE_PEER_UNCONF = 3,	/* Peer De-configured */
	BGP_CEASE_ADMIN_RESET = 4,	/* Administrative Reset */
	BGP_CEASE_CONN_REJECT = 5,	/* Connection Rejected */
	BGP_CEASE_CONFIG_CHANGE = 6,	/* Other Configuration Change */
	BGP_CEASE_COLLISION = 7,	/* Connection Collision Resolution */
	BGP_CEASE_RESOURCES = 8,	/* Out of Resources */
	BGP_CEASE_HARD_RESET = 9,	/* Hard Reset */
	BGP_CEASE_BFD_DOWN = 10		/* BFD Down */
};

/* ROUTE-REFRESH Message Error subcodes (RFC 7313). */
enum bgp_err_rrefresh {
	BGP_ERRRR_UNSPEC = 0,
	BGP_ERRRR_LEN = 1		/* Invalid Message Length */
};

/* Path attribute type codes. */
enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_ORIGINATOR_ID = 9,
	BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH_NLRI = 14,
	BGP_ATTR_MP_UNREACH_NLRI = 15,
	BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
	BGP_ATTR_LARGE_COMMUNITIES = 32
};

/* Path attribute flags. */
#define BGP_ATTRF_OPTIONAL	0x80
#define BGP_ATTRF_TRANSITIVE	0x40
#define BGP_ATTRF_PARTIAL	0x20
#define BGP_ATTRF_EXTLEN	0x10
#define BGP_ATTRF_WELLKNOWN	BGP_ATTRF_TRANSITIVE
#define BGP_ATTRF_OPT_TRANS	(BGP_ATTRF_OPTIONAL | BGP_ATTRF_TRANSITIVE)

/* ORIGIN values. */
#define BGP_ORIGIN_IGP		0
#define BGP_ORIGIN_EGP		1
#define BGP_ORIGIN_INCOMPLETE	2

/* AS_PATH segment types (RFC 4271, RFC 5065). */
#define BGP_AS_SET		1
#define BGP_AS_SEQUENCE		2
#define BGP_AS_CONFED_SEQUENCE	3
#define BGP_AS_CONFED_SET	4

/* Well-known communities (RFC 1997, RFC 8326). */
#define BGP_COMM_NO_EXPORT		0xffffff01U
#define BGP_COMM_NO_ADVERTISE		0xffffff02U
#define BGP_COMM_NO_EXPORT_SUBCONFED	0xffffff03U
#define BGP_COMM_GRACEFUL_SHUTDOWN	0xffff0000U

/* Address family and subsequent address family identifiers. */
#define BGP_AFI_IPV4		1
#define BGP_AFI_IPV6		2
#define BGP_SAFI_UNICAST	1
#define BGP_SAFI_MULTICAST	2

/* Tortie's dense index of the AFI/SAFI pairs it supports. */
enum bgp_aid {
	BGP_AID_IPV4 = 0,		/* IPv4 unicast */
	BGP_AID_IPV6 = 1,		/* IPv6 unicast */
	BGP_AID_MAX = 2
};

/* Capability codes (IANA registry). */
enum bgp_capa_code {
	BGP_CAPA_MP = 1,		/* RFC 4760 */
	BGP_CAPA_RREFRESH = 2,		/* RFC 2918 */
	BGP_CAPA_ORF = 3,		/* RFC 5291 */
	BGP_CAPA_EXT_NEXTHOP = 5,	/* RFC 8950 */
	BGP_CAPA_EXT_MSG = 6,		/* RFC 8654 */
	BGP_CAPA_ROLE = 9,		/* RFC 9234 */
	BGP_CAPA_GR = 64,		/* RFC 4724 */
	BGP_CAPA_AS4 = 65,		/* RFC 6793 */
	BGP_CAPA_ADDPATH = 69,		/* RFC 7911 */
	BGP_CAPA_ENHANCED_RR = 70,	/* RFC 7313 */
	BGP_CAPA_LLGR = 71,		/* RFC 9494 */
	BGP_CAPA_FQDN = 73		/* draft-walton-bgp-hostname */
};

/* OPEN optional parameter types (RFC 5492, RFC 9072). */
#define BGP_OPT_CAPABILITIES	2
#define BGP_OPT_EXTENDED	255

/* Graceful restart capability bits (RFC 4724, RFC 8538). */
#define BGP_GR_RESTARTING	0x08	/* R bit, in gr_flags */
#define BGP_GR_NOTIFICATION	0x04	/* N bit, in gr_flags */
#define BGP_GR_TIME_MAX		4095
#define BGP_GR_AF_PRESENT	0x01	/* in gr_af[]: family listed */
#define BGP_GR_AF_FORWARDING	0x02	/* in gr_af[]: F bit set */

/* ADD-PATH send/receive bits (RFC 7911 4). */
#define BGP_ADDPATH_RECV	0x01
#define BGP_ADDPATH_SEND	0x02

/* ROUTE-REFRESH subtypes (RFC 7313 3.2). */
#define BGP_RR_NORMAL		0
#define BGP_RR_BORR		1
#define BGP_RR_EORR		2

/* Hold time limits (RFC 4271 4.2, 6.2). */
#define BGP_HOLDTIME_DEFAULT	90
#define BGP_HOLDTIME_MIN	3

/* Shutdown communication (RFC 8203, extended to 255 octets by RFC 9003). */
#define BGP_SHUTDOWN_MAX	255

/* A buffer for any AS path bgp_update_aspath() can produce. */
#define BGP_ASPATH_BUFMAX	(3 * BGP_MAXLEN_EXT)

/* Largest NOTIFICATION data that fits an unextended message. */
#define BGP_ERR_DATA_MAX	(BGP_MAXLEN - BGP_NOTIFY_MINLEN)
#define BGP_REASON_MAX		160

/*
 * An error found while decoding: the NOTIFICATION to send (code, subcode,
 * data, data truncated to BGP_ERR_DATA_MAX) and a sentence for the log.
 * code is BGP_ERR_NONE when there is nothing to send; reason may still
 * explain a softer verdict (see struct bgp_update).
 */
struct bgp_err {
	uint8_t		 code;
	uint8_t		 subcode;
	uint16_t	 datalen;
	uint8_t		 data[BGP_ERR_DATA_MAX];
	char		 reason[BGP_REASON_MAX];
};

/*
 * Capabilities one speaker advertises (RFC 5492).  Pointer-free, so that
 * it can travel in an imsg.  Arrays are indexed by enum bgp_aid.
 */
struct bgp_caps {
	uint8_t		 mp[BGP_AID_MAX];	/* multiprotocol family */
	uint8_t		 addpath[BGP_AID_MAX];	/* BGP_ADDPATH_* bits */
	uint8_t		 gr_af[BGP_AID_MAX];	/* BGP_GR_AF_* bits */
	uint8_t		 mp_seen;	/* any MP capability was present */
	uint8_t		 rrefresh;	/* route refresh (code 2) */
	uint8_t		 enhanced_rr;	/* enhanced route refresh */
	uint8_t		 as4;		/* 4-octet AS capability present */
	uint8_t		 ext_msg;	/* extended messages */
	uint8_t		 gr;		/* graceful restart present */
	uint8_t		 gr_flags;	/* BGP_GR_RESTARTING, _NOTIFICATION */
	uint8_t		 pad;
	uint16_t	 gr_time;	/* restart time, seconds, <= 4095 */
	uint16_t	 unknown;	/* count of capabilities skipped */
	uint16_t	 pad2;
	uint32_t	 as4_as;	/* AS from the 4-octet AS capability */
};
_Static_assert(sizeof(struct bgp_caps) == 24, "bgp_caps size");

/* A decoded or to-be-encoded OPEN message.  Pointer-free. */
struct bgp_open {
	uint8_t		 version;
	uint8_t		 pad;
	uint16_t	 holdtime;
	uint16_t	 as2;		/* the 2-octet My Autonomous System */
	uint16_t	 pad2;
	uint32_t	 as;		/* effective AS: 4-octet cap, else as2 */
	uint32_t	 bgp_id;	/* host byte order */
	struct bgp_caps	 caps;
};
_Static_assert(sizeof(struct bgp_open) == 40, "bgp_open size");

/*
 * The settings of one established session, as the codec needs them to
 * decode and encode UPDATEs.  bgp_caps_negotiate() fills it; tests and
 * tools may fill it by hand.  Pointer-free.
 */
struct bgp_sess {
	uint8_t		 as4;		/* 4-octet AS numbers on the wire */
	uint8_t		 ebgp;		/* peer is in another AS */
	uint8_t		 ext_msg;	/* both sides support 65535 octets */
	uint8_t		 rrefresh;	/* both support route refresh */
	uint8_t		 enhanced_rr;	/* both support enhanced refresh */
	uint8_t		 enforce_first_as; /* eBGP: first AS must be peer */
	uint8_t		 af[BGP_AID_MAX];	/* family negotiated */
	uint8_t		 addpath_rx[BGP_AID_MAX]; /* peer sends path ids */
	uint8_t		 addpath_tx[BGP_AID_MAX]; /* we send path ids */
	uint16_t	 holdtime;	/* negotiated, 0 or >= 3 */
	uint16_t	 maxlen;	/* 4096 or 65535 */
	uint16_t	 pad[2];
	uint32_t	 local_as;
	uint32_t	 peer_as;
	struct bgp_caps	 peer_caps;	/* what the peer advertised */
};
_Static_assert(sizeof(struct bgp_sess) == 52, "bgp_sess size");

/* A prefix, with its ADD-PATH path identifier (0 when none). */
struct bgp_prefix {
	struct bgpd_addr addr;		/* host bits cleared */
	uint8_t		 aid;
	uint8_t		 plen;
	uint8_t		 pad[2];
	uint32_t	 path_id;
};

/*
 * Iterator over a field of NLRI (withdrawn routes, NLRI, or the prefixes
 * of MP_REACH_NLRI / MP_UNREACH_NLRI), reading the prefixes in place.
 */
struct bgp_nlri_iter {
	const uint8_t	*p;
	const uint8_t	*end;
	uint8_t		 aid;
	uint8_t		 addpath;
};

/* Where the NLRI of one UPDATE are. */
enum bgp_nlri_sect {
	BGP_SECT_WITHDRAWN,		/* classic Withdrawn Routes (IPv4) */
	BGP_SECT_NLRI,			/* classic NLRI (IPv4) */
	BGP_SECT_MP_REACH,		/* prefixes of MP_REACH_NLRI */
	BGP_SECT_MP_UNREACH		/* prefixes of MP_UNREACH_NLRI */
};

/* What to do with an UPDATE (RFC 7606 2), weakest first. */
enum bgp_verdict {
	BGP_UPD_OK = 0,			/* use it as it is */
	BGP_UPD_ATTR_DISCARD = 1,	/* use it; some attributes dropped */
	BGP_UPD_WITHDRAW = 2,		/* withdraw every prefix it carries */
	BGP_UPD_RESET = 3		/* send err, close the session */
};

/* Bits of struct bgp_attrs.present, one per known attribute type. */
#define BGP_ATTR_BIT(t)		(UINT64_C(1) << (t))

/*
 * A set of path attributes.  Decoding fills it with values and with
 * pointers into the message (valid as long as the message buffer is);
 * encoding reads the same fields.  Variable parts stay in wire format:
 * - aspath: AS_PATH segments, ASes of 4 octets if aspath_as4 else 2;
 * - as4path: AS4_PATH segments (decode only, 2-octet sessions);
 * - communities: 4-octet values; ext_communities: 8-octet values;
 *   large_communities: 12-octet values; cluster_list: 4-octet ids;
 * - unknown: complete encoded attributes (flags, type, length, value),
 *   for encoding only; see bgp_attrs_copy_unknown().
 * nexthop is the classic NEXT_HOP when decoding (the MP_REACH_NLRI next
 * hop is in struct bgp_update); when encoding it is the next hop of
 * whatever family is packed, with nexthop_ll the optional IPv6
 * link-local one.
 */
struct bgp_attrs {
	uint64_t	 present;	/* BGP_ATTR_BIT(type) of each attribute */
	uint8_t		 origin;
	uint8_t		 aspath_as4;
	uint16_t	 aspath_len;
	uint16_t	 as4path_len;
	uint16_t	 communities_len;
	uint16_t	 ext_communities_len;
	uint16_t	 large_communities_len;
	uint16_t	 cluster_list_len;
	uint16_t	 unknown_len;
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggregator_as;	/* after AS4_AGGREGATOR merge */
	uint32_t	 aggregator_id;
	uint32_t	 originator_id;
	struct bgpd_addr nexthop;
	struct bgpd_addr nexthop_ll;
	const uint8_t	*aspath;
	const uint8_t	*as4path;
	const uint8_t	*communities;
	const uint8_t	*ext_communities;
	const uint8_t	*large_communities;
	const uint8_t	*cluster_list;
	const uint8_t	*unknown;
};

/*
 * A decoded UPDATE.  Field pointers point into the message.  The prefixes
 * are read with bgp_update_iter().  On BGP_UPD_WITHDRAW every prefix of
 * every section must be treated as withdrawn; on BGP_UPD_RESET nothing
 * but err may be used.  err.reason says why the verdict is not OK.
 */
struct bgp_update {
	enum bgp_verdict verdict;
	struct bgp_err	 err;		/* NOTIFICATION for BGP_UPD_RESET */
	uint8_t		 discarded[32];	/* bitmap of attribute types dropped;
					   duplicates (RFC 7606 3 g) are
					   dropped unmarked, the first kept */
	uint8_t		 eor;		/* this is an End-of-RIB marker */
	uint8_t		 eor_aid;
	uint8_t		 has_mp_reach;	/* MP_REACH_NLRI of a known family */
	uint8_t		 has_mp_unreach;
	uint8_t		 mp_reach_aid;
	uint8_t		 mp_unreach_aid;
	uint8_t		 addpath_v4;	/* path ids in the classic fields */
	uint8_t		 addpath_reach;	/* path ids in MP_REACH_NLRI */
	uint8_t		 addpath_unreach; /* path ids in MP_UNREACH_NLRI */
	uint16_t	 withdrawn_len;
	uint16_t	 attrs_len;
	uint16_t	 nlri_len;
	uint16_t	 mp_reach_len;
	uint16_t	 mp_unreach_len;
	const uint8_t	*withdrawn;
	const uint8_t	*attrs_raw;	/* the whole path attribute field */
	const uint8_t	*nlri;
	const uint8_t	*mp_reach;	/* the NLRI inside MP_REACH_NLRI */
	const uint8_t	*mp_unreach;	/* the NLRI inside MP_UNREACH_NLRI */
	struct bgpd_addr mp_nexthop;	/* MP_REACH_NLRI next hop */
	struct bgpd_addr mp_nexthop_ll;	/* its IPv6 link-local part, if any */
	struct bgp_attrs attrs;
};

/* One path attribute, as bgp_attr_next() walks them. */
struct bgp_attr_walk {
	const uint8_t	*p;
	const uint8_t	*end;
};

struct bgp_attr {
	uint8_t		 flags;
	uint8_t		 type;
	uint16_t	 len;		/* length of value */
	uint16_t	 hdrlen;	/* 3 or 4 */
	const uint8_t	*value;
};

/*
 * A read cursor over an AS_PATH in wire format, yielding one AS at a time
 * with the type of the segment it is in.
 */
struct bgp_aspath_iter {
	const uint8_t	*p;
	const uint8_t	*end;
	uint8_t		 as4;
	uint8_t		 seg_type;
	uint8_t		 seg_left;
};

/* A decoded NOTIFICATION.  data points into the message. */
struct bgp_notification {
	uint8_t		 code;
	uint8_t		 subcode;
	uint16_t	 datalen;
	const uint8_t	*data;
	uint8_t		 has_shutdown;	/* Cease 2/4 with a valid text */
	uint8_t		 shutdown_len;
	char		 shutdown[BGP_SHUTDOWN_MAX + 1]; /* UTF-8, control
					    characters replaced by '?' */
};

/* A decoded ROUTE-REFRESH. */
struct bgp_rrefresh {
	uint16_t	 afi;
	uint8_t		 safi;
	uint8_t		 subtype;	/* BGP_RR_* */
	uint8_t		 aid;		/* valid when known */
	uint8_t		 known;		/* AFI/SAFI is one tortie supports */
};

/*
 * UPDATE packer: fills messages with prefixes that share one attribute
 * set, up to the session's maximum message size.  Large (two maximum-size
 * buffers): allocate it on the heap or statically.
 */
struct bgp_packer {
	uint8_t		 aid;
	uint8_t		 withdraw;
	uint8_t		 addpath;
	uint8_t		 mp;		/* prefixes go into MP_(UN)REACH_NLRI */
	uint16_t	 maxlen;
	uint16_t	 attrlen;	/* encoded attributes, without MP */
	uint16_t	 mphdr;		/* MP attribute header and next hop */
	uint16_t	 len;		/* octets of msg in use */
	uint16_t	 nlri_off;	/* where prefixes start in msg */
	uint32_t	 count;		/* prefixes in the current message */
	uint8_t		 mpbuf[48];	/* MP attribute header and next hop */
	uint8_t		 attrbuf[BGP_MAXLEN_EXT];
	uint8_t		 msg[BGP_MAXLEN_EXT];
};

/* bgp_msg.c: framing, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH, names */

/*
 * Check the header at buf (len octets available).  Returns 0 when fewer
 * than BGP_HDR_LEN octets are there yet, 1 with *type and *msglen set when
 * the header is good, -1 with err set otherwise.  maxlen is the session's
 * limit (4096 or 65535); OPEN and KEEPALIVE are held to 4096 regardless
 * (RFC 8654).
 */
int		 bgp_hdr_parse(const uint8_t *, size_t, size_t, uint8_t *,
		    uint16_t *, struct bgp_err *);
/* Write a header for a message of msglen octets into buf. */
void		 bgp_hdr_write(uint8_t *, uint16_t, uint8_t);

int		 bgp_keepalive_encode(uint8_t *, size_t);
int		 bgp_keepalive_decode(const uint8_t *, size_t, struct bgp_err *);

/* Encode a NOTIFICATION; returns the message length. */
int		 bgp_notification_encode(uint8_t, uint8_t, const uint8_t *,
		    size_t, uint8_t *, size_t);
/* Encode the NOTIFICATION that err describes. */
int		 bgp_notification_encode_err(const struct bgp_err *, uint8_t *,
		    size_t);
/* Cease with subcode 2 or 4 and an RFC 8203 text (may be NULL or ""). */
int		 bgp_notification_encode_shutdown(uint8_t, const char *,
		    uint8_t *, size_t);
/* Cease, Maximum Number of Prefixes Reached, for aid and the limit. */
int		 bgp_notification_encode_maxprefix(uint8_t, uint32_t,
		    uint8_t *, size_t);
int		 bgp_notification_decode(const uint8_t *, size_t,
		    struct bgp_notification *, struct bgp_err *);

/* Encode a ROUTE-REFRESH for aid with a BGP_RR_* subtype. */
int		 bgp_rrefresh_encode(uint8_t, uint8_t, uint8_t *, size_t);
/*
 * Decode a ROUTE-REFRESH.  A bad length is an error (RFC 7313 5); an
 * unknown AFI/SAFI or subtype is not: check known and subtype.
 */
int		 bgp_rrefresh_decode(const uint8_t *, size_t,
		    struct bgp_rrefresh *, struct bgp_err *);

/* Fill err (reason formatted printf-style); data may be NULL. */
void		 bgp_err_set(struct bgp_err *, uint8_t, uint8_t,
		    const uint8_t *, size_t, const char *, ...)
		    __attribute__((__format__(printf, 6, 7)));
void		 bgp_err_clear(struct bgp_err *);

/* AFI/SAFI <-> aid; bgp_aid_from returns -1 for unsupported pairs. */
int		 bgp_aid_from(uint16_t, uint8_t);
void		 bgp_aid_to(uint8_t, uint16_t *, uint8_t *);
int		 bgp_aid_af(uint8_t);	/* AF_INET or AF_INET6 */

/* Names for logs and status output; never NULL. */
const char	*bgp_msg_type_name(uint8_t);
const char	*bgp_err_code_name(uint8_t);
const char	*bgp_err_subcode_name(uint8_t, uint8_t);
const char	*bgp_attr_name(uint8_t);
const char	*bgp_capa_name(uint8_t);
const char	*bgp_aid_name(uint8_t);
const char	*bgp_verdict_name(enum bgp_verdict);
/*
 * "<code name>: <subcode name>" (or just the code name when the subcode
 * has none), plus ": <shutdown text>" when n carries one; n may be NULL,
 * then code and subcode are used.
 */
const char	*bgp_notification_str(uint8_t, uint8_t,
		    const struct bgp_notification *, char *, size_t);

/* bgp_open.c: OPEN and capabilities */

/*
 * Decode an OPEN.  Checks version, AS (0 is bad, RFC 7607; a 2-octet
 * field that is neither the 4-octet AS nor AS_TRANS is bad), hold time
 * (1 and 2 are unacceptable), BGP identifier (0 is bad), optional
 * parameters and capabilities.  Unknown capabilities are counted and
 * skipped; unknown optional parameters are an error.
 */
int		 bgp_open_decode(const uint8_t *, size_t, struct bgp_open *,
		    struct bgp_err *);
/*
 * Decode a capabilities block (the value of an optional parameter of type
 * 2) into c, which the caller zeroes first; several blocks accumulate.
 */
int		 bgp_caps_decode(const uint8_t *, size_t, struct bgp_caps *,
		    struct bgp_err *);
/* Encode an OPEN; as > 65535 goes out as AS_TRANS + 4-octet cap. */
int		 bgp_open_encode(const struct bgp_open *, uint8_t *, size_t);
/* Encode the capabilities of c into buf; returns their length. */
int		 bgp_caps_encode(const struct bgp_caps *, uint32_t, uint8_t *,
		    size_t);
/*
 * Compute the session's settings from our OPEN and the peer's: 4-octet AS,
 * families, ADD-PATH directions, extended messages, route refresh, hold
 * time (the smaller one).  Errors: the peer's AS differs from peer_as
 * (when not 0): Bad Peer AS; the peer's BGP identifier equals ours in
 * iBGP: Bad BGP Identifier; a hold time of 1 or 2: Unacceptable Hold Time.
 */
int		 bgp_caps_negotiate(const struct bgp_open *,
		    const struct bgp_open *, uint32_t, struct bgp_sess *,
		    struct bgp_err *);

/* bgp_update.c: UPDATE decode and NLRI iterators */

/*
 * Decode an UPDATE under the session's settings.  Returns the verdict,
 * also stored in u->verdict.  Framing errors and malformed NLRI give
 * BGP_UPD_RESET; attribute errors give the RFC 7606 action of the
 * attribute.  AS4_PATH and AS4_AGGREGATOR of a 2-octet session are
 * checked here and merged by bgp_update_aspath().
 */
enum bgp_verdict bgp_update_decode(const uint8_t *, size_t,
		    const struct bgp_sess *, struct bgp_update *);
/* Start iterating one section's prefixes; returns 0, or -1 if absent. */
int		 bgp_update_iter(const struct bgp_update *, enum bgp_nlri_sect,
		    struct bgp_nlri_iter *);
void		 bgp_nlri_iter_init(struct bgp_nlri_iter *, const uint8_t *,
		    size_t, uint8_t, int);
/* Next prefix: 1 and *p filled, 0 at the end, -1 if malformed. */
int		 bgp_nlri_next(struct bgp_nlri_iter *, struct bgp_prefix *);
/* Count the prefixes of a section (0 if absent). */
size_t		 bgp_update_count(const struct bgp_update *,
		    enum bgp_nlri_sect);
/*
 * Write the UPDATE's AS path in 4-octet wire format into buf: the AS_PATH
 * as is for 4-octet sessions, merged with AS4_PATH (RFC 6793 4.2.3) for
 * 2-octet ones.  Returns the length, -1 if buflen is too small; twice the
 * AS_PATH length plus the AS4_PATH length always suffices, so
 * BGP_ASPATH_BUFMAX does for any message.
 */
int		 bgp_update_aspath(const struct bgp_update *, uint8_t *, size_t);
int		 bgp_is_discarded(const struct bgp_update *, uint8_t);

void		 bgp_attr_walk_init(struct bgp_attr_walk *, const uint8_t *,
		    size_t);
/* Next attribute: 1 and *a filled, 0 at the end, -1 if malformed. */
int		 bgp_attr_next(struct bgp_attr_walk *, struct bgp_attr *);
/*
 * Copy the optional transitive attributes that tortie does not know out
 * of the UPDATE, first occurrence of each only, with the Partial bit set
 * as RFC 4271 5 asks when passing them on.  Returns the length written
 * (use as attrs.unknown for encoding), -1 if buf is too small.
 */
int		 bgp_attrs_copy_unknown(const struct bgp_update *, uint8_t *,
		    size_t);

/* bgp_aspath.c: AS paths in wire format */

/* Check segments (types 1-4, non-zero lengths, no overrun); 0 or -1. */
int		 bgp_aspath_check(const uint8_t *, size_t, int);
void		 bgp_aspath_iter_init(struct bgp_aspath_iter *, const uint8_t *,
		    size_t, int);
/* Next AS: 1 with *as and *seg_type, 0 at the end, -1 if malformed. */
int		 bgp_aspath_next(struct bgp_aspath_iter *, uint32_t *,
		    uint8_t *);
/* Path length for route selection: a set counts 1, confed segments 0. */
int		 bgp_aspath_count(const uint8_t *, size_t, int);
/* Leftmost AS of the first AS_SEQUENCE, 0 if none. */
uint32_t	 bgp_aspath_first(const uint8_t *, size_t, int);
int		 bgp_aspath_contains(const uint8_t *, size_t, int, uint32_t);
/* Convert 2-octet segments to 4-octet ones; returns the new length. */
int		 bgp_aspath_widen(const uint8_t *, size_t, uint8_t *, size_t);
/*
 * RFC 6793 4.2.3: merge a 2-octet session's AS_PATH (2-octet ASes if the
 * third argument is 0) with its AS4_PATH into a 4-octet path: the leading
 * ASes of AS_PATH that AS4_PATH lacks, then AS4_PATH.  If AS4_PATH counts
 * more ASes than AS_PATH it is ignored.  Returns the merged length.
 */
int		 bgp_aspath_merge(const uint8_t *, size_t, int, const uint8_t *,
		    size_t, uint8_t *, size_t);
/*
 * Prepend as count times to a 4-octet path (out must not overlap it);
 * returns the new length.
 */
int		 bgp_aspath_prepend(const uint8_t *, size_t, uint32_t, int,
		    uint8_t *, size_t);
/* "64512 {64513 64514} (64515)" into buf; returns buf. */
const char	*bgp_aspath_str(const uint8_t *, size_t, int, char *, size_t);

/* bgp_pack.c: UPDATE encode */

/*
 * Encode attrs for sess into buf, except the next hop of IPv6 (it goes
 * into MP_REACH_NLRI) and MP attributes: ORIGIN, AS_PATH (plus AS4_PATH
 * with AS_TRANS in a 2-octet session), NEXT_HOP (IPv4 only), MED,
 * LOCAL_PREF (iBGP only), ATOMIC_AGGREGATE, AGGREGATOR (plus
 * AS4_AGGREGATOR), COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST,
 * LARGE_COMMUNITIES, then the unknown blob.  Returns the length.
 */
int		 bgp_attrs_encode(const struct bgp_attrs *,
		    const struct bgp_sess *, uint8_t, uint8_t *, size_t);
/*
 * Start packing prefixes of aid for sess: announcements with attrs, or
 * withdrawals when attrs is NULL.  Returns -1 if the attributes alone do
 * not fit a message or the family is not negotiated.
 */
int		 bgp_pack_init(struct bgp_packer *, const struct bgp_sess *,
		    uint8_t, const struct bgp_attrs *);
/*
 * Add a prefix: 0 when added, 1 when the current message is full (call
 * bgp_pack_flush() and add it again), -1 when the prefix is invalid.
 */
int		 bgp_pack_add(struct bgp_packer *, const struct bgp_prefix *);
/*
 * Finish the current message: returns its length with *msg pointing into
 * the packer (valid until the next call), or 0 when it holds no prefix.
 * The packer is then ready for the next message with the same attributes.
 */
size_t		 bgp_pack_flush(struct bgp_packer *, const uint8_t **);
/* End-of-RIB marker for aid (RFC 4724 2); returns its length. */
int		 bgp_eor_encode(uint8_t, uint8_t *, size_t);

#endif
