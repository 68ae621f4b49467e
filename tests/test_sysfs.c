/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sysfs, numa, sysctl and irq-affinity sources: parsers, the live
 * collectors run on a fake root (a temporary directory holding real
 * captures where they exist), the whole live collection through that root,
 * and the collectors on this host. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"
#include "sources_internal.h"
#include "testutil.h"
#include "sourcetest.h"
#include "util.h"

/* ---- a fake root ---- */

static char root[512];

static void root_mkdir(const char *rel)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST,
			      "mkdir %s", path);
		*p = '/';
	}
	ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s",
		      path);
}

static void root_put(const char *rel, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	text_write_file(path, text);
}

static void root_put_data(const char *rel, const char *data_rel)
{
	char *text = test_data(data_rel, NULL);

	root_put(rel, text);
	free(text);
}

/* Copies a file of this host into the root; false if the host has none. */
static bool root_put_host(const char *rel, const char *host_path)
{
	char *text;

	if (read_text_file(host_path, &text, NULL) < 0)
		return false;
	root_put(rel, text);
	free(text);
	return true;
}

static void root_symlink(const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	ck_assert_int_eq(symlink(target, path), 0);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void root_setup(void)
{
	snprintf(root, sizeof(root), "%s/droptop-root-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static void root_teardown(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Statistics copied from this host's loopback (always present), so the
 * values are a real capture. Returns the rx_packets value copied. */
static uint64_t root_add_stats(const char *dev)
{
	static const char *const names[] = {
		"rx_packets", "rx_bytes", "rx_dropped", "rx_errors",
		"rx_missed_errors", "rx_fifo_errors", "rx_over_errors",
		"rx_crc_errors", "rx_frame_errors", "rx_length_errors",
		"rx_nohandler", "tx_packets", "collisions", "multicast",
	};
	char rel[256], host[256], path[PATH_MAX], *v;
	uint64_t rx;

	snprintf(rel, sizeof(rel), "/sys/class/net/%s/statistics", dev);
	root_mkdir(rel);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/statistics/%s",
			 dev, names[i]);
		snprintf(host, sizeof(host),
			 "/sys/class/net/lo/statistics/%s", names[i]);
		ck_assert_msg(root_put_host(rel, host), "no %s", host);
	}
	snprintf(path, sizeof(path),
		 "%s/sys/class/net/%s/statistics/rx_packets", root, dev);
	ck_assert_int_eq(read_text_file(path, &v, NULL), 0);
	rx = strtoull(v, NULL, 10);
	free(v);
	return rx;
}

static void root_add_queues(const char *dev, int nrx)
{
	char rel[256];

	for (int q = 0; q < nrx; q++) {
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/queues/rx-%d",
			 dev, q);
		root_mkdir(rel);
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/queues/tx-%d",
			 dev, q);
		root_mkdir(rel);
	}
}

/* The tree the brief of every collector needs:
 *   eth9: PCI device 0000:00:03.0 on NUMA node 1, 2 RX queues
 *   em1:  no device link (as a virtual device), 8 RX queues
 *   lo:   never listed
 * plus 2 NUMA nodes and a memory-only one, net.core sysctls copied from
 * this host, and the /proc files of the Ubuntu 3.13 capture set. */
