/*
 * se_harness: a fake parent and ribd for sessiond, for integration tests.
 *
 *	se_harness [-Ev] [-b sessiond] [-c cmdfifo] [-l addr]... [-P port]
 *	    [-t secs] peer...
 *
 * It fork+execs sessiond with its pipe on descriptor 3, hands it a pipe
 * "to ribd" (the harness's other end), sends IMSG_PEER_ADD for each peer,
 * listens on -l addresses (port -P, default 179) and passes accepted
 * connections to sessiond as the parent does, and prints one line for
 * each message sessiond sends:
 *
 *	STATE id state msgs_in=N msgs_out=N updates_in=N updates_out=N
 *	    flaps=N code=C/S err=lasterr
 *	UP id remote_id=a.b.c.d hold=N ebgp=N as4=N ext=N rr=N err=N
 *	    ipv4=N ipv6=N gr=N
 *	DOWN id graceful=N restart=N
 *	UPDATE id msgs=N bytes=N eor=N
 *	REFRESH id afi=N safi=N subtype=N
 *	XOFF id / XON id
 *	FLOODED id count
 *	EXIT status
 *
 * A peer is key=value pairs separated by commas: id, name, remote, local,
 * port, as (peer AS), las (local AS), rid (our router id), hold, ka,
 * passive, md5, ttlsec, gr (restart time; enables graceful restart).
 * -E sends an End-of-RIB to every session that comes up.  -c names a
 * FIFO of commands, one a line: "add PEER", "del ID", "eor ID",
 * "flood ID COUNT" (COUNT large UPDATEs), "notify ID CODE SUBCODE",
 * "refresh ID", "shutdown".  After -t seconds
 * (default 60) the harness sends IMSG_SHUTDOWN and exits.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"
#include "tortie.h"

#define H_MAXPEERS	64
#define H_MAXLISTEN	8

static struct imsgbuf	 h_parent, h_rib;
static struct imsg_peer	 h_peers[H_MAXPEERS];
static int		 h_npeers;
static int		 h_listen[H_MAXLISTEN];
static int		 h_nlisten;
static int		 h_eor;
static int		 h_verbose;
static pid_t		 h_child = -1;

static void	 h_usage(void) __attribute__((__noreturn__));
static int	 h_peer_parse(const char *, struct imsg_peer *);
static int	 h_peer_kv(struct imsg_peer *, const char *, const char *);
static void	 h_send(struct imsgbuf *, uint32_t, uint32_t, int,
		    const void *, size_t);
static void	 h_spawn(const char *);
static void	 h_listen_on(const char *, uint16_t);
static void	 h_accept(int);
static void	 h_parent_msg(struct imsg *);
static void	 h_rib_msg(struct imsg *);
static void	 h_command(char *);
static void	 h_eor_send(uint32_t);
static int	 h_read(struct imsgbuf *, void (*)(struct imsg *));
static struct imsg_peer *h_peer_by_id(uint32_t);
static int	 h_listen_gtsm(int, int);
static int	 h_count_eor(const uint8_t *, size_t, size_t *);
static void	 h_flood(uint32_t, unsigned);
static void	 h_cmd_read(int);
static int	 h_wait_child(int);

static void
h_usage(void)
{
	fprintf(stderr, "usage: se_harness [-Ev] [-b sessiond] [-c fifo] "
	    "[-l addr] [-P port] [-t secs] peer...\n");
	exit(2);
}

static int
h_peer_kv(struct imsg_peer *p, const char *k, const char *v)
{
	struct bgpd_addr	 a;

	if (strcmp(k, "id") == 0)
		p->peerid = p->groupid = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "name") == 0)
		strlcpy(p->name, v, sizeof(p->name));
	else if (strcmp(k, "remote") == 0)
		return addr_parse(v, &p->remote);
	else if (strcmp(k, "local") == 0)
		return addr_parse(v, &p->local);
	else if (strcmp(k, "port") == 0)
		p->port = (uint16_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "as") == 0)
		p->peer_as = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "las") == 0)
		p->local_as = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "rid") == 0) {
		if (addr_parse(v, &a) == -1 || a.af != AF_INET)
			return -1;
		p->router_id = a.v4.s_addr;
	} else if (strcmp(k, "hold") == 0)
		p->holdtime = (uint16_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "ka") == 0)
		p->keepalive = (uint16_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "passive") == 0)
		p->flags |= PEER_F_PASSIVE;
	else if (strcmp(k, "md5") == 0) {
		p->md5_len = (uint8_t)strnlen(v, MD5_KEY_MAX);
		memcpy(p->md5, v, p->md5_len);
	} else if (strcmp(k, "ttlsec") == 0)
		p->ttl_security = (uint8_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "gr") == 0) {
		p->flags |= PEER_F_GR;
		p->restart_time = (uint16_t)strtoul(v, NULL, 10);
	} else
		return -1;
	return 0;
}

static int
h_peer_parse(const char *spec, struct imsg_peer *p)
{
	char	*s, *tok, *v, *save = NULL;
	int	 rc = 0;

	memset(p, 0, sizeof(*p));
	p->holdtime = 90;
	p->port = BGP_PORT;
	strlcpy(p->group, "test", sizeof(p->group));
	s = strdup(spec);
	for (tok = strtok_r(s, ",", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((v = strchr(tok, '=')) != NULL)
			*v++ = '\0';
		else
			v = tok + strlen(tok);
		rc = h_peer_kv(p, tok, v);
	}
	free(s);
	if (rc == -1 || p->peerid == 0 || p->remote.af == 0)
		return -1;
	if (p->local_as != p->peer_as)
		p->flags |= PEER_F_EBGP;
	if (p->name[0] == '\0')
		snprintf(p->name, sizeof(p->name), "peer%u", p->peerid);
	return 0;
}

static struct imsg_peer *
h_peer_by_id(uint32_t id)
{
	int	 i;

	for (i = 0; i < h_npeers; i++)
		if (h_peers[i].peerid == id)
			return &h_peers[i];
	return NULL;
}

static void
h_send(struct imsgbuf *ib, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (imsg_compose(ib, type, peerid, 0, fd, data, len) == -1) {
		perror("imsg_compose");
		exit(1);
	}
	while (imsgbuf_queued(ib) > 0)
		if (imsgbuf_write(ib) == -1) {
			perror("imsgbuf_write");
			return;
		}
}

static void
h_spawn(const char *path)
{
	int	 ps[2], rs[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ps) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, rs) == -1) {
		perror("socketpair");
		exit(1);
	}
	if ((h_child = fork()) == -1) {
		perror("fork");
		exit(1);
	}
	if (h_child == 0) {
		if (dup2(ps[1], 3) == -1)
			_exit(1);
		execl(path, "sessiond", "-d", h_verbose ? "-vv" : "-d", "-u",
		    TORTIE_USER, "-r", TORTIE_CHROOT, "-g", "1", "-n", "test",
		    (char *)NULL);
		perror(path);
		_exit(1);
	}
	close(ps[1]);
	if (imsgbuf_init(&h_parent, ps[0], IMSG_MAX_PIPE) == -1 ||
	    imsgbuf_init(&h_rib, rs[0], IMSG_MAX_PIPE) == -1) {
		perror("imsgbuf_init");
		exit(1);
	}
	h_send(&h_parent, IMSG_SOCKET_RIB, 0, rs[1], NULL, 0);
}

static int
h_listen_gtsm(int fd, int af)
{
	int	 ttl = 255;

	if (af == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl));
	return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
}

static void
h_listen_on(const char *addr, uint16_t port)
{
	struct sockaddr_storage	 ss;
	struct tcp_md5sig	 md5;
	struct bgpd_addr	 a;
	socklen_t		 slen;
	int			 fd, one = 1, i;

	if (addr_parse(addr, &a) == -1 || h_nlisten == H_MAXLISTEN) {
		fprintf(stderr, "bad listen address %s\n", addr);
		exit(2);
	}
	fd = socket(a.af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a.af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	for (i = 0; i < h_npeers; i++) {
		/*
		 * GTSM: the SYN-ACK goes out with the listener's TTL, so a
		 * parent must give its listeners 255 for such peers.
		 */
		if (h_peers[i].ttl_security > 0 &&
		    h_listen_gtsm(fd, a.af) == -1)
			perror("TTL 255 on listener");
		if (h_peers[i].md5_len == 0 || h_peers[i].remote.af != a.af)
			continue;
		memset(&md5, 0, sizeof(md5));
		addr_to_sockaddr(&h_peers[i].remote, 0, &md5.tcpm_addr, &slen);
		md5.tcpm_keylen = h_peers[i].md5_len;
		memcpy(md5.tcpm_key, h_peers[i].md5, h_peers[i].md5_len);
		if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5,
		    sizeof(md5)) == -1)
			perror("TCP_MD5SIG on listener");
	}
	addr_to_sockaddr(&a, port, &ss, &slen);
	if (bind(fd, (struct sockaddr *)&ss, slen) == -1 ||
	    listen(fd, 16) == -1) {
		fprintf(stderr, "listen on %s: %s\n", addr, strerror(errno));
		exit(1);
	}
	h_listen[h_nlisten++] = fd;
}

