/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss waterfall: nic, softirq, ip, netfilter, udp, socket, app. Each lost
 * packet is counted in exactly one stage; what no counter explains is
 * "unaccounted". Counts are kept as integers over the interval and turned
 * into rates once, at the end. */
#include "config.h"

#include <string.h>

#include "diag_internal.h"
#include "util.h"

static const char *const snmp_names[SNMP_N] = {
	[IP_IN_RECEIVES] = "IpInReceives",
	[IP_IN_HDR_ERRORS] = "IpInHdrErrors",
	[IP_IN_ADDR_ERRORS] = "IpInAddrErrors",
	[IP_FORW_DATAGRAMS] = "IpForwDatagrams",
	[IP_IN_UNKNOWN_PROTOS] = "IpInUnknownProtos",
	[IP_IN_DISCARDS] = "IpInDiscards",
	[IP_IN_DELIVERS] = "IpInDelivers",
	[UDP_IN_DATAGRAMS] = "UdpInDatagrams",
	[UDP_NO_PORTS] = "UdpNoPorts",
	[UDP_IN_ERRORS] = "UdpInErrors",
	[UDP_RCVBUF_ERRORS] = "UdpRcvbufErrors",
	[UDP_IN_CSUM_ERRORS] = "UdpInCsumErrors",
	[UDP_MEM_ERRORS] = "UdpMemErrors",
	[IP6_IN_RECEIVES] = "Ip6InReceives",
	[IP6_IN_HDR_ERRORS] = "Ip6InHdrErrors",
	[IP6_IN_ADDR_ERRORS] = "Ip6InAddrErrors",
	[IP6_IN_NO_ROUTES] = "Ip6InNoRoutes",
	[IP6_IN_TRUNCATED_PKTS] = "Ip6InTruncatedPkts",
	[IP6_IN_UNKNOWN_PROTOS] = "Ip6InUnknownProtos",
	[IP6_IN_DISCARDS] = "Ip6InDiscards",
	[IP6_IN_DELIVERS] = "Ip6InDelivers",
	[UDP6_IN_DATAGRAMS] = "Udp6InDatagrams",
	[UDP6_NO_PORTS] = "Udp6NoPorts",
	[UDP6_IN_ERRORS] = "Udp6InErrors",
	[UDP6_RCVBUF_ERRORS] = "Udp6RcvbufErrors",
	[UDP6_IN_CSUM_ERRORS] = "Udp6InCsumErrors",
	[UDP6_MEM_ERRORS] = "Udp6MemErrors",
	[IP_REASM_TIMEOUT] = "IpReasmTimeout",
	[IP_REASM_REQDS] = "IpReasmReqds",
	[IP_REASM_OKS] = "IpReasmOKs",
	[IP_REASM_FAILS] = "IpReasmFails",
	[ICMP_OUT_DEST_UNREACHS] = "IcmpOutDestUnreachs",
	[IP6_OUT_FORW_DATAGRAMS] = "Ip6OutForwDatagrams",
	[IP6_REASM_TIMEOUT] = "Ip6ReasmTimeout",
	[IP6_REASM_REQDS] = "Ip6ReasmReqds",
	[IP6_REASM_OKS] = "Ip6ReasmOKs",
	[IP6_REASM_FAILS] = "Ip6ReasmFails",
	[IP6_IN_MCAST_PKTS] = "Ip6InMcastPkts",
	[ICMP6_OUT_DEST_UNREACHS] = "Icmp6OutDestUnreachs",
	[IPEXT_IN_NO_ROUTES] = "IpExtInNoRoutes",
	[IPEXT_IN_TRUNCATED_PKTS] = "IpExtInTruncatedPkts",
	[IPEXT_IN_CSUM_ERRORS] = "IpExtInCsumErrors",
	[IPEXT_IN_MCAST_PKTS] = "IpExtInMcastPkts",
	[IPEXT_IN_BCAST_PKTS] = "IpExtInBcastPkts",
	[TCPEXT_IP_RP_FILTER] = "TcpExtIPReversePathFilter",
};

static const char *const nic_sources[NIC_CANDS] = {
	"sysfs", "ethtool -S", "ethtool -S per-queue", "qstats",
	"ethtool eth-mac",
};

