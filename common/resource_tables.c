/*
 * Field tables of every resource kind: JSON names in Calico's struct
 * order, C locations, types and limits (CALICO.md section 1).  The engine
 * in resource_field.c decodes, encodes and frees from these tables.
 */
#include <stddef.h>
#include <stdint.h>

#include "resource.h"
#include "resource_int.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A field without, and with, a has_ flag. */
#define F(n, t, st, m)							\
	.name = (n), .type = (t), .off = offsetof(st, m), .has = RF_NOHAS
#define FH(n, t, st, m, h)						\
	.name = (n), .type = (t), .off = offsetof(st, m),		\
	.has = (int)offsetof(st, h)
#define CNT(st, m)	.noff = offsetof(st, m)
#define OBJDEF(name, st, chk)						\
	static const struct rf_obj name = { name##_f, NELEM(name##_f),	\
	    sizeof(st), chk }

#define PRIO_MAX	2147483646

static const char *const e_log[] = { "Trace", "Debug", "Info", "Warning",
    "Error", "Fatal", NULL };
static const char *const e_enabled[] = { "Enabled", "Disabled", NULL };
static const char *const e_bind[] = { "None", "NodeIP", NULL };
static const char *const e_cr[] = { "Enabled", "Disabled",
    "EnabledIPIPOnly", "EnabledNoEncapOnly", NULL };
static const char *const e_nh[] = { "Auto", "Self", "Keep", NULL };
static const char *const e_src[] = { "UseNodeIP", "None", NULL };
static const char *const e_rev[] = { "Auto", "Manual", NULL };
static const char *const e_fd[] = { "None", "BFDIfDirectlyConnected",
    NULL };
static const char *const e_rm[] = { "GracefulRestart",
    "LongLivedGracefulRestart", NULL };
static const char *const e_match[] = { "Equal", "NotEqual", "In", "NotIn",
    NULL };
static const char *const e_action[] = { "Accept", "Reject", NULL };
static const char *const e_fsrc[] = { "RemotePeers", NULL };
static const char *const e_ptype[] = { "eBGP", "iBGP", NULL };
static const char *const e_encap[] = { "Never", "Always", "CrossSubnet",
    NULL };
static const char *const e_use[] = { "Workload", "Tunnel", "LoadBalancer",
    NULL };
static const char *const e_assign[] = { "Automatic", "Manual", NULL };
static const char *const e_block[] = { "confirmed", "pending",
    "pendingDeletion", NULL };
static const char *const e_addrtype[] = { "CalicoNodeIP", "InternalIP",
    "ExternalIP", NULL };
static const char *const e_class[] = { "Agent", "BGP", "Routes", NULL };
static const char *const e_dstate[] = { "Ready", "NotReady", NULL };
static const char *const e_nsptype[] = { "NodeMesh", "NodePeer",
    "GlobalPeer", NULL };
static const char *const e_bstate[] = { "Idle", "Connect", "Active",
    "OpenSent", "OpenConfirm", "Established", "Close", NULL };
static const char *const e_rtype[] = { "FIB", "RIB", NULL };
static const char *const e_rsrc[] = { "Kernel", "Static", "Direct",
    "NodeMesh", "BGPPeer", NULL };

/*
 * Shared pieces.
 */

static const struct rf_field meta_f[] = {
	{ F("name", RF_STR, struct res_meta, name), .flags = RF_REQ,
	    .max = RES_NAME_MAX, .vstr = rf_valid_name },
	{ F("labels", RF_LABELS, struct res_meta, labels),
	    CNT(struct res_meta, nlabels) },
	{ F("annotations", RF_LABELS, struct res_meta, annotations),
	    CNT(struct res_meta, nannotations), .flags = RF_ANNOT },
	{ F("resourceVersion", RF_STR, struct res_meta, resource_version),
	    .max = 64 },
	{ F("uid", RF_STR, struct res_meta, uid), .max = 128 },
	{ F("creationTimestamp", RF_STR, struct res_meta,
	    creation_timestamp), .max = 64 },
};
OBJDEF(meta, struct res_meta, NULL);

