/*
 * Adj-RIB-In and Loc-RIB in one structure: each prefix keeps the paths
 * its peers sent (after import policy), sorted by the decision process,
 * so that the first one is the best.  When the best changes (another
 * path, or the same path with other attributes) the prefix goes into the
 * journal that update groups and the kernel read.
 */
#include <sys/types.h>

#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

struct rde_slab		 rde_path_slab;

void
rde_rib_init(void)
{
	rde_slab_init(&rde_path_slab, sizeof(struct rde_path));
}

void
rde_rib_shutdown(void)
{
	rde_slab_free_all(&rde_path_slab);
}

/*
 * The best path: the first of the list, unless its next hop is
 * unreachable (such paths sort last, so then no path is eligible).
 */
uint32_t
rde_rib_best(const struct rde_prefix *p)
{
	if (p->paths == RDE_NIL ||
	    (rde_path_at(p->paths)->peer & RDE_PATH_UNREACH))
		return RDE_NIL;
	return p->paths;
}

size_t
rde_path_bytes(void)
{
	return rde_slab_bytes(&rde_path_slab);
}

uint32_t
rde_path_count(void)
{
	return rde_path_slab.count;
}

/* Whether journal position a comes before b. */
int
rde_jr_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/*
 * Note that the best path of prefix i changed.  A prefix already in the
 * journal where no reader has passed it yet needs no second entry.
 */
void
rde_journal_add(uint32_t i, struct rde_prefix *p)
{
	struct rde_journal	*j = &rde->jr;
	uint32_t		 pos;

	if (!rde->jr_readers)
		return;
	if (p->jpos != 0 && !rde_jr_before(p->jpos - 1, rde->jr_floor))
		return;
	if (j->len == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 4096;
		j->v = xreallocarray(j->v, j->cap, sizeof(*j->v));
	}
	pos = j->base + j->len;
	j->v[j->len++] = i;
	p->jpos = pos + 1;
}

static void
rde_rib_link(struct rde_prefix *p, uint32_t pi)
{
	struct rde_path	*np = rde_path_at(pi), *q;
	uint32_t	*pp = &p->paths;

	while (*pp != RDE_NIL) {
		q = rde_path_at(*pp);
		if (rde_decide_cmp(np, q) < 0)
			break;
		pp = &q->next;
	}
	np->next = *pp;
	*pp = pi;
}

/* Take the path of (peer, path_id) out of the list; RDE_NIL if none. */
static uint32_t
rde_rib_unlink(struct rde_prefix *p, uint32_t peer, uint32_t path_id)
{
	struct rde_path	*q;
	uint32_t	*pp, i;

	for (pp = &p->paths; *pp != RDE_NIL; pp = &q->next) {
		q = rde_path_at(*pp);
		if (RDE_PATH_PEER(q) == peer && q->path_id == path_id) {
			i = *pp;
			*pp = q->next;
			q->next = RDE_NIL;
			return i;
		}
	}
	return RDE_NIL;
}

/* What the best path was before a change. */
struct rde_best {
	uint32_t	 path;
	uint32_t	 attrs;
	uint32_t	 peer;
};

static void
rde_best_save(const struct rde_prefix *p, struct rde_best *b)
{
	struct rde_path	*q;

	memset(b, 0, sizeof(*b));
	if ((b->path = rde_rib_best(p)) == RDE_NIL)
		return;
	q = rde_path_at(b->path);
	b->attrs = q->attrs;
	b->peer = RDE_PATH_PEER(q);
}

/* Compare with the saved best; journal and count a change.  1 if so. */
static int
rde_best_check(uint32_t i, struct rde_prefix *p, const struct rde_best *b)
{
	struct rde_path	*q = NULL;
	struct rde_peer	*peer;
	uint32_t	 best = rde_rib_best(p);

	if (best != RDE_NIL)
		q = rde_path_at(best);
	if (best == b->path && (q == NULL || q->attrs == b->attrs))
		return 0;
	if (b->path != RDE_NIL && (peer = rde->peers[b->peer]) != NULL) {
		peer->prefixes_best--;
		rde_peer_changed(peer);
	}
	if (q != NULL) {
		peer = rde_path_peer(q);
		peer->prefixes_best++;
		rde_peer_changed(peer);
	}
	rde_journal_add(i, p);
	return 1;
}

/*
 * A path of prefix i takes attributes attrs instead of its own: the
 * next-hop table follows when the next hop changes.
 */
static void
rde_rib_nexthop_move(uint32_t i, const struct rde_path *q, uint32_t attrs)
{
	const struct rde_attrs	*o = rde_attr_get(q->attrs);
	const struct rde_attrs	*n = rde_attr_get(attrs);

	if (addr_cmp(&o->k.nexthop, &n->k.nexthop) == 0)
		return;
	rde_nexthop_unref(o);
	rde_nexthop_ref(i, n);
}

