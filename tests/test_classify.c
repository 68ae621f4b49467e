/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The counter-name classifier: one case per interesting name, each taken
 * from a capture in tests/data/ethtool-S (the file is named beside it). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "testutil.h"
#include "util.h"

#define Q(n) (n)
#define DEV (-1)

struct ccase {
	const char *name;
	int sec_queue;           /* vmxnet3 section, -1 none */
	enum ctr_dir sec_dir;
	enum ctr_dir dir;
	int queue;
	enum ctr_kind kind;
};

#define RXP(n, q) { n, -1, DIR_NONE, DIR_RX, q, KIND_PACKETS }
#define RXB(n, q) { n, -1, DIR_NONE, DIR_RX, q, KIND_BYTES }
#define RXD(n, q) { n, -1, DIR_NONE, DIR_RX, q, KIND_DROPS }
#define RXO(n, q) { n, -1, DIR_NONE, DIR_RX, q, KIND_OTHER }
#define TXP(n, q) { n, -1, DIR_NONE, DIR_TX, q, KIND_PACKETS }
#define TXB(n, q) { n, -1, DIR_NONE, DIR_TX, q, KIND_BYTES }
#define TXO(n, q) { n, -1, DIR_NONE, DIR_TX, q, KIND_OTHER }
#define NOO(n, q) { n, -1, DIR_NONE, DIR_NONE, q, KIND_OTHER }

