#!/bin/sh
# The etcd v3 datastore against a real etcd: a 3-member cluster in a
# network namespace (198.18.0.11-13 on its loopback), client TLS with
# certificates made here (CA, server certificate naming the member
# addresses, client certificate).  tortiectl's resource verbs through
# tortie.yaml (type etcdv3, endpoints, caFile, certFile, keyFile) with
# Calico's key layout, values and errors; resources written with etcdctl
# in Calico's encoding (incl. IPAM block affinities) read back and
# planned; TLS refusals (no client certificate, wrong CA, address not in
# the certificate); failover past a dead endpoint; plain http; the watch
# (changes, filtering, compaction); killing the leader during writes
# loses nothing, neither in etcd nor in what the watcher loads.
. "$(dirname "$0")/../lib/tap.sh"

T=${TORTIECTL:-$TOP/ctl/tortiectl}
NS=tortie-etcd-$$
W=$(mktemp -d /tmp/tortie-etcd.XXXXXX)

if [ "$(id -u)" -ne 0 ] || ! command -v etcd >/dev/null ||
    ! command -v etcdctl >/dev/null || ! command -v openssl >/dev/null ||
    [ ! -x "$T" ]; then
	echo "1..1"; echo "not ok 1 - needs root, etcd, etcdctl, openssl and tortiectl (make deps installs it)"
	[ -n "${TORTIE_KEEP:-}" ] || rm -rf "$W"
	exit 1
fi

# Background processes still ours: those reaped are taken off the list,
# since their PIDs may be someone else's by now.
PIDS=""
bg_add() { PIDS="$PIDS $1"; }
bg_reap() {
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}
cleanup() {
	etcd_cleanup
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "${TORTIE_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

nsx() { ip netns exec "$NS" "$@"; }
ETCD_NS=$NS
ETCD_DIR=$W
. "$TOP/regress/lib/etcd.sh"

ip netns add "$NS" || { echo "1..1"; echo "not ok 1 - cannot create a namespace"; exit 1; }
nsx ip link set lo up
for a in 11 12 13 14 19; do
	nsx ip addr add 198.18.0.$a/32 dev lo
done

# The test tool that watches the way tortied does (with the sanitizers
# under make asan).
SAN=
[ -n "${TORTIE_ASAN:-}" ] &&
    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
cc $(cd "$TOP" && make -s print-cflags) $SAN -o "$W/ds_watch" \
    "$TOP/regress/tools/ds_watch.c" "$TOP/common/libtortie.a" \
    $(cd "$TOP" && make -s print-libs) $SAN 2>"$W/cc.log" || {
	cat "$W/cc.log" >&2
	echo "1..1"; echo "not ok 1 - cannot build ds_watch"
	exit 1
}

# Certificates: the server's names the three members, not 198.18.0.19.
P=$ETCD_P
etcd_pki || { echo "1..1"; echo "not ok 1 - openssl could not make certificates"; exit 1; }

# m1 also serves plain http on 127.0.0.1 and TLS on an address that its
# certificate does not name.
ETCD_EXTRA_URLS_1=https://198.18.0.19:2379,http://127.0.0.1:2379
EPS=$ETCD_EPS
if ! etcd_up; then
	echo "1..1"; echo "not ok 1 - etcd cluster did not come up"
	tail -5 "$W/m1.log" >&2
	exit 1
fi

conf() {
	# conf FILE ENDPOINTS [CA [CERT KEY]]
	{
		echo "nodeName: node1"
		echo "datastore:"
		echo "  type: etcdv3"
		echo "  endpoints: [$2]"
		[ -n "${3:-}" ] && echo "  caFile: $3"
		[ -n "${4:-}" ] && echo "  certFile: $4"
		[ -n "${5:-}" ] && echo "  keyFile: $5"
	} >"$1"
}
C=$W/tortie.yaml
conf "$C" "$EPS" "$P/ca.pem" "$P/client.pem" "$P/client-key.pem"

# run ARGS...: tortiectl -c $C ARGS in the namespace; RC, OUT, ERR.
run() {
	nsx "$T" -c "$C" "$@" >"$W/out" 2>"$W/err"
	RC=$?
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
}
expect() {
	# expect RC OUT ERR DESCRIPTION
	_ok=0
	[ "$RC" = "$1" ] && [ "$OUT" = "$2" ] && [ "$ERR" = "$3" ] || _ok=1
	ok $_ok "$4"
	if [ $_ok -ne 0 ]; then
		diag "rc $RC (want $1)"
		diag "stdout: $OUT"
		diag "want:   $2"
		diag "stderr: $ERR"
		diag "want:   $3"
	fi
}
K=/calico/resources/v3/projectcalico.org

# --- Resource verbs, Calico's layout and errors -------------------------

run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 198.18.0.1
  asNumber: 64567
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
spec:
  bgp:
    ipv4Address: 198.18.0.21/24
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: true
  asNumber: 64512
EOF
expect 0 "Successfully applied 3 resource(s)" "" \
    "apply of three kinds through tortie.yaml (etcdv3, TLS)"
if [ "$RC" -eq 0 ] && [ "$OUT" != "Successfully applied 3 resource(s)" ]; then
	diag "(tortiectl's wording for mixed kinds may differ)"
fi

v=$(ec get --print-value-only $K/bgppeers/rack1-tor)
case $v in
'{'*'"kind":"BGPPeer"'*'"name":"rack1-tor"'*'"asNumber":64567'*'}')
	ok 0 "etcd holds compact JSON at $K/bgppeers/rack1-tor" ;;
