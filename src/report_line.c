/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --count in text: one line per interval, as vmstat prints them. Fixed
 * columns, numbers right-aligned, so that a long run reads as a column of
 * figures; it only draws what diagnose() produced. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "report_table.h"

#define TIME_W 8      /* HH:MM:SS */
#define STAGE_W 9     /* "netfilter", the longest stage name */
#define TOTAL_W 6
#define NUM_W 6       /* "99.9M" and "99999" fit, with a space */

/* A stage's column: as wide as its name, at least NUM_W. */
static int stage_width(int id)
{
	int n = (int)strlen(stage_name(id));

	return n > NUM_W ? n : NUM_W;
}

/* A rate in at most 5 characters: whole numbers below 100000 (one decimal
 * below 10, so a trickle is not 0), then k, M, G, T, P with 3 digits;
 * the JSON has the exact figure. Unknown is "?". */
void report_line_rate(char *buf, size_t size, struct optval v)
{
	static const char units[] = "kMGTPE";
	const char *sign = v.v < 0 ? "-" : "";
	double a = fabs(v.v);
	int u = -1;

	if (!v.known || !isfinite(v.v)) {
		snprintf(buf, size, "?");
		return;
	}
	if (a == 0) {
		snprintf(buf, size, "0");
		return;
	}
	if (a < 10) {
		snprintf(buf, size, "%s%.1f", sign, a);
		return;
	}
	if (a < 99999.5) {
		snprintf(buf, size, "%s%.0f", sign, a);
		return;
	}
	/* a >= 99999.5 here: at least one step, so u >= 0. */
	do {
		a /= 1000;
		u++;
	} while (a >= 999.5 && u + 1 < (int)sizeof(units) - 1);
	if (a >= 999.5)          /* beyond the last unit: not a real rate */
		snprintf(buf, size, "%s>999%c", sign, units[u]);
	else if (a < 9.95)
		snprintf(buf, size, "%s%.1f%c", sign, a, units[u]);
	else
		snprintf(buf, size, "%s%.0f%c", sign, a, units[u]);
}

static void put_rate(struct strbuf *out, int width, struct optval v)
{
	char buf[32];

	report_line_rate(buf, sizeof(buf), v);
	sb_printf(out, " %*s", width, buf);
}

void report_line_header(struct strbuf *out)
{
	sb_printf(out, "%-*s %-*s %*s", TIME_W, "time", STAGE_W, "verdict",
		  TOTAL_W, "lost/s");
	for (int i = 0; i < STAGE_N; i++)
		sb_printf(out, " %*s", stage_width(i), stage_name(i));
	sb_puts(out, "  finding\n");
}

/* Local wall time of the interval's end; "?" when the snapshot has none. */
static void put_time(struct strbuf *out, double realtime)
{
	time_t t = (time_t)realtime;
	struct tm tm;
	char buf[16];

	if (realtime <= 0 || !isfinite(realtime) || !localtime_r(&t, &tm) ||
	    strftime(buf, sizeof(buf), "%H:%M:%S", &tm) == 0)
		snprintf(buf, sizeof(buf), "?");
	sb_printf(out, "%-*s", TIME_W, buf);
}

/* The first finding, as the report lists them, and how many more. */
static void put_finding(struct strbuf *out, const struct diagnosis *d)
{
	sb_puts(out, "  ");
	if (d->nfindings == 0) {
		sb_putc(out, '-');
		return;
	}
	text_escape(out, d->findings[0].id);
	if (d->nfindings > 1)
		sb_printf(out, " +%zu", d->nfindings - 1);
}

void report_line(const struct diagnosis *d, struct strbuf *out)
{
	put_time(out, d->realtime);
	sb_printf(out, " %-*s", STAGE_W, stage_name(d->verdict.stage));
	put_rate(out, TOTAL_W, d->total_lost_pps);
	for (int i = 0; i < STAGE_N; i++)
		put_rate(out, stage_width(i), d->stages[i].lost_pps);
	put_finding(out, d);
	sb_putc(out, '\n');
}