static const struct ccase cases[] = {
	/* mlx5_core-ethq.txt, mlx5_core-xdp-k5.15/k6.5 */
	RXP("rx0_packets", Q(0)),
	RXP("rx15_packets", Q(15)),
	RXB("rx3_bytes", Q(3)),
	RXO("rx0_lro_packets", Q(0)),
	RXO("rx0_xdp_drop", Q(0)),
	RXO("rx0_cache_reuse", Q(0)),
	RXO("rx0_gro_packets", Q(0)),
	RXO("rx0_pp_alloc_fast", Q(0)),
	RXO("rx0_csum_complete", Q(0)),
	RXO("rx0_removed_vlan_packets", Q(0)),
	RXD("rx0_oversize_pkts_sw_drop", Q(0)),
	TXP("tx7_packets", Q(7)),
	TXB("tx7_bytes", Q(7)),
	TXO("tx7_dropped", Q(7)),
	NOO("ch0_events", Q(0)),
	RXP("rx_packets", DEV),
	RXB("rx_bytes", DEV),
	RXD("rx_out_of_buffer", DEV),
	RXD("rx_discards_phy", DEV),
	RXD("rx_if_down_packets", DEV),
	RXO("rx_prio0_discards", DEV),
	RXO("rx_prio0_packets", DEV),
	RXO("rx_packets_phy", DEV),
	RXO("rx_64_bytes_phy", DEV),
	RXO("rx_1024_to_1518_bytes_phy", DEV),
	RXO("rx_vport_unicast_packets", DEV),
	RXO("rx_xdp_drop", DEV),
	RXO("rx_steer_missed_packets", DEV),
	RXO("rx_lro_packets", DEV),
	TXP("tx_packets", DEV),
	/* ixgbe-usrp-users-eno2.txt */
	RXP("rx_queue_20_packets", Q(20)),
	RXB("rx_queue_20_bytes", Q(20)),
	TXP("tx_queue_60_packets", Q(60)),
	RXD("rx_no_dma_resources", DEV),
	RXD("rx_missed_errors", DEV),
	RXD("rx_fifo_errors", DEV),
	RXD("rx_over_errors", DEV),
	RXD("rx_dropped", DEV),
	RXO("rx_no_buffer_count", DEV),
	RXO("fdir_miss", DEV),
	RXO("rx_pkts_nic", DEV),
	RXO("rx_crc_errors", DEV),
	RXO("rx_pb_0_pxon", DEV),
	NOO("fdir_match", DEV),
	NOO("alloc_rx_page", DEV),
	/* i40e-showmax-rhel8-k4.18.0-348.txt (old) and -448.txt (new) */
	RXP("rx-0.rx_packets", Q(0)),
	RXB("rx-47.rx_bytes", Q(47)),
	RXP("rx-128.packets", Q(128)),
	RXB("rx-128.bytes", Q(128)),
	TXP("tx-5.tx_packets", Q(5)),
	TXP("tx-5.packets", Q(5)),
	RXD("port.rx_dropped", DEV),
	RXO("port.rx_unicast", DEV),
	RXO("port.rx_priority_0_xon", DEV),
	RXO("rx_unicast", DEV),
	RXO("rx_multicast", DEV),
	NOO("veb.rx_discards", DEV),
	TXO("port.tx_dropped_link_down", DEV),
	/* ice-ethq.txt */
	RXP("rx_queue_127_packets", Q(127)),
	RXD("rx_dropped.nic", DEV),
	RXO("rx_unicast.nic", DEV),
	NOO("link_xon_rx.nic", DEV),
	/* igb-showmax-rhel8.txt */
	RXD("rx_queue_3_drops", Q(3)),
	RXO("rx_queue_3_alloc_failed", Q(3)),
	RXO("rx_queue_3_csum_err", Q(3)),
	TXO("tx_queue_3_restart", Q(3)),
	/* e1000e-ethq.txt */
	RXO("rx_csum_offload_good", DEV),
	RXO("rx_dma_failed", DEV),
	/* sfc-ethq.txt */
	RXP("rx-11.rx_packets", Q(11)),
	TXP("tx-17.tx_packets", Q(17)),
	TXO("tx-xdp-cpu-23.tx_packets", Q(23)),
	RXD("port_rx_nodesc_drops", DEV),
	RXD("rx_noskb_drops", DEV),
	RXD("rx_nodesc_trunc", DEV),
	RXD("port_rx_overflow", DEV),
	RXO("port_rx_dp_di_dropped_packets", DEV),
	RXO("port_rx_pm_discard_vfifo_full", DEV),
	RXO("port_rx_packets", DEV),
	RXO("rx_overflow", DEV),
	RXO("rx_xdp_drops", DEV),
	NOO("rfs_filter_count", DEV),
	/* old sfc (not in the captures; named in the design) */
	RXD("rx_nodesc_drop_cnt", DEV),
	/* ena-ethq.txt, ena-aws-k5.4.txt */
	RXP("queue_3_rx_cnt", Q(3)),
	RXB("queue_3_rx_bytes", Q(3)),
	RXO("queue_0_rx_xdp_drop", Q(0)),
	RXO("queue_0_rx_skb_alloc_fail", Q(0)),
	TXP("queue_1_tx_cnt", Q(1)),
	TXO("queue_1_tx_doorbells", Q(1)),
	NOO("bw_in_allowance_exceeded", DEV),
	NOO("pps_allowance_exceeded", DEV),
	/* A '*' before a literal: every occurrence of it is tried, the
	 * last queue number wins, a literal at the very end matches. */
	NOO("a_allowance_b_allowance_exceeded", DEV),
	NOO("pool[1]ring[2]", Q(2)),
	NOO("[7][8]", Q(8)),
	RXO("rx_q[3][4]", Q(4)),
	NOO("ena_admin_q_aborted_cmd", DEV),
	/* bnxt_en-ethq.txt */
	RXP("[11]: rx_ucast_packets", Q(11)),
	RXP("[0]: rx_mcast_packets", Q(0)),
	RXP("[0]: rx_bcast_packets", Q(0)),
	RXB("[0]: rx_ucast_bytes", Q(0)),
	RXD("[5]: rx_discards", Q(5)),
	RXO("[5]: rx_errors", Q(5)),
	RXO("[5]: rx_buf_errors", Q(5)),
	RXO("[5]: tpa_packets", Q(5)),
	RXO("[5]: rx_l4_csum_errors", Q(5)),
	NOO("[5]: missed_irqs", Q(5)),
	TXP("[2]: tx_ucast_packets", Q(2)),
	TXB("[2]: tx_bcast_bytes", Q(2)),
	TXO("[2]: tx_discards", Q(2)),
	RXD("rx_total_ring_discards", DEV),
	RXD("rx_stat_discard", DEV),
	RXD("rx_total_oom_discards", DEV),
	RXO("rx_discard_packets_cos0", DEV),
	RXO("rx_total_frames", DEV),
	RXO("rx_ucast_frames", DEV),
	/* bnx2x-ethq.txt */
	RXB("[7]: rx_bytes", Q(7)),
	RXD("[7]: rx_skb_alloc_discard", Q(7)),
	RXO("[7]: rx_phy_ip_err_discards", Q(7)),
	RXP("rx_ucast_packets", DEV),
	RXD("rx_discards", DEV),
	RXD("rx_brb_discard", DEV),
	RXO("rx_brb_truncate", DEV),
	NOO("Tx LPI entry count", DEV),
	/* virtio_net-ethq.txt, -do-k5.15.txt (old), -gcp-k6.14.txt (6.10+) */
	RXP("rx_queue_1_packets", Q(1)),
	RXD("rx_queue_0_drops", Q(0)),
	RXO("rx_queue_0_xdp_packets", Q(0)),
	RXO("rx_queue_0_kicks", Q(0)),
	RXD("rx1_drops", Q(1)),
	RXO("rx1_xdp_packets", Q(1)),
	RXO("rx1_kicks", Q(1)),
	TXO("tx1_tx_timeouts", Q(1)),
	RXD("rx_drops", DEV),
	RXO("rx_kicks", DEV),
	/* gve-gcp-c4a-arm64.txt */
	RXD("rx_dropped_pkt[1]", Q(1)),
	RXD("rx_queue_drop_cnt[0]", Q(0)),
	RXO("rx_no_buffers_posted[0]", Q(0)),
	RXO("rx_completed_desc[0]", Q(0)),
	RXO("rx_xdp_drop[1]", Q(1)),
	RXB("rx_bytes[1]", Q(1)),
	TXB("tx_bytes[0]", Q(0)),
	TXO("tx_wake[0]", Q(0)),
	RXO("rx_desc_err_dropped_pkt", DEV),
	NOO("adminq_timeouts", DEV),
	/* veth (live: ip link add type veth; ethtool -S) */
	RXO("rx_queue_0_xdp_bytes", Q(0)),
	RXO("rx_queue_0_xdp_tx_errors", Q(0)),
	TXO("tx_queue_0_xdp_xmit", Q(0)),
	NOO("peer_ifindex", DEV),
	/* unknown names keep their shape */
	RXO("rx_queue_9_new_thing", Q(9)),
	RXO("rx9_new_thing", Q(9)),
	RXO("rx-9.new_thing", Q(9)),
	NOO("[9]: new_thing", Q(9)),
	NOO("new_thing[9]", Q(9)),
	RXO("rx_new_thing", DEV),
	NOO("something else", DEV),
	/* a queue number out of range is not a queue */
	RXO("rx_queue_99999999999_packets", DEV),
	/* vmxnet3-ethq.txt: names inside "Rx Queue#: 1" / "Tx Queue#: 0" */
	{ "ucast pkts rx", 1, DIR_RX, DIR_RX, 1, KIND_PACKETS },
	{ "mcast pkts rx", 1, DIR_RX, DIR_RX, 1, KIND_PACKETS },
	{ "bcast pkts rx", 1, DIR_RX, DIR_RX, 1, KIND_PACKETS },
	{ "ucast bytes rx", 1, DIR_RX, DIR_RX, 1, KIND_BYTES },
	{ "LRO pkts rx", 1, DIR_RX, DIR_RX, 1, KIND_OTHER },
	{ "pkts rx OOB", 1, DIR_RX, DIR_RX, 1, KIND_DROPS },
	{ "pkts rx err", 1, DIR_RX, DIR_RX, 1, KIND_OTHER },
	{ "drv dropped rx total", 1, DIR_RX, DIR_RX, 1, KIND_DROPS },
	{ "rx buf alloc fail", 1, DIR_RX, DIR_RX, 1, KIND_OTHER },
	{ "Rx Queue#", 1, DIR_RX, DIR_RX, 1, KIND_OTHER },
	{ "ucast pkts tx", 0, DIR_TX, DIR_TX, 0, KIND_PACKETS },
	{ "drv dropped tx total", 0, DIR_TX, DIR_TX, 0, KIND_OTHER },
	{ "giant hdr", 0, DIR_TX, DIR_TX, 0, KIND_OTHER },
	/* the same names outside a section are not per-queue figures */
	NOO("ucast pkts rx", DEV),
};

