/*
 * Update groups and the Adj-RIB-Out.
 *
 * Peers whose outbound settings are equal (struct rde_gkey) share one
 * group.  The group keeps, per prefix, one word: the attribute set it
 * advertises and the slot of the member that must not get it because the
 * route came from it (0: none).  Each round the group reads the journal
 * of best-path changes (or walks the whole table after a configuration
 * change or when it is new), computes the export once, compares with its
 * word and collects the differences in buckets keyed by attributes and
 * recipients.  Each bucket is packed into as few UPDATEs as fit, and the
 * same bytes go to every member.  A changed prefix that changes back
 * within a round sends nothing.
 *
 * A peer that joins an existing group gets the group's current state by
 * a dump of the words; one that moves between groups (its BGPFilter
 * rules changed) also gets withdrawals for what the old group had sent
 * it and the new one does not, from a bitmap taken when it left.
 *
 * A group whose member cannot take more (XOFF from its sessiond, or our
 * pipe to that sessiond is full) stops reading the journal; the changes
 * wait there and are coalesced when it resumes.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

/*
 * A round's UPDATEs for a group are staged, then each member gets its
 * share in as few pieces as the recipient sets allow; staging stops at
 * this size to bound the buffer.
 */
#define RDE_OBUF_MAX		(1024 * 1024)

#define RDE_RC_ALL_BUT		0	/* every member but the slot */
#define RDE_RC_ONLY		1	/* the member in the slot alone */

#define RDE_BKEY(attr, mode, slot) \
	((uint64_t)(attr) << 16 | (uint64_t)(mode) << 8 | (slot))

/*
 * What is staged in rde->obuf: messages for one group, in pieces of
 * consecutive messages with the same recipients.
 */
struct rde_seg {
	size_t			 off;
	size_t			 len;
	uint16_t		 rc;
};

static struct rde_group	*stage_g;
static struct rde_seg	*stage_segs;
static size_t		 stage_nsegs;
static size_t		 stage_segcap;

void
rde_out_init(void)
{
	TAILQ_INIT(&rde->groups);
	rde->obuf = xmalloc(RDE_OBUF_MAX);
	rde->olen = 0;
	stage_g = NULL;
	stage_nsegs = 0;
	rde->packer = xmalloc(sizeof(*rde->packer));
}

static void	 rde_group_destroy(struct rde_group *);

void
rde_out_shutdown(void)
{
	struct rde_group	*g;

	while ((g = TAILQ_FIRST(&rde->groups)) != NULL)
		rde_group_destroy(g);
	free(rde->obuf);
	free(rde->packer);
	free(stage_segs);
	stage_segs = NULL;
	stage_segcap = stage_nsegs = 0;
	rde->obuf = NULL;
	rde->packer = NULL;
	free(rde->mig);
	rde->mig = NULL;
	rde->nmig = 0;
}

uint32_t
rde_group_out(const struct rde_group *g, uint32_t i)
{
	return i < g->outcap ? g->out[i] : 0;
}

static void
rde_out_grow(struct rde_group *g, uint32_t i)
{
	uint32_t	 ncap = g->outcap ? g->outcap : 1024;

	while (ncap <= i)
		ncap *= 2;
	g->out = xreallocarray(g->out, ncap, sizeof(*g->out));
	memset(g->out + g->outcap, 0, (ncap - g->outcap) * sizeof(*g->out));
	g->outcap = ncap;
}

/* Store a word, moving the attribute references and the counters. */
static void
rde_out_set(struct rde_group *g, uint32_t i, uint32_t old, uint32_t nv)
{
	if (i >= g->outcap)
		rde_out_grow(g, i);
	g->out[i] = nv;
	g->counts_dirty = 1;
	if (nv != 0) {
		rde_attr_ref(RDE_OUT_ATTR(nv));
		if (old == 0)
			g->n_adv++;
		g->n_excl[RDE_OUT_SLOT(nv)]++;
	}
	if (old != 0) {
		rde_attr_unref(RDE_OUT_ATTR(old));
		if (nv == 0)
			g->n_adv--;
		g->n_excl[RDE_OUT_SLOT(old)]--;
	}
}

