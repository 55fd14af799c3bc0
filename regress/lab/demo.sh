#!/bin/sh
# `make demo`: Calico's guide "Configure BGP peering", live, on tortie.
# Builds a lab of 4 nodes and a BIRD ToR in network namespaces, then walks
# through the guide, printing each command before it runs and its output
# after.  KEEP=1 leaves the lab up and says how to enter a node.
# DATASTORE=etcd (`make demo DATASTORE=etcd`): the resources live in a
# 3-member etcd cluster with TLS in the lab instead of a directory.
set -u
LAB_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_TOP/regress/lab/lab.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root (network namespaces)" >&2
	exit 1
fi

step() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

# run: show a command, run it, show its output.
run() {
	printf '\033[36m$ %s\033[0m\n' "$*"
	"$@"
}

# tortiectl against the shared datastore, shown as the operator types it.
ctl() {
	printf '\033[36m$ tortiectl %s\033[0m\n' "$*"
	lab_tortiectl "$@"
}

# tortiectl on one node's control socket.
nctl() {
	n=$1
	shift
	printf '\033[36m[node%s]$ tortiectl %s\033[0m\n' "$n" "$*"
	lab_ctl "$n" "$@"
}

apply() {
	printf '\033[36m$ tortiectl apply -f - <<EOF\033[0m\n'
	cat >"$LAB_DIR/step.yaml"
	sed 's/^/  /' "$LAB_DIR/step.yaml"
	printf '\033[36mEOF\033[0m\n'
	lab_tortiectl apply -f "$LAB_DIR/step.yaml"
}

ping_check() {
	from=$1
	to=$2
	# Up to three tries: a workload's first packet waits for two proxy
	# ARP answers (each delayed up to proxy_delay, 0.8 s).
	if lab_exec "w$from" ping -c 3 -i 0.5 -W 1 "198.19.$to.2" \
	    >/dev/null 2>&1; then
		echo "  pod on node$from -> pod on node$to (198.19.$to.2): ok"
		return 0
	fi
	echo "  pod on node$from -> pod on node$to (198.19.$to.2): FAILED"
	return 1
}

if [ "${KEEP:-0}" = 1 ]; then
	LAB=${LAB:-tdemo}
	LAB_KEEP_DIR=1
fi
lab_init
if [ "${KEEP:-0}" = 1 ]; then
	trap - EXIT
fi
FAILS=0

step "A lab of 4 nodes and a ToR router (BIRD, AS 64567), each node with a workload"
lab_up 4 tor
if [ "${DATASTORE:-file}" = etcd ]; then
	step "The datastore: a 3-member etcd cluster with client TLS (198.18.0.201-203)"
	if ! command -v etcd >/dev/null || ! lab_etcd_up; then
		echo "cannot start etcd (make deps installs etcd-server)" >&2
		exit 1
	fi
	echo "every node's tortie.yaml:"
	lab_ds_conf | sed 's/^/  /'
fi
lab_resources 4
echo "nodes: node1..node4 at 198.18.0.1-4, ToR 198.18.0.254"
echo "workload blocks: 198.19.<n>.0/26, one pod per node at 198.19.<n>.2"
ctl get nodes -o wide

step "Default: node-to-node full mesh"
lab_start 1 2 3 4
for i in 1 2 3 4; do
	lab_wait_sessions "$i" "$(lab_mesh "$i")" 30 || FAILS=$((FAILS + 1))
done
nctl 1 node status
if [ -n "${LAB_ETCD:-}" ]; then
	echo "(node1's etcd client, dsd, as node status -o json reports it)"
	lab_ctl 1 node status -o json | jq -c .datastore
fi

step "Pod-to-pod across nodes"
sleep 2
for to in 2 3 4; do
	ping_check 1 "$to" || FAILS=$((FAILS + 1))
done

step "A global BGP peer: the ToR, AS 64567"
lab_tor_start
apply <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: my-global-peer
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
EOF
for i in 1 2 3 4; do
	lab_wait_status "$i" '198\.18\.0\.254 +\| global +\| up' 30 ||
	    FAILS=$((FAILS + 1))
done
nctl 1 node status
run lab_birdc show protocols

step "A node-specific peer chosen by label: rack == 'rack-1'"
ctl delete bgppeer my-global-peer
apply <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
  nodeSelector: rack == 'rack-1'
EOF
lab_wait_status 1 '198\.18\.0\.254 +\| node specific +\| up' 30 ||
    FAILS=$((FAILS + 1))
nctl 1 node status
nctl 3 node status

step "Change the default AS number and one node's AS"
ctl patch bgpconfiguration default -p '{"spec": {"asNumber": "64513"}}'
ctl patch node node4 -p '{"spec": {"bgp": {"asNumber": "64514"}}}'
echo "(the ToR is told the new AS numbers too)"
LAB_NODE_AS=64513
LAB_NODE_AS_4=64514
lab_tor_reconfigure
for i in 1 2 3 4; do
	lab_wait_established "$i" 6 30 || FAILS=$((FAILS + 1))
done
lab_wait_status 1 '198\.18\.0\.254 +\| node specific +\| up' 30 ||
    FAILS=$((FAILS + 1))
nctl 1 node status
ctl get nodes -o wide

step "Make node1 a route reflector"
ctl patch node node1 -p '{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}'
ctl label node node1 route-reflector=true
apply <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
EOF
for i in 2 3 4; do
	lab_wait_status "$i" '198\.18\.0\.1 +\| node specific +\| up' 30 ||
	    FAILS=$((FAILS + 1))
done
nctl 2 node status

step "Disable the node-to-node mesh, with a ping running across the switch"
lab_exec w2 ping -i 0.01 -c 2000 -W 1 198.19.3.2 >"$LAB_DIR/ping.txt" 2>&1 &
pingpid=$!
sleep 1
ctl patch bgpconfiguration default -p '{"spec": {"nodeToNodeMeshEnabled": false}}'
sleep 5
nctl 1 node status
nctl 2 node status
wait "$pingpid"
for to in 1 3 4; do
	ping_check 2 "$to" || FAILS=$((FAILS + 1))
done
loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.txt")
echo "continuous ping pod(node2) -> pod(node3) at 10 ms during the change: $loss"

step "Summary"
if [ "$FAILS" -eq 0 ]; then
	echo "every step worked"
else
	echo "$FAILS check(s) failed: see the logs in $LAB_DIR"
fi
if [ "${KEEP:-0}" = 1 ]; then
	echo "the lab is up: enter a node with  ip netns exec $LAB-n1 sh"
	echo "status: $LAB_TOP/ctl/tortiectl -s $LAB_DIR/node1.sock node status"
	echo "remove it with: LAB=$LAB sh -c '. regress/lab/lab.sh; lab_down'"
else
	lab_down
fi
[ "$FAILS" -eq 0 ]
