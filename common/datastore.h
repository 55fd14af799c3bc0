/*
 * The datastore: where the resources of resource.h live.  One interface,
 * several backends behind an operations table (struct ds_ops): the file
 * backend here (datastore_file.c), an etcd v3 backend later.
 *
 * Two layers:
 *  - A backend stores document trees (doc.h) by kind and name and keeps a
 *    modification revision for each; it knows nothing about validation.
 *  - datastore.c turns them into typed resources: it validates everything
 *    read and written with the resource layer, fills in uid and
 *    creationTimestamp on create, keeps them on update, turns revisions
 *    into metadata.resourceVersion and checks it (optimistic concurrency
 *    as Calico: a stale resourceVersion is an "update conflict").
 *
 * File backend layout: <dir>/<plural>/<name>.yaml, one resource per file,
 * plurals as in Calico's etcd layout (res_kind_plural()).  Every write
 * happens under an exclusive flock(2) on <dir>/.lock and is atomic: a
 * temporary file in the same directory is written, fsync'd and renamed
 * over the target, then the directory is fsync'd.  Readers take no lock:
 * the rename makes every file change atomic, so a reader sees the old or
 * the new resource, never a mix.  A write of several resources (a file
 * with many documents) is several atomic writes, not a transaction, as
 * with calicoctl against etcd.
 *
 * Revisions (file backend): <dir>/.revision holds the last revision
 * handed out, a decimal counter, replaced atomically under the lock
 * before the resource itself is written (a crash in between only skips a
 * number).  Each resource file carries its revision as
 * metadata.resourceVersion.  A new revision is one more than both the
 * counter and the resource's current revision, so a revision never
 * repeats for a resource even after a hand-copied file or a lost counter
 * (the counter is rebuilt from the files then).  A hand-written file
 * without a resourceVersion is "unversioned" (revision 0, no
 * resourceVersion shown) until the first write through this interface.
 * Revisions are not derived from mtimes: file timestamps are too coarse
 * to tell two quick writes apart.
 *
 * Names become file names, so they are checked first (ds_name_check():
 * DNS-1123 subdomain, which rules out '/', '..' and leading dots; and
 * short enough for "<name>.yaml" to fit NAME_MAX).  Files whose name
 * starts with '.' (temporary files, .lock, .revision, editor swap files)
 * and files not ending in ".yaml" are ignored; so are unknown
 * directories.  Symbolic links and non-regular files named *.yaml are
 * reported as bad files.
 *
 * Loading (ds_load): every file is parsed and validated; a bad one is
 * reported as "path:line:col: why" and skipped, the rest is loaded.
 * Whether to run with that or keep the last good plan is the caller's
 * decision.
 *
 * Watching: ds_watch_start(), then add ds_watch_fd() to the event loop
 * (EV_READ | EV_PERSIST) and call ds_watch_drain() when it is readable:
 * 1 means that resources may have changed (reload them all: the watch
 * says that, not what), 0 that nothing relevant happened.  One apply of
 * N resources makes the descriptor readable up to N times; coalescing
 * such a burst (e.g. a short timer restarted on each change) is the
 * caller's job.  If the datastore directory itself is moved away or
 * removed, drain reports a change and watches it again as soon as it is
 * back at its path (a directory renamed into place is picked up at
 * once); if it is not, watching stops until ds_watch_start() is called
 * again, e.g. on reload.  The descriptor never changes.
 */
#ifndef TORTIE_DATASTORE_H
#define TORTIE_DATASTORE_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "resource.h"

#define DS_ERRLEN		1024
#define DS_MAX_FILE		(4 * 1024 * 1024)	/* one resource file */
#define DS_UPDATE_RETRIES	5	/* update without resourceVersion */

/* ds_open*() flags */
#define DS_O_RDONLY	0x01	/* never write, never create anything */
#define DS_O_CREATE	0x02	/* create the datastore directory if absent */

enum ds_errcode {
	DS_OK,
	DS_ENOENT,	/* resource does not exist */
	DS_EEXIST,	/* resource already exists */
	DS_ECONFLICT,	/* update conflict: stale resourceVersion */
	DS_EINVAL,	/* invalid resource, name or stored file */
	DS_EIO,		/* the backend failed; nothing was changed */
};

/* Why a call failed; msg is complete, ready for the user. */
struct ds_err {
	enum ds_errcode	 code;
	char		 msg[DS_ERRLEN];
};

struct ds;