static const struct rf_field secret_ref_f[] = {
	{ F("name", RF_STR, struct res_secret_ref, name), .flags = RF_REQ,
	    .max = RES_NAME_MAX, .vstr = rf_valid_name },
	{ F("key", RF_STR, struct res_secret_ref, key), .flags = RF_REQ,
	    .max = RES_NAME_MAX, .vstr = rf_valid_secret_key },
	{ FH("optional", RF_BOOL, struct res_secret_ref, optional,
	    has_optional) },
};
OBJDEF(secret_ref, struct res_secret_ref, NULL);

static const struct rf_field password_f[] = {
	{ FH("secretKeyRef", RF_OBJ, struct res_password, secret_key_ref,
	    has_secret_key_ref), .obj = &secret_ref },
};
OBJDEF(password, struct res_password, NULL);

/* An element {cidr: ...} of serviceClusterIPs and friends. */
static const struct rf_field svc_cidr_f[] = {
	{ .name = "cidr", .type = RF_CIDR, .off = 0, .has = RF_NOHAS,
	    .flags = RF_STRICT },
};
OBJDEF(svc_cidr, struct res_cidr, NULL);

/*
 * Node.
 */

static const struct rf_field node_bgp_f[] = {
	{ F("ipv4Address", RF_CIDR, struct res_node_bgp, ipv4_address),
	    .flags = RF_V4 },
	{ F("ipv6Address", RF_CIDR, struct res_node_bgp, ipv6_address),
	    .flags = RF_V6 },
	{ FH("asNumber", RF_ASN, struct res_node_bgp, as_number,
	    has_as_number) },
	{ F("ipv4IPIPTunnelAddr", RF_IP, struct res_node_bgp,
	    ipv4_ipip_tunnel_addr), .flags = RF_V4 },
	{ F("routeReflectorClusterID", RF_IP, struct res_node_bgp,
	    route_reflector_cluster_id), .flags = RF_V4 },
};
OBJDEF(node_bgp, struct res_node_bgp, rf_check_node_bgp);

/*
 * Calico documents spec.addresses[].address as strictly masked, yet
 * calico-node itself writes "172.18.0.3/16" there; host bits are allowed.
 */
static const struct rf_field node_addr_f[] = {
	{ F("address", RF_CIDR, struct res_node_addr, address),
	    .flags = RF_REQ },
	{ F("type", RF_ENUM, struct res_node_addr, type), .flags = RF_REQ,
	    .enums = e_addrtype },
};
OBJDEF(node_addr, struct res_node_addr, NULL);

static const struct rf_field orch_ref_f[] = {
	{ F("nodeName", RF_STR, struct res_orch_ref, node_name),
	    .max = RES_NAME_MAX },
	{ F("orchestrator", RF_STR, struct res_orch_ref, orchestrator),
	    .flags = RF_REQ, .max = RES_NAME_MAX },
};
OBJDEF(orch_ref, struct res_orch_ref, NULL);

static const struct rf_field node_wg_f[] = {
	{ F("interfaceIPv4Address", RF_IP, struct res_node_wireguard,
	    interface_ipv4_address), .flags = RF_V4 },
	{ F("interfaceIPv6Address", RF_IP, struct res_node_wireguard,
	    interface_ipv6_address), .flags = RF_V6 },
};
OBJDEF(node_wg, struct res_node_wireguard, NULL);

static const struct rf_field node_iface_f[] = {
	{ F("name", RF_STR, struct res_node_iface, name), .flags = RF_REQ,
	    .max = 15 },
	{ F("addresses", RF_STRLIST, struct res_node_iface, addresses),
	    CNT(struct res_node_iface, naddresses),
	    .vstr = rf_valid_ip_or_cidr },
};
OBJDEF(node_iface, struct res_node_iface, NULL);

