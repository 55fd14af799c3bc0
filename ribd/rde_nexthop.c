/*
 * Next-hop reachability from kroute's view of interfaces and addresses
 * (IMSG_IFINFO, IMSG_IFADDR, IMSG_IFDUMP_END).
 *
 * The view: every interface (index, name, up and running) and every
 * address with its prefix length, which names a connected network.
 * IPv6 link-local addresses are left out: every interface has one, and a
 * link-local next hop names its interface by the session, not by a
 * network (such next hops are taken as connected).
 *
 * The next-hop table: one entry per distinct BGP next hop that a path
 * refers to, with its state:
 *
 *  UNKNOWN	no complete view yet (before kroute's first dump, or with
 *		no kroute at all: kernel.install false, unit tests);
 *		reachable, so that a start-up marks nothing dead;
 *  CONNECTED	on a connected network of an up and running interface
 *		(the most specific one names the route's interface);
 *  DOWN	inside connected networks whose interfaces are all down:
 *		the kernel dropped the network with its interface;
 *  REMOTE	on no connected network: resolved through routes that
 *		tortie does not see (kroute sends no kernel routes yet).
 *
 * A path is eligible for the decision process unless its next hop is
 * DOWN, or REMOTE while it came from a single-hop eBGP neighbour (one
 * whose own address is on a connected network, or GTSM with one hop):
 * as in OpenBGPD and BIRD, such a neighbour's next hops must be
 * directly connected.  iBGP and multihop next hops off every connected
 * network stay eligible, as BIRD's recursive gateways do through a
 * default route; tortie cannot check more without a route view.
 *
 * Each entry keeps the prefixes that have a path through it, as an array
 * of prefix indexes that may hold duplicates and prefixes that no longer
 * use it (a withdrawal does not search the array): such entries only
 * cost a useless re-evaluation, and the array is compacted (sorted,
 * deduplicated, checked) whenever it grows past twice the paths that
 * use the next hop.  An interface event re-resolves the next hops inside
 * the networks it touched (a scan of the table of next hops, which holds
 * one entry per neighbour or node, not per prefix) and re-evaluates the
 * prefixes of the next hops whose state changed: O(next hops x
 * addresses) plus O(dependent prefixes x their paths), never a walk of
 * the whole prefix table.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/tree.h>

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

#define RDE_NH_UNKNOWN		0
#define RDE_NH_CONNECTED	1
#define RDE_NH_DOWN		2
#define RDE_NH_REMOTE		3

/* At most this many interfaces and as many addresses in the view. */
#define RDE_NH_VIEW_MAX		65536
/* Dependents beyond twice the paths before a compaction. */
#define RDE_NH_DEPS_SLACK	64

struct rde_if {
	uint32_t	 ifindex;
	uint32_t	 flags;		/* KR_IF_* */
	uint32_t	 gen;
	char		 name[KR_IFNAMSIZ];
};

struct rde_ifa {
	struct bgpd_addr addr;
	uint32_t	 ifindex;
	uint32_t	 gen;
	uint8_t		 plen;
	uint8_t		 up;		/* its interface is up and running */
};

struct rde_nh {
	RB_ENTRY(rde_nh) entry;
	struct bgpd_addr addr;
	uint32_t	 refs;		/* paths through it */
	uint32_t	 ifindex;	/* CONNECTED: the interface, or 0 */
	uint32_t	*deps;		/* prefix indexes */
	uint32_t	 ndeps;
	uint32_t	 depcap;
	uint8_t		 state;
	uint8_t		 mark;		/* touched by the current event */
};
RB_HEAD(rde_nh_tree, rde_nh);

static int	 rde_nh_cmp(const struct rde_nh *, const struct rde_nh *);

/*
 * libbsd leaves __unused undefined (Linux headers use the name), yet its
 * RB_GENERATE_STATIC needs it for the functions this file does not call.
 */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
RB_GENERATE_STATIC(rde_nh_tree, rde_nh, entry, rde_nh_cmp)

