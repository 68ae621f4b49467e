/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file cache of the live collector (src/filecache.c) on this host's
 * /proc: a kept descriptor reads fresh text, a file whose process went
 * away gives an error (never the old text), the limit on descriptors, and
 * regular files (a --root tree) read plainly, never kept. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filecache.h"
#include "testutil.h"
#include "util.h"

static char *cached(struct file_cache *fc, const char *path, unsigned flags)
{
	char *text;
	size_t len;

	ck_assert_int_eq(file_cache_read(fc, path, flags, &text, &len), 0);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

/* /proc/uptime changes every 10 ms: a kept descriptor read from offset 0
 * must give the new text, from one open. */
START_TEST(kept_descriptor_reads_fresh_text)
{
	struct file_cache *fc = file_cache_new(8);
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	char *a, *b, *snmp;

	a = cached(fc, "/proc/uptime", 0);
	nanosleep(&pause, NULL);
	b = cached(fc, "/proc/uptime", 0);
	ck_assert_str_ne(a, b);
	ck_assert_uint_eq(file_cache_open_count(fc), 1);
	snmp = cached(fc, "/proc/net/snmp", 0);
	ck_assert(strncmp(snmp, "Ip: Forwarding", 14) == 0);
	ck_assert_uint_eq(file_cache_open_count(fc), 2);
	free(a);
	free(b);
	free(snmp);
	file_cache_free(fc);
}
END_TEST

/* One read for a sysctl: the whole value, newline included. */
START_TEST(one_value_file_is_whole)
{
	struct file_cache *fc = file_cache_new(8);
	struct utsname u;
	char want[sizeof(u.release) + 2], *text;

	ck_assert_int_eq(uname(&u), 0);
	snprintf(want, sizeof(want), "%s\n", u.release);
	for (int i = 0; i < 2; i++) {
		text = cached(fc, "/proc/sys/kernel/osrelease", FC_ONE_VALUE);
		ck_assert_str_eq(text, want);
		free(text);
	}
	ck_assert_uint_eq(file_cache_open_count(fc), 1);
	file_cache_free(fc);
}
END_TEST

/* The process behind a kept /proc/PID file exits: the next read is an
 * error and the descriptor is let go. */
START_TEST(vanished_file_is_an_error)
{
	struct file_cache *fc = file_cache_new(8);
	char path[64], *text;
	pid_t pid = fork();
	int rc;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = cached(fc, path, 0);
	ck_assert_int_eq(atoi(text), (int)pid);
	free(text);
	ck_assert_uint_eq(file_cache_open_count(fc), 1);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	rc = file_cache_read(fc, path, 0, &text, NULL);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_null(text);
	ck_assert_uint_eq(file_cache_open_count(fc), 0);
	file_cache_free(fc);
}
END_TEST

START_TEST(limit_on_descriptors)
{
	struct file_cache *fc = file_cache_new(1);
	char *a, *b, *c;

	a = cached(fc, "/proc/net/snmp", 0);
	b = cached(fc, "/proc/sys/kernel/osrelease", FC_ONE_VALUE);
	c = cached(fc, "/proc/net/snmp", 0);
	ck_assert(strncmp(a, "Ip: ", 4) == 0 && strncmp(c, "Ip: ", 4) == 0);
	ck_assert(strchr(b, '\n') != NULL);
	ck_assert_uint_eq(file_cache_open_count(fc), 1);
	free(a);
	free(b);
	free(c);
	file_cache_free(fc);
}
END_TEST

/* Forgetting a prefix closes exactly the files under it; the others
 * stay kept and are still found (the table is rebuilt, so no probe
 * sequence is broken), and a forgotten file opens again on its next read. */
START_TEST(forget_closes_a_prefix)
{
	static const char *const net[] = { "/proc/net/snmp", "/proc/net/netstat",
					   "/proc/net/softnet_stat", "/proc/net/udp" };
	struct file_cache *fc = file_cache_new(8);
	char *t;

	for (size_t i = 0; i < ARRAY_SIZE(net); i++)
		free(cached(fc, net[i], 0));
	free(cached(fc, "/proc/uptime", 0));
	free(cached(fc, "/proc/sys/kernel/osrelease", FC_ONE_VALUE));
	ck_assert_uint_eq(file_cache_open_count(fc), 6);
	file_cache_forget(fc, "/proc/net/");
	ck_assert_uint_eq(file_cache_open_count(fc), 2);
	/* The kept two are read from their descriptors: no new one. */
	free(cached(fc, "/proc/uptime", 0));
	free(cached(fc, "/proc/sys/kernel/osrelease", FC_ONE_VALUE));
	ck_assert_uint_eq(file_cache_open_count(fc), 2);
	t = cached(fc, "/proc/net/snmp", 0);
	ck_assert(strncmp(t, "Ip: ", 4) == 0);
	ck_assert_uint_eq(file_cache_open_count(fc), 3);
	free(t);
	file_cache_forget(fc, "/nothing/");
	ck_assert_uint_eq(file_cache_open_count(fc), 3);
	file_cache_forget(NULL, "/proc/");
	file_cache_free(fc);
}
END_TEST

START_TEST(missing_file_is_enoent)
{
	struct file_cache *fc = file_cache_new(4);
	char *text;

	ck_assert_int_eq(file_cache_read(fc, "/proc/droptop-no-such", 0,
					 &text, NULL), -ENOENT);
	ck_assert_int_eq(file_cache_read(NULL, "/proc/droptop-no-such", 0,
					 &text, NULL), -ENOENT);
	ck_assert_uint_eq(file_cache_open_count(fc), 0);
	file_cache_free(fc);
}
END_TEST

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* A capture tree under --root is regular files: replaced by rename (a new
 * inode), the new text must be read; and a file larger than one read
 * comes whole. */
START_TEST(regular_files_are_not_kept)
{
	struct file_cache *fc = file_cache_new(4);
	char dir[] = "/tmp/droptop-fc.XXXXXX", path[64], tmp[64], *text;
	size_t big = 100000, len;
	char *data = xmalloc(big);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snmp", dir);
	snprintf(tmp, sizeof(tmp), "%s/snmp.new", dir);
	write_file(path, "a\n", 2);
	text = cached(fc, path, 0);
	ck_assert_str_eq(text, "a\n");
	free(text);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('a' + i % 26);
	write_file(tmp, data, big);
	ck_assert_int_eq(rename(tmp, path), 0);
	ck_assert_int_eq(file_cache_read(fc, path, 0, &text, &len), 0);
	ck_assert_uint_eq(len, big);
	ck_assert(memcmp(text, data, big) == 0);
	ck_assert_uint_eq(file_cache_open_count(fc), 0);
	free(text);
	free(data);
	unlink(path);
	rmdir(dir);
	file_cache_free(fc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filecache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kept_descriptor_reads_fresh_text);
	tcase_add_test(tc, one_value_file_is_whole);
	tcase_add_test(tc, vanished_file_is_an_error);
	tcase_add_test(tc, limit_on_descriptors);
	tcase_add_test(tc, missing_file_is_enoent);
	tcase_add_test(tc, forget_closes_a_prefix);
	tcase_add_test(tc, regular_files_are_not_kept);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
