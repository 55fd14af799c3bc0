/*
 * kroute's kernel backend on Linux: rtnetlink, written against the
 * kernel's uapi headers alone.
 *
 * Two sockets: one for our requests, their answers and dumps, and one
 * subscribed to link and address events, so that a burst of events can
 * never crowd out the answers to a batch.  An epoll descriptor holding
 * both is what the caller's event loop watches.
 *
 * Route changes are queued as ready netlink messages and sent up to
 * KR_BATCH_MAX bytes per sendmsg().  Only the last message of a batch asks
 * for an ACK: the kernel answers every failed message anyway, in order, so
 * the batch is complete when that ACK (or that message's error) arrives,
 * and every error before it names its message by sequence number.  The
 * kernel handles a whole batch inside sendmsg(), so all the answers are
 * queued on the socket by the time it returns; the receive buffer is large
 * enough for one batch of errors, and one batch at a time is in flight.
 *
 * Everything read from the kernel is checked before use: sender, length
 * of every message and attribute, sequence numbers.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kr.h"
#include "log.h"
#include "util.h"

#define KR_BATCH_MAX	(256 * 1024)	/* bytes of messages per sendmsg */
#define KR_MSG_MAX	128		/* largest route message we build */
#define KR_SNDBUF	(1024 * 1024)
#define KR_RCVBUF	(32 * 1024 * 1024)
#define KR_EV_RCVBUF	(4 * 1024 * 1024)
#define KR_RBUF_INIT	(64 * 1024)
#define KR_RBUF_MAX	(16 * 1024 * 1024)
#define KR_QUEUE_INIT	(1024 * 1024)
#define KR_WAIT_MS	30000		/* longest wait for the kernel */
#define KR_EV_BURST	256		/* event datagrams per kr_dispatch */
#define KR_ATTR_MAX	32

_Static_assert(KR_MSG_MAX <= KR_MSG_SIZE, "KR_MSG_SIZE too small");

struct kr_rbuf {
	uint8_t		*data;
	size_t		 cap;
};

/* One attribute found by kr_attr_parse(); data is NULL when absent. */
struct kr_attr {
	const uint8_t	*data;
	size_t		 len;
};

struct kr_handle {
	int			 fd;		/* requests, answers, dumps */
	int			 evfd;		/* link and address events */
	int			 epfd;		/* both, for kr_fd() */
	uint32_t		 portid;
	uint32_t		 seq;
	uint32_t		 table;
	uint8_t			 protocol;
	int			 busy;		/* reading fd: no re-entry */
	int			 evbusy;	/* reading evfd */
	struct kr_callbacks	 cb;

	/* Queued messages: [qdone, qsent) in flight, [qsent, qlen) next. */
	uint8_t			*q;
	size_t			 qlen;
	size_t			 qcap;
	size_t			 qdone;
	size_t			 qsent;
	size_t			 qcursor;	/* failed lookups resume */
	size_t			 maxbatch;
	size_t			 npending;	/* changes not yet answered */
	size_t			 nbatch;	/* changes in flight */
	size_t			 nfailed;
	uint32_t		 first_seq;
	uint32_t		 last_seq;
	int			 inflight;
	int			 lost;
	int			 sending;	/* kr_flush() until idle */

	struct kr_rbuf		 rbuf;
	struct kr_rbuf		 evbuf;
};

/* What a dump hands to its parser, and what it learns on the way. */
struct kr_dump {
	uint16_t	 want;
	void		(*parse)(struct kr_handle *, const uint8_t *, size_t,
			    struct kr_dump *);
	void		(*route_cb)(const struct kroute *, void *);
	void		(*event_cb)(const struct kr_event *, void *);
	void		*arg;
	size_t		 count;
	int		 intr;
};

static int	 kr_socket(uint32_t *, int);
static void	 kr_setopt(int, int, int, int, const char *);
static size_t	 kr_addr_len(int);
static int	 kr_route_check(enum kr_op, const struct kroute *);
static size_t	 kr_attr_put(uint8_t *, size_t, uint16_t, const void *,
		    size_t);
static int	 kr_attr_parse(const uint8_t *, size_t, struct kr_attr *,
		    size_t);
static int	 kr_attr_u32(const struct kr_attr *, uint32_t *);
static int	 kr_attr_addr(const struct kr_attr *, int, struct bgpd_addr *);
static size_t	 kr_nlmsg_next(const uint8_t *, size_t, struct nlmsghdr *);
static int	 kr_rtype_flags(uint16_t, uint8_t, uint16_t *);
static int	 kr_multipath(const struct kr_attr *, struct kroute *);
static ssize_t	 kr_recv(int, struct kr_rbuf *);
static int	 kr_rbuf_grow(struct kr_rbuf *, size_t);
static int	 kr_queue(struct kr_handle *, enum kr_op,
		    const struct kroute *);
static int	 kr_send(int, const void *, size_t);
static int	 kr_send_batch(struct kr_handle *);
static int	 kr_wait_batch(struct kr_handle *);
static int	 kr_cmd_read(struct kr_handle *);
static void	 kr_cmd_input(struct kr_handle *, const uint8_t *, size_t);
static void	 kr_answer(struct kr_handle *, const uint8_t *,
		    const struct nlmsghdr *);
static void	 kr_report(struct kr_handle *, const uint8_t *, int,
		    const char *);
static const uint8_t *kr_find_seq(struct kr_handle *, uint32_t);
static const char *kr_extack(const uint8_t *, const struct nlmsghdr *,
		    char *, size_t);
static void	 kr_batch_done(struct kr_handle *);
static void	 kr_batch_lost(struct kr_handle *, int);
static int	 kr_dump(struct kr_handle *, const uint8_t *, size_t,
		    struct kr_dump *);
static int	 kr_dump_input(struct kr_handle *, const uint8_t *, size_t,
		    uint32_t, struct kr_dump *);
static int	 kr_dump_end(const uint8_t *, const struct nlmsghdr *);
static int	 kr_route_dump(struct kr_handle *, int, struct kr_dump *);
static void	 kr_route_parse(struct kr_handle *, const uint8_t *, size_t,
		    struct kr_dump *);
