/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Token bucket arithmetic. Time never runs backwards here: an earlier
 * timestamp than the last one adds nothing (and removes nothing). */
#include "config.h"

#include <math.h>

#include "tokenbucket.h"

void bucket_init(struct token_bucket *tb, double rate, double burst,
		 int64_t now_ns)
{
	tb->rate = rate > 0 ? rate : 1;
	tb->burst = burst >= 1 ? burst : 1;
	tb->tokens = 0;
	tb->last_ns = now_ns;
}

static void bucket_refill(struct token_bucket *tb, int64_t now_ns)
{
	if (now_ns <= tb->last_ns)
		return;
	tb->tokens += (double)(now_ns - tb->last_ns) * tb->rate / 1e9;
	if (tb->tokens > tb->burst)
		tb->tokens = tb->burst;
	tb->last_ns = now_ns;
}

uint64_t bucket_take(struct token_bucket *tb, int64_t now_ns, uint64_t want)
{
	double have;
	uint64_t n;

	bucket_refill(tb, now_ns);
	have = floor(tb->tokens);
	n = have < (double)want ? (uint64_t)have : want;
	tb->tokens -= (double)n;
	return n;
}

int64_t bucket_wait_ns(struct token_bucket *tb, int64_t now_ns, uint64_t want)
{
	double need;

	bucket_refill(tb, now_ns);
	need = (double)want < tb->burst ? (double)want : floor(tb->burst);
	if (tb->tokens >= need)
		return 0;
	return (int64_t)ceil((need - tb->tokens) * 1e9 / tb->rate);
}
