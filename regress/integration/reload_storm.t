#!/bin/sh
# A reload storm on four nodes in the mesh with a global peer (the lab's
# ToR, BIRD): 64 datastore changes paced so that each is a reload of its
# own, a stream of 100 closer together than tortied's settle time, then a
# burst of 100 as fast as tortiectl makes them.  The changes:
# an unrelated label toggled, an unrelated BGPFilter rewritten, every
# node applied again unchanged, and a BGPPeer to a dead address coming
# and going on the rack-2 nodes.  The daemons follow the dead peer, also
# while a stream of changes goes on; every session the storm does not concern stays
# up (same since, no flap, no state change logged, none at the ToR), no
# kernel route is deleted, the daemons all survive, and a pod pinging
# another at 10 ms across the storm loses no packet.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=4
lab_init
lab_up $N tor
lab_resources $N
lab_tor_start
lab_start 1 2 3 4

GLOBAL="Global_198_18_0_254 global Established 64567"

# digest I: node I's sessions with when they came up and their flaps.
digest() {
	lab_ctl "$1" show neighbors -o json |
	    jq -r '.[] | "\(.name) \(.state) \(.since) \(.flaps)"' |
	    LC_ALL=C sort
}

# left_established I: state changes out of Established in node I's log.
left_established() {
	grep -cE 'tortied\[[0-9]+\]: session [A-Za-z0-9_]+: Established ->' \
	    "$LAB_DIR/node$1.log"
}

tor_protocols() {
	lab_birdc show protocols | awk '$2 == "BGP" { print $1, $4, $5, $6 }'
}

# same_since BEFORE AFTER: the ToR's protocols in the same state, their
# since equal to within half a second (BIRD derives the wall clock time
# it shows from a monotonic one, a millisecond or so apart from one call
# to the next).
same_since() {
	printf '%s\n%s\n' "$1" "$2" | awk '
	    function ms(t, a) { split(t, a, /[:.]/)
		return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
	    { if ($1 in t) { d = ms($3) - t[$1]; if (d < 0) d = -d
		if (d > 500 || s[$1] != $2 " " $4) bad = 1; n++ }
	      else { t[$1] = ms($3); s[$1] = $2 " " $4; m++ } }
	    END { exit bad || n != m || m == 0 }'
}

lab_global_peer
ok $? "global BGPPeer to the ToR applied"
for i in $(seq $N); do
	lab_wait_sessions $i "$(lab_mesh $i; echo "$GLOBAL")" 30
	ok $? "node$i: mesh and ToR sessions up"
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3 4; echo "$LAB_TORNET")" 20
	ok $? "node$i: every block and the ToR's network"
done
lab_wait_text "the ToR's sessions" "$(for i in $(seq $N); do
	echo "node$i Established"; done)" 20 lab_tor_sessions
ok $? "the ToR: every node established"

# Two versions of a BGPFilter that no BGPPeer uses.
for v in 24 25; do
	cat >"$LAB_DIR/filter-$v.yaml" <<-YAML
	apiVersion: projectcalico.org/v3
	kind: BGPFilter
	metadata:
	  name: storm-filter
	spec:
	  exportV4:
	  - action: Reject
	    matchOperator: In
	    cidr: 203.0.113.0/$v
	YAML
done
# A peer that does not exist, for the rack-2 nodes only.
cat >"$LAB_DIR/dead.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: storm-peer
spec:
  peerIP: 198.18.0.200
  asNumber: 64999
  nodeSelector: rack == 'rack-2'
YAML
lab_tortiectl apply -f "$LAB_DIR/filter-24.yaml" >/dev/null
ok $? "an unrelated BGPFilter applied"
sleep 2

for i in $(seq $N); do
	digest $i >"$LAB_DIR/digest$i.before"
	left_established $i >"$LAB_DIR/left$i.before"
	cat "$LAB_DIR/node$i.pid" >"$LAB_DIR/pid$i.before"
	ip -n "$(lab_ns "n$i")" monitor route >"$LAB_DIR/monitor$i.txt" 2>&1 &
	echo $! >"$LAB_DIR/monitor$i.pid"
done
tor_protocols >"$LAB_DIR/tor.before"
# A simple command, so that $! is ping itself (ip netns exec execs it)
# and SIGINT makes it print its statistics; -w bounds it all the same.
ip netns exec "$(lab_ns w1)" ping -i 0.01 -W 1 -w 300 198.19.3.2 \
    >"$LAB_DIR/ping.txt" 2>&1 &
pingpid=$!
sleep 1

# change N: the Nth change of the storm, for N = 1, 2, ...: an unrelated
# label toggled, an unrelated BGPFilter rewritten, or every node applied
# again unchanged.
change() {
	case $(($1 % 3)) in
	0)	lab_tortiectl label node node2 color=c$(($1 % 2)) \
		    --overwrite ;;
	1)	lab_tortiectl apply -f "$LAB_DIR/filter-$((24 + $1 % 2)).yaml" ;;
	2)	lab_tortiectl apply -f "$LAB_DIR/base.yaml" ;;
	esac >/dev/null || fails=$((fails + 1))
}

