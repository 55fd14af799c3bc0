/*
 * Values of the Calico resource model (AS numbers, Go durations,
 * communities, addresses with ports) and Calico's defaults.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "resource.h"
#include "util.h"

static int	 parse_uint(const char *, size_t, uint64_t, uint64_t *);
static void	 fmt_frac(char *, size_t, uint64_t, int);

/* Decimal digits only (no sign, no space), at most max. */
static int
parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* asplain "64512" or asdot "1.10" (each part 0..65535). */
int
res_asn_parse(const char *s, uint32_t *asn)
{
	const char	*dot = strchr(s, '.');
	uint64_t	 hi, lo;

	if (dot == NULL) {
		if (parse_uint(s, strlen(s), UINT32_MAX, &lo) == -1)
			return -1;
		*asn = (uint32_t)lo;
		return 0;
	}
	if (parse_uint(s, (size_t)(dot - s), 65535, &hi) == -1 ||
	    parse_uint(dot + 1, strlen(dot + 1), 65535, &lo) == -1)
		return -1;
	*asn = (uint32_t)(hi << 16 | lo);
	return 0;
}

/*
 * Go's time.ParseDuration: a sequence of decimal numbers with optional
 * fraction and a unit (ns, us, µs, ms, s, m, h), optionally signed; "0"
 * alone needs no unit.  Overflow of int64 nanoseconds is an error.
 */
int
res_duration_parse(const char *s, int64_t *out)
{
	static const struct {
		const char	*name;
		uint64_t	 ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 },
		{ "\xce\xbcs", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL },
	};
	uint64_t	 d = 0, v, f, scale, unit;
	size_t		 i, ulen;
	int		 neg = 0, pre, post;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		v = 0;
		for (pre = 0; *s >= '0' && *s <= '9'; s++, pre = 1) {
			if (v > (UINT64_MAX >> 1) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*s - '0');
		}
		f = 0;
		scale = 1;
		post = 0;
		if (*s == '.') {
			for (s++; *s >= '0' && *s <= '9'; s++, post = 1) {
				/* Digits beyond int64 precision: dropped. */
				if (scale > UINT64_MAX / 100)
					continue;
				f = f * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
		}
		if (!pre && !post)
			return -1;
		for (ulen = 0; s[ulen] != '\0' && s[ulen] != '.' &&
		    (s[ulen] < '0' || s[ulen] > '9'); ulen++)
			;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].name) == ulen &&
			    strncmp(s, units[i].name, ulen) == 0)
				break;
		if (ulen == 0 || i == sizeof(units) / sizeof(units[0]))
			return -1;
		s += ulen;
		unit = units[i].ns;
		if (v > ((uint64_t)INT64_MAX + 1) / unit)
			return -1;
		v *= unit;
		/* f < scale, so this adds less than one unit. */
		if (f > 0)
			v += (uint64_t)((double)f * ((double)unit /
			    (double)scale));
		if (v > (uint64_t)INT64_MAX + 1 - d)
			return -1;
		d += v;
	}
	if (!neg && d > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? (int64_t)(0 - d) : (int64_t)d;
	return 0;
}

/* v / 10^prec with the fraction's trailing zeros dropped. */
static void
fmt_frac(char *buf, size_t len, uint64_t v, int prec)
{
	uint64_t	 p = 1, frac;
	char		 fb[32];
	int		 i, n;

	for (i = 0; i < prec; i++)
		p *= 10;
	frac = v % p;
	if (frac == 0) {
		snprintf(buf, len, "%" PRIu64, v / p);
		return;
	}
	/* prec is at most 9 (nanoseconds): the digits always fit. */
	if (prec < 1 || prec > 9)
		fatalx("%s: bad precision %d", __func__, prec);
	if (snprintf(fb, sizeof(fb), "%0*" PRIu64, prec, frac) >=
	    (int)sizeof(fb))
		fatalx("%s: buffer too small", __func__);
	for (n = prec; n > 0 && fb[n - 1] == '0'; n--)
		fb[n - 1] = '\0';
	if (snprintf(buf, len, "%" PRIu64 ".%s", v / p, fb) >= (int)len)
		fatalx("%s: buffer too small", __func__);
}

/* As Go's Duration.String(): "1m30s", "4m0s", "1h0m0s", "500ms". */
void
res_duration_fmt(int64_t d, char *buf, size_t len)
{
	uint64_t	 u, secs, h, m;
	char		 num[40];
	const char	*sign;

	if (d == 0) {
		snprintf(buf, len, "0s");
		return;
	}
	sign = d < 0 ? "-" : "";
	u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	if (u < 1000) {
		snprintf(buf, len, "%s%" PRIu64 "ns", sign, u);
		return;
	}
	if (u < 1000000) {
		fmt_frac(num, sizeof(num), u, 3);
		snprintf(buf, len, "%s%s\xc2\xb5s", sign, num);
		return;
	}
	if (u < 1000000000) {
		fmt_frac(num, sizeof(num), u, 6);
		snprintf(buf, len, "%s%sms", sign, num);
		return;
	}
	secs = u / 1000000000;
	h = secs / 3600;
	m = secs / 60 % 60;
	fmt_frac(num, sizeof(num), secs % 60 * 1000000000 + u % 1000000000,
	    9);
	if (h > 0)
		snprintf(buf, len, "%s%" PRIu64 "h%" PRIu64 "m%ss", sign, h, m,
		    num);
	else if (m > 0)
		snprintf(buf, len, "%s%" PRIu64 "m%ss", sign, m, num);
	else
		snprintf(buf, len, "%s%ss", sign, num);
}