/* What the parent does: find the peer by the remote address, pass it on. */
static void
h_accept(int lfd)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 a;
	socklen_t		 len = sizeof(ss);
	int			 fd, i;

	if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len,
	    SOCK_CLOEXEC)) == -1)
		return;
	if (addr_from_sockaddr((struct sockaddr *)&ss, &a, NULL) == 0)
		for (i = 0; i < h_npeers; i++)
			if (addr_cmp(&a, &h_peers[i].remote) == 0) {
				printf("ACCEPT %u\n", h_peers[i].peerid);
				h_send(&h_parent, IMSG_SESSION_CONN,
				    h_peers[i].peerid, fd, NULL, 0);
				return;
			}
	printf("REJECT unknown peer\n");
	close(fd);
}

static void
h_parent_msg(struct imsg *im)
{
	struct imsg_peer_state	 st;

	if (im->fd != -1)
		close(im->fd);
	switch (im->hdr.type) {
	case IMSG_CHILD_HELLO:
		printf("HELLO\n");
		return;
	case IMSG_SESSION_STATE:
		if (imsg_expect(im, sizeof(st)) == -1)
			break;
		memcpy(&st, im->data, sizeof(st));
		st.lasterr[sizeof(st.lasterr) - 1] = '\0';
		printf("STATE %u %s msgs_in=%llu msgs_out=%llu "
		    "updates_in=%llu updates_out=%llu flaps=%u code=%u/%u "
		    "err=%s\n", st.peerid,
		    st.state < FSM_STATE_MAX ? (const char *[]){ "Idle",
		    "Connect", "Active", "OpenSent", "OpenConfirm",
		    "Established" }[st.state] : "?",
		    (unsigned long long)st.msgs_in,
		    (unsigned long long)st.msgs_out,
		    (unsigned long long)st.updates_in,
		    (unsigned long long)st.updates_out, st.flaps, st.last_code,
		    st.last_subcode, st.lasterr);
		return;
	}
	printf("PARENT-MSG %s len %zu\n", imsg_type_name(im->hdr.type),
	    im->datalen);
}

