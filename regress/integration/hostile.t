#!/bin/sh
# Hostile peers: two tortie nodes in the mesh, and an attacker namespace on
# the switch that node1 knows as a global BGPPeer (198.18.0.100, AS 65001).
# regress/tools/bgp_attacker runs one scenario at a time against node1:
# broken framing, broken OPENs, every malformed attribute class of RFC
# 7606, regressions of other daemons' CVEs, floods of routes and of
# connections, slow-loris, and a peer that never reads while another one
# (198.18.0.101, AS 65002) injects routes.  For each scenario: the right
# NOTIFICATION (the attacker's line, node1's log, lastError) or the right
# RFC 7606 action (log line, and the scenario's route gone or kept while
# the session stays up); and throughout: the mesh keeps its `since`, the
# nodes keep each other's blocks in the kernel, no tortie process dies
# (same pids, no "killed by signal"), and every process stays under the
# RSS bound (HOSTILE_RSS_MB, 200 by default).  HOSTILE_FLOOD sets the
# size of the route flood (1,000,000 by default).
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

FLOOD=${HOSTILE_FLOOD:-1000000}
INJECT=${HOSTILE_INJECT:-150000}
RSS_MB=${HOSTILE_RSS_MB:-200}
SAN=
if [ -n "${TORTIE_ASAN:-}" ]; then
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
	# The sanitizers' shadow memory is not the daemon's.
	RSS_MB=${HOSTILE_RSS_MB:-800}
fi
P=198.18.200.0/24		# the attacker's route in UPDATE scenarios
SENTINEL=198.18.209.0/24	# announced after each UPDATE scenario
ATK_AS=65001
NODE1=198.18.0.1

lab_init
ATK=$LAB_DIR/bgp_attacker
(cd "$TOP" && cc $(make -s print-cflags) $SAN -o "$ATK" \
    regress/tools/bgp_attacker.c common/libtortie.a $(make -s print-libs) \
    $SAN) 2>"$LAB_DIR/cc.log" || {
	cat "$LAB_DIR/cc.log" >&2
	echo "1..1"
	echo "not ok 1 - cannot build bgp_attacker"
	exit 1
}

lab_up 2
ATK_NS=$(lab_ns atk)
sw=$(lab_ns sw)
ip netns add "$ATK_NS"
ip -n "$ATK_NS" link set lo up
ip -n "$ATK_NS" link add eth0 type veth peer name patk netns "$sw"
ip -n "$sw" link set patk master br0 up
for a in 100 101 102; do
	ip -n "$ATK_NS" addr add "198.18.0.$a/24" dev eth0
done
ip -n "$ATK_NS" link set eth0 up
lab_resources 2
# The attacker and the injector as global peers; the injector's routes
# lie in an IP pool of their own, so that Calico's export policy passes
# them on (to node2 over the mesh, to the attacker that never reads).
cat >"$LAB_DIR/hostile.yaml" <<EOF
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: attacker
spec:
  peerIP: 198.18.0.100
  asNumber: $ATK_AS
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: injector
spec:
  peerIP: 198.18.0.101
  asNumber: 65002
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: injected
spec:
  cidr: 100.64.0.0/10
  blockSize: 26
  ipipMode: Never
  vxlanMode: Never
EOF
lab_tortiectl apply -f "$LAB_DIR/hostile.yaml" >/dev/null
lab_start 1 2
LOG1=$LAB_DIR/node1.log

# A simple command, so that $! of "$ATTACK ... &" is the attacker itself
# (ip netns exec execs it) and kill reaches it.
ATTACK="ip netns exec $ATK_NS $ATK"

# nbr NODE PEER FIELD: one field of one neighbor in show neighbors -o json.
nbr() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null | tr -d '\n' |
	    sed 's/}, *{/}\n{/g' | grep "\"name\": \"$2\"" |
	    sed -n "s/.*\"$3\": \"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p"
}

rib_has() {
	lab_ctl "$1" show rib -o json 2>/dev/null |
	    grep -q "\"prefix\": \"$2\""
}

