/*
 * Whose routes reach whom: the connectivity model of tortiectl's
 * --dry-run.  From the plans of every node it answers, for one address
 * family, "which nodes learn the routes that node A originates (its
 * blocks)?".  A node that does not learn them cannot reach A's pods.
 *
 * The model, and what it leaves out:
 *  - Only sessions between Calico nodes count.  A session is up when
 *    both nodes have one for the other (peer address = the other node's
 *    address of the family), each side's peer AS is the other side's
 *    local AS, and one side dials (it is not passive and its port is
 *    the one the other node listens on).  Passwords, TTL security and
 *    source addresses are not compared.  Sessions to anything else
 *    (top-of-rack routers, external route reflectors) are left out: what
 *    such a router does with the routes is not in the datastore, so a
 *    node that relies on one is reported, and the caller says that the
 *    external peer may carry the routes after all.
 *  - Propagation follows RFC 4271 and RFC 4456, as a path-vector
 *    reachability: a route goes out on every session, except that one
 *    learned over iBGP from a non-client goes only to eBGP peers and to
 *    the node's route reflector clients; a node with a cluster ID
 *    (routeReflectorClusterID) reflects what it learned over iBGP; a
 *    route reflector drops a route whose cluster list holds its own
 *    cluster ID; a node drops a route whose AS path holds its own AS
 *    (unless allowLocalAS); eBGP prepends the sender's AS and drops the
 *    cluster list.  Any route a node holds is assumed to be one it may
 *    advertise: best-path selection, BGPFilters and disableBGPExport are
 *    not modelled, so the model can only miss a breakage, not invent
 *    one, except where it leaves out external peers.
 *  - AS paths and cluster lists are kept as sets of at most 64 distinct
 *    values (ASes and cluster IDs together); values beyond are not
 *    tracked, which again can only make more routes reach.
 *
 * The search is breadth first over states (node, how it learned the
 * route, which ASes and cluster IDs the route carries); a state whose
 * set includes one already seen at the same node and in the same way is
 * skipped, since it can do nothing the smaller one cannot.  Routes
 * learned from iBGP non-clients are only followed over the edges they
 * may take, so that a full mesh costs O(nodes) per origin.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "plan.h"
#include "util.h"

#define RC_MAXBITS	64
#define RC_MAX_STATES	(1 << 20)	/* per origin */

/* How a node learned a route. */
enum rc_class {
	RC_LOCAL,	/* originated, or learned over eBGP */
	RC_CLIENT,	/* over iBGP from a route reflector client */
	RC_NONCLIENT,	/* over iBGP from anybody else */
	RC_NCLASS
};

/* What the check needs of a session: plans are too big to keep. */
struct rc_sess {
	struct bgpd_addr peer;
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint16_t	 port;
	uint8_t		 passive;
	uint8_t		 rr_client;
	uint8_t		 allow_local_as;
};

/* One direction of an established session. */
struct rc_edge {
	size_t		 to;
	int		 ibgp;
	int		 from_client;	/* receiver's client is the sender */
	uint64_t	 sender_as;	/* bit of the sender's AS */
	uint64_t	 receiver_as;	/* bit of the receiver's; 0: allowed */
};

struct rc_edges {
	struct rc_edge	*v;
	size_t		 n;
};

struct rc_masks {
	uint64_t	*v;
	size_t		 n;
	size_t		 cap;
};

struct rc_node {
	int		 member;
	struct bgpd_addr addr;
	uint16_t	 listen_port;
	uint64_t	 cluster;	/* bit of its cluster ID, 0: none */
	struct rc_sess	*sess;		/* of the family, sorted by peer */
	size_t		 nsess;
	int		 external;
	struct rc_edges	 any;		/* eBGP, or iBGP to a client */
	struct rc_edges	 ibgp;		/* iBGP to a non-client */
	struct rc_masks	 seen[RC_NCLASS];
};