/* Prefixes advertised to a member. */
uint32_t
rde_peer_adv_count(const struct rde_peer *p)
{
	if (p->group == NULL)
		return 0;
	return p->group->n_adv - p->group->n_excl[p->slot];
}

static int
rde_bitmap_test(const struct rde_dump *d, uint32_t i)
{
	return d->was != NULL && i < d->wascap &&
	    (d->was[i >> 3] >> (i & 7)) & 1;
}

/* Whether anything still advertises, installs or must withdraw it. */
int
rde_prefix_in_use(uint32_t i)
{
	struct rde_group	*g;
	uint32_t		 k;

	TAILQ_FOREACH(g, &rde->groups, entry)
		if (i < g->outcap && g->out[i] != 0)
			return 1;
	if (rde_kernel_out(i))
		return 1;
	for (k = 0; k < rde->nmig; k++)
		if (rde_bitmap_test(&rde->mig[k]->dump, i))
			return 1;
	return 0;
}

void
rde_out_send(struct rde_peer *p, const uint8_t *buf, size_t len)
{
	rde->stats.msgs_out++;
	rde->stats.bytes_out += len;
	if (rde->io.peer_send != NULL)
		rde->io.peer_send(p, buf, len, rde->io.arg);
}

static int
rde_rc_has(uint16_t rc, const struct rde_peer *m)
{
	uint8_t	 mode = rc >> 8, slot = rc & 0xff;

	return mode == RDE_RC_ALL_BUT ? m->slot != slot : m->slot == slot;
}

static void
rde_stage_send(struct rde_peer *m, size_t off, size_t len)
{
	if (rde->io.peer_send != NULL)
		rde->io.peer_send(m, rde->obuf + off, len, rde->io.arg);
	rde->stats.bytes_out += len;
}

/*
 * Send what is staged: each member its pieces, where consecutive ones
 * are one run of bytes.  A route reflector's round, one UPDATE per
 * client's route for all clients but that one, goes to each client in
 * two runs instead of one message per route.
 */
static void
rde_stage_emit(void)
{
	struct rde_peer	*m;
	size_t		 k, off, len;

	if (rde->olen == 0 || stage_g == NULL)
		goto done;
	TAILQ_FOREACH(m, &stage_g->members, gentry) {
		off = len = 0;
		for (k = 0; k < stage_nsegs; k++) {
			if (!rde_rc_has(stage_segs[k].rc, m))
				continue;
			if (len > 0 && off + len == stage_segs[k].off) {
				len += stage_segs[k].len;
				continue;
			}
			if (len > 0)
				rde_stage_send(m, off, len);
			off = stage_segs[k].off;
			len = stage_segs[k].len;
		}
		if (len > 0)
			rde_stage_send(m, off, len);
	}
 done:
	rde->olen = 0;
	stage_nsegs = 0;
}

static void
rde_stage(struct rde_group *g, uint16_t rc, const uint8_t *msg, size_t len)
{
	struct rde_seg	*sg;

	if (stage_g != g || rde->olen + len > RDE_OBUF_MAX)
		rde_stage_emit();
	stage_g = g;
	sg = stage_nsegs > 0 ? &stage_segs[stage_nsegs - 1] : NULL;
	if (sg == NULL || sg->rc != rc) {
		if (stage_nsegs == stage_segcap) {
			stage_segcap = stage_segcap ? stage_segcap * 2 : 256;
			stage_segs = xreallocarray(stage_segs, stage_segcap,
			    sizeof(*stage_segs));
		}
		sg = &stage_segs[stage_nsegs++];
		sg->off = rde->olen;
		sg->len = 0;
		sg->rc = rc;
	}
	memcpy(rde->obuf + rde->olen, msg, len);
	rde->olen += len;
	sg->len += len;
	rde->stats.msgs_out++;
}

static void
rde_pack_out(struct rde_group *g, uint16_t rc)
{
	const uint8_t	*msg;
	size_t		 len;

	if ((len = bgp_pack_flush(rde->packer, &msg)) > 0)
		rde_stage(g, rc, msg, len);
}

