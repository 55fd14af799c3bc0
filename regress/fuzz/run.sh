#!/bin/sh
# Runs the libFuzzer targets of regress/fuzz, one after the other (never
# two at once: they would share the cores with everyone else).
#
#   run.sh fuzz SECONDS TARGET...	fuzz each target for SECONDS
#   run.sh replay 0 TARGET...		run every seed and regression input
#					of each target once
#
# A target fuzz_NAME has its seeds in corpus/NAME/, inputs that once
# crashed in regress/NAME/ and an optional dictionary NAME.dict.  Fuzzing
# works on a scratch copy of both in corpus-run/NAME/, so that the seeds in
# the tree do not churn; its log is corpus-run/NAME.log.  Each target ends
# with one line: executions and coverage (cov: edges, ft: features) as
# libFuzzer counts them, or what went wrong.  A crash, leak, timeout or
# out-of-memory leaves its input in crashes/NAME-* and makes the run fail.
set -u
cd "$(dirname "$0")" || exit 1
mode=${1:-}
secs=${2:-}
[ $# -ge 2 ] && shift 2
case "$mode" in
fuzz|replay) ;;
*)
	echo "usage: run.sh fuzz|replay SECONDS TARGET..." >&2
	exit 2
	;;
esac

# Slower than this per input is a finding (hang), not a slow input.
UNIT_TIMEOUT=25
rc=0

# stat LOG KEY: the number after "KEY: " in libFuzzer's last status line.
stat() {
	grep -E '^#[0-9]+[[:space:]].* cov: ' "$1" | tail -n 1 |
	    sed -n "s/.* $2: \\([0-9]*\\).*/\\1/p"
}

# report NAME LOG STATUS: the summary line; the log's tail on failure.
report() {
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$2" |
	    tail -n 1)
	[ -n "$execs" ] || execs=$(grep -E '^#[0-9]+[[:space:]]' "$2" |
	    tail -n 1 | sed 's/^#\([0-9]*\).*/\1/')
	line="$1: ${execs:-0} executions, cov $(stat "$2" cov)"
	line="$line ft $(stat "$2" ft), corpus $(stat "$2" corp) inputs"
	if [ "$3" -eq 0 ]; then
		echo "$line"
		return
	fi
	art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$2" | tail -n 1)
	echo "$line: FAILED (exit $3)${art:+, input in regress/fuzz/$art}"
	tail -n 40 "$2" | sed 's/^/    /'
	rc=1
}

# seeds NAME: every seed and regression input of a target.
seeds() {
	for d in corpus/"$1" regress/"$1"; do
		[ -d "$d" ] && find "$d" -type f
	done
}

fuzz_one() {
	name=${1#fuzz_}
	work=corpus-run/$name
	log=corpus-run/$name.log
	rm -rf "$work"
	mkdir -p "$work" crashes
	seeds "$name" | while read -r f; do
		cp "$f" "$work/"
	done
	dict=
	[ -f "$name.dict" ] && dict=-dict=$name.dict
	./"$1" -max_total_time="$secs" -timeout=$UNIT_TIMEOUT \
	    -print_final_stats=1 -artifact_prefix=crashes/"$name"- \
	    $dict "$work" >"$log" 2>&1
	st=$?
	report "$1" "$log" $st
}

replay_one() {
	bin=$1
	name=${1#fuzz_}
	log=corpus-run/$name.replay.log
	mkdir -p corpus-run
	set -- $(seeds "$name")
	if [ $# -eq 0 ]; then
		echo "$bin: no inputs to replay"
		return
	fi
	./"$bin" -timeout=$UNIT_TIMEOUT "$@" >"$log" 2>&1
	st=$?
	if [ $st -eq 0 ]; then
		echo "$bin: $# inputs replayed"
		return
	fi
	echo "$bin: replay FAILED (exit $st) on" \
	    "$(sed -n 's/^Running: //p' "$log" | tail -n 1)"
	tail -n 40 "$log" | sed 's/^/    /'
	rc=1
}

for t in "$@"; do
	t=fuzz_${t#fuzz_}
	if [ ! -x "$t" ]; then
		echo "$t: not built" >&2
		rc=1
		continue
	fi
	if [ "$mode" = fuzz ]; then
		fuzz_one "$t"
	else
		replay_one "$t"
	fi
done
exit $rc
