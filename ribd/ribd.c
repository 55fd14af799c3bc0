/*
 * ribd: Adj-RIB-In, Loc-RIB, decision process, route reflection, export
 * policy and Adj-RIB-Out (see ARCHITECTURE.md).  It talks to the parent,
 * to kroute and to one sessiond per peer group, over pipes the parent
 * hands it.  This file is the process around the pure core (rde.h): it
 * checks every message's sender and length, hands payloads to the core,
 * and sends what the core produces.  The core's work (exports, UPDATE
 * packing, kernel changes) runs in slices from a zero-timeout event, so
 * that a full table never blocks the pipes.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "jsonw.h"
#include "log.h"
#include "rde.h"
#include "ribconf.h"
#include "tortie.h"
#include "util.h"

/* Prefixes the core handles per slice of work. */
#define RIBD_BUDGET		65536
/* Our queue to a sessiond: stop producing above, resume below. */
#define RIBD_PIPE_HIGH		(4 * 1024 * 1024)
#define RIBD_PIPE_LOW		(1024 * 1024)
#define RIBD_DRAIN_MS		20
/* show rib: prefixes per slice, and how much may wait for the parent. */
#define RIBD_SHOW_SLICE		2048
#define RIBD_SHOW_QUEUE		(4 * 1024 * 1024)
#define RIBD_CTL_CHUNK		(60 * 1024)

struct ribd_pipe {
	TAILQ_ENTRY(ribd_pipe)	 entry;
	uint32_t		 groupid;
	int			 busy;
	struct imsgev		 iev;
};

struct ribd_show {
	TAILQ_ENTRY(ribd_show)	 entry;
	uint32_t		 id;
	uint32_t		*v;
	size_t			 n;
	size_t			 pos;
	struct jsonw		 jw;
};

/* Kernel changes made before the pipe to kroute arrived. */
struct ribd_krpend {
	uint32_t		 type;
	size_t			 n;
	struct kroute		*krs;
};

static struct child_ctx	 ctx;
static struct imsgev	 kr;
static int		 kr_up;
static struct ribd_krpend *krpend;
static size_t		 nkrpend;
static TAILQ_HEAD(, ribd_pipe) pipes = TAILQ_HEAD_INITIALIZER(pipes);
static TAILQ_HEAD(, ribd_show) shows = TAILQ_HEAD_INITIALIZER(shows);
static struct event	*reap_ev, *work_ev, *timer_ev, *drain_ev;

static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 kroute_dispatch(struct imsgev *, struct imsg *, void *);
static void	 kroute_closed(struct imsgev *, void *);
static void	 pipe_dispatch(struct imsgev *, struct imsg *, void *);
static void	 pipe_closed(struct imsgev *, void *);
static void	 pipe_attach(uint32_t, int);
static void	 pipe_reap(evutil_socket_t, short, void *);
static void	 work_cb(evutil_socket_t, short, void *);
static void	 timer_cb(evutil_socket_t, short, void *);
static void	 drain_cb(evutil_socket_t, short, void *);

static void
work_schedule(void)
{
	struct timeval	 tv = { 0, 0 };

	if (!evtimer_pending(work_ev, NULL))
		evtimer_add(work_ev, &tv);
}

static struct ribd_pipe *
pipe_find(uint32_t groupid)
{
	struct ribd_pipe	*pp;

	TAILQ_FOREACH(pp, &pipes, entry)
		if (pp->groupid == groupid && !pp->iev.dead)
			return pp;
	return NULL;
}

static void
pipe_check_busy(struct ribd_pipe *pp)
{
	struct timeval	 tv = { 0, RIBD_DRAIN_MS * 1000 };

	if (pp->busy || imsgbuf_queued(&pp->iev.ibuf) < RIBD_PIPE_HIGH)
		return;
	pp->busy = 1;
	rde_peer_busy_group(pp->groupid, 1);
	if (!evtimer_pending(drain_ev, NULL))
		evtimer_add(drain_ev, &tv);
}

