/*
 * sessiond: the BGP sessions of one peer group.
 *
 * se_fsm.c holds the pure parts (the per-connection transition function,
 * collision resolution, timer arithmetic, status strings) so that unit
 * tests link it alone.  se_session.c does the I/O of the connections,
 * se_sock_linux.c the socket options, sessiond.c the imsg side.
 */
#ifndef TORTIE_SE_H
#define TORTIE_SE_H

#include <sys/queue.h>
#include <sys/tree.h>

#include <stddef.h>
#include <stdint.h>

#include "imsg.h"
#include "tortie.h"

struct event;
struct event_base;

/* Timers (seconds unless named _ms). */
#define SE_CONNECT_RETRY	5	/* first ConnectRetry interval */
#define SE_RETRY_MAX		120	/* back-off ceiling */
#define SE_OPEN_HOLD		240	/* OpenSent hold timer (RFC 4271 8) */
#define SE_SENDHOLD_DEFAULT	480	/* send hold when the hold time is 0 */
#define SE_LINGER_MS		2000	/* flush a NOTIFICATION before close */
#define SE_STATUS_MS		5000	/* periodic IMSG_SESSION_STATE */
#define SE_GR_TIME_DEFAULT	120	/* BIRD's graceful restart time */
#define SE_TTL_DEFAULT		64	/* TTL of sessions without GTSM */

/* Output queue bound beyond which ribd is ignoring XOFF. */
#define SE_WBUF_HARD_MAX	(4 * SE_XOFF_BYTES)

/* Events of the per-connection state machine. */
enum se_event {
	SE_EV_TCP_OK,		/* connected (dialled) or accepted */
	SE_EV_TCP_FAIL,		/* connect failed, reset, closed, I/O error */
	SE_EV_OPEN_OK,		/* acceptable OPEN received */
	SE_EV_OPEN_BAD,		/* OPEN failed its checks */
	SE_EV_KEEPALIVE,	/* KEEPALIVE received */
	SE_EV_UPDATE,		/* UPDATE received */
	SE_EV_RREFRESH,		/* ROUTE-REFRESH received */
	SE_EV_NOTIFICATION,	/* NOTIFICATION received */
	SE_EV_MSG_BAD,		/* header or message error */
	SE_EV_HOLD_EXPIRED,
	SE_EV_KEEPALIVE_TIMER,
	SE_EV_SENDHOLD_EXPIRED,	/* nothing could be written (RFC 9687) */
	SE_EV_STOP,		/* administrative: Cease with a subcode */
	SE_EV_COLLISION,	/* lost collision resolution */
	SE_EV_MAX
};

/* Actions the transition function asks for. */
#define SE_A_SEND_OPEN		0x0001
#define SE_A_SEND_KEEPALIVE	0x0002
#define SE_A_SEND_NOTIFY	0x0004	/* code/subcode in the result */
#define SE_A_HOLD_OPEN		0x0008	/* arm the large OpenSent hold */
#define SE_A_HOLD		0x0010	/* (re)arm the negotiated hold */
#define SE_A_KEEPALIVE		0x0020	/* (re)arm the keepalive timer */
#define SE_A_UP			0x0040	/* session up: tell ribd */
#define SE_A_DOWN		0x0080	/* session down: tell ribd */
#define SE_A_FWD_UPDATE		0x0100
#define SE_A_FWD_REFRESH	0x0200
#define SE_A_CLOSE		0x0400	/* the connection ends */
#define SE_A_ERROR		0x0800	/* a BGP error: Idle, error wait */
#define SE_A_COLLIDE		0x1000	/* resolve against the other one */

/*
 * The result of one transition.  code/subcode are set by the function
 * for the NOTIFICATIONs it chooses (FSM errors, hold timer, collision);
 * for SE_EV_OPEN_BAD, SE_EV_MSG_BAD and SE_EV_STOP the caller's error
 * is to be sent, and code is left 0.
 */
struct se_step {
	uint8_t		 next;		/* enum bgp_fsm_state */
	uint8_t		 code;
	uint8_t		 subcode;
	uint32_t	 act;		/* SE_A_* */
};

