/*
 * The file datastore backend: <dir>/<plural>/<name>.yaml, atomic writes
 * under <dir>/.lock, revisions from <dir>/.revision (see datastore.h for
 * the layout and why).
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datastore.h"
#include "doc.h"
#include "log.h"
#include "resource.h"
#include "util.h"

#define FB_SUFFIX	".yaml"
#define FB_TMP_PREFIX	".tortie-tmp."
#define FB_LOCK		".lock"
#define FB_COUNTER	".revision"
#define FB_MODE		0644
#define FB_DIR_MODE	0755

struct fb {
	char			*dir;
	int			 lockfd;	/* -1 until the first write */
	uint32_t		 cleaned;	/* kinds without stale temps */
	struct ds_fwatch	*watch;
};

/* The current state of one resource file, read under the lock. */
struct fb_cur {
	int		 exists;
	uint64_t	 rev;
	mode_t		 mode;
};

static int	 fb_get(struct ds *, enum res_kind, const char *,
		    struct ds_entry *, struct ds_err *);
static int	 fb_list(struct ds *, enum res_kind, struct ds_entries *,
		    struct res_errors *, struct ds_err *);
static int	 fb_put(struct ds *, enum res_kind, const char *,
		    const struct doc_node *, enum ds_put_mode, const uint64_t *,
		    uint64_t *, struct ds_err *);
static int	 fb_del(struct ds *, enum res_kind, const char *,
		    const uint64_t *, struct ds_err *);
static int	 fb_revision(struct ds *, uint64_t *, struct ds_err *);
static int	 fb_watch_start(struct ds *, struct ds_err *);
static int	 fb_watch_fd(struct ds *);
static int	 fb_watch_drain(struct ds *);
static void	 fb_close(struct ds *);

static const struct ds_ops fb_ops = {
	.name = "file",
	.get = fb_get,
	.list = fb_list,
	.put = fb_put,
	.del = fb_del,
	.revision = fb_revision,
	.watch_start = fb_watch_start,
	.watch_fd = fb_watch_fd,
	.watch_drain = fb_watch_drain,
	.close = fb_close,
};

/*
 * Paths.
 */