static void root_build(void)
{
	static const char *const core[] = {
		"rmem_max", "rmem_default", "netdev_max_backlog",
		"netdev_budget", "netdev_budget_usecs",
	};
	char rel[256], host[256];

	root_add_stats("eth9");
	root_add_queues("eth9", 2);
	root_mkdir("/sys/devices/pci0000:00/0000:00:03.0");
	root_put("/sys/devices/pci0000:00/0000:00:03.0/numa_node", "1\n");
	root_symlink("/sys/class/net/eth9/device",
		     "../../../devices/pci0000:00/0000:00:03.0");
	root_add_stats("em1");
	root_add_queues("em1", 8);
	root_mkdir("/sys/class/net/lo/queues/rx-0");
	root_mkdir("/sys/devices/system/node/node0");
	root_mkdir("/sys/devices/system/node/node2");
	root_mkdir("/sys/devices/system/node/node10");
	root_put("/sys/devices/system/node/node0/cpulist", "0-3\n");
	root_put("/sys/devices/system/node/node2/cpulist", "4-7\n");
	root_put("/sys/devices/system/node/node10/cpulist", "\n");
	root_put("/sys/devices/system/node/possible", "0-10\n");
	root_mkdir("/proc/sys/net/core");
	for (size_t i = 0; i < ARRAY_SIZE(core); i++) {
		snprintf(rel, sizeof(rel), "/proc/sys/net/core/%s", core[i]);
		snprintf(host, sizeof(host), "/proc/sys/net/core/%s", core[i]);
		ck_assert_msg(root_put_host(rel, host), "no %s", host);
	}
	root_mkdir("/proc/net");
	root_put_data("/proc/net/snmp",
		      "snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt");
	root_put_data("/proc/net/snmp6",
		      "snmp6/ubuntu-k3.13-csm-proc-snapshot.txt");
	root_put_data("/proc/net/softnet_stat",
		      "softnet_stat/13col-9cpu-cpu6-offline-sysstat.txt");
	root_put_data("/proc/net/udp",
		      "proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt");
	root_put_data("/proc/softirqs",
		"softirqs/16possible-8online-cpu-ubuntu-k3.13-csm-proc-snapshot.txt");
	root_put_data("/proc/stat",
		      "stat/8cpu-ubuntu-k3.13-csm-proc-snapshot.txt");
	root_put_data("/proc/interrupts",
		      "interrupts/igb-em1-16cpu-filtered-uncelvel.txt");
	root_mkdir("/proc/irq/38");
	root_mkdir("/proc/irq/39");
	root_mkdir("/proc/irq/40"); /* no smp_affinity_list: skipped */
	root_put("/proc/irq/38/smp_affinity_list", "0-3\n");
	root_put("/proc/irq/39/smp_affinity_list", "9\n");
}

/* The value of a sysctl of this host, as the test expects it copied. */
static char *host_value(const char *path)
{
	char *v;

	ck_assert_int_eq(read_text_file(path, &v, NULL), 0);
	v[strcspn(v, "\n")] = '\0';
	return v;
}

/* ---- collectors on the fake root ---- */

/* The sysfs fallback's link state: a device set down (IFF_UP clear in
 * flags, carrier unreadable as on a real one), one up, and an operstate
 * file that is not a state word (noted, left unknown). */
