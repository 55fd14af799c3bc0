#!/bin/sh
# Privilege separation: tortied in a fresh network namespace starts its
# children sandboxed (non-root uid, chroot, seccomp; kroute with
# CAP_NET_ADMIN only), restarts a killed sessiond, and leaves nothing
# behind on SIGTERM.
. "$(dirname "$0")/../lib/tap.sh"

NS=tortie-privsep-$$
W=$(mktemp -d /tmp/tortie-privsep.XXXXXX)
SOCK=$W/tortied.sock
PARENT=

cleanup() {
	[ -n "$PARENT" ] && kill -9 "$PARENT" 2>/dev/null
	for p in $(children_of "$PARENT"); do kill -9 "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

children_of() {
	[ -n "$1" ] && pgrep -P "$1"
}

ensure_user
mkdir -p "$W/ds"
ip netns add "$NS"
ip netns exec "$NS" "$TOP/bgpd/tortied" -d -N node1 -D "$W/ds" -s "$SOCK" \
    >"$W/log" 2>&1 &
PARENT=$!

wait_for 5 sh -c "[ \$(pgrep -P $PARENT | wc -l) -ge 3 ]"
wait_for 5 test -S "$SOCK"
kids=$(children_of "$PARENT")
nkids=$(echo $kids | wc -w)
ok $([ "$nkids" -ge 3 ] && echo 0 || echo 1) \
    "at least four processes: parent and $nkids children"

uid_tortie=$(id -u _tortie)
for p in $kids; do
	name=$(tr '\0' ' ' </proc/$p/cmdline | sed 's/[ .]*$//')
	uid=$(awk '/^Uid:/ {print $3}' /proc/$p/status)
	is "$uid" "$uid_tortie" "$name: runs as _tortie"
	root=$(readlink /proc/$p/root)
	ok $([ "$root" != "/" ] && echo 0 || echo 1) "$name: chrooted ($root)"
	sc=$(awk '/^Seccomp:/ {print $2}' /proc/$p/status)
	is "$sc" 2 "$name: seccomp filter mode"
	nnp=$(awk '/^NoNewPrivs:/ {print $2}' /proc/$p/status)
	is "$nnp" 1 "$name: no new privileges"
	capeff=$(awk '/^CapEff:/ {print $2}' /proc/$p/status)
	capbnd=$(awk '/^CapBnd:/ {print $2}' /proc/$p/status)
	case "$name" in
	*kroute*)
		# CAP_NET_ADMIN is bit 12.
		is "$capeff" 0000000000001000 "kroute: CAP_NET_ADMIN only"
		is "$capbnd" 0000000000001000 "kroute: bounding set"
		;;
	*)
		is "$capeff" 0000000000000000 "$name: no capabilities"
		;;
	esac
done

ok $(pgrep -P "$PARENT" -f kroute >/dev/null; echo $?) "kroute is running"
ok $(pgrep -P "$PARENT" -f ribd >/dev/null; echo $?) "ribd is running"

out=$("$TOP/ctl/tortiectl" -s "$SOCK" node status)
first=$(echo "$out" | head -1)
is "$first" "tortie process is running." "node status header"
echo "$out" | grep -q '^No IPv4 peers found.$'
ok $? "node status: empty IPv4 table"
mode=$(stat -c %a "$SOCK")
is "$mode" 660 "control socket mode 0660"
grp=$(stat -c %G "$SOCK")
is "$grp" _tortie "control socket group"

# Kill the sessiond: the parent starts a new one.
old=$(pgrep -P "$PARENT" -f 'sessiond mesh')
ok $([ -n "$old" ] && echo 0 || echo 1) "sessiond mesh found"
kill -9 $old
wait_for 5 sh -c "pgrep -P $PARENT -f 'sessiond mesh' | grep -vx '$old'"
ok $? "killed sessiond is restarted"
new=$(pgrep -P "$PARENT" -f 'sessiond mesh')
sc=$(awk '/^Seccomp:/ {print $2}' /proc/$new/status 2>/dev/null)
is "$sc" 2 "restarted sessiond is sandboxed"

# A child outside its allowlist dies: ribd may not open files.
grep -q 'killed by signal 9' "$W/log"
ok $? "parent logged the sessiond's death"

# SIGTERM stops everything.
kids=$(children_of "$PARENT")
kill -TERM "$PARENT"
wait_for 10 sh -c "! kill -0 $PARENT"
ok $? "parent exits on SIGTERM"
left=0
for p in $kids; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
is "$left" 0 "no child left behind"
ok $([ ! -e "$SOCK" ] && echo 0 || echo 1) "control socket removed"
"$TOP/ctl/tortiectl" -s "$SOCK" node status >"$W/out" 2>&1
is "$?:$(cat "$W/out")" "1:tortie process is not running." \
    "node status when stopped"
PARENT=
done_testing
