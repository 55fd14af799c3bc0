/*
 * The etcd v3 datastore backend (datastore_etcd.h): struct ds_ops over
 * Calico's key layout, blocking calls for reads and writes, and a watch
 * stream on the caller's event loop.
 *
 * Writes are etcd transactions, so that Calico's errors come out of one
 * round trip: create compares create_revision == 0, update
 * create_revision > 0 (and mod_revision == the expected revision), delete
 * the same as update; the failure branch reads the key to tell "does not
 * exist" from "update conflict".
 *
 * The watch is one stream with one watch over a key range that holds
 * every kind's prefix and the IPAM affinities (etcd_watch_range()); keys
 * of other kinds in that range are filtered out.  It starts after the
 * lowest revision that a list has seen since the handle was opened
 * (tortied loads, then watches), so no change between the load and the
 * watch is lost; without one it starts from now and reports a change
 * once it is established, as a re-list would.  A lost stream is resumed
 * from the next revision on the next endpoint, after a back-off once
 * every endpoint has failed; when etcd has compacted that revision away,
 * the watch starts from now and reports a change, which makes tortied
 * re-list.  While connected, a
 * small linearizable read every ETCD_PROBE_MS checks that the member
 * still serves (a member cut off from the quorum keeps the TCP stream
 * open but sends nothing).
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "dconf.h"
#include "doc.h"
#include "etcd.h"
#include "evt.h"
#include "log.h"
#include "resource.h"
#include "util.h"

#define ECB_PROBE_MS		10000
#define ECB_BACKOFF_MIN_MS	250
#define ECB_BACKOFF_MAX_MS	30000

struct ecb;

struct ecb_watch {
	struct ecb		*eb;
	struct event_base	*base;
	int			 pipe[2];
	char			*key;		/* the watched range */
	char			*end;
	uint64_t		 next;		/* 0: from now */
	int			 report;	/* notify once created */
	size_t			 ep;
	unsigned int		 fails;		/* since connected */
	struct etcd_areq	*stream;
	struct etcd_areq	*probe;
	int			 lost;		/* retry pending */
	struct event		*retry_ev;
	struct event		*probe_ev;
	struct ds_etcd_status	 st;
};

struct ecb {
	struct etcd_client	*c;
	struct event_base	*base;		/* the caller's */
	uint64_t		 list_rev_min;	/* 0: none listed */
	struct ecb_watch	*w;
};

/* A range walked page by page; each kv goes to fn. */
typedef void (*ecb_kv_fn)(struct ds *, const struct etcd_kv *, void *);

static int	 ecb_get(struct ds *, enum res_kind, const char *,
		    struct ds_entry *, struct ds_err *);
static int	 ecb_list(struct ds *, enum res_kind, struct ds_entries *,
		    struct res_errors *, struct ds_err *);
static int	 ecb_put(struct ds *, enum res_kind, const char *,
		    const struct doc_node *, enum ds_put_mode, const uint64_t *,
		    uint64_t *, struct ds_err *);
static int	 ecb_del(struct ds *, enum res_kind, const char *,
		    const uint64_t *, struct ds_err *);
static int	 ecb_revision(struct ds *, uint64_t *, struct ds_err *);
static int	 ecb_watch_start(struct ds *, struct ds_err *);
static int	 ecb_watch_fd(struct ds *);
static int	 ecb_watch_drain(struct ds *);
static void	 ecb_close(struct ds *);

static void	 w_connect(struct ecb_watch *);
static void	 w_lost(struct ecb_watch *, const char *);
static void	 w_notify(struct ecb_watch *);
static void	 w_free(struct ecb_watch *);

static const struct ds_ops ecb_ops = {
	.name = "etcdv3",
	.get = ecb_get,
	.list = ecb_list,
	.put = ecb_put,
	.del = ecb_del,
	.revision = ecb_revision,
	.watch_start = ecb_watch_start,
	.watch_fd = ecb_watch_fd,
	.watch_drain = ecb_watch_drain,
	.close = ecb_close,
};

/*
 * Calls.
 */

/* A blocking call whose reply is parsed by the caller. */
static int
ecb_call(struct ds *ds, const char *path, char *body, char **reply,
    size_t *len, struct ds_err *err)
{
	struct ecb	*eb = ds->be;
	int		 rc;

	rc = etcd_call(eb->c, path, body, reply, len, err);
	free(body);
	return rc;
}

static int
ecb_bad_reply(struct ds *ds, const char *what, const char *why,
    struct ds_err *err)
{
	struct ecb	*eb = ds->be;

