/*
 * libFuzzer target for RFC 7386 merge patch on document trees
 * (common/doc.c).  The input is a target and a patch separated by a NUL
 * byte; when both parse, the result must print as JSON and YAML that parse
 * back to an equal tree, and applying the patch again changes nothing.
 *
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Icommon \
 *       regress/fuzz/fuzz_mpatch.c common/doc.c common/util.c common/log.c \
 *       $(pkg-config --cflags --libs libbsd-overlay yaml-0.1)
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_reparse(const struct doc_node *n, char *text)
{
	struct doc_node	*again;
	char		 err[256];

	again = doc_parse_one(text, strlen(text), "again", err, sizeof(err));
	if (again == NULL || !doc_equal(n, again))
		abort();
	doc_free(again);
	free(text);
}

/*
 * NaN never equals itself and JSON has no infinity, so trees holding
 * either are not compared.
 */
static int
fz_nonfinite(const struct doc_node *n)
{
	size_t	 i;

	if (n->type == DOC_FLOAT)
		return !isfinite(n->f);
	for (i = 0; n->type == DOC_LIST && i < n->n; i++)
		if (fz_nonfinite(n->items[i]))
			return 1;
	for (i = 0; n->type == DOC_MAP && i < n->n; i++)
		if (fz_nonfinite(n->pairs[i].val))
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*sep;
	struct doc_node	*t, *p, *r, *r2;
	char		 err[256];
	size_t		 tlen;

	if ((sep = memchr(data, '\0', size)) == NULL)
		return 0;
	tlen = (size_t)(sep - data);
	t = doc_parse_one((const char *)data, tlen, "t", err, sizeof(err));
	p = doc_parse_one((const char *)sep + 1, size - tlen - 1, "p", err,
	    sizeof(err));
	if (t == NULL || p == NULL) {
		doc_free(t);
		doc_free(p);
		return 0;
	}
	r = doc_merge_patch(t, p);
	if (!fz_nonfinite(r)) {
		r2 = doc_merge_patch(doc_copy(r), p);
		if (!doc_equal(r, r2))
			abort();
		doc_free(r2);
		fz_reparse(r, doc_to_json(r, 0));
		fz_reparse(r, doc_to_yaml(r));
	}
	doc_free(r);
	doc_free(p);
	return 0;
}
