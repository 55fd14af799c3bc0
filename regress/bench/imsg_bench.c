/*
 * imsg_bench: what the imsg path between two of tortie's processes
 * carries at most.  A parent writes N messages of one size into a unix
 * socketpair with imsg_compose() and imsgbuf_write(); a forked child
 * reads them with imsg_read() and imsg_get(), as sessiond and ribd do,
 * and answers with one message when it has them all.  Prints one JSON
 * line per size: messages and megabytes per second.
 *
 *   imsg_bench [-n messages] [size...]
 *
 * The sizes default to 262128 (the largest payload: the UPDATE batches
 * of a full table), 4096 and 64 (session events, XOFF/XON).  `make -C
 * regress/bench` builds it; by hand from the top of the tree:
 *
 *   cc $(make -s print-cflags) -o /tmp/imsg_bench \
 *       regress/bench/imsg_bench.c common/imsg.c $(make -s print-libs)
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"
#include "tortie.h"

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
wait_fd(int fd, short events)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = events;
	if (poll(&pfd, 1, 10000) <= 0)
		errx(1, "poll: nothing for 10 s");
}

/* The reader: count messages and bytes, answer when all are in. */
static void
reader(int fd, uint64_t n)
{
	struct imsgbuf	 ib;
	struct imsg	 im;
	uint64_t	 got = 0, bytes = 0;
	ssize_t		 r;

	if (imsgbuf_init(&ib, fd, IMSG_MAX_PIPE) == -1)
		err(1, "imsgbuf_init");
	while (got < n) {
		wait_fd(fd, POLLIN);
		if ((r = imsg_read(&ib)) == -1 && errno != EAGAIN)
			err(1, "imsg_read");
		if (r == 0)
			errx(1, "writer went away");
		while (imsg_get(&ib, &im) == 1) {
			got++;
			bytes += im.datalen;
		}
	}
	if (imsg_compose(&ib, 1, 0, 0, -1, &bytes, sizeof(bytes)) == -1 ||
	    imsgbuf_write(&ib) == -1)
		err(1, "answer");
	imsgbuf_clear(&ib);
}

static void
run(size_t size, uint64_t n)
{
	struct imsgbuf	 ib;
	struct imsg	 im;
	uint8_t		*payload;
	uint64_t	 i, t0, t1, bytes = 0;
	pid_t		 pid;
	int		 sp[2], status;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(sp[0]);
		reader(sp[1], n);
		_exit(0);
	}
	close(sp[1]);
	if ((payload = calloc(1, size)) == NULL ||
	    imsgbuf_init(&ib, sp[0], IMSG_MAX_PIPE) == -1)
		err(1, "setup");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (imsg_compose(&ib, 2, 1, 0, -1, payload, size) == -1)
			err(1, "imsg_compose");
		/* Write as a process would: when a megabyte is queued. */
		while (imsgbuf_queued(&ib) > (1 << 20) || (i == n - 1 &&
		    imsgbuf_queued(&ib) > 0)) {
			if (imsgbuf_write(&ib) == -1)
				err(1, "imsgbuf_write");
			if (imsgbuf_queued(&ib) > 0)
				wait_fd(sp[0], POLLOUT);
		}
	}
	do {
		wait_fd(sp[0], POLLIN);
		if (imsg_read(&ib) == -1 && errno != EAGAIN)
			err(1, "imsg_read");
	} while (imsg_get(&ib, &im) != 1);
	t1 = now_ns();
	memcpy(&bytes, im.data, sizeof(bytes));
	waitpid(pid, &status, 0);
	printf("{\"bench\": \"imsg\", \"size\": %zu, \"messages\": %llu, "
	    "\"seconds\": %.4f, \"msgs_per_s\": %.0f, \"mb_per_s\": %.1f}\n",
	    size, (unsigned long long)n, (double)(t1 - t0) / 1e9,
	    (double)n * 1e9 / (double)(t1 - t0),
	    (double)bytes * 1e3 / (double)(t1 - t0));
	imsgbuf_clear(&ib);
	free(payload);
}

int
main(int argc, char *argv[])
{
	const char	*errstr;
	uint64_t	 n = 0;
	size_t		 size;
	int		 ch, i;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtonum(optarg, 1, 100000000, &errstr);
			if (errstr != NULL)
				errx(1, "-n %s: %s", optarg, errstr);
			break;
		default:
			fprintf(stderr, "usage: imsg_bench [-n messages] "
			    "[size...]\n");
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		run(IMSG_MAX_PIPE - IMSG_HEADER_SIZE, n ? n : 4000);
		run(4096, n ? n : 200000);
		run(64, n ? n : 2000000);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		size = (size_t)strtonum(argv[i], 0, IMSG_MAX_PIPE -
		    IMSG_HEADER_SIZE, &errstr);
		if (errstr != NULL)
			errx(1, "size %s: %s", argv[i], errstr);
		run(size, n ? n : 100000);
	}
	return 0;
}
