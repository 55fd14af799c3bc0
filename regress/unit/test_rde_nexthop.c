/*
 * ribd: next-hop reachability from kroute's interface view
 * (rde_nexthop.c): connected networks on up interfaces, an interface
 * going down and up re-evaluating only the prefixes that depend on its
 * next hops, the decision falling back to another path and the kernel
 * following, the start-up state before kroute's dump is complete, a
 * replacing dump after lost events, hostile events, BGPFilter interface
 * conditions, and the cost of an interface event with many prefixes.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "rde_testutil.h"

/*
 * The node 198.18.0.1: eth1 198.18.1.1/24 to EBGP1 (198.18.1.2, AS
 * 65001), eth2 198.18.2.1/24 to EBGP2 (198.18.2.2, AS 65002), eth0
 * 198.18.0.1/24 to the iBGP peer IBGP (198.18.0.2), which gets what the
 * node exports.
 */
#define EBGP1	1
#define EBGP2	2
#define IBGP	3
#define IF_ETH0	2
#define IF_ETH1	3
#define IF_ETH2	4
#define PFX	"198.19.1.0/24"

static struct imsg_filter_rule	 rules[4];
static int			 nrules;

static void
ev_if(uint32_t ifindex, const char *name, int up)
{
	struct kr_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = KR_EV_IF_NEW;
	ev.ifi.ifindex = ifindex;
	ev.ifi.flags = up ? KR_IF_UP | KR_IF_RUNNING : KR_IF_UP;
	strlcpy(ev.ifi.name, name, sizeof(ev.ifi.name));
	assert_int_equal(rde_nexthop_event(&ev), 0);
}

static void
ev_addr(uint32_t ifindex, const char *addr, uint8_t plen, int add)
{
	struct kr_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = add ? KR_EV_ADDR_NEW : KR_EV_ADDR_DEL;
	ev.ifa.ifindex = ifindex;
	ev.ifa.addr = rt_addr(addr);
	ev.ifa.prefixlen = plen;
	assert_int_equal(rde_nexthop_event(&ev), 0);
}

/* kroute's dump: the three interfaces up with their addresses. */
static void
dump(void)
{
	ev_if(1, "lo", 1);
	ev_if(IF_ETH0, "eth0", 1);
	ev_if(IF_ETH1, "eth1", 1);
	ev_if(IF_ETH2, "eth2", 1);
	ev_addr(1, "127.0.0.1", 8, 1);
	ev_addr(IF_ETH0, "198.18.0.1", 24, 1);
	ev_addr(IF_ETH1, "198.18.1.1", 24, 1);
	ev_addr(IF_ETH2, "198.18.2.1", 24, 1);
	rde_nexthop_dump_done();
	rt_run();
}

