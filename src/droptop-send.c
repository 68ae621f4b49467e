/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop-send: a UDP traffic generator for droptop's load tests (see
 * droptop-send(8)). main() only parses, starts, reports each second and
 * prints the totals; the threads live in sender.c. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sender.h"
#include "util.h"

#define EXIT_FATAL 1
#define EXIT_USAGE 2

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_errors(const struct sender_totals *t)
{
	printf("EAGAIN %llu ECONNREFUSED %llu ENOBUFS %llu unreachable %llu "
	       "other %llu\n",
	       (unsigned long long)t->eagain,
	       (unsigned long long)t->econnrefused,
	       (unsigned long long)t->enobufs,
	       (unsigned long long)t->unreachable,
	       (unsigned long long)t->other);
}

/* One line per second: the rate over that second and the errors so far. */
static void print_second(double t, const struct sender_totals *now,
			 uint64_t prev_sent, double dt)
{
	printf("%6.1f s  %10.0f pkt/s  ", t,
	       dt > 0 ? (double)(now->sent - prev_sent) / dt : 0.0);
	print_errors(now);
	fflush(stdout);
}

/* Waits for the end (the threads keep --duration and --count) or a
 * signal, printing each second. */
static void run(struct sender *s)
{
	double start = mono(), last = start;
	struct sender_totals tot;
	uint64_t prev = 0;

	while (!stop_requested && !sender_done(s)) {
		double now = mono();
		struct timespec ts = {0, 20000000};

		if (now - last >= 1.0) {
			sender_read(s, &tot);
			print_second(now - start, &tot, prev, now - last);
			prev = tot.sent;
			last = now;
		}
		nanosleep(&ts, NULL);
	}
}

static int finish(struct sender *s)
{
	struct sender_totals t;
	double secs = sender_stop(s);

	sender_read(s, &t);
	printf("total: sent %llu packets %llu bytes in %.3f s, %.0f pkt/s; ",
	       (unsigned long long)t.sent, (unsigned long long)t.bytes, secs,
	       secs > 0 ? (double)t.sent / secs : 0.0);
	print_errors(&t);
	if (t.fatal) {
		fprintf(stderr, "droptop-send: a thread stopped: %s\n",
			strerror(t.fatal));
		return EXIT_FATAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sender_config c;
	struct sender *s;
	char err[512];
	int rc;

	rc = sender_parse_args(&c, argc, argv, err, sizeof(err));
	if (rc == SENDER_HELP) {
		sender_usage(stdout);
		return 0;
	}
	if (rc == SENDER_VERSION) {
		printf("droptop-send %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr,
			"droptop-send: %s\nTry 'droptop-send --help'.\n", err);
		return EXIT_USAGE;
	}
	stop_on_signals();
	if (sender_start(&c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "droptop-send: %s\n", err);
		return EXIT_USAGE;
	}
	run(s);
	rc = finish(s);
	sender_free(s);
	return rc;
}
