/*
 * Calico selectors (CALICO.md section 3): every operator true, false and
 * on an absent label, precedence, quoting, canonical form and round trips,
 * errors with their columns, and the limits against hostile input.
 *
 * The three tables below are expanded into one cmocka test per row, so
 * that a failure names the selector that broke.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selector.h"

enum label_set {
	LS_EMPTY,
	LS_A,
	LS_AB,
	LS_NODE,
	LS_COUNT
};

static const struct sel_label ls_a[] = {
	{ "a", "x" },
};

static const struct sel_label ls_ab[] = {
	{ "a", "1" },
	{ "b", "2" },
};

static const struct sel_label ls_node[] = {
	{ "kubernetes.io/hostname", "node-1" },
	{ "rack", "a" },
	{ "route-reflector", "true" },
	{ "zone", "eu west 1" },
	{ "empty", "" },
	{ "quote", "say \"hi\"" },
	{ "apos", "it's" },
	{ "Case", "Upper" },
	{ "tab", "a\tb" },
};

static const struct sel_labels label_sets[LS_COUNT] = {
	[LS_EMPTY] = { NULL, 0 },
	[LS_A] = { ls_a, sizeof(ls_a) / sizeof(ls_a[0]) },
	[LS_AB] = { ls_ab, sizeof(ls_ab) / sizeof(ls_ab[0]) },
	[LS_NODE] = { ls_node, sizeof(ls_node) / sizeof(ls_node[0]) },
};

struct match_case {
	const char	*sel;
	enum label_set	 ls;
	int		 want;
};

static const struct match_case match_cases[] = {
	/* == */
	{ "a == \"x\"", LS_A, 1 },
	{ "a == \"y\"", LS_A, 0 },
	{ "a == \"x\"", LS_EMPTY, 0 },
	{ "a == \"X\"", LS_A, 0 },
	{ "a == \"\"", LS_A, 0 },
	{ "empty == \"\"", LS_NODE, 1 },
	{ "a==\"x\"", LS_A, 1 },
	/* != */
	{ "a != \"y\"", LS_A, 1 },
	{ "a != \"x\"", LS_A, 0 },
	{ "a != \"x\"", LS_EMPTY, 1 },
	{ "empty != \"\"", LS_NODE, 0 },
	/* contains */
	{ "zone contains \"west\"", LS_NODE, 1 },
	{ "zone contains \"east\"", LS_NODE, 0 },
	{ "zone contains \"\"", LS_NODE, 1 },
	{ "a contains \"x\"", LS_EMPTY, 0 },
	{ "a contains\"x\"", LS_A, 1 },
	/* starts with */
	{ "zone starts with \"eu \"", LS_NODE, 1 },
	{ "zone starts with \"west\"", LS_NODE, 0 },
	{ "zone starts with \"eu west 1 and more\"", LS_NODE, 0 },
	{ "a starts with \"x\"", LS_EMPTY, 0 },
	{ "a startswith \"x\"", LS_A, 1 },
	{ "a starts \t with \"x\"", LS_A, 1 },
	/* ends with */
	{ "zone ends with \" 1\"", LS_NODE, 1 },
	{ "zone ends with \"eu\"", LS_NODE, 0 },
	{ "zone ends with \"more eu west 1\"", LS_NODE, 0 },
	{ "a ends with \"x\"", LS_EMPTY, 0 },
	{ "a endswith \"x\"", LS_A, 1 },
	/* in */
	{ "a in {\"x\", \"y\"}", LS_A, 1 },
	{ "a in {\"y\", \"z\"}", LS_A, 0 },
	{ "a in {\"x\"}", LS_EMPTY, 0 },
	{ "a in {}", LS_A, 0 },
	{ "a in{\"x\"}", LS_A, 1 },
	{ "a in {\"x\",}", LS_A, 1 },
	{ "a in {'y', \"x\", 'y'}", LS_A, 1 },
	{ "zone in {\"eu west 1\"}", LS_NODE, 1 },
	/* not in */
	{ "a not in {\"y\"}", LS_A, 1 },
	{ "a not in {\"x\", \"y\"}", LS_A, 0 },
	{ "a not in {\"x\"}", LS_EMPTY, 1 },
	{ "a not in {}", LS_A, 1 },
	{ "a notin {\"x\"}", LS_A, 0 },
	{ "a not \t in {\"y\"}", LS_A, 1 },
	/* has */
	{ "has(a)", LS_A, 1 },
	{ "has(a)", LS_EMPTY, 0 },
	{ "has(empty)", LS_NODE, 1 },
	{ "has( a )", LS_A, 1 },
	{ "!has(a)", LS_A, 0 },
	{ "!has(a)", LS_EMPTY, 1 },
	{ "!has(routeReflector)", LS_NODE, 1 },
	{ "has(case)", LS_NODE, 0 },
	{ "has(Case)", LS_NODE, 1 },
	/* all() and global() */
	{ "all()", LS_EMPTY, 1 },
	{ "all()", LS_NODE, 1 },
	{ "all( )", LS_A, 1 },
	{ "!all()", LS_A, 0 },
	{ "!all()", LS_EMPTY, 0 },
	{ "global()", LS_A, 1 },
	{ "!global()", LS_A, 0 },
	{ "", LS_EMPTY, 1 },
	{ " \t ", LS_A, 1 },
	/* ! parity */
	{ "!!has(a)", LS_A, 1 },
	{ "!!!has(a)", LS_A, 0 },
	{ "! ! has(a)", LS_A, 1 },
	{ "!a == \"x\"", LS_A, 0 },
	{ "!a == \"y\"", LS_A, 1 },
	{ "!a == \"x\"", LS_EMPTY, 1 },
	/* && and || */
	{ "a == \"1\" && b == \"2\"", LS_AB, 1 },
	{ "a == \"1\" && b == \"3\"", LS_AB, 0 },
	{ "a == \"0\" && b == \"2\"", LS_AB, 0 },
	{ "a == \"0\" || b == \"2\"", LS_AB, 1 },
	{ "a == \"1\" || b == \"3\"", LS_AB, 1 },
	{ "a == \"0\" || b == \"3\"", LS_AB, 0 },
	{ "has(a)&&has(b)&&has(c)", LS_AB, 0 },
	{ "has(c)||has(d)||has(b)", LS_AB, 1 },
	/* precedence: && over ||, ! over both */
	{ "has(a) || has(c) && has(d)", LS_AB, 1 },
	{ "has(c) && has(d) || has(a)", LS_AB, 1 },
	{ "(has(a) || has(c)) && has(d)", LS_AB, 0 },
	{ "has(a) || (has(c) && has(d))", LS_AB, 1 },
	{ "!has(a) || has(b)", LS_AB, 1 },
	{ "!(has(a) || has(c))", LS_AB, 0 },
	{ "!has(a) && has(b)", LS_AB, 0 },
	{ "!(has(c) && has(a))", LS_AB, 1 },
	{ "((((has(a)))))", LS_AB, 1 },
	{ "!(!(has(a)))", LS_AB, 1 },
	/* quoting and label characters */
	{ "a == 'x'", LS_A, 1 },
	{ "quote == 'say \"hi\"'", LS_NODE, 1 },
	{ "apos == \"it's\"", LS_NODE, 1 },
	{ "zone == \"eu west 1\"", LS_NODE, 1 },
	{ "zone == \"eu  west 1\"", LS_NODE, 0 },
	{ "tab == \"a\tb\"", LS_NODE, 1 },
	{ "kubernetes.io/hostname == \"node-1\"", LS_NODE, 1 },
	{ "has(kubernetes.io/hostname)", LS_NODE, 1 },
	{ "kubernetes.io/hostname in {\"node-2\", \"node-1\"}", LS_NODE, 1 },
	{ "route-reflector == 'true'", LS_NODE, 1 },
	{ "rack in {\"a\", \"b\"} && !has(edge)", LS_NODE, 1 },
	{ "rack in {\"a\", \"b\"} && has(zone)", LS_NODE, 1 },
	{ "rack in {\"b\"} || has(edge)", LS_NODE, 0 },
	/* words that only become operators after a label */
	{ "in == \"x\"", LS_A, 0 },
	{ "has == \"x\"", LS_A, 0 },
	{ "all != \"x\"", LS_A, 1 },
	{ "contains not in {\"x\"}", LS_A, 1 },
	{ "hasx in {}", LS_A, 0 },
};

