/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Many small strings freed together: the driver counter names of one
 * device. One allocation per block instead of one per string; a string
 * never moves once copied, so pointers to it stay valid until
 * arena_free(). */
#ifndef DROPTOP_ARENA_H
#define DROPTOP_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* the block being filled */
};

/* Makes room for at least n more bytes in one block (a parser that knows
 * its input's size asks once, and gets one block). */
void arena_reserve(struct arena *a, size_t n);
/* A NUL-terminated copy of the n bytes at s, owned by the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees every block; the arena is empty and usable again. */
void arena_free(struct arena *a);

#endif
