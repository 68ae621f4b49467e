/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --count N: collect (or step through a recording) → snapshot → diagnose
 * → print, once per interval, as vmstat does. Each line is
 * diagnose(previous, new); the renderers are report_line.c and the JSON
 * report on one line. Two snapshots are kept at a time, whatever N. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "countloop.h"
#include "diagnose.h"
#include "recording.h"
#include "report.h"
#include "sources.h"
#include "timeline.h"
#include "util.h"

#define EXIT_LOSS 1
#define EXIT_FATAL 2
#define EXIT_INTERRUPTED 130
#define HEADER_EVERY 20        /* lines between headings off a terminal */
#define WAIT_STEP_S 0.25       /* the longest a signal waits to be seen */

struct count_loop {
	const struct count_config *c;
	struct report_options ro;
	unsigned long done;         /* intervals printed */
	unsigned long header_every;
	unsigned long over;         /* intervals with loss above max_loss */
	double worst;               /* the largest of those losses */
	int worst_stage;
	bool failed;                /* an error: exit status 2 */
	bool rec_failed;            /* --record failed once (reported) */
	struct timeline tl;         /* svg: every interval, drawn at the end */
	struct diagnosis last;      /* svg: the last interval (host, devices) */
	bool have_last;
};

static bool stop_asked(const struct count_loop *l)
{
	return *l->c->interrupted != 0;
}

static bool count_reached(const struct count_loop *l)
{
	return l->c->count && l->done >= l->c->count;
}

/* A heading every screenful on a terminal (as vmstat), else every 20. */
static unsigned long lines_per_header(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 2)
		return ws.ws_row - 1;
	return HEADER_EVERY;
}

static void note_loss(struct count_loop *l, const struct diagnosis *d)
{
	if (!l->c->have_max_loss || !d->total_lost_pps.known ||
	    d->total_lost_pps.v <= l->c->max_loss)
		return;
	if (l->over++ == 0 || d->total_lost_pps.v > l->worst) {
		l->worst = d->total_lost_pps.v;
		l->worst_stage = d->verdict.stage;
	}
}

/* Writes out (and frees) a rendered report, flushed at once: a reader of
 * a pipe sees each line as it is made. */
