/*
 * ribd's core: Adj-RIB-In, Loc-RIB, decision process, route reflection,
 * Calico's export policy with BGPFilters, update groups and Adj-RIB-Out,
 * kernel route selection.  Everything in the rde_*.c files is pure: no
 * sockets, no event loop; the process around it (ribd.c) feeds it imsg
 * payloads and gives it a struct rde_io to send what it produces.  Unit
 * tests and the benchmark link these files alone (ribd/libribd.a).
 *
 * Memory model, built for a million prefixes:
 * - Path attributes are interned (rde_attr.c): one reference-counted
 *   copy per distinct set, found by hash, named by a 32-bit id.
 * - Prefixes and paths live in index slabs (rde_slab.c): fixed-size
 *   records in large chunks, named by 32-bit indexes, so that a prefix
 *   costs 32 bytes and a path 16, with no malloc per prefix.
 * - The prefix table is a hash over those indexes (rde_prefix.c).
 * - A prefix's paths form a list sorted best first (rde_rib.c).
 * - Every change of a best path is appended to one journal; each
 *   consumer of the Loc-RIB (an update group, the kernel) reads it at its
 *   own pace and compares with its own state: a 32-bit word per prefix
 *   (rde_out.c, rde_kernel.c).  Changes that cancel out within a round
 *   send nothing.
 * - Peers with the same outbound settings share one update group: the
 *   export decision and the encoded UPDATEs are computed once and the
 *   same bytes go to every member.
 */
#ifndef TORTIE_RDE_H
#define TORTIE_RDE_H

#include <sys/queue.h>
#include <sys/tree.h>

#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"
#include "ribconf.h"
#include "tortie.h"
#include "../kroute/kr.h"

#define RDE_NIL			0	/* no index */

/* Well-known values. */
#define RDE_LOCAL_PREF_DEFAULT	100
#define RDE_PRIORITY_MAX	2147483647	/* Calico's priority base */
#define RDE_GR_TIME_DEFAULT	120

/*
 * Index slabs: records of one size in chunks of 2^RDE_SLAB_SHIFT, named
 * by 32-bit indexes from 1.  A freed record keeps its bytes beyond the
 * first four, which hold the free list.
 */
#define RDE_SLAB_SHIFT		14
#define RDE_SLAB_CHUNK		(1U << RDE_SLAB_SHIFT)
#define RDE_SLAB_MASK		(RDE_SLAB_CHUNK - 1)

struct rde_slab {
	uint8_t		**chunks;
	size_t		 esize;
	uint32_t	 nchunks;
	uint32_t	 next;		/* first index never handed out */
	uint32_t	 free;		/* free list */
	uint32_t	 count;		/* records in use */
};

static inline void *
rde_slab_get(const struct rde_slab *s, uint32_t i)
{
	return s->chunks[i >> RDE_SLAB_SHIFT] +
	    (size_t)(i & RDE_SLAB_MASK) * s->esize;
}

/*
 * Interned path attributes.  The key is the fixed part k plus data, which
 * holds, in this order: AS_PATH (4-octet ASes), COMMUNITIES,
 * EXT_COMMUNITIES, LARGE_COMMUNITIES, CLUSTER_LIST, unknown transitive
 * attributes (encoded).  Values are in host order as in struct bgp_attrs.
 * A nexthop of af 0 means "this node" (originated routes).
 */
struct rde_akey {
	uint64_t	 present;	/* BGP_ATTR_BIT(type) */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggregator_as;
	uint32_t	 aggregator_id;
	uint32_t	 originator_id;
	uint32_t	 neighbor_as;	/* derived: first AS, 0 if none */
	struct bgpd_addr nexthop;
	struct bgpd_addr nexthop_ll;
	uint8_t		 origin;
	uint8_t		 pad;
	uint16_t	 aspath_count;	/* derived: length for selection */
	uint16_t	 aspath_len;
	uint16_t	 comm_len;
	uint16_t	 ext_len;
	uint16_t	 large_len;
	uint16_t	 cluster_len;
	uint16_t	 unknown_len;
};

enum rde_apart {
	RDE_AP_ASPATH,
	RDE_AP_COMM,
	RDE_AP_EXT,
	RDE_AP_LARGE,
	RDE_AP_CLUSTER,
	RDE_AP_UNKNOWN,
	RDE_AP_MAX
};

