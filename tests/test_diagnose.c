/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss waterfall, the verdict and unknown propagation. Snapshots are
 * built in C (diagbuild.c) from the figures of the real captures; each test
 * adds its deltas to the later snapshot, 2 seconds after the first. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diagbuild.h"
#include "testutil.h"

#define T0 100.0
#define INTERVAL 2.0

static struct snapshot P, C;
static struct diagnosis D;

static void setup(void)
{
	tb_base(&P, T0);
	tb_base(&C, T0 + INTERVAL);
}

static void teardown(void)
{
	diagnosis_free(&D);
	snapshot_free(&P);
	snapshot_free(&C);
}

static void run(void)
{
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(D.interval_s == INTERVAL);
}

/* IP packets that went through the softirq of one CPU and were delivered
 * upward (the conservation rule of the ip stage holds). */
static void ip_packets(enum snmp_id id, uint64_t n)
{
	tb_snmp_add(&C, id, n);
	if (id == IP_IN_RECEIVES)
		tb_snmp_add(&C, IP_IN_DELIVERS, n);
	else if (id == IP6_IN_RECEIVES)
		tb_snmp_add(&C, IP6_IN_DELIVERS, n);
	C.cpus[2].processed += n;
}

static const struct stage_counter *counter(enum stage_id id, const char *n)
{
	const struct stage_counter *c = tb_counter(&D.stages[id], n);

	ck_assert_msg(c != NULL, "no counter %s in %s", n, stage_name(id));
	return c;
}

START_TEST(interval_not_positive)
{
	C.monotonic = P.monotonic;
	ck_assert_int_eq(diagnose(&P, &C, &D), -1);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
	diagnosis_free(&D);
	C.monotonic = P.monotonic - 1;
	ck_assert_int_eq(diagnose(&P, &C, &D), -1);
	diagnosis_free(&D);
	C.monotonic = NAN;
	ck_assert_int_eq(diagnose(&P, &C, &D), -1);
}
END_TEST

/* The flood the live test makes: a small SO_RCVBUF never read fast. */
START_TEST(socket_stage_rcvbuf)
{
	tb_sock(&P, "0.0.0.0", 5353, 941, 8109);
	tb_sock(&C, "0.0.0.0", 5353, 941, 8109 + 96422);
	ip_packets(IP_IN_RECEIVES, 196422);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 100000);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 96422);
	tb_snmp_add(&C, UDP_IN_ERRORS, 96422);
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_IP), 196422);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
	ck_assert_double_eq(tb_in(&D, STAGE_UDP), 196422);
	ck_assert_double_eq(tb_lost(&D, STAGE_UDP), 0);
	ck_assert_double_eq(tb_in(&D, STAGE_SOCKET), 196422);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOCKET), 96422);
	ck_assert_double_eq(D.stages[STAGE_SOCKET].lost_pps.v, 48211);
	ck_assert_double_eq(tb_in(&D, STAGE_APP), 100000);
	ck_assert_double_eq(tb_lost(&D, STAGE_APP), 0);
	ck_assert(D.unaccounted_pps.known && D.unaccounted_pps.v == 0);
	ck_assert_double_eq(D.total_lost_pps.v, 48211);
	ck_assert(counter(STAGE_SOCKET, "UdpRcvbufErrors")->is_loss);
	ck_assert_uint_eq(counter(STAGE_SOCKET, "UdpRcvbufErrors")->delta,
			  96422);
	ck_assert(!counter(STAGE_UDP, "UdpInErrors")->is_loss);
	ck_assert_uint_eq(counter(STAGE_UDP, "UdpInErrors-RcvbufErrors")->delta,
			  0);
	/* the 3.13 capture has no MemErrors column: not listed */
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_UDP], "UdpMemErrors"));
	ck_assert_ptr_nonnull(tb_counter(&D.stages[STAGE_UDP],
					 "UdpInCsumErrors"));
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	ck_assert_str_eq(D.verdict.summary,
			 "dropped because receive "
			 "buffers are full (RcvbufErrors)");
	/* 48211 lost per 50000 read: a reader too slow, not a burst */
	ck_assert_uint_eq(D.verdict.nhints, 2);
	ck_assert_str_eq(D.verdict.hints[0], "98211 datagrams/s arrive, "
			 "50000/s are read: the reader is too slow (steady "
			 "overload); rcvbuf-overflow names the sockets that "
			 "drop");
	ck_assert_ptr_nonnull(strstr(D.verdict.hints[1], "read faster: more "
				     "reader threads on SO_REUSEPORT"));
}
END_TEST

