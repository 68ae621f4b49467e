#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
