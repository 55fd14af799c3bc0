/*
 * Helpers shared by the test_rde_*.c unit tests: a ribd core with its
 * output captured, configuration and peers set up in one call each,
 * UPDATEs built with the codec as a peer would send them, and the
 * captured UPDATEs decoded back into prefixes and attributes.
 */
#ifndef RDE_TESTUTIL_H
#define RDE_TESTUTIL_H

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "log.h"
#include "../../ribd/rde.h"
#include "ribconf.h"
#include "util.h"

#define RT_MAXOUT	4096

/* One captured message (or NOTIFY) for a peer. */
struct rt_msg {
	uint32_t	 peerid;
	uint8_t		*buf;
	size_t		 len;
	int		 notify;
	uint8_t		 code;
	uint8_t		 subcode;
};

struct rt_state {
	struct rt_msg		 msgs[RT_MAXOUT];
	size_t			 nmsgs;
	struct kroute		*kr;
	uint32_t		*krtype;
	size_t			 nkr;
	size_t			 krcap;
	int			 synced;
	struct imsg_peer_counts	 counts[64];
	size_t			 ncounts;
	int			 count_only;	/* keep no message bytes */
	uint64_t		 bytes;
	uint64_t		 updates;
};

static struct rt_state	 rt;

/* Split what the core sends into single messages. */
static inline void
rt_cb_send(const struct rde_peer *p, const uint8_t *buf, size_t len,
    void *arg)
{
	size_t	 off, m;

	(void)arg;
	for (off = 0; off + BGP_HDR_LEN <= len; off += m) {
		m = (size_t)buf[off + 16] << 8 | buf[off + 17];
		rt.bytes += m;
		rt.updates++;
		if (rt.count_only || rt.nmsgs == RT_MAXOUT)
			continue;
		rt.msgs[rt.nmsgs].peerid = p->conf.peerid;
		rt.msgs[rt.nmsgs].buf = malloc(m);
		memcpy(rt.msgs[rt.nmsgs].buf, buf + off, m);
		rt.msgs[rt.nmsgs].len = m;
		rt.msgs[rt.nmsgs].notify = 0;
		rt.nmsgs++;
	}
}

static inline void
rt_cb_notify(const struct rde_peer *p, uint8_t code, uint8_t sub,
    const uint8_t *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	(void)arg;
	if (rt.nmsgs == RT_MAXOUT)
		return;
	memset(&rt.msgs[rt.nmsgs], 0, sizeof(rt.msgs[0]));
	rt.msgs[rt.nmsgs].peerid = p->conf.peerid;
	rt.msgs[rt.nmsgs].notify = 1;
	rt.msgs[rt.nmsgs].code = code;
	rt.msgs[rt.nmsgs].subcode = sub;
	rt.nmsgs++;
}

static inline void
rt_cb_kroute(uint32_t type, const struct kroute *k, size_t n, void *arg)
{
	size_t	 i;

	(void)arg;
	for (i = 0; i < n; i++) {
		if (rt.nkr == rt.krcap) {
			rt.krcap = rt.krcap ? rt.krcap * 2 : 64;
			rt.kr = realloc(rt.kr, rt.krcap * sizeof(*rt.kr));
			rt.krtype = realloc(rt.krtype,
			    rt.krcap * sizeof(*rt.krtype));
		}
		rt.kr[rt.nkr] = k[i];
		rt.krtype[rt.nkr++] = type;
	}
}

static inline void
rt_cb_sync(void *arg)
{
	(void)arg;
	rt.synced++;
}

static inline void
rt_cb_counts(const struct imsg_peer_counts *c, void *arg)
{
	(void)arg;
	if (rt.ncounts < 64)
		rt.counts[rt.ncounts++] = *c;
}

static inline void
rt_clear(void)
{
	size_t	 i;

	for (i = 0; i < rt.nmsgs; i++)
		free(rt.msgs[i].buf);
	rt.nmsgs = 0;
	rt.nkr = 0;
	rt.ncounts = 0;
	rt.bytes = 0;
	rt.updates = 0;
}

static inline void
rt_init(void)
{
	struct rde_io	 io;

	rt_clear();
	free(rt.kr);
	free(rt.krtype);
	memset(&rt, 0, sizeof(rt));
	memset(&io, 0, sizeof(io));
	io.peer_send = rt_cb_send;
	io.peer_notify = rt_cb_notify;
	io.kroute = rt_cb_kroute;
	io.kroute_sync = rt_cb_sync;
	io.counts = rt_cb_counts;
	log_init(1, 0);
	rde_init(&io);
}

