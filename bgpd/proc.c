/*
 * Helper processes: spawn with fork+exec, wire the pipes between them,
 * supervise.  A sessiond that dies is restarted with exponential back-off
 * (its peers recover through graceful restart); the death of ribd or
 * kroute stops the daemon, since the RIB or the kernel view is then lost.
 *
 * dsd, the etcd client, runs while the datastore is etcd: config.c gets
 * its proxy handle from proc_dsd_open() and closing that handle stops it.
 * A dsd that dies is restarted with the same back-off; meanwhile datastore
 * calls fail and the running plan stays.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgpd.h"
#include "datastore.h"
#include "datastore_proxy.h"
#include "evt.h"
#include "log.h"
#include "util.h"

#define RESTART_MAX_S	60
#define CORE_DEATH_WAIT_MS	1000
#define DSD_ARGS_MAX	(2 * DCONF_MAX_ENDPOINTS + 6)

/* The current dsd and its proxy; replaced ones until they have exited. */
static struct child	*dsd;
static struct ds	*dsd_ds;
static struct dconf	 dsd_dc;	/* its etcd settings */
static struct child_head dsd_old = TAILQ_HEAD_INITIALIZER(dsd_old);

static struct child	*child_new(enum tortie_role, const char *, uint32_t);
static void		 child_free(struct child *);
static int		 child_spawn(struct child *);
static const char	*helper_path(enum tortie_role);
static void		 child_dispatch(struct imsgev *, struct imsg *, void *);
static void		 child_closed(struct imsgev *, void *);
static void		 child_exited(struct child *, int);
static void		 core_died(struct child *, int);
static void		 child_restart_cb(evutil_socket_t, short, void *);
static struct child	*child_by_pid(pid_t);
static void		 wire(struct child *, uint32_t, struct child *,
			    uint32_t, uint32_t);
static void		 wire_group(struct child *);
static void		 proc_stop_rib(void);
static uint64_t		 child_backoff(struct child *);
static int		 dsd_args(const char **, int);
static int		 dsd_start(struct child *);
static void		 dsd_stop(void);
static void		 dsd_closed(struct ds *);
static void		 dsd_exited(struct child *);
static void		 dsd_dispatch(struct child *, struct imsg *);

void
proc_init(void)
{
	TAILQ_INIT(&td->groups);
	td->next_groupid = 1;
}

static const char *
helper_path(enum tortie_role role)
{
	static char	 path[4096];
	char		 dir[PATH_MAX];
	const char	*bin, *sub, *env;
	struct stat	 st;

	switch (role) {
	case ROLE_SESSION:
		bin = "sessiond";
		sub = "sessiond";
		break;
	case ROLE_RIB:
		bin = "ribd";
		sub = "ribd";
		break;
	case ROLE_KROUTE:
		bin = "kroute";
		sub = "kroute";
		break;
	case ROLE_DSD:
		bin = "dsd";
		sub = "dsd";
		break;
	default:
		fatalx("helper_path: bad role");
	}
	if ((env = getenv("TORTIE_LIBEXECDIR")) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", env, bin);
		return path;
	}
	/* Run from the build tree: bgpd/tortied next to sessiond/sessiond. */
	if (exe_dir(dir, sizeof(dir)) == 0) {
		if (snprintf(path, sizeof(path), "%s/../%s/%s", dir, sub,
		    bin) < (int)sizeof(path) && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode) && realpath(path, dir) != NULL) {
			strlcpy(path, dir, sizeof(path));
			return path;
		}
	}
	snprintf(path, sizeof(path), "%s/%s", LIBEXECDIR, bin);
	return path;
}

static struct child *
child_new(enum tortie_role role, const char *name, uint32_t groupid)
{
	struct child	*c;

	c = xcalloc(1, sizeof(*c));
	c->role = role;
	c->groupid = groupid;
	c->pid = -1;
	strlcpy(c->name, name, sizeof(c->name));
	strlcpy(c->label, name, sizeof(c->label));
	c->restart_ev = evtimer_new(td->base, child_restart_cb, c);
	if (c->restart_ev == NULL)
		fatalx("evtimer_new");
	return c;
}

static void
child_free(struct child *c)
{
	if (c->connected)
		imsgev_clear(&c->iev);
	event_free(c->restart_ev);
	free(c);
}