START_TEST(table_cases)
{
	const struct ccase *c = &cases[_i];
	struct counter_class got = classify_counter(c->name, c->sec_queue,
						    c->sec_dir);

	ck_assert_msg(got.dir == c->dir && got.queue == c->queue &&
		      got.kind == c->kind,
		      "%s: got %s q%d %s (rule \"%s\"), want %s q%d %s",
		      c->name, ctr_dir_name(got.dir), got.queue,
		      ctr_kind_name(got.kind), got.driver_rule,
		      ctr_dir_name(c->dir), c->queue, ctr_kind_name(c->kind));
	ck_assert_ptr_nonnull(got.driver_rule);
}
END_TEST

/* Every name a known driver prints is matched by some rule. */
START_TEST(known_names_have_rules)
{
	const struct ccase *c = &cases[_i];
	struct counter_class got = classify_counter(c->name, c->sec_queue,
						    c->sec_dir);

	/* Device-wide names with no direction need no rule. */
	if (c->dir == DIR_NONE && c->queue < 0)
		return;
	ck_assert_msg(got.driver_rule[0] != '\0', "%s matched no rule",
		      c->name);
}
END_TEST

START_TEST(sections)
{
	enum ctr_dir dir = DIR_NONE;

	ck_assert(classify_section("Rx Queue#", &dir));
	ck_assert_int_eq(dir, DIR_RX);
	ck_assert(classify_section("Tx Queue#", &dir));
	ck_assert_int_eq(dir, DIR_TX);
	ck_assert(!classify_section("rx_queue_0_packets", &dir));
	ck_assert(!classify_section("Rx Queue", &dir));
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(ctr_kind_name(KIND_DROPS), "drops");
	ck_assert_str_eq(ctr_kind_name(KIND_PACKETS), "packets");
	ck_assert_str_eq(ctr_dir_name(DIR_RX), "rx");
	ck_assert_str_eq(ctr_dir_name(DIR_NONE), "none");
}
END_TEST

