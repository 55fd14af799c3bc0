#!/bin/sh
# tortiectl's resource verbs on a file datastore (-D): apply, create,
# replace, get (tables, -o wide/yaml/json and their round trips), patch,
# delete and label with calicoctl's messages and exit codes; the commands
# of Calico's "Configure BGP peering" guide as written, with tortiectl for
# calicoctl and for kubectl label; a patch that fails validation changes
# nothing.  Needs no root and no daemon.
. "$(dirname "$0")/../lib/tap.sh"

T=${TORTIECTL:-$TOP/ctl/tortiectl}
W=$(mktemp -d /tmp/tortie-verbs.XXXXXX)
DS=$W/ds
trap 'rm -rf "$W"' EXIT INT TERM

# run ARGS...: tortiectl -D $DS ARGS; sets RC, OUT and ERR.
run() {
	"$T" -D "$DS" "$@" >"$W/out" 2>"$W/err"
	RC=$?
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
}

# expect RC OUT ERR DESCRIPTION: the last run printed exactly this.
expect() {
	_ok=0
	[ "$RC" = "$1" ] && [ "$OUT" = "$2" ] && [ "$ERR" = "$3" ] || _ok=1
	ok $_ok "$4"
	if [ $_ok -ne 0 ]; then
		diag "rc $RC (want $1)"
		diag "stdout: $OUT"
		diag "want:   $2"
		diag "stderr: $ERR"
		diag "want:   $3"
	fi
}

# The guide's resources, with the addresses its web page shows.
run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: my-global-peer
spec:
  peerIP: 192.20.30.40
  asNumber: 64567
EOF
expect 0 "Successfully applied 1 'BGPPeer' resource(s)" "" \
    "guide: global BGP peer applied"

run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 192.20.30.40
  asNumber: 64567
  nodeSelector: rack == 'rack-1'
EOF
expect 0 "Successfully applied 1 'BGPPeer' resource(s)" "" \
    "guide: per-node BGP peer applied"

ok $([ -f "$DS/bgppeers/rack1-tor.yaml" ] && [ -f "$DS/.lock" ] &&
    echo 0 || echo 1) "layout: <dir>/bgppeers/<name>.yaml and <dir>/.lock"

# Nodes, as the node agent would have created them.
run create -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: my-node
  labels:
    rack: rack-1
spec:
  bgp:
    ipv4Address: 198.18.0.1/24
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node-1
spec:
  bgp:
    ipv4Address: 198.18.0.2/24
    ipv6Address: 2001:db8::2/64
EOF
expect 0 "Successfully created 2 'Node' resource(s)" "" "two nodes created"

# The guide's commands, as written (the route reflector cluster ID is
# empty in the guide's text; then the documented example value).
run patch node my-node -p '{"spec": {"bgp": {"routeReflectorClusterID": ""}}}'
expect 0 "Successfully patched 1 'Node' resource" "" \
    "guide: patch node routeReflectorClusterID as written"
run patch node my-node \
    -p '{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}'
expect 0 "Successfully patched 1 'Node' resource" "" \
    "guide: patch node routeReflectorClusterID 244.0.0.1"
run get node my-node -o yaml
ok $(echo "$OUT" | grep -q 'routeReflectorClusterID: 244.0.0.1' &&
    echo 0 || echo 1) "the cluster ID is stored"

run label node my-node route-reflector=true
expect 0 "Successfully set label route-reflector on node my-node" "" \
    "guide: label node my-node route-reflector=true"

run apply -f - <<'EOF'
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
EOF
expect 0 "Successfully applied 1 'BGPPeer' resource(s)" "" \
    "guide: peer-with-route-reflectors applied"

run patch bgpconfiguration default \
    -p '{"spec": {"nodeToNodeMeshEnabled": false}}'
expect 0 "BGPConfiguration default did not exist: created it from the patch
Successfully patched 1 'BGPConfiguration' resource" "" \
    "guide: disable the mesh creates the missing default BGPConfiguration"
run patch bgpconfiguration default -p '{"spec": {"asNumber": "64513"}}'
expect 0 "Successfully patched 1 'BGPConfiguration' resource" "" \
    "guide: change the default AS number"
run patch node node-1 -p '{"spec": {"bgp": {"asNumber": "64514"}}}'
expect 0 "Successfully patched 1 'Node' resource" "" \
    "guide: change the AS number of node-1"

run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: my-node-status
spec:
  classes:
    - Agent
    - BGP
    - Routes
  node: my-node
  updatePeriodSeconds: 10
EOF
expect 0 "Successfully applied 1 'CalicoNodeStatus' resource(s)" "" \
    "guide: CalicoNodeStatus applied"

