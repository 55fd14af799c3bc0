/*
 * The metrics exposition of tortied (bgpd/metrics.c): names, label and
 * HELP escaping, sample lines, the metrics.listen address, and a whole
 * render of a made-up parent checked line by line as Prometheus' text
 * format 0.0.4 wants it (every sample parses, every family has HELP and
 * TYPE before its samples, no series twice).
 *
 * metrics.c reads the parent through td, peers_foreach(), fsm_state_name()
 * and peer_type_name(); this file provides them, so that the test links
 * metrics.o alone out of bgpd/libtortied.a.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "../../bgpd/bgpd.h"

struct tortied			*td;
static struct tortied		 fake_td;
static struct bgpd_peer		 fake_peers[2];
static size_t			 fake_npeers;

void
peers_foreach(void (*cb)(const struct bgpd_peer *, void *), void *arg)
{
	size_t	 i;

	for (i = 0; i < fake_npeers; i++)
		cb(&fake_peers[i], arg);
}

const char *
fsm_state_name(uint32_t s)
{
	static const char *const n[FSM_STATE_MAX] = { "Idle", "Connect",
	    "Active", "OpenSent", "OpenConfirm", "Established" };

	return s < FSM_STATE_MAX ? n[s] : "Unknown";
}

int
config_ds_up(void)
{
	return 1;
}

const char *
peer_type_name(uint8_t t)
{
	static const char *const n[] = { "node-to-node mesh", "global",
	    "node specific" };

	return t <= PEER_TYPE_NODE ? n[t] : "unknown";
}

/* The buffer's contents as a string (freed by the caller). */
static char *
drain(struct evbuffer *b)
{
	size_t	 n = evbuffer_get_length(b);
	char	*s;

	s = malloc(n + 1);
	assert_non_null(s);
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	return s;
}

static char *
one_sample(const char *name, const char *const *labels, size_t n,
    uint64_t v, int *rc)
{
	struct evbuffer	*b = evbuffer_new();
	char		*s;

	assert_non_null(b);
	*rc = metrics_sample(b, name, labels, n, v);
	s = drain(b);
	evbuffer_free(b);
	return s;
}

static void
test_sample_lines(void **state)
{
	const char	*l[] = { "name", "Mesh_198_18_0_2", "peer",
	    "198.18.0.2" };
	char		*s;
	int		 rc;

	(void)state;
	s = one_sample("tortie_up", NULL, 0, 1, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "tortie_up 1\n");
	free(s);
	s = one_sample("tortie_x", l, 2, UINT64_MAX, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "tortie_x{name=\"Mesh_198_18_0_2\","
	    "peer=\"198.18.0.2\"} 18446744073709551615\n");
	free(s);
	s = one_sample("ns:sub_metric", l, 1, 0, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "ns:sub_metric{name=\"Mesh_198_18_0_2\"} 0\n");
	free(s);
}

static void
test_bad_names(void **state)
{
	static const char *const bad_metric[] = { "", "9lives", "a-b", "a b",
	    "é", "a{b" };
	static const char *const bad_label[] = { "", "__reserved", "a:b",
	    "1a", "a-b", "a\"b" };
	const char	*l[4] = { NULL, "v", "ok", "v" };
	const char	*dup[4] = { "a", "1", "a", "2" };
	char		*s;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(bad_metric) / sizeof(bad_metric[0]); i++) {
		s = one_sample(bad_metric[i], NULL, 0, 1, &rc);
		assert_int_equal(rc, -1);
		assert_string_equal(s, "");
		free(s);
	}
	for (i = 0; i < sizeof(bad_label) / sizeof(bad_label[0]); i++) {
		l[0] = bad_label[i];
		s = one_sample("m", l, 2, 1, &rc);
		assert_int_equal(rc, -1);
		assert_string_equal(s, "");
		free(s);
	}
	s = one_sample("m", dup, 2, 1, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(s, "");
	free(s);
	s = one_sample("m", NULL, 1, 1, &rc);
	assert_int_equal(rc, -1);
	free(s);
	s = one_sample(NULL, NULL, 0, 1, &rc);
	assert_int_equal(rc, -1);
	free(s);
}

