/*
 * A generic document tree for YAML and JSON input: null, bool, int, float,
 * string, list and map (keys in insertion order), each node remembering
 * where it was written.  The resource layer (resource.h) decodes these
 * trees into typed structs; tortiectl patches them (RFC 7386) and prints
 * them back as YAML or JSON.
 *
 * Parsing is deliberately narrow: anchors, aliases, explicit tags and
 * duplicate map keys are errors, because each of them lets a file mean
 * something other than what it appears to say (an unquoted "!has(x)"
 * selector is a tag that leaves an empty string behind).
 */
#ifndef TORTIE_DOC_H
#define TORTIE_DOC_H

#include <stddef.h>
#include <stdint.h>

enum doc_type {
	DOC_NULL,
	DOC_BOOL,
	DOC_INT,
	DOC_FLOAT,
	DOC_STRING,
	DOC_LIST,
	DOC_MAP,
};

struct doc_node;

/* One map entry; the key keeps its own position for error messages. */
struct doc_pair {
	char		*key;
	int		 line;		/* 1-based; 0 for built trees */
	int		 col;
	struct doc_node	*val;
};

/*
 * A node.  Scalars keep the text as written (after YAML unescaping and
 * folding) in raw, and whether it was quoted: a quoted scalar is always a
 * string, a plain one is resolved (null, true/false, integer, float, else
 * string), and the typed layer may still look at raw to decide, e.g. for
 * an AS number written as 64512 or "64512".  Built nodes have line 0.
 */
struct doc_node {
	enum doc_type	 type;
	int		 line;		/* 1-based; 0 for built trees */
	int		 col;
	int		 quoted;	/* scalar: quoted or block scalar */
	char		*raw;		/* scalar text; NULL for list/map */
	size_t		 rawlen;	/* strlen(raw) */
	int		 b;		/* DOC_BOOL */
	int64_t		 i;		/* DOC_INT */
	double		 f;		/* DOC_FLOAT */
	size_t		 n;		/* DOC_LIST/DOC_MAP: entries */
	size_t		 cap;
	struct doc_node	**items;	/* DOC_LIST */
	struct doc_pair	*pairs;		/* DOC_MAP, insertion order */
};

/* Limits against hostile input; zero fields take the defaults below. */
struct doc_limits {
	int		 max_depth;	/* nesting of lists and maps */
	size_t		 max_nodes;	/* nodes in the whole stream */
	size_t		 max_scalar;	/* bytes in one scalar or key */
	size_t		 max_keys;	/* entries in one map */
	size_t		 max_docs;	/* documents in the stream */
};

#define DOC_MAX_KEY		400	/* characters in one map key */
#define DOC_DEF_MAX_DEPTH	64
#define DOC_DEF_MAX_NODES	(256 * 1024)
#define DOC_DEF_MAX_SCALAR	(256 * 1024)
#define DOC_DEF_MAX_KEYS	4096
#define DOC_DEF_MAX_DOCS	(64 * 1024)

/* The documents of one YAML stream, in order. */
struct doc_stream {
	struct doc_node	**docs;
	size_t		  n;
};

/* doc.c */
int		 doc_parse(const char *, size_t, const char *,
		    const struct doc_limits *, struct doc_stream *, char *,
		    size_t);
struct doc_node	*doc_parse_one(const char *, size_t, const char *, char *,
		    size_t);
void		 doc_stream_free(struct doc_stream *);

struct doc_node	*doc_new_null(void);
struct doc_node	*doc_new_bool(int);
struct doc_node	*doc_new_int(int64_t);
struct doc_node	*doc_new_float(double);
struct doc_node	*doc_new_string(const char *);
struct doc_node	*doc_new_list(void);
struct doc_node	*doc_new_map(void);
void		 doc_free(struct doc_node *);
struct doc_node	*doc_copy(const struct doc_node *);
int		 doc_equal(const struct doc_node *, const struct doc_node *);
const char	*doc_type_name(enum doc_type);

void		 doc_list_append(struct doc_node *, struct doc_node *);
struct doc_node	*doc_map_get(const struct doc_node *, const char *);
const struct doc_pair *doc_map_pair(const struct doc_node *, const char *);
void		 doc_map_set(struct doc_node *, const char *,
		    struct doc_node *);
int		 doc_map_remove(struct doc_node *, const char *);

struct doc_node	*doc_merge_patch(struct doc_node *, const struct doc_node *);

char		*doc_to_yaml(const struct doc_node *);
char		*doc_to_json(const struct doc_node *, int);

#endif
