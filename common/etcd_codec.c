/*
 * etcd v3 JSON gateway codec: Calico's key layout, request bodies and
 * reply parsing, without I/O (etcd.h).  Everything that comes back from
 * the server is untrusted: every field's type and size is checked before
 * use, and anything unexpected is an error with a message, never a
 * crash.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "etcd.h"
#include "jsonw.h"
#include "log.h"
#include "resource.h"
#include "util.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int	 b64_val(unsigned char);
static void	 req_u64(struct jsonw *, const char *, uint64_t);
static void	 req_b64(struct jsonw *, const char *, const char *, size_t);
static void	 req_compare(struct jsonw *, const char *, const char *,
		    const char *, const char *, uint64_t);
static void	 req_get_op(struct jsonw *, const char *);
static char	*req_txn_put(const char *, const char *, size_t,
		    const uint64_t *, int);
static int	 parse_kv(const struct doc_node *, struct etcd_kv *, char *,
		    size_t);
static int	 parse_header(const struct doc_node *, uint64_t *, char *,
		    size_t);
static int	 parse_bool(const struct doc_node *, int *);
static int	 parse_txn_failure(const struct doc_node *, struct etcd_txn *,
		    char *, size_t);
static int	 parse_events(const struct doc_node *, struct etcd_wmsg *);
static int	 parse_result(const struct doc_node *, struct etcd_wmsg *);

/*
 * Base64 (RFC 4648, standard alphabet, padded), as proto3 JSON writes
 * bytes fields.
 */

char *
etcd_b64_encode(const void *data, size_t len)
{
	const unsigned char	*p = data;
	char			*out, *o;
	uint32_t		 v;
	size_t			 i;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		fatalx("%s: too long", __func__);
	o = out = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 0x3f];
		*o++ = b64_alphabet[(v >> 6) & 0x3f];
		*o++ = b64_alphabet[v & 0x3f];
	}
	if (i < len) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 0x3f];
		*o++ = i + 1 < len ? b64_alphabet[(v >> 6) & 0x3f] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode strictly: whole quads, '=' only as padding at the end.  The
 * result is NUL-terminated (not counted in *outlen) so that text can be
 * used as a string once checked for embedded NULs.
 */
