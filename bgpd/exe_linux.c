/*
 * Where the running tortied binary lives (Linux: /proc/self/exe), so that
 * a daemon started from the build tree runs the helpers built beside it.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "bgpd.h"

int
exe_dir(char *buf, size_t len)
{
	char	 path[PATH_MAX];
	char	*slash;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", path, sizeof(path) - 1)) <= 0)
		return -1;
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (strlcpy(buf, path, len) >= len)
		return -1;
	return 0;
}