/*
 * A set's reference count is not in it but in rde_attr_refs[id]: the
 * counts of every set fit in a few megabytes, so that taking and
 * dropping references (every route change does) stays in the cache.
 * A set whose count drops to 0 stays, dead, until rde_attr_reclaim()
 * frees it; interning it again before that revives it.
 */
struct rde_attrs {
	uint64_t	 serial;	/* unique for the process's life */
	uint32_t	 id;
	uint32_t	 datalen;
	struct rde_akey	 k;
	uint8_t		 data[];
};

/*
 * A set of attributes being built or modified: the fixed part and, per
 * variable part, a pointer that refers either to an interned set's data
 * (unchanged) or to the builder's own buffer (modified).
 */
struct rde_abuild {
	struct rde_akey	 k;
	const uint8_t	*part[RDE_AP_MAX];
	uint16_t	 len[RDE_AP_MAX];
	uint8_t		*buf[RDE_AP_MAX];	/* BGP_MAXLEN_EXT each */
};

/*
 * Index hash tables (rde_hash.c): buckets of one cache line, entries of
 * an 8-bit tag of the hash and a 24-bit index, so at most
 * RDE_HT_IDX_MAX records.
 */
#define RDE_HT_IDX_MAX		0x00ffffffU
#define RDE_HT_MIN		64	/* buckets */
#define RDE_HT_AHEAD		8	/* buckets fetched ahead, in loops */

struct rde_ht {
	uint32_t	*b;		/* nbuckets lines of 16 words */
	uint32_t	 nbuckets;
	uint32_t	 count;
};

struct rde_ht_iter {
	const struct rde_ht	*ht;
	const uint32_t		*b;
	int			 slot;
	uint32_t		 tag;
	uint32_t		 probes;
};

/* Prefixes: 32 bytes, in a slab. */
#define RDE_AID_FREE		0xff	/* record is on the free list */

#define RDE_PFX_LOCAL		0x01	/* has an originated path */

struct rde_prefix {
	uint8_t		 addr[16];
	uint8_t		 aid;
	uint8_t		 plen;
	uint8_t		 flags;
	uint8_t		 pad;
	uint32_t	 pad2;
	uint32_t	 paths;		/* best first */
	uint32_t	 jpos;		/* 1 + journal position, last append */
};
_Static_assert(sizeof(struct rde_prefix) == 32, "rde_prefix size");

/* Paths: 16 bytes, in a slab. */
#define RDE_PATH_PEER_MASK	0x00ffffffU
#define RDE_PATH_STALE		0x01000000U	/* graceful restart */
#define RDE_PATH_UNREACH	0x02000000U	/* next hop unreachable */

struct rde_path {
	uint32_t	 next;
	uint32_t	 peer;		/* peer index | RDE_PATH_* flags */
	uint32_t	 attrs;		/* attribute id */
	uint32_t	 path_id;	/* ADD-PATH identifier, 0 if none */
};
_Static_assert(sizeof(struct rde_path) == 16, "rde_path size");

#define RDE_PATH_PEER(p)	((p)->peer & RDE_PATH_PEER_MASK)

/*
 * The journal of best-path changes and its readers.  Positions are
 * absolute and wrap; compare them with rde_jr_before().
 */
struct rde_journal {
	uint32_t	*v;
	uint32_t	 base;		/* position of v[0] */
	uint32_t	 len;
	uint32_t	 cap;
};

struct rde_reader {
	uint32_t	 pos;		/* next journal position to read */
	uint32_t	 walk;		/* next prefix index of a full walk */
	uint8_t		 walking;	/* full walk in progress */
	uint8_t		 initial;	/* that walk is the first one */
};

/* Configuration (rde_conf.c), swapped whole at IMSG_RECONF_DONE. */
struct rde_cprefix {
	struct bgpd_addr addr;
	uint8_t		 plen;
	uint8_t		 aid;
};

struct rde_pool {
	struct rde_cprefix pfx;
	uint8_t		 ipip;
	uint8_t		 vxlan;
	uint32_t	 flags;		/* RC_POOL_* */
};

struct rde_orig {
	struct rde_cprefix pfx;
	uint8_t		 kind;		/* enum rc_orig_kind */
	uint16_t	 flags;		/* RC_ORIG_F_* */
};

struct rde_comms {
	struct rde_cprefix pfx;
	uint8_t		 ncomms;
	struct rc_comm	 comms[RC_COMMS_MAX];
};

