/*
 * The pure parts of sessiond: the per-connection BGP state machine
 * (RFC 4271 8, with the RFC 6608 FSM error subcodes), connection
 * collision resolution (RFC 4271 6.8, RFC 6286 2.3), timer arithmetic,
 * the OPEN we send, and the short error texts that status shows.
 *
 * One connection runs Connect (or, accepted, straight to OpenSent) ->
 * OpenSent -> OpenConfirm -> Established and ends in Idle.  The peer's
 * Idle and Active states and the ConnectRetry timer are the caller's: a
 * peer is Idle while it waits after a BGP error, Active while it waits for
 * a retry or an incoming connection.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "se.h"

static const char *const se_state_names[FSM_STATE_MAX] = {
	[FSM_IDLE] = "Idle",
	[FSM_CONNECT] = "Connect",
	[FSM_ACTIVE] = "Active",
	[FSM_OPENSENT] = "OpenSent",
	[FSM_OPENCONFIRM] = "OpenConfirm",
	[FSM_ESTABLISHED] = "Established",
};

static const char *const se_event_names[SE_EV_MAX] = {
	[SE_EV_TCP_OK] = "tcp-ok",
	[SE_EV_TCP_FAIL] = "tcp-fail",
	[SE_EV_OPEN_OK] = "open",
	[SE_EV_OPEN_BAD] = "open-bad",
	[SE_EV_KEEPALIVE] = "keepalive",
	[SE_EV_UPDATE] = "update",
	[SE_EV_RREFRESH] = "route-refresh",
	[SE_EV_NOTIFICATION] = "notification",
	[SE_EV_MSG_BAD] = "message-bad",
	[SE_EV_HOLD_EXPIRED] = "hold-expired",
	[SE_EV_KEEPALIVE_TIMER] = "keepalive-timer",
	[SE_EV_SENDHOLD_EXPIRED] = "sendhold-expired",
	[SE_EV_STOP] = "stop",
	[SE_EV_COLLISION] = "collision",
};

static void	 se_step_set(struct se_step *, uint8_t, uint32_t, uint8_t,
		    uint8_t);
static void	 se_step_end(struct se_step *, uint8_t, enum se_event);
static void	 se_step_connect(struct se_step *, enum se_event);
static void	 se_step_open(struct se_step *, uint8_t, enum se_event);
static void	 se_step_established(struct se_step *, enum se_event);

const char *
se_state_name(uint8_t state)
{
	if (state < FSM_STATE_MAX)
		return se_state_names[state];
	return "Unknown";
}

const char *
se_event_name(enum se_event ev)
{
	if ((unsigned)ev < SE_EV_MAX)
		return se_event_names[ev];
	return "unknown";
}

static void
se_step_set(struct se_step *s, uint8_t next, uint32_t act, uint8_t code,
    uint8_t subcode)
{
	s->next = next;
	s->act = act;
	s->code = code;
	s->subcode = subcode;
}

/*
 * The events that end a connection once it carries BGP messages
 * (OpenSent and later).  down is SE_A_DOWN in Established, else 0.
 */
