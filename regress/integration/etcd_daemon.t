#!/bin/sh
# tortied on the etcd v3 datastore: a 3-member TLS etcd cluster in the lab
# (regress/lib/etcd.sh) and two nodes that peer in the mesh from the
# resources in etcd.  The etcd client runs in dsd, sandboxed (unprivileged
# user, chroot, seccomp); the client certificate and key are root's, mode
# 0600, and only dsd opens them (strace of node1 from its start).  A
# BGPPeer written with etcdctl in Calico's encoding is applied within a
# second (the time is printed); killing the etcd leader during a burst of
# changes loses none and both nodes converge; etcd down for 60 s changes
# no session, status and metrics say unreachable, and a change after etcd
# is back is applied; a killed dsd is restarted and the watch resumes.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

T=$TOP/ctl/tortiectl
for c in etcd etcdctl openssl jq curl; do
	if ! command -v "$c" >/dev/null; then
		echo "1..1"; echo "not ok 1 - needs $c (make deps installs it)"
		exit 1
	fi
done
if [ "$(id -u)" -ne 0 ] || [ ! -x "$TOP/dsd/dsd" ]; then
	echo "1..1"; echo "not ok 1 - needs root and dsd/dsd (make deps installs it)"
	exit 1
fi

lab_init
# node2 finds the members by name later on (ip netns exec mounts
# /etc/netns/<namespace>/hosts over /etc/hosts); m1 also serves plain
# http on port 2381.
HOSTS=/etc/netns/$(lab_ns n2)
trap 'rm -rf "$HOSTS"; lab_down' EXIT
mkdir -p "$HOSTS"
printf '198.18.0.20%s etcd%s.lab\n' 1 1 2 2 3 3 >"$HOSTS/hosts"
LAB_ETCD_SANS=DNS:etcd1.lab,DNS:etcd2.lab,DNS:etcd3.lab
ETCD_EXTRA_URLS_1=http://198.18.0.201:2381
lab_up 2
if ! lab_etcd_up; then
	echo "1..1"; echo "not ok 1 - the etcd cluster did not come up"
	exit 1
fi
lab_resources 2
K=/calico/resources/v3/projectcalico.org

# --- The cluster, the files, the nodes -----------------------------------

n=$(ec get --prefix --keys-only $K/nodes/ | grep -c .)
is "$n" 2 "the lab's Nodes are in etcd"
is "$(stat -c '%U %a' "$ETCD_P/client-key.pem")" "root 600" \
    "the client key is root's, mode 0600"
is "$(stat -c '%U %a' "$ETCD_P/client.pem")" "root 600" \
    "the client certificate is root's, mode 0600"

# node1 under strace from its start (which files each process opens),
# with metrics; node2 as lab_start starts it.
lab_conf 1
printf 'metrics:\n  listen: "198.18.0.1:9179"\n' >>"$LAB_DIR/node1.yaml"
STRACE=
command -v strace >/dev/null &&
    STRACE="strace -f -qq -e trace=openat -o $LAB_DIR/node1.strace"
# shellcheck disable=SC2086
ip netns exec "$(lab_ns n1)" $STRACE "$LAB_TOP/bgpd/tortied" -d \
    -f "$LAB_DIR/node1.yaml" >>"$LAB_DIR/node1.log" 2>&1 &
PARENT1=$!
wait_for 10 test -S "$LAB_DIR/node1.sock"
[ -n "$STRACE" ] && PARENT1=$(pgrep -P "$PARENT1" -x tortied)
echo "$PARENT1" >"$LAB_DIR/node1.pid"
lab_start 2

for i in 1 2; do
	lab_wait_established "$i" 2 30
	ok $? "node$i: mesh sessions Established (IPv4, IPv6) from etcd"
done

status() {
	lab_ctl "$1" node status -o json 2>/dev/null
}
ds_state() {
	status "$1" | jq -r '.datastore.state'
}
# state_is I STATE: node I's datastore is in STATE.
state_is() {
	[ "$(ds_state "$1")" = "$2" ]
}
dsd_pid() {
	status "$1" | jq -r '.processes[] | select(.role == "dsd") | .pid'
}
for i in 1 2; do
	wait_for 10 state_is "$i" connected
	ok $? "node$i: status says the datastore is connected"