static struct rde_nh_tree	 nh_tree;
static struct rde_nh		*nh_last;	/* the last one looked up */
static size_t			 nh_count;
static struct rde_if		*nh_ifs;
static size_t			 nh_nifs;
static size_t			 nh_ifcap;
static struct rde_ifa		*nh_ifas;
static size_t			 nh_nifas;
static size_t			 nh_ifacap;
static int			 nh_ready;	/* a complete view is in */
static int			 nh_dumping;	/* a dump replaces the view */
static uint32_t			 nh_gen;

static int
rde_nh_cmp(const struct rde_nh *a, const struct rde_nh *b)
{
	return addr_cmp(&a->addr, &b->addr);
}

void
rde_nexthop_init(void)
{
	RB_INIT(&nh_tree);
	nh_last = NULL;
	nh_count = 0;
	nh_ifs = NULL;
	nh_nifs = nh_ifcap = 0;
	nh_ifas = NULL;
	nh_nifas = nh_ifacap = 0;
	nh_ready = 0;
	nh_dumping = 0;
	nh_gen = 0;
}

void
rde_nexthop_shutdown(void)
{
	struct rde_nh	*nh, *t;

	RB_FOREACH_SAFE(nh, rde_nh_tree, &nh_tree, t) {
		RB_REMOVE(rde_nh_tree, &nh_tree, nh);
		free(nh->deps);
		free(nh);
	}
	free(nh_ifs);
	free(nh_ifas);
	rde_nexthop_init();
}

int
rde_nexthop_ready(void)
{
	return nh_ready;
}

size_t
rde_nexthop_count(void)
{
	return nh_count;
}

size_t
rde_nexthop_bytes(void)
{
	struct rde_nh	*nh;
	size_t		 n;

	n = nh_ifcap * sizeof(*nh_ifs) + nh_ifacap * sizeof(*nh_ifas);
	RB_FOREACH(nh, rde_nh_tree, &nh_tree)
		n += sizeof(*nh) + (size_t)nh->depcap * sizeof(*nh->deps);
	return n;
}

static int
rde_nh_is_ll(const struct bgpd_addr *a)
{
	return a->af == AF_INET6 && a->bytes[0] == 0xfe &&
	    (a->bytes[1] & 0xc0) == 0x80;
}

static struct rde_if *
rde_if_find(uint32_t ifindex)
{
	size_t	 i;

	for (i = 0; i < nh_nifs; i++)
		if (nh_ifs[i].ifindex == ifindex)
			return &nh_ifs[i];
	return NULL;
}

static int
rde_if_is_up(const struct rde_if *ifp)
{
	return ifp != NULL && (ifp->flags & KR_IF_UP) &&
	    (ifp->flags & KR_IF_RUNNING);
}

/* A next hop's state in the current view; *ifindex its interface. */
static uint8_t
rde_nh_resolve(const struct bgpd_addr *a, uint32_t *ifindex)
{
	const struct rde_ifa	*ifa;
	size_t			 i;
	int			 any = 0, best = -1;

	*ifindex = 0;
	if (!nh_ready)
		return RDE_NH_UNKNOWN;
	if (rde_nh_is_ll(a))
		return RDE_NH_CONNECTED;
	for (i = 0; i < nh_nifas; i++) {
		ifa = &nh_ifas[i];
		if (!addr_in_prefix(a, &ifa->addr, ifa->plen))
			continue;
		any = 1;
		if (ifa->up && (int)ifa->plen > best) {
			best = ifa->plen;
			*ifindex = ifa->ifindex;
		}
	}
	if (best >= 0)
		return RDE_NH_CONNECTED;
	return any ? RDE_NH_DOWN : RDE_NH_REMOTE;
}

static struct rde_nh *
rde_nh_find(const struct bgpd_addr *a)
{
	struct rde_nh	 key;

	if (nh_last != NULL && addr_cmp(&nh_last->addr, a) == 0)
		return nh_last;
	memset(&key, 0, sizeof(key));
	key.addr = *a;
	if ((nh_last = RB_FIND(rde_nh_tree, &nh_tree, &key)) != NULL)
		return nh_last;
	return NULL;
}