static void
start(void)
{
	int	 i;

	rt_conf(64512, "198.18.0.1", NULL, RC_F_KERNEL_INSTALL);
	rt_pool("198.19.0.0/16", 0, 0, 0);
	rt_pool("10.0.0.0/7", 0, 0, 0);
	for (i = 0; i < nrules; i++)
		if (rde_conf_filter(&rules[i]) == -1)
			fail();
	rt_done();
	rt_peer(EBGP1, "198.18.1.2", 65001, 0);
	rt_peer(EBGP2, "198.18.2.2", 65002, 0);
	rt_peer(IBGP, "198.18.0.2", 64512, 0);
	rt_up(EBGP1);
	rt_up(EBGP2);
	rt_up(IBGP);
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

static const struct rt_attr	 via1 = { .path = { 65001 }, .npath = 1,
				    .nexthop = "198.18.1.2" };
static const struct rt_attr	 via2 = { .path = { 65002 }, .npath = 1,
				    .nexthop = "198.18.2.2" };

/* The eligible best path's peerid, -1 for none. */
static int64_t
best(const char *pfx)
{
	struct bgp_prefix	 p = rt_pfx(pfx);
	uint32_t		 i, b;

	if ((i = rde_prefix_find(p.aid, p.addr.bytes, p.plen)) == RDE_NIL)
		return -1;
	if ((b = rde_rib_best(rde_prefix_at(i))) == RDE_NIL)
		return -1;
	return rde_path_peer(rde_path_at(b))->conf.peerid;
}

/* The number of paths of a prefix marked unreachable. */
static int
unreachable(const char *pfx)
{
	struct bgp_prefix	 p = rt_pfx(pfx);
	const struct rde_path	*q;
	uint32_t		 i, qi;
	int			 n = 0;

	if ((i = rde_prefix_find(p.aid, p.addr.bytes, p.plen)) == RDE_NIL)
		return -1;
	for (qi = rde_prefix_at(i)->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		if (q->peer & RDE_PATH_UNREACH)
			n++;
	}
	return n;
}

/* The last kernel change for a prefix: its gateway, "" deleted, NULL none. */
static const char *
kernel(const char *pfx, char *buf, size_t len)
{
	struct bgp_prefix	 p = rt_pfx(pfx);
	const char		*r = NULL;
	size_t			 i;

	for (i = 0; i < rt.nkr; i++) {
		if (rt.kr[i].prefixlen != p.plen ||
		    addr_cmp(&rt.kr[i].prefix, &p.addr) != 0)
			continue;
		if (rt.krtype[i] == IMSG_KROUTE_DELETE)
			r = "";
		else
			r = addr_ntop(&rt.kr[i].nexthop, buf, len);
	}
	return r;
}

/* What the iBGP peer got last for pfx: 1 announced, 0 withdrawn. */
static int
exported(const char *pfx, char *nh, size_t len)
{
	struct rt_seen	 sn;

	rt_seen(IBGP, pfx, &sn);
	if (sn.announced == 1 && nh != NULL)
		rt_seen_nexthop(&sn, nh, len);
	return sn.announced;
}

static void
test_connected(void **state)
{
	char	 buf[ADDRSTRLEN];

	(void)state;
	start();
	dump();
	rt_announce(EBGP1, &via1, PFX);
	rt_announce(EBGP2, &via2, PFX);
	rt_run();
	assert_int_equal(best(PFX), EBGP1);
	assert_int_equal(unreachable(PFX), 0);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "198.18.1.2");
	assert_int_equal(exported(PFX, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "198.18.1.2");
	assert_int_equal(rde_nexthop_count(), 2);
}

/* eth1 loses its carrier: EBGP1's path is out, EBGP2's takes over. */
static void
test_down_up(void **state)
{
	char	 buf[ADDRSTRLEN];

	(void)state;
	start();
	dump();
	rt_announce(EBGP1, &via1, PFX);
	rt_announce(EBGP2, &via2, PFX);
	rt_run();
	rt_clear();
	ev_if(IF_ETH1, "eth1", 0);
	rt_run();
	assert_int_equal(best(PFX), EBGP2);
	assert_int_equal(unreachable(PFX), 1);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "198.18.2.2");
	assert_int_equal(exported(PFX, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "198.18.2.2");

	rt_clear();
	ev_if(IF_ETH1, "eth1", 1);
	rt_run();
	assert_int_equal(best(PFX), EBGP1);
	assert_int_equal(unreachable(PFX), 0);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "198.18.1.2");
	assert_int_equal(exported(PFX, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "198.18.1.2");
}

/* No alternative: the prefix is withdrawn and leaves the kernel. */
static void
test_no_alternative(void **state)
{
	char	 buf[ADDRSTRLEN];

	(void)state;
	start();
	dump();
	rt_announce(EBGP1, &via1, PFX);
	rt_run();
	rt_clear();
	ev_if(IF_ETH1, "eth1", 0);
	rt_run();
	assert_int_equal(best(PFX), -1);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "");
	assert_int_equal(exported(PFX, NULL, 0), 0);
	/* Paths that arrive meanwhile are unreachable from the start. */
	rt_announce(EBGP1, &via1, "198.19.2.0/24");
	rt_run();
	assert_int_equal(best("198.19.2.0/24"), -1);
	assert_int_equal(unreachable("198.19.2.0/24"), 1);
	rt_clear();
	ev_if(IF_ETH1, "eth1", 1);
	rt_run();
	assert_int_equal(best(PFX), EBGP1);
	assert_int_equal(best("198.19.2.0/24"), EBGP1);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "198.18.1.2");
}

/*
 * Only the prefixes through the next hops of the interface are looked
 * at: 300 through eth1, 500 through eth2, an eth1 event re-evaluates
 * 300 (and eth0's iBGP next hop, untouched, none).
 */
