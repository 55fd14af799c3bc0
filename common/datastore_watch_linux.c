/*
 * Change notification for the file datastore with inotify(7).
 *
 * One watch on the datastore directory (kind directories appearing and
 * disappearing, the directory itself going away) and one on each kind
 * directory (a file finished by close or moved in, moved out or
 * deleted).  Names that the datastore ignores (dot files such as our
 * temporary files, .lock and .revision; anything not *.yaml) are ignored
 * here too, so that tortie's own bookkeeping does not look like a change.
 * A file written in place by hand counts when it is closed, not at every
 * write(2).
 */
#include <sys/inotify.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datastore.h"
#include "log.h"
#include "resource.h"
#include "util.h"

#define FW_TOP_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
			    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | \
			    IN_ONLYDIR)
#define FW_KIND_MASK	(IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | \
			    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | \
			    IN_ONLYDIR)

struct ds_fwatch {
	int	 fd;
	char	*dir;
	int	 topwd;			/* -1: the directory is gone */
	int	 kwd[RES_NKINDS];	/* -1: no such kind directory */
};

static int	 fw_add_kind(struct ds_fwatch *, int);
static void	 fw_forget(struct ds_fwatch *);
static void	 fw_add_all(struct ds_fwatch *);
static int	 fw_kind_of(const char *);
static int	 fw_name_counts(const char *);
static int	 fw_event(struct ds_fwatch *, const struct inotify_event *);

static int
fw_add_kind(struct ds_fwatch *w, int k)
{
	char	 path[PATH_MAX];
	int	 n;

	n = snprintf(path, sizeof(path), "%s/%s", w->dir,
	    res_kind_plural((enum res_kind)k));
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	w->kwd[k] = inotify_add_watch(w->fd, path, FW_KIND_MASK);
	return w->kwd[k] == -1 ? -1 : 0;
}

/*
 * The datastore directory went away: drop every watch, since the kind
 * directories of a moved tree would go on reporting from the old place.
 */
static void
fw_forget(struct ds_fwatch *w)
{
	int	 k;

	if (w->topwd != -1)
		inotify_rm_watch(w->fd, w->topwd);
	w->topwd = -1;
	for (k = 0; k < RES_NKINDS; k++) {
		if (w->kwd[k] != -1)
			inotify_rm_watch(w->fd, w->kwd[k]);
		w->kwd[k] = -1;
	}
}

/* (Re)watch the directory and whichever kind directories exist. */
static void
fw_add_all(struct ds_fwatch *w)
{
	int	 k;

	w->topwd = inotify_add_watch(w->fd, w->dir, FW_TOP_MASK);
	for (k = 0; k < RES_NKINDS; k++)
		if (w->kwd[k] == -1)
			fw_add_kind(w, k);
}

static int
fw_kind_of(const char *name)
{
	int	 k;

	for (k = 0; k < RES_NKINDS; k++)
		if (strcmp(name, res_kind_plural((enum res_kind)k)) == 0)
			return k;
	return -1;
}

/* Whether a name in a kind directory is a resource file. */
static int
fw_name_counts(const char *name)
{
	size_t	 l = strlen(name);

	return name[0] != '.' && l > 5 && strcmp(name + l - 5, ".yaml") == 0;
}

/* One event: 1 if the resources may have changed. */
static int
fw_event(struct ds_fwatch *w, const struct inotify_event *ev)
{
	const char	*name = ev->len > 0 ? ev->name : "";
	int		 k;

	if (ev->mask & IN_Q_OVERFLOW) {
		fw_add_all(w);
		return 1;
	}
	if (ev->wd == w->topwd) {
		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
			fw_forget(w);
			return 1;
		}
		if ((k = fw_kind_of(name)) == -1)
			return 0;
		if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) && w->kwd[k] == -1)
			fw_add_kind(w, k);
		return 1;
	}
	for (k = 0; k < RES_NKINDS; k++)
		if (w->kwd[k] != -1 && ev->wd == w->kwd[k])
			break;
	if (k == RES_NKINDS)
		return 0;
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
		if (ev->mask & IN_MOVE_SELF)
			inotify_rm_watch(w->fd, w->kwd[k]);
		w->kwd[k] = -1;
		return 1;
	}
	return ev->len > 0 && fw_name_counts(name);
}

struct ds_fwatch *
ds_fwatch_open(const char *dir, struct ds_err *err)
{
	struct ds_fwatch	*w;
	int			 k;

	w = xcalloc(1, sizeof(*w));
	w->dir = xstrdup(dir);
	for (k = 0; k < RES_NKINDS; k++)
		w->kwd[k] = -1;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		ds_seterr(err, DS_EIO, "inotify_init1: %s", strerror(errno));
		goto fail;
	}
	fw_add_all(w);
	if (w->topwd == -1) {
		ds_seterr(err, DS_EIO, "watch %s: %s", dir, strerror(errno));
		goto fail;
	}
	return w;
fail:
	ds_fwatch_close(w);
	return NULL;
}

int
ds_fwatch_fd(const struct ds_fwatch *w)
{
	return w->fd;
}

/* Whether the datastore directory itself went away (see datastore.h). */
int
ds_fwatch_lost(const struct ds_fwatch *w)
{
	return w->topwd == -1;
}

/*
 * Watch the datastore directory again after it went away (the same
 * descriptor, so that an event already set up on it keeps working).
 */
int
ds_fwatch_rewatch(struct ds_fwatch *w)
{
	if (w->topwd == -1)
		fw_add_all(w);
	return w->topwd == -1 ? -1 : 0;
}

/*
 * Read every pending event: 1 if a resource may have changed, 0 if
 * nothing relevant happened, -1 on a read error.  When the datastore
 * directory was moved or removed, watching it again is tried at once (a
 * directory swapped in by rename is picked up).
 */
int
ds_fwatch_drain(struct ds_fwatch *w)
{
	char				 buf[8192]
	    __attribute__((__aligned__(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 n;
	size_t				 off;
	int				 changed = 0;

	for (;;) {
		n = read(w->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			log_warn("%s: read", __func__);
			return -1;
		}
		for (off = 0; off + sizeof(*ev) <= (size_t)n;
		    off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->len > (size_t)n - off - sizeof(*ev))
				break;
			if (ev->len > 0 && memchr(ev->name, '\0', ev->len) ==
			    NULL)
				continue;
			changed |= fw_event(w, ev);
		}
	}
	if (w->topwd == -1) {
		fw_add_all(w);
		changed = 1;
	}
	return changed;
}

void
ds_fwatch_close(struct ds_fwatch *w)
{
	if (w == NULL)
		return;
	if (w->fd != -1)
		close(w->fd);
	free(w->dir);
	free(w);
}
