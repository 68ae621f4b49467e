/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `drop-reasons` source (format in dropreason.h and droptop(8)) and
 * the table that places each reason at a stage of the receive path. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "dropreason.h"
#include "util.h"

#define SRC "drop-reasons"

/* Which stage's loss a reason explains. Names, not numbers: the numbers
 * differ between kernels. A name ending in '*' is a prefix. Reasons of
 * the udp and socket stages count there only for UDP (a TCP packet to a
 * closed port is also NO_SOCKET); anything not listed is "other". */
static const struct {
	const char *reason;
	const char *stage;
	bool udp_only;
} stage_table[] = {
	{ "FULL_RING", "nic", false },
	{ "NOMEM", "nic", false },
	{ "CPU_BACKLOG", "softirq", false },
	{ "IP_*", "ip", false },
	{ "IPV6*", "ip", false },
	{ "OTHERHOST", "ip", false },
	{ "FRAG_*", "ip", false },
	{ "PKT_TOO_SMALL", "ip", false },
	{ "NETFILTER_DROP", "netfilter", false },
	{ "NO_SOCKET", "udp", true },
	{ "UDP_CSUM", "udp", true },
	{ "SOCKET_RCVBUFF", "socket", true },
	{ "SOCKET_FILTER", "socket", true },
	{ "PROTO_MEM", "socket", true },
};

static bool reason_matches(const char *pattern, const char *reason)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, reason, n - 1) == 0;
	return strcmp(pattern, reason) == 0;
}

const char *drop_reason_stage(const char *reason, int protocol)
{
	for (size_t i = 0; i < ARRAY_SIZE(stage_table); i++) {
		if (!reason_matches(stage_table[i].reason, reason))
			continue;
		if (stage_table[i].udp_only && protocol != IPPROTO_UDP)
			return "other";
		return stage_table[i].stage;
	}
	return "other";
}

const char *drop_reason_protocol(int protocol, char *buf, size_t size)
{
	if (protocol == IPPROTO_UDP)
		return "udp";
	if (protocol == IPPROTO_TCP)
		return "tcp";
	if (protocol < 0)
		return NULL;
	snprintf(buf, size, "%d", protocol);
	return buf;
}

static bool parse_family(const char *t, size_t n, int *family)
{
	if (n == 4 && strncmp(t, "ipv4", 4) == 0)
		*family = AF_INET;
	else if (n == 4 && strncmp(t, "ipv6", 4) == 0)
		*family = AF_INET6;
	else if (n == 1 && *t == '-')
		*family = 0;
	else
		return false;
	return true;
}

/* "-" is -1 (unknown); else a decimal up to max. */
static bool parse_small(const char *t, size_t n, uint64_t max, int *out)
{
	uint64_t v;

	if (n == 1 && *t == '-') {
		*out = -1;
		return true;
	}
	if (!parse_u64(t, n, 10, &v) || v > max)
		return false;
	*out = (int)v;
	return true;
}

static bool parse_protocol(const char *t, size_t n, int *proto)
{
	if (n == 3 && strncmp(t, "udp", 3) == 0)
		*proto = IPPROTO_UDP;
	else if (n == 3 && strncmp(t, "tcp", 3) == 0)
		*proto = IPPROTO_TCP;
	else
		return parse_small(t, n, 255, proto);
	return true;
}

/* Reason names are C identifiers (SUBSYS:NAME, or a number); device
 * names printable ASCII: nothing a terminal or a report would act on. */
static bool token_ok(const char *t, size_t n, bool reason)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (reason ? !(isalnum(c) || c == '_' || c == ':') :
			     (c < 0x21 || c > 0x7e))
			return false;
	}
	return true;
}

/* Kernel function names: identifiers, with '.' (foo.cold, foo.isra.0). */
static bool func_ok(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)t[i]) || t[i] == '_' || t[i] == '.'))
			return false;
	return n > 0;
}