struct canon_case {
	const char	*in;
	const char	*want;
};

static const struct canon_case canon_cases[] = {
	{ "", "all()" },
	{ "   ", "all()" },
	{ "all( )", "all()" },
	{ "global(\t)", "global()" },
	{ "has(  a  )", "has(a)" },
	{ "a=='x'", "a == \"x\"" },
	{ "a!=\"x\"", "a != \"x\"" },
	{ "a contains'x'", "a contains \"x\"" },
	{ "a startswith 'x'", "a starts with \"x\"" },
	{ "a ends\twith 'x'", "a ends with \"x\"" },
	{ "a == 'say \"hi\"'", "a == 'say \"hi\"'" },
	{ "a == \"it's\"", "a == \"it's\"" },
	{ "a in {'b','a','b',}", "a in {\"a\", \"b\"}" },
	{ "a notin{}", "a not in {}" },
	{ "a not in {'q\"', \"p\"}", "a not in {\"p\", 'q\"'}" },
	{ "!!has(a)", "has(a)" },
	{ "!!!has(a)", "!has(a)" },
	{ "!a=='x'", "!a == \"x\"" },
	{ "has(a)&&has(b)", "(has(a) && has(b))" },
	{ "has(a)||has(b)||has(c)", "(has(a) || has(b) || has(c))" },
	{ "has(a)||has(b)&&has(c)", "(has(a) || (has(b) && has(c)))" },
	{ "(has(a)||has(b))&&has(c)", "((has(a) || has(b)) && has(c))" },
	{ "((has(a)))", "has(a)" },
	{ "!(has(a)&&has(b))", "!(has(a) && has(b))" },
	{ "!(!(has(a)))", "has(a)" },
	{ "!(!!(has(a)))", "!has(a)" },
	{ "!(!!(!has(a)))", "has(a)" },
	{ "!(!a == 'x')", "a == \"x\"" },
	{ "(has(a)&&has(b))&&has(c)", "((has(a) && has(b)) && has(c))" },
	{ "  kubernetes.io/hostname   ==   \"node-1\"  ",
	    "kubernetes.io/hostname == \"node-1\"" },
	{ "rack in {\"b\", \"a\"} && !has(edge)",
	    "(rack in {\"a\", \"b\"} && !has(edge))" },
};