/* A node address, for finding the node a session goes to. */
struct rc_addr {
	struct bgpd_addr addr;
	size_t		 node;
};

struct rc_state {
	size_t		 node;
	enum rc_class	 class;
	uint64_t	 mask;
};

struct ctl_reach {
	int		 af;
	struct rc_node	*nodes;
	size_t		 n;
	struct rc_addr	*addrs;		/* sorted */
	size_t		 naddrs;
	uint32_t	 as_vals[RC_MAXBITS];
	struct bgpd_addr cl_vals[RC_MAXBITS];
	int		 is_as[RC_MAXBITS];
	size_t		 nbits;
	uint64_t	 clusters;	/* every cluster ID bit */
	struct rc_state	*queue;
	size_t		 nqueue;
	size_t		 capqueue;
	int		 truncated;
};

static int
rc_addr_cmp(const void *a, const void *b)
{
	const struct rc_addr	*x = a, *y = b;
	int			 c;

	if ((c = addr_cmp(&x->addr, &y->addr)) != 0)
		return c;
	return x->node < y->node ? -1 : x->node > y->node;
}

static int
rc_sess_cmp(const void *a, const void *b)
{
	const struct rc_sess	*x = a, *y = b;
	int			 c;

	if ((c = addr_cmp(&x->peer, &y->peer)) != 0)
		return c;
	return x->port < y->port ? -1 : x->port > y->port;
}