static bool any_hint(const char *part)
{
	for (size_t i = 0; i < D.verdict.nhints; i++)
		if (strstr(D.verdict.hints[i], part))
			return true;
	return false;
}

/* A dropping socket with sock_diag's rcvbuf; rmem_max 4 MB (issue 15). */
static struct udp_socket *sized_sock(struct snapshot *s, const char *local,
				     uint16_t port, uint64_t inode,
				     uint64_t drops, uint64_t rcvbuf)
{
	struct udp_socket *u = tb_sock(s, local, port, inode, drops);

	s->have_sockdiag = true;
	s->sysctl[SYSCTL_RMEM_MAX] = 4194304;
	u->have_rcvbuf = true;
	u->rcvbuf = rcvbuf;
	return u;
}

/* 1000 of 101000 datagrams lost: bursts. Each dropping socket gets the
 * knob that sets its buffer: the default one rmem_default, the one that
 * set SO_RCVBUF the application, and rmem_max only a socket at its
 * ceiling (212992 with rmem_max at 4 MB is not). */
START_TEST(socket_hints_bursts_per_socket)
{
	sized_sock(&P, "0.0.0.0", 5353, 941, 10, 212992);
	sized_sock(&C, "0.0.0.0", 5353, 941, 10 + 600, 212992);
	sized_sock(&P, "127.0.0.1", 9999, 942, 0, 4608);
	sized_sock(&C, "127.0.0.1", 9999, 942, 400, 4608);
	ip_packets(IP_IN_RECEIVES, 101000);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 100000);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 1000);
	tb_snmp_add(&C, UDP_IN_ERRORS, 1000);
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	ck_assert_uint_eq(D.verdict.nhints, 3);
	ck_assert_str_eq(D.verdict.hints[0], "50500 datagrams/s arrive, "
			 "50000/s are read: the readers keep up on average, "
			 "bursts overflow the buffer; rcvbuf-overflow names "
			 "the sockets that drop");
	ck_assert_str_eq(D.verdict.hints[1], "1 dropping socket set SO_RCVBUF "
			 "itself (127.0.0.1:9999: 4608 B): raise it in the "
			 "application, up to 2 x net.core.rmem_max = 8388608 B");
	ck_assert_str_eq(D.verdict.hints[2], "1 dropping socket did not set "
			 "SO_RCVBUF and got net.core.rmem_default (now 212992): "
			 "set SO_RCVBUF in the application, or sysctl -w "
			 "net.core.rmem_default=4194304");
	ck_assert(!any_hint("rmem_max="));
	C.socks[0].rcvbuf = 8388608;
	diagnosis_free(&D);
	run();
	ck_assert_uint_eq(D.verdict.nhints, 3);
	ck_assert_str_eq(D.verdict.hints[1], "sysctl -w net.core.rmem_max="
			 "26214400 (now 4194304): 0.0.0.0:5353 has 8388608 B, at "
			 "the ceiling 2 x net.core.rmem_max that SO_RCVBUF "
			 "cannot pass");
	ck_assert(!any_hint("rmem_default"));
}
END_TEST

/* Steady overload on 4 SO_REUSEPORT sockets: with 3 of 5 CPUs busy in
 * softirq the 4 readers outnumber the free CPUs, and the hint says so
 * instead of asking for more threads (million-packets step 3). */
