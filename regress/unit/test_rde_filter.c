/*
 * ribd: BGPFilter rules (CALICO.md 2.9): each operator and condition,
 * the operations of Accept rules, first match wins, fall-through to
 * Calico's export policy, import rules, and a change of rules taking
 * effect on an established session.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rde_testutil.h"

#define IBGP	1	/* peer 198.18.0.2, AS 64512 */
#define EBGP	2	/* peer 198.18.0.254, AS 65000, the route source */
#define EBGP2	3	/* peer 198.18.0.3, AS 65001 */

static struct imsg_filter_rule	 rules[8];
static int			 nrules;

static struct imsg_filter_rule *
rule(uint32_t peerid, uint8_t dir, uint8_t action)
{
	struct imsg_filter_rule	*r = &rules[nrules++];

	memset(r, 0, sizeof(*r));
	r->peerid = peerid;
	r->dir = dir;
	r->aid = BGP_AID_IPV4;
	r->action = action;
	r->rule = (uint16_t)(nrules - 1);
	strlcpy(r->filter, "test", sizeof(r->filter));
	return r;
}

static void
cidr(struct imsg_filter_rule *r, const char *pfx, uint8_t match)
{
	struct bgp_prefix	 p = rt_pfx(pfx);

	r->cidr = p.addr;
	r->cidr_plen = p.plen;
	r->match = match;
}

/* The configuration with the rules so far, then the three peers. */
static void
start(void)
{
	int	 i;

	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_orig("198.19.7.0/26", RC_ORIG_BLOCK, RC_ORIG_F_ADVERTISE);
	for (i = 0; i < nrules; i++)
		if (rde_conf_filter(&rules[i]) == -1)
			fail();
	rt_done();
	rt_peer(IBGP, "198.18.0.2", 64512, 0);
	rt_peer(EBGP, "198.18.0.254", 65000, 0);
	rt_peer(EBGP2, "198.18.0.3", 65001, 0);
	rt_up(IBGP);
	rt_up(EBGP);
	rt_up(EBGP2);
	rt_run();
}

static int
setup(void **state)
{
	(void)state;
	nrules = 0;
	rt_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rt_fini();
	return 0;
}

static const struct rt_attr	 base = { .path = { 65000, 65100, 65200 },
				    .npath = 3, .nexthop = "198.18.0.254" };

/* Announce from the eBGP source; 1 if peer got it, -1 if not. */
static int
through(uint32_t peer, const struct rt_attr *a, const char *pfx)
{
	struct rt_seen	 sn;

	rt_announce(EBGP, a ? a : &base, pfx);
	rt_run();
	rt_seen(peer, pfx, &sn);
	return sn.announced;
}

static void
test_equal(void **state)
{
	(void)state;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT), "8.8.8.0/24",
	    RC_MATCH_EQUAL);
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), 1);
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/25"), -1);
	/* Another peer without the rule: Calico's policy rejects. */
	assert_int_equal(through(IBGP, NULL, "8.8.8.0/24"), -1);
}

static void
test_not_equal(void **state)
{
	(void)state;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT), "198.19.8.0/26",
	    RC_MATCH_NOT_EQUAL);
	start();
	assert_int_equal(through(EBGP2, NULL, "198.19.8.0/26"), 1);
	assert_int_equal(through(EBGP2, NULL, "198.19.9.0/26"), -1);
}

static void
test_in(void **state)
{
	(void)state;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT), "8.0.0.0/8",
	    RC_MATCH_IN);
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), 1);
	assert_int_equal(through(EBGP2, NULL, "8.0.0.0/8"), 1);
	assert_int_equal(through(EBGP2, NULL, "9.9.9.0/24"), -1);
}

static void
test_not_in(void **state)
{
	(void)state;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT), "198.19.8.0/24",
	    RC_MATCH_NOT_IN);
	start();
	assert_int_equal(through(EBGP2, NULL, "198.19.8.64/26"), 1);
	assert_int_equal(through(EBGP2, NULL, "198.19.9.0/26"), -1);
}

static void
test_prefix_length(void **state)
{
	struct imsg_filter_rule	*r;

	(void)state;
	r = rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	cidr(r, "8.0.0.0/8", RC_MATCH_IN);
	r->has_len = 1;
	r->min_len = 24;
	r->max_len = 24;
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), 1);
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/25"), -1);
	assert_int_equal(through(EBGP2, NULL, "8.8.0.0/16"), -1);
}

