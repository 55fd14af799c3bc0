/*
 * The Calico resource model: kind names, decoding of YAML/JSON documents
 * (single resources and <Kind>List documents) into typed structs,
 * encoding back to document trees, and resource sets.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"
#include "resource.h"
#include "resource_int.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define RES_NAMESHOW	80

struct res_kind_info {
	const char	*name;
	const char	*plural;
	const char	*list;
	const char	*aliases[8];
	size_t		 arr;		/* offsets in struct res_set */
	size_t		 cnt;
};

static const struct res_kind_info kinds[RES_NKINDS] = {
	[RES_NODE] = { "Node", "nodes", "NodeList",
	    { "node", "nodes", "no", "nos" },
	    offsetof(struct res_set, nodes),
	    offsetof(struct res_set, nnodes) },
	[RES_BGPCONFIG] = { "BGPConfiguration", "bgpconfigurations",
	    "BGPConfigurationList",
	    { "bgpconfiguration", "bgpconfigurations", "bgpconfig",
	    "bgpconfigs" },
	    offsetof(struct res_set, bgpconfigs),
	    offsetof(struct res_set, nbgpconfigs) },
	[RES_BGPPEER] = { "BGPPeer", "bgppeers", "BGPPeerList",
	    { "bgppeer", "bgppeers", "bgpp", "bgpps", "bp", "bps" },
	    offsetof(struct res_set, bgppeers),
	    offsetof(struct res_set, nbgppeers) },
	[RES_BGPFILTER] = { "BGPFilter", "bgpfilters", "BGPFilterList",
	    { "bgpfilter", "bgpfilters", "bgpf", "bgpfs", "bf", "bfs" },
	    offsetof(struct res_set, bgpfilters),
	    offsetof(struct res_set, nbgpfilters) },
	[RES_IPPOOL] = { "IPPool", "ippools", "IPPoolList",
	    { "ippool", "ippools", "ipp", "ipps", "pool", "pools" },
	    offsetof(struct res_set, ippools),
	    offsetof(struct res_set, nippools) },
	[RES_BLOCKAFFINITY] = { "BlockAffinity", "blockaffinities",
	    "BlockAffinityList",
	    { "blockaffinity", "blockaffinities", "blockaff", "blockaffs",
	    "ba", "bas" },
	    offsetof(struct res_set, blockaffinities),
	    offsetof(struct res_set, nblockaffinities) },
	[RES_NODESTATUS] = { "CalicoNodeStatus", "caliconodestatuses",
	    "CalicoNodeStatusList",
	    { "caliconodestatus", "caliconodestatuses", "nodestatus",
	    "nodestatuses", "cns" },
	    offsetof(struct res_set, nodestatuses),
	    offsetof(struct res_set, nnodestatuses) },
};

