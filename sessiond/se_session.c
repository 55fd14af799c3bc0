/*
 * The connections of sessiond: dialling, accepted sockets from the
 * parent, reading and framing, the timers, collision resolution, and the
 * messages to ribd and the parent.  The decisions are se_fsm_step()'s;
 * this file carries them out.
 *
 * A peer has at most two connections: a second one exists only while a
 * collision (RFC 4271 6.8) or the peer's restart (RFC 4724) is being
 * resolved.  A connection that ends
 * with a NOTIFICATION lingers, detached from its peer, until the
 * NOTIFICATION is written and the peer closed its side, or SE_LINGER_MS
 * passed, so that a reset does not destroy the NOTIFICATION in flight.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "evt.h"
#include "log.h"
#include "peer_conf.h"
#include "se.h"

/* ribd's pipe: stop reading peers above HIGH queued octets, resume at LOW. */
#define SE_RIB_HIGH		(16 * 1024 * 1024)
#define SE_RIB_LOW		(4 * 1024 * 1024)
#define SE_RESUME_MS		50
#define SE_EXIT_MS		1000
#define SE_RESET_MS		1000	/* restart after a new configuration */
#define SE_BATCH_MAX		(IMSG_MAX_PIPE - IMSG_HEADER_SIZE)

static struct event_base	*se_base;
static struct imsgev		*se_parent;
static struct imsgev		*se_rib;
static struct se_peer_tree	 se_peers = RB_INITIALIZER(&se_peers);
static struct se_conn_list	 se_linger = TAILQ_HEAD_INITIALIZER(se_linger);
static struct event		*se_status_ev;
static struct event		*se_resume_ev;
static struct event		*se_exit_ev;
static int			 se_stopping;

/* UPDATEs read from one peer, sent to ribd in one imsg. */
static uint8_t			 se_batch[SE_BATCH_MAX];
static size_t			 se_batch_len;
static uint32_t			 se_batch_peer;

static int	 se_peer_cmp(struct se_peer *, struct se_peer *);
/*
 * libbsd's RB_GENERATE_STATIC marks the functions it makes __unused, a
 * name it leaves undefined on Linux.
 */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
RB_GENERATE_STATIC(se_peer_tree, se_peer, entry, se_peer_cmp)

static struct se_peer *se_peer_find(uint32_t);
static void	 se_peer_report(struct se_peer *);
static void	 se_peer_update(struct se_peer *, int);
static void	 se_peer_start(struct se_peer *);
static void	 se_peer_retry(struct se_peer *, int);
static void	 se_peer_stop(struct se_peer *, uint8_t);
static void	 se_peer_reset(struct se_peer *);
static void	 se_peer_free(struct se_peer *);
static struct se_conn *se_peer_est(struct se_peer *);
static struct se_conn *se_peer_connecting(struct se_peer *);
static void	 se_start_cb(evutil_socket_t, short, void *);
static void	 se_dial(struct se_peer *);
static void	 se_dial_failed(struct se_peer *, int);
static struct se_conn *se_conn_new(struct se_peer *, int, enum se_dir,
		    uint8_t);
static void	 se_conn_free(struct se_conn *);
static uint32_t	 se_conn_event(struct se_conn *, enum se_event,
		    const struct bgp_err *);
static void	 se_conn_actions(struct se_conn *, const struct se_step *);
static void	 se_conn_notify(struct se_conn *, const struct se_step *,
		    const struct bgp_err *, int);
static void	 se_conn_end(struct se_conn *, uint32_t, enum se_event);
static void	 se_conn_linger(struct se_conn *);
static void	 se_conn_send(struct se_conn *, const uint8_t *, size_t,
		    uint64_t);
static int	 se_conn_write(struct se_conn *);
static void	 se_conn_written(struct se_conn *, size_t);
static void	 se_conn_truncate(struct se_conn *);
static void	 se_conn_parse(struct se_conn *);
static int	 se_conn_msg(struct se_conn *, uint8_t, const uint8_t *,
		    size_t);
static int	 se_msg_open(struct se_conn *, const uint8_t *, size_t);
static int	 se_msg_notification(struct se_conn *, const uint8_t *,
		    size_t);
static int	 se_msg_rrefresh(struct se_conn *, const uint8_t *, size_t);
static void	 se_conn_timers(struct se_conn *, uint32_t);
static int	 se_collide(struct se_peer *, struct se_conn *);
static void	 se_session_up(struct se_conn *);
static void	 se_session_down(struct se_conn *, int);
static void	 se_send_open(struct se_conn *);
static void	 se_send_keepalive(struct se_conn *);
static void	 se_batch_add(struct se_peer *, const uint8_t *, size_t);
static void	 se_batch_flush(void);
static void	 se_rib_backpressure(struct se_conn *);
static void	 se_read_cb(evutil_socket_t, short, void *);
static void	 se_write_cb(evutil_socket_t, short, void *);
static void	 se_hold_cb(evutil_socket_t, short, void *);
static void	 se_keepalive_cb(evutil_socket_t, short, void *);
static void	 se_sendhold_cb(evutil_socket_t, short, void *);
static void	 se_status_cb(evutil_socket_t, short, void *);
static void	 se_resume_cb(evutil_socket_t, short, void *);
static void	 se_exit_cb(evutil_socket_t, short, void *);
static void	 se_linger_done(struct se_conn *);
static void	 se_addrs(struct se_conn *);

static int
se_peer_cmp(struct se_peer *a, struct se_peer *b)
{
	if (a->conf.peerid == b->conf.peerid)
		return 0;
	return a->conf.peerid < b->conf.peerid ? -1 : 1;
}

void
se_init(struct event_base *base, struct imsgev *parent)
{
	se_base = base;
	se_parent = parent;
	se_status_ev = evtimer_new(base, se_status_cb, NULL);
	se_resume_ev = evtimer_new(base, se_resume_cb, NULL);
	se_exit_ev = evtimer_new(base, se_exit_cb, NULL);
	if (se_status_ev == NULL || se_resume_ev == NULL || se_exit_ev == NULL)
		fatalx("se_init: evtimer_new");
	evt_after_ms(se_status_ev, SE_STATUS_MS);
}

void
se_set_rib(struct imsgev *rib)
{
	se_rib = rib;
}

