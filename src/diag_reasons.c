/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The drop reasons over the interval: each key's delta, summed over
 * devices, placed at its stage by drop_reason_stage() (dropreason.c).
 * Reasons explain a stage's loss; they never add to the waterfall, which
 * counters alone make. A count that went backwards (droptop restarted
 * between the snapshots of a recording) gives no row and one note. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "diag_internal.h"
#include "dropreason.h"
#include "util.h"

static void reasons_note(struct diagnosis *d, const char *text)
{
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(*d->notes));
	d->notes[d->nnotes++] = xstrdup(text);
}

/* Same reason, family, protocol and port: one row (devices summed). */
static bool same_row(const struct reason_row *r,
		     const struct drop_reason_count *c)
{
	return strcmp(r->reason, c->reason) == 0 && r->family == c->family &&
	       r->protocol == c->protocol && r->port == c->port;
}

static bool same_key(const struct drop_reason_count *a,
		     const struct drop_reason_count *b)
{
	return strcmp(a->reason, b->reason) == 0 && a->family == b->family &&
	       a->protocol == b->protocol && a->port == b->port &&
	       strcmp(a->dev, b->dev) == 0;
}

/* The key's count in prev: 0 when absent (the map only adds keys). */
static uint64_t prev_count(const struct snapshot *prev,
			   const struct drop_reason_count *c)
{
	for (size_t i = 0; i < prev->nreasons; i++)
		if (same_key(&prev->reasons[i], c))
			return prev->reasons[i].count;
	return 0;
}

static void add_to_row(struct diagnosis *d, const struct drop_reason_count *c,
		       uint64_t delta)
{
	struct reason_row *r;

	for (size_t i = 0; i < d->nreasons; i++) {
		if (same_row(&d->reasons[i], c)) {
			d->reasons[i].packets += delta;
			return;
		}
	}
	d->reasons = xrealloc(d->reasons, (d->nreasons + 1) * sizeof(*r));
	r = &d->reasons[d->nreasons++];
	memset(r, 0, sizeof(*r));
	memcpy(r->reason, c->reason, sizeof(r->reason));
	r->family = c->family;
	r->protocol = c->protocol;
	r->port = c->port;
	r->stage = drop_reason_stage(c->reason, c->protocol);
	r->packets = delta;
}

static int by_rate(const void *a, const void *b)
{
	const struct reason_row *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return strcmp(x->reason, y->reason);
}

static void overflow_note(const struct diag_ctx *x, struct diagnosis *d)
{
	char text[160];

	if (x->cur->reasons_overflow <= x->prev->reasons_overflow)
		return;
	snprintf(text, sizeof(text),
		 "drop reasons: %llu drops not itemised: the map of keys was full",
		 (unsigned long long)(x->cur->reasons_overflow -
				      x->prev->reasons_overflow));
	reasons_note(d, text);
}

/* The function's count in prev: 0 when absent. */
static uint64_t prev_func_count(const struct snapshot *prev, const char *func)
{
	for (size_t i = 0; i < prev->nreason_funcs; i++)
		if (strcmp(prev->reason_funcs[i].func, func) == 0)
			return prev->reason_funcs[i].count;
	return 0;
}

/* Keeps the REASON_FUNCS_MAX busiest (sorted), counts the rest. */
static void func_add(struct diagnosis *d, const char *func, double pps)
{
	struct reason_sum *f = d->reason_funcs;
	size_t n = d->nreason_funcs;

	if (n == REASON_FUNCS_MAX) {
		d->reason_funcs_more++;
		if (pps <= f[n - 1].pps)
			return;
		n--;
	}
	while (n > 0 && f[n - 1].pps < pps) {
		if (n < REASON_FUNCS_MAX)
			f[n] = f[n - 1];
		n--;
	}
	snprintf(f[n].reason, sizeof(f[n].reason), "%s", func);
	f[n].pps = pps;
	if (d->nreason_funcs < REASON_FUNCS_MAX)
		d->nreason_funcs++;
}

/* NOT_SPECIFIED drops by the kernel function that freed the skb. */
static void reason_funcs(const struct diag_ctx *x, struct diagnosis *d)
{
	uint64_t lost = x->cur->reason_funcs_overflow -
			x->prev->reason_funcs_overflow;
	char text[160];

	for (size_t i = 0; i < x->cur->nreason_funcs; i++) {
		const struct drop_reason_func *f = &x->cur->reason_funcs[i];
		uint64_t before = prev_func_count(x->prev, f->func);

		if (f->count > before)
			func_add(d, f->func,
				 (double)(f->count - before) / x->interval);
	}
	if (x->cur->reason_funcs_overflow <= x->prev->reason_funcs_overflow)
		return;
	snprintf(text, sizeof(text),
		 "drop reasons: %llu NOT_SPECIFIED drops not placed by function: the map of locations was full",
		 (unsigned long long)lost);
	reasons_note(d, text);
}