/* Complete BGP messages for a peer, split at message boundaries. */
static void
io_peer_send(const struct rde_peer *p, const uint8_t *buf, size_t len,
    void *arg)
{
	struct ribd_pipe	*pp;
	size_t			 off = 0, n, m, max;

	(void)arg;
	if ((pp = pipe_find(p->conf.groupid)) == NULL)
		return;
	max = IMSG_MAX_PIPE - IMSG_HEADER_SIZE;
	while (off < len) {
		for (n = 0; off + n < len; n += m) {
			m = (size_t)buf[off + n + 16] << 8 | buf[off + n + 17];
			if (n + m > max)
				break;
		}
		if (imsgev_compose(&pp->iev, IMSG_UPDATE, p->conf.peerid, 0,
		    -1, buf + off, n) == -1) {
			log_warn("group %u: update to peer %s", pp->groupid,
			    p->conf.name);
			return;
		}
		off += n;
	}
	pipe_check_busy(pp);
}

static void
io_peer_notify(const struct rde_peer *p, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t len, void *arg)
{
	struct ribd_pipe	*pp;
	struct imsg_notify	 n;
	uint8_t			*buf;

	(void)arg;
	if ((pp = pipe_find(p->conf.groupid)) == NULL)
		return;
	if (len > BGP_ERR_DATA_MAX)
		len = BGP_ERR_DATA_MAX;
	n.code = code;
	n.subcode = subcode;
	n.datalen = (uint16_t)len;
	buf = xmalloc(sizeof(n) + len);
	memcpy(buf, &n, sizeof(n));
	if (len > 0)
		memcpy(buf + sizeof(n), data, len);
	imsgev_compose(&pp->iev, IMSG_NOTIFY, p->conf.peerid, 0, -1, buf,
	    sizeof(n) + len);
	free(buf);
}

static void
io_kroute(uint32_t type, const struct kroute *krs, size_t n, void *arg)
{
	struct ribd_krpend	*p;

	(void)arg;
	if (!kr_up) {
		krpend = xreallocarray(krpend, nkrpend + 1, sizeof(*krpend));
		p = &krpend[nkrpend++];
		p->type = type;
		p->n = n;
		p->krs = NULL;
		if (n > 0) {
			p->krs = xreallocarray(NULL, n, sizeof(*krs));
			memcpy(p->krs, krs, n * sizeof(*krs));
		}
		return;
	}
	if (imsgev_compose(&kr, type, 0, 0, -1, krs, n * sizeof(*krs)) == -1)
		log_warn("kroute: %zu route changes lost", n);
}

static void
io_kroute_sync(void *arg)
{
	(void)arg;
	io_kroute(IMSG_KROUTE_SYNC, NULL, 0, NULL);
}

/* The pipe to kroute is here: what waited goes first, in order. */
static void
kroute_pending_flush(void)
{
	size_t	 i;

	for (i = 0; i < nkrpend; i++) {
		io_kroute(krpend[i].type, krpend[i].krs, krpend[i].n, NULL);
		free(krpend[i].krs);
	}
	free(krpend);
	krpend = NULL;
	nkrpend = 0;
}

static void
io_counts(const struct imsg_peer_counts *c, void *arg)
{
	(void)arg;
	imsgev_compose(&ctx.parent, IMSG_PEER_COUNTS, c->peerid, 0, -1, c,
	    sizeof(*c));
}

/*
 * kroute is gone: at shutdown the parent stops it before ribd, and if it
 * died the parent stops everything.  Either way the parent's word comes
 * next; meanwhile kernel changes wait as before the pipe arrived.
 */
static void
kroute_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	if (ctx.stopping)
		exit(0);
	log_info("pipe to kroute closed");
	kr_up = 0;
}

/*
 * One event of kroute's interface view: an IFINFO carries an interface
 * (or the news that events were lost), an IFADDR an address.  A bad one
 * is logged and left out; the view stays as it was.
 */
static void
kroute_ifevent(struct imsg *im)
{
	struct kr_event	 ev;
	int		 addr;

	if (imsg_expect(im, sizeof(ev)) == -1) {
		log_warnx("kroute: bad %s (%zu bytes)",
		    imsg_type_name(im->hdr.type), im->datalen);
		return;
	}
	memcpy(&ev, im->data, sizeof(ev));
	addr = ev.type == KR_EV_ADDR_NEW || ev.type == KR_EV_ADDR_DEL;
	if (addr != (im->hdr.type == IMSG_IFADDR)) {
		log_warnx("kroute: event %u in %s", ev.type,
		    imsg_type_name(im->hdr.type));
		return;
	}
	rde_set_now(mono_ms());
	if (rde_nexthop_event(&ev) == -1)
		log_warnx("kroute: bad interface event %u", ev.type);
	work_schedule();
}

