/*
 * dsd's service (dsd.h): the requests of the request socket run as calls
 * of the datastore handle, one at a time, each answered before the next
 * is read; the watch and the etcd connection state go to the parent on
 * its pipe.  Requests come from the parent, the more privileged side: a
 * malformed one is a broken invariant.
 *
 * A dsd whose datastore could not be opened (unreadable key, bad
 * endpoint) answers every request with the reason, so that the parent's
 * reload says why, and says it in its status too.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "doc.h"
#include "dsd.h"
#include "evt.h"
#include "imsg.h"
#include "log.h"
#include "resource.h"
#include "tortie.h"
#include "util.h"

static void	 dsd_req_dispatch(struct imsgev *, struct imsg *, void *);
static void	 dsd_req_closed(struct imsgev *, void *);
static void	 dsd_watch_cb(evutil_socket_t, short, void *);
static void	 dsd_status_cb(evutil_socket_t, short, void *);

/*
 * Answers.
 */

static void
dsd_reply_err(struct dsd *d, uint32_t id, const struct ds_err *err)
{
	struct imsg_ds_err	 h;
	uint8_t			*p;
	size_t			 len;

	memset(&h, 0, sizeof(h));
	h.code = err->code == DS_OK ? DS_EIO : err->code;
	len = strnlen(err->msg, sizeof(err->msg));
	if ((p = imsgev_reserve(&d->req, IMSG_DS_ERR, id, 0,
	    sizeof(h) + len)) == NULL)
		fatal("%s", __func__);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), err->msg, len);
}

static void
dsd_reply_done(struct dsd *d, uint32_t id, uint64_t rev)
{
	struct imsg_ds_done	 done;

	memset(&done, 0, sizeof(done));
	done.rev = rev;
	if (imsgev_compose(&d->req, IMSG_DS_DONE, id, 0, -1, &done,
	    sizeof(done)) == -1)
		fatal("%s", __func__);
}

static void
dsd_reply_bad(struct dsd *d, uint32_t id, const char *msg)
{
	size_t	 len = strlen(msg);

	if (len >= DSP_TEXT_MAX)
		len = DSP_TEXT_MAX - 1;
	if (imsgev_compose(&d->req, IMSG_DS_BAD, id, 0, -1, msg, len) == -1)
		fatal("%s", __func__);
}

/*
 * One entry, or -1 with err when it cannot cross the socket (the
 * parent's limits are the same as the ones checked here).
 */
static int
dsd_reply_entry(struct dsd *d, uint32_t id, const struct ds_entry *e,
    struct ds_err *err)
{
	struct imsg_ds_entry	 h;
	uint8_t			*p;
	char			*json;
	size_t			 nl, sl, jl;

	nl = strlen(e->name);
	sl = strlen(e->src);
	if (nl == 0 || nl >= DSP_NAME_MAX || sl >= DSP_SRC_MAX) {
		ds_seterr(err, DS_EINVAL, "%.200s: name or key too long",
		    e->src);
		return -1;
	}
	json = doc_to_json(e->doc, 0);
	jl = strlen(json);
	if (sizeof(h) + nl + sl + jl > DSP_MAX_MSG - IMSG_HEADER_SIZE) {
		ds_seterr(err, DS_EINVAL, "%.200s: larger than %d bytes",
		    e->src, DS_MAX_FILE);
		free(json);
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.rev = e->rev;
	h.namelen = (uint32_t)nl;
	h.srclen = (uint32_t)sl;
	if ((p = imsgev_reserve(&d->req, IMSG_DS_ENTRY, id, 0,
	    sizeof(h) + nl + sl + jl)) == NULL)
		fatal("%s", __func__);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), e->name, nl);
	memcpy(p + sizeof(h) + nl, e->src, sl);
	memcpy(p + sizeof(h) + nl + sl, json, jl);
	free(json);
	return 0;
}

/*
 * Requests.
 */

static void
dsd_get(struct dsd *d, uint32_t id, const struct imsg_ds_req *r)
{
	struct ds_entry	 e;
	struct ds_err	 err;

	memset(&err, 0, sizeof(err));
	if (d->ds->ops->get(d->ds, (enum res_kind)r->kind, r->name, &e,
	    &err) == -1) {
		dsd_reply_err(d, id, &err);
		return;
	}
	if (dsd_reply_entry(d, id, &e, &err) == -1)
		dsd_reply_err(d, id, &err);
	else
		dsd_reply_done(d, id, 0);
	ds_entry_free(&e);
}

