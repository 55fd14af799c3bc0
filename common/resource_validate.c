/*
 * Validation of the Calico resource model that field tables cannot
 * express: string formats (names, label keys, interface globs) and the
 * cross-field rules of each kind (CALICO.md section 1).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "resource.h"
#include "resource_int.h"
#include "selector.h"
#include "util.h"

static int	 is_alnum(int);
static int	 valid_dns_subdomain(const char *, size_t);
static int	 valid_qualified_name(const char *, size_t);
static int	 chk_err(struct rf_ctx *, const char *,
		    const struct doc_node *, const char *, const char *, ...)
		    __attribute__((__format__(printf, 5, 6)));
static int	 chk_prefix_adv(struct rf_ctx *, const char *,
		    const struct doc_node *, const struct res_bgpconfig_spec *);
static int	 chk_default_only(struct rf_ctx *, const char *,
		    const struct doc_node *, const struct res_bgpconfig_spec *);
static int	 chk_pool_cidr(struct rf_ctx *, const char *,
		    const struct doc_node *, const struct res_ippool_spec *);
static int	 chk_pool_lb(struct rf_ctx *, const char *,
		    const struct doc_node *, const struct res_ippool_spec *);
static int	 pool_uses(const struct res_ippool_spec *,
		    enum res_allowed_use);

/*
 * String formats.
 */

static int
is_alnum(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)* */
static int
valid_dns_subdomain(const char *s, size_t len)
{
	size_t	 i;
	int	 start = 1;

	if (len == 0 || len > RES_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (start || s[i - 1] == '-')
				return 0;
			start = 1;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
		if (start && s[i] == '-')
			return 0;
		start = 0;
	}
	return !start && s[len - 1] != '-';
}

/* k8s qualified name part: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, <= 63 */
static int
valid_qualified_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 63)
		return 0;
	if (!is_alnum((unsigned char)s[0]) ||
	    !is_alnum((unsigned char)s[len - 1]))
		return 0;
	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

const char *
rf_valid_name(const char *s)
{
	if (!valid_dns_subdomain(s, strlen(s)))
		return "not a valid name (lower-case letters, digits, '-' and "
		    "'.', starting and ending with a letter or digit, at most "
		    "253 characters)";
	return NULL;
}

/* [prefix/]name with a DNS subdomain prefix, as Kubernetes. */
const char *
rf_valid_label_key(const char *s)
{
	const char	*slash = strchr(s, '/');

	if (slash != NULL && !valid_dns_subdomain(s, (size_t)(slash - s)))
		return "not a valid label key (the prefix before '/' must be "
		    "a DNS subdomain)";
	if (!valid_qualified_name(slash ? slash + 1 : s,
	    strlen(slash ? slash + 1 : s)))
		return "not a valid label key (at most 63 letters, digits, "
		    "'-', '_' and '.', starting and ending with a letter or "
		    "digit, after an optional DNS-subdomain prefix and '/')";
	return NULL;
}

const char *
rf_valid_label_value(const char *s)
{
	if (s[0] != '\0' && !valid_qualified_name(s, strlen(s)))
		return "not a valid label value (at most 63 letters, digits, "
		    "'-', '_' and '.', starting and ending with a letter or "
		    "digit)";
	return NULL;
}

/* ^[a-zA-Z0-9_.*-]{1,15}$ */
const char *
rf_valid_iface(const char *s)
{
	size_t	 i, len = strlen(s);

	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    strchr("_.*-", s[i]) == NULL)
			break;
	if (len == 0 || len > 15 || i < len)
		return "not a valid interface name or pattern (1 to 15 of "
		    "letters, digits, '_', '.', '*' and '-')";
	return NULL;
}

const char *
rf_valid_ignored_iface(const char *s)
{
	if (strcmp(s, "*") == 0)
		return "not allowed ('*' would ignore every interface)";
	return rf_valid_iface(s);
}

/* Six octets separated by ':' or '-'. */
const char *
rf_valid_mac(const char *s)
{
	size_t	 i;

	if (strlen(s) != 17)
		goto bad;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != s[2] || (s[i] != ':' && s[i] != '-'))
				goto bad;
		} else if (strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			goto bad;
	}
	return NULL;
 bad:
	return "not a valid MAC address";
}

/*
 * A Secret key, as Kubernetes: [-._a-zA-Z0-9]+ and not "." or "..".
 * This also keeps <secretsDir>/<name>/<key> inside secretsDir.
 */
