/* snapshot_from_raw: dispatch of source names to parsers, the derived
 * per-queue figures and the queue → IRQ → CPU mapping, on real captures. */
#include "config.h"

#include <string.h>

#include "sources.h"
#include "testutil.h"

static void add_text(struct raw_snapshot *r, const char *name, const char *text)
{
	raw_add_copy(r, name, text, strlen(text));
}

START_TEST(unknown_sources_are_skipped)
{
	struct raw_snapshot r;
	struct snapshot s;

	raw_init(&r);
	add_text(&r, "page-pool eth0", "a source of a later droptop\n");
	add_text(&r, "ethtool -S", "a known prefix without a device\n");
	test_raw_add_file(&r, "/proc/net/snmp", "snmp/node_exporter.txt");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert(s.have_snmp);
	ck_assert_uint_eq(s.snmp.v[UDP_RCVBUF_ERRORS], 9);
	ck_assert_uint_eq(s.snmp.v[UDP_NO_PORTS], 120);
	ck_assert_uint_eq(s.ndevs, 0);
	ck_assert_uint_eq(s.nnotes, 0);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* igb em1: its eight TxRx vectors are IRQs 38-45; the affinity source
 * comes before /proc/interrupts in the raw snapshot and still applies. */
START_TEST(queues_map_to_irqs_and_cpus)
{
	struct raw_snapshot r;
	struct snapshot s;
	const struct device *d;

	raw_init(&r);
	add_text(&r, "irq-affinity", "38 0\n39 1\n40 2\n41 3\n42 4\n43 5\n44 6\n45 7\n");
	test_raw_add_file(&r, "/proc/interrupts",
			  "interrupts/igb-em1-16cpu-filtered-uncelvel.txt");
	test_raw_add_file(&r, "ethtool -S em1", "ethtool-S/igb-showmax-rhel8.txt");
	add_text(&r, "sysfs-dev em1", "rx_queues 8\n");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	d = snapshot_find_device(&s, "em1");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->nrxq, 8);
	for (int q = 0; q < 8; q++)
		ck_assert_int_eq(d->rxq[q].irq, 38 + q);
	for (size_t i = 0; i < s.nirqs; i++)
		if (s.irqs[i].irq == 41) {
			ck_assert(s.irqs[i].have_affinity);
			ck_assert(cpulist_has(s.irqs[i].affinity, 3));
			ck_assert(!cpulist_has(s.irqs[i].affinity, 2));
		}
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* virtio_net names its vectors after the virtio device (virtio0), not the
 * interface: the sysfs parent link ties them together. */
START_TEST(virtio_queue_found_through_parent)
{
	struct raw_snapshot r;
	struct snapshot s;
	const struct device *d;

	raw_init(&r);
	test_raw_add_file(&r, "/proc/interrupts", "interrupts/virtio-vm-4cpu-procfs.txt");
	test_raw_add_file(&r, "ethtool -S eth0", "ethtool-S/virtio_net-ethq.txt");
	add_text(&r, "sysfs-dev eth0", "parent virtio0\nrx_queues 2\n");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	d = snapshot_find_device(&s, "eth0");
	ck_assert_int_eq(d->nrxq, 2);
	ck_assert_int_eq(d->rxq[0].irq, 36);
	ck_assert(d->rxq[0].have_packets);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* Per-queue sums and the device-level drop total of bnxt_en. */
START_TEST(bnxt_queue_sums)
{
	struct raw_snapshot r;
	struct snapshot s;
	const struct device *d;

	raw_init(&r);
	test_raw_add_file(&r, "ethtool -S eth0", "ethtool-S/bnxt_en-ethq.txt");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	d = snapshot_find_device(&s, "eth0");
	ck_assert_int_eq(d->nrxq, 12);
	ck_assert(d->rxq[0].have_drops);
	ck_assert_uint_eq(d->rxq[0].drops, 11763190);
	ck_assert_uint_eq(d->rxq[4].drops, 10455357);
	ck_assert(d->have_nic_drops);
	ck_assert_uint_eq(d->nic_drops, 655430134 + 49337);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

START_TEST(keep_devices_and_notes)
{
	struct raw_snapshot r;
	struct snapshot s;
	char *keep[] = { "eth1" };

	raw_init(&r);
	test_raw_add_file(&r, "ethtool -S eth0", "ethtool-S/sfc-ethq.txt");
	test_raw_add_file(&r, "ethtool -S eth1", "ethtool-S/ena-ethq.txt");
	raw_note(&r, "/proc/net/snmp6: No such file or directory");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_uint_eq(s.ndevs, 2);
	snapshot_keep_devices(&s, keep, 1);
	ck_assert_uint_eq(s.ndevs, 1);
	ck_assert_str_eq(s.devs[0].name, "eth1");
	ck_assert_int_eq(s.devs[0].nrxq, 4);
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], "/proc/net/snmp6: No such file or directory");
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, unknown_sources_are_skipped);
	tcase_add_test(tc, queues_map_to_irqs_and_cpus);
	tcase_add_test(tc, virtio_queue_found_through_parent);
	tcase_add_test(tc, bnxt_queue_sums);
	tcase_add_test(tc, keep_devices_and_notes);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