static void
dsd_list(struct dsd *d, uint32_t id, const struct imsg_ds_req *r)
{
	struct ds_entries	 es;
	struct res_errors	 bad;
	struct ds_err		 err;
	size_t			 i;

	memset(&bad, 0, sizeof(bad));
	memset(&err, 0, sizeof(err));
	if (d->ds->ops->list(d->ds, (enum res_kind)r->kind, &es, &bad,
	    &err) == -1) {
		dsd_reply_err(d, id, &err);
		res_errors_free(&bad);
		return;
	}
	for (i = 0; i < es.n; i++)
		if (dsd_reply_entry(d, id, &es.v[i], &err) == -1)
			dsd_reply_bad(d, id, err.msg);
	for (i = 0; i < bad.n; i++)
		dsd_reply_bad(d, id, bad.msgs[i]);
	if (bad.dropped > 0) {
		snprintf(err.msg, sizeof(err.msg), "(and %zu more bad "
		    "entries)", bad.dropped);
		dsd_reply_bad(d, id, err.msg);
	}
	dsd_reply_done(d, id, 0);
	ds_entries_free(&es);
	res_errors_free(&bad);
}

static void
dsd_put(struct dsd *d, uint32_t id, const struct imsg_ds_req *r,
    const char *json, size_t jlen)
{
	struct doc_node	*doc;
	struct ds_err	 err;
	uint64_t	 rev = 0;
	char		 msg[DS_ERRLEN];

	memset(&err, 0, sizeof(err));
	if (r->mode != DS_PUT_CREATE && r->mode != DS_PUT_UPDATE)
		fatalx("%s: bad mode %u", __func__, r->mode);
	if ((doc = doc_parse_one(json, jlen, "request", msg,
	    sizeof(msg))) == NULL)
		fatalx("%s: %s", __func__, msg);
	if (d->ds->ops->put(d->ds, (enum res_kind)r->kind, r->name, doc,
	    (enum ds_put_mode)r->mode, r->has_expect ? &r->expect : NULL,
	    &rev, &err) == -1)
		dsd_reply_err(d, id, &err);
	else
		dsd_reply_done(d, id, rev);
	doc_free(doc);
}

static void
dsd_del(struct dsd *d, uint32_t id, const struct imsg_ds_req *r)
{
	struct ds_err	 err;

	memset(&err, 0, sizeof(err));
	if (d->ds->ops->del(d->ds, (enum res_kind)r->kind, r->name,
	    r->has_expect ? &r->expect : NULL, &err) == -1)
		dsd_reply_err(d, id, &err);
	else
		dsd_reply_done(d, id, 0);
}

static void
dsd_revision(struct dsd *d, uint32_t id)
{
	struct ds_err	 err;
	uint64_t	 rev = 0;

	memset(&err, 0, sizeof(err));
	if (d->ds->ops->revision(d->ds, &rev, &err) == -1)
		dsd_reply_err(d, id, &err);
	else
		dsd_reply_done(d, id, rev);
}

/* Start the watch on our loop (once; later requests find it running). */
static void
dsd_watch(struct dsd *d, uint32_t id)
{
	struct ds_err	 err;
	int		 fd;

	memset(&err, 0, sizeof(err));
	ds_etcd_watch_base(d->ds, d->base);
	if (ds_watch_start(d->ds, &err) == -1) {
		dsd_reply_err(d, id, &err);
		return;
	}
	if (d->watch_ev == NULL && (fd = ds_watch_fd(d->ds)) != -1) {
		d->watch_ev = event_new(d->base, fd, EV_READ | EV_PERSIST,
		    dsd_watch_cb, d);
		if (d->watch_ev == NULL || event_add(d->watch_ev, NULL) == -1)
			fatalx("%s: event_new", __func__);
	}
	dsd_reply_done(d, id, 0);
	dsd_status(d);
}

