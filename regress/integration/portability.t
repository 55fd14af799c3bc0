#!/bin/sh
# tortie stays portable to the BSDs (built with gmake): Linux-only
# headers, system calls, socket options and flags live only in files
# named *_linux.c (the platform seam, common/platform.h, and the seams of
# kroute, sessiond and the sandbox), and the Makefile's Linux-only parts
# only in its marked Linux section.  See doc/design.md, "The platform
# seam".
#
# The scanner first proves on planted files that it finds what it looks
# for (and ignores comments, strings and *_linux.c files), so that an
# empty answer on the tree means something.
. "$(dirname "$0")/../lib/tap.sh"

DIRS="bgpd sessiond ribd kroute ctl dsd common"
# Every platform that may have *_<os>.c files; they are not portable code.
OSES="linux freebsd openbsd netbsd dragonfly"

# Linux-only (or glibc-only) constructs, one extended regular expression
# per line.  Each is matched in code with comments and string literals
# blanked out.
PATTERNS='#[[:space:]]*include[[:space:]]*<(linux|asm|gnu)/
#[[:space:]]*include[[:space:]]*<bsd/
#[[:space:]]*include[[:space:]]*<sys/(prctl|epoll|signalfd|timerfd|eventfd|inotify|sysmacros|sendfile|fsuid|personality|capability|random|vfs|klog|sysinfo)\.h>
#[[:space:]]*include[[:space:]]*<(seccomp|cap-ng|malloc|features|mcheck|error|byteswap|mntent)\.h>
\b(SO_PEERCRED|SO_PASSCRED|SCM_CREDENTIALS|struct[[:space:]]+ucred)\b
\b(TCP_MD5SIG[A-Z_]*|tcp_md5sig|TCP_INFO|tcp_info|TCP_USER_TIMEOUT|TCP_CONGESTION|TCP_QUICKACK|TCP_CORK)\b
\b(IP_FREEBIND|IPV6_FREEBIND|IP_TRANSPARENT|IPV6_TRANSPARENT|IP_RECVERR|IPV6_RECVERR|SO_BINDTODEVICE|SO_MARK|SO_PRIORITY|SO_RCVBUFFORCE|SO_SNDBUFFORCE)\b
\b(AF_NETLINK|PF_NETLINK|NETLINK_[A-Z_]+|sockaddr_nl|nlmsghdr|nlmsgerr|rtattr|ifinfomsg|ifaddrmsg|rtmsg|RTM_(NEW|DEL|GET)(ROUTE|LINK|ADDR|NEIGH|RULE|NEXTHOP)|IFLA_[A-Z_]+|IFA_[A-Z_]+|NLM_F_[A-Z_]+)\b
\b(prctl|PR_SET_[A-Z_]+|PR_GET_[A-Z_]+)\b
\b(epoll_[a-z_0-9]+|EPOLL[A-Z_]*|signalfd|timerfd_[a-z_0-9]+|TFD_[A-Z_]+|eventfd|memfd_create|inotify_[a-z_0-9]+)\b
\b(seccomp[a-z_0-9]*|SCMP_[A-Z0-9_]+|capng_[a-z_0-9]+|CAPNG_[A-Z_]+)\b
\b(getrandom|GRND_[A-Z]+|sendfile|splice|vmsplice|clone|clone3|unshare|setns|pivot_root|personality|sysinfo|getauxval|gettid|syscall)[[:space:]]*\(
\bSYS_[a-z_0-9]+\b
\b(setproctitle_init|program_invocation_name|program_invocation_short_name|secure_getenv|fopencookie|strchrnul|mempcpy|canonicalize_file_name|get_current_dir_name|qsort_r|strerror_r|malloc_usable_size|mallinfo2?|malloc_trim|TEMP_FAILURE_RETRY)\b
\b(O_PATH|O_TMPFILE|O_NOATIME|MAP_POPULATE|MAP_LOCKED|MREMAP_[A-Z_]+|mremap|F_SETPIPE_SZ|CLOCK_BOOTTIME|CLOCK_MONOTONIC_RAW)\b
\b(__linux__|__linux|linux|__GLIBC__|__GLIBC_MINOR__|__USE_GNU)\b'

# Linux-only paths, matched in string literals (comments blanked).
PATHS='"/(proc|sys)/
"/dev/(shm|mqueue|net/tun)\b'

# strip FILE [KEEP]: the file with comments, string and character
# literals blanked (line count kept), so that prose never trips the
# scanner; with KEEP 1 the string literals stay.
strip() {
	awk -v keep="${2:-0}" '
	BEGIN { st = 0 }	# 0 code, 1 block comment, 2 string, 3 char
	{
		out = ""; n = length($0); i = 1
		while (i <= n) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (st == 1) {
				if (d == "*/") { st = 0; out = out "  "; i += 2 }
				else { out = out " "; i++ }
			} else if (st == 2 || st == 3) {
				kc = keep && st == 2
				if (c == "\\") {
					out = out (kc ? d : "  "); i += 2
					continue
				}
				if ((st == 2 && c == "\"") ||
				    (st == 3 && c == "\047"))
					st = 0
				out = out (kc ? c : " "); i++
			} else if (d == "/*") { st = 1; out = out "  "; i += 2 }
			else if (d == "//") { i = n + 1 }
			else if (c == "\"" && out !~ /^[ \t]*#[ \t]*include/) {
				st = 2; out = out (keep ? c : " "); i++
			} else if (c == "\047") { st = 3; out = out " "; i++ }
			else { out = out c; i++ }
		}
		# A string or character literal never spans lines.
		if (st == 2 || st == 3)
			st = 0
		print out
	}' "$1"
}

