/*
 * ribd: the configuration stream (ribconf_from_plan() from a plan, fed
 * back into ribd's handlers as the parent would send it), the checks of
 * each payload, and the `show rib` JSON.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "jsonw.h"
#include "plan.h"
#include "rde_testutil.h"

static int
setup(void **state)
{
	(void)state;
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

static struct plan_prefix
pp(const char *s)
{
	struct plan_prefix	 p;

	memset(&p, 0, sizeof(p));
	if (prefix_parse(s, &p.addr, &p.plen) == -1)
		abort();
	return p;
}

/* A plan with two sessions, one using a BGPFilter. */
static void
make_plan(struct plan *pl)
{
	static struct plan_session	 sess[2];
	static struct plan_prefix	 blocks[2];
	static struct plan_pool		 pools[1];
	static struct plan_service	 svcs[2];
	static struct plan_comm_prefix	 comms[1];
	static struct plan_filter	 filt[1];
	static struct plan_filter_rule	 exp4[2], imp4[1];
	static size_t			 fidx[1] = { 0 };

	memset(pl, 0, sizeof(*pl));
	memset(sess, 0, sizeof(sess));
	pl->router_id = rt_addr("198.18.0.1");
	pl->as_number = 64512;
	pl->cluster_id = rt_addr("10.0.0.1");
	pl->ipv4 = pp("198.18.0.1/24");
	pl->program_cluster_routes = RES_CR_ENABLED_NO_ENCAP_ONLY;
	pl->ipv4_priority = 1024;
	pl->ipv6_priority = 1024;
	strlcpy(sess[0].name, "Mesh_198_18_0_2", sizeof(sess[0].name));
	strlcpy(sess[1].name, "Node_198_18_0_254", sizeof(sess[1].name));
	sess[1].filters = fidx;
	sess[1].nfilters = 1;
	pl->sessions = sess;
	pl->nsessions = 2;
	blocks[0] = pp("198.19.7.0/26");
	blocks[1] = pp("198.19.9.1/32");
	pl->blocks = blocks;
	pl->nblocks = 2;
	memset(pools, 0, sizeof(pools));
	pools[0].cidr = pp("198.19.0.0/16");
	pools[0].ipip = RES_ENCAP_CROSS_SUBNET;
	pools[0].vxlan = RES_ENCAP_NEVER;
	pools[0].block_size = 26;
	pl->pools = pools;
	pl->npools = 1;
	memset(svcs, 0, sizeof(svcs));
	svcs[0].cidr = pp("10.96.0.0/12");
	svcs[0].kind = PLAN_SVC_CLUSTER;
	svcs[0].reject = 1;
	svcs[0].originate = 1;
	svcs[1].cidr = pp("203.0.113.0/24");
	svcs[1].kind = PLAN_SVC_LB;
	svcs[1].reject = 1;
	pl->services = svcs;
	pl->nservices = 2;
	memset(comms, 0, sizeof(comms));
	comms[0].cidr = pp("198.19.0.0/16");
	comms[0].comms[0].a = 64512;
	comms[0].comms[0].b = 300;
	comms[0].comms[1].large = 1;
	comms[0].comms[1].a = 1;
	comms[0].comms[1].b = 2;
	comms[0].comms[1].c = 3;
	comms[0].ncomms = 2;
	pl->comms = comms;
	pl->ncomms = 1;
	memset(exp4, 0, sizeof(exp4));
	exp4[0].cidr = pp("8.0.0.0/8");
	exp4[0].op = RES_MATCH_IN;
	exp4[0].action = RES_ACTION_ACCEPT;
	exp4[0].nops = 1;
	exp4[0].ops[0].kind = PLAN_FOP_PREPEND;
	exp4[0].ops[0].prepend[0] = 65500;
	exp4[0].ops[0].nprepend = 1;
	exp4[1].action = RES_ACTION_REJECT;
	memset(imp4, 0, sizeof(imp4));
	imp4[0].action = RES_ACTION_ACCEPT;
	imp4[0].has_priority = 1;
	imp4[0].priority = 10;
	memset(filt, 0, sizeof(filt));
	strlcpy(filt[0].name, "tor", sizeof(filt[0].name));
	filt[0].rules[RES_FILTER_EXPORT_V4] = exp4;
	filt[0].nrules[RES_FILTER_EXPORT_V4] = 2;
	filt[0].rules[RES_FILTER_IMPORT_V4] = imp4;
	filt[0].nrules[RES_FILTER_IMPORT_V4] = 1;
	pl->filters = filt;
	pl->nfilters = 1;
}