static void
test_source(void **state)
{
	struct rt_seen	 sn;

	(void)state;
	rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT)->source_remote = 1;
	start();
	assert_int_equal(through(EBGP2, NULL, "198.19.8.0/26"), -1);
	rt_seen(EBGP2, "198.19.7.0/26", &sn);
	assert_int_equal(sn.announced, 1);
}

/*
 * Without kroute's interface view routes carry no interface: an
 * interface condition never holds (test_rde_nexthop.c has the view).
 */
static void
test_interface(void **state)
{
	(void)state;
	strlcpy(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT)->iface, "*",
	    RC_IFNAME_LEN);
	start();
	assert_int_equal(through(EBGP2, NULL, "198.19.8.0/26"), 1);
}

static void
test_peer_type(void **state)
{
	(void)state;
	rule(IBGP, RC_FDIR_EXPORT, RC_ACTION_REJECT)->peer_type = RC_PT_EBGP;
	rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT)->peer_type = RC_PT_EBGP;
	start();
	assert_int_equal(through(IBGP, NULL, "198.19.8.0/26"), 1);
	assert_int_equal(through(EBGP2, NULL, "198.19.8.0/26"), -1);
}

static void
test_community(void **state)
{
	struct imsg_filter_rule	*r;
	struct rt_attr		 a = base;

	(void)state;
	r = rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->has_community = 1;
	r->community.a = 65000;
	r->community.b = 1;
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), -1);
	a.comms[0] = 65000U << 16 | 1;
	a.ncomms = 1;
	assert_int_equal(through(EBGP2, &a, "8.8.9.0/24"), 1);
}

static void
test_aspath_prefix(void **state)
{
	struct imsg_filter_rule	*r;
	struct rt_attr		 a = base;

	(void)state;
	r = rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->nas_path = 2;
	r->as_path[0] = 65000;
	r->as_path[1] = 65100;
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), 1);
	a.path[1] = 65200;
	assert_int_equal(through(EBGP2, &a, "8.8.9.0/24"), -1);
}

static void
test_priority(void **state)
{
	struct imsg_filter_rule	*r;
	struct rt_attr		 a = { .path = { 65010 }, .npath = 1,
				    .nexthop = "198.18.0.2", .has_lp = 1,
				    .lp = 2147483647 - 1000 };
	struct rt_seen		 sn;

	(void)state;
	r = rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->has_priority = 1;
	r->priority = 1000;
	start();
	rt_announce(IBGP, &a, "8.8.8.0/24");
	a.lp = 100;
	rt_announce(IBGP, &a, "8.8.9.0/24");
	rt_run();
	rt_seen(EBGP2, "8.8.8.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	rt_seen(EBGP2, "8.8.9.0/24", &sn);
	assert_int_equal(sn.announced, -1);
}

static void
test_operations(void **state)
{
	struct imsg_filter_rule	*r;
	struct rt_seen		 sn;
	struct bgp_aspath_iter	 it;
	uint32_t		 as, want[] = { 64512, 65500, 65501, 65000 };
	uint8_t			 seg;
	int			 i;

	(void)state;
	r = rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	cidr(r, "8.0.0.0/8", RC_MATCH_IN);
	r->nops = 2;
	r->ops[0].kind = RC_FOP_ADD_COMMUNITY;
	r->ops[0].community.a = 64512;
	r->ops[0].community.b = 7;
	r->ops[1].kind = RC_FOP_PREPEND;
	r->ops[1].nprepend = 2;
	r->ops[1].prepend[0] = 65500;
	r->ops[1].prepend[1] = 65501;
	r = rule(IBGP, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->nops = 1;
	r->ops[0].kind = RC_FOP_SET_PRIORITY;
	r->ops[0].priority = 100;
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), 1);
	rt_seen(EBGP2, "8.8.8.0/24", &sn);
	assert_true(rt_seen_has_comm(&sn, 64512U << 16 | 7));
	bgp_aspath_iter_init(&it, sn.aspath, sn.aspath_len, 1);
	for (i = 0; i < 4; i++) {
		assert_int_equal(bgp_aspath_next(&it, &as, &seg), 1);
		assert_int_equal(as, want[i]);
	}
	rt_seen(IBGP, "8.8.8.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.u.attrs.local_pref, 2147483647 - 100);
}

static void
test_first_match(void **state)
{
	(void)state;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT), "8.8.0.0/16",
	    RC_MATCH_IN);
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT), "8.0.0.0/8",
	    RC_MATCH_IN);
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), -1);
	assert_int_equal(through(EBGP2, NULL, "8.9.0.0/16"), 1);
}

