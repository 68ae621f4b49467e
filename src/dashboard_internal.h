/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the dashboard's drawing files: tables of columns that fit the
 * width they are given, and the panels the layout stacks. */
#ifndef DROPTOP_DASHBOARD_INTERNAL_H
#define DROPTOP_DASHBOARD_INTERNAL_H

#include <stddef.h>

#include "dashboard.h"

/* A column: fixed width, or a flexible bar/text that takes what is left. */
struct dash_col {
	const char *head;
	int w;           /* width; for 'b', 's' and 'f' the minimum; < 0
			  * not drawn */
	char align;      /* 'l', 'r', 'b' (bar), 's' (sparkline),
			  * 'f' (flexible text) */
	bool totals;     /* shown only with the counters since start (t) */
	int maxw;        /* 'b' and 'f': the widest it grows, 0 = no limit */
	bool optional;   /* left out whole when it does not fit */
};

#define DASH_MAX_COLS 14

struct dash_cellv {
	char text[256];
	double frac;     /* 'b' columns: 0..1 */
	const struct hist_ring *spark; /* 's' columns, NULL: blank */
	enum dash_style st;
};

/* Everything a panel's rows are drawn from. */
struct dash_ctx {
	const struct diagnosis *rate;
	const struct diagnosis *total; /* may be NULL */
	const struct diag_history *hist; /* may be NULL */
	const struct dash_view *v;
	bool totals;                   /* totals columns are shown */
	const char *verdict_full;      /* the verdict line was shortened */
};

/* dashboard_wrap.c: lines of text that fit a width. */
struct dash_line {
	char *text;
	enum dash_style st;
};

struct dash_lines {
	struct dash_line *v;
	size_t n, cap;
};

/* Columns s takes on the canvas (one per character). */
int dash_text_cols(const char *s);
/* Appends text to out wrapped at spaces to w columns, the lines after the
 * first indented by indent. A command (sysctl, ethtool, ip... after a
 * colon, comma or parenthesis) with its arguments is kept on one line
 * when it fits one, else continued from a line of its own; a word longer
 * than a line goes on over the next. Nothing is cut. */
void dash_wrap(struct dash_lines *out, const char *text, int w, int indent,
	       enum dash_style st);
void dash_lines_add(struct dash_lines *l, const char *text,
		    enum dash_style st);
void dash_lines_free(struct dash_lines *l);
/* text in at most w columns: whole if it fits, else without its asides
 * in parentheses (last first), else cut at a word with an ellipsis.
 * Returns 0 whole, 1 asides left out, 2 cut. */
int dash_shorten(char *buf, size_t size, const char *text, int w,
		 bool ascii);

struct dash_panelinfo;
typedef void (*dash_cells_fn)(const struct dash_ctx *x,
			      const struct dash_panelinfo *p, size_t k,
			      struct dash_cellv *out);

struct dash_panelinfo {
	enum dash_panel id;
	char title[192];
	const struct dash_col *cols;   /* NULL: rows are lines of text */
	int ncols;
	size_t *idx;                   /* rows to show, in order */
	size_t nrows;
	dash_cells_fn cells;
	int lines;                     /* given by the layout */
	/* cols NULL: the entries, then as wrapped to the width (one row
	 * per line, nrows the lines) by dash_panel_wrap. */
	struct dash_lines items, text;
	int first_lines;               /* lines of the first entry */
};

/* dashboard_table.c */
void dash_fmt_rate(char *buf, size_t size, struct optval v);
void dash_fmt_pct(char *buf, size_t size, struct optval v);
/* A total over the totals' interval from a rate of it. */
struct optval dash_total_of(const struct diagnosis *t, struct optval rate);
void dash_table_head(struct dash_canvas *c, int y, int x, int w,
		     const struct dash_col *cols, int ncols, bool totals);
void dash_table_row(struct dash_canvas *c, int y, int x, int w,
		    const struct dash_col *cols, int ncols, bool totals,
		    const struct dash_cellv *cells);

/* dashboard_panels.c: fills the panels (free with dash_panels_free). */
void dash_panels_build(const struct dash_ctx *x,
		       struct dash_panelinfo p[DP_N]);
void dash_panels_free(struct dash_panelinfo p[DP_N]);
/* A text panel's entries wrapped to width w: its rows. */
void dash_panel_wrap(struct dash_panelinfo *p, int w);
/* Lines a panel wants: title, headings, rows (or one line when empty). */
int dash_panel_want(const struct dash_panelinfo *p);
/* Draws a panel into lines rows at (y, x), width w. */
void dash_panel_draw(struct dash_canvas *c, const struct dash_ctx *x,
		     const struct dash_panelinfo *p, int y, int x0, int w,
		     bool focused, int scroll);

/* dashboard_history.c: the history of row (an index into the rate
 * diagnosis's queues, cpus or socks as panel says; panel -1: the focus
 * is on no such panel) in dash_row_history_lines() lines from y. */
int dash_row_history_lines(void);
void dash_draw_row_history(struct dash_canvas *c, const struct dash_ctx *x,
			   int panel, size_t row, int y);

/* dashboard_help.c */
void dash_draw_help(struct dash_canvas *c, const struct dash_status *st);

#endif
