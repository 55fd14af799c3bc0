/*
 * The Linux side of the platform seam (common/platform_linux.c) against
 * the real kernel: peer credentials of a socket pair, TCP-MD5 keys that
 * really decide whether a connection on the loopback comes up, key
 * length limits, binding to an address the host does not have, and the
 * TTL of an accepted connection's SYN (GTSM).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "platform.h"
#include "tortie.h"
#include "util.h"

#define KEY		"tortie-md5-key"
#define CONNECT_MS	500

static void
test_peer_cred(void **state)
{
	uid_t	 uid = (uid_t)-1;
	gid_t	 gid = (gid_t)-1;
	int	 sp[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	assert_int_equal(plat_peer_cred(sp[0], &uid, &gid), 0);
	assert_int_equal(uid, geteuid());
	assert_int_equal(gid, getegid());
	close(sp[0]);
	close(sp[1]);
}

static void
test_peer_cred_not_socket(void **state)
{
	uid_t	 uid;
	gid_t	 gid;
	int	 p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(plat_peer_cred(p[0], &uid, &gid), -1);
	assert_int_equal(errno, ENOTSOCK);
	close(p[0]);
	close(p[1]);
}

static void
test_md5_limits(void **state)
{
	struct bgpd_addr	 a;
	char			 key[MD5_KEY_MAX + 1];
	int			 fd;

	(void)state;
	memset(key, 'k', sizeof(key));
	assert_int_equal(addr_parse("127.0.0.1", &a), 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(plat_tcp_md5(fd, &a, key, sizeof(key)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(plat_tcp_md5(fd, &a, NULL, 4), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(plat_tcp_md5(fd, &a, key, MD5_KEY_MAX), 0);
	/* Removing a key that is set works once; the second time: ENOENT. */
	assert_int_equal(plat_tcp_md5(fd, &a, NULL, 0), 0);
	assert_int_equal(plat_tcp_md5(fd, &a, NULL, 0), -1);
	assert_int_equal(errno, ENOENT);
	close(fd);
}

/* Listen on the loopback of af with key (or none); returns the port. */
static int
md5_listener(int af, const char *key, uint16_t *port)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 lo;
	socklen_t		 slen;
	int			 fd;

	assert_int_equal(addr_parse(af == AF_INET ? "127.0.0.1" : "::1", &lo),
	    0);
	addr_to_sockaddr(&lo, 0, &ss, &slen);
	fd = socket(af, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	if (key != NULL)
		assert_int_equal(plat_tcp_md5(fd, &lo, key, strlen(key)), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, slen), 0);
	assert_int_equal(listen(fd, 4), 0);
	slen = sizeof(ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &slen), 0);
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&ss, &lo,
	    port), 0);
	return fd;
}

/* Whether a connection with key (or none) to port comes up in time. */
static int
md5_connects(int af, const char *key, uint16_t port)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 lo;
	struct pollfd		 pfd;
	socklen_t		 slen;
	int			 fd, err = 0, up;

	assert_int_equal(addr_parse(af == AF_INET ? "127.0.0.1" : "::1", &lo),
	    0);
	addr_to_sockaddr(&lo, port, &ss, &slen);
	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	if (key != NULL)
		assert_int_equal(plat_tcp_md5(fd, &lo, key, strlen(key)), 0);
	if (connect(fd, (struct sockaddr *)&ss, slen) == 0) {
		close(fd);
		return 1;
	}
	assert_int_equal(errno, EINPROGRESS);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	up = 0;
	if (poll(&pfd, 1, CONNECT_MS) == 1) {
		slen = sizeof(err);
		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
		    &slen), 0);
		up = err == 0;
	}
	close(fd);
	return up;
}

/*
 * The key is really applied: the kernel drops the unsigned or wrongly
 * signed SYN, and lets the rightly signed one through.
 */
static void
md5_family(int af)
{
	uint16_t	 port;
	int		 lfd;

	lfd = md5_listener(af, KEY, &port);
	assert_false(md5_connects(af, NULL, port));
	assert_false(md5_connects(af, "another-key", port));
	assert_true(md5_connects(af, KEY, port));
	close(lfd);
	lfd = md5_listener(af, NULL, &port);
	assert_true(md5_connects(af, NULL, port));
	close(lfd);
}

static void
test_md5_v4(void **state)
{
	(void)state;
	md5_family(AF_INET);
}

static void
test_md5_v6(void **state)
{
	int	 fd;

	(void)state;
	/* Some test machines have no IPv6 loopback. */
	if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		skip();
	close(fd);
	md5_family(AF_INET6);
}

