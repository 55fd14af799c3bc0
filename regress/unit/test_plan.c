/*
 * Pieces of the peering compiler: the passive rule, the hash router ID,
 * session names, the export data that the JSON does not show (pools,
 * services, communities, filters, warnings), secrets, plan_diff, hostile
 * input, and the time for 1,000 nodes and 100 BGPPeers.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "resource.h"
#include "util.h"

#define HDR	"apiVersion: projectcalico.org/v3\n"

static void
load(const char *yaml, struct res_set *set)
{
	struct res_list		 list;
	struct res_errors	 errs;
	size_t			 i;
	int			 rc;

	memset(&list, 0, sizeof(list));
	memset(&errs, 0, sizeof(errs));
	res_set_init(set);
	rc = res_parse(yaml, strlen(yaml), "test", &list, &errs);
	if (rc == 0)
		rc = res_set_add_list(set, &list, 0, &errs);
	else
		res_list_free(&list);
	for (i = 0; i < errs.n; i++)
		print_error("%s\n", errs.msgs[i]);
	res_errors_free(&errs);
	assert_int_equal(rc, 0);
}

static void
compute(const char *yaml, const char *node, const struct plan_opts *opts,
    struct plan *p)
{
	struct res_set	 set;
	char		 err[256];
	int		 rc;

	load(yaml, &set);
	rc = plan_compute(&set, node, opts, p, err, sizeof(err));
	if (rc == -1)
		print_error("plan_compute: %s\n", err);
	res_set_free(&set);
	assert_int_equal(rc, 0);
}

static const struct plan_session *
session(const struct plan *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->nsessions; i++)
		if (strcmp(p->sessions[i].name, name) == 0)
			return &p->sessions[i];
	print_error("no session %s\n", name);
	fail();
	return NULL;
}

static int
has_warning(const struct plan *p, const char *part)
{
	size_t	 i;

	for (i = 0; i < p->nwarnings; i++)
		if (strstr(p->warnings[i], part) != NULL)
			return 1;
	return 0;
}

static struct bgpd_addr
A(const char *s)
{
	struct bgpd_addr	 a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void
test_passive_rule(void **state)
{
	struct bgpd_addr	 a, b;

	(void)state;
	/* Text, not numbers: "10.0.0.10" < "10.0.0.9". */
	a = A("10.0.0.10");
	b = A("10.0.0.9");
	assert_true(plan_addr_strcmp(&a, &b) < 0);
	a = A("10.0.0.91");
	assert_true(plan_addr_strcmp(&a, &b) > 0);
	a = A("198.18.0.2");
	b = A("198.18.0.2");
	assert_int_equal(plan_addr_strcmp(&a, &b), 0);
	/* IPv6 in its compressed text. */
	a = A("2001:db8::a");
	b = A("2001:db8::10");
	assert_true(plan_addr_strcmp(&a, &b) > 0);
	a = A("2001:0db8:0000::0002");
	b = A("2001:db8::2");
	assert_int_equal(plan_addr_strcmp(&a, &b), 0);
}

static void
test_passive_mesh(void **state)
{
	static const char yaml[] =
	    HDR "kind: Node\nmetadata: {name: a}\n"
	    "spec: {bgp: {ipv4Address: 10.0.0.9/24}}\n---\n"
	    HDR "kind: Node\nmetadata: {name: b}\n"
	    "spec: {bgp: {ipv4Address: 10.0.0.10/24}}\n";
	struct plan	 pa, pb;

	(void)state;
	compute(yaml, "a", NULL, &pa);
	compute(yaml, "b", NULL, &pb);
	/* Exactly one side dials: the textually greater one. */
	assert_true(session(&pa, "Mesh_10_0_0_10")->passive == 0);
	assert_true(session(&pb, "Mesh_10_0_0_9")->passive == 1);
	assert_string_equal(session(&pb, "Mesh_10_0_0_9")->peer_node, "a");
	plan_free(&pa);
	plan_free(&pb);
}

