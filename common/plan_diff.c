/*
 * Differences between two plans, by session name (a session that moves to
 * another name with the same peer address and port is one session handed
 * over, as tortied does it): the daemon keeps
 * unchanged sessions, resets or reconfigures changed ones according to
 * which parameters changed (PLAN_DF_SOFT ones need no reset), starts
 * added ones and stops removed ones.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

static void	 plan_diff_handovers(const struct plan *, const struct plan *,
		    struct plan_diff *);

static const struct {
	uint32_t	 bit;
	const char	*name;
} plan_df_names[] = {
	{ PLAN_DF_TYPE, "type" },
	{ PLAN_DF_GROUP, "group" },
	{ PLAN_DF_PEER, "peer" },
	{ PLAN_DF_PEER_AS, "peerAS" },
	{ PLAN_DF_LOCAL_AS, "localAS" },
	{ PLAN_DF_SOURCE, "sourceAddress" },
	{ PLAN_DF_PASSIVE, "passive" },
	{ PLAN_DF_RR, "routeReflectorClient" },
	{ PLAN_DF_TTL, "ttlSecurity" },
	{ PLAN_DF_PASSWORD, "password" },
	{ PLAN_DF_NEXTHOP, "nextHop" },
	{ PLAN_DF_RESTART, "restartTime" },
	{ PLAN_DF_KEEPALIVE, "keepaliveTime" },
	{ PLAN_DF_ALLOW_LOCAL_AS, "allowLocalAS" },
	{ PLAN_DF_FILTERS, "filters" },
	{ PLAN_DF_REACHABLE_BY, "reachableBy" },
	{ PLAN_DF_NODE, "node" },
	{ PLAN_DF_NAME, "name" },
};

const char *
plan_df_name(uint32_t bit)
{
	size_t	 i;

	for (i = 0; i < sizeof(plan_df_names) / sizeof(plan_df_names[0]); i++)
		if (plan_df_names[i].bit == bit)
			return plan_df_names[i].name;
	return "?";
}

const char *
plan_change_str(enum plan_change c)
{
	switch (c) {
	case PLAN_UNCHANGED:
		return "unchanged";
	case PLAN_CHANGED:
		return "changed";
	case PLAN_ADDED:
		return "added";
	case PLAN_REMOVED:
		return "removed";
	}
	return "?";
}

static int
plan_filter_equal(const struct plan_filter *a, const struct plan_filter *b)
{
	int	 l;

	if (strcmp(a->name, b->name) != 0)
		return 0;
	for (l = 0; l < RES_FILTER_NLISTS; l++) {
		if (a->nrules[l] != b->nrules[l])
			return 0;
		/* Rules are built zeroed and copied bytewise. */
		if (a->nrules[l] > 0 && memcmp(a->rules[l], b->rules[l],
		    a->nrules[l] * sizeof(*a->rules[l])) != 0)
			return 0;
	}
	return 1;
}

static int
plan_filters_equal(const struct plan *po, const struct plan_session *so,
    const struct plan *pn, const struct plan_session *sn)
{
	size_t	 i;

	if (so->nfilters != sn->nfilters)
		return 0;
	for (i = 0; i < so->nfilters; i++) {
		if (so->filters[i] >= po->nfilters ||
		    sn->filters[i] >= pn->nfilters)
			return 0;
		if (!plan_filter_equal(&po->filters[so->filters[i]],
		    &pn->filters[sn->filters[i]]))
			return 0;
	}
	return 1;
}

