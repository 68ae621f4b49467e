/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON report: one object holding the whole diagnosis, for scripts and
 * monitoring. Unknown figures are null, never 0.
 *
 * Every list holds every row, idle ones too (each with "idle"), whatever
 * --all says: a script then sees the same shape on every run and can
 * filter with jq (select(.idle|not)); hiding rows is a matter of display,
 * which is the text report's business. Queues, CPUs and sockets keep the
 * diagnosis order (device/queue, CPU number, socket table order) so that
 * two runs can be compared line by line. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dropreason.h"
#include "report.h"
#include "report_common.h"

/* A small streaming JSON writer: the one place that knows about commas,
 * indentation and string escaping. A NULL key means an array element.
 * What goes before a value is kept ready (pre, lead): in the fuzz
 * targets UBSan checks a bool's value and each pointer sum with
 * compares, every one a coverage callback. The fields are read one by
 * one: a copy of the whole state is an intercepted memcpy under ASan,
 * which measured dearer than the compares on each load. */
struct jw {
	struct strbuf *out;
	const char *pre;    /* jw_sep, or past its comma before a first value */
	size_t lead;        /* bytes of pre before a value */
	size_t had_item;    /* 1: the current container already holds a value */
	size_t indent;      /* newline and indentation before a value; 0 at
			     * depth 0 and when compact */
	size_t pretty;      /* 1: newlines, indentation, a space after a
			     * key's colon; 0 when compact: one line, no
			     * spaces, NDJSON (--count) */
	int depth;
};

/* A comma, a newline and the deepest indentation a report needs. */
static const char jw_sep[] = ",\n                                ";

/* Control characters become escapes; a byte that is not part of valid
 * UTF-8 becomes U+FFFD, since JSON text must be Unicode. */
