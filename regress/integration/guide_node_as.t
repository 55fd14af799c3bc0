#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Change AS number for a
# particular node": the guide's patch (asNumber "64514") on node1 of three
# nodes in the mesh, with a global peer, the lab's ToR (BIRD, AS 64567).
# node1's mesh sessions become eBGP (peer AS 64512 from node1, 64514 from
# the others), the session between node2 and node3 is not touched, the
# ToR takes node1 back once it is told its AS, and every block still
# reaches every kernel with the AS paths eBGP gives it.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=3
lab_init
lab_up $N tor
lab_resources $N
lab_tor_start
lab_start 1 2 3

GLOBAL="Global_198_18_0_254 global Established 64567"

# best_path I PREFIX: "peerIP asPath" of node I's best path for PREFIX.
best_path() {
	lab_ctl "$1" show rib -o json "$2" | jq -r '.[] | select(.best) |
	    "\(.peerIP) \(.asPath | map(tostring) | join(" "))"'
}

lab_global_peer
ok $? "global BGPPeer to the ToR applied"
for i in 1 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i; echo "$GLOBAL")" 30
	ok $? "node$i: mesh in AS 64512 and the ToR"
done
before=$(lab_since 2 Mesh_198_18_0_3)
sleep 1

lab_tortiectl patch node node1 -p '{"spec": {"bgp": {"asNumber": "64514"}}}' \
    >/dev/null
ok $? "the guide's patch: node1 in AS 64514"
LAB_NODE_AS_1=64514
for i in 2 3; do
	lab_wait_sessions $i "$(lab_mesh $i; echo "$GLOBAL")" 30
	ok $? "node$i: node1 now a peer in AS 64514, the rest as before"
done
lab_wait_text "node1's mesh sessions" "$(lab_mesh 1)" 30 sh -c \
    "'$TOP/ctl/tortiectl' -s '$LAB_DIR/node1.sock' show neighbors -o json |
    jq -r '.[] | select(.group == \"mesh\") |
    \"\\(.name) \\(.type) \\(.state) \\(.peerAS)\"' | LC_ALL=C sort"
ok $? "node1: its mesh peers in AS 64512"
is "$(lab_ctl 1 show neighbors -o json | jq -r '.[].localAS' | sort -u)" \
    64514 "node1: every session's local AS is 64514"
grep -q 'Mesh_198_18_0_1: session established (hold [0-9]*, eBGP AS 64514)' \
    "$LAB_DIR/node2.log"
ok $? "node2: its session with node1 is eBGP"
grep -q 'Mesh_198_18_0_2: session established (hold [0-9]*, eBGP AS 64512)' \
    "$LAB_DIR/node1.log"
ok $? "node1: its session with node2 is eBGP"
is "$(lab_since 2 Mesh_198_18_0_3)" "$before" \
    "node2's session with node3 (both still AS 64512) was not touched"

LAB_NODE_AS_1=64514
lab_tor_reconfigure
lab_wait_sessions 1 "$(lab_mesh 1; echo "$GLOBAL")" 60
ok $? "node1: the ToR takes AS 64514"
lab_wait_text "the ToR's established sessions" "node1
node2
node3" 20 lab_tor_established
ok $? "the ToR: established with every node"

for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3; echo "$LAB_TORNET")" 20
	ok $? "node$i: every other block via its node, and the ToR's network"
done
lab_wait_routes tor "198.18.254.0/24 dev tor0
$(for j in 1 2 3; do echo "198.19.$j.0/26 via 198.18.0.$j"; done)" 20
ok $? "the ToR's kernel: every block via its node"
lab_wait_text "node2's best path to node1's block" "198.18.0.1 64514" 10 \
    best_path 2 198.19.1.0/26
ok $? "node2: node1's block straight from node1, AS path 64514"
lab_wait_text "node1's best path to node2's block" "198.18.0.2 64512" 10 \
    best_path 1 198.19.2.0/26
ok $? "node1: node2's block straight from node2, AS path 64512"
lab_wait_text "node3's best path to node2's block" "198.18.0.2 " 10 \
    best_path 3 198.19.2.0/26
ok $? "node3: node2's block over iBGP, empty AS path"
lab_birdc show route 198.19.1.0/26 all | grep -q 'BGP.as_path: 64514$'
ok $? "the ToR's table: node1's block with AS path 64514"
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		wait_for 5 lab_exec "w$i" ping -c 1 -W 1 "198.19.$j.2"
		ok $? "pod on node$i reaches pod on node$j"
	done
done
wait_for 5 lab_exec w1 ping -c 1 -W 1 198.18.254.1
ok $? "pod on node1 reaches the ToR's network"

done_testing
