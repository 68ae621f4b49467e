/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The verdict: the stage losing the most packets per second, a one-line
 * summary and the concrete knobs (with their current values when the
 * snapshot has them). */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag_internal.h"
#include "util.h"

static void add_hint(struct verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_hint(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	v->hints = xrealloc(v->hints, (v->nhints + 1) * sizeof(*v->hints));
	va_start(ap, fmt);
	v->hints[v->nhints++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* "now 212992" or "current value unknown", for a sysctl in a hint. */
static const char *sysctl_now(const struct snapshot *s, enum sysctl_id id,
			      char *buf, size_t size)
{
	if (!s->sysctl_have[id])
		return "current value unknown";
	snprintf(buf, size, "now %" PRIu64, s->sysctl[id]);
	return buf;
}

/* A value to suggest: twice the current one, at least floor. */
static uint64_t suggest(const struct snapshot *s, enum sysctl_id id,
			uint64_t floor)
{
	if (s->sysctl_have[id] && s->sysctl[id] * 2 > floor)
		return s->sysctl[id] * 2;
	return floor;
}

/* Sum of a stage's known loss counters whose name contains part. */
static double loss_named(const struct stage *st, const char *part)
{
	double sum = 0;

	for (int i = 0; i < st->ncounters; i++)
		if (st->counters[i].is_loss && st->counters[i].known &&
		    strstr(st->counters[i].name, part))
			sum += st->counters[i].per_s;
	return sum;
}

/* The loss counter of a stage that moved the most. */
static const char *largest_loss(const struct stage *st)
{
	const struct stage_counter *best = NULL;

	for (int i = 0; i < st->ncounters; i++) {
		const struct stage_counter *c = &st->counters[i];

		if (c->is_loss && c->known && (!best || c->delta > best->delta))
			best = c;
	}
	return best ? best->name : "?";
}

static void nic_device_hints(const struct device *c, struct verdict *v)
{
	const char *kind = c->channels_combined > 0 ? "combined" : "rx";
	int now = c->channels_combined > 0 ? c->channels_combined
					   : c->channels_rx;
	int max = c->channels_combined > 0 ? c->channels_max_combined
					   : c->channels_max_rx;

	if (c->ring_rx > 0 && c->ring_rx_max > c->ring_rx)
		add_hint(v, "%s: grow the RX ring: ethtool -G %s rx %d (now "
			 "%d)", c->name, c->name, c->ring_rx_max, c->ring_rx);
	else if (c->ring_rx > 0 && c->ring_rx_max == c->ring_rx)
		add_hint(v, "%s: the RX ring is at its maximum (%d)", c->name,
			 c->ring_rx);
	else
		add_hint(v, "%s: grow the RX ring: ethtool -G %s rx N (ethtool "
			 "-g %s shows the maximum; the current size is not in "
			 "the snapshot)", c->name, c->name, c->name);
	if (now > 0 && max > 0)
		add_hint(v, "%s: use more RX queues: ethtool -L %s %s N "
			 "(now %d, max %d)", c->name, c->name, kind, now, max);
	else
		add_hint(v, "%s: use more RX queues: ethtool -L %s combined "
			 "N (current channel count unknown)", c->name,
			 c->name);
}

static void nic_summary_and_hints(const struct diag_ctx *x,
				  struct diagnosis *d, struct strbuf *sb)
{
	const struct device_row *worst = NULL;

	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *r = &d->devs[i];

		if (r->nic_lost_pps.known && r->nic_lost_pps.v > 0) {
			if (!worst || r->nic_lost_pps.v > worst->nic_lost_pps.v)
				worst = r;
			nic_device_hints(snapshot_find_device(x->cur, r->name),
					 &d->verdict);
		}
	}
	sb_puts(sb, "dropped by the NIC or its driver before the kernel "
		    "saw them");
	if (worst)
		sb_printf(sb, " (%s: %s)", worst->name,
			  worst->nic_loss_source);
	add_hint(&d->verdict, "spread the load over the RX queues: see "
		 "rss-imbalance, ethtool -X / -N rx-flow-hash");
}

static void softirq_summary_and_hints(const struct diag_ctx *x,
				      struct diagnosis *d, struct strbuf *sb)
{
	const struct stage *st = &d->stages[STAGE_SOFTIRQ];
	const struct snapshot *s = x->cur;
	char b1[40], b2[40];

	if (loss_named(st, "flow_limit") > loss_named(st, "dropped"))
		sb_puts(sb, "dropped by the per-CPU flow limit "
			    "(softnet flow_limit_count)");
	else
		sb_puts(sb, "dropped because per-CPU backlog queues are "
			    "full (softnet dropped)");
	add_hint(&d->verdict, "sysctl -w net.core.netdev_max_backlog=%" PRIu64
		 " (%s)", suggest(s, SYSCTL_NETDEV_MAX_BACKLOG, 2000),
		 sysctl_now(s, SYSCTL_NETDEV_MAX_BACKLOG, b1, sizeof(b1)));
	add_hint(&d->verdict, "spread RX processing over more CPUs: IRQ "
		 "affinity (/proc/irq/N/smp_affinity_list) or RPS "
		 "(/sys/class/net/DEV/queues/rx-N/rps_cpus)");
	add_hint(&d->verdict, "sysctl -w net.core.netdev_budget=%" PRIu64
		 " (%s), net.core.netdev_budget_usecs (%s)",
		 suggest(s, SYSCTL_NETDEV_BUDGET, 600),
		 sysctl_now(s, SYSCTL_NETDEV_BUDGET, b1, sizeof(b1)),
		 sysctl_now(s, SYSCTL_NETDEV_BUDGET_USECS, b2, sizeof(b2)));
}

static void ip_summary_and_hints(struct diagnosis *d, struct strbuf *sb)
{
	const struct stage *st = &d->stages[STAGE_IP];
	struct verdict *v = &d->verdict;

	sb_printf(sb, "discarded by the IP layer (mostly %s)",
		  largest_loss(st));
	if (loss_named(st, "InAddrErrors") > 0)
		add_hint(v, "InAddrErrors: packets for an address that is "
			 "not on this host (check the sender's destination)");
	if (loss_named(st, "InDiscards") > 0)
		add_hint(v, "InDiscards: check firewall rules (nft list "
			 "ruleset) and memory pressure");
	if (loss_named(st, "InHdrErrors") > 0 ||
	    loss_named(st, "InTruncatedPkts") > 0)
		add_hint(v, "InHdrErrors/InTruncatedPkts: malformed packets "
			 "or TTL exceeded; check the sender and the path");
	if (loss_named(st, "InNoRoutes") > 0)
		add_hint(v, "InNoRoutes: no route for the destination "
			 "(ip route, ip -6 route)");
	if (loss_named(st, "IPReversePathFilter") > 0)
		add_hint(v, "IPReversePathFilter: the route back to the "
			 "sender leaves by another interface; see finding "
			 "rp-filter for loose mode (rp_filter=2)");
	if (loss_named(st, "ReasmFails") > 0)
		add_hint(v, "ReasmFails: fragments that could not be "
			 "reassembled; see finding reassembly-fail "
			 "(ipfrag_high_thresh, ipfrag_time, path MTU)");
	if (loss_named(st, IP_REMAINDER) > 0)
		add_hint(v, "%s: packets entered IP and were neither "
			 "delivered, forwarded nor counted lost: look for a "
			 "firewall rule whose counter grows (nft list "
			 "ruleset; iptables -L -v -n, and -t raw), conntrack "
			 "(conntrack -S), or martian sources "
			 "(net.ipv4.conf.all.log_martians=1)", IP_REMAINDER);
}

static void udp_summary_and_hints(struct diagnosis *d, struct strbuf *sb)
{
	const struct stage *st = &d->stages[STAGE_UDP];
	double noports = loss_named(st, "NoPorts");
	double errors = loss_named(st, "InErrors-RcvbufErrors");

	if (noports >= errors)
		sb_puts(sb, "dropped because no socket listens on the "
			    "destination port (NoPorts)");
	else
		sb_puts(sb, "dropped with checksum, memory or other errors "
			    "(InErrors without RcvbufErrors)");
	if (noports > 0)
		add_hint(&d->verdict, "no socket listens on the destination "
			 "UDP port(s) (NoPorts): start the receiver or fix "
			 "the destination port");
	if (errors > 0)
		add_hint(&d->verdict, "InCsumErrors point at corrupted frames "
			 "or checksum offload (ethtool -k DEV), MemErrors at "
			 "net.ipv4.udp_mem pressure");
}

/* Losing at least half as many datagrams as are read (a third of what
 * arrives) over a whole interval is a reader too slow, not a burst: no
 * buffer absorbs that. */
#define OVERLOAD_LOST_PER_READ 0.5
#define SOFTIRQ_BUSY_PCT 50.0

/* The dropping sockets by what sets their buffer: net.core.rmem_default
 * (SO_RCVBUF not set), the application's SO_RCVBUF, or the ceiling
 * 2 x net.core.rmem_max. sock_diag's rcvbuf tells them apart. */
struct rcvbuf_cases {
	size_t dropping, unknown, at_default, set, at_cap;
	const struct socket_row *set_ex, *cap_ex;   /* most drops */
};

static void rcvbuf_case_add(const struct snapshot *s,
			    const struct socket_row *r, struct rcvbuf_cases *k)
{
	bool have_max = s->sysctl_have[SYSCTL_RMEM_MAX];
	bool have_def = s->sysctl_have[SYSCTL_RMEM_DEFAULT];

	k->dropping++;
	if (!r->have_rcvbuf || (!have_max && !have_def)) {
		k->unknown++;
	} else if (have_max && r->rcvbuf >= 2 * s->sysctl[SYSCTL_RMEM_MAX]) {
		k->at_cap++;
		if (!k->cap_ex || r->drops.v > k->cap_ex->drops.v)
			k->cap_ex = r;
	} else if (!have_def) {
		k->unknown++;
	} else if (r->rcvbuf == s->sysctl[SYSCTL_RMEM_DEFAULT]) {
		k->at_default++;
	} else {
		k->set++;
		if (!k->set_ex || r->drops.v > k->set_ex->drops.v)
			k->set_ex = r;
	}
}

static void rcvbuf_cases(const struct diagnosis *d, const struct snapshot *s,
			 struct rcvbuf_cases *k)
{
	memset(k, 0, sizeof(*k));
	for (size_t i = 0; i < d->nsocks; i++)
		if (d->socks[i].drops.known && d->socks[i].drops.v > 0)
			rcvbuf_case_add(s, &d->socks[i], k);
}

static void buffer_at_cap_hint(const struct snapshot *s, struct verdict *v,
			       const struct rcvbuf_cases *k)
{
	struct strbuf ep;
	char b[40];

	sb_init(&ep);
	diag_endpoint_put(&ep, k->cap_ex);
	add_hint(v, "sysctl -w net.core.rmem_max=%" PRIu64 " (%s): %s has "
		 "%" PRIu64 " B, at the ceiling 2 x net.core.rmem_max that "
		 "SO_RCVBUF cannot pass%s",
		 suggest(s, SYSCTL_RMEM_MAX, 26214400),
		 sysctl_now(s, SYSCTL_RMEM_MAX, b, sizeof(b)), ep.s,
		 k->cap_ex->rcvbuf,
		 k->at_cap > 1 ? " (and other dropping sockets)" : "");
	sb_free(&ep);
}

static void buffer_set_hint(const struct snapshot *s, struct verdict *v,
			    const struct rcvbuf_cases *k)
{
	struct strbuf ep;

	sb_init(&ep);
	diag_endpoint_put(&ep, k->set_ex);
	diag_owner_put(&ep, k->set_ex);
	add_hint(v, "%zu dropping socket%s set SO_RCVBUF %s (%s: %" PRIu64
		 " B): raise it in the application, up to 2 x "
		 "net.core.rmem_max = %" PRIu64 " B",
		 k->set, k->set > 1 ? "s" : "",
		 k->set > 1 ? "themselves" : "itself", ep.s, k->set_ex->rcvbuf,
		 2 * s->sysctl[SYSCTL_RMEM_MAX]);
	sb_free(&ep);
}

static void buffer_default_hint(const struct snapshot *s, struct verdict *v,
				const struct rcvbuf_cases *k)
{
	char b[40];

	add_hint(v, "%zu dropping socket%s did not set SO_RCVBUF and got "
		 "net.core.rmem_default (%s): set SO_RCVBUF in the "
		 "application, or sysctl -w net.core.rmem_default=%" PRIu64,
		 k->at_default, k->at_default > 1 ? "s" : "",
		 sysctl_now(s, SYSCTL_RMEM_DEFAULT, b, sizeof(b)),
		 suggest(s, SYSCTL_RMEM_DEFAULT, 4194304));
}

/* Without sock_diag's rcvbuf the case cannot be told: both knobs, each
 * with the condition under which it is the one. */
static void buffer_unknown_hints(const struct snapshot *s, struct verdict *v)
{
	char b1[40], b2[40];

	add_hint(v, "raise the socket receive buffer: setsockopt(SO_RCVBUF) "
		 "in the application; a buffer already at 2 x "
		 "net.core.rmem_max also needs: sysctl -w net.core.rmem_max=%" PRIu64
		 " (%s)", suggest(s, SYSCTL_RMEM_MAX, 26214400),
		 sysctl_now(s, SYSCTL_RMEM_MAX, b1, sizeof(b1)));
	add_hint(v, "sockets that do not set SO_RCVBUF get "
		 "net.core.rmem_default (%s)",
		 sysctl_now(s, SYSCTL_RMEM_DEFAULT, b2, sizeof(b2)));
}

/* Bursts: a bigger buffer, for each kind of dropping socket. */
static void buffer_hints(const struct diag_ctx *x, struct diagnosis *d)
{
	struct rcvbuf_cases k;

	rcvbuf_cases(d, x->cur, &k);
	if (k.at_cap)
		buffer_at_cap_hint(x->cur, &d->verdict, &k);
	if (k.set)
		buffer_set_hint(x->cur, &d->verdict, &k);
	if (k.at_default)
		buffer_default_hint(x->cur, &d->verdict, &k);
	if (k.unknown || !k.dropping)
		buffer_unknown_hints(x->cur, &d->verdict);
}

/* Reader threads: droptop's own receiver's, else the largest dropping
 * SO_REUSEPORT group (a socket per thread); 0 unknown. */
static size_t reader_threads(const struct diagnosis *d)
{
	size_t n = 0;

	if (d->receiver.present)
		return d->receiver.nthreads;
	for (size_t i = 0; i < d->ngroups; i++)
		if (d->groups[i].drops_ps.known && d->groups[i].drops_ps.v > 0 &&
		    d->groups[i].nmembers > n)
			n = d->groups[i].nmembers;
	return n;
}

/* CPUs not taken by softirq work, where readers can run. */
static size_t free_cpus(const struct diagnosis *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->ncpus; i++)
		n += !(d->cpus[i].softirq_pct.known &&
		       d->cpus[i].softirq_pct.v >= SOFTIRQ_BUSY_PCT);
	return n;
}

/* Whether the reader threads already have every free CPU. */
static bool readers_crowded(const struct diagnosis *d)
{
	size_t threads = reader_threads(d);

	return threads > 0 && d->ncpus > 0 && threads >= free_cpus(d);
}

/* A steady overload: the readers, not the buffer. More threads only help
 * while there are CPUs for them. */
static void overload_hint(const struct diagnosis *d, struct verdict *v)
{
	size_t threads = reader_threads(d), cpus = free_cpus(d);

	if (readers_crowded(d))
		add_hint(v, "%zu reader threads already outnumber the %zu "
			 "CPU%s free of softirq work (of %zu): more threads "
			 "will not help; make each read cheaper (recvmmsg() "
			 "batches, less work per datagram), or give the "
			 "readers more CPUs", threads, cpus,
			 cpus == 1 ? "" : "s", d->ncpus);
	else
		add_hint(v, "read faster: more reader threads on SO_REUSEPORT "
			 "sockets, recvmmsg() batches, readers pinned to CPUs "
			 "that do not serve RX interrupts; a bigger buffer "
			 "only delays the drops");
}

static void receiver_hint(struct diagnosis *d, bool overload)
{
	const struct receiver_diag *r = &d->receiver;
	struct strbuf now;

	if (!r->present)
		return;
	sb_init(&now);
	if (r->rcvbuf >= 0)
		sb_printf(&now, "now %" PRId64, r->rcvbuf);
	else
		sb_puts(&now, "current value unknown");
	if (overload && readers_crowded(d))
		add_hint(&d->verdict, "droptop's receiver: --threads N (now "
			 "%zu, no more than the %zu free CPU%s), --batch N, "
			 "--cpus LIST; --rcvbuf BYTES (%s) only absorbs bursts",
			 r->nthreads, free_cpus(d), free_cpus(d) == 1 ? "" : "s",
			 now.s);
	else if (overload)
		add_hint(&d->verdict, "droptop's receiver: --threads N (now "
			 "%zu), --batch N, --cpus LIST; --rcvbuf BYTES (%s) "
			 "only absorbs bursts", r->nthreads, now.s);
	else
		add_hint(&d->verdict, "droptop's receiver: --rcvbuf BYTES "
			 "(%s), --threads N (now %zu)", now.s, r->nthreads);
	sb_free(&now);
}

static void socket_summary_and_hints(const struct diag_ctx *x,
				     struct diagnosis *d, struct strbuf *sb)
{
	struct optval arrive = d->stages[STAGE_SOCKET].in_pps;
	struct optval read = d->stages[STAGE_APP].in_pps;
	struct optval lost = d->stages[STAGE_SOCKET].lost_pps;
	bool rates = arrive.known && read.known && lost.known;
	bool overload = rates && lost.v >= OVERLOAD_LOST_PER_READ * read.v;

	sb_puts(sb, "dropped because receive buffers are full "
		    "(RcvbufErrors)");
	if (rates)
		add_hint(&d->verdict, "%.0f datagrams/s arrive, %.0f/s are "
			 "read: %s; rcvbuf-overflow names the sockets that "
			 "drop", arrive.v, read.v, overload ?
			 "the reader is too slow (steady overload)" :
			 "the readers keep up on average, bursts overflow "
			 "the buffer");
	if (overload)
		overload_hint(d, &d->verdict);
	else
		buffer_hints(x, d);
	receiver_hint(d, overload);
	if (!rates)
		add_hint(&d->verdict, "see rcvbuf-overflow for the sockets "
			 "that drop");
}

/* "none" also says which stages could not be read, so that silence is
 * never mistaken for health. */
static void none_summary(const struct diagnosis *d, struct strbuf *sb)
{
	bool first = true;

	if (!d->total_lost_pps.known) {
		sb_puts(sb, "no loss counter could be read");
		return;
	}
	sb_printf(sb, "no packet loss counted over %.1f s",
		  d->interval_s);
	for (int i = 0; i < STAGE_N; i++) {
		if (d->stages[i].lost_pps.known)
			continue;
		sb_printf(sb, "%s%s", first ? " (unknown: " : ", ",
			  stage_name(i));
		first = false;
	}
	if (!first)
		sb_putc(sb, ')');
}

/* Nothing lost, but a watched link down receives nothing either: said in
 * the verdict itself, with the fix. */
static void links_down(struct diagnosis *d, struct strbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *r = &d->devs[i];
		struct strbuf fix;

		if (r->link != LINK_DOWN || r->link_unused)
			continue;
		sb_printf(sb, "%s%s", n++ ? ", " : "; but link down: ",
			  r->name);
		sb_init(&fix);
		diag_link_fix_put(&fix, r);
		add_hint(&d->verdict, "%s is down (see link-down): %s",
			 r->name, fix.s);
		sb_free(&fix);
	}
}