static int
fb_kind_dir(const struct fb *fb, enum res_kind kind, char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%s/%s", fb->dir, res_kind_plural(kind));
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

static int
fb_file(const struct fb *fb, enum res_kind kind, const char *name,
    char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%s/%s/%s%s", fb->dir, res_kind_plural(kind),
	    name, FB_SUFFIX);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

static int
fb_path_error(struct ds_err *err, const char *name)
{
	ds_seterr(err, DS_EINVAL, "%s: path too long", name);
	return -1;
}

/*
 * Reading.
 */

/*
 * Read a whole regular file.  Symbolic links are refused (a datastore
 * entry must not make the daemon read and quote some other file), and so
 * are files larger than DS_MAX_FILE.  ENOENT is DS_ENOENT.
 */
static int
fb_slurp(const char *path, char **bufp, size_t *lenp, struct ds_err *err)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			ds_seterr(err, DS_ENOENT, "%s: %s", path,
			    strerror(errno));
		else if (errno == ELOOP)
			ds_seterr(err, DS_EINVAL, "%s: is a symbolic link",
			    path);
		else
			ds_seterr(err, DS_EIO, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		ds_seterr(err, DS_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ds_seterr(err, DS_EINVAL, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_size > DS_MAX_FILE) {
		ds_seterr(err, DS_EINVAL, "%s: larger than %d bytes", path,
		    DS_MAX_FILE);
		goto fail;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	for (;;) {
		r = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			ds_seterr(err, DS_EIO, "%s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		/* The file grew while we read: it is not ours to trust. */
		if (len > (size_t)st.st_size) {
			ds_seterr(err, DS_EIO, "%s: changed while reading",
			    path);
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

/* A decimal revision, digits only. */
static int
fb_strtorev(const char *s, size_t len, uint64_t *v)
{
	size_t	 i;

	*v = 0;
	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* A scalar's revision; 0 (unversioned) for anything but digits. */
static uint64_t
fb_parse_rev(const struct doc_node *n)
{
	uint64_t	 v;

	if (n == NULL || n->raw == NULL ||
	    fb_strtorev(n->raw, n->rawlen, &v) == -1)
		return 0;
	return v;
}

static uint64_t
fb_doc_rev(const struct doc_node *doc)
{
	const struct doc_node	*meta;

	if ((meta = doc_map_get(doc, "metadata")) == NULL ||
	    meta->type != DOC_MAP)
		return 0;
	return fb_parse_rev(doc_map_get(meta, "resourceVersion"));
}

/* Read and parse one resource file into e (name not set). */
static int
fb_read_entry(const char *path, struct ds_entry *e, struct ds_err *err)
{
	char		*buf, msg[DS_ERRLEN];
	size_t		 len;

	memset(e, 0, sizeof(*e));
	if (fb_slurp(path, &buf, &len, err) == -1)
		return -1;
	e->doc = doc_parse_one(buf, len, path, msg, sizeof(msg));
	free(buf);
	if (e->doc == NULL) {
		ds_seterr(err, DS_EINVAL, "%s", msg);
		return -1;
	}
	if (e->doc->type != DOC_MAP) {
		ds_seterr(err, DS_EINVAL, "%s:%d:%d: expected a resource "
		    "(a map), found %s", path, e->doc->line, e->doc->col,
		    doc_type_name(e->doc->type));
		doc_free(e->doc);
		e->doc = NULL;
		return -1;
	}
	e->src = xstrdup(path);
	e->rev = fb_doc_rev(e->doc);
	return 0;
}

static int
fb_get(struct ds *ds, enum res_kind kind, const char *name,
    struct ds_entry *e, struct ds_err *err)
{
	struct fb	*fb = ds->be;
	char		 path[PATH_MAX], why[128];

	memset(e, 0, sizeof(*e));
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_seterr(err, DS_ENOENT, "invalid name: %s", why);
		return -1;
	}
	if (fb_file(fb, kind, name, path, sizeof(path)) == -1)
		return fb_path_error(err, name);
	if (fb_read_entry(path, e, err) == -1)
		return -1;
	e->name = xstrdup(name);
	return 0;
}

/* "<name>.yaml" with a valid name: the name, else NULL. */
static char *
fb_entry_name(const char *fname)
{
	size_t	 l = strlen(fname), sl = strlen(FB_SUFFIX);

	if (fname[0] == '.' || l <= sl ||
	    strcmp(fname + l - sl, FB_SUFFIX) != 0)
		return NULL;
	return strndup(fname, l - sl);
}

static int
fb_entry_cmp(const void *a, const void *b)
{
	const struct ds_entry	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Add one directory entry to out, or its problem to bad. */
static void
fb_list_one(const char *kdir, const char *fname, struct ds_entries *out,
    struct res_errors *bad)
{
	struct ds_entry	 e;
	struct ds_err	 err;
	char		 path[PATH_MAX], why[128], *name;
	int		 n;

	if ((name = fb_entry_name(fname)) == NULL)
		return;		/* stray or temporary file */
	n = snprintf(path, sizeof(path), "%s/%s", kdir, fname);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		free(name);
		return;
	}
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_errors_add(bad, "%s: file name is not a valid resource "
		    "name: %s", path, why);
		free(name);
		return;
	}
	if (fb_read_entry(path, &e, &err) == -1) {
		/* Deleted between readdir and open: not a problem. */
		if (err.code != DS_ENOENT)
			ds_errors_add(bad, "%s", err.msg);
		free(name);
		return;
	}
	e.name = name;
	out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = e;
}

static int
fb_list(struct ds *ds, enum res_kind kind, struct ds_entries *out,
    struct res_errors *bad, struct ds_err *err)
{
	struct fb	*fb = ds->be;
	struct dirent	*de;
	DIR		*d;
	char		 kdir[PATH_MAX];

	memset(out, 0, sizeof(*out));
	if (fb_kind_dir(fb, kind, kdir, sizeof(kdir)) == -1)
		return fb_path_error(err, fb->dir);
	if ((d = opendir(kdir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		ds_seterr(err, DS_EIO, "%s: %s", kdir, strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL)
		fb_list_one(kdir, de->d_name, out, bad);
	if (errno != 0) {
		ds_seterr(err, DS_EIO, "%s: %s", kdir, strerror(errno));
		closedir(d);
		ds_entries_free(out);
		return -1;
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), fb_entry_cmp);
	return 0;
}

/*
 * Writing.
 */

static int
fb_fsync_dir(const char *dir, struct ds_err *err)
{
	int	 fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1) {
		ds_seterr(err, DS_EIO, "fsync %s: %s", dir, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
fb_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		w = write(fd, buf, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Create a fresh temporary file in dir; its path goes to tmp. */
static int
fb_tmp_open(const char *dir, mode_t mode, char *tmp, size_t len)
{
	uint8_t	 r[8];
	int	 fd, n, tries;

	for (tries = 0; tries < 16; tries++) {
		arc4random_buf(r, sizeof(r));
		n = snprintf(tmp, len, "%s/" FB_TMP_PREFIX
		    "%02x%02x%02x%02x%02x%02x%02x%02x", dir, r[0], r[1], r[2],
		    r[3], r[4], r[5], r[6], r[7]);
		if (n < 0 || (size_t)n >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/*
 * Replace path (in dir) with data: temporary file, write, fsync, rename,
 * fsync of the directory.  Until the rename the old file is untouched;
 * on any failure before it the temporary file is removed.  A failing
 * directory fsync after the rename is reported although the new content
 * is already visible, because its durability is then unknown.  mode 0
 * creates with FB_MODE less the umask; otherwise the replaced file's mode
 * is kept.
 */
static int
fb_write_atomic(const char *dir, const char *path, const char *data,
    size_t len, mode_t mode, struct ds_err *err)
{
	char	 tmp[PATH_MAX];
	int	 fd, saved;

	if ((fd = fb_tmp_open(dir, FB_MODE, tmp, sizeof(tmp))) == -1) {
		ds_seterr(err, DS_EIO, "create temporary file in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if ((mode != 0 && fchmod(fd, mode) == -1) ||
	    fb_write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1) {
		saved = errno;
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		saved = errno;
		goto fail;
	}
	return fb_fsync_dir(dir, err);
fail:
	unlink(tmp);
	ds_seterr(err, DS_EIO, "write %s: %s", path, strerror(saved));
	return -1;
}

/* The highest revision of any resource file (the counter was lost). */
static int
fb_counter_rebuild(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	struct ds_entries	 es;
	struct res_errors	 bad;
	size_t			 i;
	int			 k;

	*rev = 0;
	for (k = 0; k < RES_NKINDS; k++) {
		memset(&bad, 0, sizeof(bad));
		if (fb_list(ds, (enum res_kind)k, &es, &bad, err) == -1) {
			res_errors_free(&bad);
			return -1;
		}
		for (i = 0; i < es.n; i++)
			if (es.v[i].rev > *rev)
				*rev = es.v[i].rev;
		ds_entries_free(&es);
		res_errors_free(&bad);
	}
	return 0;
}

static int
fb_counter_path(const struct fb *fb, char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%s/%s", fb->dir, FB_COUNTER);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* The revision counter; when missing or damaged, the highest in use. */
static int
fb_counter_read(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	struct ds_err	 e2;
	char		 path[PATH_MAX], *buf;
	size_t		 len;
	int		 rc;

	*rev = 0;
	if (fb_counter_path(ds->be, path, sizeof(path)) == -1)
		return fb_path_error(err, ((struct fb *)ds->be)->dir);
	if (fb_slurp(path, &buf, &len, &e2) == 0) {
		while (len > 0 && buf[len - 1] == '\n')
			len--;
		rc = fb_strtorev(buf, len, rev);
		free(buf);
		if (rc == 0)
			return 0;
		log_warnx("%s: damaged, rebuilding from the resources", path);
	} else if (e2.code != DS_ENOENT) {
		*err = e2;
		return -1;
	}
	return fb_counter_rebuild(ds, rev, err);
}

static int
fb_counter_write(struct fb *fb, uint64_t rev, struct ds_err *err)
{
	char	 path[PATH_MAX], buf[32];
	int	 n;

	if (fb_counter_path(fb, path, sizeof(path)) == -1)
		return fb_path_error(err, fb->dir);
	n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", rev);
	return fb_write_atomic(fb->dir, path, buf, (size_t)n, 0, err);
}

static int
fb_lock(struct fb *fb, struct ds_err *err)
{
	char	 path[PATH_MAX];
	int	 n;

	if (fb->lockfd == -1) {
		n = snprintf(path, sizeof(path), "%s/%s", fb->dir, FB_LOCK);
		if (n < 0 || (size_t)n >= sizeof(path))
			return fb_path_error(err, fb->dir);
		fb->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, FB_MODE);
		/* flock(2) works on a read-only descriptor too. */
		if (fb->lockfd == -1 && (errno == EROFS || errno == EACCES))
			fb->lockfd = open(path, O_RDONLY | O_NOFOLLOW |
			    O_CLOEXEC);
		if (fb->lockfd == -1) {
			ds_seterr(err, DS_EIO, "%s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	while (flock(fb->lockfd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			ds_seterr(err, DS_EIO, "lock %s: %s", fb->dir,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
fb_unlock(struct fb *fb)
{
	if (fb->lockfd != -1)
		flock(fb->lockfd, LOCK_UN);
}

/*
 * Remove temporary files that a killed writer left in dir.  Only called
 * under the exclusive lock, when no writer can be half-way, and only for
 * our own prefix (an editor's swap file is not ours).
 */
static void
fb_clean_tmp(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX];
	int		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, FB_TMP_PREFIX,
		    strlen(FB_TMP_PREFIX)) != 0)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n > 0 && (size_t)n < sizeof(path) && unlink(path) == 0)
			log_debug("%s: removed stale temporary file", path);
	}
	closedir(d);
}

/* Prepare <dir>/<plural> for a write: create it, clean it once. */
static int
fb_prepare_dir(struct fb *fb, enum res_kind kind, char *kdir, size_t len,
    struct ds_err *err)
{
	if (fb_kind_dir(fb, kind, kdir, len) == -1)
		return fb_path_error(err, fb->dir);
	if (mkdir(kdir, FB_DIR_MODE) == -1 && errno != EEXIST) {
		ds_seterr(err, DS_EIO, "mkdir %s: %s", kdir, strerror(errno));
		return -1;
	}
	if ((fb->cleaned & (1U << kind)) == 0) {
		fb_clean_tmp(kdir);
		fb->cleaned |= 1U << kind;
	}
	if ((fb->cleaned & (1U << RES_NKINDS)) == 0) {
		fb_clean_tmp(fb->dir);
		fb->cleaned |= 1U << RES_NKINDS;
	}
	return 0;
}

/* What is stored at path now (under the lock). */
static int
fb_current(const char *path, struct fb_cur *cur, struct ds_err *err)
{
	struct ds_entry	 e;
	struct ds_err	 e2;
	struct stat	 st;

	memset(cur, 0, sizeof(*cur));
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		ds_seterr(err, DS_EIO, "%s: %s", path, strerror(errno));
		return -1;
	}
	cur->exists = 1;
	if (!S_ISREG(st.st_mode))
		return 0;
	cur->mode = st.st_mode & 0777;
	/* A damaged file has revision 0: only an unconditional write wins. */
	if (fb_read_entry(path, &e, &e2) == 0) {
		cur->rev = e.rev;
		ds_entry_free(&e);
	}
	return 0;
}

/* The YAML text to store: doc with its new resourceVersion. */
static char *
fb_render(const struct doc_node *doc, uint64_t rev)
{
	struct doc_node	*copy, *meta;
	char		 buf[32], *text;

	if (doc == NULL || doc->type != DOC_MAP)
		return NULL;
	copy = doc_copy(doc);
	if ((meta = doc_map_get(copy, "metadata")) == NULL ||
	    meta->type != DOC_MAP) {
		doc_free(copy);
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64, rev);
	doc_map_set(meta, "resourceVersion", doc_new_string(buf));
	text = doc_to_yaml(copy);
	doc_free(copy);
	return text;
}

/* Checks common to put and del, under the lock. */
static int
fb_check(const struct fb_cur *cur, int must_exist, const uint64_t *expect,
    struct ds_err *err)
{
	if (must_exist == 1 && !cur->exists) {
		ds_seterr(err, DS_ENOENT, "resource does not exist");
		return -1;
	}
	if (must_exist == 0 && cur->exists) {
		ds_seterr(err, DS_EEXIST, "resource already exists");
		return -1;
	}
	if (expect != NULL && *expect != cur->rev) {
		ds_seterr(err, DS_ECONFLICT, "update conflict");
		return -1;
	}
	return 0;
}

static int
fb_writable(struct ds *ds, const char *name, struct ds_err *err)
{
	char	 why[128];

	if (ds->flags & DS_O_RDONLY) {
		ds_seterr(err, DS_EIO, "datastore opened read-only");
		return -1;
	}
	if (ds_name_check(name, why, sizeof(why)) == -1) {
		ds_seterr(err, DS_EINVAL, "invalid name: %s", why);
		return -1;
	}
	return 0;
}

static int
fb_put_locked(struct ds *ds, enum res_kind kind, const char *name,
    const struct doc_node *doc, enum ds_put_mode mode,
    const uint64_t *expect, uint64_t *rev, struct ds_err *err)
{
	struct fb	*fb = ds->be;
	struct fb_cur	 cur;
	char		 kdir[PATH_MAX], path[PATH_MAX], *text;
	uint64_t	 next;
	int		 rc;

	if (fb_prepare_dir(fb, kind, kdir, sizeof(kdir), err) == -1)
		return -1;
	if (fb_file(fb, kind, name, path, sizeof(path)) == -1)
		return fb_path_error(err, name);
	if (fb_current(path, &cur, err) == -1 ||
	    fb_check(&cur, mode == DS_PUT_UPDATE, expect, err) == -1 ||
	    fb_counter_read(ds, &next, err) == -1)
		return -1;
	if (cur.rev > next)
		next = cur.rev;
	if (next == UINT64_MAX) {
		ds_seterr(err, DS_EIO, "%s: revisions exhausted", fb->dir);
		return -1;
	}
	next++;
	if ((text = fb_render(doc, next)) == NULL) {
		ds_seterr(err, DS_EINVAL, "resource without metadata");
		return -1;
	}
	rc = fb_counter_write(fb, next, err);
	if (rc == 0)
		rc = fb_write_atomic(kdir, path, text, strlen(text), cur.mode,
		    err);
	free(text);
	if (rc == 0)
		*rev = next;
	return rc;
}

static int
fb_put(struct ds *ds, enum res_kind kind, const char *name,
    const struct doc_node *doc, enum ds_put_mode mode,
    const uint64_t *expect, uint64_t *rev, struct ds_err *err)
{
	int	 rc;

	if (fb_writable(ds, name, err) == -1 || fb_lock(ds->be, err) == -1)
		return -1;
	rc = fb_put_locked(ds, kind, name, doc, mode, expect, rev, err);
	fb_unlock(ds->be);
	return rc;
}

static int
fb_del_locked(struct ds *ds, enum res_kind kind, const char *name,
    const uint64_t *expect, struct ds_err *err)
{
	struct fb	*fb = ds->be;
	struct fb_cur	 cur;
	struct ds_err	 e2;
	char		 kdir[PATH_MAX], path[PATH_MAX];
	uint64_t	 next;

	if (fb_kind_dir(fb, kind, kdir, sizeof(kdir)) == -1 ||
	    fb_file(fb, kind, name, path, sizeof(path)) == -1)
		return fb_path_error(err, name);
	if (fb_current(path, &cur, err) == -1 ||
	    fb_check(&cur, 1, expect, err) == -1)
		return -1;
	/*
	 * Advancing the counter on a delete only serves list revisions; it
	 * must not stop a delete on a full disk, where deleting is how the
	 * operator makes room.
	 */
	if (fb_counter_read(ds, &next, &e2) == 0 && next < UINT64_MAX &&
	    fb_counter_write(fb, next + 1, &e2) == -1)
		log_debug("%s: %s", __func__, e2.msg);
	if (unlink(path) == -1) {
		ds_seterr(err, DS_EIO, "unlink %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return fb_fsync_dir(kdir, err);
}

static int
fb_del(struct ds *ds, enum res_kind kind, const char *name,
    const uint64_t *expect, struct ds_err *err)
{
	int	 rc;

	if (fb_writable(ds, name, err) == -1) {
		if (err->code == DS_EINVAL)
			err->code = DS_ENOENT;
		return -1;
	}
	if (fb_lock(ds->be, err) == -1)
		return -1;
	rc = fb_del_locked(ds, kind, name, expect, err);
	fb_unlock(ds->be);
	return rc;
}

static int
fb_revision(struct ds *ds, uint64_t *rev, struct ds_err *err)
{
	return fb_counter_read(ds, rev, err);
}

/*
 * Watching (the inotify part lives in datastore_watch_<os>.c).
 */

static int
fb_watch_start(struct ds *ds, struct ds_err *err)
{
	struct fb	*fb = ds->be;

	if (fb->watch != NULL) {
		if (ds_fwatch_rewatch(fb->watch) == -1) {
			ds_seterr(err, DS_EIO, "watch %s: %s", fb->dir,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((fb->watch = ds_fwatch_open(fb->dir, err)) == NULL)
		return -1;
	return 0;
}

static int
fb_watch_fd(struct ds *ds)
{
	struct fb	*fb = ds->be;

	return fb->watch != NULL ? ds_fwatch_fd(fb->watch) : -1;
}

static int
fb_watch_drain(struct ds *ds)
{
	struct fb	*fb = ds->be;

	return fb->watch != NULL ? ds_fwatch_drain(fb->watch) : -1;
}

static void
fb_close(struct ds *ds)
{
	struct fb	*fb = ds->be;

	if (fb == NULL)
		return;
	if (fb->watch != NULL)
		ds_fwatch_close(fb->watch);
	if (fb->lockfd != -1)
		close(fb->lockfd);
	free(fb->dir);
	free(fb);
	ds->be = NULL;
}

/*
 * Open the file datastore in dir.  DS_O_CREATE creates dir itself (not
 * its parents) when it is missing; the kind directories are created on
 * the first write into them.
 */
struct ds *
ds_open_file(const char *dir, int flags, struct ds_err *err)
{
	struct stat	 st;
	struct ds	*ds;
	struct fb	*fb;
	size_t		 len;

	if (dir == NULL || (len = strlen(dir)) == 0 || len > PATH_MAX / 2) {
		ds_seterr(err, DS_EINVAL, "datastore directory: bad path");
		return NULL;
	}
	if (stat(dir, &st) == -1 && errno == ENOENT &&
	    (flags & DS_O_CREATE) && !(flags & DS_O_RDONLY) &&
	    mkdir(dir, FB_DIR_MODE) == -1 && errno != EEXIST) {
		ds_seterr(err, DS_EIO, "mkdir %s: %s", dir, strerror(errno));
		return NULL;
	}
	if (stat(dir, &st) == -1) {
		ds_seterr(err, DS_EIO, "datastore directory %s: %s", dir,
		    strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		ds_seterr(err, DS_EIO, "datastore directory %s: not a "
		    "directory", dir);
		return NULL;
	}
	fb = xcalloc(1, sizeof(*fb));
	fb->dir = xstrdup(dir);
	while (len > 1 && fb->dir[len - 1] == '/')
		fb->dir[--len] = '\0';
	fb->lockfd = -1;
	ds = xcalloc(1, sizeof(*ds));
	ds->ops = &fb_ops;
	ds->be = fb;
	ds->flags = flags;
	return ds;
}
