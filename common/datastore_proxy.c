/*
 * The proxy backend (datastore_proxy.h): struct ds_ops as requests to
 * dsd over the request socket, each answered within DSP_TIMEOUT_MS.
 *
 * A call writes its request, then reads with poll() until the answer
 * with its id is complete or the deadline passes; answers to earlier
 * calls that timed out are read and dropped on the way.  The socket is
 * non-blocking and the parent's event loop never sees it, so a call
 * blocks the parent for at most the timeout, as the etcd client's own
 * blocking calls did when the parent ran it.
 *
 * When dsd's watch is connected again after etcd was unreachable, or
 * after a call failed for want of etcd, the proxy reports a change: the
 * reload that failed meanwhile may have been the one that a change asked
 * for, and the watch resumes after that change.  A reload that finds
 * nothing new changes nothing.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "doc.h"
#include "imsg.h"
#include "log.h"
#include "tortie.h"
#include "util.h"

struct dsp {
	struct imsgbuf	 ib;
	int		 up;		/* ib holds a request socket */
	int		 pipe[2];	/* the watch descriptor */
	uint32_t	 next_id;
	int		 timeout_ms;	/* of one call */
	int		 want_watch;	/* watch_start was called */
	int		 missed;	/* a call failed for want of etcd */
	struct ds_etcd_status st;
	void		(*closed)(struct ds *);
};

/* What one call collects from its answer. */
struct dsp_ans {
	uint32_t		 type;		/* of the request */
	struct ds_entries	 ents;
	struct res_errors	*bad;
	uint64_t		 rev;
};

static int	 dsp_get(struct ds *, enum res_kind, const char *,
		    struct ds_entry *, struct ds_err *);
static int	 dsp_list(struct ds *, enum res_kind, struct ds_entries *,
		    struct res_errors *, struct ds_err *);
static int	 dsp_put(struct ds *, enum res_kind, const char *,
		    const struct doc_node *, enum ds_put_mode, const uint64_t *,
		    uint64_t *, struct ds_err *);
static int	 dsp_del(struct ds *, enum res_kind, const char *,
		    const uint64_t *, struct ds_err *);
static int	 dsp_revision(struct ds *, uint64_t *, struct ds_err *);
static int	 dsp_watch_start(struct ds *, struct ds_err *);
static int	 dsp_watch_fd(struct ds *);
static int	 dsp_watch_drain(struct ds *);
static void	 dsp_close(struct ds *);

static const struct ds_ops dsp_ops = {
	.name = "etcdv3 (dsd)",
	.get = dsp_get,
	.list = dsp_list,
	.put = dsp_put,
	.del = dsp_del,
	.revision = dsp_revision,
	.watch_start = dsp_watch_start,
	.watch_fd = dsp_watch_fd,
	.watch_drain = dsp_watch_drain,
	.close = dsp_close,
};

/*
 * State.
 */

static void
dsp_state(struct dsp *p, enum ds_etcd_state s, const char *why)
{
	if (p->st.state != s) {
		p->st.state = s;
		p->st.since = time(NULL);
	}
	strlcpy(p->st.error, why, sizeof(p->st.error));
}

static void
dsp_drop(struct dsp *p)
{
	if (!p->up)
		return;
	close(p->ib.fd);
	imsgbuf_clear(&p->ib);
	p->up = 0;
}

/* Drop the request socket: dsd sees it close and exits. */
static void
dsp_break(struct dsp *p, const char *why)
{
	if (!p->up)
		return;
	log_warnx("datastore process dsd: %s", why);
	dsp_drop(p);
	dsp_state(p, DS_ETCD_UNREACHABLE, why);
}

/* Printable text from dsd: control characters become '?'. */
static void
dsp_text(const void *data, size_t len, char *buf, size_t size)
{
	const unsigned char	*s = data;
	size_t			 i;

	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		buf[i] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
	buf[len] = '\0';
}

/*
 * Sending and receiving.
 */