static int
child_spawn(struct child *c)
{
	const char	*argv[24 + DSD_ARGS_MAX];
	char		 gid[16], table[16], proto[16];
	const char	*path;
	int		 sp[2], argc = 0, i;
	pid_t		 pid;

	path = helper_path(c->role);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("socketpair for %s", c->label);
		return -1;
	}
	argv[argc++] = path;
	argv[argc++] = "-u";
	argv[argc++] = td->conf.d.user;
	argv[argc++] = "-r";
	argv[argc++] = td->conf.chroot;
	if (td->conf.debug)
		argv[argc++] = "-d";
	for (i = 0; i < td->conf.verbose && i < 3; i++)
		argv[argc++] = "-v";
	if (c->role == ROLE_KROUTE) {
		snprintf(table, sizeof(table), "%u", td->conf.d.kernel_table);
		snprintf(proto, sizeof(proto), "%u",
		    td->conf.d.kernel_protocol);
		argv[argc++] = "-T";
		argv[argc++] = table;
		argv[argc++] = "-P";
		argv[argc++] = proto;
		if (!td->conf.d.kernel_install)
			argv[argc++] = "-K";
	}
	if (c->role == ROLE_SESSION) {
		snprintf(gid, sizeof(gid), "%u", c->groupid);
		argv[argc++] = "-g";
		argv[argc++] = gid;
		argv[argc++] = "-n";
		argv[argc++] = c->name;
	}
	if (c->role == ROLE_DSD)
		argc = dsd_args(argv, argc);
	argv[argc] = NULL;

	switch ((pid = fork())) {
	case -1:
		log_warn("fork %s", c->label);
		close(sp[0]);
		close(sp[1]);
		return -1;
	case 0:
		if (sp[1] == TORTIE_PARENT_FD) {
			if (fcntl(sp[1], F_SETFD, 0) == -1)
				_exit(127);
		} else if (dup2(sp[1], TORTIE_PARENT_FD) == -1)
			_exit(127);
		closefrom(TORTIE_PARENT_FD + 1);
		signal(SIGPIPE, SIG_DFL);
		execv(path, (char *const *)argv);
		fprintf(stderr, "tortied: exec %s: %s\n", path,
		    strerror(errno));
		_exit(127);
	}
	close(sp[1]);
	c->pid = pid;
	c->hello = 0;
	c->started_ms = mono_ms();
	if (imsgev_init(&c->iev, td->base, sp[0], IMSG_MAX_PIPE,
	    child_dispatch, child_closed, c) == -1)
		fatal("imsgev_init for %s", c->label);
	c->connected = 1;
	log_debug("started %s pid %d", c->label, (int)pid);
	return 0;
}

/*
 * Give two children the ends of a fresh socketpair: `a` gets type ta (with
 * peerid), `b` type tb.
 */
static void
wire(struct child *a, uint32_t ta, struct child *b, uint32_t tb,
    uint32_t peerid)
{
	int	 sp[2];

	if (a == NULL || b == NULL || !a->connected || !b->connected)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	if (imsgev_compose(&a->iev, ta, peerid, 0, sp[0], NULL, 0) == -1)
		log_warn("passing pipe to %s", a->label);
	if (imsgev_compose(&b->iev, tb, peerid, 0, sp[1], NULL, 0) == -1)
		log_warn("passing pipe to %s", b->label);
}

/* A new sessiond: its pipe to ribd, then its sessions. */
static void
wire_group(struct child *g)
{
	wire(td->rib, IMSG_SOCKET_SESSION, g, IMSG_SOCKET_RIB, g->groupid);
	peers_group_started(g);
}

int
proc_compose(struct child *c, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (c == NULL || !c->connected) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return imsgev_compose(&c->iev, type, peerid, 0, fd, data, len);
}

void
proc_start_core(void)
{
	td->rib = child_new(ROLE_RIB, "ribd", 0);
	td->kroute = child_new(ROLE_KROUTE, "kroute", 0);
	if (child_spawn(td->rib) == -1 || child_spawn(td->kroute) == -1)
		fatalx("cannot start ribd and kroute");
	wire(td->rib, IMSG_SOCKET_KROUTE, td->kroute, IMSG_SOCKET_RIB, 0);
}

struct child *
proc_group_find(const char *name)
{
	struct child	*c;

	TAILQ_FOREACH(c, &td->groups, entry)
		if (strcmp(c->name, name) == 0 && !c->removing)
			return c;
	return NULL;
}

struct child *
proc_group_add(const char *name)
{
	struct child	*c;

	if ((c = proc_group_find(name)) != NULL)
		return c;
	c = child_new(ROLE_SESSION, name, td->next_groupid++);
	snprintf(c->label, sizeof(c->label), "sessiond %s", name);
	TAILQ_INSERT_TAIL(&td->groups, c, entry);
	if (child_spawn(c) == 0)
		wire_group(c);
	else
		evt_after_ms(c->restart_ev, 1000);
	log_info("peer group %s: sessiond started", name);
	return c;
}

