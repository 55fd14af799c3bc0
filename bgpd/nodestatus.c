/*
 * CalicoNodeStatus: for each object whose spec.node is this node, tortie
 * writes status (the classes the object asks for: Agent, BGP, Routes) at
 * once when the object appears or its spec changes, then every
 * updatePeriodSeconds (0: only on spec changes), and only when something
 * changed, so that lastUpdated moves only then (CALICO.md 4.3).
 *
 * Unlike calico-node, spec edits are honoured in every datastore, and a
 * failing class never wipes the other family's data (CALICO.md, tortie's
 * decisions).  The Routes class asks ribd for the RIB (the same answer as
 * `show rib`) and completes when that arrives.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "bgpd.h"
#include "datastore.h"
#include "doc.h"
#include "evt.h"
#include "log.h"
#include "plan.h"
#include "resource.h"
#include "util.h"

#define NS_CLASS_AGENT		0x01
#define NS_CLASS_BGP		0x02
#define NS_CLASS_ROUTES		0x04

struct ns_obj {
	TAILQ_ENTRY(ns_obj)	 entry;
	char			*name;
	uint32_t		 classes;
	uint32_t		 period;	/* seconds; 0: on change only */
	uint32_t		 reqid;		/* pending RIB request, or 0 */
	char			*rib;		/* the RIB answer being read */
	size_t			 riblen;
	char			*last;		/* last status written (JSON) */
	struct event		*ev;
	int			 seen;
};

static TAILQ_HEAD(, ns_obj)	 objs = TAILQ_HEAD_INITIALIZER(objs);
static uint32_t			 ns_next_req;
static int64_t			 ns_boot;	/* wall clock */
static int64_t			 ns_reconf;

static void	 ns_timer(evutil_socket_t, short, void *);
static void	 ns_report(struct ns_obj *);
static void	 ns_write(struct ns_obj *, struct doc_node *);
static struct doc_node *ns_agent(void);
static struct doc_node *ns_bgp(void);
static struct doc_node *ns_routes(const char *, size_t);
static void	 ns_free(struct ns_obj *);
static void	 ns_wall(int64_t, char *, size_t);

static void
ns_wall(int64_t t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
ns_free(struct ns_obj *o)
{
	TAILQ_REMOVE(&objs, o, entry);
	if (o->ev != NULL)
		event_free(o->ev);
	free(o->name);
	free(o->rib);
	free(o->last);
	free(o);
}

/*
 * After each successful load: the objects of this node, with their spec.
 * A new object or a changed spec reports at once.
 */
void
nodestatus_sync(const struct res_set *set, const char *node)
{
	const struct res_nodestatus	*ns;
	struct ns_obj			*o, *t;
	uint32_t			 classes;
	size_t				 i, k;

	if (td->base == NULL)
		return;
	if (ns_boot == 0)
		ns_boot = ns_reconf = time(NULL);
	TAILQ_FOREACH(o, &objs, entry)
		o->seen = 0;
	for (i = 0; i < set->nnodestatuses; i++) {
		ns = &set->nodestatuses[i];
		if (ns->spec.node == NULL || strcmp(ns->spec.node, node) != 0)
			continue;
		classes = 0;
		for (k = 0; k < ns->spec.nclasses; k++)
			classes |= ns->spec.classes[k] == RES_NSC_AGENT ?
			    NS_CLASS_AGENT : ns->spec.classes[k] ==
			    RES_NSC_BGP ? NS_CLASS_BGP : NS_CLASS_ROUTES;
		TAILQ_FOREACH(o, &objs, entry)
			if (strcmp(o->name, ns->meta.name) == 0)
				break;
		if (o == NULL) {
			o = xcalloc(1, sizeof(*o));
			o->name = xstrdup(ns->meta.name);
			if ((o->ev = evtimer_new(td->base, ns_timer, o)) ==
			    NULL)
				fatalx("evtimer_new");
			TAILQ_INSERT_TAIL(&objs, o, entry);
		} else if (o->classes == classes &&
		    o->period == ns->spec.update_period_seconds) {
			o->seen = 1;
			continue;
		}
		o->seen = 1;
		o->classes = classes;
		o->period = ns->spec.update_period_seconds;
		/* Report now; the timer takes it from there. */
		evt_after_ms(o->ev, 0);
	}
	TAILQ_FOREACH_SAFE(o, &objs, entry, t)
		if (!o->seen)
			ns_free(o);
}

static void
ns_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct ns_obj	*o = arg;

	(void)fd;
	(void)ev;
	ns_report(o);
	if (o->period > 0)
		evt_after_ms(o->ev, (uint64_t)o->period * 1000);
}