int
etcd_b64_decode(const char *s, size_t len, char **outp, size_t *outlen)
{
	unsigned char	*out;
	size_t		 i, o = 0, pad = 0;
	uint32_t	 v;
	int		 j, d;

	*outp = NULL;
	*outlen = 0;
	if (len % 4 != 0)
		return -1;
	if (len > 0 && s[len - 1] == '=')
		pad = (len > 1 && s[len - 2] == '=') ? 2 : 1;
	out = xmalloc(len / 4 * 3 + 1);
	for (i = 0; i < len; i += 4) {
		v = 0;
		for (j = 0; j < 4; j++) {
			if (i + (size_t)j >= len - pad && s[i + j] == '=')
				d = 0;
			else if ((d = b64_val((unsigned char)s[i + j])) == -1)
				goto fail;
			v = v << 6 | (uint32_t)d;
		}
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	o -= pad;
	/* Bits under the padding must be zero (canonical encoding). */
	if ((pad == 1 && (b64_val((unsigned char)s[len - 2]) & 0x03)) ||
	    (pad == 2 && (b64_val((unsigned char)s[len - 3]) & 0x0f)))
		goto fail;
	out[o] = '\0';
	*outp = (char *)out;
	*outlen = o;
	return 0;
fail:
	free(out);
	return -1;
}

/*
 * Keys.
 */

/* /calico/resources/v3/projectcalico.org/<plural>/<name> */
char *
etcd_key(enum res_kind kind, const char *name)
{
	char	*k;

	xasprintf(&k, "%s%s/%s", ETCD_RES_PREFIX, res_kind_plural(kind),
	    name);
	return k;
}

char *
etcd_kind_prefix(enum res_kind kind)
{
	char	*k;

	xasprintf(&k, "%s%s/", ETCD_RES_PREFIX, res_kind_plural(kind));
	return k;
}

/*
 * The range_end that makes [prefix, end) every key with the prefix: the
 * prefix with its last byte below 0xff incremented and what follows
 * dropped.  Our prefixes are ASCII, so the result is a string.
 */
char *
etcd_prefix_end(const char *prefix)
{
	char	*end = xstrdup(prefix);
	size_t	 n = strlen(end);

	while (n > 0 && (unsigned char)end[n - 1] == 0xff)
		end[--n] = '\0';
	if (n == 0) {
		free(end);
		return xstrdup("");	/* never for our prefixes */
	}
	end[n - 1]++;
	return end;
}

/*
 * The name part of a key of kind: the key must be the kind's prefix
 * followed by a non-empty name without '/' or NUL (namespaced or
 * foreign keys under the prefix are not ours).  *name points into key.
 */
int
etcd_key_name(enum res_kind kind, const char *key, size_t keylen,
    const char **name)
{
	const char	*plural = res_kind_plural(kind);
	size_t		 pl = strlen(ETCD_RES_PREFIX);
	size_t		 kl = strlen(plural);

	*name = NULL;
	if (strlen(key) != keylen || keylen <= pl + kl + 1 ||
	    strncmp(key, ETCD_RES_PREFIX, pl) != 0 ||
	    strncmp(key + pl, plural, kl) != 0 || key[pl + kl] != '/')
		return -1;
	*name = key + pl + kl + 1;
	return strchr(*name, '/') == NULL ? 0 : -1;
}

/*
 * A Calico IPAM affinity key,
 * /calico/ipam/v2/host/<node>/ipv4|ipv6/block/<addr>-<len>: the node and
 * the block as "addr/len" (both malloc'd).  The address family of the
 * key must be the block's.
 */
int
etcd_ipam_key(const char *key, size_t keylen, char **node, char **cidr)
{
	const char	*p, *slash, *fam, *blk, *dash;
	size_t		 pl = strlen(ETCD_IPAM_HOST_PREFIX);
	int		 v6;
	char		*c;

	*node = *cidr = NULL;
	if (strlen(key) != keylen || keylen > ETCD_MAX_KEY ||
	    strncmp(key, ETCD_IPAM_HOST_PREFIX, pl) != 0)
		return -1;
	p = key + pl;
	if ((slash = strchr(p, '/')) == NULL || slash == p)
		return -1;
	fam = slash + 1;
	if (strncmp(fam, "ipv4/block/", 11) == 0)
		v6 = 0;
	else if (strncmp(fam, "ipv6/block/", 11) == 0)
		v6 = 1;
	else
		return -1;
	blk = fam + 11;
	if (*blk == '\0' || strchr(blk, '/') != NULL ||
	    (dash = strrchr(blk, '-')) == NULL || dash == blk ||
	    dash[1] == '\0' || (strchr(blk, ':') != NULL) != v6)
		return -1;
	c = xstrdup(blk);
	c[dash - blk] = '/';
	*cidr = c;
	*node = strndup(p, (size_t)(slash - p));
	if (*node == NULL)
		fatal("%s", __func__);
	return 0;
}

/* Calico's name of a block affinity: "<node>-<cidr>", '.', ':', '/' -> '-'. */
char *
etcd_affinity_name(const char *node, const char *cidr)
{
	char	*n, *p;

	xasprintf(&n, "%s-%s", node, cidr);
	for (p = n + strlen(node) + 1; *p != '\0'; p++)
		if (*p == '.' || *p == ':' || *p == '/')
			*p = '-';
	return n;
}

/*
 * The BlockAffinity resource that an IPAM affinity key stands for.  The
 * value is {"state": "confirmed"|"pending"|"pendingDeletion",
 * "deleted": false}; state may be absent in old data (implicitly
 * confirmed) and deleted may be a bool or Calico v3's "true"/"false".
 */
struct doc_node *
etcd_affinity_doc(const char *node, const char *cidr, const char *value,
    size_t vlen, char *err, size_t errlen)
{
	struct doc_node	*v, *doc, *meta, *spec, *state, *del;
	char		*name;
	int		 deleted = 0;

	if ((v = etcd_json_parse(value, vlen, err, errlen)) == NULL)
		return NULL;
	state = doc_map_get(v, "state");
	del = doc_map_get(v, "deleted");
	if (state != NULL && state->type != DOC_STRING &&
	    state->type != DOC_NULL) {
		snprintf(err, errlen, "state: expected a string");
		goto fail;
	}
	if (del != NULL && del->type == DOC_BOOL)
		deleted = del->b;
	else if (del != NULL && del->type == DOC_STRING &&
	    (strcmp(del->raw, "true") == 0 || strcmp(del->raw, "false") == 0))
		deleted = strcmp(del->raw, "true") == 0;
	else if (del != NULL && del->type != DOC_NULL) {
		snprintf(err, errlen, "deleted: expected true or false");
		goto fail;
	}
	doc = doc_new_map();
	doc_map_set(doc, "apiVersion", doc_new_string(RES_API_VERSION));
	doc_map_set(doc, "kind", doc_new_string("BlockAffinity"));
	meta = doc_new_map();
	name = etcd_affinity_name(node, cidr);
	doc_map_set(meta, "name", doc_new_string(name));
	free(name);
	doc_map_set(doc, "metadata", meta);
	spec = doc_new_map();
	if (state != NULL && state->type == DOC_STRING && state->raw[0] != '\0')
		doc_map_set(spec, "state", doc_new_string(state->raw));
	doc_map_set(spec, "node", doc_new_string(node));
	doc_map_set(spec, "cidr", doc_new_string(cidr));
	doc_map_set(spec, "deleted", doc_new_string(deleted ? "true" :
	    "false"));
	doc_map_set(doc, "spec", spec);
	doc_free(v);
	return doc;
fail:
	doc_free(v);
	return NULL;
}

/* Whether a change of key can change what tortie loads. */
int
etcd_relevant_key(const char *key)
{
	const char	*name;
	char		*node, *cidr;
	int		 k;

	for (k = 0; k < RES_NKINDS; k++)
		if (etcd_key_name((enum res_kind)k, key, strlen(key),
		    &name) == 0)
			return 1;
	if (etcd_ipam_key(key, strlen(key), &node, &cidr) == 0) {
		free(node);
		free(cidr);
		return 1;
	}
	return 0;
}

/*
 * Request bodies.
 */

static void
req_u64(struct jsonw *jw, const char *field, uint64_t v)
{
	char	 buf[24];

	/* proto3 JSON: 64-bit integers as decimal strings. */
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	jw_str(jw, field, buf);
}

static void
req_b64(struct jsonw *jw, const char *field, const char *data, size_t len)
{
	char	*b = etcd_b64_encode(data, len);

	jw_str(jw, field, b);
	free(b);
}

/*
 * Range over [key, end) (end NULL: the key alone), at revision rev (0:
 * the latest), at most limit keys (0: no limit); count_only asks for the
 * header and count alone.  The key has a length: the next page of a
 * range starts at the last key plus a NUL byte.
 */
char *
etcd_req_range(const char *key, size_t keylen, const char *end, uint64_t rev,
    int limit, int count_only)
{
	struct jsonw	 jw;

	jw_init(&jw, 0);
	jw_obj_open(&jw, NULL);
	req_b64(&jw, "key", key, keylen);
	if (end != NULL)
		req_b64(&jw, "range_end", end, strlen(end));
	if (rev != 0)
		req_u64(&jw, "revision", rev);
	if (limit > 0)
		req_u64(&jw, "limit", (uint64_t)limit);
	if (count_only)
		jw_bool(&jw, "count_only", 1);
	jw_obj_close(&jw);
	return jw_finish(&jw, NULL);
}

/* One compare of a txn: target CREATE|MOD, result EQUAL|GREATER. */
static void
req_compare(struct jsonw *jw, const char *key, const char *target,
    const char *result, const char *field, uint64_t v)
{
	jw_obj_open(jw, NULL);
	req_b64(jw, "key", key, strlen(key));
	jw_str(jw, "target", target);
	jw_str(jw, "result", result);
	req_u64(jw, field, v);
	jw_obj_close(jw);
}

/* A txn's failure branch reads the key, to tell absent from stale. */
static void
req_get_op(struct jsonw *jw, const char *key)
{
	jw_arr_open(jw, "failure");
	jw_obj_open(jw, NULL);
	jw_obj_open(jw, "request_range");
	req_b64(jw, "key", key, strlen(key));
	jw_obj_close(jw);
	jw_obj_close(jw);
	jw_arr_close(jw);
}

/*
 * A conditional put: create (the key must not exist: create_revision ==
 * 0) or update (it must exist: create_revision > 0, and with expect its
 * mod_revision must be *expect).
 */
static char *
req_txn_put(const char *key, const char *value, size_t vlen,
    const uint64_t *expect, int create)
{
	struct jsonw	 jw;

	jw_init(&jw, 0);
	jw_obj_open(&jw, NULL);
	jw_arr_open(&jw, "compare");
	req_compare(&jw, key, "CREATE", create ? "EQUAL" : "GREATER",
	    "create_revision", 0);
	if (expect != NULL)
		req_compare(&jw, key, "MOD", "EQUAL", "mod_revision", *expect);
	jw_arr_close(&jw);
	jw_arr_open(&jw, "success");
	jw_obj_open(&jw, NULL);
	jw_obj_open(&jw, "request_put");
	req_b64(&jw, "key", key, strlen(key));
	req_b64(&jw, "value", value, vlen);
	jw_obj_close(&jw);
	jw_obj_close(&jw);
	jw_arr_close(&jw);
	req_get_op(&jw, key);
	jw_obj_close(&jw);
	return jw_finish(&jw, NULL);
}

char *
etcd_req_create(const char *key, const char *value, size_t vlen)
{
	return req_txn_put(key, value, vlen, NULL, 1);
}

char *
etcd_req_update(const char *key, const char *value, size_t vlen,
    const uint64_t *expect)
{
	return req_txn_put(key, value, vlen, expect, 0);
}

/* Delete key if it exists (and, with expect, is at that revision). */
char *
etcd_req_delete(const char *key, const uint64_t *expect)
{
	struct jsonw	 jw;

	jw_init(&jw, 0);
	jw_obj_open(&jw, NULL);
	jw_arr_open(&jw, "compare");
	req_compare(&jw, key, "CREATE", "GREATER", "create_revision", 0);
	if (expect != NULL)
		req_compare(&jw, key, "MOD", "EQUAL", "mod_revision", *expect);
	jw_arr_close(&jw);
	jw_arr_open(&jw, "success");
	jw_obj_open(&jw, NULL);
	jw_obj_open(&jw, "request_delete_range");
	req_b64(&jw, "key", key, strlen(key));
	jw_obj_close(&jw);
	jw_obj_close(&jw);
	jw_arr_close(&jw);
	req_get_op(&jw, key);
	jw_obj_close(&jw);
	return jw_finish(&jw, NULL);
}

/*
 * The body of a watch stream: one create_request for [key, end) from
 * revision start (0: from now), with progress notifications, so that a
 * quiet watch still learns the revision it has reached.  One stream
 * carries one watch: etcd's gateway may answer before it has read a
 * second request from the body, and then never reads it.
 */
char *
etcd_req_watch(const char *key, const char *end, uint64_t start)
{
	struct jsonw	 jw;

	jw_init(&jw, 0);
	jw_obj_open(&jw, NULL);
	jw_obj_open(&jw, "create_request");
	req_b64(&jw, "key", key, strlen(key));
	req_b64(&jw, "range_end", end, strlen(end));
	if (start != 0)
		req_u64(&jw, "start_revision", start);
	jw_bool(&jw, "progress_notify", 1);
	jw_obj_close(&jw);
	jw_obj_close(&jw);
	return jw_finish(&jw, NULL);
}

/*
 * The range one watch must cover: from the IPAM affinities to the end
 * of the last kind's prefix.  Calico's keys in between (other resource
 * kinds) are filtered out by etcd_relevant_key(); the busiest ones
 * (workload endpoints, profiles, IPAM blocks and handles) sort outside.
 */
void
etcd_watch_range(char **key, char **end)
{
	char	*p, *e;
	int	 k;

	*key = xstrdup(ETCD_IPAM_HOST_PREFIX);
	*end = NULL;
	for (k = 0; k < RES_NKINDS; k++) {
		p = etcd_kind_prefix((enum res_kind)k);
		e = etcd_prefix_end(p);
		free(p);
		if (*end == NULL || strcmp(e, *end) > 0) {
			free(*end);
			*end = e;
		} else
			free(e);
	}
}

/*
 * Replies.
 */

/*
 * Parse one JSON object from the server.  doc.c reads JSON as the YAML
 * it is; the limits are sized for a page of a range reply with values
 * up to ETCD_MAX_VALUE bytes, base64-encoded.
 */
struct doc_node *
etcd_json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct doc_limits	 lim;
	struct doc_stream	 s;
	struct doc_node		*n;

	memset(&lim, 0, sizeof(lim));
	lim.max_scalar = ETCD_MAX_VALUE / 3 * 4 + 8;
	lim.max_nodes = 1024 * 1024;
	lim.max_docs = 1;
	if (len == 0 || len > ETCD_MAX_REPLY) {
		snprintf(err, errlen, "reply of %zu bytes", len);
		return NULL;
	}
	if (buf[0] != '{') {
		snprintf(err, errlen, "reply is not a JSON object");
		return NULL;
	}
	if (doc_parse(buf, len, "etcd", &lim, &s, err, errlen) == -1)
		return NULL;
	if (s.n != 1 || s.docs[0]->type != DOC_MAP) {
		snprintf(err, errlen, "reply is not one JSON object");
		doc_stream_free(&s);
		return NULL;
	}
	n = s.docs[0];
	s.n = 0;
	doc_stream_free(&s);
	return n;
}