static void
test_hash_router_id(void **state)
{
	struct bgpd_addr	 id;
	char			 buf[ADDRSTRLEN];

	(void)state;
	assert_int_equal(plan_router_id_hash("kube-master", &id), 0);
	assert_string_equal(addr_ntop(&id, buf, sizeof(buf)), "25.79.212.8");
	/* SHA-256("node-18") starts with 245: brought down by 32. */
	assert_int_equal(plan_router_id_hash("node-18", &id), 0);
	assert_string_equal(addr_ntop(&id, buf, sizeof(buf)),
	    "213.194.139.227");
}

static void
test_session_names(void **state)
{
	struct bgpd_addr	 a;
	char			 n[PLAN_NAME_MAX];

	(void)state;
	a = A("198.18.0.2");
	plan_session_name(n, sizeof(n), PLAN_MESH, &a, 0);
	assert_string_equal(n, "Mesh_198_18_0_2");
	plan_session_name(n, sizeof(n), PLAN_GLOBAL, &a, 150);
	assert_string_equal(n, "Global_198_18_0_2_port_150");
	plan_session_name(n, sizeof(n), PLAN_GLOBAL, &a, 179);
	assert_string_equal(n, "Global_198_18_0_2");
	a = A("fd5f::3");
	plan_session_name(n, sizeof(n), PLAN_NODE, &a, 0);
	assert_string_equal(n, "Node_fd5f__3");
	a = A("ac13::57");
	plan_session_name(n, sizeof(n), PLAN_NODE, &a, 50);
	assert_string_equal(n, "Node_ac13__57_port_50");
	/* The longest name fits. */
	a = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	plan_session_name(n, sizeof(n), PLAN_GLOBAL, &a, 65535);
	assert_string_equal(n, "Global_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff"
	    "_port_65535");
}

static const char export_yaml[] =
    HDR "kind: BGPConfiguration\nmetadata: {name: default}\nspec:\n"
    "  nodeToNodeMeshEnabled: false\n"
    "  programClusterRoutes: Enabled\n"
    "  ipv4NormalRoutePriority: 5000\n"
    "  communities:\n"
    "  - {name: gold, value: '100:6532'}\n"
    "  - {name: big, value: '100:555:107'}\n"
    "  prefixAdvertisements:\n"
    "  - cidr: 198.19.0.0/16\n"
    "    communities: ['5663:12', gold, big, gold, '100:6532']\n"
    "  - cidr: 2001:db8:1::/48\n"
    "    communities: ['65000:1']\n"
    "  serviceClusterIPs: [{cidr: 198.18.240.0/20}]\n"
    "  serviceLoadBalancerIPs: [{cidr: 198.18.252.0/24}, "
    "{cidr: 198.18.253.1/32}]\n"
    "---\n"
    HDR "kind: BGPConfiguration\nmetadata: {name: node.node1}\nspec:\n"
    "  communities: [{name: silver, value: '7:7'}]\n"
    "  prefixAdvertisements:\n"
    "  - cidr: 198.19.1.0/24\n"
    "    communities: [silver, '1:1']\n"
    "---\n"
    HDR "kind: Node\nmetadata: {name: node1}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.1/16, ipv6Address: "
    "2001:db8::1/64}}\n---\n"
    HDR "kind: IPPool\nmetadata: {name: v4}\n"
    "spec: {cidr: 198.19.0.0/16, ipipMode: CrossSubnet}\n---\n"
    HDR "kind: IPPool\nmetadata: {name: v4-vx}\n"
    "spec: {cidr: 198.20.0.0/16, vxlanMode: Always, blockSize: 28,"
    " disableBGPExport: true, disabled: true}\n---\n"
    HDR "kind: IPPool\nmetadata: {name: v6}\n"
    "spec: {cidr: '2001:db8:1::/48'}\n---\n"
    HDR "kind: BGPFilter\nmetadata: {name: f}\nspec:\n"
    "  exportV4:\n"
    "  - {action: Reject, matchOperator: In, cidr: 198.19.0.0/16,"
    " prefixLength: {min: 24}}\n"
    "  - {action: Accept, source: RemotePeers, interface: 'eth*'}\n"
    "---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor}\nspec:\n"
    "  peerIP: 198.18.100.1\n  asNumber: 65001\n  filters: [f]\n"
    "  password: {secretKeyRef: {name: s, key: k}}\n"
    "  reachableBy: 198.18.0.254\n";

