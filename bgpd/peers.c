/*
 * The parent's table of sessions: what the plan asks for, which sessiond
 * runs each, and the state the sessionds report.  Applying a new plan is a
 * diff by session name: unchanged sessions are not touched at all, changed
 * ones are reset with their new configuration, removed ones are
 * de-configured, added ones started.  A session keeps its peerid for as
 * long as its name exists, across any number of reloads.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "bgpd.h"
#include "evt.h"
#include "jsonw.h"
#include "bgp_msg.h"
#include "log.h"
#include "peer_conf.h"
#include "util.h"

static TAILQ_HEAD(, bgpd_peer)	 peers = TAILQ_HEAD_INITIALIZER(peers);
static uint32_t			 next_peerid = 1;
static struct event		*migration_ev;
#define KEEP_MAX		4
static char			*keep[KEEP_MAX];	/* groups kept empty */

#define MIGRATION_CHECK_MS	500

static const char *const fsm_names[FSM_STATE_MAX] = {
	"Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"
};

static const char *const type_names[] = {
	[PEER_TYPE_MESH] = "node-to-node mesh",
	[PEER_TYPE_GLOBAL] = "global",
	[PEER_TYPE_NODE] = "node specific",
};

static void		 peer_insert(struct bgpd_peer *);
static void		 peer_send(struct bgpd_peer *);
static void		 peer_del(struct bgpd_peer *);
static int		 peer_conf_equal(const struct imsg_peer *,
			    const struct imsg_peer *);
static void		 peer_json(struct jsonw *, const struct bgpd_peer *);
static int		 peer_should_drain(const struct bgpd_peer *, int);
static void		 migration_cb(evutil_socket_t, short, void *);
static int		 peer_ready(const struct bgpd_peer *);
static void		 peer_session_ended(struct bgpd_peer *);
static void		 peers_prune_groups(void);
static void		 log_kv(char *, size_t, const char *, const char *);
static const char	*peer_log_tail(const struct bgpd_peer *, uint32_t,
			    const char *, char *, size_t);

/* Room for every field of peer_log_tail() even with all bytes escaped. */
#define PEER_LOG_TAIL	2048

const char *
fsm_state_name(uint32_t s)
{
	return s < FSM_STATE_MAX ? fsm_names[s] : "Unknown";
}

const char *
peer_type_name(uint8_t t)
{
	return t <= PEER_TYPE_NODE ? type_names[t] : "unknown";
}

/*
 * Append " key=value" to buf.  The value is quoted when it is empty or
 * holds a space, a quote, a backslash, an '=' or a control character (as
 * \", \\, \n, \t or \xHH), so that a log line stays one line of
 * key=value pairs for log tools.  A value that does not fit is left out.
 */
static void
log_kv(char *buf, size_t len, const char *key, const char *val)
{
	const unsigned char	*p;
	size_t			 n = strlen(buf), start = n;
	char			 e[8];
	int			 quote = val[0] == '\0';

	for (p = (const unsigned char *)val; *p != '\0'; p++)
		if (*p <= ' ' || *p == '"' || *p == '\\' || *p == '=' ||
		    *p == 0x7f)
			quote = 1;
	if (snprintf(buf + n, len - n, " %s=%s", key, quote ? "\"" : "") >=
	    (int)(len - n))
		goto full;
	n = strlen(buf);
	for (p = (const unsigned char *)val; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			snprintf(e, sizeof(e), "\\%c", *p);
		else if (*p == '\n')
			snprintf(e, sizeof(e), "\\n");
		else if (*p == '\t')
			snprintf(e, sizeof(e), "\\t");
		else if (*p < ' ' || *p == 0x7f)
			snprintf(e, sizeof(e), "\\x%02x", *p);
		else
			snprintf(e, sizeof(e), "%c", *p);
		if (strlcpy(buf + n, e, len - n) >= len - n)
			goto full;
		n += strlen(e);
	}
	if (quote && strlcpy(buf + n, "\"", len - n) >= len - n)
		goto full;
	return;
full:
	buf[start] = '\0';
}

/*
 * The key=value tail of every session event in the log: the peer, its
 * AS and group, the FSM state and the last error.
 */
