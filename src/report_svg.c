/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --format svg: a self-contained SVG of the timeline, for a bug report.
 * One step line per stage that lost packets (pkt/s against seconds from
 * the first snapshot), a legend, axes with round tick values, and the
 * worst interval shaded. No script, no external reference, no font file.
 *
 * Beyond SVG_MAX_STEPS intervals, neighbours are drawn as one step
 * holding the largest rate among them, so that a burst is never averaged
 * away and the file stays under a few hundred kilobytes. Every string
 * from the recording (file and host names, device names) is XML-escaped;
 * bytes that are not well-formed UTF-8 or not allowed in XML become '?'. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_common.h"

#define SVG_MAX_STEPS 2000
#define SVG_W 900
#define SVG_H 440
#define PLOT_X 80      /* left edge of the plot area */
#define PLOT_Y 70      /* top edge */
#define PLOT_W 640
#define PLOT_H 310
#define SVG_MAX_DEVS 8 /* named in the subtitle */

static const char *const stage_colour[STAGE_N] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#d62728",
	"#17becf",
};

/* One character of XML text, or '?' for one XML 1.0 does not allow. */
static size_t xml_char(struct strbuf *out, const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t len = report_utf8_len(s, n);

	if (len == 0 || (c < 0x20 && c != '\t') ||
	    (len == 3 && c == 0xef && (unsigned char)s[1] == 0xbf &&
	     (unsigned char)s[2] >= 0xbe)) {     /* U+FFFE, U+FFFF */
		sb_putc(out, '?');
		return 1;
	}
	switch (c) {
	case '&': sb_puts(out, "&amp;"); break;
	case '<': sb_puts(out, "&lt;"); break;
	case '>': sb_puts(out, "&gt;"); break;
	case '"': sb_puts(out, "&quot;"); break;
	case '\'': sb_puts(out, "&apos;"); break;
	default: sb_append(out, s, len); break;
	}
	return len;
}

static void xml_escape(struct strbuf *out, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		size_t k = xml_char(out, s, n);

		s += k;
		n -= k;
	}
}

/* The range the plot covers, and the lossiest rate it must show. */
struct frame {
	double t_end;
	double y_max;
	double x_step, y_step;   /* tick spacing */
};

/* 1, 2 or 5 times a power of ten, at least span / 5. */
static double nice_step(double span)
{
	double raw = span / 5, p = pow(10, floor(log10(raw))), f = raw / p;

	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static double max_loss(const struct timeline *tl)
{
	double m = 0;

	for (size_t i = 0; i < tl->n; i++)
		for (int s = 0; s < STAGE_N; s++) {
			struct optval v = tl->points[i].lost_pps[s];

			if (v.known && isfinite(v.v) && v.v > m)
				m = v.v;
		}
	return m;
}

static void frame_init(struct frame *f, const struct timeline *tl)
{
	f->t_end = tl->t_end > 0 ? tl->t_end : 1;
	f->x_step = nice_step(f->t_end);
	f->y_max = max_loss(tl);
	if (!(f->y_max > 0))
		f->y_max = 1;
	f->y_step = nice_step(f->y_max);
	f->y_max = ceil(f->y_max / f->y_step) * f->y_step;
}

static double x_of(const struct frame *f, double t)
{
	return PLOT_X + PLOT_W * (t / f->t_end);
}

static double y_of(const struct frame *f, double v)
{
	return PLOT_Y + PLOT_H * (1 - v / f->y_max);
}

static void svg_header(const struct diagnosis *d,
		       const struct report_options *o, struct strbuf *out)
{
	sb_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		  "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
		  "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
		  "fill=\"white\"/>\n<text x=\"%d\" y=\"24\" font-size=\"16\">"
		  "droptop: packets lost per second, by stage</text>\n"
		  "<text x=\"%d\" y=\"44\">", SVG_W, SVG_H, SVG_W, SVG_H,
		  PLOT_X, PLOT_X);
	xml_escape(out, o->source ? o->source : "live");
	if (d->host[0]) {
		sb_puts(out, ", host ");
		xml_escape(out, d->host);
	}
	for (size_t i = 0; i < d->ndevs && i < SVG_MAX_DEVS; i++) {
		sb_puts(out, i ? ", " : ", devices ");
		xml_escape(out, d->devs[i].name);
	}
	if (d->ndevs > SVG_MAX_DEVS)
		sb_printf(out, " and %zu more", d->ndevs - SVG_MAX_DEVS);
	sb_puts(out, "</text>\n");
}

static void svg_axes(const struct frame *f, struct strbuf *out)
{
	char label[32];

	sb_puts(out, "<g stroke=\"#ccc\">\n");
	for (double v = 0; v <= f->y_max * 1.0001; v += f->y_step)
		sb_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			  PLOT_X, y_of(f, v), PLOT_X + PLOT_W, y_of(f, v));
	sb_puts(out, "</g>\n<g text-anchor=\"end\">\n");
	for (double v = 0; v <= f->y_max * 1.0001; v += f->y_step) {
		report_rate_short(label, sizeof(label), v);
		sb_printf(out, "<text x=\"%d\" y=\"%.1f\">%s</text>\n",
			  PLOT_X - 6, y_of(f, v) + 4, label);
	}
	sb_puts(out, "</g>\n<g text-anchor=\"middle\">\n");
	for (double t = 0; t <= f->t_end * 1.0001; t += f->x_step)
		sb_printf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			  "stroke=\"black\"/>\n<text x=\"%.1f\" y=\"%d\">%g</text>\n",
			  x_of(f, t), PLOT_Y + PLOT_H, x_of(f, t),
			  PLOT_Y + PLOT_H + 5, x_of(f, t), PLOT_Y + PLOT_H + 18, t);
	sb_printf(out, "<text x=\"%d\" y=\"%d\">seconds from the first "
		  "snapshot (s)</text>\n</g>\n", PLOT_X + PLOT_W / 2,
		  PLOT_Y + PLOT_H + 38);
	sb_printf(out, "<text transform=\"translate(18 %d) rotate(-90)\" "
		  "text-anchor=\"middle\">lost (pkt/s)</text>\n"
		  "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"black\"/>\n",
		  PLOT_Y + PLOT_H / 2, PLOT_X, PLOT_Y, PLOT_Y + PLOT_H,
		  PLOT_X + PLOT_W);
}

