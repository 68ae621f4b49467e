/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "raw.h"
#include "util.h"

void raw_init(struct raw_snapshot *r)
{
	memset(r, 0, sizeof(*r));
}

void raw_free(struct raw_snapshot *r)
{
	for (size_t i = 0; i < r->nsrcs && !r->arena; i++) {
		free(r->srcs[i].name);
		free(r->srcs[i].text);
	}
	free(r->srcs);
	free(r->arena);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

void raw_add(struct raw_snapshot *r, const char *name, char *text, size_t len)
{
	struct raw_source *src;

	/* Doubling: a recording's snapshot may hold many sources. */
	if (r->nsrcs == r->srcs_cap) {
		r->srcs_cap = r->srcs_cap ? 2 * r->srcs_cap : 16;
		r->srcs = xrealloc(r->srcs, r->srcs_cap * sizeof(*r->srcs));
	}
	src = &r->srcs[r->nsrcs++];
	src->name = xstrdup(name);
	src->text = text;
	src->len = len;
}

void raw_add_copy(struct raw_snapshot *r, const char *name, const char *text,
		  size_t len)
{
	raw_add(r, name, xstrndup(text, len), len);
}

void raw_append_copy(struct raw_snapshot *r, const char *name,
		     const char *text, size_t len)
{
	struct raw_source *src = NULL;

	for (size_t i = 0; i < r->nsrcs && !src; i++)
		if (strcmp(r->srcs[i].name, name) == 0)
			src = &r->srcs[i];
	if (!src) {
		raw_add_copy(r, name, text, len);
		return;
	}
	src->text = xrealloc(src->text, src->len + len + 1);
	memcpy(src->text + src->len, text, len);
	src->len += len;
	src->text[src->len] = '\0';
}

void raw_note(struct raw_snapshot *r, const char *fmt, ...)
{
	va_list ap;

	r->notes = xrealloc(r->notes, (r->nnotes + 1) * sizeof(*r->notes));
	va_start(ap, fmt);
	r->notes[r->nnotes++] = xvasprintf(fmt, ap);
	va_end(ap);
}

const struct raw_source *raw_find(const struct raw_snapshot *r,
				  const char *name)
{
	for (size_t i = 0; i < r->nsrcs; i++)
		if (strcmp(r->srcs[i].name, name) == 0)
			return &r->srcs[i];
	return NULL;
}