*)	ok 1 "etcd holds compact JSON at $K/bgppeers/rack1-tor"
	diag "value: $v" ;;
esac
case $v in
*resourceVersion*|*': '*|*'
'*)	ok 1 "no resourceVersion and no whitespace in the stored value" ;;
*)	ok 0 "no resourceVersion and no whitespace in the stored value" ;;
esac
ec get --print-value-only $K/nodes/node1 | grep -q '"ipv4Address":"198.18.0.21/24"'
ok $? "Node stored under nodes/node1"
ec get --print-value-only $K/bgpconfigurations/default | grep -q '"kind":"BGPConfiguration"'
ok $? "BGPConfiguration stored under bgpconfigurations/default"

modrev=$(ec get $K/bgppeers/rack1-tor -w json | tr ',' '\n' |
    sed -n 's/.*"mod_revision":\([0-9]*\).*/\1/p')
run get bgppeer rack1-tor -o yaml
echo "$OUT" | grep -q "resourceVersion: \"$modrev\""
ok $? "resourceVersion is the key's mod_revision ($modrev)"

run create -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 198.18.0.1
  asNumber: 64567
EOF
expect 1 "" "Failed to create 'BGPPeer' resource: [resource already exists: BGPPeer(rack1-tor)]" \
    "create of an existing resource: already exists"

run replace -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
  resourceVersion: "1"
spec:
  peerIP: 198.18.0.1
  asNumber: 64568
EOF
[ "$RC" -ne 0 ] && echo "$ERR" | grep -q 'update conflict: BGPPeer(rack1-tor)'
ok $? "replace with a stale resourceVersion: update conflict"

run patch bgppeer rack1-tor -p '{"spec":{"asNumber":64570}}'
expect 0 "Successfully patched 1 'BGPPeer' resource" "" "patch"
ec get --print-value-only $K/bgppeers/rack1-tor | grep -q '"asNumber":64570'
ok $? "patch reached etcd"
run label bgppeer rack1-tor rack=r1
[ "$RC" -eq 0 ]
ok $? "label"
ec get --print-value-only $K/bgppeers/rack1-tor | grep -q '"labels":{"rack":"r1"}'
ok $? "label reached etcd"

run delete bgppeer nope
expect 1 "" "Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(nope) with error: <nil>" \
    "delete of a missing resource: does not exist"

# --- Written by Calico (etcdctl), read by tortie ------------------------

ec put $K/ippools/default-ipv4-ippool '{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"default-ipv4-ippool","uid":"0b0e2c2a-4d43-4b57-9a3b-bb0e0b3b8a01","creationTimestamp":"2024-05-01T10:00:00Z"},"spec":{"cidr":"198.19.0.0/16","vxlanMode":"Never","ipipMode":"Always","natOutgoing":true,"blockSize":26,"nodeSelector":"all()","allowedUses":["Workload","Tunnel"]}}' >/dev/null
ec put /calico/ipam/v2/host/node1/ipv4/block/198.19.0.0-26 '{"state":"confirmed","deleted":false}' >/dev/null
ec put /calico/ipam/v2/host/node1/ipv4/block/198.19.0.64-26 '{"state":"pending","deleted":false}' >/dev/null
ec put /calico/ipam/v2/host/node2/ipv4/block/198.19.0.128-26 '{}' >/dev/null