static void	 kr_ev_parse(struct kr_handle *, const uint8_t *, size_t,
		    struct kr_dump *);
static int	 kr_link_parse(const uint8_t *, const struct nlmsghdr *,
		    struct kr_event *);
static int	 kr_addr_parse(const uint8_t *, const struct nlmsghdr *,
		    struct kr_event *);
static int	 kr_ev_read(struct kr_handle *);

int
kr_open(struct kr_handle **hp, uint32_t table, uint8_t protocol)
{
	struct kr_handle	*h;
	struct epoll_event	 ev;
	int			 sndbuf = KR_SNDBUF;
	socklen_t		 sl = sizeof(sndbuf);

	*hp = NULL;
	if (table == RT_TABLE_UNSPEC || protocol == RTPROT_UNSPEC) {
		errno = EINVAL;
		return -1;
	}
	h = xcalloc(1, sizeof(*h));
	h->fd = h->evfd = h->epfd = -1;
	h->table = table;
	h->protocol = protocol;
	h->seq = 1;
	if ((h->fd = kr_socket(&h->portid, KR_RCVBUF)) == -1)
		goto fail;
	if (setsockopt(h->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
	    sizeof(sndbuf)) == -1)
		kr_setopt(h->fd, SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
	/* The kernel refuses a datagram above the send buffer less 32. */
	if (getsockopt(h->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl) == -1)
		goto fail;
	h->maxbatch = (size_t)sndbuf > KR_BATCH_MAX + 64 ?
	    KR_BATCH_MAX : (size_t)sndbuf - 64;
	/*
	 * Capped errors keep a batch of failures small on the socket (the
	 * sequence number names the message); strict checking lets the
	 * kernel filter dumps by table and protocol.  Older kernels lack
	 * these and still work.
	 */
	kr_setopt(h->fd, SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
	kr_setopt(h->fd, SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
	kr_setopt(h->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1,
	    "NETLINK_GET_STRICT_CHK");
	if ((h->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = h->fd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->fd, &ev) == -1)
		goto fail;
	if (kr_rbuf_grow(&h->rbuf, KR_RBUF_INIT) == -1 ||
	    kr_rbuf_grow(&h->evbuf, KR_RBUF_INIT) == -1)
		goto fail;
	*hp = h;
	return 0;
fail:
	log_warn("kr_open");
	kr_close(h);
	return -1;
}

void
kr_close(struct kr_handle *h)
{
	int	 saved = errno;

	if (h == NULL)
		return;
	if (h->fd != -1)
		close(h->fd);
	if (h->evfd != -1)
		close(h->evfd);
	if (h->epfd != -1)
		close(h->epfd);
	free(h->q);
	free(h->rbuf.data);
	free(h->evbuf.data);
	free(h);
	errno = saved;
}

void
kr_set_callbacks(struct kr_handle *h, const struct kr_callbacks *cb)
{
	if (cb == NULL)
		memset(&h->cb, 0, sizeof(h->cb));
	else
		h->cb = *cb;
}

int
kr_fd(const struct kr_handle *h)
{
	return h->epfd;
}

size_t
kr_pending(const struct kr_handle *h)
{
	return h->npending;
}

int
kr_add(struct kr_handle *h, const struct kroute *kr)
{
	return kr_queue(h, KR_OP_ADD, kr);
}

/*
 * Deletes by prefix, priority, table and our protocol: the nexthop is not
 * matched, and a route of another protocol is never touched.
 */
int
kr_del(struct kr_handle *h, const struct kroute *kr)
{
	return kr_queue(h, KR_OP_DEL, kr);
}

/*
 * Starts sending without blocking; kr_dispatch() reads the answers and
 * sends the next batches.
 */
int
kr_flush(struct kr_handle *h)
{
	h->sending = 1;
	return kr_send_batch(h);
}

/* Sends everything queued and waits; returns the number of failures. */
int
kr_flush_sync(struct kr_handle *h)
{
	if (h->busy) {
		errno = EBUSY;
		return -1;
	}
	h->nfailed = 0;
	while (h->inflight || h->qsent < h->qlen) {
		if (kr_send_batch(h) == -1)
			return -1;
		if (kr_wait_batch(h) == -1)
			return -1;
	}
	return (int)(h->nfailed > INT32_MAX ? INT32_MAX : h->nfailed);
}

int
kr_dispatch(struct kr_handle *h)
{
	if (h->busy || h->evbusy) {
		errno = EBUSY;
		return -1;
	}
	if (kr_cmd_read(h) == -1)
		return -1;
	if (h->sending && kr_send_batch(h) == -1)
		return -1;
	if (h->evfd != -1 && kr_ev_read(h) == -1)
		return -1;
	return 0;
}

int
kr_subscribe(struct kr_handle *h)
{
	struct epoll_event	 ev;
	uint32_t		 portid;
	int			 grp[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				    RTNLGRP_IPV6_IFADDR };
	size_t			 i;

	if (h->evfd != -1)
		return 0;
	if ((h->evfd = kr_socket(&portid, KR_EV_RCVBUF)) == -1)
		goto fail;
	for (i = 0; i < sizeof(grp) / sizeof(grp[0]); i++)
		if (setsockopt(h->evfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		    &grp[i], sizeof(grp[i])) == -1)
			goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = h->evfd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->evfd, &ev) == -1)
		goto fail;
	return 0;
fail:
	log_warn("kr_subscribe");
	if (h->evfd != -1)
		close(h->evfd);
	h->evfd = -1;
	return -1;
}

/*
 * Routes of our table and protocol, IPv4 then IPv6.  Routes of ours that
 * kroute cannot represent (other route types, source routes) are logged
 * and skipped.  An interrupted dump is still delivered: it only means
 * that somebody changed routes meanwhile, and nobody else changes ours.
 */
int
kr_fetch(struct kr_handle *h, void (*cb)(const struct kroute *, void *),
    void *arg)
{
	struct kr_dump	 d;

	memset(&d, 0, sizeof(d));
	d.want = RTM_NEWROUTE;
	d.parse = kr_route_parse;
	d.route_cb = cb;
	d.arg = arg;
	if (kr_route_dump(h, AF_INET, &d) == -1 ||
	    kr_route_dump(h, AF_INET6, &d) == -1)
		return -1;
	if (d.intr)
		log_info("kr_fetch: routes changed during the dump");
	return 0;
}

/* Every interface as KR_EV_IF_NEW, then every address as KR_EV_ADDR_NEW. */
int
kr_if_fetch(struct kr_handle *h, void (*cb)(const struct kr_event *, void *),
    void *arg)
{
	struct kr_dump		 d;
	struct ifinfomsg	 ifi;
	struct ifaddrmsg	 ifa;
	struct nlmsghdr		 nh;
	uint8_t			 req[64];

	memset(&d, 0, sizeof(d));
	d.parse = kr_ev_parse;
	d.event_cb = cb;
	d.arg = arg;

	memset(req, 0, sizeof(req));
	memset(&nh, 0, sizeof(nh));
	memset(&ifi, 0, sizeof(ifi));
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(ifi));
	nh.nlmsg_type = RTM_GETLINK;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	memcpy(req, &nh, sizeof(nh));
	memcpy(req + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	d.want = RTM_NEWLINK;
	if (kr_dump(h, req, nh.nlmsg_len, &d) == -1)
		return -1;

	memset(req, 0, sizeof(req));
	memset(&ifa, 0, sizeof(ifa));
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(ifa));
	nh.nlmsg_type = RTM_GETADDR;
	memcpy(req, &nh, sizeof(nh));
	memcpy(req + NLMSG_HDRLEN, &ifa, sizeof(ifa));
	d.want = RTM_NEWADDR;
	if (kr_dump(h, req, nh.nlmsg_len, &d) == -1)
		return -1;
	if (d.intr)
		log_debug("kr_if_fetch: interfaces changed during the dump");
	return 0;
}