# portable_files DIR...: every .c and .h file that is not *_<os>.c/h.
portable_files() {
	for _d in "$@"; do
		for _f in "$_d"/*.c "$_d"/*.h; do
			[ -f "$_f" ] || continue
			_skip=0
			for _os in $OSES; do
				case "$_f" in
				*_"$_os".c|*_"$_os".h) _skip=1 ;;
				esac
			done
			[ "$_skip" -eq 0 ] && echo "$_f"
		done
	done
}

# scan DIR...: "file:line: text" for every Linux-only construct found in
# the portable files under the directories (relative to the cwd).
scan() {
	for _f in $(portable_files "$@"); do
		{
			strip "$_f" | grep -nE -f "$PAT_FILE"
			strip "$_f" 1 | grep -nE -f "$PATH_FILE"
		} | sed "s|^\([0-9]*\):[[:space:]]*|$_f:\1: |" |
		    sort -t: -k2,2n -u
	done
}

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
PAT_FILE=$W/patterns
PATH_FILE=$W/paths
printf '%s\n' "$PATTERNS" >"$PAT_FILE"
printf '%s\n' "$PATHS" >"$PATH_FILE"

# 1. The scanner finds planted constructs, at the right lines, and only
#    those in code.
mkdir -p "$W/plant/bgpd"
cat >"$W/plant/bgpd/planted.c" <<'EOF'
/* A comment may say SO_PEERCRED, prctl() and <linux/tcp.h>. */
#include <sys/socket.h>
#include <linux/tcp.h>
#include <sys/epoll.h>
static const char *s = "TCP_MD5SIG and IP_FREEBIND in a string";
int
f(int fd)
{
	struct ucred c;
	int on = 1;	/* IP_TRANSPARENT in a comment */
	setsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, sizeof(c));
	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
	prctl(PR_SET_NO_NEW_PRIVS, 1);
#ifdef __linux__
	return getrandom(&c, sizeof(c), 0);
#endif
	return (int)s[0] + '"' + epoll_create1(0);
}
/* Linux has /proc/self/exe; "/proc/self/exe" in a comment is prose. */
static const char *exe = "/proc/self/exe";
EOF
cat >"$W/plant/bgpd/planted_linux.c" <<'EOF'
#include <linux/tcp.h>
int g(int fd) { return prctl(PR_SET_NO_NEW_PRIVS, 1, fd); }
EOF
cat >"$W/plant/bgpd/clean.c" <<'EOF'
/* prctl(2) is Linux's; we do without.  "SO_PEERCRED" */
#include <sys/socket.h>
int attr_clone(int linux_x) { return accept4(linux_x, 0, 0, SOCK_CLOEXEC); }
EOF
got=$(cd "$W/plant" && scan bgpd | cut -d: -f1,2 | tr '\n' ' ')
is "$got" "bgpd/planted.c:3 bgpd/planted.c:4 bgpd/planted.c:9 bgpd/planted.c:11 bgpd/planted.c:12 bgpd/planted.c:13 bgpd/planted.c:14 bgpd/planted.c:15 bgpd/planted.c:17 bgpd/planted.c:20 " \
    "self-check: the scanner finds planted constructs by file:line, not in comments, strings, *_linux.c or longer names"

