/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/* Small enough for a device with a few counters, large enough that a
 * caller appending without arena_reserve() allocates rarely. */
#define ARENA_MIN_BLOCK 1024

struct arena_block {
	struct arena_block *next;   /* the blocks filled before this one */
	size_t used, size;
	char data[];
};

static size_t block_room(const struct arena_block *b)
{
	return b ? b->size - b->used : 0;
}

void arena_reserve(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t size = n > ARENA_MIN_BLOCK ? n : ARENA_MIN_BLOCK;

	if (block_room(a->head) >= n)
		return;
	/* No request comes near SIZE_MAX: an overflow is out of memory. */
	b = xmalloc(size > SIZE_MAX - sizeof(*b) ? SIZE_MAX : sizeof(*b) + size);
	b->next = a->head;
	b->used = 0;
	b->size = size;
	a->head = b;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *copy;

	arena_reserve(a, n == SIZE_MAX ? n : n + 1);
	copy = a->head->data + a->head->used;
	memcpy(copy, s, n);
	copy[n] = '\0';
	a->head->used += n + 1;
	return copy;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}
