/*
 * kroute's rtnetlink backend against a real kernel, in a network
 * namespace of its own (so the host's routes are never touched): routes
 * via gateways, blackholes, replace and delete for both families, the
 * protocol and table filter of kr_fetch, a batch of 100,000 routes,
 * per-route errors, blocking and non-blocking flushes, interface and
 * address events.  The message for an IPIP (tunl0) route is checked byte
 * by byte, since the test kernel has no ipip device.  Kernel tests need
 * root and are skipped without it.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../kroute/kr.h"
#include "log.h"
#include "util.h"

#define TABLE		254
#define PROTO		186
#define BATCH_V4	50000
#define BATCH_V6	50000

static int	 netns_ok;
static uint32_t	 veth0_idx;
static uint32_t	 veth1_idx;

struct failure {
	struct kroute	 kr;
	enum kr_op	 op;
	int		 err;
	int		 have_route;
	char		 why[128];
};

struct collect {
	struct kroute	*routes;
	size_t		 n;
	size_t		 cap;
	struct failure	 fail[8];
	size_t		 nfail;
	size_t		 nfail_total;
	size_t		 nlost;
	struct kr_event	 ev[256];
	size_t		 nev;
	int		 idle;
};

static void	 run(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));

static void
run(const char *fmt, ...)
{
	char	 cmd[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static int
group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) == -1) {
		printf("# kernel tests skipped: need root for a namespace\n");
		return 0;
	}
	if (system("ip link set lo up && "
	    "ip link add veth0 type veth peer name veth1 && "
	    "ip addr add 198.18.0.1/24 dev veth0 && "
	    "ip -6 addr add 2001:db8::1/64 dev veth0 nodad && "
	    "ip addr add 198.18.1.1/24 dev veth1 && "
	    "ip -6 addr add 2001:db8:1::1/64 dev veth1 nodad && "
	    "ip link set veth0 up && ip link set veth1 up") != 0) {
		printf("# kernel tests skipped: cannot set up veth\n");
		return 0;
	}
	veth0_idx = if_nametoindex("veth0");
	veth1_idx = if_nametoindex("veth1");
	netns_ok = veth0_idx != 0 && veth1_idx != 0;
	return 0;
}

static void
need_netns(void)
{
	if (!netns_ok)
		skip();
}

static void
mkroute(struct kroute *kr, const char *pfx, const char *nh)
{
	int	 plen;

	memset(kr, 0, sizeof(*kr));
	assert_int_equal(prefix_parse(pfx, &kr->prefix, &plen), 0);
	kr->prefixlen = (uint8_t)plen;
	if (nh != NULL)
		assert_int_equal(addr_parse(nh, &kr->nexthop), 0);
}

static void
on_route(const struct kroute *kr, void *arg)
{
	struct collect	*c = arg;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->routes = reallocarray(c->routes, c->cap, sizeof(*kr));
		assert_non_null(c->routes);
	}
	c->routes[c->n++] = *kr;
}

static void
on_error(const struct kroute *kr, enum kr_op op, int err, const char *why,
    void *arg)
{
	struct collect	*c = arg;
	struct failure	*f;

	c->nfail_total++;
	if (kr == NULL)
		c->nlost++;
	if (c->nfail == sizeof(c->fail) / sizeof(c->fail[0]))
		return;
	f = &c->fail[c->nfail++];
	memset(f, 0, sizeof(*f));
	if (kr != NULL) {
		f->kr = *kr;
		f->have_route = 1;
	}
	f->op = op;
	f->err = err;
	if (why != NULL)
		strlcpy(f->why, why, sizeof(f->why));
}

static void
on_event(const struct kr_event *ev, void *arg)
{
	struct collect	*c = arg;

	if (c->nev < sizeof(c->ev) / sizeof(c->ev[0]))
		c->ev[c->nev++] = *ev;
}

static void
on_idle(void *arg)
{
	struct collect	*c = arg;

	c->idle++;
}

static struct kr_handle *
open_handle(struct collect *c, uint32_t table)
{
	struct kr_handle	*h;
	struct kr_callbacks	 cb = {
		.route_error = on_error,
		.event = on_event,
		.idle = on_idle,
		.arg = c,
	};

	memset(c, 0, sizeof(*c));
	assert_int_equal(kr_open(&h, table, PROTO), 0);
	kr_set_callbacks(h, &cb);
	return h;
}

static void
fetch(struct kr_handle *h, struct collect *c)
{
	free(c->routes);
	c->routes = NULL;
	c->n = c->cap = 0;
	assert_int_equal(kr_fetch(h, on_route, c), 0);
}

static const struct kroute *
find(const struct collect *c, const char *pfx)
{
	struct bgpd_addr	 a;
	int			 plen;
	size_t			 i;

	assert_int_equal(prefix_parse(pfx, &a, &plen), 0);
	for (i = 0; i < c->n; i++)
		if (addr_cmp(&c->routes[i].prefix, &a) == 0 &&
		    c->routes[i].prefixlen == plen)
			return &c->routes[i];
	return NULL;
}

static void
assert_addr(const struct bgpd_addr *a, const char *s)
{
	struct bgpd_addr	 b;
	char			 buf[ADDRSTRLEN];

	assert_int_equal(addr_parse(s, &b), 0);
	if (addr_cmp(a, &b) != 0)
		fail_msg("address %s, expected %s",
		    addr_ntop(a, buf, sizeof(buf)), s);
}

static void
done(struct kr_handle *h, struct collect *c)
{
	kr_close(h);
	free(c->routes);
	c->routes = NULL;
}

/*
 * Walks the attributes of a route message independently of kr_linux.c,
 * returning the payload of type want (and its length), or NULL.
 */
