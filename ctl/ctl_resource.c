/*
 * tortiectl's resource verbs, calicoctl's: apply, create, replace, get,
 * patch, delete and label, on the datastore chosen by -D dir or the
 * daemon config (-c, default /etc/tortie/tortie.yaml).
 *
 * Messages and exit codes follow calicoctl (v3.29 spelling, CALICO.md
 * 5.1/5.2): successes on stdout, errors on stderr, exit 1 on any error.
 * Where tortie differs on purpose:
 *  - A file with any parse or validation error changes nothing ("Failed
 *    to execute command: FILE:LINE:COL: ..."), every error listed.
 *  - replace/apply take labels and annotations from the input as given
 *    (calicoctl merges them with the stored ones, so that a label could
 *    never be removed by replace).
 *  - Partial success counts only the resources that succeeded.
 *  - patch is an RFC 7386 merge patch (what calicoctl's strategic merge
 *    amounts to for these kinds); patching the missing "default"
 *    BGPConfiguration creates it, as the Calico guide's commands expect.
 *
 * --dry-run (every verb but get) runs the verb as it is, against an
 * in-memory overlay of the datastore opened read-only (ctl_overlay.c):
 * the same decoding, patching, labelling and datastore checks compute
 * the new resources, and nothing is written.  The resources before and
 * after go to ctl_dryrun_report(), which prints the BGP sessions the
 * change would add, remove or reset on every node and warns about nodes
 * that would lose their routes to the other nodes.  The verb's own
 * messages are printed with "(dry run)" in front, or not at all with
 * -o json, where stdout holds the report alone.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ctl.h"
#include "datastore.h"
#include "datastore_etcd.h"
#include "dconf.h"
#include "doc.h"
#include "resource.h"
#include "util.h"

#define CR_MAX_INPUT	(64 * 1024 * 1024)
#define CR_MAX_COLS	12

enum cr_verb {
	CR_APPLY,
	CR_CREATE,
	CR_REPLACE,
	CR_GET,
	CR_PATCH,
	CR_DELETE,
	CR_LABEL,
};

static const struct {
	const char	*name;
	const char	*past;
	enum cr_verb	 verb;
} cr_verbs[] = {
	{ "apply", "applied", CR_APPLY },
	{ "create", "created", CR_CREATE },
	{ "replace", "replaced", CR_REPLACE },
	{ "get", NULL, CR_GET },
	{ "patch", "patched", CR_PATCH },
	{ "delete", "deleted", CR_DELETE },
	{ "label", NULL, CR_LABEL },
};

/* Options after the verb. */
struct cr_args {
	const char	*file;		/* -f */
	const char	*patch;		/* -p */
	const char	*type;		/* -t */
	int		 skip_exists;
	int		 skip_not_exists;
	int		 skip_empty;
	int		 overwrite;
	int		 remove;
	int		 dry_run;	/* --dry-run */
	char		**pos;		/* positional arguments */
	int		 npos;
};

/* What a verb did to a list of resources. */
struct cr_results {
	size_t		 nres;
	size_t		 handled;
	char		**errs;
	size_t		 nerrs;
	const char	*kind;		/* the single kind, or NULL */
};

/* A table column: a path in the encoded resource, or a special. */
enum cr_special {
	CR_PATH,
	CR_NODE_ASN,
	CR_PEER_NODE,
	CR_COUNT,
	CR_JOIN,
};

struct cr_col {
	const char	*head;
	const char	*path;
	const char	*dflt;
	enum cr_special	 special;
};

struct cr_kind_cols {
	const struct cr_col	*narrow;
	size_t			 nnarrow;
	const struct cr_col	*wide;
	size_t			 nwide;
};

/* calicoctl's table columns per kind (CALICO.md 5.2). */
static const struct cr_col node_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
};
static const struct cr_col node_w[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "ASN", NULL, "", CR_NODE_ASN },
	{ "IPV4", "spec.bgp.ipv4Address", "", CR_PATH },
	{ "IPV6", "spec.bgp.ipv6Address", "", CR_PATH },
};
static const struct cr_col bgpconfig_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "LOGSEVERITY", "spec.logSeverityScreen", "", CR_PATH },
	{ "MESHENABLED", "spec.nodeToNodeMeshEnabled", "-", CR_PATH },
	{ "ASNUMBER", "spec.asNumber", "-", CR_PATH },
};
static const struct cr_col bgppeer_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "PEERIP", "spec.peerIP", "", CR_PATH },
	{ "NODE", NULL, "", CR_PEER_NODE },
	{ "ASN", "spec.asNumber", "0", CR_PATH },
};
static const struct cr_col bgpfilter_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "NUMEXPORTV4", "spec.exportV4", "0", CR_COUNT },
	{ "NUMIMPORTV4", "spec.importV4", "0", CR_COUNT },
	{ "NUMEXPORTV6", "spec.exportV6", "0", CR_COUNT },
	{ "NUMIMPORTV6", "spec.importV6", "0", CR_COUNT },
};
static const struct cr_col ippool_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "CIDR", "spec.cidr", "", CR_PATH },
	{ "SELECTOR", "spec.nodeSelector", "all()", CR_PATH },
};
static const struct cr_col ippool_w[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "CIDR", "spec.cidr", "", CR_PATH },
	{ "NAT", "spec.natOutgoing", "false", CR_PATH },
	{ "IPIPMODE", "spec.ipipMode", "Never", CR_PATH },
	{ "VXLANMODE", "spec.vxlanMode", "Never", CR_PATH },
	{ "DISABLED", "spec.disabled", "false", CR_PATH },
	{ "DISABLEBGPEXPORT", "spec.disableBGPExport", "false", CR_PATH },
	{ "SELECTOR", "spec.nodeSelector", "all()", CR_PATH },
	{ "ASSIGNMENTMODE", "spec.assignmentMode", "Automatic", CR_PATH },
};
static const struct cr_col blockaff_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "NODE", "spec.node", "", CR_PATH },
	{ "CIDR", "spec.cidr", "", CR_PATH },
	{ "STATE", "spec.state", "confirmed", CR_PATH },
};
static const struct cr_col blockaff_w[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "NODE", "spec.node", "", CR_PATH },
	{ "CIDR", "spec.cidr", "", CR_PATH },
	{ "STATE", "spec.state", "confirmed", CR_PATH },
	{ "DELETED", "spec.deleted", "false", CR_PATH },
};
static const struct cr_col nodestatus_n[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "NODE", "spec.node", "", CR_PATH },
};
static const struct cr_col nodestatus_w[] = {
	{ "NAME", "metadata.name", "", CR_PATH },
	{ "NODE", "spec.node", "", CR_PATH },
	{ "CLASSES", "spec.classes", "", CR_JOIN },
};

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))
#define COLS(n, w)	{ n, NCOLS(n), w, NCOLS(w) }
static const struct cr_kind_cols cr_cols[RES_NKINDS] = {
	[RES_NODE] = COLS(node_n, node_w),
	[RES_BGPCONFIG] = COLS(bgpconfig_n, bgpconfig_n),
	[RES_BGPPEER] = COLS(bgppeer_n, bgppeer_n),
	[RES_BGPFILTER] = COLS(bgpfilter_n, bgpfilter_n),
	[RES_IPPOOL] = COLS(ippool_n, ippool_w),
	[RES_BLOCKAFFINITY] = COLS(blockaff_n, blockaff_w),
	[RES_NODESTATUS] = COLS(nodestatus_n, nodestatus_w),
};
#undef COLS
#undef NCOLS