static const char *
peer_log_tail(const struct bgpd_peer *p, uint32_t state, const char *reason,
    char *buf, size_t len)
{
	char	 addr[ADDRSTRLEN], as[16];

	buf[0] = '\0';
	snprintf(as, sizeof(as), "%u", p->conf.peer_as);
	log_kv(buf, len, "peer", addr_ntop(&p->conf.remote, addr,
	    sizeof(addr)));
	log_kv(buf, len, "as", as);
	log_kv(buf, len, "group", p->conf.group);
	log_kv(buf, len, "state", fsm_state_name(state));
	log_kv(buf, len, "reason", reason);
	return buf;
}

struct bgpd_peer *
peers_find_name(const char *name)
{
	struct bgpd_peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (strcmp(p->conf.name, name) == 0)
			return p;
	return NULL;
}

/* Sessions are kept sorted by name, as the plan lists them. */
static void
peer_insert(struct bgpd_peer *n)
{
	struct bgpd_peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (strcmp(p->conf.name, n->conf.name) > 0) {
			TAILQ_INSERT_BEFORE(p, n, entry);
			return;
		}
	TAILQ_INSERT_TAIL(&peers, n, entry);
}

struct bgpd_peer *
peers_find_id(uint32_t peerid)
{
	struct bgpd_peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (p->conf.peerid == peerid)
			return p;
	return NULL;
}

/*
 * The session an incoming connection belongs to.  With several sessions to
 * one address (different ports), prefer one that is not Established.
 */
struct bgpd_peer *
peers_find_addr(const struct bgpd_addr *a)
{
	struct bgpd_peer	*p, *found = NULL;

	TAILQ_FOREACH(p, &peers, entry) {
		if (addr_cmp(&p->conf.remote, a) != 0)
			continue;
		if (p->st.state != FSM_ESTABLISHED)
			return p;
		if (found == NULL)
			found = p;
	}
	return found;
}