static const uint8_t *
msg_attr(const uint8_t *msg, size_t len, uint16_t want, size_t *alen)
{
	struct rtattr	 rta;
	size_t		 off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg));
	const uint8_t	*found = NULL;

	while (off + sizeof(rta) <= len) {
		memcpy(&rta, msg + off, sizeof(rta));
		assert_true(rta.rta_len >= sizeof(rta));
		assert_true(off + rta.rta_len <= len);
		if (rta.rta_type == want) {
			assert_null(found);
			found = msg + off + RTA_LENGTH(0);
			*alen = rta.rta_len - RTA_LENGTH(0);
		}
		off += RTA_ALIGN(rta.rta_len);
	}
	assert_int_equal(off, len);
	return found;
}

static uint32_t
msg_u32(const uint8_t *msg, size_t len, uint16_t type)
{
	const uint8_t	*p;
	size_t		 alen;
	uint32_t	 v;

	p = msg_attr(msg, len, type, &alen);
	assert_non_null(p);
	assert_int_equal(alen, 4);
	memcpy(&v, p, 4);
	return v;
}

static void
msg_check_addr(const uint8_t *msg, size_t len, uint16_t type,
    const char *s)
{
	const uint8_t	*p;
	size_t		 alen;
	uint8_t		 want[16];

	assert_int_equal(inet_pton(AF_INET, s, want), 1);
	p = msg_attr(msg, len, type, &alen);
	assert_non_null(p);
	assert_int_equal(alen, 4);
	assert_memory_equal(p, want, 4);
}