	ds_seterr(err, DS_EIO, "etcd %s: bad %s reply: %s",
	    etcd_endpoint_url(eb->c, etcd_endpoint_current(eb->c)), what,
	    why);
	return -1;
}

/*
 * Every kv in [from, end), page by page at one revision, so that the
 * whole is one snapshot.  *rev gets that revision.
 */
static int
ecb_range(struct ds *ds, const char *from, const char *end, ecb_kv_fn fn,
    void *arg, uint64_t *rev, struct ds_err *err)
{
	struct etcd_range	 r;
	char			*key, *reply, why[256];
	size_t			 keylen, len, i;
	int			 rc = -1;

	*rev = 0;
	keylen = strlen(from);
	key = xstrdup(from);
	for (;;) {
		if (ecb_call(ds, "/v3/kv/range", etcd_req_range(key, keylen,
		    end, *rev, ETCD_PAGE, 0), &reply, &len, err) == -1)
			goto done;
		if (etcd_parse_range(reply, len, &r, why, sizeof(why)) == -1) {
			free(reply);
			ecb_bad_reply(ds, "range", why, err);
			goto done;
		}
		free(reply);
		if (*rev == 0)
			*rev = r.rev;
		for (i = 0; i < r.n; i++)
			fn(ds, &r.kvs[i], arg);
		if (!r.more || r.n == 0) {
			etcd_range_free(&r);
			break;
		}
		/* The next page starts just after the last key. */
		free(key);
		keylen = r.kvs[r.n - 1].keylen + 1;
		key = xmalloc(keylen + 1);
		memcpy(key, r.kvs[r.n - 1].key, keylen - 1);
		key[keylen - 1] = key[keylen] = '\0';
		etcd_range_free(&r);
	}
	rc = 0;
done:
	free(key);
	return rc;
}

/* The lowest revision a list saw: where a later watch must start. */
static void
ecb_listed(struct ecb *eb, uint64_t rev)
{
	if (rev != 0 && (eb->list_rev_min == 0 || rev < eb->list_rev_min))
		eb->list_rev_min = rev;
}

/*
 * Entries.
 */

/* An entry from a resource key's value. */
static int
ecb_entry(const struct etcd_kv *kv, const char *name, struct ds_entry *e,
    struct ds_err *err)
{
	char	 msg[DS_ERRLEN];

	memset(e, 0, sizeof(*e));
	if (kv->vlen > ETCD_MAX_VALUE) {
		ds_seterr(err, DS_EINVAL, "%s: larger than %d bytes", kv->key,
		    ETCD_MAX_VALUE);
		return -1;
	}
	e->doc = doc_parse_one(kv->value, kv->vlen, kv->key, msg, sizeof(msg));
	if (e->doc == NULL) {
		ds_seterr(err, DS_EINVAL, "%s", msg);
		return -1;
	}
	if (e->doc->type != DOC_MAP) {
		ds_seterr(err, DS_EINVAL, "%s:%d:%d: expected a resource (a "
		    "JSON object), found %s", kv->key, e->doc->line,
		    e->doc->col, doc_type_name(e->doc->type));
		doc_free(e->doc);
		e->doc = NULL;
		return -1;
	}
	e->name = xstrdup(name);
	e->src = xstrdup(kv->key);
	e->rev = kv->mod_rev;
	return 0;
}

/* An entry from a Calico IPAM affinity key; -1 if kv is not one. */
static int
ecb_ipam_entry(const struct etcd_kv *kv, struct ds_entry *e,
    struct ds_err *err)
{
	char	*node, *cidr, msg[256], why[128];
	int	 rc = -1;

	memset(e, 0, sizeof(*e));
	if (etcd_ipam_key(kv->key, kv->keylen, &node, &cidr) == -1) {
		ds_seterr(err, DS_EINVAL, "%s: not a block affinity key",
		    kv->key);
		return -1;
	}
	e->name = etcd_affinity_name(node, cidr);
	if (ds_name_check(e->name, why, sizeof(why)) == -1) {
		ds_seterr(err, DS_EINVAL, "%s: block affinity name %s", kv->key,
		    why);
		goto done;
	}
	if (kv->vlen > ETCD_MAX_VALUE ||
	    (e->doc = etcd_affinity_doc(node, cidr, kv->value, kv->vlen, msg,
	    sizeof(msg))) == NULL) {
		ds_seterr(err, DS_EINVAL, "%s: %s", kv->key,
		    kv->vlen > ETCD_MAX_VALUE ? "value too large" : msg);
		goto done;
	}
	e->src = xstrdup(kv->key);
	e->rev = kv->mod_rev;
	rc = 0;
done:
	if (rc == -1)
		ds_entry_free(e);
	free(node);
	free(cidr);
	return rc;
}

