#!/bin/sh
# The Debian package: built from the committed tree (git archive of HEAD
# into a temporary directory, so that the work tree is not touched),
# installed with dpkg -i, its daemon run as the systemd unit would run it
# (ExecStart under the unit's capability bounding set, in a fresh network
# namespace, with the empty datastore the package made), then purged; and
# nothing may be left behind.
#
# The test runs in a mount namespace of its own with a private copy of
# /etc and an empty /run: the package's user handling (postinst makes
# _tortie, purge removes it) is tested from a machine without _tortie,
# while the machine's own _tortie, which other tests' daemons may be
# running as, is never touched, and /run/tortie (the unit's
# RuntimeDirectory, also the chroot of every tortied on the machine) is
# the test's own.  On any exit the daemon is killed and the package
# purged.

# Into a private mount namespace first (the copy of /etc dies with it).
if [ -z "${TORTIE_PKG_NS:-}" ]; then
	exec unshare --mount --propagation private env TORTIE_PKG_NS=1 \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"

NS=tortie-pkg-$$
W=$(mktemp -d /tmp/tortie-pkg.XXXXXX)
UNIT=/lib/systemd/system/tortie.service
SOCK=/run/tortie/tortied.sock
DAEMON=
ETC_MOUNTED=0

is_installed() {
	dpkg-query -W -f='${Status}' tortie 2>/dev/null |
	    grep -q 'ok installed'
}

stop_daemon() {
	[ -n "$DAEMON" ] || return 0
	for p in $(pgrep -P "$DAEMON"); do kill -9 "$p" 2>/dev/null; done
	kill -9 "$DAEMON" 2>/dev/null
	DAEMON=
}

cleanup() {
	stop_daemon
	ip netns del "$NS" 2>/dev/null
	is_installed && dpkg --purge tortie >/dev/null 2>&1
	[ "$ETC_MOUNTED" = 1 ] && umount /etc
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# dpkg with a retry while another dpkg or apt holds the lock.
dpkg_retry() {
	_t=60
	while :; do
		dpkg "$@" >"$W/dpkg.out" 2>&1 && return 0
		grep -q 'lock' "$W/dpkg.out" && [ "$_t" -gt 0 ] || break
		sleep 1
		_t=$((_t - 1))
	done
	sed 's/^/#   /' "$W/dpkg.out"
	return 1
}

# A machine that has tortie installed already is not ours to purge.
for f in /usr/sbin/tortied /usr/sbin/tortiectl /usr/libexec/tortie \
    /etc/tortie /var/lib/tortie "$UNIT"; do
	if is_installed || [ -e "$f" ]; then
		echo "1..0 # SKIP tortie is installed on this machine ($f)"
		exit 0
	fi
done

# A private /etc without the _tortie user and group, and an empty /run.
cp -a /etc "$W/etc" && mount --bind "$W/etc" /etc
rc=$?
[ "$rc" -eq 0 ] && ETC_MOUNTED=1
[ "$rc" -eq 0 ] && mount -t tmpfs -o mode=0755 tortie-run /run
rc=$?
ok $rc "private /etc and /run in this mount namespace"
if [ "$rc" -ne 0 ]; then
	done_testing
	exit 1
fi
userdel _tortie 2>/dev/null
groupdel _tortie 2>/dev/null
ok $(getent passwd _tortie >/dev/null || getent group _tortie >/dev/null &&
    echo 1 || echo 0) "no _tortie user or group before the install"

# 1. Build from HEAD in a scratch directory.
mkdir -p "$W/src"
git -C "$TOP" archive HEAD | tar -x -C "$W/src"
ok $? "git archive of HEAD unpacked"
(cd "$W/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
    dpkg-buildpackage -us -uc -b -Pnocheck) >"$W/build.log" 2>&1
rc=$?
ok $rc "dpkg-buildpackage -us -uc -b"
[ "$rc" -eq 0 ] || tail -30 "$W/build.log" | sed 's/^/#   /'
deb=$(ls "$W"/tortie_*.deb 2>/dev/null | head -1)
ok $([ -n "$deb" ] && echo 0 || echo 1) "a tortie package was built"
if [ -z "$deb" ]; then
	done_testing
	exit 1
fi
is "$(git -C "$TOP" status --porcelain --ignored debian 2>/dev/null)" "" \
    "the work tree's debian/ is untouched"

# 2. Install.
dpkg_retry -i "$deb"
ok $? "dpkg -i $(basename "$deb")"
for f in /usr/sbin/tortied /usr/sbin/tortiectl \
    /usr/libexec/tortie/sessiond /usr/libexec/tortie/ribd \
    /usr/libexec/tortie/kroute; do
	ok $([ -x "$f" ] && echo 0 || echo 1) "installed: $f"
done
for m in man5/tortie.yaml.5 man5/tortie-resources.5 man8/tortied.8 \
    man8/tortiectl.8; do
	ok $([ -f "/usr/share/man/$m.gz" ] && echo 0 || echo 1) \
	    "installed: $m"
done
dpkg-query -W -f='${Conffiles}\n' tortie | grep -q '^ /etc/tortie/tortie.yaml '
ok $? "/etc/tortie/tortie.yaml is a conffile"
cmp -s /etc/tortie/tortie.yaml "$TOP/doc/tortie.yaml.example"
ok $? "the conffile is doc/tortie.yaml.example"
ok $([ -f "$UNIT" ] && echo 0 || echo 1) "installed: $UNIT"
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify "$UNIT" 2>&1)
	is "$out" "" "systemd-analyze verify tortie.service"
