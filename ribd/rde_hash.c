/*
 * Index hash tables, for the prefix table and the attribute sets.
 *
 * A bucket is one cache line of 16 32-bit words: word 0 counts the
 * entries that went on past this bucket because it was full, the other
 * 15 hold one entry each, an 8-bit tag of the hash over the 24-bit index
 * of the record (0 when empty).  A lookup reads one line and looks at a
 * record only when its tag matches, which a wrong record's does once in
 * 256; it goes on to the next bucket only while entries went past the
 * one it read.  Inserting and removing read and write one line too: the
 * chains of records this replaces cost a cache miss per record they
 * passed, which in a table of a million prefixes was most of the time
 * of a full table's arrival or withdrawal.
 *
 * The table keeps no keys: callers compare their records with the
 * candidates rde_ht_find() and rde_ht_next() return, and re-insert
 * every record (with its hash) into an empty table of rde_ht_bigger()
 * buckets when rde_ht_full() says so.  Bucket counts grow by half, not
 * double, so that a table just past a power of two does not waste half
 * of its memory.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

#define RDE_HT_WORDS		16		/* one cache line */
#define RDE_HT_TAG(e)		((e) >> 24)
#define RDE_HT_IDX(e)		((e) & RDE_HT_IDX_MAX)

void
rde_ht_init(struct rde_ht *ht, uint32_t nbuckets)
{
	size_t	 size;

	if (nbuckets < RDE_HT_MIN)
		nbuckets = RDE_HT_MIN;
	size = (size_t)nbuckets * RDE_HT_WORDS * sizeof(uint32_t);
	if (posix_memalign((void **)&ht->b, 64, size) != 0)
		fatal("rde_ht_init");
	memset(ht->b, 0, size);
	ht->nbuckets = nbuckets;
	ht->count = 0;
}

void
rde_ht_free(struct rde_ht *ht)
{
	free(ht->b);
	memset(ht, 0, sizeof(*ht));
}

static uint32_t *
rde_ht_bucket(const struct rde_ht *ht, uint32_t h)
{
	return ht->b + (size_t)(((uint64_t)h * ht->nbuckets) >> 32) *
	    RDE_HT_WORDS;
}

static uint32_t *
rde_ht_succ(const struct rde_ht *ht, const uint32_t *b)
{
	b += RDE_HT_WORDS;
	return b == ht->b + (size_t)ht->nbuckets * RDE_HT_WORDS ? ht->b :
	    (uint32_t *)b;
}

/*
 * The next candidate from the iterator's position on, RDE_NIL at the
 * end.  Counts of entries that went on past a bucket only fall when
 * those entries go, so after many removals every bucket could still
 * count some: the search stops after visiting every bucket once.
 */
uint32_t
rde_ht_next(struct rde_ht_iter *it)
{
	uint32_t	 e;

	for (;;) {
		while (++it->slot < RDE_HT_WORDS) {
			e = it->b[it->slot];
			if (e != 0 && RDE_HT_TAG(e) == it->tag)
				return RDE_HT_IDX(e);
		}
		if (it->b[0] == 0 || ++it->probes >= it->ht->nbuckets)
			return RDE_NIL;
		it->b = rde_ht_succ(it->ht, it->b);
		it->slot = 0;
	}
}

/* The first record whose tag matches hash h, RDE_NIL if none. */
uint32_t
rde_ht_find(const struct rde_ht *ht, uint32_t h, struct rde_ht_iter *it)
{
	it->ht = ht;
	it->b = rde_ht_bucket(ht, h);
	it->slot = 0;
	it->tag = h & 0xff;
	it->probes = 0;
	return rde_ht_next(it);
}

void
rde_ht_prefetch(const struct rde_ht *ht, uint32_t h)
{
	__builtin_prefetch(rde_ht_bucket(ht, h));
}

/* Add a record that is not in the table; the caller grows it first. */
void
rde_ht_insert(struct rde_ht *ht, uint32_t h, uint32_t idx)
{
	uint32_t	*b = rde_ht_bucket(ht, h);
	int		 s;

	if (idx == RDE_NIL || idx > RDE_HT_IDX_MAX || ht->count >=
	    ht->nbuckets * (uint64_t)(RDE_HT_WORDS - 1))
		fatalx("rde_ht_insert: index %u, %u entries", idx, ht->count);
	for (;;) {
		for (s = 1; s < RDE_HT_WORDS; s++)
			if (b[s] == 0) {
				b[s] = (h & 0xff) << 24 | idx;
				ht->count++;
				return;
			}
		b[0]++;
		b = rde_ht_succ(ht, b);
	}
}

/* Take the record out; h is the hash it was inserted with. */
void
rde_ht_remove(struct rde_ht *ht, uint32_t h, uint32_t idx)
{
	uint32_t	*home = rde_ht_bucket(ht, h), *b = home;
	int		 s;

	for (;;) {
		for (s = 1; s < RDE_HT_WORDS; s++)
			if (b[s] != 0 && RDE_HT_IDX(b[s]) == idx)
				goto found;
		if (b[0] == 0)
			fatalx("rde_ht_remove: %u is not in the table", idx);
		b = rde_ht_succ(ht, b);
	}
 found:
	b[s] = 0;
	ht->count--;
	/* The buckets it went past no longer count it. */
	for (; home != b; home = rde_ht_succ(ht, home))
		home[0]--;
}

/* Whether the next insert needs a bigger table (7/8 of the slots). */
int
rde_ht_full(const struct rde_ht *ht)
{
	return ht->count + 1 >
	    (uint64_t)ht->nbuckets * (RDE_HT_WORDS - 1) * 7 / 8;
}

/* The bucket count after the next growth. */
uint32_t
rde_ht_bigger(const struct rde_ht *ht)
{
	uint64_t	 n = (uint64_t)ht->nbuckets * 3 / 2;

	if (n > RDE_HT_IDX_MAX / (RDE_HT_WORDS - 1) * 2)
		fatalx("rde_ht_bigger: table of %u buckets is full",
		    ht->nbuckets);
	return (uint32_t)n;
}

size_t
rde_ht_bytes(const struct rde_ht *ht)
{
	return (size_t)ht->nbuckets * RDE_HT_WORDS * sizeof(uint32_t);
}
