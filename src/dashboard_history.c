/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The history of one row (key g): the top row of the focused RX queues,
 * CPUs or sockets panel, as two sparklines (its traffic and its loss)
 * over the lines at the bottom of the screen. Drawn from the loss
 * history the loop keeps (diag_history.c), like everything else here
 * from what the diagnosis gave. */
#include "config.h"

#include <stdio.h>

#include "dashboard_internal.h"

#define LABEL_W 27   /* "  processed/s max 1.23M  " and a blank */

struct series {
	const char *label;
	const struct hist_ring *ring;
	bool pct;
};

/* The row's name and its two series, or false when it has none. */
static bool pick_row(const struct dash_ctx *x, int panel, size_t i,
		     char *name, size_t size, struct series s[2])
{
	const struct diagnosis *d = x->rate;
	const struct hist_row *r = NULL;

	if (panel == DP_QUEUES && i < d->nqueues) {
		const struct queue_row *q = &d->queues[i];

		snprintf(name, size, "RX queue %s %d", q->dev, q->queue);
		r = diag_history_queue(x->hist, q->dev, q->queue);
		s[0] = (struct series){ "rx/s", r ? &r->traffic : NULL, false };
		s[1] = (struct series){ "drops/s", r ? &r->loss : NULL, false };
	} else if (panel == DP_CPUS && i < d->ncpus) {
		snprintf(name, size, "CPU %d", d->cpus[i].cpu);
		r = diag_history_cpu(x->hist, d->cpus[i].cpu);
		s[0] = (struct series){ "processed/s", r ? &r->traffic : NULL,
					false };
		s[1] = (struct series){ "dropped/s", r ? &r->loss : NULL,
					false };
	} else if (panel == DP_SOCKETS && i < d->nsocks) {
		const struct socket_row *k = &d->socks[i];

		snprintf(name, size, "socket %s port %u, inode %llu", k->local,
			 k->lport, (unsigned long long)k->inode);
		r = diag_history_socket(x->hist, k->inode);
		s[0] = (struct series){ "queue fill", r ? &r->traffic : NULL,
					true };
		s[1] = (struct series){ "drops/s", r ? &r->loss : NULL, false };
	} else {
		return false;
	}
	return r != NULL;
}

static void draw_series(struct dash_canvas *c, int y,
			const struct series *s, enum dash_style st)
{
	int levels[HIST_LEN], w = c->w - LABEL_W - 1;
	double max;
	char m[32];

	dash_fill(c, y, 0, c->w, DS_NORMAL);
	if (w > HIST_LEN)
		w = HIST_LEN;
	max = hist_levels(s->ring, (size_t)(w > 0 ? w : 0), levels);
	if (s->pct)
		dash_fmt_pct(m, sizeof(m), opt_known(max));
	else
		dash_fmt_rate(m, sizeof(m), opt_known(max));
	dash_printf(c, y, 0, LABEL_W, DS_DIM, "  %-11s max %-7s", s->label,
		    m);
	if (w > 0)
		dash_spark(c, y, LABEL_W, w, levels, st);
}

int dash_row_history_lines(void)
{
	return 3;
}

void dash_draw_row_history(struct dash_canvas *c, const struct dash_ctx *x,
			   int panel, size_t row, int y)
{
	struct series s[2];
	char name[160] = "";
	bool have = panel >= 0 && pick_row(x, panel, row, name, sizeof(name), s);

	for (int i = 0; i < 3; i++)
		dash_fill(c, y + i, 0, c->w, i ? DS_NORMAL : DS_TITLE);
	if (panel < 0) {
		dash_put(c, y, 1, c->w - 1, DS_TITLE,
			 "history: focus the RX queues, CPUs or sockets "
			 "panel (Tab); g hides");
		return;
	}
	if (!have && !name[0]) {
		dash_put(c, y, 1, c->w - 1, DS_TITLE,
			 "history: the focused panel shows no row; g hides");
		return;
	}
	if (!have) {
		dash_printf(c, y, 1, c->w - 1, DS_TITLE,
			    "history of %s: none kept yet; g hides", name);
		return;
	}
	dash_printf(c, y, 1, c->w - 1, DS_TITLE,
		    "history of %s (the focused panel's top row); g hides",
		    name);
	draw_series(c, y + 1, &s[0], DS_BAR);
	draw_series(c, y + 2, &s[1], DS_WARN);
}
