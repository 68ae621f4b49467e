/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Buffers the kernel fills with as many entries as it likes: each ends
 * exactly at a PROT_NONE guard page, so a reply longer than the buffer
 * makes the kernel's copy fail with EFAULT instead of overrunning memory.
 * (The kernel's writes bypass malloc's bookkeeping and ASan alike.) */
#ifndef DROPTOP_GUARDBUF_H
#define DROPTOP_GUARDBUF_H

#include <stddef.h>

struct guardbuf {
	void *data;    /* len bytes, zeroed; the guard page follows */
	size_t len;
	void *map;     /* the whole mapping, NULL if none */
	size_t map_len;
};

/* Maps len bytes (len > 0) ending at a guard page. Returns 0 or a
 * negative errno; g is left empty on failure. */
int guardbuf_alloc(struct guardbuf *g, size_t len);
/* Releases the mapping; an empty g is fine. */
void guardbuf_free(struct guardbuf *g);

#endif
