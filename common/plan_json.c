/*
 * The plan as `tortiectl plan -o json` and `tortied -n` print it
 * (INTERFACES.md: key order, names and nulls are a contract), and as a
 * readable text table.  Arrays of strings are written on one line, as
 * INTERFACES.md shows them ("originate": ["198.19.0.0/26"]).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "plan.h"
#include "plan_int.h"
#include "util.h"

/* A struct bgpd_addr as text, "" when absent. */
static const char *
plan_addr_str(const struct bgpd_addr *a, char *buf, size_t len)
{
	if (a->af == 0) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	return addr_ntop(a, buf, len);
}

/* ["a", "b"] on one line; jw_sep writes nothing at depth 0. */
static char *
plan_inline_list(const char *const *items, size_t n)
{
	struct jsonw	 jw;
	size_t		 i;

	jw_init(&jw, 0);
	jw_raw(&jw, NULL, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			jw_raw(&jw, NULL, ", ");
		jw_escape(&jw, items[i]);
	}
	jw_raw(&jw, NULL, "]");
	return jw_finish(&jw, NULL);
}

static void
plan_json_filters(struct jsonw *jw, const struct plan *p,
    const struct plan_session *s)
{
	const char	**names;
	char		 *text;
	size_t		  i;

	names = xcalloc(s->nfilters + 1, sizeof(*names));
	for (i = 0; i < s->nfilters; i++)
		names[i] = s->filters[i] < p->nfilters ?
		    p->filters[s->filters[i]].name : "";
	text = plan_inline_list(names, s->nfilters);
	jw_raw(jw, "filters", text);
	free(text);
	free(names);
}

static void
plan_json_session(struct jsonw *jw, const struct plan *p,
    const struct plan_session *s)
{
	char	 a[ADDRSTRLEN];

	jw_obj_open(jw, NULL);
	jw_str(jw, "name", s->name);
	jw_str(jw, "type", plan_type_str(s->type));
	jw_str(jw, "group", s->group);
	jw_str(jw, "family", s->peer_ip.af == AF_INET6 ? "ipv6" : "ipv4");
	jw_str(jw, "peerIP", plan_addr_str(&s->peer_ip, a, sizeof(a)));
	jw_uint(jw, "port", s->port);
	jw_uint(jw, "peerAS", s->peer_as);
	jw_uint(jw, "localAS", s->local_as);
	if (s->source_addr.af != 0)
		jw_str(jw, "sourceAddress",
		    plan_addr_str(&s->source_addr, a, sizeof(a)));
	else
		jw_null(jw, "sourceAddress");
	jw_bool(jw, "passive", s->passive);
	jw_bool(jw, "routeReflectorClient", s->rr_client);
	jw_str(jw, "clusterID", plan_addr_str(&s->cluster_id, a, sizeof(a)));
	jw_uint(jw, "ttlSecurity", s->ttl_security);
	jw_bool(jw, "password", s->pw_state == PLAN_PW_OK);
	jw_str(jw, "nextHop", plan_nexthop_str(s->next_hop));
	if (s->has_restart_time)
		jw_uint(jw, "restartTime", s->restart_time);
	else
		jw_null(jw, "restartTime");
	if (s->has_keepalive_time)
		jw_uint(jw, "keepaliveTime", s->keepalive_time);
	else
		jw_null(jw, "keepaliveTime");
	jw_int(jw, "allowLocalAS", s->allow_local_as);
	plan_json_filters(jw, p, s);
	/* An extension of INTERFACES.md: only there when a limit is set. */
	if (s->max_prefix > 0)
		jw_uint(jw, "maxPrefix", s->max_prefix);
	jw_obj_close(jw);
}

static void
plan_json_originate(struct jsonw *jw, const struct plan *p)
{
	char		**strs;
	char		 *text;
	size_t		  i;

	strs = xcalloc(p->noriginate + 1, sizeof(*strs));
	for (i = 0; i < p->noriginate; i++) {
		strs[i] = xmalloc(ADDRSTRLEN + 8);
		plan_prefix_fmt(&p->originate[i], strs[i], ADDRSTRLEN + 8);
	}
	text = plan_inline_list((const char *const *)strs, p->noriginate);
	jw_raw(jw, "originate", text);
	free(text);
	for (i = 0; i < p->noriginate; i++)
		free(strs[i]);
	free(strs);
}