/* Which end dialled. */
enum se_dir {
	SE_DIR_OUT,		/* we connected */
	SE_DIR_IN,		/* the parent passed an accepted socket */
	SE_DIR_MAX
};

/* Byte queue: data[off .. off + len) is pending. */
struct se_buf {
	uint8_t		*data;
	size_t		 off;
	size_t		 len;
	size_t		 cap;
};

struct se_peer;

/* One TCP connection of a peer; a peer has at most two. */
struct se_conn {
	TAILQ_ENTRY(se_conn)	 entry;		/* linger list */
	struct se_peer		*peer;		/* NULL while lingering */
	int			 fd;
	uint8_t			 dir;		/* enum se_dir */
	uint8_t			 state;		/* enum bgp_fsm_state */
	uint8_t			 paused;	/* not reading: ribd is slow */
	uint8_t			 have_open;
	struct event		*ev_read;
	struct event		*ev_write;
	struct event		*t_hold;
	struct event		*t_keepalive;
	struct event		*t_sendhold;
	struct se_buf		 rbuf;
	struct se_buf		 wbuf;
	size_t			 whead;		/* rest of the head message */
	struct bgp_open		 ropen;		/* the peer's OPEN */
	struct bgp_sess		 sess;		/* negotiated */
	struct bgpd_addr	 local_addr;
	struct bgpd_addr	 remote_addr;
	uint64_t		 born_ms;	/* dialled or accepted */
	uint64_t		 up_ms;		/* Established */
};
TAILQ_HEAD(se_conn_list, se_conn);

struct se_peer {
	RB_ENTRY(se_peer)	 entry;
	struct imsg_peer	 conf;
	struct se_conn		*conn[SE_DIR_MAX];	/* slots, any order */
	struct event		*t_start;	/* retry, error wait, connect */
	struct bgp_open		 lopen;		/* our OPEN */
	uint8_t			 state;		/* reported; bgp_fsm_state */
	uint8_t			 idle;		/* error wait after a failure */
	uint8_t			 xoff;		/* ribd told to hold back */
	uint8_t			 dirty;		/* counters changed */
	uint32_t		 fails;		/* attempts since Established */
	struct imsg_peer_state	 st;		/* counters, lasterr */
};
RB_HEAD(se_peer_tree, se_peer);

/* se_fsm.c: pure */
void		 se_fsm_step(uint8_t, enum se_event, struct se_step *);
const char	*se_state_name(uint8_t);
const char	*se_event_name(enum se_event);
enum se_dir	 se_collision_winner(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t	 se_retry_ms(uint32_t, uint32_t);
uint16_t	 se_keepalive_secs(uint16_t, uint16_t);
uint32_t	 se_sendhold_secs(uint16_t);
void		 se_lasterr_socket(char *, size_t, int);
void		 se_lasterr_notify(char *, size_t, int, uint8_t, uint8_t);
uint8_t		 se_peer_state_of(const uint8_t *, size_t, int);
int		 se_peer_conf_check(const struct imsg_peer *, char *, size_t);
void		 se_open_build(const struct imsg_peer *, struct bgp_open *);
int		 se_gr_graceful(const struct imsg_peer *,
		    const struct bgp_sess *, int);

/* se_buf.c */
int		 se_buf_append(struct se_buf *, const void *, size_t);
void		 se_buf_consume(struct se_buf *, size_t);
int		 se_buf_reserve(struct se_buf *, size_t);
void		 se_buf_free(struct se_buf *);

/* se_sock_linux.c */
int		 se_sock_md5(int, const struct bgpd_addr *, const char *,
		    size_t);
int		 se_sock_ttl(int, int, uint8_t);
void		 se_sock_tos(int, int);

/* se_session.c */
void		 se_init(struct event_base *, struct imsgev *);
void		 se_set_rib(struct imsgev *);
void		 se_peer_add(const struct imsg_peer *);
void		 se_peer_del(uint32_t);
void		 se_peer_conn(uint32_t, int);
void		 se_peer_output(uint32_t, const uint8_t *, size_t);
void		 se_peer_refresh_out(uint32_t, const uint8_t *, size_t);
void		 se_peer_notify(uint32_t, const uint8_t *, size_t);
void		 se_shutdown(void);

#endif
