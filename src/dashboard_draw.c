/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One screen of the dashboard: the top line (host, kernel, interfaces,
 * interval, state), the verdict coloured by severity, the loss waterfall,
 * then the panels stacked in what height is left (side by side in two
 * columns on a wide terminal). Everything comes from the diagnosis. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_internal.h"
#include "util.h"

#define MIN_W 80
#define MIN_H 24
#define WIDE_W 160     /* from here the panels go in two columns */
#define WATERFALL_Y 2

/* ---- top line and verdict ----------------------------------------------- */

/* As given: -d 0.05 is "0.05 s", not rounded to "0.1 s". */
static void fmt_interval(char *buf, size_t size, double s)
{
	snprintf(buf, size, "%g s", s);
}

static void header_devices(struct strbuf *sb, const struct diagnosis *d,
			   const struct dash_view *v)
{
	if (!d)
		return;
	if (d->ndevs == 0) {
		sb_puts(sb, "  no interface");
		return;
	}
	sb_puts(sb, " ");
	for (size_t i = 0; i < d->ndevs; i++) {
		bool f = v->dev_focus == (int)i;

		sb_printf(sb, " %s%zu:%s%s%s", f ? "[" : "", i + 1,
			  d->devs[i].name,
			  d->devs[i].link == LINK_DOWN ? " DOWN" : "",
			  f ? "]" : "");
	}
}

static void header_state(struct strbuf *sb, const struct dash_status *st)
{
	char iv[32];

	fmt_interval(iv, sizeof(iv), st->interval);
	sb_printf(sb, "  every %s  ", iv);
	/* END: a replay stays on its last step. */
	if (st->nsteps)
		sb_printf(sb, "replay %zu/%zu", st->step, st->nsteps);
	else
		sb_puts(sb, "live");
	if (st->at_end)
		sb_puts(sb, " END");
	if (st->paused)
		sb_puts(sb, " PAUSED");
}

/* Host and kernel: of the diagnosis, or before the first interval of
 * the first snapshot (the loop hands them over in the status). */
static void header_host(struct strbuf *sb, const struct diagnosis *d,
			const struct dash_status *st)
{
	const char *host = d ? d->host : st->host;
	const char *kernel = d ? d->kernel : st->kernel;

	sb_printf(sb, " droptop  %s  %s", host && host[0] ? host : "?",
		  kernel && kernel[0] ? kernel : "?");
}

/* s without the program's name and with single blanks: a top line that
 * does not fit keeps more of what matters. */
static void compact(char *s)
{
	static const char name[] = " droptop";
	char *out = s, *in = s;

	if (strncmp(s, name, strlen(name)) == 0)
		in += strlen(name);
	for (; *in; in++)
		if (*in != ' ' || out == s || out[-1] != ' ')
			*out++ = *in;
	*out = '\0';
}

/* The help mark keeps its place at the right end; what does not fit
 * before it is compacted, then shortened. */
static void draw_header(struct dash_canvas *c, const struct diagnosis *d,
			const struct dash_view *v, const struct dash_status *st)
{
	static const char help[] = " h: help";
	int hw = (int)strlen(help), room = c->w;
	struct strbuf sb;
	char line[512];

	sb_init(&sb);
	header_host(&sb, d, st);
	/* The state before the interfaces, whose list may be cut. */
	header_state(&sb, st);
	header_devices(&sb, d, v);
	if (c->w >= 2 * hw)
		room = c->w - hw - 1;
	if ((int)sb.len > room)
		compact(sb.s);
	dash_shorten(line, sizeof(line), sb.s, room, c->ascii);
	dash_fill(c, 0, 0, c->w, DS_HEADER);
	dash_put(c, 0, 0, room, DS_HEADER, line);
	if (room < c->w)
		dash_put(c, 0, c->w - hw, hw, DS_HEADER, help);
	sb_free(&sb);
}

/* Severity of the loss: what the worst stage loses of what reached the
 * host. 1 % and more is serious. */
static enum dash_style verdict_style(const struct diagnosis *d)
{
	double in = 0;

