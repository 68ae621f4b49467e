/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recording.h"
#include "testutil.h"

/* A recording of two snapshots holding real captures, one of them with a
 * raw line that starts with '@'. */
static char *build_recording(size_t *len)
{
	struct raw_snapshot r[2];
	struct strbuf sb;

	sb_init(&sb);
	recording_write_header(&sb);
	for (int i = 0; i < 2; i++) {
		raw_init(&r[i]);
		r[i].realtime_ns = 1700000000250000000LL + i * 1000000000LL;
		r[i].monotonic_ns = 1000500000000LL + i * 1000000000LL;
		test_raw_add_file(&r[i], "/proc/net/snmp", "snmp/node_exporter.txt");
		test_raw_add_file(&r[i], "ethtool -S eth0", "ethtool-S/sfc-ethq.txt");
		raw_add_copy(&r[i], "odd", "@line\n@@two\nplain", 17);
		recording_write_snapshot(&sb, &r[i]);
		raw_free(&r[i]);
	}
	*len = sb.len;
	return sb_steal(&sb);
}

START_TEST(round_trip)
{
	struct raw_snapshot *snaps;
	size_t len, n, flen;
	char err[256];
	char *text = build_recording(&len);
	char *sfc = test_data("ethtool-S/sfc-ethq.txt", &flen);
	const struct raw_source *src;

	ck_assert_int_eq(recording_parse(text, len, &snaps, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(snaps[1].monotonic_ns == 1001500000000LL);
	ck_assert(snaps[0].realtime_ns == 1700000000250000000LL);
	ck_assert_uint_eq(snaps[0].nsrcs, 3);
	src = raw_find(&snaps[1], "ethtool -S eth0");
	ck_assert_ptr_nonnull(src);
	/* The capture comes back byte for byte (plus a final newline if the
	 * capture had none). */
	ck_assert(strncmp(src->text, sfc, flen) == 0);
	ck_assert(src->len == flen || src->len == flen + 1);
	src = raw_find(&snaps[0], "odd");
	ck_assert_str_eq(src->text, "@line\n@@two\nplain\n");
	recording_free(snaps, n);
	free(sfc);
	free(text);
}
END_TEST

static int parse_str(const char *text, char *err, size_t errlen, size_t *n)
{
	struct raw_snapshot *snaps;
	int rc = recording_parse(text, strlen(text), &snaps, n, err, errlen);

	if (rc >= 0)
		recording_free(snaps, *n);
	return rc;
}

/* A parsed snapshot keeps every name and text in its one block, each
 * NUL-terminated right after the other: two allocations per snapshot,
 * not two per source (the fuzz target's largest cost under ASan). */
START_TEST(sources_share_one_block)
{
	struct raw_snapshot *snaps;
	size_t len, n;
	char err[256];
	char *text = build_recording(&len);

	ck_assert_int_eq(recording_parse(text, len, &snaps, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		const struct raw_snapshot *r = &snaps[i];
		const char *next = r->arena;

		ck_assert_ptr_nonnull(r->arena);
		ck_assert_uint_eq(r->nsrcs, 3);
		for (size_t j = 0; j < r->nsrcs; j++) {
			const struct raw_source *src = &r->srcs[j];

			ck_assert_ptr_eq(src->name, next);
			ck_assert_ptr_eq(src->text, src->name + strlen(src->name) + 1);
			ck_assert_uint_eq(strlen(src->text), src->len);
			next = src->text + src->len + 1;
		}
		ck_assert_str_eq(r->srcs[2].name, "odd");
		ck_assert_str_eq(r->srcs[2].text, "@line\n@@two\nplain\n");
	}
	recording_free(snaps, n);
	free(text);
}
END_TEST

START_TEST(rejects_bad_files)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "", "line 1: empty file" },
		{ "droptop-recording 2\n", "line 1: unsupported recording version" },
		{ "hello\n", "line 1: not a droptop recording" },
		{ "droptop-recording 1\n@snapshot 1 2\n@source x\nabc\n",
		  "line 4: file ends inside the snapshot started at line 2" },
		{ "droptop-recording 1\n@snapshot 1 2\n@end\ngarbage\n",
		  "line 4: text outside a @source" },
		{ "droptop-recording 1\n@snapshot one 2\n@end\n",
		  "line 2: @snapshot needs two" },
		{ "droptop-recording 1\n@snapshot 1 2\n@bogus\n@end\n",
		  "line 3: unknown directive '@bogus'" },
		{ "droptop-recording 1\n@source x\n", "line 2: @source outside" },
		{ "droptop-recording 1\n@end\n", "line 2: @end outside" },
		{ "droptop-recording 1\n@snapshot 1 2\n@snapshot 3 4\n",
		  "line 3: @snapshot inside the snapshot started at line 2" },
		{ "droptop-recording 1\n@snapshot 1 2\n@end", "line 3: last line has no newline" },
	};
	char err[256];
	size_t n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(parse_str(cases[i].text, err, sizeof(err), &n) == -1,
			      "case %zu accepted", i);
		ck_assert_msg(strncmp(err, cases[i].msg, strlen(cases[i].msg)) == 0,
			      "case %zu: got '%s', want '%s'", i, err, cases[i].msg);
	}
}
END_TEST