static struct se_peer *
se_peer_find(uint32_t peerid)
{
	struct se_peer	 key;

	key.conf.peerid = peerid;
	return RB_FIND(se_peer_tree, &se_peers, &key);
}

/* IMSG_SESSION_STATE: what the parent shows in node status. */
static void
se_peer_report(struct se_peer *p)
{
	p->st.peerid = p->conf.peerid;
	p->st.state = p->state;
	p->dirty = 0;
	if (se_parent != NULL && imsgev_compose(se_parent, IMSG_SESSION_STATE,
	    p->conf.peerid, 0, -1, &p->st, sizeof(p->st)) == -1)
		log_warn("%s: session state to parent", p->conf.name);
}

/* Recompute the state the peer shows; report it if it changed or force. */
static void
se_peer_update(struct se_peer *p, int force)
{
	uint8_t	 st[SE_DIR_MAX], ns;
	int	 i;

	for (i = 0; i < SE_DIR_MAX; i++)
		st[i] = p->conn[i] != NULL ? p->conn[i]->state : FSM_IDLE;
	ns = se_peer_state_of(st, SE_DIR_MAX, p->idle);
	if (ns != p->state) {
		log_info("%s: %s -> %s", p->conf.name, se_state_name(p->state),
		    se_state_name(ns));
		p->state = ns;
		p->st.since = (int64_t)time(NULL);
		force = 1;
	}
	if (force)
		se_peer_report(p);
}

/* IMSG_PEER_ADD: a new peer, or a new configuration for a known one. */
void
se_peer_add(const struct imsg_peer *conf)
{
	struct se_peer	*p;
	struct imsg_peer c;
	char		 err[128];

	memcpy(&c, conf, sizeof(c));
	c.name[sizeof(c.name) - 1] = '\0';
	c.group[sizeof(c.group) - 1] = '\0';
	if (se_peer_conf_check(&c, err, sizeof(err)) == -1) {
		log_warnx("peer %u (%s): bad configuration: %s", c.peerid,
		    c.name, err);
		return;
	}
	if (c.port == 0)
		c.port = BGP_PORT;
	if ((p = se_peer_find(c.peerid)) != NULL) {
		if (memcmp(&p->conf, &c, sizeof(c)) == 0)
			return;
		if (p->state == FSM_ESTABLISHED &&
		    peer_conf_keeps_session(&p->conf, &c)) {
			/* Renamed or moved in the plan: the session stays. */
			if (strcmp(p->conf.name, c.name) != 0)
				log_info("%s: now %s, session kept",
				    p->conf.name, c.name);
			memcpy(&p->conf, &c, sizeof(c));
			return;
		}
		log_info("%s: configuration changed, resetting", c.name);
		se_peer_reset(p);
		memcpy(&p->conf, &c, sizeof(c));
		se_open_build(&p->conf, &p->lopen);
		p->fails = 0;
		/* Give the peer a moment to take in the NOTIFICATION. */
		evt_after_ms(p->t_start, SE_RESET_MS + arc4random_uniform(500));
		return;
	} else {
		p = xcalloc(1, sizeof(*p));
		p->t_start = evtimer_new(se_base, se_start_cb, p);
		if (p->t_start == NULL)
			fatalx("se_peer_add: evtimer_new");
		p->conf.peerid = c.peerid;
		RB_INSERT(se_peer_tree, &se_peers, p);
		p->state = FSM_IDLE;
	}
	memcpy(&p->conf, &c, sizeof(c));
	se_open_build(&p->conf, &p->lopen);
	p->fails = 0;
	se_peer_start(p);
}

/* IMSG_PEER_DEL: Cease/Peer De-configured, then forget the peer. */
void
se_peer_del(uint32_t peerid)
{
	struct se_peer	*p;

	if ((p = se_peer_find(peerid)) == NULL) {
		log_warnx("peer-del: unknown peer %u", peerid);
		return;
	}
	log_info("%s: deconfigured", p->conf.name);
	se_peer_stop(p, BGP_CEASE_PEER_UNCONF);
	RB_REMOVE(se_peer_tree, &se_peers, p);
	se_peer_free(p);
}

static void
se_peer_free(struct se_peer *p)
{
	event_free(p->t_start);
	explicit_bzero(&p->conf, sizeof(p->conf));
	free(p);
}

/* End every connection of the peer with Cease/subcode. */
static void
se_peer_stop(struct se_peer *p, uint8_t subcode)
{
	struct bgp_err	 err;
	int		 i;

	memset(&err, 0, sizeof(err));
	err.code = BGP_ERR_CEASE;
	err.subcode = subcode;
	evtimer_del(p->t_start);
	p->idle = 1;
	for (i = 0; i < SE_DIR_MAX; i++)
		if (p->conn[i] != NULL)
			(void)se_conn_event(p->conn[i], SE_EV_STOP, &err);
	se_peer_update(p, 0);
}

/*
 * Reset for a configuration change.  A session with graceful restart
 * (both sides announced it) is closed without a NOTIFICATION, as a
 * restart: the peer keeps our routes as stale until we are back with
 * our End-of-RIB, and ribd keeps the peer's, so that a change such as a
 * node becoming a route reflector costs no packet.  Anything else gets
 * Cease/Other Configuration Change.
 */
static void
se_peer_reset(struct se_peer *p)
{
	struct se_conn	*c;
	int		 i;

	for (i = 0; i < SE_DIR_MAX; i++) {
		if ((c = p->conn[i]) == NULL || c->state != FSM_ESTABLISHED ||
		    !se_gr_graceful(&p->conf, &c->sess, 0))
			continue;
		log_info("%s: closing without NOTIFICATION for graceful "
		    "restart", p->conf.name);
		(void)se_conn_event(c, SE_EV_TCP_FAIL, NULL);
	}
	se_peer_stop(p, BGP_CEASE_CONFIG_CHANGE);
}

/*
 * Start (or restart after a reset): an active peer dials at once, a
 * passive one waits in Active for the parent to pass a connection.
 */
static void
se_peer_start(struct se_peer *p)
{
	p->idle = 0;
	if (se_stopping)
		return;
	if (p->conf.flags & PEER_F_PASSIVE)
		se_peer_update(p, 1);
	else
		se_dial(p);
}