struct ecb_list_ctx {
	enum res_kind		 kind;
	struct ds_entries	*out;
	struct res_errors	*bad;
	const char		*want;	/* one IPAM name, or NULL */
	struct ds_entry		*found;
};

static void
ecb_add(struct ds_entries *out, struct ds_entry *e)
{
	out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = *e;
}

static void
ecb_list_kv(struct ds *ds, const struct etcd_kv *kv, void *arg)
{
	struct ecb_list_ctx	*lc = arg;
	struct ds_entry		 e;
	struct ds_err		 err;
	const char		*name;
	char			 why[128];

	(void)ds;
	if (etcd_key_name(lc->kind, kv->key, kv->keylen, &name) == -1) {
		ds_errors_add(lc->bad, "%.*s: not a %s key", (int)kv->keylen,
		    kv->key, res_kind_name(lc->kind));
		return;
	}
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_errors_add(lc->bad, "%s: key is not a valid resource name: "
		    "%s", kv->key, why);
		return;
	}
	if (ecb_entry(kv, name, &e, &err) == -1) {
		ds_errors_add(lc->bad, "%s", err.msg);
		return;
	}
	ecb_add(lc->out, &e);
}

static void
ecb_ipam_kv(struct ds *ds, const struct etcd_kv *kv, void *arg)
{
	struct ecb_list_ctx	*lc = arg;
	struct ds_entry		 e;
	struct ds_err		 err;
	char			*node, *cidr, *name;

	(void)ds;
	if (lc->want != NULL) {
		/* Only the one asked for: no noise about the others. */
		if (lc->found != NULL || etcd_ipam_key(kv->key, kv->keylen,
		    &node, &cidr) == -1)
			return;
		name = etcd_affinity_name(node, cidr);
		free(node);
		free(cidr);
		if (strcmp(name, lc->want) == 0 &&
		    ecb_ipam_entry(kv, &e, &err) == 0) {
			lc->found = xmalloc(sizeof(*lc->found));
			*lc->found = e;
		}
		free(name);
		return;
	}
	if (ecb_ipam_entry(kv, &e, &err) == -1) {
		ds_errors_add(lc->bad, "%s", err.msg);
		return;
	}
	ecb_add(lc->out, &e);
}

/* The IPAM affinity named name, if there is one (1), else 0; -1 error. */
static int
ecb_ipam_find(struct ds *ds, const char *name, struct ds_entry *e,
    struct ds_err *err)
{
	struct ecb_list_ctx	 lc;
	char			*end;
	uint64_t		 rev;
	int			 rc;

	memset(&lc, 0, sizeof(lc));
	lc.want = name;
	end = etcd_prefix_end(ETCD_IPAM_HOST_PREFIX);
	rc = ecb_range(ds, ETCD_IPAM_HOST_PREFIX, end, ecb_ipam_kv, &lc, &rev,
	    err);
	free(end);
	if (rc == -1)
		return -1;
	if (lc.found == NULL)
		return 0;
	if (e != NULL)
		*e = *lc.found;
	else
		ds_entry_free(lc.found);
	free(lc.found);
	return 1;
}

/* By name; among equal names the stored resource before IPAM's. */
static int
ecb_entry_cmp(const void *a, const void *b)
{
	const struct ds_entry	*x = a, *y = b;
	int			 c, xi, yi;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	xi = strncmp(x->src, ETCD_RES_PREFIX, strlen(ETCD_RES_PREFIX)) != 0;
	yi = strncmp(y->src, ETCD_RES_PREFIX, strlen(ETCD_RES_PREFIX)) != 0;
	return xi - yi;
}

/*
 * BlockAffinities stored by tortie and Calico IPAM's own, by name; a
 * name present in both is the stored resource's.
 */
static int
ecb_list_ipam(struct ds *ds, struct ds_entries *out, struct res_errors *bad,
    struct ds_err *err)
{
	struct ecb_list_ctx	 lc;
	char			*end;
	uint64_t		 rev;
	size_t			 i, j;
	int			 rc;

