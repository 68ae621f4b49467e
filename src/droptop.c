/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop: where are received packets lost? Command line, modes, and the
 * collect → snapshot → diagnose → render pipeline of --report. The
 * dashboard's loop is in dashloop.c. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
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

static void usage(FILE *f)
{
	fputs("Usage: droptop [--report] [OPTION]...\n"
	      "Shows where received packets are lost on this host: NIC, softirq,\n"
	      "IP, UDP, socket or application. On a terminal it opens a live\n"
	      "dashboard (press h there for its keys); otherwise, or with\n"
	      "--report, it prints a report.\n"
	      "\n"
	      "  -r, --report            sample for -d seconds and print a report\n"
	      "  -d, --interval SECONDS  sampling interval, dashboard refresh (default 1)\n"
	      "  -i, --interface DEV     watch DEV (repeatable; default: all but lo)\n"
	      "  -a, --all               also show idle queues, CPUs and sockets\n"
	      "  -f, --format FORMAT     report format: text, json, prometheus or\n"
	      "                          svg (loss over time of --replay or --count;\n"
	      "                          default text)\n"
	      "      --max-loss PPS      exit 1 when total loss exceeds PPS\n"
	      "                          (with --count: in any interval)\n"
	      "  -c, --count N           a report per interval, N times (0: until\n"
	      "                          interrupted; with --replay, per recorded\n"
	      "                          interval, 0: all): text, one line each;\n"
	      "                          json, one object a line (NDJSON)\n"
	      "      --record FILE       write the raw snapshots taken to FILE\n"
	      "                          (a new file, mode 0600)\n"
	      "      --overwrite         let --record replace an existing file\n"
	      "                          (FILE.gz: gzip; replays read either)\n"
	      "      --record-limit SIZE a --record file is full at SIZE bytes of\n"
	      "                          text (K, M, G; default and most 256M)\n"
	      "      --record-keep N     rotate a full file to FILE.1 .. FILE.N\n"
	      "                          (default 0: the recording stops)\n"
	      "      --replay FILE       diagnose a recording instead of this host\n"
	      "      --root DIR          read /proc and /sys under DIR (for tests)\n"
	      "      --netns NAME        read network namespace NAME\n"
	      "                          (/run/netns/NAME), as 'ip netns exec'\n"
	      "      --no-color          dashboard without colours (also NO_COLOR=1)\n"
	      "      --ascii             dashboard bars in ASCII, not UTF-8 blocks\n"
	      "      --no-drop-reasons   do not count the kernel's drop reasons (BPF)\n"
	      "\n"
	      "Built-in receiver (the application stage):\n"
	      "      --receive [ADDR:]PORT  receive UDP on ADDR:PORT while sampling\n"
	      "                          (ADDR default 0.0.0.0; IPv6 as [ADDR]:PORT)\n"
	      "      --threads N         receiver threads (default 1)\n"
	      "      --batch N           datagrams per recvmmsg call (default 512)\n"
	      "      --no-reuseport      one socket shared by all threads\n"
	      "      --rcvbuf BYTES      SO_RCVBUF of each socket (K, M, G suffixes;\n"
	      "                          default 4M, capped by rmem_max without\n"
	      "                          CAP_NET_ADMIN)\n"
	      "      --busy-poll USEC    SO_BUSY_POLL of each socket\n"
	      "      --cpus LIST         pin thread i to the i-th CPU of LIST\n"
	      "      --join              share the port with sockets already on\n"
	      "                          it (their datagrams are split; warns)\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show the version and exit\n"
	      "\n"
	      "Exit status: 0 normal, 1 loss above --max-loss, 2 usage or fatal error.\n",
	      f);
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("droptop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'droptop --help'.\n", stderr);
	return EXIT_USAGE;
}

static bool parse_positive(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0)
		return false;
	*out = v;
	return true;
}

static void add_dev(struct options *o, const char *dev)
{
	o->devs = xrealloc(o->devs, (o->ndevs + 1) * sizeof(*o->devs));
	o->devs[o->ndevs++] = xstrdup(dev);
}

