/*
 * The datastore proxy and dsd's service (datastore_proxy.h, dsd/):
 *  - through a real dsd service (dsd_serve.c, forked, serving a file
 *    datastore): Calico's verbs, lists with bad entries, revisions,
 *    conflicts and missing resources give what the file backend gives
 *    directly; the watch reports a change on dsd's pipe; a dsd whose
 *    datastore could not be opened answers every call with the reason
 *    and says it in its status;
 *  - against hand-made answers: answers to calls that timed out are
 *    dropped, and every malformed answer (bad lengths, names, JSON, codes,
 *    types, framing) fails the call without a crash and drops the
 *    socket; a silent dsd times out, a dead one fails at once; status
 *    messages are checked as input.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "doc.h"
#include "../../dsd/dsd.h"
#include "imsg.h"
#include "resource.h"
#include "tortie.h"
#include "util.h"

#define PEER_FMT							\
	"apiVersion: projectcalico.org/v3\n"				\
	"kind: BGPPeer\n"						\
	"metadata:\n"							\
	"  name: %s\n"							\
	"spec:\n"							\
	"  peerIP: 192.20.30.40\n"					\
	"  asNumber: %u\n"

static char	 tdir[64];

/* A forked dsd service and the test's ends of its two sockets. */
struct srv {
	pid_t		 pid;
	int		 async;		/* dsd's pipe to the parent */
	struct imsgbuf	 aib;
	struct ds	*proxy;
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static int
setup_dir(void **state)
{
	(void)state;
	strlcpy(tdir, "/tmp/test_dsp.XXXXXX", sizeof(tdir));
	return mkdtemp(tdir) == NULL ? -1 : 0;
}

static int
teardown_dir(void **state)
{
	(void)state;
	nftw(tdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void
peer(struct resource *r, const char *name, unsigned int asn)
{
	struct res_list		 l;
	struct res_errors	 errs;
	char			 buf[512];

	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	snprintf(buf, sizeof(buf), PEER_FMT, name, asn);
	if (res_parse(buf, strlen(buf), "peer.yaml", &l, &errs) == -1 ||
	    l.n != 1)
		fail_msg("parse: %s", errs.n ? errs.msgs[0] : "?");
	*r = l.items[0];
	l.n = 0;
	res_list_free(&l);
	res_errors_free(&errs);
}

static void
write_file(const char *rel, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", tdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct ds *
open_file_ds(void)
{
	struct ds_err	 err;
	struct ds	*ds;

	if ((ds = ds_open_file(tdir, 0, &err)) == NULL)
		fail_msg("open: %s", err.msg);
	return ds;
}

/*
 * The server side.
 */

static void
srv_req_closed(struct dsd *d)
{
	(void)d;
	_exit(0);
}

static void
srv_parent_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	(void)iev;
	(void)im;
	(void)arg;
}

static void
srv_parent_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	_exit(0);
}

/* dsd's service in a child: the file datastore, or a failed open. */
static void
srv_run(int req, int async, int failed)
{
	struct event_base	*base;
	struct imsgev		 parent;
	struct dsd		 d;
	struct ds_err		 err;
	struct ds		*ds = NULL;

	if ((base = event_base_new()) == NULL)
		_exit(2);
	if (imsgev_init(&parent, base, async, IMSG_MAX_PIPE,
	    srv_parent_dispatch, srv_parent_closed, NULL) == -1)
		_exit(2);
	if (!failed && (ds = ds_open_file(tdir, 0, &err)) == NULL)
		_exit(2);
	dsd_init(&d, ds, base, &parent, srv_req_closed);
	if (failed) {
		memset(&err, 0, sizeof(err));
		ds_seterr(&err, DS_EINVAL, "etcdv3: keyFile /k.pem: no such "
		    "file");
		dsd_failed(&d, &err);
	}
	if (dsd_attach(&d, req) == -1)
		_exit(2);
	event_base_dispatch(base);
	_exit(0);
}

static void
srv_start(struct srv *s, int failed)
{
	int	 rq[2], as[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, rq), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, as), 0);
	s->pid = fork();
	assert_true(s->pid != -1);
	if (s->pid == 0) {
		close(rq[0]);
		close(as[0]);
		srv_run(rq[1], as[1], failed);
	}
	close(rq[1]);
	close(as[1]);
	s->async = as[0];
	assert_int_equal(imsgbuf_init(&s->aib, s->async, IMSG_MAX_PIPE), 0);
	s->proxy = ds_proxy_open(0, NULL);
	ds_proxy_attach(s->proxy, rq[0]);
}

