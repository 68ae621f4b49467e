/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings: named conditions worth an operator's attention, each with a
 * stable identifier and one line of detail. They read the rows diagnose
 * already computed, plus a few snapshot facts (hash fields, sysctls). */
#include "config.h"

#include <inttypes.h>
#include <linux/ethtool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"
#include "util.h"

#define RSS_MIN_PPS 100.0
#define RSS_MIN_SHARE 0.6
#define SOFTIRQ_SATURATED_PCT 90.0
#define RCVBUF_MAX_SOCKETS 5
/* A queue this busy is worth saying which CPU serves it. */
#define IRQ_CPU_MIN_PPS 1000.0
#define IRQ_CPU_MAX 8
/* Ports a finding names from the drop reasons. */
#define REASON_PORTS_MAX 5
/* RXH_DISCARD is (1 << 31) in <linux/ethtool.h>, an int overflow (UBSan
 * flags it): the same bit, spelled unsigned. */
#define HASH_DISCARD ((uint32_t)1 << 31)

/* Rates in one-line details: a fraction only where it matters. */
static void rate_put(struct strbuf *sb, double v)
{
	if (v < 10 && v != (double)(uint64_t)v)
		sb_printf(sb, "%.1f", v);
	else
		sb_printf(sb, "%.0f", v);
}

static void sysctl_put(struct strbuf *sb, const struct snapshot *s,
		       const char *name, enum sysctl_id id)
{
	if (s->sysctl_have[id])
		sb_printf(sb, "%s = %" PRIu64, name, s->sysctl[id]);
	else
		sb_printf(sb, "%s unknown", name);
}

/* "IP SA, IP DA" in ethtool's own words for the RXH_* bits. */
static void hash_fields_put(struct strbuf *sb, uint32_t fields)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ RXH_L2DA, "L2DA" },       { RXH_VLAN, "VLAN tag" },
		{ RXH_L3_PROTO, "L3 proto" }, { RXH_IP_SRC, "IP SA" },
		{ RXH_IP_DST, "IP DA" },    { RXH_L4_B_0_1, "L4 bytes 0 & 1" },
		{ RXH_L4_B_2_3, "L4 bytes 2 & 3" },
	};
	size_t start = sb->len;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (fields & names[i].bit)
			sb_printf(sb, "%s%s", sb->len > start ? ", " : "",
				  names[i].name);
	if (sb->len == start)
		sb_puts(sb, "no fields");
}

/* When UDP hashing leaves out the ports, all flows between two hosts land
 * on one queue: say so and give the fix. */
static void rss_hash_advice(struct strbuf *sb, const struct device *c)
{
	const uint32_t ports = RXH_L4_B_0_1 | RXH_L4_B_2_3;

	if (!c || !c->udp4_hash.known ||
	    (c->udp4_hash.fields & ports) == ports)
		return;
	sb_puts(sb, "; udp4 hash uses ");
	hash_fields_put(sb, c->udp4_hash.fields & ~HASH_DISCARD);
	sb_printf(sb, " only: ethtool -N %s rx-flow-hash udp4 sdfn", c->name);
}

/* How many RSS indirection table entries send packets to each queue;
 * counts[q] for q < nq, entries naming other queues are left out. */
static size_t *rss_table_counts(const struct device *c, size_t nq)
{
	size_t *counts = xcalloc(nq + 1, sizeof(*counts));

	for (size_t i = 0; i < c->nrss_indir; i++)
		if (c->rss_indir[i] < nq)
			counts[c->rss_indir[i]]++;
	return counts;
}

/* The indirection table tells a table that sends the queue its traffic
 * (or leaves queues out: the fix is an even table) from an even table
 * whose queue still gets most packets (few flows, or flows the hash
 * cannot tell apart). */