START_TEST(socket_hints_threads_outnumber_cpus)
{
	for (uint64_t i = 0; i < 4; i++) {
		sized_sock(&P, "192.0.2.2", 9999, 500 + i, 0, 212992);
		sized_sock(&C, "192.0.2.2", 9999, 500 + i, 75000, 212992);
	}
	ip_packets(IP_IN_RECEIVES, 400000);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 100000);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 300000);
	tb_snmp_add(&C, UDP_IN_ERRORS, 300000);
	for (int cpu = 0; cpu < 3; cpu++) {
		C.cpus[cpu].softirq_ticks += 600;
		C.cpus[cpu].total_ticks += 1000;
	}
	run();
	ck_assert_uint_eq(D.ngroups, 1);
	ck_assert_str_eq(D.verdict.hints[0], "200000 datagrams/s arrive, "
			 "50000/s are read: the reader is too slow (steady "
			 "overload); rcvbuf-overflow names the sockets that "
			 "drop");
	ck_assert_str_eq(D.verdict.hints[1], "4 reader threads already "
			 "outnumber the 2 CPUs free of softirq work (of 5): "
			 "more threads will not help; make each read cheaper "
			 "(recvmmsg() batches, less work per datagram), or give "
			 "the readers more CPUs");
	ck_assert(!any_hint("SO_RCVBUF"));
	for (int cpu = 0; cpu < 3; cpu++)
		C.cpus[cpu].softirq_ticks -= 600;
	diagnosis_free(&D);
	run();
	ck_assert_ptr_nonnull(strstr(D.verdict.hints[1], "read faster: more "
				     "reader threads"));
}
END_TEST

/* Issue 15: 1000 datagrams to a closed port on loopback, and the 1000
 * ICMP port unreachables they caused came back as IP input: ip in is
 * twice udp in, and a note says why. Without the replies' count (or with
 * too few to account for the gap) no note. */
START_TEST(icmp_replies_on_loopback_note)
{
	const char *want = "ip in exceeds udp in by 500 pkt/s: this host "
			   "sent 500 ICMP destination unreachable/s "
			   "(IcmpOutDestUnreachs), replies to datagrams for "
			   "closed ports; sent to a local address they come "
			   "back (over loopback) as IP input for ICMP, not UDP";

	ip_packets(IP_IN_RECEIVES, 2000);
	tb_snmp_add(&C, UDP_NO_PORTS, 1000);
	tb_snmp(&P, ICMP_OUT_DEST_UNREACHS, 767590);
	tb_snmp(&C, ICMP_OUT_DEST_UNREACHS, 767590 + 1000);
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_IP), 2000);
	ck_assert_double_eq(tb_in(&D, STAGE_UDP), 1000);
	ck_assert(tb_has_note(&D, want));
	tb_snmp(&C, ICMP_OUT_DEST_UNREACHS, 767590 + 200);
	diagnosis_free(&D);
	run();
	ck_assert_uint_eq(D.nnotes, 0);
	C.snmp.have[ICMP_OUT_DEST_UNREACHS] = false;
	diagnosis_free(&D);
	run();
	ck_assert_uint_eq(D.nnotes, 0);
}
END_TEST