/* Label values: the three escapes, and U+FFFD for what is not UTF-8 text. */
static void
test_label_escaping(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a\"b", "a\\\"b" },
		{ "back\\slash", "back\\\\slash" },
		{ "two\nlines", "two\\nlines" },
		{ "\\n", "\\\\n" },
		{ "node-to-node mesh", "node-to-node mesh" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb1",
		    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb1" },
		{ "tab\there", "tab\xef\xbf\xbdhere" },
		{ "cr\r", "cr\xef\xbf\xbd" },
		{ "del\x7f", "del\xef\xbf\xbd" },
		{ "\xff", "\xef\xbf\xbd" },
		/* Overlong, surrogate, past U+10FFFF, cut short. */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80",
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "cut\xe2\x82", "cut\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe2", "\xef\xbf\xbd" },
	};
	const char	*l[2];
	char		*s, want[256];
	size_t		 i;
	int		 rc;

	(void)state;
	l[0] = "v";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		l[1] = cases[i].in;
		s = one_sample("m", l, 1, 7, &rc);
		assert_int_equal(rc, 0);
		snprintf(want, sizeof(want), "m{v=\"%s\"} 7\n", cases[i].out);
		assert_string_equal(s, want);
		free(s);
	}
}

static void
test_family(void **state)
{
	struct evbuffer	*b = evbuffer_new();
	char		*s;

	(void)state;
	assert_non_null(b);
	assert_int_equal(metrics_family(b, "tortie_x_total", "counter",
	    "Says \"why\" \\ over\ntwo lines."), 0);
	s = drain(b);
	assert_string_equal(s, "# HELP tortie_x_total Says \"why\" \\\\ over"
	    "\\ntwo lines.\n# TYPE tortie_x_total counter\n");
	free(s);
	assert_int_equal(metrics_family(b, "tortie_g", "gauge", NULL), 0);
	s = drain(b);
	assert_string_equal(s, "# HELP tortie_g \n# TYPE tortie_g gauge\n");
	free(s);
	assert_int_equal(metrics_family(b, "tortie_x", "stateset", "h"), -1);
	assert_int_equal(metrics_family(b, "tortie_x", NULL, "h"), -1);
	assert_int_equal(metrics_family(b, "tortie-x", "gauge", "h"), -1);
	assert_int_equal(evbuffer_get_length(b), 0);
	evbuffer_free(b);
}

static void
test_parse_listen(void **state)
{
	static const char *const bad[] = { "", "127.0.0.1", "127.0.0.1:",
	    "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:080",
	    "127.0.0.1:+80", "127.0.0.1:80x", "127.0.0.1: 80", ":9179",
	    "localhost:9179", "::1:9179", "[::1]9179", "[::1]:", "[]:80",
	    "[127.0.0.1]:80", "[::1:80", "::1]:80", "1.2.3.4.5:80",
	    "127.0.0.1:99999999999999999999" };
	struct bgpd_addr	 a;
	uint16_t		 port;
	char			 buf[64];
	size_t			 i;

	(void)state;
	assert_int_equal(addr_port_parse("127.0.0.1:9179", &a, &port),
	    0);
	assert_int_equal(a.af, AF_INET);
	assert_int_equal(port, 9179);
	assert_int_equal(addr_port_parse("[2001:db8::1]:65535", &a,
	    &port), 0);
	assert_int_equal(a.af, AF_INET6);
	assert_int_equal(port, 65535);
	assert_string_equal(inet_ntop(AF_INET6, &a.v6, buf, sizeof(buf)),
	    "2001:db8::1");
	assert_int_equal(addr_port_parse("0.0.0.0:1", &a, &port), 0);
	assert_int_equal(port, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(addr_port_parse(bad[i], &a, &port), -1);
	assert_int_equal(addr_port_parse(NULL, &a, &port), -1);
}

/*
 * A label value as it appears in a sample, unescaped into out; returns
 * the character after its closing quote, or NULL if it does not parse.
 */
static const char *
parse_value(const char *p, char *out, size_t len)
{
	size_t	 n = 0;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if (*p == '\0' || *p == '\n' || n + 1 >= len)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p != '\\' && *p != '"' && *p != 'n')
				return NULL;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return p + 1;
}

