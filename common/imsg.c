/*
 * imsg framing and buffered non-blocking I/O.
 *
 * The write side is one contiguous buffer that messages are appended to
 * (so that a burst of thousands of small messages leaves in a few large
 * write(2) calls), plus a queue of file descriptors, each tied to the stream
 * offset of the message that carries it.  The read side is one buffer that
 * holds at least one maximum-size message; imsg_get() hands out payloads in
 * place, without copying.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#define IBUF_MIN	(256 * 1024)

static int	 ibuf_reserve(struct ibuf *, size_t);
static void	 ibuf_compact(struct ibuf *);
static void	 fdin_push(struct imsgbuf *, int);
static int	 fdin_pop(struct imsgbuf *);
static void	 recv_fds(struct imsgbuf *, struct msghdr *);

int
imsgbuf_init(struct imsgbuf *ib, int fd, size_t maxsize)
{
	memset(ib, 0, sizeof(*ib));
	ib->fd = fd;
	if (maxsize < IMSG_HEADER_SIZE || maxsize > IMSG_LEN_MASK) {
		errno = EINVAL;
		return -1;
	}
	ib->maxsize = maxsize;
	ib->r.cap = maxsize > IBUF_MIN ? maxsize : IBUF_MIN;
	if ((ib->r.buf = malloc(ib->r.cap)) == NULL)
		return -1;
	return 0;
}

void
imsgbuf_clear(struct imsgbuf *ib)
{
	size_t	 i;

	for (i = 0; i < ib->nfdout; i++)
		close(ib->fdout[i].fd);
	while (ib->nfdin > 0)
		close(fdin_pop(ib));
	free(ib->fdout);
	free(ib->r.buf);
	free(ib->w.buf);
	ib->fdout = NULL;
	ib->r.buf = ib->w.buf = NULL;
	ib->nfdout = ib->fdoutcap = 0;
	ib->r.cap = ib->w.cap = 0;
	ib->r.start = ib->r.end = ib->w.start = ib->w.end = 0;
}

static void
ibuf_compact(struct ibuf *b)
{
	if (b->start == 0)
		return;
	if (b->end > b->start)
		memmove(b->buf, b->buf + b->start, b->end - b->start);
	b->end -= b->start;
	b->start = 0;
}

/* Make room for len more bytes at b->end. */
static int
ibuf_reserve(struct ibuf *b, size_t len)
{
	size_t	 need, ncap;
	uint8_t	*nbuf;

	if (b->cap - b->end >= len)
		return 0;
	if (b->start > 0 && b->cap - (b->end - b->start) >= len &&
	    b->start >= (b->end - b->start)) {
		ibuf_compact(b);
		return 0;
	}
	ibuf_compact(b);
	need = b->end + len;
	ncap = b->cap ? b->cap : IBUF_MIN;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		ncap *= 2;
	}
	if ((nbuf = realloc(b->buf, ncap)) == NULL)
		return -1;
	b->buf = nbuf;
	b->cap = ncap;
	return 0;
}

void *
imsg_reserve(struct imsgbuf *ib, uint32_t type, uint32_t peerid,
    uint32_t pid, size_t len)
{
	struct imsg_hdr	 hdr;
	uint8_t		*p;

	if (len > ib->maxsize - IMSG_HEADER_SIZE) {
		errno = EMSGSIZE;
		return NULL;
	}
	if (ibuf_reserve(&ib->w, IMSG_HEADER_SIZE + len) == -1)
		return NULL;
	hdr.type = type;
	hdr.len = (uint32_t)(IMSG_HEADER_SIZE + len);
	hdr.peerid = peerid;
	hdr.pid = pid;
	p = ib->w.buf + ib->w.end;
	memcpy(p, &hdr, sizeof(hdr));
	ib->w.end += IMSG_HEADER_SIZE + len;
	ib->msgs_out++;
	return p + IMSG_HEADER_SIZE;
}

int
imsg_compose(struct imsgbuf *ib, uint32_t type, uint32_t peerid,
    uint32_t pid, int fd, const void *data, size_t len)
{
	struct imsg_fdout	*nq;
	uint64_t		 off;
	uint8_t			*p;
	size_t			 ncap;

	if (fd != -1 && ib->nfdout == ib->fdoutcap) {
		ncap = ib->fdoutcap ? ib->fdoutcap * 2 : 8;
		nq = reallocarray(ib->fdout, ncap, sizeof(*nq));
		if (nq == NULL)
			return -1;
		ib->fdout = nq;
		ib->fdoutcap = ncap;
	}
	off = ib->wseq + (ib->w.end - ib->w.start);
	if ((p = imsg_reserve(ib, type, peerid, pid, len)) == NULL)
		return -1;
	if (len > 0)
		memcpy(p, data, len);
	if (fd != -1) {
		uint8_t		*lenp = p - IMSG_HEADER_SIZE +
		    offsetof(struct imsg_hdr, len);
		uint32_t	 l;

		/* The header may sit at any alignment in the buffer. */
		memcpy(&l, lenp, sizeof(l));
		l |= IMSG_LEN_FD;
		memcpy(lenp, &l, sizeof(l));
		ib->fdout[ib->nfdout].off = off;
		ib->fdout[ib->nfdout].fd = fd;
		ib->nfdout++;
	}
	return 0;
}

size_t
imsgbuf_queued(const struct imsgbuf *ib)
{
	return ib->w.end - ib->w.start;
}

