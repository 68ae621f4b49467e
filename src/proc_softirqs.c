/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/softirqs: a header "CPU0 CPU1 ..." and one row per softirq type.
 * Only NET_RX is read. The header lists the *possible* CPUs on some kernels
 * (3.x), so it may have more columns than /proc/stat has online CPUs; the
 * extra columns are real zeros and are kept as such. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define SOFTIRQS_SRC "/proc/softirqs"

struct softirq_header {
	int *cpu;   /* CPU number of each column */
	size_t n;
};

/* Parses "CPU<n>" column names; false if the line is not a header. */
static bool softirqs_header(const char *line, size_t len,
			    struct softirq_header *h)
{
	const char *p = line, *end = line + len, *tok;
	size_t n, cap = count_tokens(line, end);
	uint64_t cpu;

	h->n = 0;
	h->cpu = xcalloc(cap, sizeof(*h->cpu));
	while ((tok = next_token(&p, end, &n))) {
		if (n < 4 || memcmp(tok, "CPU", 3) != 0 ||
		    !parse_u64(tok + 3, n - 3, 10, &cpu) || cpu >= MAX_CPUS)
			return false;
		h->cpu[h->n++] = (int)cpu;
	}
	return h->n > 0;
}

/* Reads the values of the NET_RX row ("NET_RX:" already consumed from p):
 * all of them, or nothing. */
static int softirqs_net_rx(struct snapshot *s, const struct softirq_header *h,
			   const char *p, const char *end, unsigned int lineno)
{
	uint64_t *v = xcalloc(h->n, sizeof(*v));
	size_t n, i = 0, ntok = count_tokens(p, end);
	const char *tok;
	int rc = 0;

	if (ntok != h->n) {
		snapshot_note(s, "%s: line %u: NET_RX has %zu values for %zu "
			      "CPUs", SOFTIRQS_SRC, lineno, ntok, h->n);
		rc = -EINVAL;
	}
	while (rc == 0 && (tok = next_token(&p, end, &n))) {
		if (!parse_u64(tok, n, 10, &v[i++])) {
			snapshot_note(s, "%s: line %u: NET_RX: not a counter "
				      "'%.*s'", SOFTIRQS_SRC, lineno, (int)n,
				      tok);
			rc = -EINVAL;
		}
	}
	for (i = 0; rc == 0 && i < h->n; i++) {
		struct cpu_stat *c = snapshot_cpu(s, h->cpu[i]);

		c->net_rx = v[i];
		c->have_net_rx = true;
	}
	if (rc == 0)
		s->have_softirqs = true;
	free(v);
	return rc;
}

/* One row after the header; only NET_RX matters. */
static int softirqs_row(struct snapshot *s, const struct softirq_header *h,
			const char *line, size_t len, unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok;
	size_t n;

	tok = next_token(&p, end, &n);
	if (n != 7 || memcmp(tok, "NET_RX:", 7) != 0)
		return 0;
	return softirqs_net_rx(s, h, p, end, lineno);
}

/* The header first, then the rows; no header, nothing can be read. */
static enum line_verdict softirqs_line(struct snapshot *s, void *ctx,
				       const char *line, size_t len,
				       unsigned int lineno)
{
	struct softirq_header *h = ctx;

	if (!h->cpu) {
		if (!softirqs_header(line, len, h)) {
			snapshot_note(s, "%s: line %u: expected the header "
				      "'CPU0 CPU1 ...'", SOFTIRQS_SRC, lineno);
			return LINE_STOP;
		}
		return LINE_OK;
	}
	if (softirqs_row(s, h, line, len, lineno) < 0)
		return LINE_BAD;
	return LINE_OK;
}

int softirqs_parse(struct snapshot *s, const char *text)
{
	struct softirq_header h = { NULL, 0 };
	int rc = parse_lines(s, SOFTIRQS_SRC, text, softirqs_line, &h);

	free(h.cpu);
	if (!s->have_softirqs && rc == 0) {
		snapshot_note(s, "%s: no NET_RX row", SOFTIRQS_SRC);
		rc = -EINVAL;
	}
	return rc;
}