/*
 * Builds the netlink message for one route change into buf (KR_MSG_SIZE
 * bytes are always enough), with sequence number 0.  This is exactly what
 * kr_add()/kr_del() queue.
 */
ssize_t
kr_msg_build(void *buf, size_t len, enum kr_op op, uint32_t table,
    uint8_t protocol, const struct kroute *kr)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	uint8_t		*b = buf;
	size_t		 off, alen;
	uint32_t	 u;

	if ((op != KR_OP_ADD && op != KR_OP_DEL) ||
	    kr_route_check(op, kr) == -1) {
		errno = EINVAL;
		return -1;
	}
	if (len < KR_MSG_MAX) {
		errno = ENOSPC;
		return -1;
	}
	alen = kr_addr_len(kr->prefix.af);
	memset(b, 0, KR_MSG_MAX);
	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = kr->prefix.af;
	rtm.rtm_dst_len = kr->prefixlen;
	rtm.rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = protocol;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtm));
	off = kr_attr_put(b, off, RTA_TABLE, &table, sizeof(table));
	off = kr_attr_put(b, off, RTA_DST, kr->prefix.bytes, alen);
	if (kr->priority != 0)
		off = kr_attr_put(b, off, RTA_PRIORITY, &kr->priority,
		    sizeof(kr->priority));
	if (op == KR_OP_DEL) {
		/* Wildcards: any type and scope, as long as ours. */
		nh.nlmsg_type = RTM_DELROUTE;
		nh.nlmsg_flags = NLM_F_REQUEST;
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
		rtm.rtm_type = RTN_UNSPEC;
	} else {
		nh.nlmsg_type = RTM_NEWROUTE;
		nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
		rtm.rtm_type = (kr->flags & KR_F_BLACKHOLE) ?
		    RTN_BLACKHOLE : RTN_UNICAST;
		rtm.rtm_scope = RT_SCOPE_UNIVERSE;
		if (!(kr->flags & KR_F_BLACKHOLE) &&
		    addr_is_unspec(&kr->nexthop))
			rtm.rtm_scope = RT_SCOPE_LINK;
		if (kr->flags & KR_F_ONLINK)
			rtm.rtm_flags |= RTNH_F_ONLINK;
		if (!addr_is_unspec(&kr->nexthop))
			off = kr_attr_put(b, off, RTA_GATEWAY,
			    kr->nexthop.bytes, alen);
		if (kr->ifindex != 0) {
			u = kr->ifindex;
			off = kr_attr_put(b, off, RTA_OIF, &u, sizeof(u));
		}
	}
	nh.nlmsg_len = (uint32_t)off;
	memcpy(b, &nh, sizeof(nh));
	memcpy(b + NLMSG_HDRLEN, &rtm, sizeof(rtm));
	return (ssize_t)off;
}

/*
 * Decodes one RTM_NEWROUTE/RTM_DELROUTE message (from the kernel, so
 * untrusted).  Fails with EINVAL on a malformed message and ENOTSUP on a
 * route kroute does not represent.
 */
