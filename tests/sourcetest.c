/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

struct span {
	size_t start;
	size_t end;
};

char *text_cut(const char *text, size_t cut)
{
	return xstrndup(text, cut);
}

int text_count_lines(const char *text)
{
	const char *pos = text;
	size_t len;
	int n = 0;

	while (next_line(&pos, &len))
		n++;
	return n;
}

/* The byte span of line lineno (without its newline). */
static struct span line_span(const char *text, int lineno)
{
	const char *pos = text, *line;
	size_t len;
	int n = 0;

	while ((line = next_line(&pos, &len)))
		if (++n == lineno)
			return (struct span){ (size_t)(line - text),
					      (size_t)(line - text) + len };
	ck_abort_msg("no line %d", lineno);
	return (struct span){ 0, 0 };
}

int text_find_line(const char *text, const char *word, int nth)
{
	const char *pos = text, *line, *p, *tok;
	size_t len, n;
	int lineno = 0;

	while ((line = next_line(&pos, &len))) {
		lineno++;
		p = line;
		tok = next_token(&p, line + len, &n);
		if (tok && n == strlen(word) && memcmp(tok, word, n) == 0 &&
		    --nth == 0)
			return lineno;
	}
	ck_abort_msg("no line starting with '%s'", word);
	return -1;
}

/* The spans of the tokens of a line; returns their number. */
static int line_tokens(const char *text, struct span line, struct span *tok,
		       int max)
{
	const char *p = text + line.start, *end = text + line.end, *t;
	size_t n;
	int count = 0;

	while (count < max && (t = next_token(&p, end, &n))) {
		tok[count].start = (size_t)(t - text);
		tok[count].end = tok[count].start + n;
		count++;
	}
	return count;
}

/* text with [a, b) replaced by with. */
static char *splice(const char *text, size_t a, size_t b, const char *with)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_append(&sb, text, a);
	sb_puts(&sb, with);
	sb_puts(&sb, text + b);
	return sb_steal(&sb);
}

char *text_drop_line(const char *text, int lineno)
{
	struct span l = line_span(text, lineno);

	return splice(text, l.start, text[l.end] ? l.end + 1 : l.end, "");
}

static struct span pick_token(const char *text, int lineno, int tok,
			      struct span *prev)
{
	struct span toks[512];
	int n = line_tokens(text, line_span(text, lineno), toks, 512);

	if (tok < 0)
		tok = n + tok;
	ck_assert_msg(tok >= 0 && tok < n, "line %d has no token %d", lineno,
		      tok);
	*prev = tok > 0 ? toks[tok - 1] : line_span(text, lineno);
	if (tok == 0)
		prev->end = prev->start;
	return toks[tok];
}

char *text_drop_token(const char *text, int lineno, int tok)
{
	struct span prev, t = pick_token(text, lineno, tok, &prev);

	/* Takes the blanks before the token with it. */
	return splice(text, prev.end, t.end, "");
}

char *text_replace_token(const char *text, int lineno, int tok,
			 const char *with)
{
	struct span prev, t = pick_token(text, lineno, tok, &prev);

	return splice(text, t.start, t.end, with);
}

char *text_reverse_tokens(const char *text, int lineno)
{
	struct span l = line_span(text, lineno), toks[512];
	int n = line_tokens(text, l, toks, 512);
	struct strbuf sb;
	char *out;

	ck_assert_int_gt(n, 1);
	sb_init(&sb);
	sb_append(&sb, text + toks[0].start, toks[0].end - toks[0].start);
	for (int i = n - 1; i > 0; i--) {
		sb_putc(&sb, ' ');
		sb_append(&sb, text + toks[i].start,
			  toks[i].end - toks[i].start);
	}
	out = splice(text, l.start, l.end, sb.s);
	sb_free(&sb);
	return out;
}

void text_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

int text_for_each_data_file(const char *dir, void (*fn)(const char *rel))
{
	char path[4096], rel[4096];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, dir);
	d = opendir(path);
	ck_assert_msg(d != NULL, "cannot open %s", path);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		fn(rel);
		n++;
	}
	closedir(d);
	return n;
}

int udp4_parse(struct snapshot *s, const char *text)
{
	return udp_parse(s, text, AF_INET);
}

int udp6_parse(struct snapshot *s, const char *text)
{
	return udp_parse(s, text, AF_INET6);
}

void assert_no_notes(const struct snapshot *s, const char *what)
{
	ck_assert_msg(s->nnotes == 0, "%s: unexpected note '%s'", what,
		      s->nnotes ? s->notes[0] : "");
}

bool any_note_has(const struct snapshot *s, const char *needle)
{
	for (size_t i = 0; i < s->nnotes; i++)
		if (strstr(s->notes[i], needle))
			return true;
	return false;
}

/* Parses tests/data/REL into s (initialised here) and returns the rc. */
int parse_data(struct snapshot *s, parse_fn parse, const char *rel)
{
	char *text = test_data(rel, NULL);
	int rc;

	snapshot_init(s);
	rc = parse(s, text);
	free(text);
	return rc;
}

int parse_text(struct snapshot *s, parse_fn parse, const char *text)
{
	snapshot_init(s);
	return parse(s, text);
}