/*
 * A connection attempt or session ended and no other connection is
 * left.  After a BGP error the peer waits in Idle; otherwise it waits
 * in Active for the ConnectRetry timer (or for the peer, if passive).
 */
static void
se_peer_retry(struct se_peer *p, int error)
{
	uint32_t	 ms;

	p->fails++;
	p->idle = error ? 1 : 0;
	if (!se_stopping && (error || !(p->conf.flags & PEER_F_PASSIVE))) {
		ms = se_retry_ms(p->fails, arc4random());
		log_debug("%s: next attempt in %u ms", p->conf.name, ms);
		evt_after_ms(p->t_start, ms);
	}
	se_peer_update(p, 1);
}

/* ConnectRetry, error wait, or a connect that takes too long. */
static void
se_start_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_peer	*p = arg;
	struct se_conn	*c;

	(void)fd;
	(void)what;
	if ((c = se_peer_connecting(p)) != NULL) {
		se_lasterr_socket(p->st.lasterr, sizeof(p->st.lasterr),
		    ETIMEDOUT);
		(void)se_conn_event(c, SE_EV_TCP_FAIL, NULL);
		return;
	}
	if (p->conn[0] != NULL || p->conn[1] != NULL)
		return;
	se_peer_start(p);
}

/* Open, configure and start connecting a socket to the peer. */
static void
se_dial(struct se_peer *p)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	int			 fd, af = p->conf.remote.af;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		se_dial_failed(p, errno);
		return;
	}
	se_sock_tos(fd, af);
	if (se_sock_ttl(fd, af, p->conf.ttl_security) == -1)
		goto fail;
	if (p->conf.md5_len > 0 && se_sock_md5(fd, &p->conf.remote,
	    p->conf.md5, p->conf.md5_len) == -1)
		goto fail;
	if (p->conf.local.af != 0) {
		addr_to_sockaddr(&p->conf.local, 0, &ss, &slen);
		if (bind(fd, (struct sockaddr *)&ss, slen) == -1)
			goto fail;
	}
	addr_to_sockaddr(&p->conf.remote, p->conf.port, &ss, &slen);
	if (connect(fd, (struct sockaddr *)&ss, slen) == -1 &&
	    errno != EINPROGRESS)
		goto fail;
	(void)se_conn_new(p, fd, SE_DIR_OUT, FSM_CONNECT);
	evt_after_ms(p->t_start, se_retry_ms(p->fails, arc4random()));
	se_peer_update(p, 0);
	return;
fail:
	se_dial_failed(p, errno);
	close(fd);
}

static void
se_dial_failed(struct se_peer *p, int err)
{
	log_debug("%s: connect: %s", p->conf.name, strerror(err));
	se_lasterr_socket(p->st.lasterr, sizeof(p->st.lasterr), err);
	se_peer_retry(p, 0);
}

/*
 * IMSG_SESSION_CONN: the parent accepted a connection from the peer.
 * It replaces a dial still in progress and an earlier incoming one that
 * is not Established.  Next to a connection in OpenSent or OpenConfirm it
 * is a collision, next to an Established one a collision or the peer's
 * restart: both are resolved when its OPEN arrives (se_collide()).
 */
void
se_peer_conn(uint32_t peerid, int fd)
{
	struct se_peer	*p;
	struct se_conn	*c;
	int		 i;

	if ((p = se_peer_find(peerid)) == NULL || se_stopping) {
		log_warnx("session-conn: unknown peer %u", peerid);
		close(fd);
		return;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_warn("%s: accepted socket", p->conf.name);
		close(fd);
		return;
	}
	for (i = 0; i < 2; i++) {
		c = p->conn[i];
		/* Our dial yields; the peer gave up its earlier connection. */
		if (c != NULL && (c->state == FSM_CONNECT ||
		    (c->dir == SE_DIR_IN && c->state != FSM_ESTABLISHED)))
			(void)se_conn_event(c, SE_EV_STOP, NULL);
	}
	c = se_conn_new(p, fd, SE_DIR_IN, FSM_ACTIVE);
	se_sock_tos(fd, c->local_addr.af);
	if (se_sock_ttl(fd, c->local_addr.af, p->conf.ttl_security) == -1)
		log_warn("%s: TTL on accepted socket", p->conf.name);
	evtimer_del(p->t_start);
	(void)se_conn_event(c, SE_EV_TCP_OK, NULL);
}

/* A connection object, in a free slot of the peer. */
static struct se_conn *
se_conn_new(struct se_peer *p, int fd, enum se_dir dir, uint8_t state)
{
	struct se_conn	*c;

	c = xcalloc(1, sizeof(*c));
	c->born_ms = mono_ms();
	c->peer = p;
	c->fd = fd;
	c->dir = dir;
	c->state = state;
	c->ev_read = event_new(se_base, fd, EV_READ | EV_PERSIST, se_read_cb,
	    c);
	c->ev_write = event_new(se_base, fd, EV_WRITE | EV_PERSIST,
	    se_write_cb, c);
	c->t_hold = evtimer_new(se_base, se_hold_cb, c);
	c->t_keepalive = evtimer_new(se_base, se_keepalive_cb, c);
	c->t_sendhold = evtimer_new(se_base, se_sendhold_cb, c);
	if (c->ev_read == NULL || c->ev_write == NULL || c->t_hold == NULL ||
	    c->t_keepalive == NULL || c->t_sendhold == NULL)
		fatalx("se_conn_new: event_new");
	if (p->conn[0] == NULL)
		p->conn[0] = c;
	else if (p->conn[1] == NULL)
		p->conn[1] = c;
	else
		fatalx("%s: a third connection", p->conf.name);
	if (state == FSM_CONNECT)
		event_add(c->ev_write, NULL);
	else {
		event_add(c->ev_read, NULL);
		se_addrs(c);
	}
	return c;
}

static void
se_conn_free(struct se_conn *c)
{
	event_free(c->ev_read);
	event_free(c->ev_write);
	event_free(c->t_hold);
	event_free(c->t_keepalive);
	event_free(c->t_sendhold);
	if (c->fd != -1)
		close(c->fd);
	se_buf_free(&c->rbuf);
	se_buf_free(&c->wbuf);
	free(c);
}