static void
test_export_data(void **state)
{
	struct plan			 p;
	const struct plan_comm_prefix	*c;
	const struct plan_filter_rule	*r;
	char				 buf[64];

	(void)state;
	compute(export_yaml, "node1", NULL, &p);
	/* Pools sorted, defaults applied, disabled pools kept. */
	assert_int_equal(p.npools, 3);
	assert_int_equal(p.pools[0].block_size, 26);
	assert_int_equal(p.pools[0].ipip, RES_ENCAP_CROSS_SUBNET);
	assert_int_equal(p.pools[0].vxlan, RES_ENCAP_NEVER);
	assert_int_equal(p.pools[1].block_size, 28);
	assert_int_equal(p.pools[1].vxlan, RES_ENCAP_ALWAYS);
	assert_true(p.pools[1].disable_export && p.pools[1].disabled);
	assert_int_equal(p.pools[2].block_size, 122);
	assert_int_equal(p.program_cluster_routes, RES_CR_ENABLED);
	assert_int_equal(p.ipv4_priority, 5000);
	assert_int_equal(p.ipv6_priority, PLAN_DEFAULT_PRIORITY);
	/* Services: the /32 LB entry is per Service. */
	assert_int_equal(p.nservices, 3);
	assert_int_equal(p.services[0].kind, PLAN_SVC_CLUSTER);
	assert_true(p.services[0].originate && p.services[0].reject);
	assert_int_equal(p.services[2].kind, PLAN_SVC_LB);
	assert_false(p.services[2].originate || p.services[2].reject);
	/* IPv4 communities from node.node1, IPv6 from default. */
	assert_int_equal(p.ncomms, 2);
	c = &p.comms[0];
	plan_prefix_fmt(&c->cidr, buf, sizeof(buf));
	assert_string_equal(buf, "198.19.1.0/24");
	assert_int_equal(c->ncomms, 2);
	assert_int_equal(c->comms[0].a, 1);
	assert_int_equal(c->comms[1].a, 7);
	c = &p.comms[1];
	assert_int_equal(c->cidr.addr.af, AF_INET6);
	assert_int_equal(c->ncomms, 1);
	assert_int_equal(c->comms[0].a, 65000);
	/* Node addresses unmasked, with the subnet length. */
	assert_string_equal(addr_ntop(&p.ipv4.addr, buf, sizeof(buf)),
	    "198.18.0.1");
	assert_int_equal(p.ipv4.plen, 16);
	/* The filter, copied with effective prefix lengths. */
	assert_int_equal(p.nfilters, 1);
	assert_int_equal(p.filters[0].nrules[RES_FILTER_EXPORT_V4], 2);
	r = &p.filters[0].rules[RES_FILTER_EXPORT_V4][0];
	assert_true(r->has_len);
	assert_int_equal(r->min_len, 24);
	assert_int_equal(r->max_len, 32);
	assert_int_equal(r->op, RES_MATCH_IN);
	assert_int_equal(r->action, RES_ACTION_REJECT);
	r = &p.filters[0].rules[RES_FILTER_EXPORT_V4][1];
	assert_true(r->source_remote);
	assert_string_equal(r->iface, "eth*");
	assert_int_equal(session(&p, "Global_198_18_100_1")->nfilters, 1);
	/* No secrets directory: no password, and a warning. */
	assert_int_equal(session(&p, "Global_198_18_100_1")->pw_state,
	    PLAN_PW_MISSING);
	assert_true(has_warning(&p, "password: secret s/k: no secretsDir"));
	assert_string_equal(addr_ntop(
	    &session(&p, "Global_198_18_100_1")->reachable_by, buf,
	    sizeof(buf)), "198.18.0.254");
	plan_free(&p);
}

