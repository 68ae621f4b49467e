/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/stat: the per-CPU "cpuN" lines, in USER_HZ ticks:
 *   user nice system idle [iowait irq softirq [steal [guest [guest_nice]]]]
 * 4 fields on 2.4 kernels, 7 from 2.6, 8 from 2.6.11, 10 from 2.6.33.
 * guest and guest_nice are already counted inside user and nice, so the
 * total is the sum of the first eight fields only. The aggregate "cpu"
 * line and every other line are ignored. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define STAT_SRC "/proc/stat"
#define STAT_SOFTIRQ 6       /* field index of softirq */
#define STAT_TOTAL_FIELDS 8  /* user .. steal */
#define STAT_MAX_FIELDS 10

/* The CPU number of a "cpuN" line, or -1 for any other line. */
static int stat_cpu_label(const char *tok, size_t n)
{
	uint64_t cpu;

	if (n < 4 || memcmp(tok, "cpu", 3) != 0 ||
	    !parse_u64(tok + 3, n - 3, 10, &cpu) || cpu >= MAX_CPUS)
		return -1;
	return (int)cpu;
}

static int stat_cpu_line(struct snapshot *s, int cpu, const char *p,
			 const char *end, unsigned int lineno)
{
	uint64_t f[STAT_MAX_FIELDS], total = 0;
	size_t n, nf = 0;
	const char *tok;
	struct cpu_stat *c;

	while (nf < STAT_MAX_FIELDS && (tok = next_token(&p, end, &n))) {
		if (!parse_u64(tok, n, 10, &f[nf])) {
			snapshot_note(s, "%s: line %u: cpu%d: not a number "
				      "'%.*s'", STAT_SRC, lineno, cpu, (int)n,
				      tok);
			return -EINVAL;
		}
		nf++;
	}
	if (nf < 4) {
		snapshot_note(s, "%s: line %u: cpu%d has %zu fields, expected "
			      "at least 4", STAT_SRC, lineno, cpu, nf);
		return -EINVAL;
	}
	if (nf <= STAT_SOFTIRQ)
		return 0; /* a 2.4 kernel: no softirq time to report */
	for (size_t i = 0; i < nf && i < STAT_TOTAL_FIELDS; i++)
		total += f[i];
	c = snapshot_cpu(s, cpu);
	c->have_times = true;
	c->softirq_ticks = f[STAT_SOFTIRQ];
	c->total_ticks = total;
	s->have_stat = true;
	return 0;
}

/* One line of /proc/stat; only "cpuN" lines are read. */
static enum line_verdict stat_line(struct snapshot *s, void *ctx,
				   const char *line, size_t len,
				   unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok;
	size_t n;
	int cpu;

	(void)ctx;
	tok = next_token(&p, end, &n);
	cpu = stat_cpu_label(tok, n);
	if (cpu < 0)
		return LINE_OK;
	if (stat_cpu_line(s, cpu, p, end, lineno) < 0)
		return LINE_BAD;
	return LINE_OK;
}

int procstat_parse(struct snapshot *s, const char *text)
{
	int rc = parse_lines(s, STAT_SRC, text, stat_line, NULL);

	if (!s->have_stat && rc == 0) {
		snapshot_note(s, "%s: no cpuN lines with softirq time",
			      STAT_SRC);
		rc = -EINVAL;
	}
	return rc;
}
