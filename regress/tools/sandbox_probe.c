/*
 * sandbox_probe: does the sandbox of a role hold?  For sandbox.t.
 *
 *	sandbox_probe [-r dir] [-u user] role action [pid]
 *	sandbox_probe -l
 *
 * It confines itself with sandbox_enter(role, user, dir) exactly as the
 * children do (common/child.c; defaults _tortie and /run/tortie/empty),
 * then does one thing, as a compromised child might.  A system call
 * outside the role's allowlist kills it with SIGSYS (the shell sees
 * 128 + 31).  Otherwise it prints "allowed" and exits 0, or "refused:
 * <reason>" and exits 3 when the call was made but failed (an errno rule
 * of the filter, or the kernel's own permission checks).  The role is a
 * name from role_name() (sessiond, ribd, kroute, ...); -l lists the
 * actions.  pid is the target of ptrace and signals (default: our
 * parent).  Must run as root, as tortied does.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "tortie.h"

static pid_t	 target;

struct probe_action {
	const char	*name;
	int		(*fn)(void);
	const char	*what;
};

static int
pr_none(void)
{
	return 0;
}

static int
pr_open(void)
{
	return open("/etc/passwd", O_RDONLY);
}

static int
pr_open_dir(void)
{
	return open(".", O_RDONLY | O_DIRECTORY);
}

static int
pr_exec(void)
{
	char	*argv[] = { "/bin/sh", "-c", "true", NULL };
	char	*envp[] = { NULL };

	return execve(argv[0], argv, envp);
}

static int
pr_fork(void)
{
	pid_t	 pid;

	if ((pid = fork()) == 0)
		_exit(0);
	return pid == -1 ? -1 : 0;
}

static int
pr_raw(void)
{
	return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
}

static int
pr_packet(void)
{
	return socket(AF_PACKET, SOCK_RAW, htons(0x0003));
}

static int
pr_inet(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

static int
pr_udp6(void)
{
	return socket(AF_INET6, SOCK_DGRAM, 0);
}

static int
pr_unix(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int
pr_netlink(void)
{
	return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
}

/* What kroute lives on: a route dump request, and its first answer. */
static int
pr_netlink_dump(void)
{
	struct {
		struct nlmsghdr	 h;
		struct rtmsg	 r;
	}			 req;
	char			 buf[8192];
	int			 fd;

	if ((fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) == -1)
		return -1;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETROUTE;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.rtm_family = AF_INET;
	if (send(fd, &req, sizeof(req), 0) == -1 ||
	    recv(fd, buf, sizeof(buf), 0) == -1)
		return -1;
	return 0;
}

/* A TCP connection to 127.0.0.1 port 9 (nothing listens there). */
static int
pr_connect(void)
{
	struct sockaddr_in	 sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
}

static int
pr_ptrace(void)
{
	return (int)ptrace(PTRACE_ATTACH, target, NULL, NULL);
}

static int
pr_kill(void)
{
	return kill(target, 0);
}

/* What raise(3) uses, aimed at another process: signal 0 only. */
static int
pr_tgkill(void)
{
	return (int)syscall(SYS_tgkill, target, target, 0);
}

static int
pr_setuid(void)
{
	return setuid(0);
}

static int
pr_mkdir(void)
{
	return mkdir("escape", 0700);
}

static int
pr_unshare(void)
{
	return unshare(CLONE_NEWUSER);
}

static int
pr_ioctl(void)
{
	int	 n;

	return ioctl(0, FIONREAD, &n);
}

static int
pr_mprotect_exec(void)
{
	void	*p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	return mprotect(p, 4096, PROT_READ | PROT_EXEC);
}

static const struct probe_action actions[] = {
	{ "none", pr_none, "nothing: the sandbox itself (control)" },
	{ "open", pr_open, "open /etc/passwd" },
	{ "open-dir", pr_open_dir, "open the chroot's / to list it" },
	{ "exec", pr_exec, "execve /bin/sh" },
	{ "fork", pr_fork, "fork a child" },
	{ "raw", pr_raw, "socket(AF_INET, SOCK_RAW, ICMP)" },
	{ "packet", pr_packet, "socket(AF_PACKET, SOCK_RAW)" },
	{ "inet", pr_inet, "socket(AF_INET, SOCK_STREAM)" },
	{ "udp6", pr_udp6, "socket(AF_INET6, SOCK_DGRAM)" },
	{ "unix", pr_unix, "socket(AF_UNIX) (syslog's reconnect)" },
	{ "netlink", pr_netlink, "socket(AF_NETLINK, NETLINK_ROUTE)" },
	{ "netlink-dump", pr_netlink_dump, "dump the routes over netlink" },
	{ "connect", pr_connect, "TCP connect to 127.0.0.1:9" },
	{ "ptrace", pr_ptrace, "ptrace pid" },
	{ "kill", pr_kill, "kill(pid, 0)" },
	{ "tgkill", pr_tgkill, "tgkill(pid, pid, 0)" },
	{ "setuid", pr_setuid, "setuid(0)" },
	{ "mkdir", pr_mkdir, "mkdir in the chroot" },
	{ "unshare", pr_unshare, "unshare a user namespace" },
	{ "ioctl", pr_ioctl, "ioctl(FIONREAD) on stdin" },
	{ "mprotect-exec", pr_mprotect_exec, "make a page executable" },
};

static void
usage(void)
{
	fprintf(stderr, "usage: sandbox_probe [-r dir] [-u user] role "
	    "action [pid]\n       sandbox_probe -l\n");
	exit(1);
}

static void
list(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		printf("%-14s %s\n", actions[i].name, actions[i].what);
	exit(0);
}

/* A role by its name; ROLE_PARENT is not one a child can have. */
static int
role_find(const char *name, enum tortie_role *role)
{
	int	 r;

	for (r = ROLE_SESSION; strcmp(role_name((enum tortie_role)r),
	    "?") != 0; r++)
		if (strcmp(role_name((enum tortie_role)r), name) == 0) {
			*role = (enum tortie_role)r;
			return 0;
		}
	return -1;
}

int
main(int argc, char **argv)
{
	const struct probe_action	*a = NULL;
	enum tortie_role		 role;
	const char			*dir = TORTIE_CHROOT;
	const char			*user = TORTIE_USER;
	size_t				 i;
	int				 ch, r;

	while ((ch = getopt(argc, argv, "lr:u:")) != -1) {
		switch (ch) {
		case 'l':
			list();
			break;
		case 'r':
			dir = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 && argc != 3)
		usage();
	target = getppid();
	if (argc == 3 && (target = (pid_t)strtonum(argv[2], 1, INT32_MAX,
	    NULL)) == 0)
		usage();
	if (role_find(argv[0], &role) == -1) {
		fprintf(stderr, "sandbox_probe: unknown role %s\n", argv[0]);
		return 1;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].name, argv[1]) == 0)
			a = &actions[i];
	if (a == NULL) {
		fprintf(stderr, "sandbox_probe: unknown action %s\n", argv[1]);
		return 1;
	}
	log_init(1, 0);
	/* Unbuffered: what is printed is out before the next call. */
	setvbuf(stdout, NULL, _IONBF, 0);
	sandbox_enter(role, user, dir);
	r = a->fn();
	/*
	 * _exit: exit handlers (a sanitizer's leak check) may make calls
	 * the filter lacks, and their death is not the action's.
	 */
	if (r == -1) {
		printf("refused: %s\n", strerror(errno));
		_exit(3);
	}
	printf("allowed\n");
	_exit(0);
}
