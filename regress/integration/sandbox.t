#!/bin/sh
# Sandbox proof.  regress/tools/sandbox_probe confines itself as each
# child does (sandbox_enter(role, "_tortie", an empty root-owned
# directory)) and then tries one thing a compromised child might: what
# the role's seccomp allowlist lacks must kill it with SIGSYS (exit status
# 128 + 31), what it needs must work.  Then a running node: every child
# is chrooted to the empty directory (so the daemon config, the
# datastore and the secrets are out of its reach) and holds no
# descriptor to them, and the TCP-MD5 password of a BGPPeer, read from
# secretsDir and in use (an MD5 session comes up, one without the key
# does not), appears in no log, no ps output, no tortiectl answer, no
# `tortied -n` output, and in the memory of no process but the parent
# and the sessiond of that peer's group.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

SAN=
[ -n "${TORTIE_ASAN:-}" ] &&
    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"

lab_init
PROBE=$LAB_DIR/sandbox_probe
ATK=$LAB_DIR/bgp_attacker
(cd "$TOP" && for t in sandbox_probe bgp_attacker; do
	cc $(make -s print-cflags) $SAN -o "$LAB_DIR/$t" \
	    "regress/tools/$t.c" common/libtortie.a $(make -s print-libs) \
	    $SAN || exit 1
done) 2>"$LAB_DIR/cc.log" || {
	cat "$LAB_DIR/cc.log" >&2
	echo "1..1"
	echo "not ok 1 - cannot build sandbox_probe or bgp_attacker"
	exit 1
}
EMPTY=$LAB_DIR/empty
mkdir -p "$EMPTY"
chown root:root "$EMPTY"
chmod 755 "$EMPTY"

# --- Forbidden actions, per role ----------------------------------------

# probe ROLE ACTION EXPECT [PID]: EXPECT is SIGSYS, allowed or the text
# after "refused: ".
probe() {
	# The shell's "Bad system call" notice is not test output.
	{ _out=$("$PROBE" -r "$EMPTY" "$1" "$2" $4 2>&1); _rc=$?; } 2>/dev/null
	case "$3" in
	SIGSYS)
		is "$_rc" 159 "$1 $2: killed by SIGSYS"
		;;
	allowed)
		is "$_rc:$_out" "0:allowed" "$1 $2: allowed"
		;;
	*)
		is "$_rc:$_out" "3:refused: $3" "$1 $2: refused ($3)"
		;;
	esac
}

# A process of the tortie user, as a sibling child would be.
ensure_user
setpriv --reuid=_tortie --regid=_tortie --clear-groups sleep 60 \
    </dev/null >/dev/null 2>&1 &
SIBLING=$!
wait_for 5 sh -c "[ \$(awk '/^Uid:/ {print \$2}' /proc/$SIBLING/status) = \
    $(id -u _tortie) ]"

while read -r role action expect; do
	case "$role" in ''|'#'*) continue ;; esac
	probe "$role" "$action" "$expect"
done <<'EOF'
# Every role: no files, no programs, no processes, no privileges.
sessiond none allowed
ribd none allowed
kroute none allowed
sessiond open SIGSYS
ribd open SIGSYS
kroute open SIGSYS
sessiond open-dir SIGSYS
ribd open-dir SIGSYS
kroute open-dir SIGSYS
sessiond exec SIGSYS
ribd exec SIGSYS
kroute exec SIGSYS
sessiond fork SIGSYS
ribd fork SIGSYS
kroute fork SIGSYS
sessiond ptrace SIGSYS
ribd ptrace SIGSYS
kroute ptrace SIGSYS
sessiond kill SIGSYS
ribd kill SIGSYS
kroute kill SIGSYS
sessiond setuid SIGSYS
ribd setuid SIGSYS
kroute setuid SIGSYS
sessiond mkdir SIGSYS
ribd mkdir SIGSYS
kroute mkdir SIGSYS
sessiond unshare SIGSYS
ribd unshare SIGSYS
kroute unshare SIGSYS
sessiond ioctl SIGSYS
ribd ioctl SIGSYS
kroute ioctl SIGSYS
# Sockets.  An AF_UNIX socket is refused, not fatal: glibc's syslog(3)
# tries one when its connection is gone.
sessiond unix Permission denied
ribd unix Permission denied
kroute unix Permission denied
sessiond packet SIGSYS
ribd packet SIGSYS
kroute packet SIGSYS
sessiond netlink SIGSYS
ribd netlink SIGSYS
sessiond netlink-dump SIGSYS
# sessiond: TCP, and nothing else of the kind...
sessiond inet allowed
sessiond connect Connection refused
# ... TCP only: raw and datagram sockets are killed by the filter itself,
# not merely refused for want of CAP_NET_RAW.
sessiond raw SIGSYS
sessiond udp6 SIGSYS
# Write xor execute in every role: no page becomes executable.
sessiond mprotect-exec SIGSYS
ribd mprotect-exec SIGSYS
kroute mprotect-exec SIGSYS
# ribd: its pipes only.
ribd inet SIGSYS
ribd udp6 SIGSYS
ribd raw SIGSYS
ribd connect SIGSYS
# kroute: netlink and nothing else.
kroute netlink allowed
kroute netlink-dump allowed
kroute inet SIGSYS
kroute udp6 SIGSYS
kroute raw SIGSYS
kroute connect SIGSYS
EOF