static int
dsp_send(struct dsp *p, uint32_t type, uint32_t id,
    const struct imsg_ds_req *req, const char *json, size_t jlen)
{
	uint8_t	*buf;

	buf = imsg_reserve(&p->ib, type, id, 0, sizeof(*req) + jlen);
	if (buf == NULL)
		return -1;
	memcpy(buf, req, sizeof(*req));
	if (jlen > 0)
		memcpy(buf + sizeof(*req), json, jlen);
	return 0;
}

/* Wait for the socket until the deadline; 0 ready, -1 timed out. */
static int
dsp_wait(struct dsp *p, uint64_t deadline, struct ds_err *err)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 n;

	for (;;) {
		if ((now = mono_ms()) >= deadline)
			break;
		pfd.fd = p->ib.fd;
		pfd.events = POLLIN;
		if (imsgbuf_queued(&p->ib) > 0)
			pfd.events |= POLLOUT;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)(deadline - now));
		if (n > 0)
			return 0;
		if (n == -1 && errno != EINTR) {
			ds_seterr(err, DS_EIO, "datastore process dsd: poll: "
			    "%s", strerror(errno));
			dsp_break(p, "poll failed");
			return -1;
		}
	}
	ds_seterr(err, DS_EIO, "datastore process dsd did not answer within "
	    "%d ms", p->timeout_ms);
	return -1;
}

/* The next message of call id: 0 with it in im, -1 with err. */
static int
dsp_next(struct dsp *p, uint32_t id, struct imsg *im, uint64_t deadline,
    struct ds_err *err)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if (imsgbuf_queued(&p->ib) > 0 && imsgbuf_write(&p->ib) == -1)
			goto broken;
		if ((r = imsg_get(&p->ib, im)) == -1)
			goto broken;
		if (r == 1) {
			if (im->fd != -1)
				close(im->fd);
			if (im->hdr.peerid == id)
				return 0;
			continue;	/* the answer to a call that timed out */
		}
		if (dsp_wait(p, deadline, err) == -1)
			return -1;
		n = imsg_read(&p->ib);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			goto broken;
	}
broken:
	ds_seterr(err, DS_EIO, "datastore process dsd: request socket "
	    "failed");
	dsp_break(p, "request socket failed");
	return -1;
}

/*
 * Answers.
 */

/* An IMSG_DS_ENTRY, checked as input; -1 with why. */
static int
dsp_entry(const struct imsg *im, struct ds_entry *e, char *why, size_t len)
{
	struct imsg_ds_entry	 h;
	const char		*p, *json;
	size_t			 rest, jlen;
	char			 msg[DS_ERRLEN];

	memset(e, 0, sizeof(*e));
	if (im->datalen < sizeof(h)) {
		snprintf(why, len, "short entry");
		return -1;
	}
	memcpy(&h, im->data, sizeof(h));
	rest = im->datalen - sizeof(h);
	p = (const char *)im->data + sizeof(h);
	if (h.namelen == 0 || h.namelen >= DSP_NAME_MAX ||
	    h.srclen >= DSP_SRC_MAX || (size_t)h.namelen + h.srclen > rest ||
	    memchr(p, '\0', (size_t)h.namelen + h.srclen) != NULL) {
		snprintf(why, len, "bad entry header");
		return -1;
	}
	e->name = xmalloc(h.namelen + 1);
	memcpy(e->name, p, h.namelen);
	e->name[h.namelen] = '\0';
	e->src = xmalloc(h.srclen + 1);
	memcpy(e->src, p + h.namelen, h.srclen);
	e->src[h.srclen] = '\0';
	e->rev = h.rev;
	json = p + h.namelen + h.srclen;
	jlen = rest - h.namelen - h.srclen;
	if (ds_name_check(e->name, msg, sizeof(msg)) == -1) {
		snprintf(why, len, "entry name: %.160s", msg);
		goto fail;
	}
	if ((e->doc = doc_parse_one(json, jlen, e->src, msg,
	    sizeof(msg))) == NULL || e->doc->type != DOC_MAP) {
		snprintf(why, len, "entry %.200s: not a JSON object", e->name);
		goto fail;
	}
	return 0;
fail:
	ds_entry_free(e);
	return -1;
}

