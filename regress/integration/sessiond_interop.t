#!/bin/sh
# sessiond against real BGP speakers from Debian: BIRD 2, FRR's bgpd,
# GoBGP, OpenBGPD and ExaBGP.  Two network namespaces joined by a veth
# pair: tortie's side A (198.18.0.1, 2001:db8::1) runs sessiond under
# se_harness (a fake parent and ribd), side B (198.18.0.2, 2001:db8::2)
# runs the peer.  Every daemon: Established as iBGP and eBGP over IPv4
# and IPv6, tortie active and passive; TCP-MD5 with the right password,
# a wrong one must not establish; GTSM (tortie's TTL checked on the wire;
# ExaBGP cannot do it over IPv6, so tortie must refuse it); hold timer
# expiry against the peer frozen with SIGSTOP; both sides dialling.  And
# with BIRD or a scripted peer: connection collision resolution, the
# status texts, reset on a configuration change, deconfiguration and
# shutdown NOTIFICATIONs, graceful restart, output backpressure.
# doc/testing.md has the matrix.
#
# Sections run alone with TSE_ONLY (say TSE_ONLY="gtsm hold"): interop,
# md5, gtsm, hold, status, gr, xoff, collide.  TORTIE_KEEP=1 keeps the
# logs, SESSIOND=/path tests another build.
#
# Without GTSM sessiond sends with TTL 64 (see se_sock_linux.c), so no
# peer needs "multihop" for these direct sessions.
. "$(dirname "$0")/../lib/tap.sh"

A=tse-a-$$
B=tse-b-$$
W=$(mktemp -d /tmp/tortie-se.XXXXXX)
chmod 755 "$W"
HARN=$W/se_harness
# SESSIOND=/path runs another build (a sanitizer one, say).
SESSIOND=${SESSIOND:-$TOP/sessiond/sessiond}
CMD=$W/cmd
HPID=
DPID=
CPID=
A4=198.18.0.1
B4=198.18.0.2
A6=2001:db8::1
B6=2001:db8::2
LAS=65001

cleanup() {
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	[ -n "$DPID" ] && thaw
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	sleep 0.2
	[ -n "$HPID" ] && kill -9 "$HPID" 2>/dev/null
	[ -n "$DPID" ] && kill -9 "$DPID" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	# TORTIE_KEEP=1 keeps the logs for a look.
	[ -n "${TORTIE_KEEP:-}" ] && echo "# logs in $W" || rm -rf "$W"
}
trap cleanup EXIT INT TERM

# Build what the test needs; the harness links only the common files it
# uses, so that other work in progress in common/ does not stop it.
(cd "$TOP" && { make -s sessiond/sessiond >/dev/null 2>&1 ||
    [ -n "${SESSIOND:-}" ] || [ -x sessiond/sessiond ]; } &&
    cc $(make -s print-cflags) -o "$HARN" regress/tools/se_harness.c \
    common/imsg.c common/util.c common/role.c common/log.c \
    common/bgp_msg.c common/bgp_pack.c common/bgp_aspath.c \
    $(make -s print-libs)) || {
	echo "1..1"
	echo "not ok 1 - cannot build sessiond or se_harness"
	exit 1
}
# A private copy: a rebuild of the tree during the test cannot pull it away.
cp "$SESSIOND" "$W/sessiond" && chmod 755 "$W/sessiond" && SESSIOND=$W/sessiond
ensure_user
mkdir -p /run/tortie/empty && chown root:root /run/tortie/empty &&
    chmod 755 /run/tortie/empty
# Debian's OpenBGPD chroots into its user's home.
mkdir -p /run/openbgpd && chmod 755 /run/openbgpd
mkfifo "$CMD"

ip netns add "$A"
ip netns add "$B"
ip -n "$A" link add va type veth peer name vb netns "$B"
ip -n "$A" addr add $A4/24 dev va
ip -n "$B" addr add $B4/24 dev vb
ip -n "$A" addr add $A6/64 dev va nodad
ip -n "$B" addr add $B6/64 dev vb nodad
for n in "$A" "$B"; do ip -n "$n" link set lo up; done
ip -n "$A" link set va up
ip -n "$B" link set vb up
wait_for 5 ip netns exec "$A" ping -c1 -W1 $B4

