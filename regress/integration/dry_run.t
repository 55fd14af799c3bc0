#!/bin/sh
# tortiectl --dry-run, "know before you apply", along Calico's "Configure
# BGP peering" guide on a file datastore (-D) with four nodes in the
# default mesh: a global peer (every node gains a Global_ session), the
# mesh turned off too early (every node cut off from the others), a route
# reflector made of node1 (label, cluster ID, BGPPeer: node-specific
# sessions), the mesh turned off once the reflector is there (mesh
# sessions go, no warning), a node AS change (sessions reset), a filter
# change (no reset), a failing verb, a deleted node, a datastore directory
# that does not exist yet, two reflectors sharing a cluster ID, and eBGP
# through a hub (AS path loop, numAllowedLocalASNumbers).  Every dry run
# leaves the datastore's files byte-identical; -o json parses and holds
# the same facts.  Needs no root and no daemon.
. "$(dirname "$0")/../lib/tap.sh"

T=${TORTIECTL:-$TOP/ctl/tortiectl}
W=$(mktemp -d /tmp/tortie-dryrun.XXXXXX)
DS=$W/ds
trap 'rm -rf "$W"' EXIT INT TERM

# run ARGS...: tortiectl -D $DS ARGS; sets RC, OUT and ERR.
run() {
	"$T" -D "$DS" "$@" >"$W/out" 2>"$W/err"
	RC=$?
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
}

# The datastore's file names and contents, as one checksum.
dssum() {
	[ -d "$DS" ] || { echo none; return; }
	(cd "$DS" && find . -type f | LC_ALL=C sort | while read -r f; do
		printf '%s\n' "$f"
		cat "$f"
	done) | sha256sum | cut -d' ' -f1
}

# dry DESCRIPTION ARGS...: a dry run that must change nothing; sets RC,
# OUT and ERR as run does.
dry() {
	_d=$1
	shift
	_before=$(dssum)
	run "$@" --dry-run
	is "$(dssum)" "$_before" "$_d: datastore unchanged"
}

# has TEXT LINE DESCRIPTION: TEXT holds LINE exactly, as a whole line.
has() {
	if printf '%s\n' "$1" | grep -Fxq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "no line: $2"
		printf '%s\n' "$1" | sed 's/^/#   /'
	fi
}

# hasnt TEXT PATTERN DESCRIPTION: no line of TEXT matches the ERE.
hasnt() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '%s\n' "$1" | grep -E -- "$2" | sed 's/^/#   /'
	else
		ok 0 "$3"
	fi
}

# cutoff NODE NODES: the warning for NODE, which has an external peer.
cutoff() {
	printf 'WARNING: %s would have no session carrying the blocks of %s ' \
	    "$1" "$2"
	printf '(pod networking between them breaks unless %s'"'"'s external ' \
	    "$1"
	printf 'BGP peers carry those routes)\n'
}

# json EXPR: evaluate a Python expression over the last run's stdout (d).
json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$W/out" "$1"
}

# Four nodes, as the node agent would have created them: the default mesh.
i=1
while [ $i -le 4 ]; do
	cat <<EOF
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node$i
spec:
  bgp:
    ipv4Address: 198.18.0.$i/24
EOF
	i=$((i + 1))
done >"$W/nodes.yaml"

dry "new datastore" apply -f "$W/nodes.yaml"
ok $([ ! -e "$DS" ] && echo 0 || echo 1) \
    "a dry run does not create the datastore directory"
is "$RC" 0 "dry run into a missing datastore: exit 0"
has "$OUT" "(dry run) Successfully applied 4 'Node' resource(s)" \
    "the verb's message, marked as a dry run"
has "$OUT" "node1: new node" "new nodes are named"
has "$OUT" "node1: +Mesh_198_18_0_2 (node-to-node mesh, 198.18.0.2 AS 64512)" \
    "new nodes' mesh sessions are listed"

run apply -f "$W/nodes.yaml"
is "$RC" 0 "four nodes applied"