static void
ns_report(struct ns_obj *o)
{
	if ((o->classes & NS_CLASS_ROUTES) && o->reqid == 0) {
		/* Finish in nodestatus_rib() when ribd has answered. */
		o->reqid = NS_REQID_BASE | (++ns_next_req & ~NS_REQID_BASE);
		free(o->rib);
		o->rib = NULL;
		o->riblen = 0;
		if (proc_compose(td->rib, IMSG_CTL_SHOW_RIB, o->reqid, -1,
		    NULL, 0) == -1)
			o->reqid = 0;
		return;
	}
	if (o->reqid == 0)
		ns_write(o, NULL);
}

/* A piece of ribd's answer to a request of ours. */
void
nodestatus_rib(uint32_t reqid, uint32_t type, const void *data, size_t len)
{
	struct ns_obj	*o;
	struct doc_node	*routes;

	TAILQ_FOREACH(o, &objs, entry)
		if (o->reqid == reqid)
			break;
	if (o == NULL)
		return;
	if (type == IMSG_CTL_DATA) {
		o->rib = xreallocarray(o->rib, o->riblen + len + 1, 1);
		memcpy(o->rib + o->riblen, data, len);
		o->riblen += len;
		o->rib[o->riblen] = '\0';
		return;
	}
	o->reqid = 0;
	routes = type == IMSG_CTL_END ? ns_routes(o->rib, o->riblen) : NULL;
	if (routes == NULL)
		log_warnx("CalicoNodeStatus %s: no routes from ribd", o->name);
	ns_write(o, routes);
	free(o->rib);
	o->rib = NULL;
}

static struct doc_node *
ns_daemon(const char *rid)
{
	struct doc_node	*d = doc_new_map();
	char		 t[32], v[64];

	snprintf(v, sizeof(v), "tortie-%s", TORTIE_VERSION);
	doc_map_set(d, "state", doc_new_string("Ready"));
	doc_map_set(d, "version", doc_new_string(v));
	doc_map_set(d, "routerID", doc_new_string(rid));
	ns_wall(ns_boot, t, sizeof(t));
	doc_map_set(d, "lastBootTime", doc_new_string(t));
	ns_wall(ns_reconf, t, sizeof(t));
	doc_map_set(d, "lastReconfigurationTime", doc_new_string(t));
	return d;
}

static struct doc_node *
ns_agent(void)
{
	struct doc_node		*a = doc_new_map();
	const struct plan	*plan = config_plan();
	char			 rid[ADDRSTRLEN] = "";

	if (plan == NULL)
		return a;
	if (plan->router_id.af == AF_INET)
		addr_ntop(&plan->router_id, rid, sizeof(rid));
	if (plan->ipv4.addr.af == AF_INET)
		doc_map_set(a, "birdV4", ns_daemon(rid));
	if (plan->ipv6.addr.af == AF_INET6)
		doc_map_set(a, "birdV6", ns_daemon(rid));
	return a;
}

static const char *
ns_state(uint32_t s)
{
	return fsm_state_name(s);
}

static void
ns_bgp_peer(const struct bgpd_peer *p, void *arg)
{
	struct doc_node	**v = arg, *e;
	char		 addr[ADDRSTRLEN], t[32];
	int		 v6 = p->conf.remote.af == AF_INET6;
	int		 up = p->st.state == FSM_ESTABLISHED;

	/* v: peersV4, peersV6, then the four counters as ints. */
	e = doc_new_map();
	doc_map_set(e, "peerIP", doc_new_string(addr_ntop(&p->conf.remote,
	    addr, sizeof(addr))));
	doc_map_set(e, "type", doc_new_string(p->conf.type ==
	    PEER_TYPE_MESH ? "NodeMesh" : p->conf.type == PEER_TYPE_GLOBAL ?
	    "GlobalPeer" : "NodePeer"));
	doc_map_set(e, "state", doc_new_string(ns_state(p->st.state)));
	if (p->st.since > 0) {
		ns_wall(p->st.since, t, sizeof(t));
		doc_map_set(e, "since", doc_new_string(t));
	}
	doc_list_append(v[v6], e);
	v[2 + v6 * 2 + (up ? 0 : 1)]->i++;
}

static struct doc_node *
ns_bgp(void)
{
	struct doc_node	*b = doc_new_map();
	struct doc_node	*v[6];

	v[0] = doc_new_list();
	v[1] = doc_new_list();
	v[2] = doc_new_int(0);
	v[3] = doc_new_int(0);
	v[4] = doc_new_int(0);
	v[5] = doc_new_int(0);
	peers_foreach(ns_bgp_peer, v);
	doc_map_set(b, "numberEstablishedV4", v[2]);
	doc_map_set(b, "numberNotEstablishedV4", v[3]);
	doc_map_set(b, "numberEstablishedV6", v[4]);
	doc_map_set(b, "numberNotEstablishedV6", v[5]);
	doc_map_set(b, "peersV4", v[0]);
	doc_map_set(b, "peersV6", v[1]);
	return b;
}