# --- the harness -----------------------------------------------------------

# harness NAME [options] PEERSPEC: sessiond in A; output in $W/NAME.out.
harness() {
	_n=$1
	shift
	ip netns exec "$A" "$HARN" -b "$SESSIOND" -c "$CMD" \
	    -t 60 "$@" >"$W/$_n.out" 2>"$W/$_n.err" &
	HPID=$!
	HOUT=$W/$_n.out
}

# cmd LINE: a command to the harness (never blocks when it is gone).
cmd() {
	timeout 5 sh -c 'echo "$1" >"$2"' sh "$*" "$CMD"
}

stop_harness() {
	[ -n "$HPID" ] || return 0
	cmd shutdown &
	_w=$!
	_t=30
	while kill -0 "$HPID" 2>/dev/null && [ $_t -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
	kill "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	kill "$_w" 2>/dev/null
	HPID=
}

any_alive() {
	for _p; do kill -0 "$_p" 2>/dev/null && return 0; done
	return 1
}

# The daemon and the processes it forked: OpenBGPD's session engine holds
# the listening socket, so the next daemon can bind only once it is gone.
stop_daemon() {
	[ -n "$DPID" ] || return 0
	_pids=$(ptree "$DPID")
	thaw
	kill "$DPID" 2>/dev/null
	_t=30
	while [ $_t -gt 0 ] && any_alive $_pids; do
		sleep 0.1
		_t=$((_t - 1))
	done
	kill -9 $_pids 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=
}

established() { grep -q "^STATE 1 Established" "$HOUT"; }
listening() { ip netns exec "$B" ss -ltn | grep -q ":179 "; }

# peer_spec FAM MODE TORTIE_ROLE [extra]: the harness's peer.
peer_spec() {
	if [ "$1" = 6 ]; then _r=$B6 _l=$A6; else _r=$B4 _l=$A4; fi
	if [ "$2" = ibgp ]; then _as=$LAS; else _as=65002; fi
	_s="id=1,remote=$_r,local=$_l,as=$_as,las=$LAS,rid=$A4,hold=6"
	# PEER_GR= (empty) announces no graceful restart.
	[ -n "${PEER_GR-120}" ] && _s="$_s,gr=${PEER_GR-120}"
	[ "$3" = passive ] && _s="$_s,passive"
	[ -n "${4:-}" ] && _s="$_s,$4"
	echo "$_s"
}

# --- the peers: conf FAM MODE DAEMON_ROLE [password] [ttlsec] ----------------

conf_vars() {
	if [ "$1" = 6 ]; then
		RADDR=$A6 LADDR=$B6 FAM=ipv6
	else
		RADDR=$A4 LADDR=$B4 FAM=ipv4
	fi
	if [ "$2" = ibgp ]; then RAS=$LAS MAS=$LAS; else RAS=$LAS MAS=65002; fi
	PASSIVE=$3
	PW=${4:-}
	TTL=${5:-}
}

start_bird() {
	conf_vars "$@"
	: >"$W/bird.log"
	{
		echo "router id ${BIRD_ID:-$B4};"
		echo "log \"$W/bird.log\" all;"
		echo "protocol device {}"
		if [ -n "${BIRD_EXPORT:-}" ]; then
			echo "protocol static { $FAM;"
			echo "  route $BIRD_EXPORT blackhole; }"
		fi
		echo "protocol bgp t {"
		echo "  local $LADDR as $MAS; neighbor $RADDR as $RAS;"
		_exp=none
		[ -n "${BIRD_EXPORT:-}" ] && _exp=all
		echo "  $FAM { import all; export $_exp; };"
		echo "  hold time ${D_HOLD:-6}; keepalive time ${D_KA:-2};"
		echo "  connect delay time 1; connect retry time 1;"
		echo "  error wait time 1,2;"
		[ "$PASSIVE" = passive ] && echo "  passive on;"
		[ -n "$PW" ] && echo "  password \"$PW\";"
		[ -n "$TTL" ] && echo "  ttl security on;"
		echo "}"
	} >"$W/bird.conf"
	ip netns exec "$B" bird -f -c "$W/bird.conf" -s "$W/bird.sock" \
	    >"$W/bird.out" 2>&1 &
	DPID=$!
}

start_frr() {
	conf_vars "$@"
	{
		echo "frr defaults traditional"
		echo "hostname peer"
		echo "log file $W/frr.log"
		echo "router bgp $MAS"
		echo " bgp router-id $B4"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp default ipv4-unicast"
		echo " neighbor $RADDR remote-as $RAS"
		echo " neighbor $RADDR timers ${D_KA:-2} ${D_HOLD:-6}"
		echo " neighbor $RADDR timers connect 1"
		echo " neighbor $RADDR update-source $LADDR"
		[ "$PASSIVE" = passive ] && echo " neighbor $RADDR passive"
		[ -n "$PW" ] && echo " neighbor $RADDR password $PW"
		[ -n "$TTL" ] && echo " neighbor $RADDR ttl-security hops 1"
		echo " address-family $FAM unicast"
		echo "  neighbor $RADDR activate"
		echo " exit-address-family"
	} >"$W/frr.conf"
	ip netns exec "$B" /usr/lib/frr/bgpd -f "$W/frr.conf" \
	    -i "$W/frr.pid" -z "$W/zsock" -S -Z -n --vty_socket "$W" -P 0 \
	    >"$W/frr.out" 2>&1 &
	DPID=$!
}

start_gobgp() {
	conf_vars "$@"
	{
		echo "[global.config]"
		echo "  as = $MAS"
		echo "  router-id = \"$B4\""
		echo "  local-address-list = [\"$B4\", \"$B6\"]"
		echo "[[neighbors]]"
		echo "  [neighbors.config]"
		echo "    neighbor-address = \"$RADDR\""
		echo "    peer-as = $RAS"
		[ -n "$PW" ] && echo "    auth-password = \"$PW\""
		echo "  [neighbors.timers.config]"
		echo "    connect-retry = 1"
		echo "    hold-time = ${D_HOLD:-6}"
		echo "    keepalive-interval = ${D_KA:-2}"
		echo "  [neighbors.transport.config]"
		echo "    local-address = \"$LADDR\""
		[ "$PASSIVE" = passive ] && echo "    passive-mode = true"
		if [ -n "$TTL" ]; then
			echo "  [neighbors.ttl-security.config]"
			echo "    enabled = true"
			echo "    ttl-min = 255"
		fi
		echo "  [[neighbors.afi-safis]]"
		echo "    [neighbors.afi-safis.config]"
		echo "      afi-safi-name = \"$FAM-unicast\""
	} >"$W/gobgp.toml"
	ip netns exec "$B" gobgpd -f "$W/gobgp.toml" \
	    --api-hosts 127.0.0.1:50051 >"$W/gobgp.out" 2>&1 &
	DPID=$!
}

start_openbgpd() {
	conf_vars "$@"
	{
		echo "AS $MAS"
		echo "router-id $B4"
		echo "listen on $B4"
		echo "listen on $B6"
		echo "socket \"$W/obgpd.sock\""
		echo "neighbor $RADDR {"
		echo "	remote-as $RAS"
		echo "	holdtime ${D_HOLD:-6}"
		echo "	local-address $LADDR"
		[ "$PASSIVE" = passive ] && echo "	passive"
		[ -n "$PW" ] && echo "	tcp md5sig password $PW"
		[ -n "$TTL" ] && echo "	ttl-security yes"
		echo "}"
		echo "allow from any"
		echo "allow to any"
	} >"$W/obgpd.conf"
	chmod 600 "$W/obgpd.conf"
	ip netns exec "$B" bgpd -d -v -f "$W/obgpd.conf" >"$W/obgpd.out" 2>&1 &
	DPID=$!
}

start_exabgp() {
	conf_vars "$@"
	{
		echo "neighbor $RADDR {"
		echo "  router-id $B4;"
		echo "  local-address $LADDR;"
		echo "  local-as $MAS;"
		echo "  peer-as $RAS;"
		echo "  hold-time ${D_HOLD:-6};"
		[ "$PASSIVE" = passive ] && echo "  passive true;"
		# Only a neighbor with "listen" applies its options to the
		# listener that exabgp.tcp.bind opened.
		[ -n "$TTL" ] && echo "  listen 179;"
		[ -n "$PW" ] && echo "  md5-password \"$PW\";"
		# ExaBGP's GTSM: the TTL of its dials, and the minimum TTL (and
		# TTL) of its listener; see the GTSM section for what it lacks.
		[ -n "$TTL" ] && echo "  outgoing-ttl 255; incoming-ttl 255;"
		echo "  family { $FAM unicast; }"
		echo "}"
	} >"$W/exa.conf"
	ip netns exec "$B" env exabgp.daemon.user=root exabgp.api.cli=false \
	    exabgp.tcp.bind="$LADDR" exabgp.daemon.drop=false \
	    exabgp.log.level=INFO exabgp "$W/exa.conf" >"$W/exa.out" 2>&1 &
	DPID=$!
}

# pair NAME DAEMON FAM MODE ROLE [PASSWORD] [TTL] [TORTIE_EXTRA]: the daemon
# and sessiond, started in the order that ROLE, tortie's, needs: "active"
# dials a passive daemon, "passive" listens for an active one, "both" dials
# and listens while the daemon dials and listens too.  PASSWORD and TTL
# configure the daemon, TORTIE_EXTRA (md5=, ttlsec=) sessiond.
pair() {
	_pn=$1 _pd=$2 _pf=$3 _pm=$4 _pr=$5 _ppw=${6:-} _pttl=${7:-}
	_px=${8:-}
	if [ "$_pf" = 6 ]; then _pla=$A6; else _pla=$A4; fi
	case $_pr in
	passive)
		harness "$_pn" -E -l "$_pla" \
		    "$(peer_spec "$_pf" "$_pm" passive "$_px")"
		"start_$_pd" "$_pf" "$_pm" active "$_ppw" "$_pttl"
		;;
	active)
		"start_$_pd" "$_pf" "$_pm" passive "$_ppw" "$_pttl"
		wait_for 10 listening
		harness "$_pn" -E "$(peer_spec "$_pf" "$_pm" active "$_px")"
		;;
	both)
		"start_$_pd" "$_pf" "$_pm" active "$_ppw" "$_pttl"
		wait_for 10 listening
		harness "$_pn" -E -l "$_pla" \
		    "$(peer_spec "$_pf" "$_pm" active "$_px")"
		;;
	esac
}

