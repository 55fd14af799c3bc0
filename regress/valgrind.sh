#!/bin/sh
# make valgrind: memcheck over tortie's code where valgrind can follow it.
#
#  1. every unit test binary (the codec, plan, resources, datastores,
#     RIB, decision, export, next hops, imsg, ...), with full leak checks;
#  2. tortied, the parent, in integration labs (LAB_WRAP in lab.sh):
#     configuration, plans, reloads, the control socket, status, the
#     datastore watch.  The children (sessiond, ribd, kroute, dsd) run
#     under seccomp filters that valgrind's own system calls would
#     break; the sanitizer build (make asan) and the fuzzers cover them.
#
# A run fails on any error valgrind reports (invalid reads or writes,
# uninitialised values, bad frees) and on memory definitely or
# indirectly lost.  Logs: $VG_DIR (default /tmp/tortie-valgrind).
#
#   sh regress/valgrind.sh [unit|integration|all] [integration tests...]
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
what=${1:-all}
[ $# -gt 0 ] && shift
VG_DIR=${VG_DIR:-/tmp/tortie-valgrind}
rm -rf "$VG_DIR"
mkdir -p "$VG_DIR"
VG="valgrind --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes
    --num-callers=30"
fails=0
runs=0

if ! command -v valgrind >/dev/null; then
	echo "valgrind: not installed (make deps installs it)" >&2
	exit 1
fi

# verdict LOG NAME: whether valgrind found nothing in LOG (leaks of the
# kinds above count as errors in its summary).
verdict() {
	runs=$((runs + 1))
	if grep -q 'ERROR SUMMARY: 0 errors' "$1"; then
		echo "ok $runs - $2"
	else
		echo "not ok $runs - $2 (see $1)"
		fails=$((fails + 1))
	fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in regress/unit/test_*; do
		case "$t" in *.c|*.o|*.d|*.h) continue ;; esac
		[ -x "$t" ] || continue
		n=$(basename "$t")
		$VG --log-file="$VG_DIR/$n.log" "$t" >"$VG_DIR/$n.out" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ]; then
			runs=$((runs + 1))
			fails=$((fails + 1))
			echo "not ok $runs - unit $n exited $rc under valgrind"
			continue
		fi
		verdict "$VG_DIR/$n.log" "unit $n"
	done
fi

if [ "$what" = all ] || [ "$what" = integration ]; then
	[ $# -gt 0 ] || set -- mesh routes guide_mesh_off migration \
	    nodestatus guide_node_peer
	for t in "$@"; do
		LAB_WRAP="valgrind --leak-check=full
		    --show-leak-kinds=definite,indirect
		    --errors-for-leak-kinds=definite,indirect --num-callers=30
		    --log-file=$VG_DIR/$t.tortied.%p.log"
		export LAB_WRAP
		if sh "regress/integration/$t.t" >"$VG_DIR/$t.tap" 2>&1; then
			echo "# $t.t passed under valgrind"
		else
			echo "# $t.t: failures under valgrind (timing may be" \
			    "the cause; see $VG_DIR/$t.tap)"
		fi
		n=0
		for l in "$VG_DIR/$t".tortied.*.log; do
			[ -f "$l" ] || continue
			# Only the parent: forked children that exec'd their
			# program left a log without a summary.
			grep -q 'ERROR SUMMARY' "$l" || continue
			n=$((n + 1))
			verdict "$l" "tortied in $t.t ($(basename "$l"))"
		done
		[ "$n" -gt 0 ] || echo "# $t.t: no tortied log"
	done
fi

echo "1..$runs"
echo "$((runs - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
