/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing of the traffic programs' option values. Strict: a value that is
 * not entirely a number, or out of range, is refused with a message that
 * quotes it, never read as 0 or clamped. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netopt.h"
#include "util.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Decimal digits only: strtoull alone would take "-1", " 5" or "0x10". */
static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int netopt_uint(const char *what, const char *s, uint64_t min, uint64_t max,
		uint64_t *out, char *err, size_t errlen)
{
	uint64_t v;

	if (!parse_u64(s, strlen(s), 10, &v) || !all_digits(s, strlen(s)))
		return fail(err, errlen, "%s: '%s' is not a number", what, s);
	if (v < min || v > max)
		return fail(err, errlen,
			    "%s: %s is out of range (%llu to %llu)", what, s,
			    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int netopt_bytes(const char *what, const char *s, uint64_t min, uint64_t max,
		 uint64_t *out, char *err, size_t errlen)
{
	size_t n = strlen(s);
	unsigned shift = 0;
	uint64_t v;

	if (n > 1 && strchr("kKmMgG", s[n - 1])) {
		shift = strchr("kK", s[n - 1])	 ? 10
			: strchr("mM", s[n - 1]) ? 20
						 : 30;
		n--;
	}
	if (!all_digits(s, n) || !parse_u64(s, n, 10, &v))
		return fail(err, errlen,
			    "%s: '%s' is not a size in bytes "
			    "(digits, optional K, M or G)",
			    what, s);
	if (v > (max >> shift) || (v << shift) < min)
		return fail(err, errlen,
			    "%s: %s is out of range (%llu to %llu "
			    "bytes)",
			    what, s, (unsigned long long)min,
			    (unsigned long long)max);
	*out = v << shift;
	return 0;
}

int netopt_double(const char *what, const char *s, double max, double *out,
		  char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || s[0] == '-' ||
	    s[0] == ' ')
		return fail(err, errlen, "%s: '%s' is not a number", what, s);
	if (!(v > 0) || v > max)
		return fail(err, errlen,
			    "%s: %s is out of range (more than 0, "
			    "at most %g)",
			    what, s, max);
	*out = v;
	return 0;
}

int netopt_range(const char *what, const char *s, unsigned min, unsigned max,
		 unsigned *lo, unsigned *hi, char *err, size_t errlen)
{
	const char *dash = strchr(s, '-');
	size_t n1 = dash ? (size_t)(dash - s) : strlen(s);
	uint64_t a, b;

	if (!all_digits(s, n1) || !parse_u64(s, n1, 10, &a) ||
	    (dash && (!all_digits(dash + 1, strlen(dash + 1)) ||
		      !parse_u64(dash + 1, strlen(dash + 1), 10, &b))))
		return fail(err, errlen, "%s: '%s' is not a range LO-HI", what,
			    s);
	if (!dash)
		b = a;
	if (a < min || b > max || a > b)
		return fail(err, errlen,
			    "%s: %s is out of range (%u-%u, LO <= "
			    "HI)",
			    what, s, min, max);
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

int netopt_cpus(const char *what, const char *s, uint64_t *bits, char *err,
		size_t errlen)
{
	uint64_t tmp[CPU_WORDS];
	int n = 0;

	/* Digits, commas and dashes only (no signs, no blanks), and no CPU
	 * beyond the bitmap, which cpulist_parse would silently ignore. */
	memset(tmp, 0, sizeof(tmp));
	if (!*s || strspn(s, "0123456789,-") != strlen(s) || strstr(s, "--") ||
	    s[0] == '-' || cpulist_parse(s, tmp, MAX_CPUS) <= 0)
		n = -1;
	for (const char *p = s; n == 0 && *p; p++)
		if ((p == s || p[-1] < '0' || p[-1] > '9') &&
		    atol(p) >= MAX_CPUS)
			n = -1;
	if (n < 0)
		return fail(err, errlen,
			    "%s: '%s' is not a CPU list such as "
			    "0-3,8",
			    what, s);
	memcpy(bits, tmp, sizeof(tmp));
	for (int i = 0; i < CPU_WORDS; i++)
		n += __builtin_popcountll(tmp[i]);
	return n;
}

int netopt_nth_cpu(const uint64_t *bits, int n)
{
	int count = 0, first = -1;

	for (int cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpulist_has(bits, cpu)) {
			if (first < 0)
				first = cpu;
			count++;
		}
	if (!count)
		return -1;
	n %= count;
	for (int cpu = first; cpu < MAX_CPUS; cpu++)
		if (cpulist_has(bits, cpu) && n-- == 0)
			return cpu;
	return -1;
}

void netopt_cpulist_format(const uint64_t *bits, char *buf, size_t size)
{
	struct strbuf sb;
	int first = -1;

	sb_init(&sb);
	for (int cpu = 0; cpu <= MAX_CPUS; cpu++) {
		bool set = cpu < MAX_CPUS && cpulist_has(bits, cpu);

		if (set && first < 0) {
			first = cpu;
		} else if (!set && first >= 0) {
			sb_printf(&sb, sb.len ? ",%d" : "%d", first);
			if (cpu - 1 > first)
				sb_printf(&sb, "-%d", cpu - 1);
			first = -1;
		}
	}
	copy_token(buf, size, sb.s ? sb.s : "", sb.len);
	if (size > 4 && sb.len >= size)
		memcpy(buf + size - 4, "...", 4);
	sb_free(&sb);
}

/* "fe80::1%eth0": the scope is an interface name or number. */
static bool parse_v6(const char *host, struct sockaddr_in6 *in6)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *pct;

	if (strlen(host) >= sizeof(buf))
		return false;
	strcpy(buf, host);
	pct = strchr(buf, '%');
	if (pct) {
		*pct++ = '\0';
		in6->sin6_scope_id = if_nametoindex(pct);
		if (!in6->sin6_scope_id && all_digits(pct, strlen(pct)))
			in6->sin6_scope_id = (uint32_t)atol(pct);
		if (!in6->sin6_scope_id)
			return false;
	}
	return inet_pton(AF_INET6, buf, &in6->sin6_addr) == 1;
}

static int set_host(const char *host, bool v6, struct netaddr *out)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;

	memset(out, 0, sizeof(*out));
	if (v6) {
		in6->sin6_family = AF_INET6;
		out->len = sizeof(*in6);
		return parse_v6(host, in6) ? 0 : -EINVAL;
	}
	in4->sin_family = AF_INET;
	out->len = sizeof(*in4);
	return inet_pton(AF_INET, host, &in4->sin_addr) == 1 ? 0 : -EINVAL;
}

