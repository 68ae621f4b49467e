/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The line loop every line-oriented /proc parser shares: number the lines,
 * skip blank ones, refuse a last line without its newline (its last field
 * may have lost digits), and hand every other line to a callback. */
#ifndef DROPTOP_LINES_H
#define DROPTOP_LINES_H

#include <stddef.h>

#include "snapshot.h"

/* What a line callback tells the loop. The callback notes a bad line
 * itself, naming the source and the line number. */
enum line_verdict {
	LINE_OK,	/* read; go on */
	LINE_BAD,	/* bad; the result is -EINVAL, but go on */
	LINE_STOP,	/* bad, and nothing after it can be read */
};

/* Called for each non-blank line; line[len] is its newline (or, with
 * LINES_CUT_OK, the end of the text). lineno counts from 1, blank lines
 * included. */
typedef enum line_verdict (*line_fn)(struct snapshot *s, void *ctx,
				     const char *line, size_t len,
				     unsigned int lineno);

/* Pass an unterminated last line to the callback instead of noting it:
 * for a format whose rows prove their own completeness (softnet_stat). */
#define LINES_CUT_OK 0x1u

/* Walks text. Returns 0 when every line was read well, -EINVAL when a
 * callback said LINE_BAD but every line was read, and -ECANCELED when the
 * walk ended early: a callback said LINE_STOP, or the last line had no
 * newline, noted as "SRC: line N: incomplete last line (truncated?)". */
int walk_lines(struct snapshot *s, const char *src, const char *text,
	       unsigned int flags, line_fn fn, void *ctx);

/* walk_lines() without flags, for parsers to which an early end is just
 * malformed text: returns 0 or -EINVAL. */
int parse_lines(struct snapshot *s, const char *src, const char *text,
		line_fn fn, void *ctx);

#endif