# All tortie processes of a node: the parent, then its children.
pids_of() {
	_p=$(cat "$LAB_DIR/node$1.pid")
	echo "$_p" $(pgrep -P "$_p" | sort -n)
}

# Each process of a node with its RSS in kB.
rss_report() {
	ps -o rss=,args= -p "$(pids_of "$1" | tr ' ' ,)" |
	    awk '{ n = $3 == "" ? $2 : $3; if (n == "sessiond") n = n "/" $4
	    printf "%s%s=%s", (NR > 1 ? " " : ""), n, $1 }'
}

rss_max() {
	for _p in $(pids_of "$1"); do
		awk '/^VmRSS:/ {print $2}' /proc/$_p/status 2>/dev/null
	done | sort -n | tail -1
}

mesh_ok() {
	[ "$(nbr 1 Mesh_198_18_0_2 state)" = Established ] &&
	    [ "$(nbr 1 Mesh_2001_db8__2 state)" = Established ] &&
	    [ "$(nbr 2 Mesh_198_18_0_1 state)" = Established ] &&
	    [ "$(nbr 2 Mesh_2001_db8__1 state)" = Established ]
}

mesh_since() {
	echo "$(nbr 1 Mesh_198_18_0_2 since) $(nbr 1 Mesh_2001_db8__2 since)" \
	    "$(nbr 2 Mesh_198_18_0_1 since) $(nbr 2 Mesh_2001_db8__1 since)"
}

blocks_ok() {
	lab_exec n1 ip -4 route show 198.19.2.0/26 proto 186 |
	    grep -q 'via 198.18.0.2' &&
	    lab_exec n2 ip -4 route show 198.19.1.0/26 proto 186 |
	    grep -q 'via 198.18.0.1'
}

# The checks that every phase ends with.
invariants() {
	is "$(mesh_since)" "$SINCE" "$1: mesh sessions kept their since"
	mesh_ok
	ok $? "$1: mesh Established on both nodes"
	blocks_ok
	ok $? "$1: each node still routes the other's block"
	is "$(pids_of 1) / $(pids_of 2)" "$PIDS" "$1: no tortie process died"
	! grep -q 'killed by signal' "$LAB_DIR/node1.log" \
	    "$LAB_DIR/node2.log"
	ok $? "$1: no child killed by a signal"
	_m=$(( $(rss_max 1) > $(rss_max 2) ? $(rss_max 1) : $(rss_max 2) ))
	ok $([ "$_m" -lt $((RSS_MB * 1024)) ] && echo 0 || echo 1) \
	    "$1: largest RSS ${_m} kB < $RSS_MB MiB"
	diag "node1: $(rss_report 1)"
}

# --- Set-up -------------------------------------------------------------

for i in 1 2; do
	lab_wait_established "$i" 2 30
	ok $? "node$i: mesh (IPv4 and IPv6) Established"
done
wait_for 20 blocks_ok
ok $? "each node routes the other's block"
# Every child is up once the global peers' sessionds are.
wait_for 10 sh -c "[ \$(pgrep -P $(cat "$LAB_DIR/node1.pid") | wc -l) -ge 5 ]"
wait_for 10 sh -c "[ \$(pgrep -P $(cat "$LAB_DIR/node2.pid") | wc -l) -ge 5 ]"
PIDS="$(pids_of 1) / $(pids_of 2)"
SINCE=$(mesh_since)
diag "pids: $PIDS"
diag "mesh since: $SINCE"

# --- One scenario at a time ---------------------------------------------

# lasterr_of REASON: what status shows after we send "Code: Subcode".
lasterr_of() {
	_sub=${1#*: }
	case "$_sub" in
	"$1"|Unspecific|"Unspecified Error") echo "BGP Error: ${1%%:*}" ;;
	*) echo "BGP Error: $_sub" ;;
	esac
}