START_TEST(accepts_blank_lines_and_empty_sources)
{
	char err[256];
	size_t n;

	ck_assert_int_eq(parse_str("droptop-recording 1\n\n@snapshot 1.5 2.5\n"
				   "@source empty\n@end\n\n@snapshot 2 3\n@end\n",
				   err, sizeof(err), &n), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

/* Times are kept as integer nanoseconds: the capture script's
 * `date +%s.%N` and /proc/uptime forms, and odd ones. */
START_TEST(snapshot_times)
{
	static const char text[] = "droptop-recording 1\n"
		"@snapshot 1795502647.438264404 682.72\n@end\n"
		"@snapshot 7 8.1234567891999\n@end\n";
	static const char *const bad[] = { "1. 2", "-1 2", "1e5 2", "1 2 3", "1 .5", "1 2x" };
	struct raw_snapshot *snaps;
	char err[256], buf[128];
	size_t n;

	ck_assert_int_eq(recording_parse(text, sizeof(text) - 1, &snaps, &n, err,
					 sizeof(err)), 0);
	ck_assert(snaps[0].realtime_ns == 1795502647438264404LL);
	ck_assert(snaps[0].monotonic_ns == 682720000000LL);
	ck_assert(snaps[1].monotonic_ns == 8123456789LL);
	recording_free(snaps, n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "droptop-recording 1\n@snapshot %s\n@end\n", bad[i]);
		ck_assert_msg(parse_str(buf, err, sizeof(err), &n) == -1, "'%s' accepted", bad[i]);
		ck_assert(strstr(err, "line 2: @snapshot needs two") != NULL);
	}
}
END_TEST

START_TEST(rejects_nul_bytes)
{
	static const char text[] = "droptop-recording 1\n@snapshot 1 2\n@source a\nx\0y\n@end\n";
	struct raw_snapshot *snaps;
	char err[256];
	size_t n;

	ck_assert_int_eq(recording_parse(text, sizeof(text) - 1, &snaps, &n, err,
					 sizeof(err)), -1);
	ck_assert(strstr(err, "line 4: NUL byte") != NULL);
}
END_TEST

/* Error messages quote the file's bytes escaped: a crafted header or
 * directive must not set the window title, clear the screen, write the
 * clipboard (OSC 52) or reorder the line (bidi controls). */
START_TEST(errors_escape_file_bytes)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "droptop-recording 9\033]0;pwned\a\033[2J\n",
		  "line 1: unsupported recording version 'droptop-recording "
		  "9\\x1b]0;pwned\\x07\\x1b[2J'" },
		{ "droptop-recording 1\n@snapshot 1 2\n@x\033]52;c;aGk=\a\n",
		  "line 3: unknown directive '@x\\x1b]52;c;aGk=\\x07'" },
		{ "droptop-recording 1\n@snapshot 1 2\n@x\xe2\x80\xae\x9b\xc2\x9b\n",
		  "line 3: unknown directive '@x\\xe2\\x80\\xae\\x9b\\xc2\\x9b'" },
		{ "droptop-recording 1\n@snapshot 1 2\n"
		  "@0123456789012345678901234567890123456789\033[2J\n",
		  "line 3: unknown directive "
		  "'@012345678901234567890123456789012345678...'" },
	};
	char err[256];
	size_t n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse_str(cases[i].text, err, sizeof(err), &n), -1);
		ck_assert_str_eq(err, cases[i].msg);
	}
}
END_TEST

/* A recording of many empty snapshots, each "@snapshot 1 2\n@end\n". */
static char *many_snapshots(size_t n)
{
	struct strbuf sb;

	sb_init(&sb);
	recording_write_header(&sb);
	for (size_t i = 0; i < n; i++)
		sb_puts(&sb, "@snapshot 1 2\n@end\n");
	return sb_steal(&sb);
}

/* The reader's limits: beyond one, the recording is refused with the
 * line where it was passed, not read into memory without end. */
