/*
 * benchpeer: the simulated peers of tortie's benchmark (see bp.h and
 * regress/bench/run.sh, which starts the DUT in a network namespace and
 * this program inside it).
 *
 *   benchpeer fanout [-w] [-n prefixes] [-m monitors] [common options]
 *   benchpeer rr [-c clients] [common options]
 *   benchpeer scale [-c sessions] [-H hold] [-o seconds] [common options]
 *   benchpeer addr rr|scale index
 *
 * Common options: -D DUT address (127.0.0.10), -a DUT AS (65000), -P
 * port (179), -p PID of the DUT (its processes are measured), -L label
 * and -V version for the result, -s seed (1), -S settle seconds (1), -t
 * timeout seconds (600), -C coalescing microseconds (1000), -v progress
 * every 100 ms on stderr.
 *
 * Addresses: the injector is 127.0.0.11 (AS 65001), monitor i (from 0)
 * 127.0.0.(12 + i) (AS 65002 + i); rr clients and scale sessions are
 * 127.1.x.y and 127.2.x.y (`benchpeer addr` prints them for the
 * configuration), in the DUT's AS.  Every address is a loopback one:
 * the program refuses any other.
 *
 * Output: one JSON line on stdout; progress and errors on stderr.  The
 * exit status is 0 only if the scenario completed and every check held.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bp.h"

#define BP_INJ_ADDR		0x7f00000bU	/* 127.0.0.11 */
#define BP_INJ_AS		65001
#define BP_MON_BASE		12
#define BP_MON_AS		65002
#define BP_MON_MAX		200
#define BP_PEERS_MAX		60000
#define BP_HOLD_DEFAULT		180
#define BP_CONNECT_S		60
#define BP_RETRY_MS		200
#define BP_SETUP_MAX		64	/* sessions being set up at once */
#define BP_SETUP_S		10	/* set-up time before a new try */
#define BP_CHUNK		(64 * 1024)
#define BP_BULK_SOCKBUF		(4 * 1024 * 1024)
#define BP_NAP_BYTES		(32 * 1024)
#define BP_EVENTS		256

enum bp_state {
	BP_S_IDLE,
	BP_S_CONNECT,
	BP_S_OPENSENT,
	BP_S_OPENCONFIRM,
	BP_S_ESTABLISHED,
	BP_S_DEAD
};

enum bp_role {
	BP_R_INJECTOR,
	BP_R_MONITOR,
	BP_R_CLIENT,
	BP_R_IDLE
};

struct bp_buf {
	uint8_t		*data;
	size_t		 off;
	size_t		 len;
	size_t		 cap;
};

struct bp_peer {
	int		 fd;
	uint32_t	 addr;		/* host order */
	uint32_t	 as;
	uint8_t		 role;		/* enum bp_role */
	uint8_t		 state;		/* enum bp_state */
	uint16_t	 hold;		/* negotiated, seconds */
	struct bp_buf	 rb;
	struct bp_buf	 wb;
	const uint8_t	*bulk;		/* UPDATEs to send, pre-encoded */
	size_t		 bulk_len;
	size_t		 bulk_off;
	size_t		 bulk_end;	/* end of the chunk being written */
	uint64_t	 ka_next;	/* ns: our next KEEPALIVE */
	uint64_t	 rx_last;	/* ns: the DUT's last message */
	uint64_t	 gap_max;	/* ns between the DUT's messages */
	uint64_t	 retry_at;	/* ns: next connection attempt */
	uint64_t	 setup_at;	/* ns: this attempt started */
	uint64_t	 done_ns;
	uint8_t		*bits;		/* prefixes held, by table index */
	uint32_t	 held;
	uint32_t	 unexpected;
	uint32_t	 own;		/* rr: index of its own prefix */
	uint32_t	 connects;
	uint64_t	 updates_rx;
	uint64_t	 ka_rx;
	const char	*why;		/* why it is dead */
};

struct bp_conf {
	uint32_t	 dut;
	uint32_t	 dut_as;
	uint16_t	 port;
	uint16_t	 hold;
	pid_t		 pid;
	const char	*label;
	const char	*version;
	uint64_t	 seed;
	double		 settle;
	double		 timeout;
	uint32_t	 nap_us;
};

static struct bp_conf	 conf;
static struct bp_peer	*peers;
static uint32_t		 npeers;
static struct bp_table	 table;
static int		 epfd;
static int		 strict;	/* a dead session fails the run */
static uint64_t		 t_first;	/* ns: first UPDATE byte sent */
static uint64_t		 t_sent;	/* ns: last UPDATE byte sent */
static uint64_t		 wakeups, naps;
static uint32_t		 want_held;	/* prefixes a receiver must hold */
static int		 verbose;	/* progress lines on stderr */
static uint64_t		 t_progress;