static void
test_communities_default(void **state)
{
	static const char yaml[] =
	    HDR "kind: BGPConfiguration\nmetadata: {name: default}\nspec:\n"
	    "  communities:\n"
	    "  - {name: gold, value: '100:6532'}\n"
	    "  - {name: big, value: '100:555:107'}\n"
	    "  prefixAdvertisements:\n"
	    "  - cidr: 198.19.0.0/16\n"
	    "    communities: ['5663:12', gold, big, gold, '100:6532']\n"
	    "---\n"
	    HDR "kind: Node\nmetadata: {name: node1}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n";
	struct plan	 p;

	(void)state;
	compute(yaml, "node1", NULL, &p);
	/* De-duplicated and sorted as strings (CALICO.md 2.8). */
	assert_int_equal(p.ncomms, 1);
	assert_int_equal(p.comms[0].ncomms, 3);
	assert_true(p.comms[0].comms[0].large);
	assert_int_equal(p.comms[0].comms[0].c, 107);
	assert_int_equal(p.comms[0].comms[1].b, 6532);
	assert_int_equal(p.comms[0].comms[2].a, 5663);
	plan_free(&p);
}

/* Only listenPort, prefixAdvertisements, logSeverityScreen per node. */
static void
test_node_config(void **state)
{
	static const char yaml[] =
	    HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
	    "spec: {logSeverityScreen: Warning}\n---\n"
	    HDR "kind: BGPConfiguration\nmetadata: {name: node.n1}\n"
	    "spec: {bindMode: NodeIP, listenPort: 1179, "
	    "logSeverityScreen: Debug}\n---\n"
	    HDR "kind: BGPConfiguration\nmetadata: {name: node.n2}\n"
	    "spec: {listenPort: 1180}\n---\n"
	    HDR "kind: Node\nmetadata: {name: n1}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n---\n"
	    HDR "kind: Node\nmetadata: {name: n2}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.2/16}}\n";
	struct plan	 p;

	(void)state;
	compute(yaml, "n1", NULL, &p);
	assert_int_equal(p.bind_mode, PLAN_BIND_NONE);
	assert_int_equal(p.listen_port, 1179);
	assert_int_equal(p.log_severity, RES_LOG_DEBUG);
	assert_int_equal(session(&p, "Mesh_198_18_0_2")->port, 1180);
	plan_free(&p);
	compute(yaml, "n2", NULL, &p);
	assert_int_equal(p.log_severity, RES_LOG_WARNING);
	assert_int_equal(p.listen_port, 1180);
	plan_free(&p);
}

static void
test_bind_mode(void **state)
{
	static const char yaml[] =
	    HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
	    "spec: {bindMode: NodeIP}\n---\n"
	    HDR "kind: Node\nmetadata: {name: n1}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.1/16, "
	    "ipv6Address: '2001:db8::1/64'}}\n";
	struct plan	 p;
	char		 buf[ADDRSTRLEN];

	(void)state;
	compute(yaml, "n1", NULL, &p);
	assert_int_equal(p.bind_mode, PLAN_BIND_NODE_IP);
	assert_string_equal(addr_ntop(&p.ipv6.addr, buf, sizeof(buf)),
	    "2001:db8::1");
	assert_int_equal(p.ipv6.plen, 64);
	assert_int_equal(p.listen_port, 179);
	plan_free(&p);
}

static char	 tmpdir[64];

static void
put(const char *rel, const char *text, size_t len)
{
	char	 path[256], *slash;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0700);
	*slash = '/';
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	fclose(fp);
}