START_TEST(udp_stage_noports_and_csum)
{
	ip_packets(IP_IN_RECEIVES, 1050);
	tb_snmp_add(&C, UDP_NO_PORTS, 1000);
	tb_snmp_add(&C, UDP_IN_ERRORS, 50);
	tb_snmp_add(&C, UDP_IN_CSUM_ERRORS, 50);
	ip_packets(IP6_IN_RECEIVES, 10);
	tb_snmp_add(&C, UDP6_NO_PORTS, 10);
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_UDP), 1060);
	ck_assert_double_eq(tb_lost(&D, STAGE_UDP), 1060);
	/* counted in udp only, never again in socket */
	ck_assert_double_eq(tb_in(&D, STAGE_SOCKET), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOCKET), 0);
	ck_assert_double_eq(counter(STAGE_UDP, "UdpInCsumErrors")->per_s, 25);
	ck_assert(!counter(STAGE_UDP, "UdpInCsumErrors")->is_loss);
	ck_assert(counter(STAGE_UDP, "Udp6NoPorts")->is_loss);
	ck_assert_int_eq(D.verdict.stage, STAGE_UDP);
	ck_assert_str_eq(D.verdict.summary,
			 "dropped because no socket listens on "
			 "the destination port (NoPorts)");
	ck_assert_ptr_nonnull(strstr(D.verdict.hints[0], "NoPorts"));
	ck_assert_double_eq(D.total_lost_pps.v, 530);
}
END_TEST

/* InErrors holds RcvbufErrors and checksum errors: each goes to one stage. */
START_TEST(exactly_one_stage_per_drop)
{
	ip_packets(IP_IN_RECEIVES, 1370);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 1000);
	tb_snmp_add(&C, UDP_NO_PORTS, 20);
	tb_snmp_add(&C, UDP_IN_ERRORS, 350);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 300);
	tb_snmp_add(&C, UDP_IN_CSUM_ERRORS, 50);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_UDP), 70);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOCKET), 300);
	ck_assert_double_eq(D.total_lost_pps.v * INTERVAL, 20 + 350);
	ck_assert_double_eq(tb_in(&D, STAGE_SOCKET), 1300);
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	ck_assert(D.unaccounted_pps.known && D.unaccounted_pps.v == 0);
}
END_TEST

START_TEST(udp_checksum_summary)
{
	ip_packets(IP_IN_RECEIVES, 500);
	tb_snmp_add(&C, UDP_IN_ERRORS, 500);
	tb_snmp_add(&C, UDP_IN_CSUM_ERRORS, 500);
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_UDP);
	ck_assert_str_eq(D.verdict.summary,
			 "dropped with checksum, memory or "
			 "other errors (InErrors without RcvbufErrors)");
	ck_assert_ptr_null(diagnosis_finding(&D, "no-listener"));
}
END_TEST

START_TEST(ip_stage_v4_and_v6)
{
	ip_packets(IP_IN_RECEIVES, 20);
	tb_snmp_add(&C, IP_IN_ADDR_ERRORS, 20);
	ip_packets(IP6_IN_RECEIVES, 4);
	tb_snmp_add(&C, IP6_IN_NO_ROUTES, 4);
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_IP), 24);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 24);
	ck_assert(counter(STAGE_IP, "Ip6InNoRoutes")->is_loss);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	ck_assert_str_eq(D.verdict.summary, "discarded by the IP "
					    "layer (mostly IpInAddrErrors)");
	ck_assert(D.unaccounted_pps.known && D.unaccounted_pps.v == 0);
}
END_TEST

/* Without /proc/net/snmp6 the v6 part is left out, not made unknown; its
 * packets then show as unaccounted between softirq and ip. */
START_TEST(ip_stage_without_snmp6)
{
	ip_packets(IP_IN_RECEIVES, 20);
	tb_snmp_add(&C, IP_IN_ADDR_ERRORS, 20);
	ip_packets(IP6_IN_RECEIVES, 4);
	tb_snmp_add(&C, IP6_IN_NO_ROUTES, 4);
	P.have_snmp6 = C.have_snmp6 = false;
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 20);
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_IP], "Ip6InNoRoutes"));
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_UDP], "Udp6NoPorts"));
	ck_assert_double_eq(D.unaccounted_pps.v * INTERVAL, 4);
	ck_assert_uint_eq(D.nnotes, 0);
}
END_TEST

START_TEST(snmp6_in_one_snapshot_only)
{
	ip_packets(IP6_IN_RECEIVES, 4);
	C.have_snmp6 = false;
	run();
	ck_assert(tb_has_note(&D, "/proc/net/snmp6 read in only one "
				  "snapshot: IPv6 left out"));
	ck_assert_double_eq(tb_in(&D, STAGE_IP), 0);
}
END_TEST