/* The route BIRD installs for an IPIP pool: via the node, dev tunl0. */
static void
test_msg_tunl0(void **state)
{
	struct kroute	 kr, back;
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	uint8_t		 msg[KR_MSG_SIZE];
	ssize_t		 n;
	size_t		 alen;
	uint32_t	 table;
	uint8_t		 proto;

	(void)state;
	mkroute(&kr, "198.19.1.0/26", "198.18.0.2");
	kr.ifindex = 42;	/* tunl0, as kroute would look it up */
	kr.flags = KR_F_ONLINK;
	n = kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE, PROTO, &kr);
	assert_true(n > 0);
	memcpy(&nh, msg, sizeof(nh));
	memcpy(&rtm, msg + NLMSG_HDRLEN, sizeof(rtm));
	assert_int_equal(nh.nlmsg_len, n);
	assert_int_equal(nh.nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(nh.nlmsg_flags,
	    NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE);
	assert_int_equal(rtm.rtm_family, AF_INET);
	assert_int_equal(rtm.rtm_dst_len, 26);
	assert_int_equal(rtm.rtm_src_len, 0);
	assert_int_equal(rtm.rtm_table, TABLE);
	assert_int_equal(rtm.rtm_protocol, PROTO);
	assert_int_equal(rtm.rtm_type, RTN_UNICAST);
	assert_int_equal(rtm.rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm.rtm_flags, RTNH_F_ONLINK);
	assert_int_equal(msg_u32(msg, (size_t)n, RTA_TABLE), TABLE);
	msg_check_addr(msg, (size_t)n, RTA_DST, "198.19.1.0");
	msg_check_addr(msg, (size_t)n, RTA_GATEWAY, "198.18.0.2");
	assert_int_equal(msg_u32(msg, (size_t)n, RTA_OIF), 42);
	assert_null(msg_attr(msg, (size_t)n, RTA_PRIORITY, &alen));

	assert_int_equal(kr_msg_parse(msg, (size_t)n, &back, &table, &proto),
	    0);
	assert_memory_equal(&back, &kr, sizeof(kr));
	assert_int_equal(table, TABLE);
	assert_int_equal(proto, PROTO);

	/* Its delete names the prefix only, with wildcard type and scope. */
	n = kr_msg_build(msg, sizeof(msg), KR_OP_DEL, TABLE, PROTO, &kr);
	assert_true(n > 0);
	memcpy(&nh, msg, sizeof(nh));
	memcpy(&rtm, msg + NLMSG_HDRLEN, sizeof(rtm));
	assert_int_equal(nh.nlmsg_type, RTM_DELROUTE);
	assert_int_equal(nh.nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(rtm.rtm_type, RTN_UNSPEC);
	assert_int_equal(rtm.rtm_scope, RT_SCOPE_NOWHERE);
	assert_int_equal(rtm.rtm_protocol, PROTO);
	msg_check_addr(msg, (size_t)n, RTA_DST, "198.19.1.0");
	assert_null(msg_attr(msg, (size_t)n, RTA_GATEWAY, &alen));
	assert_null(msg_attr(msg, (size_t)n, RTA_OIF, &alen));
}

static void
test_msg_table_metric(void **state)
{
	struct kroute	 kr;
	struct rtmsg	 rtm;
	uint8_t		 msg[KR_MSG_SIZE];
	ssize_t		 n;
	size_t		 alen;

	(void)state;
	mkroute(&kr, "2001:db8:5::/48", NULL);
	kr.flags = KR_F_BLACKHOLE;
	kr.priority = 77;
	n = kr_msg_build(msg, sizeof(msg), KR_OP_ADD, 1000, PROTO, &kr);
	assert_true(n > 0);
	memcpy(&rtm, msg + NLMSG_HDRLEN, sizeof(rtm));
	assert_int_equal(rtm.rtm_family, AF_INET6);
	assert_int_equal(rtm.rtm_dst_len, 48);
	/* Tables above 255 exist only as RTA_TABLE. */
	assert_int_equal(rtm.rtm_table, RT_TABLE_UNSPEC);
	assert_int_equal(msg_u32(msg, (size_t)n, RTA_TABLE), 1000);
	assert_int_equal(msg_u32(msg, (size_t)n, RTA_PRIORITY), 77);
	assert_int_equal(rtm.rtm_type, RTN_BLACKHOLE);
	assert_null(msg_attr(msg, (size_t)n, RTA_GATEWAY, &alen));
	assert_null(msg_attr(msg, (size_t)n, RTA_OIF, &alen));
	assert_non_null(msg_attr(msg, (size_t)n, RTA_DST, &alen));
	assert_int_equal(alen, 16);
}

static void
test_msg_invalid_routes(void **state)
{
	struct kroute	 kr;
	uint8_t		 msg[KR_MSG_SIZE];

	(void)state;
	mkroute(&kr, "198.19.1.1/26", "198.18.0.2");	/* host bits */
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	assert_int_equal(errno, EINVAL);
	mkroute(&kr, "198.19.1.0/26", "2001:db8::2");	/* mixed families */
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	mkroute(&kr, "198.19.1.0/26", "198.18.0.2");
	kr.prefixlen = 33;
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	mkroute(&kr, "198.19.1.0/26", "198.18.0.2");
	kr.flags = KR_F_BLACKHOLE;
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	kr.flags = KR_F_ONLINK;				/* no interface */
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	kr.flags = 0x80;
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	mkroute(&kr, "198.19.1.0/26", NULL);		/* nowhere to go */
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE,
	    PROTO, &kr), -1);
	/* A delete needs the prefix only. */
	assert_true(kr_msg_build(msg, sizeof(msg), KR_OP_DEL, TABLE, PROTO,
	    &kr) > 0);
	memset(&kr, 0, sizeof(kr));
	assert_int_equal(kr_msg_build(msg, sizeof(msg), KR_OP_DEL, TABLE,
	    PROTO, &kr), -1);
	mkroute(&kr, "198.19.1.0/26", "198.18.0.2");
	assert_int_equal(kr_msg_build(msg, 40, KR_OP_ADD, TABLE, PROTO,
	    &kr), -1);
	assert_int_equal(errno, ENOSPC);
}

