/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

char *test_data(const char *rel, size_t *len)
{
	char path[4096], *text;
	size_t n;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, rel);
	rc = read_text_file(path, &text, &n);
	ck_assert_msg(rc == 0, "cannot read test data %s: %s", path, strerror(-rc));
	if (len)
		*len = n;
	return text;
}

void test_raw_add_file(struct raw_snapshot *r, const char *name, const char *rel)
{
	size_t len;
	char *text = test_data(rel, &len);

	raw_add(r, name, text, len);
}

int test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void test_live_lock(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/droptop-live-tests.lock",
		 tmp && *tmp ? tmp : "/tmp");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	for (int i = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; i++) {
		ck_assert_msg(i < 1200, "%s: held by another test for 120 s",
			      path);
		usleep(100000);
	}
	/* fd stays open: the lock goes with the process. */
}