# Signals to a sibling: kill(2) is not allowed, and tgkill(2) only to the
# process itself (raise(3), abort(3)): a compromised child cannot signal
# the other children, which run as the same user.
for role in sessiond ribd kroute; do
	probe "$role" kill SIGSYS "$SIBLING"
	probe "$role" tgkill SIGSYS "$SIBLING"
done
kill "$SIBLING"
# A newer role, if this build has it: no files, no programs.
if "$PROBE" -r "$EMPTY" dsd none >/dev/null 2>&1; then
	probe dsd open SIGSYS
	probe dsd exec SIGSYS
	probe dsd ptrace SIGSYS
	probe dsd netlink SIGSYS
fi

# --- A running node -----------------------------------------------------

PW="tortie-md5-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$LAB_DIR/secrets/bgp-secrets"
printf '%s\n' "$PW" >"$LAB_DIR/secrets/bgp-secrets/peer-password"
chmod 600 "$LAB_DIR/secrets/bgp-secrets/peer-password"

# lab.sh's node configuration, with secretsDir.
lab_conf() {
	cat >"$LAB_DIR/node$1.yaml" <<EOF
nodeName: node$1
datastore:
  type: file
  path: $LAB_DS
controlSocket: $LAB_DIR/node$1.sock
secretsDir: $LAB_DIR/secrets
kernel:
  install: true
EOF
}

lab_up 1
ATK_NS=$(lab_ns atk)
sw=$(lab_ns sw)
ip netns add "$ATK_NS"
ip -n "$ATK_NS" link set lo up
ip -n "$ATK_NS" link add eth0 type veth peer name patk netns "$sw"
ip -n "$sw" link set patk master br0 up
ip -n "$ATK_NS" addr add 198.18.0.100/24 dev eth0
ip -n "$ATK_NS" link set eth0 up
lab_resources 1
cat >"$LAB_DIR/peer.yaml" <<EOF
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: secret-peer
spec:
  peerIP: 198.18.0.100
  asNumber: 65001
  password:
    secretKeyRef:
      name: bgp-secrets
      key: peer-password
EOF
lab_tortiectl apply -f "$LAB_DIR/peer.yaml" >/dev/null
lab_start 1
PARENT=$(cat "$LAB_DIR/node1.pid")
wait_for 10 sh -c "[ \$(pgrep -P $PARENT | wc -l) -ge 4 ]"
KIDS=$(pgrep -P "$PARENT" | sort -n)
ok $([ $(echo $KIDS | wc -w) -ge 4 ] && echo 0 || echo 1) \
    "node1: parent and $(echo $KIDS | wc -w) children"

# The password is in use: with it the session comes up, without it the
# node's kernel drops our SYNs.
out=$(ip netns exec "$ATK_NS" "$ATK" -a 198.18.0.100 -P "$PW" -w 1 \
    198.18.0.1 64512 announce 2>&1)
echo "$out" | grep -q 'notification=none session=up'
ok $? "a TCP-MD5 session with the secret comes up ($out)"
out=$(ip netns exec "$ATK_NS" "$ATK" -a 198.18.0.100 -w 1 \
    198.18.0.1 64512 announce 2>&1)
echo "$out" | grep -q 'connect: Connection timed out'
ok $? "without the secret no connection ($out)"
is "$(lab_ctl 1 show neighbors -o json | tr -d '\n ' |
    sed 's/},{/}\n{/g' | grep '"name":"Global_198_18_0_100"' |
    sed 's/.*"password":\([a-z]*\).*/\1/')" true \
    "show neighbors: the peer has a password (a flag, not the value)"

