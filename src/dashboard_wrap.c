/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text that has to fit the screen: hints and findings are wrapped to the
 * panel's width (a command the user must type is kept on one line when it
 * fits one, and continued on the next line, never cut, when it does not);
 * a line that must stay one line (the verdict, the top line, a table
 * cell) is shortened at a word, asides in parentheses first, with an
 * ellipsis that says something was left out. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dashboard_internal.h"
#include "report_common.h"
#include "util.h"

/* Commands a hint may tell the user to type. */
static const char *const commands[] = {
	"sysctl", "ethtool", "ip", "tc", "nft", "ss", "taskset", "chrt",
	"conntrack", "droptop", "droptop-send", "echo", "setsockopt",
};

/* Bytes of the character at s (1 for a byte that starts none). */
static size_t char_len(const char *s, size_t n)
{
	size_t len = report_utf8_len(s, n);

	return len ? len : 1;
}

/* Columns the canvas gives n bytes of s: one per character. */
static int cols_n(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; c++)
		i += char_len(s + i, n - i);
	return c;
}

int dash_text_cols(const char *s)
{
	return cols_n(s, strlen(s));
}

/* Bytes of the first cols columns of s (n bytes). */
static size_t bytes_of_cols(const char *s, size_t n, int cols)
{
	size_t i = 0;

	for (int c = 0; c < cols && i < n; c++)
		i += char_len(s + i, n - i);
	return i;
}

/* ---- wrapping ----------------------------------------------------------- */

/* A piece that is not broken when it fits a line: a word, or a command
 * with its arguments. */
struct unit {
	size_t off, len;
	bool cmd;
};

static size_t word_end(const char *s, size_t i)
{
	while (s[i] && s[i] != ' ')
		i++;
	return i;
}

static bool is_command(const char *w, size_t n)
{
	while (n && (*w == '(' || *w == '`')) {
		w++;
		n--;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strlen(commands[i]) == n && memcmp(commands[i], w, n) == 0)
			return true;
	return false;
}

/* A command starts a sentence, a clause or a parenthesis: "...: sysctl
 * -w x=1", "(ip -6 route)", not "the ip stage". */
static bool starts_command(const char *s, size_t off, size_t len)
{
	size_t p = off;

	if (!is_command(s + off, len))
		return false;
	if (s[off] == '(' || s[off] == '`')
		return true;
	while (p > 0 && s[p - 1] == ' ')
		p--;
	return p == 0 || strchr(":;,(`", s[p - 1]) != NULL;
}

/* A command goes on to the end of the clause: up to a word ending in
 * , ; or ), or before an aside in parentheses. */
static size_t command_end(const char *s, size_t off)
{
	size_t end = word_end(s, off), next;

	for (;;) {
		char last = s[end - 1];

		if (last == ',' || last == ';' || last == ')' || !s[end])
			return end;
		next = end;
		while (s[next] == ' ')
			next++;
		if (!s[next] || s[next] == '(')
			return end;
		end = word_end(s, next);
	}
}

/* The unit from s + i on into u; false at the end of s. */
static bool next_unit(const char *s, size_t i, struct unit *u)
{
	while (s[i] == ' ')
		i++;
	if (!s[i])
		return false;
	u->off = i;
	u->cmd = starts_command(s, i, word_end(s, i) - i);
	u->len = (u->cmd ? command_end(s, i) : word_end(s, i)) - i;
	return true;
}

/* The line being filled. */
struct filler {
	struct dash_lines *out;
	enum dash_style st;
	struct strbuf line;
	int cols, w, indent;
	bool content;       /* the line holds more than its indent */
};

static void lines_push(struct dash_lines *l, char *text, enum dash_style st)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].text = text;
	l->v[l->n].st = st;
	l->n++;
}

/* Ends the line; the next ones are indented. */
static void new_line(struct filler *f)
{
	lines_push(f->out, sb_steal(&f->line), f->st);
	sb_init(&f->line);
	for (int i = 0; i < f->indent; i++)
		sb_putc(&f->line, ' ');
	f->cols = f->indent;
	f->content = false;
}

static void put_text(struct filler *f, const char *s, size_t n)
{
	if (f->content) {
		sb_putc(&f->line, ' ');
		f->cols++;
	}
	sb_append(&f->line, s, n);
	f->cols += cols_n(s, n);
	f->content = true;
}

