/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus report: the diagnosis as Prometheus text exposition (format
 * 0.0.4), for node_exporter's textfile collector, so that a fleet of hosts
 * is watched by Prometheus rather than by droptop itself.
 *
 * Every metric is a gauge: droptop reports rates over its own interval,
 * not the kernel's ever-growing counters (node_exporter already exports
 * those). Families are written whole, each with its HELP and TYPE lines,
 * since the format wants all samples of a family together. An unknown
 * figure has no sample at all, never a 0: Prometheus reads absence as
 * "no data", and a 0 would hide a source that could not be read. Idle
 * device, queue and CPU rows are kept, as in JSON, so series do not come
 * and go with the traffic; sockets are not (see prom_sockets). */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dropreason.h"
#include "report.h"
#include "report_common.h"

#define PROM_LABELS 256

/* Where samples go, and the labels every sample carries (netns="NAME"
 * with --netns, so that one host's namespaces never share a series). */
struct prom {
	struct strbuf *sb;
	struct strbuf base;
};

/* Label values must be UTF-8 with \, " and newline escaped; a stray byte
 * becomes U+FFFD, as in the JSON report. The format has no escape for the
 * other control characters, which act on a terminal showing the file:
 * they become U+FFFD too. */
static void prom_escape(struct strbuf *out, const char *s)
{
	size_t n = strlen(s), len;

	while (n > 0) {
		unsigned char c = (unsigned char)*s;

		len = report_utf8_len(s, n);
		if (len == 0 || (c < 0x20 && c != '\n') || c == 0x7f ||
		    (len == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			sb_puts(out, "\xef\xbf\xbd");
			len = len ? len : 1;
		} else if (*s == '\\' || *s == '"') {
			sb_putc(out, '\\');
			sb_putc(out, *s);
		} else if (*s == '\n') {
			sb_puts(out, "\\n");
		} else {
			sb_append(out, s, len);
		}
		s += len;
		n -= len;
	}
}

/* Appends name="value" to a label set being built in lb. */
static void prom_label(struct strbuf *lb, const char *name, const char *value)
{
	sb_puts(lb, lb->len ? "," : "");
	sb_printf(lb, "%s=\"", name);
	prom_escape(lb, value ? value : "");
	sb_putc(lb, '"');
}

static void prom_label_int(struct strbuf *lb, const char *name, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	prom_label(lb, name, buf);
}

static void prom_family(struct prom *out, const char *name, const char *help)
{
	sb_printf(out->sb, "# HELP %s %s\n# TYPE %s gauge\n", name, help,
		  name);
}

/* One sample; labels is the inside of the braces, possibly empty. */
static void prom_sample(struct prom *out, const char *name,
			const char *labels, double v)
{
	const char *base = out->base.len ? out->base.s : "";
	bool more = labels && labels[0];
	char buf[400];

	if (!isfinite(v))
		return;
	report_number(buf, sizeof(buf), v);
	if (more || base[0])
		sb_printf(out->sb, "%s{%s%s%s} %s\n", name, base,
			  more && base[0] ? "," : "", more ? labels : "", buf);
	else
		sb_printf(out->sb, "%s %s\n", name, buf);
}

static void prom_opt(struct prom *out, const char *name, const char *labels,
		     struct optval v, double scale)
{
	if (v.known)
		prom_sample(out, name, labels, v.v * scale);
}

/* A metric read from an optval field of a row, for the tables below. */
struct prom_field {
	const char *name;
	const char *help;
	size_t offset;
	double scale;
};

static struct optval field_of(const void *row, const struct prom_field *f)
{
	return *(const struct optval *)((const char *)row + f->offset);
}

static void prom_stage_labels(struct strbuf *lb, int id)
{
	sb_reset(lb);
	prom_label(lb, "stage", stage_name(id));
}

static void prom_stages(struct prom *out, const struct diagnosis *d,
			struct strbuf *lb)
{
	static const struct prom_field f[] = {
	    {"droptop_stage_in_packets_per_second",
	     "Packets that reached the stage, per second.",
	     offsetof(struct stage, in_pps), 1},
	    {"droptop_stage_lost_packets_per_second",
	     "Packets the stage lost, per second.",
	     offsetof(struct stage, lost_pps), 1},
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		prom_family(out, f[k].name, f[k].help);
		for (int i = 0; i < STAGE_N; i++) {
			prom_stage_labels(lb, i);
			prom_opt(out, f[k].name, lb->s,
				 field_of(&d->stages[i], &f[k]), f[k].scale);
		}
	}
}

/* Every counter behind each stage, by the kernel's or driver's name. */
static void prom_stage_counters(struct prom *out, const struct diagnosis *d,
				struct strbuf *lb)
{
	static const char name[] = "droptop_stage_events_per_second";

	prom_family(out, name,
		    "Change of a counter behind a stage, per second "
		    "(loss=\"1\" when counted in the stage's loss).");
	for (int i = 0; i < STAGE_N; i++) {
		const struct stage *st = &d->stages[i];

		for (int c = 0; c < st->ncounters; c++) {
			prom_stage_labels(lb, i);
			prom_label(lb, "counter",
				   st->counters[c].name ? st->counters[c].name
							: "?");
			prom_label(lb, "loss",
				   st->counters[c].is_loss ? "1" : "0");
			if (st->counters[c].known)
				prom_sample(out, name, lb->s,
					    st->counters[c].per_s);
		}
	}
}

/* The verdict as one series per stage: 1 for the stage the verdict names,
 * 0 for the others; none of them is 1 when no loss was seen. */
static void prom_verdict(struct prom *out, const struct diagnosis *d,
			struct strbuf *lb)
{
	static const char name[] = "droptop_verdict_stage";

	prom_family(out, name,
		    "1 for the stage where most packets are lost, else 0.");
	for (int i = 0; i < STAGE_N; i++) {
		prom_stage_labels(lb, i);
		prom_sample(out, name, lb->s, d->verdict.stage == i);
	}
	prom_family(out, "droptop_lost_packets_per_second",
		    "Packets lost at all stages, per second.");
	prom_opt(out, "droptop_lost_packets_per_second", "", d->total_lost_pps,
		 1);
	prom_family(out, "droptop_unaccounted_packets_per_second",
		    "Packets that vanished between stages without a counter, "
		    "per second.");
	prom_opt(out, "droptop_unaccounted_packets_per_second", "",
		 d->unaccounted_pps, 1);
	prom_family(out, "droptop_interval_seconds",
		    "Length of the interval the rates are measured over.");
	prom_sample(out, "droptop_interval_seconds", "", d->interval_s);
}

/* Link state: 1/0 gauges, absent when unknown; operstate as a label. */
static void prom_link(struct prom *out, const struct diagnosis *d,
		      struct strbuf *lb)
{
	prom_family(out, "droptop_device_link_up",
		    "1 when the device can receive (operstate up, carrier), "
		    "0 when it is down or has no carrier.");
	for (size_t i = 0; i < d->ndevs; i++) {
		sb_reset(lb);
		prom_label(lb, "device", d->devs[i].name);
		if (d->devs[i].link != LINK_UNKNOWN)
			prom_sample(out, "droptop_device_link_up", lb->s,
				    d->devs[i].link == LINK_UP);
	}
	prom_family(out, "droptop_device_carrier",
		    "1 when the device has a carrier, 0 when not.");
	for (size_t i = 0; i < d->ndevs; i++) {
		sb_reset(lb);
		prom_label(lb, "device", d->devs[i].name);
		if (d->devs[i].carrier != LINK_UNKNOWN)
			prom_sample(out, "droptop_device_carrier", lb->s,
				    d->devs[i].carrier == LINK_UP);
	}
	prom_family(out, "droptop_device_operstate",
		    "1, labelled with the device's RFC 2863 operstate.");
	for (size_t i = 0; i < d->ndevs; i++) {
		if (!d->devs[i].operstate[0])
			continue;
		sb_reset(lb);
		prom_label(lb, "device", d->devs[i].name);
		prom_label(lb, "state", d->devs[i].operstate);
		prom_sample(out, "droptop_device_operstate", lb->s, 1);
	}
}

static void prom_devices(struct prom *out, const struct diagnosis *d,
			 struct strbuf *lb)
{
	static const struct prom_field f[] = {
	    {"droptop_device_rx_packets_per_second",
	     "Packets the device received, per second.",
	     offsetof(struct device_row, rx_pps), 1},
	    {"droptop_device_nic_lost_packets_per_second",
	     "Packets the NIC lost, per second.",
	     offsetof(struct device_row, nic_lost_pps), 1},
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		prom_family(out, f[k].name, f[k].help);
		for (size_t i = 0; i < d->ndevs; i++) {
			sb_reset(lb);
			prom_label(lb, "device", d->devs[i].name);
			prom_opt(out, f[k].name, lb->s,
				 field_of(&d->devs[i], &f[k]), f[k].scale);
		}
	}
	prom_family(out, "droptop_device_ring_rx_entries",
		    "RX ring size in use (ethtool -g).");
	for (size_t i = 0; i < d->ndevs; i++) {
		sb_reset(lb);
		prom_label(lb, "device", d->devs[i].name);
		if (d->devs[i].ring_rx >= 0)
			prom_sample(out, "droptop_device_ring_rx_entries",
				    lb->s, d->devs[i].ring_rx);
	}
	prom_link(out, d, lb);
}

static void prom_queues(struct prom *out, const struct diagnosis *d,
			struct strbuf *lb)
{
	static const struct prom_field f[] = {
	    {"droptop_queue_rx_packets_per_second",
	     "Packets an RX queue received, per second.",
	     offsetof(struct queue_row, rx_pps), 1},
	    {"droptop_queue_drops_per_second",
	     "Packets an RX queue dropped, per second.",
	     offsetof(struct queue_row, drops_pps), 1},
	    {"droptop_queue_share_ratio",
	     "Share of the device's received packets taken by the queue.",
	     offsetof(struct queue_row, share), 1},
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		prom_family(out, f[k].name, f[k].help);
		for (size_t i = 0; i < d->nqueues; i++) {
			sb_reset(lb);
			prom_label(lb, "device", d->queues[i].dev);
			prom_label_int(lb, "queue", d->queues[i].queue);
			prom_opt(out, f[k].name, lb->s,
				 field_of(&d->queues[i], &f[k]), f[k].scale);
		}
	}
}

static void prom_cpus(struct prom *out, const struct diagnosis *d,
		struct strbuf *lb)
{
	static const struct prom_field f[] = {
	    {"droptop_cpu_softirq_ratio",
	     "Share of the CPU's time spent in softirqs.",
	     offsetof(struct cpu_row, softirq_pct), 0.01},
	    {"droptop_cpu_net_rx_softirqs_per_second",
	     "NET_RX softirqs run on the CPU, per second.",
	     offsetof(struct cpu_row, net_rx_ps), 1},
	    {"droptop_cpu_processed_packets_per_second",
	     "Packets processed by the CPU (softnet_stat), per second.",
	     offsetof(struct cpu_row, processed_ps), 1},
	    {"droptop_cpu_backlog_drops_per_second",
	     "Packets dropped because the CPU's backlog was full, "
	     "per second.",
	     offsetof(struct cpu_row, dropped_ps), 1},
	    {"droptop_cpu_time_squeeze_per_second",
	     "NET_RX runs that ended with work left (time_squeeze), "
	     "per second.",
	     offsetof(struct cpu_row, squeeze_ps), 1},
	    {"droptop_cpu_flow_limit_per_second",
	     "Packets dropped by the flow limit, per second.",
	     offsetof(struct cpu_row, flow_limit_ps), 1},
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		prom_family(out, f[k].name, f[k].help);
		for (size_t i = 0; i < d->ncpus; i++) {
			sb_reset(lb);
			prom_label_int(lb, "cpu", d->cpus[i].cpu);
			prom_opt(out, f[k].name, lb->s,
				 field_of(&d->cpus[i], &f[k]), f[k].scale);
		}
	}
}

/* Socket series are one per local address, port and owner, not one per
 * socket: an inode label would make every short-lived socket a new series
 * for the fleet to keep. Members of a SO_REUSEPORT group add up. */
struct prom_port {
	const struct socket_row *first;
	size_t nsocks;
	struct optval drops_ps;     /* sum; unknown when a member's is */
	struct optval fill;         /* the fullest member's */
	uint64_t rx_queue;          /* sum */
};

static int sock_key_cmp(const struct socket_row *a, const struct socket_row *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = strcmp(a->local, b->local)) != 0)
		return c;
	if (a->lport != b->lport)
		return a->lport < b->lport ? -1 : 1;
	return strcmp(a->comm, b->comm);
}

