/* Regression tests for the inputs the fuzz targets (fuzz/) found to
 * crash or to reach undefined behaviour, kept byte for byte in
 * tests/data/fuzz (see SOURCES.md). Each must parse to an error note, not
 * a crash: under --enable-sanitizers an undefined access fails the test. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "sources.h"
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

int main(void)
{
	Suite *s = suite_create("fuzz_regress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, napi_queue_without_kind);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