static void add_counter(const struct diag_ctx *x, struct stage *st,
			const char *name, bool known, uint64_t delta,
			bool is_loss)
{
	struct stage_counter *c;

	if (st->ncounters >= MAX_STAGE_COUNTERS)
		return;
	c = &st->counters[st->ncounters++];
	c->name = name;
	c->known = known;
	c->delta = known ? delta : 0;
	c->per_s = known ? (double)delta / x->interval : 0;
	c->is_loss = is_loss;
}

/* Lists one snmp counter in the stage and adds its delta to sum (if
 * given); a counter missing in both snapshots still counts as unknown. */
static uint64_t add_snmp(const struct diag_ctx *x, struct stage *st,
			 enum snmp_id id, bool is_loss, struct acc *sum)
{
	uint64_t v = 0;
	bool known = diag_snmp_delta(x, id, &v);

	add_counter(x, st, snmp_names[id], known, v, is_loss);
	if (sum)
		acc_add(sum, known, v);
	return known ? v : 0;
}

/* A counter only shown, and only when some snapshot has it (older kernels
 * lack MemErrors and InCsumErrors). */
static void add_snmp_optional(const struct diag_ctx *x, struct stage *st,
			      enum snmp_id id)
{
	if (diag_snmp_present(x, id))
		add_snmp(x, st, id, false, NULL);
}

static void stage_set(struct diag_ctx *x, struct diagnosis *d,
		      enum stage_id id, struct optval in, struct optval lost)
{
	struct stage *st = &d->stages[id];

	x->in[id] = in;
	st->in_pps = diag_per_s(x, in);
	st->lost = lost;
	st->lost_pps = diag_per_s(x, lost);
}

static bool sys_delta(const struct device *p, const struct device *c,
		      enum sysfs_id id, uint64_t *out)
{
	return delta64(p->have_sysfs && p->sys_have[id], p->sys[id],
		       c->have_sysfs && c->sys_have[id], c->sys[id], out);
}

static void nic_sysfs_candidate(const struct device *p,
				const struct device *c, struct nic_loss *o)
{
	static const enum sysfs_id ids[3] = {
		SYS_RX_MISSED_ERRORS, SYS_RX_FIFO_ERRORS, SYS_RX_OVER_ERRORS,
	};
	struct acc sum = acc_start();

	for (int i = 0; i < 3; i++) {
		o->sys_present[i] = (p->have_sysfs && p->sys_have[ids[i]]) ||
				    (c->have_sysfs && c->sys_have[ids[i]]);
		o->sys_known[i] = sys_delta(p, c, ids[i], &o->sys[i]);
		acc_add(&sum, o->sys_known[i], o->sys[i]);
		o->cand_present[0] |= o->sys_present[i];
	}
	o->cand_known[0] = sum.known;
	o->cand[0] = sum.n;
}

/* Per-queue driver drops: every queue with a drop counter in either
 * snapshot must give a delta (a queue that came or went makes the sum
 * unknown rather than short). */
static void nic_queue_candidate(const struct device *p,
				const struct device *c, struct nic_loss *o)
{
	struct acc sum = acc_start();
	int i = 0, j = 0;

	/* Both queue lists are sorted by id: walk their union. */
	while (i < p->nrxq || j < c->nrxq) {
		const struct rx_queue *pq = i < p->nrxq ? &p->rxq[i] : NULL;
		const struct rx_queue *cq = j < c->nrxq ? &c->rxq[j] : NULL;
		bool had, has;

		if (pq && cq && pq->id != cq->id) {
			if (pq->id < cq->id)
				cq = NULL;
			else
				pq = NULL;
		}
		i += pq != NULL;
		j += cq != NULL;
		had = pq && pq->have_drops;
		has = cq && cq->have_drops;
		if (!had && !has)
			continue;
		o->cand_present[2] = true;
		acc_delta(&sum, false, had, had ? pq->drops : 0, has,
			  has ? cq->drops : 0);
	}
	o->cand_known[2] = o->cand_present[2] && sum.known;
	o->cand[2] = sum.n;
}

/* netdev qstats at device scope: drops inside the NIC (rx-hw-drops) and
 * buffers the driver could not allocate (rx-alloc-fail). */
