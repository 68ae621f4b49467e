/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The timeline: the loss of each interval of a recording (or of a live
 * run), fed one diagnosis at a time, and its worst interval. Pure
 * diagnosis data: renderers draw it, nothing here reads the kernel. */
#ifndef DROPTOP_TIMELINE_H
#define DROPTOP_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"
#include "raw.h"

/* Points kept: a recording holds at most RECORDING_MAX_SNAPSHOTS, so all
 * its intervals fit. A longer live run halves the resolution (two
 * neighbours merged into one) each time the timeline is full. */
#define TIMELINE_MAX_POINTS 100000

struct timeline_point {
	double t;                     /* start, s from the first snapshot */
	double realtime;              /* wall time of the start, 0 unknown */
	double interval_s;
	int stage;                    /* the verdict's, or STAGE_NONE */
	struct optval verdict_lost_pps;
	struct optval lost_pps[STAGE_N];
	struct optval total_lost_pps;
};

struct timeline {
	struct timeline_point *points;
	size_t n;
	size_t cap;
	size_t max;                   /* TIMELINE_MAX_POINTS, or less (tests) */
	size_t merges;                /* times the resolution was halved */
	size_t skipped;               /* intervals that could not be compared */
	double t_end;                 /* end of the last interval */
	bool have_worst;
	struct timeline_point worst;  /* kept whole, merges or not */
	double lost_sum;              /* packets lost, known intervals */
	double known_s;               /* seconds of those intervals */
};

void timeline_init(struct timeline *tl, size_t max);
void timeline_free(struct timeline *tl);
/* Appends the interval d describes; it starts where the last one ended. */
void timeline_add(struct timeline *tl, const struct diagnosis *d);
/* An interval diagnose() refused (time not later): counted, not drawn. */
void timeline_skip(struct timeline *tl);
/* The worst interval (largest known total loss, the first of equals),
 * or NULL when no interval lost a packet. */
const struct timeline_point *timeline_worst(const struct timeline *tl);
/* Total loss per second over all known intervals, weighted by length. */
struct optval timeline_average_lost_pps(const struct timeline *tl);
/* Fills idx with the indexes of the k lossiest points (at most k, ties
 * to the earlier), in time order; returns how many. */
size_t timeline_top(const struct timeline *tl, size_t k, size_t *idx);

/* Diagnoses each consecutive pair of n raw snapshots into tl (keeping
 * only the ndevs devices when ndevs > 0). */
void timeline_build(const struct raw_snapshot *snaps, size_t n,
		    char *const *devs, size_t ndevs, struct timeline *tl);

#endif