unpair() {
	stop_harness
	stop_daemon
}

diag_lines() { sed 's/^/# /'; }

# up_ok SECONDS DESCRIPTION...: Established within SECONDS, else the
# reasons.
up_ok() {
	wait_for "$1" established
	_ur=$?
	shift
	ok $_ur "$*"
	[ $_ur -eq 0 ] && return 0
	tail -3 "$HOUT" | diag_lines
	grep -iE 'error|notif|warn' "$W"/*.out "$W"/*.log 2>/dev/null |
	    tail -5 | diag_lines
	return 1
}

# not_up SECONDS DESCRIPTION...: still not Established after SECONDS.
not_up() {
	sleep "$1"
	established
	_ur=$?
	shift
	ok $((! _ur)) "$*"
	[ $_ur -ne 0 ] || grep -E '^(STATE|UP)' "$HOUT" | tail -2 | diag_lines
}

# case_up DAEMON FAM MODE TORTIE_ROLE: the session comes up.
case_up() {
	pair "$1-$2-$3-$4" "$@"
	up_ok 20 "$1: IPv$2 $3, tortie $4: Established"
	unpair
}

# The daemon's processes: OpenBGPD forks its session engine, whose
# timers must freeze too.
ptree() {
	echo "$1"
	for _c in $(pgrep -P "$1"); do ptree "$_c"; done
}
freeze() { kill -STOP $(ptree "$DPID"); }
thaw() { kill -CONT $(ptree "$DPID") 2>/dev/null; }

# cap_start NAME: capture the BGP segments on tortie's side of the link.
cap_start() {
	CAPF=$W/$1.pcap
	: >"$W/$1.cap"
	ip netns exec "$A" tcpdump -Z root --immediate-mode -ni va -U \
	    -w "$CAPF" 'tcp port 179' 2>"$W/$1.cap" &
	CPID=$!
	wait_for 5 grep -q "listening on" "$W/$1.cap"
}

cap_stop() {
	[ -n "$CPID" ] || return 0
	sleep 0.2
	kill "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	CPID=
}

# cap_count FILTER: the segments of the capture that FILTER selects.
cap_count() { tcpdump -nr "$CAPF" "$1" 2>/dev/null | wc -l; }
low_ttl() { [ "$1" = 6 ] && echo "ip6[7] < 255" || echo "ip[8] < 255"; }
# from_tortie FAM: tortie's SYNs and segments with data.  Not the bare
# ACKs and resets, which the kernel may send for no socket of sessiond's
# and with the default TTL: a reset to a stopped peer's segment, the last
# ACK of a closed connection, from TIME-WAIT.
from_tortie() {
	if [ "$1" = 6 ]; then
		echo "src host $A6 and ip6[6] == 6 and (ip6[53] & 2 != 0 or" \
		    "ip6[4:2] - ((ip6[52] & 0xf0) >> 2) > 0)"
	else
		echo "src host $A4 and (tcp[13] & 2 != 0 or" \
		    "ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) > 0)"
	fi
}

drops_above() { [ "$(md5_drops "$1")" -gt "$2" ]; }

# md5_drops NS: segments the kernel of NS dropped for TCP-MD5 (a wrong
# signature, a missing or an unexpected one).
md5_drops() {
	ip netns exec "$1" awk '
	    /^TcpExt:/ && !h { for (i = 2; i <= NF; i++) f[$i] = i; h = 1
		next }
	    /^TcpExt:/ { n = 0; for (k in f) if (k ~ /^TCPMD5/) n += $f[k] }
	    END { print n + 0 }' /proc/net/netstat
}

# want SECTION: whether TSE_ONLY (if set) names it.
want() {
	[ -z "${TSE_ONLY:-}" ] && return 0
	case " $TSE_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# collision_report DAEMON: how the two connections of "both sides dial"
# were resolved, as sessiond saw it.
collision_report() {
	_acc=$(grep -c '^ACCEPT 1' "$HOUT")
	_col=$(grep -o 'connection collision: closing the [a-z]* connection' \
	    "${HOUT%.out}.err" | head -1)
	if [ -n "$_col" ]; then
		diag "$1: a real collision: sessiond ${_col#*: }"
	elif grep -q '^STATE 1 .*code=6/7 ' "$HOUT"; then
		diag "$1: a real collision: $1 closed one (Cease 6/7)"
	elif [ "$_acc" -gt 0 ]; then
		diag "$1: dialled too ($_acc), but closed its connection" \
		    "before its OPEN"
	else
		diag "$1: never dialled: it took sessiond's connection first"
	fi
}

# --- interoperability ---------------------------------------------------------

T0=$(date +%s)
# Every daemon in every combination of family, iBGP or eBGP, and role.
want interop && for d in bird frr gobgp openbgpd exabgp; do
	for f in 4 6; do
		for m in ibgp ebgp; do
			case_up $d $f $m active
			case_up $d $f $m passive
		done
	done
done

# --- TCP-MD5 ------------------------------------------------------------------
# Every daemon with the right password, over both families and with
# tortie on either side of the handshake; then with a wrong one while
# both sides dial, so that each kernel drops the other's signed SYNs.
if want md5; then

for c in "bird 4 active" "frr 6 passive" "gobgp 6 active" \
    "openbgpd 4 passive" "exabgp 6 active" "exabgp 4 passive"; do
	set -- $c
	pair "md5-$1-$2" "$1" "$2" ebgp "$3" right-pw "" md5=right-pw
	up_ok 20 "$1: TCP-MD5 over IPv$2, tortie $3, right password:" \
	    "Established"
	unpair
done

for c in "bird 4" "frr 4" "gobgp 6" "openbgpd 4" "exabgp 4"; do
	set -- $c
	_a0=$(md5_drops "$A") _b0=$(md5_drops "$B")
	pair "md5-wrong-$1" "$1" "$2" ebgp both wrong-pw "" md5=right-pw
	wait_for 10 drops_above "$B" "$_b0"
	_rb=$?
	wait_for 10 drops_above "$A" "$_a0"
	_ra=$?
	not_up 2 "$1: TCP-MD5 over IPv$2, both dial, wrong password:" \
	    "not Established"
	_d="$1: wrong password: tortie's kernel dropped $1's signed segments"
	ok $((_ra + _rb)) "$_d, and $1's tortie's"
	unpair
done
start_bird 6 ibgp passive right-pw
wait_for 10 listening
harness md5-nopw "$(peer_spec 6 ibgp active)"
sleep 4
established
ok $((! $?)) "bird: no password against a password does not establish"
stop_harness
stop_daemon

fi

# --- GTSM ---------------------------------------------------------------------
# Every daemon with GTSM on both sides.  Established alone would not show
# that tortie sends with TTL 255: ExaBGP never checks, and BIRD, FRR and
# GoBGP, accepting, read a peer's OPEN before they set the minimum TTL on
# the new socket (sessiond too, below), so a tortie sending with 64 still
# sees Established.  A capture on tortie's side checks every segment.
if want gtsm; then

for c in "bird 4 active" "frr 6 passive" "gobgp 4 passive" "gobgp 6 active" \
    "openbgpd 6 active" "openbgpd 4 passive" "exabgp 4 active" \
    "exabgp 4 passive" "exabgp 6 passive"; do
	set -- $c
	cap_start "gtsm-$1-$2-$3"
	pair "gtsm-$1-$2-$3" "$1" "$2" ebgp "$3" "" gtsm ttlsec=1
	up_ok 15 "$1: GTSM over IPv$2, tortie $3: Established"
	cap_stop
	_all=$(cap_count "$(from_tortie "$2")")
	_low=$(cap_count "$(from_tortie "$2") and $(low_ttl "$2")")
	_d="$_low of tortie's $_all SYNs and messages with a TTL below 255"
	ok $((_all == 0 || _low != 0)) "$1: GTSM: $_d"
	unpair
done
# ExaBGP 4.2 over IPv6: it gives its listener only IPv4 options (IP_TTL),
# so its SYN-ACK leaves with hop limit 64 and tortie, dialling with GTSM,
# drops it.  (ExaBGP never checks what it receives either: Python 3.11
# has no socket.IP_MINTTL, and ExaBGP goes on without it.)
cap_start gtsm-exabgp-6-active
pair gtsm-exabgp-6-active exabgp 6 ebgp active "" gtsm ttlsec=1
not_up 4 "exabgp: GTSM over IPv6, tortie active: refused"
cap_stop
_n=$(cap_count "src host $B6 and ip6[6] == 6 and ip6[53] & 18 == 18 and
    $(low_ttl 6)")
ok $((_n == 0)) "exabgp: GTSM over IPv6: $_n SYN-ACKs with hop limit 64"
unpair
# BIRD's direct eBGP sends with TTL 1: GTSM must refuse it, dialled or
# accepted.  Accepted, sessiond still reads the peer's OPEN: it sets the
# minimum TTL once the parent passed the socket on (see doc/testing.md).
for r in active passive; do
	pair "gtsm-ttl1-$r" bird 4 ebgp "$r" "" "" ttlsec=1
	not_up 4 "GTSM refuses a peer that sends with TTL 1 (tortie $r)"
	_n=$(sed -n 's/^STATE 1 .* msgs_in=\([0-9]*\) .*/\1/p' "$HOUT" |
	    tail -1)
	diag "tortie $r: sessiond read ${_n:-0} messages of the TTL 1 peer"
	unpair
