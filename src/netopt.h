/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line values shared by the traffic programs (droptop --receive
 * and droptop-send): socket addresses, bounded numbers, byte sizes, port
 * ranges and CPU lists. Each parser returns 0, or -EINVAL with a message
 * naming the option and the bad text in err; none of them exits. */
#ifndef DROPTOP_NETOPT_H
#define DROPTOP_NETOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "snapshot.h"

struct netaddr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* "ADDR:PORT", "[IPV6]:PORT" (scope as [fe80::1%eth0]:PORT), and with
 * port_only also "PORT" alone (ADDR is then 0.0.0.0). Addresses are
 * numeric only; ports from min_port to 65535. */
int netopt_addr(const char *s, bool port_only, unsigned min_port,
		struct netaddr *out, char *err, size_t errlen);
/* "127.0.0.1:5000" or "[::1]:5000". */
void netaddr_format(const struct netaddr *a, char *buf, size_t size);
unsigned netaddr_port(const struct netaddr *a);
void netaddr_set_port(struct netaddr *a, unsigned port);
bool netaddr_is_loopback(const struct netaddr *a);

/* A decimal integer in [min, max]; what names the option in messages. */
int netopt_uint(const char *what, const char *s, uint64_t min, uint64_t max,
		uint64_t *out, char *err, size_t errlen);
/* Like netopt_uint, with an optional K, M or G suffix (powers of 1024). */
int netopt_bytes(const char *what, const char *s, uint64_t min, uint64_t max,
		 uint64_t *out, char *err, size_t errlen);
/* A positive decimal number (fractions allowed) no larger than max. */
int netopt_double(const char *what, const char *s, double max, double *out,
		  char *err, size_t errlen);
/* "LO-HI" or "N" within [min, max], LO <= HI. */
int netopt_range(const char *what, const char *s, unsigned min, unsigned max,
		 unsigned *lo, unsigned *hi, char *err, size_t errlen);
/* A CPU list ("0-3,8"), at least one CPU, each below MAX_CPUS. Returns the
 * number of CPUs, or -EINVAL. */
int netopt_cpus(const char *what, const char *s, uint64_t *bits, char *err,
		size_t errlen);
/* Formats a CPU bitmap as "0-3,8" ("" when empty), cut with "..." when
 * it does not fit. */
void netopt_cpulist_format(const uint64_t *bits, char *buf, size_t size);
/* The n-th CPU (from 0) set in bits, cycling; -1 when bits is empty. */
int netopt_nth_cpu(const uint64_t *bits, int n);

#endif
