/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text report, for people used to ethtool -S, nstat and ss: the verdict,
 * the loss waterfall, then details in aligned columns. No colour, since it
 * is often piped. Unknown figures print as "?", never as 0. Strings from the
 * diagnosis (driver counter names, addresses, notes) are escaped, so that a
 * newline or a terminal escape in a name cannot break or hijack the output.
 * Idle rows and counters at 0/s are hidden unless --all, and the report
 * says how many were hidden (as nstat hides zero counters without -z). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "dropreason.h"
#include "report.h"
#include "report_table.h"

static void hidden_line(struct strbuf *out, size_t n, const char *what,
			const char *whats)
{
	if (n > 0)
		sb_printf(out, "  (%zu %s hidden, --all shows them)\n", n,
			  n == 1 ? what : whats);
}

/* Sort keys for "busiest first": known rates before unknown ones, ties
 * in the diagnosis order. */
struct order {
	struct optval key;
	size_t idx;
};

static int order_cmp(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;

	if (a->key.known != b->key.known)
		return a->key.known ? -1 : 1;
	if (a->key.known && a->key.v != b->key.v)
		return a->key.v > b->key.v ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void section_title(struct strbuf *out, const char *title)
{
	sb_putc(out, '\n');
	sb_puts(out, title);
	sb_putc(out, '\n');
}

static void text_header(const struct diagnosis *d,
			const struct report_options *o, struct strbuf *out)
{
	time_t t = (time_t)d->realtime;
	struct tm tm;

	sb_puts(out, "droptop report: ");
	text_escape(out, o->source ? o->source : "live");
	if (d->netns[0]) {
		sb_puts(out, ", netns ");
		text_escape(out, d->netns);
	}
	sb_printf(out, ", interval %.2f s", d->interval_s);
	/* Not strftime: glibc's reads /etc/localtime on every call (tzset),
	 * for a time printed in UTC. */
	if (d->realtime > 0 && gmtime_r(&t, &tm))
		sb_printf(out, ", %04d-%02d-%02d %02d:%02d:%02d UTC",
			  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			  tm.tm_hour, tm.tm_min, tm.tm_sec);
	sb_putc(out, '\n');
}

static void text_verdict(const struct diagnosis *d, struct strbuf *out)
{
	const struct verdict *v = &d->verdict;

	/* Not printf: under ASan its interceptor parses the format. */
	sb_puts(out, "verdict: ");
	sb_puts(out, stage_name(v->stage));
	sb_puts(out, " \u2014 ");
	if (v->stage == STAGE_NONE && !v->summary) {
		sb_printf(out, "no packet loss seen in %.1f s\n",
			  d->interval_s);
	} else {
		if (v->stage != STAGE_NONE) {
			fmt_rate(out, v->lost_pps);
			sb_puts(out, " pkt/s lost");
			if (v->summary && v->summary[0])
				sb_puts(out, ": ");
		}
		if (v->summary)
			text_escape(out, v->summary);
		sb_putc(out, '\n');
	}
	for (size_t i = 0; i < v->nhints; i++) {
		sb_puts(out, "  hint: ");
		text_escape(out, v->hints[i] ? v->hints[i] : "?");
		sb_putc(out, '\n');
	}
}

/* The loss counters of a stage with their rates; at 0/s they are hidden
 * unless --all (an unknown one is always shown, as "?/s"). */
static void waterfall_counters(struct table *t, const struct stage *st,
			       bool all)
{
	struct strbuf *sb = table_cell_begin(t);
	size_t start = sb->len;

	for (int i = 0; i < st->ncounters; i++) {
		const struct stage_counter *c = &st->counters[i];

		if (!c->is_loss || (!all && c->known && c->per_s == 0))
			continue;
		if (sb->len > start)
			sb_puts(sb, ", ");
		text_escape(sb, c->name ? c->name : "?");
		sb_putc(sb, ' ');
		fmt_rate(sb, (struct optval){ c->per_s, c->known });
		sb_puts(sb, "/s");
	}
	table_cell_end(t);
}

/* The reasons that explain the ip remainder: drops no Ip counter names. */
static void ip_rest_reasons_put(struct strbuf *sb, size_t start,
				const struct diagnosis *d)
{
	for (size_t i = 0; i < d->nip_rest_reasons; i++) {
		sb_puts(sb, i ? ", " : sb->len > start ? "; remainder: reason " :
							 "remainder: reason ");
		sb_printf(sb, "%s ", d->ip_rest_reasons[i].reason);
		fmt_rate(sb, opt_known(d->ip_rest_reasons[i].pps));
		sb_puts(sb, "/s");
	}
}

/* The reasons of the stage (dropreason.c's table) after its counters. */
static void waterfall_reasons(struct table *t, const struct diagnosis *d,
			      int id)
{
	struct strbuf *sb;
	size_t start;
	char buf[16];
	int shown = 0;

	if (!d->have_reasons || !t->ncells)
		return;
	sb = table_cell_reopen(t, &start);
	for (size_t i = 0; i < d->nreasons && shown < 3; i++) {
		const struct reason_row *r = &d->reasons[i];
		const char *proto = drop_reason_protocol(r->protocol, buf,
							 sizeof(buf));

		if (strcmp(r->stage, stage_name(id)) != 0)
			continue;
		sb_puts(sb, sb->len > start ? "; " : "");
		shown++;
		sb_printf(sb, "reason %s", r->reason);
		if (proto && r->port >= 0)
			sb_printf(sb, " %s/%d", proto, r->port);
		sb_putc(sb, ' ');
		fmt_rate(sb, opt_known(r->pps));
		sb_puts(sb, "/s");
	}
	if (id == STAGE_IP)
		ip_rest_reasons_put(sb, start, d);
	table_cell_end(t);
}

/* NOT_SPECIFIED drops by the kernel function that freed them. */
static void text_reason_funcs(const struct diagnosis *d, struct strbuf *out)
{
	if (!d->nreason_funcs)
		return;
	sb_puts(out, "  NOT_SPECIFIED by kernel function:");
	for (size_t i = 0; i < d->nreason_funcs; i++) {
		sb_printf(out, "%s %s ", i ? "," : "", d->reason_funcs[i].reason);
		fmt_rate(out, opt_known(d->reason_funcs[i].pps));
		sb_puts(out, " pkt/s");
	}
	if (d->reason_funcs_more)
		sb_printf(out, ", +%zu more", d->reason_funcs_more);
	sb_puts(out, "\n");
}

/* Every drop reason, those off the UDP receive path ("other") too. */
static void text_reasons(const struct diagnosis *d, struct strbuf *out)
{
	static const char *const heads[] = {
		"reason", "stage", "family", "proto", "port", "pkt/s"
	};
	struct table t;
	char buf[16];

	if (!d->have_reasons)
		return;
	section_title(out, "drop reasons (kernel)");
	if (!d->nreasons) {
		sb_puts(out, "  (no drops in this network namespace)\n");
		return;
	}
	table_init(&t, "lllllr", heads);
	for (size_t i = 0; i < d->nreasons; i++) {
		const struct reason_row *r = &d->reasons[i];
		const char *fam = snapshot_family_name(r->family);
		const char *proto = drop_reason_protocol(r->protocol, buf,
							 sizeof(buf));

		table_add_word(&t, r->reason);
		table_add_word(&t, r->stage);
		table_add_word(&t, fam ? fam : "-");
		table_add_word(&t, proto ? proto : "-");
		if (r->port >= 0)
			table_add(&t, "%d", r->port);
		else
			table_add_word(&t, "-");
		table_add_rate(&t, opt_known(r->pps));
	}
	table_print(&t, out);
	table_free(&t);
	text_reason_funcs(d, out);
}

/* Loss as a share of the packets that reached the stage. */
static void table_add_loss_pct(struct table *t, const struct stage *st)
{
	if (!st->in_pps.known || !st->lost_pps.known)
		table_add_word(t, "?");
	else if (st->in_pps.v <= 0)
		table_add_word(t, "-");
	else
		table_add_pct(t, opt_known(100 * st->lost_pps.v / st->in_pps.v),
			      2);
}

/* -i picks the devices of the nic stage only: the other stages are the
 * kernel's counters for every CPU or the whole network namespace. */
static void filter_line(const struct report_options *o, struct strbuf *out)
{
	if (o->ndevs == 0)
		return;
	sb_puts(out, "  -i ");
	for (size_t i = 0; i < o->ndevs; i++) {
		sb_puts(out, i ? "," : "");
		text_escape(out, o->devs[i]);
	}
	sb_puts(out, " filters the nic stage only: softirq counts every CPU, "
		     "ip, udp, socket and app the whole network namespace\n");
}

static void text_waterfall(const struct diagnosis *d,
			   const struct report_options *o, struct strbuf *out)
{
	static const char *const heads[] = {
		"stage", "in pkt/s", "lost pkt/s", "loss %", "", "loss counters"
	};
	struct table t;

	table_init(&t, "lrrrll", heads);
	for (int i = 0; i < STAGE_N; i++) {
		const struct stage *st = &d->stages[i];

		table_add_word(&t, stage_name(i));
		table_add_rate(&t, st->in_pps);
		table_add_rate(&t, st->lost_pps);
		table_add_loss_pct(&t, st);
		table_add_word(&t, d->verdict.stage == i ? "<==" : "");
		waterfall_counters(&t, st, o->all);
		waterfall_reasons(&t, d, i);
	}
	table_add_word(&t, "unaccounted");
	table_add_word(&t, "");
	table_add_rate(&t, d->unaccounted_pps);
	table_add_word(&t, "");
	table_add_word(&t, "");
	table_add_word(&t, "(packets no counter explains)");
	section_title(out, "waterfall");
	table_print(&t, out);
	table_free(&t);
	sb_puts(out, "  total lost: ");
	fmt_rate(out, d->total_lost_pps);
	sb_puts(out, " pkt/s (unaccounted not included)\n");
	filter_line(o, out);
}

static void text_devices(const struct diagnosis *d, struct strbuf *out)
{
	static const char *const heads[] = {
		"dev", "driver", "link", "rx pkt/s", "NIC lost pkt/s",
		"loss source", "rx queues", "node", "RX ring", "counters"
	};
	struct table t;

	if (d->ndevs == 0)
		return;
	table_init(&t, "lllrrlrrrl", heads);
	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *dev = &d->devs[i];

		table_add_str(&t, dev->name);
		table_add_str(&t, dev->driver[0] ? dev->driver : "?");
		table_add_str(&t, device_link_label(dev));
		table_add_rate(&t, dev->rx_pps);
		table_add_rate(&t, dev->nic_lost_pps);
		table_add_str(&t, dev->nic_loss_source);
		table_add_int(&t, dev->nrxq > 0 ? dev->nrxq : -1);
		table_add_int(&t, dev->numa_node);
		if (dev->ring_rx > 0 && dev->ring_rx_max > 0)
			table_add(&t, "%d/%d", dev->ring_rx, dev->ring_rx_max);
		else
			table_add_str(&t, "?");
		table_add_str(&t, dev->stats_source ? dev->stats_source : "?");
	}
	section_title(out, "devices");
	table_print(&t, out);
	table_free(&t);
}

