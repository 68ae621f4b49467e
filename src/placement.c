/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Default placement of the receiver threads. With one snapshot there are
 * no rates: an RX queue counts as busy when it has received packets (or,
 * without per-queue counters, when its IRQ has fired). An IRQ whose
 * affinity spans every allowed CPU says nothing about which CPU serves it
 * and is not avoided. */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#ifdef HAVE_NUMA
#include <numa.h>
#endif

#include "netopt.h"
#include "placement.h"

static void bits_and(uint64_t *a, const uint64_t *b)
{
	for (int i = 0; i < CPU_WORDS; i++)
		a[i] &= b[i];
}

static bool bits_empty(const uint64_t *a)
{
	for (int i = 0; i < CPU_WORDS; i++)
		if (a[i])
			return false;
	return true;
}

/* a contains every bit of b. */
static bool bits_cover(const uint64_t *a, const uint64_t *b)
{
	for (int i = 0; i < CPU_WORDS; i++)
		if ((a[i] & b[i]) != b[i])
			return false;
	return true;
}

const struct device *placement_nic(const struct snapshot *s)
{
	const struct device *best = NULL;

	for (size_t i = 0; i < s->ndevs; i++) {
		const struct device *d = &s->devs[i];

		if (!d->have_sysfs || !d->sys_have[SYS_RX_PACKETS])
			continue;
		if (!best || d->sys[SYS_RX_PACKETS] > best->sys[SYS_RX_PACKETS])
			best = d;
	}
	return best;
}

static const struct irq_line *find_irq(const struct snapshot *s, int irq)
{
	return irq < 0 ? NULL : snapshot_find_irq(s, irq);
}

static bool queue_busy(const struct rx_queue *q, const struct irq_line *l)
{
	if (q->have_packets)
		return q->packets > 0;
	return l->total > 0;
}

/* The CPUs in the affinity of the NIC's busy RX queue IRQs. */
static void busy_irq_cpus(const struct snapshot *s, const struct device *d,
			  const uint64_t *allowed, uint64_t *out)
{
	memset(out, 0, CPU_WORDS * sizeof(*out));
	for (int q = 0; q < d->nrxq; q++) {
		const struct irq_line *l = find_irq(s, d->rxq[q].irq);

		if (!l || !l->have_affinity || !queue_busy(&d->rxq[q], l) ||
		    bits_cover(l->affinity, allowed))
			continue;
		for (int i = 0; i < CPU_WORDS; i++)
			out[i] |= l->affinity[i];
	}
}

void placement_plan(const struct snapshot *s, const uint64_t *allowed,
		    const uint64_t *node_cpus, struct placement *out)
{
	const struct device *nic = placement_nic(s);
	uint64_t set[CPU_WORDS], rest[CPU_WORDS];

	memset(out, 0, sizeof(*out));
	out->node = -1;
	memcpy(out->cpus, allowed, sizeof(out->cpus));
	if (!nic)
		return;
	copy_token(out->nic, sizeof(out->nic), nic->name, strlen(nic->name));
	memcpy(set, allowed, sizeof(set));
	if (node_cpus && nic->numa_node >= 0) {
		bits_and(set, node_cpus);
		if (!bits_empty(set))
			out->node = nic->numa_node;
		else
			memcpy(set, allowed, sizeof(set));
	}
	busy_irq_cpus(s, nic, allowed, out->avoided);
	for (int i = 0; i < CPU_WORDS; i++)
		rest[i] = set[i] & ~out->avoided[i];
	if (bits_empty(rest))
		out->avoid_skipped = !bits_empty(out->avoided);
	else
		memcpy(set, rest, sizeof(set));
	memcpy(out->cpus, set, sizeof(set));
	out->constrained = memcmp(set, allowed, sizeof(set)) != 0;
}

void placement_describe(const struct placement *p, struct strbuf *out)
{
	char cpus[128], avoided[128];

	netopt_cpulist_format(p->cpus, cpus, sizeof(cpus));
	netopt_cpulist_format(p->avoided, avoided, sizeof(avoided));
	if (!p->nic[0]) {
		sb_puts(out, "placement: no watched NIC, threads not pinned\n");
		return;
	}
	sb_printf(out, "placement: %s, CPUs %s", p->nic, cpus);
	if (p->node >= 0)
		sb_printf(out, " (NUMA node %d)", p->node);
	if (avoided[0] && !p->avoid_skipped)
		sb_printf(out, ", avoiding CPUs %s of its busy RX IRQs",
			  avoided);
	else if (avoided[0])
		sb_printf(out,
			  "; its busy RX IRQs use CPUs %s, no other CPU "
			  "is left",
			  avoided);
	sb_puts(out, p->constrained ? "\n" : " (no constraint)\n");
}

void placement_allowed_cpus(uint64_t *bits)
{
	cpu_set_t set;

	memset(bits, 0, CPU_WORDS * sizeof(*bits));
	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		bits[0] = ~(uint64_t)0;
		return;
	}
	for (int cpu = 0; cpu < CPU_SETSIZE && cpu < MAX_CPUS; cpu++)
		if (CPU_ISSET(cpu, &set))
			bits[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}

bool placement_node_cpus(int node, uint64_t *bits)
{
#ifdef HAVE_NUMA
	struct bitmask *bm;
	bool ok;

	if (numa_available() < 0 || node < 0 || node > numa_max_node())
		return false;
	bm = numa_allocate_cpumask();
	ok = numa_node_to_cpus(node, bm) == 0;
	memset(bits, 0, CPU_WORDS * sizeof(*bits));
	for (int cpu = 0; ok && cpu < MAX_CPUS && (unsigned)cpu < bm->size;
	     cpu++)
		if (numa_bitmask_isbitset(bm, (unsigned)cpu))
			bits[cpu / 64] |= (uint64_t)1 << (cpu % 64);
	numa_free_cpumask(bm);
	return ok;
#else
	(void)node;
	(void)bits;
	return false;
#endif
}
