/*
 * sessiond: see ARCHITECTURE.md.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "log.h"
#include "tortie.h"

static struct child_ctx	 ctx;
static struct imsgev	 rib;
static int		 rib_up;

static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_closed(struct imsgev *, void *);

static void
rib_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	if (ctx.stopping)
		exit(0);
	fatalx("pipe to ribd closed");
}

static void
rib_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from ribd", imsg_type_name(im->hdr.type));
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
		return;
	}
	if (im->fd != -1)
		close(im->fd);
	log_warnx("unexpected %s from parent", imsg_type_name(im->hdr.type));
}

int
main(int argc, char *argv[])
{
	child_init(&ctx, ROLE_SESSION, argc, argv);
	child_start(&ctx, parent_dispatch, NULL);
	event_base_dispatch(ctx.base);
	return 0;
}
