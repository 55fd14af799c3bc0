/*
 * peer_conf_keeps_session(): which changes of a session's configuration
 * leave a running BGP session alone (a new name, group or Calico type, the
 * passive and Calico-node flags, the prefix limit, port 0 versus 179) and
 * which reset it (anything the OPEN, the TCP connection or ribd's handling
 * of the routes depends on).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peer_conf.h"
#include "util.h"

static void
base(struct imsg_peer *c)
{
	memset(c, 0, sizeof(*c));
	c->peerid = 7;
	c->groupid = 2;
	strlcpy(c->name, "Mesh_198_18_0_2", sizeof(c->name));
	strlcpy(c->group, "mesh", sizeof(c->group));
	assert_int_equal(addr_parse("198.18.0.2", &c->remote), 0);
	assert_int_equal(addr_parse("198.18.0.1", &c->local), 0);
	c->port = 179;
	c->holdtime = 240;
	c->peer_as = 64512;
	c->local_as = 64512;
	c->router_id = 0x01020304;
	c->flags = PEER_F_GR | PEER_F_CALICO_NODE;
	c->type = PEER_TYPE_MESH;
}

static void
test_kept(void **state)
{
	struct imsg_peer	 a, b;

	(void)state;
	base(&a);
	base(&b);
	assert_true(peer_conf_keeps_session(&a, &b));
	b.peerid = 9;
	b.groupid = 3;
	strlcpy(b.name, "Node_198_18_0_2", sizeof(b.name));
	strlcpy(b.group, "all-nodes", sizeof(b.group));
	b.type = PEER_TYPE_NODE;
	b.flags |= PEER_F_PASSIVE;
	b.flags &= ~PEER_F_CALICO_NODE;
	b.max_prefix = 100;
	b.port = 0;
	assert_true(peer_conf_keeps_session(&a, &b));
	assert_true(peer_conf_keeps_session(&b, &a));
}

/* Each of these alone makes a different session. */
static void
test_reset(void **state)
{
	struct imsg_peer	 a, b;
	int			 i;

	(void)state;
	base(&a);
	for (i = 0; i < 12; i++) {
		base(&b);
		switch (i) {
		case 0:
			assert_int_equal(addr_parse("198.18.0.3", &b.remote),
			    0);
			break;
		case 1:
			memset(&b.local, 0, sizeof(b.local));
			break;
		case 2:
			b.port = 1179;
			break;
		case 3:
			b.holdtime = 90;
			break;
		case 4:
			b.peer_as = 64513;
			break;
		case 5:
			b.local_as = 64513;
			break;
		case 6:
			b.flags &= ~PEER_F_GR;
			break;
		case 7:
			b.flags |= PEER_F_RR_CLIENT;
			break;
		case 8:
			b.md5_len = 3;
			memcpy(b.md5, "key", 3);
			break;
		case 9:
			b.ttl_security = 1;
			break;
		case 10:
			b.nexthop = NEXTHOP_SELF;
			break;
		case 11:
			b.cluster_id = 0x01010101;
			break;
		}
		assert_false(peer_conf_keeps_session(&a, &b));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
