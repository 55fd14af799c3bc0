#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Configure a global BGP
# peer": the guide's BGPPeer my-global-peer (AS 64567), pointed at the
# lab's ToR (BIRD).  Every node gains a Global_ session to it beside its
# mesh sessions, the ToR learns every node's block, every node installs
# the ToR's network and its pods reach it; deleting the peer takes all of
# it away again.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=3
lab_init
lab_up $N tor
lab_resources $N
lab_tor_start
lab_start 1 2 3

GLOBAL="Global_198_18_0_254 global Established 64567"

for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i)" 30
	ok $? "node$i: the default mesh, nothing else"
done
is "$(lab_tor_established | wc -l)" 0 "the ToR has no session before the BGPPeer"

lab_global_peer
ok $? "the guide's global BGPPeer applied"

for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i; echo "$GLOBAL")" 30
	ok $? "node$i: mesh sessions and Global_198_18_0_254 (AS 64567)"
done
groups=$(for i in 1 2 3; do
	lab_ctl $i show neighbors -o json |
	    jq -r '.[] | select(.type == "global") | .group'
done | sort -u)
is "$groups" "my-global-peer" "the global sessions' group is the BGPPeer"
lab_wait_text "the ToR's sessions" "node1 Established
node2 Established
node3 Established" 20 lab_tor_sessions
ok $? "the ToR: a session with every node"

for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3; echo "$LAB_TORNET")" 20
	ok $? "node$i: the other blocks and the ToR's network in the kernel"
done
lab_wait_routes tor "198.18.254.0/24 dev tor0
$(for j in 1 2 3; do echo "198.19.$j.0/26 via 198.18.0.$j"; done)" 20
ok $? "the ToR's kernel: every node's block via that node"
# Calico exports every pool route to an eBGP peer: each node tells the
# ToR about all three blocks.
for j in 1 2 3; do
	n=$(lab_birdc show route protocol "node$j" | grep -c '^198\.19\.')
	is "$n" 3 "the ToR's table: node$j advertises all three blocks"
done
lab_birdc show route 198.19.2.0/26 all | grep -q 'BGP.as_path: 64512$'
ok $? "the ToR's table: node2's block with AS path 64512"

for i in 1 2 3; do
	wait_for 5 lab_exec "w$i" ping -c 1 -W 1 198.18.254.1
	ok $? "pod on node$i reaches the ToR's network"
done
lab_ctl 2 node status | grep -Eq \
    '^\| 198\.18\.0\.254 +\| global +\| up +\| [0-9:]{8} \| Established +\|$'
ok $? "node status on node2: the ToR as a global peer, up"

# The global BGPPeer replaced by a node-specific one that selects every
# node, to the same ToR: on each node the Global_ session is handed over
# to Node_198_18_0_254 (one BGP session with the ToR; a second one to the
# same address would collide with it), not a packet lost.
NODE="Node_198_18_0_254 node specific Established 64567"
cat >"$LAB_DIR/tor-nodes.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor-nodes
spec:
  nodeSelector: all()
  peerIP: 198.18.0.254
  asNumber: 64567
YAML
lab_tortiectl apply -f "$LAB_DIR/tor-nodes.yaml" >/dev/null
ok $? "a node-specific BGPPeer to the ToR for every node (the global wins)"
ip netns exec "$(lab_ns w1)" ping -i 0.01 -c 600 -W 1 198.18.254.1 \
    >"$LAB_DIR/ping1.txt" 2>&1 &
p1=$!
ip netns exec "$(lab_ns w3)" ping -i 0.01 -c 600 -W 1 198.18.254.1 \
    >"$LAB_DIR/ping3.txt" 2>&1 &
p3=$!
sleep 1
lab_tortiectl delete bgppeer my-global-peer >/dev/null
ok $? "the global BGPPeer deleted"
for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i; echo "$NODE")" 20
	ok $? "node$i: mesh sessions and Node_198_18_0_254"
done
wait "$p1" "$p3"
for f in 1 3; do
	loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping$f.txt")
	diag "ping pod on node$f -> the ToR's network at 10 ms: $loss"
	is "$loss" "0% packet loss" \
	    "pod on node$f: no packet lost while the session was handed over"
done
for i in 1 2 3; do
	h=$(grep -c 'Global_198_18_0_254: handed over to Node_198_18_0_254' \
	    "$LAB_DIR/node$i.log")
	r=$(grep 'session Node_198_18_0_254' "$LAB_DIR/node$i.log" |
	    grep -c -e 'reset' -e 'Established ->')
	is "$h $r" "1 0" "node$i: the ToR session handed over, not reset"
done

lab_tortiectl delete bgppeer tor-nodes >/dev/null
ok $? "the node-specific BGPPeer deleted"
for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i)" 20
	ok $? "node$i: back to the mesh alone"
done
for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3)" 20
	ok $? "node$i: the ToR's network withdrawn, the blocks kept"
done
lab_wait_routes tor "198.18.254.0/24 dev tor0" 20
ok $? "the ToR's kernel: no block left"
is "$(lab_tor_established | wc -l)" 0 "the ToR: no session left"

done_testing
