/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gzip for recordings (zlib): --record FILE.gz deflates each snapshot and
 * flushes it to a byte boundary, so a killed run leaves a stream that ends
 * after a whole snapshot; --replay inflates a gzip file under the
 * recording limits, so a gzip bomb costs bounded time and memory. */
#ifndef DROPTOP_RECGZIP_H
#define DROPTOP_RECGZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The gzip magic bytes begin the data. */
bool gz_is_gzip(const char *data, size_t len);

/* What the inflated text may hold: the text is refused as soon as it
 * passes one, before more is inflated. */
struct gz_limits {
	size_t max_bytes;
	size_t max_line;   /* bytes between newlines */
};

/* Inflates gzip data (one member or several, one after the other) into
 * *out (NUL-terminated, free() it). Data that stops without the end of
 * its stream (a recording cut short) is inflated as far as it goes and
 * *cut is set. Returns 0, or -1 with what is wrong in err. */
int gz_inflate_text(const char *data, size_t len, const struct gz_limits *lim,
		    char **out, size_t *outlen, bool *cut, char *err,
		    size_t errlen);

/* The writer's side: one deflate stream in gzip format. */
struct gz_writer;

struct gz_writer *gz_writer_new(void);
void gz_writer_free(struct gz_writer *w);
/* Starts a new stream (a new file). */
void gz_writer_reset(struct gz_writer *w);
/* Deflates n bytes and flushes them to a byte boundary (Z_SYNC_FLUSH):
 * the bytes appended to out inflate to everything given so far. */
int gz_writer_chunk(struct gz_writer *w, const char *p, size_t n,
		    struct strbuf *out);
/* Appends the end of the stream (last block and trailer) to out. */
int gz_writer_finish(struct gz_writer *w, struct strbuf *out);

#endif
