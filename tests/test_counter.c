/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "counter.h"
#include "testutil.h"

START_TEST(delta64_cases)
{
	uint64_t d;

	ck_assert(delta64(true, 10, true, 25, &d) && d == 15);
	ck_assert(delta64(true, 5, true, 5, &d) && d == 0);
	/* backwards: a reset, unknown rather than a huge number */
	ck_assert(!delta64(true, 100, true, 3, &d));
	ck_assert(!delta64(false, 0, true, 3, &d));
	ck_assert(!delta64(true, 0, false, 3, &d));
}
END_TEST

START_TEST(delta32_wrap_and_reset)
{
	uint64_t d;

	ck_assert(delta32(true, 0xfffffff0u, true, 0x10, &d) && d == 0x20);
	ck_assert(delta32(true, 7, true, 9, &d) && d == 2);
	/* a large backwards jump is a reset, not a wrap */
	ck_assert(!delta32(true, 0x80000000u, true, 0x10, &d));
	ck_assert(!delta32(true, 0x100000000ULL, true, 1, &d));
}
END_TEST

START_TEST(optional_values)
{
	struct optval a = opt_known(5), b = opt_known(7), u = opt_unknown();

	ck_assert(opt_add(a, b).known && opt_add(a, b).v == 12);
	ck_assert(!opt_add(a, u).known);
	ck_assert(opt_sub_clamped(a, b).known && opt_sub_clamped(a, b).v == 0);
	ck_assert(opt_sub_clamped(b, a).v == 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("counter");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, delta64_cases);
	tcase_add_test(tc, delta32_wrap_and_reset);
	tcase_add_test(tc, optional_values);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