static const struct rf_field node_spec_f[] = {
	{ FH("bgp", RF_OBJ, struct res_node_spec, bgp, has_bgp),
	    .obj = &node_bgp },
	{ F("addresses", RF_OBJLIST, struct res_node_spec, addresses),
	    CNT(struct res_node_spec, naddresses), .obj = &node_addr },
	{ F("ipv4VXLANTunnelAddr", RF_IP, struct res_node_spec,
	    ipv4_vxlan_tunnel_addr), .flags = RF_V4 },
	{ F("ipv6VXLANTunnelAddr", RF_IP, struct res_node_spec,
	    ipv6_vxlan_tunnel_addr), .flags = RF_V6 },
	{ F("vxlanTunnelMACAddr", RF_STR, struct res_node_spec,
	    vxlan_tunnel_mac_addr), .vstr = rf_valid_mac },
	{ F("vxlanTunnelMACAddrV6", RF_STR, struct res_node_spec,
	    vxlan_tunnel_mac_addr_v6), .vstr = rf_valid_mac },
	{ F("orchRefs", RF_OBJLIST, struct res_node_spec, orch_refs),
	    CNT(struct res_node_spec, norch_refs), .obj = &orch_ref },
	{ FH("wireguard", RF_OBJ, struct res_node_spec, wireguard,
	    has_wireguard), .obj = &node_wg },
	{ F("interfaces", RF_OBJLIST, struct res_node_spec, interfaces),
	    CNT(struct res_node_spec, ninterfaces), .obj = &node_iface },
};
OBJDEF(node_spec, struct res_node_spec, NULL);

static const struct rf_field node_status_f[] = {
	{ F("wireguardPublicKey", RF_STR, struct res_node_status,
	    wireguard_public_key), .max = 64 },
	{ F("wireguardPublicKeyV6", RF_STR, struct res_node_status,
	    wireguard_public_key_v6), .max = 64 },
	{ F("podCIDRs", RF_STRLIST, struct res_node_status, pod_cidrs),
	    CNT(struct res_node_status, npod_cidrs),
	    .vstr = rf_valid_ip_or_cidr },
};
OBJDEF(node_status, struct res_node_status, NULL);

static const struct rf_field node_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_node, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_node, spec), .obj = &node_spec },
	{ FH("status", RF_OBJ, struct res_node, status, has_status),
	    .obj = &node_status },
};
OBJDEF(node, struct res_node, NULL);

/*
 * BGPConfiguration.
 */

static const struct rf_field named_comm_f[] = {
	{ F("name", RF_STR, struct res_named_comm, name), .flags = RF_REQ,
	    .max = RES_NAME_MAX, .vstr = rf_valid_name },
	{ F("value", RF_COMM, struct res_named_comm, value),
	    .flags = RF_REQ },
};
OBJDEF(named_comm, struct res_named_comm, NULL);

static const struct rf_field prefix_adv_f[] = {
	{ F("cidr", RF_CIDR, struct res_prefix_adv, cidr), .flags = RF_REQ },
	{ F("communities", RF_STRLIST, struct res_prefix_adv, communities),
	    CNT(struct res_prefix_adv, ncommunities), .max = 50 },
};
OBJDEF(prefix_adv, struct res_prefix_adv, NULL);