done
status 1 | jq -c .datastore | sed 's/^/# /'

# --- dsd: where the etcd client runs --------------------------------------

D1=$(dsd_pid 1)
[ -n "$D1" ] && [ -d "/proc/$D1" ]
ok $? "node1 runs dsd (pid $D1)"
is "$(awk '/^Uid:/ {print $3}' /proc/"$D1"/status)" "$(id -u _tortie)" \
    "dsd runs as _tortie"
is "$(awk '/^Seccomp:/ {print $2}' /proc/"$D1"/status)" 2 \
    "dsd: seccomp filter"
is "$(awk '/^NoNewPrivs:/ {print $2}' /proc/"$D1"/status)" 1 \
    "dsd: no new privileges"
is "$(awk '/^CapEff:/ {print $2}' /proc/"$D1"/status)" 0000000000000000 \
    "dsd: no capabilities"
[ "$(readlink /proc/"$D1"/root)" != / ]
ok $? "dsd: chrooted ($(readlink /proc/"$D1"/root))"

# Who opened the TLS files: dsd, once, and never the parent.
opened_by() {
	grep -E "^$1 +openat\(.*($ETCD_P/client-key.pem|$ETCD_P/client.pem|\
$ETCD_P/ca.pem)" "$LAB_DIR/node1.strace" | grep -vc ENOENT
}
if [ -n "$STRACE" ]; then
	is "$(opened_by "$PARENT1")" 0 "the parent never opened the CA, \
certificate or key"
	is "$(opened_by "$D1")" 3 "dsd opened the CA, certificate and key \
once"
else
	ok 1 "strace is missing (make deps installs it)"
	ok 1 "strace is missing (make deps installs it)"
fi

# --- A change written with etcdctl in Calico's encoding ------------------

now_ms() { echo $(($(date +%s%N) / 1000000)); }
has_session() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq -e --arg n "$2" 'any(.[]; .name == $n)' >/dev/null
}
no_session() {
	! has_session "$@"
}
# picked_up WHAT SESSION CMD...: run CMD, then wait until both nodes have
# SESSION (at most 10 s); prints the milliseconds from the end of CMD (the
# write is committed then) and, second, from its start; fails on timeout.
picked_up() {
	_s=$2
	shift 2
	_t0=$(now_ms)
	"$@" >/dev/null || return 1
	_t1=$(now_ms)
	_n=500
	while [ "$_n" -gt 0 ]; do
		has_session 1 "$_s" && has_session 2 "$_s" && break
		sleep 0.02
		_n=$((_n - 1))
	done
	_t2=$(now_ms)
	echo $((_t2 - _t1)) $((_t2 - _t0))
	[ "$_n" -gt 0 ]
}
peer_json() {
	printf '{"kind":"BGPPeer","apiVersion":"projectcalico.org/v3",'
	printf '"metadata":{"name":"%s","uid":"%s",' "$1" \
	    "6b1a3c1e-8f1e-4c6a-9a43-00000000000$2"
	printf '"creationTimestamp":"2024-05-01T10:00:00Z"},'
	printf '"spec":{"peerIP":"198.18.0.%s","asNumber":%s}}' "$2" "$3"
}

ms=$(picked_up put Global_198_18_0_250 \
    ec put $K/bgppeers/rack1-tor "$(peer_json rack1-tor 250 64567)")
rc=$?
diag "etcdctl put to the session on both nodes: ${ms% *} ms after the put \
returned, ${ms#* } ms with etcdctl's own start"
ok $rc "a BGPPeer put with etcdctl is applied by both nodes"
[ "$rc" -eq 0 ] && [ "${ms% *}" -lt 1000 ]
ok $? "within a second (${ms% *} ms)"
lab_ctl 2 show neighbors -o json | jq -e '.[] | select(.name ==
    "Global_198_18_0_250") | .peerAS == 64567 and .type == "global"' \
    >/dev/null
ok $? "with the AS and type etcd says"

t0=$(now_ms)
ec del $K/bgppeers/rack1-tor >/dev/null
wait_for 5 no_session 2 Global_198_18_0_250
ok $? "its deletion is applied too ($(($(now_ms) - t0)) ms)"

