/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `sockets` source text: UDP sockets as sock_diag reports them (see
 * sockdiag.c). No tool prints this, so it is a documented layout, one line
 * per socket of blank-separated KEY=VALUE:
 *   family=ipv4 local=0.0.0.0 lport=53 remote=0.0.0.0 rport=0 inode=1234
 *   uid=0 rmem=0 rcvbuf=212992 drops=7 pid=812 comm=named
 * family (ipv4, ipv6), local, lport and inode are required; rcvbuf and
 * drops are absent when the kernel did not give them (SK_MEMINFO_DROPS is
 * newer than the rest), pid and comm when the owner is unknown. A reader
 * ignores keys it does not know. In comm, bytes outside '!'..'~' and the
 * backslash are written \ooo (octal), as /proc/self/mountinfo does. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define SRC "sockets"

static void put_comm(struct strbuf *out, const char *comm)
{
	for (const unsigned char *p = (const unsigned char *)comm; *p; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '\\')
			sb_putc(out, (char)*p);
		else
			sb_printf(out, "\\%03o", *p);
	}
}

void sockets_print(struct strbuf *out, const struct udp_socket *u)
{
	const char *family = snapshot_family_name(u->family);

	/* sockdiag.c keeps IPv4 and IPv6 only; any other family is written
	 * so that the reader refuses the line rather than guess. */
	sb_printf(out, "family=%s local=%s lport=%u remote=%s rport=%u "
		  "inode=%llu uid=%u rmem=%llu",
		  family ? family : "unknown", u->local,
		  (unsigned)u->lport, u->remote, (unsigned)u->rport,
		  (unsigned long long)u->inode, u->uid,
		  (unsigned long long)u->rx_queue);
	if (u->have_rcvbuf)
		sb_printf(out, " rcvbuf=%llu", (unsigned long long)u->rcvbuf);
	if (u->have_drops)
		sb_printf(out, " drops=%llu", (unsigned long long)u->drops);
	if (u->pid > 0)
		sb_printf(out, " pid=%d", u->pid);
	if (u->comm[0]) {
		sb_puts(out, " comm=");
		put_comm(out, u->comm);
	}
	sb_putc(out, '\n');
}

/* Undoes put_comm; false on a broken escape. */
static bool get_comm(const char *v, size_t n, char *comm, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)v[i];

		if (c == '\\') {
			if (i + 3 >= n)
				return false;
			if (v[i + 1] < '0' || v[i + 1] > '3' ||
			    v[i + 2] < '0' || v[i + 2] > '7' ||
			    v[i + 3] < '0' || v[i + 3] > '7')
				return false;
			c = (unsigned)((v[i + 1] - '0') * 64 +
				       (v[i + 2] - '0') * 8 + (v[i + 3] - '0'));
			i += 3;
		}
		if (c == 0 || o + 1 >= size)
			return false;
		comm[o++] = (char)c;
	}
	comm[o] = '\0';
	return true;
}

static bool get_addr(const char *v, size_t n, int family, char *buf,
		     size_t size)
{
	unsigned char bin[sizeof(struct in6_addr)];
	char tmp[64];

	if (n == 0 || n >= sizeof(tmp) || n >= size)
		return false;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	if (inet_pton(family, tmp, bin) != 1)
		return false;
	memcpy(buf, tmp, n + 1);
	return true;
}

static bool get_num(const char *v, size_t n, uint64_t max, uint64_t *out)
{
	return parse_u64(v, n, 10, out) && *out <= max;
}

/* The bits of the required keys seen on a line. */
enum {
	HAVE_FAMILY = 1,
	HAVE_LOCAL = 2,
	HAVE_LPORT = 4,
	HAVE_INODE = 8,
	HAVE_ALL = 15
};

static bool key_is(const char *k, size_t kn, const char *name)
{
	return kn == strlen(name) && memcmp(k, name, kn) == 0;
}

/* The inverse of snapshot_family_name(), so both directions share one
 * spelling. */
static bool get_family(const char *v, size_t n, int *family)
{
	static const int known[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (key_is(v, n, snapshot_family_name(known[i]))) {
			*family = known[i];
			return true;
		}
	}
	return false;
}

