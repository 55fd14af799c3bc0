/*
 * libFuzzer target for the peering compiler (common/plan*.c).  The input
 * is resources text: what res_parse() decodes goes into a res_set, as the
 * datastore loads it, and a plan is computed for each Node of the input
 * (the first FP_MAX_NODES) and for a node the input does not name, with a
 * router ID option that varies by node.
 *
 * Besides not crashing or leaking, the compiler must keep its promises: a
 * failure has a message; a plan has sessions sorted by unique name,
 * filter indexes inside the plan and passwords of the allowed size read
 * from nowhere but the secrets directory; its JSON parses; a second
 * computation gives the same JSON and plan_diff() finds no change.  A
 * broken promise aborts.
 *
 * Passwords are read from a scratch secrets directory made at the first
 * input (removed at exit): bgp-secrets/{tor-password,mesh-password,empty},
 * as in regress/plan/passwords, and next to it a bait file that only a
 * path escaping the directory could read.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "plan.h"
#include "resource.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FP_MAX_NODES	4
#define FP_ERRLEN	256
#define FP_BAIT		"escaped-the-secrets-dir"

#define FP_CHECK(e)	do { if (!(e)) fp_fail(#e, __LINE__); } while (0)

static const char *const fp_router_ids[] = { NULL, "hash", "192.0.2.1" };

static const char *const fp_secrets[][2] = {
	{ "secrets/bgp-secrets/tor-password", "tor-pw\n" },
	{ "secrets/bgp-secrets/mesh-password", "mesh-pw" },
	{ "secrets/bgp-secrets/empty", "" },
	{ "bgp-secrets/tor-password", FP_BAIT },
	{ "tor-password", FP_BAIT },
};

static char	 fp_tmp[64];
static char	 fp_secrets_dir[128];
static FILE	*fp_null;

static void
fp_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_plan: broken promise at line %d: %s\n", line,
	    what);
	abort();
}

static void
fp_write(const char *rel, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", fp_tmp, rel);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF)
		fp_fail("cannot write the scratch secrets", __LINE__);
}

static void
fp_cleanup(void)
{
	char	 path[256];
	size_t	 i;

	for (i = 0; i < sizeof(fp_secrets) / sizeof(fp_secrets[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fp_tmp, fp_secrets[i][0]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/secrets/bgp-secrets", fp_tmp);
	rmdir(path);
	rmdir(fp_secrets_dir);
	snprintf(path, sizeof(path), "%s/bgp-secrets", fp_tmp);
	rmdir(path);
	rmdir(fp_tmp);
}

static void
fp_init(void)
{
	char	 path[256];
	size_t	 i;

	strlcpy(fp_tmp, "/tmp/tortie-fuzz-plan.XXXXXX", sizeof(fp_tmp));
	if (mkdtemp(fp_tmp) == NULL)
		fp_fail("mkdtemp", __LINE__);
	snprintf(fp_secrets_dir, sizeof(fp_secrets_dir), "%s/secrets",
	    fp_tmp);
	snprintf(path, sizeof(path), "%s/secrets/bgp-secrets", fp_tmp);
	if (mkdir(fp_secrets_dir, 0700) == -1 || mkdir(path, 0700) == -1)
		fp_fail("mkdir", __LINE__);
	snprintf(path, sizeof(path), "%s/bgp-secrets", fp_tmp);
	if (mkdir(path, 0700) == -1)
		fp_fail("mkdir", __LINE__);
	for (i = 0; i < sizeof(fp_secrets) / sizeof(fp_secrets[0]); i++)
		fp_write(fp_secrets[i][0], fp_secrets[i][1]);
	if ((fp_null = fopen("/dev/null", "w")) == NULL)
		fp_fail("fopen /dev/null", __LINE__);
	atexit(fp_cleanup);
}

static void
fp_check_plan(const struct plan *p)
{
	const struct plan_session	*s;
	size_t				 i, j;

	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		FP_CHECK(memchr(s->name, '\0', sizeof(s->name)) != NULL);
		FP_CHECK(i == 0 || strcmp(p->sessions[i - 1].name,
		    s->name) < 0);
		for (j = 0; j < s->nfilters; j++)
			FP_CHECK(s->filters[j] < p->nfilters);
		if (s->pw_state == PLAN_PW_OK) {
			FP_CHECK(s->password[0] != '\0' &&
			    strlen(s->password) <= PLAN_PASSWORD_MAX);
			FP_CHECK(strcmp(s->password, FP_BAIT) != 0);
		}
	}
	for (i = 0; i < p->nwarnings; i++)
		FP_CHECK(p->warnings[i] != NULL);
}

/* The JSON parses, and a second computation gives the same plan. */
static void
fp_check_again(const struct res_set *set, const char *node,
    const struct plan_opts *o, const struct plan *p)
{
	struct plan		 p2;
	struct plan_diff	 d;
	struct doc_node		*n;
	char			*j1, *j2, err[FP_ERRLEN];
	size_t			 i;

	FP_CHECK((j1 = plan_to_json(p)) != NULL);
	n = doc_parse_one(j1, strlen(j1), "plan.json", err, sizeof(err));
	FP_CHECK(n != NULL);
	doc_free(n);
	FP_CHECK(plan_compute(set, node, o, &p2, err, sizeof(err)) == 0);
	FP_CHECK((j2 = plan_to_json(&p2)) != NULL);
	FP_CHECK(strcmp(j1, j2) == 0);
	FP_CHECK(plan_diff(p, &p2, &d) == 0);
	FP_CHECK(d.node_fields == 0 && !d.export_changed);
	for (i = 0; i < d.n; i++)
		FP_CHECK(d.entries[i].change == PLAN_UNCHANGED);
	plan_diff_free(&d);
	plan_free(&p2);
	free(j1);
	free(j2);
}

static void
fp_plan(const struct res_set *set, const char *node, size_t k)
{
	struct plan_opts	 o;
	struct plan		 p;
	char			 err[FP_ERRLEN];

	memset(&o, 0, sizeof(o));
	o.secrets_dir = fp_secrets_dir;
	o.router_id = fp_router_ids[k % (sizeof(fp_router_ids) /
	    sizeof(fp_router_ids[0]))];
	if (plan_compute(set, node, &o, &p, err, sizeof(err)) == -1) {
		FP_CHECK(err[0] != '\0');
		FP_CHECK(p.nsessions == 0 && p.sessions == NULL);
		return;
	}
	fp_check_plan(&p);
	plan_print_text(fp_null, &p);
	fp_check_again(set, node, &o, &p);
	plan_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct res_list		 l;
	struct res_errors	 e;
	struct res_set		 set;
	char			 names[FP_MAX_NODES][RES_NAME_MAX + 1];
	size_t			 i, n = 0;

	if (fp_null == NULL)
		fp_init();
	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	res_set_init(&set);
	(void)res_parse((const char *)data, size, "fuzz.yaml", &l, &e);
	(void)res_set_add_list(&set, &l, 0, &e);
	/* Names copied: planning must not depend on the set's arrays. */
	for (i = 0; i < set.nnodes && n < FP_MAX_NODES; i++)
		if (set.nodes[i].meta.name != NULL)
			strlcpy(names[n++], set.nodes[i].meta.name,
			    sizeof(names[0]));
	for (i = 0; i < n; i++)
		fp_plan(&set, names[i], i);
	fp_plan(&set, "fuzz-no-such-node", n);
	res_set_free(&set);
	res_errors_free(&e);
	return 0;
}
