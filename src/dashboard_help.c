/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The help overlay: every key, and what the dashboard itself costs (CPU
 * time per refresh, measured by the loop), so an operator can see that
 * watching does not disturb what is watched. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dashboard_internal.h"
#include "util.h"

static const char *const help_lines[] = {
	"droptop dashboard: keys",
	"",
	"q            quit",
	"p, space     pause / resume",
	"h, ?         this help (any key closes it)",
	"Tab, S-Tab   move the focus between panels",
	"Up, Down     scroll the focused panel",
	"PgUp, PgDn   scroll by a page (Home, End: first, last)",
	"s            change the focused panel's sort order",
	"a            show / hide idle rows",
	"t            show counters since start beside rates",
	"g            history of the focused panel's top row (Up, Down)",
	"r            reset the counters since start and the history",
	"d            next interval (0.2 .. 60 s, then back to 0.2)",
	"+, -         longer, shorter interval",
	"1-9, 0       show the RX queues of interface N only; 0 all",
	"n            replay: next step now",
};

#define HELP_W 66

static void help_line(struct dash_canvas *c, int y, int x, const char *s,
		      enum dash_style st)
{
	dash_fill(c, y, x, HELP_W, DS_HEADER);
	dash_put(c, y, x + 2, HELP_W - 4, st, s);
}

void dash_draw_help(struct dash_canvas *c, const struct dash_status *st)
{
	int n = (int)ARRAY_SIZE(help_lines);
	int h = n + 7, x = (c->w - HELP_W) / 2, y = (c->h - h) / 2, i;
	char buf[160];

	x = x > 0 ? x : 0;
	y = y > 0 ? y : 0;
	help_line(c, y++, x, "", DS_HEADER);
	for (i = 0; i < n; i++)
		help_line(c, y++, x, help_lines[i],
			  i == 0 ? DS_FOCUS : DS_HEADER);
	help_line(c, y++, x, "", DS_HEADER);
	snprintf(buf, sizeof(buf), "source: %s", st->source ? st->source : "?");
	help_line(c, y++, x, buf, DS_HEADER);
	snprintf(buf, sizeof(buf),
		 "cost: %.2f ms CPU per refresh (drawing %.2f ms),",
		 st->cpu_refresh_ms, st->cpu_draw_ms);
	help_line(c, y++, x, buf, DS_HEADER);
	snprintf(buf, sizeof(buf),
		 "      %.3f %% of one CPU at -d 1; %.2f s CPU in %.0f s",
		 st->cpu_refresh_ms / 10.0, st->cpu_total_s, st->wall_s);
	help_line(c, y++, x, buf, DS_HEADER);
	help_line(c, y++, x, "", DS_HEADER);
}
