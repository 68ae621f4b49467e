/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop-send: the traffic generator. Threads send with sendmmsg to one
 * or more destinations, from distinct source ports (so that RSS and
 * SO_REUSEPORT hashing can spread the flows), at an optional total rate.
 * Errors the kernel returns are counted by kind, never hidden. */
#ifndef DROPTOP_SENDER_H
#define DROPTOP_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netopt.h"
#include "snapshot.h"

#define SENDER_MAX_DSTS 64
#define SENDER_MAX_THREADS 256
/* The kernel caps a sendmmsg vector at UIO_MAXIOV (1024) messages. */
#define SENDER_MAX_BATCH 1024
#define SENDER_DEFAULT_BATCH 64
#define SENDER_DEFAULT_SIZE 32
#define SENDER_DEFAULT_DURATION 10.0
/* The largest UDP payload over IPv4. */
#define SENDER_MAX_SIZE 65507
#define SENDER_MAX_RATE 1e8
#define SENDER_MAX_DURATION 1e6

struct sender_config {
	struct netaddr dst[SENDER_MAX_DSTS];
	size_t ndst;
	int threads;
	int batch;
	size_t size;
	bool have_src_ports;
	unsigned src_lo, src_hi;
	double rate;	 /* packets per second in all, 0: unlimited */
	double duration; /* seconds, 0: none (with count) */
	uint64_t count;	 /* datagrams in all, 0: no limit */
	bool have_cpus;
	uint64_t cpus[CPU_WORDS];
};

enum { SENDER_RUN, SENDER_HELP, SENDER_VERSION };

void sender_usage(FILE *f);
/* Parses the command line (getopt_long, from argv[1]). Returns
 * SENDER_RUN, SENDER_HELP or SENDER_VERSION, or -EINVAL with a message in
 * err. */
int sender_parse_args(struct sender_config *c, int argc, char **argv, char *err,
		      size_t errlen);

struct sender_totals {
	uint64_t sent;
	uint64_t bytes;
	uint64_t eagain;
	uint64_t econnrefused;
	uint64_t enobufs;
	uint64_t unreachable; /* ENETUNREACH, EHOSTUNREACH, ENETDOWN */
	uint64_t other;
	int fatal; /* errno that stopped a thread, or 0 */
};

struct sender;

/* Opens and connects the sockets and starts the threads. Returns 0, or a
 * negative errno with a message in err and nothing left running. */
int sender_start(const struct sender_config *c, struct sender **out, char *err,
		 size_t errlen);
/* The counters now, summed over the threads; safe while they run. */
void sender_read(const struct sender *s, struct sender_totals *t);
/* Every thread has finished (its share of --count is sent, or it hit a
 * fatal error). */
bool sender_done(const struct sender *s);
/* Stops and joins the threads; returns the seconds they ran. */
double sender_stop(struct sender *s);
void sender_free(struct sender *s);

#endif