static int
is_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || (!first && c >= '0' && c <= '9');
}

/*
 * Check one sample line against the format; its series (the line without
 * the value) goes to series, its metric name to name.
 */
static void
check_sample(const char *line, char *name, size_t namelen, char *series,
    size_t serieslen)
{
	const char	*p = line, *sp;
	char		 v[512], *end;
	size_t		 n = 0;

	while (is_name_char(*p, p == line))
		p++;
	n = (size_t)(p - line);
	assert_true(n > 0 && n < namelen);
	memcpy(name, line, n);
	name[n] = '\0';
	if (*p == '{') {
		do {
			p++;
			sp = p;
			while (is_name_char(*p, p == sp) && *p != ':')
				p++;
			assert_true(p > sp);
			assert_int_equal(*p, '=');
			p = parse_value(p + 1, v, sizeof(v));
			assert_non_null(p);
		} while (*p == ',');
		assert_int_equal(*p, '}');
		p++;
	}
	assert_int_equal(*p, ' ');
	n = (size_t)(p - line);
	assert_true(n < serieslen);
	memcpy(series, line, n);
	series[n] = '\0';
	strtoull(p + 1, &end, 10);
	assert_true(end > p + 1);
	assert_int_equal(*end, '\0');
}

struct expo {
	char	 fam[64][96];
	size_t	 nfam;
	char	*series[512];
	size_t	 nseries;
};

/* Every line of a whole exposition, as Prometheus would read it. */
static void
check_exposition(char *text, struct expo *x)
{
	char	*line, *save = NULL, cur[96] = "", help[96] = "";
	char	 name[96], series[1024];
	size_t	 i;

	memset(x, 0, sizeof(*x));
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0) {
			assert_int_equal(sscanf(line + 7, "%95s", help), 1);
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_int_equal(sscanf(line + 7, "%95s", cur), 1);
			/* HELP right before TYPE, each family once. */
			assert_string_equal(help, cur);
			for (i = 0; i < x->nfam; i++)
				assert_string_not_equal(x->fam[i], cur);
			assert_true(x->nfam < 64);
			strcpy(x->fam[x->nfam++], cur);
			continue;
		}
		assert_int_not_equal(line[0], '#');
		check_sample(line, name, sizeof(name), series, sizeof(series));
		/* Samples of a family follow its TYPE line. */
		assert_string_equal(name, cur);
		for (i = 0; i < x->nseries; i++)
			assert_string_not_equal(x->series[i], series);
		assert_true(x->nseries < 512);
		x->series[x->nseries++] = strdup(series);
	}
}

static void
expo_free(struct expo *x)
{
	size_t	 i;

	for (i = 0; i < x->nseries; i++)
		free(x->series[i]);
}

static struct child *
fake_child(const char *name, unsigned int restarts, int removing)
{
	struct child	*c = calloc(1, sizeof(*c));

	assert_non_null(c);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->restarts = restarts;
	c->restarts_total = restarts;
	c->removing = removing;
	return c;
}

