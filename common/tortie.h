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
#define PEER_NAME_LEN		64
#define NODE_NAME_LEN		254
#define ERRSTR_LEN		128

enum tortie_role {
	ROLE_PARENT,
	ROLE_SESSION,
	ROLE_RIB,
	ROLE_KROUTE,
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
	IMSG_RECONF_GLOBAL,	/* struct imsg_global */
	IMSG_RECONF_PEER,	/* struct imsg_peer */
	IMSG_RECONF_ORIGINATE,	/* struct imsg_prefix */
	IMSG_RECONF_FILTER,	/* struct imsg_filter_rule */
	IMSG_RECONF_POOL,	/* struct imsg_pool */
	IMSG_RECONF_DONE,

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

	IMSG_TYPE_MAX
};

struct imsg_child_hello {
	uint32_t	 role;
	uint32_t	 pid;
	uint32_t	 groupid;
	uint32_t	 pad;
};
_Static_assert(sizeof(struct imsg_child_hello) == 16, "child hello size");

struct imsg_ctl_hello {
	uint32_t	 version;
	uint32_t	 flags;
};
_Static_assert(sizeof(struct imsg_ctl_hello) == 8, "ctl hello size");

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
