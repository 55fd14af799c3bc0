/*
 * The control socket: tortiectl connects, says hello with its protocol
 * version, sends one request at a time and gets a JSON answer in chunks
 * (IMSG_CTL_DATA ... IMSG_CTL_END) or IMSG_CTL_ERROR.  Text output is
 * rendered by tortiectl from the JSON, so both forms say the same thing.
 *
 * Clients are untrusted: every request is length-checked, a client that
 * sends garbage is dropped, and a client that vanishes mid-answer costs
 * nothing but its buffer.  A client that sends nothing for CTL_IDLE_MS
 * while no answer is on its way, or whose answer stops moving, is closed,
 * so that silent clients cannot hold every slot; one that keeps asking
 * without reading its answers is closed once CTL_MAX_QUEUED bytes wait
 * for it, and may wait for one child's answer at a time.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgpd.h"
#include "evt.h"
#include "jsonw.h"
#include "log.h"
#include "platform.h"
#include "util.h"

#define CTL_MAX_CLIENTS	128
#define CTL_CHUNK	(IMSG_MAX_CTL - 1024)
#define CTL_IDLE_MS	10000
#define CTL_MAX_QUEUED	(4 * 1024 * 1024)
#define CTL_REFUSED_LOG_MS	60000

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct imsgev		 iev;
	struct event		*idle_ev;
	uint64_t		 idle_out;	/* bytes_out at last check */
	uint32_t		 id;
	uid_t			 uid;
	gid_t			 gid;
	int			 hello;
	int			 pending;	/* awaits a child's answer */
	int			 dead;
};

static TAILQ_HEAD(, ctl_conn)	 ctl_conns = TAILQ_HEAD_INITIALIZER(ctl_conns);
static struct event		*ctl_ev;
static struct event		*ctl_reap_ev;
static int			 ctl_nconns;
static uint32_t			 ctl_next_id = 1;
static gid_t			 ctl_gid;
static uint64_t			 ctl_refused_logged;
static unsigned long		 ctl_refused;

static void	 ctl_accept(evutil_socket_t, short, void *);
static void	 ctl_dispatch(struct imsgev *, struct imsg *, void *);
static void	 ctl_closed(struct imsgev *, void *);
static void	 ctl_reap(evutil_socket_t, short, void *);
static void	 ctl_idle(evutil_socket_t, short, void *);
static void	 ctl_free(struct ctl_conn *);
static int	 ctl_flooded(struct ctl_conn *);
static void	 ctl_kill(struct ctl_conn *);
static void	 ctl_error(struct ctl_conn *, const char *);
static void	 ctl_send_json(struct ctl_conn *, struct jsonw *);
static int	 ctl_privileged(struct ctl_conn *);

