/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dashboard's panels below the waterfall: RX queues, CPUs, sockets,
 * the receiver, the kernel's drop reasons and the findings. Each panel picks the diagnosis rows to
 * show (idle rows hidden unless a, one interface with 1-9), sorts them
 * (s), and turns a row into cells; the layout decides how many lines it
 * gets and dash_panel_draw draws them from the scroll offset. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dashboard_internal.h"
#include "util.h"

/* Sort keys: k1 then k2 descending, then k3 ascending. */
struct sortkey {
	double k1, k2;
	double k3;
	size_t i;
};

static int cmp_keys(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 > y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 > y->k2 ? -1 : 1;
	if (x->k3 != y->k3)
		return x->k3 < y->k3 ? -1 : 1;
	return 0;
}

/* An unknown figure sorts after every known one. */
static double key(struct optval v)
{
	return v.known ? v.v : -1;
}

static void sort_into(struct dash_panelinfo *p, struct sortkey *k, size_t n)
{
	qsort(k, n, sizeof(*k), cmp_keys);
	p->idx = xcalloc(n + 1, sizeof(*p->idx));
	for (size_t i = 0; i < n; i++)
		p->idx[i] = k[i].i;
	p->nrows = n;
	free(k);
}

static void hidden_note(char *buf, size_t size, size_t hidden)
{
	if (hidden)
		snprintf(buf, size, ", %zu idle hidden (a)", hidden);
	else
		buf[0] = '\0';
}

/* ---- RX queues ---------------------------------------------------------- */

static const struct dash_col queue_cols[] = {
	{ "dev", 8, 'l', false, 0, false },
	{ "q", 3, 'r', false, 0, false },
	{ "rx/s", 7, 'r', false, 0, false },
	{ "drop/s", 7, 'r', false, 0, false },
	{ "share", 6, 'r', false, 0, false },
	{ "rx total", 9, 'r', true, 0, false },
	{ "drop total", 10, 'r', true, 0, false },
	{ "", 5, 'b', false, 30, false },
	{ "irq", 4, 'r', false, 0, false },
	{ "cpu", 7, 'l', false, 0, false },
};

static const struct queue_row *total_queue(const struct diagnosis *t,
					   const struct queue_row *q)
{
	for (size_t i = 0; t && i < t->nqueues; i++)
		if (t->queues[i].queue == q->queue &&
		    strcmp(t->queues[i].dev, q->dev) == 0)
			return &t->queues[i];
	return NULL;
}

static void queue_cells(const struct dash_ctx *x,
			const struct dash_panelinfo *p, size_t k,
			struct dash_cellv *out)
{
	const struct queue_row *q = &x->rate->queues[p->idx[k]];
	const struct queue_row *t = total_queue(x->total, q);
	struct optval share = q->share;

	snprintf(out[0].text, sizeof(out[0].text), "%s", q->dev);
	snprintf(out[1].text, sizeof(out[1].text), "%d", q->queue);
	dash_fmt_rate(out[2].text, sizeof(out[2].text), q->rx_pps);
	dash_fmt_rate(out[3].text, sizeof(out[3].text), q->drops_pps);
	if (q->drops_pps.known && q->drops_pps.v > 0)
		out[3].st = DS_WARN;
	share.v *= 100;
	dash_fmt_pct(out[4].text, sizeof(out[4].text), share);
	dash_fmt_rate(out[5].text, sizeof(out[5].text),
		      t ? dash_total_of(x->total, t->rx_pps) : opt_unknown());
	dash_fmt_rate(out[6].text, sizeof(out[6].text),
		      t ? dash_total_of(x->total, t->drops_pps) : opt_unknown());
	out[7].frac = q->share.known ? q->share.v : 0;
	out[7].st = q->share.known && q->share.v >= 0.6 && p->nrows > 1
			    ? DS_WARN : DS_BAR;
	if (q->irq >= 0)
		snprintf(out[8].text, sizeof(out[8].text), "%d", q->irq);
	else
		snprintf(out[8].text, sizeof(out[8].text), "-");
	snprintf(out[9].text, sizeof(out[9].text), "%s",
		 q->cpus[0] ? q->cpus : "-");
}