# run_case NAME NOTIFICATION SESSION ROUTE LOG [ARGS]
#   ROUTE: present / absent - the scenario's route while the session is
#   still up (checked once the sentinel that follows is in node1's RIB);
#   present2 - and on node2 too; gone - after the session ended;
#   - : not checked.  LOG: an ERE that node1's log must show.
run_case() {
	_name=$1 _want=$2 _sess=$3 _route=$4 _log=$5 _args=$6
	_pfx=$P
	case "$_args" in -p*) _pfx=${_args#-p } ;; esac
	_off=$(wc -c <"$LOG1")
	$ATTACK -a 198.18.0.100 -w 5 $_args "$NODE1" 64512 "$_name" \
	    >"$LAB_DIR/atk.out" 2>"$LAB_DIR/atk.err" &
	_apid=$!
	_why=
	case "$_route" in
	present|present2|absent)
		wait_for 5 rib_has 1 "$SENTINEL" || _why="$_why no-sentinel"
		if [ "$_route" = absent ]; then
			rib_has 1 "$_pfx" && _why="$_why route-kept"
		else
			rib_has 1 "$_pfx" || _why="$_why route-lost"
		fi
		if [ "$_route" = present2 ]; then
			wait_for 5 rib_has 2 "$_pfx" ||
			    _why="$_why not-on-node2"
		fi
		kill -TERM "$_apid" 2>/dev/null
		;;
	*)
		[ "$_sess" = up ] && { sleep 1; kill -TERM "$_apid"; }
		;;
	esac
	wait "$_apid"
	_line=$(cat "$LAB_DIR/atk.out")
	_got=$(echo "$_line" | sed 's/^scenario=[^ ]* \(notification=[^ ]*\)/\1/
	    s/\(session=[^ ]*\).*/\1/')
	is "$_got" "notification=$_want session=$_sess" \
	    "$_name: attacker's view"
	if [ -n "$_log" ]; then
		wait_for 3 sh -c "tail -c +$((_off + 1)) '$LOG1' |
		    grep -Eq -- \"\$0\"" "$_log" || _why="$_why no-log-line"
	fi
	if [ "$_route" = gone ]; then
		wait_for 3 sh -c "! $TOP/ctl/tortiectl -s $LAB_DIR/node1.sock \
		    show rib -o json | grep -q '\"$_pfx\"'" ||
		    _why="$_why route-kept-after-reset"
	fi
	if [ "$_want" != none ]; then
		_reason=$(echo "$_line" | sed -n 's/.*reason="\(.*\)"$/\1/p')
		_le=$(nbr 1 Global_198_18_0_100 lastError)
		[ "$_le" = "$(lasterr_of "$_reason")" ] ||
		    _why="$_why lastError='$_le'"
	fi
	ok $([ -z "$_why" ] && echo 0 || echo 1) \
	    "$_name: node1 ${_log:+logs it, }route ${_route}${_why:+ ($_why)}"
	if [ -n "$_why" ]; then
		diag "$_line"
		sed 's/^/# stderr: /' "$LAB_DIR/atk.err"
		tail -c +$((_off + 1)) "$LOG1" | tail -8 | sed 's/^/# log: /'
	fi
}

W='UPDATE treated as withdraw \(RFC 7606\): UPDATE: '
D='UPDATE attributes discarded \(RFC 7606\): '
R='; resetting the session \(RFC 7606\)'
N='sending NOTIFICATION '
H="${H}"
O="${O}"
F="${F}"
M='MP_REACH_NLRI: UPDATE: MP_REACH_NLRI: '
# name|notification|session|route|node1's log (ERE)|attacker arguments
while IFS='|' read -r name want sess route log args; do
	case "$name" in ''|'#'*) continue ;; esac
	run_case "$name" "$want" "$sess" "$route" "$log" "$args"
