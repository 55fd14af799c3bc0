/*
 * The report of tortiectl's --dry-run: given the resources before and
 * after a change (ctl_resource.c runs the verb on an overlay of the
 * datastore to get them), compute the plan of every node that is in
 * either set, before and after, exactly as tortied would (same
 * plan_compute, same secrets directory and router ID setting from
 * tortie.yaml), and print per node the sessions that would be added,
 * removed or changed, and whether a change resets the session
 * (plan_diff and PLAN_DF_SOFT, as tortied decides).
 *
 * Then the connectivity check (ctl_reach.c, which describes its model):
 * for every node, whether the routes of every other node would still
 * reach it over sessions between Calico nodes.  A node that would lose
 * them gets a warning on stderr; so do invalid resources (tortied keeps
 * its last plan while the datastore holds one), nodes whose plan cannot
 * be computed and plan warnings that the change brings.  Warnings do
 * not change the exit code.
 *
 * Plans are big (a full mesh of N nodes is N * N sessions of about a
 * kilobyte each), so each node's two plans live only while its changes
 * are rendered and what the check needs is copied.
 *
 * Text output, one line per change, so that it can be grepped:
 *	node1: +Node_198_18_0_10 (node specific, 198.18.0.10 AS 64512)
 *	node1: -Mesh_198_18_0_2
 *	node1: ~Mesh_198_18_0_3 (peerAS 64512 -> 64513: reset)
 *	node1: ~Node_198_18_0_3 (handed over from Mesh_198_18_0_3, type
 *	    node-to-node mesh -> node specific, group mesh -> all: no reset)
 *	no changes: node2, node3
 * With -o json one object: {"nodes": [{"node", "status", "added",
 * "removed", "changed": [{"name", "fields", "from" (handed over from),
 * "reset"}], "exportChanged"}],
 * "warnings": [...]}.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dconf.h"
#include "jsonw.h"
#include "log.h"
#include "plan.h"
#include "resource.h"
#include "util.h"

#define DR_SHOW		10	/* node names a warning lists */

enum dr_status {
	DR_KEPT,		/* in both sets */
	DR_NEW,			/* only after */
	DR_DELETED,		/* only before */
	DR_NOPLAN,		/* after, but no plan can be computed */
};

/* One session that changes, rendered while the plans are at hand. */
struct dr_change {
	char		 name[PLAN_NAME_MAX];
	enum plan_change change;
	uint32_t	 fields;	/* PLAN_DF_* of a PLAN_CHANGED */
	char		 from[PLAN_NAME_MAX];	/* PLAN_DF_NAME: handed over */
	char		*text;		/* in parentheses; NULL: none */
};

struct dr_node {
	const char	*name;
	int		 in_old;
	int		 in_new;
	enum dr_status	 status;
	char		*node_text;	/* node-wide changes, or NULL */
	int		 export_changed;
	struct dr_change *changes;
	size_t		 nchanges;
};

enum { DR_BEFORE, DR_AFTER };
enum { DR_V4, DR_V6, DR_NFAM };

struct dr {
	struct plan_opts popts;
	struct dr_node	*nodes;		/* sorted by name */
	size_t		 n;
	struct ctl_reach *reach[2][DR_NFAM];
	char		**warnings;
	size_t		 nwarnings;
};

/* Routes of the nodes that do not reach one node (ctl_reach.c). */
struct dr_miss {
	size_t		 n;
	size_t		 first[DR_SHOW];
	int		 fresh;		/* some were reaching before */
};

static void	 dr_warn(struct dr *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	 dr_cat(char **, const char *, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));

static void
dr_warn(struct dr *dr, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatal("%s", __func__);
	va_end(ap);
	dr->warnings = xreallocarray(dr->warnings, dr->nwarnings + 1,
	    sizeof(*dr->warnings));
	dr->warnings[dr->nwarnings++] = s;
}

/* Append to *s (NULL: empty), with sep before all but the first part. */
static void
dr_cat(char **s, const char *sep, const char *fmt, ...)
{
	va_list	 ap;
	char	*part, *t;

	va_start(ap, fmt);
	if (vasprintf(&part, fmt, ap) == -1)
		fatal("%s", __func__);
	va_end(ap);
	if (*s == NULL) {
		*s = part;
		return;
	}
	xasprintf(&t, "%s%s%s", *s, sep, part);
	free(*s);
	free(part);
	*s = t;
}