static void jw_escape(struct strbuf *out, const char *s)
{
	size_t n = strlen(s), len;

	sb_putc(out, '"');
	while (n > 0) {
		unsigned char c = (unsigned char)*s;

		len = plain_ascii_run(s, n, "\"\\");
		if (len > 0) {
			sb_append(out, s, len);
			s += len;
			n -= len;
			continue;
		}
		len = report_utf8_len(s, n);
		if (len == 0) {
			sb_puts(out, "\\ufffd");
			len = 1;
		} else if (c == '"' || c == '\\') {
			sb_putc(out, '\\');
			sb_putc(out, (char)c);
		} else if (c == '\n') {
			sb_puts(out, "\\n");
		} else if (c == '\t') {
			sb_puts(out, "\\t");
		} else if (c == '\r') {
			sb_puts(out, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(out, "\\u%04x", c);
		} else if (len == 2 && c == 0xc2 &&
			   (unsigned char)s[1] < 0xa0) {
			/* C1 controls: legal in JSON, but act on terminals. */
			sb_printf(out, "\\u%04x", (unsigned char)s[1]);
		} else {
			sb_append(out, s, len);
		}
		s += len;
		n -= len;
	}
	sb_putc(out, '"');
}

/* A newline and two spaces per level, appended without printf: every
 * value of the report starts with one. */
static void jw_newline(struct jw *w)
{
	/* jw_sep without its comma: the newline and the indentation. */
	size_t n = 1 + 2 * (size_t)w->depth;

	if (n < sizeof(jw_sep) - 1) {
		sb_append(w->out, jw_sep + 1, n);
		return;
	}
	sb_printf(w->out, "\n%*s", 2 * w->depth, "");
}

/* The container's depth changed, or whether it holds a value: what
 * goes before its next value. */
static void jw_set_state(struct jw *w, int depth, size_t had_item)
{
	/* 1 when depth > 0 (it is never negative), without a compare. */
	size_t nested = (0u - (unsigned int)depth) >> 31;
	size_t indent = nested * w->pretty * (1 + 2 * (size_t)depth);

	w->depth = depth;
	w->indent = indent;
	w->had_item = had_item;
	w->pre = had_item ? jw_sep : jw_sep + 1;
	w->lead = indent + had_item;
}

/* Deeper than any report nests: separator, newline and key the general
 * way. */
static void jw_key_deep(struct jw *w, const char *key, size_t n)
{
	if (w->had_item)
		sb_putc(w->out, ',');
	jw_newline(w);
	if (key) {
		sb_putc(w->out, '"');
		sb_append(w->out, key, n);
		sb_puts(w->out, w->pretty ? "\": " : "\":");
	}
}

/* One value with all that goes before it, in one reserve: separator,
 * newline and indentation, its key as it is (a key of this file's own,
 * or one that jw_key_untrusted() checked; NULL in an array), then the
 * n bytes of v, between quotes when quote is 1 (v needs no escaping).
 * The report has one key per value, and under the fuzz targets' checks
 * each separate append costs a dozen callbacks. */
static void jw_item(struct jw *w, const char *key, size_t kn, const char *v,
		    size_t n, size_t quote)
{
	struct strbuf *out = w->out;
	size_t lead = w->lead, indent = w->indent, need = lead + kn + 6 + n;
	char *p;

	if (indent > sizeof(jw_sep) - 2) {
		jw_key_deep(w, key, kn);
		if (quote)
			sb_putc(out, '"');
		sb_append(out, v, n);
		if (quote)
			sb_putc(out, '"');
		jw_set_state(w, w->depth, 1);
		return;
	}
	if (out->cap - out->len <= need)
		sb_reserve(out, need);
	p = out->s + out->len;
	memcpy(p, w->pre, lead);
	p += lead;
	if (key) {
		/* The colon's 4 bytes (its NUL and, compact, its space are
		 * overwritten). */
		*p = '"';
		memcpy(p + 1, key, kn);
		p += kn + 1;
		memcpy(p, "\": ", 4);
		p += 2 + w->pretty;
	}
	*p = '"';
	p += quote;
	memcpy(p, v, n);
	p += n;
	*p = '"';
	p += quote;
	*p = '\0';
	out->len = (size_t)(p - out->s);
	w->had_item = 1;
	w->pre = jw_sep;
	w->lead = indent + 1;
}

/* A key from the input (a driver's counter name): escaped unless plain.
 * Then v (n bytes, no quotes). */
static void jw_untrusted_item(struct jw *w, const char *key, const char *v,
			      size_t n)
{
	size_t kn = strlen(key);

	if (plain_ascii_run(key, kn, "\"\\") == kn) {
		jw_item(w, key, kn, v, n, 0);
		return;
	}
	if (w->depth > 0) {
		if (w->had_item)
			sb_putc(w->out, ',');
		if (w->pretty)
			jw_newline(w);
	}
	jw_set_state(w, w->depth, 1);
	jw_escape(w->out, key);
	sb_puts(w->out, w->pretty ? ": " : ":");
	sb_append(w->out, v, n);
}

/* key NULL: an array element. bracket: "{" or "[". */
static void jw_open(struct jw *w, const char *key, const char *bracket)
{
	jw_item(w, key, key ? strlen(key) : 0, bracket, 1, 0);
	jw_set_state(w, w->depth + 1, 0);
}

/* An empty container closes on its line; the bracket of one with values
 * goes on a line of its own, written as an element is. */
static void jw_close(struct jw *w, const char *bracket)
{
	size_t had_item = w->had_item;

	jw_set_state(w, w->depth - 1, 0);
	if (had_item && w->indent) {
		jw_item(w, NULL, 0, bracket, 1, 0);
		return;
	}
	if (had_item && w->pretty)
		jw_newline(w);
	sb_append(w->out, bracket, 1);
	jw_set_state(w, w->depth, 1);
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	size_t kn = key ? strlen(key) : 0, n;

	if (!s) {
		jw_item(w, key, kn, "null", 4, 0);
		return;
	}
	n = strlen(s);
	if (plain_ascii_run(s, n, "\"\\") == n) {
		jw_item(w, key, kn, s, n, 1);
		return;
	}
	jw_item(w, key, kn, "", 0, 0);
	jw_escape(w->out, s);
}

/* A finite number after its key (an input's name when untrusted). The
 * buffers live here, not in the callers: a 400-byte buffer inlined into
 * every json_* function made frames of kilobytes, whose redzones ASan
 * poisons and unpoisons on every call. Whole figures (most) need 32
 * bytes; the rest go through printf's 400 (report_number). */
static __attribute__((noinline)) void jw_fraction(struct jw *w,
						  const char *key, double v,
						  size_t untrusted)
{
	char buf[400];
	size_t n = report_number(buf, sizeof(buf), v);

	if (untrusted)
		jw_untrusted_item(w, key, buf, n);
	else
		jw_item(w, key, key ? strlen(key) : 0, buf, n, 0);
}

static __attribute__((noinline)) void jw_finite(struct jw *w, const char *key,
						double v, size_t untrusted)
{
	char buf[32];
	size_t n = report_integer(buf, sizeof(buf), v);

	if (n == 0)
		jw_fraction(w, key, v, untrusted);
	else if (untrusted)
		jw_untrusted_item(w, key, buf, n);
	else
		jw_item(w, key, key ? strlen(key) : 0, buf, n, 0);
}

/* A number after its key: null when unknown or not finite. */
static void jw_opt(struct jw *w, const char *key, struct optval v)
{
	if (!v.known || !isfinite(v.v))
		jw_item(w, key, key ? strlen(key) : 0, "null", 4, 0);
	else
		jw_finite(w, key, v.v, 0);
}

static void jw_num(struct jw *w, const char *key, double v)
{
	jw_opt(w, key, opt_known(v));
}

/* The same, keyed by a name from the input. */
static void jw_opt_untrusted(struct jw *w, const char *key, struct optval v)
{
	if (!v.known || !isfinite(v.v))
		jw_untrusted_item(w, key, "null", 4);
	else
		jw_finite(w, key, v.v, 1);
}

static void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	char buf[U64_DIGITS];
	size_t n = u64_digits(buf, v);

	jw_item(w, key, strlen(key), buf + sizeof(buf) - n, n, 0);
}

