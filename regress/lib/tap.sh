# Small TAP helpers for the integration tests (sourced by regress/*/*.t).
# A test script calls plan N (or done_testing at the end), then ok/is/etc.

TAP_N=0
TAP_FAILED=0
TOP=$(cd "$(dirname "$0")/../.." && pwd)

plan() { echo "1..$1"; TAP_PLANNED=$1; }

ok() {
	# ok CONDITION_EXIT_STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	_d=$1
	shift
	"$@" >/dev/null 2>&1
	ok $? "$_d"
}

is() {
	# is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
	fi
}

diag() { echo "# $*"; }

done_testing() {
	[ -z "${TAP_PLANNED:-}" ] && echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until the command succeeds.
wait_for() {
	_t=$(($1 * 10))
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# The unprivileged user the children run as.
ensure_user() {
	getent passwd _tortie >/dev/null 2>&1 ||
	    useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin _tortie
}