int
control_init(const char *path, const char *user)
{
	struct sockaddr_un	 sun;
	struct passwd		*pw;
	struct stat		 st;
	char			 dir[sizeof(sun.sun_path)], *slash;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (stat(dir, &st) == -1 && mkdir(dir, 0755) == -1) {
			log_warn("mkdir %s", dir);
			return -1;
		}
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("control socket");
		return -1;
	}
	/* A live daemon answers on the old socket: refuse to steal it. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("control socket %s is in use: is tortied already "
		    "running?", path);
		close(fd);
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("bind %s", path);
		close(fd);
		return -1;
	}
	ctl_gid = 0;
	if ((pw = getpwnam(user)) != NULL)
		ctl_gid = pw->pw_gid;
	if (chown(path, 0, ctl_gid) == -1 || chmod(path, 0660) == -1) {
		log_warn("control socket %s permissions", path);
		close(fd);
		return -1;
	}
	if (listen(fd, 16) == -1) {
		log_warn("listen %s", path);
		close(fd);
		return -1;
	}
	ctl_ev = event_new(td->base, fd, EV_READ | EV_PERSIST, ctl_accept,
	    NULL);
	ctl_reap_ev = evtimer_new(td->base, ctl_reap, NULL);
	if (ctl_ev == NULL || ctl_reap_ev == NULL)
		fatalx("control events");
	event_add(ctl_ev, NULL);
	return 0;
}

void
control_cleanup(const char *path)
{
	struct ctl_conn	*c;

	while ((c = TAILQ_FIRST(&ctl_conns)) != NULL) {
		TAILQ_REMOVE(&ctl_conns, c, entry);
		ctl_free(c);
	}
	if (ctl_ev != NULL) {
		close(event_get_fd(ctl_ev));
		event_free(ctl_ev);
		ctl_ev = NULL;
		unlink(path);
	}
	if (ctl_reap_ev != NULL) {
		event_free(ctl_reap_ev);
		ctl_reap_ev = NULL;
	}
}

static void
ctl_accept(evutil_socket_t lfd, short ev, void *arg)
{
	struct ctl_conn	*c;
	uid_t		 uid;
	gid_t		 gid;
	int		 fd;

	(void)ev;
	(void)arg;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn("control accept");
		return;
	}
	if (ctl_nconns >= CTL_MAX_CLIENTS) {
		/* Once a minute, so that a flood cannot flood the log. */
		ctl_refused++;
		if (ctl_refused_logged == 0 ||
		    mono_ms() - ctl_refused_logged >= CTL_REFUSED_LOG_MS) {
			log_warnx("control: %d clients, refused %lu "
			    "connection(s) (logged once a minute)",
			    CTL_MAX_CLIENTS, ctl_refused);
			ctl_refused_logged = mono_ms();
			ctl_refused = 0;
		}
		close(fd);
		return;
	}
	if (plat_peer_cred(fd, &uid, &gid) == -1) {
		log_warn("control: peer credentials");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	if ((c->idle_ev = evtimer_new(td->base, ctl_idle, c)) == NULL)
		fatalx("control events");
	c->id = ctl_next_id++;
	c->uid = uid;
	c->gid = gid;
	if (imsgev_init(&c->iev, td->base, fd, IMSG_MAX_CTL, ctl_dispatch,
	    ctl_closed, c) == -1) {
		close(fd);
		event_free(c->idle_ev);
		free(c);
		return;
	}
	evt_after_ms(c->idle_ev, CTL_IDLE_MS);
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	ctl_nconns++;
}

static void
ctl_free(struct ctl_conn *c)
{
	event_free(c->idle_ev);
	imsgev_clear(&c->iev);
	free(c);
}

/*
 * A client that asked nothing for CTL_IDLE_MS goes, unless an answer is
 * on its way: awaited from a child, or queued and read since the last
 * check.  An answer that nobody reads does not keep it.
 */
static void
ctl_idle(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_conn	*c = arg;
	uint64_t	 out = c->iev.ibuf.bytes_out;

	(void)fd;
	(void)ev;
	if (c->dead)
		return;
	if (c->pending || (imsgbuf_queued(&c->iev.ibuf) > 0 &&
	    out != c->idle_out)) {
		c->idle_out = out;
		evt_after_ms(c->idle_ev, CTL_IDLE_MS);
		return;
	}
	if (imsgbuf_queued(&c->iev.ibuf) > 0)
		log_warnx("control: client %u reads nothing of its answer, "
		    "closing it", c->id);
	else
		log_info("control: client %u idle for %d s, closing it",
		    c->id, CTL_IDLE_MS / 1000);
	ctl_kill(c);
}

/* A client that asks again while its answers pile up does not read them. */
static int
ctl_flooded(struct ctl_conn *c)
{
	size_t	 queued = imsgbuf_queued(&c->iev.ibuf);

	if (queued <= CTL_MAX_QUEUED)
		return 0;
	log_warnx("control: client %u does not read its answers (%zu bytes "
	    "queued), closing it", c->id, queued);
	ctl_kill(c);
	return 1;
}

/* Connections are freed outside their own callbacks. */
static void
ctl_kill(struct ctl_conn *c)
{
	if (c->dead)
		return;
	/* Best effort: let a last error message reach the client. */
	if (!c->iev.dead)
		imsgbuf_write(&c->iev.ibuf);
	c->dead = 1;
	c->iev.dead = 1;
	if (c->iev.ev != NULL)
		event_del(c->iev.ev);
	evtimer_del(c->idle_ev);
	evt_after_ms(ctl_reap_ev, 0);
}

static void
ctl_reap(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_conn	*c, *t;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(c, &ctl_conns, entry, t) {
		if (!c->dead)
			continue;
		TAILQ_REMOVE(&ctl_conns, c, entry);
		ctl_free(c);
		ctl_nconns--;
	}
}

static void
ctl_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	ctl_kill(arg);
}

