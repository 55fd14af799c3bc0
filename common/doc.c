/*
 * Document trees: YAML/JSON parsing with libyaml's event parser, building,
 * copying and comparing trees, RFC 7386 merge patch, and YAML/JSON output.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "doc.h"
#include "log.h"
#include "util.h"

/* One open list or map while parsing. */
struct doc_frame {
	struct doc_node	*node;
	char		*key;		/* map: key waiting for its value */
	int		 kline;
	int		 kcol;
};

struct doc_parser {
	yaml_parser_t		 yp;
	const char		*file;
	struct doc_limits	 lim;
	struct doc_frame	*stack;
	int			 depth;
	size_t			 nodes;
	struct doc_node		*root;
	struct doc_stream	*out;
	char			*err;
	size_t			 errlen;
};

struct doc_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void	 doc_init_limits(struct doc_limits *,
		    const struct doc_limits *);
static int	 parse_error(struct doc_parser *, int, int, const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
static void	 parse_yaml_error(struct doc_parser *, const char *, size_t);
static int	 parse_event(struct doc_parser *, yaml_event_t *);
static int	 parse_check_props(struct doc_parser *, yaml_event_t *,
		    const yaml_char_t *, const yaml_char_t *);
static int	 parse_scalar(struct doc_parser *, yaml_event_t *);
static int	 parse_open(struct doc_parser *, yaml_event_t *, enum doc_type);
static int	 parse_close(struct doc_parser *);
static int	 parse_attach(struct doc_parser *, struct doc_node *);
static int	 parse_doc_end(struct doc_parser *);
static int	 map_index(const struct doc_node *, const char *, size_t *);
static struct doc_node *node_new(enum doc_type, int, int);
static void	 resolve_plain(struct doc_node *);
static int	 is_int_text(const char *);
static int	 is_float_text(const char *);
static int	 is_null_text(const char *);
static int	 is_special_word(const char *);
static int	 needs_quotes(const char *);
static void	 buf_add(struct doc_buf *, const char *, size_t);
static void	 buf_str(struct doc_buf *, const char *);
static void	 buf_printf(struct doc_buf *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	 buf_indent(struct doc_buf *, int);
static char	*buf_finish(struct doc_buf *);
static void	 emit_quoted(struct doc_buf *, const char *);
static void	 emit_float(struct doc_buf *, double, int);
static void	 emit_scalar_yaml(struct doc_buf *, const struct doc_node *);
static void	 emit_key_yaml(struct doc_buf *, const char *);
static void	 emit_after_key(struct doc_buf *, const struct doc_node *, int);
static void	 emit_map_body(struct doc_buf *, const struct doc_node *, int,
		    int);
static void	 emit_list_body(struct doc_buf *, const struct doc_node *,
		    int, int);
static void	 emit_json(struct doc_buf *, const struct doc_node *, int,
		    int);
static size_t	 utf8_decode(const unsigned char *, size_t, uint32_t *);
static int	 is_block(const struct doc_node *);

/*
 * Parsing.
 */

static void
doc_init_limits(struct doc_limits *l, const struct doc_limits *in)
{
	memset(l, 0, sizeof(*l));
	if (in != NULL)
		*l = *in;
	if (l->max_depth <= 0)
		l->max_depth = DOC_DEF_MAX_DEPTH;
	if (l->max_nodes == 0)
		l->max_nodes = DOC_DEF_MAX_NODES;
	if (l->max_scalar == 0)
		l->max_scalar = DOC_DEF_MAX_SCALAR;
	if (l->max_keys == 0)
		l->max_keys = DOC_DEF_MAX_KEYS;
	if (l->max_docs == 0)
		l->max_docs = DOC_DEF_MAX_DOCS;
}

static int
parse_error(struct doc_parser *p, int line, int col, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->file, line,
		    col, msg);
	return -1;
}

/*
 * libyaml's error.  Reader errors (bad UTF-8, control characters) carry a
 * byte offset instead of a position, so the position is counted here.
 */
static void
parse_yaml_error(struct doc_parser *p, const char *buf, size_t len)
{
	size_t	 i, off = p->yp.problem_offset;
	int	 line = 1, col = 1;

	if (p->yp.error != YAML_READER_ERROR) {
		line = (int)p->yp.problem_mark.line + 1;
		col = (int)p->yp.problem_mark.column + 1;
	} else {
		for (i = 0; i < off && i < len; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
				col++;
		}
	}
	parse_error(p, line, col, "%s%s%s",
	    p->yp.problem ? p->yp.problem : "YAML syntax error",
	    p->yp.context ? " " : "", p->yp.context ? p->yp.context : "");
}

/*
 * Parse every document of a YAML (or JSON) stream.  On error, nothing is
 * returned in out and err holds "FILE:LINE:COL: reason".
 */
int
doc_parse(const char *buf, size_t len, const char *file,
    const struct doc_limits *lim, struct doc_stream *out, char *err,
    size_t errlen)
{
	struct doc_parser	 p;
	yaml_event_t		 ev;
	int			 done = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	doc_init_limits(&p.lim, lim);
	p.file = file != NULL ? file : "-";
	p.out = out;
	p.err = err;
	p.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	p.stack = xcalloc((size_t)p.lim.max_depth, sizeof(*p.stack));
	if (!yaml_parser_initialize(&p.yp))
		fatalx("%s: yaml_parser_initialize", __func__);
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&p.yp, &ev)) {
			parse_yaml_error(&p, buf, len);
			goto fail;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (parse_event(&p, &ev) == -1) {
			yaml_event_delete(&ev);
			goto fail;
		}
		yaml_event_delete(&ev);
	}
	rc = 0;
 fail:
	while (p.depth > 0) {
		p.depth--;
		free(p.stack[p.depth].key);
	}
	if (rc == -1) {
		doc_free(p.root);
		doc_stream_free(out);
	}
	free(p.stack);
	yaml_parser_delete(&p.yp);
	return rc;
}