static int
h_count_eor(const uint8_t *p, size_t len, size_t *nmsgs)
{
	size_t	 off, ml;
	int	 eor = 0;

	for (off = 0; off + BGP_HDR_LEN <= len; off += ml) {
		ml = (size_t)p[off + 16] << 8 | p[off + 17];
		if (ml < BGP_HDR_LEN)
			break;
		(*nmsgs)++;
		/* IPv4: empty UPDATE; IPv6: only an empty MP_UNREACH_NLRI. */
		if (ml == 23 || (ml == 29 && p[off + 23] == 0x80 &&
		    p[off + 24] == BGP_ATTR_MP_UNREACH_NLRI))
			eor++;
	}
	return eor;
}

static void
h_rib_msg(struct imsg *im)
{
	struct imsg_session_up	 up;
	struct imsg_session_down down;
	struct bgp_rrefresh	 rr;
	struct in_addr		 id;
	size_t			 n = 0;
	int			 eor;

	switch (im->hdr.type) {
	case IMSG_SESSION_UP:
		if (imsg_expect(im, sizeof(up)) == -1)
			break;
		memcpy(&up, im->data, sizeof(up));
		id.s_addr = up.remote_id;
		printf("UP %u remote_id=%s hold=%u ebgp=%u as4=%u ext=%u "
		    "rr=%u err=%u ipv4=%u ipv6=%u gr=%u\n", up.peerid,
		    inet_ntoa(id), up.sess.holdtime, up.sess.ebgp,
		    up.sess.as4, up.sess.ext_msg, up.sess.rrefresh,
		    up.sess.enhanced_rr, up.sess.af[BGP_AID_IPV4],
		    up.sess.af[BGP_AID_IPV6], up.sess.peer_caps.gr);
		if (h_eor)
			h_eor_send(up.peerid);
		return;
	case IMSG_SESSION_DOWN:
		if (imsg_expect(im, sizeof(down)) == -1)
			break;
		memcpy(&down, im->data, sizeof(down));
		printf("DOWN %u graceful=%u restart=%u\n", down.peerid,
		    down.graceful, down.restart_time);
		return;
	case IMSG_UPDATE:
		eor = h_count_eor(im->data, im->datalen, &n);
		printf("UPDATE %u msgs=%zu bytes=%zu eor=%d\n", im->hdr.peerid,
		    n, im->datalen, eor);
		return;
	case IMSG_REFRESH:
		if (imsg_expect(im, sizeof(rr)) == -1)
			break;
		memcpy(&rr, im->data, sizeof(rr));
		printf("REFRESH %u afi=%u safi=%u subtype=%u\n",
		    im->hdr.peerid, rr.afi, rr.safi, rr.subtype);
		return;
	case IMSG_XOFF:
		printf("XOFF %u\n", im->hdr.peerid);
		return;
	case IMSG_XON:
		printf("XON %u\n", im->hdr.peerid);
		return;
	}
	printf("RIB-MSG %s len %zu (bad)\n", imsg_type_name(im->hdr.type),
	    im->datalen);
}

