/*
 * The etcd datastore backend without etcd: base64, Calico's key layout
 * and IPAM affinity keys, request bodies, replies and watch messages
 * (good and hostile), the stream splitter, error mapping, endpoint
 * parsing, and the typed datastore calls against a forked fake gateway
 * (failover past an unavailable member, Calico's errors from failed
 * transactions).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "doc.h"
#include "etcd.h"
#include "resource.h"

static char *
fmt(const char *f, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) == -1)
		abort();
	va_end(ap);
	return s;
}

static char *
b64(const char *s)
{
	return etcd_b64_encode(s, strlen(s));
}

/* The JSON text of a request, parsed back for checks. */
static struct doc_node *
json(const char *s)
{
	char		 err[256];
	struct doc_node	*d;

	d = etcd_json_parse(s, strlen(s), err, sizeof(err));
	if (d == NULL)
		fail_msg("not JSON (%s): %s", err, s);
	return d;
}

static const char *
str_at(const struct doc_node *d, const char *a, const char *b)
{
	const struct doc_node	*n = doc_map_get(d, a);

	if (b != NULL)
		n = doc_map_get(n, b);
	assert_non_null(n);
	assert_int_equal(n->type, DOC_STRING);
	return n->raw;
}

/*
 * Base64.
 */

static void
test_b64_vectors(void **state)
{
	static const char *v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
		{ "/calico/a", "L2NhbGljby9h" },
	};
	char	*e, *d;
	size_t	 i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		e = b64(v[i][0]);
		assert_string_equal(e, v[i][1]);
		assert_int_equal(etcd_b64_decode(e, strlen(e), &d, &n), 0);
		assert_int_equal(n, strlen(v[i][0]));
		assert_memory_equal(d, v[i][0], n);
		assert_int_equal(d[n], '\0');
		free(e);
		free(d);
	}
}

