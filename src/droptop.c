/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop: where are received packets lost? Command line, modes, and the
 * collect → snapshot → diagnose → render pipeline of --report. The
 * dashboard's loop is in dashloop.c. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "countloop.h"
#include "dashboard.h"
#include "diagnose.h"
#include "dropreason.h"
#include "droptop_opts.h"
#include "netns.h"
#include "netopt.h"
#include "placement.h"
#include "privs.h"
#include "recfile.h"
#include "receiver.h"
#include "recording.h"
#include "report.h"
#include "sources_internal.h"
#include "timeline.h"
#include "util.h"

/* Sleeps for the interval, with a countdown on stderr when it is a tty.
 * Returns false if a signal interrupted the wait. */
static bool wait_interval(double seconds)
{
	bool tty = isatty(STDERR_FILENO);
	double left = seconds;

	while (left > 0 && !stop_requested) {
		double step = left > 0.25 ? 0.25 : left;
		struct timespec ts = {
			.tv_sec = (time_t)step,
			.tv_nsec = (long)((step - (double)(time_t)step) * 1e9),
		};

		if (tty)
			fprintf(stderr, "\rdroptop: sampling, %.1f s left ", left);
		nanosleep(&ts, NULL);
		left -= step;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	return !stop_requested;
}

static bool device_exists(const char *root, const char *dev)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s", root, dev);
	return stat(path, &st) == 0;
}

/* Fills the watched device list: the -i devices (which must exist), or
 * every device but loopback. */
static int choose_devices(struct options *o)
{
	char **names;
	size_t n;
	int rc;

	if (o->ndevs) {
		for (size_t i = 0; i < o->ndevs; i++)
			if (!device_exists(o->root, o->devs[i])) {
				fprintf(stderr, "droptop: %s: no such network device\n",
					o->devs[i]);
				return -ENODEV;
			}
		return 0;
	}
	rc = sysfs_list_devices(o->root, &names, &n);
	if (rc < 0) {
		fprintf(stderr, "droptop: %s/sys/class/net: %s\n", o->root,
			strerror(-rc));
		return rc;
	}
	o->devs = names;
	o->ndevs = n;
	o->follow_devices = true;
	return 0;
}

/* Appends a snapshot to --record FILE. A write error is reported once;
 * the report of what was sampled is still printed (exit status 2). */
static void record_snapshot(struct options *o, const struct raw_snapshot *r)
{
	char err[512];
	int rc;

	if (!o->rec_open || o->rec_failed)
		return;
	rc = recfile_append(&o->rec, r, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "droptop: %s\n", err);
	if (rc < 0)
		o->rec_failed = true;
}

/* Takes two live snapshots o->interval apart. */
static int sample_live(struct options *o, struct raw_snapshot raw[2])
{
	struct collect_config cc = {
		.root = o->root, .devs = o->devs, .ndevs = o->ndevs,
		.use_ethtool = o->root[0] == '\0',
		.use_sockdiag = o->root[0] == '\0',
		.use_netlink = o->root[0] == '\0',
		.receiver = o->receiver, .netns = o->netns,
		.reasons = o->reasons,
	};
	struct collector *col;

	if (choose_devices(o) < 0)
		return EXIT_USAGE;
	cc.devs = o->devs;
	cc.ndevs = o->ndevs;
	cc.follow_devices = o->follow_devices;
	col = collector_new(&cc);
	collector_run(col, &raw[0]);
	record_snapshot(o, &raw[0]);
	/* Interrupted, the second snapshot is still taken: the report then
	 * covers the time sampled so far and is flagged (run_report). */
	wait_interval(o->interval);
	collector_run(col, &raw[1]);
	collector_free(col);
	record_snapshot(o, &raw[1]);
	return -1;
}

/* Loads a recording; its first and last snapshots are compared, and
 * each of its intervals is a point of the timeline. */