static void
kroute_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (im->fd != -1)
		close(im->fd);
	switch (im->hdr.type) {
	case IMSG_IFINFO:
	case IMSG_IFADDR:
		kroute_ifevent(im);
		return;
	case IMSG_IFDUMP_END:
		rde_set_now(mono_ms());
		rde_nexthop_dump_done();
		work_schedule();
		return;
	}
	log_warnx("unexpected %s from kroute", imsg_type_name(im->hdr.type));
}

/* A message from a sessiond about one of its peers. */
static struct rde_peer *
pipe_peer(struct ribd_pipe *pp, struct imsg *im)
{
	struct rde_peer	*p;

	if ((p = rde_peer_find(im->hdr.peerid)) == NULL) {
		log_debug("group %u: %s for unknown peer %u", pp->groupid,
		    imsg_type_name(im->hdr.type), im->hdr.peerid);
		return NULL;
	}
	if (p->conf.groupid != pp->groupid) {
		log_warnx("group %u: %s for peer %s of group %u", pp->groupid,
		    imsg_type_name(im->hdr.type), p->conf.name,
		    p->conf.groupid);
		return NULL;
	}
	return p;
}

/*
 * A session came up before its IMSG_PEER_ADD reached us (the pipes from
 * the parent and from sessiond are not ordered): reset it, sessiond
 * brings it up again once we know the peer, instead of it running with
 * routes we drop.
 */
static void
reset_unknown(struct ribd_pipe *pp, uint32_t peerid)
{
	struct imsg_notify	 n;

	memset(&n, 0, sizeof(n));
	n.code = BGP_ERR_CEASE;
	n.subcode = BGP_CEASE_CONFIG_CHANGE;
	log_warnx("group %u: session up for unknown peer %u, resetting it",
	    pp->groupid, peerid);
	imsgev_compose(&pp->iev, IMSG_NOTIFY, peerid, 0, -1, &n, sizeof(n));
}

static void
handle_session_up(struct ribd_pipe *pp, struct imsg *im)
{
	struct imsg_session_up	 up;

	if (imsg_expect(im, sizeof(up)) == -1)
		fatalx("group %u: bad session up", pp->groupid);
	memcpy(&up, im->data, sizeof(up));
	if (up.peerid != im->hdr.peerid)
		fatalx("group %u: session up for two peers", pp->groupid);
	if (pipe_peer(pp, im) == NULL) {
		reset_unknown(pp, up.peerid);
		return;
	}
	rde_set_now(mono_ms());
	rde_peer_up(&up);
}

static void
handle_session_down(struct ribd_pipe *pp, struct imsg *im)
{
	struct imsg_session_down d;

	if (imsg_expect(im, sizeof(d)) == -1)
		fatalx("group %u: bad session down", pp->groupid);
	memcpy(&d, im->data, sizeof(d));
	d.peerid = im->hdr.peerid;
	if (pipe_peer(pp, im) == NULL)
		return;
	rde_set_now(mono_ms());
	rde_peer_down(&d);
}

static void
handle_update(struct ribd_pipe *pp, struct imsg *im)
{
	struct rde_peer	*p;

	if ((p = pipe_peer(pp, im)) == NULL)
		return;
	if (rde_update_input(p, im->data, im->datalen) == -1)
		fatalx("group %u: bad UPDATE framing for peer %s", pp->groupid,
		    p->conf.name);
}

static void
handle_refresh(struct ribd_pipe *pp, struct imsg *im)
{
	struct rde_peer	*p;

	if ((p = pipe_peer(pp, im)) == NULL)
		return;
	if (rde_refresh_input(p, im->data, im->datalen) == -1)
		fatalx("group %u: bad route refresh", pp->groupid);
}

