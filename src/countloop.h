/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --count N: one report per interval, live or through a recording. */
#ifndef DROPTOP_COUNTLOOP_H
#define DROPTOP_COUNTLOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "collect.h"
#include "recfile.h"

struct count_config {
	unsigned long count;   /* intervals; 0: until a signal, or all of a
				* recording */
	double interval;       /* live: seconds between snapshots */
	bool json;             /* NDJSON, else the text line */
	bool svg;              /* one SVG of every interval, at the end */
	bool all;              /* --all, for the JSON's source key only */
	bool have_max_loss;
	double max_loss;
	/* live */
	struct collect_config cc;
	struct recfile *record;      /* --record, or NULL */
	/* replay */
	const char *replay;          /* the file, or NULL for live */
	char *const *devs;           /* -i with --replay: devices kept */
	size_t ndevs;
	volatile sig_atomic_t *interrupted; /* set by SIGINT, SIGTERM */
};

/* Prints the reports; returns the exit status: 0, 1 when an interval's
 * loss was above max_loss, 2 on an error, 130 when a signal ended a run
 * of a given count early. */
int count_run(const struct count_config *c);

#endif
