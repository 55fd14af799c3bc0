/*
 * etcd v3 over its JSON gateway, the parts inside the etcd datastore
 * backend (datastore_etcd.h is the outside):
 *  - etcd_codec.c: pure functions without I/O: base64, Calico's key
 *    layout, request bodies for range/put/txn/deleterange/watch, parsing
 *    of replies and watch stream messages, error mapping;
 *  - etcd_http.c: the HTTP client on libevent's evhttp, plain or TLS
 *    (OpenSSL bufferevents), with endpoint failover: blocking calls on a
 *    private event loop and a streaming watch on the caller's.
 *
 * The gateway speaks proto3 JSON: bytes fields (keys, values) are
 * base64, 64-bit integers are decimal strings, and fields with their
 * zero value (false, 0, empty, the first enum member) are left out.
 */
#ifndef TORTIE_ETCD_H
#define TORTIE_ETCD_H

#include <stddef.h>
#include <stdint.h>

#include "datastore.h"
#include "doc.h"
#include "resource.h"

#define ETCD_RES_PREFIX		"/calico/resources/v3/projectcalico.org/"
#define ETCD_IPAM_HOST_PREFIX	"/calico/ipam/v2/host/"
#define ETCD_MAX_KEY		1024		/* bytes of one key */
#define ETCD_MAX_VALUE		DS_MAX_FILE	/* bytes of one value */
#define ETCD_MAX_REPLY		(64 * 1024 * 1024)
#define ETCD_MAX_STREAM_MSG	(16 * 1024 * 1024)
#define ETCD_PAGE		500		/* keys per range page */

/* One key-value pair of a reply; key and value are NUL-terminated. */
struct etcd_kv {
	char		*key;
	size_t		 keylen;
	char		*value;
	size_t		 vlen;
	uint64_t	 create_rev;
	uint64_t	 mod_rev;
	uint64_t	 version;
};

/* A range reply (also the failure branch of a txn). */
struct etcd_range {
	uint64_t	 rev;		/* header.revision */
	struct etcd_kv	*kvs;
	size_t		 n;
	int		 more;
};

/* A txn reply. */
struct etcd_txn {
	uint64_t	 rev;
	int		 succeeded;
	int		 found;		/* failure branch: key exists */
	uint64_t	 found_rev;	/* and its mod_revision */
};

enum etcd_ev_type {
	ETCD_EV_PUT,
	ETCD_EV_DELETE,
};

/* One message of the watch stream. */
struct etcd_wmsg {
	int		 is_error;	/* stream failed: msg says why */
	uint64_t	 rev;		/* header.revision */
	uint64_t	 watch_id;
	int		 created;
	int		 canceled;
	uint64_t	 compact_rev;	/* canceled: compacted away */
	size_t		 nevents;
	char		**keys;		/* the events' keys */
	uint64_t	 last_mod_rev;	/* of the last event */
	char		 msg[256];	/* cancel reason or error */
};

/* The HTTP outcome of one call, before its body is looked at. */
enum etcd_outcome {
	ETCD_OK,		/* 200 with a body */
	ETCD_FAILOVER,		/* unreachable, unavailable: next one */
	ETCD_REJECTED,		/* the server refused the request */
};

/* etcd_codec.c */
char		*etcd_b64_encode(const void *, size_t);
int		 etcd_b64_decode(const char *, size_t, char **, size_t *);
char		*etcd_key(enum res_kind, const char *);
char		*etcd_kind_prefix(enum res_kind);
char		*etcd_prefix_end(const char *);
int		 etcd_key_name(enum res_kind, const char *, size_t,
		    const char **);
int		 etcd_ipam_key(const char *, size_t, char **, char **);
char		*etcd_affinity_name(const char *, const char *);
struct doc_node	*etcd_affinity_doc(const char *, const char *,
		    const char *, size_t, char *, size_t);
int		 etcd_relevant_key(const char *);

char		*etcd_req_range(const char *, size_t, const char *,
		    uint64_t, int, int);
char		*etcd_req_create(const char *, const char *, size_t);
char		*etcd_req_update(const char *, const char *, size_t,
		    const uint64_t *);
char		*etcd_req_delete(const char *, const uint64_t *);
char		*etcd_req_watch(const char *, const char *, uint64_t);
void		 etcd_watch_range(char **, char **);

struct doc_node	*etcd_json_parse(const char *, size_t, char *, size_t);
int		 etcd_u64(const struct doc_node *, uint64_t *);
int		 etcd_parse_range(const char *, size_t, struct etcd_range *,
		    char *, size_t);
void		 etcd_range_free(struct etcd_range *);
void		 etcd_kv_free(struct etcd_kv *);
int		 etcd_parse_txn(const char *, size_t, struct etcd_txn *,
		    char *, size_t);
int		 etcd_parse_rev(const char *, size_t, uint64_t *, char *,
		    size_t);
int		 etcd_parse_wmsg(const char *, size_t, struct etcd_wmsg *);
void		 etcd_wmsg_free(struct etcd_wmsg *);
void		 etcd_error_text(int, const char *, size_t, char *, size_t);
enum etcd_outcome etcd_outcome(int, const char *, size_t);
size_t		 etcd_stream_next(const char *, size_t, size_t *, int *);

/* etcd_http.c */
struct etcd_client;
struct etcd_areq;
struct event_base;

/*
 * Callbacks of an asynchronous request, on the event loop it was started
 * on.  A stream (the watch) calls up() once the server has answered 200,
 * then msg() for every JSON message, and done() when it ends; a plain
 * request calls done() alone.  done() comes exactly once: status is the
 * HTTP status (0: no answer, err says why), body the reply of a plain
 * request or the error reply of a stream.  No callback may free the
 * request: do that later, e.g. from a timer.
 */
struct etcd_areq_cb {
	void	(*up)(void *);
	void	(*msg)(void *, const char *, size_t);
	void	(*done)(void *, int, const char *, size_t, const char *);
	void	 *arg;
};

struct etcd_client *etcd_client_new(const char *const *, int, const char *,
		    const char *, const char *, int, int, char *, size_t);
void		 etcd_client_free(struct etcd_client *);
size_t		 etcd_endpoint_count(const struct etcd_client *);
const char	*etcd_endpoint_url(const struct etcd_client *, size_t);
size_t		 etcd_endpoint_current(const struct etcd_client *);
int		 etcd_timeout_ms(const struct etcd_client *);
int		 etcd_call(struct etcd_client *, const char *, const char *,
		    char **, size_t *, struct ds_err *);
struct etcd_areq *etcd_areq_start(struct etcd_client *, struct event_base *,
		    size_t, const char *, const char *, int,
		    const struct etcd_areq_cb *, char *, size_t);
void		 etcd_areq_free(struct etcd_areq *);

#endif
