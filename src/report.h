/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers of a diagnosis for --report: they only draw what diagnose()
 * produced and never read the kernel or a snapshot. */
#ifndef DROPTOP_REPORT_H
#define DROPTOP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"
#include "util.h"

struct report_options {
	bool all;          /* --all: show idle rows too */
	const char *source; /* "live" or the replayed file name */
	char *const *devs;  /* the -i filter, none when ndevs is 0 */
	size_t ndevs;
};

void report_text(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);
void report_json(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);
/* Prometheus text exposition, for node_exporter's textfile collector. */
void report_prom(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);

#endif
