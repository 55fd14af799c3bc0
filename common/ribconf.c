/*
 * The peering plan as ribd's configuration stream (ribconf.h): the parent
 * calls ribconf_from_plan() and sends the messages in order.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "plan.h"
#include "ribconf.h"
#include "tortie.h"

struct rc_out {
	struct ribconf_msg	*m;
	size_t			 n;
	size_t			 cap;
};

static struct ribconf_msg *
rc_add(struct rc_out *o, uint32_t type, size_t len)
{
	struct ribconf_msg	*m;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->m = xreallocarray(o->m, o->cap, sizeof(*o->m));
	}
	m = &o->m[o->n++];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->len = (uint32_t)len;
	return m;
}

static uint32_t
rc_id(const struct bgpd_addr *a)
{
	return a->af == AF_INET ? a->v4.s_addr : 0;
}

static uint8_t
rc_pcr(enum res_cluster_routes pcr)
{
	switch (pcr) {
	case RES_CR_ENABLED:
		return RC_PCR_ENABLED;
	case RES_CR_DISABLED:
		return RC_PCR_DISABLED;
	case RES_CR_ENABLED_IPIP_ONLY:
		return RC_PCR_IPIP_ONLY;
	default:
		return RC_PCR_NOENCAP_ONLY;
	}
}

static void
rc_global(struct rc_out *o, const struct plan *pl, int install)
{
	struct imsg_global	*g;

	g = &rc_add(o, IMSG_RECONF_GLOBAL, sizeof(*g))->data.global;
	g->local_as = pl->as_number;
	g->router_id = rc_id(&pl->router_id);
	g->cluster_id = rc_id(&pl->cluster_id);
	if (install)
		g->flags |= RC_F_KERNEL_INSTALL;
	if (pl->lb_aggregation)
		g->flags |= RC_F_LB_AGGREGATION;
	g->ipv4 = pl->ipv4.addr;
	g->ipv4_plen = (uint8_t)pl->ipv4.plen;
	g->ipv6 = pl->ipv6.addr;
	g->ipv6_plen = (uint8_t)pl->ipv6.plen;
	g->cluster_routes = rc_pcr(pl->program_cluster_routes);
	g->ipv4_priority = pl->ipv4_priority;
	g->ipv6_priority = pl->ipv6_priority;
}

static uint8_t
rc_encap(enum res_encap_mode m)
{
	switch (m) {
	case RES_ENCAP_ALWAYS:
		return RC_ENCAP_ALWAYS;
	case RES_ENCAP_CROSS_SUBNET:
		return RC_ENCAP_CROSS_SUBNET;
	default:
		return RC_ENCAP_NEVER;
	}
}

static void
rc_pools(struct rc_out *o, const struct plan *pl)
{
	struct imsg_pool	*p;
	size_t			 i;

	for (i = 0; i < pl->npools; i++) {
		p = &rc_add(o, IMSG_RECONF_POOL, sizeof(*p))->data.pool;
		p->prefix = pl->pools[i].cidr.addr;
		p->plen = (uint8_t)pl->pools[i].cidr.plen;
		p->ipip = rc_encap(pl->pools[i].ipip);
		p->vxlan = rc_encap(pl->pools[i].vxlan);
		p->block_size = (uint8_t)pl->pools[i].block_size;
		if (pl->pools[i].disable_export)
			p->flags |= RC_POOL_NO_EXPORT;
		if (pl->pools[i].disabled)
			p->flags |= RC_POOL_DISABLED;
	}
}

static uint8_t
rc_svc_kind(enum plan_svc_kind k)
{
	switch (k) {
	case PLAN_SVC_EXTERNAL:
		return RC_ORIG_EXTERNAL_IP;
	case PLAN_SVC_LB:
		return RC_ORIG_LB_IP;
	default:
		return RC_ORIG_CLUSTER_IP;
	}
}

/* Blocks, then services (CALICO.md 2.8, origination). */
static void
rc_originate(struct rc_out *o, const struct plan *pl)
{
	struct imsg_originate	*r;
	int			 host;
	size_t			 i;

	for (i = 0; i < pl->nblocks; i++) {
		r = &rc_add(o, IMSG_RECONF_ORIGINATE, sizeof(*r))->data.orig;
		r->prefix = pl->blocks[i].addr;
		r->plen = (uint8_t)pl->blocks[i].plen;
		r->kind = RC_ORIG_BLOCK;
		host = pl->blocks[i].plen ==
		    (pl->blocks[i].addr.af == AF_INET ? 32 : 128);
		if (!host)
			r->flags |= RC_ORIG_F_ADVERTISE;
	}
	for (i = 0; i < pl->nservices; i++) {
		r = &rc_add(o, IMSG_RECONF_ORIGINATE, sizeof(*r))->data.orig;
		r->prefix = pl->services[i].cidr.addr;
		r->plen = (uint8_t)pl->services[i].cidr.plen;
		r->kind = rc_svc_kind(pl->services[i].kind);
		if (pl->services[i].originate)
			r->flags |= RC_ORIG_F_ADVERTISE;
		if (pl->services[i].reject)
			r->flags |= RC_ORIG_F_NO_KERNEL;
	}
}

