# A 3-member etcd v3 cluster with client TLS for the tests and the demo,
# in a network namespace that the caller made (sourced; POSIX sh):
#
#	ETCD_NS=ns ETCD_DIR=dir . regress/lib/etcd.sh
#	etcd_pki [extra subjectAltNames]  # CA, server and client certificates
#	etcd_up                         # start m1..m3, wait until healthy
#	ec get /calico/...              # etcdctl against the cluster
#	etcd_leader                     # ETCD_LEADER: the leader's member number
#	etcd_kill N / etcd_kill_all     # SIGKILL members
#	etcd_restart N / etcd_restart_all  # start them again on their data
#	etcd_cleanup                    # kill every member still running
#
# Member N listens for clients on https://${ETCD_BASE}N:2379 and for peers
# on http://${ETCD_BASE}N:2380 (ETCD_BASE defaults to 198.18.0.1, so the
# members are 198.18.0.11-13); the addresses must be on an interface of
# ETCD_NS.  The server certificate names the three addresses and
# 127.0.0.1, and any extra subjectAltNames given to etcd_pki.  Files:
# $ETCD_DIR/pki/{ca,server,client}{,-key}.pem and other-ca.pem (a CA that
# signed nothing of the cluster), $ETCD_DIR/mN (data), $ETCD_DIR/mN.log.
# ETCD_EXTRA_URLS_N: more client URLs for member N.

ETCD_BASE=${ETCD_BASE:-198.18.0.1}
ETCD_P=$ETCD_DIR/pki
ETCD_EPS=https://${ETCD_BASE}1:2379,https://${ETCD_BASE}2:2379,\
https://${ETCD_BASE}3:2379
ETCD_CLUSTER=m1=http://${ETCD_BASE}1:2380,m2=http://${ETCD_BASE}2:2380,\
m3=http://${ETCD_BASE}3:2380
PID_M1=
PID_M2=
PID_M3=

# etcd_cert NAME CN EXTFILE-TEXT: key and certificate signed by ca.
etcd_cert() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -subj "/CN=$2" -keyout "$ETCD_P/$1-key.pem" -out "$ETCD_P/$1.csr" \
	    2>/dev/null &&
	printf '%s\n' "$3" >"$ETCD_P/$1.ext" &&
	openssl x509 -req -in "$ETCD_P/$1.csr" -CA "$ETCD_P/ca.pem" \
	    -CAkey "$ETCD_P/ca-key.pem" -CAcreateserial -days 2 \
	    -extfile "$ETCD_P/$1.ext" -out "$ETCD_P/$1.pem" 2>/dev/null
}

# etcd_pki [SANS]: fails if openssl could not make the certificates.
etcd_pki() {
	mkdir -p "$ETCD_P"
	for _ca in ca other-ca; do
		openssl req -x509 -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		    -subj "/CN=tortie test $_ca" -keyout "$ETCD_P/$_ca-key.pem" \
		    -out "$ETCD_P/$_ca.pem" 2>/dev/null
	done
	etcd_cert server etcd "subjectAltName=IP:${ETCD_BASE}1,\
IP:${ETCD_BASE}2,IP:${ETCD_BASE}3,IP:127.0.0.1${1:+,$1}
extendedKeyUsage=serverAuth,clientAuth"
	etcd_cert client tortie "extendedKeyUsage=clientAuth"
	[ -s "$ETCD_P/server.pem" ] && [ -s "$ETCD_P/client.pem" ]
}

# etcd_member N new|rejoin: start member N (a new cluster, or rejoin with
# its data directory).
etcd_member() {
	_a=${ETCD_BASE}$1
	eval "_x=\${ETCD_EXTRA_URLS_$1:-}"
	_new=
	[ "$2" = new ] && _new="--initial-cluster $ETCD_CLUSTER
	    --initial-cluster-state new --initial-cluster-token tortie-$$"
	# Not through a function: $! must be etcd itself (ip netns exec
	# execs it).
	# shellcheck disable=SC2086
	ip netns exec "$ETCD_NS" etcd --name "m$1" --data-dir "$ETCD_DIR/m$1" \
	    --listen-client-urls "https://$_a:2379${_x:+,$_x}" \
	    --advertise-client-urls "https://$_a:2379" \
	    --listen-peer-urls "http://$_a:2380" \
	    --initial-advertise-peer-urls "http://$_a:2380" $_new \
	    --heartbeat-interval 50 --election-timeout 500 \
	    --cert-file "$ETCD_P/server.pem" \
	    --key-file "$ETCD_P/server-key.pem" \
	    --client-cert-auth --trusted-ca-file "$ETCD_P/ca.pem" \
	    >>"$ETCD_DIR/m$1.log" 2>&1 &
	eval "PID_M$1=$!"
}

ec() {
	ip netns exec "$ETCD_NS" etcdctl --endpoints "$ETCD_EPS" \
	    --cacert "$ETCD_P/ca.pem" --cert "$ETCD_P/client.pem" \
	    --key "$ETCD_P/client-key.pem" "$@"
}

# etcd_healthy SECONDS: every member answers.
etcd_healthy() {
	_t=$(($1 * 10))
	while [ "$_t" -gt 0 ]; do
		ec endpoint health >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# etcd_up: a new cluster; fails if it is not healthy within 20 s.
etcd_up() {
	for _m in 1 2 3; do
		etcd_member "$_m" new
	done
	etcd_healthy 20
}

etcd_kill() {
	eval "_p=\$PID_M$1"
	[ -n "$_p" ] || return 0
	kill -9 "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	eval "PID_M$1="
}

etcd_kill_all() {
	for _m in 1 2 3; do
		etcd_kill "$_m"
	done
}

etcd_restart() {
	eval "_p=\$PID_M$1"
	[ -z "$_p" ] && etcd_member "$1" rejoin
	return 0
}

etcd_restart_all() {
	for _m in 1 2 3; do
		etcd_restart "$_m"
	done
}

# etcd_leader: ETCD_LEADER is the leader's member number (empty if none).
etcd_leader() {
	_l=$(ec endpoint status -w table 2>/dev/null |
	    awk -F'|' '$6 ~ /true/ { gsub(/ /, "", $2); print $2 }' | head -1)
	ETCD_LEADER=
	case $_l in
	*"${ETCD_BASE}"[123]:*)
		ETCD_LEADER=${_l#*"${ETCD_BASE}"}
		ETCD_LEADER=${ETCD_LEADER%%:*} ;;
	esac
	[ -n "$ETCD_LEADER" ]
}

etcd_cleanup() {
	etcd_kill_all
}