static void
fake_setup(void)
{
	struct bgpd_peer	*p;
	struct child		*c;

	memset(&fake_td, 0, sizeof(fake_td));
	td = &fake_td;
	TAILQ_INIT(&td->groups);
	td->rib = fake_child("ribd", 0, 0);
	td->kroute = fake_child("kroute", 0, 0);
	/* TAILQ_INSERT_TAIL evaluates its element more than once. */
	c = fake_child("mesh", 3, 1);
	TAILQ_INSERT_TAIL(&td->groups, c, entry);
	c = fake_child("mesh", 1, 0);
	TAILQ_INSERT_TAIL(&td->groups, c, entry);
	c = fake_child("rr\"x\\y", 0, 0);
	TAILQ_INSERT_TAIL(&td->groups, c, entry);
	td->reloads = 4;
	td->reload_failures = 1;

	memset(fake_peers, 0, sizeof(fake_peers));
	p = &fake_peers[0];
	snprintf(p->conf.name, sizeof(p->conf.name), "Mesh_198_18_0_2");
	snprintf(p->conf.group, sizeof(p->conf.group), "mesh");
	p->conf.remote.af = AF_INET;
	inet_pton(AF_INET, "198.18.0.2", &p->conf.remote.v4);
	p->conf.peer_as = 64512;
	p->conf.type = PEER_TYPE_MESH;
	p->st.state = FSM_ESTABLISHED;
	p->st.since = (int64_t)time(NULL) - 100;
	p->st.msgs_in = 10;
	p->st.msgs_out = 11;
	p->st.updates_in = 2;
	p->st.updates_out = 3;
	p->st.flaps = 1;
	p->counts.prefixes_in = 5;
	p->counts.prefixes_out = 6;
	p->counts.prefixes_best = 4;
	p->counts.stale = 0;
	p = &fake_peers[1];
	snprintf(p->conf.name, sizeof(p->conf.name), "Node_2001_db8__9");
	snprintf(p->conf.group, sizeof(p->conf.group), "rr\"x\\y");
	p->conf.remote.af = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::9", &p->conf.remote.v6);
	p->conf.peer_as = 4200000000U;
	p->conf.type = PEER_TYPE_NODE;
	p->st.state = FSM_ACTIVE;
	p->st.since = (int64_t)time(NULL) - 5;
	p->st.last_code = 6;
	p->st.last_subcode = 2;
	fake_npeers = 2;
}

static void
fake_teardown(void)
{
	struct child	*c;

	while ((c = TAILQ_FIRST(&td->groups)) != NULL) {
		TAILQ_REMOVE(&td->groups, c, entry);
		free(c);
	}
	free(td->rib);
	free(td->kroute);
	td = NULL;
}

static int
has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

#define L1 "{name=\"Mesh_198_18_0_2\",peer=\"198.18.0.2\",peer_as=\"64512\"," \
	"group=\"mesh\",type=\"node-to-node mesh\",family=\"ipv4\""
#define L2 "{name=\"Node_2001_db8__9\",peer=\"2001:db8::9\"," \
	"peer_as=\"4200000000\",group=\"rr\\\"x\\\\y\"," \
	"type=\"node specific\"," \
	"family=\"ipv6\""