int
kr_msg_parse(const void *buf, size_t len, struct kroute *kr,
    uint32_t *table, uint8_t *protocol)
{
	const uint8_t	*p = buf;
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	struct kr_attr	 tb[KR_ATTR_MAX + 1];
	struct bgpd_addr masked;
	size_t		 hlen = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtm));

	memset(kr, 0, sizeof(*kr));
	if (len < sizeof(nh))
		goto bad;
	memcpy(&nh, p, sizeof(nh));
	if (nh.nlmsg_len < hlen || nh.nlmsg_len > len ||
	    (nh.nlmsg_type != RTM_NEWROUTE && nh.nlmsg_type != RTM_DELROUTE))
		goto bad;
	memcpy(&rtm, p + NLMSG_HDRLEN, sizeof(rtm));
	if (kr_attr_parse(p + hlen, nh.nlmsg_len - hlen, tb, KR_ATTR_MAX) ==
	    -1)
		goto bad;
	if ((rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6) ||
	    rtm.rtm_dst_len > kr_addr_len(rtm.rtm_family) * 8)
		goto bad;
	if (rtm.rtm_src_len != 0 || rtm.rtm_tos != 0 ||
	    (rtm.rtm_flags & RTM_F_CLONED) || tb[RTA_SRC].data != NULL ||
	    tb[RTA_VIA].data != NULL)
		goto unsupported;
	if (kr_rtype_flags(nh.nlmsg_type, rtm.rtm_type, &kr->flags) == -1)
		goto unsupported;
	kr->prefix.af = rtm.rtm_family;
	kr->prefixlen = rtm.rtm_dst_len;
	if (tb[RTA_DST].data == NULL && rtm.rtm_dst_len != 0)
		goto bad;
	if (kr_attr_addr(&tb[RTA_DST], rtm.rtm_family, &kr->prefix) == -1 ||
	    kr_attr_addr(&tb[RTA_GATEWAY], rtm.rtm_family, &kr->nexthop) ==
	    -1 ||
	    kr_attr_u32(&tb[RTA_OIF], &kr->ifindex) == -1 ||
	    kr_attr_u32(&tb[RTA_PRIORITY], &kr->priority) == -1)
		goto bad;
	masked = kr->prefix;
	addr_mask(&masked, kr->prefixlen);
	if (addr_cmp(&masked, &kr->prefix) != 0)
		goto bad;
	if (rtm.rtm_flags & RTNH_F_ONLINK)
		kr->flags |= KR_F_ONLINK;
	if (tb[RTA_MULTIPATH].data != NULL && addr_is_unspec(&kr->nexthop) &&
	    kr_multipath(&tb[RTA_MULTIPATH], kr) == -1)
		goto bad;
	*table = rtm.rtm_table;
	if (kr_attr_u32(&tb[RTA_TABLE], table) == -1)
		goto bad;
	*protocol = rtm.rtm_protocol;
	return 0;
bad:
	errno = EINVAL;
	return -1;
unsupported:
	errno = ENOTSUP;
	return -1;
}

