/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text report's tables: cells escaped and measured in display
 * columns, printed aligned. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_common.h"
#include "report_table.h"

/* Copies s, escaping what a terminal would act on (sb_put_escaped). */
void text_escape(struct strbuf *out, const char *s)
{
	sb_put_escaped(out, s, strlen(s));
}

/* The cells work on a copy of the table's fields: in the fuzz targets
 * UBSan checks every load through a pointer, and every pointer sum,
 * with compares, each a coverage callback; a report has hundreds of
 * cells. */
static __attribute__((noinline)) void table_grow(struct table *t)
{
	t->cap = t->cap ? 2 * t->cap : 64;
	t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
}

struct strbuf *table_cell_begin(struct table *t)
{
	struct table c = *t;

	if (c.ncells == c.cap) {
		table_grow(t);
		c.cells = t->cells;
	}
	c.cells[c.ncells].off = c.text.len;
	t->ncells = c.ncells + 1;
	return &t->text;
}

/* The cell's length and width are measured once here, not for every use
 * in table_print. Every append leaves a NUL after the text (and so does
 * table_cell_reopen), so the cell's NUL is there: only its room and the
 * buffer's own NUL after it are written. */
void table_cell_end(struct table *t)
{
	struct table c = *t;
	struct table_cell *cell = &c.cells[c.ncells - 1];
	size_t off = cell->off, len = c.text.len - off;

	cell->len = len;
	cell->width = utf8_columns(c.text.s + off, len);
	if (c.text.cap - c.text.len <= 1) {
		sb_reserve(&t->text, 1);
		c.text = t->text;
	}
	c.text.s[c.text.len + 1] = '\0';
	t->text.len = c.text.len + 1;
}

/* A whole cell of n bytes at s, in one step: width columns, or when
 * width is SIZE_MAX, measured. */
static void table_put(struct table *t, const char *s, size_t n, size_t width)
{
	struct table c = *t;
	char *p;

	if (c.ncells == c.cap) {
		table_grow(t);
		c.cells = t->cells;
	}
	if (c.text.cap - c.text.len <= n + 1) {
		sb_reserve(&t->text, n + 1);
		c.text = t->text;
	}
	p = c.text.s + c.text.len;
	memcpy(p, s, n);
	memcpy(p + n, "\0", 2);   /* the cell's NUL and the buffer's */
	if (width == SIZE_MAX)
		width = utf8_columns(s, n);
	c.cells[c.ncells] = (struct table_cell){ c.text.len, n, width };
	t->text.len = c.text.len + n + 1;
	t->ncells = c.ncells + 1;
}

struct strbuf *table_cell_reopen(struct table *t, size_t *start)
{
	*start = t->cells[t->ncells - 1].off;
	t->text.len--;   /* its NUL: the last byte of the buffer */
	return &t->text;
}

const char *table_cell(const struct table *t, size_t i)
{
	return t->text.s + t->cells[i].off;
}

/* A cell of our own making: numbers and fixed words. */
__attribute__((format(printf, 2, 3)))
void table_add(struct table *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(table_cell_begin(t), fmt, ap);
	va_end(ap);
	table_cell_end(t);
}

void table_add_word(struct table *t, const char *s)
{
	s = s ? s : "(null)";   /* as printf */
	table_put(t, s, strlen(s), SIZE_MAX);
}

/* A cell holding a string from the diagnosis, escaped: a plain one (the
 * usual) as it is. */
void table_add_str(struct table *t, const char *s)
{
	size_t n;

	s = s ? s : "?";
	n = strlen(s);
	if (plain_ascii_run(s, n, "\\") == n) {
		table_put(t, s, n, n);
		return;
	}
	text_escape(table_cell_begin(t), s);
	table_cell_end(t);
}

/* The buffers of the last table freed, taken by the next one: a report
 * draws its tables one after another, and the fuzz targets draw one
 * report per input, where every new block is fresh pages that ASan fills
 * (a fifth of an empty input's page faults were the tables'). One spare
 * per thread; a big table's buffers are freed, not kept. */
#define TABLE_SPARE_MAX (64 * 1024)
static _Thread_local struct table_spare {
	struct strbuf text;
	struct table_cell *cells;
	size_t cap;
} spare;

void table_init(struct table *t, const char *align,
		const char *const *heads)
{
	memset(t, 0, sizeof(*t));
	t->align = align;
	t->ncols = (int)strlen(align);
	if (spare.cells) {
		t->text = spare.text;
		t->cells = spare.cells;
		t->cap = spare.cap;
		sb_reset(&t->text);
		memset(&spare, 0, sizeof(spare));
	} else {
		/* Room for a small table's text in one allocation. */
		sb_reserve(&t->text, 512);
	}
	for (int i = 0; i < t->ncols; i++)
		table_put(t, heads[i], strlen(heads[i]), SIZE_MAX);
}

void table_free(struct table *t)
{
	if (!spare.cells && t->cells && t->text.cap <= TABLE_SPARE_MAX &&
	    t->cap <= TABLE_SPARE_MAX / sizeof(*t->cells)) {
		spare.text = t->text;
		spare.cells = t->cells;
		spare.cap = t->cap;
	} else {
		sb_free(&t->text);
		free(t->cells);
	}
	memset(t, 0, sizeof(*t));
}

/* What table_print needs of a column shown (one with text somewhere):
 * its cells' offset in a row, width, the blanks before it (two, none
 * for the first) and masks choosing where its padding goes. */
struct table_col {
	size_t col, width, gap, rpad, lpad;
};

/* One row written straight into out, whose room table_print reserved:
 * padding by memset, text by memcpy, not an append per piece. Returns
 * the end of the last cell's text: what follows is padding, which the
 * row ends without (trailing blanks are trimmed). */