done

fi

# --- hold timer ---------------------------------------------------------------
# Each daemon with a hold time of 3 (tortie offers 6), then frozen with
# SIGSTOP: its kernel still acknowledges, but no KEEPALIVE comes.
if want hold; then

for c in "bird 4 ibgp active" "frr 6 ebgp passive" "gobgp 4 ebgp active" \
    "openbgpd 6 ibgp active" "exabgp 4 ebgp passive"; do
	set -- $c
	D_HOLD=3 D_KA=1 pair "hold-$1" "$1" "$2" "$3" "$4"
	up_ok 20 "$1: IPv$2 $3, hold 3: Established"
	grep -q "^UP 1 .*hold=3 " "$HOUT"
	ok $? "$1: negotiated hold time is the smaller one (3)"
	sleep 1
	freeze
	_t0=$(date +%s%3N)
	wait_for 8 grep -q "code=4/0 err=BGP Error: Hold Timer Expired$" \
	    "$HOUT"
	_rc=$?
	# The last KEEPALIVE came at most a second before the freeze.
	_dt=$(($(date +%s%3N) - _t0))
	[ $_rc -eq 0 ] && [ $_dt -ge 1500 ]
	ok $? "$1: frozen: hold timer expired after $_dt ms (4/0)"
	grep -q "^DOWN 1 graceful=0" "$HOUT"
	ok $? "$1: hold timer expiry: session down to ribd"
	thaw
	unpair
