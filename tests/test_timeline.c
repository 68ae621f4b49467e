/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The timeline (diag_timeline.c): points, worst interval, average, the
 * bounded memory of a long run; and what its renderers do with hostile
 * strings and odd rates. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "testutil.h"
#include "timeline.h"

/* A diagnosis of one interval: len s long, ending at wall time end,
 * losing socket pkt/s at the socket stage and nic pkt/s at the NIC (a
 * negative rate is unknown). The verdict is the lossier stage. */
static void fake(struct diagnosis *d, double len, double end, double nic,
		 double socket)
{
	memset(d, 0, sizeof(*d));
	d->interval_s = len;
	d->realtime = end;
	for (int s = 0; s < STAGE_N; s++)
		d->stages[s].lost_pps = opt_known(0);
	d->stages[STAGE_NIC].lost_pps = nic < 0 ? opt_unknown() : opt_known(nic);
	d->stages[STAGE_SOCKET].lost_pps = socket < 0 ? opt_unknown()
						      : opt_known(socket);
	d->total_lost_pps = nic < 0 || socket < 0 ? opt_unknown()
						  : opt_known(nic + socket);
	d->verdict.stage = nic + socket <= 0 ? STAGE_NONE
			   : nic > socket ? STAGE_NIC : STAGE_SOCKET;
	d->verdict.lost_pps = nic > socket ? d->stages[STAGE_NIC].lost_pps
					   : d->stages[STAGE_SOCKET].lost_pps;
}

/* Adds intervals of 2 s losing socket[i] pkt/s at the socket stage. */
static void feed(struct timeline *tl, const double *socket, size_t n)
{
	struct diagnosis d;

	for (size_t i = 0; i < n; i++) {
		fake(&d, 2, 1700000002.0 + 2 * (double)i, 0, socket[i]);
		timeline_add(tl, &d);
	}
}

START_TEST(worst_is_the_burst)
{
	static const double loss[] = { 1000, 1000, 1000, 1000, 1000, 150000,
				       1000, 1000, 1000 };
	const struct timeline_point *w;
	struct timeline tl;

	timeline_init(&tl, 0);
	feed(&tl, loss, ARRAY_SIZE(loss));
	ck_assert_uint_eq(tl.n, 9);
	ck_assert_double_eq(tl.t_end, 18);
	ck_assert_double_eq(tl.points[3].t, 6);
	ck_assert_double_eq(tl.points[3].realtime, 1700000006.0);
	w = timeline_worst(&tl);
	ck_assert_ptr_nonnull(w);
	ck_assert_double_eq(w->t, 10);
	ck_assert_int_eq(w->stage, STAGE_SOCKET);
	ck_assert_double_eq(w->verdict_lost_pps.v, 150000);
	ck_assert_double_eq(w->lost_pps[STAGE_SOCKET].v, 150000);
	/* (8 x 1000 + 150000) x 2 s over 18 s */
	ck_assert_double_eq_tol(timeline_average_lost_pps(&tl).v,
				158000.0 / 9, 1e-6);
	timeline_free(&tl);
}
END_TEST

/* Equal worst intervals: the first. No loss at all: no worst, and an
 * average of 0, not unknown. */
START_TEST(ties_and_no_loss)
{
	static const double tie[] = { 5, 7, 7, 3 }, none[] = { 0, 0, 0 };
	struct timeline tl;

	timeline_init(&tl, 0);
	feed(&tl, tie, ARRAY_SIZE(tie));
	ck_assert_double_eq(timeline_worst(&tl)->t, 2);
	timeline_free(&tl);
	timeline_init(&tl, 0);
	feed(&tl, none, ARRAY_SIZE(none));
	ck_assert_ptr_null(timeline_worst(&tl));
	ck_assert(timeline_average_lost_pps(&tl).known);
	ck_assert_double_eq(timeline_average_lost_pps(&tl).v, 0);
	timeline_free(&tl);
}
END_TEST

/* An interval whose total is unknown is drawn, but neither worst nor in
 * the average; one the clock did not advance over is not a point. */
START_TEST(unknown_and_skipped)
{
	struct timeline tl;
	struct diagnosis d;

	timeline_init(&tl, 0);
	fake(&d, 2, 1700000002, -1, 900000);    /* NIC unknown */
	timeline_add(&tl, &d);
	fake(&d, 4, 1700000006, 10, 20);
	timeline_add(&tl, &d);
	fake(&d, 0, 1700000006, 10, 20);
	timeline_add(&tl, &d);
	fake(&d, NAN, 1700000006, 10, 20);
	timeline_add(&tl, &d);
	fake(&d, INFINITY, 1700000006, 10, 20);
	timeline_add(&tl, &d);
	timeline_skip(&tl);
	ck_assert_uint_eq(tl.n, 2);
	ck_assert_uint_eq(tl.skipped, 4);
	ck_assert_double_eq(tl.t_end, 6);
	ck_assert_double_eq(timeline_worst(&tl)->t, 2);
	ck_assert_double_eq(timeline_average_lost_pps(&tl).v, 30);
	ck_assert(!tl.points[0].total_lost_pps.known);
	timeline_free(&tl);
}
END_TEST

