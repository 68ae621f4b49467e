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
/* A figure as the JSON and Prometheus reports print it, so that the two
 * agree: six decimals at most, no trailing zeros (48211, not
 * 48211.000000), never "-0". v must be finite. */
void report_number(char *buf, size_t size, double v);
/* Prometheus text exposition, for node_exporter's textfile collector. */
void report_prom(const struct diagnosis *d, const struct report_options *o,
		 struct strbuf *out);

/* Shared by the two renderers, which both must cope with driver counter
 * names, addresses and file names holding any bytes: the length of the
 * well-formed UTF-8 sequence at s (at most n bytes), or 0 when s[0] does
 * not start one (stray byte, overlong form, surrogate, beyond U+10FFFF). */
size_t report_utf8_len(const char *s, size_t n);

#endif