	if (d->verdict.stage == STAGE_NONE)
		return DS_GOOD;
	for (int i = 0; i < STAGE_N; i++)
		if (d->stages[i].in_pps.known && d->stages[i].in_pps.v > in)
			in = d->stages[i].in_pps.v;
	if (!d->total_lost_pps.known || in <= 0)
		return DS_BAD;
	return d->total_lost_pps.v >= 0.01 * in ? DS_BAD : DS_WARN;
}

static void draw_collecting(struct dash_canvas *c,
			    const struct dash_status *st)
{
	if (st->message)
		dash_printf(c, 1, 0, c->w, DS_BOLD, " %s", st->message);
	else if (st->first_left_s >= 0)
		dash_printf(c, 1, 0, c->w, DS_BOLD,
			    " collecting the first interval: %.0f s left",
			    ceil(st->first_left_s));
	else
		dash_put(c, 1, 0, c->w, DS_BOLD,
			 " collecting the first interval...");
}

/* The verdict's text, without the leading blank. */
static void verdict_text(struct strbuf *sb, const struct diagnosis *d,
			 bool ascii)
{
	const struct verdict *v = &d->verdict;
	const char *dash = ascii ? "-" : "\u2014";
	char rate[32];

	if (v->stage == STAGE_NONE && !v->summary) {
		sb_printf(sb, "verdict: none %s no packet loss seen in %.1f s",
			  dash, d->interval_s);
		return;
	}
	if (v->stage == STAGE_NONE) {
		sb_printf(sb, "verdict: none %s %s", dash, v->summary);
		return;
	}
	dash_fmt_rate(rate, sizeof(rate), v->lost_pps);
	sb_printf(sb, "verdict: %s %s %s pkt/s lost%s%s", stage_name(v->stage),
		  dash, rate, v->summary && v->summary[0] ? ": " : "",
		  v->summary ? v->summary : "");
}

/* One line, shortened to the width when it must be. Returns the whole
 * text (to free) when it was shortened, so that the findings show it. */
static char *draw_verdict(struct dash_canvas *c, const struct diagnosis *d)
{
	struct strbuf sb;
	char line[1024];
	int cut;

	sb_init(&sb);
	verdict_text(&sb, d, c->ascii);
	cut = dash_shorten(line, sizeof(line), sb.s, c->w - 1, c->ascii);
	dash_fill(c, 1, 0, c->w, verdict_style(d));
	dash_put(c, 1, 1, c->w - 1, verdict_style(d), line);
	if (cut == 0) {
		sb_free(&sb);
		return NULL;
	}
	return sb_steal(&sb);
}

/* ---- the waterfall ------------------------------------------------------ */

static const struct dash_col stage_cols[] = {
	{ "stage", 11, 'l', false, 0, false },
	{ "in/s", 8, 'r', false, 0, false },
	{ "lost/s", 8, 'r', false, 0, false },
	{ "loss %", 7, 'r', false, 0, false },
	{ "in total", 10, 'r', true, 0, false },
	{ "lost total", 10, 'r', true, 0, false },
	{ "history", 8, 's', false, HIST_LEN, true },
	{ "lost", 8, 'b', false, 24, false },
	{ "loss counters", 12, 'f', false, 0, false },
};

/* The lost bars are relative to the stage losing the most, so that stage
 * fills its bar and stands out. */
static double max_lost(const struct diagnosis *d)
{
	double m = 0;

	for (int i = 0; i < STAGE_N; i++)
		if (d->stages[i].lost_pps.known && d->stages[i].lost_pps.v > m)
			m = d->stages[i].lost_pps.v;
	return m;
}

/* The stage's loss counter that loses the most and is not yet listed
 * (an unknown one after every known one), or -1. */
static int next_counter(const struct stage *st, const bool *done)
{
	int best = -1;

	for (int i = 0; i < st->ncounters; i++) {
		const struct stage_counter *k = &st->counters[i];

		if (done[i] || !k->is_loss || (k->known && k->per_s == 0))
			continue;
		if (best < 0 || (k->known && (!st->counters[best].known ||
					      k->per_s > st->counters[best].per_s)))
			best = i;
	}
	return best;
}

