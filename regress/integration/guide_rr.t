#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Configure a node to act
# as a route reflector" and "Change from node-to-node mesh to route
# reflectors without any traffic disruption", on six nodes:
#  - node1 gets the guide's routeReflectorClusterID patch, its label and
#    the BGPPeer peer-with-route-reflectors; once its sessions are up the
#    mesh is turned off, with a ping running between two clients (no loss);
#  - clients learn each other's blocks only through the reflector, with
#    the originator's next hop, ORIGINATOR_ID and CLUSTER_LIST;
#  - node2 becomes a second reflector with the same cluster ID: two
#    reflectors, four clients, and the reflectors drop each other's
#    reflections of their clients' routes (cluster list loop);
#  - a BIRD router, iBGP client of both reflectors, sees the same
#    attributes, and its own routes are not reflected to the clients.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=6
# Sessions a change removes wait at most this long for replacements.
LAB_MIGRATION_WAIT=3
lab_init
lab_up $N tor
lab_resources $N
lab_start 1 2 3 4 5 6

ALL=$(seq $N)

# nodes I J...: node I's node-specific sessions with nodes J...
nodes() {
	_i=$1
	shift
	for j in "$@"; do
		[ "$j" = "$_i" ] && continue
		echo "Node_198_18_0_$j node specific Established 64512"
		echo "Node_2001_db8__$j node specific Established 64512"
	done
}

# rib I PREFIX: node I's paths for PREFIX, one "from P nexthop H
# originator O clusters C" line each ("-" for none).
rib() {
	lab_ctl "$1" show rib -o json "$2" | jq -r '.[] | "from \(.peerIP)
	    nexthop \(.nexthop) originator \(.originatorID // "-")
	    clusters \((.clusterList // []) | join(",") | if . == ""
	    then "-" else . end)"' | tr -s ' \t\n' ' ' | sed 's/ from /\n&/g' |
	    sed 's/^ //; s/ $//' | LC_ALL=C sort
}

# plan_rr I: node I's sessions as "name rr-client clusterID" (its plan).
plan_rr() {
	lab_tortiectl plan --node "node$1" -o json |
	    jq -r '.sessions[] | "\(.name) \(.routeReflectorClient) \(
		if .clusterID == "" then "-" else .clusterID end)"'
}

# all_routes: every node's kernel holds every other block via its node.
all_routes() {
	for i in $ALL; do
		lab_wait_routes "n$i" "$(lab_blocks $i $ALL)" 20
		ok $? "node$i: every other block via its own node"
	done
}

for i in $ALL; do
	lab_wait_sessions $i "$(lab_mesh $i - $ALL)" 30
	ok $? "node$i: the default mesh"
done

# The guide's three steps for node1.
lab_tortiectl patch node node1 \
    -p '{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}' \
    >/dev/null
ok $? "node1: routeReflectorClusterID 244.0.0.1"
lab_tortiectl label node node1 route-reflector=true >/dev/null
ok $? "node1: labelled route-reflector=true"
cat >"$LAB_DIR/rr.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
YAML
lab_tortiectl apply -f "$LAB_DIR/rr.yaml" >/dev/null
ok $? "BGPPeer peer-with-route-reflectors applied"

lab_wait_sessions 1 "$(nodes 1 $ALL)" 30
ok $? "node1 (reflector): out of the mesh, a session with every other node"
for i in 2 3 4 5 6; do
	lab_wait_sessions $i "$(lab_mesh $i - 2 3 4 5 6; nodes $i 1)" 30
	ok $? "node$i: mesh without node1, and node1 as a node specific peer"
done
lab_wait_text "node1's plan" "$(for j in 2 3 4 5 6; do
	echo "Node_198_18_0_${j} true 244.0.0.1"
	echo "Node_2001_db8__${j} true 244.0.0.1"; done)" 5 plan_rr 1
ok $? "node1's plan: every peer a client of cluster 244.0.0.1"

# Step 4 of the migration: the mesh goes, while node3's pod pings
# node4's at 10 ms.
lab_exec w3 ping -i 0.01 -c 500 -W 1 198.19.4.2 >"$LAB_DIR/ping.txt" 2>&1 &
pingpid=$!
sleep 1
lab_tortiectl patch bgpconfiguration default \
    -p '{"spec": {"nodeToNodeMeshEnabled": false}}' >/dev/null
ok $? "the mesh disabled"
for i in 2 3 4 5 6; do
	lab_wait_sessions $i "$(nodes $i 1)" 20
	ok $? "node$i: only the reflector left"
done
wait "$pingpid"
loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.txt")
diag "ping node3 -> node4 at 10 ms while the mesh went: $loss"
is "$loss" "0% packet loss" "no packet lost when the mesh went"
lab_wait_sessions 1 "$(nodes 1 $ALL)" 5
ok $? "node1: its sessions unchanged"

all_routes
lab_wait_text "node3's paths for 198.19.4.0/26" \
    "from 198.18.0.1 nexthop 198.18.0.4 originator 198.18.0.4 clusters 244.0.0.1" \
    10 rib 3 198.19.4.0/26
ok $? "node3: node4's block through the reflector, ORIGINATOR_ID node4, CLUSTER_LIST 244.0.0.1"
lab_wait_text "node1's paths for 198.19.3.0/26" \
    "from 198.18.0.3 nexthop 198.18.0.3 originator - clusters -" \
    10 rib 1 198.19.3.0/26
ok $? "node1: node3's block straight from node3, no reflection attributes"
for j in 1 2 4 5 6; do
	wait_for 5 lab_exec w3 ping -c 1 -W 1 "198.19.$j.2"
	ok $? "pod on node3 reaches pod on node$j"
