#!/bin/sh
# CalicoNodeStatus: tortie writes the status of the objects naming its
# node (Agent, BGP and Routes classes), and only when it changed.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 2
lab_resources 2
lab_start 1 2
lab_wait_established 1 2 30
ok $? "node1: mesh Established"

cat >"$LAB_DIR/ns.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: node1-status
spec:
  node: node1
  classes: [Agent, BGP, Routes]
  updatePeriodSeconds: 1
---
apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: node2-bgp
spec:
  node: node2
  classes: [BGP]
  updatePeriodSeconds: 1
YAML
lab_tortiectl apply -f "$LAB_DIR/ns.yaml" >/dev/null
ok $? "CalicoNodeStatus objects applied"

get() { lab_tortiectl get caliconodestatus "$1" -o yaml; }
wait_for 10 sh -c "'$TOP/ctl/tortiectl' -D '$LAB_DS' get caliconodestatus \
    node1-status -o yaml | grep -q numberEstablishedV4"
ok $? "node1 wrote its status"
y=$(get node1-status)
echo "$y" | sed 's/^/# /'
echo "$y" | grep -q 'numberEstablishedV4: 1'
ok $? "bgp: one IPv4 session Established"
echo "$y" | grep -q 'numberEstablishedV6: 1'
ok $? "bgp: one IPv6 session Established"
echo "$y" | grep -q 'type: NodeMesh'
ok $? "bgp: the peer is in the node-to-node mesh"
echo "$y" | grep -q 'state: Ready'
ok $? "agent: Ready"
echo "$y" | grep -q 'destination: 198.19.2.0/26'
ok $? "routes: node2's block"
echo "$y" | grep -q 'lastUpdated:'
ok $? "lastUpdated set"
wait_for 10 sh -c "'$TOP/ctl/tortiectl' -D '$LAB_DS' get caliconodestatus \
    node2-bgp -o yaml | grep -q numberEstablishedV4"
ok $? "node2 wrote the status of the object naming it"
get node2-bgp | grep -q 'routes:'
ok $((1 - $?)) "node2's status has only the class asked for"

# Nothing changes: lastUpdated stays.
t1=$(get node1-status | grep lastUpdated)
sleep 3
t2=$(get node1-status | grep lastUpdated)
is "$t2" "$t1" "no rewrite while nothing changes"

# A session goes down: the status follows.
lab_stop 2
wait_for 10 sh -c "'$TOP/ctl/tortiectl' -D '$LAB_DS' get caliconodestatus \
    node1-status -o yaml | grep -q 'numberNotEstablishedV4: 1'"
ok $? "status follows a session going down"

done_testing
