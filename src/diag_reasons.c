/* The drop reasons over the interval: each key's delta, summed over
 * devices, placed at its stage by drop_reason_stage() (dropreason.c).
 * Reasons explain a stage's loss; they never add to the waterfall, which
 * counters alone make. A count that went backwards (droptop restarted
 * between the snapshots of a recording) gives no row and one note. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"
#include "dropreason.h"
#include "util.h"

static void reasons_note(struct diagnosis *d, const char *text)
{
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(*d->notes));
	d->notes[d->nnotes++] = xstrdup(text);
}

/* Same reason, family, protocol and port: one row (devices summed). */
static bool same_row(const struct reason_row *r,
		     const struct drop_reason_count *c)
{
	return strcmp(r->reason, c->reason) == 0 && r->family == c->family &&
	       r->protocol == c->protocol && r->port == c->port;
}

static bool same_key(const struct drop_reason_count *a,
		     const struct drop_reason_count *b)
{
	return strcmp(a->reason, b->reason) == 0 && a->family == b->family &&
	       a->protocol == b->protocol && a->port == b->port &&
	       strcmp(a->dev, b->dev) == 0;
}

/* The key's count in prev: 0 when absent (the map only adds keys). */
static uint64_t prev_count(const struct snapshot *prev,
			   const struct drop_reason_count *c)
{
	for (size_t i = 0; i < prev->nreasons; i++)
		if (same_key(&prev->reasons[i], c))
			return prev->reasons[i].count;
	return 0;
}

static void add_to_row(struct diagnosis *d, const struct drop_reason_count *c,
		       uint64_t delta)
{
	struct reason_row *r;

	for (size_t i = 0; i < d->nreasons; i++) {
		if (same_row(&d->reasons[i], c)) {
			d->reasons[i].packets += delta;
			return;
		}
	}
	d->reasons = xrealloc(d->reasons, (d->nreasons + 1) * sizeof(*r));
	r = &d->reasons[d->nreasons++];
	memset(r, 0, sizeof(*r));
	memcpy(r->reason, c->reason, sizeof(r->reason));
	r->family = c->family;
	r->protocol = c->protocol;
	r->port = c->port;
	r->stage = drop_reason_stage(c->reason, c->protocol);
	r->packets = delta;
}

static int by_rate(const void *a, const void *b)
{
	const struct reason_row *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return strcmp(x->reason, y->reason);
}

static void overflow_note(const struct diag_ctx *x, struct diagnosis *d)
{
	char text[160];

	if (x->cur->reasons_overflow <= x->prev->reasons_overflow)
		return;
	snprintf(text, sizeof(text),
		 "drop reasons: %llu drops not itemised: the map of keys was full",
		 (unsigned long long)(x->cur->reasons_overflow -
				      x->prev->reasons_overflow));
	reasons_note(d, text);
}

void diag_reasons(const struct diag_ctx *x, struct diagnosis *d)
{
	bool reset = false;

	if (!x->prev->have_drop_reasons || !x->cur->have_drop_reasons)
		return;
	d->have_reasons = true;
	for (size_t i = 0; i < x->cur->nreasons; i++) {
		const struct drop_reason_count *c = &x->cur->reasons[i];
		uint64_t before = prev_count(x->prev, c);

		if (c->count < before)
			reset = true;
		else if (c->count > before)
			add_to_row(d, c, c->count - before);
	}
	if (reset)
		reasons_note(d, "drop reasons: a count went backwards (counting restarted): those keys are left out");
	overflow_note(x, d);
	for (size_t i = 0; i < d->nreasons; i++)
		d->reasons[i].pps = (double)d->reasons[i].packets / x->interval;
	if (d->nreasons > 1)
		qsort(d->reasons, d->nreasons, sizeof(*d->reasons), by_rate);
}