static bool qstats_drops(const struct device *d, uint64_t *v)
{
	const struct qstats *q = &d->qs_dev;

	if (!d->have_qstats ||
	    (!q->have[QS_RX_HW_DROPS] && !q->have[QS_RX_ALLOC_FAIL]))
		return false;
	*v = q->v[QS_RX_HW_DROPS] + q->v[QS_RX_ALLOC_FAIL];
	return true;
}

static void nic_netlink_candidates(const struct device *p,
				   const struct device *c, struct nic_loss *o)
{
	uint64_t pv = 0, cv = 0;
	bool had = qstats_drops(p, &pv), has = qstats_drops(c, &cv);
	const enum std_stat_id mac = STD_MAC_LOST_INT_RX_ERR;

	o->cand_present[3] = had || has;
	o->cand_known[3] = delta64(had, pv, has, cv, &o->cand[3]);
	o->cand_present[4] = p->std_have[mac] || c->std_have[mac];
	o->cand_known[4] = delta64(p->std_have[mac], p->std[mac],
				   c->std_have[mac], c->std[mac], &o->cand[4]);
}

/* The label of candidate i: the statistics candidate says whether
 * rtnetlink or sysfs gave it, the per-queue one whose counters it summed. */
static const char *cand_label(const struct device *c, int i)
{
	if (i == 0)
		return c->sys_from_link ? "link" : nic_sources[0];
	if (i != 2)
		return nic_sources[i];
	for (int q = 0; q < c->nrxq; q++)
		if (c->rxq[q].drops_source &&
		    strcmp(c->rxq[q].drops_source, "qstats") == 0)
			return "qstats per-queue";
	return nic_sources[i];
}

/* Several counters often describe the same NIC drops (sysfs
 * rx_missed_errors, a driver's rx_out_of_buffer, per-queue rx_discards):
 * the largest of them is the loss, so no drop is counted twice. */
void diag_nic_loss(const struct device *p, const struct device *c,
		   struct nic_loss *o)
{
	memset(o, 0, sizeof(*o));
	o->rx_known = sys_delta(p, c, SYS_RX_PACKETS, &o->rx);
	nic_sysfs_candidate(p, c, o);
	o->cand_present[1] = p->have_nic_drops || c->have_nic_drops;
	o->cand_known[1] = delta64(p->have_nic_drops, p->nic_drops,
				   c->have_nic_drops, c->nic_drops,
				   &o->cand[1]);
	nic_queue_candidate(p, c, o);
	nic_netlink_candidates(p, c, o);
	o->source_idx = -1;
	for (int i = 0; i < NIC_CANDS; i++) {
		if (!o->cand_known[i])
			continue;
		if (!o->known || o->cand[i] > o->loss) {
			o->known = true;
			o->loss = o->cand[i];
			o->source = cand_label(c, i);
			o->source_idx = i;
		}
	}
}

/* One counter of the nic stage, summed over devices. */
struct nic_sum {
	bool present;
	struct acc acc;
	bool used;      /* some device took its loss from this counter */
};

static void nic_sum_add(struct nic_sum *s, bool present, bool known,
			uint64_t v, bool used)
{
	if (!present)
		return;
	s->present = true;
	acc_add(&s->acc, known, v);
	s->used |= used;
}

#define NIC_SUMS (4 + NIC_CANDS - 1)

static void nic_list_counters(const struct diag_ctx *x, struct stage *st,
			      const struct nic_sum *sums)
{
	static const char *const names[NIC_SUMS] = {
		"rx_packets", "rx_missed_errors", "rx_fifo_errors",
		"rx_over_errors", "driver rx drops", "per-queue rx drops",
		"qstats rx drops", "FramesLostDueToIntMACRcvError",
	};

	for (int i = 0; i < NIC_SUMS; i++)
		if (sums[i].present)
			add_counter(x, st, names[i], sums[i].acc.known,
				    sums[i].acc.n, sums[i].used);
}

static void nic_add_device(struct nic_sum *sums, const struct nic_loss *l,
			   struct acc *rx, struct acc *lost)
{
	bool used[NIC_CANDS];

	for (int i = 0; i < NIC_CANDS; i++)
		used[i] = l->source_idx == i;
	nic_sum_add(&sums[0], true, l->rx_known, l->rx, false);
	for (int i = 0; i < 3; i++)
		nic_sum_add(&sums[1 + i], l->sys_present[i], l->sys_known[i],
			    l->sys[i], used[0]);
	for (int i = 1; i < NIC_CANDS; i++)
		nic_sum_add(&sums[3 + i], l->cand_present[i],
			    l->cand_known[i], l->cand[i], used[i]);
	acc_add(rx, l->rx_known, l->rx);
	acc_add(lost, l->known, l->loss);
}

