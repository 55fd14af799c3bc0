/*
 * Status commands: `node status` (calicoctl's layout), `show ...` and
 * `reload`.  tortied answers in JSON; the text forms are rendered here
 * from that same JSON.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "doc.h"
#include "util.h"

static struct doc_node	*ctl_fetch(struct ctl_opts *, uint32_t, const void *,
			    size_t, int *);
static struct doc_node	*ctl_parse(const char *, size_t, char *, size_t);
static const char	*jstr(const struct doc_node *, const char *);
static long long	 jint(const struct doc_node *, const char *);
static void		 since_text(const char *, char *, size_t);
static void		 peer_addr_text(const struct doc_node *, char *,
			    size_t);
static void		 status_family(const struct doc_node *, const char *,
			    const char *);
static void		 ctl_neighbors_text(const struct doc_node *);
static void		 uptime_text(long long, char *, size_t);
static void		 ctl_summary_text(const struct doc_node *);

static const char *
jstr(const struct doc_node *n, const char *key)
{
	const struct doc_node	*v;

	if (n == NULL || n->type != DOC_MAP ||
	    (v = doc_map_get(n, key)) == NULL || v->raw == NULL ||
	    v->type == DOC_NULL)
		return "";
	return v->raw;
}

static long long
jint(const struct doc_node *n, const char *key)
{
	const struct doc_node	*v;

	if (n == NULL || n->type != DOC_MAP ||
	    (v = doc_map_get(n, key)) == NULL || v->type != DOC_INT)
		return 0;
	return (long long)v->i;
}

/*
 * tortied's answer is bounded by what it holds, not by doc's defaults for
 * files: show rib of 16,384 routes has more than 262,144 JSON nodes.
 */
static const struct doc_limits ctl_answer_limits = {
	.max_nodes = 256 * 1024 * 1024,
};

static struct doc_node *
ctl_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct doc_stream	 s;
	struct doc_node		*n;

	if (doc_parse(buf, len, "tortied", &ctl_answer_limits, &s, err,
	    errlen) == -1)
		return NULL;
	if (s.n != 1) {
		snprintf(err, errlen, "%zu documents", s.n);
		doc_stream_free(&s);
		return NULL;
	}
	n = s.docs[0];
	s.n = 0;
	doc_stream_free(&s);
	return n;
}

/*
 * Ask tortied; print the answer as is for -o json.  *notrunning is set
 * when nothing listens on the socket.
 */
static struct doc_node *
ctl_fetch(struct ctl_opts *o, uint32_t type, const void *data, size_t len,
    int *notrunning)
{
	struct doc_node	*n;
	char		 err[512], *out;
	size_t		 outlen;
	int		 r;

	*notrunning = 0;
	r = ctl_request(o->socket, type, data, len, &out, &outlen, err,
	    sizeof(err));
	if (r == -2) {
		*notrunning = 1;
		return NULL;
	}
	if (r == -1) {
		fprintf(stderr, "tortiectl: %s\n", err);
		return NULL;
	}
	if ((n = ctl_parse(out, outlen, err, sizeof(err))) == NULL)
		fprintf(stderr, "tortiectl: bad answer from tortied: %s\n",
		    err);
	free(out);
	return n;
}

/* Print a table in the tablewriter layout: centred headers. */
void
ctl_table_print(const char **hdr, size_t ncol, const char **cells,
    size_t nrow)
{
	size_t	 w[16], i, j, l, pad;

	if (ncol > 16)
		return;
	for (j = 0; j < ncol; j++) {
		w[j] = strlen(hdr[j]);
		for (i = 0; i < nrow; i++)
			if ((l = strlen(cells[i * ncol + j])) > w[j])
				w[j] = l;
		w[j] += 2;
	}
#define RULE() do {							\
	for (j = 0; j < ncol; j++) {					\
		putchar('+');						\
		for (l = 0; l < w[j]; l++)				\
			putchar('-');					\
	}								\
	puts("+");							\
} while (0)
	RULE();
	for (j = 0; j < ncol; j++) {
		pad = w[j] - strlen(hdr[j]);
		printf("|%*s%s%*s", (int)(pad / 2), "", hdr[j],
		    (int)(pad - pad / 2), "");
	}
	puts("|");
	RULE();
	for (i = 0; i < nrow; i++) {
		for (j = 0; j < ncol; j++)
			printf("| %-*s", (int)(w[j] - 1), cells[i * ncol + j]);
		puts("|");
	}
	RULE();