/*
 * One stored resource as a backend returns it.  doc is the parsed value;
 * its metadata.resourceVersion is not trusted (datastore.c sets it from
 * rev).  src names the origin for messages (file path, etcd key).
 */
struct ds_entry {
	char		*name;
	char		*src;
	uint64_t	 rev;		/* 0: unversioned */
	struct doc_node	*doc;
};

struct ds_entries {
	struct ds_entry	*v;
	size_t		 n;
};

enum ds_put_mode {
	DS_PUT_CREATE,		/* fails with DS_EEXIST if present */
	DS_PUT_UPDATE,		/* fails with DS_ENOENT if absent */
};

/*
 * A backend.  Every function returns 0 or -1 with err filled in.
 *  get:	the entry of kind/name; DS_ENOENT if absent, DS_EINVAL if the
 *		stored value does not parse (err says where and why).
 *  list:	every entry of a kind, sorted by name; entries that do not
 *		parse are left out and reported in bad ("src:line:col: why").
 *		-1 only when the kind cannot be listed at all.
 *  put:	store doc (metadata.resourceVersion already removed) under
 *		kind/name; with expect, the stored revision must equal
 *		*expect (else DS_ECONFLICT).  Atomic: on any failure the
 *		stored value is unchanged.  *rev gets the new revision.
 *  del:	remove kind/name, with the same expect rule.
 *  revision:	the store's current revision (for list metadata).
 *  watch_*:	see ds_watch_start(); watch_start may be NULL (no watch).
 */
struct ds_ops {
	const char	*name;
	int		(*get)(struct ds *, enum res_kind, const char *,
			    struct ds_entry *, struct ds_err *);
	int		(*list)(struct ds *, enum res_kind, struct ds_entries *,
			    struct res_errors *, struct ds_err *);
	int		(*put)(struct ds *, enum res_kind, const char *,
			    const struct doc_node *, enum ds_put_mode,
			    const uint64_t *, uint64_t *, struct ds_err *);
	int		(*del)(struct ds *, enum res_kind, const char *,
			    const uint64_t *, struct ds_err *);
	int		(*revision)(struct ds *, uint64_t *, struct ds_err *);
	int		(*watch_start)(struct ds *, struct ds_err *);
	int		(*watch_fd)(struct ds *);
	int		(*watch_drain)(struct ds *);
	void		(*close)(struct ds *);
};

/* A datastore handle: the backend and its private state. */
struct ds {
	const struct ds_ops	*ops;
	void			*be;
	int			 flags;
};

/* datastore.c: typed operations, common to every backend */
struct ds	*ds_open(const char *, const char *, int, struct ds_err *);
void		 ds_close(struct ds *);
int		 ds_get(struct ds *, enum res_kind, const char *,
		    struct resource *, struct ds_err *);
int		 ds_list(struct ds *, enum res_kind, struct res_list *,
		    uint64_t *, struct res_errors *, struct ds_err *);
int		 ds_create(struct ds *, struct resource *, struct ds_err *);
int		 ds_update(struct ds *, struct resource *, struct ds_err *);
int		 ds_apply(struct ds *, struct resource *, struct ds_err *);
int		 ds_delete(struct ds *, enum res_kind, const char *,
		    const char *, struct ds_err *);
int		 ds_load(struct ds *, struct res_set *, struct res_errors *,
		    struct ds_err *);
int		 ds_watch_start(struct ds *, struct ds_err *);
int		 ds_watch_fd(struct ds *);
int		 ds_watch_drain(struct ds *);

int		 ds_name_check(const char *, char *, size_t);
void		 ds_ident(enum res_kind, const char *, char *, size_t);
void		 ds_seterr(struct ds_err *, enum ds_errcode, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
void		 ds_errors_add(struct res_errors *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
void		 ds_entry_free(struct ds_entry *);
void		 ds_entries_free(struct ds_entries *);
int		 ds_uuid(char *, size_t);
void		 ds_timestamp(char *, size_t);

/* datastore_file.c: the file backend */
struct ds	*ds_open_file(const char *, int, struct ds_err *);

/* datastore_watch_<os>.c: change notification for the file backend */
struct ds_fwatch;
struct ds_fwatch *ds_fwatch_open(const char *, struct ds_err *);
int		 ds_fwatch_fd(const struct ds_fwatch *);
int		 ds_fwatch_drain(struct ds_fwatch *);
int		 ds_fwatch_lost(const struct ds_fwatch *);
int		 ds_fwatch_rewatch(struct ds_fwatch *);
void		 ds_fwatch_close(struct ds_fwatch *);

#endif