static void
rde_path_stale_clear(struct rde_path *q, struct rde_peer *peer)
{
	if (q->peer & RDE_PATH_STALE) {
		q->peer &= ~RDE_PATH_STALE;
		peer->stale--;
	}
}

/*
 * Add or replace the path of (peer, path_id) for a prefix.  The caller
 * hands over one reference to attrs.  Returns 1 if the best path changed.
 */
int
rde_rib_update(uint8_t aid, const uint8_t *addr, uint8_t plen,
    struct rde_peer *peer, uint32_t path_id, uint32_t attrs)
{
	struct rde_prefix	*p;
	struct rde_path		*q;
	struct rde_best		 b;
	uint32_t		 i, qi;

	if ((i = rde_prefix_get(aid, addr, plen)) == RDE_NIL) {
		rde_attr_unref(attrs);
		return 0;
	}
	p = rde_prefix_at(i);
	rde_best_save(p, &b);
	if ((qi = rde_rib_unlink(p, peer->idx, path_id)) != RDE_NIL) {
		q = rde_path_at(qi);
		rde_path_stale_clear(q, peer);
		if (q->attrs == attrs) {
			/* Unchanged: put it back where it was. */
			rde_rib_link(p, qi);
			rde_attr_unref(attrs);
			return 0;
		}
		rde_rib_nexthop_move(i, q, attrs);
		rde_attr_unref(q->attrs);
		q->attrs = attrs;
	} else {
		qi = rde_slab_alloc(&rde_path_slab);
		q = rde_path_at(qi);
		q->peer = peer->idx;
		q->attrs = attrs;
		q->path_id = path_id;
		rde_nexthop_ref(i, rde_attr_get(attrs));
		peer->prefixes_in++;
		rde_peer_changed(peer);
	}
	q->peer &= ~RDE_PATH_UNREACH;
	q->peer |= rde_nexthop_flag(rde_attr_get(attrs), peer);
	if (peer->flags & RDE_PEER_LOCAL)
		p->flags |= RDE_PFX_LOCAL;
	rde_rib_link(p, qi);
	return rde_best_check(i, p, &b);
}

static int
rde_rib_remove(uint32_t i, struct rde_prefix *p, struct rde_peer *peer,
    uint32_t path_id)
{
	struct rde_path	*q;
	struct rde_best	 b;
	uint32_t	 qi;
	int		 r;

	rde_best_save(p, &b);
	if ((qi = rde_rib_unlink(p, peer->idx, path_id)) == RDE_NIL)
		return 0;
	q = rde_path_at(qi);
	rde_path_stale_clear(q, peer);
	rde_nexthop_unref(rde_attr_get(q->attrs));
	rde_attr_unref(q->attrs);
	rde_slab_release(&rde_path_slab, qi);
	peer->prefixes_in--;
	rde_peer_changed(peer);
	if (peer->flags & RDE_PEER_LOCAL)
		p->flags &= ~RDE_PFX_LOCAL;
	r = rde_best_check(i, p, &b);
	if (p->paths == RDE_NIL)
		rde_prefix_gc(i);
	return r;
}

/* Withdraw the path of (peer, path_id).  Returns 1 if the best changed. */
int
rde_rib_withdraw(uint8_t aid, const uint8_t *addr, uint8_t plen,
    struct rde_peer *peer, uint32_t path_id)
{
	uint32_t	 i;

	if ((i = rde_prefix_find(aid, addr, plen)) == RDE_NIL)
		return 0;
	return rde_rib_remove(i, rde_prefix_at(i), peer, path_id);
}

/* Sort a prefix's paths again after their eligibility changed. */
static void
rde_rib_resort(struct rde_prefix *p)
{
	uint32_t	 qi, next;

	qi = p->paths;
	p->paths = RDE_NIL;
	for (; qi != RDE_NIL; qi = next) {
		next = rde_path_at(qi)->next;
		rde_rib_link(p, qi);
	}
}

/*
 * The state of next hop nh changed: the paths of prefix i through it
 * become eligible or not, and the best path follows.  With force the
 * prefix goes into the journal when its best path uses nh even if it
 * stays best (its interface changed, which export filters may read).
 * Returns 1 if the best path changed.
 */