static void
pipe_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	struct ribd_pipe	*pp = arg;

	(void)iev;
	if (im->fd != -1)
		close(im->fd);
	switch (im->hdr.type) {
	case IMSG_SESSION_UP:
		handle_session_up(pp, im);
		break;
	case IMSG_SESSION_DOWN:
		handle_session_down(pp, im);
		break;
	case IMSG_UPDATE:
		handle_update(pp, im);
		break;
	case IMSG_REFRESH:
		handle_refresh(pp, im);
		break;
	case IMSG_XOFF:
	case IMSG_XON:
		if (pipe_peer(pp, im) != NULL)
			rde_peer_xoff(im->hdr.peerid,
			    im->hdr.type == IMSG_XOFF);
		break;
	default:
		log_warnx("unexpected %s from group %u",
		    imsg_type_name(im->hdr.type), pp->groupid);
		return;
	}
	work_schedule();
}

/*
 * What crossed a sessiond's pipe, logged when it closes or ribd stops:
 * the benchmark reads it (messages and bytes per prefix between
 * sessiond and ribd).
 */
static void
pipe_log(const struct ribd_pipe *pp, const char *why)
{
	const struct imsgbuf	*ib = &pp->iev.ibuf;

	log_info("group %u: pipe %s after %llu messages (%llu bytes) in, "
	    "%llu messages (%llu bytes) out", pp->groupid, why,
	    (unsigned long long)ib->msgs_in, (unsigned long long)ib->bytes_in,
	    (unsigned long long)ib->msgs_out,
	    (unsigned long long)ib->bytes_out);
}

/* A sessiond went away (it is restarted by the parent). */
static void
pipe_closed(struct imsgev *iev, void *arg)
{
	struct ribd_pipe	*pp = arg;

	(void)iev;
	pipe_log(pp, "closed");
	event_active(reap_ev, EV_TIMEOUT, 0);
}

static void
pipe_reap(evutil_socket_t fd, short ev, void *arg)
{
	struct ribd_pipe	*pp, *t;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(pp, &pipes, entry, t) {
		if (!pp->iev.dead)
			continue;
		if (pipe_find(pp->groupid) == NULL) {
			rde_set_now(mono_ms());
			rde_peer_group_lost(pp->groupid);
			work_schedule();
		}
		TAILQ_REMOVE(&pipes, pp, entry);
		imsgev_clear(&pp->iev);
		free(pp);
	}
}

static void
pipe_attach(uint32_t groupid, int fd)
{
	struct ribd_pipe	*pp;

	/*
	 * A restarted sessiond replaces its predecessor's pipe, whose
	 * sessions are gone with it.
	 */
	TAILQ_FOREACH(pp, &pipes, entry)
		if (pp->groupid == groupid && !pp->iev.dead) {
			pp->iev.dead = 1;
			rde_set_now(mono_ms());
			rde_peer_group_lost(groupid);
		}
	event_active(reap_ev, EV_TIMEOUT, 0);
	rde_peer_busy_group(groupid, 0);
	pp = xcalloc(1, sizeof(*pp));
	pp->groupid = groupid;
	if (imsgev_init(&pp->iev, ctx.base, fd, IMSG_MAX_PIPE, pipe_dispatch,
	    pipe_closed, pp) == -1)
		fatal("pipe to group %u", groupid);
	TAILQ_INSERT_TAIL(&pipes, pp, entry);
}

/* Pipes below the low-water mark let their peers' groups go on. */
static void
drain_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ribd_pipe	*pp;
	struct timeval		 tv = { 0, RIBD_DRAIN_MS * 1000 };
	int			 still = 0;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH(pp, &pipes, entry) {
		if (!pp->busy)
			continue;
		if (pp->iev.dead ||
		    imsgbuf_queued(&pp->iev.ibuf) < RIBD_PIPE_LOW) {
			pp->busy = 0;
			rde_peer_busy_group(pp->groupid, 0);
			work_schedule();
		} else
			still = 1;
	}
	if (still)
		evtimer_add(drain_ev, &tv);
}

static void
ctl_chunk(struct ribd_show *s, int all)
{
	size_t	 off, n;

	for (off = 0; off < s->jw.len; off += n) {
		n = s->jw.len - off;
		if (n > RIBD_CTL_CHUNK)
			n = RIBD_CTL_CHUNK;
		else if (!all)
			break;
		imsgev_compose(&ctx.parent, IMSG_CTL_DATA, s->id, 0, -1,
		    s->jw.buf + off, n);
	}
	if (off > 0) {
		memmove(s->jw.buf, s->jw.buf + off, s->jw.len - off);
		s->jw.len -= off;
	}
}

