/*
 * Calico label selectors: lexer, recursive-descent parser, evaluation and
 * canonical printing, following CALICO.md section 3 (itself a description
 * of libcalico-go/lib/selector).  Pure code without I/O.
 *
 * The lexer is context sensitive as Calico's: word operators (in, not in,
 * contains, starts with, ends with) are only recognised right after a
 * label, and has(, all(, global( only where a label could start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector.h"
#include "util.h"

enum sel_tok {
	SEL_T_NONE,
	SEL_T_EOF,
	SEL_T_LABEL,
	SEL_T_STRING,
	SEL_T_LPAREN,
	SEL_T_RPAREN,
	SEL_T_LBRACE,
	SEL_T_RBRACE,
	SEL_T_COMMA,
	SEL_T_EQ,
	SEL_T_NE,
	SEL_T_NOT,
	SEL_T_AND,
	SEL_T_OR,
	SEL_T_IN,
	SEL_T_NOTIN,
	SEL_T_CONTAINS,
	SEL_T_STARTS,
	SEL_T_ENDS,
	SEL_T_HAS,
	SEL_T_ALL,
	SEL_T_GLOBAL
};

enum sel_kind {
	SEL_N_ALL,
	SEL_N_GLOBAL,
	SEL_N_HAS,
	SEL_N_EQ,
	SEL_N_NE,
	SEL_N_CONTAINS,
	SEL_N_STARTS,
	SEL_N_ENDS,
	SEL_N_IN,
	SEL_N_NOTIN,
	SEL_N_NOT,
	SEL_N_AND,
	SEL_N_OR
};

struct sel_node {
	enum sel_kind	  kind;
	int		  cdepth;	/* parenthesis depth when printed */
	char		 *label;
	char		 *value;
	size_t		  vlen;
	char		**set;		/* sorted, without duplicates */
	size_t		  nset;
	struct sel_node	**kids;		/* NOT: one; AND, OR: two or more */
	size_t		  nkids;
};

struct selector {
	struct sel_node	*root;
};

struct sel_parser {
	const char	*in;
	size_t		 len;
	size_t		 pos;		/* next byte the lexer reads */
	enum sel_tok	 tok;		/* current token */
	size_t		 tpos;		/* offset of the current token */
	const char	*tstr;		/* text of a label, string or has() */
	size_t		 tlen;
	int		 depth;		/* open parentheses */
	int		 failed;
	char		*err;
	size_t		 errlen;
	int		*errcol;
};

struct sel_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

static const char sel_op_hint[] = "expected operator ('==', '!=', 'in', "
    "'not in', 'contains', 'starts with' or 'ends with') after label";

static struct sel_node	*parse_or(struct sel_parser *);
static void		 node_free(struct sel_node *);

/*
 * Records the first error only: a failing lexer call is reported by the
 * parser functions up the stack, which must not overwrite its message.
 */
static int
sel_error(struct sel_parser *p, size_t off, const char *fmt, ...)
{
	char	 msg[SEL_ERRLEN];
	va_list	 ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "selector: column %zu: %s",
		    off + 1, msg);
	if (p->errcol != NULL)
		*p->errcol = (int)(off + 1);
	return -1;
}

static int
is_label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
	    c == '-';
}

static size_t
label_span(const struct sel_parser *p, size_t off)
{
	size_t	 n = 0;

	while (off + n < p->len && is_label_char(p->in[off + n]))
		n++;
	return n;
}

static void
skip_ws(struct sel_parser *p)
{
	while (p->pos < p->len && (p->in[p->pos] == ' ' ||
	    p->in[p->pos] == '\t'))
		p->pos++;
}

/* Does the word w start at pos, followed by a non-label byte or the end? */
static int
word_at(const struct sel_parser *p, const char *w)
{
	size_t	 n = strlen(w);

	if (p->len - p->pos < n || memcmp(p->in + p->pos, w, n) != 0)
		return 0;
	return p->pos + n == p->len || !is_label_char(p->in[p->pos + n]);
}

