/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the receiver threads run by default: on the CPUs of the NIC's NUMA
 * node, minus the CPUs that serve the IRQs of its busy RX queues (a thread
 * there competes with the softirq that feeds it). The plan is a pure
 * function of one snapshot; the live helpers ask the process's CPU mask
 * and libnuma. */
#ifndef DROPTOP_PLACEMENT_H
#define DROPTOP_PLACEMENT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"
#include "util.h"

struct placement {
	bool constrained;	     /* false: the threads may run anywhere */
	uint64_t cpus[CPU_WORDS];    /* where they may run */
	char nic[IF_NAMESIZE];	     /* the NIC chosen, "" none */
	int node;		     /* its NUMA node used, -1 none */
	uint64_t avoided[CPU_WORDS]; /* CPUs serving its busy RX IRQs */
	bool avoid_skipped;	     /* avoiding them would leave no CPU */
};

/* The watched device that received the most (sysfs rx_packets), or NULL. */
const struct device *placement_nic(const struct snapshot *s);
/* allowed: the CPUs the process may use; node_cpus: the CPUs of the NIC's
 * node, or NULL when NUMA is unknown (the host is then one node). */
void placement_plan(const struct snapshot *s, const uint64_t *allowed,
		    const uint64_t *node_cpus, struct placement *out);
/* One line saying where and why. */
void placement_describe(const struct placement *p, struct strbuf *out);

/* Live: the CPUs this process may run on. */
void placement_allowed_cpus(uint64_t *bits);
/* Live: the CPUs of a NUMA node from libnuma; false when droptop was built
 * without libnuma or the kernel has no NUMA support. */
bool placement_node_cpus(int node, uint64_t *bits);

#endif
