#!/bin/sh
# Faults: kill -9 each child of one node in turn while routes flow.  Three
# tortie nodes in the mesh; workloads on node1 and node3 ping the one on
# node2 (the victim) at 20 ms intervals through every fault.
#
# (a) node2's sessiond killed: the parent restarts it, its sessions come
#     back, node1 and node3 keep node2's routes as stale (graceful
#     restart) and node2 keeps theirs, no kernel route is deleted on node2,
#     the sessions not involving node2 keep their since, and no ping is
#     lost.
# (b) node2's ribd killed, (c) node2's kroute killed: tortied stops with
#     one log line naming the dead process, every child exits, the
#     kernel routes stay and forwarding goes on; a new tortied starts
#     from the kernel's routes without deleting one (ip monitor), ends
#     with the same routes, no duplicate and no process of the old one,
#     and no ping is lost.
#
# Lost packets are required to be zero: each fault only breaks TCP
# sessions and the control plane, never a kernel route, and the lab's
# links stay up, so any loss is a route that went away.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

FAULTS=0
LOSS_TOTAL=0

lab_init
lab_up 3
lab_resources 3
lab_start 1 2 3
for i in 1 2 3; do
	lab_wait_established "$i" 4 30
	ok $? "node$i: mesh (IPv4 and IPv6) Established"
done
for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks "$i" 1 2 3)" 20
	ok $? "node$i: every block routed"
done
wait_for 10 lab_exec w1 ping -c 1 -W 1 198.19.2.2 &&
    wait_for 10 lab_exec w3 ping -c 1 -W 1 198.19.2.2
ok $? "pods on node1 and node3 reach the pod on node2"

parent2() {
	cat "$LAB_DIR/node2.pid"
}

# child_pid TITLE: node2's child whose process title matches TITLE.
child_pid() {
	pgrep -P "$(parent2)" -f "$1"
}

# ping_start: w1 -> w2 and w3 -> w2, 20 ms apart, bounded by -w.  Simple
# commands, so that $! is ping itself and SIGINT makes it report.
ping_start() {
	ip netns exec "$(lab_ns w1)" ping -i 0.02 -W 1 -w 170 198.19.2.2 \
	    >"$LAB_DIR/ping1.txt" 2>&1 &
	PING1=$!
	ip netns exec "$(lab_ns w3)" ping -i 0.02 -W 1 -w 170 198.19.2.2 \
	    >"$LAB_DIR/ping3.txt" 2>&1 &
	PING3=$!
	# Both have started answering before the fault.
	wait_for 10 grep -q 'icmp_seq=' "$LAB_DIR/ping1.txt"
	wait_for 10 grep -q 'icmp_seq=' "$LAB_DIR/ping3.txt"
}

# lost FILE: sent - received of a finished ping.
lost() {
	awk '/packets transmitted/ { print $1 - $4 }' "$1"
}

sent() {
	sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$1"
}

# ping_stop WHAT: stop both pings; every packet answered.
ping_stop() {
	kill -INT "$PING1" "$PING3" 2>/dev/null
	wait "$PING1"
	wait "$PING3"
	_l1=$(lost "$LAB_DIR/ping1.txt")
	_l3=$(lost "$LAB_DIR/ping3.txt")
	LOSS_TOTAL=$((LOSS_TOTAL + _l1 + _l3))
	diag "$1: w1->w2 lost $_l1 of $(sent "$LAB_DIR/ping1.txt")," \
	    "w3->w2 lost $_l3 of $(sent "$LAB_DIR/ping3.txt")"
	is "$_l1/$_l3" "0/0" "$1: no ping lost (w1->w2, w3->w2)"
}

# sessions_since I: node I's sessions with their since, sorted.
sessions_since() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq -r '.[] | "\(.name) \(.state) \(.since)"' | LC_ALL=C sort
}

# monitor_start: every route change in node2's kernel from now on.
monitor_start() {
	ip -n "$(lab_ns n2)" monitor route >"$LAB_DIR/monitor.txt" 2>&1 &
	MONITOR=$!
}

monitor_stop() {
	kill "$MONITOR" 2>/dev/null
	wait "$MONITOR" 2>/dev/null
}

# tortie_pids: every tortie process in node2's namespace.
tortie_pids() {
	for _p in $(ip netns pids "$(lab_ns n2)"); do
		case $(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null) in
		tortie*) echo "$_p" ;;
		esac
	done | LC_ALL=C sort
}