/* Frames a device dropped because they were not for this host (another
 * host's MAC: rx_otherhost_dropped, Linux 6.0+) or no protocol wanted them
 * (rx_nohandler): shown, never a loss of the UDP path. */
static void nic_not_for_host(struct diag_ctx *x, struct stage *st)
{
	static const enum sysfs_id ids[2] = {
		SYS_RX_OTHERHOST_DROPPED, SYS_RX_NOHANDLER,
	};
	static const char *const names[2] = {
		"rx_otherhost_dropped (not for this host)",
		"rx_nohandler (no protocol handler)",
	};

	for (int i = 0; i < 2; i++) {
		struct acc sum = acc_start();
		bool present = false;

		for (size_t j = 0; j < x->cur->ndevs; j++) {
			const struct device *c = &x->cur->devs[j];
			const struct device *p =
				snapshot_find_device(x->prev, c->name);
			uint64_t v = 0;
			bool known;

			if (!p || !(c->sys_have[ids[i]] || p->sys_have[ids[i]]))
				continue;
			present = true;
			known = sys_delta(p, c, ids[i], &v);
			acc_add(&sum, known, v);
		}
		if (!present)
			continue;
		add_counter(x, st, names[i], sum.known, sum.n, false);
		if (sum.known)
			x->not_for_host += sum.n;
	}
}

static void stage_nic(struct diag_ctx *x, struct diagnosis *d)
{
	struct nic_sum sums[NIC_SUMS];
	struct acc rx = acc_start(), lost = acc_start();
	size_t ndev = 0;
	struct nic_loss l;

	for (int i = 0; i < NIC_SUMS; i++)
		sums[i] = (struct nic_sum){ .acc = acc_start() };
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const struct device *c = &x->cur->devs[i];
		const struct device *p = snapshot_find_device(x->prev, c->name);

		if (!p)
			continue;
		diag_nic_loss(p, c, &l);
		nic_add_device(sums, &l, &rx, &lost);
		ndev++;
	}
	nic_list_counters(x, &d->stages[STAGE_NIC], sums);
	nic_not_for_host(x, &d->stages[STAGE_NIC]);
	if (!ndev) {
		stage_set(x, d, STAGE_NIC, opt_unknown(), opt_unknown());
		return;
	}
	stage_set(x, d, STAGE_NIC, opt_add(acc_opt(rx), acc_opt(lost)),
		  acc_opt(lost));
}

static struct optval stage_out(const struct diag_ctx *x,
			       const struct diagnosis *d, enum stage_id id)
{
	return opt_sub_clamped(x->in[id], d->stages[id].lost);
}

/* softnet_stat columns summed over the CPUs present in both snapshots. */
struct softnet_sums {
	size_t ncpus;
	bool flow_present;
	struct acc processed, dropped, squeeze, flow, rps;
};

static void softnet_add_cpu(struct softnet_sums *s, const struct cpu_stat *p,
			    const struct cpu_stat *c)
{
	s->ncpus++;
	acc_delta(&s->processed, true, true, p->processed, true, c->processed);
	acc_delta(&s->dropped, true, true, p->dropped, true, c->dropped);
	acc_delta(&s->squeeze, true, true, p->time_squeeze, true,
		  c->time_squeeze);
	acc_delta(&s->rps, true, true, p->received_rps, true, c->received_rps);
	if (!p->have_flow_limit && !c->have_flow_limit)
		return;
	s->flow_present = true;
	acc_delta(&s->flow, true, p->have_flow_limit, p->flow_limit,
		  c->have_flow_limit, c->flow_limit);
}

