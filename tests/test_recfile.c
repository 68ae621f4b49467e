/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --record writer: whole snapshots kept after a write error only when
 * they can be replayed (two or more), else the file removed; refusals. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recfile.h"
#include "recording.h"
#include "testutil.h"

static char dir[] = "/tmp/droptop-recfile.XXXXXX";
static char path[sizeof(dir) + 16];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.rec", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static void fill(struct raw_snapshot *r, int i)
{
	char text[2000];

	memset(text, 'x', sizeof(text));
	raw_init(r);
	r->realtime_ns = 1700000000000000000LL + i * 1000000000LL;
	r->monotonic_ns = 1000000000000LL + i * 1000000000LL;
	raw_add_copy(r, "/proc/net/snmp", text, sizeof(text));
}

/* Bytes the header and one snapshot take. */
static size_t snapshot_bytes(bool header)
{
	struct raw_snapshot r;
	struct strbuf sb;
	size_t n;

	fill(&r, 0);
	sb_init(&sb);
	if (header)
		recording_write_header(&sb);
	recording_write_snapshot(&sb, &r);
	n = sb.len;
	sb_free(&sb);
	raw_free(&r);
	return n;
}

/* Appends n snapshots with files limited to limit bytes (EFBIG beyond);
 * returns how many appends succeeded. */
static int append_limited(size_t limit, int n, char *err, size_t errlen)
{
	struct rlimit old, lim = { .rlim_cur = limit, .rlim_max = RLIM_INFINITY };
	struct recfile f;
	int ok = 0;

	ck_assert_int_eq(recfile_open(&f, path, false, err, errlen), 0);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (int i = 0; i < n; i++) {
		struct raw_snapshot r;

		fill(&r, i);
		if (recfile_append(&f, &r, err, errlen) == 0)
			ok++;
		raw_free(&r);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	recfile_close(&f, err, errlen);
	return ok;
}

START_TEST(keeps_whole_snapshots)
{
	size_t first = snapshot_bytes(true), next = snapshot_bytes(false);
	struct raw_snapshot *snaps;
	char err[512];
	struct stat st;
	size_t n;

	ck_assert_int_eq(append_limited(first + next + next / 2, 4, err,
					sizeof(err)), 2);
	ck_assert_msg(strstr(err, "File too large; kept the 2 whole snapshots"),
		      "message: %s", err);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq((size_t)st.st_size, first + next);
	ck_assert_int_eq(recording_load(path, &snaps, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	recording_free(snaps, n);
}
END_TEST

START_TEST(removes_what_cannot_replay)
{
	size_t first = snapshot_bytes(true), next = snapshot_bytes(false);
	char err[512];

	/* One whole snapshot, the second cut: one cannot be replayed. */
	ck_assert_int_eq(append_limited(first + next / 2, 3, err, sizeof(err)), 1);
	ck_assert_msg(strstr(err, "r.rec: File too large; the incomplete "
			     "recording was removed"), "message: %s", err);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(refuses_existing_and_links)
{
	char err[512], link[sizeof(path) + 8];
	struct recfile f;
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs("keep", fp);
	fclose(fp);
	ck_assert_int_eq(recfile_open(&f, path, false, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "exists; --overwrite replaces it"), "%s", err);
	snprintf(link, sizeof(link), "%s/link", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(recfile_open(&f, link, true, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "a symbolic link"), "%s", err);
	unlink(link);
	ck_assert_int_eq(recfile_open(&f, path, true, err, sizeof(err)), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* Closed with no snapshot: nothing left to block the next run. */
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, keeps_whole_snapshots);
	tcase_add_test(tc, removes_what_cannot_replay);
	tcase_add_test(tc, refuses_existing_and_links);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