static uint32_t
plan_session_fields(const struct plan *po, const struct plan_session *o,
    const struct plan *pn, const struct plan_session *n)
{
	uint32_t	 f = 0;

	if (o->type != n->type)
		f |= PLAN_DF_TYPE;
	if (strcmp(o->group, n->group) != 0)
		f |= PLAN_DF_GROUP;
	if (addr_cmp(&o->peer_ip, &n->peer_ip) != 0 || o->port != n->port)
		f |= PLAN_DF_PEER;
	if (o->peer_as != n->peer_as)
		f |= PLAN_DF_PEER_AS;
	if (o->local_as != n->local_as)
		f |= PLAN_DF_LOCAL_AS;
	if (addr_cmp(&o->source_addr, &n->source_addr) != 0)
		f |= PLAN_DF_SOURCE;
	if (o->passive != n->passive)
		f |= PLAN_DF_PASSIVE;
	if (o->rr_client != n->rr_client ||
	    addr_cmp(&o->cluster_id, &n->cluster_id) != 0)
		f |= PLAN_DF_RR;
	if (o->ttl_security != n->ttl_security)
		f |= PLAN_DF_TTL;
	if (o->pw_state != n->pw_state ||
	    strcmp(o->password, n->password) != 0)
		f |= PLAN_DF_PASSWORD;
	if (o->next_hop != n->next_hop)
		f |= PLAN_DF_NEXTHOP;
	if (o->has_restart_time != n->has_restart_time ||
	    o->restart_time != n->restart_time)
		f |= PLAN_DF_RESTART;
	if (o->has_keepalive_time != n->has_keepalive_time ||
	    o->keepalive_time != n->keepalive_time)
		f |= PLAN_DF_KEEPALIVE;
	if (o->allow_local_as != n->allow_local_as)
		f |= PLAN_DF_ALLOW_LOCAL_AS;
	if (!plan_filters_equal(po, o, pn, n))
		f |= PLAN_DF_FILTERS;
	if (addr_cmp(&o->reachable_by, &n->reachable_by) != 0)
		f |= PLAN_DF_REACHABLE_BY;
	return f;
}

/* Router ID, AS, listening: every session depends on them. */
static uint32_t
plan_node_fields(const struct plan *o, const struct plan *n)
{
	if (addr_cmp(&o->router_id, &n->router_id) != 0 ||
	    o->as_number != n->as_number ||
	    addr_cmp(&o->cluster_id, &n->cluster_id) != 0 ||
	    o->listen_port != n->listen_port ||
	    o->bind_mode != n->bind_mode ||
	    addr_cmp(&o->ipv4.addr, &n->ipv4.addr) != 0 ||
	    addr_cmp(&o->ipv6.addr, &n->ipv6.addr) != 0)
		return PLAN_DF_NODE;
	return 0;
}

static int
plan_prefixes_equal(const struct plan_prefix *a, size_t na,
    const struct plan_prefix *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (addr_cmp(&a[i].addr, &b[i].addr) != 0 ||
		    a[i].plen != b[i].plen)
			return 0;
	return 1;
}

static int
plan_export_equal(const struct plan *o, const struct plan *n)
{
	size_t	 i;

	if (!plan_prefixes_equal(o->originate, o->noriginate, n->originate,
	    n->noriginate) || !plan_prefixes_equal(o->blocks, o->nblocks,
	    n->blocks, n->nblocks))
		return 0;
	if (o->npools != n->npools || o->nservices != n->nservices ||
	    o->ncomms != n->ncomms || o->nfilters != n->nfilters ||
	    o->lb_aggregation != n->lb_aggregation ||
	    o->program_cluster_routes != n->program_cluster_routes ||
	    o->ipv4_priority != n->ipv4_priority ||
	    o->ipv6_priority != n->ipv6_priority ||
	    o->ipv4.plen != n->ipv4.plen || o->ipv6.plen != n->ipv6.plen)
		return 0;
	/* These arrays are built from zeroed memory, field by field. */
	if ((o->npools && memcmp(o->pools, n->pools,
	    o->npools * sizeof(*o->pools)) != 0) ||
	    (o->nservices && memcmp(o->services, n->services,
	    o->nservices * sizeof(*o->services)) != 0) ||
	    (o->ncomms && memcmp(o->comms, n->comms,
	    o->ncomms * sizeof(*o->comms)) != 0))
		return 0;
	for (i = 0; i < o->nfilters; i++)
		if (!plan_filter_equal(&o->filters[i], &n->filters[i]))
			return 0;
	return 1;
}

