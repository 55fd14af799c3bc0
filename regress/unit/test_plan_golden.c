/*
 * Golden plans: every directory regress/plan/<scenario>/ holds
 *	resources.yaml	the Calico resources (parsed with res_parse),
 *	node		the local node's name,
 *	plan.json	the expected `plan -o json` text, exactly,
 * or, instead of plan.json, a file "error" with the expected message of a
 * failing plan_compute().  Optional: "routerid" (plan_opts.router_id) and
 * a directory "secrets" (plan_opts.secrets_dir).  Each scenario is one
 * cmocka test; a mismatch prints both texts line by line, "-" expected,
 * "+" got.  PLAN_GOLDEN_OUT=1 writes the computed text to plan.json.out
 * next to plan.json, to help reviewing a new scenario (never copy it
 * blindly: derive the expectation from CALICO.md).
 *
 * Run from the repository root (regress/run.sh does).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "resource.h"

#define PLAN_DIR	"regress/plan"
#define MAX_SCENARIOS	512

/* Whole file, NUL-terminated; NULL if absent. */
static char *
slurp(const char *dir, const char *name, size_t *lenp)
{
	char	 path[1024];
	FILE	*fp;
	char	*buf;
	long	 sz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == -1 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1) {
		fclose(fp);
		return NULL;
	}
	buf = calloc(1, (size_t)sz + 1);
	if (buf == NULL || fread(buf, 1, (size_t)sz, fp) != (size_t)sz) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	if (lenp != NULL)
		*lenp = (size_t)sz;
	return buf;
}

/* A one-line file without its newline. */
static char *
slurp_line(const char *dir, const char *name)
{
	char	*s;
	size_t	 n;

	if ((s = slurp(dir, name, &n)) == NULL)
		return NULL;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static const char *
next_line(const char *s, size_t *len)
{
	const char	*nl;

	if (s == NULL || *s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	*len = nl ? (size_t)(nl - s) : strlen(s);
	return nl ? nl + 1 : s + *len;
}

/* Both texts line by line: ' ' same, '-' expected, '+' got. */
static void
print_diff(const char *name, const char *want, const char *got)
{
	const char	*w = want, *g = got, *wn, *gn;
	size_t		 wl = 0, gl = 0;
	int		 line = 1;

	print_error("scenario %s: plan differs (- expected, + got)\n", name);
	for (;;) {
		wn = next_line(w, &wl);
		gn = next_line(g, &gl);
		if (wn == NULL && gn == NULL)
			break;
		if (wn != NULL && gn != NULL && wl == gl &&
		    memcmp(w, g, wl) == 0)
			print_error("%4d  %.*s\n", line, (int)wl, w);
		else {
			if (wn != NULL)
				print_error("%4d -%.*s\n", line, (int)wl, w);
			if (gn != NULL)
				print_error("%4d +%.*s\n", line, (int)gl, g);
		}
		w = wn;
		g = gn;
		line++;
	}
}

static int
load_set(const char *dir, struct res_set *set)
{
	struct res_list		 list;
	struct res_errors	 errs;
	char			 path[1024];
	char			*text;
	size_t			 len, i;
	int			 rc = 0;

	memset(&list, 0, sizeof(list));
	memset(&errs, 0, sizeof(errs));
	res_set_init(set);
	if ((text = slurp(dir, "resources.yaml", &len)) == NULL) {
		print_error("%s/resources.yaml: cannot read\n", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/resources.yaml", dir);
	if (res_parse(text, len, path, &list, &errs) == -1)
		rc = -1;
	if (res_set_add_list(set, &list, 0, &errs) == -1)
		rc = -1;
	for (i = 0; i < errs.n; i++)
		print_error("%s\n", errs.msgs[i]);
	res_errors_free(&errs);
	free(text);
	return rc;
}

static void
write_out(const char *dir, const char *text)
{
	char	 path[1024];
	FILE	*fp;

	if (getenv("PLAN_GOLDEN_OUT") == NULL)
		return;
	snprintf(path, sizeof(path), "%s/plan.json.out", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* The text form must not crash and must name every session. */
static void
check_text(const struct plan *p)
{
	char	*buf = NULL;
	size_t	 len = 0, i;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	plan_print_text(fp, p);
	fclose(fp);
	for (i = 0; i < p->nsessions; i++)
		assert_non_null(strstr(buf, p->sessions[i].name));
	free(buf);
}

static void
run_scenario(void **state)
{
	const char		*dir = *state;
	struct plan_opts	 opts;
	struct res_set		 set;
	struct plan		 p;
	char			 secrets[1024], err[256];
	char			*node, *want, *got, *rid, *want_err;
	struct stat		 st;
	int			 rc, ok;

	assert_int_equal(load_set(dir, &set), 0);
	node = slurp_line(dir, "node");
	assert_non_null(node);
	rid = slurp_line(dir, "routerid");
	snprintf(secrets, sizeof(secrets), "%s/secrets", dir);
	memset(&opts, 0, sizeof(opts));
	opts.router_id = rid;
	if (stat(secrets, &st) == 0)
		opts.secrets_dir = secrets;
	rc = plan_compute(&set, node, &opts, &p, err, sizeof(err));
	want_err = slurp_line(dir, "error");
	if (want_err != NULL) {
		if (rc == 0 || strcmp(err, want_err) != 0)
			print_error("scenario %s: want error \"%s\", got %s "
			    "\"%s\"\n", dir, want_err, rc ? "error" : "a plan",
			    err);
		assert_int_equal(rc, -1);
		assert_string_equal(err, want_err);
		ok = 1;
		got = want = NULL;
	} else {
		if (rc == -1)
			print_error("scenario %s: %s\n", dir, err);
		assert_int_equal(rc, 0);
		got = plan_to_json(&p);
		write_out(dir, got);
		want = slurp(dir, "plan.json", NULL);
		if (want == NULL)
			print_error("scenario %s: no plan.json\n", dir);
		ok = want != NULL && strcmp(want, got) == 0;
		if (!ok && want != NULL)
			print_diff(dir, want, got);
		check_text(&p);
		plan_free(&p);
	}
	free(want);
	free(got);
	free(want_err);
	free(rid);
	free(node);
	res_set_free(&set);
	assert_true(ok);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	struct CMUnitTest	*tests;
	struct dirent		*de;
	char			*dirs[MAX_SCENARIOS], path[1024];
	struct stat		 st;
	DIR			*d;
	size_t			 n = 0, i;
	int			 rc;

	if ((d = opendir(PLAN_DIR)) == NULL) {
		fprintf(stderr, "%s: %s (run from the repository root)\n",
		    PLAN_DIR, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < MAX_SCENARIOS) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", PLAN_DIR, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			dirs[n++] = strdup(path);
	}
	closedir(d);
	qsort(dirs, n, sizeof(dirs[0]), name_cmp);
	tests = calloc(n + 1, sizeof(*tests));
	if (tests == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		tests[i].name = dirs[i] + sizeof(PLAN_DIR);
		tests[i].test_func = run_scenario;
		tests[i].initial_state = dirs[i];
	}
	rc = _cmocka_run_group_tests("plan_golden", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(tests);
	return rc;
}