	memset(&lc, 0, sizeof(lc));
	lc.kind = RES_BLOCKAFFINITY;
	lc.out = out;
	lc.bad = bad;
	end = etcd_prefix_end(ETCD_IPAM_HOST_PREFIX);
	rc = ecb_range(ds, ETCD_IPAM_HOST_PREFIX, end, ecb_ipam_kv, &lc, &rev,
	    err);
	free(end);
	if (rc == -1)
		return -1;
	ecb_listed(ds->be, rev);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), ecb_entry_cmp);
	for (i = j = 0; i < out->n; i++) {
		if (j > 0 && strcmp(out->v[j - 1].name, out->v[i].name) == 0) {
			/* The stored one came first (ecb_entry_cmp). */
			ds_entry_free(&out->v[i]);
			continue;
		}
		out->v[j++] = out->v[i];
	}
	out->n = j;
	return 0;
}

/*
 * The ops.
 */

static int
ecb_get(struct ds *ds, enum res_kind kind, const char *name,
    struct ds_entry *e, struct ds_err *err)
{
	struct etcd_range	 r;
	char			*key, *reply, why[128];
	size_t			 len;
	int			 rc;

	memset(e, 0, sizeof(*e));
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_seterr(err, DS_ENOENT, "invalid name: %s", why);
		return -1;
	}
	key = etcd_key(kind, name);
	rc = ecb_call(ds, "/v3/kv/range", etcd_req_range(key, strlen(key),
	    NULL, 0, 0, 0), &reply, &len, err);
	free(key);
	if (rc == -1)
		return -1;
	rc = etcd_parse_range(reply, len, &r, why, sizeof(why));
	free(reply);
	if (rc == -1)
		return ecb_bad_reply(ds, "range", why, err);
	if (r.n == 1)
		rc = ecb_entry(&r.kvs[0], name, e, err);
	else if (kind != RES_BLOCKAFFINITY ||
	    (rc = ecb_ipam_find(ds, name, e, err)) == 0) {
		ds_seterr(err, DS_ENOENT, "resource does not exist");
		rc = -1;
	} else if (rc == 1)
		rc = 0;
	etcd_range_free(&r);
	return rc;
}

static int
ecb_list(struct ds *ds, enum res_kind kind, struct ds_entries *out,
    struct res_errors *bad, struct ds_err *err)
{
	struct ecb_list_ctx	 lc;
	char			*prefix, *end;
	uint64_t		 rev;
	int			 rc;

	memset(out, 0, sizeof(*out));
	memset(&lc, 0, sizeof(lc));
	lc.kind = kind;
	lc.out = out;
	lc.bad = bad;
	prefix = etcd_kind_prefix(kind);
	end = etcd_prefix_end(prefix);
	rc = ecb_range(ds, prefix, end, ecb_list_kv, &lc, &rev, err);
	free(prefix);
	free(end);
	if (rc == 0) {
		ecb_listed(ds->be, rev);
		/* Keys come sorted, and so by name; IPAM ones merge in. */
		if (kind == RES_BLOCKAFFINITY)
			rc = ecb_list_ipam(ds, out, bad, err);
	}
	if (rc == -1)
		ds_entries_free(out);
	return rc;
}

static int
ecb_writable(struct ds *ds, enum res_kind kind, const char *name,
    struct ds_err *err)
{
	char	 why[128], *key;
	int	 rc;

	if (ds->flags & DS_O_RDONLY) {
		ds_seterr(err, DS_EIO, "datastore opened read-only");
		return -1;
	}
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_seterr(err, DS_EINVAL, "invalid name: %s", why);
		return -1;
	}
	if (kind != RES_BLOCKAFFINITY)
		return 0;
	if ((rc = ecb_ipam_find(ds, name, NULL, err)) == -1)
		return -1;
	if (rc == 1) {
		key = etcd_key(kind, name);
		ds_seterr(err, DS_EINVAL, "BlockAffinity %s is Calico IPAM's "
		    "data (under %s): read-only for tortie, not stored at %s",
		    name, ETCD_IPAM_HOST_PREFIX, key);
		free(key);
		return -1;
	}
	return 0;
}

/* The outcome of a conditional write. */
static int
ecb_txn(struct ds *ds, char *body, int create, uint64_t *rev,
    struct ds_err *err)
{
	struct etcd_txn	 t;
	char		*reply, why[128];
	size_t		 len;
	int		 rc;

	if (ecb_call(ds, "/v3/kv/txn", body, &reply, &len, err) == -1)
		return -1;
	rc = etcd_parse_txn(reply, len, &t, why, sizeof(why));
	free(reply);
	if (rc == -1)
		return ecb_bad_reply(ds, "txn", why, err);
	if (t.succeeded) {
		if (rev != NULL)
			*rev = t.rev;
		return 0;
	}
	if (create)
		ds_seterr(err, DS_EEXIST, "resource already exists");
	else if (t.found)
		ds_seterr(err, DS_ECONFLICT, "update conflict");
	else
		ds_seterr(err, DS_ENOENT, "resource does not exist");
	return -1;
}

