/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netfilter stage's findings and verdict text: conntrack-full (the
 * table at its maximum, or conntrack dropping) and netfilter-drop (the ip
 * remainder given to the rules on prerouting/input). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diag_internal.h"
#include "util.h"


static uint64_t ct_delta_or_0(const struct diag_ctx *x, enum ct_stat_id id)
{
	uint64_t v = 0;

	return diag_ct_delta(x, id, &v) ? v : 0;
}

/* Near the maximum: nine tenths of it or more. */
static bool ct_near_max(const struct netfilter_state *n)
{
	return n->have_ct_count && n->have_ct_max && n->ct_max > 0 &&
	       n->ct_count >= n->ct_max - n->ct_max / 10;
}

/* The UDP port to exempt: the built-in receiver's, else a placeholder. */
static void port_put(struct strbuf *sb, const struct snapshot *s)
{
	const char *colon = strrchr(s->receiver.addr, ':');

	if (s->receiver.present && colon && colon[1])
		sb_puts(sb, colon + 1);
	else
		sb_puts(sb, "PORT");
}

static void ct_table_put(struct strbuf *sb, const struct netfilter_state *n)
{
	if (n->have_ct_count)
		sb_printf(sb, "nf_conntrack_count %" PRIu64, n->ct_count);
	else
		sb_puts(sb, "nf_conntrack_count unknown");
	if (n->have_ct_max)
		sb_printf(sb, " of nf_conntrack_max %" PRIu64, n->ct_max);
	else
		sb_puts(sb, ", nf_conntrack_max unknown");
}

static void ct_fix_put(struct strbuf *sb, const struct snapshot *s)
{
	const struct netfilter_state *n = &s->nf;

	sb_puts(sb, "; raise the maximum: sysctl -w "
		    "net.netfilter.nf_conntrack_max=");
	if (n->have_ct_max && n->ct_max > 0 && n->ct_max <= UINT64_MAX / 2)
		sb_printf(sb, "%" PRIu64 " (now %" PRIu64 ")", 2 * n->ct_max,
			  n->ct_max);
	else
		sb_puts(sb, "N (current value unknown)");
	sb_puts(sb, ", or exempt the UDP port from tracking: nft add rule "
		    "inet raw prerouting udp dport ");
	port_put(sb, s);
	sb_puts(sb, " notrack (in a chain of type filter hook prerouting "
		    "priority raw), or iptables -t raw -I PREROUTING -p udp "
		    "--dport ");
	port_put(sb, s);
	sb_puts(sb, " -j NOTRACK");
}

static void find_conntrack_full(const struct diag_ctx *x,
				struct diagnosis *d)
{
	uint64_t drop = ct_delta_or_0(x, CT_DROP);
	uint64_t early = ct_delta_or_0(x, CT_EARLY_DROP);
	uint64_t failed = ct_delta_or_0(x, CT_INSERT_FAILED);
	struct strbuf sb;

	if (!drop && !early && !failed && !ct_near_max(&x->cur->nf))
		return;
	sb_init(&sb);
	sb_printf(&sb, "%.0f pkt/s dropped by conntrack (drop +%" PRIu64
		  ", early_drop +%" PRIu64 ", insert_failed +%" PRIu64 "); ",
		  (double)drop / x->interval, drop, early, failed);
	ct_table_put(&sb, &x->cur->nf);
	ct_fix_put(&sb, x->cur);
	diag_add_finding(d, "conntrack-full", &sb);
}

/* What says netfilter has rules there: the sources' own figures. */
static void rules_put(struct strbuf *sb, const struct netfilter_state *n)
{
	if (n->have_nft)
		sb_printf(sb, "%" PRIu64 " nf_tables rules and %" PRIu64
			  " policy-drop base chains on prerouting/input",
			  n->nft_rules, n->nft_drop_chains);
	else
		sb_puts(sb, "nf_tables not read");
	if (n->have_iptables)
		sb_printf(sb, ", %" PRIu64 " legacy iptables tables",
			  n->iptables_tables);
}

static void find_netfilter_drop(const struct diag_ctx *x,
				struct diagnosis *d)
{
	struct strbuf sb, ports;

	if (!x->nf_rules)
		return;
	sb_init(&sb);
	sb_printf(&sb, "%.0f pkt/s passed IP and did not reach UDP, and no "
		  "counter names them while netfilter has rules (",
		  (double)x->nf_rules / x->interval);
	rules_put(&sb, &x->cur->nf);
	sb_puts(&sb, ")");
	sb_init(&ports);
	if (diag_reason_ports_put(d, "NETFILTER_DROP", false, &ports, 5))
		sb_printf(&sb, "; by port (drop reason NETFILTER_DROP): %s",
			  ports.s);
	sb_free(&ports);
	sb_puts(&sb, ": find the rule whose counter grows: nft list "
		    "ruleset, iptables -L -v -n and iptables -t raw -L -v -n");
	diag_add_finding(d, "netfilter-drop", &sb);
}

void diag_nf_findings(const struct diag_ctx *x, struct diagnosis *d)
{
	find_conntrack_full(x, d);
	find_netfilter_drop(x, d);
}

static void verdict_hint(struct verdict *v, struct strbuf *sb)
{
	v->hints = xrealloc(v->hints, (v->nhints + 1) * sizeof(*v->hints));
	v->hints[v->nhints++] = sb_steal(sb);
}

void diag_nf_verdict(const struct diag_ctx *x, struct diagnosis *d,
		     struct strbuf *summary)
{
	struct strbuf sb;

	sb_init(&sb);
	if (x->nf_ct >= x->nf_rules) {
		sb_puts(summary, "dropped by conntrack (its drop column): "
			"the table is full or short of memory");
		sb_puts(&sb, "conntrack: see conntrack-full; ");
		ct_table_put(&sb, &x->cur->nf);
		ct_fix_put(&sb, x->cur);
	} else {
		sb_puts(summary, "dropped on the netfilter hooks (prerouting, "
			"input) by a rule: no counter names them");
		sb_puts(&sb, "find the rule whose counter grows: nft list "
			"ruleset; iptables -L -v -n and iptables -t raw -L "
			"-v -n; see netfilter-drop");
	}
	verdict_hint(&d->verdict, &sb);
}
