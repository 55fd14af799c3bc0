/*
 * A datastore that never writes: the backend of tortiectl's --dry-run.
 *
 * ctl_overlay_open() reads every entry of every kind from a real
 * datastore once (a snapshot) and returns a struct ds whose reads come
 * from that snapshot and whose writes change only the snapshot, in
 * memory.  The resource verbs run on it unchanged, through datastore.c's
 * ds_create/ds_update/ds_apply/ds_delete, so a dry run goes through the
 * same decoding, patching, labelling, validation and existence and
 * conflict checks as the real command; ds_load() on the overlay then
 * gives the resources as they would be afterwards.
 *
 * The existence and revision rules are the file backend's: a create of
 * an existing name is DS_EEXIST, an update or delete of a missing one
 * DS_ENOENT, a stale expected revision DS_ECONFLICT.  A name absent from
 * the snapshot is looked up in the real datastore, so that a stored file
 * that does not parse (left out of the snapshot by list) behaves as it
 * would for the real command.  Revisions handed out continue from the
 * real datastore's counter; they are never stored anywhere.
 *
 * The real datastore should be opened with DS_O_RDONLY: the overlay
 * never calls its put or del, and the flag makes sure of it.  It may be
 * NULL for a datastore that does not exist yet (an empty one).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "datastore.h"
#include "util.h"

/* One stored resource; doc NULL means deleted in the overlay. */
struct ov_entry {
	char		*name;
	char		*src;
	uint64_t	 rev;
	struct doc_node	*doc;
};

struct ov_kind {
	struct ov_entry	*v;		/* sorted by name */
	size_t		 n;
};

struct ov {
	struct ds	*under;
	struct ov_kind	 kinds[RES_NKINDS];
	uint64_t	 rev;		/* the last revision handed out */
};

static int	 ov_get(struct ds *, enum res_kind, const char *,
		    struct ds_entry *, struct ds_err *);
static int	 ov_list(struct ds *, enum res_kind, struct ds_entries *,
		    struct res_errors *, struct ds_err *);
static int	 ov_put(struct ds *, enum res_kind, const char *,
		    const struct doc_node *, enum ds_put_mode, const uint64_t *,
		    uint64_t *, struct ds_err *);
static int	 ov_del(struct ds *, enum res_kind, const char *,
		    const uint64_t *, struct ds_err *);
static int	 ov_revision(struct ds *, uint64_t *, struct ds_err *);
static int	 ov_watch_fd(struct ds *);
static int	 ov_watch_drain(struct ds *);
static void	 ov_close(struct ds *);

static const struct ds_ops ov_ops = {
	.name = "dry run",
	.get = ov_get,
	.list = ov_list,
	.put = ov_put,
	.del = ov_del,
	.revision = ov_revision,
	.watch_start = NULL,
	.watch_fd = ov_watch_fd,
	.watch_drain = ov_watch_drain,
	.close = ov_close,
};

/* Where name is in k, or where it would go (*found 0). */
static size_t
ov_find(const struct ov_kind *k, const char *name, int *found)
{
	size_t	 lo = 0, hi = k->n, mid;
	int	 c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(k->v[mid].name, name)) == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
ov_entry_copy(const struct ov_entry *from, const char *name,
    struct ds_entry *to)
{
	to->name = xstrdup(name);
	to->src = xstrdup(from->src);
	to->rev = from->rev;
	to->doc = doc_copy(from->doc);
}

static int
ov_get(struct ds *ds, enum res_kind kind, const char *name,
    struct ds_entry *e, struct ds_err *err)
{
	struct ov	*ov = ds->be;
	struct ov_kind	*k = &ov->kinds[kind];
	size_t		 i;
	int		 found;

	memset(e, 0, sizeof(*e));
	i = ov_find(k, name, &found);
	if (found && k->v[i].doc != NULL) {
		ov_entry_copy(&k->v[i], name, e);
		return 0;
	}
	if (!found && ov->under != NULL)
		return ov->under->ops->get(ov->under, kind, name, e, err);
	ds_seterr(err, DS_ENOENT, "resource does not exist");
	return -1;
}