static void
rde_pack_prefix(const struct rde_group *g, const struct rde_prefix *p,
    struct bgp_prefix *bp)
{
	memset(&bp->addr, 0, sizeof(bp->addr));
	bp->addr.af = p->aid == BGP_AID_IPV6 ? AF_INET6 : AF_INET;
	memcpy(bp->addr.bytes, p->addr, p->aid == BGP_AID_IPV6 ? 16 : 4);
	bp->aid = p->aid;
	bp->plen = p->plen;
	/* Best path only: one path id per prefix. */
	bp->path_id = g->sess.addpath_tx[p->aid] ? 1 : 0;
}

/* Pack one bucket's prefixes of one family. */
static void
rde_pack_bucket(struct rde_group *g, const struct rde_bucket *b, uint8_t aid)
{
	struct bgp_packer	*pk = rde->packer;
	struct bgp_attrs	 ba;
	struct bgp_prefix	 bp;
	const struct rde_prefix	*p;
	uint32_t		 attr = (uint32_t)(b->key >> 16), e;
	uint16_t		 rc = b->key & 0xffff;

	for (e = b->first; e != 0; e = g->bent[e - 1].next)
		if (rde_prefix_at(g->bent[e - 1].pfx)->aid == aid)
			break;
	if (e == 0)
		return;
	if (attr != RDE_NIL)
		rde_attr_to_bgp(rde_attr_get(attr), &ba);
	if (bgp_pack_init(pk, &g->sess, aid, attr ? &ba : NULL) == -1) {
		log_warnx("update group %u: %s attributes do not fit a "
		    "message, %u prefixes not sent", g->id, bgp_aid_name(aid),
		    b->n);
		return;
	}
	for (; e != 0; e = g->bent[e - 1].next) {
		p = rde_prefix_at(g->bent[e - 1].pfx);
		if (p->aid != aid)
			continue;
		rde_pack_prefix(g, p, &bp);
		if (bgp_pack_add(pk, &bp) == 1) {
			rde_pack_out(g, rc);
			if (bgp_pack_add(pk, &bp) != 0)
				fatalx("rde_pack_bucket: prefix does not fit");
		}
	}
	rde_pack_out(g, rc);
}

static int
rde_rc_empty(const struct rde_group *g, uint16_t rc)
{
	uint8_t	 mode = rc >> 8, slot = rc & 0xff;

	if (mode == RDE_RC_ONLY)
		return g->slots[slot] == NULL;
	return g->nmembers == 0 ||
	    (g->nmembers == 1 && slot != 0 && g->slots[slot] != NULL);
}

/*
 * The withdrawn prefixes of a bucket may go now: each frees a slot of
 * the prefix table, a cache miss, so buckets are fetched a few prefixes
 * ahead (the records were just read for packing).
 */
static void
rde_bucket_gc(struct rde_group *g, const struct rde_bucket *b)
{
	uint32_t	 e, ahead = b->first;
	int		 k;

	for (k = 0; k < RDE_HT_AHEAD && ahead != 0; k++) {
		rde_prefix_prefetch_gc(g->bent[ahead - 1].pfx);
		ahead = g->bent[ahead - 1].next;
	}
	for (e = b->first; e != 0; e = g->bent[e - 1].next) {
		if (ahead != 0) {
			rde_prefix_prefetch_gc(g->bent[ahead - 1].pfx);
			ahead = g->bent[ahead - 1].next;
		}
		rde_prefix_gc(g->bent[e - 1].pfx);
	}
}

/* Encode and send this round's buckets, then forget them. */
static void
rde_group_flush(struct rde_group *g)
{
	struct rde_bucket	*b;
	uint32_t		 i;
	uint8_t			 aid;

	for (i = 0; i < g->nbuckets; i++) {
		b = &g->buckets[i];
		if (!rde_rc_empty(g, b->key & 0xffff))
			for (aid = 0; aid < BGP_AID_MAX; aid++)
				if (g->key.af[aid])
					rde_pack_bucket(g, b, aid);
		if ((b->key >> 16) == RDE_NIL)
			rde_bucket_gc(g, b);
	}
	rde_stage_emit();
	if (g->nbuckets > 0)
		memset(g->bidx, 0, g->bidxcap * sizeof(*g->bidx));
	g->nbuckets = 0;
	g->nbent = 0;
}

static uint32_t
rde_bkey_hash(uint64_t key)
{
	key *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(key >> 32);
}

