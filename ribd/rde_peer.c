/*
 * Peers: configuration from the parent (IMSG_PEER_ADD / IMSG_PEER_DEL),
 * sessions from sessiond (IMSG_SESSION_UP / IMSG_SESSION_DOWN), graceful
 * restart on the receiving side (RFC 4724 4.2: routes of a peer that went
 * down gracefully stay as stale until it sends End-of-RIB or the restart
 * time runs out), flow control, and the counts the parent shows.
 *
 * A peer is named by the parent's peerid and, in paths, by a small index;
 * index 0 is the node itself, the source of originated routes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

#define RDE_COUNTS_MS		1000

int
rde_peer_cmp(const struct rde_peer *a, const struct rde_peer *b)
{
	return a->conf.peerid < b->conf.peerid ? -1 :
	    a->conf.peerid > b->conf.peerid;
}

RB_GENERATE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)

struct rde_peer *
rde_peer_find(uint32_t peerid)
{
	struct rde_peer	 key;

	key.conf.peerid = peerid;
	return RB_FIND(rde_peer_tree, &rde->peertree, &key);
}

struct rde_peer *
rde_peer_local(void)
{
	return rde->peers[0];
}

void
rde_peer_changed(struct rde_peer *p)
{
	p->flags |= RDE_PEER_COUNTS;
}

/* The node itself, index 0. */
void
rde_peer_init(void)
{
	struct rde_peer	*p;

	RB_INIT(&rde->peertree);
	rde->npeers = 16;
	rde->peers = xcalloc(rde->npeers, sizeof(*rde->peers));
	p = xcalloc(1, sizeof(*p));
	p->idx = 0;
	p->sid = ++rde->sids;
	p->flags = RDE_PEER_LOCAL | RDE_PEER_UP;
	strlcpy(p->conf.name, "local", sizeof(p->conf.name));
	rde->peers[0] = p;
}

static uint32_t
rde_peer_newidx(void)
{
	uint32_t	 i;

	for (i = 1; i < rde->npeers; i++)
		if (rde->peers[i] == NULL)
			return i;
	if (rde->npeers >= RDE_PATH_PEER_MASK)
		fatalx("rde_peer_newidx: too many peers");
	rde->peers = xreallocarray(rde->peers, rde->npeers * 2,
	    sizeof(*rde->peers));
	memset(rde->peers + rde->npeers, 0, rde->npeers * sizeof(*rde->peers));
	rde->npeers *= 2;
	return i;
}

static void
rde_peer_free(struct rde_peer *p)
{
	rde->peers[p->idx] = NULL;
	rde_policy_unref(p->policy);
	free(p);
}

/* Counts for the parent, at most once a second unless forced. */
void
rde_peer_report(struct rde_peer *p, int force)
{
	struct imsg_peer_counts	 c;
	int			 aid;

	if (p->flags & RDE_PEER_LOCAL)
		return;
	if (!force && (!(p->flags & RDE_PEER_COUNTS) ||
	    rde->now < p->counts_sent + RDE_COUNTS_MS))
		return;
	memset(&c, 0, sizeof(c));
	c.peerid = p->conf.peerid;
	c.prefixes_in = p->prefixes_in;
	c.prefixes_best = p->prefixes_best;
	c.prefixes_out = rde_peer_adv_count(p);
	c.filtered = p->filtered;
	c.stale = p->stale;
	c.withdrawn_7606 = p->withdrawn_7606;
	for (aid = 0; aid < BGP_AID_MAX; aid++)
		if (p->eor_rcvd & (1 << aid))
			c.eor |= aid == BGP_AID_IPV4 ? PEER_COUNTS_EOR_V4 :
			    PEER_COUNTS_EOR_V6;
	p->flags &= ~RDE_PEER_COUNTS;
	p->counts_sent = rde->now;
	if (rde->io.counts != NULL)
		rde->io.counts(&c, rde->io.arg);
}