static void	 usage(void) __attribute__((__noreturn__));
static void	 peer_kill(struct bp_peer *, const char *);

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double
secs(uint64_t a, uint64_t b)
{
	return b > a ? (double)(b - a) / 1e9 : 0.0;
}

static double
cpu_self(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
sleep_s(double s)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static const char *
ntoa(uint32_t a, char *buf, size_t len)
{
	struct in_addr	 in;

	in.s_addr = htonl(a);
	return inet_ntop(AF_INET, &in, buf, (socklen_t)len);
}

static uint32_t
loopback(const char *s)
{
	struct in_addr	 in;
	uint32_t	 a;

	if (inet_pton(AF_INET, s, &in) != 1)
		errx(1, "%s: not an IPv4 address", s);
	a = ntohl(in.s_addr);
	if ((a >> 24) != 127)
		errx(1, "%s: not a loopback address (127.0.0.0/8)", s);
	return a;
}

/* Client or session i of a scenario: 127.<base>.<i / 250>.<i % 250 + 1>. */
static uint32_t
scenario_addr(uint32_t base, uint32_t i)
{
	return 0x7f000000U | base << 16 | (i / 250) << 8 | (i % 250 + 1);
}

static void
buf_reserve(struct bp_buf *b, size_t n)
{
	size_t	 ncap;

	if (b->off > 0 && (b->len == 0 || b->off + b->len + n > b->cap)) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	if (b->len + n <= b->cap)
		return;
	ncap = b->cap ? b->cap : 16384;
	while (ncap < b->len + n)
		ncap *= 2;
	if ((b->data = realloc(b->data, ncap)) == NULL)
		err(1, "buf_reserve");
	b->cap = ncap;
}

static void
buf_append(struct bp_buf *b, const uint8_t *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->off + b->len, p, n);
	b->len += n;
}

static void
buf_consume(struct bp_buf *b, size_t n)
{
	b->off += n;
	b->len -= n;
	if (b->len == 0)
		b->off = 0;
}

static void
ep_set(struct bp_peer *p, uint32_t events, int op)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = p;
	if (epoll_ctl(epfd, op, p->fd, &ev) == -1)
		err(1, "epoll_ctl");
}

static int
peer_wants_out(const struct bp_peer *p)
{
	return p->state == BP_S_CONNECT || p->wb.len > 0 ||
	    p->bulk_off < p->bulk_len;
}

static void
peer_arm(struct bp_peer *p)
{
	ep_set(p, EPOLLIN | (peer_wants_out(p) ? EPOLLOUT : 0), EPOLL_CTL_MOD);
}

static void
peer_close(struct bp_peer *p)
{
	if (p->fd != -1) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, p->fd, NULL);
		close(p->fd);
		p->fd = -1;
	}
	p->rb.off = p->rb.len = 0;
	p->wb.off = p->wb.len = 0;
}

static void
sock_bufs(int fd, int role)
{
	int	 sz = BP_BULK_SOCKBUF;

	if (role == BP_R_MONITOR) {
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof(sz)) == -1)
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz,
			    sizeof(sz));
	} else if (role == BP_R_INJECTOR) {
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
		    sizeof(sz)) == -1)
			(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz,
			    sizeof(sz));
	}
}

/* Start a connection from the peer's own address to the DUT. */
static void
peer_connect(struct bp_peer *p)
{
	struct sockaddr_in	 sin;
	int			 fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	sock_bufs(fd, p->role);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(p->addr);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind %08x", p->addr);
	sin.sin_addr.s_addr = htonl(conf.dut);
	sin.sin_port = htons(conf.port);
	p->fd = fd;
	p->state = BP_S_CONNECT;
	p->connects++;
	p->setup_at = now_ns();
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		p->fd = -1;
		p->state = BP_S_IDLE;
		p->retry_at = now_ns() + BP_RETRY_MS * 1000000ULL;
		return;
	}
	ep_set(p, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
}

/*
 * A session that ended.  While sessions come up the peer tries again
 * (the DUT may not listen yet, or reset a session it does not know
 * yet); after that it is a failure of the run.
 */
static void
peer_kill(struct bp_peer *p, const char *why)
{
	char	 a[INET_ADDRSTRLEN];

	peer_close(p);
	if (!strict) {
		p->state = BP_S_IDLE;
		p->retry_at = now_ns() + BP_RETRY_MS * 1000000ULL;
		return;
	}
	if (p->state != BP_S_DEAD)
		warnx("peer %s: %s", ntoa(p->addr, a, sizeof(a)), why);
	p->state = BP_S_DEAD;
	p->why = why;
}

static void
peer_queue(struct bp_peer *p, const uint8_t *m, size_t len)
{
	buf_append(&p->wb, m, len);
}