static inline void
rt_fini(void)
{
	rt_clear();
	rde_shutdown();
}

static inline void
rt_run(void)
{
	while (rde_run(1 << 20))
		;
	rde_kernel_flush();
}

static inline struct bgpd_addr
rt_addr(const char *s)
{
	struct bgpd_addr	 a;

	memset(&a, 0, sizeof(a));
	if (addr_parse(s, &a) == -1)
		abort();
	return a;
}

static inline uint32_t
rt_id(const char *s)
{
	return rt_addr(s).v4.s_addr;
}

/* A configuration: global settings; pools etc. added before rt_done. */
static inline void
rt_conf(uint32_t as, const char *rid, const char *cluster, uint32_t flags)
{
	struct imsg_global	 g;
	int			 plen;

	memset(&g, 0, sizeof(g));
	g.local_as = as;
	g.router_id = rt_id(rid);
	g.cluster_id = cluster ? rt_id(cluster) : 0;
	g.flags = flags;
	if (prefix_parse("198.18.0.1/24", &g.ipv4, &plen) == -1)
		abort();
	g.ipv4 = rt_addr("198.18.0.1");
	g.ipv4_plen = 24;
	g.ipv6 = rt_addr("2001:db8::1");
	g.ipv6_plen = 64;
	g.cluster_routes = RC_PCR_NOENCAP_ONLY;
	g.ipv4_priority = 1024;
	g.ipv6_priority = 1024;
	rde_conf_start();
	rde_conf_global(&g);
}

static inline void
rt_pool(const char *cidr, uint32_t flags, uint8_t ipip, uint8_t vxlan)
{
	struct imsg_pool	 p;
	int			 plen;

	memset(&p, 0, sizeof(p));
	if (prefix_parse(cidr, &p.prefix, &plen) == -1)
		abort();
	p.plen = (uint8_t)plen;
	p.flags = flags;
	p.ipip = ipip;
	p.vxlan = vxlan;
	p.block_size = 26;
	rde_conf_pool(&p);
}

static inline void
rt_orig(const char *cidr, uint8_t kind, uint16_t flags)
{
	struct imsg_originate	 o;
	int			 plen;

	memset(&o, 0, sizeof(o));
	if (prefix_parse(cidr, &o.prefix, &plen) == -1)
		abort();
	o.plen = (uint8_t)plen;
	o.kind = kind;
	o.flags = flags;
	rde_conf_originate(&o);
}

static inline void
rt_comms(const char *cidr, const struct rc_comm *c, int n)
{
	struct imsg_community	 ic;
	int			 plen;

	memset(&ic, 0, sizeof(ic));
	if (prefix_parse(cidr, &ic.prefix, &plen) == -1)
		abort();
	ic.plen = (uint8_t)plen;
	ic.ncomms = (uint8_t)n;
	memcpy(ic.comms, c, n * sizeof(*c));
	rde_conf_community(&ic);
}

static inline void
rt_done(void)
{
	if (rde_conf_done() == -1)
		abort();
	rt_run();
}

/* A peer: iBGP when peer_as is 64512 (the node's AS in these tests). */
static inline void
rt_peer(uint32_t id, const char *ip, uint32_t peer_as, uint32_t flags)
{
	struct imsg_peer	 p;

	memset(&p, 0, sizeof(p));
	p.peerid = id;
	p.groupid = 1;
	snprintf(p.name, sizeof(p.name), "peer%u", id);
	p.remote = rt_addr(ip);
	p.peer_as = peer_as;
	p.local_as = 64512;
	if (peer_as != 64512)
		flags |= PEER_F_EBGP;
	p.flags = flags;
	rde_peer_add(&p);
}

static inline void
rt_sess(struct bgp_sess *s, int ebgp, uint32_t peer_as)
{
	memset(s, 0, sizeof(*s));
	s->as4 = 1;
	s->ebgp = (uint8_t)ebgp;
	s->af[BGP_AID_IPV4] = 1;
	s->af[BGP_AID_IPV6] = 1;
	s->maxlen = BGP_MAXLEN;
	s->rrefresh = 1;
	s->local_as = 64512;
	s->peer_as = peer_as;
}

/* Establish the session of peer id; its BGP id is its address. */
static inline void
rt_up(uint32_t id)
{
	struct imsg_session_up	 up;
	struct rde_peer		*p = rde_peer_find(id);

	memset(&up, 0, sizeof(up));
	up.peerid = id;
	up.remote_id = p->conf.remote.v4.s_addr;
	up.local_addr = rt_addr(p->conf.remote.af == AF_INET ? "198.18.0.1" :
	    "2001:db8::1");
	up.remote_addr = p->conf.remote;
	rt_sess(&up.sess, rde_peer_is_ebgp(p), p->conf.peer_as);
	rde_peer_up(&up);
}

