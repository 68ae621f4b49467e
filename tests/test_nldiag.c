/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The judgement the netlink sources enable, on built snapshots (eth0 of
 * the sfc capture, see diagbuild.h): qstats and eth-mac drops in the NIC
 * stage's max() rule, ring-small, irq-cpu, and the rows' source fields. */
#include "config.h"

#include <string.h>

#include "diagfixture.h"
#include "testutil.h"


static void rings(int rx, int max)
{
	PDEV->ring_rx = CDEV->ring_rx = rx;
	PDEV->ring_rx_max = CDEV->ring_rx_max = max;
}

static bool has_hint(const char *text)
{
	for (size_t i = 0; i < D.verdict.nhints; i++)
		if (strcmp(D.verdict.hints[i], text) == 0)
			return true;
	return false;
}

START_TEST(ring_small_names_the_fix)
{
	rings(512, 4096);
	CDEV->sys[SYS_RX_MISSED_ERRORS] += 200;
	fx_run();
	ck_assert_str_eq(fx_finding("ring-small"),
			 "eth0: 100 NIC drops/s (sysfs) with the RX ring at "
			 "512 of a maximum 4096: ethtool -G eth0 rx 4096");
	ck_assert_str_eq(stage_name(D.verdict.stage), "nic");
	ck_assert(has_hint("eth0: grow the RX ring: ethtool -G eth0 rx 4096 "
			   "(now 512)"));
	ck_assert_int_eq(D.devs[0].ring_rx, 512);
	ck_assert_int_eq(D.devs[0].ring_rx_max, 4096);
}
END_TEST

/* At its maximum, unknown, or without NIC drops: no finding. */
START_TEST(ring_small_only_when_it_helps)
{
	rings(4096, 4096);
	CDEV->sys[SYS_RX_MISSED_ERRORS] += 200;
	fx_run();
	ck_assert_ptr_null(fx_finding("ring-small"));
	ck_assert(has_hint("eth0: the RX ring is at its maximum (4096)"));
	rings(-1, -1);
	fx_run();
	ck_assert_ptr_null(fx_finding("ring-small"));
	rings(512, 4096);
	CDEV->sys[SYS_RX_MISSED_ERRORS] -= 200;
	fx_run();
	ck_assert_ptr_null(fx_finding("ring-small"));
}
END_TEST

static void qstats_drops(struct device *d, uint64_t hw, uint64_t alloc)
{
	d->have_qstats = true;
	d->qs_dev.have[QS_RX_HW_DROPS] = true;
	d->qs_dev.have[QS_RX_ALLOC_FAIL] = true;
	d->qs_dev.v[QS_RX_HW_DROPS] = hw;
	d->qs_dev.v[QS_RX_ALLOC_FAIL] = alloc;
}

/* qstats rx-hw-drops + rx-alloc-fail (700) beat sysfs (200): the larger
 * describes the same drops, nothing is counted twice. */
START_TEST(qstats_drops_in_max_rule)
{
	const struct stage_counter *c;

	qstats_drops(PDEV, 10, 0);
	qstats_drops(CDEV, 610, 100);
	CDEV->sys[SYS_RX_MISSED_ERRORS] += 200;
	fx_run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 700);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "qstats");
	c = tb_counter(&D.stages[STAGE_NIC], "qstats rx drops");
	ck_assert(c && c->known && c->is_loss);
	ck_assert_uint_eq(c->delta, 700);
	ck_assert(!tb_counter(&D.stages[STAGE_NIC], "rx_missed_errors")
			   ->is_loss);
	/* The other way round, sysfs is used. */
	CDEV->sys[SYS_RX_MISSED_ERRORS] += 800;
	fx_run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 1000);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "sysfs");
}
END_TEST

/* A qstats counter that went backwards (driver reset) is unknown, and
 * the other candidates still give the loss. */
START_TEST(qstats_reset_is_unknown)
{
	qstats_drops(PDEV, 500, 0);
	qstats_drops(CDEV, 5, 0);
	CDEV->sys[SYS_RX_MISSED_ERRORS] += 40;
	fx_run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 40);
	ck_assert(!tb_counter(&D.stages[STAGE_NIC], "qstats rx drops")->known);
}
END_TEST

