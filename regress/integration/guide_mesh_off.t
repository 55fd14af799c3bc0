#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "Disable the default BGP
# node-to-node mesh", with nothing to replace it: `tortiectl --dry-run`
# warns that every node is cut off and changes nothing; the guide's patch
# then makes every node keep its mesh sessions (and routes) for
# migrationWaitSeconds, in case replacements come, and drop them after:
# the blocks leave the kernels and pods stop reaching each other, as the
# guide warns.  Turning the mesh back on restores everything.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

N=3
WAIT=6
LAB_MIGRATION_WAIT=$WAIT
lab_init
lab_up $N
lab_resources $N
lab_start 1 2 3

MESHOFF='{"spec": {"nodeToNodeMeshEnabled": false}}'

# draining I: node I's sessions that are draining, as "name state".
draining() {
	lab_ctl "$1" show neighbors -o json |
	    jq -r '.[] | select(.draining) | "\(.name) \(.state)"' |
	    LC_ALL=C sort
}

neighbors_digest() {
	for i in $(seq $N); do
		lab_ctl $i show neighbors -o json |
		    jq -r '.[] | "\(.name) \(.since) \(.draining)"'
	done
}

dssum() {
	(cd "$LAB_DS" && find . -type f | LC_ALL=C sort | xargs cat) |
	    sha256sum
}

for i in $(seq $N); do
	lab_wait_sessions $i "$(lab_mesh $i)" 30
	ok $? "node$i: the default mesh"
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3)" 20
	ok $? "node$i: the other nodes' blocks"
done
wait_for 5 lab_exec w1 ping -c 1 -W 1 198.19.2.2
ok $? "pod on node1 reaches pod on node2"

# Know before you apply.
before=$(neighbors_digest)
sum=$(dssum)
lab_tortiectl patch bgpconfiguration default -p "$MESHOFF" --dry-run \
    >"$LAB_DIR/dry.out" 2>"$LAB_DIR/dry.err"
is "$?" 0 "dry run of the guide's patch: exit 0"
sed 's/^/# /' "$LAB_DIR/dry.err"
for i in 1 2 3; do
	others=$(seq $N | grep -vx $i | sed 's/^/node/' | paste -sd, - |
	    sed 's/,/, /g')
	grep -Fxq "WARNING: node$i would have no session carrying the blocks of $others (pod networking between them breaks)" \
	    "$LAB_DIR/dry.err"
	ok $? "dry run warns: node$i cut off from $others"
	grep -Fxq "node$i: -Mesh_198_18_0_$((i % N + 1))" "$LAB_DIR/dry.out"
	ok $? "dry run: node$i loses Mesh_198_18_0_$((i % N + 1))"
done
is "$(dssum)" "$sum" "dry run: the datastore is unchanged"
sleep 1
is "$(neighbors_digest)" "$before" "dry run: no node touched a session"

# The guide's patch.
lab_tortiectl patch bgpconfiguration default -p "$MESHOFF" >/dev/null
ok $? "the mesh disabled"
for i in $(seq $N); do
	lab_wait_text "node$i's draining sessions" "$(lab_mesh $i |
	    awk '{ print $1, "Established" }')" 10 draining $i
	ok $? "node$i: the mesh sessions are kept, draining, for now"
done
start=$(date +%s)
for i in $(seq $N); do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3)" 1
	ok $? "node$i: the blocks stay while the sessions drain"
done
lab_exec w1 ping -c 1 -W 1 198.19.2.2 >/dev/null
ok $? "pod on node1 still reaches pod on node2 while they drain"

for i in $(seq $N); do
	lab_wait_sessions $i "" $((WAIT + 10))
	ok $? "node$i: no session left"
done
took=$(($(date +%s) - start))
diag "sessions removed about $took s after draining began (wait $WAIT s)"
[ "$took" -ge $((WAIT - 2)) ]
ok $? "the sessions were kept for the migration wait"
for i in $(seq $N); do
	lab_wait_routes "n$i" "blackhole 198.19.$i.0/26" 10
	ok $? "node$i: only its own blackhole left"
