#!/bin/sh
# Observability of tortied on a two-node mesh: the Prometheus endpoint of
# metrics.listen (exposition format 0.0.4 line by line and through the
# Prometheus Python client's parser, session values, monotonic counters,
# 404, 405, only the configured address, a new address on reload, reload
# counters, clients that trickle bytes cannot hold it), `tortiectl show
# summary` and -o json on every show, session events as one log line with
# a key=value tail, and logSeverityScreen changed at run time.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

PY=/usr/bin/python3
URL=http://198.18.0.1:9179/metrics

lab_init
lab_up 2
lab_resources 2

# node1 serves metrics on its own address; written as lab_conf does, plus
# the metrics key, and started as lab_start does.
node1_conf() {
	lab_conf 1
	printf 'metrics:\n  listen: "%s"\n' "$1" >>"$LAB_DIR/node1.yaml"
}
node1_conf 198.18.0.1:9179
ip netns exec "$(lab_ns n1)" "$LAB_TOP/bgpd/tortied" -d \
    -f "$LAB_DIR/node1.yaml" >>"$LAB_DIR/node1.log" 2>&1 &
echo $! >"$LAB_DIR/node1.pid"
wait_for 5 test -S "$LAB_DIR/node1.sock"
lab_start 2

lab_wait_established 1 2 30
ok $? "node1: mesh sessions to node2 Established (IPv4, IPv6)"