static void rss_table_advice(struct strbuf *sb, const struct device *c,
			     const struct queue_row *rows, size_t n,
			     const struct queue_row *busiest, double need)
{
	size_t nq = 0, absent = 0, *counts;

	if (!c || c->nrss_indir == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (rows[i].queue >= 0 && (size_t)rows[i].queue + 1 > nq)
			nq = (size_t)rows[i].queue + 1;
	counts = rss_table_counts(c, nq);
	for (size_t i = 0; i < n; i++)
		absent += rows[i].queue >= 0 && counts[rows[i].queue] == 0;
	sb_printf(sb, "; RSS table sends it %zu of %zu entries",
		  busiest->queue >= 0 ? counts[busiest->queue] : 0,
		  c->nrss_indir);
	if (absent)
		sb_printf(sb, ", %zu queue%s none", absent,
			  absent == 1 ? "" : "s");
	if (absent || busiest->queue < 0 ||
	    (double)counts[busiest->queue] >= need * (double)c->nrss_indir)
		sb_printf(sb, ": ethtool -X %s equal %zu", c->name, n);
	else
		sb_puts(sb, " (even: few flows, or flows the hash cannot "
			    "tell apart)");
	free(counts);
}

/* One device's queue rows start at rows[0] and number n. */
static void rss_check_device(const struct diag_ctx *x, struct diagnosis *d,
			     const struct queue_row *rows, size_t n)
{
	const struct queue_row *busiest = NULL;
	struct finding *f;
	double total = 0, need;
	size_t idle = 0;
	struct strbuf sb;

	for (size_t i = 0; i < n; i++) {
		if (!rows[i].rx_pps.known)
			continue;
		total += rows[i].rx_pps.v;
		if (!busiest || rows[i].rx_pps.v > busiest->rx_pps.v)
			busiest = &rows[i];
	}
	need = 1.5 / (double)n > RSS_MIN_SHARE ? 1.5 / (double)n
					       : RSS_MIN_SHARE;
	/* share is unknown when one queue's counter reset: no judgement. */
	if (n < 2 || !busiest || !busiest->share.known ||
	    total < RSS_MIN_PPS || busiest->rx_pps.v < need * total)
		return;
	for (size_t i = 0; i < n; i++)
		idle += &rows[i] != busiest && rows[i].idle;
	sb_init(&sb);
	sb_printf(&sb, "%s: queue %d carries %.0f%% of %.0f rx pkt/s",
		  busiest->dev, busiest->queue,
		  100.0 * busiest->rx_pps.v / total, total);
	if (idle)
		sb_printf(&sb, ", %zu other queue%s idle", idle,
			  idle == 1 ? "" : "s");
	rss_table_advice(&sb, snapshot_find_device(x->cur, busiest->dev),
			 rows, n, busiest, need);
	rss_hash_advice(&sb, snapshot_find_device(x->cur, busiest->dev));
	f = diag_add_finding(d, "rss-imbalance", &sb);
	diag_about_device(&f->about, busiest->dev);
	f->about.queue = busiest->queue;
	f->about.rate = busiest->rx_pps;
}

static void find_rss_imbalance(const struct diag_ctx *x, struct diagnosis *d)
{
	size_t start = 0;

	while (start < d->nqueues) {
		size_t end = start + 1;

		while (end < d->nqueues &&
		       strcmp(d->queues[end].dev, d->queues[start].dev) == 0)
			end++;
		rss_check_device(x, d, &d->queues[start], end - start);
		start = end;
	}
}

static bool softirq_saturated(const struct cpu_row *r)
{
	/* Not v >= 90: a NaN share counts, as it always did. */
	return r->softirq_pct.known &&
	       !(r->softirq_pct.v < SOFTIRQ_SATURATED_PCT);
}

/* Whether any CPU's softnet column (squeeze or dropped) moved: the
 * findings below start their text only then, not for every input. */
static bool any_cpu_moving(const struct diagnosis *d, bool squeeze)
{
	for (size_t i = 0; i < d->ncpus; i++) {
		struct optval v = squeeze ? d->cpus[i].squeeze_ps
					  : d->cpus[i].dropped_ps;

		if (v.known && !(v.v <= 0))   /* as cpus_moving() */
			return true;
	}
	return false;
}

static void find_softirq_saturated(struct diagnosis *d)
{
	const struct cpu_row *top = NULL;
	struct strbuf sb;
	size_t n = 0, first = 0;

	while (first < d->ncpus && !softirq_saturated(&d->cpus[first]))
		first++;
	if (first == d->ncpus)
		return;   /* no text built (and no block) for nothing */
	sb_init(&sb);
	sb_puts(&sb, "softirq takes >= 90% of ");
	for (size_t i = first; i < d->ncpus; i++) {
		const struct cpu_row *r = &d->cpus[i];

		if (!softirq_saturated(r))
			continue;
		sb_printf(&sb, "%sCPU %d (%.0f%%%s)", n ? ", " : "", r->cpu,
			  r->softirq_pct.v,
			  r->serves_rx_irq ? ", serves an RX IRQ" : "");
		if (!top || r->softirq_pct.v > top->softirq_pct.v)
			top = r;
		n++;
	}
	if (!n) {
		sb_free(&sb);
		return;
	}
	sb_puts(&sb, "; spread RX IRQs (IRQ affinity) or enable RPS");
	diag_add_finding(d, "softirq-saturated", &sb)->about.cpu = top->cpu;
}

/* Lists the CPUs whose softnet column moved, each with its rate; about
 * gets the worst CPU and the sum of the rates. */
static size_t cpus_moving(const struct diagnosis *d, struct strbuf *sb,
			  bool squeeze, struct finding_about *about)
{
	double worst = 0, sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < d->ncpus; i++) {
		struct optval v = squeeze ? d->cpus[i].squeeze_ps
					  : d->cpus[i].dropped_ps;

		if (!v.known || v.v <= 0)
			continue;
		sb_printf(sb, "%sCPU %d (", n ? ", " : "", d->cpus[i].cpu);
		rate_put(sb, v.v);
		sb_puts(sb, "/s)");
		if (v.v > worst) {
			worst = v.v;
			about->cpu = d->cpus[i].cpu;
		}
		sum += v.v;
		n++;
	}
	about->rate = opt_known(sum);
	return n;
}

