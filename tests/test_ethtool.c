#include "config.h"

#include "testutil.h"

/* PLACEHOLDER: the ethtool tests replace this file. */
START_TEST(placeholder)
{
	ck_assert_int_eq(1 + 1, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ethtool");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, placeholder);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
