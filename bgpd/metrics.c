/*
 * Prometheus metrics of the parent: GET /metrics on the address that
 * tortie.yaml's metrics.listen names, in the text exposition format 0.0.4.
 *
 * Everything is read from the parent's own state (the session table, the
 * children, the reload counters) when a scrape arrives and rendered into
 * memory at once, so that a scrape never waits on a child and a slow
 * client never holds the event loop: libevent's evhttp writes the answer
 * as the client reads it.
 *
 * A client must not be able to hold the parent either.  evhttp (libevent
 * 2.1) has read/write timeouts and size limits but no limit on the number
 * of connections and no deadline for a whole connection, and a client
 * that trickles a header one byte at a time never trips a timeout.  So
 * every connection is counted when evhttp asks us for its bufferevent:
 * past METRICS_MAX_CONNS the listener stops accepting (further clients
 * wait in the backlog), and a connection still open after
 * METRICS_DEADLINE_S is given evhttp's own timeout event, which makes
 * evhttp close it.  We keep a reference on each bufferevent so that it
 * outlives evhttp's use of it; once evhttp has let go of it, its
 * callbacks are cleared and that event goes nowhere.  A connection that
 * evhttp drops before a request reaches us (a malformed or oversized
 * one) keeps its slot and its descriptor until that deadline.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "bgpd.h"
#include "log.h"
#include "util.h"

#define METRICS_MAX_CONNS	16	/* connections open at once */
#define METRICS_IO_TIMEOUT_S	5	/* one read or write */
#define METRICS_DEADLINE_S	10	/* a whole connection */
#define METRICS_MAX_HEADERS	8192
#define METRICS_MAX_BODY	1024
#define METRICS_BACKLOG		16
#define METRICS_CTYPE		"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_PATH		"/metrics"

/* Labels of one sample: name, value, name, value, ... */
#define METRICS_SESSION_LABELS	6

struct metrics_conn {
	TAILQ_ENTRY(metrics_conn) entry;
	struct bufferevent	*bev;
	struct event		*deadline;
};

/* The per-session families, in the order they are printed. */
enum metrics_sess {
	MS_UP,
	MS_STATE,
	MS_IN_STATE,
	MS_UPTIME,
	MS_MSGS_IN,
	MS_MSGS_OUT,
	MS_UPDATES_IN,
	MS_UPDATES_OUT,
	MS_PFX_RECEIVED,
	MS_PFX_ADVERTISED,
	MS_PFX_BEST,
	MS_PFX_STALE,
	MS_FLAPS,
	MS_LAST_ERROR,
	MS_MAX
};

struct metrics_family {
	const char	*name;
	const char	*type;
	const char	*help;
};

static const struct metrics_family sess_families[MS_MAX] = {
	[MS_UP] = { "tortie_bgp_session_up", "gauge",
	    "1 if the BGP session is Established, else 0." },
	[MS_STATE] = { "tortie_bgp_session_state", "gauge",
	    "BGP FSM state numbered as BGP4-MIB bgpPeerState: 1 Idle, "
	    "2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established." },
	[MS_IN_STATE] = { "tortie_bgp_session_in_state", "gauge",
	    "1 for the BGP FSM state the session is in, 0 for the others." },
	[MS_UPTIME] = { "tortie_bgp_session_uptime_seconds", "gauge",
	    "Seconds since the session became Established, 0 if it is not." },
	[MS_MSGS_IN] = { "tortie_bgp_messages_received_total", "counter",
	    "BGP messages received from the peer." },
	[MS_MSGS_OUT] = { "tortie_bgp_messages_sent_total", "counter",
	    "BGP messages sent to the peer." },
	[MS_UPDATES_IN] = { "tortie_bgp_updates_received_total", "counter",
	    "BGP UPDATE messages received from the peer." },
	[MS_UPDATES_OUT] = { "tortie_bgp_updates_sent_total", "counter",
	    "BGP UPDATE messages sent to the peer." },
	[MS_PFX_RECEIVED] = { "tortie_bgp_prefixes_received", "gauge",
	    "Prefixes accepted from the peer (Adj-RIB-In)." },
	[MS_PFX_ADVERTISED] = { "tortie_bgp_prefixes_advertised", "gauge",
	    "Prefixes advertised to the peer (Adj-RIB-Out)." },
	[MS_PFX_BEST] = { "tortie_bgp_prefixes_best", "gauge",
	    "Prefixes from the peer that are best in the Loc-RIB." },
	[MS_PFX_STALE] = { "tortie_bgp_prefixes_stale", "gauge",
	    "Prefixes from the peer kept as stale for graceful restart." },
	[MS_FLAPS] = { "tortie_bgp_session_flaps_total", "counter",
	    "Times the session went down after being Established." },
	[MS_LAST_ERROR] = { "tortie_bgp_session_last_error_code", "gauge",
	    "Last NOTIFICATION as code*256+subcode, 0 if none since the "
	    "session was last Established." },
};

