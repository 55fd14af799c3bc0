/*
 * ribd_bench: the ribd process with real pipes.  It fork+execs ribd as
 * tortied would (its pipe on descriptor 3, sandboxed), plays the parent
 * (configuration, two peers), a sessiond (SESSION_UP, the injector's
 * UPDATEs in 256 KB imsgs, reading the monitor's UPDATEs) and kroute
 * (draining route changes), and times a full table of N IPv4 prefixes
 * injector -> ribd -> monitor, then its withdrawal.  It also asks for
 * `show rib` of one prefix.  Prints one JSON line: the timings, the
 * UPDATEs and prefixes the monitor got, and ribd's peak resident size.
 * Needs root (ribd drops to the _tortie user in an empty chroot).
 *
 *   ribd_bench [-k] [-n count] [-b path-to-ribd]
 *
 * Build by hand from the top of the tree:
 *
 *   cc $(make -s print-cflags) -o /tmp/ribd_bench \
 *       regress/bench/ribd_bench.c common/imsg.c common/log.c \
 *       common/util.c common/bgp_*.c $(make -s print-libs)
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../kroute/kr.h"
#include "bgp_msg.h"
#include "imsg.h"
#include "ribconf.h"
#include "tortie.h"

#define CHROOT_DIR	"/tmp/ribd_bench_empty"
#define INJ		1
#define MON		2

static struct imsgbuf	 parent, sess, krt;
static pid_t		 child;
static uint64_t		 mon_prefixes, mon_withdrawn, mon_updates;
static uint64_t		 kr_routes;
static int		 show_done;
static char		 show_buf[4096];
static size_t		 show_len;

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
send_msg(struct imsgbuf *ib, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (imsg_compose(ib, type, peerid, 0, fd, data, len) == -1)
		err(1, "imsg_compose");
}

static void
spawn(const char *path, int kernel)
{
	int	 ps[2], ss[2], ks[2];

	(void)kernel;
	mkdir(CHROOT_DIR, 0755);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ps) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, ss) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, ks) == -1)
		err(1, "socketpair");
	if ((child = fork()) == -1)
		err(1, "fork");
	if (child == 0) {
		if (dup2(ps[1], 3) == -1)
			_exit(1);
		execl(path, "ribd", "-d", "-u", TORTIE_USER, "-r", CHROOT_DIR,
		    (char *)NULL);
		_exit(1);
	}
	close(ps[1]);
	fcntl(ps[0], F_SETFL, O_NONBLOCK);
	fcntl(ss[0], F_SETFL, O_NONBLOCK);
	fcntl(ks[0], F_SETFL, O_NONBLOCK);
	if (imsgbuf_init(&parent, ps[0], IMSG_MAX_PIPE) == -1 ||
	    imsgbuf_init(&sess, ss[0], IMSG_MAX_PIPE) == -1 ||
	    imsgbuf_init(&krt, ks[0], IMSG_MAX_PIPE) == -1)
		err(1, "imsgbuf_init");
	send_msg(&parent, IMSG_SOCKET_SESSION, 1, ss[1], NULL, 0);
	send_msg(&parent, IMSG_SOCKET_KROUTE, 0, ks[1], NULL, 0);
}

static void
configure(int kernel)
{
	struct imsg_global	 g;
	struct imsg_pool	 p;

	memset(&g, 0, sizeof(g));
	g.local_as = 64512;
	inet_pton(AF_INET, "198.18.0.1", &g.router_id);
	g.ipv4.af = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &g.ipv4.v4);
	g.ipv4_plen = 24;
	g.cluster_routes = RC_PCR_NOENCAP_ONLY;
	g.flags = kernel ? RC_F_KERNEL_INSTALL : 0;
	memset(&p, 0, sizeof(p));
	p.prefix.af = AF_INET;
	inet_pton(AF_INET, "16.0.0.0", &p.prefix.v4);
	p.plen = 4;
	send_msg(&parent, IMSG_RECONF_START, 0, -1, NULL, 0);
	send_msg(&parent, IMSG_RECONF_GLOBAL, 0, -1, &g, sizeof(g));
	send_msg(&parent, IMSG_RECONF_POOL, 0, -1, &p, sizeof(p));
	send_msg(&parent, IMSG_RECONF_DONE, 0, -1, NULL, 0);
}

static void
peer(uint32_t id, const char *addr, uint32_t as)
{
	struct imsg_peer	 p;

	memset(&p, 0, sizeof(p));
	p.peerid = id;
	p.groupid = 1;
	snprintf(p.name, sizeof(p.name), id == INJ ? "injector" : "monitor");
	p.remote.af = AF_INET;
	inet_pton(AF_INET, addr, &p.remote.v4);
	p.peer_as = as;
	p.local_as = 64512;
	p.flags = PEER_F_EBGP;
	send_msg(&parent, IMSG_PEER_ADD, id, -1, &p, sizeof(p));
}

static void
up(uint32_t id, const char *addr, uint32_t as)
{
	struct imsg_session_up	 u;

	memset(&u, 0, sizeof(u));
	u.peerid = id;
	inet_pton(AF_INET, addr, &u.remote_id);
	u.local_addr.af = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &u.local_addr.v4);
	u.remote_addr.af = AF_INET;
	inet_pton(AF_INET, addr, &u.remote_addr.v4);
	u.sess.as4 = 1;
	u.sess.ebgp = 1;
	u.sess.af[BGP_AID_IPV4] = 1;
	u.sess.maxlen = BGP_MAXLEN;
	u.sess.local_as = 64512;
	u.sess.peer_as = as;
	send_msg(&sess, IMSG_SESSION_UP, id, -1, &u, sizeof(u));
}

/* The injector's table as sessiond forwards it: 256 KB imsgs. */
struct batch {
	uint8_t		*buf;
	size_t		 len;
};

