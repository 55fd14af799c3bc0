/*
 * The datastore behind a process boundary: tortied's etcd client runs in
 * its own sandboxed process, dsd (dsd/), and the parent reaches it
 * through a proxy backend (datastore_proxy.c), a struct ds_ops whose
 * calls are requests to dsd.
 *
 * Two channels join them:
 *  - dsd's pipe to the parent (descriptor 3, on the parent's event loop
 *    like every helper's): life cycle, IMSG_DS_SOCKET (the parent passes
 *    dsd its end of the request socket), and what dsd says on its own:
 *    IMSG_DS_CHANGED when the watch saw a change, IMSG_DS_STATUS when the
 *    state of its etcd connection changed;
 *  - the request socket, for calls and nothing else.  The parent uses it
 *    synchronously, outside its event loop: a reload must read the whole
 *    datastore before it goes on.  One request at a time; each carries an
 *    id (hdr.peerid) and is answered by messages with that id: IMSG_DS_ENTRY
 *    (an entry: its name, source and resource as compact JSON) and
 *    IMSG_DS_BAD (an entry a list left out, and why), then IMSG_DS_DONE
 *    (with a revision) or IMSG_DS_ERR (a ds_err).  An answer that comes
 *    after its call timed out carries an old id and is dropped.
 *
 * The proxy's watch descriptor is a pipe of its own that the parent's
 * handler of IMSG_DS_CHANGED writes to, so that tortied watches an etcd
 * datastore through dsd as it watches a file datastore.
 *
 * dsd is the process that talks to the network, so the parent reads its
 * answers as input: every length, count, name and document is checked,
 * and a malformed answer fails the call and drops the request socket
 * (dsd then exits and is restarted).
 */
#ifndef TORTIE_DATASTORE_PROXY_H
#define TORTIE_DATASTORE_PROXY_H

#include <stdint.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "imsg.h"

#define DSP_NAME_MAX		256	/* name field, NUL included */
#define DSP_SRC_MAX		2048	/* source of an entry (etcd key) */
#define DSP_TEXT_MAX		DS_ERRLEN	/* error and bad-entry text */
/* Largest message on the request socket: one resource and its header. */
#define DSP_MAX_MSG		(DS_MAX_FILE + 8192)
/* dsd's own calls time out after DS_ETCD_TIMEOUT_MS. */
#define DSP_TIMEOUT_MS		(DS_ETCD_TIMEOUT_MS + 1000)
#define DSP_MAX_ENTRIES		(1024 * 1024)	/* in one list answer */

/* A request: GET, LIST, PUT (followed by JSON), DEL, REVISION, WATCH. */
struct imsg_ds_req {
	uint32_t	 kind;		/* enum res_kind */
	uint32_t	 mode;		/* PUT: enum ds_put_mode */
	uint32_t	 has_expect;	/* PUT, DEL: expect is set */
	uint32_t	 pad;
	uint64_t	 expect;	/* the revision the entry must have */
	char		 name[DSP_NAME_MAX];	/* NUL-terminated */
};
_Static_assert(sizeof(struct imsg_ds_req) == 280, "ds request size");

/* IMSG_DS_ENTRY: followed by namelen, srclen bytes, then the JSON. */
struct imsg_ds_entry {
	uint64_t	 rev;
	uint32_t	 namelen;
	uint32_t	 srclen;
};
_Static_assert(sizeof(struct imsg_ds_entry) == 16, "ds entry size");

/* IMSG_DS_DONE: PUT the new revision, REVISION the store's, else 0. */
struct imsg_ds_done {
	uint64_t	 rev;
};
_Static_assert(sizeof(struct imsg_ds_done) == 8, "ds done size");

/* IMSG_DS_ERR: followed by the message (no NUL). */
struct imsg_ds_err {
	uint32_t	 code;		/* enum ds_errcode, not DS_OK */
	uint32_t	 pad;
};
_Static_assert(sizeof(struct imsg_ds_err) == 8, "ds error size");

/* IMSG_DS_STATUS: struct ds_etcd_status on the wire. */
struct imsg_ds_status {
	uint32_t	 state;		/* enum ds_etcd_state */
	uint32_t	 pad;
	int64_t		 since;		/* wall clock, seconds */
	uint64_t	 revision;
	char		 endpoint[256];	/* NUL-terminated */
	char		 error[256];	/* NUL-terminated */
};
_Static_assert(sizeof(struct imsg_ds_status) == 536, "ds status size");

/* datastore_proxy.c: the parent's end */
struct ds	*ds_proxy_open(int, void (*)(struct ds *));
int		 ds_is_proxy(const struct ds *);
void		 ds_proxy_timeout(struct ds *, int);
void		 ds_proxy_attach(struct ds *, int);
void		 ds_proxy_detach(struct ds *, const char *);
void		 ds_proxy_changed(struct ds *);
int		 ds_proxy_status_msg(struct ds *, const void *, size_t);
int		 ds_proxy_status(struct ds *, struct ds_etcd_status *);

/* datastore_proxy.c: both ends */
void		 dsp_status_to_msg(const struct ds_etcd_status *,
		    struct imsg_ds_status *);
int		 dsp_status_from_msg(const void *, size_t,
		    struct ds_etcd_status *);

#endif