static struct evhttp		*m_http;
static struct evhttp_bound_socket *m_sock;
static char			*m_listen;
static TAILQ_HEAD(, metrics_conn) m_conns = TAILQ_HEAD_INITIALIZER(m_conns);
static int			 m_nconns;
static int			 m_paused;
static uint64_t			 m_reload_ok;

static size_t	 metrics_utf8_len(const unsigned char *);
static int	 metrics_put_escaped(struct evbuffer *, const char *, int);
static int	 metrics_name_ok(const char *, int);
static uint64_t	 metrics_sess_value(const struct bgpd_peer *,
		    enum metrics_sess);
static void	 metrics_sess_cb(const struct bgpd_peer *, void *);
static int	 metrics_render_sessions(struct evbuffer *);
static int	 metrics_render_children(struct evbuffer *);
static int	 metrics_render_process(struct evbuffer *);
static int	 metrics_socket(const char *);
static struct bufferevent *metrics_newconn(struct event_base *, void *);
static void	 metrics_conn_release(struct metrics_conn *);
static void	 metrics_deadline(evutil_socket_t, short, void *);
static void	 metrics_closed(struct evhttp_connection *, void *);
static void	 metrics_watch_close(struct evhttp_request *);
static void	 metrics_reply_text(struct evhttp_request *, int,
		    const char *);
static void	 metrics_request(struct evhttp_request *, void *);

/*
 * Length of the valid UTF-8 sequence at s, 0 if there is none (overlong
 * forms, surrogates and code points past U+10FFFF are not valid).  Never
 * reads past a NUL.
 */
static size_t
metrics_utf8_len(const unsigned char *s)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * s as the text format wants it: backslash and newline escaped, and the
 * double quote too inside a label value.  The format has no escape for
 * other control characters, and Prometheus rejects a whole scrape over
 * one label value that is not UTF-8, so those bytes become U+FFFD.
 */
static int
metrics_put_escaped(struct evbuffer *b, const char *s, int quote)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;
	int			 r = 0;

	while (*p != '\0' && r == 0) {
		if (*p == '\\')
			r = evbuffer_add(b, "\\\\", 2);
		else if (*p == '\n')
			r = evbuffer_add(b, "\\n", 2);
		else if (*p == '"' && quote)
			r = evbuffer_add(b, "\\\"", 2);
		else if (*p < 0x20 || *p == 0x7f ||
		    (n = metrics_utf8_len(p)) == 0)
			r = evbuffer_add(b, "\xef\xbf\xbd", 3);
		else {
			r = evbuffer_add(b, p, n);
			p += n;
			continue;
		}
		p++;
	}
	return r;
}

/*
 * Metric names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names the same without
 * colons, and label names starting with "__" are Prometheus' own.
 */
static int
metrics_name_ok(const char *s, int label)
{
	size_t	 i;
	char	 c;

	if (s == NULL || s[0] == '\0')
		return 0;
	if (label && s[0] == '_' && s[1] == '_')
		return 0;
	for (i = 0; (c = s[i]) != '\0'; i++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (c == ':' && !label))
			continue;
		if (i > 0 && c >= '0' && c <= '9')
			continue;
		return 0;
	}
	return 1;
}