/* Every truncation and every single-byte corruption is refused or parsed
 * without reading outside the message (the sanitizer build checks that). */
static void
test_msg_parse_hostile(void **state)
{
	struct kroute	 kr, back;
	struct rtattr	 rta;
	uint8_t		 msg[KR_MSG_SIZE], bad[KR_MSG_SIZE];
	ssize_t		 n;
	size_t		 i, off;
	uint32_t	 table;
	uint8_t		 proto;
	int		 v;

	(void)state;
	mkroute(&kr, "2001:db8:7::/64", "2001:db8::2");
	kr.ifindex = 3;
	kr.priority = 1024;
	n = kr_msg_build(msg, sizeof(msg), KR_OP_ADD, TABLE, PROTO, &kr);
	assert_true(n > 0);
	for (i = 0; i < (size_t)n; i++)
		assert_int_equal(kr_msg_parse(msg, i, &back, &table, &proto),
		    -1);
	for (i = 0; i < (size_t)n; i++) {
		for (v = 0; v < 256; v += 17) {
			memcpy(bad, msg, (size_t)n);
			bad[i] ^= (uint8_t)(v | 1);
			(void)kr_msg_parse(bad, (size_t)n, &back, &table,
			    &proto);
		}
	}
	/* An attribute longer than the message. */
	memcpy(bad, msg, (size_t)n);
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg));
	memcpy(&rta, bad + off, sizeof(rta));
	rta.rta_len = 200;
	memcpy(bad + off, &rta, sizeof(rta));
	assert_int_equal(kr_msg_parse(bad, (size_t)n, &back, &table, &proto),
	    -1);
	assert_int_equal(errno, EINVAL);
	/* A gateway of the wrong size. */
	memcpy(bad, msg, (size_t)n);
	bad[NLMSG_HDRLEN] = AF_INET;
	assert_int_equal(kr_msg_parse(bad, (size_t)n, &back, &table, &proto),
	    -1);
}

static void
test_route_v4(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	const struct kroute	*r;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	mkroute(&kr, "198.19.8.0/24", "198.18.0.2");
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_pending(h), 1);
	assert_int_equal(kr_flush_sync(h), 0);
	assert_int_equal(kr_pending(h), 0);
	assert_int_equal(c.idle, 1);
	run("ip -4 route show 198.19.8.0/24 proto 186 | "
	    "grep -q 'via 198.18.0.2 dev veth0'");
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	r = find(&c, "198.19.8.0/24");
	assert_non_null(r);
	assert_addr(&r->nexthop, "198.18.0.2");
	assert_int_equal(r->ifindex, veth0_idx);
	assert_int_equal(r->flags, 0);

	/* Replace: same prefix, new gateway, still one route. */
	mkroute(&kr, "198.19.8.0/24", "198.18.0.3");
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	assert_addr(&c.routes[0].nexthop, "198.18.0.3");

	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	run("test -z \"$(ip -4 route show 198.19.8.0/24)\"");
	done(h, &c);
}

static void
test_route_v6(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	const struct kroute	*r;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	mkroute(&kr, "2001:db8:100::/48", "2001:db8::2");
	kr.priority = 500;
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	run("ip -6 route show 2001:db8:100::/48 proto 186 | "
	    "grep -q 'via 2001:db8::2 dev veth0 metric 500'");
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	r = find(&c, "2001:db8:100::/48");
	assert_non_null(r);
	assert_addr(&r->nexthop, "2001:db8::2");
	assert_int_equal(r->ifindex, veth0_idx);
	assert_int_equal(r->priority, 500);

	mkroute(&kr, "2001:db8:100::/48", "2001:db8::3");
	kr.priority = 500;
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	assert_addr(&c.routes[0].nexthop, "2001:db8::3");

	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	done(h, &c);
}

