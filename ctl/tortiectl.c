/*
 * tortiectl: control and resource tool for tortie.
 *
 *	tortiectl [-s socket] node status [-o json]
 *	tortiectl [-s socket] show summary|neighbors|rib|fib [-o json] [prefix]
 *	tortiectl [-s socket] reload
 *	tortiectl [-c tortie.yaml | -D dir] plan --node NAME [-o json]
 *	tortiectl [-c tortie.yaml | -D dir] apply|create|replace -f FILE|-
 *	    (apply, create, replace, patch, label, delete: --dry-run)
 *	tortiectl [-c tortie.yaml | -D dir] get KIND [NAME...] [-o yaml|json|wide]
 *	tortiectl [-c tortie.yaml | -D dir] patch KIND NAME -p JSON
 *	tortiectl [-c tortie.yaml | -D dir] delete KIND NAME... | -f FILE
 *	tortiectl [-c tortie.yaml | -D dir] label KIND NAME key=value [--overwrite]
 *	tortiectl [-c tortie.yaml | -D dir] label KIND NAME key --remove
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

static void	 usage(void) __attribute__((__noreturn__));
static int	 parse_output(const char *, enum ctl_output *);
static int	 strip_output(int *, char **, struct ctl_opts *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tortiectl [-s socket] node status [-o json]\n"
	    "       tortiectl [-s socket] show summary|neighbors|rib|fib "
	    "[-o json] [prefix]\n"
	    "       tortiectl [-s socket] reload\n"
	    "       tortiectl [-c tortie.yaml | -D dir] plan --node NAME "
	    "[-o json]\n"
	    "       tortiectl [-c tortie.yaml | -D dir] "
	    "apply|create|replace -f FILE|-\n"
	    "       tortiectl [-c tortie.yaml | -D dir] get KIND [NAME...] "
	    "[-o yaml|json|wide]\n"
	    "       tortiectl [-c tortie.yaml | -D dir] patch KIND NAME "
	    "-p JSON\n"
	    "       tortiectl [-c tortie.yaml | -D dir] delete KIND NAME... "
	    "| -f FILE\n"
	    "       tortiectl [-c tortie.yaml | -D dir] label KIND NAME "
	    "key=value [--overwrite] | key --remove\n"
	    "       (apply, create, replace, patch, label and delete take "
	    "--dry-run)\n");
	exit(1);
}

static int
parse_output(const char *s, enum ctl_output *out)
{
	if (strcmp(s, "json") == 0)
		*out = OUT_JSON;
	else if (strcmp(s, "yaml") == 0)
		*out = OUT_YAML;
	else if (strcmp(s, "wide") == 0)
		*out = OUT_WIDE;
	else if (strcmp(s, "text") == 0 || strcmp(s, "ps") == 0)
		*out = OUT_TEXT;
	else
		return -1;
	return 0;
}

/* Take "-o FMT" / "-oFMT" / "--output=FMT" out of the argument list. */
static int
strip_output(int *argc, char **argv, struct ctl_opts *o)
{
	int	 i, j;

	for (i = 0; i < *argc; i++) {
		const char	*v = NULL;
		int		 used = 1;

		if (strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) {
			if (i + 1 >= *argc)
				return -1;
			v = argv[i + 1];
			used = 2;
		} else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2] != '\0')
			v = argv[i] + 2;
		else if (strncmp(argv[i], "--output=", 9) == 0)
			v = argv[i] + 9;
		else
			continue;
		if (parse_output(v, &o->output) == -1) {
			fprintf(stderr, "tortiectl: unknown output format "
			    "%s\n", v);
			return -1;
		}
		for (j = i; j + used <= *argc; j++)
			argv[j] = argv[j + used];
		*argc -= used;
		i--;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ctl_opts	 o;
	int		 i;

	memset(&o, 0, sizeof(o));
	o.socket = TORTIE_SOCKET;
	log_init(1, 0);
	log_procname("tortiectl");
	/* Global options come before the command. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			o.socket = argv[++i];
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			o.conf_file = argv[++i];
		else if (strcmp(argv[i], "-D") == 0 && i + 1 < argc)
			o.ds_dir = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			usage();
		else {
			fprintf(stderr, "tortiectl: unknown option %s\n",
			    argv[i]);
			usage();
		}
	}
	argc -= i;
	argv += i;
	if (argc < 1)
		usage();
	if (strip_output(&argc, argv, &o) == -1)
		usage();
	if (strcmp(argv[0], "node") == 0) {
		if (argc != 2 || strcmp(argv[1], "status") != 0)
			usage();
		return ctl_node_status(&o);
	}
	if (strcmp(argv[0], "show") == 0)
		return ctl_show(&o, argc - 1, argv + 1);
	if (strcmp(argv[0], "reload") == 0)
		return ctl_reload(&o);
	if (strcmp(argv[0], "plan") == 0)
		return ctl_plan(&o, argc - 1, argv + 1);
	if (ctl_resource_verb(argv[0]))
		return ctl_resource(&o, argc, argv);
	fprintf(stderr, "tortiectl: unknown command %s\n", argv[0]);
	usage();
}
