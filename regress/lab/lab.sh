# tortie lab: N nodes in network namespaces on one switch, each with a
# workload namespace joined by a veth pair (as Calico's cali* interfaces),
# an optional BIRD ToR router, one shared file datastore and one tortied
# per node.  Sourced by the integration tests and the demo:
#
#	. regress/lab/lab.sh
#	lab_init			# names, work directory, cleanup trap
#	lab_up 3 [tor]			# namespaces, links, addresses
#	lab_resources 3			# Nodes, IPPool, BlockAffinities
#	lab_start 1 2 3			# tortied on those nodes
#	lab_ctl 1 node status		# tortiectl against node1
#	lab_tortiectl apply -f x.yaml	# resource verbs on the datastore
#	lab_down			# also on exit, error or Ctrl-C
#
# With lab_etcd_up after lab_up, the datastore is a 3-member etcd cluster
# with client TLS (regress/lib/etcd.sh) in the lab namespace "etcd" on the
# switch, 198.18.0.201-203, instead of the shared directory: every
# node's tortie.yaml and lab_tortiectl use it.
#
# Addresses (INTERFACES.md): node i 198.18.0.i/24 and 2001:db8::i/64 on
# the switch, its block 198.19.i.0/26 (workload 198.19.i.2) and
# 2001:db8:1:i::/122; the ToR 198.18.0.254, AS 64567, with its own prefix
# 198.18.254.0/24 on a loopback-like bridge.  The lab never links to the
# host's namespace: every veth has both ends inside lab namespaces.