/* ribd's `show rib` JSON into routesV4 / routesV6. */
static struct doc_node *
ns_routes(const char *json, size_t len)
{
	struct doc_node		*rib, *r, *lists[2], *e, *lf;
	const struct doc_node	*pfx, *nh, *pip, *best;
	struct bgpd_addr	 a;
	struct bgpd_peer	*p;
	char			 err[256];
	size_t			 i;
	int			 v6;

	if (json == NULL ||
	    (rib = doc_parse_one(json, len, "ribd", err, sizeof(err))) ==
	    NULL)
		return NULL;
	if (rib->type != DOC_LIST) {
		doc_free(rib);
		return NULL;
	}
	lists[0] = doc_new_list();
	lists[1] = doc_new_list();
	for (i = 0; i < rib->n; i++) {
		r = rib->items[i];
		if ((pfx = doc_map_get(r, "prefix")) == NULL ||
		    pfx->type != DOC_STRING)
			continue;
		nh = doc_map_get(r, "nexthop");
		pip = doc_map_get(r, "peerIP");
		best = doc_map_get(r, "best");
		v6 = strchr(pfx->raw, ':') != NULL;
		e = doc_new_map();
		doc_map_set(e, "type", doc_new_string(best != NULL &&
		    best->type == DOC_BOOL && best->b ? "FIB" : "RIB"));
		doc_map_set(e, "destination", doc_new_string(pfx->raw));
		lf = doc_new_map();
		if (pip == NULL || pip->type != DOC_STRING) {
			/* This node's own block: a blackhole, as Calico. */
			doc_map_set(e, "gateway", doc_new_string("N/A"));
			doc_map_set(e, "interface",
			    doc_new_string("blackhole"));
			doc_map_set(lf, "sourceType",
			    doc_new_string("Static"));
		} else {
			doc_map_set(e, "gateway", doc_new_string(nh != NULL &&
			    nh->type == DOC_STRING ? nh->raw : "N/A"));
			doc_map_set(e, "interface", doc_new_string("N/A"));
			p = addr_parse(pip->raw, &a) == 0 ?
			    peers_find_addr(&a) : NULL;
			doc_map_set(lf, "sourceType", doc_new_string(
			    p != NULL && p->conf.type == PEER_TYPE_MESH ?
			    "NodeMesh" : "BGPPeer"));
			doc_map_set(lf, "peerIP", doc_new_string(pip->raw));
		}
		doc_map_set(e, "learnedFrom", lf);
		doc_list_append(lists[v6], e);
	}
	doc_free(rib);
	r = doc_new_map();
	doc_map_set(r, "routesV4", lists[0]);
	doc_map_set(r, "routesV6", lists[1]);
	return r;
}

/* Build the status; write it when it differs from the last one. */
static void
ns_write(struct ns_obj *o, struct doc_node *routes)
{
	struct doc_node		*st, *tree = NULL;
	struct resource		 r;
	struct res_list		 l;
	struct res_errors	 errs;
	struct ds_err		 derr;
	struct ds		*ds;
	char			*json, now[32];
	struct tm		 tm;
	time_t			 t;

	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	memset(&derr, 0, sizeof(derr));
	memset(&r, 0, sizeof(r));
	st = doc_new_map();
	if (o->classes & NS_CLASS_AGENT)
		doc_map_set(st, "agent", ns_agent());
	if (o->classes & NS_CLASS_BGP)
		doc_map_set(st, "bgp", ns_bgp());
	if (routes != NULL)
		doc_map_set(st, "routes", routes);
	json = doc_to_json(st, 0);
	if (o->last != NULL && strcmp(json, o->last) == 0) {
		free(json);
		doc_free(st);
		return;
	}
	if ((ds = config_ds()) == NULL ||
	    ds_get(ds, RES_NODESTATUS, o->name, &r, &derr) == -1) {
		log_warnx("CalicoNodeStatus %s: %s", o->name, derr.msg);
		goto done;
	}
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	doc_map_set(st, "lastUpdated", doc_new_string(now));
	tree = res_encode(&r);
	doc_map_set(tree, "status", st);
	st = NULL;
	res_free(&r);
	memset(&r, 0, sizeof(r));
	if (res_decode(tree, "status", &l, &errs) == -1 || l.n != 1) {
		log_warnx("CalicoNodeStatus %s: status does not validate: %s",
		    o->name, errs.n > 0 ? errs.msgs[0] : "?");
		goto done;
	}
	if (ds_update(ds, &l.items[0], &derr) == -1) {
		log_warnx("CalicoNodeStatus %s: %s", o->name, derr.msg);
		goto done;
	}
	free(o->last);
	o->last = json;
	json = NULL;
	log_debug("CalicoNodeStatus %s: status written", o->name);
done:
	free(json);
	if (st != NULL)
		doc_free(st);
	if (tree != NULL)
		doc_free(tree);
	res_list_free(&l);
	res_errors_free(&errs);
}

/* The running configuration changed (not merely re-read). */
void
nodestatus_reconfigured(void)
{
	ns_reconf = time(NULL);
}

void
nodestatus_clear(void)
{
	while (!TAILQ_EMPTY(&objs))
		ns_free(TAILQ_FIRST(&objs));
}