done

# A second reflector in the same cluster.
lab_tortiectl patch node node2 \
    -p '{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}' \
    >/dev/null
ok $? "node2: routeReflectorClusterID 244.0.0.1"
lab_tortiectl label node node2 route-reflector=true >/dev/null
ok $? "node2: labelled route-reflector=true"
for i in 3 4 5 6; do
	lab_wait_sessions $i "$(nodes $i 1 2)" 30
	ok $? "node$i: sessions with both reflectors"
done
lab_wait_sessions 1 "$(nodes 1 $ALL)" 30
ok $? "node1: a session with node2 and every client"
lab_wait_sessions 2 "$(nodes 2 $ALL)" 30
ok $? "node2: a session with node1 and every client"
lab_wait_text "node1's plan" "$(echo "Node_198_18_0_2 false -
Node_2001_db8__2 false -"; for j in 3 4 5 6; do
	echo "Node_198_18_0_${j} true 244.0.0.1"
	echo "Node_2001_db8__${j} true 244.0.0.1"; done)" 5 plan_rr 1
ok $? "node1's plan: node2 a non-client peer (same cluster), the rest clients"

all_routes
lab_wait_text "node3's paths for 198.19.4.0/26" \
    "from 198.18.0.1 nexthop 198.18.0.4 originator 198.18.0.4 clusters 244.0.0.1
from 198.18.0.2 nexthop 198.18.0.4 originator 198.18.0.4 clusters 244.0.0.1" \
    10 rib 3 198.19.4.0/26
ok $? "node3: node4's block from both reflectors, same ORIGINATOR_ID and CLUSTER_LIST"
lab_wait_text "node3's paths for 198.19.1.0/26" \
    "from 198.18.0.1 nexthop 198.18.0.1 originator - clusters -
from 198.18.0.2 nexthop 198.18.0.1 originator 198.18.0.1 clusters 244.0.0.1" \
    10 rib 3 198.19.1.0/26
ok $? "node3: node1's own block from node1, and reflected by node2"
lab_wait_text "node1's paths for 198.19.3.0/26" \
    "from 198.18.0.3 nexthop 198.18.0.3 originator - clusters -" \
    10 rib 1 198.19.3.0/26
ok $? "node1: node2's reflection of node3's block dropped (cluster list loop)"
for j in 1 2 4 5 6; do
	wait_for 5 lab_exec w3 ping -c 1 -W 1 "198.19.$j.2"
	ok $? "pod on node3 reaches pod on node$j"
done

# A BIRD router as an iBGP client of both reflectors.
LAB_TOR_AS=64512
lab_tor_start
cat >"$LAB_DIR/bird-client.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rr-bird-client
spec:
  peerIP: 198.18.0.254
  asNumber: 64512
  nodeSelector: route-reflector == 'true'
YAML
lab_tortiectl apply -f "$LAB_DIR/bird-client.yaml" >/dev/null
ok $? "BGPPeer rr-bird-client applied"
for i in 1 2; do
	lab_wait_sessions $i "$(nodes $i $ALL
	    echo "Node_198_18_0_254 node specific Established 64512")" 30
	ok $? "node$i: a session with the BIRD client"
done
lab_wait_text "the ToR's established sessions" "node1
node2" 20 sh -c ". '$TOP/regress/lab/lab.sh'; LAB=$LAB LAB_DIR=$LAB_DIR
    lab_tor_sessions | awk '\$2 == \"Established\" { print \$1 }'"
ok $? "BIRD: established with both reflectors"
plan_rr 1 | grep -qx 'Node_198_18_0_254 true 244.0.0.1'
ok $? "node1's plan: BIRD is a client"

# bird_paths PREFIX: BIRD's paths, "from PROTOCOL originator O clusters C".
bird_paths() {
	lab_birdc show route "$1" all | awk '
	    / \[node[0-9]+ / { if (f != "") print f, o, c
		match($0, /\[node[0-9]+ /)
		f = "from " substr($0, RSTART + 1, RLENGTH - 2)
		o = "-"; c = "-" }
	    /BGP.originator_id:/ { o = "originator " $2 }
	    /BGP.cluster_list:/ { $1 = ""; c = "clusters" $0 }
	    END { if (f != "") print f, o, c }' | LC_ALL=C sort
}
lab_wait_text "BIRD's paths for 198.19.4.0/26" \
    "from node1 originator 198.18.0.4 clusters 244.0.0.1
from node2 originator 198.18.0.4 clusters 244.0.0.1" 20 \
    bird_paths 198.19.4.0/26
ok $? "BIRD: node4's block reflected by both, ORIGINATOR_ID 198.18.0.4, CLUSTER_LIST 244.0.0.1"
lab_wait_text "BIRD's paths for 198.19.2.0/26" \
    "from node1 originator 198.18.0.2 clusters 244.0.0.1
from node2 - -" 20 bird_paths 198.19.2.0/26
ok $? "BIRD: node2's own block from node2, and reflected by node1"
lab_wait_routes tor "198.18.254.0/24 dev tor0
$(for j in $ALL; do echo "198.19.$j.0/26 via 198.18.0.$j"; done)" 20
ok $? "BIRD's kernel: every block via its own node"
lab_wait_routes n1 "$(lab_blocks 1 $ALL
    echo "198.18.254.0/24 via 198.18.0.254")" 20
ok $? "node1: BIRD's network in the kernel"
sleep 1
lab_wait_routes n3 "$(lab_blocks 3 $ALL)" 5
ok $? "node3: BIRD's network not reflected (not a pool route)"

done_testing
