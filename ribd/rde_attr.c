/*
 * Interned path attributes: every distinct set exists once, reference
 * counted, found through a hash table and named by a 24-bit id (the
 * out-tables of update groups keep an id and a slot in one word).  A full
 * table of a million prefixes typically shares a few thousand sets, so
 * the decision process and the export compare ids, not bytes.
 *
 * Sets are built and modified in a struct rde_abuild, whose variable
 * parts are copied only when they are changed.
 *
 * The hash (rde_hash.c) holds ids; the hashes of the sets are kept by
 * id too, so that growing the table reads no set.  Reference counts live
 * in one array by id (rde_attr_refs), apart from the sets, and a set
 * that loses its last reference is only marked dead: taking it out of
 * the hash and freeing it costs cache misses that a withdrawal of a full
 * table would otherwise pay for every set, so it waits for
 * rde_attr_reclaim(), which the work loop calls when nothing else is to
 * be done, and which also runs before the table of ids would grow.
 * Memory therefore never exceeds what the live sets once took.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

#define RDE_HASH_MUL	0x9e3779b97f4a7c15ULL

/* How far ahead rde_attr_reclaim() fetches what it will need. */
#define RDE_RECLAIM_AHEAD	8

static struct rde_ht	  attr_ht;
static uint32_t		  attr_count;	/* live sets */
struct rde_attrs	**rde_attr_tab;	/* by id, until freed */
uint32_t		 *rde_attr_refs;	/* by id */
static uint32_t		 *attr_hashes;	/* by id */
static uint32_t		  attr_tabcap;
static uint32_t		 *attr_dead;	/* ids; may hold revived ones */
static uint32_t		  attr_ndead;
static uint32_t		  attr_deadcap;
static uint8_t		 *attr_deadbits;	/* by id: in attr_dead */
static uint32_t		  attr_nextid;
static uint32_t		 *attr_freeids;
static uint32_t		  attr_nfree;
static uint32_t		  attr_freecap;
static uint64_t		  attr_serial;
static size_t		  attr_bytes;
static uint8_t		 *attr_tmp;	/* scratch for in-place edits */

void
rde_attr_init(void)
{
	rde_ht_init(&attr_ht, RDE_HT_MIN);
	attr_count = 0;
	attr_tabcap = 1024;
	rde_attr_tab = xcalloc(attr_tabcap, sizeof(*rde_attr_tab));
	rde_attr_refs = xcalloc(attr_tabcap, sizeof(*rde_attr_refs));
	attr_hashes = xcalloc(attr_tabcap, sizeof(*attr_hashes));
	attr_deadbits = xcalloc(attr_tabcap / 8, 1);
	attr_nextid = 1;
	attr_nfree = 0;
	attr_bytes = 0;
	if (attr_tmp == NULL)
		attr_tmp = xmalloc(BGP_MAXLEN_EXT);
}

void
rde_attr_shutdown(void)
{
	uint32_t	 i;

	for (i = 1; i < attr_nextid; i++)
		free(rde_attr_tab[i]);
	rde_ht_free(&attr_ht);
	free(rde_attr_tab);
	free(rde_attr_refs);
	free(attr_hashes);
	free(attr_freeids);
	free(attr_dead);
	free(attr_deadbits);
	free(attr_tmp);
	rde_attr_tab = NULL;
	rde_attr_refs = NULL;
	attr_hashes = NULL;
	attr_freeids = NULL;
	attr_dead = NULL;
	attr_deadbits = NULL;
	attr_tmp = NULL;
	attr_count = attr_tabcap = attr_nfree = attr_nextid = 0;
	attr_freecap = attr_ndead = attr_deadcap = 0;
}

static uint64_t
rde_hash_bytes(uint64_t h, const uint8_t *p, size_t n)
{
	uint64_t	 w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * RDE_HASH_MUL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w ^ ((uint64_t)n << 56)) * RDE_HASH_MUL;
		h ^= h >> 29;
	}
	return h;
}