# 2. The tree's portable sources.
for d in $DIRS; do
	hits=$(cd "$TOP" && scan "$d")
	if [ -z "$hits" ]; then
		ok 0 "$d/: no Linux-only construct outside *_linux.c"
	else
		ok 1 "$d/: no Linux-only construct outside *_linux.c"
		echo "$hits" | sed 's/^/#   /'
	fi
done
n=$(cd "$TOP" && portable_files $DIRS | wc -l)
[ "$n" -gt 50 ]
ok $? "the scan covered the portable sources ($n files)"

# 3. The Makefile: one marked Linux section, everything in it under
#    ifeq ($(PLATFORM),linux), nothing Linux-only outside it.
# mk_outside MAKEFILE: the non-comment lines outside the Linux section
# that name something Linux-only; "bad markers" if the section is not
# there exactly once.
MK_LINUX='linux|Linux|seccomp|cap-ng|capng|libbsd|_GNU_SOURCE|useradd|getent|nologin|deps\.sh|apt-get|dpkg|/proc/|netlink'
mk_outside() {
	awk -v re="$MK_LINUX" '
	/^# =+ Linux section: begin =+$/ { nb++; inside = 1; first = 1; next }
	/^# =+ Linux section: end =+$/ { ne++; inside = 0
		if (last != "endif") bad = 1; next }
	inside {
		if ($0 ~ /^[ \t]*#/ || $0 ~ /^[ \t]*$/) next
		if (first && $0 != "ifeq ($(PLATFORM),linux)") bad = 1
		first = 0; last = $0; next
	}
	/^[ \t]*#/ { next }
	/^PLATFORMS[ \t]*:=/ { next }	# the names of the platforms
	$0 ~ re { print FILENAME ":" NR ": " $0 }
	END {
		if (nb != 1 || ne != 1 || bad) print "bad markers"
	}' "$1"
}

out=$(mk_outside "$TOP/Makefile")
if [ -z "$out" ]; then
	ok 0 "Makefile: Linux-only parts only in its one marked Linux section"
else
	ok 1 "Makefile: Linux-only parts only in its one marked Linux section"
	echo "$out" | sed 's/^/#   /'
fi

# The Makefile check is not blind: a Linux-only line planted outside the
# section, or a second section, is found.
cp "$TOP/Makefile" "$W/Makefile.1"
echo 'LDLIBS +=	-lseccomp' >>"$W/Makefile.1"
out=$(mk_outside "$W/Makefile.1")
case "$out" in
*"Makefile.1:"*"-lseccomp"*) ok 0 "self-check: a Linux-only Makefile line outside the section is found" ;;
*) ok 1 "self-check: a Linux-only Makefile line outside the section is found" ;;
esac
sed -n '/Linux section: begin/,/Linux section: end/p' "$TOP/Makefile" \
    >"$W/sect"
cat "$TOP/Makefile" "$W/sect" >"$W/Makefile.2"
out=$(mk_outside "$W/Makefile.2")
case "$out" in
*"bad markers"*) ok 0 "self-check: a second Linux section is refused" ;;
*) ok 1 "self-check: a second Linux section is refused" ;;
esac

# What the Makefile selects: on another platform no *_linux.c file and no
# Linux flag or library; on Linux every *_linux.c file.
sel() {
	(cd "$TOP" && make -s PLATFORM="$1" --eval 'tortie-sel:
	@echo $(COMMON_SRCS) $(foreach d,bgpd sessiond ribd kroute dsd ctl,$($(d)_SRCS)) $(CFLAGS) $(PKGS)' tortie-sel) 2>/dev/null
}
bsd=$(sel openbsd)
echo "$bsd" | grep -q 'bgpd/control.c'
ok $? "PLATFORM=openbsd still builds the portable files"
echo "$bsd" | tr ' ' '\n' |
    grep -E '_linux\.c$|_GNU_SOURCE|libseccomp|libcap-ng|libbsd' >"$W/bsd"
ok $(test ! -s "$W/bsd"; echo $?) \
    "PLATFORM=openbsd selects no *_linux.c file, no Linux flag or package"
sed 's/^/#   /' "$W/bsd"
lin=$(sel linux | tr ' ' '\n' | grep '_linux\.c$' | sort | tr '\n' ' ')
all=$(cd "$TOP" && for d in $DIRS; do ls "$d"/*_linux.c 2>/dev/null; done |
    sort | tr '\n' ' ')
is "$lin" "$all" "PLATFORM=linux selects every *_linux.c file"

done_testing
