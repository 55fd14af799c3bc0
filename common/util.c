/*
 * Address parsing and printing, monotonic time, checked allocation.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "util.h"

int
addr_parse(const char *s, struct bgpd_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	return -1;
}

/* "a.b.c.d/len" or "x::y/len"; the length is required. */
int
prefix_parse(const char *s, struct bgpd_addr *a, int *plen)
{
	char		 buf[64];
	const char	*slash;
	char		*end;
	long		 l;
	size_t		 n;

	if ((slash = strchr(s, '/')) == NULL)
		return -1;
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (addr_parse(buf, a) == -1)
		return -1;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	l = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || l < 0 ||
	    l > (a->af == AF_INET ? 32 : 128) ||
	    (slash[1] == '0' && slash[2] != '\0'))
		return -1;
	*plen = (int)l;
	return 0;
}

/* "a.b.c.d:port" or "[v6]:port", port 1-65535. */
int
addr_port_parse(const char *s, struct bgpd_addr *a, uint16_t *port)
{
	char		 host[ADDRSTRLEN + 2];
	const char	*colon, *h;
	char		*end;
	size_t		 n;
	long		 l;

	if (s == NULL || (colon = strrchr(s, ':')) == NULL)
		return -1;
	h = s;
	n = (size_t)(colon - s);
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return -1;
		h = s + 1;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (addr_parse(host, a) == -1 || (s[0] == '[') != (a->af == AF_INET6))
		return -1;
	if (colon[1] < '1' || colon[1] > '9')
		return -1;
	errno = 0;
	l = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || l < 1 || l > 65535)
		return -1;
	*port = (uint16_t)l;
	return 0;
}

const char *
addr_ntop(const struct bgpd_addr *a, char *buf, size_t len)
{
	if (a->af != AF_INET && a->af != AF_INET6) {
		snprintf(buf, len, "none");
		return buf;
	}
	if (inet_ntop(a->af, a->bytes, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
addr_cmp(const struct bgpd_addr *a, const struct bgpd_addr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if (a->af == AF_INET)
		return memcmp(&a->v4, &b->v4, 4);
	if (a->af == AF_INET6)
		return memcmp(&a->v6, &b->v6, 16);
	return 0;
}

int
addr_is_unspec(const struct bgpd_addr *a)
{
	return a->af != AF_INET && a->af != AF_INET6;
}

void
addr_to_sockaddr(const struct bgpd_addr *a, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->v6;
		*len = sizeof(*sin6);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->v4;
		*len = sizeof(*sin);
	}
}

int
addr_from_sockaddr(const struct sockaddr *sa, struct bgpd_addr *a,
    uint16_t *port)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	memset(a, 0, sizeof(*a));
	switch (sa->sa_family) {
	case AF_INET:
		a->af = AF_INET;
		a->v4 = sin->sin_addr;
		if (port)
			*port = ntohs(sin->sin_port);
		return 0;
	case AF_INET6:
		/* A v4-mapped peer on a dual-stack socket is an IPv4 peer. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a->af = AF_INET;
			memcpy(&a->v4, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			a->af = AF_INET6;
			a->v6 = sin6->sin6_addr;
		}
		if (port)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -1;
}

void
addr_mask(struct bgpd_addr *a, int plen)
{
	int	 max = a->af == AF_INET ? 32 : 128;
	int	 i;

	for (i = plen; i < max; i++)
		a->bytes[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

int
addr_in_prefix(const struct bgpd_addr *a, const struct bgpd_addr *pfx,
    int plen)
{
	int	 i;

	if (a->af != pfx->af)
		return 0;
	for (i = 0; i < plen / 8; i++)
		if (a->bytes[i] != pfx->bytes[i])
			return 0;
	if (plen % 8) {
		uint8_t	 m = (uint8_t)(0xff << (8 - plen % 8));

		if ((a->bytes[i] & m) != (pfx->bytes[i] & m))
			return 0;
	}
	return 1;
}

uint64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

time_t
mono_sec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("malloc");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		fatal("calloc");
	return p;
}

void *
xreallocarray(void *o, size_t n, size_t sz)
{
	void	*p;

	if ((p = reallocarray(o, n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		fatal("reallocarray");
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatal("asprintf");
	return n;
}

/* The TTL (hop limit) of what a socket of family af sends. */
int
sock_ttl(int fd, int af, int ttl)
{
	if (af == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl));
	return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
}