static int sock_ptr_cmp(const void *a, const void *b)
{
	return sock_key_cmp(*(const struct socket_row *const *)a,
			    *(const struct socket_row *const *)b);
}

static void port_add(struct prom_port *p, const struct socket_row *s)
{
	if (!p->nsocks++) {
		p->first = s;
		p->drops_ps = opt_known(0);
		p->fill = opt_unknown();
	}
	p->drops_ps = s->drops_ps.known && p->drops_ps.known
			      ? opt_known(p->drops_ps.v + s->drops_ps.v)
			      : opt_unknown();
	if (s->fill.known && (!p->fill.known || s->fill.v > p->fill.v))
		p->fill = s->fill;
	p->rx_queue += s->rx_queue;
}

/* The sockets by local address, port and owner; idle ones only with
 * --all. Returns how many entries *out holds (to be freed). */
static size_t prom_ports(const struct diagnosis *d, bool all,
			 struct prom_port **out)
{
	const struct socket_row **v = xcalloc(d->nsocks + 1, sizeof(*v));
	struct prom_port *p = xcalloc(d->nsocks + 1, sizeof(*p));
	size_t n = 0, np = 0;

	for (size_t i = 0; i < d->nsocks; i++)
		if (all || !d->socks[i].idle)
			v[n++] = &d->socks[i];
	qsort(v, n, sizeof(*v), sock_ptr_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || sock_key_cmp(v[i - 1], v[i]) != 0)
			np++;
		port_add(&p[np - 1], v[i]);
	}
	free(v);
	*out = p;
	return np;
}