done

fi

# --- status texts, reset, deconfiguration -------------------------------------
if want status; then

harness refused "$(peer_spec 4 ibgp active)"
wait_for 5 grep -q "^STATE 1 Active .*err=Socket: Connection refused$" "$HOUT"
ok $? "no peer: Active, 'Socket: Connection refused'"
stop_harness

BIRD_ID=$A4 start_bird 4 ibgp passive
wait_for 10 listening
harness badid "$(peer_spec 4 ibgp active)"
wait_for 10 grep -q \
    "^STATE 1 Idle .*code=2/3 err=BGP Error: Bad BGP identifier$" "$HOUT"
ok $? "iBGP peer with our identifier: Idle, 'BGP Error: Bad BGP identifier'"
stop_harness
stop_daemon

start_bird 4 ebgp passive
wait_for 10 listening
harness badas "$(peer_spec 4 ebgp active as=65003)"
wait_for 10 grep -q "^STATE 1 Idle .*code=2/2 err=BGP Error: Bad Peer AS$" \
    "$HOUT"
ok $? "peer in another AS than configured: Idle, 'BGP Error: Bad Peer AS'"
stop_harness
stop_daemon

start_bird 4 ebgp passive
wait_for 10 listening
harness reset "$(peer_spec 4 ebgp active)"
wait_for 15 established
ok $? "bird: Established before reconfiguration"
# With graceful restart on both sides a reset is a restart: closed
# without a NOTIFICATION, so that bird keeps our routes meanwhile.
cmd "add $(peer_spec 4 ebgp active ka=1)"
wait_for 15 sh -c "[ \$(grep -c '^UP 1 ' $HOUT) -ge 2 ]"
ok $? "changed configuration (graceful restart): Established again"
grep -q "^DOWN 1 graceful=1" "$HOUT"
ok $? "changed configuration (graceful restart): the session went down gracefully"
grep -q "Received:" "$W/bird.log"
ok $((! $?)) "changed configuration (graceful restart): no NOTIFICATION to bird"
cmd "add $(PEER_GR= peer_spec 4 ebgp active)"
wait_for 15 sh -c "[ \$(grep -c '^UP 1 ' $HOUT) -ge 3 ]"
ok $? "graceful restart turned off: Established again"
cmd "add $(PEER_GR= peer_spec 4 ebgp active ka=1)"
wait_for 10 grep -q "Received: Other configuration change" "$W/bird.log"
ok $? "changed configuration: bird got Cease/Other Configuration Change"
wait_for 15 sh -c "[ \$(grep -c '^UP 1 ' $HOUT) -ge 4 ]"
ok $? "changed configuration: Established again"
cmd "del 1"
wait_for 10 grep -q "Received: Peer de-configured" "$W/bird.log"
ok $? "deconfigured: bird got Cease/Peer De-configured"
cmd "add $(PEER_GR= peer_spec 4 ebgp active)"
wait_for 15 sh -c "[ \$(grep -c '^UP 1 ' $HOUT) -ge 5 ]"
ok $? "added again (without graceful restart): Established"
stop_harness
wait_for 5 grep -q "Received: Administrative shutdown" "$W/bird.log"
ok $? "shutdown: bird got Cease/Administrative Shutdown"
grep -q "^EXIT 0" "$HOUT"
ok $? "sessiond exits 0 on shutdown"
stop_daemon

