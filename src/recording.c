/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "recgzip.h"
#include "recording.h"

void recording_write_header(struct strbuf *out)
{
	sb_puts(out, RECORDING_HEADER "\n");
}

/* Writes text line by line, escaping lines that start with '@'. */
static void write_escaped(struct strbuf *out, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		if (text[i] == '@')
			sb_putc(out, '@');
		sb_append(out, text + i, n);
		sb_putc(out, '\n');
		i += n + (nl ? 1 : 0);
	}
}

void recording_write_snapshot(struct strbuf *out, const struct raw_snapshot *r)
{
	sb_printf(out, "@snapshot %" PRId64 ".%09" PRId64 " %" PRId64 ".%09" PRId64 "\n",
		  r->realtime_ns / 1000000000, r->realtime_ns % 1000000000,
		  r->monotonic_ns / 1000000000, r->monotonic_ns % 1000000000);
	for (size_t i = 0; i < r->nsrcs; i++) {
		sb_printf(out, "@source %s\n", r->srcs[i].name);
		write_escaped(out, r->srcs[i].text, r->srcs[i].len);
	}
	sb_puts(out, "@end\n");
}

/* Where one source of the open snapshot lies in its arena: offsets,
 * since the arena moves as it grows. */
struct src_at {
	size_t name;
	size_t text;
	size_t len;
};

struct reader {
	const char *text;
	const char *pos;
	const char *end;
	/* The start of the last line read, whose number the messages give:
	 * counted only for a message (line_number()), not line by line. */
	const char *line;
	char *err;
	size_t errlen;
	struct raw_snapshot *snaps;
	size_t n;
	size_t cap;                    /* slots allocated in snaps */
	struct raw_snapshot *cur;      /* open snapshot, or NULL */
	const char *cur_line;          /* where it started */
	struct strbuf arena;           /* the open snapshot's names and texts */
	struct src_at *at;             /* its closed sources */
	size_t nat;
	size_t at_cap;
	bool src_open;                 /* a source is open at at[nat] */
	size_t arena_hint;             /* bytes the last snapshot took */
	struct strbuf quoted;          /* see quote_line() */
};

static int fail(struct reader *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The number of the line starting at line: one plus the newlines before
 * it. Only messages need it; counting every line as it was read was a
 * memchr() per line. */
static unsigned long line_number(const struct reader *rd, const char *line)
{
	unsigned long n = 1;

	for (const char *p = rd->text;
	     p < line && (p = memchr(p, '\n', (size_t)(line - p))); p++)
		n++;
	return n;
}

static int fail(struct reader *rd, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "line %lu: %s",
		 line_number(rd, rd->line), msg);
	return -1;
}

/* Next line without its newline; sets *had_nl. NULL at the end. */
static const char *read_line(struct reader *rd, size_t *len, int *had_nl)
{
	const char *start = rd->pos, *nl;

	if (start >= rd->end)
		return NULL;
	nl = memchr(start, '\n', (size_t)(rd->end - start));
	*had_nl = nl != NULL;
	*len = nl ? (size_t)(nl - start) : (size_t)(rd->end - start);
	rd->pos = start + *len + (nl ? 1 : 0);
	rd->line = start;
	return start;
}

/* Ends the open source's text with a NUL inside the arena. */
static void close_source(struct reader *rd)
{
	if (!rd->src_open)
		return;
	rd->at[rd->nat].len = rd->arena.len - rd->at[rd->nat].text;
	sb_append(&rd->arena, "", 1);
	rd->nat++;
	rd->src_open = false;
}

/* A new snapshot's arena, sized for the text up to its "@end" line
 * (unescaping only shrinks it: names and texts with their NULs take no
 * more than their lines): one allocation per snapshot, not one per
 * source and per doubling. Found no "@end", the size of the last one. */
static void arena_start(struct reader *rd)
{
	/* From the newline ending the @snapshot line: "@end" may follow. */
	const char *end = memmem(rd->pos - 1, (size_t)(rd->end - rd->pos) + 1,
				 "\n@end\n", 6);
	size_t want = end ? (size_t)(end + 1 - rd->pos) + 2 :
			    rd->arena_hint + 64;

	sb_free(&rd->arena);
	rd->arena.s = xmalloc(want);
	rd->arena.s[0] = '\0';
	rd->arena.cap = want;
	rd->nat = 0;
	rd->src_open = false;
}