char *
plan_to_json(const struct plan *p)
{
	struct jsonw	 jw;
	char		 a[ADDRSTRLEN];
	size_t		 i;

	jw_init(&jw, 1);
	jw_obj_open(&jw, NULL);
	jw_str(&jw, "node", p->node);
	jw_str(&jw, "routerID", plan_addr_str(&p->router_id, a, sizeof(a)));
	jw_uint(&jw, "asNumber", p->as_number);
	jw_str(&jw, "routeReflectorClusterID",
	    plan_addr_str(&p->cluster_id, a, sizeof(a)));
	jw_uint(&jw, "listenPort", p->listen_port);
	jw_arr_open(&jw, "sessions");
	for (i = 0; i < p->nsessions; i++)
		plan_json_session(&jw, p, &p->sessions[i]);
	jw_arr_close(&jw);
	plan_json_originate(&jw, p);
	jw_obj_close(&jw);
	return jw_finish(&jw, NULL);
}

/*
 * Text form.
 */

static const char *
plan_or_dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

/* Appends "word arg" to a comma-separated list. */
static void
plan_text_opt(char *buf, size_t len, const char *word, const char *arg)
{
	if (buf[0] != '\0')
		strlcat(buf, ", ", len);
	strlcat(buf, word, len);
	if (arg != NULL) {
		strlcat(buf, " ", len);
		strlcat(buf, arg, len);
	}
}

static void
plan_text_options(const struct plan *p, const struct plan_session *s,
    char *buf, size_t len)
{
	char	 n[64];
	size_t	 i;

	buf[0] = '\0';
	if (s->passive)
		plan_text_opt(buf, len, "passive", NULL);
	if (s->rr_client)
		plan_text_opt(buf, len, "rr-client",
		    addr_ntop(&s->cluster_id, n, sizeof(n)));
	if (s->source_addr.af == 0)
		plan_text_opt(buf, len, "no-source-address", NULL);
	if (s->ttl_security) {
		snprintf(n, sizeof(n), "%u", s->ttl_security);
		plan_text_opt(buf, len, "ttl-security", n);
	}
	if (s->pw_state == PLAN_PW_OK)
		plan_text_opt(buf, len, "password", NULL);
	else if (s->pw_state == PLAN_PW_MISSING)
		plan_text_opt(buf, len, "password missing:", s->pw_error);
	if (s->next_hop != PLAN_NH_AUTO)
		plan_text_opt(buf, len, "next-hop",
		    plan_nexthop_str(s->next_hop));
	if (s->has_restart_time) {
		snprintf(n, sizeof(n), "%us", s->restart_time);
		plan_text_opt(buf, len, "restart", n);
	}
	if (s->has_keepalive_time) {
		snprintf(n, sizeof(n), "%us", s->keepalive_time);
		plan_text_opt(buf, len, "keepalive", n);
	}
	if (s->allow_local_as) {
		snprintf(n, sizeof(n), "%d", s->allow_local_as);
		plan_text_opt(buf, len, "allow-local-as", n);
	}
	for (i = 0; i < s->nfilters; i++)
		if (s->filters[i] < p->nfilters)
			plan_text_opt(buf, len, "filter",
			    p->filters[s->filters[i]].name);
}

/* Column widths that fit the widest name, group and address. */
static void
plan_text_widths(const struct plan *p, int w[3])
{
	const struct plan_session	*s;
	char				 a[ADDRSTRLEN];
	size_t				 i;

	w[0] = 4;
	w[1] = 5;
	w[2] = 4;
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		if ((int)strlen(s->name) > w[0])
			w[0] = (int)strlen(s->name);
		if ((int)strlen(s->group) > w[1])
			w[1] = (int)strlen(s->group);
		addr_ntop(&s->peer_ip, a, sizeof(a));
		if ((int)strlen(a) > w[2])
			w[2] = (int)strlen(a);
	}
}

static void
plan_text_sessions(FILE *fp, const struct plan *p)
{
	const struct plan_session	*s;
	char				 a[ADDRSTRLEN], opts[1024];
	size_t				 i;
	int				 w[3];

	fprintf(fp, "\nSessions (%zu):\n", p->nsessions);
	if (p->nsessions == 0)
		return;
	plan_text_widths(p, w);
	fprintf(fp, "%-*s  %-17s  %-*s  %-*s  %5s  %10s  %10s  %s\n", w[0],
	    "NAME", "TYPE", w[1], "GROUP", w[2], "PEER", "PORT", "PEER AS",
	    "LOCAL AS", "OPTIONS");
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		plan_text_options(p, s, opts, sizeof(opts));
		fprintf(fp, "%-*s  %-17s  %-*s  %-*s  %5u  %10u  %10u  %s\n",
		    w[0], s->name, plan_type_str(s->type), w[1], s->group,
		    w[2], addr_ntop(&s->peer_ip, a, sizeof(a)),
		    (unsigned)s->port, s->peer_as, s->local_as,
		    plan_or_dash(opts));
	}
}

