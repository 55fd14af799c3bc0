/*
 * libFuzzer target for common/selector.c.  Every input either fails with a
 * message and a column inside the input, or parses; then its canonical
 * form must parse again to the same canonical form and match the same
 * label sets.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Icommon \
 *       regress/fuzz/fuzz_selector.c common/selector.c common/util.c \
 *       common/log.c $(pkg-config --cflags --libs libbsd-overlay)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "selector.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct sel_label fz_one[] = {
	{ "a", "x" }, { "b", "" }, { "x", "a" },
};

static const struct sel_label fz_two[] = {
	{ "a", "" }, { "c", "x y" }, { "k.io/n", "'\"" },
};

static const struct sel_labels fz_sets[] = {
	{ NULL, 0 },
	{ fz_one, sizeof(fz_one) / sizeof(fz_one[0]) },
	{ fz_two, sizeof(fz_two) / sizeof(fz_two[0]) },
};

static void
fz_check_error(const char *err, int col, size_t len)
{
	if (err[0] == '\0' || col < 1)
		abort();
	if ((size_t)col > len + 1 && col != SEL_MAX_LEN + 1)
		abort();
}

static void
fz_check_round_trip(const struct selector *sel)
{
	struct selector	*again;
	char		*c1, *c2, err[SEL_ERRLEN];
	size_t		 i;
	int		 col;

	c1 = sel_canonical(sel);
	if ((again = sel_parse(c1, err, sizeof(err), &col)) == NULL)
		abort();
	c2 = sel_canonical(again);
	if (strcmp(c1, c2) != 0)
		abort();
	for (i = 0; i < sizeof(fz_sets) / sizeof(fz_sets[0]); i++)
		if (sel_match(sel, &fz_sets[i]) !=
		    sel_match(again, &fz_sets[i]))
			abort();
	sel_free(again);
	free(c1);
	free(c2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selector	*sel;
	char		*text, err[SEL_ERRLEN];
	int		 col;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	sel = sel_parse(text, err, sizeof(err), &col);
	if (sel == NULL)
		fz_check_error(err, col, strlen(text));
	else
		fz_check_round_trip(sel);
	sel_free(sel);
	free(text);
	return 0;
}