static void
se_addrs(struct se_conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;

	len = sizeof(ss);
	if (getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0)
		(void)addr_from_sockaddr((struct sockaddr *)&ss,
		    &c->local_addr, NULL);
	len = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0)
		(void)addr_from_sockaddr((struct sockaddr *)&ss,
		    &c->remote_addr, NULL);
}

/* The connection of a peer still dialling, if any. */
static struct se_conn *
se_peer_connecting(struct se_peer *p)
{
	int	 i;

	for (i = 0; i < 2; i++)
		if (p->conn[i] != NULL && p->conn[i]->state == FSM_CONNECT)
			return p->conn[i];
	return NULL;
}

/* The Established connection of a peer, if any. */
static struct se_conn *
se_peer_est(struct se_peer *p)
{
	int	 i;

	for (i = 0; i < SE_DIR_MAX; i++)
		if (p->conn[i] != NULL && p->conn[i]->state == FSM_ESTABLISHED)
			return p->conn[i];
	return NULL;
}

/*
 * Feed an event to a connection and carry out what the state machine
 * says.  err is the NOTIFICATION to send for SE_EV_OPEN_BAD, SE_EV_MSG_BAD
 * and SE_EV_STOP.  Returns the actions taken; after SE_A_CLOSE the
 * connection is gone.
 */
static uint32_t
se_conn_event(struct se_conn *c, enum se_event ev, const struct bgp_err *err)
{
	struct se_peer	*p = c->peer;
	struct se_step	 s;
	uint8_t		 old = c->state;

	se_fsm_step(c->state, ev, &s);
	if (p != NULL && (s.next != old || (s.act & SE_A_CLOSE)))
		log_debug("%s: %s connection: %s on %s -> %s", p->conf.name,
		    c->dir == SE_DIR_IN ? "incoming" : "outgoing",
		    se_event_name(ev), se_state_name(old),
		    se_state_name(s.next));
	c->state = s.next;
	if (s.act & SE_A_SEND_NOTIFY)
		se_conn_notify(c, &s, err, ev == SE_EV_STOP ||
		    ev == SE_EV_COLLISION);
	if (s.act & SE_A_DOWN)
		se_session_down(c, (s.act & SE_A_SEND_NOTIFY) ||
		    ev == SE_EV_NOTIFICATION);
	if (s.act & SE_A_CLOSE) {
		se_conn_end(c, s.act, ev);
		return s.act;
	}
	se_conn_actions(c, &s);
	if (s.act & SE_A_COLLIDE) {
		/* c itself may lose: then it is gone like any closed one. */
		if (se_collide(p, c))
			s.act |= SE_A_CLOSE;
	} else if (p != NULL)
		se_peer_update(p, 0);
	return s.act;
}

/* The actions of a transition that keeps the connection. */
static void
se_conn_actions(struct se_conn *c, const struct se_step *s)
{
	if (s->act & SE_A_SEND_OPEN)
		se_send_open(c);
	if (s->act & SE_A_SEND_KEEPALIVE)
		se_send_keepalive(c);
	se_conn_timers(c, s->act);
	if (s->act & SE_A_UP)
		se_session_up(c);
}

static void
se_conn_timers(struct se_conn *c, uint32_t act)
{
	uint16_t	 hold = c->sess.holdtime, ka;

	if (act & SE_A_HOLD_OPEN)
		evt_after_ms(c->t_hold, SE_OPEN_HOLD * 1000ULL);
	if (act & SE_A_HOLD) {
		if (hold > 0)
			evt_after_ms(c->t_hold, hold * 1000ULL);
		else
			evtimer_del(c->t_hold);
	}
	if (act & SE_A_KEEPALIVE) {
		ka = se_keepalive_secs(hold, c->peer->conf.keepalive);
		if (ka > 0)
			evt_after_ms(c->t_keepalive, ka * 1000ULL);
	}
}

/*
 * Queue the NOTIFICATION of a transition: the state machine's own, or
 * err.  quiet: an administrative stop, not an error to show in status.
 */
static void
se_conn_notify(struct se_conn *c, const struct se_step *s,
    const struct bgp_err *err, int quiet)
{
	struct se_peer	*p = c->peer;
	struct bgp_err	 e;
	uint8_t		 msg[BGP_MAXLEN];
	int		 n;

	memset(&e, 0, sizeof(e));
	if (s->code != 0) {
		e.code = s->code;
		e.subcode = s->subcode;
	} else if (err != NULL)
		memcpy(&e, err, sizeof(e));
	else
		e.code = BGP_ERR_CEASE;
	if (e.datalen > BGP_ERR_DATA_MAX)
		e.datalen = BGP_ERR_DATA_MAX;
	if ((n = bgp_notification_encode_err(&e, msg, sizeof(msg))) <= 0)
		return;
	if (p != NULL) {
		log_info("%s: sending NOTIFICATION %s%s%s", p->conf.name,
		    bgp_notification_str(e.code, e.subcode, NULL,
		    (char *)msg + n, sizeof(msg) - (size_t)n),
		    e.reason[0] ? ": " : "", e.reason);
		if (!quiet) {
			se_lasterr_notify(p->st.lasterr, sizeof(p->st.lasterr),
			    0, e.code, e.subcode);
			p->st.last_code = e.code;
			p->st.last_subcode = e.subcode;
		}
	}
	se_conn_truncate(c);
	se_conn_send(c, msg, (size_t)n, 1);
}

/*
 * The connection is over: detach it from its peer, let it linger if a
 * NOTIFICATION is on its way, and see what the peer does next.
 */
static void
se_conn_end(struct se_conn *c, uint32_t act, enum se_event ev)
{
	struct se_peer	*p = c->peer;
	int		 other = 0, i;

	evtimer_del(c->t_keepalive);
	evtimer_del(c->t_sendhold);
	if (p != NULL) {
		for (i = 0; i < SE_DIR_MAX; i++) {
			if (p->conn[i] == c)
				p->conn[i] = NULL;
			else if (p->conn[i] != NULL)
				other = 1;
		}
		if (se_batch_peer == p->conf.peerid)
			se_batch_flush();
	}
	c->peer = NULL;
	if (act & SE_A_SEND_NOTIFY)
		se_conn_linger(c);
	else
		se_conn_free(c);
	if (p == NULL)
		return;
	if (!other && ev != SE_EV_STOP)
		se_peer_retry(p, (act & SE_A_ERROR) != 0);
	else
		se_peer_update(p, 0);
}

