/*
 * Calico label selectors (CALICO.md section 3): parse once into a tree,
 * evaluate against many label sets, print in Calico's canonical form.
 *
 * An empty or blank selector parses as all(), as in Calico; callers that
 * give "" another meaning (a BGPPeer without nodeSelector is global) must
 * check for it before parsing.
 */
#ifndef TORTIE_SELECTOR_H
#define TORTIE_SELECTOR_H

#include <stddef.h>

/*
 * Limits against hostile input.  SEL_MAX_LEN and SEL_MAX_DEPTH hold for
 * the input and for its canonical form, so that the canonical form of a
 * selector that parsed always parses again.  Calico's own validators cap
 * BGPPeer selectors at 1024 bytes; that check belongs to the resource
 * layer.
 */
#define SEL_MAX_LEN	4096	/* bytes */
#define SEL_MAX_DEPTH	64	/* nested parentheses */
#define SEL_MAX_LABEL	512	/* bytes in a label name, as Calico */
#define SEL_ERRLEN	160	/* enough for any message of sel_parse() */

struct sel_label {
	const char	*key;
	const char	*value;		/* NULL counts as "" */
};

/*
 * A borrowed view of a label set (a Node's metadata.labels): the selector
 * code never keeps or frees it.  With duplicate keys the first one wins.
 */
struct sel_labels {
	const struct sel_label	*items;
	size_t			 count;
};

struct selector;

/* selector.c */
struct selector	*sel_parse(const char *, char *, size_t, int *);
int		 sel_match(const struct selector *, const struct sel_labels *);
char		*sel_canonical(const struct selector *);
int		 sel_uses_global(const struct selector *);
void		 sel_free(struct selector *);
const char	*sel_labels_get(const struct sel_labels *, const char *);

#endif
