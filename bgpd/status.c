/*
 * Status answers for the control socket, as JSON.  tortiectl renders the
 * text tables from these, so the two forms never disagree.
 */
#include <sys/types.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgpd.h"
#include "datastore_etcd.h"
#include "datastore_proxy.h"
#include "jsonw.h"
#include "util.h"

static void	 status_process(struct jsonw *, const char *, const char *,
		    pid_t);
static void	 status_datastore(struct jsonw *);

static void
status_process(struct jsonw *jw, const char *role, const char *group,
    pid_t pid)
{
	jw_obj_open(jw, NULL);
	jw_str(jw, "role", role);
	if (group != NULL)
		jw_str(jw, "group", group);
	if (pid > 0)
		jw_int(jw, "pid", pid);
	else
		jw_null(jw, "pid");
	jw_obj_close(jw);
}

/*
 * The datastore: whether the last load worked (up) and, for etcd, the
 * state of dsd's connection: connected, connecting, unreachable (since
 * when and why) or idle (not watching).
 */
static void
status_datastore(struct jsonw *jw)
{
	static const char *const states[] = { "idle", "connecting",
	    "connected", "unreachable" };
	struct ds_etcd_status	 st;
	struct ds		*ds = config_ds();
	struct tm		 tm;
	char			 since[32];

	jw_obj_open(jw, "datastore");
	jw_bool(jw, "up", config_ds_up());
	if (ds_proxy_status(ds, &st) == -1 && ds_etcd_status(ds, &st) == -1) {
		jw_str(jw, "type", "file");
		jw_obj_close(jw);
		return;
	}
	jw_str(jw, "type", "etcdv3");
	jw_str(jw, "state", (unsigned)st.state < 4 ? states[st.state] : "?");
	if (st.since != 0 && gmtime_r(&st.since, &tm) != NULL) {
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		jw_str(jw, "since", since);
	} else
		jw_null(jw, "since");
	jw_str(jw, "endpoint", st.endpoint);
	jw_str(jw, "error", st.error);
	jw_uint(jw, "revision", st.revision);
	jw_obj_close(jw);
}

void
status_neighbors_json(struct jsonw *jw)
{
	peers_json(jw, NULL);
}

void
status_node_json(struct jsonw *jw)
{
	struct child	*c;

	jw_obj_open(jw, NULL);
	jw_bool(jw, "running", 1);
	jw_str(jw, "version", TORTIE_VERSION);
	jw_str(jw, "node", td->conf.node_name);
	jw_int(jw, "pid", getpid());
	jw_int(jw, "uptimeSeconds", mono_sec() - td->started);
	jw_arr_open(jw, "processes");
	status_process(jw, "parent", NULL, getpid());
	status_process(jw, "ribd", NULL, td->rib ? td->rib->pid : -1);
	status_process(jw, "kroute", NULL, td->kroute ? td->kroute->pid : -1);
	TAILQ_FOREACH(c, &td->groups, entry)
		status_process(jw, "sessiond", c->name, c->pid);
	if ((c = proc_dsd()) != NULL)
		status_process(jw, "dsd", NULL, c->pid);
	jw_arr_close(jw);
	status_datastore(jw);
	peers_json(jw, "peers");
	jw_obj_close(jw);
}
