#!/bin/sh
# The control socket under hostile clients.  One tortie node with a BIRD
# ToR that sends it CTL_ROUTES routes, so that show rib has a large
# answer; regress/tools/ctl_raw.py speaks the control protocol (imsg
# framing, common/imsg.h) on the socket named by tortie.yaml's
# controlSocket and misbehaves: random bytes, JSON, HTTP and command
# lines instead of imsg, broken headers, a passed descriptor, no or a
# bad hello, internal and unknown message types, hostile show rib
# prefixes, a message that claims 64 MB and one of 64 MB in well-formed
# pieces, requests without end, thousands of requests whose answers are
# never read, two requests at once, clients that vanish before or in the
# middle of a large answer or never read it, 100 concurrent clients, and
# clients that connect and never send anything (alone, and more than the
# daemon takes at once: 128).  A silent client is closed after 10 s, one
# that does not read its answers once 4 MB wait for it.
#
# After each: the same tortied and children still run, tortiectl node
# status answers, the parent is back to its descriptors, and its VmRSS
# stays under the bound (CTL_RSS_MB over the start, 32 by default).
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

ROUTES=${CTL_ROUTES:-16384}
RSS_MB=${CTL_RSS_MB:-32}
[ -n "${TORTIE_ASAN:-}" ] && RSS_MB=${CTL_RSS_MB:-256}
RAW=$TOP/regress/tools/ctl_raw.py
INPUTS=0

lab_init
(cd "$TOP" && cc $(make -s print-cflags) -o "$LAB_DIR/ctl_types" \
    regress/tools/ctl_types.c) 2>"$LAB_DIR/cc.log" &&
    command -v python3 >/dev/null || {
	cat "$LAB_DIR/cc.log" >&2
	echo "1..1"
	echo "not ok 1 - cannot build ctl_types, or no python3"
	exit 1
}
eval "$("$LAB_DIR/ctl_types" | sed 's/^/export /')"

lab_up 1 tor
lab_resources 1
# The ToR's routes: host routes in 198.18.128.0/18, a lab range.
lab_tor_conf
{
	echo "protocol static ctlroutes { ipv4;"
	k=0
	while [ "$k" -lt "$ROUTES" ]; do
		echo "  route 198.18.$((128 + k / 256)).$((k % 256))/32" \
		    "blackhole;"
		k=$((k + 1))
	done
	echo "}"
} >>"$LAB_DIR/tor-bird.conf"
lab_exec tor bird -c "$LAB_DIR/tor-bird.conf" -s "$LAB_DIR/tor-bird.ctl" \
    -P "$LAB_DIR/tor-bird.pid"
cat >"$LAB_DIR/tor.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
EOF
lab_tortiectl apply -f "$LAB_DIR/tor.yaml" >/dev/null
lab_start 1
SOCK=$(sed -n 's/^controlSocket: //p' "$LAB_DIR/node1.yaml")
PARENT=$(cat "$LAB_DIR/node1.pid")
export TORTIED_PID="$PARENT"
lab_wait_established 1 1 60
ok $? "node1: session to the ToR Established"
nroutes() {
	ip -n "$(lab_ns n1)" -4 route show proto 186 | wc -l
}
wait_for 90 sh -c "[ \$(ip -n $(lab_ns n1) -4 route show proto 186 |
    wc -l) -ge $ROUTES ]"
ok $? "node1: the ToR's $ROUTES routes in the kernel ($(nroutes))"

rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$PARENT/status"
}
nfds() {
	ls "/proc/$PARENT/fd" | wc -l
}
kids() {
	pgrep -P "$PARENT" | LC_ALL=C sort | tr '\n' ' '
}
status_ok() {
	[ "$(lab_ctl 1 node status 2>&1 | head -1)" = \
	    "tortie process is running." ]
}
# A first show rib, so that the relay's buffers are grown before the
# baseline is taken.
n=$(lab_ctl 1 show rib -o json | jq length)
ok $([ "${n:-0}" -ge "$ROUTES" ] && echo 0 || echo 1) \
    "tortiectl show rib -o json lists ${n:-no} routes"
RSS0=$(rss)
FDS0=$(nfds)
KIDS0=$(kids)
diag "parent: VmRSS $RSS0 kB, $FDS0 descriptors; children $KIDS0"

# after WHAT: tortied survived WHAT unchanged and within bounds.
after() {
	kill -0 "$PARENT" 2>/dev/null && [ "$(kids)" = "$KIDS0" ]
	ok $? "$1: tortied and its children still run"
	status_ok
	ok $? "$1: tortiectl node status answers"
	wait_for 10 sh -c "[ \$(ls /proc/$PARENT/fd | wc -l) -le $FDS0 ]"
	ok $? "$1: parent back to $FDS0 descriptors ($(nfds))"
	_r=$(rss)
	[ "$_r" -lt $((RSS0 + RSS_MB * 1024)) ]
	ok $? "$1: parent VmRSS $_r kB (start $RSS0 kB, bound +$RSS_MB MB)"
}