static char *table_print_row(const struct table_cell *cells, const char *text,
			     const struct table_col *cols, size_t ncols,
			     char *p)
{
	char *text_end = p + 2;

	memcpy(p, "  ", 2);
	p += 2;
	for (size_t k = 0; k < ncols; k++) {
		struct table_col c = cols[k];
		struct table_cell cell = cells[c.col];
		size_t pad = c.width - cell.width;
		size_t lead = c.gap + (pad & c.rpad);

		memset(p, ' ', lead);
		memcpy(p + lead, text + cell.off, cell.len);
		p += lead + cell.len;
		text_end = cell.len ? p : text_end;
		memset(p, ' ', pad & c.lpad);
		p += pad & c.lpad;
	}
	return text_end;
}

/* The columns with text in some cell, with their widths. */
static size_t table_columns(const struct table *t, struct table_col *cols)
{
	size_t ncols = (size_t)t->ncols, n = 0;

	for (size_t c = 0; c < ncols; c++) {
		size_t w = 0, right = 0 - (size_t)(t->align[c] == 'r');

		/* The widest cell, by arithmetic: a compare per cell is a
		 * callback in the fuzz targets (widths are far below 2^63:
		 * the sign of w - x says which is larger). */
		for (size_t i = c; i < t->ncells; i += ncols) {
			size_t d = w - t->cells[i].width;

			w -= d & (size_t)((int64_t)d >> 63);
		}
		if (w == 0)
			continue;   /* a column empty everywhere */
		cols[n] = (struct table_col){ c, w, n ? 2 : 0, right, ~right };
		n++;
	}
	return n;
}

void table_print(const struct table *t, struct strbuf *out)
{
	struct table_col cols[TABLE_MAX_COLS];
	size_t nrows = t->ncells / (size_t)t->ncols;
	size_t ncols = table_columns(t, cols);
	size_t row_room = 3;   /* "  " and the newline */

	for (size_t k = 0; k < ncols; k++)
		row_room += 2 + cols[k].width;
	/* Every row in at most row_room bytes plus its cells' bytes beyond
	 * their widths, which all the text bounds. */
	sb_reserve(out, nrows * row_room + t->text.len);
	for (size_t r = 0; r < nrows; r++) {
		size_t start = out->len;
		char *p = table_print_row(t->cells + r * (size_t)t->ncols,
					  t->text.s, cols, ncols,
					  out->s + out->len);

		/* Blanks the last text itself ends with, rare: the padding
		 * after it is left out already. */
		out->len = (size_t)(p - out->s);
		while (out->len > start && out->s[out->len - 1] == ' ')
			out->len--;
		out->s[out->len++] = '\n';
	}
	out->s[out->len] = '\0';
}

/* The text of the rates that need no printf (unknown, 0, whole ones of
 * 10 and more): its length in buf (32 bytes), or 0. */
static size_t rate_text(char *buf, struct optval v)
{
	if (!v.known || !isfinite(v.v)) {
		buf[0] = '?';
		return 1;
	}
	if (v.v == 0) {
		buf[0] = '0';
		return 1;
	}
	if (fabs(v.v) < 10)
		return 0;
	return report_integer(buf, 32, v.v);
}

/* Packet rates: whole numbers, one decimal below 10 so that a trickle
 * does not read as 0. Most need no printf (rate_text). */
void fmt_rate(struct strbuf *sb, struct optval v)
{
	char buf[32];
	size_t n = rate_text(buf, v);

	if (n > 0)
		sb_append(sb, buf, n);
	else if (fabs(v.v) < 10)
		sb_printf(sb, "%.1f", v.v);
	else
		sb_printf(sb, "%.0f", v.v);
}

void table_add_rate_unit(struct table *t, struct optval v,
			 const char *unit)
{
	char buf[32 + 8];
	size_t n = rate_text(buf, v), un = strlen(unit);
	struct strbuf *sb;

	if (n > 0 && un <= 8) {
		/* Digits, '?' and the unit: ASCII, as wide as long. */
		memcpy(buf + n, unit, un);
		table_put(t, buf, n + un, n + un);
		return;
	}
	sb = table_cell_begin(t);
	fmt_rate(sb, v);
	sb_puts(sb, unit);
	table_cell_end(t);
}

void table_add_rate(struct table *t, struct optval v)
{
	table_add_rate_unit(t, v, "");
}

void table_add_pct(struct table *t, struct optval v, int decimals)
{
	char buf[32];
	size_t n;

	if (!v.known || !isfinite(v.v)) {
		table_put(t, "?", 1, 1);
		return;
	}
	/* A whole share (0 %, 100 %: most are) without printf; -0 is
	 * printf's ("-0.0%"). */
	n = signbit(v.v) && v.v == 0 ? 0 : report_integer(buf, sizeof(buf), v.v);
	if (n == 0 || decimals < 0 || decimals > 6) {
		table_add(t, "%.*f%%", decimals, v.v);
		return;
	}
	if (decimals > 0) {
		buf[n++] = '.';
		memset(buf + n, '0', (size_t)decimals);
		n += (size_t)decimals;
	}
	buf[n++] = '%';
	table_put(t, buf, n, n);
}

/* IRQ numbers, NUMA nodes, queue counts: negative means unknown. */
void table_add_int(struct table *t, long v)
{
	if (v < 0)
		table_put(t, "?", 1, 1);
	else
		table_add_u64(t, (uint64_t)v);
}

void table_add_u64(struct table *t, uint64_t v)
{
	char buf[U64_DIGITS];
	size_t n = u64_digits(buf, v);

	table_put(t, buf + sizeof(buf) - n, n, n);
}
