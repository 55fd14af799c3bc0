/*
 * bgp_attacker: a hostile BGP peer for robustness tests.
 *
 *	bgp_attacker [-0Gv] [-a local] [-A as] [-h hold] [-i router-id]
 *	    [-n count] [-p prefix] [-P password] [-s prefix] [-t port]
 *	    [-w seconds] [-x base] remote remote-as scenario
 *	bgp_attacker -l
 *
 * It connects to a tortie node as the configured peer it pretends to be
 * (its address comes from the namespace the test gives it, -a picks the
 * source), completes OPEN and KEEPALIVE properly (unless the scenario is
 * about the OPEN itself), runs one scenario by name, watches what the node
 * does for up to -w seconds (default 3, cut short by SIGTERM or SIGINT)
 * and prints one line:
 *
 *	scenario=NAME notification=C/S|none session=up|down|none
 *	    [key=value...] reason="text"
 *
 * notification is the NOTIFICATION the node sent, session whether the
 * session was still up at the end (none: the scenario never had one).
 * Scenarios that send UPDATEs first announce a valid route for -p
 * (default 198.18.200.0/24), so that the test can see a treat-as-withdraw
 * remove it, or an attribute discard keep it, and after the scenario a
 * valid route for -s (default 198.18.209.0/24): once the node shows it,
 * it has dealt with everything before.  A session still up at the
 * end is closed with Cease/Administrative Shutdown, and the tool waits for
 * the node to close its side, so that the next run finds the peer free.
 * -l lists the scenarios with what each one sends.  Exit status: 0 when
 * the scenario ran, 2 when the session could not be set up, 1 on usage.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp_msg.h"
#include "util.h"

#define ATK_BUFMAX	(BGP_MAXLEN_EXT + 64)
#define ATK_RBUF	(4 * BGP_MAXLEN_EXT)
#define ATK_CONNECT_MS	5000
#define ATK_DRAIN_MS	2500

/* When a scenario runs: what the tool sets up before it. */
enum atk_phase {
	PH_NONE,	/* no session of our own */
	PH_OPEN,	/* connected; the scenario sends our OPEN */
	PH_EST,		/* Established */
	PH_UPD		/* Established, and the route -p announced */
};

#define SC_GR		0x01	/* announce graceful restart in our OPEN */
#define SC_NOREAD	0x02	/* never read after Established */

struct atk_scenario {
	const char	*name;
	enum atk_phase	 phase;
	uint16_t	 hold;	/* 0: -h */
	uint8_t		 flags;
	void		(*fn)(void);
	const char	*what;
};

/* A message or attribute block being built. */
struct atk_buf {
	uint8_t		 b[ATK_BUFMAX];
	size_t		 len;
};

static struct {
	struct bgpd_addr remote;
	struct bgpd_addr local;
	uint32_t	 las;		/* our AS */
	uint32_t	 ras;		/* the node's AS */
	uint32_t	 rid;		/* our BGP identifier, host order */
	uint16_t	 hold;
	uint16_t	 port;
	uint32_t	 count;
	uint32_t	 window_ms;
	const char	*password;
	struct bgpd_addr pfx;		/* the route of PH_UPD */
	int		 pfxlen;
	struct bgpd_addr sentinel;	/* announced after PH_UPD scenarios */
	int		 sentinel_len;
	struct bgpd_addr base;		/* flood prefixes start here */
	int		 gr;
	int		 verbose;
	int		 nosession;
} opt;

static struct {
	int		 fd;
	int		 up;		/* Established */
	int		 closed;	/* the node closed or reset */
	int		 wfail;		/* a write failed */
	int		 notified;	/* a NOTIFICATION arrived */
	uint8_t		 code;
	uint8_t		 subcode;
	char		 reason[BGP_REASON_MAX + 300];
	char		 extra[256];
	struct bgp_open	 lopen;
	struct bgp_sess	 sess;
	uint8_t		 rbuf[ATK_RBUF];
	size_t		 rlen;
	uint64_t	 last_ka;
} st = { .fd = -1 };

static volatile sig_atomic_t	 atk_stop;
static struct atk_buf		 m, at, nl, wd;

static void	 usage(void) __attribute__((__noreturn__));
static void	 die(const char *, ...)
		    __attribute__((__format__(printf, 1, 2), __noreturn__));
static void	 vlog(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));
static void	 extra(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));

/* Buffers. */

static void
put8(struct atk_buf *b, uint8_t v)
{
	if (b->len < sizeof(b->b))
		b->b[b->len++] = v;
}

static void
put16(struct atk_buf *b, uint16_t v)
{
	put8(b, (uint8_t)(v >> 8));
	put8(b, (uint8_t)v);
}

static void
put32(struct atk_buf *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b, (uint16_t)v);
}

static void
putraw(struct atk_buf *b, const void *p, size_t n)
{
	if (n > sizeof(b->b) - b->len)
		n = sizeof(b->b) - b->len;
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

static void
msg_begin(struct atk_buf *b, uint8_t type)
{
	b->len = 0;
	memset(b->b, 0xff, BGP_MARKER_LEN);
	b->len = BGP_MARKER_LEN;
	put16(b, 0);
	put8(b, type);
}

/* Fill in the length; returns it. */
static size_t
msg_end(struct atk_buf *b)
{
	b->b[BGP_MARKER_LEN] = (uint8_t)(b->len >> 8);
	b->b[BGP_MARKER_LEN + 1] = (uint8_t)b->len;
	return b->len;
}

/* Overwrite the length field with a lie. */
static void
msg_setlen(struct atk_buf *b, uint16_t len)
{
	b->b[BGP_MARKER_LEN] = (uint8_t)(len >> 8);
	b->b[BGP_MARKER_LEN + 1] = (uint8_t)len;
}

/* One path attribute; the extended length is used when needed. */
static void
attr(struct atk_buf *b, uint8_t flags, uint8_t type, const void *v,
    size_t len)
{
	if (len > 255)
		flags |= BGP_ATTRF_EXTLEN;
	put8(b, flags);
	put8(b, type);
	if (flags & BGP_ATTRF_EXTLEN)
		put16(b, (uint16_t)len);
	else
		put8(b, (uint8_t)len);
	if (len > 0)
		putraw(b, v, len);
}

/* One prefix in NLRI encoding. */
static void
prefix(struct atk_buf *b, const struct bgpd_addr *a, int plen)
{
	put8(b, (uint8_t)plen);
	putraw(b, a->bytes, ((size_t)plen + 7) / 8);
}

static void
prefix_str(struct atk_buf *b, const char *s)
{
	struct bgpd_addr	 a;
	int			 plen;

	if (prefix_parse(s, &a, &plen) == -1)
		die("bad prefix %s", s);
	prefix(b, &a, plen);
}

/* ORIGIN IGP. */
static void
attr_origin(struct atk_buf *b)
{
	uint8_t	 v = BGP_ORIGIN_IGP;

	attr(b, BGP_ATTRF_TRANSITIVE, BGP_ATTR_ORIGIN, &v, 1);
}

/* AS_PATH: one AS_SEQUENCE holding our AS, 4-octet or 2-octet. */
static void
attr_aspath(struct atk_buf *b)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 1);
	if (st.sess.as4)
		put32(&v, opt.las);
	else
		put16(&v, opt.las > UINT16_MAX ? BGP_AS_TRANS :
		    (uint16_t)opt.las);
	attr(b, BGP_ATTRF_TRANSITIVE, BGP_ATTR_AS_PATH, v.b, v.len);
}

static void
attr_nexthop(struct atk_buf *b, const struct bgpd_addr *nh)
{
	attr(b, BGP_ATTRF_TRANSITIVE, BGP_ATTR_NEXT_HOP, nh->bytes, 4);
}

/* The three mandatory attributes with our address as the next hop. */
static void
attrs_std(struct atk_buf *b)
{
	attr_origin(b);
	attr_aspath(b);
	attr_nexthop(b, &opt.local);
}

/* An UPDATE from the withdrawn (wd), attribute (at) and NLRI (nl) blocks. */
static size_t
update_build(void)
{
	msg_begin(&m, BGP_MSG_UPDATE);
	put16(&m, (uint16_t)wd.len);
	putraw(&m, wd.b, wd.len);
	put16(&m, (uint16_t)at.len);
	putraw(&m, at.b, at.len);
	putraw(&m, nl.b, nl.len);
	return msg_end(&m);
}

static void
blocks_reset(void)
{
	wd.len = 0;
	at.len = 0;
	nl.len = 0;
}

/* Output and messages. */