#define BC	struct res_bgpconfig_spec
static const struct rf_field bgpconfig_spec_f[] = {
	{ F("logSeverityScreen", RF_ENUM, BC, log_severity_screen),
	    .flags = RF_ICASE, .enums = e_log },
	{ FH("nodeToNodeMeshEnabled", RF_BOOL, BC, node_to_node_mesh_enabled,
	    has_node_to_node_mesh_enabled) },
	{ FH("asNumber", RF_ASN, BC, as_number, has_as_number) },
	{ F("serviceLoadBalancerIPs", RF_OBJLIST, BC,
	    service_load_balancer_ips), CNT(BC, nservice_load_balancer_ips),
	    .obj = &svc_cidr },
	{ F("serviceExternalIPs", RF_OBJLIST, BC, service_external_ips),
	    CNT(BC, nservice_external_ips), .obj = &svc_cidr },
	{ F("serviceClusterIPs", RF_OBJLIST, BC, service_cluster_ips),
	    CNT(BC, nservice_cluster_ips), .obj = &svc_cidr },
	{ F("serviceLoadBalancerAggregation", RF_ENUM, BC,
	    service_load_balancer_aggregation), .enums = e_enabled },
	{ F("communities", RF_OBJLIST, BC, communities), CNT(BC, ncommunities),
	    .max = 500, .obj = &named_comm },
	{ F("prefixAdvertisements", RF_OBJLIST, BC, prefix_advertisements),
	    CNT(BC, nprefix_advertisements), .max = 500, .obj = &prefix_adv },
	{ F("listenPort", RF_INT, BC, listen_port), .width = RF_W_U16,
	    .min = 0, .max = 65535 },
	{ FH("nodeMeshPassword", RF_OBJ, BC, node_mesh_password,
	    has_node_mesh_password), .obj = &password },
	{ FH("nodeMeshMaxRestartTime", RF_DUR, BC, node_mesh_max_restart_time,
	    has_node_mesh_max_restart_time) },
	{ F("bindMode", RF_ENUM, BC, bind_mode), .enums = e_bind },
	{ F("ignoredInterfaces", RF_STRLIST, BC, ignored_interfaces),
	    CNT(BC, nignored_interfaces), .flags = RF_UNIQUE,
	    .vstr = rf_valid_ignored_iface },
	{ F("localWorkloadPeeringIPV4", RF_IP, BC,
	    local_workload_peering_ipv4), .flags = RF_V4 },
	{ F("localWorkloadPeeringIPV6", RF_IP, BC,
	    local_workload_peering_ipv6), .flags = RF_V6 },
	{ F("programClusterRoutes", RF_ENUM, BC, program_cluster_routes),
	    .enums = e_cr },
	{ FH("ipv4NormalRoutePriority", RF_INT, BC, ipv4_normal_route_priority,
	    has_ipv4_normal_route_priority), .width = RF_W_I32, .min = 1,
	    .max = PRIO_MAX },
	{ FH("ipv6NormalRoutePriority", RF_INT, BC, ipv6_normal_route_priority,
	    has_ipv6_normal_route_priority), .width = RF_W_I32, .min = 1,
	    .max = PRIO_MAX },
};
#undef BC
OBJDEF(bgpconfig_spec, struct res_bgpconfig_spec, rf_check_bgpconfig);

static const struct rf_field bgpconfig_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_bgpconfig, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_bgpconfig, spec),
	    .obj = &bgpconfig_spec },
};
OBJDEF(bgpconfig, struct res_bgpconfig, NULL);

/*
 * BGPPeer.
 */

#define BP	struct res_bgppeer_spec
static const struct rf_field bgppeer_spec_f[] = {
	{ F("node", RF_STR, BP, node), .max = RES_NAME_MAX,
	    .vstr = rf_valid_name },
	{ F("nodeSelector", RF_SEL, BP, node_selector),
	    .max = RES_SELECTOR_MAX },
	{ F("peerIP", RF_IPPORT, BP, peer_ip) },
	{ F("asNumber", RF_ASN, BP, as_number) },
	{ FH("localASNumber", RF_ASN, BP, local_as_number,
	    has_local_as_number) },
	{ F("peerSelector", RF_SEL, BP, peer_selector),
	    .max = RES_SELECTOR_MAX },
	{ F("keepOriginalNextHop", RF_BOOL, BP, keep_original_next_hop) },
	{ F("nextHopMode", RF_ENUM, BP, next_hop_mode), .enums = e_nh },
	{ FH("password", RF_OBJ, BP, password, has_password),
	    .obj = &password },
	{ F("sourceAddress", RF_ENUM, BP, source_address), .enums = e_src },
	{ FH("maxRestartTime", RF_DUR, BP, max_restart_time,
	    has_max_restart_time) },
	{ FH("keepaliveTime", RF_DUR, BP, keepalive_time,
	    has_keepalive_time) },
	{ FH("numAllowedLocalASNumbers", RF_INT, BP,
	    num_allowed_local_as_numbers, has_num_allowed_local_as_numbers),
	    .width = RF_W_I32, .min = 0, .max = INT32_MAX },
	{ FH("ttlSecurity", RF_INT, BP, ttl_security, has_ttl_security),
	    .width = RF_W_U8, .min = 0, .max = 255 },
	{ F("reachableBy", RF_IP, BP, reachable_by) },
	{ F("filters", RF_STRLIST, BP, filters), CNT(BP, nfilters),
	    .vstr = rf_valid_name },
	{ F("localWorkloadSelector", RF_SEL, BP, local_workload_selector),
	    .max = RES_SELECTOR_MAX },
	{ F("reversePeering", RF_ENUM, BP, reverse_peering), .enums = e_rev },
	{ F("failureDetectionMode", RF_ENUM, BP, failure_detection_mode),
	    .enums = e_fd },
	{ F("restartMode", RF_ENUM, BP, restart_mode), .enums = e_rm },
};
#undef BP
OBJDEF(bgppeer_spec, struct res_bgppeer_spec, rf_check_bgppeer);