/* An address of TEST-NET-1, which no test machine has. */
static void
test_freebind(void **state)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 a;
	socklen_t		 slen;
	int			 fd, on = 0;

	(void)state;
	assert_int_equal(addr_parse("192.0.2.77", &a), 0);
	addr_to_sockaddr(&a, 0, &ss, &slen);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, slen), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(plat_freebind(fd, AF_INET), 0);
	slen = sizeof(on);
	assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, &slen),
	    0);
	assert_int_equal(on, 1);
	addr_to_sockaddr(&a, 0, &ss, &slen);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, slen), 0);
	close(fd);
}

/*
 * GTSM: the TTL of an accepted connection's SYN is what the client sent
 * with (the loopback does not count a hop), once; the minimum TTL takes.
 */
static void
syn_ttl_family(int af)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 lo;
	socklen_t		 slen;
	uint16_t		 port;
	int			 lfd, cfd, afd, ttl = 77;

	lfd = md5_listener(af, NULL, &port);
	assert_int_equal(plat_syn_save(lfd), 0);
	assert_int_equal(addr_parse(af == AF_INET ? "127.0.0.1" : "::1", &lo),
	    0);
	addr_to_sockaddr(&lo, port, &ss, &slen);
	cfd = socket(af, SOCK_STREAM, 0);
	assert_true(cfd >= 0);
	if (af == AF_INET6)
		assert_int_equal(setsockopt(cfd, IPPROTO_IPV6,
		    IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)), 0);
	else
		assert_int_equal(setsockopt(cfd, IPPROTO_IP, IP_TTL, &ttl,
		    sizeof(ttl)), 0);
	assert_int_equal(connect(cfd, (struct sockaddr *)&ss, slen), 0);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	assert_int_equal(plat_syn_ttl(afd), 77);
	assert_int_equal(plat_syn_ttl(afd), -1);
	assert_int_equal(plat_min_ttl(afd, af, 255), 0);
	assert_int_equal(plat_syn_ttl(cfd), -1);
	close(afd);
	close(cfd);
	close(lfd);
}

static void
test_syn_ttl_v4(void **state)
{
	(void)state;
	syn_ttl_family(AF_INET);
}

static void
test_syn_ttl_v6(void **state)
{
	(void)state;
	syn_ttl_family(AF_INET6);
}

/*
 * The title is what /proc/self/cmdline shows, NULs after it, no "." or
 * padding; a title longer than argv's room is cut, never overflows.
 */
/* Where argv[0] was, and whether /proc/self/cmdline shows that memory. */
static char	*title_room;
static int	 title_in_proc;

static ssize_t
read_cmdline(char *buf, size_t len)
{
	ssize_t	 n;
	int	 fd;

	fd = open("/proc/self/cmdline", O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, len);
	close(fd);
	assert_true(n > 0 && (size_t)n < len);
	return n;
}

static void
test_proctitle(void **state)
{
	char	 buf[4096], longt[8192];
	ssize_t	 n;
	size_t	 i;

	(void)state;
	plat_setproctitle("test: %s %d", "platform", 7);
	assert_string_equal(title_room, "test: platform 7");
	/* Under valgrind the kernel shows valgrind's own command line. */
	if (title_in_proc) {
		n = read_cmdline(buf, sizeof(buf));
		assert_true(n > (ssize_t)strlen("test: platform 7"));
		assert_string_equal(buf, "test: platform 7");
		for (i = strlen(buf); i < (size_t)n; i++)
			assert_int_equal(buf[i], '\0');
	}
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	plat_setproctitle("%s", longt);
	assert_true(strlen(title_room) < sizeof(longt) - 1);
	if (title_in_proc) {
		n = read_cmdline(buf, sizeof(buf));
		assert_int_equal(buf[n - 1], '\0');
		assert_int_equal(strlen(buf), (size_t)n - 1);
	}
}

int
main(int argc, char *argv[])
{
	const char	*preload;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_cred),
		cmocka_unit_test(test_peer_cred_not_socket),
		cmocka_unit_test(test_md5_limits),
		cmocka_unit_test(test_md5_v4),
		cmocka_unit_test(test_md5_v6),
		cmocka_unit_test(test_freebind),
		cmocka_unit_test(test_syn_ttl_v4),
		cmocka_unit_test(test_syn_ttl_v6),
		cmocka_unit_test(test_proctitle),
	};

	title_room = argv[0];
	/* valgrind answers /proc/self/cmdline itself, from its copy. */
	title_in_proc = (preload = getenv("LD_PRELOAD")) == NULL ||
	    strstr(preload, "vgpreload") == NULL;
	plat_proctitle_init(argc, argv);
	log_init(1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