static int	 doc_error(struct res_errors *, const char *,
		    const struct doc_node *, const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
static int	 kind_of(const char *, enum res_kind *, int *);
static void	 show_name(const struct doc_node *, char *, size_t,
		    const char **);
static int	 decode_one(const struct doc_node *, const char *,
		    enum res_kind, const struct doc_node *, struct res_list *,
		    struct res_errors *);
static int	 decode_list(const struct doc_node *, const char *,
		    enum res_kind, struct res_list *, struct res_errors *);
static int	 check_api_version(struct rf_ctx *, const struct doc_node *,
		    int);
static void	 list_append(struct res_list *, struct resource *);
static void	*set_arr(const struct res_set *, enum res_kind, size_t **);
static void	*set_find(const struct res_set *, enum res_kind,
		    const char *, size_t *);

/*
 * Kinds.
 */

/* Calico's kind names, plurals and short names, case-insensitively. */
int
res_kind_lookup(const char *s, enum res_kind *kind)
{
	size_t	 k, i;

	for (k = 0; k < RES_NKINDS; k++) {
		if (strcasecmp(s, kinds[k].name) == 0)
			goto found;
		for (i = 0; i < NELEM(kinds[k].aliases) &&
		    kinds[k].aliases[i] != NULL; i++)
			if (strcasecmp(s, kinds[k].aliases[i]) == 0)
				goto found;
	}
	return -1;
 found:
	*kind = (enum res_kind)k;
	return 0;
}

const char *
res_kind_name(enum res_kind k)
{
	return (unsigned int)k < RES_NKINDS ? kinds[k].name : "?";
}

/* The plural of the file datastore directory and of etcd keys. */
const char *
res_kind_plural(enum res_kind k)
{
	return (unsigned int)k < RES_NKINDS ? kinds[k].plural : "?";
}

const char *
res_kind_list_name(enum res_kind k)
{
	return (unsigned int)k < RES_NKINDS ? kinds[k].list : "?";
}

/* The exact kind of a document ("BGPPeer" or "BGPPeerList"). */
static int
kind_of(const char *s, enum res_kind *kind, int *islist)
{
	size_t	 k;

	for (k = 0; k < RES_NKINDS; k++) {
		if (strcmp(s, kinds[k].name) == 0 ||
		    strcmp(s, kinds[k].list) == 0) {
			*kind = (enum res_kind)k;
			*islist = strcmp(s, kinds[k].list) == 0;
			return 0;
		}
	}
	return -1;
}

/*
 * Decoding.
 */

/* An error before the kind is known: "FILE:LINE:COL: reason". */
static int
doc_error(struct res_errors *errs, const char *file,
    const struct doc_node *n, const char *fmt, ...)
{
	char	 reason[512], msg[640];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (n != NULL && n->line > 0)
		snprintf(msg, sizeof(msg), "%s:%d:%d: %s", file, n->line,
		    n->col, reason);
	else
		snprintf(msg, sizeof(msg), "%s: %s", file, reason);
	rf_errors_add(errs, msg);
	return -1;
}

/*
 * Parse a buffer holding any number of YAML or JSON documents, each a
 * resource or a <Kind>List.  Valid resources are appended to out even when
 * others fail; returns -1 if there was any error, all of them in errs.
 */
int
res_parse(const char *buf, size_t len, const char *file,
    struct res_list *out, struct res_errors *errs)
{
	struct doc_stream	 st;
	char			 err[512];
	size_t			 i;
	int			 rc = 0;

	if (file == NULL)
		file = "-";
	if (doc_parse(buf, len, file, NULL, &st, err, sizeof(err)) == -1) {
		rf_errors_add(errs, err);
		return -1;
	}
	for (i = 0; i < st.n; i++) {
		/* An empty document ("---" alone) holds no resource. */
		if (st.docs[i]->type == DOC_NULL)
			continue;
		if (res_decode(st.docs[i], file, out, errs) == -1)
			rc = -1;
	}
	doc_stream_free(&st);
	return rc;
}

/* Decode one document: a resource or a <Kind>List. */
int
res_decode(const struct doc_node *doc, const char *file,
    struct res_list *out, struct res_errors *errs)
{
	const struct doc_node	*k;
	enum res_kind		 kind;
	int			 islist;

	if (file == NULL)
		file = "-";
	if (doc->type != DOC_MAP)
		return doc_error(errs, file, doc, "expected a resource (a map "
		    "with apiVersion, kind, metadata and spec), got %s",
		    doc_type_name(doc->type));
	if ((k = doc_map_get(doc, "kind")) == NULL || k->type == DOC_NULL)
		return doc_error(errs, file, doc, "kind: required field is "
		    "missing");
	if (k->type != DOC_STRING)
		return doc_error(errs, file, k, "kind: expected a string, got "
		    "%s", doc_type_name(k->type));
	if (kind_of(k->raw, &kind, &islist) == -1)
		return doc_error(errs, file, k, "kind: unknown resource kind "
		    "'%.64s'", k->raw);
	if (islist)
		return decode_list(doc, file, kind, out, errs);
	return decode_one(doc, file, kind, NULL, out, errs);
}

/* The name to show in messages, and the real name if it is valid. */
static void
show_name(const struct doc_node *doc, char *buf, size_t len,
    const char **real)
{
	const struct doc_node	*n;

	*real = NULL;
	n = doc_map_get(doc_map_get(doc, "metadata"), "name");
	if (n == NULL || n->type != DOC_STRING || n->raw[0] == '\0') {
		snprintf(buf, len, "(no name)");
		return;
	}
	snprintf(buf, len, "%s", n->raw);
	if (rf_valid_name(n->raw) == NULL)
		*real = n->raw;
}

/* apiVersion must be projectcalico.org/v3; list items may omit it. */
static int
check_api_version(struct rf_ctx *c, const struct doc_node *doc, int item)
{
	const struct doc_pair	*p = doc_map_pair(doc, "apiVersion");

	if (p == NULL || p->val->type == DOC_NULL) {
		if (item)
			return 0;
		return rf_error_at(c, doc, "apiVersion", "required field is "
		    "missing");
	}
	if (p->val->type != DOC_STRING ||
	    strcmp(p->val->raw, RES_API_VERSION) != 0)
		return rf_error_at(c, p->val, "apiVersion", "must be %s",
		    RES_API_VERSION);
	return 0;
}

static void
list_append(struct res_list *l, struct resource *r)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = *r;
}