/* Keep a detached connection until its output is out, briefly. */
static void
se_conn_linger(struct se_conn *c)
{
	TAILQ_INSERT_TAIL(&se_linger, c, entry);
	evtimer_del(c->t_hold);
	evt_after_ms(c->t_hold, SE_LINGER_MS);
	if (!event_pending(c->ev_read, EV_READ, NULL))
		event_add(c->ev_read, NULL);
	if (se_conn_write(c) == -1)
		se_linger_done(c);
}

static void
se_linger_done(struct se_conn *c)
{
	TAILQ_REMOVE(&se_linger, c, entry);
	se_conn_free(c);
	if (se_stopping && TAILQ_EMPTY(&se_linger))
		event_base_loopexit(se_base, NULL);
}

/*
 * Queue nmsgs messages (len octets) for the peer and write what the
 * socket takes now.
 */
static void
se_conn_send(struct se_conn *c, const uint8_t *msg, size_t len,
    uint64_t nmsgs)
{
	if (se_buf_append(&c->wbuf, msg, len) == -1)
		fatal("se_conn_send");
	if (c->peer != NULL) {
		c->peer->st.msgs_out += nmsgs;
		c->peer->dirty = 1;
	}
	(void)se_conn_write(c);
}

/*
 * Write what the socket takes.  A write error is left for the read side
 * to find (the socket then reports it or end of file), so that no
 * transition happens in the middle of another.  Returns -1 when a
 * lingering connection is done.
 */
static int
se_conn_write(struct se_conn *c)
{
	ssize_t	 n;
	size_t	 done = 0;

	while (c->wbuf.len > 0) {
		n = write(c->fd, c->wbuf.data + c->wbuf.off, c->wbuf.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			event_del(c->ev_write);
			evtimer_del(c->t_sendhold);
			return c->peer == NULL ? -1 : 0;
		}
		se_conn_written(c, (size_t)n);
		done += (size_t)n;
	}
	if (c->wbuf.len == 0) {
		event_del(c->ev_write);
		evtimer_del(c->t_sendhold);
		if (c->peer == NULL)
			shutdown(c->fd, SHUT_WR);
	} else {
		event_add(c->ev_write, NULL);
		if (c->peer != NULL && (done > 0 ||
		    !evtimer_pending(c->t_sendhold, NULL)))
			evt_after_ms(c->t_sendhold, 1000ULL *
			    se_sendhold_secs(c->sess.holdtime));
	}
	if (c->peer != NULL && c->peer->xoff && c->wbuf.len < SE_XON_BYTES) {
		c->peer->xoff = 0;
		if (se_rib != NULL)
			imsgev_compose(se_rib, IMSG_XON, c->peer->conf.peerid,
			    0, -1, NULL, 0);
	}
	return 0;
}

/*
 * n octets were written: consume them, keeping track of how much of the
 * message at the head of the queue is still to go (whead), so that a
 * NOTIFICATION can be put right after it.
 */
static void
se_conn_written(struct se_conn *c, size_t n)
{
	const uint8_t	*p;
	size_t		 take;

	while (n > 0) {
		if (c->whead == 0) {
			p = c->wbuf.data + c->wbuf.off;
			c->whead = c->wbuf.len >= BGP_HDR_LEN ?
			    (size_t)p[16] << 8 | p[17] : c->wbuf.len;
			if (c->whead < BGP_HDR_LEN || c->whead > c->wbuf.len)
				c->whead = c->wbuf.len;
		}
		take = n < c->whead ? n : c->whead;
		se_buf_consume(&c->wbuf, take);
		c->whead -= take;
		n -= take;
	}
}

/* Drop the queued messages that have not started to go out. */
static void
se_conn_truncate(struct se_conn *c)
{
	if (c->wbuf.len > c->whead)
		c->wbuf.len = c->whead;
}

static void
se_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_conn	*c = arg;
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	(void)what;
	if (c->peer != NULL && c->state == FSM_CONNECT) {
		event_del(c->ev_write);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			se_lasterr_socket(c->peer->st.lasterr,
			    sizeof(c->peer->st.lasterr), err);
			log_debug("%s: connect: %s", c->peer->conf.name,
			    strerror(err));
			(void)se_conn_event(c, SE_EV_TCP_FAIL, NULL);
			return;
		}
		evtimer_del(c->peer->t_start);
		event_add(c->ev_read, NULL);
		se_addrs(c);
		(void)se_conn_event(c, SE_EV_TCP_OK, NULL);
		return;
	}
	if (se_conn_write(c) == -1)
		se_linger_done(c);
}

static void
se_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_conn	*c = arg;
	ssize_t		 n;
	int		 err;

	(void)what;
	if (se_buf_reserve(&c->rbuf, BGP_MAXLEN_EXT) == -1)
		fatal("se_read_cb");
	n = read(fd, c->rbuf.data + c->rbuf.off + c->rbuf.len,
	    c->rbuf.cap - c->rbuf.off - c->rbuf.len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	err = n == -1 ? errno : 0;
	if (c->peer == NULL) {
		/* Lingering: discard, until the peer closes its side. */
		c->rbuf.len = 0;
		if (n <= 0)
			se_linger_done(c);
		return;
	}
	if (n <= 0) {
		se_lasterr_socket(c->peer->st.lasterr,
		    sizeof(c->peer->st.lasterr), err);
		log_debug("%s: %s", c->peer->conf.name, c->peer->st.lasterr);
		(void)se_conn_event(c, SE_EV_TCP_FAIL, NULL);
		return;
	}
	c->rbuf.len += (size_t)n;
	se_conn_parse(c);
}

