/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared line loop of the /proc parsers (lines.h). Written once so
 * that every parser numbers lines, skips blanks and treats a cut last
 * line the same way. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "lines.h"
#include "util.h"

int walk_lines(struct snapshot *s, const char *src, const char *text,
	       unsigned int flags, line_fn fn, void *ctx)
{
	const char *pos = text, *line;
	unsigned int lineno = 0;
	size_t len;
	int rc = 0;

	while ((line = next_line(&pos, &len))) {
		lineno++;
		if (only_blanks(line, line + len))
			continue;
		if (line[len] != '\n' && !(flags & LINES_CUT_OK)) {
			snapshot_note(s, "%s: line %u: incomplete last line "
				      "(truncated?)", src, lineno);
			return -ECANCELED;
		}
		switch (fn(s, ctx, line, len, lineno)) {
		case LINE_OK:
			break;
		case LINE_BAD:
			rc = -EINVAL;
			break;
		case LINE_STOP:
			return -ECANCELED;
		}
	}
	return rc;
}

int parse_lines(struct snapshot *s, const char *src, const char *text,
		line_fn fn, void *ctx)
{
	return walk_lines(s, src, text, 0, fn, ctx) < 0 ? -EINVAL : 0;
}