/* The end of the next chunk of whole messages of the bulk stream. */
static size_t
bulk_chunk(const struct bp_peer *p)
{
	size_t		 end = p->bulk_off, m;

	while (end < p->bulk_len && end - p->bulk_off < BP_CHUNK) {
		m = (size_t)p->bulk[end + 16] << 8 | p->bulk[end + 17];
		end += m;
	}
	return end;
}

/*
 * Write what the socket takes: the rest of a bulk chunk first (a
 * KEEPALIVE must not cut a message), then queued messages, then the
 * next chunk.
 */
static void
peer_flush(struct bp_peer *p)
{
	const uint8_t	*src;
	size_t		 len;
	ssize_t		 n;
	int		 bulk;

	for (;;) {
		if (p->bulk_off < p->bulk_end)
			bulk = 1;
		else if (p->wb.len > 0)
			bulk = 0;
		else if (p->bulk_off < p->bulk_len) {
			p->bulk_end = bulk_chunk(p);
			bulk = 1;
		} else
			break;
		if (bulk) {
			src = p->bulk + p->bulk_off;
			len = p->bulk_end - p->bulk_off;
			if (t_first == 0)
				t_first = now_ns();
		} else {
			src = p->wb.data + p->wb.off;
			len = p->wb.len;
		}
		n = send(p->fd, src, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			peer_kill(p, "write failed");
			return;
		}
		if (!bulk) {
			buf_consume(&p->wb, (size_t)n);
			continue;
		}
		p->bulk_off += (size_t)n;
		if (p->bulk_off == p->bulk_len)
			t_sent = now_ns();
	}
	peer_arm(p);
}

static void
peer_send(struct bp_peer *p, const uint8_t *m, size_t len)
{
	peer_queue(p, m, len);
	peer_flush(p);
}

static void
peer_connected(struct bp_peer *p)
{
	uint8_t		 m[BP_MAXLEN];
	socklen_t	 sl = sizeof(int);
	int		 e = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &sl) == -1 || e != 0) {
		peer_kill(p, "connect failed");
		return;
	}
	p->state = BP_S_OPENSENT;
	peer_send(p, m, bp_open(m, p->as, conf.hold, p->addr));
}

/* Monitors' and clients' view of a prefix in an UPDATE. */
static void
peer_nlri(void *arg, uint32_t addr, uint8_t plen, int withdraw)
{
	struct bp_peer	*p = arg;
	int64_t		 i;
	uint8_t		 bit;

	if ((i = bp_table_find(&table, addr, plen)) == -1 ||
	    (p->role == BP_R_CLIENT && (uint32_t)i == p->own)) {
		if (!withdraw)
			p->unexpected++;
		return;
	}
	bit = (uint8_t)(1 << (i & 7));
	if (withdraw && (p->bits[i >> 3] & bit)) {
		p->bits[i >> 3] &= ~bit;
		p->held--;
	} else if (!withdraw && !(p->bits[i >> 3] & bit)) {
		p->bits[i >> 3] |= bit;
		p->held++;
	}
}

static int
peer_open(struct bp_peer *p, const uint8_t *m, size_t len)
{
	uint8_t		 ka[BP_HDR_LEN];
	uint16_t	 hold;
	uint32_t	 id;

	if (p->state != BP_S_OPENSENT || bp_open_parse(m, len, &hold,
	    &id) == -1)
		return -1;
	p->hold = hold < conf.hold ? hold : conf.hold;
	p->state = BP_S_OPENCONFIRM;
	peer_send(p, ka, bp_keepalive(ka));
	return 0;
}

/* One message from the DUT; -1 when the session is to end. */
static int
peer_msg(struct bp_peer *p, const uint8_t *m, uint16_t len, uint8_t type,
    uint64_t now)
{
	if (p->state == BP_S_ESTABLISHED) {
		if (p->rx_last != 0 && now - p->rx_last > p->gap_max)
			p->gap_max = now - p->rx_last;
		p->rx_last = now;
	}
	switch (type) {
	case BP_MSG_OPEN:
		return peer_open(p, m, len);
	case BP_MSG_KEEPALIVE:
		p->ka_rx++;
		if (p->state == BP_S_OPENCONFIRM) {
			p->state = BP_S_ESTABLISHED;
			p->ka_next = now +
			    (uint64_t)p->hold * 1000000000ULL / 3;
			p->rx_last = now;
		}
		return 0;
	case BP_MSG_UPDATE:
		if (p->state != BP_S_ESTABLISHED)
			return -1;
		p->updates_rx++;
		if (p->bits == NULL)
			return 0;
		return bp_update_parse(m, len, peer_nlri, p);
	case BP_MSG_NOTIFICATION:
		p->why = "NOTIFICATION from the DUT";
		return -1;
	}
	return 0;
}