static void
test_render(void **state)
{
	static const char *const families[] = {
	    "tortie_bgp_session_up", "tortie_bgp_session_state",
	    "tortie_bgp_session_in_state", "tortie_bgp_session_uptime_seconds",
	    "tortie_bgp_messages_received_total",
	    "tortie_bgp_messages_sent_total",
	    "tortie_bgp_updates_received_total",
	    "tortie_bgp_updates_sent_total", "tortie_bgp_prefixes_received",
	    "tortie_bgp_prefixes_advertised", "tortie_bgp_prefixes_best",
	    "tortie_bgp_prefixes_stale", "tortie_bgp_session_flaps_total",
	    "tortie_bgp_session_last_error_code",
	    "tortie_config_reloads_total",
	    "tortie_config_reload_failures_total",
	    "tortie_config_last_reload_success",
	    "tortie_child_restarts_total", "tortie_datastore_up",
	    "tortie_build_info" };
	struct evbuffer	*b = evbuffer_new();
	struct expo	 x;
	char		*s, *copy;
	size_t		 i;

	(void)state;
	fake_setup();
	assert_int_equal(metrics_render(b), 0);
	s = drain(b);
	copy = strdup(s);
	check_exposition(copy, &x);
	assert_int_equal(x.nfam, sizeof(families) / sizeof(families[0]));
	for (i = 0; i < x.nfam; i++)
		assert_string_equal(x.fam[i], families[i]);
	/* 13 one-line families and a 6-state set per session, 9 others. */
	assert_int_equal(x.nseries, 2 * (13 + 6) + 9);
	assert_true(has_line(s, "tortie_datastore_up 1"));
	expo_free(&x);
	free(copy);

	assert_true(has_line(s, "tortie_bgp_session_up" L1 "} 1"));
	assert_true(has_line(s, "tortie_bgp_session_up" L2 "} 0"));
	assert_true(has_line(s, "tortie_bgp_session_state" L1 "} 6"));
	assert_true(has_line(s, "tortie_bgp_session_state" L2 "} 3"));
	assert_true(has_line(s, "tortie_bgp_session_in_state" L1
	    ",state=\"Established\"} 1"));
	assert_true(has_line(s, "tortie_bgp_session_in_state" L1
	    ",state=\"Idle\"} 0"));
	assert_true(has_line(s, "tortie_bgp_session_in_state" L2
	    ",state=\"Active\"} 1"));
	assert_true(has_line(s, "tortie_bgp_session_uptime_seconds" L2 "} 0"));
	assert_true(has_line(s, "tortie_bgp_messages_received_total" L1
	    "} 10"));
	assert_true(has_line(s, "tortie_bgp_messages_sent_total" L1 "} 11"));
	assert_true(has_line(s, "tortie_bgp_updates_received_total" L1 "} 2"));
	assert_true(has_line(s, "tortie_bgp_updates_sent_total" L1 "} 3"));
	assert_true(has_line(s, "tortie_bgp_prefixes_received" L1 "} 5"));
	assert_true(has_line(s, "tortie_bgp_prefixes_advertised" L1 "} 6"));
	assert_true(has_line(s, "tortie_bgp_prefixes_best" L1 "} 4"));
	assert_true(has_line(s, "tortie_bgp_prefixes_stale" L1 "} 0"));
	assert_true(has_line(s, "tortie_bgp_session_flaps_total" L1 "} 1"));
	assert_true(has_line(s, "tortie_bgp_session_last_error_code" L2
	    "} 1538"));
	assert_true(has_line(s, "tortie_bgp_session_last_error_code" L1
	    "} 0"));
	assert_true(has_line(s, "tortie_config_reloads_total 4"));
	assert_true(has_line(s, "tortie_config_reload_failures_total 1"));
	/* metrics_init() never ran for reload 4: it did not succeed. */
	assert_true(has_line(s, "tortie_config_last_reload_success 0"));
	assert_true(has_line(s, "tortie_child_restarts_total{role=\"ribd\","
	    "group=\"\"} 0"));
	assert_true(has_line(s, "tortie_child_restarts_total{role=\"kroute\","
	    "group=\"\"} 0"));
	/* The stopping "mesh" (3 restarts) is left out for the new one. */
	assert_true(has_line(s, "tortie_child_restarts_total{"
	    "role=\"sessiond\",group=\"mesh\"} 1"));
	assert_true(has_line(s, "tortie_child_restarts_total{"
	    "role=\"sessiond\",group=\"rr\\\"x\\\\y\"} 0"));
	assert_true(has_line(s, "tortie_build_info{version=\""
	    TORTIE_VERSION "\"} 1"));
	assert_non_null(strstr(s, "# TYPE tortie_bgp_session_flaps_total "
	    "counter\n"));
	assert_non_null(strstr(s, "# TYPE tortie_bgp_session_state gauge\n"));
	free(s);
	evbuffer_free(b);
	fake_teardown();
}

/* Uptime counts from since while Established. */
static void
test_uptime(void **state)
{
	struct evbuffer	*b = evbuffer_new();
	char		*s, *p;
	unsigned long	 up;

	(void)state;
	fake_setup();
	assert_int_equal(metrics_render(b), 0);
	s = drain(b);
	p = strstr(s, "tortie_bgp_session_uptime_seconds" L1 "} ");
	assert_non_null(p);
	up = strtoul(p + strlen("tortie_bgp_session_uptime_seconds" L1 "} "),
	    NULL, 10);
	assert_true(up >= 100 && up <= 110);
	free(s);
	evbuffer_free(b);
	fake_teardown();
}

/* No session: the families are still announced, with no samples. */
static void
test_render_empty(void **state)
{
	struct evbuffer	*b = evbuffer_new();
	struct expo	 x;
	char		*s;

	(void)state;
	fake_setup();
	fake_npeers = 0;
	assert_int_equal(metrics_render(b), 0);
	s = drain(b);
	check_exposition(s, &x);
	assert_int_equal(x.nfam, 20);
	assert_int_equal(x.nseries, 9);
	expo_free(&x);
	free(s);
	evbuffer_free(b);
	fake_teardown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_lines),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_parse_listen),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_render_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