START_TEST(softirq_stage_backlog)
{
	struct device *p = tb_sfc(&P), *c = tb_sfc(&C);

	(void)p;
	c->rxq[4].packets += 10000;
	c->sys[SYS_RX_PACKETS] += 10000;
	C.cpus[4].dropped += 0x2000;
	C.cpus[4].flow_limit += 0x10;
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_NIC), 10000);
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 0);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "sysfs");
	/* nic known: softirq sees what the NIC passed on */
	ck_assert_double_eq(tb_in(&D, STAGE_SOFTIRQ), 10000);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOFTIRQ), 0x2010);
	ck_assert(counter(STAGE_SOFTIRQ, "flow_limit_count")->is_loss);
	ck_assert(!counter(STAGE_SOFTIRQ, "time_squeeze")->is_loss);
	ck_assert_int_eq(D.verdict.stage, STAGE_SOFTIRQ);
	ck_assert_str_eq(D.verdict.summary,
			 "dropped because per-CPU backlog "
			 "queues are full (softnet dropped)");
	ck_assert_str_eq(D.verdict.hints[0],
			 "sysctl -w net.core.netdev_max_backlog=2000 "
			 "(now 1000)");
	ck_assert_ptr_nonnull(strstr(D.verdict.hints[2], "netdev_budget=600 "
						      "(now 300)"));
}
END_TEST

START_TEST(softnet_wrap_is_a_delta)
{
	P.cpus[4].dropped = 0xfffffff0u;
	C.cpus[4].dropped = 0x10;
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_SOFTIRQ), 0x20);
	ck_assert_double_eq(D.cpus[4].dropped_ps.v, 16);
	ck_assert_int_eq(D.verdict.stage, STAGE_SOFTIRQ);
}
END_TEST

/* A big backwards jump is a reset: unknown, and never the verdict even
 * though a huge number would otherwise win. */
START_TEST(softnet_reset_is_unknown)
{
	C.cpus[4].dropped = 0x10;
	tb_snmp_add(&C, UDP_IN_ERRORS, 10);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 10);
	ip_packets(IP_IN_RECEIVES, 10);
	run();
	ck_assert(!D.stages[STAGE_SOFTIRQ].lost.known);
	ck_assert(!D.stages[STAGE_SOFTIRQ].lost_pps.known);
	ck_assert(!counter(STAGE_SOFTIRQ, "dropped")->known);
	ck_assert(!D.cpus[4].dropped_ps.known);
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	ck_assert_double_eq(D.total_lost_pps.v, 5);
	/* softirq.out unknown: only the socket→app gap is known */
	ck_assert(D.unaccounted_pps.known);
}
END_TEST

/* eth1 (bnxt_en style per-ring rx_discards from ethtool-S/bnxt_en-ethq.txt)
 * has three counters for the same drops; eth2 only per-queue drops. */
static void nic_devices(struct snapshot *s, bool later)
{
	struct device *e1, *e2;

	tb_dev(s, "eth1", 12);
	e2 = tb_dev(s, "eth2", 2);
	e1 = snapshot_find_device(s, "eth1"); /* devs[] moved */

	for (int q = 0; q < 12; q++)
		tb_queue(e1, q, 10198513532ULL, 9244693 + 100000 * q, true);
	e1->have_nic_drops = true;
	e1->channels_combined = 12;
	e1->channels_max_combined = 32;
	tb_queue(e2, 0, 1000, 5, true);
	tb_queue(e2, 1, 1000, 5, true);
	if (!later)
		return;
	e1->sys[SYS_RX_PACKETS] += 5000;
	e1->sys[SYS_RX_MISSED_ERRORS] += 100;
	e1->sys[SYS_RX_DROPPED] += 99999;  /* includes backlog: never used */
	e1->nic_drops += 250;
	e1->rxq[0].drops += 120;
	e1->rxq[3].drops += 80;
	e2->sys[SYS_RX_PACKETS] += 3000;
	e2->sys[SYS_RX_MISSED_ERRORS] += 10;
	e2->rxq[1].drops += 400;
}

