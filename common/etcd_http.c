/*
 * The HTTP client of the etcd backend (etcd.h): libevent's evhttp over
 * plain sockets or OpenSSL bufferevents, one connection per request (a
 * TLS bufferevent cannot be reconnected, and requests are few), with the
 * endpoints tried in turn on connection failure, timeout or an
 * unavailable member.
 *
 * Files are read once, when the client is made: the TLS context (CA,
 * client certificate and key) is built then and every connection shares
 * it.  A confined client (dsd, which runs without a file system) also
 * resolves endpoint names then and reads the system's CA bundle file
 * rather than letting OpenSSL look up its CA directory on demand, so that
 * nothing after etcd_client_new() opens a file or asks the resolver.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "datastore.h"
#include "datastore_etcd.h"
#include "etcd.h"
#include "log.h"
#include "util.h"

#define ETCD_DEFAULT_PORT	2379
#define ETCD_RETRY_MS		200	/* between rounds */
/*
 * A watch stream may be quiet for as long as etcd's progress interval
 * (10 minutes by default); its liveness is checked by the caller's
 * probes, so the connection itself only guards against a dead socket.
 */
#define ETCD_STREAM_IDLE_S	(15 * 60)

struct etcd_ep {
	char		*url;
	char		*host;		/* without brackets */
	char		*addr;		/* what to connect to: host or its address */
	uint16_t	 port;
	int		 tls;
	int		 is_ip;
};

struct etcd_client {
	struct etcd_ep		*ep;
	size_t			 nep;
	size_t			 cur;		/* last that answered */
	SSL_CTX			*ctx;		/* NULL: no https */
	int			 timeout_ms;
	struct event_base	*base;		/* for blocking calls */
};

struct etcd_areq {
	struct etcd_client	*c;
	size_t			 ep;
	int			 stream;
	struct etcd_areq_cb	 cb;
	struct evhttp_connection *evcon;
	struct bufferevent	*bev;		/* owned by evcon */
	struct event		*timer;
	struct evbuffer		*acc;		/* stream bytes */
	int			 status;
	int			 finished;
	int			 herr;		/* evhttp's, -1: none */
};

/* The outcome of one blocking call to one endpoint. */
struct call_res {
	int		 done;
	int		 status;
	char		*body;
	size_t		 len;
	char		 err[256];
};

static int	 ep_parse(const char *, struct etcd_ep *, char *, size_t);
static int	 ep_resolve(struct etcd_ep *, char *, size_t);
static SSL_CTX	*tls_ctx(const char *, const char *, const char *, int,
		    char *, size_t);
static int	 tls_system_cas(SSL_CTX *, int, char *, size_t);
static void	 tls_errstr(const char *, const char *, char *, size_t);
static struct bufferevent *conn_bev(struct etcd_client *, struct event_base *,
		    size_t, char *, size_t);
static void	 areq_finish(struct etcd_areq *, int, const char *, size_t,
		    const char *);
static void	 areq_fail_text(struct etcd_areq *, char *, size_t);
static int	 areq_header_cb(struct evhttp_request *, void *);
static void	 areq_chunk_cb(struct evhttp_request *, void *);
static void	 areq_done_cb(struct evhttp_request *, void *);
static void	 areq_error_cb(enum evhttp_request_error, void *);
static void	 areq_timer_cb(evutil_socket_t, short, void *);
static void	 areq_split(struct etcd_areq *);
static void	 call_done(void *, int, const char *, size_t, const char *);
static int	 call_one(struct etcd_client *, size_t, const char *,
		    const char *, struct call_res *);

/*
 * Endpoints and TLS.
 */

