/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings (each trigger and its absence just below the threshold) and the
 * per-device, per-queue, per-CPU and per-socket rows. */
#include "config.h"

#include <linux/ethtool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"
#include "diagfixture.h"
#include "testutil.h"
#include "util.h"


START_TEST(rss_all_on_queue_4)
{
	CDEV->rxq[4].packets += 102000;
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 100% of 51000 rx pkt/s, "
			 "11 other queues idle");
	ck_assert_str_eq(D.findings[0].id, "rss-imbalance");
}
END_TEST

/* Hashing on addresses only puts every flow between two hosts on one
 * queue: the finding names the fields and the fix. */
START_TEST(rss_names_hash_fields)
{
	CDEV->rxq[4].packets += 102000;
	CDEV->udp4_hash.known = true;
	CDEV->udp4_hash.fields = RXH_IP_SRC | RXH_IP_DST;
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 100% of 51000 rx pkt/s, "
			 "11 other queues idle; udp4 hash uses IP SA, IP DA "
			 "only: ethtool -N eth0 rx-flow-hash udp4 sdfn");
	CDEV->udp4_hash.fields |= RXH_L4_B_0_1 | RXH_L4_B_2_3;
	fx_run();
	ck_assert_ptr_null(strstr(fx_finding("rss-imbalance"), "hash"));
}
END_TEST

static void set_rss_table(struct device *d, size_t n, uint32_t (*q)(size_t))
{
	free(d->rss_indir);
	d->rss_indir = xcalloc(n, sizeof(*d->rss_indir));
	for (size_t i = 0; i < n; i++)
		d->rss_indir[i] = q(i);
	d->nrss_indir = n;
}

static uint32_t all_to_4(size_t i)
{
	(void)i;
	return 4;
}

static uint32_t even_12(size_t i)
{
	return (uint32_t)(i % 12);
}

static uint32_t first_8(size_t i)
{
	return (uint32_t)(i % 8);
}

/* The indirection table tells the cause: a table that sends queue 4
 * everything (or leaves queues out) gets the even-table fix; an even
 * table means few flows. */
START_TEST(rss_names_indirection_table)
{
	CDEV->rxq[4].packets += 102000;
	set_rss_table(CDEV, 128, all_to_4);
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 100% of 51000 rx pkt/s, "
			 "11 other queues idle; RSS table sends it 128 of 128 "
			 "entries, 11 queues none: ethtool -X eth0 equal 12");
	set_rss_table(CDEV, 128, even_12);
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 100% of 51000 rx pkt/s, "
			 "11 other queues idle; RSS table sends it 11 of 128 "
			 "entries (even: few flows, or flows the hash cannot "
			 "tell apart)");
	set_rss_table(CDEV, 128, first_8);
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 100% of 51000 rx pkt/s, "
			 "11 other queues idle; RSS table sends it 16 of 128 "
			 "entries, 4 queues none: ethtool -X eth0 equal 12");
}
END_TEST

START_TEST(rss_below_rate)
{
	CDEV->rxq[4].packets += 198;   /* 99 pkt/s: too little to judge */
	fx_run();
	ck_assert_ptr_null(fx_finding("rss-imbalance"));
	CDEV->rxq[4].packets += 2;
	fx_run();
	ck_assert_ptr_nonnull(fx_finding("rss-imbalance"));
}
END_TEST

/* 12 queues: the busiest needs 60 % (1.5/12 is less). */
START_TEST(rss_share_threshold)
{
	for (int q = 0; q <= 10; q++)
		if (q != 4)
			CDEV->rxq[q].packets += 80;
	CDEV->rxq[4].packets += 1180;  /* 59.6 % of 1980 */
	fx_run();
	ck_assert_ptr_null(fx_finding("rss-imbalance"));
	CDEV->rxq[4].packets += 20;    /* 60 % of 2000 */
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth0: queue 4 carries 60% of 1000 rx pkt/s, "
			 "1 other queue idle");
}
END_TEST

/* 2 queues: the busiest needs 1.5/2 = 75 %. */
START_TEST(rss_two_queues)
{
	struct device *p = tb_dev(&P, "eth5", 2), *c = tb_dev(&C, "eth5", 2);

	tb_queue(p, 0, 0, 0, false);
	tb_queue(p, 1, 0, 0, false);
	tb_queue(c, 0, 740, 0, false);
	tb_queue(c, 1, 260, 0, false);
	fx_run();
	ck_assert_ptr_null(fx_finding("rss-imbalance"));
	c = snapshot_find_device(&C, "eth5");
	c->rxq[0].packets = 750;
	c->rxq[1].packets = 250;
	fx_run();
	ck_assert_str_eq(fx_finding("rss-imbalance"),
			 "eth5: queue 0 carries 75% of 500 rx pkt/s");
}
END_TEST