# The guide: a global BGP peer.
cat >"$W/global.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: my-global-peer
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
EOF
dry "global peer" apply -f "$W/global.yaml"
is "$RC" 0 "global peer: exit 0"
for i in 1 2 3 4; do
	has "$OUT" \
	    "node$i: +Global_198_18_0_254 (global, 198.18.0.254 AS 64567)" \
	    "global peer: node$i gains Global_198_18_0_254"
done
is "$ERR" "" "global peer: no warning"
ok $([ ! -e "$DS/bgppeers/my-global-peer.yaml" ] && echo 0 || echo 1) \
    "global peer: not written"

dry "global peer json" apply -f "$W/global.yaml" -o json
is "$(json 'len(d["nodes"])')" 4 "-o json: four nodes"
is "$(json 'd["nodes"][2]["added"]')" "['Global_198_18_0_254']" \
    "-o json: node3 adds Global_198_18_0_254"
is "$(json 'd["warnings"]')" "[]" "-o json: no warnings"
printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1
ok $? "-o json: stdout is JSON alone (json.tool)"

run apply -f "$W/global.yaml"
is "$RC" 0 "global peer applied"

# A node-specific BGPPeer to the same ToR for every node: the global one
# wins while it exists; deleting it hands each node's session over to the
# node-specific one (same address and port: one BGP session), no reset.
cat >"$W/tor-nodes.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor-nodes
spec:
  nodeSelector: all()
  peerIP: 198.18.0.254
  asNumber: 64567
EOF
run apply -f "$W/tor-nodes.yaml"
is "$RC" 0 "node-specific BGPPeer to the ToR applied"
dry "global to node-specific" delete bgppeer my-global-peer
for i in 1 2 3 4; do
	has "$OUT" "node$i: ~Node_198_18_0_254 (handed over from \
Global_198_18_0_254, type global -> node specific, group my-global-peer -> \
tor-nodes: no reset)" \
	    "global to node-specific: node$i's session handed over, no reset"
done
hasnt "$OUT" "^node[1-4]: [-+]" \
    "global to node-specific: nothing added or removed"
dry "global to node-specific json" delete bgppeer my-global-peer -o json
is "$(json 'd["nodes"][0]["changed"][0]["from"]')" "Global_198_18_0_254" \
    "-o json: changed[].from names the session handed over"
is "$(json 'd["nodes"][0]["changed"][0]["fields"]')" \
    "['type', 'group', 'name']" "-o json: its fields"
run delete bgppeer tor-nodes
is "$RC" 0 "node-specific BGPPeer deleted again"

# A node AS change resets the sessions to and of that node.
dry "node AS" patch node node2 -p '{"spec":{"bgp":{"asNumber":64513}}}'
is "$RC" 0 "node AS: exit 0"
has "$OUT" "node3: ~Mesh_198_18_0_2 (peerAS 64512 -> 64513: reset)" \
    "node AS: node3's session to node2 resets"
has "$OUT" "node2: node AS 64512 -> 64513: every session resets" \
    "node AS: node2 itself says so"
has "$OUT" "node2: ~Mesh_198_18_0_1 (localAS 64512 -> 64513, node: reset)" \
    "node AS: node2's own sessions reset"
is "$ERR" "" "node AS: the eBGP mesh still carries every node's routes"

# Turning the mesh off before anything replaces it cuts every node off.
MESHOFF='{"spec":{"nodeToNodeMeshEnabled":false}}'
dry "mesh off, too early" patch bgpconfiguration default -p "$MESHOFF"
is "$RC" 0 "mesh off, too early: warnings do not fail"
has "$OUT" "node1: -Mesh_198_18_0_2" "mesh off: node1 loses Mesh_198_18_0_2"
has "$ERR" "$(cutoff node3 "node1, node2, node4")" \
    "mesh off, too early: node3 is cut off (its ToR may still help)"
is "$(printf '%s\n' "$ERR" | grep -c '^WARNING: node[1-4] would have no')" 4 \
    "mesh off, too early: all four nodes are warned about"
hasnt "$OUT" "WARNING" "warnings are not on stdout"
ok $([ ! -e "$DS/bgpconfigurations" ] && echo 0 || echo 1) \
    "mesh off: the missing default BGPConfiguration is not created"