static struct batch	*batches;
static size_t		 nbatches, next_batch;

static void
add_msg(const uint8_t *msg, size_t len)
{
	struct batch	*b;

	if (nbatches == 0 ||
	    batches[nbatches - 1].len + len > IMSG_MAX_PIPE - 64) {
		batches = reallocarray(batches, nbatches + 1, sizeof(*b));
		if (batches == NULL)
			err(1, NULL);
		batches[nbatches].buf = malloc(IMSG_MAX_PIPE);
		batches[nbatches].len = 0;
		if (batches[nbatches++].buf == NULL)
			err(1, NULL);
	}
	b = &batches[nbatches - 1];
	memcpy(b->buf + b->len, msg, len);
	b->len += len;
}

static void
build(uint32_t n, int withdraw)
{
	static struct bgp_packer	 pk;
	struct bgp_sess			 s;
	struct bgp_attrs		 a;
	struct bgp_prefix		 p;
	static const uint8_t		 path[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
	const uint8_t			*msg;
	size_t				 len;
	uint32_t			 i, v;

	for (i = 0; i < nbatches; i++)
		free(batches[i].buf);
	free(batches);
	batches = NULL;
	nbatches = next_batch = 0;
	memset(&s, 0, sizeof(s));
	s.as4 = 1;
	s.ebgp = 1;
	s.af[BGP_AID_IPV4] = 1;
	s.maxlen = BGP_MAXLEN;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.aspath_as4 = 1;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop.af = AF_INET;
	inet_pton(AF_INET, "198.18.0.2", &a.nexthop.v4);
	if (bgp_pack_init(&pk, &s, BGP_AID_IPV4, withdraw ? NULL : &a) == -1)
		errx(1, "bgp_pack_init");
	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET;
	p.aid = BGP_AID_IPV4;
	p.plen = 24;
	for (i = 0; i < n; i++) {
		v = htonl(0x10000000U + (i << 8));
		memcpy(p.addr.bytes, &v, 4);
		if (bgp_pack_add(&pk, &p) == 1) {
			len = bgp_pack_flush(&pk, &msg);
			add_msg(msg, len);
			bgp_pack_add(&pk, &p);
		}
	}
	if ((len = bgp_pack_flush(&pk, &msg)) > 0)
		add_msg(msg, len);
}

/* Count the monitor's prefixes: announced and withdrawn. */
static void
count_updates(const uint8_t *buf, size_t len)
{
	static struct bgp_update	 u;
	struct bgp_sess			 s;
	size_t				 off, m;

	memset(&s, 0, sizeof(s));
	s.as4 = 1;
	s.ebgp = 1;
	s.af[BGP_AID_IPV4] = 1;
	s.maxlen = BGP_MAXLEN;
	for (off = 0; off + BGP_HDR_LEN <= len; off += m) {
		m = (size_t)buf[off + 16] << 8 | buf[off + 17];
		if (m < BGP_HDR_LEN || m > len - off)
			errx(1, "bad message from ribd");
		if (buf[off + 18] != BGP_MSG_UPDATE)
			continue;
		mon_updates++;
		if (bgp_update_decode(buf + off, m, &s, &u) != BGP_UPD_OK)
			errx(1, "bad UPDATE from ribd: %s", u.err.reason);
		mon_prefixes += bgp_update_count(&u, BGP_SECT_NLRI);
		mon_withdrawn += bgp_update_count(&u, BGP_SECT_WITHDRAWN);
	}
}

static void
read_all(struct imsgbuf *ib, int which)
{
	struct imsg	 im;
	ssize_t		 n;

	if ((n = imsg_read(ib)) == 0)
		errx(1, "ribd closed a pipe");
	if (n == -1 && errno != EAGAIN)
		err(1, "imsg_read");
	while (imsg_get(ib, &im) == 1) {
		if (im.fd != -1)
			close(im.fd);
		if (which == 1 && im.hdr.type == IMSG_UPDATE &&
		    im.hdr.peerid == MON)
			count_updates(im.data, im.datalen);
		else if (which == 2 && (im.hdr.type == IMSG_KROUTE_CHANGE ||
		    im.hdr.type == IMSG_KROUTE_DELETE))
			kr_routes += im.datalen / sizeof(struct kroute);
		else if (which == 0 && im.hdr.type == IMSG_CTL_DATA &&
		    show_len + im.datalen < sizeof(show_buf)) {
			memcpy(show_buf + show_len, im.data, im.datalen);
			show_len += im.datalen;
		} else if (which == 0 && im.hdr.type == IMSG_CTL_END)
			show_done = 1;
	}
}

/* Pump all pipes until done() or the deadline. */
static int
pump(int (*done)(void), uint64_t deadline)
{
	struct pollfd	 pfd[3];
	struct imsgbuf	*ib[3] = { &parent, &sess, &krt };
	int		 i;

	while (!done()) {
		if (now_ms() > deadline)
			return -1;
		if (next_batch < nbatches && imsgbuf_queued(&sess) < 4096) {
			send_msg(&sess, IMSG_UPDATE, INJ, -1,
			    batches[next_batch].buf, batches[next_batch].len);
			next_batch++;
		}
		for (i = 0; i < 3; i++) {
			pfd[i].fd = ib[i]->fd;
			pfd[i].events = POLLIN;
			if (imsgbuf_queued(ib[i]) > 0)
				pfd[i].events |= POLLOUT;
		}
		if (poll(pfd, 3, 100) == -1 && errno != EINTR)
			err(1, "poll");
		for (i = 0; i < 3; i++) {
			if (pfd[i].revents & POLLOUT)
				imsgbuf_write(ib[i]);
			if (pfd[i].revents & (POLLIN | POLLHUP))
				read_all(ib[i], i);
		}
	}
	return 0;
}

static uint32_t	 want;

static int
all_in(void)
{
	return mon_prefixes >= want;
}

static int
all_out(void)
{
	return mon_withdrawn >= want;
}

static int
shown(void)
{
	return show_done;
}

static long
child_hwm_kb(void)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)child);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int
main(int argc, char *argv[])
{
	const char	*bin = "ribd/ribd", *errstr;
	uint64_t	 t0, t_in, t_out;
	int		 ch, kernel = 0, status;
	long		 hwm;

	want = 1000000;
	while ((ch = getopt(argc, argv, "b:kn:")) != -1) {
		switch (ch) {
		case 'b':
			bin = optarg;
			break;
		case 'k':
			kernel = 1;
			break;
		case 'n':
			want = strtonum(optarg, 1, 1 << 24, &errstr);
			if (errstr)
				errx(1, "-n %s", errstr);
			break;
		default:
			fprintf(stderr, "usage: ribd_bench [-k] [-b ribd] "
			    "[-n count]\n");
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	spawn(bin, kernel);
	configure(kernel);
	peer(INJ, "198.18.0.2", 65001);
	peer(MON, "198.18.0.3", 65002);
	/* A show rib answer: ribd has read the peers, sessions may come. */
	send_msg(&parent, IMSG_CTL_SHOW_RIB, 76, -1, NULL, 0);
	if (pump(shown, now_ms() + 10000) == -1)
		errx(1, "ribd does not answer");
	show_done = 0;
	show_len = 0;
	up(INJ, "198.18.0.2", 65001);
	up(MON, "198.18.0.3", 65002);
	build(want, 0);
	t0 = now_ms();
	if (pump(all_in, t0 + 120000) == -1)
		errx(1, "timeout: monitor got %llu of %u prefixes",
		    (unsigned long long)mon_prefixes, want);
	t_in = now_ms() - t0;
	hwm = child_hwm_kb();
	send_msg(&parent, IMSG_CTL_SHOW_RIB, 77, -1, "16.0.1.0/24", 11);
	if (pump(shown, now_ms() + 10000) == -1)
		errx(1, "no show rib answer");
	build(want, 1);
	t0 = now_ms();
	if (pump(all_out, t0 + 120000) == -1)
		errx(1, "timeout: monitor saw %llu of %u withdrawn",
		    (unsigned long long)mon_withdrawn, want);
	t_out = now_ms() - t0;
	printf("{\"prefixes\": %u, \"announce_ms\": %llu, \"withdraw_ms\": "
	    "%llu, \"monitorUpdates\": %llu, \"kernelRoutes\": %llu, "
	    "\"ribdPeakRssKiB\": %ld, \"show\": %s}\n", want,
	    (unsigned long long)t_in, (unsigned long long)t_out,
	    (unsigned long long)mon_updates, (unsigned long long)kr_routes,
	    hwm, show_len ? show_buf : "null");
	send_msg(&parent, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	while (imsgbuf_queued(&parent) > 0 && imsgbuf_write(&parent) != -1)
		;
	waitpid(child, &status, 0);
	return 0;
}
