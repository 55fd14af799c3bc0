#!/bin/sh
# Three tortie nodes with the default node-to-node mesh reach Established
# with each other; node status shows the mesh in calicoctl's layout; a
# reload that changes nothing keeps every session up.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 3
lab_resources 3
lab_start 1 2 3

for i in 1 2 3; do
	lab_wait_established "$i" 2 30
	ok $? "node$i: 2 mesh sessions Established"
done

out=$(lab_ctl 1 node status)
echo "$out" | sed 's/^/# /'
echo "$out" | head -1 | grep -qx 'tortie process is running.'
ok $? "node status: running"
echo "$out" | grep -Eq '^\| 198\.18\.0\.2 +\| node-to-node mesh \| up +\| [0-9:]{8} \| Established +\|$'
ok $? "node status: node2 in the mesh, up"
echo "$out" | grep -Eq '^\| 198\.18\.0\.3 +\| node-to-node mesh \| up '
ok $? "node status: node3 in the mesh, up"

# Plan as the daemon sees it.
lab_tortiectl plan --node node1 -o json >"$LAB_DIR/plan.json"
grep -q '"name": "Mesh_198_18_0_2"' "$LAB_DIR/plan.json"
ok $? "plan lists Mesh_198_18_0_2"

touched() {
	grep -cE 'session .*(added to group|removed|configuration changed)' \
	    "$LAB_DIR/node1.log"
}
up_before=$(lab_ctl 1 show neighbors -o json | grep -c Established)
n_before=$(touched)
lab_ctl 1 reload >/dev/null
sleep 1
up_after=$(lab_ctl 1 show neighbors -o json | grep -c Established)
is "$up_after" "$up_before" "reload without changes keeps sessions"
is "$(touched)" "$n_before" "reload without changes touches no session"

# A change to one peer resets only that peer's sessions.
since_of() {
	lab_ctl 1 show neighbors -o json | tr -d '\n ' |
	    sed 's/},{/}\n{/g' | grep "\"name\":\"$1\"" |
	    sed 's/.*"since":"\([^"]*\)".*/\1/'
}
before2=$(since_of Mesh_198_18_0_2)
sleep 1
lab_tortiectl patch node node3 -p '{"spec": {"bgp": {"asNumber": "64513"}}}' \
    >/dev/null
wait_for 10 sh -c "grep -q 'Mesh_198_18_0_3: configuration changed' \
    '$LAB_DIR/node1.log'"
ok $? "node1 resets its session to node3 after node3's AS changed"
lab_wait_established 1 4 30
ok $? "node1: all sessions Established again (node3 now eBGP)"
after2=$(since_of Mesh_198_18_0_2)
is "$after2" "$before2" "node1's session to node2 was not touched"
lab_ctl 1 show neighbors -o json | grep -q '"peerAS": 64513'
ok $? "node1 sees node3 with AS 64513"

# A node that stops: its peers say why, and take it back when it returns.
lab_stop 3
wait_for 10 sh -c "lab_ctl() { \"$TOP/ctl/tortiectl\" -s \"$LAB_DIR/node\$1.sock\" node status; }; lab_ctl 1 | grep -Eq '198.18.0.3 +\\| node-to-node mesh \\| start \\| [0-9:]+ \\| [A-Z][a-z]+ [A-Z]'"
ok $? "node1: node3 down, INFO says why"
lab_start 3
lab_wait_established 1 4 30
ok $? "node1: node3 back after its restart"

done_testing