static int
dsp_ans_entry(const struct imsg *im, struct dsp_ans *ans, char *why,
    size_t len)
{
	struct ds_entry	 e;

	if ((ans->type != IMSG_DS_GET && ans->type != IMSG_DS_LIST) ||
	    (ans->type == IMSG_DS_GET && ans->ents.n > 0) ||
	    ans->ents.n >= DSP_MAX_ENTRIES) {
		snprintf(why, len, "unexpected entry");
		return -1;
	}
	if (dsp_entry(im, &e, why, len) == -1)
		return -1;
	ans->ents.v = xreallocarray(ans->ents.v, ans->ents.n + 1,
	    sizeof(*ans->ents.v));
	ans->ents.v[ans->ents.n++] = e;
	return 0;
}

static int
dsp_ans_err(const struct imsg *im, struct ds_err *err, char *why,
    size_t len)
{
	struct imsg_ds_err	 h;

	if (im->datalen < sizeof(h)) {
		snprintf(why, len, "short error");
		return -1;
	}
	memcpy(&h, im->data, sizeof(h));
	if (h.code == DS_OK || h.code > DS_EIO) {
		snprintf(why, len, "error code %u", h.code);
		return -1;
	}
	err->code = (enum ds_errcode)h.code;
	dsp_text((const char *)im->data + sizeof(h), im->datalen - sizeof(h),
	    err->msg, sizeof(err->msg));
	return 0;
}

/*
 * One message of the answer: 0 more to come, 1 complete, -1 the call
 * failed (err), -2 dsd broke the protocol (why).
 */
static int
dsp_answer(const struct imsg *im, struct dsp_ans *ans, struct ds_err *err,
    char *why, size_t len)
{
	struct imsg_ds_done	 d;
	char			 text[DSP_TEXT_MAX];

	switch (im->hdr.type) {
	case IMSG_DS_ENTRY:
		return dsp_ans_entry(im, ans, why, len) == -1 ? -2 : 0;
	case IMSG_DS_BAD:
		if (ans->type != IMSG_DS_LIST) {
			snprintf(why, len, "unexpected bad-entry report");
			return -2;
		}
		dsp_text(im->data, im->datalen, text, sizeof(text));
		ds_errors_add(ans->bad, "%s", text);
		return 0;
	case IMSG_DS_DONE:
		if (imsg_expect(im, sizeof(d)) == -1 ||
		    (ans->type == IMSG_DS_GET && ans->ents.n != 1)) {
			snprintf(why, len, "bad end of answer");
			return -2;
		}
		memcpy(&d, im->data, sizeof(d));
		ans->rev = d.rev;
		return 1;
	case IMSG_DS_ERR:
		return dsp_ans_err(im, err, why, len) == -1 ? -2 : -1;
	default:
		snprintf(why, len, "unexpected %s", imsg_type_name(
		    im->hdr.type));
		return -2;
	}
}

/*
 * One call: the request, then its answer in ans.  0, or -1 with err.
 */
static int
dsp_call(struct ds *ds, uint32_t type, const struct imsg_ds_req *req,
    const char *json, size_t jlen, struct dsp_ans *ans, struct ds_err *err)
{
	struct dsp	*p = ds->be;
	struct imsg	 im;
	uint64_t	 deadline;
	uint32_t	 id;
	char		 why[256];
	int		 r;

	ans->type = type;
	if (!p->up) {
		ds_seterr(err, DS_EIO, "datastore process dsd is not running "
		    "(%s)", p->st.error[0] ? p->st.error : "not started");
		return -1;
	}
	if ((id = ++p->next_id) == 0)
		id = ++p->next_id;
	if (dsp_send(p, type, id, req, json, jlen) == -1) {
		ds_seterr(err, DS_EIO, "datastore process dsd: cannot queue "
		    "the request");
		return -1;
	}
	deadline = mono_ms() + (uint64_t)p->timeout_ms;
	for (;;) {
		if (dsp_next(p, id, &im, deadline, err) == -1) {
			p->missed = 1;
			return -1;
		}
		r = dsp_answer(&im, ans, err, why, sizeof(why));
		if (r == 1)
			return 0;
		if (r == -1) {
			if (err->code == DS_EIO)
				p->missed = 1;
			return -1;
		}
		if (r == -2) {
			ds_seterr(err, DS_EIO, "datastore process dsd: bad "
			    "answer: %s", why);
			dsp_break(p, why);
			return -1;
		}
	}
}

