/*
 * The kernel as a reader of the Loc-RIB: like an update group it reads
 * the journal and keeps one word per prefix (the attribute set of the
 * installed route and its priority), and sends kroute only what changed,
 * in large batches: IMSG_KROUTE_CHANGE and IMSG_KROUTE_DELETE arrays,
 * in order.  Which best routes go in, and how, is Calico's
 * calico_kernel_programming (rde_policy.c).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

#define RDE_KBUF_MAX	((IMSG_MAX_PIPE - 64) / sizeof(struct kroute))
#define RDE_K_ONLINK	0x80000000U
#define RDE_K_PRIO	0x7fffffffU

void
rde_kernel_init(void)
{
	rde->kbuf = xcalloc(RDE_KBUF_MAX, sizeof(*rde->kbuf));
	rde->kbuf_n = 0;
	rde->kout = NULL;
	rde->koutcap = 0;
}

static void
rde_kernel_forget(void)
{
	uint32_t	 i;

	for (i = 0; i < rde->koutcap; i++)
		if (rde->kout[i] != 0) {
			rde_attr_unref((uint32_t)rde->kout[i]);
			rde->kout[i] = 0;
			rde_prefix_gc(i);
		}
	free(rde->kout);
	rde->kout = NULL;
	rde->koutcap = 0;
}

void
rde_kernel_shutdown(void)
{
	rde_kernel_forget();
	free(rde->kbuf);
	rde->kbuf = NULL;
}

uint32_t
rde_kernel_out(uint32_t i)
{
	return i < rde->koutcap ? (uint32_t)rde->kout[i] : 0;
}

void
rde_kernel_flush(void)
{
	if (rde->kbuf_n == 0)
		return;
	if (rde->io.kroute != NULL)
		rde->io.kroute(rde->kbuf_type, rde->kbuf, rde->kbuf_n,
		    rde->io.arg);
	rde->kbuf_n = 0;
}

static void
rde_kernel_queue(uint32_t type, const struct kroute *kr)
{
	if (rde->kbuf_n > 0 && (rde->kbuf_type != type ||
	    rde->kbuf_n == RDE_KBUF_MAX))
		rde_kernel_flush();
	rde->kbuf_type = type;
	rde->kbuf[rde->kbuf_n++] = *kr;
	if (type == IMSG_KROUTE_CHANGE)
		rde->stats.kroute_changes++;
	else
		rde->stats.kroute_deletes++;
}

/* The installed route a kernel word describes. */
static void
rde_kernel_route(const struct rde_prefix *p, uint64_t w, struct kroute *kr)
{
	const struct rde_attrs	*a = rde_attr_get((uint32_t)w);
	uint32_t		 hi = (uint32_t)(w >> 32);

	memset(kr, 0, sizeof(*kr));
	rde_prefix_to_addr(p, &kr->prefix);
	kr->prefixlen = p->plen;
	kr->priority = hi & RDE_K_PRIO;
	if (a->k.nexthop.af == 0)
		kr->flags |= KR_F_BLACKHOLE;
	else {
		kr->nexthop.af = a->k.nexthop.af;
		memcpy(kr->nexthop.bytes, a->k.nexthop.bytes,
		    sizeof(kr->nexthop.bytes));
	}
	if (hi & RDE_K_ONLINK)
		kr->flags |= KR_F_ONLINK;
}

/* A learned route back to one of our own addresses is not installed. */
static int
rde_nexthop_is_self(const struct rde_attrs *a)
{
	const struct imsg_global	*g = &rde->conf.global;

	if (a->k.nexthop.af == AF_INET && g->ipv4.af == AF_INET)
		return memcmp(a->k.nexthop.bytes, g->ipv4.bytes, 4) == 0;
	if (a->k.nexthop.af == AF_INET6 && g->ipv6.af == AF_INET6)
		return memcmp(a->k.nexthop.bytes, g->ipv6.bytes, 16) == 0;
	return 0;
}

