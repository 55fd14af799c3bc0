#!/bin/sh
# Next-hop reachability: node1 learns 198.18.200.0/24 from two eBGP
# routers (BIRD) on two links of its own, r1 (AS 65001, 198.18.11.2 on
# eth1) and r2 (AS 65002, 198.18.12.2 on eth2); r1's path wins (lower
# router ID).  Taking eth1 down makes r1's next hop unreachable while its
# session is still up: the kernel route moves to r2 and `show rib` marks
# r1's path unreachable; bringing eth1 up restores both.  The routers
# peer multihop with a long hold time, so that the session outlives the
# link's absence and only next-hop tracking can move the route.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

PFX=198.18.200.0/24

lab_init
lab_up 1
lab_resources 1

# router I AS: namespace rI, linked to node1's ethI, 198.18.1I.0/24.
router() {
	_r=$(lab_ns "r$1")
	ip netns add "$_r"
	ip -n "$_r" link set lo up
	ip -n "$(lab_ns n1)" link add "eth$1" type veth peer name eth0 \
	    netns "$_r"
	ip -n "$(lab_ns n1)" addr add "198.18.1$1.1/24" dev "eth$1"
	ip -n "$_r" addr add "198.18.1$1.2/24" dev eth0
	ip -n "$(lab_ns n1)" link set "eth$1" up
	ip -n "$_r" link set eth0 up
	cat >"$LAB_DIR/r$1.conf" <<-EOF
	router id 198.18.1$1.2;
	log "$LAB_DIR/r$1.log" all;
	protocol device { }
	protocol static { ipv4; route $PFX blackhole; }
	protocol bgp node1 {
	  local 198.18.1$1.2 as $2;
	  neighbor 198.18.1$1.1 as 64512;
	  multihop;
	  hold time 240;
	  error wait time 1, 5;
	  ipv4 { import none; export where net = $PFX; };
	}
	EOF
	lab_exec "r$1" bird -c "$LAB_DIR/r$1.conf" -s "$LAB_DIR/r$1.ctl" \
	    -P "$LAB_DIR/r$1.pid"
}

router 1 65001
ok $? "router r1 (BIRD, AS 65001) on node1's eth1"
router 2 65002
ok $? "router r2 (BIRD, AS 65002) on node1's eth2"

cat >"$LAB_DIR/peers.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: r1
spec:
  peerIP: 198.18.11.2
  asNumber: 65001
  node: node1
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: r2
spec:
  peerIP: 198.18.12.2
  asNumber: 65002
  node: node1
YAML
lab_tortiectl apply -f "$LAB_DIR/peers.yaml" >/dev/null
ok $? "BGPPeers r1 and r2 for node1 applied"

lab_start 1
lab_wait_established 1 2 30
ok $? "node1: both sessions Established"

# rib_paths: node1's paths of PFX, "peerIP best unreachable" per line.
rib_paths() {
	lab_ctl 1 show rib -o json "$PFX" 2>/dev/null |
	    jq -r '.[] | "\(.peerIP) \(.best) \(.unreachable // false)"' |
	    LC_ALL=C sort
}

lab_wait_routes n1 "blackhole 198.19.1.0/26
$PFX via 198.18.11.2" 20
ok $? "node1's kernel: $PFX via r1"
lab_wait_text "node1's paths" "198.18.11.2 true false
198.18.12.2 false false" 10 rib_paths
ok $? "show rib: r1's path best, both reachable"

lab_exec n1 ip link set eth1 down
lab_wait_routes n1 "blackhole 198.19.1.0/26
$PFX via 198.18.12.2" 10
ok $? "eth1 down: node1's kernel route moves to r2"
lab_wait_text "node1's paths" "198.18.11.2 false true
198.18.12.2 true false" 10 rib_paths
ok $? "show rib: r1's path unreachable, r2's best"
is "$(lab_established 1)" 2 "r1's session is still Established"
lab_ctl 1 show rib -o json "$PFX" | grep -q '"unreachable": true'
ok $? "show rib -o json carries \"unreachable\": true"

lab_exec n1 ip link set eth1 up
lab_wait_routes n1 "blackhole 198.19.1.0/26
$PFX via 198.18.11.2" 10
ok $? "eth1 up: node1's kernel route back via r1"
lab_wait_text "node1's paths" "198.18.11.2 true false
198.18.12.2 false false" 10 rib_paths
ok $? "show rib: r1's path best and reachable again"

# A second cycle: the view follows every change, not only the first.
lab_exec n1 ip link set eth1 down
lab_wait_routes n1 "blackhole 198.19.1.0/26
$PFX via 198.18.12.2" 10
ok $? "eth1 down again: via r2"
lab_exec n1 ip link set eth1 up
lab_wait_routes n1 "blackhole 198.19.1.0/26
$PFX via 198.18.11.2" 10
ok $? "eth1 up again: via r1"
grep -q 'interface view complete' "$LAB_DIR/node1.log"
ok $? "ribd logged kroute's complete interface view"

# kernel.install false: kroute reads no interfaces, so ribd has no view
# and every next hop counts as reachable, as before next-hop tracking.
lab_stop 1
lab_conf 1
sed -i 's/install: true/install: false/' "$LAB_DIR/node1.yaml"
ip netns exec "$(lab_ns n1)" "$LAB_TOP/bgpd/tortied" -d \
    -f "$LAB_DIR/node1.yaml" >>"$LAB_DIR/node1-noinstall.log" 2>&1 &
echo $! >"$LAB_DIR/node1.pid"
lab_wait_established 1 2 30
ok $? "kernel.install false: both sessions Established"
lab_wait_text "node1's paths" "198.18.11.2 true false
198.18.12.2 false false" 10 rib_paths
ok $? "kernel.install false: r1's path best"
lab_exec n1 ip link set eth1 down
sleep 2
lab_wait_text "node1's paths" "198.18.11.2 true false
198.18.12.2 false false" 1 rib_paths
ok $? "kernel.install false: eth1 down changes nothing (no view)"
grep -q 'interface view complete' "$LAB_DIR/node1-noinstall.log"
ok $((1 - $?)) "kernel.install false: no interface view"

done_testing
