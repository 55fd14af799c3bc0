/*
 * What every tortie process agrees on: the one enum of imsg types, the
 * payloads that cross process boundaries, roles and default paths.
 *
 * Payloads are pointer-free structs of fixed size, each with a
 * _Static_assert on its size, decoded only by exact-length reads
 * (imsg_expect()) and copied out with memcpy (imsg payloads are unaligned).
 */
#ifndef TORTIE_H
#define TORTIE_H

#include <stdint.h>

#include "bgp_msg.h"
#include "util.h"

#define TORTIE_VERSION		"0.1"
#define TORTIE_CTL_VERSION	1

#define TORTIE_CONF		"/etc/tortie/tortie.yaml"
#define TORTIE_SOCKET		"/run/tortie/tortied.sock"
#define TORTIE_DATASTORE	"/var/lib/tortie/datastore"
#define TORTIE_SECRETS		"/etc/tortie/secrets"
#define TORTIE_CHROOT		"/run/tortie/empty"
#define TORTIE_USER		"_tortie"

/* The parent's pipe is always this descriptor in a child. */
#define TORTIE_PARENT_FD	3

/* Maximum imsg sizes per pipe. */
#define IMSG_MAX_CTL		(64 * 1024)
#define IMSG_MAX_PIPE		(256 * 1024)

#define GROUP_NAME_LEN		254
#define PEER_NAME_LEN		80	/* Global_ + IPv6 + _port_65535 */
#define NODE_NAME_LEN		254
#define ERRSTR_LEN		128

enum tortie_role {
	ROLE_PARENT,
	ROLE_SESSION,
	ROLE_RIB,
	ROLE_KROUTE,
	ROLE_DSD,
};

enum imsg_type {
	IMSG_NONE,

	/* Life cycle: parent <-> every child. */
	IMSG_CHILD_HELLO,	/* child: struct imsg_child_hello */
	IMSG_SHUTDOWN,		/* parent: stop now */
	IMSG_SOCKET_RIB,	/* parent -> sessiond, kroute: pipe to ribd */
	IMSG_SOCKET_SESSION,	/* parent -> ribd: pipe to group peerid */
	IMSG_SOCKET_KROUTE,	/* parent -> ribd: pipe to kroute */

	/* Configuration, streamed and swapped atomically at DONE. */
	IMSG_RECONF_START,
	IMSG_RECONF_GLOBAL,	/* struct imsg_global (ribconf.h) */
	IMSG_RECONF_PEER,	/* struct imsg_peer */
	IMSG_RECONF_ORIGINATE,	/* struct imsg_originate (ribconf.h) */
	IMSG_RECONF_FILTER,	/* struct imsg_filter_rule (ribconf.h) */
	IMSG_RECONF_POOL,	/* struct imsg_pool (ribconf.h) */
	IMSG_RECONF_DONE,

	/* Peers: parent -> sessiond and ribd (struct imsg_peer). */
	IMSG_PEER_ADD,		/* new session, or new config: reset it */
	IMSG_PEER_DEL,		/* peerid: Cease/Peer De-configured */

	/* Sessions. */
	IMSG_SESSION_CONN,	/* parent -> sessiond: accepted socket */
	IMSG_SESSION_STATE,	/* sessiond -> parent: struct imsg_peer_state */
	IMSG_SESSION_UP,	/* sessiond -> ribd: struct imsg_session_up */
	IMSG_SESSION_DOWN,	/* sessiond -> ribd */
	IMSG_UPDATE,		/* sessiond <-> ribd: raw UPDATE bodies */
	IMSG_REFRESH,		/* sessiond <-> ribd: route refresh */
	IMSG_UPDATE_DONE,	/* ribd -> sessiond: end of a batch */
	IMSG_XOFF,		/* sessiond -> ribd: peer output blocked */
	IMSG_XON,		/* sessiond -> ribd: peer output drained */
	IMSG_NOTIFY,		/* ribd -> sessiond: send a NOTIFICATION */

	/* Kernel routes. */
	IMSG_KROUTE_CHANGE,	/* ribd -> kroute */
	IMSG_KROUTE_DELETE,	/* ribd -> kroute */
	IMSG_KROUTE_SYNC,	/* ribd -> kroute: reconcile, drop leftovers */
	IMSG_IFINFO,		/* kroute -> parent, ribd */
	IMSG_IFADDR,		/* kroute -> parent, ribd */

	/* Control: tortiectl <-> parent, parent <-> children. */
	IMSG_CTL_HELLO,		/* struct imsg_ctl_hello, both ways */
	IMSG_CTL_NODE_STATUS,
	IMSG_CTL_SHOW_NEIGHBORS,
	IMSG_CTL_SHOW_RIB,	/* payload: optional prefix string */
	IMSG_CTL_SHOW_FIB,
	IMSG_CTL_RELOAD,
	IMSG_CTL_DATA,		/* a chunk of the JSON answer */
	IMSG_CTL_END,		/* answer complete */
	IMSG_CTL_ERROR,		/* payload: message text */