fi
pw=$(getent passwd _tortie)
ok $([ -n "$pw" ] && echo 0 || echo 1) "user _tortie exists"
uid=$(echo "$pw" | cut -d: -f3)
ok $([ -n "$uid" ] && [ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] &&
    echo 0 || echo 1) "_tortie is a system user (uid $uid)"
ok $(getent group _tortie >/dev/null; echo $?) "group _tortie exists"
ok $([ -d /var/lib/tortie/datastore ] && echo 0 || echo 1) \
    "/var/lib/tortie/datastore exists"
is "$(find /var/lib/tortie/datastore -type f | wc -l)" 0 \
    "the datastore is empty"

# 3. Run the unit's ExecStart as systemd would: its capability bounding
# set, /run/tortie made (RuntimeDirectory), in a fresh network namespace.
execstart=$(sed -n 's/^ExecStart=//p' "$UNIT")
is "$execstart" "/usr/sbin/tortied -d" "ExecStart"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" |
    tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd, -)
diag "bounding set: $caps"
install -d -m 0755 /run/tortie
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" setpriv --bounding-set="-all,$caps" --inh-caps=-all \
    $execstart >"$W/daemon.log" 2>&1 &
DAEMON=$!
wait_for 10 /usr/sbin/tortiectl node status
ok $? "tortiectl node status answers"
out=$(/usr/sbin/tortiectl node status 2>&1)
is "$(echo "$out" | head -1)" "tortie process is running." \
    "node status: running"
echo "$out" | grep -qx 'No IPv4 peers found.'
ok $? "node status: no peers with an empty datastore"
is "$(stat -c '%a %G' "$SOCK" 2>&1)" "660 _tortie" \
    "control socket mode and group"
wait_for 5 sh -c "[ \$(pgrep -P $DAEMON | wc -l) -ge 3 ]"
for p in $(pgrep -P "$DAEMON"); do
	exe=$(readlink "/proc/$p/exe")
	case "$exe" in
	/usr/libexec/tortie/*) ok 0 "helper runs from $exe" ;;
	*) ok 1 "helper runs from /usr/libexec/tortie, not '$exe'" ;;
	esac
	is "$(awk '/^Uid:/ {print $2}' "/proc/$p/status")" "$uid" \
	    "${exe##*/} runs as _tortie"
done

