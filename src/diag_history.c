/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss history (diag_history.h): rings of the last HIST_LEN values
 * per stage and per queue, CPU and socket row, and their sparkline
 * heights. An unknown figure is kept as unknown, never as a zero. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag_history.h"
#include "util.h"

void diag_history_init(struct diag_history *h)
{
	memset(h, 0, sizeof(*h));
}

void diag_history_free(struct diag_history *h)
{
	free(h->rows);
	diag_history_init(h);
}

void diag_history_clear(struct diag_history *h)
{
	diag_history_free(h);
}

void hist_ring_push(struct hist_ring *r, struct optval v)
{
	bool ok = v.known && isfinite(v.v);

	r->v[r->head] = ok ? v.v : 0;
	r->known[r->head] = ok;
	r->head = (r->head + 1) % HIST_LEN;
	if (r->n < HIST_LEN)
		r->n++;
}

struct optval hist_ring_at(const struct hist_ring *r, size_t n, size_t i)
{
	size_t back, k;

	if (n > r->n)
		n = r->n;
	if (i >= n)
		return opt_unknown();
	back = n - i; /* 1 = the newest */
	k = (r->head + HIST_LEN - back) % HIST_LEN;
	return r->known[k] ? opt_known(r->v[k]) : opt_unknown();
}

/* v of max in 1..HIST_LEVELS, rounded up so that a small loss shows. */
static int level_of(double v, double max)
{
	int l;

	if (v <= 0)
		return 0;
	l = (int)ceil(v / max * HIST_LEVELS);
	return l < 1 ? 1 : l > HIST_LEVELS ? HIST_LEVELS : l;
}

double hist_levels(const struct hist_ring *r, size_t n, int *out)
{
	size_t have = n < r->n ? n : r->n, pad = n - have;
	double max = 0;

	for (size_t i = 0; i < have; i++) {
		struct optval v = hist_ring_at(r, have, i);

		if (v.known && v.v > max)
			max = v.v;
	}
	for (size_t i = 0; i < n; i++) {
		struct optval v;

		if (i < pad) {
			out[i] = HIST_EMPTY;
			continue;
		}
		v = hist_ring_at(r, have, i - pad);
		out[i] = !v.known ? HIST_GAP : level_of(v.v, max);
	}
	return max;
}

/* ---- rows --------------------------------------------------------------- */

static bool row_is(const struct hist_row *r, enum hist_kind kind,
		   const char *dev, uint64_t id)
{
	return r->kind == kind && r->id == id &&
	       (kind != HK_QUEUE || strcmp(r->dev, dev) == 0);
}

static struct hist_row *find_row(const struct diag_history *h,
				 enum hist_kind kind, const char *dev,
				 uint64_t id)
{
	for (size_t i = 0; i < h->nrows; i++)
		if (row_is(&h->rows[i], kind, dev, id))
			return &h->rows[i];
	return NULL;
}

/* A new row: its sparkline starts at its first value, at the right end
 * with the newest of the stages'. NULL when full. */
static struct hist_row *new_row(struct diag_history *h, enum hist_kind kind,
				const char *dev, uint64_t id)
{
	struct hist_row *r;

	if (h->nrows >= HIST_MAX_ROWS) {
		h->rows_full = true;
		return NULL;
	}
	if (!h->rows)
		h->rows = xcalloc(HIST_MAX_ROWS, sizeof(*h->rows));
	r = &h->rows[h->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->id = id;
	if (dev)
		copy_token(r->dev, sizeof(r->dev), dev, strlen(dev));
	return r;
}

/* Several rows of a diagnosis can name the same row (two sockets with
 * one inode in a hostile recording): the first one counts. */
static void row_add(struct diag_history *h, enum hist_kind kind,
		    const char *dev, uint64_t id, struct optval traffic,
		    struct optval loss)
{
	struct hist_row *r = find_row(h, kind, dev, id);

	if (!r)
		r = new_row(h, kind, dev, id);
	if (!r || r->seen)
		return;
	r->seen = true;
	hist_ring_push(&r->traffic, traffic);
	hist_ring_push(&r->loss, loss);
}

static bool ring_all_unknown(const struct hist_ring *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->known[i])
			return false;
	return true;
}

/* Rows not in the diagnosis get a gap; those with nothing left known
 * are dropped (a socket closed HIST_LEN refreshes ago). */
static void rows_age(struct diag_history *h)
{
	size_t out = 0;

	for (size_t i = 0; i < h->nrows; i++) {
		struct hist_row *r = &h->rows[i];

		if (!r->seen) {
			hist_ring_push(&r->traffic, opt_unknown());
			hist_ring_push(&r->loss, opt_unknown());
		}
		r->seen = false;
		if (ring_all_unknown(&r->traffic) && ring_all_unknown(&r->loss))
			continue;
		if (out != i)
			h->rows[out] = *r;
		out++;
	}
	h->nrows = out;
}

static struct optval fill_pct(const struct socket_row *s)
{
	return s->fill.known ? opt_known(100 * s->fill.v) : opt_unknown();
}

static void rows_add(struct diag_history *h, const struct diagnosis *d)
{
	for (size_t i = 0; i < d->nqueues; i++) {
		const struct queue_row *q = &d->queues[i];

		if (q->queue >= 0)
			row_add(h, HK_QUEUE, q->dev, (uint64_t)q->queue,
				q->rx_pps, q->drops_pps);
	}
	for (size_t i = 0; i < d->ncpus; i++)
		if (d->cpus[i].cpu >= 0)
			row_add(h, HK_CPU, NULL, (uint64_t)d->cpus[i].cpu,
				d->cpus[i].processed_ps, d->cpus[i].dropped_ps);
	for (size_t i = 0; i < d->nsocks; i++)
		if (d->socks[i].inode)
			row_add(h, HK_SOCKET, NULL, d->socks[i].inode,
				fill_pct(&d->socks[i]), d->socks[i].drops_ps);
	rows_age(h);
}

void diag_history_add(struct diag_history *h, const struct diagnosis *d)
{
	for (int i = 0; i < STAGE_N; i++)
		hist_ring_push(&h->stage[i], d->stages[i].lost_pps);
	hist_ring_push(&h->unaccounted, d->unaccounted_pps);
	rows_add(h, d);
	h->nadded++;
}

const struct hist_row *diag_history_queue(const struct diag_history *h,
					  const char *dev, int queue)
{
	return queue < 0 ? NULL : find_row(h, HK_QUEUE, dev, (uint64_t)queue);
}

const struct hist_row *diag_history_cpu(const struct diag_history *h,
					int cpu)
{
	return cpu < 0 ? NULL : find_row(h, HK_CPU, NULL, (uint64_t)cpu);
}

const struct hist_row *diag_history_socket(const struct diag_history *h,
					   uint64_t inode)
{
	return inode ? find_row(h, HK_SOCKET, NULL, inode) : NULL;
}