/* One table of rows of ncol cells, printed as Go's tabwriter would. */
struct cr_table {
	size_t	 ncol;
	size_t	 nrow;
	char	**cells;
};

struct cr_ctx {
	struct ctl_opts	*o;
	struct ds	*ds;
	enum cr_verb	 verb;
	const char	*verbname;
	const char	*past;
	char		 asn[32];	/* default AS for the Node table */
	int		 dry;		/* ds is an overlay: write nothing */
	struct res_set	 before;	/* dry run: the resources before */
	struct res_errors bad;		/* dry run: unreadable entries */
};

static int	 cr_usage(const char *);
static int	 cr_parse_args(int, char **, struct cr_args *);
static void	 cr_say(struct cr_ctx *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static struct ds *cr_open_ds(struct cr_ctx *, int);
static int	 cr_open(struct cr_ctx *, int);
static int	 cr_dry_open(struct cr_ctx *, int);
static int	 cr_dry_report(struct cr_ctx *, int);
static int	 cr_read_input(const char *, char **, size_t *);
static int	 cr_load_file(struct cr_ctx *, const char *, int,
		    struct res_list *, int *);
static void	 cr_results_err(struct cr_results *, const char *);
static void	 cr_results_free(struct cr_results *);
static char	*cr_errlist(const struct cr_results *);
static const char *cr_single_kind(const struct res_list *);
static int	 cr_lookup_kind(const char *, enum res_kind *);
static int	 cr_write_verb(struct cr_ctx *, struct cr_args *);
static int	 cr_report_create(struct cr_ctx *, struct cr_results *);
static int	 cr_report_replace(struct cr_ctx *, struct cr_results *);
static int	 cr_delete_report(struct cr_ctx *, struct cr_results *);
static int	 cr_delete(struct cr_ctx *, struct cr_args *);
static int	 cr_get(struct cr_ctx *, struct cr_args *);
static int	 cr_patch(struct cr_ctx *, struct cr_args *);
static int	 cr_label(struct cr_ctx *, struct cr_args *);

/*
 * Arguments and input.
 */

static int
cr_usage(const char *verb)
{
	fprintf(stderr, "Invalid option: 'tortiectl %s'. Use flag '--help' "
	    "to read about a specific subcommand.\n", verb);
	return 1;
}

/* The value of -X/--long: "-X v", "-Xv", "--long v", "--long=v". */
static int
cr_optval(int argc, char **argv, int *i, const char *s, const char *l,
    const char **val)
{
	const char	*a = argv[*i];
	size_t		 ll = strlen(l);

	if (strcmp(a, s) == 0 || strcmp(a, l) == 0) {
		if (*i + 1 >= argc)
			return -1;
		*val = argv[++*i];
		return 1;
	}
	if (strncmp(a, s, 2) == 0 && a[1] != '-' && a[2] != '\0') {
		*val = a + 2;
		return 1;
	}
	if (strncmp(a, l, ll) == 0 && a[ll] == '=') {
		*val = a + ll + 1;
		return 1;
	}
	return 0;
}

static int
cr_parse_flag(const char *a, struct cr_args *ca)
{
	if (strcmp(a, "--skip-exists") == 0)
		ca->skip_exists = 1;
	else if (strcmp(a, "--skip-not-exists") == 0 || strcmp(a, "-s") == 0)
		ca->skip_not_exists = 1;
	else if (strcmp(a, "--skip-empty") == 0)
		ca->skip_empty = 1;
	else if (strcmp(a, "--overwrite") == 0)
		ca->overwrite = 1;
	else if (strcmp(a, "--remove") == 0)
		ca->remove = 1;
	else if (strcmp(a, "--dry-run") == 0)
		ca->dry_run = 1;
	else
		return -1;
	return 0;
}

/* argv[0] is the verb. */
static int
cr_parse_args(int argc, char **argv, struct cr_args *ca)
{
	int	 i, r;

	memset(ca, 0, sizeof(*ca));
	ca->pos = xcalloc((size_t)argc + 1, sizeof(*ca->pos));
	for (i = 1; i < argc; i++) {
		if ((r = cr_optval(argc, argv, &i, "-f", "--filename",
		    &ca->file)) != 0 ||
		    (r = cr_optval(argc, argv, &i, "-p", "--patch",
		    &ca->patch)) != 0 ||
		    (r = cr_optval(argc, argv, &i, "-t", "--type",
		    &ca->type)) != 0) {
			if (r == -1)
				return -1;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (cr_parse_flag(argv[i], ca) == -1)
				return -1;
			continue;
		}
		ca->pos[ca->npos++] = argv[i];
	}
	return 0;
}

/*
 * A verb's message on stdout.  A dry run marks it as such, and with -o
 * json leaves stdout to the report alone.
 */
static void
cr_say(struct cr_ctx *c, const char *fmt, ...)
{
	va_list	 ap;

	if (c->dry && c->o->output == OUT_JSON)
		return;
	if (c->dry)
		fputs("(dry run) ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The datastore: -D dir, else the daemon config's (-c or default). */
static struct ds *
cr_open_ds(struct cr_ctx *c, int flags)
{
	struct dconf	 dc;
	struct ds_err	 err;
	struct ds	*ds;
	char		 msg[1024];

	memset(&err, 0, sizeof(err));
	if (c->o->ds_dir != NULL)
		ds = ds_open("file", c->o->ds_dir, flags, &err);
	else {
		if (dconf_load(c->o->conf_file != NULL ? c->o->conf_file :
		    TORTIE_CONF, &dc, msg, sizeof(msg)) == -1) {
			fprintf(stderr, "Failed to create datastore client: "
			    "%s\n", msg);
			dconf_free(&dc);
			return NULL;
		}
		ds = ds_open_dconf(&dc, flags, &err);
		dconf_free(&dc);
	}
	if (ds == NULL)
		fprintf(stderr, "Failed to create datastore client: %s\n",
		    err.msg);
	return ds;
}

static int
cr_open(struct cr_ctx *c, int write)
{
	if (c->dry)
		return cr_dry_open(c, write);
	c->ds = cr_open_ds(c, write ? DS_O_CREATE : 0);
	return c->ds != NULL ? 0 : -1;
}

/*
 * A dry run reads the datastore, opened read-only, into an overlay that
 * takes the verb's writes in memory, and keeps the resources as they
 * are before the verb runs.  A datastore directory that does not exist
 * yet is an empty datastore for a verb that would create it.
 */
static int
cr_dry_open(struct cr_ctx *c, int write)
{
	struct ds	*under = NULL;
	struct ds_err	 err;
	struct stat	 st;

	memset(&err, 0, sizeof(err));
	if (!write || c->o->ds_dir == NULL || stat(c->o->ds_dir, &st) == 0 ||
	    errno != ENOENT) {
		if ((under = cr_open_ds(c, DS_O_RDONLY)) == NULL)
			return -1;
	}
	if ((c->ds = ctl_overlay_open(under, &c->bad, &err)) == NULL) {
		fprintf(stderr, "Failed to read the datastore: %s\n",
		    err.msg);
		return -1;
	}
	/* Entries that do not validate are reported after the verb. */
	if (ds_load(c->ds, &c->before, NULL, &err) == -1) {
		fprintf(stderr, "Failed to read the datastore: %s\n",
		    err.msg);
		return -1;
	}
	return 0;
}

/*
 * After the verb: the resources as they would be, and the report.  The
 * verb's exit code stands; a report that cannot be made is an error.
 */
static int
cr_dry_report(struct cr_ctx *c, int rc)
{
	struct res_set		 after;
	struct res_errors	 bad;
	struct ds_err		 err;
	size_t			 i;

	res_set_init(&after);
	memset(&bad, 0, sizeof(bad));
	memset(&err, 0, sizeof(err));
	for (i = 0; i < c->bad.n; i++)
		ds_errors_add(&bad, "%s", c->bad.msgs[i]);
	if (ds_load(c->ds, &after, &bad, &err) == -1) {
		fprintf(stderr, "Failed to read the datastore: %s\n",
		    err.msg);
		rc = 1;
	} else if (ctl_dryrun_report(c->o, &c->before, &after, &bad) == -1)
		rc = 1;
	res_set_free(&after);
	res_errors_free(&bad);
	return rc;
}

/* A whole file or stdin ("-"), at most CR_MAX_INPUT bytes. */
static int
cr_read_input(const char *path, char **bufp, size_t *lenp)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	ssize_t	 r;
	int	 fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "Failed to execute command: open %s: %s\n",
		    path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len > CR_MAX_INPUT)
			break;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (r == -1 || len > CR_MAX_INPUT) {
		fprintf(stderr, "Failed to execute command: read %s: %s\n",
		    path, r == -1 ? strerror(errno) : "input too large");
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

/*
 * Decode a YAML/JSON stream: each document a resource, a <Kind>List, or
 * a sequence of resources (what get -o yaml prints for several names,
 * which calicoctl accepts back as input).
 */
static int
cr_decode_stream(const char *buf, size_t len, const char *name,
    struct res_list *out, struct res_errors *errs)
{
	struct doc_stream	 st;
	struct doc_node		*d;
	char			 err[512];
	size_t			 i, j;
	int			 rc = 0;

	if (doc_parse(buf, len, name, NULL, &st, err, sizeof(err)) == -1) {
		ds_errors_add(errs, "%s", err);
		return -1;
	}
	for (i = 0; i < st.n; i++) {
		d = st.docs[i];
		if (d->type == DOC_NULL)
			continue;
		if (d->type != DOC_LIST) {
			if (res_decode(d, name, out, errs) == -1)
				rc = -1;
			continue;
		}
		for (j = 0; j < d->n; j++)
			if (res_decode(d->items[j], name, out, errs) == -1)
				rc = -1;
	}
	doc_stream_free(&st);
	return rc;
}

/*
 * The resources of a file.  Any error in the file rejects all of it, so
 * that a typo never applies half a file; *empty is set when the file
 * holds no resource (the caller decides whether that is an error).
 */
static int
cr_load_file(struct cr_ctx *c, const char *path, int skip_empty,
    struct res_list *out, int *empty)
{
	struct res_errors	 errs;
	char			*buf;
	size_t			 len, i;
	int			 rc;

	*empty = 0;
	memset(out, 0, sizeof(*out));
	memset(&errs, 0, sizeof(errs));
	if (cr_read_input(path, &buf, &len) == -1)
		return -1;
	rc = cr_decode_stream(buf, len, strcmp(path, "-") == 0 ? "<stdin>" :
	    path, out, &errs);
	free(buf);
	if (rc == -1) {
		fprintf(stderr, "Failed to execute command: ");
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s%s\n", i > 0 ? "  " : "",
			    errs.msgs[i]);
		if (errs.dropped > 0)
			fprintf(stderr, "  (and %zu more errors)\n",
			    errs.dropped);
		res_errors_free(&errs);
		res_list_free(out);
		return -1;
	}
	res_errors_free(&errs);
	if (out->n == 0) {
		*empty = 1;
		if (skip_empty)
			cr_say(c, "No resources specified\n");
		else
			fprintf(stderr, "No resources specified in file %s\n",
			    path);
		return -1;
	}
	return 0;
}

static int
cr_lookup_kind(const char *s, enum res_kind *kind)
{
	if (res_kind_lookup(s, kind) == -1) {
		fprintf(stderr, "resource type '%s' is not supported\n", s);
		return -1;
	}
	return 0;
}

/*
 * Results.
 */

static void
cr_results_err(struct cr_results *res, const char *msg)
{
	res->errs = xreallocarray(res->errs, res->nerrs + 1,
	    sizeof(*res->errs));
	res->errs[res->nerrs++] = xstrdup(msg);
}

static void
cr_results_free(struct cr_results *res)
{
	size_t	 i;

	for (i = 0; i < res->nerrs; i++)
		free(res->errs[i]);
	free(res->errs);
	memset(res, 0, sizeof(*res));
}

/* Go's %v of a []error: "[e1 e2]". */
static char *
cr_errlist(const struct cr_results *res)
{
	char	*s, *t;
	size_t	 i;

	s = xstrdup("[");
	for (i = 0; i < res->nerrs; i++) {
		if (xasprintf(&t, "%s%s%s", s, i > 0 ? " " : "",
		    res->errs[i]) == -1)
			break;
		free(s);
		s = t;
	}
	if (xasprintf(&t, "%s]", s) != -1) {
		free(s);
		s = t;
	}
	return s;
}

/* The kind name if every resource is of one kind, else NULL. */
static const char *
cr_single_kind(const struct res_list *l)
{
	size_t	 i;

	for (i = 1; i < l->n; i++)
		if (l->items[i].kind != l->items[0].kind)
			return NULL;
	return l->n > 0 ? res_kind_name(l->items[0].kind) : NULL;
}

/*
 * apply, create, replace.
 */

static int
cr_write_one(struct cr_ctx *c, struct cr_args *ca, struct resource *r,
    struct ds_err *err)
{
	struct res_meta	*m = res_meta(r);

	switch (c->verb) {
	case CR_CREATE:
		/* Only name, labels, annotations, resourceVersion count. */
		free(m->uid);
		free(m->creation_timestamp);
		m->uid = m->creation_timestamp = NULL;
		if (ds_create(c->ds, r, err) == 0)
			return 0;
		return ca->skip_exists && err->code == DS_EEXIST ? 0 : -1;
	case CR_APPLY:
		return ds_apply(c->ds, r, err);
	case CR_REPLACE:
		return ds_update(c->ds, r, err);
	default:
		return -1;
	}
}

static int
cr_write_verb(struct cr_ctx *c, struct cr_args *ca)
{
	struct res_list		 l;
	struct cr_results	 res;
	struct ds_err		 err;
	size_t			 i;
	int			 empty, rc;

	if (ca->file == NULL || ca->npos != 0)
		return cr_usage(c->verbname);
	if (cr_load_file(c, ca->file, ca->skip_empty, &l, &empty) == -1)
		return empty && ca->skip_empty ? 0 : 1;
	if (cr_open(c, 1) == -1) {
		res_list_free(&l);
		return 1;
	}
	memset(&res, 0, sizeof(res));
	res.nres = l.n;
	res.kind = cr_single_kind(&l);
	for (i = 0; i < l.n; i++) {
		memset(&err, 0, sizeof(err));
		if (cr_write_one(c, ca, &l.items[i], &err) == 0)
			res.handled++;
		else
			cr_results_err(&res, err.msg);
	}
	if (c->verb == CR_REPLACE)
		rc = cr_report_replace(c, &res);
	else
		rc = cr_report_create(c, &res);
	cr_results_free(&res);
	res_list_free(&l);
	return rc;
}

/* "'BGPPeer' " or "" for messages that name the single kind. */
static void
cr_kind_word(const struct cr_results *res, char *buf, size_t len)
{
	if (res->kind != NULL)
		snprintf(buf, len, "'%s' ", res->kind);
	else
		buf[0] = '\0';
}

/* create and apply: every error reported, as a Go slice. */
static int
cr_report_create(struct cr_ctx *c, struct cr_results *res)
{
	char	 kw[64], *errs;

	cr_kind_word(res, kw, sizeof(kw));
	if (res->nerrs == 0) {
		cr_say(c, "Successfully %s %zu %sresource(s)\n", c->past,
		    res->handled, kw);
		return 0;
	}
	errs = cr_errlist(res);
	if (res->handled == 0) {
		if (res->nres == 1)
			fprintf(stderr, "Failed to %s %sresource: %s\n",
			    c->verbname, kw, errs);
		else
			fprintf(stderr, "Failed to %s any %sresources: %s\n",
			    c->verbname, kw, errs);
	} else {
		cr_say(c, "Partial success: %s the first %zu out of %zu "
		    "%sresources:\n", c->past, res->handled, res->nres, kw);
		fprintf(stderr, "Hit error: %s\n", errs);
	}
	free(errs);
	return 1;
}

/* replace: calicoctl reports the last error only, not as a slice. */
static int
cr_report_replace(struct cr_ctx *c, struct cr_results *res)
{
	const char	*last;
	char		 kw[64];

	cr_kind_word(res, kw, sizeof(kw));
	if (res->nerrs == 0) {
		cr_say(c, "Successfully %s %zu %sresource(s)\n", c->past,
		    res->handled, kw);
		return 0;
	}
	last = res->errs[res->nerrs - 1];
	if (res->handled == 0) {
		if (res->nres == 1)
			fprintf(stderr, "Failed to replace %sresource: %s\n",
			    kw, last);
		else
			fprintf(stderr, "Failed to replace any %sresources: "
			    "%s\n", kw, last);
	} else {
		cr_say(c, "Partial success: replaced the first %zu out of "
		    "%zu %sresources:\n", res->handled, res->nres, kw);
		fprintf(stderr, "Hit error: %s\n", last);
	}
	return 1;
}

/*
 * delete KIND NAME... | -f FILE
 */

static void
cr_delete_one(struct cr_ctx *c, struct cr_args *ca, enum res_kind kind,
    const char *name, const char *rv, struct cr_results *res)
{
	struct ds_err	 err;

	memset(&err, 0, sizeof(err));
	if (ds_delete(c->ds, kind, name, rv, &err) == 0 ||
	    (ca->skip_not_exists && err.code == DS_ENOENT))
		res->handled++;
	else
		cr_results_err(res, err.msg);
}

static int
cr_delete_report(struct cr_ctx *c, struct cr_results *res)
{
	size_t	 i;

	if (res->handled > 0) {
		if (res->kind != NULL)
			cr_say(c, "Successfully deleted %zu '%s' "
			    "resource(s)\n", res->handled, res->kind);
		else
			cr_say(c, "Successfully deleted %zu resource(s)\n",
			    res->handled);
	}
	for (i = 0; i < res->nerrs; i++) {
		if (res->kind != NULL)
			fprintf(stderr, "Failed to delete '%s' resource: %s\n",
			    res->kind, res->errs[i]);
		else
			fprintf(stderr, "Failed to delete resource: %s\n",
			    res->errs[i]);
	}
	return res->nerrs > 0 ? 1 : 0;
}

static int
cr_delete(struct cr_ctx *c, struct cr_args *ca)
{
	struct res_list		 l;
	struct cr_results	 res;
	enum res_kind		 kind;
	size_t			 i;
	int			 empty, rc;

	memset(&l, 0, sizeof(l));
	memset(&res, 0, sizeof(res));
	if (ca->file != NULL) {
		if (ca->npos != 0)
			return cr_usage(c->verbname);
		if (cr_load_file(c, ca->file, ca->skip_empty, &l,
		    &empty) == -1)
			return empty && ca->skip_empty ? 0 : 1;
		res.kind = cr_single_kind(&l);
	} else {
		if (ca->npos < 2)
			return cr_usage(c->verbname);
		if (cr_lookup_kind(ca->pos[0], &kind) == -1)
			return 1;
		for (i = 1; i < (size_t)ca->npos; i++)
			if (ca->pos[i][0] == '\0') {
				fprintf(stderr, "resource name may not be "
				    "empty\n");
				return 1;
			}
		res.kind = res_kind_name(kind);
	}
	if (cr_open(c, 0) == -1) {
		res_list_free(&l);
		return 1;
	}
	if (ca->file != NULL) {
		res.nres = l.n;
		for (i = 0; i < l.n; i++)
			cr_delete_one(c, ca, l.items[i].kind,
			    res_name(&l.items[i]),
			    res_meta(&l.items[i])->resource_version, &res);
	} else {
		res.nres = (size_t)ca->npos - 1;
		for (i = 1; i < (size_t)ca->npos; i++)
			cr_delete_one(c, ca, kind, ca->pos[i], NULL, &res);
	}
	rc = cr_delete_report(c, &res);
	cr_results_free(&res);
	res_list_free(&l);
	return rc;
}

/*
 * get KIND [NAME...] [-o yaml|json|wide]
 */

static void
cr_table_row(struct cr_table *t, char **cells)
{
	t->cells = xreallocarray(t->cells, (t->nrow + 1) * t->ncol,
	    sizeof(*t->cells));
	memcpy(t->cells + t->nrow * t->ncol, cells, t->ncol *
	    sizeof(*cells));
	t->nrow++;
}

/*
 * Print as Go's text/tabwriter with calicoctl's settings (minimum width
 * 5, padding 3, cells terminated by a tab, so that every column, the
 * last included, is padded), then the blank line calicoctl leaves after
 * each table.
 */
static void
cr_table_print(struct cr_table *t)
{
	size_t	 w[CR_MAX_COLS], i, j, l;

	for (j = 0; j < t->ncol; j++) {
		w[j] = 5;
		for (i = 0; i < t->nrow; i++)
			if ((l = strlen(t->cells[i * t->ncol + j]) + 3) > w[j])
				w[j] = l;
	}
	for (i = 0; i < t->nrow; i++) {
		for (j = 0; j < t->ncol; j++)
			printf("%-*s", (int)w[j], t->cells[i * t->ncol + j]);
		putchar('\n');
	}
	putchar('\n');
	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrow = 0;
}

/* The node at a dotted path of a document, or NULL. */
static const struct doc_node *
cr_path(const struct doc_node *doc, const char *path)
{
	char	 key[64];
	size_t	 n;

	while (doc != NULL && *path != '\0') {
		n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		doc = doc->type == DOC_MAP ? doc_map_get(doc, key) : NULL;
		path += n + (path[n] == '.');
	}
	return doc;
}

/* A scalar as text; NULL for anything else. */
static char *
cr_scalar(const struct doc_node *n)
{
	char	*s = NULL;

	if (n == NULL)
		return NULL;
	switch (n->type) {
	case DOC_STRING:
		return n->raw[0] != '\0' ? xstrdup(n->raw) : NULL;
	case DOC_BOOL:
		return xstrdup(n->b ? "true" : "false");
	case DOC_INT:
		xasprintf(&s, "%lld", (long long)n->i);
		return s;
	case DOC_FLOAT:
		xasprintf(&s, "%g", n->f);
		return s;
	default:
		return NULL;
	}
}

/* The default AS of nodes without one: "(64512)", as calicoctl. */
static const char *
cr_default_asn(struct cr_ctx *c)
{
	struct resource	 r;
	struct ds_err	 err;

	if (c->asn[0] != '\0')
		return c->asn;
	if (ds_get(c->ds, RES_BGPCONFIG, "default", &r, &err) == 0) {
		snprintf(c->asn, sizeof(c->asn), "(%u)",
		    r.u.bgpconfig.spec.has_as_number ?
		    r.u.bgpconfig.spec.as_number : RES_DEFAULT_ASN);
		res_free(&r);
	} else if (err.code == DS_ENOENT)
		snprintf(c->asn, sizeof(c->asn), "(%u)", RES_DEFAULT_ASN);
	else
		snprintf(c->asn, sizeof(c->asn), "(unknown)");
	return c->asn;
}

static char *
cr_cell_special(struct cr_ctx *c, const struct cr_col *col,
    const struct doc_node *doc)
{
	const struct doc_node	*n;
	char			*s, *t;
	size_t			 i;

	switch (col->special) {
	case CR_NODE_ASN:
		if (cr_path(doc, "spec.bgp") == NULL)
			return NULL;
		if ((s = cr_scalar(cr_path(doc, "spec.bgp.asNumber"))) != NULL)
			return s;
		return xstrdup(cr_default_asn(c));
	case CR_PEER_NODE:
		if ((s = cr_scalar(cr_path(doc, "spec.node"))) != NULL ||
		    (s = cr_scalar(cr_path(doc, "spec.nodeSelector"))) != NULL)
			return s;
		return xstrdup("(global)");
	case CR_COUNT:
		n = cr_path(doc, col->path);
		if (n == NULL || n->type != DOC_LIST)
			return NULL;
		xasprintf(&s, "%zu", n->n);
		return s;
	case CR_JOIN:
		n = cr_path(doc, col->path);
		if (n == NULL || n->type != DOC_LIST || n->n == 0)
			return NULL;
		s = xstrdup("");
		for (i = 0; i < n->n; i++) {
			xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "",
			    n->items[i]->raw != NULL ? n->items[i]->raw : "");
			free(s);
			s = t;
		}
		return s;
	default:
		return cr_scalar(cr_path(doc, col->path));
	}
}

static void
cr_table_add(struct cr_ctx *c, struct cr_table *t, const struct cr_col *cols,
    const struct resource *r)
{
	struct doc_node	*doc = res_encode(r);
	char		*cells[CR_MAX_COLS];
	size_t		 j;

	for (j = 0; j < t->ncol; j++)
		if ((cells[j] = cr_cell_special(c, &cols[j], doc)) == NULL)
			cells[j] = xstrdup(cols[j].dflt);
	doc_free(doc);
	cr_table_row(t, cells);
}

static void
cr_table_start(struct cr_table *t, const struct cr_col *cols, size_t ncol)
{
	char	*cells[CR_MAX_COLS];
	size_t	 j;

	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	for (j = 0; j < ncol; j++)
		cells[j] = xstrdup(cols[j].head);
	cr_table_row(t, cells);
}

/* Print a doc as -o yaml or -o json. */
static void
cr_print_doc(struct cr_ctx *c, const struct doc_node *doc)
{
	char	*s;

	if (c->o->output == OUT_JSON)
		s = doc_to_json(doc, 1);
	else
		s = doc_to_yaml(doc);
	fputs(s, stdout);
	free(s);
}

/*
 * Print what get found.  A list (no names) is one <Kind>List object or
 * one table; named resources are one object (or a sequence of them when
 * there are several) or one table each, as calicoctl prints them.
 */
static void
cr_get_print(struct cr_ctx *c, enum res_kind kind, struct res_list *l,
    int listed, uint64_t rev)
{
	const struct cr_kind_cols	*kc = &cr_cols[kind];
	const struct cr_col		*cols;
	struct cr_table			 t;
	struct doc_node			*doc;
	char				 rv[32];
	size_t				 i, ncol;

	if (c->o->output == OUT_JSON || c->o->output == OUT_YAML) {
		snprintf(rv, sizeof(rv), "%llu", (unsigned long long)rev);
		if (listed)
			doc = res_encode_list(kind, l->items, l->n, rv);
		else if (l->n == 1)
			doc = res_encode(&l->items[0]);
		else {
			doc = doc_new_list();
			for (i = 0; i < l->n; i++)
				doc_list_append(doc, res_encode(&l->items[i]));
		}
		cr_print_doc(c, doc);
		doc_free(doc);
		return;
	}
	cols = c->o->output == OUT_WIDE ? kc->wide : kc->narrow;
	ncol = c->o->output == OUT_WIDE ? kc->nwide : kc->nnarrow;
	if (listed) {
		cr_table_start(&t, cols, ncol);
		for (i = 0; i < l->n; i++)
			cr_table_add(c, &t, cols, &l->items[i]);
		cr_table_print(&t);
		return;
	}
	for (i = 0; i < l->n; i++) {
		cr_table_start(&t, cols, ncol);
		cr_table_add(c, &t, cols, &l->items[i]);
		cr_table_print(&t);
	}
}

static int
cr_get_names(struct cr_ctx *c, enum res_kind kind, struct cr_args *ca,
    struct res_list *l, struct res_errors *errs)
{
	struct resource	 r;
	struct ds_err	 err;
	int		 i;

	for (i = 1; i < ca->npos; i++) {
		if (ca->pos[i][0] == '\0') {
			fprintf(stderr, "resource name may not be empty\n");
			return -1;
		}
	}
	for (i = 1; i < ca->npos; i++) {
		if (ds_get(c->ds, kind, ca->pos[i], &r, &err) == -1) {
			ds_errors_add(errs, "%s", err.msg);
			continue;
		}
		l->items = xreallocarray(l->items, l->n + 1,
		    sizeof(*l->items));
		l->items[l->n++] = r;
	}
	return 0;
}

static int
cr_get(struct cr_ctx *c, struct cr_args *ca)
{
	struct res_list		 l;
	struct res_errors	 errs;
	struct ds_err		 err;
	enum res_kind		 kind;
	uint64_t		 rev = 0;
	size_t			 i;
	int			 rc = 1;

	if (ca->npos < 1 || ca->file != NULL)
		return cr_usage(c->verbname);
	if (cr_lookup_kind(ca->pos[0], &kind) == -1 || cr_open(c, 0) == -1)
		return 1;
	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	if (ca->npos == 1) {
		if (ds_list(c->ds, kind, &l, &rev, &errs, &err) == -1) {
			fprintf(stderr, "Failed to get resources: %s\n",
			    err.msg);
			goto done;
		}
	} else if (cr_get_names(c, kind, ca, &l, &errs) == -1)
		goto done;
	cr_get_print(c, kind, &l, ca->npos == 1, rev);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	rc = errs.n > 0 ? 1 : 0;
done:
	res_list_free(&l);
	res_errors_free(&errs);
	return rc;
}

/*
 * patch KIND NAME -p JSON
 */

/* The document of a missing default BGPConfiguration, to patch. */
static struct doc_node *
cr_patch_base(enum res_kind kind, const char *name)
{
	struct doc_node	*doc = doc_new_map(), *meta = doc_new_map();

	doc_map_set(doc, "apiVersion", doc_new_string(RES_API_VERSION));
	doc_map_set(doc, "kind", doc_new_string(res_kind_name(kind)));
	doc_map_set(meta, "name", doc_new_string(name));
	doc_map_set(doc, "metadata", meta);
	doc_map_set(doc, "spec", doc_new_map());
	return doc;
}

/* A metadata string of doc, or NULL. */
static const char *
cr_meta_str(const struct doc_node *doc, const char *key)
{
	const struct doc_node	*n = cr_path(doc, "metadata");

	n = n != NULL && n->type == DOC_MAP ? doc_map_get(n, key) : NULL;
	return n != NULL && n->type == DOC_STRING ? n->raw : NULL;
}

/*
 * Apply the merge patch to doc (consumed) and decode the result into r.
 * Identity and server metadata are not the patch's to change: kind,
 * apiVersion and name must stay, uid, creationTimestamp and
 * resourceVersion are put back as stored.
 */
static int
cr_patch_apply(struct doc_node *doc, const struct doc_node *patch,
    struct resource *r, char *msg, size_t len)
{
	struct res_list		 l;
	struct res_errors	 errs;
	struct doc_node		*keep, *meta;
	const char		*keys[] = { "uid", "creationTimestamp",
				    "resourceVersion" };
	const char		*s, *name;
	size_t			 i;
	int			 rc = -1;

	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	keep = doc_copy(doc);
	doc = doc_merge_patch(doc, patch);
	name = cr_meta_str(keep, "name");
	s = cr_meta_str(doc, "name");
	if (s == NULL || name == NULL || strcmp(s, name) != 0 ||
	    !doc_equal(doc_map_get(doc, "kind"), doc_map_get(keep, "kind")) ||
	    !doc_equal(doc_map_get(doc, "apiVersion"),
	    doc_map_get(keep, "apiVersion"))) {
		snprintf(msg, len, "a patch cannot change kind, apiVersion or "
		    "metadata.name");
		goto done;
	}
	meta = doc_map_get(doc, "metadata");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		doc_map_remove(meta, keys[i]);
		if ((s = cr_meta_str(keep, keys[i])) != NULL)
			doc_map_set(meta, keys[i], doc_new_string(s));
	}
	if (res_decode(doc, "patch", &l, &errs) == -1 || l.n != 1) {
		snprintf(msg, len, "%s", errs.n > 0 ? errs.msgs[0] :
		    "invalid resource");
		goto done;
	}
	*r = l.items[0];
	l.n = 0;
	rc = 0;
done:
	doc_free(doc);
	doc_free(keep);
	res_list_free(&l);
	res_errors_free(&errs);
	return rc;
}

