/*
 * sessiond's pure parts: the per-connection state machine, collision
 * resolution, timers, status strings, the OPEN we send, byte queues.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../sessiond/se.h"

struct fsm_case {
	uint8_t		 state;
	enum se_event	 ev;
	uint8_t		 next;
	uint32_t	 act;
	uint8_t		 code;
	uint8_t		 subcode;
};

#define NOTE	(SE_A_SEND_NOTIFY | SE_A_CLOSE)

static const struct fsm_case fsm_cases[] = {
	/* Connect: only the handshake matters. */
	{ FSM_CONNECT, SE_EV_TCP_OK, FSM_OPENSENT,
	    SE_A_SEND_OPEN | SE_A_HOLD_OPEN, 0, 0 },
	{ FSM_CONNECT, SE_EV_TCP_FAIL, FSM_IDLE, SE_A_CLOSE, 0, 0 },
	{ FSM_CONNECT, SE_EV_STOP, FSM_IDLE, SE_A_CLOSE, 0, 0 },
	{ FSM_ACTIVE, SE_EV_TCP_OK, FSM_OPENSENT,
	    SE_A_SEND_OPEN | SE_A_HOLD_OPEN, 0, 0 },
	/* OpenSent. */
	{ FSM_OPENSENT, SE_EV_OPEN_OK, FSM_OPENCONFIRM, SE_A_SEND_KEEPALIVE |
	    SE_A_HOLD | SE_A_KEEPALIVE | SE_A_COLLIDE, 0, 0 },
	{ FSM_OPENSENT, SE_EV_OPEN_BAD, FSM_IDLE, NOTE | SE_A_ERROR, 0, 0 },
	{ FSM_OPENSENT, SE_EV_MSG_BAD, FSM_IDLE, NOTE | SE_A_ERROR, 0, 0 },
	{ FSM_OPENSENT, SE_EV_KEEPALIVE, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_FSM, BGP_ERRFSM_OPENSENT },
	{ FSM_OPENSENT, SE_EV_UPDATE, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_FSM, BGP_ERRFSM_OPENSENT },
	{ FSM_OPENSENT, SE_EV_RREFRESH, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_FSM, BGP_ERRFSM_OPENSENT },
	{ FSM_OPENSENT, SE_EV_HOLD_EXPIRED, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_HOLD, 0 },
	{ FSM_OPENSENT, SE_EV_NOTIFICATION, FSM_IDLE,
	    SE_A_CLOSE | SE_A_ERROR, 0, 0 },
	{ FSM_OPENSENT, SE_EV_TCP_FAIL, FSM_IDLE, SE_A_CLOSE, 0, 0 },
	{ FSM_OPENSENT, SE_EV_KEEPALIVE_TIMER, FSM_OPENSENT, 0, 0, 0 },
	{ FSM_OPENSENT, SE_EV_STOP, FSM_IDLE, NOTE, 0, 0 },
	{ FSM_OPENSENT, SE_EV_COLLISION, FSM_IDLE, NOTE, BGP_ERR_CEASE,
	    BGP_CEASE_COLLISION },
	/* OpenConfirm. */
	{ FSM_OPENCONFIRM, SE_EV_KEEPALIVE, FSM_ESTABLISHED,
	    SE_A_HOLD | SE_A_UP | SE_A_COLLIDE, 0, 0 },
	{ FSM_OPENCONFIRM, SE_EV_KEEPALIVE_TIMER, FSM_OPENCONFIRM,
	    SE_A_SEND_KEEPALIVE | SE_A_KEEPALIVE, 0, 0 },
	{ FSM_OPENCONFIRM, SE_EV_OPEN_OK, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_FSM, BGP_ERRFSM_OPENCONFIRM },
	{ FSM_OPENCONFIRM, SE_EV_UPDATE, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_FSM, BGP_ERRFSM_OPENCONFIRM },
	{ FSM_OPENCONFIRM, SE_EV_HOLD_EXPIRED, FSM_IDLE, NOTE | SE_A_ERROR,
	    BGP_ERR_HOLD, 0 },
	{ FSM_OPENCONFIRM, SE_EV_COLLISION, FSM_IDLE, NOTE, BGP_ERR_CEASE,
	    BGP_CEASE_COLLISION },
	/* Established. */
	{ FSM_ESTABLISHED, SE_EV_KEEPALIVE, FSM_ESTABLISHED, SE_A_HOLD, 0,
	    0 },
	{ FSM_ESTABLISHED, SE_EV_UPDATE, FSM_ESTABLISHED,
	    SE_A_HOLD | SE_A_FWD_UPDATE, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_RREFRESH, FSM_ESTABLISHED,
	    SE_A_HOLD | SE_A_FWD_REFRESH, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_KEEPALIVE_TIMER, FSM_ESTABLISHED,
	    SE_A_SEND_KEEPALIVE | SE_A_KEEPALIVE, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_OPEN_OK, FSM_IDLE,
	    NOTE | SE_A_ERROR | SE_A_DOWN, BGP_ERR_FSM,
	    BGP_ERRFSM_ESTABLISHED },
	{ FSM_ESTABLISHED, SE_EV_OPEN_BAD, FSM_IDLE,
	    NOTE | SE_A_ERROR | SE_A_DOWN, BGP_ERR_FSM,
	    BGP_ERRFSM_ESTABLISHED },
	{ FSM_ESTABLISHED, SE_EV_HOLD_EXPIRED, FSM_IDLE,
	    NOTE | SE_A_ERROR | SE_A_DOWN, BGP_ERR_HOLD, 0 },
	{ FSM_ESTABLISHED, SE_EV_NOTIFICATION, FSM_IDLE,
	    SE_A_CLOSE | SE_A_ERROR | SE_A_DOWN, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_TCP_FAIL, FSM_IDLE,
	    SE_A_CLOSE | SE_A_DOWN, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_SENDHOLD_EXPIRED, FSM_IDLE,
	    SE_A_CLOSE | SE_A_ERROR | SE_A_DOWN, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_MSG_BAD, FSM_IDLE,
	    NOTE | SE_A_ERROR | SE_A_DOWN, 0, 0 },
	{ FSM_ESTABLISHED, SE_EV_STOP, FSM_IDLE, NOTE | SE_A_DOWN, 0, 0 },
	/* A closed connection stays closed. */
	{ FSM_IDLE, SE_EV_KEEPALIVE, FSM_IDLE, 0, 0, 0 },
	{ FSM_IDLE, SE_EV_TCP_OK, FSM_IDLE, 0, 0, 0 },
};

