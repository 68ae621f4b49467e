/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in receiver in the diagnosis: its packets are the app stage,
 * its threads get rows, and two findings judge where they run:
 * numa-mismatch (a thread on another NUMA node than the NIC) and
 * irq-cpu-shared (a thread on a CPU that serves a busy RX queue's IRQ).
 * Threads are matched by id; a thread in one snapshot only makes the sum
 * unknown rather than short. */
#include "config.h"

#include <string.h>

#include "diag_internal.h"
#include "util.h"

static bool both_present(const struct diag_ctx *x)
{
	return x->prev->receiver.present && x->cur->receiver.present;
}

bool diag_receiver_packets(const struct diag_ctx *x, struct acc *in)
{
	const struct receiver_state *p = &x->prev->receiver;
	const struct receiver_state *c = &x->cur->receiver;

	if (!both_present(x))
		return false;
	if (p->nthreads != c->nthreads)
		in->known = false;
	for (size_t i = 0; i < c->nthreads; i++) {
		const struct receiver_thread *ct = &c->threads[i];
		const struct receiver_thread *pt = snapshot_find_thread(x->prev, ct->id);

		acc_delta(in, false, pt && pt->have_packets,
			  pt ? pt->packets : 0, ct->have_packets, ct->packets);
	}
	return true;
}

/* The thread's node, or that of its CPU in the numa source. */
static int thread_node(const struct snapshot *s,
		       const struct receiver_thread *t)
{
	if (t->node >= 0)
		return t->node;
	if (t->cpu >= 0 && t->cpu < s->ncpus)
		return s->cpus[t->cpu].numa_node;
	return -1;
}

static void thread_row_fill(const struct diag_ctx *x,
			    const struct receiver_thread *p,
			    const struct receiver_thread *c,
			    struct receiver_row *r)
{
	uint64_t pk = 0, by = 0, calls = 0, full = 0;
	bool kp = p && delta64(p->have_packets, p->packets, c->have_packets,
			       c->packets, &pk);
	bool kb =
	    p && delta64(p->have_bytes, p->bytes, c->have_bytes, c->bytes, &by);
	bool kc = p && delta64(p->have_calls, p->calls, c->have_calls, c->calls,
			       &calls);
	bool kf =
	    p && delta64(p->have_full, p->full, c->have_full, c->full, &full);

	memset(r, 0, sizeof(*r));
	r->thread = c->id;
	r->pps = diag_rate(x, kp, pk);
	r->bytes_ps = diag_rate(x, kb, by);
	r->avg_batch = kp && kc && calls ? opt_known((double)pk / (double)calls)
					 : opt_unknown();
	r->full_pct = kf && kc && calls
			  ? opt_known(100.0 * (double)full / (double)calls)
			  : opt_unknown();
	r->cpu = c->cpu;
	r->node = thread_node(x->cur, c);
	r->idle = !kp || pk == 0;
}

void diag_receiver_rows(const struct diag_ctx *x, struct diagnosis *d)
{
	const struct receiver_state *c = &x->cur->receiver;
	struct receiver_diag *r = &d->receiver;
	struct acc sum = acc_start();

	if (!both_present(x))
		return;
	r->present = true;
	memcpy(r->addr, c->addr, sizeof(r->addr));
	r->addr[sizeof(r->addr) - 1] = '\0';
	r->batch = c->batch;
	r->reuseport = c->reuseport;
	r->rcvbuf = c->rcvbuf;
	r->busy_poll = c->busy_poll;
	r->threads =
	    xcalloc(c->nthreads ? c->nthreads : 1, sizeof(*r->threads));
	for (size_t i = 0; i < c->nthreads; i++)
		thread_row_fill(x, snapshot_find_thread(x->prev, c->threads[i].id),
				&c->threads[i], &r->threads[r->nthreads++]);
	diag_receiver_packets(x, &sum);
	r->pps = diag_per_s(x, acc_opt(sum));
}

/* "The NIC": the watched device receiving the most. */
static const struct device_row *busiest_device(const struct diagnosis *d)
{
	const struct device_row *best = NULL;

	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *r = &d->devs[i];

		if (!r->rx_pps.known || r->rx_pps.v <= 0)
			continue;
		if (!best || r->rx_pps.v > best->rx_pps.v)
			best = r;
	}
	return best;
}

