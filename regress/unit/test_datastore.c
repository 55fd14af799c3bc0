/*
 * The file datastore: create/get/update/delete with Calico's messages,
 * resourceVersion conflicts, uid and creationTimestamp, name checks, bad
 * and stray files on load, the inotify watch, a full and a read-only
 * file system (a small tmpfs in a private mount namespace, as root), and
 * crash safety: a writer killed with SIGKILL at random points never
 * leaves a file that does not parse or a resource that is neither its old
 * nor its new version.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "datastore.h"
#include "doc.h"
#include "resource.h"

#define PEER_FMT							\
	"apiVersion: projectcalico.org/v3\n"				\
	"kind: BGPPeer\n"						\
	"metadata:\n"							\
	"  name: %s\n"							\
	"spec:\n"							\
	"  peerIP: 192.20.30.40\n"					\
	"  asNumber: %u\n"

static char	 tdir[64];

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
	strlcpy(tdir, "/tmp/test_ds.XXXXXX", sizeof(tdir));
	if (mkdtemp(tdir) == NULL)
		return -1;
	return 0;
}

static int
teardown_dir(void **state)
{
	(void)state;
	nftw(tdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static struct ds *
open_ds(void)
{
	struct ds_err	 err;
	struct ds	*ds;

	ds = ds_open_file(tdir, 0, &err);
	if (ds == NULL)
		fail_msg("open: %s", err.msg);
	return ds;
}

/* A BGPPeer resource from YAML. */
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

static char *
read_text(const char *rel)
{
	static char	 buf[8192];
	char		 path[256];
	size_t		 n;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tdir, rel);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
