/*
 * kr_bench: installs, fetches and deletes N routes with kr_* in a fresh
 * network namespace, then does the same with `ip -batch` in another fresh
 * namespace, and prints one JSON line with both timings.  Needs root.
 *
 *   kr_bench [-w] [-n count] [-f 4|6]
 *
 * IPv4 routes are /32s in 198.18.1.0 - 198.19.255.255 (so at most 130816
 * of them); IPv6 routes are /64s in 2001:db8:1::/48 and up.  Without -f the
 * family is IPv4 when N fits, IPv6 otherwise.  With -w the routes are the
 * IPv4 prefixes of the benchmark's full-table workload (bp_wire.c: N
 * distinct /16 to /24, as benchpeer's injector announces them), in a
 * namespace of its own all the same.  `make -C regress/bench` builds it;
 * by hand from the top of the tree:
 *
 *   cc $(make -s print-cflags) -o /tmp/kr_bench regress/bench/kr_bench.c \
 *       regress/bench/bp_wire.c kroute/kr_linux.c common/log.c \
 *       common/util.c $(make -s print-libs)
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kroute/kr.h"
#include "bp.h"
#include "log.h"
#include "util.h"

#define BENCH_TABLE	254
#define BENCH_PROTO	186
#define BENCH_V4_FIRST	0xc6120100U	/* 198.18.1.0 */
#define BENCH_V4_MAX	(0x20000U - 0x100U)

struct bench_result {
	double		 add;
	double		 fetch;
	double		 del;
	size_t		 fetched;
	int		 failed;
};

/* -w: the workload's prefixes. */
static struct bp_table	 wl;

static void	 usage(void) __attribute__((__noreturn__));
static void	 bench_netns(void);
static void	 bench_route(struct kroute *, int, size_t);
static void	 bench_kr(int, size_t, struct bench_result *);
static void	 bench_count(const struct kroute *, void *);
static void	 bench_file(const char *, const char *, int, size_t);
static double	 bench_ip(const char *);
static double	 seconds(uint64_t, uint64_t);

static void
usage(void)
{
	fprintf(stderr, "usage: kr_bench [-w] [-n count] [-f 4|6]\n");
	exit(2);
}

/* A namespace of our own with one veth pair and a gateway behind it. */
static void
bench_netns(void)
{
	if (unshare(CLONE_NEWNET) == -1)
		err(1, "unshare(CLONE_NEWNET)");
	if (system("ip link set lo up && "
	    "ip link add veth0 type veth peer name veth1 && "
	    "ip addr add 198.18.0.1/24 dev veth0 && "
	    "ip -6 addr add 2001:db8::1/64 dev veth0 nodad && "
	    "ip link set veth0 up && ip link set veth1 up") != 0)
		errx(1, "cannot set up the namespace");
}

static void
bench_route(struct kroute *kr, int af, size_t i)
{
	memset(kr, 0, sizeof(*kr));
	if (af == AF_INET) {
		kr->prefix.af = AF_INET;
		if (wl.n > 0) {
			kr->prefix.v4.s_addr = htonl(wl.v[i].addr);
			kr->prefixlen = wl.v[i].plen;
		} else {
			kr->prefix.v4.s_addr = htonl(BENCH_V4_FIRST +
			    (uint32_t)i);
			kr->prefixlen = 32;
		}
		addr_parse("198.18.0.2", &kr->nexthop);
		return;
	}
	/* 2001:db8:X:Y::/64 with X:Y = i + 0x10000. */
	i += 0x10000;
	addr_parse("2001:db8::", &kr->prefix);
	kr->prefix.bytes[4] = (uint8_t)(i >> 24);
	kr->prefix.bytes[5] = (uint8_t)(i >> 16);
	kr->prefix.bytes[6] = (uint8_t)(i >> 8);
	kr->prefix.bytes[7] = (uint8_t)i;
	kr->prefixlen = 64;
	addr_parse("2001:db8::2", &kr->nexthop);
}

static void
bench_count(const struct kroute *kr, void *arg)
{
	(void)kr;
	(*(size_t *)arg)++;
}

static double
seconds(uint64_t from, uint64_t to)
{
	return (double)(to - from) / 1000.0;
}

static void
bench_kr(int af, size_t n, struct bench_result *r)
{
	struct kr_handle	*h;
	struct kroute		 kr;
	uint64_t		 t0, t1, t2, t3;
	size_t			 i;
	int			 f;

	if (kr_open(&h, BENCH_TABLE, BENCH_PROTO) == -1)
		err(1, "kr_open");
	t0 = mono_ms();
	for (i = 0; i < n; i++) {
		bench_route(&kr, af, i);
		if (kr_add(h, &kr) == -1)
			errx(1, "kr_add");
	}
	if ((r->failed = kr_flush_sync(h)) == -1)
		err(1, "kr_flush_sync");
	t1 = mono_ms();
	r->fetched = 0;
	if (kr_fetch(h, bench_count, &r->fetched) == -1)
		err(1, "kr_fetch");
	t2 = mono_ms();
	for (i = 0; i < n; i++) {
		bench_route(&kr, af, i);
		if (kr_del(h, &kr) == -1)
			errx(1, "kr_del");
	}
	if ((f = kr_flush_sync(h)) == -1)
		err(1, "kr_flush_sync");
	t3 = mono_ms();
	r->failed += f;
	r->add = seconds(t0, t1);
	r->fetch = seconds(t1, t2);
	r->del = seconds(t2, t3);
	kr_close(h);
}