done <<EOF
announce|none|up|present||
# Framing (RFC 4271 6.1): sessiond answers, ribd never sees them.
truncated|1/2|down|-|${H}Bad Message Length: header: bad length 21 for UPDATE|
truncated-close|none|down|-||
oversized|1/2|down|-|${H}Bad Message Length: header: length 4097 out of range|
bad-marker|1/1|down|-|${H}Connection Not Synchronized|
bad-length|1/2|down|-|${H}Bad Message Length: header: length 18 out of range|
keepalive-len|1/2|down|-|bad length 20 for KEEPALIVE|
notification-short|1/2|down|-|bad length 20 for NOTIFICATION|
unknown-type|1/3|down|-|${H}Bad Message Type: header: unknown message type 9|
open-in-established|5/3|down|-|${F}Established State|
fsm-update-in-opensent|5/1|down|-|${F}OpenSent State|
# OPEN (RFC 4271 6.2, RFC 5492).
open-cap-len|2/0|down|-|${O}Unspecific: OPEN: capability 4-octet AS number \(65\) has bad length 2|
open-cap-overrun|2/0|down|-|capability Route Refresh \(2\) of length 40 overruns its parameter|
open-optparam-unknown|2/4|down|-|${O}Unsupported Optional Parameter|
open-optlen-mismatch|2/0|down|-|optional parameters do not match the message length|
open-bad-version|2/1|down|-|${O}Unsupported Version Number|
open-bad-as|2/2|down|-|${O}Bad Peer AS: OPEN: peer AS 65099, expected 65001|
open-hold-1|2/6|down|-|${O}Unacceptable Hold Time|
open-zero-id|2/3|down|-|${O}Bad BGP identifier|
# UPDATE fields (RFC 4271 6.3, RFC 7606 5).
update-bad-wdlen|3/1|down|gone|withdrawn routes length exceeds the message$R|
update-bad-attrlen|3/1|down|gone|path attribute length exceeds the message$R|
attr-overrun|none|up|absent|${W}COMMUNITIES \(type 8\) overruns the path attributes|
plen-v4-33|3/10|down|gone|UPDATE: NLRI: prefix 1 of IPv4 unicast is malformed$R|
withdrawn-plen-33|3/10|down|gone|withdrawn routes: prefix 1 of IPv4 unicast is malformed$R|
withdraw-unknown|none|up|present||
# Attribute flags and lengths (RFC 7606 3 c, 7).
attr-flags-origin|none|up|absent|${W}ORIGIN: bad flags 0xc0|
attr-flags-nexthop|none|up|absent|${W}NEXT_HOP: bad flags 0x80|
attr-flags-med|none|up|absent|${W}MULTI_EXIT_DISC: bad flags 0x40|
origin-len|none|up|absent|${W}ORIGIN: bad length 2|
origin-value|none|up|absent|${W}ORIGIN: undefined value|
nexthop-len|none|up|absent|${W}NEXT_HOP: bad length 5|
med-len|none|up|absent|${W}MULTI_EXIT_DISC: bad length 3|
localpref-ebgp|none|up|present|${D}LOCAL_PREF: .*LOCAL_PREF: from an external peer|
localpref-len|none|up|present|${D}LOCAL_PREF: .*LOCAL_PREF: from an external peer|
atomic-len|none|up|present|${D}ATOMIC_AGGREGATE: .*ATOMIC_AGGREGATE: bad length 1|
aggregator-len|none|up|present|${D}AGGREGATOR: UPDATE: AGGREGATOR: bad length 7|
communities-len|none|up|absent|${W}COMMUNITIES: bad length 3|
ext-communities-len|none|up|absent|${W}EXTENDED_COMMUNITIES: bad length 7|
large-communities-len|none|up|absent|${W}LARGE_COMMUNITY: bad length 11|
originator-len|none|up|absent|${W}ORIGINATOR_ID: bad length 3|
cluster-list-len|none|up|absent|${W}CLUSTER_LIST: bad length 3|
as4path-on-as4|none|up|present|${D}AS4_PATH: .*AS4_PATH: received on a 4-octet AS session|
missing-origin|none|up|absent|${W}missing well-known attribute ORIGIN|
missing-nexthop|none|up|absent|${W}missing well-known attribute NEXT_HOP|
unknown-wellknown|3/2|down|gone|UPDATE: unrecognized well-known attribute 200$R|
# Duplicates (RFC 7606 3 g).
dup-origin|none|up|present|${D}.*ORIGIN \(type 1\) appears twice, ignored|
dup-mp-reach|3/1|down|gone|MP_REACH_NLRI \(type 14\) appears twice$R|
# AS_PATH (RFC 7606 7.2, RFC 5065 5.3, RFC 4271 6.3).
aspath-seg-type|none|up|absent|${W}AS_PATH: malformed segments|
aspath-seg-zero|none|up|absent|${W}AS_PATH: malformed segments|
aspath-seg-overrun|none|up|absent|${W}AS_PATH: malformed segments|
aspath-confed|none|up|absent|${W}AS_PATH: confederation segment from an external peer|
aspath-first-as|none|up|absent|${W}AS_PATH: first AS is not the peer's \(65001\)|
# NEXT_HOP (RFC 7606 7.3); our own address is refused by import.
nexthop-zero|none|up|absent|${W}NEXT_HOP: not a unicast address|
nexthop-multicast|none|up|absent|${W}NEXT_HOP: not a unicast address|
nexthop-self|none|up|absent||
# MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 7606 7.11, RFC 4760 7).
mp-bad-afi|none|up|present|${D}${M}AFI 3 SAFI 1 not negotiated, ignored|
mp-bad-safi|none|up|present|${D}${M}AFI 1 SAFI 128 not negotiated, ignored|
mp-nh-len|3/9|down|gone|MP_REACH_NLRI: bad next hop length 5 for IPv4 unicast$R|
mp-nlri-overrun|3/9|down|gone|MP_REACH_NLRI: prefix 1 of IPv4 unicast is malformed$R|
mp-unreach-overrun|3/9|down|gone|MP_UNREACH_NLRI: prefix 1 of IPv4 unicast is malformed$R|
mp-plen-33|3/9|down|gone|MP_REACH_NLRI: prefix 1 of IPv4 unicast is malformed$R|
mp-plen-v6-129|none|up|present|${D}${M}AFI 2 SAFI 1 not negotiated, ignored|
# Other daemons' CVEs (what each sends: bgp_attacker -l and its source).
cve-2022-37032-capability-msg|1/3|down|-|${H}Bad Message Type: header: unknown message type 6|
cve-2024-31949-capability-loop|1/3|down|-|${H}Bad Message Type: header: unknown message type 6|
cve-2023-31489-llgr-len|none|up|-||
cve-2023-41361-softver|none|up|-||
cve-2023-41360-rrefresh-orf|7/1|down|-|${N}ROUTE-REFRESH Message Error: Invalid Message Length: ROUTE-REFRESH: length 24, expected 23|
cve-2023-38802-tunnel-encap|none|up|present2||-p 198.19.250.0/24
cve-2024-44070-tunnel-subtlv|none|up|present||
cve-2024-31948-prefix-sid|none|up|present||
cve-2023-41358-zero-attrlen|none|up|absent|${W}missing well-known attribute ORIGIN|
cve-2023-47234-unreach-nlri|none|up|absent|${W}missing well-known attribute ORIGIN|
cve-2023-47235-eor-malformed|none|up|present|${W}ORIGIN: bad length 2|
cve-2023-46752-mp-reach-short|3/5|down|gone|UPDATE: MP_REACH_NLRI: bad length 3$R|
cve-2023-46753-only-unknown|none|up|absent|${W}missing well-known attribute ORIGIN|
cve-2023-38406-flowspec-zero|none|up|present|${D}${M}AFI 1 SAFI 133 not negotiated, ignored|
cve-2023-38407-labeled|none|up|present|${D}${M}AFI 1 SAFI 4 not negotiated, ignored|
bird-otc-len|none|up|present||
openbgpd-flag-bits|none|up|present||
EOF
# The End-of-RIB-shaped UPDATE of CVE-2023-47235 must not count as one.
! tail -c +1 "$LOG1" | grep -q 'Global_198_18_0_100.*End-of-RIB'
ok $? "cve-2023-47235-eor-malformed: not taken as End-of-RIB"
invariants "after the malformed messages"