/* Driver counters the classifier did not know are listed by name, never
 * dropped; those at 0/s only with --all (counted otherwise). */
static void text_other(const struct diagnosis *d,
		       const struct report_options *o, struct strbuf *out)
{
	static const char *const heads[] = { "dev", "counter", "rate" };
	size_t total = 0, hidden = 0;
	struct table t;

	for (size_t i = 0; i < d->ndevs; i++)
		total += d->devs[i].nother;
	if (total == 0)
		return;
	table_init(&t, "llr", heads);
	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *dev = &d->devs[i];

		for (size_t j = 0; j < dev->nother; j++) {
			struct optval v = dev->other_ps[j];

			if (!o->all && v.known && v.v == 0) {
				hidden++;
				continue;
			}
			table_add_str(&t, dev->name);
			table_add_str(&t, dev->other_names[j]);
			table_add_rate_unit(&t, v, "/s");
		}
	}
	section_title(out, "other driver counters (not classified)");
	if (hidden < total)
		table_print(&t, out);
	hidden_line(out, hidden, "counter at 0/s", "counters at 0/s");
	table_free(&t);
}

static void queue_row(struct table *t, const struct queue_row *q)
{
	table_add_str(t, q->dev);
	table_add_int(t, q->queue);
	table_add_rate(t, q->rx_pps);
	table_add_rate(t, q->drops_pps);
	table_add_pct(t, (struct optval){ 100 * q->share.v, q->share.known },
		      1);
	table_add_int(t, q->irq);
	table_add_str(t, q->cpus[0] ? q->cpus : "?");
	table_add_str(t, q->source ? q->source : "?");
	if (q->napi_id >= 0)
		table_add_u64(t, (uint64_t)q->napi_id);
	else
		table_add_str(t, "?");
}

