/*
 * The peering compiler, top level: the node table, the per-node scalars
 * (CALICO.md 2.3), the router ID, the node-to-node mesh (2.4), and the
 * final sorting.  BGPPeer expansion is in plan_peer.c, export data in
 * plan_export.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <openssl/evp.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "plan.h"
#include "plan_int.h"
#include "util.h"

/* A resolved secretKeyRef, so that 1,000 sessions read one file once. */
struct plan_secret {
	const char	*name;
	const char	*key;
	int		 ok;
	char		 value[PLAN_PASSWORD_MAX + 1];
	char		 err[PLAN_ERR_MAX];
};

static const struct res_bgpconfig *plan_bgpconfig(const struct res_set *,
		    const char *);
static int	 plan_node_cmp(const void *, const void *);
static int	 plan_addrent_cmp(const void *, const void *);
static int	 plan_bgppeer_cmp(const void *, const void *);
static int	 plan_nodes(struct plan_ctx *, const char *);
static void	 plan_node_ports(struct plan_ctx *);
static int	 plan_scalars(struct plan_ctx *);
static int	 plan_router_id(struct plan_ctx *);
static void	 plan_mesh(struct plan_ctx *);
static void	 plan_mesh_session(struct plan_ctx *,
		    const struct plan_nodeinfo *, int);
static void	 plan_sort_sessions(struct plan_ctx *);
static void	 plan_check_targets(struct plan_ctx *);
static void	 plan_ctx_free(struct plan_ctx *);

const char *
plan_type_str(enum plan_type t)
{
	switch (t) {
	case PLAN_MESH:
		return "node-to-node mesh";
	case PLAN_GLOBAL:
		return "global";
	case PLAN_NODE:
		return "node specific";
	}
	return "?";
}

const char *
plan_nexthop_str(enum plan_nexthop nh)
{
	switch (nh) {
	case PLAN_NH_AUTO:
		return "auto";
	case PLAN_NH_SELF:
		return "self";
	case PLAN_NH_KEEP:
		return "keep";
	}
	return "?";
}

/*
 * Mesh_/Global_/Node_ + the address with '.' and ':' turned into '_',
 * + "_port_N" when a port other than 179 applies (tortie decision 2).
 */
void
plan_session_name(char *buf, size_t len, enum plan_type t,
    const struct bgpd_addr *ip, uint16_t port)
{
	static const char *const prefix[] = { "Mesh_", "Global_", "Node_" };
	char	 a[ADDRSTRLEN];
	char	*c;

	addr_ntop(ip, a, sizeof(a));
	for (c = a; *c != '\0'; c++)
		if (*c == '.' || *c == ':')
			*c = '_';
	if (port != 0 && port != RES_DEFAULT_PORT)
		snprintf(buf, len, "%s%s_port_%u", prefix[t], a,
		    (unsigned)port);
	else
		snprintf(buf, len, "%s%s", prefix[t], a);
}

/*
 * Calico compares peer addresses as text (CALICO.md 2.4), and so must we,
 * so that a tortie node and a Calico node agree on who dials.
 */
int
plan_addr_strcmp(const struct bgpd_addr *a, const struct bgpd_addr *b)
{
	char	 sa[ADDRSTRLEN], sb[ADDRSTRLEN];

	addr_ntop(a, sa, sizeof(sa));
	addr_ntop(b, sb, sizeof(sb));
	return strcmp(sa, sb);
}

/*
 * CALICO_ROUTER_ID=hash: the first four bytes of SHA-256 of the node
 * name, the first octet brought below 224 by subtracting 32.
 */
int
plan_router_id_hash(const char *name, struct bgpd_addr *id)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;

	memset(id, 0, sizeof(*id));
	if (EVP_Digest(name, strlen(name), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen < 4)
		return -1;
	if (md[0] > 223)
		md[0] -= 32;
	id->af = AF_INET;
	memcpy(&id->v4, md, 4);
	return 0;
}