static const struct rf_field bgppeer_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_bgppeer, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_bgppeer, spec), .obj = &bgppeer_spec },
};
OBJDEF(bgppeer, struct res_bgppeer, NULL);

/*
 * BGPFilter.
 */

static const struct rf_field plen_v4_f[] = {
	{ FH("min", RF_INT, struct res_prefix_len, min, has_min),
	    .width = RF_W_I32, .min = 0, .max = 32 },
	{ FH("max", RF_INT, struct res_prefix_len, max, has_max),
	    .width = RF_W_I32, .min = 0, .max = 32 },
};
OBJDEF(plen_v4, struct res_prefix_len, NULL);

static const struct rf_field plen_v6_f[] = {
	{ FH("min", RF_INT, struct res_prefix_len, min, has_min),
	    .width = RF_W_I32, .min = 0, .max = 128 },
	{ FH("max", RF_INT, struct res_prefix_len, max, has_max),
	    .width = RF_W_I32, .min = 0, .max = 128 },
};
OBJDEF(plen_v6, struct res_prefix_len, NULL);

static const struct rf_field comm_match_f[] = {
	{ .name = "values", .type = RF_COMM1, .off = 0, .has = RF_NOHAS,
	    .flags = RF_REQ },
};
OBJDEF(comm_match, struct res_comm, NULL);

static const struct rf_field add_comm_f[] = {
	{ .name = "value", .type = RF_COMM, .off = 0, .has = RF_NOHAS,
	    .flags = RF_REQ },
};
OBJDEF(add_comm, struct res_comm, NULL);

static const struct rf_field as_path_f[] = {
	{ F("prefix", RF_ASNLIST, struct res_as_path, prefix),
	    CNT(struct res_as_path, nprefix), .flags = RF_REQ, .min = 1,
	    .max = 10 },
};
OBJDEF(as_path, struct res_as_path, NULL);

static const struct rf_field set_prio_f[] = {
	{ .name = "value", .type = RF_INT, .off = 0, .has = RF_NOHAS,
	    .flags = RF_REQ | RF_ALWAYS, .width = RF_W_I32, .min = 1,
	    .max = PRIO_MAX },
};
OBJDEF(set_prio, int32_t, NULL);

#define FO	struct res_filter_op
static const struct rf_field filter_op_f[] = {
	{ FH("addCommunity", RF_OBJ, FO, add_community, has_add_community),
	    .obj = &add_comm },
	{ FH("prependASPath", RF_OBJ, FO, prepend_as_path,
	    has_prepend_as_path), .obj = &as_path },
	{ FH("setPriority", RF_OBJ, FO, set_priority, has_set_priority),
	    .obj = &set_prio },
};
#undef FO
OBJDEF(filter_op, struct res_filter_op, rf_check_filter_op);