static void
h_eor_send(uint32_t id)
{
	struct imsg_peer	*p;
	uint8_t			 msg[64];
	int			 n;

	if ((p = h_peer_by_id(id)) == NULL)
		return;
	n = bgp_eor_encode(p->remote.af == AF_INET6 ? BGP_AID_IPV6 :
	    BGP_AID_IPV4, msg, sizeof(msg));
	if (n > 0)
		h_send(&h_rib, IMSG_UPDATE, id, -1, msg, (size_t)n);
}

/*
 * Send count UPDATEs of 4023 octets, each withdrawing 800 host routes,
 * to the peer: enough output to see XOFF when the peer does not read.
 */
static void
h_flood(uint32_t id, unsigned count)
{
	static uint8_t	 buf[60 * 4023];
	uint8_t		*m;
	size_t		 len = 0;
	unsigned	 i, j;

	for (i = 0; i < count; i++) {
		m = buf + len;
		memset(m, 0xff, 16);
		m[16] = 4023 >> 8;
		m[17] = 4023 & 0xff;
		m[18] = BGP_MSG_UPDATE;
		m[19] = 4000 >> 8;
		m[20] = 4000 & 0xff;
		for (j = 0; j < 800; j++) {
			m[21 + 5 * j] = 32;
			m[22 + 5 * j] = 198;
			m[23 + 5 * j] = 19;
			m[24 + 5 * j] = (uint8_t)(j >> 8);
			m[25 + 5 * j] = (uint8_t)j;
		}
		m[4021] = m[4022] = 0;
		len += 4023;
		if (len + 4023 > sizeof(buf) || i + 1 == count) {
			h_send(&h_rib, IMSG_UPDATE, id, -1, buf, len);
			len = 0;
		}
	}
	printf("FLOODED %u %u\n", id, count);
}

static void
h_command(char *line)
{
	struct imsg_peer	 p;
	struct imsg_notify	 n;
	struct bgp_rrefresh	 rr;
	uint32_t		 id;
	unsigned		 code, sub;

	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, "add ", 4) == 0) {
		if (h_peer_parse(line + 4, &p) == -1) {
			printf("CMD-ERROR %s\n", line);
			return;
		}
		if (h_peer_by_id(p.peerid) != NULL)
			*h_peer_by_id(p.peerid) = p;
		else if (h_npeers < H_MAXPEERS)
			h_peers[h_npeers++] = p;
		h_send(&h_parent, IMSG_PEER_ADD, p.peerid, -1, &p, sizeof(p));
	} else if (sscanf(line, "del %u", &id) == 1)
		h_send(&h_parent, IMSG_PEER_DEL, id, -1, NULL, 0);
	else if (sscanf(line, "flood %u %u", &id, &code) == 2)
		h_flood(id, code);
	else if (sscanf(line, "eor %u", &id) == 1)
		h_eor_send(id);
	else if (sscanf(line, "notify %u %u %u", &id, &code, &sub) == 3) {
		memset(&n, 0, sizeof(n));
		n.code = (uint8_t)code;
		n.subcode = (uint8_t)sub;
		h_send(&h_rib, IMSG_NOTIFY, id, -1, &n, sizeof(n));
	} else if (sscanf(line, "refresh %u", &id) == 1) {
		memset(&rr, 0, sizeof(rr));
		rr.aid = h_peer_by_id(id) != NULL && h_peer_by_id(id)->remote.af
		    == AF_INET6 ? BGP_AID_IPV6 : BGP_AID_IPV4;
		h_send(&h_rib, IMSG_REFRESH, id, -1, &rr, sizeof(rr));
	} else if (strcmp(line, "shutdown") == 0)
		h_send(&h_parent, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	else if (line[0] != '\0')
		printf("CMD-ERROR %s\n", line);
}

/* Read and print; 0 when the pipe closed. */
static int
h_read(struct imsgbuf *ib, void (*fn)(struct imsg *))
{
	struct imsg	 im;
	ssize_t		 n;
	int		 r;

	n = imsg_read(ib);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		return 0;
	while ((r = imsg_get(ib, &im)) > 0)
		fn(&im);
	return r == -1 ? 0 : 1;
}