static bool queue_wanted(const struct dash_ctx *x, const struct queue_row *q)
{
	const struct diagnosis *d = x->rate;
	int f = x->v->dev_focus;

	if (f >= 0 && (size_t)f < d->ndevs && strcmp(d->devs[f].name, q->dev))
		return false;
	return true;
}

static const char *const queue_sorts[DASH_SORTS] = { "rx/s", "drop/s", "queue" };

static void build_queues(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct diagnosis *d = x->rate;
	struct sortkey *k = xcalloc(d->nqueues + 1, sizeof(*k));
	size_t n = 0, hidden = 0;
	int s = x->v->sort[DP_QUEUES];
	char note[64], dev[48] = "";

	for (size_t i = 0; i < d->nqueues; i++) {
		const struct queue_row *q = &d->queues[i];

		if (!queue_wanted(x, q))
			continue;
		if (q->idle && !x->v->show_idle) {
			hidden++;
			continue;
		}
		k[n] = (struct sortkey){ .i = i, .k3 = (double)i };
		if (s == 0)
			k[n] = (struct sortkey){ key(q->rx_pps), key(q->drops_pps),
						 (double)i, i };
		else if (s == 1)
			k[n] = (struct sortkey){ key(q->drops_pps), key(q->rx_pps),
						 (double)i, i };
		n++;
	}
	if (x->v->dev_focus >= 0 && (size_t)x->v->dev_focus < d->ndevs)
		snprintf(dev, sizeof(dev), " of %s", d->devs[x->v->dev_focus].name);
	hidden_note(note, sizeof(note), hidden);
	snprintf(p->title, sizeof(p->title), "RX queues%s: %zu%s, sort %s", dev,
		 n, note, queue_sorts[s]);
	p->cols = queue_cols;
	p->ncols = (int)ARRAY_SIZE(queue_cols);
	p->cells = queue_cells;
	sort_into(p, k, n);
}

/* ---- CPUs --------------------------------------------------------------- */

static const struct dash_col cpu_cols[] = {
	{ "cpu", 4, 'r', false, 0, false },
	{ "", 2, 'l', false, 0, false },
	{ "softirq", 7, 'r', false, 0, false },
	{ "NET_RX/s", 8, 'r', false, 0, false },
	{ "proc/s", 7, 'r', false, 0, false },
	{ "drop/s", 7, 'r', false, 0, false },
	{ "squeeze/s", 9, 'r', false, 0, false },
	{ "node", 4, 'r', false, 0, false },
	{ "drop total", 10, 'r', true, 0, false },
	{ "sqz total", 9, 'r', true, 0, false },
	{ "", 4, 'b', false, 20, false },
};

static const struct cpu_row *total_cpu(const struct diagnosis *t, int cpu)
{
	for (size_t i = 0; t && i < t->ncpus; i++)
		if (t->cpus[i].cpu == cpu)
			return &t->cpus[i];
	return NULL;
}

/* A receiver thread last ran on this CPU. */
static bool runs_receiver(const struct diagnosis *d, int cpu)
{
	for (size_t i = 0; i < d->receiver.nthreads; i++)
		if (d->receiver.threads[i].cpu == cpu)
			return true;
	return false;
}