static void
test_fsm_table(void **state)
{
	struct se_step	 s;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(fsm_cases) / sizeof(fsm_cases[0]); i++) {
		const struct fsm_case *c = &fsm_cases[i];

		se_fsm_step(c->state, c->ev, &s);
		if (s.next != c->next || s.act != c->act ||
		    s.code != c->code || s.subcode != c->subcode)
			fail_msg("%s on %s: got %s act %#x %u/%u, want %s "
			    "act %#x %u/%u", se_event_name(c->ev),
			    se_state_name(c->state), se_state_name(s.next),
			    s.act, s.code, s.subcode, se_state_name(c->next),
			    c->act, c->code, c->subcode);
	}
}

/* Every state and event gives a defined result; closing means Idle. */
static void
test_fsm_total(void **state)
{
	struct se_step	 s;
	uint8_t		 st;
	int		 ev;

	(void)state;
	for (st = 0; st < FSM_STATE_MAX; st++)
		for (ev = 0; ev < SE_EV_MAX; ev++) {
			se_fsm_step(st, (enum se_event)ev, &s);
			assert_true(s.next < FSM_STATE_MAX);
			if (s.act & SE_A_CLOSE)
				assert_int_equal(s.next, FSM_IDLE);
			/* Only Established sessions go down to ribd. */
			if (s.act & SE_A_DOWN)
				assert_int_equal(st, FSM_ESTABLISHED);
			/* Connections without BGP traffic send nothing. */
			if (st == FSM_CONNECT || st == FSM_ACTIVE)
				assert_false(s.act & SE_A_SEND_NOTIFY);
		}
	assert_string_equal(se_state_name(FSM_ESTABLISHED), "Established");
	assert_string_equal(se_state_name(200), "Unknown");
	assert_string_equal(se_event_name(SE_EV_MAX), "unknown");
}

static void
test_collision(void **state)
{
	(void)state;
	/* The higher identifier keeps the connection it initiated. */
	assert_int_equal(se_collision_winner(0xc6120002, 0xc6120001, 1, 1),
	    SE_DIR_OUT);
	assert_int_equal(se_collision_winner(0xc6120001, 0xc6120002, 1, 1),
	    SE_DIR_IN);
	/* Unsigned comparison: 200.x is above 10.x. */
	assert_int_equal(se_collision_winner(0xc8000001, 0x0a000001, 1, 1),
	    SE_DIR_OUT);
	/* RFC 6286: a tie goes to the larger AS. */
	assert_int_equal(se_collision_winner(7, 7, 65002, 65001), SE_DIR_OUT);
	assert_int_equal(se_collision_winner(7, 7, 65001, 65002), SE_DIR_IN);
}