/* Hands the arena to the snapshot, with its sources pointing into it. */
static void arena_finish(struct reader *rd, struct raw_snapshot *r)
{
	rd->arena_hint = rd->arena.len;
	r->arena = sb_steal(&rd->arena);
	if (rd->nat == 0)
		return;
	r->srcs = xmalloc(rd->nat * sizeof(*r->srcs));
	for (size_t i = 0; i < rd->nat; i++) {
		r->srcs[i].name = r->arena + rd->at[i].name;
		r->srcs[i].text = r->arena + rd->at[i].text;
		r->srcs[i].len = rd->at[i].len;
	}
	r->nsrcs = r->srcs_cap = rd->nat;
}

/* "SECONDS[.FRACTION]" → nanoseconds; digits beyond nine are dropped. */
static bool parse_seconds(const char *s, size_t n, int64_t *out)
{
	const char *dot = memchr(s, '.', n);
	size_t ilen = dot ? (size_t)(dot - s) : n;
	uint64_t sec, frac = 0;
	size_t flen = dot ? n - ilen - 1 : 0;

	if (!parse_u64(s, ilen, 10, &sec) || sec > INT64_MAX / 1000000000 - 1)
		return false;
	if (dot && (flen == 0 || !parse_u64(dot + 1, flen > 9 ? 9 : flen, 10, &frac)))
		return false;
	for (size_t i = 9; dot && i < flen; i++)
		if (dot[1 + i] < '0' || dot[1 + i] > '9')
			return false;
	for (size_t i = flen; i < 9; i++)
		frac *= 10;
	*out = (int64_t)sec * 1000000000 + (int64_t)frac;
	return true;
}

static int start_snapshot(struct reader *rd, const char *args, size_t n)
{
	const char *sp = memchr(args, ' ', n);
	int64_t rt, mono;

	if (rd->cur)
		return fail(rd, "@snapshot inside the snapshot started at line %lu "
			    "(missing @end)", line_number(rd, rd->cur_line));
	if (!sp || !parse_seconds(args, (size_t)(sp - args), &rt) ||
	    !parse_seconds(sp + 1, n - (size_t)(sp - args) - 1, &mono))
		return fail(rd, "@snapshot needs two non-negative times: "
			    "REALTIME MONOTONIC");
	if (rd->n >= RECORDING_MAX_SNAPSHOTS)
		return fail(rd, "more than %d snapshots (recording limit)",
			    RECORDING_MAX_SNAPSHOTS);
	if (rd->n == rd->cap) {
		rd->cap = rd->cap ? 2 * rd->cap : 16;
		rd->snaps = xrealloc(rd->snaps, rd->cap * sizeof(*rd->snaps));
	}
	rd->cur = &rd->snaps[rd->n++];
	raw_init(rd->cur);
	rd->cur->realtime_ns = rt;
	rd->cur->monotonic_ns = mono;
	rd->cur_line = rd->line;
	arena_start(rd);
	return 0;
}

static int start_source(struct reader *rd, const char *name, size_t n)
{
	if (!rd->cur)
		return fail(rd, "@source outside a snapshot");
	if (n == 0)
		return fail(rd, "@source without a name");
	close_source(rd);
	if (rd->nat >= RECORDING_MAX_SOURCES)
		return fail(rd, "more than %d sources in the snapshot started "
			    "at line %lu (recording limit)", RECORDING_MAX_SOURCES,
			    line_number(rd, rd->cur_line));
	if (rd->nat == rd->at_cap) {
		rd->at_cap = rd->at_cap ? 2 * rd->at_cap : 32;
		rd->at = xrealloc(rd->at, rd->at_cap * sizeof(*rd->at));
	}
	rd->at[rd->nat].name = rd->arena.len;
	sb_append(&rd->arena, name, n);
	sb_append(&rd->arena, "", 1);
	rd->at[rd->nat].text = rd->arena.len;
	rd->src_open = true;
	return 0;
}

static int end_snapshot(struct reader *rd)
{
	if (!rd->cur)
		return fail(rd, "@end outside a snapshot");
	close_source(rd);
	arena_finish(rd, rd->cur);
	rd->cur = NULL;
	return 0;
}

/* The first bytes of a line, escaped for an error message: the file may
 * come from anywhere, and the message goes to a terminal. */