static void
srv_stop(struct srv *s)
{
	int	 status;

	ds_close(s->proxy);
	close(s->async);
	imsgbuf_clear(&s->aib);
	assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The next message on dsd's pipe within ms; its type, or -1. */
static int
srv_async(struct srv *s, int ms, struct imsg *im)
{
	struct pollfd	 pfd;
	uint64_t	 end = mono_ms() + (uint64_t)ms;
	int		 r;

	for (;;) {
		if ((r = imsg_get(&s->aib, im)) == 1)
			return (int)im->hdr.type;
		if (r == -1 || mono_ms() >= end)
			return -1;
		pfd.fd = s->async;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(end - mono_ms())) <= 0)
			continue;
		if (imsg_read(&s->aib) <= 0)
			return -1;
	}
}

/*
 * Through dsd's service.
 */

static void
test_verbs(void **state)
{
	struct srv		 s;
	struct resource		 r, g;
	struct res_list		 l;
	struct res_errors	 bad;
	struct ds_err		 err;
	struct ds		*direct;
	uint64_t		 rev;

	(void)state;
	srv_start(&s, 0);
	peer(&r, "rack1-tor", 64567);
	assert_int_equal(ds_create(s.proxy, &r, &err), 0);
	assert_string_equal(res_meta(&r)->resource_version, "1");
	res_free(&r);

	peer(&r, "rack1-tor", 64568);
	assert_int_equal(ds_create(s.proxy, &r, &err), -1);
	assert_int_equal(err.code, DS_EEXIST);
	assert_string_equal(err.msg,
	    "resource already exists: BGPPeer(rack1-tor)");
	assert_int_equal(ds_update(s.proxy, &r, &err), 0);
	res_free(&r);

	/* What the proxy reads is what the file backend reads. */
	direct = open_file_ds();
	assert_int_equal(ds_get(s.proxy, RES_BGPPEER, "rack1-tor", &g, &err),
	    0);
	assert_int_equal(ds_get(direct, RES_BGPPEER, "rack1-tor", &r, &err),
	    0);
	assert_int_equal(g.u.bgppeer.spec.as_number, 64568);
	assert_string_equal(res_meta(&g)->uid, res_meta(&r)->uid);
	assert_string_equal(res_meta(&g)->resource_version,
	    res_meta(&r)->resource_version);
	res_free(&r);

	/* A stale resourceVersion. */
	free(res_meta(&g)->resource_version);
	res_meta(&g)->resource_version = xstrdup("1");
	assert_int_equal(ds_update(s.proxy, &g, &err), -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	res_free(&g);

	assert_int_equal(ds_get(s.proxy, RES_BGPPEER, "nope", &g, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_int_equal(ds_delete(s.proxy, RES_BGPPEER, "nope", NULL, &err),
	    -1);
	assert_int_equal(err.code, DS_ENOENT);

	/* A list with a bad file: the good entry and the report. */
	write_file("bgppeers/broken.yaml", "kind: [\n");
	memset(&l, 0, sizeof(l));
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(ds_list(s.proxy, RES_BGPPEER, &l, &rev, &bad, &err),
	    0);
	assert_int_equal(l.n, 1);
	assert_string_equal(res_name(&l.items[0]), "rack1-tor");
	assert_int_equal(bad.n, 1);
	assert_non_null(strstr(bad.msgs[0], "broken.yaml"));
	assert_int_equal(rev, 2);
	res_list_free(&l);
	res_errors_free(&bad);

	assert_int_equal(ds_delete(s.proxy, RES_BGPPEER, "rack1-tor", NULL,
	    &err), 0);
	assert_int_equal(ds_get(direct, RES_BGPPEER, "rack1-tor", &g, &err),
	    -1);
	assert_int_equal(err.code, DS_ENOENT);
	ds_close(direct);
	srv_stop(&s);
}

static void
test_load_and_status(void **state)
{
	struct srv		 s;
	struct res_set		 set;
	struct res_errors	 errs;
	struct ds_err		 err;
	struct ds_etcd_status	 st;
	struct resource		 r;

	(void)state;
	srv_start(&s, 0);
	peer(&r, "p1", 64512);
	assert_int_equal(ds_create(s.proxy, &r, &err), 0);
	res_free(&r);
	res_set_init(&set);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(ds_load(s.proxy, &set, &errs, &err), 0);
	assert_int_equal(set.nbgppeers, 1);
	res_set_free(&set);
	res_errors_free(&errs);
	/* The proxy's own state until dsd says otherwise. */
	assert_int_equal(ds_proxy_status(s.proxy, &st), 0);
	assert_int_equal(st.state, DS_ETCD_CONNECTING);
	assert_int_equal(ds_proxy_status(NULL, &st), -1);
	assert_true(ds_is_proxy(s.proxy));
	srv_stop(&s);
}

static void
test_watch(void **state)
{
	struct srv	 s;
	struct resource	 r;
	struct ds_err	 err;
	struct imsg	 im;
	struct ds	*direct;

	(void)state;
	srv_start(&s, 0);
	assert_int_equal(ds_watch_start(s.proxy, &err), 0);
	assert_int_equal(ds_watch_drain(s.proxy), 0);
	direct = open_file_ds();
	peer(&r, "watched", 64512);
	assert_int_equal(ds_create(direct, &r, &err), 0);
	res_free(&r);
	assert_int_equal(srv_async(&s, 5000, &im), IMSG_DS_CHANGED);
	/* The parent's handler of DS_CHANGED. */
	ds_proxy_changed(s.proxy);
	assert_int_equal(ds_watch_drain(s.proxy), 1);
	assert_int_equal(ds_watch_drain(s.proxy), 0);
	ds_close(direct);
	srv_stop(&s);
}

static void
test_failed_open(void **state)
{
	struct srv		 s;
	struct ds_entry		 e;
	struct ds_err		 err;
	struct ds_etcd_status	 st;
	struct imsg		 im;

	(void)state;
	srv_start(&s, 1);
	assert_int_equal(s.proxy->ops->get(s.proxy, RES_NODE, "n1", &e, &err),
	    -1);
	assert_int_equal(err.code, DS_EINVAL);
	assert_string_equal(err.msg, "etcdv3: keyFile /k.pem: no such file");
	assert_int_equal(srv_async(&s, 5000, &im), IMSG_DS_STATUS);
	assert_int_equal(ds_proxy_status_msg(s.proxy, im.data, im.datalen), 0);
	assert_int_equal(ds_proxy_status(s.proxy, &st), 0);
	assert_int_equal(st.state, DS_ETCD_UNREACHABLE);
	assert_string_equal(st.error, "etcdv3: keyFile /k.pem: no such file");
	srv_stop(&s);
}

/*
 * Against hand-made answers: the test holds dsd's end of the request
 * socket and writes answers before the call reads them.  Call ids start
 * at 1.
 */

struct fake {
	struct ds	*proxy;
	int		 fd;		/* dsd's end */
	struct imsgbuf	 ib;
};

static void
fake_start(struct fake *f)
{
	int	 sp[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	f->fd = sp[1];
	assert_int_equal(imsgbuf_init(&f->ib, f->fd, DSP_MAX_MSG), 0);
	f->proxy = ds_proxy_open(0, NULL);
	ds_proxy_timeout(f->proxy, 300);
	ds_proxy_attach(f->proxy, sp[0]);
}

static void
fake_stop(struct fake *f)
{
	ds_close(f->proxy);
	close(f->fd);
	imsgbuf_clear(&f->ib);
}

static void
fake_send(struct fake *f, uint32_t type, uint32_t id, const void *data,
    size_t len)
{
	assert_int_equal(imsg_compose(&f->ib, type, id, 0, -1, data, len), 0);
	assert_int_equal(imsgbuf_write(&f->ib), 0);
}

static void
fake_done(struct fake *f, uint32_t id, uint64_t rev)
{
	struct imsg_ds_done	 d;

	memset(&d, 0, sizeof(d));
	d.rev = rev;
	fake_send(f, IMSG_DS_DONE, id, &d, sizeof(d));
}

/* An entry; namelen/srclen as given even when they lie. */
static void
fake_entry(struct fake *f, uint32_t id, const char *name, const char *src,
    const char *json, uint32_t namelen, uint32_t srclen)
{
	struct imsg_ds_entry	 h;
	char			 buf[4096];
	size_t			 nl = strlen(name), sl = strlen(src);
	size_t			 jl = strlen(json);

	memset(&h, 0, sizeof(h));
	h.rev = 7;
	h.namelen = namelen;
	h.srclen = srclen;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), name, nl);
	memcpy(buf + sizeof(h) + nl, src, sl);
	memcpy(buf + sizeof(h) + nl + sl, json, jl);
	fake_send(f, IMSG_DS_ENTRY, id, buf, sizeof(h) + nl + sl + jl);
}

static void
fake_good_entry(struct fake *f, uint32_t id, const char *name)
{
	fake_entry(f, id, name, "k", "{\"kind\":\"Node\"}",
	    (uint32_t)strlen(name), 1);
}

static void
fake_err(struct fake *f, uint32_t id, uint32_t code, const char *msg)
{
	struct imsg_ds_err	 h;
	char			 buf[512];

	memset(&h, 0, sizeof(h));
	h.code = code;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), msg, strlen(msg));
	fake_send(f, IMSG_DS_ERR, id, buf, sizeof(h) + strlen(msg));
}