/* "# HELP" and "# TYPE" lines that open a family. */
int
metrics_family(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	static const char *const types[] = { "counter", "gauge", "untyped",
	    "summary", "histogram" };
	size_t	 i;

	if (!metrics_name_ok(name, 0))
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (type != NULL && strcmp(type, types[i]) == 0)
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return -1;
	if (evbuffer_add_printf(b, "# HELP %s ", name) == -1 ||
	    metrics_put_escaped(b, help != NULL ? help : "", 0) == -1 ||
	    evbuffer_add_printf(b, "\n# TYPE %s %s\n", name, type) == -1)
		return -1;
	return 0;
}

/*
 * One sample line: name{label="value",...} value.  labels holds nlabels
 * name/value pairs.  Nothing is written for a bad or repeated name.
 */
int
metrics_sample(struct evbuffer *b, const char *name,
    const char *const *labels, size_t nlabels, uint64_t value)
{
	size_t	 i, j;

	if (!metrics_name_ok(name, 0) || (nlabels > 0 && labels == NULL))
		return -1;
	for (i = 0; i < nlabels; i++) {
		if (!metrics_name_ok(labels[2 * i], 1))
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(labels[2 * i], labels[2 * j]) == 0)
				return -1;
	}
	if (evbuffer_add_printf(b, "%s", name) == -1)
		return -1;
	for (i = 0; i < nlabels; i++) {
		if (evbuffer_add_printf(b, "%s%s=\"", i == 0 ? "{" : ",",
		    labels[2 * i]) == -1 ||
		    metrics_put_escaped(b, labels[2 * i + 1] != NULL ?
		    labels[2 * i + 1] : "", 1) == -1 ||
		    evbuffer_add(b, "\"", 1) == -1)
			return -1;
	}
	if (evbuffer_add_printf(b, "%s %" PRIu64 "\n", nlabels > 0 ? "}" : "",
	    value) == -1)
		return -1;
	return 0;
}

static uint64_t
metrics_sess_value(const struct bgpd_peer *p, enum metrics_sess m)
{
	int64_t	 up;

	switch (m) {
	case MS_UP:
		return p->st.state == FSM_ESTABLISHED;
	case MS_STATE:
		return (uint64_t)p->st.state + 1;
	case MS_UPTIME:
		if (p->st.state != FSM_ESTABLISHED || p->st.since <= 0)
			return 0;
		up = (int64_t)time(NULL) - p->st.since;
		return up > 0 ? (uint64_t)up : 0;
	case MS_MSGS_IN:
		return p->st.msgs_in;
	case MS_MSGS_OUT:
		return p->st.msgs_out;
	case MS_UPDATES_IN:
		return p->st.updates_in;
	case MS_UPDATES_OUT:
		return p->st.updates_out;
	case MS_PFX_RECEIVED:
		return p->counts.prefixes_in;
	case MS_PFX_ADVERTISED:
		return p->counts.prefixes_out;
	case MS_PFX_BEST:
		return p->counts.prefixes_best;
	case MS_PFX_STALE:
		return p->counts.stale;
	case MS_FLAPS:
		return p->st.flaps;
	case MS_LAST_ERROR:
		return (uint64_t)p->st.last_code * 256 + p->st.last_subcode;
	default:
		return 0;
	}
}

struct metrics_sess_ctx {
	struct evbuffer		*b;
	enum metrics_sess	 m;
	int			 err;
};