run get ippools -o wide
echo "$OUT" | grep -Eq '^default-ipv4-ippool +198\.19\.0\.0/16 +true +Always +Never '
ok $? "an IPPool written by etcdctl in Calico's encoding is read"
rv=$(ec get $K/ippools/default-ipv4-ippool -w json | tr ',' '\n' |
    sed -n 's/.*"mod_revision":\([0-9]*\).*/\1/p')
run get ippool default-ipv4-ippool -o json
echo "$OUT" | grep -q "\"resourceVersion\": \"$rv\"" &&
    echo "$OUT" | grep -q '"uid": "0b0e2c2a-4d43-4b57-9a3b-bb0e0b3b8a01"'
ok $? "its uid is Calico's and its resourceVersion the mod_revision"

run get blockaffinities -o yaml
echo "$OUT" | grep -q 'name: node1-198-19-0-0-26' &&
    echo "$OUT" | grep -q 'name: node1-198-19-0-64-26' &&
    echo "$OUT" | grep -q 'name: node2-198-19-0-128-26'
ok $? "Calico IPAM affinities appear as BlockAffinity resources"

nsx "$T" -c "$C" plan --node node1 -o json >"$W/plan.json" 2>"$W/plan.err"
tr -d ' \n' <"$W/plan.json" | grep -q '"originate":\["198.19.0.0/26"\]'
ok $? "plan from etcd originates node1's confirmed block only"
tr -d ' \n' <"$W/plan.json" | grep -q '"peerIP":"198.18.0.1"'
ok $? "plan from etcd has the global BGPPeer"

run delete blockaffinity node1-198-19-0-0-26
[ "$RC" -ne 0 ] && echo "$ERR" | grep -q "Calico IPAM's data"
ok $? "IPAM affinities are read-only for tortie"

# --- TLS, failover, plain http ------------------------------------------

conf "$W/nocert.yaml" "https://198.18.0.11:2379" "$P/ca.pem"
nsx "$T" -c "$W/nocert.yaml" get bgppeers >/dev/null 2>"$W/err"
grep -q 'TLS: .*certificate' "$W/err"
ok $? "no client certificate: refused by the server ($(cat "$W/err"))"

conf "$W/otherca.yaml" "https://198.18.0.11:2379" "$P/other-ca.pem" \
    "$P/client.pem" "$P/client-key.pem"
nsx "$T" -c "$W/otherca.yaml" get bgppeers >/dev/null 2>"$W/err"
grep -q 'certificate verify failed' "$W/err"
ok $? "server certificate from another CA: refused"

conf "$W/badname.yaml" "https://198.18.0.19:2379" "$P/ca.pem" \
    "$P/client.pem" "$P/client-key.pem"
nsx "$T" -c "$W/badname.yaml" get bgppeers >/dev/null 2>"$W/err"
grep -q 'certificate verify failed: IP address mismatch' "$W/err"
ok $? "address not named by the certificate: refused"

conf "$W/failover.yaml" "https://198.18.0.14:2379, $EPS" "$P/ca.pem" \
    "$P/client.pem" "$P/client-key.pem"
nsx "$T" -c "$W/failover.yaml" get bgppeer rack1-tor >/dev/null 2>&1
ok $? "a dead first endpoint is passed over"

conf "$W/plain.yaml" "http://127.0.0.1:2379"
nsx "$T" -c "$W/plain.yaml" get bgppeer rack1-tor >/dev/null 2>&1
ok $? "plain http"

# --- The watch ------------------------------------------------------------

ip netns exec "$NS" "$W/ds_watch" "$C" >"$W/watch.log" 2>&1 &
WPID=$!
bg_add $WPID
wait_for 10 grep -q '^status connected' "$W/watch.log"
ok $? "watch connected"
loads() { grep -c '^loaded' "$W/watch.log"; }

n=$(loads)
run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: watched
spec:
  peerIP: 198.18.0.2
  asNumber: 64567
EOF
wait_for 10 sh -c "grep '^loaded' '$W/watch.log' | tail -1 |
    grep -q 'bgppeers/watched@'"
ok $? "a change made with tortiectl is seen by the watch"

ec put /calico/ipam/v2/host/node1/ipv4/block/198.19.1.0-26 '{"state":"confirmed"}' >/dev/null
wait_for 10 sh -c "grep '^loaded' '$W/watch.log' | tail -1 |
    grep -q 'blockaffinities/node1-198-19-1-0-26@'"
ok $? "a new IPAM affinity is seen by the watch"

n=$(loads)
ec put $K/workloadendpoints/default/node1-k8s-pod-eth0 '{}' >/dev/null
ec put $K/networkpolicies/default/np1 '{}' >/dev/null
ec put /calico/ipam/v2/assignment/ipv4/block/198.19.0.0-26 '{}' >/dev/null
sleep 1
is "$(loads)" "$n" "changes to other Calico keys do not reload"

