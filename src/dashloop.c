/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dashboard's loop: collect (or step through a recording) → snapshot
 * → diagnose → draw, every interval, and the keys in between. It keeps
 * three snapshots: the first one (or the one at the last reset, for the
 * totals since start), the previous one and the new one; the rates are
 * diagnose(previous, new), the totals diagnose(first, new). The drawing
 * (dashboard_*.c) sees only the two diagnoses, and the loss history
 * each rate diagnosis is added to. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "collect.h"
#include "dashboard.h"
#include "recfile.h"
#include "recording.h"
#include "sources.h"
#include "util.h"

#define EXIT_FATAL 2
#define KEY_WAIT_MS 250   /* the longest a signal waits to be seen */

struct dash_loop {
	const struct dashboard_config *cfg;
	struct collect_config cc;
	struct collector *collector;  /* live: made at the first snapshot */
	/* replay */
	struct raw_snapshot *snaps;
	size_t nsnaps, pos;
	/* live */
	struct raw_snapshot last_raw;

	struct snapshot base, prev;
	bool have_prev;
	struct diagnosis rate, total;
	bool have_rate, have_total;
	struct diag_history hist;     /* of the rate diagnoses since r */

	struct dash_view view;
	struct dash_status st;
	double interval;
	double next_due;          /* monotonic s of the next step */
	bool paused;
	char message[256];
	char error[512];          /* fatal: printed after the terminal is back */

