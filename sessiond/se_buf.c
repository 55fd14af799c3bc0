/*
 * Byte queues for the connections of sessiond: append at the end,
 * consume from the front, compact lazily so that a steady stream of
 * small writes does not move the whole queue each time.
 */
#include <stdlib.h>
#include <string.h>

#include "se.h"

/* Make room for n more octets after the pending ones. */
int
se_buf_reserve(struct se_buf *b, size_t n)
{
	uint8_t	*nd;
	size_t	 ncap;

	if (b->off > 0 && (b->len == 0 || b->off + b->len + n > b->cap)) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	if (b->len + n <= b->cap)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		return -1;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + n)
		ncap *= 2;
	if ((nd = realloc(b->data, ncap)) == NULL)
		return -1;
	b->data = nd;
	b->cap = ncap;
	return 0;
}

int
se_buf_append(struct se_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (se_buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->data + b->off + b->len, p, n);
	b->len += n;
	return 0;
}

void
se_buf_consume(struct se_buf *b, size_t n)
{
	if (n >= b->len) {
		b->off = 0;
		b->len = 0;
		return;
	}
	b->off += n;
	b->len -= n;
}

void
se_buf_free(struct se_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
