/*
 * libFuzzer target for the imsg reader (common/imsg.c).  The input is one
 * octet of settings, then the bytes that a hostile process writes into its
 * end of the socketpair.  They are sent in chunks, the first chunks with
 * descriptors attached, and read with imsg_read() and imsg_get() until
 * the stream ends or the reader rejects it.
 *
 * Settings octet: bits 0-1 the maximum message size (16, 80, 4096,
 * 65536), bits 2-3 descriptors sent with each of the first chunks (0, 1,
 * 2, or 9, more than imsg_read() makes room for), bits 4-7 the chunk size.
 *
 * Besides not crashing, the reader must agree with a model of the framing
 * written from imsg.h: the same messages with the same headers and
 * payloads, in order; a stop only at a bad header or at a message that
 * claims a descriptor it did not get; read counts that add up to what was
 * written; no descriptor leaked.  Every message it hands out, composed
 * again, must give the bytes that were read (less the descriptor flag).
 * A broken promise aborts.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FI_MAX_INPUT	(1024 * 1024)
#define FI_FD_CHUNKS	16	/* chunks that carry descriptors */
#define FI_MAX_FDS	9

#define FI_CHECK(e)	do { if (!(e)) fi_fail(#e, __LINE__); } while (0)

struct fi_state {
	struct imsgbuf	 ib;		/* the reader under test */
	struct imsgbuf	 wb;		/* messages composed again */
	const uint8_t	*in;		/* the stream */
	size_t		 len;
	size_t		 maxsize;
	size_t		 model;		/* offset of the next message */
	size_t		 written;	/* bytes in the socket so far */
	size_t		 nread;		/* sum of imsg_read() returns */
	uint64_t	 nmsgs;
	int		 dead;		/* imsg_get() said -1 */
	int		 eof;
};

static const size_t fi_maxsizes[4] = { 16, 80, 4096, 65536 };
static const int fi_nfds[4] = { 0, 1, 2, FI_MAX_FDS };
static const size_t fi_chunks[16] = {
	1, 2, 3, 5, 8, 15, 16, 17, 31, 33, 100, 255, 1000, 4096, 65536,
	FI_MAX_INPUT
};

static int	 fi_devnull = -1;

static void
fi_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_imsg: broken promise at line %d: %s\n", line,
	    what);
	abort();
}

/*
 * The model's next message at st->model: 1 with its header and total
 * length, 0 when no whole message is left, -1 for a header the reader
 * must reject.
 */
static int
fi_model_next(const struct fi_state *st, struct imsg_hdr *h, size_t *total)
{
	size_t	 left = st->len - st->model;

	if (left < sizeof(*h))
		return 0;
	memcpy(h, st->in + st->model, sizeof(*h));
	*total = h->len & IMSG_LEN_MASK;
	if (*total < sizeof(*h) || *total > st->maxsize)
		return -1;
	return left >= *total ? 1 : 0;
}

/* One message from imsg_get() against the model. */
static void
fi_check_msg(struct fi_state *st, const struct imsg *im)
{
	struct imsg_hdr	 h;
	const uint8_t	*d = im->data;
	size_t		 total;

	FI_CHECK(fi_model_next(st, &h, &total) == 1);
	FI_CHECK(im->hdr.type == h.type && im->hdr.peerid == h.peerid &&
	    im->hdr.pid == h.pid);
	FI_CHECK(im->hdr.len == total && im->datalen == total - sizeof(h));
	FI_CHECK(im->datalen <= st->maxsize - IMSG_HEADER_SIZE);
	FI_CHECK(d >= st->ib.r.buf &&
	    im->datalen <= (size_t)(st->ib.r.buf + st->ib.r.end - d));
	FI_CHECK(memcmp(d, st->in + st->model + sizeof(h), im->datalen) == 0);
	FI_CHECK(imsg_expect(im, im->datalen) == 0 &&
	    imsg_expect(im, im->datalen + 1) == -1);
	if (h.len & IMSG_LEN_FD) {
		FI_CHECK(im->fd >= 0);
		FI_CHECK(fcntl(im->fd, F_GETFD) == FD_CLOEXEC);
		close(im->fd);
	} else
		FI_CHECK(im->fd == -1);
	FI_CHECK(imsg_compose(&st->wb, im->hdr.type, im->hdr.peerid,
	    im->hdr.pid, -1, im->data, im->datalen) == 0);
	st->model += total;
	st->nmsgs++;
}