static int
parse_event(struct doc_parser *p, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (ev->data.document_start.tag_directives.start !=
		    ev->data.document_start.tag_directives.end)
			return parse_error(p, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "YAML %%TAG directives are not supported");
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		return parse_doc_end(p);
	case YAML_ALIAS_EVENT:
		return parse_error(p, (int)ev->start_mark.line + 1,
		    (int)ev->start_mark.column + 1,
		    "YAML aliases are not supported");
	case YAML_SCALAR_EVENT:
		return parse_scalar(p, ev);
	case YAML_SEQUENCE_START_EVENT:
		if (parse_check_props(p, ev, ev->data.sequence_start.anchor,
		    ev->data.sequence_start.tag) == -1)
			return -1;
		return parse_open(p, ev, DOC_LIST);
	case YAML_MAPPING_START_EVENT:
		if (parse_check_props(p, ev, ev->data.mapping_start.anchor,
		    ev->data.mapping_start.tag) == -1)
			return -1;
		return parse_open(p, ev, DOC_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return parse_close(p);
	default:
		return 0;
	}
}

/*
 * Anchors make one node appear in several places and tags change what a
 * scalar means; neither belongs in a resource file.  The tag case is the
 * classic trap: nodeSelector: !has(x) is the tag "!has(x)" on an empty
 * string, which would silently make a BGPPeer global.
 */
static int
parse_check_props(struct doc_parser *p, yaml_event_t *ev,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	int	 line = (int)ev->start_mark.line + 1;
	int	 col = (int)ev->start_mark.column + 1;

	if (anchor != NULL)
		return parse_error(p, line, col, "YAML anchor '&%.64s' is "
		    "not supported", (const char *)anchor);
	if (tag != NULL)
		return parse_error(p, line, col, "YAML tag '%.64s' is not "
		    "supported (quote the value if it is a selector such as "
		    "\"!has(label)\")", (const char *)tag);
	return 0;
}