static inline void
rt_down(uint32_t id, int graceful, uint32_t restart)
{
	struct imsg_session_down	 d;

	memset(&d, 0, sizeof(d));
	d.peerid = id;
	d.graceful = (uint8_t)graceful;
	d.restart_time = restart;
	rde_peer_down(&d);
}

/* Attributes a peer sends: origin IGP, path, next hop, LOCAL_PREF. */
struct rt_attr {
	uint32_t	 path[16];
	int		 npath;
	const char	*nexthop;
	int		 has_lp;
	uint32_t	 lp;
	int		 has_med;
	uint32_t	 med;
	uint8_t		 origin;
	uint32_t	 comms[8];
	int		 ncomms;
	int		 has_originator;
	uint32_t	 originator;
	uint32_t	 cluster[4];
	int		 ncluster;
};

static inline void
rt_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void
rt_battrs(const struct rt_attr *ra, struct bgp_attrs *b, uint8_t *bufs)
{
	uint8_t	*path = bufs, *comm = bufs + 256, *cl = bufs + 512;
	int	 i;

	memset(b, 0, sizeof(*b));
	b->present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	b->origin = ra->origin;
	b->aspath_as4 = 1;
	if (ra->npath > 0) {
		path[0] = BGP_AS_SEQUENCE;
		path[1] = (uint8_t)ra->npath;
		for (i = 0; i < ra->npath; i++)
			rt_put32(path + 2 + i * 4, ra->path[i]);
		b->aspath = path;
		b->aspath_len = (uint16_t)(2 + ra->npath * 4);
	}
	b->nexthop = rt_addr(ra->nexthop);
	if (ra->has_lp) {
		b->present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		b->local_pref = ra->lp;
	}
	if (ra->has_med) {
		b->present |= BGP_ATTR_BIT(BGP_ATTR_MED);
		b->med = ra->med;
	}
	if (ra->ncomms > 0) {
		for (i = 0; i < ra->ncomms; i++)
			rt_put32(comm + i * 4, ra->comms[i]);
		b->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		b->communities = comm;
		b->communities_len = (uint16_t)(ra->ncomms * 4);
	}
	if (ra->has_originator) {
		b->present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
		b->originator_id = ra->originator;
	}
	if (ra->ncluster > 0) {
		for (i = 0; i < ra->ncluster; i++)
			rt_put32(cl + i * 4, ra->cluster[i]);
		b->present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
		b->cluster_list = cl;
		b->cluster_list_len = (uint16_t)(ra->ncluster * 4);
	}
}

static inline struct bgp_prefix
rt_pfx(const char *s)
{
	struct bgp_prefix	 p;
	int			 plen;

	memset(&p, 0, sizeof(p));
	if (prefix_parse(s, &p.addr, &plen) == -1)
		abort();
	addr_mask(&p.addr, plen);
	p.plen = (uint8_t)plen;
	p.aid = p.addr.af == AF_INET6 ? BGP_AID_IPV6 : BGP_AID_IPV4;
	return p;
}

/* Feed the core what peer id would send: n prefixes with ra, or withdraws. */
static inline void
rt_send(uint32_t id, const struct rt_attr *ra, const struct bgp_prefix *pfx,
    int n)
{
	static struct bgp_packer	 pk;
	struct rde_peer			*p = rde_peer_find(id);
	struct bgp_sess			 s;
	struct bgp_attrs		 b;
	uint8_t				 bufs[768];
	const uint8_t			*msg;
	size_t				 len;
	int				 i;

	rt_sess(&s, rde_peer_is_ebgp(p), 64512);
	if (ra != NULL)
		rt_battrs(ra, &b, bufs);
	if (bgp_pack_init(&pk, &s, pfx[0].aid, ra ? &b : NULL) == -1)
		abort();
	for (i = 0; i < n; i++) {
		if (bgp_pack_add(&pk, &pfx[i]) == 1) {
			len = bgp_pack_flush(&pk, &msg);
			rde_update_input(p, msg, len);
			bgp_pack_add(&pk, &pfx[i]);
		}
	}
	if ((len = bgp_pack_flush(&pk, &msg)) > 0)
		rde_update_input(p, msg, len);
}

static inline void
rt_announce(uint32_t id, const struct rt_attr *ra, const char *pfx)
{
	struct bgp_prefix	 p = rt_pfx(pfx);

	rt_send(id, ra, &p, 1);
}

