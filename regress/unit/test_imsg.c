/*
 * imsg framing: partial reads and writes, messages split across reads,
 * maximum size, oversize and truncated headers, fd passing.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "imsg.h"

struct pair {
	int		 sv[2];
	struct imsgbuf	 a;
	struct imsgbuf	 b;
};

static int
setup(void **state)
{
	struct pair	*p = calloc(1, sizeof(*p));

	assert_non_null(p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->sv), 0);
	fcntl(p->sv[0], F_SETFL, O_NONBLOCK);
	fcntl(p->sv[1], F_SETFL, O_NONBLOCK);
	assert_int_equal(imsgbuf_init(&p->a, p->sv[0], 1024), 0);
	assert_int_equal(imsgbuf_init(&p->b, p->sv[1], 1024), 0);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair	*p = *state;

	imsgbuf_clear(&p->a);
	imsgbuf_clear(&p->b);
	close(p->sv[0]);
	close(p->sv[1]);
	free(p);
	return 0;
}

static void
test_roundtrip(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	const char	 msg[] = "hello";

	assert_int_equal(imsg_compose(&p->a, 7, 42, 99, -1, msg,
	    sizeof(msg)), 0);
	assert_int_equal(imsg_compose(&p->a, 8, 1, 2, -1, NULL, 0), 0);
	assert_int_equal(imsgbuf_write(&p->a), 0);
	assert_int_equal(imsgbuf_queued(&p->a), 0);
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.hdr.type, 7);
	assert_int_equal(im.hdr.peerid, 42);
	assert_int_equal(im.hdr.pid, 99);
	assert_int_equal(im.datalen, sizeof(msg));
	assert_memory_equal(im.data, msg, sizeof(msg));
	assert_int_equal(im.fd, -1);
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.hdr.type, 8);
	assert_int_equal(im.datalen, 0);
	assert_int_equal(imsg_get(&p->b, &im), 0);
}

/* A message that arrives one byte at a time is only seen when whole. */
static void
test_split_reads(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	uint8_t		 payload[100];
	uint8_t		 wire[sizeof(struct imsg_hdr) + sizeof(payload)];
	struct imsg_hdr	 hdr = { 5, sizeof(wire), 3, 4 };
	size_t		 i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)i;
	memcpy(wire, &hdr, sizeof(hdr));
	memcpy(wire + sizeof(hdr), payload, sizeof(payload));
	for (i = 0; i < sizeof(wire); i++) {
		assert_int_equal(imsg_get(&p->b, &im), 0);
		assert_int_equal(write(p->sv[0], wire + i, 1), 1);
		assert_int_equal(imsg_read(&p->b), 1);
	}
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.datalen, sizeof(payload));
	assert_memory_equal(im.data, payload, sizeof(payload));
}

static void
test_max_size(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	uint8_t		 big[1024];

	memset(big, 0xab, sizeof(big));
	/* Exactly the maximum, header included, is accepted. */
	assert_int_equal(imsg_compose(&p->a, 1, 0, 0, -1, big,
	    1024 - IMSG_HEADER_SIZE), 0);
	/* One byte more is refused at the sender. */
	assert_int_equal(imsg_compose(&p->a, 1, 0, 0, -1, big,
	    1024 - IMSG_HEADER_SIZE + 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(imsgbuf_write(&p->a), 0);
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.datalen, 1024 - IMSG_HEADER_SIZE);
}

static void
test_oversize_rejected(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct imsg_hdr	 hdr = { 1, 1025, 0, 0 };

	assert_int_equal(write(p->sv[0], &hdr, sizeof(hdr)), sizeof(hdr));
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), -1);
	assert_int_equal(errno, EBADMSG);
}

static void
test_short_len_rejected(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct imsg_hdr	 hdr = { 1, 15, 0, 0 };

	assert_int_equal(write(p->sv[0], &hdr, sizeof(hdr)), sizeof(hdr));
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), -1);
}

/* A truncated header is not a message, only an incomplete one. */
static void
test_truncated_header(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct imsg_hdr	 hdr = { 1, 16, 0, 0 };

	assert_int_equal(write(p->sv[0], &hdr, 10), 10);
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), 0);
	close(p->sv[0]);
	p->sv[0] = -1;
	assert_int_equal(imsg_read(&p->b), 0);
	assert_int_equal(imsg_get(&p->b, &im), 0);
}