static struct doc_node *
node_new(enum doc_type type, int line, int col)
{
	struct doc_node	*n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = line;
	n->col = col;
	return n;
}

static int
parse_scalar(struct doc_parser *p, yaml_event_t *ev)
{
	struct doc_node	*n;
	size_t		 len = ev->data.scalar.length;
	int		 line = (int)ev->start_mark.line + 1;
	int		 col = (int)ev->start_mark.column + 1;

	if (parse_check_props(p, ev, ev->data.scalar.anchor,
	    ev->data.scalar.tag) == -1)
		return -1;
	if (len > p->lim.max_scalar)
		return parse_error(p, line, col, "scalar longer than %zu "
		    "bytes", p->lim.max_scalar);
	if (memchr(ev->data.scalar.value, '\0', len) != NULL)
		return parse_error(p, line, col, "NUL character in scalar");
	n = node_new(DOC_STRING, line, col);
	n->raw = xmalloc(len + 1);
	memcpy(n->raw, ev->data.scalar.value, len);
	n->raw[len] = '\0';
	n->rawlen = len;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		resolve_plain(n);
	else
		n->quoted = 1;
	return parse_attach(p, n);
}

static int
parse_open(struct doc_parser *p, yaml_event_t *ev, enum doc_type type)
{
	struct doc_node	*n;
	int		 line = (int)ev->start_mark.line + 1;
	int		 col = (int)ev->start_mark.column + 1;

	if (p->depth >= p->lim.max_depth)
		return parse_error(p, line, col, "nesting deeper than %d "
		    "levels", p->lim.max_depth);
	n = node_new(type, line, col);
	if (parse_attach(p, n) == -1)
		return -1;
	p->stack[p->depth].node = n;
	p->stack[p->depth].key = NULL;
	p->depth++;
	return 0;
}

static int
parse_close(struct doc_parser *p)
{
	if (p->depth == 0)
		return 0;
	p->depth--;
	free(p->stack[p->depth].key);
	p->stack[p->depth].key = NULL;
	return 0;
}

static int
parse_attach(struct doc_parser *p, struct doc_node *n)
{
	struct doc_frame	*f;
	struct doc_node		*m;
	size_t			 i;

	if (++p->nodes > p->lim.max_nodes) {
		parse_error(p, n->line, n->col, "more than %zu nodes",
		    p->lim.max_nodes);
		doc_free(n);
		return -1;
	}
	if (p->depth == 0) {
		doc_free(p->root);
		p->root = n;
		return 0;
	}
	f = &p->stack[p->depth - 1];
	m = f->node;
	if (m->type == DOC_LIST) {
		doc_list_append(m, n);
		return 0;
	}
	if (f->key != NULL) {
		doc_map_set(m, f->key, n);
		m->pairs[m->n - 1].line = f->kline;
		m->pairs[m->n - 1].col = f->kcol;
		free(f->key);
		f->key = NULL;
		return 0;
	}
	if (n->type == DOC_LIST || n->type == DOC_MAP) {
		parse_error(p, n->line, n->col, "map keys must be scalars");
		doc_free(n);
		return -1;
	}
	/*
	 * Keys must print back as keys our own parser takes: libyaml allows
	 * an implicit key of 1024 characters, and JSON escaping doubles a
	 * key at most once control characters are refused.
	 */
	if (n->rawlen > DOC_MAX_KEY) {
		parse_error(p, n->line, n->col, "map key longer than %d "
		    "characters", DOC_MAX_KEY);
		doc_free(n);
		return -1;
	}
	for (i = 0; i < n->rawlen; i++)
		if ((unsigned char)n->raw[i] < 0x20 || n->raw[i] == 0x7f) {
			parse_error(p, n->line, n->col, "control character "
			    "in a map key");
			doc_free(n);
			return -1;
		}
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->pairs[i].key, n->raw) == 0) {
			parse_error(p, n->line, n->col, "duplicate map key "
			    "'%.64s' (first at line %d)", n->raw,
			    m->pairs[i].line);
			doc_free(n);
			return -1;
		}
	}
	if (m->n >= p->lim.max_keys) {
		parse_error(p, n->line, n->col, "map with more than %zu keys",
		    p->lim.max_keys);
		doc_free(n);
		return -1;
	}
	f->key = n->raw;
	f->kline = n->line;
	f->kcol = n->col;
	n->raw = NULL;
	doc_free(n);
	return 0;
}

