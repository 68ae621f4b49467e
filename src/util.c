/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static _Noreturn void out_of_memory(void)
{
	fputs("droptop: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void sb_init(struct strbuf *sb)
{
	sb->s = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

void sb_reserve(struct strbuf *sb, size_t n)
{
	size_t need;

	/* No caller asks for this much; if one ever did, the sum below
	 * would wrap to a small size and the write after it overrun. */
	if (n >= SIZE_MAX / 2 - sb->len)
		out_of_memory();
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return;
	if (sb->cap * 2 > need)
		need = sb->cap * 2;
	if (need < 64)
		need = 64;
	sb->s = xrealloc(sb->s, need);
	sb->cap = need;
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	/* Format straight into the room left, and only when it does not fit
	 * grow and format again: reports print thousands of rows. */
	sb_reserve(sb, 64);
	va_copy(ap2, ap);
	n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->s[sb->len] = '\0';
		return;
	}
	if ((size_t)n < sb->cap - sb->len) {
		sb->len += (size_t)n;
		return;
	}
	sb_reserve(sb, (size_t)n);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

size_t u64_digits(char *buf, uint64_t v)
{
	size_t i = U64_DIGITS;

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return U64_DIGITS - i;
}

void sb_put_u64(struct strbuf *sb, uint64_t v)
{
	char buf[U64_DIGITS];
	size_t n = u64_digits(buf, v);

	sb_append(sb, buf + sizeof(buf) - n, n);
}

char *sb_steal(struct strbuf *sb)
{
	char *s;

	sb_reserve(sb, 0);
	sb->s[sb->len] = '\0'; /* a buffer never appended to has no NUL yet */
	s = sb->s;
	sb_init(sb);
	return s;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_vprintf(&sb, fmt, ap);
	return sb_steal(&sb);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* A regular file known to be longer than max before reading it (procfs
 * files say 0; pipes are checked as they are read). */
static bool too_big(int fd, size_t max)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size > (uint64_t)max;
}

int read_text_file(const char *path, char **out, size_t *len)
{
	return read_text_file_max(path, out, len, SIZE_MAX - 1);
}

int read_text_file_max(const char *path, char **out, size_t *len, size_t max)
{
	struct strbuf sb;
	char buf[8192];
	ssize_t n;
	int fd;

	*out = NULL;
	if (len)
		*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (too_big(fd, max)) {
		close(fd);
		return -EFBIG;
	}
	sb_init(&sb);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > max - sb.len) {
			n = -1;
			errno = EFBIG;
			break;
		}
		sb_append(&sb, buf, (size_t)n);
	}
	if (n < 0) {
		int err = -errno;

		close(fd);
		sb_free(&sb);
		return err;
	}
	close(fd);
	if (len)
		*len = sb.len;
	*out = sb_steal(&sb);
	return 0;
}

void path_join(char *buf, size_t size, const char *root, const char *path)
{
	snprintf(buf, size, "%s%s", root ? root : "", path);
}

/* Sets bits lo..hi that fit in the bitmap: a range reaching past it (or
 * to LONG_MAX, as strtol saturates) is clamped, never counted through. */
static bool set_bit_range(uint64_t *bits, int nbits, long lo, long hi)
{
	if (lo < 0 || hi < lo)
		return false;
	for (long c = lo; c <= hi && c < nbits; c++)
		bits[c / 64] |= 1ULL << (c % 64);
	return true;
}

static int count_bits(const uint64_t *bits, int nbits)
{
	int n = 0;

	for (int i = 0; i < (nbits + 63) / 64; i++)
		n += __builtin_popcountll(bits[i]);
	return n;
}

int cpulist_parse(const char *s, uint64_t *bits, int nbits)
{
	memset(bits, 0, (size_t)(nbits + 63) / 64 * sizeof(*bits));
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && *s != '\n') {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s)
			return -1;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1)
				return -1;
			s = end;
		}
		if (!set_bit_range(bits, nbits, lo, hi))
			return -1;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n' && *s != ' ')
			return -1;
		while (*s == ' ')
			s++;
	}
	return count_bits(bits, nbits);
}

bool cpulist_has(const uint64_t *bits, int cpu)
{
	return cpu >= 0 && (bits[cpu / 64] >> (cpu % 64)) & 1;
}

const char *next_line(const char **pos, size_t *len)
{
	const char *start = *pos, *nl;

	if (!start || !*start)
		return NULL;
	nl = strchr(start, '\n');
	if (nl) {
		*len = (size_t)(nl - start);
		*pos = nl + 1;
	} else {
		*len = strlen(start);
		*pos = start + *len;
	}
	return start;
}