static void
test_only_dependents(void **state)
{
	struct bgp_prefix	 p1[300], p2[500];
	char			 buf[32];
	int			 i;

	(void)state;
	start();
	dump();
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", 1 + i / 256,
		    i % 256);
		p1[i] = rt_pfx(buf);
	}
	for (i = 0; i < 500; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", 20 + i / 256,
		    i % 256);
		p2[i] = rt_pfx(buf);
	}
	rt_send(EBGP1, &via1, p1, 300);
	rt_send(EBGP2, &via2, p2, 500);
	rt_run();
	rde->stats.nh_rechecks = 0;
	rde->stats.nh_changes = 0;
	ev_if(IF_ETH1, "eth1", 0);
	rt_run();
	assert_int_equal(rde->stats.nh_changes, 1);
	assert_int_equal(rde->stats.nh_rechecks, 300);
	assert_int_equal(best("10.1.0.0/24"), -1);
	assert_int_equal(best("10.20.0.0/24"), EBGP2);
	/* An address on another network of eth0 touches nothing. */
	rde->stats.nh_rechecks = 0;
	ev_addr(IF_ETH0, "198.18.9.1", 24, 1);
	assert_int_equal(rde->stats.nh_rechecks, 0);
	rde->stats.nh_rechecks = 0;
	ev_if(IF_ETH1, "eth1", 1);
	rt_run();
	assert_int_equal(rde->stats.nh_rechecks, 300);
	assert_int_equal(best("10.1.0.0/24"), EBGP1);
}

/*
 * Churn on one prefix does not make the dependents array grow without
 * bound (another prefix keeps the next hop): an event afterwards looks
 * at few entries, not 5000.
 */
static void
test_churn_compacts(void **state)
{
	int	 i;

	(void)state;
	start();
	dump();
	rt_announce(EBGP1, &via1, "198.19.9.0/24");
	for (i = 0; i < 5000; i++) {
		rt_announce(EBGP1, &via1, PFX);
		rt_withdraw(EBGP1, PFX);
	}
	rt_announce(EBGP1, &via1, PFX);
	rt_run();
	rde->stats.nh_rechecks = 0;
	ev_if(IF_ETH1, "eth1", 0);
	assert_true(rde->stats.nh_rechecks <= 2 * 2 + 64 + 1);
	assert_int_equal(best(PFX), -1);
	assert_int_equal(best("198.19.9.0/24"), -1);
	rt_withdraw(EBGP1, PFX);
	assert_int_equal(rde_nexthop_count(), 1);
	rt_withdraw(EBGP1, "198.19.9.0/24");
	assert_int_equal(rde_nexthop_count(), 0);
}

/*
 * Before kroute's dump is complete nothing is unreachable, whatever the
 * events so far say; the end of the dump decides.
 */
static void
test_startup_unknown(void **state)
{
	char	 buf[ADDRSTRLEN];

	(void)state;
	start();
	rt_announce(EBGP1, &via1, PFX);
	rt_announce(EBGP2, &via2, PFX);
	rt_run();
	assert_int_equal(rde_nexthop_ready(), 0);
	ev_if(IF_ETH1, "eth1", 0);
	ev_addr(IF_ETH1, "198.18.1.1", 24, 1);
	ev_if(IF_ETH2, "eth2", 1);
	ev_addr(IF_ETH2, "198.18.2.1", 24, 1);
	rt_run();
	assert_int_equal(best(PFX), EBGP1);
	assert_int_equal(unreachable(PFX), 0);
	rt_clear();
	rde_nexthop_dump_done();
	rt_run();
	assert_int_equal(rde_nexthop_ready(), 1);
	assert_int_equal(best(PFX), EBGP2);
	assert_int_equal(unreachable(PFX), 1);
	assert_string_equal(kernel(PFX, buf, sizeof(buf)), "198.18.2.2");
}

/* Without any view (kernel.install false, no kroute) all is reachable. */
static void
test_no_view(void **state)
{
	const struct rt_attr	 off = { .path = { 65001 }, .npath = 1,
				    .nexthop = "203.0.113.1" };

	(void)state;
	start();
	rt_announce(EBGP1, &off, PFX);
	rt_run();
	assert_int_equal(best(PFX), EBGP1);
	assert_int_equal(unreachable(PFX), 0);
}

/*
 * Off every connected network: unreachable from a single-hop eBGP
 * neighbour, reachable (through routes) from iBGP; inside a network
 * whose interface is down: unreachable from anyone.
 */
