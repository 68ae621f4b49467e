/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the renderers (report_common.h). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report_common.h"
#include "util.h"

size_t report_integer(char *buf, size_t size, double v)
{
	/* Room for the sign before the digits. */
	char digits[1 + U64_DIGITS];
	size_t n, i;

	if (!(fabs(v) < 1e15) || v != (double)(int64_t)v || size < 2)
		return 0;
	n = u64_digits(digits + 1, (uint64_t)fabs(v));
	i = sizeof(digits) - n;
	if (v < 0) {
		digits[--i] = '-';
		n++;
	}
	if (n >= size)
		return 0;
	memcpy(buf, digits + i, n);
	buf[n] = '\0';
	return n;
}

size_t report_number(char *buf, size_t size, double v)
{
	size_t n = report_integer(buf, size, v);

	/* Most figures are whole (counts, rates over whole seconds), and
	 * printing a double is the slow part of a report. */
	if (n > 0)
		return n;
	snprintf(buf, size, "%.6f", v + 0.0);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		n--;
	if (n > 0 && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	/* Not strcmp(): the fuzz targets hook every call of it. */
	if (n == 2 && buf[0] == '-' && buf[1] == '0') {
		buf[0] = '0';
		buf[1] = '\0';
		n = 1;
	}
	return n;
}

size_t report_utf8_len(const char *str, size_t n)
{
	return utf8_len(str, n);
}