static int
ecb_put(struct ds *ds, enum res_kind kind, const char *name,
    const struct doc_node *doc, enum ds_put_mode mode,
    const uint64_t *expect, uint64_t *rev, struct ds_err *err)
{
	char	*key, *value, *body;
	size_t	 vlen;

	if (ecb_writable(ds, kind, name, err) == -1)
		return -1;
	if (doc == NULL || doc->type != DOC_MAP) {
		ds_seterr(err, DS_EINVAL, "resource without metadata");
		return -1;
	}
	value = doc_to_json(doc, 0);
	if ((vlen = strlen(value)) > ETCD_MAX_VALUE) {
		ds_seterr(err, DS_EINVAL, "%s %s: larger than %d bytes",
		    res_kind_name(kind), name, ETCD_MAX_VALUE);
		free(value);
		return -1;
	}
	key = etcd_key(kind, name);
	if (mode == DS_PUT_CREATE)
		body = etcd_req_create(key, value, vlen);
	else
		body = etcd_req_update(key, value, vlen, expect);
	free(key);
	free(value);
	return ecb_txn(ds, body, mode == DS_PUT_CREATE, rev, err);
}

static int
ecb_del(struct ds *ds, enum res_kind kind, const char *name,
    const uint64_t *expect, struct ds_err *err)
{
	char	*key, *body;

	if (ecb_writable(ds, kind, name, err) == -1) {
		if (err->code == DS_EINVAL &&
		    ds_name_check(name, NULL, 0) == -1)
			err->code = DS_ENOENT;
		return -1;
	}
	key = etcd_key(kind, name);
	body = etcd_req_delete(key, expect);
	free(key);
	return ecb_txn(ds, body, 0, NULL, err);
}

/* The store's revision: a count-only range returns just the header. */
static int
ecb_revision(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	char	*reply, *end, why[128];
	size_t	 len;
	int	 rc;

	end = etcd_prefix_end(ETCD_RES_PREFIX);
	rc = ecb_call(ds, "/v3/kv/range", etcd_req_range(ETCD_RES_PREFIX,
	    strlen(ETCD_RES_PREFIX), end, 0, 1, 1), &reply, &len, err);
	free(end);
	if (rc == -1)
		return -1;
	rc = etcd_parse_rev(reply, len, rev, why, sizeof(why));
	free(reply);
	return rc == -1 ? ecb_bad_reply(ds, "range", why, err) : 0;
}

/*
 * Watching.
 */

static void
w_state(struct ecb_watch *w, enum ds_etcd_state s, const char *why)
{
	if (w->st.state != s) {
		w->st.state = s;
		w->st.since = time(NULL);
		if (s == DS_ETCD_CONNECTED)
			log_info("etcd %s: watching", w->st.endpoint);
		else if (s == DS_ETCD_UNREACHABLE)
			log_warnx("etcd unreachable: %s", why);
	}
	if (why != NULL)
		strlcpy(w->st.error, why, sizeof(w->st.error));
}

/* Wake the caller: the descriptor becomes readable. */
static void
w_notify(struct ecb_watch *w)
{
	char	 c = 1;

	/* A full pipe already says "changed". */
	if (write(w->pipe[1], &c, 1) == -1 && errno != EAGAIN)
		log_warn("%s", __func__);
}

static void
w_events(struct ecb_watch *w, const struct etcd_wmsg *m)
{
	size_t	 i;

	for (i = 0; i < m->nevents; i++)
		if (etcd_relevant_key(m->keys[i])) {
			w_notify(w);
			break;
		}
	if (m->last_mod_rev >= w->next)
		w->next = m->last_mod_rev + 1;
}

/* Start over from now and report a change (compaction, lost history). */
static void
w_relist(struct ecb_watch *w, const char *why)
{
	log_info("etcd watch: %s: re-listing", why);
	w->next = 0;
	w->report = 1;
	w->fails = 0;
	w_lost(w, NULL);
}

static void
w_created(struct ecb_watch *w, const struct etcd_wmsg *m)
{
	if (w->next == 0)
		w->next = m->rev + 1;
	else if (m->rev + 1 < w->next) {
		/* The store is behind what we saw: restored from a backup. */
		w_relist(w, "etcd revision went backwards");
		return;
	}
	w->fails = 0;
	w_state(w, DS_ETCD_CONNECTED, NULL);
	w->st.error[0] = '\0';
	if (w->report) {
		w->report = 0;
		w_notify(w);
	}
	evtimer_del(w->probe_ev);
	evt_after_ms(w->probe_ev, ECB_PROBE_MS);
}

