#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Change the default
# global AS number": the guide's patch of the default BGPConfiguration
# (asNumber "64513") on three nodes in the mesh with a global peer, the
# lab's ToR (BIRD, AS 64567).  Every node moves to AS 64513: the mesh
# stays iBGP and comes back with the new AS, the ToR refuses the nodes
# until it is told the new AS, then learns every block with AS path 64513,
# and routes and pings flow as before.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=3
lab_init
lab_up $N tor
lab_resources $N
lab_tor_start
lab_start 1 2 3

# local_as I: the local AS of node I's sessions, once each.
local_as() {
	lab_ctl "$1" show neighbors -o json | jq -r '.[].localAS' | sort -u
}

# tor_error I: the last error of node I's session to the ToR, if it is
# not Established.
tor_error() {
	lab_ctl "$1" show neighbors -o json | jq -r '.[] |
	    select(.name == "Global_198_18_0_254" and
	    .state != "Established") | .lastError'
}

lab_global_peer
ok $? "global BGPPeer to the ToR applied"
for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i 64512
	    echo "Global_198_18_0_254 global Established 64567")" 30
	ok $? "node$i: mesh in AS 64512 and the ToR"
done

lab_tortiectl patch bgpconfiguration default \
    -p '{"spec": {"asNumber": "64513"}}' >/dev/null
ok $? "the guide's patch: default asNumber 64513"
is "$(lab_tortiectl plan --node node2 -o json | jq .asNumber)" 64513 \
    "node2's plan: AS 64513"
for i in 1 2 3; do
	lab_wait_text "node$i's mesh sessions" "$(lab_mesh $i 64513)" 30 \
	    sh -c "'$TOP/ctl/tortiectl' -s '$LAB_DIR/node$i.sock' show \
	    neighbors -o json | jq -r '.[] | select(.group == \"mesh\") |
	    \"\\(.name) \\(.type) \\(.state) \\(.peerAS)\"' | LC_ALL=C sort"
	ok $? "node$i: mesh sessions back, peers in AS 64513"
	is "$(local_as $i)" 64513 "node$i: every session's local AS is 64513"
done
grep -q 'Mesh_198_18_0_2: session established (hold [0-9]*, iBGP AS 64513)' \
    "$LAB_DIR/node1.log"
ok $? "node1: the mesh is still iBGP"
lab_wait_text "node1's ToR session" "Received: Bad Peer AS" 20 tor_error 1
ok $? "node1: the ToR, still expecting AS 64512, refuses the session"

LAB_NODE_AS=64513
lab_tor_reconfigure
for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i 64513
	    echo "Global_198_18_0_254 global Established 64567")" 60
	ok $? "node$i: the ToR takes AS 64513"
done
lab_wait_text "the ToR's established sessions" "node1
node2
node3" 20 lab_tor_established
ok $? "the ToR: established with every node"

for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3; echo "$LAB_TORNET")" 20
	ok $? "node$i: the other blocks and the ToR's network"
done
lab_wait_routes tor "198.18.254.0/24 dev tor0
$(for j in 1 2 3; do echo "198.19.$j.0/26 via 198.18.0.$j"; done)" 20
ok $? "the ToR's kernel: every block via its node"
lab_birdc show route 198.19.3.0/26 all | grep -q 'BGP.as_path: 64513$'
ok $? "the ToR's table: node3's block with AS path 64513"
lab_birdc show route 198.19.3.0/26 all | grep -q 'BGP.as_path: 64512$'
ok $((1 - $?)) "the ToR's table: no path with the old AS left"
is "$(lab_ctl 2 show rib -o json 198.19.3.0/26 |
    jq -c '[.[] | select(.best) | .asPath]')" '[[]]' \
    "node2: node3's block over iBGP (empty AS path)"
for i in 1 2 3; do
	j=$((i % N + 1))
	wait_for 5 lab_exec "w$i" ping -c 1 -W 1 "198.19.$j.2"
	ok $? "pod on node$i reaches pod on node$j"
done
wait_for 5 lab_exec w1 ping -c 1 -W 1 198.18.254.1
ok $? "pod on node1 reaches the ToR's network"

done_testing