#define FR	struct res_filter_rule
#define RULE_FIELDS(fam, cidrmax, plen)					\
	{ F("cidr", RF_CIDR, FR, cidr), .flags = (fam) | RF_STRICT,	\
	    .max = (cidrmax) },						\
	{ F("matchOperator", RF_ENUM, FR, match_operator),		\
	    .enums = e_match },						\
	{ FH("prefixLength", RF_OBJ, FR, prefix_length,			\
	    has_prefix_length), .obj = &(plen) },			\
	{ F("source", RF_ENUM, FR, source), .enums = e_fsrc },		\
	{ F("interface", RF_STR, FR, interface),			\
	    .vstr = rf_valid_iface },					\
	{ F("action", RF_ENUM, FR, action), .flags = RF_REQ,		\
	    .enums = e_action },					\
	{ F("peerType", RF_ENUM, FR, peer_type), .enums = e_ptype },	\
	{ FH("communities", RF_OBJ, FR, communities, has_communities),	\
	    .obj = &comm_match },					\
	{ F("asPathPrefix", RF_ASNLIST, FR, as_path_prefix),		\
	    CNT(FR, nas_path_prefix) },					\
	{ FH("priority", RF_INT, FR, priority, has_priority),		\
	    .width = RF_W_I32, .min = 1, .max = PRIO_MAX },		\
	{ F("operations", RF_OBJLIST, FR, operations),			\
	    CNT(FR, noperations), .min = 1, .max = 10,			\
	    .obj = &filter_op }

static const struct rf_field rule_v4_f[] = {
	RULE_FIELDS(RF_V4, 18, plen_v4),
};
OBJDEF(rule_v4, struct res_filter_rule, rf_check_filter_rule);

static const struct rf_field rule_v6_f[] = {
	RULE_FIELDS(RF_V6, 43, plen_v6),
};
OBJDEF(rule_v6, struct res_filter_rule, rf_check_filter_rule);
#undef FR
#undef RULE_FIELDS

#define FS	struct res_bgpfilter_spec
#define RULES(n, i, o)							\
	{ F(n, RF_OBJLIST, FS, lists[i].rules), CNT(FS, lists[i].nrules), \
	    .obj = &(o) }
static const struct rf_field bgpfilter_spec_f[] = {
	RULES("exportV4", RES_FILTER_EXPORT_V4, rule_v4),
	RULES("importV4", RES_FILTER_IMPORT_V4, rule_v4),
	RULES("exportV6", RES_FILTER_EXPORT_V6, rule_v6),
	RULES("importV6", RES_FILTER_IMPORT_V6, rule_v6),
};
#undef FS
#undef RULES
OBJDEF(bgpfilter_spec, struct res_bgpfilter_spec, NULL);

static const struct rf_field bgpfilter_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_bgpfilter, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_bgpfilter, spec),
	    .obj = &bgpfilter_spec },
};
OBJDEF(bgpfilter, struct res_bgpfilter, NULL);

/*
 * IPPool.
 */

#define IP	struct res_ippool_spec
static const struct rf_field ippool_spec_f[] = {
	{ F("cidr", RF_CIDR, IP, cidr), .flags = RF_REQ | RF_STRICT,
	    .max = 48 },
	{ F("vxlanMode", RF_ENUM, IP, vxlan_mode), .enums = e_encap },
	{ F("ipipMode", RF_ENUM, IP, ipip_mode), .enums = e_encap },
	{ F("natOutgoing", RF_BOOL, IP, nat_outgoing) },
	{ F("disabled", RF_BOOL, IP, disabled) },
	{ F("disableBGPExport", RF_BOOL, IP, disable_bgp_export) },
	{ F("blockSize", RF_INT, IP, block_size), .width = RF_W_INT,
	    .min = 0, .max = 128 },
	{ F("nodeSelector", RF_SEL, IP, node_selector) },
	{ F("namespaceSelector", RF_SEL, IP, namespace_selector) },
	{ F("allowedUses", RF_ENUMLIST, IP, allowed_uses),
	    CNT(IP, nallowed_uses), .flags = RF_UNIQUE, .enums = e_use },
	{ F("assignmentMode", RF_ENUM, IP, assignment_mode),
	    .enums = e_assign },
};
#undef IP
OBJDEF(ippool_spec, struct res_ippool_spec, rf_check_ippool);