# to2 I: of node I's session lines, those of sessions to node2 (all of
# node2's own).
to2() {
	if [ "$1" = 2 ]; then
		cat
	else
		grep -E '^Mesh_(198_18_0_2|2001_db8__2) '
	fi
}

# renewed I BEFORE: node I's 4 sessions are Established, those to node2
# with a new since (node I's sessions BEFORE the fault).
renewed() {
	_now=$(sessions_since "$1")
	[ "$(printf '%s\n' "$_now" | grep -c ' Established ')" -eq 4 ] ||
	    return 1
	[ -z "$(printf '%s\n%s\n' "$_now" "$2" | to2 "$1" | LC_ALL=C sort |
	    uniq -d)" ]
}

# since OFFSET FILE PATTERN: FILE shows PATTERN after OFFSET bytes.
since() {
	tail -c +$(($1 + 1)) "$2" | grep -q "$3"
}

# --- (a) sessiond ---------------------------------------------------------
# others I: node I's sessions that do not go to node2.
others() {
	sessions_since "$1" | grep -Ev '^Mesh_(198_18_0_2|2001_db8__2) '
}
for i in 1 2 3; do
	sessions_since "$i" >"$LAB_DIR/before$i"
done
since1=$(others 1)
since3=$(others 3)
off1=$(wc -c <"$LAB_DIR/node1.log")
off2=$(wc -c <"$LAB_DIR/node2.log")
monitor_start
ping_start
old=$(child_pid 'tortie: sessiond mesh')
ok $([ -n "$old" ] && echo 0 || echo 1) "node2: sessiond mesh found"
kill -9 "$old"
FAULTS=$((FAULTS + 1))
wait_for 10 sh -c "pgrep -P $(parent2) -f 'tortie: sessiond mesh' |
    grep -qvx '$old'"
ok $? "sessiond: the parent started a new one"
grep -q "sessiond mesh (pid $old) killed by signal 9" "$LAB_DIR/node2.log"
ok $? "sessiond: its death is logged"
for i in 1 2 3; do
	wait_for 60 renewed "$i" "$(cat "$LAB_DIR/before$i")"
	ok $? "sessiond: node$i's sessions with node2 came back (new since)"
done
# Graceful restart did the work: both sides kept the other's routes.
wait_for 10 since "$off1" "$LAB_DIR/node1.log" \
    'Mesh_198_18_0_2: down, keeping 1 routes as stale'
ok $? "sessiond: node1 kept node2's route as stale"
wait_for 10 since "$off2" "$LAB_DIR/node2.log" \
    'ribd\[.*Mesh_198_18_0_1: down, keeping 1 routes as stale'
ok $? "sessiond: node2's ribd kept node1's route as stale"
# The sessions that did not involve node2 never went down.
is "$(others 1)" "$since1" \
    "sessiond: node1's other sessions kept their since"
is "$(others 3)" "$since3" \
    "sessiond: node3's other sessions kept their since"
for i in 1 2 3; do
	lab_wait_routes "n$i" "$(lab_blocks "$i" 1 2 3)" 20
	ok $? "sessiond: node$i has every block"
done
# Let the stale routes be refreshed by End-of-RIB before stopping.
sleep 1
ping_stop "sessiond killed"
monitor_stop
is "$(grep -c '^Deleted' "$LAB_DIR/monitor.txt")" 0 \
    "sessiond: no kernel route deleted on node2"
kill -0 "$(parent2)"
ok $? "sessiond: tortied still runs"

