/*
 * The decision process (RFC 4271 9.1.2.2, RFC 4456 9), as one comparison
 * that orders the paths of a prefix best first:
 *
 *  -. paths whose next hop is reachable (RFC 4271 9.1.2.1; rde_nexthop.c)
 *     before those whose next hop is not, which are not eligible at all:
 *     they only sort last so that rde_rib_best() finds none;
 *  0. an originated route of this node (BIRD's static protocol has a
 *     higher preference than BGP);
 *  1. highest LOCAL_PREF;
 *  2. shortest AS_PATH (a set counts one, confederation segments none);
 *  3. lowest ORIGIN;
 *  4. lowest MULTI_EXIT_DISC, only between routes from the same
 *     neighbouring AS (a missing MED is 0);
 *  5. external (eBGP) over internal (iBGP);
 *  6. lowest BGP identifier: the ORIGINATOR_ID if there is one, else the
 *     peer's;
 *  7. shortest CLUSTER_LIST;
 *  8. lowest peer address;
 *  9. lowest ADD-PATH identifier, then lowest peer index, so that the
 *     order is total.
 *
 * There is no IGP cost step: tortie sees no route metrics to next hops.
 */
#include <sys/types.h>

#include "rde.h"
#include "util.h"

struct rde_peer *
rde_path_peer(const struct rde_path *p)
{
	return rde->peers[RDE_PATH_PEER(p)];
}

static int
rde_cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static uint32_t
rde_local_pref(const struct rde_attrs *a)
{
	if (a->k.present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		return a->k.local_pref;
	return RDE_LOCAL_PREF_DEFAULT;
}

static uint32_t
rde_bgp_id(const struct rde_attrs *a, const struct rde_peer *p)
{
	if (a->k.present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))
		return a->k.originator_id;
	return p->remote_id;
}

/* Steps 1 to 4: the attributes alone. */
static int
rde_decide_attrs(const struct rde_attrs *x, const struct rde_attrs *y)
{
	int	 r;

	if ((r = rde_cmp_u32(rde_local_pref(y), rde_local_pref(x))) != 0)
		return r;
	if ((r = rde_cmp_u32(x->k.aspath_count, y->k.aspath_count)) != 0)
		return r;
	if ((r = rde_cmp_u32(x->k.origin, y->k.origin)) != 0)
		return r;
	if (x->k.neighbor_as == y->k.neighbor_as &&
	    (r = rde_cmp_u32(x->k.med, y->k.med)) != 0)
		return r;
	return 0;
}

/* Returns < 0 when a is better than b, > 0 when worse, 0 if the same. */
int
rde_decide_cmp(const struct rde_path *a, const struct rde_path *b)
{
	const struct rde_attrs	*x, *y;
	const struct rde_peer	*pa, *pb;
	int			 r;

	if ((a->peer & RDE_PATH_UNREACH) != (b->peer & RDE_PATH_UNREACH))
		return (a->peer & RDE_PATH_UNREACH) ? 1 : -1;
	pa = rde_path_peer(a);
	pb = rde_path_peer(b);
	if ((pa->flags & RDE_PEER_LOCAL) != (pb->flags & RDE_PEER_LOCAL))
		return (pa->flags & RDE_PEER_LOCAL) ? -1 : 1;
	x = rde_attr_get(a->attrs);
	y = rde_attr_get(b->attrs);
	if (x != y && (r = rde_decide_attrs(x, y)) != 0)
		return r;
	if (rde_peer_is_ebgp(pa) != rde_peer_is_ebgp(pb))
		return rde_peer_is_ebgp(pa) ? -1 : 1;
	if ((r = rde_cmp_u32(rde_bgp_id(x, pa), rde_bgp_id(y, pb))) != 0)
		return r;
	if ((r = rde_cmp_u32(x->k.cluster_len, y->k.cluster_len)) != 0)
		return r;
	if ((r = addr_cmp(&pa->conf.remote, &pb->conf.remote)) != 0)
		return r < 0 ? -1 : 1;
	if ((r = rde_cmp_u32(a->path_id, b->path_id)) != 0)
		return r;
	return rde_cmp_u32(RDE_PATH_PEER(a), RDE_PATH_PEER(b));
}