/* The index gives, for every name of every capture, the
 * answer of the walk through the whole table, outside a section and
 * inside one of each direction; and for names no driver prints. */
static const char *const captures[] = {
	"bnx2x-ethq.txt", "bnxt_en-ethq.txt", "e1000e-ethq.txt",
	"ena-aws-k5.4.txt", "ena-ethq.txt", "gve-gcp-c4a-arm64.txt",
	"i40e-showmax-rhel8-k4.18.0-348.txt",
	"i40e-showmax-rhel8-k4.18.0-448.txt", "ice-ethq.txt",
	"igb-showmax-rhel8.txt", "ixgbe-usrp-users-eno2.txt",
	"mlx5_core-ethq.txt", "mlx5_core-xdp-k5.15-nonzero-only-bpf-list.txt",
	"mlx5_core-xdp-k6.5-nonzero-only-bpf-list.txt", "sfc-ethq.txt",
	"virtio_net-do-k5.15.txt", "virtio_net-ethq.txt",
	"virtio_net-gcp-k6.14.txt", "vmxnet3-ethq.txt",
};

static void assert_index_equals_walk(const char *name)
{
	static const enum ctr_dir dirs[] = { DIR_NONE, DIR_RX, DIR_TX };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int q = dirs[i] == DIR_NONE ? -1 : 3;
		struct counter_class a = classify_counter(name, q, dirs[i]);
		struct counter_class b = classify_counter_walk(name, q, dirs[i]);

		ck_assert_msg(a.dir == b.dir && a.queue == b.queue &&
			      a.kind == b.kind &&
			      strcmp(a.driver_rule, b.driver_rule) == 0,
			      "\"%s\" (section %d): index says %s, walk %s",
			      name, (int)dirs[i], a.driver_rule,
			      b.driver_rule);
	}
}

/* The name of a "name: value" line, as the parser takes it: before the
 * last colon, without blanks around it. */
static size_t line_name(const char *line, size_t len, char *out,
			size_t size)
{
	const char *colon = NULL;
	size_t start = 0, end;

	for (size_t i = 0; i < len; i++)
		if (line[i] == ':')
			colon = line + i;
	if (!colon)
		return 0;
	end = (size_t)(colon - line);
	while (start < end && (line[start] == ' ' || line[start] == '\t'))
		start++;
	while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	if (end - start >= size)
		return 0;
	memcpy(out, line + start, end - start);
	out[end - start] = '\0';
	return end - start;
}

START_TEST(index_equals_walk)
{
	char rel[128], name[256], *text;
	const char *pos, *line;
	size_t len, seen = 0;

	snprintf(rel, sizeof(rel), "ethtool-S/%s", captures[_i]);
	text = test_data(rel, NULL);
	pos = text;
	while ((line = next_line(&pos, &len))) {
		if (!line_name(line, len, name, sizeof(name)))
			continue;
		assert_index_equals_walk(name);
		seen++;
	}
	ck_assert_uint_gt(seen, 3);
	free(text);
}
END_TEST

/* Every beginning of every name of a capture: a walk of the index that
 * stops short (at the name's end, or a byte no rule has there) must still
 * give the walk's answer, and some beginnings are other rules' names. */