static void
w_msg(void *arg, const char *buf, size_t len)
{
	struct ecb_watch	*w = arg;
	struct etcd_wmsg	 m;
	char			 why[300];

	if (w->lost)
		return;
	if (etcd_parse_wmsg(buf, len, &m) == -1) {
		w_lost(w, m.msg);
		return;
	}
	if (m.rev > w->st.revision)
		w->st.revision = m.rev;
	if (m.is_error)
		w_lost(w, m.msg);
	else if (m.watch_id != 0)
		w_lost(w, "watch: unknown watch id");
	else if (m.canceled && m.compact_rev != 0)
		w_relist(w, "history compacted");
	else if (m.canceled) {
		snprintf(why, sizeof(why), "watch canceled: %s", m.msg[0] ?
		    m.msg : "no reason given");
		w_lost(w, why);
	} else if (m.created)
		w_created(w, &m);
	else if (m.nevents > 0)
		w_events(w, &m);
	else if (m.rev >= w->next && w->st.state == DS_ETCD_CONNECTED)
		w->next = m.rev + 1;	/* progress notification */
	etcd_wmsg_free(&m);
}

static void
w_done(void *arg, int status, const char *body, size_t len, const char *err)
{
	struct ecb_watch	*w = arg;
	char			 why[300];

	if (err != NULL)
		snprintf(why, sizeof(why), "%s", err);
	else
		etcd_error_text(status, body, len, why, sizeof(why));
	w_lost(w, why);
}

/* Back-off: none while other endpoints are untried, then doubling. */
static uint64_t
w_delay(struct ecb_watch *w)
{
	size_t		 n = etcd_endpoint_count(w->eb->c);
	uint64_t	 ms;
	unsigned int	 rounds;

	if (w->fails < n)
		return w->fails == 0 ? 0 : 100;
	rounds = w->fails / (unsigned int)n;
	ms = (uint64_t)ECB_BACKOFF_MIN_MS << (rounds > 7 ? 7 : rounds);
	if (ms > ECB_BACKOFF_MAX_MS)
		ms = ECB_BACKOFF_MAX_MS;
	/* Jitter, so that many nodes do not retry in step. */
	return ms - ms / 4 + arc4random_uniform((uint32_t)(ms / 2) + 1);
}

/*
 * The stream is gone (or about to be): retry later from a timer, since
 * this may run inside the stream's own callbacks.  why NULL: a restart
 * we asked for, not a failure.
 */
static void
w_lost(struct ecb_watch *w, const char *why)
{
	if (w->lost)
		return;
	w->lost = 1;
	evtimer_del(w->probe_ev);
	if (why != NULL) {
		log_debug("etcd %s: watch: %s", w->st.endpoint, why);
		if (w->st.state != DS_ETCD_CONNECTED)
			w_state(w, DS_ETCD_UNREACHABLE, why);
		else
			w_state(w, DS_ETCD_CONNECTING, why);
		w->fails++;
		w->ep = (w->ep + 1) % etcd_endpoint_count(w->eb->c);
	}
	evt_after_ms(w->retry_ev, why == NULL ? 0 : w_delay(w));
}

static void
w_retry_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	w_connect(arg);
}

/* Open the stream, with each watch from where it stopped. */
static void
w_connect(struct ecb_watch *w)
{
	struct etcd_areq_cb	 cb;
	char			*body, err[256];

	etcd_areq_free(w->stream);
	etcd_areq_free(w->probe);
	w->stream = w->probe = NULL;
	w->lost = 0;
	strlcpy(w->st.endpoint, etcd_endpoint_url(w->eb->c, w->ep),
	    sizeof(w->st.endpoint));
	if (w->st.state == DS_ETCD_IDLE)
		w_state(w, DS_ETCD_CONNECTING, NULL);
	memset(&cb, 0, sizeof(cb));
	cb.msg = w_msg;
	cb.done = w_done;
	cb.arg = w;
	body = etcd_req_watch(w->key, w->end, w->next);
	w->stream = etcd_areq_start(w->eb->c, w->base, w->ep, "/v3/watch",
	    body, 1, &cb, err, sizeof(err));
	free(body);
	if (w->stream == NULL)
		w_lost(w, err);
}

