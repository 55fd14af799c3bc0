/*
 * tortie.yaml: parsed with the document tree, every key checked.  An
 * error names the file, line and column and the key, like resource errors.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dconf.h"
#include "doc.h"
#include "tortie.h"
#include "util.h"

#define DCONF_MAX_SIZE	(1024 * 1024)

struct dconf_ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

static int	 dc_fail(struct dconf_ctx *, const struct doc_node *,
		    const char *, const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
static int	 dc_str(struct dconf_ctx *, const struct doc_node *,
		    const char *, char **);
static int	 dc_str_req(struct dconf_ctx *, const struct doc_node *,
		    const char *, char **);
static int	 dc_severity_ok(const char *);
static int	 dc_bool(struct dconf_ctx *, const struct doc_node *,
		    const char *, int *);
static int	 dc_uint(struct dconf_ctx *, const struct doc_node *,
		    const char *, uint32_t, uint32_t *);
static int	 dc_datastore(struct dconf_ctx *, const struct doc_node *,
		    struct dconf *);
static int	 dc_kernel(struct dconf_ctx *, const struct doc_node *,
		    struct dconf *);
static int	 dc_metrics(struct dconf_ctx *, const struct doc_node *,
		    struct dconf *);
static void	 set_str(char **, const char *);
static int	 dc_top(struct dconf_ctx *, const struct doc_node *,
		    struct dconf *);
static int	 dc_router_id(struct dconf_ctx *, const struct doc_node *,
		    const char *);

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? xstrdup(v) : NULL;
}

void
dconf_defaults(struct dconf *c)
{
	memset(c, 0, sizeof(*c));
	set_str(&c->ds_type, "file");
	set_str(&c->ds_path, TORTIE_DATASTORE);
	set_str(&c->secrets_dir, TORTIE_SECRETS);
	set_str(&c->ctl_socket, TORTIE_SOCKET);
	set_str(&c->router_id, "");
	set_str(&c->user, TORTIE_USER);
	c->kernel_install = 1;
	c->kernel_table = 254;
	c->kernel_protocol = 186;
	c->migration_wait = 30;
}

void
dconf_free(struct dconf *c)
{
	int	 i;

	free(c->node_name);
	free(c->ds_type);
	free(c->ds_path);
	for (i = 0; i < c->ds_nendpoints; i++)
		free(c->ds_endpoints[i]);
	free(c->ds_ca_file);
	free(c->ds_cert_file);
	free(c->ds_key_file);
	free(c->secrets_dir);
	free(c->ctl_socket);
	free(c->router_id);
	free(c->user);
	free(c->metrics_listen);
	free(c->log_severity);
	memset(c, 0, sizeof(*c));
}

static int
dc_fail(struct dconf_ctx *x, const struct doc_node *n, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->errlen, "%s:%d:%d: %s: %s", x->file,
	    n != NULL ? n->line : 1, n != NULL ? n->col : 1, key, msg);
	return -1;
}

static int
dc_str(struct dconf_ctx *x, const struct doc_node *n, const char *key,
    char **dst)
{
	if (n->type == DOC_NULL) {
		set_str(dst, NULL);
		return 0;
	}
	if (n->type == DOC_LIST || n->type == DOC_MAP)
		return dc_fail(x, n, key, "expected a string, found a %s",
		    doc_type_name(n->type));
	set_str(dst, n->raw);
	return 0;
}

/* A string that must be there: null is an error, not "unset". */
static int
dc_str_req(struct dconf_ctx *x, const struct doc_node *n, const char *key,
    char **dst)
{
	if (n->type == DOC_NULL || (n->raw != NULL && n->raw[0] == '\0'))
		return dc_fail(x, n, key, "must not be empty");
	return dc_str(x, n, key, dst);
}

static int
dc_severity_ok(const char *v)
{
	static const char *const ok[] = { "Fatal", "Error", "Warning",
	    "Info", "Debug", "Trace" };
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(v, ok[i]) == 0)
			return 1;
	return 0;
}

static int
dc_bool(struct dconf_ctx *x, const struct doc_node *n, const char *key,
    int *dst)
{
	if (n->type != DOC_BOOL)
		return dc_fail(x, n, key, "expected true or false");
	*dst = n->b;
	return 0;
}

static int
dc_uint(struct dconf_ctx *x, const struct doc_node *n, const char *key,
    uint32_t max, uint32_t *dst)
{
	if (n->type != DOC_INT || n->i < 0 || n->i > (int64_t)max)
		return dc_fail(x, n, key, "expected an integer from 0 to %u",
		    max);
	*dst = (uint32_t)n->i;
	return 0;
}