# Tables: calicoctl's columns, tabwriter padding, a blank line after.
run get bgppeers
expect 0 "NAME                         PEERIP         NODE               ASN     
my-global-peer               192.20.30.40   (global)           64567   
peer-with-route-reflectors                  all()              0       
rack1-tor                    192.20.30.40   rack == 'rack-1'   64567   " "" \
    "get bgppeers: NAME PEERIP NODE ASN"
run get nodes
expect 0 "NAME      
my-node   
node-1    " "" "get nodes: NAME"
run get nodes -o wide
expect 0 "NAME      ASN       IPV4            IPV6             
my-node   (64513)   198.18.0.1/24                    
node-1    64514     198.18.0.2/24   2001:db8::2/64   " "" \
    "get nodes -o wide: inherited AS in parentheses"
run get bgpconfig
expect 0 "NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   
default                 false         64513      " "" \
    "get bgpconfig: NAME LOGSEVERITY MESHENABLED ASNUMBER"
run get nodestatus -o wide
expect 0 "NAME             NODE      CLASSES            
my-node-status   my-node   Agent,BGP,Routes   " "" \
    "get caliconodestatus -o wide: CLASSES"
run get BP rack1-tor my-global-peer
expect 0 "NAME        PEERIP         NODE               ASN     
rack1-tor   192.20.30.40   rack == 'rack-1'   64567   

NAME             PEERIP         NODE       ASN     
my-global-peer   192.20.30.40   (global)   64567   " "" \
    "get with names and a short kind: one table per name"
run get ippools
expect 0 "NAME   CIDR   SELECTOR   " "" "get of an empty kind: the header"

# get errors.
run get bgppeer nope rack1-tor
expect 1 "NAME        PEERIP         NODE               ASN     
rack1-tor   192.20.30.40   rack == 'rack-1'   64567   " \
    "resource does not exist: BGPPeer(nope) with error: <nil>" \
    "get of a missing name: the others printed, error, exit 1"
run get routers
expect 1 "" "resource type 'routers' is not supported" "get of an unknown kind"

# create / apply partial failures.
cat >"$W/two.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: my-global-peer
spec:
  peerIP: 192.20.30.40
  asNumber: 64567
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: second-peer
spec:
  peerIP: 192.20.30.41
  asNumber: 64568
EOF
run create -f "$W/two.yaml"
expect 1 "Partial success: created the first 1 out of 2 'BGPPeer' resources:" \
    "Hit error: [resource already exists: BGPPeer(my-global-peer)]" \
    "create: partial success"
run create -f "$W/two.yaml"
expect 1 "" "Failed to create any 'BGPPeer' resources: [resource already exists: BGPPeer(my-global-peer) resource already exists: BGPPeer(second-peer)]" \
    "create: all exist"
run create --skip-exists -f "$W/two.yaml"
expect 0 "Successfully created 2 'BGPPeer' resource(s)" "" \
    "create --skip-exists"
run apply -f "$W/two.yaml"
expect 0 "Successfully applied 2 'BGPPeer' resource(s)" "" \
    "apply: existing resources are updated"

# A file with an error applies nothing.
cat >"$W/bad.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: third-peer
spec:
  peerIP: 192.20.30.42
  asNumber: 64569
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: fourth-peer
spec:
  peerIP: 192.20.30.300
  asNumber: 64569
EOF
run apply -f "$W/bad.yaml"
ok $([ "$RC" = 1 ] && [ -z "$OUT" ] &&
    echo "$ERR" | grep -q "^Failed to execute command: $W/bad.yaml:14:11: BGPPeer fourth-peer: spec.peerIP" &&
    echo 0 || echo 1) "a validation error: FILE:LINE:COL, exit 1"
ok $([ ! -e "$DS/bgppeers/third-peer.yaml" ] && echo 0 || echo 1) \
    "the valid resource of that file was not applied"
