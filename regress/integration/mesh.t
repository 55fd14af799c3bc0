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

up_before=$(lab_ctl 1 show neighbors -o json | grep -c Established)
lab_ctl 1 reload >/dev/null
sleep 1
up_after=$(lab_ctl 1 show neighbors -o json | grep -c Established)
is "$up_after" "$up_before" "reload without changes keeps sessions"
grep -q '0 session change' "$LAB_DIR/node1.log"
ok $? "reload without changes touches no session"

done_testing