static int
secrets_setup(void **state)
{
	char	 path[128];

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_plan.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	put("s/ok", "pw\n", 3);
	put("s/crlf", "pw\r\n", 4);
	put("s/empty", "", 0);
	put("s/nul", "p\0w", 3);
	put("s/max",
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\n", 81);
	put("s/long",
	    "0123456789012345678901234567890123456789"
	    "01234567890123456789012345678901234567890", 81);
	snprintf(path, sizeof(path), "%s/s/fifo", tmpdir);
	return mkfifo(path, 0600);
}

static int
secrets_teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_secrets(void **state)
{
	char	 buf[PLAN_PASSWORD_MAX + 1], err[PLAN_ERR_MAX];

	(void)state;
	assert_int_equal(plan_secret_read(tmpdir, "s", "ok", buf, sizeof(buf),
	    err, sizeof(err)), 0);
	assert_string_equal(buf, "pw");
	assert_int_equal(plan_secret_read(tmpdir, "s", "crlf", buf,
	    sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "pw");
	assert_int_equal(plan_secret_read(tmpdir, "s", "max", buf,
	    sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(strlen(buf), 80);
	assert_int_equal(plan_secret_read(tmpdir, "s", "long", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than 80"));
	assert_int_equal(plan_secret_read(tmpdir, "s", "empty", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	assert_int_equal(plan_secret_read(tmpdir, "s", "nul", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_int_equal(plan_secret_read(tmpdir, "s", "fifo", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(plan_secret_read(tmpdir, "s", "none", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	/* Names from resources never walk out of the directory. */
	assert_int_equal(plan_secret_read(tmpdir, "..", "ok", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_int_equal(plan_secret_read(tmpdir, "s", "../s/ok", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_int_equal(plan_secret_read(tmpdir, "s/..", "ok", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_int_equal(plan_secret_read(tmpdir, "", "ok", buf,
	    sizeof(buf), err, sizeof(err)), -1);
	assert_string_equal(buf, "");
}

static void
test_secrets_in_plan(void **state)
{
	static const char yaml[] =
	    HDR "kind: Node\nmetadata: {name: node1}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n---\n"
	    HDR "kind: BGPPeer\nmetadata: {name: a}\nspec:\n"
	    "  peerIP: 198.18.100.1\n  asNumber: 65001\n"
	    "  password: {secretKeyRef: {name: s, key: ok}}\n---\n"
	    HDR "kind: BGPPeer\nmetadata: {name: b}\nspec:\n"
	    "  peerIP: 198.18.100.2\n  asNumber: 65001\n"
	    "  password: {secretKeyRef: {name: s, key: gone, "
	    "optional: true}}\n";
	struct plan_opts		 opts;
	struct plan			 p;
	const struct plan_session	*s;

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.secrets_dir = tmpdir;
	compute(yaml, "node1", &opts, &p);
	s = session(&p, "Global_198_18_100_1");
	assert_int_equal(s->pw_state, PLAN_PW_OK);
	assert_string_equal(s->password, "pw");
	s = session(&p, "Global_198_18_100_2");
	assert_int_equal(s->pw_state, PLAN_PW_MISSING);
	assert_non_null(strstr(s->pw_error, "gone"));
	/* An optional secret that is missing is not worth a warning. */
	assert_false(has_warning(&p, "gone"));
	plan_free(&p);
}

static const char diff_old[] =
    HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
    "spec: {listenPort: 1790}\n---\n"
    HDR "kind: Node\nmetadata: {name: n1}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n---\n"
    HDR "kind: Node\nmetadata: {name: n2}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.2/16}}\n---\n"
    HDR "kind: Node\nmetadata: {name: n3}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.3/16}}\n---\n"
    HDR "kind: BGPFilter\nmetadata: {name: f}\n"
    "spec: {exportV4: [{action: Reject}]}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor}\n"
    "spec: {peerIP: 198.18.100.1, asNumber: 65001, ttlSecurity: 1}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor2}\n"
    "spec: {peerIP: 198.18.100.2, asNumber: 65001, filters: [f]}\n";

/* n3 left, tor's TTL changed, f's rule changed, tor3 new. */
static const char diff_new[] =
    HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
    "spec: {listenPort: 1790}\n---\n"
    HDR "kind: Node\nmetadata: {name: n1}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n---\n"
    HDR "kind: Node\nmetadata: {name: n2}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.2/16}}\n---\n"
    HDR "kind: BGPFilter\nmetadata: {name: f}\n"
    "spec: {exportV4: [{action: Accept}]}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor}\n"
    "spec: {peerIP: 198.18.100.1, asNumber: 65001, ttlSecurity: 2}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor2}\n"
    "spec: {peerIP: 198.18.100.2, asNumber: 65001, filters: [f]}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor3}\n"
    "spec: {peerIP: 198.18.100.3, asNumber: 65001}\n";

static const struct plan_diff_entry *
diff_entry(const struct plan_diff *d, const char *name)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->entries[i].name, name) == 0)
			return &d->entries[i];
	print_error("no diff entry %s\n", name);
	fail();
	return NULL;
}

static void
test_diff(void **state)
{
	struct plan			 o, n;
	struct plan_diff		 d;
	const struct plan_diff_entry	*e;
	size_t				 i;

	(void)state;
	compute(diff_old, "n1", NULL, &o);
	compute(diff_new, "n1", NULL, &n);
	assert_int_equal(plan_diff(&o, &n, &d), 0);
	assert_int_equal(d.n, 5);
	assert_int_equal(d.node_fields, 0);
	assert_true(d.export_changed);
	assert_int_equal(diff_entry(&d, "Mesh_198_18_0_2")->change,
	    PLAN_UNCHANGED);
	assert_int_equal(diff_entry(&d, "Mesh_198_18_0_3")->change,
	    PLAN_REMOVED);
	e = diff_entry(&d, "Global_198_18_100_1");
	assert_int_equal(e->change, PLAN_CHANGED);
	assert_int_equal(e->fields, PLAN_DF_TTL);
	e = diff_entry(&d, "Global_198_18_100_2");
	assert_int_equal(e->change, PLAN_CHANGED);
	assert_int_equal(e->fields, PLAN_DF_FILTERS);
	assert_true((e->fields & ~PLAN_DF_SOFT) == 0);
	e = diff_entry(&d, "Global_198_18_100_3");
	assert_int_equal(e->change, PLAN_ADDED);
	assert_string_equal(n.sessions[e->new_idx].name, e->name);
	assert_string_equal(plan_df_name(PLAN_DF_TTL), "ttlSecurity");
	assert_string_equal(plan_change_str(PLAN_ADDED), "added");
	plan_diff_free(&d);

	/* Same plan twice: everything unchanged. */
	assert_int_equal(plan_diff(&n, &n, &d), 0);
	assert_false(d.export_changed);
	for (i = 0; i < d.n; i++)
		assert_int_equal(d.entries[i].change, PLAN_UNCHANGED);
	plan_diff_free(&d);

	/* No old plan: everything added. */
	assert_int_equal(plan_diff(NULL, &n, &d), 0);
	assert_int_equal(d.n, n.nsessions);
	assert_int_equal(d.entries[0].change, PLAN_ADDED);
	plan_diff_free(&d);
	plan_free(&o);
	plan_free(&n);
}

/*
 * The mesh replaced by an all-nodes BGPPeer: each mesh session and the
 * BGPPeer's session to the same node are one session handed over, a
 * change that needs no reset; a removed session to an address that no
 * added one has stays removed.
 */
static const char diff_handover_new[] =
    HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
    "spec: {listenPort: 1790, nodeToNodeMeshEnabled: false}\n---\n"
    HDR "kind: Node\nmetadata: {name: n1}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n---\n"
    HDR "kind: Node\nmetadata: {name: n2, labels: {peer: \"yes\"}}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.2/16}}\n---\n"
    HDR "kind: Node\nmetadata: {name: n3}\n"
    "spec: {bgp: {ipv4Address: 198.18.0.3/16}}\n---\n"
    HDR "kind: BGPFilter\nmetadata: {name: f}\n"
    "spec: {exportV4: [{action: Reject}]}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: all-nodes}\n"
    "spec: {nodeSelector: all(), peerSelector: \"peer == 'yes'\"}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor}\n"
    "spec: {peerIP: 198.18.100.1, asNumber: 65001, ttlSecurity: 1}\n---\n"
    HDR "kind: BGPPeer\nmetadata: {name: tor2}\n"
    "spec: {peerIP: 198.18.100.2, asNumber: 65001, filters: [f]}\n";

static void
test_diff_handover(void **state)
{
	struct plan			 o, n;
	struct plan_diff		 d;
	const struct plan_diff_entry	*e;
	size_t				 i;

	(void)state;
	compute(diff_old, "n1", NULL, &o);
	compute(diff_handover_new, "n1", NULL, &n);
	assert_int_equal(plan_diff(&o, &n, &d), 0);
	e = diff_entry(&d, "Node_198_18_0_2_port_1790");
	assert_int_equal(e->change, PLAN_CHANGED);
	assert_true(e->fields & PLAN_DF_NAME);
	assert_true(e->fields & PLAN_DF_TYPE);
	assert_true(e->fields & PLAN_DF_GROUP);
	assert_true((e->fields & ~PLAN_DF_SOFT) == 0);
	assert_string_equal(e->old_name, "Mesh_198_18_0_2");
	assert_string_equal(o.sessions[e->old_idx].name, "Mesh_198_18_0_2");
	assert_string_equal(n.sessions[e->new_idx].name,
	    "Node_198_18_0_2_port_1790");
	assert_int_equal(diff_entry(&d, "Mesh_198_18_0_3")->change,
	    PLAN_REMOVED);
	for (i = 0; i < d.n; i++)
		assert_string_not_equal(d.entries[i].name, "Mesh_198_18_0_2");
	assert_int_equal(diff_entry(&d, "Global_198_18_100_1")->change,
	    PLAN_UNCHANGED);
	assert_string_equal(plan_df_name(PLAN_DF_NAME), "name");
	plan_diff_free(&d);
	plan_free(&o);
	plan_free(&n);
}

static void
test_diff_node_change(void **state)
{
	struct plan		 o, n;
	struct plan_opts	 opts;
	struct plan_diff	 d;

	(void)state;
	compute(diff_new, "n1", NULL, &o);
	memset(&opts, 0, sizeof(opts));
	opts.router_id = "198.18.255.1";
	compute(diff_new, "n1", &opts, &n);
	assert_int_equal(plan_diff(&o, &n, &d), 0);
	assert_int_equal(d.node_fields, PLAN_DF_NODE);
	assert_int_equal(d.entries[0].change, PLAN_CHANGED);
	assert_int_equal(d.entries[0].fields, PLAN_DF_NODE);
	plan_diff_free(&d);
	plan_free(&o);
	plan_free(&n);
}

static void
test_bad_input(void **state)
{
	static const char yaml[] =
	    HDR "kind: Node\nmetadata: {name: node1}\n"
	    "spec: {bgp: {ipv4Address: 198.18.0.1/16}}\n";
	struct res_set	 set;
	struct plan	 p;
	struct plan_opts opts;
	char		 err[64], longname[300];

	(void)state;
	load(yaml, &set);
	assert_int_equal(plan_compute(&set, "", NULL, &p, err, sizeof(err)),
	    -1);
	assert_int_equal(p.nsessions, 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(plan_compute(&set, longname, NULL, &p, err,
	    sizeof(err)), -1);
	assert_int_equal(plan_compute(NULL, "node1", NULL, &p, err,
	    sizeof(err)), -1);
	memset(&opts, 0, sizeof(opts));
	opts.router_id = "0.0.0.0";
	assert_int_equal(plan_compute(&set, "node1", &opts, &p, err,
	    sizeof(err)), -1);
	opts.router_id = "2001:db8::1";
	assert_int_equal(plan_compute(&set, "node1", &opts, &p, err,
	    sizeof(err)), -1);
	/* A tiny error buffer is fine. */
	assert_int_equal(plan_compute(&set, "nodeX", NULL, &p, err, 4), -1);
	assert_int_equal(strlen(err), 3);
	assert_int_equal(plan_compute(&set, "nodeX", NULL, &p, NULL, 0), -1);
	res_set_free(&set);
}

static void
test_text(void **state)
{
	struct plan	 p;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp;

	(void)state;
	compute(export_yaml, "node1", NULL, &p);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	plan_print_text(fp, &p);
	fclose(fp);
	assert_non_null(strstr(buf, "Global_198_18_100_1"));
	assert_non_null(strstr(buf, "password missing"));
	assert_non_null(strstr(buf, "filter f"));
	assert_non_null(strstr(buf, "198.19.0.0/16 block /26 ipip "
	    "CrossSubnet"));
	assert_non_null(strstr(buf, "Warnings:"));
	free(buf);
	plan_free(&p);
}

/*
 * 1,000 nodes in ten racks, every tenth one a route reflector, and 100
 * BGPPeers: 40 global peerIP peers, 30 rack peers by nodeSelector, 20 by
 * peerSelector toward the reflectors, 10 node-specific.
 */
static char *
big_yaml(void)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;
	int	 i;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	fprintf(fp, HDR "kind: BGPConfiguration\nmetadata: {name: default}\n"
	    "spec: {asNumber: 64512}\n");
	for (i = 0; i < 1000; i++)
		fprintf(fp, "---\n" HDR "kind: Node\nmetadata:\n"
		    "  name: node-%04d\n  labels: {rack: r%d%s}\n"
		    "spec: {bgp: {ipv4Address: 198.18.%d.%d/16, ipv6Address: "
		    "'2001:db8::%x/64'%s}}\n", i, i % 10,
		    i % 10 == 0 ? ", route-reflector: 'true'" : "",
		    i / 250, i % 250 + 1, i + 1,
		    i % 10 == 0 ? ", routeReflectorClusterID: 244.0.0.1" : "");
	for (i = 0; i < 40; i++)
		fprintf(fp, "---\n" HDR "kind: BGPPeer\nmetadata: "
		    "{name: global-%02d}\nspec: {peerIP: 198.18.200.%d, "
		    "asNumber: 65001}\n", i, i + 1);
	for (i = 0; i < 30; i++)
		fprintf(fp, "---\n" HDR "kind: BGPPeer\nmetadata: "
		    "{name: rack-%02d}\nspec: {peerIP: 198.18.201.%d, "
		    "asNumber: 65002, nodeSelector: \"rack == 'r%d'\"}\n", i,
		    i + 1, i % 10);
	for (i = 0; i < 20; i++)
		fprintf(fp, "---\n" HDR "kind: BGPPeer\nmetadata: "
		    "{name: rr-%02d}\nspec: {nodeSelector: \"rack in "
		    "{'r%d', 'r%d'}\", peerSelector: \"route-reflector == "
		    "'true'\"}\n", i, i % 10, (i + 1) % 10);
	for (i = 0; i < 10; i++)
		fprintf(fp, "---\n" HDR "kind: BGPPeer\nmetadata: "
		    "{name: node-%02d}\nspec: {node: node-%04d, peerIP: "
		    "198.18.202.%d, asNumber: 65003}\n", i, i * 7, i + 1);
	fclose(fp);
	return buf;
}

static void
test_performance(void **state)
{
	struct res_set	 set;
	struct plan	 p;
	char		 err[256], *yaml;
	uint64_t	 t0, t1, t2;

	(void)state;
	yaml = big_yaml();
	load(yaml, &set);
	free(yaml);
	assert_int_equal(set.nnodes, 1000);
	assert_int_equal(set.nbgppeers, 100);
	/* A reflector: reverse peerings to every node of its racks. */
	t0 = mono_ms();
	assert_int_equal(plan_compute(&set, "node-0000", NULL, &p, err,
	    sizeof(err)), 0);
	t1 = mono_ms();
	assert_true(p.nsessions > 100);
	plan_free(&p);
	/* A client: the full mesh of 900 non-reflectors, both families. */
	assert_int_equal(plan_compute(&set, "node-0001", NULL, &p, err,
	    sizeof(err)), 0);
	t2 = mono_ms();
	assert_true(p.nsessions > 1798);
	printf("# plan 1000 nodes: %llu ms (reflector), %llu ms (client, "
	    "%zu sessions)\n", (unsigned long long)(t1 - t0),
	    (unsigned long long)(t2 - t1), p.nsessions);
	plan_free(&p);
	res_set_free(&set);
	assert_true(t1 - t0 < 1000 && t2 - t1 < 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passive_rule),
		cmocka_unit_test(test_passive_mesh),
		cmocka_unit_test(test_hash_router_id),
		cmocka_unit_test(test_session_names),
		cmocka_unit_test(test_export_data),
		cmocka_unit_test(test_communities_default),
		cmocka_unit_test(test_node_config),
		cmocka_unit_test(test_bind_mode),
		cmocka_unit_test_setup_teardown(test_secrets, secrets_setup,
		    secrets_teardown),
		cmocka_unit_test_setup_teardown(test_secrets_in_plan,
		    secrets_setup, secrets_teardown),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_diff_node_change),
		cmocka_unit_test(test_diff_handover),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_performance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
