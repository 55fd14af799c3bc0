#!/bin/sh
# Routes flow: three tortie nodes in the default mesh each originate their
# /26 block; every node's kernel holds the others' blocks via the right
# next hop, a blackhole for its own, and each workload pings every other.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

lab_init
lab_up 3
lab_resources 3
lab_start 1 2 3
for i in 1 2 3; do
	lab_wait_established "$i" 4 30
	ok $? "node$i: mesh Established"
done

route_of() {
	lab_exec "n$1" ip -4 route show "$2" proto 186 2>/dev/null
}

for i in 1 2 3; do
	for j in 1 2 3; do
		if [ "$i" = "$j" ]; then
			wait_for 10 sh -c "ip -n $LAB-n$i -4 route show \
			    198.19.$j.0/26 | grep -q '^blackhole'"
			ok $? "node$i: blackhole for its own block 198.19.$j.0/26"
		else
			wait_for 10 sh -c "ip -n $LAB-n$i -4 route show \
			    198.19.$j.0/26 proto 186 | grep -q 'via 198.18.0.$j dev eth0'"
			ok $? "node$i: 198.19.$j.0/26 via 198.18.0.$j"
		fi
	done
done

for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		wait_for 5 lab_exec "w$i" ping -c 1 -W 1 "198.19.$j.2"
		ok $? "pod on node$i pings pod on node$j"
	done
done

# Status agrees with the kernel.
lab_ctl 1 show fib -o json | grep -q '"prefix": "198.19.2.0/26"'
ok $? "show fib lists 198.19.2.0/26"
lab_ctl 1 show rib -o json | grep -q '"peerIP": "198.18.0.3"'
ok $? "show rib lists the route learned from node3"
received_from2() {
	lab_ctl 1 show neighbors -o json | tr -d ' \n' |
	    sed 's/},{/}\n{/g' | grep '"name":"Mesh_198_18_0_2"' |
	    sed 's/.*"prefixesReceived":\([0-9]*\).*/\1/'
}
# ribd reports counts at most once a second.
t=50
while [ "$t" -gt 0 ] && [ "$(received_from2)" != 1 ]; do
	sleep 0.1
	t=$((t - 1))
done
is "$(received_from2)" 1 "node1 received 1 prefix from node2"

# Stopping a node leaves its routes on the others for the graceful
# restart time, and restarting it keeps its own kernel routes.
lab_stop 2
sleep 1
route_of 1 198.19.2.0/26 | grep -q 'via 198.18.0.2'
ok $? "node1 keeps node2's block while node2 restarts (graceful restart)"
lab_exec n2 ip -4 route show 198.19.3.0/26 proto 186 | grep -q via
ok $? "node2's kernel routes survive its own stop"
lab_start 2
lab_wait_established 2 4 30
ok $? "node2 back in the mesh"
wait_for 10 lab_exec w1 ping -c 1 -W 1 198.19.2.2
ok $? "pod on node1 pings pod on node2 after the restart"

done_testing