static void cpu_cells(const struct dash_ctx *x, const struct dash_panelinfo *p,
		      size_t k, struct dash_cellv *out)
{
	const struct cpu_row *c = &x->rate->cpus[p->idx[k]];
	const struct cpu_row *t = total_cpu(x->total, c->cpu);

	snprintf(out[0].text, sizeof(out[0].text), "%d", c->cpu);
	snprintf(out[1].text, sizeof(out[1].text), "%s%s",
		 c->serves_rx_irq ? "*" : "",
		 runs_receiver(x->rate, c->cpu) ? "R" : "");
	out[1].st = DS_MARK;
	dash_fmt_pct(out[2].text, sizeof(out[2].text), c->softirq_pct);
	if (c->softirq_pct.known && c->softirq_pct.v >= 90)
		out[2].st = DS_BAD;
	dash_fmt_rate(out[3].text, sizeof(out[3].text), c->net_rx_ps);
	dash_fmt_rate(out[4].text, sizeof(out[4].text), c->processed_ps);
	dash_fmt_rate(out[5].text, sizeof(out[5].text), c->dropped_ps);
	if (c->dropped_ps.known && c->dropped_ps.v > 0)
		out[5].st = DS_WARN;
	dash_fmt_rate(out[6].text, sizeof(out[6].text), c->squeeze_ps);
	if (c->squeeze_ps.known && c->squeeze_ps.v > 0)
		out[6].st = DS_WARN;
	if (c->numa_node >= 0)
		snprintf(out[7].text, sizeof(out[7].text), "%d", c->numa_node);
	else
		snprintf(out[7].text, sizeof(out[7].text), "?");
	dash_fmt_rate(out[8].text, sizeof(out[8].text),
		      t ? dash_total_of(x->total, t->dropped_ps) : opt_unknown());
	dash_fmt_rate(out[9].text, sizeof(out[9].text),
		      t ? dash_total_of(x->total, t->squeeze_ps) : opt_unknown());
	out[10].frac = c->softirq_pct.known ? c->softirq_pct.v / 100 : 0;
	out[10].st = out[2].st == DS_BAD ? DS_BAD : DS_BAR;
}

static const char *const cpu_sorts[DASH_SORTS] = { "load", "drop/s", "cpu" };

/* Load: softirq time first, then NET_RX and processed packets. */
static struct sortkey cpu_key(const struct cpu_row *c, int s, size_t i)
{
	if (s == 0)
		return (struct sortkey){ key(c->softirq_pct),
					 key(c->net_rx_ps) + key(c->processed_ps),
					 c->cpu, i };
	if (s == 1)
		return (struct sortkey){ key(c->dropped_ps), key(c->squeeze_ps),
					 c->cpu, i };
	return (struct sortkey){ 0, 0, c->cpu, i };
}

static void build_cpus(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct diagnosis *d = x->rate;
	struct sortkey *k = xcalloc(d->ncpus + 1, sizeof(*k));
	size_t n = 0, hidden = 0;
	int s = x->v->sort[DP_CPUS];
	char note[64];

	for (size_t i = 0; i < d->ncpus; i++) {
		if (d->cpus[i].idle && !x->v->show_idle) {
			hidden++;
			continue;
		}
		k[n++] = cpu_key(&d->cpus[i], s, i);
	}
	hidden_note(note, sizeof(note), hidden);
	snprintf(p->title, sizeof(p->title),
		 "CPUs: %zu%s, sort %s, * RX IRQ, R receiver", n, note,
		 cpu_sorts[s]);
	p->cols = cpu_cols;
	p->ncols = (int)ARRAY_SIZE(cpu_cols);
	p->cells = cpu_cells;
	sort_into(p, k, n);
}

/* ---- sockets ------------------------------------------------------------ */

/* "Which process?" first: the owner beside the address. The optional
 * columns (remote, uid, inode; drop total with t) are left out whole
 * when the width cannot hold them. */
static const struct dash_col sock_cols[] = {
	{ "local", 21, 'l', false, 0, false },
	{ "pid/command", 12, 'f', false, 22, false },
	{ "drop/s", 7, 'r', false, 0, false },
	{ "drop total", 10, 'r', true, 0, true },
	{ "queued B", 9, 'r', false, 0, false },
	{ "rcvbuf", 10, 'r', false, 0, false },
	{ "fill", 6, 'r', false, 0, false },
	{ "remote", 17, 'l', false, 0, true },
	{ "uid", 6, 'r', false, 0, true },
	{ "inode", 10, 'r', false, 0, true },
};