	/* Added after the first contract; values follow on. */
	IMSG_RECONF_COMMUNITY,	/* struct imsg_community (ribconf.h) */
	IMSG_PEER_COUNTS,	/* ribd -> parent: struct imsg_peer_counts */

	/*
	 * The datastore process dsd (datastore_proxy.h).  On its pipe:
	 * DS_SOCKET passes the request socket, DS_CHANGED and DS_STATUS
	 * report the watch.  On the request socket: a request (GET ...
	 * WATCH, hdr.peerid its id) is answered with ENTRY and BAD messages
	 * closed by DONE or ERR, all with the request's id.
	 */
	IMSG_DS_SOCKET,		/* parent -> dsd: the request socket */
	IMSG_DS_CHANGED,	/* dsd -> parent: resources may have changed */
	IMSG_DS_STATUS,		/* dsd -> parent: struct imsg_ds_status */
	IMSG_DS_GET,		/* struct imsg_ds_req */
	IMSG_DS_LIST,		/* struct imsg_ds_req (kind) */
	IMSG_DS_PUT,		/* struct imsg_ds_req + JSON of the resource */
	IMSG_DS_DEL,		/* struct imsg_ds_req */
	IMSG_DS_REVISION,	/* struct imsg_ds_req (unused fields 0) */
	IMSG_DS_WATCH,		/* struct imsg_ds_req: start the watch */
	IMSG_DS_ENTRY,		/* struct imsg_ds_entry + name, src, JSON */
	IMSG_DS_BAD,		/* text: an entry left out of a list */
	IMSG_DS_DONE,		/* struct imsg_ds_done */
	IMSG_DS_ERR,		/* struct imsg_ds_err + message text */

	/*
	 * kroute -> ribd: the interfaces and addresses sent since the pipe
	 * came up (or since a KR_EV_RESYNC event) are the complete view.
	 */
	IMSG_IFDUMP_END,

	IMSG_TYPE_MAX
};

struct imsg_child_hello {
	uint32_t	 role;
	uint32_t	 pid;
	uint32_t	 groupid;
	uint32_t	 pad;
};
_Static_assert(sizeof(struct imsg_child_hello) == 16, "child hello size");

/* Session types, as Calico names them. */
enum peer_type {
	PEER_TYPE_MESH,		/* "node-to-node mesh" */
	PEER_TYPE_GLOBAL,	/* "global" */
	PEER_TYPE_NODE,		/* "node specific" */
};

enum peer_nexthop {
	NEXTHOP_AUTO,
	NEXTHOP_SELF,
	NEXTHOP_KEEP,
};

#define PEER_F_PASSIVE		0x0001	/* never dial */
#define PEER_F_RR_CLIENT	0x0002	/* route reflector client */
#define PEER_F_EBGP		0x0004	/* peer AS != local AS */
#define PEER_F_GR		0x0008	/* graceful restart (RFC 4724) */
#define PEER_F_KEEP_NEXTHOP	0x0010	/* keepOriginalNextHop */
#define PEER_F_CALICO_NODE	0x0020	/* the peer is a Calico node */

#define MD5_KEY_MAX		80	/* RFC 2385 / TCP_MD5SIG_MAXKEYLEN */

/*
 * One BGP session as the plan describes it (IMSG_PEER_ADD, to the
 * sessiond of its group and to ribd).  peerid is the parent's stable
 * handle for the session name; a changed configuration arrives as a new
 * IMSG_PEER_ADD for the same peerid (the session is then reset).  The
 * password goes to sessiond only: ribd's copy has md5_len 0.
 */
struct imsg_peer {
	uint32_t	 peerid;
	uint32_t	 groupid;
	char		 name[PEER_NAME_LEN];	/* Mesh_198_18_0_2 */
	char		 group[GROUP_NAME_LEN + 2];	/* mesh or BGPPeer */
	struct bgpd_addr remote;
	struct bgpd_addr local;		/* source address; af 0: any */
	uint16_t	 port;		/* remote port */
	uint16_t	 holdtime;	/* seconds we propose */
	uint16_t	 keepalive;	/* seconds; 0: a third of the hold */
	uint16_t	 restart_time;	/* graceful restart time we announce */
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint32_t	 router_id;	/* network byte order */
	uint32_t	 cluster_id;	/* network byte order; 0: not an RR */
	uint32_t	 flags;		/* PEER_F_* */
	uint8_t		 type;		/* enum peer_type */
	uint8_t		 nexthop;	/* enum peer_nexthop */
	uint8_t		 ttl_security;	/* GTSM hops (GTSM_MIN_TTL); 0: off */
	uint8_t		 allow_local_as; /* numAllowedLocalASNumbers */
	uint8_t		 md5_len;
	uint8_t		 pad[3];
	char		 md5[MD5_KEY_MAX];
	uint32_t	 max_prefix;	/* 0: no limit */
	uint32_t	 pad2;
};
_Static_assert(sizeof(struct imsg_peer) == 508, "imsg_peer size");

