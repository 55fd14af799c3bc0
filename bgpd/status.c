/*
 * Status answers for the control socket, as JSON.  tortiectl renders the
 * text tables from these, so the two forms never disagree.
 */
#include <sys/types.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgpd.h"
#include "jsonw.h"
#include "util.h"

static void	 status_process(struct jsonw *, const char *, const char *,
		    pid_t);

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
	jw_arr_close(jw);
	peers_json(jw, "peers");
	jw_obj_close(jw);
}
