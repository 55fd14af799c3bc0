/*
 * tortied: the parent process of the tortie routing suite.
 *
 *	tortied [-dnv] [-f file] [-N nodename] [-D datastore-dir] [-s socket]
 *
 * It reads the daemon configuration and the datastore, computes this
 * node's peerings, starts ribd, kroute and one sessiond per peer group,
 * accepts BGP connections and hands them to the right sessiond, answers
 * tortiectl on the control socket and supervises its children.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgpd.h"
#include "evt.h"
#include "log.h"
#include "plan.h"
#include "platform.h"
#include "sandbox.h"
#include "util.h"

#define STOP_GRACE_S	5

struct tortied		*td;
static struct tortied	 td_storage;

static void	 usage(void) __attribute__((__noreturn__));
static void	 conf_defaults(struct daemon_conf *);
static char	*abspath(const char *);
static void	 signal_cb(evutil_socket_t, short, void *);
static void	 stop_timeout(evutil_socket_t, short, void *);
static void	 chroot_prepare(const char *);
static int	 check_only(void);

static void
usage(void)
{
	fprintf(stderr, "usage: tortied [-dnv] [-f file] [-N nodename] "
	    "[-D datastore-dir] [-s socket]\n");
	exit(1);
}

static void
conf_defaults(struct daemon_conf *c)
{
	memset(c, 0, sizeof(*c));
	dconf_defaults(&c->d);
	c->conf_file = xstrdup(TORTIE_CONF);
	c->chroot = xstrdup(TORTIE_CHROOT);
}

/*
 * Read tortie.yaml and apply the command line on top.  On error *c keeps
 * what it had (a bad file never replaces a good running configuration).
 */
int
td_conf_load(struct daemon_conf *c, char *err, size_t errlen)
{
	struct dconf	 d;
	char		 host[256];

	if (dconf_load(c->conf_file, &d, err, errlen) == -1) {
		dconf_free(&d);
		return -1;
	}
	if (c->opt_ds != NULL) {
		free(d.ds_type);
		d.ds_type = xstrdup("file");
		free(d.ds_path);
		d.ds_path = xstrdup(c->opt_ds);
	}
	if (c->opt_socket != NULL) {
		free(d.ctl_socket);
		d.ctl_socket = xstrdup(c->opt_socket);
	}
	free(c->node_name);
	if (c->opt_node != NULL)
		c->node_name = xstrdup(c->opt_node);
	else if (d.node_name != NULL)
		c->node_name = xstrdup(d.node_name);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			strlcpy(host, "localhost", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		c->node_name = xstrdup(host);
	}
	dconf_free(&c->d);
	c->d = d;
	return 0;
}

/* Paths survive daemon(3)'s chdir("/"). */
static char *
abspath(const char *p)
{
	char	 cwd[PATH_MAX];
	char	*s;

	if (p[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(p);
	xasprintf(&s, "%s/%s", cwd, p);
	return s;
}

/* The children's chroot: an empty directory owned by root. */
static void
chroot_prepare(const char *dir)
{
	struct stat	 st;
	char		 parent[PATH_MAX], *slash;

	strlcpy(parent, dir, sizeof(parent));
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
		*slash = '\0';
		if (stat(parent, &st) == -1 && mkdir(parent, 0755) == -1)
			fatal("mkdir %s", parent);
	}
	if (stat(dir, &st) == -1) {
		if (mkdir(dir, 0755) == -1)
			fatal("mkdir %s", dir);
	} else if (!S_ISDIR(st.st_mode))
		fatalx("%s: not a directory", dir);
	if (chown(dir, 0, 0) == -1 || chmod(dir, 0755) == -1)
		fatal("%s: cannot make it root-owned", dir);
}

/* -n: validate everything and print this node's plan. */
static int
check_only(void)
{
	struct plan	 plan;
	char		 err[1024], *json;

	memset(&plan, 0, sizeof(plan));
	if (config_compute(&td->conf, &plan, err, sizeof(err)) == -1) {
		fprintf(stderr, "tortied: %s\n", err);
		plan_free(&plan);
		return 1;
	}
	json = plan_to_json(&plan);
	fputs(json, stdout);
	free(json);
	plan_free(&plan);
	config_cleanup();
	return 0;
}

void
td_shutdown(int code)
{
	if (td->shutting_down)
		return;
	td->shutting_down = 1;
	td->exit_code = code;
	log_info("stopping");
	proc_stop_all();
	evt_after_ms(td->stop_ev, STOP_GRACE_S * 1000);
	if (proc_count() == 0)
		event_base_loopexit(td->base, NULL);
}

void
td_reload(void)
{
	if (td->shutting_down)
		return;
	config_reload();
}

static void
stop_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct child	*c;

	(void)fd;
	(void)ev;
	(void)arg;
	log_warnx("children did not stop in %d s, killing them", STOP_GRACE_S);
	if (td->rib && td->rib->pid > 0)
		kill(td->rib->pid, SIGKILL);
	if (td->kroute && td->kroute->pid > 0)
		kill(td->kroute->pid, SIGKILL);
	TAILQ_FOREACH(c, &td->groups, entry)
		if (c->pid > 0)
			kill(c->pid, SIGKILL);
	event_base_loopexit(td->base, NULL);
}

