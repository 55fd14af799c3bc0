/*
 * The one piece of I/O of the peering compiler: reading a password from
 * <secrets_dir>/<name>/<key>, the layout of a mounted Kubernetes Secret
 * (tortie decision 4).  Names come from resources, so they are checked
 * before they become a path: no '/', no "." or "..".
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"

/* A Kubernetes Secret name (DNS subdomain) or data key. */
static int
plan_secret_part_ok(const char *s)
{
	const char	*c;

	if (s == NULL || s[0] == '\0' || strlen(s) > RES_NAME_MAX ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (c = s; *c != '\0'; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.')
			continue;
		return 0;
	}
	return 1;
}

/*
 * Reads the secret into buf (NUL-terminated).  One trailing newline is
 * dropped, since hand-written files end with one; an empty secret, a NUL
 * byte or more than PLAN_PASSWORD_MAX bytes is an error (RFC 2385 keys
 * are at most 80 bytes).  Returns 0, or -1 with a reason in err.
 */
int
plan_secret_read(const char *dir, const char *name, const char *key,
    char *buf, size_t len, char *err, size_t errlen)
{
	char		 path[PATH_MAX];
	char		 tmp[PLAN_PASSWORD_MAX + 4];
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd = -1;

	if (len > 0)
		buf[0] = '\0';
	if (!plan_secret_part_ok(name) || !plan_secret_part_ok(key)) {
		snprintf(err, errlen, "secret %s/%s: bad name or key",
		    name ? name : "", key ? key : "");
		return -1;
	}
	if (len < 2 || dir == NULL || (size_t)snprintf(path, sizeof(path),
	    "%s/%s/%s", dir, name, key) >= sizeof(path)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	/* O_NONBLOCK: a FIFO planted there must not hang the daemon. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	while (got < sizeof(tmp)) {
		n = read(fd, tmp + got, sizeof(tmp) - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	fd = -1;
	if (got > 0 && tmp[got - 1] == '\n')
		got--;
	if (got > 0 && tmp[got - 1] == '\r')
		got--;
	if (got >= len || got > PLAN_PASSWORD_MAX) {
		snprintf(err, errlen, "%s: longer than %d bytes", path,
		    PLAN_PASSWORD_MAX);
		goto fail;
	}
	if (got == 0 || memchr(tmp, '\0', got) != NULL) {
		snprintf(err, errlen, "%s: %s", path, got == 0 ? "empty" :
		    "contains a NUL byte");
		goto fail;
	}
	memcpy(buf, tmp, got);
	buf[got] = '\0';
	explicit_bzero(tmp, sizeof(tmp));
	return 0;
fail:
	if (fd != -1)
		close(fd);
	explicit_bzero(tmp, sizeof(tmp));
	if (len > 0)
		buf[0] = '\0';
	return -1;
}