# --- (b) ribd and (c) kroute ----------------------------------------------
# fatal_child NAME PATTERN: kill node2's child NAME; tortied stops.
fatal_child() {
	_name=$1
	_pat=$2
	_off=$(wc -c <"$LAB_DIR/node2.log")
	_parent=$(parent2)
	_before=$(tortie_pids)
	_routes=$(lab_routes n2)
	for i in 1 2 3; do
		sessions_since "$i" >"$LAB_DIR/before$i"
	done
	_off1=$(wc -c <"$LAB_DIR/node1.log")
	ping_start
	_pid=$(child_pid "$_pat")
	ok $([ -n "$_pid" ] && echo 0 || echo 1) "$_name: found (pid $_pid)"
	kill -9 "$_pid"
	FAULTS=$((FAULTS + 1))
	wait_for 30 sh -c "! kill -0 $_parent 2>/dev/null"
	ok $? "$_name: tortied stopped"
	wait "$_parent" 2>/dev/null
	tail -c +$((_off + 1)) "$LAB_DIR/node2.log" >"$LAB_DIR/fatal.log"
	# kroute exits when ribd's pipe closes: only the cause is named.
	_n=$(sed -n 's/.* tortied\[[0-9]*\]: \(.*\) died: .*stopping.*/\1/p' \
	    "$LAB_DIR/fatal.log")
	is "$_n" "$_name" "$_name: one log line names the dead process"
	grep "died" "$LAB_DIR/fatal.log" | sed 's/^/#   /'
	grep -q "$_name (pid $_pid) killed by signal 9" "$LAB_DIR/fatal.log"
	ok $? "$_name: its pid and signal are logged"
	# Every process of the old tortied is gone.
	wait_for 10 sh -c "[ -z \"\$(for p in $(echo $_before); do
	    kill -0 \$p 2>/dev/null && echo \$p; done)\" ]"
	ok $? "$_name: every process of the old tortied exited"
	is "$(lab_routes n2)" "$_routes" \
	    "$_name: node2's kernel routes stay"
	for i in 1 3; do
		is "$(lab_routes "n$i")" \
		    "$(lab_blocks "$i" 1 2 3 | LC_ALL=C sort)" \
		    "$_name: node$i keeps node2's block (graceful restart)"
	done
	wait_for 10 since "$_off1" "$LAB_DIR/node1.log" \
	    'Mesh_198_18_0_2: down, keeping 1 routes as stale'
	ok $? "$_name: node1 keeps node2's route as stale"
	# Forwarding goes on while no tortied runs on node2.
	_s1=$(grep -c 'icmp_seq=' "$LAB_DIR/ping1.txt")
	wait_for 10 sh -c "[ \$(grep -c icmp_seq= '$LAB_DIR/ping1.txt') \
	    -ge $((_s1 + 20)) ]"
	ok $? "$_name: pods still answer with tortied down on node2"

	_off=$(wc -c <"$LAB_DIR/node2.log")
	monitor_start
	lab_start 2
	for i in 1 2 3; do
		wait_for 60 renewed "$i" "$(cat "$LAB_DIR/before$i")"
		ok $? "$_name: node$i's sessions with node2 came back"
	done
	lab_wait_routes n2 "$_routes" 20
	ok $? "$_name: node2 ends with the same routes"
	for i in 1 3; do
		lab_wait_routes "n$i" "$(lab_blocks "$i" 1 2 3)" 20
		ok $? "$_name: node$i has every block"
	done
	since "$_off" "$LAB_DIR/node2.log" \
	    'kroute\[.*kept 3 routes of protocol 186 from before'
	ok $? "$_name: the new kroute kept the 3 routes in the kernel"
	# The kernel sync (leftovers dropped) follows every End-of-RIB.
	wait_for 30 since "$_off" "$LAB_DIR/node2.log" \
	    'ribd\[.*routes converged: kernel sync'
	ok $? "$_name: the new ribd synced the kernel"
	monitor_stop
	ping_stop "$_name killed, tortied restarted"
	_del=$(grep -c '^Deleted.*proto 186' "$LAB_DIR/monitor.txt")
	is "$_del" 0 "$_name: the new tortied deleted no kernel route"
	grep '^Deleted' "$LAB_DIR/monitor.txt" | sed 's/^/#   /'
	_dup=$(ip -n "$(lab_ns n2)" -4 route show proto 186 | sort | uniq -d)
	is "$_dup" "" "$_name: no duplicate route"
	_all=$(ip -n "$(lab_ns n2)" -4 route show proto 186 | wc -l)
	is "$_all" 3 "$_name: node2 holds exactly three tortie routes"
	_left=
	for _p in $_before; do
		kill -0 "$_p" 2>/dev/null && _left="$_left $_p"
	done
	is "$_left" "" "$_name: no process of the old tortied left"
	is "$(tortie_pids | wc -l)" 4 \
	    "$_name: node2 runs one tortied, ribd, kroute and sessiond"
}

fatal_child ribd 'tortie: ribd'
fatal_child kroute 'tortie: kroute'

diag "faults injected: $FAULTS (sessiond, ribd, kroute on node2);" \
    "pings lost: $LOSS_TOTAL"
is "$FAULTS" 3 "three faults injected"

done_testing
