/*
 * The peering compiler: Calico resources and this node's name in, the BGP
 * sessions this node runs, what it originates and the data ribd needs for
 * export out (CALICO.md sections 2.3 to 2.8, with tortie's decisions at
 * the top of that page).
 *
 * plan_compute() is pure: it reads only the res_set it is given, except
 * for password secrets, which plan_secret.c reads from
 * <secrets_dir>/<name>/<key>.  The result owns every byte it points to,
 * so it outlives the res_set and can be kept by the daemon, diffed
 * against the next plan (plan_diff) and freed with plan_free().
 *
 * Conventions: a struct bgpd_addr with af 0 is absent; ports, times and
 * counts have a has_ flag where 0 is a meaningful value.  Everything is
 * sorted so that two computations over the same resources give byte-equal
 * plans and JSON.
 */
#ifndef TORTIE_PLAN_H
#define TORTIE_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "resource.h"
#include "util.h"

#define PLAN_NAME_MAX		80	/* "Global_" + IPv6 + "_port_65535" */
#define PLAN_PASSWORD_MAX	80	/* TCP MD5 key length (RFC 2385) */
#define PLAN_ERR_MAX		160
#define PLAN_COMMS_MAX		50	/* communities per prefix, as Calico */
#define PLAN_FILTER_OPS_MAX	10	/* operations per rule, as Calico */
#define PLAN_PREPEND_MAX	10	/* prependASPath.prefix, as Calico */
#define PLAN_ASPATH_MAX		64	/* asPathPrefix; Calico has no cap */
#define PLAN_IFNAME_MAX		16	/* interface glob, 15 chars + NUL */
#define PLAN_DEFAULT_PRIORITY	1024	/* ipv4/ipv6NormalRoutePriority */
#define PLAN_MAX_PREFIX_KEY	"tortie.io/max-prefix"	/* BGPPeer annotation */

enum plan_type {
	PLAN_MESH,		/* "node-to-node mesh" */
	PLAN_GLOBAL,		/* "global" */
	PLAN_NODE,		/* "node specific" */
};

enum plan_nexthop {
	PLAN_NH_AUTO,
	PLAN_NH_SELF,
	PLAN_NH_KEEP,
};

/* Where a session's restart time comes from. */
enum plan_rt_source {
	PLAN_RT_NONE,
	PLAN_RT_PEER,		/* BGPPeer maxRestartTime */
	PLAN_RT_MESH,		/* BGPConfiguration nodeMeshMaxRestartTime */
};

enum plan_pw_state {
	PLAN_PW_NONE,		/* no secretKeyRef */
	PLAN_PW_OK,		/* resolved into password[] */
	PLAN_PW_MISSING,	/* a reference that did not resolve */
};

enum plan_bind {
	PLAN_BIND_NONE,
	PLAN_BIND_NODE_IP,	/* listen on the node's address only */
};

struct plan_prefix {
	struct bgpd_addr addr;		/* masked, except plan.ipv4/ipv6 */
	int		 plen;
};

/*
 * One BGP session of this node.  JSON members are marked; the rest is
 * what the session layer needs besides.
 */
struct plan_session {
	char		 name[PLAN_NAME_MAX];		/* JSON name */
	enum plan_type	 type;				/* JSON type */
	char		 group[RES_NAME_MAX + 1];	/* JSON group */
	struct bgpd_addr peer_ip;	/* JSON peerIP; family from af */
	uint16_t	 port;		/* JSON port: 179 unless told */
	uint32_t	 peer_as;	/* JSON peerAS */
	uint32_t	 local_as;	/* JSON localAS: effective local AS */
	int		 local_as_override;	/* localASNumber was set */
	struct bgpd_addr source_addr;	/* JSON sourceAddress; af 0: null */
	int		 passive;	/* JSON passive: never dial */
	int		 rr_client;	/* JSON routeReflectorClient */
	struct bgpd_addr cluster_id;	/* JSON clusterID: ours if rr_client */
	uint8_t		 ttl_security;	/* JSON ttlSecurity: 0 off, else hops */
	enum plan_pw_state pw_state;	/* JSON password: == PLAN_PW_OK */
	char		 password[PLAN_PASSWORD_MAX + 1];	/* not printed */
	char		 pw_error[PLAN_ERR_MAX];	/* why MISSING */
	enum plan_nexthop next_hop;	/* JSON nextHop */
	int		 has_restart_time;	/* JSON restartTime or null */
	uint32_t	 restart_time;		/* seconds */
	enum plan_rt_source restart_source;
	int		 has_keepalive_time;	/* JSON keepaliveTime or null */
	uint32_t	 keepalive_time;	/* seconds */
	int		 allow_local_as;	/* JSON allowLocalAS: 0 off */
	size_t		*filters;	/* JSON filters: indexes in plan */
	size_t		 nfilters;	/* ->filters, BGPPeer order */