void
proc_group_remove(struct child *c)
{
	c->removing = 1;
	evtimer_del(c->restart_ev);
	if (c->pid == -1) {
		TAILQ_REMOVE(&td->groups, c, entry);
		child_free(c);
		return;
	}
	proc_compose(c, IMSG_SHUTDOWN, 0, -1, NULL, 0);
}

int
proc_count(void)
{
	struct child	*c;
	int		 n = 0;

	if (td->rib && td->rib->pid != -1)
		n++;
	if (td->kroute && td->kroute->pid != -1)
		n++;
	TAILQ_FOREACH(c, &td->groups, entry)
		if (c->pid != -1)
			n++;
	if (dsd != NULL && dsd->pid != -1)
		n++;
	TAILQ_FOREACH(c, &dsd_old, entry)
		if (c->pid != -1)
			n++;
	return n;
}

/*
 * Stop the sessionds and kroute first; ribd, the hub they all talk to,
 * goes last (proc_reap() stops it when it is alone), so that nobody sees
 * its pipe close before being told to stop.
 */
void
proc_stop_all(void)
{
	struct child	*c;

	TAILQ_FOREACH(c, &td->groups, entry) {
		evtimer_del(c->restart_ev);
		proc_compose(c, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	}
	if (dsd != NULL) {
		evtimer_del(dsd->restart_ev);
		proc_compose(dsd, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	}
	proc_compose(td->kroute, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	proc_stop_rib();
}

static void
proc_stop_rib(void)
{
	if (td->rib == NULL || td->rib->pid == -1 || td->rib_stopping)
		return;
	if (proc_count() > 1)
		return;
	td->rib_stopping = 1;
	proc_compose(td->rib, IMSG_SHUTDOWN, 0, -1, NULL, 0);
}

static struct child *
child_by_pid(pid_t pid)
{
	struct child	*c;

	if (td->rib && td->rib->pid == pid)
		return td->rib;
	if (td->kroute && td->kroute->pid == pid)
		return td->kroute;
	TAILQ_FOREACH(c, &td->groups, entry)
		if (c->pid == pid)
			return c;
	if (dsd != NULL && dsd->pid == pid)
		return dsd;
	TAILQ_FOREACH(c, &dsd_old, entry)
		if (c->pid == pid)
			return c;
	return NULL;
}

/* SIGCHLD: collect every exited child. */
void
proc_reap(void)
{
	struct child	*c;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = child_by_pid(pid)) == NULL)
			continue;
		child_exited(c, status);
	}
	if (td->shutting_down) {
		proc_stop_rib();
		if (proc_count() == 0)
			event_base_loopexit(td->base, NULL);
	}
}

/* The next restart's delay: doubling, reset after a while of life. */
static uint64_t
child_backoff(struct child *c)
{
	uint64_t	 delay;

	if (mono_ms() - c->started_ms > RESTART_MAX_S * 1000)
		c->restarts = 0;
	delay = c->restarts < 6 ? 1U << c->restarts : RESTART_MAX_S;
	if (delay > RESTART_MAX_S)
		delay = RESTART_MAX_S;
	c->restarts++;
	c->restarts_total++;
	return delay;
}

static void
child_exited(struct child *c, int status)
{
	uint64_t	 delay;

	if (WIFSIGNALED(status))
		log_warnx("%s (pid %d) killed by signal %d", c->label,
		    (int)c->pid, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0 || !td->shutting_down)
		log_warnx("%s (pid %d) exited with status %d", c->label,
		    (int)c->pid, WEXITSTATUS(status));
	c->pid = -1;
	if (c->connected) {
		imsgev_clear(&c->iev);
		c->connected = 0;
	}
	if (c->role == ROLE_DSD) {
		dsd_exited(c);
		return;
	}
	if (td->shutting_down)
		return;
	if (c->role != ROLE_SESSION) {
		core_died(c, status);
		return;
	}
	if (c->removing) {
		TAILQ_REMOVE(&td->groups, c, entry);
		child_free(c);
		return;
	}
	/* A child that ran for a while starts its back-off afresh. */
	delay = child_backoff(c);
	log_warnx("peer group %s: restarting sessiond in %llu s", c->label,
	    (unsigned long long)delay);
	evt_after_ms(c->restart_ev, delay * 1000);
}

/*
 * Whether ribd closes its end of our pipe within ms: it is dying, reaped
 * or not.  Only hang-ups wake the poll, not ribd's messages.
 */