# --- Connections --------------------------------------------------------

fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
PARENT1=$(cat "$LAB_DIR/node1.pid")
SE_ATK=$(pgrep -P "$PARENT1" -f 'sessiond attacker')
fd_parent=$(fds "$PARENT1")
fd_se=$(fds "$SE_ATK")

# 500 connections that send an OPEN and vanish, next to an Established
# session: each loses the collision or is replaced by the next; the
# session stays, and no descriptor is left behind once they linger out.
out=$($ATTACK -a 198.18.0.100 -w 2 -n 500 "$NODE1" 64512 open-flood)
echo "$out" | grep -q 'notification=none session=up connects=500 '
ok $? "open-flood: 500 OPENs and gone, the session stays up ($out)"
wait_for 10 sh -c "[ \$(ls /proc/$SE_ATK/fd | wc -l) -le $fd_se ]"
ok $? "open-flood: sessiond back to $fd_se descriptors"

# The same from an address that is no peer: the parent closes them.
off=$(wc -c <"$LOG1")
out=$($ATTACK -0 -a 198.18.0.102 -n 500 "$NODE1" 64512 open-flood)
echo "$out" | grep -q 'connects=500 '
ok $? "open-flood from a stranger: 500 connections ($out)"
tail -c +$((off + 1)) "$LOG1" | grep -q \
    'connection from 198.18.0.102: not a configured peer'
