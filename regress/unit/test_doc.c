/*
 * Document trees: YAML/JSON parsing with positions, the scalar resolver,
 * rejected constructs (anchors, aliases, tags, duplicate keys), limits,
 * YAML/JSON output that re-parses to the same tree, RFC 7386 merge patch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc.h"

static struct doc_node *
parse1(const char *s)
{
	char		 err[256];
	struct doc_node	*n;

	n = doc_parse_one(s, strlen(s), "t.yaml", err, sizeof(err));
	if (n == NULL)
		fail_msg("parse failed: %s", err);
	return n;
}

static void
parse_fails(const char *s, const char *want)
{
	char			 err[256];
	struct doc_stream	 st;

	assert_int_equal(doc_parse(s, strlen(s), "t.yaml", NULL, &st, err,
	    sizeof(err)), -1);
	assert_int_equal(st.n, 0);
	assert_string_equal(err, want);
}

static void
test_types_positions(void **state)
{
	struct doc_node		*n, *v;
	const struct doc_pair	*p;

	(void)state;
	n = parse1("a: 1\nb: \"x\"\nc:\n  - true\n  - ~\n  - 1.5\n"
	    "d: {e: null}\n");
	assert_int_equal(n->type, DOC_MAP);
	assert_int_equal(n->n, 4);
	assert_string_equal(n->pairs[0].key, "a");
	assert_string_equal(n->pairs[3].key, "d");
	v = doc_map_get(n, "a");
	assert_int_equal(v->type, DOC_INT);
	assert_int_equal(v->i, 1);
	assert_int_equal(v->line, 1);
	assert_int_equal(v->col, 4);
	v = doc_map_get(n, "b");
	assert_int_equal(v->type, DOC_STRING);
	assert_true(v->quoted);
	assert_string_equal(v->raw, "x");
	v = doc_map_get(n, "c");
	assert_int_equal(v->type, DOC_LIST);
	assert_int_equal(v->n, 3);
	assert_int_equal(v->items[0]->type, DOC_BOOL);
	assert_int_equal(v->items[0]->b, 1);
	assert_int_equal(v->items[0]->line, 4);
	assert_int_equal(v->items[0]->col, 5);
	assert_int_equal(v->items[1]->type, DOC_NULL);
	assert_int_equal(v->items[2]->type, DOC_FLOAT);
	assert_true(v->items[2]->f == 1.5);
	p = doc_map_pair(n, "c");
	assert_int_equal(p->line, 3);
	assert_int_equal(p->col, 1);
	v = doc_map_get(doc_map_get(n, "d"), "e");
	assert_int_equal(v->type, DOC_NULL);
	assert_null(doc_map_get(n, "zz"));
	doc_free(n);
}

static void
test_resolver(void **state)
{
	struct doc_node	*n;
	struct {
		const char	*key;
		enum doc_type	 type;
	} want[] = {
		{ "plain", DOC_INT }, { "quoted", DOC_STRING },
		{ "yes", DOC_STRING }, { "on", DOC_STRING },
		{ "True", DOC_BOOL }, { "nul", DOC_NULL },
		{ "tilde", DOC_NULL }, { "empty", DOC_NULL },
		{ "octal", DOC_STRING }, { "hex", DOC_STRING },
		{ "asdot", DOC_FLOAT }, { "neg", DOC_INT },
		{ "big", DOC_FLOAT }, { "inf", DOC_FLOAT },
		{ "ip", DOC_STRING }, { "sq", DOC_STRING },
		{ "lit", DOC_STRING }, { "exp", DOC_FLOAT },
	};
	size_t		 i;
	struct doc_node	*v;

	(void)state;
	n = parse1("plain: 64512\nquoted: \"64512\"\nyes: yes\non: on\n"
	    "True: True\nnul: null\ntilde: ~\nempty:\noctal: 0123\n"
	    "hex: 0x1f\nasdot: 1.10\nneg: -5\n"
	    "big: 99999999999999999999\ninf: -.inf\nip: 10.0.0.1\n"
	    "sq: 'it''s'\nlit: |\n  two\n  lines\nexp: 1e3\n");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = doc_map_get(n, want[i].key);
		assert_non_null(v);
		if (v->type != want[i].type)
			fail_msg("%s: type %d, want %d", want[i].key,
			    v->type, want[i].type);
	}
	assert_string_equal(doc_map_get(n, "asdot")->raw, "1.10");
	assert_string_equal(doc_map_get(n, "sq")->raw, "it's");
	assert_string_equal(doc_map_get(n, "lit")->raw, "two\nlines\n");
	assert_true(doc_map_get(n, "lit")->quoted);
	assert_false(doc_map_get(n, "yes")->quoted);
	assert_int_equal(doc_map_get(n, "neg")->i, -5);
	assert_true(doc_map_get(n, "exp")->f == 1000.0);
	doc_free(n);
}

static void
test_json_input(void **state)
{
	struct doc_node	*n, *v;

	(void)state;
	n = parse1("{\"kind\": \"BGPPeer\", \"spec\": {\"asNumber\": 64512,"
	    " \"filters\": [\"a\", \"b\"], \"x\": null, \"y\": false,\n"
	    "\t\"z\": \"\\u00e9\\/\\\"\"}}");
	v = doc_map_get(doc_map_get(n, "spec"), "asNumber");
	assert_int_equal(v->type, DOC_INT);
	assert_int_equal(v->i, 64512);
	v = doc_map_get(doc_map_get(n, "spec"), "filters");
	assert_int_equal(v->n, 2);
	assert_string_equal(v->items[1]->raw, "b");
	v = doc_map_get(doc_map_get(n, "spec"), "z");
	assert_string_equal(v->raw, "\xc3\xa9/\"");
	assert_int_equal(v->line, 2);
	doc_free(n);
}

static void
test_multi_doc(void **state)
{
	char			 err[256];
	struct doc_stream	 st;
	const char		*s = "a: 1\n---\n---\nb: 2\n...\n---\n- x\n";

	(void)state;
	assert_int_equal(doc_parse(s, strlen(s), "m.yaml", NULL, &st, err,
	    sizeof(err)), 0);
	/* An empty document is a null node; the caller decides. */
	assert_int_equal(st.n, 4);
	assert_int_equal(st.docs[0]->type, DOC_MAP);
	assert_int_equal(st.docs[1]->type, DOC_NULL);
	assert_int_equal(st.docs[2]->type, DOC_MAP);
	assert_int_equal(st.docs[2]->line, 4);
	assert_int_equal(st.docs[3]->type, DOC_LIST);
	doc_stream_free(&st);
	assert_int_equal(doc_parse("", 0, "e.yaml", NULL, &st, err,
	    sizeof(err)), 0);
	assert_int_equal(st.n, 0);
	doc_stream_free(&st);
	assert_null(doc_parse_one("a: 1\n---\nb: 2\n", 14, "p", err,
	    sizeof(err)));
	assert_string_equal(err, "p:1:1: expected exactly one document, "
	    "found 2");
}

