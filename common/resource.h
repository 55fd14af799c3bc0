/*
 * The Calico v3 resource model (apiVersion projectcalico.org/v3): typed
 * structs for Node, BGPConfiguration, BGPPeer, BGPFilter, IPPool,
 * BlockAffinity and CalicoNodeStatus with the fields, defaults and
 * validation of CALICO.md section 1, decoded from and encoded to document
 * trees (doc.h), so from and to YAML and JSON.
 *
 * Conventions of every struct below:
 *  - A char * is NULL when the field is absent (an empty string in the
 *    input counts as absent, as Go's omitempty does).
 *  - A struct bgpd_addr with af 0 is absent.
 *  - Integers, booleans and enums without a has_ flag are absent when 0;
 *    every enum has a *_UNSET member 0, and the other members follow the
 *    order of Calico's documented values.
 *  - Durations are Go durations kept in nanoseconds; res_duration_secs()
 *    rounds them to whole seconds the way Calico does.
 *  - Lists are a pointer and a count (n<field>).
 *  - Defaults are not filled in: the struct says what was written, and
 *    helpers such as res_ippool_block_size() apply Calico's defaults.
 *
 * Error messages of the decoder have the form
 *	FILE:LINE:COL: KIND NAME: FIELD.PATH: reason
 * for example
 *	bgppeers.yaml:12:5: BGPPeer rack1-tor: spec.peerSelector: cannot be
 *	combined with spec.peerIP
 */
#ifndef TORTIE_RESOURCE_H
#define TORTIE_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "selector.h"
#include "util.h"

#define RES_API_VERSION		"projectcalico.org/v3"
#define RES_NAME_MAX		253
#define RES_SELECTOR_MAX	1024	/* BGPPeer selectors, as Calico */
#define RES_DEFAULT_ASN		64512
#define RES_DEFAULT_PORT	179
#define RES_MAX_ERRORS		100	/* messages kept per res_parse() */

enum res_kind {
	RES_NODE,
	RES_BGPCONFIG,
	RES_BGPPEER,
	RES_BGPFILTER,
	RES_IPPOOL,
	RES_BLOCKAFFINITY,
	RES_NODESTATUS,
	RES_NKINDS
};

/*
 * Shared pieces.
 */

/* metadata; labels and annotations are usable directly as sel_labels. */
struct res_meta {
	char		*name;
	struct sel_label *labels;	/* owned strings */
	size_t		 nlabels;
	struct sel_label *annotations;	/* owned strings */
	size_t		 nannotations;
	char		*resource_version;
	char		*uid;
	char		*creation_timestamp;
};

/* An address with an optional prefix length, as written. */
struct res_cidr {
	struct bgpd_addr addr;		/* af 0: absent; host bits as written */
	int		 plen;		/* full length when written bare */
	int		 bare;		/* written without "/len" */
};

/* A selector: the text as written, parsed once. */
struct res_selector {
	char		*text;		/* NULL: absent */
	struct selector	*sel;		/* parsed text; NULL when absent */
};

/* A BGP community: standard aa:nn (16-bit parts) or large aa:nn:mm. */
struct res_comm {
	int		 large;
	uint32_t	 a;
	uint32_t	 b;
	uint32_t	 c;		/* large only */
};

/* k8s SecretKeySelector; tortie reads <secretsDir>/<name>/<key>. */
struct res_secret_ref {
	char		*name;
	char		*key;
	int		 has_optional;
	int		 optional;
};

/* password / nodeMeshPassword: {secretKeyRef: {...}} */
struct res_password {
	int			 has_secret_key_ref;
	struct res_secret_ref	 secret_key_ref;
};

/*
 * Node (CALICO.md 1.1).
 */

struct res_node_bgp {
	struct res_cidr	 ipv4_address;		/* host bits allowed */
	struct res_cidr	 ipv6_address;
	int		 has_as_number;
	uint32_t	 as_number;
	struct bgpd_addr ipv4_ipip_tunnel_addr;
	struct bgpd_addr route_reflector_cluster_id;	/* IPv4; af 0: none */
};