/* Read and handle what arrived; returns the octets read. */
static size_t
peer_read(struct bp_peer *p, uint64_t now)
{
	ssize_t		 n;
	uint16_t	 mlen;
	uint8_t		 type;
	int		 r;

	buf_reserve(&p->rb, p->role == BP_R_MONITOR ? 1 << 20 : BP_MAXLEN);
	n = read(p->fd, p->rb.data + p->rb.off + p->rb.len,
	    p->rb.cap - p->rb.off - p->rb.len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		peer_kill(p, n == 0 ? "closed by the DUT" : "read failed");
		return 0;
	}
	p->rb.len += (size_t)n;
	while ((r = bp_hdr(p->rb.data + p->rb.off, p->rb.len, &mlen,
	    &type)) == 1) {
		if (peer_msg(p, p->rb.data + p->rb.off, mlen, type, now) ==
		    -1) {
			peer_kill(p, p->why ? p->why : "bad message");
			return (size_t)n;
		}
		buf_consume(&p->rb, mlen);
	}
	if (r == -1)
		peer_kill(p, "bad message header");
	return (size_t)n;
}

static int
peer_in_setup(const struct bp_peer *p)
{
	return p->state == BP_S_CONNECT || p->state == BP_S_OPENSENT ||
	    p->state == BP_S_OPENCONFIRM;
}

/*
 * Sessions come up BP_SETUP_MAX at a time, so that a DUT with a short
 * listen queue is measured by its sessions and not by the kernel's SYN
 * retransmission back-off; an attempt stuck for BP_SETUP_S starts over.
 */
static void
setup_timers(uint64_t now, uint64_t *next)
{
	struct bp_peer	*p;
	uint32_t	 i, busy = 0;

	for (i = 0; i < npeers; i++) {
		p = &peers[i];
		if (peer_in_setup(p) &&
		    now - p->setup_at > BP_SETUP_S * 1000000000ULL)
			peer_kill(p, "set-up timed out");
		if (peer_in_setup(p))
			busy++;
	}
	for (i = 0; i < npeers && busy < BP_SETUP_MAX; i++) {
		p = &peers[i];
		if (p->state != BP_S_IDLE)
			continue;
		if (now >= p->retry_at) {
			peer_connect(p);
			busy++;
		} else if (p->retry_at < *next)
			*next = p->retry_at;
	}
}

/* KEEPALIVEs due and connection attempts; the next time anything is. */
static uint64_t
timers(uint64_t now)
{
	struct bp_peer	*p;
	uint8_t		 ka[BP_HDR_LEN];
	uint64_t	 next = now + 100000000ULL;
	uint32_t	 i;

	if (!strict)
		setup_timers(now, &next);
	for (i = 0; i < npeers; i++) {
		p = &peers[i];
		if (p->state != BP_S_ESTABLISHED)
			continue;
		if (now >= p->ka_next) {
			peer_send(p, ka, bp_keepalive(ka));
			p->ka_next = now + (uint64_t)p->hold * 1000000000ULL /
			    3;
		}
		if (p->ka_next < next)
			next = p->ka_next;
	}
	return next;
}

/* Every 100 ms: what the first receiver holds, for -v. */
static void
progress(uint64_t now)
{
	uint32_t	 i;

	if (!verbose || now < t_progress)
		return;
	t_progress = now + 100000000ULL;
	for (i = 0; i < npeers; i++)
		if (peers[i].bits != NULL) {
			fprintf(stderr, "%.3f held %u updates %llu sent %zu\n",
			    secs(t_first, now), peers[i].held,
			    (unsigned long long)peers[i].updates_rx,
			    peers[0].bulk_off);
			return;
		}
}

/*
 * The event loop until done() says so (0) or the deadline passes (1).
 * A pass that read little naps a moment, so that a DUT writing small
 * pieces is not answered by one wake-up each.
 */
