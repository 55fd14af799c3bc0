/*
 * Internals of the resource layer, shared by resource*.c only.
 *
 * Every kind is described by tables of fields (struct rf_field): the JSON
 * name, where the value lives in the C struct, its type and its limits.
 * One engine (resource_field.c) decodes, encodes and frees any struct from
 * its table, so that the three can never disagree; what a table cannot
 * say (cross-field rules) lives in the check functions of
 * resource_validate.c.
 */
#ifndef TORTIE_RESOURCE_INT_H
#define TORTIE_RESOURCE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "resource.h"

enum rf_type {
	RF_SKIP,	/* apiVersion, kind: handled by the caller */
	RF_STR,		/* char * */
	RF_BOOL,	/* int */
	RF_BOOLSTR,	/* int, written true/false or "true"/"false" */
	RF_INT,		/* integer of rf_field.width */
	RF_ASN,		/* uint32_t, integer or asplain/asdot string */
	RF_DUR,		/* int64_t nanoseconds, Go duration string */
	RF_ENUM,	/* int: index in aux + 1, 0 absent */
	RF_IP,		/* struct bgpd_addr */
	RF_CIDR,	/* struct res_cidr */
	RF_IPPORT,	/* struct res_ip_port */
	RF_SEL,		/* struct res_selector */
	RF_COMM,	/* struct res_comm */
	RF_COMM1,	/* struct res_comm, written as a one-element list */
	RF_STRLIST,	/* char **, count at noff */
	RF_ASNLIST,	/* uint32_t *, count at noff */
	RF_ENUMLIST,	/* int *, count at noff */
	RF_OBJ,		/* embedded struct described by aux */
	RF_OBJLIST,	/* array of structs described by aux, count at noff */
	RF_LABELS,	/* struct sel_label *, count at noff */
	RF_DOC,		/* struct doc_node *, any map kept as written */
};

enum rf_width {
	RF_W_INT,	/* int */
	RF_W_U8,
	RF_W_U16,
	RF_W_I32,
	RF_W_U32,
};

#define RF_REQ		0x01	/* must be present */
#define RF_UNIQUE	0x02	/* lists: no duplicates */
#define RF_ALWAYS	0x04	/* encode even when zero */
#define RF_V4		0x08	/* addresses: IPv4 only */
#define RF_V6		0x10	/* addresses: IPv6 only */
#define RF_STRICT	0x20	/* CIDR: host bits must be zero */
#define RF_ICASE	0x40	/* enums: case-insensitive */
#define RF_ANNOT	0x80	/* labels: annotation rules */

#define RF_NOHAS	(-1)

struct rf_ctx;
struct rf_obj;

/* A string validator: NULL if fine, else the reason. */
typedef const char *(*rf_vstr_fn)(const char *);

struct rf_field {
	const char		*name;
	enum rf_type		 type;
	size_t			 off;
	int			 has;	/* offset of an int has_ flag */
	size_t			 noff;	/* lists: offset of the size_t count */
	int			 flags;
	enum rf_width		 width;
	int64_t			 min;	/* RF_INT: range; lists: count range */
	int64_t			 max;	/* RF_STR/RF_SEL/RF_CIDR: max length */
	const char *const	*enums;
	const struct rf_obj	*obj;
	rf_vstr_fn		 vstr;
};

typedef int (*rf_check_fn)(struct rf_ctx *, const char *,
    const struct doc_node *, void *);

struct rf_obj {
	const struct rf_field	*fields;
	size_t			 nfields;
	size_t			 size;
	rf_check_fn		 check;
};

/* Decoding state of one resource. */
struct rf_ctx {
	const char		*file;
	const char		*kind;	/* "BGPPeer" */
	const char		*name;	/* display name */
	const char		*real;	/* metadata.name if valid, or NULL */
	struct res_errors	*errs;
};

/* resource_field.c */
int		 rf_error(struct rf_ctx *, int, int, const char *,
		    const char *, ...)
		    __attribute__((__format__(printf, 5, 6)));
int		 rf_error_at(struct rf_ctx *, const struct doc_node *,
		    const char *, const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
void		 rf_errors_add(struct res_errors *, const char *);
void		 rf_path(char *, size_t, const char *, const char *);
int		 rf_decode_obj(struct rf_ctx *, const struct rf_obj *,
		    const char *, const struct doc_node *, void *);
void		 rf_encode_obj(const struct rf_obj *, const void *,
		    struct doc_node *);
void		 rf_free_obj(const struct rf_obj *, void *);

/* resource_validate.c: string validators */
const char	*rf_valid_name(const char *);
const char	*rf_valid_label_key(const char *);
const char	*rf_valid_label_value(const char *);
const char	*rf_valid_iface(const char *);
const char	*rf_valid_ignored_iface(const char *);
const char	*rf_valid_mac(const char *);
const char	*rf_valid_secret_key(const char *);
const char	*rf_valid_community(const char *);
const char	*rf_valid_ip_or_cidr(const char *);

/* resource_validate.c: cross-field checks */
int		 rf_check_node_bgp(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);
int		 rf_check_bgpconfig(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);
int		 rf_check_bgppeer(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);
int		 rf_check_filter_rule(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);
int		 rf_check_filter_op(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);
int		 rf_check_ippool(struct rf_ctx *, const char *,
		    const struct doc_node *, void *);

/* resource_tables.c */
extern const struct rf_obj	*const rf_kind_obj[RES_NKINDS];

#endif