static void
rde_bidx_grow(struct rde_group *g)
{
	uint32_t	 i, h;

	g->bidxcap = g->bidxcap ? g->bidxcap * 2 : 64;
	free(g->bidx);
	g->bidx = xcalloc(g->bidxcap, sizeof(*g->bidx));
	for (i = 0; i < g->nbuckets; i++) {
		h = rde_bkey_hash(g->buckets[i].key) & (g->bidxcap - 1);
		while (g->bidx[h] != 0)
			h = (h + 1) & (g->bidxcap - 1);
		g->bidx[h] = i + 1;
	}
}

static void
rde_bucket_add(struct rde_group *g, uint64_t key, uint32_t pfx)
{
	struct rde_bucket	*b;
	uint32_t		 h;

	if ((g->nbuckets + 1) * 2 > g->bidxcap)
		rde_bidx_grow(g);
	h = rde_bkey_hash(key) & (g->bidxcap - 1);
	while (g->bidx[h] != 0 && g->buckets[g->bidx[h] - 1].key != key)
		h = (h + 1) & (g->bidxcap - 1);
	if (g->bidx[h] == 0) {
		if (g->nbuckets == g->bcap) {
			g->buckets = xreallocarray(g->buckets, g->bcap + 64,
			    sizeof(*g->buckets));
			memset(g->buckets + g->bcap, 0,
			    64 * sizeof(*g->buckets));
			g->bcap += 64;
		}
		b = &g->buckets[g->nbuckets];
		b->key = key;
		b->first = b->last = b->n = 0;
		g->bidx[h] = ++g->nbuckets;
	}
	b = &g->buckets[g->bidx[h] - 1];
	if (g->nbent == g->bentcap) {
		g->bentcap = g->bentcap ? g->bentcap * 2 : 1024;
		g->bent = xreallocarray(g->bent, g->bentcap, sizeof(*g->bent));
	}
	g->bent[g->nbent].pfx = pfx;
	g->bent[g->nbent].next = 0;
	if (b->last != 0)
		g->bent[b->last - 1].next = ++g->nbent;
	else
		b->first = ++g->nbent;
	b->last = g->nbent;
	b->n++;
}

/* Re-export prefix i to the group and queue what changed. */
static void
rde_group_eval(struct rde_group *g, uint32_t i)
{
	struct rde_prefix	*p = rde_prefix_at(i);
	uint32_t		 old, nv;

	if (p->aid == RDE_AID_FREE)
		return;
	old = rde_group_out(g, i);
	nv = rde_export(g, p);
	if (old == nv)
		return;
	if (nv == 0)
		rde_bucket_add(g, RDE_BKEY(0, RDE_RC_ALL_BUT,
		    RDE_OUT_SLOT(old)), i);
	else {
		rde_bucket_add(g, RDE_BKEY(RDE_OUT_ATTR(nv), RDE_RC_ALL_BUT,
		    RDE_OUT_SLOT(nv)), i);
		/* The member the route now comes from must lose ours. */
		if (RDE_OUT_SLOT(nv) != 0 && old != 0 &&
		    RDE_OUT_SLOT(old) != RDE_OUT_SLOT(nv))
			rde_bucket_add(g, RDE_BKEY(0, RDE_RC_ONLY,
			    RDE_OUT_SLOT(nv)), i);
	}
	rde_out_set(g, i, old, nv);
}

static int
rde_member_blocked(const struct rde_peer *m)
{
	return (m->flags & (RDE_PEER_XOFF | RDE_PEER_BUSY)) != 0;
}

static int
rde_group_paused(const struct rde_group *g)
{
	const struct rde_peer	*m;

	TAILQ_FOREACH(m, &g->members, gentry)
		if (rde_member_blocked(m))
			return 1;
	return 0;
}

static uint32_t
rde_jr_end(void)
{
	return rde->jr.base + rde->jr.len;
}

static void
rde_group_journal(struct rde_group *g, size_t *budget)
{
	struct rde_journal	*j = &rde->jr;

	while (g->rd.pos != rde_jr_end() && *budget > 0) {
		rde_group_eval(g, j->v[g->rd.pos - j->base]);
		g->rd.pos++;
		(*budget)--;
	}
}