/* A get of "n1" that must fail as a broken answer. */
static void
expect_broken(struct fake *f, const char *what)
{
	struct ds_entry	 e;
	struct ds_err	 err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(f->proxy->ops->get(f->proxy, RES_NODE, "n1", &e,
	    &err), -1);
	assert_int_equal(err.code, DS_EIO);
	if (strstr(err.msg, what) == NULL)
		fail_msg("wanted \"%s\" in \"%s\"", what, err.msg);
	/* The socket is dropped: later calls fail at once. */
	assert_int_equal(f->proxy->ops->get(f->proxy, RES_NODE, "n1", &e,
	    &err), -1);
	assert_non_null(strstr(err.msg, "is not running"));
}

static void
test_stale_answers(void **state)
{
	struct fake		 f;
	struct ds_entry		 e;
	struct ds_entries	 es;
	struct res_errors	 bad;
	struct ds_err		 err;
	uint64_t		 rev;

	(void)state;
	fake_start(&f);
	/* Call 1 times out; its late answer comes before call 2's. */
	assert_int_equal(f.proxy->ops->get(f.proxy, RES_NODE, "n1", &e, &err),
	    -1);
	assert_non_null(strstr(err.msg, "did not answer within 300 ms"));
	fake_good_entry(&f, 1, "n1");
	fake_done(&f, 1, 0);
	fake_good_entry(&f, 2, "n2");
	fake_done(&f, 2, 0);
	assert_int_equal(f.proxy->ops->get(f.proxy, RES_NODE, "n2", &e, &err),
	    0);
	assert_string_equal(e.name, "n2");
	assert_string_equal(e.src, "k");
	assert_int_equal(e.rev, 7);
	assert_int_equal(e.doc->type, DOC_MAP);
	ds_entry_free(&e);

	/* A list: entries, reports (control characters made safe). */
	fake_good_entry(&f, 3, "a");
	fake_good_entry(&f, 3, "b");
	fake_send(&f, IMSG_DS_BAD, 3, "k/x: bad\n\033[2J", 13);
	fake_done(&f, 3, 0);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(f.proxy->ops->list(f.proxy, RES_NODE, &es, &bad,
	    &err), 0);
	assert_int_equal(es.n, 2);
	assert_int_equal(bad.n, 1);
	assert_string_equal(bad.msgs[0], "k/x: bad??[2J");
	ds_entries_free(&es);
	res_errors_free(&bad);

	/* An error answer, and a revision. */
	fake_err(&f, 4, DS_ENOENT, "resource does not exist");
	assert_int_equal(f.proxy->ops->get(f.proxy, RES_NODE, "n1", &e, &err),
	    -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_string_equal(err.msg, "resource does not exist");
	fake_done(&f, 5, 42);
	assert_int_equal(f.proxy->ops->revision(f.proxy, &rev, &err), 0);
	assert_int_equal(rev, 42);
	fake_stop(&f);
}

static void
test_hostile_entries(void **state)
{
	struct fake		 f;
	struct imsg_ds_entry	 h;
	char			 buf[64];

	(void)state;
	fake_start(&f);
	fake_entry(&f, 1, "n1", "k", "{}", 0, 1);
	expect_broken(&f, "bad entry header");
	fake_stop(&f);

	fake_start(&f);
	fake_entry(&f, 1, "n1", "k", "{}", 2, 400);
	expect_broken(&f, "bad entry header");
	fake_stop(&f);

	/* A NUL inside the name. */
	fake_start(&f);
	memset(&h, 0, sizeof(h));
	h.namelen = 2;
	h.srclen = 1;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), "n\0k{}", 5);
	fake_send(&f, IMSG_DS_ENTRY, 1, buf, sizeof(h) + 5);
	expect_broken(&f, "bad entry header");
	fake_stop(&f);

	fake_start(&f);
	fake_entry(&f, 1, "../x", "k", "{}", 4, 1);
	expect_broken(&f, "entry name");
	fake_stop(&f);

	fake_start(&f);
	fake_entry(&f, 1, "n1", "k", "[1,2]", 2, 1);
	expect_broken(&f, "not a JSON object");
	fake_stop(&f);

	fake_start(&f);
	fake_entry(&f, 1, "n1", "k", "{\"a\": [", 2, 1);
	expect_broken(&f, "not a JSON object");
	fake_stop(&f);

	fake_start(&f);
	fake_send(&f, IMSG_DS_ENTRY, 1, "short", 5);
	expect_broken(&f, "short entry");
	fake_stop(&f);

	/* Two entries for a get. */
	fake_start(&f);
	fake_good_entry(&f, 1, "n1");
	fake_good_entry(&f, 1, "n1");
	expect_broken(&f, "unexpected entry");
	fake_stop(&f);
}