/* local="127.0.0.1",port="53" (an IPv6 address without brackets, as in
 * the JSON report), and comm="named" when the owner is known. */
static void prom_port_labels(struct strbuf *lb, const struct socket_row *s)
{
	sb_reset(lb);
	prom_label(lb, "local", s->local);
	prom_label_int(lb, "port", s->lport);
	if (s->comm[0])
		prom_label(lb, "comm", s->comm);
}

static void prom_sockets(struct prom *out, const struct diagnosis *d,
			 bool all, struct strbuf *lb)
{
	static const struct prom_field f[] = {
	    {"droptop_socket_drops_per_second",
	     "Packets the sockets dropped (receive buffer full), "
	     "per second.",
	     offsetof(struct prom_port, drops_ps), 1},
	    {"droptop_socket_fill_ratio",
	     "Bytes queued over the receive buffer size, of the fullest "
	     "socket.",
	     offsetof(struct prom_port, fill), 1},
	};
	struct prom_port *p;
	size_t np = prom_ports(d, all, &p);

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		prom_family(out, f[k].name, f[k].help);
		for (size_t i = 0; i < np; i++) {
			prom_port_labels(lb, p[i].first);
			prom_opt(out, f[k].name, lb->s, field_of(&p[i], &f[k]),
				 f[k].scale);
		}
	}
	prom_family(out, "droptop_socket_rx_queue_bytes",
		    "Bytes waiting in the sockets' receive queues.");
	for (size_t i = 0; i < np; i++) {
		prom_port_labels(lb, p[i].first);
		prom_sample(out, "droptop_socket_rx_queue_bytes", lb->s,
			    (double)p[i].rx_queue);
	}
	prom_family(out, "droptop_sockets",
		    "UDP sockets with this local address, port and owner.");
	for (size_t i = 0; i < np; i++) {
		prom_port_labels(lb, p[i].first);
		prom_sample(out, "droptop_sockets", lb->s, (double)p[i].nsocks);
	}
	free(p);
}

