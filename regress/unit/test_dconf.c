/*
 * tortie.yaml parsing: defaults, every key, and errors that name the
 * file, line, column and key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dconf.h"

static int
parse(const char *text, struct dconf *c, char *err, size_t errlen)
{
	dconf_defaults(c);
	return dconf_parse(text, strlen(text), "tortie.yaml", c, err, errlen);
}

static void
test_defaults(void **state)
{
	struct dconf	 c;
	char		 err[256];

	(void)state;
	assert_int_equal(parse("", &c, err, sizeof(err)), 0);
	assert_null(c.node_name);
	assert_string_equal(c.ds_type, "file");
	assert_string_equal(c.ds_path, "/var/lib/tortie/datastore");
	assert_string_equal(c.ctl_socket, "/run/tortie/tortied.sock");
	assert_string_equal(c.user, "_tortie");
	assert_int_equal(c.kernel_install, 1);
	assert_int_equal(c.kernel_table, 254);
	assert_int_equal(c.kernel_protocol, 186);
	assert_null(c.metrics_listen);
	dconf_free(&c);
}

static void
test_full(void **state)
{
	struct dconf	 c;
	char		 err[256];
	const char	*y =
	    "nodeName: node1\n"
	    "datastore:\n"
	    "  type: etcdv3\n"
	    "  path: /tmp/ds\n"
	    "  endpoints: [https://198.18.0.100:2379, "
	    "https://198.18.0.101:2379]\n"
	    "  caFile: /etc/tortie/etcd-ca.pem\n"
	    "  certFile: /etc/tortie/etcd.pem\n"
	    "  keyFile: /etc/tortie/etcd-key.pem\n"
	    "secretsDir: /etc/tortie/secrets\n"
	    "controlSocket: /tmp/x.sock\n"
	    "routerID: hash\n"
	    "kernel:\n"
	    "  install: false\n"
	    "  table: 100\n"
	    "  protocol: 200\n"
	    "user: nobody\n"
	    "metrics:\n"
	    "  listen: 127.0.0.1:9179\n";

	(void)state;
	assert_int_equal(parse(y, &c, err, sizeof(err)), 0);
	assert_string_equal(c.node_name, "node1");
	assert_string_equal(c.ds_type, "etcdv3");
	assert_int_equal(c.ds_nendpoints, 2);
	assert_string_equal(c.ds_endpoints[1], "https://198.18.0.101:2379");
	assert_string_equal(c.ds_key_file, "/etc/tortie/etcd-key.pem");
	assert_string_equal(c.router_id, "hash");
	assert_int_equal(c.kernel_install, 0);
	assert_int_equal(c.kernel_table, 100);
	assert_int_equal(c.kernel_protocol, 200);
	assert_string_equal(c.user, "nobody");
	assert_string_equal(c.metrics_listen, "127.0.0.1:9179");
	dconf_free(&c);
}

/* The bench adapter writes JSON: it is YAML too. */
static void
test_json(void **state)
{
	struct dconf	 c;
	char		 err[256];

	(void)state;
	assert_int_equal(parse("{\"nodeName\": \"dut\", \"datastore\": "
	    "{\"type\": \"file\", \"path\": \"/tmp/ds\"}, \"kernel\": "
	    "{\"install\": false}}\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.node_name, "dut");
	assert_string_equal(c.ds_path, "/tmp/ds");
	assert_int_equal(c.kernel_install, 0);
	dconf_free(&c);
}

static void
expect_error(const char *y, const char *msg)
{
	struct dconf	 c;
	char		 err[256];

	assert_int_equal(parse(y, &c, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
	dconf_free(&c);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("nodename: x\n",
	    "tortie.yaml:1:11: nodename: unknown key");
	expect_error("kernel:\n  install: yes please\n",
	    "tortie.yaml:2:12: kernel.install: expected true or false");
	expect_error("kernel:\n  table: -1\n",
	    "tortie.yaml:2:10: kernel.table: expected an integer from 0 to "
	    "4294967295");
	expect_error("kernel:\n  protocol: 300\n",
	    "tortie.yaml:2:13: kernel.protocol: expected an integer from 0 "
	    "to 255");
	expect_error("kernel:\n  protocol: 2\n",
	    "tortie.yaml:2:13: kernel.protocol: protocols 0-4 belong to the "
	    "kernel");
	expect_error("datastore:\n  type: consul\n",
	    "tortie.yaml:2:9: datastore.type: expected file or etcdv3");
	expect_error("datastore:\n  type: etcdv3\n",
	    "tortie.yaml:1:1: datastore.endpoints: etcdv3 needs at least one "
	    "endpoint");
	expect_error("routerID: 2001:db8::1\n",
	    "tortie.yaml:1:11: routerID: expected \"\", \"hash\" or an IPv4 "
	    "address, found \"2001:db8::1\"");
	expect_error("routerID: 0.0.0.0\n",
	    "tortie.yaml:1:11: routerID: 0.0.0.0 is not a valid BGP "
	    "identifier");
	expect_error("metrics:\n  listen: 9179\n",
	    "tortie.yaml:2:11: metrics.listen: expected address:port "
	    "([IPv6]:port), found \"9179\"");
	expect_error("logSeverityScreen: loud\n",
	    "tortie.yaml:1:20: logSeverityScreen: expected Fatal, Error, "
	    "Warning, Info, Debug or Trace");
	expect_error("datastore: [a]\n",
	    "tortie.yaml:1:12: datastore: expected a map");
	expect_error("- a\n",
	    "tortie.yaml:1:1: tortie.yaml: expected a map of keys");
	expect_error("controlSocket: null\n",
	    "tortie.yaml:1:16: controlSocket: must not be empty");
	expect_error("secretsDir: \"\"\n",
	    "tortie.yaml:1:13: secretsDir: must not be empty");
	expect_error("user:\n",
	    "tortie.yaml:1:6: user: must not be empty");
	expect_error("metrics:\n  port: 9\n",
	    "tortie.yaml:2:9: metrics: unknown key \"port\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