static void
rde_group_walk(struct rde_group *g, size_t *budget)
{
	uint32_t	 lim = rde_prefix_limit();

	while (g->rd.walk < lim && *budget > 0) {
		rde_group_eval(g, g->rd.walk++);
		(*budget)--;
	}
	if (g->rd.walk >= lim) {
		g->rd.walking = 0;
		g->rd.initial = 0;
	}
}

static void
rde_mig_remove(struct rde_peer *m)
{
	uint32_t	 k;

	for (k = 0; k < rde->nmig; k++)
		if (rde->mig[k] == m) {
			rde->mig[k] = rde->mig[--rde->nmig];
			return;
		}
}

/*
 * End a member's dump.  Prefixes that only its bitmap kept alive (their
 * withdrawal was still owed) may go now.
 */
static void
rde_dump_end(struct rde_peer *m)
{
	uint8_t		*was = m->dump.was;
	uint32_t	 cap = m->dump.wascap, i;

	m->dump.active = 0;
	if (was == NULL)
		return;
	m->dump.was = NULL;
	m->dump.wascap = 0;
	rde_mig_remove(m);
	for (i = 0; i < cap; i++)
		if ((was[i >> 3] >> (i & 7)) & 1)
			rde_prefix_gc(i);
	free(was);
}

/*
 * Whether the best path came from this peer: after a graceful restart
 * the group's word may still name the slot the peer had before.
 */
static int
rde_from(const struct rde_prefix *p, const struct rde_peer *m)
{
	uint32_t	 best = rde_rib_best(p);

	return best != RDE_NIL && RDE_PATH_PEER(rde_path_at(best)) == m->idx;
}

/* Send a member the group's state (and withdraw what it no longer has). */
static void
rde_dump_run(struct rde_group *g, struct rde_peer *m, size_t *budget)
{
	struct rde_dump		*d = &m->dump;
	struct rde_prefix	*p;
	uint32_t		 lim = rde_prefix_limit(), i, v;
	int			 was;

	while (d->pos < lim && *budget > 0) {
		i = d->pos++;
		(*budget)--;
		was = rde_bitmap_test(d, i);
		if (was)
			d->was[i >> 3] &= ~(1 << (i & 7));
		p = rde_prefix_at(i);
		if (p->aid == RDE_AID_FREE || !(d->aidmask & (1 << p->aid)))
			continue;
		v = rde_group_out(g, i);
		if (v != 0 && RDE_OUT_SLOT(v) != m->slot && !rde_from(p, m))
			rde_bucket_add(g, RDE_BKEY(RDE_OUT_ATTR(v),
			    RDE_RC_ONLY, m->slot), i);
		else if (was)
			rde_bucket_add(g, RDE_BKEY(0, RDE_RC_ONLY, m->slot), i);
	}
	if (d->pos >= lim) {
		rde_dump_end(m);
		d->pos = 0;
		d->eorr |= 0x80;	/* done: EoRR after the flush */
	}
}

static void
rde_send_rrefresh(struct rde_peer *m, uint8_t aidmask, uint8_t subtype)
{
	uint8_t	 buf[BGP_RREFRESH_LEN];
	int	 aid, n;

	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!(aidmask & (1 << aid)))
			continue;
		if ((n = bgp_rrefresh_encode(aid, subtype, buf,
		    sizeof(buf))) > 0)
			rde_out_send(m, buf, n);
	}
}

static void
rde_send_eor(struct rde_group *g, struct rde_peer *m)
{
	uint8_t	 buf[BGP_UPDATE_MINLEN + 8];
	int	 aid, n;

	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!g->key.af[aid])
			continue;
		if ((n = bgp_eor_encode(aid, buf, sizeof(buf))) > 0)
			rde_out_send(m, buf, n);
	}
}

/* After a flush: EoRR of finished refreshes, EoR of finished syncs. */
static void
rde_group_markers(struct rde_group *g)
{
	struct rde_peer	*m;

	TAILQ_FOREACH(m, &g->members, gentry) {
		if (m->dump.eorr & 0x80) {
			if (m->dump.eorr & 0x01)
				rde_send_rrefresh(m, m->dump.aidmask,
				    BGP_RR_EORR);
			m->dump.eorr = 0;
			m->dump.aidmask = 0;
		}
		if (m->eor_pending && !m->dump.active && !g->rd.initial) {
			rde_send_eor(g, m);
			m->eor_pending = 0;
		}
	}
}

