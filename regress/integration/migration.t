#!/bin/sh
# Mesh -> route reflectors in one step, without loss: applying the route
# reflector peering and disabling the mesh at once keeps the old sessions
# until the new ones are up with their routes (make before break).  A
# ping at 10 ms intervals between two workloads runs across the change.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 4
lab_resources 4
lab_start 1 2 3 4
for i in 1 2 3 4; do
	lab_wait_established "$i" 6 30
	ok $? "node$i: mesh Established"
done
wait_for 10 lab_exec w2 ping -c 1 -W 1 198.19.3.2
ok $? "pod on node2 reaches pod on node3 through the mesh"

cat >"$LAB_DIR/rr.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
  labels:
    rack: rack-1
    route-reflector: "true"
spec:
  bgp:
    ipv4Address: 198.18.0.1/24
    ipv6Address: 2001:db8::1/64
    routeReflectorClusterID: 244.0.0.1
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
YAML

lab_exec w2 ping -i 0.01 -c 1500 -W 1 198.19.3.2 >"$LAB_DIR/ping.txt" 2>&1 &
pingpid=$!
# And to the pods of node1, the node that becomes the reflector.
lab_exec w2 ping -i 0.01 -c 1500 -W 1 198.19.1.2 >"$LAB_DIR/ping1.txt" 2>&1 &
ping1pid=$!
sleep 2
lab_tortiectl apply -f "$LAB_DIR/rr.yaml" >/dev/null
ok $? "route reflector peering and mesh off applied in one step"

wait_for 30 sh -c "grep -q 'removing .* replaced session' '$LAB_DIR/node2.log'"
ok $? "node2 removed its mesh sessions after the new ones were up"
grep -q 'replacement sessions not ready' "$LAB_DIR/node2.log"
ok $((1 - $?)) "node2 did not have to give up waiting"
wait "$pingpid" "$ping1pid"
loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.txt")
diag "ping at 10 ms during the migration: $loss"
is "$loss" "0% packet loss" "no packet lost across the migration"
loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping1.txt")
diag "ping to the reflector's pod at 10 ms during the migration: $loss"
is "$loss" "0% packet loss" "no packet lost to the reflector's pods"

# Afterwards: node2 peers only with the route reflector, and still reaches
# every other node's pods through it.
n=$(lab_ctl 2 show neighbors -o json | grep -c '"name"')
is "$n" 2 "node2 has 2 sessions left (IPv4 and IPv6 to the reflector)"
lab_ctl 2 show neighbors -o json | grep -q '"name": "Node_198_18_0_1"'
ok $? "node2's session is to node1, the reflector"
for j in 1 3 4; do
	wait_for 10 lab_exec w2 ping -c 1 -W 1 "198.19.$j.2"
	ok $? "pod on node2 reaches pod on node$j via the reflector"
done

done_testing