static void
test_remote(void **state)
{
	const struct rt_attr	 off = { .path = { 65001 }, .npath = 1,
				    .nexthop = "203.0.113.1" };
	const struct rt_attr	 ioff = { .nexthop = "203.0.113.1",
				    .has_lp = 1, .lp = 100 };
	const struct rt_attr	 idown = { .nexthop = "198.18.2.7",
				    .has_lp = 1, .lp = 100 };

	(void)state;
	start();
	dump();
	rt_announce(EBGP1, &off, PFX);
	rt_announce(IBGP, &ioff, "198.19.2.0/24");
	rt_announce(IBGP, &idown, "198.19.3.0/24");
	rt_run();
	assert_int_equal(best(PFX), -1);
	assert_int_equal(best("198.19.2.0/24"), IBGP);
	assert_int_equal(best("198.19.3.0/24"), IBGP);
	ev_if(IF_ETH2, "eth2", 0);
	assert_int_equal(best("198.19.3.0/24"), -1);
	/* The address goes: the next hop is off-link, as for iBGP. */
	ev_addr(IF_ETH2, "198.18.2.1", 24, 0);
	assert_int_equal(best("198.19.3.0/24"), IBGP);
}

/*
 * Events were lost: a new dump replaces the view, and what it omits goes
 * when it ends.  The iBGP next hop is in eth1's network, eth1 down; the
 * new dump has no eth1, so the next hop is off-link (reachable through
 * routes) from then on.
 */
static void
test_resync(void **state)
{
	const struct rt_attr	 idown = { .nexthop = "198.18.1.7",
				    .has_lp = 1, .lp = 100 };
	struct kr_event		 ev;

	(void)state;
	start();
	dump();
	ev_if(IF_ETH1, "eth1", 0);
	rt_announce(IBGP, &idown, PFX);
	rt_run();
	assert_int_equal(best(PFX), -1);
	memset(&ev, 0, sizeof(ev));
	ev.type = KR_EV_RESYNC;
	assert_int_equal(rde_nexthop_event(&ev), 0);
	ev_if(IF_ETH0, "eth0", 1);
	ev_if(IF_ETH2, "eth2", 1);
	ev_addr(IF_ETH0, "198.18.0.1", 24, 1);
	ev_addr(IF_ETH2, "198.18.2.1", 24, 1);
	assert_int_equal(best(PFX), -1);
	rde_nexthop_dump_done();
	rt_run();
	assert_int_equal(best(PFX), IBGP);
	assert_int_equal(unreachable(PFX), 0);
}

static void
test_hostile_events(void **state)
{
	struct kr_event	 ev;

	(void)state;
	start();
	memset(&ev, 0, sizeof(ev));
	ev.type = 99;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	ev.type = KR_EV_IF_NEW;
	ev.ifi.ifindex = 0;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	/* A name without its NUL is cut, not read past. */
	ev.ifi.ifindex = 7;
	memset(ev.ifi.name, 'x', sizeof(ev.ifi.name));
	assert_int_equal(rde_nexthop_event(&ev), 0);
	memset(&ev, 0, sizeof(ev));
	ev.type = KR_EV_ADDR_NEW;
	ev.ifa.ifindex = 7;
	ev.ifa.addr = rt_addr("198.18.5.1");
	ev.ifa.prefixlen = 33;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	ev.ifa.addr = rt_addr("2001:db8::1");
	ev.ifa.prefixlen = 129;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	ev.ifa.addr.af = 99;
	ev.ifa.prefixlen = 8;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	ev.type = KR_EV_ADDR_DEL;
	assert_int_equal(rde_nexthop_event(&ev), -1);
	/* Deleting what was never there changes nothing. */
	ev.ifa.addr = rt_addr("198.18.5.1");
	ev.ifa.prefixlen = 24;
	assert_int_equal(rde_nexthop_event(&ev), 0);
	ev.type = KR_EV_IF_DEL;
	ev.ifi.ifindex = 12345;
	assert_int_equal(rde_nexthop_event(&ev), 0);
}