/* "http[s]://host[:port]" with an optional "/"; IPv6 in brackets. */
static int
ep_parse(const char *url, struct etcd_ep *ep, char *err, size_t errlen)
{
	struct evhttp_uri	*u;
	struct in6_addr		 a6;
	struct in_addr		 a4;
	const char		*scheme, *host, *path;
	int			 port, rc = -1;

	memset(ep, 0, sizeof(*ep));
	if ((u = evhttp_uri_parse_with_flags(url, 0)) == NULL) {
		snprintf(err, errlen, "endpoint %.200s: not a URL", url);
		return -1;
	}
	scheme = evhttp_uri_get_scheme(u);
	host = evhttp_uri_get_host(u);
	path = evhttp_uri_get_path(u);
	port = evhttp_uri_get_port(u);
	if (scheme == NULL || (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0))
		snprintf(err, errlen, "endpoint %.200s: expected http:// or "
		    "https://", url);
	else if (host == NULL || host[0] == '\0')
		snprintf(err, errlen, "endpoint %.200s: no host", url);
	else if (evhttp_uri_get_userinfo(u) != NULL ||
	    evhttp_uri_get_query(u) != NULL ||
	    evhttp_uri_get_fragment(u) != NULL ||
	    (path != NULL && path[0] != '\0' && strcmp(path, "/") != 0))
		snprintf(err, errlen, "endpoint %.200s: only scheme, host and "
		    "port are allowed", url);
	else if (port == 0 || port > 65535)
		snprintf(err, errlen, "endpoint %.200s: bad port", url);
	else {
		ep->url = xstrdup(url);
		ep->tls = strcasecmp(scheme, "https") == 0;
		ep->port = port == -1 ? ETCD_DEFAULT_PORT : (uint16_t)port;
		ep->host = xstrdup(host);
		ep->addr = xstrdup(host);
		ep->is_ip = inet_pton(AF_INET, host, &a4) == 1 ||
		    inet_pton(AF_INET6, host, &a6) == 1;
		rc = 0;
	}
	evhttp_uri_free(u);
	return rc;
}

/*
 * A confined client resolves a name once, at start, and keeps the first
 * address: later connections need neither /etc nor a resolver.  The name
 * itself stays in use for the Host header and the certificate check.
 */
static int
ep_resolve(struct etcd_ep *ep, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	char		 buf[INET6_ADDRSTRLEN];
	int		 rc;

	if (ep->is_ip)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(ep->host, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "endpoint %.200s: cannot resolve %.200s: "
		    "%s", ep->url, ep->host, gai_strerror(rc));
		return -1;
	}
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, buf, sizeof(buf),
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc != 0) {
		snprintf(err, errlen, "endpoint %.200s: %s", ep->url,
		    gai_strerror(rc));
		return -1;
	}
	free(ep->addr);
	ep->addr = xstrdup(buf);
	log_debug("etcd endpoint %s: %s is %s", ep->url, ep->host, ep->addr);
	return 0;
}

/* "what file: the library's reason" for a TLS setup failure. */
static void
tls_errstr(const char *what, const char *file, char *err, size_t errlen)
{
	unsigned long	 e = ERR_peek_last_error();
	char		 buf[256];

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		strlcpy(buf, "failed", sizeof(buf));
	snprintf(err, errlen, "%s %.200s: %s", what, file, buf);
	ERR_clear_error();
}

/*
 * The system's CAs.  Confined, only the bundle file (read now): the CA
 * directory is searched at verification time, which a process without a
 * file system cannot do.
 */
static int
tls_system_cas(SSL_CTX *ctx, int confined, char *err, size_t errlen)
{
	const char	*file;

	if (!confined) {
		if (SSL_CTX_set_default_verify_paths(ctx) == 1)
			return 0;
		tls_errstr("TLS", "system CAs", err, errlen);
		return -1;
	}
	if ((file = getenv(X509_get_default_cert_file_env())) == NULL)
		file = X509_get_default_cert_file();
	if (SSL_CTX_load_verify_locations(ctx, file, NULL) == 1)
		return 0;
	tls_errstr("system CA bundle", file, err, errlen);
	return -1;
}

/*
 * The TLS context: TLS 1.2 or later, the server's certificate checked
 * against ca (else the system's CAs), and our certificate and key when
 * given.  Built once per client; the name check is per connection
 * (conn_bev).
 */
