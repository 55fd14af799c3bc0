/*
 * Streaming JSON writer.  Allocation failure is fatal (as for every
 * x*alloc in tortie); misuse (closing what is not open, nesting deeper
 * than JW_MAXDEPTH) is a programming error and also fatal.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "log.h"
#include "util.h"

static void	 jw_put(struct jsonw *, const char *, size_t);
static void	 jw_puts(struct jsonw *, const char *);
static void	 jw_sep(struct jsonw *, const char *);
static void	 jw_indent(struct jsonw *);

void
jw_init(struct jsonw *jw, int pretty)
{
	memset(jw, 0, sizeof(*jw));
	jw->pretty = pretty;
}

static void
jw_put(struct jsonw *jw, const char *s, size_t n)
{
	size_t	 ncap;

	if (jw->cap - jw->len < n + 1) {
		ncap = jw->cap ? jw->cap : 256;
		while (ncap - jw->len < n + 1)
			ncap *= 2;
		jw->buf = xreallocarray(jw->buf, ncap, 1);
		jw->cap = ncap;
	}
	memcpy(jw->buf + jw->len, s, n);
	jw->len += n;
	jw->buf[jw->len] = '\0';
}

static void
jw_puts(struct jsonw *jw, const char *s)
{
	jw_put(jw, s, strlen(s));
}

static void
jw_indent(struct jsonw *jw)
{
	int	 i;

	if (!jw->pretty)
		return;
	jw_put(jw, "\n", 1);
	for (i = 0; i < jw->depth; i++)
		jw_put(jw, "  ", 2);
}

void
jw_escape(struct jsonw *jw, const char *s)
{
	const unsigned char	*p;
	char			 esc[8];

	jw_put(jw, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			jw_put(jw, "\\\"", 2);
			break;
		case '\\':
			jw_put(jw, "\\\\", 2);
			break;
		case '\n':
			jw_put(jw, "\\n", 2);
			break;
		case '\r':
			jw_put(jw, "\\r", 2);
			break;
		case '\t':
			jw_put(jw, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				jw_puts(jw, esc);
			} else
				jw_put(jw, (const char *)p, 1);
		}
	}
	jw_put(jw, "\"", 1);
}

/* Separator, indentation and key before a value. */
static void
jw_sep(struct jsonw *jw, const char *key)
{
	if (jw->depth > 0) {
		if (jw->count[jw->depth]++ > 0)
			jw_put(jw, ",", 1);
		jw_indent(jw);
	}
	if (key != NULL) {
		jw_escape(jw, key);
		jw_puts(jw, jw->pretty ? ": " : ":");
	}
}

static void
jw_open(struct jsonw *jw, const char *key, const char *tok)
{
	jw_sep(jw, key);
	jw_puts(jw, tok);
	if (jw->depth + 1 >= JW_MAXDEPTH)
		fatalx("jsonw: nesting too deep");
	jw->depth++;
	jw->count[jw->depth] = 0;
}

static void
jw_close(struct jsonw *jw, const char *tok)
{
	int	 empty;

	if (jw->depth == 0)
		fatalx("jsonw: close without open");
	empty = jw->count[jw->depth] == 0;
	jw->depth--;
	if (!empty)
		jw_indent(jw);
	jw_puts(jw, tok);
}

void
jw_obj_open(struct jsonw *jw, const char *key)
{
	jw_open(jw, key, "{");
}

void
jw_obj_close(struct jsonw *jw)
{
	jw_close(jw, "}");
}

void
jw_arr_open(struct jsonw *jw, const char *key)
{
	jw_open(jw, key, "[");
}

void
jw_arr_close(struct jsonw *jw)
{
	jw_close(jw, "]");
}

void
jw_str(struct jsonw *jw, const char *key, const char *val)
{
	if (val == NULL) {
		jw_null(jw, key);
		return;
	}
	jw_sep(jw, key);
	jw_escape(jw, val);
}

void
jw_int(struct jsonw *jw, const char *key, int64_t v)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	jw_sep(jw, key);
	jw_puts(jw, buf);
}

void
jw_uint(struct jsonw *jw, const char *key, uint64_t v)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	jw_sep(jw, key);
	jw_puts(jw, buf);
}

void
jw_bool(struct jsonw *jw, const char *key, int v)
{
	jw_sep(jw, key);
	jw_puts(jw, v ? "true" : "false");
}

void
jw_null(struct jsonw *jw, const char *key)
{
	jw_sep(jw, key);
	jw_puts(jw, "null");
}

/* A value that is already JSON text. */
void
jw_raw(struct jsonw *jw, const char *key, const char *json)
{
	jw_sep(jw, key);
	jw_puts(jw, json);
}

char *
jw_finish(struct jsonw *jw, size_t *lenp)
{
	char	*s;

	if (jw->depth != 0)
		fatalx("jsonw: unclosed value");
	if (jw->pretty)
		jw_put(jw, "\n", 1);
	if (jw->buf == NULL)
		jw_put(jw, "", 0);
	s = jw->buf;
	if (lenp != NULL)
		*lenp = jw->len;
	jw->buf = NULL;
	jw->len = jw->cap = 0;
	return s;
}

void
jw_free(struct jsonw *jw)
{
	free(jw->buf);
	jw->buf = NULL;
	jw->len = jw->cap = 0;
}