static void
test_b64_binary(void **state)
{
	unsigned char	 buf[256];
	char		*e, *d;
	size_t		 i, len, n;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(255 - i);
	for (len = 0; len <= sizeof(buf); len += 37) {
		e = etcd_b64_encode(buf, len);
		assert_int_equal(strlen(e), (len + 2) / 3 * 4);
		assert_int_equal(etcd_b64_decode(e, strlen(e), &d, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(d, buf, len);
		free(e);
		free(d);
	}
}

static void
test_b64_bad(void **state)
{
	static const char *bad[] = {
		"Zg=", "Zg", "Z===", "====", "Zm9v=Zm9", "Zm9*", "Zm9v\n",
		"Zh==",		/* bits under the padding */
		"Zm9=",		/* likewise, one pad */
		"Z=g=",
	};
	char	*d;
	size_t	 i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (etcd_b64_decode(bad[i], strlen(bad[i]), &d, &n) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_null(d);
	}
}

/*
 * Keys.
 */

static void
test_keys(void **state)
{
	char	*k;

	(void)state;
	k = etcd_key(RES_BGPPEER, "rack1-tor");
	assert_string_equal(k,
	    "/calico/resources/v3/projectcalico.org/bgppeers/rack1-tor");
	free(k);
	k = etcd_key(RES_BGPCONFIG, "node.kube-node-1");
	assert_string_equal(k, "/calico/resources/v3/projectcalico.org/"
	    "bgpconfigurations/node.kube-node-1");
	free(k);
	k = etcd_key(RES_NODE, "kube-master");
	assert_string_equal(k,
	    "/calico/resources/v3/projectcalico.org/nodes/kube-master");
	free(k);
	k = etcd_kind_prefix(RES_IPPOOL);
	assert_string_equal(k, "/calico/resources/v3/projectcalico.org/"
	    "ippools/");
	free(k);
	k = etcd_prefix_end("/calico/resources/");
	assert_string_equal(k, "/calico/resources0");
	free(k);
	k = etcd_prefix_end("/a\xff\xff");
	assert_string_equal(k, "/b");
	free(k);
}

static void
test_key_name(void **state)
{
	const char	*base = "/calico/resources/v3/projectcalico.org/";
	const char	*name;
	char		 k[256];

	(void)state;
	snprintf(k, sizeof(k), "%sbgppeers/rack1-tor", base);
	assert_int_equal(etcd_key_name(RES_BGPPEER, k, strlen(k), &name), 0);
	assert_string_equal(name, "rack1-tor");
	/* Another kind, a namespaced key, no name, a NUL inside. */
	assert_int_equal(etcd_key_name(RES_NODE, k, strlen(k), &name), -1);
	snprintf(k, sizeof(k), "%sbgppeers/ns/x", base);
	assert_int_equal(etcd_key_name(RES_BGPPEER, k, strlen(k), &name), -1);
	snprintf(k, sizeof(k), "%sbgppeers/", base);
	assert_int_equal(etcd_key_name(RES_BGPPEER, k, strlen(k), &name), -1);
	snprintf(k, sizeof(k), "%sbgppeersx/a", base);
	assert_int_equal(etcd_key_name(RES_BGPPEER, k, strlen(k), &name), -1);
	snprintf(k, sizeof(k), "%sbgppeers/a", base);
	assert_int_equal(etcd_key_name(RES_BGPPEER, k, strlen(k) + 2, &name),
	    -1);
	assert_int_equal(etcd_key_name(RES_BGPPEER, "/calico", 7, &name), -1);
}

static void
test_ipam_key(void **state)
{
	static const char *bad[] = {
		"/calico/ipam/v2/host/n1/ipv4/block/2001:db8::-122",
		"/calico/ipam/v2/host/n1/ipv6/block/10.0.0.0-26",
		"/calico/ipam/v2/host/n1/ipv4/block/10.0.0.0",
		"/calico/ipam/v2/host/n1/ipv4/block/10.0.0.0-",
		"/calico/ipam/v2/host/n1/ipv4/block/-26",
		"/calico/ipam/v2/host/n1/ipv4/block/",
		"/calico/ipam/v2/host/n1/ipv4/block/a/b-26",
		"/calico/ipam/v2/host/n1/ipv4/blocks/10.0.0.0-26",
		"/calico/ipam/v2/host//ipv4/block/10.0.0.0-26",
		"/calico/ipam/v2/host/n1",
		"/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-26",
	};
	const char	*k;
	char		*node, *cidr, *name;
	size_t		 i;

	(void)state;
	k = "/calico/ipam/v2/host/kube-master/ipv4/block/192.168.221.64-26";
	assert_int_equal(etcd_ipam_key(k, strlen(k), &node, &cidr), 0);
	assert_string_equal(node, "kube-master");
	assert_string_equal(cidr, "192.168.221.64/26");
	name = etcd_affinity_name(node, cidr);
	assert_string_equal(name, "kube-master-192-168-221-64-26");
	free(name);
	free(node);
	free(cidr);
	k = "/calico/ipam/v2/host/n1.example/ipv6/block/2001:db8::-122";
	assert_int_equal(etcd_ipam_key(k, strlen(k), &node, &cidr), 0);
	assert_string_equal(node, "n1.example");
	assert_string_equal(cidr, "2001:db8::/122");
	name = etcd_affinity_name(node, cidr);
	assert_string_equal(name, "n1.example-2001-db8---122");
	free(name);
	free(node);
	free(cidr);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (etcd_ipam_key(bad[i], strlen(bad[i]), &node, &cidr) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_null(node);
		assert_null(cidr);
	}
}

/* The synthesized BlockAffinity must be one the resource layer takes. */
static void
affinity_ok(const char *value, int state, int deleted)
{
	struct doc_node		*d;
	struct res_list		 l;
	struct res_errors	 errs;
	char			 err[256];

	d = etcd_affinity_doc("node1", "198.19.0.0/26", value, strlen(value),
	    err, sizeof(err));
	if (d == NULL)
		fail_msg("%s: %s", value, err);
	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	if (res_decode(d, "k", &l, &errs) == -1)
		fail_msg("%s: %s", value, errs.n ? errs.msgs[0] : "?");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].kind, RES_BLOCKAFFINITY);
	assert_string_equal(res_name(&l.items[0]), "node1-198-19-0-0-26");
	assert_string_equal(l.items[0].u.blockaffinity.spec.node, "node1");
	assert_int_equal(l.items[0].u.blockaffinity.spec.cidr.plen, 26);
	assert_int_equal((int)l.items[0].u.blockaffinity.spec.state, state);
	assert_int_equal(l.items[0].u.blockaffinity.spec.deleted, deleted);
	res_list_free(&l);
	res_errors_free(&errs);
	doc_free(d);
}