static void
test_retry(void **state)
{
	(void)state;
	assert_int_equal(se_retry_ms(1, 250), 5000);
	assert_int_equal(se_retry_ms(1, 0), 3750);
	assert_int_equal(se_retry_ms(0, 250), 5000);
	assert_int_equal(se_retry_ms(2, 250), 10000);
	assert_int_equal(se_retry_ms(3, 250), 20000);
	assert_int_equal(se_retry_ms(6, 250), 120000);
	assert_int_equal(se_retry_ms(1000, 250), 120000);
	assert_int_equal(se_retry_ms(UINT32_MAX, 0), 90000);
	/* Jitter stays within three quarters and the whole. */
	assert_true(se_retry_ms(1, 12345) >= 3750);
	assert_true(se_retry_ms(1, 12345) <= 5000);
}

static void
test_keepalive(void **state)
{
	(void)state;
	assert_int_equal(se_keepalive_secs(90, 0), 30);
	assert_int_equal(se_keepalive_secs(90, 10), 10);
	assert_int_equal(se_keepalive_secs(9, 30), 3);
	assert_int_equal(se_keepalive_secs(3, 0), 1);
	assert_int_equal(se_keepalive_secs(4, 0), 1);
	assert_int_equal(se_keepalive_secs(0, 30), 0);
	assert_int_equal(se_sendhold_secs(0), 480);
	assert_int_equal(se_sendhold_secs(90), 480);
	assert_int_equal(se_sendhold_secs(300), 600);
	assert_int_equal(se_sendhold_secs(65535), 131070);
}

static void
test_lasterr(void **state)
{
	char	 buf[ERRSTR_LEN];

	(void)state;
	se_lasterr_socket(buf, sizeof(buf), ECONNREFUSED);
	assert_string_equal(buf, "Socket: Connection refused");
	se_lasterr_socket(buf, sizeof(buf), 0);
	assert_string_equal(buf, "Socket: Connection closed");
	se_lasterr_notify(buf, sizeof(buf), 0, BGP_ERR_OPEN,
	    BGP_ERROPEN_BGPID);
	assert_string_equal(buf, "BGP Error: Bad BGP identifier");
	se_lasterr_notify(buf, sizeof(buf), 1, BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_DOWN);
	assert_string_equal(buf, "Received: Administrative Shutdown");
	se_lasterr_notify(buf, sizeof(buf), 0, BGP_ERR_HOLD, 0);
	assert_string_equal(buf, "BGP Error: Hold Timer Expired");
	se_lasterr_notify(buf, sizeof(buf), 1, BGP_ERR_CEASE, 0);
	assert_string_equal(buf, "Received: Cease");
	se_lasterr_notify(buf, sizeof(buf), 1, BGP_ERR_CEASE, 99);
	assert_string_equal(buf, "Received: Cease");
	se_lasterr_notify(buf, sizeof(buf), 0, 8, 0);
	assert_string_equal(buf, "BGP Error: Send Hold Timer Expired");
	se_lasterr_notify(buf, sizeof(buf), 1, 200, 1);
	assert_string_equal(buf, "Received: Unknown Error");
	/* Truncated, never overrun. */
	se_lasterr_notify(buf, 8, 0, BGP_ERR_OPEN, BGP_ERROPEN_BGPID);
	assert_string_equal(buf, "BGP Err");
}

static void
test_peer_state(void **state)
{
	uint8_t	 st[2];

	(void)state;
	st[0] = st[1] = FSM_IDLE;
	assert_int_equal(se_peer_state_of(st, 2, 1), FSM_IDLE);
	assert_int_equal(se_peer_state_of(st, 2, 0), FSM_ACTIVE);
	st[0] = FSM_CONNECT;
	assert_int_equal(se_peer_state_of(st, 2, 1), FSM_CONNECT);
	st[1] = FSM_OPENCONFIRM;
	assert_int_equal(se_peer_state_of(st, 2, 0), FSM_OPENCONFIRM);
	st[0] = FSM_ESTABLISHED;
	assert_int_equal(se_peer_state_of(st, 2, 0), FSM_ESTABLISHED);
}

static void
conf_init(struct imsg_peer *c)
{
	memset(c, 0, sizeof(*c));
	c->peerid = 1;
	addr_parse("198.18.0.2", &c->remote);
	c->local_as = 64512;
	c->peer_as = 64512;
	c->router_id = htonl(0xc6120001);
	c->holdtime = 90;
}

static void
test_conf_check(void **state)
{
	struct imsg_peer	 c;
	char			 err[128];

	(void)state;
	conf_init(&c);
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), 0);
	c.remote.af = 99;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
	conf_init(&c);
	addr_parse("2001:db8::1", &c.local);
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
	conf_init(&c);
	c.md5_len = MD5_KEY_MAX + 1;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
	conf_init(&c);
	c.holdtime = 2;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
	c.holdtime = 0;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), 0);
	conf_init(&c);
	c.peer_as = 0;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
	conf_init(&c);
	c.router_id = 0;
	assert_int_equal(se_peer_conf_check(&c, err, sizeof(err)), -1);
}

