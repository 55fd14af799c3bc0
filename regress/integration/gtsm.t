#!/bin/sh
# GTSM (RFC 5082) on tortied's listener.  A BGPPeer with ttlSecurity: 1
# accepts connections only from its own link: the SYN must arrive with
# TTL (hop limit) 255.  sessiond sets the session's minimum TTL once it
# has the connection, but the segments that came before (the SYN, maybe
# the OPEN) are checked by the parent from the SYN's header that the
# kernel kept: a connection from farther away is closed before any byte
# of ours is sent.  A peer on the switch (198.18.0.100, 2001:db8::100)
# dials node1 with TTL 64 and then 255, over IPv4 and IPv6; a peer
# without ttlSecurity (198.18.0.101) is accepted with TTL 64.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 1
PEER_NS=$(lab_ns peer)
sw=$(lab_ns sw)
ip netns add "$PEER_NS"
ip -n "$PEER_NS" link set lo up
ip -n "$PEER_NS" link add eth0 type veth peer name ppeer netns "$sw"
ip -n "$sw" link set ppeer master br0 up
ip -n "$PEER_NS" addr add 198.18.0.100/24 dev eth0
ip -n "$PEER_NS" addr add 198.18.0.101/24 dev eth0
ip -n "$PEER_NS" addr add 2001:db8::100/64 dev eth0 nodad
ip -n "$PEER_NS" link set eth0 up
lab_resources 1
cat >"$LAB_DIR/gtsm.yaml" <<'EOF2'
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: gtsm
spec:
  peerIP: 198.18.0.100
  asNumber: 65001
  ttlSecurity: 1
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: gtsm6
spec:
  peerIP: 2001:db8::100
  asNumber: 65001
  ttlSecurity: 1
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: plain
spec:
  peerIP: 198.18.0.101
  asNumber: 65002
EOF2
lab_tortiectl apply -f "$LAB_DIR/gtsm.yaml" >/dev/null
ok $? "BGPPeers with and without ttlSecurity applied"
lab_start 1

# dial SRC DST TTL: connect from SRC to DST port 179 with TTL (hop limit)
# TTL and say what came back: "open" (a BGP OPEN), "closed N" (closed
# after N octets), "reset", or "timeout N".
cat >"$LAB_DIR/dial.py" <<'EOF2'
import socket, sys
src, dst, ttl = sys.argv[1], sys.argv[2], int(sys.argv[3])
v6 = ":" in dst
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
if v6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
else:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
s.bind((src, 0))
s.settimeout(5)
data = b""
try:
    s.connect((dst, 179))
    while len(data) < 19:
        b = s.recv(4096)
        if not b:
            print("closed %d" % len(data))
            sys.exit(0)
        data += b
    print("open" if data[:16] == b"\xff" * 16 and data[18] == 1 else
          "other")
except socket.timeout:
    print("timeout %d" % len(data))
except ConnectionResetError:
    print("reset")
EOF2
dial() {
	ip netns exec "$PEER_NS" python3 "$LAB_DIR/dial.py" "$@" 2>&1
}

wait_for 20 sh -c "ip netns exec '$(lab_ns n1)' ss -ltn | grep -q ':179 '"
ok $? "node1 listens on port 179"

r=$(dial 198.18.0.100 198.18.0.1 64)
case $r in
"closed 0"|reset) ok 0 "ttlSecurity 1, SYN with TTL 64: closed at once ($r)" ;;
*) ok 1 "ttlSecurity 1, SYN with TTL 64: closed at once (got: $r)" ;;
esac
grep -q 'connection from 198.18.0.100: TTL 64, below the 255 that ttlSecurity 1 allows, closed' \
    "$LAB_DIR/node1.log"
ok $? "node1 logs the refused connection with its TTL"
is "$(dial 198.18.0.100 198.18.0.1 255)" open \
    "ttlSecurity 1, SYN with TTL 255: node1 answers with its OPEN"
r=$(dial 2001:db8::100 2001:db8::1 64)
case $r in
"closed 0"|reset) ok 0 "IPv6, hop limit 64: closed at once ($r)" ;;
*) ok 1 "IPv6, hop limit 64: closed at once (got: $r)" ;;
esac
is "$(dial 2001:db8::100 2001:db8::1 255)" open \
    "IPv6, hop limit 255: node1 answers with its OPEN"
is "$(dial 198.18.0.101 198.18.0.1 64)" open \
    "no ttlSecurity: TTL 64 is accepted"
kill -0 "$(cat "$LAB_DIR/node1.pid")"
ok $? "tortied still runs"

done_testing