START_TEST(nic_takes_the_largest_counter)
{
	nic_devices(&P, false);
	nic_devices(&C, true);
	C.cpus[0].processed += 8000;
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 250 + 400);
	ck_assert_double_eq(tb_in(&D, STAGE_NIC), 8000 + 650);
	ck_assert_double_eq(tb_in(&D, STAGE_SOFTIRQ), 8000);
	ck_assert_uint_eq(D.ndevs, 2);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "ethtool -S");
	ck_assert_double_eq(D.devs[0].nic_lost_pps.v, 125);
	ck_assert_str_eq(D.devs[1].nic_loss_source, "ethtool -S per-queue");
	ck_assert_double_eq(D.devs[1].rx_pps.v, 1500);
	ck_assert_uint_eq(counter(STAGE_NIC, "rx_missed_errors")->delta, 110);
	ck_assert(!counter(STAGE_NIC, "rx_missed_errors")->is_loss);
	ck_assert(counter(STAGE_NIC, "driver rx drops")->is_loss);
	ck_assert_uint_eq(counter(STAGE_NIC, "per-queue rx drops")->delta, 600);
	ck_assert_int_eq(D.verdict.stage, STAGE_NIC);
	ck_assert_str_eq(D.verdict.summary,
			 "dropped by the NIC or its driver "
			 "before the kernel saw them (eth2: ethtool -S "
			 "per-queue)");
	ck_assert_str_eq(D.verdict.hints[1], "eth1: use more RX queues: "
					     "ethtool -L eth1 combined N "
					     "(now 12, max 32)");
}
END_TEST

START_TEST(nic_sysfs_only)
{
	struct device *c;

	tb_dev(&P, "eth3", 0);
	c = tb_dev(&C, "eth3", 0);
	c->sys[SYS_RX_FIFO_ERRORS] += 7;
	c->sys[SYS_RX_OVER_ERRORS] += 1;
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 8);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "sysfs");
	ck_assert(counter(STAGE_NIC, "rx_fifo_errors")->is_loss);
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_NIC], "driver rx drops"));
}
END_TEST

/* No counter for a device's NIC loss: the stage is unknown, not zero. */
START_TEST(nic_unknown_propagates)
{
	struct device *c;

	tb_dev(&P, "eth3", 0);
	c = tb_dev(&C, "eth3", 0);
	c->sys_have[SYS_RX_MISSED_ERRORS] = false;
	C.cpus[1].processed += 300;
	run();
	ck_assert(!D.stages[STAGE_NIC].lost.known);
	ck_assert(!D.stages[STAGE_NIC].in_pps.known);
	ck_assert_ptr_null(D.devs[0].nic_loss_source);
	ck_assert(!counter(STAGE_NIC, "rx_missed_errors")->known);
	ck_assert_double_eq(tb_in(&D, STAGE_SOFTIRQ), 300);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
}
END_TEST

START_TEST(no_device_leaves_nic_unknown)
{
	C.cpus[0].processed += 1234;
	run();
	ck_assert(!D.stages[STAGE_NIC].in_pps.known);
	ck_assert_int_eq(D.stages[STAGE_NIC].ncounters, 0);
	ck_assert_double_eq(tb_in(&D, STAGE_SOFTIRQ), 1234);
	ck_assert_double_eq(D.unaccounted_pps.v * INTERVAL, 1234);
}
END_TEST

