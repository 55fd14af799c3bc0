/*
 * The Calico resource model: every kind's full example decodes and
 * encodes back to the same document, YAML -> struct -> YAML/JSON ->
 * struct round trips, values (AS numbers, durations, peerIP forms), kind
 * names, <Kind>List documents, sets, and bad inputs with their exact
 * error messages.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc.h"
#include "resource.h"

static const char ex_node[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: Node\n"
    "metadata:\n"
    "  name: kube-master\n"
    "  labels:\n"
    "    routeReflector: \"true\"\n"
    "    kubernetes.io/hostname: kube-master\n"
    "  annotations:\n"
    "    example.com/note: \"free text: anything, even 'quotes'\"\n"
    "  resourceVersion: \"1234\"\n"
    "  uid: 0b4d3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b\n"
    "  creationTimestamp: \"2024-01-02T03:04:05Z\"\n"
    "spec:\n"
    "  bgp:\n"
    "    ipv4Address: 10.192.0.2/16\n"
    "    ipv6Address: fd5f::2/64\n"
    "    asNumber: 64512\n"
    "    ipv4IPIPTunnelAddr: 192.168.221.65\n"
    "    routeReflectorClusterID: 244.0.0.1\n"
    "  addresses:\n"
    "    - address: 10.192.0.2/16\n"
    "      type: CalicoNodeIP\n"
    "    - address: 10.192.0.2\n"
    "      type: InternalIP\n"
    "  ipv4VXLANTunnelAddr: 192.168.221.66\n"
    "  ipv6VXLANTunnelAddr: fd00:1::1\n"
    "  vxlanTunnelMACAddr: 66:5e:cf:0a:1b:2c\n"
    "  vxlanTunnelMACAddrV6: 66:5e:cf:0a:1b:2d\n"
    "  orchRefs:\n"
    "    - nodeName: kube-master\n"
    "      orchestrator: k8s\n"
    "  wireguard:\n"
    "    interfaceIPv4Address: 192.168.221.67\n"
    "    interfaceIPv6Address: fd00:2::1\n"
    "  interfaces:\n"
    "    - name: eth0\n"
    "      addresses:\n"
    "        - 10.192.0.2/16\n"
    "        - fd5f::2\n"
    "status:\n"
    "  wireguardPublicKey: jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=\n"
    "  wireguardPublicKeyV6: jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgZ=\n"
    "  podCIDRs:\n"
    "    - 192.168.0.0/24\n";

static const char ex_bgpconfig[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPConfiguration\n"
    "metadata:\n"
    "  name: default\n"
    "spec:\n"
    "  logSeverityScreen: Info\n"
    "  nodeToNodeMeshEnabled: true\n"
    "  asNumber: 64512\n"
    "  serviceLoadBalancerIPs:\n"
    "    - cidr: 198.18.100.0/24\n"
    "  serviceExternalIPs:\n"
    "    - cidr: 198.18.101.0/24\n"
    "    - cidr: 2001:db8:101::/112\n"
    "  serviceClusterIPs:\n"
    "    - cidr: 10.96.0.0/12\n"
    "  serviceLoadBalancerAggregation: Enabled\n"
    "  communities:\n"
    "    - name: bgp-large-community\n"
    "      value: 63400:300:100\n"
    "    - name: std\n"
    "      value: 65001:100\n"
    "  prefixAdvertisements:\n"
    "    - cidr: 198.19.0.0/16\n"
    "      communities:\n"
    "        - bgp-large-community\n"
    "        - 63400:120\n"
    "        - std\n"
    "  listenPort: 179\n"
    "  nodeMeshPassword:\n"
    "    secretKeyRef:\n"
    "      name: bgp-secrets\n"
    "      key: mesh-password\n"
    "  nodeMeshMaxRestartTime: 2m0s\n"
    "  bindMode: NodeIP\n"
    "  ignoredInterfaces:\n"
    "    - iface-1\n"
    "    - eth*\n"
    "  localWorkloadPeeringIPV4: 169.254.0.179\n"
    "  localWorkloadPeeringIPV6: fe80::179\n"
    "  programClusterRoutes: EnabledNoEncapOnly\n"
    "  ipv4NormalRoutePriority: 1024\n"
    "  ipv6NormalRoutePriority: 1024\n";

static const char ex_bgppeer[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPPeer\n"
    "metadata:\n"
    "  name: rack1-tor\n"
    "spec:\n"
    "  nodeSelector: rack == 'rack-1'\n"
    "  peerIP: 198.18.0.254:1179\n"
    "  asNumber: 65001\n"
    "  localASNumber: 64513\n"
    "  nextHopMode: Self\n"
    "  password:\n"
    "    secretKeyRef:\n"
    "      name: bgp-secrets\n"
    "      key: rack1-tor\n"
    "      optional: true\n"
    "  sourceAddress: None\n"
    "  maxRestartTime: 2m0s\n"
    "  keepaliveTime: 20s\n"
    "  numAllowedLocalASNumbers: 1\n"
    "  ttlSecurity: 2\n"
    "  reachableBy: 198.18.0.1\n"
    "  filters:\n"
    "    - export-pools\n"
    "  reversePeering: Manual\n"
    "  failureDetectionMode: BFDIfDirectlyConnected\n"
    "  restartMode: GracefulRestart\n"
    "---\n"
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPPeer\n"
    "metadata:\n"
    "  name: rr-clients\n"
    "spec:\n"
    "  node: kube-node-2\n"
    "  peerSelector: \"!has(routeReflector)\"\n"
    "  keepOriginalNextHop: true\n"
    "  ttlSecurity: 0\n"
    "---\n"
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPPeer\n"
    "metadata:\n"
    "  name: workloads\n"
    "spec:\n"
    "  localWorkloadSelector: app == 'bgp-speaker'\n"
    "  asNumber: 65010\n"
    "  restartMode: LongLivedGracefulRestart\n"
    "---\n"
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPPeer\n"
    "metadata:\n"
    "  name: v6-tor\n"
    "spec:\n"
    "  peerIP: \"[2001:db8::57]:50\"\n"
    "  asNumber: 65002\n"
    "  reachableBy: 2001:db8::1\n"
    "  nextHopMode: Keep\n";

static const char ex_bgpfilter[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: BGPFilter\n"
    "metadata:\n"
    "  name: export-pools\n"
    "spec:\n"
    "  exportV4:\n"
    "    - cidr: 198.19.0.0/16\n"
    "      matchOperator: In\n"
    "      prefixLength:\n"
    "        min: 24\n"
    "        max: 26\n"
    "      source: RemotePeers\n"
    "      interface: eth*\n"
    "      action: Accept\n"
    "      peerType: eBGP\n"
    "      communities:\n"
    "        values:\n"
    "          - 65000:100\n"
    "      asPathPrefix:\n"
    "        - 65001\n"
    "        - 65002\n"
    "      priority: 512\n"
    "      operations:\n"
    "        - addCommunity:\n"
    "            value: 65000:200:300\n"
    "        - prependASPath:\n"
    "            prefix:\n"
    "              - 64512\n"
    "              - 64512\n"
    "        - setPriority:\n"
    "            value: 100\n"
    "    - action: Reject\n"
    "  importV4:\n"
    "    - cidr: 10.0.0.0/8\n"
    "      matchOperator: NotIn\n"
    "      action: Reject\n"
    "  exportV6:\n"
    "    - cidr: 2001:db8::/32\n"
    "      matchOperator: Equal\n"
    "      prefixLength:\n"
    "        max: 64\n"
    "      action: Accept\n"
    "  importV6:\n"
    "    - interface: \"*\"\n"
    "      peerType: iBGP\n"
    "      action: Reject\n";

static const char ex_ippool[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: IPPool\n"
    "metadata:\n"
    "  name: pool-a\n"
    "spec:\n"
    "  cidr: 198.19.0.0/16\n"
    "  vxlanMode: Never\n"
    "  ipipMode: CrossSubnet\n"
    "  natOutgoing: true\n"
    "  disabled: true\n"
    "  disableBGPExport: true\n"
    "  blockSize: 26\n"
    "  nodeSelector: all()\n"
    "  namespaceSelector: \"!has(legacy)\"\n"
    "  allowedUses:\n"
    "    - Workload\n"
    "    - Tunnel\n"
    "  assignmentMode: Automatic\n"
    "status:\n"
    "  conditions:\n"
    "    - type: Allocatable\n"
    "      status: \"True\"\n"
    "---\n"
    "apiVersion: projectcalico.org/v3\n"
    "kind: IPPool\n"
    "metadata:\n"
    "  name: lb-v6\n"
    "spec:\n"
    "  cidr: 2001:db8:1::/64\n"
    "  blockSize: 120\n"
    "  allowedUses:\n"
    "    - LoadBalancer\n"
    "  assignmentMode: Manual\n";

static const char ex_blockaffinity[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: BlockAffinity\n"
    "metadata:\n"
    "  name: kube-master-198-19-0-0-26\n"
    "spec:\n"
    "  state: confirmed\n"
    "  node: kube-master\n"
    "  cidr: 198.19.0.0/26\n"
    "  deleted: \"false\"\n";

static const char ex_nodestatus[] =
    "apiVersion: projectcalico.org/v3\n"
    "kind: CalicoNodeStatus\n"
    "metadata:\n"
    "  name: kube-master-status\n"
    "spec:\n"
    "  node: kube-master\n"
    "  classes:\n"
    "    - Agent\n"
    "    - BGP\n"
    "    - Routes\n"
    "  updatePeriodSeconds: 10\n"
    "status:\n"
    "  lastUpdated: \"2021-09-19T20:10:56Z\"\n"
    "  agent:\n"
    "    birdV4:\n"
    "      state: Ready\n"
    "      version: v0.3.3+birdv1.6.8\n"
    "      routerID: 172.17.0.3\n"
    "      lastBootTime: \"2021-09-19 20:10:56\"\n"
    "      lastReconfigurationTime: \"2021-09-19 20:10:56\"\n"
    "    birdV6:\n"
    "      state: NotReady\n"
    "  bgp:\n"
    "    numberEstablishedV4: 1\n"
    "    numberNotEstablishedV4: 0\n"
    "    numberEstablishedV6: 0\n"
    "    numberNotEstablishedV6: 0\n"
    "    peersV4:\n"
    "      - peerIP: 172.17.8.102\n"
    "        type: NodeMesh\n"
    "        state: Established\n"
    "        since: \"2016-11-21\"\n"
    "  routes:\n"
    "    routesV4:\n"
    "      - type: FIB\n"
    "        destination: 192.168.110.128/26\n"
    "        gateway: 172.17.0.5\n"
    "        interface: eth0\n"
    "        learnedFrom:\n"
    "          sourceType: NodeMesh\n"
    "          peerIP: 172.17.0.5\n";

static void
print_errors(const struct res_errors *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		print_message("error: %s\n", e->msgs[i]);
}

static void
parse_ok(const char *text, const char *file, struct res_list *l)
{
	struct res_errors	 e;

	memset(&e, 0, sizeof(e));
	memset(l, 0, sizeof(*l));
	if (res_parse(text, strlen(text), file, l, &e) != 0) {
		print_errors(&e);
		fail_msg("%s: parse failed", file);
	}
	assert_int_equal(e.n, 0);
	res_errors_free(&e);
}

/* Re-parse a printed form and compare each resource. */
static void
reparse_equal(const struct res_list *l, const char *text)
{
	struct res_list	 again;
	size_t		 i;

	parse_ok(text, "again", &again);
	assert_int_equal(again.n, l->n);
	for (i = 0; i < l->n; i++)
		if (!res_equal(&l->items[i], &again.items[i]))
			fail_msg("round trip of %s differs:\n%s",
			    res_name(&l->items[i]), text);
	res_list_free(&again);
}