static struct rde_nh *
rde_nh_get(const struct bgpd_addr *a)
{
	struct rde_nh	*nh;

	if ((nh = rde_nh_find(a)) != NULL)
		return nh;
	nh = xcalloc(1, sizeof(*nh));
	nh->addr = *a;
	nh->state = rde_nh_resolve(a, &nh->ifindex);
	RB_INSERT(rde_nh_tree, &nh_tree, nh);
	nh_count++;
	nh_last = nh;
	return nh;
}

static int
rde_nh_u32_cmp(const void *x, const void *y)
{
	uint32_t	 a, b;

	memcpy(&a, x, sizeof(a));
	memcpy(&b, y, sizeof(b));
	return a < b ? -1 : a > b;
}

/* Whether prefix i has a path through next hop a. */
static int
rde_nh_prefix_uses(uint32_t i, const struct bgpd_addr *a)
{
	const struct rde_prefix	*p;
	const struct rde_path	*q;
	uint32_t		 qi;

	if (i == RDE_NIL || i >= rde_prefix_limit())
		return 0;
	p = rde_prefix_at(i);
	if (p->aid == RDE_AID_FREE)
		return 0;
	for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		if (addr_cmp(&rde_attr_get(q->attrs)->k.nexthop, a) == 0)
			return 1;
	}
	return 0;
}

/* Drop duplicates and prefixes that no longer use the next hop. */
static void
rde_nh_compact(struct rde_nh *nh)
{
	uint32_t	 k, n = 0;

	if (nh->ndeps > 1)
		qsort(nh->deps, nh->ndeps, sizeof(*nh->deps), rde_nh_u32_cmp);
	for (k = 0; k < nh->ndeps; k++) {
		if (n > 0 && nh->deps[n - 1] == nh->deps[k])
			continue;
		if (!rde_nh_prefix_uses(nh->deps[k], &nh->addr))
			continue;
		nh->deps[n++] = nh->deps[k];
	}
	nh->ndeps = n;
	if (nh->depcap > 2 * n + RDE_NH_DEPS_SLACK) {
		nh->depcap = n + RDE_NH_DEPS_SLACK;
		nh->deps = xreallocarray(nh->deps, nh->depcap,
		    sizeof(*nh->deps));
	}
}

static int
rde_nh_bloated(const struct rde_nh *nh)
{
	return nh->ndeps > 2 * (uint64_t)nh->refs + RDE_NH_DEPS_SLACK;
}

/* A path of prefix i with attributes a now goes through a's next hop. */
void
rde_nexthop_ref(uint32_t i, const struct rde_attrs *a)
{
	struct rde_nh	*nh;

	if (a->k.nexthop.af == 0)
		return;
	nh = rde_nh_get(&a->k.nexthop);
	nh->refs++;
	if (rde_nh_bloated(nh))
		rde_nh_compact(nh);
	if (nh->ndeps == nh->depcap) {
		nh->depcap = nh->depcap ? nh->depcap * 2 : 16;
		nh->deps = xreallocarray(nh->deps, nh->depcap,
		    sizeof(*nh->deps));
	}
	nh->deps[nh->ndeps++] = i;
}

/* A path with attributes a is gone or goes elsewhere. */
void
rde_nexthop_unref(const struct rde_attrs *a)
{
	struct rde_nh	*nh;

	if (a->k.nexthop.af == 0)
		return;
	if ((nh = rde_nh_find(&a->k.nexthop)) == NULL || nh->refs == 0) {
		log_warnx("next hop table: a path that was never counted");
		return;
	}
	if (--nh->refs > 0)
		return;
	RB_REMOVE(rde_nh_tree, &nh_tree, nh);
	if (nh_last == nh)
		nh_last = NULL;
	free(nh->deps);
	free(nh);
	nh_count--;
}

/*
 * A single-hop eBGP neighbour: GTSM with one hop, or its address on a
 * connected network (up or not).
 */