/* With drop reasons: the same, and the SOCKET_RCVBUFF rate of the
 * socket's port after its own drops (the kernel's word for them). */
#define SOCK_RCVBUFF_COL 3

static const struct dash_col *sock_cols_reasons(void)
{
	static struct dash_col cols[ARRAY_SIZE(sock_cols) + 1];
	const size_t at = SOCK_RCVBUFF_COL, rest = ARRAY_SIZE(sock_cols) - at;

	if (!cols[0].head) {
		memcpy(cols, sock_cols, at * sizeof(*cols));
		cols[at] = (struct dash_col){ "RCVBUFF/s", 9, 'r', false, 0,
					      false };
		memcpy(cols + at + 1, sock_cols + at, rest * sizeof(*cols));
	}
	return cols;
}

/* Fill from 90 % on is about to drop. */
#define FULL_FILL 0.9

static void fmt_endpoint(char *buf, size_t size, int family, const char *a,
			 unsigned int port, bool any_port)
{
	const char *l = family == AF_INET6 ? "[" : "";
	const char *r = family == AF_INET6 ? "]" : "";

	if (any_port && port == 0)
		snprintf(buf, size, "%s%s%s:*", l, a, r);
	else
		snprintf(buf, size, "%s%s%s:%u", l, a, r, port);
}

static const struct socket_row *total_sock(const struct diagnosis *t,
					   const struct socket_row *s)
{
	for (size_t i = 0; t && i < t->nsocks; i++)
		if (t->socks[i].inode == s->inode &&
		    t->socks[i].lport == s->lport)
			return &t->socks[i];
	return NULL;
}

/* rcvbuf, fill and owner come from sock_diag: "?" from /proc/net/udp. */
static void sock_diag_cells(const struct socket_row *s,
			    struct dash_cellv *out)
{
	if (s->have_rcvbuf)
		snprintf(out[5].text, sizeof(out[5].text), "%llu",
			 (unsigned long long)s->rcvbuf);
	else
		snprintf(out[5].text, sizeof(out[5].text), "?");
	dash_fmt_pct(out[6].text, sizeof(out[6].text),
		     (struct optval){ 100 * s->fill.v, s->fill.known });
	if (s->fill.known && s->fill.v >= FULL_FILL)
		out[6].st = DS_WARN;
	if (s->pid > 0)
		snprintf(out[1].text, sizeof(out[1].text), "%d/%s", s->pid,
			 s->comm[0] ? s->comm : "?");
	else
		snprintf(out[1].text, sizeof(out[1].text), "?");
}

static void sock_cells(const struct dash_ctx *x, const struct dash_panelinfo *p,
		       size_t k, struct dash_cellv *out)
{
	const struct socket_row *s = &x->rate->socks[p->idx[k]];
	const struct socket_row *t = total_sock(x->total, s);

	fmt_endpoint(out[0].text, sizeof(out[0].text), s->family, s->local,
		     s->lport, false);
	dash_fmt_rate(out[2].text, sizeof(out[2].text), s->drops_ps);
	if (s->drops_ps.known && s->drops_ps.v > 0)
		out[2].st = DS_WARN;
	dash_fmt_rate(out[3].text, sizeof(out[3].text),
		      t ? t->drops : opt_unknown());
	snprintf(out[4].text, sizeof(out[4].text), "%llu",
		 (unsigned long long)s->rx_queue);
	sock_diag_cells(s, out);
	fmt_endpoint(out[7].text, sizeof(out[7].text), s->family, s->remote,
		     s->rport, true);
	snprintf(out[8].text, sizeof(out[8].text), "%u", s->uid);
	snprintf(out[9].text, sizeof(out[9].text), "%llu",
		 (unsigned long long)s->inode);
}

/* The cells of sock_cols, with the RCVBUFF/s cell inserted. */
static void sock_cells_reasons(const struct dash_ctx *x,
			       const struct dash_panelinfo *p, size_t k,
			       struct dash_cellv *out)
{
	const struct socket_row *s = &x->rate->socks[p->idx[k]];
	struct dash_cellv *rcvbuff = &out[SOCK_RCVBUFF_COL];
	size_t n = ARRAY_SIZE(sock_cols);