run apply -f - <<'EOF'
kind: BGPPeer
metadata: [
EOF
ok $([ "$RC" = 1 ] && echo "$ERR" | grep -q '^Failed to execute command: <stdin>:3:1: ' &&
    echo 0 || echo 1) "a YAML syntax error on stdin"
run apply -f - </dev/null
expect 1 "" "No resources specified in file -" "empty input"
run apply -f "$W/missing.yaml"
expect 1 "" "Failed to execute command: open $W/missing.yaml: No such file or directory" \
    "missing input file"

# Mixed kinds, a <Kind>List.
run apply -f - <<'EOF'
apiVersion: projectcalico.org/v3
kind: IPPoolList
items:
- metadata:
    name: pool1
  spec:
    cidr: 198.19.0.0/16
    ipipMode: Always
    natOutgoing: true
- metadata:
    name: pool2
  spec:
    cidr: 198.20.0.0/16
---
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: export-pool1
spec:
  exportV4:
  - action: Accept
    matchOperator: In
    cidr: 198.19.0.0/16
EOF
expect 0 "Successfully applied 3 resource(s)" "" "a list and mixed kinds"
run get ippool -o wide
expect 0 "NAME    CIDR            NAT     IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ASSIGNMENTMODE   
pool1   198.19.0.0/16   true    Always     Never       false      false              all()      Automatic        
pool2   198.20.0.0/16   false   Never      Never       false      false              all()      Automatic        " "" \
    "get ippool -o wide"
run get bgpfilters
expect 0 "NAME           NUMEXPORTV4   NUMIMPORTV4   NUMEXPORTV6   NUMIMPORTV6   
export-pool1   1             0             0             0             " "" \
    "get bgpfilters"

# replace: resourceVersion conflicts, missing resources, whole spec.
run get bgppeer second-peer -o yaml
printf '%s\n' "$OUT" >"$W/second.yaml"
uid=$(grep 'uid:' "$W/second.yaml")
run replace -f "$W/second.yaml"
expect 0 "Successfully replaced 1 'BGPPeer' resource(s)" "" \
    "get -o yaml | replace: round trip with the current resourceVersion"
run replace -f "$W/second.yaml"
expect 1 "" "Failed to replace 'BGPPeer' resource: update conflict: BGPPeer(second-peer)" \
    "replace with a stale resourceVersion: update conflict"
grep -v resourceVersion "$W/second.yaml" | sed 's/asNumber: 64568/asNumber: 65000/' \
    >"$W/second2.yaml"
run replace -f "$W/second2.yaml"
expect 0 "Successfully replaced 1 'BGPPeer' resource(s)" "" \
    "replace without resourceVersion"
run get bgppeer second-peer -o yaml
ok $(echo "$OUT" | grep -q 'asNumber: 65000' &&
    [ "$(echo "$OUT" | grep 'uid:')" = "$uid" ] && echo 0 || echo 1) \
    "replace changed the spec and kept the uid"
sed 's/second-peer/ghost-peer/' "$W/second2.yaml" >"$W/ghost.yaml"
run replace -f "$W/ghost.yaml"
expect 1 "" "Failed to replace 'BGPPeer' resource: resource does not exist: BGPPeer(ghost-peer) with error: <nil>" \
    "replace of a missing resource"

# -o json round trip.
run get node node-1 -o json
printf '%s\n' "$OUT" >"$W/node1.json"
ok $(jq -e '.kind == "Node" and .spec.bgp.asNumber == 64514' \
    "$W/node1.json" >/dev/null && echo 0 || echo 1) "get -o json is JSON"
run apply -f "$W/node1.json"
expect 0 "Successfully applied 1 'Node' resource(s)" "" \
    "get -o json | apply: round trip"
run get bgppeers -o json
ok $(echo "$OUT" | jq -e '.kind == "BGPPeerList" and (.items | length) == 4 and
    .metadata.resourceVersion != null' >/dev/null && echo 0 || echo 1) \
    "get KIND -o json: a BGPPeerList"
run get bgppeers -o yaml
printf '%s\n' "$OUT" >"$W/peers.yaml"
run apply -f "$W/peers.yaml"
expect 0 "Successfully applied 4 'BGPPeer' resource(s)" "" \
    "get KIND -o yaml | apply: round trip of a list"
run get bgppeer rack1-tor second-peer -o yaml
printf '%s\n' "$OUT" >"$W/seq.yaml"
run apply -f "$W/seq.yaml"
expect 0 "Successfully applied 2 'BGPPeer' resource(s)" "" \
    "a sequence of named resources is accepted back as input"
run delete -f "$W/seq.yaml"
expect 1 "" "Failed to delete 'BGPPeer' resource: update conflict: BGPPeer(rack1-tor)
Failed to delete 'BGPPeer' resource: update conflict: BGPPeer(second-peer)" \
    "delete -f with stale resourceVersions: conflicts, nothing deleted"

# patch: validation failure changes nothing; identity is not patchable.
cp "$DS/nodes/my-node.yaml" "$W/before.yaml"
run patch node my-node -p '{"spec": {"bgp": {"asNumber": "not-a-number"}}}'
ok $([ "$RC" = 1 ] && [ -z "$OUT" ] && echo "$ERR" |
    grep -q "^Hit error: updating existing resource: patch:1:31: Node my-node: spec.bgp.asNumber" &&
    echo 0 || echo 1) "patch with an invalid result: error, exit 1"
ok $(cmp -s "$DS/nodes/my-node.yaml" "$W/before.yaml" && echo 0 || echo 1) \
    "the failed patch changed nothing"
run patch node my-node -p '{"metadata": {"name": "other"}}'
expect 1 "" "Hit error: updating existing resource: a patch cannot change kind, apiVersion or metadata.name" \
    "patch cannot rename"
run patch node my-node -p '[1, 2]'
expect 1 "" "Hit error: the patch must be a JSON object: not an object" \
    "patch must be an object"
run patch node ghost -p '{"spec": {}}'
expect 1 "" "Hit error: resource does not exist: Node(ghost) with error: <nil>" \
    "patch of a missing node"
run patch bgppeer rack1-tor -p '{"spec": {"nodeSelector": null, "node": "my-node"}}'
expect 0 "Successfully patched 1 'BGPPeer' resource" "" \
    "patch: null deletes a key (RFC 7386)"
run get bgppeer rack1-tor
expect 0 "NAME        PEERIP         NODE      ASN     
rack1-tor   192.20.30.40   my-node   64567   " "" "the patched peer"
run patch node my-node -p '{"spec": {}}' -t json
expect 1 "" "patch type 'json' is not supported (strategic and merge patches are RFC 7386 merge patches)" \
    "patch --type json is refused"

# label: add, same value, conflict, overwrite, remove.
run label node my-node route-reflector=false
expect 1 "" "failed to update label of node my-node, key route-reflector is already present. please use '--overwrite' to set a new value." \
    "label: a different value needs --overwrite"
run label node my-node route-reflector=true
expect 0 "Successfully updated label route-reflector on node my-node" "" \
    "label: the same value is accepted"
run label node my-node route-reflector=false --overwrite
expect 0 "Successfully updated label route-reflector on node my-node" "" \
    "label --overwrite"
run get node my-node -o yaml
ok $(echo "$OUT" | grep -q 'route-reflector: "false"' && echo 0 || echo 1) \
    "the label has its new value"
run label node my-node route-reflector --remove
expect 0 "Successfully removed label route-reflector from node my-node" "" \
    "label --remove"
run label node my-node route-reflector --remove
expect 1 "" "cannot remove label of node my-node, key route-reflector does not exist" \
    "label --remove of a missing key"
run label node my-node a=b=c
expect 1 "" "invalid label a=b=c" "label: invalid key=value"
run label node ghost a=b
expect 1 "" "failed to get node ghost, error resource does not exist: Node(ghost) with error: <nil>" \
    "label of a missing node"
run label bgppeers rack1-tor team=net
expect 0 "Successfully set label team on bgppeers rack1-tor" "" \
    "label another kind (plural name)"

# delete.
run delete bgppeer second-peer nope
expect 1 "Successfully deleted 1 'BGPPeer' resource(s)" \
    "Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(nope) with error: <nil>" \
    "delete: one deleted, one missing"
ok $([ ! -e "$DS/bgppeers/second-peer.yaml" ] && echo 0 || echo 1) \
    "the deleted resource's file is gone"
run delete bgppeer nope --skip-not-exists
expect 0 "Successfully deleted 1 'BGPPeer' resource(s)" "" \
    "delete --skip-not-exists"
run delete -f "$W/two.yaml"
expect 1 "Successfully deleted 1 'BGPPeer' resource(s)" \
    "Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(second-peer) with error: <nil>" \
    "delete -f: one deleted, one already gone"
run delete bgppeer ../../etc
expect 1 "" "Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(../../etc) with error: <nil>" \
    "delete: a name that is not a name"

# A damaged file in the datastore: reported, the rest listed.
printf 'kind: BGPPeer\nmetadata: {name: [\n' >"$DS/bgppeers/broken.yaml"
run get bgppeers
ok $([ "$RC" = 1 ] && echo "$OUT" | grep -q '^rack1-tor ' &&
    echo "$ERR" | grep -q "^$DS/bgppeers/broken.yaml:3:1: " && echo 0 ||
    echo 1) "get with a damaged file: the others listed, path:line:col"
rm -f "$DS/bgppeers/broken.yaml"

# -c: the datastore of a daemon config.
printf 'datastore:\n  type: file\n  path: %s\n' "$DS" >"$W/tortie.yaml"
"$T" -c "$W/tortie.yaml" get bgpconfig default -o yaml >"$W/out" 2>&1
ok $(grep -q 'asNumber: 64513' "$W/out" && echo 0 || echo 1) \
    "-c tortie.yaml selects the datastore"
"$T" -c "$W/nope.yaml" get nodes >"$W/out" 2>&1
ok $([ $? = 1 ] && grep -q 'nope.yaml' "$W/out" && echo 0 || echo 1) \
    "-c with a missing config file fails"
"$T" -D "$W/nodir" get nodes >"$W/out" 2>&1
ok $([ $? = 1 ] && grep -q "datastore directory $W/nodir" "$W/out" &&
    echo 0 || echo 1) "get on a missing datastore directory fails"

done_testing