void diag_reasons(const struct diag_ctx *x, struct diagnosis *d)
{
	bool reset = false;

	if (!x->prev->have_drop_reasons || !x->cur->have_drop_reasons)
		return;
	d->have_reasons = true;
	for (size_t i = 0; i < x->cur->nreasons; i++) {
		const struct drop_reason_count *c = &x->cur->reasons[i];
		uint64_t before = prev_count(x->prev, c);

		if (c->count < before)
			reset = true;
		else if (c->count > before)
			add_to_row(d, c, c->count - before);
	}
	if (reset)
		reasons_note(d, "drop reasons: a count went backwards (counting restarted): those keys are left out");
	overflow_note(x, d);
	reason_funcs(x, d);
	for (size_t i = 0; i < d->nreasons; i++)
		d->reasons[i].pps = (double)d->reasons[i].packets / x->interval;
	if (d->nreasons > 1)
		qsort(d->reasons, d->nreasons, sizeof(*d->reasons), by_rate);
}

/* Reasons a port is named by: UDP (and TCP unless udp_only) rows that
 * carry a port. */
static bool row_has_port(const struct reason_row *r, const char *reason,
			 bool udp_only)
{
	return strcmp(r->reason, reason) == 0 && r->port >= 0 &&
	       (r->protocol == IPPROTO_UDP ||
		(!udp_only && r->protocol == IPPROTO_TCP));
}

size_t diag_reason_ports_put(const struct diagnosis *d, const char *reason,
			     bool udp_only, struct strbuf *sb, size_t max)
{
	size_t n = 0;

	/* Rows are sorted by rate: the busiest ports come first. */
	for (size_t i = 0; i < d->nreasons; i++) {
		const struct reason_row *r = &d->reasons[i];

		if (!row_has_port(r, reason, udp_only))
			continue;
		if (n < max)
			sb_printf(sb, "%s%s%s/%d: %.0f pkt/s", n ? ", " : "",
				  r->protocol == IPPROTO_UDP ? "udp" : "tcp",
				  r->family == AF_INET6 ? "6" : "", r->port,
				  r->pps);
		n++;
	}
	if (n > max)
		sb_printf(sb, ", +%zu more", n - max);
	return n;
}

/* A socket row and a reason row of the same port (UDP), family unknown
 * on either side matching both. */
static bool row_is_socket(const struct reason_row *r,
			  const struct socket_row *s)
{
	return r->protocol == IPPROTO_UDP && r->port == (int)s->lport &&
	       (!r->family || !s->family || r->family == s->family);
}

static void sockets_join(struct diagnosis *d)
{
	for (size_t i = 0; i < d->nsocks; i++) {
		struct socket_row *s = &d->socks[i];
		double pps = 0;

		for (size_t j = 0; j < d->nreasons; j++)
			if (strcmp(d->reasons[j].reason, "SOCKET_RCVBUFF") == 0 &&
			    row_is_socket(&d->reasons[j], s))
				pps += d->reasons[j].pps;
		s->rcvbuff_reason_ps = opt_known(pps);
	}
}

/* The packets of one reason over the interval, UDP rows only when udp. */
static uint64_t reason_packets(const struct diagnosis *d, const char *reason,
			       bool udp)
{
	uint64_t n = 0;

	for (size_t i = 0; i < d->nreasons; i++)
		if (strcmp(d->reasons[i].reason, reason) == 0 &&
		    (!udp || d->reasons[i].protocol == IPPROTO_UDP))
			n += d->reasons[i].packets;
	return n;
}

/* Reasons no Ip counter names: their drops fall into the ip remainder.
 * IP_RPFILTER only when TcpExt IPReversePathFilter, which the ip stage
 * counts, was not read. */
static bool explains_ip_rest(const struct diag_ctx *x, const char *reason)
{
	static const char *const rest[] = {
		"NETFILTER_DROP", "IP_LOCAL_SOURCE", "IP_INVALID_SOURCE",
		"XFRM_POLICY",
	};

	for (size_t i = 0; i < ARRAY_SIZE(rest); i++)
		if (strcmp(reason, rest[i]) == 0)
			return true;
	return strcmp(reason, "IP_RPFILTER") == 0 &&
	       !diag_snmp_present(x, TCPEXT_IP_RP_FILTER);
}