static void
test_rejects(void **state)
{
	(void)state;
	parse_fails("spec:\n  nodeSelector: !has(x)\n",
	    "t.yaml:2:17: YAML tag '!has(x)' is not supported (quote the "
	    "value if it is a selector such as \"!has(label)\")");
	parse_fails("a: !!str 5\n", "t.yaml:1:4: YAML tag "
	    "'tag:yaml.org,2002:str' is not supported (quote the value if "
	    "it is a selector such as \"!has(label)\")");
	parse_fails("a: &x 1\nb: *x\n",
	    "t.yaml:1:4: YAML anchor '&x' is not supported");
	parse_fails("a: [1, *x]\n",
	    "t.yaml:1:8: YAML aliases are not supported");
	parse_fails("a: 1\nb: 2\na: 3\n",
	    "t.yaml:3:1: duplicate map key 'a' (first at line 1)");
	parse_fails("{\"a\": 1, \"a\": 2}",
	    "t.yaml:1:10: duplicate map key 'a' (first at line 1)");
	parse_fails("? [a]\n: 1\n", "t.yaml:1:3: map keys must be scalars");
	parse_fails("a: \"x\\0y\"\n", "t.yaml:1:4: NUL character in scalar");
	parse_fails("%TAG !e! tag:example.com,2000:\n---\na: 1\n",
	    "t.yaml:1:1: YAML %TAG directives are not supported");
	parse_fails("a: b: c\n", "t.yaml:1:5: mapping values are not "
	    "allowed in this context");
	parse_fails("a: [1, 2\n", "t.yaml:2:1: did not find expected ',' "
	    "or ']' while parsing a flow sequence");
	parse_fails("a:\n\t- b\n", "t.yaml:2:1: found character that "
	    "cannot start any token while scanning for the next token");
	parse_fails("a: x\nb: n\xc3\xa9\xff" "1\n", "t.yaml:2:6: invalid "
	    "leading UTF-8 octet");
	parse_fails("a: \x01\n", "t.yaml:1:4: control characters are not "
	    "allowed");
}