/* Fetch kind/name as a document; a missing default BGPConfiguration is
 * an empty one (*created set). */
static struct doc_node *
cr_patch_fetch(struct cr_ctx *c, enum res_kind kind, const char *name,
    int *created)
{
	struct resource	 cur;
	struct ds_err	 err;
	struct doc_node	*doc;

	*created = 0;
	if (ds_get(c->ds, kind, name, &cur, &err) == 0) {
		doc = res_encode(&cur);
		res_free(&cur);
		return doc;
	}
	if (err.code == DS_ENOENT && kind == RES_BGPCONFIG &&
	    strcmp(name, "default") == 0) {
		*created = 1;
		return cr_patch_base(kind, name);
	}
	fprintf(stderr, "Hit error: %s\n", err.msg);
	return NULL;
}

static int
cr_patch_parse(struct cr_args *ca, enum res_kind *kind,
    struct doc_node **patch)
{
	char	 err[512];

	*patch = NULL;
	if (ca->npos != 2 || ca->patch == NULL || ca->file != NULL)
		return -1;
	if (ca->type != NULL && strcmp(ca->type, "strategic") != 0 &&
	    strcmp(ca->type, "merge") != 0) {
		fprintf(stderr, "patch type '%s' is not supported (strategic "
		    "and merge patches are RFC 7386 merge patches)\n",
		    ca->type);
		return -2;
	}
	if (cr_lookup_kind(ca->pos[0], kind) == -1)
		return -2;
	*patch = doc_parse_one(ca->patch, strlen(ca->patch), "patch", err,
	    sizeof(err));
	if (*patch == NULL || (*patch)->type != DOC_MAP) {
		fprintf(stderr, "Hit error: the patch must be a JSON object: "
		    "%s\n", *patch == NULL ? err : "not an object");
		doc_free(*patch);
		*patch = NULL;
		return -2;
	}
	return 0;
}