static void prom_receiver(struct prom *out, const struct diagnosis *d,
			struct strbuf *lb)
{
	static const char name[] = "droptop_receiver_packets_per_second";
	const struct receiver_diag *r = &d->receiver;

	if (!r->present)
		return;
	prom_family(out, name,
		    "Packets read by a thread of the built-in receiver, "
		    "per second.");
	for (size_t i = 0; i < r->nthreads; i++) {
		sb_reset(lb);
		prom_label_int(lb, "thread", r->threads[i].thread);
		prom_opt(out, name, lb->s, r->threads[i].pps, 1);
	}
}

/* One series per finding id present, valued by how many times it fired;
 * the ids are stable, the detail lines are not, so they stay out. */
static void prom_findings(struct prom *out, const struct diagnosis *d,
			struct strbuf *lb)
{
	static const char name[] = "droptop_finding";

	prom_family(out, name,
		    "Findings of the diagnosis, by id: how many fired.");
	for (size_t i = 0; i < d->nfindings; i++) {
		size_t j, count = 0;

		for (j = 0; j < i; j++)
			if (strcmp(d->findings[j].id, d->findings[i].id) == 0)
				break;
		if (j < i)
			continue; /* already written */
		for (j = i; j < d->nfindings; j++)
			count +=
			    strcmp(d->findings[j].id, d->findings[i].id) == 0;
		sb_reset(lb);
		prom_label(lb, "id", d->findings[i].id);
		prom_sample(out, name, lb->s, (double)count);
	}
}