# --- The leader killed during a burst of changes ------------------------

etcd_leader
ok $? "found the etcd leader (m$ETCD_LEADER)"
N=30
: >"$LAB_DIR/load.log"
(
	i=1
	while [ $i -le $N ]; do
		printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\n' \
		    >"$LAB_DIR/l.yaml"
		printf 'metadata:\n  name: load-%d\nspec:\n' $i \
		    >>"$LAB_DIR/l.yaml"
		printf '  peerIP: 198.18.1.%d\n  asNumber: 65000\n' $i \
		    >>"$LAB_DIR/l.yaml"
		lab_tortiectl apply -f "$LAB_DIR/l.yaml" >/dev/null \
		    2>>"$LAB_DIR/load.err"
		echo "$i $?" >>"$LAB_DIR/load.log"
		i=$((i + 1))
	done
) &
LOADER=$!
wait_for 20 sh -c "[ \$(wc -l <'$LAB_DIR/load.log') -ge 8 ]"
[ -n "$ETCD_LEADER" ] && etcd_kill "$ETCD_LEADER"
diag "killed the leader after $(wc -l <"$LAB_DIR/load.log") of $N changes"
wait $LOADER
is "$(awk '$2 != 0' "$LAB_DIR/load.log" | wc -l)" 0 \
    "every change was accepted while the leader was killed"
is "$(lab_tortiectl get bgppeers | grep -c '^load-')" "$N" \
    "all $N BGPPeers are in etcd"
count_load() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq '[.[] | select(.name | startswith("Global_198_18_1_"))] | length'
}
# sessions_are I N: node I has N sessions.
sessions_are() {
	[ "$(lab_ctl "$1" show neighbors -o json 2>/dev/null | jq length)" = \
	    "$2" ]
}
load_is() {
	[ "$(count_load "$1")" = "$2" ]
}
for i in 1 2; do
	wait_for 20 load_is "$i" "$N"
	ok $? "node$i converged: $(count_load "$i") of $N sessions"
done
etcd_restart "$ETCD_LEADER"
etcd_healthy 20
ok $? "the old leader is back"
i=1
names=
while [ $i -le $N ]; do
	names="$names load-$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086
lab_tortiectl delete bgppeer $names >/dev/null
for i in 1 2; do
	wait_for 20 sessions_are "$i" 2
	ok $? "node$i: back to the mesh alone after the deletions"
done

# --- etcd unreachable for 60 s --------------------------------------------

since_all() {
	lab_ctl "$1" show neighbors -o json |
	    jq -r '.[] | "\(.name) \(.state) \(.since)"' | sort
}
metric_up() {
	lab_exec n1 curl -s --max-time 5 http://198.18.0.1:9179/metrics |
	    sed -n 's/^tortie_datastore_up \([01]\)$/\1/p'
}
metric_is() {
	[ "$(metric_up)" = "$1" ]
}
is "$(metric_up)" 1 "metrics: tortie_datastore_up 1"
before1=$(since_all 1)
before2=$(since_all 2)
t0=$(now_ms)
etcd_kill_all
for i in 1 2; do
	wait_for 40 state_is "$i" unreachable
	ok $? "node$i: status says the datastore is unreachable"
done
status 2 | jq -c .datastore | sed 's/^/# /'
status 2 | jq -e '.datastore.since != null and .datastore.up == false' \
    >/dev/null
ok $? "with the time since when, and up false"
wait_for 5 metric_is 0
ok $? "metrics: tortie_datastore_up 0"
lab_ctl 2 reload >/dev/null 2>&1
left=$((60500 - ($(now_ms) - t0)))
[ "$left" -gt 0 ] && sleep "$((left / 1000)).$((left % 1000 / 100))"
diag "etcd was down for $((($(now_ms) - t0) / 1000)) s"
is "$(since_all 1)" "$before1" "node1: no session changed"
is "$(since_all 2)" "$before2" "node2: no session changed (a reload \
failed meanwhile)"
grep -q 'reload failed, keeping the running configuration' \
    "$LAB_DIR/node2.log"
