/*
 * Start-up of a helper process (sessiond, ribd, kroute).  tortied
 * fork+execs each helper with its pipe as descriptor 3 and these options:
 *
 *	-d		log to stderr
 *	-v		more verbose (repeatable)
 *	-g id		peer group id (sessiond)
 *	-n name		peer group name (sessiond), for logs and ps
 *	-u user		user to run as
 *	-r dir		empty directory to chroot to
 *	-T table	kernel routing table (kroute)
 *	-P protocol	rtnetlink protocol of our routes (kroute)
 *	-K		never touch the kernel's routes (kroute)
 *
 * The helper builds its event base, then confines itself (chroot, user,
 * seccomp) before it reads its first message.
 */
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "log.h"
#include "platform.h"
#include "sandbox.h"

static void	 child_usage(const char *) __attribute__((__noreturn__));

static void
child_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-dKv] [-g id] [-n name] [-P proto] "
	    "[-r dir] [-T table] [-u user]\n(%s is started by tortied, not by hand)\n", prog,
	    prog);
	exit(1);
}

void
child_init(struct child_ctx *c, enum tortie_role role, int argc, char **argv)
{
	const char	*errstr;
	int		 ch;

	memset(c, 0, sizeof(*c));
	plat_proctitle_init(argc, argv);
	c->role = role;
	c->user = TORTIE_USER;
	c->chroot = TORTIE_CHROOT;
	c->kr_table = 254;
	c->kr_protocol = 186;
	while ((ch = getopt(argc, argv, "dg:Kn:P:r:T:u:v")) != -1) {
		switch (ch) {
		case 'd':
			c->debug = 1;
			break;
		case 'g':
			c->groupid = (uint32_t)strtonum(optarg, 0, UINT32_MAX,
			    &errstr);
			if (errstr != NULL)
				child_usage(argv[0]);
			break;
		case 'K':
			c->kr_noinstall = 1;
			break;
		case 'n':
			strlcpy(c->name, optarg, sizeof(c->name));
			break;
		case 'P':
			c->kr_protocol = (uint8_t)strtonum(optarg, 5, 255,
			    &errstr);
			if (errstr != NULL)
				child_usage(argv[0]);
			break;
		case 'T':
			c->kr_table = (uint32_t)strtonum(optarg, 1, UINT32_MAX,
			    &errstr);
			if (errstr != NULL)
				child_usage(argv[0]);
			break;
		case 'r':
			c->chroot = optarg;
			break;
		case 'u':
			c->user = optarg;
			break;
		case 'v':
			c->verbose++;
			break;
		default:
			child_usage(argv[0]);
		}
	}
	if (optind != argc)
		child_usage(argv[0]);
	log_init(c->debug, c->verbose);
	if (role == ROLE_SESSION && c->name[0] != '\0') {
		static char	 pname[GROUP_NAME_LEN + 16];

		snprintf(pname, sizeof(pname), "sessiond %s", c->name);
		log_procname(pname);
		plat_setproctitle("tortie: sessiond %s", c->name);
	} else {
		log_procname(role_name(role));
		plat_setproctitle("tortie: %s", role_name(role));
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	if ((c->base = event_base_new()) == NULL)
		fatalx("event_base_new");
}

/* Confine the process, then start talking to the parent. */
void
child_start(struct child_ctx *c, imsgev_dispatch dispatch, void *arg)
{
	struct imsg_child_hello	 h;

	sandbox_enter(c->role, c->user, c->chroot);
	if (imsgev_init(&c->parent, c->base, TORTIE_PARENT_FD, IMSG_MAX_PIPE,
	    dispatch, child_parent_closed, arg) == -1)
		fatal("parent pipe");
	memset(&h, 0, sizeof(h));
	h.role = c->role;
	h.pid = (uint32_t)getpid();
	h.groupid = c->groupid;
	if (imsgev_compose(&c->parent, IMSG_CHILD_HELLO, 0, 0, -1, &h,
	    sizeof(h)) == -1)
		fatal("child hello");
	log_debug("sandboxed, running");
}

void
child_parent_closed(struct imsgev *iev, void *arg)
{
	(void)iev;
	(void)arg;
	log_info("parent went away, exiting");
	exit(0);
}

/*
 * Messages every helper answers the same way.  Returns 1 when the message
 * was handled here.
 */
int
child_common_imsg(struct child_ctx *c, struct imsg *im)
{
	switch (im->hdr.type) {
	case IMSG_SHUTDOWN:
		log_debug("shutdown requested");
		c->stopping = 1;
		imsgev_flush(&c->parent);
		event_base_loopexit(c->base, NULL);
		return 1;
	}
	return 0;
}