static int
rde_nh_peer_direct(const struct rde_peer *peer)
{
	uint32_t	 ifindex;
	uint8_t		 st;

	if (!rde_peer_is_ebgp(peer))
		return 0;
	if (peer->conf.ttl_security == 1)
		return 1;
	st = rde_nh_resolve(&peer->conf.remote, &ifindex);
	return st == RDE_NH_CONNECTED || st == RDE_NH_DOWN;
}

static int
rde_nh_eligible(uint8_t state, const struct rde_peer *peer)
{
	switch (state) {
	case RDE_NH_DOWN:
		return 0;
	case RDE_NH_REMOTE:
		return !rde_nh_peer_direct(peer);
	default:
		return 1;
	}
}

/* RDE_PATH_UNREACH if a path of peer with attributes a is not eligible. */
uint32_t
rde_nexthop_flag(const struct rde_attrs *a, const struct rde_peer *peer)
{
	struct rde_nh	*nh;
	uint32_t	 ifindex;
	uint8_t		 st;

	if (!nh_ready || a->k.nexthop.af == 0 || (peer->flags & RDE_PEER_LOCAL))
		return 0;
	if ((nh = rde_nh_find(&a->k.nexthop)) != NULL)
		st = nh->state;
	else
		st = rde_nh_resolve(&a->k.nexthop, &ifindex);
	return rde_nh_eligible(st, peer) ? 0 : RDE_PATH_UNREACH;
}

/*
 * BGPFilter `interface`: BIRD's `defined(ifname) && ifname ~ "glob"`.
 * A route's interface is the one of the connected network its next hop
 * is on; originated routes and next hops resolved through routes have
 * none, so the condition does not hold for them.
 */
int
rde_nexthop_iface_match(const char *pattern, const struct rde_attrs *a)
{
	const struct rde_if	*ifp;
	struct rde_nh		*nh;
	char			 pat[RC_IFNAME_LEN + 1], name[KR_IFNAMSIZ + 1];
	uint32_t		 ifindex;
	uint8_t			 st;

	if (!nh_ready || a->k.nexthop.af == 0)
		return 0;
	if ((nh = rde_nh_find(&a->k.nexthop)) != NULL) {
		st = nh->state;
		ifindex = nh->ifindex;
	} else
		st = rde_nh_resolve(&a->k.nexthop, &ifindex);
	if (st != RDE_NH_CONNECTED || ifindex == 0 ||
	    (ifp = rde_if_find(ifindex)) == NULL)
		return 0;
	memset(pat, 0, sizeof(pat));
	memcpy(pat, pattern, strnlen(pattern, RC_IFNAME_LEN));
	memset(name, 0, sizeof(name));
	memcpy(name, ifp->name, strnlen(ifp->name, KR_IFNAMSIZ));
	return fnmatch(pat, name, 0) == 0;
}

/* Whether some BGPFilter rule has an interface condition. */
static int
rde_nh_iface_rules(void)
{
	size_t	 i;

	for (i = 0; i < rde->conf.nrules; i++)
		if (rde->conf.rules[i].iface[0] != '\0')
			return 1;
	return 0;
}

/*
 * The next hop's state changed (or only its interface, when force):
 * re-evaluate the prefixes that depend on it.
 */
static void
rde_nh_recheck(struct rde_nh *nh, int force)
{
	uint32_t	 k;

	rde->stats.nh_changes++;
	if (rde_nh_bloated(nh))
		rde_nh_compact(nh);
	for (k = 0; k < nh->ndeps; k++) {
		rde->stats.nh_rechecks++;
		rde_rib_recheck(nh->deps[k], &nh->addr, force);
	}
}