const char *
rf_valid_secret_key(const char *s)
{
	size_t	 i, len = strlen(s);

	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    strchr("-._", s[i]) == NULL)
			break;
	if (len == 0 || len > RES_NAME_MAX || i < len ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "not a valid Secret key (letters, digits, '-', '_' and "
		    "'.', not '.' or '..')";
	return NULL;
}

const char *
rf_valid_community(const char *s)
{
	struct res_comm	 c;

	if (res_comm_parse(s, &c) == -1)
		return "not a valid community (aa:nn with 16-bit parts or "
		    "aa:nn:mm with 32-bit parts)";
	return NULL;
}

const char *
rf_valid_ip_or_cidr(const char *s)
{
	struct bgpd_addr	 a;
	int			 plen;

	if (addr_parse(s, &a) == -1 && prefix_parse(s, &a, &plen) == -1)
		return "not a valid IP address or CIDR";
	return NULL;
}

/*
 * Cross-field rules.
 */

/* An error about field key of map (at the key, or at the map). */
static int
chk_err(struct rf_ctx *c, const char *path, const struct doc_node *map,
    const char *key, const char *fmt, ...)
{
	const struct doc_pair	*p = doc_map_pair(map, key);
	char			 sub[256], reason[512];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	rf_path(sub, sizeof(sub), path, key);
	if (p != NULL)
		return rf_error(c, p->line, p->col, sub, "%s", reason);
	return rf_error_at(c, map, sub, "%s", reason);
}

/* "Spec.BGP should not be empty", as Calico's validateNodeSpec. */
int
rf_check_node_bgp(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_node_bgp	*b = obj;

	if (b->ipv4_address.addr.af == 0 && b->ipv6_address.addr.af == 0 &&
	    !b->has_as_number && b->ipv4_ipip_tunnel_addr.af == 0 &&
	    b->route_reflector_cluster_id.af == 0)
		return rf_error_at(c, map, path, "must not be empty");
	return 0;
}

/* Fields only the BGPConfiguration named "default" may set. */
static int
chk_default_only(struct rf_ctx *c, const char *path,
    const struct doc_node *map, const struct res_bgpconfig_spec *s)
{
	const struct {
		const char	*key;
		int		 set;
	} f[] = {
		{ "nodeToNodeMeshEnabled", s->has_node_to_node_mesh_enabled },
		{ "asNumber", s->has_as_number },
		{ "serviceLoadBalancerIPs", s->nservice_load_balancer_ips > 0 },
		{ "serviceExternalIPs", s->nservice_external_ips > 0 },
		{ "serviceClusterIPs", s->nservice_cluster_ips > 0 },
		{ "nodeMeshPassword", s->has_node_mesh_password },
		{ "nodeMeshMaxRestartTime", s->has_node_mesh_max_restart_time },
	};
	size_t	 i;

	if (c->real == NULL || strcmp(c->real, "default") == 0)
		return 0;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].set)
			return chk_err(c, path, map, f[i].key, "can only be "
			    "set on the BGPConfiguration named default");
	return 0;
}

/* Each prefixAdvertisements community: a literal or a defined name. */
static int
chk_prefix_adv(struct rf_ctx *c, const char *path,
    const struct doc_node *map, const struct res_bgpconfig_spec *s)
{
	const struct doc_node	*list, *item, *comms;
	const struct res_prefix_adv *pa;
	struct res_comm		 comm;
	char			 sub[256];
	size_t			 i, j;

	list = doc_map_get(map, "prefixAdvertisements");
	for (i = 0; i < s->nprefix_advertisements; i++) {
		pa = &s->prefix_advertisements[i];
		item = list != NULL && i < list->n ? list->items[i] : NULL;
		comms = doc_map_get(item, "communities");
		for (j = 0; j < pa->ncommunities; j++) {
			if (res_comm_resolve(s, pa->communities[j],
			    &comm) == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s%sprefixAdvertisements"
			    "[%zu].communities[%zu]", path, path[0] ? "." : "",
			    i, j);
			return rf_error_at(c, comms != NULL && j < comms->n ?
			    comms->items[j] : map, sub, "'%.64s' is neither a "
			    "community nor a name defined in spec.communities",
			    pa->communities[j]);
		}
	}
	return 0;
}

int
rf_check_bgpconfig(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_bgpconfig_spec	*s = obj;
	int				 meshoff;

	if (chk_default_only(c, path, map, s) == -1)
		return -1;
	meshoff = s->has_node_to_node_mesh_enabled &&
	    !s->node_to_node_mesh_enabled;
	if (meshoff && s->has_node_mesh_password)
		return chk_err(c, path, map, "nodeMeshPassword", "cannot be "
		    "set when spec.nodeToNodeMeshEnabled is false");
	if (meshoff && s->has_node_mesh_max_restart_time)
		return chk_err(c, path, map, "nodeMeshMaxRestartTime",
		    "cannot be set when spec.nodeToNodeMeshEnabled is false");
	if (s->ncommunities > 0 && s->nprefix_advertisements == 0)
		return chk_err(c, path, map, "communities", "requires "
		    "spec.prefixAdvertisements");
	return chk_prefix_adv(c, path, map, s);
}

