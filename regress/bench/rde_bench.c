/*
 * rde_bench: a full table through ribd's core, in process.  An injector
 * peer (eBGP) sends N IPv4 prefixes as a sessiond would (UPDATEs packed
 * by the codec, batched into 256 KB imsg payloads), the core decides,
 * exports to a monitor peer (eBGP, another AS) and packs its UPDATEs;
 * then the injector withdraws everything.  Prints one JSON line with the
 * timings (ns per prefix), the bytes the RIB holds per prefix and per
 * path, the process's peak resident size, and the UPDATEs produced.
 *
 *   rde_bench [-kMw] [-n count] [-a attribute-sets] [-m monitors]
 *
 * -a spreads the prefixes over that many AS paths (default 1, as an
 * injector replaying one table); -m adds monitors with the same outbound
 * settings (one update group) or, with -M, each with its own local AS
 * (one update group each); -k also installs into a (null) kernel.  -w
 * sends the workload of `make bench` instead (bp_wire.c: random /16 to
 * /24 prefixes, a new attribute set every 4 on average, withdrawn 1000
 * to an UPDATE), exported through an accept-all BGPFilter as in the
 * benchmark's configuration.  `make -C regress/bench` builds it; by hand
 * from the top of the tree:
 *
 *   cc $(make -s print-cflags) -o /tmp/rde_bench regress/bench/rde_bench.c \
 *       regress/bench/bp_wire.c ribd/rde_*.c common/bgp_*.c common/log.c \
 *       common/util.c common/jsonw.c common/role.c $(make -s print-libs)
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../ribd/rde.h"
#include "bgp_msg.h"
#include "bp.h"
#include "log.h"
#include "util.h"

#define BATCH_MAX	(IMSG_MAX_PIPE - 16)

struct batch {
	uint8_t		*buf;
	size_t		 len;
};

static struct batch	*batches;
static size_t		 nbatches;
static uint64_t		 out_bytes, out_msgs, kr_routes;
static struct bp_table	 wl;		/* -w: the workload's prefixes */

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* CPU time: on a shared machine it varies less than the wall clock. */
static uint64_t
cpu_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t		 feed_cpu;	/* CPU time of the last feed() */

static void
cb_send(const struct rde_peer *p, const uint8_t *buf, size_t len, void *arg)
{
	size_t	 off, m;

	(void)p;
	(void)arg;
	for (off = 0; off + BGP_HDR_LEN <= len; off += m) {
		m = (size_t)buf[off + 16] << 8 | buf[off + 17];
		out_msgs++;
	}
	out_bytes += len;
}

static void
cb_kroute(uint32_t type, const struct kroute *k, size_t n, void *arg)
{
	(void)type;
	(void)k;
	(void)arg;
	kr_routes += n;
}

static void
add_batch(const uint8_t *msg, size_t len)
{
	struct batch	*b;

	if (nbatches == 0 || batches[nbatches - 1].len + len > BATCH_MAX) {
		batches = reallocarray(batches, nbatches + 1, sizeof(*batches));
		if (batches == NULL)
			err(1, NULL);
		b = &batches[nbatches++];
		if ((b->buf = malloc(BATCH_MAX)) == NULL)
			err(1, NULL);
		b->len = 0;
	}
	b = &batches[nbatches - 1];
	memcpy(b->buf + b->len, msg, len);
	b->len += len;
}