static void softnet_sum(const struct diag_ctx *x, struct softnet_sums *s)
{
	int n = x->prev->ncpus < x->cur->ncpus ? x->prev->ncpus
					       : x->cur->ncpus;

	memset(s, 0, sizeof(*s));
	s->processed = s->dropped = s->squeeze = s->flow = s->rps =
		acc_start();
	if (!x->prev->have_softnet || !x->cur->have_softnet)
		return;
	/* A CPU in one snapshot only (hotplug) is skipped, not an error. */
	for (int cpu = 0; cpu < n; cpu++)
		if (x->prev->cpus[cpu].have_softnet &&
		    x->cur->cpus[cpu].have_softnet)
			softnet_add_cpu(s, &x->prev->cpus[cpu],
					&x->cur->cpus[cpu]);
}

static void stage_softirq(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_SOFTIRQ];
	struct softnet_sums s;
	struct acc lost = acc_start();
	struct optval in;

	softnet_sum(x, &s);
	if (!s.ncpus) {
		stage_set(x, d, STAGE_SOFTIRQ, opt_unknown(), opt_unknown());
		return;
	}
	add_counter(x, st, "processed", s.processed.known, s.processed.n,
		    false);
	add_counter(x, st, "dropped", s.dropped.known, s.dropped.n, true);
	acc_add(&lost, s.dropped.known, s.dropped.n);
	if (s.flow_present) {
		add_counter(x, st, "flow_limit_count", s.flow.known, s.flow.n,
			    true);
		acc_add(&lost, s.flow.known, s.flow.n);
	}
	add_counter(x, st, "time_squeeze", s.squeeze.known, s.squeeze.n,
		    false);
	add_counter(x, st, "received_rps", s.rps.known, s.rps.n, false);
	if (x->in[STAGE_NIC].known)
		in = stage_out(x, d, STAGE_NIC);
	else
		in = acc_opt(s.processed);
	stage_set(x, d, STAGE_SOFTIRQ, in, acc_opt(lost));
}

/* The IP counters of one family (see "How the waterfall is computed" in
 * droptop(8)). losses[] are drops the kernel counts; ReasmFails is one of
 * them. A counter a kernel does not have (netstat unread, older columns)
 * is left out, and what it would have named falls into the remainder. */
struct ip_ids {
	enum snmp_id in, delivers, forwarded, reqds, oks, fails, timeout;
	enum snmp_id losses[8];
	size_t nlosses;
	int csum;        /* part of InHdrErrors, shown only; -1 none */
	int mcast;       /* multicast received, -1 none */
};

static const struct ip_ids ip4_ids = {
	IP_IN_RECEIVES, IP_IN_DELIVERS, IP_FORW_DATAGRAMS, IP_REASM_REQDS,
	IP_REASM_OKS, IP_REASM_FAILS, IP_REASM_TIMEOUT,
	{ IP_IN_HDR_ERRORS, IP_IN_ADDR_ERRORS, IP_IN_DISCARDS,
	  IP_IN_UNKNOWN_PROTOS, IPEXT_IN_NO_ROUTES, IPEXT_IN_TRUNCATED_PKTS,
	  TCPEXT_IP_RP_FILTER }, 7,
	IPEXT_IN_CSUM_ERRORS, -1,
};

static const struct ip_ids ip6_ids = {
	IP6_IN_RECEIVES, IP6_IN_DELIVERS, IP6_OUT_FORW_DATAGRAMS,
	IP6_REASM_REQDS, IP6_REASM_OKS, IP6_REASM_FAILS, IP6_REASM_TIMEOUT,
	{ IP6_IN_HDR_ERRORS, IP6_IN_ADDR_ERRORS, IP6_IN_DISCARDS,
	  IP6_IN_UNKNOWN_PROTOS, IP6_IN_NO_ROUTES, IP6_IN_TRUNCATED_PKTS },
	6, -1, IP6_IN_MCAST_PKTS,
};

/* A counter that is listed only when some snapshot has it, and then
 * added to sum (as unknown if it reset or vanished). */
static void add_snmp_if_present(const struct diag_ctx *x, struct stage *st,
				enum snmp_id id, bool is_loss, struct acc *sum)
{
	if (diag_snmp_present(x, id))
		add_snmp(x, st, id, is_loss, sum);
}

/* What one family's IP layer took in and what left it: delivered upward
 * (InDelivers, every protocol), forwarded, or absorbed by reassembly
 * (fragments that became part of a datagram counted once in InDelivers:
 * ReasmReqds - ReasmOKs - ReasmFails). */
struct ip_flow {
	struct acc in, out, lost;
	struct acc mcast;   /* multicast received (v6): may vanish silently */
};