dry "mesh off json" patch bgpconfiguration default -p "$MESHOFF" -o json
printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1
ok $? "mesh off -o json: parses (json.tool)"
is "$(json 'len(d["warnings"])')" 4 "mesh off -o json: four warnings"
is "$(json 'sorted(d["nodes"][0]["removed"])')" \
    "['Mesh_198_18_0_2', 'Mesh_198_18_0_3', 'Mesh_198_18_0_4']" \
    "mesh off -o json: node1's mesh sessions removed"
has "$ERR" "$(cutoff node1 "node2, node3, node4")" \
    "mesh off -o json: warnings on stderr as well"

# The guide: node1 becomes a route reflector.
dry "label" label node node1 route-reflector=true
has "$OUT" "(dry run) Successfully set label route-reflector on node node1" \
    "label: the verb's message"
has "$OUT" "no changes: node1, node2, node3, node4" \
    "label: no BGPPeer selects it yet, nothing changes"
run label node node1 route-reflector=true
is "$RC" 0 "label set"

CLUSTER='{"spec":{"bgp":{"routeReflectorClusterID":"244.0.0.1"}}}'
dry "cluster ID" patch node node1 -p "$CLUSTER"
has "$OUT" "node1: node route reflector cluster ID none -> 244.0.0.1: \
every session resets" \
    "cluster ID: a node-wide change"
has "$OUT" "node1: -Mesh_198_18_0_3" "cluster ID: node1 leaves the mesh"
has "$OUT" "node2: -Mesh_198_18_0_1" "cluster ID: the others drop node1"
has "$ERR" "$(cutoff node1 "node2, node3, node4")" \
    "cluster ID before the BGPPeer: node1 is cut off"
run patch node node1 -p "$CLUSTER"
is "$RC" 0 "cluster ID set"

cat >"$W/rr.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
EOF
dry "RR peer" apply -f "$W/rr.yaml"
has "$OUT" "node1: +Node_198_18_0_2 (node specific, 198.18.0.2 AS 64512, \
route reflector client)" \
    "RR peer: node1 peers with its clients"
has "$OUT" "node2: +Node_198_18_0_1 (node specific, 198.18.0.1 AS 64512)" \
    "RR peer: node2 peers with the reflector"
is "$ERR" "" "RR peer: node1 is reachable again, no warning"
run apply -f "$W/rr.yaml"
is "$RC" 0 "RR peer applied"

# Now the mesh may go: the reflector carries every route.
dry "mesh off" patch bgpconfiguration default -p "$MESHOFF"
is "$RC" 0 "mesh off: exit 0"
has "$OUT" "node2: -Mesh_198_18_0_3" "mesh off: node2 loses Mesh_198_18_0_3"
has "$OUT" "node4: -Mesh_198_18_0_3" "mesh off: node4 loses Mesh_198_18_0_3"
has "$OUT" "no changes: node1" "mesh off: the reflector keeps its sessions"
is "$ERR" "" "mesh off after the reflector: no warning"
run patch bgpconfiguration default -p "$MESHOFF"
is "$RC" 0 "mesh off applied"

# Filters change policy, not sessions: no reset.
cat >"$W/filter.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: export-only
spec:
  exportV4:
  - action: Accept
    matchOperator: In
    cidr: 198.19.0.0/16
EOF
run apply -f "$W/filter.yaml"
is "$RC" 0 "BGPFilter applied"
FILT='{"spec":{"filters":["export-only"]}}'
dry "filters" patch bgppeer peer-with-route-reflectors -p "$FILT"
has "$OUT" "node2: ~Node_198_18_0_1 (filters none -> export-only: no reset)" \
    "filters: node2's session to the reflector, no reset"
has "$OUT" "node1: ~Node_198_18_0_4 (filters none -> export-only: no reset)" \
    "filters: the reflector's session to node4, no reset"
hasnt "$OUT" ": reset\)$" "filters: nothing resets"
dry "filters json" patch bgppeer peer-with-route-reflectors -p "$FILT" -o json
is "$(json '[c for c in d["nodes"][1]["changed"]]')" \
    "[{'name': 'Node_198_18_0_1', 'fields': ['filters'], 'reset': False}]" \
    "filters -o json: fields and reset"
