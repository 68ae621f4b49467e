/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Counter deltas that survive wrap and reset. A counter read at two
 * instants gives a delta only when both readings exist and the move is
 * plausible; otherwise the delta is unknown, never a huge number. */
#ifndef DROPTOP_COUNTER_H
#define DROPTOP_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* An optional quantity: a value is meaningful only when known is set. */
struct optval {
	double v;
	bool known;
};

static inline struct optval opt_known(double v)
{
	return (struct optval){ .v = v, .known = true };
}

static inline struct optval opt_unknown(void)
{
	return (struct optval){ .v = 0, .known = false };
}

/* Delta of a 64-bit counter; a backwards move is a reset (unknown). */
bool delta64(bool had, uint64_t prev, bool has, uint64_t cur, uint64_t *out);

/* Delta of a 32-bit counter (softnet_stat): a backwards move is taken as a
 * wrap when the wrapped distance is below 2^31, else as a reset. */
bool delta32(bool had, uint64_t prev, bool has, uint64_t cur, uint64_t *out);

struct optval opt_add(struct optval a, struct optval b);
struct optval opt_sub_clamped(struct optval a, struct optval b);

#endif