static uint32_t
rde_ab_hash(const struct rde_abuild *ab)
{
	uint64_t	 h;
	int		 i;

	h = rde_hash_bytes(0x5bd1e995, (const uint8_t *)&ab->k, sizeof(ab->k));
	for (i = 0; i < RDE_AP_MAX; i++)
		if (ab->len[i] > 0)
			h = rde_hash_bytes(h, ab->part[i], ab->len[i]);
	return (uint32_t)(h ^ (h >> 32));
}

const uint8_t *
rde_attr_part(const struct rde_attrs *a, enum rde_apart part, uint16_t *len)
{
	const uint16_t	*lens = &a->k.aspath_len;
	size_t		 off = 0;
	int		 i;

	for (i = 0; i < (int)part; i++)
		off += lens[i];
	*len = lens[part];
	return a->data + off;
}

static int
rde_attr_same(const struct rde_attrs *a, const struct rde_abuild *ab)
{
	const uint8_t	*p;
	uint16_t	 len;
	int		 i;

	if (memcmp(&a->k, &ab->k, sizeof(ab->k)) != 0)
		return 0;
	for (i = 0; i < RDE_AP_MAX; i++) {
		p = rde_attr_part(a, i, &len);
		if (len > 0 && memcmp(p, ab->part[i], len) != 0)
			return 0;
	}
	return 1;
}

void
rde_attr_ref(uint32_t id)
{
	rde_attr_refs[id]++;
}

uint32_t
rde_attr_refcnt(uint32_t id)
{
	return id < attr_tabcap ? rde_attr_refs[id] : 0;
}

/*
 * The last reference is gone: the set is dead, on the list for
 * rde_attr_reclaim() (once, even if it died before, was revived and
 * died again).
 */
void
rde_attr_unref(uint32_t id)
{
	if (id == RDE_NIL || id >= attr_nextid || rde_attr_refs[id] == 0)
		fatalx("rde_attr_unref: bad reference to %u", id);
	if (--rde_attr_refs[id] > 0)
		return;
	attr_count--;
	if (attr_deadbits[id >> 3] & (1 << (id & 7)))
		return;
	attr_deadbits[id >> 3] |= 1 << (id & 7);
	if (attr_ndead == attr_deadcap) {
		attr_deadcap = attr_deadcap ? attr_deadcap * 2 : 1024;
		attr_dead = xreallocarray(attr_dead, attr_deadcap,
		    sizeof(*attr_dead));
	}
	attr_dead[attr_ndead++] = id;
}

static void
rde_attr_free(uint32_t id)
{
	struct rde_attrs	*a = rde_attr_tab[id];

	rde_ht_remove(&attr_ht, attr_hashes[id], id);
	rde_attr_tab[id] = NULL;
	if (attr_nfree == attr_freecap) {
		attr_freecap = attr_freecap ? attr_freecap * 2 : 256;
		attr_freeids = xreallocarray(attr_freeids, attr_freecap,
		    sizeof(*attr_freeids));
	}
	attr_freeids[attr_nfree++] = id;
	attr_bytes -= sizeof(*a) + a->datalen;
	free(a);
}

/*
 * Free the last *budget dead sets, taking what was freed off the
 * budget; a set revived since it died only leaves the list.  The
 * buckets and sets a little further down the list are fetched ahead,
 * as each one is a cache miss.  Returns 1 if dead sets are left.
 */
int
rde_attr_reclaim(size_t *budget)
{
	uint32_t	 lo, i, id;

	lo = *budget < attr_ndead ? attr_ndead - (uint32_t)*budget : 0;
	*budget -= attr_ndead - lo;
	for (i = attr_ndead; i > lo; i--) {
		if (i > lo + RDE_RECLAIM_AHEAD) {
			id = attr_dead[i - 1 - RDE_RECLAIM_AHEAD];
			rde_ht_prefetch(&attr_ht, attr_hashes[id]);
			__builtin_prefetch(rde_attr_tab[id]);
		}
		id = attr_dead[i - 1];
		attr_deadbits[id >> 3] &= ~(1 << (id & 7));
		if (rde_attr_refs[id] == 0)
			rde_attr_free(id);
	}
	attr_ndead = lo;
	if (attr_ndead == 0 && attr_deadcap > 4096) {
		free(attr_dead);
		attr_dead = NULL;
		attr_deadcap = 0;
	}
	return attr_ndead > 0;
}

