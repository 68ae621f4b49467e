/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A raw snapshot: each source's text exactly as the kernel or tool prints
 * it, with the instant it was taken. Live collection produces one; the
 * recording reader produces one; sources.c parses one into a snapshot. */
#ifndef DROPTOP_RAW_H
#define DROPTOP_RAW_H

#include <stddef.h>
#include <stdint.h>

struct raw_source {
	char *name;   /* "/proc/net/snmp", "ethtool -S eth0", ... */
	char *text;   /* NUL-terminated */
	size_t len;
};

struct raw_snapshot {
	/* Integer nanoseconds, so that a recording written with nine decimals
	 * replays to exactly the figures of the live run. */
	int64_t realtime_ns;
	int64_t monotonic_ns;
	struct raw_source *srcs;
	size_t nsrcs;
	size_t srcs_cap;  /* slots allocated in srcs */
	char **notes;     /* sources that could not be read (live only) */
	size_t nnotes;
	/* Set when the snapshot came from a recording: one block holding
	 * every name and text, so a replayed snapshot is two allocations,
	 * not two per source. Such a snapshot is read-only (no raw_add). */
	char *arena;
};

void raw_init(struct raw_snapshot *r);
void raw_free(struct raw_snapshot *r);
/* Takes ownership of text (malloc'ed, NUL-terminated). */
void raw_add(struct raw_snapshot *r, const char *name, char *text, size_t len);
void raw_add_copy(struct raw_snapshot *r, const char *name, const char *text,
		  size_t len);
/* Appends a copy of text to the source called name, or adds it. */
void raw_append_copy(struct raw_snapshot *r, const char *name,
		     const char *text, size_t len);
void raw_note(struct raw_snapshot *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const struct raw_source *raw_find(const struct raw_snapshot *r,
				  const char *name);

#endif
