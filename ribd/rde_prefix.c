/*
 * The prefix table: 32-byte records in a slab, found through a hash of
 * (family, length, address) whose buckets and chains are 32-bit indexes.
 * A prefix lives as long as it has paths or some consumer of the Loc-RIB
 * still advertises or installs it (it must be able to withdraw it).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

static struct rde_slab	 pfx_slab;
static uint32_t		*pfx_htab;
static uint32_t		 pfx_hbits;

void
rde_prefix_init(void)
{
	rde_slab_init(&pfx_slab, sizeof(struct rde_prefix));
	pfx_hbits = 10;
	pfx_htab = xcalloc((size_t)1 << pfx_hbits, sizeof(*pfx_htab));
}

void
rde_prefix_shutdown(void)
{
	rde_slab_free_all(&pfx_slab);
	free(pfx_htab);
	pfx_htab = NULL;
	pfx_hbits = 0;
}

struct rde_prefix *
rde_prefix_at(uint32_t i)
{
	return rde_slab_get(&pfx_slab, i);
}

static int
rde_addr_len(uint8_t aid)
{
	return aid == BGP_AID_IPV6 ? 16 : 4;
}

static uint32_t
rde_prefix_hash(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	uint64_t	 h, w;

	memcpy(&w, addr, 4);
	h = (w << 16 | (uint64_t)plen << 8 | aid) * 0x9e3779b97f4a7c15ULL;
	if (aid == BGP_AID_IPV6) {
		memcpy(&w, addr + 4, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		memcpy(&w, addr + 8, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	return (uint32_t)(h >> 32);
}

static uint32_t
rde_prefix_bucket(uint32_t h)
{
	return h >> (32 - pfx_hbits);
}

static int
rde_prefix_is(const struct rde_prefix *p, uint8_t aid, const uint8_t *addr,
    uint8_t plen)
{
	return p->aid == aid && p->plen == plen &&
	    memcmp(p->addr, addr, rde_addr_len(aid)) == 0;
}

uint32_t
rde_prefix_find(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	struct rde_prefix	*p;
	uint32_t		 i;

	i = pfx_htab[rde_prefix_bucket(rde_prefix_hash(aid, addr, plen))];
	for (; i != RDE_NIL; i = p->hnext) {
		p = rde_slab_get(&pfx_slab, i);
		if (rde_prefix_is(p, aid, addr, plen))
			return i;
	}
	return RDE_NIL;
}

static void
rde_prefix_rehash(void)
{
	struct rde_prefix	*p;
	uint32_t		*nt, i, j, n, b;

	pfx_hbits++;
	nt = xcalloc((size_t)1 << pfx_hbits, sizeof(*nt));
	for (b = 0; b < (1U << (pfx_hbits - 1)); b++)
		for (i = pfx_htab[b]; i != RDE_NIL; i = n) {
			p = rde_slab_get(&pfx_slab, i);
			n = p->hnext;
			j = rde_prefix_bucket(rde_prefix_hash(p->aid, p->addr,
			    p->plen));
			p->hnext = nt[j];
			nt[j] = i;
		}
	free(pfx_htab);
	pfx_htab = nt;
}

/* Find the prefix or add it; addr must have its host bits cleared. */
uint32_t
rde_prefix_get(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	struct rde_prefix	*p;
	uint32_t		 i, h, b;

	h = rde_prefix_hash(aid, addr, plen);
	b = rde_prefix_bucket(h);
	for (i = pfx_htab[b]; i != RDE_NIL; i = p->hnext) {
		p = rde_slab_get(&pfx_slab, i);
		if (rde_prefix_is(p, aid, addr, plen))
			return i;
	}
	i = rde_slab_alloc(&pfx_slab);
	p = rde_slab_get(&pfx_slab, i);
	memcpy(p->addr, addr, rde_addr_len(aid));
	p->aid = aid;
	p->plen = plen;
	p->hnext = pfx_htab[b];
	pfx_htab[b] = i;
	if (pfx_slab.count > (1U << pfx_hbits) && pfx_hbits < 31)
		rde_prefix_rehash();
	return i;
}

/* Free the prefix if nothing needs it any more. */
void
rde_prefix_gc(uint32_t i)
{
	struct rde_prefix	*p = rde_slab_get(&pfx_slab, i), *q;
	uint32_t		*pp;

	if (p->aid == RDE_AID_FREE || p->paths != RDE_NIL ||
	    rde_prefix_in_use(i))
		return;
	pp = &pfx_htab[rde_prefix_bucket(rde_prefix_hash(p->aid, p->addr,
	    p->plen))];
	while (*pp != i) {
		if (*pp == RDE_NIL)
			fatalx("rde_prefix_gc: %u not in its chain", i);
		q = rde_slab_get(&pfx_slab, *pp);
		pp = &q->hnext;
	}
	*pp = p->hnext;
	p->aid = RDE_AID_FREE;
	p->paths = RDE_NIL;
	p->jpos = 0;
	rde_slab_release(&pfx_slab, i);
}

uint32_t
rde_prefix_count(void)
{
	return pfx_slab.count;
}

/* One past the highest index ever used: the end of a walk. */
uint32_t
rde_prefix_limit(void)
{
	return pfx_slab.next;
}

size_t
rde_prefix_bytes(void)
{
	return rde_slab_bytes(&pfx_slab) +
	    ((size_t)1 << pfx_hbits) * sizeof(*pfx_htab);
}

void
rde_prefix_to_addr(const struct rde_prefix *p, struct bgpd_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->af = p->aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET;
	memcpy(a->bytes, p->addr, rde_addr_len(p->aid));
}

/* Order for output: family, address, length. */
int
rde_prefix_cmp(const struct rde_prefix *a, const struct rde_prefix *b)
{
	int	 r;

	if (a->aid != b->aid)
		return a->aid < b->aid ? -1 : 1;
	if ((r = memcmp(a->addr, b->addr, rde_addr_len(a->aid))) != 0)
		return r;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}
