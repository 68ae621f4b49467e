/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text report's timeline section: the worst interval in one sentence,
 * then a table of the intervals. A day of one-second snapshots is 86,400
 * rows, so the table keeps the TIMELINE_TEXT_ROWS lossiest (in time
 * order) and says how many it hid; --all shows every one. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report.h"
#include "report_table.h"

#define TIMELINE_TEXT_ROWS 20

void report_rate_short(char *buf, size_t size, double v)
{
	static const char suffix[] = { '\0', 'k', 'M', 'G', 'T', 'P' };
	size_t i = 0;

	if (!isfinite(v)) {
		snprintf(buf, size, "?");
		return;
	}
	/* 999.7k would print as "1e+03k": move it to the next suffix. */
	while (fabs(v) >= 999.5 && i + 1 < sizeof(suffix)) {
		v /= 1000;
		i++;
	}
	if (suffix[i])
		snprintf(buf, size, "%.3g%c", v, suffix[i]);
	else
		snprintf(buf, size, "%.3g", v);
}

static void put_utc(struct strbuf *out, double realtime, bool date)
{
	time_t t = (time_t)realtime;
	struct tm tm;

	if (!(realtime > 0) || realtime > 253402300799.0 || !gmtime_r(&t, &tm)) {
		sb_putc(out, '?');
		return;
	}
	if (date)
		sb_printf(out, "%04d-%02d-%02d ", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday);
	sb_printf(out, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (date)
		sb_puts(out, " UTC");
}

/* "worst interval 10.0–12.0 s (… UTC): socket 150k pkt/s, 8.6× the
 * average (17.4k pkt/s)" */
static void worst_line(const struct timeline *tl, struct strbuf *out)
{
	const struct timeline_point *w = timeline_worst(tl);
	struct optval avg = timeline_average_lost_pps(tl);
	char rate[32], arate[32];

	if (!w) {
		sb_puts(out, "  no packet lost in any interval\n");
		return;
	}
	sb_printf(out, "  worst interval %.1f\u2013%.1f s (", w->t,
		  w->t + w->interval_s);
	put_utc(out, w->realtime, true);
	if (w->stage != STAGE_NONE && w->verdict_lost_pps.known) {
		report_rate_short(rate, sizeof(rate), w->verdict_lost_pps.v);
		sb_printf(out, "): %s %s pkt/s", stage_name(w->stage), rate);
	} else {
		report_rate_short(rate, sizeof(rate), w->total_lost_pps.v);
		sb_printf(out, "): %s pkt/s lost", rate);
	}
	if (avg.known && avg.v > 0) {
		double times = w->total_lost_pps.v / avg.v;

		report_rate_short(arate, sizeof(arate), avg.v);
		sb_printf(out, times < 10 ? ", %.1f\u00d7 the average (%s pkt/s)"
					  : ", %.0f\u00d7 the average (%s pkt/s)",
			  times, arate);
	}
	sb_putc(out, '\n');
}

static void timeline_row(struct table *t, const struct timeline_point *p)
{
	table_add(t, "%.1f", p->t);
	put_utc(table_cell_begin(t), p->realtime, false);
	table_cell_end(t);
	table_add(t, "%.1f", p->interval_s);
	table_add(t, "%s", stage_name(p->stage));
	table_add_rate(t, p->verdict_lost_pps);
	table_add_rate(t, p->total_lost_pps);
}

static void timeline_notes(const struct timeline *tl, size_t hidden,
			   struct strbuf *out)
{
	if (hidden)
		sb_printf(out, "  (%zu interval%s with less loss hidden, --all "
			  "shows them)\n", hidden, hidden == 1 ? "" : "s");
	if (tl->skipped)
		sb_printf(out, "  (%zu interval%s left out: the clock did not "
			  "advance)\n", tl->skipped, tl->skipped == 1 ? "" : "s");
	if (tl->merges)
		sb_printf(out, "  (neighbours merged two by two %zu time%s: the "
			  "run outgrew %d rows; the worst interval is as "
			  "measured)\n", tl->merges, tl->merges == 1 ? "" : "s",
			  TIMELINE_MAX_POINTS);
}

void report_text_timeline(const struct timeline *tl, bool all,
			  struct strbuf *out)
{
	static const char *const heads[] = {
		"start_s", "UTC", "length_s", "verdict", "lost/s",
		"total lost/s", NULL,
	};
	size_t k = all ? tl->n : TIMELINE_TEXT_ROWS, *idx, n;
	struct table t;

	sb_printf(out, "\ntimeline: %zu interval%s, 0.0\u2013%.1f s\n", tl->n,
		  tl->n == 1 ? "" : "s", tl->t_end);
	worst_line(tl, out);
	if (tl->n == 0)
		return;
	idx = xmalloc((k < tl->n ? k : tl->n) * sizeof(*idx));
	n = timeline_top(tl, k, idx);
	table_init(&t, "rlrlrr", heads);
	for (size_t i = 0; i < n; i++)
		timeline_row(&t, &tl->points[idx[i]]);
	table_print(&t, out);
	table_free(&t);
	free(idx);
	timeline_notes(tl, tl->n - n, out);
}
