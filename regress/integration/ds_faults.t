#!/bin/sh
# The file datastore failing under tortiectl apply while two tortie nodes
# run from it.  The datastore directory is a tiny tmpfs of its own under
# the lab's directory (unmounted on exit), first filled up, then covered
# by a read-only bind mount of itself.  Each time: apply fails with the
# system's reason, every stored file is byte for byte what it was, no
# temporary file is left, the daemons keep their sessions (same since),
# routes and processes; deleting on a full disk works, since that is how
# room is made; and once space or write access returns, apply works and
# the daemons follow the change.
#
# The writes themselves (common/datastore_file.c) go to a temporary file,
# fsync, rename over the old file, fsync of the directory: a failure at
# any step leaves the old file whole.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/regress/lab/lab.sh"

MOUNTS=0

ds_cleanup() {
	LAB_KEEP_DIR=1 lab_down
	# The read-only bind first, then the tmpfs; lazily if still busy.
	while [ "$MOUNTS" -gt 0 ]; do
		umount "$LAB_DS" 2>/dev/null || umount -l "$LAB_DS"
		MOUNTS=$((MOUNTS - 1))
	done
	rm -rf "$LAB_DIR"
}

lab_init
trap 'ds_cleanup' EXIT
trap 'ds_cleanup; exit 130' INT TERM
mount -t tmpfs -o size=256k,mode=0755 tortie-ds-faults "$LAB_DS" || {
	echo "1..1"
	echo "not ok 1 - cannot mount a tmpfs on $LAB_DS"
	exit 1
}
MOUNTS=1

lab_up 2
lab_resources 2
cat >"$LAB_DIR/spare.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: spare
spec:
  exportV4:
    - action: Reject
      matchOperator: In
      cidr: 198.51.100.0/24
EOF
lab_tortiectl apply -f "$LAB_DIR/spare.yaml" >/dev/null
ok $? "an unused BGPFilter stored"
lab_start 1 2
for i in 1 2; do
	lab_wait_established "$i" 2 30
	ok $? "node$i: mesh (IPv4 and IPv6) Established"
	lab_wait_routes "n$i" "$(lab_blocks "$i" 1 2)" 20
	ok $? "node$i: both blocks routed"
done

# The changes that the faults must stop: a label on node1 (an update of
# a stored file, made larger) and a new BGPPeer (a new file).
cat >"$LAB_DIR/change.yaml" <<'EOF'
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
  labels:
    rack: rack-1
    faults: "a-label-that-makes-the-file-longer-than-it-was-before"
spec:
  bgp:
    ipv4Address: 198.18.0.1/24
    ipv6Address: 2001:db8::1/64
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: faults-peer
spec:
  peerIP: 198.18.0.200
  asNumber: 64999
EOF

# big.yaml: node1 with labels enough for a file of two pages.
{
	printf 'apiVersion: projectcalico.org/v3\nkind: Node\n'
	printf 'metadata:\n  name: node1\n  labels:\n    rack: rack-1\n'
	k=0
	while [ "$k" -lt 80 ]; do
		printf '    big-label-%02d: %s\n' "$k" \
		    "value-of-a-label-that-fills-a-page-with-many-others-$k"
		k=$((k + 1))
	done
	printf 'spec:\n  bgp:\n    ipv4Address: 198.18.0.1/24\n'
	printf '    ipv6Address: 2001:db8::1/64\n'
} >"$LAB_DIR/big.yaml"

# digest: every file of the datastore with its checksum and size; not
# the filler, the lock, nor the revision counter, which a failed write
# may have advanced (a gap in revisions, nothing lost).
digest() {
	(cd "$LAB_DS" && find . -type f ! -name .filler ! -name .lock \
	    ! -name .revision |
	    LC_ALL=C sort | while read -r f; do
		echo "$f $(md5sum <"$f" | cut -c1-32) $(wc -c <"$f")"
	done)
}
tmpfiles() {
	find "$LAB_DS" -name '.tortie-tmp.*' | wc -l
}
since_of() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq -r '.[] | "\(.name) \(.state) \(.since)"' | LC_ALL=C sort
}
pids_of() {
	echo "$(cat "$LAB_DIR/node$1.pid") $(pgrep -P \
	    "$(cat "$LAB_DIR/node$1.pid")" | LC_ALL=C sort | tr '\n' ' ')"
}
for i in 1 2; do
	since_of "$i" >"$LAB_DIR/since$i"
	pids_of "$i" >"$LAB_DIR/pids$i"
done
BEFORE=$(digest)
LOSS=0
REFUSED=Global_198_18_0_200

# unchanged WHAT: the datastore and both daemons as they were.
unchanged() {
	_now=$(digest)
	if [ "$_now" = "$BEFORE" ]; then
		ok 0 "$1: every stored file unchanged ($(echo "$BEFORE" |
		    wc -l) files)"
	else
		ok 1 "$1: every stored file unchanged"
		printf '%s\n' "$BEFORE" >"$LAB_DIR/.a"
		printf '%s\n' "$_now" >"$LAB_DIR/.b"
		diff "$LAB_DIR/.a" "$LAB_DIR/.b" | sed 's/^/#   /'
		LOSS=$((LOSS + 1))
	fi
	is "$(tmpfiles)" 0 "$1: no temporary file left"
	for _i in 1 2; do
		is "$(pids_of "$_i")" "$(cat "$LAB_DIR/pids$_i")" \
		    "$1: node$_i's tortie processes all still run"
		is "$(since_of "$_i")" "$(cat "$LAB_DIR/since$_i")" \
		    "$1: node$_i's sessions up, same since"
		is "$(lab_routes "n$_i")" \
		    "$(lab_blocks "$_i" 1 2 | LC_ALL=C sort)" \
		    "$1: node$_i keeps its routes"
	done
	lab_ctl 1 show neighbors -o json | grep -q "$REFUSED"
	ok $((1 - $?)) "$1: the refused peer is not in node1's plan"
}

