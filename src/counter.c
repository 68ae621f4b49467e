/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "counter.h"

bool delta64(bool had, uint64_t prev, bool has, uint64_t cur, uint64_t *out)
{
	if (!had || !has || cur < prev)
		return false;
	*out = cur - prev;
	return true;
}

bool delta32(bool had, uint64_t prev, bool has, uint64_t cur, uint64_t *out)
{
	uint64_t wrapped;

	if (!had || !has || prev > UINT32_MAX || cur > UINT32_MAX)
		return false;
	if (cur >= prev) {
		*out = cur - prev;
		return true;
	}
	/* A 32-bit counter that moved backwards either wrapped (small real
	 * distance) or was reset; only the first gives a trustworthy delta. */
	wrapped = (UINT32_MAX - prev) + cur + 1;
	if (wrapped >= (1ULL << 31))
		return false;
	*out = wrapped;
	return true;
}

struct optval opt_add(struct optval a, struct optval b)
{
	if (!a.known || !b.known)
		return opt_unknown();
	return opt_known(a.v + b.v);
}

struct optval opt_sub_clamped(struct optval a, struct optval b)
{
	if (!a.known || !b.known)
		return opt_unknown();
	return opt_known(a.v > b.v ? a.v - b.v : 0);
}
