/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snapshot_from_raw: dispatch of source names to parsers, the derived
 * per-queue figures and the queue → IRQ → CPU mapping, on real captures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "sources_internal.h"
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
	char eth1[] = "eth1";
	char *keep[] = { eth1 };

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

/* The device and IRQ indexes on a big host: the igb em1 capture's eight
 * TxRx rows of /proc/interrupts repeated for NDEV devices em1..emNDEV
 * (IRQ 1000 + 8k + q, each pinned to one CPU), with em1's `ethtool -S`
 * for each. Every lookup must find its own device and IRQ, also after
 * snapshot_keep_devices() moved them. */
#define NDEV 300

static void big_interrupts(struct strbuf *sb, const char *capture)
{
	const char *pos = capture, *line, *name;
	size_t len;

	line = next_line(&pos, &len);
	sb_append(sb, line, len + 1); /* the CPU header */
	while ((line = next_line(&pos, &len))) {
		const char *colon = memchr(line, ':', len);
		int q;

		name = strstr(line, "em1-TxRx-");
		if (!colon || !name || name > line + len)
			continue;
		q = name[9] - '0';
		for (int k = 0; k < NDEV; k++)
			sb_printf(sb, "%d%.*sem%d-TxRx-%d\n", 1000 + 8 * k + q,
				  (int)(name - colon), colon, k + 1, q);
	}
}

static struct raw_snapshot *big_host(struct raw_snapshot *r)
{
	char *irqs = test_data("interrupts/igb-em1-16cpu-filtered-uncelvel.txt",
			       NULL);
	char *stats = test_data("ethtool-S/igb-showmax-rhel8.txt", NULL);
	struct strbuf sb, aff;
	char name[32];

	sb_init(&sb);
	sb_init(&aff);
	big_interrupts(&sb, irqs);
	for (int i = 0; i < 8 * NDEV; i++)
		sb_printf(&aff, "%d %d\n", 1000 + i, i % 16);
	raw_init(r);
	raw_add_copy(r, "/proc/interrupts", sb.s, sb.len);
	raw_add_copy(r, "irq-affinity", aff.s, aff.len);
	/* Reverse order, so that positions are not the names' order. */
	for (int k = NDEV; k >= 1; k--) {
		snprintf(name, sizeof(name), "ethtool -S em%d", k);
		raw_add_copy(r, name, stats, strlen(stats));
	}
	free(irqs);
	free(stats);
	sb_free(&sb);
	sb_free(&aff);
	return r;
}

static void check_em(const struct snapshot *s, int k)
{
	char name[16];
	const struct device *d;

	snprintf(name, sizeof(name), "em%d", k);
	d = snapshot_find_device(s, name);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->name, name);
	ck_assert_int_eq(d->nrxq, 8);
	for (int q = 0; q < 8; q++) {
		int irq = 1000 + 8 * (k - 1) + q;
		const struct irq_line *l = snapshot_find_irq(s, irq);
		char want[32];

		ck_assert_int_eq(d->rxq[q].irq, irq);
		ck_assert_ptr_nonnull(l);
		snprintf(want, sizeof(want), "em%d-TxRx-%d", k, q);
		ck_assert_str_eq(l->name, want);
		ck_assert(l->have_affinity);
		ck_assert(cpulist_has(l->affinity, (irq - 1000) % 16));
		ck_assert(!cpulist_has(l->affinity, (irq - 999) % 16));
	}
}