done
lab_exec w1 ping -c 2 -W 1 198.19.2.2 >/dev/null
[ $? -ne 0 ]
ok $? "pod on node1 no longer reaches pod on node2 (the guide's warning)"

out=$(lab_ctl 1 node status)
printf '%s\n' "$out" | sed 's/^/# /'
is "$out" "tortie process is running.

IPv4 BGP status
No IPv4 peers found.

IPv6 BGP status
No IPv6 peers found." "node status: no peers in either family"

# And back.
lab_tortiectl patch bgpconfiguration default \
    -p '{"spec": {"nodeToNodeMeshEnabled": true}}' --dry-run \
    >/dev/null 2>"$LAB_DIR/dry.err"
is "$(cat "$LAB_DIR/dry.err")" "" "dry run of mesh on: no warning"
lab_tortiectl patch bgpconfiguration default \
    -p '{"spec": {"nodeToNodeMeshEnabled": true}}' >/dev/null
ok $? "the mesh enabled again"
for i in $(seq $N); do
	lab_wait_sessions $i "$(lab_mesh $i)" 30
	ok $? "node$i: the mesh is back"
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3)" 20
	ok $? "node$i: the blocks are back"
done
wait_for 5 lab_exec w1 ping -c 1 -W 1 198.19.2.2
ok $? "pod on node1 reaches pod on node2 again"

# nodes I: node I's node-specific sessions with the other nodes.
nodes() {
	for j in $(seq $N); do
		[ "$j" = "$1" ] && continue
		echo "Node_198_18_0_$j node specific Established 64512"
		echo "Node_2001_db8__$j node specific Established 64512"
	done
}

cat >"$LAB_DIR/replace.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: all-nodes
spec:
  nodeSelector: all()
  peerSelector: all()
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
YAML
lab_tortiectl apply -f "$LAB_DIR/replace.yaml" --dry-run \
    >/dev/null 2>"$LAB_DIR/dry.err"
is "$(cat "$LAB_DIR/dry.err")" "" "dry run of the mesh replaced: no warning"
# Simple commands, so that $! is ping itself.
ip netns exec "$(lab_ns w1)" ping -i 0.01 -c 800 -W 1 198.19.3.2 \
    >"$LAB_DIR/ping13.txt" 2>&1 &
p13=$!
ip netns exec "$(lab_ns w2)" ping -i 0.01 -c 800 -W 1 198.19.1.2 \
    >"$LAB_DIR/ping21.txt" 2>&1 &
p21=$!
sleep 1
lab_tortiectl apply -f "$LAB_DIR/replace.yaml" >/dev/null
ok $? "BGPPeer all-nodes and the mesh off, in one apply"
for i in $(seq $N); do
	lab_wait_sessions $i "$(nodes $i)" $((WAIT + 10))
	ok $? "node$i: node-specific sessions with every node, no mesh"
done
wait "$p13" "$p21"
for f in 13 21; do
	loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping$f.txt")
	diag "ping node${f%?} -> node${f#?} at 10 ms while the mesh was replaced: $loss"
	is "$loss" "0% packet loss" \
	    "no packet lost from node${f%?} to node${f#?} while the mesh was replaced"
done
for i in $(seq $N); do
	lab_wait_routes "n$i" "$(lab_blocks $i 1 2 3)" 10
	ok $? "node$i: the other nodes' blocks, through the new sessions"
done
# The BGPPeer's session to a node is the mesh session to the same
# address and port: it is handed over, not replaced (a second session to
# the same address would collide with the first).
for i in $(seq $N); do
	h=$(grep -c 'handed over to Node_' "$LAB_DIR/node$i.log")
	k=$(grep -c 'configuration changed, session kept' "$LAB_DIR/node$i.log")
	r=$(grep 'session Node_' "$LAB_DIR/node$i.log" |
	    grep -c -e 'reset' -e 'Established ->')
	is "$h $k $r" "$(((N - 1) * 2)) $(((N - 1) * 2)) 0" \
	    "node$i: every mesh session handed over and kept, none reset"
done

done_testing
