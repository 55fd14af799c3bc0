#!/bin/sh
# Prefix limit: a BGPPeer annotated tortie.io/max-prefix closes its session
# with Cease/Maximum Number of Prefixes Reached when the peer sends more;
# the mesh is not affected.  Without the annotation there is no limit.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 2 tor
lab_resources 2
lab_start 1 2
lab_wait_established 1 2 30
ok $? "node1: mesh Established"
LAB_TOR_STATIC=10
lab_tor_start

cat >"$LAB_DIR/peer.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor
  annotations:
    tortie.io/max-prefix: "5"
spec:
  peerIP: 198.18.0.254
  asNumber: 64567
  nodeSelector: kubernetes.io/hostname == 'node1' || rack == 'rack-1'
YAML
lab_tortiectl apply -f "$LAB_DIR/peer.yaml" >/dev/null
ok $? "BGPPeer with a limit of 5 prefixes applied"
lab_tortiectl plan --node node1 -o json | grep -q '"maxPrefix": 5'
ok $? "the plan carries the limit"

wait_for 20 sh -c "grep -q 'Maximum Number of Prefixes Reached' \
    '$LAB_DIR/node1.log'"
ok $? "node1 closes the ToR session: 11 prefixes over a limit of 5"
since_mesh=$(lab_ctl 1 show neighbors -o json | grep -c Established)
ok $([ "$since_mesh" -ge 2 ] && echo 0 || echo 1) \
    "node1's mesh sessions stay Established"
lab_ctl 1 show neighbors -o json | tr -d '\n ' | sed 's/},{/}\n{/g' |
    grep '"name":"Node_198_18_0_254"' | grep -q 'MaximumNumberofPrefixesReached'
ok $? "show neighbors says why the ToR session is down"

# Lift the limit: the session comes up and holds all 11 prefixes.
sed -i 's/"5"/"100"/' "$LAB_DIR/peer.yaml"
lab_tortiectl apply -f "$LAB_DIR/peer.yaml" >/dev/null
lab_wait_status 1 '198\.18\.0\.254 +\| (global|node specific) +\| up' 60
ok $? "with a limit of 100 the session comes up"
wait_for 10 sh -c "ip -n $LAB-n1 route show 198.18.137.0/24 | grep -q via"
ok $? "the ToR's 10th static prefix is installed on node1"
ip -n "$LAB-n1" route show 198.18.254.0/24 | grep -q 'via 198.18.0.254'
ok $? "and its own network"

done_testing