	int		 same_as;	/* peer_as == local_as: iBGP */
	int		 calico_node;	/* peer_ip is a Calico node's */
	int		 reverse;	/* automatic reverse peering */
	char		 peer_node[RES_NAME_MAX + 1];	/* "" if unknown */
	char		 bgppeer[RES_NAME_MAX + 1];	/* "" for mesh */
	struct bgpd_addr peer_cluster_id;	/* the peer's, if known */
	struct bgpd_addr reachable_by;	/* host route gateway */
	enum res_failure_detection failure_detection;	/* not yet used */
	enum res_restart_mode restart_mode;		/* not yet used */
	uint32_t	 max_prefix;	/* 0: no limit (tortie.io/max-prefix) */
};

/* One BGPFilter rule, with Calico's defaults applied. */
struct plan_filter_op {
	int		 kind;		/* PLAN_FOP_* */
	struct res_comm	 community;
	uint32_t	 prepend[PLAN_PREPEND_MAX];
	size_t		 nprepend;
	int32_t		 priority;
};

#define PLAN_FOP_ADD_COMMUNITY	1
#define PLAN_FOP_PREPEND	2
#define PLAN_FOP_SET_PRIORITY	3

struct plan_filter_rule {
	struct plan_prefix cidr;		/* af 0: no cidr condition */
	enum res_match_op op;
	int		 has_len;		/* prefixLength given */
	int		 min_len;		/* effective, CALICO.md 1.4 */
	int		 max_len;
	int		 source_remote;		/* source: RemotePeers */
	char		 iface[PLAN_IFNAME_MAX];	/* "" no condition */
	enum res_peer_type peer_type;
	int		 has_community;
	struct res_comm	 community;
	uint32_t	 as_path_prefix[PLAN_ASPATH_MAX];
	size_t		 nas_path_prefix;
	int		 has_priority;
	int32_t		 priority;
	struct plan_filter_op ops[PLAN_FILTER_OPS_MAX];
	size_t		 nops;
	enum res_filter_action action;
};

/* A BGPFilter referenced by at least one session. */
struct plan_filter {
	char		 name[RES_NAME_MAX + 1];
	struct plan_filter_rule *rules[RES_FILTER_NLISTS];	/* by list */
	size_t		 nrules[RES_FILTER_NLISTS];
};

struct plan_pool {
	struct plan_prefix cidr;
	int		 disable_export;	/* disableBGPExport */
	int		 disabled;		/* IPAM only: still exported */
	enum res_encap_mode ipip;		/* never RES_ENCAP_UNSET */
	enum res_encap_mode vxlan;		/* never RES_ENCAP_UNSET */
	int		 block_size;		/* defaults applied */
};

enum plan_svc_kind {
	PLAN_SVC_CLUSTER,		/* serviceClusterIPs */
	PLAN_SVC_EXTERNAL,		/* serviceExternalIPs */
	PLAN_SVC_LB,			/* serviceLoadBalancerIPs */
};

struct plan_service {
	struct plan_prefix cidr;
	enum plan_svc_kind kind;
	int		 reject;	/* never programmed into the kernel */
	int		 originate;	/* blackhole route, advertised */
};

/* Communities attached to exported routes inside cidr. */
struct plan_comm_prefix {
	struct plan_prefix cidr;
	struct res_comm	 comms[PLAN_COMMS_MAX];	/* unique, string order */
	size_t		 ncomms;
};

struct plan {
	char		 node[RES_NAME_MAX + 1];
	struct bgpd_addr router_id;	/* af 0: none (IPv6-only node) */
	uint32_t	 as_number;	/* node AS, else global, else 64512 */
	struct bgpd_addr cluster_id;	/* af 0: not a route reflector */
	uint16_t	 listen_port;	/* node.<n>, else default, else 179 */
	enum plan_bind	 bind_mode;
	int		 mesh_enabled;	/* nodeToNodeMeshEnabled */
	enum res_log_severity log_severity;	/* node.<n> > default */

	/*
	 * This node's BGP addresses, not masked, with the length of the
	 * local subnet (IPIP CrossSubnet); af 0 disables that family.
	 */
	struct plan_prefix ipv4;
	struct plan_prefix ipv6;

	struct plan_session *sessions;	/* sorted by name */
	size_t		 nsessions;
	struct plan_prefix *originate;	/* blocks and services, sorted */
	size_t		 noriginate;

	/* Export and kernel data for ribd and kroute (CALICO.md 2.8). */
	struct plan_prefix *blocks;	/* confirmed local blocks, /32s too */
	size_t		 nblocks;
	struct plan_pool *pools;	/* every pool, sorted by cidr */
	size_t		 npools;
	struct plan_service *services;	/* kind, then cidr order */
	size_t		 nservices;
	int		 lb_aggregation;	/* LB ranges as a whole */
	struct plan_comm_prefix *comms;	/* IPv4 then IPv6, as written */
	size_t		 ncomms;
	struct plan_filter *filters;	/* sorted by name */
	size_t		 nfilters;
	enum res_cluster_routes program_cluster_routes;	/* never UNSET */
	int32_t		 ipv4_priority;	/* ipv4NormalRoutePriority */
	int32_t		 ipv6_priority;

