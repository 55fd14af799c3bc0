#!/bin/sh
# The benchmark's smoke run (`make bench` itself is not a test): 10,000
# prefixes through tortie with the benchmark's own injector and monitor
# (regress/bench/benchpeer), then their withdrawal.  Every prefix must
# reach the monitor, every withdrawal too, and the result lines parse.
. "$(dirname "$0")/../lib/tap.sh"

plan 7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

BENCH_ROUNDS=1 BENCH_OUT=$tmp/results.jsonl \
    sh "$TOP/regress/bench/run.sh" smoke >"$tmp/out" 2>"$tmp/err"
ok $? "run.sh smoke exits 0"
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | tail -20

# field NAME: the value of a field of the run's line, "" if absent.
field() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("bench") == "smoke" and not r.get("summary"):
        v = r.get(sys.argv[2], "")
        print(json.dumps(v) if isinstance(v, bool) else v)
' "$tmp/out" "$1" 2>/dev/null
}

python3 -c '
import json, sys
for l in open(sys.argv[1]):
    json.loads(l)
' "$tmp/out" 2>/dev/null
ok $? "every output line is JSON"
is "$(field ok)" true "the monitor held exactly the injected prefixes"
is "$(field prefixes)" 10000 "10,000 prefixes"
is "$(field unexpected)" 0 "no prefix the injector did not send"
python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > 0)' \
    "$(field withdraw_seconds)" 2>/dev/null
ok $? "every withdrawal reached the monitor"
grep -q '"summary": true, "bench": "smoke", "metric": "seconds"' "$tmp/out"
ok $? "summary line"
done_testing