/*
 * The full example decodes; encoding gives back the same documents (the
 * examples are written in canonical form); YAML and JSON round trips.
 */
static void
check_example(const char *text, enum res_kind kind, size_t count)
{
	struct res_list		 l;
	struct doc_stream	 st;
	struct doc_node		*enc;
	char			 err[256], *y, *j;
	size_t			 i;

	parse_ok(text, "example.yaml", &l);
	assert_int_equal(l.n, count);
	assert_int_equal(doc_parse(text, strlen(text), "x", NULL, &st, err,
	    sizeof(err)), 0);
	assert_int_equal(st.n, count);
	for (i = 0; i < l.n; i++) {
		assert_int_equal(l.items[i].kind, kind);
		assert_string_equal(l.items[i].file, "example.yaml");
		enc = res_encode(&l.items[i]);
		if (!doc_equal(enc, st.docs[i])) {
			y = doc_to_yaml(enc);
			fail_msg("encoding of %s differs:\n%s",
			    res_name(&l.items[i]), y);
		}
		doc_free(enc);
		y = res_to_yaml(&l.items[i]);
		j = res_to_json(&l.items[i], 0);
		{
			struct res_list	 one = { &l.items[i], 1 };

			reparse_equal(&one, y);
			reparse_equal(&one, j);
		}
		free(y);
		free(j);
		j = res_to_json(&l.items[i], 1);
		{
			struct res_list	 one = { &l.items[i], 1 };

			reparse_equal(&one, j);
		}
		free(j);
	}
	doc_stream_free(&st);
	res_list_free(&l);
}

static void
test_example_node(void **state)
{
	struct res_list		 l;
	const struct res_node	*n;
	char			 buf[64];
	uint32_t		 asn;

	(void)state;
	check_example(ex_node, RES_NODE, 1);
	parse_ok(ex_node, "n.yaml", &l);
	n = &l.items[0].u.node;
	assert_string_equal(n->meta.name, "kube-master");
	assert_int_equal(n->meta.nlabels, 2);
	assert_string_equal(n->meta.labels[0].key, "routeReflector");
	assert_string_equal(n->meta.labels[0].value, "true");
	assert_true(n->spec.has_bgp);
	assert_int_equal(n->spec.bgp.ipv4_address.plen, 16);
	assert_non_null(res_node_ip(n, AF_INET));
	assert_non_null(res_node_ip(n, AF_INET6));
	assert_int_equal(res_node_asn(n, &asn), 0);
	assert_int_equal(asn, 64512);
	res_cidr_fmt(&n->spec.bgp.ipv4_address, buf, sizeof(buf));
	assert_string_equal(buf, "10.192.0.2/16");
	assert_int_equal(n->spec.bgp.route_reflector_cluster_id.af, AF_INET);
	assert_int_equal(n->spec.addresses[1].type, RES_NODE_ADDR_INTERNAL_IP);
	assert_true(n->spec.addresses[1].address.bare);
	assert_true(n->has_status);
	assert_int_equal(l.items[0].line, 1);
	res_list_free(&l);
}

static void
test_example_bgpconfig(void **state)
{
	struct res_list			 l;
	const struct res_bgpconfig	*c;
	struct res_comm			 comm;

	(void)state;
	check_example(ex_bgpconfig, RES_BGPCONFIG, 1);
	parse_ok(ex_bgpconfig, "c.yaml", &l);
	c = &l.items[0].u.bgpconfig;
	assert_int_equal(c->spec.log_severity_screen, RES_LOG_INFO);
	assert_true(c->spec.has_node_to_node_mesh_enabled);
	assert_true(c->spec.node_to_node_mesh_enabled);
	assert_int_equal(c->spec.as_number, 64512);
	assert_int_equal(c->spec.nservice_external_ips, 2);
	assert_int_equal(c->spec.service_external_ips[1].addr.af, AF_INET6);
	assert_int_equal(c->spec.listen_port, 179);
	assert_int_equal(res_duration_secs(
	    c->spec.node_mesh_max_restart_time), 120);
	assert_string_equal(c->spec.node_mesh_password.secret_key_ref.key,
	    "mesh-password");
	assert_int_equal(c->spec.bind_mode, RES_BIND_NODE_IP);
	assert_int_equal(c->spec.program_cluster_routes,
	    RES_CR_ENABLED_NO_ENCAP_ONLY);
	assert_int_equal(res_comm_resolve(&c->spec, "bgp-large-community",
	    &comm), 0);
	assert_true(comm.large);
	assert_int_equal(comm.c, 100);
	assert_int_equal(res_comm_resolve(&c->spec, "1:2", &comm), 0);
	assert_int_equal(res_comm_resolve(&c->spec, "nope", &comm), -1);
	res_list_free(&l);
}