static int
kr_socket(uint32_t *portid, int rcvbuf)
{
	struct sockaddr_nl	 sa;
	socklen_t		 sl = sizeof(sa);
	int			 fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (fd == -1)
		return -1;
	/* Forcing needs CAP_NET_ADMIN; without it, take what we may. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		kr_setopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == -1 ||
	    sl < sizeof(sa) || sa.nl_family != AF_NETLINK) {
		close(fd);
		return -1;
	}
	*portid = sa.nl_pid;
	return fd;
}

static void
kr_setopt(int fd, int level, int opt, int val, const char *name)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) == -1)
		log_debug("kr_open: %s: %s", name, strerror(errno));
}

static size_t
kr_addr_len(int af)
{
	return af == AF_INET6 ? 16 : 4;
}

/* A route the kernel can take, with nothing left for it to guess. */
static int
kr_route_check(enum kr_op op, const struct kroute *kr)
{
	struct bgpd_addr	 masked;
	size_t			 max;

	if (kr->prefix.af != AF_INET && kr->prefix.af != AF_INET6)
		return -1;
	max = kr_addr_len(kr->prefix.af) * 8;
	if (kr->prefixlen > max)
		return -1;
	masked = kr->prefix;
	addr_mask(&masked, kr->prefixlen);
	if (addr_cmp(&masked, &kr->prefix) != 0)
		return -1;
	if (op == KR_OP_DEL)
		return 0;
	if (kr->flags & ~(KR_F_BLACKHOLE | KR_F_ONLINK))
		return -1;
	if (!addr_is_unspec(&kr->nexthop) && kr->nexthop.af != kr->prefix.af)
		return -1;
	if (kr->flags & KR_F_BLACKHOLE)
		return (kr->flags & KR_F_ONLINK) || kr->ifindex != 0 ||
		    !addr_is_unspec(&kr->nexthop) ? -1 : 0;
	if (addr_is_unspec(&kr->nexthop) && kr->ifindex == 0)
		return -1;
	if ((kr->flags & KR_F_ONLINK) &&
	    (addr_is_unspec(&kr->nexthop) || kr->ifindex == 0))
		return -1;
	return 0;
}

/* The caller has made room: KR_MSG_MAX covers every message we build. */
static size_t
kr_attr_put(uint8_t *b, size_t off, uint16_t type, const void *data,
    size_t len)
{
	struct rtattr	 rta;

	rta.rta_type = type;
	rta.rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(b + off, &rta, sizeof(rta));
	memcpy(b + off + RTA_LENGTH(0), data, len);
	return off + RTA_SPACE(len);
}

/*
 * Indexes the attributes in [p, p + len) by type; unknown types above max
 * are skipped, a later duplicate wins.  Fails on a length that does not
 * fit.
 */
static int
kr_attr_parse(const uint8_t *p, size_t len, struct kr_attr *tb, size_t max)
{
	struct rtattr	 rta;
	size_t		 step, type;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= sizeof(rta)) {
		memcpy(&rta, p, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len)
			return -1;
		type = rta.rta_type & NLA_TYPE_MASK;
		if (type <= max) {
			tb[type].data = p + RTA_LENGTH(0);
			tb[type].len = rta.rta_len - RTA_LENGTH(0);
		}
		step = RTA_ALIGN(rta.rta_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

/* Absent is fine and leaves *v alone; present must be exactly 4 bytes. */
static int
kr_attr_u32(const struct kr_attr *a, uint32_t *v)
{
	if (a->data == NULL)
		return 0;
	if (a->len != sizeof(*v))
		return -1;
	memcpy(v, a->data, sizeof(*v));
	return 0;
}

static int
kr_attr_addr(const struct kr_attr *a, int af, struct bgpd_addr *addr)
{
	size_t	 alen = kr_addr_len(af);

	if (a->data == NULL)
		return 0;
	if (a->len != alen)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->af = (uint8_t)af;
	memcpy(addr->bytes, a->data, alen);
	return 0;
}

/* Returns the step to the next message, 0 when this one is malformed. */
static size_t
kr_nlmsg_next(const uint8_t *p, size_t left, struct nlmsghdr *nh)
{
	size_t	 step;

	if (left < sizeof(*nh))
		return 0;
	memcpy(nh, p, sizeof(*nh));
	if (nh->nlmsg_len < sizeof(*nh) || nh->nlmsg_len > left)
		return 0;
	step = NLMSG_ALIGN(nh->nlmsg_len);
	return step > left ? left : step;
}

static int
kr_rtype_flags(uint16_t msgtype, uint8_t rtype, uint16_t *flags)
{
	switch (rtype) {
	case RTN_UNICAST:
		return 0;
	case RTN_BLACKHOLE:
		*flags |= KR_F_BLACKHOLE;
		return 0;
	case RTN_UNSPEC:
		/* Our own deletes say "any type". */
		return msgtype == RTM_DELROUTE ? 0 : -1;
	}
	return -1;
}

/* A multipath route is reported by its first nexthop. */
static int
kr_multipath(const struct kr_attr *mp, struct kroute *kr)
{
	struct rtnexthop	 nh;
	struct kr_attr		 tb[KR_ATTR_MAX + 1];

	if (mp->len < sizeof(nh))
		return -1;
	memcpy(&nh, mp->data, sizeof(nh));
	if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > mp->len ||
	    nh.rtnh_ifindex < 0)
		return -1;
	if (kr_attr_parse(mp->data + RTNH_ALIGN(sizeof(nh)),
	    nh.rtnh_len - RTNH_ALIGN(sizeof(nh)), tb, KR_ATTR_MAX) == -1 ||
	    kr_attr_addr(&tb[RTA_GATEWAY], kr->prefix.af, &kr->nexthop) == -1)
		return -1;
	kr->ifindex = (uint32_t)nh.rtnh_ifindex;
	if (nh.rtnh_flags & RTNH_F_ONLINK)
		kr->flags |= KR_F_ONLINK;
	return 0;
}

static int
kr_rbuf_grow(struct kr_rbuf *rb, size_t want)
{
	if (want > KR_RBUF_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (want <= rb->cap)
		return 0;
	rb->data = xreallocarray(rb->data, 1, want);
	rb->cap = want;
	return 0;
}

/*
 * Reads one datagram from the kernel into rb.  It is peeked first with
 * MSG_TRUNC, which reports its whole length, so that the buffer grows
 * instead of losing the tail of a large message; only then is it taken
 * off the socket.  Datagrams from anyone but the kernel are dropped.
 * Returns its length, 0 when nothing is waiting, -1 on error.
 */
static ssize_t
kr_recv(int fd, struct kr_rbuf *rb)
{
	struct sockaddr_nl	 sa;
	struct iovec		 iov;
	struct msghdr		 msg;
	ssize_t			 n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		memset(&sa, 0, sizeof(sa));
		iov.iov_base = rb->data;
		iov.iov_len = rb->cap;
		msg.msg_name = &sa;
		msg.msg_namelen = sizeof(sa);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		if ((size_t)n > rb->cap && kr_rbuf_grow(rb, (size_t)n) == 0)
			continue;
		while (recv(fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC) == -1)
			if (errno != EINTR)
				return -1;
		if ((size_t)n > rb->cap) {
			log_warnx("kr_recv: dropped a %zd byte message", n);
			errno = EMSGSIZE;
			return -1;
		}
		if (msg.msg_namelen < sizeof(sa) ||
		    sa.nl_family != AF_NETLINK || sa.nl_pid != 0) {
			log_debug("kr_recv: message from port %u dropped",
			    sa.nl_pid);
			continue;
		}
		if (n > 0)
			return n;
	}
}

static int
kr_queue(struct kr_handle *h, enum kr_op op, const struct kroute *kr)
{
	char		 buf[ADDRSTRLEN];
	struct nlmsghdr	 nh;
	ssize_t		 n;
	size_t		 cap;

	if (h->qcap - h->qlen < KR_MSG_MAX) {
		cap = h->qcap == 0 ? KR_QUEUE_INIT : h->qcap * 2;
		h->q = xreallocarray(h->q, 1, cap);
		h->qcap = cap;
	}
	n = kr_msg_build(h->q + h->qlen, h->qcap - h->qlen, op, h->table,
	    h->protocol, kr);
	if (n == -1) {
		log_warnx("%s: invalid route %s/%u flags 0x%x",
		    op == KR_OP_ADD ? "kr_add" : "kr_del",
		    addr_ntop(&kr->prefix, buf, sizeof(buf)), kr->prefixlen,
		    kr->flags);
		return -1;
	}
	memcpy(&nh, h->q + h->qlen, sizeof(nh));
	nh.nlmsg_seq = h->seq++;
	memcpy(h->q + h->qlen, &nh, sizeof(nh));
	h->qlen += (size_t)n;
	h->npending++;
	return 0;
}

static int
kr_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl	 sa;
	ssize_t			 n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	for (;;) {
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if ((size_t)n != len) {
			errno = EIO;
			return -1;
		}
		return 0;
	}
}

/* Sends the next batch unless one is in flight. */
static int
kr_send_batch(struct kr_handle *h)
{
	struct nlmsghdr	 nh;
	size_t		 off = h->qsent, last = h->qsent, count = 0;

	if (h->inflight || h->qsent == h->qlen)
		return 0;
	while (off < h->qlen) {
		memcpy(&nh, h->q + off, sizeof(nh));
		if (count > 0 &&
		    off + NLMSG_ALIGN(nh.nlmsg_len) - h->qsent > h->maxbatch)
			break;
		if (count == 0)
			h->first_seq = nh.nlmsg_seq;
		h->last_seq = nh.nlmsg_seq;
		last = off;
		off += NLMSG_ALIGN(nh.nlmsg_len);
		count++;
	}
	memcpy(&nh, h->q + last, sizeof(nh));
	nh.nlmsg_flags |= NLM_F_ACK;
	memcpy(h->q + last, &nh, sizeof(nh));
	if (kr_send(h->fd, h->q + h->qsent, off - h->qsent) == -1) {
		log_warn("kr_flush: sendmsg of %zu routes", count);
		return -1;
	}
	h->inflight = 1;
	h->lost = 0;
	h->nbatch = count;
	h->qcursor = h->qsent;
	h->qsent = off;
	return 0;
}

static int
kr_wait_batch(struct kr_handle *h)
{
	struct pollfd	 pfd;

	while (h->inflight) {
		if (kr_cmd_read(h) == -1)
			return -1;
		if (!h->inflight)
			break;
		pfd.fd = h->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		switch (poll(&pfd, 1, KR_WAIT_MS)) {
		case -1:
			if (errno != EINTR)
				return -1;
			break;
		case 0:
			kr_batch_lost(h, ETIMEDOUT);
			break;
		}
	}
	return 0;
}

/* Reads every answer waiting on the request socket. */
static int
kr_cmd_read(struct kr_handle *h)
{
	ssize_t	 n;
	int	 rv = 0;

	h->busy = 1;
	for (;;) {
		if ((n = kr_recv(h->fd, &h->rbuf)) == -1) {
			if (errno == ENOBUFS && h->inflight && !h->lost) {
				/* Some answers were dropped: say so once. */
				kr_report(h, NULL, ENOBUFS, NULL);
				h->lost = 1;
				continue;
			}
			if (errno == ENOBUFS || errno == EMSGSIZE)
				continue;
			rv = -1;
			break;
		}
		if (n == 0)
			break;
		kr_cmd_input(h, h->rbuf.data, (size_t)n);
	}
	/* The kernel answered within sendmsg(): a missing ACK was dropped. */
	if (rv == 0 && h->lost && h->inflight)
		kr_batch_done(h);
	h->busy = 0;
	return rv;
}

static void
kr_cmd_input(struct kr_handle *h, const uint8_t *p, size_t len)
{
	struct nlmsghdr	 nh;
	size_t		 step;

	while ((step = kr_nlmsg_next(p, len, &nh)) != 0) {
		if (nh.nlmsg_type == NLMSG_ERROR)
			kr_answer(h, p, &nh);
		else
			log_debug("kr_dispatch: stray message type %u seq %u",
			    nh.nlmsg_type, nh.nlmsg_seq);
		p += step;
		len -= step;
	}
	if (len != 0)
		log_warnx("kr_dispatch: malformed message from the kernel");
}

static void
kr_answer(struct kr_handle *h, const uint8_t *p, const struct nlmsghdr *nh)
{
	struct nlmsgerr	 e;
	char		 msg[256];
	uint32_t	 seq = nh->nlmsg_seq;
	int		 err;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
		log_warnx("kr_dispatch: short error message");
		return;
	}
	memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
	if (!h->inflight || nh->nlmsg_pid != h->portid ||
	    seq - h->first_seq > h->last_seq - h->first_seq) {
		log_debug("kr_dispatch: stale answer seq %u", seq);
		return;
	}
	if (e.error != 0) {
		err = e.error < 0 && e.error > -4096 ? -e.error : EPROTO;
		kr_report(h, kr_find_seq(h, seq), err,
		    kr_extack(p, nh, msg, sizeof(msg)));
	}
	if (seq == h->last_seq)
		kr_batch_done(h);
}