START_TEST(root_link_state)
{
	struct strbuf sb;
	struct snapshot s;
	struct device *d;

	root_add_stats("eth9");
	root_put("/sys/class/net/eth9/operstate", "down\n");
	root_put("/sys/class/net/eth9/flags", "0x1002\n");
	sb_init(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth9", &sb), 0);
	ck_assert_ptr_nonnull(strstr(sb.s, "\nadmin_up 0\noperstate down\n"));
	ck_assert_ptr_null(strstr(sb.s, "carrier "));
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", sb.s), 0);
	d = snapshot_find_device(&s, "eth9");
	ck_assert_int_eq(d->admin_up, 0);
	ck_assert_str_eq(d->operstate, "down");
	ck_assert_int_eq(d->carrier, -1);
	snapshot_free(&s);

	root_put("/sys/class/net/eth9/operstate", "up\n");
	root_put("/sys/class/net/eth9/flags", "0x1003\n");
	root_put("/sys/class/net/eth9/carrier", "1\n");
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth9", &sb), 0);
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", sb.s), 0);
	d = snapshot_find_device(&s, "eth9");
	ck_assert_int_eq(d->admin_up, 1);
	ck_assert_str_eq(d->operstate, "up");
	ck_assert_int_eq(d->carrier, 1);
	snapshot_free(&s);

	root_put("/sys/class/net/eth9/operstate", "up\033[2J\n");
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth9", &sb), 0);
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", sb.s), -EINVAL);
	d = snapshot_find_device(&s, "eth9");
	ck_assert_str_eq(d->operstate, "");
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_ptr_nonnull(strstr(s.notes[0], "operstate: not a known state"));
	ck_assert_ptr_null(strchr(s.notes[0], '\033'));
	snapshot_free(&s);
	sb_free(&sb);
}
END_TEST

START_TEST(root_stats)
{
	struct strbuf sb;
	struct snapshot s;
	struct device *d;
	uint64_t rx = root_add_stats("eth9");
	char want[64];

	root_mkdir("/sys/class/net/eth9/statistics/not-a-counter");
	sb_init(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth9", &sb), 0);
	/* Sorted, one "NAME VALUE" line per file, directories left out. */
	ck_assert_int_eq(text_count_lines(sb.s), 14);
	ck_assert_int_eq(strncmp(sb.s, "collisions ", 11), 0);
	ck_assert_ptr_null(strstr(sb.s, "not-a-counter"));
	snprintf(want, sizeof(want), "\nrx_packets %llu\n",
		 (unsigned long long)rx);
	ck_assert_ptr_nonnull(strstr(sb.s, want));
	ck_assert_ptr_nonnull(strstr(sb.s, "\ntx_packets "));
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", sb.s), 0);
	assert_no_notes(&s, "sysfs eth9");
	d = snapshot_find_device(&s, "eth9");
	ck_assert(d->have_sysfs);
	/* rx_otherhost_dropped is in rtnetlink's stats64 only. */
	for (int i = 0; i < SYS_N; i++)
		ck_assert_msg(d->sys_have[i] == (i != SYS_RX_OTHERHOST_DROPPED),
			      "counter %d", i);
	ck_assert_uint_eq(d->sys[SYS_RX_PACKETS], rx);
	snapshot_free(&s);
	sb_free(&sb);

	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth8", &sb), -ENOENT);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "../eth9", &sb), -EINVAL);
	sb_free(&sb);
}
END_TEST

START_TEST(root_dev)
{
	struct strbuf sb;
	struct snapshot s;
	struct device *d;

	root_build();
	sb_init(&sb);
	ck_assert_int_eq(sysfs_dev_collect(root, "eth9", &sb), 0);
	ck_assert_str_eq(sb.s, "parent 0000:00:03.0\nrx_queues 2\n");
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_dev_parse(&s, "eth9", sb.s), 0);
	d = snapshot_find_device(&s, "eth9");
	ck_assert_str_eq(d->parent, "0000:00:03.0");
	ck_assert_int_eq(d->sys_rx_queues, 2);
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_dev_collect(root, "em1", &sb), 0);
	ck_assert_str_eq(sb.s, "rx_queues 8\n");
	ck_assert_int_eq(sysfs_dev_parse(&s, "em1", sb.s), 0);
	ck_assert_str_eq(snapshot_find_device(&s, "em1")->parent, "");
	ck_assert_int_eq(snapshot_find_device(&s, "em1")->sys_rx_queues, 8);
	assert_no_notes(&s, "sysfs-dev");
	snapshot_free(&s);
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_dev_collect(root, "eth8", &sb), -ENOENT);
	sb_free(&sb);
}
END_TEST

