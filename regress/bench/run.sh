#!/bin/sh
# tortie's benchmark (`make bench`): tortie against BIRD 2, when installed,
# on the same workloads, each run with a freshly started daemon in a
# private network namespace, tortie and BIRD runs interleaved round by
# round (the machine may be shared: compare ratios within one run).
#
#   sh regress/bench/run.sh [scenario...]
#
# Scenarios (default: all but smoke):
#   full	1,000,000 prefixes, 1 injector -> 1 monitor, then their
#		withdrawal: time to the last prefix and to the last
#		withdrawal at the monitor, memory after convergence
#   fanout	100,000 prefixes -> 10 monitors
#   rr		route reflector with 500 clients, each announcing one
#		/26: time until every client holds all of them
#   scale	1,000 sessions: time to Established, keepalives on time
#		over BENCH_OBSERVE seconds, memory per session
#   kernel	1,000,000 routes through kroute's netlink code against
#		`ip -batch` (kr_bench)
#   pipe	what the imsg path between two processes carries at most:
#		messages and MB per second for 256 KB, 4 KB and 64-byte
#		messages (imsg_bench)
#   smoke	10,000 prefixes, 1 -> 1 with withdrawal, tortie only
#
# Environment: BENCH_ROUNDS (3), BENCH_DUTS ("tortie bird"),
# BENCH_PREFIXES (1000000), BENCH_FANOUT_PREFIXES (100000),
# BENCH_MONITORS (10), BENCH_CLIENTS (500), BENCH_SESSIONS (1000),
# BENCH_OBSERVE (30), BENCH_HOLD (15), BENCH_KERNEL_ROUTES (1000000),
# BENCH_OUT (regress/bench/out/results.jsonl, appended to),
# BENCH_PEER_ARGS (more options for benchpeer, e.g. -v for progress),
# BENCH_LOGS (a directory to keep each run's daemon log in).
#
# Prints one JSON line per run (benchpeer's), then one summary line per
# scenario and metric with the medians and the ratio tortie / BIRD.
# Needs root (network namespaces).  Nothing outside the namespaces this
# script creates is touched; only processes it started are signalled,
# by PID.
set -u
cd "$(dirname "$0")/../.."
TOP=$(pwd)
BENCH=$TOP/regress/bench
BP=$BENCH/out/benchpeer
ROUNDS=${BENCH_ROUNDS:-3}
DUTS=${BENCH_DUTS:-"tortie bird"}
OUT=${BENCH_OUT:-$BENCH/out/results.jsonl}
WORK=$(mktemp -d /tmp/tortie-bench.XXXXXX)
NS=tbench$$
DUT_PID=
RESULTS=$WORK/results.jsonl
rc=0

log() { echo "bench: $*" >&2; }

cleanup() {
	dut_stop
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (network namespaces)" >&2
	exit 1
fi
make -s -C "$BENCH" out/benchpeer >&2 || exit 1
getent passwd _tortie >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin _tortie

have_bird() { [ -x /usr/sbin/bird ]; }

# JSON documents are YAML: one resource per file in the datastore.
# res PLURAL NAME KIND SPEC [LABELS]
res() {
	mkdir -p "$WORK/ds/$1"
	cat >"$WORK/ds/$1/$2.yaml" <<-EOF
	{"apiVersion": "projectcalico.org/v3", "kind": "$3",
	 "metadata": {"name": "$2"${5:+, "labels": $5}},
	 "spec": $4}
	EOF
}

# tortie_node NAME ADDRESS [MORE-BGP-FIELDS] [LABELS]
tortie_node() {
	res nodes "$1" Node \
	    "{\"bgp\": {\"ipv4Address\": \"$2/8\"${3:+, $3}}}" "${4:-}"
}

tortie_bgpconf() {
	res bgpconfigurations default BGPConfiguration \
	    "{\"nodeToNodeMeshEnabled\": $1, \"asNumber\": 65000,
	      \"bindMode\": \"NodeIP\", \"listenPort\": 179}"
}

tortie_daemon_conf() {
	cat >"$WORK/tortie.yaml" <<-EOF
	{"nodeName": "dut", "datastore": {"type": "file", "path": "$WORK/ds"},
	 "controlSocket": "$WORK/tortie.sock", "kernel": {"install": false}}
	EOF
}

tortie_peer() {
	res bgppeers "$1" BGPPeer "{\"peerIP\": \"$2\", \"asNumber\": $3,
	    \"filters\": [\"accept-all\"]}"
}

# The harness's layout: one global BGPPeer per peer, an export filter
# that accepts every IPv4 route (Calico's default exports only pools).
tortie_conf_fanout() {
	m=$1
	tortie_node dut 127.0.0.10 '"asNumber": 65000'
	tortie_bgpconf false
	res bgpfilters accept-all BGPFilter '{"exportV4": [{"cidr": "0.0.0.0/0",
	    "matchOperator": "In", "action": "Accept"}]}'
	tortie_peer injector 127.0.0.11 65001
	i=0
	while [ "$i" -lt "$m" ]; do
		tortie_peer "monitor$((i + 1))" "127.0.0.$((12 + i))" \
		    "$((65002 + i))"
		i=$((i + 1))
	done
}

