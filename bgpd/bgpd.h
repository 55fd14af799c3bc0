/*
 * tortied, the parent process: configuration, supervision of the helper
 * processes, accepting BGP connections, the control socket.
 */
#ifndef TORTIE_BGPD_H
#define TORTIE_BGPD_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>

#include "dconf.h"
#include "imsg.h"
#include "tortie.h"

struct event;
struct event_base;

/* The daemon's own settings: tortie.yaml, then the command line. */
struct daemon_conf {
	struct dconf	 d;
	char		*conf_file;
	char		*opt_node;	/* -N */
	char		*opt_ds;	/* -D */
	char		*opt_socket;	/* -s */
	char		*node_name;	/* effective */
	char		*chroot;
	int		 debug;
	int		 verbose;
};

struct child {
	TAILQ_ENTRY(child)	 entry;
	enum tortie_role	 role;
	uint32_t		 groupid;
	char			 name[GROUP_NAME_LEN + 1];
	char			 label[GROUP_NAME_LEN + 16];	/* for logs */
	pid_t			 pid;
	struct imsgev		 iev;
	int			 connected;	/* iev is live */
	int			 hello;		/* sandboxed and talking */
	int			 removing;	/* group gone: no restart */
	unsigned int		 restarts;	/* back-off, reset after a while */
	uint64_t		 restarts_total;
	uint64_t		 started_ms;
	struct event		*restart_ev;
};
TAILQ_HEAD(child_head, child);

/* One session of the plan, with the state its sessiond reports. */
struct bgpd_peer {
	TAILQ_ENTRY(bgpd_peer)	 entry;
	struct imsg_peer	 conf;
	struct child		*group;
	struct imsg_peer_state	 st;
	struct imsg_peer_counts	 counts;	/* from ribd */
	int			 seen;
	int			 draining;	/* removed, kept until replaced */
	uint64_t		 drain_ms;	/* when it started draining */
	uint64_t		 added_ms;	/* when the plan added it */
	uint64_t		 up_ms;		/* when it last became Established */
	uint64_t		 counts_ms;	/* when ribd's counts last came */
	int			 handed_over;	/* no reset since the hand-over */
};

struct tortied {
	struct event_base	*base;
	struct daemon_conf	 conf;
	struct child		*rib;
	struct child		*kroute;
	struct child_head	 groups;
	uint32_t		 next_groupid;
	int			 shutting_down;
	int			 rib_stopping;
	int			 exit_code;
	int64_t			 started;
	uint64_t		 reloads;
	uint64_t		 reload_failures;
	struct event		*stop_ev;
};

extern struct tortied	*td;

/* tortied.c */
int	 td_conf_load(struct daemon_conf *, char *, size_t);
void	 td_shutdown(int);
void	 td_reload(void);

/* config.c */
struct plan;
struct ds;
int	 config_compute(struct daemon_conf *, struct plan *, char *, size_t);
int	 config_reload(void);
const struct plan *config_plan(void);
struct ds *config_ds(void);
int	 config_ds_up(void);
void	 config_cleanup(void);

/* nodestatus.c */
#define NS_REQID_BASE	0x80000000U	/* control ids of our own requests */
struct res_set;
void	 nodestatus_sync(const struct res_set *, const char *);
void	 nodestatus_rib(uint32_t, uint32_t, const void *, size_t);
void	 nodestatus_clear(void);
void	 nodestatus_reconfigured(void);

/* status.c */
struct jsonw;
void	 status_node_json(struct jsonw *);
void	 status_neighbors_json(struct jsonw *);

/* proc.c */
void	 proc_init(void);
void	 proc_start_core(void);
struct child *proc_group_add(const char *);
void	 proc_group_remove(struct child *);
struct child *proc_group_find(const char *);
void	 proc_reap(void);
void	 proc_stop_all(void);
int	 proc_count(void);
int	 proc_compose(struct child *, uint32_t, uint32_t, int, const void *,
	    size_t);
struct ds *proc_dsd_open(const struct dconf *);
struct child *proc_dsd(void);

/* peers.c */
const char *fsm_state_name(uint32_t);
const char *peer_type_name(uint8_t);
struct bgpd_peer *peers_find_id(uint32_t);
struct bgpd_peer *peers_find_name(const char *);
struct bgpd_peer *peers_find_addr(const struct bgpd_addr *);
int	 peers_apply(const struct imsg_peer *, size_t, const char **, size_t);
void	 want_copy(struct imsg_peer *, const struct imsg_peer *, uint32_t);
void	 peers_group_started(struct child *);
int	 peers_pass_conn(struct bgpd_peer *, int);
void	 peers_md5_sync(void);
void	 peers_state(struct child *, struct imsg *);
void	 peers_counts(struct imsg *);
struct jsonw;
void	 peers_json(struct jsonw *, const char *);
void	 peers_clear(void);
void	 peers_foreach(void (*)(const struct bgpd_peer *, void *), void *);
void	 peers_migration_check(void);

/* listen.c */
int	 listen_setup(const struct bgpd_addr *, int, uint16_t);
void	 listen_close(void);
void	 listen_md5(const struct bgpd_addr *, const char *, size_t);

/* control.c */
int	 control_init(const char *, const char *);
void	 control_cleanup(const char *);
void	 control_relay(uint32_t, uint32_t, const void *, size_t);

/* metrics.c */
struct evbuffer;
int	 metrics_init(struct event_base *, const char *);
void	 metrics_close(void);
int	 metrics_render(struct evbuffer *);
int	 metrics_family(struct evbuffer *, const char *, const char *,
	    const char *);
int	 metrics_sample(struct evbuffer *, const char *, const char *const *,
	    size_t, uint64_t);

/* exe_<os>.c */
int	 exe_dir(char *, size_t);

#endif
