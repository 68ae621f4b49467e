/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The timeline of a run: one point per interval, each the loss figures of
 * that interval's diagnosis. A report of a recording compares its first
 * and last snapshots, which averages a burst away; the timeline says when
 * it happened and how bad it was. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources.h"
#include "timeline.h"
#include "util.h"

void timeline_init(struct timeline *tl, size_t max)
{
	memset(tl, 0, sizeof(*tl));
	tl->max = max >= 2 && max <= TIMELINE_MAX_POINTS ? max
							 : TIMELINE_MAX_POINTS;
}

void timeline_free(struct timeline *tl)
{
	free(tl->points);
	memset(tl, 0, sizeof(*tl));
}

static void point_from_diagnosis(struct timeline_point *p, double t,
				 const struct diagnosis *d)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	if (isfinite(d->realtime) && d->realtime - d->interval_s > 0)
		p->realtime = d->realtime - d->interval_s;
	p->interval_s = d->interval_s;
	p->stage = d->verdict.stage;
	p->verdict_lost_pps = d->verdict.lost_pps;
	for (int s = 0; s < STAGE_N; s++)
		p->lost_pps[s] = d->stages[s].lost_pps;
	p->total_lost_pps = d->total_lost_pps;
}

/* A rate over a and b together: known only when both halves are. */
static struct optval merged_rate(struct optval a, double as, struct optval b,
				 double bs)
{
	if (!a.known || !b.known)
		return opt_unknown();
	return opt_known((a.v * as + b.v * bs) / (as + bs));
}

/* Two neighbours as one point. Its verdict is its lossiest stage: the
 * findings that pick a verdict are gone by now. */
static void merge_points(struct timeline_point *out,
			 const struct timeline_point *a,
			 const struct timeline_point *b)
{
	struct timeline_point m = *a;

	m.interval_s = a->interval_s + b->interval_s;
	m.stage = STAGE_NONE;
	m.verdict_lost_pps = opt_known(0);
	for (int s = 0; s < STAGE_N; s++) {
		m.lost_pps[s] = merged_rate(a->lost_pps[s], a->interval_s,
					    b->lost_pps[s], b->interval_s);
		if (m.lost_pps[s].known &&
		    m.lost_pps[s].v > m.verdict_lost_pps.v) {
			m.stage = s;
			m.verdict_lost_pps = m.lost_pps[s];
		}
	}
	m.total_lost_pps = merged_rate(a->total_lost_pps, a->interval_s,
				       b->total_lost_pps, b->interval_s);
	*out = m;
}

/* Full: every two neighbours become one, so memory stays bounded and the
 * whole run stays covered, at half the resolution. */
static void halve_resolution(struct timeline *tl)
{
	size_t j = 0;

	for (size_t i = 0; i + 1 < tl->n; i += 2)
		merge_points(&tl->points[j++], &tl->points[i], &tl->points[i + 1]);
	if (tl->n % 2)
		tl->points[j++] = tl->points[tl->n - 1];
	tl->n = j;
	tl->merges++;
}

static bool lossier(const struct timeline_point *a,
		    const struct timeline_point *b)
{
	if (!a->total_lost_pps.known)
		return false;
	return !b->total_lost_pps.known || a->total_lost_pps.v > b->total_lost_pps.v;
}

static void account(struct timeline *tl, const struct timeline_point *p)
{
	if (!p->total_lost_pps.known)
		return;
	tl->lost_sum += p->total_lost_pps.v * p->interval_s;
	tl->known_s += p->interval_s;
	if (p->total_lost_pps.v > 0 &&
	    (!tl->have_worst || lossier(p, &tl->worst))) {
		tl->worst = *p;
		tl->have_worst = true;
	}
}

void timeline_add(struct timeline *tl, const struct diagnosis *d)
{
	struct timeline_point p;

	/* A recording's clock is untrusted: a length that is not a finite
	 * positive number would poison every sum after it. */
	if (!(d->interval_s > 0) || !isfinite(d->interval_s) ||
	    !isfinite(tl->t_end + d->interval_s)) {
		timeline_skip(tl);
		return;
	}
	point_from_diagnosis(&p, tl->t_end, d);
	tl->t_end += d->interval_s;
	account(tl, &p);
	if (tl->n == tl->max)
		halve_resolution(tl);
	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 64;
		if (tl->cap > tl->max)
			tl->cap = tl->max;
		tl->points = xrealloc(tl->points, tl->cap * sizeof(*tl->points));
	}
	tl->points[tl->n++] = p;
}

void timeline_skip(struct timeline *tl)
{
	tl->skipped++;
}

const struct timeline_point *timeline_worst(const struct timeline *tl)
{
	return tl->have_worst ? &tl->worst : NULL;
}

struct optval timeline_average_lost_pps(const struct timeline *tl)
{
	if (!(tl->known_s > 0))
		return opt_unknown();
	return opt_known(tl->lost_sum / tl->known_s);
}

/* A point's rank key: its total loss, unknown ranked last. */
struct rank {
	struct optval loss;
	size_t idx;
};

static int by_loss_then_time(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	if (a->loss.known != b->loss.known)
		return a->loss.known ? -1 : 1;
	if (a->loss.known && a->loss.v != b->loss.v)
		return a->loss.v > b->loss.v ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_index(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return a < b ? -1 : a > b;
}

size_t timeline_top(const struct timeline *tl, size_t k, size_t *idx)
{
	struct rank *all;

	if (k >= tl->n) {
		for (size_t i = 0; i < tl->n; i++)
			idx[i] = i;
		return tl->n;
	}
	all = xmalloc(tl->n * sizeof(*all));
	for (size_t i = 0; i < tl->n; i++)
		all[i] = (struct rank){ tl->points[i].total_lost_pps, i };
	qsort(all, tl->n, sizeof(*all), by_loss_then_time);
	for (size_t i = 0; i < k; i++)
		idx[i] = all[i].idx;
	free(all);
	qsort(idx, k, sizeof(*idx), by_index);
	return k;
}

/* One pair at a time, so that memory holds two snapshots, not n. */
void timeline_build(const struct raw_snapshot *snaps, size_t n,
		    char *const *devs, size_t ndevs, struct timeline *tl)
{
	struct snapshot s[2];
	struct diagnosis d;

	if (n == 0)
		return;
	snapshot_init(&s[0]);
	snapshot_from_raw(&snaps[0], &s[0]);
	if (ndevs)
		snapshot_keep_devices(&s[0], devs, ndevs);
	for (size_t i = 1; i < n; i++) {
		snapshot_init(&s[1]);
		snapshot_from_raw(&snaps[i], &s[1]);
		if (ndevs)
			snapshot_keep_devices(&s[1], devs, ndevs);
		if (diagnose(&s[0], &s[1], &d) == 0)
			timeline_add(tl, &d);
		else
			timeline_skip(tl);
		diagnosis_free(&d);
		snapshot_free(&s[0]);
		s[0] = s[1];
	}
	snapshot_free(&s[0]);
}