/*
 * Write as much as the socket takes.  A message that carries a descriptor
 * starts its own sendmsg(2) so that the descriptor rides on its first byte.
 * Returns 0 (possibly with data left: see imsgbuf_queued()) or -1.
 */
int
imsgbuf_write(struct imsgbuf *ib)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	}		 cmsgbuf;
	struct cmsghdr	*cmsg;
	ssize_t		 n;
	size_t		 len;
	int		 sendfd;

	while (ib->w.end > ib->w.start) {
		len = ib->w.end - ib->w.start;
		sendfd = 0;
		if (ib->nfdout > 0) {
			/*
			 * Stop short of the next descriptor-carrying message
			 * so that each descriptor starts a sendmsg of its own.
			 */
			if (ib->fdout[0].off == ib->wseq) {
				sendfd = 1;
				if (ib->nfdout > 1 &&
				    ib->fdout[1].off - ib->wseq < len)
					len = ib->fdout[1].off - ib->wseq;
			} else if (ib->fdout[0].off - ib->wseq < len)
				len = ib->fdout[0].off - ib->wseq;
		}
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = ib->w.buf + ib->w.start;
		iov.iov_len = len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (sendfd) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = &cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(cmsg), &ib->fdout[0].fd, sizeof(int));
		}
		n = sendmsg(ib->fd, &msg, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS)
				return 0;
			return -1;
		}
		if (sendfd) {
			close(ib->fdout[0].fd);
			ib->nfdout--;
			memmove(ib->fdout, ib->fdout + 1,
			    ib->nfdout * sizeof(*ib->fdout));
		}
		ib->w.start += (size_t)n;
		ib->wseq += (uint64_t)n;
		ib->bytes_out += (uint64_t)n;
	}
	ib->w.start = ib->w.end = 0;
	/* Give memory back after a burst. */
	if (ib->w.cap > 4 * IBUF_MIN) {
		free(ib->w.buf);
		ib->w.buf = NULL;
		ib->w.cap = 0;
	}
	return 0;
}

static void
fdin_push(struct imsgbuf *ib, int fd)
{
	if (ib->nfdin == IMSG_FDQ_MAX) {
		close(fd);
		return;
	}
	ib->fdin[ib->nfdin++] = fd;
}

static int
fdin_pop(struct imsgbuf *ib)
{
	int	 fd;

	if (ib->nfdin == 0)
		return -1;
	fd = ib->fdin[0];
	ib->nfdin--;
	memmove(ib->fdin, ib->fdin + 1, ib->nfdin * sizeof(int));
	return fd;
}

static void
recv_fds(struct imsgbuf *ib, struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	size_t		 i, n;
	int		 fd;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			fdin_push(ib, fd);
		}
	}
}

/*
 * Read what the socket has.  Returns the byte count, 0 on end of file, -1
 * on error (errno EAGAIN when nothing was there).
 */
ssize_t
imsg_read(struct imsgbuf *ib)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 8)];
	}		 cmsgbuf;
	ssize_t		 n;

	if (ib->r.start == ib->r.end)
		ib->r.start = ib->r.end = 0;
	else if (ib->r.cap - ib->r.end < ib->maxsize)
		ibuf_compact(&ib->r);
	if (ib->r.cap == ib->r.end) {
		errno = ENOBUFS;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = ib->r.buf + ib->r.end;
	iov.iov_len = ib->r.cap - ib->r.end;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	do {
		n = recvmsg(ib->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	recv_fds(ib, &msg);
	ib->r.end += (size_t)n;
	ib->bytes_in += (uint64_t)n;
	return n;
}

/*
 * Check one header at the start of buf (len bytes available) against the
 * maximum message size.  Returns the total message length when a whole
 * message is there, 0 when more bytes are needed, -1 when the header is
 * invalid (the stream cannot be trusted any further).
 */
int
imsg_parse(const uint8_t *buf, size_t len, size_t maxsize,
    struct imsg_hdr *hdr)
{
	size_t	 total;

	if (len < IMSG_HEADER_SIZE)
		return 0;
	memcpy(hdr, buf, sizeof(*hdr));
	total = hdr->len & IMSG_LEN_MASK;
	if (total < IMSG_HEADER_SIZE || total > maxsize) {
		errno = EBADMSG;
		return -1;
	}
	if (len < total)
		return 0;
	return (int)total;
}

/*
 * Take the next whole message.  Returns 1 with *im filled in, 0 when no
 * whole message is buffered, -1 on a framing error.
 */
int
imsg_get(struct imsgbuf *ib, struct imsg *im)
{
	struct imsg_hdr	 hdr;
	int		 total;

	total = imsg_parse(ib->r.buf + ib->r.start, ib->r.end - ib->r.start,
	    ib->maxsize, &hdr);
	if (total <= 0)
		return total;
	im->hdr = hdr;
	im->hdr.len = hdr.len & IMSG_LEN_MASK;
	im->data = ib->r.buf + ib->r.start + IMSG_HEADER_SIZE;
	im->datalen = (size_t)total - IMSG_HEADER_SIZE;
	im->fd = -1;
	if (hdr.len & IMSG_LEN_FD) {
		if ((im->fd = fdin_pop(ib)) == -1) {
			errno = EBADMSG;
			return -1;
		}
	}
	ib->r.start += (size_t)total;
	ib->msgs_in++;
	return 1;
}

/* Exact-length payload check: the only way payloads are accepted. */
int
imsg_expect(const struct imsg *im, size_t len)
{
	return im->datalen == len ? 0 : -1;
}