enum res_node_addr_type {
	RES_NODE_ADDR_UNSET,
	RES_NODE_ADDR_CALICO_NODE_IP,
	RES_NODE_ADDR_INTERNAL_IP,
	RES_NODE_ADDR_EXTERNAL_IP,
};

struct res_node_addr {
	struct res_cidr		 address;
	enum res_node_addr_type	 type;
};

struct res_orch_ref {
	char		*node_name;
	char		*orchestrator;
};

struct res_node_wireguard {
	struct bgpd_addr interface_ipv4_address;
	struct bgpd_addr interface_ipv6_address;
};

struct res_node_iface {
	char		*name;
	char		**addresses;	/* IP addresses or CIDRs */
	size_t		 naddresses;
};

struct res_node_spec {
	int			 has_bgp;
	struct res_node_bgp	 bgp;
	struct res_node_addr	*addresses;
	size_t			 naddresses;
	struct bgpd_addr	 ipv4_vxlan_tunnel_addr;
	struct bgpd_addr	 ipv6_vxlan_tunnel_addr;
	char			*vxlan_tunnel_mac_addr;
	char			*vxlan_tunnel_mac_addr_v6;
	struct res_orch_ref	*orch_refs;
	size_t			 norch_refs;
	int			 has_wireguard;
	struct res_node_wireguard wireguard;
	struct res_node_iface	*interfaces;
	size_t			 ninterfaces;
};

struct res_node_status {
	char		*wireguard_public_key;
	char		*wireguard_public_key_v6;
	char		**pod_cidrs;
	size_t		 npod_cidrs;
};

struct res_node {
	struct res_meta		 meta;
	struct res_node_spec	 spec;
	int			 has_status;
	struct res_node_status	 status;
};

/*
 * BGPConfiguration (CALICO.md 1.2).
 */

enum res_log_severity {
	RES_LOG_UNSET,
	RES_LOG_TRACE,
	RES_LOG_DEBUG,
	RES_LOG_INFO,
	RES_LOG_WARNING,
	RES_LOG_ERROR,
	RES_LOG_FATAL,
};

enum res_enabled {
	RES_ENABLED_UNSET,
	RES_ENABLED,
	RES_DISABLED,
};

enum res_bind_mode {
	RES_BIND_UNSET,
	RES_BIND_NONE,
	RES_BIND_NODE_IP,
};

enum res_cluster_routes {
	RES_CR_UNSET,
	RES_CR_ENABLED,
	RES_CR_DISABLED,
	RES_CR_ENABLED_IPIP_ONLY,
	RES_CR_ENABLED_NO_ENCAP_ONLY,
};

struct res_named_comm {
	char		*name;
	struct res_comm	 value;
};

struct res_prefix_adv {
	struct res_cidr	 cidr;
	char		**communities;	/* literal "aa:nn[:mm]" or a name */
	size_t		 ncommunities;
};

struct res_bgpconfig_spec {
	enum res_log_severity	 log_severity_screen;
	int			 has_node_to_node_mesh_enabled;
	int			 node_to_node_mesh_enabled;
	int			 has_as_number;
	uint32_t		 as_number;
	/* Entries with an empty cidr are kept with af 0 (Calico ignores). */
	struct res_cidr		*service_cluster_ips;
	size_t			 nservice_cluster_ips;
	struct res_cidr		*service_external_ips;
	size_t			 nservice_external_ips;
	struct res_cidr		*service_load_balancer_ips;
	size_t			 nservice_load_balancer_ips;
	enum res_enabled	 service_load_balancer_aggregation;
	struct res_named_comm	*communities;
	size_t			 ncommunities;
	struct res_prefix_adv	*prefix_advertisements;
	size_t			 nprefix_advertisements;
	uint16_t		 listen_port;		/* 0: unset */
	int			 has_node_mesh_password;
	struct res_password	 node_mesh_password;
	int			 has_node_mesh_max_restart_time;
	int64_t			 node_mesh_max_restart_time;	/* ns */
	enum res_bind_mode	 bind_mode;
	char			**ignored_interfaces;
	size_t			 nignored_interfaces;
	struct bgpd_addr	 local_workload_peering_ipv4;
	struct bgpd_addr	 local_workload_peering_ipv6;
	enum res_cluster_routes	 program_cluster_routes;
	int			 has_ipv4_normal_route_priority;
	int32_t			 ipv4_normal_route_priority;
	int			 has_ipv6_normal_route_priority;
	int32_t			 ipv6_normal_route_priority;
};