static int
dc_router_id(struct dconf_ctx *x, const struct doc_node *n, const char *v)
{
	struct bgpd_addr	 a;

	if (v[0] == '\0' || strcmp(v, "hash") == 0)
		return 0;
	if (addr_parse(v, &a) == -1 || a.af != AF_INET)
		return dc_fail(x, n, "routerID", "expected \"\", \"hash\" or "
		    "an IPv4 address, found \"%s\"", v);
	/* RFC 6286: a BGP Identifier is a non-zero 32-bit number. */
	if (a.v4.s_addr == 0)
		return dc_fail(x, n, "routerID", "0.0.0.0 is not a valid "
		    "BGP identifier");
	return 0;
}

static int
dc_datastore(struct dconf_ctx *x, const struct doc_node *m, struct dconf *c)
{
	const struct doc_pair	*p;
	const struct doc_node	*e;
	size_t			 i, j;
	char			 key[64];

	if (m->type != DOC_MAP)
		return dc_fail(x, m, "datastore", "expected a map");
	for (i = 0; i < m->n; i++) {
		p = &m->pairs[i];
		snprintf(key, sizeof(key), "datastore.%s", p->key);
		if (strcmp(p->key, "type") == 0) {
			if (dc_str_req(x, p->val, key, &c->ds_type) == -1)
				return -1;
			if (c->ds_type == NULL ||
			    (strcmp(c->ds_type, "file") != 0 &&
			    strcmp(c->ds_type, "etcdv3") != 0))
				return dc_fail(x, p->val, key,
				    "expected file or etcdv3");
		} else if (strcmp(p->key, "path") == 0) {
			if (dc_str_req(x, p->val, key, &c->ds_path) == -1)
				return -1;
		} else if (strcmp(p->key, "endpoints") == 0) {
			if (p->val->type != DOC_LIST)
				return dc_fail(x, p->val, key,
				    "expected a list of URLs");
			if (p->val->n > DCONF_MAX_ENDPOINTS)
				return dc_fail(x, p->val, key,
				    "at most %d endpoints", DCONF_MAX_ENDPOINTS);
			for (j = 0; j < (size_t)c->ds_nendpoints; j++)
				free(c->ds_endpoints[j]);
			c->ds_nendpoints = 0;
			for (j = 0; j < p->val->n; j++) {
				e = p->val->items[j];
				if (e->type != DOC_STRING)
					return dc_fail(x, e, key,
					    "expected a URL");
				c->ds_endpoints[c->ds_nendpoints++] =
				    xstrdup(e->raw);
			}
		} else if (strcmp(p->key, "caFile") == 0) {
			if (dc_str(x, p->val, key, &c->ds_ca_file) == -1)
				return -1;
		} else if (strcmp(p->key, "certFile") == 0) {
			if (dc_str(x, p->val, key, &c->ds_cert_file) == -1)
				return -1;
		} else if (strcmp(p->key, "keyFile") == 0) {
			if (dc_str(x, p->val, key, &c->ds_key_file) == -1)
				return -1;
		} else {
			snprintf(key, sizeof(key), "datastore");
			return dc_fail(x, p->val, key, "unknown key \"%s\"",
			    p->key);
		}
	}
	return 0;
}

static int
dc_kernel(struct dconf_ctx *x, const struct doc_node *m, struct dconf *c)
{
	const struct doc_pair	*p;
	size_t			 i;
	char			 key[64];

	if (m->type != DOC_MAP)
		return dc_fail(x, m, "kernel", "expected a map");
	for (i = 0; i < m->n; i++) {
		p = &m->pairs[i];
		snprintf(key, sizeof(key), "kernel.%s", p->key);
		if (strcmp(p->key, "install") == 0) {
			if (dc_bool(x, p->val, key, &c->kernel_install) == -1)
				return -1;
		} else if (strcmp(p->key, "table") == 0) {
			if (dc_uint(x, p->val, key, UINT32_MAX,
			    &c->kernel_table) == -1)
				return -1;
			if (c->kernel_table == 0)
				return dc_fail(x, p->val, key,
				    "table 0 is not a routing table");
		} else if (strcmp(p->key, "protocol") == 0) {
			if (dc_uint(x, p->val, key, 255,
			    &c->kernel_protocol) == -1)
				return -1;
			if (c->kernel_protocol < 5)
				return dc_fail(x, p->val, key, "protocols 0-4 "
				    "belong to the kernel");
		} else
			return dc_fail(x, p->val, "kernel",
			    "unknown key \"%s\"", p->key);
	}
	return 0;
}