static void
usage(void)
{
	fprintf(stderr, "usage: bgp_attacker [-0Gv] [-a local] [-A as] "
	    "[-h hold] [-i router-id]\n\t[-n count] [-p prefix] "
	    "[-P password] [-s prefix] [-t port] [-w seconds]\n\t[-x base] "
	    "remote remote-as scenario\n       bgp_attacker -l\n");
	exit(1);
}

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fprintf(stderr, "bgp_attacker: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static void
vlog(const char *fmt, ...)
{
	va_list	 ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "bgp_attacker: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/* Scenario-specific key=value pairs for the result line. */
static void
extra(const char *fmt, ...)
{
	va_list	 ap;
	size_t	 l = strlen(st.extra);

	if (l >= sizeof(st.extra) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(st.extra + l, sizeof(st.extra) - l, fmt, ap);
	va_end(ap);
}

/* Socket I/O. */

static void
sig_stop(int sig)
{
	(void)sig;
	atk_stop = 1;
}

/* Write everything; -1 when the connection is gone. */
static int
send_all(int fd, const void *p, size_t len)
{
	const uint8_t	*c = p;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, c, len);
		if (n == -1 && errno == EINTR) {
			if (atk_stop)
				return -1;
			continue;
		}
		if (n <= 0) {
			vlog("write: %s", n == 0 ? "nothing written" :
			    strerror(errno));
			st.wfail = 1;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_msg(const struct atk_buf *b)
{
	return send_all(st.fd, b->b, b->len);
}

static int
send_keepalive(void)
{
	uint8_t	 ka[BGP_KEEPALIVE_LEN];

	st.last_ka = mono_ms();
	bgp_keepalive_encode(ka, sizeof(ka));
	return send_all(st.fd, ka, sizeof(ka));
}

/* A KEEPALIVE when a third of the hold time has passed. */
static void
keepalive_due(void)
{
	uint64_t	 every;

	if (!st.up || st.closed || st.wfail)
		return;
	every = st.sess.holdtime ? 1000ULL * st.sess.holdtime / 3 : 30000;
	if (every == 0)
		every = 1000;
	if (mono_ms() - st.last_ka >= every)
		(void)send_keepalive();
}

static int
connect_to(const struct bgpd_addr *src, int quiet)
{
	struct sockaddr_storage	 ss;
	struct tcp_md5sig	 md5;
	struct pollfd		 pfd;
	socklen_t		 slen;
	int			 fd, err = 0, fl;

	if ((fd = socket(opt.remote.af, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	if (opt.password != NULL) {
		memset(&md5, 0, sizeof(md5));
		addr_to_sockaddr(&opt.remote, 0, &md5.tcpm_addr, &slen);
		md5.tcpm_keylen = (uint16_t)strlen(opt.password);
		memcpy(md5.tcpm_key, opt.password, md5.tcpm_keylen);
		if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5,
		    sizeof(md5)) == -1)
			die("TCP_MD5SIG: %s", strerror(errno));
	}
	if (src->af != 0) {
		addr_to_sockaddr(src, 0, &ss, &slen);
		if (bind(fd, (struct sockaddr *)&ss, slen) == -1)
			die("bind: %s", strerror(errno));
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	addr_to_sockaddr(&opt.remote, opt.port, &ss, &slen);
	if (connect(fd, (struct sockaddr *)&ss, slen) == -1) {
		if (errno != EINPROGRESS) {
			err = errno;
			goto fail;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, ATK_CONNECT_MS) != 1) {
			err = ETIMEDOUT;
			goto fail;
		}
		slen = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &slen) == -1 ||
		    err != 0)
			goto fail;
	}
	fcntl(fd, F_SETFL, fl);
	return fd;
fail:
	if (!quiet)
		die("connect: %s", strerror(err));
	close(fd);
	return -1;
}

/*
 * The next complete message from the node, waiting up to ms: 1 with
 * *len set (the message is at st.rbuf; consume it), 0 on timeout or
 * when asked to stop, -1 when the connection is gone or unframeable.
 */
static int
recv_msg(int ms, uint16_t *len)
{
	struct pollfd	 pfd;
	uint64_t	 end = mono_ms() + (uint64_t)ms, now;
	uint16_t	 ml;
	ssize_t		 n;

	for (;;) {
		if (st.rlen >= BGP_HDR_LEN) {
			ml = (uint16_t)(st.rbuf[16] << 8 | st.rbuf[17]);
			if (ml < BGP_HDR_LEN) {
				vlog("unframeable message from the node");
				return -1;
			}
			if (st.rlen >= ml) {
				*len = ml;
				return 1;
			}
		}
		now = mono_ms();
		if (atk_stop || now >= end)
			return 0;
		pfd.fd = st.fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			continue;
		n = read(st.fd, st.rbuf + st.rlen, sizeof(st.rbuf) - st.rlen);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			vlog("read: %s", n == 0 ? "end of stream" :
			    strerror(errno));
			st.closed = 1;
			return -1;
		}
		st.rlen += (size_t)n;
	}
}

static void
consume(uint16_t len)
{
	memmove(st.rbuf, st.rbuf + len, st.rlen - len);
	st.rlen -= len;
}

static void
got_notification(const uint8_t *p, uint16_t len)
{
	struct bgp_notification	 n;
	struct bgp_err		 err;
	char			 buf[BGP_REASON_MAX + 300];

	if (bgp_notification_decode(p, len, &n, &err) == -1) {
		memset(&n, 0, sizeof(n));
		if (len >= BGP_NOTIFY_MINLEN) {
			n.code = p[BGP_HDR_LEN];
			n.subcode = p[BGP_HDR_LEN + 1];
		}
	}
	st.notified = 1;
	st.code = n.code;
	st.subcode = n.subcode;
	snprintf(st.reason, sizeof(st.reason), "%s", bgp_notification_str(
	    0, 0, &n, buf, sizeof(buf)));
	vlog("NOTIFICATION %u/%u: %s", n.code, n.subcode, st.reason);
}

/*
 * Read what the node sends for ms milliseconds (or until it sends a
 * NOTIFICATION or closes), keeping the session alive meanwhile.
 */
static void
observe(int ms)
{
	uint64_t	 end = mono_ms() + (uint64_t)ms, now;
	uint16_t	 len;
	int		 r, step;

	while (!st.closed && !st.notified && !atk_stop &&
	    (now = mono_ms()) < end) {
		step = (int)(end - now);
		if (step > 500)
			step = 500;
		r = recv_msg(step, &len);
		if (r == -1)
			break;
		keepalive_due();
		if (r == 0)
			continue;
		if (st.rbuf[18] == BGP_MSG_NOTIFICATION)
			got_notification(st.rbuf, len);
		consume(len);
	}
}

/* Sessions. */

static void
open_prepare(uint16_t hold, int gr)
{
	struct bgp_open	*o = &st.lopen;

	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->holdtime = hold;
	o->as = opt.las;
	o->bgp_id = opt.rid;
	o->caps.mp_seen = 1;
	o->caps.mp[BGP_AID_IPV4] = 1;
	o->caps.mp[BGP_AID_IPV6] = 1;
	o->caps.as4 = 1;
	o->caps.as4_as = opt.las;
	o->caps.rrefresh = 1;
	if (gr) {
		o->caps.gr = 1;
		o->caps.gr_time = 120;
		o->caps.gr_af[BGP_AID_IPV4] = BGP_GR_AF_PRESENT;
	}
}

static int
send_open(void)
{
	int	 n;

	if ((n = bgp_open_encode(&st.lopen, m.b, sizeof(m.b))) == -1)
		die("cannot encode our OPEN");
	m.len = (size_t)n;
	return send_msg(&m);
}

/*
 * Wait for the node's OPEN and KEEPALIVE, answering its OPEN with our
 * KEEPALIVE.  Returns 0 when Established.
 */
static int
establish(void)
{
	struct bgp_open	 ro;
	struct bgp_err	 err;
	uint16_t	 len;
	int		 have_open = 0, r;

	for (;;) {
		r = recv_msg(10000, &len);
		if (r != 1)
			return -1;
		switch (st.rbuf[18]) {
		case BGP_MSG_OPEN:
			if (bgp_open_decode(st.rbuf, len, &ro, &err) == -1 ||
			    bgp_caps_negotiate(&st.lopen, &ro, opt.ras,
			    &st.sess, &err) == -1) {
				snprintf(st.reason, sizeof(st.reason),
				    "bad OPEN from the node: %s", err.reason);
				return -1;
			}
			have_open = 1;
			if (send_keepalive() == -1)
				return -1;
			break;
		case BGP_MSG_KEEPALIVE:
			if (have_open) {
				consume(len);
				st.up = 1;
				vlog("Established: hold %u, ipv4 %u, ipv6 %u, "
				    "as4 %u", st.sess.holdtime,
				    st.sess.af[BGP_AID_IPV4],
				    st.sess.af[BGP_AID_IPV6], st.sess.as4);
				return 0;
			}
			break;
		case BGP_MSG_NOTIFICATION:
			got_notification(st.rbuf, len);
			consume(len);
			return -1;
		}
		consume(len);
	}
}

/* Announce the route of -p with the standard attributes. */
static int
announce_p(void)
{
	blocks_reset();
	attrs_std(&at);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	return send_msg(&m);
}

/*
 * After an UPDATE scenario, a valid route for -s: once the node has it,
 * the test knows that the node has dealt with everything sent before.
 */
static void
announce_sentinel(void)
{
	blocks_reset();
	attrs_std(&at);
	prefix(&nl, &opt.sentinel, opt.sentinel_len);
	update_build();
	(void)send_msg(&m);
}

/*
 * End the session politely and wait for the node to close its side, so
 * that the node has let go of the connection before the next run.
 */
static void
finish(void)
{
	uint8_t		 msg[64];
	uint16_t	 len;
	uint64_t	 end;
	int		 n;

	if (st.fd == -1)
		return;
	if (!st.closed && !st.notified && !st.wfail && st.up) {
		n = bgp_notification_encode(BGP_ERR_CEASE,
		    BGP_CEASE_ADMIN_DOWN, NULL, 0, msg, sizeof(msg));
		(void)send_all(st.fd, msg, (size_t)n);
	}
	shutdown(st.fd, SHUT_WR);
	atk_stop = 0;
	end = mono_ms() + ATK_DRAIN_MS;
	while (!st.closed && mono_ms() < end) {
		st.rlen = 0;
		if (recv_msg(200, &len) == 1)
			consume(len);
	}
	close(st.fd);
	st.fd = -1;
}

/* Framing scenarios. */

/* An UPDATE whose length (21) is below the UPDATE minimum of 23. */
static void
sc_truncated(void)
{
	msg_begin(&m, BGP_MSG_UPDATE);
	put16(&m, 0);
	msg_end(&m);
	(void)send_msg(&m);
}

/* The first 30 octets of a 50-octet UPDATE, then end of stream. */
static void
sc_truncated_close(void)
{
	blocks_reset();
	attrs_std(&at);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	if (m.len > 30)
		m.len = 30;
	if (send_msg(&m) == 0)
		shutdown(st.fd, SHUT_WR);
}

/* An UPDATE of 4097 octets on a session without extended messages. */
static void
sc_oversized(void)
{
	blocks_reset();
	while (nl.len + 4 <= BGP_MAXLEN + 1 - BGP_UPDATE_MINLEN)
		prefix_str(&nl, "198.18.201.0/24");
	while (nl.len < BGP_MAXLEN + 1 - BGP_UPDATE_MINLEN)
		put8(&nl, 0);
	update_build();
	extra("len=%zu ", m.len);
	(void)send_msg(&m);
}

/* A KEEPALIVE whose marker has one octet that is not all ones. */
static void
sc_bad_marker(void)
{
	msg_begin(&m, BGP_MSG_KEEPALIVE);
	msg_end(&m);
	m.b[5] = 0xfe;
	(void)send_msg(&m);
}

/* A header claiming 18 octets, less than the header itself. */
static void
sc_bad_length(void)
{
	msg_begin(&m, BGP_MSG_KEEPALIVE);
	msg_end(&m);
	msg_setlen(&m, 18);
	(void)send_msg(&m);
}

/* A KEEPALIVE of 20 octets. */
static void
sc_keepalive_len(void)
{
	msg_begin(&m, BGP_MSG_KEEPALIVE);
	put8(&m, 0);
	msg_end(&m);
	(void)send_msg(&m);
}

/* A NOTIFICATION of 20 octets: the subcode is missing. */
static void
sc_notification_short(void)
{
	msg_begin(&m, BGP_MSG_NOTIFICATION);
	put8(&m, BGP_ERR_CEASE);
	msg_end(&m);
	(void)send_msg(&m);
}

/* Message type 9, which no RFC defines. */
static void
sc_unknown_type(void)
{
	msg_begin(&m, 9);
	msg_end(&m);
	(void)send_msg(&m);
}

/* A second OPEN on the Established connection. */
static void
sc_open_in_established(void)
{
	(void)send_open();
}

/* OPEN scenarios: a hand-made OPEN with params as its optional part. */

static void
open_raw(uint8_t version, uint16_t as2, uint16_t hold, uint32_t id,
    const struct atk_buf *params)
{
	msg_begin(&m, BGP_MSG_OPEN);
	put8(&m, version);
	put16(&m, as2);
	put16(&m, hold);
	put32(&m, id);
	put8(&m, (uint8_t)params->len);
	putraw(&m, params->b, params->len);
	msg_end(&m);
	(void)send_msg(&m);
}

/* A capabilities parameter holding our usual capabilities plus raw. */
static void
caps_param(struct atk_buf *p, const void *raw, size_t rawlen)
{
	struct atk_buf	 c;

	c.len = 0;
	put8(&c, BGP_CAPA_MP);
	put8(&c, 4);
	put32(&c, (uint32_t)BGP_AFI_IPV4 << 16 | BGP_SAFI_UNICAST);
	put8(&c, BGP_CAPA_AS4);
	put8(&c, 4);
	put32(&c, opt.las);
	putraw(&c, raw, rawlen);
	p->len = 0;
	put8(p, BGP_OPT_CAPABILITIES);
	put8(p, (uint8_t)c.len);
	putraw(p, c.b, c.len);
}

static uint16_t
as2(void)
{
	return opt.las > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)opt.las;
}

/* The 4-octet AS capability with 2 octets of value. */
static void
sc_open_cap_len(void)
{
	static const uint8_t	 raw[] = { BGP_CAPA_RREFRESH, 0,
				    BGP_CAPA_AS4, 2, 0, 1 };
	struct atk_buf		 p;

	caps_param(&p, raw, sizeof(raw));
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

/* A capability whose length runs past the end of its parameter. */
static void
sc_open_cap_overrun(void)
{
	static const uint8_t	 raw[] = { BGP_CAPA_RREFRESH, 40 };
	struct atk_buf		 p;

	caps_param(&p, raw, sizeof(raw));
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

/* Optional parameter type 1 (the deprecated authentication one). */
static void
sc_open_optparam_unknown(void)
{
	struct atk_buf	 p;

	p.len = 0;
	put8(&p, 1);
	put8(&p, 2);
	put16(&p, 0);
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

/* A parameter whose length runs past the optional parameters length. */
static void
sc_open_optlen_mismatch(void)
{
	struct atk_buf	 p;

	caps_param(&p, NULL, 0);
	p.b[1] = (uint8_t)(p.b[1] + 8);
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

static void
sc_open_bad_version(void)
{
	struct atk_buf	 p;

	caps_param(&p, NULL, 0);
	open_raw(3, as2(), opt.hold, opt.rid, &p);
}

/* Our OPEN with an AS that is not the configured one. */
static void
sc_open_bad_as(void)
{
	struct atk_buf	 p;
	uint32_t	 las = opt.las;

	opt.las = opt.las + 98;
	caps_param(&p, NULL, 0);
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
	opt.las = las;
}

static void
sc_open_hold_1(void)
{
	struct atk_buf	 p;

	caps_param(&p, NULL, 0);
	open_raw(BGP_VERSION, as2(), 1, opt.rid, &p);
}

static void
sc_open_zero_id(void)
{
	struct atk_buf	 p;

	caps_param(&p, NULL, 0);
	open_raw(BGP_VERSION, as2(), opt.hold, 0, &p);
}

/* An UPDATE where the OPEN should be (OpenSent). */
static void
sc_fsm_update_in_opensent(void)
{
	blocks_reset();
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-31489 (FRR, bgp_capability_llgr): the Long-Lived Graceful
 * Restart capability (71) with a length that is not a multiple of 7 made
 * FRR read past the capability.  tortie does not implement LLGR, so it
 * must skip the capability as unknown and come up.
 */
static void
sc_cve_2023_31489_llgr_len(void)
{
	static const uint8_t	 raw[] = { BGP_CAPA_LLGR, 3, 0, 1, 1 };
	struct atk_buf		 p;

	caps_param(&p, raw, sizeof(raw));
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

/*
 * CVE-2023-41361 (FRR, software version capability 75): FRR trusted the
 * inner length octet of the version string.  This one claims 255 octets
 * in a capability of 5: an unknown capability for tortie, skipped.
 */
static void
sc_cve_2023_41361_softver(void)
{
	static const uint8_t	 raw[] = { 75, 5, 255, 'x', 'y', 'z', 'w' };
	struct atk_buf		 p;

	caps_param(&p, raw, sizeof(raw));
	open_raw(BGP_VERSION, as2(), opt.hold, opt.rid, &p);
}

/*
 * CVE-2022-37032 (FRR, bgp_capability_msg_parse): a CAPABILITY message
 * (type 6, dynamic capabilities draft) with a truncated capability made
 * FRR read out of bounds.  tortie never announces dynamic capabilities,
 * so type 6 is an unknown message type: Message Header Error / Bad
 * Message Type.
 */
static void
sc_cve_2022_37032_capability_msg(void)
{
	msg_begin(&m, 6);
	put8(&m, 0);		/* action: set */
	put8(&m, BGP_CAPA_MP);
	put8(&m, 4);		/* length 4, but only 2 octets follow */
	put16(&m, BGP_AFI_IPV4);
	msg_end(&m);
	(void)send_msg(&m);
}

/*
 * CVE-2024-31949 (FRR): a dynamic capability message carrying a malformed
 * multiprotocol capability kept FRR's parser from advancing (an endless
 * loop).  Here a capability of length 0 in a type 6 message: for tortie
 * again an unknown message type.
 */
static void
sc_cve_2024_31949_capability_loop(void)
{
	msg_begin(&m, 6);
	put8(&m, 0);
	put8(&m, BGP_CAPA_MP);
	put8(&m, 0);
	put8(&m, 0);
	put8(&m, BGP_CAPA_GR);
	put8(&m, 0);
	msg_end(&m);
	(void)send_msg(&m);
}

/*
 * CVE-2023-41360 (FRR): a ROUTE-REFRESH with an Outbound Route Filter
 * part made FRR read the ORF header beyond the message.  Here a
 * ROUTE-REFRESH of 24 octets (one octet of "when-to-refresh"): tortie
 * does not do ORF, and RFC 7313 5 makes a length other than 23 an error.
 */
static void
sc_cve_2023_41360_rrefresh_orf(void)
{
	msg_begin(&m, BGP_MSG_ROUTE_REFRESH);
	put16(&m, BGP_AFI_IPV4);
	put8(&m, 0);
	put8(&m, BGP_SAFI_UNICAST);
	put8(&m, 1);		/* ORF: refresh immediately, no entries */
	msg_end(&m);
	(void)send_msg(&m);
}

/* UPDATE framing. */

/* Withdrawn Routes Length beyond the end of the message. */
static void
sc_update_bad_wdlen(void)
{
	blocks_reset();
	attrs_std(&at);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	m.b[BGP_HDR_LEN] = 0x10;
	(void)send_msg(&m);
}

/* Total Path Attribute Length beyond the end of the message. */
static void
sc_update_bad_attrlen(void)
{
	blocks_reset();
	attrs_std(&at);
	update_build();
	m.b[BGP_HDR_LEN + 2] = 0x10;
	(void)send_msg(&m);
}

/* The last attribute's length runs past the attribute field. */
static void
sc_attr_overrun(void)
{
	blocks_reset();
	attrs_std(&at);
	attr(&at, BGP_ATTRF_OPTIONAL | BGP_ATTRF_TRANSITIVE,
	    BGP_ATTR_COMMUNITIES, "\0\1\0\1", 4);
	at.b[at.len - 5] = 40;
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

/*
 * The standard attributes with one of them replaced: type t gets flags
 * and value v (len octets).  omit: leave type t out altogether.
 */
static void
update_with(uint8_t t, uint8_t flags, const void *v, size_t len, int omit)
{
	uint8_t	 origin = BGP_ORIGIN_IGP;

	blocks_reset();
	if (t == BGP_ATTR_ORIGIN) {
		if (!omit)
			attr(&at, flags, t, v, len);
	} else
		attr(&at, BGP_ATTRF_TRANSITIVE, BGP_ATTR_ORIGIN, &origin, 1);
	if (t == BGP_ATTR_AS_PATH) {
		if (!omit)
			attr(&at, flags, t, v, len);
	} else
		attr_aspath(&at);
	if (t == BGP_ATTR_NEXT_HOP) {
		if (!omit)
			attr(&at, flags, t, v, len);
	} else
		attr_nexthop(&at, &opt.local);
	if (t != BGP_ATTR_ORIGIN && t != BGP_ATTR_AS_PATH &&
	    t != BGP_ATTR_NEXT_HOP && !omit)
		attr(&at, flags, t, v, len);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

#define WK	BGP_ATTRF_TRANSITIVE
#define OPTN	BGP_ATTRF_OPTIONAL
#define OPTT	(BGP_ATTRF_OPTIONAL | BGP_ATTRF_TRANSITIVE)

static void
sc_attr_flags_origin(void)
{
	update_with(BGP_ATTR_ORIGIN, OPTT, "\0", 1, 0);
}

static void
sc_attr_flags_nexthop(void)
{
	update_with(BGP_ATTR_NEXT_HOP, OPTN, opt.local.bytes, 4, 0);
}

static void
sc_attr_flags_med(void)
{
	update_with(BGP_ATTR_MED, WK, "\0\0\0\1", 4, 0);
}

static void
sc_origin_len(void)
{
	update_with(BGP_ATTR_ORIGIN, WK, "\0\0", 2, 0);
}

static void
sc_origin_value(void)
{
	update_with(BGP_ATTR_ORIGIN, WK, "\3", 1, 0);
}

static void
sc_nexthop_len(void)
{
	update_with(BGP_ATTR_NEXT_HOP, WK, "\306\22\0\144\0", 5, 0);
}

static void
sc_med_len(void)
{
	update_with(BGP_ATTR_MED, OPTN, "\0\0\1", 3, 0);
}

/* LOCAL_PREF from an external peer (RFC 4271 5.1.5): dropped. */
static void
sc_localpref_ebgp(void)
{
	update_with(BGP_ATTR_LOCAL_PREF, WK, "\0\0\1\0", 4, 0);
}

static void
sc_localpref_len(void)
{
	update_with(BGP_ATTR_LOCAL_PREF, WK, "\0\1\0", 3, 0);
}

static void
sc_atomic_len(void)
{
	update_with(BGP_ATTR_ATOMIC_AGGREGATE, WK, "\1", 1, 0);
}

static void
sc_aggregator_len(void)
{
	update_with(BGP_ATTR_AGGREGATOR, OPTT, "\0\0\375\351\306\22\0", 7, 0);
}

static void
sc_communities_len(void)
{
	update_with(BGP_ATTR_COMMUNITIES, OPTT, "\375\351\0", 3, 0);
}

static void
sc_ext_communities_len(void)
{
	update_with(BGP_ATTR_EXT_COMMUNITIES, OPTT, "\0\2\375\351\0\0\0", 7,
	    0);
}

static void
sc_large_communities_len(void)
{
	update_with(BGP_ATTR_LARGE_COMMUNITIES, OPTT,
	    "\0\0\375\351\0\0\0\1\0\0\0", 11, 0);
}

static void
sc_originator_len(void)
{
	update_with(BGP_ATTR_ORIGINATOR_ID, OPTN, "\306\22\0", 3, 0);
}

static void
sc_cluster_list_len(void)
{
	update_with(BGP_ATTR_CLUSTER_LIST, OPTN, "\306\22\0", 3, 0);
}

/* AS4_PATH on a session where both sides speak 4-octet ASes. */
static void
sc_as4path_on_as4(void)
{
	update_with(BGP_ATTR_AS4_PATH, OPTT, "\2\1\0\0\375\351", 6, 0);
}

static void
sc_missing_origin(void)
{
	update_with(BGP_ATTR_ORIGIN, 0, NULL, 0, 1);
}

static void
sc_missing_nexthop(void)
{
	update_with(BGP_ATTR_NEXT_HOP, 0, NULL, 0, 1);
}

/* Type 200 flagged well-known: a well-known attribute nobody knows. */
static void
sc_unknown_wellknown(void)
{
	update_with(200, WK, "\1\2\3\4", 4, 0);
}

/* ORIGIN twice (RFC 7606 3 g: all but the first are discarded). */
static void
sc_dup_origin(void)
{
	blocks_reset();
	attrs_std(&at);
	attr(&at, WK, BGP_ATTR_ORIGIN, "\2", 1);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

/* An MP_REACH_NLRI for IPv4 with next hop nh (nhlen octets) and nlri. */
static void
attr_mp_reach(struct atk_buf *b, uint16_t afi, uint8_t safi,
    const void *nh, size_t nhlen, const struct atk_buf *nlri)
{
	struct atk_buf	 v;

	v.len = 0;
	put16(&v, afi);
	put8(&v, safi);
	put8(&v, (uint8_t)nhlen);
	putraw(&v, nh, nhlen);
	put8(&v, 0);
	if (nlri != NULL)
		putraw(&v, nlri->b, nlri->len);
	attr(b, OPTN, BGP_ATTR_MP_REACH_NLRI, v.b, v.len);
}

/* MP_REACH_NLRI twice (RFC 7606 3 g: a session reset). */
static void
sc_dup_mp_reach(void)
{
	struct atk_buf	 n;

	n.len = 0;
	prefix(&n, &opt.pfx, opt.pfxlen);
	blocks_reset();
	attr_origin(&at);
	attr_aspath(&at);
	attr_mp_reach(&at, BGP_AFI_IPV4, BGP_SAFI_UNICAST, opt.local.bytes, 4,
	    &n);
	attr_mp_reach(&at, BGP_AFI_IPV4, BGP_SAFI_UNICAST, opt.local.bytes, 4,
	    &n);
	update_build();
	(void)send_msg(&m);
}

/* AS_PATH from raw segments. */
static void
update_aspath(const void *v, size_t len)
{
	update_with(BGP_ATTR_AS_PATH, WK, v, len, 0);
}

static void
seg_as(struct atk_buf *b, uint32_t as)
{
	if (st.sess.as4)
		put32(b, as);
	else
		put16(b, (uint16_t)as);
}

/* Segment type 5, which does not exist. */
static void
sc_aspath_seg_type(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, 5);
	put8(&v, 1);
	seg_as(&v, opt.las);
	update_aspath(v.b, v.len);
}

/* An AS_SEQUENCE of our AS, then a segment of length 0. */
static void
sc_aspath_seg_zero(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 1);
	seg_as(&v, opt.las);
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 0);
	update_aspath(v.b, v.len);
}

/* A segment counting 3 ASes with room for 1. */
static void
sc_aspath_seg_overrun(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 3);
	seg_as(&v, opt.las);
	update_aspath(v.b, v.len);
}

/* An AS_CONFED_SEQUENCE from an external peer (RFC 5065 5.3). */
static void
sc_aspath_confed(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, BGP_AS_CONFED_SEQUENCE);
	put8(&v, 1);
	seg_as(&v, 65100);
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 1);
	seg_as(&v, opt.las);
	update_aspath(v.b, v.len);
}

/* A path whose first AS is not the peer's (RFC 4271 6.3). */
static void
sc_aspath_first_as(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put8(&v, BGP_AS_SEQUENCE);
	put8(&v, 1);
	seg_as(&v, opt.las + 98);
	update_aspath(v.b, v.len);
}

static void
sc_nexthop_zero(void)
{
	update_with(BGP_ATTR_NEXT_HOP, WK, "\0\0\0\0", 4, 0);
}

static void
sc_nexthop_multicast(void)
{
	update_with(BGP_ATTR_NEXT_HOP, WK, "\340\0\0\5", 4, 0);
}

/* The node's own address as the next hop. */
static void
sc_nexthop_self(void)
{
	update_with(BGP_ATTR_NEXT_HOP, WK, opt.remote.bytes, 4, 0);
}

/* MP_REACH_NLRI of (afi, safi) with an IPv4 next hop and prefix P. */
static void
update_mp(uint16_t afi, uint8_t safi, const void *nh, size_t nhlen,
    const struct atk_buf *nlri)
{
	blocks_reset();
	attr_origin(&at);
	attr_aspath(&at);
	attr_nexthop(&at, &opt.local);
	attr_mp_reach(&at, afi, safi, nh, nhlen, nlri);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

static void
sc_mp_bad_afi(void)
{
	struct atk_buf	 n;

	n.len = 0;
	prefix_str(&n, "198.18.202.0/24");
	update_mp(3, BGP_SAFI_UNICAST, opt.local.bytes, 4, &n);
}

static void
sc_mp_bad_safi(void)
{
	struct atk_buf	 n;

	n.len = 0;
	prefix_str(&n, "198.18.202.0/24");
	update_mp(BGP_AFI_IPV4, 128, opt.local.bytes, 4, &n);
}

/* IPv4 unicast MP_REACH_NLRI with a next hop of 5 octets. */
static void
sc_mp_nh_len(void)
{
	static const uint8_t	 nh[5] = { 198, 18, 0, 100, 0 };
	struct atk_buf		 n;

	n.len = 0;
	prefix_str(&n, "198.18.202.0/24");
	update_mp(BGP_AFI_IPV4, BGP_SAFI_UNICAST, nh, sizeof(nh), &n);
}

/* A /24 in MP_REACH_NLRI with one octet of its address. */
static void
sc_mp_nlri_overrun(void)
{
	struct atk_buf	 n;

	n.len = 0;
	put8(&n, 24);
	put8(&n, 198);
	update_mp(BGP_AFI_IPV4, BGP_SAFI_UNICAST, opt.local.bytes, 4, &n);
}

/* The same overrun in MP_UNREACH_NLRI. */
static void
sc_mp_unreach_overrun(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put16(&v, BGP_AFI_IPV4);
	put8(&v, BGP_SAFI_UNICAST);
	put8(&v, 24);
	put8(&v, 198);
	blocks_reset();
	attr(&at, OPTN, BGP_ATTR_MP_UNREACH_NLRI, v.b, v.len);
	update_build();
	(void)send_msg(&m);
}

/* MP_REACH_NLRI with a prefix length of 33. */
static void
sc_mp_plen_33(void)
{
	struct atk_buf	 n;

	n.len = 0;
	put8(&n, 33);
	put32(&n, 0xc612ca00);
	put8(&n, 0);
	update_mp(BGP_AFI_IPV4, BGP_SAFI_UNICAST, opt.local.bytes, 4, &n);
}

/* IPv6 MP_REACH_NLRI with a prefix length of 129. */
static void
sc_mp_plen_v6_129(void)
{
	struct atk_buf	 n;
	struct bgpd_addr nh;
	size_t		 i;

	addr_parse("2001:db8::100", &nh);
	n.len = 0;
	put8(&n, 129);
	for (i = 0; i < 17; i++)
		put8(&n, i < 2 ? (i == 0 ? 0x20 : 0x01) : 0);
	update_mp(BGP_AFI_IPV6, BGP_SAFI_UNICAST, nh.bytes, 16, &n);
}

/* Classic NLRI with a prefix length of 33. */
static void
sc_plen_v4_33(void)
{
	blocks_reset();
	attrs_std(&at);
	put8(&nl, 33);
	put32(&nl, 0xc612ca00);
	put8(&nl, 0);
	update_build();
	(void)send_msg(&m);
}

/* A withdrawn route with a prefix length of 33. */
static void
sc_withdrawn_plen_33(void)
{
	blocks_reset();
	put8(&wd, 33);
	put32(&wd, 0xc612ca00);
	put8(&wd, 0);
	update_build();
	(void)send_msg(&m);
}

/* count (default 10000) withdrawals of prefixes never announced. */
static void
sc_withdraw_unknown(void)
{
	uint32_t	 i, n = opt.count ? opt.count : 10000, sent = 0;
	uint32_t	 a = 0xc6130000;	/* 198.19.0.0, /32s */

	for (i = 0; i < n && !atk_stop; ) {
		blocks_reset();
		while (i < n && wd.len + 5 <= BGP_MAXLEN - BGP_UPDATE_MINLEN) {
			put8(&wd, 32);
			put32(&wd, a + 0x8000 + i);
			i++;
		}
		update_build();
		if (send_msg(&m) == -1)
			break;
		sent = i;
	}
	extra("withdrawn=%u ", sent);
}

/* CVE regressions on UPDATEs. */

/*
 * CVE-2023-38802 (FRR): a corrupted Tunnel Encapsulation attribute (23)
 * reset sessions although RFC 7606 says it should not, and since the
 * attribute is optional transitive, one bad route took down sessions
 * across the Internet.  Here the TLV claims 64 octets with 4 present.
 * tortie does not parse attribute 23: it is kept as unknown optional
 * transitive (Partial set when passed on); the session stays up.  With
 * -p inside an IP pool, the route goes on to the mesh.
 */
static void
sc_cve_2023_38802_tunnel_encap(void)
{
	static const uint8_t	 v[] = { 0, 8, 0, 64, 1, 2, 3, 4 };

	update_with(23, OPTT, v, sizeof(v), 0);
}

/*
 * CVE-2024-44070 (FRR, bgp_attr_encap): the sub-TLV length inside a
 * well-formed Tunnel Encapsulation TLV was not checked against the
 * stream.  Here a TLV of 4 octets holding a sub-TLV of 200.
 */
static void
sc_cve_2024_44070_tunnel_subtlv(void)
{
	static const uint8_t	 v[] = { 0, 8, 0, 4, 1, 200, 0xaa, 0xbb };

	update_with(23, OPTT, v, sizeof(v), 0);
}

/*
 * CVE-2024-31948 (FRR): a malformed Prefix-SID attribute (40) crashed
 * bgpd.  Here a Label-Index TLV (type 1) of length 7 that claims 60.
 * Unknown optional transitive for tortie: kept, session up.
 */
static void
sc_cve_2024_31948_prefix_sid(void)
{
	static const uint8_t	 v[] = { 1, 0, 60, 0, 0, 0, 0, 0, 0, 1 };

	update_with(40, OPTT, v, sizeof(v), 0);
}

/*
 * CVE-2023-41358 (FRR): NLRI were processed although the Total Path
 * Attribute Length was 0.  With no attributes the mandatory ones are
 * missing: treat-as-withdraw (RFC 7606 3 d).
 */
static void
sc_cve_2023_41358_zero_attrlen(void)
{
	blocks_reset();
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-47234 (FRR): an UPDATE with an MP_UNREACH_NLRI and classic
 * NLRI but no mandatory attributes crashed bgpd.  tortie must withdraw
 * both (treat-as-withdraw), including P in the classic NLRI.
 */
static void
sc_cve_2023_47234_unreach_nlri(void)
{
	struct atk_buf	 v;

	v.len = 0;
	put16(&v, BGP_AFI_IPV4);
	put8(&v, BGP_SAFI_UNICAST);
	prefix_str(&v, "198.18.203.0/24");
	blocks_reset();
	attr(&at, OPTN, BGP_ATTR_MP_UNREACH_NLRI, v.b, v.len);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-47235 (FRR): an End-of-RIB-shaped UPDATE (an empty
 * MP_UNREACH_NLRI) carrying a malformed attribute was taken as an EoR
 * and the malformed attribute used.  Here the EoR for IPv4 plus an
 * ORIGIN of length 2: it must be treated as withdraw, not as End-of-RIB.
 */
static void
sc_cve_2023_47235_eor_malformed(void)
{
	blocks_reset();
	attr(&at, WK, BGP_ATTR_ORIGIN, "\0\0", 2);
	attr(&at, OPTN, BGP_ATTR_MP_UNREACH_NLRI, "\0\1\1", 3);
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-46752 (FRR): malformed MP_REACH_NLRI data crashed bgpd.
 * Here an MP_REACH_NLRI of 3 octets (AFI and SAFI, no next hop length):
 * its routes cannot be found, so RFC 7606 7.11 resets the session.
 */
static void
sc_cve_2023_46752_mp_reach_short(void)
{
	blocks_reset();
	attr_origin(&at);
	attr_aspath(&at);
	attr(&at, OPTN, BGP_ATTR_MP_REACH_NLRI, "\0\1\1", 3);
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-46753 (FRR): an UPDATE with NLRI whose only attribute is an
 * unknown optional transitive one crashed bgpd when graceful restart was
 * negotiated (this scenario announces it).  Missing mandatory
 * attributes: treat-as-withdraw.
 */
static void
sc_cve_2023_46753_only_unknown(void)
{
	blocks_reset();
	attr(&at, OPTT, 31, "0123456789abcdef", 16);
	prefix(&nl, &opt.pfx, opt.pfxlen);
	update_build();
	(void)send_msg(&m);
}

/*
 * CVE-2023-38406 (FRR, flowspec): an NLRI length of zero in a flowspec
 * MP_REACH_NLRI (AFI 1, SAFI 133) overflowed.  A family tortie never
 * negotiates: the attribute is ignored (RFC 4760 7), the rest is used.
 */
static void
sc_cve_2023_38406_flowspec_zero(void)
{
	struct atk_buf	 n;

	n.len = 0;
	put8(&n, 0);
	update_mp(BGP_AFI_IPV4, 133, opt.local.bytes, 4, &n);
}

/*
 * CVE-2023-38407 (FRR, bgp_label.c): labeled unicast (SAFI 4) parsing
 * read past the stream.  Here a prefix length of 48 (label + /24) with
 * the label cut short; SAFI 4 is not negotiated, so it is ignored.
 */
static void
sc_cve_2023_38407_labeled(void)
{
	struct atk_buf	 n;

	n.len = 0;
	put8(&n, 48);
	put8(&n, 0);
	update_mp(BGP_AFI_IPV4, 4, opt.local.bytes, 4, &n);
}

/*
 * BIRD 2.0.8 and older (October 2025, no CVE): an Only-to-Customer
 * attribute (35, RFC 9234) was re-encoded with a wrong length and sent on,
 * resetting sessions of older stacks downstream.  Here OTC of 8 octets.
 * tortie does not implement RFC 9234: unknown optional transitive, kept
 * verbatim; the session stays up.
 */
static void
sc_bird_otc_len(void)
{
	update_with(35, OPTT, "\0\0\375\351\0\0\375\351", 8, 0);
}

/*
 * OpenBGPD (2011, no CVE): AGGREGATOR with low-order flag bits set made
 * sessions drop; RFC 4271 4.3 says those bits are ignored.  The route
 * must be accepted unchanged.
 */
static void
sc_openbgpd_flag_bits(void)
{
	uint8_t	 v[8];

	v[0] = (uint8_t)(opt.las >> 24);
	v[1] = (uint8_t)(opt.las >> 16);
	v[2] = (uint8_t)(opt.las >> 8);
	v[3] = (uint8_t)opt.las;
	memcpy(v + 4, opt.local.bytes, 4);
	update_with(BGP_ATTR_AGGREGATOR, OPTT | 0x08, v, sizeof(v), 0);
}

/* Volume. */

/*
 * count (default 1,000,000) /32 routes from -x (default 10.0.0.0) in a
 * tight loop, as many to an UPDATE as fit, then End-of-RIB.  With -G
 * unique: one route per UPDATE, each with its own community, so that
 * the node cannot pack them when it passes them on.
 */
static void
flood(int unique)
{
	uint32_t	 i, n = opt.count ? opt.count : 1000000, sent = 0;
	uint32_t	 base = ntohl(opt.base.v4.s_addr), msgs = 0;
	uint64_t	 t0 = mono_ms();
	uint8_t		 comm[4];

	for (i = 0; i < n && !atk_stop && !st.wfail; ) {
		blocks_reset();
		attrs_std(&at);
		if (unique) {
			comm[0] = (uint8_t)(i >> 24);
			comm[1] = (uint8_t)(i >> 16);
			comm[2] = (uint8_t)(i >> 8);
			comm[3] = (uint8_t)i;
			attr(&at, OPTT, BGP_ATTR_COMMUNITIES, comm, 4);
		}
		do {
			put8(&nl, 32);
			put32(&nl, base + i);
			i++;
		} while (!unique && i < n && BGP_UPDATE_MINLEN + at.len +
		    nl.len + 5 <= BGP_MAXLEN);
		update_build();
		if (send_msg(&m) == -1)
			break;
		sent = i;
		msgs++;
		if ((msgs & 255) == 0)
			keepalive_due();
	}
	extra("sent=%u msgs=%u ms=%llu ", sent, msgs,
	    (unsigned long long)(mono_ms() - t0));
	blocks_reset();
	update_build();
	(void)send_msg(&m);
}

static void
sc_flood(void)
{
	flood(0);
}

static void
sc_flood_unique(void)
{
	flood(1);
}

/*
 * count (default 500) connections from our address that each send an
 * OPEN and vanish, next to our Established session (or without one,
 * -0).
 */
static void
sc_open_flood(void)
{
	uint8_t		 o[BGP_MAXLEN];
	uint32_t	 i, n = opt.count ? opt.count : 500, ok = 0;
	int		 fd, len;

	if ((len = bgp_open_encode(&st.lopen, o, sizeof(o))) == -1)
		die("cannot encode our OPEN");
	for (i = 0; i < n && !atk_stop; i++) {
		if ((fd = connect_to(&opt.local, 1)) == -1)
			continue;
		if (write(fd, o, (size_t)len) == len)
			ok++;
		close(fd);
		keepalive_due();
	}
	extra("connects=%u ", ok);
}

/* Read and note what arrives for up to ms, sending nothing. */
static void
slow_read(int ms)
{
	uint16_t	 len;

	if (recv_msg(ms, &len) != 1)
		return;
	if (st.rbuf[18] == BGP_MSG_NOTIFICATION)
		got_notification(st.rbuf, len);
	consume(len);
}

/*
 * One octet per second of a KEEPALIVE, with a hold time of 3 seconds: no
 * complete message arrives in time, so the node's hold timer must expire
 * (Hold Timer Expired); the node must not wait for the message forever.
 */
static void
sc_slowloris(void)
{
	uint8_t		 ka[BGP_KEEPALIVE_LEN];
	uint64_t	 t0 = mono_ms(), next;
	size_t		 i;

	bgp_keepalive_encode(ka, sizeof(ka));
	for (i = 0; i < sizeof(ka) && !atk_stop && !st.notified &&
	    !st.closed; i++) {
		next = mono_ms() + 1000;
		if (send_all(st.fd, ka + i, 1) == -1)
			break;
		/* observe() keeps us alive with KEEPALIVEs: not now. */
		while (!st.notified && !st.closed && !atk_stop &&
		    mono_ms() < next)
			slow_read((int)(next - mono_ms()));
	}
	extra("octets=%zu ms=%llu ", i, (unsigned long long)(mono_ms() - t0));
}

/*
 * Never read: the node's output to us backs up.  KEEPALIVEs still go out
 * so that the node has no reason to drop us; after the window, report how
 * much the node had queued in our receive buffer.
 */
static void
sc_no_read(void)
{
	uint64_t	 end = mono_ms() + opt.window_ms;
	int		 unread = 0;

	while (!atk_stop && mono_ms() < end) {
		if (send_keepalive() == -1)
			break;
		usleep(500000);
	}
	if (ioctl(st.fd, FIONREAD, &unread) == -1)
		unread = -1;
	extra("unread=%d ", unread);
}

/* A valid route, for a baseline. */
static void
sc_announce(void)
{
}

#undef WK
#undef OPTN
#undef OPTT

static const struct atk_scenario scenarios[] = {
	{ "announce", PH_UPD, 0, 0, sc_announce,
	    "a valid route for -p, nothing else (baseline)" },
	{ "truncated", PH_EST, 0, 0, sc_truncated,
	    "UPDATE of 21 octets (below the minimum of 23)" },
	{ "truncated-close", PH_EST, 0, 0, sc_truncated_close,
	    "30 octets of a 50-octet UPDATE, then end of stream" },
	{ "oversized", PH_EST, 0, 0, sc_oversized,
	    "UPDATE of 4097 octets without extended messages" },
	{ "bad-marker", PH_EST, 0, 0, sc_bad_marker,
	    "KEEPALIVE with a marker octet not all ones" },
	{ "bad-length", PH_EST, 0, 0, sc_bad_length,
	    "header length 18 (< 19)" },
	{ "keepalive-len", PH_EST, 0, 0, sc_keepalive_len,
	    "KEEPALIVE of 20 octets" },
	{ "notification-short", PH_EST, 0, 0, sc_notification_short,
	    "NOTIFICATION of 20 octets" },
	{ "unknown-type", PH_EST, 0, 0, sc_unknown_type,
	    "message type 9" },
	{ "open-in-established", PH_EST, 0, 0, sc_open_in_established,
	    "a second OPEN on the Established connection" },
	{ "open-cap-len", PH_OPEN, 0, 0, sc_open_cap_len,
	    "OPEN: 4-octet AS capability of length 2" },
	{ "open-cap-overrun", PH_OPEN, 0, 0, sc_open_cap_overrun,
	    "OPEN: capability length beyond its parameter" },
	{ "open-optparam-unknown", PH_OPEN, 0, 0, sc_open_optparam_unknown,
	    "OPEN: optional parameter type 1" },
	{ "open-optlen-mismatch", PH_OPEN, 0, 0, sc_open_optlen_mismatch,
	    "OPEN: parameter length beyond the optional parameters" },
	{ "open-bad-version", PH_OPEN, 0, 0, sc_open_bad_version,
	    "OPEN: version 3" },
	{ "open-bad-as", PH_OPEN, 0, 0, sc_open_bad_as,
	    "OPEN: an AS that is not the configured one" },
	{ "open-hold-1", PH_OPEN, 0, 0, sc_open_hold_1,
	    "OPEN: hold time 1" },
	{ "open-zero-id", PH_OPEN, 0, 0, sc_open_zero_id,
	    "OPEN: BGP identifier 0.0.0.0" },
	{ "fsm-update-in-opensent", PH_OPEN, 0, 0, sc_fsm_update_in_opensent,
	    "an UPDATE instead of the OPEN" },
	{ "update-bad-wdlen", PH_UPD, 0, 0, sc_update_bad_wdlen,
	    "UPDATE: withdrawn routes length beyond the message" },
	{ "update-bad-attrlen", PH_UPD, 0, 0, sc_update_bad_attrlen,
	    "UPDATE: path attribute length beyond the message" },
	{ "attr-overrun", PH_UPD, 0, 0, sc_attr_overrun,
	    "UPDATE: last attribute overruns the attribute field" },
	{ "attr-flags-origin", PH_UPD, 0, 0, sc_attr_flags_origin,
	    "ORIGIN flagged optional transitive" },
	{ "attr-flags-nexthop", PH_UPD, 0, 0, sc_attr_flags_nexthop,
	    "NEXT_HOP flagged optional" },
	{ "attr-flags-med", PH_UPD, 0, 0, sc_attr_flags_med,
	    "MULTI_EXIT_DISC flagged well-known" },
	{ "origin-len", PH_UPD, 0, 0, sc_origin_len, "ORIGIN of 2 octets" },
	{ "origin-value", PH_UPD, 0, 0, sc_origin_value, "ORIGIN 3" },
	{ "nexthop-len", PH_UPD, 0, 0, sc_nexthop_len,
	    "NEXT_HOP of 5 octets" },
	{ "med-len", PH_UPD, 0, 0, sc_med_len, "MULTI_EXIT_DISC of 3 octets" },
	{ "localpref-ebgp", PH_UPD, 0, 0, sc_localpref_ebgp,
	    "LOCAL_PREF from an external peer" },
	{ "localpref-len", PH_UPD, 0, 0, sc_localpref_len,
	    "LOCAL_PREF of 3 octets from an external peer" },
	{ "atomic-len", PH_UPD, 0, 0, sc_atomic_len,
	    "ATOMIC_AGGREGATE of 1 octet" },
	{ "aggregator-len", PH_UPD, 0, 0, sc_aggregator_len,
	    "AGGREGATOR of 7 octets on a 4-octet AS session" },
	{ "communities-len", PH_UPD, 0, 0, sc_communities_len,
	    "COMMUNITIES of 3 octets" },
	{ "ext-communities-len", PH_UPD, 0, 0, sc_ext_communities_len,
	    "EXTENDED_COMMUNITIES of 7 octets" },
	{ "large-communities-len", PH_UPD, 0, 0, sc_large_communities_len,
	    "LARGE_COMMUNITY of 11 octets" },
	{ "originator-len", PH_UPD, 0, 0, sc_originator_len,
	    "ORIGINATOR_ID of 3 octets" },
	{ "cluster-list-len", PH_UPD, 0, 0, sc_cluster_list_len,
	    "CLUSTER_LIST of 3 octets" },
	{ "as4path-on-as4", PH_UPD, 0, 0, sc_as4path_on_as4,
	    "AS4_PATH on a 4-octet AS session" },
	{ "missing-origin", PH_UPD, 0, 0, sc_missing_origin,
	    "NLRI without ORIGIN" },
	{ "missing-nexthop", PH_UPD, 0, 0, sc_missing_nexthop,
	    "NLRI without NEXT_HOP" },
	{ "unknown-wellknown", PH_UPD, 0, 0, sc_unknown_wellknown,
	    "attribute 200 flagged well-known" },
	{ "dup-origin", PH_UPD, 0, 0, sc_dup_origin, "ORIGIN twice" },
	{ "dup-mp-reach", PH_UPD, 0, 0, sc_dup_mp_reach,
	    "MP_REACH_NLRI twice" },
	{ "aspath-seg-type", PH_UPD, 0, 0, sc_aspath_seg_type,
	    "AS_PATH segment type 5" },
	{ "aspath-seg-zero", PH_UPD, 0, 0, sc_aspath_seg_zero,
	    "AS_PATH segment of length 0" },
	{ "aspath-seg-overrun", PH_UPD, 0, 0, sc_aspath_seg_overrun,
	    "AS_PATH segment of 3 ASes with room for 1" },
	{ "aspath-confed", PH_UPD, 0, 0, sc_aspath_confed,
	    "AS_CONFED_SEQUENCE from an external peer" },
	{ "aspath-first-as", PH_UPD, 0, 0, sc_aspath_first_as,
	    "AS_PATH whose first AS is not the peer's" },
	{ "nexthop-zero", PH_UPD, 0, 0, sc_nexthop_zero, "NEXT_HOP 0.0.0.0" },
	{ "nexthop-multicast", PH_UPD, 0, 0, sc_nexthop_multicast,
	    "NEXT_HOP 224.0.0.5" },
	{ "nexthop-self", PH_UPD, 0, 0, sc_nexthop_self,
	    "NEXT_HOP the node's own address" },
	{ "mp-bad-afi", PH_UPD, 0, 0, sc_mp_bad_afi,
	    "MP_REACH_NLRI of AFI 3" },
	{ "mp-bad-safi", PH_UPD, 0, 0, sc_mp_bad_safi,
	    "MP_REACH_NLRI of SAFI 128" },
	{ "mp-nh-len", PH_UPD, 0, 0, sc_mp_nh_len,
	    "IPv4 MP_REACH_NLRI with a 5-octet next hop" },
	{ "mp-nlri-overrun", PH_UPD, 0, 0, sc_mp_nlri_overrun,
	    "MP_REACH_NLRI prefix beyond the attribute" },
	{ "mp-unreach-overrun", PH_UPD, 0, 0, sc_mp_unreach_overrun,
	    "MP_UNREACH_NLRI prefix beyond the attribute" },
	{ "mp-plen-33", PH_UPD, 0, 0, sc_mp_plen_33,
	    "IPv4 MP_REACH_NLRI prefix length 33" },
	{ "mp-plen-v6-129", PH_UPD, 0, 0, sc_mp_plen_v6_129,
	    "IPv6 MP_REACH_NLRI prefix length 129" },
	{ "plen-v4-33", PH_UPD, 0, 0, sc_plen_v4_33, "NLRI prefix length 33" },
	{ "withdrawn-plen-33", PH_UPD, 0, 0, sc_withdrawn_plen_33,
	    "withdrawn route prefix length 33" },
	{ "withdraw-unknown", PH_UPD, 0, 0, sc_withdraw_unknown,
	    "-n (10000) withdrawals of prefixes never announced" },
	{ "cve-2022-37032-capability-msg", PH_EST, 0, 0,
	    sc_cve_2022_37032_capability_msg,
	    "CAPABILITY message (type 6) with a truncated capability" },
	{ "cve-2024-31949-capability-loop", PH_EST, 0, 0,
	    sc_cve_2024_31949_capability_loop,
	    "CAPABILITY message with zero-length MP and GR capabilities" },
	{ "cve-2023-31489-llgr-len", PH_OPEN, 0, 0,
	    sc_cve_2023_31489_llgr_len,
	    "OPEN: LLGR capability of 3 octets" },
	{ "cve-2023-41361-softver", PH_OPEN, 0, 0, sc_cve_2023_41361_softver,
	    "OPEN: software version capability, inner length 255 of 5" },
	{ "cve-2023-41360-rrefresh-orf", PH_EST, 0, 0,
	    sc_cve_2023_41360_rrefresh_orf,
	    "ROUTE-REFRESH of 24 octets (an ORF octet)" },
	{ "cve-2023-38802-tunnel-encap", PH_UPD, 0, 0,
	    sc_cve_2023_38802_tunnel_encap,
	    "Tunnel Encapsulation (23) TLV claiming 64 of 4 octets" },
	{ "cve-2024-44070-tunnel-subtlv", PH_UPD, 0, 0,
	    sc_cve_2024_44070_tunnel_subtlv,
	    "Tunnel Encapsulation sub-TLV of 200 in a TLV of 4" },
	{ "cve-2024-31948-prefix-sid", PH_UPD, 0, 0,
	    sc_cve_2024_31948_prefix_sid,
	    "Prefix-SID (40) Label-Index TLV claiming 60 of 7 octets" },
	{ "cve-2023-41358-zero-attrlen", PH_UPD, 0, 0,
	    sc_cve_2023_41358_zero_attrlen,
	    "NLRI with a path attribute length of 0" },
	{ "cve-2023-47234-unreach-nlri", PH_UPD, 0, 0,
	    sc_cve_2023_47234_unreach_nlri,
	    "MP_UNREACH_NLRI plus NLRI, no mandatory attributes" },
	{ "cve-2023-47235-eor-malformed", PH_UPD, 0, 0,
	    sc_cve_2023_47235_eor_malformed,
	    "IPv4 End-of-RIB with an ORIGIN of 2 octets" },
	{ "cve-2023-46752-mp-reach-short", PH_UPD, 0, 0,
	    sc_cve_2023_46752_mp_reach_short,
	    "MP_REACH_NLRI of 3 octets" },
	{ "cve-2023-46753-only-unknown", PH_UPD, 0, SC_GR,
	    sc_cve_2023_46753_only_unknown,
	    "NLRI with one unknown optional transitive attribute, GR on" },
	{ "cve-2023-38406-flowspec-zero", PH_UPD, 0, 0,
	    sc_cve_2023_38406_flowspec_zero,
	    "flowspec MP_REACH_NLRI with an NLRI length of 0" },
	{ "cve-2023-38407-labeled", PH_UPD, 0, 0, sc_cve_2023_38407_labeled,
	    "labeled unicast MP_REACH_NLRI with a cut label" },
	{ "bird-otc-len", PH_UPD, 0, 0, sc_bird_otc_len,
	    "Only-to-Customer (35) of 8 octets" },
	{ "openbgpd-flag-bits", PH_UPD, 0, 0, sc_openbgpd_flag_bits,
	    "AGGREGATOR with a low-order flag bit set" },
	{ "flood", PH_EST, 0, 0, sc_flood,
	    "-n (1000000) /32 routes from -x, packed, then End-of-RIB" },
	{ "flood-unique", PH_EST, 0, 0, sc_flood_unique,
	    "-n /32 routes from -x, one per UPDATE, each its community" },
	{ "open-flood", PH_EST, 0, 0, sc_open_flood,
	    "-n (500) connections that send an OPEN and vanish" },
	{ "slowloris", PH_EST, 3, 0, sc_slowloris,
	    "a KEEPALIVE at one octet a second, hold time 3" },
	{ "no-read", PH_EST, 0, SC_NOREAD, sc_no_read,
	    "never read for -w seconds, KEEPALIVEs still sent" },
};

static const struct atk_scenario *
scenario_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}

static void
scenario_list(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		printf("%-32s %s\n", scenarios[i].name, scenarios[i].what);
}

static void
report(const struct atk_scenario *sc)
{
	const char	*sess;
	char		 n[16];

	if (sc->phase == PH_NONE || opt.nosession)
		sess = "none";
	else
		sess = st.up && !st.closed && !st.notified && !st.wfail ?
		    "up" : "down";
	if (st.notified)
		snprintf(n, sizeof(n), "%u/%u", st.code, st.subcode);
	else
		snprintf(n, sizeof(n), "none");
	printf("scenario=%s notification=%s session=%s %sreason=\"%s\"\n",
	    sc->name, n, sess, st.extra, st.reason);
	fflush(stdout);
}

static uint32_t
num(const char *s, uint32_t max, const char *what)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > max)
		die("bad %s: %s", what, s);
	return (uint32_t)v;
}

static void
parse_args(int argc, char **argv, const struct atk_scenario **scp)
{
	int	 ch, plen;

	opt.hold = BGP_HOLDTIME_DEFAULT;
	opt.port = BGP_PORT;
	opt.las = 65001;
	opt.window_ms = 3000;
	prefix_parse("198.18.200.0/24", &opt.pfx, &opt.pfxlen);
	prefix_parse("198.18.209.0/24", &opt.sentinel, &opt.sentinel_len);
	addr_parse("10.0.0.0", &opt.base);
	while ((ch = getopt(argc, argv, "0a:A:Gh:i:ln:p:P:s:t:vw:x:")) != -1) {
		switch (ch) {
		case '0':
			opt.nosession = 1;
			break;
		case 'a':
			if (addr_parse(optarg, &opt.local) == -1)
				die("bad address %s", optarg);
			break;
		case 'A':
			opt.las = num(optarg, UINT32_MAX, "AS");
			break;
		case 'G':
			opt.gr = 1;
			break;
		case 'h':
			opt.hold = (uint16_t)num(optarg, UINT16_MAX,
			    "hold time");
			break;
		case 'i':
			if (inet_pton(AF_INET, optarg, &opt.rid) != 1)
				die("bad router id %s", optarg);
			opt.rid = ntohl(opt.rid);
			break;
		case 'l':
			scenario_list();
			exit(0);
		case 'n':
			opt.count = num(optarg, UINT32_MAX, "count");
			break;
		case 'p':
			if (prefix_parse(optarg, &opt.pfx, &plen) == -1 ||
			    opt.pfx.af != AF_INET)
				die("bad IPv4 prefix %s", optarg);
			opt.pfxlen = plen;
			break;
		case 'P':
			if (strlen(optarg) > TCP_MD5SIG_MAXKEYLEN)
				die("password too long");
			opt.password = optarg;
			break;
		case 's':
			if (prefix_parse(optarg, &opt.sentinel, &plen) == -1 ||
			    opt.sentinel.af != AF_INET)
				die("bad IPv4 prefix %s", optarg);
			opt.sentinel_len = plen;
			break;
		case 't':
			opt.port = (uint16_t)num(optarg, UINT16_MAX, "port");
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'w':
			opt.window_ms = num(optarg, 86400, "seconds") * 1000;
			break;
		case 'x':
			if (addr_parse(optarg, &opt.base) == -1 ||
			    opt.base.af != AF_INET)
				die("bad IPv4 address %s", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3)
		usage();
	if (addr_parse(argv[0], &opt.remote) == -1 ||
	    opt.remote.af != AF_INET)
		die("bad IPv4 address %s", argv[0]);
	opt.ras = num(argv[1], UINT32_MAX, "AS");
	if ((*scp = scenario_find(argv[2])) == NULL)
		die("unknown scenario %s (-l lists them)", argv[2]);
}

/* Our source address, for next hops, when -a did not say. */
static void
local_addr(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);

	if (opt.local.af != 0)
		return;
	if (getsockname(st.fd, (struct sockaddr *)&ss, &slen) == -1 ||
	    addr_from_sockaddr((struct sockaddr *)&ss, &opt.local,
	    NULL) == -1)
		die("getsockname: %s", strerror(errno));
}

static void
signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	const struct atk_scenario	*sc;
	struct timeval			 tv = { 30, 0 };

	parse_args(argc, argv, &sc);
	if (opt.rid == 0)
		opt.rid = opt.local.af ? ntohl(opt.local.v4.s_addr) :
		    0xc6120064;
	signals();
	open_prepare(sc->hold ? sc->hold : opt.hold,
	    opt.gr || (sc->flags & SC_GR));
	if (sc->phase == PH_NONE || opt.nosession) {
		sc->fn();
		report(sc);
		return 0;
	}
	st.fd = connect_to(&opt.local, 0);
	/* A node that stops reading must not hang us for good. */
	setsockopt(st.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	local_addr();
	if (sc->phase == PH_OPEN) {
		sc->fn();
		(void)establish();
		observe((int)opt.window_ms);
		report(sc);
		finish();
		return 0;
	}
	if (send_open() == -1 || establish() == -1) {
		report(sc);
		fprintf(stderr, "bgp_attacker: no session: %s\n", st.reason);
		finish();
		return 2;
	}
	if (sc->phase == PH_UPD && announce_p() == -1)
		die("cannot announce the route");
	sc->fn();
	if (sc->phase == PH_UPD)
		announce_sentinel();
	if (!(sc->flags & SC_NOREAD))
		observe((int)opt.window_ms);
	report(sc);
	finish();
	return 0;
}