struct res_bgpconfig {
	struct res_meta			 meta;
	struct res_bgpconfig_spec	 spec;
};

/*
 * BGPPeer (CALICO.md 1.3).
 */

enum res_next_hop_mode {
	RES_NH_UNSET,
	RES_NH_AUTO,
	RES_NH_SELF,
	RES_NH_KEEP,
};

enum res_source_addr {
	RES_SRC_UNSET,		/* = UseNodeIP */
	RES_SRC_USE_NODE_IP,
	RES_SRC_NONE,
};

enum res_reverse_peering {
	RES_REV_UNSET,		/* = Auto */
	RES_REV_AUTO,
	RES_REV_MANUAL,
};

/* Calico Enterprise fields, accepted (tortie decision 5). */
enum res_failure_detection {
	RES_FD_UNSET,
	RES_FD_NONE,
	RES_FD_BFD_IF_DIRECTLY_CONNECTED,
};

enum res_restart_mode {
	RES_RM_UNSET,
	RES_RM_GRACEFUL_RESTART,
	RES_RM_LONG_LIVED_GRACEFUL_RESTART,
};

/* peerIP: "ip", "ipv4:port" or "[ipv6]:port". */
struct res_ip_port {
	struct bgpd_addr addr;		/* af 0: absent */
	uint16_t	 port;		/* 0: no port written */
};

struct res_bgppeer_spec {
	char			*node;
	struct res_selector	 node_selector;
	struct res_ip_port	 peer_ip;
	uint32_t		 as_number;		/* 0: unset */
	int			 has_local_as_number;
	uint32_t		 local_as_number;
	struct res_selector	 peer_selector;
	int			 keep_original_next_hop;
	enum res_next_hop_mode	 next_hop_mode;
	int			 has_password;
	struct res_password	 password;
	enum res_source_addr	 source_address;
	int			 has_max_restart_time;
	int64_t			 max_restart_time;	/* ns */
	int			 has_keepalive_time;
	int64_t			 keepalive_time;	/* ns */
	int			 has_num_allowed_local_as_numbers;
	int32_t			 num_allowed_local_as_numbers;
	int			 has_ttl_security;
	uint8_t			 ttl_security;
	struct bgpd_addr	 reachable_by;
	char			**filters;
	size_t			 nfilters;
	struct res_selector	 local_workload_selector;
	enum res_reverse_peering reverse_peering;
	enum res_failure_detection failure_detection_mode;
	enum res_restart_mode	 restart_mode;
};

struct res_bgppeer {
	struct res_meta		 meta;
	struct res_bgppeer_spec	 spec;
};

/*
 * BGPFilter (CALICO.md 1.4).
 */

enum res_match_op {
	RES_MATCH_UNSET,
	RES_MATCH_EQUAL,
	RES_MATCH_NOT_EQUAL,
	RES_MATCH_IN,
	RES_MATCH_NOT_IN,
};

enum res_filter_action {
	RES_ACTION_UNSET,
	RES_ACTION_ACCEPT,
	RES_ACTION_REJECT,
};

enum res_filter_source {
	RES_FSRC_UNSET,
	RES_FSRC_REMOTE_PEERS,
};

enum res_peer_type {
	RES_PT_UNSET,
	RES_PT_EBGP,
	RES_PT_IBGP,
};

struct res_prefix_len {
	int		 has_min;
	int32_t		 min;
	int		 has_max;
	int32_t		 max;
};