	sock_cells(x, p, k, out);
	memmove(rcvbuff + 1, rcvbuff, (n - SOCK_RCVBUFF_COL) * sizeof(*out));
	memset(rcvbuff, 0, sizeof(*rcvbuff));
	dash_fmt_rate(rcvbuff->text, sizeof(rcvbuff->text),
		      s->rcvbuff_reason_ps);
	if (s->rcvbuff_reason_ps.known && s->rcvbuff_reason_ps.v > 0)
		rcvbuff->st = DS_WARN;
}

static const char *const sock_sorts[DASH_SORTS] = { "drop/s", "queued", "port" };

static struct sortkey sock_key(const struct socket_row *s, int sort, size_t i)
{
	if (sort == 0)
		return (struct sortkey){ key(s->drops_ps), (double)s->rx_queue,
					 s->lport, i };
	if (sort == 1)
		return (struct sortkey){ (double)s->rx_queue, key(s->drops_ps),
					 s->lport, i };
	return (struct sortkey){ 0, 0, s->lport, i };
}

static void build_sockets(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct diagnosis *d = x->rate;
	struct sortkey *k = xcalloc(d->nsocks + 1, sizeof(*k));
	size_t n = 0, hidden = 0;
	int s = x->v->sort[DP_SOCKETS];
	char note[64];

	for (size_t i = 0; i < d->nsocks; i++) {
		if (d->socks[i].idle && !x->v->show_idle) {
			hidden++;
			continue;
		}
		k[n++] = sock_key(&d->socks[i], s, i);
	}
	hidden_note(note, sizeof(note), hidden);
	snprintf(p->title, sizeof(p->title), "UDP sockets: %zu%s, sort %s", n,
		 note, sock_sorts[s]);
	if (d->have_reasons) {
		p->cols = sock_cols_reasons();
		p->ncols = (int)ARRAY_SIZE(sock_cols) + 1;
		p->cells = sock_cells_reasons;
	} else {
		p->cols = sock_cols;
		p->ncols = (int)ARRAY_SIZE(sock_cols);
		p->cells = sock_cells;
	}
	sort_into(p, k, n);
}

/* ---- receiver ----------------------------------------------------------- */

/* The built-in receiver (--receive): one row per thread, from the
 * diagnosis's receiver rows; hidden when the receiver is off. */
static const struct dash_col recv_cols[] = {
	{ "thread", 6, 'r', false, 0, false },
	{ "pkt/s", 9, 'r', false, 0, false },
	{ "total", 10, 'r', true, 0, false },
	{ "batch", 6, 'r', false, 0, false },
	{ "full", 6, 'r', false, 0, false },
	{ "cpu", 4, 'r', false, 0, false },
	{ "node", 4, 'r', false, 0, false },
	{ "", 4, 'b', false, 30, false },
};

static const struct receiver_row *total_thread(const struct diagnosis *t,
					       int thread)
{
	for (size_t i = 0; t && i < t->receiver.nthreads; i++)
		if (t->receiver.threads[i].thread == thread)
			return &t->receiver.threads[i];
	return NULL;
}

static void recv_cells(const struct dash_ctx *x, const struct dash_panelinfo *p,
		       size_t k, struct dash_cellv *out)
{
	const struct receiver_diag *r = &x->rate->receiver;
	const struct receiver_row *t = &r->threads[p->idx[k]];
	const struct receiver_row *tt = total_thread(x->total, t->thread);
	struct optval tot = opt_unknown();

	if (tt && tt->pps.known)
		tot = opt_known(tt->pps.v * x->total->interval_s);
	snprintf(out[0].text, sizeof(out[0].text), "%d", t->thread);
	dash_fmt_rate(out[1].text, sizeof(out[1].text), t->pps);
	dash_fmt_rate(out[2].text, sizeof(out[2].text), tot);
	if (t->avg_batch.known)
		snprintf(out[3].text, sizeof(out[3].text), "%.1f", t->avg_batch.v);
	else
		snprintf(out[3].text, sizeof(out[3].text), "?");
	dash_fmt_pct(out[4].text, sizeof(out[4].text), t->full_pct);
	snprintf(out[5].text, sizeof(out[5].text), t->cpu >= 0 ? "%d" : "?",
		 t->cpu);
	snprintf(out[6].text, sizeof(out[6].text), t->node >= 0 ? "%d" : "?",
		 t->node);
	out[7].frac = t->pps.known && r->pps.known && r->pps.v > 0
			      ? t->pps.v / r->pps.v : 0;
	out[7].st = DS_BAR;
}