static int
rde_peer_aidmask(const struct rde_peer *p)
{
	int	 aid, m = 0;

	for (aid = 0; aid < BGP_AID_MAX; aid++)
		if (p->sess.af[aid])
			m |= 1 << aid;
	return m;
}

/*
 * Stopping a session: leave the group and say what happens to the
 * peer's routes (kept as stale, or withdrawn); one walk of the table then
 * applies it for every peer being stopped (rde_rib_walk_down()).
 */
static void
rde_peer_stop_begin(struct rde_peer *p, int keep_stale)
{
	rde_group_leave(p);
	p->flags &= ~(RDE_PEER_UP | RDE_PEER_DEAD | RDE_PEER_XOFF);
	p->down_mode = keep_stale && rde_peer_aidmask(p) != 0 ?
	    RDE_DOWN_STALE : RDE_DOWN_FLUSH;
}

static void
rde_peer_stop_end(struct rde_peer *p, uint32_t restart_time)
{
	if (p->down_mode == RDE_DOWN_STALE) {
		p->stale_aids |= rde_peer_aidmask(p);
		if (restart_time == 0)
			restart_time = RDE_GR_TIME_DEFAULT;
		p->stale_deadline = rde->now + (uint64_t)restart_time * 1000;
		log_info("peer %s: down, keeping %u routes as stale for %us",
		    p->conf.name, p->stale, restart_time);
	} else {
		p->stale_aids = 0;
		p->stale_deadline = 0;
	}
	p->down_mode = RDE_DOWN_NONE;
	p->eor_rcvd = 0;
	p->filtered = 0;
	p->withdrawn_7606 = 0;
	rde_peer_changed(p);
	rde_peer_report(p, 1);
}

/* Drop the session's state: group, routes (unless kept as stale). */
static void
rde_peer_stop(struct rde_peer *p, int keep_stale, uint32_t restart_time)
{
	rde_peer_stop_begin(p, keep_stale);
	rde_rib_walk_down();
	rde_peer_stop_end(p, restart_time);
}

/* Settings whose change invalidates what the peer's routes mean. */
static int
rde_peer_conf_major(const struct imsg_peer *a, const struct imsg_peer *b)
{
	uint32_t	 m = PEER_F_EBGP | PEER_F_RR_CLIENT;

	return (a->flags & m) != (b->flags & m) || a->peer_as != b->peer_as ||
	    a->local_as != b->local_as ||
	    a->allow_local_as != b->allow_local_as;
}

int
rde_peer_add(const struct imsg_peer *conf)
{
	struct rde_peer	*p;

	if (conf->peerid == 0) {
		log_warnx("peer add: peerid 0");
		return -1;
	}
	if ((p = rde_peer_find(conf->peerid)) != NULL) {
		/*
		 * A change that alters what the peer's routes mean makes
		 * sessiond reset the session; its SESSION_DOWN says whether
		 * the routes stay as stale meanwhile (graceful restart), so
		 * that they are not withdrawn from the kernel here first.
		 */
		if ((p->flags & RDE_PEER_UP) &&
		    rde_peer_conf_major(&p->conf, conf))
			log_info("peer %s: configuration changed, waiting for "
			    "the session to be reset", p->conf.name);
		p->conf = *conf;
		p->flags &= ~RDE_PEER_DELETED;
		p->conf.name[sizeof(p->conf.name) - 1] = '\0';
		return 0;
	}
	p = xcalloc(1, sizeof(*p));
	p->conf = *conf;
	p->conf.name[sizeof(p->conf.name) - 1] = '\0';
	p->conf.md5_len = 0;
	memset(p->conf.md5, 0, sizeof(p->conf.md5));
	p->idx = rde_peer_newidx();
	p->policy = rde_policy_for(conf->peerid);
	rde->peers[p->idx] = p;
	RB_INSERT(rde_peer_tree, &rde->peertree, p);
	return 0;
}

void
rde_peer_del(uint32_t peerid)
{
	struct rde_peer	*p;

	if ((p = rde_peer_find(peerid)) == NULL)
		return;
	rde_peer_stop(p, 0, 0);
	RB_REMOVE(rde_peer_tree, &rde->peertree, p);
	rde_peer_free(p);
}