# The default paths work end to end, and so does a reload: a Node in the
# package's datastore, written with the installed tortiectl, and its name
# set in the conffile, are taken up on SIGHUP (ExecReload).
ip -n "$NS" link add tp0 type veth peer name tp1
ip -n "$NS" addr add 198.18.0.1/24 dev tp0
ip -n "$NS" link set tp0 up
/usr/sbin/tortiectl apply -f - >/dev/null 2>&1 <<-EOF
	apiVersion: projectcalico.org/v3
	kind: Node
	metadata:
	  name: pkgtest-node1
	spec:
	  bgp:
	    ipv4Address: 198.18.0.1/24
	EOF
ok $? "tortiectl apply writes the package's datastore"
ok $([ -f /var/lib/tortie/datastore/nodes/pkgtest-node1.yaml ] &&
    echo 0 || echo 1) "the Node is in /var/lib/tortie/datastore"
echo "nodeName: pkgtest-node1" >>/etc/tortie/tortie.yaml
kill -HUP "$DAEMON"
wait_for 10 grep -q "plan for node pkgtest-node1" "$W/daemon.log"
ok $? "ExecReload (SIGHUP): the daemon takes up nodeName and the Node"
ok $(kill -0 "$DAEMON" 2>/dev/null; echo $?) "alive after the reload"
ok $(/usr/sbin/tortiectl reload >/dev/null 2>&1; echo $?) "tortiectl reload"

# Anything the hardening forbids shows up while the daemon runs.
running_log=$(cat "$W/daemon.log")
if echo "$running_log" |
    grep -Eq 'fatal|seccomp|Operation not permitted|Permission denied'; then
	ok 1 "no fatal or permission error while running"
	echo "$running_log" |
	    grep -E 'fatal|seccomp|Operation not permitted|Permission denied' |
	    sed 's/^/#   /'
else
	ok 0 "no fatal or permission error while running"
fi
kids=$(pgrep -P "$DAEMON")
kill -TERM "$DAEMON"
wait_for 10 sh -c "! kill -0 $DAEMON 2>/dev/null"
ok $? "the daemon stops on SIGTERM"
wait "$DAEMON"
is $? 0 "exit status 0"
DAEMON=
left=
for p in $kids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
is "$left" "" "no helper left running"
sed -n "$(echo "$running_log" | wc -l),\$p" "$W/daemon.log" |
    grep -E 'fatal' | sed 's/^/# at stop: /'
ip netns del "$NS"
# systemd removes the RuntimeDirectory when the unit stops.
rm -rf /run/tortie

# 4. Purge: nothing is left.
dpkg_retry --purge tortie
ok $? "dpkg --purge tortie"
ok $(is_installed && echo 1 || echo 0) "tortie is no longer installed"
for f in /usr/sbin/tortied /usr/sbin/tortiectl /usr/libexec/tortie \
    /etc/tortie /var/lib/tortie /run/tortie "$UNIT" \
    /etc/systemd/system/multi-user.target.wants/tortie.service \
    /usr/share/man/man8/tortied.8.gz /usr/share/doc/tortie; do
	ok $([ -e "$f" ] && echo 1 || echo 0) "gone: $f"
done
left=$(find /var/lib/systemd/deb-systemd-helper-enabled \
    /var/lib/systemd/deb-systemd-helper-masked -name 'tortie*' 2>/dev/null)
is "$left" "" "gone: deb-systemd-helper state of tortie.service"
ok $(getent passwd _tortie >/dev/null && echo 1 || echo 0) \
    "gone: user _tortie"
ok $(getent group _tortie >/dev/null && echo 1 || echo 0) \
    "gone: group _tortie"

# 5. A _tortie user made by hand (make install does that) is the
# operator's: the package uses it and purge leaves it.
useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin _tortie
before=$(getent passwd _tortie)
dpkg_retry -i "$deb"
ok $? "dpkg -i with a _tortie user made by hand"
dpkg_retry --purge tortie
ok $? "dpkg --purge tortie again"
is "$(getent passwd _tortie)" "$before" "the hand-made _tortie user is kept"

done_testing
