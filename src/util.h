/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by every layer: growable strings, file reading,
 * CPU lists, saturating counter arithmetic. */
#ifndef DROPTOP_UTIL_H
#define DROPTOP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal: STR(SNAP_MAX_NODES) is "1024". */
#define STR_(x) #x
#define STR(x) STR_(x)

struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
/* Room for n more bytes (and the NUL) without growing again. */
void sb_reserve(struct strbuf *sb, size_t n);

/* The appends are inline with only the growing out of line: a report
 * makes thousands of them, and in the fuzz targets every call and
 * compare on the way is a callback. One test when there is room. */
static inline void sb_append(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->cap - sb->len <= n)
		sb_reserve(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_append(sb, s, strlen(s));
}

static inline void sb_putc(struct strbuf *sb, char c)
{
	if (sb->cap - sb->len <= 1)
		sb_reserve(sb, 1);
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* v in decimal, as printf's "%" PRIu64 writes it, without a printf:
 * reports print thousands of integers. */
void sb_put_u64(struct strbuf *sb, uint64_t v);
/* The most decimal digits a uint64_t has. */
#define U64_DIGITS 20
/* v's decimal digits at the end of buf[0..U64_DIGITS), the digit loop of
 * sb_put_u64() and report_integer(): returns how many (the first is at
 * buf + U64_DIGITS - n). */
size_t u64_digits(char *buf, uint64_t v);
/* Hands the buffer to the caller (never NULL) and leaves sb empty. */
char *sb_steal(struct strbuf *sb);
/* A new malloc'ed string formatted as printf does (aborts on
 * out-of-memory, as xmalloc; never NULL). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set to 1 by SIGINT or SIGTERM once stop_on_signals() has run: both
 * programs stop their loops and print what they have. */
extern volatile sig_atomic_t stop_requested;
void stop_on_signals(void);
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/* Reads a whole file (procfs files report size 0, so read until EOF).
 * Returns 0 or a negative errno; *out is NUL-terminated and malloc'ed. */
int read_text_file(const char *path, char **out, size_t *len);
/* The same, -EFBIG for a file longer than max bytes (read no further). */
int read_text_file_max(const char *path, char **out, size_t *len, size_t max);

/* Joins a root prefix ("" or "/some/dir") and an absolute path. */
void path_join(char *buf, size_t size, const char *root, const char *path);

/* xmalloc family: abort with a message on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Parses "0-3,8,10-11" into a bitmap of nbits bits (a multiple of 64).
 * Returns the number of bits set, or -1 on malformed text. CPUs beyond
 * nbits are ignored, and not counted. */
int cpulist_parse(const char *s, uint64_t *bits, int nbits);
bool cpulist_has(const uint64_t *bits, int cpu);

/* Next line of a NUL-terminated text: returns its start and length (without
 * the newline) and advances *pos; returns NULL at the end. */
const char *next_line(const char **pos, size_t *len);

/* Parses an unsigned decimal (base 10) or hex (base 16) number from a
 * token; false if the token is not a complete number. */
bool parse_u64(const char *s, size_t n, int base, uint64_t *out);

/* Next token of [*pos, end), tokens separated by spaces or tabs: returns
 * its start and length and advances *pos; NULL when only blanks remain. */
const char *next_token(const char **pos, const char *end, size_t *len);
/* The number of such tokens in [p, end); 0 for a blank line. */
size_t count_tokens(const char *p, const char *end);
/* Whether [p, end) holds only blanks: count_tokens() == 0, without
 * walking the tokens (every line of every /proc file is checked). */
bool only_blanks(const char *p, const char *end);

/* Copies at most size-1 bytes of s[0..n) into buf and terminates it. */
void copy_token(char *buf, size_t size, const char *s, size_t n);

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or
 * 0 when s[0] starts none (stray byte, overlong form, surrogate, beyond
 * U+10FFFF). */
size_t utf8_len(const char *s, size_t n);
/* The len-byte character at s is a bidirectional embedding, override or
 * isolate control (U+202A-202E, U+2066-2069): text that follows it is
 * shown reordered, so a name could disguise what a line says. */
bool utf8_is_bidi_control(const char *s, size_t len);
/* Appends s[0..n) with what a terminal would act on escaped as \xHH: C0
 * and C1 controls, DEL, bytes that are not UTF-8, bidi controls; and the
 * backslash, newline and tab as \\, \n and \t. Any bytes from a file,
 * the kernel or another process are printed through it. */
void sb_put_escaped(struct strbuf *sb, const char *s, size_t n);
/* The terminal columns of the UTF-8 text s[0..n): one per byte that is
 * not a continuation byte (10xxxxxx), as a table aligns its cells. */
size_t utf8_columns(const char *s, size_t n);
/* Length of the run at s of printable ASCII bytes (0x20-0x7e) that are
 * not in special: what an escaper copies as it is. */
size_t plain_ascii_run(const char *s, size_t n, const char *special);
/* The 8 bytes at p as one word, in memory order, at any alignment: the
 * load of the word-at-a-time scans. */
static inline uint64_t load_u64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

#endif