/* Stale routes of families the restarted peer does not keep go now. */
static void
rde_peer_gr_check(struct rde_peer *p)
{
	uint32_t	 t;
	int		 aid;

	if (p->stale_aids == 0)
		return;
	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!(p->stale_aids & (1 << aid)))
			continue;
		if (!p->sess.af[aid] || !p->sess.peer_caps.gr ||
		    !(p->sess.peer_caps.gr_af[aid] & BGP_GR_AF_FORWARDING))
			rde_rib_sweep_stale(p, 1 << aid);
	}
	if (p->stale_aids != 0) {
		/* Wait for End-of-RIB, as long as the restart time. */
		t = p->sess.peer_caps.gr_time ? p->sess.peer_caps.gr_time :
		    RDE_GR_TIME_DEFAULT;
		p->stale_deadline = rde->now + (uint64_t)t * 1000;
	} else
		p->stale_deadline = 0;
}

int
rde_peer_up(const struct imsg_session_up *up)
{
	struct rde_peer	*p;

	if ((p = rde_peer_find(up->peerid)) == NULL) {
		log_warnx("session up for unknown peer %u", up->peerid);
		return -1;
	}
	if (p->flags & RDE_PEER_UP)
		rde_peer_stop(p, 0, 0);
	p->sess = up->sess;
	/* A new session: caches keyed by the old one must not match. */
	p->sid = ++rde->sids;
	p->remote_id = ntohl(up->remote_id);
	p->local_addr = up->local_addr;
	p->remote_addr = up->remote_addr;
	p->flags |= RDE_PEER_UP;
	p->flags &= ~(RDE_PEER_DEAD | RDE_PEER_XOFF);
	p->eor_rcvd = 0;
	rde_peer_gr_check(p);
	rde_group_join(p);
	log_info("peer %s: session up, %s%s", p->conf.name,
	    rde_peer_is_ebgp(p) ? "eBGP" : "iBGP",
	    (p->conf.flags & PEER_F_RR_CLIENT) ? ", route reflector client" :
	    "");
	rde_peer_changed(p);
	rde_peer_report(p, 1);
	return 0;
}

void
rde_peer_down(const struct imsg_session_down *d)
{
	struct rde_peer	*p;

	if ((p = rde_peer_find(d->peerid)) == NULL ||
	    !(p->flags & RDE_PEER_UP))
		return;
	rde_peer_stop(p, d->graceful != 0, d->restart_time);
	if (!d->graceful)
		log_info("peer %s: session down, routes withdrawn",
		    p->conf.name);
}

void
rde_peer_xoff(uint32_t peerid, int on)
{
	struct rde_peer	*p;

	if ((p = rde_peer_find(peerid)) == NULL)
		return;
	if (on)
		p->flags |= RDE_PEER_XOFF;
	else
		p->flags &= ~RDE_PEER_XOFF;
}

/* Our pipe to a sessiond filled up or drained: all its peers. */
void
rde_peer_busy_group(uint32_t groupid, int on)
{
	struct rde_peer	*p;

	RB_FOREACH(p, rde_peer_tree, &rde->peertree) {
		if (p->conf.groupid != groupid)
			continue;
		if (on)
			p->flags |= RDE_PEER_BUSY;
		else
			p->flags &= ~RDE_PEER_BUSY;
	}
}

/*
 * The pipe to a sessiond is gone (it crashed and is being restarted):
 * its sessions are down.  Their routes stay as stale where graceful
 * restart was negotiated, so that the restarted sessiond's peers
 * recover without a flap.
 */
