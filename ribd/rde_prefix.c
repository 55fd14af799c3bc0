/*
 * The prefix table: 32-byte records in a slab, found through an index
 * hash table (rde_hash.c) over (family, length, address).  A prefix
 * lives as long as it has paths or some consumer of the Loc-RIB still
 * advertises or installs it (it must be able to withdraw it).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <endian.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

struct rde_slab		 rde_pfx_slab;
static struct rde_ht	 pfx_ht;
static int		 pfx_full_logged;

void
rde_prefix_init(void)
{
	rde_slab_init(&rde_pfx_slab, sizeof(struct rde_prefix));
	rde_ht_init(&pfx_ht, RDE_HT_MIN);
	pfx_full_logged = 0;
}

void
rde_prefix_shutdown(void)
{
	rde_slab_free_all(&rde_pfx_slab);
	rde_ht_free(&pfx_ht);
}

static int
rde_addr_len(uint8_t aid)
{
	return aid == BGP_AID_IPV6 ? 16 : 4;
}

static uint64_t
rde_be64(const uint8_t *p)
{
	uint64_t	 v;

	memcpy(&v, p, sizeof(v));
	return be64toh(v);
}

static uint32_t
rde_be32(const uint8_t *p)
{
	uint32_t	 v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

/* A well mixed 32-bit hash of (family, length, address). */
static uint32_t
rde_prefix_hash(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	uint64_t	 h;

	h = (uint64_t)aid << 56 | (uint64_t)plen << 48;
	if (aid == BGP_AID_IPV6) {
		h = (h ^ rde_be64(addr)) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		h ^= rde_be64(addr + 8);
	} else
		h ^= rde_be32(addr);
	h *= 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	h *= 0xc2b2ae3d27d4eb4fULL;
	return (uint32_t)(h >> 32);
}

static int
rde_prefix_is(const struct rde_prefix *p, uint8_t aid, const uint8_t *addr,
    uint8_t plen)
{
	uint32_t	 a, b;

	if (p->aid != aid || p->plen != plen)
		return 0;
	if (aid == BGP_AID_IPV6)
		return memcmp(p->addr, addr, 16) == 0;
	memcpy(&a, p->addr, 4);
	memcpy(&b, addr, 4);
	return a == b;
}

static uint32_t
rde_prefix_lookup(uint32_t h, uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	struct rde_ht_iter	 it;
	uint32_t		 i;

	for (i = rde_ht_find(&pfx_ht, h, &it); i != RDE_NIL;
	    i = rde_ht_next(&it))
		if (rde_prefix_is(rde_slab_get(&rde_pfx_slab, i), aid, addr,
		    plen))
			return i;
	return RDE_NIL;
}

uint32_t
rde_prefix_find(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	return rde_prefix_lookup(rde_prefix_hash(aid, addr, plen), aid, addr,
	    plen);
}

static uint32_t
rde_prefix_hash_of(uint32_t i)
{
	const struct rde_prefix	*p = rde_slab_get(&rde_pfx_slab, i);

	return rde_prefix_hash(p->aid, p->addr, p->plen);
}

/*
 * A bigger table.  Records are read in slab order, which is cheap; the
 * buckets they go to are random, so each is fetched a few records ahead.
 */
static void
rde_prefix_rehash(void)
{
	uint32_t	 ring[RDE_HT_AHEAD], i, j, n = rde_ht_bigger(&pfx_ht);
	uint32_t	 lim = rde_pfx_slab.next;

	rde_ht_free(&pfx_ht);
	rde_ht_init(&pfx_ht, n);
	for (i = 1; i < lim + RDE_HT_AHEAD; i++) {
		/* Record j's hash is in the slot that record i takes next. */
		j = i - RDE_HT_AHEAD;
		if (i > RDE_HT_AHEAD && rde_prefix_at(j)->aid != RDE_AID_FREE)
			rde_ht_insert(&pfx_ht, ring[j % RDE_HT_AHEAD], j);
		if (i < lim && rde_prefix_at(i)->aid != RDE_AID_FREE) {
			ring[i % RDE_HT_AHEAD] = rde_prefix_hash_of(i);
			rde_ht_prefetch(&pfx_ht, ring[i % RDE_HT_AHEAD]);
		}
	}
}

/*
 * Find the prefix or add it; addr must have its host bits cleared.
 * RDE_NIL when the table holds as many prefixes as it can index.
 */
uint32_t
rde_prefix_get(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	struct rde_prefix	*p;
	uint32_t		 i, h;

	h = rde_prefix_hash(aid, addr, plen);
	if ((i = rde_prefix_lookup(h, aid, addr, plen)) != RDE_NIL)
		return i;
	if (rde_pfx_slab.free == RDE_NIL &&
	    rde_pfx_slab.next > RDE_HT_IDX_MAX) {
		if (!pfx_full_logged++)
			log_warnx("prefix table full (%u prefixes): new "
			    "prefixes are not accepted", rde_pfx_slab.count);
		return RDE_NIL;
	}
	if (rde_ht_full(&pfx_ht))
		rde_prefix_rehash();
	i = rde_slab_alloc(&rde_pfx_slab);
	p = rde_slab_get(&rde_pfx_slab, i);
	memcpy(p->addr, addr, rde_addr_len(aid));
	p->aid = aid;
	p->plen = plen;
	rde_ht_insert(&pfx_ht, h, i);
	return i;
}

/* Fetch the bucket that looking the prefix up will read. */
void
rde_prefix_prefetch(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	rde_ht_prefetch(&pfx_ht, rde_prefix_hash(aid, addr, plen));
}

/* Fetch the bucket that freeing prefix i will write. */
void
rde_prefix_prefetch_gc(uint32_t i)
{
	const struct rde_prefix	*p = rde_slab_get(&rde_pfx_slab, i);

	if (p->aid != RDE_AID_FREE)
		rde_ht_prefetch(&pfx_ht, rde_prefix_hash(p->aid, p->addr,
		    p->plen));
}

/* Free the prefix if nothing needs it any more. */
void
rde_prefix_gc(uint32_t i)
{
	struct rde_prefix	*p = rde_slab_get(&rde_pfx_slab, i);

	if (p->aid == RDE_AID_FREE || p->paths != RDE_NIL ||
	    rde_prefix_in_use(i))
		return;
	rde_ht_remove(&pfx_ht, rde_prefix_hash(p->aid, p->addr, p->plen), i);
	p->aid = RDE_AID_FREE;
	p->paths = RDE_NIL;
	p->jpos = 0;
	rde_slab_release(&rde_pfx_slab, i);
}

uint32_t
rde_prefix_count(void)
{
	return rde_pfx_slab.count;
}

/* One past the highest index ever used: the end of a walk. */
uint32_t
rde_prefix_limit(void)
{
	return rde_pfx_slab.next;
}

size_t
rde_prefix_bytes(void)
{
	return rde_slab_bytes(&rde_pfx_slab) + rde_ht_bytes(&pfx_ht);
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