# raw N SCENARIO [ARG]: run one scenario of ctl_raw.py (N bad inputs).
raw() {
	kill -0 "$PARENT" 2>/dev/null || {
		echo "Bail out! tortied is gone"
		tail -20 "$LAB_DIR/node1.log" | sed 's/^/# /'
		exit 1
	}
	INPUTS=$((INPUTS + $1))
	shift
	_out=$(timeout 120 python3 "$RAW" "$SOCK" "$@" 2>&1)
	_rc=$?
	diag "$* -> $_out"
	case $_out in
	ok*)	ok "$_rc" "$*: ${_out#ok }" ;;
	*)	ok 1 "$*: ${_out#bad }" ;;
	esac
	after "$1"
}

# --- Malformed input ------------------------------------------------------
raw 1 garbage 1
raw 1 garbage 2
raw 1 garbage 3
raw 3 text
raw 1 shortlen
raw 1 fdflag
raw 1 passfd
raw 1 nohello
raw 1 badversion
raw 1 shorthello
raw 9 unknown
raw 11 ribprefix
raw 1 huge 64
raw 1024 huge_valid 64

# --- Requests without end: others are served meanwhile -------------------
# held SCENARIO: while SCENARIO holds its connection, tortiectl answers.
held() {
	timeout 60 python3 "$RAW" "$SOCK" "$1" 4 >"$LAB_DIR/held.txt" 2>&1 &
	_hp=$!
	wait_for 10 sh -c "[ \$(ls /proc/$PARENT/fd | wc -l) -gt $FDS0 ]"
	_t0=$(date +%s%3N)
	status_ok
	ok $? "$1: node status answers while it is held open"
	diag "$1: node status took $(($(date +%s%3N) - _t0)) ms"
	wait "$_hp"
	diag "$1 -> $(cat "$LAB_DIR/held.txt")"
	INPUTS=$((INPUTS + 1))
	after "$1"
}
held partial_header
held partial_body
held idle

# --- Answers not read, clients that vanish --------------------------------
raw 1 pipeline 200000
top=$(echo "$_out" | sed -n 's/.*parent rss \([0-9]*\) kB at most.*/\1/p')
[ -n "$top" ] && [ "$top" -lt $((RSS0 + RSS_MB * 1024)) ]
ok $? "pipeline: parent VmRSS at most ${top:-?} kB meanwhile (+$RSS_MB MB)"
raw 1 twice
raw 20 vanish_early 20
raw 1 vanish_mid 64
raw 1 vanish_mid 1024
raw 0 full_rib

# --- Many clients ---------------------------------------------------------
raw 0 concurrent 100

# --- Idle clients ---------------------------------------------------------
# closed_in WHAT OUTPUT: OUTPUT says closed after 5 to 35 s (the idle
# time is 10 s; a silent answer is noticed at the second check, 20 s;
# the rest is room for a loaded machine).
closed_in() {
	_took=$(echo "$2" | sed -n 's/.*closed=True after \([0-9]*\)\..*/\1/p')
	[ -n "$_took" ] && [ "$_took" -ge 5 ] && [ "$_took" -le 35 ]
	ok $? "$1 (${2#ok })"
}
# A client that says nothing, and one that never reads its answer, at
# the same time.
timeout 60 python3 "$RAW" "$SOCK" noread 45 >"$LAB_DIR/noread.txt" 2>&1 &
np=$!
out=$(timeout 60 python3 "$RAW" "$SOCK" idle 45 2>&1)
wait "$np"
closed_in "a client that sends nothing is closed after the idle time" "$out"
closed_in "a client that reads none of its answer is closed" \
    "$(cat "$LAB_DIR/noread.txt")"
INPUTS=$((INPUTS + 2))
after "idle"

# More idle clients than tortied serves at once: refused meanwhile, all
# closed after the idle time, and then tortiectl answers again.
timeout 90 python3 "$RAW" "$SOCK" idle_many 140 >"$LAB_DIR/many.txt" 2>&1 &
mp=$!
wait_for 30 grep -q '^holding' "$LAB_DIR/many.txt"
ok $? "idle_many: $(head -1 "$LAB_DIR/many.txt") connections"
wait_for 40 status_ok
ok $? "idle_many: node status answers again after the idle time"
wait "$mp"
diag "idle_many -> $(tail -1 "$LAB_DIR/many.txt")"
grep -q ' 0 still open' "$LAB_DIR/many.txt"
ok $? "idle_many: tortied closed every idle connection"
is "$(grep -c 'control: 128 clients, refused' "$LAB_DIR/node1.log")" 1 \
    "idle_many: the refused connections logged once"
INPUTS=$((INPUTS + 140))
after "idle_many"

grep -q 'Sanitizer\|runtime error\|killed by signal' "$LAB_DIR/node1.log"
ok $((1 - $?)) "no sanitizer report or killed child in the log"
diag "bad inputs tried: $INPUTS; parent VmRSS $(rss) kB at the end" \
    "(start $RSS0 kB)"

done_testing