static void build_receiver(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct receiver_diag *r = &x->rate->receiver;
	struct sortkey *k = xcalloc(r->nthreads + 1, sizeof(*k));
	size_t n = 0;

	for (size_t i = 0; r->present && i < r->nthreads; i++) {
		const struct receiver_row *t = &r->threads[i];

		k[n++] = (struct sortkey){
			x->v->sort[DP_RECEIVER] == 0 && t->pps.known ? t->pps.v : 0,
			0, (double)t->thread, i
		};
	}
	snprintf(p->title, sizeof(p->title), "receiver %s: %zu thread%s",
		 r->addr, n, n == 1 ? "" : "s");
	p->cols = recv_cols;
	p->ncols = (int)ARRAY_SIZE(recv_cols);
	p->cells = recv_cells;
	sort_into(p, k, n);
}

/* ---- drop reasons ------------------------------------------------------- */

/* The kernel's reasons (diag_reasons.c: one row per reason and port, those
 * at 0 left out), shown only when the drop-reasons source is read. */
static const struct dash_col reason_cols[] = {
	{ "reason", 14, 'f', false, 30, false },
	{ "stage", 9, 'l', false, 0, false },
	{ "port", 11, 'l', false, 0, false },
	{ "pkt/s", 8, 'r', false, 0, false },
	{ "total", 10, 'r', true, 0, false },
	{ "", 4, 'b', false, 20, false },
};

static const struct reason_row *total_reason(const struct diagnosis *t,
					     const struct reason_row *r)
{
	for (size_t i = 0; t && i < t->nreasons; i++) {
		const struct reason_row *o = &t->reasons[i];

		if (strcmp(o->reason, r->reason) == 0 &&
		    o->family == r->family && o->protocol == r->protocol &&
		    o->port == r->port)
			return o;
	}
	return NULL;
}

/* "udp/5361", "udp6/53", "tcp", "132", or "-". */
static void fmt_reason_port(char *buf, size_t size, const struct reason_row *r)
{
	char num[16];
	const char *proto = num;
	const char *six = r->family == AF_INET6 ? "6" : "";

	if (r->protocol == IPPROTO_UDP)
		proto = "udp";
	else if (r->protocol == IPPROTO_TCP)
		proto = "tcp";
	else
		snprintf(num, sizeof(num), "%d", r->protocol);
	if (r->protocol < 0)
		snprintf(buf, size, "-");
	else if (r->port >= 0)
		snprintf(buf, size, "%s%s/%d", proto, six, r->port);
	else
		snprintf(buf, size, "%s%s", proto, six);
}

static double reasons_pps(const struct diagnosis *d)
{
	double sum = 0;

	for (size_t i = 0; i < d->nreasons; i++)
		sum += d->reasons[i].pps;
	return sum;
}

static void reason_cells(const struct dash_ctx *x,
			 const struct dash_panelinfo *p, size_t k,
			 struct dash_cellv *out)
{
	const struct reason_row *r = &x->rate->reasons[p->idx[k]];
	const struct reason_row *t = total_reason(x->total, r);
	double sum = reasons_pps(x->rate);