/* Resolve again the next hops marked (all if all) and act on changes. */
static void
rde_nh_apply(int all)
{
	struct rde_nh	*nh;
	uint32_t	 ifindex;
	uint8_t		 st;
	int		 iface_rules = -1;

	if (!nh_ready)
		return;
	RB_FOREACH(nh, rde_nh_tree, &nh_tree) {
		if (!all && !nh->mark)
			continue;
		nh->mark = 0;
		st = rde_nh_resolve(&nh->addr, &ifindex);
		if (st == nh->state && ifindex == nh->ifindex)
			continue;
		if (st != nh->state) {
			nh->state = st;
			nh->ifindex = ifindex;
			rde_nh_recheck(nh, 0);
			continue;
		}
		nh->ifindex = ifindex;
		if (iface_rules == -1)
			iface_rules = rde_nh_iface_rules();
		if (iface_rules)
			rde_nh_recheck(nh, 1);
	}
}

/* Mark the next hops inside network a/plen. */
static void
rde_nh_mark_in(const struct bgpd_addr *a, uint8_t plen)
{
	struct rde_nh	*nh;

	RB_FOREACH(nh, rde_nh_tree, &nh_tree)
		if (addr_in_prefix(&nh->addr, a, plen))
			nh->mark = 1;
}

/* Mark the next hops inside the networks of an interface. */
static void
rde_nh_mark_if(uint32_t ifindex)
{
	size_t	 i;

	for (i = 0; i < nh_nifas; i++)
		if (nh_ifas[i].ifindex == ifindex)
			rde_nh_mark_in(&nh_ifas[i].addr, nh_ifas[i].plen);
}

static void
rde_if_set_up(uint32_t ifindex, int up)
{
	size_t	 i;

	for (i = 0; i < nh_nifas; i++)
		if (nh_ifas[i].ifindex == ifindex)
			nh_ifas[i].up = (uint8_t)up;
}

static int
rde_if_new(const struct kr_ifinfo *ifi)
{
	struct rde_if	*ifp;
	int		 was_up, is_new = 0;

	if (ifi->ifindex == 0)
		return -1;
	if ((ifp = rde_if_find(ifi->ifindex)) == NULL) {
		if (nh_nifs >= RDE_NH_VIEW_MAX)
			return -1;
		if (nh_nifs == nh_ifcap) {
			nh_ifcap = nh_ifcap ? nh_ifcap * 2 : 16;
			nh_ifs = xreallocarray(nh_ifs, nh_ifcap,
			    sizeof(*nh_ifs));
		}
		ifp = &nh_ifs[nh_nifs++];
		memset(ifp, 0, sizeof(*ifp));
		ifp->ifindex = ifi->ifindex;
		is_new = 1;
	}
	was_up = rde_if_is_up(ifp);
	ifp->flags = ifi->flags;
	ifp->gen = nh_gen;
	memcpy(ifp->name, ifi->name, sizeof(ifp->name));
	ifp->name[sizeof(ifp->name) - 1] = '\0';
	if (is_new || was_up != rde_if_is_up(ifp)) {
		rde_if_set_up(ifp->ifindex, rde_if_is_up(ifp));
		rde_nh_mark_if(ifp->ifindex);
		rde_nh_apply(0);
	}
	return 0;
}

static void
rde_ifa_remove(size_t i)
{
	nh_ifas[i] = nh_ifas[--nh_nifas];
}

static void
rde_if_remove(size_t k)
{
	size_t	 i;

	rde_nh_mark_if(nh_ifs[k].ifindex);
	for (i = 0; i < nh_nifas; )
		if (nh_ifas[i].ifindex == nh_ifs[k].ifindex)
			rde_ifa_remove(i);
		else
			i++;
	nh_ifs[k] = nh_ifs[--nh_nifs];
}

static int
rde_if_del(const struct kr_ifinfo *ifi)
{
	size_t	 k;

	for (k = 0; k < nh_nifs; k++)
		if (nh_ifs[k].ifindex == ifi->ifindex) {
			rde_if_remove(k);
			rde_nh_apply(0);
			break;
		}
	return 0;
}