LAB_TOP=${LAB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB_N=0
LAB_TOR=0

lab_init() {
	LAB=${LAB:-tl$$}
	LAB_DIR=${LAB_DIR:-$(mktemp -d "/tmp/tortie-lab.$LAB.XXXXXX")}
	LAB_DS=$LAB_DIR/ds
	mkdir -p "$LAB_DS"
	getent passwd _tortie >/dev/null 2>&1 ||
	    useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin _tortie
	trap 'lab_down' EXIT
	trap 'lab_down; exit 130' INT TERM
}

lab_ns() { echo "$LAB-$1"; }

lab_exec() {
	_n=$1
	shift
	ip netns exec "$(lab_ns "$_n")" "$@"
}

# lab_up N [tor]
lab_up() {
	LAB_N=$1
	[ "${2:-}" = tor ] && LAB_TOR=1
	sw=$(lab_ns sw)
	ip netns add "$sw"
	ip -n "$sw" link set lo up
	ip -n "$sw" link add br0 type bridge
	ip -n "$sw" link set br0 up
	i=1
	while [ "$i" -le "$LAB_N" ]; do
		lab_node_up "$i"
		i=$((i + 1))
	done
	[ "$LAB_TOR" = 1 ] && lab_tor_up
	return 0
}

lab_node_up() {
	i=$1
	ns=$(lab_ns "n$i")
	wl=$(lab_ns "w$i")
	sw=$(lab_ns sw)
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
	# Uplink to the switch.
	ip -n "$ns" link add eth0 type veth peer name "p$i" netns "$sw"
	ip -n "$sw" link set "p$i" master br0 up
	ip -n "$ns" addr add "198.18.0.$i/24" dev eth0
	ip -n "$ns" addr add "2001:db8::$i/64" dev eth0 nodad
	ip -n "$ns" link set eth0 up
	# The workload, Calico style: a /32 route to it over cali$i, proxy
	# ARP on the node side, 169.254.1.1 as the workload's gateway.
	ip netns add "$wl"
	ip -n "$wl" link set lo up
	ip -n "$ns" link add "cali$i" type veth peer name eth0 netns "$wl"
	ip -n "$ns" link set "cali$i" up
	ip netns exec "$ns" sysctl -qw "net.ipv4.conf.cali$i.proxy_arp=1"
	ip -n "$wl" addr add "198.19.$i.2/32" dev eth0
	ip -n "$wl" link set eth0 up
	ip -n "$wl" route add 169.254.1.1 dev eth0
	ip -n "$wl" route add default via 169.254.1.1
	ip -n "$ns" route add "198.19.$i.2/32" dev "cali$i"
	# Proxy ARP answers for 169.254.1.1 only if the node routes it out
	# of another interface (on a real node, the default route does).
	ip -n "$ns" route add 169.254.1.1/32 dev eth0
}

lab_tor_up() {
	ns=$(lab_ns tor)
	sw=$(lab_ns sw)
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$ns" link add eth0 type veth peer name ptor netns "$sw"
	ip -n "$sw" link set ptor master br0 up
	ip -n "$ns" addr add 198.18.0.254/24 dev eth0
	ip -n "$ns" addr add 2001:db8::254/64 dev eth0 nodad
	ip -n "$ns" link set eth0 up
	# The ToR's own network, on a bridge with no ports.
	ip -n "$ns" link add tor0 type bridge
	ip -n "$ns" addr add 198.18.254.1/24 dev tor0
	ip -n "$ns" link set tor0 up
}

# BIRD 2 on the ToR: eBGP AS 64567 (LAB_TOR_AS) to every node, exporting
# its own network and importing everything.
lab_tor_conf() {
	conf=$LAB_DIR/tor-bird.conf
	{
		echo "router id 198.18.0.254;"
		echo "log \"$LAB_DIR/tor-bird.log\" all;"
		echo "protocol device { }"
		echo "protocol direct { ipv4; interface \"tor0\"; }"
		# LAB_TOR_STATIC=N: N more /24s (198.18.128.0/24 up) to export.
		if [ "${LAB_TOR_STATIC:-0}" -gt 0 ]; then
			echo "protocol static { ipv4;"
			k=0
			while [ "$k" -lt "$LAB_TOR_STATIC" ]; do
				echo "  route 198.18.$((128 + k)).0/24 blackhole;"
				k=$((k + 1))
			done
			echo "}"
		fi
		echo "protocol kernel { ipv4 { export all; }; }"
		i=1
		while [ "$i" -le "$LAB_N" ]; do
			echo "protocol bgp node$i {"
			echo "  local 198.18.0.254 as ${LAB_TOR_AS:-64567};"
			eval "as=\${LAB_NODE_AS_$i:-\${LAB_NODE_AS:-64512}}"
			echo "  neighbor 198.18.0.$i as $as;"
			# A neighbour on the switch, for iBGP (LAB_TOR_AS
			# 64512) too: next hops resolve without an IGP.
			echo "  direct;"
			# Tests make sessions fail on purpose: retry within
			# seconds, not BIRD's default minute.
			echo "  error wait time 1, 5;"
			echo "  ipv4 { import all; export all; };"
			echo "}"
			i=$((i + 1))
		done
	} >"$conf"
}

# The node ASes the ToR expects: LAB_NODE_AS, or LAB_NODE_AS_<i> per node.
lab_tor_start() {
	lab_tor_conf
	lab_exec tor bird -c "$LAB_DIR/tor-bird.conf" \
	    -s "$LAB_DIR/tor-bird.ctl" -P "$LAB_DIR/tor-bird.pid"
}

lab_tor_reconfigure() {
	lab_tor_conf
	lab_birdc configure >/dev/null
}

# lab_wait_status I PATTERN SECONDS: node status of node I matches.
lab_wait_status() {
	t=$(($3 * 10))
	while [ "$t" -gt 0 ]; do
		lab_ctl "$1" node status 2>/dev/null | grep -Eq "$2" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

lab_birdc() {
	lab_exec tor birdc -s "$LAB_DIR/tor-bird.ctl" "$@"
}

# Nodes, the IP pool and each node's block in the datastore.
lab_resources() {
	n=$1
	f=$LAB_DIR/base.yaml
	{
		cat <<-EOF
		apiVersion: projectcalico.org/v3
		kind: IPPool
		metadata:
		  name: default-ipv4-ippool
		spec:
		  cidr: 198.19.0.0/16
		  blockSize: 26
		  ipipMode: Never
		  vxlanMode: Never
		  natOutgoing: false
		EOF
		i=1
		while [ "$i" -le "$n" ]; do
			rack=$(( (i + 1) / 2 ))
			cat <<-EOF
			---
			apiVersion: projectcalico.org/v3
			kind: Node
			metadata:
			  name: node$i
			  labels:
			    rack: rack-$rack
			spec:
			  bgp:
			    ipv4Address: 198.18.0.$i/24
			    ipv6Address: 2001:db8::$i/64
			---
			apiVersion: projectcalico.org/v3
			kind: BlockAffinity
			metadata:
			  name: node$i-198-19-$i-0-26
			spec:
			  node: node$i
			  cidr: 198.19.$i.0/26
			  state: confirmed
			EOF
			i=$((i + 1))
		done
	} >"$f"
	lab_tortiectl apply -f "$f" >/dev/null
}

lab_tortiectl() {
	if [ -n "${LAB_ETCD:-}" ]; then
		lab_exec etcd "$LAB_TOP/ctl/tortiectl" -c "$LAB_DIR/etcd.yaml" \
		    "$@"
		return
	fi
	"$LAB_TOP/ctl/tortiectl" -D "$LAB_DS" "$@"
}

# The datastore section of tortie.yaml: the directory, or etcd.
lab_ds_conf() {
	if [ -z "${LAB_ETCD:-}" ]; then
		printf 'datastore:\n  type: file\n  path: %s\n' "$LAB_DS"
		return
	fi
	printf 'datastore:\n  type: etcdv3\n  endpoints: [%s]\n' "$ETCD_EPS"
	printf '  caFile: %s\n  certFile: %s\n  keyFile: %s\n' \
	    "$ETCD_P/ca.pem" "$ETCD_P/client.pem" "$ETCD_P/client-key.pem"
}

# lab_etcd_up: the etcd cluster on the switch; fails if it does not come
# up.  The client certificate and key are root's, mode 0600.
# LAB_ETCD_SANS: more subjectAltNames for the server certificate.
lab_etcd_up() {
	ns=$(lab_ns etcd)
	sw=$(lab_ns sw)
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add eth0 type veth peer name petcd netns "$sw"
	ip -n "$sw" link set petcd master br0 up
	for m in 1 2 3; do
		ip -n "$ns" addr add "198.18.0.20$m/24" dev eth0
	done
	ip -n "$ns" link set eth0 up
	ETCD_NS=$ns
	ETCD_DIR=$LAB_DIR/etcd
	ETCD_BASE=198.18.0.20
	mkdir -p "$ETCD_DIR"
	. "$LAB_TOP/regress/lib/etcd.sh"
	etcd_pki "${LAB_ETCD_SANS:-}" || return 1
	chmod 600 "$ETCD_P/client.pem" "$ETCD_P/client-key.pem"
	LAB_ETCD=1
	{ echo "nodeName: ctl"; lab_ds_conf; } >"$LAB_DIR/etcd.yaml"
	etcd_up
}

lab_conf() {
	i=$1
	{ echo "nodeName: node$i"; lab_ds_conf; } >"$LAB_DIR/node$i.yaml"
	cat >>"$LAB_DIR/node$i.yaml" <<-EOF
	controlSocket: $LAB_DIR/node$i.sock
	kernel:
	  install: true
	EOF
	# How long sessions a change removes may wait for their replacements.
	if [ -n "${LAB_MIGRATION_WAIT:-}" ]; then
		echo "migrationWaitSeconds: $LAB_MIGRATION_WAIT" \
		    >>"$LAB_DIR/node$i.yaml"
	fi
}

# lab_start I...: tortied on each node, in the foreground (-d) so that
# its log lands in the lab directory; waits for its control socket.
lab_start() {
	for i in "$@"; do
		lab_conf "$i"
		# A simple command, so that $! is tortied itself (ip netns
		# exec execs it), not a subshell.
		# LAB_WRAP (regress/valgrind.sh): a command line in front.
		ip netns exec "$(lab_ns "n$i")" ${LAB_WRAP:-} \
		    "$LAB_TOP/bgpd/tortied" -d -f "$LAB_DIR/node$i.yaml" \
		    >>"$LAB_DIR/node$i.log" 2>&1 &
		echo $! >"$LAB_DIR/node$i.pid"
	done
	for i in "$@"; do
		t=50
		[ -n "${LAB_WRAP:-}" ] && t=300
		while [ "$t" -gt 0 ] && [ ! -S "$LAB_DIR/node$i.sock" ]; do
			sleep 0.1
			t=$((t - 1))
		done
	done
}

lab_stop() {
	for i in "$@"; do
		[ -f "$LAB_DIR/node$i.pid" ] || continue
		kill -TERM "$(cat "$LAB_DIR/node$i.pid")" 2>/dev/null
		t=50
		while [ "$t" -gt 0 ] &&
		    kill -0 "$(cat "$LAB_DIR/node$i.pid")" 2>/dev/null; do
			sleep 0.1
			t=$((t - 1))
		done
		rm -f "$LAB_DIR/node$i.pid"
	done
}

lab_ctl() {
	i=$1
	shift
	"$LAB_TOP/ctl/tortiectl" -s "$LAB_DIR/node$i.sock" "$@"
}

# Number of Established sessions on node i.
lab_established() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    grep -c '"state": "Established"'
}

# lab_wait_established I N SECONDS
lab_wait_established() {
	t=$(($3 * 10))
	while [ "$t" -gt 0 ]; do
		[ "$(lab_established "$1")" -ge "$2" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# lab_sessions I: node I's sessions, one "name type state peerAS" line
# each, sorted (show neighbors -o json; needs jq).
lab_sessions() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq -r '.[] | "\(.name) \(.type) \(.state) \(.peerAS)"' |
	    LC_ALL=C sort
}

# The ToR's own network as the nodes' kernels show it.
LAB_TORNET="198.18.254.0/24 via 198.18.0.254"

# lab_tor_established: the nodes the ToR has an Established session with.
lab_tor_established() {
	lab_tor_sessions | awk '$2 == "Established" { print $1 }'
}

# lab_global_peer: the guide's global BGPPeer my-global-peer, the ToR in
# AS 64567, applied (its YAML is left in global.yaml).
lab_global_peer() {
	cat >"$LAB_DIR/global.yaml" <<-'YAML'
	apiVersion: projectcalico.org/v3
	kind: BGPPeer
	metadata:
	  name: my-global-peer
	spec:
	  peerIP: 198.18.0.254
	  asNumber: 64567
	YAML
	lab_tortiectl apply -f "$LAB_DIR/global.yaml" >/dev/null
}

# lab_mesh I [AS [J...]]: node I's mesh sessions (IPv4 and IPv6) with
# nodes J... (default: every lab node) as lab_sessions prints them.  The
# peers' AS: AS, or with AS empty or "-" each node's LAB_NODE_AS_<j>,
# LAB_NODE_AS, 64512.
lab_mesh() {
	_i=$1
	_as=${2:-}
	[ $# -ge 2 ] && shift 2 || shift $#
	[ $# -gt 0 ] || set -- $(seq "$LAB_N")
	for _j in "$@"; do
		[ "$_j" = "$_i" ] && continue
		if [ -z "$_as" ] || [ "$_as" = - ]; then
			eval "_a=\${LAB_NODE_AS_$_j:-\${LAB_NODE_AS:-64512}}"
		else
			_a=$_as
		fi
		echo "Mesh_198_18_0_$_j node-to-node mesh Established $_a"
		echo "Mesh_2001_db8__$_j node-to-node mesh Established $_a"
	done
}

# lab_since I NAME: when node I's session NAME came up (its "since").
lab_since() {
	lab_ctl "$1" show neighbors -o json |
	    jq -r --arg n "$2" '.[] | select(.name == $n) | .since'
}

# lab_wait_sessions I EXPECTED SECONDS: node I's sessions are exactly
# EXPECTED (lines as lab_sessions prints them, in any order).
lab_wait_sessions() {
	lab_wait_text "node$1's sessions" "$2" "$3" lab_sessions "$1"
}

# lab_wait_text WHAT EXPECTED SECONDS COMMAND...: poll until the sorted
# output of COMMAND is EXPECTED (sorted here).  On timeout, print the
# difference as TAP comments and fail.
lab_wait_text() {
	_ww=$1
	_we=$(printf '%s\n' "$2" | LC_ALL=C sort)
	_wt=$(($3 * 10))
	shift 3
	while :; do
		_wg=$("$@")
		[ "$_wg" = "$_we" ] && return 0
		[ "$_wt" -le 0 ] && break
		sleep 0.1
		_wt=$((_wt - 1))
	done
	echo "# $_ww: expected (-) and got (+):"
	printf '%s\n' "$_we" >"$LAB_DIR/.expected"
	printf '%s\n' "$_wg" >"$LAB_DIR/.got"
	diff -U 100 "$LAB_DIR/.expected" "$LAB_DIR/.got" | tail -n +4 |
	    sed 's/^/#   /'
	return 1
}

# lab_routes NS: the IPv4 routes BGP put into the kernel of the lab
# namespace NS (n1, n2, ..., tor): tortie's protocol 186 on the nodes,
# BIRD's on the ToR.  One "prefix via gateway", "prefix dev device" or
# "blackhole prefix" line each, sorted.
lab_routes() {
	case $1 in
	tor)	_rp=bird ;;
	*)	_rp=186 ;;
	esac
	ip -j -n "$(lab_ns "$1")" -4 route show proto "$_rp" 2>/dev/null |
	    jq -r '.[] | if .type == "blackhole" then "blackhole \(.dst)"
		elif .gateway then "\(.dst) via \(.gateway)"
		else "\(.dst) dev \(.dev)" end' | LC_ALL=C sort
}

# lab_wait_routes NS EXPECTED SECONDS: lab_routes NS is exactly EXPECTED.
lab_wait_routes() {
	lab_wait_text "$1's routes" "$2" "$3" lab_routes "$1"
}

# lab_blocks I J...: the routes node I's kernel holds for the blocks of
# nodes J... (lab_routes lines): a blackhole for its own, the others via
# their node.
lab_blocks() {
	_bi=$1
	shift
	for _bj in "$@"; do
		if [ "$_bj" = "$_bi" ]; then
			echo "blackhole 198.19.$_bj.0/26"
		else
			echo "198.19.$_bj.0/26 via 198.18.0.$_bj"
		fi
	done
}

# lab_tor_sessions: the ToR's BGP protocols, "nodeN state" lines, where
# state is BIRD's BGP state (Established, Active, Connect, ...).
lab_tor_sessions() {
	lab_birdc show protocols 2>/dev/null |
	    awk '$2 == "BGP" { print $1, $6 }' | LC_ALL=C sort
}

lab_down() {
	trap - EXIT INT TERM
	[ -n "${LAB:-}" ] || return 0
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' |
	    grep "^$LAB-"); do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -TERM "$p" 2>/dev/null
		done
	done
	sleep 0.3
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' |
	    grep "^$LAB-"); do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ -z "${LAB_KEEP_DIR:-}" ] && [ -n "${LAB_DIR:-}" ]; then
		rm -rf "$LAB_DIR"
	fi
}