ok $? "open-flood from a stranger: logged (once a minute)"
is "$(tail -c +$((off + 1)) "$LOG1" | grep -c 'not a configured peer')" 1 \
    "open-flood from a stranger: logged once, not 500 times"
wait_for 5 sh -c "[ \$(ls /proc/$PARENT1/fd | wc -l) -le $fd_parent ]"
ok $? "open-flood from a stranger: parent back to $fd_parent descriptors"

# Slow-loris: a KEEPALIVE at one octet a second with a hold time of 3.
out=$($ATTACK -a 198.18.0.100 -w 10 "$NODE1" 64512 slowloris)
echo "$out" | grep -q 'notification=4/0 session=down'
ok $? "slowloris: Hold Timer Expired, not a wait for ever ($out)"
is "$(nbr 1 Global_198_18_0_100 lastError)" "BGP Error: Hold Timer Expired" \
    "slowloris: lastError"
invariants "after the connection floods"

# --- A flood of routes --------------------------------------------------

kcount() { lab_exec n1 ip -4 route show proto 186 | wc -l; }
k0=$(kcount)
t0=$(date +%s)
$ATTACK -a 198.18.0.100 -w 600 -n "$FLOOD" "$NODE1" 64512 flood \
    >"$LAB_DIR/flood.out" 2>&1 &
FPID=$!
wait_for 120 sh -c "[ \"\$($TOP/ctl/tortiectl -s $LAB_DIR/node1.sock \
    show neighbors -o json | tr -d '\n ' | sed 's/},{/}\n{/g' |
    grep '\"name\":\"Global_198_18_0_100\"' |
    sed 's/.*\"prefixesReceived\":\([0-9]*\).*/\1/')\" = $FLOOD ]"
ok $? "flood: node1 accepted $FLOOD routes in $(( $(date +%s) - t0 )) s"
wait_for 120 sh -c "[ \$(ip netns exec $LAB-n1 ip -4 route show proto 186 |
    wc -l) -ge $((FLOOD + k0)) ]"
ok $? "flood: $FLOOD routes in node1's kernel after $(( $(date +%s) - t0 )) s"
t1=$(date +%s%N)
lab_ctl 1 node status >/dev/null
ok $? "flood: node status answers ($(( ($(date +%s%N) - t1) / 1000000 )) ms)"
is "$(nbr 1 Global_198_18_0_100 state)" Established "flood: session up"
! rib_has 2 10.0.0.0/32
ok $? "flood: routes outside the IP pools stay on node1 (Calico export)"
invariants "with $FLOOD routes"
kill -TERM "$FPID"
wait "$FPID"
wait_for 120 sh -c "[ \$(ip netns exec $LAB-n1 ip -4 route show proto 186 |
    wc -l) -le $k0 ]"
ok $? "flood: all withdrawn from the kernel when the session ends"
invariants "after the flood"

# --- A peer that never reads --------------------------------------------

