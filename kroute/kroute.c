/*
 * kroute: the only tortie process that may change the kernel's routes.
 * It keeps CAP_NET_ADMIN and nothing else, runs chrooted under seccomp
 * (netlink sockets only), and takes its orders from ribd:
 *
 *	IMSG_KROUTE_CHANGE / IMSG_KROUTE_DELETE	arrays of struct kroute
 *	IMSG_KROUTE_SYNC			ribd has converged
 *
 * At start it reads the routes of its own protocol already in the kernel
 * and leaves them alone (a restarted tortied keeps forwarding), until
 * ribd's SYNC: then what ribd did not ask for is deleted.  Interface and
 * address events go to the parent and ribd; ribd gets the whole view when
 * its pipe arrives and again after events were lost (KR_EV_RESYNC), each
 * time closed by IMSG_IFDUMP_END, so that it can tell a complete view
 * from a partial one.  With -K it never touches the kernel and only keeps
 * the table it would install (for `show fib`), and sends no view.
 */
#include <sys/types.h>
#include <sys/tree.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "jsonw.h"
#include "kr.h"
#include "log.h"
#include "tortie.h"
#include "util.h"

struct kr_entry {
	RB_ENTRY(kr_entry)	 entry;
	struct kroute		 kr;
	int			 wanted;	/* asked for by ribd */
	int			 installed;	/* in the kernel */
};
RB_HEAD(kr_tree, kr_entry);

static struct child_ctx	 ctx;
static struct imsgev	 rib;
static int		 rib_up;
static struct kr_handle	*krh;
static struct event	*kr_ev;
static struct kr_tree	 fib = RB_INITIALIZER(&fib);
static uint32_t		 tunl0_ifindex;
static uint64_t		 nroutes, nerrors;
static int		 if_resync;	/* events lost: dump again */

int		 kr_entry_cmp(struct kr_entry *, struct kr_entry *);
RB_PROTOTYPE(kr_tree, kr_entry, entry, kr_entry_cmp);
RB_GENERATE(kr_tree, kr_entry, entry, kr_entry_cmp)

static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_closed(struct imsgev *, void *);
static void	 kr_routes(struct imsg *, int);
static void	 kr_sync(void);
static void	 kr_event_cb(const struct kr_event *, void *);
static void	 kr_rib_event_cb(const struct kr_event *, void *);
static void	 kr_if_dump(int);
static void	 kr_error_cb(const struct kroute *, enum kr_op, int,
		    const char *, void *);
static void	 kr_readable(evutil_socket_t, short, void *);
static void	 kr_existing(const struct kroute *, void *);
static void	 kr_fib_json(uint32_t);
static struct kr_entry *kr_lookup(const struct kroute *);

int
kr_entry_cmp(struct kr_entry *a, struct kr_entry *b)
{
	int	 r;

	if ((r = addr_cmp(&a->kr.prefix, &b->kr.prefix)) != 0)
		return r;
	return (int)a->kr.prefixlen - (int)b->kr.prefixlen;
}

static struct kr_entry *
kr_lookup(const struct kroute *k)
{
	struct kr_entry	 key;

	key.kr = *k;
	return RB_FIND(kr_tree, &fib, &key);
}

static void
rib_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	if (ctx.stopping)
		exit(0);
	fatalx("pipe to ribd closed");
}

/* A change or a deletion for every route in the message. */
static void
kr_routes(struct imsg *im, int add)
{
	struct kroute	 k;
	struct kr_entry	*e;
	const uint8_t	*p = im->data;
	size_t		 i, n;

	if (im->datalen % sizeof(k) != 0)
		fatalx("bad route batch from ribd (%zu bytes)", im->datalen);
	n = im->datalen / sizeof(k);
	for (i = 0; i < n; i++) {
		memcpy(&k, p + i * sizeof(k), sizeof(k));
		if (k.prefix.af != AF_INET && k.prefix.af != AF_INET6)
			fatalx("bad route from ribd");
		if ((k.flags & KR_F_ONLINK) && k.ifindex == 0)
			k.ifindex = tunl0_ifindex;
		e = kr_lookup(&k);
		if (add) {
			if (e == NULL) {
				e = xcalloc(1, sizeof(*e));
				e->kr = k;
				RB_INSERT(kr_tree, &fib, e);
				nroutes++;
			}
			e->kr = k;
			e->wanted = 1;
			e->installed = 1;
			if (krh != NULL)
				kr_add(krh, &k);
		} else if (e != NULL) {
			if (krh != NULL)
				kr_del(krh, &e->kr);
			RB_REMOVE(kr_tree, &fib, e);
			free(e);
			nroutes--;
		}
	}
	if (krh != NULL && kr_flush(krh) == -1)
		log_warn("kernel route flush");
}