/* Busiest queue first: the one an RSS imbalance piles traffic on. */
static void text_queues(const struct diagnosis *d,
			const struct report_options *o, struct strbuf *out)
{
	static const char *const heads[] = {
		"dev", "queue", "rx pkt/s", "drops/s", "share", "IRQ", "CPUs",
		"source", "NAPI"
	};
	struct order *ord;
	struct table t;
	size_t hidden = 0;

	if (d->nqueues == 0)
		return;
	ord = xcalloc(d->nqueues, sizeof(*ord));
	for (size_t i = 0; i < d->nqueues; i++)
		ord[i] = (struct order){ d->queues[i].rx_pps, i };
	qsort(ord, d->nqueues, sizeof(*ord), order_cmp);
	table_init(&t, "lrrrrrllr", heads);
	for (size_t i = 0; i < d->nqueues; i++) {
		const struct queue_row *q = &d->queues[ord[i].idx];

		if (q->idle && !o->all)
			hidden++;
		else
			queue_row(&t, q);
	}
	section_title(out, "RX queues");
	if (hidden < d->nqueues)
		table_print(&t, out);
	hidden_line(out, hidden, "idle queue", "idle queues");
	table_free(&t);
	free(ord);
}

static void cpu_row(struct table *t, const struct cpu_row *c)
{
	table_add(t, "%d%s", c->cpu, c->serves_rx_irq ? "*" : "");
	table_add_pct(t, c->softirq_pct, 1);
	table_add_rate(t, c->net_rx_ps);
	table_add_rate(t, c->processed_ps);
	table_add_rate(t, c->dropped_ps);
	table_add_rate(t, c->squeeze_ps);
	table_add_rate(t, c->flow_limit_ps);
	table_add_int(t, c->numa_node);
}