START_TEST(index_equals_walk_prefixes)
{
	char rel[128], name[256], *text;
	const char *pos, *line;
	size_t len, n;

	snprintf(rel, sizeof(rel), "ethtool-S/%s", captures[_i]);
	text = test_data(rel, NULL);
	pos = text;
	while ((line = next_line(&pos, &len))) {
		n = line_name(line, len, name, sizeof(name));
		for (; n > 0; n--) {
			name[n] = '\0';
			assert_index_equals_walk(name);
		}
	}
	free(text);
}
END_TEST

START_TEST(index_equals_walk_odd_names)
{
	static const char *const odd[] = {
		"", "*", "%q", "%", "[", "[3]: rx_bytes", "[x]: rx_bytes",
		"\xff\xfe", "\x7f", "Rx Queue#", "Tx Queue#", "rx", "r",
		"queue_0_rx_cnt", "_allowance_exceeded",
		"bw_in_allowance_exceeded", "rx_bytes[7]", "x[1]",
		"ucast pkts rx", "drv dropped rx total", "tx-xdp-cpu-1.foo",
		"rx_queue_", "rx_queue_7", "rx_queue_7_", "rx_queue_x_bytes",
		"rx_queue_99999_bytes", "rx7", "rx-3.", "tx-xdp-cpu-",
		"port.rx_dropped_x", "rx_dropped.nic", "rx_prio3_discards",
		"rx_prio_discards", "[1]: rx_", "[1]: ", "rx_out_of_buffer",
		"rx_out_of_buffe", "rx_out_of_bufferx", "queue_1_rx_",
	};

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		assert_index_equals_walk(odd[i]);
}
END_TEST

/* Names spliced from pieces of the rules' patterns, digits and odd bytes,
 * some cut short or with one byte changed: adversarial shapes the
 * captures lack (a literal end reached through a wildcard, a head of one
 * rule with the end of another, digits where a literal is expected). The
 * index must give the walk's answer for each (review18). */
START_TEST(index_equals_walk_spliced_names)
{
	static const char *const pieces[] = {
		"rx", "tx", "_", "-", ".", "[", "]", ": ", "%q", "0", "12",
		"99999", "65536", "queue", "_packets", "_bytes", "_drops",
		"bytes", "packets", "drop", "ped", "rx_", "tx_", "port",
		"Rx Queue#", "ucast pkts rx", "*", "q", "n", "ch", "cpu-",
		"xdp", "_cnt", "discards", "prio", "allowance_exceeded",
		"dropped", "nic", "OOB", "total", "x", "\xff", "rx_queue_",
		"rx-", "tx-", "[3]", "[3]: ", "rx_bytes", "rx_packets",
		"rx_dropped", "_rx_cnt", "queue_1", "_sw_drop",
		"oversize_pkts", "s", "e", "d",
	};
	static const char odd[] = "rxt_0.-[]q";
	uint32_t x = 2463534242u;
	char name[256];

	for (int it = 0; it < 200000; it++) {
		size_t len = 0;
		int k;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		k = 1 + (int)(x % 6);
		for (int j = 0; j < k; j++) {
			const char *p;
			size_t n;

			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			p = pieces[x % (sizeof(pieces) / sizeof(pieces[0]))];
			n = strlen(p);
			if (len + n < sizeof(name)) {
				memcpy(name + len, p, n);
				len += n;
			}
		}
		name[len] = '\0';
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		if (len > 0 && x % 4 == 0)
			name[(x >> 8) % len] = odd[(x >> 4) % (sizeof(odd) - 1)];
		else if (x % 5 == 1)
			name[(x >> 8) % (len + 1)] = '\0';
		assert_index_equals_walk(name);
	}
}
END_TEST

/* The cache gives what the table walk gives, whatever the table's size:
 * each name classified twice in each context (the second time a hit
 * unless evicted), with a section queue that changes between calls (the
 * cache keeps the rule, not the section's queue). */
static void assert_cached_equals_walk(const char *name, int round)
{
	static const enum ctr_dir dirs[] = { DIR_NONE, DIR_RX, DIR_TX, DIR_RX };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int q = dirs[i] == DIR_NONE ? -1 : (int)i + round;
		struct counter_class a = classify_counter(name, q, dirs[i]);
		struct counter_class b = classify_counter_walk(name, q, dirs[i]);

		ck_assert_msg(a.dir == b.dir && a.queue == b.queue &&
			      a.kind == b.kind && a.driver_rule == b.driver_rule,
			      "\"%s\" (section %d, round %d): cached %s/%d, "
			      "walk %s/%d", name, (int)dirs[i], round,
			      a.driver_rule, a.queue, b.driver_rule, b.queue);
	}
}