static void
test_blackhole(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	const struct kroute	*r;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	mkroute(&kr, "198.19.0.0/26", NULL);
	kr.flags = KR_F_BLACKHOLE;
	assert_int_equal(kr_add(h, &kr), 0);
	mkroute(&kr, "2001:db8:ff::/64", NULL);
	kr.flags = KR_F_BLACKHOLE;
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	run("ip -4 route show type blackhole | "
	    "grep -q '^blackhole 198.19.0.0/26 proto bgp'");
	run("ip -6 route show type blackhole | "
	    "grep -q '^blackhole 2001:db8:ff::/64 .*proto bgp'");
	fetch(h, &c);
	assert_int_equal(c.n, 2);
	r = find(&c, "198.19.0.0/26");
	assert_non_null(r);
	assert_int_equal(r->flags, KR_F_BLACKHOLE);
	assert_true(addr_is_unspec(&r->nexthop));
	r = find(&c, "2001:db8:ff::/64");
	assert_non_null(r);
	assert_int_equal(r->flags & KR_F_BLACKHOLE, KR_F_BLACKHOLE);

	/* A restarted kroute finds them with a handle of its own. */
	done(h, &c);
	h = open_handle(&c, TABLE);
	fetch(h, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(kr_del(h, &c.routes[0]), 0);
	assert_int_equal(kr_del(h, &c.routes[1]), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	done(h, &c);
}

/* Onlink through a real device: the gateway is not on any subnet. */
static void
test_onlink_veth(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	mkroute(&kr, "198.19.30.0/26", "198.18.9.9");
	kr.ifindex = veth0_idx;
	kr.flags = KR_F_ONLINK;
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	run("ip -4 route show 198.19.30.0/26 | "
	    "grep -q 'via 198.18.9.9 dev veth0 proto bgp onlink'");
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.routes[0].flags, KR_F_ONLINK);
	assert_int_equal(c.routes[0].ifindex, veth0_idx);
	assert_addr(&c.routes[0].nexthop, "198.18.9.9");
	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	done(h, &c);
}

/* Routes of another protocol or another table are never ours. */
static void
test_fetch_filter(void **state)
{
	struct kr_handle	*h, *h100;
	struct collect		 c, c100;
	struct kroute		 kr;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	h100 = open_handle(&c100, 100);
	run("ip route add 198.19.9.0/24 via 198.18.0.2 proto static");
	run("ip -6 route add 2001:db8:9::/48 via 2001:db8::2 proto static");
	run("ip route add 198.19.10.0/24 via 198.18.0.2 proto 186 table 100");
	mkroute(&kr, "198.19.11.0/24", "198.18.0.2");
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 1);
	assert_non_null(find(&c, "198.19.11.0/24"));
	fetch(h100, &c100);
	assert_int_equal(c100.n, 1);
	assert_non_null(find(&c100, "198.19.10.0/24"));

	/* Our delete must not remove somebody else's route. */
	mkroute(&kr, "198.19.9.0/24", NULL);
	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 1);
	assert_int_equal(c.fail[0].err, ESRCH);
	run("ip route show 198.19.9.0/24 proto static | grep -q via");

	mkroute(&kr, "198.19.11.0/24", NULL);
	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 0);
	run("ip route del 198.19.9.0/24 proto static");
	run("ip -6 route del 2001:db8:9::/48 proto static");
	run("ip route del 198.19.10.0/24 table 100");
	fetch(h100, &c100);
	assert_int_equal(c100.n, 0);
	done(h100, &c100);
	done(h, &c);
}

static void
batch_route(struct kroute *kr, size_t i)
{
	memset(kr, 0, sizeof(*kr));
	if (i < BATCH_V4) {
		/* 198.19.32.0 onwards, one /32 each. */
		kr->prefix.af = AF_INET;
		kr->prefix.v4.s_addr = htonl(0xc6132000U + (uint32_t)i);
		kr->prefixlen = 32;
		addr_parse("198.18.0.2", &kr->nexthop);
		return;
	}
	/* 2001:db8:1000:N::/64. */
	i -= BATCH_V4;
	addr_parse("2001:db8:1000::", &kr->prefix);
	kr->prefix.bytes[6] = (uint8_t)(i >> 8);
	kr->prefix.bytes[7] = (uint8_t)i;
	kr->prefixlen = 64;
	addr_parse("2001:db8::2", &kr->nexthop);
}

