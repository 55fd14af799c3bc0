/*
 * Linux side of the platform seam (platform.h).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

/* Linux answers with SO_PEERCRED; the BSDs have getpeereid() instead. */
int
plat_peer_cred(int fd, uid_t *uid, gid_t *gid)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return -1;
	if (len != sizeof(cred)) {
		errno = EPROTO;
		return -1;
	}
	*uid = cred.uid;
	*gid = cred.gid;
	return 0;
}

/*
 * Linux keeps one key per remote address on the socket itself; the BSDs
 * keep them in the IPsec security association database instead.
 */
int
plat_tcp_md5(int fd, const struct bgpd_addr *remote, const char *key,
    size_t len)
{
	struct tcp_md5sig	 md5;
	socklen_t		 slen;

	if (len > TCP_MD5SIG_MAXKEYLEN || (len > 0 && key == NULL)) {
		errno = EINVAL;
		return -1;
	}
	memset(&md5, 0, sizeof(md5));
	addr_to_sockaddr(remote, 0, &md5.tcpm_addr, &slen);
	md5.tcpm_keylen = (uint16_t)len;
	if (len > 0)
		memcpy(md5.tcpm_key, key, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

/* IP_FREEBIND is an IPv4 level option that covers IPv6 sockets too. */
int
plat_freebind(int fd, int af)
{
	int	 on = 1;

	(void)af;
	return setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
}

/*
 * The title lives where argv's strings were: Linux shows a process's
 * command line from that memory.  libbsd's setproctitle() leaves a "."
 * and padding after the title (it marks the original end of argv so that
 * the kernel reads on), so the title is written here instead, within
 * argv's own room, with NULs after it; the arguments themselves are
 * copied away first.
 */
static char	*plat_title;
static size_t	 plat_title_room;

void
plat_proctitle_init(int argc, char **argv)
{
	char	*end;
	int	 i;

	if (argc < 1 || argv[0] == NULL)
		return;
	end = argv[0] + strlen(argv[0]) + 1;
	for (i = 1; i < argc && argv[i] == end; i++)
		end = argv[i] + strlen(argv[i]) + 1;
	plat_title = argv[0];
	plat_title_room = (size_t)(end - argv[0]);
	/* The arguments move to the heap, where getopt() finds them. */
	for (i = 0; i < argc; i++)
		if (argv[i] != NULL)
			argv[i] = xstrdup(argv[i]);
}

void
plat_setproctitle(const char *fmt, ...)
{
	va_list	 ap;

	if (plat_title == NULL || plat_title_room < 2)
		return;
	memset(plat_title, 0, plat_title_room);
	va_start(ap, fmt);
	(void)vsnprintf(plat_title, plat_title_room, fmt, ap);
	va_end(ap);
}

int
plat_min_ttl(int fd, int af, int min)
{
	if (af == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min,
		    sizeof(min));
	return setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof(min));
}

int
plat_syn_save(int fd)
{
	int	 on = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_SAVE_SYN, &on, sizeof(on));
}

/*
 * TCP_SAVED_SYN hands out the SYN's network and TCP headers once, and
 * nothing (length 0) when none was kept.
 */
int
plat_syn_ttl(int fd)
{
	uint8_t		 hdr[256];
	socklen_t	 len = sizeof(hdr);

	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, hdr, &len) == -1)
		return -1;
	if (len >= 20 && hdr[0] >> 4 == 4)
		return hdr[8];
	if (len >= 40 && hdr[0] >> 4 == 6)
		return hdr[7];
	return -1;
}