/* One BGPFilter rule, as ribd evaluates it. */
struct rde_frule {
	struct imsg_filter_rule	 r;
	uint32_t		 id;	/* unique within a configuration */
};

/*
 * The rules of one peer, per direction and family, interned so that
 * peers with equal rules share one policy (and can share a group).
 */
#define RDE_FDIR_IMPORT		0
#define RDE_FDIR_EXPORT		1

struct rde_policy {
	TAILQ_ENTRY(rde_policy)	 entry;
	uint32_t		 refcnt;
	struct rde_frule	*rules[2][BGP_AID_MAX];
	uint32_t		 nrules[2][BGP_AID_MAX];
};
TAILQ_HEAD(rde_policy_list, rde_policy);

struct rde_conf {
	struct imsg_global	 global;
	int			 have_global;
	struct rde_pool		*pools;
	size_t			 npools;
	struct rde_orig		*origs;
	size_t			 norigs;
	struct rde_comms	*comms;
	size_t			 ncomms;
	struct imsg_filter_rule	*rules;		/* as received */
	size_t			 nrules;
	uint32_t		 gen;		/* configuration number */
};

/* Peers. */
#define RDE_PEER_UP		0x0001	/* session established */
#define RDE_PEER_DEAD		0x0002	/* reset asked: ignore its UPDATEs */
#define RDE_PEER_XOFF		0x0004	/* sessiond's queue is full */
#define RDE_PEER_BUSY		0x0008	/* our pipe to its sessiond is full */
#define RDE_PEER_DELETED	0x0010	/* deconfigured; freed when empty */
#define RDE_PEER_COUNTS		0x0020	/* counts changed since reported */
#define RDE_PEER_LOCAL		0x0040	/* the node itself (index 0) */

/* What a session's end does to its routes (struct rde_peer down_mode). */
#define RDE_DOWN_NONE		0
#define RDE_DOWN_STALE		1	/* keep them, stale (RFC 4724) */
#define RDE_DOWN_FLUSH		2	/* withdraw them */

/* A dump of a group's Adj-RIB-Out to one member. */
struct rde_dump {
	uint32_t	 pos;		/* next prefix index */
	uint8_t		 active;
	uint8_t		 aidmask;	/* families to dump */
	uint8_t		 eorr;		/* enhanced refresh: send EoRR */
	uint8_t		 pad;
	uint8_t		*was;		/* bitmap: advertised before a move */
	uint32_t	 wascap;	/* bits */
};

struct rde_group;

struct rde_peer {
	RB_ENTRY(rde_peer)	 entry;		/* by peerid */
	uint32_t		 idx;
	uint32_t		 sid;		/* session id, for caches */
	uint32_t		 flags;		/* RDE_PEER_* */
	struct imsg_peer	 conf;
	struct bgp_sess		 sess;
	uint32_t		 remote_id;	/* host order */
	struct bgpd_addr	 local_addr;
	struct bgpd_addr	 remote_addr;
	struct rde_policy	*policy;
	struct rde_group	*group;
	TAILQ_ENTRY(rde_peer)	 gentry;
	uint8_t			 slot;		/* in the group, 1..255 */
	uint8_t			 eor_pending;	/* initial EoR still to send */
	uint8_t			 eor_rcvd;	/* bit per aid */
	uint8_t			 stale_aids;	/* bit per aid with stale */
	uint8_t			 down_mode;	/* RDE_DOWN_*, while stopping */
	struct rde_dump		 dump;
	uint64_t		 stale_deadline; /* ms, 0: none */
	uint64_t		 counts_sent;	/* ms of the last report */
	uint32_t		 prefixes_in;
	uint32_t		 prefixes_best;
	uint32_t		 filtered;
	uint32_t		 stale;
	uint32_t		 withdrawn_7606;
};
RB_HEAD(rde_peer_tree, rde_peer);
int		 rde_peer_cmp(const struct rde_peer *, const struct rde_peer *);
RB_PROTOTYPE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)

/*
 * What makes peers share an update group: everything that changes the
 * bytes of their UPDATEs or the export decision.
 */
