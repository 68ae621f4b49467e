/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Columns that fit: fixed columns keep their width, one flexible bar or
 * text column takes what is left, and what does not fit the width is cut
 * at the right edge by the canvas. Numbers are short (1.2k, 3.45M) so a
 * row of rates stays within 80 columns. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dashboard_internal.h"

void dash_fmt_rate(char *buf, size_t size, struct optval v)
{
	static const char *const units[] = { "k", "M", "G", "T", "P" };
	double a;
	int u = -1;

	if (!v.known || !isfinite(v.v)) {
		snprintf(buf, size, "?");
		return;
	}
	a = fabs(v.v);
	if (a < 10 && a != floor(a)) {
		snprintf(buf, size, "%.1f", v.v);
		return;
	}
	if (a < 10000) {
		snprintf(buf, size, "%.0f", v.v);
		return;
	}
	/* a >= 10000 here: at least one step, so u >= 0. */
	do {
		a /= 1000;
		u++;
	} while (a >= 999.95 && u < 4);
	snprintf(buf, size, "%s%.*f%s", v.v < 0 ? "-" : "", a < 100 ? 2 : 1,
		 a, units[u]);
}

/* A percentage of 0..100. */
void dash_fmt_pct(char *buf, size_t size, struct optval v)
{
	if (!v.known || !isfinite(v.v))
		snprintf(buf, size, "?");
	else if (v.v > 0 && v.v < 0.01)
		snprintf(buf, size, "<0.01%%");
	else
		snprintf(buf, size, "%.*f%%", v.v < 10 ? 2 : 1, v.v);
}

struct optval dash_total_of(const struct diagnosis *t, struct optval rate)
{
	if (!t || !rate.known)
		return opt_unknown();
	return opt_known(round(rate.v * t->interval_s));
}

static bool col_shown(const struct dash_col *col, bool totals)
{
	return col->w >= 0 && (!col->totals || totals);
}

static bool is_flex(const struct dash_col *col)
{
	return col->align == 'b' || col->align == 's' || col->align == 'f';
}

/* Which columns are drawn: all shown ones, except optional columns that
 * do not fit beside the others (flexible ones at their minimum), left to
 * right. */
static void pick_cols(int w, const struct dash_col *cols, int ncols,
		      bool totals, bool *on)
{
	int used = 0;

	for (int i = 0; i < ncols; i++) {
		on[i] = col_shown(&cols[i], totals) && !cols[i].optional;
		used += on[i] ? cols[i].w + 1 : 0;
	}
	for (int i = 0; i < ncols; i++)
		if (col_shown(&cols[i], totals) && cols[i].optional &&
		    used + cols[i].w + 1 <= w + 1) {
			on[i] = true;
			used += cols[i].w + 1;
		}
}

/* The widths of the columns drawn (0: not drawn): fixed ones their own,
 * flexible ones what the fixed ones leave, shared out left to right,
 * each within its bounds while the later ones keep their minimum; 0 for
 * a flexible column whose minimum does not fit. */
static void col_widths(int w, const struct dash_col *cols, int ncols,
		       bool totals, int *out)
{
	bool on[DASH_MAX_COLS];
	int need_after = 0;

	pick_cols(w, cols, ncols, totals, on);
	for (int i = 0; i < ncols; i++) {
		out[i] = 0;
		if (!on[i])
			continue;
		if (is_flex(&cols[i]))
			need_after += cols[i].w + 1;
		else
			w -= (out[i] = cols[i].w) + 1;
	}
	for (int i = 0; i < ncols; i++) {
		int give;

		if (!on[i] || !is_flex(&cols[i]))
			continue;
		need_after -= cols[i].w + 1;
		give = w - need_after - 1;
		if (cols[i].maxw && give > cols[i].maxw)
			give = cols[i].maxw;
		out[i] = give >= cols[i].w ? give : 0;
		w -= out[i] ? out[i] + 1 : 0;
	}
}

/* The newest value at the right end; rescaled to the row's largest. */
static void put_spark(struct dash_canvas *c, int y, int x, int cw,
		      const struct dash_cellv *v)
{
	int levels[HIST_LEN];

	if (!v->spark)
		return;
	cw = cw < HIST_LEN ? cw : HIST_LEN;
	hist_levels(v->spark, (size_t)cw, levels);
	dash_spark(c, y, x, cw, levels, v->st);
}

static void put_cell(struct dash_canvas *c, int y, int x, int cw,
		     const struct dash_col *col, const struct dash_cellv *v)
{
	int len = dash_text_cols(v->text);

	char cut[sizeof(v->text)];

	if (col->align == 'b') {
		dash_bar(c, y, x, cw, v->frac, v->st);
		return;
	}
	if (col->align == 's') {
		put_spark(c, y, x, cw, v);
		return;
	}
	/* Flexible text is shortened at a word rather than cut mid-word. */
	if (col->align == 'f' && dash_text_cols(v->text) > cw) {
		dash_shorten(cut, sizeof(cut), v->text, cw, c->ascii);
		dash_put(c, y, x, cw, v->st, cut);
		return;
	}
	if (col->align == 'r' && len < cw)
		x += cw - len;
	dash_put(c, y, x, cw, v->st, v->text);
}

void dash_table_head(struct dash_canvas *c, int y, int x, int w,
		     const struct dash_col *cols, int ncols, bool totals)
{
	int cws[DASH_MAX_COLS], end = x + w;

	col_widths(w, cols, ncols, totals, cws);
	dash_fill(c, y, x, w, DS_DIM);
	for (int i = 0; i < ncols && x < end; i++) {
		struct dash_cellv v = { .st = DS_DIM };
		struct dash_col head = cols[i];
		int cw = cws[i];

		if (cw == 0)
			continue;
		snprintf(v.text, sizeof(v.text), "%s", cols[i].head);
		if (head.align != 'r')
			head.align = 'l';
		put_cell(c, y, x, cw < end - x ? cw : end - x, &head, &v);
		x += cw + 1;
	}
}

void dash_table_row(struct dash_canvas *c, int y, int x, int w,
		    const struct dash_col *cols, int ncols, bool totals,
		    const struct dash_cellv *cells)
{
	int cws[DASH_MAX_COLS], end = x + w;

	col_widths(w, cols, ncols, totals, cws);
	for (int i = 0; i < ncols && x < end; i++) {
		int cw = cws[i];

		if (cw == 0)
			continue;
		put_cell(c, y, x, cw < end - x ? cw : end - x, &cols[i],
			 &cells[i]);
		x += cw + 1;
	}
}