static SSL_CTX *
tls_ctx(const char *ca, const char *cert, const char *key, int confined,
    char *err, size_t errlen)
{
	SSL_CTX	*ctx;

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		tls_errstr("TLS", "context", err, errlen);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (ca != NULL && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		tls_errstr("caFile", ca, err, errlen);
		goto fail;
	}
	if (ca == NULL && tls_system_cas(ctx, confined, err, errlen) == -1)
		goto fail;
	if (cert != NULL &&
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		tls_errstr("certFile", cert, err, errlen);
		goto fail;
	}
	if (cert != NULL && SSL_CTX_use_PrivateKey_file(ctx,
	    key != NULL ? key : cert, SSL_FILETYPE_PEM) != 1) {
		tls_errstr("keyFile", key != NULL ? key : cert, err, errlen);
		goto fail;
	}
	if (cert != NULL && SSL_CTX_check_private_key(ctx) != 1) {
		tls_errstr("keyFile", key != NULL ? key : cert, err, errlen);
		goto fail;
	}
	if (cert == NULL && key != NULL) {
		snprintf(err, errlen, "keyFile given without certFile");
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * A client for the endpoints (URLs), with TLS files for https ones;
 * timeout_ms bounds one request to one endpoint (0: the default).
 * confined: the client must never need a file or the resolver again
 * (see the top of this file).
 */
struct etcd_client *
etcd_client_new(const char *const *urls, int n, const char *ca,
    const char *cert, const char *key, int timeout_ms, int confined,
    char *err, size_t errlen)
{
	struct etcd_client	*c;
	int			 i, tls = 0;

	if (n <= 0 || n > DS_ETCD_MAX_ENDPOINTS) {
		snprintf(err, errlen, "%d endpoints given, 1 to %d needed",
		    n, DS_ETCD_MAX_ENDPOINTS);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->ep = xcalloc((size_t)n, sizeof(*c->ep));
	for (i = 0; i < n; i++) {
		if (urls[i] == NULL ||
		    ep_parse(urls[i], &c->ep[i], err, errlen) == -1)
			goto fail;
		c->nep++;
		if (confined && ep_resolve(&c->ep[i], err, errlen) == -1)
			goto fail;
		tls |= c->ep[i].tls;
	}
	if (tls && (c->ctx = tls_ctx(ca, cert, key, confined, err,
	    errlen)) == NULL)
		goto fail;
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : DS_ETCD_TIMEOUT_MS;
	if ((c->base = event_base_new()) == NULL) {
		snprintf(err, errlen, "event_base_new failed");
		goto fail;
	}
	/*
	 * A peer closing the connection must be an error on the write, not
	 * the end of the process (tortiectl does not ignore SIGPIPE itself).
	 */
	signal(SIGPIPE, SIG_IGN);
	return c;
fail:
	etcd_client_free(c);
	return NULL;
}

void
etcd_client_free(struct etcd_client *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nep; i++) {
		free(c->ep[i].url);
		free(c->ep[i].host);
		free(c->ep[i].addr);
	}
	free(c->ep);
	if (c->ctx != NULL)
		SSL_CTX_free(c->ctx);
	if (c->base != NULL)
		event_base_free(c->base);
	free(c);
}

size_t
etcd_endpoint_count(const struct etcd_client *c)
{
	return c->nep;
}

const char *
etcd_endpoint_url(const struct etcd_client *c, size_t i)
{
	return c->ep[i % c->nep].url;
}

size_t
etcd_endpoint_current(const struct etcd_client *c)
{
	return c->cur;
}

int
etcd_timeout_ms(const struct etcd_client *c)
{
	return c->timeout_ms;
}

/*
 * A bufferevent for endpoint i: plain, or TLS with the server's name (or
 * address) checked against its certificate.
 */
static struct bufferevent *
conn_bev(struct etcd_client *c, struct event_base *base, size_t i, char *err,
    size_t errlen)
{
	struct etcd_ep		*ep = &c->ep[i];
	struct bufferevent	*bev;
	SSL			*ssl;
	int			 opts = BEV_OPT_CLOSE_ON_FREE |
				    BEV_OPT_DEFER_CALLBACKS;

	if (!ep->tls) {
		if ((bev = bufferevent_socket_new(base, -1, opts)) == NULL)
			snprintf(err, errlen, "bufferevent_socket_new failed");
		return bev;
	}
	if ((ssl = SSL_new(c->ctx)) == NULL) {
		tls_errstr("TLS", ep->url, err, errlen);
		return NULL;
	}
	if (ep->is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    ep->host) != 1)
			goto fail;
	} else if (SSL_set_tlsext_host_name(ssl, ep->host) != 1 ||
	    SSL_set1_host(ssl, ep->host) != 1)
		goto fail;
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING, opts);
	if (bev == NULL) {
		snprintf(err, errlen, "bufferevent_openssl_socket_new failed");
		return NULL;	/* it freed ssl */
	}
	/* etcd may close without close_notify; the HTTP framing decides. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
fail:
	tls_errstr("TLS name check", ep->host, err, errlen);
	SSL_free(ssl);
	return NULL;
}

/*
 * Asynchronous requests.
 */

/*
 * POST body to path on endpoint i, on base.  stream: the reply is a
 * stream of JSON messages (watch); only the wait for its headers is
 * timed.  Otherwise the whole request is timed and the reply is at most
 * ETCD_MAX_REPLY bytes.  NULL with err when it could not even start.
 */