static void
test_example_bgppeer(void **state)
{
	struct res_list			 l;
	const struct res_bgppeer	*p;
	char				 buf[64];

	(void)state;
	check_example(ex_bgppeer, RES_BGPPEER, 4);
	parse_ok(ex_bgppeer, "p.yaml", &l);
	p = &l.items[0].u.bgppeer;
	assert_non_null(p->spec.node_selector.sel);
	assert_int_equal(p->spec.peer_ip.port, 1179);
	assert_int_equal(p->spec.as_number, 65001);
	assert_true(p->spec.has_local_as_number);
	assert_int_equal(p->spec.next_hop_mode, RES_NH_SELF);
	assert_int_equal(p->spec.source_address, RES_SRC_NONE);
	assert_int_equal(res_duration_secs(p->spec.keepalive_time), 20);
	assert_int_equal(p->spec.ttl_security, 2);
	assert_int_equal(p->spec.nfilters, 1);
	assert_int_equal(p->spec.failure_detection_mode,
	    RES_FD_BFD_IF_DIRECTLY_CONNECTED);
	assert_false(res_bgppeer_is_global(p));
	assert_int_equal(l.items[0].line, 1);
	assert_int_equal(l.items[1].line, 28);
	p = &l.items[1].u.bgppeer;
	assert_true(p->spec.has_ttl_security);
	assert_int_equal(p->spec.ttl_security, 0);
	assert_true(p->spec.keep_original_next_hop);
	p = &l.items[2].u.bgppeer;
	assert_true(res_bgppeer_is_global(p));
	p = &l.items[3].u.bgppeer;
	assert_int_equal(p->spec.peer_ip.addr.af, AF_INET6);
	assert_int_equal(p->spec.peer_ip.port, 50);
	res_ip_port_fmt(&p->spec.peer_ip, buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8::57]:50");
	res_list_free(&l);
}

static void
test_example_bgpfilter(void **state)
{
	struct res_list			 l;
	const struct res_filter_rule	*r;

	(void)state;
	check_example(ex_bgpfilter, RES_BGPFILTER, 1);
	parse_ok(ex_bgpfilter, "f.yaml", &l);
	r = &l.items[0].u.bgpfilter.spec.lists[RES_FILTER_EXPORT_V4].rules[0];
	assert_int_equal(l.items[0].u.bgpfilter.spec.lists[
	    RES_FILTER_EXPORT_V4].nrules, 2);
	assert_int_equal(r->match_operator, RES_MATCH_IN);
	assert_int_equal(r->prefix_length.min, 24);
	assert_int_equal(r->noperations, 3);
	assert_true(r->operations[0].add_community.large);
	assert_int_equal(r->operations[1].prepend_as_path.nprefix, 2);
	assert_int_equal(r->operations[2].set_priority, 100);
	assert_int_equal(r->communities.a, 65000);
	res_list_free(&l);
}

static void
test_example_ippool(void **state)
{
	struct res_list		 l;
	const struct res_ippool	*p;

	(void)state;
	check_example(ex_ippool, RES_IPPOOL, 2);
	parse_ok(ex_ippool, "i.yaml", &l);
	p = &l.items[0].u.ippool;
	assert_int_equal(p->spec.ipip_mode, RES_ENCAP_CROSS_SUBNET);
	assert_int_equal(res_ippool_block_size(p), 26);
	assert_true(res_ippool_allows(p, RES_USE_WORKLOAD));
	assert_false(res_ippool_allows(p, RES_USE_LOAD_BALANCER));
	assert_non_null(p->status);
	p = &l.items[1].u.ippool;
	assert_int_equal(res_ippool_block_size(p), 120);
	assert_true(res_ippool_allows(p, RES_USE_LOAD_BALANCER));
	res_list_free(&l);
}

static void
test_example_blockaffinity(void **state)
{
	struct res_list	 l;

	(void)state;
	check_example(ex_blockaffinity, RES_BLOCKAFFINITY, 1);
	parse_ok(ex_blockaffinity, "b.yaml", &l);
	assert_int_equal(l.items[0].u.blockaffinity.spec.state,
	    RES_BLOCK_CONFIRMED);
	assert_false(l.items[0].u.blockaffinity.spec.deleted);
	res_list_free(&l);
}

static void
test_example_nodestatus(void **state)
{
	struct res_list			 l;
	const struct res_nodestatus	*s;

	(void)state;
	check_example(ex_nodestatus, RES_NODESTATUS, 1);
	parse_ok(ex_nodestatus, "s.yaml", &l);
	s = &l.items[0].u.nodestatus;
	assert_int_equal(s->spec.nclasses, 3);
	assert_int_equal(s->spec.classes[1], RES_NSC_BGP);
	assert_int_equal(s->spec.update_period_seconds, 10);
	assert_int_equal(s->status.bgp.peers_v4[0].state, RES_BS_ESTABLISHED);
	assert_int_equal(s->status.routes.routes_v4[0].learned_from.source_type,
	    RES_RS_NODE_MESH);
	res_list_free(&l);
}

#define HDR(kind, name)							\
	"apiVersion: projectcalico.org/v3\n"				\
	"kind: " kind "\n"						\
	"metadata:\n"							\
	"  name: " name "\n"						\
	"spec:\n"