# The attacker reads nothing for 30 s while the injector sends routes in
# an IP pool, one UPDATE each (unique communities), which node1 passes on
# to the attacker and, over the mesh, to node2.
$ATTACK -a 198.18.0.100 -w 30 "$NODE1" 64512 no-read \
    >"$LAB_DIR/noread.out" 2>&1 &
NPID=$!
wait_for 10 sh -c "$TOP/ctl/tortiectl -s $LAB_DIR/node1.sock \
    show neighbors -o json | tr -d '\n ' | sed 's/},{/}\n{/g' |
    grep '\"name\":\"Global_198_18_0_100\"' | grep -q Established"
ok $? "no-read: the attacker is Established"
t0=$(date +%s)
$ATTACK -a 198.18.0.101 -A 65002 -x 100.64.0.0 -n "$INJECT" -w 600 \
    "$NODE1" 64512 flood-unique >"$LAB_DIR/inject.out" 2>&1 &
IPID=$!
wait_for 120 sh -c "[ \$(ip netns exec $LAB-n2 ip -4 route show \
    root 100.64.0.0/10 | wc -l) -ge $INJECT ]"
ok $? "no-read: node2 got the $INJECT injected routes through node1 in \
$(( $(date +%s) - t0 )) s"
se=$(awk '/^VmRSS:/ {print $2}' /proc/$SE_ATK/status)
ok $([ "$se" -lt 65536 ] && echo 0 || echo 1) \
    "no-read: the attacker's sessiond holds $se kB (< 64 MiB)"
is "$(nbr 1 Global_198_18_0_101 state)" Established \
    "no-read: the injector's session is not held up"
invariants "while a peer reads nothing"
kill -TERM "$NPID" "$IPID" 2>/dev/null
wait "$NPID"
wait "$IPID"
grep -q 'scenario=no-read notification=none session=up unread=[1-9]' \
    "$LAB_DIR/noread.out"
ok $? "no-read: node1 kept sending until blocked ($(cat "$LAB_DIR/noread.out"))"
wait_for 60 sh -c "[ \$(ip netns exec $LAB-n2 ip -4 route show \
    root 100.64.0.0/10 | wc -l) -eq 0 ]"
ok $? "no-read: the injected routes are withdrawn when the injector leaves"

# --- Max-prefix ---------------------------------------------------------

# Calico has no field for a prefix limit; tortie reads the BGPPeer
# annotation tortie.io/max-prefix.  Changing it resets that peer only.
cat >"$LAB_DIR/maxprefix.yaml" <<EOF
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: attacker
  annotations:
    tortie.io/max-prefix: "1000"
spec:
  peerIP: 198.18.0.100
  asNumber: $ATK_AS
EOF
off=$(wc -c <"$LOG1")
lab_tortiectl apply -f "$LAB_DIR/maxprefix.yaml" >/dev/null
if lab_tortiectl plan --node node1 -o json | grep -q '"maxPrefix": 1000'; then
	wait_for 10 sh -c "tail -c +$((off + 1)) '$LOG1' |
	    grep -q 'Global_198_18_0_100: configuration changed'"
	ok $? "max-prefix: node1 took the annotation"
	out=$($ATTACK -a 198.18.0.100 -w 5 -n 2000 "$NODE1" 64512 flood)
	echo "$out" | grep -q 'notification=6/1 session=down'
	ok $? "max-prefix: 2000 routes past a limit of 1000: Cease/1 ($out)"
	is "$(nbr 1 Global_198_18_0_100 lastError)" \
	    "BGP Error: Maximum Number of Prefixes Reached" "max-prefix: lastError"
	tail -c +$((off + 1)) "$LOG1" | grep -q \
	    'peer Global_198_18_0_100: more than 1000 prefixes, closing'
	ok $? "max-prefix: ribd logs it"
	wait_for 20 sh -c "[ \$(ip netns exec $LAB-n1 ip -4 route show \
	    proto 186 | wc -l) -le $k0 ]"
	ok $? "max-prefix: the routes are gone from the kernel"
else
	ok 1 "max-prefix: annotation tortie.io/max-prefix not in the plan"
fi

invariants "at the end"
done_testing