START_TEST(softirq_saturated)
{
	C.cpus[2].softirq_ticks += 899;
	C.cpus[2].total_ticks += 1000;
	fx_run();
	ck_assert_double_eq_tol(D.cpus[2].softirq_pct.v, 89.9, 1e-9);
	ck_assert_ptr_null(fx_finding("softirq-saturated"));
	C.cpus[2].softirq_ticks += 1;
	fx_run();
	ck_assert_str_eq(fx_finding("softirq-saturated"),
			 "softirq takes >= 90% of CPU 2 (90%, serves an RX "
			 "IRQ); spread RX IRQs (IRQ affinity) or enable RPS");
}
END_TEST

START_TEST(backlog_drops)
{
	fx_run();
	ck_assert_ptr_null(fx_finding("backlog-drops"));
	C.cpus[1].dropped += 2;
	C.cpus[3].dropped += 20;
	fx_run();
	ck_assert_str_eq(fx_finding("backlog-drops"),
			 "softnet backlog full on CPU 1 (1/s), CPU 3 (10/s); "
			 "net.core.netdev_max_backlog = 1000");
}
END_TEST

START_TEST(time_squeeze)
{
	fx_run();
	ck_assert_ptr_null(fx_finding("time-squeeze"));
	C.cpus[0].time_squeeze += 2;
	C.sysctl_have[SYSCTL_NETDEV_BUDGET_USECS] = false;
	fx_run();
	ck_assert_str_eq(fx_finding("time-squeeze"),
			 "NET_RX ran out of budget on CPU 0 (1/s); "
			 "net.core.netdev_budget = 300, "
			 "net.core.netdev_budget_usecs unknown");
}
END_TEST

START_TEST(no_listener)
{
	fx_run();
	ck_assert_ptr_null(fx_finding("no-listener"));
	tb_snmp_add(&C, UDP_NO_PORTS, 1);
	fx_run();
	ck_assert_str_eq(fx_finding("no-listener"),
			 "0.5 datagrams/s to UDP ports nobody listens on "
			 "(NoPorts +1, Udp6NoPorts +0)");
	tb_snmp_add(&C, UDP6_NO_PORTS, 400);
	fx_run();
	ck_assert_str_eq(fx_finding("no-listener"),
			 "200 datagrams/s to UDP ports nobody listens on "
			 "(NoPorts +1, Udp6NoPorts +400)");
}
END_TEST

START_TEST(rcvbuf_overflow)
{
	struct udp_socket *s;

	tb_sock(&P, "0.0.0.0", 5353, 941, 8109);
	tb_sock(&P, "::", 53, 942, 0);
	tb_sock(&C, "0.0.0.0", 5353, 941, 8109 + 96422)->rx_queue = 212992;
	tb_sock(&C, "::", 53, 942, 0);
	fx_run();
	ck_assert_ptr_null(fx_finding("rcvbuf-overflow"));
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 96422);
	tb_snmp_add(&C, UDP_IN_ERRORS, 96422);
	C.sysctl_have[SYSCTL_RMEM_DEFAULT] = false;
	s = &C.socks[1];
	s->drops = 4;
	fx_run();
	ck_assert_str_eq(fx_finding("rcvbuf-overflow"),
			 "48211 datagrams/s dropped on full receive buffers: "
			 "0.0.0.0:5353 inode 941 uid 105 queued 212992 B "
			 "rcvbuf unknown (48211 drops/s), [::]:53 inode 942 "
			 "uid 105 queued 0 B rcvbuf unknown (2 drops/s); "
			 "net.core.rmem_max = 212992, net.core.rmem_default "
			 "unknown");
}
END_TEST

/* ---- sockets from sock_diag: REUSEPORT groups ---- */

/* The four SO_REUSEPORT sockets of sockets/reuseport4-netns-k6.18.txt
 * (192.0.2.2:9999, rcvbuf 4096, pid 2657 udpsink) and its IPv6 socket. */
static void reuseport4(struct snapshot *s)
{
	s->have_sockdiag = true;
	for (uint64_t inode = 198740; inode >= 198737; inode--) {
		struct udp_socket *u = tb_sock(s, "192.0.2.2", 9999, inode, 0);

		u->uid = 0;
		u->have_rcvbuf = true;
		u->rcvbuf = 4096;
		u->pid = 2657;
		snprintf(u->comm, sizeof(u->comm), "udpsink");
	}
	tb_sock(s, "::", 5353, 198419, 0)->rcvbuf = 212992;
	s->socks[4].have_rcvbuf = true;
}

static struct udp_socket *sock_inode(struct snapshot *s, uint64_t inode)
{
	for (size_t i = 0; i < s->nsocks; i++)
		if (s->socks[i].inode == inode)
			return &s->socks[i];
	ck_abort_msg("no socket %llu", (unsigned long long)inode);
	return NULL;
}