/* Does the text t start at pos?  No word boundary needed. */
static int
text_at(const struct sel_parser *p, const char *t)
{
	size_t	 n = strlen(t);

	return p->len - p->pos >= n && memcmp(p->in + p->pos, t, n) == 0;
}

static const char *const sel_tok_names[] = {
	[SEL_T_NONE] = "end of selector",
	[SEL_T_EOF] = "end of selector",
	[SEL_T_LABEL] = "label",
	[SEL_T_STRING] = "string",
	[SEL_T_LPAREN] = "'('",
	[SEL_T_RPAREN] = "')'",
	[SEL_T_LBRACE] = "'{'",
	[SEL_T_RBRACE] = "'}'",
	[SEL_T_COMMA] = "','",
	[SEL_T_EQ] = "'=='",
	[SEL_T_NE] = "'!='",
	[SEL_T_NOT] = "'!'",
	[SEL_T_AND] = "'&&'",
	[SEL_T_OR] = "'||'",
	[SEL_T_IN] = "'in'",
	[SEL_T_NOTIN] = "'not in'",
	[SEL_T_CONTAINS] = "'contains'",
	[SEL_T_STARTS] = "'starts with'",
	[SEL_T_ENDS] = "'ends with'",
	[SEL_T_HAS] = "has()",
	[SEL_T_ALL] = "all()",
	[SEL_T_GLOBAL] = "global()",
};

static const char *
tok_name(enum sel_tok t)
{
	if ((size_t)t >= sizeof(sel_tok_names) / sizeof(sel_tok_names[0]))
		return "token";
	return sel_tok_names[t];
}

static int
lex_string(struct sel_parser *p)
{
	const char	*end;
	char		 q = p->in[p->pos];

	end = memchr(p->in + p->pos + 1, q, p->len - p->pos - 1);
	if (end == NULL)
		return sel_error(p, p->pos, "unterminated string");
	p->tok = SEL_T_STRING;
	p->tstr = p->in + p->pos + 1;
	p->tlen = (size_t)(end - p->tstr);
	p->pos = (size_t)(end - p->in) + 1;
	return 0;
}

static int
lex_label(struct sel_parser *p)
{
	size_t	 n = label_span(p, p->pos);

	if (n > SEL_MAX_LABEL)
		return sel_error(p, p->pos,
		    "label too long (more than %d characters)", SEL_MAX_LABEL);
	p->tok = SEL_T_LABEL;
	p->tstr = p->in + p->pos;
	p->tlen = n;
	p->pos += n;
	return 0;
}

/* Two-word operators: first ws* second, second ending at a word boundary. */
static int
lex_two_words(struct sel_parser *p, const char *first, const char *second,
    enum sel_tok t)
{
	p->pos += strlen(first);
	skip_ws(p);
	if (!word_at(p, second))
		return sel_error(p, p->pos, "expected '%s' after '%s'",
		    second, first);
	p->pos += strlen(second);
	p->tok = t;
	return 0;
}

/* After a label only an operator may follow (CALICO.md 3.1). */
static int
lex_operator(struct sel_parser *p)
{
	if (word_at(p, "contains")) {
		p->pos += strlen("contains");
		p->tok = SEL_T_CONTAINS;
		return 0;
	}
	if (text_at(p, "starts"))
		return lex_two_words(p, "starts", "with", SEL_T_STARTS);
	if (text_at(p, "ends"))
		return lex_two_words(p, "ends", "with", SEL_T_ENDS);
	if (text_at(p, "not"))
		return lex_two_words(p, "not", "in", SEL_T_NOTIN);
	if (word_at(p, "in")) {
		p->pos += strlen("in");
		p->tok = SEL_T_IN;
		return 0;
	}
	return sel_error(p, p->pos, "%s", sel_op_hint);
}