	/* What was ignored or could not be honoured, one line each. */
	char		**warnings;
	size_t		 nwarnings;
};

struct plan_opts {
	const char	*secrets_dir;	/* NULL or "": passwords never read */
	const char	*router_id;	/* NULL or "", "hash", a dotted quad */
};

/* What changed in a session between two plans (plan_diff). */
#define PLAN_DF_TYPE		0x00000001
#define PLAN_DF_GROUP		0x00000002
#define PLAN_DF_PEER		0x00000004	/* address or port */
#define PLAN_DF_PEER_AS		0x00000008
#define PLAN_DF_LOCAL_AS	0x00000010
#define PLAN_DF_SOURCE		0x00000020
#define PLAN_DF_PASSIVE		0x00000040
#define PLAN_DF_RR		0x00000080	/* rr client or cluster id */
#define PLAN_DF_TTL		0x00000100
#define PLAN_DF_PASSWORD	0x00000200
#define PLAN_DF_NEXTHOP		0x00000400
#define PLAN_DF_RESTART		0x00000800
#define PLAN_DF_KEEPALIVE	0x00001000
#define PLAN_DF_ALLOW_LOCAL_AS	0x00002000
#define PLAN_DF_FILTERS		0x00004000	/* names or their rules */
#define PLAN_DF_REACHABLE_BY	0x00008000
#define PLAN_DF_NODE		0x00010000	/* router ID, AS, listen */
#define PLAN_DF_NAME		0x00020000	/* handed over (old_name) */
#define PLAN_DF_ALL		0x0003ffff
/*
 * Changes that need no session reset, as tortied decides
 * (common/peer_conf.c): policy that ribd re-runs (filters), the
 * reachableBy host route, who dials (an established session stays), and
 * what the plan calls the session: its type, its group (it stays in the
 * sessiond that hosts it until it goes down) and its name (a session
 * handed over to the same peer address and port).  A next hop mode
 * change resets: ribd sends the routes again on the new session.
 */
#define PLAN_DF_SOFT		(PLAN_DF_FILTERS | PLAN_DF_REACHABLE_BY | \
				 PLAN_DF_PASSIVE | PLAN_DF_TYPE | \
				 PLAN_DF_GROUP | PLAN_DF_NAME)

enum plan_change {
	PLAN_UNCHANGED,
	PLAN_CHANGED,
	PLAN_ADDED,
	PLAN_REMOVED,
};

struct plan_diff_entry {
	char		 name[PLAN_NAME_MAX];
	enum plan_change change;
	uint32_t	 fields;	/* PLAN_DF_* for PLAN_CHANGED */
	char		 old_name[PLAN_NAME_MAX];	/* PLAN_DF_NAME */
	size_t		 old_idx;	/* in old->sessions; not for ADDED */
	size_t		 new_idx;	/* in new->sessions; not for REMOVED */
};

struct plan_diff {
	struct plan_diff_entry *entries;	/* sorted by name */
	size_t		 n;
	uint32_t	 node_fields;	/* PLAN_DF_NODE if node-wide changed */
	int		 export_changed;	/* pools, blocks, services... */
};

/*
 * plan_compute(resources, node, opts, plan, err, errlen) fills *plan
 * (whatever it held is overwritten: plan_free() a previous one first) and
 * returns 0; what it ignored is in plan->warnings.  It fails with -1, an
 * empty plan and a message in err only when no plan can be made: no such
 * Node, a bad router ID option, a BGPFilter beyond tortie's limits.  opts
 * may be NULL.  plan_to_json() returns a string to free(); plan_diff()
 * fills a struct plan_diff to plan_diff_free() (old may be NULL).
 */

/* plan.c */
int		 plan_compute(const struct res_set *, const char *,
		    const struct plan_opts *, struct plan *, char *, size_t);
void		 plan_free(struct plan *);
int		 plan_router_id_hash(const char *, struct bgpd_addr *);
int		 plan_addr_strcmp(const struct bgpd_addr *,
		    const struct bgpd_addr *);
void		 plan_session_name(char *, size_t, enum plan_type,
		    const struct bgpd_addr *, uint16_t);
const char	*plan_type_str(enum plan_type);
const char	*plan_nexthop_str(enum plan_nexthop);

/* plan_export.c */
int		 plan_prefix_cmp(const struct plan_prefix *,
		    const struct plan_prefix *);
void		 plan_prefix_fmt(const struct plan_prefix *, char *, size_t);

/* plan_json.c */
char		*plan_to_json(const struct plan *);
void		 plan_print_text(FILE *, const struct plan *);

/* plan_diff.c */
int		 plan_diff(const struct plan *, const struct plan *,
		    struct plan_diff *);
void		 plan_diff_free(struct plan_diff *);
const char	*plan_df_name(uint32_t);
const char	*plan_change_str(enum plan_change);

/* plan_secret.c: the only I/O of the plan */
int		 plan_secret_read(const char *, const char *, const char *,
		    char *, size_t, char *, size_t);

#endif
