/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in receiver in the diagnosis (app stage, thread rows, the
 * numa-mismatch and irq-cpu-shared findings) and the default placement,
 * on snapshots built in C. Thread baselines are thread 0 and 1 of
 * receiver/loopback-2threads.rec; eth0 is the sfc capture (diagbuild). */
#include "config.h"

#include <string.h>

#include "diagbuild.h"
#include "placement.h"
#include "testutil.h"

#define T0 100.0
#define INTERVAL 2.0

static struct snapshot P, C;
static struct diagnosis D;

static struct receiver_thread *rx_thread(struct snapshot *s, int id,
					 uint64_t packets, uint64_t calls,
					 uint64_t full, int cpu, int node)
{
	struct receiver_state *r = &s->receiver;
	struct receiver_thread *t;

	r->present = true;
	strcpy(r->addr, "127.0.0.1:60137");
	r->batch = 64;
	r->reuseport = 1;
	r->rcvbuf = 212992;
	r->busy_poll = 0;
	r->threads = xrealloc(r->threads,
			      (r->nthreads + 1) * sizeof(*r->threads));
	t = &r->threads[r->nthreads++];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->have_packets = t->have_bytes = t->have_calls = t->have_full = true;
	t->packets = packets;
	t->bytes = packets * 32;
	t->calls = calls;
	t->full = full;
	t->cpu = cpu;
	t->node = node;
	return t;
}

/* Both snapshots: base figures, the recorded threads; the later one has
 * read 60000 and 40000 more datagrams (30000 and 20000 pkt/s). */
static void setup(void)
{
	tb_base(&P, T0);
	tb_base(&C, T0 + INTERVAL);
	rx_thread(&P, 0, 77108, 16883, 233, 0, 0);
	rx_thread(&P, 1, 77127, 17097, 224, 1, 0);
	rx_thread(&C, 0, 77108 + 60000, 16883 + 1000, 233 + 500, 0, 0);
	rx_thread(&C, 1, 77127 + 40000, 17097 + 4000, 224, 1, 0);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 100000);
}

static void teardown(void)
{
	diagnosis_free(&D);
	snapshot_free(&P);
	snapshot_free(&C);
}

static void run(void)
{
	diagnosis_free(&D);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
}

static const char *finding(const char *id)
{
	const struct finding *f = diagnosis_finding(&D, id);

	return f ? f->detail : NULL;
}

START_TEST(app_stage_is_the_receiver)
{
	const struct stage_counter *c;

	run();
	ck_assert(D.stages[STAGE_APP].in_pps.known);
	ck_assert_double_eq(D.stages[STAGE_APP].in_pps.v, 50000);
	ck_assert_double_eq(tb_lost(&D, STAGE_APP), 0);
	c = tb_counter(&D.stages[STAGE_APP], "receiver packets");
	ck_assert(c && c->known && !c->is_loss);
	ck_assert_uint_eq(c->delta, 100000);
	c = tb_counter(&D.stages[STAGE_APP], "UdpInDatagrams");
	ck_assert(c && c->known);
	ck_assert_uint_eq(c->delta, 100000);
	ck_assert(D.unaccounted_pps.known);
	ck_assert_double_eq(D.unaccounted_pps.v, 0);
}
END_TEST

/* The receiver read its 100000 datagrams while lost datagrams arrived
 * too: its own options are the knobs the hint names (issue 15). */
static void receiver_lost(uint64_t lost)
{
	tb_snmp_add(&C, IP_IN_RECEIVES, 100000 + lost);
	tb_snmp_add(&C, IP_IN_DELIVERS, 100000 + lost);
	C.cpus[2].processed += 100000 + lost;
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, lost);
	tb_snmp_add(&C, UDP_IN_ERRORS, lost);
}

static bool any_hint(const char *text)
{
	for (size_t i = 0; i < D.verdict.nhints; i++)
		if (strcmp(D.verdict.hints[i], text) == 0)
			return true;
	return false;
}

START_TEST(receiver_hint_names_its_options)
{
	receiver_lost(2000);
	run();
	ck_assert_int_eq(D.verdict.stage, STAGE_SOCKET);
	ck_assert(any_hint("droptop's receiver: --rcvbuf BYTES (now 212992), "
			   "--threads N (now 2)"));
	teardown();
	setup();
	receiver_lost(200000);
	run();
	ck_assert(any_hint("droptop's receiver: --threads N (now 2), --batch "
			   "N, --cpus LIST; --rcvbuf BYTES (now 212992) only "
			   "absorbs bursts"));
	/* 4 of the 5 CPUs busy in softirq: 2 threads have the only one */
	for (int cpu = 0; cpu < 4; cpu++) {
		C.cpus[cpu].softirq_ticks += 600;
		C.cpus[cpu].total_ticks += 1000;
	}
	run();
	ck_assert(any_hint("droptop's receiver: --threads N (now 2, no more "
			   "than the 1 free CPU), --batch N, --cpus LIST; "
			   "--rcvbuf BYTES (now 212992) only absorbs bursts"));
}
END_TEST