static void
rde_attr_reclaim_all(void)
{
	size_t	 budget = attr_ndead;

	(void)rde_attr_reclaim(&budget);
}

/*
 * A bigger hash, from the hashes kept by id: no set is read.  The
 * buckets the ids go to are random, so each is fetched a few ids ahead.
 */
static void
rde_attr_grow(void)
{
	uint32_t	 i, n = rde_ht_bigger(&attr_ht);

	rde_ht_free(&attr_ht);
	rde_ht_init(&attr_ht, n);
	for (i = 1; i < attr_nextid; i++) {
		if (i + RDE_HT_AHEAD < attr_nextid)
			rde_ht_prefetch(&attr_ht,
			    attr_hashes[i + RDE_HT_AHEAD]);
		if (rde_attr_tab[i] != NULL)
			rde_ht_insert(&attr_ht, attr_hashes[i], i);
	}
}

/* A free id; the dead are reclaimed before the id space grows. */
static uint32_t
rde_attr_newid(void)
{
	if (attr_nfree == 0 && attr_ndead > 0)
		rde_attr_reclaim_all();
	if (attr_nfree > 0)
		return attr_freeids[--attr_nfree];
	if (attr_nextid > RDE_ATTR_ID_MAX)
		return RDE_NIL;
	if (attr_nextid >= attr_tabcap) {
		rde_attr_tab = xreallocarray(rde_attr_tab, attr_tabcap * 2,
		    sizeof(*rde_attr_tab));
		memset(rde_attr_tab + attr_tabcap, 0,
		    attr_tabcap * sizeof(*rde_attr_tab));
		rde_attr_refs = xreallocarray(rde_attr_refs, attr_tabcap * 2,
		    sizeof(*rde_attr_refs));
		memset(rde_attr_refs + attr_tabcap, 0,
		    attr_tabcap * sizeof(*rde_attr_refs));
		attr_hashes = xreallocarray(attr_hashes, attr_tabcap * 2,
		    sizeof(*attr_hashes));
		attr_deadbits = xreallocarray(attr_deadbits, attr_tabcap / 4,
		    1);
		memset(attr_deadbits + attr_tabcap / 8, 0, attr_tabcap / 8);
		attr_tabcap *= 2;
	}
	return attr_nextid++;
}

/* A match in the hash: one more reference, alive again if it was dead. */
static uint32_t
rde_attr_take(uint32_t id)
{
	if (rde_attr_refs[id]++ == 0)
		attr_count++;
	return id;
}

/* The derived fields and lengths of the key, from the parts. */
static void
rde_ab_finish(struct rde_abuild *ab)
{
	uint16_t	*lens = &ab->k.aspath_len;
	int		 i, n;

	for (i = 0; i < RDE_AP_MAX; i++)
		lens[i] = ab->len[i];
	ab->k.neighbor_as = 0;
	ab->k.aspath_count = 0;
	if (ab->len[RDE_AP_ASPATH] > 0) {
		ab->k.neighbor_as = bgp_aspath_first(ab->part[RDE_AP_ASPATH],
		    ab->len[RDE_AP_ASPATH], 1);
		n = bgp_aspath_count(ab->part[RDE_AP_ASPATH],
		    ab->len[RDE_AP_ASPATH], 1);
		ab->k.aspath_count = n < 0 ? 0 : (uint16_t)n;
	}
	ab->k.pad = 0;
	memset(ab->k.nexthop.pad, 0, sizeof(ab->k.nexthop.pad));
	memset(ab->k.nexthop_ll.pad, 0, sizeof(ab->k.nexthop_ll.pad));
}

/*
 * Find or add the set the builder holds.  Returns its id with one
 * reference for the caller, or RDE_NIL when ids are exhausted.
 */