static void
w_probe_done(void *arg, int status, const char *body, size_t len,
    const char *err)
{
	struct ecb_watch	*w = arg;
	char			 why[300];
	uint64_t		 rev;

	if (status == 200 && etcd_parse_rev(body, len, &rev, why,
	    sizeof(why)) == 0) {
		evt_after_ms(w->probe_ev, ECB_PROBE_MS);
		return;
	}
	if (err == NULL && status != 200)
		etcd_error_text(status, body, len, why, sizeof(why));
	else if (err != NULL)
		strlcpy(why, err, sizeof(why));
	log_warnx("etcd %s: health check: %s", w->st.endpoint, why);
	w_lost(w, why);
}

/* A linearizable read: it needs the member to be part of the quorum. */
static void
w_probe_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ecb_watch	*w = arg;
	struct etcd_areq_cb	 cb;
	char			*body, err[256];

	(void)fd;
	(void)ev;
	etcd_areq_free(w->probe);
	memset(&cb, 0, sizeof(cb));
	cb.done = w_probe_done;
	cb.arg = w;
	body = etcd_req_range(ETCD_RES_PREFIX, strlen(ETCD_RES_PREFIX), NULL,
	    0, 1, 1);
	w->probe = etcd_areq_start(w->eb->c, w->base, w->ep, "/v3/kv/range",
	    body, 0, &cb, err, sizeof(err));
	free(body);
	if (w->probe == NULL)
		w_lost(w, err);
}

static void
w_free(struct ecb_watch *w)
{
	if (w == NULL)
		return;
	etcd_areq_free(w->stream);
	etcd_areq_free(w->probe);
	if (w->retry_ev != NULL)
		event_free(w->retry_ev);
	if (w->probe_ev != NULL)
		event_free(w->probe_ev);
	free(w->key);
	free(w->end);
	if (w->pipe[0] != -1)
		close(w->pipe[0]);
	if (w->pipe[1] != -1)
		close(w->pipe[1]);
	free(w);
}

static int
ecb_watch_start(struct ds *ds, struct ds_err *err)
{
	struct ecb		*eb = ds->be;
	struct ecb_watch	*w;

	if (eb->w != NULL)
		return 0;
	if (eb->base == NULL) {
		ds_seterr(err, DS_EIO, "the etcdv3 watch needs an event loop "
		    "(ds_etcd_watch_base)");
		return -1;
	}
	w = xcalloc(1, sizeof(*w));
	w->eb = eb;
	w->base = eb->base;
	w->pipe[0] = w->pipe[1] = -1;
	if (pipe2(w->pipe, O_NONBLOCK | O_CLOEXEC) == -1) {
		ds_seterr(err, DS_EIO, "pipe: %s", strerror(errno));
		w_free(w);
		return -1;
	}
	if ((w->retry_ev = evtimer_new(w->base, w_retry_cb, w)) == NULL ||
	    (w->probe_ev = evtimer_new(w->base, w_probe_cb, w)) == NULL)
		fatalx("%s: evtimer_new", __func__);
	etcd_watch_range(&w->key, &w->end);
	w->next = eb->list_rev_min != 0 ? eb->list_rev_min + 1 : 0;
	w->report = eb->list_rev_min == 0;
	w->ep = etcd_endpoint_current(eb->c);
	eb->w = w;
	w_connect(w);
	return 0;
}

static int
ecb_watch_fd(struct ds *ds)
{
	struct ecb	*eb = ds->be;

	return eb->w != NULL ? eb->w->pipe[0] : -1;
}

static int
ecb_watch_drain(struct ds *ds)
{
	struct ecb	*eb = ds->be;
	char		 buf[64];
	ssize_t		 n;
	int		 changed = 0;

	if (eb->w == NULL)
		return -1;
	while ((n = read(eb->w->pipe[0], buf, sizeof(buf))) > 0)
		changed = 1;
	return changed;
}

static void
ecb_close(struct ds *ds)
{
	struct ecb	*eb = ds->be;

	if (eb == NULL)
		return;
	w_free(eb->w);
	etcd_client_free(eb->c);
	free(eb);
	ds->be = NULL;
}

/*
 * Opening.
 */

struct ds *
ds_open_etcd(const struct ds_etcd_conf *conf, int flags, struct ds_err *err)
{
	struct ecb	*eb;
	struct ds	*ds;
	char		 msg[DS_ERRLEN];

	eb = xcalloc(1, sizeof(*eb));
	eb->c = etcd_client_new(conf->endpoints, conf->nendpoints,
	    conf->ca_file, conf->cert_file, conf->key_file, conf->timeout_ms,
	    conf->confined, msg, sizeof(msg));
	if (eb->c == NULL) {
		ds_seterr(err, DS_EINVAL, "etcdv3: %s", msg);
		free(eb);
		return NULL;
	}
	ds = xcalloc(1, sizeof(*ds));
	ds->ops = &ecb_ops;
	ds->be = eb;
	ds->flags = flags;
	return ds;
}