/* ribd converged: drop our leftovers from before the restart. */
static void
kr_sync(void)
{
	struct kr_entry	*e, *t;
	int		 n = 0;

	RB_FOREACH_SAFE(e, kr_tree, &fib, t) {
		if (e->wanted)
			continue;
		if (krh != NULL)
			kr_del(krh, &e->kr);
		RB_REMOVE(kr_tree, &fib, e);
		free(e);
		nroutes--;
		n++;
	}
	if (n > 0)
		log_info("removed %d stale kernel routes after restart", n);
	if (krh != NULL && kr_flush(krh) == -1)
		log_warn("kernel route flush");
}

static void
kr_error_cb(const struct kroute *k, enum kr_op op, int err, const char *msg,
    void *arg)
{
	char	 buf[ADDRSTRLEN];

	(void)arg;
	nerrors++;
	if (k == NULL) {
		log_warnx("kernel answers lost: reconciling");
		return;
	}
	log_warnx("kernel refused to %s %s/%u: %s%s%s",
	    op == KR_OP_DEL ? "delete" : "install",
	    addr_ntop(&k->prefix, buf, sizeof(buf)), k->prefixlen,
	    strerror(err), msg ? ": " : "", msg ? msg : "");
}

/* Interface and address events to the parent and ribd. */
static void
kr_event_cb(const struct kr_event *ev, void *arg)
{
	uint32_t	 type;

	(void)arg;
	if ((ev->type == KR_EV_IF_NEW || ev->type == KR_EV_IF_DEL) &&
	    strcmp(ev->ifi.name, "tunl0") == 0)
		tunl0_ifindex = ev->type == KR_EV_IF_NEW ? ev->ifi.ifindex : 0;
	type = ev->type == KR_EV_ADDR_NEW || ev->type == KR_EV_ADDR_DEL ?
	    IMSG_IFADDR : IMSG_IFINFO;
	if (ev->type == KR_EV_RESYNC)
		if_resync = 1;
	imsgev_compose(&ctx.parent, type, 0, 0, -1, ev, sizeof(*ev));
	kr_rib_event_cb(ev, NULL);
}

/* An event for ribd alone: its own dump when its pipe arrives. */
static void
kr_rib_event_cb(const struct kr_event *ev, void *arg)
{
	uint32_t	 type;

	(void)arg;
	if (!rib_up)
		return;
	type = ev->type == KR_EV_ADDR_NEW || ev->type == KR_EV_ADDR_DEL ?
	    IMSG_IFADDR : IMSG_IFINFO;
	imsgev_compose(&rib, type, 0, 0, -1, ev, sizeof(*ev));
}

/*
 * The whole interface view to ribd (and to the parent as well after lost
 * events), then its end.  A dump that fails leaves ribd with the view it
 * had; the next lost events try again.
 */
static void
kr_if_dump(int to_parent)
{
	if (krh == NULL || !rib_up)
		return;
	if (kr_if_fetch(krh, to_parent ? kr_event_cb : kr_rib_event_cb,
	    NULL) == -1) {
		log_warn("reading interfaces for ribd");
		return;
	}
	imsgev_compose(&rib, IMSG_IFDUMP_END, 0, 0, -1, NULL, 0);
}

static void
kr_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (kr_dispatch(krh) == -1 && kr_flush(krh) == -1)
		log_warn("kernel routes");
	/* Not from the event callback: kr_dispatch() is running there. */
	if (if_resync) {
		if_resync = 0;
		kr_if_dump(1);
	}
}

static void
kr_existing(const struct kroute *k, void *arg)
{
	struct kr_entry	*e;

	(void)arg;
	if (kr_lookup(k) != NULL)
		return;
	e = xcalloc(1, sizeof(*e));
	e->kr = *k;
	e->installed = 1;
	RB_INSERT(kr_tree, &fib, e);
	nroutes++;
}

static void
rib_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (im->fd != -1)
		fatalx("descriptor from ribd");
	switch (im->hdr.type) {
	case IMSG_KROUTE_CHANGE:
		kr_routes(im, 1);
		break;
	case IMSG_KROUTE_DELETE:
		kr_routes(im, 0);
		break;
	case IMSG_KROUTE_SYNC:
		kr_sync();
		break;
	default:
		fatalx("unexpected %s from ribd",
		    imsg_type_name(im->hdr.type));
	}
}