START_TEST(root_numa)
{
	char eth9[] = "eth9", em1[] = "em1", eth8[] = "eth8";
	char *devs[] = { eth9, em1, eth8 };
	struct strbuf sb;
	struct snapshot s;

	root_build();
	sb_init(&sb);
	ck_assert_int_eq(numa_collect(NULL, root, devs, 3, &sb), 0);
	/* Numeric node order; only eth9 has a device with a NUMA node. */
	ck_assert_str_eq(sb.s, "node 0 0-3\nnode 2 4-7\nnode 10\n"
			       "dev eth9 1\n");
	snapshot_init(&s);
	ck_assert_int_eq(numa_parse(&s, sb.s), 0);
	assert_no_notes(&s, "numa");
	ck_assert_uint_eq(s.nnodes, 3);
	ck_assert_int_eq(s.nodes[1].node, 2);
	ck_assert(cpulist_has(s.nodes[1].cpus, 4));
	ck_assert(cpulist_has(s.nodes[1].cpus, 7));
	ck_assert(!cpulist_has(s.nodes[1].cpus, 3));
	ck_assert_int_eq(s.nodes[2].node, 10);
	for (int c = 0; c < 64; c++)
		ck_assert(!cpulist_has(s.nodes[2].cpus, c));
	ck_assert_int_eq(snapshot_find_device(&s, "eth9")->numa_node, 1);
	snapshot_free(&s);
	sb_free(&sb);
}
END_TEST

START_TEST(root_without_numa)
{
	char eth9[] = "eth9";
	char *devs[] = { eth9 };
	struct strbuf sb;

	/* A kernel without NUMA: no node directory, the host is one node. */
	root_add_stats("eth9");
	sb_init(&sb);
	ck_assert_int_eq(numa_collect(NULL, root, devs, 1, &sb), 0);
	ck_assert_uint_eq(sb.len, 0);
	sb_free(&sb);
}
END_TEST

START_TEST(root_sysctl)
{
	static const char *const order[] = {
		"netdev_budget", "netdev_budget_usecs", "netdev_max_backlog",
		"rmem_default", "rmem_max",
	};
	struct strbuf sb, want;
	struct snapshot s;
	char path[256], *v;

	root_build();
	sb_init(&sb);
	sb_init(&want);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/core/%s", order[i]);
		v = host_value(path);
		sb_printf(&want, "net.core.%s %s\n", order[i], v);
		free(v);
	}
	ck_assert_int_eq(sysctl_collect(NULL, root, &sb), 0);
	ck_assert_str_eq(sb.s, want.s);
	snapshot_init(&s);
	ck_assert_int_eq(sysctl_parse(&s, sb.s), 0);
	assert_no_notes(&s, "sysctl");
	for (int i = 0; i <= SYSCTL_NETDEV_BUDGET_USECS; i++)
		ck_assert(s.sysctl_have[i]);
	v = host_value("/proc/sys/net/core/rmem_max");
	ck_assert_uint_eq(s.sysctl[SYSCTL_RMEM_MAX], strtoull(v, NULL, 10));
	free(v);
	snapshot_free(&s);
	sb_free(&sb);
	sb_free(&want);
}
END_TEST

/* The ip-stage sysctls: reassembly limits, rp_filter of all and of each
 * watched device (a device without the directory, or not in the
 * snapshot, is left out). */