static int
rde_ifa_check(const struct kr_ifaddr *ifa)
{
	if (ifa->ifindex == 0)
		return -1;
	if (ifa->addr.af == AF_INET)
		return ifa->prefixlen <= 32 ? 0 : -1;
	if (ifa->addr.af == AF_INET6)
		return ifa->prefixlen <= 128 ? 0 : -1;
	return -1;
}

static struct rde_ifa *
rde_ifa_find(const struct kr_ifaddr *ifa, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < nh_nifas; i++)
		if (nh_ifas[i].ifindex == ifa->ifindex &&
		    nh_ifas[i].plen == ifa->prefixlen &&
		    addr_cmp(&nh_ifas[i].addr, &ifa->addr) == 0) {
			*idx = i;
			return &nh_ifas[i];
		}
	return NULL;
}

static int
rde_ifa_new(const struct kr_ifaddr *ifa)
{
	struct rde_ifa	*e;
	size_t		 i;

	if (rde_ifa_check(ifa) == -1)
		return -1;
	if (rde_nh_is_ll(&ifa->addr))
		return 0;
	if ((e = rde_ifa_find(ifa, &i)) != NULL) {
		e->gen = nh_gen;
		return 0;
	}
	if (nh_nifas >= RDE_NH_VIEW_MAX)
		return -1;
	if (nh_nifas == nh_ifacap) {
		nh_ifacap = nh_ifacap ? nh_ifacap * 2 : 16;
		nh_ifas = xreallocarray(nh_ifas, nh_ifacap, sizeof(*nh_ifas));
	}
	e = &nh_ifas[nh_nifas++];
	memset(e, 0, sizeof(*e));
	e->addr = ifa->addr;
	e->ifindex = ifa->ifindex;
	e->plen = ifa->prefixlen;
	e->gen = nh_gen;
	e->up = (uint8_t)rde_if_is_up(rde_if_find(ifa->ifindex));
	rde_nh_mark_in(&e->addr, e->plen);
	rde_nh_apply(0);
	return 0;
}

static int
rde_ifa_del(const struct kr_ifaddr *ifa)
{
	struct bgpd_addr	 a;
	size_t			 i;
	uint8_t			 plen;

	if (rde_ifa_check(ifa) == -1)
		return -1;
	if (rde_ifa_find(ifa, &i) == NULL)
		return 0;
	a = nh_ifas[i].addr;
	plen = nh_ifas[i].plen;
	rde_ifa_remove(i);
	rde_nh_mark_in(&a, plen);
	rde_nh_apply(0);
	return 0;
}

/*
 * One event of kroute's view.  Returns -1 for an event that makes no
 * sense (the caller logs it); the view is unchanged then.
 */
int
rde_nexthop_event(const struct kr_event *ev)
{
	rde->stats.nh_events++;
	switch (ev->type) {
	case KR_EV_IF_NEW:
		return rde_if_new(&ev->ifi);
	case KR_EV_IF_DEL:
		return rde_if_del(&ev->ifi);
	case KR_EV_ADDR_NEW:
		return rde_ifa_new(&ev->ifa);
	case KR_EV_ADDR_DEL:
		return rde_ifa_del(&ev->ifa);
	case KR_EV_RESYNC:
		/* Events were lost: a new dump follows, then its end. */
		nh_dumping = 1;
		nh_gen++;
		return 0;
	default:
		return -1;
	}
}

/*
 * kroute's dump is complete: what a replacing dump did not mention is
 * gone, and every next hop is resolved against the complete view.
 */
void
rde_nexthop_dump_done(void)
{
	size_t	 k;

	if (nh_dumping) {
		for (k = 0; k < nh_nifs; )
			if (nh_ifs[k].gen != nh_gen)
				rde_if_remove(k);
			else
				k++;
		for (k = 0; k < nh_nifas; )
			if (nh_ifas[k].gen != nh_gen)
				rde_ifa_remove(k);
			else
				k++;
		nh_dumping = 0;
	}
	if (!nh_ready)
		log_info("interface view complete: %zu interfaces, %zu "
		    "addresses", nh_nifs, nh_nifas);
	nh_ready = 1;
	rde_nh_apply(1);
}
