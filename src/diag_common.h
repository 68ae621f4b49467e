/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bottom layer of the diagnosis files: the context they share and the
 * small helpers every step uses (counter deltas, rates, CPU lists, texts,
 * findings). It calls no step, so the steps (diag_internal.h) depend on it
 * and never the other way round. */
#ifndef DROPTOP_DIAG_COMMON_H
#define DROPTOP_DIAG_COMMON_H

#include "diagnose.h"
#include "util.h"

/* The two snapshots being compared and the interval between them. */
struct diag_ctx {
	const struct snapshot *prev;
	const struct snapshot *cur;
	double interval;
	/* Packet counts over the interval, per stage (stage.lost is the
	 * lost half; the in half is kept here for the unaccounted figure). */
	struct optval in[STAGE_N];
	/* Frames the devices received that were not for this host's IP
	 * stack (rx_otherhost_dropped, rx_nohandler): never IP input. */
	uint64_t not_for_host;
	/* The ip remainder and the parts of it netfilter explains: conntrack
	 * drops, then rule drops (diag_nf_split()). */
	bool ip_rest_known;
	uint64_t nf_ct, nf_rules;
};

/* A sum of counter deltas that becomes unknown as soon as one part is. */
struct acc {
	bool known;
	uint64_t n;
};

static inline struct acc acc_start(void)
{
	return (struct acc){ .known = true, .n = 0 };
}

static inline void acc_add(struct acc *a, bool known, uint64_t v)
{
	if (!known)
		a->known = false;
	else
		a->n += v;
}

/* Adds the delta of a counter read twice (64-bit, or 32-bit that wraps). */
static inline void acc_delta(struct acc *a, bool wraps32, bool had,
			     uint64_t prev, bool has, uint64_t cur)
{
	uint64_t v = 0;
	bool known = wraps32 ? delta32(had, prev, has, cur, &v)
			     : delta64(had, prev, has, cur, &v);

	acc_add(a, known, v);
}

static inline struct optval acc_opt(struct acc a)
{
	return a.known ? opt_known((double)a.n) : opt_unknown();
}

/* Delta of a conntrack statistics column; false when unknown. */
bool diag_ct_delta(const struct diag_ctx *x, enum ct_stat_id id,
		   uint64_t *out);
/* Whether netfilter has rules on the receive hooks (nf_tables base chains
 * with rules or policy drop, legacy iptables tables) in either snapshot;
 * *known false when neither snapshot says. */
bool diag_nf_rules(const struct diag_ctx *x, bool *known);

/* Delta of a /proc/net/snmp(6) counter; false when unknown. */
bool diag_snmp_delta(const struct diag_ctx *x, enum snmp_id id,
		     uint64_t *out);
/* The counter exists in at least one snapshot (optional columns). */
bool diag_snmp_present(const struct diag_ctx *x, enum snmp_id id);
/* /proc/net/snmp6 was read in both snapshots. */
bool diag_have_v6(const struct diag_ctx *x);

struct optval diag_rate(const struct diag_ctx *x, bool known, uint64_t n);
struct optval diag_per_s(const struct diag_ctx *x, struct optval count);

/* Formats a CPU bitmap as "0-3,8"; "" when empty. */
void diag_cpulist_format(const uint64_t *bits, char *buf, size_t size);
/* The affinity of an IRQ in s, or NULL when unknown. */
const uint64_t *diag_irq_affinity(const struct snapshot *s, int irq);

/* Appends a finding; takes the detail text from the strbuf. Returns it,
 * its about fields unknown, for the caller to fill (valid until the next
 * finding is added). */
struct finding *diag_add_finding(struct diagnosis *d, const char *id,
				 struct strbuf *detail);

/* Fills the about fields that name a device, or a socket. */
void diag_about_device(struct finding_about *a, const char *dev);
void diag_about_socket(struct finding_about *a, const struct socket_row *r);

#endif