/* Largest first, so that a narrow screen keeps the one that matters. */
static void loss_counters(char *buf, size_t size, const struct stage *st)
{
	bool done[MAX_STAGE_COUNTERS] = { false };
	struct strbuf sb;
	int i;

	sb_init(&sb);
	while ((i = next_counter(st, done)) >= 0) {
		const struct stage_counter *k = &st->counters[i];
		char r[32];

		done[i] = true;
		dash_fmt_rate(r, sizeof(r),
			      (struct optval){ k->per_s, k->known });
		sb_printf(&sb, "%s%s %s/s", sb.len ? ", " : "",
			  k->name ? k->name : "?", r);
	}
	copy_token(buf, size, sb.s ? sb.s : "", sb.len);
	sb_free(&sb);
}

static void loss_pct(char *buf, size_t size, const struct stage *st)
{
	if (!st->in_pps.known || !st->lost_pps.known)
		snprintf(buf, size, "?");
	else if (st->in_pps.v <= 0)
		snprintf(buf, size, "-");
	else
		dash_fmt_pct(buf, size,
			     opt_known(100 * st->lost_pps.v / st->in_pps.v));
}

#define SPARK_COL 6
#define BAR_COL 7
#define COUNTERS_COL 8

static void stage_cells(const struct diagnosis *d, const struct diagnosis *t,
			const struct diag_history *hist, int i,
			struct dash_cellv *out)
{
	const struct stage *st = &d->stages[i];
	double m = max_lost(d);
	enum dash_style s = DS_NORMAL;

	if (d->verdict.stage == i)
		s = DS_BAD;
	else if (st->lost_pps.known && st->lost_pps.v > 0)
		s = DS_WARN;
	for (int k = 0; k < 6; k++)
		out[k].st = s;
	snprintf(out[0].text, sizeof(out[0].text), "%s%s", stage_name(i),
		 d->verdict.stage == i ? " <" : "");
	dash_fmt_rate(out[1].text, sizeof(out[1].text), st->in_pps);
	dash_fmt_rate(out[2].text, sizeof(out[2].text), st->lost_pps);
	loss_pct(out[3].text, sizeof(out[3].text), st);
	dash_fmt_rate(out[4].text, sizeof(out[4].text),
		      t ? dash_total_of(t, t->stages[i].in_pps) : opt_unknown());
	dash_fmt_rate(out[5].text, sizeof(out[5].text),
		      t ? t->stages[i].lost : opt_unknown());
	out[SPARK_COL].spark = hist ? &hist->stage[i] : NULL;
	out[SPARK_COL].st = s == DS_NORMAL ? DS_BAR : s;
	out[BAR_COL].frac = m > 0 && st->lost_pps.known ? st->lost_pps.v / m : 0;
	out[BAR_COL].st = s == DS_NORMAL ? DS_BAR : s;
	loss_counters(out[COUNTERS_COL].text, sizeof(out[COUNTERS_COL].text),
		      st);
	out[COUNTERS_COL].st = DS_DIM;
}

static void unaccounted_cells(const struct diagnosis *d,
			      const struct diagnosis *t,
			      const struct diag_history *hist,
			      struct dash_cellv *o)
{
	double m = max_lost(d);

	for (int k = 0; k <= COUNTERS_COL; k++)
		o[k].st = DS_DIM;
	snprintf(o[0].text, sizeof(o[0].text), "unaccounted");
	dash_fmt_rate(o[2].text, sizeof(o[2].text), d->unaccounted_pps);
	dash_fmt_rate(o[5].text, sizeof(o[5].text),
		      t ? dash_total_of(t, t->unaccounted_pps) : opt_unknown());
	o[SPARK_COL].spark = hist ? &hist->unaccounted : NULL;
	o[BAR_COL].frac = m > 0 && d->unaccounted_pps.known
				  ? d->unaccounted_pps.v / m : 0;
	snprintf(o[COUNTERS_COL].text, sizeof(o[COUNTERS_COL].text),
		 "no counter explains these");
}