static void ip_flow_counters(const struct diag_ctx *x, struct stage *st,
			     const struct ip_ids *ids, struct ip_flow *f)
{
	struct acc reqds = acc_start(), oks = acc_start();

	add_snmp(x, st, ids->in, false, &f->in);
	add_snmp(x, st, ids->delivers, false, &f->out);
	add_snmp_if_present(x, st, ids->forwarded, false, &f->out);
	for (size_t i = 0; i < ids->nlosses; i++)
		add_snmp_if_present(x, st, ids->losses[i], true, &f->lost);
	if (ids->csum >= 0)
		add_snmp_if_present(x, st, (enum snmp_id)ids->csum, false,
				    NULL);
	add_snmp_if_present(x, st, ids->reqds, false, &reqds);
	add_snmp_if_present(x, st, ids->oks, false, &oks);
	add_snmp_if_present(x, st, ids->fails, true, &f->lost);
	add_snmp_if_present(x, st, ids->timeout, false, NULL);
	/* Fragments that vanished into reassembly: ReasmFails among them
	 * is already in lost, the rest were delivered inside a datagram. */
	acc_add(&f->out, reqds.known && oks.known,
		reqds.n > oks.n ? reqds.n - oks.n : 0);
	if (ids->mcast >= 0)
		add_snmp_if_present(x, st, (enum snmp_id)ids->mcast, false,
				    &f->mcast);
}

/* in - out - lost, clamped at 0 (in-flight packets make it -1 or +1
 * at a read); unknown when any part is. */
static struct acc ip_remainder(const struct ip_flow *f)
{
	struct acc r = { f->in.known && f->out.known && f->lost.known, 0 };
	uint64_t gone = f->out.n + f->lost.n;

	if (r.known && f->in.n > gone)
		r.n = f->in.n - gone;
	return r;
}

/* One family: lists its counters, adds its input to in, its counted and
 * uncounted losses to lost and its remainder to rest. Multicast for a
 * group the host did not join is dropped by IPv6 without a drop counter
 * but counted in Ip6InMcastPkts: up to that figure the remainder is such
 * traffic, not a loss of the UDP path. */
static void ip_family(const struct diag_ctx *x, struct stage *st,
		      const struct ip_ids *ids, struct acc *in,
		      struct acc *lost, struct acc *rest, struct acc *mc)
{
	struct ip_flow f = { acc_start(), acc_start(), acc_start(),
			     acc_start() };
	struct acc r;
	uint64_t m = 0;

	ip_flow_counters(x, st, ids, &f);
	r = ip_remainder(&f);
	if (ids->mcast >= 0 && r.known && f.mcast.known &&
	    diag_snmp_present(x, (enum snmp_id)ids->mcast)) {
		m = r.n < f.mcast.n ? r.n : f.mcast.n;
		r.n -= m;
	}
	acc_add(in, f.in.known, f.in.n);
	acc_add(lost, f.lost.known, f.lost.n);
	acc_add(rest, r.known, r.n);
	acc_add(mc, true, m);
}

static void nf_split(struct diag_ctx *x, struct acc rest);

static void stage_ip(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_IP];
	struct acc in = acc_start(), lost = acc_start(), rest = acc_start();
	struct acc mc = acc_start();

	ip_family(x, st, &ip4_ids, &in, &lost, &rest, &mc);
	if (diag_have_v6(x)) {
		ip_family(x, st, &ip6_ids, &in, &lost, &rest, &mc);
		add_counter(x, st, IP_MCAST_NOT_JOINED, true, mc.n, false);
	}
	nf_split(x, rest);
	if (rest.known)
		rest.n -= x->nf_ct + x->nf_rules;
	add_counter(x, st, IP_REMAINDER, rest.known, rest.n, true);
	if (x->nf_ct + x->nf_rules)
		add_counter(x, st, IP_TO_NETFILTER, true,
			    x->nf_ct + x->nf_rules, false);
	acc_add(&lost, rest.known, rest.n);
	stage_set(x, d, STAGE_IP, acc_opt(in), acc_opt(lost));
}

/* The conntrack columns shown at the netfilter stage. drop is a packet
 * conntrack dropped (table full, no memory, an insert clash it could not
 * resolve, which insert_failed counts as well); early_drop counts entries evicted to make room (the packet
 * went on), insert_failed and invalid are evidence: none of the three is
 * added, so no drop is counted twice. */