static void
dsp_req(struct imsg_ds_req *req, enum res_kind kind, const char *name)
{
	memset(req, 0, sizeof(*req));
	req->kind = (uint32_t)kind;
	if (name != NULL)
		strlcpy(req->name, name, sizeof(req->name));
}

/* Names that do not fit the request cannot be valid names either. */
static int
dsp_name_fits(const char *name, enum ds_errcode code, struct ds_err *err)
{
	if (name != NULL && strlen(name) < DSP_NAME_MAX)
		return 0;
	ds_seterr(err, code, "invalid name: too long");
	return -1;
}

/*
 * The ops.
 */

static int
dsp_get(struct ds *ds, enum res_kind kind, const char *name,
    struct ds_entry *e, struct ds_err *err)
{
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;

	memset(e, 0, sizeof(*e));
	memset(&ans, 0, sizeof(ans));
	if (dsp_name_fits(name, DS_ENOENT, err) == -1)
		return -1;
	dsp_req(&req, kind, name);
	if (dsp_call(ds, IMSG_DS_GET, &req, NULL, 0, &ans, err) == -1) {
		ds_entries_free(&ans.ents);
		return -1;
	}
	*e = ans.ents.v[0];
	free(ans.ents.v);
	return 0;
}

static int
dsp_list(struct ds *ds, enum res_kind kind, struct ds_entries *out,
    struct res_errors *bad, struct ds_err *err)
{
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;

	memset(out, 0, sizeof(*out));
	memset(&ans, 0, sizeof(ans));
	ans.bad = bad;
	dsp_req(&req, kind, NULL);
	if (dsp_call(ds, IMSG_DS_LIST, &req, NULL, 0, &ans, err) == -1) {
		ds_entries_free(&ans.ents);
		return -1;
	}
	*out = ans.ents;
	return 0;
}

static int
dsp_writable(struct ds *ds, const char *name, struct ds_err *err)
{
	if (ds->flags & DS_O_RDONLY) {
		ds_seterr(err, DS_EIO, "datastore opened read-only");
		return -1;
	}
	return dsp_name_fits(name, DS_EINVAL, err);
}

static int
dsp_put(struct ds *ds, enum res_kind kind, const char *name,
    const struct doc_node *doc, enum ds_put_mode mode,
    const uint64_t *expect, uint64_t *rev, struct ds_err *err)
{
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;
	char			*json;
	size_t			 jlen;
	int			 rc;

	memset(&ans, 0, sizeof(ans));
	if (dsp_writable(ds, name, err) == -1)
		return -1;
	if (doc == NULL || doc->type != DOC_MAP) {
		ds_seterr(err, DS_EINVAL, "resource without metadata");
		return -1;
	}
	json = doc_to_json(doc, 0);
	if ((jlen = strlen(json)) > DSP_MAX_MSG - IMSG_HEADER_SIZE -
	    sizeof(req)) {
		ds_seterr(err, DS_EINVAL, "%s %s: larger than %d bytes",
		    res_kind_name(kind), name, DS_MAX_FILE);
		free(json);
		return -1;
	}
	dsp_req(&req, kind, name);
	req.mode = (uint32_t)mode;
	if (expect != NULL) {
		req.has_expect = 1;
		req.expect = *expect;
	}
	rc = dsp_call(ds, IMSG_DS_PUT, &req, json, jlen, &ans, err);
	free(json);
	if (rc == 0 && rev != NULL)
		*rev = ans.rev;
	return rc;
}