/* Everything but the handles decides whether a session must be reset. */
static int
peer_conf_equal(const struct imsg_peer *a, const struct imsg_peer *b)
{
	struct imsg_peer	 x = *a, y = *b;

	x.peerid = y.peerid = 0;
	x.groupid = y.groupid = 0;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* Configuration to the session's sessiond (with the key) and to ribd. */
static void
peer_send(struct bgpd_peer *p)
{
	struct imsg_peer	 r;

	p->conf.groupid = p->group->groupid;
	proc_compose(p->group, IMSG_PEER_ADD, p->conf.peerid, -1, &p->conf,
	    sizeof(p->conf));
	r = p->conf;
	r.md5_len = 0;
	explicit_bzero(r.md5, sizeof(r.md5));
	proc_compose(td->rib, IMSG_PEER_ADD, p->conf.peerid, -1, &r,
	    sizeof(r));
}

static void
peer_del(struct bgpd_peer *p)
{
	char	 tail[PEER_LOG_TAIL];

	proc_compose(p->group, IMSG_PEER_DEL, p->conf.peerid, -1, NULL, 0);
	proc_compose(td->rib, IMSG_PEER_DEL, p->conf.peerid, -1, NULL, 0);
	if (p->conf.md5_len > 0)
		listen_md5(&p->conf.remote, NULL, 0);
	log_info("session %s: removed%s", p->conf.name,
	    peer_log_tail(p, p->st.state, p->st.lasterr, tail, sizeof(tail)));
	TAILQ_REMOVE(&peers, p, entry);
	explicit_bzero(p, sizeof(*p));
	free(p);
}

/*
 * A session that the plan now names differently, to the same peer address
 * and port: the mesh session to a node that an all-nodes BGPPeer selects
 * now, the global BGPPeer's session to a ToR that a node-specific BGPPeer
 * names now.  Towards the peer it is one BGP session (a second one to the
 * same address would collide with it), so it is handed over to the new
 * name rather than replaced.
 */
static struct bgpd_peer *
peer_handover_find(const struct imsg_peer *want)
{
	struct bgpd_peer	*p;
	uint16_t		 port = want->port ? want->port : BGP_PORT;

	TAILQ_FOREACH(p, &peers, entry) {
		if (p->seen || addr_cmp(&p->conf.remote, &want->remote) != 0)
			continue;
		if ((p->conf.port ? p->conf.port : BGP_PORT) == port)
			return p;
	}
	return NULL;
}

/*
 * A session handed over in a change that drains others counts as one of
 * their replacements (peers_migration_check): what it carried before the
 * change may not be what it carries after it (its peer may become a
 * route reflector and reset it), so it is ready only once it has been
 * reset and brought its routes again; if its peer never resets it, the
 * drained sessions go after migrationWaitSeconds.
 */
static void
peer_rename(struct bgpd_peer *p, const char *name, uint64_t now)
{
	char	 tail[PEER_LOG_TAIL];

	log_info("session %s: handed over to %s (same peer address and "
	    "port)%s", p->conf.name, name, peer_log_tail(p, p->st.state,
	    p->st.lasterr, tail, sizeof(tail)));
	strlcpy(p->conf.name, name, sizeof(p->conf.name));
	TAILQ_REMOVE(&peers, p, entry);
	peer_insert(p);
	p->added_ms = now;
	/* Not Established: whenever it is again, that is after the change. */
	p->handed_over = p->st.state == FSM_ESTABLISHED;
}

/*
 * The plan changed a session's configuration.  The session stays in the
 * sessiond that hosts it, also when its group changed: moving it to
 * another process would reset it, and a reset it needs anyway is done
 * there too (gracefully, see sessiond).  Sessions move to their group's
 * sessiond when their host restarts; new sessions start in it.
 */
static void
peer_update(struct bgpd_peer *p, const struct imsg_peer *want)
{
	char	 tail[PEER_LOG_TAIL];
	int	 kept;

	kept = p->st.state == FSM_ESTABLISHED &&
	    peer_conf_keeps_session(&p->conf, want);
	if (p->conf.md5_len > 0 && want->md5_len == 0)
		listen_md5(&p->conf.remote, NULL, 0);
	want_copy(&p->conf, want, p->conf.peerid);
	log_info("session %s: configuration changed, %s%s", p->conf.name,
	    kept ? "session kept" : "reset", peer_log_tail(p, p->st.state,
	    p->st.lasterr, tail, sizeof(tail)));
	if (strcmp(p->group->name, p->conf.group) != 0)
		log_info("session %s: stays in the sessiond of group %s",
		    p->conf.name, p->group->name);
}

static struct bgpd_peer *
peer_new(const struct imsg_peer *want, uint64_t now)
{
	struct bgpd_peer	*p;
	char			 tail[PEER_LOG_TAIL];

	p = xcalloc(1, sizeof(*p));
	want_copy(&p->conf, want, next_peerid++);
	p->seen = 1;
	p->added_ms = now;
	p->st.peerid = p->conf.peerid;
	p->st.state = FSM_IDLE;
	p->group = proc_group_add(want->group);
	peer_insert(p);
	log_info("session %s: added to group %s%s", p->conf.name,
	    p->group->name, peer_log_tail(p, p->st.state, p->st.lasterr, tail,
	    sizeof(tail)));
	return p;
}

/*
 * Make the table what the plan says.  keep_groups names groups that must
 * run even without sessions (the mesh while it is enabled).  Returns the
 * number of sessions added, changed and removed.
 */
int
peers_apply(const struct imsg_peer *want, size_t n, const char **keep_groups,
    size_t nkeep)
{
	struct bgpd_peer	*p, *t;
	uint64_t		 now;
	size_t			 i, k;
	int			 changes = 0, added = 0;
	char			 tail[PEER_LOG_TAIL];

	/*
	 * One time for the whole change: peers_migration_check() counts the
	 * sessions added since the drain began, and a session this change
	 * adds must not look older than one it drains when the clock ticks
	 * in between.
	 */
	now = mono_ms();
	TAILQ_FOREACH(p, &peers, entry)
		p->seen = 0;
	for (i = 0; i < n; i++)
		if ((p = peers_find_name(want[i].name)) != NULL)
			p->seen = 1;
	for (i = 0; i < n; i++) {
		if ((p = peers_find_name(want[i].name)) == NULL &&
		    (p = peer_handover_find(&want[i])) != NULL) {
			peer_rename(p, want[i].name, now);
			p->seen = 1;
			changes++;
		}
		if (p == NULL) {
			changes++;
			added++;
			p = peer_new(&want[i], now);
		} else {
			if (p->draining) {
				p->draining = 0;
				log_info("session %s: wanted again, no longer "
				    "draining%s", p->conf.name,
				    peer_log_tail(p, p->st.state,
				    p->st.lasterr, tail, sizeof(tail)));
			}
			if (peer_conf_equal(&p->conf, &want[i]))
				continue;
			changes++;
			peer_update(p, &want[i]);
		}
		if (p->conf.md5_len > 0)
			listen_md5(&p->conf.remote, p->conf.md5,
			    p->conf.md5_len);
		peer_send(p);
	}
	TAILQ_FOREACH_SAFE(p, &peers, entry, t) {
		if (p->seen || p->draining)
			continue;
		changes++;
		if (peer_should_drain(p, added)) {
			p->draining = 1;
			p->drain_ms = now;
			log_info("session %s: removed from the plan, kept "
			    "until the sessions replacing it are up (at most "
			    "%u s)%s",
			    p->conf.name, td->conf.d.migration_wait,
			    peer_log_tail(p, p->st.state, p->st.lasterr, tail,
			    sizeof(tail)));
			continue;
		}
		peer_del(p);
	}
	peers_migration_check();
	for (k = 0; k < KEEP_MAX; k++) {
		free(keep[k]);
		keep[k] = NULL;
	}
	for (k = 0; k < nkeep && k < KEEP_MAX; k++)
		keep[k] = xstrdup(keep_groups[k]);
	peers_prune_groups();
	for (k = 0; k < nkeep; k++)
		proc_group_add(keep_groups[k]);
	return changes;
}

/* A group without sessions has no reason to run. */
static void
peers_prune_groups(void)
{
	struct bgpd_peer	*p;
	struct child		*c, *ct;
	size_t			 k;
	int			 used;

	TAILQ_FOREACH_SAFE(c, &td->groups, entry, ct) {
		if (c->removing)
			continue;
		used = 0;
		TAILQ_FOREACH(p, &peers, entry)
			if (p->group == c)
				used = 1;
		for (k = 0; k < KEEP_MAX; k++)
			if (keep[k] != NULL && strcmp(keep[k], c->name) == 0)
				used = 1;
		if (!used) {
			log_info("peer group %s: no sessions, stopping its "
			    "sessiond", c->name);
			proc_group_remove(c);
		}
	}
}

/*
 * Make before break: a session the plan drops keeps running while the
 * sessions that replace it come up, so that the kernel never loses a route
 * for which an alternative is on its way (the guide's mesh -> route
 * reflector migration costs no packet).  A session drains when the same
 * change adds others, or when its peer is a Calico node (its routes are
 * pod routes that a later step, e.g. the route reflector BGPPeer after
 * the cluster ID, will bring back); at most migrationWaitSeconds.
 */
static int
peer_should_drain(const struct bgpd_peer *p, int added)
{
	if (td->conf.d.migration_wait == 0 || td->shutting_down)
		return 0;
	if (p->st.state != FSM_ESTABLISHED)
		return 0;
	return added > 0 || (p->conf.flags & PEER_F_CALICO_NODE);
}

/*
 * The session went down (or its sessiond restarted): its End-of-RIB no
 * longer counts, and whatever comes up next is after any hand-over.
 */
static void
peer_session_ended(struct bgpd_peer *p)
{
	p->handed_over = 0;
	p->counts.eor = 0;
}

/*
 * Established, and the peer's initial routes are all in: ribd counted
 * its End-of-RIB in counts that came after the session came up (counts
 * sent before a reset do not speak for the new session).
 */
static int
peer_ready(const struct bgpd_peer *p)
{
	uint32_t	 bit;

	if (p->st.state != FSM_ESTABLISHED || p->handed_over ||
	    p->counts_ms <= p->up_ms)
		return 0;
	bit = p->conf.remote.af == AF_INET6 ? PEER_COUNTS_EOR_V6 :
	    PEER_COUNTS_EOR_V4;
	return (p->counts.eor & bit) != 0;
}

/*
 * Remove the draining sessions once every session added since the oldest
 * began draining is ready, or when the wait is over.
 */
void
peers_migration_check(void)
{
	struct bgpd_peer	*p, *t;
	uint64_t		 oldest = 0, now = mono_ms();
	int			 ndrain = 0, nadded = 0, nready = 0, done;

	TAILQ_FOREACH(p, &peers, entry)
		if (p->draining) {
			ndrain++;
			if (oldest == 0 || p->drain_ms < oldest)
				oldest = p->drain_ms;
		}
	if (ndrain == 0) {
		if (migration_ev != NULL)
			evtimer_del(migration_ev);
		return;
	}
	TAILQ_FOREACH(p, &peers, entry) {
		if (p->draining || p->added_ms < oldest)
			continue;
		nadded++;
		if (peer_ready(p))
			nready++;
	}
	done = nadded > 0 && nready == nadded;
	if (!done && now - oldest < td->conf.d.migration_wait * 1000ULL) {
		if (migration_ev == NULL &&
		    (migration_ev = evtimer_new(td->base, migration_cb,
		    NULL)) == NULL)
			fatalx("evtimer_new");
		if (!evtimer_pending(migration_ev, NULL))
			evt_after_ms(migration_ev, MIGRATION_CHECK_MS);
		return;
	}
	if (done)
		log_info("%d new session(s) up with their routes: removing "
		    "%d replaced session(s)", nadded, ndrain);
	else if (nadded == 0)
		log_info("no session replaced them within %u s: removing %d "
		    "session(s) taken out of the plan",
		    td->conf.d.migration_wait, ndrain);
	else
		log_warnx("replacement sessions not ready after %u s (%d of "
		    "%d): removing %d replaced session(s) anyway",
		    td->conf.d.migration_wait, nready, nadded, ndrain);
	TAILQ_FOREACH_SAFE(p, &peers, entry, t)
		if (p->draining)
			peer_del(p);
	peers_prune_groups();
}

static void
migration_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	peers_migration_check();
}