static int
parse_doc_end(struct doc_parser *p)
{
	struct doc_stream	*s = p->out;

	if (p->root == NULL)
		return 0;
	if (s->n >= p->lim.max_docs)
		return parse_error(p, p->root->line, p->root->col,
		    "more than %zu documents", p->lim.max_docs);
	s->docs = xreallocarray(s->docs, s->n + 1, sizeof(*s->docs));
	s->docs[s->n++] = p->root;
	p->root = NULL;
	return 0;
}

/*
 * Plain scalars: null, true/false (not YAML 1.1's yes/no/on/off, which stay
 * strings), decimal integers without leading zeros, floats; anything else
 * is a string.  Integers that overflow 64 bits become floats.
 */
static void
resolve_plain(struct doc_node *n)
{
	char	*end;

	if (is_null_text(n->raw)) {
		n->type = DOC_NULL;
		return;
	}
	if (strcmp(n->raw, "true") == 0 || strcmp(n->raw, "True") == 0 ||
	    strcmp(n->raw, "TRUE") == 0) {
		n->type = DOC_BOOL;
		n->b = 1;
		return;
	}
	if (strcmp(n->raw, "false") == 0 || strcmp(n->raw, "False") == 0 ||
	    strcmp(n->raw, "FALSE") == 0) {
		n->type = DOC_BOOL;
		n->b = 0;
		return;
	}
	if (is_int_text(n->raw)) {
		errno = 0;
		n->i = strtoll(n->raw, &end, 10);
		if (errno == 0) {
			n->type = DOC_INT;
			return;
		}
	}
	if (is_float_text(n->raw) || is_int_text(n->raw)) {
		n->type = DOC_FLOAT;
		if (strcasecmp(n->raw + (n->raw[0] == '-' ||
		    n->raw[0] == '+'), ".inf") == 0)
			n->f = n->raw[0] == '-' ? -HUGE_VAL : HUGE_VAL;
		else if (strcasecmp(n->raw, ".nan") == 0)
			n->f = NAN;
		else
			n->f = strtod(n->raw, &end);
	}
}

static int
is_null_text(const char *s)
{
	return s[0] == '\0' || strcmp(s, "~") == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0;
}

/* [-+]?(0|[1-9][0-9]*) */
static int
is_int_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s == '0')
		return s[1] == '\0';
	if (*s < '1' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

/*
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? with a dot or an
 * exponent, and .inf/.nan.
 */
static int
is_float_text(const char *s)
{
	int	 digits = 0, frac = 0;

	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0)
		return 1;
	if (*s == '-' || *s == '+')
		s++;
	if (strcmp(s, ".inf") == 0 || strcmp(s, ".Inf") == 0 ||
	    strcmp(s, ".INF") == 0)
		return 1;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.') {
		frac = 1;
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	}
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		frac = 1;
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0' && frac;
}

/* Parse a buffer that must hold exactly one document (e.g. a patch). */
struct doc_node *
doc_parse_one(const char *buf, size_t len, const char *file, char *err,
    size_t errlen)
{
	struct doc_stream	 s;
	struct doc_node		*n;

	if (doc_parse(buf, len, file, NULL, &s, err, errlen) == -1)
		return NULL;
	if (s.n != 1) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:1:1: expected exactly one "
			    "document, found %zu", file != NULL ? file : "-",
			    s.n);
		doc_stream_free(&s);
		return NULL;
	}
	n = s.docs[0];
	s.n = 0;
	doc_stream_free(&s);
	return n;
}