count_tmp(const char *rel)
{
	char		 cmd[512];
	FILE		*p;
	int		 n = -1;

	snprintf(cmd, sizeof(cmd), "ls -a %s/%s | grep -c '^.tortie-tmp'",
	    tdir, rel);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static void
test_create_get(void **state)
{
	struct ds	*ds = open_ds();
	struct resource	 r, g;
	struct ds_err	 err;
	const struct res_meta *m;
	struct stat	 st;
	char		*text, path[256];
	mode_t		 mask;

	(void)state;
	mask = umask(022);
	umask(mask);
	peer(&r, "rack1-tor", 64567);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	m = res_meta_const(&r);
	assert_non_null(m->uid);
	assert_int_equal(strlen(m->uid), 36);
	assert_int_equal(m->uid[14], '4');
	assert_non_null(m->creation_timestamp);
	assert_int_equal(strlen(m->creation_timestamp), 20);
	assert_string_equal(m->resource_version, "1");

	text = read_text("bgppeers/rack1-tor.yaml");
	assert_non_null(text);
	assert_non_null(strstr(text, "resourceVersion: \"1\""));
	assert_non_null(strstr(text, m->uid));
	assert_string_equal(read_text(".revision"), "1\n");

	assert_int_equal(ds_get(ds, RES_BGPPEER, "rack1-tor", &g, &err), 0);
	assert_string_equal(res_name(&g), "rack1-tor");
	assert_int_equal(g.u.bgppeer.spec.as_number, 64567);
	assert_string_equal(res_meta(&g)->uid, m->uid);
	assert_string_equal(res_meta(&g)->resource_version, "1");
	res_free(&g);

	/* A second create of the same name. */
	res_free(&r);
	peer(&r, "rack1-tor", 64568);
	assert_int_equal(ds_create(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_EEXIST);
	assert_string_equal(err.msg,
	    "resource already exists: BGPPeer(rack1-tor)");
	res_free(&r);

	/* Create with a resourceVersion is an error, as Calico. */
	peer(&r, "other", 64568);
	res_meta(&r)->resource_version = strdup("7");
	assert_int_equal(ds_create(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_EINVAL);
	assert_string_equal(err.msg, "error with field "
	    "Metadata.ResourceVersion = '7' (field must not be set for a "
	    "Create request)");
	res_free(&r);

	/* An update keeps the file's mode; a new file follows the umask. */
	snprintf(path, sizeof(path), "%s/bgppeers/rack1-tor.yaml", tdir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644 & ~mask);
	assert_int_equal(chmod(path, 0600), 0);
	peer(&r, "rack1-tor", 64569);
	assert_int_equal(ds_update(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(ds_get(ds, RES_BGPPEER, "nope", &g, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_string_equal(err.msg,
	    "resource does not exist: BGPPeer(nope) with error: <nil>");
	ds_close(ds);
}

static void
test_update_conflict(void **state)
{
	struct ds	*ds = open_ds();
	struct resource	 r, u, g;
	struct ds_err	 err;
	char		*uid, *ts;

	(void)state;
	peer(&r, "p1", 64567);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	uid = strdup(res_meta(&r)->uid);
	ts = strdup(res_meta(&r)->creation_timestamp);

	/* Update without resourceVersion: reads the current one. */
	peer(&u, "p1", 64999);
	assert_int_equal(ds_update(ds, &u, &err), 0);
	assert_string_equal(res_meta(&u)->resource_version, "2");
	assert_string_equal(res_meta(&u)->uid, uid);
	assert_string_equal(res_meta(&u)->creation_timestamp, ts);
	res_free(&u);

	/* r still says resourceVersion 1: stale. */
	r.u.bgppeer.spec.as_number = 65000;
	assert_int_equal(ds_update(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	assert_string_equal(err.msg, "update conflict: BGPPeer(p1)");
	assert_int_equal(ds_get(ds, RES_BGPPEER, "p1", &g, &err), 0);
	assert_int_equal(g.u.bgppeer.spec.as_number, 64999);

	/* With the current resourceVersion it goes through. */
	g.u.bgppeer.spec.as_number = 65001;
	assert_int_equal(ds_update(ds, &g, &err), 0);
	assert_string_equal(res_meta(&g)->resource_version, "3");
	assert_string_equal(res_meta(&g)->uid, uid);
	res_free(&g);
	res_free(&r);

	peer(&u, "missing", 1);
	assert_int_equal(ds_update(ds, &u, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_string_equal(err.msg,
	    "resource does not exist: BGPPeer(missing) with error: <nil>");
	res_free(&u);

	/* apply: create, then update keeping uid. */
	peer(&u, "p2", 1);
	assert_int_equal(ds_apply(ds, &u, &err), 0);
	free(uid);
	uid = strdup(res_meta(&u)->uid);
	res_free(&u);
	peer(&u, "p2", 2);
	assert_int_equal(ds_apply(ds, &u, &err), 0);
	assert_string_equal(res_meta(&u)->uid, uid);
	assert_string_equal(res_meta(&u)->resource_version, "5");
	res_free(&u);

	free(uid);
	free(ts);
	ds_close(ds);
}

static void
test_delete(void **state)
{
	struct ds	*ds = open_ds();
	struct resource	 r;
	struct ds_err	 err;

	(void)state;
	peer(&r, "p1", 64567);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "p1", "99", &err), -1);
	assert_int_equal(err.code, DS_ECONFLICT);
	assert_string_equal(err.msg, "update conflict: BGPPeer(p1)");
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "p1",
	    res_meta(&r)->resource_version, &err), 0);
	assert_null(read_text("bgppeers/p1.yaml"));
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "p1", NULL, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_string_equal(err.msg,
	    "resource does not exist: BGPPeer(p1) with error: <nil>");
	res_free(&r);

	/* A new revision never repeats one handed out before. */
	peer(&r, "p1", 1);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	assert_string_equal(res_meta(&r)->resource_version, "3");
	res_free(&r);
	ds_close(ds);
}

static void
test_names(void **state)
{
	static const char *const bad[] = {
		"", "a/b", "..", ".", ".x", "a..b", "A", "-a", "a-", "a_b",
		"a.-b", "../../etc/passwd", "x\n", "a b",
	};
	static const char *const good[] = {
		"a", "node.kube-node-1", "rack1-tor", "0", "a.b.c",
	};
	struct ds	*ds = open_ds();
	struct resource	 r;
	struct ds_err	 err;
	char		 why[128], longname[300];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ds_name_check(bad[i], why, sizeof(why)), -1);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(ds_name_check(good[i], why, sizeof(why)), 0);
	memset(longname, 'a', sizeof(longname));
	longname[250] = '\0';
	assert_int_equal(ds_name_check(longname, why, sizeof(why)), 0);
	longname[250] = 'a';
	longname[251] = '\0';
	assert_int_equal(ds_name_check(longname, why, sizeof(why)), -1);

	/* A struct built in code with a hostile name never reaches a path. */
	peer(&r, "fine", 1);
	free(res_meta(&r)->name);
	res_meta(&r)->name = strdup("../../evil");
	assert_int_equal(ds_create(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_EINVAL);
	assert_non_null(strstr(err.msg, "Metadata.Name"));
	assert_int_equal(ds_apply(ds, &r, &err), -1);
	assert_int_equal(ds_update(ds, &r, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_int_equal(access("/tmp/evil.yaml", F_OK), -1);
	res_free(&r);
	assert_int_equal(ds_get(ds, RES_BGPPEER, "../x", &r, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "..", NULL, &err), -1);
	assert_int_equal(err.code, DS_ENOENT);
	ds_close(ds);
}

static int
has_msg(const struct res_errors *e, const char *want)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		if (strstr(e->msgs[i], want) != NULL)
			return 1;
	return 0;
}

static void
test_bad_files(void **state)
{
	struct ds		*ds = open_ds();
	struct res_set		 set;
	struct res_errors	 bad;
	struct resource		 r;
	struct ds_err		 err;
	char			 buf[512], path[256];
	size_t			 i;

	(void)state;
	peer(&r, "good", 64567);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	res_free(&r);
	/* Hand-written, without resourceVersion: loads, unversioned. */
	snprintf(buf, sizeof(buf), PEER_FMT, "hand", 64512u);
	write_file("bgppeers/hand.yaml", buf);
	write_file("bgppeers/syntax.yaml", "kind: BGPPeer\nmetadata: [\n");
	write_file("bgppeers/field.yaml", "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeer\nmetadata:\n  name: field\nspec:\n"
	    "  peerIP: 192.20.30.40\n  asNumber: 64512\n  bogus: 1\n");
	snprintf(buf, sizeof(buf), PEER_FMT, "other-name", 1u);
	write_file("bgppeers/renamed.yaml", buf);
	snprintf(path, sizeof(path), "%s/nodes", tdir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file("nodes/wrongkind.yaml", buf);
	write_file("bgppeers/Upper.yaml", buf);
	/* Ignored: not ours to read. */
	write_file("bgppeers/README", "hello");
	write_file("bgppeers/good.yaml~", "junk: [");
	write_file("bgppeers/.good.yaml.swp", "junk: [");
	write_file("bgppeers/.tortie-tmp.0123456789abcdef", "junk: [");
	write_file("notakind.yaml", "junk: [");
	mkdir(strcat(strcpy(path, tdir), "/unknowndir"), 0755);
	snprintf(path, sizeof(path), "%s/bgppeers/link.yaml", tdir);
	assert_int_equal(symlink("/etc/passwd", path), 0);

	res_set_init(&set);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(ds_load(ds, &set, &bad, &err), 0);
	assert_int_equal(set.nbgppeers, 2);
	assert_non_null(res_set_bgppeer(&set, "good"));
	assert_non_null(res_set_bgppeer(&set, "hand"));
	assert_null(res_set_bgppeer(&set, "hand")->meta.resource_version);
	assert_int_equal(set.nnodes, 0);
	for (i = 0; i < bad.n; i++)
		print_message("# %s\n", bad.msgs[i]);
	assert_int_equal(bad.n, 6);
	snprintf(buf, sizeof(buf), "%s/bgppeers/syntax.yaml:3:1:", tdir);
	assert_true(has_msg(&bad, buf));
	snprintf(buf, sizeof(buf), "%s/bgppeers/field.yaml:8:3: BGPPeer "
	    "field: spec.bogus", tdir);
	assert_true(has_msg(&bad, buf));
	assert_true(has_msg(&bad, "renamed.yaml:1:1: BGPPeer other-name: "
	    "metadata.name does not match"));
	assert_true(has_msg(&bad, "nodes/wrongkind.yaml:1:1: BGPPeer "
	    "other-name: a BGPPeer is stored in bgppeers/, not nodes/"));
	assert_true(has_msg(&bad, "Upper.yaml: file name is not a valid"));
	assert_true(has_msg(&bad, "link.yaml: is a symbolic link"));
	res_set_free(&set);
	res_errors_free(&bad);

	/*
	 * A damaged file is repaired by an update without resourceVersion.
	 * A new handle's first write removes our stale temporary file.
	 */
	ds_close(ds);
	ds = open_ds();
	peer(&r, "syntax", 1);
	assert_int_equal(ds_update(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(ds_get(ds, RES_BGPPEER, "syntax", &r, &err), 0);
	res_free(&r);
	/* The hand-written file gets a revision on its first write. */
	peer(&r, "hand", 2);
	assert_int_equal(ds_apply(ds, &r, &err), 0);
	assert_non_null(res_meta(&r)->resource_version);
	res_free(&r);
	/* Our stale temporary file was removed under the lock. */
	assert_int_equal(count_tmp("bgppeers"), 0);
	ds_close(ds);
}

/* Wait for the watch fd and drain it: 1 changed, 0 not, -1 timeout. */
static int
watch_wait(struct ds *ds, int ms)
{
	struct pollfd	 pfd;

	pfd.fd = ds_watch_fd(ds);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return ds_watch_drain(ds);
}

static void
test_watch(void **state)
{
	struct ds	*ds = open_ds(), *w = open_ds();
	struct resource	 r;
	struct ds_err	 err;
	char		 buf[512], a[256], b[256];
	int		 fd;

	(void)state;
	assert_int_equal(ds_watch_start(w, &err), 0);
	assert_true(ds_watch_fd(w) >= 0);
	assert_int_equal(watch_wait(w, 50), -1);

	/* The kind directory appears with the first write. */
	peer(&r, "p1", 1);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(watch_wait(w, 1000), 1);
	while (watch_wait(w, 50) != -1)
		;
	/* Now the kind directory is watched too. */
	peer(&r, "p1", 2);
	assert_int_equal(ds_update(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(watch_wait(w, 1000), 1);
	while (watch_wait(w, 50) != -1)
		;

	/* Our own bookkeeping and stray files are not changes. */
	write_file(".revision", "100\n");
	write_file("bgppeers/.tortie-tmp.x", "junk");
	write_file("bgppeers/notes.txt", "junk");
	assert_true(watch_wait(w, 200) <= 0);

	/* A file written by hand counts, and so does a rename into place. */
	snprintf(buf, sizeof(buf), PEER_FMT, "hand", 64512u);
	write_file("bgppeers/hand.yaml", buf);
	assert_int_equal(watch_wait(w, 1000), 1);
	snprintf(a, sizeof(a), "%s/bgppeers/notes.txt", tdir);
	snprintf(b, sizeof(b), "%s/bgppeers/moved.yaml", tdir);
	assert_int_equal(rename(a, b), 0);
	assert_int_equal(watch_wait(w, 1000), 1);
	assert_int_equal(unlink(b), 0);
	assert_int_equal(watch_wait(w, 1000), 1);
	assert_int_equal(ds_delete(ds, RES_BGPPEER, "p1", NULL, &err), 0);
	assert_int_equal(watch_wait(w, 1000), 1);
	while (watch_wait(w, 50) != -1)
		;

	/* The kind directory removed and made again. */
	snprintf(a, sizeof(a), "rm -rf %s/bgppeers", tdir);
	assert_int_equal(system(a), 0);
	assert_int_equal(watch_wait(w, 1000), 1);
	while (watch_wait(w, 50) != -1)
		;
	peer(&r, "p2", 1);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(watch_wait(w, 1000), 1);
	while (watch_wait(w, 50) != -1)
		;

	/*
	 * The datastore directory moved away: one change, then nothing to
	 * watch until ds_watch_start() is called again after it is back.
	 */
	fd = ds_watch_fd(w);
	snprintf(a, sizeof(a), "%s.old", tdir);
	assert_int_equal(rename(tdir, a), 0);
	assert_int_equal(watch_wait(w, 1000), 1);
	assert_int_equal(ds_watch_start(w, &err), -1);
	assert_int_equal(rename(a, tdir), 0);
	assert_int_equal(ds_watch_start(w, &err), 0);
	assert_int_equal(ds_watch_fd(w), fd);
	peer(&r, "p3", 1);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	res_free(&r);
	assert_int_equal(watch_wait(w, 1000), 1);
	ds_close(w);
	ds_close(ds);
}

/*
 * Disk full and read-only, for real: a 64 KiB tmpfs mounted in a private
 * mount namespace of a child process.  The child reports the first
 * failing step in its exit status (cmocka's assertions cannot cross the
 * fork).
 */
static int
full_child(const char *mnt)
{
	struct ds	*ds;
	struct resource	 r;
	struct ds_err	 err;
	char		 path[256], before[8192], *t, chunk[4096];
	int		 fd;

	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return 2;
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") == -1)
		return 3;
	strlcpy(tdir, mnt, sizeof(tdir));
	if ((ds = ds_open_file(mnt, 0, &err)) == NULL)
		return 4;
	peer(&r, "p1", 1);
	if (ds_create(ds, &r, &err) == -1)
		return 5;
	res_free(&r);
	strlcpy(before, read_text("bgppeers/p1.yaml"), sizeof(before));
	snprintf(path, sizeof(path), "%s/filler", mnt);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) == -1)
		return 6;
	memset(chunk, 'x', sizeof(chunk));
	while (write(fd, chunk, sizeof(chunk)) > 0)
		;
	close(fd);
	peer(&r, "p1", 2);
	if (ds_update(ds, &r, &err) == 0 || err.code != DS_EIO ||
	    strstr(err.msg, "No space left") == NULL)
		return 7;
	res_free(&r);
	peer(&r, "p2", 2);
	if (ds_create(ds, &r, &err) == 0 || err.code != DS_EIO)
		return 8;
	res_free(&r);
	if ((t = read_text("bgppeers/p1.yaml")) == NULL ||
	    strcmp(t, before) != 0)
		return 9;
	if (count_tmp("bgppeers") != 0 || count_tmp(".") != 0)
		return 10;
	/* Deleting still works on a full disk. */
	if (ds_delete(ds, RES_BGPPEER, "p1", NULL, &err) == -1)
		return 11;
	unlink(path);
	peer(&r, "p1", 3);
	if (ds_create(ds, &r, &err) == -1)
		return 12;
	res_free(&r);
	strlcpy(before, read_text("bgppeers/p1.yaml"), sizeof(before));
	/*
	 * Read-only: the write fails, the old file stays.  The remount needs
	 * no file open for writing, so the lock file is closed first.
	 */
	ds_close(ds);
	if (mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL) == -1)
		return 13;
	if ((ds = ds_open_file(mnt, 0, &err)) == NULL)
		return 17;
	peer(&r, "p1", 4);
	if (ds_update(ds, &r, &err) == 0 || err.code != DS_EIO ||
	    strstr(err.msg, "Read-only") == NULL)
		return 14;
	res_free(&r);
	if ((t = read_text("bgppeers/p1.yaml")) == NULL ||
	    strcmp(t, before) != 0)
		return 15;
	if (ds_get(ds, RES_BGPPEER, "p1", &r, &err) == -1 ||
	    r.u.bgppeer.spec.as_number != 3)
		return 16;
	res_free(&r);
	ds_close(ds);
	return 0;
}

static void
test_disk_full(void **state)
{
	pid_t	 pid;
	int	 status;

	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(full_child(tdir));
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2 || WEXITSTATUS(status) == 3) {
		print_message("# no mount namespace or tmpfs here\n");
		skip();
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Crash safety.  The writer applies rounds: round n sets every peer's
 * asNumber to n, peer 0 first.  Killed anywhere, the store must load
 * without a single bad file and the values must read n+1 for a prefix
 * of the peers and n for the rest.
 */
#define CRASH_PEERS	4
#define CRASH_RUNS	200

static void
crash_writer(unsigned int start, int ready)
{
	struct ds	*ds;
	struct resource	 r;
	struct ds_err	 err;
	char		 name[16];
	unsigned int	 n, i;

	if ((ds = ds_open_file(tdir, 0, &err)) == NULL)
		_exit(1);
	/* Tell the parent that writing starts now. */
	if (ready != -1 && (write(ready, "", 1) != 1 || close(ready) == -1))
		_exit(3);
	for (n = start;; n++) {
		for (i = 0; i < CRASH_PEERS; i++) {
			snprintf(name, sizeof(name), "peer%u", i);
			peer(&r, name, n);
			if (ds_apply(ds, &r, &err) == -1)
				_exit(2);
			res_free(&r);
		}
	}
}

/*
 * Load and check the store against the values of the previous check
 * (v, updated): no bad file, every peer present, values never going
 * back, and a prefix of the peers one round ahead of the rest.
 */
static void
crash_check(int run, unsigned int *v)
{
	struct ds		*ds = open_ds();
	struct res_set		 set;
	struct res_errors	 bad;
	struct ds_err		 err;
	struct res_bgppeer	*p;
	char			 name[16];
	unsigned int		 i, now;

	res_set_init(&set);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(ds_load(ds, &set, &bad, &err), 0);
	if (bad.n != 0)
		fail_msg("run %d: %s", run, bad.msgs[0]);
	assert_int_equal(set.nbgppeers, CRASH_PEERS);
	for (i = 0; i < CRASH_PEERS; i++) {
		snprintf(name, sizeof(name), "peer%u", i);
		if ((p = res_set_bgppeer(&set, name)) == NULL)
			fail_msg("run %d: %s is missing", run, name);
		now = p->spec.as_number;
		if (now < v[i])
			fail_msg("run %d: %s went back from %u to %u", run,
			    name, v[i], now);
		v[i] = now;
	}
	for (i = 1; i < CRASH_PEERS; i++)
		if (v[i] > v[i - 1] || v[i] + 1 < v[0])
			fail_msg("run %d: peer%u has %u, peer0 %u", run, i,
			    v[i], v[0]);
	res_set_free(&set);
	res_errors_free(&bad);
	ds_close(ds);
}

static void
test_crash(void **state)
{
	struct ds	*ds = open_ds();
	struct resource	 r;
	struct ds_err	 err;
	struct timespec	 ts, t0, t1;
	unsigned int	 v[CRASH_PEERS], i;
	long		 round_us, us;
	char		 name[16], c;
	pid_t		 pid;
	int		 run, status, p[2];

	(void)state;
	for (i = 0; i < CRASH_PEERS; i++) {
		snprintf(name, sizeof(name), "peer%u", i);
		peer(&r, name, 1);
		assert_int_equal(ds_create(ds, &r, &err), 0);
		res_free(&r);
		v[i] = 1;
	}
	/* How long a round takes here: kills land within two rounds. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < CRASH_PEERS; i++) {
		snprintf(name, sizeof(name), "peer%u", i);
		peer(&r, name, 1);
		assert_int_equal(ds_apply(ds, &r, &err), 0);
		res_free(&r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	round_us = (t1.tv_sec - t0.tv_sec) * 1000000L +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
	if (round_us > 50000)
		round_us = 50000;	/* slow disks: bound the test's time */
	ds_close(ds);
	srandom((unsigned int)getpid());
	for (run = 0; run < CRASH_RUNS; run++) {
		fflush(NULL);
		assert_int_equal(pipe(p), 0);
		/* Resume the round the last writer did not finish. */
		if ((pid = fork()) == 0) {
			close(p[0]);
			crash_writer(v[CRASH_PEERS - 1] + 1, p[1]);
		}
		assert_true(pid > 0);
		close(p[1]);
		/* Kill at a random point of the writes, not before them. */
		assert_int_equal(read(p[0], &c, 1), 1);
		close(p[0]);
		us = random() % (2 * round_us + 1);
		ts.tv_sec = us / 1000000;
		ts.tv_nsec = (us % 1000000) * 1000L;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status))
			fail_msg("run %d: writer exited %d", run,
			    WEXITSTATUS(status));
		crash_check(run, v);
	}
	print_message("# %d kills within %ld us, peer0 reached asNumber %u, "
	    "%d stale temporary files\n", CRASH_RUNS, 2 * round_us, v[0],
	    count_tmp("bgppeers"));
	assert_true(v[0] > 1);
}

/*
 * Readers take no lock: while a writer rewrites resources as fast as it
 * can, every load sees only whole files.
 */
static void
test_concurrent_read(void **state)
{
	struct ds		*ds = open_ds();
	struct res_set		 set;
	struct res_errors	 bad;
	struct ds_err		 err;
	struct resource		 r;
	pid_t			 pid;
	int			 i, status;

	(void)state;
	peer(&r, "peer0", 1);
	assert_int_equal(ds_create(ds, &r, &err), 0);
	res_free(&r);
	fflush(NULL);
	if ((pid = fork()) == 0)
		crash_writer(2, -1);
	assert_true(pid > 0);
	for (i = 0; i < 300; i++) {
		res_set_init(&set);
		memset(&bad, 0, sizeof(bad));
		assert_int_equal(ds_load(ds, &set, &bad, &err), 0);
		if (bad.n != 0)
			fail_msg("load %d: %s", i, bad.msgs[0]);
		assert_non_null(res_set_bgppeer(&set, "peer0"));
		res_set_free(&set);
		res_errors_free(&bad);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	ds_close(ds);
}

/* Two writers at once: the lock hands out every revision once. */
static void
test_two_writers(void **state)
{
	struct ds		*ds;
	struct res_list		 l;
	struct res_errors	 bad;
	struct resource		 r;
	struct ds_err		 err;
	char			 name[16], seen[201];
	pid_t			 pid[2];
	int			 w, i, status, v;

	(void)state;
	fflush(NULL);
	for (w = 0; w < 2; w++) {
		if ((pid[w] = fork()) == 0) {
			if ((ds = ds_open_file(tdir, 0, &err)) == NULL)
				_exit(1);
			for (i = 0; i < 100; i++) {
				snprintf(name, sizeof(name), "w%d-%d", w, i);
				peer(&r, name, 1);
				if (ds_create(ds, &r, &err) == -1)
					_exit(2);
				res_free(&r);
			}
			_exit(0);
		}
		assert_true(pid[w] > 0);
	}
	for (w = 0; w < 2; w++) {
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ds = open_ds();
	memset(&l, 0, sizeof(l));
	memset(&bad, 0, sizeof(bad));
	memset(seen, 0, sizeof(seen));
	assert_int_equal(ds_list(ds, RES_BGPPEER, &l, NULL, &bad, &err), 0);
	assert_int_equal(l.n, 200);
	for (i = 0; i < 200; i++) {
		v = atoi(res_meta(&l.items[i])->resource_version);
		assert_true(v >= 1 && v <= 200);
		assert_int_equal(seen[v], 0);
		seen[v] = 1;
	}
	assert_string_equal(read_text(".revision"), "200\n");
	res_list_free(&l);
	res_errors_free(&bad);
	ds_close(ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_update_conflict,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_delete, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_names, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_bad_files, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_watch, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_disk_full, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_crash, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_concurrent_read,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_two_writers, setup_dir,
		    teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