ok $? "node2's reload during the outage failed and kept the plan"
echo "$before1" | sed 's/^/# /'

etcd_restart_all
etcd_healthy 30
ok $? "etcd is back"
for i in 1 2; do
	wait_for 40 state_is "$i" connected
	ok $? "node$i: status says connected again"
done
wait_for 10 metric_is 1
ok $? "metrics: tortie_datastore_up 1 again"
ms=$(picked_up put Global_198_18_0_251 \
    ec put $K/bgppeers/after-outage "$(peer_json after-outage 251 64567)")
ok $? "a change after the outage is applied by both nodes (${ms% *} ms)"

# --- dsd killed: restarted, the watch resumes ----------------------------

D2=$(dsd_pid 2)
kill -9 "$D2"
# new_dsd I OLD: node I runs a dsd other than OLD.
new_dsd() {
	_p=$(dsd_pid "$1")
	[ -n "$_p" ] && [ "$_p" != null ] && [ "$_p" != "$2" ]
}
wait_for 10 new_dsd 2 "$D2"
ok $? "node2 restarted its dsd (was $D2, now $(dsd_pid 2))"
wait_for 10 state_is 2 connected
ok $? "the new dsd is connected"
ms=$(picked_up put Global_198_18_0_252 \
    ec put $K/bgppeers/after-restart "$(peer_json after-restart 252 64567)")
ok $? "and a change is applied by both nodes (${ms% *} ms)"
is "$(since_all 2 | grep Mesh)" "$(echo "$before2" | grep Mesh)" \
    "node2: the mesh sessions were not touched"

# --- Endpoints by name, plain http ---------------------------------------

# node2 by name: the names are resolved before dsd confines itself, the
# certificate is checked against the names.  node1 over plain http.
D2=$(dsd_pid 2)
{
	echo "nodeName: node2"
	echo "datastore:"
	echo "  type: etcdv3"
	echo "  endpoints: [https://etcd1.lab:2379, https://etcd2.lab:2379, \
https://etcd3.lab:2379]"
	echo "  caFile: $ETCD_P/ca.pem"
	echo "  certFile: $ETCD_P/client.pem"
	echo "  keyFile: $ETCD_P/client-key.pem"
	echo "controlSocket: $LAB_DIR/node2.sock"
} >"$LAB_DIR/node2.yaml"
lab_conf 1
sed -i '/^  endpoints:/,/^  keyFile:/c\
  endpoints: [http://198.18.0.201:2381]' "$LAB_DIR/node1.yaml"
printf 'metrics:\n  listen: "198.18.0.1:9179"\n' >>"$LAB_DIR/node1.yaml"
lab_ctl 1 reload >/dev/null
lab_ctl 2 reload >/dev/null
wait_for 10 new_dsd 2 "$D2"
ok $? "a new datastore section starts a new dsd"
wait_for 10 state_is 2 connected
ok $? "node2 connected by name ($(status 2 | jq -r .datastore.endpoint))"
wait_for 10 state_is 1 connected
ok $? "node1 connected over http ($(status 1 | jq -r .datastore.endpoint))"
ms=$(picked_up put Global_198_18_0_253 \
    ec put $K/bgppeers/by-name "$(peer_json by-name 253 64567)")
ok $? "a change is applied by both nodes (${ms% *} ms)"
is "$(since_all 2 | grep Mesh)" "$(echo "$before2" | grep Mesh)" \
    "node2: the mesh sessions were not touched by the new dsd"

# --- Stop ----------------------------------------------------------------

lab_stop 2
no_pids() {
	[ -z "$(ip netns pids "$(lab_ns n2)" 2>/dev/null)" ]
}
wait_for 10 no_pids
ok $? "node2 stopped, and its dsd with it"
# dsd killed by the test is the only child killed by a signal.
! grep -q 'Sanitizer\|runtime error\|killed by signal [^9]' \
    "$LAB_DIR/node1.log" "$LAB_DIR/node2.log"
ok $? "no sanitizer reports or killed children in the logs"
grep -h 'dsd' "$LAB_DIR/node2.log" | grep -v 'session' | tail -8 |
    sed 's/^/# /'

done_testing