fi

# --- the peer restarts (RFC 4724) ---------------------------------------------

if want gr; then
D_HOLD=240 D_KA=80 start_bird 4 ibgp active
harness gr -l $A4 "$(peer_spec 4 ibgp passive hold=240)"
wait_for 15 established
ok $? "bird dials (graceful restart, hold 240): Established"
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
D_HOLD=240 D_KA=80 start_bird 4 ibgp active
wait_for 15 sh -c "[ \$(grep -c '^UP 1 ' $HOUT) -ge 2 ]"
ok $? "bird restarted and dialled again: Established at once"
grep -q "^DOWN 1 graceful=1 restart=120$" "$HOUT"
ok $? "the old session went down gracefully (restart time 120)"
stop_harness
sleep 0.5
grep -q "Received:" "$W/bird.log"
ok $((! $?)) "shutdown with graceful restart: no NOTIFICATION to bird"
stop_daemon
fi

# routes_in: an UPDATE other than an End-of-RIB reached ribd.
routes_in() {
	[ "$(awk '/^UPDATE 1 / { split($3, m, "="); split($5, e, "=");
	    n += m[2] - e[2] } END { print n + 0 }' "$HOUT")" -gt 0 ]
}

# --- UPDATEs both ways, output backpressure -----------------------------------