static void text_cpus(const struct diagnosis *d,
		      const struct report_options *o, struct strbuf *out)
{
	static const char *const heads[] = {
		"cpu", "softirq", "NET_RX/s", "processed/s", "backlog drops/s",
		"squeeze/s", "flow limit/s", "node"
	};
	size_t hidden = 0;
	bool star = false;
	struct table t;

	if (d->ncpus == 0)
		return;
	table_init(&t, "lrrrrrrr", heads);
	for (size_t i = 0; i < d->ncpus; i++) {
		const struct cpu_row *c = &d->cpus[i];

		if (c->idle && !o->all) {
			hidden++;
			continue;
		}
		cpu_row(&t, c);
		star |= c->serves_rx_irq;
	}
	section_title(out, "CPUs");
	if (hidden < d->ncpus)
		table_print(&t, out);
	if (star)
		sb_puts(out, "  (* serves the IRQ of an RX queue)\n");
	hidden_line(out, hidden, "idle CPU", "idle CPUs");
	table_free(&t);
}

/* ss style: [v6addr]:port, a port 0 (unconnected peer) as "*". */
static void table_add_endpoint(struct table *t, int family, const char *addr,
			       unsigned port)
{
	struct strbuf *sb = table_cell_begin(t);

	if (family == AF_INET6)
		sb_putc(sb, '[');
	text_escape(sb, addr[0] ? addr : "*");
	if (family == AF_INET6)
		sb_putc(sb, ']');
	if (port)
		sb_printf(sb, ":%u", port);
	else
		sb_puts(sb, ":*");
	table_cell_end(t);
}