/* A request, checked, then served. */
void
dsd_request(struct dsd *d, struct imsg *im)
{
	struct imsg_ds_req	 r;
	const char		*extra;
	size_t			 elen;

	if (im->fd != -1)
		fatalx("%s: descriptor with %s", __func__,
		    imsg_type_name(im->hdr.type));
	if (im->datalen < sizeof(r))
		fatalx("%s: short %s", __func__, imsg_type_name(im->hdr.type));
	memcpy(&r, im->data, sizeof(r));
	extra = (const char *)im->data + sizeof(r);
	elen = im->datalen - sizeof(r);
	if (r.kind >= RES_NKINDS || memchr(r.name, '\0', sizeof(r.name)) ==
	    NULL || (elen > 0) != (im->hdr.type == IMSG_DS_PUT))
		fatalx("%s: bad %s", __func__, imsg_type_name(im->hdr.type));
	if (d->ds == NULL) {
		dsd_reply_err(d, im->hdr.peerid, &d->open_err);
		return;
	}
	switch (im->hdr.type) {
	case IMSG_DS_GET:
		dsd_get(d, im->hdr.peerid, &r);
		break;
	case IMSG_DS_LIST:
		dsd_list(d, im->hdr.peerid, &r);
		break;
	case IMSG_DS_PUT:
		dsd_put(d, im->hdr.peerid, &r, extra, elen);
		break;
	case IMSG_DS_DEL:
		dsd_del(d, im->hdr.peerid, &r);
		break;
	case IMSG_DS_REVISION:
		dsd_revision(d, im->hdr.peerid);
		break;
	case IMSG_DS_WATCH:
		dsd_watch(d, im->hdr.peerid);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    imsg_type_name(im->hdr.type));
	}
}

static void
dsd_req_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	dsd_request(arg, im);
}

static void
dsd_req_closed(struct imsgev *iev, void *arg)
{
	struct dsd	*d = arg;

	(void)iev;
	d->req_up = 0;
	if (d->req_closed != NULL)
		d->req_closed(d);
}

/*
 * The watch and the state, to the parent.
 */

static void
dsd_watch_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct dsd	*d = arg;

	(void)fd;
	(void)ev;
	if (ds_watch_drain(d->ds) > 0)
		imsgev_compose(d->parent, IMSG_DS_CHANGED, 0, 0, -1, NULL, 0);
	dsd_status(d);
}

/* Send the etcd connection state if it changed (not for other stores). */
void
dsd_status(struct dsd *d)
{
	struct ds_etcd_status	 st;
	struct imsg_ds_status	 m;

	if (d->ds == NULL)
		st = d->failed;
	else if (ds_etcd_status(d->ds, &st) == -1)
		return;
	dsp_status_to_msg(&st, &m);
	if (d->sent_any && memcmp(&m, &d->sent, sizeof(m)) == 0)
		return;
	if (imsgev_compose(d->parent, IMSG_DS_STATUS, 0, 0, -1, &m,
	    sizeof(m)) == -1)
		return;
	d->sent = m;
	d->sent_any = 1;
}

static void
dsd_status_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct dsd	*d = arg;

	(void)fd;
	(void)ev;
	dsd_status(d);
	evt_after_ms(d->status_ev, DSD_STATUS_MS);
}

/*
 * Life cycle.
 */

void
dsd_init(struct dsd *d, struct ds *ds, struct event_base *base,
    struct imsgev *parent, void (*req_closed)(struct dsd *))
{
	memset(d, 0, sizeof(*d));
	d->ds = ds;
	d->base = base;
	d->parent = parent;
	d->req_closed = req_closed;
	if ((d->status_ev = evtimer_new(base, dsd_status_cb, d)) == NULL)
		fatalx("%s: evtimer_new", __func__);
	evt_after_ms(d->status_ev, 0);
}

/* The datastore could not be opened: say why to every request. */
void
dsd_failed(struct dsd *d, const struct ds_err *err)
{
	d->ds = NULL;
	d->open_err = *err;
	if (d->open_err.code == DS_OK)
		d->open_err.code = DS_EIO;
	memset(&d->failed, 0, sizeof(d->failed));
	d->failed.state = DS_ETCD_UNREACHABLE;
	d->failed.since = time(NULL);
	strlcpy(d->failed.error, err->msg, sizeof(d->failed.error));
}

/* The request socket; a new one replaces the old. */
int
dsd_attach(struct dsd *d, int fd)
{
	if (d->req_up) {
		imsgev_clear(&d->req);
		d->req_up = 0;
	}
	if (imsgev_init(&d->req, d->base, fd, DSP_MAX_MSG, dsd_req_dispatch,
	    dsd_req_closed, d) == -1)
		return -1;
	d->req_up = 1;
	return 0;
}

void
dsd_clear(struct dsd *d)
{
	if (d->req_up)
		imsgev_clear(&d->req);
	d->req_up = 0;
	if (d->watch_ev != NULL)
		event_free(d->watch_ev);
	if (d->status_ev != NULL)
		event_free(d->status_ev);
	d->watch_ev = d->status_ev = NULL;
}
