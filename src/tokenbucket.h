/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A token bucket for the sender's --rate: tokens accrue at rate per
 * second up to burst; sending n packets takes n tokens. Pure arithmetic
 * on nanosecond timestamps the caller supplies, so it is tested without
 * sleeping. */
#ifndef DROPTOP_TOKENBUCKET_H
#define DROPTOP_TOKENBUCKET_H

#include <stdint.h>

struct token_bucket {
	double rate;  /* tokens per second, > 0 */
	double burst; /* most tokens held at once, >= 1 */
	double tokens;
	int64_t last_ns; /* time of the latest refill */
};

/* Starts empty at now_ns: the first packets wait for their tokens, so a
 * run of T seconds sends rate * T packets, not burst more. */
void bucket_init(struct token_bucket *tb, double rate, double burst,
		 int64_t now_ns);
/* Takes up to want whole tokens available at now_ns; returns how many. */
uint64_t bucket_take(struct token_bucket *tb, int64_t now_ns, uint64_t want);
/* Nanoseconds from now_ns until want tokens (at most burst) are there;
 * 0 when they already are. */
int64_t bucket_wait_ns(struct token_bucket *tb, int64_t now_ns, uint64_t want);

#endif