/* Another program read 2000 datagrams: they are not the receiver's, and
 * the waterfall shows them as unaccounted rather than hide them. */
START_TEST(other_readers_are_unaccounted)
{
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 2000);
	run();
	ck_assert_double_eq(D.stages[STAGE_APP].in_pps.v, 50000);
	ck_assert_double_eq(D.unaccounted_pps.v, 1000);
}
END_TEST

/* A thread in one snapshot only: the sum is unknown, never short. */
START_TEST(thread_in_one_snapshot_unknown)
{
	rx_thread(&C, 2, 5, 1, 0, 2, 0);
	run();
	ck_assert(!D.stages[STAGE_APP].in_pps.known);
	ck_assert(D.receiver.present);
	ck_assert_uint_eq(D.receiver.nthreads, 3);
	ck_assert(!D.receiver.threads[2].pps.known);
}
END_TEST

/* Without the receiver in both snapshots, app is Udp InDatagrams. */
START_TEST(without_receiver_app_is_indatagrams)
{
	P.receiver.present = false;
	run();
	ck_assert(!D.receiver.present);
	ck_assert_double_eq(D.stages[STAGE_APP].in_pps.v, 50000);
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_APP],
				      "receiver packets"));
}
END_TEST

START_TEST(thread_rows)
{
	const struct receiver_row *t0, *t1;

	C.receiver.threads[1].node = -1;  /* node from its CPU's row */
	C.cpus[1].numa_node = 0;
	run();
	ck_assert_uint_eq(D.receiver.nthreads, 2);
	ck_assert_str_eq(D.receiver.addr, "127.0.0.1:60137");
	ck_assert_int_eq(D.receiver.batch, 64);
	ck_assert_double_eq(D.receiver.pps.v, 50000);
	t0 = &D.receiver.threads[0];
	t1 = &D.receiver.threads[1];
	ck_assert_double_eq(t0->pps.v, 30000);
	ck_assert_double_eq(t0->bytes_ps.v, 960000);
	ck_assert_double_eq(t0->avg_batch.v, 60);
	ck_assert_double_eq(t0->full_pct.v, 50);
	ck_assert_double_eq(t1->avg_batch.v, 10);
	ck_assert_double_eq(t1->full_pct.v, 0);
	ck_assert_int_eq(t1->cpu, 1);
	ck_assert_int_eq(t1->node, 0);
	ck_assert(!t0->idle);
}
END_TEST

/* eth0 (sfc) on node 0 with 2000 rx pkt/s; nodes 0 = CPUs 0-1 and
 * 1 = CPUs 2-4. */
static void numa_host(int nic_node)
{
	struct snapshot *both[2] = { &P, &C };

	for (int i = 0; i < 2; i++) {
		struct snapshot *s = both[i];
		struct device *d = tb_sfc(s);

		d->numa_node = nic_node;
		s->nodes = xcalloc(2, sizeof(*s->nodes));
		s->nnodes = 2;
		s->nodes[0].node = 0;
		cpulist_parse("0-1", s->nodes[0].cpus, MAX_CPUS);
		s->nodes[1].node = 1;
		cpulist_parse("2-4", s->nodes[1].cpus, MAX_CPUS);
	}
	snapshot_find_device(&C, "eth0")->sys[SYS_RX_PACKETS] += 4000;
}

START_TEST(numa_mismatch_found)
{
	numa_host(0);
	C.receiver.threads[1].cpu = 3;
	C.receiver.threads[1].node = 1;
	run();
	ck_assert_str_eq(finding("numa-mismatch"),
			 "receiver thread 1 on CPU 3 (node 1); eth0 is on "
			 "node 0 (CPUs 0-1): pin the receiver there with "
			 "--cpus 0-1");
}
END_TEST

static void reset(void)
{
	teardown();
	setup();
}

START_TEST(numa_mismatch_needs_it_all)
{
	numa_host(0);
	run();
	ck_assert_ptr_null(finding("numa-mismatch"));   /* same node */
	reset();
	numa_host(1);
	C.receiver.threads[0].packets = P.receiver.threads[0].packets;
	C.receiver.threads[1].packets = P.receiver.threads[1].packets;
	run();
	ck_assert_ptr_null(finding("numa-mismatch"));   /* idle threads */
	reset();
	numa_host(-1);
	C.receiver.threads[0].node = 1;
	run();
	ck_assert_ptr_null(finding("numa-mismatch"));   /* NIC node unknown */
	reset();
	numa_host(1);
	run();   /* both threads on node 0, eth0 on node 1 */
	ck_assert_str_eq(finding("numa-mismatch"),
			 "receiver thread 0 on CPU 0 (node 0), receiver thread "
			 "1 on CPU 1 (node 0); eth0 is on node 1 (CPUs 2-4): "
			 "pin the receiver there with --cpus 2-4");
}
END_TEST