START_TEST(device_vanishes_and_appears)
{
	tb_sfc(&P);
	tb_sfc(&C);
	tb_dev(&P, "eth1", 4);
	tb_dev(&C, "eth2", 4);
	snapshot_note(&P, "ethtool -S eth0: no such device");
	snapshot_note(&C, "ethtool -S eth0: no such device");
	run();
	ck_assert_uint_eq(D.ndevs, 1);
	ck_assert_str_eq(D.devs[0].name, "eth0");
	ck_assert_uint_eq(D.nqueues, 12);
	ck_assert_uint_eq(D.nnotes, 3);
	ck_assert_str_eq(D.notes[0], "ethtool -S eth0: no such device");
	ck_assert(tb_has_note(&D, "device eth1 vanished"));
	ck_assert(tb_has_note(&D, "device eth2 appeared"));
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 0);
}
END_TEST

/* The snapshots' notes are kept once each, in the order first seen,
 * however many there are (diag_notes.c hashes them into a set): the
 * same text in both snapshots, repeated within one, texts of one length
 * differing in a byte of one word. */
#define NOTE_FMT "/proc/interrupts: line %04d: bad"

START_TEST(notes_once_each_in_order)
{
	static char want[210][48];
	size_t nwant = 0;

	for (int i = 0; i < 200; i++) {
		snapshot_note(&C, NOTE_FMT, i);
		if (i % 3 == 0)
			snapshot_note(&P, NOTE_FMT, i);
		if (i % 7 == 0)
			snapshot_note(&C, NOTE_FMT, i);
	}
	snapshot_note(&P, "x");
	snapshot_note(&C, "y");
	snapshot_note(&C, "x");
	/* P's notes first, then those of C not seen before. */
	for (int i = 0; i < 200; i += 3)
		snprintf(want[nwant++], sizeof(want[0]), NOTE_FMT, i);
	snprintf(want[nwant++], sizeof(want[0]), "x");
	for (int i = 0; i < 200; i++)
		if (i % 3)
			snprintf(want[nwant++], sizeof(want[0]), NOTE_FMT, i);
	snprintf(want[nwant++], sizeof(want[0]), "y");
	run();
	ck_assert_uint_eq(D.nnotes, nwant);
	for (size_t i = 0; i < nwant; i++)
		ck_assert_str_eq(D.notes[i], want[i]);
}
END_TEST

START_TEST(cpu_disappears)
{
	struct cpu_stat *gone = &C.cpus[3];

	gone->have_softnet = gone->have_net_rx = gone->have_times = false;
	C.cpus[1].dropped += 6;
	P.cpus[3].dropped = 0;      /* ignored: CPU 3 is offline now */
	tb_cpu(&C, 5, 10, 10, 0);   /* came online: no row */
	run();
	ck_assert_uint_eq(D.ncpus, 4);
	ck_assert_int_eq(D.cpus[3].cpu, 4);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOFTIRQ), 6);
	C.ncpus = 2;                /* fewer CPU slots altogether */
	diagnosis_free(&D);
	run();
	ck_assert_uint_eq(D.ncpus, 2);
	ck_assert_double_eq(tb_lost(&D, STAGE_SOFTIRQ), 6);
}
END_TEST

START_TEST(missing_counter_propagates)
{
	tb_snmp_drop(&C, UDP_RCVBUF_ERRORS);
	ip_packets(IP_IN_RECEIVES, 5);
	tb_snmp_add(&C, IP_IN_DISCARDS, 5);
	run();
	ck_assert(!D.stages[STAGE_UDP].lost.known);
	ck_assert(!D.stages[STAGE_SOCKET].lost.known);
	ck_assert(!D.stages[STAGE_SOCKET].in_pps.known);
	ck_assert(D.stages[STAGE_UDP].in_pps.known);
	ck_assert(D.stages[STAGE_APP].in_pps.known);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	ck_assert_double_eq(D.total_lost_pps.v, 2.5);
	/* socket.out unknown, softirq→ip gap still shown */
	ck_assert(D.unaccounted_pps.known && D.unaccounted_pps.v == 0);
}
END_TEST