static int
rib_hangs_up(int ms)
{
	struct pollfd	 pfd;

	if (td->rib == NULL || td->rib->pid == -1 || !td->rib->connected)
		return 0;
	pfd.fd = td->rib->iev.ibuf.fd;
	pfd.events = 0;
	pfd.revents = 0;
	return poll(&pfd, 1, ms) == 1 && (pfd.revents & (POLLHUP | POLLERR));
}

/*
 * ribd or kroute died: tortied stops, with one line that names the cause.
 * kroute exits as soon as its pipe to ribd closes.  A dying process
 * releases its descriptors one by one, so kroute's exit may be reaped
 * even before ribd has closed our pipe: a kroute that exited by itself is
 * ribd's death if ribd hangs up soon after.
 */
static void
core_died(struct child *c, int status)
{
	if (c == td->kroute && !WIFSIGNALED(status) &&
	    rib_hangs_up(CORE_DEATH_WAIT_MS))
		c = td->rib;
	log_warnx("%s died: the %s is lost, stopping tortied", c->label,
	    c->role == ROLE_RIB ? "RIB" : "kernel view");
	td_shutdown(1);
}

static void
child_restart_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)ev;
	if (td->shutting_down || c->pid != -1)
		return;
	if (c->role == ROLE_DSD) {
		if (dsd_start(c) == -1)
			evt_after_ms(c->restart_ev, RESTART_MAX_S * 1000);
		return;
	}
	if (child_spawn(c) == -1) {
		evt_after_ms(c->restart_ev, RESTART_MAX_S * 1000);
		return;
	}
	wire_group(c);
}

static void
child_closed(struct imsgev *iev, void *arg)
{
	struct child	*c = arg;

	(void)iev;
	/* The exit itself is handled when SIGCHLD arrives. */
	log_debug("%s: pipe closed", c->label);
}

static void
child_dispatch(struct imsgev *iev, struct imsg *im, void *arg)
{
	struct child		*c = arg;
	struct imsg_child_hello	 h;

	(void)iev;
	switch (im->hdr.type) {
	case IMSG_CHILD_HELLO:
		if (imsg_expect(im, sizeof(h)) == -1)
			fatalx("%s: bad hello", c->label);
		memcpy(&h, im->data, sizeof(h));
		if (h.role != c->role)
			fatalx("%s: hello with role %u", c->label, h.role);
		c->hello = 1;
		log_debug("%s (pid %u) is up", c->label, h.pid);
		break;
	case IMSG_CTL_DATA:
	case IMSG_CTL_END:
	case IMSG_CTL_ERROR:
		if (c->role == ROLE_SESSION)
			fatalx("%s: control answer from a sessiond", c->label);
		if (im->hdr.peerid & NS_REQID_BASE)
			nodestatus_rib(im->hdr.peerid, im->hdr.type, im->data,
			    im->datalen);
		else
			control_relay(im->hdr.peerid, im->hdr.type, im->data,
			    im->datalen);
		break;
	case IMSG_IFINFO:
	case IMSG_IFADDR:
		if (c->role != ROLE_KROUTE)
			fatalx("%s: interface event from a non-kroute "
			    "process", c->label);
		break;
	case IMSG_PEER_COUNTS:
		if (c->role != ROLE_RIB)
			fatalx("%s: peer counts from a non-ribd process",
			    c->label);
		peers_counts(im);
		break;
	case IMSG_DS_CHANGED:
	case IMSG_DS_STATUS:
		if (c->role != ROLE_DSD)
			fatalx("%s: datastore message from a non-dsd process",
			    c->label);
		dsd_dispatch(c, im);
		break;
	case IMSG_SESSION_STATE:
		if (c->role != ROLE_SESSION)
			fatalx("%s: session state from a non-session process",
			    c->label);
		peers_state(c, im);
		break;
	default:
		if (im->fd != -1)
			close(im->fd);
		log_warnx("%s: unexpected %s", c->label,
		    imsg_type_name(im->hdr.type));
		break;
	}
}

/*
 * dsd.
 */