/* rcvbuf, fill, share of its REUSEPORT group's drops, owner: "-" where
 * the column does not apply, "?" where it is unknown. */
static void socket_row_sockdiag(struct table *t, const struct socket_row *s)
{
	struct strbuf *sb;

	if (s->have_rcvbuf)
		table_add_u64(t, s->rcvbuf);
	else
		table_add_word(t, "?");
	table_add_pct(t, (struct optval){ 100 * s->fill.v, s->fill.known },
		      0);
	if (s->in_group)
		table_add_pct(t, (struct optval){ 100 * s->drops_share.v,
						 s->drops_share.known }, 0);
	else
		table_add_word(t, "-");
	if (s->pid <= 0) {
		table_add_word(t, "?");
		return;
	}
	sb = table_cell_begin(t);
	sb_printf(sb, "%d/", s->pid);
	text_escape(sb, s->comm[0] ? s->comm : "?");
	table_cell_end(t);
}

/* With drop reasons, the SOCKET_RCVBUFF rate of the socket's port after
 * its own drops. */
static void socket_row(struct table *t, const struct socket_row *s,
		       bool reasons)
{
	table_add_endpoint(t, s->family, s->local, s->lport);
	table_add_endpoint(t, s->family, s->remote, s->rport);
	table_add_u64(t, s->inode);
	table_add_u64(t, s->uid);
	table_add_u64(t, s->rx_queue);
	table_add_rate(t, s->drops_ps);
	if (reasons)
		table_add_rate(t, s->rcvbuff_reason_ps);
	socket_row_sockdiag(t, s);
}

/* Where the rows come from, and what a group share means. */
static void text_socket_source(const struct diagnosis *d, struct strbuf *out)
{
	if (d->socket_source)
		sb_printf(out, "  (from %s%s)\n", d->socket_source,
			  strcmp(d->socket_source, "sock_diag") == 0 ? "" :
			  ": no rcvbuf or owner");
	if (d->ngroups)
		sb_printf(out, "  (%zu group%s of sockets sharing a port; "
			  "group drops = share of the group's drops, the "
			  "kernel counts no packets per socket)\n",
			  d->ngroups, d->ngroups == 1 ? "" : "s");
}

/* Sockets dropping the most come first. */
static void text_sockets(const struct diagnosis *d,
			 const struct report_options *o, struct strbuf *out)
{
	static const char *const heads[] = {
		"local", "remote", "inode", "uid", "queued bytes", "drops/s",
		"rcvbuf", "fill", "group drops", "pid/command"
	};
	static const char *const heads_reasons[] = {
		"local", "remote", "inode", "uid", "queued bytes", "drops/s",
		"RCVBUFF/s", "rcvbuf", "fill", "group drops", "pid/command"
	};
	struct order *ord;
	struct table t;
	size_t hidden = 0;

	if (d->nsocks == 0)
		return;
	ord = xcalloc(d->nsocks, sizeof(*ord));
	for (size_t i = 0; i < d->nsocks; i++)
		ord[i] = (struct order){ d->socks[i].drops_ps, i };
	qsort(ord, d->nsocks, sizeof(*ord), order_cmp);
	if (d->have_reasons)
		table_init(&t, "llrrrrrrrrl", heads_reasons);
	else
		table_init(&t, "llrrrrrrrl", heads);
	for (size_t i = 0; i < d->nsocks; i++) {
		const struct socket_row *s = &d->socks[ord[i].idx];

		if (s->idle && !o->all)
			hidden++;
		else
			socket_row(&t, s, d->have_reasons);
	}
	section_title(out, "UDP sockets");
	text_socket_source(d, out);
	if (hidden < d->nsocks)
		table_print(&t, out);
	hidden_line(out, hidden, "idle socket", "idle sockets");
	table_free(&t);
	free(ord);
}