# A route reflector (its node has a cluster ID) and its clients as
# Calico nodes selected by one BGPPeer: one peer group, one sessiond.
# The clients' /26s lie in an IP pool, which Calico's policy exports.
tortie_conf_rr() {
	c=$1
	tortie_node dut 127.0.0.10 \
	    '"asNumber": 65000, "routeReflectorClusterID": "244.0.0.1"'
	tortie_bgpconf false
	res ippools bench IPPool '{"cidr": "198.19.0.0/16", "blockSize": 26,
	    "ipipMode": "Never", "vxlanMode": "Never"}'
	res bgppeers rr-clients BGPPeer '{"node": "dut",
	    "peerSelector": "bench == '"'client'"'"}'
	i=0
	while [ "$i" -lt "$c" ]; do
		tortie_node "client$i" "$("$BP" addr rr "$i")" "" \
		    '{"bench": "client"}'
		i=$((i + 1))
	done
}

# Sessions of the node-to-node mesh: one peer group.  Every simulated
# node's address sorts above the DUT's, so the DUT waits for them.
tortie_conf_scale() {
	n=$1
	tortie_node dut 127.0.0.10 '"asNumber": 65000'
	tortie_bgpconf true
	i=0
	while [ "$i" -lt "$n" ]; do
		tortie_node "node$i" "$("$BP" addr scale "$i")"
		i=$((i + 1))
	done
}

bird_head() {
	cat <<-EOF
	log "$WORK/bird.log" { warning, error, auth, fatal, bug };
	router id 127.0.0.10;
	protocol device { scan time 60; }
	# BIRD takes loopback addresses only as multihop neighbours; next
	# hops resolve through a default route in a table of their own.
	ipv4 table igp4;
	protocol static igp_lo {
		ipv4 { table igp4; };
		route 0.0.0.0/0 via "lo";
	}
	EOF
}

bird_peer() {
	# name address as [extra]
	cat <<-EOF
	protocol bgp $1 {
		local 127.0.0.10 port 179 as 65000;
		neighbor $2 as $3;
		multihop;
		passive on;
		${4:-}
		ipv4 { import all; export all; igp table igp4; };
	}
	EOF
}

bird_conf() {
	bscen=$1
	n=$2
	{
		bird_head
		case $bscen in
		fanout)
			bird_peer injector 127.0.0.11 65001
			i=0
			while [ "$i" -lt "$n" ]; do
				bird_peer "monitor$((i + 1))" \
				    "127.0.0.$((12 + i))" "$((65002 + i))"
				i=$((i + 1))
			done
			;;
		rr)
			i=0
			while [ "$i" -lt "$n" ]; do
				bird_peer "client$i" "$("$BP" addr rr "$i")" \
				    65000 "rr client; rr cluster id 244.0.0.1;"
				i=$((i + 1))
			done
			;;
		scale)
			i=0
			while [ "$i" -lt "$n" ]; do
				bird_peer "node$i" "$("$BP" addr scale "$i")" \
				    65000
				i=$((i + 1))
			done
			;;
		esac
	} >"$WORK/bird.conf"
}

dut_version() {
	case $1 in
	tortie)	echo "tortie $(git -C "$TOP" log -1 --format='%h %cs' \
		    2>/dev/null)" ;;
	bird)	/usr/sbin/bird --version 2>&1 | head -1 ;;
	esac
}

ns_up() {
	ip netns del "$NS" 2>/dev/null
	ip netns add "$NS" || return 1
	ip -n "$NS" link set lo up
}