/* A descriptor without its message is a framing error. */
static void
test_fd_flag_without_fd(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct imsg_hdr	 hdr = { 1, 16 | IMSG_LEN_FD, 0, 0 };

	assert_int_equal(write(p->sv[0], &hdr, sizeof(hdr)), sizeof(hdr));
	assert_true(imsg_read(&p->b) > 0);
	assert_int_equal(imsg_get(&p->b, &im), -1);
}

static void
test_fd_passing(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct stat	 st1, st2;
	int		 pfd[2], i;
	char		 c;

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(fstat(pfd[0], &st1), 0);
	/* Plain messages around the one with a descriptor. */
	assert_int_equal(imsg_compose(&p->a, 1, 0, 0, -1, "x", 1), 0);
	assert_int_equal(imsg_compose(&p->a, 2, 0, 0, pfd[0], "y", 1), 0);
	assert_int_equal(imsg_compose(&p->a, 3, 0, 0, -1, "z", 1), 0);
	for (i = 0; i < 10 && imsgbuf_queued(&p->a) > 0; i++)
		assert_int_equal(imsgbuf_write(&p->a), 0);
	assert_int_equal(imsgbuf_queued(&p->a), 0);
	while (imsg_read(&p->b) > 0)
		;
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.fd, -1);
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.hdr.type, 2);
	assert_true(im.fd >= 0);
	assert_int_equal(fstat(im.fd, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	/* The passed end still works. */
	assert_int_equal(write(pfd[1], "q", 1), 1);
	assert_int_equal(read(im.fd, &c, 1), 1);
	assert_int_equal(c, 'q');
	close(im.fd);
	close(pfd[1]);
	assert_int_equal(imsg_get(&p->b, &im), 1);
	assert_int_equal(im.hdr.type, 3);
	assert_int_equal(im.fd, -1);
}

/* Back-to-back messages with descriptors each get their own. */
static void
test_fd_passing_consecutive(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	struct stat	 st[3], got;
	int		 pfd[3][2], i, r;

	for (i = 0; i < 3; i++) {
		assert_int_equal(pipe(pfd[i]), 0);
		assert_int_equal(fstat(pfd[i][0], &st[i]), 0);
		assert_int_equal(imsg_compose(&p->a, 10 + i, 0, 0, pfd[i][0],
		    NULL, 0), 0);
	}
	for (i = 0; i < 10 && imsgbuf_queued(&p->a) > 0; i++)
		assert_int_equal(imsgbuf_write(&p->a), 0);
	assert_int_equal(imsgbuf_queued(&p->a), 0);
	for (i = 0; i < 3; i++) {
		while ((r = imsg_get(&p->b, &im)) == 0)
			assert_true(imsg_read(&p->b) > 0);
		assert_int_equal(r, 1);
		assert_int_equal(im.hdr.type, 10 + i);
		assert_true(im.fd >= 0);
		assert_int_equal(fstat(im.fd, &got), 0);
		assert_int_equal(got.st_ino, st[i].st_ino);
		close(im.fd);
		close(pfd[i][1]);
	}
}

/* A burst bigger than the socket buffer leaves in partial writes. */
static void
test_partial_writes(void **state)
{
	struct pair	*p = *state;
	struct imsg	 im;
	uint32_t	 i, n = 20000, got = 0, v;

	for (i = 0; i < n; i++)
		assert_int_equal(imsg_compose(&p->a, 9, i, 0, -1, &i,
		    sizeof(i)), 0);
	while (got < n) {
		assert_int_equal(imsgbuf_write(&p->a), 0);
		while (imsg_read(&p->b) > 0)
			while (imsg_get(&p->b, &im) == 1) {
				assert_int_equal(im.hdr.peerid, got);
				assert_int_equal(im.datalen, sizeof(v));
				memcpy(&v, im.data, sizeof(v));
				assert_int_equal(v, got);
				got++;
			}
	}
	assert_int_equal(imsgbuf_queued(&p->a), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_split_reads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_max_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oversize_rejected, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_short_len_rejected,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fd_flag_without_fd,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_passing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fd_passing_consecutive,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_writes, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
