/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop-send's command line. Kept apart from main() so that the
 * option edge cases are unit-tested. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "sender.h"

void sender_usage(FILE *f)
{
	fputs("Usage: droptop-send [OPTION]... ADDR:PORT...\n"
	      "Sends UDP datagrams with sendmmsg to each ADDR:PORT (IPv6 as\n"
	      "[ADDR]:PORT), for load tests of a receiver such as droptop --receive.\n"
	      "\n"
	      "  -t, --threads N          sending threads (default 1)\n"
	      "  -b, --batch N            datagrams per sendmmsg call (default 64, max 1024)\n"
	      "  -s, --size BYTES         UDP payload size (default 32, max 65507)\n"
	      "      --src-ports RANGE    source ports LO-HI shared out among the threads\n"
	      "                           (default: one ephemeral port per thread)\n"
	      "  -r, --rate PPS           total rate in packets/s (default: unlimited)\n"
	      "  -d, --duration SECONDS   stop after SECONDS (default 10; none with --count)\n"
	      "  -n, --count N            stop after N datagrams in all\n"
	      "      --cpus LIST          pin thread i to the i-th CPU of LIST\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\n"
	      "Prints the sent rate each second and the totals, with the errors the\n"
	      "kernel returned (EAGAIN, ECONNREFUSED, ENOBUFS, unreachable, other).\n"
	      "Exit status: 0 done, 1 a thread stopped on an error, 2 usage error.\n",
	      f);
}

enum { OPT_SRC_PORTS = 256, OPT_CPUS };

static const struct option long_opts[] = {
	{ "threads", required_argument, NULL, 't' },
	{ "batch", required_argument, NULL, 'b' },
	{ "size", required_argument, NULL, 's' },
	{ "src-ports", required_argument, NULL, OPT_SRC_PORTS },
	{ "rate", required_argument, NULL, 'r' },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'n' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int set_int(const char *what, const char *arg, uint64_t max, int *dst,
		   char *err, size_t errlen)
{
	uint64_t v;
	int rc = netopt_uint(what, arg, 1, max, &v, err, errlen);

	if (rc == 0)
		*dst = (int)v;
	return rc;
}

static int parse_number(struct sender_config *c, int opt, const char *arg,
			char *err, size_t errlen)
{
	uint64_t v;
	int rc;

	switch (opt) {
	case 't':
		return set_int("--threads", arg, SENDER_MAX_THREADS,
			       &c->threads, err, errlen);
	case 'b':
		return set_int("--batch", arg, SENDER_MAX_BATCH, &c->batch,
			       err, errlen);
	case 's':
		rc = netopt_uint("--size", arg, 0, SENDER_MAX_SIZE, &v, err,
				 errlen);
		c->size = rc ? c->size : (size_t)v;
		return rc;
	case 'r':
		return netopt_double("--rate", arg, SENDER_MAX_RATE, &c->rate,
				     err, errlen);
	case 'd':
		return netopt_double("--duration", arg, SENDER_MAX_DURATION,
				     &c->duration, err, errlen);
	case 'n':
		return netopt_uint("--count", arg, 1, UINT64_MAX / 2,
				   &c->count, err, errlen);
	}
	return -EINVAL;
}

static int parse_option(struct sender_config *c, int opt, const char *arg,
			char *err, size_t errlen)
{
	int rc;

	switch (opt) {
	case OPT_SRC_PORTS:
		c->have_src_ports = true;
		return netopt_range("--src-ports", arg, 1, 65535, &c->src_lo,
				    &c->src_hi, err, errlen);
	case OPT_CPUS:
		rc = netopt_cpus("--cpus", arg, c->cpus, err, errlen);
		c->have_cpus = rc > 0;
		return rc > 0 ? 0 : rc;
	case 'h':
		return SENDER_HELP;
	case 'V':
		return SENDER_VERSION;
	}
	return parse_number(c, opt, arg, err, errlen);
}

static int add_destination(struct sender_config *c, const char *arg,
			   char *err, size_t errlen)
{
	if (c->ndst == SENDER_MAX_DSTS) {
		snprintf(err, errlen, "at most %d destinations",
			 SENDER_MAX_DSTS);
		return -EINVAL;
	}
	return netopt_addr(arg, false, 1, &c->dst[c->ndst++], err, errlen);
}

/* Settings that are fine one by one but not together. */
static int check_config(struct sender_config *c, bool have_duration,
			char *err, size_t errlen)
{
	unsigned nports = c->src_hi - c->src_lo + 1;

	if (!c->ndst) {
		snprintf(err, errlen, "no destination ADDR:PORT given");
		return -EINVAL;
	}
	if (c->have_src_ports && nports < (unsigned)c->threads) {
		snprintf(err, errlen, "--src-ports: %u port%s for %d threads",
			 nports, nports == 1 ? "" : "s", c->threads);
		return -EINVAL;
	}
	if (!have_duration)
		c->duration = c->count ? 0 : SENDER_DEFAULT_DURATION;
	return SENDER_RUN;
}

int sender_parse_args(struct sender_config *c, int argc, char **argv,
		      char *err, size_t errlen)
{
	bool have_duration = false;
	int opt, rc;

	memset(c, 0, sizeof(*c));
	c->threads = 1;
	c->batch = SENDER_DEFAULT_BATCH;
	c->size = SENDER_DEFAULT_SIZE;
	optind = 0;     /* glibc: start afresh (the tests parse many times) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "t:b:s:r:d:n:hV", long_opts,
				  NULL)) != -1) {
		if (opt == '?') {
			snprintf(err, errlen, "unknown option or missing "
				 "value: '%s'", argv[optind - 1]);
			return -EINVAL;
		}
		rc = parse_option(c, opt, optarg, err, errlen);
		if (rc != 0)
			return rc;
		have_duration |= opt == 'd';
	}
	for (int i = optind; i < argc; i++) {
		rc = add_destination(c, argv[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	return check_config(c, have_duration, err, errlen);
}
