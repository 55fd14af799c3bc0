/*
 * The datastore's typed layer: validation, metadata (uid,
 * creationTimestamp, resourceVersion) and Calico's create/update/apply/
 * delete semantics on top of any backend (datastore.h).
 */
#include <sys/types.h>

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "doc.h"
#include "log.h"
#include "resource.h"
#include "util.h"

/* "<name>.yaml" must fit in a file name. */
#define DS_NAME_MAX	(NAME_MAX - 5)

static int	 ds_decode(enum res_kind, struct ds_entry *,
		    struct resource *, struct res_errors *);
static int	 ds_first_error(struct ds_err *, struct res_errors *);
static void	 ds_meta_set(char **, const char *);
static void	 ds_std_error(struct ds_err *, enum res_kind, const char *);
static void	 ds_rev_str(uint64_t, char *, size_t);
static struct doc_node *ds_encode_checked(const struct resource *,
		    struct ds_err *);
static int	 ds_update_once(struct ds *, struct resource *, int,
		    struct ds_err *);

/*
 * Errors.
 */

void
ds_seterr(struct ds_err *err, enum ds_errcode code, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* Append a message, keeping at most RES_MAX_ERRORS as resource.c does. */
void
ds_errors_add(struct res_errors *e, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (e == NULL)
		return;
	if (e->n >= RES_MAX_ERRORS) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("%s", __func__);
	va_end(ap);
	e->msgs = xreallocarray(e->msgs, e->n + 1, sizeof(*e->msgs));
	e->msgs[e->n++] = msg;
}

/* Calico's identifier of a resource: "BGPPeer(rack1-tor)". */
void
ds_ident(enum res_kind kind, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s(%s)", res_kind_name(kind), name);
}

/* The messages calicoctl prints for the errors every backend shares. */
static void
ds_std_error(struct ds_err *err, enum res_kind kind, const char *name)
{
	char	 id[RES_NAME_MAX + 64];

	ds_ident(kind, name, id, sizeof(id));
	switch (err->code) {
	case DS_ENOENT:
		ds_seterr(err, DS_ENOENT, "resource does not exist: %s with "
		    "error: <nil>", id);
		break;
	case DS_EEXIST:
		ds_seterr(err, DS_EEXIST, "resource already exists: %s", id);
		break;
	case DS_ECONFLICT:
		ds_seterr(err, DS_ECONFLICT, "update conflict: %s", id);
		break;
	default:
		break;
	}
}

/* The first message of errs as a DS_EINVAL error ("and N more"). */
static int
ds_first_error(struct ds_err *err, struct res_errors *errs)
{
	size_t	 more = errs->n + errs->dropped;

	if (errs->n == 0)
		ds_seterr(err, DS_EINVAL, "invalid resource");
	else if (more > 1)
		ds_seterr(err, DS_EINVAL, "%s (and %zu more errors)",
		    errs->msgs[0], more - 1);
	else
		ds_seterr(err, DS_EINVAL, "%s", errs->msgs[0]);
	return -1;
}

/*
 * Names and metadata.
 */

/*
 * A name that may become a file name: a DNS-1123 subdomain (lower-case
 * letters, digits, '-' and '.', alphanumeric at both ends of every
 * label), so no '/', no "..", no leading dot; at most DS_NAME_MAX bytes.
 */
int
ds_name_check(const char *name, char *why, size_t len)
{
	size_t	 i, n;
	int	 start = 1;

	if (name == NULL || (n = strlen(name)) == 0) {
		snprintf(why, len, "empty name");
		return -1;
	}
	if (n > DS_NAME_MAX) {
		snprintf(why, len, "longer than %d characters", DS_NAME_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (name[i] == '.') {
			if (start || name[i - 1] == '-')
				goto bad;
			start = 1;
			continue;
		}
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			goto bad;
		if (start && name[i] == '-')
			goto bad;
		start = 0;
	}
	if (start || name[n - 1] == '-')
		goto bad;
	return 0;
bad:
	snprintf(why, len, "'%.64s%s' is not a DNS-1123 subdomain "
	    "(lower-case letters, digits, '-' and '.', starting and ending "
	    "with a letter or digit)", name, n > 64 ? "..." : "");
	return -1;
}

/* A random (version 4) UUID, as Kubernetes generates for metadata.uid. */
int
ds_uuid(char *buf, size_t len)
{
	uint8_t	 u[16];
	int	 n;

	arc4random_buf(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	n = snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
	    u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
	    u[14], u[15]);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Now in RFC 3339, UTC, whole seconds (metav1.Time). */
void
ds_timestamp(char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
ds_meta_set(char **field, const char *v)
{
	free(*field);
	*field = v != NULL ? xstrdup(v) : NULL;
}

static void
ds_rev_str(uint64_t rev, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, rev);
}

/* A metadata string of a stored document, or NULL. */
static const char *
ds_doc_meta(const struct doc_node *doc, const char *key)
{
	const struct doc_node	*n;

	n = doc_map_get(doc_map_get(doc, "metadata"), key);
	return n != NULL && n->type == DOC_STRING && n->raw[0] != '\0' ?
	    n->raw : NULL;
}

/*
 * Entries.
 */

void
ds_entry_free(struct ds_entry *e)
{
	free(e->name);
	free(e->src);
	doc_free(e->doc);
	memset(e, 0, sizeof(*e));
}

void
ds_entries_free(struct ds_entries *es)
{
	size_t	 i;

	for (i = 0; i < es->n; i++)
		ds_entry_free(&es->v[i]);
	free(es->v);
	es->v = NULL;
	es->n = 0;
}

/*
 * Decode a stored entry of kind into out, with metadata.resourceVersion
 * from the backend's revision.  What is stored must be exactly one
 * resource of the kind its place says, with the name its place says.
 */
static int
ds_decode(enum res_kind kind, struct ds_entry *e, struct resource *out,
    struct res_errors *errs)
{
	struct res_list		 l;
	struct doc_node		*meta;
	char			 rev[32];
	int			 rc = -1;

	memset(&l, 0, sizeof(l));
	meta = doc_map_get(e->doc, "metadata");
	if (meta != NULL && meta->type == DOC_MAP) {
		doc_map_remove(meta, "resourceVersion");
		if (e->rev != 0) {
			ds_rev_str(e->rev, rev, sizeof(rev));
			doc_map_set(meta, "resourceVersion",
			    doc_new_string(rev));
		}
	}
	if (res_decode(e->doc, e->src, &l, errs) == -1)
		goto done;
	if (l.n != 1) {
		ds_errors_add(errs, "%s:%d:%d: expected one %s resource, found "
		    "%zu", e->src, e->doc->line, e->doc->col,
		    res_kind_name(kind), l.n);
		goto done;
	}
	if (l.items[0].kind != kind) {
		ds_errors_add(errs, "%s:%d:%d: %s %s: a %s is stored in %s/, "
		    "not %s/", e->src, e->doc->line, e->doc->col,
		    res_kind_name(l.items[0].kind), res_name(&l.items[0]),
		    res_kind_name(l.items[0].kind),
		    res_kind_plural(l.items[0].kind), res_kind_plural(kind));
		goto done;
	}
	if (strcmp(res_name(&l.items[0]), e->name) != 0) {
		ds_errors_add(errs, "%s:%d:%d: %s %s: metadata.name does not "
		    "match the name it is stored under (%s)", e->src,
		    e->doc->line, e->doc->col, res_kind_name(kind),
		    res_name(&l.items[0]), e->name);
		goto done;
	}
	*out = l.items[0];
	l.n = 0;
	rc = 0;
done:
	res_list_free(&l);
	return rc;
}

/*
 * Encode r for storage, without resourceVersion, and check that the
 * result decodes back without error: whatever is written must be what a
 * reader accepts, even when r was built in code rather than parsed.
 */
static struct doc_node *
ds_encode_checked(const struct resource *r, struct ds_err *err)
{
	struct res_list		 l;
	struct res_errors	 errs;
	struct doc_node		*doc, *meta;
	char			 src[RES_NAME_MAX + 64];

	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	doc = res_encode(r);
	if ((meta = doc_map_get(doc, "metadata")) != NULL)
		doc_map_remove(meta, "resourceVersion");
	snprintf(src, sizeof(src), "%s/%s", res_kind_plural(r->kind),
	    res_name(r));
	if (res_decode(doc, src, &l, &errs) == -1 || l.n != 1) {
		ds_first_error(err, &errs);
		doc_free(doc);
		doc = NULL;
	}
	res_list_free(&l);
	res_errors_free(&errs);
	return doc;
}

/*
 * Opening.
 */

/*
 * Open a datastore by type ("file" or NULL, "etcdv3") and location (the
 * directory; for etcd comma-separated endpoint URLs: TLS files and the
 * rest of tortie.yaml's settings need ds_open_dconf()).
 */
struct ds *
ds_open(const char *type, const char *path, int flags, struct ds_err *err)
{
	if (type == NULL || strcmp(type, "file") == 0)
		return ds_open_file(path, flags, err);
	if (strcmp(type, "etcdv3") == 0)
		return ds_open_etcd_urls(path, flags, err);
	ds_seterr(err, DS_EINVAL, "datastore type %s is not supported",
	    type);
	return NULL;
}

void
ds_close(struct ds *ds)
{
	if (ds == NULL)
		return;
	ds->ops->close(ds);
	free(ds);
}

/*
 * Reading.
 */

/* The resource kind/name, validated, into out (to be res_free()d). */
int
ds_get(struct ds *ds, enum res_kind kind, const char *name,
    struct resource *out, struct ds_err *err)
{
	struct ds_entry		 e;
	struct res_errors	 errs;
	char			 why[128];
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		/* Nothing can be stored under a bad name. */
		err->code = DS_ENOENT;
		ds_std_error(err, kind, name);
		return -1;
	}
	if (ds->ops->get(ds, kind, name, &e, err) == -1) {
		ds_std_error(err, kind, name);
		return -1;
	}
	memset(&errs, 0, sizeof(errs));
	if ((rc = ds_decode(kind, &e, out, &errs)) == -1)
		ds_first_error(err, &errs);
	res_errors_free(&errs);
	ds_entry_free(&e);
	return rc;
}

/*
 * Every valid resource of a kind, sorted by name, appended to out; bad
 * ones are reported in bad and skipped.  *rev gets the store's revision
 * (rev may be NULL).  -1 only if the kind could not be listed at all.
 */
int
ds_list(struct ds *ds, enum res_kind kind, struct res_list *out,
    uint64_t *rev, struct res_errors *bad, struct ds_err *err)
{
	struct ds_entries	 es;
	struct resource		 r;
	size_t			 i;

	if (rev != NULL && ds->ops->revision(ds, rev, err) == -1)
		return -1;
	if (ds->ops->list(ds, kind, &es, bad, err) == -1)
		return -1;
	for (i = 0; i < es.n; i++) {
		if (ds_decode(kind, &es.v[i], &r, bad) == -1)
			continue;
		out->items = xreallocarray(out->items, out->n + 1,
		    sizeof(*out->items));
		out->items[out->n++] = r;
	}
	ds_entries_free(&es);
	return 0;
}

/*
 * Load every resource of every kind into set (which the caller has
 * initialised).  A bad file is reported in bad ("path:line:col: why")
 * and skipped, the rest is loaded: whether to go on with a partial set
 * or keep the last good one is the caller's decision.  -1 only when the
 * datastore cannot be read at all.
 */
int
ds_load(struct ds *ds, struct res_set *set, struct res_errors *bad,
    struct ds_err *err)
{
	struct res_list	 l;
	int		 k;

	for (k = 0; k < RES_NKINDS; k++) {
		memset(&l, 0, sizeof(l));
		if (ds_list(ds, (enum res_kind)k, &l, NULL, bad, err) == -1) {
			res_list_free(&l);
			return -1;
		}
		/* Names are unique per kind: one file per name. */
		res_set_add_list(set, &l, 0, bad);
	}
	return 0;
}

/*
 * Writing.
 */

/*
 * Create r: its name must be free.  Like Calico, a resourceVersion in
 * the input is an error; uid and creationTimestamp are generated (any in
 * the input are replaced).  On success r carries the stored metadata.
 */
int
ds_create(struct ds *ds, struct resource *r, struct ds_err *err)
{
	struct res_meta	*m = res_meta(r);
	struct doc_node	*doc;
	char		 uid[40], ts[32], rev[32], why[128];
	uint64_t	 newrev;
	int		 rc;

	if (m->resource_version != NULL) {
		ds_seterr(err, DS_EINVAL, "error with field "
		    "Metadata.ResourceVersion = '%s' (field must not be set "
		    "for a Create request)", m->resource_version);
		return -1;
	}
	if (ds_name_check(res_name(r), why, sizeof(why)) == -1) {
		ds_seterr(err, DS_EINVAL, "error with field Metadata.Name = "
		    "'%s' (%s)", res_name(r), why);
		return -1;
	}
	ds_uuid(uid, sizeof(uid));
	ds_timestamp(ts, sizeof(ts));
	ds_meta_set(&m->uid, uid);
	ds_meta_set(&m->creation_timestamp, ts);
	if ((doc = ds_encode_checked(r, err)) == NULL)
		return -1;
	rc = ds->ops->put(ds, r->kind, res_name(r), doc, DS_PUT_CREATE, NULL,
	    &newrev, err);
	doc_free(doc);
	if (rc == -1) {
		ds_std_error(err, r->kind, res_name(r));
		return -1;
	}
	ds_rev_str(newrev, rev, sizeof(rev));
	ds_meta_set(&m->resource_version, rev);
	return 0;
}

/*
 * One update attempt.  The stored resource gives uid and
 * creationTimestamp (kept) and the revision the write is conditional on;
 * with a resourceVersion in r (given) it must be the stored one.  A
 * stored file that no longer parses can only be overwritten without a
 * resourceVersion: that is how an operator repairs it.
 */
static int
ds_update_once(struct ds *ds, struct resource *r, int given,
    struct ds_err *err)
{
	struct res_meta	*m = res_meta(r);
	struct ds_entry	 e;
	struct doc_node	*doc = NULL;
	char		 rev[32], uid[40], ts[32];
	uint64_t	 newrev;
	const uint64_t	*expect = NULL;
	int		 rc = -1;

	memset(&e, 0, sizeof(e));
	if (ds->ops->get(ds, r->kind, res_name(r), &e, err) == -1) {
		if (err->code != DS_EINVAL || given)
			goto done;
		ds_uuid(uid, sizeof(uid));
		ds_timestamp(ts, sizeof(ts));
		ds_meta_set(&m->uid, uid);
		ds_meta_set(&m->creation_timestamp, ts);
	} else {
		ds_rev_str(e.rev, rev, sizeof(rev));
		if (given && (e.rev == 0 ||
		    strcmp(m->resource_version, rev) != 0)) {
			err->code = DS_ECONFLICT;
			goto done;
		}
		ds_meta_set(&m->uid, ds_doc_meta(e.doc, "uid"));
		ds_meta_set(&m->creation_timestamp,
		    ds_doc_meta(e.doc, "creationTimestamp"));
		expect = &e.rev;
	}
	if ((doc = ds_encode_checked(r, err)) == NULL)
		goto done;
	rc = ds->ops->put(ds, r->kind, res_name(r), doc, DS_PUT_UPDATE,
	    expect, &newrev, err);
	if (rc == 0) {
		ds_rev_str(newrev, rev, sizeof(rev));
		ds_meta_set(&m->resource_version, rev);
	}
done:
	doc_free(doc);
	ds_entry_free(&e);
	return rc;
}

/*
 * Update r, which must exist; spec, labels and annotations come from r,
 * uid and creationTimestamp stay as stored.  With a resourceVersion in r
 * a stale one is an "update conflict"; without one the stored version is
 * read and the write retried on a concurrent change, up to
 * DS_UPDATE_RETRIES times, as calicoctl does.
 */
int
ds_update(struct ds *ds, struct resource *r, struct ds_err *err)
{
	struct res_meta	*m = res_meta(r);
	char		 why[128];
	int		 i, given = m->resource_version != NULL;

	if (ds_name_check(res_name(r), why, sizeof(why)) == -1) {
		err->code = DS_ENOENT;
		ds_std_error(err, r->kind, res_name(r));
		return -1;
	}
	for (i = 0; i < DS_UPDATE_RETRIES; i++) {
		if (ds_update_once(ds, r, given, err) == 0)
			return 0;
		if (err->code != DS_ECONFLICT || given)
			break;
	}
	ds_std_error(err, r->kind, res_name(r));
	return -1;
}

/*
 * Create, or update if it exists (calicoctl apply): the create ignores
 * resourceVersion, the update honours it.
 */
int
ds_apply(struct ds *ds, struct resource *r, struct ds_err *err)
{
	struct res_meta	*m = res_meta(r);
	char		*rv = m->resource_version;
	int		 rc;

	m->resource_version = NULL;
	rc = ds_create(ds, r, err);
	if (rc == 0 || err->code != DS_EEXIST) {
		free(rv);
		return rc;
	}
	free(m->resource_version);
	m->resource_version = rv;
	return ds_update(ds, r, err);
}

/* Delete kind/name; with rv (may be NULL) only if it is still current. */
int
ds_delete(struct ds *ds, enum res_kind kind, const char *name,
    const char *rv, struct ds_err *err)
{
	struct ds_entry	 e;
	char		 why[128], cur[32];
	uint64_t	 expect;
	int		 rc;

	if (ds_name_check(name, why, sizeof(why)) == -1) {
		err->code = DS_ENOENT;
		ds_std_error(err, kind, name);
		return -1;
	}
	if (rv == NULL)
		rc = ds->ops->del(ds, kind, name, NULL, err);
	else {
		/* The revision is compared as the string it is shown as. */
		if (ds->ops->get(ds, kind, name, &e, err) == -1) {
			if (err->code != DS_EINVAL)
				goto fail;
			e.rev = 0;
		}
		expect = e.rev;
		ds_rev_str(expect, cur, sizeof(cur));
		ds_entry_free(&e);
		if (expect == 0 || strcmp(rv, cur) != 0) {
			err->code = DS_ECONFLICT;
			goto fail;
		}
		rc = ds->ops->del(ds, kind, name, &expect, err);
	}
	if (rc == 0)
		return 0;
fail:
	ds_std_error(err, kind, name);
	return -1;
}

/*
 * Watching.  ds_watch_start() begins watching; ds_watch_fd() is a
 * descriptor that becomes readable when the datastore may have changed
 * (add it to the event loop, EV_READ | EV_PERSIST); ds_watch_drain()
 * reads what is pending and returns 1 if resources may have changed, 0
 * if not, -1 on error.  One change of N resources can make the
 * descriptor readable up to N times: coalescing a burst (for example a
 * short timer restarted on every change, reloading when it fires) is the
 * caller's job, and so is reloading everything, since the watch says
 * that something changed, not what.
 */
int
ds_watch_start(struct ds *ds, struct ds_err *err)
{
	if (ds->ops->watch_start == NULL) {
		ds_seterr(err, DS_EIO, "the %s datastore cannot be watched",
		    ds->ops->name);
		return -1;
	}
	return ds->ops->watch_start(ds, err);
}

int
ds_watch_fd(struct ds *ds)
{
	return ds->ops->watch_fd != NULL ? ds->ops->watch_fd(ds) : -1;
}

int
ds_watch_drain(struct ds *ds)
{
	return ds->ops->watch_drain != NULL ? ds->ops->watch_drain(ds) : -1;
}
