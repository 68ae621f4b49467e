/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-device, per-queue, per-CPU and per-socket rows of the diagnosis.
 * Only things present in both snapshots get a row (sockets: every socket of
 * the later snapshot, with unknown drops when it is new). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"
#include "util.h"

/* The earlier snapshot's driver counters sorted by name, built only when
 * the two layouts differ (channels changed): a linear search per counter
 * was quadratic in the thousands of counters of a many-queue device. */
struct prev_index {
	struct name_key *v;
	size_t n;
};

static void prev_index_build(const struct device *p, struct prev_index *ix)
{
	ix->n = p->nctrs;
	ix->v = xcalloc(p->nctrs + 1, sizeof(*ix->v));
	for (size_t i = 0; i < p->nctrs; i++)
		ix->v[i] = name_key(p->ctrs[i].name, &p->ctrs[i]);
	qsort(ix->v, ix->n, sizeof(*ix->v), name_key_cmp);
}

/* The same driver counter in the earlier snapshot: usually at the same
 * index, else found in the sorted index (built on first need). */
static const struct ethtool_counter *
find_prev_counter(const struct device *p, size_t hint,
		  const struct ethtool_counter *cc, struct prev_index *ix)
{
	const struct name_key *hit;
	struct name_key k;

	if (hint < p->nctrs && strcmp(p->ctrs[hint].name, cc->name) == 0)
		return &p->ctrs[hint];
	if (!ix->v)
		prev_index_build(p, ix);
	k = name_key(cc->name, NULL);
	hit = bsearch(&k, ix->v, ix->n, sizeof(*ix->v), name_key_cmp);
	return hit ? hit->item : NULL;
}

/* The OTHER counters of c, and the bytes their names take with NULs. */
static size_t count_other_counters(const struct device *c, size_t *bytes)
{
	size_t n = 0;

	*bytes = 0;
	for (size_t i = 0; i < c->nctrs; i++)
		if (c->ctrs[i].cls.kind == KIND_OTHER) {
			n++;
			*bytes += strlen(c->ctrs[i].name) + 1;
		}
	return n;
}

/* Driver counters the classifier does not know are listed with their
 * rate, so that an operator still sees them; those in one snapshot only
 * have no rate and no row (diag_notes.c counts them). A driver can have
 * thousands: the names go in one block after their pointers, one
 * allocation instead of one per name. */
static void device_other_counters(const struct diag_ctx *x,
				  const struct device *p,
				  const struct device *c,
				  struct device_row *r)
{
	size_t bytes, n = count_other_counters(c, &bytes);
	struct prev_index ix = { NULL, 0 };
	char *next;

	r->other_names = xmalloc((n + 1) * sizeof(*r->other_names) + bytes);
	next = (char *)(r->other_names + n + 1);
	r->other_ps = xcalloc(n + 1, sizeof(*r->other_ps));
	for (size_t i = 0; i < c->nctrs; i++) {
		const struct ethtool_counter *cc = &c->ctrs[i], *pc;
		size_t len = strlen(cc->name) + 1;
		uint64_t v = 0;
		bool known;

		if (cc->cls.kind != KIND_OTHER)
			continue;
		pc = find_prev_counter(p, i, cc, &ix);
		if (!pc)
			continue; /* new this interval: a note counts them */
		known = delta64(true, pc->value, true, cc->value, &v);
		r->other_names[r->nother] = memcpy(next, cc->name, len);
		next += len;
		r->other_ps[r->nother] = diag_rate(x, known, v);
		r->nother++;
	}
	r->other_names[r->nother] = NULL;
	free(ix.v);
}