void
doc_stream_free(struct doc_stream *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		doc_free(s->docs[i]);
	free(s->docs);
	s->docs = NULL;
	s->n = 0;
}

/*
 * Building and inspecting trees.
 */

struct doc_node *
doc_new_null(void)
{
	return node_new(DOC_NULL, 0, 0);
}

struct doc_node *
doc_new_bool(int b)
{
	struct doc_node	*n = node_new(DOC_BOOL, 0, 0);

	n->b = b != 0;
	return n;
}

struct doc_node *
doc_new_int(int64_t i)
{
	struct doc_node	*n = node_new(DOC_INT, 0, 0);

	n->i = i;
	return n;
}

struct doc_node *
doc_new_float(double f)
{
	struct doc_node	*n = node_new(DOC_FLOAT, 0, 0);

	n->f = f;
	return n;
}

struct doc_node *
doc_new_string(const char *s)
{
	struct doc_node	*n = node_new(DOC_STRING, 0, 0);

	n->raw = xstrdup(s);
	n->rawlen = strlen(s);
	n->quoted = 1;
	return n;
}

struct doc_node *
doc_new_list(void)
{
	return node_new(DOC_LIST, 0, 0);
}

struct doc_node *
doc_new_map(void)
{
	return node_new(DOC_MAP, 0, 0);
}

void
doc_free(struct doc_node *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	if (n->type == DOC_LIST)
		for (i = 0; i < n->n; i++)
			doc_free(n->items[i]);
	if (n->type == DOC_MAP)
		for (i = 0; i < n->n; i++) {
			free(n->pairs[i].key);
			doc_free(n->pairs[i].val);
		}
	free(n->items);
	free(n->pairs);
	free(n->raw);
	free(n);
}

struct doc_node *
doc_copy(const struct doc_node *n)
{
	struct doc_node	*c;
	size_t		 i;

	if (n == NULL)
		return NULL;
	c = xmalloc(sizeof(*c));
	*c = *n;
	c->items = NULL;
	c->pairs = NULL;
	c->raw = n->raw != NULL ? xstrdup(n->raw) : NULL;
	c->n = c->cap = 0;
	if (n->type == DOC_LIST)
		for (i = 0; i < n->n; i++)
			doc_list_append(c, doc_copy(n->items[i]));
	if (n->type == DOC_MAP)
		for (i = 0; i < n->n; i++) {
			doc_map_set(c, n->pairs[i].key,
			    doc_copy(n->pairs[i].val));
			c->pairs[i].line = n->pairs[i].line;
			c->pairs[i].col = n->pairs[i].col;
		}
	return c;
}

/*
 * Structural equality as JSON sees it: map order and source positions do
 * not matter, integers and floats of the same value are equal.
 */
int
doc_equal(const struct doc_node *a, const struct doc_node *b)
{
	const struct doc_node	*v;
	size_t			 i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->type == DOC_INT && b->type == DOC_FLOAT)
		return (double)a->i == b->f;
	if (a->type == DOC_FLOAT && b->type == DOC_INT)
		return a->f == (double)b->i;
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case DOC_NULL:
		return 1;
	case DOC_BOOL:
		return a->b == b->b;
	case DOC_INT:
		return a->i == b->i;
	case DOC_FLOAT:
		return a->f == b->f;
	case DOC_STRING:
		return strcmp(a->raw, b->raw) == 0;
	case DOC_LIST:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++)
			if (!doc_equal(a->items[i], b->items[i]))
				return 0;
		return 1;
	case DOC_MAP:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++) {
			v = doc_map_get(b, a->pairs[i].key);
			if (v == NULL || !doc_equal(a->pairs[i].val, v))
				return 0;
		}
		return 1;
	}
	return 0;
}

const char *
doc_type_name(enum doc_type t)
{
	switch (t) {
	case DOC_NULL:
		return "null";
	case DOC_BOOL:
		return "a boolean";
	case DOC_INT:
		return "an integer";
	case DOC_FLOAT:
		return "a floating-point number";
	case DOC_STRING:
		return "a string";
	case DOC_LIST:
		return "a list";
	case DOC_MAP:
		return "a map";
	}
	return "?";
}

