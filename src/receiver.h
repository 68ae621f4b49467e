/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop's built-in UDP receiver (--receive): threads reading with
 * recvmmsg, one SO_REUSEPORT socket each (or one shared socket), with
 * per-thread counters that the `receiver` source reads while they run.
 * The report and the dashboard start and stop it through this API. */
#ifndef DROPTOP_RECEIVER_H
#define DROPTOP_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netopt.h"
#include "snapshot.h"
#include "util.h"

#define RECEIVER_MAX_THREADS 256
/* The kernel caps a recvmmsg vector at UIO_MAXIOV (1024) messages. */
#define RECEIVER_MAX_BATCH 1024
#define RECEIVER_DEFAULT_BATCH 512
#define RECEIVER_MAX_RCVBUF (1ULL << 30)
/* Asked for without --rcvbuf: rmem_default (208 KiB) holds 4 ms at
 * 50,000 pkt/s, and a loaded host stalls a reader longer than that. */
#define RECEIVER_DEFAULT_RCVBUF (4ULL << 20)
#define RECEIVER_MAX_BUSY_POLL 1000000

struct receiver_config {
	struct netaddr addr; /* port 0: the kernel picks one */
	int threads;
	int batch;
	bool reuseport;	 /* one socket per thread */
	bool join;	 /* --join: share a port other sockets hold */
	uint64_t rcvbuf; /* bytes asked for; 0: RECEIVER_DEFAULT_RCVBUF */
	int busy_poll;	 /* SO_BUSY_POLL usec; -1 leaves it */
	bool have_cpus;	 /* --cpus: thread i on the i-th CPU */
	uint64_t cpus[CPU_WORDS];
};

enum receiver_opt {
	RXOPT_RECEIVE,
	RXOPT_THREADS,
	RXOPT_BATCH,
	RXOPT_NO_REUSEPORT,
	RXOPT_RCVBUF,
	RXOPT_BUSY_POLL,
	RXOPT_CPUS,
	RXOPT_JOIN,
};

void receiver_config_init(struct receiver_config *c);
/* Sets one option from its command-line text (arg is ignored for
 * RXOPT_NO_REUSEPORT and RXOPT_JOIN). Returns 0 or -EINVAL with a message in err. */
int receiver_config_set(struct receiver_config *c, enum receiver_opt opt,
			const char *arg, char *err, size_t errlen);

struct receiver;

/* receiver_guard.c: whether UDP socket u receives datagrams for a's port
 * and some of its addresses (wildcards and IPv4 in dual-stack IPv6 count;
 * port 0 overlaps nothing). */
bool receiver_addr_overlaps(const struct netaddr *a,
			    const struct udp_socket *u);
/* Looks for sockets already bound over a (sock_diag). Returns 1 and
 * describes them and their owners in owners, or 0 when there are none. */
int receiver_guard_check(const struct netaddr *a, struct strbuf *owners,
			 char *err, size_t errlen);

/* Opens the sockets and starts the threads. A port other sockets hold
 * is refused (-EADDRINUSE, their owners named in err) unless c->join. place, when not NULL, is the
 * set of CPUs every thread may run on (ignored with have_cpus). Returns 0,
 * or a negative errno with a message in err and nothing left running. */
int receiver_start(const struct receiver_config *c, const uint64_t *place,
		   struct receiver **out, char *err, size_t errlen);
/* What was set up: address, threads, sockets, rcvbuf granted (and whether
 * net.core.rmem_max capped it), busy poll, placement. One line each. */
void receiver_describe(const struct receiver *r, struct strbuf *out);
/* The `receiver` source text of the counters now (see receiver_source.c
 * for the format). Safe while the threads run. */
void receiver_format(const struct receiver *r, struct strbuf *out);
/* Asks the threads to stop, lets each drain what its socket holds, and
 * joins them. Safe to call twice. */
void receiver_stop(struct receiver *r);
/* "receiver totals: packets N bytes N duration S s avg N pps", after
 * receiver_stop. */
void receiver_totals(const struct receiver *r, struct strbuf *out);
void receiver_free(struct receiver *r);

#endif
