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
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	v->hints = xrealloc(v->hints, (v->nhints + 1) * sizeof(*v->hints));
	v->hints[v->nhints++] = sb_steal(&sb);
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

static void socket_summary_and_hints(const struct diag_ctx *x,
				     struct diagnosis *d, struct strbuf *sb)
{
	const struct snapshot *s = x->cur;
	char b1[40], b2[40];

	sb_puts(sb, "dropped because receive buffers are full "
		    "(RcvbufErrors)");
	add_hint(&d->verdict, "raise the socket receive buffer: "
		 "setsockopt(SO_RCVBUF) in the application, capped by "
		 "net.core.rmem_max: sysctl -w net.core.rmem_max=%" PRIu64
		 " (%s)", suggest(s, SYSCTL_RMEM_MAX, 26214400),
		 sysctl_now(s, SYSCTL_RMEM_MAX, b1, sizeof(b1)));
	add_hint(&d->verdict, "sockets that do not set SO_RCVBUF get "
		 "net.core.rmem_default (%s)",
		 sysctl_now(s, SYSCTL_RMEM_DEFAULT, b2, sizeof(b2)));
	add_hint(&d->verdict, "read faster: more reader threads on "
		 "SO_REUSEPORT sockets, recvmmsg() batches; see "
		 "rcvbuf-overflow for the sockets that drop");
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