/* A child's answer (IMSG_CTL_DATA or IMSG_CTL_END) for connection id. */
void
control_relay(uint32_t id, uint32_t type, const void *data, size_t len)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &ctl_conns, entry)
		if (c->id == id && !c->dead) {
			if (type != IMSG_CTL_DATA)
				c->pending = 0;
			imsgev_compose(&c->iev, type, 0, 0, -1, data, len);
			return;
		}
}

static void
ctl_error(struct ctl_conn *c, const char *msg)
{
	imsgev_compose(&c->iev, IMSG_CTL_ERROR, 0, 0, -1, msg,
	    strlen(msg) + 1);
}

static void
ctl_send_json(struct ctl_conn *c, struct jsonw *jw)
{
	size_t	 len, off, n;
	char	*s;

	s = jw_finish(jw, &len);
	for (off = 0; off < len; off += n) {
		n = len - off > CTL_CHUNK ? CTL_CHUNK : len - off;
		if (imsgev_compose(&c->iev, IMSG_CTL_DATA, 0, 0, -1, s + off,
		    n) == -1)
			break;
	}
	free(s);
	imsgev_compose(&c->iev, IMSG_CTL_END, 0, 0, -1, NULL, 0);
}

static int
ctl_privileged(struct ctl_conn *c)
{
	return c->uid == 0 || (ctl_gid != 0 && c->gid == ctl_gid);
}

static void
ctl_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	struct ctl_conn		*c = arg;
	struct imsg_ctl_hello	 h;
	struct jsonw		 jw;
	char			 msg[128];

	(void)iev;
	if (c->dead)
		return;
	evt_after_ms(c->idle_ev, CTL_IDLE_MS);
	if (im->fd != -1) {
		/* Clients have no business passing descriptors. */
		close(im->fd);
		ctl_kill(c);
		return;
	}
	if (!c->hello) {
		if (im->hdr.type != IMSG_CTL_HELLO ||
		    imsg_expect(im, sizeof(h)) == -1) {
			ctl_error(c, "control: expected hello");
			ctl_kill(c);
			return;
		}
		memcpy(&h, im->data, sizeof(h));
		if (h.version != TORTIE_CTL_VERSION) {
			snprintf(msg, sizeof(msg), "control protocol version "
			    "%u not supported (tortied speaks %u)", h.version,
			    TORTIE_CTL_VERSION);
			ctl_error(c, msg);
			ctl_kill(c);
			return;
		}
		h.version = TORTIE_CTL_VERSION;
		h.flags = 0;
		imsgev_compose(&c->iev, IMSG_CTL_HELLO, 0, 0, -1, &h,
		    sizeof(h));
		c->hello = 1;
		return;
	}
	if (ctl_flooded(c))
		return;
	switch (im->hdr.type) {
	case IMSG_CTL_NODE_STATUS:
		jw_init(&jw, 0);
		status_node_json(&jw);
		ctl_send_json(c, &jw);
		break;
	case IMSG_CTL_SHOW_NEIGHBORS:
		jw_init(&jw, 0);
		status_neighbors_json(&jw);
		ctl_send_json(c, &jw);
		break;
	case IMSG_CTL_SHOW_FIB:
		if (c->pending)
			ctl_error(c, "control: one request at a time");
		else if (proc_compose(td->kroute, IMSG_CTL_SHOW_FIB, c->id, -1,
		    NULL, 0) == -1)
			ctl_error(c, "kroute is not running");
		else
			c->pending = 1;
		break;
	case IMSG_CTL_SHOW_RIB:
		/* The optional prefix, as the client sent it. */
		if (im->datalen > 64) {
			ctl_error(c, "show rib: bad prefix");
			break;
		}
		if (c->pending)
			ctl_error(c, "control: one request at a time");
		else if (proc_compose(td->rib, IMSG_CTL_SHOW_RIB, c->id, -1,
		    im->data, im->datalen) == -1)
			ctl_error(c, "ribd is not running");
		else
			c->pending = 1;
		break;
	case IMSG_CTL_RELOAD:
		if (!ctl_privileged(c)) {
			ctl_error(c, "reload: permission denied");
			break;
		}
		td_reload();
		jw_init(&jw, 0);
		jw_obj_open(&jw, NULL);
		jw_bool(&jw, "reloaded", 1);
		jw_obj_close(&jw);
		ctl_send_json(c, &jw);
		break;
	default:
		snprintf(msg, sizeof(msg), "unknown request %s",
		    imsg_type_name(im->hdr.type));
		ctl_error(c, msg);
		break;
	}
}
