/*
 * tortiectl plan --node NAME [-o json]: the sessions, originated prefixes
 * and export data that tortied would run on node NAME, computed from the
 * datastore exactly as the daemon does (tortied -n prints the same JSON
 * for its own node).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "datastore.h"
#include "datastore_etcd.h"
#include "dconf.h"
#include "plan.h"

static void
plan_usage(void)
{
	fprintf(stderr, "usage: tortiectl [-c tortie.yaml | -D dir] plan "
	    "--node NAME [-o json]\n");
}

int
ctl_plan(struct ctl_opts *o, int argc, char **argv)
{
	struct dconf		 dc;
	struct ds		*ds = NULL;
	struct ds_err		 derr;
	struct res_set		 set;
	struct res_errors	 errs;
	struct plan		 plan;
	struct plan_opts	 popts;
	const char		*node = NULL;
	char			 err[1024], *json;
	size_t			 i;
	int			 ret = 1;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--node") == 0 && i + 1 < (size_t)argc)
			node = argv[++i];
		else if (strncmp(argv[i], "--node=", 7) == 0)
			node = argv[i] + 7;
		else {
			plan_usage();
			return 1;
		}
	}
	if (node == NULL) {
		plan_usage();
		return 1;
	}
	memset(&plan, 0, sizeof(plan));
	memset(&derr, 0, sizeof(derr));
	memset(&errs, 0, sizeof(errs));
	res_set_init(&set);
	if (dconf_load(o->conf_file ? o->conf_file : TORTIE_CONF, &dc, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "tortiectl: %s\n", err);
		dconf_free(&dc);
		return 1;
	}
	if (o->ds_dir != NULL)
		ds = ds_open("file", o->ds_dir, 0, &derr);
	else
		ds = ds_open_dconf(&dc, 0, &derr);
	if (ds == NULL) {
		fprintf(stderr, "tortiectl: datastore: %s\n", derr.msg);
		goto done;
	}
	if (ds_load(ds, &set, &errs, &derr) == -1) {
		fprintf(stderr, "tortiectl: datastore: %s\n", derr.msg);
		goto done;
	}
	if (errs.n > 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		goto done;
	}
	memset(&popts, 0, sizeof(popts));
	popts.secrets_dir = dc.secrets_dir;
	popts.router_id = dc.router_id;
	if (plan_compute(&set, node, &popts, &plan, err, sizeof(err)) == -1) {
		fprintf(stderr, "tortiectl: plan: %s\n", err);
		goto done;
	}
	if (o->output == OUT_JSON) {
		json = plan_to_json(&plan);
		fputs(json, stdout);
		free(json);
	} else
		plan_print_text(stdout, &plan);
	ret = 0;
done:
	plan_free(&plan);
	res_set_free(&set);
	res_errors_free(&errs);
	if (ds != NULL)
		ds_close(ds);
	dconf_free(&dc);
	return ret;
}