/* Small non-negative integers where a negative value means unknown
 * (IRQ, NUMA node). */
static void jw_int_or_null(struct jw *w, const char *key, long v)
{
	if (v < 0)
		jw_item(w, key, strlen(key), "null", 4, 0);
	else
		jw_u64(w, key, (uint64_t)v);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_item(w, key, strlen(key), v ? "true" : "false", v ? 4 : 5, 0);
}

static void json_verdict(struct jw *w, const struct diagnosis *d)
{
	const struct verdict *v = &d->verdict;
	char none[64];

	jw_open(w, "verdict", "{");
	jw_str(w, "stage", stage_name(v->stage));
	jw_opt(w, "lost_pps", v->lost_pps);
	if (!v->summary && v->stage == STAGE_NONE) {
		/* The same words as the text report's verdict line. */
		snprintf(none, sizeof(none), "no packet loss seen in %.1f s",
			 d->interval_s);
		jw_str(w, "summary", none);
	} else {
		jw_str(w, "summary", v->summary);
	}
	jw_open(w, "hints", "[");
	for (size_t i = 0; i < v->nhints; i++)
		jw_str(w, NULL, v->hints[i]);
	jw_close(w, "]");
	jw_close(w, "}");
}

/* counters holds every counter behind the stage (those feeding in_pps
 * too); loss_counters names the ones counted in lost_pps. */
/* One drop reason's row; stage-level lists leave the stage out. */
static void json_reason(struct jw *w, const struct reason_row *r,
			bool with_stage)
{
	char buf[16];

	jw_open(w, NULL, "{");
	jw_str(w, "reason", r->reason);
	if (with_stage)
		jw_str(w, "stage", r->stage);
	jw_str(w, "family", snapshot_family_name(r->family));
	jw_str(w, "protocol", drop_reason_protocol(r->protocol, buf, sizeof(buf)));
	jw_int_or_null(w, "port", r->port);
	jw_num(w, "packets_ps", r->pps);
	jw_close(w, "}");
}