static int
dsp_del(struct ds *ds, enum res_kind kind, const char *name,
    const uint64_t *expect, struct ds_err *err)
{
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;

	memset(&ans, 0, sizeof(ans));
	if (ds->flags & DS_O_RDONLY) {
		ds_seterr(err, DS_EIO, "datastore opened read-only");
		return -1;
	}
	if (dsp_name_fits(name, DS_ENOENT, err) == -1)
		return -1;
	dsp_req(&req, kind, name);
	if (expect != NULL) {
		req.has_expect = 1;
		req.expect = *expect;
	}
	return dsp_call(ds, IMSG_DS_DEL, &req, NULL, 0, &ans, err);
}

static int
dsp_revision(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;

	memset(&ans, 0, sizeof(ans));
	dsp_req(&req, RES_NODE, NULL);
	if (dsp_call(ds, IMSG_DS_REVISION, &req, NULL, 0, &ans, err) == -1)
		return -1;
	*rev = ans.rev;
	return 0;
}

/*
 * The watch runs in dsd.  Only a refusal fails here: when dsd is not
 * running or does not answer in time, the watch starts with the next dsd
 * (ds_proxy_attach() reports a change, which makes tortied reload and
 * call this again) or when the late request is served.
 */
static int
dsp_watch_start(struct ds *ds, struct ds_err *err)
{
	struct dsp		*p = ds->be;
	struct imsg_ds_req	 req;
	struct dsp_ans		 ans;
	struct ds_err		 e;

	memset(&ans, 0, sizeof(ans));
	memset(&e, 0, sizeof(e));
	p->want_watch = 1;
	if (!p->up)
		return 0;
	dsp_req(&req, RES_NODE, NULL);
	if (dsp_call(ds, IMSG_DS_WATCH, &req, NULL, 0, &ans, &e) == 0)
		return 0;
	if (p->up && e.code != DS_EIO) {
		*err = e;
		return -1;
	}
	log_warnx("datastore watch: %s (it starts with the next dsd or "
	    "when dsd gets to the request)", e.msg);
	return 0;
}

static int
dsp_watch_fd(struct ds *ds)
{
	struct dsp	*p = ds->be;

	return p->pipe[0];
}

static int
dsp_watch_drain(struct ds *ds)
{
	struct dsp	*p = ds->be;
	char		 buf[64];
	int		 changed = 0;

	while (read(p->pipe[0], buf, sizeof(buf)) > 0)
		changed = 1;
	return changed;
}

static void
dsp_close(struct ds *ds)
{
	struct dsp	*p = ds->be;

	if (p == NULL)
		return;
	if (p->closed != NULL)
		p->closed(ds);
	dsp_drop(p);
	close(p->pipe[0]);
	close(p->pipe[1]);
	free(p);
	ds->be = NULL;
}

/*
 * The parent's side of dsd's life.
 */

/*
 * A proxy without a request socket yet (ds_proxy_attach()).  closed, if
 * not NULL, is called when the handle is closed, before it goes.
 */