/* CALICO.md 1.3: the CEL rules of BGPPeerSpec and Go's extra family rule. */
int
rf_check_bgppeer(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_bgppeer_spec	*s = obj;
	int				 peerip, peersel;

	peerip = s->peer_ip.addr.af != 0;
	peersel = s->peer_selector.text != NULL;

	if (s->node != NULL && s->node_selector.text != NULL)
		return chk_err(c, path, map, "nodeSelector", "cannot be "
		    "combined with spec.node");
	if (peerip && peersel)
		return chk_err(c, path, map, "peerSelector", "cannot be "
		    "combined with spec.peerIP");
	if (peersel && s->as_number != 0)
		return chk_err(c, path, map, "asNumber", "cannot be combined "
		    "with spec.peerSelector (the selected nodes' AS numbers "
		    "apply)");
	if (s->local_workload_selector.text != NULL) {
		if (peerip)
			return chk_err(c, path, map, "localWorkloadSelector",
			    "cannot be combined with spec.peerIP");
		if (peersel)
			return chk_err(c, path, map, "localWorkloadSelector",
			    "cannot be combined with spec.peerSelector");
		if (s->as_number == 0)
			return chk_err(c, path, map, "localWorkloadSelector",
			    "requires spec.asNumber");
	}
	if (s->reachable_by.af != 0 && !peerip)
		return chk_err(c, path, map, "reachableBy", "requires "
		    "spec.peerIP");
	if (s->reachable_by.af != 0 && s->reachable_by.af != s->peer_ip.addr.af)
		return chk_err(c, path, map, "reachableBy", "address family "
		    "differs from spec.peerIP");
	if (s->keep_original_next_hop && s->next_hop_mode != RES_NH_UNSET)
		return chk_err(c, path, map, "keepOriginalNextHop", "cannot be "
		    "combined with spec.nextHopMode");
	return 0;
}

int
rf_check_filter_rule(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_filter_rule	*r = obj;

	if (r->cidr.addr.af != 0 && r->match_operator == RES_MATCH_UNSET)
		return chk_err(c, path, map, "cidr", "requires matchOperator");
	if (r->cidr.addr.af == 0 && r->match_operator != RES_MATCH_UNSET)
		return chk_err(c, path, map, "matchOperator", "requires cidr");
	if (r->has_prefix_length && r->cidr.addr.af == 0)
		return chk_err(c, path, map, "prefixLength", "requires cidr");
	if (r->noperations > 0 && r->action != RES_ACTION_ACCEPT)
		return chk_err(c, path, map, "operations", "only allowed with "
		    "action Accept");
	return 0;
}

int
rf_check_filter_op(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_filter_op	*o = obj;

	if (o->has_add_community + o->has_prepend_as_path +
	    o->has_set_priority != 1)
		return rf_error_at(c, map, path, "must set exactly one of "
		    "addCommunity, prependASPath and setPriority");
	return 0;
}

static int
pool_uses(const struct res_ippool_spec *s, enum res_allowed_use u)
{
	size_t	 i;

	for (i = 0; i < s->nallowed_uses; i++)
		if (s->allowed_uses[i] == u)
			return 1;
	return 0;
}

/* Block size, link-local ranges and IPIP on IPv6. */
static int
chk_pool_cidr(struct rf_ctx *c, const char *path,
    const struct doc_node *map, const struct res_ippool_spec *s)
{
	struct bgpd_addr	 ll;
	int			 v6 = s->cidr.addr.af == AF_INET6, llen;
	int			 bmin = v6 ? 116 : 20, bmax = v6 ? 128 : 32;

	addr_parse(v6 ? "fe80::" : "169.254.0.0", &ll);
	llen = v6 ? 10 : 16;
	if (addr_in_prefix(&s->cidr.addr, &ll, llen) ||
	    addr_in_prefix(&ll, &s->cidr.addr, s->cidr.plen))
		return chk_err(c, path, map, "cidr", "overlaps the link-local "
		    "range %s", v6 ? "fe80::/10" : "169.254.0.0/16");
	if (s->block_size != 0 && (s->block_size < bmin ||
	    s->block_size > bmax))
		return chk_err(c, path, map, "blockSize", "must be %d..%d for "
		    "an IPv%d pool", bmin, bmax, v6 ? 6 : 4);
	if (s->cidr.plen > (s->block_size ? s->block_size : v6 ? 122 : 26))
		return chk_err(c, path, map, "cidr", "prefix length /%d is "
		    "longer than the block size %d", s->cidr.plen,
		    s->block_size ? s->block_size : v6 ? 122 : 26);
	if (v6 && s->ipip_mode > RES_ENCAP_NEVER)
		return chk_err(c, path, map, "ipipMode", "IPIP is not "
		    "supported on IPv6 pools");
	if (s->ipip_mode > RES_ENCAP_NEVER && s->vxlan_mode > RES_ENCAP_NEVER)
		return chk_err(c, path, map, "vxlanMode", "cannot be enabled "
		    "together with spec.ipipMode");
	return 0;
}