# apply_fails WHAT FILE REASON: apply of FILE fails, naming REASON.
apply_fails() {
	lab_tortiectl apply -f "$LAB_DIR/$2" >"$LAB_DIR/apply.out" 2>&1
	_rc=$?
	diag "$1: apply said: $(tr '\n' ' ' <"$LAB_DIR/apply.out")"
	ok $([ "$_rc" -ne 0 ] && echo 0 || echo 1) "$1: apply fails ($_rc)"
	grep -q "$3" "$LAB_DIR/apply.out"
	ok $? "$1: the error says '$3'"
	# Give the daemons' watch time to see whatever did change.
	sleep 1
	unchanged "$1"
}

# --- A full file system ---------------------------------------------------
dd if=/dev/zero of="$LAB_DS/.filler" bs=4096 2>/dev/null
diag "filled the datastore: $(df -k "$LAB_DS" | awk 'NR == 2 {
    print $3 " kB used, " $4 " kB free" }')"
apply_fails "no space" change.yaml "No space left on device"

# One page free: the revision counter fits, a file of two pages does not.
truncate -s -4096 "$LAB_DS/.filler"
apply_fails "one page free" big.yaml "No space left on device"

# Deleting is how an operator makes room: it works on a full disk.
dd if=/dev/zero of="$LAB_DS/.filler" bs=4096 oflag=append conv=notrunc \
    2>/dev/null
lab_tortiectl delete bgpfilter spare >"$LAB_DIR/del.out" 2>&1
ok $? "a delete works on a full disk ($(tr '\n' ' ' <"$LAB_DIR/del.out"))"
lab_tortiectl get bgpfilter spare >/dev/null 2>&1
ok $((1 - $?)) "the deleted BGPFilter is gone"
BEFORE=$(digest)

# Space returns: apply works and the daemons follow.
rm -f "$LAB_DS/.filler"
lab_tortiectl apply -f "$LAB_DIR/change.yaml" >"$LAB_DIR/apply.out" 2>&1
ok $? "space back: apply works"
wait_for 10 sh -c "'$TOP/ctl/tortiectl' -s '$LAB_DIR/node1.sock' \
    show neighbors -o json | grep -q Global_198_18_0_200"
ok $? "space back: node1 has the new peer's session"
lab_tortiectl get node node1 -o yaml | grep -q 'faults: a-label'
ok $? "space back: node1's new label stored"
lab_tortiectl apply -f "$LAB_DIR/big.yaml" >"$LAB_DIR/apply.out" 2>&1
ok $? "space back: the two-page node1 applied"
BEFORE=$(digest)
# The new peer's group has a sessiond of its own.
for i in 1 2; do
	pids_of "$i" >"$LAB_DIR/pids$i"
done
REFUSED=Global_198_18_0_201

# --- A read-only file system ---------------------------------------------
mount --bind "$LAB_DS" "$LAB_DS" && MOUNTS=2 &&
    mount -o remount,bind,ro "$LAB_DS"
ok $? "datastore covered by a read-only bind mount of itself"
sed -i 's/faults-peer/faults-peer-2/; s/198.18.0.200/198.18.0.201/' \
    "$LAB_DIR/change.yaml"
sed -i 's/-before"$/-before-2"/' "$LAB_DIR/change.yaml"
# The first faults peer never comes up: compare the others' since.
since_of() {
	lab_ctl "$1" show neighbors -o json 2>/dev/null |
	    jq -r '.[] | select(.name != "Global_198_18_0_200") |
		"\(.name) \(.state) \(.since)"' | LC_ALL=C sort
}
for i in 1 2; do
	since_of "$i" >"$LAB_DIR/since$i"
done
apply_fails "read-only" change.yaml "Read-only file system"
lab_tortiectl delete bgppeer faults-peer >"$LAB_DIR/del.out" 2>&1
ok $((1 - $?)) "read-only: delete fails too"
unchanged "read-only delete"
umount "$LAB_DS" && MOUNTS=1
ok $? "read-only bind mount removed"
lab_tortiectl apply -f "$LAB_DIR/change.yaml" >"$LAB_DIR/apply.out" 2>&1
ok $? "writable again: apply works"
wait_for 10 sh -c "'$TOP/ctl/tortiectl' -s '$LAB_DIR/node1.sock' \
    show neighbors -o json | grep -q Global_198_18_0_201"
ok $? "writable again: node1 has the second peer's session"

for i in 1 2; do
	grep -Eq 'killed by signal|exited with status [1-9]|fatal' \
	    "$LAB_DIR/node$i.log"
	ok $((1 - $?)) "node$i: no child crashed, nothing fatal in the log"
done
diag "faults: full, one page free, read-only (apply and delete);" \
    "stored files changed or lost: $LOSS"

done_testing