void
want_copy(struct imsg_peer *dst, const struct imsg_peer *src,
    uint32_t peerid)
{
	*dst = *src;
	dst->peerid = peerid;
}

/* A sessiond was (re)started: give it its sessions again. */
void
peers_group_started(struct child *c)
{
	struct bgpd_peer	*p;
	int			 moved = 0;

	TAILQ_FOREACH(p, &peers, entry)
		if (p->group == c) {
			p->st.state = FSM_IDLE;
			peer_session_ended(p);
			if (strcmp(c->name, p->conf.group) != 0) {
				p->group = proc_group_add(p->conf.group);
				moved = 1;
			}
			peer_send(p);
		}
	if (moved)
		peers_prune_groups();
}

int
peers_pass_conn(struct bgpd_peer *p, int fd)
{
	return proc_compose(p->group, IMSG_SESSION_CONN, p->conf.peerid, fd,
	    NULL, 0);
}

/* TCP-MD5 keys onto freshly opened listening sockets. */
void
peers_md5_sync(void)
{
	struct bgpd_peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (p->conf.md5_len > 0)
			listen_md5(&p->conf.remote, p->conf.md5,
			    p->conf.md5_len);
}

/* IMSG_SESSION_STATE from the sessiond of group c. */
void
peers_state(struct child *c, struct imsg *im)
{
	struct imsg_peer_state	 st;
	struct bgpd_peer	*p;
	char			 tail[PEER_LOG_TAIL];

	if (imsg_expect(im, sizeof(st)) == -1)
		fatalx("%s: bad session state", c->label);
	memcpy(&st, im->data, sizeof(st));
	st.lasterr[sizeof(st.lasterr) - 1] = '\0';
	if ((p = peers_find_id(st.peerid)) == NULL || p->group != c)
		return;		/* a session removed meanwhile */
	if (st.state >= FSM_STATE_MAX)
		fatalx("%s: bad state %u", c->label, st.state);
	if (st.state == FSM_ESTABLISHED && p->st.state != FSM_ESTABLISHED)
		p->up_ms = mono_ms();
	else if (st.state != FSM_ESTABLISHED &&
	    p->st.state == FSM_ESTABLISHED)
		peer_session_ended(p);
	if (st.state != p->st.state)
		log_info("session %s: %s -> %s%s", p->conf.name,
		    fsm_state_name(p->st.state), fsm_state_name(st.state),
		    peer_log_tail(p, st.state, st.lasterr, tail,
		    sizeof(tail)));
	p->st = st;
	peers_migration_check();
}

