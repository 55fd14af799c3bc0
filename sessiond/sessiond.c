/*
 * sessiond: the BGP sessions of one peer group (see ARCHITECTURE.md).
 * This file is the imsg side: it checks each message from the parent and
 * ribd and hands it to se_session.c.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "log.h"
#include "se.h"
#include "tortie.h"

static struct child_ctx	 ctx;
static struct imsgev	 rib;
static int		 rib_up;

static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_dispatch(struct imsgev *, struct imsg *, void *);
static void	 rib_closed(struct imsgev *, void *);
static void	 handle_socket_rib(struct imsg *);
static void	 handle_peer_add(struct imsg *);
static void	 handle_session_conn(struct imsg *);

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
		fatalx("descriptor from ribd");
	switch (im->hdr.type) {
	case IMSG_UPDATE:
		se_peer_output(im->hdr.peerid, im->data, im->datalen);
		return;
	case IMSG_UPDATE_DONE:
		return;
	case IMSG_REFRESH:
		if (imsg_expect(im, sizeof(struct bgp_rrefresh)) == -1)
			fatalx("refresh from ribd: bad length");
		se_peer_refresh_out(im->hdr.peerid, im->data, im->datalen);
		return;
	case IMSG_NOTIFY:
		se_peer_notify(im->hdr.peerid, im->data, im->datalen);
		return;
	}
	fatalx("unexpected %s from ribd", imsg_type_name(im->hdr.type));
}

static void
handle_socket_rib(struct imsg *im)
{
	if (im->fd == -1 || rib_up)
		fatalx("bad pipe to ribd from parent");
	if (imsgev_init(&rib, ctx.base, im->fd, IMSG_MAX_PIPE,
	    rib_dispatch, rib_closed, NULL) == -1)
		fatal("pipe to ribd");
	rib_up = 1;
	se_set_rib(&rib);
}

static void
handle_peer_add(struct imsg *im)
{
	struct imsg_peer	 conf;

	if (imsg_expect(im, sizeof(conf)) == -1)
		fatalx("peer-add: bad length %zu", im->datalen);
	memcpy(&conf, im->data, sizeof(conf));
	if (conf.peerid != im->hdr.peerid)
		fatalx("peer-add: peer id %u in a message for %u",
		    conf.peerid, im->hdr.peerid);
	se_peer_add(&conf);
	explicit_bzero(&conf, sizeof(conf));
}

static void
handle_session_conn(struct imsg *im)
{
	if (im->fd == -1) {
		log_warnx("session-conn for peer %u without a socket",
		    im->hdr.peerid);
		return;
	}
	se_peer_conn(im->hdr.peerid, im->fd);
	im->fd = -1;
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	switch (im->hdr.type) {
	case IMSG_SOCKET_RIB:
		handle_socket_rib(im);
		return;
	case IMSG_SESSION_CONN:
		handle_session_conn(im);
		return;
	}
	if (im->fd != -1)
		fatalx("unexpected descriptor with %s from parent",
		    imsg_type_name(im->hdr.type));
	switch (im->hdr.type) {
	case IMSG_PEER_ADD:
		handle_peer_add(im);
		return;
	case IMSG_PEER_DEL:
		se_peer_del(im->hdr.peerid);
		return;
	case IMSG_SHUTDOWN:
		log_debug("shutdown requested");
		ctx.stopping = 1;
		se_shutdown();
		return;
	}
	if (child_common_imsg(&ctx, im))
		return;
	log_warnx("unexpected %s from parent", imsg_type_name(im->hdr.type));
}

int
main(int argc, char *argv[])
{
	child_init(&ctx, ROLE_SESSION, argc, argv);
	child_start(&ctx, parent_dispatch, NULL);
	se_init(ctx.base, &ctx.parent);
	event_base_dispatch(ctx.base);
	imsgev_flush(&ctx.parent);
	if (rib_up)
		imsgev_flush(&rib);
	return 0;
}
