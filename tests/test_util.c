/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

START_TEST(cpulist_ranges)
{
	uint64_t bits[2];

	ck_assert_int_eq(cpulist_parse("0-3,8,66-67\n", bits, 128), 7);
	ck_assert(cpulist_has(bits, 0) && cpulist_has(bits, 3));
	ck_assert(!cpulist_has(bits, 4));
	ck_assert(cpulist_has(bits, 8) && cpulist_has(bits, 67));
	ck_assert_int_eq(cpulist_parse("5", bits, 128), 1);
	ck_assert(cpulist_has(bits, 5) && !cpulist_has(bits, 0));
	ck_assert_int_eq(cpulist_parse("x", bits, 128), -1);
	ck_assert_int_eq(cpulist_parse("3-1", bits, 128), -1);
	ck_assert_int_eq(cpulist_parse("1,,", bits, 128), -1);
}
END_TEST

/* A range to LONG_MAX (or past it: strtol saturates) is clamped to the
 * bitmap: counting it overflowed a signed integer (UBSan) and gave a
 * negative or huge count. Only the bits actually set are counted. */
START_TEST(cpulist_clamped)
{
	uint64_t bits[2];

	ck_assert_int_eq(cpulist_parse("0-9223372036854775807", bits, 128), 128);
	ck_assert(cpulist_has(bits, 127));
	ck_assert_int_eq(cpulist_parse("100-99999999999999999999999", bits, 128),
			 28);
	ck_assert_int_eq(cpulist_parse("9223372036854775807", bits, 128), 0);
	ck_assert_int_eq(cpulist_parse("1,1,0-1", bits, 128), 2);
	ck_assert_int_eq(cpulist_parse("-9223372036854775807-0", bits, 128), -1);
}
END_TEST

START_TEST(numbers)
{
	uint64_t v;

	ck_assert(parse_u64("00358fe3", 8, 16, &v) && v == 0x358fe3);
	ck_assert(parse_u64("18446744073709551615", 20, 10, &v) && v == UINT64_MAX);
	ck_assert(!parse_u64("18446744073709551616", 20, 10, &v));
	ck_assert(!parse_u64("12a", 3, 10, &v));
	ck_assert(!parse_u64("", 0, 10, &v));
}
END_TEST

START_TEST(lines)
{
	const char *pos = "a\n\nbc", *l;
	size_t n;

	l = next_line(&pos, &n);
	ck_assert(l && n == 1 && l[0] == 'a');
	l = next_line(&pos, &n);
	ck_assert(l && n == 0);
	l = next_line(&pos, &n);
	ck_assert(l && n == 2 && memcmp(l, "bc", 2) == 0);
	ck_assert(next_line(&pos, &n) == NULL);
}
END_TEST

START_TEST(strbuf_grows)
{
	struct strbuf sb;
	char *s;

	sb_init(&sb);
	for (int i = 0; i < 1000; i++)
		sb_printf(&sb, "%d,", i);
	ck_assert(strncmp(sb.s, "0,1,2,", 6) == 0);
	ck_assert_uint_eq(sb.len, strlen(sb.s));
	s = sb_steal(&sb);
	ck_assert_ptr_null(sb.s);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cpulist_ranges);
	tcase_add_test(tc, cpulist_clamped);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, lines);
	tcase_add_test(tc, strbuf_grows);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