/* The same routes as `ip -batch` commands. */
static void
bench_file(const char *path, const char *verb, int af, size_t n)
{
	struct kroute	 kr;
	char		 pfx[ADDRSTRLEN], gw[ADDRSTRLEN];
	FILE		*fp;
	size_t		 i;

	if ((fp = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	for (i = 0; i < n; i++) {
		bench_route(&kr, af, i);
		addr_ntop(&kr.prefix, pfx, sizeof(pfx));
		addr_ntop(&kr.nexthop, gw, sizeof(gw));
		if (strcmp(verb, "add") == 0)
			fprintf(fp, "route add %s/%u via %s proto %d\n", pfx,
			    kr.prefixlen, gw, BENCH_PROTO);
		else
			fprintf(fp, "route del %s/%u proto %d\n", pfx,
			    kr.prefixlen, BENCH_PROTO);
	}
	if (fclose(fp) == EOF)
		err(1, "%s", path);
}

static double
bench_ip(const char *path)
{
	uint64_t	 t0;
	pid_t		 pid;
	int		 status;

	t0 = mono_ms();
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		execlp("ip", "ip", "-batch", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "ip -batch %s failed", path);
	return seconds(t0, mono_ms());
}

int
main(int argc, char *argv[])
{
	struct bench_result	 r;
	struct kr_handle	*h;
	char			 addf[] = "/tmp/kr_bench.add.XXXXXX";
	char			 delf[] = "/tmp/kr_bench.del.XXXXXX";
	const char		*errstr;
	double			 ip_add, ip_del;
	size_t			 n = 1000000, ip_fetched = 0;
	int			 ch, af = 0, fd, workload = 0;

	while ((ch = getopt(argc, argv, "f:n:w")) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "4") == 0)
				af = AF_INET;
			else if (strcmp(optarg, "6") == 0)
				af = AF_INET6;
			else
				usage();
			break;
		case 'n':
			n = (size_t)strtonum(optarg, 1, 16000000, &errstr);
			if (errstr != NULL)
				errx(1, "count %s: %s", optarg, errstr);
			break;
		case 'w':
			workload = 1;
			break;
		default:
			usage();
		}
	}
	if (workload) {
		if (af == AF_INET6)
			errx(1, "the workload is IPv4");
		af = AF_INET;
		bp_gen_table(&wl, (uint32_t)n, 1);
	}
	if (af == 0)
		af = n <= BENCH_V4_MAX ? AF_INET : AF_INET6;
	if (af == AF_INET && n > BENCH_V4_MAX && !workload)
		errx(1, "the IPv4 test range holds %u routes", BENCH_V4_MAX);
	log_init(1, 0);

	if ((fd = mkstemp(addf)) == -1)
		err(1, "mkstemp");
	close(fd);
	if ((fd = mkstemp(delf)) == -1)
		err(1, "mkstemp");
	close(fd);
	bench_file(addf, "add", af, n);
	bench_file(delf, "del", af, n);

	bench_netns();
	bench_kr(af, n, &r);

	bench_netns();
	ip_add = bench_ip(addf);
	if (kr_open(&h, BENCH_TABLE, BENCH_PROTO) == -1 ||
	    kr_fetch(h, bench_count, &ip_fetched) == -1)
		err(1, "kr_fetch");
	kr_close(h);
	ip_del = bench_ip(delf);
	unlink(addf);
	unlink(delf);

	printf("{\"bench\":\"kroute\",\"family\":\"ipv%d%s\",\"n\":%zu,"
	    "\"kr_add_s\":%.3f,\"kr_fetch_s\":%.3f,\"kr_del_s\":%.3f,"
	    "\"kr_fetched\":%zu,\"kr_failed\":%d,"
	    "\"ip_batch_add_s\":%.3f,\"ip_batch_del_s\":%.3f,"
	    "\"ip_fetched\":%zu,\"add_ratio\":%.3f,\"del_ratio\":%.3f}\n",
	    af == AF_INET ? 4 : 6, workload ? " workload" : "", n, r.add,
	    r.fetch, r.del, r.fetched,
	    r.failed, ip_add, ip_del, ip_fetched,
	    ip_add > 0 ? r.add / ip_add : 0.0,
	    ip_del > 0 ? r.del / ip_del : 0.0);
	return r.fetched == n && ip_fetched == n && r.failed == 0 ? 0 : 1;
}