	snprintf(out[0].text, sizeof(out[0].text), "%s", r->reason);
	snprintf(out[1].text, sizeof(out[1].text), "%s", r->stage);
	if (strcmp(r->stage, "other") == 0)
		out[1].st = DS_DIM;
	fmt_reason_port(out[2].text, sizeof(out[2].text), r);
	dash_fmt_rate(out[3].text, sizeof(out[3].text), opt_known(r->pps));
	if (r->pps > 0)
		out[3].st = DS_WARN;
	dash_fmt_rate(out[4].text, sizeof(out[4].text),
		      t ? opt_known((double)t->packets) : opt_unknown());
	out[5].frac = sum > 0 ? r->pps / sum : 0;
	out[5].st = DS_BAR;
}

/* The waterfall's order: nic first, "other" last. */
static int stage_order(const char *stage)
{
	for (int i = 0; i < STAGE_N; i++)
		if (strcmp(stage, stage_name(i)) == 0)
			return i;
	return STAGE_N;
}

static const char *const reason_sorts[DASH_SORTS] = { "pkt/s", "stage", "port" };

static struct sortkey reason_key(const struct reason_row *r, int s, size_t i)
{
	if (s == 1)
		return (struct sortkey){ -stage_order(r->stage), r->pps,
					 (double)i, i };
	if (s == 2)
		return (struct sortkey){ 0, 0, r->port, i };
	return (struct sortkey){ r->pps, 0, (double)i, i };
}

static void build_reasons(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct diagnosis *d = x->rate;
	struct sortkey *k = xcalloc(d->nreasons + 1, sizeof(*k));
	int s = x->v->sort[DP_REASONS];

	for (size_t i = 0; d->have_reasons && i < d->nreasons; i++)
		k[i] = reason_key(&d->reasons[i], s, i);
	snprintf(p->title, sizeof(p->title),
		 "drop reasons (kernel): %zu, sort %s",
		 d->have_reasons ? d->nreasons : 0, reason_sorts[s]);
	p->cols = reason_cols;
	p->ncols = (int)ARRAY_SIZE(reason_cols);
	p->cells = reason_cells;
	sort_into(p, k, d->have_reasons ? d->nreasons : 0);
}

/* ---- findings ----------------------------------------------------------- */

/* Entries: the verdict's hints (the fix first), the whole verdict when
 * its line was shortened, the findings, then the notes. */