static int
loop(int (*done)(uint64_t), uint64_t deadline)
{
	struct epoll_event	 evs[BP_EVENTS];
	struct bp_peer		*p;
	struct timespec		 nap;
	uint64_t		 now, next;
	size_t			 got;
	int			 n, i, ms;

	for (;;) {
		now = now_ns();
		progress(now);
		if (done(now))
			return 0;
		if (now >= deadline)
			return 1;
		next = timers(now);
		if (next > deadline)
			next = deadline;
		ms = next > now ? (int)((next - now + 999999) / 1000000) : 0;
		n = epoll_wait(epfd, evs, BP_EVENTS, ms);
		if (n == -1 && errno != EINTR)
			err(1, "epoll_wait");
		wakeups++;
		now = now_ns();
		for (i = 0, got = 0; i < n; i++) {
			p = evs[i].data.ptr;
			if (p->fd == -1)
				continue;
			if (p->state == BP_S_CONNECT) {
				peer_connected(p);
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				got += peer_read(p, now);
			if (p->fd != -1 && (evs[i].events & EPOLLOUT))
				peer_flush(p);
		}
		if (n > 0 && got < BP_NAP_BYTES && conf.nap_us > 0) {
			nap.tv_sec = 0;
			nap.tv_nsec = (long)conf.nap_us * 1000;
			nanosleep(&nap, NULL);
			naps++;
		}
	}
}

static uint64_t
deadline_in(double s)
{
	return now_ns() + (uint64_t)(s * 1e9);
}

static int
done_established(uint64_t now)
{
	uint32_t	 i;

	(void)now;
	for (i = 0; i < npeers; i++)
		if (peers[i].state != BP_S_ESTABLISHED)
			return 0;
	return 1;
}

static int
done_never(uint64_t now)
{
	(void)now;
	return 0;
}

static int
any_dead(void)
{
	uint32_t	 i;

	for (i = 0; i < npeers; i++)
		if (peers[i].state == BP_S_DEAD)
			return 1;
	return 0;
}

/* Every receiver holds want_held prefixes and nothing else. */
static int
done_held(uint64_t now)
{
	struct bp_peer	*p;
	uint32_t	 i, left = 0;

	for (i = 0; i < npeers; i++) {
		p = &peers[i];
		if (p->bits == NULL)
			continue;
		if (p->held == want_held && p->unexpected == 0) {
			if (p->done_ns == 0)
				p->done_ns = now;
		} else {
			p->done_ns = 0;
			left++;
		}
	}
	return left == 0 || any_dead();
}

static void
peers_alloc(uint32_t n)
{
	uint32_t	 i;

	if ((peers = calloc(n, sizeof(*peers))) == NULL)
		err(1, "peers");
	npeers = n;
	for (i = 0; i < n; i++)
		peers[i].fd = -1;
}

static void
peer_bits(struct bp_peer *p)
{
	if ((p->bits = calloc(table.n / 8 + 1, 1)) == NULL)
		err(1, "peer_bits");
}

/* Bring every session up; -1 (with a message) if that fails. */
static int
sessions_up(double limit)
{
	uint32_t	 i, up = 0;

	strict = 0;
	if (loop(done_established, deadline_in(limit)) != 0) {
		for (i = 0; i < npeers; i++)
			if (peers[i].state == BP_S_ESTABLISHED)
				up++;
		warnx("%u of %u sessions Established after %.0f s", up,
		    npeers, limit);
		return -1;
	}
	strict = 1;
	return 0;
}

static void
cease_all(void)
{
	uint8_t		 m[BP_HDR_LEN + 2];
	uint32_t	 i;

	for (i = 0; i < npeers; i++) {
		if (peers[i].fd == -1)
			continue;
		(void)send(peers[i].fd, m, bp_cease(m), MSG_NOSIGNAL);
		peer_close(&peers[i]);
	}
}

/* A string for a JSON value: quotes, backslashes and controls go. */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++)
		putchar(*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ?
		    '\'' : *s);
	putchar('"');
}

static void
json_head(const char *bench)
{
	printf("{\"bench\": \"%s\", \"dut\": ", bench);
	json_str(conf.label);
	printf(", \"version\": ");
	json_str(conf.version);
}

/* Per-monitor unexpected prefixes, summed. */
static uint32_t
unexpected_total(void)
{
	uint32_t	 i, u = 0;

	for (i = 0; i < npeers; i++)
		u += peers[i].unexpected;
	return u;
}

static double
first_done(uint64_t t0)
{
	uint64_t	 m = 0;
	uint32_t	 i;

	for (i = 0; i < npeers; i++)
		if (peers[i].bits != NULL && peers[i].done_ns != 0 &&
		    (m == 0 || peers[i].done_ns < m))
			m = peers[i].done_ns;
	return secs(t0, m);
}

/* Wait, answering KEEPALIVEs, then measure the DUT at rest. */
static void
settle(struct bp_sample *s)
{
	(void)loop(done_never, deadline_in(conf.settle));
	bp_sample_take(conf.pid, s);
}

/* The injector's stream, then the monitors' convergence. */
static int
fanout_phase(struct bp_stream *st, uint32_t want, double *sec, double *sent,
    double *first)
{
	struct bp_peer	*inj = &peers[0];
	uint64_t	 t1;
	int		 r;

	want_held = want;
	t_first = t_sent = 0;
	inj->bulk = st->buf;
	inj->bulk_len = st->len;
	inj->bulk_off = inj->bulk_end = 0;
	peer_flush(inj);
	r = loop(done_held, deadline_in(conf.timeout));
	t1 = now_ns();
	if (r != 0 || any_dead())
		return -1;
	*sec = secs(t_first, t1);
	*sent = secs(t_first, t_sent);
	*first = first_done(t_first);
	return 0;
}

