/*
 * imsg on libevent: one persistent read event per pipe end, a write event
 * armed only while output is queued.  The dispatch callback gets one
 * message at a time; payload pointers are unaligned and valid only during
 * the call, so handlers copy them out with memcpy.
 */
#include <sys/types.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "imsg.h"
#include "log.h"

static void	 imsgev_cb(evutil_socket_t, short, void *);
static void	 imsgev_dead(struct imsgev *);

int
imsgev_init(struct imsgev *iev, struct event_base *base, int fd,
    size_t maxsize, imsgev_dispatch dispatch, imsgev_closed closed,
    void *arg)
{
	memset(iev, 0, sizeof(*iev));
	if (imsgbuf_init(&iev->ibuf, fd, maxsize) == -1)
		return -1;
	evutil_make_socket_nonblocking(fd);
	iev->base = base;
	iev->dispatch = dispatch;
	iev->closed = closed;
	iev->arg = arg;
	iev->ev = event_new(base, fd, EV_READ | EV_PERSIST, imsgev_cb, iev);
	if (iev->ev == NULL) {
		imsgbuf_clear(&iev->ibuf);
		return -1;
	}
	iev->events = EV_READ;
	event_add(iev->ev, NULL);
	return 0;
}

void
imsgev_clear(struct imsgev *iev)
{
	if (iev->ev != NULL) {
		event_del(iev->ev);
		event_free(iev->ev);
		iev->ev = NULL;
	}
	if (iev->ibuf.fd != -1) {
		close(iev->ibuf.fd);
		iev->ibuf.fd = -1;
	}
	imsgbuf_clear(&iev->ibuf);
}

/* Re-register the event with EV_WRITE while output is queued. */
void
imsgev_arm(struct imsgev *iev)
{
	short	 want = EV_READ;

	if (iev->dead || iev->ev == NULL)
		return;
	if (imsgbuf_queued(&iev->ibuf) > 0)
		want |= EV_WRITE;
	if (want == iev->events)
		return;
	event_del(iev->ev);
	event_assign(iev->ev, iev->base, iev->ibuf.fd, want | EV_PERSIST,
	    imsgev_cb, iev);
	event_add(iev->ev, NULL);
	iev->events = want;
}

int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t peerid,
    uint32_t pid, int fd, const void *data, size_t len)
{
	if (iev->dead) {
		if (fd != -1)
			close(fd);
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose(&iev->ibuf, type, peerid, pid, fd, data, len) == -1)
		return -1;
	imsgev_arm(iev);
	return 0;
}

void *
imsgev_reserve(struct imsgev *iev, uint32_t type, uint32_t peerid,
    uint32_t pid, size_t len)
{
	void	*p;

	if (iev->dead) {
		errno = EPIPE;
		return NULL;
	}
	if ((p = imsg_reserve(&iev->ibuf, type, peerid, pid, len)) != NULL)
		imsgev_arm(iev);
	return p;
}

/* Write synchronously what the socket takes now; used before exit. */
int
imsgev_flush(struct imsgev *iev)
{
	if (iev->dead)
		return -1;
	if (imsgbuf_write(&iev->ibuf) == -1)
		return -1;
	imsgev_arm(iev);
	return 0;
}

static void
imsgev_dead(struct imsgev *iev)
{
	iev->dead = 1;
	if (iev->ev != NULL)
		event_del(iev->ev);
	if (iev->closed != NULL)
		iev->closed(iev, iev->arg);
}

static void
imsgev_cb(evutil_socket_t fd, short what, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 im;
	ssize_t		 n;
	int		 r;

	(void)fd;
	if (what & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1) {
			log_warn("imsg write");
			imsgev_dead(iev);
			return;
		}
	}
	if (what & EV_READ) {
		n = imsg_read(&iev->ibuf);
		if (n == 0 || (n == -1 && errno != EAGAIN)) {
			if (n == -1)
				log_warn("imsg read");
			imsgev_dead(iev);
			return;
		}
		while (!iev->dead &&
		    (r = imsg_get(&iev->ibuf, &im)) != 0) {
			if (r == -1) {
				log_warnx("imsg: framing error on pipe");
				imsgev_dead(iev);
				return;
			}
			iev->dispatch(iev, &im, iev->arg);
		}
	}
	imsgev_arm(iev);
}