static const struct socket_row *row_inode(uint64_t inode)
{
	for (size_t i = 0; i < D.nsocks; i++)
		if (D.socks[i].inode == inode)
			return &D.socks[i];
	ck_abort_msg("no row %llu", (unsigned long long)inode);
	return NULL;
}

#define REUSEPORT_TAIL "; no per-socket packet count exists, drops and " \
	"queue fill are the evidence; SO_REUSEPORT hashes source and " \
	"destination address and port, so one sender's source port always " \
	"lands on one socket: use more source ports or addresses, or steer " \
	"with SO_ATTACH_REUSEPORT_CBPF"

/* The capture's figures: one member took all 19996 drops. */
START_TEST(reuseport_by_drops)
{
	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->drops = 19996;
	sock_inode(&C, 198738)->rx_queue = 3328;
	fx_run();
	ck_assert_uint_eq(D.ngroups, 1);
	ck_assert_str_eq(D.groups[0].local, "192.0.2.2");
	ck_assert_uint_eq(D.groups[0].lport, 9999);
	ck_assert_uint_eq(D.groups[0].nmembers, 4);
	ck_assert_double_eq(D.groups[0].drops.v, 19996);
	ck_assert_double_eq(D.groups[0].drops_ps.v, 9998);
	ck_assert_uint_eq(D.groups[0].rx_queue, 3328);
	ck_assert(row_inode(198738)->in_group);
	ck_assert_double_eq(row_inode(198738)->drops_share.v, 1);
	ck_assert_double_eq(row_inode(198737)->drops_share.v, 0);
	ck_assert_double_eq(row_inode(198738)->fill.v, 3328.0 / 4096);
	ck_assert_int_eq(row_inode(198738)->pid, 2657);
	ck_assert(!row_inode(198419)->in_group);
	ck_assert(!row_inode(198419)->drops_share.known);
	ck_assert_str_eq(D.socket_source, "sock_diag");
	ck_assert_str_eq(fx_finding("reuseport-imbalance"),
			 "192.0.2.2:9999, 4 sockets share the port: inode "
			 "198738 pid 2657 (udpsink) takes 100% of the group's "
			 "9998 drops/s, its queue 81% full; the other 3: 0% of "
			 "the drops each, queues at most 0% full"
			 REUSEPORT_TAIL);
}
END_TEST

START_TEST(reuseport_even_spread)
{
	reuseport4(&P);
	reuseport4(&C);
	for (size_t i = 0; i < 4; i++)
		C.socks[i].drops = 5000;
	fx_run();
	ck_assert_uint_eq(D.ngroups, 1);
	ck_assert_double_eq(row_inode(198738)->drops_share.v, 0.25);
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
}
END_TEST

/* 60 % of the drops (4 members) and 10 drops/s are the thresholds. */
START_TEST(reuseport_thresholds)
{
	const uint64_t rest[3] = { 134, 134, 133 };

	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->drops = 599;
	for (size_t i = 0, k = 0; i < 4; i++)
		if (C.socks[i].inode != 198738)
			C.socks[i].drops = rest[k++];
	fx_run();
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
	sock_inode(&C, 198738)->drops = 600;
	sock_inode(&C, 198740)->drops = 133; /* 600 of 1000 */
	fx_run();
	ck_assert_ptr_nonnull(fx_finding("reuseport-imbalance"));
	for (size_t i = 0; i < 4; i++)
		C.socks[i].drops = 0;
	sock_inode(&C, 198738)->drops = 19; /* 9.5/s */
	fx_run();
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
}
END_TEST

/* No drops yet, but one member's queue fills while the others are empty. */
START_TEST(reuseport_by_fill)
{
	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->rx_queue = 3328;
	fx_run();
	ck_assert_str_eq(fx_finding("reuseport-imbalance"),
			 "192.0.2.2:9999, 4 sockets share the port: inode "
			 "198738 pid 2657 (udpsink) holds 100% of the group's "
			 "3328 queued bytes, its queue 81% full; the other 3: "
			 "queues at most 0% full" REUSEPORT_TAIL);
	sock_inode(&C, 198738)->rx_queue = 1664; /* 41 % full: not busy */
	fx_run();
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
	sock_inode(&C, 198738)->rx_queue = 3328;
	sock_inode(&C, 198740)->have_rcvbuf = false; /* /proc/net/udp row */
	fx_run();
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
}
END_TEST

/* Issue 15: the group drops, spread 50/25/25 (under the 60 % rule), while
 * one member's queue holds all the queued bytes at this instant: the drops
 * decide, no finding. Without drops the same queue is the finding. */
