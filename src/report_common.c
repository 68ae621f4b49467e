/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the renderers (report_common.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report_common.h"
#include "util.h"

size_t report_number(char *buf, size_t size, double v)
{
	size_t n;

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
