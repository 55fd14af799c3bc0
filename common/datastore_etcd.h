/*
 * The etcd v3 datastore backend (datastore_etcd.c): Calico's key layout
 * and value encoding over etcd's JSON gateway, with TLS.  Opened through
 * ds_open("etcdv3", ...) or, with TLS and several endpoints, through
 * ds_open_dconf() or ds_open_etcd().
 *
 * Layout (CALICO.md 5.3): every kind at
 * /calico/resources/v3/projectcalico.org/<plural>/<name>, the value the
 * compact JSON of the whole resource without resourceVersion; the
 * resourceVersion shown is the key's mod_revision.  BlockAffinities are
 * read from there and from Calico IPAM's own affinity keys
 * /calico/ipam/v2/host/<node>/ipv4|ipv6/block/<a.b.c.d-len>, which appear
 * as BlockAffinity "<node>-<cidr with '.', ':' and '/' as '-'>" (the name
 * Calico gives them in Kubernetes); those are Calico IPAM's and read-only
 * here.
 *
 * Blocking calls (get, list, put, delete) run a private event loop until
 * the reply arrives or the timeout passes, trying the endpoints in turn
 * from the last one that answered.  The watch runs on the caller's event
 * loop: call ds_etcd_watch_base() before ds_watch_start(); the watch
 * descriptor and ds_watch_drain() then work as for the file backend.
 */
#ifndef TORTIE_DATASTORE_ETCD_H
#define TORTIE_DATASTORE_ETCD_H

#include <time.h>

#include "datastore.h"

#define DS_ETCD_MAX_ENDPOINTS	16
#define DS_ETCD_TIMEOUT_MS	5000	/* one request to one endpoint */

struct event_base;
struct dconf;

/* Where etcd is and how to talk to it; strings are copied on open. */
struct ds_etcd_conf {
	const char	*endpoints[DS_ETCD_MAX_ENDPOINTS];	/* URLs */
	int		 nendpoints;
	const char	*ca_file;	/* NULL: the system's CAs */
	const char	*cert_file;	/* client certificate, or NULL */
	const char	*key_file;	/* its key (NULL: in cert_file) */
	int		 timeout_ms;	/* 0: DS_ETCD_TIMEOUT_MS */
	int		 confined;	/* no files or resolver after open */
};

enum ds_etcd_state {
	DS_ETCD_IDLE,		/* no watch running */
	DS_ETCD_CONNECTING,
	DS_ETCD_CONNECTED,
	DS_ETCD_UNREACHABLE,
};

/* What the watch connection is doing, for status output. */
struct ds_etcd_status {
	enum ds_etcd_state	 state;
	time_t			 since;		/* wall clock */
	char			 endpoint[256];	/* current one */
	char			 error[256];	/* why unreachable */
	uint64_t		 revision;	/* last revision seen */
};

/* datastore_etcd.c */
struct ds	*ds_open_etcd(const struct ds_etcd_conf *, int,
		    struct ds_err *);
struct ds	*ds_open_etcd_urls(const char *, int, struct ds_err *);
struct ds	*ds_open_dconf(const struct dconf *, int, struct ds_err *);
int		 ds_etcd_watch_base(struct ds *, struct event_base *);
int		 ds_etcd_status(struct ds *, struct ds_etcd_status *);
int		 ds_etcd_status_str(struct ds *, char *, size_t);

#endif
