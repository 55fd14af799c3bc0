/*
 * Linux side of the platform seam (platform.h).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>

#include "platform.h"

/* Linux answers with SO_PEERCRED; the BSDs have getpeereid() instead. */
int
plat_peer_cred(int fd, uid_t *uid, gid_t *gid)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return -1;
	if (len != sizeof(cred)) {
		errno = EPROTO;
		return -1;
	}
	*uid = cred.uid;
	*gid = cred.gid;
	return 0;
}