/* dsd's options: the etcd settings of tortie.yaml, no secrets. */
static int
dsd_args(const char **argv, int argc)
{
	int	 i;

	for (i = 0; i < dsd_dc.ds_nendpoints && i < DCONF_MAX_ENDPOINTS;
	    i++) {
		argv[argc++] = "-e";
		argv[argc++] = dsd_dc.ds_endpoints[i];
	}
	if (dsd_dc.ds_ca_file != NULL) {
		argv[argc++] = "-a";
		argv[argc++] = dsd_dc.ds_ca_file;
	}
	if (dsd_dc.ds_cert_file != NULL) {
		argv[argc++] = "-c";
		argv[argc++] = dsd_dc.ds_cert_file;
	}
	if (dsd_dc.ds_key_file != NULL) {
		argv[argc++] = "-k";
		argv[argc++] = dsd_dc.ds_key_file;
	}
	return argc;
}

/*
 * Start dsd and give it the request socket.  The socket goes out at once
 * (not from the event loop): the first call may come before the loop
 * runs again.
 */
static int
dsd_start(struct child *c)
{
	int	 sp[2];

	if (child_spawn(c) == -1)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("socketpair for dsd");
		kill(c->pid, SIGTERM);
		return 0;
	}
	proc_compose(c, IMSG_DS_SOCKET, 0, sp[1], NULL, 0);
	imsgev_flush(&c->iev);
	if (dsd_ds != NULL)
		ds_proxy_attach(dsd_ds, sp[0]);
	else
		close(sp[0]);
	return 0;
}

/* Stop the current dsd; it is freed once it has exited. */
static void
dsd_stop(void)
{
	struct child	*c = dsd;

	if (c == NULL)
		return;
	dsd = NULL;
	evtimer_del(c->restart_ev);
	c->removing = 1;
	if (c->pid == -1) {
		child_free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&dsd_old, c, entry);
	/* Now: its request socket may close before the loop runs again. */
	proc_compose(c, IMSG_SHUTDOWN, 0, -1, NULL, 0);
	imsgev_flush(&c->iev);
}

/*
 * A dsd for these etcd settings (tortie.yaml's datastore section) and
 * its proxy handle, for config.c; one that runs for other settings is
 * stopped.  The handle works at once: calls wait for dsd to answer.
 */
struct ds *
proc_dsd_open(const struct dconf *d)
{
	int	 i;

	dsd_stop();
	if (dsd_ds != NULL)
		ds_proxy_detach(dsd_ds, "replaced by a new dsd");
	dconf_free(&dsd_dc);
	for (i = 0; i < d->ds_nendpoints && i < DCONF_MAX_ENDPOINTS; i++)
		dsd_dc.ds_endpoints[i] = xstrdup(d->ds_endpoints[i]);
	dsd_dc.ds_nendpoints = i;
	if (d->ds_ca_file != NULL)
		dsd_dc.ds_ca_file = xstrdup(d->ds_ca_file);
	if (d->ds_cert_file != NULL)
		dsd_dc.ds_cert_file = xstrdup(d->ds_cert_file);
	if (d->ds_key_file != NULL)
		dsd_dc.ds_key_file = xstrdup(d->ds_key_file);
	dsd_ds = ds_proxy_open(0, dsd_closed);
	dsd = child_new(ROLE_DSD, "dsd", 0);
	if (dsd_start(dsd) == -1)
		evt_after_ms(dsd->restart_ev, 1000);
	return dsd_ds;
}

/* config.c closed the handle: its dsd goes too. */
static void
dsd_closed(struct ds *ds)
{
	if (ds != dsd_ds)
		return;
	dsd_ds = NULL;
	dsd_stop();
	dconf_free(&dsd_dc);
}

static void
dsd_exited(struct child *c)
{
	uint64_t	 delay;

	if (c != dsd) {
		TAILQ_REMOVE(&dsd_old, c, entry);
		child_free(c);
		return;
	}
	if (dsd_ds != NULL)
		ds_proxy_detach(dsd_ds, "dsd exited");
	if (td->shutting_down)
		return;
	delay = child_backoff(c);
	log_warnx("dsd: restarting in %llu s", (unsigned long long)delay);
	evt_after_ms(c->restart_ev, delay * 1000);
}

/*
 * What dsd says on its pipe.  dsd talks to the network: a malformed
 * message restarts it rather than stopping the daemon.
 */
static void
dsd_dispatch(struct child *c, struct imsg *im)
{
	if (c != dsd || dsd_ds == NULL)
		return;		/* a replaced dsd */
	if (im->hdr.type == IMSG_DS_CHANGED)
		ds_proxy_changed(dsd_ds);
	else if (ds_proxy_status_msg(dsd_ds, im->data, im->datalen) == -1) {
		log_warnx("%s: malformed status, restarting it", c->label);
		kill(c->pid, SIGTERM);
	}
}

/* The current dsd, or NULL when the datastore is not etcd. */
struct child *
proc_dsd(void)
{
	return dsd;
}