	double shown_left;        /* the countdown on screen, s */
	double step_cpu_sum, draw_cpu_sum, start_wall;
	unsigned long nsteps_taken, ndraws;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rusage_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- where snapshots come from ------------------------------------------ */

static void parse_raw(const struct dash_loop *l, const struct raw_snapshot *r,
		      struct snapshot *s)
{
	snapshot_init(s);
	snapshot_from_raw(r, s);
	if (l->cfg->replay && l->cfg->ndevs)
		snapshot_keep_devices(s, l->cfg->devs, l->cfg->ndevs);
}

/* Appends one snapshot to --record FILE (opened by main during set-up),
 * so that what was on screen can be replayed. A write error ends the
 * dashboard; recfile_append has kept or removed what was written. */
static int record_raw(struct dash_loop *l, const struct raw_snapshot *r)
{
	size_t n;
	int rc;

	if (!l->cfg->record)
		return 0;
	rc = recfile_append(l->cfg->record, r, l->error, sizeof(l->error));
	if (rc <= 0)
		return rc;
	/* Full and stopped: said on the status line, the dashboard goes on. */
	n = strnlen(l->error, sizeof(l->message) - 1);
	memcpy(l->message, l->error, n);
	l->message[n] = '\0';
	l->error[0] = '\0';
	return 0;
}

/* The next snapshot into s: 0, 1 at the end of a recording, -1 fatal. */
static int take_snapshot(struct dash_loop *l, struct snapshot *s)
{
	if (l->cfg->replay) {
		if (l->pos + 1 >= l->nsnaps)
			return 1;
		parse_raw(l, &l->snaps[++l->pos], s);
		return 0;
	}
	raw_free(&l->last_raw);
	raw_init(&l->last_raw);
	collector_run(l->collector, &l->last_raw);
	parse_raw(l, &l->last_raw, s);
	return record_raw(l, &l->last_raw);
}

/* The first snapshot: the start of the totals and of the first interval. */
static int take_first(struct dash_loop *l)
{
	if (l->cfg->replay) {
		parse_raw(l, &l->snaps[0], &l->prev);
		parse_raw(l, &l->snaps[0], &l->base);
		l->have_prev = true;
		return 0;
	}
	l->collector = collector_new(&l->cc);
	collector_run(l->collector, &l->last_raw);
	parse_raw(l, &l->last_raw, &l->prev);
	parse_raw(l, &l->last_raw, &l->base);
	l->have_prev = true;
	return record_raw(l, &l->last_raw);
}

/* Totals restart from the snapshot on screen now, and the history
 * (all that piles up since start) from the next step. */
static void reset_totals(struct dash_loop *l)
{
	snapshot_free(&l->base);
	if (l->cfg->replay) {
		parse_raw(l, &l->snaps[l->pos], &l->base);
	} else {
		parse_raw(l, &l->last_raw, &l->base);
	}
	if (l->have_total)
		diagnosis_free(&l->total);
	l->have_total = false;
	diag_history_clear(&l->hist);
	snprintf(l->message, sizeof(l->message),
		 "counters since start and history reset");
}

/* ---- one step: snapshot, diagnoses -------------------------------------- */

static void replace_diagnoses(struct dash_loop *l, struct diagnosis *rate,
			      const struct snapshot *cur)
{
	if (l->have_rate)
		diagnosis_free(&l->rate);
	l->rate = *rate;
	l->have_rate = true;
	diag_history_add(&l->hist, &l->rate);
	if (l->have_total)
		diagnosis_free(&l->total);
	l->have_total = diagnose(&l->base, cur, &l->total) == 0;
	if (!l->have_total)
		diagnosis_free(&l->total);
}

/* Returns -1 on a fatal error, else 0. */
static int step(struct dash_loop *l)
{
	double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	struct snapshot cur;
	struct diagnosis rate;
	int rc = take_snapshot(l, &cur);

	l->next_due = clock_s(CLOCK_MONOTONIC) + l->interval;
	if (rc != 0) {
		if (rc > 0)
			l->st.at_end = true;
		return rc < 0 ? -1 : 0;
	}
	if (diagnose(&l->prev, &cur, &rate) == 0) {
		replace_diagnoses(l, &rate, &cur);
		snapshot_free(&l->prev);
		l->prev = cur;
		l->message[0] = '\0';
	} else {
		diagnosis_free(&rate);
		snapshot_free(&cur);
		snprintf(l->message, sizeof(l->message),
			 "a snapshot not later than the previous one was "
			 "skipped");
	}
	if (l->cfg->replay && l->pos + 1 >= l->nsnaps)
		l->st.at_end = true;
	l->step_cpu_sum += clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	l->nsteps_taken++;
	return 0;
}

/* ---- drawing ------------------------------------------------------------ */

/* Live, before the first interval ends: whole seconds left (shown as a
 * countdown); else -1. */
static double first_left(const struct dash_loop *l)
{
	double left = l->next_due - clock_s(CLOCK_MONOTONIC);

	if (l->have_rate || l->cfg->replay || l->paused)
		return -1;
	return left > 0 ? ceil(left) : 0;
}

static void fill_status(struct dash_loop *l)
{
	struct dash_status *st = &l->st;
	double draws = l->ndraws ? (double)l->ndraws : 1;
	double steps = l->nsteps_taken ? (double)l->nsteps_taken : 1;

	st->source = l->cfg->replay ? l->cfg->replay : "live";
	st->interval = l->interval;
	st->paused = l->paused;
	st->nsteps = l->cfg->replay ? l->nsnaps - 1 : 0;
	st->step = l->pos;
	st->cpu_draw_ms = 1000 * l->draw_cpu_sum / draws;
	st->cpu_refresh_ms = 1000 * l->step_cpu_sum / steps + st->cpu_draw_ms;
	st->cpu_total_s = rusage_cpu_s();
	st->wall_s = clock_s(CLOCK_MONOTONIC) - l->start_wall;
	st->message = l->message[0] ? l->message : NULL;
	st->host = l->have_prev ? l->prev.hostname : "";
	st->kernel = l->have_prev ? l->prev.kernel_release : "";
	st->first_left_s = first_left(l);
}

static void draw(struct dash_loop *l)
{
	double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	struct dash_canvas c;
	int w, h;

	fill_status(l);
	dash_term_size(&w, &h);
	dash_canvas_init(&c, w, h, l->cfg->ascii);
	dash_draw_hist(&c, l->have_rate ? &l->rate : NULL,
		       l->have_total ? &l->total : NULL, &l->hist, &l->view,
		       &l->st);
	dash_term_show(&c);
	dash_canvas_free(&c);
	l->shown_left = l->st.first_left_s;
	l->draw_cpu_sum += clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	l->ndraws++;
}

/* ---- keys --------------------------------------------------------------- */

static void set_interval(struct dash_loop *l, double iv)
{
	l->next_due += iv - l->interval;
	l->interval = iv;
	snprintf(l->message, sizeof(l->message), "interval %g s", iv);
}

/* Resuming a live run starts a fresh interval, so that the first rates
 * after a pause do not average over the pause. */
static int toggle_pause(struct dash_loop *l)
{
	l->paused = !l->paused;
	if (l->paused || l->cfg->replay)
		return 0;
	snapshot_free(&l->prev);
	if (take_snapshot(l, &l->prev) < 0)
		return -1;
	l->next_due = clock_s(CLOCK_MONOTONIC) + l->interval;
	return 0;
}

/* Returns 1 to quit, -1 on a fatal error, 0 to go on. */
static int act(struct dash_loop *l, enum dash_action a)
{
	switch (a) {
	case DA_QUIT:
		return 1;
	case DA_PAUSE:
		return toggle_pause(l);
	case DA_RESET:
		reset_totals(l);
		return 0;
	case DA_FASTER:
		set_interval(l, dash_interval_prev(l->interval));
		return 0;
	case DA_SLOWER:
		set_interval(l, dash_interval_next(l->interval));
		return 0;
	case DA_CYCLE_INTERVAL:
		set_interval(l, dash_interval_cycle(l->interval));
		return 0;
	case DA_STEP:
		return l->cfg->replay ? step(l) : 0;
	default:
		return 0;
	}
}

/* ---- the loop ----------------------------------------------------------- */

static bool due(const struct dash_loop *l)
{
	return !l->paused && !l->st.at_end &&
	       clock_s(CLOCK_MONOTONIC) >= l->next_due;
}

static int wait_ms(const struct dash_loop *l)
{
	double left = l->next_due - clock_s(CLOCK_MONOTONIC);
	int ms = (int)ceil(left * 1000);

	if (l->paused || l->st.at_end || ms > KEY_WAIT_MS)
		return KEY_WAIT_MS;
	return ms > 0 ? ms : 0;
}

/* Returns the exit status. */
static int run(struct dash_loop *l)
{
	bool redraw = true;

	if (take_first(l) < 0)
		return EXIT_FATAL;
	l->next_due = clock_s(CLOCK_MONOTONIC) + (l->cfg->replay ? 0 : l->interval);
	for (;;) {
		int key, rc, sig = dash_term_signal();

		if (sig)
			return 128 + sig;
		if (due(l)) {
			if (step(l) < 0)
				return EXIT_FATAL;
			redraw = true;
		}
		if (first_left(l) != l->shown_left)
			redraw = true;
		if (redraw)
			draw(l);
		key = dash_term_key(wait_ms(l));
		if (key == DK_NONE) {
			redraw = false;
			continue;
		}
		/* A note lasts until the next key. */
		l->message[0] = '\0';
		rc = act(l, dash_key(&l->view, key,
				     l->have_rate ? l->rate.ndevs : 0));
		if (rc)
			return rc > 0 ? 0 : EXIT_FATAL;
		redraw = true;
	}
}

/* ---- set-up and tear-down ----------------------------------------------- */

/* -i names a device neither end of the recording has: an error, as a
 * device that does not exist is live (the report checks the same two). */
static int check_replay_devices(const struct dash_loop *l)
{
	struct snapshot s[2];
	const char *missing;

	for (int i = 0; i < 2; i++) {
		snapshot_init(&s[i]);
		snapshot_from_raw(&l->snaps[i ? l->nsnaps - 1 : 0], &s[i]);
	}
	missing = snapshot_missing_device(s, 2, l->cfg->devs, l->cfg->ndevs);
	snapshot_free(&s[0]);
	snapshot_free(&s[1]);
	if (!missing)
		return 0;
	fprintf(stderr, "droptop: %s: no network device %s in the recording\n",
		l->cfg->replay, missing);
	return -1;
}

/* Everything that can fail before the terminal is taken over. */
static int open_feed(struct dash_loop *l)
{
	char err[512];

	if (l->cfg->replay) {
		if (recording_load(l->cfg->replay, &l->snaps, &l->nsnaps, err,
				   sizeof(err)) < 0) {
			fprintf(stderr, "droptop: %s\n", err);
			return -1;
		}
		if (l->nsnaps < 2) {
			fprintf(stderr, "droptop: %s: has %zu snapshot%s, the "
				"dashboard needs two\n", l->cfg->replay,
				l->nsnaps, l->nsnaps == 1 ? "" : "s");
			return -1;
		}
		if (l->cfg->ndevs && check_replay_devices(l) < 0)
			return -1;
	}
	return 0;
}

static void close_loop(struct dash_loop *l)
{
	if (l->have_rate)
		diagnosis_free(&l->rate);
	if (l->have_total)
		diagnosis_free(&l->total);
	snapshot_free(&l->base);
	snapshot_free(&l->prev);
	diag_history_free(&l->hist);
	raw_free(&l->last_raw);
	collector_free(l->collector);
	if (l->snaps)
		recording_free(l->snaps, l->nsnaps);
}

int dashboard_run(const struct dashboard_config *cfg)
{
	struct dash_loop l;
	bool ascii = cfg->ascii;
	struct dashboard_config c = *cfg;
	char err[256];
	int rc;

	memset(&l, 0, sizeof(l));
	l.cfg = &c;
	l.cc = (struct collect_config){
		.root = cfg->root, .devs = cfg->devs, .ndevs = cfg->ndevs,
		.follow_devices = cfg->follow_devices,
		.use_ethtool = cfg->root[0] == '\0',
		.use_sockdiag = cfg->root[0] == '\0',
		.use_netlink = cfg->root[0] == '\0',
		.receiver = cfg->receiver, .netns = cfg->netns,
		.reasons = cfg->reasons,
	};
	l.interval = cfg->interval;
	raw_init(&l.last_raw);
	snapshot_init(&l.base);
	snapshot_init(&l.prev);
	diag_history_init(&l.hist);
	dash_view_init(&l.view, cfg->all);
	l.start_wall = clock_s(CLOCK_MONOTONIC);
	if (open_feed(&l) < 0) {
		close_loop(&l);
		return EXIT_FATAL;
	}
	if (dash_term_open(cfg->color, &ascii, err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop: %s\n", err);
		close_loop(&l);
		return EXIT_FATAL;
	}
	c.ascii = ascii;
	rc = run(&l);
	dash_term_close();
	if (rc == EXIT_FATAL && l.error[0])
		fprintf(stderr, "droptop: %s\n", l.error);
	close_loop(&l);
	return rc;
}
