/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dashboard's grid of cells: every drawing call is clipped here, so a
 * small terminal shows what fits and nothing is ever written outside the
 * screen. One cell holds one character of one column; droptop only draws
 * single-width characters (its own text, eighth blocks, escaped names). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "report_common.h"
#include "util.h"

void dash_canvas_init(struct dash_canvas *c, int w, int h, bool ascii)
{
	c->w = w > 0 ? w : 0;
	c->h = h > 0 ? h : 0;
	c->ascii = ascii;
	c->cells = xcalloc((size_t)c->w * (size_t)c->h + 1, sizeof(*c->cells));
	dash_canvas_clear(c);
}

void dash_canvas_free(struct dash_canvas *c)
{
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

void dash_canvas_clear(struct dash_canvas *c)
{
	for (int i = 0; i < c->w * c->h; i++) {
		c->cells[i].ch[0] = ' ';
		c->cells[i].ch[1] = '\0';
		c->cells[i].style = DS_NORMAL;
	}
}

static struct dash_cell *cell(struct dash_canvas *c, int y, int x)
{
	if (y < 0 || y >= c->h || x < 0 || x >= c->w)
		return NULL;
	return &c->cells[y * c->w + x];
}

static void set_cell(struct dash_canvas *c, int y, int x, const char *ch,
		     size_t n, enum dash_style st)
{
	struct dash_cell *p = cell(c, y, x);

	if (!p)
		return;
	memcpy(p->ch, ch, n);
	p->ch[n] = '\0';
	p->style = (unsigned char)st;
}

/* Characters that do not take exactly one column (combining marks, East
 * Asian wide forms, emoji): drawn as '?' so that one cell stays one
 * column whatever the locale's wcwidth says. A coarse table on purpose. */
static bool not_one_column(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;

	if (len == 2)
		cp = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	else if (len == 3)
		cp = (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 |
		     (u[2] & 0x3f);
	else if (len == 4)
		return true;
	else
		return false;
	return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1100 && cp <= 0x115f) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe00 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6);
}

/* Length of the next character (1 for a byte that starts none), and
 * whether it can be drawn: not a control (C0, DEL, C1), not malformed
 * UTF-8, no bidi control (it would reorder the row), one column wide,
 * and ASCII in ASCII mode since the terminal
 * cannot show more. What cannot be drawn becomes one '?'. */
static size_t next_char(const struct dash_canvas *c, const char *s, size_t n,
			bool *ok)
{
	unsigned char b = (unsigned char)s[0];
	size_t len = report_utf8_len(s, n);

	*ok = len > 0;
	if (len == 0)
		return 1;
	if (len == 1 && (b < 0x20 || b == 0x7f))
		*ok = false;
	else if (len == 2 && b == 0xc2 && (unsigned char)s[1] < 0xa0)
		*ok = false;
	else if (utf8_is_bidi_control(s, len))
		*ok = false;
	else if (len > 1 && (c->ascii || not_one_column(s, len)))
		*ok = false;
	return len;
}

int dash_put(struct dash_canvas *c, int y, int x, int maxw,
	     enum dash_style st, const char *s)
{
	size_t n = strlen(s);
	int col = 0;

	if (y < 0 || y >= c->h || x < 0)
		return 0;
	if (maxw < 0 || x + maxw > c->w)
		maxw = c->w - x;
	while (n > 0 && col < maxw) {
		bool ok;
		size_t len = next_char(c, s, n, &ok);

		set_cell(c, y, x + col, ok ? s : "?", ok ? len : 1, st);
		s += len;
		n -= len;
		col++;
	}
	return col;
}

int dash_printf(struct dash_canvas *c, int y, int x, int maxw,
		enum dash_style st, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return dash_put(c, y, x, maxw, st, buf);
}

void dash_fill(struct dash_canvas *c, int y, int x, int w, enum dash_style st)
{
	for (int i = 0; i < w; i++)
		set_cell(c, y, x + i, " ", 1, st);
}

void dash_bar(struct dash_canvas *c, int y, int x, int width, double frac,
	      enum dash_style st)
{
	/* U+2588 FULL BLOCK down to U+258F LEFT ONE EIGHTH BLOCK. */
	static const char *const eighths[8] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		"\u2589",
	};
	int units, i;

	if (width <= 0)
		return;
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	units = (int)(frac * width * 8 + 0.5);
	/* A non-zero share is never drawn as an empty bar. */
	if (units == 0 && frac > 0)
		units = 1;
	for (i = 0; i < width; i++, units -= 8) {
		if (units >= 8)
			set_cell(c, y, x + i, c->ascii ? "#" : "\u2588",
				 c->ascii ? 1 : 3, st);
		else if (units > 0 && c->ascii)
			set_cell(c, y, x + i, units >= 4 ? "#" : "|", 1, st);
		else if (units > 0)
			set_cell(c, y, x + i, eighths[units], 3, st);
		else
			set_cell(c, y, x + i, " ", 1, DS_NORMAL);
	}
}

void dash_spark(struct dash_canvas *c, int y, int x, int width,
		const int *levels, enum dash_style st)
{
	/* U+2581 LOWER ONE EIGHTH BLOCK up to U+2588 FULL BLOCK. */
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		"\u2587", "\u2588",
	};
	static const char ramp[] = ".:-=+*#@";

	for (int i = 0; i < width; i++) {
		int l = levels[i] > HIST_LEVELS ? HIST_LEVELS : levels[i];

		if (l == HIST_GAP)
			set_cell(c, y, x + i, c->ascii ? "?" : "\u00b7",
				 c->ascii ? 1 : 2, DS_DIM);
		else if (l <= 0)
			set_cell(c, y, x + i, " ", 1, DS_NORMAL);
		else if (c->ascii)
			set_cell(c, y, x + i, &ramp[l - 1], 1, st);
		else
			set_cell(c, y, x + i, blocks[l - 1], 3, st);
	}
}

void dash_row_text(const struct dash_canvas *c, int y, char *buf,
		   size_t size)
{
	struct strbuf sb;
	size_t end = 0;

	sb_init(&sb);
	for (int x = 0; y >= 0 && y < c->h && x < c->w; x++) {
		sb_puts(&sb, c->cells[y * c->w + x].ch);
		if (strcmp(c->cells[y * c->w + x].ch, " ") != 0)
			end = sb.len;
	}
	copy_token(buf, size, sb.s ? sb.s : "", end);
	sb_free(&sb);
}