int
rde_rib_recheck(uint32_t i, const struct bgpd_addr *nh, int force)
{
	struct rde_prefix	*p;
	struct rde_path		*q;
	const struct rde_attrs	*a;
	struct rde_best		 b;
	uint32_t		 qi, f;
	int			 changed = 0;

	if (i == RDE_NIL || i >= rde_prefix_limit())
		return 0;
	p = rde_prefix_at(i);
	if (p->aid == RDE_AID_FREE)
		return 0;
	rde_best_save(p, &b);
	for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		a = rde_attr_get(q->attrs);
		if (addr_cmp(&a->k.nexthop, nh) != 0)
			continue;
		f = rde_nexthop_flag(a, rde_path_peer(q));
		if ((q->peer & RDE_PATH_UNREACH) != f) {
			q->peer ^= RDE_PATH_UNREACH;
			changed = 1;
		}
	}
	if (changed)
		rde_rib_resort(p);
	if (rde_best_check(i, p, &b))
		return 1;
	if (force && b.path != RDE_NIL && addr_cmp(&rde_attr_get(
	    rde_path_at(b.path)->attrs)->k.nexthop, nh) == 0)
		rde_journal_add(i, p);
	return 0;
}

/* A path of the peer in the list (a stale one if only_stale). */
static uint32_t
rde_rib_find_peer(const struct rde_prefix *p, uint32_t peer, int only_stale,
    uint32_t *path_id)
{
	struct rde_path	*q;
	uint32_t	 qi;

	for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		if (RDE_PATH_PEER(q) == peer &&
		    (!only_stale || (q->peer & RDE_PATH_STALE))) {
			*path_id = q->path_id;
			return qi;
		}
	}
	return RDE_NIL;
}

/*
 * Remove a peer's paths of the families in aidmask: all of them, or only
 * the stale ones.  A walk over the whole table, as session events are
 * rare next to UPDATEs.
 */
void
rde_rib_flush_peer(struct rde_peer *peer, int aidmask, int only_stale)
{
	struct rde_prefix	*p;
	uint32_t		 i, lim = rde_prefix_limit(), id;

	for (i = 1; i < lim; i++) {
		p = rde_prefix_at(i);
		if (p->aid == RDE_AID_FREE || !(aidmask & (1 << p->aid)))
			continue;
		while (p->aid != RDE_AID_FREE && rde_rib_find_peer(p,
		    peer->idx, only_stale, &id) != RDE_NIL)
			rde_rib_remove(i, p, peer, id);
	}
}

/*
 * One pass over a prefix's paths for peers whose sessions are stopping:
 * mark stale, or remove the first to withdraw and return 1 (the list
 * changed; the caller comes back).
 */
static int
rde_rib_down_one(uint32_t i, struct rde_prefix *p)
{
	struct rde_path	*q;
	struct rde_peer	*peer;
	uint32_t	 qi;

	for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
		q = rde_path_at(qi);
		peer = rde_path_peer(q);
		if (peer->down_mode == RDE_DOWN_FLUSH) {
			rde_rib_remove(i, p, peer, q->path_id);
			return 1;
		}
		if (peer->down_mode == RDE_DOWN_STALE &&
		    !(q->peer & RDE_PATH_STALE)) {
			q->peer |= RDE_PATH_STALE;
			peer->stale++;
		}
	}
	return 0;
}

/*
 * The paths of peers whose sessions are stopping (down_mode): withdrawn
 * or marked stale, for all of them in one walk of the table.
 */
void
rde_rib_walk_down(void)
{
	struct rde_prefix	*p;
	uint32_t		 i, lim = rde_prefix_limit();

	for (i = 1; i < lim; i++) {
		p = rde_prefix_at(i);
		while (p->aid != RDE_AID_FREE && rde_rib_down_one(i, p))
			;
	}
}

/* Mark a peer's paths of the families in aidmask stale (RFC 4724 4.2). */
void
rde_rib_mark_stale(struct rde_peer *peer, int aidmask)
{
	struct rde_prefix	*p;
	struct rde_path		*q;
	uint32_t		 i, qi, lim = rde_prefix_limit();

	for (i = 1; i < lim; i++) {
		p = rde_prefix_at(i);
		if (p->aid == RDE_AID_FREE || !(aidmask & (1 << p->aid)))
			continue;
		for (qi = p->paths; qi != RDE_NIL; qi = q->next) {
			q = rde_path_at(qi);
			if (RDE_PATH_PEER(q) != peer->idx ||
			    (q->peer & RDE_PATH_STALE))
				continue;
			q->peer |= RDE_PATH_STALE;
			peer->stale++;
		}
	}
	peer->stale_aids |= aidmask;
	rde_peer_changed(peer);
}

void
rde_rib_sweep_stale(struct rde_peer *peer, int aidmask)
{
	if (!(peer->stale_aids & aidmask))
		return;
	rde_rib_flush_peer(peer, aidmask, 1);
	peer->stale_aids &= ~aidmask;
}