static int
cr_patch(struct cr_ctx *c, struct cr_args *ca)
{
	struct doc_node	*patch, *doc;
	struct resource	 r;
	struct ds_err	 err;
	enum res_kind	 kind;
	char		 msg[DS_ERRLEN];
	int		 created, rc;

	if ((rc = cr_patch_parse(ca, &kind, &patch)) == -1)
		return cr_usage(c->verbname);
	if (rc == -2 || cr_open(c, 1) == -1) {
		doc_free(patch);
		return 1;
	}
	rc = 1;
	if ((doc = cr_patch_fetch(c, kind, ca->pos[1], &created)) == NULL)
		goto done;
	if (cr_patch_apply(doc, patch, &r, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "Hit error: updating existing resource: %s\n",
		    msg);
		goto done;
	}
	if ((created ? ds_create(c->ds, &r, &err) :
	    ds_update(c->ds, &r, &err)) == -1)
		fprintf(stderr, "Hit error: updating existing resource: %s\n",
		    err.msg);
	else {
		if (created)
			cr_say(c, "BGPConfiguration default did not exist: "
			    "created it from the patch\n");
		cr_say(c, "Successfully patched 1 '%s' resource\n",
		    res_kind_name(kind));
		rc = 0;
	}
	res_free(&r);
done:
	doc_free(patch);
	return rc;
}