uint32_t
rde_attr_intern(struct rde_abuild *ab)
{
	struct rde_attrs	*a;
	struct rde_ht_iter	 it;
	uint32_t		 h, id;
	size_t			 dlen = 0, off = 0;
	int			 i;

	rde_ab_finish(ab);
	h = rde_ab_hash(ab);
	for (id = rde_ht_find(&attr_ht, h, &it); id != RDE_NIL;
	    id = rde_ht_next(&it))
		if (attr_hashes[id] == h &&
		    rde_attr_same(rde_attr_tab[id], ab))
			return rde_attr_take(id);
	if ((id = rde_attr_newid()) == RDE_NIL)
		return RDE_NIL;
	for (i = 0; i < RDE_AP_MAX; i++)
		dlen += ab->len[i];
	a = xmalloc(sizeof(*a) + dlen);
	a->serial = ++attr_serial;
	a->id = id;
	a->datalen = (uint32_t)dlen;
	a->k = ab->k;
	for (i = 0; i < RDE_AP_MAX; i++) {
		if (ab->len[i] > 0)
			memcpy(a->data + off, ab->part[i], ab->len[i]);
		off += ab->len[i];
	}
	if (rde_ht_full(&attr_ht))
		rde_attr_grow();
	rde_ht_insert(&attr_ht, h, id);
	rde_attr_tab[id] = a;
	rde_attr_refs[id] = 1;
	attr_hashes[id] = h;
	attr_count++;
	attr_bytes += sizeof(*a) + dlen;
	return id;
}

size_t
rde_attr_count(void)
{
	return attr_count;
}

size_t
rde_attr_bytes(void)
{
	return attr_bytes + rde_ht_bytes(&attr_ht) +
	    (size_t)attr_tabcap * (sizeof(*rde_attr_tab) +
	    sizeof(*rde_attr_refs) + sizeof(*attr_hashes));
}

void
rde_ab_init(struct rde_abuild *ab)
{
	memset(ab, 0, sizeof(*ab));
}

void
rde_ab_free(struct rde_abuild *ab)
{
	int	 i;

	for (i = 0; i < RDE_AP_MAX; i++)
		free(ab->buf[i]);
	memset(ab, 0, sizeof(*ab));
}

/* An empty set (buffers kept). */
void
rde_ab_reset(struct rde_abuild *ab)
{
	int	 i;

	memset(&ab->k, 0, sizeof(ab->k));
	for (i = 0; i < RDE_AP_MAX; i++) {
		ab->part[i] = NULL;
		ab->len[i] = 0;
	}
}

/* Start from an interned set; its parts are referred to, not copied. */
void
rde_ab_from(struct rde_abuild *ab, const struct rde_attrs *a)
{
	int	 i;

	ab->k = a->k;
	for (i = 0; i < RDE_AP_MAX; i++)
		ab->part[i] = rde_attr_part(a, i, &ab->len[i]);
}

/* Make a part writable: copy it into the builder's buffer. */
uint8_t *
rde_ab_edit(struct rde_abuild *ab, enum rde_apart part)
{
	if (ab->buf[part] == NULL)
		ab->buf[part] = xmalloc(BGP_MAXLEN_EXT);
	if (ab->part[part] != ab->buf[part]) {
		if (ab->len[part] > 0)
			memmove(ab->buf[part], ab->part[part], ab->len[part]);
		ab->part[part] = ab->buf[part];
	}
	return ab->buf[part];
}

int
rde_ab_set_aspath(struct rde_abuild *ab, const uint8_t *p, size_t len)
{
	uint8_t	*d;

	if (len > UINT16_MAX)
		return -1;
	d = rde_ab_edit(ab, RDE_AP_ASPATH);
	memmove(d, p, len);
	ab->len[RDE_AP_ASPATH] = (uint16_t)len;
	ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	return 0;
}

static void
rde_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t
rde_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Prepend as count times (RFC 4271 5.1.2): into the leading AS_SEQUENCE
 * while it has room, else as a new segment in front.
 */
