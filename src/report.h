/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers of a diagnosis for --report: they only draw what diagnose()
 * produced and never read the kernel or a snapshot. */
#ifndef DROPTOP_REPORT_H
#define DROPTOP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"
#include "timeline.h"
#include "util.h"

struct report_options {
	bool all;          /* --all: show idle rows too */
	const char *source; /* "live" or the replayed file name */
	char *const *devs;  /* the -i filter, none when ndevs is 0 */
	size_t ndevs;
	/* The intervals of a recording of more than two snapshots (or of a
	 * live --count run), or NULL: no timeline section. */
	const struct timeline *timeline;
	bool one_line;      /* JSON on one line (NDJSON, --count) */
};

void report_text(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);
void report_json(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);
/* --count in text: the column headings, then one line per interval. */
void report_line_header(struct strbuf *out);
void report_line(const struct diagnosis *d, struct strbuf *out);
/* A rate as the line prints it, in at most 6 characters: "?", "0",
 * "3.5", "48211", "150k", "1.2M". */
void report_line_rate(char *buf, size_t size, struct optval v);
/* A self-contained SVG of o->timeline: loss per stage over time. */
void report_svg(const struct diagnosis *d, const struct report_options *o,
		struct strbuf *out);
/* A rate in at most four significant characters and a suffix: 950,
 * 17.4k, 150k, 2.1M. For the timeline's sentences and the SVG's axis. */
void report_rate_short(char *buf, size_t size, double v);
/* Prometheus text exposition, for node_exporter's textfile collector. */
void report_prom(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);

#endif