/*
 * label KIND NAME key=value [--overwrite] | KIND NAME key --remove
 */

static ssize_t
cr_label_find(const struct res_meta *m, const char *key)
{
	size_t	 i;

	for (i = 0; i < m->nlabels; i++)
		if (strcmp(m->labels[i].key, key) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * Change the labels of r: 0 changed, -1 refused (message printed).
 * *what: 0 set, 1 updated, 2 removed.
 */
static int
cr_label_edit(struct res_meta *m, const char *kind, const char *name,
    const char *key, const char *value, struct cr_args *ca, int *what)
{
	ssize_t	 i = cr_label_find(m, key);

	if (ca->remove) {
		if (i == -1) {
			fprintf(stderr, "cannot remove label of %s %s, key %s "
			    "does not exist\n", kind, name, key);
			return -1;
		}
		free((char *)(uintptr_t)m->labels[i].key);
		free((char *)(uintptr_t)m->labels[i].value);
		memmove(&m->labels[i], &m->labels[i + 1],
		    (m->nlabels - (size_t)i - 1) * sizeof(*m->labels));
		m->nlabels--;
		*what = 2;
		return 0;
	}
	if (i != -1) {
		if (!ca->overwrite && strcmp(m->labels[i].value != NULL ?
		    m->labels[i].value : "", value) != 0) {
			fprintf(stderr, "failed to update label of %s %s, key "
			    "%s is already present. please use '--overwrite' "
			    "to set a new value.\n", kind, name, key);
			return -1;
		}
		free((char *)(uintptr_t)m->labels[i].value);
		m->labels[i].value = xstrdup(value);
		*what = 1;
		return 0;
	}
	m->labels = xreallocarray(m->labels, m->nlabels + 1,
	    sizeof(*m->labels));
	m->labels[m->nlabels].key = xstrdup(key);
	m->labels[m->nlabels].value = xstrdup(value);
	m->nlabels++;
	*what = 0;
	return 0;
}

/* "key=value" (exactly one '='), or "key" with --remove. */
static int
cr_label_arg(struct cr_args *ca, char **key, char **value)
{
	const char	*kv = ca->pos[2], *eq = strchr(kv, '=');

	if (ca->remove) {
		if (eq != NULL || ca->overwrite)
			return -1;
		*key = xstrdup(kv);
		*value = NULL;
		return 0;
	}
	if (eq == NULL || strchr(eq + 1, '=') != NULL) {
		fprintf(stderr, "invalid label %s\n", kv);
		return -2;
	}
	*key = strndup(kv, (size_t)(eq - kv));
	*value = xstrdup(eq + 1);
	return 0;
}

static int
cr_label(struct cr_ctx *c, struct cr_args *ca)
{
	static const char *const done_msg[][2] = { { "set", "on" },
	    { "updated", "on" }, { "removed", "from" } };
	struct resource	 r;
	struct ds_err	 err;
	enum res_kind	 kind;
	char		*key = NULL, *value = NULL;
	const char	*kw, *name;
	int		 what = 0, rc;

	if (ca->npos != 3 || ca->file != NULL)
		return cr_usage(c->verbname);
	kw = ca->pos[0];
	name = ca->pos[1];
	if ((rc = cr_label_arg(ca, &key, &value)) == -1)
		return cr_usage(c->verbname);
	rc = 1;
	if (key == NULL || cr_lookup_kind(kw, &kind) == -1 ||
	    cr_open(c, 1) == -1)
		goto done;
	if (ds_get(c->ds, kind, name, &r, &err) == -1) {
		fprintf(stderr, "failed to get %s %s, error %s\n", kw, name,
		    err.msg);
		goto done;
	}
	if (cr_label_edit(res_meta(&r), kw, name, key, value != NULL ? value :
	    "", ca, &what) == 0) {
		if (ds_update(c->ds, &r, &err) == -1)
			fprintf(stderr, "failed to update %s %s, label not "
			    "changed: %s\n", kw, name, err.msg);
		else {
			cr_say(c, "Successfully %s label %s %s %s %s\n",
			    done_msg[what][0], key, done_msg[what][1], kw,
			    name);
			rc = 0;
		}
	}
	res_free(&r);
done:
	free(key);
	free(value);
	return rc;
}

/*
 * Entry points.
 */

int
ctl_resource_verb(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(cr_verbs) / sizeof(cr_verbs[0]); i++)
		if (strcmp(s, cr_verbs[i].name) == 0)
			return 1;
	return 0;
}

/* argv[0] is the verb; global options are in o already. */
int
ctl_resource(struct ctl_opts *o, int argc, char **argv)
{
	struct cr_ctx	 c;
	struct cr_args	 ca;
	size_t		 i;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.o = o;
	for (i = 0; i < sizeof(cr_verbs) / sizeof(cr_verbs[0]); i++)
		if (strcmp(argv[0], cr_verbs[i].name) == 0)
			break;
	if (i == sizeof(cr_verbs) / sizeof(cr_verbs[0]))
		return cr_usage(argv[0]);
	c.verb = cr_verbs[i].verb;
	c.verbname = cr_verbs[i].name;
	c.past = cr_verbs[i].past;
	if (cr_parse_args(argc, argv, &ca) == -1 ||
	    (ca.dry_run && c.verb == CR_GET)) {
		free(ca.pos);
		return cr_usage(c.verbname);
	}
	c.dry = ca.dry_run;
	res_set_init(&c.before);
	switch (c.verb) {
	case CR_GET:
		rc = cr_get(&c, &ca);
		break;
	case CR_PATCH:
		rc = cr_patch(&c, &ca);
		break;
	case CR_DELETE:
		rc = cr_delete(&c, &ca);
		break;
	case CR_LABEL:
		rc = cr_label(&c, &ca);
		break;
	default:
		rc = cr_write_verb(&c, &ca);
		break;
	}
	free(ca.pos);
	/* A dry run that got as far as reading the datastore reports. */
	if (c.dry && c.ds != NULL)
		rc = cr_dry_report(&c, rc);
	if (c.ds != NULL)
		ds_close(c.ds);
	res_set_free(&c.before);
	res_errors_free(&c.bad);
	return rc;
}