static void
test_affinity_doc(void **state)
{
	static const char *bad[] = {
		"", "null", "[]", "{\"state\":1}", "{\"deleted\":\"maybe\"}",
		"{\"deleted\":2}", "{", "{\"state\":\"confirmed\"",
	};
	char		 err[256];
	size_t		 i;

	(void)state;
	affinity_ok("{\"state\":\"confirmed\",\"deleted\":false}",
	    RES_BLOCK_CONFIRMED, 0);
	affinity_ok("{}", RES_BLOCK_UNSET, 0);
	affinity_ok("{\"state\":\"pending\"}", RES_BLOCK_PENDING, 0);
	affinity_ok("{\"state\":\"pendingDeletion\",\"deleted\":true}",
	    RES_BLOCK_PENDING_DELETION, 1);
	affinity_ok("{\"state\":\"\",\"deleted\":\"true\",\"x\":[1]}",
	    RES_BLOCK_UNSET, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (etcd_affinity_doc("n", "10.0.0.0/26", bad[i],
		    strlen(bad[i]), err, sizeof(err)) != NULL)
			fail_msg("accepted '%s'", bad[i]);
}

static void
test_relevant(void **state)
{
	char	*key, *end, *p;
	int	 k;

	(void)state;
	assert_true(etcd_relevant_key(
	    "/calico/resources/v3/projectcalico.org/bgppeers/a"));
	assert_true(etcd_relevant_key(
	    "/calico/resources/v3/projectcalico.org/caliconodestatuses/a"));
	assert_true(etcd_relevant_key(
	    "/calico/ipam/v2/host/n1/ipv4/block/10.0.0.0-26"));
	assert_false(etcd_relevant_key(
	    "/calico/resources/v3/projectcalico.org/networkpolicies/ns/a"));
	assert_false(etcd_relevant_key(
	    "/calico/resources/v3/projectcalico.org/felixconfigurations/a"));
	assert_false(etcd_relevant_key(
	    "/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-26"));
	/* The watched range holds every kind, not the busy prefixes. */
	etcd_watch_range(&key, &end);
	assert_string_equal(key, "/calico/ipam/v2/host/");
	assert_string_equal(end,
	    "/calico/resources/v3/projectcalico.org/nodes0");
	for (k = 0; k < RES_NKINDS; k++) {
		p = etcd_kind_prefix((enum res_kind)k);
		assert_true(strcmp(p, key) >= 0 && strcmp(p, end) < 0);
		free(p);
	}
	assert_true(strcmp("/calico/resources/v3/projectcalico.org/"
	    "workloadendpoints/ns/a", end) > 0);
	assert_true(strcmp("/calico/resources/v3/projectcalico.org/"
	    "profiles/a", end) > 0);
	assert_true(strcmp("/calico/ipam/v2/assignment/a", key) < 0);
	assert_true(strcmp("/calico/ipam/v2/handle/a", key) < 0);
	free(key);
	free(end);
}

/*
 * Requests.
 */

static void
test_req_range(void **state)
{
	char	*r;

	(void)state;
	r = etcd_req_range("/calico/a", 9, NULL, 0, 0, 0);
	assert_string_equal(r, "{\"key\":\"L2NhbGljby9h\"}");
	free(r);
	r = etcd_req_range("/calico/a", 9, "/calico/b", 42, 500, 1);
	assert_string_equal(r, "{\"key\":\"L2NhbGljby9h\",\"range_end\":"
	    "\"L2NhbGljby9i\",\"revision\":\"42\",\"limit\":\"500\","
	    "\"count_only\":true}");
	free(r);
	/* The next page starts after the last key: key + NUL. */
	r = etcd_req_range("/calico/a\0", 10, "/calico/b", 0, 0, 0);
	assert_string_equal(r, "{\"key\":\"L2NhbGljby9hAA==\",\"range_end\":"
	    "\"L2NhbGljby9i\"}");
	free(r);
}

static void
test_req_create(void **state)
{
	char	*r, *k = b64("/k"), *v = b64("{\"a\":1}"), *want;

	(void)state;
	r = etcd_req_create("/k", "{\"a\":1}", 7);
	want = fmt("{\"compare\":[{\"key\":\"%s\",\"target\":"
	    "\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"}],"
	    "\"success\":[{\"request_put\":{\"key\":\"%s\",\"value\":\"%s\"}}],"
	    "\"failure\":[{\"request_range\":{\"key\":\"%s\"}}]}", k, k, v,
	    k);
	assert_string_equal(r, want);
	free(want);
	free(r);
	free(k);
	free(v);
}

static void
test_req_update_delete(void **state)
{
	struct doc_node	*d, *cmp;
	uint64_t	 rev = 17;
	char		*r;

	(void)state;
	/* Update without a revision: the key must exist. */
	r = etcd_req_update("/k", "v", 1, NULL);
	d = json(r);
	cmp = doc_map_get(d, "compare");
	assert_int_equal(cmp->n, 1);
	assert_string_equal(str_at(cmp->items[0], "target", NULL), "CREATE");
	assert_string_equal(str_at(cmp->items[0], "result", NULL), "GREATER");
	assert_string_equal(str_at(cmp->items[0], "create_revision", NULL),
	    "0");
	assert_string_equal(str_at(doc_map_get(d, "success")->items[0],
	    "request_put", "value"), "dg==");
	doc_free(d);
	free(r);
	/* With one: and at that mod_revision (0 too: never "absent"). */
	r = etcd_req_update("/k", "v", 1, &rev);
	d = json(r);
	cmp = doc_map_get(d, "compare");
	assert_int_equal(cmp->n, 2);
	assert_string_equal(str_at(cmp->items[1], "target", NULL), "MOD");
	assert_string_equal(str_at(cmp->items[1], "result", NULL), "EQUAL");
	assert_string_equal(str_at(cmp->items[1], "mod_revision", NULL),
	    "17");
	doc_free(d);
	free(r);
	r = etcd_req_delete("/k", &rev);
	d = json(r);
	assert_int_equal(doc_map_get(d, "compare")->n, 2);
	assert_string_equal(str_at(doc_map_get(d, "success")->items[0],
	    "request_delete_range", "key"), "L2s=");
	assert_string_equal(str_at(doc_map_get(d, "failure")->items[0],
	    "request_range", "key"), "L2s=");
	doc_free(d);
	free(r);
	r = etcd_req_delete("/k", NULL);
	d = json(r);
	assert_int_equal(doc_map_get(d, "compare")->n, 1);
	doc_free(d);
	free(r);
}