struct error_case {
	const char	*in;
	int		 col;
	const char	*msg;
};

static const struct error_case error_cases[] = {
	{ "a = \"x\"", 3, "unexpected '=', expected '=='" },
	{ "a == \"x\" & has(b)", 10, "expected '&&'" },
	{ "a == \"x\" | has(b)", 10, "expected '||'" },
	{ "a == \"x", 6, "unterminated string" },
	{ "a == 'x", 6, "unterminated string" },
	{ "a == \"x'", 6, "unterminated string" },
	{ "a", 2, "expected operator ('==', '!='" },
	{ "a b", 3, "after label" },
	{ "a:b == \"x\"", 2, "expected operator" },
	{ "has (a)", 5, "expected operator" },
	{ "a has(b)", 3, "expected operator" },
	{ "has()", 5, "no label name in has( expression" },
	{ "has(a b)", 7, "no closing ')' after has(" },
	{ "has(a", 6, "no closing ')' after has(" },
	{ "all(x)", 5, "no closing ')' after all(" },
	{ "global(", 8, "no closing ')' after global(" },
	{ "a == \"x\" b == \"y\"", 10, "unexpected content at end" },
	{ "a == \"x\")", 9, "unexpected content at end" },
	{ "(a == \"x\"", 10, "expected ')' to close '(' at column 1" },
	{ "(a == \"x\" b", 11, "expected ')'" },
	{ "a in {\"x\" \"y\"}", 11, "expected ',' or '}' after set value" },
	{ "a in {,}", 7, "expected a quoted string or '}' in set" },
	{ "a in {\"x\",,}", 11, "expected a quoted string or '}'" },
	{ "a in {\"x\"", 10, "expected ',' or '}'" },
	{ "a in \"x\"", 6, "expected '{' after 'in'" },
	{ "a not in (\"x\")", 10, "expected '{' after 'not in'" },
	{ "a == b", 6, "expected a quoted string after '=='" },
	{ "a != has(b)", 6, "expected a quoted string after '!='" },
	{ "a ends with", 12, "expected a quoted string after 'ends with'" },
	{ "a starts \"x\"", 10, "expected 'with' after 'starts'" },
	{ "a ends wit \"x\"", 8, "expected 'with' after 'ends'" },
	{ "a not \"x\"", 7, "expected 'in' after 'not'" },
	{ "a inx {\"x\"}", 3, "expected operator" },
	{ "a containsx \"x\"", 3, "expected operator" },
	{ "a == \"x\" &&", 12, "unexpected end of selector" },
	{ "&& a == \"x\"", 1, "unexpected '&&'" },
	{ "!", 2, "unexpected end of selector" },
	{ "()", 2, "unexpected ')'" },
	{ "\"x\" == a", 1, "unexpected string" },
	{ ":a == \"x\"", 1, "unexpected character ':'" },
	{ "a == \"x\"\n", 9, "unexpected character 0x0a" },
	{ "\na == \"x\"", 1, "unexpected character 0x0a" },
	{ "has(a) @", 8, "unexpected character '@'" },
	{ "a == \"x\" || ", 13, "unexpected end of selector" },
	{ "a == \"\xc3\xa9\" && \xc3\xa9", 14, "unexpected character 0xc3" },
};

