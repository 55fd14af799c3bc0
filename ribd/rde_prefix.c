/*
 * The prefix table: 32-byte records in a slab, found through a hash of
 * (family, length, address) whose buckets and chains are 32-bit indexes.
 * A prefix lives as long as it has paths or some consumer of the Loc-RIB
 * still advertises or installs it (it must be able to withdraw it).
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
static uint32_t		*pfx_htab;
static uint32_t		 pfx_hbits;

void
rde_prefix_init(void)
{
	rde_slab_init(&rde_pfx_slab, sizeof(struct rde_prefix));
	pfx_hbits = 10;
	pfx_htab = xcalloc((size_t)1 << pfx_hbits, sizeof(*pfx_htab));
}

void
rde_prefix_shutdown(void)
{
	rde_slab_free_all(&rde_pfx_slab);
	free(pfx_htab);
	pfx_htab = NULL;
	pfx_hbits = 0;
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

/*
 * The hash keeps locality: the prefix's number at its own length (its
 * address shifted right by the host bits) gives the low four bits of the
 * bucket, the rest is a multiplicative hash of the remaining bits.  So
 * sixteen consecutive prefixes of one length (a table arrives sorted)
 * fall into one cache line of buckets, and the distribution stays that
 * of the hash.  The result is the bucket index in the low 32 bits, for
 * a table of 2^32 buckets; rde_prefix_bucket() cuts it down.
 */
static uint32_t
rde_prefix_hash(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	uint64_t	 n, h, lo = 0;

	if (aid == BGP_AID_IPV6) {
		n = rde_be64(addr);
		if (plen > 64) {
			lo = rde_be64(addr + 8) >> (128 - plen);
			n ^= lo * 0xc2b2ae3d27d4eb4fULL;
			n = (n & ~UINT64_C(15)) | (lo & 15);
		} else
			n = plen ? n >> (64 - plen) : 0;
	} else {
		n = rde_be32(addr);
		n = plen ? n >> (32 - plen) : 0;
	}
	h = ((n >> 4) ^ ((uint64_t)plen << 56) ^ ((uint64_t)aid << 48)) *
	    0x9e3779b97f4a7c15ULL;
	return (uint32_t)(h >> 32) << 4 | (uint32_t)(n & 15);
}

static uint32_t
rde_prefix_bucket(uint32_t h)
{
	/* The hashed part from the top, the sequence bits at the bottom. */
	return ((h >> 4) >> (32 - pfx_hbits)) << 4 | (h & 15);
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

uint32_t
rde_prefix_find(uint8_t aid, const uint8_t *addr, uint8_t plen)
{
	struct rde_prefix	*p;
	uint32_t		 i;

	i = pfx_htab[rde_prefix_bucket(rde_prefix_hash(aid, addr, plen))];
	for (; i != RDE_NIL; i = p->hnext) {
		p = rde_slab_get(&rde_pfx_slab, i);
		if (rde_prefix_is(p, aid, addr, plen))
			return i;
	}
	return RDE_NIL;
}

/* Twice the buckets; records are visited in slab order, which is cheap. */
static void
rde_prefix_rehash(void)
{
	struct rde_prefix	*p;
	uint32_t		 i, j;

	pfx_hbits++;
	free(pfx_htab);
	pfx_htab = xcalloc((size_t)1 << pfx_hbits, sizeof(*pfx_htab));
	for (i = 1; i < rde_pfx_slab.next; i++) {
		p = rde_slab_get(&rde_pfx_slab, i);
		if (p->aid == RDE_AID_FREE)
			continue;
		j = rde_prefix_bucket(rde_prefix_hash(p->aid, p->addr,
		    p->plen));
		p->hnext = pfx_htab[j];
		pfx_htab[j] = i;
	}
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
		p = rde_slab_get(&rde_pfx_slab, i);
		if (rde_prefix_is(p, aid, addr, plen))
			return i;
	}
	i = rde_slab_alloc(&rde_pfx_slab);
	p = rde_slab_get(&rde_pfx_slab, i);
	memcpy(p->addr, addr, rde_addr_len(aid));
	p->aid = aid;
	p->plen = plen;
	p->hnext = pfx_htab[b];
	pfx_htab[b] = i;
	if (rde_pfx_slab.count > (1U << pfx_hbits) && pfx_hbits < 31)
		rde_prefix_rehash();
	return i;
}

/* Free the prefix if nothing needs it any more. */
void
rde_prefix_gc(uint32_t i)
{
	struct rde_prefix	*p = rde_slab_get(&rde_pfx_slab, i), *q;
	uint32_t		*pp;

	if (p->aid == RDE_AID_FREE || p->paths != RDE_NIL ||
	    rde_prefix_in_use(i))
		return;
	pp = &pfx_htab[rde_prefix_bucket(rde_prefix_hash(p->aid, p->addr,
	    p->plen))];
	while (*pp != i) {
		if (*pp == RDE_NIL)
			fatalx("rde_prefix_gc: %u not in its chain", i);
		q = rde_slab_get(&rde_pfx_slab, *pp);
		pp = &q->hnext;
	}
	*pp = p->hnext;
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
	return rde_slab_bytes(&rde_pfx_slab) +
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