static int
bench_fanout(uint32_t n, uint32_t monitors, int withdraw)
{
	struct bp_stream	 ann, wd;
	struct bp_sample	 s0, s1, s2;
	double			 sec = 0, sent = 0, first = 0, c0, c1;
	double			 wsec = 0, wsent = 0, wfirst = 0;
	uint32_t		 i;
	int			 ok;

	memset(&ann, 0, sizeof(ann));
	memset(&wd, 0, sizeof(wd));
	bp_gen_table(&table, n, conf.seed);
	bp_gen_announce(&ann, &table, BP_INJ_AS, BP_INJ_ADDR, conf.seed);
	if (withdraw)
		bp_gen_withdraw(&wd, &table);
	peers_alloc(monitors + 1);
	peers[0].addr = BP_INJ_ADDR;
	peers[0].as = BP_INJ_AS;
	peers[0].role = BP_R_INJECTOR;
	for (i = 1; i <= monitors; i++) {
		peers[i].addr = 0x7f000000U + BP_MON_BASE + i - 1;
		peers[i].as = BP_MON_AS + i - 1;
		peers[i].role = BP_R_MONITOR;
		peer_bits(&peers[i]);
	}
	if (sessions_up(BP_CONNECT_S) == -1)
		return -1;
	settle(&s0);
	c0 = cpu_self();
	ok = fanout_phase(&ann, n, &sec, &sent, &first) == 0;
	c1 = cpu_self();
	bp_sample_take(conf.pid, &s1);
	if (!ok)
		warnx("fanout: no convergence within %.0f s", conf.timeout);
	if (ok && withdraw && fanout_phase(&wd, 0, &wsec, &wsent,
	    &wfirst) == -1) {
		warnx("fanout: withdrawal incomplete after %.0f s",
		    conf.timeout);
		ok = 0;
	}
	bp_sample_take(conf.pid, &s2);
	cease_all();
	json_head("fanout");
	printf(", \"prefixes\": %u, \"monitors\": %u, \"updates\": %u, "
	    "\"update_bytes\": %zu, \"ok\": %s, \"seconds\": %.4f, "
	    "\"sent_all_s\": %.4f, \"monitor_s_min\": %.4f, "
	    "\"rss_kb_before\": %llu, \"rss_kb_after\": %llu, "
	    "\"cpu_s\": %.2f, \"speaker_cpu_s\": %.3f, \"unexpected\": %u, "
	    "\"wakeups\": %llu, \"naps\": %llu, ", n, monitors, ann.msgs,
	    ann.len, ok ? "true" : "false", sec, sent, first,
	    (unsigned long long)bp_sample_rss(&s0),
	    (unsigned long long)bp_sample_rss(&s1), bp_sample_cpu(&s0, &s1),
	    c1 - c0, unexpected_total(), (unsigned long long)wakeups,
	    (unsigned long long)naps);
	bp_sample_json(stdout, "procs", &s0, &s1);
	if (withdraw)
		printf(", \"withdraw_seconds\": %.4f, \"withdraw_sent_s\": "
		    "%.4f, \"withdraw_updates\": %u, \"withdraw_cpu_s\": %.2f, "
		    "\"rss_kb_withdrawn\": %llu, ", wsec, wsent, wd.msgs,
		    bp_sample_cpu(&s1, &s2),
		    (unsigned long long)bp_sample_rss(&s2));
	if (withdraw)
		bp_sample_json(stdout, "withdraw_procs", &s1, &s2);
	printf("}\n");
	bp_sample_free(&s0);
	bp_sample_free(&s1);
	bp_sample_free(&s2);
	bp_stream_free(&ann);
	bp_stream_free(&wd);
	return ok ? 0 : -1;
}