int
rde_ab_prepend(struct rde_abuild *ab, uint32_t as, int count)
{
	const uint8_t	*old = ab->part[RDE_AP_ASPATH];
	size_t		 olen = ab->len[RDE_AP_ASPATH], n = 0, segn, i;

	while (count > 0) {
		segn = count > 255 ? 255 : (size_t)count;
		if (olen >= 2 && old[0] == BGP_AS_SEQUENCE &&
		    old[1] + segn <= 255) {
			if (olen + segn * 4 > BGP_MAXLEN_EXT - 16)
				return -1;
			attr_tmp[0] = BGP_AS_SEQUENCE;
			attr_tmp[1] = (uint8_t)(old[1] + segn);
			for (i = 0; i < segn; i++)
				rde_put32(attr_tmp + 2 + i * 4, as);
			memcpy(attr_tmp + 2 + segn * 4, old + 2, olen - 2);
			n = olen + segn * 4;
		} else {
			if (olen + 2 + segn * 4 > BGP_MAXLEN_EXT - 16)
				return -1;
			attr_tmp[0] = BGP_AS_SEQUENCE;
			attr_tmp[1] = (uint8_t)segn;
			for (i = 0; i < segn; i++)
				rde_put32(attr_tmp + 2 + i * 4, as);
			if (olen > 0)
				memcpy(attr_tmp + 2 + segn * 4, old, olen);
			n = olen + 2 + segn * 4;
		}
		if (rde_ab_set_aspath(ab, attr_tmp, n) == -1)
			return -1;
		old = ab->part[RDE_AP_ASPATH];
		olen = ab->len[RDE_AP_ASPATH];
		count -= (int)segn;
	}
	return 0;
}

/* Append a value of vlen octets to a list part unless it is there. */
static int
rde_ab_list_add(struct rde_abuild *ab, enum rde_apart part, uint8_t type,
    const uint8_t *v, size_t vlen)
{
	const uint8_t	*p = ab->part[part];
	size_t		 len = ab->len[part], off;
	uint8_t		*d;

	for (off = 0; off + vlen <= len; off += vlen)
		if (memcmp(p + off, v, vlen) == 0)
			return 0;
	if (len + vlen > BGP_MAXLEN_EXT - 16)
		return -1;
	d = rde_ab_edit(ab, part);
	memcpy(d + len, v, vlen);
	ab->len[part] = (uint16_t)(len + vlen);
	ab->k.present |= BGP_ATTR_BIT(type);
	return 0;
}

int
rde_ab_add_comm(struct rde_abuild *ab, uint32_t c)
{
	uint8_t	 v[4];

	rde_put32(v, c);
	return rde_ab_list_add(ab, RDE_AP_COMM, BGP_ATTR_COMMUNITIES, v, 4);
}

int
rde_ab_add_large(struct rde_abuild *ab, uint32_t a, uint32_t b, uint32_t c)
{
	uint8_t	 v[12];

	rde_put32(v, a);
	rde_put32(v + 4, b);
	rde_put32(v + 8, c);
	return rde_ab_list_add(ab, RDE_AP_LARGE, BGP_ATTR_LARGE_COMMUNITIES, v,
	    12);
}

/* Our cluster id in front of CLUSTER_LIST (RFC 4456 8). */
int
rde_ab_cluster_prepend(struct rde_abuild *ab, uint32_t id)
{
	size_t	 len = ab->len[RDE_AP_CLUSTER];

	if (len + 4 > BGP_MAXLEN_EXT - 16)
		return -1;
	rde_put32(attr_tmp, id);
	if (len > 0)
		memcpy(attr_tmp + 4, ab->part[RDE_AP_CLUSTER], len);
	memcpy(rde_ab_edit(ab, RDE_AP_CLUSTER), attr_tmp, len + 4);
	ab->len[RDE_AP_CLUSTER] = (uint16_t)(len + 4);
	ab->k.present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
	return 0;
}

/* Remove an attribute. */
void
rde_ab_drop(struct rde_abuild *ab, uint8_t type)
{
	ab->k.present &= ~BGP_ATTR_BIT(type);
	switch (type) {
	case BGP_ATTR_MED:
		ab->k.med = 0;
		break;
	case BGP_ATTR_LOCAL_PREF:
		ab->k.local_pref = 0;
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		ab->k.originator_id = 0;
		break;
	case BGP_ATTR_CLUSTER_LIST:
		ab->len[RDE_AP_CLUSTER] = 0;
		break;
	case BGP_ATTR_COMMUNITIES:
		ab->len[RDE_AP_COMM] = 0;
		break;
	case BGP_ATTR_LARGE_COMMUNITIES:
		ab->len[RDE_AP_LARGE] = 0;
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
		ab->len[RDE_AP_EXT] = 0;
		break;
	}
}

