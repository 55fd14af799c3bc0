/*
 * The DUT's processes, read from /proc: a root PID and every descendant
 * (tortied's children, BIRD alone).  Per process: CPU ticks, resident
 * size, and the I/O counters of /proc/PID/io, whose read and write
 * totals of ribd are the bytes crossing its pipes (it has no other file
 * or socket).  Samples taken before and after a phase give its CPU time
 * and traffic per process name.
 */
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bp.h"

struct bp_pp {
	pid_t	 pid;
	pid_t	 ppid;
};

static uint64_t
bp_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* comm, ppid and CPU ticks from /proc/PID/stat; -1 if it is gone. */
static int
bp_read_stat(pid_t pid, struct bp_proc *pr, pid_t *ppid)
{
	char			 path[64], buf[1024], *l, *r;
	FILE			*f;
	unsigned long long	 ut, st;
	int			 pp;
	size_t			 n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((l = strchr(buf, '(')) == NULL || (r = strrchr(buf, ')')) == NULL)
		return -1;
	n = (size_t)(r - l - 1);
	if (n >= sizeof(pr->comm))
		n = sizeof(pr->comm) - 1;
	memcpy(pr->comm, l + 1, n);
	pr->comm[n] = '\0';
	/* state ppid pgrp session tty tpgid flags 4 faults utime stime */
	if (sscanf(r + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &pp, &ut, &st) != 3)
		return -1;
	*ppid = pp;
	pr->ticks = ut + st;
	return 0;
}

static void
bp_read_status(pid_t pid, struct bp_proc *pr)
{
	char		 path[64], line[256];
	FILE		*f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			pr->rss_kb = strtoull(line + 6, NULL, 10);
	fclose(f);
}

static void
bp_read_io(pid_t pid, struct bp_proc *pr)
{
	char		 path[64], line[256];
	FILE		*f;

	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "rchar:", 6) == 0)
			pr->rchar = strtoull(line + 6, NULL, 10);
		else if (strncmp(line, "wchar:", 6) == 0)
			pr->wchar = strtoull(line + 6, NULL, 10);
		else if (strncmp(line, "syscr:", 6) == 0)
			pr->syscr = strtoull(line + 6, NULL, 10);
		else if (strncmp(line, "syscw:", 6) == 0)
			pr->syscw = strtoull(line + 6, NULL, 10);
	}
	fclose(f);
}

/* Every process with its parent. */
static struct bp_pp *
bp_proc_list(size_t *np)
{
	DIR		*d;
	struct dirent	*de;
	struct bp_pp	*v = NULL;
	struct bp_proc	 pr;
	size_t		 n = 0, cap = 0;
	pid_t		 pid, ppid;

	if ((d = opendir("/proc")) == NULL)
		err(1, "/proc");
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (bp_read_stat(pid, &pr, &ppid) == -1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			if ((v = reallocarray(v, cap, sizeof(*v))) == NULL)
				err(1, "bp_proc_list");
		}
		v[n].pid = pid;
		v[n++].ppid = ppid;
	}
	closedir(d);
	*np = n;
	return v;
}

static void
bp_sample_add(struct bp_sample *s, pid_t pid)
{
	struct bp_proc	*pr;
	pid_t		 ppid;

	if ((s->v = reallocarray(s->v, s->n + 1, sizeof(*s->v))) == NULL)
		err(1, "bp_sample_add");
	pr = &s->v[s->n];
	memset(pr, 0, sizeof(*pr));
	pr->pid = pid;
	if (bp_read_stat(pid, pr, &ppid) == -1)
		return;
	bp_read_status(pid, pr);
	bp_read_io(pid, pr);
	s->n++;
}

/* root and all its descendants. */
void
bp_sample_take(pid_t root, struct bp_sample *s)
{
	struct bp_pp	*all;
	pid_t		*todo;
	size_t		 n, i, ntodo = 0, k;

	memset(s, 0, sizeof(*s));
	s->ns = bp_now_ns();
	if (root <= 0)
		return;
	all = bp_proc_list(&n);
	if ((todo = calloc(n + 1, sizeof(*todo))) == NULL)
		err(1, "bp_sample_take");
	todo[ntodo++] = root;
	for (k = 0; k < ntodo; k++) {
		bp_sample_add(s, todo[k]);
		for (i = 0; i < n; i++)
			if (all[i].ppid == todo[k] && ntodo < n + 1)
				todo[ntodo++] = all[i].pid;
	}
	free(todo);
	free(all);
}

void
bp_sample_free(struct bp_sample *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

uint64_t
bp_sample_rss(const struct bp_sample *s)
{
	uint64_t	 kb = 0;
	size_t		 i;

	for (i = 0; i < s->n; i++)
		kb += s->v[i].rss_kb;
	return kb;
}

static const struct bp_proc *
bp_sample_find(const struct bp_sample *s, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].pid == pid)
			return &s->v[i];
	return NULL;
}

/* CPU seconds of the processes between two samples. */
double
bp_sample_cpu(const struct bp_sample *a, const struct bp_sample *b)
{
	const struct bp_proc	*o;
	uint64_t		 t = 0;
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		o = bp_sample_find(a, b->v[i].pid);
		t += b->v[i].ticks - (o != NULL ? o->ticks : 0);
	}
	return (double)t / (double)sysconf(_SC_CLK_TCK);
}

/*
 * "key": {"comm": {"n":..., "rss_kb":..., "cpu_s":..., "read_bytes":...,
 * ...}, ...}: per process name, b's size and what happened since a.
 */
void
bp_sample_json(FILE *fp, const char *key, const struct bp_sample *a,
    const struct bp_sample *b)
{
	const struct bp_proc	*o, *p;
	struct bp_proc		 sum, zero;
	size_t			 i, j, n;
	int			 first = 1, seen;

	memset(&zero, 0, sizeof(zero));
	fprintf(fp, "\"%s\": {", key);
	for (i = 0; i < b->n; i++) {
		seen = 0;
		for (j = 0; j < i; j++)
			if (strcmp(b->v[j].comm, b->v[i].comm) == 0)
				seen = 1;
		if (seen)
			continue;
		memset(&sum, 0, sizeof(sum));
		for (j = i, n = 0; j < b->n; j++) {
			p = &b->v[j];
			if (strcmp(p->comm, b->v[i].comm) != 0)
				continue;
			if ((o = bp_sample_find(a, p->pid)) == NULL)
				o = &zero;
			n++;
			sum.rss_kb += p->rss_kb;
			sum.ticks += p->ticks - o->ticks;
			sum.rchar += p->rchar - o->rchar;
			sum.wchar += p->wchar - o->wchar;
			sum.syscr += p->syscr - o->syscr;
			sum.syscw += p->syscw - o->syscw;
		}
		fprintf(fp, "%s\"%s\": {\"n\": %zu, \"rss_kb\": %llu, "
		    "\"cpu_s\": %.2f, \"read_bytes\": %llu, "
		    "\"write_bytes\": %llu, \"reads\": %llu, \"writes\": %llu}",
		    first ? "" : ", ", b->v[i].comm, n,
		    (unsigned long long)sum.rss_kb,
		    (double)sum.ticks / (double)sysconf(_SC_CLK_TCK),
		    (unsigned long long)sum.rchar,
		    (unsigned long long)sum.wchar,
		    (unsigned long long)sum.syscr,
		    (unsigned long long)sum.syscw);
		first = 0;
	}
	fprintf(fp, "}");
}