static void
signal_cb(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		td_shutdown(0);
		break;
	case SIGHUP:
		td_reload();
		break;
	case SIGCHLD:
		proc_reap();
		break;
	}
}

int
main(int argc, char *argv[])
{
	struct event	*sigev[4];
	const int	 sigs[4] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	char		 err[1024];
	int		 ch, i, checkonly = 0;

	plat_proctitle_init(argc, argv);
	td = &td_storage;
	conf_defaults(&td->conf);
	log_init(1, 0);
	log_procname("tortied");
	while ((ch = getopt(argc, argv, "dD:f:nN:s:v")) != -1) {
		switch (ch) {
		case 'd':
			td->conf.debug = 1;
			break;
		case 'D':
			td->conf.opt_ds = abspath(optarg);
			break;
		case 'f':
			free(td->conf.conf_file);
			td->conf.conf_file = abspath(optarg);
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'N':
			td->conf.opt_node = xstrdup(optarg);
			break;
		case 's':
			td->conf.opt_socket = abspath(optarg);
			break;
		case 'v':
			td->conf.verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_setverbose(td->conf.verbose);
	if (td_conf_load(&td->conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "tortied: %s\n", err);
		return 1;
	}
	if (checkonly)
		return check_only();
	if (geteuid() != 0)
		fatalx("need root privileges");
	if (sandbox_check_user(td->conf.d.user, err, sizeof(err)) == -1)
		fatalx("%s", err);
	chroot_prepare(td->conf.chroot);

	if (!td->conf.debug) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(0, td->conf.verbose);
	}
	signal(SIGPIPE, SIG_IGN);
	if ((td->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	for (i = 0; i < 4; i++) {
		sigev[i] = evsignal_new(td->base, sigs[i], signal_cb, NULL);
		if (sigev[i] == NULL || evsignal_add(sigev[i], NULL) == -1)
			fatalx("signal events");
	}
	if ((td->stop_ev = evtimer_new(td->base, stop_timeout, NULL)) == NULL)
		fatalx("evtimer_new");
	td->started = mono_sec();
	proc_init();
	if (control_init(td->conf.d.ctl_socket, td->conf.d.user) == -1)
		fatalx("cannot open the control socket %s",
		    td->conf.d.ctl_socket);
	if (metrics_init(td->base, td->conf.d.metrics_listen) == -1)
		fatalx("cannot serve metrics on %s", td->conf.d.metrics_listen);
	proc_start_core();
	/* The mesh is on by default; the plan decides from here on. */
	proc_group_add("mesh");
	plat_setproctitle("tortied: parent");
	log_info("started, node %s", td->conf.node_name);
	config_reload();

	event_base_dispatch(td->base);

	control_cleanup(td->conf.d.ctl_socket);
	metrics_close();
	listen_close();
	config_cleanup();
	for (i = 0; i < 4; i++)
		event_free(sigev[i]);
	log_info("stopped");
	return td->exit_code;
}