START_TEST(reuseport_fill_ignored_with_drops)
{
	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->drops = 40;
	sock_inode(&C, 198739)->drops = 20;
	sock_inode(&C, 198740)->drops = 20;
	sock_inode(&C, 198738)->rx_queue = 3328;
	fx_run();
	ck_assert_double_eq(D.groups[0].drops_ps.v, 40);
	ck_assert_ptr_null(fx_finding("reuseport-imbalance"));
	sock_inode(&C, 198739)->drops = 0;
	sock_inode(&C, 198740)->drops = 0;
	sock_inode(&C, 198738)->drops = 0;
	fx_run();
	ck_assert_ptr_nonnull(strstr(fx_finding("reuseport-imbalance"),
				     "holds 100% of the group's 3328 queued"));
}
END_TEST

/* Connected sockets and other families or addresses are no group. */
START_TEST(reuseport_group_members)
{
	reuseport4(&C);
	reuseport4(&P);
	snprintf(sock_inode(&C, 198737)->remote, 48, "192.0.2.1");
	sock_inode(&C, 198737)->rport = 40000;
	snprintf(sock_inode(&C, 198739)->local, 48, "0.0.0.0");
	tb_sock(&C, "::", 9999, 5001, 0);
	fx_run();
	ck_assert_uint_eq(D.ngroups, 1);
	ck_assert_uint_eq(D.groups[0].nmembers, 2);
	ck_assert(!row_inode(198737)->in_group);
	ck_assert(!row_inode(198739)->in_group);
	ck_assert(row_inode(198740)->in_group && row_inode(198738)->in_group);
	ck_assert(!row_inode(5001)->in_group);
}
END_TEST

START_TEST(rcvbuf_overflow_sockdiag)
{
	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->drops = 19996;
	sock_inode(&C, 198738)->rx_queue = 3328;
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 19996);
	tb_snmp_add(&C, UDP_IN_ERRORS, 19996);
	fx_run();
	ck_assert_str_eq(fx_finding("rcvbuf-overflow"),
			 "9998 datagrams/s dropped on full receive buffers: "
			 "192.0.2.2:9999 inode 198738 uid 0 pid 2657 (udpsink) "
			 "queued 3328 B of rcvbuf 4096 B, 81% full, SO_RCVBUF "
			 "can raise it to 425984 B = 2 x net.core.rmem_max "
			 "(9998 drops/s); net.core.rmem_max = 212992, "
			 "net.core.rmem_default = 212992");
	sock_inode(&C, 198738)->rcvbuf = 425984;
	sock_inode(&C, 198738)->pid = 0;
	fx_run();
	ck_assert_ptr_nonnull(strstr(fx_finding("rcvbuf-overflow"),
		"inode 198738 uid 0 queued 3328 B of rcvbuf 425984 B, 1% full, "
		"at the cap 2 x net.core.rmem_max (9998 drops/s)"));
}
END_TEST

/* Each finding fills the fields it knows, for the JSON report. */
static const struct finding_about *about(const char *id)
{
	const struct finding *f = diagnosis_finding(&D, id);

	ck_assert_msg(f != NULL, "no finding %s", id);
	return &f->about;
}

START_TEST(finding_about_fields)
{
	const struct finding_about *a;

	reuseport4(&P);
	reuseport4(&C);
	sock_inode(&C, 198738)->drops = 19996;
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 19996);
	tb_snmp_add(&C, UDP_IN_ERRORS, 19996);
	CDEV->rxq[4].packets += 102000;
	C.cpus[1].dropped += 2;
	C.cpus[3].dropped += 20;
	fx_run();
	a = about("rcvbuf-overflow");
	ck_assert(a->inode == 198738 && a->port == 9999);
	ck_assert_str_eq(a->local, "192.0.2.2");
	ck_assert(a->rate.known && a->rate.v == 9998);
	ck_assert_str_eq(a->setting, "rcvbuf");
	ck_assert(a->current.known && a->current.v == 4096);
	ck_assert(a->suggested.known && a->suggested.v == 425984);
	ck_assert(a->device[0] == '\0' && a->queue == -1 && a->cpu == -1);
	a = about("rss-imbalance");
	ck_assert_str_eq(a->device, "eth0");
	ck_assert(a->queue == 4 && a->rate.known && a->rate.v == 51000);
	ck_assert(a->inode == 0 && a->port == -1 && !a->current.known);
	a = about("backlog-drops");
	ck_assert(a->cpu == 3 && a->rate.known && a->rate.v == 11);
	ck_assert_str_eq(a->setting, "net.core.netdev_max_backlog");
	ck_assert(a->current.known && a->current.v == 1000);
	ck_assert(!a->suggested.known);
	/* At the cap: nothing to suggest. */
	sock_inode(&C, 198738)->rcvbuf = 425984;
	fx_run();
	a = about("rcvbuf-overflow");
	ck_assert(a->current.v == 425984 && !a->suggested.known);
}
END_TEST