static int
rde_cmp_comm(const void *a, const void *b)
{
	uint32_t	 x = rde_get32(a), y = rde_get32(b);

	return x < y ? -1 : x > y;
}

static int
rde_cmp_large(const void *a, const void *b)
{
	int	 i, r;

	for (i = 0; i < 12; i += 4)
		if ((r = rde_cmp_comm((const uint8_t *)a + i,
		    (const uint8_t *)b + i)) != 0)
			return r;
	return 0;
}

/* Sort a list part and drop duplicates; returns the new length. */
static size_t
rde_list_sort(uint8_t *p, size_t len, size_t vlen,
    int (*cmp)(const void *, const void *))
{
	size_t	 i, o;

	qsort(p, len / vlen, vlen, cmp);
	for (i = o = 0; i < len; i += vlen) {
		if (o > 0 && memcmp(p + o - vlen, p + i, vlen) == 0)
			continue;
		if (o != i)
			memmove(p + o, p + i, vlen);
		o += vlen;
	}
	return o;
}

/*
 * Communities as sets, sorted, as BIRD sends them; equal sets then
 * intern to one copy whatever order they were built in.
 */
void
rde_ab_normalize(struct rde_abuild *ab)
{
	uint8_t	*d;

	if (ab->len[RDE_AP_COMM] > 4) {
		d = rde_ab_edit(ab, RDE_AP_COMM);
		ab->len[RDE_AP_COMM] = (uint16_t)rde_list_sort(d,
		    ab->len[RDE_AP_COMM] & ~3U, 4, rde_cmp_comm);
	}
	if (ab->len[RDE_AP_LARGE] > 12) {
		d = rde_ab_edit(ab, RDE_AP_LARGE);
		ab->len[RDE_AP_LARGE] = (uint16_t)rde_list_sort(d,
		    ab->len[RDE_AP_LARGE] - ab->len[RDE_AP_LARGE] % 12, 12,
		    rde_cmp_large);
	}
}

/* The codec's view of an interned set, for encoding. */
void
rde_attr_to_bgp(const struct rde_attrs *a, struct bgp_attrs *b)
{
	memset(b, 0, sizeof(*b));
	b->present = a->k.present;
	b->origin = a->k.origin;
	b->aspath_as4 = 1;
	b->med = a->k.med;
	b->local_pref = a->k.local_pref;
	b->aggregator_as = a->k.aggregator_as;
	b->aggregator_id = a->k.aggregator_id;
	b->originator_id = a->k.originator_id;
	b->nexthop = a->k.nexthop;
	b->nexthop_ll = a->k.nexthop_ll;
	b->aspath = rde_attr_part(a, RDE_AP_ASPATH, &b->aspath_len);
	b->communities = rde_attr_part(a, RDE_AP_COMM, &b->communities_len);
	b->ext_communities = rde_attr_part(a, RDE_AP_EXT,
	    &b->ext_communities_len);
	b->large_communities = rde_attr_part(a, RDE_AP_LARGE,
	    &b->large_communities_len);
	b->cluster_list = rde_attr_part(a, RDE_AP_CLUSTER,
	    &b->cluster_list_len);
	b->unknown = rde_attr_part(a, RDE_AP_UNKNOWN, &b->unknown_len);
}

int
rde_attr_has_comm(const struct rde_attrs *a, uint32_t c)
{
	const uint8_t	*p;
	uint16_t	 len, off;

	p = rde_attr_part(a, RDE_AP_COMM, &len);
	for (off = 0; off + 4 <= len; off += 4)
		if (rde_get32(p + off) == c)
			return 1;
	return 0;
}

int
rde_attr_has_large(const struct rde_attrs *a, uint32_t x, uint32_t y,
    uint32_t z)
{
	const uint8_t	*p;
	uint16_t	 len, off;

	p = rde_attr_part(a, RDE_AP_LARGE, &len);
	for (off = 0; off + 12 <= len; off += 12)
		if (rde_get32(p + off) == x && rde_get32(p + off + 4) == y &&
		    rde_get32(p + off + 8) == z)
			return 1;
	return 0;
}