static int
bench_rr(uint32_t clients)
{
	struct bp_stream	*own;
	struct bp_sample	 s0, s1;
	uint64_t		 t0, t1;
	uint32_t		 i;
	double			 c0, c1;
	int			 ok;

	if (clients < 2)
		errx(1, "rr: at least 2 clients");
	bp_gen_rr_table(&table, clients);
	peers_alloc(clients);
	if ((own = calloc(clients, sizeof(*own))) == NULL)
		err(1, "rr");
	for (i = 0; i < clients; i++) {
		peers[i].addr = scenario_addr(1, i);
		peers[i].as = conf.dut_as;
		peers[i].role = BP_R_CLIENT;
		peers[i].own = i;
		peer_bits(&peers[i]);
		bp_gen_ibgp(&own[i], &table.v[i], peers[i].addr);
	}
	if (sessions_up(BP_CONNECT_S) == -1)
		return -1;
	settle(&s0);
	c0 = cpu_self();
	want_held = clients - 1;
	t0 = now_ns();
	for (i = 0; i < clients; i++)
		peer_send(&peers[i], own[i].buf, own[i].len);
	ok = loop(done_held, deadline_in(conf.timeout)) == 0 && !any_dead();
	t1 = now_ns();
	c1 = cpu_self();
	bp_sample_take(conf.pid, &s1);
	if (!ok)
		warnx("rr: clients incomplete after %.0f s", conf.timeout);
	cease_all();
	json_head("rr");
	printf(", \"clients\": %u, \"ok\": %s, \"seconds\": %.4f, "
	    "\"client_s_min\": %.4f, \"rss_kb_before\": %llu, "
	    "\"rss_kb_after\": %llu, \"cpu_s\": %.2f, "
	    "\"speaker_cpu_s\": %.3f, \"unexpected\": %u, ", clients,
	    ok ? "true" : "false", secs(t0, t1), first_done(t0),
	    (unsigned long long)bp_sample_rss(&s0),
	    (unsigned long long)bp_sample_rss(&s1), bp_sample_cpu(&s0, &s1),
	    c1 - c0, unexpected_total());
	bp_sample_json(stdout, "procs", &s0, &s1);
	printf("}\n");
	for (i = 0; i < clients; i++)
		bp_stream_free(&own[i]);
	free(own);
	bp_sample_free(&s0);
	bp_sample_free(&s1);
	return ok ? 0 : -1;
}

/* The largest gap between two messages from the DUT, over sessions. */
static uint64_t
gap_max(uint64_t now, uint64_t limit, uint32_t *late)
{
	uint64_t	 m = 0, g;
	uint32_t	 i;

	*late = 0;
	for (i = 0; i < npeers; i++) {
		g = peers[i].gap_max;
		if (peers[i].rx_last != 0 && now - peers[i].rx_last > g)
			g = now - peers[i].rx_last;
		if (g > limit)
			(*late)++;
		if (g > m)
			m = g;
	}
	return m;
}

static int
bench_scale(uint32_t n, double observe)
{
	struct bp_sample	 s0, s1, s2;
	uint64_t		 t0, t1, t2, gmax, ka, limit;
	uint32_t		 i, late, up = 0, connects = 0;
	int			 ok;

	peers_alloc(n);
	for (i = 0; i < n; i++) {
		peers[i].addr = scenario_addr(2, i);
		peers[i].as = conf.dut_as;
		peers[i].role = BP_R_IDLE;
	}
	/* The DUT at rest, configured, before any session. */
	sleep_s(conf.settle);
	bp_sample_take(conf.pid, &s0);
	t0 = now_ns();
	ok = sessions_up(conf.timeout) == 0;
	t1 = now_ns();
	bp_sample_take(conf.pid, &s1);
	/* The gaps count from here: the sessions' set-up is over. */
	for (i = 0; i < n; i++) {
		peers[i].gap_max = 0;
		peers[i].rx_last = t1;
	}
	if (ok)
		(void)loop(done_never, deadline_in(observe));
	t2 = now_ns();
	bp_sample_take(conf.pid, &s2);
	ka = (uint64_t)(peers[0].hold ? peers[0].hold : conf.hold) *
	    1000000000ULL / 3;
	limit = ka + 1000000000ULL;
	gmax = gap_max(t2, limit, &late);
	for (i = 0; i < n; i++) {
		if (peers[i].state == BP_S_ESTABLISHED)
			up++;
		connects += peers[i].connects;
	}
	ok = ok && up == n && late == 0;
	cease_all();
	json_head("scale");
	printf(", \"sessions\": %u, \"established\": %u, \"ok\": %s, "
	    "\"seconds\": %.4f, \"connects\": %u, \"hold_s\": %u, "
	    "\"keepalive_s\": %.1f, \"observed_s\": %.1f, "
	    "\"gap_max_s\": %.3f, \"late\": %u, \"rss_kb_before\": %llu, "
	    "\"rss_kb_after\": %llu, \"rss_kb_per_session\": %.1f, "
	    "\"cpu_s_setup\": %.2f, \"cpu_s_idle\": %.2f, ", n, up,
	    ok ? "true" : "false", secs(t0, t1), connects,
	    (unsigned)peers[0].hold, (double)ka / 1e9, secs(t1, t2),
	    (double)gmax / 1e9, late,
	    (unsigned long long)bp_sample_rss(&s0),
	    (unsigned long long)bp_sample_rss(&s2),
	    ((double)bp_sample_rss(&s2) - (double)bp_sample_rss(&s0)) / n,
	    bp_sample_cpu(&s0, &s1), bp_sample_cpu(&s1, &s2));
	bp_sample_json(stdout, "procs", &s0, &s2);
	printf("}\n");
	bp_sample_free(&s0);
	bp_sample_free(&s1);
	bp_sample_free(&s2);
	return ok ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: benchpeer fanout [-w] [-n prefixes] [-m monitors] [opts]\n"
	    "       benchpeer rr [-c clients] [opts]\n"
	    "       benchpeer scale [-c sessions] [-H hold] [-o seconds] "
	    "[opts]\n"
	    "       benchpeer addr rr|scale index\n"
	    "opts:  [-a dut-as] [-C nap-us] [-D dut-addr] [-L label] "
	    "[-P port] [-p dut-pid]\n"
	    "       [-S settle-s] [-s seed] [-t timeout-s] [-V version] "
	    "[-v]\n");
	exit(2);
}

