/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the renderers (report_*.c, dashboard_*.c) share, so that none of
 * them depends on another: figures printed alike, and UTF-8 checked
 * alike. */
#ifndef DROPTOP_REPORT_COMMON_H
#define DROPTOP_REPORT_COMMON_H

#include <stddef.h>

/* A figure as the JSON and Prometheus reports print it, so that the two
 * agree: six decimals at most, no trailing zeros (48211, not
 * 48211.000000), never "-0". v must be finite. Returns its length. */
size_t report_number(char *buf, size_t size, double v);
/* A whole v (below 1e15 either way) in decimal, as printf's "%.0f"
 * prints it ("-0" as "0"), returning its length; 0 (buf unspecified)
 * for any other v, or a buf too small. */
size_t report_integer(char *buf, size_t size, double v);

/* For renderers that must cope with driver counter names, addresses and
 * file names holding any bytes: the length of the well-formed UTF-8
 * sequence at s (at most n bytes), or 0 when s[0] does not start one
 * (stray byte, overlong form, surrogate, beyond U+10FFFF). */
size_t report_utf8_len(const char *s, size_t n);

#endif
