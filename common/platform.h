/*
 * The platform seam: the few operating system facilities that POSIX does
 * not name and every kernel spells differently.  Portable code calls
 * these; each is implemented in platform_<os>.c (only platform_linux.c so
 * far), which the Makefile picks by uname.  Each returns 0 on success and
 * -1 with errno set on failure, so that a caller can log it as usual.
 */
#ifndef TORTIE_PLATFORM_H
#define TORTIE_PLATFORM_H

#include <sys/types.h>

/* The effective user and group of the process at the other end of a
 * connected AF_UNIX stream socket. */
int	plat_peer_cred(int, uid_t *, gid_t *);

#endif
