/*
 * ribd's configuration besides its peers: what the node is, the IP pools,
 * what it originates, the communities it attaches and the BGPFilter rules
 * of each peer (CALICO.md 2.8 and 2.9).  The parent streams one complete
 * configuration, and ribd swaps it in atomically at DONE:
 *
 *	IMSG_RECONF_START
 *	IMSG_RECONF_GLOBAL	exactly one struct imsg_global
 *	IMSG_RECONF_POOL	any number of struct imsg_pool
 *	IMSG_RECONF_ORIGINATE	any number of struct imsg_originate
 *	IMSG_RECONF_COMMUNITY	any number of struct imsg_community
 *	IMSG_RECONF_FILTER	any number of struct imsg_filter_rule
 *	IMSG_RECONF_DONE
 *
 * All with hdr.peerid 0 and exactly the payload size.  Peers come
 * separately (IMSG_PEER_ADD / IMSG_PEER_DEL); the filter rules name the
 * peerid they belong to, and a peer's rules of one direction and family
 * are evaluated in the order they arrive.  Order within the other kinds
 * does not matter except where noted.
 *
 * Payloads are pointer-free with fixed sizes.  Addresses are masked
 * prefixes; multi-octet integers are in host byte order except the BGP
 * identifiers, which are in network byte order as in struct imsg_peer.
 *
 * ribconf_from_plan() turns a struct plan into this stream, so that the
 * parent only sends what it returns.
 */
#ifndef TORTIE_RIBCONF_H
#define TORTIE_RIBCONF_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* struct imsg_global flags */
#define RC_F_KERNEL_INSTALL	0x0001	/* program the kernel FIB */
#define RC_F_LB_AGGREGATION	0x0002	/* serviceLoadBalancerAggregation */

/* programClusterRoutes (CALICO.md 2.8, kernel programming step 4). */
enum rc_cluster_routes {
	RC_PCR_ENABLED = 1,		/* IPIP and no-encap pools */
	RC_PCR_DISABLED,		/* none */
	RC_PCR_IPIP_ONLY,		/* IPIP pools */
	RC_PCR_NOENCAP_ONLY,		/* ipip and vxlan Never (default) */
};

struct imsg_global {
	uint32_t	 local_as;	/* the node's AS */
	uint32_t	 router_id;	/* network byte order */
	uint32_t	 cluster_id;	/* network byte order; 0: not an RR */
	uint32_t	 flags;		/* RC_F_* */
	struct bgpd_addr ipv4;		/* node IPv4 address; af 0: none */
	struct bgpd_addr ipv6;		/* node IPv6 address; af 0: none */
	uint8_t		 ipv4_plen;	/* prefix length of its subnet */
	uint8_t		 ipv6_plen;
	uint8_t		 cluster_routes; /* enum rc_cluster_routes */
	uint8_t		 pad;
	int32_t		 ipv4_priority;	/* ipv4NormalRoutePriority */
	int32_t		 ipv6_priority;	/* ipv6NormalRoutePriority */
	uint32_t	 pad2;
};
_Static_assert(sizeof(struct imsg_global) == 72, "imsg_global size");

/* Encapsulation modes of a pool. */
enum rc_encap {
	RC_ENCAP_NEVER = 0,
	RC_ENCAP_ALWAYS,
	RC_ENCAP_CROSS_SUBNET,
};

/* struct imsg_pool flags */
#define RC_POOL_NO_EXPORT	0x0001	/* disableBGPExport */
#define RC_POOL_DISABLED	0x0002	/* IPAM only: still exported */

struct imsg_pool {
	struct bgpd_addr prefix;
	uint8_t		 plen;
	uint8_t		 ipip;		/* enum rc_encap */
	uint8_t		 vxlan;		/* enum rc_encap */
	uint8_t		 block_size;
	uint32_t	 flags;		/* RC_POOL_* */
};
_Static_assert(sizeof(struct imsg_pool) == 28, "imsg_pool size");

/* What an originated prefix is. */
enum rc_orig_kind {
	RC_ORIG_BLOCK = 1,		/* IPAM block affine to this node */
	RC_ORIG_CLUSTER_IP,		/* serviceClusterIPs */
	RC_ORIG_EXTERNAL_IP,		/* serviceExternalIPs */
	RC_ORIG_LB_IP,			/* serviceLoadBalancerIPs */
};

/* struct imsg_originate flags */
#define RC_ORIG_F_ADVERTISE	0x0001	/* originate (blackhole) and export */
#define RC_ORIG_F_NO_KERNEL	0x0002	/* never program routes inside it */

/*
 * A block (every confirmed block: /32 and /128 ones without
 * RC_ORIG_F_ADVERTISE, as Calico's calico_aggr() still lists them) or a
 * service range (RC_ORIG_F_ADVERTISE for static routes,
 * RC_ORIG_F_NO_KERNEL for reject routes).
 */
struct imsg_originate {
	struct bgpd_addr prefix;
	uint8_t		 plen;
	uint8_t		 kind;		/* enum rc_orig_kind */
	uint16_t	 flags;		/* RC_ORIG_F_* */
};
_Static_assert(sizeof(struct imsg_originate) == 24, "imsg_originate size");

