/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/sys/kernel/hostname and osrelease: read from this host (and
 * compared with uname(2)), through the source table like any recording,
 * and an empty file stays unknown with a note. */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include "raw.h"
#include "sources_internal.h"
#include "testutil.h"
#include "util.h"

static void add_file(struct raw_snapshot *r, const char *path)
{
	char *text;
	size_t len;

	ck_assert_int_eq(read_text_file(path, &text, &len), 0);
	raw_add(r, path, text, len);
}

START_TEST(live_matches_uname)
{
	struct raw_snapshot r;
	struct snapshot s;
	struct utsname u;

	ck_assert_int_eq(uname(&u), 0);
	raw_init(&r);
	add_file(&r, "/proc/sys/kernel/hostname");
	add_file(&r, "/proc/sys/kernel/osrelease");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_str_eq(s.hostname, u.nodename);
	ck_assert_str_eq(s.kernel_release, u.release);
	ck_assert_uint_eq(s.nnotes, 0);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

START_TEST(empty_is_unknown)
{
	struct snapshot s;

	snapshot_init(&s);
	ck_assert_int_eq(hostname_parse(&s, ""), -22);
	ck_assert_str_eq(s.hostname, "");
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], "/proc/sys/kernel/hostname: line 1: empty");
	ck_assert_int_eq(osrelease_parse(&s, "\n6.1.0\n"), -22);
	ck_assert_str_eq(s.kernel_release, "");
	snapshot_free(&s);
}
END_TEST

/* A name longer than the field is cut, never overflows. */
START_TEST(long_name_cut)
{
	char text[200];
	struct snapshot s;

	memset(text, 'h', sizeof(text) - 2);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	snapshot_init(&s);
	ck_assert_int_eq(hostname_parse(&s, text), 0);
	ck_assert_uint_eq(strlen(s.hostname), sizeof(s.hostname) - 1);
	snapshot_free(&s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hostinfo");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, live_matches_uname);
	tcase_add_test(tc, empty_is_unknown);
	tcase_add_test(tc, long_name_cut);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