#undef RULE
}

/* RFC 3339 time to BIRD's form: the time today, else the date. */
static void
since_text(const char *rfc3339, char *buf, size_t len)
{
	struct tm	 tm, now;
	time_t		 t, tnow;

	memset(&tm, 0, sizeof(tm));
	if (strptime(rfc3339, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		snprintf(buf, len, "%s", rfc3339);
		return;
	}
	tm.tm_isdst = -1;
	t = timegm(&tm);
	localtime_r(&t, &tm);
	tnow = time(NULL);
	localtime_r(&tnow, &now);
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
		strftime(buf, len, "%H:%M:%S", &tm);
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
}

static void
peer_addr_text(const struct doc_node *p, char *buf, size_t len)
{
	const char	*ip = jstr(p, "peerIP");
	long long	 port = jint(p, "port");

	if (port == 0 || port == 179)
		snprintf(buf, len, "%s", ip);
	else if (strchr(ip, ':') != NULL)
		snprintf(buf, len, "[%s]:%lld", ip, port);
	else
		snprintf(buf, len, "%s:%lld", ip, port);
}

static void
status_family(const struct doc_node *peers, const char *family,
    const char *label)
{
	static const char *hdr[] = { "PEER ADDRESS", "PEER TYPE", "STATE",
	    "SINCE", "INFO" };
	const struct doc_node	*p;
	const char		**cells;
	char			(*text)[2][96];
	size_t			 i, n = 0;

	printf("%s BGP status\n", label);
	cells = xcalloc(peers ? peers->n * 5 + 1 : 1, sizeof(*cells));
	text = xcalloc(peers ? peers->n + 1 : 1, sizeof(*text));
	for (i = 0; peers != NULL && i < peers->n; i++) {
		p = peers->items[i];
		if (strcmp(jstr(p, "family"), family) != 0)
			continue;
		peer_addr_text(p, text[n][0], sizeof(text[n][0]));
		since_text(jstr(p, "since"), text[n][1], sizeof(text[n][1]));
		cells[n * 5] = text[n][0];
		cells[n * 5 + 1] = jstr(p, "type");
		cells[n * 5 + 2] = strcmp(jstr(p, "state"), "Established") ==
		    0 ? "up" : "start";
		cells[n * 5 + 3] = text[n][1];
		cells[n * 5 + 4] = jstr(p, "info");
		n++;
	}
	if (n == 0)
		printf("No %s peers found.\n", label);
	else
		ctl_table_print(hdr, 5, cells, n);
	free(cells);
	free(text);
}

/* One line per session, as OpenBGPD's `show summary`. */
static void
ctl_neighbors_text(const struct doc_node *arr)
{
	static const char *hdr[] = { "NAME", "PEER ADDRESS", "AS", "GROUP",
	    "STATE", "UP/DOWN", "RCVD", "SENT", "LAST ERROR" };
	const struct doc_node	*p;
	const char		**cells;
	char			(*text)[5][32];
	size_t			 i, n;
	long long		 up;

	n = arr != NULL && arr->type == DOC_LIST ? arr->n : 0;
	if (n == 0) {
		printf("No BGP sessions.\n");
		return;
	}
	cells = xcalloc(n * 9, sizeof(*cells));
	text = xcalloc(n, sizeof(*text));
	for (i = 0; i < n; i++) {
		p = arr->items[i];
		peer_addr_text(p, text[i][0], sizeof(text[i][0]));
		snprintf(text[i][1], sizeof(text[i][1]), "%lld",
		    jint(p, "peerAS"));
		up = jint(p, "uptimeSeconds");
		snprintf(text[i][2], sizeof(text[i][2]), "%02lld:%02lld:%02lld",
		    up / 3600, (up / 60) % 60, up % 60);
		snprintf(text[i][3], sizeof(text[i][3]), "%lld",
		    jint(p, "prefixesReceived"));
		snprintf(text[i][4], sizeof(text[i][4]), "%lld",
		    jint(p, "prefixesAdvertised"));
		cells[i * 9] = jstr(p, "name");
		cells[i * 9 + 1] = text[i][0];
		cells[i * 9 + 2] = text[i][1];
		cells[i * 9 + 3] = jstr(p, "group");
		cells[i * 9 + 4] = jstr(p, "state");
		cells[i * 9 + 5] = text[i][2];
		cells[i * 9 + 6] = text[i][3];
		cells[i * 9 + 7] = text[i][4];
		cells[i * 9 + 8] = jstr(p, "lastError");
	}
	ctl_table_print(hdr, 9, cells, n);
	free(cells);
	free(text);
}

/* OpenBGPD's form: 01:02:03 within a day, 2d03h04m within a week, 1w2d03h. */
static void
uptime_text(long long up, char *buf, size_t len)
{
	if (up < 0)
		up = 0;
	if (up < 86400)
		snprintf(buf, len, "%02lld:%02lld:%02lld", up / 3600,
		    (up / 60) % 60, up % 60);
	else if (up < 7 * 86400)
		snprintf(buf, len, "%lldd%02lldh%02lldm", up / 86400,
		    (up / 3600) % 24, (up / 60) % 60);
	else
		snprintf(buf, len, "%lldw%lldd%02lldh", up / (7 * 86400),
		    (up / 86400) % 7, (up / 3600) % 24);
}

/*
 * `show summary`: one line per session, columns aligned as in BIRD's
 * `show protocols` and OpenBGPD's `show summary`, no borders, so that it
 * reads at a glance and cuts with awk.  An empty field shows as "-": every
 * line has the same fields, the last error (free text) last.
 */
static void
ctl_summary_text(const struct doc_node *arr)
{
	static const char *hdr[] = { "Name", "Peer", "AS", "State", "Since",
	    "Uptime", "Rcvd", "Sent", "Last error" };
	const struct doc_node	*p;
	const char		**cells, *e;
	char			(*text)[6][64];
	size_t			 w[9], i, j, n, l;

	n = arr != NULL && arr->type == DOC_LIST ? arr->n : 0;
	if (n == 0) {
		printf("No BGP sessions.\n");
		return;
	}
	cells = xcalloc(n * 9, sizeof(*cells));
	text = xcalloc(n, sizeof(*text));
	for (i = 0; i < n; i++) {
		p = arr->items[i];
		peer_addr_text(p, text[i][0], sizeof(text[i][0]));
		snprintf(text[i][1], sizeof(text[i][1]), "%lld",
		    jint(p, "peerAS"));
		since_text(jstr(p, "since"), text[i][2], sizeof(text[i][2]));
		if (strcmp(jstr(p, "state"), "Established") == 0)
			uptime_text(jint(p, "uptimeSeconds"), text[i][3],
			    sizeof(text[i][3]));
		snprintf(text[i][4], sizeof(text[i][4]), "%lld",
		    jint(p, "prefixesReceived"));
		snprintf(text[i][5], sizeof(text[i][5]), "%lld",
		    jint(p, "prefixesAdvertised"));
		cells[i * 9] = jstr(p, "name");
		cells[i * 9 + 1] = text[i][0];
		cells[i * 9 + 2] = text[i][1];
		cells[i * 9 + 3] = jstr(p, "state");
		cells[i * 9 + 4] = text[i][2];
		cells[i * 9 + 5] = text[i][3];
		cells[i * 9 + 6] = text[i][4];
		cells[i * 9 + 7] = text[i][5];
		cells[i * 9 + 8] = jstr(p, "lastError");
		for (j = 0; j < 9; j++)
			if (cells[i * 9 + j][0] == '\0')
				cells[i * 9 + j] = "-";
	}
	for (j = 0; j < 9; j++) {
		w[j] = strlen(hdr[j]);
		for (i = 0; i < n; i++)
			if ((l = strlen(cells[i * 9 + j])) > w[j])
				w[j] = l;
	}
	for (i = 0; i <= n; i++) {
		for (j = 0; j < 8; j++) {
			e = i == 0 ? hdr[j] : cells[(i - 1) * 9 + j];
			/* Counts right-aligned, as numbers are. */
			printf(j == 6 || j == 7 ? "%*s  " : "%-*s  ",
			    (int)w[j], e);
		}
		printf("%s\n", i == 0 ? hdr[8] : cells[(i - 1) * 9 + 8]);
	}
	free(cells);
	free(text);
}

int
ctl_node_status(struct ctl_opts *o)
{
	struct doc_node	*st;
	char		*json;
	int		 notrunning;

	st = ctl_fetch(o, IMSG_CTL_NODE_STATUS, NULL, 0, &notrunning);
	if (st == NULL) {
		if (notrunning)
			printf("tortie process is not running.\n");
		return 1;
	}
	if (o->output == OUT_JSON) {
		json = doc_to_json(st, 1);
		fputs(json, stdout);
		free(json);
		doc_free(st);
		return 0;
	}
	printf("tortie process is running.\n\n");
	status_family(doc_map_get(st, "peers"), "ipv4", "IPv4");
	printf("\n");
	status_family(doc_map_get(st, "peers"), "ipv6", "IPv6");
	doc_free(st);
	return 0;
}

int
ctl_show(struct ctl_opts *o, int argc, char **argv)
{
	struct doc_node	*st;
	const char	*what;
	char		*json;
	uint32_t	 type;
	int		 notrunning, summary = 0;

	if (argc < 1) {
		fprintf(stderr, "usage: tortiectl show "
		    "summary|neighbors|rib|fib [-o json]\n");
		return 1;
	}
	what = argv[0];
	if (strcmp(what, "neighbors") == 0 || strcmp(what, "neighbor") == 0)
		type = IMSG_CTL_SHOW_NEIGHBORS;
	else if (strcmp(what, "rib") == 0)
		type = IMSG_CTL_SHOW_RIB;
	else if (strcmp(what, "fib") == 0)
		type = IMSG_CTL_SHOW_FIB;
	else if (strcmp(what, "summary") == 0) {
		type = IMSG_CTL_SHOW_NEIGHBORS;
		summary = 1;
	} else {
		fprintf(stderr, "tortiectl: show: unknown object %s\n", what);
		return 1;
	}
	st = ctl_fetch(o, type, argc > 1 ? argv[1] : NULL,
	    argc > 1 ? strlen(argv[1]) + 1 : 0, &notrunning);
	if (st == NULL) {
		if (notrunning)
			fprintf(stderr, "tortiectl: tortied is not running "
			    "(no control socket at %s)\n", o->socket);
		return 1;
	}
	if (o->output == OUT_JSON || type != IMSG_CTL_SHOW_NEIGHBORS) {
		json = doc_to_json(st, 1);
		fputs(json, stdout);
		free(json);
	} else if (summary)
		ctl_summary_text(st);
	else
		ctl_neighbors_text(st);
	doc_free(st);
	return 0;
}

int
ctl_reload(struct ctl_opts *o)
{
	struct doc_node	*st;
	int		 notrunning;

	st = ctl_fetch(o, IMSG_CTL_RELOAD, NULL, 0, &notrunning);
	if (st == NULL) {
		if (notrunning)
			fprintf(stderr, "tortiectl: tortied is not running "
			    "(no control socket at %s)\n", o->socket);
		return 1;
	}
	printf("reload requested\n");
	doc_free(st);
	return 0;
}