/* One resource; list is the enclosing <Kind>List document, or NULL. */
static int
decode_one(const struct doc_node *doc, const char *file, enum res_kind kind,
    const struct doc_node *list, struct res_list *out,
    struct res_errors *errs)
{
	struct rf_ctx	 c;
	struct resource	 r;
	char		 name[RES_NAMESHOW];

	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	show_name(doc, name, sizeof(name), &c.real);
	c.file = file;
	c.kind = kinds[kind].name;
	c.name = name;
	c.errs = errs;
	r.kind = kind;
	if (check_api_version(&c, doc, list != NULL) == -1)
		return -1;
	if (rf_decode_obj(&c, rf_kind_obj[kind], "", doc, &r.u) == -1) {
		rf_free_obj(rf_kind_obj[kind], &r.u);
		return -1;
	}
	r.file = xstrdup(file);
	r.line = doc->line;
	r.col = doc->col;
	list_append(out, &r);
	return 0;
}

/* <Kind>List: {apiVersion, kind, metadata: {resourceVersion}, items}. */
static int
decode_list(const struct doc_node *doc, const char *file, enum res_kind kind,
    struct res_list *out, struct res_errors *errs)
{
	struct rf_ctx		 c;
	const struct doc_node	*items, *it, *k;
	size_t			 i;
	int			 rc = 0;

	memset(&c, 0, sizeof(c));
	c.file = file;
	c.kind = kinds[kind].list;
	c.name = "";
	c.errs = errs;
	if (check_api_version(&c, doc, 0) == -1)
		return -1;
	for (i = 0; i < doc->n; i++) {
		if (strcmp(doc->pairs[i].key, "apiVersion") != 0 &&
		    strcmp(doc->pairs[i].key, "kind") != 0 &&
		    strcmp(doc->pairs[i].key, "metadata") != 0 &&
		    strcmp(doc->pairs[i].key, "items") != 0)
			return rf_error(&c, doc->pairs[i].line,
			    doc->pairs[i].col, doc->pairs[i].key,
			    "unknown field");
	}
	if ((items = doc_map_get(doc, "items")) == NULL ||
	    items->type == DOC_NULL)
		return 0;
	if (items->type != DOC_LIST)
		return rf_error_at(&c, items, "items", "expected a list, got "
		    "%s", doc_type_name(items->type));
	for (i = 0; i < items->n; i++) {
		it = items->items[i];
		if (it->type != DOC_MAP) {
			rc = doc_error(errs, file, it, "%s: items[%zu]: "
			    "expected a map, got %s", kinds[kind].list, i,
			    doc_type_name(it->type));
			continue;
		}
		k = doc_map_get(it, "kind");
		if (k != NULL && k->type != DOC_NULL &&
		    (k->type != DOC_STRING ||
		    strcmp(k->raw, kinds[kind].name) != 0)) {
			rc = doc_error(errs, file, k, "%s: items[%zu].kind: "
			    "must be %s", kinds[kind].list, i,
			    kinds[kind].name);
			continue;
		}
		if (decode_one(it, file, kind, doc, out, errs) == -1)
			rc = -1;
	}
	return rc;
}

/*
 * Encoding.
 */