storm_peer() {
	if [ "$1" = on ]; then
		lab_tortiectl apply -f "$LAB_DIR/dead.yaml"
	else
		lab_tortiectl delete bgppeer storm-peer
	fi >/dev/null || fails=$((fails + 1))
}

added() {
	grep -cE 'session Node_198_18_0_200:? added' "$LAB_DIR/node3.log"
}
removed() {
	grep -cE 'session Node_198_18_0_200:? removed' "$LAB_DIR/node3.log"
}

# Phase 1, paced: 64 changes 0.15 s apart, longer than tortied waits for
# a burst to settle, so that each is a reload of its own; every fourth
# brings the storm peer or takes it away.
fails=0
start=$(date +%s)
k=1
while [ $k -le 64 ]; do
	if [ $((k % 4)) = 1 ]; then
		if [ $((k % 8)) = 1 ]; then
			storm_peer on
		else
			storm_peer off
		fi
	else
		change $k
	fi
	sleep 0.15
	k=$((k + 1))
done
sleep 1
diag "paced: 64 changes in $(($(date +%s) - start)) s"
a1=$(added)
r1=$(removed)
diag "node3 added the storm peer's session $a1 time(s), removed it $r1 time(s)"
[ "$a1" -ge 6 ] && [ "$r1" = "$a1" ]
ok $? "paced: node3 followed the storm peer coming (8 times) and going"

# Phase 2, a stream: 100 changes 0.05 s apart, closer than tortied's
# settle time, for some 6 s; the storm peer is there for the first half.
# A change must not wait for the stream to end.
start=$(date +%s)
storm_peer on
k=2
while [ $k -le 100 ]; do
	if [ $k = 51 ]; then
		storm_peer off
	else
		change $k
	fi
	sleep 0.05
	k=$((k + 1))
done
took=$(($(date +%s) - start))
diag "stream: 100 changes in $took s"
a2=$(($(added) - a1))
diag "stream: node3 added the storm peer's session $a2 time(s)"
[ "$a2" -ge 1 ]
ok $? "stream: a change is applied while others keep coming (the storm peer was there for $((took / 2)) s)"

# Phase 3, a burst: 100 changes as fast as tortiectl makes them.
start=$(date +%s%3N)
k=1
while [ $k -le 100 ]; do
	change $k
	k=$((k + 1))
done
diag "burst: 100 changes in $(($(date +%s%3N) - start)) ms"
is "$fails" 0 "every one of the 264 verbs succeeded"

# Let the last changes land, then stop the ping and the monitors.
sleep 2
kill -INT "$pingpid"
wait "$pingpid"
for i in $(seq $N); do
	kill "$(cat "$LAB_DIR/monitor$i.pid")"
done
loss=$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$LAB_DIR/ping.txt")
diag "ping node1 -> node3 at 10 ms across the storm: $loss, $(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.txt")"
is "$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.txt")" "0% packet loss" \
    "no packet lost across the storm"

for i in $(seq $N); do
	kill -0 "$(cat "$LAB_DIR/node$i.pid")" 2>/dev/null &&
	    [ "$(cat "$LAB_DIR/node$i.pid")" = "$(cat "$LAB_DIR/pid$i.before")" ]
	ok $? "node$i: tortied still running, same process"
	lab_wait_text "node$i's sessions (since, flaps)" \
	    "$(cat "$LAB_DIR/digest$i.before")" 10 digest $i
	ok $? "node$i: every session still up, same since, no flap"
	is "$(left_established $i)" "$(cat "$LAB_DIR/left$i.before")" \
	    "node$i: no session left Established during the storm"
	is "$(grep -c '^Deleted' "$LAB_DIR/monitor$i.txt")" 0 \
	    "node$i: no kernel route deleted during the storm"
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3 4; echo "$LAB_TORNET")" 5
	ok $? "node$i: the same routes after the storm"
	grep -Eq 'killed by signal|exited with status [1-9]|restarting sessiond|died|fatal' \
	    "$LAB_DIR/node$i.log"
	ok $((1 - $?)) "node$i: no child crashed, nothing fatal in the log"
done
tor_protocols >"$LAB_DIR/tor.after"
same_since "$(cat "$LAB_DIR/tor.before")" "$(cat "$LAB_DIR/tor.after")"
rc=$?
ok $rc "the ToR: every session up since before the storm"
if [ $rc -ne 0 ]; then
	sed 's/^/# before: /' "$LAB_DIR/tor.before"
	sed 's/^/# after:  /' "$LAB_DIR/tor.after"
fi

# And they still follow changes.
grep -qE 'session Node_198_18_0_200:? added' "$LAB_DIR/node1.log"
ok $((1 - $?)) "node1 (rack-1) never had the storm peer"
has_session() {
	lab_sessions "$1" | grep -q "^$2 "
}
lab_tortiectl apply -f "$LAB_DIR/dead.yaml" >/dev/null
wait_for 10 has_session 4 Node_198_18_0_200
ok $? "after the storm, a new change still takes effect (node4)"

done_testing