# dut_start DUT SCENARIO SIZE: configure and start it in the namespace.
dut_start() {
	rm -rf "$WORK/ds" "$WORK/tortie.sock" "$WORK/bird.ctl"
	case $1 in
	tortie)
		"tortie_conf_$2" "$3"
		tortie_daemon_conf
		ip netns exec "$NS" "$TOP/bgpd/tortied" -d \
		    -f "$WORK/tortie.yaml" >"$WORK/dut.log" 2>&1 &
		DUT_PID=$!
		sock=$WORK/tortie.sock
		;;
	bird)
		bird_conf "$2" "$3"
		ip netns exec "$NS" /usr/sbin/bird -f -c "$WORK/bird.conf" \
		    -s "$WORK/bird.ctl" >"$WORK/dut.log" 2>&1 &
		DUT_PID=$!
		sock=$WORK/bird.ctl
		;;
	esac
	t=100
	while [ "$t" -gt 0 ] && [ ! -S "$sock" ]; do
		kill -0 "$DUT_PID" 2>/dev/null || return 1
		sleep 0.1
		t=$((t - 1))
	done
	[ -S "$sock" ]
}

dut_stop() {
	[ -n "$DUT_PID" ] || return 0
	kill -TERM "$DUT_PID" 2>/dev/null
	t=100
	while [ "$t" -gt 0 ] && kill -0 "$DUT_PID" 2>/dev/null; do
		sleep 0.1
		t=$((t - 1))
	done
	kill -KILL "$DUT_PID" 2>/dev/null
	wait "$DUT_PID" 2>/dev/null
	DUT_PID=
}

# What crossed the pipes between the sessionds and ribd, from the lines
# ribd logs as each pipe closes: in is towards ribd.
imsg_totals() {
	awk '/ribd.*: group [0-9]*: pipe (closed|open) after/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "messages" && $(i + 3) == "in,") {
				mi += $(i - 1); bi += substr($(i + 1), 2)
			}
			if ($i == "messages" && $(i + 3) == "out") {
				mo += $(i - 1); bo += substr($(i + 1), 2)
			}
		}
	} END {
		printf "{\"msgs_in\": %d, \"bytes_in\": %d, ", mi, bi
		printf "\"msgs_out\": %d, \"bytes_out\": %d}", mo, bo
	}' "$WORK/dut.log"
}

emit() {
	printf '%s\n' "$1"
	printf '%s\n' "$1" >>"$RESULTS"
	mkdir -p "$(dirname "$OUT")"
	printf '%s\n' "$1" >>"$OUT"
}

# run_one DUT SCENARIO ROUND
run_one() {
	dut=$1
	scen=$2
	case $scen in
	full)	size=1
		args="fanout -w -n ${BENCH_PREFIXES:-1000000} -m 1" ;;
	smoke)	size=1; args="fanout -w -n 10000 -m 1 -t 60" ;;
	fanout)	size=${BENCH_MONITORS:-10}
		args="fanout -n ${BENCH_FANOUT_PREFIXES:-100000} -m $size" ;;
	rr)	size=${BENCH_CLIENTS:-500}; args="rr -c $size" ;;
	scale)	size=${BENCH_SESSIONS:-1000}
		args="scale -c $size -H ${BENCH_HOLD:-15}"
		args="$args -o ${BENCH_OBSERVE:-30}" ;;
	esac
	conf=$scen
	[ "$scen" = full ] || [ "$scen" = smoke ] && conf=fanout
	ns_up || return 1
	if ! dut_start "$dut" "$conf" "$size"; then
		log "$dut did not start for $scen; its log:"
		tail -20 "$WORK/dut.log" >&2
		dut_stop
		return 1
	fi
	# shellcheck disable=SC2086
	line=$(ip netns exec "$NS" "$BP" $args ${BENCH_PEER_ARGS:-} \
	    -p "$DUT_PID" -L "$dut" -V "$(dut_version "$dut")")
	r=$?
	dut_stop
	ip netns del "$NS" 2>/dev/null
	if [ -z "$line" ]; then
		line="{\"bench\": \"$scen\", \"dut\": \"$dut\", \"ok\": false}"
	elif [ "$dut" = tortie ]; then
		line="${line%\}}, \"imsg\": $(imsg_totals)}"
	fi
	# The scenario's name and round in front of benchpeer's fields.
	tag="{\"bench\": \"$scen\", \"round\": $3"
	line=$(printf '%s' "$line" | sed "s/^{\"bench\": \"[a-z]*\"/$tag/")
	emit "$line"
	if [ "$r" -ne 0 ]; then
		log "$dut $scen round $3 failed; the end of its log:"
		tail -20 "$WORK/dut.log" >&2
	fi
	if [ -n "${BENCH_LOGS:-}" ]; then
		mkdir -p "$BENCH_LOGS"
		cp "$WORK/dut.log" "$BENCH_LOGS/$dut-$scen-$3.log"
	fi
	return "$r"
}