static char *
case_name(const char *kind, const char *sel, const char *extra)
{
	char	*name, *c;

	if (asprintf(&name, "%s: %s%s", kind, sel, extra) == -1)
		abort();
	/* TAP reads '#' as a directive and a newline as the end of a line. */
	for (c = name; *c != '\0'; c++)
		if (*c == '#' || *c == '\n' || *c == '\t')
			*c = '?';
	return name;
}

static struct selector *
parse_ok(const char *text)
{
	struct selector	*sel;
	char		 err[SEL_ERRLEN];
	int		 col;

	sel = sel_parse(text, err, sizeof(err), &col);
	if (sel == NULL)
		print_error("sel_parse(\"%s\"): %s\n", text, err);
	assert_non_null(sel);
	assert_string_equal(err, "");
	assert_int_equal(col, 0);
	return sel;
}

static void
check_parse_error(const char *text, int want_col, const char *want_msg)
{
	struct selector	*sel;
	char		 err[SEL_ERRLEN], prefix[64];
	int		 col = -1;

	sel = sel_parse(text, err, sizeof(err), &col);
	assert_null(sel);
	if (col != want_col || strstr(err, want_msg) == NULL)
		print_error("want column %d \"%s\", got column %d \"%s\"\n",
		    want_col, want_msg, col, err);
	assert_int_equal(col, want_col);
	assert_non_null(strstr(err, want_msg));
	snprintf(prefix, sizeof(prefix), "selector: column %d: ", want_col);
	assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
}

/* canonical(parse(canonical(x))) == canonical(x), and both agree. */
static void
check_round_trip(const struct selector *sel)
{
	struct selector	*again;
	char		*c1, *c2;
	int		 i;

	c1 = sel_canonical(sel);
	again = parse_ok(c1);
	c2 = sel_canonical(again);
	assert_string_equal(c1, c2);
	for (i = 0; i < LS_COUNT; i++)
		assert_int_equal(sel_match(sel, &label_sets[i]),
		    sel_match(again, &label_sets[i]));
	sel_free(again);
	free(c1);
	free(c2);
}

static void
run_match_case(void **state)
{
	const struct match_case	*mc = *state;
	struct selector		*sel;

	sel = parse_ok(mc->sel);
	assert_int_equal(sel_match(sel, &label_sets[mc->ls]), mc->want);
	check_round_trip(sel);
	sel_free(sel);
}

static void
run_canon_case(void **state)
{
	const struct canon_case	*cc = *state;
	struct selector		*sel;
	char			*c;

	sel = parse_ok(cc->in);
	c = sel_canonical(sel);
	assert_string_equal(c, cc->want);
	check_round_trip(sel);
	free(c);
	sel_free(sel);
}

static void
run_error_case(void **state)
{
	const struct error_case	*ec = *state;

	check_parse_error(ec->in, ec->col, ec->msg);
}

static void
test_labels_get(void **state)
{
	static const struct sel_label	 dup[] = {
		{ "k", "first" }, { NULL, "skipped" }, { "k", "second" },
		{ "n", NULL },
	};
	struct sel_labels		 l = { dup, 4 };

	(void)state;
	assert_string_equal(sel_labels_get(&l, "k"), "first");
	assert_string_equal(sel_labels_get(&l, "n"), "");
	assert_null(sel_labels_get(&l, "missing"));
	assert_null(sel_labels_get(&l, NULL));
	assert_null(sel_labels_get(NULL, "k"));
	assert_null(sel_labels_get(&label_sets[LS_EMPTY], "k"));
}