/* The value of the hex digit c, or 0xff: by arithmetic, as neither a
 * range test (a compare) nor a table (an index, that UBSan checks with a
 * compare) would be: in the fuzz targets each compare is a coverage
 * callback, and this runs for every byte of every number. */
static unsigned int digit_of(unsigned int c)
{
	int dec = (int)c - '0', hex = (int)(c | 0x20) - 'a';
	/* Sign bits: 1 when dec is not 0..9, or hex not 0..5 (a-f, A-F). */
	unsigned int not_dec = (unsigned int)(dec | (9 - dec)) >> 31;
	unsigned int not_hex = (unsigned int)(hex | (5 - hex)) >> 31;

	return ((unsigned int)dec & (0u - (not_dec ^ 1u))) |
	       ((unsigned int)(hex + 10) & (0u - ((not_hex ^ 1u) & not_dec))) |
	       (0xffu & (0u - (not_hex & not_dec)));
}

/* A bad digit or an overflow is gathered into flags tested once after
 * the loop, so that the loop has no compare per digit: flags of unsigned
 * int, as a bool |= is a compare with 0 each time. The pointer walks
 * rather than an index: UBSan checks s + i with compares. */
bool parse_u64(const char *s, size_t n, int base, uint64_t *out)
{
	const unsigned char *u = (const unsigned char *)s, *e;
	uint64_t v = 0;
	unsigned int bad = 0;

	if (n == 0)
		return false;
	for (e = u + n; u != e; u++) {
		unsigned int d = digit_of(*u);

		/* d >= base: the subtraction does not wrap below zero. */
		bad |= ~((d - (unsigned int)base) >> 31) & 1u;
		bad |= (unsigned int)__builtin_mul_overflow(v, (uint64_t)base,
							    &v);
		bad |= (unsigned int)__builtin_add_overflow(v, (uint64_t)d, &v);
	}
	if (bad)
		return false;
	*out = v;
	return true;
}

void copy_token(char *buf, size_t size, const char *s, size_t n)
{
	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* The scanners below (blanks, plain ASCII, UTF-8 columns) look at eight
 * bytes at a time: a byte by byte scan is compares per byte, each a
 * coverage callback in the fuzz targets. SCAN_ONES times a byte value
 * is that byte in every lane; SCAN_HIGHS is each lane's top bit. */
#define SCAN_ONES 0x0101010101010101ULL
#define SCAN_HIGHS 0x8080808080808080ULL

/* 0x80 in each byte of w equal to c, exactly (no borrow between bytes). */
static uint64_t scan_equal(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (SCAN_ONES * c);

	return ~(((x & ~SCAN_HIGHS) + ~SCAN_HIGHS) | x) & SCAN_HIGHS;
}

static uint64_t scan_blanks(uint64_t w)
{
	return scan_equal(w, ' ') | scan_equal(w, '\t');
}

/* The index of the first flagged byte of a nonzero flag word. */
static size_t scan_first(uint64_t flags)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(flags) / 8;
#else
	return (size_t)__builtin_ctzll(flags) / 8;
#endif
}

/* The n (< 8) bytes at p, then bytes of pad: nothing beyond the bounds
 * is read. Not inlined: the variable-size copy makes its word a stack
 * object under ASan, a cost the scan of whole words need not pay. */
static __attribute__((noinline)) uint64_t scan_tail(const char *p, size_t n,
						     unsigned char pad)
{
	uint64_t w = SCAN_ONES * pad;

	memcpy(&w, p, n);
	return w;
}

/* The first non-blank byte of [p, end), or end. The padding of the tail
 * (0) is not blank: the tail's scan stops at end at the latest. */
static const char *skip_blanks(const char *p, const char *end)
{
	uint64_t other;

	for (; end - p >= 8; p += 8) {
		other = ~scan_blanks(load_u64(p)) & SCAN_HIGHS;
		if (other)
			return p + scan_first(other);
	}
	if (p >= end)
		return end;
	other = ~scan_blanks(scan_tail(p, (size_t)(end - p), 0)) & SCAN_HIGHS;
	return p + scan_first(other);
}

/* The first blank of [p, end), or end; the padding is blank. */
static const char *skip_token(const char *p, const char *end)
{
	uint64_t blanks;

	for (; end - p >= 8; p += 8) {
		blanks = scan_blanks(load_u64(p));
		if (blanks)
			return p + scan_first(blanks);
	}
	if (p >= end)
		return end;
	blanks = scan_blanks(scan_tail(p, (size_t)(end - p), ' '));
	return p + scan_first(blanks);
}