/* A long live run: full, neighbours merge two by two. The run stays
 * covered, rates are averaged by length, and the worst interval is kept
 * as it was, not averaged with its neighbour. */
START_TEST(bounded_by_halving)
{
	static const double loss[] = { 0, 100, 0, 0, 0, 600, 0, 0, 0 };
	struct timeline tl;

	timeline_init(&tl, 4);
	feed(&tl, loss, ARRAY_SIZE(loss));
	/* Full at 4, 6 and 8 points: [0-5] [6-7] [8], 12, 4 and 2 s long. */
	ck_assert_uint_eq(tl.n, 3);
	ck_assert_uint_le(tl.cap, 4);
	ck_assert_uint_eq(tl.merges, 3);
	ck_assert_double_eq(tl.points[0].t, 0);
	ck_assert_double_eq(tl.points[0].interval_s, 12);
	ck_assert_double_eq_tol(tl.points[0].lost_pps[STAGE_SOCKET].v,
				700.0 * 2 / 12, 1e-9);
	ck_assert_int_eq(tl.points[0].stage, STAGE_SOCKET);
	ck_assert_double_eq(tl.points[1].t, 12);
	ck_assert_double_eq(tl.points[1].lost_pps[STAGE_SOCKET].v, 0);
	ck_assert_int_eq(tl.points[1].stage, STAGE_NONE);
	ck_assert_double_eq(tl.points[tl.n - 1].t + tl.points[tl.n - 1].interval_s,
			    18);
	ck_assert_double_eq(timeline_worst(&tl)->t, 10);
	ck_assert_double_eq(timeline_worst(&tl)->interval_s, 2);
	ck_assert_double_eq(timeline_worst(&tl)->total_lost_pps.v, 600);
	timeline_free(&tl);
}
END_TEST

START_TEST(top_in_time_order)
{
	static const double loss[] = { 5, 50, 1, 40, 40, 2 };
	struct timeline tl;
	size_t idx[6];

	timeline_init(&tl, 0);
	feed(&tl, loss, ARRAY_SIZE(loss));
	ck_assert_uint_eq(timeline_top(&tl, 3, idx), 3);
	ck_assert_uint_eq(idx[0], 1);
	ck_assert_uint_eq(idx[1], 3);
	ck_assert_uint_eq(idx[2], 4);
	ck_assert_uint_eq(timeline_top(&tl, 10, idx), 6);
	ck_assert_uint_eq(idx[5], 5);
	timeline_free(&tl);
}
END_TEST

START_TEST(short_rates)
{
	static const struct { double v; const char *s; } cases[] = {
		{ 0, "0" }, { 3.14159, "3.14" }, { 950, "950" },
		{ 999.7, "1k" }, { 1500, "1.5k" }, { 17555.6, "17.6k" },
		{ 150000, "150k" }, { 2.1e6, "2.1M" }, { 7e9, "7G" },
		{ NAN, "?" }, { INFINITY, "?" },
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		report_rate_short(buf, sizeof(buf), cases[i].v);
		ck_assert_str_eq(buf, cases[i].s);
	}
}
END_TEST

/* Host and device names come from recordings: markup, quotes, a control
 * byte and broken UTF-8 must not reach the SVG as they are. */
START_TEST(svg_escapes)
{
	static const double loss[] = { 0, 10 };
	struct report_options o = { .source = "a&b.rec" };
	struct device_row dev = { .name = "e<x\"'>" };
	struct diagnosis d;
	struct timeline tl;
	struct strbuf sb;

	timeline_init(&tl, 0);
	feed(&tl, loss, ARRAY_SIZE(loss));
	fake(&d, 4, 1700000004, 0, 5);
	snprintf(d.host, sizeof(d.host), "h<script>\x01\xff\xc3\xa9");
	d.devs = &dev;
	d.ndevs = 1;
	o.timeline = &tl;
	sb_init(&sb);
	report_svg(&d, &o, &sb);
	ck_assert_ptr_null(strstr(sb.s, "<script"));
	ck_assert_ptr_nonnull(strstr(sb.s, "a&amp;b.rec, host h&lt;script&gt;??\xc3\xa9, "
				       "devices e&lt;x&quot;&apos;&gt;</text>"));
	ck_assert_ptr_nonnull(strstr(sb.s, "worst 2.0\u20134.0 s: socket 10 pkt/s"));
	sb_free(&sb);
	timeline_free(&tl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, worst_is_the_burst);
	tcase_add_test(tc, ties_and_no_loss);
	tcase_add_test(tc, unknown_and_skipped);
	tcase_add_test(tc, bounded_by_halving);
	tcase_add_test(tc, top_in_time_order);
	tcase_add_test(tc, short_rates);
	tcase_add_test(tc, svg_escapes);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