# scrape OUT [URL] [curl options...]: the body to OUT, headers to OUT.h;
# prints the HTTP status.
scrape() {
	_out=$1
	_url=${2:-$URL}
	shift
	[ $# -gt 0 ] && shift
	lab_exec n1 curl -s --max-time 5 -D "$_out.h" -o "$_out" \
	    -w '%{http_code}' "$@" "$_url"
}

# Every line is a HELP, a TYPE or a sample; a family's HELP and TYPE come
# before its samples; no family and no series twice.
check_format() {
	perl -e '
	my (%help, %type, %seen, $cur, $bad);
	my $name = qr/[a-zA-Z_:][a-zA-Z0-9_:]*/;
	my $lbl = qr/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"/;
	my $num = qr/-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf/;
	while (<>) {
		chomp;
		if (/^# HELP ($name) /) { $help{$1}++; next }
		if (/^# TYPE ($name) (counter|gauge|untyped)$/) {
			print "TYPE without HELP: $1\n", $bad++ unless $help{$1};
			print "family twice: $1\n", $bad++ if $type{$1}++;
			$cur = $1;
			next;
		}
		if (/^($name)(\{$lbl(?:,$lbl)*\})? ($num)$/) {
			my $s = $1 . ($2 // "");
			print "outside its family: $_\n", $bad++
			    unless defined $cur && $1 eq $cur;
			print "series twice: $s\n", $bad++ if $seen{$s}++;
			next;
		}
		print "bad line: $_\n";
		$bad++;
	}
	print "no samples\n", $bad++ unless %seen;
	exit($bad ? 1 : 0);
	' "$1"
}

# value FILE METRIC LABEL-SUBSTRING: the value of the first matching sample.
value() {
	grep "^$2[{ ]" "$1" | grep -F -- "$3" | head -1 | awk '{print $NF}'
}

S1='name="Mesh_198_18_0_2",peer="198.18.0.2",peer_as="64512",group="mesh",type="node-to-node mesh",family="ipv4"'

code=$(scrape "$LAB_DIR/m1")
is "$code" 200 "GET /metrics: 200"
grep -iq '^content-type: text/plain; version=0.0.4' "$LAB_DIR/m1.h"
ok $? "Content-Type text/plain; version=0.0.4"
out=$(check_format "$LAB_DIR/m1")
ok $? "every line parses, every family has HELP and TYPE, no series twice"
[ -n "$out" ] && echo "$out" | head -20 | sed 's/^/#   /'
out=$($PY -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
n = 0
for f in text_string_to_metric_families(open(sys.argv[1]).read()):
    if not f.documentation or f.type not in ("counter", "gauge"):
        sys.exit("family %s: type %s, help %r" % (f.name, f.type,
            f.documentation))
    n += len(f.samples)
print(n)
' "$LAB_DIR/m1" 2>&1)
ok $? "the Prometheus client parser reads it ($out samples)"

is "$(value "$LAB_DIR/m1" tortie_bgp_session_up "{$S1}")" 1 \
    "tortie_bgp_session_up 1 with every label"
is "$(value "$LAB_DIR/m1" tortie_bgp_session_state "$S1")" 6 \
    "tortie_bgp_session_state 6 (Established)"
is "$(value "$LAB_DIR/m1" tortie_bgp_session_in_state \
    "$S1,state=\"Established\"}")" 1 "state set: Established 1"
is "$(grep -c "^tortie_bgp_session_in_state{$S1,state=\"[A-Za-z]*\"} 0$" \
    "$LAB_DIR/m1")" 5 "state set: the five other states 0"
is "$(value "$LAB_DIR/m1" tortie_bgp_session_last_error_code "$S1")" 0 \
    "last error code 0 while Established"
n=$(value "$LAB_DIR/m1" tortie_bgp_messages_received_total "$S1")
[ "${n:-0}" -ge 2 ]
ok $? "messages received counted ($n)"
for m in tortie_config_reloads_total tortie_config_reload_failures_total \
    tortie_config_last_reload_success tortie_child_restarts_total \
    tortie_build_info tortie_bgp_prefixes_received \
    tortie_bgp_prefixes_advertised tortie_bgp_prefixes_best \
    tortie_bgp_prefixes_stale tortie_bgp_session_uptime_seconds \
    tortie_bgp_updates_sent_total tortie_bgp_session_flaps_total; do
	grep -q "^# TYPE $m " "$LAB_DIR/m1" || missing="$missing $m"
done
is "${missing:-}" "" "every family is there"
is "$(value "$LAB_DIR/m1" tortie_config_last_reload_success "")" 1 \
    "last reload succeeded"
grep -q '^tortie_child_restarts_total{role="sessiond",group="mesh"} 0$' \
    "$LAB_DIR/m1"
ok $? "restarts of the mesh sessiond: 0"

# Counters never go back between two scrapes.
sleep 2
scrape "$LAB_DIR/m2" >/dev/null
out=$(perl -e '
	my (%a, %ctr, $bad, $n);
	open(my $f, "<", $ARGV[0]) or die;
	while (<$f>) {
		$ctr{$1} = 1 if /^# TYPE (\S+) counter$/;
		$a{$1} = $2 if /^([^#].*) (\S+)$/;
	}
	open($f, "<", $ARGV[1]) or die;
	while (<$f>) {
		next unless /^(([a-z_:]+)[^#]*) (\S+)$/ && $ctr{$2};
		next unless defined $a{$1};
		$n++;
		print "went back: $1 $a{$1} -> $3\n", $bad++ if $3 < $a{$1};
	}
	print "no counter compared\n", $bad++ unless $n;
	exit($bad ? 1 : 0);
	' "$LAB_DIR/m1" "$LAB_DIR/m2")
ok $? "counters monotonic across two scrapes"
[ -n "$out" ] && echo "$out" | sed 's/^/#   /'

is "$(scrape "$LAB_DIR/x" http://198.18.0.1:9179/x)" 404 "GET /x: 404"
is "$(scrape "$LAB_DIR/x" http://198.18.0.1:9179/metrics/)" 404 \
    "GET /metrics/: 404"
is "$(scrape "$LAB_DIR/x" "$URL" -X POST -d a=b)" 405 "POST /metrics: 405"
grep -iq '^allow: GET, HEAD' "$LAB_DIR/x.h"
ok $? "405 says Allow: GET, HEAD"
is "$(scrape "$LAB_DIR/x" "$URL" -X DELETE)" 405 "DELETE /metrics: 405"
is "$(scrape "$LAB_DIR/x" "$URL" -I)" 200 "HEAD /metrics: 200"
lab_exec n1 curl -s --max-time 5 -o /dev/null http://127.0.0.1:9179/metrics
ok $(($? == 0)) "nothing listens on 127.0.0.1 (only the configured address)"

# Big headers are refused, a big body too.
big=$(head -c 9000 /dev/zero | tr '\0' a)
code=$(scrape "$LAB_DIR/x" "$URL" -H "X-Big: $big")
[ "$code" != 200 ]
ok $? "headers over the limit refused ($code)"
t0=$(date +%s)
lab_ctl 1 show summary >/dev/null
ok $? "the parent still answers at once after a refused request"
t1=$(date +%s)
[ $((t1 - t0)) -le 2 ]
ok $? "... within 2 s ($((t1 - t0)) s)"

# `tortiectl show summary`: a header and one line per session.
out=$(lab_ctl 1 show summary)
echo "$out" | sed 's/^/# /'
echo "$out" | head -1 | grep -Eq '^Name +Peer +AS +State +Since +Uptime +Rcvd +Sent +Last error$'
ok $? "show summary: header"
is "$(echo "$out" | wc -l)" 3 "show summary: one line per session (v4, v6)"
echo "$out" | grep '^Mesh_198_18_0_2 ' | grep -Eq '^Mesh_198_18_0_2 +198\.18\.0\.2 +64512 +Established +[0-9:-]+ +[0-9][0-9:dhwm]+ +[0-9]+ +[0-9]+ +-$'
ok $? "show summary: name, peer, AS, state, since, uptime, counts, no error"
for what in summary neighbors rib fib; do
	lab_ctl 1 show "$what" -o json | $PY -c 'import json,sys; json.load(sys.stdin)'
	ok $? "show $what -o json is JSON"
done
lab_ctl 1 show summary -o json | grep -q '"name": "Mesh_198_18_0_2"'
ok $? "show summary -o json lists the session"

# Session events: one line each, the same key=value tail.
log=$LAB_DIR/node1.log
grep -Eq 'tortied\[[0-9]+\]: session Mesh_198_18_0_2: added to group mesh peer=198\.18\.0\.2 as=64512 group=mesh state=Idle reason=""$' "$log"
ok $? "log: session added, key=value tail"
grep -Eq 'tortied\[[0-9]+\]: session Mesh_198_18_0_2: [A-Za-z]+ -> Established peer=198\.18\.0\.2 as=64512 group=mesh state=Established reason=""$' "$log"
ok $? "log: state change to Established, key=value tail"

# Clients that connect and trickle a header byte by byte never trip the
# read timeout; they are cut at the connection deadline, and meanwhile
# the parent answers and a scrape still gets through.
lab_exec n1 $PY -c '
import select, socket, sys, time
t0 = time.time()
socks = {}
for i in range(20):
    s = socket.create_connection(("198.18.0.1", 9179), timeout=5)
    s.sendall(b"GET /metrics HTTP/1.1\r\nX-Slow: ")
    s.setblocking(False)
    socks[s] = None
while time.time() - t0 < 40 and any(v is None for v in socks.values()):
    for s, v in socks.items():
        if v is not None:
            continue
        try:
            if select.select([s], [], [], 0)[0] and s.recv(4096) == b"":
                socks[s] = time.time() - t0
                continue
            s.send(b"a")
        except OSError:
            socks[s] = time.time() - t0
    time.sleep(1)
done = sorted(v for v in socks.values() if v is not None)
print("%d %d %d" % (len(done), int(done[0]) if done else -1,
    int(done[-1]) if done else -1))
' >"$LAB_DIR/slow" 2>&1 &
slow=$!
sleep 2
t0=$(date +%s)
lab_ctl 1 show summary >/dev/null
ok $? "parent answers tortiectl while 20 slow clients hold connections"
code=$(lab_exec n1 curl -s --max-time 30 -o "$LAB_DIR/m3" -w '%{http_code}' "$URL")
t1=$(date +%s)
is "$code" 200 "a scrape gets through the slow clients ($((t1 - t0)) s)"
wait "$slow"
read -r nclosed first last <"$LAB_DIR/slow"
diag "slow clients: $(cat "$LAB_DIR/slow")"
is "$nclosed" 20 "every slow client was cut"
[ "${first:-0}" -ge 8 ] && [ "${last:-99}" -le 32 ]
ok $? "cut at the deadline, not at the read timeout (first ${first}s, last ${last}s)"

# metrics_has ERE: the current exposition has a matching line.
metrics_has() {
	lab_exec n1 curl -s --max-time 2 "$URL" | grep -Eq "$1"
}
# metric_ge NAME MIN: the value of sample NAME (no labels) is at least MIN.
metric_ge() {
	_v=$(lab_exec n1 curl -s --max-time 2 "$URL" | awk -v n="$1" \
	    '$1 == n { print $2 }')
	[ -n "$_v" ] && [ "$_v" -ge "$2" ]
}

# Reloads: a broken tortie.yaml counts as a failure, a good one as a
# success, and a new metrics.listen moves the endpoint.
scrape "$LAB_DIR/m4" >/dev/null
r0=$(value "$LAB_DIR/m4" tortie_config_reloads_total "")
f0=$(value "$LAB_DIR/m4" tortie_config_reload_failures_total "")
echo "nosuchkey: 1" >>"$LAB_DIR/node1.yaml"
lab_ctl 1 reload >/dev/null
wait_for 5 metrics_has '^tortie_config_last_reload_success 0$'
ok $? "a failed reload: tortie_config_last_reload_success 0"
scrape "$LAB_DIR/m5" >/dev/null
is "$(value "$LAB_DIR/m5" tortie_config_reload_failures_total "")" \
    "$((f0 + 1))" "tortie_config_reload_failures_total counts it"
[ "$(value "$LAB_DIR/m5" tortie_config_reloads_total "")" -gt "$r0" ]
ok $? "tortie_config_reloads_total counts it"
node1_conf 198.18.0.1:9180
lab_ctl 1 reload >/dev/null
URL=http://198.18.0.1:9180/metrics
wait_for 5 metrics_has '^tortie_config_last_reload_success 1$'
ok $? "a reload with a new metrics.listen serves there, and succeeded"
lab_exec n1 curl -s --max-time 3 -o /dev/null http://198.18.0.1:9179/metrics
ok $(($? == 0)) "and no longer on the old address"

# logSeverityScreen: Warning on node1's BGPConfiguration hides its info
# lines (session events) from the reload on; Info brings them back.
bgpconf() {
	cat >"$LAB_DIR/bgpconf.yaml" <<-EOF
	apiVersion: projectcalico.org/v3
	kind: BGPConfiguration
	metadata:
	  name: node.node1
	spec:
	  logSeverityScreen: $1
	EOF
	_r=$(lab_exec n1 curl -s --max-time 2 "$URL" |
	    awk '$1 == "tortie_config_reloads_total" { print $2 }')
	lab_tortiectl apply -f "$LAB_DIR/bgpconf.yaml" >/dev/null
	wait_for 10 metric_ge tortie_config_reloads_total $((_r + 1))
}
parent_events() {
	grep -c 'tortied\[[0-9]*\]: session Mesh_198_18_0_2: ' "$log"
}
SUP="^tortie_bgp_session_up\\{$S1\\}"
bgpconf Warning
ok $? "a BGPConfiguration change is a reload"
n0=$(parent_events)
lab_stop 2
wait_for 15 metrics_has "$SUP 0\$"
ok $? "node2 stopped: tortie_bgp_session_up 0"
scrape "$LAB_DIR/m7" >/dev/null
[ "$(value "$LAB_DIR/m7" tortie_bgp_session_flaps_total "$S1")" -ge 1 ]
ok $? "tortie_bgp_session_flaps_total counts the session that went down"
is "$(value "$LAB_DIR/m7" tortie_bgp_session_uptime_seconds "$S1")" 0 \
    "uptime 0 while down"
lab_start 2
lab_wait_established 1 1 30
ok $? "node2 back: Established"
sleep 1
is "$(parent_events)" "$n0" "logSeverityScreen Warning: no session event logged"
bgpconf Info
ok $? "back to Info"
lab_stop 2
wait_for 15 metrics_has "$SUP 0\$"
wait_for 5 sh -c "grep -c 'tortied\[[0-9]*\]: session Mesh_198_18_0_2: ' \
    '$log' | awk '\$1 <= $n0 { exit 1 }'"
ok $? "logSeverityScreen Info: session events logged again"
grep 'tortied\[[0-9]*\]: session Mesh_198_18_0_2: ' "$log" | tail -2 |
    sed 's/^/# /'
grep -Eq 'tortied\[[0-9]+\]: session Mesh_198_18_0_2: Established -> [A-Za-z]+ peer=198\.18\.0\.2 as=64512 group=mesh state=[A-Za-z]+ reason="[^"]* [^"]*"$' "$log"
ok $? "log: the session going down, its reason quoted"

# tortie.yaml's logSeverityScreen wins over the BGPConfiguration's (Info).
reload_node1() {
	_r=$(lab_exec n1 curl -s --max-time 2 "$URL" |
	    awk '$1 == "tortie_config_reloads_total" { print $2 }')
	lab_ctl 1 reload >/dev/null
	wait_for 10 metric_ge tortie_config_reloads_total $((_r + 1))
}
node1_conf 198.18.0.1:9180
echo 'logSeverityScreen: warning' >>"$LAB_DIR/node1.yaml"
reload_node1
n1=$(parent_events)
lab_start 2
lab_wait_established 1 1 30
ok $? "node2 back again: Established"
sleep 1
is "$(parent_events)" "$n1" \
    "tortie.yaml logSeverityScreen warning overrides the BGPConfiguration"
node1_conf 198.18.0.1:9180
echo 'logSeverityScreen: Verbose' >>"$LAB_DIR/node1.yaml"
reload_node1
grep -q 'reload failed, keeping the running configuration: .*logSeverityScreen: expected Fatal, Error, Warning, Info, Debug or Trace' "$log"
ok $? "an unknown logSeverityScreen in tortie.yaml is refused"

done_testing