static void device_row_fill(const struct diag_ctx *x, const struct device *p,
			    const struct device *c, struct device_row *r)
{
	struct nic_loss l;

	memset(r, 0, sizeof(*r));
	copy_token(r->name, sizeof(r->name), c->name, strlen(c->name));
	copy_token(r->driver, sizeof(r->driver), c->driver,
		   strnlen(c->driver, sizeof(c->driver)));
	diag_nic_loss(p, c, &l);
	r->rx_pps = diag_rate(x, l.rx_known, l.rx);
	r->nic_lost_pps = diag_rate(x, l.known, l.loss);
	r->nic_loss_source = l.source;
	r->nrxq = c->nrxq;
	r->numa_node = c->numa_node;
	r->stats_source = !c->have_sysfs ? NULL :
			  c->sys_from_link ? "link" : "sysfs";
	r->ring_rx = c->ring_rx;
	r->ring_rx_max = c->ring_rx_max;
	diag_link_row_fill(c, r);
	device_other_counters(x, p, c, r);
}

static bool queue_delta(const struct rx_queue *pq, const struct rx_queue *cq,
			bool drops, uint64_t *out)
{
	if (drops)
		return delta64(pq && pq->have_drops, pq ? pq->drops : 0,
			       cq->have_drops, cq->drops, out);
	return delta64(pq && pq->have_packets, pq ? pq->packets : 0,
		       cq->have_packets, cq->packets, out);
}

/* The device's per-queue rx over the interval: unknown as soon as one
 * queue with a packet counter cannot give a delta. */
static struct acc device_queue_total(const struct device *p,
				     const struct device *c)
{
	struct acc sum = acc_start();
	bool any = false;

	for (int q = 0; q < c->nrxq; q++) {
		const struct rx_queue *cq = &c->rxq[q];
		const struct rx_queue *pq = device_rxq(p, cq->id);
		uint64_t v = 0;
		bool known;

		if (!cq->have_packets && !(pq && pq->have_packets))
			continue;
		any = true;
		known = queue_delta(pq, cq, false, &v);
		acc_add(&sum, known, v);
	}
	sum.known &= any;
	return sum;
}

/* Idle only when known to be: a queue without a packet counter of its
 * own (veth counts only XDP packets per queue) on a device that receives
 * may carry all of it, so it stays shown, with its rate unknown. A queue
 * whose counter is in one snapshot only (channels changed) is not such a
 * queue: no row of "?" for it (diag_notes.c notes the change). */
static bool queue_idle(bool rx_known, uint64_t rx, bool counted,
		       bool drops_known, uint64_t drops, struct optval dev_rx)
{
	bool no_rx = rx_known ? rx == 0
			      : counted || (dev_rx.known && dev_rx.v == 0);

	return no_rx && (!drops_known || drops == 0);
}

/* The row of c's queue at position i (not its id: queues are sparse). */
static void queue_row_fill(const struct diag_ctx *x, const struct device *p,
			   const struct device *c, int i, struct acc total,
			   struct optval dev_rx, struct queue_row *r)
{
	const struct rx_queue *cq = &c->rxq[i];
	const struct rx_queue *pq = device_rxq(p, cq->id);
	const uint64_t *aff = diag_irq_affinity(x->cur, cq->irq);
	uint64_t rx = 0, drops = 0;
	bool rx_known = queue_delta(pq, cq, false, &rx);
	bool drops_known = queue_delta(pq, cq, true, &drops);

	memset(r, 0, sizeof(*r));
	copy_token(r->dev, sizeof(r->dev), c->name, strlen(c->name));
	r->queue = cq->id;
	r->rx_pps = diag_rate(x, rx_known, rx);
	r->drops_pps = diag_rate(x, drops_known, drops);
	r->share = rx_known && total.known && total.n > 0
			   ? opt_known((double)rx / (double)total.n)
			   : opt_unknown();
	r->irq = cq->irq;
	if (aff)
		diag_cpulist_format(aff, r->cpus, sizeof(r->cpus));
	r->idle = queue_idle(rx_known, rx,
			     cq->have_packets || (pq && pq->have_packets),
			     drops_known, drops, dev_rx);
	r->source = cq->source;
	r->drops_source = cq->drops_source;
	r->napi_id = cq->have_napi ? (long)cq->napi_id : -1;
	r->napi_pid = cq->have_napi && cq->napi_pid > 0 ? cq->napi_pid : -1;
	r->irq_source = r->irq < 0 ? NULL :
			cq->irq_from_napi ? "napi" : "name";
}