/* Calico's whole seconds; a negative duration counts as 0. */
uint32_t
plan_duration_secs(int64_t ns)
{
	int64_t	 s = res_duration_secs(ns);

	if (s <= 0)
		return 0;
	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

void
plan_warn(struct plan_ctx *ctx, const char *fmt, ...)
{
	struct plan	*p = ctx->p;
	va_list		 ap;
	char		*w;
	size_t		 i;

	va_start(ap, fmt);
	if (vasprintf(&w, fmt, ap) == -1)
		fatal("%s", __func__);
	va_end(ap);
	/* The same fact found from many sessions is said once. */
	for (i = 0; i < p->nwarnings; i++) {
		if (strcmp(p->warnings[i], w) == 0) {
			free(w);
			return;
		}
	}
	p->warnings = xreallocarray(p->warnings, p->nwarnings + 1,
	    sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = w;
}

int
plan_fail(struct plan_ctx *ctx, const char *fmt, ...)
{
	va_list		 ap;

	if (ctx->err != NULL && ctx->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(ctx->err, ctx->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

struct plan_session *
plan_session_add(struct plan_ctx *ctx)
{
	struct plan		*p = ctx->p;
	struct plan_session	*s;

	if (p->nsessions == ctx->scap) {
		ctx->scap = ctx->scap ? ctx->scap * 2 : 64;
		p->sessions = xreallocarray(p->sessions, ctx->scap,
		    sizeof(*p->sessions));
	}
	s = &p->sessions[p->nsessions++];
	memset(s, 0, sizeof(*s));
	return s;
}

static struct plan_secret *
plan_secret_lookup(struct plan_ctx *ctx, const struct res_secret_ref *ref)
{
	struct plan_secret	*c;
	size_t			 i;

	for (i = 0; i < ctx->nsecrets; i++) {
		c = &ctx->secrets[i];
		if (strcmp(c->name, ref->name) == 0 &&
		    strcmp(c->key, ref->key) == 0)
			return c;
	}
	ctx->secrets = xreallocarray(ctx->secrets, ctx->nsecrets + 1,
	    sizeof(*ctx->secrets));
	c = &ctx->secrets[ctx->nsecrets++];
	memset(c, 0, sizeof(*c));
	c->name = ref->name;
	c->key = ref->key;
	if (ctx->opts == NULL || ctx->opts->secrets_dir == NULL ||
	    ctx->opts->secrets_dir[0] == '\0')
		snprintf(c->err, sizeof(c->err), "secret %s/%s: no secretsDir "
		    "configured", ref->name, ref->key);
	else if (plan_secret_read(ctx->opts->secrets_dir, ref->name,
	    ref->key, c->value, sizeof(c->value), c->err,
	    sizeof(c->err)) == 0)
		c->ok = 1;
	if (!c->ok && !(ref->has_optional && ref->optional))
		plan_warn(ctx, "password: %s", c->err);
	return c;
}

/*
 * A password that does not resolve means no password (as Calico), but
 * tortie says why (decision 4).
 */
void
plan_session_password(struct plan_ctx *ctx, const struct res_password *pw,
    struct plan_session *s)
{
	const struct res_secret_ref	*ref;
	struct plan_secret		*c;

	s->pw_state = PLAN_PW_NONE;
	if (pw == NULL || !pw->has_secret_key_ref)
		return;
	ref = &pw->secret_key_ref;
	s->pw_state = PLAN_PW_MISSING;
	if (ref->name == NULL || ref->key == NULL) {
		snprintf(s->pw_error, sizeof(s->pw_error),
		    "secretKeyRef without name or key");
		return;
	}
	c = plan_secret_lookup(ctx, ref);
	if (!c->ok) {
		strlcpy(s->pw_error, c->err, sizeof(s->pw_error));
		return;
	}
	s->pw_state = PLAN_PW_OK;
	strlcpy(s->password, c->value, sizeof(s->password));
}

static const struct res_bgpconfig *
plan_bgpconfig(const struct res_set *rs, const char *name)
{
	size_t	 i;

	for (i = 0; i < rs->nbgpconfigs; i++)
		if (rs->bgpconfigs[i].meta.name != NULL &&
		    strcmp(rs->bgpconfigs[i].meta.name, name) == 0)
			return &rs->bgpconfigs[i];
	return NULL;
}

static int
plan_node_cmp(const void *a, const void *b)
{
	const struct plan_nodeinfo	*na = a, *nb = b;

	return strcmp(na->name, nb->name);
}

static int
plan_addrent_cmp(const void *a, const void *b)
{
	const struct plan_addrent	*ea = a, *eb = b;
	int				 c;

	if ((c = addr_cmp(&ea->addr, &eb->addr)) != 0)
		return c;
	return ea->node < eb->node ? -1 : ea->node > eb->node;
}

static int
plan_bgppeer_cmp(const void *a, const void *b)
{
	const struct res_bgppeer *const	*pa = a, *const *pb = b;
	const char			*na, *nb;

	na = (*pa)->meta.name ? (*pa)->meta.name : "";
	nb = (*pb)->meta.name ? (*pb)->meta.name : "";
	return strcmp(na, nb);
}

struct plan_nodeinfo *
plan_node_find(struct plan_ctx *ctx, const char *name)
{
	struct plan_nodeinfo	 key;

	memset(&key, 0, sizeof(key));
	key.name = name;
	return bsearch(&key, ctx->nodes, ctx->nnodes, sizeof(*ctx->nodes),
	    plan_node_cmp);
}

static void
plan_node_info(struct plan_ctx *ctx, const struct res_node *rn,
    struct plan_nodeinfo *n)
{
	const struct res_node_bgp	*bgp = &rn->spec.bgp;
	const struct bgpd_addr		*ip;
	const struct res_cidr		*c;
	int				 fam;

	memset(n, 0, sizeof(*n));
	n->rn = rn;
	n->name = rn->meta.name;
	n->labels.items = rn->meta.labels;
	n->labels.count = rn->meta.nlabels;
	if (res_node_asn(rn, &n->asn) == -1)
		n->asn = ctx->global_as;
	for (fam = 0; fam < 2; fam++) {
		if ((ip = res_node_ip(rn, PLAN_AF(fam))) == NULL)
			continue;
		c = fam == 0 ? &bgp->ipv4_address : &bgp->ipv6_address;
		n->ip[fam] = *ip;
		n->plen[fam] = c->plen;
		addr_ntop(&n->ip[fam], n->ipstr[fam], sizeof(n->ipstr[fam]));
	}
	if (rn->spec.has_bgp && bgp->route_reflector_cluster_id.af == AF_INET)
		n->cluster_id = bgp->route_reflector_cluster_id;
}

static int
plan_nodes(struct plan_ctx *ctx, const char *self)
{
	const struct res_set	*rs = ctx->rs;
	size_t			 i, n;
	int			 fam;

	ctx->nodes = xcalloc(rs->nnodes ? rs->nnodes : 1,
	    sizeof(*ctx->nodes));
	for (i = n = 0; i < rs->nnodes; i++) {
		if (rs->nodes[i].meta.name == NULL)
			continue;
		plan_node_info(ctx, &rs->nodes[i], &ctx->nodes[n++]);
	}
	ctx->nnodes = n;
	qsort(ctx->nodes, n, sizeof(*ctx->nodes), plan_node_cmp);
	if ((ctx->self = plan_node_find(ctx, self)) == NULL)
		return plan_fail(ctx, "node %s: no such Node resource", self);
	plan_node_ports(ctx);

	ctx->byaddr = xcalloc(2 * n + 1, sizeof(*ctx->byaddr));
	for (i = 0; i < n; i++) {
		for (fam = 0; fam < 2; fam++) {
			if (ctx->nodes[i].ip[fam].af == 0)
				continue;
			ctx->byaddr[ctx->nbyaddr].addr = ctx->nodes[i].ip[fam];
			ctx->byaddr[ctx->nbyaddr++].node = i;
		}
	}
	qsort(ctx->byaddr, ctx->nbyaddr, sizeof(*ctx->byaddr),
	    plan_addrent_cmp);
	return 0;
}

/*
 * The port other nodes use to reach a node: its node.<name> listenPort,
 * else the default listenPort, else none (179).
 */
static void
plan_node_ports(struct plan_ctx *ctx)
{
	const struct res_set	*rs = ctx->rs;
	const char		*name;
	struct plan_nodeinfo	*n;
	size_t			 i;

	for (i = 0; i < rs->nbgpconfigs; i++) {
		name = rs->bgpconfigs[i].meta.name;
		if (name == NULL || strncmp(name, "node.", 5) != 0)
			continue;
		if ((n = plan_node_find(ctx, name + 5)) != NULL)
			n->node_port = rs->bgpconfigs[i].spec.listen_port;
	}
	for (i = 0; i < ctx->nnodes; i++) {
		n = &ctx->nodes[i];
		n->port = n->node_port ? n->node_port : ctx->global_port;
	}
}

static void
plan_check_configs(struct plan_ctx *ctx)
{
	const char	*name;
	size_t		 i;

	for (i = 0; i < ctx->rs->nbgpconfigs; i++) {
		name = ctx->rs->bgpconfigs[i].meta.name;
		if (name == NULL || strcmp(name, "default") == 0 ||
		    strncmp(name, "node.", 5) == 0)
			continue;
		plan_warn(ctx, "BGPConfiguration %s: ignored: the name is "
		    "neither default nor node.<name>", name);
	}
}

static int
plan_scalars(struct plan_ctx *ctx)
{
	const struct plan_nodeinfo	*self = ctx->self;
	const struct res_bgpconfig	*d = ctx->defcfg, *nc = ctx->nodecfg;
	struct plan			*p = ctx->p;

	p->as_number = self->asn;
	p->cluster_id = self->cluster_id;
	p->listen_port = self->port ? self->port : RES_DEFAULT_PORT;
	p->mesh_enabled = 1;
	p->log_severity = RES_LOG_INFO;
	p->lb_aggregation = 1;
	p->program_cluster_routes = RES_CR_ENABLED_NO_ENCAP_ONLY;
	p->ipv4_priority = p->ipv6_priority = PLAN_DEFAULT_PRIORITY;
	p->ipv4.addr = self->ip[0];
	p->ipv4.plen = self->plen[0];
	p->ipv6.addr = self->ip[1];
	p->ipv6.plen = self->plen[1];
	if (d != NULL) {
		if (d->spec.has_node_to_node_mesh_enabled)
			p->mesh_enabled = d->spec.node_to_node_mesh_enabled;
		if (d->spec.bind_mode == RES_BIND_NODE_IP)
			p->bind_mode = PLAN_BIND_NODE_IP;
		if (d->spec.log_severity_screen != RES_LOG_UNSET)
			p->log_severity = d->spec.log_severity_screen;
		if (d->spec.service_load_balancer_aggregation == RES_DISABLED)
			p->lb_aggregation = 0;
		if (d->spec.program_cluster_routes != RES_CR_UNSET)
			p->program_cluster_routes =
			    d->spec.program_cluster_routes;
		if (d->spec.has_ipv4_normal_route_priority)
			p->ipv4_priority = d->spec.ipv4_normal_route_priority;
		if (d->spec.has_ipv6_normal_route_priority)
			p->ipv6_priority = d->spec.ipv6_normal_route_priority;
	}
	if (nc != NULL && nc->spec.log_severity_screen != RES_LOG_UNSET)
		p->log_severity = nc->spec.log_severity_screen;
	if (self->ip[0].af == 0 && self->ip[1].af == 0)
		plan_warn(ctx, "node %s: no BGP address: no sessions",
		    self->name);
	return plan_router_id(ctx);
}

static int
plan_router_id(struct plan_ctx *ctx)
{
	const char	*rid = ctx->opts ? ctx->opts->router_id : NULL;
	struct plan	*p = ctx->p;

	if (rid == NULL || rid[0] == '\0') {
		p->router_id = ctx->self->ip[0];
		if (p->router_id.af == 0)
			plan_warn(ctx, "node %s: no IPv4 address and no "
			    "routerID configured: no router ID",
			    ctx->self->name);
		return 0;
	}
	if (strcmp(rid, "hash") == 0) {
		if (plan_router_id_hash(ctx->self->name, &p->router_id) == -1)
			return plan_fail(ctx, "routerID hash: SHA-256 failed");
		return 0;
	}
	if (addr_parse(rid, &p->router_id) == -1 ||
	    p->router_id.af != AF_INET || p->router_id.v4.s_addr == 0) {
		memset(&p->router_id, 0, sizeof(p->router_id));
		return plan_fail(ctx, "routerID \"%s\": neither \"hash\" nor "
		    "a non-zero IPv4 address", rid);
	}
	return 0;
}

static void
plan_mesh_session(struct plan_ctx *ctx, const struct plan_nodeinfo *n,
    int fam)
{
	const struct plan_nodeinfo	*self = ctx->self;
	const struct res_bgpconfig	*d = ctx->defcfg;
	struct plan_session		*s;

	s = plan_session_add(ctx);
	s->type = PLAN_MESH;
	plan_session_name(s->name, sizeof(s->name), PLAN_MESH, &n->ip[fam],
	    0);
	strlcpy(s->group, "mesh", sizeof(s->group));
	s->peer_ip = n->ip[fam];
	s->port = n->port ? n->port : RES_DEFAULT_PORT;
	s->peer_as = n->asn;
	s->local_as = self->asn;
	s->same_as = s->peer_as == s->local_as;
	s->source_addr = self->ip[fam];
	s->passive = strcmp(n->ipstr[fam], self->ipstr[fam]) > 0;
	s->calico_node = 1;
	strlcpy(s->peer_node, n->name, sizeof(s->peer_node));
	s->peer_cluster_id = n->cluster_id;
	if (d != NULL && d->spec.has_node_mesh_max_restart_time) {
		s->has_restart_time = 1;
		s->restart_time = plan_duration_secs(
		    d->spec.node_mesh_max_restart_time);
		s->restart_source = PLAN_RT_MESH;
	}
	if (d != NULL && d->spec.has_node_mesh_password)
		plan_session_password(ctx, &d->spec.node_mesh_password, s);
}

/*
 * The full mesh among nodes that are not route reflectors (CALICO.md
 * 2.4).  Walking the address index gives each address once, so that two
 * Nodes claiming one address cannot make two sessions of one name.
 */
static void
plan_mesh(struct plan_ctx *ctx)
{
	const struct plan_nodeinfo	*self = ctx->self, *n;
	const struct plan_addrent	*e, *prev = NULL;
	size_t				 i;
	int				 fam;

	if (self->cluster_id.af != 0 || !ctx->p->mesh_enabled)
		return;
	for (i = 0; i < ctx->nbyaddr; i++) {
		e = &ctx->byaddr[i];
		n = &ctx->nodes[e->node];
		fam = PLAN_FAM(e->addr.af);
		if (self->ip[fam].af == 0 || n->cluster_id.af != 0 ||
		    strcmp(n->ipstr[fam], self->ipstr[fam]) == 0)
			continue;
		if (prev != NULL && addr_cmp(&prev->addr, &e->addr) == 0) {
			plan_warn(ctx, "nodes %s and %s have the same address "
			    "%s: mesh session to %s only",
			    ctx->nodes[prev->node].name, n->name,
			    n->ipstr[fam], ctx->nodes[prev->node].name);
			continue;
		}
		prev = e;
		plan_mesh_session(ctx, n, fam);
	}
}

static int
plan_session_cmp(const void *a, const void *b)
{
	const struct plan_session	*sa = a, *sb = b;

	return strcmp(sa->name, sb->name);
}

static void
plan_sort_sessions(struct plan_ctx *ctx)
{
	struct plan	*p = ctx->p;

	if (p->nsessions > 1)
		qsort(p->sessions, p->nsessions, sizeof(*p->sessions),
		    plan_session_cmp);
}

static int
plan_target_cmp(const void *a, const void *b)
{
	const struct plan_session *const	*sa = a, *const *sb = b;
	int					 c;

	if ((c = addr_cmp(&(*sa)->peer_ip, &(*sb)->peer_ip)) != 0)
		return c;
	if ((*sa)->port != (*sb)->port)
		return (*sa)->port < (*sb)->port ? -1 : 1;
	return strcmp((*sa)->name, (*sb)->name);
}

/*
 * Calico renders a Mesh_ and a Node_ session to one address side by side;
 * only one of them can be connected, so say so.
 */
static void
plan_check_targets(struct plan_ctx *ctx)
{
	struct plan		 *p = ctx->p;
	const struct plan_session **v;
	char			  a[ADDRSTRLEN];
	size_t			  i;

	if (p->nsessions < 2)
		return;
	v = xcalloc(p->nsessions, sizeof(*v));
	for (i = 0; i < p->nsessions; i++)
		v[i] = &p->sessions[i];
	qsort(v, p->nsessions, sizeof(*v), plan_target_cmp);
	for (i = 1; i < p->nsessions; i++) {
		if (addr_cmp(&v[i - 1]->peer_ip, &v[i]->peer_ip) != 0 ||
		    v[i - 1]->port != v[i]->port)
			continue;
		plan_warn(ctx, "sessions %s and %s both peer with %s port %u",
		    v[i - 1]->name, v[i]->name,
		    addr_ntop(&v[i]->peer_ip, a, sizeof(a)),
		    (unsigned)v[i]->port);
	}
	free(v);
}

static void
plan_ctx_free(struct plan_ctx *ctx)
{
	plan_entries_free(ctx);
	free(ctx->nodes);
	free(ctx->byaddr);
	free(ctx->peers);
	free(ctx->secrets);
}

static int
plan_ctx_init(struct plan_ctx *ctx, const struct res_set *rs,
    const char *node, const struct plan_opts *opts, struct plan *p)
{
	char	 buf[RES_NAME_MAX + 6];
	size_t	 i;

	ctx->rs = rs;
	ctx->opts = opts;
	ctx->p = p;
	RB_INIT(&ctx->entries);
	ctx->defcfg = plan_bgpconfig(rs, "default");
	snprintf(buf, sizeof(buf), "node.%s", node);
	ctx->nodecfg = plan_bgpconfig(rs, buf);
	ctx->global_as = RES_DEFAULT_ASN;
	if (ctx->defcfg != NULL && ctx->defcfg->spec.has_as_number)
		ctx->global_as = ctx->defcfg->spec.as_number;
	if (ctx->defcfg != NULL)
		ctx->global_port = ctx->defcfg->spec.listen_port;
	ctx->peers = xcalloc(rs->nbgppeers ? rs->nbgppeers : 1,
	    sizeof(*ctx->peers));
	for (i = 0; i < rs->nbgppeers; i++)
		ctx->peers[i] = &rs->bgppeers[i];
	ctx->npeers = rs->nbgppeers;
	qsort(ctx->peers, ctx->npeers, sizeof(*ctx->peers),
	    plan_bgppeer_cmp);
	return plan_nodes(ctx, node);
}

int
plan_compute(const struct res_set *rs, const char *node,
    const struct plan_opts *opts, struct plan *p, char *err, size_t errlen)
{
	struct plan_ctx	 ctx;

	memset(p, 0, sizeof(*p));
	memset(&ctx, 0, sizeof(ctx));
	ctx.err = err;
	ctx.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (rs == NULL || node == NULL || node[0] == '\0' ||
	    strlen(node) > RES_NAME_MAX) {
		plan_fail(&ctx, "plan: no resources or a bad node name");
		return -1;
	}
	strlcpy(p->node, node, sizeof(p->node));
	if (plan_ctx_init(&ctx, rs, node, opts, p) == -1 ||
	    plan_scalars(&ctx) == -1)
		goto fail;
	plan_check_configs(&ctx);
	plan_mesh(&ctx);
	if (plan_peers(&ctx) == -1 || plan_export(&ctx) == -1)
		goto fail;
	plan_sort_sessions(&ctx);
	plan_filters_sort(&ctx);
	plan_check_targets(&ctx);
	plan_ctx_free(&ctx);
	return 0;
fail:
	plan_ctx_free(&ctx);
	plan_free(p);
	return -1;
}

void
plan_free(struct plan *p)
{
	size_t	 i;
	int	 l;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsessions; i++)
		free(p->sessions[i].filters);
	free(p->sessions);
	free(p->originate);
	free(p->blocks);
	free(p->pools);
	free(p->services);
	free(p->comms);
	for (i = 0; i < p->nfilters; i++)
		for (l = 0; l < RES_FILTER_NLISTS; l++)
			free(p->filters[i].rules[l]);
	free(p->filters);
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	memset(p, 0, sizeof(*p));
}
