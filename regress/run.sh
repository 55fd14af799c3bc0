#!/bin/sh
# Runs every test of tortie and ends with one summary line
# "N passed, N failed" (N counts test cases, not files).
#
#   regress/run.sh [unit|integration|all] [pattern]
#
# Unit tests are cmocka binaries run with TAP output; integration tests are
# TAP scripts (regress/integration/*.t) run by prove.  Both go through prove
# so that a crash or a bad plan counts as a failure.
set -u
cd "$(dirname "$0")/.."
what=${1:-all}
pat=${2:-}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0

run_prove() {
	# $@: files; prints TAP lines verbosely into the log and the terminal.
	prove -v --timer "$@" 2>&1 | tee -a "$log" || rc=1
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	set --
	for t in regress/unit/test_*; do
		case "$t" in *.c|*.o|*.d) continue ;; esac
		[ -x "$t" ] || continue
		[ -n "$pat" ] && case "$t" in *"$pat"*) ;; *) continue ;; esac
		set -- "$@" "$t"
	done
	if [ $# -gt 0 ]; then
		CMOCKA_MESSAGE_OUTPUT=TAP run_prove -e '' "$@"
	fi
fi
if [ "$what" = all ] || [ "$what" = integration ]; then
	# Sandboxed children cannot run LeakSanitizer's exit check (it
	# ptraces itself, which seccomp forbids): leaks are checked by the
	# unit tests, memory errors everywhere.
	if [ -n "${TORTIE_ASAN:-}" ]; then
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
		export ASAN_OPTIONS
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "integration tests need root (network namespaces)" >&2
		echo "not ok - integration tests need root" >>"$log"
		rc=1
	else
		set --
		for t in regress/integration/*.t; do
			[ -f "$t" ] || continue
			[ -n "$pat" ] && case "$t" in *"$pat"*) ;; *) continue ;; esac
			set -- "$@" "$t"
		done
		[ $# -gt 0 ] && run_prove "$@"
	fi
fi
# A "# SKIP" test counts as skipped, whatever its ok/not ok.
skipped=$(grep -cE '^(not )?ok [0-9]+.*# *SKIP' "$log")
passed=$(grep -E '^ok [0-9]+' "$log" | grep -cvE '# *SKIP')
failed=$(grep -E '^not ok' "$log" | grep -cvE '# *SKIP')
echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