struct doc_node *
res_encode(const struct resource *r)
{
	struct doc_node	*m = doc_new_map();

	doc_map_set(m, "apiVersion", doc_new_string(RES_API_VERSION));
	doc_map_set(m, "kind", doc_new_string(kinds[r->kind].name));
	rf_encode_obj(rf_kind_obj[r->kind], &r->u, m);
	return m;
}

/* A <Kind>List of n resources (calicoctl get -o yaml with several). */
struct doc_node *
res_encode_list(enum res_kind kind, const struct resource *items, size_t n,
    const char *resource_version)
{
	struct doc_node	*m = doc_new_map(), *meta, *l;
	size_t		 i;

	doc_map_set(m, "apiVersion", doc_new_string(RES_API_VERSION));
	doc_map_set(m, "kind", doc_new_string(kinds[kind].list));
	meta = doc_new_map();
	if (resource_version != NULL)
		doc_map_set(meta, "resourceVersion",
		    doc_new_string(resource_version));
	doc_map_set(m, "metadata", meta);
	l = doc_new_list();
	for (i = 0; i < n; i++)
		doc_list_append(l, res_encode(&items[i]));
	doc_map_set(m, "items", l);
	return m;
}

char *
res_to_yaml(const struct resource *r)
{
	struct doc_node	*d = res_encode(r);
	char		*s = doc_to_yaml(d);

	doc_free(d);
	return s;
}

char *
res_to_json(const struct resource *r, int pretty)
{
	struct doc_node	*d = res_encode(r);
	char		*s = doc_to_json(d, pretty);

	doc_free(d);
	return s;
}

/* Same kind and the same encoding: what Calico would store. */
int
res_equal(const struct resource *a, const struct resource *b)
{
	struct doc_node	*da, *db;
	int		 eq;

	if (a->kind != b->kind)
		return 0;
	da = res_encode(a);
	db = res_encode(b);
	eq = doc_equal(da, db);
	doc_free(da);
	doc_free(db);
	return eq;
}

/*
 * Lifetime.
 */

struct res_meta *
res_meta(struct resource *r)
{
	switch (r->kind) {
	case RES_NODE:
		return &r->u.node.meta;
	case RES_BGPCONFIG:
		return &r->u.bgpconfig.meta;
	case RES_BGPPEER:
		return &r->u.bgppeer.meta;
	case RES_BGPFILTER:
		return &r->u.bgpfilter.meta;
	case RES_IPPOOL:
		return &r->u.ippool.meta;
	case RES_BLOCKAFFINITY:
		return &r->u.blockaffinity.meta;
	case RES_NODESTATUS:
		return &r->u.nodestatus.meta;
	case RES_NKINDS:
		break;
	}
	return NULL;
}

const struct res_meta *
res_meta_const(const struct resource *r)
{
	return res_meta((struct resource *)(uintptr_t)r);
}

const char *
res_name(const struct resource *r)
{
	const struct res_meta	*m = res_meta_const(r);

	return m != NULL && m->name != NULL ? m->name : "";
}

void
res_free(struct resource *r)
{
	if (r == NULL || (unsigned int)r->kind >= RES_NKINDS)
		return;
	rf_free_obj(rf_kind_obj[r->kind], &r->u);
	free(r->file);
	memset(&r->u, 0, sizeof(r->u));
	r->file = NULL;
}

