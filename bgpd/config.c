/*
 * Configuration in the parent: tortie.yaml and the datastore are read,
 * this node's plan is compiled, and the running daemon is moved to it.
 * Nothing is applied unless everything parsed and validated: a bad file or
 * resource is logged (file:line:col and why) and the last good plan stays
 * in force, sessions and kernel routes untouched.
 *
 * The datastore is watched; bursts of changes (an apply of many files)
 * are coalesced into one reload a short moment after the last event.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "bgpd.h"
#include "datastore.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "evt.h"
#include "log.h"
#include "plan.h"
#include "ribconf.h"
#include "util.h"

#define WATCH_SETTLE_MS		100
#define GR_RESTART_DEFAULT	120	/* BIRD's graceful restart time */
#define HOLDTIME_DEFAULT	240	/* BIRD's hold time */

static struct plan	*cur_plan;
static int		 cur_ds_up;	/* the last load worked */
static struct ds	*cur_ds;
static char		*cur_ds_key;	/* type:path the handle is for */
static struct event	*watch_ev;
static struct event	*settle_ev;
static uint16_t		 cur_port;
static struct bgpd_addr	 cur_bind[2];
static int		 cur_nbind = -1;

static int	 ds_reopen(struct daemon_conf *, char *, size_t);
static void	 ds_key(const struct dconf *, char **);
static void	 watch_setup(void);
static void	 watch_cb(evutil_socket_t, short, void *);
static void	 settle_cb(evutil_socket_t, short, void *);
static void	 session_to_peer(const struct plan *, const struct plan_session *,
		    struct imsg_peer *);
static void	 apply_listen(const struct plan *);
static void	 apply_plan(const struct plan *);
static void	 apply_log_level(const struct plan *);

int
config_compute(struct daemon_conf *c, struct plan *plan, char *err,
    size_t errlen)
{
	struct res_set		 set;
	struct res_errors	 errs;
	struct ds_err		 derr;
	struct plan_opts	 opts;
	size_t			 i;
	int			 r;

	memset(&errs, 0, sizeof(errs));
	memset(&derr, 0, sizeof(derr));
	res_set_init(&set);
	if (ds_reopen(c, err, errlen) == -1)
		return -1;
	cur_ds_up = 0;
	if (ds_load(cur_ds, &set, &errs, &derr) == -1) {
		snprintf(err, errlen, "datastore %s: %s",
		    strcmp(c->d.ds_type, "file") == 0 ? c->d.ds_path :
		    c->d.ds_type, derr.msg);
		res_set_free(&set);
		res_errors_free(&errs);
		return -1;
	}
	cur_ds_up = 1;
	if (errs.n > 0) {
		for (i = 0; i < errs.n; i++)
			log_warnx("%s", errs.msgs[i]);
		snprintf(err, errlen, "%zu invalid resource(s) in the "
		    "datastore (see above)", errs.n + errs.dropped);
		res_set_free(&set);
		res_errors_free(&errs);
		return -1;
	}
	nodestatus_sync(&set, c->node_name);
	memset(&opts, 0, sizeof(opts));
	opts.secrets_dir = c->d.secrets_dir;
	opts.router_id = c->d.router_id;
	r = plan_compute(&set, c->node_name, &opts, plan, err, errlen);
	res_set_free(&set);
	res_errors_free(&errs);
	return r;
}

/* Everything that names the datastore: a change means a new handle. */
static void
ds_key(const struct dconf *d, char **key)
{
	char	*k, *t;
	int	 i;

	xasprintf(&k, "%s:%s", d->ds_type, d->ds_path);
	for (i = 0; i < d->ds_nendpoints; i++) {
		xasprintf(&t, "%s,%s", k, d->ds_endpoints[i]);
		free(k);
		k = t;
	}
	xasprintf(&t, "%s;%s;%s;%s", k, d->ds_ca_file ? d->ds_ca_file : "",
	    d->ds_cert_file ? d->ds_cert_file : "",
	    d->ds_key_file ? d->ds_key_file : "");
	free(k);
	*key = t;
}

