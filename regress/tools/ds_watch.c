/*
 * ds_watch: watch the datastore that a tortie.yaml describes the way
 * tortied does (ds_load, then ds_watch_start on its event loop), for the
 * etcd integration test.  Prints, one line each, flushed:
 *	loaded REV KIND/NAME@RV ...	after every (re)load
 *	status TEXT			when the etcd watch state changes
 *	error TEXT			when a load fails
 * SIGTERM ends it cleanly (closing the datastore), for leak checks.
 * Usage: ds_watch tortie.yaml
 */
#include <sys/types.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "dconf.h"
#include "evt.h"
#include "log.h"
#include "resource.h"

static struct ds	*dw_ds;
static struct event	*dw_settle;
static char		 dw_last_status[512];

static void
dw_load(void)
{
	struct res_set		 set;
	struct res_errors	 bad;
	struct ds_err		 err;
	struct res_list		 l;
	uint64_t		 rev = 0;
	size_t			 i;
	int			 k;

	memset(&bad, 0, sizeof(bad));
	res_set_init(&set);
	if (ds_load(dw_ds, &set, &bad, &err) == -1) {
		printf("error %s\n", err.msg);
		goto done;
	}
	printf("loaded");
	for (k = 0; k < RES_NKINDS; k++) {
		memset(&l, 0, sizeof(l));
		if (ds_list(dw_ds, (enum res_kind)k, &l, &rev, &bad,
		    &err) == -1)
			continue;
		for (i = 0; i < l.n; i++)
			printf(" %s/%s@%s", res_kind_plural((enum res_kind)k),
			    res_name(&l.items[i]),
			    res_meta(&l.items[i])->resource_version);
		res_list_free(&l);
	}
	for (i = 0; i < bad.n; i++)
		printf("\nbad %s", bad.msgs[i]);
	printf("\n");
done:
	fflush(stdout);
	res_set_free(&set);
	res_errors_free(&bad);
}

static void
dw_status(evutil_socket_t fd, short ev, void *arg)
{
	char	 buf[512];

	(void)fd;
	(void)ev;
	(void)arg;
	if (ds_etcd_status_str(dw_ds, buf, sizeof(buf)) == 0 &&
	    strcmp(buf, dw_last_status) != 0) {
		strlcpy(dw_last_status, buf, sizeof(dw_last_status));
		printf("status %s\n", buf);
		fflush(stdout);
	}
}

static void
dw_term(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	event_base_loopbreak(arg);
}

static void
dw_settle_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	dw_load();
}

static void
dw_watch_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (ds_watch_drain(dw_ds) > 0)
		evt_after_ms(dw_settle, 100);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base;
	struct event		*wev, *sev, *tev;
	struct timeval		 tv = { 0, 200 * 1000 };
	struct dconf		 dc;
	struct ds_err		 err;
	char			 msg[1024];

	if (argc != 2) {
		fprintf(stderr, "usage: ds_watch tortie.yaml\n");
		return 2;
	}
	log_init(1, getenv("DS_WATCH_DEBUG") != NULL ? LOG_LVL_DEBUG :
	    LOG_LVL_INFO);
	signal(SIGPIPE, SIG_IGN);
	if (dconf_load(argv[1], &dc, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "ds_watch: %s\n", msg);
		return 1;
	}
	if ((dw_ds = ds_open_dconf(&dc, DS_O_RDONLY, &err)) == NULL) {
		fprintf(stderr, "ds_watch: %s\n", err.msg);
		return 1;
	}
	dconf_free(&dc);
	if ((base = event_base_new()) == NULL)
		return 1;
	dw_load();
	ds_etcd_watch_base(dw_ds, base);
	if (ds_watch_start(dw_ds, &err) == -1) {
		fprintf(stderr, "ds_watch: %s\n", err.msg);
		return 1;
	}
	wev = event_new(base, ds_watch_fd(dw_ds), EV_READ | EV_PERSIST,
	    dw_watch_cb, NULL);
	sev = event_new(base, -1, EV_PERSIST, dw_status, NULL);
	dw_settle = evtimer_new(base, dw_settle_cb, NULL);
	tev = evsignal_new(base, SIGTERM, dw_term, base);
	if (wev == NULL || sev == NULL || dw_settle == NULL || tev == NULL)
		return 1;
	event_add(wev, NULL);
	event_add(sev, &tv);
	event_add(tev, NULL);
	event_base_dispatch(base);
	/* A clean end, so that the sanitizers can check for leaks. */
	event_free(wev);
	event_free(sev);
	event_free(tev);
	event_free(dw_settle);
	ds_close(dw_ds);
	event_base_free(base);
	return 0;
}
