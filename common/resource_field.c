/*
 * The table engine of the resource layer: decode a document map into a
 * struct, encode a struct into a map, and free it, all from one table of
 * fields (resource_int.h).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"
#include "resource.h"
#include "resource_int.h"
#include "util.h"

#define RF_PATHLEN	256
#define RF_MAX_UNIQUE	4096

static int	 dec_field(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_pair *, void *);
static int	 dec_str(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, char **);
static int	 dec_int(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, void *);
static int	 dec_asn(struct rf_ctx *, const char *,
		    const struct doc_node *, uint32_t *);
static int	 dec_enum(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, int *);
static int	 dec_ip(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, struct bgpd_addr *);
static int	 dec_cidr(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, struct res_cidr *);
static int	 dec_ipport(struct rf_ctx *, const char *,
		    const struct doc_node *, struct res_ip_port *);
static int	 dec_sel(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *,
		    struct res_selector *);
static int	 dec_comm(struct rf_ctx *, const char *,
		    const struct doc_node *, struct res_comm *);
static int	 dec_list(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, void *);
static int	 dec_list_item(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, void *, size_t);
static int	 dec_labels(struct rf_ctx *, const struct rf_field *,
		    const char *, const struct doc_node *, void *);
static int	 want_type(struct rf_ctx *, const char *,
		    const struct doc_node *, enum doc_type);
static void	*get_ptr(const void *, size_t);
static void	 set_ptr(void *, size_t, void *);
static size_t	 elem_size(const struct rf_field *);
static int64_t	 get_int(const void *, enum rf_width);
static void	 put_int(void *, enum rf_width, int64_t);
static void	 enc_field(const struct rf_field *, const void *,
		    struct doc_node *);
static struct doc_node *enc_value(const struct rf_field *, const void *);
static struct doc_node *enc_list(const struct rf_field *, const void *);
static void	 free_field(const struct rf_field *, void *);

/*
 * Errors.
 */

void
rf_errors_add(struct res_errors *e, const char *msg)
{
	if (e == NULL)
		return;
	if (e->n >= RES_MAX_ERRORS) {
		e->dropped++;
		return;
	}
	e->msgs = xreallocarray(e->msgs, e->n + 1, sizeof(*e->msgs));
	e->msgs[e->n++] = xstrdup(msg);
}

/*
 * "FILE:LINE:COL: KIND NAME: PATH: reason"; built trees (line 0) have no
 * position, checks of sets no file, and an empty path is left out.
 */
int
rf_error(struct rf_ctx *c, int line, int col, const char *path,
    const char *fmt, ...)
{
	char	 reason[512], pos[512], msg[1536];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	pos[0] = '\0';
	if (c->file != NULL && line > 0)
		snprintf(pos, sizeof(pos), "%s:%d:%d: ", c->file, line, col);
	else if (c->file != NULL)
		snprintf(pos, sizeof(pos), "%s: ", c->file);
	snprintf(msg, sizeof(msg), "%s%s%s%s: %s%s%s", pos, c->kind,
	    c->name[0] != '\0' ? " " : "", c->name,
	    path != NULL ? path : "", path != NULL && path[0] != '\0' ?
	    ": " : "", reason);
	rf_errors_add(c->errs, msg);
	return -1;
}