/*
 * One datastore handle, reopened when tortie.yaml points elsewhere.  The
 * daemon reaches etcd through dsd (a proxy handle, proc_dsd_open()), so
 * that the etcd client and its keys stay out of this root process;
 * tortied -n, a one-shot check without children, opens etcd itself.
 */
static int
ds_reopen(struct daemon_conf *c, char *err, size_t errlen)
{
	struct ds_err	 derr;
	struct ds	*n;
	char		*key;

	ds_key(&c->d, &key);
	if (cur_ds != NULL && strcmp(key, cur_ds_key) == 0) {
		free(key);
		return 0;
	}
	memset(&derr, 0, sizeof(derr));
	if (td->base != NULL && c->d.ds_type != NULL &&
	    strcmp(c->d.ds_type, "etcdv3") == 0)
		n = proc_dsd_open(&c->d);
	else
		n = ds_open_dconf(&c->d, 0, &derr);
	if (n == NULL) {
		snprintf(err, errlen, "datastore %s: %s", key, derr.msg);
		free(key);
		return -1;
	}
	if (watch_ev != NULL) {
		event_free(watch_ev);
		watch_ev = NULL;
	}
	if (cur_ds != NULL)
		ds_close(cur_ds);
	free(cur_ds_key);
	cur_ds = n;
	cur_ds_key = key;
	return 0;
}

/* Watch the datastore from the event loop (the daemon only). */
static void
watch_setup(void)
{
	struct ds_err	 derr;
	int		 fd;

	if (cur_ds == NULL || td->base == NULL)
		return;
	/*
	 * Every time: a datastore directory that was moved away and came
	 * back is watched again (on the same descriptor).
	 */
	memset(&derr, 0, sizeof(derr));
	/* The etcd watch runs on our event base (a no-op for files, dsd). */
	ds_etcd_watch_base(cur_ds, td->base);
	if (ds_watch_start(cur_ds, &derr) == -1) {
		log_warnx("datastore watch: %s (changes need a reload)",
		    derr.msg);
		return;
	}
	if (watch_ev != NULL)
		return;
	if ((fd = ds_watch_fd(cur_ds)) == -1)
		return;
	watch_ev = event_new(td->base, fd, EV_READ | EV_PERSIST, watch_cb,
	    NULL);
	if (watch_ev == NULL)
		fatalx("event_new");
	event_add(watch_ev, NULL);
	if (settle_ev == NULL &&
	    (settle_ev = evtimer_new(td->base, settle_cb, NULL)) == NULL)
		fatalx("evtimer_new");
}

static void
watch_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	/*
	 * The first change opens a short window that gathers the rest of a
	 * burst; later changes do not push it back, so that a steady stream
	 * of changes is still applied every WATCH_SETTLE_MS.
	 */
	if (ds_watch_drain(cur_ds) > 0 &&
	    !evtimer_pending(settle_ev, NULL))
		evt_after_ms(settle_ev, WATCH_SETTLE_MS);
}

static void
settle_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	log_debug("datastore changed");
	td_reload();
}