/* The finding names the sysctl it quotes, with its value when read. */
static void about_sysctl(struct finding_about *a, const struct snapshot *s,
			 const char *name, enum sysctl_id id)
{
	a->setting = name;
	if (s->sysctl_have[id])
		a->current = opt_known((double)s->sysctl[id]);
}

/* A softnet finding: the worst CPU and the rate from cpus_moving(). */
static void about_moving(struct finding *f, const struct finding_about *m,
			 const struct snapshot *s, const char *name,
			 enum sysctl_id id)
{
	f->about.cpu = m->cpu;
	f->about.rate = m->rate;
	about_sysctl(&f->about, s, name, id);
}

static void find_backlog_drops(const struct diag_ctx *x, struct diagnosis *d)
{
	struct finding_about about = { .cpu = -1 };
	struct strbuf sb;

	if (!any_cpu_moving(d, false))
		return;
	sb_init(&sb);
	sb_puts(&sb, "softnet backlog full on ");
	if (!cpus_moving(d, &sb, false, &about)) {
		sb_free(&sb);
		return;
	}
	sb_puts(&sb, "; ");
	sysctl_put(&sb, x->cur, "net.core.netdev_max_backlog",
		   SYSCTL_NETDEV_MAX_BACKLOG);
	about_moving(diag_add_finding(d, "backlog-drops", &sb), &about,
		     x->cur, "net.core.netdev_max_backlog",
		     SYSCTL_NETDEV_MAX_BACKLOG);
}

static void find_time_squeeze(const struct diag_ctx *x, struct diagnosis *d)
{
	struct finding_about about = { .cpu = -1 };
	struct strbuf sb;

	if (!any_cpu_moving(d, true))
		return;
	sb_init(&sb);
	sb_puts(&sb, "NET_RX ran out of budget on ");
	if (!cpus_moving(d, &sb, true, &about)) {
		sb_free(&sb);
		return;
	}
	sb_puts(&sb, "; ");
	sysctl_put(&sb, x->cur, "net.core.netdev_budget", SYSCTL_NETDEV_BUDGET);
	sb_puts(&sb, ", ");
	sysctl_put(&sb, x->cur, "net.core.netdev_budget_usecs",
		   SYSCTL_NETDEV_BUDGET_USECS);
	about_moving(diag_add_finding(d, "time-squeeze", &sb), &about, x->cur,
		     "net.core.netdev_budget", SYSCTL_NETDEV_BUDGET);
}