/* Rows are allocated once, for every device and queue of the current
 * snapshot: growing them device by device copied all queue rows so far
 * once per device (thousands of devices in a hostile recording). */
static void device_rows(const struct diag_ctx *x, struct diagnosis *d)
{
	size_t nq = 0;

	for (size_t i = 0; i < x->cur->ndevs; i++)
		nq += (size_t)x->cur->devs[i].nrxq;
	d->devs = xrealloc(d->devs, (d->ndevs + x->cur->ndevs) * sizeof(*d->devs));
	d->queues = xrealloc(d->queues, (d->nqueues + nq) * sizeof(*d->queues));
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const struct device *c = &x->cur->devs[i];
		const struct device *p = snapshot_find_device(x->prev, c->name);
		struct acc total;

		if (!p)
			continue;
		device_row_fill(x, p, c, &d->devs[d->ndevs]);
		total = device_queue_total(p, c);
		for (int q = 0; q < c->nrxq; q++)
			queue_row_fill(x, p, c, q, total,
				       d->devs[d->ndevs].rx_pps,
				       &d->queues[d->nqueues++]);
		d->ndevs++;
	}
}

/* The CPUs an RX queue IRQ of a watched device may run on: the union of
 * their affinities, built once per diagnosis so that marking each CPU is
 * one bit test (per CPU over every queue's IRQ was cubic on big hosts). */
static void rx_irq_cpus(const struct diag_ctx *x, uint64_t *bits)
{
	memset(bits, 0, CPU_WORDS * sizeof(*bits));
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const struct device *c = &x->cur->devs[i];

		if (!snapshot_find_device(x->prev, c->name))
			continue;
		for (int q = 0; q < c->nrxq; q++) {
			const uint64_t *aff =
				diag_irq_affinity(x->cur, c->rxq[q].irq);

			for (size_t w = 0; aff && w < CPU_WORDS; w++)
				bits[w] |= aff[w];
		}
	}
}

static bool cpu_present(const struct cpu_stat *s)
{
	return s->have_softnet || s->have_net_rx || s->have_times;
}

/* softnet_stat and /proc/softirqs print 32-bit counters: they wrap. */
static struct optval rate32(const struct diag_ctx *x, bool had, uint64_t pv,
			    bool has, uint64_t cv)
{
	uint64_t v = 0;
	bool known = delta32(had, pv, has, cv, &v);

	return diag_rate(x, known, v);
}

static struct optval softirq_pct(const struct cpu_stat *p,
				 const struct cpu_stat *c)
{
	uint64_t si = 0, total = 0;

	if (!delta64(p->have_times, p->softirq_ticks, c->have_times,
		     c->softirq_ticks, &si) ||
	    !delta64(p->have_times, p->total_ticks, c->have_times,
		     c->total_ticks, &total) ||
	    total == 0)
		return opt_unknown();
	return opt_known(100.0 * (double)si / (double)total);
}

static bool moving(struct optval v)
{
	return v.known && v.v > 0;
}

static void cpu_row_fill(const struct diag_ctx *x, int cpu,
			 const struct cpu_stat *p, const struct cpu_stat *c,
			 const uint64_t *rx_cpus, struct cpu_row *r)
{
	bool sp = p->have_softnet, sc = c->have_softnet;

	memset(r, 0, sizeof(*r));
	r->cpu = cpu;
	r->softirq_pct = softirq_pct(p, c);
	r->net_rx_ps = rate32(x, p->have_net_rx, p->net_rx, c->have_net_rx,
			      c->net_rx);
	r->processed_ps = rate32(x, sp, p->processed, sc, c->processed);
	r->dropped_ps = rate32(x, sp, p->dropped, sc, c->dropped);
	r->squeeze_ps = rate32(x, sp, p->time_squeeze, sc, c->time_squeeze);
	r->flow_limit_ps = rate32(x, sp && p->have_flow_limit, p->flow_limit,
				  sc && c->have_flow_limit, c->flow_limit);
	r->numa_node = c->numa_node;
	r->serves_rx_irq = cpulist_has(rx_cpus, cpu);
	r->idle = !moving(r->net_rx_ps) && !moving(r->processed_ps) &&
		  !moving(r->dropped_ps) && !moving(r->squeeze_ps) &&
		  !moving(r->flow_limit_ps) &&
		  !(r->softirq_pct.known && r->softirq_pct.v >= 1.0);
}