static int
feed(const struct ribconf_msg *m)
{
	switch (m->type) {
	case IMSG_RECONF_START:
		return rde_conf_start();
	case IMSG_RECONF_GLOBAL:
		return rde_conf_global(&m->data.global);
	case IMSG_RECONF_POOL:
		return rde_conf_pool(&m->data.pool);
	case IMSG_RECONF_ORIGINATE:
		return rde_conf_originate(&m->data.orig);
	case IMSG_RECONF_COMMUNITY:
		return rde_conf_community(&m->data.comm);
	case IMSG_RECONF_FILTER:
		return rde_conf_filter(&m->data.rule);
	case IMSG_RECONF_DONE:
		return rde_conf_done();
	}
	return -1;
}

static void
test_from_plan(void **state)
{
	struct plan		 pl;
	struct ribconf_msg	*m;
	uint32_t		 ids[2] = { 10, 11 };
	char			 err[128];
	int			 n, i, nrule = 0, norig = 0;

	(void)state;
	make_plan(&pl);
	n = ribconf_from_plan(&pl, ids, 1, &m, err, sizeof(err));
	assert_int_equal(n, 1 + 1 + 1 + 4 + 1 + 3 + 1);
	assert_int_equal(m[0].type, IMSG_RECONF_START);
	assert_int_equal(m[1].type, IMSG_RECONF_GLOBAL);
	assert_int_equal(m[1].data.global.local_as, 64512);
	assert_int_equal(m[1].data.global.cluster_id, rt_id("10.0.0.1"));
	assert_int_equal(m[1].data.global.ipv4_plen, 24);
	assert_true(m[1].data.global.flags & RC_F_KERNEL_INSTALL);
	assert_int_equal(m[1].data.global.cluster_routes,
	    RC_PCR_NOENCAP_ONLY);
	assert_int_equal(m[2].data.pool.ipip, RC_ENCAP_CROSS_SUBNET);
	assert_int_equal(m[n - 1].type, IMSG_RECONF_DONE);
	for (i = 0; i < n; i++) {
		if (m[i].type == IMSG_RECONF_FILTER) {
			assert_int_equal(m[i].data.rule.peerid, 11);
			nrule++;
		}
		if (m[i].type == IMSG_RECONF_ORIGINATE)
			norig++;
		assert_int_equal(feed(&m[i]), 0);
	}
	assert_int_equal(nrule, 3);
	assert_int_equal(norig, 4);
	/* The /26 block and the cluster IP range are originated. */
	assert_int_equal(rt_best("198.19.7.0/26"), 0);
	assert_int_equal(rt_best("10.96.0.0/12"), 0);
	assert_int_equal(rt_best("198.19.9.1/32"), -1);
	assert_int_equal(rt_best("203.0.113.0/24"), -1);
	/* Peer 11 gets a policy with the filter's rules. */
	rt_peer(11, "198.18.0.254", 65000, 0);
	assert_non_null(rde_peer_find(11)->policy);
	assert_int_equal(rde_peer_find(11)->policy->
	    nrules[RDE_FDIR_EXPORT][BGP_AID_IPV4], 2);
	rt_peer(10, "198.18.0.2", 64512, 0);
	assert_null(rde_peer_find(10)->policy);
	free(m);
}

static void
test_validation(void **state)
{
	struct imsg_global	 g;
	struct imsg_pool	 p;
	struct imsg_originate	 o;
	struct imsg_community	 c;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(rde_conf_global(&g), -1);	/* outside START */
	rde_conf_start();
	assert_int_equal(rde_conf_global(&g), -1);	/* AS 0 */
	g.local_as = 64512;
	g.cluster_routes = RC_PCR_ENABLED;
	g.ipv4 = rt_addr("2001:db8::1");
	assert_int_equal(rde_conf_global(&g), -1);
	g.ipv4 = rt_addr("198.18.0.1");
	g.ipv4_plen = 33;
	assert_int_equal(rde_conf_global(&g), -1);
	memset(&p, 0, sizeof(p));
	p.prefix = rt_addr("198.19.0.0");
	p.plen = 33;
	assert_int_equal(rde_conf_pool(&p), -1);
	p.plen = 16;
	p.ipip = 9;
	assert_int_equal(rde_conf_pool(&p), -1);
	memset(&o, 0, sizeof(o));
	o.prefix = rt_addr("198.19.0.0");
	o.plen = 26;
	assert_int_equal(rde_conf_originate(&o), -1);
	o.kind = RC_ORIG_BLOCK;
	assert_int_equal(rde_conf_originate(&o), 0);
	memset(&c, 0, sizeof(c));
	c.prefix = rt_addr("198.19.0.0");
	c.plen = 16;
	c.ncomms = RC_COMMS_MAX + 1;
	assert_int_equal(rde_conf_community(&c), -1);
	c.ncomms = 1;
	c.comms[0].a = 70000;
	assert_int_equal(rde_conf_community(&c), -1);
	/* No global settings: the whole configuration is refused. */
	assert_int_equal(rde_conf_done(), -1);
	assert_int_equal(rt_best("198.19.0.0/26"), -1);
}