static int
ov_list(struct ds *ds, enum res_kind kind, struct ds_entries *es,
    struct res_errors *bad, struct ds_err *err)
{
	struct ov	*ov = ds->be;
	struct ov_kind	*k = &ov->kinds[kind];
	size_t		 i;

	(void)bad;
	(void)err;
	memset(es, 0, sizeof(*es));
	es->v = xcalloc(k->n + 1, sizeof(*es->v));
	for (i = 0; i < k->n; i++)
		if (k->v[i].doc != NULL)
			ov_entry_copy(&k->v[i], k->v[i].name, &es->v[es->n++]);
	return 0;
}

/*
 * Whether kind/name exists now and at which revision.  A name the
 * snapshot does not hold is asked of the real datastore: one that is
 * stored but does not parse exists with revision 0, as in the file
 * backend.
 */
static int
ov_current(struct ov *ov, enum res_kind kind, const char *name,
    int *exists, uint64_t *rev, struct ds_err *err)
{
	struct ov_kind	*k = &ov->kinds[kind];
	struct ds_entry	 e;
	size_t		 i;
	int		 found;

	*exists = 0;
	*rev = 0;
	i = ov_find(k, name, &found);
	if (found) {
		*exists = k->v[i].doc != NULL;
		*rev = k->v[i].rev;
		return 0;
	}
	if (ov->under == NULL)
		return 0;
	if (ov->under->ops->get(ov->under, kind, name, &e, err) == 0) {
		*exists = 1;
		*rev = e.rev;
		ds_entry_free(&e);
		return 0;
	}
	if (err->code == DS_EINVAL) {
		*exists = 1;
		return 0;
	}
	return err->code == DS_ENOENT ? 0 : -1;
}

/* The entry of kind/name in the overlay, added if it is not there. */
static struct ov_entry *
ov_slot(struct ov *ov, enum res_kind kind, const char *name)
{
	struct ov_kind	*k = &ov->kinds[kind];
	struct ov_entry	*e;
	size_t		 i;
	int		 found;

	i = ov_find(k, name, &found);
	if (found)
		return &k->v[i];
	k->v = xreallocarray(k->v, k->n + 1, sizeof(*k->v));
	memmove(&k->v[i + 1], &k->v[i], (k->n - i) * sizeof(*k->v));
	k->n++;
	e = &k->v[i];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	xasprintf(&e->src, "%s/%s (dry run)", res_kind_plural(kind), name);
	return e;
}

static int
ov_put(struct ds *ds, enum res_kind kind, const char *name,
    const struct doc_node *doc, enum ds_put_mode mode,
    const uint64_t *expect, uint64_t *rev, struct ds_err *err)
{
	struct ov	*ov = ds->be;
	struct ov_entry	*e;
	uint64_t	 cur;
	int		 exists;

	if (ov_current(ov, kind, name, &exists, &cur, err) == -1)
		return -1;
	if (mode == DS_PUT_CREATE && exists) {
		ds_seterr(err, DS_EEXIST, "resource already exists");
		return -1;
	}
	if (mode == DS_PUT_UPDATE && !exists) {
		ds_seterr(err, DS_ENOENT, "resource does not exist");
		return -1;
	}
	if (expect != NULL && *expect != cur) {
		ds_seterr(err, DS_ECONFLICT, "update conflict");
		return -1;
	}
	e = ov_slot(ov, kind, name);
	doc_free(e->doc);
	e->doc = doc_copy(doc);
	e->rev = ++ov->rev;
	*rev = e->rev;
	return 0;
}