START_TEST(socket_source)
{
	fx_run();
	ck_assert_ptr_null(D.socket_source);
	tb_sock(&P, "0.0.0.0", 5353, 941, 8109);
	tb_sock(&C, "0.0.0.0", 5353, 941, 8109);
	fx_run();
	ck_assert_str_eq(D.socket_source, "/proc/net/udp");
	ck_assert(!tb_has_note(&D, "UDP sockets from sock_diag in one "
				   "snapshot, /proc/net/udp in the other"));
	C.have_sockdiag = true;
	fx_run();
	ck_assert_str_eq(D.socket_source, "sock_diag");
	ck_assert(tb_has_note(&D, "UDP sockets from sock_diag in one "
				  "snapshot, /proc/net/udp in the other"));
}
END_TEST

START_TEST(queue_rows)
{
	CDEV->rxq[4].packets += 3000;
	CDEV->rxq[7].packets += 1000;
	CDEV->rxq[7].have_drops = PDEV->rxq[7].have_drops = true;
	CDEV->rxq[9].have_drops = PDEV->rxq[9].have_drops = true;
	CDEV->rxq[9].drops += 10;
	P.irqs[7].have_affinity = false;
	C.irqs[7].affinity[0] = 0x10f; /* CPUs 0-3,8 */
	fx_run();
	ck_assert_uint_eq(D.nqueues, 12);
	ck_assert_str_eq(D.queues[4].dev, "eth0");
	ck_assert_int_eq(D.queues[4].queue, 4);
	ck_assert_double_eq(D.queues[4].rx_pps.v, 1500);
	ck_assert_double_eq(D.queues[4].share.v, 0.75);
	ck_assert(!D.queues[4].drops_pps.known);
	ck_assert_int_eq(D.queues[4].irq, 44);
	ck_assert_str_eq(D.queues[4].cpus, "4");
	ck_assert_str_eq(D.queues[7].cpus, "0-3,8");
	ck_assert(!D.queues[4].idle && !D.queues[7].idle);
	ck_assert(D.queues[0].idle);
	ck_assert_double_eq(D.queues[9].drops_pps.v, 5);
	ck_assert(!D.queues[9].idle);
}
END_TEST

/* A reset queue counter makes the device total, and every share,
 * unknown rather than wrong. */
START_TEST(queue_reset_unknown_share)
{
	CDEV->rxq[4].packets += 3000;
	CDEV->rxq[5].packets = 0;
	fx_run();
	ck_assert(!D.queues[5].rx_pps.known);
	ck_assert(!D.queues[4].share.known);
	ck_assert(D.queues[5].idle);
	ck_assert_ptr_null(fx_finding("rss-imbalance"));
}
END_TEST

/* Issue 15: veth counts only XDP packets per queue, so its one queue has
 * a drop counter but no packet counter; the device received 20k pkt/s.
 * A queue with traffic is never idle: shown, its rate unknown. */
static void veth_queue(struct snapshot *s, uint64_t rx)
{
	struct device *v = tb_dev(s, "veth1", 1);

	v->rxq[0].have_drops = true;
	v->sys[SYS_RX_PACKETS] = rx;
}

START_TEST(queue_without_counter_on_busy_device)
{
	veth_queue(&P, 1000);
	veth_queue(&C, 1000 + 40000);
	fx_run();
	ck_assert_uint_eq(D.nqueues, 13);
	ck_assert_str_eq(D.queues[12].dev, "veth1");
	ck_assert(!D.queues[12].rx_pps.known);
	ck_assert(!D.queues[12].idle);
	snapshot_find_device(&C, "veth1")->sys[SYS_RX_PACKETS] = 1000;
	fx_run();
	ck_assert(D.queues[12].idle);
}
END_TEST

START_TEST(cpu_rows)
{
	C.cpus[1].net_rx += 200;
	C.cpus[3].softirq_ticks += 250;
	C.cpus[3].total_ticks += 1000;
	C.cpus[3].numa_node = 1;
	fx_run();
	ck_assert_uint_eq(D.ncpus, 5);
	ck_assert_double_eq(D.cpus[1].net_rx_ps.v, 100);
	ck_assert(!D.cpus[1].idle);
	ck_assert_double_eq(D.cpus[3].softirq_pct.v, 25);
	ck_assert_int_eq(D.cpus[3].numa_node, 1);
	ck_assert(!D.cpus[3].idle);
	ck_assert(D.cpus[0].idle);
	ck_assert(D.cpus[0].flow_limit_ps.known);
	/* sfc IRQs 40..51 are pinned to CPUs 0..4 */
	for (size_t i = 0; i < D.ncpus; i++)
		ck_assert(D.cpus[i].serves_rx_irq);
	for (size_t i = 0; i < C.nirqs; i++)
		C.irqs[i].affinity[0] &= ~(uint64_t)1;
	fx_run();
	ck_assert(!D.cpus[0].serves_rx_irq);
}
END_TEST