static struct plan_diff_entry *
plan_diff_add(struct plan_diff *d, const char *name, enum plan_change c)
{
	struct plan_diff_entry	*e;

	d->entries = xreallocarray(d->entries, d->n + 1, sizeof(*d->entries));
	e = &d->entries[d->n++];
	memset(e, 0, sizeof(*e));
	strlcpy(e->name, name, sizeof(e->name));
	e->change = c;
	e->old_idx = e->new_idx = SIZE_MAX;
	return e;
}

/*
 * Both plans' sessions are sorted by name, so one merge walk classifies
 * every session.  A node-wide change marks every kept session changed
 * with PLAN_DF_NODE as well.  old may be NULL (everything is added).
 */
int
plan_diff(const struct plan *o, const struct plan *n, struct plan_diff *d)
{
	static const struct plan	 empty;
	struct plan_diff_entry		*e;
	size_t				 i = 0, j = 0;
	int				 c;

	memset(d, 0, sizeof(*d));
	if (n == NULL)
		return -1;
	if (o == NULL)
		o = &empty;
	d->node_fields = o == &empty ? PLAN_DF_NODE : plan_node_fields(o, n);
	d->export_changed = !plan_export_equal(o, n);
	while (i < o->nsessions || j < n->nsessions) {
		if (i == o->nsessions)
			c = 1;
		else if (j == n->nsessions)
			c = -1;
		else
			c = strcmp(o->sessions[i].name, n->sessions[j].name);
		if (c < 0) {
			e = plan_diff_add(d, o->sessions[i].name, PLAN_REMOVED);
			e->old_idx = i++;
		} else if (c > 0) {
			e = plan_diff_add(d, n->sessions[j].name, PLAN_ADDED);
			e->new_idx = j++;
		} else {
			e = plan_diff_add(d, n->sessions[j].name,
			    PLAN_UNCHANGED);
			e->fields = plan_session_fields(o, &o->sessions[i], n,
			    &n->sessions[j]) | d->node_fields;
			if (e->fields != 0)
				e->change = PLAN_CHANGED;
			e->old_idx = i++;
			e->new_idx = j++;
		}
	}
	plan_diff_handovers(o, n, d);
	return 0;
}

/*
 * A session added under one name and one removed under another, to the
 * same peer address and port, are one BGP session that tortied hands
 * over (bgpd/peers.c): a change of the added one, named PLAN_DF_NAME.
 */
/* The removed session of d to the peer address and port of sn. */
static struct plan_diff_entry *
plan_diff_removed_to(const struct plan *o, const struct plan_session *sn,
    struct plan_diff *d)
{
	const struct plan_session	*so;
	size_t				 k;

	for (k = 0; k < d->n; k++) {
		if (d->entries[k].change != PLAN_REMOVED)
			continue;
		so = &o->sessions[d->entries[k].old_idx];
		if (addr_cmp(&so->peer_ip, &sn->peer_ip) == 0 &&
		    so->port == sn->port)
			return &d->entries[k];
	}
	return NULL;
}

static void
plan_diff_handovers(const struct plan *o, const struct plan *n,
    struct plan_diff *d)
{
	struct plan_diff_entry		*a, *r;
	const struct plan_session	*so, *sn;
	size_t				 i, m;

	for (i = 0; i < d->n; i++) {
		a = &d->entries[i];
		if (a->change != PLAN_ADDED)
			continue;
		sn = &n->sessions[a->new_idx];
		if ((r = plan_diff_removed_to(o, sn, d)) == NULL)
			continue;
		so = &o->sessions[r->old_idx];
		a->change = PLAN_CHANGED;
		a->old_idx = r->old_idx;
		a->fields = plan_session_fields(o, so, n, sn) |
		    d->node_fields | PLAN_DF_NAME;
		strlcpy(a->old_name, so->name, sizeof(a->old_name));
		r->change = PLAN_UNCHANGED;
		r->old_idx = SIZE_MAX;	/* marks it for removal below */
	}
	for (i = m = 0; i < d->n; i++)
		if (d->entries[i].change != PLAN_UNCHANGED ||
		    d->entries[i].old_idx != SIZE_MAX)
			d->entries[m++] = d->entries[i];
	d->n = m;
}

void
plan_diff_free(struct plan_diff *d)
{
	free(d->entries);
	memset(d, 0, sizeof(*d));
}
