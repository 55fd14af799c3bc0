#!/bin/sh
# Calico's guide "Configure BGP peering", how-to "View BGP peering status
# for a node": `tortiectl node status` on two nodes, byte for byte in the
# layout of INTERFACES.md (calicoctl's: header line, one table per family
# with centred headers, "No IPv6 peers found." when there are none), with
# the INFO texts of sessions that are down: a ToR that is not running
# (Socket: Connection refused), a ToR that refuses our AS (Received: Bad
# Peer AS), a BGPPeer with the wrong AS (BGP Error: Bad Peer AS); and
# "tortie process is not running." with exit 1 once the daemon is gone.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

# Sessions removed with no replacement drain only briefly.
LAB_MIGRATION_WAIT=2
lab_init
lab_up 2 tor
lab_resources 2
lab_start 1 2

# status I: node I's status, with the SINCE column masked.
status() {
	lab_ctl "$1" node status |
	    sed -E 's/\| [0-9]{2}:[0-9]{2}:[0-9]{2} \|/| HH:MM:SS |/'
}

# status_is I EXPECTED SECONDS DESCRIPTION: node I's (masked) status is
# EXPECTED byte for byte, within SECONDS.
status_is() {
	printf '%s\n' "$2" >"$LAB_DIR/status.expected"
	_s=$(($3 * 10))
	while :; do
		status "$1" >"$LAB_DIR/status.got"
		cmp -s "$LAB_DIR/status.expected" "$LAB_DIR/status.got" && break
		[ "$_s" -le 0 ] && break
		sleep 0.1
		_s=$((_s - 1))
	done
	cmp -s "$LAB_DIR/status.expected" "$LAB_DIR/status.got"
	ok $? "$4"
	if ! cmp -s "$LAB_DIR/status.expected" "$LAB_DIR/status.got"; then
		diag "expected (-) and got (+):"
		diff -u "$LAB_DIR/status.expected" "$LAB_DIR/status.got" |
		    tail -n +3 | sed 's/^/#   /'
	fi
}

B4='+--------------+-------------------+-------+----------+-------------+'
H4='| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |'

status_is 1 "tortie process is running.

IPv4 BGP status
$B4
$H4
$B4
| 198.18.0.2   | node-to-node mesh | up    | HH:MM:SS | Established |
$B4

IPv6 BGP status
$B4
$H4
$B4
| 2001:db8::2  | node-to-node mesh | up    | HH:MM:SS | Established |
$B4" 30 "node1, mesh: both tables, exactly"
since=$(lab_ctl 1 show neighbors -o json |
    jq -r '.[] | select(.name == "Mesh_198_18_0_2") | .since')
lab_ctl 1 node status | grep -Fq "| $(date -d "$since" +%H:%M:%S) |"
ok $? "node1: SINCE is the session's since ($since) in local time"

# A global peer to the ToR, which is not running yet.
lab_global_peer
ok $? "global BGPPeer to the ToR applied"
B='+--------------+-------------------+-------+----------+-----------------------------------+'
status_is 1 "tortie process is running.

IPv4 BGP status
$B
| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |               INFO                |
$B
| 198.18.0.254 | global            | start | HH:MM:SS | Active Socket: Connection refused |
| 198.18.0.2   | node-to-node mesh | up    | HH:MM:SS | Established                       |
$B

IPv6 BGP status
$B4
$H4
$B4
| 2001:db8::2  | node-to-node mesh | up    | HH:MM:SS | Established |
$B4" 20 "node1: the ToR down, 'Active Socket: Connection refused'"

# The ToR runs, but expects node1 in another AS.
LAB_NODE_AS_1=64999
lab_tor_start
lab_wait_status 2 '^\| 198\.18\.0\.254 +\| global +\| up ' 30
ok $? "node2: the ToR up"
B='+--------------+-------------------+-------+----------+----------------------------+'
status_is 1 "tortie process is running.

IPv4 BGP status
$B
| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |            INFO            |
$B
| 198.18.0.254 | global            | start | HH:MM:SS | Idle Received: Bad Peer AS |
| 198.18.0.2   | node-to-node mesh | up    | HH:MM:SS | Established                |
$B

IPv6 BGP status
$B4
$H4
$B4
| 2001:db8::2  | node-to-node mesh | up    | HH:MM:SS | Established |
$B4" 20 "node1: refused by the ToR, 'Idle Received: Bad Peer AS'"

# A node-specific peer with the wrong AS: node2 refuses the ToR.  The
# global peer goes first, on its own: otherwise its session would be
# handed over to the node-specific one (same address) and reset there,
# which is not what this test is about.
lab_tortiectl delete bgppeer my-global-peer >/dev/null
ok $? "global BGPPeer deleted"
lab_wait_status 2 '^IPv4 BGP status$' 5 &&
    wait_for 20 sh -c "! '$TOP/ctl/tortiectl' -s '$LAB_DIR/node2.sock' \
    node status | grep -q '198\.18\.0\.254'"
ok $? "node2: the ToR's row gone"
cat >"$LAB_DIR/node2-tor.yaml" <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: node2-tor
spec:
  node: node2
  peerIP: 198.18.0.254
  asNumber: 64999
YAML
lab_tortiectl apply -f "$LAB_DIR/node2-tor.yaml" >/dev/null
ok $? "node-specific BGPPeer for node2, with the wrong AS, applied"
B='+--------------+-------------------+-------+----------+-----------------------------+'
status_is 2 "tortie process is running.

IPv4 BGP status
$B
| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |            INFO             |
$B
| 198.18.0.1   | node-to-node mesh | up    | HH:MM:SS | Established                 |
| 198.18.0.254 | node specific     | start | HH:MM:SS | Idle BGP Error: Bad Peer AS |
$B

IPv6 BGP status
$B4
$H4
$B4
| 2001:db8::1  | node-to-node mesh | up    | HH:MM:SS | Established |
$B4" 20 "node2: the ToR's AS is not the BGPPeer's, 'Idle BGP Error: Bad Peer AS'"
lab_tortiectl patch bgppeer node2-tor -p '{"spec": {"asNumber": 64567}}' \
    >/dev/null
ok $? "node2-tor's AS corrected"
status_is 2 "tortie process is running.

IPv4 BGP status
$B4
$H4
$B4
| 198.18.0.1   | node-to-node mesh | up    | HH:MM:SS | Established |
| 198.18.0.254 | node specific     | up    | HH:MM:SS | Established |
$B4

IPv6 BGP status
$B4
$H4
$B4
| 2001:db8::1  | node-to-node mesh | up    | HH:MM:SS | Established |
$B4" 20 "node2: the ToR up as a node specific peer"

# IPv4 only: no IPv6 peers.
for i in 1 2; do
	lab_tortiectl patch node node$i \
	    -p '{"spec": {"bgp": {"ipv6Address": null}}}' >/dev/null
	ok $? "node$i: IPv6 address removed"
done
status_is 1 "tortie process is running.

IPv4 BGP status
$B4
$H4
$B4
| 198.18.0.2   | node-to-node mesh | up    | HH:MM:SS | Established |
$B4

IPv6 BGP status
No IPv6 peers found." 30 "node1, IPv4 only: 'No IPv6 peers found.'"

lab_stop 1
out=$(lab_ctl 1 node status 2>&1)
rc=$?
is "$out" "tortie process is not running." "node1 stopped: not running"
is "$rc" 1 "node1 stopped: exit 1"

done_testing