/* One session's samples of one family. */
static void
metrics_sess_cb(const struct bgpd_peer *p, void *arg)
{
	struct metrics_sess_ctx	*x = arg;
	const char		*l[2 * (METRICS_SESSION_LABELS + 1)];
	char			 addr[ADDRSTRLEN], as[16];
	uint32_t		 s;

	snprintf(as, sizeof(as), "%u", p->conf.peer_as);
	l[0] = "name";
	l[1] = p->conf.name;
	l[2] = "peer";
	l[3] = addr_ntop(&p->conf.remote, addr, sizeof(addr));
	l[4] = "peer_as";
	l[5] = as;
	l[6] = "group";
	l[7] = p->conf.group;
	l[8] = "type";
	l[9] = peer_type_name(p->conf.type);
	l[10] = "family";
	l[11] = p->conf.remote.af == AF_INET6 ? "ipv6" : "ipv4";
	if (x->m != MS_IN_STATE) {
		if (metrics_sample(x->b, sess_families[x->m].name, l,
		    METRICS_SESSION_LABELS, metrics_sess_value(p, x->m)) == -1)
			x->err = 1;
		return;
	}
	l[12] = "state";
	for (s = 0; s < FSM_STATE_MAX; s++) {
		l[13] = fsm_state_name(s);
		if (metrics_sample(x->b, sess_families[x->m].name, l,
		    METRICS_SESSION_LABELS + 1, p->st.state == s) == -1)
			x->err = 1;
	}
}

static int
metrics_render_sessions(struct evbuffer *b)
{
	struct metrics_sess_ctx	 x;
	int			 m;

	memset(&x, 0, sizeof(x));
	x.b = b;
	for (m = 0; m < MS_MAX; m++) {
		if (metrics_family(b, sess_families[m].name,
		    sess_families[m].type, sess_families[m].help) == -1)
			return -1;
		x.m = (enum metrics_sess)m;
		peers_foreach(metrics_sess_cb, &x);
		if (x.err)
			return -1;
	}
	return 0;
}

/* Restarts since tortied started (never reset, unlike the back-off). */
static int
metrics_render_children(struct evbuffer *b)
{
	const char	*l[4];
	struct child	*c;

	if (metrics_family(b, "tortie_child_restarts_total", "counter",
	    "Restarts of a helper process by the parent.") == -1)
		return -1;
	l[0] = "role";
	l[2] = "group";
	l[3] = "";
	if (td->rib != NULL) {
		l[1] = "ribd";
		if (metrics_sample(b, "tortie_child_restarts_total", l, 2,
		    td->rib->restarts_total) == -1)
			return -1;
	}
	if (td->kroute != NULL) {
		l[1] = "kroute";
		if (metrics_sample(b, "tortie_child_restarts_total", l, 2,
		    td->kroute->restarts_total) == -1)
			return -1;
	}
	l[1] = "sessiond";
	TAILQ_FOREACH(c, &td->groups, entry) {
		/* A group being stopped may share its name with a new one. */
		if (c->removing)
			continue;
		l[3] = c->name;
		if (metrics_sample(b, "tortie_child_restarts_total", l, 2,
		    c->restarts_total) == -1)
			return -1;
	}
	if (metrics_family(b, "tortie_datastore_up", "gauge",
	    "1 when the last load of the datastore worked and etcd, if "
	    "used, is reachable.") == -1)
		return -1;
	return metrics_sample(b, "tortie_datastore_up", NULL, 0,
	    config_ds_up());
}

static int
metrics_render_process(struct evbuffer *b)
{
	const char	*l[2] = { "version", TORTIE_VERSION };
	int		 ok;

	ok = td->reloads > 0 && m_reload_ok == td->reloads;
	if (metrics_family(b, "tortie_config_reloads_total", "counter",
	    "Configuration loads, the first one at start included.") == -1 ||
	    metrics_sample(b, "tortie_config_reloads_total", NULL, 0,
	    td->reloads) == -1 ||
	    metrics_family(b, "tortie_config_reload_failures_total", "counter",
	    "Configuration loads that failed; the running configuration "
	    "stayed in force.") == -1 ||
	    metrics_sample(b, "tortie_config_reload_failures_total", NULL, 0,
	    td->reload_failures) == -1 ||
	    metrics_family(b, "tortie_config_last_reload_success", "gauge",
	    "1 if the last configuration load succeeded, else 0.") == -1 ||
	    metrics_sample(b, "tortie_config_last_reload_success", NULL, 0,
	    ok) == -1 ||
	    metrics_render_children(b) == -1 ||
	    metrics_family(b, "tortie_build_info", "gauge",
	    "Always 1; the version of tortie in a label.") == -1 ||
	    metrics_sample(b, "tortie_build_info", l, 1, 1) == -1)
		return -1;
	return 0;
}

