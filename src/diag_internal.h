/* Shared by the diagnosis files only (diagnose.c, diag_stages.c,
 * diag_rows.c, diag_hints.c, findings.c). Everything here is a pure
 * function of the two snapshots and the diagnosis being filled. */
#ifndef DROPTOP_DIAG_INTERNAL_H
#define DROPTOP_DIAG_INTERNAL_H

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

#define NIC_CANDS 5

/* NIC loss of one device between two snapshots: the largest of the
 * candidate counters that describe the same drops (see diag_stages.c). */
struct nic_loss {
	bool rx_known;          /* sysfs rx_packets delta */
	uint64_t rx;
	bool known;             /* at least one candidate known */
	uint64_t loss;
	const char *source;     /* the candidate used, NULL when unknown */
	int source_idx;         /* its index, -1 when unknown */
	/* candidates: 0 sysfs, 1 device-level driver, 2 per-queue (driver
	 * or qstats), 3 qstats device rx-hw-drops + rx-alloc-fail, 4 ethtool
	 * eth-mac FramesLostDueToIntMACRcvError */
	bool cand_present[NIC_CANDS]; /* the counters exist in either snapshot */
	bool cand_known[NIC_CANDS];
	uint64_t cand[NIC_CANDS];
	bool sys_present[3];    /* rx_missed_errors, rx_fifo_errors, */
	bool sys_known[3];      /* rx_over_errors one by one */
	uint64_t sys[3];
};

void diag_nic_loss(const struct device *p, const struct device *c,
		   struct nic_loss *out);

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

char *diag_strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* diag_sockets.c: socket sources, REUSEPORT groups and their finding. */
void diag_socket_groups(const struct diag_ctx *x, struct diagnosis *d);
void diag_find_reuseport_imbalance(const struct diag_ctx *x,
				   struct diagnosis *d);
/* "127.0.0.1:53" or "[::]:53", as ss prints them. */
void diag_endpoint_put(struct strbuf *sb, const struct socket_row *r);
/* " pid 812 (named)" when the owner is known, else nothing. */
void diag_owner_put(struct strbuf *sb, const struct socket_row *r);
/* diag_receiver.c: the built-in receiver. diag_receiver_packets adds its
 * packets over the interval to in and returns true when both snapshots
 * have it running. */
bool diag_receiver_packets(const struct diag_ctx *x, struct acc *in);
void diag_receiver_rows(const struct diag_ctx *x, struct diagnosis *d);
void diag_receiver_findings(const struct diag_ctx *x, struct diagnosis *d);
/* findings.c: appends a finding; takes the detail text from the strbuf. */
void diag_add_finding(struct diagnosis *d, const char *id,
		      struct strbuf *detail);

void diag_stages(struct diag_ctx *x, struct diagnosis *d);
void diag_rows(const struct diag_ctx *x, struct diagnosis *d);
void diag_verdict(const struct diag_ctx *x, struct diagnosis *d);
void diag_findings(const struct diag_ctx *x, struct diagnosis *d);

#endif
