/*
 * Index slabs: fixed-size records allocated in chunks, named by 32-bit
 * indexes, so that a million prefixes cost a few dozen allocations and
 * a reference costs four bytes instead of eight.  Index 0 is never handed
 * out (RDE_NIL).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

void
rde_slab_init(struct rde_slab *s, size_t esize)
{
	memset(s, 0, sizeof(*s));
	if (esize < sizeof(uint32_t))
		esize = sizeof(uint32_t);
	s->esize = esize;
	s->next = 1;
}

void
rde_slab_free_all(struct rde_slab *s)
{
	uint32_t	 i;

	for (i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	rde_slab_init(s, s->esize);
}

static void
rde_slab_grow(struct rde_slab *s)
{
	if (s->nchunks >= (UINT32_MAX >> RDE_SLAB_SHIFT))
		fatalx("rde_slab_grow: index space exhausted");
	s->chunks = xreallocarray(s->chunks, s->nchunks + 1,
	    sizeof(*s->chunks));
	/* Allocation failure is fatal: the RIB cannot go on half-built. */
	s->chunks[s->nchunks] = xcalloc(RDE_SLAB_CHUNK, s->esize);
	s->nchunks++;
}

uint32_t
rde_slab_alloc(struct rde_slab *s)
{
	uint32_t	 i;
	void		*e;

	if (s->free != RDE_NIL) {
		i = s->free;
		e = rde_slab_get(s, i);
		memcpy(&s->free, e, sizeof(s->free));
		memset(e, 0, s->esize);
	} else {
		if ((s->next >> RDE_SLAB_SHIFT) >= s->nchunks)
			rde_slab_grow(s);
		i = s->next++;
	}
	s->count++;
	return i;
}

/* The record's first four bytes become the free list link. */
void
rde_slab_release(struct rde_slab *s, uint32_t i)
{
	void	*e = rde_slab_get(s, i);

	memcpy(e, &s->free, sizeof(s->free));
	s->free = i;
	s->count--;
}

size_t
rde_slab_bytes(const struct rde_slab *s)
{
	return (size_t)s->nchunks * RDE_SLAB_CHUNK * s->esize +
	    s->nchunks * sizeof(*s->chunks);
}