static void
test_req_watch(void **state)
{
	struct doc_node	*d, *c;
	char		*r;

	(void)state;
	r = etcd_req_watch("/a/", "/a0", 0);
	assert_string_equal(r, "{\"create_request\":{\"key\":\"L2Ev\","
	    "\"range_end\":\"L2Ew\",\"progress_notify\":true}}");
	free(r);
	r = etcd_req_watch("/a/", "/a0", 1234567890123ULL);
	d = json(r);
	c = doc_map_get(d, "create_request");
	assert_string_equal(str_at(c, "start_revision", NULL),
	    "1234567890123");
	doc_free(d);
	free(r);
}

/*
 * Replies.
 */

#define HDR	"\"header\":{\"cluster_id\":\"14841639068965178418\"," \
		"\"member_id\":\"10276657743932975437\",\"revision\":\"7\"," \
		"\"raft_term\":\"2\"}"

static void
test_parse_range(void **state)
{
	const char		*ok = "{" HDR ",\"kvs\":[{\"key\":"
	    "\"L2NhbGljby9h\",\"create_revision\":\"2\",\"mod_revision\":"
	    "\"5\",\"version\":\"2\",\"value\":\"eyJ4IjoxfQ==\"},{\"key\":"
	    "\"L2I=\",\"mod_revision\":\"6\"}],\"count\":\"2\",\"more\":true}";
	const char		*empty = "{" HDR "}";
	struct etcd_range	 r;
	char			 err[256];

	(void)state;
	assert_int_equal(etcd_parse_range(ok, strlen(ok), &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.rev, 7);
	assert_int_equal(r.n, 2);
	assert_true(r.more);
	assert_string_equal(r.kvs[0].key, "/calico/a");
	assert_int_equal(r.kvs[0].keylen, 9);
	assert_string_equal(r.kvs[0].value, "{\"x\":1}");
	assert_int_equal(r.kvs[0].create_rev, 2);
	assert_int_equal(r.kvs[0].mod_rev, 5);
	assert_int_equal(r.kvs[0].version, 2);
	assert_string_equal(r.kvs[1].key, "/b");
	assert_int_equal(r.kvs[1].vlen, 0);
	assert_int_equal(r.kvs[1].create_rev, 0);
	etcd_range_free(&r);
	assert_int_equal(etcd_parse_range(empty, strlen(empty), &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.n, 0);
	assert_false(r.more);
	etcd_range_free(&r);
}

static void
test_parse_bad(void **state)
{
	static const char *bad[] = {
		"", "[]", "null", "{", "{}", "garbage",
		"{\"header\":{}}",
		"{\"header\":{\"revision\":\"0\"}}",
		"{\"header\":{\"revision\":\"-1\"}}",
		"{\"header\":{\"revision\":\"18446744073709551616\"}}",
		"{\"header\":{\"revision\":\"12x\"}}",
		"{\"header\":{\"revision\":1.5}}",
		"{\"header\":[],\"kvs\":[]}",
		"{" HDR ",\"kvs\":{}}",
		"{" HDR ",\"kvs\":[1]}",
		"{" HDR ",\"kvs\":[{}]}",
		"{" HDR ",\"kvs\":[{\"key\":\"\"}]}",
		"{" HDR ",\"kvs\":[{\"key\":\"!!!!\"}]}",
		"{" HDR ",\"kvs\":[{\"key\":5}]}",
		"{" HDR ",\"kvs\":[{\"key\":\"L2I=\",\"value\":7}]}",
		"{" HDR ",\"kvs\":[{\"key\":\"L2I=\",\"value\":\"x\"}]}",
		"{" HDR ",\"kvs\":[{\"key\":\"L2I=\",\"mod_revision\":\"a\"}]}",
		"{" HDR ",\"more\":\"yes\"}",
		"{" HDR ",\"x\":1,\"x\":2}",
	};
	struct etcd_range	 r;
	char			 err[256];
	uint64_t		 rev;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (etcd_parse_range(bad[i], strlen(bad[i]), &r, err,
		    sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(r.n, 0);
		assert_null(r.kvs);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(etcd_parse_rev("{" HDR "}", strlen("{" HDR "}"),
	    &rev, err, sizeof(err)), 0);
	assert_int_equal(rev, 7);
	assert_int_equal(etcd_parse_rev("{}", 2, &rev, err, sizeof(err)), -1);
}

static void
test_parse_txn(void **state)
{
	const char	*ok = "{" HDR ",\"succeeded\":true,\"responses\":"
	    "[{\"response_put\":{\"header\":{\"revision\":\"7\"}}}]}";
	const char	*found = "{" HDR ",\"responses\":["
	    "{\"response_range\":"
	    "{\"header\":{\"revision\":\"7\"},\"kvs\":[{\"key\":\"L2s=\","
	    "\"create_revision\":\"2\",\"mod_revision\":\"4\",\"version\":"
	    "\"2\",\"value\":\"eA==\"}],\"count\":\"1\"}}]}";
	const char	*absent = "{" HDR ",\"responses\":["
	    "{\"response_range\":"
	    "{\"header\":{\"revision\":\"7\"}}}]}";
	const char	*bad[] = {
		"{" HDR "}",
		"{" HDR ",\"responses\":[]}",
		"{" HDR ",\"responses\":[{\"response_put\":{}}]}",
		"{" HDR ",\"succeeded\":1}",
		"{" HDR ",\"responses\":[{\"response_range\":{\"kvs\":[7]}}]}",
	};
	struct etcd_txn	 t;
	char		 err[256];
	size_t		 i;

	(void)state;
	assert_int_equal(etcd_parse_txn(ok, strlen(ok), &t, err, sizeof(err)),
	    0);
	assert_true(t.succeeded);
	assert_int_equal(t.rev, 7);
	assert_int_equal(etcd_parse_txn(found, strlen(found), &t, err,
	    sizeof(err)), 0);
	assert_false(t.succeeded);
	assert_true(t.found);
	assert_int_equal(t.found_rev, 4);
	assert_int_equal(etcd_parse_txn(absent, strlen(absent), &t, err,
	    sizeof(err)), 0);
	assert_false(t.succeeded);
	assert_false(t.found);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (etcd_parse_txn(bad[i], strlen(bad[i]), &t, err,
		    sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i]);
}

static void
test_parse_wmsg(void **state)
{
	const char	*created = "{\"result\":{" HDR ",\"created\":true}}";
	const char	*events = "{\"result\":{" HDR ",\"watch_id\":\"3\","
	    "\"events\":[{\"kv\":{\"key\":\"L2E=\",\"mod_revision\":\"5\","
	    "\"value\":\"eQ==\"}},{\"type\":\"DELETE\",\"kv\":{\"key\":"
	    "\"L2I=\",\"mod_revision\":\"6\"}}]}}";
	const char	*compact = "{\"result\":{\"header\":{\"cluster_id\":"
	    "\"1\"},\"canceled\":true,\"compact_revision\":\"5\"}}";
	const char	*cancel = "{\"result\":{" HDR ",\"canceled\":true,"
	    "\"cancel_reason\":\"etcdserver: no leader\"}}";
	const char	*error = "{\"error\":{\"grpc_code\":14,\"http_code\":"
	    "503,\"message\":\"etcdserver: no leader\",\"http_status\":"
	    "\"Service Unavailable\"}}";
	const char	*bad[] = {
		"{}", "{\"result\":[]}", "{\"result\":{\"events\":{}}}",
		"{\"result\":{\"events\":[{\"type\":\"PATCH\",\"kv\":{\"key\":"
		    "\"L2E=\"}}]}}",
		"{\"result\":{\"events\":[{\"kv\":{}}]}}",
		"{\"result\":{\"events\":[7]}}",
		"{\"result\":{\"created\":\"yes\"}}",
		"{\"result\":{\"header\":{\"revision\":\"x\"}}}",
		"not json",
	};
	struct etcd_wmsg m;
	size_t		 i;

	(void)state;
	assert_int_equal(etcd_parse_wmsg(created, strlen(created), &m), 0);
	assert_true(m.created);
	assert_int_equal(m.rev, 7);
	assert_int_equal(m.watch_id, 0);
	assert_int_equal(m.nevents, 0);
	etcd_wmsg_free(&m);
	assert_int_equal(etcd_parse_wmsg(events, strlen(events), &m), 0);
	assert_int_equal(m.watch_id, 3);
	assert_int_equal(m.nevents, 2);
	assert_string_equal(m.keys[0], "/a");
	assert_string_equal(m.keys[1], "/b");
	assert_int_equal(m.last_mod_rev, 6);
	etcd_wmsg_free(&m);
	assert_int_equal(etcd_parse_wmsg(compact, strlen(compact), &m), 0);
	assert_true(m.canceled);
	assert_int_equal(m.compact_rev, 5);
	assert_int_equal(m.rev, 0);
	etcd_wmsg_free(&m);
	assert_int_equal(etcd_parse_wmsg(cancel, strlen(cancel), &m), 0);
	assert_true(m.canceled);
	assert_string_equal(m.msg, "etcdserver: no leader");
	etcd_wmsg_free(&m);
	assert_int_equal(etcd_parse_wmsg(error, strlen(error), &m), 0);
	assert_true(m.is_error);
	assert_string_equal(m.msg, "etcdserver: no leader");
	etcd_wmsg_free(&m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (etcd_parse_wmsg(bad[i], strlen(bad[i]), &m) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_true(m.msg[0] != '\0');
		assert_int_equal(m.nevents, 0);
		assert_null(m.keys);
	}
}

static void
test_stream_split(void **state)
{
	const char	*s = " \n{\"a\":\"}{\\\"\"}\r\n{\"b\":[{}]}{\"c\":";
	size_t		 start, end, off = 0;
	int		 bad;

	(void)state;
	end = etcd_stream_next(s, strlen(s), &start, &bad);
	assert_false(bad);
	assert_int_equal(start, 2);
	assert_int_equal(end, 14);
	off = end;
	end = etcd_stream_next(s + off, strlen(s) - off, &start, &bad);
	assert_int_equal(start, 2);
	assert_memory_equal(s + off + start, "{\"b\":[{}]}", end - start);
	off += end;
	/* Incomplete: wait for more. */
	assert_int_equal(etcd_stream_next(s + off, strlen(s) - off, &start,
	    &bad), 0);
	assert_false(bad);
	assert_int_equal(etcd_stream_next("  \n", 3, &start, &bad), 0);
	assert_false(bad);
	assert_int_equal(start, 3);
	assert_int_equal(etcd_stream_next("x{}", 3, &start, &bad), 0);
	assert_true(bad);
	assert_int_equal(etcd_stream_next("{]]}", 4, &start, &bad), 0);
	assert_true(bad);
	assert_int_equal(etcd_stream_next("{[}]", 4, &start, &bad), 0);
	assert_true(bad);
	assert_int_equal(etcd_stream_next("{\"]\"}", 5, &start, &bad), 5);
	assert_false(bad);
}

static void
test_errors(void **state)
{
	const char	*future = "{\"error\":\"etcdserver: mvcc: required "
	    "revision is a future revision\",\"message\":\"etcdserver: mvcc: "
	    "required revision is a future revision\",\"code\":11}";
	const char	*noleader = "{\"error\":\"etcdserver: no leader\","
	    "\"code\":14}";
	char		 buf[256];

	(void)state;
	assert_int_equal(etcd_outcome(200, "{}", 2), ETCD_OK);
	assert_int_equal(etcd_outcome(0, NULL, 0), ETCD_FAILOVER);
	assert_int_equal(etcd_outcome(503, NULL, 0), ETCD_FAILOVER);
	assert_int_equal(etcd_outcome(500, "x", 1), ETCD_FAILOVER);
	assert_int_equal(etcd_outcome(400, future, strlen(future)),
	    ETCD_REJECTED);
	assert_int_equal(etcd_outcome(400, noleader, strlen(noleader)),
	    ETCD_FAILOVER);
	assert_int_equal(etcd_outcome(404, "<html>", 6), ETCD_REJECTED);
	etcd_error_text(400, future, strlen(future), buf, sizeof(buf));
	assert_string_equal(buf, "etcdserver: mvcc: required revision is a "
	    "future revision (code 11)");
	etcd_error_text(503, noleader, strlen(noleader), buf, sizeof(buf));
	assert_string_equal(buf, "etcdserver: no leader (code 14)");
	etcd_error_text(404, "<html>", 6, buf, sizeof(buf));
	assert_string_equal(buf, "HTTP status 404");
	etcd_error_text(502, NULL, 0, buf, sizeof(buf));
	assert_string_equal(buf, "HTTP status 502");
}

/*
 * Opening.
 */

static void
open_fails(const char *urls, const char *want)
{
	struct ds_err	 err;
	struct ds	*ds;

	memset(&err, 0, sizeof(err));
	ds = ds_open("etcdv3", urls, 0, &err);
	if (ds != NULL)
		fail_msg("opened %s", urls);
	if (strstr(err.msg, want) == NULL)
		fail_msg("%s: '%s' does not say '%s'", urls, err.msg, want);
	assert_int_equal(err.code, DS_EINVAL);
}

static void
test_open(void **state)
{
	struct ds_etcd_conf	 conf;
	struct ds_err		 err;
	struct ds		*ds;
	char			 st[256];

	(void)state;
	open_fails("/var/lib/tortie/datastore", "expected http:// or https://");
	open_fails("http://[::1", "not a URL");
	open_fails("ftp://h", "expected http:// or https://");
	open_fails("http://u@h:2379", "only scheme, host and port");
	open_fails("http://h:2379/v3", "only scheme, host and port");
	open_fails("http://h:2379?x=1", "only scheme, host and port");
	open_fails("http://h:0", "bad port");
	open_fails("http://h:99999", "");
	open_fails("", "0 endpoints given, 1 to 16 needed");
	open_fails(",,", "0 endpoints given");
	open_fails("http://a,http://b,http://c,http://d,http://e,http://f,"
	    "http://g,http://h,http://i,http://j,http://k,http://l,http://m,"
	    "http://n,http://o,http://p,http://q", "more than 16");
	ds = ds_open("etcdv3", "http://127.0.0.1:2379,https://[::1]", 0, &err);
	assert_non_null(ds);
	assert_int_equal(ds_etcd_status_str(ds, st, sizeof(st)), 0);
	assert_string_equal(st, "not watching (http://127.0.0.1:2379)");
	assert_int_equal(ds_watch_start(ds, &err), -1);
	assert_non_null(strstr(err.msg, "needs an event loop"));
	ds_close(ds);
	/* TLS files are read when the client is made. */
	memset(&conf, 0, sizeof(conf));
	conf.endpoints[0] = "https://127.0.0.1:2379";
	conf.nendpoints = 1;
	conf.ca_file = "/nonexistent/ca.pem";
	assert_null(ds_open_etcd(&conf, 0, &err));
	assert_non_null(strstr(err.msg, "caFile /nonexistent/ca.pem"));
	conf.ca_file = NULL;
	conf.cert_file = "/nonexistent/cert.pem";
	assert_null(ds_open_etcd(&conf, 0, &err));
	assert_non_null(strstr(err.msg, "certFile /nonexistent/cert.pem"));
	/* Plain endpoints need no TLS files at all. */
	conf.endpoints[0] = "http://127.0.0.1:2379";
	ds = ds_open_etcd(&conf, 0, &err);
	assert_non_null(ds);
	ds_close(ds);
	/* Not an etcd handle: no status. */
	assert_int_equal(ds_etcd_status_str(NULL, st, sizeof(st)), -1);
}

/*
 * The typed calls against a fake gateway in a child process: port A
 * answers every request "503 no leader", port B holds one BGPPeer and
 * fails every txn with the key present, port C fails every txn with the
 * key absent.
 */

#define PEER_JSON "{\"apiVersion\":\"projectcalico.org/v3\",\"kind\":" \
	"\"BGPPeer\",\"metadata\":{\"name\":\"rack1-tor\",\"uid\":\"u1\"," \
	"\"creationTimestamp\":\"2024-01-01T00:00:00Z\"},\"spec\":{" \
	"\"peerIP\":" \
	"\"198.18.0.1\",\"asNumber\":64567}}"

enum fake_kind { FAKE_DOWN, FAKE_FOUND, FAKE_ABSENT };

static void
fake_reply(struct evhttp_request *req, int code, const char *body)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, code, code == 200 ? "OK" : "Error", b);
	evbuffer_free(b);
}

static void
fake_cb(struct evhttp_request *req, void *arg)
{
	enum fake_kind	 kind = (enum fake_kind)(intptr_t)arg;
	const char	*uri = evhttp_request_get_uri(req);
	char		*kv, *key, *val, *body;

	if (kind == FAKE_DOWN) {
		fake_reply(req, 503, "{\"error\":\"etcdserver: no leader\","
		    "\"message\":\"etcdserver: no leader\",\"code\":14}");
		return;
	}
	key = b64("/calico/resources/v3/projectcalico.org/bgppeers/"
	    "rack1-tor");
	val = b64(PEER_JSON);
	kv = fmt("{\"key\":\"%s\",\"create_revision\":\"3\","
	    "\"mod_revision\":\"9\",\"version\":\"2\",\"value\":\"%s\"}",
	    key, val);
	if (strcmp(uri, "/v3/kv/range") == 0 && kind == FAKE_FOUND)
		body = fmt("{" HDR ",\"kvs\":[%s]}", kv);
	else if (strcmp(uri, "/v3/kv/range") == 0)
		body = fmt("{" HDR "}");
	else if (kind == FAKE_FOUND)
		body = fmt("{" HDR ",\"responses\":[{\"response_range\":"
		    "{\"kvs\":[%s]}}]}", kv);
	else
		body = fmt("{" HDR ",\"responses\":[{\"response_range\":"
		    "{}}]}");
	fake_reply(req, 200, body);
	free(body);
	free(kv);
	free(key);
	free(val);
}

static pid_t	 fake_pid;
static int	 fake_port[3];

static int
fake_setup(void **state)
{
	struct event_base	*base;
	struct evhttp		*http[3];
	struct evhttp_bound_socket *bs;
	struct sockaddr_in	 sin;
	socklen_t		 len;
	int			 i, p[2];

	(void)state;
	if (pipe(p) == -1)
		return -1;
	if ((fake_pid = fork()) == -1)
		return -1;
	if (fake_pid == 0) {
		base = event_base_new();
		for (i = 0; i < 3; i++) {
			http[i] = evhttp_new(base);
			evhttp_set_gencb(http[i], fake_cb,
			    (void *)(intptr_t)i);
			bs = evhttp_bind_socket_with_handle(http[i],
			    "127.0.0.1", 0);
			len = sizeof(sin);
			if (bs == NULL || getsockname(
			    evhttp_bound_socket_get_fd(bs),
			    (struct sockaddr *)&sin, &len) == -1)
				_exit(1);
			fake_port[i] = ntohs(sin.sin_port);
		}
		if (write(p[1], fake_port, sizeof(fake_port)) !=
		    sizeof(fake_port))
			_exit(1);
		event_base_dispatch(base);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], fake_port, sizeof(fake_port)) != sizeof(fake_port))
		return -1;
	close(p[0]);
	return 0;
}

static int
fake_teardown(void **state)
{
	(void)state;
	kill(fake_pid, SIGTERM);
	waitpid(fake_pid, NULL, 0);
	return 0;
}

/* Short timeouts: "nobody serves" is retried until the timeout. */
static struct ds *
fake_open(int first, int second)
{
	struct ds_etcd_conf	 conf;
	struct ds_err		 err;
	struct ds		*ds;
	char			 u[2][64];

	memset(&conf, 0, sizeof(conf));
	snprintf(u[0], sizeof(u[0]), "http://127.0.0.1:%d", fake_port[first]);
	snprintf(u[1], sizeof(u[1]), "http://127.0.0.1:%d",
	    fake_port[second]);
	conf.endpoints[0] = u[0];
	conf.endpoints[1] = u[1];
	conf.nendpoints = 2;
	conf.timeout_ms = 600;
	if ((ds = ds_open_etcd(&conf, 0, &err)) == NULL)
		fail_msg("%s", err.msg);
	return ds;
}

static struct resource
peer(const char *rv)
{
	struct res_list		 l;
	struct res_errors	 errs;
	struct resource		 r;
	char			 y[512];

	snprintf(y, sizeof(y), "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeer\nmetadata:\n  name: rack1-tor\n%s%s%s"
	    "spec:\n  peerIP: 198.18.0.1\n  asNumber: 64567\n",
	    rv ? "  resourceVersion: \"" : "", rv ? rv : "", rv ? "\"\n" : "");
	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	if (res_parse(y, strlen(y), "t", &l, &errs) == -1 || l.n != 1)
		fail_msg("peer: %s", errs.n ? errs.msgs[0] : "?");
	r = l.items[0];
	l.n = 0;
	res_list_free(&l);
	res_errors_free(&errs);
	return r;
}

static void
test_fake_failover(void **state)
{
	struct ds	*ds = fake_open(FAKE_DOWN, FAKE_FOUND);
	struct resource	 r;
	struct ds_err	 err;
	struct res_list	 l;
	uint64_t	 rev;

	(void)state;
	/* The first endpoint has no leader: the second answers. */
	assert_int_equal(ds_get(ds, RES_BGPPEER, "rack1-tor", &r, &err), 0);
	assert_string_equal(res_meta(&r)->resource_version, "9");
	assert_string_equal(res_meta(&r)->uid, "u1");
	assert_int_equal(r.u.bgppeer.spec.as_number, 64567);
	res_free(&r);
	memset(&l, 0, sizeof(l));
	assert_int_equal(ds_list(ds, RES_BGPPEER, &l, &rev, NULL, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(rev, 7);
	res_list_free(&l);
	ds_close(ds);
	/* Nobody serves: every endpoint's reason. */
	ds = fake_open(FAKE_DOWN, FAKE_DOWN);
	assert_int_equal(ds_get(ds, RES_BGPPEER, "rack1-tor", &r, &err), -1);
	assert_int_equal(err.code, DS_EIO);
	assert_non_null(strstr(err.msg, "etcd unreachable ("));
	assert_non_null(strstr(err.msg, "etcdserver: no leader (code 14); "));
	ds_close(ds);
}

static void
test_fake_errors(void **state)
{
	struct ds	*ds = fake_open(FAKE_FOUND, FAKE_FOUND);
	struct resource	 r;
	struct ds_err	 err;

	(void)state;
	r = peer(NULL);
	assert_int_equal(ds_create(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_EEXIST);
	assert_string_equal(err.msg,
	    "resource already exists: BGPPeer(rack1-tor)");
	res_free(&r);
	/* Stale resourceVersion: caught before the write. */
	r = peer("8");
	assert_int_equal(ds_update(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	assert_string_equal(err.msg, "update conflict: BGPPeer(rack1-tor)");
	res_free(&r);
	/* Current one, but the txn's compare fails: a concurrent write. */
	r = peer("9");
	assert_int_equal(ds_update(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	res_free(&r);
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "rack1-tor", "9", &err),
	    -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	ds_close(ds);
	ds = fake_open(FAKE_ABSENT, FAKE_ABSENT);
	r = peer(NULL);
	assert_int_equal(ds_update(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_string_equal(err.msg, "resource does not exist: "
	    "BGPPeer(rack1-tor) with error: <nil>");
	res_free(&r);
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "rack1-tor", NULL, &err),
	    -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_int_equal(ds_get(ds, RES_BGPPEER, "rack1-tor", &r, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	/* Bad names never reach the server. */
	assert_int_equal(ds_get(ds, RES_BGPPEER, "../x", &r, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	ds_close(ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),
		cmocka_unit_test(test_b64_binary),
		cmocka_unit_test(test_b64_bad),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_key_name),
		cmocka_unit_test(test_ipam_key),
		cmocka_unit_test(test_affinity_doc),
		cmocka_unit_test(test_relevant),
		cmocka_unit_test(test_req_range),
		cmocka_unit_test(test_req_create),
		cmocka_unit_test(test_req_update_delete),
		cmocka_unit_test(test_req_watch),
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_txn),
		cmocka_unit_test(test_parse_wmsg),
		cmocka_unit_test(test_stream_split),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_open),
		cmocka_unit_test_setup_teardown(test_fake_failover,
		    fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_errors,
		    fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