START_TEST(root_sysctl_ip)
{
	struct strbuf sb;
	struct snapshot s;
	char veth1[] = "veth1", vlan[] = "eth0.100", gone0[] = "gone0";
	char *const devs[] = { veth1, vlan, gone0 };

	root_mkdir("/proc/sys/net/ipv4/conf/all");
	root_mkdir("/proc/sys/net/ipv4/conf/veth1");
	root_mkdir("/proc/sys/net/ipv4/conf/eth0.100");
	root_put("/proc/sys/net/ipv4/ipfrag_high_thresh", "4194304\n");
	root_put("/proc/sys/net/ipv4/ipfrag_time", "30\n");
	root_put("/proc/sys/net/ipv4/conf/all/rp_filter", "0\n");
	root_put("/proc/sys/net/ipv4/conf/veth1/rp_filter", "1\n");
	root_put("/proc/sys/net/ipv4/conf/eth0.100/rp_filter", "2\n");
	sb_init(&sb);
	ck_assert_int_eq(sysctl_ip_collect(NULL, root, devs, 3, &sb), 0);
	ck_assert_str_eq(sb.s, "net.ipv4.ipfrag_high_thresh 4194304\n"
			       "net.ipv4.ipfrag_time 30\n"
			       "net.ipv4.conf.veth1.rp_filter 1\n"
			       "net.ipv4.conf.eth0.100.rp_filter 2\n"
			       "net.ipv4.conf.all.rp_filter 0\n");
	snapshot_init(&s);
	snapshot_device(&s, "veth1");
	snapshot_device(&s, "eth0.100");
	ck_assert_int_eq(sysctl_parse(&s, sb.s), 0);
	assert_no_notes(&s, "sysctl ip");
	ck_assert(s.sysctl_have[SYSCTL_IPFRAG_HIGH_THRESH]);
	ck_assert_uint_eq(s.sysctl[SYSCTL_IPFRAG_HIGH_THRESH], 4194304);
	ck_assert_uint_eq(s.sysctl[SYSCTL_IPFRAG_TIME], 30);
	ck_assert(s.sysctl_have[SYSCTL_RP_FILTER_ALL]);
	ck_assert_uint_eq(s.sysctl[SYSCTL_RP_FILTER_ALL], 0);
	ck_assert(!s.sysctl_have[SYSCTL_IP6FRAG_TIME]);
	ck_assert_int_eq(snapshot_find_device(&s, "veth1")->rp_filter, 1);
	ck_assert_int_eq(snapshot_find_device(&s, "eth0.100")->rp_filter, 2);
	snapshot_free(&s);
	/* A device the snapshot lacks is skipped, a bad value refused. */
	snapshot_init(&s);
	ck_assert_int_eq(sysctl_parse(&s, "net.ipv4.conf.x.rp_filter 1\n"), 0);
	ck_assert_uint_eq(s.ndevs, 0);
	snapshot_device(&s, "x");
	ck_assert_int_lt(sysctl_parse(&s, "net.ipv4.conf.x.rp_filter -1\n"),
			 0);
	ck_assert_int_eq(snapshot_find_device(&s, "x")->rp_filter, -1);
	snapshot_free(&s);
	sb_free(&sb);
}
END_TEST

START_TEST(root_list_devices)
{
	char **names;
	size_t n;

	root_build();
	ck_assert_int_eq(sysfs_list_devices(root, &names, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "em1");
	ck_assert_str_eq(names[1], "eth9");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ck_assert_int_eq(sysfs_list_devices("/nonexistent-droptop", &names,
					    &n), -ENOENT);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(root_irq_affinity)
{
	char path[PATH_MAX], *text;
	struct strbuf sb;
	struct snapshot s;

	root_build();
	snprintf(path, sizeof(path), "%s/proc/interrupts", root);
	ck_assert_int_eq(read_text_file(path, &text, NULL), 0);
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, text), 0);
	ck_assert_uint_eq(s.nirqs, 8);
	sb_init(&sb);
	ck_assert_int_eq(irq_affinity_collect(NULL, root, &s, &sb), 0);
	/* IRQ 40 has no smp_affinity_list, 41-45 no directory. */
	ck_assert_str_eq(sb.s, "38 0-3\n39 9\n");
	ck_assert_int_eq(irq_affinity_parse(&s, sb.s), 0);
	assert_no_notes(&s, "irq-affinity");
	ck_assert(s.irqs[0].have_affinity);
	ck_assert(cpulist_has(s.irqs[0].affinity, 3));
	ck_assert(!cpulist_has(s.irqs[0].affinity, 4));
	ck_assert(cpulist_has(s.irqs[1].affinity, 9));
	ck_assert(!s.irqs[2].have_affinity);
	snapshot_free(&s);
	sb_free(&sb);
	free(text);
}
END_TEST

static bool raw_note_has(const struct raw_snapshot *r, const char *needle)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], needle))
			return true;
	return false;
}

/* The whole live collection through the root prefix, then the same
 * parsing a replay does. */