static void svg_worst(const struct frame *f, const struct timeline *tl,
		      struct strbuf *out)
{
	const struct timeline_point *w = timeline_worst(tl);
	double x0, x1, mid;
	char rate[32];

	if (!w)
		return;
	x0 = x_of(f, w->t);
	x1 = x_of(f, w->t + w->interval_s);
	if (x1 - x0 < 2)
		x1 = x0 + 2;     /* a short burst stays visible */
	/* The label is centred over the interval, kept inside the plot. */
	mid = fmin(fmax((x0 + x1) / 2, PLOT_X + 130), PLOT_X + PLOT_W - 130);
	report_rate_short(rate, sizeof(rate),
			  w->stage != STAGE_NONE && w->verdict_lost_pps.known
			  ? w->verdict_lost_pps.v : w->total_lost_pps.v);
	sb_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		  "fill=\"#ffbf00\" fill-opacity=\"0.25\"/>\n<text x=\"%.1f\" "
		  "y=\"%d\" text-anchor=\"middle\" fill=\"#7a5c00\">worst "
		  "%.1f\u2013%.1f s: %s %s pkt/s</text>\n", x0, PLOT_Y, x1 - x0,
		  PLOT_H, mid, PLOT_Y - 8, w->t, w->t + w->interval_s,
		  w->stage != STAGE_NONE && w->verdict_lost_pps.known
		  ? stage_name(w->stage) : "total", rate);
}

/* Points [from, to) as one step: the largest known rate of stage s, or
 * unknown when none is known. */
static struct optval step_rate(const struct timeline *tl, size_t from,
			       size_t to, int s)
{
	struct optval m = opt_unknown();

	for (size_t i = from; i < to; i++) {
		struct optval v = tl->points[i].lost_pps[s];

		if (v.known && isfinite(v.v) && (!m.known || v.v > m.v))
			m = v;
	}
	if (m.known && m.v < 0)
		m.v = 0;         /* never below the axis */
	return m;
}

/* A step line; an unknown step is a gap. */
static void svg_stage_line(const struct frame *f, const struct timeline *tl,
			   int s, struct strbuf *out)
{
	size_t nsteps = tl->n < SVG_MAX_STEPS ? tl->n : SVG_MAX_STEPS;
	bool pen_down = false;

	sb_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
		  "d=\"", stage_colour[s]);
	for (size_t k = 0; k < nsteps; k++) {
		size_t from = k * tl->n / nsteps, to = (k + 1) * tl->n / nsteps;
		const struct timeline_point *last = &tl->points[to - 1];
		struct optval v = step_rate(tl, from, to, s);
		double y;

		if (!v.known) {
			pen_down = false;
			continue;
		}
		y = y_of(f, v.v);
		if (pen_down)
			sb_printf(out, "V%.1f", y);
		else
			sb_printf(out, "M%.1f %.1f", x_of(f, tl->points[from].t), y);
		sb_printf(out, "H%.1f", x_of(f, last->t + last->interval_s));
		pen_down = true;
	}
	sb_puts(out, "\"/>\n");
}

static bool stage_lost(const struct timeline *tl, int s)
{
	return step_rate(tl, 0, tl->n, s).v > 0;
}

static void svg_lines_legend(const struct frame *f, const struct timeline *tl,
			     struct strbuf *out)
{
	int row = 0;

	for (int s = 0; s < STAGE_N; s++) {
		int y = PLOT_Y + 10 + 20 * row;

		if (!stage_lost(tl, s))
			continue;
		svg_stage_line(f, tl, s, out);
		sb_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			  "stroke=\"%s\" stroke-width=\"3\"/>\n<text x=\"%d\" "
			  "y=\"%d\">%s</text>\n", PLOT_X + PLOT_W + 20, y,
			  PLOT_X + PLOT_W + 40, y, stage_colour[s],
			  PLOT_X + PLOT_W + 46, y + 4, stage_name(s));
		row++;
	}
	if (row == 0)
		sb_printf(out, "<text x=\"%d\" y=\"%d\">no packet lost in any "
			  "interval</text>\n", PLOT_X + PLOT_W + 20, PLOT_Y + 14);
}

void report_svg(const struct diagnosis *d, const struct report_options *o,
		struct strbuf *out)
{
	const struct timeline *tl = o->timeline;
	struct frame f;
	struct timeline empty;

	if (!tl) {
		timeline_init(&empty, 0);
		tl = &empty;
	}
	frame_init(&f, tl);
	svg_header(d, o, out);
	svg_worst(&f, tl, out);
	svg_axes(&f, out);
	svg_lines_legend(&f, tl, out);
	sb_puts(out, "</svg>\n");
}