/* Bad inputs and the one exact message each must give. */
static const struct bad_case {
	const char	*input;
	const char	*error;
} bad_cases[] = {
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: 198.18.0.1\n"
	    "  peerSelector: has(tor)\n",
	    "bad.yaml:7:3: BGPPeer rack1-tor: spec.peerSelector: "
	    "cannot be combined with spec.peerIP" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  node: node1\n"
	    "  nodeSelector: has(tor)\n",
	    "bad.yaml:7:3: BGPPeer rack1-tor: spec.nodeSelector: "
	    "cannot be combined with spec.node" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerSelector: has(tor)\n"
	    "  asNumber: 65001\n",
	    "bad.yaml:7:3: BGPPeer rack1-tor: spec.asNumber: cannot "
	    "be combined with spec.peerSelector (the selected nodes' "
	    "AS numbers apply)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  localWorkloadSelector: has(app)\n"
	    "  peerIP: 198.18.0.1\n"
	    "  asNumber: 65001\n",
	    "bad.yaml:6:3: BGPPeer rack1-tor: "
	    "spec.localWorkloadSelector: cannot be combined with "
	    "spec.peerIP" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  localWorkloadSelector: has(app)\n",
	    "bad.yaml:6:3: BGPPeer rack1-tor: "
	    "spec.localWorkloadSelector: requires spec.asNumber" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  reachableBy: 198.18.0.1\n",
	    "bad.yaml:6:3: BGPPeer rack1-tor: spec.reachableBy: "
	    "requires spec.peerIP" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: 198.18.0.2\n"
	    "  reachableBy: 2001:db8::1\n",
	    "bad.yaml:7:3: BGPPeer rack1-tor: spec.reachableBy: "
	    "address family differs from spec.peerIP" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  keepOriginalNextHop: true\n"
	    "  nextHopMode: Keep\n",
	    "bad.yaml:6:3: BGPPeer rack1-tor: "
	    "spec.keepOriginalNextHop: cannot be combined with "
	    "spec.nextHopMode" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: 198.18.0.300\n",
	    "bad.yaml:6:11: BGPPeer rack1-tor: spec.peerIP: "
	    "'198.18.0.300' is not an IP address, IPv4:port or "
	    "[IPv6]:port" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: 198.18.0.1:0\n",
	    "bad.yaml:6:11: BGPPeer rack1-tor: spec.peerIP: invalid "
	    "port in '198.18.0.1:0' (1..65535)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: \"[2001:db8::1]\"\n",
	    "bad.yaml:6:11: BGPPeer rack1-tor: spec.peerIP: "
	    "'[2001:db8::1]' is not an IP address, IPv4:port or "
	    "[IPv6]:port" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  asNumber: 1.10\n",
	    "bad.yaml:6:13: BGPPeer rack1-tor: spec.asNumber: asdot "
	    "AS number 1.10 must be quoted (\"1.10\")" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  asNumber: 4294967296\n",
	    "bad.yaml:6:13: BGPPeer rack1-tor: spec.asNumber: AS "
	    "number 4294967296 is out of range (0..4294967295)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  asNumber: \"65536.1\"\n",
	    "bad.yaml:6:13: BGPPeer rack1-tor: spec.asNumber: "
	    "invalid AS number '65536.1' (expected asplain \"64512\" "
	    "or asdot \"1.10\")" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  asNumber: -1\n",
	    "bad.yaml:6:13: BGPPeer rack1-tor: spec.asNumber: AS "
	    "number -1 is out of range (0..4294967295)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  maxRestartTime: \"90\"\n",
	    "bad.yaml:6:19: BGPPeer rack1-tor: spec.maxRestartTime: "
	    "invalid duration '90' (expected e.g. \"90s\" or "
	    "\"1m30s\")" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  maxRestartTime: -5s\n",
	    "bad.yaml:6:19: BGPPeer rack1-tor: spec.maxRestartTime: "
	    "duration '-5s' is negative" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  ttlSecurity: 256\n",
	    "bad.yaml:6:16: BGPPeer rack1-tor: spec.ttlSecurity: 256 "
	    "is out of range (0..255)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  nextHopMode: self\n",
	    "bad.yaml:6:16: BGPPeer rack1-tor: spec.nextHopMode: "
	    "invalid value 'self' (expected one of Auto, Self, Keep)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerAS: 65001\n",
	    "bad.yaml:6:3: BGPPeer rack1-tor: spec.peerAS: unknown "
	    "field" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  nodeSelector: !has(tor)\n",
	    "bad.yaml:6:17: YAML tag '!has(tor)' is not supported "
	    "(quote the value if it is a selector such as "
	    "\"!has(label)\")" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  nodeSelector: \"rack = 'a'\"\n",
	    "bad.yaml:6:17: BGPPeer rack1-tor: spec.nodeSelector: "
	    "invalid selector 'rack = 'a'': column 6: unexpected "
	    "'=', expected '=='" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerSelector: \"a == 'b' || a == 'b' || a == 'b' || a "
	    "== 'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' "
	    "|| a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || a == 'b' || a == 'b' || a == "
	    "'b' || a == 'b' || a == 'b' || a == 'b' || a == 'b' || "
	    "a == 'b' || a == 'b' || c == 'd'\"\n",
	    "bad.yaml:6:17: BGPPeer rack1-tor: spec.peerSelector: "
	    "selector longer than 1024 characters" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  filters:\n"
	    "    - export\n"
	    "    - Bad_Filter\n",
	    "bad.yaml:8:7: BGPPeer rack1-tor: spec.filters[1]: "
	    "'Bad_Filter' is not a valid name (lower-case letters, "
	    "digits, '-' and '.', starting and ending with a letter "
	    "or digit, at most 253 characters)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  node: Node_1\n",
	    "bad.yaml:6:9: BGPPeer rack1-tor: spec.node: 'Node_1' is "
	    "not a valid name (lower-case letters, digits, '-' and "
	    "'.', starting and ending with a letter or digit, at "
	    "most 253 characters)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  password:\n"
	    "    secretKeyRef:\n"
	    "      name: s\n"
	    "      key: ../x\n",
	    "bad.yaml:9:12: BGPPeer rack1-tor: "
	    "spec.password.secretKeyRef.key: '../x' is not a valid "
	    "Secret key (letters, digits, '-', '_' and '.', not '.' "
	    "or '..')" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  password:\n"
	    "    secretKeyRef:\n"
	    "      name: s\n",
	    "bad.yaml:8:7: BGPPeer rack1-tor: "
	    "spec.password.secretKeyRef.key: required field is "
	    "missing" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeer\n"
	    "metadata:\n"
	    "  labels: {}\n"
	    "spec: {}\n",
	    "bad.yaml:4:3: BGPPeer (no name): metadata.name: "
	    "required field is missing" },
	{
	    HDR("BGPPeer", "Rack1"),
	    "bad.yaml:4:9: BGPPeer Rack1: metadata.name: 'Rack1' is "
	    "not a valid name (lower-case letters, digits, '-' and "
	    "'.', starting and ending with a letter or digit, at "
	    "most 253 characters)" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeer\n"
	    "metadata:\n"
	    "  name: a\n"
	    "  namespace: default\n",
	    "bad.yaml:5:3: BGPPeer a: metadata.namespace: unknown "
	    "field" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: a\n"
	    "  labels:\n"
	    "    rack: 1\n",
	    "bad.yaml:6:11: Node a: metadata.labels.rack: expected a "
	    "string, got an integer '1' (quote it)" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: a\n"
	    "  labels:\n"
	    "    bad key: x\n",
	    "bad.yaml:6:5: Node a: metadata.labels.bad key: key is "
	    "not a valid label key (at most 63 letters, digits, '-', "
	    "'_' and '.', starting and ending with a letter or "
	    "digit, after an optional DNS-subdomain prefix and '/')" },
	{
	    "apiVersion: projectcalico.org/v1\n"
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: a\n",
	    "bad.yaml:1:13: Node a: apiVersion: must be "
	    "projectcalico.org/v3" },
	{
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: a\n",
	    "bad.yaml:1:1: Node a: apiVersion: required field is "
	    "missing" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeers\n"
	    "metadata:\n"
	    "  name: a\n",
	    "bad.yaml:2:7: kind: unknown resource kind 'BGPPeers'" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "metadata:\n"
	    "  name: a\n",
	    "bad.yaml:1:1: kind: required field is missing" },
	{
	    "- apiVersion: projectcalico.org/v3\n",
	    "bad.yaml:1:1: expected a resource (a map with "
	    "apiVersion, kind, metadata and spec), got a list" },
	{
	    HDR("BGPConfiguration", "node.node1")
	    "  listenPort: 178\n"
	    "  asNumber: 65001\n",
	    "bad.yaml:7:3: BGPConfiguration node.node1: "
	    "spec.asNumber: can only be set on the BGPConfiguration "
	    "named default" },
	{
	    HDR("BGPConfiguration", "node.node1")
	    "  nodeToNodeMeshEnabled: false\n",
	    "bad.yaml:6:3: BGPConfiguration node.node1: "
	    "spec.nodeToNodeMeshEnabled: can only be set on the "
	    "BGPConfiguration named default" },
	{
	    HDR("BGPConfiguration", "default")
	    "  nodeToNodeMeshEnabled: false\n"
	    "  nodeMeshPassword:\n"
	    "    secretKeyRef:\n"
	    "      name: s\n"
	    "      key: k\n",
	    "bad.yaml:7:3: BGPConfiguration default: "
	    "spec.nodeMeshPassword: cannot be set when "
	    "spec.nodeToNodeMeshEnabled is false" },
	{
	    HDR("BGPConfiguration", "default")
	    "  logSeverityScreen: Verbose\n",
	    "bad.yaml:6:22: BGPConfiguration default: "
	    "spec.logSeverityScreen: invalid value 'Verbose' "
	    "(expected one of Trace, Debug, Info, Warning, Error, "
	    "Fatal)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  listenPort: 70000\n",
	    "bad.yaml:6:15: BGPConfiguration default: "
	    "spec.listenPort: 70000 is out of range (0..65535)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  serviceClusterIPs:\n"
	    "    - cidr: 10.96.0.1/12\n",
	    "bad.yaml:7:13: BGPConfiguration default: "
	    "spec.serviceClusterIPs[0].cidr: CIDR '10.96.0.1/12' is "
	    "not strictly masked (expected 10.96.0.0/12)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  communities:\n"
	    "    - name: c1\n"
	    "      value: 65536:1\n",
	    "bad.yaml:8:14: BGPConfiguration default: "
	    "spec.communities[0].value: invalid community '65536:1' "
	    "(expected aa:nn with 16-bit parts or aa:nn:mm with "
	    "32-bit parts)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  communities:\n"
	    "    - name: c1\n"
	    "      value: 65000:1\n"
	    "  prefixAdvertisements:\n"
	    "    - cidr: 198.19.0.0/16\n"
	    "      communities: [c1, c2]\n",
	    "bad.yaml:11:25: BGPConfiguration default: "
	    "spec.prefixAdvertisements[0].communities[1]: 'c2' is "
	    "neither a community nor a name defined in "
	    "spec.communities" },
	{
	    HDR("BGPConfiguration", "default")
	    "  communities:\n"
	    "    - name: c1\n"
	    "      value: 65000:1\n",
	    "bad.yaml:6:3: BGPConfiguration default: "
	    "spec.communities: requires spec.prefixAdvertisements" },
	{
	    HDR("BGPConfiguration", "default")
	    "  ignoredInterfaces: [\"*\"]\n",
	    "bad.yaml:6:23: BGPConfiguration default: "
	    "spec.ignoredInterfaces[0]: '*' is not allowed ('*' "
	    "would ignore every interface)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  ignoredInterfaces: [eth0, eth0]\n",
	    "bad.yaml:6:29: BGPConfiguration default: "
	    "spec.ignoredInterfaces[1]: duplicate value 'eth0'" },
	{
	    HDR("Node", "node1")
	    "  bgp: {}\n",
	    "bad.yaml:6:8: Node node1: spec.bgp: must not be empty" },
	{
	    HDR("Node", "node1")
	    "  bgp:\n"
	    "    ipv4Address: fd5f::2/64\n",
	    "bad.yaml:7:18: Node node1: spec.bgp.ipv4Address: "
	    "'fd5f::2/64' is not a valid IPv4 CIDR" },
	{
	    HDR("Node", "node1")
	    "  bgp:\n"
	    "    routeReflectorClusterID: abcdef\n",
	    "bad.yaml:7:30: Node node1: "
	    "spec.bgp.routeReflectorClusterID: 'abcdef' is not an "
	    "IPv4 address" },
	{
	    HDR("Node", "node1")
	    "  vxlanTunnelMACAddr: 66:5e:cf:0a:1b\n",
	    "bad.yaml:6:23: Node node1: spec.vxlanTunnelMACAddr: "
	    "'66:5e:cf:0a:1b' is not a valid MAC address" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.1/16\n",
	    "bad.yaml:6:9: IPPool pool1: spec.cidr: CIDR "
	    "'198.19.0.1/16' is not strictly masked (expected "
	    "198.19.0.0/16)" },
	{
	    HDR("IPPool", "pool1")
	    "  ipipMode: Always\n",
	    "bad.yaml:6:3: IPPool pool1: spec.cidr: required field "
	    "is missing" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 2001:db8::/64\n"
	    "  ipipMode: Always\n",
	    "bad.yaml:7:3: IPPool pool1: spec.ipipMode: IPIP is not "
	    "supported on IPv6 pools" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  ipipMode: Always\n"
	    "  vxlanMode: CrossSubnet\n",
	    "bad.yaml:8:3: IPPool pool1: spec.vxlanMode: cannot be "
	    "enabled together with spec.ipipMode" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  blockSize: 19\n",
	    "bad.yaml:7:3: IPPool pool1: spec.blockSize: must be "
	    "20..32 for an IPv4 pool" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/28\n",
	    "bad.yaml:6:3: IPPool pool1: spec.cidr: prefix length "
	    "/28 is longer than the block size 26" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 169.254.1.0/24\n",
	    "bad.yaml:6:3: IPPool pool1: spec.cidr: overlaps the "
	    "link-local range 169.254.0.0/16" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  nodeSelector: global()\n",
	    "bad.yaml:7:3: IPPool pool1: spec.nodeSelector: global() "
	    "is not allowed in an IPPool selector" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  allowedUses: [LoadBalancer, Workload]\n",
	    "bad.yaml:7:3: IPPool pool1: spec.allowedUses: "
	    "LoadBalancer cannot be combined with Workload or Tunnel" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  allowedUses: [Workload, Workload]\n",
	    "bad.yaml:7:27: IPPool pool1: spec.allowedUses[1]: "
	    "duplicate value 'Workload'" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - cidr: 10.0.0.0/8\n"
	    "      action: Accept\n",
	    "bad.yaml:7:7: BGPFilter f1: spec.exportV4[0].cidr: "
	    "requires matchOperator" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - matchOperator: In\n"
	    "      action: Accept\n",
	    "bad.yaml:7:7: BGPFilter f1: "
	    "spec.exportV4[0].matchOperator: requires cidr" },
	{
	    HDR("BGPFilter", "f1")
	    "  importV4:\n"
	    "    - cidr: 10.0.0.0/8\n"
	    "      matchOperator: In\n"
	    "      prefixLength:\n"
	    "        min: 33\n"
	    "      action: Accept\n",
	    "bad.yaml:10:14: BGPFilter f1: "
	    "spec.importV4[0].prefixLength.min: 33 is out of range "
	    "(0..32)" },
	{
	    HDR("BGPFilter", "f1")
	    "  importV4:\n"
	    "    - source: RemotePeers\n",
	    "bad.yaml:7:7: BGPFilter f1: spec.importV4[0].action: "
	    "required field is missing" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - action: Reject\n"
	    "      operations:\n"
	    "        - setPriority:\n"
	    "            value: 10\n",
	    "bad.yaml:8:7: BGPFilter f1: "
	    "spec.exportV4[0].operations: only allowed with action "
	    "Accept" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - action: Accept\n"
	    "      operations:\n"
	    "        - setPriority:\n"
	    "            value: 10\n"
	    "          addCommunity:\n"
	    "            value: 1:2\n",
	    "bad.yaml:9:11: BGPFilter f1: "
	    "spec.exportV4[0].operations[0]: must set exactly one of "
	    "addCommunity, prependASPath and setPriority" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - action: Accept\n"
	    "      communities:\n"
	    "        values: [\"1:2\", \"3:4\"]\n",
	    "bad.yaml:9:17: BGPFilter f1: "
	    "spec.exportV4[0].communities.values: must hold exactly "
	    "one community, not 2" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - cidr: 2001:db8::/32\n"
	    "      matchOperator: In\n"
	    "      action: Accept\n",
	    "bad.yaml:7:13: BGPFilter f1: spec.exportV4[0].cidr: "
	    "'2001:db8::/32' is not a valid IPv4 CIDR" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV6:\n"
	    "    - interface: abcdefghijklmnop\n"
	    "      action: Accept\n",
	    "bad.yaml:7:18: BGPFilter f1: "
	    "spec.exportV6[0].interface: 'abcdefghijklmnop' is not a "
	    "valid interface name or pattern (1 to 15 of letters, "
	    "digits, '_', '.', '*' and '-')" },
	{
	    HDR("BlockAffinity", "ba1")
	    "  node: n1\n"
	    "  cidr: 198.19.0.0/26\n"
	    "  state: active\n",
	    "bad.yaml:8:10: BlockAffinity ba1: spec.state: invalid "
	    "value 'active' (expected one of confirmed, pending, "
	    "pendingDeletion)" },
	{
	    HDR("CalicoNodeStatus", "s1")
	    "  node: n1\n"
	    "  classes: [BGP, BGP]\n"
	    "  updatePeriodSeconds: 10\n",
	    "bad.yaml:7:18: CalicoNodeStatus s1: spec.classes[1]: "
	    "duplicate value 'BGP'" },
	{
	    HDR("CalicoNodeStatus", "s1")
	    "  node: n1\n"
	    "  classes: [BGP]\n"
	    "  updatePeriodSeconds: 90000\n",
	    "bad.yaml:8:24: CalicoNodeStatus s1: "
	    "spec.updatePeriodSeconds: 90000 is out of range "
	    "(0..86400)" },
	{
	    HDR("CalicoNodeStatus", "s1")
	    "  node: n1\n"
	    "  classes: [BGP]\n",
	    "bad.yaml:6:3: CalicoNodeStatus s1: "
	    "spec.updatePeriodSeconds: required field is missing" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeerList\n"
	    "items:\n"
	    "  - kind: Node\n"
	    "    metadata:\n"
	    "      name: a\n",
	    "bad.yaml:4:11: BGPPeerList: items[0].kind: must be "
	    "BGPPeer" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: 198.18.0.1\n"
	    "  asNumber: 65001\n"
	    "  peerIP: 198.18.0.2\n",
	    "bad.yaml:8:3: duplicate map key 'peerIP' (first at line "
	    "6)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  keepOriginalNextHop: \"yes\"\n",
	    "bad.yaml:6:24: BGPPeer rack1-tor: "
	    "spec.keepOriginalNextHop: expected a boolean, got a "
	    "string" },
	{
	    "{\"apiVersion\": \"projectcalico.org/v3\", \"kind\": "
	    "\"BGPPeer\",\n"
	    " \"metadata\": {\"name\": \"j1\"},\n"
	    " \"spec\": {\"asNumber\": true}}\n",
	    "bad.yaml:3:23: BGPPeer j1: spec.asNumber: expected an "
	    "AS number, got a boolean" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  sourceAddress: UseNodeIp\n",
	    "bad.yaml:6:18: BGPPeer rack1-tor: spec.sourceAddress: "
	    "invalid value 'UseNodeIp' (expected one of UseNodeIP, "
	    "None)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  numAllowedLocalASNumbers: -1\n",
	    "bad.yaml:6:29: BGPPeer rack1-tor: "
	    "spec.numAllowedLocalASNumbers: -1 is out of range "
	    "(0..2147483647)" },
	{
	    HDR("BGPConfiguration", "default")
	    "  prefixAdvertisements:\n"
	    "    - communities: [\"1:2\"]\n",
	    "bad.yaml:7:7: BGPConfiguration default: "
	    "spec.prefixAdvertisements[0].cidr: required field is "
	    "missing" },
	{
	    HDR("IPPool", "pool1")
	    "  cidr: 198.19.0.0/16\n"
	    "  allowedUses: [LoadBalancer]\n"
	    "  nodeSelector: has(x)\n",
	    "bad.yaml:8:3: IPPool pool1: spec.nodeSelector: must be "
	    "all() for a LoadBalancer pool" },
	{
	    HDR("BGPFilter", "f1")
	    "  exportV4:\n"
	    "    - action: Accept\n"
	    "      asPathPrefix: [65001, \"1.99999\"]\n",
	    "bad.yaml:8:29: BGPFilter f1: "
	    "spec.exportV4[0].asPathPrefix[1]: invalid AS number "
	    "'1.99999' (expected asplain \"64512\" or asdot \"1.10\")" },
	{
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: a\n"
	    "  labels:\n"
	    "    rack: \"-bad\"\n",
	    "bad.yaml:6:11: Node a: metadata.labels.rack: '-bad' is "
	    "not a valid label value (at most 63 letters, digits, "
	    "'-', '_' and '.', starting and ending with a letter or "
	    "digit)" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  peerIP: \"11111111111111111111111111111111111111111111"
	    "11111111111111111111111111\"\n",
	    "bad.yaml:6:11: BGPPeer rack1-tor: spec.peerIP: longer "
	    "than 64 characters" },
	{
	    HDR("BGPPeer", "rack1-tor")
	    "  keepaliveTime: 3x\n",
	    "bad.yaml:6:18: BGPPeer rack1-tor: spec.keepaliveTime: "
	    "invalid duration '3x' (expected e.g. \"90s\" or "
	    "\"1m30s\")" },
};