/* The UDP ports the kernel's drop reason names, after a finding's
 * counters. */
static void reason_ports_put(const struct diagnosis *d, const char *reason,
			     struct strbuf *sb)
{
	struct strbuf ports;

	sb_init(&ports);
	if (diag_reason_ports_put(d, reason, true, &ports,
				  REASON_PORTS_MAX))
		sb_printf(sb, "; by port (drop reason %s): %s", reason,
			  ports.s);
	sb_free(&ports);
}

/* Sum of the v4 and (when read) v6 deltas of one Udp counter. */
static uint64_t udp_delta(const struct diag_ctx *x, enum snmp_id v4,
			  enum snmp_id v6, uint64_t *d6)
{
	uint64_t a = 0, b = 0;

	if (!diag_snmp_delta(x, v4, &a))
		a = 0;
	if (!diag_have_v6(x) || !diag_snmp_delta(x, v6, &b))
		b = 0;
	*d6 = b;
	return a + b;
}

static void find_no_listener(const struct diag_ctx *x, struct diagnosis *d)
{
	uint64_t v6, n = udp_delta(x, UDP_NO_PORTS, UDP6_NO_PORTS, &v6);
	struct strbuf sb;

	if (!n)
		return;
	sb_init(&sb);
	rate_put(&sb, (double)n / x->interval);
	sb_printf(&sb, " datagrams/s to UDP ports nobody listens on "
		  "(NoPorts +%" PRIu64 ", Udp6NoPorts +%" PRIu64 ")",
		  n - v6, v6);
	reason_ports_put(d, "NO_SOCKET", &sb);
	diag_add_finding(d, "no-listener", &sb)->about.rate =
	    opt_known((double)n / x->interval);
}

static int sock_drops_desc(const void *a, const void *b)
{
	const struct socket_row *x = *(const struct socket_row *const *)a;
	const struct socket_row *y = *(const struct socket_row *const *)b;

	if (x->drops.v != y->drops.v)
		return x->drops.v > y->drops.v ? -1 : 1;
	return 0;
}

/* The receive buffer against its ceiling: setsockopt(SO_RCVBUF) gets
 * twice the value asked for, capped at twice net.core.rmem_max. */
static void rcvbuf_put(struct strbuf *sb, const struct snapshot *s,
		       const struct socket_row *r)
{
	uint64_t cap;

	if (!r->have_rcvbuf) {
		sb_puts(sb, " rcvbuf unknown (");
		return;
	}
	sb_printf(sb, " of rcvbuf %" PRIu64 " B, ", r->rcvbuf);
	if (r->fill.known)
		sb_printf(sb, "%.0f%% full, ", 100.0 * r->fill.v);
	if (!s->sysctl_have[SYSCTL_RMEM_MAX]) {
		sb_puts(sb, "rmem_max unknown (");
		return;
	}
	cap = 2 * s->sysctl[SYSCTL_RMEM_MAX];
	if (r->rcvbuf >= cap)
		sb_printf(sb, "at the cap 2 x net.core.rmem_max (");
	else
		sb_printf(sb, "SO_RCVBUF can raise it to %" PRIu64
			  " B = 2 x net.core.rmem_max (", cap);
}

static void socket_put(struct strbuf *sb, const struct snapshot *s,
		       const struct socket_row *r)
{
	diag_endpoint_put(sb, r);
	sb_printf(sb, " inode %" PRIu64 " uid %u", r->inode, r->uid);
	diag_owner_put(sb, r);
	sb_printf(sb, " queued %" PRIu64 " B", r->rx_queue);
	rcvbuf_put(sb, s, r);
	rate_put(sb, r->drops_ps.v);
	sb_puts(sb, " drops/s)");
}

