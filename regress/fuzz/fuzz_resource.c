/*
 * libFuzzer target for the resource layer (common/resource*.c over
 * common/doc.c).  Every input either fails with messages that name the
 * file, or decodes; then every resource must print as YAML and as JSON,
 * and both must decode again to an equal resource.
 *
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Icommon \
 *       regress/fuzz/fuzz_resource.c common/resource*.c common/doc.c \
 *       common/selector.c common/util.c common/log.c \
 *       $(pkg-config --cflags --libs libbsd-overlay yaml-0.1)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_reparse(const struct resource *r, char *text)
{
	struct res_list		 l;
	struct res_errors	 e;

	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	if (res_parse(text, strlen(text), "again", &l, &e) != 0 ||
	    l.n != 1 || !res_equal(r, &l.items[0]))
		abort();
	res_list_free(&l);
	res_errors_free(&e);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct res_list		 l;
	struct res_errors	 e;
	size_t			 i;

	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	if (res_parse((const char *)data, size, "fuzz.yaml", &l, &e) == -1 &&
	    e.n == 0)
		abort();
	for (i = 0; i < e.n; i++)
		if (strncmp(e.msgs[i], "fuzz.yaml", 9) != 0)
			abort();
	for (i = 0; i < l.n; i++) {
		fz_reparse(&l.items[i], res_to_yaml(&l.items[i]));
		fz_reparse(&l.items[i], res_to_json(&l.items[i], 0));
	}
	res_list_free(&l);
	res_errors_free(&e);
	return 0;
}