/* Whole seconds, rounded half away from zero, as Calico's math.Round. */
int64_t
res_duration_secs(int64_t ns)
{
	if (ns >= 0)
		return (int64_t)(((uint64_t)ns + 500000000) / 1000000000);
	return -(int64_t)(((0 - (uint64_t)ns) + 500000000) / 1000000000);
}

/* "aa:nn" (16-bit parts) or "aa:nn:mm" (32-bit parts). */
int
res_comm_parse(const char *s, struct res_comm *c)
{
	const char	*p1, *p2;
	uint64_t	 a, b, v;

	memset(c, 0, sizeof(*c));
	if ((p1 = strchr(s, ':')) == NULL)
		return -1;
	p2 = strchr(p1 + 1, ':');
	if (p2 == NULL) {
		if (parse_uint(s, (size_t)(p1 - s), 65535, &a) == -1 ||
		    parse_uint(p1 + 1, strlen(p1 + 1), 65535, &b) == -1)
			return -1;
		c->a = (uint32_t)a;
		c->b = (uint32_t)b;
		return 0;
	}
	if (parse_uint(s, (size_t)(p1 - s), UINT32_MAX, &a) == -1 ||
	    parse_uint(p1 + 1, (size_t)(p2 - p1 - 1), UINT32_MAX, &b) == -1 ||
	    parse_uint(p2 + 1, strlen(p2 + 1), UINT32_MAX, &v) == -1)
		return -1;
	c->large = 1;
	c->a = (uint32_t)a;
	c->b = (uint32_t)b;
	c->c = (uint32_t)v;
	return 0;
}

void
res_comm_fmt(const struct res_comm *c, char *buf, size_t len)
{
	if (c->large)
		snprintf(buf, len, "%" PRIu32 ":%" PRIu32 ":%" PRIu32, c->a,
		    c->b, c->c);
	else
		snprintf(buf, len, "%" PRIu32 ":%" PRIu32, c->a, c->b);
}

/*
 * A prefixAdvertisements community: a literal, or a name from the same
 * BGPConfiguration's communities.
 */
int
res_comm_resolve(const struct res_bgpconfig_spec *spec, const char *s,
    struct res_comm *c)
{
	size_t	 i;

	if (res_comm_parse(s, c) == 0)
		return 0;
	for (i = 0; i < spec->ncommunities; i++)
		if (strcmp(spec->communities[i].name, s) == 0) {
			*c = spec->communities[i].value;
			return 0;
		}
	return -1;
}

void
res_cidr_fmt(const struct res_cidr *c, char *buf, size_t len)
{
	char	 a[ADDRSTRLEN];

	if (c->addr.af == 0)
		snprintf(buf, len, "%s", "");
	else if (c->bare)
		snprintf(buf, len, "%s", addr_ntop(&c->addr, a, sizeof(a)));
	else
		snprintf(buf, len, "%s/%d", addr_ntop(&c->addr, a, sizeof(a)),
		    c->plen);
}

void
res_ip_port_fmt(const struct res_ip_port *p, char *buf, size_t len)
{
	char	 a[ADDRSTRLEN];

	addr_ntop(&p->addr, a, sizeof(a));
	if (p->addr.af == 0)
		snprintf(buf, len, "%s", "");
	else if (p->port == 0)
		snprintf(buf, len, "%s", a);
	else if (p->addr.af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, (unsigned int)p->port);
	else
		snprintf(buf, len, "%s:%u", a, (unsigned int)p->port);
}

/* The node's BGP address of a family, or NULL. */
const struct bgpd_addr *
res_node_ip(const struct res_node *n, int af)
{
	const struct res_cidr	*c;

	if (!n->spec.has_bgp)
		return NULL;
	c = af == AF_INET6 ? &n->spec.bgp.ipv6_address :
	    &n->spec.bgp.ipv4_address;
	return c->addr.af == af ? &c->addr : NULL;
}

/* The node's own spec.bgp.asNumber; -1 when it has none. */
int
res_node_asn(const struct res_node *n, uint32_t *asn)
{
	if (!n->spec.has_bgp || !n->spec.bgp.has_as_number)
		return -1;
	*asn = n->spec.bgp.as_number;
	return 0;
}

/* Neither node nor nodeSelector: every node gets the peering. */
int
res_bgppeer_is_global(const struct res_bgppeer *p)
{
	return p->spec.node == NULL && p->spec.node_selector.text == NULL;
}

int
res_ippool_block_size(const struct res_ippool *p)
{
	if (p->spec.block_size != 0)
		return p->spec.block_size;
	return p->spec.cidr.addr.af == AF_INET6 ? 122 : 26;
}

/* allowedUses, defaulting to Workload and Tunnel. */
int
res_ippool_allows(const struct res_ippool *p, enum res_allowed_use use)
{
	size_t	 i;

	if (p->spec.nallowed_uses == 0)
		return use == RES_USE_WORKLOAD || use == RES_USE_TUNNEL;
	for (i = 0; i < p->spec.nallowed_uses; i++)
		if (p->spec.allowed_uses[i] == use)
			return 1;
	return 0;
}

/* The Calico spelling of an enum value (index + 1 in a NULL-ended list). */
const char *
res_enum_str(const char *const *names, int v)
{
	int	 i;

	for (i = 0; v > 0 && names[i] != NULL; i++)
		if (i == v - 1)
			return names[i];
	return "";
}
