/*
 * The client side of the control socket: connect, hello, one request,
 * collect the JSON answer.  Blocking I/O with a deadline: tortiectl is a
 * short-lived command.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "imsg.h"
#include "util.h"

#define CTL_TIMEOUT_MS	30000

static int	 ctl_connect(const char *, char *, size_t);
static int	 ctl_wait(int, short, uint64_t);
static int	 ctl_send_all(struct imsgbuf *, uint64_t);
static int	 ctl_next(struct imsgbuf *, struct imsg *, uint64_t);

static int
ctl_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
ctl_wait(int fd, short events, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 r;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		now = mono_ms();
		if (now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r > 0)
			return 0;
	}
}

static int
ctl_send_all(struct imsgbuf *ib, uint64_t deadline)
{
	while (imsgbuf_queued(ib) > 0) {
		if (imsgbuf_write(ib) == -1)
			return -1;
		if (imsgbuf_queued(ib) > 0 &&
		    ctl_wait(ib->fd, POLLOUT, deadline) == -1)
			return -1;
	}
	return 0;
}

static int
ctl_next(struct imsgbuf *ib, struct imsg *im, uint64_t deadline)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((r = imsg_get(ib, im)) != 0)
			return r;
		if (ctl_wait(ib->fd, POLLIN, deadline) == -1)
			return -1;
		n = imsg_read(ib);
		if (n == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (n == -1 && errno != EAGAIN)
			return -1;
	}
}

/*
 * Send one request and return the JSON answer in *out (NUL-terminated,
 * caller frees).  Returns 0, or -1 with a message in err; -2 when tortied
 * is not running (nothing listens on the socket).
 */
int
ctl_request(const char *path, uint32_t type, const void *data, size_t len,
    char **out, size_t *outlen, char *err, size_t errlen)
{
	struct imsgbuf		 ib;
	struct imsg		 im;
	struct imsg_ctl_hello	 h;
	uint64_t		 deadline = mono_ms() + CTL_TIMEOUT_MS;
	char			*buf = NULL;
	size_t			 blen = 0;
	int			 fd, ret = -1;

	*out = NULL;
	if ((fd = ctl_connect(path, err, errlen)) == -1)
		return -2;
	if (imsgbuf_init(&ib, fd, IMSG_MAX_CTL) == -1) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.version = TORTIE_CTL_VERSION;
	if (imsg_compose(&ib, IMSG_CTL_HELLO, 0, 0, -1, &h, sizeof(h)) == -1 ||
	    imsg_compose(&ib, type, 0, 0, -1, data, len) == -1 ||
	    ctl_send_all(&ib, deadline) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	for (;;) {
		if (ctl_next(&ib, &im, deadline) == -1) {
			snprintf(err, errlen, "%s: %s", path,
			    errno == EBADMSG ? "bad answer from tortied" :
			    strerror(errno));
			goto done;
		}
		if (im.fd != -1)
			close(im.fd);
		switch (im.hdr.type) {
		case IMSG_CTL_HELLO:
			if (imsg_expect(&im, sizeof(h)) == -1) {
				snprintf(err, errlen, "bad hello from tortied");
				goto done;
			}
			break;
		case IMSG_CTL_DATA:
			buf = xreallocarray(buf, blen + im.datalen + 1, 1);
			memcpy(buf + blen, im.data, im.datalen);
			blen += im.datalen;
			buf[blen] = '\0';
			break;
		case IMSG_CTL_END:
			if (buf == NULL)
				buf = xstrdup("");
			*out = buf;
			if (outlen != NULL)
				*outlen = blen;
			buf = NULL;
			ret = 0;
			goto done;
		case IMSG_CTL_ERROR:
			snprintf(err, errlen, "%.*s", (int)im.datalen,
			    (const char *)im.data);
			goto done;
		default:
			snprintf(err, errlen, "unexpected answer %u from "
			    "tortied", im.hdr.type);
			goto done;
		}
	}
done:
	free(buf);
	imsgbuf_clear(&ib);
	close(fd);
	return ret;
}
