/*
 * dsd, the datastore process: tortied's etcd v3 client, alone in a
 * sandbox that may reach the network and nothing else.  dsd.c starts it
 * (options, the etcd backend opened with its TLS files and endpoint
 * addresses, then the sandbox); dsd_serve.c serves any datastore handle
 * over the request socket and reports its watch on the parent's pipe
 * (datastore_proxy.h has the protocol).
 */
#ifndef TORTIE_DSD_H
#define TORTIE_DSD_H

#include "datastore.h"
#include "datastore_proxy.h"
#include "imsg.h"

#define DSD_STATUS_MS	500	/* how often the etcd state is compared */
#define DSD_FAILED_MS	10000	/* how long a dsd that could not open lives */

struct event;
struct event_base;

struct dsd {
	struct ds		*ds;		/* what is served; NULL: */
	struct ds_err		 open_err;	/* why it could not be opened */
	struct event_base	*base;
	struct imsgev		*parent;	/* DS_CHANGED, DS_STATUS */
	struct imsgev		 req;		/* the request socket */
	int			 req_up;
	struct event		*watch_ev;
	struct event		*status_ev;
	struct imsg_ds_status	 sent;		/* last status sent */
	int			 sent_any;
	void			(*req_closed)(struct dsd *);
	struct ds_etcd_status	 failed;	/* ds NULL: the status */
};

/* dsd_serve.c */
void	 dsd_init(struct dsd *, struct ds *, struct event_base *,
	    struct imsgev *, void (*)(struct dsd *));
void	 dsd_failed(struct dsd *, const struct ds_err *);
int	 dsd_attach(struct dsd *, int);
void	 dsd_status(struct dsd *);
void	 dsd_clear(struct dsd *);
void	 dsd_request(struct dsd *, struct imsg *);

#endif
