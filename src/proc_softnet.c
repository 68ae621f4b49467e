/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/softnet_stat: one row per CPU of 32-bit counters, each printed
 * as exactly 8 hex digits. The kernel's column layout:
 *   0 processed, 1 dropped (backlog full), 2 time_squeeze,
 *   3-8 unused (always 0; once fastroute and cpu_collision),
 *   9 received_rps (2.6.35+), 10 flow_limit_count (3.11+),
 *   11 backlog_len (input + process queue, 5.10+), 12 CPU index (5.10+),
 *   13 input_qlen, 14 process_qlen (6.x).
 * Kernels skip offline CPUs, so a row is not a CPU number. When the
 * CPU-index column exists it names the CPU; without it, row i is taken as
 * CPU i, which holds only while every CPU is online: older kernels give
 * no way to tell. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define SOFTNET_SRC "/proc/net/softnet_stat"
#define SOFTNET_MIN_COLS 9
#define SOFTNET_MAX_COLS 32

enum softnet_col {
	SN_PROCESSED = 0,
	SN_DROPPED = 1,
	SN_TIME_SQUEEZE = 2,
	SN_RECEIVED_RPS = 9,
	SN_FLOW_LIMIT = 10,
	SN_BACKLOG_LEN = 11,
	SN_CPU_INDEX = 12,
};

struct softnet_row {
	uint64_t col[SOFTNET_MAX_COLS];
	size_t ncols;
};

/* Splits a row into its columns. Every column must be 8 hex digits: that
 * also proves a row cut short by truncation did not lose digits. */
static int softnet_columns(struct snapshot *s, const char *line, size_t len,
			   unsigned int lineno, struct softnet_row *row)
{
	const char *p = line, *end = line + len, *tok;
	size_t n;

	row->ncols = 0;
	while ((tok = next_token(&p, end, &n))) {
		if (n != 8 || !parse_u64(tok, n, 16, &row->col[row->ncols])) {
			snapshot_note(s, "%s: line %u: column %zu is not 8 hex "
				      "digits: '%.*s'", SOFTNET_SRC, lineno,
				      row->ncols + 1, (int)(n > 16 ? 16 : n),
				      tok);
			return -EINVAL;
		}
		if (++row->ncols == SOFTNET_MAX_COLS)
			break; /* columns of a far future kernel: unused */
	}
	if (row->ncols < SOFTNET_MIN_COLS) {
		snapshot_note(s, "%s: line %u: %zu columns, expected at least "
			      "%d", SOFTNET_SRC, lineno, row->ncols,
			      SOFTNET_MIN_COLS);
		return -EINVAL;
	}
	return 0;
}

static void softnet_fill(struct cpu_stat *c, const struct softnet_row *row)
{
	c->have_softnet = true;
	c->processed = row->col[SN_PROCESSED];
	c->dropped = row->col[SN_DROPPED];
	c->time_squeeze = row->col[SN_TIME_SQUEEZE];
	c->have_received_rps = row->ncols > SN_RECEIVED_RPS;
	c->received_rps = c->have_received_rps ? row->col[SN_RECEIVED_RPS] : 0;
	c->have_flow_limit = row->ncols > SN_FLOW_LIMIT;
	c->flow_limit = c->have_flow_limit ? row->col[SN_FLOW_LIMIT] : 0;
	c->have_backlog_len = row->ncols > SN_BACKLOG_LEN;
	c->backlog_len = c->have_backlog_len ? row->col[SN_BACKLOG_LEN] : 0;
}

/* Stores one well-formed row for its CPU. */
static int softnet_store(struct snapshot *s, const struct softnet_row *row,
			 int rowno, unsigned int lineno)
{
	uint64_t cpu = (uint64_t)rowno;
	struct cpu_stat *c;

	if (row->ncols > SN_CPU_INDEX)
		cpu = row->col[SN_CPU_INDEX];
	c = cpu < MAX_CPUS ? snapshot_cpu(s, (int)cpu) : NULL;
	if (!c) {
		snapshot_note(s, "%s: line %u: CPU %llu out of range",
			      SOFTNET_SRC, lineno, (unsigned long long)cpu);
		return -EINVAL;
	}
	if (c->have_softnet) {
		snapshot_note(s, "%s: line %u: second row for CPU %llu",
			      SOFTNET_SRC, lineno, (unsigned long long)cpu);
		return -EINVAL;
	}
	softnet_fill(c, row);
	s->have_softnet = true;
	return 0;
}

/* The widest row: every row of one file has the same width, and a row can
 * only lose columns (a damaged or truncated file), never gain them. */
static size_t softnet_width(const char *text)
{
	const char *pos = text, *line;
	size_t len, width = 0;

	while ((line = next_line(&pos, &len))) {
		size_t n = count_tokens(line, line + len);

		if (n > width)
			width = n;
	}
	return width < SOFTNET_MAX_COLS ? width : SOFTNET_MAX_COLS;
}

struct softnet_walk {
	size_t width;	/* of the widest row */
	int rowno;	/* index of the current row, -1 before the first */
};

static enum line_verdict softnet_line(struct snapshot *s, void *ctx,
				      const char *line, size_t len,
				      unsigned int lineno)
{
	struct softnet_walk *w = ctx;
	struct softnet_row row;

	w->rowno++;
	if (softnet_columns(s, line, len, lineno, &row) < 0)
		return LINE_BAD;
	if (row.ncols != w->width) {
		snapshot_note(s, "%s: line %u: %zu columns where other rows "
			      "have %zu", SOFTNET_SRC, lineno, row.ncols,
			      w->width);
		return LINE_BAD;
	}
	if (softnet_store(s, &row, w->rowno, lineno) < 0)
		return LINE_BAD;
	return LINE_OK;
}

/* An unterminated last row is read like any other: its columns of 8 hex
 * digits and its width show whether the cut took anything from it. */
int softnet_parse(struct snapshot *s, const char *text)
{
	struct softnet_walk w = { softnet_width(text), -1 };
	int rc = walk_lines(s, SOFTNET_SRC, text, LINES_CUT_OK, softnet_line,
			    &w);

	if (rc < 0)
		rc = -EINVAL;
	if (!s->have_softnet && rc == 0) {
		snapshot_note(s, "%s: no rows", SOFTNET_SRC);
		rc = -EINVAL;
	}
	return rc;
}
