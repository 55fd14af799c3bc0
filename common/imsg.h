/*
 * tortie's imsg: framed messages over a unix stream socketpair between the
 * processes of the suite, with buffered non-blocking I/O on libevent and
 * file descriptor passing (SCM_RIGHTS).
 *
 * Wire format: a 16-byte header of four host-order u32 {type, len, peerid,
 * pid} followed by len - 16 bytes of payload.  The top bit of len says that
 * the message carries a file descriptor (sent with its first byte); the
 * rest is the total length, never above the pipe's maximum message size.
 */
#ifndef TORTIE_IMSG_H
#define TORTIE_IMSG_H

#include <stddef.h>
#include <stdint.h>

struct event_base;

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;
	uint32_t	 peerid;
	uint32_t	 pid;
};
_Static_assert(sizeof(struct imsg_hdr) == 16, "imsg header size");

#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)
#define IMSG_LEN_FD		0x80000000U
#define IMSG_LEN_MASK		0x7fffffffU
#define IMSG_MAXSIZE_DEFAULT	(64 * 1024)
#define IMSG_FDQ_MAX		64

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 when none; caller owns it */
	const void	*data;		/* valid until the next imsg_read() */
	size_t		 datalen;
};

struct ibuf {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 start;		/* first unconsumed byte */
	size_t		 end;		/* one past the last byte */
};

struct imsg_fdout {
	uint64_t	 off;		/* stream offset of the message */
	int		 fd;
};

struct imsgbuf {
	int		 fd;
	size_t		 maxsize;	/* largest message, header included */
	struct ibuf	 r;
	struct ibuf	 w;
	uint64_t	 wseq;		/* stream offset of w.buf[w.start] */
	struct imsg_fdout *fdout;
	size_t		 nfdout;
	size_t		 fdoutcap;
	int		 fdin[IMSG_FDQ_MAX];
	size_t		 nfdin;
	uint64_t	 msgs_in, msgs_out, bytes_in, bytes_out;
};

/* Event wrapper: one per pipe end in an event loop. */
struct imsgev;
typedef void	(*imsgev_dispatch)(struct imsgev *, struct imsg *, void *);
typedef void	(*imsgev_closed)(struct imsgev *, void *);

struct imsgev {
	struct imsgbuf	 ibuf;
	struct event	*ev;
	struct event_base *base;
	imsgev_dispatch	 dispatch;
	imsgev_closed	 closed;
	void		*arg;
	short		 events;
	int		 dead;
};

/* imsg.c */
int	 imsgbuf_init(struct imsgbuf *, int, size_t);
void	 imsgbuf_clear(struct imsgbuf *);
int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, uint32_t, int,
	    const void *, size_t);
void	*imsg_reserve(struct imsgbuf *, uint32_t, uint32_t, uint32_t,
	    size_t);
ssize_t	 imsg_read(struct imsgbuf *);
int	 imsg_get(struct imsgbuf *, struct imsg *);
int	 imsg_parse(const uint8_t *, size_t, size_t, struct imsg_hdr *);
int	 imsgbuf_write(struct imsgbuf *);
size_t	 imsgbuf_queued(const struct imsgbuf *);
int	 imsg_expect(const struct imsg *, size_t);

/* imsg_ev.c */
int	 imsgev_init(struct imsgev *, struct event_base *, int, size_t,
	    imsgev_dispatch, imsgev_closed, void *);
void	 imsgev_clear(struct imsgev *);
int	 imsgev_compose(struct imsgev *, uint32_t, uint32_t, uint32_t, int,
	    const void *, size_t);
void	*imsgev_reserve(struct imsgev *, uint32_t, uint32_t, uint32_t,
	    size_t);
void	 imsgev_arm(struct imsgev *);
int	 imsgev_flush(struct imsgev *);

#endif