START_TEST(socket_rows)
{
	tb_sock(&P, "0.0.0.0", 5353, 941, 8109);
	tb_sock(&C, "0.0.0.0", 5353, 941, 8109 + 10);
	tb_sock(&C, "127.0.0.1", 9000, 5000, 0);
	tb_sock(&P, "::", 5353, 941, 7); /* another family, same inode */
	tb_sock(&C, "::", 5353, 941, 9);
	C.socks[1].rx_queue = 768;
	fx_run();
	ck_assert_uint_eq(D.nsocks, 3);
	ck_assert_double_eq(D.socks[0].drops.v, 10);
	ck_assert_double_eq(D.socks[0].drops_ps.v, 5);
	ck_assert_str_eq(D.socks[0].local, "0.0.0.0");
	ck_assert_uint_eq(D.socks[0].lport, 5353);
	ck_assert(!D.socks[0].idle);
	ck_assert(!D.socks[1].drops.known);  /* new socket */
	ck_assert_uint_eq(D.socks[1].rx_queue, 768);
	ck_assert(!D.socks[1].idle);
	ck_assert_double_eq(D.socks[2].drops.v, 2);
	C.socks[1].rx_queue = 0;
	fx_run();
	ck_assert(D.socks[1].idle);
}
END_TEST

START_TEST(device_rows)
{
	struct device *c = snapshot_find_device(&C, "eth0");

	c->ctrs[1].value += 3;  /* port_rx_dp_di_dropped_packets */
	tb_ctr(c, "rx_new_counter", 5, KIND_OTHER, -1);
	c->sys[SYS_RX_PACKETS] += 4000;
	c->numa_node = 0;
	fx_run();
	ck_assert_uint_eq(D.ndevs, 1);
	ck_assert_str_eq(D.devs[0].driver, "sfc");
	ck_assert_int_eq(D.devs[0].nrxq, 12);
	ck_assert_int_eq(D.devs[0].numa_node, 0);
	ck_assert_double_eq(D.devs[0].rx_pps.v, 2000);
	/* a counter of the later snapshot only has no rate: no row, a note */
	ck_assert_uint_eq(D.devs[0].nother, 1);
	ck_assert_str_eq(D.devs[0].other_names[0],
			 "port_rx_dp_di_dropped_packets");
	ck_assert_double_eq(D.devs[0].other_ps[0].v, 1.5);
	ck_assert(tb_has_note(&D, "eth0 changed its driver counters during "
			      "the interval (channels or features changed): 1 "
			      "came, 0 went, shown from the next interval"));
}
END_TEST

/* Issue 15: ethtool -L 1 -> 64 during the interval. The 63 new queues'
 * counters (8 each) are no rows of "?", and one note counts them; a
 * counter that went is counted too. Same layout: no note. */
START_TEST(counter_layout_change)
{
	struct device *p = snapshot_find_device(&P, "eth0");
	struct device *c = snapshot_find_device(&C, "eth0");
	size_t before = c->nctrs;
	char name[64];

	fx_run();
	ck_assert_uint_eq(D.nnotes, 0);
	tb_ctr(p, "rx_gone_counter", 7, KIND_OTHER, -1);
	for (int q = 1; q < 64; q++)
		for (int k = 0; k < 8; k++) {
			snprintf(name, sizeof(name), "rxq%d_stat%d", q, k);
			tb_ctr(c, name, 0, KIND_OTHER, q);
		}
	ck_assert_uint_eq(c->nctrs, before + 504);
	fx_run();
	for (size_t i = 0; i < D.devs[0].nother; i++)
		ck_assert_msg(D.devs[0].other_ps[i].known, "%s has no rate",
			      D.devs[0].other_names[i]);
	ck_assert_uint_eq(D.nnotes, 1);
	ck_assert_str_eq(D.notes[0], "eth0 changed its driver counters during "
			 "the interval (channels or features changed): 504 "
			 "came, 1 went, shown from the next interval");
}
END_TEST

/* Counters added after the common ones are looked up in the earlier
 * snapshot (one of them was already there, earlier in the list); the
 * same counters in another order are no change. */
START_TEST(counter_layout_tail_and_order)
{
	struct device *p = snapshot_find_device(&P, "eth0");
	struct device *c = snapshot_find_device(&C, "eth0");
	struct ethtool_counter t;

	ck_assert_uint_ge(c->nctrs, 2);
	t = c->ctrs[0];
	c->ctrs[0] = c->ctrs[1];
	c->ctrs[1] = t;
	fx_run();
	ck_assert_uint_eq(D.nnotes, 0);
	tb_ctr(c, "rxq9_new_a", 0, KIND_OTHER, 9);
	tb_ctr(c, p->ctrs[0].name, 0, KIND_OTHER, -1);
	tb_ctr(c, "rxq9_new_b", 0, KIND_OTHER, 9);
	fx_run();
	ck_assert_uint_eq(D.nnotes, 1);
	ck_assert_str_eq(D.notes[0], "eth0 changed its driver counters during "
			 "the interval (channels or features changed): 2 "
			 "came, 0 went, shown from the next interval");
}
END_TEST

