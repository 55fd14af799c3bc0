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

#include "bgpd.h"
#include "jsonw.h"
#include "log.h"
#include "util.h"

static TAILQ_HEAD(, bgpd_peer)	 peers = TAILQ_HEAD_INITIALIZER(peers);
static uint32_t			 next_peerid = 1;

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
	proc_compose(p->group, IMSG_PEER_DEL, p->conf.peerid, -1, NULL, 0);
	proc_compose(td->rib, IMSG_PEER_DEL, p->conf.peerid, -1, NULL, 0);
	if (p->conf.md5_len > 0)
		listen_md5(&p->conf.remote, NULL, 0);
	log_info("session %s removed", p->conf.name);
	TAILQ_REMOVE(&peers, p, entry);
	explicit_bzero(p, sizeof(*p));
	free(p);
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
	struct child		*c, *ct;
	size_t			 i, k;
	int			 changes = 0, used;

	TAILQ_FOREACH(p, &peers, entry)
		p->seen = 0;
	for (i = 0; i < n; i++) {
		if ((p = peers_find_name(want[i].name)) != NULL) {
			p->seen = 1;
			if (peer_conf_equal(&p->conf, &want[i]) &&
			    strcmp(p->group->name, want[i].group) == 0)
				continue;
			changes++;
			if (strcmp(p->group->name, want[i].group) != 0) {
				proc_compose(p->group, IMSG_PEER_DEL,
				    p->conf.peerid, -1, NULL, 0);
				p->group = proc_group_add(want[i].group);
			}
			if (p->conf.md5_len > 0 && want[i].md5_len == 0)
				listen_md5(&p->conf.remote, NULL, 0);
			want_copy(&p->conf, &want[i], p->conf.peerid);
			log_info("session %s: configuration changed, reset",
			    p->conf.name);
		} else {
			changes++;
			p = xcalloc(1, sizeof(*p));
			want_copy(&p->conf, &want[i], next_peerid++);
			p->seen = 1;
			p->st.peerid = p->conf.peerid;
			p->st.state = FSM_IDLE;
			p->group = proc_group_add(want[i].group);
			peer_insert(p);
			log_info("session %s added to group %s", p->conf.name,
			    p->group->name);
		}
		if (p->conf.md5_len > 0)
			listen_md5(&p->conf.remote, p->conf.md5,
			    p->conf.md5_len);
		peer_send(p);
	}
	TAILQ_FOREACH_SAFE(p, &peers, entry, t)
		if (!p->seen) {
			peer_del(p);
			changes++;
		}
	/* A group without sessions has no reason to run. */
	TAILQ_FOREACH_SAFE(c, &td->groups, entry, ct) {
		if (c->removing)
			continue;
		used = 0;
		TAILQ_FOREACH(p, &peers, entry)
			if (p->group == c)
				used = 1;
		for (k = 0; k < nkeep; k++)
			if (strcmp(keep_groups[k], c->name) == 0)
				used = 1;
		if (!used) {
			log_info("peer group %s: no sessions, stopping its "
			    "sessiond", c->name);
			proc_group_remove(c);
		}
	}
	for (k = 0; k < nkeep; k++)
		proc_group_add(keep_groups[k]);
	return changes;
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

	TAILQ_FOREACH(p, &peers, entry)
		if (p->group == c) {
			p->st.state = FSM_IDLE;
			peer_send(p);
		}
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

	if (imsg_expect(im, sizeof(st)) == -1)
		fatalx("%s: bad session state", c->label);
	memcpy(&st, im->data, sizeof(st));
	st.lasterr[sizeof(st.lasterr) - 1] = '\0';
	if ((p = peers_find_id(st.peerid)) == NULL || p->group != c)
		return;		/* a session removed meanwhile */
	if (st.state >= FSM_STATE_MAX)
		fatalx("%s: bad state %u", c->label, st.state);
	if (st.state != p->st.state)
		log_info("session %s: %s -> %s%s%s", p->conf.name,
		    fsm_state_name(p->st.state), fsm_state_name(st.state),
		    st.lasterr[0] ? ": " : "", st.lasterr);
	p->st = st;
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
	if ((p = peers_find_id(pc.peerid)) != NULL)
		p->counts = pc;
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
peers_clear(void)
{
	struct bgpd_peer	*p;

	while ((p = TAILQ_FIRST(&peers)) != NULL) {
		TAILQ_REMOVE(&peers, p, entry);
		explicit_bzero(p, sizeof(*p));
		free(p);
	}
}