/* Columns of text up to the first ", " (the largest counter). */
static int first_item_cols(const char *s)
{
	const char *comma = strstr(s, ", ");
	char buf[256];

	if (!comma)
		return dash_text_cols(s);
	copy_token(buf, sizeof(buf), s, (size_t)(comma - s));
	return dash_text_cols(buf);
}

/* The history takes what the fixed columns and every stage's loss
 * counters (widest) leave in room, less the bar at its narrowest, or
 * with no bar when that leaves it less than its minimum; up to HIST_LEN.
 * Narrower than its minimum it is not drawn. Returns the columns it
 * takes, with its blank. */
static int spark_width(struct dash_col *col, int room, int widest)
{
	int left = room - (widest + 1) - 1;
	int w = left - (stage_cols[BAR_COL].w + 1);

	if (col->w < 0)
		return 0;
	if (w < col->w)
		w = left;
	if (w < col->w) {
		col->w = -1;
		return 0;
	}
	col->maxw = w < HIST_LEN ? w : HIST_LEN;
	return col->maxw + 1;
}

/* The lost bar gives way to the loss counters: it is narrowed so that
 * every stage's counters fit the width w, and, when even its narrowest
 * would not leave room for them, dropped so that at least each stage's
 * largest counter fits. */
static void fit_counters(struct dash_col *cols, const struct dash_ctx *x,
			 int w)
{
	struct dash_cellv cells[DASH_MAX_COLS];
	int widest = 0, first = 0, room = w, bar;

	for (int i = 0; i < STAGE_N; i++) {
		const char *t = cells[COUNTERS_COL].text;
		int n;

		memset(cells, 0, sizeof(cells));
		stage_cells(x->rate, x->total, x->hist, i, cells);
		n = dash_text_cols(t);
		widest = n > widest ? n : widest;
		n = first_item_cols(t);
		first = n > first ? n : first;
	}
	for (int i = 0; i < SPARK_COL; i++)
		if (!cols[i].totals || x->totals)
			room -= cols[i].w + 1;
	room -= spark_width(&cols[SPARK_COL], room, widest);
	bar = room - 2 - widest;
	if (bar < cols[BAR_COL].w)
		bar = room - 3 - first; /* and the ellipsis */
	if (bar < cols[BAR_COL].maxw)
		cols[BAR_COL].maxw = bar >= cols[BAR_COL].w ? bar : 1;
}

/* Returns the first row below the waterfall. */
static int draw_waterfall(struct dash_canvas *c, const struct dash_ctx *x)
{
	int ncols = (int)ARRAY_SIZE(stage_cols), y = WATERFALL_Y;
	struct dash_cellv cells[DASH_MAX_COLS];
	struct dash_col cols[ARRAY_SIZE(stage_cols)];

	memcpy(cols, stage_cols, sizeof(cols));
	if (!x->hist)
		cols[SPARK_COL].w = -1;
	fit_counters(cols, x, c->w - 1);
	dash_fill(c, y, 0, c->w, DS_DIM);
	dash_table_head(c, y++, 1, c->w - 1, cols, ncols, x->totals);
	for (int i = 0; i < STAGE_N; i++) {
		memset(cells, 0, sizeof(cells));
		stage_cells(x->rate, x->total, x->hist, i, cells);
		dash_table_row(c, y++, 1, c->w - 1, cols, ncols, x->totals,
			       cells);
	}
	memset(cells, 0, sizeof(cells));
	unaccounted_cells(x->rate, x->total, x->hist, cells);
	dash_table_row(c, y++, 1, c->w - 1, cols, ncols, x->totals, cells);
	return y;
}

/* ---- panels ------------------------------------------------------------- */

/* What a panel gets before the focused one: its title, and its headings
 * and one row, or a text panel's whole first entry (the first hint), so
 * that a command to type is seen whole without scrolling. */
static int min_lines(const struct dash_panelinfo *p)
{
	int want = dash_panel_want(p);
	int min = p->cols ? 3 : 1 + (p->first_lines > 1 ? p->first_lines : 1);

	return want < min ? want : min;
}