/* Whether the group has work it could do now. */
static int
rde_group_busy(const struct rde_group *g)
{
	const struct rde_peer	*m;

	if (!rde_group_paused(g) &&
	    (g->rd.walking || g->rd.pos != rde_jr_end()))
		return 1;
	TAILQ_FOREACH(m, &g->members, gentry)
		if (m->dump.active && !rde_member_blocked(m))
			return 1;
	return 0;
}

static void
rde_group_run(struct rde_group *g, size_t *budget)
{
	struct rde_peer	*m;

	if (!rde_group_paused(g)) {
		rde_group_journal(g, budget);
		if (g->rd.walking)
			rde_group_walk(g, budget);
	}
	TAILQ_FOREACH(m, &g->members, gentry)
		if (m->dump.active && !rde_member_blocked(m))
			rde_dump_run(g, m, budget);
	rde_group_flush(g);
	rde_group_markers(g);
	if (g->counts_dirty) {
		TAILQ_FOREACH(m, &g->members, gentry)
			rde_peer_changed(m);
		g->counts_dirty = 0;
	}
}

/* The readers' positions: keep the journal as short as they allow. */
static void
rde_journal_trim(void)
{
	struct rde_journal	*j = &rde->jr;
	struct rde_group	*g;
	uint32_t		 end = rde_jr_end(), lo = end, hi, drop;

	hi = j->base;
	TAILQ_FOREACH(g, &rde->groups, entry) {
		if (rde_jr_before(g->rd.pos, lo))
			lo = g->rd.pos;
		if (rde_jr_before(hi, g->rd.pos))
			hi = g->rd.pos;
	}
	if (rde->kernel) {
		if (rde_jr_before(rde->krd.pos, lo))
			lo = rde->krd.pos;
		if (rde_jr_before(hi, rde->krd.pos))
			hi = rde->krd.pos;
	}
	rde->jr_floor = rde->jr_readers ? hi : end;
	if ((drop = lo - j->base) == 0)
		return;
	if (drop < j->len)
		memmove(j->v, j->v + drop, (j->len - drop) * sizeof(*j->v));
	j->base += drop;
	j->len -= drop;
}

/*
 * A reader far behind (a group held back by a slow peer) gives up its
 * journal position and walks the table when it resumes: cheaper than a
 * journal longer than the table.
 */
static void
rde_journal_bound(void)
{
	struct rde_group	*g;
	uint32_t		 lim, end = rde_jr_end();

	lim = 2 * rde_prefix_count() + (1U << 20);
	if (rde->jr.len <= lim)
		return;
	TAILQ_FOREACH(g, &rde->groups, entry)
		if (end - g->rd.pos > lim / 2) {
			g->rd.pos = end;
			g->rd.walking = 1;
			g->rd.walk = 1;
		}
	if (rde->kernel && end - rde->krd.pos > lim / 2)
		rde_kernel_resync();
	rde_journal_trim();
}

/* One round for every group; returns 1 if work is left. */
int
rde_out_run(size_t *budget)
{
	struct rde_group	*g, *first;
	int			 more = 0;

	/* Start with another group each round, so none starves. */
	if ((first = TAILQ_FIRST(&rde->groups)) != NULL &&
	    TAILQ_NEXT(first, entry) != NULL) {
		TAILQ_REMOVE(&rde->groups, first, entry);
		TAILQ_INSERT_TAIL(&rde->groups, first, entry);
	}
	TAILQ_FOREACH(g, &rde->groups, entry) {
		rde_group_run(g, budget);
		if (rde_group_busy(g))
			more = 1;
	}
	rde_journal_trim();
	rde_journal_bound();
	return more;
}