int
rf_error_at(struct rf_ctx *c, const struct doc_node *n, const char *path,
    const char *fmt, ...)
{
	char	 reason[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return rf_error(c, n != NULL ? n->line : 0, n != NULL ? n->col : 0,
	    path, "%s", reason);
}

/* path + "." + name, or name alone at the top. */
void
rf_path(char *buf, size_t len, const char *path, const char *name)
{
	if (path == NULL || path[0] == '\0')
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s.%s", path, name);
}

/*
 * Small helpers.  Pointer members are read and written with memcpy so
 * that one engine serves every pointer type without aliasing games.
 */

static void *
get_ptr(const void *base, size_t off)
{
	void	*p;

	memcpy(&p, (const char *)base + off, sizeof(p));
	return p;
}

static void
set_ptr(void *base, size_t off, void *p)
{
	memcpy((char *)base + off, &p, sizeof(p));
}

static int64_t
get_int(const void *p, enum rf_width w)
{
	switch (w) {
	case RF_W_U8:
		return *(const uint8_t *)p;
	case RF_W_U16:
		return *(const uint16_t *)p;
	case RF_W_I32:
		return *(const int32_t *)p;
	case RF_W_U32:
		return *(const uint32_t *)p;
	case RF_W_INT:
		break;
	}
	return *(const int *)p;
}

static void
put_int(void *p, enum rf_width w, int64_t v)
{
	switch (w) {
	case RF_W_U8:
		*(uint8_t *)p = (uint8_t)v;
		return;
	case RF_W_U16:
		*(uint16_t *)p = (uint16_t)v;
		return;
	case RF_W_I32:
		*(int32_t *)p = (int32_t)v;
		return;
	case RF_W_U32:
		*(uint32_t *)p = (uint32_t)v;
		return;
	case RF_W_INT:
		break;
	}
	*(int *)p = (int)v;
}

static size_t
elem_size(const struct rf_field *f)
{
	switch (f->type) {
	case RF_STRLIST:
		return sizeof(char *);
	case RF_ASNLIST:
		return sizeof(uint32_t);
	case RF_ENUMLIST:
		return sizeof(int);
	case RF_LABELS:
		return sizeof(struct sel_label);
	case RF_OBJLIST:
		return f->obj->size;
	default:
		return 0;
	}
}

static int
want_type(struct rf_ctx *c, const char *path, const struct doc_node *n,
    enum doc_type t)
{
	if (n->type == t)
		return 0;
	if (t == DOC_STRING && n->type != DOC_LIST && n->type != DOC_MAP)
		return rf_error_at(c, n, path, "expected a string, got %s "
		    "'%.64s' (quote it)", doc_type_name(n->type), n->raw);
	return rf_error_at(c, n, path, "expected %s, got %s",
	    doc_type_name(t), doc_type_name(n->type));
}

/*
 * Decoding.
 */

int
rf_decode_obj(struct rf_ctx *c, const struct rf_obj *o, const char *path,
    const struct doc_node *map, void *obj)
{
	const struct doc_pair	*p;
	char			 sub[RF_PATHLEN];
	uint64_t		 seen = 0;
	size_t			 i, j;

	if (want_type(c, path, map, DOC_MAP) == -1)
		return -1;
	for (i = 0; i < map->n; i++) {
		p = &map->pairs[i];
		for (j = 0; j < o->nfields; j++)
			if (strcmp(o->fields[j].name, p->key) == 0)
				break;
		rf_path(sub, sizeof(sub), path, p->key);
		if (j == o->nfields)
			return rf_error(c, p->line, p->col, sub,
			    "unknown field");
		if (o->fields[j].type == RF_SKIP || p->val->type == DOC_NULL)
			continue;
		if ((o->fields[j].flags & RF_REQ) &&
		    p->val->type == DOC_STRING && p->val->raw[0] == '\0')
			return rf_error_at(c, p->val, sub, "must not be empty");
		if (dec_field(c, &o->fields[j], sub, p, obj) == -1)
			return -1;
		seen |= (uint64_t)1 << j;
	}
	for (j = 0; j < o->nfields; j++) {
		if ((o->fields[j].flags & RF_REQ) && !(seen & (1ULL << j))) {
			rf_path(sub, sizeof(sub), path, o->fields[j].name);
			return rf_error_at(c, map, sub, "required field is "
			    "missing");
		}
	}
	if (o->check != NULL)
		return o->check(c, path, map, obj);
	return 0;
}

static int
dec_field(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_pair *p, void *obj)
{
	const struct doc_node	*v = p->val;
	void			*dst = (char *)obj + f->off;
	int			 rc = -1;

	switch (f->type) {
	case RF_SKIP:
		return 0;
	case RF_STR:
		rc = dec_str(c, f, path, v, (char **)dst);
		break;
	case RF_BOOL:
		if ((rc = want_type(c, path, v, DOC_BOOL)) == 0)
			*(int *)dst = v->b;
		break;
	case RF_BOOLSTR:
		if (v->type == DOC_STRING && (strcmp(v->raw, "true") == 0 ||
		    strcmp(v->raw, "false") == 0)) {
			*(int *)dst = v->raw[0] == 't';
			rc = 0;
		} else if ((rc = want_type(c, path, v, DOC_BOOL)) == 0)
			*(int *)dst = v->b;
		break;
	case RF_INT:
		rc = dec_int(c, f, path, v, dst);
		break;
	case RF_ASN:
		rc = dec_asn(c, path, v, dst);
		break;
	case RF_DUR:
		if ((rc = want_type(c, path, v, DOC_STRING)) == -1)
			break;
		if ((rc = res_duration_parse(v->raw, dst)) == -1)
			return rf_error_at(c, v, path, "invalid duration "
			    "'%.64s' (expected e.g. \"90s\" or \"1m30s\")",
			    v->raw);
		if (*(int64_t *)dst < 0)
			return rf_error_at(c, v, path, "duration '%.64s' is "
			    "negative", v->raw);
		break;
	case RF_ENUM:
		rc = dec_enum(c, f, path, v, dst);
		break;
	case RF_IP:
		rc = dec_ip(c, f, path, v, dst);
		break;
	case RF_CIDR:
		rc = dec_cidr(c, f, path, v, dst);
		break;
	case RF_IPPORT:
		rc = dec_ipport(c, path, v, dst);
		break;
	case RF_SEL:
		rc = dec_sel(c, f, path, v, dst);
		break;
	case RF_COMM:
		rc = dec_comm(c, path, v, dst);
		break;
	case RF_COMM1:
		if ((rc = want_type(c, path, v, DOC_LIST)) == -1)
			break;
		if (v->n != 1)
			return rf_error_at(c, v, path, "must hold exactly one "
			    "community, not %zu", v->n);
		rc = dec_comm(c, path, v->items[0], dst);
		break;
	case RF_STRLIST:
	case RF_ASNLIST:
	case RF_ENUMLIST:
	case RF_OBJLIST:
		rc = dec_list(c, f, path, v, obj);
		break;
	case RF_OBJ:
		rc = rf_decode_obj(c, f->obj, path, v, dst);
		break;
	case RF_LABELS:
		rc = dec_labels(c, f, path, v, obj);
		break;
	case RF_DOC:
		if ((rc = want_type(c, path, v, DOC_MAP)) == 0) {
			doc_free(get_ptr(obj, f->off));
			set_ptr(obj, f->off, doc_copy(v));
		}
		break;
	}
	if (rc == 0 && f->has != RF_NOHAS)
		*(int *)((char *)obj + f->has) = 1;
	return rc;
}

static int
dec_str(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, char **dst)
{
	const char	*why;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (v->raw[0] == '\0')
		return 0;
	if (f->max > 0 && v->rawlen > (size_t)f->max)
		return rf_error_at(c, v, path, "longer than %" PRId64
		    " characters", f->max);
	if (f->vstr != NULL && (why = f->vstr(v->raw)) != NULL)
		return rf_error_at(c, v, path, "'%.64s' is %s", v->raw, why);
	free(*dst);
	*dst = xstrdup(v->raw);
	return 0;
}

static int
dec_int(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, void *dst)
{
	if (want_type(c, path, v, DOC_INT) == -1)
		return -1;
	if (v->i < f->min || v->i > f->max)
		return rf_error_at(c, v, path, "%" PRId64 " is out of range "
		    "(%" PRId64 "..%" PRId64 ")", v->i, f->min, f->max);
	put_int(dst, f->width, v->i);
	return 0;
}

/*
 * An AS number is an integer or a string in asplain ("64512") or asdot
 * ("1.10") notation.  An unquoted 1.10 is a YAML float whose value would
 * read as 1.1, so it must be quoted to mean asdot.
 */
static int
dec_asn(struct rf_ctx *c, const char *path, const struct doc_node *v,
    uint32_t *dst)
{
	switch (v->type) {
	case DOC_INT:
		if (v->i < 0 || v->i > UINT32_MAX)
			return rf_error_at(c, v, path, "AS number %" PRId64
			    " is out of range (0..4294967295)", v->i);
		*dst = (uint32_t)v->i;
		return 0;
	case DOC_STRING:
		if (res_asn_parse(v->raw, dst) == -1)
			return rf_error_at(c, v, path, "invalid AS number "
			    "'%.64s' (expected asplain \"64512\" or asdot "
			    "\"1.10\")", v->raw);
		return 0;
	case DOC_FLOAT:
		if (strchr(v->raw, '.') != NULL && !v->quoted)
			return rf_error_at(c, v, path, "asdot AS number "
			    "%.64s must be quoted (\"%.64s\")", v->raw, v->raw);
		/* FALLTHROUGH */
	default:
		return rf_error_at(c, v, path, "expected an AS number, got %s",
		    doc_type_name(v->type));
	}
}

static int
dec_enum(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, int *dst)
{
	char	 list[256];
	size_t	 i;
	int	 match;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (v->raw[0] == '\0')
		return 0;
	list[0] = '\0';
	for (i = 0; f->enums[i] != NULL; i++) {
		if (f->flags & RF_ICASE)
			match = strcasecmp(v->raw, f->enums[i]) == 0;
		else
			match = strcmp(v->raw, f->enums[i]) == 0;
		if (match) {
			*dst = (int)i + 1;
			return 0;
		}
		if (i > 0)
			strlcat(list, ", ", sizeof(list));
		strlcat(list, f->enums[i], sizeof(list));
	}
	return rf_error_at(c, v, path, "invalid value '%.64s' (expected one "
	    "of %s)", v->raw, list);
}

static int
dec_ip(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, struct bgpd_addr *dst)
{
	struct bgpd_addr	 a;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (v->raw[0] == '\0')
		return 0;
	if (addr_parse(v->raw, &a) == -1 ||
	    ((f->flags & RF_V4) && a.af != AF_INET) ||
	    ((f->flags & RF_V6) && a.af != AF_INET6))
		return rf_error_at(c, v, path, "'%.64s' is not an %saddress",
		    v->raw, (f->flags & RF_V4) ? "IPv4 " :
		    (f->flags & RF_V6) ? "IPv6 " : "IP ");
	*dst = a;
	return 0;
}

static int
dec_cidr(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, struct res_cidr *dst)
{
	struct res_cidr	 r;
	struct bgpd_addr m;
	char		 want[80];
	const char	*fam;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (v->raw[0] == '\0')
		return 0;
	fam = (f->flags & RF_V4) ? "IPv4 " : (f->flags & RF_V6) ?
	    "IPv6 " : "";
	if (f->max > 0 && v->rawlen > (size_t)f->max)
		return rf_error_at(c, v, path, "longer than %" PRId64
		    " characters", f->max);
	memset(&r, 0, sizeof(r));
	if (strchr(v->raw, '/') == NULL) {
		if (addr_parse(v->raw, &r.addr) == -1)
			goto bad;
		r.bare = 1;
		r.plen = r.addr.af == AF_INET ? 32 : 128;
	} else if (prefix_parse(v->raw, &r.addr, &r.plen) == -1)
		goto bad;
	if (((f->flags & RF_V4) && r.addr.af != AF_INET) ||
	    ((f->flags & RF_V6) && r.addr.af != AF_INET6))
		goto bad;
	if (f->flags & RF_STRICT) {
		m = r.addr;
		addr_mask(&m, r.plen);
		if (addr_cmp(&m, &r.addr) != 0) {
			r.addr = m;
			res_cidr_fmt(&r, want, sizeof(want));
			return rf_error_at(c, v, path, "CIDR '%.64s' is not "
			    "strictly masked (expected %s)", v->raw, want);
		}
	}
	*dst = r;
	return 0;
 bad:
	return rf_error_at(c, v, path, "'%.64s' is not a valid %sCIDR",
	    v->raw, fam);
}

/*
 * peerIP: an address, "a.b.c.d:port" or "[v6]:port" with port 1..65535;
 * at most 64 characters, as Calico.
 */
static int
dec_ipport(struct rf_ctx *c, const char *path, const struct doc_node *v,
    struct res_ip_port *dst)
{
	struct res_ip_port	 r;
	char			 host[65];
	const char		*s, *colon;
	char			*end;
	unsigned long		 port;
	size_t			 hl;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	s = v->raw;
	if (s[0] == '\0')
		return 0;
	if (v->rawlen > 64)
		return rf_error_at(c, v, path, "longer than 64 characters");
	memset(&r, 0, sizeof(r));
	if (addr_parse(s, &r.addr) == 0) {
		*dst = r;
		return 0;
	}
	if (s[0] == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			goto bad;
		hl = (size_t)(colon - s - 1);
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		colon++;
	} else {
		if ((colon = strchr(s, ':')) == NULL ||
		    strchr(colon + 1, ':') != NULL)
			goto bad;
		hl = (size_t)(colon - s);
		memcpy(host, s, hl);
		host[hl] = '\0';
	}
	if (addr_parse(host, &r.addr) == -1 ||
	    (s[0] != '[' && r.addr.af != AF_INET))
		goto bad;
	if (colon[1] < '0' || colon[1] > '9')
		goto bad;
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		return rf_error_at(c, v, path, "invalid port in '%.64s' "
		    "(1..65535)", s);
	r.port = (uint16_t)port;
	*dst = r;
	return 0;
 bad:
	return rf_error_at(c, v, path, "'%.64s' is not an IP address, "
	    "IPv4:port or [IPv6]:port", s);
}

static int
dec_sel(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, struct res_selector *dst)
{
	struct selector	*sel;
	char		 err[SEL_ERRLEN];
	const char	*e;
	int		 col;

	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (v->raw[0] == '\0')
		return 0;
	if (f->max > 0 && v->rawlen > (size_t)f->max)
		return rf_error_at(c, v, path, "selector longer than %" PRId64
		    " characters", f->max);
	if ((sel = sel_parse(v->raw, err, sizeof(err), &col)) == NULL) {
		e = err;
		if (strncmp(e, "selector: ", 10) == 0)
			e += 10;
		return rf_error_at(c, v, path, "invalid selector '%.64s': %s",
		    v->raw, e);
	}
	sel_free(dst->sel);
	free(dst->text);
	dst->sel = sel;
	dst->text = xstrdup(v->raw);
	return 0;
}

static int
dec_comm(struct rf_ctx *c, const char *path, const struct doc_node *v,
    struct res_comm *dst)
{
	if (want_type(c, path, v, DOC_STRING) == -1)
		return -1;
	if (res_comm_parse(v->raw, dst) == -1)
		return rf_error_at(c, v, path, "invalid community '%.64s' "
		    "(expected aa:nn with 16-bit parts or aa:nn:mm with "
		    "32-bit parts)", v->raw);
	return 0;
}

/*
 * Lists: the array and its count are stored first (zeroed), so that a
 * failure half-way leaves a struct that rf_free_obj() can free.
 */
static int
dec_list(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, void *obj)
{
	char	 sub[RF_PATHLEN];
	void	*arr;
	size_t	 i;

	if (want_type(c, path, v, DOC_LIST) == -1)
		return -1;
	if ((f->min > 0 && v->n < (size_t)f->min) ||
	    (f->max > 0 && v->n > (size_t)f->max)) {
		if (f->min == f->max)
			return rf_error_at(c, v, path, "must have exactly "
			    "%" PRId64 " entries", f->min);
		if (f->max > 0)
			return rf_error_at(c, v, path, "must have %" PRId64
			    "..%" PRId64 " entries, not %zu", f->min, f->max,
			    v->n);
		return rf_error_at(c, v, path, "must have at least %" PRId64
		    " entries", f->min);
	}
	/* Duplicates are found by comparing every pair: keep that bounded. */
	if ((f->flags & RF_UNIQUE) && v->n > RF_MAX_UNIQUE)
		return rf_error_at(c, v, path, "more than %d entries",
		    RF_MAX_UNIQUE);
	free_field(f, obj);
	if (v->n == 0)
		return 0;
	arr = xcalloc(v->n, elem_size(f));
	set_ptr(obj, f->off, arr);
	*(size_t *)((char *)obj + f->noff) = v->n;
	for (i = 0; i < v->n; i++) {
		if (snprintf(sub, sizeof(sub), "%s[%zu]", path, i) >=
		    (int)sizeof(sub))
			return rf_error_at(c, v, path, "nested too deeply");
		if (dec_list_item(c, f, sub, v->items[i], arr, i) == -1)
			return -1;
	}
	return 0;
}

static int
dec_list_item(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, void *arr, size_t i)
{
	struct rf_field	 ef = *f;
	size_t		 j;
	int		 rc;

	switch (f->type) {
	case RF_STRLIST:
		if (want_type(c, path, v, DOC_STRING) == -1)
			return -1;
		if (f->vstr != NULL && f->vstr(v->raw) != NULL)
			return rf_error_at(c, v, path, "'%.64s' is %s", v->raw,
			    f->vstr(v->raw));
		for (j = 0; (f->flags & RF_UNIQUE) && j < i; j++)
			if (strcmp(((char **)arr)[j], v->raw) == 0)
				return rf_error_at(c, v, path, "duplicate "
				    "value '%.64s'", v->raw);
		((char **)arr)[i] = xstrdup(v->raw);
		return 0;
	case RF_ASNLIST:
		return dec_asn(c, path, v, &((uint32_t *)arr)[i]);
	case RF_ENUMLIST:
		if (v->type == DOC_STRING && v->raw[0] == '\0')
			return rf_error_at(c, v, path, "empty value");
		if ((rc = dec_enum(c, &ef, path, v, &((int *)arr)[i])) == -1)
			return -1;
		for (j = 0; (f->flags & RF_UNIQUE) && j < i; j++)
			if (((int *)arr)[j] == ((int *)arr)[i])
				return rf_error_at(c, v, path, "duplicate "
				    "value '%.64s'", v->raw);
		return 0;
	case RF_OBJLIST:
		return rf_decode_obj(c, f->obj, path, v,
		    (char *)arr + i * f->obj->size);
	default:
		return -1;
	}
}

static int
dec_labels(struct rf_ctx *c, const struct rf_field *f, const char *path,
    const struct doc_node *v, void *obj)
{
	struct sel_label	*arr;
	const struct doc_node	*val;
	char			 sub[RF_PATHLEN];
	const char		*why;
	size_t			 i, total = 0;

	if (want_type(c, path, v, DOC_MAP) == -1)
		return -1;
	free_field(f, obj);
	if (v->n == 0)
		return 0;
	arr = xcalloc(v->n, sizeof(*arr));
	set_ptr(obj, f->off, arr);
	*(size_t *)((char *)obj + f->noff) = v->n;
	for (i = 0; i < v->n; i++) {
		val = v->pairs[i].val;
		rf_path(sub, sizeof(sub), path, v->pairs[i].key);
		if ((why = rf_valid_label_key(v->pairs[i].key)) != NULL)
			return rf_error(c, v->pairs[i].line, v->pairs[i].col,
			    sub, "key is %s", why);
		if (val->type != DOC_NULL &&
		    want_type(c, sub, val, DOC_STRING) == -1)
			return -1;
		arr[i].key = xstrdup(v->pairs[i].key);
		arr[i].value = xstrdup(val->type == DOC_NULL ? "" : val->raw);
		total += strlen(arr[i].key) + strlen(arr[i].value);
		if (!(f->flags & RF_ANNOT) &&
		    (why = rf_valid_label_value(arr[i].value)) != NULL)
			return rf_error_at(c, val, sub, "'%.64s' is %s",
			    arr[i].value, why);
	}
	if ((f->flags & RF_ANNOT) && total > 256 * 1024)
		return rf_error_at(c, v, path, "annotations larger than "
		    "256 KiB");
	return 0;
}

/*
 * Encoding.
 */

void
rf_encode_obj(const struct rf_obj *o, const void *obj, struct doc_node *map)
{
	size_t	 i;

	for (i = 0; i < o->nfields; i++)
		enc_field(&o->fields[i], obj, map);
}

/* Whether a field holds something to write. */
static int
enc_present(const struct rf_field *f, const void *obj)
{
	const void	*p = (const char *)obj + f->off;

	if (f->type == RF_SKIP)
		return 0;
	if (f->has != RF_NOHAS)
		return *(const int *)((const char *)obj + f->has) != 0;
	if (f->flags & RF_ALWAYS)
		return 1;
	switch (f->type) {
	case RF_STR:
	case RF_DOC:
		return get_ptr(obj, f->off) != NULL;
	case RF_BOOL:
	case RF_BOOLSTR:
	case RF_ENUM:
		return *(const int *)p != 0;
	case RF_INT:
		return get_int(p, f->width) != 0;
	case RF_ASN:
		return *(const uint32_t *)p != 0;
	case RF_IP:
		return ((const struct bgpd_addr *)p)->af != 0;
	case RF_CIDR:
		return ((const struct res_cidr *)p)->addr.af != 0 ||
		    (f->flags & RF_REQ);
	case RF_IPPORT:
		return ((const struct res_ip_port *)p)->addr.af != 0;
	case RF_SEL:
		return ((const struct res_selector *)p)->text != NULL;
	case RF_STRLIST:
	case RF_ASNLIST:
	case RF_ENUMLIST:
	case RF_OBJLIST:
	case RF_LABELS:
		return *(const size_t *)((const char *)obj + f->noff) > 0;
	default:
		return 1;
	}
}

static void
enc_field(const struct rf_field *f, const void *obj, struct doc_node *map)
{
	struct doc_node	*v;

	if (!enc_present(f, obj))
		return;
	if ((v = enc_value(f, obj)) != NULL)
		doc_map_set(map, f->name, v);
}

static struct doc_node *
enc_value(const struct rf_field *f, const void *obj)
{
	const void	*p = (const char *)obj + f->off;
	struct doc_node	*v;
	char		 buf[128];

	switch (f->type) {
	case RF_STR:
		return doc_new_string(get_ptr(obj, f->off));
	case RF_BOOL:
		return doc_new_bool(*(const int *)p);
	case RF_BOOLSTR:
		return doc_new_string(*(const int *)p ? "true" : "false");
	case RF_INT:
		return doc_new_int(get_int(p, f->width));
	case RF_ASN:
		return doc_new_int(*(const uint32_t *)p);
	case RF_DUR:
		res_duration_fmt(*(const int64_t *)p, buf, sizeof(buf));
		return doc_new_string(buf);
	case RF_ENUM:
		return doc_new_string(res_enum_str(f->enums, *(const int *)p));
	case RF_IP:
		return doc_new_string(addr_ntop(p, buf, sizeof(buf)));
	case RF_CIDR:
		res_cidr_fmt(p, buf, sizeof(buf));
		return doc_new_string(buf);
	case RF_IPPORT:
		res_ip_port_fmt(p, buf, sizeof(buf));
		return doc_new_string(buf);
	case RF_SEL:
		return doc_new_string(((const struct res_selector *)p)->text);
	case RF_COMM:
		res_comm_fmt(p, buf, sizeof(buf));
		return doc_new_string(buf);
	case RF_COMM1:
		res_comm_fmt(p, buf, sizeof(buf));
		v = doc_new_list();
		doc_list_append(v, doc_new_string(buf));
		return v;
	case RF_OBJ:
		v = doc_new_map();
		rf_encode_obj(f->obj, p, v);
		return v;
	case RF_DOC:
		return doc_copy(get_ptr(obj, f->off));
	default:
		return enc_list(f, obj);
	}
}

static struct doc_node *
enc_list(const struct rf_field *f, const void *obj)
{
	const char	*arr = get_ptr(obj, f->off);
	size_t		 n = *(const size_t *)((const char *)obj + f->noff);
	struct doc_node	*v, *e;
	size_t		 i;
	const struct sel_label *l;

	v = f->type == RF_LABELS ? doc_new_map() : doc_new_list();
	for (i = 0; i < n; i++) {
		switch (f->type) {
		case RF_STRLIST:
			doc_list_append(v, doc_new_string(
			    ((char *const *)(const void *)arr)[i]));
			break;
		case RF_ASNLIST:
			doc_list_append(v, doc_new_int(
			    ((const uint32_t *)(const void *)arr)[i]));
			break;
		case RF_ENUMLIST:
			doc_list_append(v, doc_new_string(res_enum_str(
			    f->enums, ((const int *)(const void *)arr)[i])));
			break;
		case RF_OBJLIST:
			e = doc_new_map();
			rf_encode_obj(f->obj, arr + i * f->obj->size, e);
			doc_list_append(v, e);
			break;
		case RF_LABELS:
			l = &((const struct sel_label *)(const void *)arr)[i];
			doc_map_set(v, l->key, doc_new_string(l->value));
			break;
		default:
			break;
		}
	}
	return v;
}

/*
 * Freeing.
 */

void
rf_free_obj(const struct rf_obj *o, void *obj)
{
	size_t	 i;

	for (i = 0; i < o->nfields; i++)
		free_field(&o->fields[i], obj);
}

static void
free_field(const struct rf_field *f, void *obj)
{
	void			*p = (char *)obj + f->off;
	char			*arr;
	size_t			*np, i;
	struct res_selector	*s;
	struct sel_label	*l;

	switch (f->type) {
	case RF_STR:
		free(get_ptr(obj, f->off));
		set_ptr(obj, f->off, NULL);
		return;
	case RF_SEL:
		s = p;
		sel_free(s->sel);
		free(s->text);
		s->sel = NULL;
		s->text = NULL;
		return;
	case RF_DOC:
		doc_free(get_ptr(obj, f->off));
		set_ptr(obj, f->off, NULL);
		return;
	case RF_OBJ:
		rf_free_obj(f->obj, p);
		return;
	case RF_STRLIST:
	case RF_ASNLIST:
	case RF_ENUMLIST:
	case RF_OBJLIST:
	case RF_LABELS:
		break;
	default:
		return;
	}
	arr = get_ptr(obj, f->off);
	np = (size_t *)((char *)obj + f->noff);
	for (i = 0; arr != NULL && i < *np; i++) {
		if (f->type == RF_STRLIST)
			free(((char **)(void *)arr)[i]);
		else if (f->type == RF_OBJLIST)
			rf_free_obj(f->obj, arr + i * f->obj->size);
		else if (f->type == RF_LABELS) {
			l = &((struct sel_label *)(void *)arr)[i];
			free((char *)(uintptr_t)l->key);
			free((char *)(uintptr_t)l->value);
		}
	}
	free(arr);
	set_ptr(obj, f->off, NULL);
	*np = 0;
}
