/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The counter sources, as the rest of droptop sees them: what a live
 * collector asks a device for, and the one entry point that turns a raw
 * snapshot (live or replayed) into a snapshot. The per-source parsers and
 * collectors are in sources_internal.h, for the source files, the
 * collector and their tests. */
#ifndef DROPTOP_SOURCES_H
#define DROPTOP_SOURCES_H

#include "raw.h"
#include "snapshot.h"

/* What a live collector asks a device for: its counters, read on every
 * refresh, or its settings (driver, channels, rings, RSS, flow hash,
 * queue and NAPI layout), which collect.c reads less often. */
#define COLLECT_COUNTERS 0x1
#define COLLECT_SETTINGS 0x2
#define COLLECT_ALL (COLLECT_COUNTERS | COLLECT_SETTINGS)

/* sources.c: parses every known source of a raw snapshot, in dependency
 * order, into s (which must be freshly initialised); unknown source names
 * are skipped. Finishes the snapshot. */
void snapshot_from_raw(const struct raw_snapshot *r, struct snapshot *s);

#endif
