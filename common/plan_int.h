/*
 * Internals of the peering compiler, shared by plan*.c only.
 */
#ifndef TORTIE_PLAN_INT_H
#define TORTIE_PLAN_INT_H

#include <sys/tree.h>

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "resource.h"
#include "selector.h"
#include "util.h"

/* Index of a family in the per-family arrays: 0 IPv4, 1 IPv6. */
#define PLAN_FAM(af)	((af) == AF_INET6 ? 1 : 0)
#define PLAN_AF(fam)	((fam) == 1 ? AF_INET6 : AF_INET)

/* What the compiler needs of one Node, computed once. */
struct plan_nodeinfo {
	const struct res_node	*rn;
	const char		*name;
	struct bgpd_addr	 ip[2];		/* af 0: no address */
	int			 plen[2];
	char			 ipstr[2][ADDRSTRLEN];	/* "" if none */
	uint32_t		 asn;		/* node AS, else global */
	struct bgpd_addr	 cluster_id;	/* af 0: not an RR */
	uint16_t		 node_port;	/* node.<n> listenPort or 0 */
	uint16_t		 port;		/* node_port, else global, 0 */
	struct sel_labels	 labels;
};

/* A Calico node address, for lookups by peerIP. */
struct plan_addrent {
	struct bgpd_addr	 addr;
	size_t			 node;		/* index in ctx->nodes */
};

/*
 * One emitted BGPPeer-derived peering (a key of CALICO.md 2.5).  Only
 * the global scope and this node's scope exist here, and every global key
 * is emitted before any node key, so one tree over (address, port key)
 * implements both "first writer wins" and "global beats node".
 */
struct plan_entry {
	RB_ENTRY(plan_entry)	 link;
	int			 global;
	struct bgpd_addr	 ip;
	uint16_t		 port;		/* 0: none */
	uint16_t		 portkey;	/* port, 0 for 0 and 179 */
	uint32_t		 peer_as;
	int			 forward_ip;	/* peerIP: localAS etc. apply */
	int			 calico_node;
	int			 reverse;
	struct bgpd_addr	 peer_cluster_id;
	size_t			 peer_node;	/* SIZE_MAX: not a node */
	const struct res_bgppeer *bp;
};

RB_HEAD(plan_entry_tree, plan_entry);

struct plan_secret;

struct plan_ctx {
	const struct res_set	*rs;
	const struct plan_opts	*opts;
	struct plan		*p;
	const struct res_bgpconfig *defcfg;	/* "default" or NULL */
	const struct res_bgpconfig *nodecfg;	/* "node.<n>" or NULL */
	uint32_t		 global_as;
	uint16_t		 global_port;	/* 0: unset */
	struct plan_nodeinfo	*nodes;		/* sorted by name */
	size_t			 nnodes;
	struct plan_nodeinfo	*self;
	struct plan_addrent	*byaddr;	/* sorted by address, node */
	size_t			 nbyaddr;
	const struct res_bgppeer **peers;	/* sorted by name */
	size_t			 npeers;
	struct plan_entry_tree	 entries;
	size_t			 scap;		/* p->sessions allocated */
	size_t			 fcap;		/* p->filters allocated */
	struct plan_secret	*secrets;	/* resolved secretKeyRefs */
	size_t			 nsecrets;
	char			*err;
	size_t			 errlen;
};

/* plan.c */
void		 plan_warn(struct plan_ctx *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
int		 plan_fail(struct plan_ctx *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
struct plan_session *plan_session_add(struct plan_ctx *);
void		 plan_session_password(struct plan_ctx *,
		    const struct res_password *, struct plan_session *);
struct plan_nodeinfo *plan_node_find(struct plan_ctx *, const char *);
uint32_t	 plan_duration_secs(int64_t);

/* plan_peer.c */
int		 plan_peers(struct plan_ctx *);
void		 plan_entries_free(struct plan_ctx *);

/* plan_export.c */
int		 plan_export(struct plan_ctx *);
int		 plan_session_filters(struct plan_ctx *,
		    const struct res_bgppeer *, struct plan_session *);
void		 plan_filters_sort(struct plan_ctx *);
void		 plan_prefix_set(struct plan_prefix *,
		    const struct bgpd_addr *, int);

#endif