run patch bgppeer peer-with-route-reflectors -p "$FILT"
is "$RC" 0 "filters applied"

# A change of the filter's rules is a filters change of every user.
RULE='{"action":"Reject","matchOperator":"In","cidr":"198.19.0.0/16"}'
dry "filter rules" patch bgpfilter export-only \
    -p "{\"spec\":{\"exportV4\":[$RULE]}}"
has "$OUT" "node3: ~Node_198_18_0_1 (filters: no reset)" \
    "filter rules: sessions using the filter, no reset"

# A verb that fails fails the same way, and changes nothing.
dry "create existing" create -f "$W/global.yaml"
is "$RC" 1 "create of an existing resource: exit 1, as without --dry-run"
has "$ERR" "Failed to create 'BGPPeer' resource: \
[resource already exists: BGPPeer(my-global-peer)]" \
    "create of an existing resource: calicoctl's message"
has "$OUT" "no changes: node1, node2, node3, node4" \
    "create of an existing resource: nothing changes"

# Deleting the reflector cuts the others off from each other.
dry "delete reflector" delete node node1
is "$RC" 0 "delete node1: exit 0"
has "$OUT" "node1: node deleted" "delete node1: said so"
has "$OUT" "node2: -Node_198_18_0_1" "delete node1: node2 loses its reflector"
has "$ERR" "$(cutoff node2 "node3, node4")" \
    "delete node1: node2 is cut off from node3 and node4"

# A second reflector with node1's cluster ID, peering only with node1: a
# route that node1 reflects carries that cluster ID, and node3 drops it
# (RFC 4456), so node3 would not hear of node2 and node4.
dry "same cluster ID" patch node node3 -p "$CLUSTER"
has "$ERR" "$(cutoff node3 "node2, node4")" \
    "a reflector sharing the cluster ID of its only peer is cut off"
run patch node node3 -p "$CLUSTER"
is "$RC" 0 "node3 gets node1's cluster ID anyway"

# Labelled, node3 serves every client as well: nobody is cut off.
dry "second reflector" label node node3 route-reflector=true
has "$OUT" "node2: +Node_198_18_0_3 (node specific, 198.18.0.3 AS 64512)" \
    "second reflector: the clients peer with it"
is "$ERR" "" "second reflector: no warning"

# eBGP between nodes: a and b (AS 64513) reach each other only through
# the hub x (AS 64512), and a route that comes back to its own AS is
# dropped (RFC 4271 AS path loop), unless numAllowedLocalASNumbers allows
# it on the receiving session.
DS=$W/ds2
cat >"$W/ebgp.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: a
spec:
  bgp:
    ipv4Address: 198.18.1.1/24
    asNumber: 64513
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: x
  labels:
    hub: 'true'
spec:
  bgp:
    ipv4Address: 198.18.1.2/24
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: b
spec:
  bgp:
    ipv4Address: 198.18.1.3/24
    asNumber: 64513
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: via-hub
spec:
  nodeSelector: all()
  peerSelector: hub == 'true'
EOF
run apply -f "$W/ebgp.yaml"
is "$RC" 0 "eBGP hub datastore applied"
cat >"$W/allow.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: allow-a
spec:
  node: a
  peerIP: 198.18.1.2
  asNumber: 64512
  numAllowedLocalASNumbers: 1
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: allow-b
spec:
  node: b
  peerIP: 198.18.1.2
  asNumber: 64512
  numAllowedLocalASNumbers: 1
EOF
dry "label x" label node x rack=1
has "$ERR" "WARNING: b still has no session carrying the blocks of a \
(it had none before this change either)" \
    "AS path loop: b drops a's routes that x passes on"
dry "allowLocalAS" apply -f "$W/allow.yaml"
has "$OUT" "b: ~Node_198_18_1_2 (group via-hub -> allow-b, \
allowLocalAS 0 -> 1: reset)" "allowLocalAS: b's session to x resets"
is "$ERR" "" "allowLocalAS: a and b reach each other through x"

done_testing