/*
 * Tells the caller which route failed, m being its message in the queue,
 * or that answers were lost when m is NULL.
 */
static void
kr_report(struct kr_handle *h, const uint8_t *m, int err, const char *why)
{
	struct kroute	 kr;
	struct nlmsghdr	 nh;
	char		 buf[ADDRSTRLEN];
	uint32_t	 table;
	uint8_t		 proto;
	enum kr_op	 op = KR_OP_NONE;

	h->nfailed++;
	if (m == NULL || kr_msg_parse(m, h->qsent - (size_t)(m - h->q), &kr,
	    &table, &proto) == -1) {
		log_warnx("kernel routes: %s; reconciling will be needed",
		    strerror(err));
		if (h->cb.route_error != NULL)
			h->cb.route_error(NULL, KR_OP_NONE, err, why,
			    h->cb.arg);
		return;
	}
	memcpy(&nh, m, sizeof(nh));
	op = nh.nlmsg_type == RTM_DELROUTE ? KR_OP_DEL : KR_OP_ADD;
	log_debug("%s %s/%u: %s%s%s", op == KR_OP_DEL ? "delete" : "add",
	    addr_ntop(&kr.prefix, buf, sizeof(buf)), kr.prefixlen,
	    strerror(err), why ? ": " : "", why ? why : "");
	if (h->cb.route_error != NULL)
		h->cb.route_error(&kr, op, err, why, h->cb.arg);
}

/*
 * Finds the in-flight message with sequence number seq.  Errors arrive in
 * order, so the search resumes where the last one ended.
 */
static const uint8_t *
kr_find_seq(struct kr_handle *h, uint32_t seq)
{
	struct nlmsghdr	 nh;
	size_t		 off = h->qcursor;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		while (off < h->qsent) {
			memcpy(&nh, h->q + off, sizeof(nh));
			if (nh.nlmsg_seq == seq) {
				h->qcursor = off;
				return h->q + off;
			}
			off += NLMSG_ALIGN(nh.nlmsg_len);
		}
		off = h->qdone;
	}
	return NULL;
}

/*
 * The kernel's explanation in an extended ACK, if any: after the
 * nlmsgerr (and the echoed request unless it was capped) come attributes,
 * one of which may be a NUL-terminated message.
 */
static const char *
kr_extack(const uint8_t *p, const struct nlmsghdr *nh, char *buf, size_t len)
{
	struct nlmsgerr	 e;
	struct kr_attr	 tb[NLMSGERR_ATTR_MAX + 1];
	size_t		 off = NLMSG_HDRLEN + sizeof(e);
	const char	*s;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
	if (!(nh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < sizeof(e.msg))
			return NULL;
		off += NLMSG_ALIGN(e.msg.nlmsg_len - sizeof(e.msg));
	}
	if (off > nh->nlmsg_len || kr_attr_parse(p + off,
	    nh->nlmsg_len - off, tb, NLMSGERR_ATTR_MAX) == -1)
		return NULL;
	s = (const char *)tb[NLMSGERR_ATTR_MSG].data;
	if (s == NULL || tb[NLMSGERR_ATTR_MSG].len == 0 ||
	    memchr(s, '\0', tb[NLMSGERR_ATTR_MSG].len) == NULL)
		return NULL;
	strlcpy(buf, s, len);
	return buf;
}