struct etcd_areq *
etcd_areq_start(struct etcd_client *c, struct event_base *base, size_t i,
    const char *path, const char *body, int stream,
    const struct etcd_areq_cb *cb, char *err, size_t errlen)
{
	struct etcd_areq	*a;
	struct evhttp_request	*req;
	struct evkeyvalq	*h;
	struct timeval		 tv;
	char			 host[300];

	i %= c->nep;
	a = xcalloc(1, sizeof(*a));
	a->c = c;
	a->ep = i;
	a->stream = stream;
	a->cb = *cb;
	a->herr = -1;
	if ((a->acc = evbuffer_new()) == NULL ||
	    (a->timer = evtimer_new(base, areq_timer_cb, a)) == NULL)
		fatalx("%s: out of memory", __func__);
	if ((a->bev = conn_bev(c, base, i, err, errlen)) == NULL)
		goto fail;
	a->evcon = evhttp_connection_base_bufferevent_new(base, NULL, a->bev,
	    c->ep[i].addr, c->ep[i].port);
	if (a->evcon == NULL) {
		bufferevent_free(a->bev);
		snprintf(err, errlen, "evhttp_connection_new failed");
		goto fail;
	}
	if (stream)
		evhttp_connection_set_timeout(a->evcon, ETCD_STREAM_IDLE_S);
	else {
		tv.tv_sec = c->timeout_ms / 1000;
		tv.tv_usec = (c->timeout_ms % 1000) * 1000;
		evhttp_connection_set_timeout_tv(a->evcon, &tv);
		evhttp_connection_set_max_body_size(a->evcon, ETCD_MAX_REPLY);
	}
	if ((req = evhttp_request_new(areq_done_cb, a)) == NULL)
		fatalx("%s: out of memory", __func__);
	evhttp_request_set_header_cb(req, areq_header_cb);
	evhttp_request_set_error_cb(req, areq_error_cb);
	if (stream)
		evhttp_request_set_chunked_cb(req, areq_chunk_cb);
	h = evhttp_request_get_output_headers(req);
	if (strchr(c->ep[i].host, ':') != NULL)
		snprintf(host, sizeof(host), "[%s]:%u", c->ep[i].host,
		    c->ep[i].port);
	else
		snprintf(host, sizeof(host), "%s:%u", c->ep[i].host,
		    c->ep[i].port);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Content-Type", "application/json");
	/* A member cut off from the leader must fail the watch, not idle. */
	if (stream)
		evhttp_add_header(h, "Grpc-Metadata-hasleader", "true");
	evbuffer_add(evhttp_request_get_output_buffer(req), body,
	    strlen(body));
	if (evhttp_make_request(a->evcon, req, EVHTTP_REQ_POST, path) == -1) {
		snprintf(err, errlen, "%s: cannot send the request",
		    c->ep[i].url);
		goto fail;
	}
	tv.tv_sec = c->timeout_ms / 1000;
	tv.tv_usec = (c->timeout_ms % 1000) * 1000;
	evtimer_add(a->timer, &tv);
	return a;
fail:
	etcd_areq_free(a);
	return NULL;
}

/* Not from inside one of its own callbacks. */
void
etcd_areq_free(struct etcd_areq *a)
{
	if (a == NULL)
		return;
	if (a->evcon != NULL)
		evhttp_connection_free(a->evcon);
	if (a->timer != NULL)
		event_free(a->timer);
	if (a->acc != NULL)
		evbuffer_free(a->acc);
	free(a);
}

/* Report the end once; later callbacks of the connection are ignored. */
static void
areq_finish(struct etcd_areq *a, int status, const char *body, size_t len,
    const char *err)
{
	if (a->finished)
		return;
	a->finished = 1;
	evtimer_del(a->timer);
	if (a->cb.done != NULL)
		a->cb.done(a->cb.arg, status, body, len, err);
}