static void
test_batch_100k(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	uint64_t		 t0, t1, t2, t3;
	size_t			 i, n = BATCH_V4 + BATCH_V6;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	t0 = mono_ms();
	for (i = 0; i < n; i++) {
		batch_route(&kr, i);
		assert_int_equal(kr_add(h, &kr), 0);
	}
	assert_int_equal(kr_pending(h), n);
	assert_int_equal(kr_flush_sync(h), 0);
	t1 = mono_ms();
	fetch(h, &c);
	t2 = mono_ms();
	assert_int_equal(c.n, n);
	assert_non_null(find(&c, "198.19.32.0/32"));
	assert_non_null(find(&c, "2001:db8:1000:c34f::/64"));
	for (i = 0; i < n; i++) {
		batch_route(&kr, i);
		assert_int_equal(kr_del(h, &kr), 0);
	}
	assert_int_equal(kr_flush_sync(h), 0);
	t3 = mono_ms();
	printf("# %zu routes: add %.3f s, fetch %.3f s, delete %.3f s\n", n,
	    (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0);
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	assert_int_equal(kr_pending(h), 0);
	done(h, &c);
}

/* A refused route in the middle of a batch is named; the rest goes in. */
static void
test_errors_by_prefix(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	char			 buf[ADDRSTRLEN];

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	mkroute(&kr, "198.19.20.0/24", "198.18.0.2");
	assert_int_equal(kr_add(h, &kr), 0);
	mkroute(&kr, "198.19.21.0/24", "203.0.113.1");	/* unreachable */
	assert_int_equal(kr_add(h, &kr), 0);
	mkroute(&kr, "2001:db8:21::/48", "2001:db8:ffff::1");
	assert_int_equal(kr_add(h, &kr), 0);
	mkroute(&kr, "198.19.22.0/24", "198.18.0.2");
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 2);
	assert_int_equal(c.nfail, 2);
	assert_true(c.fail[0].have_route);
	assert_int_equal(c.fail[0].op, KR_OP_ADD);
	assert_int_equal(c.fail[0].err, ENETUNREACH);
	assert_addr(&c.fail[0].kr.prefix, "198.19.21.0");
	assert_int_equal(c.fail[0].kr.prefixlen, 24);
	assert_addr(&c.fail[0].kr.nexthop, "203.0.113.1");
	printf("# refused %s/%u: %s (%s)\n",
	    addr_ntop(&c.fail[0].kr.prefix, buf, sizeof(buf)),
	    c.fail[0].kr.prefixlen, strerror(c.fail[0].err), c.fail[0].why);
	assert_true(c.fail[1].have_route);
	assert_addr(&c.fail[1].kr.prefix, "2001:db8:21::");
	assert_int_not_equal(c.fail[1].err, 0);
	fetch(h, &c);
	assert_int_equal(c.n, 2);
	assert_non_null(find(&c, "198.19.20.0/24"));
	assert_non_null(find(&c, "198.19.22.0/24"));

	/* Deleting what is not there names the prefix too. */
	c.nfail = 0;
	mkroute(&kr, "198.19.20.0/24", NULL);
	assert_int_equal(kr_del(h, &kr), 0);
	mkroute(&kr, "198.19.23.0/24", NULL);
	assert_int_equal(kr_del(h, &kr), 0);
	mkroute(&kr, "198.19.22.0/24", NULL);
	assert_int_equal(kr_del(h, &kr), 0);
	assert_int_equal(kr_flush_sync(h), 1);
	assert_int_equal(c.fail[0].op, KR_OP_DEL);
	assert_int_equal(c.fail[0].err, ESRCH);
	assert_addr(&c.fail[0].kr.prefix, "198.19.23.0");
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	done(h, &c);
}