static void
kr_batch_done(struct kr_handle *h)
{
	h->inflight = 0;
	h->lost = 0;
	h->qdone = h->qsent;
	h->npending -= h->nbatch;
	h->nbatch = 0;
	if (h->qdone == h->qlen) {
		h->qdone = h->qsent = h->qlen = h->qcursor = 0;
	} else if (h->qdone >= h->qcap / 2) {
		memmove(h->q, h->q + h->qdone, h->qlen - h->qdone);
		h->qlen -= h->qdone;
		h->qsent = h->qcursor = h->qdone = 0;
	}
	if (h->npending == 0) {
		h->sending = 0;
		if (h->cb.idle != NULL)
			h->cb.idle(h->cb.arg);
	}
}

static void
kr_batch_lost(struct kr_handle *h, int err)
{
	kr_report(h, NULL, err, NULL);
	kr_batch_done(h);
}

/*
 * Runs one dump on the request socket, feeding each answer of type
 * d->want to d->parse.  An in-flight batch is finished first, so that
 * its answers and the dump cannot mix.
 */
static int
kr_dump(struct kr_handle *h, const uint8_t *req, size_t len,
    struct kr_dump *d)
{
	struct nlmsghdr	 nh;
	struct pollfd	 pfd;
	ssize_t		 n;
	uint32_t	 seq;
	uint8_t		 buf[64];
	int		 rv;

	if (h->busy || len > sizeof(buf)) {
		errno = EBUSY;
		return -1;
	}
	if (kr_wait_batch(h) == -1)
		return -1;
	memcpy(buf, req, len);
	memcpy(&nh, buf, sizeof(nh));
	seq = nh.nlmsg_seq = h->seq++;
	memcpy(buf, &nh, sizeof(nh));
	if (kr_send(h->fd, buf, len) == -1)
		return -1;
	h->busy = 1;
	for (rv = 1; rv == 1;) {
		if ((n = kr_recv(h->fd, &h->rbuf)) == -1) {
			rv = -1;
			break;
		}
		if (n > 0) {
			rv = kr_dump_input(h, h->rbuf.data, (size_t)n, seq, d);
			continue;
		}
		pfd.fd = h->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((n = poll(&pfd, 1, KR_WAIT_MS)) == 0)
			errno = ETIMEDOUT;
		if (n == 0 || (n == -1 && errno != EINTR))
			rv = -1;
	}
	h->busy = 0;
	/* The dump took the batch in flight: send on for kr_flush(). */
	if (h->sending && kr_send_batch(h) == -1)
		log_warn("kr_dump: resuming the flush");
	return rv;
}

/* Returns 1 while the dump goes on, 0 at its end, -1 on its failure. */
static int
kr_dump_input(struct kr_handle *h, const uint8_t *p, size_t len,
    uint32_t seq, struct kr_dump *d)
{
	struct nlmsghdr	 nh;
	size_t		 step;

	while ((step = kr_nlmsg_next(p, len, &nh)) != 0) {
		if (nh.nlmsg_seq != seq || nh.nlmsg_pid != h->portid) {
			log_debug("kr_dump: stray message type %u seq %u",
			    nh.nlmsg_type, nh.nlmsg_seq);
		} else if (nh.nlmsg_type == NLMSG_DONE ||
		    nh.nlmsg_type == NLMSG_ERROR) {
			return kr_dump_end(p, &nh);
		} else if (nh.nlmsg_type == d->want) {
			if (nh.nlmsg_flags & NLM_F_DUMP_INTR)
				d->intr = 1;
			d->parse(h, p, nh.nlmsg_len, d);
		}
		p += step;
		len -= step;
	}
	if (len != 0) {
		log_warnx("kr_dump: malformed message from the kernel");
		errno = EPROTO;
		return -1;
	}
	return 1;
}

/* NLMSG_DONE and NLMSG_ERROR both carry an error code, 0 or negative. */
static int
kr_dump_end(const uint8_t *p, const struct nlmsghdr *nh)
{
	int	 err;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(err))) {
		if (nh->nlmsg_type == NLMSG_DONE)
			return 0;
		errno = EPROTO;
		return -1;
	}
	memcpy(&err, p + NLMSG_HDRLEN, sizeof(err));
	if (err == 0)
		return 0;
	errno = err < 0 && err > -4096 ? -err : EPROTO;
	return -1;
}

static int
kr_route_dump(struct kr_handle *h, int af, struct kr_dump *d)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	uint8_t		 req[64];
	size_t		 off;

	memset(req, 0, sizeof(req));
	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (uint8_t)af;
	rtm.rtm_table = h->table < 256 ? (uint8_t)h->table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = h->protocol;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtm));
	off = kr_attr_put(req, off, RTA_TABLE, &h->table, sizeof(h->table));
	nh.nlmsg_len = (uint32_t)off;
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	memcpy(req, &nh, sizeof(nh));
	memcpy(req + NLMSG_HDRLEN, &rtm, sizeof(rtm));
	if (kr_dump(h, req, off, d) == 0)
		return 0;
	/* A table that does not exist yet holds none of our routes. */
	if (errno == ENOENT)
		return 0;
	log_warn("kr_fetch: %s route dump", af == AF_INET ? "IPv4" : "IPv6");
	return -1;
}

/* The kernel filters too when it can; we never rely on it. */
static void
kr_route_parse(struct kr_handle *h, const uint8_t *p, size_t len,
    struct kr_dump *d)
{
	struct kroute	 kr;
	struct rtmsg	 rtm;
	uint32_t	 table;
	uint8_t		 proto;

	if (len < NLMSG_LENGTH(sizeof(rtm)))
		return;
	memcpy(&rtm, p + NLMSG_HDRLEN, sizeof(rtm));
	if (rtm.rtm_protocol != h->protocol)
		return;
	if (kr_msg_parse(p, len, &kr, &table, &proto) == -1) {
		if (errno == ENOTSUP)
			log_info("kr_fetch: skipped a route of ours of type "
			    "%u", rtm.rtm_type);
		else
			log_warnx("kr_fetch: malformed route message");
		return;
	}
	if (table != h->table || proto != h->protocol)
		return;
	d->count++;
	if (d->route_cb != NULL)
		d->route_cb(&kr, d->arg);
}