/* Keys naming the socket (addresses need the family first). */
static bool endpoint_field(const char *k, size_t kn, const char *v,
			   size_t vn, struct udp_socket *u, unsigned *seen)
{
	uint64_t x;

	if (key_is(k, kn, "family")) {
		*seen |= HAVE_FAMILY;
		return get_family(v, vn, &u->family);
	}
	if (key_is(k, kn, "local")) {
		*seen |= HAVE_LOCAL;
		return u->family && get_addr(v, vn, u->family, u->local,
					     sizeof(u->local));
	}
	if (key_is(k, kn, "remote"))
		return u->family && get_addr(v, vn, u->family, u->remote,
					     sizeof(u->remote));
	if (!get_num(v, vn, 65535, &x))
		return false;
	if (key_is(k, kn, "lport")) {
		*seen |= HAVE_LPORT;
		u->lport = (uint16_t)x;
	} else {
		u->rport = (uint16_t)x;
	}
	return true;
}

/* One KEY=VALUE; unknown keys are accepted and ignored. */
static bool sock_field(const char *k, size_t kn, const char *v, size_t vn,
		       struct udp_socket *u, unsigned *seen)
{
	uint64_t x = 0;

	if (key_is(k, kn, "family") || key_is(k, kn, "local") ||
	    key_is(k, kn, "remote") || key_is(k, kn, "lport") ||
	    key_is(k, kn, "rport"))
		return endpoint_field(k, kn, v, vn, u, seen);
	if (key_is(k, kn, "comm"))
		return get_comm(v, vn, u->comm, sizeof(u->comm));
	if (!key_is(k, kn, "inode") && !key_is(k, kn, "uid") &&
	    !key_is(k, kn, "rmem") && !key_is(k, kn, "rcvbuf") &&
	    !key_is(k, kn, "drops") && !key_is(k, kn, "pid"))
		return true;
	if (!get_num(v, vn, UINT64_MAX, &x))
		return false;
	if (key_is(k, kn, "inode")) {
		*seen |= HAVE_INODE;
		u->inode = x;
	} else if (key_is(k, kn, "uid")) {
		u->uid = (uint32_t)x;
		return x <= UINT32_MAX;
	} else if (key_is(k, kn, "rmem")) {
		u->rx_queue = x;
	} else if (key_is(k, kn, "rcvbuf")) {
		u->rcvbuf = x;
		u->have_rcvbuf = true;
	} else if (key_is(k, kn, "drops")) {
		u->drops = x;
		u->have_drops = true;
	} else {
		u->pid = (int)x;
		return x > 0 && x <= 0x7fffffff;
	}
	return true;
}

static int sock_line(struct snapshot *s, const char *line, size_t len,
		     unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok, *eq;
	unsigned seen = 0;
	struct udp_socket u;
	size_t n;

	memset(&u, 0, sizeof(u));
	while ((tok = next_token(&p, end, &n))) {
		eq = memchr(tok, '=', n);
		if (!eq || !sock_field(tok, (size_t)(eq - tok), eq + 1,
				       n - (size_t)(eq - tok) - 1, &u, &seen)) {
			snapshot_note(s, SRC ": line %u: bad field '%.*s'",
				      lineno, (int)(n > 40 ? 40 : n), tok);
			return -EINVAL;
		}
	}
	if (seen != HAVE_ALL) {
		snapshot_note(s, SRC ": line %u: lacks family, local, lport "
			      "or inode", lineno);
		return -EINVAL;
	}
	if (s->nsocks >= SNAP_MAX_SOCKETS) {
		snapshot_over_limit(s, LIMIT_SOCKETS, SRC);
		return 0;
	}
	s->socks = snapshot_grow(s->socks, &s->socks_cap, s->nsocks + 1,
				 sizeof(*s->socks));
	s->socks[s->nsocks++] = u;
	return 0;
}

static enum line_verdict sock_line_cb(struct snapshot *s, void *ctx,
				      const char *line, size_t len,
				      unsigned int lineno)
{
	(void)ctx;
	return sock_line(s, line, len, lineno) < 0 ? LINE_BAD : LINE_OK;
}

int sockets_parse(struct snapshot *s, const char *text)
{
	int rc = parse_lines(s, SRC, text, sock_line_cb, NULL);

	/* An empty text is a host without UDP sockets. */
	s->have_sockdiag = true;
	return rc;
}
