/* One screen of the dashboard: the top line (host, kernel, interfaces,
 * interval, state), the verdict coloured by severity, the loss waterfall,
 * then the panels stacked in what height is left (side by side in two
 * columns on a wide terminal). Everything comes from the diagnosis. */
#include "config.h"

#include <math.h>
#include <stdio.h>
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
	if (!d || d->ndevs == 0) {
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

static void draw_header(struct dash_canvas *c, const struct diagnosis *d,
			const struct dash_view *v, const struct dash_status *st)
{
	struct strbuf sb;
	const char *help = " h: help";
	int hw = (int)strlen(help);

	sb_init(&sb);
	sb_printf(&sb, " droptop  %s  %s", d && d->host[0] ? d->host : "?",
		  d && d->kernel[0] ? d->kernel : "?");
	/* The state before the interfaces, whose list may be cut. */
	header_state(&sb, st);
	header_devices(&sb, d, v);
	dash_fill(c, 0, 0, c->w, DS_HEADER);
	dash_put(c, 0, 0, c->w, DS_HEADER, sb.s);
	if ((int)sb.len + hw + 1 < c->w)
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

static void draw_verdict(struct dash_canvas *c, const struct diagnosis *d,
			 const struct dash_status *st)
{
	const struct verdict *v;
	char rate[32];

	if (!d) {
		dash_printf(c, 1, 0, c->w, DS_BOLD, " %s",
			    st->message ? st->message
					: "collecting the first interval...");
		return;
	}
	v = &d->verdict;
	dash_fill(c, 1, 0, c->w, verdict_style(d));
	if (v->stage == STAGE_NONE && !v->summary) {
		dash_printf(c, 1, 0, c->w, verdict_style(d),
			    " verdict: none \u2014 no packet loss seen in %.1f s",
			    d->interval_s);
		return;
	}
	if (v->stage == STAGE_NONE) {
		dash_printf(c, 1, 0, c->w, verdict_style(d),
			    " verdict: none \u2014 %s", v->summary);
		return;
	}
	dash_fmt_rate(rate, sizeof(rate), v->lost_pps);
	dash_printf(c, 1, 0, c->w, verdict_style(d),
		    " verdict: %s \u2014 %s pkt/s lost%s%s", stage_name(v->stage),
		    rate, v->summary && v->summary[0] ? ": " : "",
		    v->summary ? v->summary : "");
}

/* ---- the waterfall ------------------------------------------------------ */

static const struct dash_col stage_cols[] = {
	{ "stage", 11, 'l', false, 0 },
	{ "in/s", 8, 'r', false, 0 },
	{ "lost/s", 8, 'r', false, 0 },
	{ "loss %", 7, 'r', false, 0 },
	{ "in total", 10, 'r', true, 0 },
	{ "lost total", 10, 'r', true, 0 },
	{ "lost", 8, 'b', false, 24 },
	{ "loss counters", 12, 'f', false, 0 },
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

static void loss_counters(char *buf, size_t size, const struct stage *st)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int i = 0; i < st->ncounters; i++) {
		const struct stage_counter *k = &st->counters[i];
		char r[32];

		if (!k->is_loss || (k->known && k->per_s == 0))
			continue;
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

static void stage_cells(const struct diagnosis *d, const struct diagnosis *t,
			int i, struct dash_cellv *out)
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
	out[6].frac = m > 0 && st->lost_pps.known ? st->lost_pps.v / m : 0;
	out[6].st = s == DS_NORMAL ? DS_BAR : s;
	loss_counters(out[7].text, sizeof(out[7].text), st);
	out[7].st = DS_DIM;
}

static void unaccounted_cells(const struct diagnosis *d,
			      const struct diagnosis *t, struct dash_cellv *o)
{
	double m = max_lost(d);

	for (int k = 0; k < 8; k++)
		o[k].st = DS_DIM;
	snprintf(o[0].text, sizeof(o[0].text), "unaccounted");
	dash_fmt_rate(o[2].text, sizeof(o[2].text), d->unaccounted_pps);
	dash_fmt_rate(o[5].text, sizeof(o[5].text),
		      t ? dash_total_of(t, t->unaccounted_pps) : opt_unknown());
	o[6].frac = m > 0 && d->unaccounted_pps.known
			    ? d->unaccounted_pps.v / m : 0;
	snprintf(o[7].text, sizeof(o[7].text), "no counter explains these");
}

/* Returns the first row below the waterfall. */
static int draw_waterfall(struct dash_canvas *c, const struct dash_ctx *x)
{
	int ncols = (int)ARRAY_SIZE(stage_cols), y = WATERFALL_Y;
	struct dash_cellv cells[DASH_MAX_COLS];

	dash_fill(c, y, 0, c->w, DS_DIM);
	dash_table_head(c, y++, 1, c->w - 1, stage_cols, ncols, x->totals);
	for (int i = 0; i < STAGE_N; i++) {
		memset(cells, 0, sizeof(cells));
		stage_cells(x->rate, x->total, i, cells);
		dash_table_row(c, y++, 1, c->w - 1, stage_cols, ncols,
			       x->totals, cells);
	}
	memset(cells, 0, sizeof(cells));
	unaccounted_cells(x->rate, x->total, cells);
	dash_table_row(c, y++, 1, c->w - 1, stage_cols, ncols, x->totals,
		       cells);
	return y;
}

/* ---- panels ------------------------------------------------------------- */

/* Gives each panel of the column its title (and headings and one row when
 * they fit), then the focused panel what it wants, then one line at a time
 * round the others. Panels that get no line are not drawn. */
static void layout_column(struct dash_panelinfo *p, const int *ids, int n,
			  int h, int focus)
{
	int left = h, given;

	for (int i = 0; i < n; i++) {
		int want = dash_panel_want(&p[ids[i]]);
		int min = want < 3 ? want : (p[ids[i]].cols ? 3 : 2);

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

/* Wide: RX queues and sockets on the left, CPUs and the receiver on the
 * right, the findings across the whole width below them (their lines are
 * long), with at least what they want up to a third of the height. */
static void draw_wide(struct dash_canvas *c, const struct dash_ctx *x,
		      struct dash_panelinfo *p, struct dash_view *v, int y,
		      int h)
{
	static const int left[] = { DP_QUEUES, DP_SOCKETS };
	static const int right[] = { DP_CPUS, DP_RECEIVER };
	static const int bottom[] = { DP_FINDINGS };
	int fh = dash_panel_want(&p[DP_FINDINGS]), lw = c->w / 2, top, r;

	if (fh > h / 3)
		fh = h / 3 > 2 ? h / 3 : 2;
	top = draw_column(c, x, p, left, 2, y, 0, lw - 1, h - fh, v);
	r = draw_column(c, x, p, right, p[DP_RECEIVER].nrows ? 2 : 1, y, lw,
			c->w - lw, h - fh, v);
	top = r > top ? r : top;
	draw_column(c, x, p, bottom, 1, y + top, 0, c->w, h - top, v);
}

static void draw_panels(struct dash_canvas *c, const struct dash_ctx *x,
			struct dash_view *v, int y, int h)
{
	static const int all[] = { DP_QUEUES, DP_CPUS, DP_SOCKETS,
				   DP_RECEIVER, DP_FINDINGS };
	static const int no_recv[] = { DP_QUEUES, DP_CPUS, DP_SOCKETS,
				       DP_FINDINGS };
	struct dash_panelinfo p[DP_N];

	dash_panels_build(x, p);
	for (int i = 0; i < DP_N; i++)
		v->shown[i] = false;
	if (c->w >= WIDE_W)
		draw_wide(c, x, p, v, y, h);
	else if (p[DP_RECEIVER].nrows)
		draw_column(c, x, p, all, 5, y, 0, c->w, h, v);
	else
		draw_column(c, x, p, no_recv, 4, y, 0, c->w, h, v);
	if (!v->shown[v->focus])
		for (int i = 0; i < DP_N; i++)
			if (v->shown[i]) {
				v->focus = i;
				break;
			}
	dash_panels_free(p);
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

void dash_draw(struct dash_canvas *c, const struct diagnosis *rate,
	       const struct diagnosis *total, struct dash_view *v,
	       const struct dash_status *st)
{
	struct dash_ctx x = { rate, total, v, v->show_totals };
	bool small = c->w < MIN_W || c->h < MIN_H;
	int y, bottom = small ? c->h - 1 : c->h;

	dash_canvas_clear(c);
	draw_header(c, rate, v, st);
	draw_verdict(c, rate, st);
	if (rate) {
		y = draw_waterfall(c, &x);
		if (bottom > y)
			draw_panels(c, &x, v, y, bottom - y);
	}
	if (st->message && rate)
		dash_printf(c, bottom - 1, 0, c->w, DS_BOLD, " %s",
			    st->message);
	if (small)
		draw_small_note(c);
	if (v->help)
		dash_draw_help(c, st);
}
