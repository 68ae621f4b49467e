/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Conntrack: /proc/net/stat/nf_conntrack, nf_conntrack_count and
 * nf_conntrack_max (/proc/sys/net/netfilter), all of the watched network
 * namespace. None of them exists until nf_conntrack is loaded.
 *
 * /proc/net/stat/nf_conntrack is a header naming the columns, then one
 * row per possible CPU of 32-bit counters printed as 8 hex digits. The
 * columns changed over time (3.x: "entries searched found new invalid
 * ignore delete delete_list insert insert_failed drop early_drop
 * icmp_error expect_new expect_create expect_delete search_restart";
 * 5.x+ replaced searched/delete_list by clashres/chainlength), so they are
 * found by name. `entries` is the table size (the same in every row), not
 * a counter: it is not summed. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define CT_SRC "/proc/net/stat/nf_conntrack"
#define CT_MAX_COLS 64

static const char *const ct_names[CT_N] = {
	[CT_DROP] = "drop",
	[CT_EARLY_DROP] = "early_drop",
	[CT_INSERT_FAILED] = "insert_failed",
	[CT_INVALID] = "invalid",
	[CT_SEARCH_RESTART] = "search_restart",
};

/* The header's columns: which ct_stat_id each is, -1 for the others. */
struct ct_walk {
	bool have_header;
	size_t ncols;
	int id[CT_MAX_COLS];
	uint64_t sum[CT_N];
	size_t nrows;
};

static int ct_lookup(const char *tok, size_t n)
{
	for (int i = 0; i < CT_N; i++)
		if (strlen(ct_names[i]) == n && memcmp(ct_names[i], tok, n) == 0)
			return i;
	return -1;
}

static enum line_verdict ct_header(struct snapshot *s, struct ct_walk *w,
				   const char *line, size_t len)
{
	const char *p = line, *end = line + len, *tok;
	bool seen[CT_N] = { false };
	size_t n;

	if (len < 7 || memcmp(line, "entries", 7) != 0) {
		snapshot_note(s, "%s: line 1: no header (expected 'entries "
			      "...')", CT_SRC);
		return LINE_STOP;
	}
	while ((tok = next_token(&p, end, &n))) {
		int id = ct_lookup(tok, n);

		if (w->ncols == CT_MAX_COLS) {
			snapshot_note(s, "%s: line 1: more than %d columns",
				      CT_SRC, CT_MAX_COLS);
			return LINE_STOP;
		}
		/* A name given twice counts once, the first. */
		if (id >= 0 && seen[id])
			id = -1;
		if (id >= 0)
			seen[id] = true;
		w->id[w->ncols++] = id;
	}
	w->have_header = true;
	return LINE_OK;
}

/* A row must have the header's number of columns, each 8 hex digits: a
 * row cut short or from another layout is not read. */
static enum line_verdict ct_row(struct snapshot *s, struct ct_walk *w,
				const char *line, size_t len,
				unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok;
	uint64_t v[CT_MAX_COLS];
	size_t n, i = 0;

	while ((tok = next_token(&p, end, &n))) {
		if (i == w->ncols || n != 8 || !parse_u64(tok, n, 16, &v[i])) {
			snapshot_note(s, "%s: line %u: expected %zu columns of "
				      "8 hex digits", CT_SRC, lineno,
				      w->ncols);
			return LINE_BAD;
		}
		i++;
	}
	if (i != w->ncols) {
		snapshot_note(s, "%s: line %u: %zu columns, the header has "
			      "%zu", CT_SRC, lineno, i, w->ncols);
		return LINE_BAD;
	}
	if (w->nrows == MAX_CPUS) {
		snapshot_note(s, "%s: more than %d rows", CT_SRC, MAX_CPUS);
		return LINE_STOP;
	}
	for (i = 0; i < w->ncols; i++)
		if (w->id[i] >= 0)
			w->sum[w->id[i]] += v[i];
	w->nrows++;
	return LINE_OK;
}

static enum line_verdict ct_line(struct snapshot *s, void *ctx,
				 const char *line, size_t len,
				 unsigned int lineno)
{
	struct ct_walk *w = ctx;

	if (!w->have_header)
		return ct_header(s, w, line, len);
	return ct_row(s, w, line, len, lineno);
}

int conntrack_stat_parse(struct snapshot *s, const char *text)
{
	struct ct_walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	rc = parse_lines(s, CT_SRC, text, ct_line, &w);
	/* Only a whole table is a sum over the CPUs: a bad row would make
	 * every column short. */
	if (rc < 0 || !w.nrows) {
		if (!rc)
			snapshot_note(s, "%s: no rows", CT_SRC);
		return -EINVAL;
	}
	s->nf.have_ct_stat = true;
	for (size_t i = 0; i < w.ncols; i++) {
		if (w.id[i] < 0)
			continue;
		s->nf.ct_have[w.id[i]] = true;
		s->nf.ct[w.id[i]] = w.sum[w.id[i]];
	}
	return 0;
}

/* One decimal number on one line. */
static int one_value(struct snapshot *s, const char *src, const char *text,
		     uint64_t *v)
{
	const char *pos = text, *line, *tok, *end;
	size_t len, n;

	line = next_line(&pos, &len);
	end = line ? line + len : NULL;
	tok = line ? next_token(&line, end, &n) : NULL;
	if (!tok || !only_blanks(line, end) || !parse_u64(tok, n, 10, v) ||
	    next_line(&pos, &len)) {
		snapshot_note(s, "%s: expected one number", src);
		return -EINVAL;
	}
	return 0;
}

int conntrack_count_parse(struct snapshot *s, const char *text)
{
	if (one_value(s, CT_COUNT_SRC, text, &s->nf.ct_count) < 0)
		return -EINVAL;
	s->nf.have_ct_count = true;
	return 0;
}

int conntrack_max_parse(struct snapshot *s, const char *text)
{
	if (one_value(s, CT_MAX_SRC, text, &s->nf.ct_max) < 0)
		return -EINVAL;
	s->nf.have_ct_max = true;
	return 0;
}

const char *conntrack_stat_name(enum ct_stat_id id)
{
	return ct_names[id];
}