static int sample_replay(struct options *o, struct raw_snapshot raw[2])
{
	struct raw_snapshot *snaps;
	char err[512];
	size_t n;
	int rc = recording_load(o->replay, &snaps, &n, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "droptop: %s\n", err);
	if (rc < 0)
		return EXIT_USAGE;
	if (n < 2) {
		fprintf(stderr, "droptop: %s: has %zu snapshot%s, a report needs two\n",
			o->replay, n, n == 1 ? "" : "s");
		recording_free(snaps, n);
		return EXIT_USAGE;
	}
	if (n > 2 || o->format == FORMAT_SVG) {
		timeline_init(&o->timeline, TIMELINE_MAX_POINTS);
		timeline_build(snaps, n, o->devs, o->ndevs, &o->timeline);
		o->have_timeline = true;
	}
	raw[0] = snaps[0];
	raw[1] = snaps[n - 1];
	for (size_t i = 1; i + 1 < n; i++)
		raw_free(&snaps[i]);
	free(snaps);
	return -1;
}

static int render(const struct diagnosis *d, const struct options *o)
{
	struct report_options ro = {
		.all = o->all, .source = o->replay ? o->replay : "live",
		.devs = o->devs, .ndevs = o->ndevs,
		.timeline = o->have_timeline ? &o->timeline : NULL,
	};
	struct strbuf sb;

	sb_init(&sb);
	if (o->format == FORMAT_JSON)
		report_json(d, &ro, &sb);
	else if (o->format == FORMAT_PROM)
		report_prom(d, &ro, &sb);
	else if (o->format == FORMAT_SVG)
		report_svg(d, &ro, &sb);
	else
		report_text(d, &ro, &sb);
	fwrite(sb.s, 1, sb.len, stdout);
	sb_free(&sb);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "droptop: writing the report: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

/* A report cut short by SIGINT or SIGTERM is printed (its figures are
 * per second of the time actually sampled), then flagged on stderr and by
 * exit status 130, so a script never takes it for a full interval. */
static int flag_partial(int rc, const struct snapshot *a,
			const struct snapshot *b, double interval)
{
	fprintf(stderr, "droptop: interrupted: the report covers %.3f s of "
		"the %.3f s interval\n", b->monotonic - a->monotonic, interval);
	return rc == 0 || rc == EXIT_LOSS ? 130 : rc;
}

/* The exit status alone would leave a script's log silent: one line with
 * the loss, the limit and the stage losing the most. */
static int loss_above_limit(const struct diagnosis *d, const struct options *o)
{
	fprintf(stderr, "droptop: loss %.0f pkt/s above --max-loss %g "
		"(worst stage: %s)\n", d->total_lost_pps.v, o->max_loss,
		stage_name(d->verdict.stage));
	return EXIT_LOSS;
}

/* -i with --replay keeps the named devices of the recording; one it does
 * not have is an error, as a device that does not exist is live. */
static int replay_keep_devices(const char *file, struct snapshot snap[2],
			       char *const *devs, size_t ndevs)
{
	const char *missing = snapshot_missing_device(snap, 2, devs, ndevs);

	if (missing) {
		fprintf(stderr, "droptop: %s: no network device %s in the "
			"recording\n", file, missing);
		return -ENODEV;
	}
	for (int i = 0; i < 2; i++)
		snapshot_keep_devices(&snap[i], devs, ndevs);
	return 0;
}

static int run_report(struct options *o)
{
	struct raw_snapshot raw[2];
	struct snapshot snap[2];
	struct diagnosis d;
	int rc;

	raw_init(&raw[0]);
	raw_init(&raw[1]);
	rc = o->replay ? sample_replay(o, raw) : sample_live(o, raw);
	if (rc >= 0) {
		raw_free(&raw[0]);
		raw_free(&raw[1]);
		return rc;
	}
	for (int i = 0; i < 2; i++) {
		snapshot_init(&snap[i]);
		snapshot_from_raw(&raw[i], &snap[i]);
		raw_free(&raw[i]);
	}
	if (o->replay && o->ndevs &&
	    replay_keep_devices(o->replay, snap, o->devs, o->ndevs) < 0) {
		snapshot_free(&snap[0]);
		snapshot_free(&snap[1]);
		return EXIT_USAGE;
	}
	if (diagnose(&snap[0], &snap[1], &d) < 0) {
		fputs("droptop: the second snapshot is not later than the first\n",
		      stderr);
		rc = EXIT_USAGE;
	} else {
		rc = render(&d, o);
		if (rc == 0 && o->have_max_loss && d.total_lost_pps.known &&
		    d.total_lost_pps.v > o->max_loss)
			rc = loss_above_limit(&d, o);
	}
	if (o->rec_failed)
		rc = EXIT_USAGE;
	if (stop_requested && !o->replay)
		rc = flag_partial(rc, &snap[0], &snap[1], o->interval);
	diagnosis_free(&d);
	snapshot_free(&snap[0]);
	snapshot_free(&snap[1]);
	return rc;
}

/* --count: the loop and its renderers are in countloop.c. */
static int run_count(struct options *o)
{
	struct count_config c = {
		.count = o->count, .interval = o->interval,
		.json = o->format == FORMAT_JSON, .all = o->all,
		.svg = o->format == FORMAT_SVG,
		.have_max_loss = o->have_max_loss, .max_loss = o->max_loss,
		.cc = {
			.root = o->root,
			.use_ethtool = o->root[0] == '\0',
			.use_sockdiag = o->root[0] == '\0',
			.use_netlink = o->root[0] == '\0',
			.receiver = o->receiver, .netns = o->netns,
			.reasons = o->reasons,
		},
		.record = o->rec_open ? &o->rec : NULL,
		.replay = o->replay, .interrupted = &stop_requested,
	};

	if (!o->replay && choose_devices(o) < 0)
		return EXIT_USAGE;
	c.cc.devs = o->devs;
	c.cc.ndevs = o->ndevs;
	c.devs = o->devs;
	c.ndevs = o->ndevs;
	return count_run(&c);
}

/* NO_COLOR (https://no-color.org): set and not empty means no colour. */
static bool no_color_env(void)
{
	const char *v = getenv("NO_COLOR");

	return v && v[0];
}

static int enter_netns(const struct options *o)
{
	char err[512];

	if (netns_enter(o->netns, err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop: %s\n", err);
		return -1;
	}
	return 0;
}

/* The dashboard is for a person at a terminal: both ends must be one, and
 * nothing asked for a report. */
static bool want_dashboard(const struct options *o)
{
	return !o->report && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static int run_dashboard(struct options *o)
{
	struct dashboard_config c = {
		.interval = o->interval, .root = o->root, .replay = o->replay,
		.record = o->rec_open ? &o->rec : NULL, .all = o->all,
		.color = !o->no_color && !no_color_env(), .ascii = o->ascii,
		.receiver = o->receiver, .netns = o->netns,
		.reasons = o->reasons,
	};

	if (!o->replay && choose_devices(o) < 0)
		return EXIT_USAGE;
	c.devs = o->devs;
	c.ndevs = o->ndevs;
	c.follow_devices = o->follow_devices;
	return dashboard_run(&c);
}

/* Default placement: from one snapshot of the watched devices. A
 * loopback receiver's traffic meets no NIC, so it is not placed. */
static bool plan_placement(struct options *o, uint64_t *place)
{
	struct collect_config cc = {
		.root = o->root, .devs = o->devs, .ndevs = o->ndevs,
		.use_ethtool = o->root[0] == '\0',
	};
	uint64_t allowed[CPU_WORDS], node[CPU_WORDS];
	const struct device *nic;
	struct raw_snapshot raw;
	struct snapshot s;
	struct placement p;
	struct strbuf sb;

	if (o->rx.have_cpus || netaddr_is_loopback(&o->rx.addr))
		return false;
	raw_init(&raw);
	collect_live(&cc, &raw);
	snapshot_init(&s);
	snapshot_from_raw(&raw, &s);
	raw_free(&raw);
	placement_allowed_cpus(allowed);
	nic = placement_nic(&s);
	placement_plan(&s, allowed, nic && placement_node_cpus(nic->numa_node,
							       node)
					    ? node : NULL, &p);
	snapshot_free(&s);
	sb_init(&sb);
	placement_describe(&p, &sb);
	fprintf(stderr, "droptop: %s", sb.s);
	sb_free(&sb);
	memcpy(place, p.cpus, sizeof(p.cpus));
	return p.constrained;
}

/* Returns -1 when the receiver runs, or an exit status. */
static int start_receiver(struct options *o)
{
	uint64_t place[CPU_WORDS];
	struct strbuf sb;
	char err[512];
	bool placed;

	if (choose_devices(o) < 0)
		return EXIT_USAGE;
	placed = plan_placement(o, place);
	if (receiver_start(&o->rx, placed ? place : NULL, &o->receiver, err,
			   sizeof(err)) < 0) {
		fprintf(stderr, "droptop: receiver: %s\n", err);
		return EXIT_USAGE;
	}
	sb_init(&sb);
	receiver_describe(o->receiver, &sb);
	for (const char *p = sb.s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		fprintf(stderr, "droptop: %.*s\n", (int)(nl - p), p);
	}
	sb_free(&sb);
	return -1;
}

static void stop_receiver(struct options *o)
{
	struct strbuf sb;

	if (!o->receiver)
		return;
	receiver_stop(o->receiver);
	sb_init(&sb);
	receiver_totals(o->receiver, &sb);
	fprintf(stderr, "droptop: %s", sb.s);
	sb_free(&sb);
	receiver_free(o->receiver);
	o->receiver = NULL;
}

/* Created during set-up, while droptop may still write anywhere. */
static int open_record(struct options *o)
{
	char err[512];

	if (recfile_open_limited(&o->rec, o->record, o->overwrite, &o->rec_lim,
				 err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop: --record %s\n", err);
		return EXIT_USAGE;
	}
	o->rec_open = true;
	return -1;
}

static int close_record(struct options *o)
{
	char err[512];

	if (!o->rec_open)
		return 0;
	o->rec_open = false;
	if (recfile_close(&o->rec, err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop: %s\n", err);
		return -1;
	}
	return 0;
}

/* A replay needs no privilege at all; a live refresh only what privs.c
 * lists. Refusing to go on is safer than running with more than that. */
static int drop_privileges(const struct options *o)
{
	char err[512];

	if (privs_drop(!o->replay, err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop: %s\n", err);
		return EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = parse_args(&o, argc, argv);
	/* Before any socket or file of the sources is opened, in either mode. */
	if (rc < 0 && o.netns && enter_netns(&o) < 0)
		rc = EXIT_USAGE;
	/* Loaded and attached while droptop still has its privileges; it
	 * counts the namespace entered above. Live runs only. */
	if (rc < 0 && !o.replay && !o.root[0])
		o.reasons = drop_reasons_open(!o.no_drop_reasons);
	/* The receiver runs alongside either mode, as its application. */
	if (rc < 0 && o.receive)
		rc = start_receiver(&o);
	if (rc < 0 && o.record)
		rc = open_record(&o);
	/* nf_tables answers only with CAP_NET_ADMIN: its events socket and a
	 * first dump are opened here. */
	if (rc < 0 && !o.replay && !o.root[0])
		collect_prepare("");
	/* Set-up is done: anything that needs a privilege goes above. */
	if (rc < 0)
		rc = drop_privileges(&o);
	if (rc < 0 && want_dashboard(&o)) {
		rc = run_dashboard(&o);
	} else if (rc < 0) {
		stop_on_signals();
		rc = o.have_count ? run_count(&o) : run_report(&o);
	}
	stop_receiver(&o);
	if (close_record(&o) < 0 && (rc == 0 || rc == EXIT_LOSS))
		rc = EXIT_USAGE;
	drop_reasons_close(o.reasons);
	timeline_free(&o.timeline);
	free_options(&o);
	return rc;
}
