/*
 * ribd: Adj-RIB-In, Loc-RIB, decision process, route reflection, export
 * policy and Adj-RIB-Out (see ARCHITECTURE.md).  It talks to the parent,
 * to kroute and to one sessiond per peer group, over pipes the parent
 * hands it.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "log.h"
#include "tortie.h"
#include "util.h"

struct rde_group {
	TAILQ_ENTRY(rde_group)	 entry;
	uint32_t		 groupid;
	struct imsgev		 iev;
};

static struct child_ctx	 ctx;
static struct imsgev	 kr;
static int		 kr_up;
static TAILQ_HEAD(, rde_group) groups = TAILQ_HEAD_INITIALIZER(groups);

static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 kr_dispatch(struct imsgev *, struct imsg *, void *);
static void	 kr_closed(struct imsgev *, void *);
static void	 group_dispatch(struct imsgev *, struct imsg *, void *);
static void	 group_closed(struct imsgev *, void *);
static void	 group_attach(uint32_t, int);
static void	 group_reap(evutil_socket_t, short, void *);

static struct event	*reap_ev;

static void
kr_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	if (ctx.stopping)
		exit(0);
	fatalx("pipe to kroute closed");
}

static void
kr_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from kroute", imsg_type_name(im->hdr.type));
}

static void
group_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	struct rde_group	*g = arg;

	(void)iev;
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from group %u", imsg_type_name(im->hdr.type),
	    g->groupid);
}

/* A sessiond went away (it is restarted by the parent). */
static void
group_closed(struct imsgev *iev, void *arg)
{
	struct rde_group	*g = arg;

	(void)iev;
	log_debug("group %u: pipe closed", g->groupid);
	event_active(reap_ev, EV_TIMEOUT, 0);
}

static void
group_reap(evutil_socket_t fd, short ev, void *arg)
{
	struct rde_group	*g, *t;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(g, &groups, entry, t) {
		if (!g->iev.dead)
			continue;
		TAILQ_REMOVE(&groups, g, entry);
		imsgev_clear(&g->iev);
		free(g);
	}
}

static void
group_attach(uint32_t groupid, int fd)
{
	struct rde_group	*g;

	/* A restarted sessiond replaces its predecessor's pipe. */
	TAILQ_FOREACH(g, &groups, entry)
		if (g->groupid == groupid && !g->iev.dead) {
			g->iev.dead = 1;
			event_active(reap_ev, EV_TIMEOUT, 0);
		}
	g = xcalloc(1, sizeof(*g));
	g->groupid = groupid;
	if (imsgev_init(&g->iev, ctx.base, fd, IMSG_MAX_PIPE, group_dispatch,
	    group_closed, g) == -1)
		fatal("pipe to group %u", groupid);
	TAILQ_INSERT_TAIL(&groups, g, entry);
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
		if (im->fd == -1 || kr_up)
			fatalx("bad pipe to kroute from parent");
		if (imsgev_init(&kr, ctx.base, im->fd, IMSG_MAX_PIPE,
		    kr_dispatch, kr_closed, NULL) == -1)
			fatal("pipe to kroute");
		kr_up = 1;
		return;
	case IMSG_SOCKET_SESSION:
		if (im->fd == -1)
			fatalx("group pipe without descriptor");
		group_attach(im->hdr.peerid, im->fd);
		return;
	}
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from parent", imsg_type_name(im->hdr.type));
}

int
main(int argc, char *argv[])
{
	child_init(&ctx, ROLE_RIB, argc, argv);
	if ((reap_ev = event_new(ctx.base, -1, 0, group_reap, NULL)) == NULL)
		fatalx("event_new");
	child_start(&ctx, parent_dispatch, NULL);
	event_base_dispatch(ctx.base);
	return 0;
}