/* BGPFilter interface: the interface of the next hop's network. */
static void
test_iface_filter(void **state)
{
	struct imsg_filter_rule	*r = &rules[nrules++];

	(void)state;
	memset(r, 0, sizeof(*r));
	r->peerid = IBGP;
	r->dir = RC_FDIR_EXPORT;
	r->aid = BGP_AID_IPV4;
	r->action = RC_ACTION_REJECT;
	strlcpy(r->filter, "test", sizeof(r->filter));
	strlcpy(r->iface, "eth1*", sizeof(r->iface));
	r = &rules[nrules++];
	memset(r, 0, sizeof(*r));
	r->peerid = IBGP;
	r->dir = RC_FDIR_EXPORT;
	r->aid = BGP_AID_IPV4;
	r->action = RC_ACTION_ACCEPT;
	strlcpy(r->filter, "test", sizeof(r->filter));
	strlcpy(r->iface, "eth?", sizeof(r->iface));
	start();
	dump();
	/* Outside the pool: only the Accept rule exports them. */
	rt_announce(EBGP1, &via1, "192.0.2.0/24");
	rt_announce(EBGP2, &via2, "198.51.100.0/24");
	rt_run();
	assert_int_equal(exported("192.0.2.0/24", NULL, 0), -1);
	assert_int_equal(exported("198.51.100.0/24", NULL, 0), 1);
	/* eth1 renumbered into eth2's network: the route moves there. */
	rt_clear();
	ev_addr(IF_ETH2, "198.18.1.1", 16, 1);
	ev_addr(IF_ETH1, "198.18.1.1", 24, 0);
	rt_run();
	assert_int_equal(exported("192.0.2.0/24", NULL, 0), 1);
}

/* An import rule reads the interface as the route arrives. */
static void
test_iface_import(void **state)
{
	struct imsg_filter_rule	*r = &rules[nrules++];

	(void)state;
	memset(r, 0, sizeof(*r));
	r->peerid = EBGP2;
	r->dir = RC_FDIR_IMPORT;
	r->aid = BGP_AID_IPV4;
	r->action = RC_ACTION_REJECT;
	strlcpy(r->filter, "test", sizeof(r->filter));
	strlcpy(r->iface, "eth2", sizeof(r->iface));
	start();
	rt_announce(EBGP2, &via2, "198.19.1.0/24");
	rt_run();
	/* No view yet: no interface, the rule does not hold. */
	assert_int_equal(best("198.19.1.0/24"), EBGP2);
	dump();
	rt_announce(EBGP2, &via2, "198.19.2.0/24");
	rt_run();
	assert_int_equal(best("198.19.2.0/24"), -1);
	rt_announce(EBGP1, &via1, "198.19.2.0/24");
	rt_run();
	assert_int_equal(best("198.19.2.0/24"), EBGP1);
}

/*
 * The cost of an interface event with N dependent prefixes: N through
 * eth1, N through eth2 as a fallback; eth1 down moves N best paths.
 */
static void
test_cost(void **state)
{
	struct bgp_prefix	*pf;
	struct timespec		 t0, t1, t2;
	char			 buf[32];
	const int		 n = 100000;
	int			 i;

	(void)state;
	start();
	dump();
	pf = calloc(n, sizeof(*pf));
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%d.%d.%d.0/24", 10 + i / 65536,
		    i / 256 % 256, i % 256);
		pf[i] = rt_pfx(buf);
	}
	rt_send(EBGP1, &via1, pf, n);
	rt_send(EBGP2, &via2, pf, n);
	rt_run();
	rt.count_only = 1;
	rt_clear();
	rde->stats.nh_rechecks = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ev_if(IF_ETH1, "eth1", 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rt_run();
	clock_gettime(CLOCK_MONOTONIC, &t2);
	assert_int_equal(rde->stats.nh_rechecks, n);
	assert_int_equal(best("10.0.5.0/24"), EBGP2);
	/* Every route changed in the kernel and went to the iBGP peer. */
	assert_int_equal(rt.nkr, n);
	assert_true(rt.updates > 0);
	printf("# interface down, %d dependent prefixes: re-evaluation "
	    "%.1f ms, exports and kernel %.1f ms\n", n,
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	    (t2.tv_sec - t1.tv_sec) * 1e3 + (t2.tv_nsec - t1.tv_nsec) / 1e6);
	free(pf);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test_setup_teardown(test_connected, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_down_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_alternative, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_only_dependents, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_churn_compacts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_startup_unknown, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_view, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_events, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_iface_filter, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_iface_import, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cost, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