enum {
	OPT_MAX_LOSS = 256, OPT_RECORD, OPT_REPLAY, OPT_ROOT, OPT_NETNS,
	OPT_NO_COLOR, OPT_ASCII, OPT_NO_DROP_REASONS,
	OPT_OVERWRITE, OPT_RECORD_LIMIT, OPT_RECORD_KEEP,
	OPT_RX = 512 /* + enum receiver_opt */
};

static const struct option long_opts[] = {
	{ "report", no_argument, NULL, 'r' },
	{ "interval", required_argument, NULL, 'd' },
	{ "interface", required_argument, NULL, 'i' },
	{ "all", no_argument, NULL, 'a' },
	{ "format", required_argument, NULL, 'f' },
	{ "max-loss", required_argument, NULL, OPT_MAX_LOSS },
	{ "count", required_argument, NULL, 'c' },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
	{ "record-limit", required_argument, NULL, OPT_RECORD_LIMIT },
	{ "record-keep", required_argument, NULL, OPT_RECORD_KEEP },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "no-drop-reasons", no_argument, NULL, OPT_NO_DROP_REASONS },
	{ "receive", required_argument, NULL, OPT_RX + RXOPT_RECEIVE },
	{ "threads", required_argument, NULL, OPT_RX + RXOPT_THREADS },
	{ "batch", required_argument, NULL, OPT_RX + RXOPT_BATCH },
	{ "no-reuseport", no_argument, NULL, OPT_RX + RXOPT_NO_REUSEPORT },
	{ "rcvbuf", required_argument, NULL, OPT_RX + RXOPT_RCVBUF },
	{ "busy-poll", required_argument, NULL, OPT_RX + RXOPT_BUSY_POLL },
	{ "cpus", required_argument, NULL, OPT_RX + RXOPT_CPUS },
	{ "join", no_argument, NULL, OPT_RX + RXOPT_JOIN },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The receiver's options; --receive itself is the one that enables it. */
static int parse_rx_option(struct options *o, int c)
{
	enum receiver_opt opt = (enum receiver_opt)(c - OPT_RX);
	char err[256];

	if (receiver_config_set(&o->rx, opt, optarg, err, sizeof(err)) < 0)
		return usage_error("%s", err);
	if (opt == RXOPT_RECEIVE)
		o->receive = true;
	for (size_t i = 0; opt != RXOPT_RECEIVE && long_opts[i].name; i++)
		if (long_opts[i].val == c)
			o->rx_only = long_opts[i].name;
	return -1;
}

/* --count N: a whole number, 0 for no limit. */
static int parse_count(struct options *o, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || arg[0] == '+' ||
	    v > MAX_COUNT)
		return usage_error("invalid --count '%s' (a whole number of "
				   "intervals, 0 for no limit)", arg);
	o->count = v;
	o->have_count = true;
	o->report = true;
	return -1;
}

/* --record-limit SIZE, --record-keep N. A file is never larger than a
 * replay reads; the smallest limit still holds a few snapshots. */