/* Frame and handle the complete messages in the read buffer. */
static void
se_conn_parse(struct se_conn *c)
{
	struct se_peer	*p = c->peer;
	struct bgp_err	 err;
	const uint8_t	*m;
	uint16_t	 mlen;
	uint8_t		 type;
	int		 r;

	for (;;) {
		m = c->rbuf.data + c->rbuf.off;
		r = bgp_hdr_parse(m, c->rbuf.len, c->have_open ?
		    c->sess.maxlen : BGP_MAXLEN, &type, &mlen, &err);
		if (r == -1) {
			log_warnx("%s: %s", p->conf.name, err.reason);
			(void)se_conn_event(c, SE_EV_MSG_BAD, &err);
			goto gone;
		}
		if (r == 0 || c->rbuf.len < mlen)
			break;
		if (se_conn_msg(c, type, m, mlen) == -1)
			goto gone;
		se_buf_consume(&c->rbuf, mlen);
	}
	se_batch_flush();
	se_rib_backpressure(c);
	return;
gone:
	se_batch_flush();
}

/* One message; -1 when the connection is gone. */
static int
se_conn_msg(struct se_conn *c, uint8_t type, const uint8_t *m, size_t len)
{
	struct se_peer	*p = c->peer;
	uint32_t	 act;

	p->st.msgs_in++;
	p->dirty = 1;
	switch (type) {
	case BGP_MSG_OPEN:
		return se_msg_open(c, m, len);
	case BGP_MSG_NOTIFICATION:
		return se_msg_notification(c, m, len);
	case BGP_MSG_ROUTE_REFRESH:
		return se_msg_rrefresh(c, m, len);
	case BGP_MSG_KEEPALIVE:
		act = se_conn_event(c, SE_EV_KEEPALIVE, NULL);
		break;
	default:
		p->st.updates_in++;
		act = se_conn_event(c, SE_EV_UPDATE, NULL);
		if (act & SE_A_FWD_UPDATE)
			se_batch_add(p, m, len);
		break;
	}
	return (act & SE_A_CLOSE) ? -1 : 0;
}

static int
se_msg_open(struct se_conn *c, const uint8_t *m, size_t len)
{
	struct se_peer	*p = c->peer;
	struct bgp_open	 o;
	struct bgp_sess	 s;
	struct bgp_err	 err;
	enum se_event	 ev = SE_EV_OPEN_OK;

	if (bgp_open_decode(m, len, &o, &err) == -1 ||
	    bgp_caps_negotiate(&p->lopen, &o, p->conf.peer_as, &s,
	    &err) == -1) {
		log_warnx("%s: %s", p->conf.name, err.reason);
		ev = SE_EV_OPEN_BAD;
	} else if (c->state == FSM_OPENSENT) {
		s.enforce_first_as = s.ebgp;
		c->ropen = o;
		c->sess = s;
		c->have_open = 1;
		log_debug("%s: OPEN: AS %u, id %08x, hold %u", p->conf.name,
		    o.as, o.bgp_id, o.holdtime);
	}
	return (se_conn_event(c, ev, &err) & SE_A_CLOSE) ? -1 : 0;
}

static int
se_msg_notification(struct se_conn *c, const uint8_t *m, size_t len)
{
	struct se_peer		*p = c->peer;
	struct bgp_notification	 n;
	struct bgp_err		 err;
	char			 buf[512];

	if (bgp_notification_decode(m, len, &n, &err) == -1) {
		memset(&n, 0, sizeof(n));
		n.code = m[BGP_HDR_LEN];
		n.subcode = m[BGP_HDR_LEN + 1];
	}
	log_warnx("%s: received NOTIFICATION %s", p->conf.name,
	    bgp_notification_str(0, 0, &n, buf, sizeof(buf)));
	se_lasterr_notify(p->st.lasterr, sizeof(p->st.lasterr), 1, n.code,
	    n.subcode);
	p->st.last_code = n.code;
	p->st.last_subcode = n.subcode;
	(void)se_conn_event(c, SE_EV_NOTIFICATION, NULL);
	return -1;
}

/* ROUTE-REFRESH: to ribd when negotiated and of a family we know. */
static int
se_msg_rrefresh(struct se_conn *c, const uint8_t *m, size_t len)
{
	struct se_peer		*p = c->peer;
	struct bgp_rrefresh	 rr;
	struct bgp_err		 err;
	uint32_t		 act;

	if (bgp_rrefresh_decode(m, len, &rr, &err) == -1) {
		log_warnx("%s: %s", p->conf.name, err.reason);
		(void)se_conn_event(c, SE_EV_MSG_BAD, &err);
		return -1;
	}
	act = se_conn_event(c, SE_EV_RREFRESH, NULL);
	if (act & SE_A_CLOSE)
		return -1;
	if (!(act & SE_A_FWD_REFRESH))
		return 0;
	if (!c->sess.rrefresh || !rr.known || !c->sess.af[rr.aid]) {
		log_info("%s: ignoring ROUTE-REFRESH for AFI %u SAFI %u",
		    p->conf.name, rr.afi, rr.safi);
		return 0;
	}
	se_batch_flush();
	if (se_rib != NULL && imsgev_compose(se_rib, IMSG_REFRESH,
	    p->conf.peerid, 0, -1, &rr, sizeof(rr)) == -1)
		log_warn("%s: refresh to ribd", p->conf.name);
	return 0;
}

/*
 * Resolve a collision once connection c got its OPEN (or became
 * Established).  A dial still in progress simply yields.  Next to an
 * Established session, a new OPEN means the peer restarted if graceful
 * restart is on (RFC 4724 4.2: the old session is gone), else the new
 * connection loses (RFC 4271 6.8).  Two connections that both carry an
 * OPEN are decided by the identifiers.  Returns 1 when c lost.
 */