struct rde_gkey {
	uint8_t			 as4;
	uint8_t			 ebgp;
	uint8_t			 rr_client;
	uint8_t			 nexthop;	/* enum peer_nexthop */
	uint8_t			 on_subnet;	/* peer in the node's subnet */
	uint8_t			 af[BGP_AID_MAX];
	uint8_t			 addpath_tx[BGP_AID_MAX];
	uint8_t			 pad;
	uint16_t		 maxlen;
	uint32_t		 local_as;
	struct bgpd_addr	 self4;		/* next hop self, IPv4 */
	struct bgpd_addr	 self6;		/* next hop self, IPv6 */
	struct rde_policy	*policy;
};

/* A direct-mapped cache of export attribute transformations. */
#define RDE_MEMO_SIZE		1024

struct rde_memo {
	uint64_t		 serial;	/* input attributes */
	uint64_t		 comm_mask;
	uint32_t		 src;		/* source peer's session id */
	uint32_t		 rule;		/* BGPFilter rule id, 0 none */
	uint32_t		 out;		/* output attr id, 0 empty */
	uint8_t			 aid;
	uint8_t			 pad[3];
};

/*
 * Changes of one round, bucketed by attributes and recipients.  The
 * prefixes of all buckets share one array of entries (struct rde_group
 * bent), each bucket a list in the order they came: a bucket of its own
 * array would keep its capacity for good, and a round of thousands of
 * small buckets held megabytes.
 */
struct rde_bucket {
	uint64_t		 key;
	uint32_t		 first;		/* entry + 1, 0 for none */
	uint32_t		 last;
	uint32_t		 n;
};

struct rde_bent {
	uint32_t		 pfx;
	uint32_t		 next;		/* entry + 1, 0 at the end */
};

#define RDE_GROUP_SLOTS		256	/* slot 0 means "none" */

struct rde_group {
	TAILQ_ENTRY(rde_group)	 entry;
	uint32_t		 id;
	struct rde_gkey		 key;
	struct bgp_sess		 sess;		/* for encoding */
	TAILQ_HEAD(, rde_peer)	 members;
	uint32_t		 nmembers;
	struct rde_peer		*slots[RDE_GROUP_SLOTS];
	struct rde_reader	 rd;
	uint32_t		*out;		/* attr id << 8 | slot */
	uint32_t		 outcap;
	uint32_t		 n_adv;		/* non-zero entries */
	int			 counts_dirty;	/* members' counts changed */
	uint32_t		 n_excl[RDE_GROUP_SLOTS];
	struct rde_memo		*memo;
	struct rde_bucket	*buckets;
	uint32_t		 nbuckets;
	uint32_t		 bcap;
	struct rde_bent		*bent;		/* the buckets' prefixes */
	uint32_t		 nbent;
	uint32_t		 bentcap;
	uint32_t		*bidx;		/* hash: bucket index + 1 */
	uint32_t		 bidxcap;
};
TAILQ_HEAD(rde_group_list, rde_group);

/* Out-table words. */
#define RDE_OUT_ATTR(v)		((v) >> 8)
#define RDE_OUT_SLOT(v)		((v) & 0xff)
#define RDE_OUT(a, s)		(((uint32_t)(a) << 8) | (uint32_t)(s))
#define RDE_ATTR_ID_MAX		0x00ffffffU

/*
 * What the core asks of the process around it.  peer_send gets complete
 * BGP messages back to back for one peer; kroute an array of routes,
 * applied in order (IMSG_KROUTE_CHANGE or _DELETE).
 */
struct rde_io {
	void	(*peer_send)(const struct rde_peer *, const uint8_t *, size_t,
		    void *);
	void	(*peer_notify)(const struct rde_peer *, uint8_t, uint8_t,
		    const uint8_t *, size_t, void *);
	void	(*kroute)(uint32_t, const struct kroute *, size_t, void *);
	void	(*kroute_sync)(void *);
	void	(*counts)(const struct imsg_peer_counts *, void *);
	void	*arg;
};

/* Statistics for tests and the benchmark. */
struct rde_stats {
	uint64_t	 updates_in;
	uint64_t	 prefixes_in;
	uint64_t	 withdraws_in;
	uint64_t	 msgs_out;
	uint64_t	 bytes_out;
	uint64_t	 kroute_changes;
	uint64_t	 kroute_deletes;
	uint64_t	 memo_hits;
	uint64_t	 memo_misses;
	uint64_t	 nh_events;	/* interface view changes */
	uint64_t	 nh_changes;	/* next hops whose state changed */
	uint64_t	 nh_rechecks;	/* prefixes they re-evaluated */
};