static const struct rf_field ippool_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_ippool, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_ippool, spec), .flags = RF_REQ,
	    .obj = &ippool_spec },
	{ F("status", RF_DOC, struct res_ippool, status) },
};
OBJDEF(ippool, struct res_ippool, NULL);

/*
 * BlockAffinity.
 */

#define BA	struct res_blockaffinity_spec
static const struct rf_field blockaff_spec_f[] = {
	{ F("state", RF_ENUM, BA, state), .enums = e_block },
	{ F("node", RF_STR, BA, node), .flags = RF_REQ, .max = RES_NAME_MAX,
	    .vstr = rf_valid_name },
	{ F("cidr", RF_CIDR, BA, cidr), .flags = RF_REQ | RF_STRICT },
	{ F("deleted", RF_BOOLSTR, BA, deleted), .flags = RF_ALWAYS },
};
#undef BA
OBJDEF(blockaff_spec, struct res_blockaffinity_spec, NULL);

static const struct rf_field blockaff_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_blockaffinity, meta),
	    .flags = RF_REQ, .obj = &meta },
	{ F("spec", RF_OBJ, struct res_blockaffinity, spec), .flags = RF_REQ,
	    .obj = &blockaff_spec },
};
OBJDEF(blockaff, struct res_blockaffinity, NULL);

/*
 * CalicoNodeStatus.
 */

static const struct rf_field ns_spec_f[] = {
	{ F("node", RF_STR, struct res_ns_spec, node), .flags = RF_REQ,
	    .max = RES_NAME_MAX, .vstr = rf_valid_name },
	{ F("classes", RF_ENUMLIST, struct res_ns_spec, classes),
	    CNT(struct res_ns_spec, nclasses), .flags = RF_REQ | RF_UNIQUE,
	    .enums = e_class },
	{ FH("updatePeriodSeconds", RF_INT, struct res_ns_spec,
	    update_period_seconds, has_update_period_seconds),
	    .flags = RF_REQ, .width = RF_W_U32, .min = 0, .max = 86400 },
};
OBJDEF(ns_spec, struct res_ns_spec, NULL);

#define DS	struct res_daemon_status
static const struct rf_field daemon_f[] = {
	{ F("state", RF_ENUM, DS, state), .enums = e_dstate },
	{ F("version", RF_STR, DS, version), .max = 256 },
	{ F("routerID", RF_STR, DS, router_id), .max = 64 },
	{ F("lastBootTime", RF_STR, DS, last_boot_time), .max = 64 },
	{ F("lastReconfigurationTime", RF_STR, DS, last_reconfiguration_time),
	    .max = 64 },
};
#undef DS
OBJDEF(daemon, struct res_daemon_status, NULL);

static const struct rf_field ns_agent_f[] = {
	{ FH("birdV4", RF_OBJ, struct res_ns_agent, bird_v4, has_bird_v4),
	    .obj = &daemon },
	{ FH("birdV6", RF_OBJ, struct res_ns_agent, bird_v6, has_bird_v6),
	    .obj = &daemon },
};
OBJDEF(ns_agent, struct res_ns_agent, NULL);

static const struct rf_field ns_peer_f[] = {
	{ F("peerIP", RF_STR, struct res_ns_peer, peer_ip), .max = 64 },
	{ F("type", RF_ENUM, struct res_ns_peer, type), .enums = e_nsptype },
	{ F("state", RF_ENUM, struct res_ns_peer, state), .enums = e_bstate },
	{ F("since", RF_STR, struct res_ns_peer, since), .max = 64 },
};
OBJDEF(ns_peer, struct res_ns_peer, NULL);

