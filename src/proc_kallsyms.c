/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kallsyms parser and address lookup (proc_kallsyms.h). Each line
 * is "ADDR TYPE NAME [MODULE]"; the text symbols are sorted once and each
 * address is found by binary search. Every byte is untrusted: a line that
 * does not parse is counted and skipped, never guessed at. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_kallsyms.h"
#include "snapshot.h"
#include "util.h"

/* Longest name kept (the kernel's KSYM_NAME_LEN is 512). */
#define KSYM_NAME_MAX 127

static bool name_ok(const char *t, size_t n)
{
	if (n == 0 || n > KSYM_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.'))
			return false;
	}
	return true;
}

struct names_buf {
	char *s;
	size_t len, cap;
};

static uint32_t names_add(struct names_buf *b, const char *t, size_t n)
{
	uint32_t off = (uint32_t)b->len;

	if (!b->s || b->len + n + 1 > b->cap) { /* !s: for scan-build */
		b->cap = b->cap ? b->cap * 2 : 4096;
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, t, n);
	b->s[b->len + n] = '\0';
	b->len += n + 1;
	return off;
}

/* One line: false when it is not ADDR TYPE NAME [MODULE]. */
static bool parse_line(const char *line, size_t len, uint64_t *addr,
		       char *type, const char **name, size_t *nlen)
{
	const char *p = line, *end = line + len, *t;
	size_t n;

	t = next_token(&p, end, &n);
	if (!t || n > 16 || !parse_u64(t, n, 16, addr))
		return false;
	t = next_token(&p, end, &n);
	if (!t || n != 1)
		return false;
	*type = *t;
	*name = next_token(&p, end, nlen);
	return *name != NULL;
}

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Adds one line's symbol if it is a text symbol; false when full. */
static bool add_line(struct kallsyms *ks, struct names_buf *names,
		     size_t *cap, size_t max_syms, const char *line,
		     size_t len, size_t *nonzero)
{
	const char *name;
	size_t nlen;
	uint64_t addr;
	char type;

	if (!parse_line(line, len, &addr, &type, &name, &nlen)) {
		ks->bad++;
		return true;
	}
	if (addr)
		(*nonzero)++;
	if (type != 't' && type != 'T')
		return true;
	if (!name_ok(name, nlen)) {
		ks->bad++;
		return true;
	}
	if (ks->n == max_syms || names->len > UINT32_MAX - KSYM_NAME_MAX - 1) {
		ks->truncated = true;
		return false;
	}
	ks->syms = snapshot_grow(ks->syms, cap, ks->n + 1, sizeof(*ks->syms));
	ks->syms[ks->n].addr = addr;
	ks->syms[ks->n++].name = names_add(names, name, nlen);
	return true;
}

void kallsyms_parse(struct kallsyms *ks, const char *text, size_t len,
		    size_t max_syms)
{
	const char *pos = text, *end = text + len;
	struct names_buf names = { 0 };
	size_t cap = 0, nonzero = 0;

	memset(ks, 0, sizeof(*ks));
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = nl ? (size_t)(nl - pos) : (size_t)(end - pos);

		if (n && !add_line(ks, &names, &cap, max_syms, pos, n, &nonzero))
			break;
		pos += n + 1;
	}
	ks->names = names.s;
	/* kptr_restrict (or no privilege) shows every address as 0. */
	ks->hidden = ks->n > 0 && nonzero == 0;
	if (ks->n > 1)
		qsort(ks->syms, ks->n, sizeof(*ks->syms), by_addr);
}

int kallsyms_read(struct kallsyms *ks, int fd, const char *path, char *msg,
		  size_t size)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = xcalloc(1, cap);
	bool full = false;

	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap >= KALLSYMS_MAX_BYTES) {
				full = true;
				break;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			snprintf(msg, size, "%s: %s", path, strerror(err));
			free(buf);
			memset(ks, 0, sizeof(*ks));
			return -err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	/* A cut last line is not a symbol: drop it. */
	while (full && len && buf[len - 1] != '\n')
		len--;
	kallsyms_parse(ks, buf, len, KALLSYMS_MAX_SYMS);
	ks->truncated |= full;
	free(buf);
	return 0;
}

const char *kallsyms_name(const struct kallsyms *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->n;

	if (ks->hidden || !ks->n || addr < ks->syms[0].addr)
		return NULL;
	/* The last symbol at or below addr. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return ks->names + ks->syms[lo].name;
}

void kallsyms_free(struct kallsyms *ks)
{
	free(ks->syms);
	free(ks->names);
	memset(ks, 0, sizeof(*ks));
}