static void
rc_comm(struct rc_comm *d, const struct res_comm *s)
{
	memset(d, 0, sizeof(*d));
	d->large = s->large ? 1 : 0;
	d->a = s->a;
	d->b = s->b;
	d->c = s->large ? s->c : 0;
}

static void
rc_comms(struct rc_out *o, const struct plan *pl)
{
	struct imsg_community	*c;
	size_t			 i, j, n;

	for (i = 0; i < pl->ncomms; i++) {
		c = &rc_add(o, IMSG_RECONF_COMMUNITY, sizeof(*c))->data.comm;
		c->prefix = pl->comms[i].cidr.addr;
		c->plen = (uint8_t)pl->comms[i].cidr.plen;
		n = pl->comms[i].ncomms;
		if (n > RC_COMMS_MAX)
			n = RC_COMMS_MAX;
		for (j = 0; j < n; j++)
			rc_comm(&c->comms[j], &pl->comms[i].comms[j]);
		c->ncomms = (uint8_t)n;
	}
}

static uint8_t
rc_match(enum res_match_op op)
{
	switch (op) {
	case RES_MATCH_EQUAL:
		return RC_MATCH_EQUAL;
	case RES_MATCH_NOT_EQUAL:
		return RC_MATCH_NOT_EQUAL;
	case RES_MATCH_IN:
		return RC_MATCH_IN;
	case RES_MATCH_NOT_IN:
		return RC_MATCH_NOT_IN;
	default:
		return RC_MATCH_NONE;
	}
}

static void
rc_ops(struct imsg_filter_rule *r, const struct plan_filter_rule *pr)
{
	struct rc_filter_op	*d;
	size_t			 i, j, n;

	n = pr->nops > RC_FOPS_MAX ? RC_FOPS_MAX : pr->nops;
	for (i = 0; i < n; i++) {
		d = &r->ops[i];
		switch (pr->ops[i].kind) {
		case PLAN_FOP_ADD_COMMUNITY:
			d->kind = RC_FOP_ADD_COMMUNITY;
			rc_comm(&d->community, &pr->ops[i].community);
			break;
		case PLAN_FOP_PREPEND:
			d->kind = RC_FOP_PREPEND;
			for (j = 0; j < pr->ops[i].nprepend &&
			    j < RC_PREPEND_MAX; j++)
				d->prepend[j] = pr->ops[i].prepend[j];
			d->nprepend = (uint8_t)j;
			break;
		case PLAN_FOP_SET_PRIORITY:
			d->kind = RC_FOP_SET_PRIORITY;
			d->priority = pr->ops[i].priority;
			break;
		}
	}
	r->nops = (uint8_t)n;
}