/* Take every whole message; a -1 must be one the model expects. */
static void
fi_take(struct fi_state *st)
{
	struct imsg	 im;
	struct imsg_hdr	 h;
	size_t		 total;
	int		 r;

	while ((r = imsg_get(&st->ib, &im)) == 1)
		fi_check_msg(st, &im);
	if (r == 0)
		return;
	FI_CHECK(r == -1 && errno == EBADMSG);
	r = fi_model_next(st, &h, &total);
	FI_CHECK(r == -1 || (r == 1 && (h.len & IMSG_LEN_FD)));
	st->dead = 1;
}

/* Read what the socket holds, taking messages as they complete. */
static void
fi_drain(struct fi_state *st)
{
	ssize_t	 n;

	while (!st->dead && !st->eof) {
		if ((n = imsg_read(&st->ib)) == -1) {
			FI_CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
			return;
		}
		if (n == 0) {
			st->eof = 1;
			return;
		}
		FI_CHECK((size_t)n <= st->written - st->nread);
		st->nread += (size_t)n;
		FI_CHECK(st->ib.bytes_in == st->nread);
		fi_take(st);
	}
}

/* Send len bytes with nfds duplicates of /dev/null attached. */
static ssize_t
fi_send(int s, const uint8_t *buf, size_t len, int nfds)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * FI_MAX_FDS)];
	}		 cmsgbuf;
	struct cmsghdr	*cmsg;
	int		 i;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		for (i = 0; i < nfds; i++)
			memcpy(CMSG_DATA(cmsg) + (size_t)i * sizeof(int),
			    &fi_devnull, sizeof(int));
	}
	return sendmsg(s, &msg, MSG_NOSIGNAL);
}

/* Write the stream in chunks, reading between them. */
static void
fi_feed(struct fi_state *st, int s, size_t chunk, int nfds)
{
	size_t	 n, nchunks = 0;
	ssize_t	 w;

	while (st->written < st->len && !st->dead) {
		n = st->len - st->written;
		if (n > chunk)
			n = chunk;
		w = fi_send(s, st->in + st->written, n,
		    nchunks < FI_FD_CHUNKS ? nfds : 0);
		if (w == -1) {
			FI_CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
			fi_drain(st);
			continue;
		}
		st->written += (size_t)w;
		nchunks++;
		fi_drain(st);
	}
}

/* After the end of the stream: nothing read was lost or invented. */
static void
fi_finish(struct fi_state *st)
{
	struct imsg_hdr	 h;
	size_t		 total, wlen, off, woff;

	FI_CHECK(st->ib.msgs_in == st->nmsgs);
	if (!st->dead) {
		FI_CHECK(st->eof && st->nread == st->len);
		FI_CHECK(fi_model_next(st, &h, &total) == 0);
		FI_CHECK(st->ib.r.end - st->ib.r.start == st->len - st->model);
	}
	FI_CHECK(imsgbuf_queued(&st->wb) == st->model);
	for (off = 0; off < st->model; off += total) {
		woff = st->wb.w.start + off;
		memcpy(&h, st->in + off, sizeof(h));
		total = h.len & IMSG_LEN_MASK;
		h.len = (uint32_t)total;
		FI_CHECK(memcmp(st->wb.w.buf + woff, &h, sizeof(h)) == 0);
		wlen = total - sizeof(h);
		FI_CHECK(memcmp(st->wb.w.buf + woff + sizeof(h),
		    st->in + off + sizeof(h), wlen) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fi_state	 st;
	int		 sp[2], probe, after;

	if (size < 1 || size > FI_MAX_INPUT)
		return 0;
	if (fi_devnull == -1 &&
	    (fi_devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		fi_fail("open /dev/null", __LINE__);
	FI_CHECK((probe = dup(fi_devnull)) != -1);
	close(probe);
	FI_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0, sp) == 0);
	memset(&st, 0, sizeof(st));
	st.in = data + 1;
	st.len = size - 1;
	st.maxsize = fi_maxsizes[data[0] & 3];
	FI_CHECK(imsgbuf_init(&st.ib, sp[1], st.maxsize) == 0);
	FI_CHECK(imsgbuf_init(&st.wb, -1, st.maxsize) == 0);
	fi_feed(&st, sp[0], fi_chunks[data[0] >> 4],
	    fi_nfds[(data[0] >> 2) & 3]);
	close(sp[0]);
	fi_drain(&st);
	fi_finish(&st);
	imsgbuf_clear(&st.ib);
	imsgbuf_clear(&st.wb);
	close(sp[1]);
	/* Descriptors queued, dropped or handed out were all closed. */
	FI_CHECK((after = dup(fi_devnull)) == probe);
	close(after);
	return 0;
}