static void add_item(struct dash_panelinfo *p, enum dash_style st,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add_item(struct dash_panelinfo *p, enum dash_style st,
		     const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	dash_lines_add(&p->items, s, st);
	free(s);
}

/* NOT_SPECIFIED drops by kernel function, as one entry (dropwatch's
 * question: which function drops without a reason). */
static void add_reason_funcs(struct dash_panelinfo *p,
			     const struct diagnosis *d)
{
	struct strbuf sb;

	if (!d->nreason_funcs)
		return;
	sb_init(&sb);
	for (size_t i = 0; i < d->nreason_funcs; i++)
		sb_printf(&sb, "%s%s %.0f pkt/s", i ? ", " : "",
			  d->reason_funcs[i].reason, d->reason_funcs[i].pps);
	if (d->reason_funcs_more)
		sb_printf(&sb, ", +%zu more", d->reason_funcs_more);
	add_item(p, DS_NORMAL, "NOT_SPECIFIED by kernel function: %s", sb.s);
	sb_free(&sb);
}

static void build_findings(const struct dash_ctx *x, struct dash_panelinfo *p)
{
	const struct diagnosis *d = x->rate;

	for (size_t i = 0; i < d->verdict.nhints; i++)
		add_item(p, DS_BOLD, "hint: %s",
			 d->verdict.hints[i] ? d->verdict.hints[i] : "?");
	if (x->verdict_full)
		add_item(p, DS_BOLD, "%s", x->verdict_full);
	for (size_t i = 0; i < d->nfindings; i++)
		add_item(p, DS_WARN, "[%s] %s", d->findings[i].id,
			 d->findings[i].detail ? d->findings[i].detail : "");
	add_reason_funcs(p, d);
	for (size_t i = 0; i < d->nnotes; i++)
		add_item(p, DS_DIM, "note: %s", d->notes[i]);
	p->nrows = p->items.n;
	snprintf(p->title, sizeof(p->title), "findings: %zu, hints: %zu%s",
		 d->nfindings, d->verdict.nhints,
		 d->nnotes ? ", notes" : "");
}

/* Continuation lines are indented under the entry's first word. */
#define WRAP_INDENT 2

void dash_panel_wrap(struct dash_panelinfo *p, int w)
{
	if (p->cols)
		return;
	dash_lines_free(&p->text);
	for (size_t i = 0; i < p->items.n; i++) {
		dash_wrap(&p->text, p->items.v[i].text, w, WRAP_INDENT,
			  p->items.v[i].st);
		if (i == 0)
			p->first_lines = (int)p->text.n;
	}
	p->nrows = p->text.n;
}

/* ---- all panels --------------------------------------------------------- */

void dash_panels_build(const struct dash_ctx *x,
		       struct dash_panelinfo p[DP_N])
{
	memset(p, 0, DP_N * sizeof(*p));
	for (int i = 0; i < DP_N; i++)
		p[i].id = (enum dash_panel)i;
	build_queues(x, &p[DP_QUEUES]);
	build_cpus(x, &p[DP_CPUS]);
	build_sockets(x, &p[DP_SOCKETS]);
	build_receiver(x, &p[DP_RECEIVER]);
	build_reasons(x, &p[DP_REASONS]);
	build_findings(x, &p[DP_FINDINGS]);
}

void dash_panels_free(struct dash_panelinfo p[DP_N])
{
	for (int i = 0; i < DP_N; i++) {
		free(p[i].idx);
		p[i].idx = NULL;
		dash_lines_free(&p[i].items);
		dash_lines_free(&p[i].text);
	}
}

int dash_panel_want(const struct dash_panelinfo *p)
{
	if (p->nrows == 0)
		return 1;
	return 1 + (p->cols ? 1 : 0) + (int)p->nrows;
}

static void panel_title(struct dash_canvas *c, const struct dash_panelinfo *p,
			int y, int x0, int w, bool focused, int scroll,
			int rows)
{
	enum dash_style st = focused ? DS_FOCUS : DS_TITLE;
	int col;

	dash_fill(c, y, x0, w, st);
	col = dash_printf(c, y, x0, w, st, "%s%s", focused ? "> " : "  ",
			  p->title);
	if (p->nrows == 0)
		dash_put(c, y, x0 + col, w - col, st, " (none)");
	else if ((size_t)rows < p->nrows)
		dash_printf(c, y, x0 + col, w - col, st, "  [%d-%d of %zu]",
			    scroll + 1, scroll + rows, p->nrows);
}

void dash_panel_draw(struct dash_canvas *c, const struct dash_ctx *x,
		     const struct dash_panelinfo *p, int y, int x0, int w,
		     bool focused, int scroll)
{
	int rows = p->lines - 1 - (p->cols ? 1 : 0);

	if (p->lines <= 0)
		return;
	if (rows < 0)
		rows = 0;
	panel_title(c, p, y, x0, w, focused, scroll, rows);
	if (p->nrows == 0 || p->lines < 2)
		return;
	if (p->cols)
		dash_table_head(c, ++y, x0, w, p->cols, p->ncols, x->totals);
	for (int r = 0; r < rows && (size_t)(scroll + r) < p->nrows; r++) {
		struct dash_cellv cells[DASH_MAX_COLS];
		const struct dash_line *l;

		y++;
		if (!p->cols) {
			if ((size_t)(scroll + r) >= p->text.n)
				break;
			l = &p->text.v[scroll + r];
			dash_put(c, y, x0 + 1, w - 1, l->st, l->text);
			continue;
		}
		memset(cells, 0, sizeof(cells));
		p->cells(x, p, (size_t)(scroll + r), cells);
		dash_table_row(c, y, x0, w, p->cols, p->ncols, x->totals,
			       cells);
	}
}
