/*
 * kroute's kernel backend: the portable interface to the kernel's routing
 * table (rtnetlink on Linux, in kr_linux.c).
 *
 * Route changes are queued with kr_add()/kr_del() and sent in large
 * batches.  kr_flush() sends from a libevent loop without blocking: the
 * answers are read by kr_dispatch() when kr_fd() is readable, and each
 * change the kernel refused is reported through the route_error callback
 * with its prefix.  kr_flush_sync() does the same and waits, for tests and
 * start-up.  Routes are tagged with the handle's protocol number so that
 * kr_fetch() finds exactly ours after a restart, and kr_del() never touches
 * a route somebody else installed.  kr_add() replaces a route of the same
 * prefix, table and priority whatever its protocol, as BIRD does: give
 * our routes a priority nobody else uses where that matters.
 *
 * Interfaces: call kr_subscribe() before kr_if_fetch(), so that no change
 * falls between the dump and the events.  Callbacks may queue changes but
 * must not call kr_dispatch() or kr_flush_sync(); route_error and idle
 * must not fetch either (kr_*() answer EBUSY).
 */
#ifndef TORTIE_KR_H
#define TORTIE_KR_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* struct kroute flags */
#define KR_F_BLACKHOLE	0x0001	/* discard: the node's own blocks */
#define KR_F_ONLINK	0x0002	/* gateway is on the link (tunl0) */

/*
 * One route, pointer-free so that it can travel in an imsg.  An
 * unspecified nexthop (af 0) and ifindex 0 make a route through the
 * interface alone impossible: a unicast route needs a nexthop, an ifindex
 * or both; ifindex 0 lets the kernel find the interface of the nexthop.
 * Priority 0 is the kernel's default metric (1024 for IPv6).
 */
struct kroute {
	struct bgpd_addr	 prefix;
	struct bgpd_addr	 nexthop;
	uint32_t		 ifindex;
	uint32_t		 priority;
	uint16_t		 flags;
	uint8_t			 prefixlen;
	uint8_t			 pad;
};
_Static_assert(sizeof(struct kroute) == 52, "kroute size");

/* struct kr_ifinfo flags */
#define KR_IF_UP	0x0001	/* administratively up */
#define KR_IF_RUNNING	0x0002	/* operationally up (carrier) */
#define KR_IF_LOOPBACK	0x0004

#define KR_IFNAMSIZ	16

struct kr_ifinfo {
	uint32_t		 ifindex;
	uint32_t		 flags;
	uint32_t		 mtu;
	char			 name[KR_IFNAMSIZ];
};
_Static_assert(sizeof(struct kr_ifinfo) == 28, "kr_ifinfo size");

/* struct kr_ifaddr flags */
#define KR_IFA_TENTATIVE	0x0001	/* IPv6 duplicate address detection */

struct kr_ifaddr {
	uint32_t		 ifindex;
	struct bgpd_addr	 addr;
	uint8_t			 prefixlen;
	uint8_t			 pad;
	uint16_t		 flags;
};
_Static_assert(sizeof(struct kr_ifaddr) == 28, "kr_ifaddr size");

enum kr_event_type {
	KR_EV_IF_NEW = 1,	/* new interface or changed flags, mtu, name */
	KR_EV_IF_DEL,
	KR_EV_ADDR_NEW,
	KR_EV_ADDR_DEL,
	KR_EV_RESYNC,		/* events were lost: call kr_if_fetch() */
};

struct kr_event {
	uint32_t		 type;	/* enum kr_event_type */
	union {
		struct kr_ifinfo ifi;	/* KR_EV_IF_* */
		struct kr_ifaddr ifa;	/* KR_EV_ADDR_* */
	};
};
_Static_assert(sizeof(struct kr_event) == 32, "kr_event size");

/* Room kr_msg_build() needs, on every platform. */
#define KR_MSG_SIZE	256

enum kr_op {
	KR_OP_NONE = 0,
	KR_OP_ADD,
	KR_OP_DEL,
};

/*
 * Callbacks from kr_dispatch() and kr_flush_sync().  route_error gets the
 * refused route (NULL when the kernel's answers were lost and the caller
 * must reconcile with kr_fetch()), the errno value and the kernel's own
 * explanation or NULL.  idle is called when every queued change has been
 * answered.  Any of them may be NULL.
 */
struct kr_callbacks {
	void	(*route_error)(const struct kroute *, enum kr_op, int,
		    const char *, void *);
	void	(*event)(const struct kr_event *, void *);
	void	(*idle)(void *);
	void	*arg;
};

struct kr_handle;

/* kr_linux.c */
int		 kr_open(struct kr_handle **, uint32_t, uint8_t);
void		 kr_close(struct kr_handle *);
void		 kr_set_callbacks(struct kr_handle *,
		    const struct kr_callbacks *);
int		 kr_add(struct kr_handle *, const struct kroute *);
int		 kr_del(struct kr_handle *, const struct kroute *);
size_t		 kr_pending(const struct kr_handle *);
int		 kr_flush(struct kr_handle *);
int		 kr_flush_sync(struct kr_handle *);
int		 kr_fd(const struct kr_handle *);
int		 kr_dispatch(struct kr_handle *);
int		 kr_fetch(struct kr_handle *,
		    void (*)(const struct kroute *, void *), void *);
int		 kr_if_fetch(struct kr_handle *,
		    void (*)(const struct kr_event *, void *), void *);
int		 kr_subscribe(struct kr_handle *);
ssize_t		 kr_msg_build(void *, size_t, enum kr_op, uint32_t, uint8_t,
		    const struct kroute *);
int		 kr_msg_parse(const void *, size_t, struct kroute *,
		    uint32_t *, uint8_t *);

#endif