/*
 * Describing changes.
 */

static const char *
dr_addr(const struct bgpd_addr *a, char *buf, size_t len)
{
	if (a->af == 0) {
		strlcpy(buf, "none", len);
		return buf;
	}
	return addr_ntop(a, buf, len);
}

static const char *
dr_bool(int b)
{
	return b ? "true" : "false";
}

static const char *
dr_secs(int has, uint32_t v, char *buf, size_t len)
{
	if (!has)
		strlcpy(buf, "none", len);
	else
		snprintf(buf, len, "%us", v);
	return buf;
}

/* "198.18.0.2" or "198.18.0.2 port 150" */
static const char *
dr_peer(const struct plan_session *s, char *buf, size_t len)
{
	char	 a[ADDRSTRLEN];

	dr_addr(&s->peer_ip, a, sizeof(a));
	if (s->port != RES_DEFAULT_PORT)
		snprintf(buf, len, "%s port %u", a, (unsigned)s->port);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/* The names of a session's filters, "none" for none. */
static char *
dr_filters(const struct plan *p, const struct plan_session *s)
{
	char	*names = NULL;
	size_t	 i;

	for (i = 0; i < s->nfilters; i++)
		dr_cat(&names, ",", "%s", s->filters[i] < p->nfilters ?
		    p->filters[s->filters[i]].name : "?");
	return names != NULL ? names : xstrdup("none");
}

/* Filter changes: the names when they differ, else the rules did. */
static char *
dr_field_filters(const struct plan *po, const struct plan_session *o,
    const struct plan *pn, const struct plan_session *n)
{
	char	*a = dr_filters(po, o), *b = dr_filters(pn, n), *s;

	if (strcmp(a, b) == 0)
		s = xstrdup("filters");
	else
		xasprintf(&s, "filters %s -> %s", a, b);
	free(a);
	free(b);
	return s;
}

/* One changed parameter as "name old -> new"; secrets never shown. */
static char *
dr_field(const struct plan *po, const struct plan_session *o,
    const struct plan *pn, const struct plan_session *n, uint32_t bit)
{
	char	 a[ADDRSTRLEN + 16], b[ADDRSTRLEN + 16], *s = NULL;

	switch (bit) {
	case PLAN_DF_NAME:
		xasprintf(&s, "handed over from %s", o->name);
		break;
	case PLAN_DF_TYPE:
		xasprintf(&s, "type %s -> %s", plan_type_str(o->type),
		    plan_type_str(n->type));
		break;
	case PLAN_DF_GROUP:
		xasprintf(&s, "group %s -> %s", o->group, n->group);
		break;
	case PLAN_DF_PEER:
		xasprintf(&s, "peer %s -> %s", dr_peer(o, a, sizeof(a)),
		    dr_peer(n, b, sizeof(b)));
		break;
	case PLAN_DF_PEER_AS:
		xasprintf(&s, "peerAS %u -> %u", o->peer_as, n->peer_as);
		break;
	case PLAN_DF_LOCAL_AS:
		xasprintf(&s, "localAS %u -> %u", o->local_as, n->local_as);
		break;
	case PLAN_DF_SOURCE:
		xasprintf(&s, "sourceAddress %s -> %s", dr_addr(&o->source_addr,
		    a, sizeof(a)), dr_addr(&n->source_addr, b, sizeof(b)));
		break;
	case PLAN_DF_PASSIVE:
		xasprintf(&s, "passive %s -> %s", dr_bool(o->passive),
		    dr_bool(n->passive));
		break;
	case PLAN_DF_RR:
		if (o->rr_client != n->rr_client)
			xasprintf(&s, "routeReflectorClient %s -> %s",
			    dr_bool(o->rr_client), dr_bool(n->rr_client));
		else
			xasprintf(&s, "clusterID %s -> %s",
			    dr_addr(&o->cluster_id, a, sizeof(a)),
			    dr_addr(&n->cluster_id, b, sizeof(b)));
		break;
	case PLAN_DF_TTL:
		xasprintf(&s, "ttlSecurity %u -> %u", (unsigned)o->ttl_security,
		    (unsigned)n->ttl_security);
		break;
	case PLAN_DF_NEXTHOP:
		xasprintf(&s, "nextHop %s -> %s", plan_nexthop_str(o->next_hop),
		    plan_nexthop_str(n->next_hop));
		break;
	case PLAN_DF_RESTART:
		xasprintf(&s, "restartTime %s -> %s", dr_secs(
		    o->has_restart_time, o->restart_time, a, sizeof(a)),
		    dr_secs(n->has_restart_time, n->restart_time, b,
		    sizeof(b)));
		break;
	case PLAN_DF_KEEPALIVE:
		xasprintf(&s, "keepaliveTime %s -> %s", dr_secs(
		    o->has_keepalive_time, o->keepalive_time, a, sizeof(a)),
		    dr_secs(n->has_keepalive_time, n->keepalive_time, b,
		    sizeof(b)));
		break;
	case PLAN_DF_ALLOW_LOCAL_AS:
		xasprintf(&s, "allowLocalAS %d -> %d", o->allow_local_as,
		    n->allow_local_as);
		break;
	case PLAN_DF_FILTERS:
		return dr_field_filters(po, o, pn, n);
	case PLAN_DF_REACHABLE_BY:
		xasprintf(&s, "reachableBy %s -> %s", dr_addr(&o->reachable_by,
		    a, sizeof(a)), dr_addr(&n->reachable_by, b, sizeof(b)));
		break;
	default:
		/* password (never shown) and node (a line of its own) */
		s = xstrdup(plan_df_name(bit));
		break;
	}
	return s;
}

static int
dr_reset(uint32_t fields)
{
	return (fields & ~(uint32_t)PLAN_DF_SOFT) != 0;
}

/* "peerAS 64512 -> 64513, filters: reset" */
static char *
dr_change_text(const struct plan *po, const struct plan *pn,
    const struct plan_diff_entry *e)
{
	const struct plan_session *o = &po->sessions[e->old_idx];
	const struct plan_session *n = &pn->sessions[e->new_idx];
	char			*s = NULL, *f;
	uint32_t		 bit;

	/* The hand-over first: it says which session the rest is about. */
	if (e->fields & PLAN_DF_NAME)
		s = dr_field(po, o, pn, n, PLAN_DF_NAME);
	for (bit = 1; bit != 0 && bit <= PLAN_DF_ALL; bit <<= 1) {
		if ((e->fields & bit) == 0 || bit == PLAN_DF_NAME)
			continue;
		f = dr_field(po, o, pn, n, bit);
		dr_cat(&s, ", ", "%s", f);
		free(f);
	}
	dr_cat(&s, ": ", "%s", dr_reset(e->fields) ? "reset" : "no reset");
	return s;
}

/* "node specific, 198.18.0.10 AS 64512" */
static char *
dr_added_text(const struct plan_session *s)
{
	char	 p[ADDRSTRLEN + 16], *t;

	xasprintf(&t, "%s, %s AS %u%s", plan_type_str(s->type),
	    dr_peer(s, p, sizeof(p)), s->peer_as, s->rr_client ?
	    ", route reflector client" : "");
	return t;
}

/* What changed node-wide (PLAN_DF_NODE), for its own line. */
static char *
dr_node_text(const struct plan *o, const struct plan *n)
{
	char	 a[ADDRSTRLEN], b[ADDRSTRLEN], *s = NULL;

	if (o->as_number != n->as_number)
		dr_cat(&s, ", ", "AS %u -> %u", o->as_number, n->as_number);
	if (addr_cmp(&o->router_id, &n->router_id) != 0)
		dr_cat(&s, ", ", "router ID %s -> %s", dr_addr(&o->router_id,
		    a, sizeof(a)), dr_addr(&n->router_id, b, sizeof(b)));
	if (addr_cmp(&o->cluster_id, &n->cluster_id) != 0)
		dr_cat(&s, ", ", "route reflector cluster ID %s -> %s",
		    dr_addr(&o->cluster_id, a, sizeof(a)),
		    dr_addr(&n->cluster_id, b, sizeof(b)));
	if (o->listen_port != n->listen_port)
		dr_cat(&s, ", ", "listen port %u -> %u",
		    (unsigned)o->listen_port, (unsigned)n->listen_port);
	if (o->bind_mode != n->bind_mode)
		dr_cat(&s, ", ", "bind mode");
	if (addr_cmp(&o->ipv4.addr, &n->ipv4.addr) != 0)
		dr_cat(&s, ", ", "IPv4 address %s -> %s", dr_addr(&o->ipv4.addr,
		    a, sizeof(a)), dr_addr(&n->ipv4.addr, b, sizeof(b)));
	if (addr_cmp(&o->ipv6.addr, &n->ipv6.addr) != 0)
		dr_cat(&s, ", ", "IPv6 address %s -> %s", dr_addr(&o->ipv6.addr,
		    a, sizeof(a)), dr_addr(&n->ipv6.addr, b, sizeof(b)));
	return s != NULL ? s : xstrdup("settings");
}

/*
 * Nodes and plans.
 */

static int
dr_node_cmp(const void *a, const void *b)
{
	const struct dr_node	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Every Node of either set, once, in name order. */
static void
dr_collect(struct dr *dr, const struct res_set *before,
    const struct res_set *after)
{
	struct dr_node	*v;
	size_t		 i, n = 0;

	v = xcalloc(before->nnodes + after->nnodes + 1, sizeof(*v));
	for (i = 0; i < before->nnodes; i++) {
		v[n].name = before->nodes[i].meta.name;
		v[n++].in_old = 1;
	}
	for (i = 0; i < after->nnodes; i++) {
		v[n].name = after->nodes[i].meta.name;
		v[n++].in_new = 1;
	}
	qsort(v, n, sizeof(*v), dr_node_cmp);
	/* Names are unique within a set: a name twice is in both. */
	dr->nodes = v;
	for (i = 0; i < n; i++) {
		if (dr->n > 0 && strcmp(v[dr->n - 1].name, v[i].name) == 0) {
			v[dr->n - 1].in_old |= v[i].in_old;
			v[dr->n - 1].in_new |= v[i].in_new;
			continue;
		}
		v[dr->n++] = v[i];
	}
}

/* The plan warnings that only the new plan has. */
static void
dr_plan_warnings(struct dr *dr, const struct dr_node *nd,
    const struct plan *old, const struct plan *new)
{
	size_t	 i, j;

	for (i = 0; i < new->nwarnings; i++) {
		for (j = 0; old != NULL && j < old->nwarnings; j++)
			if (strcmp(new->warnings[i], old->warnings[j]) == 0)
				break;
		if (old == NULL || j == old->nwarnings)
			dr_warn(dr, "%s: %s", nd->name, new->warnings[i]);
	}
}

/* Keep what the output needs of the diff of o (NULL: none) and n. */
static void
dr_render(struct dr_node *nd, const struct plan *o, const struct plan *n,
    const struct plan_diff *d)
{
	const struct plan_diff_entry	*e;
	struct dr_change		*c;
	size_t				 i;

	if (nd->status == DR_KEPT && o != NULL) {
		if (d->node_fields)
			nd->node_text = dr_node_text(o, n);
		nd->export_changed = d->export_changed;
	}
	nd->changes = xcalloc(d->n + 1, sizeof(*nd->changes));
	for (i = 0; i < d->n; i++) {
		e = &d->entries[i];
		if (e->change == PLAN_UNCHANGED)
			continue;
		c = &nd->changes[nd->nchanges++];
		strlcpy(c->name, e->name, sizeof(c->name));
		c->change = e->change;
		c->fields = e->fields;
		strlcpy(c->from, e->old_name, sizeof(c->from));
		if (e->change == PLAN_ADDED)
			c->text = dr_added_text(&n->sessions[e->new_idx]);
		else if (e->change == PLAN_CHANGED)
			c->text = dr_change_text(o, n, e);
	}
}

/* A plan with no sessions: what a deleted node runs afterwards. */
static const struct plan dr_empty_plan;

/*
 * Node i: both plans, the warnings of the new one, its changes, and its
 * part of the connectivity check.
 */
static void
dr_node(struct dr *dr, size_t i, const struct res_set *before,
    const struct res_set *after)
{
	struct dr_node	*nd = &dr->nodes[i];
	struct plan	 old, new;
	struct plan_diff diff;
	char		 err[256];
	int		 ok_old = 0, ok_new = 0, f;

	memset(&old, 0, sizeof(old));
	memset(&new, 0, sizeof(new));
	memset(&diff, 0, sizeof(diff));
	if (nd->in_old)
		ok_old = plan_compute(before, nd->name, &dr->popts, &old,
		    err, sizeof(err)) == 0;
	if (nd->in_new && !(ok_new = plan_compute(after, nd->name,
	    &dr->popts, &new, err, sizeof(err)) == 0))
		dr_warn(dr, "%s: no plan can be computed: %s", nd->name, err);
	for (f = 0; f < DR_NFAM; f++) {
		ctl_reach_add(dr->reach[DR_BEFORE][f], i, ok_old ? &old : NULL);
		ctl_reach_add(dr->reach[DR_AFTER][f], i, ok_new ? &new : NULL);
	}
	if (nd->in_new && !ok_new)
		nd->status = DR_NOPLAN;
	else
		nd->status = !nd->in_old ? DR_NEW : !nd->in_new ? DR_DELETED :
		    DR_KEPT;
	if (ok_new) {
		dr_plan_warnings(dr, nd, ok_old ? &old : NULL, &new);
		plan_diff(ok_old ? &old : NULL, &new, &diff);
		dr_render(nd, ok_old ? &old : NULL, &new, &diff);
	} else if (ok_old && nd->status == DR_DELETED) {
		plan_diff(&old, &dr_empty_plan, &diff);
		dr_render(nd, &old, &dr_empty_plan, &diff);
	}
	plan_diff_free(&diff);
	plan_free(&old);
	plan_free(&new);
}

/*
 * The connectivity check, per address family.
 */

/* "node1, node2 and 3 more" */
static char *
dr_miss_names(const struct dr *dr, const struct dr_miss *m)
{
	char	*s = NULL;
	size_t	 i;

	for (i = 0; i < m->n && i < DR_SHOW; i++)
		dr_cat(&s, ", ", "%s", dr->nodes[m->first[i]].name);
	if (m->n > DR_SHOW)
		dr_cat(&s, " ", "and %zu more", m->n - DR_SHOW);
	return s;
}

static void
dr_miss_warn(struct dr *dr, const struct ctl_reach *ra, size_t y,
    const struct dr_miss *m, int f)
{
	const char	*fam = f == DR_V6 ? "IPv6 " : "";
	const char	*who = dr->nodes[y].name;
	char		*names = dr_miss_names(dr, m), *ext = NULL;

	if (ctl_reach_external(ra, y))
		xasprintf(&ext, " unless %s's external BGP peers carry those "
		    "routes", who);
	if (m->fresh)
		dr_warn(dr, "%s would have no session carrying the %sblocks "
		    "of %s (pod networking between them breaks%s)", who, fam,
		    names, ext != NULL ? ext : "");
	else
		dr_warn(dr, "%s still has no session carrying the %sblocks "
		    "of %s (it had none before this change either%s)", who,
		    fam, names, ext != NULL ? ext : "");
	free(names);
	free(ext);
}

/* Where the routes of node a do not get to, after and before. */
static void
dr_reach_origin(struct dr *dr, int f, size_t a, uint8_t *rbefore,
    uint8_t *rafter, struct dr_miss *miss)
{
	struct ctl_reach	*rb = dr->reach[DR_BEFORE][f];
	struct ctl_reach	*ra = dr->reach[DR_AFTER][f];
	struct dr_miss		*m;
	size_t			 y;

	if (!ctl_reach_member(ra, a))
		return;
	ctl_reach_from(ra, a, rafter);
	ctl_reach_from(rb, a, rbefore);
	for (y = 0; y < dr->n; y++) {
		if (y == a || !ctl_reach_member(ra, y) || rafter[y])
			continue;
		m = &miss[y];
		if (m->n < DR_SHOW)
			m->first[m->n] = a;
		m->n++;
		if (!ctl_reach_member(rb, a) || !ctl_reach_member(rb, y) ||
		    rbefore[y])
			m->fresh = 1;
	}
}

static void
dr_reach_family(struct dr *dr, int f)
{
	struct ctl_reach	*ra = dr->reach[DR_AFTER][f];
	struct dr_miss		*miss;
	uint8_t			*rbefore, *rafter;
	size_t			 i;

	ctl_reach_done(dr->reach[DR_BEFORE][f]);
	ctl_reach_done(ra);
	miss = xcalloc(dr->n + 1, sizeof(*miss));
	rbefore = xcalloc(dr->n + 1, 1);
	rafter = xcalloc(dr->n + 1, 1);
	for (i = 0; i < dr->n; i++)
		dr_reach_origin(dr, f, i, rbefore, rafter, miss);
	for (i = 0; i < dr->n; i++)
		if (miss[i].n > 0)
			dr_miss_warn(dr, ra, i, &miss[i], f);
	if (ctl_reach_truncated(ra))
		dr_warn(dr, "the %sroute check gave up on a topology this "
		    "large: its warnings may be incomplete",
		    f == DR_V6 ? "IPv6 " : "");
	free(miss);
	free(rbefore);
	free(rafter);
}

/*
 * Output.
 */

/* Whether a node has anything to say. */
static int
dr_changed(const struct dr_node *nd)
{
	return nd->status != DR_KEPT || nd->node_text != NULL ||
	    nd->export_changed || nd->nchanges > 0;
}

static void
dr_text_node(const struct dr_node *nd)
{
	const struct dr_change	*c;
	size_t			 i;

	if (nd->status == DR_NEW)
		printf("%s: new node\n", nd->name);
	else if (nd->status == DR_DELETED)
		printf("%s: node deleted\n", nd->name);
	else if (nd->status == DR_NOPLAN)
		printf("%s: no plan (see the warnings)\n", nd->name);
	if (nd->node_text != NULL)
		printf("%s: node %s: every session resets\n", nd->name,
		    nd->node_text);
	for (i = 0; i < nd->nchanges; i++) {
		c = &nd->changes[i];
		printf("%s: %c%s%s%s%s\n", nd->name, c->change == PLAN_ADDED ?
		    '+' : c->change == PLAN_REMOVED ? '-' : '~', c->name,
		    c->text != NULL ? " (" : "", c->text != NULL ? c->text : "",
		    c->text != NULL ? ")" : "");
	}
	if (nd->export_changed)
		printf("%s: originated prefixes or export policy change: no "
		    "reset\n", nd->name);
}

static void
dr_print_text(const struct dr *dr)
{
	char	*same = NULL;
	size_t	 i;

	for (i = 0; i < dr->n; i++) {
		if (dr_changed(&dr->nodes[i]))
			dr_text_node(&dr->nodes[i]);
		else
			dr_cat(&same, ", ", "%s", dr->nodes[i].name);
	}
	if (dr->n == 0)
		printf("no nodes in the datastore\n");
	else if (same != NULL)
		printf("no changes: %s\n", same);
	free(same);
}

static const char *
dr_status_str(enum dr_status s)
{
	switch (s) {
	case DR_NEW:
		return "new";
	case DR_DELETED:
		return "deleted";
	case DR_NOPLAN:
		return "noPlan";
	default:
		return "kept";
	}
}

static void
dr_json_names(struct jsonw *jw, const struct dr_node *nd, const char *key,
    enum plan_change c)
{
	size_t	 i;

	jw_arr_open(jw, key);
	for (i = 0; i < nd->nchanges; i++)
		if (nd->changes[i].change == c)
			jw_str(jw, NULL, nd->changes[i].name);
	jw_arr_close(jw);
}

static void
dr_json_changed(struct jsonw *jw, const struct dr_node *nd)
{
	const struct dr_change	*c;
	size_t			 i;
	uint32_t		 bit;

	jw_arr_open(jw, "changed");
	for (i = 0; i < nd->nchanges; i++) {
		c = &nd->changes[i];
		if (c->change != PLAN_CHANGED)
			continue;
		jw_obj_open(jw, NULL);
		jw_str(jw, "name", c->name);
		jw_arr_open(jw, "fields");
		for (bit = 1; bit != 0 && bit <= PLAN_DF_ALL; bit <<= 1)
			if (c->fields & bit)
				jw_str(jw, NULL, plan_df_name(bit));
		jw_arr_close(jw);
		if (c->fields & PLAN_DF_NAME)
			jw_str(jw, "from", c->from);
		jw_bool(jw, "reset", dr_reset(c->fields));
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
}

static void
dr_print_json(const struct dr *dr)
{
	const struct dr_node	*nd;
	struct jsonw		 jw;
	char			*text;
	size_t			 i, len;

	jw_init(&jw, 1);
	jw_obj_open(&jw, NULL);
	jw_arr_open(&jw, "nodes");
	for (i = 0; i < dr->n; i++) {
		nd = &dr->nodes[i];
		jw_obj_open(&jw, NULL);
		jw_str(&jw, "node", nd->name);
		jw_str(&jw, "status", dr_status_str(nd->status));
		dr_json_names(&jw, nd, "added", PLAN_ADDED);
		dr_json_names(&jw, nd, "removed", PLAN_REMOVED);
		dr_json_changed(&jw, nd);
		jw_bool(&jw, "exportChanged", nd->export_changed);
		jw_obj_close(&jw);
	}
	jw_arr_close(&jw);
	jw_arr_open(&jw, "warnings");
	for (i = 0; i < dr->nwarnings; i++)
		jw_str(&jw, NULL, dr->warnings[i]);
	jw_arr_close(&jw);
	jw_obj_close(&jw);
	text = jw_finish(&jw, &len);
	fputs(text, stdout);
	if (len == 0 || text[len - 1] != '\n')
		putchar('\n');
	free(text);
}

/*
 * Entry point.
 */

static void
dr_free(struct dr *dr)
{
	size_t	 i, j;
	int	 f;

	for (i = 0; i < dr->n; i++) {
		free(dr->nodes[i].node_text);
		for (j = 0; j < dr->nodes[i].nchanges; j++)
			free(dr->nodes[i].changes[j].text);
		free(dr->nodes[i].changes);
	}
	free(dr->nodes);
	for (f = 0; f < DR_NFAM; f++) {
		ctl_reach_free(dr->reach[DR_BEFORE][f]);
		ctl_reach_free(dr->reach[DR_AFTER][f]);
	}
	for (i = 0; i < dr->nwarnings; i++)
		free(dr->warnings[i]);
	free(dr->warnings);
}

/* Invalid resources: tortied takes no new plan while there are any. */
static void
dr_bad_warnings(struct dr *dr, const struct res_errors *bad)
{
	size_t	 i;

	for (i = 0; bad != NULL && i < bad->n; i++)
		dr_warn(dr, "invalid resource (tortied keeps its last plan "
		    "until it is fixed): %s", bad->msgs[i]);
	if (bad != NULL && bad->dropped > 0)
		dr_warn(dr, "and %zu more invalid resources", bad->dropped);
}

/*
 * Print what going from before to after does to every node's sessions;
 * bad holds the datastore entries that do not load afterwards.  0, or -1
 * when the report could not be made (the message is printed).
 */
int
ctl_dryrun_report(struct ctl_opts *o, const struct res_set *before,
    const struct res_set *after, const struct res_errors *bad)
{
	struct dconf	 dc;
	struct dr	 dr;
	char		 err[1024];
	size_t		 i;
	int		 f;

	if (dconf_load(o->conf_file != NULL ? o->conf_file : TORTIE_CONF,
	    &dc, err, sizeof(err)) == -1) {
		fprintf(stderr, "tortiectl: %s\n", err);
		dconf_free(&dc);
		return -1;
	}
	memset(&dr, 0, sizeof(dr));
	dr.popts.secrets_dir = dc.secrets_dir;
	dr.popts.router_id = dc.router_id;
	dr_bad_warnings(&dr, bad);
	dr_collect(&dr, before, after);
	for (f = 0; f < DR_NFAM; f++) {
		dr.reach[DR_BEFORE][f] = ctl_reach_new(dr.n,
		    f == DR_V6 ? AF_INET6 : AF_INET);
		dr.reach[DR_AFTER][f] = ctl_reach_new(dr.n,
		    f == DR_V6 ? AF_INET6 : AF_INET);
	}
	for (i = 0; i < dr.n; i++)
		dr_node(&dr, i, before, after);
	for (f = 0; f < DR_NFAM; f++)
		dr_reach_family(&dr, f);
	if (o->output == OUT_JSON)
		dr_print_json(&dr);
	else
		dr_print_text(&dr);
	fflush(stdout);
	for (i = 0; i < dr.nwarnings; i++)
		fprintf(stderr, "WARNING: %s\n", dr.warnings[i]);
	dr_free(&dr);
	dconf_free(&dc);
	return 0;
}