/* The settings that decide a peer's group. */
void
rde_group_key(const struct rde_peer *p, struct rde_gkey *k)
{
	const struct imsg_global	*gl = &rde->conf.global;
	int				 ebgp = rde_peer_is_ebgp(p), aid;

	memset(k, 0, sizeof(*k));
	k->as4 = p->sess.as4;
	k->ebgp = ebgp;
	k->rr_client = !ebgp && (p->conf.flags & PEER_F_RR_CLIENT);
	if (p->conf.nexthop == NEXTHOP_SELF)
		k->nexthop = NEXTHOP_SELF;
	else if (p->conf.nexthop == NEXTHOP_KEEP ||
	    (ebgp && (p->conf.flags & PEER_F_KEEP_NEXTHOP)))
		k->nexthop = NEXTHOP_KEEP;
	else
		k->nexthop = NEXTHOP_AUTO;
	k->on_subnet = gl->ipv4.af == AF_INET &&
	    p->remote_addr.af == AF_INET &&
	    addr_in_prefix(&p->remote_addr, &gl->ipv4, gl->ipv4_plen);
	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		k->af[aid] = p->sess.af[aid] ? 1 : 0;
		k->addpath_tx[aid] = p->sess.addpath_tx[aid] ? 1 : 0;
	}
	k->maxlen = p->sess.maxlen > BGP_MAXLEN ? BGP_MAXLEN_EXT : BGP_MAXLEN;
	k->local_as = p->conf.local_as ? p->conf.local_as : gl->local_as;
	if (p->local_addr.af == AF_INET)
		k->self4 = p->local_addr;
	else if (gl->ipv4.af == AF_INET)
		k->self4 = gl->ipv4;
	if (p->local_addr.af == AF_INET6)
		k->self6 = p->local_addr;
	else if (gl->ipv6.af == AF_INET6)
		k->self6 = gl->ipv6;
	memset(k->self4.pad, 0, sizeof(k->self4.pad));
	memset(k->self6.pad, 0, sizeof(k->self6.pad));
	k->policy = p->policy;
}

static int
rde_group_slot(const struct rde_group *g)
{
	int	 s;

	for (s = 1; s < RDE_GROUP_SLOTS; s++)
		if (g->slots[s] == NULL && g->n_excl[s] == 0)
			return s;
	return -1;
}

static struct rde_group *
rde_group_create(const struct rde_gkey *k)
{
	struct rde_group	*g;
	int			 aid;

	g = xcalloc(1, sizeof(*g));
	g->id = ++rde->group_ids;
	g->key = *k;
	g->sess.as4 = k->as4;
	g->sess.ebgp = k->ebgp;
	g->sess.maxlen = k->maxlen;
	g->sess.ext_msg = k->maxlen > BGP_MAXLEN;
	g->sess.local_as = k->local_as;
	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		g->sess.af[aid] = k->af[aid];
		g->sess.addpath_tx[aid] = k->addpath_tx[aid];
	}
	TAILQ_INIT(&g->members);
	g->memo = xcalloc(RDE_MEMO_SIZE, sizeof(*g->memo));
	g->rd.pos = rde_jr_end();
	g->rd.walk = 1;
	g->rd.walking = 1;
	g->rd.initial = 1;
	rde->jr_readers++;
	TAILQ_INSERT_TAIL(&rde->groups, g, entry);
	log_debug("update group %u created", g->id);
	return g;
}

void
rde_group_memo_clear(struct rde_group *g)
{
	uint32_t	 i;

	for (i = 0; i < RDE_MEMO_SIZE; i++)
		if (g->memo[i].out != RDE_NIL)
			rde_attr_unref(g->memo[i].out);
	memset(g->memo, 0, RDE_MEMO_SIZE * sizeof(*g->memo));
}

static void
rde_group_destroy(struct rde_group *g)
{
	uint32_t	 i;

	TAILQ_REMOVE(&rde->groups, g, entry);
	for (i = 0; i < g->outcap; i++)
		if (g->out[i] != 0) {
			rde_out_set(g, i, g->out[i], 0);
			rde_prefix_gc(i);
		}
	rde_group_memo_clear(g);
	if (stage_g == g) {
		stage_g = NULL;
		rde->olen = 0;
		stage_nsegs = 0;
	}
	free(g->buckets);
	free(g->bent);
	free(g->bidx);
	free(g->out);
	free(g->memo);
	rde->jr_readers--;
	log_debug("update group %u destroyed", g->id);
	free(g);
	rde_journal_trim();
}

static struct rde_group *
rde_group_find(const struct rde_gkey *k)
{
	struct rde_group	*g;

	TAILQ_FOREACH(g, &rde->groups, entry)
		if (memcmp(&g->key, k, sizeof(*k)) == 0 &&
		    rde_group_slot(g) != -1)
			return g;
	return NULL;
}