/* The process-wide state of the core. */
struct rde {
	struct rde_io		 io;
	struct rde_conf		 conf;
	struct rde_conf		 next;		/* being received */
	int			 in_reconf;
	struct rde_policy_list	 policies;
	struct rde_peer_tree	 peertree;
	struct rde_peer	       **peers;		/* by index; [0] is local */
	uint32_t		 npeers;	/* size of peers[] */
	uint32_t		 sids;		/* last session id handed out */
	struct rde_group_list	 groups;
	uint32_t		 group_ids;
	struct rde_journal	 jr;
	int			 jr_readers;	/* anyone reading it */
	uint32_t		 jr_floor;	/* furthest reader position */
	struct rde_reader	 krd;		/* the kernel's reader */
	int			 kernel;	/* kernel install enabled */
	uint64_t		*kout;		/* attr id | priority << 32 */
	uint32_t		 koutcap;
	struct kroute		*kbuf;		/* pending kernel changes */
	uint32_t		 kbuf_n;
	uint32_t		 kbuf_type;
	int			 kernel_synced;
	uint64_t		 start_ms;
	uint64_t		 now;		/* ms, set by the caller */
	struct rde_stats	 stats;
	struct rde_peer	       **mig;		/* peers changing groups */
	uint32_t		 nmig;
	uint8_t			*obuf;		/* staged, one recipient set */
	size_t			 olen;
	struct bgp_packer	*packer;
};

extern struct rde	*rde;

/* The tables behind the accessors the hot paths inline. */
extern struct rde_slab	 rde_pfx_slab;
extern struct rde_slab	 rde_path_slab;
extern struct rde_attrs	**rde_attr_tab;
extern uint32_t		*rde_attr_refs;

static inline struct rde_prefix *
rde_prefix_at(uint32_t i)
{
	return rde_slab_get(&rde_pfx_slab, i);
}

static inline struct rde_path *
rde_path_at(uint32_t i)
{
	return rde_slab_get(&rde_path_slab, i);
}

static inline struct rde_attrs *
rde_attr_get(uint32_t id)
{
	return rde_attr_tab[id];
}

/* rde_slab.c */
void		 rde_slab_init(struct rde_slab *, size_t);
void		 rde_slab_free_all(struct rde_slab *);
uint32_t	 rde_slab_alloc(struct rde_slab *);
void		 rde_slab_release(struct rde_slab *, uint32_t);
size_t		 rde_slab_bytes(const struct rde_slab *);

/* rde_attr.c */
void		 rde_attr_init(void);
void		 rde_attr_shutdown(void);
void		 rde_attr_ref(uint32_t);
void		 rde_attr_unref(uint32_t);
uint32_t	 rde_attr_intern(struct rde_abuild *);
uint32_t	 rde_attr_refcnt(uint32_t);
int		 rde_attr_reclaim(size_t *);
size_t		 rde_attr_count(void);
size_t		 rde_attr_bytes(void);
const uint8_t	*rde_attr_part(const struct rde_attrs *, enum rde_apart,
		    uint16_t *);
void		 rde_ab_init(struct rde_abuild *);
void		 rde_ab_free(struct rde_abuild *);
void		 rde_ab_reset(struct rde_abuild *);
void		 rde_ab_from(struct rde_abuild *, const struct rde_attrs *);
uint8_t		*rde_ab_edit(struct rde_abuild *, enum rde_apart);
int		 rde_ab_set_aspath(struct rde_abuild *, const uint8_t *,
		    size_t);
int		 rde_ab_prepend(struct rde_abuild *, uint32_t, int);
int		 rde_ab_add_comm(struct rde_abuild *, uint32_t);
int		 rde_ab_add_large(struct rde_abuild *, uint32_t, uint32_t,
		    uint32_t);
int		 rde_ab_cluster_prepend(struct rde_abuild *, uint32_t);
void		 rde_ab_drop(struct rde_abuild *, uint8_t);
void		 rde_ab_normalize(struct rde_abuild *);
void		 rde_attr_to_bgp(const struct rde_attrs *, struct bgp_attrs *);
int		 rde_attr_has_comm(const struct rde_attrs *, uint32_t);
int		 rde_attr_has_large(const struct rde_attrs *, uint32_t,
		    uint32_t, uint32_t);

/* rde_hash.c */
void		 rde_ht_init(struct rde_ht *, uint32_t);
void		 rde_ht_free(struct rde_ht *);
uint32_t	 rde_ht_find(const struct rde_ht *, uint32_t,
		    struct rde_ht_iter *);
