/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text report's aligned tables (report_text.c and its sections):
 * rows of cells, each column as wide as its widest cell; every cell is
 * escaped on the way in. */
#ifndef DROPTOP_REPORT_TABLE_H
#define DROPTOP_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

#define TABLE_MAX_COLS 12

/* Rows of cells printed with each column as wide as its widest cell.
 * The cells live one after the other, each NUL-terminated, in one
 * buffer: two allocations per table, not one per cell (a report has
 * hundreds, and the fuzz targets pay for each). */
struct table {
	int ncols;
	const char *align;   /* one 'l' or 'r' per column */
	struct strbuf text;  /* every cell's text */
	struct table_cell {
		size_t off;      /* in text */
		size_t len;      /* bytes, without its NUL; set at its end */
		size_t width;    /* display columns, set at its end */
	} *cells;            /* row-major; row 0: headings */
	size_t ncells;
	size_t cap;
};

/* Copies s, escaping what a terminal would act on (sb_put_escaped). */
void text_escape(struct strbuf *out, const char *s);
/* A new cell built by appending to the returned buffer, ended by
 * table_cell_end(); no other cell may be added in between. */
struct strbuf *table_cell_begin(struct table *t);
void table_cell_end(struct table *t);
/* The last cell opened again for appending (then table_cell_end());
 * *start is where its text begins in the returned buffer. */
struct strbuf *table_cell_reopen(struct table *t, size_t *start);
const char *table_cell(const struct table *t, size_t i);
/* A cell of our own making: numbers and fixed words. */
void table_add(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A word of our own as it is, unescaped: table_add(t, "%s", s) without
 * the printf. */
void table_add_word(struct table *t, const char *s);
/* A cell holding a string from the diagnosis, escaped. */
void table_add_str(struct table *t, const char *s);
void table_init(struct table *t, const char *align,
		const char *const *heads);
void table_free(struct table *t);
void table_print(const struct table *t, struct strbuf *out);
/* Packet rates: whole numbers, one decimal below 10 so that a trickle
 * does not read as 0. */
void fmt_rate(struct strbuf *sb, struct optval v);
void table_add_rate_unit(struct table *t, struct optval v,
			 const char *unit);
void table_add_rate(struct table *t, struct optval v);
void table_add_pct(struct table *t, struct optval v, int decimals);
/* IRQ numbers, NUMA nodes, queue counts: negative means unknown. */
void table_add_int(struct table *t, long v);
/* A count or an inode number, in decimal. */
void table_add_u64(struct table *t, uint64_t v);
/* The timeline section (report_timeline.c). */
void report_text_timeline(const struct timeline *tl, bool all,
			  struct strbuf *out);

#endif