/* Gives each panel of the column its minimum when it fits, then the
 * focused panel what it wants, then one line at a time round the others.
 * Panels that get no line are not drawn. */
static void layout_column(struct dash_panelinfo *p, const int *ids, int n,
			  int h, int focus)
{
	int left = h, given;

	for (int i = 0; i < n; i++) {
		int min = min_lines(&p[ids[i]]);

		/* A long first hint: what is left, when that is a line or
		 * more of text. */
		if (min > left && !p[ids[i]].cols && left >= 2)
			min = left;
		p[ids[i]].lines = min <= left ? min : 0;
		left -= p[ids[i]].lines;
	}
	for (int i = 0; i < n; i++)
		if (ids[i] == focus && p[focus].lines > 0) {
			int more = dash_panel_want(&p[focus]) - p[focus].lines;

			more = more < left ? more : left;
			p[focus].lines += more;
			left -= more;
		}
	do {
		given = 0;
		for (int i = 0; i < n && left > 0; i++) {
			struct dash_panelinfo *q = &p[ids[i]];

			if (q->lines > 0 && q->lines < dash_panel_want(q)) {
				q->lines++;
				left--;
				given++;
			}
		}
	} while (given && left > 0);
}

static void clamp_scroll(struct dash_view *v, const struct dash_panelinfo *p)
{
	int rows = p->lines - 1 - (p->cols ? 1 : 0), max;

	rows = rows > 0 ? rows : 0;
	max = (int)p->nrows - rows;
	if (max < 0)
		max = 0;
	if (v->scroll[p->id] > max)
		v->scroll[p->id] = max;
	if (v->scroll[p->id] < 0)
		v->scroll[p->id] = 0;
	v->page[p->id] = rows;
	v->shown[p->id] = p->lines > 0;
}

/* Returns the lines used. */
static int draw_column(struct dash_canvas *c, const struct dash_ctx *x,
		       struct dash_panelinfo *p, const int *ids, int n,
		       int y, int x0, int w, int h, struct dash_view *v)
{
	int y0 = y;

	for (int i = 0; i < n; i++)
		dash_panel_wrap(&p[ids[i]], w - 1);
	layout_column(p, ids, n, h, v->focus);
	for (int i = 0; i < n; i++) {
		struct dash_panelinfo *q = &p[ids[i]];

		clamp_scroll(v, q);
		dash_panel_draw(c, x, q, y, x0, w, v->focus == (int)q->id,
				v->scroll[q->id]);
		y += q->lines;
	}
	return y - y0;
}

/* Wide: RX queues and sockets on the left, CPUs, the receiver and the drop
 * reasons on the right, the findings across the whole width below them
 * (their lines are long), with at least what they want up to a third of
 * the height. */
static void draw_wide(struct dash_canvas *c, const struct dash_ctx *x,
		      struct dash_panelinfo *p, struct dash_view *v, int y,
		      int h)
{
	static const int left[] = { DP_QUEUES, DP_SOCKETS };
	int right[3] = { DP_CPUS }, nr = 1;
	static const int bottom[] = { DP_FINDINGS };
	int fh = dash_panel_want(&p[DP_FINDINGS]), lw = c->w / 2, top, r;

	if (p[DP_RECEIVER].nrows)
		right[nr++] = DP_RECEIVER;
	if (x->rate->have_reasons)
		right[nr++] = DP_REASONS;

	if (fh > h / 3)
		fh = h / 3 > 2 ? h / 3 : 2;
	top = draw_column(c, x, p, left, 2, y, 0, lw - 1, h - fh, v);
	r = draw_column(c, x, p, right, nr, y, lw, c->w - lw, h - fh, v);
	top = r > top ? r : top;
	draw_column(c, x, p, bottom, 1, y + top, 0, c->w, h - top, v);
}

/* The row whose history g shows: the top row of the focused panel when
 * that is the RX queues, CPUs or sockets, as an index of the diagnosis's
 * rows into *row; else -1. */