void
res_list_free(struct res_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		res_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void
res_errors_free(struct res_errors *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	memset(e, 0, sizeof(*e));
}

/*
 * Sets.  Every kind's struct begins with its struct res_meta, so an
 * element's name is at the start of the element.
 */

void
res_set_init(struct res_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void *
set_arr(const struct res_set *s, enum res_kind k, size_t **np)
{
	void	*arr;

	memcpy(&arr, (const char *)s + kinds[k].arr, sizeof(arr));
	*np = (size_t *)(uintptr_t)((const char *)s + kinds[k].cnt);
	return arr;
}

static void *
set_find(const struct res_set *s, enum res_kind k, const char *name,
    size_t *idx)
{
	char			*arr;
	size_t			*np, i, sz = rf_kind_obj[k]->size;
	const struct res_meta	*m;

	if ((unsigned int)k >= RES_NKINDS || name == NULL)
		return NULL;
	arr = set_arr(s, k, &np);
	for (i = 0; i < *np; i++) {
		m = (const struct res_meta *)(void *)(arr + i * sz);
		if (m->name != NULL && strcmp(m->name, name) == 0) {
			if (idx != NULL)
				*idx = i;
			return arr + i * sz;
		}
	}
	return NULL;
}

/*
 * Move a resource into the set (r is emptied).  A resource of the same
 * kind and name is replaced when replace is set; otherwise that is an
 * error and r is left alone.
 */
int
res_set_add(struct res_set *s, struct resource *r, int replace)
{
	const struct rf_obj	*o = rf_kind_obj[r->kind];
	char			*arr, *e;
	size_t			*np;

	if ((e = set_find(s, r->kind, res_name(r), NULL)) != NULL) {
		if (!replace)
			return -1;
		rf_free_obj(o, e);
	} else {
		arr = set_arr(s, r->kind, &np);
		arr = xreallocarray(arr, *np + 1, o->size);
		memcpy((char *)s + kinds[r->kind].arr, &arr, sizeof(arr));
		e = arr + (*np)++ * o->size;
	}
	memcpy(e, &r->u, o->size);
	memset(&r->u, 0, sizeof(r->u));
	free(r->file);
	r->file = NULL;
	return 0;
}

/* Move every resource of a list into the set; the list is emptied. */
int
res_set_add_list(struct res_set *s, struct res_list *l, int replace,
    struct res_errors *errs)
{
	struct resource	*r;
	char		 msg[512];
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < l->n; i++) {
		r = &l->items[i];
		if (res_set_add(s, r, replace) == 0)
			continue;
		snprintf(msg, sizeof(msg), "%s:%d:%d: %s %s: duplicate "
		    "resource name", r->file != NULL ? r->file : "-",
		    r->line, r->col, res_kind_name(r->kind), res_name(r));
		rf_errors_add(errs, msg);
		rc = -1;
	}
	res_list_free(l);
	return rc;
}

int
res_set_remove(struct res_set *s, enum res_kind k, const char *name)
{
	char	*arr, *e;
	size_t	*np, i, sz;

	if ((e = set_find(s, k, name, &i)) == NULL)
		return -1;
	sz = rf_kind_obj[k]->size;
	rf_free_obj(rf_kind_obj[k], e);
	arr = set_arr(s, k, &np);
	memmove(arr + i * sz, arr + (i + 1) * sz, (*np - i - 1) * sz);
	(*np)--;
	return 0;
}

void
res_set_free(struct res_set *s)
{
	char	*arr;
	size_t	*np, i, k;

	for (k = 0; k < RES_NKINDS; k++) {
		arr = set_arr(s, (enum res_kind)k, &np);
		for (i = 0; i < *np; i++)
			rf_free_obj(rf_kind_obj[k],
			    arr + i * rf_kind_obj[k]->size);
		free(arr);
	}
	memset(s, 0, sizeof(*s));
}

struct res_node *
res_set_node(const struct res_set *s, const char *name)
{
	return set_find(s, RES_NODE, name, NULL);
}

struct res_bgpconfig *
res_set_bgpconfig(const struct res_set *s, const char *name)
{
	return set_find(s, RES_BGPCONFIG, name, NULL);
}

struct res_bgppeer *
res_set_bgppeer(const struct res_set *s, const char *name)
{
	return set_find(s, RES_BGPPEER, name, NULL);
}

struct res_bgpfilter *
res_set_bgpfilter(const struct res_set *s, const char *name)
{
	return set_find(s, RES_BGPFILTER, name, NULL);
}

struct res_ippool *
res_set_ippool(const struct res_set *s, const char *name)
{
	return set_find(s, RES_IPPOOL, name, NULL);
}

struct res_blockaffinity *
res_set_blockaffinity(const struct res_set *s, const char *name)
{
	return set_find(s, RES_BLOCKAFFINITY, name, NULL);
}

struct res_nodestatus *
res_set_nodestatus(const struct res_set *s, const char *name)
{
	return set_find(s, RES_NODESTATUS, name, NULL);
}
