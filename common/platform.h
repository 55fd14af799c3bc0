/*
 * The platform seam: the few operating system facilities that POSIX does
 * not name and every kernel spells differently.  Portable code calls
 * these; each is implemented in platform_<os>.c (only platform_linux.c so
 * far), which the Makefile picks by uname.  Those that return int return
 * 0 on success and -1 with errno set on failure, so that a caller can log
 * it as usual.  doc/design.md ("The platform seam") lists what stays in
 * portable code and why.
 */
#ifndef TORTIE_PLATFORM_H
#define TORTIE_PLATFORM_H

#include <sys/types.h>

#include <stddef.h>

struct bgpd_addr;

/*
 * The effective user and group of the process at the other end of a
 * connected AF_UNIX stream socket.
 */
int	plat_peer_cred(int, uid_t *, gid_t *);

/*
 * Sign the TCP segments to and from an address with an RFC 2385 key of
 * len octets (at most MD5_KEY_MAX); len 0 removes the key.  On a
 * listening socket the kernel then checks the signature before accept(2);
 * a dialling socket needs it before connect(2).
 */
int	plat_tcp_md5(int, const struct bgpd_addr *, const char *, size_t);

/*
 * Let a socket of family af bind to an address that is not (yet) the
 * host's.
 */
int	plat_freebind(int, int);

/*
 * Generalized TTL security (RFC 5082): drop the segments of a connected
 * socket of family af that arrive with fewer than min hops left.
 */
int	plat_min_ttl(int, int, int);

/*
 * Keep the header of each connection's SYN on a listening socket, so
 * that plat_syn_ttl() can tell how many hops the connection's first
 * segment had left: the minimum TTL set after accept(2) cannot.
 */
int	plat_syn_save(int);

/*
 * The TTL (hop limit) of the SYN that opened an accepted connection, or
 * -1 when the kernel kept none (the listener did not ask, or the
 * connection came through a SYN cookie).  Once per connection.
 */
int	plat_syn_ttl(int);

/*
 * The process title that ps(1) shows: plat_proctitle_init() first thing
 * in main() (it may move argv's strings elsewhere: use argv only after
 * it), then plat_setproctitle() at will.  The title is the whole of it,
 * no program name in front.
 */
void	plat_proctitle_init(int, char **);
void	plat_setproctitle(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

#endif