const char *next_token(const char **pos, const char *end, size_t *len)
{
	const char *start = skip_blanks(*pos, end), *p;

	if (start >= end) {
		*pos = end;
		return NULL;
	}
	p = skip_token(start, end);
	*len = (size_t)(p - start);
	*pos = p;
	return start;
}

size_t count_tokens(const char *p, const char *end)
{
	size_t n = 0, len;

	while (next_token(&p, end, &len))
		n++;
	return n;
}

bool only_blanks(const char *p, const char *end)
{
	return skip_blanks(p, end) >= end;
}

size_t utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

bool utf8_is_bidi_control(const char *s, size_t len)
{
	const unsigned char *b = (const unsigned char *)s;

	if (len != 3 || b[0] != 0xe2)
		return false;
	/* U+202A-202E: E2 80 AA-AE; U+2066-2069: E2 81 A6-A9. */
	return (b[1] == 0x80 && b[2] >= 0xaa && b[2] <= 0xae) ||
	       (b[1] == 0x81 && b[2] >= 0xa6 && b[2] <= 0xa9);
}

/* One character of sb_put_escaped: len bytes at s, len 0 for a byte that
 * starts no UTF-8 sequence. */
static void put_escaped_char(struct strbuf *sb, const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];

	if (c == '\\')
		sb_puts(sb, "\\\\");
	else if (c == '\n')
		sb_puts(sb, "\\n");
	else if (c == '\t')
		sb_puts(sb, "\\t");
	else if (len <= 1 && (len == 0 || c < 0x20 || c == 0x7f))
		sb_printf(sb, "\\x%02x", c);
	else if (len == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)
		sb_printf(sb, "\\xc2\\x%02x", (unsigned char)s[1]);
	else if (utf8_is_bidi_control(s, len))
		sb_printf(sb, "\\x%02x\\x%02x\\x%02x", c,
			  (unsigned char)s[1], (unsigned char)s[2]);
	else
		sb_append(sb, s, len);
}

/* A loop, not strchr(): this runs once per byte of every report, and
 * under the sanitizers each strchr() call is an intercepted check. */
static bool is_special(const char *special, char c)
{
	for (; *special; special++)
		if (*special == c)
			return true;
	return false;
}

/* Eight bytes at once, with the usual bit tricks: true when every byte
 * is 0x20-0x7e and none is in special. Each byte comparison of the loop
 * below is a coverage callback in the fuzz targets (six or more per
 * byte); here it is one per word and special byte. */
static bool word_is_plain(uint64_t w, const char *special)
{
	/* A byte below 0x20 (exact as a yes/no: no borrow without one),
	 * or above 0x7e (0x7f + 1 sets bit 7, 0x80-0xff have it). */
	if ((((w - 0x20 * SCAN_ONES) & ~w) | ((w + SCAN_ONES) | w)) & SCAN_HIGHS)
		return false;
	for (; *special; special++)
		if (scan_equal(w, (unsigned char)*special))
			return false;
	return true;
}

/* Eight bytes at a time: a continuation byte has bit 7 set and bit 6
 * clear; shifting left by one brings each byte's bit 6 under its bit 7. */
static size_t word_continuations(uint64_t w)
{
	return (size_t)__builtin_popcountll(w & ~(w << 1) & SCAN_HIGHS);
}

size_t utf8_columns(const char *s, size_t n)
{
	size_t i = 0, cont = 0;

	for (; n - i >= 8; i += 8)
		cont += word_continuations(load_u64(s + i));
	if (i < n)
		cont += word_continuations(scan_tail(s + i, n - i, 0));
	return n - cont;
}

size_t plain_ascii_run(const char *s, size_t n, const char *special)
{
	size_t i = 0;

	for (; n - i >= 8; i += 8)
		if (!word_is_plain(load_u64(s + i), special))
			break;
	if (i < n && n - i < 8) {
		/* The tail as one more word, padded with copies of its first
		 * byte: plain padding if that byte is plain, and if it is
		 * not, the bytes below find the end. Short names and keys
		 * then cost one word check, not five compares a byte. */
		if (word_is_plain(scan_tail(s + i, n - i, (unsigned char)s[i]),
				  special))
			return n;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7f &&
	       !is_special(special, s[i]))
		i++;
	return i;
}

void sb_put_escaped(struct strbuf *sb, const char *s, size_t n)
{
	while (n > 0) {
		size_t len = plain_ascii_run(s, n, "\\");

		if (len > 0) {
			/* Names are mostly plain ASCII: one append per run,
			 * not one per character. */
			sb_append(sb, s, len);
			s += len;
			n -= len;
			continue;
		}
		len = utf8_len(s, n);

		put_escaped_char(sb, s, len);
		len = len ? len : 1;
		s += len;
		n -= len;
	}
}

volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void stop_on_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = request_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