void
doc_list_append(struct doc_node *l, struct doc_node *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	l->items[l->n++] = n;
}

static int
map_index(const struct doc_node *m, const char *key, size_t *idx)
{
	size_t	 i;

	if (m == NULL || m->type != DOC_MAP)
		return -1;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0) {
			*idx = i;
			return 0;
		}
	return -1;
}

const struct doc_pair *
doc_map_pair(const struct doc_node *m, const char *key)
{
	size_t	 i;

	if (map_index(m, key, &i) == -1)
		return NULL;
	return &m->pairs[i];
}

struct doc_node *
doc_map_get(const struct doc_node *m, const char *key)
{
	const struct doc_pair	*p = doc_map_pair(m, key);

	return p != NULL ? p->val : NULL;
}

/* Replace the value of key (keeping its place) or append a new entry. */
void
doc_map_set(struct doc_node *m, const char *key, struct doc_node *val)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0) {
			doc_free(m->pairs[i].val);
			m->pairs[i].val = val;
			return;
		}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4;
		m->pairs = xreallocarray(m->pairs, m->cap, sizeof(*m->pairs));
	}
	m->pairs[m->n].key = xstrdup(key);
	m->pairs[m->n].line = 0;
	m->pairs[m->n].col = 0;
	m->pairs[m->n].val = val;
	m->n++;
}

int
doc_map_remove(struct doc_node *m, const char *key)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0) {
			free(m->pairs[i].key);
			doc_free(m->pairs[i].val);
			memmove(&m->pairs[i], &m->pairs[i + 1],
			    (m->n - i - 1) * sizeof(*m->pairs));
			m->n--;
			return 0;
		}
	return -1;
}

/*
 * RFC 7386 JSON merge patch.  Consumes target (which may be NULL) and
 * returns the patched tree; the patch is copied, never taken over.
 */
struct doc_node *
doc_merge_patch(struct doc_node *target, const struct doc_node *patch)
{
	struct doc_node	*cur;
	size_t		 i, j;
	const char	*key;

	if (patch == NULL)
		return target;
	if (patch->type != DOC_MAP) {
		doc_free(target);
		return doc_copy(patch);
	}
	if (target == NULL || target->type != DOC_MAP) {
		doc_free(target);
		target = doc_new_map();
	}
	for (i = 0; i < patch->n; i++) {
		key = patch->pairs[i].key;
		if (patch->pairs[i].val->type == DOC_NULL) {
			doc_map_remove(target, key);
			continue;
		}
		if (map_index(target, key, &j) == 0) {
			cur = target->pairs[j].val;
			target->pairs[j].val = doc_merge_patch(cur,
			    patch->pairs[i].val);
		} else
			doc_map_set(target, key, doc_merge_patch(NULL,
			    patch->pairs[i].val));
	}
	return target;
}

/*
 * Output.
 */

