/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/ip_tables_names and /proc/net/ip6_tables_names: one table
 * name per line, the legacy iptables (x_tables) tables loaded in the
 * namespace. Each of them (filter, raw, mangle, nat, security) registers
 * on prerouting or input, and a table is loaded only once an iptables
 * command used it: a loaded table is taken as rules on the receive path.
 * iptables-nft rules are nf_tables chains (nftables.c). */
#include "config.h"

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

static enum line_verdict iptables_line(struct snapshot *s, void *ctx,
				       const char *line, size_t len,
				       unsigned int lineno)
{
	const char *const *src = ctx;
	const char *p = line;
	size_t n;

	if (!next_token(&p, line + len, &n) || count_tokens(p, line + len)) {
		snapshot_note(s, "%s: line %u: expected one table name", *src,
			      lineno);
		return LINE_BAD;
	}
	s->nf.iptables_tables++;
	return LINE_OK;
}

int iptables_names_parse(struct snapshot *s, const char *src,
			 const char *text)
{
	s->nf.have_iptables = true;
	return parse_lines(s, src, text, iptables_line, &src);
}