static void
test_bad_inputs(void **state)
{
	struct res_list		 l;
	struct res_errors	 e;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		memset(&l, 0, sizeof(l));
		memset(&e, 0, sizeof(e));
		if (res_parse(bad_cases[i].input, strlen(bad_cases[i].input),
		    "bad.yaml", &l, &e) != -1)
			fail_msg("case %zu: accepted", i);
		assert_int_equal(l.n, 0);
		if (e.n != 1 || strcmp(e.msgs[0], bad_cases[i].error) != 0) {
			print_errors(&e);
			fail_msg("case %zu: want %s", i, bad_cases[i].error);
		}
		res_errors_free(&e);
		res_list_free(&l);
	}
	/* The brief asks for at least 40. */
	assert_true(sizeof(bad_cases) / sizeof(bad_cases[0]) >= 40);
}

static void
test_kinds(void **state)
{
	static const struct {
		const char	*name;
		enum res_kind	 kind;
	} names[] = {
		{ "node", RES_NODE }, { "Nodes", RES_NODE },
		{ "no", RES_NODE }, { "BGPConfiguration", RES_BGPCONFIG },
		{ "bgpconfigurations", RES_BGPCONFIG },
		{ "bgpconfig", RES_BGPCONFIG }, { "BGPCONFIGS", RES_BGPCONFIG },
		{ "bgppeer", RES_BGPPEER }, { "bgppeers", RES_BGPPEER },
		{ "bgpp", RES_BGPPEER }, { "bgpps", RES_BGPPEER },
		{ "bp", RES_BGPPEER }, { "bps", RES_BGPPEER },
		{ "bgpfilter", RES_BGPFILTER }, { "bgpfilters", RES_BGPFILTER },
		{ "ippool", RES_IPPOOL }, { "ippools", RES_IPPOOL },
		{ "ipp", RES_IPPOOL }, { "ipps", RES_IPPOOL },
		{ "pool", RES_IPPOOL }, { "Pools", RES_IPPOOL },
		{ "blockaffinity", RES_BLOCKAFFINITY },
		{ "blockaffinities", RES_BLOCKAFFINITY },
		{ "caliconodestatus", RES_NODESTATUS },
		{ "CalicoNodeStatuses", RES_NODESTATUS },
	};
	enum res_kind	 k;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (res_kind_lookup(names[i].name, &k) != 0 ||
		    k != names[i].kind)
			fail_msg("%s", names[i].name);
	}
	assert_int_equal(res_kind_lookup("bgppeerz", &k), -1);
	assert_int_equal(res_kind_lookup("", &k), -1);
	assert_string_equal(res_kind_name(RES_BGPCONFIG), "BGPConfiguration");
	assert_string_equal(res_kind_plural(RES_NODE), "nodes");
	assert_string_equal(res_kind_plural(RES_BGPCONFIG),
	    "bgpconfigurations");
	assert_string_equal(res_kind_plural(RES_BLOCKAFFINITY),
	    "blockaffinities");
	assert_string_equal(res_kind_plural(RES_NODESTATUS),
	    "caliconodestatuses");
	assert_string_equal(res_kind_list_name(RES_IPPOOL), "IPPoolList");
}