static void nf_ct_counters(const struct diag_ctx *x, struct stage *st)
{
	static const enum ct_stat_id shown[] = {
		CT_EARLY_DROP, CT_INSERT_FAILED, CT_INVALID,
	};
	static const char *const names[] = {
		"conntrack early_drop", "conntrack insert_failed",
		"conntrack invalid",
	};
	uint64_t v = 0;
	bool known = diag_ct_delta(x, CT_DROP, &v);

	if (!x->prev->nf.have_ct_stat && !x->cur->nf.have_ct_stat)
		return;
	add_counter(x, st, NF_CT_DROP, known, v, true);
	for (size_t i = 0; i < ARRAY_SIZE(shown); i++) {
		v = 0;
		known = diag_ct_delta(x, shown[i], &v);
		add_counter(x, st, names[i], known, v, false);
	}
}

/* Netfilter drops are inside the ip remainder: a packet dropped on
 * PREROUTING or INPUT was counted in InReceives and in no other Ip
 * counter. Conntrack's drop column takes its share first (capped by the
 * remainder: it also counts drops of locally sent packets); then, when
 * rules sit on those hooks, the rest of the remainder is theirs. */
static void nf_split(struct diag_ctx *x, struct acc rest)
{
	uint64_t ct = 0;
	bool rules_known, rules = diag_nf_rules(x, &rules_known);

	x->ip_rest_known = rest.known;
	x->nf_ct = x->nf_rules = 0;
	if (!rest.known)
		return;
	if (diag_ct_delta(x, CT_DROP, &ct))
		x->nf_ct = ct < rest.n ? ct : rest.n;
	if (rules_known && rules)
		x->nf_rules = rest.n - x->nf_ct;
}

/* Between ip and udp: what passed the ip layer's own checks enters it. Its
 * loss is known when conntrack's statistics or the rules are. */
static void stage_netfilter(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_NETFILTER];
	bool rules_known, ct_known;
	uint64_t v;

	diag_nf_rules(x, &rules_known);
	ct_known = diag_ct_delta(x, CT_DROP, &v);
	nf_ct_counters(x, st);
	if (rules_known)
		add_counter(x, st, NF_RULE_DROPS, x->ip_rest_known,
			    x->nf_rules, true);
	if ((!ct_known && !rules_known) || !x->ip_rest_known) {
		stage_set(x, d, STAGE_NETFILTER, stage_out(x, d, STAGE_IP),
			  opt_unknown());
		return;
	}
	stage_set(x, d, STAGE_NETFILTER, stage_out(x, d, STAGE_IP),
		  opt_known((double)(x->nf_ct + x->nf_rules)));
}

/* The Udp counters of one family. */
struct udp_ids {
	enum snmp_id in_datagrams, no_ports, in_errors, rcvbuf, csum, mem;
	const char *errors_name;
};

static const struct udp_ids udp4_ids = {
	UDP_IN_DATAGRAMS, UDP_NO_PORTS, UDP_IN_ERRORS, UDP_RCVBUF_ERRORS,
	UDP_IN_CSUM_ERRORS, UDP_MEM_ERRORS, "UdpInErrors-RcvbufErrors",
};

static const struct udp_ids udp6_ids = {
	UDP6_IN_DATAGRAMS, UDP6_NO_PORTS, UDP6_IN_ERRORS, UDP6_RCVBUF_ERRORS,
	UDP6_IN_CSUM_ERRORS, UDP6_MEM_ERRORS, "Udp6InErrors-RcvbufErrors",
};

/* InErrors includes RcvbufErrors, which belong to the socket stage: the
 * UDP stage keeps the rest (checksum, memory and other errors). */
static void udp_family(const struct diag_ctx *x, struct stage *st,
		       const struct udp_ids *ids, struct acc *in,
		       struct acc *lost)
{
	uint64_t errors, rcvbuf, rest;
	bool known;