if want xoff; then
BIRD_EXPORT=198.19.0.0/26 D_HOLD=240 D_KA=80 start_bird 4 ebgp passive
wait_for 10 listening
harness xoff -E "$(peer_spec 4 ebgp active hold=240)"
wait_for 15 established
ok $? "bird (hold 240): Established"
# The route and the End-of-RIB may come in one batch.
wait_for 10 routes_in
ok $? "bird's route reaches ribd as an UPDATE"
wait_for 10 grep -q "^UPDATE 1 .*eor=1" "$HOUT"
ok $? "bird's End-of-RIB reaches ribd"
kill -STOP "$DPID"
cmd "flood 1 4000"
wait_for 15 grep -q "^XOFF 1" "$HOUT"
ok $? "peer not reading, 16 MB queued: XOFF to ribd"
kill -CONT "$DPID"
wait_for 30 grep -q "^XON 1" "$HOUT"
ok $? "peer reads again: XON to ribd"
sleep 1
grep -q "^DOWN 1" "$HOUT"
ok $((! $?)) "the session stayed up"
wait_for 10 grep -q "updates_out=4001 " "$HOUT"
ok $? "4000 UPDATEs and an End-of-RIB counted out"
stop_harness
stop_daemon
fi

# --- connection collision (RFC 4271 6.8) --------------------------------------
if want collide; then