/* IMSG_PEER_COUNTS from ribd. */
void
peers_counts(struct imsg *im)
{
	struct imsg_peer_counts	 pc;
	struct bgpd_peer	*p;

	if (imsg_expect(im, sizeof(pc)) == -1)
		fatalx("ribd: bad peer counts");
	memcpy(&pc, im->data, sizeof(pc));
	if ((p = peers_find_id(pc.peerid)) != NULL) {
		p->counts = pc;
		p->counts_ms = mono_ms();
		peers_migration_check();
	}
}

static void
peer_json(struct jsonw *jw, const struct bgpd_peer *p)
{
	char		 addr[ADDRSTRLEN], since[32], info[ERRSTR_LEN + 32];
	struct tm	 tm;
	time_t		 t = (time_t)p->st.since;
	int64_t		 up = 0;

	jw_obj_open(jw, NULL);
	jw_str(jw, "name", p->conf.name);
	jw_str(jw, "peerIP", addr_ntop(&p->conf.remote, addr, sizeof(addr)));
	jw_uint(jw, "port", p->conf.port);
	jw_uint(jw, "peerAS", p->conf.peer_as);
	jw_uint(jw, "localAS", p->conf.local_as);
	jw_str(jw, "type", peer_type_name(p->conf.type));
	jw_str(jw, "group", p->conf.group);
	jw_str(jw, "family", p->conf.remote.af == AF_INET6 ? "ipv6" : "ipv4");
	jw_str(jw, "state", fsm_state_name(p->st.state));
	if (t > 0) {
		gmtime_r(&t, &tm);
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		jw_str(jw, "since", since);
	} else
		jw_null(jw, "since");
	jw_str(jw, "lastError", p->st.lasterr);
	if (p->st.lasterr[0] != '\0' && p->st.state != FSM_ESTABLISHED)
		snprintf(info, sizeof(info), "%s %s",
		    fsm_state_name(p->st.state), p->st.lasterr);
	else
		snprintf(info, sizeof(info), "%s",
		    fsm_state_name(p->st.state));
	jw_str(jw, "info", info);
	jw_uint(jw, "prefixesReceived", p->counts.prefixes_in);
	jw_uint(jw, "prefixesAdvertised", p->counts.prefixes_out);
	jw_uint(jw, "prefixesBest", p->counts.prefixes_best);
	jw_uint(jw, "prefixesStale", p->counts.stale);
	if (p->st.state == FSM_ESTABLISHED && t > 0)
		up = (int64_t)time(NULL) - t;
	jw_int(jw, "uptimeSeconds", up < 0 ? 0 : up);
	jw_uint(jw, "messagesReceived", p->st.msgs_in);
	jw_uint(jw, "messagesSent", p->st.msgs_out);
	jw_uint(jw, "updatesReceived", p->st.updates_in);
	jw_uint(jw, "updatesSent", p->st.updates_out);
	jw_uint(jw, "flaps", p->st.flaps);
	jw_bool(jw, "passive", (p->conf.flags & PEER_F_PASSIVE) != 0);
	jw_bool(jw, "password", p->conf.md5_len > 0);
	jw_bool(jw, "draining", p->draining);
	jw_obj_close(jw);
}

void
peers_json(struct jsonw *jw, const char *key)
{
	struct bgpd_peer	*p;

	jw_arr_open(jw, key);
	TAILQ_FOREACH(p, &peers, entry)
		peer_json(jw, p);
	jw_arr_close(jw);
}

void
peers_foreach(void (*cb)(const struct bgpd_peer *, void *), void *arg)
{
	struct bgpd_peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		cb(p, arg);
}

void
peers_clear(void)
{
	struct bgpd_peer	*p;

	while ((p = TAILQ_FIRST(&peers)) != NULL) {
		TAILQ_REMOVE(&peers, p, entry);
		explicit_bzero(p, sizeof(*p));
		free(p);
	}
}