/* One key line: REASON FAMILY PROTOCOL PORT DEVICE COUNT. */
static bool parse_key_line(const char *line, size_t len,
			   struct drop_reason_count *c)
{
	const char *p = line, *end = line + len, *t[6];
	size_t n[6], extra;

	for (int i = 0; i < 6; i++)
		if (!(t[i] = next_token(&p, end, &n[i])))
			return false;
	if (next_token(&p, end, &extra) || n[0] >= sizeof(c->reason) ||
	    n[4] >= sizeof(c->dev) || !token_ok(t[0], n[0], true) ||
	    !token_ok(t[4], n[4], false))
		return false;
	memset(c, 0, sizeof(*c));
	copy_token(c->reason, sizeof(c->reason), t[0], n[0]);
	if (!(n[4] == 1 && *t[4] == '-'))
		copy_token(c->dev, sizeof(c->dev), t[4], n[4]);
	return parse_family(t[1], n[1], &c->family) &&
	       parse_protocol(t[2], n[2], &c->protocol) &&
	       parse_small(t[3], n[3], 65535, &c->port) &&
	       parse_u64(t[5], n[5], 10, &c->count);
}

static bool parse_overflow_line(struct snapshot *s, const char *line,
				size_t len)
{
	const char *p = line, *end = line + len, *t;
	size_t n;

	t = next_token(&p, end, &n);
	if (!t || n != 8 || strncmp(t, "overflow", 8) != 0)
		return false;
	t = next_token(&p, end, &n);
	return t && parse_u64(t, n, 10, &s->reasons_overflow) &&
	       !next_token(&p, end, &n);
}

/* "NAME COUNT" lines: first and second token; false if not NAME. */
static bool parse_named_count(const char *line, size_t len, const char *name,
			      const char **arg, size_t *argn, uint64_t *count)
{
	const char *p = line, *end = line + len, *t;
	size_t n, extra;

	t = next_token(&p, end, &n);
	if (!t || n != strlen(name) || strncmp(t, name, n) != 0)
		return false;
	if (arg && !(*arg = next_token(&p, end, argn)))
		return false;
	t = next_token(&p, end, &n);
	return t && parse_u64(t, n, 10, count) && !next_token(&p, end, &extra);
}

/* "location FUNCTION COUNT": NOT_SPECIFIED drops of one function. */
static bool parse_location_line(struct snapshot *s, const char *line,
				size_t len)
{
	struct drop_reason_func f;
	const char *name;
	size_t n;

	if (!parse_named_count(line, len, "location", &name, &n, &f.count) ||
	    n >= sizeof(f.func) || !func_ok(name, n))
		return false;
	copy_token(f.func, sizeof(f.func), name, n);
	s->reason_funcs = snapshot_grow(s->reason_funcs, &s->reason_funcs_cap,
					s->nreason_funcs + 1,
					sizeof(*s->reason_funcs));
	s->reason_funcs[s->nreason_funcs++] = f;
	return true;
}

static bool parse_extra_line(struct snapshot *s, const char *line, size_t len)
{
	return parse_overflow_line(s, line, len) ||
	       parse_named_count(line, len, "location-overflow", NULL, NULL,
				 &s->reason_funcs_overflow) ||
	       parse_location_line(s, line, len);
}

int drop_reasons_parse(struct snapshot *s, const char *text)
{
	const char *pos = text, *line;
	size_t len;
	int lineno = 0;

	s->have_drop_reasons = true;
	while ((line = next_line(&pos, &len))) {
		struct drop_reason_count c;

		lineno++;
		if (len == 0 || parse_extra_line(s, line, len))
			continue;
		if (!parse_key_line(line, len, &c)) {
			snapshot_note(s, "%s: line %d: not REASON FAMILY PROTOCOL PORT DEVICE COUNT, location FUNCTION COUNT or overflow",
				      SRC, lineno);
			return -EINVAL;
		}
		s->reasons = snapshot_grow(s->reasons, &s->reasons_cap,
					   s->nreasons + 1, sizeof(*s->reasons));
		s->reasons[s->nreasons++] = c;
	}
	return 0;
}