/* `show fib`: the routes as installed, to the parent for request id. */
static void
kr_fib_json(uint32_t reqid)
{
	struct jsonw	 jw;
	struct kr_entry	*e;
	char		 buf[ADDRSTRLEN + 8], gw[ADDRSTRLEN], *s;
	size_t		 len, off, n;

	jw_init(&jw, 0);
	jw_arr_open(&jw, NULL);
	RB_FOREACH(e, kr_tree, &fib) {
		jw_obj_open(&jw, NULL);
		addr_ntop(&e->kr.prefix, gw, sizeof(gw));
		snprintf(buf, sizeof(buf), "%s/%u", gw, e->kr.prefixlen);
		jw_str(&jw, "prefix", buf);
		if (e->kr.flags & KR_F_BLACKHOLE)
			jw_str(&jw, "gateway", "blackhole");
		else if (addr_is_unspec(&e->kr.nexthop))
			jw_null(&jw, "gateway");
		else
			jw_str(&jw, "gateway", addr_ntop(&e->kr.nexthop, gw,
			    sizeof(gw)));
		if (e->kr.flags & KR_F_ONLINK)
			jw_str(&jw, "interface", "tunl0");
		else
			jw_null(&jw, "interface");
		jw_uint(&jw, "protocol", ctx.kr_protocol);
		jw_bool(&jw, "installed", krh != NULL && e->installed);
		jw_obj_close(&jw);
	}
	jw_arr_close(&jw);
	s = jw_finish(&jw, &len);
	for (off = 0; off < len; off += n) {
		n = len - off > 60000 ? 60000 : len - off;
		imsgev_compose(&ctx.parent, IMSG_CTL_DATA, reqid, 0, -1,
		    s + off, n);
	}
	free(s);
	imsgev_compose(&ctx.parent, IMSG_CTL_END, reqid, 0, -1, NULL, 0);
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (child_common_imsg(&ctx, im))
		return;
	switch (im->hdr.type) {
	case IMSG_SOCKET_RIB:
		if (im->fd == -1 || rib_up)
			fatalx("bad pipe to ribd from parent");
		if (imsgev_init(&rib, ctx.base, im->fd, IMSG_MAX_PIPE,
		    rib_dispatch, rib_closed, NULL) == -1)
			fatal("pipe to ribd");
		rib_up = 1;
		kr_if_dump(0);
		return;
	case IMSG_CTL_SHOW_FIB:
		kr_fib_json(im->hdr.peerid);
		return;
	}
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from parent", imsg_type_name(im->hdr.type));
}

/*
 * The netlink sockets are opened before the sandbox; afterwards kroute
 * only sends and receives on them.
 */
static void
kr_start(void)
{
	struct kr_callbacks	 cb;
	int			 n = 0;

	if (ctx.kr_noinstall) {
		log_info("kernel.install is false: the kernel's routes are "
		    "left alone");
		return;
	}
	if (kr_open(&krh, ctx.kr_table, ctx.kr_protocol) == -1)
		fatal("netlink");
	memset(&cb, 0, sizeof(cb));
	cb.route_error = kr_error_cb;
	cb.event = kr_event_cb;
	kr_set_callbacks(krh, &cb);
	if (kr_subscribe(krh) == -1)
		fatal("netlink subscribe");
	if (kr_fetch(krh, kr_existing, NULL) == -1)
		fatal("reading the kernel's routes");
	n = (int)nroutes;
	if (n > 0)
		log_info("kept %d routes of protocol %u from before", n,
		    ctx.kr_protocol);
	kr_ev = event_new(ctx.base, kr_fd(krh), EV_READ | EV_PERSIST,
	    kr_readable, NULL);
	if (kr_ev == NULL)
		fatalx("event_new");
	event_add(kr_ev, NULL);
}

int
main(int argc, char *argv[])
{
	child_init(&ctx, ROLE_KROUTE, argc, argv);
	kr_start();
	child_start(&ctx, parent_dispatch, NULL);
	/* Interfaces after the parent pipe exists: they are reported. */
	if (krh != NULL && kr_if_fetch(krh, kr_event_cb, NULL) == -1)
		log_warn("reading interfaces");
	event_base_dispatch(ctx.base);
	return 0;
}