static int
se_collide(struct se_peer *p, struct se_conn *c)
{
	struct se_conn	*o, *loser;

	o = p->conn[0] == c ? p->conn[1] : p->conn[0];
	if (o == NULL) {
		se_peer_update(p, 0);
		return 0;
	}
	if (o->state == FSM_CONNECT) {
		(void)se_conn_event(o, SE_EV_STOP, NULL);
		return 0;
	}
	if (c->state == FSM_ESTABLISHED)
		loser = o;
	else if (o->state == FSM_ESTABLISHED) {
		/*
		 * A new OPEN on an Established session is the peer back
		 * from a restart whose old connection we never saw close
		 * (RFC 4724 4.2), unless the new connection is older than
		 * the session: then it is the other half of a collision
		 * whose OPEN came late, and the Established one wins.
		 */
		if (se_gr_graceful(&p->conf, &o->sess, 0) &&
		    c->born_ms > o->up_ms) {
			log_info("%s: new OPEN: the peer restarted",
			    p->conf.name);
			se_lasterr_socket(p->st.lasterr,
			    sizeof(p->st.lasterr), ECONNRESET);
			(void)se_conn_event(o, SE_EV_TCP_FAIL, NULL);
			return 0;
		}
		loser = c;
	} else if (se_collision_winner(p->lopen.bgp_id, c->ropen.bgp_id,
	    p->lopen.as, c->ropen.as) == c->dir)
		loser = o;
	else
		loser = c;
	log_info("%s: connection collision: closing the %s connection",
	    p->conf.name, loser->dir == SE_DIR_IN ? "incoming" : "outgoing");
	(void)se_conn_event(loser, SE_EV_COLLISION, NULL);
	return loser == c;
}

static void
se_send_open(struct se_conn *c)
{
	uint8_t	 msg[BGP_MAXLEN];
	int	 n;

	if ((n = bgp_open_encode(&c->peer->lopen, msg, sizeof(msg))) == -1)
		fatalx("%s: cannot encode our OPEN", c->peer->conf.name);
	se_conn_send(c, msg, (size_t)n, 1);
}

static void
se_send_keepalive(struct se_conn *c)
{
	uint8_t	 msg[BGP_KEEPALIVE_LEN];

	if (bgp_keepalive_encode(msg, sizeof(msg)) == -1)
		fatalx("cannot encode a KEEPALIVE");
	se_conn_send(c, msg, sizeof(msg), 1);
}

/* Established: ribd learns the negotiated session. */
static void
se_session_up(struct se_conn *c)
{
	struct se_peer		*p = c->peer;
	struct imsg_session_up	 up;

	c->up_ms = mono_ms();
	p->fails = 0;
	p->idle = 0;
	p->st.lasterr[0] = '\0';
	p->st.last_code = 0;
	p->st.last_subcode = 0;
	memset(&up, 0, sizeof(up));
	up.peerid = p->conf.peerid;
	up.remote_id = htonl(c->ropen.bgp_id);
	up.local_addr = c->local_addr;
	up.remote_addr = c->remote_addr;
	up.sess = c->sess;
	log_info("%s: session established (hold %u, %s AS %u)", p->conf.name,
	    c->sess.holdtime, c->sess.ebgp ? "eBGP" : "iBGP",
	    c->sess.peer_as);
	if (se_rib != NULL && imsgev_compose(se_rib, IMSG_SESSION_UP,
	    p->conf.peerid, 0, -1, &up, sizeof(up)) == -1)
		log_warn("%s: session up to ribd", p->conf.name);
}

static void
se_session_down(struct se_conn *c, int notification)
{
	struct se_peer		*p = c->peer;
	struct imsg_session_down down;

	if (p == NULL)
		return;
	if (se_batch_peer == p->conf.peerid)
		se_batch_flush();
	p->st.flaps++;
	p->xoff = 0;
	memset(&down, 0, sizeof(down));
	down.peerid = p->conf.peerid;
	down.graceful = (uint8_t)se_gr_graceful(&p->conf, &c->sess,
	    notification);
	if (down.graceful)
		down.restart_time = c->sess.peer_caps.gr_time;
	log_info("%s: session down%s", p->conf.name,
	    down.graceful ? " (graceful restart)" : "");
	if (se_rib != NULL && imsgev_compose(se_rib, IMSG_SESSION_DOWN,
	    p->conf.peerid, 0, -1, &down, sizeof(down)) == -1)
		log_warn("%s: session down to ribd", p->conf.name);
}

/* Collect an UPDATE for ribd; one imsg per peer and read. */
static void
se_batch_add(struct se_peer *p, const uint8_t *m, size_t len)
{
	if (se_batch_len > 0 && (se_batch_peer != p->conf.peerid ||
	    se_batch_len + len > sizeof(se_batch)))
		se_batch_flush();
	se_batch_peer = p->conf.peerid;
	memcpy(se_batch + se_batch_len, m, len);
	se_batch_len += len;
}

static void
se_batch_flush(void)
{
	if (se_batch_len == 0)
		return;
	if (se_rib == NULL)
		log_warnx("no pipe to ribd: dropping UPDATEs of peer %u",
		    se_batch_peer);
	else if (imsgev_compose(se_rib, IMSG_UPDATE, se_batch_peer, 0, -1,
	    se_batch, se_batch_len) == -1)
		fatal("UPDATE to ribd");
	se_batch_len = 0;
}

/* Stop reading a peer while ribd has too much to chew on. */
static void
se_rib_backpressure(struct se_conn *c)
{
	if (se_rib == NULL || imsgbuf_queued(&se_rib->ibuf) < SE_RIB_HIGH)
		return;
	c->paused = 1;
	event_del(c->ev_read);
	if (!evtimer_pending(se_resume_ev, NULL))
		evt_after_ms(se_resume_ev, SE_RESUME_MS);
}

static void
se_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_peer	*p;
	int		 i;

	(void)fd;
	(void)what;
	(void)arg;
	if (se_rib != NULL && imsgbuf_queued(&se_rib->ibuf) > SE_RIB_LOW) {
		evt_after_ms(se_resume_ev, SE_RESUME_MS);
		return;
	}
	RB_FOREACH(p, se_peer_tree, &se_peers)
		for (i = 0; i < SE_DIR_MAX; i++)
			if (p->conn[i] != NULL && p->conn[i]->paused) {
				p->conn[i]->paused = 0;
				event_add(p->conn[i]->ev_read, NULL);
			}
}

/* Hold timer; for a lingering connection, the end of its grace. */
static void
se_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_conn	*c = arg;

	(void)fd;
	(void)what;
	if (c->peer == NULL) {
		se_linger_done(c);
		return;
	}
	if (c->paused) {
		/* Our own backlog, not the peer's silence. */
		evt_after_ms(c->t_hold, 1000);
		return;
	}
	log_warnx("%s: hold timer expired", c->peer->conf.name);
	(void)se_conn_event(c, SE_EV_HOLD_EXPIRED, NULL);
}