# Every child: the empty chroot, no descriptor to configuration, datastore
# or secrets.
uid=$(id -u _tortie)
roots=
for p in $KIDS; do
	name=$(tr '\0' ' ' </proc/$p/cmdline | sed 's/^tortie: //; s/[ .]*$//')
	root=$(readlink /proc/$p/root)
	roots="$roots $root"
	is "$(awk '/^Uid:/ {print $2 $3 $4 $5}' /proc/$p/status)" \
	    "$uid$uid$uid$uid" "$name: every uid is _tortie"
	ok $([ "$root" != / ] && [ -z "$(ls -A /proc/$p/root/)" ] &&
	    echo 0 || echo 1) "$name: its / ($root) is empty"
	is "$(awk '/^Seccomp:/ {print $2}' /proc/$p/status)" 2 \
	    "$name: seccomp filter"
	leaks=
	for f in /proc/$p/fd/*; do
		t=$(readlink "$f")
		case "$t" in
		*.log) ;;
		"$LAB_DIR"/*|/etc/*|/var/lib/*) leaks="$leaks $t" ;;
		esac
	done
	is "$leaks" "" "$name: no descriptor to config, datastore or secrets"
done
is "$(echo $roots | tr ' ' '\n' | sort -u | wc -l)" 1 \
    "every child shares the one chroot"

# The password nowhere it should not be.
nowhere() {
	if grep -qF -- "$PW" "$2"; then
		ok 1 "password not in $1"
		grep -nF -- "$PW" "$2" | head -3 | sed 's/^/# /'
	else
		ok 0 "password not in $1"
	fi
}
ps -eo pid,args >"$LAB_DIR/ps.out"
nowhere "ps -eo args" "$LAB_DIR/ps.out"
for p in $PARENT $KIDS; do
	tr '\0' '\n' </proc/$p/cmdline
	tr '\0' '\n' </proc/$p/environ
done >"$LAB_DIR/proc.out"
nowhere "the tortie processes' command lines and environments" \
    "$LAB_DIR/proc.out"
lab_ctl 1 show neighbors -o json >"$LAB_DIR/nbr.out" 2>&1
nowhere "tortiectl show neighbors -o json" "$LAB_DIR/nbr.out"
lab_ctl 1 node status >"$LAB_DIR/status.out" 2>&1
nowhere "tortiectl node status" "$LAB_DIR/status.out"
lab_ctl 1 show rib -o json >"$LAB_DIR/rib.out" 2>&1
nowhere "tortiectl show rib -o json" "$LAB_DIR/rib.out"
lab_tortiectl plan --node node1 -o json >"$LAB_DIR/plan.out" 2>&1
nowhere "tortiectl plan -o json" "$LAB_DIR/plan.out"
lab_tortiectl get bgppeers -o yaml >"$LAB_DIR/get.out" 2>&1
nowhere "tortiectl get bgppeers" "$LAB_DIR/get.out"
"$TOP/bgpd/tortied" -n -f "$LAB_DIR/node1.yaml" >"$LAB_DIR/n.out" 2>&1
grep -q '"name": "Global_198_18_0_100"' "$LAB_DIR/n.out"
ok $? "tortied -n prints the plan with the peer"
nowhere "tortied -n" "$LAB_DIR/n.out"
lab_stop 1
nowhere "node1's log, after a full run and a stop" "$LAB_DIR/node1.log"
lab_start 1
PARENT=$(cat "$LAB_DIR/node1.pid")
wait_for 10 sh -c "[ \$(pgrep -P $PARENT | wc -l) -ge 4 ]"
ip netns exec "$ATK_NS" "$ATK" -a 198.18.0.100 -P "$PW" -w 1 \
    198.18.0.1 64512 announce >/dev/null 2>&1

# Memory: the parent reads the secret and the peer's sessiond signs with
# it; ribd, kroute and the other sessionds never get it.
if command -v python3 >/dev/null 2>&1; then
	memhas() {
		python3 - "$1" "$PW" <<'EOF'
import sys
pid, needle = sys.argv[1], sys.argv[2].encode()
with open("/proc/%s/maps" % pid) as maps, \
    open("/proc/%s/mem" % pid, "rb", 0) as mem:
	for line in maps:
		addr, perms = line.split()[:2]
		lo, hi = (int(x, 16) for x in addr.split("-"))
		if "r" not in perms or hi - lo > 1 << 30:
			continue
		try:
			mem.seek(lo)
			if needle in mem.read(hi - lo):
				sys.exit(0)
		except (OSError, ValueError, OverflowError):
			pass
sys.exit(1)
EOF
	}
	memhas "$PARENT"
	ok $? "the parent holds the password (the scan works)"
	for p in $(pgrep -P "$PARENT" | sort -n); do
		name=$(tr '\0' ' ' </proc/$p/cmdline |
		    sed 's/^tortie: //; s/[ .]*$//')
		case "$name" in
		"sessiond secret-peer")
			memhas "$p"
			ok $? "$name holds the password (it signs with it)"
			;;
		*)
			! memhas "$p"
			ok $? "$name: password not in its memory"
			;;
		esac
	done
else
	ok 1 "memory scan: python3 is missing (make deps installs it)"
fi

done_testing