struct res_as_path {
	uint32_t	*prefix;
	size_t		 nprefix;
};

/* Exactly one of the three is set. */
struct res_filter_op {
	int		 has_add_community;
	struct res_comm	 add_community;		/* addCommunity.value */
	int		 has_prepend_as_path;
	struct res_as_path prepend_as_path;	/* prependASPath.prefix */
	int		 has_set_priority;
	int32_t		 set_priority;		/* setPriority.value */
};

struct res_filter_rule {
	struct res_cidr		 cidr;		/* strictly masked */
	enum res_match_op	 match_operator;
	int			 has_prefix_length;
	struct res_prefix_len	 prefix_length;
	enum res_filter_source	 source;
	char			*interface;
	enum res_filter_action	 action;
	enum res_peer_type	 peer_type;
	int			 has_communities;
	struct res_comm		 communities;	/* communities.values[0] */
	uint32_t		*as_path_prefix;
	size_t			 nas_path_prefix;
	int			 has_priority;
	int32_t			 priority;
	struct res_filter_op	*operations;
	size_t			 noperations;
};

enum res_filter_list {
	RES_FILTER_EXPORT_V4,
	RES_FILTER_IMPORT_V4,
	RES_FILTER_EXPORT_V6,
	RES_FILTER_IMPORT_V6,
	RES_FILTER_NLISTS
};

struct res_filter_rules {
	struct res_filter_rule	*rules;
	size_t			 nrules;
};

struct res_bgpfilter_spec {
	struct res_filter_rules	 lists[RES_FILTER_NLISTS];
};

struct res_bgpfilter {
	struct res_meta			 meta;
	struct res_bgpfilter_spec	 spec;
};

/*
 * IPPool (CALICO.md 1.5).
 */

enum res_encap_mode {
	RES_ENCAP_UNSET,	/* = Never */
	RES_ENCAP_NEVER,
	RES_ENCAP_ALWAYS,
	RES_ENCAP_CROSS_SUBNET,
};

enum res_allowed_use {
	RES_USE_UNSET,
	RES_USE_WORKLOAD,
	RES_USE_TUNNEL,
	RES_USE_LOAD_BALANCER,
};

enum res_assign_mode {
	RES_ASSIGN_UNSET,	/* = Automatic */
	RES_ASSIGN_AUTOMATIC,
	RES_ASSIGN_MANUAL,
};

struct res_ippool_spec {
	struct res_cidr		 cidr;		/* strictly masked */
	enum res_encap_mode	 ipip_mode;
	enum res_encap_mode	 vxlan_mode;
	int			 nat_outgoing;
	int			 disabled;
	int			 disable_bgp_export;
	int			 block_size;	/* 0: default 26 / 122 */
	struct res_selector	 node_selector;	/* absent: all() */
	struct res_selector	 namespace_selector;
	enum res_allowed_use	*allowed_uses;	/* absent: Workload, Tunnel */
	size_t			 nallowed_uses;
	enum res_assign_mode	 assignment_mode;
};

struct res_ippool {
	struct res_meta		 meta;
	struct res_ippool_spec	 spec;
	struct doc_node		*status;	/* kept as written, or NULL */
};

/*
 * BlockAffinity (INTERFACES.md).
 */

enum res_block_state {
	RES_BLOCK_UNSET,	/* old data: implicitly confirmed */
	RES_BLOCK_CONFIRMED,
	RES_BLOCK_PENDING,
	RES_BLOCK_PENDING_DELETION,
};

struct res_blockaffinity_spec {
	char			*node;
	struct res_cidr		 cidr;		/* strictly masked */
	enum res_block_state	 state;
	int			 deleted;	/* written "true"/"false" */
};

struct res_blockaffinity {
	struct res_meta			 meta;
	struct res_blockaffinity_spec	 spec;
};

/*
 * CalicoNodeStatus (CALICO.md 1.6).
 */

enum res_ns_class {
	RES_NSC_UNSET,
	RES_NSC_AGENT,
	RES_NSC_BGP,
	RES_NSC_ROUTES,
};