/* Stream one slice of the oldest show request; 1 if more is to come. */
static int
show_run(void)
{
	struct ribd_show	*s;
	size_t			 end;

	if ((s = TAILQ_FIRST(&shows)) == NULL)
		return 0;
	if (imsgbuf_queued(&ctx.parent.ibuf) > RIBD_SHOW_QUEUE)
		return 1;
	end = s->pos + RIBD_SHOW_SLICE;
	for (; s->pos < s->n && s->pos < end; s->pos++)
		rde_show_prefix(&s->jw, s->v[s->pos]);
	if (s->pos < s->n) {
		ctl_chunk(s, 0);
		return 1;
	}
	jw_arr_close(&s->jw);
	ctl_chunk(s, 1);
	imsgev_compose(&ctx.parent, IMSG_CTL_END, s->id, 0, -1, NULL, 0);
	TAILQ_REMOVE(&shows, s, entry);
	jw_free(&s->jw);
	free(s->v);
	free(s);
	return !TAILQ_EMPTY(&shows);
}

static void
handle_show_rib(struct imsg *im)
{
	struct ribd_show	*s;
	struct rde_cprefix	 c;
	int			 mode;
	const char		*err = "show rib: bad prefix";

	if (rde_show_parse(im->data, im->datalen, &c, &mode) == -1) {
		imsgev_compose(&ctx.parent, IMSG_CTL_ERROR, im->hdr.peerid, 0,
		    -1, err, strlen(err) + 1);
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->id = im->hdr.peerid;
	s->v = rde_show_collect(&c, mode, &s->n);
	jw_init(&s->jw, 0);
	jw_arr_open(&s->jw, NULL);
	TAILQ_INSERT_TAIL(&shows, s, entry);
	work_schedule();
}

static void
timer_arm(void)
{
	struct timeval	 tv;
	uint64_t	 t = rde_next_timer(), now = mono_ms();

	evtimer_del(timer_ev);
	if (t == 0)
		return;
	t = t > now ? t - now : 0;
	tv.tv_sec = t / 1000;
	tv.tv_usec = (t % 1000) * 1000;
	evtimer_add(timer_ev, &tv);
}

static void
timer_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	rde_set_now(mono_ms());
	rde_timers();
	work_schedule();
}

static void
work_cb(evutil_socket_t fd, short ev, void *arg)
{
	int	 more;

	(void)fd;
	(void)ev;
	(void)arg;
	rde_set_now(mono_ms());
	more = rde_run(RIBD_BUDGET);
	rde_timers();
	more |= show_run();
	if (more)
		work_schedule();
	timer_arm();
}

/* Configuration messages carry exactly one payload. */
static void
handle_reconf(struct imsg *im)
{
	struct imsg_global	 g;
	struct imsg_pool	 p;
	struct imsg_originate	 o;
	struct imsg_community	*c;
	struct imsg_filter_rule	*r;
	int			 rv = 0;

	switch (im->hdr.type) {
	case IMSG_RECONF_START:
		rv = rde_conf_start();
		break;
	case IMSG_RECONF_GLOBAL:
		if (imsg_expect(im, sizeof(g)) == -1)
			fatalx("parent: bad global settings");
		memcpy(&g, im->data, sizeof(g));
		rv = rde_conf_global(&g);
		break;
	case IMSG_RECONF_POOL:
		if (imsg_expect(im, sizeof(p)) == -1)
			fatalx("parent: bad pool");
		memcpy(&p, im->data, sizeof(p));
		rv = rde_conf_pool(&p);
		break;
	case IMSG_RECONF_ORIGINATE:
		if (imsg_expect(im, sizeof(o)) == -1)
			fatalx("parent: bad originated prefix");
		memcpy(&o, im->data, sizeof(o));
		rv = rde_conf_originate(&o);
		break;
	case IMSG_RECONF_COMMUNITY:
		if (imsg_expect(im, sizeof(*c)) == -1)
			fatalx("parent: bad community prefix");
		c = xmalloc(sizeof(*c));
		memcpy(c, im->data, sizeof(*c));
		rv = rde_conf_community(c);
		free(c);
		break;
	case IMSG_RECONF_FILTER:
		if (imsg_expect(im, sizeof(*r)) == -1)
			fatalx("parent: bad filter rule");
		r = xmalloc(sizeof(*r));
		memcpy(r, im->data, sizeof(*r));
		rv = rde_conf_filter(r);
		free(r);
		break;
	case IMSG_RECONF_DONE:
		rde_set_now(mono_ms());
		rv = rde_conf_done();
		break;
	}
	if (rv == -1)
		log_warnx("parent: %s refused", imsg_type_name(im->hdr.type));
}