static void
buf_add(struct doc_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct doc_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_printf(struct doc_buf *b, const char *fmt, ...)
{
	char	 tmp[64];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		fatalx("%s: output too long", __func__);
	buf_add(b, tmp, (size_t)n);
}

static void
buf_indent(struct doc_buf *b, int n)
{
	static const char	 sp[] = "                                ";

	while (n > 0) {
		buf_add(b, sp, n > 32 ? 32 : (size_t)n);
		n -= 32;
	}
}

static char *
buf_finish(struct doc_buf *b)
{
	if (b->p == NULL)
		buf_add(b, "", 0);
	return b->p;
}

/*
 * Decode one UTF-8 sequence; returns its length, or 0 when the bytes are
 * not valid UTF-8 (overlong, surrogate, out of range or truncated).
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * A double-quoted string valid in both YAML and JSON.  Invalid UTF-8
 * (only possible in trees built by code; libyaml rejects it on input) is
 * written as U+FFFD.  YAML line breaks beyond \n (NEL, LS, PS) and the
 * byte-order mark are escaped so that they survive a re-parse.
 */
static void
emit_quoted(struct doc_buf *b, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 len = strlen(str), n;
	uint32_t		 c;

	buf_add(b, "\"", 1);
	while (len > 0) {
		if ((n = utf8_decode(s, len, &c)) == 0) {
			buf_str(b, "\\ufffd");
			s++;
			len--;
			continue;
		}
		if (c == '"')
			buf_str(b, "\\\"");
		else if (c == '\\')
			buf_str(b, "\\\\");
		else if (c == '\n')
			buf_str(b, "\\n");
		else if (c == '\t')
			buf_str(b, "\\t");
		else if (c == '\r')
			buf_str(b, "\\r");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
		    c == 0x2028 || c == 0x2029 || c == 0xfeff)
			buf_printf(b, "\\u%04x", (unsigned int)c);
		else
			buf_add(b, (const char *)s, n);
		s += n;
		len -= n;
	}
	buf_add(b, "\"", 1);
}

/* YAML 1.1 words that some parsers read as booleans or merge keys. */
static int
is_special_word(const char *s)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "<<",
		"=",
	};
	size_t	 i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether a string must be quoted so that every YAML parser (1.1 or 1.2)
 * reads it back as the same string.  Deliberately conservative.
 */
static int
needs_quotes(const char *s)
{
	const char	*p = s;
	size_t		 len = strlen(s), dots = 0;
	int		 numeric;

	if (len == 0 || is_null_text(s) || is_special_word(s) ||
	    is_int_text(s) || is_float_text(s))
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t.+", s[0]) != NULL ||
	    s[len - 1] == ' ' || s[len - 1] == '\t')
		return 1;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr(":#{}[],", *p) != NULL)
			return 1;
	/* Octal, hex, binary, underscored numbers and dates of YAML 1.1. */
	numeric = s[0] >= '0' && s[0] <= '9';
	for (p = s; numeric && *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		if (strchr("0123456789abcdefABCDEFxXoO_.+-", *p) == NULL)
			numeric = 0;
	}
	return numeric && dots <= 1;
}

static void
emit_float(struct doc_buf *b, double f, int json)
{
	char	 tmp[40];

	if (isnan(f)) {
		buf_str(b, json ? "null" : ".nan");
		return;
	}
	if (isinf(f)) {
		buf_str(b, json ? "null" : (f < 0 ? "-.inf" : ".inf"));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", f);
	if (strtod(tmp, NULL) != f)
		snprintf(tmp, sizeof(tmp), "%.17g", f);
	buf_str(b, tmp);
	if (strpbrk(tmp, ".e") == NULL)
		buf_str(b, ".0");
}

static void
emit_scalar_yaml(struct doc_buf *b, const struct doc_node *n)
{
	switch (n->type) {
	case DOC_NULL:
		buf_str(b, "null");
		break;
	case DOC_BOOL:
		buf_str(b, n->b ? "true" : "false");
		break;
	case DOC_INT:
		buf_printf(b, "%lld", (long long)n->i);
		break;
	case DOC_FLOAT:
		emit_float(b, n->f, 0);
		break;
	case DOC_STRING:
		emit_key_yaml(b, n->raw);
		break;
	case DOC_LIST:
		buf_str(b, "[]");
		break;
	case DOC_MAP:
		buf_str(b, "{}");
		break;
	}
}

static void
emit_key_yaml(struct doc_buf *b, const char *s)
{
	if (needs_quotes(s))
		emit_quoted(b, s);
	else
		buf_str(b, s);
}

static int
is_block(const struct doc_node *n)
{
	return (n->type == DOC_LIST || n->type == DOC_MAP) && n->n > 0;
}

/* The value of a map entry, after "key:" has been written at indent. */
static void
emit_after_key(struct doc_buf *b, const struct doc_node *v, int indent)
{
	if (!is_block(v)) {
		buf_add(b, " ", 1);
		emit_scalar_yaml(b, v);
		buf_add(b, "\n", 1);
	} else if (v->type == DOC_MAP) {
		buf_add(b, "\n", 1);
		emit_map_body(b, v, indent + 2, 0);
	} else {
		buf_add(b, "\n", 1);
		emit_list_body(b, v, indent + 2, 0);
	}
}

/* Entries of a map at indent; inline: the first one follows "- ". */
static void
emit_map_body(struct doc_buf *b, const struct doc_node *m, int indent,
    int inl)
{
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		if (i > 0 || !inl)
			buf_indent(b, indent);
		emit_key_yaml(b, m->pairs[i].key);
		buf_add(b, ":", 1);
		emit_after_key(b, m->pairs[i].val, indent);
	}
}