/* Puts s on the line if it fits, else on a new one, else splits it over
 * as many lines as it takes. */
static void put_word(struct filler *f, const char *s, size_t n)
{
	int c = cols_n(s, n);

	if (f->content && f->cols + 1 + c > f->w)
		new_line(f);
	while (f->cols + c > f->w) {
		size_t b = bytes_of_cols(s, n, f->w - f->cols);

		if (b == 0) {
			new_line(f);
			continue;
		}
		put_text(f, s, b);
		new_line(f);
		s += b;
		n -= b;
		c = cols_n(s, n);
	}
	if (n)
		put_text(f, s, n);
}

/* A command longer than a line: from a line of its own, broken at its
 * spaces, so that it reads on as typed. */
static void put_long(struct filler *f, const char *s, size_t n)
{
	size_t i = 0;

	if (f->content)
		new_line(f);
	while (i < n) {
		size_t e = i;

		while (e < n && s[e] != ' ')
			e++;
		if (e > i)
			put_word(f, s + i, e - i);
		i = e < n ? e + 1 : e;
	}
}

static void put_unit(struct filler *f, const char *s, const struct unit *u)
{
	int c = cols_n(s + u->off, u->len);

	if (f->cols + (f->content ? 1 : 0) + c <= f->w) {
		put_text(f, s + u->off, u->len);
		return;
	}
	if (f->content && c <= f->w - f->indent) {
		new_line(f);
		put_text(f, s + u->off, u->len);
		return;
	}
	if (u->cmd)
		put_long(f, s + u->off, u->len);
	else
		put_word(f, s + u->off, u->len);
}

void dash_wrap(struct dash_lines *out, const char *text, int w, int indent,
	       enum dash_style st)
{
	struct filler f = { .out = out, .st = st, .w = w > 0 ? w : 1 };
	struct unit u = { 0, 0, false };

	f.indent = indent > 0 && indent < f.w / 2 ? indent : 0;
	sb_init(&f.line);
	for (size_t i = 0; next_unit(text, i, &u); i = u.off + u.len)
		put_unit(&f, text, &u);
	lines_push(out, sb_steal(&f.line), st);
}

void dash_lines_add(struct dash_lines *l, const char *text,
		    enum dash_style st)
{
	lines_push(l, xstrdup(text), st);
}

void dash_lines_free(struct dash_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- shortening --------------------------------------------------------- */

/* Removes the last " (...)" aside of s; false when there is none. */
static bool drop_last_aside(char *s)
{
	char *open = strrchr(s, '(');
	char *close;

	if (!open || open == s || open[-1] != ' ')
		return false;
	close = strchr(open, ')');
	if (!close)
		return false;
	memmove(open - 1, close + 1, strlen(close + 1) + 1);
	return true;
}

/* Cuts s to what fits w columns with the ellipsis, at a word when that
 * keeps at least half of the room, without punctuation left dangling
 * before the ellipsis. s has room for the ellipsis. */
static void cut_at_word(char *s, int w, const char *ell)
{
	int room = w - dash_text_cols(ell);
	size_t n = strlen(s), b;
	char *sp;

	if (room < 1) {
		s[bytes_of_cols(s, n, w > 0 ? w : 0)] = '\0';
		return;
	}
	b = bytes_of_cols(s, n, room);
	if (s[b] != ' ') {
		s[b] = '\0';
		sp = strrchr(s, ' ');
		if (sp && (size_t)(sp - s) > b / 2)
			*sp = '\0';
	}
	s[b] = '\0';
	n = strlen(s);
	while (n > 0 && strchr(" :;,(-", s[n - 1]))
		s[--n] = '\0';
	/* An em dash is three bytes. */
	if (n >= 4 && strcmp(s + n - 4, " \u2014") == 0)
		s[n - 4] = '\0';
	strcat(s, ell);
}

int dash_shorten(char *buf, size_t size, const char *text, int w,
		 bool ascii)
{
	const char *ell = ascii ? "..." : "\u2026";
	size_t n = strlen(text);
	char *s = xmalloc(n + 8);

	memcpy(s, text, n + 1);

	int how = 0;

	while (dash_text_cols(s) > w && drop_last_aside(s))
		how = 1;
	if (dash_text_cols(s) > w) {
		cut_at_word(s, w, ell);
		how = 2;
	}
	copy_token(buf, size, s, strlen(s));
	free(s);
	return how;
}