static void
test_show_rib(void **state)
{
	struct rt_attr		 a = { .path = { 65000, 65010 }, .npath = 2,
				    .nexthop = "198.18.0.254", .has_med = 1,
				    .med = 5, .comms = { 65000U << 16 | 7 },
				    .ncomms = 1 };
	struct rt_attr		 b = { .path = { 65001 }, .npath = 1,
				    .nexthop = "198.18.0.3" };
	struct rde_cprefix	 c;
	struct jsonw		 jw;
	uint32_t		*v;
	size_t			 n, i;
	char			*s;
	int			 mode;

	(void)state;
	rt_conf(64512, "198.18.0.1", NULL, 0);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_orig("198.19.7.0/26", RC_ORIG_BLOCK, RC_ORIG_F_ADVERTISE);
	rt_done();
	rt_peer(1, "198.18.0.254", 65000, 0);
	rt_peer(2, "198.18.0.3", 65001, 0);
	rt_up(1);
	rt_up(2);
	rt_announce(1, &a, "198.19.8.0/26");
	rt_announce(2, &b, "198.19.8.0/26");
	rt_run();
	assert_int_equal(rde_show_parse("", 0, &c, &mode), 0);
	v = rde_show_collect(&c, mode, &n);
	assert_int_equal(n, 2);
	jw_init(&jw, 0);
	jw_arr_open(&jw, NULL);
	for (i = 0; i < n; i++)
		rde_show_prefix(&jw, v[i]);
	jw_arr_close(&jw);
	s = jw_finish(&jw, NULL);
	assert_non_null(strstr(s, "{\"prefix\":\"198.19.7.0/26\","
	    "\"nexthop\":null,\"asPath\":[],\"origin\":\"IGP\","
	    "\"localPref\":null,\"med\":null,\"communities\":[],"
	    "\"originatorID\":null,\"clusterList\":null,\"peerIP\":null,"
	    "\"best\":true}"));
	assert_non_null(strstr(s, "{\"prefix\":\"198.19.8.0/26\","
	    "\"nexthop\":\"198.18.0.3\",\"asPath\":[65001],"
	    "\"origin\":\"IGP\",\"localPref\":100,\"med\":null,"
	    "\"communities\":[],\"originatorID\":null,\"clusterList\":null,"
	    "\"peerIP\":\"198.18.0.3\",\"best\":true}"));
	assert_non_null(strstr(s, "\"asPath\":[65000,65010],\"origin\":\"IGP\","
	    "\"localPref\":100,\"med\":5,\"communities\":[\"65000:7\"]"));
	assert_non_null(strstr(s,
	    "\"peerIP\":\"198.18.0.254\",\"best\":false"));
	/* Blocks sort before the learned prefix. */
	assert_true(strstr(s, "198.19.7.0/26") < strstr(s, "198.19.8.0/26"));
	free(s);
	free(v);
	/* One prefix; an address finds the prefixes covering it. */
	assert_int_equal(rde_show_parse("198.19.8.0/26", 13, &c, &mode), 0);
	v = rde_show_collect(&c, mode, &n);
	assert_int_equal(n, 1);
	free(v);
	assert_int_equal(rde_show_parse("198.19.7.9", 10, &c, &mode), 0);
	v = rde_show_collect(&c, mode, &n);
	assert_int_equal(n, 1);
	assert_int_equal(rde_prefix_at(v[0])->plen, 26);
	free(v);
	assert_int_equal(rde_show_parse("198.19.300.0/26", 15, &c, &mode), -1);
	assert_int_equal(rde_show_parse("x\0y", 3, &c, &mode), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_from_plan, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_rib, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
