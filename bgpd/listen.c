/*
 * Listening for BGP: the parent owns the listening sockets (binding to
 * port 179 needs privilege), accepts, finds the session by the remote
 * address and passes the socket to that session's sessiond.  A connection
 * from an address that is no configured peer is closed and logged (at
 * most once a minute per address family, so that a scan cannot flood the
 * log).  TCP-MD5 keys of the peers that have one are set on the listening
 * sockets, so that the kernel checks signatures before accept(2).
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgpd.h"
#include "log.h"
#include "platform.h"
#include "util.h"

#define LISTEN_MAX	16
#define UNKNOWN_LOG_MS	60000

struct listener {
	int		 fd;
	struct event	*ev;
	struct bgpd_addr addr;
	uint16_t	 port;
};

static struct listener	 listeners[LISTEN_MAX];
static int		 nlisteners;
static uint64_t		 unknown_logged;
static uint64_t		 gtsm_logged;

static void	 listen_accept(evutil_socket_t, short, void *);
static int	 listen_one(const struct bgpd_addr *, uint16_t);
static int	 listen_gtsm(int, const struct bgpd_addr *,
		    const struct bgpd_peer *);

static int
listen_one(const struct bgpd_addr *a, uint16_t port)
{
	struct sockaddr_storage	 ss;
	struct listener		*l;
	socklen_t		 slen;
	char			 buf[ADDRSTRLEN];
	int			 fd, on = 1;

	if (nlisteners >= LISTEN_MAX)
		return -1;
	addr_to_sockaddr(a, port, &ss, &slen);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1) {
		log_warn("listen: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/*
	 * The SYN-ACK leaves with the listener's TTL, 255, so that a GTSM
	 * peer (RFC 5082) that dials us accepts it.  sessiond sets each
	 * accepted session's own TTL and minimum TTL.
	 */
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	(void)sock_ttl(fd, ss.ss_family, GTSM_TTL);
	/* GTSM peers: their SYN's TTL is checked after accept. */
	if (plat_syn_save(fd) == -1)
		log_warn("listen: keeping SYN headers (GTSM checks the first "
		    "segment's TTL only with them)");
	/* NodeIP mode binds to an address that may come up later. */
	(void)plat_freebind(fd, ss.ss_family);
	if (bind(fd, (struct sockaddr *)&ss, slen) == -1 ||
	    listen(fd, 128) == -1) {
		log_warn("listen on %s port %u", addr_ntop(a, buf,
		    sizeof(buf)), port);
		close(fd);
		return -1;
	}
	l = &listeners[nlisteners++];
	l->fd = fd;
	l->addr = *a;
	l->port = port;
	l->ev = event_new(td->base, fd, EV_READ | EV_PERSIST, listen_accept,
	    l);
	if (l->ev == NULL)
		fatalx("event_new");
	event_add(l->ev, NULL);
	log_info("listening on %s port %u", addr_ntop(a, buf, sizeof(buf)),
	    port);
	return 0;
}

void
listen_close(void)
{
	int	 i;

	for (i = 0; i < nlisteners; i++) {
		event_free(listeners[i].ev);
		close(listeners[i].fd);
	}
	nlisteners = 0;
}

/*
 * (Re)open the listening sockets: on the given addresses (bindMode
 * NodeIP), or on the wildcard of both families.  Returns the number of
 * sockets opened.
 */
int
listen_setup(const struct bgpd_addr *addrs, int naddrs, uint16_t port)
{
	struct bgpd_addr	 any;
	int			 i;

	listen_close();
	if (naddrs == 0) {
		memset(&any, 0, sizeof(any));
		any.af = AF_INET;
		listen_one(&any, port);
		any.af = AF_INET6;
		listen_one(&any, port);
	} else
		for (i = 0; i < naddrs; i++)
			listen_one(&addrs[i], port);
	peers_md5_sync();
	return nlisteners;
}

/* Install (keylen > 0) or remove the MD5 key for a peer address. */
void
listen_md5(const struct bgpd_addr *a, const char *key, size_t keylen)
{
	char	 buf[ADDRSTRLEN];
	int	 i;

	for (i = 0; i < nlisteners; i++) {
		if (listeners[i].addr.af != a->af)
			continue;
		if (plat_tcp_md5(listeners[i].fd, a, key, keylen) == -1 &&
		    (keylen > 0 || errno != ENOENT))
			log_warn("TCP-MD5 key for %s", addr_ntop(a, buf,
			    sizeof(buf)));
	}
}

static void
listen_accept(evutil_socket_t lfd, short ev, void *arg)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);
	struct bgpd_addr	 remote;
	struct bgpd_peer	*p;
	char			 buf[ADDRSTRLEN];
	int			 fd;
	uint64_t		 now;

	(void)ev;
	(void)arg;
	fd = accept4(lfd, (struct sockaddr *)&ss, &slen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("accept");
		return;
	}
	if (addr_from_sockaddr((struct sockaddr *)&ss, &remote, NULL) == -1 ||
	    (p = peers_find_addr(&remote)) == NULL) {
		now = mono_ms();
		if (now - unknown_logged > UNKNOWN_LOG_MS) {
			log_warnx("connection from %s: not a configured "
			    "peer, closed (logged once a minute)",
			    addr_ntop(&remote, buf, sizeof(buf)));
			unknown_logged = now;
		}
		close(fd);
		return;
	}
	if (listen_gtsm(fd, &remote, p) == -1) {
		close(fd);
		return;
	}
	/* The descriptor is passed on, or closed, either way. */
	peers_pass_conn(p, fd);
}

/*
 * GTSM (RFC 5082) from the first segment on: sessiond sets the session's
 * minimum TTL, but only once it has the connection, and the segments
 * that arrived before (the SYN, maybe the OPEN) were never checked.  The
 * SYN's TTL, which the kernel kept for us, says whether the connection
 * came from within the peer's hops; set the minimum here at once too.
 * Without a kept SYN (a SYN cookie under a flood) the minimum TTL alone
 * guards the session.
 */
static int
listen_gtsm(int fd, const struct bgpd_addr *remote, const struct bgpd_peer *p)
{
	char		 buf[ADDRSTRLEN];
	int		 ttl, min;
	uint64_t	 now;

	if (p->conf.ttl_security == 0)
		return 0;
	min = GTSM_MIN_TTL(p->conf.ttl_security);
	if ((ttl = plat_syn_ttl(fd)) >= 0 && ttl < min) {
		now = mono_ms();
		if (now - gtsm_logged > UNKNOWN_LOG_MS) {
			log_warnx("connection from %s: TTL %d, below the %d "
			    "that ttlSecurity %u allows, closed (logged once "
			    "a minute)", addr_ntop(remote, buf, sizeof(buf)),
			    ttl, min, p->conf.ttl_security);
			gtsm_logged = now;
		}
		return -1;
	}
	if (plat_min_ttl(fd, remote->af, min) == -1) {
		log_warn("connection from %s: minimum TTL",
		    addr_ntop(remote, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}