#define NB	struct res_ns_bgp
static const struct rf_field ns_bgp_f[] = {
	{ F("numberEstablishedV4", RF_INT, NB, number_established_v4),
	    .flags = RF_ALWAYS, .width = RF_W_U32, .max = UINT32_MAX },
	{ F("numberNotEstablishedV4", RF_INT, NB, number_not_established_v4),
	    .flags = RF_ALWAYS, .width = RF_W_U32, .max = UINT32_MAX },
	{ F("numberEstablishedV6", RF_INT, NB, number_established_v6),
	    .flags = RF_ALWAYS, .width = RF_W_U32, .max = UINT32_MAX },
	{ F("numberNotEstablishedV6", RF_INT, NB, number_not_established_v6),
	    .flags = RF_ALWAYS, .width = RF_W_U32, .max = UINT32_MAX },
	{ F("peersV4", RF_OBJLIST, NB, peers_v4), CNT(NB, npeers_v4),
	    .obj = &ns_peer },
	{ F("peersV6", RF_OBJLIST, NB, peers_v6), CNT(NB, npeers_v6),
	    .obj = &ns_peer },
};
#undef NB
OBJDEF(ns_bgp, struct res_ns_bgp, NULL);

static const struct rf_field learned_f[] = {
	{ F("sourceType", RF_ENUM, struct res_learned_from, source_type),
	    .enums = e_rsrc },
	{ F("peerIP", RF_STR, struct res_learned_from, peer_ip), .max = 64 },
};
OBJDEF(learned, struct res_learned_from, NULL);

#define NR	struct res_ns_route
static const struct rf_field ns_route_f[] = {
	{ F("type", RF_ENUM, NR, type), .enums = e_rtype },
	{ F("destination", RF_STR, NR, destination), .max = 64 },
	{ F("gateway", RF_STR, NR, gateway), .max = 64 },
	{ F("interface", RF_STR, NR, interface), .max = 64 },
	{ FH("learnedFrom", RF_OBJ, NR, learned_from, has_learned_from),
	    .obj = &learned },
};
#undef NR
OBJDEF(ns_route, struct res_ns_route, NULL);

static const struct rf_field ns_routes_f[] = {
	{ F("routesV4", RF_OBJLIST, struct res_ns_routes, routes_v4),
	    CNT(struct res_ns_routes, nroutes_v4), .obj = &ns_route },
	{ F("routesV6", RF_OBJLIST, struct res_ns_routes, routes_v6),
	    CNT(struct res_ns_routes, nroutes_v6), .obj = &ns_route },
};
OBJDEF(ns_routes, struct res_ns_routes, NULL);

#define NS	struct res_ns_status
static const struct rf_field ns_status_f[] = {
	{ F("lastUpdated", RF_STR, NS, last_updated), .max = 64 },
	{ FH("agent", RF_OBJ, NS, agent, has_agent), .obj = &ns_agent },
	{ FH("bgp", RF_OBJ, NS, bgp, has_bgp), .obj = &ns_bgp },
	{ FH("routes", RF_OBJ, NS, routes, has_routes), .obj = &ns_routes },
};
#undef NS
OBJDEF(ns_status, struct res_ns_status, NULL);

static const struct rf_field nodestatus_f[] = {
	{ .name = "apiVersion", .type = RF_SKIP, .has = RF_NOHAS },
	{ .name = "kind", .type = RF_SKIP, .has = RF_NOHAS },
	{ F("metadata", RF_OBJ, struct res_nodestatus, meta), .flags = RF_REQ,
	    .obj = &meta },
	{ F("spec", RF_OBJ, struct res_nodestatus, spec), .flags = RF_REQ,
	    .obj = &ns_spec },
	{ FH("status", RF_OBJ, struct res_nodestatus, status, has_status),
	    .obj = &ns_status },
};
OBJDEF(nodestatus, struct res_nodestatus, NULL);

const struct rf_obj *const rf_kind_obj[RES_NKINDS] = {
	[RES_NODE] = &node,
	[RES_BGPCONFIG] = &bgpconfig,
	[RES_BGPPEER] = &bgppeer,
	[RES_BGPFILTER] = &bgpfilter,
	[RES_IPPOOL] = &ippool,
	[RES_BLOCKAFFINITY] = &blockaff,
	[RES_NODESTATUS] = &nodestatus,
};