/* A proto3 uint64/int64: absent is 0; a decimal string or integer. */
int
etcd_u64(const struct doc_node *n, uint64_t *v)
{
	const char	*s;
	size_t		 i, len;

	*v = 0;
	if (n == NULL || n->type == DOC_NULL)
		return 0;
	if (n->type == DOC_INT)
		return n->i < 0 ? -1 : (*v = (uint64_t)n->i, 0);
	if (n->type != DOC_STRING || (len = n->rawlen) == 0 || len > 20)
		return -1;
	s = n->raw;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    *v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static int
parse_bool(const struct doc_node *n, int *b)
{
	*b = 0;
	if (n == NULL || n->type == DOC_NULL)
		return 0;
	if (n->type != DOC_BOOL)
		return -1;
	*b = n->b;
	return 0;
}

static int
parse_header(const struct doc_node *reply, uint64_t *rev, char *err,
    size_t errlen)
{
	const struct doc_node	*h = doc_map_get(reply, "header");

	if (h == NULL || h->type != DOC_MAP ||
	    etcd_u64(doc_map_get(h, "revision"), rev) == -1 || *rev == 0) {
		snprintf(err, errlen, "reply without a valid header revision");
		return -1;
	}
	return 0;
}

void
etcd_kv_free(struct etcd_kv *kv)
{
	free(kv->key);
	free(kv->value);
	memset(kv, 0, sizeof(*kv));
}

/* One mvccpb.KeyValue. */
static int
parse_kv(const struct doc_node *n, struct etcd_kv *kv, char *err,
    size_t errlen)
{
	const struct doc_node	*k, *v;

	memset(kv, 0, sizeof(*kv));
	if (n == NULL || n->type != DOC_MAP) {
		snprintf(err, errlen, "key-value is not an object");
		return -1;
	}
	k = doc_map_get(n, "key");
	v = doc_map_get(n, "value");
	if (k == NULL || k->type != DOC_STRING ||
	    k->rawlen > ETCD_MAX_KEY / 3 * 4 + 4 ||
	    etcd_b64_decode(k->raw, k->rawlen, &kv->key, &kv->keylen) == -1 ||
	    kv->keylen == 0) {
		snprintf(err, errlen, "key-value with a bad key");
		goto fail;
	}
	if (v != NULL && v->type != DOC_STRING) {
		snprintf(err, errlen, "key-value with a bad value");
		goto fail;
	}
	if (etcd_b64_decode(v != NULL ? v->raw : "", v != NULL ? v->rawlen : 0,
	    &kv->value, &kv->vlen) == -1) {
		snprintf(err, errlen, "key-value with a bad value");
		goto fail;
	}
	if (etcd_u64(doc_map_get(n, "create_revision"), &kv->create_rev) ==
	    -1 || etcd_u64(doc_map_get(n, "mod_revision"), &kv->mod_rev) ==
	    -1 || etcd_u64(doc_map_get(n, "version"), &kv->version) == -1) {
		snprintf(err, errlen, "key-value with a bad revision");
		goto fail;
	}
	return 0;
fail:
	etcd_kv_free(kv);
	return -1;
}

/* The kvs list of a RangeResponse object into out. */
static int
parse_range_obj(const struct doc_node *r, struct etcd_range *out, char *err,
    size_t errlen)
{
	const struct doc_node	*kvs = doc_map_get(r, "kvs");
	size_t			 i;

	if (parse_bool(doc_map_get(r, "more"), &out->more) == -1) {
		snprintf(err, errlen, "range reply: bad 'more'");
		return -1;
	}
	if (kvs == NULL || kvs->type == DOC_NULL)
		return 0;
	if (kvs->type != DOC_LIST) {
		snprintf(err, errlen, "range reply: kvs is not a list");
		return -1;
	}
	out->kvs = xcalloc(kvs->n + 1, sizeof(*out->kvs));
	for (i = 0; i < kvs->n; i++) {
		if (parse_kv(kvs->items[i], &out->kvs[i], err, errlen) == -1)
			return -1;
		out->n++;
	}
	return 0;
}

void
etcd_range_free(struct etcd_range *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		etcd_kv_free(&r->kvs[i]);
	free(r->kvs);
	memset(r, 0, sizeof(*r));
}

int
etcd_parse_range(const char *buf, size_t len, struct etcd_range *out,
    char *err, size_t errlen)
{
	struct doc_node	*d;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((d = etcd_json_parse(buf, len, err, errlen)) == NULL)
		return -1;
	if (parse_header(d, &out->rev, err, errlen) == 0 &&
	    parse_range_obj(d, out, err, errlen) == 0)
		rc = 0;
	doc_free(d);
	if (rc == -1)
		etcd_range_free(out);
	return rc;
}

/* The header revision alone (put, deleterange, count-only range). */
int
etcd_parse_rev(const char *buf, size_t len, uint64_t *rev, char *err,
    size_t errlen)
{
	struct doc_node	*d;
	int		 rc;

	*rev = 0;
	if ((d = etcd_json_parse(buf, len, err, errlen)) == NULL)
		return -1;
	rc = parse_header(d, rev, err, errlen);
	doc_free(d);
	return rc;
}

/* A failed txn's responses: [{"response_range": {...}}]. */
static int
parse_txn_failure(const struct doc_node *d, struct etcd_txn *out, char *err,
    size_t errlen)
{
	const struct doc_node	*rs = doc_map_get(d, "responses"), *rr;
	struct etcd_range	 r;

	if (rs == NULL || rs->type != DOC_LIST || rs->n != 1 ||
	    (rr = doc_map_get(rs->items[0], "response_range")) == NULL ||
	    rr->type != DOC_MAP) {
		snprintf(err, errlen, "txn reply without the key's state");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	if (parse_range_obj(rr, &r, err, errlen) == -1) {
		etcd_range_free(&r);
		return -1;
	}
	if (r.n > 0) {
		out->found = 1;
		out->found_rev = r.kvs[0].mod_rev;
	}
	etcd_range_free(&r);
	return 0;
}

int
etcd_parse_txn(const char *buf, size_t len, struct etcd_txn *out, char *err,
    size_t errlen)
{
	struct doc_node	*d;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((d = etcd_json_parse(buf, len, err, errlen)) == NULL)
		return -1;
	if (parse_header(d, &out->rev, err, errlen) == -1)
		goto done;
	if (parse_bool(doc_map_get(d, "succeeded"), &out->succeeded) == -1) {
		snprintf(err, errlen, "txn reply: bad 'succeeded'");
		goto done;
	}
	if (!out->succeeded && parse_txn_failure(d, out, err, errlen) == -1)
		goto done;
	rc = 0;
done:
	doc_free(d);
	return rc;
}

/*
 * The watch stream.
 */

void
etcd_wmsg_free(struct etcd_wmsg *m)
{
	size_t	 i;

	for (i = 0; i < m->nevents; i++)
		free(m->keys[i]);
	free(m->keys);
	memset(m, 0, sizeof(*m));
}

static int
parse_events(const struct doc_node *evs, struct etcd_wmsg *m)
{
	const struct doc_node	*ev, *type;
	struct etcd_kv		 kv;
	char			 err[128];
	size_t			 i;

	if (evs == NULL || evs->type == DOC_NULL)
		return 0;
	if (evs->type != DOC_LIST)
		return -1;
	m->keys = xcalloc(evs->n + 1, sizeof(*m->keys));
	for (i = 0; i < evs->n; i++) {
		ev = evs->items[i];
		if (ev->type != DOC_MAP)
			return -1;
		type = doc_map_get(ev, "type");
		if (type != NULL && (type->type != DOC_STRING ||
		    (strcmp(type->raw, "PUT") != 0 &&
		    strcmp(type->raw, "DELETE") != 0)))
			return -1;
		if (parse_kv(doc_map_get(ev, "kv"), &kv, err,
		    sizeof(err)) == -1)
			return -1;
		m->last_mod_rev = kv.mod_rev;
		m->keys[m->nevents++] = kv.key;
		kv.key = NULL;
		etcd_kv_free(&kv);
	}
	return 0;
}

/* A WatchResponse; a cancel may come without a header revision. */
static int
parse_result(const struct doc_node *r, struct etcd_wmsg *m)
{
	const struct doc_node	*reason, *h;

	if (r->type != DOC_MAP)
		return -1;
	h = doc_map_get(r, "header");
	if ((h != NULL && h->type != DOC_MAP) ||
	    etcd_u64(doc_map_get(h, "revision"), &m->rev) == -1 ||
	    etcd_u64(doc_map_get(r, "watch_id"), &m->watch_id) == -1 ||
	    parse_bool(doc_map_get(r, "created"), &m->created) == -1 ||
	    parse_bool(doc_map_get(r, "canceled"), &m->canceled) == -1 ||
	    etcd_u64(doc_map_get(r, "compact_revision"), &m->compact_rev) ==
	    -1)
		return -1;
	reason = doc_map_get(r, "cancel_reason");
	if (reason != NULL && reason->type == DOC_STRING)
		strlcpy(m->msg, reason->raw, sizeof(m->msg));
	return parse_events(doc_map_get(r, "events"), m);
}

/*
 * One message of the stream: {"result": WatchResponse} or, when the
 * stream fails, {"error": {"message": ..., ...}}.
 */
int
etcd_parse_wmsg(const char *buf, size_t len, struct etcd_wmsg *m)
{
	struct doc_node		*d, *r, *msg;
	char			 err[256];
	int			 rc = -1;

	memset(m, 0, sizeof(*m));
	if ((d = etcd_json_parse(buf, len, err, sizeof(err))) == NULL) {
		snprintf(m->msg, sizeof(m->msg), "watch: %.200s", err);
		return -1;
	}
	if ((r = doc_map_get(d, "result")) != NULL) {
		if ((rc = parse_result(r, m)) == -1) {
			etcd_wmsg_free(m);
			snprintf(m->msg, sizeof(m->msg), "watch: bad message");
		}
	} else if ((r = doc_map_get(d, "error")) != NULL) {
		m->is_error = 1;
		msg = doc_map_get(r, "message");
		snprintf(m->msg, sizeof(m->msg), "%s",
		    msg != NULL && msg->type == DOC_STRING ? msg->raw :
		    "watch stream failed");
		rc = 0;
	} else
		snprintf(m->msg, sizeof(m->msg), "watch: unknown message");
	doc_free(d);
	return rc;
}

/*
 * Errors.
 */

/*
 * The text of an error reply, {"error": ..., "message": ..., "code": N}
 * (gRPC status code), or the HTTP status when the body says nothing.
 */
void
etcd_error_text(int status, const char *body, size_t len, char *out,
    size_t outlen)
{
	struct doc_node	*d = NULL, *msg;
	char		 err[64];
	uint64_t	 code = 0;

	if (body != NULL && len > 0)
		d = etcd_json_parse(body, len, err, sizeof(err));
	msg = doc_map_get(d, "message");
	if (msg == NULL || msg->type != DOC_STRING || msg->raw[0] == '\0')
		msg = doc_map_get(d, "error");
	if (msg != NULL && msg->type == DOC_STRING && msg->raw[0] != '\0') {
		if (etcd_u64(doc_map_get(d, "code"), &code) == 0 && code != 0)
			snprintf(out, outlen, "%.200s (code %" PRIu64 ")",
			    msg->raw, code);
		else
			snprintf(out, outlen, "%.200s", msg->raw);
	} else
		snprintf(out, outlen, "HTTP status %d", status);
	doc_free(d);
}

/*
 * What a reply means for the call: 200 is an answer; a server error or
 * one of gRPC's Unavailable (14), DeadlineExceeded (4) or Aborted (10)
 * means "this member cannot serve now" (no leader, leader changed,
 * request timed out) and another endpoint may; anything else is the
 * server's answer to this request and would be the same elsewhere.
 */
enum etcd_outcome
etcd_outcome(int status, const char *body, size_t len)
{
	struct doc_node	*d = NULL;
	char		 err[64];
	uint64_t	 code = 0;

	if (status == 200)
		return ETCD_OK;
	if (status >= 500 || status <= 0)
		return ETCD_FAILOVER;
	if (body != NULL && len > 0 &&
	    (d = etcd_json_parse(body, len, err, sizeof(err))) != NULL)
		etcd_u64(doc_map_get(d, "code"), &code);
	doc_free(d);
	return (code == 14 || code == 4 || code == 10) ? ETCD_FAILOVER :
	    ETCD_REJECTED;
}

/*
 * Messages of the watch stream are JSON objects one after the other
 * (newline-separated, but chunk boundaries fall anywhere).  Find the
 * first complete object in buf: *start is where it begins (after
 * whitespace), the return value where it ends (0: incomplete).  *bad is
 * set when the data is not a stream of objects at all.
 */
size_t
etcd_stream_next(const char *buf, size_t len, size_t *start, int *bad)
{
	uint64_t	 arrays = 0;	/* bit per level: 1 for '[' */
	size_t		 i;
	int		 depth = 0, instr = 0, esc = 0, arr;

	*bad = 0;
	for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\n' ||
	    buf[i] == '\r' || buf[i] == '\t'); i++)
		;
	*start = i;
	if (i == len)
		return 0;
	if (buf[i] != '{') {
		*bad = 1;
		return 0;
	}
	for (; i < len; i++) {
		if (instr) {
			if (esc)
				esc = 0;
			else if (buf[i] == '\\')
				esc = 1;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		if (buf[i] == '"')
			instr = 1;
		else if (buf[i] == '{' || buf[i] == '[') {
			/* Deeper than doc.c would take anyway. */
			if (depth == 64) {
				*bad = 1;
				return 0;
			}
			arrays = arrays << 1 | (buf[i] == '[');
			depth++;
		} else if (buf[i] == '}' || buf[i] == ']') {
			arr = buf[i] == ']';
			if ((int)(arrays & 1) != arr) {
				*bad = 1;
				return 0;
			}
			arrays >>= 1;
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}