/* The whole exposition. */
int
metrics_render(struct evbuffer *b)
{
	if (metrics_render_sessions(b) == -1 ||
	    metrics_render_process(b) == -1)
		return -1;
	return 0;
}

static int
metrics_socket(const char *where)
{
	struct sockaddr_storage	 ss;
	struct bgpd_addr	 a;
	socklen_t		 len;
	uint16_t		 port;
	int			 fd, on = 1;

	if (addr_port_parse(where, &a, &port) == -1) {
		log_warnx("metrics.listen \"%s\": not address:port (an IPv6 "
		    "address in brackets)", where);
		return -1;
	}
	addr_to_sockaddr(&a, port, &ss, &len);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		log_warn("metrics %s: socket", where);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)) {
		log_warn("metrics %s: setsockopt", where);
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) == -1) {
		log_warn("metrics %s: bind", where);
		goto fail;
	}
	if (listen(fd, METRICS_BACKLOG) == -1) {
		log_warn("metrics %s: listen", where);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* evhttp accepted a connection and wants its bufferevent. */
static struct bufferevent *
metrics_newconn(struct event_base *base, void *arg)
{
	struct metrics_conn	*c;
	struct evconnlistener	*lev;
	struct timeval		 tv = { METRICS_DEADLINE_S, 0 };

	(void)arg;
	c = xcalloc(1, sizeof(*c));
	/*
	 * With BEV_OPT_CLOSE_ON_FREE the socket belongs to the bufferevent:
	 * evhttp shuts it down but leaves the close to the bufferevent's
	 * last reference.  So while ours holds the bufferevent, whose
	 * events may still be registered, the descriptor stays open and
	 * cannot be reused by another connection under them.
	 */
	if ((c->bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL ||
	    (c->deadline = evtimer_new(base, metrics_deadline, c)) == NULL)
		fatalx("metrics: out of memory");
	bufferevent_incref(c->bev);
	evtimer_add(c->deadline, &tv);
	TAILQ_INSERT_TAIL(&m_conns, c, entry);
	if (++m_nconns >= METRICS_MAX_CONNS && m_sock != NULL && !m_paused) {
		lev = evhttp_bound_socket_get_listener(m_sock);
		evconnlistener_disable(lev);
		m_paused = 1;
	}
	return c->bev;
}

static void
metrics_conn_release(struct metrics_conn *c)
{
	TAILQ_REMOVE(&m_conns, c, entry);
	event_free(c->deadline);
	bufferevent_decref(c->bev);
	free(c);
	m_nconns--;
	if (m_paused && m_nconns < METRICS_MAX_CONNS && m_sock != NULL) {
		evconnlistener_enable(evhttp_bound_socket_get_listener(m_sock));
		m_paused = 0;
	}
}

/*
 * The connection's time is up: evhttp gets a read timeout on it and closes
 * it.  If evhttp is done with the bufferevent already, it has no callback
 * left and nothing happens.
 */
static void
metrics_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct metrics_conn	*c = arg;
	struct bufferevent	*bev = c->bev;

	(void)fd;
	(void)ev;
	bufferevent_incref(bev);
	metrics_conn_release(c);
	bufferevent_trigger_event(bev, BEV_EVENT_READING | BEV_EVENT_TIMEOUT,
	    0);
	bufferevent_decref(bev);
}

/*
 * evhttp closes a connection that sent a request: release it now rather
 * than at its deadline.  Found by its bufferevent, which evhttp still
 * holds here, so its address cannot belong to another connection.
 */
static void
metrics_closed(struct evhttp_connection *evcon, void *arg)
{
	struct bufferevent	*bev;
	struct metrics_conn	*c;

	(void)arg;
	bev = evhttp_connection_get_bufferevent(evcon);
	TAILQ_FOREACH(c, &m_conns, entry)
		if (c->bev == bev) {
			metrics_conn_release(c);
			return;
		}
}

static void
metrics_watch_close(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;

	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_set_closecb(evcon, metrics_closed, NULL);
}

static void
metrics_reply_text(struct evhttp_request *req, int code, const char *reason)
{
	struct evbuffer	*b;

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, code, reason);
		return;
	}
	evbuffer_add_printf(b, "%d %s\n", code, reason);
	evhttp_send_reply(req, code, reason, b);
	evbuffer_free(b);
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*uri;
	struct evkeyvalq	*out;
	struct evbuffer		*b;
	const char		*path;
	enum evhttp_cmd_type	 cmd;

	(void)arg;
	metrics_watch_close(req);
	out = evhttp_request_get_output_headers(req);
	/* One request per connection: the count above stays honest. */
	evhttp_add_header(out, "Connection", "close");
	uri = evhttp_request_get_evhttp_uri(req);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || strcmp(path, METRICS_PATH) != 0) {
		metrics_reply_text(req, HTTP_NOTFOUND, "Not Found");
		return;
	}
	cmd = evhttp_request_get_command(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(out, "Allow", "GET, HEAD");
		metrics_reply_text(req, HTTP_BADMETHOD, "Method Not Allowed");
		return;
	}
	if ((b = evbuffer_new()) == NULL || metrics_render(b) == -1) {
		log_warnx("metrics: out of memory rendering a scrape");
		if (b != NULL)
			evbuffer_free(b);
		metrics_reply_text(req, HTTP_INTERNAL, "Internal Server Error");
		return;
	}
	evhttp_add_header(out, "Content-Type", METRICS_CTYPE);
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