/* Whole batches of failures fit the receive buffer: none is lost. */
static void
test_errors_all(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	size_t			 i, n = 30000;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	for (i = 0; i < n; i++) {
		batch_route(&kr, i);
		addr_parse("203.0.113.1", &kr.nexthop);
		assert_int_equal(kr_add(h, &kr), 0);
	}
	assert_int_equal(kr_flush_sync(h), n);
	assert_int_equal(c.nfail_total, n);
	assert_int_equal(c.nlost, 0);
	assert_addr(&c.fail[7].kr.prefix, "198.19.32.7");
	assert_int_equal(kr_pending(h), 0);
	done(h, &c);
}

/* Polls kr_fd() and dispatches until cond(c) holds or 5 s pass. */
static int
loop_until(struct kr_handle *h, struct collect *c,
    int (*cond)(struct collect *, void *), void *arg)
{
	struct pollfd	 pfd;
	uint64_t	 end = mono_ms() + 5000;

	while (!cond(c, arg)) {
		if (mono_ms() > end)
			return -1;
		pfd.fd = kr_fd(h);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) > 0 && kr_dispatch(h) == -1)
			return -1;
	}
	return 0;
}

static int
is_idle(struct collect *c, void *arg)
{
	(void)arg;
	return c->idle > 0;
}

static void
test_nonblocking(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct kroute		 kr;
	size_t			 i, n = 20000;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	for (i = 0; i < n; i++) {
		batch_route(&kr, i);
		assert_int_equal(kr_add(h, &kr), 0);
	}
	mkroute(&kr, "198.19.21.0/24", "203.0.113.1");
	assert_int_equal(kr_add(h, &kr), 0);
	assert_int_equal(kr_flush(h), 0);
	assert_true(kr_pending(h) > 0);
	assert_int_equal(loop_until(h, &c, is_idle, NULL), 0);
	assert_int_equal(kr_pending(h), 0);
	assert_int_equal(c.nfail, 1);
	assert_addr(&c.fail[0].kr.prefix, "198.19.21.0");
	fetch(h, &c);
	assert_int_equal(c.n, n);

	c.idle = 0;
	for (i = 0; i < n; i++) {
		batch_route(&kr, i);
		assert_int_equal(kr_del(h, &kr), 0);
	}
	assert_int_equal(kr_flush(h), 0);
	/* A fetch in the middle finishes the batch in flight first. */
	fetch(h, &c);
	assert_true(c.n > 0 && c.n < n);
	assert_int_equal(loop_until(h, &c, is_idle, NULL), 0);
	fetch(h, &c);
	assert_int_equal(c.n, 0);
	done(h, &c);
}

static const struct kr_ifinfo *
find_if(const struct collect *c, enum kr_event_type type, uint32_t idx)
{
	size_t	 i;

	for (i = 0; i < c->nev; i++)
		if (c->ev[i].type == type && c->ev[i].ifi.ifindex == idx)
			return &c->ev[i].ifi;
	return NULL;
}

static const struct kr_ifaddr *
find_addr(const struct collect *c, enum kr_event_type type, const char *a)
{
	struct bgpd_addr	 b;
	size_t			 i;

	assert_int_equal(addr_parse(a, &b), 0);
	for (i = 0; i < c->nev; i++)
		if (c->ev[i].type == type &&
		    addr_cmp(&c->ev[i].ifa.addr, &b) == 0)
			return &c->ev[i].ifa;
	return NULL;
}

static void
test_if_fetch(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	const struct kr_ifinfo	*ifi;
	const struct kr_ifaddr	*ifa;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	assert_int_equal(kr_if_fetch(h, on_event, &c), 0);
	ifi = find_if(&c, KR_EV_IF_NEW, if_nametoindex("lo"));
	assert_non_null(ifi);
	assert_string_equal(ifi->name, "lo");
	assert_int_equal(ifi->flags & (KR_IF_LOOPBACK | KR_IF_UP),
	    KR_IF_LOOPBACK | KR_IF_UP);
	ifi = find_if(&c, KR_EV_IF_NEW, veth0_idx);
	assert_non_null(ifi);
	assert_string_equal(ifi->name, "veth0");
	assert_int_equal(ifi->flags, KR_IF_UP | KR_IF_RUNNING);
	assert_int_equal(ifi->mtu, 1500);
	ifa = find_addr(&c, KR_EV_ADDR_NEW, "198.18.0.1");
	assert_non_null(ifa);
	assert_int_equal(ifa->ifindex, veth0_idx);
	assert_int_equal(ifa->prefixlen, 24);
	ifa = find_addr(&c, KR_EV_ADDR_NEW, "2001:db8:1::1");
	assert_non_null(ifa);
	assert_int_equal(ifa->ifindex, veth1_idx);
	assert_int_equal(ifa->prefixlen, 64);
	done(h, &c);
}