static void
se_keepalive_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)se_conn_event(arg, SE_EV_KEEPALIVE_TIMER, NULL);
}

static void
se_sendhold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_conn	*c = arg;

	(void)fd;
	(void)what;
	log_warnx("%s: send hold timer expired: the peer reads nothing",
	    c->peer->conf.name);
	se_lasterr_notify(c->peer->st.lasterr, sizeof(c->peer->st.lasterr),
	    0, 8, 0);
	(void)se_conn_event(c, SE_EV_SENDHOLD_EXPIRED, NULL);
}

static void
se_status_cb(evutil_socket_t fd, short what, void *arg)
{
	struct se_peer	*p;

	(void)fd;
	(void)what;
	(void)arg;
	RB_FOREACH(p, se_peer_tree, &se_peers)
		if (p->dirty)
			se_peer_report(p);
	evt_after_ms(se_status_ev, SE_STATUS_MS);
}

/*
 * IMSG_UPDATE from ribd: complete messages for the peer, written as
 * they are.  The framing is checked all the same: a bad batch is a bug
 * in ribd, and must not reach the peer.
 */
void
se_peer_output(uint32_t peerid, const uint8_t *data, size_t len)
{
	struct se_peer	*p;
	struct se_conn	*c;
	struct bgp_err	 err;
	uint64_t	 updates = 0, msgs = 0;
	uint16_t	 mlen;
	uint8_t		 type;
	size_t		 off;

	if ((p = se_peer_find(peerid)) == NULL ||
	    (c = se_peer_est(p)) == NULL)
		return;
	for (off = 0; off < len; off += mlen) {
		if (bgp_hdr_parse(data + off, len - off, c->sess.maxlen, &type,
		    &mlen, &err) != 1 || mlen > len - off) {
			log_warnx("%s: bad message from ribd at offset %zu, "
			    "dropping %zu octets", p->conf.name, off, len);
			return;
		}
		if (type == BGP_MSG_UPDATE)
			updates++;
		msgs++;
	}
	p->st.updates_out += updates;
	se_conn_send(c, data, len, msgs);
	if (c->wbuf.len > SE_WBUF_HARD_MAX) {
		memset(&err, 0, sizeof(err));
		err.code = BGP_ERR_CEASE;
		err.subcode = BGP_CEASE_RESOURCES;
		log_warnx("%s: output queue over %d octets", p->conf.name,
		    SE_WBUF_HARD_MAX);
		(void)se_conn_event(c, SE_EV_MSG_BAD, &err);
		return;
	}
	if (!p->xoff && c->wbuf.len >= SE_XOFF_BYTES) {
		p->xoff = 1;
		if (se_rib != NULL)
			imsgev_compose(se_rib, IMSG_XOFF, peerid, 0, -1,
			    NULL, 0);
	}
}

/* IMSG_REFRESH from ribd: ask the peer to send its routes again. */
void
se_peer_refresh_out(uint32_t peerid, const uint8_t *data, size_t len)
{
	struct se_peer		*p;
	struct se_conn		*c;
	struct bgp_rrefresh	 rr;
	uint8_t			 msg[BGP_RREFRESH_LEN];
	int			 n;

	if (len != sizeof(rr) || (p = se_peer_find(peerid)) == NULL ||
	    (c = se_peer_est(p)) == NULL)
		return;
	memcpy(&rr, data, sizeof(rr));
	if (rr.aid >= BGP_AID_MAX || !c->sess.rrefresh ||
	    !c->sess.af[rr.aid] || (rr.subtype != BGP_RR_NORMAL &&
	    !c->sess.enhanced_rr))
		return;
	if ((n = bgp_rrefresh_encode(rr.aid, rr.subtype, msg,
	    sizeof(msg))) == -1)
		return;
	se_conn_send(c, msg, (size_t)n, 1);
}

/* IMSG_NOTIFY from ribd: struct imsg_notify, then its data. */
void
se_peer_notify(uint32_t peerid, const uint8_t *data, size_t len)
{
	struct se_peer		*p;
	struct se_conn		*c;
	struct imsg_notify	 n;
	struct bgp_err		 err;

	if (len < sizeof(n))
		fatalx("notify from ribd: short");
	memcpy(&n, data, sizeof(n));
	if (n.datalen != len - sizeof(n) || n.datalen > BGP_ERR_DATA_MAX)
		fatalx("notify from ribd: bad length");
	if ((p = se_peer_find(peerid)) == NULL ||
	    (c = se_peer_est(p)) == NULL)
		return;
	bgp_err_set(&err, n.code, n.subcode, data + sizeof(n), n.datalen,
	    "requested by ribd");
	(void)se_conn_event(c, SE_EV_MSG_BAD, &err);
}

/*
 * An Established session whose peer will keep our routes through a
 * restart (RFC 4724: both sides announced graceful restart).
 */
static int
se_peer_restartable(const struct se_peer *p)
{
	int	 i;

	for (i = 0; i < SE_DIR_MAX; i++)
		if (p->conn[i] != NULL &&
		    p->conn[i]->state == FSM_ESTABLISHED &&
		    se_gr_graceful(&p->conf, &p->conn[i]->sess, 0))
			return 1;
	return 0;
}

/*
 * IMSG_SHUTDOWN: Cease/Administrative Shutdown to every session, then
 * exit once the NOTIFICATIONs are out (or after SE_EXIT_MS).  A session
 * with graceful restart is not told anything: the connection simply
 * closes when the process exits, so that the peer keeps our routes as
 * stale until we are back (tortied is stopping to restart, and its own
 * kernel routes stay too).
 */
void
se_shutdown(void)
{
	struct se_peer	*p;

	se_stopping = 1;
	RB_FOREACH(p, se_peer_tree, &se_peers) {
		if (se_peer_restartable(p)) {
			log_info("%s: closing without NOTIFICATION for "
			    "graceful restart", p->conf.name);
			continue;
		}
		se_peer_stop(p, BGP_CEASE_ADMIN_DOWN);
	}
	se_batch_flush();
	if (TAILQ_EMPTY(&se_linger))
		event_base_loopexit(se_base, NULL);
	else
		evt_after_ms(se_exit_ev, SE_EXIT_MS);
}

static void
se_exit_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	event_base_loopexit(se_base, NULL);
}
