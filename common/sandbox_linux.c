/*
 * Linux sandbox: chroot to an empty directory, drop to the tortie user
 * and group, forbid new privileges, and load a seccomp allowlist for the
 * role.  kroute alone keeps CAP_NET_ADMIN (libcap-ng), nothing else.
 *
 * A system call outside the allowlist kills the whole process: a
 * compromised child cannot open a file, execute a program, trace another
 * process or create a socket its role does not need.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>
#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

/* Every role: its imsg pipes, memory, time and the event loop. */
static const int sc_base[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(recvfrom),
	SCMP_SYS(sendto), SCMP_SYS(close), SCMP_SYS(exit),
	SCMP_SYS(exit_group), SCMP_SYS(brk),
	SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigaction), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait),
	SCMP_SYS(epoll_ctl), SCMP_SYS(poll), SCMP_SYS(ppoll),
	SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(getpid),
	SCMP_SYS(gettid), SCMP_SYS(fcntl), SCMP_SYS(futex),
	SCMP_SYS(getrandom), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(lseek), SCMP_SYS(restart_syscall), SCMP_SYS(sched_yield),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
	SCMP_SYS(getegid), SCMP_SYS(getrlimit), SCMP_SYS(prlimit64),
	SCMP_SYS(sigaltstack), SCMP_SYS(shutdown), SCMP_SYS(getsockopt),
	SCMP_SYS(rseq), SCMP_SYS(set_robust_list),
	/*
	 * glibc's qsort() asks sysconf(_SC_PHYS_PAGES) before it sorts more
	 * than 1 kB: without this, ribd died sorting show rib's answer or a
	 * next hop's routes once a peer sent a few thousand.
	 */
	SCMP_SYS(sysinfo),
};

/* sessiond: TCP sessions (dial, options, MD5, TTL). */
static const int sc_session[] = {
	SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(setsockopt),
	SCMP_SYS(getsockname), SCMP_SYS(getpeername),
};

/*
 * dsd: HTTP and TLS to etcd over TCP; the watch's notification pipe.  No
 * file system: its TLS files were read and its endpoint names resolved
 * before the sandbox.
 */
static const int sc_dsd[] = {
	SCMP_SYS(connect), SCMP_SYS(setsockopt), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(pipe2),
};

/* kroute: netlink. */
static const int sc_kroute[] = {
	SCMP_SYS(bind), SCMP_SYS(setsockopt), SCMP_SYS(getsockname),
};

static int	 sc_allow(scmp_filter_ctx, const int *, size_t);
static void	 sc_load(enum tortie_role);
static void	 drop_user(enum tortie_role, struct passwd *);

static int
sc_allow(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0) != 0)
			return -1;
	return 0;
}

static void
sc_load(enum tortie_role role)
{
	scmp_filter_ctx	 ctx;
	int		 r = 0;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init");
	r |= sc_allow(ctx, sc_base, sizeof(sc_base) / sizeof(sc_base[0]));
	/*
	 * A failed syslog(3) send makes glibc try to reconnect with an
	 * AF_UNIX socket; answer that with an error rather than a kill.
	 */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket),
	    1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	/*
	 * Write xor execute: no memory becomes executable after start-up.
	 * Signals only to this process (raise(3), abort(3)), never to a
	 * sibling running as the same user.
	 */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	switch (role) {
	case ROLE_SESSION:
		r |= sc_allow(ctx, sc_session,
		    sizeof(sc_session) / sizeof(sc_session[0]));
		/* TCP only: no raw or datagram sockets. */
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
		    2, SCMP_A0(SCMP_CMP_EQ, AF_INET),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM));
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
		    2, SCMP_A0(SCMP_CMP_EQ, AF_INET6),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM));
		break;
	case ROLE_DSD:
		r |= sc_allow(ctx, sc_dsd, sizeof(sc_dsd) / sizeof(sc_dsd[0]));
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
		    1, SCMP_A0(SCMP_CMP_EQ, AF_INET));
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
		    1, SCMP_A0(SCMP_CMP_EQ, AF_INET6));
		/* libevent asks how much a socket has to read. */
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl),
		    1, SCMP_A1(SCMP_CMP_EQ, FIONREAD));
		break;
	case ROLE_KROUTE:
		r |= sc_allow(ctx, sc_kroute,
		    sizeof(sc_kroute) / sizeof(sc_kroute[0]));
		r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket),
		    1, SCMP_A0(SCMP_CMP_EQ, AF_NETLINK));
		break;
	default:
		break;
	}
	if (r != 0)
		fatalx("seccomp_rule_add for %s", role_name(role));
	if (seccomp_load(ctx) != 0)
		fatalx("seccomp_load for %s", role_name(role));
	seccomp_release(ctx);
}

static void
drop_user(enum tortie_role role, struct passwd *pw)
{
	if (role == ROLE_KROUTE) {
		/* Keep CAP_NET_ADMIN across the uid change, nothing else. */
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
		    CAPNG_BOUNDING_SET,
		    CAP_NET_ADMIN) != 0)
			fatalx("capng_update");
		/* The bounding set while still root (needs CAP_SETPCAP). */
		if (capng_apply(CAPNG_SELECT_BOUNDS) != 0)
			fatalx("capng_apply bounding set");
		/* libcap-ng skips the bounding set without CAP_SETPCAP. */
		if (capng_get_caps_process() != 0 ||
		    capng_have_capability(CAPNG_BOUNDING_SET, CAP_SYS_ADMIN))
			fatalx("cannot narrow the capability bounding set "
			    "(does tortied have CAP_SETPCAP?)");
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
		    CAPNG_BOUNDING_SET, CAP_NET_ADMIN) != 0)
			fatalx("capng_update");
		if (capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
		    CAPNG_DROP_SUPP_GRP) != 0)
			fatalx("capng_change_id to %s", pw->pw_name);
		return;
	}
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", pw->pw_name);
}

void
sandbox_enter(enum tortie_role role, const char *user, const char *dir)
{
	struct passwd	*pw;
	struct stat	 st;

	if ((pw = getpwnam(user)) == NULL)
		fatalx("unknown user %s", user);
	if (pw->pw_uid == 0)
		fatalx("user %s must not be root", user);
	if (stat(dir, &st) == -1)
		fatal("chroot directory %s", dir);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		fatalx("chroot directory %s: must be owned by root and not "
		    "writable by others", dir);
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");
	drop_user(role, pw);
	if (getuid() == 0 || geteuid() == 0 || setuid(0) != -1)
		fatalx("still root after dropping privileges");
	/* A uid change clears the parent-death signal: set it again. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) == -1)
		fatal("PR_SET_PDEATHSIG");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	sc_load(role);
}

/* Used by the parent at start, so that a missing user is a clear error. */
int
sandbox_check_user(const char *user, char *err, size_t errlen)
{
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "user %s does not exist (create it: "
		    "useradd --system --no-create-home --shell "
		    "/usr/sbin/nologin %s)", user, user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "user %s must not be root", user);
		return -1;
	}
	return 0;
}