static void classify_names_twice(char **list, size_t n)
{
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < n; i++)
			assert_cached_equals_walk(list[i], round);
}

static char **all_names(size_t *count)
{
	char rel[128], name[256], *text, **list = NULL;
	const char *pos, *line;
	size_t len, n = 0, cap = 0;
	uint32_t x = 88172645u;

	for (size_t c = 0; c < sizeof(captures) / sizeof(captures[0]); c++) {
		snprintf(rel, sizeof(rel), "ethtool-S/%s", captures[c]);
		text = test_data(rel, NULL);
		pos = text;
		while ((line = next_line(&pos, &len))) {
			size_t nl = line_name(line, len, name, sizeof(name));

			if (!nl)
				continue;
			if (n + 2 > cap) {
				cap = cap ? 2 * cap : 1024;
				list = realloc(list, cap * sizeof(*list));
				ck_assert_ptr_nonnull(list);
			}
			list[n++] = strdup(name);
			/* The same name with a byte changed or cut: near
			 * keys that must not share an answer by mistake. */
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			if (x % 2)
				name[(x >> 8) % nl] = "0123456789_x.["[(x >> 4) % 14];
			else
				name[(x >> 8) % nl] = '\0';
			list[n++] = strdup(name);
		}
		free(text);
	}
	*count = n;
	return list;
}

/* Every name of every capture and a copy of each with a byte changed or
 * cut, in the default table, in tables of 2, 4 and 16 slots (collisions
 * and replacements all the time) and with no cache. */
START_TEST(cache_equals_walk)
{
	static const unsigned sizes[] = { 12, 1, 2, 4, 0, 12 };
	size_t n;
	char **list = all_names(&n);

	ck_assert_uint_gt(n, 4000);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		classify_cache_size(sizes[i]);
		classify_names_twice(list, n);
	}
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
END_TEST

/* 2,000 names spliced from the patterns' pieces, of every length around
 * the cache's word boundaries and its 32-byte limit (longer ones are not
 * cached), in tables of 16 and 4096 slots. */
START_TEST(cache_equals_walk_spliced)
{
	static const char *const pieces[] = {
		"rx", "tx", "_", "-", ".", "[", "]", ": ", "0", "12", "65536",
		"queue", "_packets", "_bytes", "_drops", "rx_", "tx_", "[3]: ",
		"Rx Queue#", "ucast pkts rx", "*", "ch", "_cnt", "discards",
		"allowance_exceeded", "dropped", "x", "\xff", "rx_queue_",
		"rx-", "[3]", "port", "s",
	};
	char *list[2000], name[256];
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < 2000; i++) {
		size_t len = 0, k;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		k = 1 + x % 8;
		for (size_t j = 0; j < k; j++) {
			const char *p;
			size_t pl;

			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			p = pieces[x % (sizeof(pieces) / sizeof(pieces[0]))];
			pl = strlen(p);
			if (len + pl < 48) {
				memcpy(name + len, p, pl);
				len += pl;
			}
		}
		name[len] = '\0';
		list[i] = strdup(name);
	}
	for (int bits = 4; bits <= 12; bits += 8) {
		classify_cache_size((unsigned)bits);
		classify_names_twice(list, 2000);
	}
	for (size_t i = 0; i < 2000; i++)
		free(list[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("core");
	int n = (int)(sizeof(cases) / sizeof(cases[0]));

	tcase_add_loop_test(tc, table_cases, 0, n);
	tcase_add_loop_test(tc, known_names_have_rules, 0, n);
	tcase_add_test(tc, sections);
	tcase_add_test(tc, names);
	tcase_add_loop_test(tc, index_equals_walk, 0,
			    (int)(sizeof(captures) / sizeof(captures[0])));
	tcase_add_loop_test(tc, index_equals_walk_prefixes, 0,
			    (int)(sizeof(captures) / sizeof(captures[0])));
	tcase_add_test(tc, index_equals_walk_odd_names);
	tcase_add_test(tc, index_equals_walk_spliced_names);
	tcase_add_test(tc, cache_equals_walk);
	tcase_add_test(tc, cache_equals_walk_spliced);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
