/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kallsyms: a generated text with module symbols, data symbols, bad
 * lines, unsorted addresses; one with every address 0 (kptr_restrict);
 * the caps; reading from a file descriptor. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_kallsyms.h"
#include "testutil.h"

static const char good[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81a00000 t arp_process\n"
	"ffffffff81a00400 T arp_rcv\n"
	"ffffffff82000000 D some_data\n"       /* not text: skipped */
	"ffffffff81500000 t ip6_mc_input.cold\n" /* out of order */
	"ffffffffc0001000 t ovs_execute_actions\t[openvswitch]\n"
	"not a line\n"
	"ffffffff8100000g T bad_hex\n"
	"ffffffff81b00000 TT two_letters\n"
	"ffffffff81c00000 T bad\033[2Jname\n"
	"ffffffff81d00000 T\n"
	"123456789012345678 T too_long_address\n"
	"\n"
	"ffffffff81e00000 T last_one"; /* no newline at the end */

START_TEST(resolves_text_symbols)
{
	struct kallsyms ks;

	kallsyms_parse(&ks, good, strlen(good), KALLSYMS_MAX_SYMS);
	ck_assert_uint_eq(ks.n, 6);
	ck_assert(!ks.hidden);
	ck_assert(!ks.truncated);
	ck_assert_uint_eq(ks.bad, 6);
	ck_assert_ptr_null(kallsyms_name(&ks, 0xffffffff80ffffffULL));
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81000000ULL), "_stext");
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81a0012cULL), "arp_process");
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81a00400ULL), "arp_rcv");
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81500010ULL),
			 "ip6_mc_input.cold");
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffffc0001008ULL),
			 "ovs_execute_actions");
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81e00001ULL), "last_one");
	kallsyms_free(&ks);
}
END_TEST

/* kptr_restrict: the names are there, every address 0: nothing resolves. */
START_TEST(hidden_addresses)
{
	static const char zeros[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 t arp_process\n"
		"0000000000000000 D some_data\n";
	struct kallsyms ks;

	kallsyms_parse(&ks, zeros, strlen(zeros), KALLSYMS_MAX_SYMS);
	ck_assert(ks.hidden);
	ck_assert_ptr_null(kallsyms_name(&ks, 0));
	ck_assert_ptr_null(kallsyms_name(&ks, 0xffffffff81a0012cULL));
	kallsyms_free(&ks);
	kallsyms_parse(&ks, "", 0, KALLSYMS_MAX_SYMS);
	ck_assert_uint_eq(ks.n, 0);
	ck_assert_ptr_null(kallsyms_name(&ks, 0xffffffff81a0012cULL));
	kallsyms_free(&ks);
}
END_TEST

START_TEST(symbol_cap)
{
	struct kallsyms ks;

	kallsyms_parse(&ks, good, strlen(good), 2);
	ck_assert_uint_eq(ks.n, 2);
	ck_assert(ks.truncated);
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81a0012cULL), "arp_process");
	kallsyms_free(&ks);
}
END_TEST

START_TEST(read_from_fd)
{
	char path[] = "/tmp/droptop-kallsyms-XXXXXX", msg[160];
	struct kallsyms ks;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, good, strlen(good)), (ssize_t)strlen(good));
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(kallsyms_read(&ks, fd, path, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(ks.n, 6);
	ck_assert_str_eq(kallsyms_name(&ks, 0xffffffff81a0012cULL), "arp_process");
	kallsyms_free(&ks);
	close(fd);
	unlink(path);
	/* A closed descriptor: an error naming the file. */
	ck_assert_int_lt(kallsyms_read(&ks, fd, path, msg, sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, path));
	ck_assert_uint_eq(ks.n, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kallsyms");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, resolves_text_symbols);
	tcase_add_test(tc, hidden_addresses);
	tcase_add_test(tc, symbol_cap);
	tcase_add_test(tc, read_from_fd);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
