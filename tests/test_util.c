/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "guardbuf.h"
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

/* only_blanks() says what count_tokens() == 0 says, within the bounds
 * given: a line of spaces and tabs is blank, anything else is not. */
START_TEST(blank_lines)
{
	static const char *const cases[] = {
		"", " ", "\t \t", "x", "  x", "x  ", " \t1 2", "\n", "\r",
	};
	/* For the end bound: one string each, cut before or after its x. */
	const char *a = "  x", *b = " \tx y", *c = "\r";

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *p = cases[i], *end = p + strlen(p);

		ck_assert_int_eq(only_blanks(p, end), count_tokens(p, end) == 0);
	}
	ck_assert(only_blanks(a, a + 2));
	ck_assert(!only_blanks(b, b + 3));
	ck_assert(!only_blanks(c, c + 1));
}
END_TEST

/* The scanners as they were, byte by byte: the reference the word-wise
 * ones must agree with. */
static const char *next_token_bytewise(const char **pos, const char *end,
				       size_t *len)
{
	const char *p = *pos, *start;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end) {
		*pos = end;
		return NULL;
	}
	start = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*len = (size_t)(p - start);
	*pos = p;
	return start;
}

static int digit_value_bytewise(char c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

static bool parse_u64_bytewise(const char *s, size_t n, int base,
			       uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = digit_value_bytewise(s[i], base);

		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* Every token of [p, end) and where each scan left *pos, both ways.
 * A plain test, not ck_assert: check marks every assertion through a
 * pipe, and these run millions of times. */
static bool tokens_agree(const char *p, const char *end)
{
	const char *a = p, *b = p, *ta, *tb;
	size_t la = 0, lb = 0, n = 0;

	do {
		ta = next_token(&a, end, &la);
		tb = next_token_bytewise(&b, end, &lb);
		if (ta != tb || a != b || (ta && la != lb))
			return false;
		n += ta != NULL;
	} while (ta);
	return count_tokens(p, end) == n && only_blanks(p, end) == (n == 0);
}

/* The text ends at a guard page: a read past end faults. */
static char *at_guard(struct guardbuf *g, size_t n)
{
	return (char *)g->data + g->len - n;
}

/* Every byte value at every position of runs of blanks and of a token,
 * across the first word, later words and the tail, every end bound. */
START_TEST(tokens_every_byte)
{
	static const char fills[][2] = { { ' ', ' ' }, { '\t', ' ' },
					  { 'x', 'y' }, { ' ', '7' } };
	struct guardbuf g;
	bool ok = true;
	char buf[21];

	ck_assert_int_eq(guardbuf_alloc(&g, 4096), 0);
	for (size_t f = 0; f < ARRAY_SIZE(fills); f++)
		for (int b = 0; b < 256; b++)
			for (size_t pos = 0; pos < sizeof(buf); pos++) {
				for (size_t k = 0; k < sizeof(buf); k++)
					buf[k] = fills[f][k / 5 % 2];
				buf[pos] = (char)b;
				for (size_t n = 0; n <= sizeof(buf); n++) {
					char *t = at_guard(&g, n);

					memcpy(t, buf, n);
					ok &= tokens_agree(t, t + n);
				}
			}
	guardbuf_free(&g);
	ck_assert(ok);
}
END_TEST

/* Random lines of blanks, digits, letters and odd bytes (NUL, '\n'). */
START_TEST(tokens_random_lines)
{
	static const char alphabet[] = "   \t\t0123abcXYZ\n\r\x80\xff";
	struct guardbuf g;
	bool ok = true;
	unsigned int seed = 17;

	ck_assert_int_eq(guardbuf_alloc(&g, 4096), 0);
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)rand_r(&seed) % 80;
		char *t = at_guard(&g, n);

		for (size_t k = 0; k < n; k++)
			t[k] = alphabet[(size_t)rand_r(&seed) %
					sizeof(alphabet)];
		for (size_t k = 0; k <= n; k++)
			ok &= tokens_agree(t + k, t + n);
	}
	guardbuf_free(&g);
	ck_assert(ok);
}
END_TEST