static long long
num(const char *s, long long lo, long long hi, const char *what)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		errx(2, "%s: %s: out of range %lld..%lld", what, s, lo, hi);
	return v;
}

static double
fnum(const char *s, const char *what)
{
	char	*end;
	double	 v;

	v = strtod(s, &end);
	if (*end != '\0' || v < 0 || v > 86400)
		errx(2, "%s: %s: not a number of seconds", what, s);
	return v;
}

static int
cmd_addr(int argc, char *argv[])
{
	char		 a[INET_ADDRSTRLEN];
	uint32_t	 i;

	if (argc != 3)
		usage();
	i = (uint32_t)num(argv[2], 0, BP_PEERS_MAX - 1, "index");
	if (strcmp(argv[1], "rr") == 0)
		printf("%s\n", ntoa(scenario_addr(1, i), a, sizeof(a)));
	else if (strcmp(argv[1], "scale") == 0)
		printf("%s\n", ntoa(scenario_addr(2, i), a, sizeof(a)));
	else
		usage();
	return 0;
}

int
main(int argc, char *argv[])
{
	const char	*cmd;
	uint32_t	 n = 1000000, monitors = 1, clients = 500;
	double		 observe = 30;
	int		 ch, withdraw = 0;

	if (argc < 2)
		usage();
	cmd = argv[1];
	if (strcmp(cmd, "addr") == 0)
		return cmd_addr(argc - 1, argv + 1);
	conf.dut = loopback("127.0.0.10");
	conf.dut_as = 65000;
	conf.port = 179;
	conf.hold = BP_HOLD_DEFAULT;
	conf.label = "dut";
	conf.version = "?";
	conf.seed = 1;
	conf.settle = 1;
	conf.timeout = 600;
	conf.nap_us = 1000;
	optind = 2;
	while ((ch = getopt(argc, argv, "a:C:c:D:H:L:m:n:o:P:p:S:s:t:V:vw")) !=
	    -1) {
		switch (ch) {
		case 'a':
			conf.dut_as = (uint32_t)num(optarg, 1, UINT32_MAX,
			    "-a");
			break;
		case 'C':
			conf.nap_us = (uint32_t)num(optarg, 0, 100000, "-C");
			break;
		case 'c':
			clients = (uint32_t)num(optarg, 1, BP_PEERS_MAX, "-c");
			break;
		case 'D':
			conf.dut = loopback(optarg);
			break;
		case 'H':
			conf.hold = (uint16_t)num(optarg, 3, 65535, "-H");
			break;
		case 'L':
			conf.label = optarg;
			break;
		case 'm':
			monitors = (uint32_t)num(optarg, 1, BP_MON_MAX, "-m");
			break;
		case 'n':
			n = (uint32_t)num(optarg, 1, 1 << 24, "-n");
			break;
		case 'o':
			observe = fnum(optarg, "-o");
			break;
		case 'P':
			conf.port = (uint16_t)num(optarg, 1, 65535, "-P");
			break;
		case 'p':
			conf.pid = (pid_t)num(optarg, 1, 1 << 30, "-p");
			break;
		case 'S':
			conf.settle = fnum(optarg, "-S");
			break;
		case 's':
			conf.seed = (uint64_t)num(optarg, 0, INT64_MAX, "-s");
			break;
		case 't':
			conf.timeout = fnum(optarg, "-t");
			break;
		case 'V':
			conf.version = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			withdraw = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	if (strcmp(cmd, "fanout") == 0)
		return bench_fanout(n, monitors, withdraw) == 0 ? 0 : 1;
	if (strcmp(cmd, "rr") == 0)
		return bench_rr(clients) == 0 ? 0 : 1;
	if (strcmp(cmd, "scale") == 0)
		return bench_scale(clients, observe) == 0 ? 0 : 1;
	usage();
}