/* has( ws* label ws* ) */
static int
lex_has(struct sel_parser *p)
{
	size_t	 n;

	p->pos += strlen("has(");
	skip_ws(p);
	if ((n = label_span(p, p->pos)) == 0)
		return sel_error(p, p->pos, "no label name in has( expression");
	if (n > SEL_MAX_LABEL)
		return sel_error(p, p->pos,
		    "label too long (more than %d characters)", SEL_MAX_LABEL);
	p->tstr = p->in + p->pos;
	p->tlen = n;
	p->pos += n;
	skip_ws(p);
	if (p->pos == p->len || p->in[p->pos] != ')')
		return sel_error(p, p->pos, "no closing ')' after has(");
	p->pos++;
	p->tok = SEL_T_HAS;
	return 0;
}

/* all( ws* ) and global( ws* ) */
static int
lex_nullary(struct sel_parser *p, const char *fn, enum sel_tok t)
{
	p->pos += strlen(fn);
	skip_ws(p);
	if (p->pos == p->len || p->in[p->pos] != ')')
		return sel_error(p, p->pos, "no closing ')' after %s", fn);
	p->pos++;
	p->tok = t;
	return 0;
}

static int
lex_pair(struct sel_parser *p, char second, enum sel_tok t)
{
	if (p->pos + 1 < p->len && p->in[p->pos + 1] == second) {
		p->pos += 2;
		p->tok = t;
		return 0;
	}
	return sel_error(p, p->pos, "unexpected '%c', expected '%c%c'",
	    p->in[p->pos], p->in[p->pos], second);
}

static int
lex_punct(struct sel_parser *p, enum sel_tok t)
{
	p->pos++;
	p->tok = t;
	return 0;
}

static int
lex_bad_char(struct sel_parser *p)
{
	unsigned char	 c = p->in[p->pos];

	if (c > ' ' && c < 0x7f)
		return sel_error(p, p->pos, "unexpected character '%c'", c);
	return sel_error(p, p->pos, "unexpected character 0x%02x", c);
}

static int
lex_word(struct sel_parser *p, enum sel_tok prev)
{
	if (prev == SEL_T_LABEL)
		return lex_operator(p);
	if (text_at(p, "has("))
		return lex_has(p);
	if (text_at(p, "all("))
		return lex_nullary(p, "all(", SEL_T_ALL);
	if (text_at(p, "global("))
		return lex_nullary(p, "global(", SEL_T_GLOBAL);
	if (is_label_char(p->in[p->pos]))
		return lex_label(p);
	return lex_bad_char(p);
}

static int
lex_next(struct sel_parser *p)
{
	enum sel_tok	 prev = p->tok;

	skip_ws(p);
	p->tpos = p->pos;
	p->tstr = NULL;
	p->tlen = 0;
	if (p->pos == p->len) {
		p->tok = SEL_T_EOF;
		return 0;
	}
	switch (p->in[p->pos]) {
	case '(':
		return lex_punct(p, SEL_T_LPAREN);
	case ')':
		return lex_punct(p, SEL_T_RPAREN);
	case '{':
		return lex_punct(p, SEL_T_LBRACE);
	case '}':
		return lex_punct(p, SEL_T_RBRACE);
	case ',':
		return lex_punct(p, SEL_T_COMMA);
	case '"':
	case '\'':
		return lex_string(p);
	case '=':
		return lex_pair(p, '=', SEL_T_EQ);
	case '&':
		return lex_pair(p, '&', SEL_T_AND);
	case '|':
		return lex_pair(p, '|', SEL_T_OR);
	case '!':
		if (p->pos + 1 < p->len && p->in[p->pos + 1] == '=')
			return lex_pair(p, '=', SEL_T_NE);
		return lex_punct(p, SEL_T_NOT);
	default:
		return lex_word(p, prev);
	}
}

static char *
tok_dup(const struct sel_parser *p)
{
	char	*s = xmalloc(p->tlen + 1);

	memcpy(s, p->tstr, p->tlen);
	s[p->tlen] = '\0';
	return s;
}