#define RC_COMMS_MAX		50	/* per prefix, as Calico */

/* A standard (a:b, 16 bits each) or large (a:b:c) community. */
struct rc_comm {
	uint8_t		 large;
	uint8_t		 pad[3];
	uint32_t	 a;
	uint32_t	 b;
	uint32_t	 c;
};
_Static_assert(sizeof(struct rc_comm) == 16, "rc_comm size");

/*
 * prefixAdvertisements of this node (or of the default
 * BGPConfiguration): exported routes inside prefix get these
 * communities (apply_communities(), CALICO.md 2.8).  Every matching
 * entry applies, in the order sent.
 */
struct imsg_community {
	struct bgpd_addr prefix;
	uint8_t		 plen;
	uint8_t		 ncomms;	/* <= RC_COMMS_MAX */
	uint16_t	 pad;
	struct rc_comm	 comms[RC_COMMS_MAX];
};
_Static_assert(sizeof(struct imsg_community) == 824, "imsg_community size");

#define RC_FILTER_NAME_LEN	64	/* BGPFilter name, for logs */
#define RC_FOPS_MAX		10	/* operations per rule */
#define RC_PREPEND_MAX		10	/* prependASPath.prefix */
#define RC_ASPATH_MAX		64	/* asPathPrefix */
#define RC_IFNAME_LEN		16

enum rc_fdir {
	RC_FDIR_IMPORT = 1,
	RC_FDIR_EXPORT,
};

enum rc_match {
	RC_MATCH_NONE = 0,		/* no cidr condition */
	RC_MATCH_EQUAL,
	RC_MATCH_NOT_EQUAL,
	RC_MATCH_IN,
	RC_MATCH_NOT_IN,
};

enum rc_action {
	RC_ACTION_ACCEPT = 1,
	RC_ACTION_REJECT,
};

enum rc_peer_type {
	RC_PT_ANY = 0,
	RC_PT_EBGP,
	RC_PT_IBGP,
};

enum rc_fop_kind {
	RC_FOP_ADD_COMMUNITY = 1,
	RC_FOP_PREPEND,
	RC_FOP_SET_PRIORITY,
};

struct rc_filter_op {
	uint8_t		 kind;		/* enum rc_fop_kind */
	uint8_t		 nprepend;	/* <= RC_PREPEND_MAX */
	uint16_t	 pad;
	int32_t		 priority;	/* RC_FOP_SET_PRIORITY */
	struct rc_comm	 community;	/* RC_FOP_ADD_COMMUNITY */
	uint32_t	 prepend[RC_PREPEND_MAX];	/* RC_FOP_PREPEND */
};
_Static_assert(sizeof(struct rc_filter_op) == 64, "rc_filter_op size");

/*
 * One BGPFilter rule bound to one peer, with Calico's defaults applied:
 * min_len/max_len are the effective bounds (CALICO.md 1.4) when has_len.
 * Conditions that are absent match.
 */
struct imsg_filter_rule {
	uint32_t	 peerid;
	uint8_t		 dir;		/* enum rc_fdir */
	uint8_t		 aid;		/* BGP_AID_IPV4 or BGP_AID_IPV6 */
	uint16_t	 rule;		/* index in its list, for logs */
	char		 filter[RC_FILTER_NAME_LEN];	/* NUL-terminated */
	struct bgpd_addr cidr;
	uint8_t		 cidr_plen;
	uint8_t		 match;		/* enum rc_match */
	uint8_t		 has_len;
	uint8_t		 min_len;
	uint8_t		 max_len;
	uint8_t		 source_remote;	/* source: RemotePeers */
	uint8_t		 action;	/* enum rc_action */
	uint8_t		 peer_type;	/* enum rc_peer_type */
	uint8_t		 has_community;
	uint8_t		 has_priority;
	uint8_t		 nas_path;	/* <= RC_ASPATH_MAX */
	uint8_t		 nops;		/* <= RC_FOPS_MAX */
	char		 iface[RC_IFNAME_LEN];	/* "" no condition */
	struct rc_comm	 community;
	int32_t		 priority;
	uint32_t	 as_path[RC_ASPATH_MAX];
	struct rc_filter_op ops[RC_FOPS_MAX];
};
_Static_assert(sizeof(struct imsg_filter_rule) == 1036,
    "imsg_filter_rule size");

/* One message of the stream ribconf_from_plan() builds. */
struct ribconf_msg {
	uint32_t	 type;		/* IMSG_RECONF_* */
	uint32_t	 len;		/* of data */
	union {
		struct imsg_global	 global;
		struct imsg_pool	 pool;
		struct imsg_originate	 orig;
		struct imsg_community	 comm;
		struct imsg_filter_rule	 rule;
	}		 data;
};

struct plan;

/* ribconf.c */
/*
 * Build the whole stream, START and DONE included, for a plan, its
 * sessions' peerids (peerids[i] for plan->sessions[i]) and the kernel
 * install flag.  Returns the number of messages with *out allocated
 * (free() it), or -1 with errbuf set.
 */
int		 ribconf_from_plan(const struct plan *, const uint32_t *, int,
		    struct ribconf_msg **, char *, size_t);

#endif