START_TEST(recording_limits)
{
	struct strbuf sb;
	char err[256], *text;
	size_t n;

	text = many_snapshots(RECORDING_MAX_SNAPSHOTS);
	ck_assert_int_eq(parse_str(text, err, sizeof(err), &n), 0);
	ck_assert_uint_eq(n, RECORDING_MAX_SNAPSHOTS);
	free(text);
	text = many_snapshots(RECORDING_MAX_SNAPSHOTS + 1);
	ck_assert_int_eq(parse_str(text, err, sizeof(err), &n), -1);
	ck_assert_str_eq(err, "line 200002: more than 100000 snapshots "
			 "(recording limit)");
	free(text);

	sb_init(&sb);
	sb_puts(&sb, "droptop-recording 1\n@snapshot 1 2\n");
	for (int i = 0; i <= RECORDING_MAX_SOURCES; i++)
		sb_puts(&sb, "@source x\n");
	ck_assert_int_eq(parse_str(sb.s, err, sizeof(err), &n), -1);
	ck_assert_str_eq(err, "line 65539: more than 65536 sources in the "
			 "snapshot started at line 2 (recording limit)");

	sb_reset(&sb);
	sb_puts(&sb, "droptop-recording 1\n@snapshot 1 2\n@source x\n");
	for (unsigned i = 0; i < RECORDING_MAX_LINE; i++)
		sb_putc(&sb, 'a');
	sb_puts(&sb, "\n@end\n");
	ck_assert_int_eq(parse_str(sb.s, err, sizeof(err), &n), 0);
	sb_reset(&sb);
	sb_puts(&sb, "droptop-recording 1\n@snapshot 1 2\n@source x\n");
	for (unsigned i = 0; i <= RECORDING_MAX_LINE; i++)
		sb_putc(&sb, 'a');
	sb_puts(&sb, "\n@end\n");
	ck_assert_int_eq(parse_str(sb.s, err, sizeof(err), &n), -1);
	ck_assert_str_eq(err, "line 4: line longer than 1048576 bytes "
			 "(recording limit)");
	sb_free(&sb);
}
END_TEST

/* A file beyond RECORDING_MAX_BYTES is refused before it is read (a
 * sparse file: no disk space used). */
START_TEST(file_size_limit)
{
	char path[] = "/tmp/droptop-test-big.XXXXXX", err[512];
	struct raw_snapshot *snaps;
	size_t n;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)RECORDING_MAX_BYTES + 1), 0);
	close(fd);
	ck_assert_int_eq(recording_load(path, &snaps, &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ": larger than 268435456 bytes "
				     "(recording limit)"));
	unlink(path);
}
END_TEST

/* Cut a real recording at every byte: each prefix either parses (it ends
 * on a snapshot boundary), keeps the whole snapshots before the cut with a
 * warning (a run killed while it wrote), or, with none whole, is rejected
 * with a line number. */
START_TEST(truncated_at_every_offset)
{
	size_t len, accepted = 0, kept = 0, first_end;
	char *text = build_recording(&len);

	first_end = (size_t)(strstr(text, "@end\n") - text) + 5;
	for (size_t cut = 0; cut < len; cut++) {
		struct raw_snapshot *snaps;
		char err[256] = "";
		size_t n;
		int rc = recording_parse(text, cut, &snaps, &n, err, sizeof(err));

		if (rc == 0) {
			accepted++;
			ck_assert_msg(cut == strlen(RECORDING_HEADER "\n") ||
				      (cut >= 5 && memcmp(text + cut - 5, "@end\n", 5) == 0),
				      "prefix of %zu bytes accepted mid-snapshot", cut);
			recording_free(snaps, n);
		} else if (rc == 1) {
			kept++;
			ck_assert_msg(cut > first_end, "cut %zu kept a snapshot "
				      "before the first @end", cut);
			ck_assert_uint_eq(n, 1);
			ck_assert_msg(strncmp(err, "line ", 5) == 0 &&
				      strstr(err, "cut short") &&
				      strstr(err, "1 whole snapshot"),
				      "cut %zu: warning '%s'", cut, err);
			recording_free(snaps, n);
		} else {
			ck_assert_msg(cut < first_end, "cut %zu after a whole "
				      "snapshot refused: %s", cut, err);
			ck_assert_msg(strncmp(err, "line ", 5) == 0,
				      "cut %zu: message '%s' names no line", cut, err);
		}
	}
	/* The header alone and the end of the first snapshot; every cut
	 * inside the second keeps the first. */
	ck_assert_uint_eq(accepted, 2);
	ck_assert_uint_eq(kept, len - first_end - 1);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recording");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, sources_share_one_block);
	tcase_add_test(tc, rejects_bad_files);
	tcase_add_test(tc, accepts_blank_lines_and_empty_sources);
	tcase_add_test(tc, rejects_nul_bytes);
	tcase_add_test(tc, snapshot_times);
	tcase_add_test(tc, truncated_at_every_offset);
	tcase_add_test(tc, errors_escape_file_bytes);
	tcase_add_test(tc, recording_limits);
	tcase_add_test(tc, file_size_limit);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