static void
rc_rule(struct imsg_filter_rule *r, const struct plan_filter_rule *pr)
{
	size_t	 i;

	r->cidr = pr->cidr.addr;
	r->cidr_plen = (uint8_t)pr->cidr.plen;
	/* Calico requires an operator with a cidr; In is the safe reading. */
	r->match = RC_MATCH_NONE;
	if (pr->cidr.addr.af != 0)
		r->match = pr->op == RES_MATCH_UNSET ? RC_MATCH_IN :
		    rc_match(pr->op);
	r->has_len = pr->has_len ? 1 : 0;
	r->min_len = (uint8_t)pr->min_len;
	r->max_len = (uint8_t)pr->max_len;
	r->source_remote = pr->source_remote ? 1 : 0;
	strlcpy(r->iface, pr->iface, sizeof(r->iface));
	r->action = pr->action == RES_ACTION_REJECT ? RC_ACTION_REJECT :
	    RC_ACTION_ACCEPT;
	r->peer_type = pr->peer_type == RES_PT_EBGP ? RC_PT_EBGP :
	    pr->peer_type == RES_PT_IBGP ? RC_PT_IBGP : RC_PT_ANY;
	r->has_community = pr->has_community ? 1 : 0;
	if (pr->has_community)
		rc_comm(&r->community, &pr->community);
	r->has_priority = pr->has_priority ? 1 : 0;
	r->priority = pr->priority;
	for (i = 0; i < pr->nas_path_prefix && i < RC_ASPATH_MAX; i++)
		r->as_path[i] = pr->as_path_prefix[i];
	r->nas_path = (uint8_t)i;
	rc_ops(r, pr);
}

/* The four lists of a BGPFilter, as direction and family. */
static const struct {
	enum res_filter_list	 list;
	uint8_t			 dir;
	uint8_t			 aid;
} rc_lists[] = {
	{ RES_FILTER_IMPORT_V4, RC_FDIR_IMPORT, BGP_AID_IPV4 },
	{ RES_FILTER_EXPORT_V4, RC_FDIR_EXPORT, BGP_AID_IPV4 },
	{ RES_FILTER_IMPORT_V6, RC_FDIR_IMPORT, BGP_AID_IPV6 },
	{ RES_FILTER_EXPORT_V6, RC_FDIR_EXPORT, BGP_AID_IPV6 },
};

static void
rc_filter(struct rc_out *o, const struct plan_filter *f, uint32_t peerid)
{
	struct imsg_filter_rule	*r;
	size_t			 l, i;

	for (l = 0; l < sizeof(rc_lists) / sizeof(rc_lists[0]); l++) {
		for (i = 0; i < f->nrules[rc_lists[l].list]; i++) {
			r = &rc_add(o, IMSG_RECONF_FILTER,
			    sizeof(*r))->data.rule;
			r->peerid = peerid;
			r->dir = rc_lists[l].dir;
			r->aid = rc_lists[l].aid;
			r->rule = (uint16_t)i;
			strlcpy(r->filter, f->name, sizeof(r->filter));
			rc_rule(r, &f->rules[rc_lists[l].list][i]);
		}
	}
}

static int
rc_filters(struct rc_out *o, const struct plan *pl, const uint32_t *peerids,
    char *errbuf, size_t errlen)
{
	const struct plan_session	*s;
	size_t				 i, j;

	for (i = 0; i < pl->nsessions; i++) {
		s = &pl->sessions[i];
		for (j = 0; j < s->nfilters; j++) {
			if (s->filters[j] >= pl->nfilters) {
				snprintf(errbuf, errlen, "session %s: filter "
				    "index %zu out of range", s->name,
				    s->filters[j]);
				return -1;
			}
			rc_filter(o, &pl->filters[s->filters[j]], peerids[i]);
		}
	}
	return 0;
}

int
ribconf_from_plan(const struct plan *pl, const uint32_t *peerids,
    int install, struct ribconf_msg **out, char *errbuf, size_t errlen)
{
	struct rc_out	 o;

	memset(&o, 0, sizeof(o));
	rc_add(&o, IMSG_RECONF_START, 0);
	rc_global(&o, pl, install);
	rc_pools(&o, pl);
	rc_originate(&o, pl);
	rc_comms(&o, pl);
	if (rc_filters(&o, pl, peerids, errbuf, errlen) == -1) {
		free(o.m);
		*out = NULL;
		return -1;
	}
	rc_add(&o, IMSG_RECONF_DONE, 0);
	*out = o.m;
	return (int)o.n;
}