static int parse_record_limit(struct options *o, int c)
{
	char err[256];
	uint64_t v;
	int rc;

	if (c == OPT_RECORD_LIMIT)
		rc = netopt_bytes("--record-limit", optarg, RECFILE_MIN_LIMIT,
				  RECORDING_MAX_BYTES, &v, err, sizeof(err));
	else
		rc = netopt_uint("--record-keep", optarg, 0, RECFILE_KEEP_MAX,
				 &v, err, sizeof(err));
	if (rc < 0)
		return usage_error("%s", err);
	if (c == OPT_RECORD_LIMIT)
		o->rec_lim.max_bytes = (size_t)v;
	else
		o->rec_lim.keep = (unsigned)v;
	o->rec_lim_given = true;
	return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_option(struct options *o, int c)
{
	if (c >= OPT_RX && c <= OPT_RX + RXOPT_JOIN)
		return parse_rx_option(o, c);
	switch (c) {
	case 'r':
		o->report = true;
		return -1;
	case 'd':
		if (!parse_positive(optarg, &o->interval) || o->interval <= 0 ||
		    o->interval > MAX_INTERVAL_S)
			return usage_error("invalid interval '%s' (seconds, more "
					   "than 0 and at most %d: one day)",
					   optarg, MAX_INTERVAL_S);
		return -1;
	case 'i':
		if (!*optarg || strlen(optarg) >= IF_NAMESIZE || strchr(optarg, '/'))
			return usage_error("invalid interface name '%s'", optarg);
		add_dev(o, optarg);
		return -1;
	case 'a':
		o->all = true;
		return -1;
	case 'f':
		if (strcmp(optarg, "text") == 0)
			o->format = FORMAT_TEXT;
		else if (strcmp(optarg, "json") == 0)
			o->format = FORMAT_JSON;
		else if (strcmp(optarg, "prometheus") == 0)
			o->format = FORMAT_PROM;
		else if (strcmp(optarg, "svg") == 0)
			o->format = FORMAT_SVG;
		else
			return usage_error("unknown format '%s' (text, json, "
					   "prometheus or svg)", optarg);
		o->report = true;
		return -1;
	case OPT_MAX_LOSS:
		if (!parse_positive(optarg, &o->max_loss))
			return usage_error("invalid --max-loss '%s' (packets/s)", optarg);
		o->have_max_loss = true;
		o->report = true;
		return -1;
	case 'c':
		return parse_count(o, optarg);
	case OPT_RECORD:
		o->record = optarg;
		return -1;
	case OPT_REPLAY:
		o->replay = optarg;
		return -1;
	case OPT_OVERWRITE:
		o->overwrite = true;
		return -1;
	case OPT_RECORD_LIMIT:
	case OPT_RECORD_KEEP:
		return parse_record_limit(o, c);
	case OPT_ROOT:
		o->root = optarg;
		return -1;
	case OPT_NETNS:
		if (!*optarg)
			return usage_error("%s", "--netns needs a namespace name");
		o->netns = optarg;
		return -1;
	case OPT_NO_COLOR:
		o->no_color = true;
		return -1;
	case OPT_NO_DROP_REASONS:
		o->no_drop_reasons = true;
		return -1;
	case OPT_ASCII:
		o->ascii = true;
		return -1;
	case 'h':
		usage(stdout);
		return 0;
	case 'V':
		printf("droptop %s\n", PACKAGE_VERSION);
		return 0;
	default:
		fputs("Try 'droptop --help'.\n", stderr);
		return EXIT_USAGE;
	}
}

static int parse_args(struct options *o, int argc, char **argv)
{
	int c, rc;

	o->interval = 1.0;
	o->root = "";
	o->rec_lim.max_bytes = RECORDING_MAX_BYTES;
	receiver_config_init(&o->rx);
	while ((c = getopt_long(argc, argv, "rd:i:af:c:hV", long_opts, NULL)) != -1) {
		rc = parse_option(o, c);
		if (rc >= 0)
			return rc;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o->record && o->replay)
		return usage_error("%s", "--record and --replay exclude each other");
	if (o->overwrite && !o->record)
		return usage_error("%s", "--overwrite needs --record");
	if (o->rec_lim_given && !o->record)
		return usage_error("%s", "--record-limit and --record-keep need "
				   "--record");
	if (o->netns && (o->replay || o->root[0]))
		return usage_error("%s", "--netns reads a live namespace: not with "
				   "--replay or --root");
	if (o->rx_only && !o->receive)
		return usage_error("--%s needs --receive", o->rx_only);
	if (o->receive && o->replay)
		return usage_error("%s", "--receive and --replay exclude each other");
	if (o->format == FORMAT_SVG && !o->replay && !o->have_count)
		return usage_error("%s", "--format svg draws loss over time: it "
				   "needs --count or --replay FILE");
	if (o->have_count && o->format == FORMAT_PROM)
		return usage_error("%s", "--count prints a report per interval: "
				   "not with --format prometheus, which "
				   "exposes one state (run it once per scrape)");
	return -1;
}

static void free_options(struct options *o)
{
	for (size_t i = 0; i < o->ndevs; i++)
		free(o->devs[i]);
	free(o->devs);
}

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
