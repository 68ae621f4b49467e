/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop's command line: the options, their parsing and checks
 * (droptop_opts.c), and the state of a run they set up (droptop.c). */
#ifndef DROPTOP_OPTS_H
#define DROPTOP_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dropreason.h"
#include "recfile.h"
#include "receiver.h"
#include "timeline.h"

#define EXIT_LOSS 1
#define EXIT_USAGE 2
#define MAX_INTERVAL_S 86400
#define MAX_COUNT 1000000000UL

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROM, FORMAT_SVG };

struct options {
	double interval;
	char **devs;
	size_t ndevs;
	bool follow_devices;       /* no -i: devs is every device, listed anew */
	bool all;
	enum format format;
	bool have_max_loss;
	double max_loss;
	const char *record;
	bool overwrite;            /* --overwrite: --record may replace a file */
	struct recfile_limits rec_lim; /* --record-limit, --record-keep */
	bool rec_lim_given;
	struct recfile rec;        /* open from set-up to the end */
	bool rec_open;
	bool rec_failed;           /* a write failed: reported, exit status 2 */
	const char *replay;
	struct timeline timeline;  /* of the replayed intervals, */
	bool have_timeline;        /* built for > 2 snapshots or svg */
	const char *root;
	const char *netns;
	bool report;      /* --report, or implied by --format / --max-loss /
			   * --count */
	bool have_count;           /* --count N: a report per interval */
	unsigned long count;
	bool no_color;
	bool ascii;
	bool no_drop_reasons;      /* --no-drop-reasons */
	struct drop_reasons *reasons; /* counting, or why not (live only) */
	bool receive;              /* --receive given */
	const char *rx_only;       /* a receiver option seen, for the check */
	struct receiver_config rx;
	struct receiver *receiver; /* running while the report samples */
};

/* Parses argv into o (zeroed by the caller): -1 to go on, otherwise the
 * exit status (0 after --help or --version, EXIT_USAGE with a message). */
int parse_args(struct options *o, int argc, char **argv);
void free_options(struct options *o);

#endif