static void
kr_ev_parse(struct kr_handle *h, const uint8_t *p, size_t len,
    struct kr_dump *d)
{
	struct kr_event	 ev;
	struct nlmsghdr	 nh;
	int		 rv;

	(void)h;
	if (len < sizeof(nh))
		return;
	memcpy(&nh, p, sizeof(nh));
	memset(&ev, 0, sizeof(ev));
	switch (nh.nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		rv = kr_link_parse(p, &nh, &ev);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		rv = kr_addr_parse(p, &nh, &ev);
		break;
	default:
		return;
	}
	if (rv == -1) {
		log_warnx("kroute: malformed %s message from the kernel",
		    nh.nlmsg_type == RTM_NEWLINK ||
		    nh.nlmsg_type == RTM_DELLINK ? "link" : "address");
		return;
	}
	if (rv == 1)
		return;
	d->count++;
	if (d->event_cb != NULL)
		d->event_cb(&ev, d->arg);
}

/* Returns 0 with ev filled, 1 for a message to ignore, -1 if malformed. */
static int
kr_link_parse(const uint8_t *p, const struct nlmsghdr *nh,
    struct kr_event *ev)
{
	struct ifinfomsg	 ifi;
	struct kr_attr		 tb[IFLA_MTU + 1];
	size_t			 hlen = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifi));
	const struct kr_attr	*name;

	if (nh->nlmsg_len < hlen)
		return -1;
	memcpy(&ifi, p + NLMSG_HDRLEN, sizeof(ifi));
	/* Bridge port messages share the group; they are not links. */
	if (ifi.ifi_family != AF_UNSPEC)
		return 1;
	if (ifi.ifi_index <= 0 || kr_attr_parse(p + hlen, nh->nlmsg_len - hlen,
	    tb, IFLA_MTU) == -1)
		return -1;
	ev->type = nh->nlmsg_type == RTM_NEWLINK ? KR_EV_IF_NEW : KR_EV_IF_DEL;
	ev->ifi.ifindex = (uint32_t)ifi.ifi_index;
	if (ifi.ifi_flags & IFF_UP)
		ev->ifi.flags |= KR_IF_UP;
	if (ifi.ifi_flags & IFF_RUNNING)
		ev->ifi.flags |= KR_IF_RUNNING;
	if (ifi.ifi_flags & IFF_LOOPBACK)
		ev->ifi.flags |= KR_IF_LOOPBACK;
	if (kr_attr_u32(&tb[IFLA_MTU], &ev->ifi.mtu) == -1)
		return -1;
	name = &tb[IFLA_IFNAME];
	if (name->data != NULL) {
		if (name->len == 0 ||
		    memchr(name->data, '\0', name->len) == NULL ||
		    strlen((const char *)name->data) >= KR_IFNAMSIZ)
			return -1;
		strlcpy(ev->ifi.name, (const char *)name->data,
		    sizeof(ev->ifi.name));
	}
	return 0;
}

static int
kr_addr_parse(const uint8_t *p, const struct nlmsghdr *nh,
    struct kr_event *ev)
{
	struct ifaddrmsg	 ifa;
	struct kr_attr		 tb[IFA_FLAGS + 1];
	size_t			 hlen = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifa));
	const struct kr_attr	*a;
	uint32_t		 flags;

	if (nh->nlmsg_len < hlen)
		return -1;
	memcpy(&ifa, p + NLMSG_HDRLEN, sizeof(ifa));
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return 1;
	if (ifa.ifa_index == 0 ||
	    ifa.ifa_prefixlen > kr_addr_len(ifa.ifa_family) * 8 ||
	    kr_attr_parse(p + hlen, nh->nlmsg_len - hlen, tb, IFA_FLAGS) == -1)
		return -1;
	/* IFA_LOCAL is ours on a point-to-point link; IFA_ADDRESS the peer. */
	a = tb[IFA_LOCAL].data != NULL ? &tb[IFA_LOCAL] : &tb[IFA_ADDRESS];
	if (a->data == NULL ||
	    kr_attr_addr(a, ifa.ifa_family, &ev->ifa.addr) == -1)
		return -1;
	flags = ifa.ifa_flags;
	if (kr_attr_u32(&tb[IFA_FLAGS], &flags) == -1)
		return -1;
	ev->type = nh->nlmsg_type == RTM_NEWADDR ? KR_EV_ADDR_NEW :
	    KR_EV_ADDR_DEL;
	ev->ifa.ifindex = ifa.ifa_index;
	ev->ifa.prefixlen = ifa.ifa_prefixlen;
	if (flags & IFA_F_TENTATIVE)
		ev->ifa.flags |= KR_IFA_TENTATIVE;
	return 0;
}

/*
 * Reads a bounded number of event datagrams, so that a storm of events
 * cannot starve the caller's loop; the descriptor stays readable.
 */
static int
kr_ev_read(struct kr_handle *h)
{
	struct kr_dump	 d;
	struct kr_event	 ev;
	struct nlmsghdr	 nh;
	const uint8_t	*p;
	size_t		 len, step;
	ssize_t		 n;
	int		 i, rv = 0;

	memset(&d, 0, sizeof(d));
	d.event_cb = h->cb.event;
	d.arg = h->cb.arg;
	h->evbusy = 1;
	for (i = 0; i < KR_EV_BURST; i++) {
		if ((n = kr_recv(h->evfd, &h->evbuf)) == -1) {
			if (errno != ENOBUFS && errno != EMSGSIZE) {
				rv = -1;
				break;
			}
			log_warnx("kroute: interface events lost");
			memset(&ev, 0, sizeof(ev));
			ev.type = KR_EV_RESYNC;
			if (h->cb.event != NULL)
				h->cb.event(&ev, h->cb.arg);
			continue;
		}
		if (n == 0)
			break;
		p = h->evbuf.data;
		len = (size_t)n;
		while ((step = kr_nlmsg_next(p, len, &nh)) != 0) {
			kr_ev_parse(h, p, nh.nlmsg_len, &d);
			p += step;
			len -= step;
		}
	}
	h->evbusy = 0;
	return rv;
}