struct want_if {
	uint32_t	 idx;
	uint32_t	 mask;
	uint32_t	 flags;
};

static int
saw_link(struct collect *c, void *arg)
{
	struct want_if	*w = arg;
	size_t		 i;

	for (i = 0; i < c->nev; i++)
		if (c->ev[i].type == KR_EV_IF_NEW &&
		    c->ev[i].ifi.ifindex == w->idx &&
		    (c->ev[i].ifi.flags & w->mask) == w->flags)
			return 1;
	return 0;
}

static int
saw_addr(struct collect *c, void *arg)
{
	const struct kr_event	*ev = arg;

	return find_addr(c, ev->type, "198.18.2.1") != NULL;
}

static void
test_events(void **state)
{
	struct kr_handle	*h;
	struct collect		 c;
	struct want_if		 w;
	struct kr_event		 ev;
	const struct kr_ifaddr	*ifa;

	(void)state;
	need_netns();
	h = open_handle(&c, TABLE);
	assert_int_equal(kr_subscribe(h), 0);
	run("ip link set veth1 down");
	w.idx = veth1_idx;
	w.mask = KR_IF_UP;
	w.flags = 0;
	assert_int_equal(loop_until(h, &c, saw_link, &w), 0);
	/* Its peer lost carrier. */
	w.idx = veth0_idx;
	w.mask = KR_IF_UP | KR_IF_RUNNING;
	w.flags = KR_IF_UP;
	assert_int_equal(loop_until(h, &c, saw_link, &w), 0);
	c.nev = 0;
	run("ip link set veth1 up");
	w.idx = veth1_idx;
	w.mask = KR_IF_UP;
	w.flags = KR_IF_UP;
	assert_int_equal(loop_until(h, &c, saw_link, &w), 0);
	assert_string_equal(find_if(&c, KR_EV_IF_NEW, veth1_idx)->name,
	    "veth1");

	c.nev = 0;
	run("ip addr add 198.18.2.1/24 dev veth1");
	ev.type = KR_EV_ADDR_NEW;
	assert_int_equal(loop_until(h, &c, saw_addr, &ev), 0);
	ifa = find_addr(&c, KR_EV_ADDR_NEW, "198.18.2.1");
	assert_int_equal(ifa->ifindex, veth1_idx);
	assert_int_equal(ifa->prefixlen, 24);
	run("ip addr del 198.18.2.1/24 dev veth1");
	ev.type = KR_EV_ADDR_DEL;
	assert_int_equal(loop_until(h, &c, saw_addr, &ev), 0);
	/* The IPv6 address went with the link down; put it back. */
	run("ip -6 addr replace 2001:db8:1::1/64 dev veth1 nodad");
	done(h, &c);
}

static void
test_open_invalid(void **state)
{
	struct kr_handle	*h;

	(void)state;
	assert_int_equal(kr_open(&h, 0, PROTO), -1);
	assert_null(h);
	assert_int_equal(kr_open(&h, TABLE, 0), -1);
	assert_null(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_tunl0),
		cmocka_unit_test(test_msg_table_metric),
		cmocka_unit_test(test_msg_invalid_routes),
		cmocka_unit_test(test_msg_parse_hostile),
		cmocka_unit_test(test_open_invalid),
		cmocka_unit_test(test_route_v4),
		cmocka_unit_test(test_route_v6),
		cmocka_unit_test(test_blackhole),
		cmocka_unit_test(test_onlink_veth),
		cmocka_unit_test(test_fetch_filter),
		cmocka_unit_test(test_errors_by_prefix),
		cmocka_unit_test(test_errors_all),
		cmocka_unit_test(test_batch_100k),
		cmocka_unit_test(test_nonblocking),
		cmocka_unit_test(test_if_fetch),
		cmocka_unit_test(test_events),
	};

	log_init(1, 0);
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
