/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --count's renderers: the text line (report_line.c) and the JSON report
 * on one line. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "testutil.h"

/* A socket-stage loss of 150000 pkt/s at 2024-05-01 12:00:00 UTC, two
 * findings, the nic stage unknown. */
static void burst(struct diagnosis *d, struct finding f[2])
{
	/* The diagnosis holds char *: writable text, not literals. */
	static char summary[] = "socket", x[] = "x", y[] = "y";

	memset(d, 0, sizeof(*d));
	d->interval_s = 1.0;
	d->realtime = 1714564800.0;
	for (int i = 0; i < STAGE_N; i++) {
		d->stages[i].id = (enum stage_id)i;
		d->stages[i].lost_pps = opt_known(0);
	}
	d->stages[STAGE_NIC].lost_pps = opt_unknown();
	d->stages[STAGE_UDP].lost_pps = opt_known(3.5);
	d->stages[STAGE_SOCKET].lost_pps = opt_known(150000);
	d->total_lost_pps = opt_known(150003.5);
	d->verdict.stage = STAGE_SOCKET;
	d->verdict.summary = summary;
	memset(f, 0, 2 * sizeof(*f));
	strcpy(f[0].id, "rcvbuf-overflow");
	f[0].detail = x;
	strcpy(f[1].id, "rss-imbalance");
	f[1].detail = y;
	d->findings = f;
	d->nfindings = 2;
}

START_TEST(rate_fits_six_characters)
{
	static const struct {
		struct optval v;
		const char *want;
	} cases[] = {
		{ { 0, false }, "?" },
		{ { 0, true }, "0" },
		{ { 0.25, true }, "0.2" },
		{ { 3.5, true }, "3.5" },
		{ { 10, true }, "10" },
		{ { 48211, true }, "48211" },
		{ { 99999, true }, "99999" },
		{ { 150000, true }, "150k" },
		{ { 1234567, true }, "1.2M" },
		{ { 59649371605.0, true }, "60G" },
		{ { 441602169681.0, true }, "442G" },
		{ { 999999999, true }, "1.0G" },
		{ { -20, true }, "-20" },
		{ { 1e300, true }, ">999E" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		report_line_rate(buf, sizeof(buf), cases[i].v);
		ck_assert_msg(strcmp(buf, cases[i].want) == 0,
			      "case %zu: got '%s', want '%s'", i, buf,
			      cases[i].want);
		ck_assert_uint_le(strlen(buf), 6);
	}
}
END_TEST

/* The figures sit under their headings, right-aligned. */
START_TEST(line_under_header)
{
	struct diagnosis d;
	struct finding f[2];
	struct strbuf h, l;

	setenv("TZ", "UTC", 1);
	burst(&d, f);
	sb_init(&h);
	sb_init(&l);
	report_line_header(&h);
	report_line(&d, &l);
	ck_assert_str_eq(h.s, "time     verdict   lost/s    nic softirq     ip "
			 "netfilter    udp socket    app  finding\n");
	ck_assert_str_eq(l.s, "12:00:00 socket      150k      ?       0      0 "
			 "        0    3.5   150k      0  rcvbuf-overflow +1\n");
	sb_free(&h);
	sb_free(&l);
}
END_TEST

START_TEST(line_no_finding_no_time)
{
	struct diagnosis d;
	struct finding f[2];
	struct strbuf l;

	burst(&d, f);
	d.nfindings = 0;
	d.realtime = 0;
	d.verdict.stage = STAGE_NONE;
	sb_init(&l);
	report_line(&d, &l);
	ck_assert_msg(strncmp(l.s, "?        none ", 14) == 0, "%s", l.s);
	ck_assert_msg(strstr(l.s, "  -\n") != NULL, "%s", l.s);
	sb_free(&l);
}
END_TEST

/* NDJSON: the whole report, one line, no newline inside a string. */
START_TEST(json_one_line)
{
	struct report_options o = { .source = "a\nb", .one_line = true };
	char two_lines[] = "line one\nline two";
	struct diagnosis d;
	struct finding f[2];
	struct strbuf one, many;

	burst(&d, f);
	f[0].detail = two_lines;
	sb_init(&one);
	sb_init(&many);
	report_json(&d, &o, &one);
	o.one_line = false;
	report_json(&d, &o, &many);
	ck_assert_ptr_eq(strchr(one.s, '\n'), one.s + one.len - 1);
	ck_assert_ptr_nonnull(strstr(one.s, "{\"interval_s\":1,"));
	ck_assert_ptr_nonnull(strstr(one.s, "\"detail\":\"line one\\nline two\""));
	ck_assert_ptr_nonnull(strchr(many.s, '\n') < many.s + many.len - 1
			      ? many.s : NULL);
	/* The same document: only the white space differs. */
	for (char *p = many.s, *q = many.s;; p++) {
		if (*p == '\n' || *p == ' ')
			continue;
		*q++ = *p;
		if (!*p)
			break;
	}
	for (char *p = one.s, *q = one.s;; p++) {
		if (*p == '\n' || *p == ' ')
			continue;
		*q++ = *p;
		if (!*p)
			break;
	}
	ck_assert_str_eq(one.s, many.s);
	sb_free(&one);
	sb_free(&many);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_line");
	TCase *tc = tcase_create("line");

	tcase_add_test(tc, rate_fits_six_characters);
	tcase_add_test(tc, line_under_header);
	tcase_add_test(tc, line_no_finding_no_time);
	tcase_add_test(tc, json_one_line);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