/* The reasons of one stage beside its counters: null without reasons. */
static void json_stage_reasons(struct jw *w, const struct diagnosis *d,
			       int id)
{
	if (!d->have_reasons) {
		jw_str(w, "reasons", NULL);
		return;
	}
	jw_open(w, "reasons", "[");
	for (size_t i = 0; i < d->nreasons; i++)
		if (strcmp(d->reasons[i].stage, stage_name(id)) == 0)
			json_reason(w, &d->reasons[i], false);
	jw_close(w, "]");
}

/* The ip stage's remainder_reasons: the reasons no Ip counter names,
 * summed over ports; null without reasons. */
static void json_ip_rest_reasons(struct jw *w, const struct diagnosis *d)
{
	if (!d->have_reasons) {
		jw_str(w, "remainder_reasons", NULL);
		return;
	}
	jw_open(w, "remainder_reasons", "[");
	for (size_t i = 0; i < d->nip_rest_reasons; i++) {
		jw_open(w, NULL, "{");
		jw_str(w, "reason", d->ip_rest_reasons[i].reason);
		jw_opt(w, "packets_ps", opt_known(d->ip_rest_reasons[i].pps));
		jw_close(w, "}");
	}
	jw_close(w, "]");
}

/* Every reason, "other" ones included: null when there are none. */
static void json_drop_reasons(struct jw *w, const struct diagnosis *d)
{
	if (!d->have_reasons) {
		jw_str(w, "drop_reasons", NULL);
		return;
	}
	jw_open(w, "drop_reasons", "[");
	for (size_t i = 0; i < d->nreasons; i++)
		json_reason(w, &d->reasons[i], true);
	jw_close(w, "]");
}

/* NOT_SPECIFIED drops by kernel function, the busiest first (at most
 * REASON_FUNCS_MAX): null without reasons. */
static void json_reason_functions(struct jw *w, const struct diagnosis *d)
{
	if (!d->have_reasons) {
		jw_str(w, "drop_reason_functions", NULL);
		return;
	}
	jw_open(w, "drop_reason_functions", "[");
	for (size_t i = 0; i < d->nreason_funcs; i++) {
		jw_open(w, NULL, "{");
		jw_str(w, "function", d->reason_funcs[i].reason);
		jw_opt(w, "packets_ps", opt_known(d->reason_funcs[i].pps));
		jw_close(w, "}");
	}
	jw_close(w, "]");
}

static void json_stage(struct jw *w, const struct diagnosis *d, int id,
		       const struct stage *st)
{
	jw_open(w, NULL, "{");
	jw_str(w, "stage", stage_name(id));
	jw_opt(w, "in_pps", st->in_pps);
	jw_opt(w, "lost_pps", st->lost_pps);
	jw_opt(w, "lost", st->lost);
	jw_open(w, "counters", "{");
	for (int i = 0; i < st->ncounters; i++) {
		const struct stage_counter *c = &st->counters[i];

		jw_opt_untrusted(w, c->name ? c->name : "?",
				 (struct optval){ c->per_s, c->known });
	}
	jw_close(w, "}");
	jw_open(w, "loss_counters", "[");
	for (int i = 0; i < st->ncounters; i++)
		if (st->counters[i].is_loss)
			jw_str(w, NULL, st->counters[i].name ?
						st->counters[i].name : "?");
	jw_close(w, "]");
	json_stage_reasons(w, d, id);
	if (id == STAGE_IP)
		json_ip_rest_reasons(w, d);
	jw_close(w, "}");
}

/* true (LINK_UP), false (LINK_DOWN) or null (unknown). */
static void jw_link(struct jw *w, const char *key, enum link_state v)
{
	const char *s = v == LINK_UP ? "true" : v == LINK_DOWN ? "false"
							       : "null";

	jw_item(w, key, strlen(key), s, strlen(s), 0);
}