static int worst_stage(const struct diagnosis *d)
{
	int best = STAGE_NONE;
	double most = 0;

	for (int i = 0; i < STAGE_N; i++) {
		struct optval l = d->stages[i].lost_pps;

		if (l.known && l.v > most) {
			best = i;
			most = l.v;
		}
	}
	return best;
}

void diag_verdict(const struct diag_ctx *x, struct diagnosis *d)
{
	struct verdict *v = &d->verdict;
	struct strbuf sb;

	sb_init(&sb);
	v->stage = worst_stage(d);
	if (v->stage == STAGE_NONE) {
		v->lost_pps = d->total_lost_pps;
		none_summary(d, &sb);
		links_down(d, &sb);
		v->summary = sb_steal(&sb);
		return;
	}
	/* The renderers print the stage and the rate; the summary says why. */
	v->lost_pps = d->stages[v->stage].lost_pps;
	switch (v->stage) {
	case STAGE_NIC:
		nic_summary_and_hints(x, d, &sb);
		break;
	case STAGE_SOFTIRQ:
		softirq_summary_and_hints(x, d, &sb);
		break;
	case STAGE_IP:
		ip_summary_and_hints(d, &sb);
		break;
	case STAGE_NETFILTER:
		diag_nf_verdict(x, d, &sb);
		break;
	case STAGE_UDP:
		udp_summary_and_hints(d, &sb);
		break;
	case STAGE_SOCKET:
		socket_summary_and_hints(x, d, &sb);
		break;
	default:
		sb_puts(&sb, "lost");
		break;
	}
	v->summary = sb_steal(&sb);
}
