/*
 * A streaming JSON writer into a growable buffer: no tree is built, so
 * that a million-route `show rib` costs one buffer, not a million nodes.
 *
 *	jw_init(&jw, 1);
 *	jw_obj_open(&jw, NULL);
 *	jw_str(&jw, "node", "node1");
 *	jw_arr_open(&jw, "sessions");
 *	...
 *	jw_arr_close(&jw);
 *	jw_obj_close(&jw);
 *	text = jw_finish(&jw, &len);	(caller frees)
 *
 * Inside an object every value has a key; inside an array the key is NULL.
 * Pretty output uses two-space indentation, one member per line.
 */
#ifndef TORTIE_JSONW_H
#define TORTIE_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAXDEPTH	64

struct jsonw {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	int		 pretty;
	int		 depth;
	int		 count[JW_MAXDEPTH];
};

/* jsonw.c */
void	 jw_init(struct jsonw *, int);
void	 jw_obj_open(struct jsonw *, const char *);
void	 jw_obj_close(struct jsonw *);
void	 jw_arr_open(struct jsonw *, const char *);
void	 jw_arr_close(struct jsonw *);
void	 jw_str(struct jsonw *, const char *, const char *);
void	 jw_int(struct jsonw *, const char *, int64_t);
void	 jw_uint(struct jsonw *, const char *, uint64_t);
void	 jw_bool(struct jsonw *, const char *, int);
void	 jw_null(struct jsonw *, const char *);
void	 jw_raw(struct jsonw *, const char *, const char *);
char	*jw_finish(struct jsonw *, size_t *);
void	 jw_free(struct jsonw *);
void	 jw_escape(struct jsonw *, const char *);

#endif