/* Why there is no answer: TLS, else evhttp's reason. */
static void
areq_fail_text(struct etcd_areq *a, char *buf, size_t len)
{
	const char	*why;
	unsigned long	 e, last = 0;
	long		 vr;
	SSL		*ssl;
	char		 tls[200];

	if (a->c->ep[a->ep].tls) {
		/*
		 * The bufferevent keeps SSL_get_error()'s code (small) and
		 * the library's error queue (packed codes): the latter says
		 * more.
		 */
		while ((e = bufferevent_get_openssl_error(a->bev)) != 0)
			if (e > 0xff || last == 0)
				last = e;
		ssl = bufferevent_openssl_get_ssl(a->bev);
		vr = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
		if (vr != X509_V_OK) {
			snprintf(buf, len, "TLS: certificate verify failed: "
			    "%s", X509_verify_cert_error_string(vr));
			return;
		}
		if (last > 0xff) {
			ERR_error_string_n(last, tls, sizeof(tls));
			snprintf(buf, len, "TLS: %s", tls);
			return;
		}
		if (last == SSL_ERROR_SSL) {
			snprintf(buf, len, "TLS: protocol error");
			return;
		}
	}
	switch (a->herr) {
	case EVREQ_HTTP_TIMEOUT:
		why = "timed out";
		break;
	case EVREQ_HTTP_EOF:
		why = "connection closed";
		break;
	case EVREQ_HTTP_INVALID_HEADER:
		why = "invalid HTTP reply";
		break;
	case EVREQ_HTTP_DATA_TOO_LONG:
		why = "reply too large";
		break;
	default:
		why = "connection failed";
		break;
	}
	/* errno is gone by now (evhttp closed the socket): no details. */
	snprintf(buf, len, "%s", why);
}

static int
areq_header_cb(struct evhttp_request *req, void *arg)
{
	struct etcd_areq	*a = arg;

	if (a->finished)
		return 0;
	a->status = evhttp_request_get_response_code(req);
	if (a->stream && a->status == 200) {
		/* The stream is up: from now on the caller watches it. */
		evtimer_del(a->timer);
		if (a->cb.up != NULL)
			a->cb.up(a->cb.arg);
	}
	return 0;
}

/* Deliver every complete message of the stream buffer. */
static void
areq_split(struct etcd_areq *a)
{
	const char	*p;
	size_t		 len, start, end;
	int		 bad;

	for (;;) {
		len = evbuffer_get_length(a->acc);
		if (len == 0)
			return;
		p = (const char *)evbuffer_pullup(a->acc, -1);
		end = etcd_stream_next(p, len, &start, &bad);
		if (bad) {
			areq_finish(a, 0, NULL, 0, "watch stream: not JSON");
			return;
		}
		if (end == 0) {
			if (len - start > ETCD_MAX_STREAM_MSG)
				areq_finish(a, 0, NULL, 0, "watch stream: "
				    "message too large");
			if (start > 0)
				evbuffer_drain(a->acc, start);
			return;
		}
		if (a->cb.msg != NULL)
			a->cb.msg(a->cb.arg, p + start, end - start);
		if (a->finished)
			return;
		evbuffer_drain(a->acc, end);
	}
}

static void
areq_chunk_cb(struct evhttp_request *req, void *arg)
{
	struct etcd_areq	*a = arg;
	struct evbuffer		*in;

	in = evhttp_request_get_input_buffer(req);

	if (a->finished) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if (evbuffer_get_length(a->acc) + evbuffer_get_length(in) >
	    ETCD_MAX_STREAM_MSG + 4096) {
		evbuffer_drain(in, evbuffer_get_length(in));
		areq_finish(a, 0, NULL, 0, "watch stream: message too large");
		return;
	}
	evbuffer_add_buffer(a->acc, in);
	if (a->status == 200)
		areq_split(a);
}

static void
areq_done_cb(struct evhttp_request *req, void *arg)
{
	struct etcd_areq	*a = arg;
	struct evbuffer		*in;
	char			 why[256];
	size_t			 len;

	if (a->finished)
		return;
	if (req == NULL || evhttp_request_get_response_code(req) == 0) {
		areq_fail_text(a, why, sizeof(why));
		areq_finish(a, 0, NULL, 0, why);
		return;
	}
	a->status = evhttp_request_get_response_code(req);
	in = a->stream ? a->acc : evhttp_request_get_input_buffer(req);
	if (a->stream && a->status == 200) {
		areq_finish(a, 200, NULL, 0, "watch stream closed by the "
		    "server");
		return;
	}
	len = evbuffer_get_length(in);
	areq_finish(a, a->status, (const char *)evbuffer_pullup(in, -1), len,
	    NULL);
}

static void
areq_error_cb(enum evhttp_request_error e, void *arg)
{
	struct etcd_areq	*a = arg;

	a->herr = (int)e;
}

static void
areq_timer_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct etcd_areq	*a = arg;
	char			 why[64];

	(void)fd;
	(void)ev;
	/* Outside evhttp's callbacks: the connection can go now. */
	if (a->evcon != NULL) {
		evhttp_connection_free(a->evcon);
		a->evcon = NULL;
	}
	snprintf(why, sizeof(why), "timed out after %d ms", a->c->timeout_ms);
	areq_finish(a, 0, NULL, 0, why);
}

