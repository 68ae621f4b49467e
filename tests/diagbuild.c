/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diagbuild.h"
#include "util.h"

void tb_snap(struct snapshot *s, double mono)
{
	snapshot_init(s);
	s->monotonic = mono;
	s->realtime = 1700000000.0 + mono;
}

void tb_snmp(struct snapshot *s, enum snmp_id id, uint64_t v)
{
	if (id >= NETSTAT_FIRST)
		s->have_netstat = true;
	else if (id >= IP6_IN_RECEIVES)
		s->have_snmp6 = true;
	else
		s->have_snmp = true;
	s->snmp.v[id] = v;
	s->snmp.have[id] = true;
}

void tb_snmp_add(struct snapshot *s, enum snmp_id id, uint64_t delta)
{
	ck_assert(s->snmp.have[id]);
	s->snmp.v[id] += delta;
}

void tb_snmp_drop(struct snapshot *s, enum snmp_id id)
{
	s->snmp.have[id] = false;
}

/* snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt (no MemErrors
 * column on 3.13) and snmp6/rhcos-k4.18-hyperv-sosreport.txt. */
static void base_snmp(struct snapshot *s)
{
	static const struct {
		enum snmp_id id;
		uint64_t v;
	} vals[] = {
		{ IP_IN_RECEIVES, 54412186 }, { IP_IN_HDR_ERRORS, 0 },
		{ IP_IN_ADDR_ERRORS, 0 },     { IP_FORW_DATAGRAMS, 0 },
		{ IP_IN_UNKNOWN_PROTOS, 0 },  { IP_IN_DISCARDS, 0 },
		{ IP_IN_DELIVERS, 54339383 }, { UDP_IN_DATAGRAMS, 653565 },
		{ UDP_NO_PORTS, 92 },         { UDP_IN_ERRORS, 8109 },
		{ UDP_RCVBUF_ERRORS, 1 },     { UDP_IN_CSUM_ERRORS, 0 },
		{ IP6_IN_RECEIVES, 126 },     { IP6_IN_HDR_ERRORS, 0 },
		{ IP6_IN_ADDR_ERRORS, 0 },    { IP6_IN_NO_ROUTES, 6 },
		{ IP6_IN_TRUNCATED_PKTS, 0 }, { IP6_IN_UNKNOWN_PROTOS, 0 },
		{ IP6_IN_DISCARDS, 0 },       { IP6_IN_DELIVERS, 2 },
		{ UDP6_IN_DATAGRAMS, 0 },     { UDP6_NO_PORTS, 0 },
		{ UDP6_IN_ERRORS, 0 },        { UDP6_RCVBUF_ERRORS, 0 },
		{ UDP6_IN_CSUM_ERRORS, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)
		tb_snmp(s, vals[i].id, vals[i].v);
}

struct cpu_stat *tb_cpu(struct snapshot *s, int cpu, uint64_t processed,
			uint64_t dropped, uint64_t squeeze)
{
	struct cpu_stat *c = snapshot_cpu(s, cpu);

	s->have_softnet = true;
	c->have_softnet = true;
	c->processed = processed;
	c->dropped = dropped;
	c->time_squeeze = squeeze;
	c->have_flow_limit = true;
	c->have_backlog_len = true;
	c->have_net_rx = true;
	c->net_rx = 1000 + (uint64_t)cpu;
	c->have_times = true;
	c->softirq_ticks = 500;
	c->total_ticks = 100000;
	return c;
}

/* softnet_stat/13col-rhel9-5cpu-insights-core.txt: processed, dropped. */
static void base_cpus(struct snapshot *s)
{
	static const uint64_t v[5][2] = {
		{ 0x00358fe3, 0x00006283 }, { 0x00953d1a, 0x00000446 },
		{ 0x02600138, 0x00004bc7 }, { 0x02883c47, 0x00007e2e },
		{ 0x01a35c9d, 0x0002db94 },
	};

	for (int i = 0; i < 5; i++)
		tb_cpu(s, i, v[i][0], v[i][1], i == 4 ? 1 : 0);
	s->have_softirqs = s->have_stat = true;
}

void tb_base(struct snapshot *s, double mono)
{
	static const uint64_t sysctls[SYSCTL_N] = {
		[SYSCTL_RMEM_MAX] = 212992, [SYSCTL_RMEM_DEFAULT] = 212992,
		[SYSCTL_NETDEV_MAX_BACKLOG] = 1000,
		[SYSCTL_NETDEV_BUDGET] = 300,
		[SYSCTL_NETDEV_BUDGET_USECS] = 2000,
	};

	tb_snap(s, mono);
	base_snmp(s);
	base_cpus(s);
	for (int i = 0; i < SYSCTL_N; i++) {
		s->sysctl[i] = sysctls[i];
		s->sysctl_have[i] = true;
	}
}

struct device *tb_dev(struct snapshot *s, const char *name, int nrxq)
{
	struct device *d = snapshot_device(s, name);

	d->have_sysfs = true;
	for (int i = 0; i < SYS_N; i++)
		d->sys_have[i] = true;
	d->nrxq = nrxq;
	d->rxq = xcalloc((size_t)(nrxq ? nrxq : 1), sizeof(*d->rxq));
	for (int q = 0; q < nrxq; q++) {
		d->rxq[q].id = q;
		d->rxq[q].irq = -1;
	}
	d->sys_rx_queues = nrxq;
	return d;
}

void tb_queue(struct device *d, int q, uint64_t packets, uint64_t drops,
	      bool have_drops)
{
	ck_assert_int_lt(q, d->nrxq);
	d->rxq[q].have_packets = true;
	d->rxq[q].packets = packets;
	d->rxq[q].have_drops = have_drops;
	d->rxq[q].drops = drops;
}

void tb_ctr(struct device *d, const char *name, uint64_t v,
	    enum ctr_kind kind, int queue)
{
	struct ethtool_counter *c;

	d->have_ethtool = true;
	d->ctrs = xrealloc(d->ctrs, (d->nctrs + 1) * sizeof(*d->ctrs));
	c = &d->ctrs[d->nctrs++];
	c->name = arena_strndup(&d->ctr_names, name, strlen(name));
	c->value = v;
	c->cls = (struct counter_class){
		.dir = queue >= 0 ? DIR_RX : DIR_NONE,
		.queue = queue,
		.kind = kind,
		.driver_rule = "",
	};
}

void tb_irq(struct snapshot *s, int irq, const char *name,
	    const char *cpulist)
{
	struct irq_line *l = snapshot_add_irq(s, irq, xstrdup(name));

	l->affinity = xcalloc(CPU_WORDS, sizeof(*l->affinity));
	l->have_affinity =
		cpulist_parse(cpulist, l->affinity, MAX_CPUS) >= 0;
	s->have_interrupts = true;
}

/* ethtool-S/sfc-ethq.txt: rx-N.rx_packets 232 115 86 ... 60, summing to
 * 1585; port_rx_nodesc_drops 0; rx_noskb_drops 0. IRQ of queue q is 40+q
 * (eth0-q), pinned to CPU q % 5. */
struct device *tb_sfc(struct snapshot *s)
{
	static const uint64_t rx[12] = {
		232, 115, 86, 130, 225, 86, 179, 139, 169, 114, 50, 60,
	};
	struct device *d = tb_dev(s, "eth0", 12);
	char name[32], cpu[8];

	strcpy(d->driver, "sfc");
	d->sys[SYS_RX_PACKETS] = 1585;
	d->have_nic_drops = true;
	d->nic_drops = 0;
	d->channels_combined = 12;
	d->channels_max_combined = 32;
	for (int q = 0; q < 12; q++) {
		tb_queue(d, q, rx[q], 0, false);
		d->rxq[q].irq = 40 + q;
		snprintf(name, sizeof(name), "eth0-%d", q);
		snprintf(cpu, sizeof(cpu), "%d", q % 5);
		tb_irq(s, 40 + q, name, cpu);
	}
	tb_ctr(d, "port_rx_nodesc_drops", 0, KIND_DROPS, -1);
	tb_ctr(d, "port_rx_dp_di_dropped_packets", 27, KIND_OTHER, -1);
	return d;
}

/* The mDNS socket of proc-net-udp/ubuntu-k3.13-drops8109-...: *:5353,
 * uid 105, inode 941, drops 8109. */
struct udp_socket *tb_sock(struct snapshot *s, const char *local,
			   uint16_t lport, uint64_t inode, uint64_t drops)
{
	struct udp_socket *u;

	s->have_udp = true;
	s->socks = snapshot_grow(s->socks, &s->socks_cap, s->nsocks + 1,
				 sizeof(*s->socks));
	u = &s->socks[s->nsocks++];
	memset(u, 0, sizeof(*u));
	u->family = strchr(local, ':') ? AF_INET6 : AF_INET;
	snprintf(u->local, sizeof(u->local), "%s", local);
	u->lport = lport;
	snprintf(u->remote, sizeof(u->remote), "0.0.0.0");
	u->inode = inode;
	u->uid = 105;
	u->have_drops = true;
	u->drops = drops;
	return u;
}

const struct stage_counter *tb_counter(const struct stage *st,
				       const char *name)
{
	for (int i = 0; i < st->ncounters; i++)
		if (strcmp(st->counters[i].name, name) == 0)
			return &st->counters[i];
	return NULL;
}

double tb_lost(const struct diagnosis *d, enum stage_id id)
{
	ck_assert_msg(d->stages[id].lost.known, "%s lost unknown",
		      stage_name(id));
	return d->stages[id].lost.v;
}

double tb_in(const struct diagnosis *d, enum stage_id id)
{
	ck_assert_msg(d->stages[id].in_pps.known, "%s in unknown",
		      stage_name(id));
	return d->stages[id].in_pps.v * d->interval_s;
}

bool tb_has_note(const struct diagnosis *d, const char *text)
{
	for (size_t i = 0; i < d->nnotes; i++)
		if (strcmp(d->notes[i], text) == 0)
			return true;
	return false;
}