/* Splits "[v6]:PORT" or "v4:PORT" into host and port text. */
static int split_addr(const char *s, char *host, size_t hsize,
		      const char **port, bool *v6)
{
	const char *colon;
	size_t n;

	*v6 = s[0] == '[';
	if (*v6) {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		n = (size_t)(close - s - 1);
		colon = close + 1;
		s++;
	} else {
		colon = strchr(s, ':');
		if (!colon || strchr(colon + 1, ':'))
			return -EINVAL;
		n = (size_t)(colon - s);
	}
	if (n == 0 || n >= hsize)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	*port = colon + 1;
	return 0;
}

int netopt_addr(const char *s, bool port_only, unsigned min_port,
		struct netaddr *out, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *port = s;
	/* Set unless netopt_uint fails; scan-build cannot see that the
	 * variadic fail() returns < 0. */
	uint64_t p = 0;
	bool v6 = false;
	char perr[128];

	if (strchr(s, ':') || s[0] == '[' || !port_only) {
		if (split_addr(s, host, sizeof(host), &port, &v6) < 0)
			return fail(err, errlen,
				    "'%s' is not %sADDR:PORT (IPv6 "
				    "as [ADDR]:PORT)",
				    s, port_only ? "[ADDR:]PORT or " : "");
	} else {
		strcpy(host, "0.0.0.0");
	}
	if (set_host(host, v6, out) < 0)
		return fail(err, errlen,
			    "'%s': '%s' is not a numeric IPv%d "
			    "address",
			    s, host, v6 ? 6 : 4);
	if (netopt_uint("port", port, min_port, 65535, &p, perr, sizeof(perr)) <
	    0)
		return fail(err, errlen, "'%s': %s", s, perr);
	netaddr_set_port(out, (unsigned)p);
	return 0;
}

unsigned netaddr_port(const struct netaddr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
}

void netaddr_set_port(struct netaddr *a, unsigned port)
{
	if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in *)&a->ss)->sin_port =
		    htons((uint16_t)port);
}

bool netaddr_is_loopback(const struct netaddr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)&a->ss)->sin6_addr);
	return (ntohl(((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr) >>
		24) == 127;
}

void netaddr_format(const struct netaddr *a, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (a->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
			  host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, netaddr_port(a));
	} else {
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)&a->ss)->sin_addr, host,
			  sizeof(host));
		snprintf(buf, size, "%s:%u", host, netaddr_port(a));
	}
}