static void
h_cmd_read(int fd)
{
	static char	 buf[4096];
	static size_t	 len;
	char		*nl;
	ssize_t		 n;

	n = read(fd, buf + len, sizeof(buf) - 1 - len);
	if (n <= 0)
		return;
	len += (size_t)n;
	buf[len] = '\0';
	while ((nl = strchr(buf, '\n')) != NULL) {
		*nl = '\0';
		h_command(buf);
		memmove(buf, nl + 1, len - (size_t)(nl + 1 - buf) + 1);
		len -= (size_t)(nl + 1 - buf);
	}
	if (len == sizeof(buf) - 1)
		len = 0;
}

static int
h_wait_child(int secs)
{
	int	 st, i;

	for (i = 0; i < secs * 10; i++) {
		if (waitpid(h_child, &st, WNOHANG) == h_child)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 +
			    WTERMSIG(st);
		usleep(100000);
	}
	kill(h_child, SIGKILL);
	waitpid(h_child, &st, 0);
	return -1;
}

int
main(int argc, char *argv[])
{
	struct pollfd	 pfd[3 + H_MAXLISTEN];
	const char	*bin = "sessiond/sessiond", *cmd = NULL;
	const char	*listen_addrs[H_MAXLISTEN];
	time_t		 end;
	uint16_t	 port = BGP_PORT;
	int		 ch, i, nl = 0, cfd = -1, secs = 60, alive = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt(argc, argv, "b:c:El:P:t:v")) != -1) {
		switch (ch) {
		case 'b':
			bin = optarg;
			break;
		case 'c':
			cmd = optarg;
			break;
		case 'E':
			h_eor = 1;
			break;
		case 'l':
			if (nl == H_MAXLISTEN)
				h_usage();
			listen_addrs[nl++] = optarg;
			break;
		case 'P':
			port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'v':
			h_verbose = 1;
			break;
		default:
			h_usage();
		}
	}
	for (i = optind; i < argc; i++) {
		if (h_npeers == H_MAXPEERS ||
		    h_peer_parse(argv[i], &h_peers[h_npeers]) == -1) {
			fprintf(stderr, "bad peer: %s\n", argv[i]);
			return 2;
		}
		h_npeers++;
	}
	for (i = 0; i < nl; i++)
		h_listen_on(listen_addrs[i], port);
	if (cmd != NULL && (cfd = open(cmd, O_RDWR | O_NONBLOCK)) == -1) {
		perror(cmd);
		return 1;
	}
	h_spawn(bin);
	for (i = 0; i < h_npeers; i++)
		h_send(&h_parent, IMSG_PEER_ADD, h_peers[i].peerid, -1,
		    &h_peers[i], sizeof(h_peers[i]));
	end = time(NULL) + secs;
	while (alive && time(NULL) < end) {
		pfd[0].fd = h_parent.fd;
		pfd[1].fd = h_rib.fd;
		pfd[2].fd = cfd;
		for (i = 0; i < h_nlisten; i++)
			pfd[3 + i].fd = h_listen[i];
		for (i = 0; i < 3 + h_nlisten; i++)
			pfd[i].events = POLLIN;
		if (poll(pfd, 3 + h_nlisten, 200) == -1 && errno != EINTR)
			break;
		if ((pfd[0].revents & (POLLIN | POLLHUP)) &&
		    !h_read(&h_parent, h_parent_msg))
			alive = 0;
		if ((pfd[1].revents & (POLLIN | POLLHUP)) &&
		    !h_read(&h_rib, h_rib_msg))
			alive = 0;
		if (pfd[2].revents & POLLIN)
			h_cmd_read(cfd);
		for (i = 0; i < h_nlisten; i++)
			if (pfd[3 + i].revents & POLLIN)
				h_accept(h_listen[i]);
	}
	if (alive)
		h_send(&h_parent, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	/* Drain what sessiond says while it stops. */
	for (i = 0; alive && i < 20; i++) {
		pfd[0].fd = h_parent.fd;
		pfd[1].fd = h_rib.fd;
		pfd[0].events = pfd[1].events = POLLIN;
		if (poll(pfd, 2, 100) > 0) {
			if ((pfd[0].revents & (POLLIN | POLLHUP)) &&
			    !h_read(&h_parent, h_parent_msg))
				break;
			if ((pfd[1].revents & (POLLIN | POLLHUP)) &&
			    !h_read(&h_rib, h_rib_msg))
				break;
		}
	}
	printf("EXIT %d\n", h_wait_child(3));
	return 0;
}