static void json_device(struct jw *w, const struct device_row *dev)
{
	jw_open(w, NULL, "{");
	jw_str(w, "name", dev->name);
	jw_str(w, "driver", dev->driver[0] ? dev->driver : NULL);
	jw_opt(w, "rx_pps", dev->rx_pps);
	jw_opt(w, "nic_lost_pps", dev->nic_lost_pps);
	jw_str(w, "nic_loss_source", dev->nic_loss_source);
	jw_str(w, "stats_source", dev->stats_source);
	jw_str(w, "operstate", dev->operstate[0] ? dev->operstate : NULL);
	jw_link(w, "carrier", dev->carrier);
	jw_link(w, "admin_up", dev->admin);
	jw_link(w, "link_up", dev->link);
	jw_int_or_null(w, "ring_rx", dev->ring_rx);
	jw_int_or_null(w, "ring_rx_max", dev->ring_rx_max);
	jw_int_or_null(w, "nrxq", dev->nrxq > 0 ? dev->nrxq : -1);
	jw_int_or_null(w, "numa_node", dev->numa_node);
	/* Driver counters the classifier does not know: never dropped. */
	jw_open(w, "other", "{");
	for (size_t i = 0; i < dev->nother; i++)
		jw_opt_untrusted(w, dev->other_names[i] ?
					    dev->other_names[i] : "?",
				 dev->other_ps[i]);
	jw_close(w, "}");
	jw_close(w, "}");
}

static void json_queue(struct jw *w, const struct queue_row *q)
{
	jw_open(w, NULL, "{");
	jw_str(w, "dev", q->dev);
	jw_int_or_null(w, "queue", q->queue);
	jw_opt(w, "rx_pps", q->rx_pps);
	jw_opt(w, "drops_pps", q->drops_pps);
	jw_opt(w, "share", q->share);
	jw_int_or_null(w, "irq", q->irq);
	jw_str(w, "cpus", q->cpus[0] ? q->cpus : NULL);
	jw_bool(w, "idle", q->idle);
	jw_str(w, "source", q->source);
	jw_str(w, "drops_source", q->drops_source);
	jw_int_or_null(w, "napi", q->napi_id);
	jw_int_or_null(w, "napi_pid", q->napi_pid);
	jw_str(w, "irq_source", q->irq_source);
	jw_close(w, "}");
}

static void json_cpu(struct jw *w, const struct cpu_row *c)
{
	jw_open(w, NULL, "{");
	jw_int_or_null(w, "cpu", c->cpu);
	jw_opt(w, "softirq_pct", c->softirq_pct);
	jw_opt(w, "net_rx_ps", c->net_rx_ps);
	jw_opt(w, "processed_ps", c->processed_ps);
	jw_opt(w, "dropped_ps", c->dropped_ps);
	jw_opt(w, "squeeze_ps", c->squeeze_ps);
	jw_opt(w, "flow_limit_ps", c->flow_limit_ps);
	jw_int_or_null(w, "numa_node", c->numa_node);
	jw_bool(w, "serves_rx_irq", c->serves_rx_irq);
	jw_bool(w, "idle", c->idle);
	jw_close(w, "}");
}

static void json_socket(struct jw *w, const struct socket_row *s)
{
	jw_open(w, NULL, "{");
	jw_str(w, "family", snapshot_family_name(s->family));
	jw_str(w, "local", s->local);
	jw_u64(w, "lport", s->lport);
	jw_str(w, "remote", s->remote);
	jw_u64(w, "rport", s->rport);
	jw_u64(w, "inode", s->inode);
	jw_u64(w, "uid", s->uid);
	jw_u64(w, "rx_queue", s->rx_queue);
	jw_opt(w, "drops_ps", s->drops_ps);
	jw_opt(w, "drops", s->drops);
	/* SOCKET_RCVBUFF on its port; null without drop reasons. */
	jw_opt(w, "rcvbuff_reason_ps", s->rcvbuff_reason_ps);
	jw_bool(w, "idle", s->idle);
	/* sock_diag only; null from /proc/net/udp. */
	if (s->have_rcvbuf)
		jw_u64(w, "rcvbuf", s->rcvbuf);
	else
		jw_str(w, "rcvbuf", NULL);
	jw_opt(w, "fill", s->fill);
	jw_int_or_null(w, "pid", s->pid > 0 ? s->pid : -1);
	jw_str(w, "comm", s->comm[0] ? s->comm : NULL);
	jw_int_or_null(w, "group", s->in_group ? (long)s->group : -1);
	jw_opt(w, "drops_share", s->drops_share);
	jw_close(w, "}");
}