static void receiver_row(struct table *t, const struct receiver_row *r)
{
	table_add(t, "%d", r->thread);
	table_add_rate(t, r->pps);
	table_add_rate(t, r->bytes_ps);
	if (r->avg_batch.known)
		table_add(t, "%.1f", r->avg_batch.v);
	else
		table_add_word(t, "?");
	table_add_pct(t, r->full_pct, 0);
	table_add_int(t, r->cpu);
	table_add_int(t, r->node);
}

/* The built-in receiver: every thread, idle ones too (an idle thread of a
 * REUSEPORT group is the news). */
static void text_receiver(const struct diagnosis *d, struct strbuf *out)
{
	static const char *const heads[] = {
		"thread", "pkt/s", "bytes/s", "avg batch", "full batches",
		"cpu", "node"
	};
	const struct receiver_diag *r = &d->receiver;
	struct table t;

	if (!r->present)
		return;
	section_title(out, "receiver threads");
	sb_puts(out, "  ");
	text_escape(out, r->addr);
	sb_printf(out, ", %zu thread%s, %s, batch %d, rcvbuf %lld, ",
		  r->nthreads, r->nthreads == 1 ? "" : "s",
		  r->reuseport == 0 ? "one shared socket"
				    : "SO_REUSEPORT sockets",
		  r->batch, (long long)r->rcvbuf);
	fmt_rate(out, r->pps);
	sb_puts(out, " pkt/s\n");
	table_init(&t, "rrrrrrr", heads);
	for (size_t i = 0; i < r->nthreads; i++)
		receiver_row(&t, &r->threads[i]);
	table_print(&t, out);
	table_free(&t);
}

static void text_findings(const struct diagnosis *d, struct strbuf *out)
{
	if (d->nfindings > 0)
		section_title(out, "findings");
	for (size_t i = 0; i < d->nfindings; i++) {
		sb_puts(out, "  [");
		text_escape(out, d->findings[i].id);
		sb_puts(out, "] ");
		text_escape(out, d->findings[i].detail ?
				 d->findings[i].detail : "");
		sb_putc(out, '\n');
	}
}

/* Unreadable sources, vanished devices: what the figures above lack. */
static void text_notes(const struct diagnosis *d, struct strbuf *out)
{
	if (d->nnotes > 0)
		section_title(out, "notes");
	for (size_t i = 0; i < d->nnotes; i++) {
		sb_puts(out, "  ");
		text_escape(out, d->notes[i] ? d->notes[i] : "?");
		sb_putc(out, '\n');
	}
}

void report_text(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out)
{
	/* The verdict comes first: it is the answer; the context follows. */
	text_verdict(d, out);
	sb_putc(out, '\n');
	text_header(d, o, out);
	text_waterfall(d, o, out);
	if (o->timeline)
		report_text_timeline(o->timeline, o->all, out);
	text_reasons(d, out);
	text_devices(d, out);
	text_queues(d, o, out);
	text_cpus(d, o, out);
	text_sockets(d, o, out);
	text_receiver(d, out);
	text_findings(d, out);
	text_other(d, o, out);
	text_notes(d, out);
}