static void
se_step_end(struct se_step *s, uint8_t state, enum se_event ev)
{
	uint32_t	 down = state == FSM_ESTABLISHED ? SE_A_DOWN : 0;
	uint8_t		 fsmsub;

	switch (state) {
	case FSM_OPENSENT:
		fsmsub = BGP_ERRFSM_OPENSENT;
		break;
	case FSM_OPENCONFIRM:
		fsmsub = BGP_ERRFSM_OPENCONFIRM;
		break;
	default:
		fsmsub = BGP_ERRFSM_ESTABLISHED;
		break;
	}
	switch (ev) {
	case SE_EV_TCP_FAIL:
		/* RFC 4271 8.2.2: a TCP failure is not a BGP error. */
		se_step_set(s, FSM_IDLE, SE_A_CLOSE | down, 0, 0);
		break;
	case SE_EV_SENDHOLD_EXPIRED:
		/* Nothing can be written, a NOTIFICATION neither. */
		se_step_set(s, FSM_IDLE, SE_A_CLOSE | SE_A_ERROR | down, 0, 0);
		break;
	case SE_EV_NOTIFICATION:
		se_step_set(s, FSM_IDLE, SE_A_CLOSE | SE_A_ERROR | down, 0, 0);
		break;
	case SE_EV_HOLD_EXPIRED:
		se_step_set(s, FSM_IDLE, SE_A_SEND_NOTIFY | SE_A_CLOSE |
		    SE_A_ERROR | down, BGP_ERR_HOLD, 0);
		break;
	case SE_EV_OPEN_BAD:
	case SE_EV_MSG_BAD:
		se_step_set(s, FSM_IDLE, SE_A_SEND_NOTIFY | SE_A_CLOSE |
		    SE_A_ERROR | down, 0, 0);
		break;
	case SE_EV_STOP:
		se_step_set(s, FSM_IDLE, SE_A_SEND_NOTIFY | SE_A_CLOSE | down,
		    0, 0);
		break;
	case SE_EV_COLLISION:
		se_step_set(s, FSM_IDLE, SE_A_SEND_NOTIFY | SE_A_CLOSE | down,
		    BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		break;
	default:
		/* An event the state does not expect: RFC 6608. */
		se_step_set(s, FSM_IDLE, SE_A_SEND_NOTIFY | SE_A_CLOSE |
		    SE_A_ERROR | down, BGP_ERR_FSM, fsmsub);
		break;
	}
}

/* Connect: a dialled socket waiting for the handshake. */
static void
se_step_connect(struct se_step *s, enum se_event ev)
{
	switch (ev) {
	case SE_EV_TCP_OK:
		se_step_set(s, FSM_OPENSENT, SE_A_SEND_OPEN | SE_A_HOLD_OPEN,
		    0, 0);
		break;
	default:
		/* No BGP message can have arrived: just drop the socket. */
		se_step_set(s, FSM_IDLE, SE_A_CLOSE, 0, 0);
		break;
	}
}

/* OpenSent and OpenConfirm. */
static void
se_step_open(struct se_step *s, uint8_t state, enum se_event ev)
{
	if (state == FSM_OPENSENT && ev == SE_EV_OPEN_OK) {
		se_step_set(s, FSM_OPENCONFIRM, SE_A_SEND_KEEPALIVE |
		    SE_A_HOLD | SE_A_KEEPALIVE | SE_A_COLLIDE, 0, 0);
		return;
	}
	if (state == FSM_OPENCONFIRM && ev == SE_EV_KEEPALIVE) {
		se_step_set(s, FSM_ESTABLISHED, SE_A_HOLD | SE_A_UP |
		    SE_A_COLLIDE, 0, 0);
		return;
	}
	if (ev == SE_EV_KEEPALIVE_TIMER) {
		/* OpenSent has no keepalive timer; a stale one is harmless. */
		se_step_set(s, state, state == FSM_OPENCONFIRM ?
		    SE_A_SEND_KEEPALIVE | SE_A_KEEPALIVE : 0, 0, 0);
		return;
	}
	if (state == FSM_OPENSENT && ev == SE_EV_OPEN_BAD) {
		se_step_end(s, state, ev);
		return;
	}
	/* A second OPEN in OpenConfirm is an FSM error (RFC 6608). */
	if (ev == SE_EV_OPEN_BAD || ev == SE_EV_OPEN_OK || ev ==
	    SE_EV_TCP_OK) {
		se_step_end(s, state, SE_EV_MAX);
		return;
	}
	se_step_end(s, state, ev);
}

static void
se_step_established(struct se_step *s, enum se_event ev)
{
	switch (ev) {
	case SE_EV_KEEPALIVE:
		se_step_set(s, FSM_ESTABLISHED, SE_A_HOLD, 0, 0);
		break;
	case SE_EV_UPDATE:
		se_step_set(s, FSM_ESTABLISHED, SE_A_HOLD | SE_A_FWD_UPDATE,
		    0, 0);
		break;
	case SE_EV_RREFRESH:
		se_step_set(s, FSM_ESTABLISHED, SE_A_HOLD | SE_A_FWD_REFRESH,
		    0, 0);
		break;
	case SE_EV_KEEPALIVE_TIMER:
		se_step_set(s, FSM_ESTABLISHED, SE_A_SEND_KEEPALIVE |
		    SE_A_KEEPALIVE, 0, 0);
		break;
	case SE_EV_OPEN_OK:
	case SE_EV_OPEN_BAD:
	case SE_EV_TCP_OK:
		/* An unexpected event: se_step_end() makes it 5/3. */
		se_step_end(s, FSM_ESTABLISHED, SE_EV_MAX);
		break;
	default:
		se_step_end(s, FSM_ESTABLISHED, ev);
		break;
	}
}

/*
 * The transition function: what a connection in state does on ev.  A
 * connection in Idle is gone; every event leaves it there.
 */
void
se_fsm_step(uint8_t state, enum se_event ev, struct se_step *s)
{
	se_step_set(s, state, 0, 0, 0);
	switch (state) {
	case FSM_CONNECT:
	case FSM_ACTIVE:
		se_step_connect(s, ev);
		break;
	case FSM_OPENSENT:
	case FSM_OPENCONFIRM:
		se_step_open(s, state, ev);
		break;
	case FSM_ESTABLISHED:
		se_step_established(s, ev);
		break;
	default:
		se_step_set(s, FSM_IDLE, 0, 0, 0);
		break;
	}
}

/*
 * RFC 4271 6.8: the connection initiated by the speaker with the higher
 * BGP identifier survives; RFC 6286 2.3 breaks a tie of identifiers
 * (possible between ASes) with the AS numbers.  Returns the direction,
 * seen from us, of the connection to keep.
 */
enum se_dir
se_collision_winner(uint32_t local_id, uint32_t remote_id, uint32_t local_as,
    uint32_t remote_as)
{
	if (local_id != remote_id)
		return local_id > remote_id ? SE_DIR_OUT : SE_DIR_IN;
	return local_as > remote_as ? SE_DIR_OUT : SE_DIR_IN;
}

/*
 * ConnectRetry and error wait: SE_CONNECT_RETRY seconds after the first
 * failure, doubled for each further one up to SE_RETRY_MAX, less up to
 * a quarter of jitter (RFC 4271 10) drawn from rnd.
 */
uint32_t
se_retry_ms(uint32_t fails, uint32_t rnd)
{
	uint32_t	 secs = SE_CONNECT_RETRY;
	uint32_t	 n = fails > 1 ? fails - 1 : 0;

	while (n-- > 0 && secs < SE_RETRY_MAX)
		secs *= 2;
	if (secs > SE_RETRY_MAX)
		secs = SE_RETRY_MAX;
	return secs * (750 + rnd % 251);
}

/*
 * The keepalive interval: the configured one or a third of the hold time,
 * never more than a third of the negotiated hold time (the peer expects
 * three chances), never 0 unless keepalives are off (hold time 0).
 */
uint16_t
se_keepalive_secs(uint16_t hold, uint16_t conf)
{
	uint16_t	 ka;

	if (hold == 0)
		return 0;
	ka = conf != 0 ? conf : hold / 3;
	if (ka > hold / 3)
		ka = hold / 3;
	return ka == 0 ? 1 : ka;
}

/*
 * RFC 9687 send hold time: how long the output may stay blocked before the
 * session is given up.  It suggests the larger of 8 minutes and twice the
 * hold time.
 */
uint32_t
se_sendhold_secs(uint16_t hold)
{
	uint32_t	 t = 2 * (uint32_t)hold;

	return t > SE_SENDHOLD_DEFAULT ? t : SE_SENDHOLD_DEFAULT;
}

/* "Socket: Connection refused"; err 0 is an orderly close by the peer. */
void
se_lasterr_socket(char *buf, size_t len, int err)
{
	snprintf(buf, len, "Socket: %s", err == 0 ? "Connection closed" :
	    strerror(err));
}

/*
 * "BGP Error: Bad BGP identifier" for what we sent, "Received: ..." for
 * what the peer sent: the subcode's name, or the code's when the subcode
 * has no name of its own.
 */
void
se_lasterr_notify(char *buf, size_t len, int received, uint8_t code,
    uint8_t subcode)
{
	const char	*what, *sub;

	if (code == 8)
		what = "Send Hold Timer Expired";	/* RFC 9687 */
	else {
		what = bgp_err_code_name(code);
		sub = bgp_err_subcode_name(code, subcode);
		if (strcmp(sub, "Unknown") != 0 &&
		    strcmp(sub, "Unspecific") != 0 &&
		    strcmp(sub, "Unspecified Error") != 0)
			what = sub;
	}
	snprintf(buf, len, "%s: %s", received ? "Received" : "BGP Error",
	    what);
}

/*
 * The state a peer shows: that of its most advanced connection, else
 * Idle while it waits after an error, else Active (waiting to retry, or
 * for the peer to connect).
 */
uint8_t
se_peer_state_of(const uint8_t *conn_states, size_t n, int idle)
{
	uint8_t	 best = FSM_IDLE;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (conn_states[i] > best)
			best = conn_states[i];
	if (best != FSM_IDLE)
		return best;
	return idle ? FSM_IDLE : FSM_ACTIVE;
}

/* Check what the parent sent before using it. */
int
se_peer_conf_check(const struct imsg_peer *c, char *err, size_t len)
{
	if (c->remote.af != AF_INET && c->remote.af != AF_INET6) {
		snprintf(err, len, "remote address family %u", c->remote.af);
		return -1;
	}
	if (c->local.af != 0 && c->local.af != c->remote.af) {
		snprintf(err, len, "source address of another family");
		return -1;
	}
	if (c->md5_len > MD5_KEY_MAX) {
		snprintf(err, len, "password of %u octets", c->md5_len);
		return -1;
	}
	if (c->holdtime == 1 || c->holdtime == 2) {
		snprintf(err, len, "hold time %u", c->holdtime);
		return -1;
	}
	if (c->local_as == 0 || c->peer_as == 0) {
		snprintf(err, len, "AS number 0");
		return -1;
	}
	if (c->router_id == 0) {
		snprintf(err, len, "router id 0");
		return -1;
	}
	return 0;
}

/*
 * Our OPEN: one family, the session's own (Calico and BIRD run one family
 * per session), route refresh plain and enhanced, 4-octet AS, extended
 * messages, and graceful restart with the forwarding bit (kroute keeps
 * our routes in the kernel across a restart).
 */
void
se_open_build(const struct imsg_peer *c, struct bgp_open *o)
{
	uint8_t	 aid = c->remote.af == AF_INET6 ? BGP_AID_IPV6 : BGP_AID_IPV4;

	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->as = c->local_as;
	o->as2 = c->local_as > UINT16_MAX ? BGP_AS_TRANS :
	    (uint16_t)c->local_as;
	o->holdtime = c->holdtime;
	o->bgp_id = ntohl(c->router_id);
	o->caps.mp[aid] = 1;
	o->caps.mp_seen = 1;
	o->caps.rrefresh = 1;
	o->caps.enhanced_rr = 1;
	o->caps.as4 = 1;
	o->caps.as4_as = c->local_as;
	o->caps.ext_msg = 1;
	if (c->flags & PEER_F_GR) {
		o->caps.gr = 1;
		o->caps.gr_time = c->restart_time != 0 ? c->restart_time :
		    SE_GR_TIME_DEFAULT;
		if (o->caps.gr_time > BGP_GR_TIME_MAX)
			o->caps.gr_time = BGP_GR_TIME_MAX;
		o->caps.gr_af[aid] = BGP_GR_AF_PRESENT | BGP_GR_AF_FORWARDING;
	}
}

/*
 * Whether ribd keeps the routes of a session that just ended as stale
 * (RFC 4724 4.2): both sides announced graceful restart, and the session
 * did not end with a NOTIFICATION (without RFC 8538, which we do not
 * announce, a NOTIFICATION ends graceful restart).
 */
int
se_gr_graceful(const struct imsg_peer *c, const struct bgp_sess *s,
    int notification)
{
	return (c->flags & PEER_F_GR) && s->peer_caps.gr && !notification;
}