/* How operstate and carrier make a link up, down or unknown. */
static const struct {
	const char *operstate;
	int carrier;
	enum link_state want;
} link_cases[] = {
	{ "up", 1, LINK_UP },
	{ "up", -1, LINK_UP },
	{ "up", 0, LINK_DOWN },
	{ "down", -1, LINK_DOWN },
	{ "down", 1, LINK_DOWN },
	{ "lowerlayerdown", 0, LINK_DOWN },
	{ "notpresent", -1, LINK_DOWN },
	{ "dormant", 1, LINK_DOWN },
	{ "testing", 1, LINK_DOWN },
	/* loopback and many virtual devices say "unknown" while working */
	{ "unknown", 1, LINK_UP },
	{ "unknown", -1, LINK_UNKNOWN },
	{ "unknown", 0, LINK_DOWN },
	/* a recording from before the link state */
	{ "", -1, LINK_UNKNOWN },
	{ "", 0, LINK_DOWN },
	{ "", 1, LINK_UP },
};

START_TEST(link_state_table)
{
	ck_assert_int_eq(diag_link_up(link_cases[_i].operstate,
				      link_cases[_i].carrier),
			 link_cases[_i].want);
}
END_TEST

static void set_link(struct device *d, const char *operstate, int carrier)
{
	snprintf(d->operstate, sizeof(d->operstate), "%s", operstate);
	d->carrier = carrier;
}

START_TEST(link_down)
{
	set_link(CDEV, "up", 1);
	fx_run();
	ck_assert_int_eq(D.devs[0].link, LINK_UP);
	ck_assert_ptr_null(diagnosis_finding(&D, "link-down"));
	set_link(CDEV, "unknown", -1);
	fx_run();
	ck_assert_int_eq(D.devs[0].link, LINK_UNKNOWN);
	ck_assert_ptr_null(diagnosis_finding(&D, "link-down"));
	/* Set down (IFF_UP clear), as the kernel says it. */
	set_link(CDEV, "down", -1);
	CDEV->admin_up = 0;
	fx_run();
	ck_assert_int_eq(D.devs[0].link, LINK_DOWN);
	ck_assert_int_eq(D.devs[0].admin, LINK_DOWN);
	ck_assert_str_eq(D.devs[0].operstate, "down");
	ck_assert_str_eq(fx_finding("link-down"),
			 "eth0 is down (set down, operstate down): it receives "
			 "nothing and counts no loss; ip link set eth0 up");
	/* Up, but no carrier (a veth whose peer is down). */
	set_link(CDEV, "down", 0);
	CDEV->admin_up = 1;
	fx_run();
	ck_assert_str_eq(fx_finding("link-down"),
			 "eth0 is down (operstate down, no carrier): it "
			 "receives nothing and counts no loss; check the "
			 "cable and the peer (the other end of a veth, the "
			 "switch port) or the device under eth0");
	/* A recording without admin_up: both fixes. */
	CDEV->admin_up = -1;
	fx_run();
	ck_assert_ptr_nonnull(strstr(fx_finding("link-down"),
				     "; ip link set eth0 up if it was set "
				     "down, else check the cable and the "
				     "peer"));
	/* Set down and never used (an idle ifb0 watched by default): shown
	 * down, not a finding. */
	set_link(CDEV, "down", -1);
	CDEV->admin_up = 0;
	PDEV->sys[SYS_RX_PACKETS] = CDEV->sys[SYS_RX_PACKETS] = 0;
	fx_run();
	ck_assert_int_eq(D.devs[0].link, LINK_DOWN);
	ck_assert(D.devs[0].link_unused);
	ck_assert_ptr_null(diagnosis_finding(&D, "link-down"));
	ck_assert_ptr_null(strstr(D.verdict.summary, "link down"));
	/* Without carrier it is not idle: the peer or the cable. */
	CDEV->admin_up = 1;
	set_link(CDEV, "down", 0);
	fx_run();
	ck_assert(!D.devs[0].link_unused);
	ck_assert_ptr_nonnull(diagnosis_finding(&D, "link-down"));
	/* IFF_UP clear is down whatever else was recorded. */
	set_link(CDEV, "", -1);
	CDEV->admin_up = 0;
	fx_run();
	ck_assert_int_eq(D.devs[0].link, LINK_DOWN);
	CDEV->admin_up = 1;
	set_link(CDEV, "lowerlayerdown", 0);
	fx_run();
	ck_assert_int_eq(D.devs[0].carrier, LINK_DOWN);
	ck_assert_str_eq(fx_finding("link-down"),
			 "eth0 is down (operstate lowerlayerdown, no carrier): "
			 "it receives nothing and counts no loss; check the "
			 "cable and the peer (the other end of a veth, the "
			 "switch port) or the device under eth0");
}
END_TEST