/* The sockets whose drops counter moved, the worst first; returns a copy
 * of the worst in *worst (false when none moved). */
static bool dropping_sockets(const struct diagnosis *d,
			     const struct snapshot *s, struct strbuf *sb,
			     struct socket_row *worst)
{
	const struct socket_row **v = xcalloc(d->nsocks + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < d->nsocks; i++)
		if (d->socks[i].drops.known && d->socks[i].drops.v > 0)
			v[n++] = &d->socks[i];
	qsort(v, n, sizeof(*v), sock_drops_desc);
	if (!n)
		sb_puts(sb, "no socket's drop counter moved (sockets gone "
			    "or unreadable)");
	for (size_t i = 0; i < n && i < RCVBUF_MAX_SOCKETS; i++) {
		sb_puts(sb, i ? ", " : "");
		socket_put(sb, s, v[i]);
	}
	if (n > RCVBUF_MAX_SOCKETS)
		sb_printf(sb, ", +%zu more", n - RCVBUF_MAX_SOCKETS);
	if (n)
		*worst = *v[0];
	free(v);
	return n > 0;
}

/* The worst socket's buffer, and what SO_RCVBUF could raise it to. */
static void about_rcvbuf(struct finding_about *a, const struct snapshot *s,
			 const struct socket_row *r)
{
	diag_about_socket(a, r);
	if (!r->have_rcvbuf)
		return;
	a->setting = "rcvbuf";
	a->current = opt_known((double)r->rcvbuf);
	if (s->sysctl_have[SYSCTL_RMEM_MAX] &&
	    r->rcvbuf < 2 * s->sysctl[SYSCTL_RMEM_MAX])
		a->suggested = opt_known(2.0 * (double)s->sysctl[SYSCTL_RMEM_MAX]);
}

static void find_rcvbuf_overflow(const struct diag_ctx *x,
				 struct diagnosis *d)
{
	uint64_t v6, n = udp_delta(x, UDP_RCVBUF_ERRORS, UDP6_RCVBUF_ERRORS,
				   &v6);
	struct socket_row worst;
	bool have_worst;
	struct finding *f;
	struct strbuf sb;

	if (!n)
		return;
	sb_init(&sb);
	rate_put(&sb, (double)n / x->interval);
	sb_puts(&sb, " datagrams/s dropped on full receive buffers: ");
	have_worst = dropping_sockets(d, x->cur, &sb, &worst);
	sb_puts(&sb, "; ");
	sysctl_put(&sb, x->cur, "net.core.rmem_max", SYSCTL_RMEM_MAX);
	sb_puts(&sb, ", ");
	sysctl_put(&sb, x->cur, "net.core.rmem_default", SYSCTL_RMEM_DEFAULT);
	reason_ports_put(d, "SOCKET_RCVBUFF", &sb);
	f = diag_add_finding(d, "rcvbuf-overflow", &sb);
	f->about.rate = opt_known((double)n / x->interval);
	if (have_worst)
		about_rcvbuf(&f->about, x->cur, &worst);
}

/* NIC drops while the RX ring could be larger: the cheapest fix. */
static void find_ring_small(struct diagnosis *d)
{
	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *r = &d->devs[i];
		struct finding *f;
		struct strbuf sb;

		if (!r->nic_lost_pps.known || r->nic_lost_pps.v <= 0 ||
		    r->ring_rx <= 0 || r->ring_rx_max <= r->ring_rx)
			continue;
		sb_init(&sb);
		sb_printf(&sb, "%s: ", r->name);
		rate_put(&sb, r->nic_lost_pps.v);
		sb_printf(&sb, " NIC drops/s (%s) with the RX ring at %d of a "
			  "maximum %d: ethtool -G %s rx %d", r->nic_loss_source,
			  r->ring_rx, r->ring_rx_max, r->name, r->ring_rx_max);
		f = diag_add_finding(d, "ring-small", &sb);
		diag_about_device(&f->about, r->name);
		f->about.rate = r->nic_lost_pps;
		f->about.setting = "ethtool -G rx";
		f->about.current = opt_known(r->ring_rx);
		f->about.suggested = opt_known(r->ring_rx_max);
	}
}