# kroute's netlink code against `ip -batch`: the full table's IPv4
# prefixes, then as many IPv6 /64s.
run_kernel() {
	make -s -C "$BENCH" out/kr_bench >&2 || return 1
	rk=0
	for fam in "-w" "-f 6"; do
		log "round $1: kroute $fam"
		# shellcheck disable=SC2086
		line=$("$BENCH/out/kr_bench" $fam \
		    -n "${BENCH_KERNEL_ROUTES:-1000000}") || rk=1
		tag="{\"bench\": \"kernel\", \"round\": $1"
		line=$(printf '%s' "$line" |
		    sed "s/^{\"bench\":\"kroute\"/$tag/")
		emit "$line"
	done
	return "$rk"
}

run_pipe() {
	make -s -C "$BENCH" out/imsg_bench >&2 || return 1
	log "round $1: imsg"
	tag="{\"bench\": \"pipe\", \"round\": $1"
	"$BENCH/out/imsg_bench" | sed "s/^{\"bench\": \"imsg\"/$tag/" |
	    while read -r line; do
		emit "$line"
	done
}

summary() {
	python3 - "$RESULTS" <<-'EOF'
	import json, statistics, sys
	metrics = {
	    "full": ["seconds", "withdraw_seconds", "rss_kb_after", "cpu_s",
	             "withdraw_cpu_s"],
	    "smoke": ["seconds", "withdraw_seconds"],
	    "fanout": ["seconds", "rss_kb_after", "cpu_s"],
	    "rr": ["seconds", "rss_kb_after", "cpu_s"],
	    "scale": ["seconds", "gap_max_s", "rss_kb_per_session",
	              "rss_kb_after", "cpu_s_idle"],
	    "kernel": ["kr_add_s", "ip_batch_add_s", "add_ratio",
	               "kr_del_s", "ip_batch_del_s", "del_ratio"],
	    "pipe": ["msgs_per_s", "mb_per_s"],
	}
	runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	# One summary per scenario (and route family or message size) and
	# metric.
	def sub(r):
	    return r.get("family", r.get("size"))
	groups = []
	for r in runs:
	    g = (r.get("bench"), sub(r))
	    if g[0] in metrics and g not in groups:
	        groups.append(g)
	for scen, fam in groups:
	    rs = [r for r in runs if (r.get("bench"), sub(r)) == (scen, fam)]
	    for k in metrics[scen]:
	        med, n = {}, {}
	        for dut in ("tortie", "bird"):
	            v = [r[k] for r in rs if r.get("dut", "tortie") == dut
	                 and r.get("ok", True) and k in r]
	            if v:
	                med[dut] = round(statistics.median(v), 4)
	                n[dut] = len(v)
	        out = {"summary": True, "bench": scen, "metric": k}
	        if isinstance(fam, str):
	            out["family"] = fam
	        elif fam is not None:
	            out["size"] = fam
	        for d in med:
	            out[f"{d}_median"] = med[d]
	            out[f"{d}_runs"] = n[d]
	        if "tortie" in med and med.get("bird"):
	            out["ratio"] = round(med["tortie"] / med["bird"], 3)
	        print(json.dumps(out))
	EOF
}

SCENARIOS=${*:-full fanout rr scale kernel pipe}
: >"$RESULTS"
round=1
while [ "$round" -le "$ROUNDS" ]; do
	for scen in $SCENARIOS; do
		if [ "$scen" = kernel ]; then
			run_kernel "$round" || rc=1
			continue
		fi
		if [ "$scen" = pipe ]; then
			run_pipe "$round" || rc=1
			continue
		fi
		for dut in $DUTS; do
			[ "$scen" = smoke ] && [ "$dut" != tortie ] && continue
			[ "$dut" = bird ] && ! have_bird && continue
			log "round $round: $dut $scen"
			run_one "$dut" "$scen" "$round" || rc=1
		done
	done
	round=$((round + 1))
done
summary
exit "$rc"
