/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recordings: a versioned, line-oriented text file of raw snapshots.
 *
 *   droptop-recording 1
 *   @snapshot REALTIME MONOTONIC
 *   @source NAME
 *   ...raw text, a line starting with '@' written with one more '@'...
 *   @end
 */
#ifndef DROPTOP_RECORDING_H
#define DROPTOP_RECORDING_H

#include <stddef.h>
#include <stdio.h>

#include "raw.h"
#include "util.h"

#define RECORDING_HEADER "droptop-recording 1"

/* Recording limits of the reader (droptop(8), "Recording limits"): a
 * recording past one is refused with a message, so that a file from
 * anywhere costs bounded memory. A day at one snapshot a second fits. */
#define RECORDING_MAX_BYTES (256u << 20)     /* the file, or its gzip inflated */
#define RECORDING_MAX_SNAPSHOTS 100000
#define RECORDING_MAX_SOURCES 65536          /* in one snapshot */
#define RECORDING_MAX_LINE (1u << 20)        /* bytes, without newline */

void recording_write_header(struct strbuf *out);
void recording_write_snapshot(struct strbuf *out, const struct raw_snapshot *r);

/* Parses a whole recording held in memory. On success returns 0 and an
 * array of *n raw snapshots (free each with raw_free, then the array). A
 * file cut inside its last snapshot (a run killed while it wrote) keeps
 * the whole snapshots before it: returns 1 with the warning in err. On
 * error returns -1 and writes "line N: what is wrong" into err. */
int recording_parse(const char *text, size_t len, struct raw_snapshot **snaps,
		    size_t *n, char *err, size_t errlen);

/* Parses a recording held in memory, plain or gzip (told by its magic
 * bytes, not by a name). Returns 0; 1 when it parsed with a warning in
 * err (a file or gzip stream cut short); -1 with the error in err. */
int recording_decode(const char *data, size_t len, struct raw_snapshot **snaps,
		     size_t *n, char *err, size_t errlen);

/* Reads and decodes a file; err names the file. Returns as
 * recording_decode(). */
int recording_load(const char *path, struct raw_snapshot **snaps, size_t *n,
		   char *err, size_t errlen);

void recording_free(struct raw_snapshot *snaps, size_t n);

#endif