static void
session_to_peer(const struct plan *plan, const struct plan_session *s,
    struct imsg_peer *p)
{
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, s->name, sizeof(p->name));
	strlcpy(p->group, s->group, sizeof(p->group));
	p->remote = s->peer_ip;
	p->local = s->source_addr;
	p->port = s->port;
	p->holdtime = HOLDTIME_DEFAULT;
	p->keepalive = s->has_keepalive_time ?
	    (uint16_t)s->keepalive_time : 0;
	if (p->keepalive > 0 && p->keepalive * 3 > p->holdtime)
		p->holdtime = (uint16_t)(p->keepalive * 3);
	p->restart_time = s->has_restart_time ?
	    (uint16_t)(s->restart_time > 4095 ? 4095 : s->restart_time) :
	    GR_RESTART_DEFAULT;
	p->peer_as = s->peer_as;
	p->local_as = s->local_as;
	if (plan->router_id.af == AF_INET)
		memcpy(&p->router_id, &plan->router_id.v4, 4);
	if (plan->cluster_id.af == AF_INET)
		memcpy(&p->cluster_id, &plan->cluster_id.v4, 4);
	p->flags = PEER_F_GR;
	if (s->passive)
		p->flags |= PEER_F_PASSIVE;
	if (s->rr_client)
		p->flags |= PEER_F_RR_CLIENT;
	if (!s->same_as)
		p->flags |= PEER_F_EBGP;
	if (s->next_hop == PLAN_NH_KEEP)
		p->flags |= PEER_F_KEEP_NEXTHOP;
	if (s->calico_node)
		p->flags |= PEER_F_CALICO_NODE;
	p->type = s->type == PLAN_MESH ? PEER_TYPE_MESH :
	    s->type == PLAN_GLOBAL ? PEER_TYPE_GLOBAL : PEER_TYPE_NODE;
	p->nexthop = s->next_hop == PLAN_NH_SELF ? NEXTHOP_SELF :
	    s->next_hop == PLAN_NH_KEEP ? NEXTHOP_KEEP : NEXTHOP_AUTO;
	p->ttl_security = s->ttl_security;
	p->max_prefix = s->max_prefix;
	p->allow_local_as = (uint8_t)(s->allow_local_as > 255 ? 255 :
	    s->allow_local_as);
	if (s->pw_state == PLAN_PW_OK) {
		p->md5_len = (uint8_t)strnlen(s->password, MD5_KEY_MAX);
		memcpy(p->md5, s->password, p->md5_len);
	} else if (s->pw_state == PLAN_PW_MISSING)
		log_warnx("session %s: %s: no password used", s->name,
		    s->pw_error);
}

/* Listening sockets follow listenPort and bindMode. */
static void
apply_listen(const struct plan *plan)
{
	struct bgpd_addr	 bind[2];
	int			 n = 0;

	memset(bind, 0, sizeof(bind));
	if (plan->bind_mode == PLAN_BIND_NODE_IP) {
		if (plan->ipv4.addr.af == AF_INET)
			bind[n++] = plan->ipv4.addr;
		if (plan->ipv6.addr.af == AF_INET6)
			bind[n++] = plan->ipv6.addr;
	}
	if (n == cur_nbind && plan->listen_port == cur_port &&
	    memcmp(bind, cur_bind, sizeof(bind)) == 0)
		return;
	listen_setup(bind, n, plan->listen_port);
	memcpy(cur_bind, bind, sizeof(bind));
	cur_nbind = n;
	cur_port = plan->listen_port;
}

/* The export policy, origination and filters to ribd, as one stream. */
static void
apply_ribconf(const struct plan *plan)
{
	struct ribconf_msg	*msgs = NULL;
	struct bgpd_peer	*p;
	uint32_t		*ids;
	char			 err[256];
	size_t			 i;
	int			 n;

	ids = xcalloc(plan->nsessions, sizeof(*ids));
	for (i = 0; i < plan->nsessions; i++)
		if ((p = peers_find_name(plan->sessions[i].name)) != NULL)
			ids[i] = p->conf.peerid;
	n = ribconf_from_plan(plan, ids, td->conf.d.kernel_install, &msgs,
	    err, sizeof(err));
	free(ids);
	if (n == -1) {
		log_warnx("export configuration for ribd: %s", err);
		return;
	}
	for (i = 0; i < (size_t)n; i++)
		proc_compose(td->rib, msgs[i].type, 0, -1, &msgs[i].data,
		    msgs[i].len);
	free(msgs);
}

static void
apply_plan(const struct plan *plan)
{
	struct imsg_peer	*want;
	const char		*keep[1] = { "mesh" };
	size_t			 i;
	int			 changes;

	want = xcalloc(plan->nsessions, sizeof(*want));
	for (i = 0; i < plan->nsessions; i++)
		session_to_peer(plan, &plan->sessions[i], &want[i]);
	apply_listen(plan);
	changes = peers_apply(want, plan->nsessions, keep,
	    plan->mesh_enabled ? 1 : 0);
	explicit_bzero(want, plan->nsessions * sizeof(*want));
	free(want);
	apply_ribconf(plan);
	if (changes == 0 && cur_plan != NULL)
		return;
	nodestatus_reconfigured();
	for (i = 0; i < plan->nwarnings; i++)
		log_warnx("plan: %s", plan->warnings[i]);
	log_info("plan for node %s: %zu session(s), %zu prefix(es) "
	    "originated, %d session change(s)", plan->node, plan->nsessions,
	    plan->noriginate, changes);
}