static void
rde_group_attach(struct rde_peer *p, struct rde_group *g)
{
	int	 s = rde_group_slot(g);

	p->group = g;
	p->slot = (uint8_t)s;
	g->slots[s] = p;
	TAILQ_INSERT_TAIL(&g->members, p, gentry);
	g->nmembers++;
}

/* A peer whose session came up: into its group, with its initial sync. */
void
rde_group_join(struct rde_peer *p)
{
	struct rde_gkey		 k;
	struct rde_group	*g;
	int			 fresh = 0;

	rde_group_key(p, &k);
	if ((g = rde_group_find(&k)) == NULL) {
		g = rde_group_create(&k);
		fresh = 1;
	}
	rde_group_attach(p, g);
	memset(&p->dump, 0, sizeof(p->dump));
	/* A new group's first walk covers its first member. */
	if (!fresh) {
		p->dump.active = 1;
		p->dump.pos = 1;
		p->dump.aidmask = (1 << BGP_AID_MAX) - 1;
	}
	p->eor_pending = 1;
}

/* Out of the group, which goes when it is empty; the dump is kept. */
static void
rde_group_detach(struct rde_peer *p)
{
	struct rde_group	*g = p->group;

	if (stage_g == g)
		rde_stage_emit();
	TAILQ_REMOVE(&g->members, p, gentry);
	g->slots[p->slot] = NULL;
	g->nmembers--;
	p->group = NULL;
	p->slot = 0;
	p->eor_pending = 0;
	if (g->nmembers == 0)
		rde_group_destroy(g);
}

void
rde_group_leave(struct rde_peer *p)
{
	if (p->group == NULL)
		return;
	rde_group_detach(p);
	rde_dump_end(p);
	memset(&p->dump, 0, sizeof(p->dump));
}

/*
 * A peer's rules changed: move it to the group of its new settings,
 * remembering what it was sent so that the dump can withdraw the rest.
 */
void
rde_peer_regroup(struct rde_peer *p)
{
	struct rde_group	*old = p->group;
	struct rde_gkey		 k;
	uint32_t		 i, v;

	if (old == NULL)
		return;
	rde_group_key(p, &k);
	if (memcmp(&k, &old->key, sizeof(k)) == 0)
		return;
	rde_dump_end(p);
	p->dump.wascap = old->outcap;
	p->dump.was = xcalloc(old->outcap / 8 + 1, 1);
	for (i = 0; i < old->outcap; i++) {
		v = old->out[i];
		if (v != 0 && RDE_OUT_SLOT(v) != p->slot)
			p->dump.was[i >> 3] |= 1 << (i & 7);
	}
	rde->mig = xreallocarray(rde->mig, rde->nmig + 1, sizeof(*rde->mig));
	rde->mig[rde->nmig++] = p;
	rde_group_detach(p);
	if ((p->group = rde_group_find(&k)) == NULL)
		p->group = rde_group_create(&k);
	rde_group_attach(p, p->group);
	p->dump.active = 1;
	p->dump.pos = 1;
	p->dump.aidmask = (1 << BGP_AID_MAX) - 1;
	p->eor_pending = 0;
}

/* Route refresh (RFC 2918, RFC 7313): send the group's state again. */
void
rde_peer_refresh(struct rde_peer *p, uint8_t aid, int enhanced)
{
	if (p->group == NULL || aid >= BGP_AID_MAX || !p->group->key.af[aid])
		return;
	if (enhanced)
		rde_send_rrefresh(p, 1 << aid, BGP_RR_BORR);
	p->dump.active = 1;
	p->dump.pos = 1;
	p->dump.aidmask |= 1 << aid;
	if (enhanced)
		p->dump.eorr |= 0x01;
}

/* Export rules changed: every group re-evaluates the whole table. */
void
rde_group_resync_all(void)
{
	struct rde_group	*g;

	TAILQ_FOREACH(g, &rde->groups, entry) {
		rde_group_memo_clear(g);
		g->rd.walking = 1;
		g->rd.walk = 1;
		g->rd.pos = rde_jr_end();
	}
	rde_journal_trim();
}