/* Nothing lost on a link that is down is not health: the verdict says
 * which link, with the fix as a hint. */
START_TEST(link_down_in_verdict)
{
	set_link(CDEV, "down", 0);
	CDEV->admin_up = 0;
	fx_run();
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
	ck_assert_ptr_nonnull(strstr(D.verdict.summary,
				     "; but link down: eth0"));
	ck_assert_uint_eq(D.verdict.nhints, 1);
	ck_assert_ptr_nonnull(strstr(D.verdict.hints[0],
				     "eth0 is down (see link-down): ip link "
				     "set eth0 up"));
	ck_assert_ptr_null(strstr(D.verdict.hints[0], "cable"));
}
END_TEST

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* name_key_cmp() orders names as strcmp does: names that end before,
 * at and after each word of the key, that differ there or only later,
 * and bytes above 0x7f; and sorting by it gives strcmp's order. */
START_TEST(name_key_cmp_is_strcmp)
{
	static const char *const names[] = {
		"", "a", "rx", "rx0", "rx0_byte", "rx0_bytes", "rx0_bytez",
		"rx1_bytes", "rx_queue", "rx_queue_", "rx_queue_0_bytes",
		"rx_queue_0_packet", "rx_queue_0_packets",
		"rx_queue_0_packets_x", "rx_queue_10_bytes",
		"rx_queue_1_bytes", "0123456789abcdef", "0123456789abcdeF",
		"0123456789abcdef0", "0123456789abcde", "0123456789abcdef\x80",
		"0123456789abcdef\x7f", "\xff", "\x80rx", "\x01", "zzzzzzzz",
		"zzzzzzzzz", "zzzzzzz", "[1]: rx_ucast_packets",
		"[1]: rx_ucast_packetz", "[10]: rx_ucast_packets",
	};
	size_t n = sizeof(names) / sizeof(names[0]);
	struct name_key keys[sizeof(names) / sizeof(names[0])];

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			struct name_key a = name_key(names[i], NULL);
			struct name_key b = name_key(names[j], NULL);

			ck_assert_msg(sign(name_key_cmp(&a, &b)) ==
				      sign(strcmp(names[i], names[j])),
				      "\"%s\" vs \"%s\"", names[i], names[j]);
		}
	for (size_t i = 0; i < n; i++)
		keys[i] = name_key(names[i], &names[i]);
	qsort(keys, n, sizeof(keys[0]), name_key_cmp);
	for (size_t i = 1; i < n; i++)
		ck_assert_int_lt(strcmp(keys[i - 1].name, keys[i].name), 0);
	for (size_t i = 0; i < n; i++) {
		struct name_key k = name_key(names[i], NULL);
		const struct name_key *hit = bsearch(&k, keys, n,
						     sizeof(keys[0]),
						     name_key_cmp);

		ck_assert_ptr_nonnull(hit);
		ck_assert_ptr_eq(hit->item, &names[i]);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("findings");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, rss_all_on_queue_4);
	tcase_add_loop_test(tc, link_state_table, 0,
			    (int)(sizeof(link_cases) / sizeof(link_cases[0])));
	tcase_add_test(tc, link_down);
	tcase_add_test(tc, link_down_in_verdict);
	tcase_add_test(tc, rss_names_hash_fields);
	tcase_add_test(tc, rss_names_indirection_table);
	tcase_add_test(tc, rss_below_rate);
	tcase_add_test(tc, rss_share_threshold);
	tcase_add_test(tc, rss_two_queues);
	tcase_add_test(tc, softirq_saturated);
	tcase_add_test(tc, backlog_drops);
	tcase_add_test(tc, time_squeeze);
	tcase_add_test(tc, no_listener);
	tcase_add_test(tc, rcvbuf_overflow);
	tcase_add_test(tc, reuseport_by_drops);
	tcase_add_test(tc, reuseport_even_spread);
	tcase_add_test(tc, reuseport_thresholds);
	tcase_add_test(tc, reuseport_by_fill);
	tcase_add_test(tc, reuseport_fill_ignored_with_drops);
	tcase_add_test(tc, reuseport_group_members);
	tcase_add_test(tc, rcvbuf_overflow_sockdiag);
	tcase_add_test(tc, finding_about_fields);
	tcase_add_test(tc, socket_source);
	tcase_add_test(tc, queue_rows);
	tcase_add_test(tc, queue_reset_unknown_share);
	tcase_add_test(tc, queue_without_counter_on_busy_device);
	tcase_add_test(tc, cpu_rows);
	tcase_add_test(tc, socket_rows);
	tcase_add_test(tc, device_rows);
	tcase_add_test(tc, counter_layout_change);
	tcase_add_test(tc, counter_layout_tail_and_order);
	tcase_add_test(tc, name_key_cmp_is_strcmp);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
