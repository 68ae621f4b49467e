/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The live collector across refreshes, on veth devices in a network
 * namespace this test creates (root only; exit 77 otherwise): settings it
 * keeps are read again at once when the device changes its layout, and a
 * device deleted and made again between refreshes is reported gone, then
 * read anew, and a kept sysfs file of a renamed device is let go. */
#include "config.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "filecache.h"
#include "netns.h"
#include "sources.h"
#include "testutil.h"

static char ns[64];

/* Runs a command line inside the test's namespace. */
static void in_ns(const char *line)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "ip netns exec %s %s", ns, line);
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static char dev_va[] = "va";
static char *devs[] = { dev_va };
static const struct collect_config cfg = {
	.root = "", .devs = devs, .ndevs = 1, .use_ethtool = true,
	.use_sockdiag = true, .use_netlink = true,
};

static void enter_ns(void)
{
	char err[256];

	ck_assert_msg(netns_enter(ns, err, sizeof(err)) == 0, "%s", err);
	/* What an earlier case left (each runs in its own process). */
	snprintf(err, sizeof(err), "ip -n %s link del va 2>/dev/null", ns);
	if (system(err) != 0)
		err[0] = '\0';
	in_ns("ip link add va type veth peer name vb");
	in_ns("ip link set va up");
	in_ns("ip link set vb up");
}

static void take(struct collector *k, struct raw_snapshot *r,
		 struct snapshot *s)
{
	raw_init(r);
	collector_run(k, r);
	snapshot_init(s);
	snapshot_from_raw(r, s);
}

static void drop(struct raw_snapshot *r, struct snapshot *s)
{
	raw_free(r);
	snapshot_free(s);
}

/* `ethtool -L va rx 2` changes the statistics layout (two rx_queue_N
 * groups): the channels and queue count must follow in the very next
 * refresh, not after the settings period. */
START_TEST(layout_change_rereads_settings)
{
	struct collector *k;
	struct raw_snapshot r;
	struct snapshot s;
	struct device *d;

	enter_ns();
	k = collector_new(&cfg);
	take(k, &r, &s);
	d = snapshot_find_device(&s, "va");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->channels_rx, 1);
	ck_assert_int_eq(d->sys_rx_queues, 1);
	drop(&r, &s);
	/* Unchanged, the kept settings give the same figures. */
	take(k, &r, &s);
	d = snapshot_find_device(&s, "va");
	ck_assert_int_eq(d->channels_rx, 1);
	ck_assert_ptr_nonnull(raw_find(&r, "sysfs-dev va"));
	drop(&r, &s);
	in_ns("ethtool -L va rx 2");
	take(k, &r, &s);
	d = snapshot_find_device(&s, "va");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->channels_rx, 2);
	ck_assert_int_eq(d->sys_rx_queues, 2);
	ck_assert_int_eq(d->nrxq, 2);
	drop(&r, &s);
	collector_free(k);
}
END_TEST

/* Deleted: no source of va at all (its kept settings are not replayed),
 * so the diagnosis calls it vanished; made again: read in full. */
START_TEST(replaced_device_is_read_anew)
{
	struct collector *k;
	struct raw_snapshot r;
	struct snapshot s;
	struct device *d;

	enter_ns();
	k = collector_new(&cfg);
	take(k, &r, &s);
	ck_assert_ptr_nonnull(snapshot_find_device(&s, "va"));
	ck_assert_ptr_nonnull(raw_find(&r, "ethtool -i va"));
	drop(&r, &s);
	in_ns("ip link del va");
	take(k, &r, &s);
	ck_assert_ptr_null(snapshot_find_device(&s, "va"));
	for (size_t i = 0; i < r.nsrcs; i++)
		ck_assert_msg(!strstr(r.srcs[i].name, " va"),
			      "source %s of a deleted device", r.srcs[i].name);
	ck_assert_uint_gt(r.nnotes, 0);
	drop(&r, &s);
	in_ns("ip link add va numrxqueues 2 type veth peer name vb");
	in_ns("ethtool -L va rx 2");
	take(k, &r, &s);
	d = snapshot_find_device(&s, "va");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(raw_find(&r, "ethtool -i va"));
	ck_assert_ptr_nonnull(raw_find(&r, "link va"));
	ck_assert_int_eq(d->channels_rx, 2);
	drop(&r, &s);
	collector_free(k);
}
END_TEST

static int sysfs_ifindex(struct file_cache *fc, unsigned flags)
{
	char *text;
	int v;

	ck_assert_int_eq(file_cache_read(fc, "/sys/class/net/va/ifindex",
					 flags, &text, NULL), 0);
	v = atoi(text);
	free(text);
	return v;
}

/* Renamed, a device takes its sysfs files along, and a kept descriptor
 * still reads them: with FC_SAME_FILE the cache sees that the path now
 * names the new device's file. */
START_TEST(renamed_device_file_is_not_kept)
{
	struct file_cache *fc = file_cache_new(8);
	int first;

	enter_ns();
	first = sysfs_ifindex(fc, FC_ONE_VALUE | FC_SAME_FILE);
	ck_assert_int_eq(first, (int)if_nametoindex("va"));
	in_ns("ip link set va name vold");
	in_ns("ip link add va type veth peer name vb2");
	ck_assert_int_eq(sysfs_ifindex(fc, FC_ONE_VALUE | FC_SAME_FILE),
			 (int)if_nametoindex("va"));
	ck_assert_int_ne((int)if_nametoindex("va"), first);
	in_ns("ip link del vold");
	file_cache_free(fc);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	char cmd[128];
	int rc;

	if (geteuid() != 0) {
		puts("test_collector: SKIP: needs root for a network "
		     "namespace and veth devices");
		return 77;
	}
	snprintf(ns, sizeof(ns), "droptop-col-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s", ns);
	if (system(cmd) != 0) {
		puts("test_collector: SKIP: cannot create a network namespace");
		return 77;
	}
	s = suite_create("collector");
	tc = tcase_create("veth");
	tcase_add_test(tc, layout_change_rereads_settings);
	tcase_add_test(tc, replaced_device_is_read_anew);
	tcase_add_test(tc, renamed_device_file_is_not_kept);
	suite_add_tcase(s, tc);
	rc = test_run_suite(s);
	snprintf(cmd, sizeof(cmd), "ip netns del %s", ns);
	if (system(cmd) != 0)
		fprintf(stderr, "test_collector: could not delete %s\n", ns);
	return rc;
}