static int
ov_del(struct ds *ds, enum res_kind kind, const char *name,
    const uint64_t *expect, struct ds_err *err)
{
	struct ov	*ov = ds->be;
	struct ov_entry	*e;
	uint64_t	 cur;
	int		 exists;

	if (ov_current(ov, kind, name, &exists, &cur, err) == -1)
		return -1;
	if (!exists) {
		ds_seterr(err, DS_ENOENT, "resource does not exist");
		return -1;
	}
	if (expect != NULL && *expect != cur) {
		ds_seterr(err, DS_ECONFLICT, "update conflict");
		return -1;
	}
	/* The entry stays, without a document: deleted, not unknown. */
	e = ov_slot(ov, kind, name);
	doc_free(e->doc);
	e->doc = NULL;
	e->rev = ++ov->rev;
	return 0;
}

static int
ov_revision(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	struct ov	*ov = ds->be;

	(void)err;
	*rev = ov->rev;
	return 0;
}

/* Nothing to watch: the overlay changes only when tortiectl writes. */
static int
ov_watch_fd(struct ds *ds)
{
	(void)ds;
	return -1;
}

static int
ov_watch_drain(struct ds *ds)
{
	(void)ds;
	return 0;
}

static void
ov_free(struct ov *ov)
{
	struct ov_kind	*k;
	size_t		 i, j;

	for (i = 0; i < RES_NKINDS; i++) {
		k = &ov->kinds[i];
		for (j = 0; j < k->n; j++) {
			free(k->v[j].name);
			free(k->v[j].src);
			doc_free(k->v[j].doc);
		}
		free(k->v);
	}
	ds_close(ov->under);
	free(ov);
}

static void
ov_close(struct ds *ds)
{
	ov_free(ds->be);
	ds->be = NULL;
}

static int
ov_entry_cmp(const void *a, const void *b)
{
	const struct ov_entry	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Take the entries of one kind from the real datastore. */
static int
ov_snapshot_kind(struct ov *ov, enum res_kind kind, struct res_errors *bad,
    struct ds_err *err)
{
	struct ov_kind		*k = &ov->kinds[kind];
	struct ds_entries	 es;
	size_t			 i;

	memset(&es, 0, sizeof(es));
	if (ov->under->ops->list(ov->under, kind, &es, bad, err) == -1) {
		ds_entries_free(&es);
		return -1;
	}
	k->v = xcalloc(es.n + 1, sizeof(*k->v));
	for (i = 0; i < es.n; i++) {
		/* Only entries with a name and a document are usable. */
		if (es.v[i].name == NULL || es.v[i].doc == NULL)
			continue;
		k->v[k->n].name = es.v[i].name;
		k->v[k->n].src = es.v[i].src != NULL ? es.v[i].src :
		    xstrdup(es.v[i].name);
		k->v[k->n].rev = es.v[i].rev;
		k->v[k->n].doc = es.v[i].doc;
		if (k->v[k->n].rev > ov->rev)
			ov->rev = k->v[k->n].rev;
		memset(&es.v[i], 0, sizeof(es.v[i]));
		k->n++;
	}
	ds_entries_free(&es);
	/* Backends list in name order; the lookups rely on it. */
	qsort(k->v, k->n, sizeof(*k->v), ov_entry_cmp);
	return 0;
}

/*
 * The overlay of under (which it owns from now on, and closes; NULL is
 * an empty datastore).  Entries that do not parse are reported in bad,
 * once, as ds_load() would report them.
 */
struct ds *
ctl_overlay_open(struct ds *under, struct res_errors *bad,
    struct ds_err *err)
{
	struct ds	*ds;
	struct ov	*ov;
	uint64_t	 rev = 0;
	int		 k;

	ov = xcalloc(1, sizeof(*ov));
	ov->under = under;
	if (under != NULL) {
		if (under->ops->revision(under, &rev, err) == -1)
			goto fail;
		ov->rev = rev;
		for (k = 0; k < RES_NKINDS; k++)
			if (ov_snapshot_kind(ov, (enum res_kind)k, bad,
			    err) == -1)
				goto fail;
	}
	ds = xcalloc(1, sizeof(*ds));
	ds->ops = &ov_ops;
	ds->be = ov;
	ds->flags = 0;
	return ds;
fail:
	ov_free(ov);
	return NULL;
}