/* Series kept with their own port label; the rest are summed per
 * (reason, stage, family, protocol) with port="other", so that a flood to
 * random ports makes at most this many port series. */
#define PROM_REASON_PORTS 10

static void prom_reason_labels(struct strbuf *lb, const struct reason_row *r,
			       bool own_port)
{
	char buf[16];
	const char *proto = drop_reason_protocol(r->protocol, buf, sizeof(buf));

	sb_reset(lb);
	prom_label(lb, "reason", r->reason);
	prom_label(lb, "stage", r->stage);
	prom_label(lb, "family", snapshot_family_name(r->family));
	prom_label(lb, "protocol", proto);
	if (!own_port)
		prom_label(lb, "port", "other");
	else if (r->port >= 0)
		prom_label_int(lb, "port", r->port);
	else
		prom_label(lb, "port", "");
}

static bool same_but_port(const struct reason_row *a, const struct reason_row *b)
{
	return strcmp(a->reason, b->reason) == 0 && a->family == b->family &&
	       a->protocol == b->protocol;
}

/* The rows past the first PROM_REASON_PORTS (sorted by rate), one series
 * per (reason, family, protocol), each printed at its first row. */
static void prom_reasons_other(struct prom *out, const struct diagnosis *d,
			       struct strbuf *lb, const char *name)
{
	for (size_t i = PROM_REASON_PORTS; i < d->nreasons; i++) {
		double sum = 0;
		bool first = true;

		for (size_t j = PROM_REASON_PORTS; j < i && first; j++)
			first = !same_but_port(&d->reasons[j], &d->reasons[i]);
		if (!first)
			continue;
		for (size_t j = i; j < d->nreasons; j++)
			if (same_but_port(&d->reasons[j], &d->reasons[i]))
				sum += d->reasons[j].pps;
		prom_reason_labels(lb, &d->reasons[i], false);
		prom_sample(out, name, lb->s, sum);
	}
}

static void prom_reasons(struct prom *out, const struct diagnosis *d,
			 struct strbuf *lb)
{
	static const char name[] = "droptop_drop_reason_packets_per_second";

	if (!d->have_reasons)
		return;
	prom_family(out, name,
		    "Packets the kernel dropped for a reason (kfree_skb), per "
		    "second; ports past the busiest 10 are summed as port=\"other\".");
	for (size_t i = 0; i < d->nreasons && i < PROM_REASON_PORTS; i++) {
		prom_reason_labels(lb, &d->reasons[i], true);
		prom_sample(out, name, lb->s, d->reasons[i].pps);
	}
	prom_reasons_other(out, d, lb, name);
}

/* NOT_SPECIFIED drops by the kernel function that freed them, as the
 * text and JSON reports show them: at most REASON_FUNCS_MAX series, the
 * busiest, so that no input makes more. */
static void prom_reason_functions(struct prom *out, const struct diagnosis *d,
				  struct strbuf *lb)
{
	static const char name[] =
		"droptop_drop_reason_function_packets_per_second";

	if (!d->have_reasons || d->nreason_funcs == 0)
		return;
	prom_family(out, name,
		    "NOT_SPECIFIED drops by the kernel function that freed "
		    "them, per second (the busiest only).");
	for (size_t i = 0; i < d->nreason_funcs; i++) {
		sb_reset(lb);
		prom_label(lb, "function", d->reason_funcs[i].reason);
		prom_sample(out, name, lb->s, d->reason_funcs[i].pps);
	}
}

void report_prom(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *sb)
{
	struct prom p = { .sb = sb }, *out = &p;
	struct strbuf lb;

	sb_init(&lb);
	sb_init(&p.base);
	if (d->netns[0])
		prom_label(&p.base, "netns", d->netns);
	prom_verdict(out, d, &lb);
	prom_stages(out, d, &lb);
	prom_stage_counters(out, d, &lb);
	prom_devices(out, d, &lb);
	prom_queues(out, d, &lb);
	prom_cpus(out, d, &lb);
	prom_sockets(out, d, o->all, &lb);
	prom_receiver(out, d, &lb);
	prom_findings(out, d, &lb);
	prom_reasons(out, d, &lb);
	prom_reason_functions(out, d, &lb);
	sb_free(&p.base);
	sb_free(&lb);
}