void
rde_peer_group_lost(uint32_t groupid)
{
	struct rde_peer	*p;
	int		 gr, any = 0;

	RB_FOREACH(p, rde_peer_tree, &rde->peertree) {
		if (p->conf.groupid != groupid || !(p->flags & RDE_PEER_UP))
			continue;
		gr = (p->conf.flags & PEER_F_GR) && p->sess.peer_caps.gr;
		log_info("peer %s: sessiond of group %u gone", p->conf.name,
		    groupid);
		rde_peer_stop_begin(p, gr);
		any = 1;
	}
	if (!any)
		return;
	/* One walk of the table for all of them. */
	rde_rib_walk_down();
	RB_FOREACH(p, rde_peer_tree, &rde->peertree)
		if (p->down_mode != RDE_DOWN_NONE)
			rde_peer_stop_end(p, p->sess.peer_caps.gr_time);
}

/* End-of-RIB from the peer: its initial table is complete. */
void
rde_peer_eor(struct rde_peer *p, uint8_t aid)
{
	if (aid >= BGP_AID_MAX)
		return;
	p->eor_rcvd |= 1 << aid;
	if (p->stale_aids & (1 << aid)) {
		rde_rib_sweep_stale(p, 1 << aid);
		if (p->stale_aids == 0)
			p->stale_deadline = 0;
	}
	rde_peer_changed(p);
}

/* Ask the peer to send its routes again (new import rules). */
void
rde_peer_ask_refresh(struct rde_peer *p)
{
	uint8_t	 buf[BGP_RREFRESH_LEN];
	int	 aid, n;

	if (!p->sess.rrefresh) {
		log_warnx("peer %s: new import rules apply to routes it "
		    "sends from now on (no route refresh)", p->conf.name);
		return;
	}
	for (aid = 0; aid < BGP_AID_MAX; aid++) {
		if (!p->sess.af[aid])
			continue;
		if ((n = bgp_rrefresh_encode(aid, BGP_RR_NORMAL, buf,
		    sizeof(buf))) > 0)
			rde_out_send(p, buf, n);
	}
}

/* Restart times that ran out; counts that are due. */
void
rde_peer_timers(void)
{
	struct rde_peer	*p;

	RB_FOREACH(p, rde_peer_tree, &rde->peertree) {
		if (p->stale_deadline != 0 && rde->now >= p->stale_deadline) {
			log_info("peer %s: restart time over, %u stale routes "
			    "withdrawn", p->conf.name, p->stale);
			rde_rib_sweep_stale(p, p->stale_aids);
			p->stale_deadline = 0;
		}
		rde_peer_report(p, 0);
	}
}

uint64_t
rde_peer_next_timer(void)
{
	struct rde_peer	*p;
	uint64_t	 t = 0, c;

	RB_FOREACH(p, rde_peer_tree, &rde->peertree) {
		if (p->stale_deadline != 0 &&
		    (t == 0 || p->stale_deadline < t))
			t = p->stale_deadline;
		if (p->flags & RDE_PEER_COUNTS) {
			c = p->counts_sent + RDE_COUNTS_MS;
			if (t == 0 || c < t)
				t = c;
		}
	}
	return t;
}

/*
 * Whether every configured peer is up and has sent its End-of-RIBs; not
 * before there is a peer at all, since peers may be configured after the
 * first configuration.
 */
int
rde_peer_converged(void)
{
	struct rde_peer	*p;

	if (RB_EMPTY(&rde->peertree))
		return 0;
	RB_FOREACH(p, rde_peer_tree, &rde->peertree) {
		if (!(p->flags & RDE_PEER_UP))
			return 0;
		if ((p->eor_rcvd & rde_peer_aidmask(p)) !=
		    rde_peer_aidmask(p))
			return 0;
	}
	return 1;
}

void
rde_peer_free_all(void)
{
	struct rde_peer	*p;
	uint32_t	 i;

	while ((p = RB_MIN(rde_peer_tree, &rde->peertree)) != NULL) {
		rde_group_leave(p);
		RB_REMOVE(rde_peer_tree, &rde->peertree, p);
		rde_peer_free(p);
	}
	for (i = 0; i < rde->npeers; i++)
		free(rde->peers[i]);
	free(rde->peers);
	rde->peers = NULL;
	rde->npeers = 0;
}
