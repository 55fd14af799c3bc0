/*
 * libFuzzer target for the daemon configuration parser, tortie.yaml
 * (common/dconf.c: dconf_parse over the defaults, as dconf_load does).
 *
 * Besides not crashing or leaking, the parser must keep its promises: a
 * failure has a message that names the file; a success leaves a
 * configuration the daemon can use as it is (a known datastore type, a
 * path and a user, at most DCONF_MAX_ENDPOINTS endpoints and one for
 * etcdv3, a routing table other than 0, a route protocol of our own, a
 * router ID that is "", "hash" or an IPv4 address).  A broken promise
 * aborts.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FD_ERRLEN	256
#define FD_FILE		"fuzz.yaml"

#define FD_CHECK(e)	do { if (!(e)) fd_fail(#e, __LINE__); } while (0)

static void
fd_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_dconf: broken promise at line %d: %s\n", line,
	    what);
	abort();
}

static int
fd_nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static void
fd_check_conf(const struct dconf *c)
{
	struct in_addr	 a;
	int		 i;

	FD_CHECK(c->ds_type != NULL && (strcmp(c->ds_type, "file") == 0 ||
	    strcmp(c->ds_type, "etcdv3") == 0));
	FD_CHECK(fd_nonempty(c->ds_path) && fd_nonempty(c->user));
	FD_CHECK(c->ds_nendpoints >= 0 &&
	    c->ds_nendpoints <= DCONF_MAX_ENDPOINTS);
	for (i = 0; i < c->ds_nendpoints; i++)
		FD_CHECK(c->ds_endpoints[i] != NULL);
	if (strcmp(c->ds_type, "etcdv3") == 0)
		FD_CHECK(c->ds_nendpoints > 0);
	FD_CHECK(c->kernel_install == 0 || c->kernel_install == 1);
	FD_CHECK(c->kernel_table != 0);
	FD_CHECK(c->kernel_protocol >= 5 && c->kernel_protocol <= 255);
	FD_CHECK(c->migration_wait <= 3600);
	FD_CHECK(c->router_id != NULL);
	FD_CHECK(c->router_id[0] == '\0' || strcmp(c->router_id, "hash") == 0 ||
	    inet_pton(AF_INET, c->router_id, &a) == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dconf	 c;
	char		*err;

	/* A heap buffer of its exact size, so that an overflow shows. */
	if ((err = malloc(FD_ERRLEN)) == NULL)
		return 0;
	err[0] = '\0';
	dconf_defaults(&c);
	if (dconf_parse((const char *)data, size, FD_FILE, &c, err,
	    FD_ERRLEN) == 0)
		fd_check_conf(&c);
	else {
		FD_CHECK(memchr(err, '\0', FD_ERRLEN) != NULL);
		FD_CHECK(strncmp(err, FD_FILE ":", strlen(FD_FILE) + 1) == 0);
	}
	dconf_free(&c);
	free(err);
	return 0;
}