enum res_daemon_state {
	RES_DS_UNSET,
	RES_DS_READY,
	RES_DS_NOT_READY,
};

enum res_ns_peer_type {
	RES_NSP_UNSET,
	RES_NSP_NODE_MESH,
	RES_NSP_NODE_PEER,
	RES_NSP_GLOBAL_PEER,
};

enum res_bgp_state {
	RES_BS_UNSET,
	RES_BS_IDLE,
	RES_BS_CONNECT,
	RES_BS_ACTIVE,
	RES_BS_OPEN_SENT,
	RES_BS_OPEN_CONFIRM,
	RES_BS_ESTABLISHED,
	RES_BS_CLOSE,
};

enum res_route_type {
	RES_RT_UNSET,
	RES_RT_FIB,
	RES_RT_RIB,
};

enum res_route_source {
	RES_RS_UNSET,
	RES_RS_KERNEL,
	RES_RS_STATIC,
	RES_RS_DIRECT,
	RES_RS_NODE_MESH,
	RES_RS_BGP_PEER,
};

struct res_ns_spec {
	char			*node;
	enum res_ns_class	*classes;	/* in the order written */
	size_t			 nclasses;
	int			 has_update_period_seconds;
	uint32_t		 update_period_seconds;
};

struct res_daemon_status {
	enum res_daemon_state	 state;
	char			*version;
	char			*router_id;
	char			*last_boot_time;
	char			*last_reconfiguration_time;
};

struct res_ns_agent {
	int			 has_bird_v4;
	struct res_daemon_status bird_v4;
	int			 has_bird_v6;
	struct res_daemon_status bird_v6;
};

struct res_ns_peer {
	char			*peer_ip;
	enum res_ns_peer_type	 type;
	enum res_bgp_state	 state;
	char			*since;
};

struct res_ns_bgp {
	uint32_t		 number_established_v4;
	uint32_t		 number_not_established_v4;
	uint32_t		 number_established_v6;
	uint32_t		 number_not_established_v6;
	struct res_ns_peer	*peers_v4;
	size_t			 npeers_v4;
	struct res_ns_peer	*peers_v6;
	size_t			 npeers_v6;
};

struct res_learned_from {
	enum res_route_source	 source_type;
	char			*peer_ip;
};

struct res_ns_route {
	enum res_route_type	 type;
	char			*destination;
	char			*gateway;
	char			*interface;
	int			 has_learned_from;
	struct res_learned_from	 learned_from;
};

struct res_ns_routes {
	struct res_ns_route	*routes_v4;
	size_t			 nroutes_v4;
	struct res_ns_route	*routes_v6;
	size_t			 nroutes_v6;
};

struct res_ns_status {
	char			*last_updated;	/* RFC 3339 UTC */
	int			 has_agent;
	struct res_ns_agent	 agent;
	int			 has_bgp;
	struct res_ns_bgp	 bgp;
	int			 has_routes;
	struct res_ns_routes	 routes;
};

struct res_nodestatus {
	struct res_meta		 meta;
	struct res_ns_spec	 spec;
	int			 has_status;
	struct res_ns_status	 status;
};

/*
 * One resource of any kind, with where it came from.
 */
struct resource {
	enum res_kind		 kind;
	char			*file;		/* NULL when not from a file */
	int			 line;		/* of the document, 1-based */
	int			 col;
	union {
		struct res_node		 node;
		struct res_bgpconfig	 bgpconfig;
		struct res_bgppeer	 bgppeer;
		struct res_bgpfilter	 bgpfilter;
		struct res_ippool	 ippool;
		struct res_blockaffinity blockaffinity;
		struct res_nodestatus	 nodestatus;
	} u;
};

/* Resources in input order (what a file or a list held). */
struct res_list {
	struct resource		*items;
	size_t			 n;
};

/* Error messages, each "FILE:LINE:COL: KIND NAME: FIELD: reason". */
struct res_errors {
	char			**msgs;
	size_t			 n;
	size_t			 dropped;	/* beyond RES_MAX_ERRORS */
};

