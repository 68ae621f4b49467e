/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Open addressing over NAMEIDX_SLOTS slots, kept at most half full so
 * that a miss (most lines of /proc/net/snmp6 name a counter droptop does
 * not read) ends at an empty slot after a probe or two. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nameidx.h"
#include "util.h"

/* The length and the first, middle and last bytes: no loop over the
 * token, and the project's names differ in one of them nearly always (a
 * collision costs a probe, never a wrong answer). */
static size_t name_hash(const char *tok, size_t len)
{
	const unsigned char *u = (const unsigned char *)tok;
	size_t h = len * 0x9e3779b1u;

	h ^= (size_t)u[0] * 0x85ebca6bu;
	h ^= (size_t)u[len / 2] * 0xc2b2ae35u;
	h ^= (size_t)u[len - 1] * 0x27d4eb2fu;
	return (h ^ (h >> 15) ^ (h >> 7)) & (NAMEIDX_SLOTS - 1);
}

/* Whether the n (> 0) bytes at a and b are the same, a word at a time
 * (the last word ending at byte n, overlapping the one before): memcmp()
 * is hooked by libFuzzer, a callback that records the bytes compared,
 * and a slot's name of the token's length is most often another name.
 * Reads only the n bytes of each. */
static bool same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x = 0, y = 0, diff;

	if (n < sizeof(x)) {
		memcpy(&x, a, n);
		memcpy(&y, b, n);
		return x == y;
	}
	diff = load_u64(a + n - 8) ^ load_u64(b + n - 8);
	for (size_t i = 0; i + 8 < n; i += 8)
		diff |= load_u64(a + i) ^ load_u64(b + i);
	return diff == 0;
}

void nameidx_add(struct nameidx *ix, const char *name, int value)
{
	size_t len = strlen(name), i;

	if (len == 0 || value < 0 || ix->n >= NAMEIDX_SLOTS / 2)
		abort();
	if (nameidx_find(ix, name, len) >= 0)
		return;
	i = name_hash(name, len);
	while (ix->slot[i].name)
		i = (i + 1) & (NAMEIDX_SLOTS - 1);
	ix->slot[i].name = name;
	ix->slot[i].len = len;
	ix->slot[i].value = value;
	ix->n++;
}

int nameidx_find(const struct nameidx *ix, const char *tok, size_t len)
{
	const struct nameidx_slot *s;

	if (len == 0)
		return -1;
	for (size_t i = name_hash(tok, len);; i = (i + 1) & (NAMEIDX_SLOTS - 1)) {
		s = &ix->slot[i];
		if (!s->name)
			return -1;
		if (s->len == len && same_bytes(s->name, tok, len))
			return s->value;
	}
}