static void
handle_peer(struct imsg *im)
{
	struct imsg_peer	 p;

	rde_set_now(mono_ms());
	if (im->hdr.type == IMSG_PEER_DEL) {
		rde_peer_del(im->hdr.peerid);
		return;
	}
	if (imsg_expect(im, sizeof(p)) == -1)
		fatalx("parent: bad peer");
	memcpy(&p, im->data, sizeof(p));
	if (p.peerid != im->hdr.peerid)
		fatalx("parent: peer %u in a message for %u", p.peerid,
		    im->hdr.peerid);
	rde_peer_add(&p);
}

static void
handle_socket(struct imsg *im)
{
	if (im->fd == -1)
		fatalx("parent: %s without descriptor",
		    imsg_type_name(im->hdr.type));
	if (im->hdr.type == IMSG_SOCKET_SESSION) {
		pipe_attach(im->hdr.peerid, im->fd);
		return;
	}
	if (kr_up)
		fatalx("parent: second pipe to kroute");
	if (kr.base != NULL)
		imsgev_clear(&kr);
	if (imsgev_init(&kr, ctx.base, im->fd, IMSG_MAX_PIPE, kroute_dispatch,
	    kroute_closed, NULL) == -1)
		fatal("pipe to kroute");
	kr_up = 1;
	kroute_pending_flush();
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (child_common_imsg(&ctx, im))
		return;
	switch (im->hdr.type) {
	case IMSG_SOCKET_KROUTE:
	case IMSG_SOCKET_SESSION:
		handle_socket(im);
		return;
	case IMSG_RECONF_START:
	case IMSG_RECONF_GLOBAL:
	case IMSG_RECONF_POOL:
	case IMSG_RECONF_ORIGINATE:
	case IMSG_RECONF_COMMUNITY:
	case IMSG_RECONF_FILTER:
	case IMSG_RECONF_DONE:
		handle_reconf(im);
		break;
	case IMSG_PEER_ADD:
	case IMSG_PEER_DEL:
		handle_peer(im);
		break;
	case IMSG_CTL_SHOW_RIB:
		handle_show_rib(im);
		break;
	default:
		if (im->fd != -1)
			close(im->fd);
		log_warnx("unexpected %s from parent",
		    imsg_type_name(im->hdr.type));
		return;
	}
	if (im->fd != -1)
		close(im->fd);
	work_schedule();
}

int
main(int argc, char *argv[])
{
	struct rde_io		 io;
	struct ribd_pipe	*pp;

	child_init(&ctx, ROLE_RIB, argc, argv);
	memset(&io, 0, sizeof(io));
	io.peer_send = io_peer_send;
	io.peer_notify = io_peer_notify;
	io.kroute = io_kroute;
	io.kroute_sync = io_kroute_sync;
	io.counts = io_counts;
	rde_init(&io);
	if ((reap_ev = event_new(ctx.base, -1, 0, pipe_reap, NULL)) == NULL ||
	    (work_ev = evtimer_new(ctx.base, work_cb, NULL)) == NULL ||
	    (timer_ev = evtimer_new(ctx.base, timer_cb, NULL)) == NULL ||
	    (drain_ev = evtimer_new(ctx.base, drain_cb, NULL)) == NULL)
		fatalx("event_new");
	child_start(&ctx, parent_dispatch, NULL);
	event_base_dispatch(ctx.base);
	TAILQ_FOREACH(pp, &pipes, entry)
		if (!pp->iev.dead)
			pipe_log(pp, "open");
	return 0;
}