static int
dc_metrics(struct dconf_ctx *x, const struct doc_node *m, struct dconf *c)
{
	const struct doc_pair	*p;
	size_t			 i;

	if (m->type != DOC_MAP)
		return dc_fail(x, m, "metrics", "expected a map");
	for (i = 0; i < m->n; i++) {
		p = &m->pairs[i];
		if (strcmp(p->key, "listen") == 0) {
			struct bgpd_addr	 a;
			uint16_t		 port;

			if (dc_str(x, p->val, "metrics.listen",
			    &c->metrics_listen) == -1)
				return -1;
			if (c->metrics_listen != NULL &&
			    addr_port_parse(c->metrics_listen, &a, &port) == -1)
				return dc_fail(x, p->val, "metrics.listen",
				    "expected address:port ([IPv6]:port), "
				    "found \"%s\"", c->metrics_listen);
		} else
			return dc_fail(x, p->val, "metrics",
			    "unknown key \"%s\"", p->key);
	}
	return 0;
}

static int
dc_top(struct dconf_ctx *x, const struct doc_node *m, struct dconf *c)
{
	const struct doc_pair	*p;
	const char		*k;
	size_t			 i;

	if (m->type == DOC_NULL)
		return 0;
	if (m->type != DOC_MAP)
		return dc_fail(x, m, "tortie.yaml", "expected a map of keys");
	for (i = 0; i < m->n; i++) {
		p = &m->pairs[i];
		k = p->key;
		if (strcmp(k, "nodeName") == 0) {
			if (dc_str(x, p->val, k, &c->node_name) == -1)
				return -1;
		} else if (strcmp(k, "datastore") == 0) {
			if (dc_datastore(x, p->val, c) == -1)
				return -1;
		} else if (strcmp(k, "secretsDir") == 0) {
			if (dc_str_req(x, p->val, k, &c->secrets_dir) == -1)
				return -1;
		} else if (strcmp(k, "controlSocket") == 0) {
			if (dc_str_req(x, p->val, k, &c->ctl_socket) == -1)
				return -1;
		} else if (strcmp(k, "routerID") == 0) {
			if (dc_str(x, p->val, k, &c->router_id) == -1)
				return -1;
			if (c->router_id == NULL)
				set_str(&c->router_id, "");
			if (dc_router_id(x, p->val, c->router_id) == -1)
				return -1;
		} else if (strcmp(k, "kernel") == 0) {
			if (dc_kernel(x, p->val, c) == -1)
				return -1;
		} else if (strcmp(k, "user") == 0) {
			if (dc_str_req(x, p->val, k, &c->user) == -1)
				return -1;
		} else if (strcmp(k, "metrics") == 0) {
			if (dc_metrics(x, p->val, c) == -1)
				return -1;
		} else if (strcmp(k, "migrationWaitSeconds") == 0) {
			if (dc_uint(x, p->val, k, 3600,
			    &c->migration_wait) == -1)
				return -1;
		} else if (strcmp(k, "logSeverityScreen") == 0) {
			if (dc_str(x, p->val, k, &c->log_severity) == -1)
				return -1;
			if (c->log_severity != NULL &&
			    !dc_severity_ok(c->log_severity))
				return dc_fail(x, p->val, k, "expected Fatal, "
				    "Error, Warning, Info, Debug or Trace");
		} else
			return dc_fail(x, p->val, k, "unknown key");
	}
	if (c->ds_path == NULL || c->ds_path[0] == '\0')
		return dc_fail(x, m, "datastore.path", "must not be empty");
	if (c->user == NULL || c->user[0] == '\0')
		return dc_fail(x, m, "user", "must not be empty");
	if (strcmp(c->ds_type, "etcdv3") == 0 && c->ds_nendpoints == 0)
		return dc_fail(x, m, "datastore.endpoints",
		    "etcdv3 needs at least one endpoint");
	return 0;
}

/* Parse tortie.yaml text on top of what *c holds (defaults). */
int
dconf_parse(const char *buf, size_t len, const char *file, struct dconf *c,
    char *err, size_t errlen)
{
	struct dconf_ctx	 x = { file, err, errlen };
	struct doc_stream	 s;
	int			 r;

	if (doc_parse(buf, len, file, NULL, &s, err, errlen) == -1)
		return -1;
	if (s.n > 1) {
		snprintf(err, errlen, "%s: expected one document, found %zu",
		    file, s.n);
		doc_stream_free(&s);
		return -1;
	}
	r = s.n == 1 ? dc_top(&x, s.docs[0], c) : 0;
	doc_stream_free(&s);
	return r;
}

/*
 * Defaults, then the file.  A missing default file is not an error (every
 * key is optional); a missing file named on the command line is.
 */
int
dconf_load(const char *path, struct dconf *c, char *err, size_t errlen)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd, r;

	dconf_defaults(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && strcmp(path, TORTIE_CONF) == 0)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > DCONF_MAX_SIZE) {
		snprintf(err, errlen, "%s: not a regular file of at most "
		    "1 MiB", path);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	r = dconf_parse(buf, off, path, c, err, errlen);
	free(buf);
	return r;
}