START_TEST(root_collect_live)
{
	char em1_name[] = "em1", eth9_name[] = "eth9";
	char *devs[] = { em1_name, eth9_name };
	struct collect_config c = {
		.root = root, .devs = devs, .ndevs = 2, .use_ethtool = false,
		.use_sockdiag = false,
	};
	struct raw_snapshot r;
	struct snapshot s;
	const struct device *em1;
	char path[PATH_MAX];

	root_build();
	raw_init(&r);
	collect_live(&c, &r);
	/* /proc/net/udp6 is not in the root: a note naming the file. */
	snprintf(path, sizeof(path), "%s/proc/net/udp6", root);
	ck_assert(raw_note_has(&r, path));
	ck_assert_ptr_nonnull(raw_find(&r, "sysfs eth9"));
	ck_assert_str_eq(raw_find(&r, "irq-affinity")->text,
			 "38 0-3\n39 9\n");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert(s.snmp.have[UDP_IN_ERRORS]);
	ck_assert_uint_eq(s.snmp.v[UDP_IN_ERRORS], 8109);
	ck_assert_uint_eq(s.snmp.v[UDP_RCVBUF_ERRORS], 1);
	ck_assert_uint_eq(s.snmp.v[UDP6_IN_DATAGRAMS], 4518);
	ck_assert_int_eq(s.ncpus, 16);
	ck_assert(!s.cpus[6].have_softnet);
	ck_assert(s.cpus[7].have_softnet);
	ck_assert_uint_eq(s.cpus[2].net_rx, 54308502);
	ck_assert_uint_eq(s.cpus[2].softirq_ticks, 51177);
	ck_assert(s.have_udp && !s.have_udp6);
	ck_assert_uint_eq(s.nsocks, 11);
	/* em1's 8 queues are served by IRQs 38..45. */
	em1 = snapshot_find_device(&s, "em1");
	ck_assert_int_eq(em1->nrxq, 8);
	for (int q = 0; q < 8; q++)
		ck_assert_int_eq(em1->rxq[q].irq, 38 + q);
	ck_assert_int_eq(snapshot_find_device(&s, "eth9")->numa_node, 1);
	ck_assert_int_eq(s.cpus[5].numa_node, 2);
	ck_assert(s.sysctl_have[SYSCTL_NETDEV_MAX_BACKLOG]);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* ---- parsers on damaged text ---- */

START_TEST(parse_bad_values)
{
	struct strbuf sb;
	struct snapshot s;
	struct device *d;
	char *edit;
	int line;

	root_add_stats("eth9");
	sb_init(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, root, "eth9", &sb), 0);
	line = text_find_line(sb.s, "rx_dropped", 1);
	edit = text_replace_token(sb.s, line, 1, "12x");
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", edit), -EINVAL);
	ck_assert(any_note_has(&s, "sysfs eth9: line"));
	ck_assert(any_note_has(&s, "rx_dropped"));
	d = snapshot_find_device(&s, "eth9");
	ck_assert(!d->sys_have[SYS_RX_DROPPED]);
	ck_assert(d->sys_have[SYS_RX_PACKETS]);
	free(edit);
	/* The value on an unterminated last line may have lost digits. */
	edit = text_cut(sb.s, sb.len - 1);
	snapshot_free(&s);
	snapshot_init(&s);
	ck_assert_int_eq(sysfs_stats_parse(&s, "eth9", edit), -EINVAL);
	ck_assert(any_note_has(&s, "truncated"));
	ck_assert(!snapshot_find_device(&s, "eth9")->sys_have[SYS_TX_PACKETS]);
	free(edit);
	snapshot_free(&s);
	sb_free(&sb);

	snapshot_init(&s);
	ck_assert_int_eq(sysctl_parse(&s, "net.core.rmem_max 21x\n"
				      "net.core.rmem_default 212992\n"),
			 -EINVAL);
	ck_assert(any_note_has(&s, "sysctl: line 1: net.core.rmem_max"));
	ck_assert(!s.sysctl_have[SYSCTL_RMEM_MAX]);
	ck_assert_uint_eq(s.sysctl[SYSCTL_RMEM_DEFAULT], 212992);
	ck_assert_int_eq(numa_parse(&s, "node x 0-3\nnode 1 0-q\n"
				    "dev eth0\ndev eth0 -1\n"), -EINVAL);
	ck_assert_uint_eq(s.nnotes, 4);
	ck_assert_uint_eq(s.nnodes, 0);
	ck_assert_int_eq(snapshot_find_device(&s, "eth0")->numa_node, -1);
	ck_assert_int_eq(sysfs_dev_parse(&s, "eth0", "parent\nrx_queues z\n"),
			 -EINVAL);
	ck_assert_uint_eq(s.nnotes, 6);
	ck_assert_int_eq(snapshot_find_device(&s, "eth0")->sys_rx_queues, -1);
	snapshot_free(&s);
}
END_TEST