static void
test_import(void **state)
{
	struct imsg_filter_rule	*r;
	struct rde_prefix	*p;
	struct bgp_prefix	 bp;

	(void)state;
	cidr(rule(EBGP, RC_FDIR_IMPORT, RC_ACTION_REJECT), "8.8.0.0/16",
	    RC_MATCH_IN);
	r = rule(EBGP, RC_FDIR_IMPORT, RC_ACTION_ACCEPT);
	cidr(r, "8.9.0.0/16", RC_MATCH_IN);
	r->nops = 1;
	r->ops[0].kind = RC_FOP_SET_PRIORITY;
	r->ops[0].priority = 300;
	start();
	rt_announce(EBGP, &base, "8.8.8.0/24");
	rt_announce(EBGP, &base, "8.9.9.0/24");
	rt_announce(EBGP, &base, "9.9.9.0/24");
	assert_int_equal(rt_best("8.8.8.0/24"), -1);
	assert_int_equal(rde_peer_find(EBGP)->filtered, 1);
	assert_int_equal(rt_best("8.9.9.0/24"), EBGP);
	assert_int_equal(rt_best("9.9.9.0/24"), EBGP);
	bp = rt_pfx("8.9.9.0/24");
	p = rde_prefix_at(rde_prefix_find(bp.aid, bp.addr.bytes, bp.plen));
	assert_int_equal(rde_attr_get(rde_path_at(p->paths)->attrs)->
	    k.local_pref, 2147483647 - 300);
}

/* New rules for an established session: its exports change. */
static void
test_reconf(void **state)
{
	struct rt_seen	 sn;
	int		 i;

	(void)state;
	start();
	assert_int_equal(through(EBGP2, NULL, "8.8.8.0/24"), -1);
	assert_int_equal(through(EBGP2, NULL, "198.19.8.0/26"), 1);
	rt_clear();
	nrules = 0;
	cidr(rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_ACCEPT), "8.0.0.0/8",
	    RC_MATCH_IN);
	rule(EBGP2, RC_FDIR_EXPORT, RC_ACTION_REJECT);
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_orig("198.19.7.0/26", RC_ORIG_BLOCK, RC_ORIG_F_ADVERTISE);
	for (i = 0; i < nrules; i++)
		rde_conf_filter(&rules[i]);
	rt_done();
	rt_seen(EBGP2, "8.8.8.0/24", &sn);
	assert_int_equal(sn.announced, 1);
	rt_seen(EBGP2, "198.19.8.0/26", &sn);
	assert_int_equal(sn.announced, 0);
	rt_seen(EBGP2, "198.19.7.0/26", &sn);
	assert_int_equal(sn.announced, 0);
	/* The other peers did not move. */
	rt_seen(IBGP, "198.19.8.0/26", &sn);
	assert_int_equal(sn.announced, -1);
	assert_int_equal(sn.nupdates, 0);
}

/* Bad rules are refused. */
static void
test_bad_rules(void **state)
{
	struct imsg_filter_rule	*r;

	(void)state;
	rt_conf(64512, "198.18.0.1", NULL, 0);
	r = rule(EBGP, 7, RC_ACTION_ACCEPT);
	assert_int_equal(rde_conf_filter(r), -1);
	r = rule(EBGP, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->nops = RC_FOPS_MAX + 1;
	assert_int_equal(rde_conf_filter(r), -1);
	r = rule(EBGP, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->nops = 1;
	r->ops[0].kind = RC_FOP_PREPEND;
	r->ops[0].nprepend = 0;
	assert_int_equal(rde_conf_filter(r), -1);
	r = rule(EBGP, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	cidr(r, "2001:db8::/32", RC_MATCH_IN);
	assert_int_equal(rde_conf_filter(r), -1);
	r = rule(EBGP, RC_FDIR_EXPORT, RC_ACTION_ACCEPT);
	r->has_community = 1;
	r->community.a = 70000;
	assert_int_equal(rde_conf_filter(r), -1);
	rt_done();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_equal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_equal, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_length, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interface, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_community, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aspath_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_operations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_first_match, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rules, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