static void
test_null_handling(void **state)
{
	struct selector	*sel;
	char		*c;

	(void)state;
	assert_int_equal(sel_match(NULL, &label_sets[LS_A]), 0);
	c = sel_canonical(NULL);
	assert_string_equal(c, "!all()");
	free(c);
	sel_free(NULL);
	sel = sel_parse(NULL, NULL, 0, NULL);
	assert_non_null(sel);
	assert_int_equal(sel_match(sel, NULL), 1);
	sel_free(sel);
	sel = parse_ok("has(a)");
	assert_int_equal(sel_match(sel, NULL), 0);
	sel_free(sel);
	/* Errors without err/errcol buffers must not crash. */
	assert_null(sel_parse("a =", NULL, 0, NULL));
}

static void
test_error_truncated(void **state)
{
	char	 err[12];
	int	 col;

	(void)state;
	assert_null(sel_parse("a in", err, sizeof(err), &col));
	assert_int_equal(col, 5);
	assert_string_equal(err, "selector: c");
}

static void
test_uses_global(void **state)
{
	struct selector	*sel;

	(void)state;
	sel = parse_ok("has(a) && !(has(b) || global())");
	assert_int_equal(sel_uses_global(sel), 1);
	sel_free(sel);
	sel = parse_ok("has(a) && global == \"x\"");
	assert_int_equal(sel_uses_global(sel), 0);
	sel_free(sel);
	assert_int_equal(sel_uses_global(NULL), 0);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t	 hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char	*s = malloc(hl + ul * n + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	for (i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + n * ul, tail, tl + 1);
	return s;
}

static char *
nested(size_t depth)
{
	char	*open, *s;

	open = repeat("", "(", depth, "has(a)");
	s = repeat(open, ")", depth, "");
	free(open);
	return s;
}

static void
test_depth_limit(void **state)
{
	struct selector	*sel;
	char		*s;

	(void)state;
	s = nested(SEL_MAX_DEPTH);
	sel = parse_ok(s);
	assert_int_equal(sel_match(sel, &label_sets[LS_A]), 1);
	sel_free(sel);
	free(s);
	s = nested(SEL_MAX_DEPTH + 1);
	check_parse_error(s, SEL_MAX_DEPTH + 1, "nesting too deep");
	free(s);
	s = nested(100000);
	check_parse_error(s, SEL_MAX_LEN + 1, "selector too long");
	free(s);
}

/*
 * Each "has(a)||has(a)&&(" adds one parenthesis but two levels to the
 * canonical form, which must stay parsable: the limit applies to both.
 */
static void
test_canonical_depth_limit(void **state)
{
	struct selector	*sel;
	char		*open, *s;
	size_t		 n;

	(void)state;
	for (n = SEL_MAX_DEPTH / 2; n <= SEL_MAX_DEPTH / 2 + 1; n++) {
		open = repeat("", "has(a)||has(a)&&(", n, "has(b)");
		s = repeat(open, ")", n, "");
		free(open);
		if (n == SEL_MAX_DEPTH / 2) {
			sel = parse_ok(s);
			check_round_trip(sel);
			sel_free(sel);
		} else
			check_parse_error(s, 9, "nesting too deep");
		free(s);
	}
}

static void
test_long_chains(void **state)
{
	struct selector	*sel;
	char		*s;

	(void)state;
	/* ! is a loop, not recursion: thousands of them are fine. */
	s = repeat("", "!", SEL_MAX_LEN - 6, "has(a)");
	sel = parse_ok(s);
	assert_int_equal(sel_match(sel, &label_sets[LS_A]), 1);
	sel_free(sel);
	free(s);
	s = repeat("has(a)", "&&has(a)", 400, "");
	sel = parse_ok(s);
	assert_int_equal(sel_match(sel, &label_sets[LS_A]), 1);
	check_round_trip(sel);
	sel_free(sel);
	free(s);
}

static void
test_length_limit(void **state)
{
	struct selector	*sel;
	char		*s;

	(void)state;
	s = repeat("a == \"", "x", SEL_MAX_LEN - 7, "\"");
	assert_int_equal(strlen(s), SEL_MAX_LEN);
	sel = parse_ok(s);
	sel_free(sel);
	free(s);
	s = repeat("a == \"", "x", SEL_MAX_LEN - 6, "\"");
	check_parse_error(s, SEL_MAX_LEN + 1, "selector too long");
	free(s);
	/* Short input whose canonical form would pass the limit. */
	s = repeat("a==''", "||a==''", (SEL_MAX_LEN - 5) / 7, "");
	assert_true(strlen(s) <= SEL_MAX_LEN);
	check_parse_error(s, 1, "too long in canonical form");
	free(s);
}

static void
test_label_length(void **state)
{
	struct selector	*sel;
	char		*s;

	(void)state;
	s = repeat("", "k", SEL_MAX_LABEL, " == \"x\"");
	sel = parse_ok(s);
	check_round_trip(sel);
	sel_free(sel);
	free(s);
	s = repeat("", "k", SEL_MAX_LABEL + 1, " == \"x\"");
	check_parse_error(s, 1, "label too long");
	free(s);
	s = repeat("has(", "k", SEL_MAX_LABEL + 1, ")");
	check_parse_error(s, 5, "label too long");
	free(s);
}

static void
test_label_characters(void **state)
{
	static const struct sel_label	 odd[] = {
		{ "A-b_c.d/E-9", "v" }, { "0", "zero" }, { "x.y", "w" },
	};
	struct sel_labels		 l = { odd, 3 };
	struct selector			*sel;

	(void)state;
	sel = parse_ok("A-b_c.d/E-9 == \"v\" && 0 == 'zero' && x.y != 'v'");
	assert_int_equal(sel_match(sel, &l), 1);
	sel_free(sel);
	sel = parse_ok("has(a-b_c.d/E-9)");
	assert_int_equal(sel_match(sel, &l), 0);
	sel_free(sel);
}

/* The same selector object evaluates many label sets. */
static void
test_parse_once_match_many(void **state)
{
	struct selector	*sel;

	(void)state;
	sel = parse_ok("has(a) || rack == \"a\"");
	assert_int_equal(sel_match(sel, &label_sets[LS_EMPTY]), 0);
	assert_int_equal(sel_match(sel, &label_sets[LS_A]), 1);
	assert_int_equal(sel_match(sel, &label_sets[LS_AB]), 1);
	assert_int_equal(sel_match(sel, &label_sets[LS_NODE]), 1);
	sel_free(sel);
}

#define NFIXED	11
#define NMATCH	(sizeof(match_cases) / sizeof(match_cases[0]))
#define NCANON	(sizeof(canon_cases) / sizeof(canon_cases[0]))
#define NERROR	(sizeof(error_cases) / sizeof(error_cases[0]))

int
main(void)
{
	static const struct CMUnitTest	 fixed[NFIXED] = {
		cmocka_unit_test(test_labels_get),
		cmocka_unit_test(test_null_handling),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_uses_global),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_canonical_depth_limit),
		cmocka_unit_test(test_long_chains),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_label_length),
		cmocka_unit_test(test_label_characters),
		cmocka_unit_test(test_parse_once_match_many),
	};
	struct CMUnitTest		 tests[NFIXED + NMATCH + NCANON +
					    NERROR];
	char				 want[16];
	size_t				 i, n = 0;
	int				 rc;

	memset(tests, 0, sizeof(tests));
	for (i = 0; i < NFIXED; i++)
		tests[n++] = fixed[i];
	for (i = 0; i < NMATCH; i++) {
		snprintf(want, sizeof(want), " => %d", match_cases[i].want);
		tests[n].name = case_name("match", match_cases[i].sel, want);
		tests[n].test_func = run_match_case;
		tests[n++].initial_state = (void *)&match_cases[i];
	}
	for (i = 0; i < NCANON; i++) {
		tests[n].name = case_name("canonical", canon_cases[i].in, "");
		tests[n].test_func = run_canon_case;
		tests[n++].initial_state = (void *)&canon_cases[i];
	}
	for (i = 0; i < NERROR; i++) {
		snprintf(want, sizeof(want), " => col %d", error_cases[i].col);
		tests[n].name = case_name("error", error_cases[i].in, want);
		tests[n].test_func = run_error_case;
		tests[n++].initial_state = (void *)&error_cases[i];
	}
	rc = _cmocka_run_group_tests("selector", tests, n, NULL, NULL);
	for (i = NFIXED; i < n; i++)
		free((char *)tests[i].name);
	return rc;
}
