#!/bin/sh
# The libFuzzer targets of regress/fuzz: built with clang and the
# sanitizers (make -C regress/fuzz all), then for each target every seed
# (corpus/NAME/) and every input that once crashed (regress/NAME/) run
# once, and ten seconds of fuzzing from the seeds (what `make -C
# regress/fuzz smoke` does).  One TAP line for the build, one per target.
# A crashing input is left in regress/fuzz/crashes/.  Needs no root.
# FUZZ_SMOKE_SECONDS changes the fuzzing time per target.
. "$(dirname "$0")/../lib/tap.sh"

F=$TOP/regress/fuzz
SECS=${FUZZ_SMOKE_SECONDS:-10}
CC_FUZZ=${FUZZ_CC:-clang}
W=$(mktemp -d /tmp/tortie-fuzz-smoke.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM

# clang and its libFuzzer runtime come with make deps: without them this
# is a failure, not a skip.
cat >"$W/probe.c" <<'EOF'
int LLVMFuzzerTestOneInput(const char *, unsigned long);
int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }
EOF
if ! "$CC_FUZZ" -fsanitize=fuzzer,address,undefined -o "$W/probe" \
    "$W/probe.c" >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - $CC_FUZZ cannot build libFuzzer targets (make deps)"
	exit 1
fi

set --
for c in "$F"/fuzz_*.c; do
	[ -f "$c" ] || continue
	t=${c##*/}
	set -- "$@" "${t%.c}"
done
plan $(($# + 1))

make -s -C "$F" all >"$W/build" 2>&1
built=$?
ok $built "fuzzers build ($*)"
[ $built -eq 0 ] || sed 's/^/# /' "$W/build" | tail -n 30

for t in "$@"; do
	if [ $built -ne 0 ]; then
		ok 1 "$t: not built"
		continue
	fi
	sh "$F/run.sh" replay 0 "$t" >"$W/replay" 2>&1
	r1=$?
	r2=1
	: >"$W/fuzz"
	if [ $r1 -eq 0 ]; then
		sh "$F/run.sh" fuzz "$SECS" "$t" >"$W/fuzz" 2>&1
		r2=$?
	fi
	ok $r2 "$(head -n 1 "$W/replay"); ${SECS} s: $(head -n 1 "$W/fuzz" |
	    sed "s/^$t: //")"
	[ $r2 -eq 0 ] || sed 's/^/# /' "$W/replay" "$W/fuzz"
done
done_testing