static inline void
rt_withdraw(uint32_t id, const char *pfx)
{
	struct bgp_prefix	 p = rt_pfx(pfx);

	rt_send(id, NULL, &p, 1);
}

/* The best path's peerid for a prefix, 0 for local, -1 for none. */
static inline int64_t
rt_best(const char *pfx)
{
	struct bgp_prefix	 p = rt_pfx(pfx);
	uint32_t		 i;
	struct rde_prefix	*rp;

	if ((i = rde_prefix_find(p.aid, p.addr.bytes, p.plen)) == RDE_NIL)
		return -1;
	rp = rde_prefix_at(i);
	if (rp->paths == RDE_NIL)
		return -1;
	return rde_path_peer(rde_path_at(rp->paths))->conf.peerid;
}

/*
 * What peer id got, summed over the captured messages: announced
 * (a prefix announced last) or withdrawn, with the decoded attributes of
 * the last announcement.
 */
struct rt_seen {
	int			 announced;	/* 1, 0 withdrawn, -1 never */
	struct bgp_update	 u;		/* the last announcing it */
	uint8_t			 aspath[512];
	int			 aspath_len;
	int			 nupdates;	/* UPDATEs to this peer */
	int			 eor;
	int			 notify;
	uint8_t			 code;
	uint8_t			 subcode;
};

static inline int
rt_sect_has(const struct bgp_update *u, enum bgp_nlri_sect sect,
    const struct bgp_prefix *want)
{
	struct bgp_nlri_iter	 it;
	struct bgp_prefix	 p;

	if (bgp_update_iter(u, sect, &it) == -1)
		return 0;
	while (bgp_nlri_next(&it, &p) == 1)
		if (p.plen == want->plen && p.aid == want->aid &&
		    memcmp(p.addr.bytes, want->addr.bytes, 16) == 0)
			return 1;
	return 0;
}

static inline void
rt_seen(uint32_t id, const char *pfx, struct rt_seen *sn)
{
	static struct bgp_update	 u;
	struct bgp_sess			 s;
	struct bgp_prefix		 want;
	struct rde_peer			*p = rde_peer_find(id);
	size_t				 i;

	memset(sn, 0, sizeof(*sn));
	sn->announced = -1;
	if (pfx != NULL)
		want = rt_pfx(pfx);
	rt_sess(&s, p ? rde_peer_is_ebgp(p) : 0, 64512);
	for (i = 0; i < rt.nmsgs; i++) {
		if (rt.msgs[i].peerid != id)
			continue;
		if (rt.msgs[i].notify) {
			sn->notify++;
			sn->code = rt.msgs[i].code;
			sn->subcode = rt.msgs[i].subcode;
			continue;
		}
		if (rt.msgs[i].buf[18] != BGP_MSG_UPDATE)
			continue;
		sn->nupdates++;
		if (bgp_update_decode(rt.msgs[i].buf, rt.msgs[i].len, &s,
		    &u) != BGP_UPD_OK)
			continue;
		if (u.eor) {
			sn->eor++;
			continue;
		}
		if (pfx == NULL)
			continue;
		if (rt_sect_has(&u, BGP_SECT_WITHDRAWN, &want) ||
		    rt_sect_has(&u, BGP_SECT_MP_UNREACH, &want))
			sn->announced = 0;
		if (rt_sect_has(&u, BGP_SECT_NLRI, &want) ||
		    rt_sect_has(&u, BGP_SECT_MP_REACH, &want)) {
			sn->announced = 1;
			sn->u = u;
			sn->aspath_len = bgp_update_aspath(&u, sn->aspath,
			    sizeof(sn->aspath));
		}
	}
}

/* The next hop of the last announcement seen. */
static inline const char *
rt_seen_nexthop(const struct rt_seen *sn, char *buf, size_t len)
{
	if (sn->u.has_mp_reach)
		return addr_ntop(&sn->u.mp_nexthop, buf, len);
	return addr_ntop(&sn->u.attrs.nexthop, buf, len);
}

static inline int
rt_seen_has_comm(const struct rt_seen *sn, uint32_t c)
{
	int	 i;

	for (i = 0; i + 4 <= sn->u.attrs.communities_len; i += 4)
		if (((uint32_t)sn->u.attrs.communities[i] << 24 |
		    (uint32_t)sn->u.attrs.communities[i + 1] << 16 |
		    (uint32_t)sn->u.attrs.communities[i + 2] << 8 |
		    sn->u.attrs.communities[i + 3]) == c)
			return 1;
	return 0;
}

#endif