START_TEST(many_devices_and_irqs_indexed)
{
	struct raw_snapshot r;
	struct snapshot s;
	char *keep[NDEV / 3];
	char names[NDEV / 3][16];

	snapshot_init(&s);
	snapshot_from_raw(big_host(&r), &s);
	ck_assert_uint_eq(s.ndevs, NDEV);
	ck_assert_uint_eq(s.nirqs, 8 * NDEV);
	ck_assert_uint_eq(s.nnotes, 0);
	ck_assert_str_eq(s.devs[0].name, "em300");
	for (int k = 1; k <= NDEV; k++)
		check_em(&s, k);
	ck_assert_ptr_null(snapshot_find_device(&s, "em0"));
	ck_assert_ptr_null(snapshot_find_device(&s, "em3000"));
	ck_assert_ptr_null(snapshot_find_irq(&s, 999));
	ck_assert_ptr_null(snapshot_find_irq(&s, 1000 + 8 * NDEV));
	/* An existing name is found, not added again. */
	ck_assert_ptr_eq(snapshot_device(&s, "em7"),
			 snapshot_find_device(&s, "em7"));
	ck_assert_uint_eq(s.ndevs, NDEV);
	/* The first IRQ of a number wins, as a walk would have it. */
	snapshot_add_irq(&s, 1005, xstrdup("em1-napi"));
	ck_assert_str_eq(snapshot_find_irq(&s, 1005)->name, "em1-TxRx-5");

	for (int i = 0; i < NDEV / 3; i++) {
		snprintf(names[i], sizeof(names[i]), "em%d", 3 * i + 2);
		keep[i] = names[i];
	}
	snapshot_keep_devices(&s, keep, NDEV / 3);
	ck_assert_uint_eq(s.ndevs, NDEV / 3);
	for (int k = 1; k <= NDEV; k++) {
		snprintf(names[0], sizeof(names[0]), "em%d", k);
		if (k % 3 == 2)
			check_em(&s, k);
		else
			ck_assert_ptr_null(snapshot_find_device(&s, names[0]));
	}
	/* A device added after the move is indexed too. */
	snapshot_device(&s, "em1")->numa_node = 1;
	ck_assert_uint_eq(s.ndevs, NDEV / 3 + 1);
	ck_assert_int_eq(snapshot_find_device(&s, "em1")->numa_node, 1);
	ck_assert_int_eq(snapshot_find_device(&s, "em2")->numa_node, -1);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* ---- RX queues: the ids sources name, not a count up to the highest ---- */

/* A snapshot at second sec of device eth0 from qstats and napi text. */
static void queue_snapshot(struct snapshot *s, int64_t sec, const char *qs,
			   const char *napi)
{
	struct raw_snapshot r;

	raw_init(&r);
	r.monotonic_ns = sec * 1000000000;
	add_text(&r, "qstats eth0", qs);
	if (napi)
		add_text(&r, "napi eth0", napi);
	snapshot_init(s);
	snapshot_from_raw(&r, s);
	raw_free(&r);
}

/* "rx 4000" made 4001 queues (and 4001 qstats slots), each summed,
 * diagnosed and rendered: 7 bytes of fuzz input cost 5 ms. */
START_TEST(one_queue_named_4000_is_one_queue)
{
	static const char napi[] = "queue rx 4000 napi 9\nnapi 9 irq 77\n";
	struct snapshot p, c;
	struct diagnosis d;
	const struct device *dev;

	queue_snapshot(&p, 100, "rx 4000 rx-packets 5\n", napi);
	queue_snapshot(&c, 101, "rx 4000 rx-packets 1005\n", napi);
	dev = snapshot_find_device(&c, "eth0");
	ck_assert_int_eq(dev->nrxq, 1);
	ck_assert_uint_eq(dev->nqs_rxq, 1);
	ck_assert_uint_eq(c.qs_slots, 1);
	ck_assert_int_eq(dev->rxq[0].id, 4000);
	ck_assert_uint_eq(dev->rxq[0].packets, 1005);
	ck_assert_str_eq(dev->rxq[0].source, "qstats");
	ck_assert_int_eq(dev->rxq[0].irq, 77);
	ck_assert_ptr_eq(device_rxq(dev, 4000), &dev->rxq[0]);
	ck_assert_ptr_null(device_rxq(dev, 0));
	ck_assert_ptr_null(device_rxq(dev, 3999));
	ck_assert_ptr_null(device_rxq(dev, 4001));
	ck_assert_int_eq(diagnose(&p, &c, &d), 0);
	ck_assert_uint_eq(d.nqueues, 1);
	ck_assert_int_eq(d.queues[0].queue, 4000);
	ck_assert_double_eq(d.queues[0].rx_pps.v, 1000);
	ck_assert_int_eq(d.devs[0].nrxq, 1);
	diagnosis_free(&d);
	snapshot_free(&p);
	snapshot_free(&c);
}
END_TEST

/* Lines of one queue, in any order, merge key by key, the later line
 * winning; drops are hw-drops + alloc-fail of the merged figures. */
START_TEST(qstats_lines_of_a_queue_merge_in_order)
{
	struct snapshot s;
	const struct device *dev;
	const struct rx_queue *q1, *q3;

	queue_snapshot(&s, 1, "rx 3 rx-packets 5\nrx 1 rx-hw-drops 4\n"
			      "rx 3 rx-packets 6 rx-alloc-fail 2\n"
			      "rx 1 rx-alloc-fail 1\nrx 1 rx-hw-drops 3\n",
		       NULL);
	dev = snapshot_find_device(&s, "eth0");
	ck_assert_int_eq(dev->nrxq, 2);
	ck_assert_uint_eq(dev->nqs_rxq, 2);
	q1 = device_rxq(dev, 1);
	q3 = device_rxq(dev, 3);
	ck_assert_ptr_eq(q1, &dev->rxq[0]);
	ck_assert_ptr_eq(q3, &dev->rxq[1]);
	ck_assert(!q1->have_packets);
	ck_assert_uint_eq(q1->drops, 3 + 1);
	ck_assert_uint_eq(q3->packets, 6);
	ck_assert_uint_eq(q3->drops, 2);
	ck_assert_str_eq(q3->drops_source, "qstats");
	snapshot_free(&s);
}
END_TEST

/* Per-queue drops of sparse queues: both snapshots' queues are walked as
 * one sorted union; a queue in one snapshot only makes the sum unknown. */
START_TEST(sparse_queue_drops_summed_by_id)
{
	struct snapshot p, c;
	struct diagnosis d;

	queue_snapshot(&p, 100, "rx 9 rx-hw-drops 1\nrx 700 rx-hw-drops 10\n",
		       NULL);
	queue_snapshot(&c, 101, "rx 700 rx-hw-drops 30\nrx 9 rx-hw-drops 6\n",
		       NULL);
	ck_assert_int_eq(diagnose(&p, &c, &d), 0);
	ck_assert(d.devs[0].nic_lost_pps.known);
	ck_assert_double_eq(d.devs[0].nic_lost_pps.v, 25);
	ck_assert_str_eq(d.devs[0].nic_loss_source, "qstats per-queue");
	diagnosis_free(&d);
	snapshot_free(&c);
	queue_snapshot(&c, 101, "rx 700 rx-hw-drops 30\nrx 8 rx-hw-drops 6\n",
		       NULL);
	ck_assert_int_eq(diagnose(&p, &c, &d), 0);
	ck_assert(!d.devs[0].nic_lost_pps.known);
	diagnosis_free(&d);
	snapshot_free(&p);
	snapshot_free(&c);
}
END_TEST

/* The first block of a large element holds few: one struct device
 * allocated 8 (5.5 KB) per snapshot of a one-device fuzz input. */
START_TEST(first_capacity_follows_element_size)
{
	size_t cap = 0;
	void *a = snapshot_grow(NULL, &cap, 1, sizeof(struct device));

	ck_assert_uint_eq(cap, 1);
	a = snapshot_grow(a, &cap, 3, sizeof(struct device));
	ck_assert_uint_eq(cap, 4);
	free(a);
	cap = 0;
	a = snapshot_grow(NULL, &cap, 1, sizeof(uint64_t));
	ck_assert_uint_eq(cap, 8);
	free(a);
	cap = 0;
	a = snapshot_grow(NULL, &cap, 1, 300);
	ck_assert_uint_eq(cap, 3);
	a = snapshot_grow(a, &cap, 20, 300);
	ck_assert_uint_eq(cap, 24);
	free(a);
}
END_TEST

/* The device slots are reserved once per snapshot from its sources: one
 * per change of device name among them (eth0's four sources, then ifb0,
 * then eth0 again: 3), at most 16; names too long for a device count
 * none. Devices still grow past the reserve. */
START_TEST(device_slots_reserved_from_sources)
{
	struct raw_snapshot r;
	struct snapshot s;
	char name[64];

	raw_init(&r);
	add_text(&r, "sysfs-dev eth0", "");
	add_text(&r, "sysfs eth0", "");
	add_text(&r, "ethtool -n eth0 rx-flow-hash udp4", "");
	add_text(&r, "ethtool -i eth0", "");
	add_text(&r, "ethtool -i averyveryverylongname0", "");
	add_text(&r, "sysfs ifb0", "");
	add_text(&r, "/proc/net/snmp", "");
	add_text(&r, "ethtool -S eth0", "");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_uint_eq(s.devs_cap, 3);
	ck_assert_uint_eq(s.ndevs, 2);
	ck_assert_str_eq(s.devs[0].name, "eth0");
	ck_assert_str_eq(s.devs[1].name, "ifb0");
	snapshot_free(&s);
	raw_free(&r);

	raw_init(&r);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "sysfs-dev d%d", i);
		add_text(&r, name, "");
	}
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_uint_eq(s.ndevs, 40);
	ck_assert_uint_eq(s.devs_cap, 64); /* 16, then doubled */
	ck_assert_ptr_nonnull(snapshot_find_device(&s, "d39"));
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* A note longer than the stack buffer it is formatted in is kept whole. */
START_TEST(long_note_kept_whole)
{
	struct snapshot s;
	char word[400];

	memset(word, 'w', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	snapshot_init(&s);
	snapshot_note(&s, "short %d", 1);
	snapshot_note(&s, "%.*s|", 254, word);
	snapshot_note(&s, "%.*s|", 255, word);
	snapshot_note(&s, "%s|", word);
	ck_assert_uint_eq(s.nnotes, 4);
	ck_assert_str_eq(s.notes[0], "short 1");
	ck_assert_uint_eq(strlen(s.notes[1]), 255);
	ck_assert_uint_eq(strlen(s.notes[2]), 256);
	ck_assert_uint_eq(strlen(s.notes[3]), 400);
	ck_assert_int_eq(s.notes[3][399], '|');
	ck_assert_int_eq(s.notes[2][255], '|');
	snapshot_free(&s);
}
END_TEST

/* NUMA nodes by id, the index grown to the highest id added: ids far
 * apart, each found once, absent ids and ids out of range not found, an
 * id added twice is the same node. */
START_TEST(numa_nodes_indexed_by_id)
{
	static const int ids[] = { 1023, 0, 5, 700, 8, 7 };
	struct snapshot s;

	snapshot_init(&s);
	ck_assert_ptr_null(snapshot_find_node(&s, 0));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		struct numa_node *n = snapshot_node(&s, ids[i]);

		ck_assert_ptr_nonnull(n);
		ck_assert_int_eq(n->node, ids[i]);
		ck_assert_ptr_eq(snapshot_node(&s, ids[i]), n);
	}
	ck_assert_uint_eq(s.nnodes, ARRAY_SIZE(ids));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		ck_assert_ptr_eq(snapshot_find_node(&s, ids[i]), &s.nodes[i]);
	ck_assert_ptr_null(snapshot_find_node(&s, 1));
	ck_assert_ptr_null(snapshot_find_node(&s, 1022));
	ck_assert_ptr_null(snapshot_find_node(&s, 1024));
	ck_assert_ptr_null(snapshot_find_node(&s, -1));
	ck_assert_ptr_null(snapshot_node(&s, 1024));
	ck_assert_ptr_null(snapshot_node(&s, -1));
	ck_assert_uint_eq(s.nnodes, ARRAY_SIZE(ids));
	snapshot_free(&s);
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
	tcase_add_test(tc, many_devices_and_irqs_indexed);
	tcase_add_test(tc, one_queue_named_4000_is_one_queue);
	tcase_add_test(tc, qstats_lines_of_a_queue_merge_in_order);
	tcase_add_test(tc, sparse_queue_drops_summed_by_id);
	tcase_add_test(tc, first_capacity_follows_element_size);
	tcase_add_test(tc, device_slots_reserved_from_sources);
	tcase_add_test(tc, long_note_kept_whole);
	tcase_add_test(tc, numa_nodes_indexed_by_id);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