/* ---- this host ---- */

START_TEST(live_list_devices)
{
	char **names;
	size_t n;
	bool eth0 = access("/sys/class/net/eth0", F_OK) == 0;
	bool found = false;

	ck_assert_int_eq(sysfs_list_devices("", &names, &n), 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_ne(names[i], "lo");
		if (i > 0)
			ck_assert_int_lt(strcmp(names[i - 1], names[i]), 0);
		found |= strcmp(names[i], "eth0") == 0;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ck_assert_int_eq(found, eth0);
}
END_TEST

START_TEST(live_collectors)
{
	char lo[] = "lo";
	char *devs[] = { lo };
	struct strbuf sb;
	struct snapshot s;
	char *v;

	sb_init(&sb);
	snapshot_init(&s);
	ck_assert_int_eq(sysctl_collect(NULL, "", &sb), 0);
	ck_assert_ptr_nonnull(strstr(sb.s, "net.core.rmem_max "));
	ck_assert_int_eq(sysctl_parse(&s, sb.s), 0);
	ck_assert(s.sysctl_have[SYSCTL_RMEM_MAX]);
	v = host_value("/proc/sys/net/core/rmem_max");
	ck_assert_uint_eq(s.sysctl[SYSCTL_RMEM_MAX], strtoull(v, NULL, 10));
	free(v);
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_stats_collect(NULL, "", "lo", &sb), 0);
	ck_assert_int_eq(sysfs_stats_parse(&s, "lo", sb.s), 0);
	ck_assert(snapshot_find_device(&s, "lo")->sys_have[SYS_RX_PACKETS]);
	sb_reset(&sb);
	ck_assert_int_eq(sysfs_dev_collect("", "lo", &sb), 0);
	ck_assert_int_eq(sysfs_dev_parse(&s, "lo", sb.s), 0);
	ck_assert_int_ge(snapshot_find_device(&s, "lo")->sys_rx_queues, 1);
	sb_reset(&sb);
	ck_assert_int_eq(numa_collect(NULL, "", devs, 1, &sb), 0);
	ck_assert_int_eq(numa_parse(&s, sb.s ? sb.s : ""), 0);
	if (access("/sys/devices/system/node/node0", F_OK) == 0)
		ck_assert_uint_ge(s.nnodes, 1);
	assert_no_notes(&s, "live");
	snapshot_free(&s);
	sb_free(&sb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysfs");
	TCase *fake = tcase_create("root");
	TCase *live = tcase_create("live");

	tcase_add_checked_fixture(fake, root_setup, root_teardown);
	tcase_add_test(fake, root_stats);
	tcase_add_test(fake, root_link_state);
	tcase_add_test(fake, root_dev);
	tcase_add_test(fake, root_numa);
	tcase_add_test(fake, root_without_numa);
	tcase_add_test(fake, root_sysctl);
	tcase_add_test(fake, root_sysctl_ip);
	tcase_add_test(fake, root_list_devices);
	tcase_add_test(fake, root_irq_affinity);
	tcase_add_test(fake, root_collect_live);
	tcase_add_test(fake, parse_bad_values);
	suite_add_tcase(s, fake);
	tcase_add_test(live, live_list_devices);
	tcase_add_test(live, live_collectors);
	suite_add_tcase(s, live);
	return test_run_suite(s);
}
