/*
 * Small utilities shared by every process: addresses, time, strings.
 */
#ifndef TORTIE_UTIL_H
#define TORTIE_UTIL_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TORTIE_AF_NONE	0

/* A pointer-free address, usable in imsg payloads. */
struct bgpd_addr {
	uint8_t		 af;		/* AF_INET, AF_INET6 or 0 */
	uint8_t		 pad[3];
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
		uint8_t		 bytes[16];
	};
};
_Static_assert(sizeof(struct bgpd_addr) == 20, "bgpd_addr size");

#define ADDRSTRLEN	46

/* util.c */
int		 addr_parse(const char *, struct bgpd_addr *);
int		 prefix_parse(const char *, struct bgpd_addr *, int *);
int		 addr_port_parse(const char *, struct bgpd_addr *, uint16_t *);
const char	*addr_ntop(const struct bgpd_addr *, char *, size_t);
int		 addr_cmp(const struct bgpd_addr *, const struct bgpd_addr *);
int		 addr_is_unspec(const struct bgpd_addr *);
void		 addr_to_sockaddr(const struct bgpd_addr *, uint16_t,
		    struct sockaddr_storage *, socklen_t *);
int		 addr_from_sockaddr(const struct sockaddr *, struct bgpd_addr *,
		    uint16_t *);
void		 addr_mask(struct bgpd_addr *, int);
int		 sock_ttl(int, int, int);
int		 addr_in_prefix(const struct bgpd_addr *,
		    const struct bgpd_addr *, int);
uint64_t	 mono_ms(void);
time_t		 mono_sec(void);
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
int		 xasprintf(char **, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

#endif