static void
test_hostile_ends(void **state)
{
	struct fake	 f;
	uint8_t		 junk[IMSG_HEADER_SIZE];
	uint32_t	 hdr[4];

	(void)state;
	fake_start(&f);
	fake_err(&f, 1, 99, "what");
	expect_broken(&f, "error code 99");
	fake_stop(&f);

	fake_start(&f);
	fake_err(&f, 1, DS_OK, "fine?");
	expect_broken(&f, "error code 0");
	fake_stop(&f);

	fake_start(&f);
	fake_send(&f, IMSG_DS_ERR, 1, "x", 1);
	expect_broken(&f, "short error");
	fake_stop(&f);

	fake_start(&f);
	fake_send(&f, IMSG_DS_DONE, 1, "1234", 4);
	expect_broken(&f, "bad end of answer");
	fake_stop(&f);

	/* A get that ends without its entry. */
	fake_start(&f);
	fake_done(&f, 1, 0);
	expect_broken(&f, "bad end of answer");
	fake_stop(&f);

	fake_start(&f);
	fake_send(&f, IMSG_DS_BAD, 1, "x", 1);
	expect_broken(&f, "unexpected bad-entry report");
	fake_stop(&f);

	fake_start(&f);
	fake_send(&f, IMSG_PEER_ADD, 1, NULL, 0);
	expect_broken(&f, "unexpected peer-add");
	fake_stop(&f);

	/* A header that breaks the framing. */
	fake_start(&f);
	hdr[0] = IMSG_DS_DONE;
	hdr[1] = DSP_MAX_MSG + 1;
	hdr[2] = 1;
	hdr[3] = 0;
	memcpy(junk, hdr, sizeof(junk));
	assert_int_equal(write(f.fd, junk, sizeof(junk)), sizeof(junk));
	expect_broken(&f, "request socket failed");
	fake_stop(&f);

	/* dsd gone in the middle of a call. */
	fake_start(&f);
	close(f.fd);
	f.fd = -1;
	expect_broken(&f, "request socket failed");
	fake_stop(&f);
}