static void
test_limits(void **state)
{
	char			 err[256], *s;
	struct doc_stream	 st;
	struct doc_limits	 lim;
	size_t			 i;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_depth = 3;
	assert_int_equal(doc_parse("[[[1]]]", 7, "l", &lim, &st, err,
	    sizeof(err)), 0);
	doc_stream_free(&st);
	assert_int_equal(doc_parse("[[[[1]]]]", 9, "l", &lim, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "l:1:4: nesting deeper than 3 levels");

	memset(&lim, 0, sizeof(lim));
	lim.max_nodes = 4;
	assert_int_equal(doc_parse("[1, 2, 3, 4]", 12, "l", &lim, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "l:1:11: more than 4 nodes");

	memset(&lim, 0, sizeof(lim));
	lim.max_scalar = 4;
	assert_int_equal(doc_parse("a: abcde", 8, "l", &lim, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "l:1:4: scalar longer than 4 bytes");

	memset(&lim, 0, sizeof(lim));
	lim.max_keys = 2;
	assert_int_equal(doc_parse("{a: 1, b: 2, c: 3}", 18, "l", &lim, &st,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "l:1:14: map with more than 2 keys");

	memset(&lim, 0, sizeof(lim));
	lim.max_docs = 2;
	assert_int_equal(doc_parse("1\n---\n2\n---\n3\n", 14, "l", &lim,
	    &st, err, sizeof(err)), -1);
	assert_string_equal(err, "l:5:1: more than 2 documents");

	/* The default depth limit holds against a deep flow sequence. */
	s = malloc(20001);
	assert_non_null(s);
	for (i = 0; i < 10000; i++) {
		s[i] = '[';
		s[10000 + i] = ']';
	}
	s[20000] = '\0';
	assert_int_equal(doc_parse(s, 20000, "d", NULL, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "d:1:65: nesting deeper than 64 levels");
	free(s);
}

static void
roundtrip(const struct doc_node *n)
{
	char		*y, *j, *jp, err[256];
	struct doc_node	*a, *b, *c;

	y = doc_to_yaml(n);
	j = doc_to_json(n, 0);
	jp = doc_to_json(n, 1);
	a = doc_parse_one(y, strlen(y), "y", err, sizeof(err));
	if (a == NULL)
		fail_msg("%s\n%s", err, y);
	b = doc_parse_one(j, strlen(j), "j", err, sizeof(err));
	if (b == NULL)
		fail_msg("%s\n%s", err, j);
	c = doc_parse_one(jp, strlen(jp), "jp", err, sizeof(err));
	if (c == NULL)
		fail_msg("%s\n%s", err, jp);
	if (!doc_equal(n, a))
		fail_msg("yaml round trip differs:\n%s", y);
	assert_true(doc_equal(n, b));
	assert_true(doc_equal(n, c));
	doc_free(a);
	doc_free(b);
	doc_free(c);
	free(y);
	free(j);
	free(jp);
}

/* Keys that would not print back as keys are refused at parse time. */
static void
test_bad_keys(void **state)
{
	struct doc_stream	 st;
	char			 err[256], *s;
	size_t			 n;

	(void)state;
	s = "\"a\\tb\": 1\n";
	assert_int_equal(doc_parse(s, strlen(s), "k", NULL, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "k:1:1: control character in a map key");
	n = DOC_MAX_KEY + 1;
	s = malloc(n + 8);
	assert_non_null(s);
	memset(s, 'k', n);
	memcpy(s + n, ": 1\n", 5);
	assert_int_equal(doc_parse(s, n + 4, "k", NULL, &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "k:1:1: map key longer than 400 characters");
	free(s);
}

static void
test_emit_strings(void **state)
{
	static const char *const strs[] = {
		"", "null", "Null", "~", "true", "False", "yes", "No", "on",
		"OFF", "y", "n", "64512", "-1", "+1", "1.10", ".5", "1e3",
		"0123", "0x1f", "1_000", "2021-09-19", ".inf", ".nan", "<<",
		"=", "!has(x)", "&a", "*a", "- x", "-x", "? x", "a: b", "a #b",
		"#c", "x:", "10.0.0.1", "2001:db8::1", "10.0.0.0/24",
		"[ac13::57]:50", "{a}", "a,b", "' q", "\"q\"", " lead",
		"trail ", "two\nlines", "tab\there", "bell\a", "caf\xc3\xa9",
		"nel\xc2\x85x", "ls\xe2\x80\xa8x", "bom\xef\xbb\xbf",
		"back\\slash", "route-reflector == 'true'",
		"rack in {\"a\", \"b\"} && !has(edge)", "has(routeReflector)",
		"%x", "@x", "`x", "|", ">", "a|b", "1:20", "12:30:00",
	};
	struct doc_node	*m, *l;
	size_t		 i;

	(void)state;
	m = doc_new_map();
	l = doc_new_list();
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		/* Control characters are refused in keys (see doc.c). */
		if (strpbrk(strs[i], "\n\t\a") == NULL)
			doc_map_set(m, strs[i], doc_new_string(strs[i]));
		doc_list_append(l, doc_new_string(strs[i]));
	}
	roundtrip(m);
	roundtrip(l);
	doc_free(m);
	doc_free(l);
}

static void
test_emit_yaml_exact(void **state)
{
	struct doc_node	*n;
	char		*y;

	(void)state;
	n = parse1("apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	    "metadata:\n  name: rack1-tor\n  labels: {}\n"
	    "spec:\n  peerIP: '198.18.0.1:179'\n  asNumber: 64512\n"
	    "  filters: [a, b]\n  x: []\n  keep: true\n  f: 2.5\n"
	    "  nested:\n  - a: 1\n    b:\n    - - 1\n      - 2\n    - []\n"
	    "  - \"64512\"\n  - {}\n");
	y = doc_to_yaml(n);
	assert_string_equal(y,
	    "apiVersion: projectcalico.org/v3\n"
	    "kind: BGPPeer\n"
	    "metadata:\n"
	    "  name: rack1-tor\n"
	    "  labels: {}\n"
	    "spec:\n"
	    "  peerIP: \"198.18.0.1:179\"\n"
	    "  asNumber: 64512\n"
	    "  filters:\n"
	    "    - a\n"
	    "    - b\n"
	    "  x: []\n"
	    "  keep: true\n"
	    "  f: 2.5\n"
	    "  nested:\n"
	    "    - a: 1\n"
	    "      b:\n"
	    "        - - 1\n"
	    "          - 2\n"
	    "        - []\n"
	    "    - \"64512\"\n"
	    "    - {}\n");
	roundtrip(n);
	free(y);
	doc_free(n);

	n = doc_new_string("x");
	y = doc_to_yaml(n);
	assert_string_equal(y, "x\n");
	free(y);
	doc_free(n);
	n = doc_new_float(3.0);
	y = doc_to_yaml(n);
	assert_string_equal(y, "3.0\n");
	free(y);
	doc_free(n);
}

static void
test_emit_json_exact(void **state)
{
	struct doc_node	*n;
	char		*j;

	(void)state;
	n = parse1("kind: BGPPeer\nspec:\n  asNumber: 64512\n  l: [1, \"a\","
	    " null, true]\n  e: {}\n  el: []\n  s: \"tab\\t\\u0001\\\"\"\n"
	    "  f: .inf\n");
	j = doc_to_json(n, 0);
	assert_string_equal(j, "{\"kind\":\"BGPPeer\",\"spec\":{\"asNumber\":"
	    "64512,\"l\":[1,\"a\",null,true],\"e\":{},\"el\":[],"
	    "\"s\":\"tab\\t\\u0001\\\"\",\"f\":null}}");
	free(j);
	j = doc_to_json(n, 1);
	assert_string_equal(j, "{\n"
	    "  \"kind\": \"BGPPeer\",\n"
	    "  \"spec\": {\n"
	    "    \"asNumber\": 64512,\n"
	    "    \"l\": [\n"
	    "      1,\n"
	    "      \"a\",\n"
	    "      null,\n"
	    "      true\n"
	    "    ],\n"
	    "    \"e\": {},\n"
	    "    \"el\": [],\n"
	    "    \"s\": \"tab\\t\\u0001\\\"\",\n"
	    "    \"f\": null\n"
	    "  }\n"
	    "}\n");
	free(j);
	doc_free(n);
}

/* RFC 7386 appendix A, every example, plus a nested null. */
static void
test_merge_patch(void **state)
{
	static const char *const cases[][3] = {
		{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"b\":\"c\"}",
		    "{\"a\":\"b\",\"b\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
		{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}",
		    "{\"b\":\"c\"}" },
		{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
		{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
		    "{\"a\":{\"b\":\"d\"}}" },
		{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
		{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
		{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
		{ "{\"a\":\"foo\"}", "null", "null" },
		{ "{\"a\":\"foo\"}", "\"bar\"", "\"bar\"" },
		{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
		{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
		{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}",
		    "{\"a\":{\"bb\":{}}}" },
		{ "{\"spec\":{\"a\":1,\"b\":{\"c\":2}}}",
		    "{\"spec\":{\"b\":{\"d\":3}}}",
		    "{\"spec\":{\"a\":1,\"b\":{\"c\":2,\"d\":3}}}" },
	};
	struct doc_node	*t, *p, *r;
	char		*j;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = parse1(cases[i][0]);
		p = parse1(cases[i][1]);
		r = doc_merge_patch(t, p);
		j = doc_to_json(r, 0);
		if (strcmp(j, cases[i][2]) != 0)
			fail_msg("case %zu: got %s want %s", i, j,
			    cases[i][2]);
		free(j);
		doc_free(r);
		doc_free(p);
	}
	/* A NULL target is an empty document. */
	p = parse1("{\"a\":{\"b\":null,\"c\":1}}");
	r = doc_merge_patch(NULL, p);
	j = doc_to_json(r, 0);
	assert_string_equal(j, "{\"a\":{\"c\":1}}");
	free(j);
	doc_free(r);
	doc_free(p);
}

static void
test_build_copy(void **state)
{
	struct doc_node	*m, *c;

	(void)state;
	m = doc_new_map();
	doc_map_set(m, "a", doc_new_int(1));
	doc_map_set(m, "b", doc_new_bool(0));
	doc_map_set(m, "a", doc_new_string("x"));
	assert_int_equal(m->n, 2);
	assert_string_equal(m->pairs[0].key, "a");
	assert_string_equal(doc_map_get(m, "a")->raw, "x");
	c = doc_copy(m);
	assert_true(doc_equal(m, c));
	assert_int_equal(doc_map_remove(c, "a"), 0);
	assert_int_equal(doc_map_remove(c, "a"), -1);
	assert_false(doc_equal(m, c));
	doc_map_set(c, "a", doc_new_string("x"));
	/* Order does not matter for equality. */
	assert_true(doc_equal(m, c));
	doc_free(m);
	doc_free(c);
	assert_string_equal(doc_type_name(DOC_MAP), "a map");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_positions),
		cmocka_unit_test(test_resolver),
		cmocka_unit_test(test_json_input),
		cmocka_unit_test(test_multi_doc),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_emit_strings),
		cmocka_unit_test(test_emit_yaml_exact),
		cmocka_unit_test(test_emit_json_exact),
		cmocka_unit_test(test_merge_patch),
		cmocka_unit_test(test_build_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