static int write_out(struct strbuf *sb)
{
	fwrite(sb->s, 1, sb->len, stdout);
	sb_free(sb);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "droptop: writing the report: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Prints one interval's report (svg: keeps it for the drawing). */
static int emit(struct count_loop *l, const struct diagnosis *d)
{
	struct strbuf sb;
	int rc;

	if (l->c->svg) {
		timeline_add(&l->tl, d);
		l->done++;
		note_loss(l, d);
		return 0;
	}
	sb_init(&sb);
	if (l->c->json) {
		report_json(d, &l->ro, &sb);
	} else {
		if (l->done % l->header_every == 0)
			report_line_header(&sb);
		report_line(d, &sb);
	}
	rc = write_out(&sb);
	l->done++;
	note_loss(l, d);
	return rc;
}

/* One interval: diagnose(prev, cur) and print it. */
static int step(struct count_loop *l, const struct snapshot *prev,
		const struct snapshot *cur)
{
	struct diagnosis d;
	int rc = -1;

	if (diagnose(prev, cur, &d) < 0)
		fprintf(stderr, "droptop: %s: a snapshot is not later than the "
			"one before (interval %lu)\n", l->ro.source, l->done + 1);
	else
		rc = emit(l, &d);
	if (rc == 0 && l->c->svg) {   /* kept for the drawing's title */
		if (l->have_last)
			diagnosis_free(&l->last);
		l->last = d;
		l->have_last = true;
		return 0;
	}
	diagnosis_free(&d);
	return rc;
}

/* --format svg: one drawing of every interval, once the loop ends. */
static int draw_svg(struct count_loop *l)
{
	struct strbuf sb;

	if (!l->have_last)
		return 0;
	l->ro.timeline = &l->tl;
	sb_init(&sb);
	report_svg(&l->last, &l->ro, &sb);
	return write_out(&sb);
}

/* -i with --replay: as in a single report, a device that neither snapshot
 * of the interval has is an error; the others are left out of both. */
static int keep_devices(struct count_loop *l, struct snapshot *prev,
			struct snapshot *cur)
{
	const struct count_config *c = l->c;
	struct snapshot pair[2] = { *prev, *cur }; /* read only */
	const char *missing;

	if (!c->ndevs)
		return 0;
	missing = snapshot_missing_device(pair, 2, c->devs, c->ndevs);
	if (missing) {
		fprintf(stderr, "droptop: %s: no network device %s in the "
			"recording\n", c->replay, missing);
		return -1;
	}
	snapshot_keep_devices(prev, c->devs, c->ndevs);
	snapshot_keep_devices(cur, c->devs, c->ndevs);
	return 0;
}

/* Snapshot i of the recording into s (freed first). */
static void load_snapshot(struct snapshot *s, const struct raw_snapshot *r)
{
	snapshot_free(s);
	snapshot_init(s);
	snapshot_from_raw(r, s);
}

/* One report per pair of consecutive snapshots: count of them, or all. */
static int run_replay(struct count_loop *l)
{
	struct raw_snapshot *raws;
	struct snapshot snap[2];
	char err[512];
	size_t n, i;
	int rc = recording_load(l->c->replay, &raws, &n, err, sizeof(err));

	if (rc != 0)    /* an error, or a warning: a file cut short */
		fprintf(stderr, "droptop: %s\n", err);
	if (rc < 0)
		return -1;
	if (n < 2) {
		fprintf(stderr, "droptop: %s: has %zu snapshot%s, a report needs "
			"two\n", l->c->replay, n, n == 1 ? "" : "s");
		recording_free(raws, n);
		return -1;
	}
	snapshot_init(&snap[0]);
	snapshot_init(&snap[1]);
	load_snapshot(&snap[0], &raws[0]);
	for (i = 1; i < n && !count_reached(l) && !stop_asked(l); i++) {
		struct snapshot *prev = &snap[(i - 1) & 1], *cur = &snap[i & 1];

		load_snapshot(cur, &raws[i]);
		if (keep_devices(l, prev, cur) < 0 || step(l, prev, cur) < 0) {
			l->failed = true;
			break;
		}
	}
	if (!l->failed && l->c->count && l->done < l->c->count && !stop_asked(l))
		fprintf(stderr, "droptop: %s: has %zu interval%s, not the %lu "
			"asked for\n", l->c->replay, n - 1, n == 2 ? "" : "s",
			l->c->count);
	snapshot_free(&snap[0]);
	snapshot_free(&snap[1]);
	recording_free(raws, n);
	return l->failed ? -1 : 0;
}

static double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps until the monotonic time due; false if a signal came first. */
static bool wait_until(const struct count_loop *l, double due)
{
	for (double left; !stop_asked(l) && (left = due - monotonic_s()) > 0;) {
		double s = left > WAIT_STEP_S ? WAIT_STEP_S : left;
		struct timespec ts = {
			.tv_sec = (time_t)s,
			.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
		};

		nanosleep(&ts, NULL);
	}
	return !stop_asked(l);
}

/* Takes a snapshot into s and appends it to --record at once: the file
 * is written with write(2), so a run killed later keeps it. */
static void take(struct count_loop *l, struct collector *col,
		 struct snapshot *s)
{
	struct raw_snapshot raw;
	char err[512];

	raw_init(&raw);
	collector_run(col, &raw);
	if (l->c->record && !l->rec_failed) {
		int rc = recfile_append(l->c->record, &raw, err, sizeof(err));

		if (rc != 0)    /* an error, or the note that the file is full */
			fprintf(stderr, "droptop: %s\n", err);
		if (rc < 0)
			l->rec_failed = true;
	}
	snapshot_free(s);
	snapshot_init(s);
	snapshot_from_raw(&raw, s);
	raw_free(&raw);
}

/* Intervals are counted from the first snapshot, so the lines keep to the
 * clock however long collecting takes (a late one starts afresh). */
static int run_live(struct count_loop *l)
{
	struct collector *col = collector_new(&l->c->cc);
	struct snapshot snap[2];
	double due;
	int rc = 0;

	snapshot_init(&snap[0]);
	snapshot_init(&snap[1]);
	take(l, col, &snap[0]);
	due = monotonic_s() + l->c->interval;
	for (unsigned long i = 1; !count_reached(l); i++) {
		if (!wait_until(l, due))
			break;
		take(l, col, &snap[i & 1]);
		due += l->c->interval;
		if (due < monotonic_s())
			due = monotonic_s() + l->c->interval;
		rc = step(l, &snap[(i - 1) & 1], &snap[i & 1]);
		if (rc < 0)
			break;
	}
	collector_free(col);
	snapshot_free(&snap[0]);
	snapshot_free(&snap[1]);
	return rc;
}

/* The exit status alone would leave a script's log silent. */
static int loss_above_limit(const struct count_loop *l)
{
	fprintf(stderr, "droptop: loss above --max-loss %g in %lu of %lu "
		"interval%s (worst %.0f pkt/s, stage %s)\n", l->c->max_loss,
		l->over, l->done, l->done == 1 ? "" : "s", l->worst,
		stage_name(l->worst_stage));
	return EXIT_LOSS;
}

/* A signal ends a run of count 0 (live) as asked; any other run it cuts
 * short is flagged, as a single report cut short is. */
static int exit_status(const struct count_loop *l)
{
	bool cut = stop_asked(l) && (l->c->count ? l->done < l->c->count
						  : l->c->replay != NULL);

	if (l->failed || l->rec_failed)
		return EXIT_FATAL;
	if (cut) {
		fprintf(stderr, "droptop: interrupted after %lu interval%s\n",
			l->done, l->done == 1 ? "" : "s");
		return EXIT_INTERRUPTED;
	}
	return l->over ? loss_above_limit(l) : 0;
}

int count_run(const struct count_config *c)
{
	struct count_loop l = {
		.c = c,
		.ro = {
			.all = c->all, .source = c->replay ? c->replay : "live",
			.devs = c->devs, .ndevs = c->ndevs, .one_line = true,
		},
		.header_every = lines_per_header(),
	};

	int status;

	if (c->svg)
		timeline_init(&l.tl, TIMELINE_MAX_POINTS);
	if ((c->replay ? run_replay(&l) : run_live(&l)) < 0)
		l.failed = true;
	if (c->svg && draw_svg(&l) < 0)
		l.failed = true;
	status = exit_status(&l);
	if (l.have_last)
		diagnosis_free(&l.last);
	if (c->svg)
		timeline_free(&l.tl);
	return status;
}