/* ds_open("etcdv3", "url[,url...]"): plain endpoints, system CAs. */
struct ds *
ds_open_etcd_urls(const char *urls, int flags, struct ds_err *err)
{
	struct ds_etcd_conf	 conf;
	struct ds		*ds;
	char			*copy, *p, *tok;

	memset(&conf, 0, sizeof(conf));
	if (urls == NULL) {
		ds_seterr(err, DS_EINVAL, "etcdv3: no endpoints");
		return NULL;
	}
	p = copy = xstrdup(urls);
	while ((tok = strsep(&p, ",")) != NULL) {
		if (*tok == '\0')
			continue;
		if (conf.nendpoints == DS_ETCD_MAX_ENDPOINTS) {
			ds_seterr(err, DS_EINVAL, "etcdv3: more than %d "
			    "endpoints", DS_ETCD_MAX_ENDPOINTS);
			free(copy);
			return NULL;
		}
		conf.endpoints[conf.nendpoints++] = tok;
	}
	ds = ds_open_etcd(&conf, flags, err);
	free(copy);
	return ds;
}

/* The datastore that tortie.yaml's datastore section describes. */
struct ds *
ds_open_dconf(const struct dconf *dc, int flags, struct ds_err *err)
{
	struct ds_etcd_conf	 conf;
	int			 i;

	if (dc->ds_type == NULL || strcmp(dc->ds_type, "etcdv3") != 0)
		return ds_open(dc->ds_type, dc->ds_path, flags, err);
	memset(&conf, 0, sizeof(conf));
	if (dc->ds_nendpoints > DS_ETCD_MAX_ENDPOINTS) {
		ds_seterr(err, DS_EINVAL, "etcdv3: more than %d endpoints",
		    DS_ETCD_MAX_ENDPOINTS);
		return NULL;
	}
	for (i = 0; i < dc->ds_nendpoints; i++)
		conf.endpoints[i] = dc->ds_endpoints[i];
	conf.nendpoints = dc->ds_nendpoints;
	conf.ca_file = dc->ds_ca_file;
	conf.cert_file = dc->ds_cert_file;
	conf.key_file = dc->ds_key_file;
	return ds_open_etcd(&conf, flags, err);
}

/*
 * The caller's event loop for the watch (tortied: its own base, before
 * ds_watch_start()).  Other backends need none: 0 and nothing done.
 */
int
ds_etcd_watch_base(struct ds *ds, struct event_base *base)
{
	struct ecb	*eb;

	if (ds == NULL || ds->ops != &ecb_ops)
		return 0;
	eb = ds->be;
	if (eb->w != NULL && eb->base != base) {
		w_free(eb->w);
		eb->w = NULL;
	}
	eb->base = base;
	return 0;
}

/* The watch's state; -1 for other backends. */
int
ds_etcd_status(struct ds *ds, struct ds_etcd_status *st)
{
	struct ecb	*eb;

	if (ds == NULL || ds->ops != &ecb_ops)
		return -1;
	eb = ds->be;
	if (eb->w != NULL) {
		*st = eb->w->st;
		return 0;
	}
	memset(st, 0, sizeof(*st));
	st->state = DS_ETCD_IDLE;
	strlcpy(st->endpoint, etcd_endpoint_url(eb->c,
	    etcd_endpoint_current(eb->c)), sizeof(st->endpoint));
	return 0;
}

/*
 * The state as a line for status output: "connected to URL since TIME",
 * "unreachable since TIME: why", "connecting to URL", "not watching".
 */
int
ds_etcd_status_str(struct ds *ds, char *buf, size_t len)
{
	struct ds_etcd_status	 st;
	struct tm		 tm;
	char			 ts[32];

	if (ds_etcd_status(ds, &st) == -1)
		return -1;
	ts[0] = '\0';
	if (st.since != 0 && gmtime_r(&st.since, &tm) != NULL)
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	switch (st.state) {
	case DS_ETCD_IDLE:
		snprintf(buf, len, "not watching (%s)", st.endpoint);
		break;
	case DS_ETCD_CONNECTING:
		snprintf(buf, len, "connecting to %s", st.endpoint);
		break;
	case DS_ETCD_CONNECTED:
		snprintf(buf, len, "connected to %s since %s", st.endpoint,
		    ts);
		break;
	case DS_ETCD_UNREACHABLE:
		snprintf(buf, len, "unreachable since %s: %s", ts, st.error);
		break;
	}
	return 0;
}
