/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression tests for the inputs the fuzz targets (fuzz/) found to
 * crash or to reach undefined behaviour, kept byte for byte in
 * tests/data/fuzz (see SOURCES.md). Each must parse to an error note, not
 * a crash: under --enable-sanitizers an undefined access fails the test. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recording.h"
#include "snapshot.h"
#include "sources_internal.h"
#include "testutil.h"

static bool has_note(const struct snapshot *s, const char *prefix)
{
	for (size_t i = 0; i < s->nnotes; i++)
		if (strncmp(s->notes[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* "queue rx 0(nap 257", then "queue" alone: the second line's missing
 * queue kind was compared with memcmp(NULL, ...) and an uninitialised
 * length (UBSan: null pointer passed as argument 1). */
START_TEST(napi_queue_without_kind)
{
	struct snapshot s;
	size_t len;
	char *text = test_data("fuzz/napi-queue-no-kind.txt", &len);

	snapshot_init(&s);
	snapshot_device(&s, "eth0");
	ck_assert_int_eq(napi_parse(&s, "eth0", text), -EINVAL);
	ck_assert(has_note(&s, "napi eth0: line 1: expected 'queue rx|tx N'"));
	ck_assert_uint_eq(s.devs[0].nqnapi, 0);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* The rest come from issue 12 (untrusted recordings), written by hand
 * as the fuzzer would have found them. */

/* No byte a terminal acts on: C0 controls, DEL, C1 (as UTF-8 or bare),
 * bidi controls (U+202A-202E, U+2066-2069 start with E2 80 / E2 81). */
static void assert_terminal_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		ck_assert_msg(*p >= 0x20 && *p != 0x7f && *p < 0x80,
			      "byte %#x in '%s'", *p, s);
	}
}

static void assert_rejected_safely(const char *file, const char *msg)
{
	struct raw_snapshot *snaps;
	size_t len, n;
	char err[256], *text = test_data(file, &len);

	ck_assert_int_eq(recording_parse(text, len, &snaps, &n, err,
					 sizeof(err)), -1);
	ck_assert_msg(strncmp(err, msg, strlen(msg)) == 0, "got '%s'", err);
	assert_terminal_safe(err);
	free(text);
}

START_TEST(recording_errors_escaped)
{
	assert_rejected_safely("fuzz/rec-version-escapes.rec",
			       "line 1: unsupported recording version");
	assert_rejected_safely("fuzz/rec-directive-osc52-bidi.rec",
			       "line 3: unknown directive");
}
END_TEST

/* "0-9223372036854775807": counting the range overflowed an int (UBSan);
 * the range is clamped to the CPUs droptop knows. */
START_TEST(numa_cpulist_overflow)
{
	struct snapshot s;
	char *text = test_data("fuzz/numa-cpulist-overflow.txt", NULL);

	snapshot_init(&s);
	ck_assert_int_eq(numa_parse(&s, text), 0);
	ck_assert_uint_eq(s.nnodes, 1);
	ck_assert(cpulist_has(s.nodes[0].cpus, MAX_CPUS - 1));
	snapshot_free(&s);
	free(text);
}
END_TEST

/* A snapshot of one source text about device big0. */
static void parse_one(struct snapshot *s, const char *name, const char *file)
{
	struct raw_snapshot r;

	raw_init(&r);
	test_raw_add_file(&r, name, file);
	snapshot_init(s);
	snapshot_from_raw(&r, s);
	raw_free(&r);
}

/* One counter line claimed 65,536 RX queues: that queue id is refused,
 * no queue rows are made for it. */
START_TEST(ethtool_queue_beyond_limit)
{
	struct snapshot s;

	parse_one(&s, "ethtool -S big0", "fuzz/ethtool-S-rx65535.txt");
	ck_assert_uint_eq(s.ndevs, 1);
	ck_assert_int_eq(s.devs[0].nrxq, 0);
	ck_assert(has_note(&s, "big0: RX queue ids from 4096 up: ignored"));
	snapshot_free(&s);
}
END_TEST

START_TEST(qstats_queue_beyond_limit)
{
	struct snapshot s;

	parse_one(&s, "qstats big0", "fuzz/qstats-queue-65535.txt");
	ck_assert_int_eq(s.devs[0].nqs_rxq, 0);
	ck_assert_int_eq(s.devs[0].nrxq, 0);
	ck_assert(has_note(&s, "big0: RX queue ids from 4096 up: ignored"));
	snapshot_free(&s);
}
END_TEST

/* Thread ids beyond SNAP_MAX_THREADS (the receiver's own limit) refuse
 * the source: ids index the threads. */
START_TEST(receiver_thread_beyond_limit)
{
	struct snapshot s;

	parse_one(&s, "receiver", "fuzz/receiver-thread-id-999999.txt");
	ck_assert(!s.receiver.present);
	ck_assert(has_note(&s, "receiver: receiver thread ids from 256 up: ignored"));
	ck_assert(has_note(&s, "receiver: line 2: thread id beyond the limit"));
	snapshot_free(&s);
}
END_TEST

START_TEST(numa_node_beyond_limit)
{
	struct snapshot s;

	parse_one(&s, "numa", "fuzz/numa-node-39999.txt");
	ck_assert_uint_eq(s.nnodes, 0);
	ck_assert_ptr_null(snapshot_find_node(&s, 39999));
	ck_assert(has_note(&s, "numa: NUMA node ids from 1024 up: ignored"));
	snapshot_free(&s);
}
END_TEST

/* A 20-byte device name was stored cut to 15 bytes but looked up in
 * full, so each of its sources made another device "eth0aaaaaaaaaaa".
 * Such names are refused, once, with a note. */
START_TEST(long_device_name)
{
	struct raw_snapshot *snaps;
	struct snapshot s;
	size_t len, n;
	char err[256], *text = test_data("fuzz/rec-long-devname.rec", &len);

	ck_assert_int_eq(recording_parse(text, len, &snaps, &n, err,
					 sizeof(err)), 0);
	snapshot_init(&s);
	snapshot_from_raw(&snaps[0], &s);
	ck_assert_uint_eq(s.ndevs, 0);
	ck_assert(has_note(&s, "eth0aaaaaaaaaaaaaaaa: device name of 16 bytes "
			   "or more: ignored"));
	snapshot_free(&s);
	recording_free(snaps, n);
	free(text);
	/* Called directly, the name is cut the same way to store and find. */
	snapshot_init(&s);
	snapshot_device(&s, "eth0aaaaaaaaaaaaaaaa");
	snapshot_device(&s, "eth0aaaaaaaaaaaaaaaa");
	ck_assert_uint_eq(s.ndevs, 1);
	ck_assert_str_eq(s.devs[0].name, "eth0aaaaaaaaaaa");
	snapshot_free(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz_regress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, napi_queue_without_kind);
	tcase_add_test(tc, recording_errors_escaped);
	tcase_add_test(tc, numa_cpulist_overflow);
	tcase_add_test(tc, ethtool_queue_beyond_limit);
	tcase_add_test(tc, qstats_queue_beyond_limit);
	tcase_add_test(tc, receiver_thread_beyond_limit);
	tcase_add_test(tc, numa_node_beyond_limit);
	tcase_add_test(tc, long_device_name);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