/* The kernel counts no packets per socket: packets_ps is always null,
 * said explicitly rather than left out. */
static void json_group(struct jw *w, const struct socket_group *g)
{
	jw_open(w, NULL, "{");
	jw_str(w, "family", snapshot_family_name(g->family));
	jw_str(w, "local", g->local);
	jw_u64(w, "lport", g->lport);
	jw_u64(w, "members", g->nmembers);
	jw_opt(w, "drops", g->drops);
	jw_opt(w, "drops_ps", g->drops_ps);
	jw_u64(w, "rx_queue", g->rx_queue);
	jw_str(w, "packets_ps", NULL);
	jw_close(w, "}");
}

static void json_receiver_thread(struct jw *w, const struct receiver_row *r)
{
	jw_open(w, NULL, "{");
	jw_int_or_null(w, "thread", r->thread);
	jw_opt(w, "pps", r->pps);
	jw_opt(w, "bytes_ps", r->bytes_ps);
	jw_opt(w, "avg_batch", r->avg_batch);
	jw_opt(w, "full_pct", r->full_pct);
	jw_int_or_null(w, "cpu", r->cpu);
	jw_int_or_null(w, "node", r->node);
	jw_bool(w, "idle", r->idle);
	jw_close(w, "}");
}

/* null when the built-in receiver did not run in both snapshots. */
static void json_receiver(struct jw *w, const struct receiver_diag *r)
{
	if (!r->present) {
		jw_str(w, "receiver", NULL);
		return;
	}
	jw_open(w, "receiver", "{");
	jw_str(w, "addr", r->addr);
	jw_int_or_null(w, "batch", r->batch);
	jw_int_or_null(w, "reuseport", r->reuseport);
	jw_int_or_null(w, "rcvbuf", (long)r->rcvbuf);
	jw_int_or_null(w, "busy_poll", r->busy_poll);
	jw_opt(w, "pps", r->pps);
	jw_open(w, "threads", "[");
	for (size_t i = 0; i < r->nthreads; i++)
		json_receiver_thread(w, &r->threads[i]);
	jw_close(w, "]");
	jw_close(w, "}");
}

static void json_header(struct jw *w, const struct diagnosis *d,
			const struct report_options *o)
{
	jw_num(w, "interval_s", d->interval_s);
	if (d->realtime > 0)
		jw_num(w, "time", d->realtime);
	else
		jw_str(w, "time", NULL);
	jw_str(w, "source", o->source);
	jw_str(w, "netns", d->netns[0] ? d->netns : NULL);
	json_verdict(w, d);
	jw_open(w, "stages", "[");
	for (int i = 0; i < STAGE_N; i++)
		json_stage(w, d, i, &d->stages[i]);
	jw_close(w, "]");
	jw_opt(w, "unaccounted_pps", d->unaccounted_pps);
	jw_opt(w, "total_lost_pps", d->total_lost_pps);
}

static void json_rows(struct jw *w, const struct diagnosis *d)
{
	jw_open(w, "devices", "[");
	for (size_t i = 0; i < d->ndevs; i++)
		json_device(w, &d->devs[i]);
	jw_close(w, "]");
	jw_open(w, "queues", "[");
	for (size_t i = 0; i < d->nqueues; i++)
		json_queue(w, &d->queues[i]);
	jw_close(w, "]");
	jw_open(w, "cpus", "[");
	for (size_t i = 0; i < d->ncpus; i++)
		json_cpu(w, &d->cpus[i]);
	jw_close(w, "]");
	jw_str(w, "socket_source", d->socket_source);
	jw_open(w, "sockets", "[");
	for (size_t i = 0; i < d->nsocks; i++)
		json_socket(w, &d->socks[i]);
	jw_close(w, "]");
	jw_open(w, "socket_groups", "[");
	for (size_t i = 0; i < d->ngroups; i++)
		json_group(w, &d->groups[i]);
	jw_close(w, "]");
	json_receiver(w, &d->receiver);
	json_drop_reasons(w, d);
	json_reason_functions(w, d);
}