static void
emit_list_body(struct doc_buf *b, const struct doc_node *l, int indent,
    int inl)
{
	const struct doc_node	*v;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		v = l->items[i];
		if (i > 0 || !inl)
			buf_indent(b, indent);
		buf_add(b, "-", 1);
		if (!is_block(v)) {
			buf_add(b, " ", 1);
			emit_scalar_yaml(b, v);
			buf_add(b, "\n", 1);
		} else {
			buf_add(b, " ", 1);
			if (v->type == DOC_MAP)
				emit_map_body(b, v, indent + 2, 1);
			else
				emit_list_body(b, v, indent + 2, 1);
		}
	}
}

/* Block-style YAML, two-space indent; a malloc'd string. */
char *
doc_to_yaml(const struct doc_node *n)
{
	struct doc_buf	 b;

	memset(&b, 0, sizeof(b));
	if (n == NULL || !is_block(n)) {
		if (n == NULL)
			buf_str(&b, "null");
		else
			emit_scalar_yaml(&b, n);
		buf_add(&b, "\n", 1);
	} else if (n->type == DOC_MAP)
		emit_map_body(&b, n, 0, 0);
	else
		emit_list_body(&b, n, 0, 0);
	return buf_finish(&b);
}

static void
emit_json(struct doc_buf *b, const struct doc_node *n, int pretty,
    int indent)
{
	size_t	 i;

	switch (n->type) {
	case DOC_NULL:
		buf_str(b, "null");
		return;
	case DOC_BOOL:
		buf_str(b, n->b ? "true" : "false");
		return;
	case DOC_INT:
		buf_printf(b, "%lld", (long long)n->i);
		return;
	case DOC_FLOAT:
		emit_float(b, n->f, 1);
		return;
	case DOC_STRING:
		emit_quoted(b, n->raw);
		return;
	case DOC_LIST:
	case DOC_MAP:
		break;
	}
	buf_str(b, n->type == DOC_LIST ? "[" : "{");
	for (i = 0; i < n->n; i++) {
		if (i > 0)
			buf_add(b, ",", 1);
		if (pretty) {
			buf_add(b, "\n", 1);
			buf_indent(b, indent + 2);
		}
		if (n->type == DOC_MAP) {
			emit_quoted(b, n->pairs[i].key);
			buf_str(b, pretty ? ": " : ":");
			emit_json(b, n->pairs[i].val, pretty, indent + 2);
		} else
			emit_json(b, n->items[i], pretty, indent + 2);
	}
	if (pretty && n->n > 0) {
		buf_add(b, "\n", 1);
		buf_indent(b, indent);
	}
	buf_str(b, n->type == DOC_LIST ? "]" : "}");
}

/*
 * JSON, compact (pretty 0, as etcd values) or indented by two spaces with
 * a final newline (pretty 1, as calicoctl -o json); a malloc'd string.
 */
char *
doc_to_json(const struct doc_node *n, int pretty)
{
	struct doc_buf	 b;

	memset(&b, 0, sizeof(b));
	if (n == NULL)
		buf_str(&b, "null");
	else
		emit_json(&b, n, pretty, 0);
	if (pretty)
		buf_add(&b, "\n", 1);
	return buf_finish(&b);
}
