/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop's command line: --help, each option's parsing and the checks
 * between options. What a run does with them is in droptop.c. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "droptop_opts.h"
#include "netopt.h"
#include "recording.h"
#include "util.h"

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

int parse_args(struct options *o, int argc, char **argv)
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

void free_options(struct options *o)
{
	for (size_t i = 0; i < o->ndevs; i++)
		free(o->devs[i]);
	free(o->devs);
}
