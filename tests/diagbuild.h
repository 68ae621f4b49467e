/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Builders for the diagnosis tests: two snapshots put together in C,
 * independent of the parsers. Baseline figures come from the real captures
 * in tests/data (named where they are used); a test then adds its deltas to
 * the later snapshot only. */
#ifndef DROPTOP_DIAGBUILD_H
#define DROPTOP_DIAGBUILD_H

#include "diagnose.h"
#include "snapshot.h"

/* An empty snapshot at monotonic time mono. */
void tb_snap(struct snapshot *s, double mono);
/* tb_snap plus snmp, snmp6, 5 CPUs of softnet and kernel-default sysctls. */
void tb_base(struct snapshot *s, double mono);

void tb_snmp(struct snapshot *s, enum snmp_id id, uint64_t v);
void tb_snmp_add(struct snapshot *s, enum snmp_id id, uint64_t delta);
void tb_snmp_drop(struct snapshot *s, enum snmp_id id);

struct cpu_stat *tb_cpu(struct snapshot *s, int cpu, uint64_t processed,
			uint64_t dropped, uint64_t squeeze);

/* A device with sysfs statistics (all zero) and nrxq empty RX queues.
 * Adding a device moves s->devs: earlier device pointers go stale. */
struct device *tb_dev(struct snapshot *s, const char *name, int nrxq);
void tb_queue(struct device *d, int q, uint64_t packets, uint64_t drops,
	      bool have_drops);
void tb_ctr(struct device *d, const char *name, uint64_t v,
	    enum ctr_kind kind, int queue);
/* eth0 as in ethtool-S/sfc-ethq.txt: 12 queues, IRQs 40..51. */
struct device *tb_sfc(struct snapshot *s);
void tb_irq(struct snapshot *s, int irq, const char *name,
	    const char *cpulist);
struct udp_socket *tb_sock(struct snapshot *s, const char *local,
			   uint16_t lport, uint64_t inode, uint64_t drops);

const struct stage_counter *tb_counter(const struct stage *st,
				       const char *name);
/* The stage's lost count over the interval; fails the test if unknown. */
double tb_lost(const struct diagnosis *d, enum stage_id id);
double tb_in(const struct diagnosis *d, enum stage_id id);
bool tb_has_note(const struct diagnosis *d, const char *text);

#endif