static void
test_values(void **state)
{
	static const struct {
		const char	*in;
		int64_t		 ns;
		const char	*out;
		int64_t		 secs;
	} durs[] = {
		{ "1m30s", 90000000000LL, "1m30s", 90 },
		{ "240s", 240000000000LL, "4m0s", 240 },
		{ "1h", 3600000000000LL, "1h0m0s", 3600 },
		{ "1.5s", 1500000000LL, "1.5s", 2 },
		{ "2.5s", 2500000000LL, "2.5s", 3 },
		{ "1.4s", 1400000000LL, "1.4s", 1 },
		{ "500ms", 500000000LL, "500ms", 1 },
		{ "499ms", 499000000LL, "499ms", 0 },
		{ "0", 0, "0s", 0 },
		{ "10us", 10000LL, "10\xc2\xb5s", 0 },
		{ "10\xce\xbcs", 10000LL, "10\xc2\xb5s", 0 },
		{ "3ns", 3, "3ns", 0 },
		{ "1h2m3.25s", 3723250000000LL, "1h2m3.25s", 3723 },
		{ ".5m", 30000000000LL, "30s", 30 },
		{ "2562047h47m16.854775807s", INT64_MAX,
		    "2562047h47m16.854775807s", 9223372037LL },
	};
	static const char *const baddur[] = { "", "s", "10", "1x", "1.s.",
	    "--1s", "2562047h47m16.854775808s", "9999999999h", ".s",
	    "1 s" };
	static const struct {
		const char	*in;
		uint32_t	 asn;
	} asns[] = {
		{ "64512", 64512 }, { "1.10", 65546 }, { "0.0", 0 },
		{ "65535.65535", UINT32_MAX }, { "4294967295", UINT32_MAX },
	};
	static const char *const badasn[] = { "", "-1", "+1", "4294967296",
	    "65536.0", "1.65536", "1.2.3", "1.", ".1", "0x10", " 1" };
	struct res_comm	 c;
	char		 buf[64];
	int64_t		 ns;
	uint32_t	 asn;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		if (res_duration_parse(durs[i].in, &ns) != 0 ||
		    ns != durs[i].ns)
			fail_msg("duration %s", durs[i].in);
		res_duration_fmt(ns, buf, sizeof(buf));
		assert_string_equal(buf, durs[i].out);
		assert_int_equal(res_duration_secs(ns), durs[i].secs);
	}
	for (i = 0; i < sizeof(baddur) / sizeof(baddur[0]); i++)
		if (res_duration_parse(baddur[i], &ns) != -1)
			fail_msg("duration %s accepted", baddur[i]);
	assert_int_equal(res_duration_parse("-1.5s", &ns), 0);
	assert_int_equal(ns, -1500000000LL);
	assert_int_equal(res_duration_secs(ns), -2);
	res_duration_fmt(ns, buf, sizeof(buf));
	assert_string_equal(buf, "-1.5s");
	for (i = 0; i < sizeof(asns) / sizeof(asns[0]); i++) {
		if (res_asn_parse(asns[i].in, &asn) != 0 || asn != asns[i].asn)
			fail_msg("asn %s", asns[i].in);
	}
	for (i = 0; i < sizeof(badasn) / sizeof(badasn[0]); i++)
		if (res_asn_parse(badasn[i], &asn) != -1)
			fail_msg("asn %s accepted", badasn[i]);
	assert_int_equal(res_comm_parse("65535:65535", &c), 0);
	assert_false(c.large);
	res_comm_fmt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "65535:65535");
	assert_int_equal(res_comm_parse("4294967295:0:7", &c), 0);
	assert_true(c.large);
	res_comm_fmt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "4294967295:0:7");
	assert_int_equal(res_comm_parse("65536:1", &c), -1);
	assert_int_equal(res_comm_parse("1:2:3:4", &c), -1);
	assert_int_equal(res_comm_parse("1:", &c), -1);
	assert_int_equal(res_comm_parse("a:b", &c), -1);
}

