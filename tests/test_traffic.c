/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop-send's parts that need no network: the token bucket (on a
 * simulated clock) and the command line (tables of edge cases). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sender.h"
#include "testutil.h"
#include "tokenbucket.h"

#define MS 1000000LL
#define SEC 1000000000LL

START_TEST(bucket_starts_empty_and_fills)
{
	struct token_bucket b;

	bucket_init(&b, 50000, 60, 0);
	ck_assert_uint_eq(bucket_take(&b, 0, 10), 0);
	ck_assert_int_eq(bucket_wait_ns(&b, 0, 50), 1 * MS);
	ck_assert_uint_eq(bucket_take(&b, 1 * MS, 64), 50);
	ck_assert_uint_eq(bucket_take(&b, 1 * MS, 1), 0);
	/* Capped at the burst, however long it waited. */
	ck_assert_uint_eq(bucket_take(&b, 1 * SEC, 1000), 60);
	/* A clock that goes back adds nothing and takes nothing. */
	ck_assert_uint_eq(bucket_take(&b, 500 * MS, 10), 0);
	ck_assert_int_eq(bucket_wait_ns(&b, 1 * SEC, 1), 20000);
}
END_TEST

/* Waiting for more than the burst waits for the burst only. */
START_TEST(bucket_wait_bounded_by_burst)
{
	struct token_bucket b;

	bucket_init(&b, 1000, 4, 0);
	ck_assert_int_eq(bucket_wait_ns(&b, 0, 100), 4 * MS);
	ck_assert_uint_eq(bucket_take(&b, 4 * MS, 100), 4);
}
END_TEST

/* The sender's loop on a simulated clock that oversleeps by up to 150 us
 * (as a loaded host does), for rates across the documented range: what
 * it sends in 3 s is the rate within 0.1 % (the first chunk waits for its
 * tokens: at most one millisecond's worth is missing). */
static uint64_t simulate(double rate, unsigned batch)
{
	double per_ms = rate / 1000.0;
	unsigned chunk = per_ms < 1 ? 1 : per_ms > batch ? batch
							 : (unsigned)per_ms;
	struct token_bucket b;
	uint32_t lcg = 12345;
	int64_t now = 0;
	uint64_t sent = 0;

	bucket_init(&b, rate, rate * 0.05 + chunk, 0);
	while (now < 3 * SEC) {
		int64_t wait = bucket_wait_ns(&b, now, chunk);

		if (wait > 0) {
			lcg = lcg * 1103515245u + 12345u;
			now += wait + (int64_t)(lcg >> 16) % 150000;
			continue;
		}
		sent += bucket_take(&b, now, chunk);
		now += 2000;   /* the sendmmsg call itself */
	}
	return sent;
}

static const double rates[] = { 10000, 50000, 100000, 250000, 500000 };

START_TEST(bucket_rate_accuracy)
{
	double rate = rates[_i];
	uint64_t sent = simulate(rate, 64);
	double err = ((double)sent - 3 * rate) / (3 * rate);

	ck_assert_msg(err < 0.001 && err > -0.001,
		      "rate %.0f: sent %llu in 3 s (%.3f %%)", rate,
		      (unsigned long long)sent, 100 * err);
}
END_TEST

struct args_case {
	const char *argv[8];
	int rc;
	const char *err;
};