/* The kernel word the best path of p calls for (0: nothing). */
static uint64_t
rde_kernel_want(const struct rde_prefix *p)
{
	const struct rde_path	*q;
	const struct rde_attrs	*a;
	struct kroute		 kr;
	int			 local;
	uint32_t		 hi, best;

	if ((best = rde_rib_best(p)) == RDE_NIL)
		return 0;
	q = rde_path_at(best);
	a = rde_attr_get(q->attrs);
	local = (rde_path_peer(q)->flags & RDE_PEER_LOCAL) != 0;
	if (!local && rde_nexthop_is_self(a))
		return 0;
	if (!rde_calico_kernel(p, a, local, &kr))
		return 0;
	hi = (kr.priority & RDE_K_PRIO) |
	    ((kr.flags & KR_F_ONLINK) ? RDE_K_ONLINK : 0);
	return (uint64_t)hi << 32 | q->attrs;
}

static void
rde_kernel_set(uint32_t i, uint64_t old, uint64_t nv)
{
	uint32_t	 ncap;

	if (i >= rde->koutcap) {
		ncap = rde->koutcap ? rde->koutcap : 1024;
		while (ncap <= i)
			ncap *= 2;
		rde->kout = xreallocarray(rde->kout, ncap, sizeof(*rde->kout));
		memset(rde->kout + rde->koutcap, 0,
		    (ncap - rde->koutcap) * sizeof(*rde->kout));
		rde->koutcap = ncap;
	}
	rde->kout[i] = nv;
	if (nv != 0)
		rde_attr_ref((uint32_t)nv);
	if (old != 0)
		rde_attr_unref((uint32_t)old);
}

static void
rde_kernel_eval(uint32_t i)
{
	struct rde_prefix	*p = rde_prefix_at(i);
	struct kroute		 okr, nkr;
	uint64_t		 old, nv;

	if (p->aid == RDE_AID_FREE)
		return;
	old = i < rde->koutcap ? rde->kout[i] : 0;
	if ((nv = rde_kernel_want(p)) == old)
		return;
	if (old != 0)
		rde_kernel_route(p, old, &okr);
	if (nv != 0)
		rde_kernel_route(p, nv, &nkr);
	if (old != 0 && nv != 0 && memcmp(&okr, &nkr, sizeof(okr)) == 0)
		;	/* other attributes, same route */
	else if (old != 0 && nv != 0 && okr.priority == nkr.priority)
		rde_kernel_queue(IMSG_KROUTE_CHANGE, &nkr);
	else {
		if (old != 0)
			rde_kernel_queue(IMSG_KROUTE_DELETE, &okr);
		if (nv != 0)
			rde_kernel_queue(IMSG_KROUTE_CHANGE, &nkr);
	}
	rde_kernel_set(i, old, nv);
	if (nv == 0)
		rde_prefix_gc(i);
}

/* One round of the kernel reader; returns 1 if work is left. */
int
rde_kernel_run(size_t *budget)
{
	struct rde_reader	*rd = &rde->krd;
	struct rde_journal	*j = &rde->jr;
	uint32_t		 lim = rde_prefix_limit();

	if (!rde->kernel)
		return 0;
	while (rd->pos != j->base + j->len && *budget > 0) {
		rde_kernel_eval(j->v[rd->pos - j->base]);
		rd->pos++;
		(*budget)--;
	}
	while (rd->walking && rd->walk < lim && *budget > 0) {
		rde_kernel_eval(rd->walk++);
		(*budget)--;
	}
	if (rd->walking && rd->walk >= lim) {
		rd->walking = 0;
		rd->initial = 0;
	}
	rde_kernel_flush();
	return rd->walking || rd->pos != j->base + j->len;
}

void
rde_kernel_resync(void)
{
	if (!rde->kernel)
		return;
	rde->krd.walking = 1;
	rde->krd.walk = 1;
	rde->krd.pos = rde->jr.base + rde->jr.len;
}

/*
 * Kernel installation switched on or off.  Switching it off leaves what
 * is installed in place (a reload never flushes kernel routes).
 */
void
rde_kernel_config(void)
{
	int	 want = (rde->conf.global.flags & RC_F_KERNEL_INSTALL) != 0;

	if (want && !rde->kernel) {
		rde->kernel = 1;
		rde->jr_readers++;
		memset(&rde->krd, 0, sizeof(rde->krd));
		rde->krd.initial = 1;
		rde_kernel_resync();
	} else if (!want && rde->kernel) {
		rde->kernel = 0;
		rde->jr_readers--;
		rde_kernel_forget();
	}
}

/* Whether the kernel reader has caught up with the whole table. */
int
rde_kernel_idle(void)
{
	return !rde->kernel || (!rde->krd.walking &&
	    rde->krd.pos == rde->jr.base + rde->jr.len);
}