/* AS numbers as int or string, in every spelling, and peerIP forms. */
static void
test_asn_and_peerip_forms(void **state)
{
	static const char text[] =
	    HDR("BGPPeer", "a")
	    "  peerIP: 198.18.0.1\n"
	    "  asNumber: \"64512\"\n"
	    "  localASNumber: \"1.10\"\n"
	    "---\n"
	    "{\"apiVersion\": \"projectcalico.org/v3\", \"kind\": \"BGPPeer\","
	    " \"metadata\": {\"name\": \"b\"}, \"spec\": {\"peerIP\": "
	    "\"2001:db8::1\", \"asNumber\": 4200000000}}\n";
	struct res_list	 l;
	char		*y;

	(void)state;
	parse_ok(text, "forms.yaml", &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].u.bgppeer.spec.as_number, 64512);
	assert_int_equal(l.items[0].u.bgppeer.spec.local_as_number, 65546);
	assert_int_equal(l.items[0].u.bgppeer.spec.peer_ip.port, 0);
	assert_int_equal(l.items[1].u.bgppeer.spec.as_number, 4200000000U);
	assert_int_equal(l.items[1].u.bgppeer.spec.peer_ip.addr.af, AF_INET6);
	assert_int_equal(l.items[1].line, 10);
	/* AS numbers are always written as plain integers. */
	y = res_to_yaml(&l.items[0]);
	assert_non_null(strstr(y, "  asNumber: 64512\n"));
	assert_non_null(strstr(y, "  localASNumber: 65546\n"));
	free(y);
	res_list_free(&l);
}

static void
test_list_documents(void **state)
{
	static const char text[] =
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeerList\n"
	    "metadata:\n"
	    "  resourceVersion: \"42\"\n"
	    "items:\n"
	    "  - apiVersion: projectcalico.org/v3\n"
	    "    kind: BGPPeer\n"
	    "    metadata:\n"
	    "      name: p1\n"
	    "    spec:\n"
	    "      peerIP: 198.18.0.1\n"
	    "      asNumber: 65001\n"
	    "  - metadata:\n"
	    "      name: p2\n"
	    "    spec:\n"
	    "      peerSelector: has(rr)\n"
	    "---\n"
	    "---\n"
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: IPPoolList\n"
	    "items: []\n"
	    "---\n"
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: Node\n"
	    "metadata:\n"
	    "  name: n1\n";
	struct res_list	 l;
	struct doc_node	*d;
	char		*j;

	(void)state;
	parse_ok(text, "list.yaml", &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(res_name(&l.items[0]), "p1");
	assert_string_equal(res_name(&l.items[1]), "p2");
	assert_int_equal(l.items[1].line, 13);
	assert_int_equal(l.items[1].col, 5);
	assert_int_equal(l.items[2].kind, RES_NODE);
	d = res_encode_list(RES_BGPPEER, l.items, 2, "42");
	j = doc_to_json(d, 0);
	assert_string_equal(j, "{\"apiVersion\":\"projectcalico.org/v3\","
	    "\"kind\":\"BGPPeerList\",\"metadata\":{\"resourceVersion\":"
	    "\"42\"},\"items\":[{\"apiVersion\":\"projectcalico.org/v3\","
	    "\"kind\":\"BGPPeer\",\"metadata\":{\"name\":\"p1\"},\"spec\":"
	    "{\"peerIP\":\"198.18.0.1\",\"asNumber\":65001}},"
	    "{\"apiVersion\":\"projectcalico.org/v3\",\"kind\":\"BGPPeer\","
	    "\"metadata\":{\"name\":\"p2\"},\"spec\":{\"peerSelector\":"
	    "\"has(rr)\"}}]}");
	free(j);
	/* The list form parses back to the same resources. */
	j = doc_to_yaml(d);
	{
		struct res_list	 two = { l.items, 2 };

		reparse_equal(&two, j);
	}
	free(j);
	doc_free(d);
	res_list_free(&l);
}

/* Errors are collected per resource; the valid ones are kept. */
static void
test_error_collection(void **state)
{
	static const char text[] =
	    HDR("BGPPeer", "good1")
	    "  peerIP: 198.18.0.1\n"
	    "---\n"
	    HDR("BGPPeer", "bad1")
	    "  peerIP: nope\n"
	    "---\n"
	    HDR("IPPool", "bad2")
	    "  cidr: 10.0.0.1/8\n"
	    "---\n"
	    HDR("Node", "good2");
	struct res_list		 l;
	struct res_errors	 e;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	assert_int_equal(res_parse(text, strlen(text), "m.yaml", &l, &e), -1);
	assert_int_equal(l.n, 2);
	assert_string_equal(res_name(&l.items[0]), "good1");
	assert_string_equal(res_name(&l.items[1]), "good2");
	assert_int_equal(l.items[1].line, 22);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.msgs[0], "m.yaml:13:11: BGPPeer bad1: "
	    "spec.peerIP: 'nope' is not an IP address, IPv4:port or "
	    "[IPv6]:port");
	assert_string_equal(e.msgs[1], "m.yaml:20:9: IPPool bad2: spec.cidr: "
	    "CIDR '10.0.0.1/8' is not strictly masked (expected 10.0.0.0/8)");
	res_errors_free(&e);
	res_list_free(&l);

	/* A YAML error stops everything. */
	assert_int_equal(res_parse("a: [", 4, "y.yaml", &l, &e), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], "y.yaml:2:1: did not find expected "
	    "node content while parsing a flow node");
	res_errors_free(&e);

	/* Only empty documents: nothing, and no error. */
	assert_int_equal(res_parse("---\n---\n", 8, "e.yaml", &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.n, 0);
}

/* The trap of CALICO.md section 7: never a silent global peer. */
static void
test_unquoted_selector_trap(void **state)
{
	static const char text[] =
	    HDR("BGPPeer", "rr")
	    "  nodeSelector: !has(routeReflector)\n"
	    "  peerIP: 198.18.0.1\n";
	static const char quoted[] =
	    HDR("BGPPeer", "rr")
	    "  nodeSelector: \"!has(routeReflector)\"\n"
	    "  peerIP: 198.18.0.1\n";
	struct res_list		 l;
	struct res_errors	 e;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	assert_int_equal(res_parse(text, strlen(text), "t.yaml", &l, &e), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], "t.yaml:6:17: YAML tag "
	    "'!has(routeReflector)' is not supported (quote the value if it "
	    "is a selector such as \"!has(label)\")");
	res_errors_free(&e);
	parse_ok(quoted, "q.yaml", &l);
	assert_false(res_bgppeer_is_global(&l.items[0].u.bgppeer));
	assert_string_equal(l.items[0].u.bgppeer.spec.node_selector.text,
	    "!has(routeReflector)");
	res_list_free(&l);
}

/* Built trees (line 0) give messages without a position. */
static void
test_built_tree(void **state)
{
	struct doc_node		*d, *meta, *spec;
	struct res_list		 l;
	struct res_errors	 e;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	d = doc_new_map();
	doc_map_set(d, "apiVersion", doc_new_string("projectcalico.org/v3"));
	doc_map_set(d, "kind", doc_new_string("BGPPeer"));
	meta = doc_new_map();
	doc_map_set(meta, "name", doc_new_string("p"));
	doc_map_set(d, "metadata", meta);
	spec = doc_new_map();
	doc_map_set(spec, "ttlSecurity", doc_new_int(300));
	doc_map_set(d, "spec", spec);
	assert_int_equal(res_decode(d, "etcd", &l, &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], "etcd: BGPPeer p: spec.ttlSecurity: "
	    "300 is out of range (0..255)");
	res_errors_free(&e);
	doc_free(d);
}

/* tortiectl patch: encode, RFC 7386 merge patch, decode again. */
static void
test_patch_roundtrip(void **state)
{
	struct res_list		 l, out;
	struct res_errors	 e;
	struct doc_node		*d, *p;
	const char		*patch = "{\"metadata\": {\"labels\": {\"a\": "
	    "\"b\"}}, \"spec\": {\"asNumber\": 65002, \"reachableBy\": null,"
	    " \"filters\": [\"f2\"]}}";
	char			 err[256];

	(void)state;
	parse_ok(ex_bgppeer, "p.yaml", &l);
	d = res_encode(&l.items[0]);
	p = doc_parse_one(patch, strlen(patch), "patch", err, sizeof(err));
	assert_non_null(p);
	d = doc_merge_patch(d, p);
	memset(&out, 0, sizeof(out));
	memset(&e, 0, sizeof(e));
	assert_int_equal(res_decode(d, "patched", &out, &e), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.items[0].u.bgppeer.spec.as_number, 65002);
	assert_int_equal(out.items[0].u.bgppeer.spec.reachable_by.af, 0);
	assert_string_equal(out.items[0].u.bgppeer.spec.filters[0], "f2");
	assert_string_equal(out.items[0].u.bgppeer.meta.labels[0].value, "b");
	assert_int_equal(out.items[0].u.bgppeer.spec.peer_ip.port, 1179);
	assert_false(res_equal(&l.items[0], &out.items[0]));
	doc_free(p);
	doc_free(d);
	res_list_free(&out);
	res_list_free(&l);
}

