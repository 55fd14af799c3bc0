/*
 * dsd: tortied's etcd v3 client (dsd.h), started by tortied when
 * tortie.yaml's datastore.type is etcdv3:
 *
 *	dsd [-dv] -u user -r dir -e url [-e url ...] [-a caFile]
 *	    [-c certFile] [-k keyFile]
 *
 * Before it confines itself it does all that needs the file system: it
 * reads the CA, certificate and key files into the TLS context and
 * resolves endpoint names to addresses.  Then it chroots to the empty
 * directory, becomes the unprivileged user and loads a seccomp filter
 * that allows internet sockets but no files, and serves the datastore to
 * the parent.  If the files cannot be read (or a name not resolved), it
 * answers every request with the reason for DSD_FAILED_MS, then exits;
 * the parent starts it again with back-off, and so reads the files again.
 */
#include <sys/types.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "datastore.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "dsd.h"
#include "evt.h"
#include "log.h"
#include "platform.h"
#include "tortie.h"
#include "util.h"

static struct child_ctx	 ctx;
static struct dsd	 dsd;

static void	 usage(void) __attribute__((__noreturn__));
static void	 dsd_options(int, char **, struct ds_etcd_conf *);
static void	 parent_dispatch(struct imsgev *, struct imsg *, void *);
static void	 req_closed(struct dsd *);
static void	 failed_cb(evutil_socket_t, short, void *);

static void
usage(void)
{
	fprintf(stderr, "usage: dsd [-dv] -u user -r dir -e url [-e url ...] "
	    "[-a caFile] [-c certFile] [-k keyFile]\n"
	    "(dsd is started by tortied, not by hand)\n");
	exit(1);
}

static void
dsd_options(int argc, char **argv, struct ds_etcd_conf *conf)
{
	int	 ch;

	memset(conf, 0, sizeof(*conf));
	while ((ch = getopt(argc, argv, "a:c:de:k:r:u:v")) != -1) {
		switch (ch) {
		case 'a':
			conf->ca_file = optarg;
			break;
		case 'c':
			conf->cert_file = optarg;
			break;
		case 'd':
			ctx.debug = 1;
			break;
		case 'e':
			if (conf->nendpoints == DS_ETCD_MAX_ENDPOINTS)
				usage();
			conf->endpoints[conf->nendpoints++] = optarg;
			break;
		case 'k':
			conf->key_file = optarg;
			break;
		case 'r':
			ctx.chroot = optarg;
			break;
		case 'u':
			ctx.user = optarg;
			break;
		case 'v':
			ctx.verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || conf->nendpoints == 0)
		usage();
	conf->confined = 1;
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)arg;
	switch (im->hdr.type) {
	case IMSG_DS_SOCKET:
		if (im->fd == -1)
			fatalx("request socket without a descriptor");
		if (dsd_attach(&dsd, im->fd) == -1)
			fatal("request socket");
		dsd_status(&dsd);
		return;
	case IMSG_SHUTDOWN:
		log_debug("shutdown requested");
		ctx.stopping = 1;
		event_base_loopexit(ctx.base, NULL);
		return;
	}
	if (im->fd != -1)
		close(im->fd);
	if (child_common_imsg(&ctx, im))
		return;
	log_warnx("unexpected %s from parent", imsg_type_name(im->hdr.type));
}

/* The parent dropped the request socket: it is gone or wants a new dsd. */
static void
req_closed(struct dsd *d)
{
	(void)d;
	log_debug("request socket closed, exiting");
	exit(0);
}

/* Time to try the files again, in a new dsd. */
static void
failed_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	imsgev_flush(&ctx.parent);
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct ds_etcd_conf	 conf;
	struct ds_err		 err;
	struct ds		*ds;
	struct event		*failed_ev = NULL;

	plat_proctitle_init(argc, argv);
	ctx.role = ROLE_DSD;
	ctx.user = TORTIE_USER;
	ctx.chroot = TORTIE_CHROOT;
	dsd_options(argc, argv, &conf);
	log_init(ctx.debug, ctx.verbose);
	log_procname("dsd");
	plat_setproctitle("tortie: dsd");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	if ((ctx.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	/* Everything that needs a file: the TLS files, the resolver. */
	memset(&err, 0, sizeof(err));
	ds = ds_open_etcd(&conf, 0, &err);
	child_start(&ctx, parent_dispatch, NULL);
	dsd_init(&dsd, ds, ctx.base, &ctx.parent, req_closed);
	if (ds == NULL) {
		log_warnx("%s", err.msg);
		dsd_failed(&dsd, &err);
		if ((failed_ev = evtimer_new(ctx.base, failed_cb, NULL)) ==
		    NULL)
			fatalx("evtimer_new");
		evt_after_ms(failed_ev, DSD_FAILED_MS);
	}
	event_base_dispatch(ctx.base);
	imsgev_flush(&ctx.parent);
	dsd_clear(&dsd);
	if (failed_ev != NULL)
		event_free(failed_ev);
	if (ds != NULL)
		ds_close(ds);
	return 0;
}