/*
 * Blocking calls.
 */

static void
call_done(void *arg, int status, const char *body, size_t len,
    const char *err)
{
	struct call_res	*r = arg;

	r->done = 1;
	r->status = status;
	if (err != NULL)
		strlcpy(r->err, err, sizeof(r->err));
	if (body != NULL) {
		r->body = xmalloc(len + 1);
		memcpy(r->body, body, len);
		r->body[len] = '\0';
		r->len = len;
	}
}

/* One request to endpoint i on the private loop, until it ends. */
static int
call_one(struct etcd_client *c, size_t i, const char *path, const char *body,
    struct call_res *r)
{
	struct etcd_areq_cb	 cb;
	struct etcd_areq	*a;

	memset(r, 0, sizeof(*r));
	memset(&cb, 0, sizeof(cb));
	cb.done = call_done;
	cb.arg = r;
	a = etcd_areq_start(c, c->base, i, path, body, 0, &cb, r->err,
	    sizeof(r->err));
	if (a == NULL)
		return -1;
	while (!r->done)
		if (event_base_loop(c->base, EVLOOP_ONCE) != 0)
			break;
	etcd_areq_free(a);
	if (!r->done) {
		strlcpy(r->err, "event loop failed", sizeof(r->err));
		return -1;
	}
	return r->status == 0 ? -1 : 0;
}

/*
 * One round: each endpoint once, from the one that last answered.  1:
 * no endpoint could serve (why has every reason), 2: none because of
 * TLS (certificates do not change by waiting), 0 or -1: the call's
 * result.
 */
static int
call_round(struct etcd_client *c, const char *path, const char *body,
    char **out, size_t *outlen, char *why, size_t whylen,
    struct ds_err *err)
{
	struct call_res	 r;
	char		 text[300];
	size_t		 k, i, wl = 0, ntls = 0;

	why[0] = '\0';
	for (k = 0; k < c->nep; k++) {
		i = (c->cur + k) % c->nep;
		if (call_one(c, i, path, body, &r) == 0) {
			switch (etcd_outcome(r.status, r.body, r.len)) {
			case ETCD_OK:
				c->cur = i;
				*out = r.body;
				*outlen = r.len;
				return 0;
			case ETCD_REJECTED:
				c->cur = i;
				etcd_error_text(r.status, r.body, r.len, text,
				    sizeof(text));
				ds_seterr(err, DS_EIO, "etcd %s: %s",
				    c->ep[i].url, text);
				free(r.body);
				return -1;
			case ETCD_FAILOVER:
				etcd_error_text(r.status, r.body, r.len,
				    r.err, sizeof(r.err));
				break;
			}
		}
		free(r.body);
		if (strncmp(r.err, "TLS: ", 5) == 0)
			ntls++;
		log_debug("etcd %s: %s", c->ep[i].url, r.err);
		if (wl < whylen)
			wl += (size_t)snprintf(why + wl, whylen - wl,
			    "%s%s: %s", wl > 0 ? "; " : "", c->ep[i].url,
			    r.err);
	}
	return ntls == c->nep ? 2 : 1;
}

/*
 * POST body to path.  0 with the reply (malloc'd, NUL-terminated) when
 * an endpoint answered 200; -1 with err otherwise: the server's reason
 * when it refused the request, every endpoint's when none could serve
 * it.  Rounds over the endpoints are repeated for up to the timeout,
 * because a cluster electing a new leader refuses everything for a
 * moment.  A write whose answer was lost may so be applied twice: a
 * create then reports "already exists", an update "update conflict".
 */
int
etcd_call(struct etcd_client *c, const char *path, const char *body,
    char **out, size_t *outlen, struct ds_err *err)
{
	struct timespec	 ts = { 0, ETCD_RETRY_MS * 1000 * 1000 };
	char		 why[DS_ERRLEN];
	uint64_t	 deadline = mono_ms() + (uint64_t)c->timeout_ms;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	for (;;) {
		rc = call_round(c, path, body, out, outlen, why, sizeof(why),
		    err);
		if (rc == 0 || rc == -1)
			return rc;
		if (rc == 2 || mono_ms() + ETCD_RETRY_MS >= deadline)
			break;
		nanosleep(&ts, NULL);
	}
	ds_seterr(err, DS_EIO, "etcd unreachable (%s)", why);
	return -1;
}