static void
test_set(void **state)
{
	static const char text[] =
	    HDR("BGPPeer", "p1")
	    "  peerIP: 198.18.0.1\n"
	    "---\n"
	    HDR("BGPPeer", "p2")
	    "  peerIP: 198.18.0.2\n"
	    "---\n"
	    HDR("Node", "n1")
	    "  bgp:\n"
	    "    ipv4Address: 198.18.0.10/24\n"
	    "---\n"
	    HDR("BGPPeer", "p1")
	    "  peerIP: 198.18.0.3\n";
	struct res_set		 s;
	struct res_list		 l;
	struct res_errors	 e;
	struct res_bgppeer	*p;
	char			 a[ADDRSTRLEN];

	(void)state;
	res_set_init(&s);
	memset(&e, 0, sizeof(e));
	parse_ok(text, "set.yaml", &l);
	assert_int_equal(l.n, 4);
	assert_int_equal(res_set_add_list(&s, &l, 0, &e), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], "set.yaml:23:1: BGPPeer p1: duplicate "
	    "resource name");
	res_errors_free(&e);
	assert_int_equal(s.nbgppeers, 2);
	assert_int_equal(s.nnodes, 1);
	p = res_set_bgppeer(&s, "p1");
	assert_non_null(p);
	addr_ntop(&p->spec.peer_ip.addr, a, sizeof(a));
	assert_string_equal(a, "198.18.0.1");
	assert_non_null(res_set_node(&s, "n1"));
	assert_null(res_set_node(&s, "p1"));
	assert_null(res_set_bgpfilter(&s, "p1"));

	/* With replace, the later definition wins. */
	parse_ok(text, "set.yaml", &l);
	assert_int_equal(res_set_add_list(&s, &l, 1, &e), 0);
	assert_int_equal(s.nbgppeers, 2);
	p = res_set_bgppeer(&s, "p1");
	addr_ntop(&p->spec.peer_ip.addr, a, sizeof(a));
	assert_string_equal(a, "198.18.0.3");

	assert_int_equal(res_set_remove(&s, RES_BGPPEER, "p1"), 0);
	assert_int_equal(res_set_remove(&s, RES_BGPPEER, "p1"), -1);
	assert_int_equal(s.nbgppeers, 1);
	assert_non_null(res_set_bgppeer(&s, "p2"));
	res_set_free(&s);
	assert_int_equal(s.nbgppeers, 0);
}

static void
test_set_check(void **state)
{
	static const char text[] =
	    HDR("BGPPeer", "p1")
	    "  peerIP: 198.18.0.1\n"
	    "  filters: [f1, f2]\n"
	    "---\n"
	    HDR("BGPFilter", "f1")
	    "  importV4: [{action: Accept}]\n"
	    "---\n"
	    HDR("IPPool", "a")
	    "  cidr: 198.19.0.0/16\n"
	    "---\n"
	    HDR("IPPool", "b")
	    "  cidr: 198.19.64.0/18\n"
	    "---\n"
	    HDR("IPPool", "c")
	    "  cidr: 2001:db8::/64\n";
	struct res_set		 s;
	struct res_list		 l;
	struct res_errors	 e;

	(void)state;
	res_set_init(&s);
	memset(&e, 0, sizeof(e));
	parse_ok(text, "chk.yaml", &l);
	assert_int_equal(res_set_add_list(&s, &l, 0, &e), 0);
	assert_int_equal(res_set_check(&s, &e), -1);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.msgs[0], "BGPPeer p1: spec.filters[1]: "
	    "BGPFilter 'f2' not found");
	assert_string_equal(e.msgs[1], "IPPool b: spec.cidr: overlaps IPPool "
	    "a (198.19.0.0/16)");
	res_errors_free(&e);
	assert_int_equal(res_set_remove(&s, RES_IPPOOL, "a"), 0);
	assert_int_equal(res_set_remove(&s, RES_BGPPEER, "p1"), 0);
	assert_int_equal(res_set_check(&s, &e), 0);
	assert_int_equal(e.n, 0);
	res_set_free(&s);
}

/* The inputs of CALICO.md's worked examples E3 and E4 (section 2.10). */
static void
test_calico_worked_examples(void **state)
{
	static const char text[] =
	    HDR("BGPConfiguration", "default")
	    "  logSeverityScreen: Info\n"
	    "  nodeToNodeMeshEnabled: false\n"
	    "  asNumber: 64532\n"
	    "---\n"
	    HDR("Node", "kube-master")
	    "  bgp:\n"
	    "    ipv4Address: 10.192.0.2/16\n"
	    "    ipv6Address: fd5f::2/112\n"
	    "    routeReflectorClusterID: 10.0.0.1\n"
	    "---\n"
	    HDR("BGPPeer", "bgppeer-1")
	    "  peerIP: 172.19.4.87\n"
	    "  asNumber: 64533\n"
	    "  nodeSelector: has(routeReflector)\n"
	    "---\n"
	    HDR("BGPPeer", "bgppeer-v6")
	    "  peerIP: \"[ac13::57]:50\"\n"
	    "  asNumber: 64533\n"
	    "  nodeSelector: has(routeReflector)\n"
	    "---\n"
	    HDR("BGPPeer", "bgppeer-other-nodes")
	    "  nodeSelector: has(routeReflector)\n"
	    "  peerSelector: \"!has(routeReflector)\"\n"
	    "---\n"
	    HDR("BGPConfiguration", "node.kube-node-1")
	    "  listenPort: 500\n"
	    "---\n"
	    HDR("BGPPeer", "global-166")
	    "  peerIP: 10.192.0.1:166\n"
	    "  asNumber: 64567\n"
	    "---\n"
	    HDR("BGPPeer", "global-none")
	    "  peerIP: 10.192.0.3\n"
	    "  asNumber: 64567\n"
	    "  sourceAddress: None\n";
	struct res_set		 s;
	struct res_list		 l;
	struct res_errors	 e;
	struct res_bgppeer	*p;
	struct res_bgpconfig	*c;
	char			 buf[64];

	(void)state;
	res_set_init(&s);
	memset(&e, 0, sizeof(e));
	parse_ok(text, "e3.yaml", &l);
	assert_int_equal(res_set_add_list(&s, &l, 0, &e), 0);
	assert_int_equal(res_set_check(&s, &e), 0);
	c = res_set_bgpconfig(&s, "default");
	assert_non_null(c);
	assert_false(c->spec.node_to_node_mesh_enabled);
	c = res_set_bgpconfig(&s, "node.kube-node-1");
	assert_int_equal(c->spec.listen_port, 500);
	p = res_set_bgppeer(&s, "bgppeer-v6");
	res_ip_port_fmt(&p->spec.peer_ip, buf, sizeof(buf));
	assert_string_equal(buf, "[ac13::57]:50");
	p = res_set_bgppeer(&s, "bgppeer-other-nodes");
	assert_non_null(p->spec.peer_selector.sel);
	assert_int_equal(p->spec.as_number, 0);
	p = res_set_bgppeer(&s, "global-none");
	assert_true(res_bgppeer_is_global(p));
	assert_int_equal(p->spec.source_address, RES_SRC_NONE);
	assert_int_equal(res_set_node(&s, "kube-master")->spec.bgp.
	    route_reflector_cluster_id.af, AF_INET);
	res_set_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_node),
		cmocka_unit_test(test_example_bgpconfig),
		cmocka_unit_test(test_example_bgppeer),
		cmocka_unit_test(test_example_bgpfilter),
		cmocka_unit_test(test_example_ippool),
		cmocka_unit_test(test_example_blockaffinity),
		cmocka_unit_test(test_example_nodestatus),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_asn_and_peerip_forms),
		cmocka_unit_test(test_list_documents),
		cmocka_unit_test(test_error_collection),
		cmocka_unit_test(test_unquoted_selector_trap),
		cmocka_unit_test(test_built_tree),
		cmocka_unit_test(test_patch_roundtrip),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_set_check),
		cmocka_unit_test(test_calico_worked_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
