/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fixed set of names (counter names, source names) found by a token
 * that is not NUL-terminated. The parsers look up every line's first
 * word; walking a table with strlen()/memcmp() per entry made that the
 * bulk of their cost (under the fuzzers, every compare is a callback).
 * Here a token costs a hash of four of its bytes and, when a slot holds a
 * name of the same length, one memcmp(). */
#ifndef DROPTOP_NAMEIDX_H
#define DROPTOP_NAMEIDX_H

#include <stddef.h>

#define NAMEIDX_SLOTS 128 /* a power of two; at most half of it used */

struct nameidx_slot {
	const char *name; /* NULL: empty */
	size_t len;
	int value;
};

struct nameidx {
	struct nameidx_slot slot[NAMEIDX_SLOTS];
	size_t n;
};

/* Adds name (a string that outlives the index) with value >= 0; a name
 * already there keeps its first value, as a table walk would find it.
 * Aborts past NAMEIDX_SLOTS / 2 names: the tables are the program's own. */
void nameidx_add(struct nameidx *ix, const char *name, int value);
/* The value of the name equal to the len bytes at tok, or -1. */
int nameidx_find(const struct nameidx *ix, const char *tok, size_t len);

#endif
