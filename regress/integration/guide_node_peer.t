#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Configure a per-node BGP
# peer": a BGPPeer naming one node (node: node1), then the guide's
# rack1-tor (nodeSelector: rack == 'rack-1'; lab nodes 1 and 2 are in
# rack-1, 3 and 4 in rack-2), both to the lab's ToR (BIRD, AS 64567).
# Only the selected nodes peer with the ToR and install its network; the
# ToR still learns every block (a node passes its mesh routes on to an
# eBGP peer).  Relabelling a node moves it in and out of the selection
# without touching anybody else's sessions.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=4
lab_init
lab_up $N tor
lab_resources $N
lab_tor_start
lab_start 1 2 3 4

TOR="Node_198_18_0_254 node specific Established 64567"

# peers_tor I...: nodes I... peer with the ToR, the others do not.  The
# nodes that gain something are waited for first, so that a node that
# should not change is not seen before the change reached it.
peers_tor() {
	for i in "$@"; do
		lab_wait_sessions $i "$(lab_mesh $i; echo "$TOR")" 30
		ok $? "node$i: mesh sessions and Node_198_18_0_254"
		lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3 4
		    echo "$LAB_TORNET")" 20
		ok $? "node$i: the ToR's network in the kernel"
	done
	sleep 1
	for i in $(seq $N); do
		case " $* " in
		*" $i "*)
			continue ;;
		esac
		lab_wait_sessions $i "$(lab_mesh $i)" 30
		ok $? "node$i: the mesh alone, no ToR"
		lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3 4)" 20
		ok $? "node$i: no route to the ToR's network"
	done
	lab_wait_text "the ToR's established sessions" "$(for i in "$@"; do
		echo "node$i"; done)" 30 lab_tor_established
	ok $? "the ToR: established with node(s) $* only"
}

for i in $(seq $N); do
	lab_wait_sessions $i "$(lab_mesh $i)" 30
	ok $? "node$i: the default mesh"
done

# By name.
cat >"$LAB_DIR/node1-tor.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: node1-tor
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
  node: node1
YAML
lab_tortiectl apply -f "$LAB_DIR/node1-tor.yaml" >/dev/null
ok $? "BGPPeer node1-tor (node: node1) applied"
peers_tor 1
lab_wait_routes tor "198.18.254.0/24 dev tor0
$(for j in 1 2 3 4; do echo "198.19.$j.0/26 via 198.18.0.$j"; done)" 20
ok $? "the ToR's kernel: every block, learned from node1, via its own node"
lab_ctl 1 node status | grep -Eq \
    '^\| 198\.18\.0\.254 +\| node specific +\| up +\| [0-9:]{8} \| Established +\|$'
ok $? "node status on node1: the ToR as a node specific peer, up"
lab_ctl 2 node status | grep -q '198\.18\.0\.254'
ok $((1 - $?)) "node status on node2: no ToR"

# By label, the guide's example.
lab_tortiectl delete bgppeer node1-tor >/dev/null
ok $? "BGPPeer node1-tor deleted"
cat >"$LAB_DIR/rack1-tor.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
  nodeSelector: rack == 'rack-1'
YAML
lab_tortiectl apply -f "$LAB_DIR/rack1-tor.yaml" >/dev/null
ok $? "the guide's BGPPeer rack1-tor (nodeSelector: rack == 'rack-1') applied"
peers_tor 1 2
g=$(lab_ctl 2 show neighbors -o json |
    jq -r '.[] | select(.name == "Node_198_18_0_254") | .group')
is "$g" "rack1-tor" "node2's ToR session is in the group rack1-tor"

# node3 joins rack-1, and leaves it again.
before=$(lab_since 1 Node_198_18_0_254)
sleep 1
lab_tortiectl label node node3 rack=rack-1 --overwrite >/dev/null
ok $? "node3 relabelled rack-1"
peers_tor 1 2 3
lab_tortiectl label node node3 rack=rack-2 --overwrite >/dev/null
ok $? "node3 relabelled rack-2"
peers_tor 1 2
is "$(lab_since 1 Node_198_18_0_254)" "$before" \
    "node1's ToR session was not touched by node3's moves"

done_testing