static void cpu_rows(const struct diag_ctx *x, struct diagnosis *d)
{
	int n = x->prev->ncpus < x->cur->ncpus ? x->prev->ncpus
					       : x->cur->ncpus;
	uint64_t rx_cpus[CPU_WORDS];

	rx_irq_cpus(x, rx_cpus);
	d->cpus = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*d->cpus));
	for (int cpu = 0; cpu < n; cpu++) {
		const struct cpu_stat *p = &x->prev->cpus[cpu];
		const struct cpu_stat *c = &x->cur->cpus[cpu];

		if (cpu_present(p) && cpu_present(c))
			cpu_row_fill(x, cpu, p, c, rx_cpus,
				     &d->cpus[d->ncpus++]);
	}
}

static int sock_cmp(const void *a, const void *b)
{
	const struct udp_socket *x = *(const struct udp_socket *const *)a;
	const struct udp_socket *y = *(const struct udp_socket *const *)b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	return 0;
}

static void socket_row_fill(const struct diag_ctx *x,
			    const struct udp_socket *p,
			    const struct udp_socket *c, struct socket_row *r)
{
	uint64_t v = 0;
	bool known;

	memset(r, 0, sizeof(*r));
	r->family = c->family;
	memcpy(r->local, c->local, sizeof(r->local));
	r->local[sizeof(r->local) - 1] = '\0';
	r->lport = c->lport;
	memcpy(r->remote, c->remote, sizeof(r->remote));
	r->remote[sizeof(r->remote) - 1] = '\0';
	r->rport = c->rport;
	r->inode = c->inode;
	r->uid = c->uid;
	r->rx_queue = c->rx_queue;
	known = p && delta64(p->have_drops, p->drops, c->have_drops, c->drops,
			     &v);
	r->drops = known ? opt_known((double)v) : opt_unknown();
	r->drops_ps = diag_rate(x, known, v);
	r->idle = (!known || v == 0) && c->rx_queue == 0;
	r->have_rcvbuf = c->have_rcvbuf;
	r->rcvbuf = c->rcvbuf;
	r->fill = c->have_rcvbuf && c->rcvbuf > 0
			  ? opt_known((double)c->rx_queue / (double)c->rcvbuf)
			  : opt_unknown();
	r->pid = c->pid;
	memcpy(r->comm, c->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
}

/* Sockets are matched by family, inode and local port; a host may have
 * thousands, so the earlier ones are sorted once and searched. */
static void socket_rows(const struct diag_ctx *x, struct diagnosis *d)
{
	const struct snapshot *ps = x->prev;
	const struct udp_socket **idx;

	/* No block when there is nothing to index (every empty input of
	 * the fuzz targets would pay for it). */
	idx = ps->nsocks ? xcalloc(ps->nsocks, sizeof(*idx)) : NULL;
	for (size_t i = 0; i < ps->nsocks; i++)
		idx[i] = &ps->socks[i];
	if (ps->nsocks)
		qsort(idx, ps->nsocks, sizeof(*idx), sock_cmp);
	d->socks = xcalloc(x->cur->nsocks ? x->cur->nsocks : 1,
			   sizeof(*d->socks));
	for (size_t i = 0; i < x->cur->nsocks; i++) {
		const struct udp_socket *c = &x->cur->socks[i];
		const struct udp_socket *const *hit = NULL;

		if (ps->nsocks)
			hit = bsearch(&c, idx, ps->nsocks, sizeof(*idx),
				      sock_cmp);
		socket_row_fill(x, hit ? *hit : NULL, c, &d->socks[i]);
	}
	d->nsocks = x->cur->nsocks;
	free(idx);
}

void diag_rows(const struct diag_ctx *x, struct diagnosis *d)
{
	device_rows(x, d);
	cpu_rows(x, d);
	socket_rows(x, d);
	diag_socket_groups(x, d);
}