/* Queue 4's IRQ 44 is pinned to CPU 4 (q % 5) and the queue received. */
START_TEST(irq_cpu_shared_found)
{
	numa_host(0);
	snapshot_find_device(&C, "eth0")->rxq[4].packets += 4000;
	C.receiver.threads[0].cpu = 4;
	run();
	ck_assert_str_eq(finding("irq-cpu-shared"),
			 "receiver thread 0 on CPU 4, which serves RX IRQ 44 "
			 "(eth0 queue 4); pin the receiver to other CPUs "
			 "(--cpus) or move the IRQ "
			 "(/proc/irq/N/smp_affinity_list)");
}
END_TEST

START_TEST(irq_cpu_shared_not_for_idle_or_wide)
{
	numa_host(0);
	C.receiver.threads[0].cpu = 4;
	run();   /* queue 4 idle over the interval */
	ck_assert_ptr_null(finding("irq-cpu-shared"));
	snapshot_find_device(&C, "eth0")->rxq[4].packets += 4000;
	for (size_t i = 0; i < C.nirqs; i++)
		if (C.irqs[i].irq == 44)
			cpulist_parse("0-4", C.irqs[i].affinity, MAX_CPUS);
	run();   /* an affinity spanning every CPU says nothing */
	ck_assert_ptr_null(finding("irq-cpu-shared"));
}
END_TEST

/* Placement from one snapshot: eth0 on node 1 (CPUs 2-4), its queues 3
 * and 4 have received (IRQs on CPUs 3 and 4): CPU 2 is left. */
START_TEST(placement_node_minus_irq_cpus)
{
	uint64_t allowed[CPU_WORDS] = { 0x1f }, node1[CPU_WORDS] = { 0x1c };
	struct device *d;
	struct placement p;
	struct strbuf sb;

	d = tb_sfc(&C);
	d->numa_node = 1;
	for (int q = 0; q < 12; q++)
		d->rxq[q].packets = q == 3 || q == 4 ? 100 : 0;
	placement_plan(&C, allowed, node1, &p);
	ck_assert(p.constrained);
	ck_assert_uint_eq(p.cpus[0], 0x4);
	ck_assert_uint_eq(p.avoided[0], 0x18);
	sb_init(&sb);
	placement_describe(&p, &sb);
	ck_assert_str_eq(sb.s, "placement: eth0, CPUs 2 (NUMA node 1), "
			       "avoiding CPUs 3-4 of its busy RX IRQs\n");
	/* Every queue busy: IRQs on CPUs 0-4 cover the node; not avoided. */
	for (int q = 0; q < 12; q++)
		d->rxq[q].packets = 1;
	placement_plan(&C, allowed, node1, &p);
	ck_assert(p.avoid_skipped);
	ck_assert_uint_eq(p.cpus[0], 0x1c);
	/* No NUMA (built without libnuma): all allowed CPUs minus IRQs. */
	placement_plan(&C, allowed, NULL, &p);
	ck_assert_int_eq(p.node, -1);
	ck_assert(p.avoid_skipped);
	ck_assert(!p.constrained);
	sb_free(&sb);
}
END_TEST

START_TEST(placement_without_nic)
{
	uint64_t allowed[CPU_WORDS] = { 0x3 };
	struct placement p;

	placement_plan(&C, allowed, NULL, &p);
	ck_assert(!p.constrained);
	ck_assert_str_eq(p.nic, "");
	ck_assert_uint_eq(p.cpus[0], 0x3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("receiver_diag");
	TCase *tc = tcase_create("receiver_diag");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, app_stage_is_the_receiver);
	tcase_add_test(tc, receiver_hint_names_its_options);
	tcase_add_test(tc, other_readers_are_unaccounted);
	tcase_add_test(tc, thread_in_one_snapshot_unknown);
	tcase_add_test(tc, without_receiver_app_is_indatagrams);
	tcase_add_test(tc, thread_rows);
	tcase_add_test(tc, numa_mismatch_found);
	tcase_add_test(tc, numa_mismatch_needs_it_all);
	tcase_add_test(tc, irq_cpu_shared_found);
	tcase_add_test(tc, irq_cpu_shared_not_for_idle_or_wide);
	tcase_add_test(tc, placement_node_minus_irq_cpus);
	tcase_add_test(tc, placement_without_nic);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