/*
 * logSeverityScreen: tortie.yaml's if set, else the BGPConfiguration's
 * (node.<name> over default, Info without either).  Warning, Error and
 * Fatal hide info messages; Debug and Trace show debug messages.  Only
 * the parent follows it: the children keep the -v they were started with.
 */
static void
apply_log_level(const struct plan *plan)
{
	static const char *const names[] = { "Trace", "Debug", "Info",
	    "Warning", "Error", "Fatal" };
	static const int levels[] = { LOG_LVL_DEBUG, LOG_LVL_DEBUG,
	    LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_WARN, LOG_LVL_WARN };
	const char	*s = td->conf.d.log_severity;
	size_t		 i;
	int		 level = LOG_LVL_INFO;

	if (plan->log_severity == RES_LOG_TRACE ||
	    plan->log_severity == RES_LOG_DEBUG)
		level = LOG_LVL_DEBUG;
	else if (plan->log_severity >= RES_LOG_WARNING)
		level = LOG_LVL_WARN;
	if (s != NULL && s[0] != '\0') {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcasecmp(s, names[i]) == 0)
				break;
		if (i < sizeof(names) / sizeof(names[0]))
			level = levels[i];
		else
			log_warnx("tortie.yaml: logSeverityScreen \"%s\" is "
			    "not Trace, Debug, Info, Warning, Error or Fatal; "
			    "ignored", s);
	}
	log_setlevel(level);
}

/*
 * Read everything again and move to the new plan.  Returns 0, or -1 with
 * the old configuration still in force.
 */
int
config_reload(void)
{
	struct daemon_conf	 nc;
	struct plan		*plan;
	char			 err[1024];

	td->reloads++;
	memset(&nc, 0, sizeof(nc));
	nc.conf_file = td->conf.conf_file;
	nc.opt_node = td->conf.opt_node;
	nc.opt_ds = td->conf.opt_ds;
	nc.opt_socket = td->conf.opt_socket;
	if (td_conf_load(&nc, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: "
		    "%s", err);
		td->reload_failures++;
		return -1;
	}
	plan = xcalloc(1, sizeof(*plan));
	if (config_compute(&nc, plan, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: "
		    "%s", err);
		watch_setup();
		plan_free(plan);
		free(plan);
		dconf_free(&nc.d);
		free(nc.node_name);
		td->reload_failures++;
		return -1;
	}
	/* tortie.yaml settings that need a restart stay as they were. */
	free(nc.d.ctl_socket);
	nc.d.ctl_socket = xstrdup(td->conf.d.ctl_socket);
	free(nc.d.user);
	nc.d.user = xstrdup(td->conf.d.user);
	dconf_free(&td->conf.d);
	td->conf.d = nc.d;
	free(td->conf.node_name);
	td->conf.node_name = nc.node_name;
	apply_log_level(plan);
	metrics_init(td->base, td->conf.d.metrics_listen);
	apply_plan(plan);
	if (cur_plan != NULL) {
		plan_free(cur_plan);
		free(cur_plan);
	}
	cur_plan = plan;
	watch_setup();
	return 0;
}

const struct plan *
config_plan(void)
{
	return cur_plan;
}

struct ds *
config_ds(void)
{
	return cur_ds;
}

/* The last load worked, and etcd (if that is the store) is reachable. */
int
config_ds_up(void)
{
	struct ds_etcd_status	 st;

	if (ds_proxy_status(cur_ds, &st) == 0 ||
	    ds_etcd_status(cur_ds, &st) == 0)
		return cur_ds_up && st.state != DS_ETCD_UNREACHABLE;
	return cur_ds_up;
}

void
config_cleanup(void)
{
	nodestatus_clear();
	if (watch_ev != NULL)
		event_free(watch_ev);
	if (settle_ev != NULL)
		event_free(settle_ev);
	watch_ev = settle_ev = NULL;
	if (cur_ds != NULL)
		ds_close(cur_ds);
	cur_ds = NULL;
	free(cur_ds_key);
	cur_ds_key = NULL;
	if (cur_plan != NULL) {
		plan_free(cur_plan);
		free(cur_plan);
		cur_plan = NULL;
	}
}