/*
 * GTSM (RFC 5082): a session with ttl_security hops sends with TTL 255
 * and takes only segments that arrive with at least this many left.
 */
#define GTSM_TTL		255
#define GTSM_MIN_TTL(hops)	(GTSM_TTL + 1 - (int)(hops))

/*
 * sessiond -> ribd when a session reaches Established: the negotiated
 * settings that UPDATE decoding and encoding need.
 */
struct imsg_session_up {
	uint32_t	 peerid;
	uint32_t	 remote_id;	/* peer's BGP identifier, network order */
	struct bgpd_addr local_addr;	/* our end of the TCP connection */
	struct bgpd_addr remote_addr;
	struct bgp_sess	 sess;
};
_Static_assert(sizeof(struct imsg_session_up) == 100, "session up size");

/* sessiond -> ribd when an Established session ends. */
struct imsg_session_down {
	uint32_t	 peerid;
	uint8_t		 graceful;	/* keep the routes as stale (GR) */
	uint8_t		 pad[3];
	uint32_t	 restart_time;	/* seconds the stale routes live */
};
_Static_assert(sizeof(struct imsg_session_down) == 12, "session down size");

/*
 * ribd -> sessiond: send this NOTIFICATION and close the session (an
 * UPDATE error that RFC 7606 says resets, a prefix limit).  Followed by
 * datalen octets of data.
 */
struct imsg_notify {
	uint8_t		 code;
	uint8_t		 subcode;
	uint16_t	 datalen;
};
_Static_assert(sizeof(struct imsg_notify) == 4, "notify size");

/*
 * IMSG_UPDATE carries one or more complete BGP messages, headers
 * included, back to back: sessiond -> ribd the UPDATEs a peer sent (framing
 * checked), ribd -> sessiond the messages to write to the peer verbatim.
 * IMSG_XOFF / IMSG_XON (peerid only) tell ribd that a peer's output queue
 * passed the high-water mark / drained below the low-water mark.
 * IMSG_REFRESH (sessiond -> ribd) carries a struct bgp_rrefresh.
 */
/*
 * IMSG_KROUTE_CHANGE / IMSG_KROUTE_DELETE (ribd -> kroute) carry an array
 * of struct kroute (kroute/kr.h), datalen a multiple of its size; an
 * onlink route with ifindex 0 goes via tunl0 (kroute resolves the index).
 * IMSG_KROUTE_SYNC (no payload): ribd has converged, kroute deletes the
 * routes of our protocol that ribd did not ask for since kroute started.
 */

#define SE_XOFF_BYTES		(4 * 1024 * 1024)
#define SE_XON_BYTES		(1024 * 1024)

/*
 * IMSG_PEER_COUNTS (ribd -> parent, hdr.peerid = peerid): one peer's
 * route counts for status, sent when they change (at most about once a
 * second per peer) and with zeros when the session goes down.
 */
#define PEER_COUNTS_EOR_V4	0x01	/* End-of-RIB seen, per family */
#define PEER_COUNTS_EOR_V6	0x02

struct imsg_peer_counts {
	uint32_t	 peerid;
	uint32_t	 prefixes_in;	/* accepted: in the Adj-RIB-In */
	uint32_t	 prefixes_best;	/* of those, best in the Loc-RIB */
	uint32_t	 prefixes_out;	/* advertised to the peer */
	uint32_t	 filtered;	/* rejected on import since up */
	uint32_t	 stale;		/* kept for graceful restart */
	uint32_t	 withdrawn_7606; /* UPDATEs treated as withdraw */
	uint32_t	 eor;		/* PEER_COUNTS_EOR_* */
};
_Static_assert(sizeof(struct imsg_peer_counts) == 32, "peer counts size");


struct imsg_ctl_hello {
	uint32_t	 version;
	uint32_t	 flags;
};
_Static_assert(sizeof(struct imsg_ctl_hello) == 8, "ctl hello size");

/* RFC 4271 section 8 states, in IMSG_SESSION_STATE. */
enum bgp_fsm_state {
	FSM_IDLE,
	FSM_CONNECT,
	FSM_ACTIVE,
	FSM_OPENSENT,
	FSM_OPENCONFIRM,
	FSM_ESTABLISHED,
	FSM_STATE_MAX
};

/* sessiond -> parent: one peer's state for status. */
struct imsg_peer_state {
	uint32_t	 peerid;
	uint32_t	 state;		/* enum bgp_fsm_state */
	int64_t		 since;		/* wall clock, seconds */
	uint64_t	 msgs_in;
	uint64_t	 msgs_out;
	uint64_t	 updates_in;
	uint64_t	 updates_out;
	uint32_t	 prefixes_in;
	uint32_t	 prefixes_out;
	uint32_t	 flaps;
	uint8_t		 last_code;
	uint8_t		 last_subcode;
	uint8_t		 pad[2];
	char		 lasterr[ERRSTR_LEN];
};
_Static_assert(sizeof(struct imsg_peer_state) == 192, "peer state size");

/* role.c */
const char	*role_name(enum tortie_role);
const char	*imsg_type_name(uint32_t);

#endif
