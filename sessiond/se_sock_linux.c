/*
 * Socket options of BGP connections on Linux: TCP-MD5 signatures
 * (RFC 2385), the generalized TTL security mechanism (RFC 5082) and the
 * traffic class of routing protocol traffic.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/ip.h>

#include "platform.h"
#include "se.h"

/*
 * Sign the segments to and from remote with key (len octets; len 0
 * removes a key).  A dialled socket needs it before connect().  The
 * parent's listening sockets use the same call (platform.h).
 */
int
se_sock_md5(int fd, const struct bgpd_addr *remote, const char *key,
    size_t len)
{
	return plat_tcp_md5(fd, remote, key, len);
}

/*
 * Without GTSM every session sends with SE_TTL_DEFAULT hops: sessions
 * between nodes need not be on one link (Calico renders "multihop" for
 * its peers).  With GTSM (hops > 0) we send with GTSM_TTL and accept only
 * segments that arrive with at least GTSM_MIN_TTL(hops) left.
 */
int
se_sock_ttl(int fd, int af, uint8_t hops)
{
	if (sock_ttl(fd, af, hops > 0 ? GTSM_TTL : SE_TTL_DEFAULT) == -1)
		return -1;
	return hops > 0 ? plat_min_ttl(fd, af, GTSM_MIN_TTL(hops)) : 0;
}

/* Mark the traffic as network control (CS6), as routers do; best effort. */
void
se_sock_tos(int fd, int af)
{
	int	 tos = IPTOS_PREC_INTERNETCONTROL;

	if (af == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos,
		    sizeof(tos));
	else
		(void)setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
}