static const char *quote_line(struct reader *rd, const char *line, size_t len)
{
	sb_reset(&rd->quoted);
	sb_put_escaped(&rd->quoted, line, len > 40 ? 40 : len);
	if (len > 40)
		sb_puts(&rd->quoted, "...");
	return rd->quoted.s;
}

static bool has_prefix(const char *line, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(line, p, n) == 0;
}

static int directive(struct reader *rd, const char *line, size_t len)
{
	if (has_prefix(line, len, "@snapshot "))
		return start_snapshot(rd, line + 10, len - 10);
	if (has_prefix(line, len, "@source "))
		return start_source(rd, line + 8, len - 8);
	if (len == 4 && memcmp(line, "@end", 4) == 0)
		return end_snapshot(rd);
	return fail(rd, "unknown directive '%s'", quote_line(rd, line, len));
}

static int data_line(struct reader *rd, const char *line, size_t len)
{
	if (!rd->src_open) {
		if (!rd->cur && len == 0)
			return 0; /* blank line between snapshots */
		return fail(rd, "text outside a @source (garbage or a damaged file)");
	}
	if (line[0] == '@') { /* "@@..." stands for a raw line "@..." */
		line++;
		len--;
	}
	sb_append(&rd->arena, line, len);
	sb_putc(&rd->arena, '\n');
	return 0;
}

static int check_header(struct reader *rd)
{
	size_t len;
	int nl;
	const char *line = read_line(rd, &len, &nl);

	if (!line) {
		rd->line = rd->text; /* line 1 */
		return fail(rd, "empty file, expected '%s'", RECORDING_HEADER);
	}
	if (len != strlen(RECORDING_HEADER) ||
	    memcmp(line, RECORDING_HEADER, len) != 0) {
		if (has_prefix(line, len, "droptop-recording "))
			return fail(rd, "unsupported recording version '%s'",
				    quote_line(rd, line, len));
		return fail(rd, "not a droptop recording (expected '%s')",
			    RECORDING_HEADER);
	}
	if (!nl)
		return fail(rd, "file ends after the header line");
	return 0;
}

/* The file ends inside a snapshot or a line: a run killed while writing
 * it (--record appends each snapshot as it is taken). The whole snapshots
 * before it are kept, with a warning (returns 1); with none, an error. */
static int cut_short(struct reader *rd, const char *what)
{
	size_t whole = rd->cur ? rd->n - 1 : rd->n;

	if (whole == 0)
		return fail(rd, "%s (truncated?)", what);
	if (rd->cur) {
		rd->src_open = false;
		raw_free(rd->cur);
		rd->cur = NULL;
		rd->n--;
	}
	snprintf(rd->err, rd->errlen, "line %lu: %s: cut short (e.g. a killed "
		 "--record); replaying its %zu whole snapshot%s",
		 line_number(rd, rd->line),
		 what, whole, whole == 1 ? "" : "s");
	return 1;
}

/* The newline of the first "\n@" in the n bytes at p, or NULL: memmem()
 * walks a two-byte needle byte by byte (and under ASan checks the whole
 * range each call); '@' is rare inside a source's text, so memchr() for
 * it, then a look at the byte before. */
static const char *next_at_line(const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	while ((q = memchr(q, '@', (size_t)(end - q)))) {
		if (q > p && q[-1] == '\n')
			return q - 1;
		q++;
	}
	return NULL;
}

/* The whole lines of an open source up to the next one starting with '@'
 * (or the first NUL, or RECORDING_MAX_LINE bytes), copied at once: none
 * of them can fail a check of parse_body() (no NUL, none longer than the
 * limit, each ended by its newline, none escaped), and they are the bytes
 * data_line() would append line by line: one memcpy instead of two
 * appends per line. Each call scans only what it copies, or a line that
 * parse_body() then refuses. Returns whether it copied. */
static bool copy_text_run(struct reader *rd)
{
	const char *p = rd->pos, *at, *nul, *last;
	size_t n;

	if (!rd->src_open || p >= rd->end || *p == '@')
		return false;
	n = (size_t)(rd->end - p);
	if (n > RECORDING_MAX_LINE)
		n = RECORDING_MAX_LINE;
	at = next_at_line(p, n);
	if (at)
		n = (size_t)(at + 1 - p);
	nul = memchr(p, '\0', n);
	if (nul)
		n = (size_t)(nul - p);
	last = memrchr(p, '\n', n);
	if (!last)
		return false;
	n = (size_t)(last + 1 - p);
	/* The last line copied is the last one read. */
	rd->line = memrchr(p, '\n', (size_t)(last - p));
	rd->line = rd->line ? rd->line + 1 : p;
	sb_append(&rd->arena, p, n);
	rd->pos = p + n;
	return true;
}