START_TEST(backwards_counter_is_unknown)
{
	C.snmp.v[IP_IN_RECEIVES] = 1000; /* reset: far below 54412186 */
	run();
	ck_assert(!D.stages[STAGE_IP].in_pps.known);
	ck_assert(!counter(STAGE_IP, "IpInReceives")->known);
	/* without its input the ip remainder, hence its loss, is unknown */
	ck_assert(!D.stages[STAGE_IP].lost.known);
	ck_assert(D.unaccounted_pps.known && D.unaccounted_pps.v == 0);
}
END_TEST

START_TEST(no_snmp_at_all)
{
	C.have_snmp = C.have_snmp6 = false;
	run();
	for (int i = STAGE_IP; i <= STAGE_APP; i++)
		ck_assert(!D.stages[i].lost_pps.known);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
	ck_assert_str_eq(D.verdict.summary,
			 "no packet loss counted over 2.0 s (unknown: "
			 "nic, ip, netfilter, udp, socket, app)");
	ck_assert(!D.unaccounted_pps.known);
}
END_TEST

START_TEST(verdict_none)
{
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
	ck_assert_str_eq(stage_name(D.verdict.stage), "none");
	ck_assert_str_eq(D.verdict.summary, "no packet loss counted "
					    "over 2.0 s (unknown: nic, netfilter)");
	ck_assert(D.verdict.lost_pps.known && D.verdict.lost_pps.v == 0);
	ck_assert_uint_eq(D.verdict.nhints, 0);
	ck_assert_uint_eq(D.nfindings, 0);
	for (int i = 0; i < STAGE_N; i++)
		ck_assert_int_eq(D.stages[i].id, i);
	ck_assert_str_eq(stage_name(STAGE_APP), "app");
}
END_TEST

/* Ties go to the earlier stage; the largest rate wins otherwise. */
START_TEST(verdict_largest_stage)
{
	ip_packets(IP_IN_RECEIVES, 300);
	tb_snmp_add(&C, IP_IN_HDR_ERRORS, 100);
	tb_snmp_add(&C, UDP_NO_PORTS, 100);
	tb_snmp_add(&C, UDP_IN_ERRORS, 101);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 101);
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	tb_snmp_add(&C, UDP_NO_PORTS, 1);
	diagnosis_free(&D);
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_UDP);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diagnose");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, interval_not_positive);
	tcase_add_test(tc, notes_once_each_in_order);
	tcase_add_test(tc, socket_stage_rcvbuf);
	tcase_add_test(tc, socket_hints_bursts_per_socket);
	tcase_add_test(tc, socket_hints_threads_outnumber_cpus);
	tcase_add_test(tc, udp_stage_noports_and_csum);
	tcase_add_test(tc, icmp_replies_on_loopback_note);
	tcase_add_test(tc, exactly_one_stage_per_drop);
	tcase_add_test(tc, udp_checksum_summary);
	tcase_add_test(tc, ip_stage_v4_and_v6);
	tcase_add_test(tc, ip_stage_without_snmp6);
	tcase_add_test(tc, snmp6_in_one_snapshot_only);
	tcase_add_test(tc, softirq_stage_backlog);
	tcase_add_test(tc, softnet_wrap_is_a_delta);
	tcase_add_test(tc, softnet_reset_is_unknown);
	tcase_add_test(tc, nic_takes_the_largest_counter);
	tcase_add_test(tc, nic_sysfs_only);
	tcase_add_test(tc, nic_unknown_propagates);
	tcase_add_test(tc, no_device_leaves_nic_unknown);
	tcase_add_test(tc, device_vanishes_and_appears);
	tcase_add_test(tc, cpu_disappears);
	tcase_add_test(tc, missing_counter_propagates);
	tcase_add_test(tc, backwards_counter_is_unknown);
	tcase_add_test(tc, no_snmp_at_all);
	tcase_add_test(tc, verdict_none);
	tcase_add_test(tc, verdict_largest_stage);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