# A scripted peer holds both connections in OpenSent, so that sessiond
# must choose.  With the higher identifier the peer's own connection
# survives; with the lower one, sessiond's.
for c in "198.18.0.2 accepted" "10.0.0.1 dialled"; do
	set -- $c
	ip netns exec "$B" python3 "$TOP/regress/tools/se_collide_peer.py" \
	    $B4 $A4 65002 "$1" >"$W/peer.out" 2>&1 &
	DPID=$!
	wait_for 5 listening
	harness collide -l $A4 "$(peer_spec 4 ebgp active)"
	wait_for 10 grep -q "^LOSER" "$W/peer.out"
	is "$(grep '^LOSER' "$W/peer.out" | head -1)" "LOSER $2 6/7" \
	    "collision, peer id $1: sessiond closes the $2 connection (6/7)"
	wait_for 5 established
	ok $? "collision, peer id $1: the other connection is Established"
	stop_harness
	wait "$DPID" 2>/dev/null
	DPID=
done

# Both sides dial: the daemon is frozen while sessiond's connection is
# accepted by its kernel (and sessiond's OPEN waits in its socket), then
# it goes on with its own dial.  Whether a real collision follows (both
# connections with an OPEN) or one side gives up its connection first
# is the daemon's choice: the test reports which.
for d in bird frr gobgp openbgpd exabgp; do
	BIRD_ID=198.18.0.9 "start_$d" 4 ebgp active
	wait_for 10 listening
	freeze
	harness "both-$d" -l $A4 "$(peer_spec 4 ebgp active)"
	sleep 2
	thaw
	up_ok 15 "$d: both sides dial: Established"
	sleep 2
	is "$(grep -c '^UP 1 \|^DOWN 1 ' "$HOUT")" 1 \
	    "$d: both sides dial: one session, stable"
	collision_report "$d"
	unpair
done

fi

diag "took $(($(date +%s) - T0)) s"
done_testing