	add_snmp(x, st, ids->in_datagrams, false, in);
	add_snmp(x, st, ids->no_ports, true, lost);
	known = diag_snmp_delta(x, ids->no_ports, &rest);
	acc_add(in, known, rest);
	known = diag_snmp_delta(x, ids->in_errors, &errors);
	add_snmp(x, st, ids->in_errors, false, in);
	known &= diag_snmp_delta(x, ids->rcvbuf, &rcvbuf);
	rest = known && errors > rcvbuf ? errors - rcvbuf : 0;
	add_counter(x, st, ids->errors_name, known, rest, true);
	acc_add(lost, known, rest);
	add_snmp_optional(x, st, ids->csum);
	add_snmp_optional(x, st, ids->mem);
}

static void stage_udp(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_UDP];
	struct acc in = acc_start(), lost = acc_start();

	udp_family(x, st, &udp4_ids, &in, &lost);
	if (diag_have_v6(x))
		udp_family(x, st, &udp6_ids, &in, &lost);
	stage_set(x, d, STAGE_UDP, acc_opt(in), acc_opt(lost));
}

static void stage_socket(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_SOCKET];
	struct acc lost = acc_start();
	struct optval in;

	add_snmp(x, st, UDP_RCVBUF_ERRORS, true, &lost);
	if (diag_have_v6(x))
		add_snmp(x, st, UDP6_RCVBUF_ERRORS, true, &lost);
	in = opt_sub_clamped(x->in[STAGE_UDP], d->stages[STAGE_UDP].lost);
	stage_set(x, d, STAGE_SOCKET, in, acc_opt(lost));
}

/* The kernel counts InDatagrams when an application reads a datagram.
 * With droptop's own receiver running, the application is that receiver:
 * its threads' packets are the stage, and InDatagrams (which also counts
 * other programs' reads) is shown beside them. */
static void stage_app(struct diag_ctx *x, struct diagnosis *d)
{
	struct stage *st = &d->stages[STAGE_APP];
	struct acc in = acc_start();

	if (diag_receiver_packets(x, &in)) {
		add_counter(x, st, "receiver packets", in.known, in.n, false);
		add_snmp(x, st, UDP_IN_DATAGRAMS, false, NULL);
		if (diag_have_v6(x))
			add_snmp(x, st, UDP6_IN_DATAGRAMS, false, NULL);
		stage_set(x, d, STAGE_APP, acc_opt(in),
			  in.known ? opt_known(0) : opt_unknown());
		return;
	}
	add_snmp(x, st, UDP_IN_DATAGRAMS, false, &in);
	if (diag_have_v6(x))
		add_snmp(x, st, UDP6_IN_DATAGRAMS, false, &in);
	stage_set(x, d, STAGE_APP, acc_opt(in),
		  in.known ? opt_known(0) : opt_unknown());
}

/* Packets that passed one stage but never reached the next: frames that
 * are not IP (or IPv6 without snmp6) between softirq and ip, datagrams
 * still queued between socket and app. The sum of the known gaps. Frames
 * the devices counted as not for this host are not in the first gap. */
static void unaccounted(const struct diag_ctx *x, struct diagnosis *d)
{
	struct optval gap[2] = {
		opt_sub_clamped(opt_sub_clamped(stage_out(x, d, STAGE_SOFTIRQ),
						x->in[STAGE_IP]),
				opt_known((double)x->not_for_host)),
		opt_sub_clamped(stage_out(x, d, STAGE_SOCKET),
				x->in[STAGE_APP]),
	};
	struct optval sum = opt_unknown();

	for (int i = 0; i < 2; i++) {
		if (!gap[i].known)
			continue;
		sum = opt_known((sum.known ? sum.v : 0) + gap[i].v);
	}
	d->unaccounted_pps = diag_per_s(x, sum);
}

static void total_lost(struct diagnosis *d)
{
	struct optval sum = opt_unknown();

	for (int i = 0; i < STAGE_N; i++) {
		struct optval l = d->stages[i].lost_pps;

		if (l.known)
			sum = opt_known((sum.known ? sum.v : 0) + l.v);
	}
	d->total_lost_pps = sum;
}

void diag_stages(struct diag_ctx *x, struct diagnosis *d)
{
	for (int i = 0; i < STAGE_N; i++)
		d->stages[i].id = (enum stage_id)i;
	stage_nic(x, d);
	stage_softirq(x, d);
	stage_ip(x, d);
	stage_netfilter(x, d);
	stage_udp(x, d);
	stage_socket(x, d);
	stage_app(x, d);
	unaccounted(x, d);
	total_lost(d);
}