static void
plan_text_prefixes(FILE *fp, const char *title,
    const struct plan_prefix *v, size_t n)
{
	char	 buf[ADDRSTRLEN + 8];
	size_t	 i;

	fprintf(fp, "%-24s", title);
	for (i = 0; i < n; i++) {
		plan_prefix_fmt(&v[i], buf, sizeof(buf));
		fprintf(fp, "%s%s", i ? " " : "", buf);
	}
	fprintf(fp, "%s\n", n ? "" : "-");
}

static void
plan_text_pools(FILE *fp, const struct plan *p)
{
	static const char *const enc[] = { "Never", "Never", "Always",
	    "CrossSubnet" };
	const struct plan_pool	*pp;
	char			 buf[ADDRSTRLEN + 8];
	size_t			 i;

	for (i = 0; i < p->npools; i++) {
		pp = &p->pools[i];
		plan_prefix_fmt(&pp->cidr, buf, sizeof(buf));
		fprintf(fp, "%-24s%s block /%d ipip %s vxlan %s%s%s\n",
		    i ? "" : "IP pools:", buf, pp->block_size,
		    enc[pp->ipip & 3], enc[pp->vxlan & 3],
		    pp->disable_export ? " no-export" : "",
		    pp->disabled ? " disabled" : "");
	}
}

static void
plan_text_services(FILE *fp, const struct plan *p)
{
	static const char *const kind[] = { "cluster", "external",
	    "loadbalancer" };
	const struct plan_service	*sv;
	char				 buf[ADDRSTRLEN + 8];
	size_t				 i;

	for (i = 0; i < p->nservices; i++) {
		sv = &p->services[i];
		plan_prefix_fmt(&sv->cidr, buf, sizeof(buf));
		fprintf(fp, "%-24s%s %s%s\n", i ? "" : "Service ranges:", buf,
		    kind[sv->kind], sv->originate ? " advertised" :
		    sv->reject ? " not-advertised" : " per-service");
	}
}

static void
plan_text_comms(FILE *fp, const struct plan *p)
{
	const struct plan_comm_prefix	*cp;
	char				 buf[ADDRSTRLEN + 8], c[40];
	size_t				 i, j;

	for (i = 0; i < p->ncomms; i++) {
		cp = &p->comms[i];
		plan_prefix_fmt(&cp->cidr, buf, sizeof(buf));
		fprintf(fp, "%-24s%s", i ? "" : "Communities:", buf);
		for (j = 0; j < cp->ncomms; j++) {
			res_comm_fmt(&cp->comms[j], c, sizeof(c));
			fprintf(fp, " %s", c);
		}
		fprintf(fp, "\n");
	}
}

void
plan_print_text(FILE *fp, const struct plan *p)
{
	char	 a[ADDRSTRLEN], b[ADDRSTRLEN + 8];
	size_t	 i;

	fprintf(fp, "%-24s%s\n", "Node:", p->node);
	fprintf(fp, "%-24s%s\n", "Router ID:",
	    plan_or_dash(plan_addr_str(&p->router_id, a, sizeof(a))));
	fprintf(fp, "%-24s%u\n", "AS number:", p->as_number);
	fprintf(fp, "%-24s%s\n", "Route reflector:", p->cluster_id.af ?
	    addr_ntop(&p->cluster_id, a, sizeof(a)) : "no");
	fprintf(fp, "%-24s%u%s\n", "Listen port:", (unsigned)p->listen_port,
	    p->bind_mode == PLAN_BIND_NODE_IP ? " (node addresses only)" :
	    "");
	fprintf(fp, "%-24s%s\n", "Node-to-node mesh:",
	    p->mesh_enabled ? "enabled" : "disabled");
	for (i = 0; i < 2; i++) {
		const struct plan_prefix *np = i ? &p->ipv6 : &p->ipv4;

		if (np->addr.af != 0)
			snprintf(b, sizeof(b), "%s/%d",
			    addr_ntop(&np->addr, a, sizeof(a)), np->plen);
		else
			snprintf(b, sizeof(b), "- (%s disabled)",
			    i ? "IPv6" : "IPv4");
		fprintf(fp, "%-24s%s\n", i ? "IPv6 address:" :
		    "IPv4 address:", b);
	}
	plan_text_sessions(fp, p);
	fprintf(fp, "\n");
	plan_text_prefixes(fp, "Originate:", p->originate, p->noriginate);
	plan_text_prefixes(fp, "Local blocks:", p->blocks, p->nblocks);
	plan_text_pools(fp, p);
	plan_text_services(fp, p);
	plan_text_comms(fp, p);
	for (i = 0; i < p->nwarnings; i++)
		fprintf(fp, "%-24s%s\n", i ? "" : "Warnings:",
		    p->warnings[i]);
}
