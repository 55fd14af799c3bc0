/*
 * Names of roles and message types, for logs.
 */
#include <stdio.h>

#include "tortie.h"

static const char *const role_names[] = {
	[ROLE_PARENT] = "parent",
	[ROLE_SESSION] = "sessiond",
	[ROLE_RIB] = "ribd",
	[ROLE_KROUTE] = "kroute",
	[ROLE_DSD] = "dsd",
};

static const char *const imsg_names[IMSG_TYPE_MAX] = {
	[IMSG_NONE] = "none",
	[IMSG_CHILD_HELLO] = "child-hello",
	[IMSG_SHUTDOWN] = "shutdown",
	[IMSG_SOCKET_RIB] = "socket-rib",
	[IMSG_SOCKET_SESSION] = "socket-session",
	[IMSG_SOCKET_KROUTE] = "socket-kroute",
	[IMSG_RECONF_START] = "reconf-start",
	[IMSG_RECONF_GLOBAL] = "reconf-global",
	[IMSG_RECONF_PEER] = "reconf-peer",
	[IMSG_RECONF_ORIGINATE] = "reconf-originate",
	[IMSG_RECONF_FILTER] = "reconf-filter",
	[IMSG_RECONF_POOL] = "reconf-pool",
	[IMSG_RECONF_DONE] = "reconf-done",
	[IMSG_PEER_ADD] = "peer-add",
	[IMSG_PEER_DEL] = "peer-del",
	[IMSG_SESSION_CONN] = "session-conn",
	[IMSG_SESSION_STATE] = "session-state",
	[IMSG_SESSION_UP] = "session-up",
	[IMSG_SESSION_DOWN] = "session-down",
	[IMSG_UPDATE] = "update",
	[IMSG_REFRESH] = "refresh",
	[IMSG_UPDATE_DONE] = "update-done",
	[IMSG_XOFF] = "xoff",
	[IMSG_XON] = "xon",
	[IMSG_NOTIFY] = "notify",
	[IMSG_KROUTE_CHANGE] = "kroute-change",
	[IMSG_KROUTE_DELETE] = "kroute-delete",
	[IMSG_KROUTE_SYNC] = "kroute-sync",
	[IMSG_IFINFO] = "ifinfo",
	[IMSG_IFADDR] = "ifaddr",
	[IMSG_CTL_HELLO] = "ctl-hello",
	[IMSG_CTL_NODE_STATUS] = "ctl-node-status",
	[IMSG_CTL_SHOW_NEIGHBORS] = "ctl-show-neighbors",
	[IMSG_CTL_SHOW_RIB] = "ctl-show-rib",
	[IMSG_CTL_SHOW_FIB] = "ctl-show-fib",
	[IMSG_CTL_RELOAD] = "ctl-reload",
	[IMSG_CTL_DATA] = "ctl-data",
	[IMSG_CTL_END] = "ctl-end",
	[IMSG_CTL_ERROR] = "ctl-error",
	[IMSG_RECONF_COMMUNITY] = "reconf-community",
	[IMSG_PEER_COUNTS] = "peer-counts",
	[IMSG_DS_SOCKET] = "ds-socket",
	[IMSG_DS_CHANGED] = "ds-changed",
	[IMSG_DS_STATUS] = "ds-status",
	[IMSG_DS_GET] = "ds-get",
	[IMSG_DS_LIST] = "ds-list",
	[IMSG_DS_PUT] = "ds-put",
	[IMSG_DS_DEL] = "ds-del",
	[IMSG_DS_REVISION] = "ds-revision",
	[IMSG_DS_WATCH] = "ds-watch",
	[IMSG_DS_ENTRY] = "ds-entry",
	[IMSG_DS_BAD] = "ds-bad",
	[IMSG_DS_DONE] = "ds-done",
	[IMSG_DS_ERR] = "ds-err",
	[IMSG_IFDUMP_END] = "ifdump-end",
};

const char *
role_name(enum tortie_role r)
{
	if ((unsigned)r < sizeof(role_names) / sizeof(role_names[0]))
		return role_names[r];
	return "?";
}

const char *
imsg_type_name(uint32_t t)
{
	static char	 buf[16];

	if (t < IMSG_TYPE_MAX && imsg_names[t] != NULL)
		return imsg_names[t];
	snprintf(buf, sizeof(buf), "type-%u", t);
	return buf;
}