static bool number_agrees(const char *s, size_t n)
{
	bool ok = true;

	static const int bases[] = { 2, 8, 10, 16 };

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		uint64_t a = 42, b = 42;
		bool ra = parse_u64(s, n, bases[i], &a);
		bool rb = parse_u64_bytewise(s, n, bases[i], &b);

		ok &= ra == rb && a == b;
	}
	return ok;
}

/* Every byte value at every position of a number, and the overflow
 * bounds of each base, as the compare-per-digit parser read them. */
START_TEST(numbers_every_byte)
{
	static const char *const bounds[] = {
		"18446744073709551615", "18446744073709551616",
		"99999999999999999999", "018446744073709551615",
		"ffffffffffffffff", "10000000000000000", "FfFfFfFfFfFfFfFf0",
		"1777777777777777777777", "2000000000000000000000",
		"1111111111111111111111111111111111111111111111111111111111111111",
		"11111111111111111111111111111111111111111111111111111111111111111",
		"0000000000000000000000000000000000000000000000000000000000000000001",
	};
	struct guardbuf g;
	bool ok = true;
	char buf[20];

	ck_assert_int_eq(guardbuf_alloc(&g, 4096), 0);
	for (int b = 0; b < 256; b++)
		for (size_t pos = 0; pos < sizeof(buf); pos++) {
			memcpy(buf, "18446744073709551615", sizeof(buf));
			buf[pos] = (char)b;
			for (size_t n = 0; n <= sizeof(buf); n++) {
				char *t = at_guard(&g, n);

				memcpy(t, buf, n);
				ok &= number_agrees(t, n);
			}
		}
	for (size_t i = 0; i < ARRAY_SIZE(bounds); i++) {
		size_t n = strlen(bounds[i]);
		char *t = at_guard(&g, n);

		memcpy(t, bounds[i], n);
		for (size_t k = 0; k <= n; k++)
			ok &= number_agrees(t + k, n - k);
	}
	guardbuf_free(&g);
	ck_assert(ok);
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

/* The escapers copy plain runs whole and escape the rest byte by byte:
 * the run ends at a control, DEL, a non-ASCII byte or a special byte. */
START_TEST(plain_runs)
{
	static const struct {
		const char *in;
		const char *special;
		size_t run;
	} cases[] = {
		{ "rx_queue_0_packets", "\\", 18 },
		{ "ab\\cd", "\\", 2 },
		{ "ab\"cd", "\"\\", 2 },
		{ "ab\"cd", "\\", 5 },
		{ "a\x1b[2J", "", 1 },
		{ "a\x7f", "", 1 },
		{ "na\xc3\xafve", "", 2 },
		{ "\tx", "", 0 },
		{ "", "", 0 },
	};
	struct strbuf sb;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_uint_eq(plain_ascii_run(cases[i].in,
						  strlen(cases[i].in),
						  cases[i].special),
				  cases[i].run);
	/* The length bounds the run, not a NUL. */
	ck_assert_uint_eq(plain_ascii_run("abcdef", 3, ""), 3);
	sb_init(&sb);
	sb_put_escaped(&sb, "eth0\\x\x1b[1m\xc2\x9b ok", 15);
	ck_assert_str_eq(sb.s, "eth0\\\\x\\x1b[1m\\xc2\\x9b ok");
	sb_free(&sb);
}
END_TEST

/* plain_ascii_run checks eight bytes at a time: every byte value at
 * every position of a long run (in the first word, a later word and the
 * tail after the last whole word) ends the run exactly where a byte by
 * byte check does, for each set of special bytes the escapers use. */
static size_t plain_run_bytewise(const char *s, size_t n, const char *special)
{
	size_t i = 0;

	while (i < n && s[i] >= 0x20 && s[i] < 0x7f &&
	       (s[i] == '\0' || !strchr(special, s[i])))
		i++;
	return i;
}

START_TEST(plain_runs_every_byte)
{
	static const char *const specials[] = { "", "\\", "\"\\", "\x7f" };
	char buf[21];

	for (size_t sp = 0; sp < ARRAY_SIZE(specials); sp++)
		for (int b = 0; b < 256; b++)
			for (size_t pos = 0; pos < sizeof(buf); pos++) {
				/* ' ' and '~' are the bounds of plain. */
				for (size_t k = 0; k < sizeof(buf); k++)
					buf[k] = k % 2 ? '~' : ' ';
				buf[pos] = (char)b;
				for (size_t n = pos; n <= sizeof(buf); n++)
					ck_assert_uint_eq(
						plain_ascii_run(buf, n, specials[sp]),
						plain_run_bytewise(buf, n, specials[sp]));
			}
}
END_TEST

/* utf8_columns counts eight bytes at a time: every byte value at every
 * position and every length (whole words and a tail) gives what a byte
 * by byte count of the bytes that are not 10xxxxxx gives. */
static size_t columns_bytewise(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

START_TEST(columns_every_byte)
{
	static const char fill[] = { 'a', (char)0x80, (char)0xc3, (char)0xbf };
	char buf[19];

	for (size_t f = 0; f < sizeof(fill); f++)
		for (int b = 0; b < 256; b++)
			for (size_t pos = 0; pos < sizeof(buf); pos++) {
				memset(buf, fill[f], sizeof(buf));
				buf[pos] = (char)b;
				for (size_t n = 0; n <= sizeof(buf); n++)
					ck_assert_uint_eq(utf8_columns(buf, n),
							  columns_bytewise(buf, n));
			}
	ck_assert_uint_eq(utf8_columns("\xe2\x80\x94 ok", 6), 4);
}
END_TEST

/* sb_putc, sb_puts and sb_append inline: growing from empty, at the
 * exact boundary of the room left, always NUL-terminated. */
START_TEST(strbuf_inline_appends)
{
	struct strbuf sb;
	char want[300];

	sb_init(&sb);
	for (size_t i = 0; i < sizeof(want) - 1; i++) {
		want[i] = (char)('a' + i % 26);
		if (i % 3 == 0)
			sb_putc(&sb, want[i]);
		else if (i % 3 == 1)
			sb_append(&sb, &want[i], 1);
		else
			sb_puts(&sb, (char[]){ want[i], '\0' });
		want[i + 1] = '\0';
		ck_assert_uint_eq(sb.len, i + 1);
		ck_assert_uint_lt(sb.len, sb.cap);
		ck_assert_str_eq(sb.s, want);
	}
	sb_free(&sb);
}
END_TEST

/* sb_put_u64 writes what printf's PRIu64 does: 0, every power of ten
 * and its neighbours, the largest value, a spread of others. */
START_TEST(put_u64_as_printf)
{
	struct strbuf sb;
	char want[32];
	uint64_t v[200];
	size_t n = 0;

	v[n++] = 0;
	v[n++] = UINT64_MAX;
	v[n++] = UINT64_MAX - 1;
	for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10) {
		v[n++] = p - 1;
		v[n++] = p;
		v[n++] = p + 1;
	}
	for (uint64_t x = 12345; n < ARRAY_SIZE(v); x = x * 6364136223846793005ULL + 1)
		v[n++] = x >> (x % 64);
	sb_init(&sb);
	for (size_t i = 0; i < n; i++) {
		sb_reset(&sb);
		sb_puts(&sb, "x=");
		sb_put_u64(&sb, v[i]);
		snprintf(want, sizeof(want), "x=%" PRIu64, v[i]);
		ck_assert_str_eq(sb.s, want);
		ck_assert_uint_eq(sb.len, strlen(want));
	}
	sb_free(&sb);
}
END_TEST

/* u64_digits, shared by sb_put_u64 and report_integer: the digits
 * printf writes, ending at the end of the buffer, nothing written
 * before their start. */
START_TEST(u64_digits_as_printf)
{
	char buf[1 + U64_DIGITS + 1], want[32];
	uint64_t v = 0;

	for (int i = 0; i < 300; i++) {
		size_t n;

		memset(buf, '#', sizeof(buf));
		n = u64_digits(buf + 1, v);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		ck_assert_uint_eq(n, strlen(want));
		ck_assert_int_eq(memcmp(buf + 1 + U64_DIGITS - n, want, n), 0);
		for (size_t k = 0; k < 1 + U64_DIGITS - n; k++)
			ck_assert_int_eq(buf[k], '#');
		ck_assert_int_eq(buf[1 + U64_DIGITS], '#');
		v = i % 3 == 0 ? v * 10 + 9 : i % 3 == 1 ? v + 1 :
		    v * 6364136223846793005ULL + 1442695040888963407ULL;
	}
	memset(buf, '#', sizeof(buf));
	ck_assert_uint_eq(u64_digits(buf + 1, UINT64_MAX), U64_DIGITS);
	ck_assert_int_eq(memcmp(buf + 1, "18446744073709551615", U64_DIGITS), 0);
}
END_TEST

/* xvasprintf through a variadic caller, as snapshot_note() uses it. */
static char *format_via_va(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static char *format_via_va(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* Short, empty and long results (the long ones outgrow the first room
 * the buffer has, so the arguments are formatted twice). */
START_TEST(asprintf_formats)
{
	char big[5000], want[5100], *s;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(want, sizeof(want), "<%s> %d", big, -42);

	s = xasprintf("device %s vanished, %zu came", "eth0", (size_t)3);
	ck_assert_str_eq(s, "device eth0 vanished, 3 came");
	free(s);
	s = xasprintf("%s", "");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
	s = xasprintf("<%s> %d", big, -42);
	ck_assert_str_eq(s, want);
	free(s);
	s = format_via_va("%.1f %s %u", 2.25, "pkt/s", 7u);
	ck_assert_str_eq(s, "2.2 pkt/s 7");
	free(s);
	s = format_via_va("<%s> %d", big, -42);
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(strlen(s), strlen(big) + 6);
	free(s);
}
END_TEST

/* Strings never move once copied, however many blocks follow; a
 * reservation puts what fits in it into one block, one after another. */
START_TEST(arena_keeps_strings)
{
	struct arena a = { NULL };
	char *first, *prev, *s, name[32];

	first = arena_strndup(&a, "rx_packets: 1", 10);
	ck_assert_str_eq(first, "rx_packets");
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "rx%d_bytes", i);
		s = arena_strndup(&a, name, strlen(name));
		ck_assert_str_eq(s, name);
	}
	ck_assert_str_eq(first, "rx_packets");
	s = arena_strndup(&a, "", 0);
	ck_assert_str_eq(s, "");
	arena_free(&a);
	ck_assert_ptr_null(a.head);

	arena_reserve(&a, 5000);
	prev = arena_strndup(&a, "a", 1);
	for (int i = 0; i < 400; i++) {
		s = arena_strndup(&a, "queue_0_rx", 10);
		ck_assert_ptr_eq(s, prev + strlen(prev) + 1);
		prev = s;
	}
	arena_free(&a);
}
END_TEST

/* A request so large that len + n + 1 would wrap aborts as out of memory
 * would, not a small block and an overrun. */
START_TEST(sb_reserve_absurd_aborts)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "x");
	sb_reserve(&sb, SIZE_MAX - 1);
	sb_free(&sb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cpulist_ranges);
	tcase_add_test_raise_signal(tc, sb_reserve_absurd_aborts, SIGABRT);
	tcase_add_test(tc, cpulist_clamped);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, lines);
	tcase_add_test(tc, blank_lines);
	tcase_add_test(tc, tokens_every_byte);
	tcase_add_test(tc, tokens_random_lines);
	tcase_add_test(tc, numbers_every_byte);
	tcase_add_test(tc, strbuf_grows);
	tcase_add_test(tc, plain_runs);
	tcase_add_test(tc, plain_runs_every_byte);
	tcase_add_test(tc, columns_every_byte);
	tcase_add_test(tc, strbuf_inline_appends);
	tcase_add_test(tc, put_u64_as_printf);
	tcase_add_test(tc, u64_digits_as_printf);
	tcase_add_test(tc, asprintf_formats);
	tcase_add_test(tc, arena_keeps_strings);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