static struct sel_node *
node_new(enum sel_kind kind)
{
	struct sel_node	*n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

static void
node_add_kid(struct sel_node *n, struct sel_node *kid)
{
	n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof(*n->kids));
	n->kids[n->nkids++] = kid;
	if (kid->cdepth + 1 > n->cdepth)
		n->cdepth = kid->cdepth + 1;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and de-duplicates a set literal, as Calico's StringSet does. */
static void
set_normalise(struct sel_node *n)
{
	size_t	 i, j;

	if (n->nset < 2)
		return;
	qsort(n->set, n->nset, sizeof(*n->set), str_cmp);
	for (i = 1, j = 1; i < n->nset; i++) {
		if (strcmp(n->set[i], n->set[j - 1]) == 0)
			free(n->set[i]);
		else
			n->set[j++] = n->set[i];
	}
	n->nset = j;
}

/* "{" [ string { "," string } [ "," ] ] "}", current token is the "{". */
static int
parse_set(struct sel_parser *p, struct sel_node *n)
{
	if (lex_next(p) == -1)
		return -1;
	while (p->tok == SEL_T_STRING) {
		n->set = xreallocarray(n->set, n->nset + 1, sizeof(*n->set));
		n->set[n->nset++] = tok_dup(p);
		if (lex_next(p) == -1)
			return -1;
		if (p->tok != SEL_T_COMMA)
			break;
		if (lex_next(p) == -1)
			return -1;
	}
	if (p->tok != SEL_T_RBRACE) {
		if (n->nset > 0 && p->tok != SEL_T_COMMA)
			return sel_error(p, p->tpos,
			    "expected ',' or '}' after set value, not %s",
			    tok_name(p->tok));
		return sel_error(p, p->tpos,
		    "expected a quoted string or '}' in set, not %s",
		    tok_name(p->tok));
	}
	set_normalise(n);
	return lex_next(p);
}

static enum sel_kind
op_kind(enum sel_tok t)
{
	switch (t) {
	case SEL_T_EQ:
		return SEL_N_EQ;
	case SEL_T_NE:
		return SEL_N_NE;
	case SEL_T_CONTAINS:
		return SEL_N_CONTAINS;
	case SEL_T_STARTS:
		return SEL_N_STARTS;
	case SEL_T_ENDS:
		return SEL_N_ENDS;
	case SEL_T_IN:
		return SEL_N_IN;
	default:
		return SEL_N_NOTIN;
	}
}

/* label op value, current token is the label. */
static struct sel_node *
parse_label_op(struct sel_parser *p)
{
	struct sel_node	*n = NULL;
	char		*label;
	enum sel_tok	 op;

	label = tok_dup(p);
	if (lex_next(p) == -1)
		goto fail;
	op = p->tok;
	if (op != SEL_T_EQ && op != SEL_T_NE && op != SEL_T_CONTAINS &&
	    op != SEL_T_STARTS && op != SEL_T_ENDS && op != SEL_T_IN &&
	    op != SEL_T_NOTIN) {
		sel_error(p, p->tpos, "%s", sel_op_hint);
		goto fail;
	}
	n = node_new(op_kind(op));
	n->label = label;
	label = NULL;
	if (lex_next(p) == -1)
		goto fail;
	if (op == SEL_T_IN || op == SEL_T_NOTIN) {
		if (p->tok != SEL_T_LBRACE) {
			sel_error(p, p->tpos, "expected '{' after %s, not %s",
			    tok_name(op), tok_name(p->tok));
			goto fail;
		}
		if (parse_set(p, n) == -1)
			goto fail;
		return n;
	}
	if (p->tok != SEL_T_STRING) {
		sel_error(p, p->tpos, "expected a quoted string after %s, "
		    "not %s", tok_name(op), tok_name(p->tok));
		goto fail;
	}
	n->value = tok_dup(p);
	n->vlen = p->tlen;
	if (lex_next(p) == -1)
		goto fail;
	return n;
fail:
	free(label);
	node_free(n);
	return NULL;
}

static struct sel_node *
parse_group(struct sel_parser *p)
{
	struct sel_node	*n;
	size_t		 open = p->tpos;

	if (++p->depth > SEL_MAX_DEPTH) {
		sel_error(p, open, "nesting too deep (more than %d levels)",
		    SEL_MAX_DEPTH);
		return NULL;
	}
	if (lex_next(p) == -1 || (n = parse_or(p)) == NULL)
		return NULL;
	if (p->tok != SEL_T_RPAREN) {
		sel_error(p, p->tpos, "expected ')' to close '(' at column "
		    "%zu, not %s", open + 1, tok_name(p->tok));
		node_free(n);
		return NULL;
	}
	p->depth--;
	if (lex_next(p) == -1) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct sel_node *
parse_simple(struct sel_parser *p, enum sel_kind kind)
{
	struct sel_node	*n = node_new(kind);

	if (kind == SEL_N_HAS)
		n->label = tok_dup(p);
	if (lex_next(p) == -1) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct sel_node *
parse_primary(struct sel_parser *p)
{
	switch (p->tok) {
	case SEL_T_HAS:
		return parse_simple(p, SEL_N_HAS);
	case SEL_T_ALL:
		return parse_simple(p, SEL_N_ALL);
	case SEL_T_GLOBAL:
		return parse_simple(p, SEL_N_GLOBAL);
	case SEL_T_LPAREN:
		return parse_group(p);
	case SEL_T_LABEL:
		return parse_label_op(p);
	case SEL_T_EOF:
		sel_error(p, p->tpos, "unexpected end of selector, expected "
		    "a label, '(', '!', has(), all() or global()");
		return NULL;
	default:
		sel_error(p, p->tpos, "unexpected %s, expected a label, '(', "
		    "'!', has(), all() or global()", tok_name(p->tok));
		return NULL;
	}
}

/*
 * Any number of "!"; only their parity matters, as in Calico.  Unlike
 * Calico we also cancel a "!" against a negated group, "!(!x)": Calico
 * prints that as "!!x", which parses back as x, so its canonical form
 * would not be a fixed point.
 */
static struct sel_node *
parse_unary(struct sel_parser *p)
{
	struct sel_node	*n, *not;
	int		 negate = 0;

	while (p->tok == SEL_T_NOT) {
		negate = !negate;
		if (lex_next(p) == -1)
			return NULL;
	}
	if ((n = parse_primary(p)) == NULL || !negate)
		return n;
	if (n->kind == SEL_N_NOT) {
		not = n;
		n = n->kids[0];
		free(not->kids);
		free(not);
		return n;
	}
	not = node_new(SEL_N_NOT);
	node_add_kid(not, n);
	not->cdepth = n->cdepth;
	return not;
}

/*
 * sub { op sub }: a single operand is returned as it is, two or more
 * become one AND or OR node, which the canonical form puts in parentheses.
 */
static struct sel_node *
parse_list(struct sel_parser *p, enum sel_tok op, enum sel_kind kind,
    struct sel_node *(*sub)(struct sel_parser *))
{
	struct sel_node	*first, *n, *kid;
	size_t		 start = p->tpos;

	if ((first = sub(p)) == NULL || p->tok != op)
		return first;
	n = node_new(kind);
	node_add_kid(n, first);
	while (p->tok == op) {
		if (lex_next(p) == -1 || (kid = sub(p)) == NULL)
			goto fail;
		node_add_kid(n, kid);
	}
	if (n->cdepth > SEL_MAX_DEPTH) {
		sel_error(p, start, "nesting too deep (more than %d levels)",
		    SEL_MAX_DEPTH);
		goto fail;
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

static struct sel_node *
parse_and(struct sel_parser *p)
{
	return parse_list(p, SEL_T_AND, SEL_N_AND, parse_unary);
}

static struct sel_node *
parse_or(struct sel_parser *p)
{
	return parse_list(p, SEL_T_OR, SEL_N_OR, parse_and);
}

static struct sel_node *
parse_root(struct sel_parser *p)
{
	struct sel_node	*n;

	if (lex_next(p) == -1)
		return NULL;
	if (p->tok == SEL_T_EOF)
		return node_new(SEL_N_ALL);
	if ((n = parse_or(p)) == NULL)
		return NULL;
	if (p->tok != SEL_T_EOF) {
		sel_error(p, p->tpos, "unexpected content at end of selector "
		    "(%s; missing '&&' or '||'?)", tok_name(p->tok));
		node_free(n);
		return NULL;
	}
	return n;
}

/*
 * Parses text (NULL counts as "") into a selector.  On error returns NULL,
 * writes "selector: column N: message" into err and the 1-based column of
 * the offending byte into errcol (both may be NULL).
 */
struct selector *
sel_parse(const char *text, char *err, size_t errlen, int *errcol)
{
	struct sel_parser	 p;
	struct selector		*sel = NULL;
	char			*canon;
	size_t			 clen;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.errlen = errlen;
	p.errcol = errcol;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (errcol != NULL)
		*errcol = 0;
	p.in = text != NULL ? text : "";
	p.len = strnlen(p.in, SEL_MAX_LEN + 1);
	if (p.len > SEL_MAX_LEN) {
		sel_error(&p, SEL_MAX_LEN, "selector too long (more than %d "
		    "bytes)", SEL_MAX_LEN);
		return NULL;
	}
	sel = xcalloc(1, sizeof(*sel));
	if ((sel->root = parse_root(&p)) == NULL)
		goto fail;
	canon = sel_canonical(sel);
	clen = strlen(canon);
	free(canon);
	if (clen > SEL_MAX_LEN) {
		sel_error(&p, 0, "selector too long in canonical form (more "
		    "than %d bytes)", SEL_MAX_LEN);
		goto fail;
	}
	return sel;
fail:
	sel_free(sel);
	return NULL;
}

static void
node_free(struct sel_node *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	for (i = 0; i < n->nset; i++)
		free(n->set[i]);
	free(n->kids);
	free(n->set);
	free(n->label);
	free(n->value);
	free(n);
}

void
sel_free(struct selector *sel)
{
	if (sel == NULL)
		return;
	node_free(sel->root);
	free(sel);
}

const char *
sel_labels_get(const struct sel_labels *l, const char *key)
{
	size_t	 i;

	if (l == NULL || key == NULL)
		return NULL;
	for (i = 0; i < l->count; i++) {
		if (l->items[i].key == NULL ||
		    strcmp(l->items[i].key, key) != 0)
			continue;
		return l->items[i].value != NULL ? l->items[i].value : "";
	}
	return NULL;
}

static int
set_contains(const struct sel_node *n, const char *v)
{
	if (n->nset == 0)
		return 0;
	return bsearch(&v, n->set, n->nset, sizeof(*n->set), str_cmp) != NULL;
}

static int
ends_with(const char *v, const char *s, size_t slen)
{
	size_t	 vlen = strlen(v);

	return vlen >= slen && memcmp(v + vlen - slen, s, slen) == 0;
}

static int
node_match(const struct sel_node *n, const struct sel_labels *l)
{
	const char	*v = NULL;
	size_t		 i;

	if (n->label != NULL)
		v = sel_labels_get(l, n->label);
	switch (n->kind) {
	case SEL_N_ALL:
	case SEL_N_GLOBAL:
		return 1;
	case SEL_N_HAS:
		return v != NULL;
	case SEL_N_EQ:
		return v != NULL && strcmp(v, n->value) == 0;
	case SEL_N_NE:
		return v == NULL || strcmp(v, n->value) != 0;
	case SEL_N_CONTAINS:
		return v != NULL && strstr(v, n->value) != NULL;
	case SEL_N_STARTS:
		return v != NULL && strncmp(v, n->value, n->vlen) == 0;
	case SEL_N_ENDS:
		return v != NULL && ends_with(v, n->value, n->vlen);
	case SEL_N_IN:
		return v != NULL && set_contains(n, v);
	case SEL_N_NOTIN:
		return v == NULL || !set_contains(n, v);
	case SEL_N_NOT:
		return !node_match(n->kids[0], l);
	case SEL_N_AND:
		for (i = 0; i < n->nkids; i++)
			if (!node_match(n->kids[i], l))
				return 0;
		return 1;
	case SEL_N_OR:
		for (i = 0; i < n->nkids; i++)
			if (node_match(n->kids[i], l))
				return 1;
		return 0;
	}
	return 0;
}

/*
 * 1 if the labels match, 0 if not.  A NULL selector (one that failed to
 * parse) matches nothing, as Calico treats an unparsable selector; NULL
 * labels count as the empty set.
 */
int
sel_match(const struct selector *sel, const struct sel_labels *l)
{
	if (sel == NULL)
		return 0;
	return node_match(sel->root, l);
}

static void
buf_add(struct sel_buf *b, const char *s, size_t n)
{
	size_t	 need = b->len + n + 1;

	if (need > b->cap) {
		b->cap = need > 2 * b->cap ? need : 2 * b->cap;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct sel_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Calico quotes with '"' unless the value holds one; it cannot hold both. */
static void
buf_quoted(struct sel_buf *b, const char *s)
{
	const char	*q = strchr(s, '"') != NULL ? "'" : "\"";

	buf_str(b, q);
	buf_str(b, s);
	buf_str(b, q);
}

static const char *
op_text(enum sel_kind kind)
{
	switch (kind) {
	case SEL_N_EQ:
		return " == ";
	case SEL_N_NE:
		return " != ";
	case SEL_N_CONTAINS:
		return " contains ";
	case SEL_N_STARTS:
		return " starts with ";
	case SEL_N_ENDS:
		return " ends with ";
	case SEL_N_IN:
		return " in {";
	case SEL_N_NOTIN:
		return " not in {";
	case SEL_N_AND:
		return " && ";
	default:
		return " || ";
	}
}

static void
canon_set(struct sel_buf *b, const struct sel_node *n)
{
	size_t	 i;

	buf_str(b, n->label);
	buf_str(b, op_text(n->kind));
	for (i = 0; i < n->nset; i++) {
		if (i > 0)
			buf_str(b, ", ");
		buf_quoted(b, n->set[i]);
	}
	buf_str(b, "}");
}

static void
canon_node(struct sel_buf *b, const struct sel_node *n)
{
	size_t	 i;

	switch (n->kind) {
	case SEL_N_ALL:
		buf_str(b, "all()");
		break;
	case SEL_N_GLOBAL:
		buf_str(b, "global()");
		break;
	case SEL_N_HAS:
		buf_str(b, "has(");
		buf_str(b, n->label);
		buf_str(b, ")");
		break;
	case SEL_N_IN:
	case SEL_N_NOTIN:
		canon_set(b, n);
		break;
	case SEL_N_NOT:
		buf_str(b, "!");
		canon_node(b, n->kids[0]);
		break;
	case SEL_N_AND:
	case SEL_N_OR:
		buf_str(b, "(");
		for (i = 0; i < n->nkids; i++) {
			if (i > 0)
				buf_str(b, op_text(n->kind));
			canon_node(b, n->kids[i]);
		}
		buf_str(b, ")");
		break;
	default:
		buf_str(b, n->label);
		buf_str(b, op_text(n->kind));
		buf_quoted(b, n->value);
		break;
	}
}

/*
 * Calico's Selector.String(): single spaces around operators, every
 * "&&"/"||" group in parentheses, sets sorted.  The caller frees it.
 * A NULL selector prints as "!all()", which matches nothing like it.
 */
char *
sel_canonical(const struct selector *sel)
{
	struct sel_buf	 b;

	memset(&b, 0, sizeof(b));
	buf_add(&b, "", 0);
	if (sel == NULL)
		buf_str(&b, "!all()");
	else
		canon_node(&b, sel->root);
	return b.p;
}

static int
node_uses_global(const struct sel_node *n)
{
	size_t	 i;

	if (n->kind == SEL_N_GLOBAL)
		return 1;
	for (i = 0; i < n->nkids; i++)
		if (node_uses_global(n->kids[i]))
			return 1;
	return 0;
}

/* For validators: IPPool nodeSelectors must not use global(). */
int
sel_uses_global(const struct selector *sel)
{
	return sel != NULL && node_uses_global(sel->root);
}