/* By name: the same literal may sit at two addresses (one per object). */
static double stage_counter(const struct stage *st, const char *name)
{
	for (int i = 0; i < st->ncounters; i++)
		if (st->counters[i].name && st->counters[i].known &&
		    strcmp(st->counters[i].name, name) == 0)
			return (double)st->counters[i].delta;
	return 0;
}

static void rest_add(struct diagnosis *d, const struct reason_row *r)
{
	struct reason_sum *s = d->ip_rest_reasons;
	size_t i;

	for (i = 0; i < d->nip_rest_reasons; i++)
		if (strcmp(s[i].reason, r->reason) == 0)
			break;
	if (i == d->nip_rest_reasons) {
		if (i == IP_REST_REASONS_MAX)
			return;
		memcpy(s[i].reason, r->reason, sizeof(s[i].reason));
		s[i].pps = 0;
		d->nip_rest_reasons++;
	}
	s[i].pps += r->pps;
}

static int by_sum(const void *a, const void *b)
{
	const struct reason_sum *x = a, *y = b;

	if (x->pps != y->pps)
		return x->pps < y->pps ? 1 : -1;
	return strcmp(x->reason, y->reason);
}

/* Only when the ip stage has a remainder (kept, or given to netfilter). */
static void ip_rest_reasons(const struct diag_ctx *x, struct diagnosis *d)
{
	const struct stage *ip = &d->stages[STAGE_IP];

	if (stage_counter(ip, IP_REMAINDER) + stage_counter(ip, IP_TO_NETFILTER)
	    <= 0)
		return;
	for (size_t i = 0; i < d->nreasons; i++)
		if (explains_ip_rest(x, d->reasons[i].reason))
			rest_add(d, &d->reasons[i]);
	qsort(d->ip_rest_reasons, d->nip_rest_reasons,
	      sizeof(*d->ip_rest_reasons), by_sum);
}

/* Disagreement: apart by more than a tenth of the larger and more than
 * REASONS_AGREE_SLACK packets (the counters and the map are read a few
 * microseconds apart). */
#define REASONS_AGREE_SLACK 10

static bool disagree(uint64_t a, uint64_t b)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;

	return hi - lo > REASONS_AGREE_SLACK && hi - lo > hi / 10;
}

static void agree_note(struct diagnosis *d, const char *reason, uint64_t r,
		       const char *counter, uint64_t c)
{
	char text[320];

	if (!disagree(r, c))
		return;
	snprintf(text, sizeof(text),
		 "drop reasons: %s counted %llu drops, %s %llu: they disagree "
		 "by more than 10 %%; the counter is the figure (reasons miss "
		 "drops while the map is full or before attach, and count "
		 "every path of the reason)", reason, (unsigned long long)r,
		 counter, (unsigned long long)c);
	reasons_note(d, text);
}

static bool udp_pair(const struct diag_ctx *x, enum snmp_id v4,
		     enum snmp_id v6, uint64_t *n)
{
	uint64_t a = 0, b = 0;

	if (!diag_snmp_delta(x, v4, &a))
		return false;
	if (diag_have_v6(x) && !diag_snmp_delta(x, v6, &b))
		b = 0;
	*n = a + b;
	return true;
}

static void agreement(const struct diag_ctx *x, struct diagnosis *d)
{
	const struct stage *nf = &d->stages[STAGE_NETFILTER];
	uint64_t c;

	if (udp_pair(x, UDP_NO_PORTS, UDP6_NO_PORTS, &c))
		agree_note(d, "NO_SOCKET (udp)",
			   reason_packets(d, "NO_SOCKET", true),
			   "UdpNoPorts", c);
	if (udp_pair(x, UDP_RCVBUF_ERRORS, UDP6_RCVBUF_ERRORS, &c))
		agree_note(d, "SOCKET_RCVBUFF (udp)",
			   reason_packets(d, "SOCKET_RCVBUFF", true),
			   "UdpRcvbufErrors", c);
	if (nf->lost.known)
		agree_note(d, "NETFILTER_DROP",
			   reason_packets(d, "NETFILTER_DROP", false),
			   "the netfilter stage's loss", (uint64_t)nf->lost.v);
}

void diag_reasons_join(const struct diag_ctx *x, struct diagnosis *d)
{
	if (!d->have_reasons)
		return;
	sockets_join(d);
	ip_rest_reasons(x, d);
	agreement(x, d);
}