static const struct cpu_row *find_cpu_row(const struct diagnosis *d,
					  int cpu)
{
	for (size_t i = 0; i < d->ncpus; i++)
		if (d->cpus[i].cpu == cpu)
			return &d->cpus[i];
	return NULL;
}

/* The one CPU the queue's IRQ is bound to, or -1. */
static int irq_single_cpu(const struct queue_row *q)
{
	uint64_t bits[CPU_WORDS];
	char *copy = xstrdup(q->cpus);
	int n = cpulist_parse(copy, bits, MAX_CPUS), cpu = -1;

	free(copy);
	for (int i = 0; n == 1 && i < MAX_CPUS && cpu < 0; i++)
		if (cpulist_has(bits, i))
			cpu = i;
	return cpu;
}

/* ", softirq 87%" when the IRQ is bound to exactly one CPU we know. */
static void irq_cpu_load(const struct diagnosis *d, const struct queue_row *q,
			 struct strbuf *sb)
{
	int cpu = irq_single_cpu(q);
	const struct cpu_row *c = cpu >= 0 ? find_cpu_row(d, cpu) : NULL;

	if (c && c->softirq_pct.known)
		sb_printf(sb, " (softirq %.0f%%)", c->softirq_pct.v);
}

/* Which CPU serves a busy RX queue, from the kernel's own queue -> NAPI
 * -> IRQ mapping (netdev netlink), not from IRQ names. */
static void irq_cpu_queue(struct diagnosis *d, const struct queue_row *q,
			  bool by_napi)
{
	struct finding *f;
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "%s queue %d (", q->dev, q->queue);
	rate_put(&sb, q->rx_pps.v);
	sb_printf(&sb, " rx pkt/s): NAPI %ld", q->napi_id);
	if (by_napi)
		sb_printf(&sb, " -> IRQ %d", q->irq);
	if (by_napi && q->cpus[0]) {
		sb_printf(&sb, " -> CPU %s", q->cpus);
		irq_cpu_load(d, q, &sb);
	}
	/* Threaded NAPI polls in a kthread the scheduler places, not in
	 * the softirq of the CPU the IRQ fires on. */
	if (q->napi_pid > 0)
		sb_printf(&sb, "; threaded NAPI: polled by kthread pid %d",
			  q->napi_pid);
	f = diag_add_finding(d, "irq-cpu", &sb);
	diag_about_device(&f->about, q->dev);
	f->about.queue = q->queue;
	f->about.rate = q->rx_pps;
	if (by_napi && q->cpus[0])
		f->about.cpu = irq_single_cpu(q);
}

static void find_irq_cpu(struct diagnosis *d)
{
	size_t n = 0, nq = d->nqueues;

	for (size_t i = 0; i < nq && n < IRQ_CPU_MAX; i++) {
		/* A copy: diag_add_finding() may move nothing here, but the
		 * row must not alias what it grows. */
		const struct queue_row q_row = d->queues[i], *q = &q_row;
		bool by_napi = q->irq >= 0 && q->irq_source &&
			       strcmp(q->irq_source, "napi") == 0;

		if (!q->rx_pps.known || q->rx_pps.v < IRQ_CPU_MIN_PPS ||
		    q->napi_id < 0 ||
		    (!(by_napi && q->cpus[0]) && q->napi_pid <= 0))
			continue;
		irq_cpu_queue(d, q, by_napi);
		n++;
	}
}

void diag_findings(const struct diag_ctx *x, struct diagnosis *d)
{
	find_rss_imbalance(x, d);
	find_softirq_saturated(d);
	find_backlog_drops(x, d);
	find_time_squeeze(x, d);
	find_no_listener(x, d);
	find_rcvbuf_overflow(x, d);
	diag_find_reuseport_imbalance(x, d);
	find_ring_small(d);
	diag_find_link_down(d);
	find_irq_cpu(d);
	diag_receiver_findings(x, d);
	diag_ip_findings(x, d);
	diag_nf_findings(x, d);
}