static void
test_status_msgs(void **state)
{
	struct imsg_ds_status	 m;
	struct ds_etcd_status	 st, got;
	struct ds		*p;

	(void)state;
	p = ds_proxy_open(0, NULL);
	memset(&st, 0, sizeof(st));
	st.state = DS_ETCD_CONNECTED;
	st.since = 1700000000;
	st.revision = 99;
	strlcpy(st.endpoint, "https://198.18.0.11:2379", sizeof(st.endpoint));
	dsp_status_to_msg(&st, &m);
	assert_int_equal(ds_proxy_status_msg(p, &m, sizeof(m) - 1), -1);
	m.state = 9;
	assert_int_equal(ds_proxy_status_msg(p, &m, sizeof(m)), -1);
	m.state = DS_ETCD_CONNECTED;
	memset(m.error, 'x', sizeof(m.error));
	assert_int_equal(ds_proxy_status_msg(p, &m, sizeof(m)), -1);
	dsp_status_to_msg(&st, &m);
	m.error[0] = '\n';
	assert_int_equal(ds_proxy_status_msg(p, &m, sizeof(m)), 0);
	assert_int_equal(ds_proxy_status(p, &got), 0);
	assert_int_equal(got.state, DS_ETCD_CONNECTED);
	assert_int_equal(got.since, 1700000000);
	assert_int_equal(got.revision, 99);
	assert_string_equal(got.endpoint, "https://198.18.0.11:2379");
	assert_string_equal(got.error, "?");

	/* Without dsd: unreachable, with the reason, calls fail at once. */
	ds_proxy_attach(p, socket(AF_UNIX, SOCK_STREAM, 0));
	ds_proxy_detach(p, "dsd exited");
	assert_int_equal(ds_proxy_status(p, &got), 0);
	assert_int_equal(got.state, DS_ETCD_UNREACHABLE);
	assert_string_equal(got.error, "dsd exited");
	ds_close(p);
}

/* The watch asked through a dsd that went away restarts with the next. */
static void
test_reattach_reports_change(void **state)
{
	struct ds	*p;
	struct ds_err	 err;

	(void)state;
	p = ds_proxy_open(0, NULL);
	assert_int_equal(ds_watch_start(p, &err), 0);
	assert_int_equal(ds_watch_drain(p), 0);
	ds_proxy_attach(p, socket(AF_UNIX, SOCK_STREAM, 0));
	assert_int_equal(ds_watch_drain(p), 1);
	ds_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verbs, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_load_and_status,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_watch, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_failed_open, setup_dir,
		    teardown_dir),
		cmocka_unit_test(test_stale_answers),
		cmocka_unit_test(test_hostile_entries),
		cmocka_unit_test(test_hostile_ends),
		cmocka_unit_test(test_status_msgs),
		cmocka_unit_test(test_reattach_reports_change),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