uint32_t	 rde_ht_next(struct rde_ht_iter *);
void		 rde_ht_prefetch(const struct rde_ht *, uint32_t);
void		 rde_ht_insert(struct rde_ht *, uint32_t, uint32_t);
void		 rde_ht_remove(struct rde_ht *, uint32_t, uint32_t);
int		 rde_ht_full(const struct rde_ht *);
uint32_t	 rde_ht_bigger(const struct rde_ht *);
size_t		 rde_ht_bytes(const struct rde_ht *);

/* rde_prefix.c */
void		 rde_prefix_init(void);
void		 rde_prefix_shutdown(void);
uint32_t	 rde_prefix_find(uint8_t, const uint8_t *, uint8_t);
uint32_t	 rde_prefix_get(uint8_t, const uint8_t *, uint8_t);
void		 rde_prefix_gc(uint32_t);
void		 rde_prefix_prefetch(uint8_t, const uint8_t *, uint8_t);
void		 rde_prefix_prefetch_gc(uint32_t);
uint32_t	 rde_prefix_count(void);
uint32_t	 rde_prefix_limit(void);
size_t		 rde_prefix_bytes(void);
void		 rde_prefix_to_addr(const struct rde_prefix *,
		    struct bgpd_addr *);
int		 rde_prefix_cmp(const struct rde_prefix *,
		    const struct rde_prefix *);

/* rde_rib.c */
void		 rde_rib_init(void);
void		 rde_rib_shutdown(void);
int		 rde_rib_update(uint8_t, const uint8_t *, uint8_t,
		    struct rde_peer *, uint32_t, uint32_t);
int		 rde_rib_withdraw(uint8_t, const uint8_t *, uint8_t,
		    struct rde_peer *, uint32_t);
void		 rde_rib_flush_peer(struct rde_peer *, int, int);
void		 rde_rib_mark_stale(struct rde_peer *, int);
void		 rde_rib_walk_down(void);
void		 rde_rib_sweep_stale(struct rde_peer *, int);
uint32_t	 rde_rib_best(const struct rde_prefix *);
size_t		 rde_path_bytes(void);
uint32_t	 rde_path_count(void);
void		 rde_journal_add(uint32_t, struct rde_prefix *);
int		 rde_jr_before(uint32_t, uint32_t);

/* rde_rib.c: next hop changes */
int		 rde_rib_recheck(uint32_t, const struct bgpd_addr *, int);

/* rde_nexthop.c */
void		 rde_nexthop_init(void);
void		 rde_nexthop_shutdown(void);
int		 rde_nexthop_event(const struct kr_event *);
void		 rde_nexthop_dump_done(void);
int		 rde_nexthop_ready(void);
void		 rde_nexthop_ref(uint32_t, const struct rde_attrs *);
void		 rde_nexthop_unref(const struct rde_attrs *);
uint32_t	 rde_nexthop_flag(const struct rde_attrs *,
		    const struct rde_peer *);
int		 rde_nexthop_iface_match(const char *,
		    const struct rde_attrs *);
size_t		 rde_nexthop_count(void);
size_t		 rde_nexthop_bytes(void);

/* rde_decide.c */
int		 rde_decide_cmp(const struct rde_path *,
		    const struct rde_path *);
struct rde_peer	*rde_path_peer(const struct rde_path *);

/* rde_policy.c */
int		 rde_pfx_in(const struct rde_prefix *,
		    const struct rde_cprefix *);
int		 rde_frule_match(const struct rde_frule *,
		    const struct rde_prefix *, const struct rde_attrs *, int,
		    int, int64_t);
int		 rde_frule_apply(const struct rde_frule *,
		    struct rde_abuild *);
const struct rde_frule *rde_filter_eval(const struct rde_policy *, int,
		    const struct rde_prefix *, const struct rde_attrs *, int,
		    int, int64_t, int *);
uint64_t	 rde_calico_comm_mask(const struct rde_prefix *);
int		 rde_calico_export(const struct rde_prefix *, int,
		    uint64_t *);
int		 rde_calico_add_comms(const struct rde_prefix *,
		    struct rde_abuild *);
uint32_t	 rde_export_local_pref(const struct rde_attrs *, int,
		    uint8_t);
int		 rde_calico_kernel(const struct rde_prefix *,
		    const struct rde_attrs *, int, struct kroute *);