static int parse_body(struct reader *rd)
{
	const char *line;
	size_t len;
	int nl, rc = 0;

	while (rc == 0) {
		copy_text_run(rd);
		line = read_line(rd, &len, &nl);
		if (!line)
			break;
		if (memchr(line, '\0', len))
			return fail(rd, "NUL byte: not a text recording");
		if (len > RECORDING_MAX_LINE)
			return fail(rd, "line longer than %u bytes (recording "
				    "limit)", RECORDING_MAX_LINE);
		if (!nl)
			return cut_short(rd, "last line has no newline");
		if (len > 0 && line[0] == '@' && (len < 2 || line[1] != '@'))
			rc = directive(rd, line, len);
		else
			rc = data_line(rd, line, len);
	}
	if (rc == 0 && rd->cur) {
		char what[96];

		snprintf(what, sizeof(what), "file ends inside the snapshot "
			 "started at line %lu (no @end)",
			 line_number(rd, rd->cur_line));
		return cut_short(rd, what);
	}
	return rc;
}

int recording_parse(const char *text, size_t len, struct raw_snapshot **snaps,
		    size_t *n, char *err, size_t errlen)
{
	struct reader rd = {
		.text = text, .pos = text, .end = text + len, .line = text,
		.err = err, .errlen = errlen,
	};
	int rc;

	sb_init(&rd.arena);
	sb_init(&rd.quoted);
	rc = check_header(&rd);
	if (rc == 0)
		rc = parse_body(&rd);
	sb_free(&rd.arena);
	free(rd.at);
	sb_free(&rd.quoted);
	if (rc < 0) {
		recording_free(rd.snaps, rd.n);
		*snaps = NULL;
		*n = 0;
		return -1;
	}
	*snaps = rd.snaps;
	*n = rd.n;
	return rc;
}

/* Gzip data: inflated under the recording limits. A stream cut short
 * (a killed --record FILE.gz) is replayed if it ends after a whole
 * snapshot, with a warning. */
static int decode_gzip(const char *data, size_t len,
		       struct raw_snapshot **snaps, size_t *n, char *err,
		       size_t errlen)
{
	const struct gz_limits lim = {
		.max_bytes = RECORDING_MAX_BYTES, .max_line = RECORDING_MAX_LINE,
	};
	char msg[256], *text;
	size_t tlen;
	bool cut;
	int rc;

	if (gz_inflate_text(data, len, &lim, &text, &tlen, &cut, msg,
			    sizeof(msg)) < 0) {
		snprintf(err, errlen, "gzip: %s", msg);
		return -1;
	}
	if (cut && tlen == 0) {
		snprintf(err, errlen, "gzip: truncated before any data");
		free(text);
		return -1;
	}
	rc = recording_parse(text, tlen, snaps, n, msg, sizeof(msg));
	free(text);
	if (rc < 0 || (rc > 0 && !cut)) {
		snprintf(err, errlen, "%s%s", cut ? "gzip data cut short "
			 "(truncated?): " : "", msg);
		return rc;
	}
	if (!cut)
		return 0;
	snprintf(err, errlen, "gzip stream has no end (cut short, e.g. a "
		 "killed --record); replaying its %zu whole snapshots", *n);
	return 1;
}

int recording_decode(const char *data, size_t len, struct raw_snapshot **snaps,
		     size_t *n, char *err, size_t errlen)
{
	*snaps = NULL;
	*n = 0;
	if (gz_is_gzip(data, len))
		return decode_gzip(data, len, snaps, n, err, errlen);
	return recording_parse(data, len, snaps, n, err, errlen);
}

int recording_load(const char *path, struct raw_snapshot **snaps, size_t *n,
		   char *err, size_t errlen)
{
	char msg[256], *text;
	size_t len;
	int rc = read_text_file_max(path, &text, &len, RECORDING_MAX_BYTES);

	*snaps = NULL;
	*n = 0;
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: larger than %u bytes (recording limit)",
			 path, RECORDING_MAX_BYTES);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	rc = recording_decode(text, len, snaps, n, msg, sizeof(msg));
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, msg);
	return rc;
}

void recording_free(struct raw_snapshot *snaps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		raw_free(&snaps[i]);
	free(snaps);
}