/*
 * A set of resources, one array per kind, names unique per kind.  Adding
 * may move the arrays: pointers into them stay valid only until the next
 * res_set_add().
 */
struct res_set {
	struct res_node			*nodes;
	size_t				 nnodes;
	struct res_bgpconfig		*bgpconfigs;
	size_t				 nbgpconfigs;
	struct res_bgppeer		*bgppeers;
	size_t				 nbgppeers;
	struct res_bgpfilter		*bgpfilters;
	size_t				 nbgpfilters;
	struct res_ippool		*ippools;
	size_t				 nippools;
	struct res_blockaffinity	*blockaffinities;
	size_t				 nblockaffinities;
	struct res_nodestatus		*nodestatuses;
	size_t				 nnodestatuses;
};

/* resource.c: kinds, parsing, encoding, lifetime */
int		 res_kind_lookup(const char *, enum res_kind *);
const char	*res_kind_name(enum res_kind);
const char	*res_kind_plural(enum res_kind);
const char	*res_kind_list_name(enum res_kind);

int		 res_parse(const char *, size_t, const char *,
		    struct res_list *, struct res_errors *);
int		 res_decode(const struct doc_node *, const char *,
		    struct res_list *, struct res_errors *);
struct doc_node	*res_encode(const struct resource *);
struct doc_node	*res_encode_list(enum res_kind, const struct resource *,
		    size_t, const char *);
char		*res_to_yaml(const struct resource *);
char		*res_to_json(const struct resource *, int);
int		 res_equal(const struct resource *, const struct resource *);

struct res_meta	*res_meta(struct resource *);
const struct res_meta *res_meta_const(const struct resource *);
const char	*res_name(const struct resource *);
void		 res_free(struct resource *);
void		 res_list_free(struct res_list *);
void		 res_errors_free(struct res_errors *);

void		 res_set_init(struct res_set *);
int		 res_set_add(struct res_set *, struct resource *, int);
int		 res_set_add_list(struct res_set *, struct res_list *, int,
		    struct res_errors *);
int		 res_set_remove(struct res_set *, enum res_kind, const char *);
void		 res_set_free(struct res_set *);
struct res_node	*res_set_node(const struct res_set *, const char *);
struct res_bgpconfig *res_set_bgpconfig(const struct res_set *,
		    const char *);
struct res_bgppeer *res_set_bgppeer(const struct res_set *, const char *);
struct res_bgpfilter *res_set_bgpfilter(const struct res_set *,
		    const char *);
struct res_ippool *res_set_ippool(const struct res_set *, const char *);
struct res_blockaffinity *res_set_blockaffinity(const struct res_set *,
		    const char *);
struct res_nodestatus *res_set_nodestatus(const struct res_set *,
		    const char *);

/* resource_validate.c: rules between resources of a set */
int		 res_set_check(const struct res_set *, struct res_errors *);

/* resource_util.c: values and Calico defaults */
int		 res_asn_parse(const char *, uint32_t *);
int		 res_duration_parse(const char *, int64_t *);
void		 res_duration_fmt(int64_t, char *, size_t);
int64_t		 res_duration_secs(int64_t);
int		 res_comm_parse(const char *, struct res_comm *);
void		 res_comm_fmt(const struct res_comm *, char *, size_t);
int		 res_comm_resolve(const struct res_bgpconfig_spec *,
		    const char *, struct res_comm *);
void		 res_cidr_fmt(const struct res_cidr *, char *, size_t);
void		 res_ip_port_fmt(const struct res_ip_port *, char *, size_t);
const struct bgpd_addr *res_node_ip(const struct res_node *, int);
int		 res_node_asn(const struct res_node *, uint32_t *);
int		 res_bgppeer_is_global(const struct res_bgppeer *);
int		 res_ippool_block_size(const struct res_ippool *);
int		 res_ippool_allows(const struct res_ippool *,
		    enum res_allowed_use);
const char	*res_enum_str(const char *const *, int);

#endif