uint32_t	 rde_priority_of(const struct rde_attrs *, int, uint8_t);

/* rde_export.c */
uint32_t	 rde_export(struct rde_group *, const struct rde_prefix *);
uint32_t	 rde_export_attrs(struct rde_group *, const struct rde_attrs *,
		    const struct rde_peer *, const struct rde_prefix *,
		    const struct rde_frule *, uint64_t);
int		 rde_export_allowed(const struct rde_group *,
		    const struct rde_peer *, const struct rde_attrs *);

/* rde_out.c */
void		 rde_out_init(void);
void		 rde_out_shutdown(void);
void		 rde_group_join(struct rde_peer *);
void		 rde_group_leave(struct rde_peer *);
void		 rde_group_key(const struct rde_peer *, struct rde_gkey *);
void		 rde_group_resync_all(void);
void		 rde_group_memo_clear(struct rde_group *);
void		 rde_peer_regroup(struct rde_peer *);
void		 rde_peer_refresh(struct rde_peer *, uint8_t, int);
uint32_t	 rde_group_out(const struct rde_group *, uint32_t);
uint32_t	 rde_peer_adv_count(const struct rde_peer *);
int		 rde_out_run(size_t *);
int		 rde_prefix_in_use(uint32_t);
void		 rde_out_send(struct rde_peer *, const uint8_t *, size_t);

/* rde_kernel.c */
void		 rde_kernel_init(void);
void		 rde_kernel_shutdown(void);
int		 rde_kernel_run(size_t *);
void		 rde_kernel_resync(void);
void		 rde_kernel_flush(void);
uint32_t	 rde_kernel_out(uint32_t);
void		 rde_kernel_config(void);
int		 rde_kernel_idle(void);

/* rde_peer.c */
void		 rde_peer_init(void);
struct rde_peer	*rde_peer_find(uint32_t);
struct rde_peer	*rde_peer_local(void);
int		 rde_peer_add(const struct imsg_peer *);
void		 rde_peer_del(uint32_t);
int		 rde_peer_up(const struct imsg_session_up *);
void		 rde_peer_down(const struct imsg_session_down *);
void		 rde_peer_xoff(uint32_t, int);
void		 rde_peer_busy_group(uint32_t, int);
void		 rde_peer_group_lost(uint32_t);
void		 rde_peer_eor(struct rde_peer *, uint8_t);
void		 rde_peer_changed(struct rde_peer *);
void		 rde_peer_report(struct rde_peer *, int);
void		 rde_peer_timers(void);
uint64_t	 rde_peer_next_timer(void);
void		 rde_peer_free_all(void);
void		 rde_peer_ask_refresh(struct rde_peer *);
int		 rde_peer_converged(void);

/* rde_export.c (peer kinds) */
int		 rde_peer_is_ebgp(const struct rde_peer *);
int		 rde_peer_is_ibgp(const struct rde_peer *);

/* rde_update.c */
int		 rde_update_input(struct rde_peer *, const uint8_t *, size_t);
int		 rde_refresh_input(struct rde_peer *, const uint8_t *, size_t);

/* rde_conf.c */
void		 rde_conf_free(struct rde_conf *);
int		 rde_conf_start(void);
int		 rde_conf_global(const struct imsg_global *);
int		 rde_conf_pool(const struct imsg_pool *);
int		 rde_conf_originate(const struct imsg_originate *);
int		 rde_conf_community(const struct imsg_community *);
int		 rde_conf_filter(const struct imsg_filter_rule *);
int		 rde_conf_done(void);
struct rde_policy *rde_policy_for(uint32_t);
void		 rde_policy_unref(struct rde_policy *);
uint32_t	 rde_router_id(void);
uint32_t	 rde_cluster_id(void);

/* rde_show.c */
struct jsonw;
int		 rde_show_parse(const char *, size_t, struct rde_cprefix *,
		    int *);
uint32_t	*rde_show_collect(const struct rde_cprefix *, int, size_t *);
void		 rde_show_prefix(struct jsonw *, uint32_t);

/* rde_core.c */
void		 rde_init(const struct rde_io *);
void		 rde_shutdown(void);
int		 rde_run(size_t);
void		 rde_set_now(uint64_t);
uint64_t	 rde_next_timer(void);
void		 rde_timers(void);
size_t		 rde_mem_bytes(void);

#endif