struct ds *
ds_proxy_open(int flags, void (*closed)(struct ds *))
{
	struct ds	*ds;
	struct dsp	*p;

	p = xcalloc(1, sizeof(*p));
	if (pipe2(p->pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("%s: pipe2", __func__);
	p->closed = closed;
	p->timeout_ms = DSP_TIMEOUT_MS;
	p->st.state = DS_ETCD_CONNECTING;
	p->st.since = time(NULL);
	strlcpy(p->st.error, "dsd starting", sizeof(p->st.error));
	ds = xcalloc(1, sizeof(*ds));
	ds->ops = &dsp_ops;
	ds->be = p;
	ds->flags = flags;
	return ds;
}

/* How long one call may wait for its answer (tests make it short). */
void
ds_proxy_timeout(struct ds *ds, int ms)
{
	struct dsp	*p = ds->be;

	p->timeout_ms = ms > 0 ? ms : DSP_TIMEOUT_MS;
}

int
ds_is_proxy(const struct ds *ds)
{
	return ds != NULL && ds->ops == &dsp_ops;
}

/*
 * A new request socket (a new dsd).  If the watch was running through
 * the previous one, report a change: the reload that follows starts it
 * again and reads what may have changed meanwhile.
 */
void
ds_proxy_attach(struct ds *ds, int fd)
{
	struct dsp	*p = ds->be;

	ds_proxy_detach(ds, "replaced");
	if (imsgbuf_init(&p->ib, fd, DSP_MAX_MSG) == -1)
		fatal("%s: imsgbuf_init", __func__);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		fatal("%s: O_NONBLOCK", __func__);
	p->up = 1;
	dsp_state(p, DS_ETCD_CONNECTING, "");
	if (p->want_watch)
		ds_proxy_changed(ds);
}

/* dsd is gone: calls fail at once until the next attach. */
void
ds_proxy_detach(struct ds *ds, const char *why)
{
	struct dsp	*p = ds->be;

	if (!p->up)
		return;
	dsp_drop(p);
	/* Keep dsd's own last word (e.g. why it could not start). */
	if (p->st.state != DS_ETCD_UNREACHABLE || p->st.error[0] == '\0')
		dsp_state(p, DS_ETCD_UNREACHABLE, why);
}

/* IMSG_DS_CHANGED: the watch descriptor becomes readable. */
void
ds_proxy_changed(struct ds *ds)
{
	struct dsp	*p = ds->be;
	char		 c = 1;

	/* A full pipe already says "changed". */
	if (write(p->pipe[1], &c, 1) == -1 && errno != EAGAIN)
		log_warn("%s", __func__);
}

/* IMSG_DS_STATUS from dsd; -1 if it is malformed. */
int
ds_proxy_status_msg(struct ds *ds, const void *data, size_t len)
{
	struct dsp		*p = ds->be;
	struct ds_etcd_status	 st;

	if (dsp_status_from_msg(data, len, &st) == -1)
		return -1;
	if (st.state == DS_ETCD_CONNECTED && p->st.state != st.state &&
	    (p->st.state == DS_ETCD_UNREACHABLE || p->missed)) {
		p->missed = 0;
		ds_proxy_changed(ds);
	}
	p->st = st;
	return 0;
}

/* The state of dsd's etcd connection; -1 if ds is not a proxy. */
int
ds_proxy_status(struct ds *ds, struct ds_etcd_status *st)
{
	struct dsp	*p;

	if (!ds_is_proxy(ds))
		return -1;
	p = ds->be;
	*st = p->st;
	return 0;
}

/*
 * The status on the wire, both ways.
 */

void
dsp_status_to_msg(const struct ds_etcd_status *st, struct imsg_ds_status *m)
{
	memset(m, 0, sizeof(*m));
	m->state = (uint32_t)st->state;
	m->since = (int64_t)st->since;
	m->revision = st->revision;
	strlcpy(m->endpoint, st->endpoint, sizeof(m->endpoint));
	strlcpy(m->error, st->error, sizeof(m->error));
}

int
dsp_status_from_msg(const void *data, size_t len, struct ds_etcd_status *st)
{
	struct imsg_ds_status	 m;

	if (len != sizeof(m))
		return -1;
	memcpy(&m, data, sizeof(m));
	if (m.state > DS_ETCD_UNREACHABLE ||
	    memchr(m.endpoint, '\0', sizeof(m.endpoint)) == NULL ||
	    memchr(m.error, '\0', sizeof(m.error)) == NULL)
		return -1;
	memset(st, 0, sizeof(*st));
	st->state = (enum ds_etcd_state)m.state;
	st->since = (time_t)m.since;
	st->revision = m.revision;
	dsp_text(m.endpoint, strlen(m.endpoint), st->endpoint,
	    sizeof(st->endpoint));
	dsp_text(m.error, strlen(m.error), st->error, sizeof(st->error));
	return 0;
}