/*
 * Serve metrics on listen (NULL or "": none).  tortied calls this at start
 * and after every successful reload, which is also how
 * tortie_config_last_reload_success learns that the reload succeeded.  An
 * unchanged address keeps the running server; a new one is bound before
 * the old one is closed, so that a bad address leaves the old one
 * serving.  Returns -1 (and logs why) if the new address cannot be served.
 */
int
metrics_init(struct event_base *base, const char *where)
{
	struct evhttp	*http;
	int		 fd;

	m_reload_ok = td->reloads;
	if (where == NULL || where[0] == '\0') {
		if (m_http != NULL)
			log_info("metrics: no longer served");
		metrics_close();
		return 0;
	}
	if (m_http != NULL && strcmp(where, m_listen) == 0)
		return 0;
	if ((fd = metrics_socket(where)) == -1)
		return -1;
	metrics_close();
	if ((http = evhttp_new(base)) == NULL)
		fatalx("metrics: evhttp_new");
	evhttp_set_timeout(http, METRICS_IO_TIMEOUT_S);
	evhttp_set_max_headers_size(http, METRICS_MAX_HEADERS);
	evhttp_set_max_body_size(http, METRICS_MAX_BODY);
	/* Every method reaches metrics_request, which answers 405. */
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(http, metrics_request, NULL);
	evhttp_set_bevcb(http, metrics_newconn, NULL);
	if ((m_sock = evhttp_accept_socket_with_handle(http, fd)) == NULL) {
		log_warnx("metrics %s: cannot accept connections", where);
		close(fd);
		evhttp_free(http);
		return -1;
	}
	m_http = http;
	m_listen = xstrdup(where);
	log_info("metrics: serving http://%s%s", where, METRICS_PATH);
	return 0;
}

void
metrics_close(void)
{
	struct evhttp	*http = m_http;

	if (http == NULL)
		return;
	/* evhttp_free() closes the listener before the connections. */
	m_sock = NULL;
	m_paused = 0;
	m_http = NULL;
	evhttp_free(http);
	while (!TAILQ_EMPTY(&m_conns))
		metrics_conn_release(TAILQ_FIRST(&m_conns));
	free(m_listen);
	m_listen = NULL;
}