static void
free_batches(void)
{
	size_t	 i;

	for (i = 0; i < nbatches; i++)
		free(batches[i].buf);
	free(batches);
	batches = NULL;
	nbatches = 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The table as the injector sends it: nsets runs of prefixes. */
static void
build(uint32_t n, uint32_t nsets, int withdraw)
{
	static struct bgp_packer	 pk;
	struct bgp_sess			 s;
	struct bgp_attrs		 a;
	struct bgp_prefix		 p;
	uint8_t				 path[10];
	const uint8_t			*msg;
	size_t				 len;
	uint32_t			 i, set, per = (n + nsets - 1) / nsets;

	memset(&s, 0, sizeof(s));
	s.as4 = 1;
	s.ebgp = 1;
	s.af[BGP_AID_IPV4] = 1;
	s.maxlen = BGP_MAXLEN;
	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET;
	p.aid = BGP_AID_IPV4;
	p.plen = 24;
	for (set = 0, i = 0; i < n; set++) {
		memset(&a, 0, sizeof(a));
		a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
		    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.aspath_as4 = 1;
		path[0] = BGP_AS_SEQUENCE;
		path[1] = 2;
		put32(path + 2, 65001);
		put32(path + 6, 100000 + set);
		a.aspath = path;
		a.aspath_len = sizeof(path);
		a.nexthop.af = AF_INET;
		inet_pton(AF_INET, "198.18.0.2", &a.nexthop.v4);
		if (bgp_pack_init(&pk, &s, BGP_AID_IPV4,
		    withdraw ? NULL : &a) == -1)
			errx(1, "bgp_pack_init");
		for (; i < n && i < (set + 1) * per; i++) {
			/* 16.0.0.0/4 in /24 steps. */
			put32(p.addr.bytes, 0x10000000U + (i << 8));
			if (bgp_pack_add(&pk, &p) == 1) {
				len = bgp_pack_flush(&pk, &msg);
				add_batch(msg, len);
				bgp_pack_add(&pk, &p);
			}
		}
		if ((len = bgp_pack_flush(&pk, &msg)) > 0)
			add_batch(msg, len);
	}
	if (!withdraw) {
		if ((len = bgp_eor_encode(BGP_AID_IPV4, pk.msg,
		    sizeof(pk.msg))) > 0)
			add_batch(pk.msg, len);
	}
}

/* A stream of messages into batches, as sessiond would pass them. */
static void
add_stream(const struct bp_stream *st)
{
	size_t	 off, m;

	for (off = 0; off + BGP_HDR_LEN <= st->len; off += m) {
		m = (size_t)st->buf[off + 16] << 8 | st->buf[off + 17];
		add_batch(st->buf + off, m);
	}
}

/* The benchmark's workload: its announcements or its withdrawals. */
static void
build_workload(uint32_t n, int withdraw)
{
	struct bp_stream	 st;

	memset(&st, 0, sizeof(st));
	if (wl.n == 0)
		bp_gen_table(&wl, n, 1);
	if (withdraw)
		bp_gen_withdraw(&st, &wl);
	else
		bp_gen_announce(&st, &wl, 65001, 0xc6120002U, 1);
	add_stream(&st);
	bp_stream_free(&st);
}

/* The benchmark's BGPFilter: every IPv4 route may go to peer peerid. */
static void
accept_all(uint32_t peerid)
{
	struct imsg_filter_rule	 r;

	memset(&r, 0, sizeof(r));
	r.peerid = peerid;
	r.dir = RC_FDIR_EXPORT;
	r.aid = BGP_AID_IPV4;
	strlcpy(r.filter, "accept-all", sizeof(r.filter));
	r.cidr.af = AF_INET;
	r.match = RC_MATCH_IN;
	r.action = RC_ACTION_ACCEPT;
	rde_conf_filter(&r);
}

static void
setup(int monitors, int own_as, int kernel, int workload)
{
	struct imsg_global	 g;
	struct imsg_pool	 pool;
	struct imsg_peer	 pc;
	struct imsg_session_up	 up;
	struct rde_io		 io;
	int			 i;

	memset(&io, 0, sizeof(io));
	io.peer_send = cb_send;
	io.kroute = cb_kroute;
	rde_init(&io);
	memset(&g, 0, sizeof(g));
	g.local_as = 64512;
	inet_pton(AF_INET, "198.18.0.1", &g.router_id);
	g.ipv4.af = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &g.ipv4.v4);
	g.ipv4_plen = 24;
	g.cluster_routes = RC_PCR_NOENCAP_ONLY;
	g.flags = kernel ? RC_F_KERNEL_INSTALL : 0;
	memset(&pool, 0, sizeof(pool));
	pool.prefix.af = AF_INET;
	inet_pton(AF_INET, "16.0.0.0", &pool.prefix.v4);
	pool.plen = 4;
	rde_conf_start();
	rde_conf_global(&g);
	rde_conf_pool(&pool);
	for (i = 1; workload && i <= monitors + 1; i++)
		accept_all(i);
	rde_conf_done();
	for (i = 0; i <= monitors; i++) {
		memset(&pc, 0, sizeof(pc));
		pc.peerid = i + 1;
		pc.groupid = 1;
		snprintf(pc.name, sizeof(pc.name), i ? "monitor%d" : "injector",
		    i);
		pc.remote.af = AF_INET;
		pc.remote.v4.s_addr = htonl(0xc6120002U + i);
		pc.peer_as = i == 0 ? 65001 : 65002;
		pc.local_as = own_as && i > 0 ? 64600 + i : 64512;
		pc.flags = PEER_F_EBGP;
		rde_peer_add(&pc);
		memset(&up, 0, sizeof(up));
		up.peerid = pc.peerid;
		up.remote_id = pc.remote.v4.s_addr;
		up.local_addr = g.ipv4;
		up.remote_addr = pc.remote;
		up.sess.as4 = 1;
		up.sess.ebgp = 1;
		up.sess.af[BGP_AID_IPV4] = 1;
		up.sess.maxlen = BGP_MAXLEN;
		up.sess.local_as = 64512;
		up.sess.peer_as = pc.peer_as;
		rde_peer_up(&up);
	}
	while (rde_run(1 << 20))
		;
}