START_TEST(eth_mac_rx_int_err_in_max_rule)
{
	PDEV->std_have[STD_MAC_LOST_INT_RX_ERR] = true;
	CDEV->std_have[STD_MAC_LOST_INT_RX_ERR] = true;
	PDEV->std[STD_MAC_LOST_INT_RX_ERR] = 3;
	CDEV->std[STD_MAC_LOST_INT_RX_ERR] = 303;
	fx_run();
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 300);
	ck_assert_str_eq(D.devs[0].nic_loss_source, "ethtool eth-mac");
}
END_TEST

/* Queue 4 of the sfc capture served by NAPI 8197 on IRQ 44 (CPU 4, by
 * the capture's pinning), 5000 pkt/s, CPU 4 at 40 % softirq. */
static void napi_queue4(int pid)
{
	CDEV->rxq[4].have_napi = true;
	CDEV->rxq[4].napi_id = 8197;
	CDEV->rxq[4].irq_from_napi = true;
	CDEV->rxq[4].napi_pid = pid;
	CDEV->rxq[4].packets += 10000;
	C.cpus[4].softirq_ticks += 400;
	C.cpus[4].total_ticks += 1000;
}

START_TEST(irq_cpu_from_napi)
{
	napi_queue4(-1);
	fx_run();
	ck_assert_str_eq(fx_finding("irq-cpu"),
			 "eth0 queue 4 (5000 rx pkt/s): NAPI 8197 -> IRQ 44 "
			 "-> CPU 4 (softirq 40%)");
	ck_assert_int_eq(D.queues[4].napi_id, 8197);
	ck_assert_str_eq(D.queues[4].irq_source, "napi");
	ck_assert_str_eq(D.queues[3].irq_source, "name");
	ck_assert_int_eq(D.queues[4].napi_pid, -1);
}
END_TEST

START_TEST(irq_cpu_threaded)
{
	napi_queue4(777);
	fx_run();
	ck_assert_str_eq(fx_finding("irq-cpu"),
			 "eth0 queue 4 (5000 rx pkt/s): NAPI 8197 -> IRQ 44 "
			 "-> CPU 4 (softirq 40%); threaded NAPI: polled by "
			 "kthread pid 777");
	ck_assert_int_eq(D.queues[4].napi_pid, 777);
}
END_TEST

/* Below 1000 pkt/s, or with the IRQ known only from its name: none. */
START_TEST(irq_cpu_needs_napi_and_load)
{
	napi_queue4(-1);
	CDEV->rxq[4].packets -= 8002;
	fx_run();
	ck_assert_double_eq(D.queues[4].rx_pps.v, 999);
	ck_assert_ptr_null(fx_finding("irq-cpu"));
	CDEV->rxq[4].packets += 8002;
	CDEV->rxq[4].irq_from_napi = false;
	fx_run();
	ck_assert_ptr_null(fx_finding("irq-cpu"));
	CDEV->rxq[3].packets += 10000;
	fx_run();
	ck_assert_ptr_null(fx_finding("irq-cpu"));
}
END_TEST

START_TEST(rows_name_their_sources)
{
	CDEV->rxq[0].source = PDEV->rxq[0].source = "qstats";
	CDEV->rxq[1].source = PDEV->rxq[1].source = "ethtool -S";
	CDEV->sys_from_link = true;
	fx_run();
	ck_assert_str_eq(D.queues[0].source, "qstats");
	ck_assert_str_eq(D.queues[1].source, "ethtool -S");
	ck_assert_ptr_null(D.queues[2].source);
	ck_assert_str_eq(D.devs[0].stats_source, "link");
	ck_assert_str_eq(D.devs[0].nic_loss_source, "link");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nldiag");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, ring_small_names_the_fix);
	tcase_add_test(tc, ring_small_only_when_it_helps);
	tcase_add_test(tc, qstats_drops_in_max_rule);
	tcase_add_test(tc, qstats_reset_is_unknown);
	tcase_add_test(tc, eth_mac_rx_int_err_in_max_rule);
	tcase_add_test(tc, irq_cpu_from_napi);
	tcase_add_test(tc, irq_cpu_threaded);
	tcase_add_test(tc, irq_cpu_needs_napi_and_load);
	tcase_add_test(tc, rows_name_their_sources);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