/* What the finding is about, as fields: each key always there, null when
 * the finding does not know it. */
static void json_finding_about(struct jw *w, const struct finding_about *a)
{
	jw_str(w, "device", a->device[0] ? a->device : NULL);
	jw_int_or_null(w, "queue", a->queue);
	jw_int_or_null(w, "cpu", a->cpu);
	if (a->inode)
		jw_u64(w, "inode", a->inode);
	else
		jw_str(w, "inode", NULL);
	jw_str(w, "local", a->local[0] ? a->local : NULL);
	jw_int_or_null(w, "port", a->port);
	jw_opt(w, "rate", a->rate);
	jw_str(w, "setting", a->setting);
	jw_opt(w, "current", a->current);
	jw_opt(w, "suggested", a->suggested);
}

static void json_findings_notes(struct jw *w, const struct diagnosis *d)
{
	jw_open(w, "findings", "[");
	for (size_t i = 0; i < d->nfindings; i++) {
		jw_open(w, NULL, "{");
		jw_str(w, "id", d->findings[i].id);
		jw_str(w, "detail", d->findings[i].detail);
		json_finding_about(w, &d->findings[i].about);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_open(w, "notes", "[");
	for (size_t i = 0; i < d->nnotes; i++)
		jw_str(w, NULL, d->notes[i]);
	jw_close(w, "]");
}

static void json_timeline_point(struct jw *w, const char *key,
				const struct timeline_point *p)
{
	jw_open(w, key, "{");
	jw_num(w, "t", p->t);
	if (p->realtime > 0)
		jw_num(w, "time", p->realtime);
	else
		jw_str(w, "time", NULL);
	jw_num(w, "interval_s", p->interval_s);
	jw_open(w, "verdict", "{");
	jw_str(w, "stage", stage_name(p->stage));
	jw_opt(w, "lost_pps", p->verdict_lost_pps);
	jw_close(w, "}");
	jw_open(w, "lost_pps_by_stage", "{");
	for (int s = 0; s < STAGE_N; s++)
		jw_opt(w, stage_name(s), p->lost_pps[s]);
	jw_close(w, "}");
	jw_opt(w, "total_lost_pps", p->total_lost_pps);
	jw_close(w, "}");
}

/* Only with a timeline (a recording of more than two snapshots): the
 * key is absent otherwise, so a two-snapshot report keeps its shape. */
static void json_timeline(struct jw *w, const struct timeline *tl)
{
	const struct timeline_point *worst = timeline_worst(tl);
	struct optval avg = timeline_average_lost_pps(tl);

	jw_open(w, "timeline", "[");
	for (size_t i = 0; i < tl->n; i++)
		json_timeline_point(w, NULL, &tl->points[i]);
	jw_close(w, "]");
	if (worst)
		json_timeline_point(w, "timeline_worst", worst);
	else
		jw_str(w, "timeline_worst", NULL);
	jw_opt(w, "timeline_average_lost_pps", avg);
	jw_u64(w, "timeline_skipped", tl->skipped);
}

void report_json(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out)
{
	struct jw w = {
		.out = out,
		.pretty = !o->one_line,
	};

	jw_set_state(&w, 0, 0);

	jw_open(&w, NULL, "{");
	json_header(&w, d, o);
	if (o->timeline)
		json_timeline(&w, o->timeline);
	json_rows(&w, d);
	json_findings_notes(&w, d);
	jw_close(&w, "}");
	sb_putc(out, '\n');
}
