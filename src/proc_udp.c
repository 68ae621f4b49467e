/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/udp and /proc/net/udp6: one line per socket,
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt
 *   uid timeout inode ref pointer drops
 * Addresses are the raw 32-bit words of the address as the kernel's host
 * holds them, each printed with %08X; putting the parsed words back into
 * memory gives the address bytes on a host of the same byte order (a
 * recording is replayed on such a host in practice). "sl" is the hash
 * bucket and repeats. drops is absent before Linux 2.6.27. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

enum udp_col {
	UC_SL,
	UC_LOCAL,
	UC_REMOTE,
	UC_STATE,
	UC_QUEUES,
	UC_TIMER,
	UC_RETRANSMIT,
	UC_UID,
	UC_TIMEOUT,
	UC_INODE,
	UC_REF,
	UC_POINTER,
	UC_DROPS,
	UC_N
};

struct token {
	const char *p;
	size_t n;
};

static const char *udp_src(int family)
{
	return family == AF_INET6 ? "/proc/net/udp6" : "/proc/net/udp";
}

/* Words of 8 hex digits, stored in memory as the kernel held them. */
static bool parse_words(const char *s, size_t nwords, void *addr)
{
	for (size_t i = 0; i < nwords; i++) {
		uint64_t v;
		uint32_t w;

		if (!parse_u64(s + 8 * i, 8, 16, &v))
			return false;
		w = (uint32_t)v;
		memcpy((char *)addr + 4 * i, &w, sizeof(w));
	}
	return true;
}

/* "0100007F:0035" (or 32 hex digits for IPv6) to "127.0.0.1" and 53. */
static bool parse_endpoint(const struct token *t, int family, char *buf,
			   size_t size, uint16_t *port)
{
	size_t nwords = family == AF_INET6 ? 4 : 1, alen = 8 * nwords;
	unsigned char addr[sizeof(struct in6_addr)];
	uint64_t p;

	if (t->n != alen + 5 || t->p[alen] != ':' ||
	    !parse_words(t->p, nwords, addr) ||
	    !parse_u64(t->p + alen + 1, 4, 16, &p))
		return false;
	*port = (uint16_t)p;
	return inet_ntop(family, addr, buf, (socklen_t)size) != NULL;
}

/* "tx_queue:rx_queue", both %08X. */
static bool parse_queues(const struct token *t, uint64_t *tx, uint64_t *rx)
{
	const char *colon = memchr(t->p, ':', t->n);

	return colon &&
	       parse_u64(t->p, (size_t)(colon - t->p), 16, tx) &&
	       parse_u64(colon + 1, t->n - (size_t)(colon - t->p) - 1, 16, rx);
}

static bool parse_socket(const struct token *tok, size_t ntok, int family,
			 struct udp_socket *u)
{
	uint64_t uid;

	memset(u, 0, sizeof(*u));
	u->family = family;
	if (!parse_endpoint(&tok[UC_LOCAL], family, u->local,
			    sizeof(u->local), &u->lport) ||
	    !parse_endpoint(&tok[UC_REMOTE], family, u->remote,
			    sizeof(u->remote), &u->rport) ||
	    !parse_queues(&tok[UC_QUEUES], &u->tx_queue, &u->rx_queue) ||
	    !parse_u64(tok[UC_UID].p, tok[UC_UID].n, 10, &uid) ||
	    uid > UINT32_MAX ||
	    !parse_u64(tok[UC_INODE].p, tok[UC_INODE].n, 10, &u->inode))
		return false;
	u->uid = (uint32_t)uid;
	if (ntok > UC_DROPS) {
		if (!parse_u64(tok[UC_DROPS].p, tok[UC_DROPS].n, 10, &u->drops))
			return false;
		u->have_drops = true;
	}
	return true;
}

static int udp_line(struct snapshot *s, const char *line, size_t len,
		    int family, unsigned int lineno)
{
	const char *p = line, *end = line + len;
	struct token tok[UC_N];
	struct udp_socket u;
	size_t ntok = 0;

	while (ntok < UC_N && (tok[ntok].p = next_token(&p, end, &tok[ntok].n)))
		ntok++;
	if (ntok < UC_DROPS || !parse_socket(tok, ntok, family, &u)) {
		snapshot_note(s, "%s: line %u: not a socket line",
			      udp_src(family), lineno);
		return -EINVAL;
	}
	if (s->nsocks >= SNAP_MAX_SOCKETS) {
		snapshot_over_limit(s, LIMIT_SOCKETS, udp_src(family));
		return 0;
	}
	s->socks = snapshot_grow(s->socks, &s->socks_cap, s->nsocks + 1,
				 sizeof(*s->socks));
	s->socks[s->nsocks++] = u;
	return 0;
}

/* The column header, "  sl  local_address rem_address ...". */
static bool udp_header(const char *line, size_t len)
{
	const char *p = line, *tok;
	size_t n;

	tok = next_token(&p, line + len, &n);
	return n == 2 && memcmp(tok, "sl", 2) == 0;
}

struct udp_walk {
	int family;
	bool header;	/* the column header has been read */
};

/* The column header first, then one socket per line. */
static enum line_verdict udp_walk_line(struct snapshot *s, void *ctx,
				       const char *line, size_t len,
				       unsigned int lineno)
{
	struct udp_walk *w = ctx;

	if (!w->header) {
		if (!udp_header(line, len)) {
			snapshot_note(s, "%s: line %u: expected the header "
				      "'sl local_address ...'",
				      udp_src(w->family), lineno);
			return LINE_STOP;
		}
		w->header = true;
		return LINE_OK;
	}
	if (udp_line(s, line, len, w->family, lineno) < 0)
		return LINE_BAD;
	return LINE_OK;
}

int udp_parse(struct snapshot *s, const char *text, int family)
{
	struct udp_walk w = { family, false };
	int rc = parse_lines(s, udp_src(family), text, udp_walk_line, &w);

	if (!w.header) {
		if (rc == 0)
			snapshot_note(s, "%s: empty", udp_src(family));
		return -EINVAL;
	}
	/* Bad lines, or a cut last line, leave the other sockets read. */
	if (family == AF_INET6)
		s->have_udp6 = true;
	else
		s->have_udp = true;
	return rc;
}
