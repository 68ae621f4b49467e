/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss history: what each diagnosis said, kept over the last
 * HIST_LEN refreshes. It is diagnosis state, fed one struct diagnosis at
 * a time (diag_history_add) and drawn by the dashboard; it never reads
 * the kernel. Pure: no I/O, no clock. */
#ifndef DROPTOP_DIAG_HISTORY_H
#define DROPTOP_DIAG_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose.h"

#define HIST_LEN 240      /* refreshes kept: 4 minutes at -d 1 */
#define HIST_MAX_ROWS 1024 /* queue, CPU and socket rows followed */
#define HIST_LEVELS 8     /* a sparkline's heights above zero */

/* One value per refresh, oldest first from the ring's start. */
struct hist_ring {
	double v[HIST_LEN];
	bool known[HIST_LEN];
	size_t head;          /* where the next value goes */
	size_t n;             /* values held, at most HIST_LEN */
};

enum hist_kind { HK_QUEUE, HK_CPU, HK_SOCKET };

/* A queue, CPU or socket row: its traffic and its loss. */
struct hist_row {
	enum hist_kind kind;
	char dev[IF_NAMESIZE]; /* HK_QUEUE */
	uint64_t id;          /* queue number, CPU, socket inode */
	bool seen;            /* in the last diagnosis added */
	/* queue: rx/s and drops/s; CPU: processed/s and backlog drops/s;
	 * socket: queue fill % and drops/s. */
	struct hist_ring traffic, loss;
};

struct diag_history {
	struct hist_ring stage[STAGE_N]; /* lost/s of each stage */
	struct hist_ring unaccounted;
	struct hist_row *rows;
	size_t nrows;
	size_t nadded;        /* diagnoses added since the last clear */
	bool rows_full;       /* a row was not followed: HIST_MAX_ROWS */
};

void diag_history_init(struct diag_history *h);
void diag_history_free(struct diag_history *h);
/* Forgets everything (the dashboard's r). */
void diag_history_clear(struct diag_history *h);
/* Appends one refresh: each stage's lost/s and every row's figures. A
 * row missing from d gets an unknown value; a row unknown over the whole
 * ring is forgotten. */
void diag_history_add(struct diag_history *h, const struct diagnosis *d);

void hist_ring_push(struct hist_ring *r, struct optval v);
/* The i-th of the last n values (0 oldest); unknown when i is out. */
struct optval hist_ring_at(const struct hist_ring *r, size_t n, size_t i);

/* Sparkline heights of the last n values of r, rescaled to the largest
 * known one among them: out[i] for the i-th (0 oldest). HIST_EMPTY
 * before the first value, HIST_GAP for an unknown value, 0 for zero (and
 * below), 1..HIST_LEVELS else: any value above zero is at least 1.
 * Returns that largest value (0 when none is above zero). */
#define HIST_EMPTY (-2)
#define HIST_GAP (-1)
double hist_levels(const struct hist_ring *r, size_t n, int *out);

/* The rows of the history, or NULL when it does not follow them. */
const struct hist_row *diag_history_queue(const struct diag_history *h,
					  const char *dev, int queue);
const struct hist_row *diag_history_cpu(const struct diag_history *h,
					int cpu);
const struct hist_row *diag_history_socket(const struct diag_history *h,
					   uint64_t inode);

#endif