# The stream breaks while the watcher is stopped, changes and a compaction
# follow: resuming from its revision fails, and it re-lists.
# etcdctl is pointed at the live members only, and retried: with the
# killed member first in its list, or while the others elect a new
# leader, one call can run out of time (5 s) and the change would never
# have been made.
ec_live() {
	_e=$ETCD_EPS
	ETCD_EPS=https://198.18.0.12:2379,https://198.18.0.13:2379
	_rc=1
	for _i in 1 2 3 4 5; do
		if ec --command-timeout=10s "$@"; then
			_rc=0
			break
		fi
		sleep 1
	done
	ETCD_EPS=$_e
	return $_rc
}
kill -STOP $WPID
etcd_kill 1
ec_live put $K/bgppeers/compacted '{"kind":"BGPPeer","apiVersion":"projectcalico.org/v3","metadata":{"name":"compacted"},"spec":{"peerIP":"198.18.0.3","asNumber":64567}}' >/dev/null
ok $? "a change made while the watcher is stopped and a member is down"
rev=$(ec_live put /calico/test/x y -w json | tr ',' '\n' |
    sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
[ -n "$rev" ] && ec_live compact "$rev" >/dev/null
ok $? "and a compaction past it (revision $rev)"
kill -CONT $WPID
wait_for 40 sh -c "grep '^loaded' '$W/watch.log' | tail -1 |
    grep -q 'bgppeers/compacted@'"
ok $? "after a lost stream the watch sees what changed meanwhile"
grep -q 'history compacted: re-listing' "$W/watch.log"
ok $? "the history was compacted: the watch re-listed"
etcd_restart 1
etcd_healthy 20
ok $? "the member is back"

# --- Killing the leader during writes -------------------------------------

etcd_leader
ok $? "found the leader (m$ETCD_LEADER)"
LN=$ETCD_LEADER

N=40
(
	i=1
	while [ $i -le $N ]; do
		printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: load-%d\nspec:\n  peerIP: 198.18.1.%d\n  asNumber: 65000\n' $i $i |
		    nsx "$T" -c "$C" apply -f - >/dev/null 2>>"$W/load.err"
		echo "$i $?" >>"$W/load.log"
		i=$((i + 1))
	done
) &
LOADER=$!
bg_add $LOADER
wait_for 20 sh -c "[ \$(wc -l <'$W/load.log' 2>/dev/null || echo 0) -ge 10 ]"
[ -n "$LN" ] && etcd_kill "$LN"
diag "killed the leader after $(wc -l <"$W/load.log") of $N writes"
wait $LOADER
fails=$(awk '$2 != 0' "$W/load.log" | wc -l)
is "$fails" "0" "every apply succeeded while the leader was killed"
[ -s "$W/load.err" ] && sed 's/^/# /' "$W/load.err" | head -5

run get bgppeers
got=$(echo "$OUT" | grep -c '^load-')
is "$got" "$N" "all $N peers are in etcd"
wait_for 20 sh -c "grep '^loaded' '$W/watch.log' | tail -1 | tr ' ' '\n' |
    grep -c '^bgppeers/load-' | grep -qx $N"
ok $? "the watcher's last load has all $N peers"

# --- All of etcd down: unreachable, then back ----------------------------

etcd_kill_all
wait_for 30 grep -q '^status unreachable since ' "$W/watch.log"
ok $? "with every member down the watch says unreachable"
etcd_restart_all
wait_for 30 sh -c "grep '^status' '$W/watch.log' | tail -1 |
    grep -q '^status connected'"
ok $? "the watch reconnects when etcd is back"
ec put $K/bgppeers/after-outage '{"kind":"BGPPeer","apiVersion":"projectcalico.org/v3","metadata":{"name":"after-outage"},"spec":{"peerIP":"198.18.0.4","asNumber":64567}}' >/dev/null
wait_for 10 sh -c "grep '^loaded' '$W/watch.log' | tail -1 |
    grep -q 'bgppeers/after-outage@'"
ok $? "and sees changes again"
grep '^status' "$W/watch.log" | sed 's/^/# /'

kill -TERM $WPID
wait $WPID
ok $? "the watcher exits cleanly"
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$WPID" | tr '\n' ' ')
! grep -q 'Sanitizer\|runtime error' "$W/watch.log"
ok $? "no sanitizer reports from the watcher"

done_testing