/* Our OPEN encodes, decodes, and negotiates with a peer's. */
static void
test_open(void **state)
{
	struct imsg_peer	 c;
	struct bgp_open		 o, d, peer;
	struct bgp_sess		 s;
	struct bgp_err		 e;
	uint8_t			 buf[BGP_MAXLEN];
	int			 n;

	(void)state;
	conf_init(&c);
	addr_parse("2001:db8::2", &c.remote);
	c.local_as = 4200000000U;
	c.flags = PEER_F_GR;
	se_open_build(&c, &o);
	assert_int_equal(o.as2, BGP_AS_TRANS);
	assert_int_equal(o.bgp_id, 0xc6120001);
	n = bgp_open_encode(&o, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(bgp_open_decode(buf, (size_t)n, &d, &e), 0);
	assert_int_equal(d.as, 4200000000U);
	assert_int_equal(d.holdtime, 90);
	assert_true(d.caps.mp[BGP_AID_IPV6]);
	assert_false(d.caps.mp[BGP_AID_IPV4]);
	assert_true(d.caps.rrefresh && d.caps.enhanced_rr && d.caps.as4 &&
	    d.caps.ext_msg && d.caps.gr);
	assert_int_equal(d.caps.gr_time, SE_GR_TIME_DEFAULT);
	assert_int_equal(d.caps.gr_af[BGP_AID_IPV6],
	    BGP_GR_AF_PRESENT | BGP_GR_AF_FORWARDING);

	/* A peer offering both families gets the session's only. */
	memset(&peer, 0, sizeof(peer));
	peer.version = 4;
	peer.as = 65001;
	peer.holdtime = 9;
	peer.bgp_id = 0xc6120002;
	peer.caps.mp_seen = 1;
	peer.caps.mp[BGP_AID_IPV4] = peer.caps.mp[BGP_AID_IPV6] = 1;
	peer.caps.as4 = 1;
	peer.caps.as4_as = 65001;
	assert_int_equal(bgp_caps_negotiate(&o, &peer, 65001, &s, &e), 0);
	assert_int_equal(s.holdtime, 9);
	assert_true(s.af[BGP_AID_IPV6]);
	assert_false(s.af[BGP_AID_IPV4]);
	assert_int_equal(s.maxlen, BGP_MAXLEN);
	/* The wrong AS is Bad Peer AS. */
	assert_int_equal(bgp_caps_negotiate(&o, &peer, 65002, &s, &e), -1);
	assert_int_equal(e.subcode, BGP_ERROPEN_AS);

	/* Graceful restart time is capped; no GR without the flag. */
	c.restart_time = 9999;
	se_open_build(&c, &o);
	assert_int_equal(o.caps.gr_time, BGP_GR_TIME_MAX);
	c.flags = 0;
	se_open_build(&c, &o);
	assert_false(o.caps.gr);
}

static void
test_gr(void **state)
{
	struct imsg_peer	 c;
	struct bgp_sess		 s;

	(void)state;
	conf_init(&c);
	memset(&s, 0, sizeof(s));
	c.flags = PEER_F_GR;
	s.peer_caps.gr = 1;
	assert_true(se_gr_graceful(&c, &s, 0));
	assert_false(se_gr_graceful(&c, &s, 1));
	s.peer_caps.gr = 0;
	assert_false(se_gr_graceful(&c, &s, 0));
	s.peer_caps.gr = 1;
	c.flags = 0;
	assert_false(se_gr_graceful(&c, &s, 0));
}

static void
test_buf(void **state)
{
	struct se_buf	 b;
	uint8_t		 big[10000];
	size_t		 i;

	(void)state;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	assert_int_equal(se_buf_append(&b, big, 100), 0);
	se_buf_consume(&b, 40);
	assert_int_equal(b.len, 60);
	assert_int_equal(b.data[b.off], 40);
	assert_int_equal(se_buf_append(&b, big, sizeof(big)), 0);
	assert_int_equal(b.len, 60 + sizeof(big));
	assert_int_equal(b.data[b.off], 40);
	assert_int_equal(b.data[b.off + 60 + 9999], (uint8_t)9999);
	se_buf_consume(&b, b.len + 5);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.off, 0);
	assert_int_equal(se_buf_reserve(&b, SIZE_MAX), -1);
	se_buf_free(&b);
	assert_null(b.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_table),
		cmocka_unit_test(test_fsm_total),
		cmocka_unit_test(test_collision),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_lasterr),
		cmocka_unit_test(test_peer_state),
		cmocka_unit_test(test_conf_check),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_gr),
		cmocka_unit_test(test_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