/* allowedUses LoadBalancer excludes most of the rest. */
static int
chk_pool_lb(struct rf_ctx *c, const char *path, const struct doc_node *map,
    const struct res_ippool_spec *s)
{
	char	*canon;
	int	 all;

	if (!pool_uses(s, RES_USE_LOAD_BALANCER))
		return 0;
	if (pool_uses(s, RES_USE_WORKLOAD) || pool_uses(s, RES_USE_TUNNEL))
		return chk_err(c, path, map, "allowedUses", "LoadBalancer "
		    "cannot be combined with Workload or Tunnel");
	if (s->ipip_mode > RES_ENCAP_NEVER || s->vxlan_mode > RES_ENCAP_NEVER)
		return chk_err(c, path, map, "allowedUses", "LoadBalancer "
		    "cannot be used with IPIP or VXLAN");
	if (s->disable_bgp_export)
		return chk_err(c, path, map, "disableBGPExport", "cannot be "
		    "combined with allowedUses LoadBalancer");
	if (s->node_selector.sel != NULL) {
		canon = sel_canonical(s->node_selector.sel);
		all = canon != NULL && strcmp(canon, "all()") == 0;
		free(canon);
		if (!all)
			return chk_err(c, path, map, "nodeSelector", "must be "
			    "all() for a LoadBalancer pool");
	}
	return 0;
}

int
rf_check_ippool(struct rf_ctx *c, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct res_ippool_spec	*s = obj;

	if (chk_pool_cidr(c, path, map, s) == -1)
		return -1;
	if (sel_uses_global(s->node_selector.sel))
		return chk_err(c, path, map, "nodeSelector", "global() is not "
		    "allowed in an IPPool selector");
	return chk_pool_lb(c, path, map, s);
}

/*
 * Rules between resources, which Calico checks when a resource is created
 * or updated: every filter a BGPPeer names exists, and IPPools do not
 * overlap.  Messages have no position: "KIND NAME: FIELD: reason".
 */
int
res_set_check(const struct res_set *s, struct res_errors *errs)
{
	struct rf_ctx			 c;
	const struct res_bgppeer	*p;
	const struct res_ippool		*a, *b;
	char				 path[64], cidr[64];
	size_t				 i, j;
	int				 rc = 0;

	memset(&c, 0, sizeof(c));
	c.errs = errs;
	c.kind = res_kind_name(RES_BGPPEER);
	for (i = 0; i < s->nbgppeers; i++) {
		p = &s->bgppeers[i];
		c.name = p->meta.name;
		for (j = 0; j < p->spec.nfilters; j++) {
			if (res_set_bgpfilter(s, p->spec.filters[j]) != NULL)
				continue;
			snprintf(path, sizeof(path), "spec.filters[%zu]", j);
			rc = rf_error(&c, 0, 0, path, "BGPFilter '%s' not "
			    "found", p->spec.filters[j]);
		}
	}
	c.kind = res_kind_name(RES_IPPOOL);
	for (i = 0; i < s->nippools; i++) {
		a = &s->ippools[i];
		for (j = 0; j < i; j++) {
			b = &s->ippools[j];
			if (!addr_in_prefix(&a->spec.cidr.addr,
			    &b->spec.cidr.addr, b->spec.cidr.plen) &&
			    !addr_in_prefix(&b->spec.cidr.addr,
			    &a->spec.cidr.addr, a->spec.cidr.plen))
				continue;
			c.name = a->meta.name;
			res_cidr_fmt(&b->spec.cidr, cidr, sizeof(cidr));
			rc = rf_error(&c, 0, 0, "spec.cidr", "overlaps "
			    "IPPool %s (%s)", b->meta.name, cidr);
		}
	}
	return rc;
}
