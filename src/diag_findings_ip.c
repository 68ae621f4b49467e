/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings of the ip stage: reverse-path filtering and reassembly
 * failures, each named by its counter and given the knob with its current
 * value (sysctls of the watched namespace). */
#include "config.h"

#include <inttypes.h>

#include "diag_internal.h"
#include "util.h"

static uint64_t snmp_delta_or_0(const struct diag_ctx *x, enum snmp_id id)
{
	uint64_t v = 0;

	return diag_snmp_delta(x, id, &v) ? v : 0;
}

static void value_put(struct strbuf *sb, const struct snapshot *s,
		      const char *name, enum sysctl_id id)
{
	if (s->sysctl_have[id])
		sb_printf(sb, "%s = %" PRIu64, name, s->sysctl[id]);
	else
		sb_printf(sb, "%s unknown", name);
}

/* "all = 1, veth0 = 1": the kernel applies the larger of all and the
 * interface's value (0 off, 1 strict, 2 loose). */
static void rp_values_put(struct strbuf *sb, const struct snapshot *s)
{
	value_put(sb, s, "rp_filter all", SYSCTL_RP_FILTER_ALL);
	for (size_t i = 0; i < s->ndevs; i++)
		if (s->devs[i].rp_filter >= 0)
			sb_printf(sb, ", %s = %d", s->devs[i].name,
				  s->devs[i].rp_filter);
}

/* The loose-mode fix: all, and each device whose own value is strict. */
static void rp_fix_put(struct strbuf *sb, const struct snapshot *s)
{
	sb_puts(sb, "; loose mode: sysctl -w net.ipv4.conf.all.rp_filter=2");
	for (size_t i = 0; i < s->ndevs; i++)
		if (s->devs[i].rp_filter == 1)
			sb_printf(sb, " net.ipv4.conf.%s.rp_filter=2",
				  s->devs[i].name);
}

static void find_rp_filter(const struct diag_ctx *x, struct diagnosis *d)
{
	uint64_t n = snmp_delta_or_0(x, TCPEXT_IP_RP_FILTER);
	struct finding *f;
	struct strbuf sb;

	if (!n)
		return;
	sb_init(&sb);
	sb_printf(&sb, "%.0f pkt/s dropped by reverse-path filtering "
		  "(TcpExt IPReversePathFilter +%" PRIu64 "): the route back "
		  "to the sender leaves by another interface; effective "
		  "value is the larger of ", (double)n / x->interval, n);
	rp_values_put(&sb, x->cur);
	rp_fix_put(&sb, x->cur);
	f = diag_add_finding(d, "rp-filter", &sb);
	f->about.rate = opt_known((double)n / x->interval);
	f->about.setting = "net.ipv4.conf.all.rp_filter";
	if (x->cur->sysctl_have[SYSCTL_RP_FILTER_ALL])
		f->about.current =
		    opt_known((double)x->cur->sysctl[SYSCTL_RP_FILTER_ALL]);
	f->about.suggested = opt_known(2);
}

static void find_reassembly_fail(const struct diag_ctx *x,
				 struct diagnosis *d)
{
	uint64_t f4 = snmp_delta_or_0(x, IP_REASM_FAILS);
	uint64_t t4 = snmp_delta_or_0(x, IP_REASM_TIMEOUT);
	uint64_t f6 = 0, t6 = 0;
	struct finding *f;
	struct strbuf sb;

	if (diag_have_v6(x)) {
		f6 = snmp_delta_or_0(x, IP6_REASM_FAILS);
		t6 = snmp_delta_or_0(x, IP6_REASM_TIMEOUT);
	}
	if (!f4 && !f6)
		return;
	sb_init(&sb);
	sb_printf(&sb, "%.0f/s fragmented datagrams could not be "
		  "reassembled (ReasmFails +%" PRIu64 ", of them ReasmTimeout "
		  "+%" PRIu64 "; Ip6ReasmFails +%" PRIu64 ", Ip6ReasmTimeout +%"
		  PRIu64 "): ", (double)(f4 + f6) / x->interval, f4, t4, f6,
		  t6);
	value_put(&sb, x->cur, "net.ipv4.ipfrag_high_thresh",
		  SYSCTL_IPFRAG_HIGH_THRESH);
	sb_puts(&sb, ", ");
	value_put(&sb, x->cur, "net.ipv4.ipfrag_time", SYSCTL_IPFRAG_TIME);
	if (f6) {
		sb_puts(&sb, ", ");
		value_put(&sb, x->cur, "net.ipv6.ip6frag_high_thresh",
			  SYSCTL_IP6FRAG_HIGH_THRESH);
	}
	sb_puts(&sb, "; raise the memory limit (sysctl -w "
		    "net.ipv4.ipfrag_high_thresh=N), or better send datagrams "
		    "no larger than the path MTU");
	f = diag_add_finding(d, "reassembly-fail", &sb);
	f->about.rate = opt_known((double)(f4 + f6) / x->interval);
	f->about.setting = "net.ipv4.ipfrag_high_thresh";
	if (x->cur->sysctl_have[SYSCTL_IPFRAG_HIGH_THRESH])
		f->about.current = opt_known(
		    (double)x->cur->sysctl[SYSCTL_IPFRAG_HIGH_THRESH]);
}

void diag_ip_findings(const struct diag_ctx *x, struct diagnosis *d)
{
	find_rp_filter(x, d);
	find_reassembly_fail(x, d);
}
