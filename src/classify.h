/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Driver counter names (`ethtool -S`) → what they count. One table covers
 * every driver droptop knows; an unknown name is kept as "other". */
#ifndef DROPTOP_CLASSIFY_H
#define DROPTOP_CLASSIFY_H

#include <stdbool.h>

enum ctr_dir {
	DIR_NONE,   /* neither, or both (device-wide) */
	DIR_RX,
	DIR_TX,
};

enum ctr_kind {
	KIND_OTHER,    /* kept and listed, not used in arithmetic */
	KIND_PACKETS,  /* additive packet count: per queue, summed */
	KIND_BYTES,
	KIND_DROPS,    /* packets the NIC or driver lost on receive */
};

struct counter_class {
	enum ctr_dir dir;
	int queue;          /* -1 for device-level counters */
	enum ctr_kind kind;
	const char *driver_rule; /* the table rule that matched, "" if none */
};

/* Classifies one counter name as printed by `ethtool -S` (without the
 * leading spaces and trailing colon). section is the enclosing vmxnet3-style
 * section ("Rx Queue#: 2" gives queue 2, dir RX) or NULL. */
struct counter_class classify_counter(const char *name, int section_queue,
				      enum ctr_dir section_dir);

/* The same answer by trying every rule in table order: the definition
 * classify_counter()'s index must agree with (test_classify). */
struct counter_class classify_counter_walk(const char *name,
					   int section_queue,
					   enum ctr_dir section_dir);

/* For tests and benchmarks: gives the calling thread's classification
 * cache 2^bits slots (at most 2^20, in sets of two: 2 is one set) from
 * its next name on, or none for 0 (the answers are the same either way).
 * The default is 4096. */
void classify_cache_size(unsigned bits);

/* True if name opens a vmxnet3-style queue section ("Rx Queue#"), whose
 * value is the queue number; *dir is then the section's direction. */
bool classify_section(const char *name, enum ctr_dir *dir);

const char *ctr_kind_name(enum ctr_kind k);
const char *ctr_dir_name(enum ctr_dir d);

#endif