/* Feed the batches as ribd's loop would: input, then a slice of work. */
static uint64_t
feed(void)
{
	struct rde_peer	*inj = rde_peer_find(1);
	uint64_t	 t0 = now_ns(), c0 = cpu_ns();
	size_t		 i;

	for (i = 0; i < nbatches; i++) {
		if (rde_update_input(inj, batches[i].buf, batches[i].len) == -1)
			errx(1, "bad batch");
		rde_run(65536);
	}
	while (rde_run(65536))
		;
	rde_kernel_flush();
	feed_cpu = cpu_ns() - c0;
	return now_ns() - t0;
}

static long
maxrss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int
main(int argc, char *argv[])
{
	uint32_t	 n = 1000000, nsets = 1;
	uint64_t	 t_in, t_out, msgs_in, bytes_in;
	size_t		 mem, i;
	int		 ch, monitors = 1, own_as = 0, kernel = 0, workload = 0;
	const char	*errstr;

	while ((ch = getopt(argc, argv, "a:km:Mn:w")) != -1) {
		switch (ch) {
		case 'a':
			nsets = strtonum(optarg, 1, 1000000, &errstr);
			if (errstr)
				errx(1, "-a %s", errstr);
			break;
		case 'k':
			kernel = 1;
			break;
		case 'm':
			monitors = strtonum(optarg, 1, 200, &errstr);
			if (errstr)
				errx(1, "-m %s", errstr);
			break;
		case 'M':
			own_as = 1;
			break;
		case 'n':
			n = strtonum(optarg, 1, 1 << 24, &errstr);
			if (errstr)
				errx(1, "-n %s", errstr);
			break;
		case 'w':
			workload = 1;
			break;
		default:
			fprintf(stderr, "usage: rde_bench [-kMw] [-a sets] "
			    "[-m monitors] [-n count]\n");
			return 1;
		}
	}
	log_init(1, 0);
	setup(monitors, own_as, kernel, workload);
	if (workload)
		build_workload(n, 0);
	else
		build(n, nsets, 0);
	for (i = 0, bytes_in = 0; i < nbatches; i++)
		bytes_in += batches[i].len;
	msgs_in = nbatches;
	t_in = feed();
	mem = rde_mem_bytes();
	printf("{\"workload\": \"%s\", \"prefixes\": %u, \"attrSets\": %u, "
	    "\"monitors\": %d, "
	    "\"groups\": %s, \"inBatches\": %llu, \"inBytes\": %llu, "
	    "\"announce_ns_per_prefix\": %.1f, "
	    "\"announce_cpu_ns_per_prefix\": %.1f, \"ribBytes\": %zu, "
	    "\"bytesPerPrefix\": %.1f, \"bytesPerPath\": %.1f, "
	    "\"attrSetsInterned\": %zu, \"outMsgs\": %llu, \"outBytes\": %llu, "
	    "\"kernelRoutes\": %llu, ",
	    workload ? "bench" : "sorted", n, nsets, monitors,
	    own_as ? "\"per monitor\"" : "\"one\"",
	    (unsigned long long)msgs_in, (unsigned long long)bytes_in,
	    (double)t_in / n, (double)feed_cpu / n, mem,
	    (double)mem / rde_prefix_count(),
	    (double)(rde_path_bytes()) / rde_path_count(), rde_attr_count(),
	    (unsigned long long)out_msgs, (unsigned long long)out_bytes,
	    (unsigned long long)kr_routes);
	free_batches();
	out_msgs = out_bytes = 0;
	if (workload)
		build_workload(n, 1);
	else
		build(n, 1, 1);
	t_out = feed();
	printf("\"withdraw_ns_per_prefix\": %.1f, "
	    "\"withdraw_cpu_ns_per_prefix\": %.1f, \"withdrawMsgs\": %llu, "
	    "\"prefixesLeft\": %u, \"maxrssKiB\": %ld}\n", (double)t_out / n,
	    (double)feed_cpu / n, (unsigned long long)out_msgs,
	    rde_prefix_count(), maxrss_kb());
	free_batches();
	rde_shutdown();
	return 0;
}
