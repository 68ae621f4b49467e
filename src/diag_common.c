/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers every diagnosis step shares (declared in diag_common.h). They
 * sit below the steps and call none of them, so that the steps depend on
 * this file and diagnose() alone depends on the steps. */
#include "config.h"

#include <string.h>

#include "diag_common.h"

/* Which file a counter comes from: snmp, snmp6, then netstat (the enum's
 * order, see snapshot.h). */
static bool snmp_source_read(const struct snapshot *s, enum snmp_id id)
{
	if (id >= NETSTAT_FIRST)
		return s->have_netstat;
	return id >= IP6_IN_RECEIVES ? s->have_snmp6 : s->have_snmp;
}

bool diag_snmp_delta(const struct diag_ctx *x, enum snmp_id id,
		     uint64_t *out)
{
	const struct snapshot *p = x->prev, *c = x->cur;

	return delta64(snmp_source_read(p, id) && p->snmp.have[id],
		       p->snmp.v[id],
		       snmp_source_read(c, id) && c->snmp.have[id],
		       c->snmp.v[id], out);
}

bool diag_ct_delta(const struct diag_ctx *x, enum ct_stat_id id,
		   uint64_t *out)
{
	const struct netfilter_state *p = &x->prev->nf, *c = &x->cur->nf;

	return delta64(p->have_ct_stat && p->ct_have[id], p->ct[id],
		       c->have_ct_stat && c->ct_have[id], c->ct[id], out);
}

static bool nf_has_rules(const struct netfilter_state *n)
{
	return (n->have_nft && (n->nft_rules || n->nft_drop_chains)) ||
	       (n->have_iptables && n->iptables_tables);
}

bool diag_nf_rules(const struct diag_ctx *x, bool *known)
{
	const struct netfilter_state *p = &x->prev->nf, *c = &x->cur->nf;

	*known = p->have_nft || p->have_iptables || c->have_nft ||
		 c->have_iptables;
	return nf_has_rules(p) || nf_has_rules(c);
}

bool diag_snmp_present(const struct diag_ctx *x, enum snmp_id id)
{
	return (snmp_source_read(x->prev, id) && x->prev->snmp.have[id]) ||
	       (snmp_source_read(x->cur, id) && x->cur->snmp.have[id]);
}

bool diag_have_v6(const struct diag_ctx *x)
{
	return x->prev->have_snmp6 && x->cur->have_snmp6;
}

struct optval diag_rate(const struct diag_ctx *x, bool known, uint64_t n)
{
	return known ? opt_known((double)n / x->interval) : opt_unknown();
}

struct optval diag_per_s(const struct diag_ctx *x, struct optval count)
{
	return count.known ? opt_known(count.v / x->interval) : opt_unknown();
}

/* Writes one run "a" or "a-b" with a separating comma. */
static void cpulist_put_run(struct strbuf *sb, int first, int last)
{
	if (sb->len)
		sb_putc(sb, ',');
	if (first == last)
		sb_printf(sb, "%d", first);
	else
		sb_printf(sb, "%d-%d", first, last);
}

void diag_cpulist_format(const uint64_t *bits, char *buf, size_t size)
{
	struct strbuf sb;
	int first = -1;

	sb_init(&sb);
	for (int cpu = 0; cpu <= MAX_CPUS; cpu++) {
		bool set;

		/* Whole empty words at once: one list per queue row, and
		 * MAX_CPUS is 4096. */
		if (first < 0 && cpu % 64 == 0 && cpu < MAX_CPUS &&
		    bits[cpu / 64] == 0) {
			cpu += 63;
			continue;
		}
		set = cpu < MAX_CPUS && cpulist_has(bits, cpu);
		if (set && first < 0)
			first = cpu;
		else if (!set && first >= 0) {
			cpulist_put_run(&sb, first, cpu - 1);
			first = -1;
		}
	}
	copy_token(buf, size, sb.s ? sb.s : "", sb.len);
	/* A list too long for the row says so rather than ending mid-number. */
	if (size > 4 && sb.len >= size)
		memcpy(buf + size - 4, "...", 4);
	sb_free(&sb);
}

const uint64_t *diag_irq_affinity(const struct snapshot *s, int irq)
{
	const struct irq_line *l = irq < 0 ? NULL : snapshot_find_irq(s, irq);

	return l && l->have_affinity ? l->affinity : NULL;
}

struct finding *diag_add_finding(struct diagnosis *d, const char *id,
				 struct strbuf *detail)
{
	struct finding *f;

	d->findings = xrealloc(d->findings,
			       (d->nfindings + 1) * sizeof(*d->findings));
	f = &d->findings[d->nfindings++];
	memset(f, 0, sizeof(*f));
	copy_token(f->id, sizeof(f->id), id, strlen(id));
	f->detail = sb_steal(detail);
	f->about.queue = f->about.cpu = f->about.port = -1;
	f->about.rate = f->about.current = f->about.suggested = opt_unknown();
	return f;
}

void diag_about_device(struct finding_about *a, const char *dev)
{
	copy_token(a->device, sizeof(a->device), dev, strlen(dev));
}

void diag_about_socket(struct finding_about *a, const struct socket_row *r)
{
	a->inode = r->inode;
	copy_token(a->local, sizeof(a->local), r->local, strlen(r->local));
	a->port = r->lport;
}