static int focused_row(const struct dash_panelinfo *p,
		       const struct dash_view *v, size_t *row)
{
	const struct dash_panelinfo *f = &p[v->focus];

	if (v->focus != DP_QUEUES && v->focus != DP_CPUS &&
	    v->focus != DP_SOCKETS)
		return -1;
	*row = (size_t)-1;
	if (v->shown[v->focus] && (size_t)v->scroll[v->focus] < f->nrows)
		*row = f->idx[v->scroll[v->focus]];
	return v->focus;
}

/* Returns the panel and row of focused_row(). */
static int draw_panels(struct dash_canvas *c, const struct dash_ctx *x,
		       struct dash_view *v, int y, int h, size_t *row)
{
	int ids[DP_N] = { DP_QUEUES, DP_CPUS, DP_SOCKETS }, n = 3;
	struct dash_panelinfo p[DP_N];
	int panel;

	dash_panels_build(x, p);
	for (int i = 0; i < DP_N; i++)
		v->shown[i] = false;
	if (p[DP_RECEIVER].nrows)
		ids[n++] = DP_RECEIVER;
	/* The reasons after the findings: the first hint keeps its lines. */
	ids[n++] = DP_FINDINGS;
	if (x->rate->have_reasons)
		ids[n++] = DP_REASONS;
	if (c->w >= WIDE_W)
		draw_wide(c, x, p, v, y, h);
	else
		draw_column(c, x, p, ids, n, y, 0, c->w, h, v);
	if (!v->shown[v->focus])
		for (int i = 0; i < DP_N; i++)
			if (v->shown[i]) {
				v->focus = i;
				break;
			}
	panel = focused_row(p, v, row);
	dash_panels_free(p);
	return panel;
}

/* ---- the screen --------------------------------------------------------- */

static void draw_small_note(struct dash_canvas *c)
{
	char note[96];

	snprintf(note, sizeof(note),
		 " terminal %dx%d is below %dx%d: showing what fits", c->w,
		 c->h, MIN_W, MIN_H);
	dash_fill(c, c->h - 1, 0, c->w, DS_WARN);
	dash_put(c, c->h - 1, 0, c->w, DS_WARN, note);
}

/* The panels, and below them with g the focused row's history. */
static void draw_below(struct dash_canvas *c, const struct dash_ctx *x,
		       struct dash_view *v, int y, int bottom)
{
	int hl = x->hist && v->graph ? dash_row_history_lines() : 0, panel;
	size_t row = (size_t)-1;

	if (bottom - y < hl + 3)
		hl = 0; /* too short: the panels first */
	if (bottom - hl <= y)
		return;
	panel = draw_panels(c, x, v, y, bottom - hl - y, &row);
	if (hl)
		dash_draw_row_history(c, x, panel, row, bottom - hl);
}

void dash_draw(struct dash_canvas *c, const struct diagnosis *rate,
	       const struct diagnosis *total, struct dash_view *v,
	       const struct dash_status *st)
{
	dash_draw_hist(c, rate, total, NULL, v, st);
}

void dash_draw_hist(struct dash_canvas *c, const struct diagnosis *rate,
		    const struct diagnosis *total,
		    const struct diag_history *hist, struct dash_view *v,
		    const struct dash_status *st)
{
	struct dash_ctx x = { rate, total, hist, v, v->show_totals, NULL };
	bool small = c->w < MIN_W || c->h < MIN_H;
	int y, bottom = small ? c->h - 1 : c->h;
	char *full = NULL;

	dash_canvas_clear(c);
	draw_header(c, rate, v, st);
	if (rate) {
		full = draw_verdict(c, rate);
		x.verdict_full = full;
		y = draw_waterfall(c, &x);
		draw_below(c, &x, v, y, bottom);
	} else {
		draw_collecting(c, st);
	}
	free(full);
	if (st->message && rate)
		dash_printf(c, bottom - 1, 0, c->w, DS_BOLD, " %s",
			    st->message);
	if (small)
		draw_small_note(c);
	if (v->help)
		dash_draw_help(c, st);
}