/* The first node whose address is a, or r->naddrs. */
static size_t
rc_addr_find(const struct ctl_reach *r, const struct bgpd_addr *a)
{
	size_t	 lo = 0, hi = r->naddrs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(&r->addrs[mid].addr, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->naddrs && addr_cmp(&r->addrs[lo].addr, a) == 0 ?
	    lo : r->naddrs;
}

/* The first session of nd towards a, or nd->nsess. */
static size_t
rc_sess_find(const struct rc_node *nd, const struct bgpd_addr *a)
{
	size_t	 lo = 0, hi = nd->nsess, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(&nd->sess[mid].peer, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The bit of an AS (as) or a cluster ID (cl); 0 when out of bits. */
static uint64_t
rc_bit(struct ctl_reach *r, uint32_t as, const struct bgpd_addr *cl)
{
	size_t	 i;

	for (i = 0; i < r->nbits; i++) {
		if (cl == NULL && r->is_as[i] && r->as_vals[i] == as)
			return (uint64_t)1 << i;
		if (cl != NULL && !r->is_as[i] &&
		    addr_cmp(&r->cl_vals[i], cl) == 0)
			return (uint64_t)1 << i;
	}
	if (r->nbits == RC_MAXBITS)
		return 0;
	r->is_as[r->nbits] = cl == NULL;
	if (cl == NULL)
		r->as_vals[r->nbits] = as;
	else
		r->cl_vals[r->nbits] = *cl;
	return (uint64_t)1 << r->nbits++;
}

/*
 * An empty graph of family af (AF_INET or AF_INET6) for n nodes; give it
 * their plans with ctl_reach_add(), then call ctl_reach_done().
 */
struct ctl_reach *
ctl_reach_new(size_t n, int af)
{
	struct ctl_reach	*r;

	r = xcalloc(1, sizeof(*r));
	r->af = af;
	r->n = n;
	r->nodes = xcalloc(n + 1, sizeof(*r->nodes));
	r->addrs = xcalloc(n + 1, sizeof(*r->addrs));
	return r;
}

/*
 * Node i's plan (NULL: the node has none).  Only what the check needs is
 * copied: the plan may be freed afterwards.  A node without an address
 * of the family does not take part.
 */
void
ctl_reach_add(struct ctl_reach *r, size_t i, const struct plan *p)
{
	const struct plan_prefix	*a;
	const struct plan_session	*s;
	struct rc_node			*nd;
	size_t				 j;

	if (i >= r->n || p == NULL)
		return;
	a = r->af == AF_INET6 ? &p->ipv6 : &p->ipv4;
	if (a->addr.af != r->af)
		return;
	nd = &r->nodes[i];
	nd->member = 1;
	nd->addr = a->addr;
	nd->listen_port = p->listen_port;
	if (p->cluster_id.af != 0) {
		nd->cluster = rc_bit(r, 0, &p->cluster_id);
		r->clusters |= nd->cluster;
	}
	nd->sess = xcalloc(p->nsessions + 1, sizeof(*nd->sess));
	for (j = 0; j < p->nsessions; j++) {
		s = &p->sessions[j];
		if (s->peer_ip.af != r->af)
			continue;
		nd->sess[nd->nsess].peer = s->peer_ip;
		nd->sess[nd->nsess].peer_as = s->peer_as;
		nd->sess[nd->nsess].local_as = s->local_as;
		nd->sess[nd->nsess].port = s->port;
		nd->sess[nd->nsess].passive = s->passive != 0;
		nd->sess[nd->nsess].rr_client = s->rr_client != 0;
		nd->sess[nd->nsess++].allow_local_as = s->allow_local_as != 0;
	}
	qsort(nd->sess, nd->nsess, sizeof(*nd->sess), rc_sess_cmp);
	r->addrs[r->naddrs].addr = nd->addr;
	r->addrs[r->naddrs++].node = i;
}

/*
 * Whether s (on node i, towards node j) and t (on j, towards i) make a
 * session that comes up.
 */
static int
rc_session_up(const struct ctl_reach *r, size_t i, size_t j,
    const struct rc_sess *s, const struct rc_sess *t)
{
	if (s->peer_as != t->local_as || t->peer_as != s->local_as)
		return 0;
	return (!s->passive && s->port == r->nodes[j].listen_port) ||
	    (!t->passive && t->port == r->nodes[i].listen_port);
}

static void
rc_edge_add(struct rc_edges *es, const struct rc_edge *e)
{
	es->v = xreallocarray(es->v, es->n + 1, sizeof(*es->v));
	es->v[es->n++] = *e;
}

/* The edge i -> j of session s, if j has a session back that comes up. */
static void
rc_link(struct ctl_reach *r, size_t i, size_t j, const struct rc_sess *s)
{
	const struct rc_node	*nj = &r->nodes[j];
	const struct rc_sess	*t;
	struct rc_edge		 e;
	size_t			 k;

	k = rc_sess_find(nj, &r->nodes[i].addr);
	for (; k < nj->nsess &&
	    addr_cmp(&nj->sess[k].peer, &r->nodes[i].addr) == 0; k++) {
		t = &nj->sess[k];
		if (!rc_session_up(r, i, j, s, t))
			continue;
		memset(&e, 0, sizeof(e));
		e.to = j;
		e.ibgp = s->peer_as == s->local_as;
		e.from_client = t->rr_client;
		e.sender_as = rc_bit(r, s->local_as, NULL);
		if (!t->allow_local_as)
			e.receiver_as = rc_bit(r, t->local_as, NULL);
		rc_edge_add(e.ibgp && !s->rr_client ? &r->nodes[i].ibgp :
		    &r->nodes[i].any, &e);
		return;
	}
}

/* Every node's plan is in: find the sessions that come up. */
void
ctl_reach_done(struct ctl_reach *r)
{
	struct rc_node	*nd;
	size_t		 i, j, k;

	qsort(r->addrs, r->naddrs, sizeof(*r->addrs), rc_addr_cmp);
	for (i = 0; i < r->n; i++) {
		nd = &r->nodes[i];
		for (j = 0; nd->member && j < nd->nsess; j++) {
			k = rc_addr_find(r, &nd->sess[j].peer);
			if (k == r->naddrs)
				nd->external = 1;
			else if (r->addrs[k].node != i)
				rc_link(r, i, r->addrs[k].node, &nd->sess[j]);
		}
	}
}

void
ctl_reach_free(struct ctl_reach *r)
{
	size_t	 i, c;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->nodes[i].sess);
		free(r->nodes[i].any.v);
		free(r->nodes[i].ibgp.v);
		for (c = 0; c < RC_NCLASS; c++)
			free(r->nodes[i].seen[c].v);
	}
	free(r->nodes);
	free(r->addrs);
	free(r->queue);
	free(r);
}

/* Whether node i takes part: it has a plan and an address of the family. */
int
ctl_reach_member(const struct ctl_reach *r, size_t i)
{
	return i < r->n && r->nodes[i].member;
}

/* Whether node i has sessions of the family to peers that are not nodes. */
int
ctl_reach_external(const struct ctl_reach *r, size_t i)
{
	return i < r->n && r->nodes[i].external;
}

/* Whether a search stopped at RC_MAX_STATES (its answer is incomplete). */
int
ctl_reach_truncated(const struct ctl_reach *r)
{
	return r->truncated;
}

/* Queue a state unless one with a subset of its mask was seen. */
static void
rc_push(struct ctl_reach *r, size_t node, enum rc_class class, uint64_t m)
{
	struct rc_masks	*s = &r->nodes[node].seen[class];
	size_t		 i;

	for (i = 0; i < s->n; i++)
		if ((s->v[i] & ~m) == 0)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 2 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = m;
	if (r->nqueue == r->capqueue) {
		r->capqueue = r->capqueue == 0 ? 64 : r->capqueue * 2;
		r->queue = xreallocarray(r->queue, r->capqueue,
		    sizeof(*r->queue));
	}
	r->queue[r->nqueue].node = node;
	r->queue[r->nqueue].class = class;
	r->queue[r->nqueue++].mask = m;
}

/* Send the route of state st over the edges es. */
static void
rc_send(struct ctl_reach *r, const struct rc_state *st,
    const struct rc_edges *es, size_t origin, uint8_t *reached)
{
	const struct rc_edge	*e;
	enum rc_class		 class;
	uint64_t		 m;
	size_t			 i;

	for (i = 0; i < es->n; i++) {
		e = &es->v[i];
		m = st->mask;
		if (!e->ibgp)
			m = (m & ~r->clusters) | e->sender_as;
		else if (st->class != RC_LOCAL)
			m |= r->nodes[st->node].cluster;
		if (e->to == origin || (m & e->receiver_as) != 0 ||
		    (e->ibgp && (m & r->nodes[e->to].cluster) != 0))
			continue;
		if (!e->ibgp)
			class = RC_LOCAL;
		else
			class = e->from_client ? RC_CLIENT : RC_NONCLIENT;
		reached[e->to] = 1;
		rc_push(r, e->to, class, m);
	}
}

/*
 * reached[i] (n bytes) becomes 1 for every node that learns the routes
 * that node origin originates, origin included; all 0 if origin is not
 * a member.
 */
void
ctl_reach_from(struct ctl_reach *r, size_t origin, uint8_t *reached)
{
	struct rc_state	 st;
	size_t		 i, c, head = 0;

	memset(reached, 0, r->n);
	for (i = 0; i < r->n; i++)
		for (c = 0; c < RC_NCLASS; c++)
			r->nodes[i].seen[c].n = 0;
	r->nqueue = 0;
	if (!ctl_reach_member(r, origin))
		return;
	reached[origin] = 1;
	rc_push(r, origin, RC_LOCAL, 0);
	while (head < r->nqueue) {
		if (head == RC_MAX_STATES) {
			r->truncated = 1;
			break;
		}
		/* A copy: sending may grow the queue and move it. */
		st = r->queue[head++];
		rc_send(r, &st, &r->nodes[st.node].any, origin, reached);
		if (st.class != RC_NONCLIENT)
			rc_send(r, &st, &r->nodes[st.node].ibgp, origin,
			    reached);
	}
}