static const struct args_case cases[] = {
	{ { "127.0.0.1:5000" }, SENDER_RUN, NULL },
	{ { "--help" }, SENDER_HELP, NULL },
	{ { "-V" }, SENDER_VERSION, NULL },
	{ { "" }, -EINVAL, "'' is not ADDR:PORT (IPv6 as [ADDR]:PORT)" },
	{ { "--rate", "1000" }, -EINVAL, "no destination ADDR:PORT given" },
	{ { "5000" }, -EINVAL, "'5000' is not ADDR:PORT (IPv6 as [ADDR]:PORT)" },
	{ { "127.0.0.1:0" }, -EINVAL, "'127.0.0.1:0': port: 0 is out of range "
				      "(1 to 65535)" },
	{ { "127.0.0.1:99999" }, -EINVAL, "'127.0.0.1:99999': port: 99999 is "
					  "out of range (1 to 65535)" },
	{ { "--threads", "0", "127.0.0.1:5000" }, -EINVAL,
	  "--threads: 0 is out of range (1 to 256)" },
	{ { "--batch", "100000", "127.0.0.1:5000" }, -EINVAL,
	  "--batch: 100000 is out of range (1 to 1024)" },
	{ { "--size", "65508", "127.0.0.1:5000" }, -EINVAL,
	  "--size: 65508 is out of range (0 to 65507)" },
	{ { "--rate", "0", "127.0.0.1:5000" }, -EINVAL,
	  "--rate: 0 is out of range (more than 0, at most 1e+08)" },
	{ { "--rate", "nan", "127.0.0.1:5000" }, -EINVAL,
	  "--rate: 'nan' is not a number" },
	{ { "--duration", "-1", "127.0.0.1:5000" }, -EINVAL,
	  "--duration: '-1' is not a number" },
	{ { "--count", "0", "127.0.0.1:5000" }, -EINVAL,
	  "--count: 0 is out of range (1 to 9223372036854775807)" },
	{ { "--src-ports", "2000-1000", "127.0.0.1:5000" }, -EINVAL,
	  "--src-ports: 2000-1000 is out of range (1-65535, LO <= HI)" },
	{ { "-t", "4", "--src-ports", "2000-2002", "127.0.0.1:5000" }, -EINVAL,
	  "--src-ports: 3 ports for 4 threads" },
	{ { "--cpus", "x", "127.0.0.1:5000" }, -EINVAL,
	  "--cpus: 'x' is not a CPU list such as 0-3,8" },
	{ { "--bogus", "127.0.0.1:5000" }, -EINVAL,
	  "unknown option or missing value: '--bogus'" },
	{ { "127.0.0.1:5000", "--rate" }, -EINVAL,
	  "unknown option or missing value: '--rate'" },
};

/* sender_parse_args on writable copies of ARGS (getopt takes char **). */
static int parse_copy(struct sender_config *c, int argc,
		      const char *const *args, char *err, size_t errlen)
{
	char *argv[16] = { NULL };
	int i, rc;

	ck_assert_int_lt(argc, 16);
	for (i = 0; i < argc; i++)
		ck_assert_ptr_nonnull(argv[i] = strdup(args[i]));
	rc = sender_parse_args(c, argc, argv, err, errlen);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return rc;
}

START_TEST(command_line_cases)
{
	const struct args_case *c = &cases[_i];
	const char *argv[10] = { "droptop-send" };
	struct sender_config cfg;
	char err[256] = "";
	int argc = 1, rc;

	while (argc < 9 && c->argv[argc - 1])
		argv[argc] = c->argv[argc - 1], argc++;
	rc = parse_copy(&cfg, argc, argv, err, sizeof(err));
	ck_assert_int_eq(rc, c->rc);
	if (c->err)
		ck_assert_str_eq(err, c->err);
}
END_TEST

static int parse(struct sender_config *c, int argc, const char **argv)
{
	char err[256];

	return parse_copy(c, argc, argv, err, sizeof(err));
}

START_TEST(defaults_and_values)
{
	const char *a1[] = { "droptop-send", "127.0.0.1:5000", NULL };
	const char *a2[] = { "droptop-send", "-n", "1000", "[::1]:5001",
			     "10.0.0.2:5002", "-r", "2500.5", "--src-ports",
			     "20000-20015", "-t", "2", NULL };
	struct sender_config c;

	ck_assert_int_eq(parse(&c, 2, a1), SENDER_RUN);
	ck_assert_int_eq(c.threads, 1);
	ck_assert_int_eq(c.batch, 64);
	ck_assert_uint_eq(c.size, 32);
	ck_assert(c.duration == 10.0);
	ck_assert_uint_eq(c.count, 0);
	ck_assert(c.rate == 0);
	ck_assert(!c.have_src_ports);
	/* Options after the destinations; --count alone: no time limit. */
	ck_assert_int_eq(parse(&c, 11, a2), SENDER_RUN);
	ck_assert_uint_eq(c.count, 1000);
	ck_assert(c.duration == 0);
	ck_assert(c.rate == 2500.5);
	ck_assert_uint_eq(c.ndst, 2);
	ck_assert_uint_eq(netaddr_port(&c.dst[0]), 5001);
	ck_assert_int_eq(c.dst[0].ss.ss_family, AF_INET6);
	ck_assert_uint_eq(c.src_lo, 20000);
	ck_assert_uint_eq(c.src_hi, 20015);
	ck_assert_int_eq(c.threads, 2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("traffic");
	TCase *tc = tcase_create("traffic");

	tcase_add_test(tc, bucket_starts_empty_and_fills);
	tcase_add_test(tc, bucket_wait_bounded_by_burst);
	tcase_add_loop_test(tc, bucket_rate_accuracy, 0,
			    (int)(sizeof(rates) / sizeof(rates[0])));
	tcase_add_loop_test(tc, command_line_cases, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, defaults_and_values);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