static void node_cpus_put(struct strbuf *sb, const struct snapshot *s, int node)
{
	char list[64];

	const struct numa_node *n = snapshot_find_node(s, node);

	if (n) {
		diag_cpulist_format(n->cpus, list, sizeof(list));
		sb_printf(sb, " (CPUs %s): pin the receiver there with --cpus %s",
			  list, list);
		return;
	}
	sb_puts(sb, ": pin the receiver to its CPUs with --cpus");
}

static void find_numa_mismatch(const struct diag_ctx *x, struct diagnosis *d)
{
	const struct device_row *nic = busiest_device(d);
	struct finding *f;
	struct strbuf sb;
	int cpu = -1;
	size_t n = 0;

	if (!nic || nic->numa_node < 0)
		return;
	sb_init(&sb);
	for (size_t i = 0; i < d->receiver.nthreads; i++) {
		const struct receiver_row *t = &d->receiver.threads[i];

		if (t->idle || t->node < 0 || t->node == nic->numa_node)
			continue;
		sb_printf(&sb, "%sreceiver thread %d on CPU %d (node %d)",
			  n++ ? ", " : "", t->thread, t->cpu, t->node);
		cpu = cpu < 0 ? t->cpu : cpu;
	}
	if (!n) {
		sb_free(&sb);
		return;
	}
	sb_printf(&sb, "; %s is on node %d", nic->name, nic->numa_node);
	node_cpus_put(&sb, x->cur, nic->numa_node);
	f = diag_add_finding(d, "numa-mismatch", &sb);
	diag_about_device(&f->about, nic->name);
	f->about.cpu = cpu;
}

/* An affinity that includes every CPU of the host does not say which CPU
 * serves the IRQ: only a narrower one is judged. */
static bool affinity_narrow(const struct snapshot *s, const uint64_t *aff)
{
	for (int cpu = 0; cpu < s->ncpus; cpu++) {
		const struct cpu_stat *c = &s->cpus[cpu];

		if ((c->have_softnet || c->have_net_rx || c->have_times) &&
		    !cpulist_has(aff, cpu))
			return true;
	}
	return s->ncpus == 0;
}

static bool queue_busy(const struct diagnosis *d, const struct queue_row *q)
{
	if (q->rx_pps.known)
		return q->rx_pps.v > 0;
	for (size_t i = 0; i < d->ndevs; i++)
		if (strcmp(d->devs[i].name, q->dev) == 0)
			return d->devs[i].rx_pps.known &&
			       d->devs[i].rx_pps.v > 0;
	return false;
}

/* The first busy RX queue whose IRQ may run on cpu, or NULL. */
static const struct queue_row *queue_on_cpu(const struct diag_ctx *x,
					    const struct diagnosis *d, int cpu)
{
	for (size_t i = 0; i < d->nqueues; i++) {
		const struct queue_row *q = &d->queues[i];
		const uint64_t *aff = diag_irq_affinity(x->cur, q->irq);

		if (aff && cpulist_has(aff, cpu) &&
		    affinity_narrow(x->cur, aff) && queue_busy(d, q))
			return q;
	}
	return NULL;
}

static void find_irq_cpu_shared(const struct diag_ctx *x, struct diagnosis *d)
{
	struct queue_row first = { .queue = -1 };
	struct finding *f;
	struct strbuf sb;
	int cpu = -1;
	size_t n = 0;

	sb_init(&sb);
	for (size_t i = 0; i < d->receiver.nthreads; i++) {
		const struct receiver_row *t = &d->receiver.threads[i];
		const struct queue_row *q;

		if (t->idle || t->cpu < 0)
			continue;
		q = queue_on_cpu(x, d, t->cpu);
		if (!q)
			continue;
		sb_printf(&sb,
			  "%sreceiver thread %d on CPU %d, which serves "
			  "RX IRQ %d (%s queue %d)",
			  n++ ? ", " : "", t->thread, t->cpu, q->irq, q->dev,
			  q->queue);
		if (cpu < 0) {
			cpu = t->cpu;
			first = *q;
		}
	}
	if (!n) {
		sb_free(&sb);
		return;
	}
	sb_puts(&sb, "; pin the receiver to other CPUs (--cpus) or move the "
		     "IRQ (/proc/irq/N/smp_affinity_list)");
	f = diag_add_finding(d, "irq-cpu-shared", &sb);
	diag_about_device(&f->about, first.dev);
	f->about.queue = first.queue;
	f->about.cpu = cpu;
}

void diag_receiver_findings(const struct diag_ctx *x, struct diagnosis *d)
{
	if (!d->receiver.present)
		return;
	find_numa_mismatch(x, d);
	find_irq_cpu_shared(x, d);
}
