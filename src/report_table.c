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

struct strbuf *table_cell_begin(struct table *t)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	t->cells[t->ncells++].off = t->text.len;
	return &t->text;
}

/* The cell's width is measured once here, not for every use in
 * table_print (its length is known here too). */
void table_cell_end(struct table *t)
{
	size_t start = t->cells[t->ncells - 1].off;

	t->cells[t->ncells - 1].width = utf8_columns(t->text.s + start,
						t->text.len - start);
	sb_putc(&t->text, '\0');
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
	sb_puts(table_cell_begin(t), s ? s : "(null)");   /* as printf */
	table_cell_end(t);
}

/* A cell holding a string from the diagnosis, escaped. */
void table_add_str(struct table *t, const char *s)
{
	text_escape(table_cell_begin(t), s ? s : "?");
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
	for (int i = 0; i < t->ncols; i++) {
		sb_puts(table_cell_begin(t), heads[i]);
		table_cell_end(t);
	}
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

/* The length of cell i, without its NUL. */
static size_t cell_len(const struct table *t, size_t i)
{
	size_t end = i + 1 < t->ncells ? t->cells[i + 1].off : t->text.len;

	return end - t->cells[i].off - 1;
}

/* One row written straight into out, whose room table_print reserved:
 * padding by memset, text by memcpy, not an append per piece. Returns
 * the end of the last cell's text: what follows is padding, which the
 * row ends without (trailing blanks are trimmed). */
static char *table_print_row(const struct table *t, size_t row,
			     const size_t *w, char *p)
{
	char *text_end = p + 2;
	bool first = true;

	*p++ = ' ';
	*p++ = ' ';
	for (int c = 0; c < t->ncols; c++) {
		size_t i = row * (size_t)t->ncols + (size_t)c;
		size_t pad = w[c] - t->cells[i].width, len = cell_len(t, i);
		size_t lead = (first ? 0 : 2) + (t->align[c] == 'r' ? pad : 0);

		if (w[c] == 0)
			continue;   /* a column empty everywhere */
		memset(p, ' ', lead);
		memcpy(p + lead, table_cell(t, i), len);
		p += lead + len;
		if (len > 0)
			text_end = p;
		if (t->align[c] == 'l') {
			memset(p, ' ', pad);
			p += pad;
		}
		first = false;
	}
	return text_end;
}

void table_print(const struct table *t, struct strbuf *out)
{
	size_t w[TABLE_MAX_COLS] = { 0 }, nrows = t->ncells / t->ncols;
	size_t row_room = 3;   /* "  " and the newline */

	for (size_t i = 0; i < t->ncells; i++) {
		int c = (int)(i % t->ncols);

		if (t->cells[i].width > w[c])
			w[c] = t->cells[i].width;
	}
	for (int c = 0; c < t->ncols; c++)
		row_room += 2 + w[c];
	/* Every row in at most row_room bytes plus its cells' bytes beyond
	 * their widths, which all the text bounds. */
	sb_reserve(out, nrows * row_room + t->text.len);
	for (size_t r = 0; r < nrows; r++) {
		size_t start = out->len;
		char *p = table_print_row(t, r, w, out->s + out->len);

		/* Blanks the last text itself ends with, rare: the padding
		 * after it is left out already. */
		out->len = (size_t)(p - out->s);
		while (out->len > start && out->s[out->len - 1] == ' ')
			out->len--;
		out->s[out->len++] = '\n';
	}
	out->s[out->len] = '\0';
}

/* v as "%.0f" prints it: a whole v without printf (most rates are). */
static void fmt_whole(struct strbuf *sb, double v)
{
	char buf[32];
	size_t n = report_integer(buf, sizeof(buf), v);

	if (n > 0)
		sb_append(sb, buf, n);
	else
		sb_printf(sb, "%.0f", v);
}

/* Packet rates: whole numbers, one decimal below 10 so that a trickle
 * does not read as 0. */
void fmt_rate(struct strbuf *sb, struct optval v)
{
	if (!v.known || !isfinite(v.v))
		sb_putc(sb, '?');
	else if (v.v == 0)
		sb_putc(sb, '0');
	else if (fabs(v.v) < 10)
		sb_printf(sb, "%.1f", v.v);
	else
		fmt_whole(sb, v.v);
}

void table_add_rate_unit(struct table *t, struct optval v,
			 const char *unit)
{
	struct strbuf *sb = table_cell_begin(t);

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
		table_add(t, "?");
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
	sb_append(table_cell_begin(t), buf, n);
	table_cell_end(t);
}

/* IRQ numbers, NUMA nodes, queue counts: negative means unknown. */
void table_add_int(struct table *t, long v)
{
	if (v < 0)
		table_add(t, "?");
	else
		table_add_u64(t, (uint64_t)v);
}

void table_add_u64(struct table *t, uint64_t v)
{
	sb_put_u64(table_cell_begin(t), v);
	table_cell_end(t);
}
