/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gzip for recordings through zlib (recgzip.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "recgzip.h"

#define GZ_WINDOW_GZIP (16 + MAX_WBITS) /* zlib: gzip header and trailer */

bool gz_is_gzip(const char *data, size_t len)
{
	return len >= 2 && (unsigned char)data[0] == 0x1f &&
	       (unsigned char)data[1] == 0x8b;
}

/* The inflated text so far, checked chunk by chunk against the limits. */
struct gz_text {
	struct strbuf sb;
	size_t line;       /* bytes since the last newline */
};

/* Checks the n bytes inflate just added at the end of t->sb. */
static int check_chunk(struct gz_text *t, size_t n, const struct gz_limits *lim,
		       char *err, size_t errlen)
{
	const char *p = t->sb.s + t->sb.len, *nl;

	if (n > lim->max_bytes - t->sb.len) {
		snprintf(err, errlen, "inflates to more than %zu bytes "
			 "(recording limit)", lim->max_bytes);
		return -1;
	}
	if (memchr(p, '\0', n)) {
		snprintf(err, errlen, "inflated data holds a NUL byte: not a "
			 "text recording");
		return -1;
	}
	nl = memrchr(p, '\n', n);
	if (nl) {
		/* Lines before the last newline: the parser bounds them too,
		 * only the open line can grow without one. */
		t->line = n - (size_t)(nl - p) - 1;
	} else {
		t->line += n;
	}
	if (t->line > lim->max_line) {
		snprintf(err, errlen, "inflated data has a line longer than "
			 "%zu bytes (recording limit)", lim->max_line);
		return -1;
	}
	t->sb.len += n;
	t->sb.s[t->sb.len] = '\0';
	return 0;
}

/* Room for inflate at the end of t->sb, growing it by doubling up to one
 * byte past the limit (so that going past it is seen), plus the NUL. */
static void make_room(struct gz_text *t, const struct gz_limits *lim)
{
	size_t most = lim->max_bytes + 2, cap = t->sb.cap;

	if (cap - t->sb.len > 1 || cap >= most)
		return;
	cap = cap > most / 2 ? most : 2 * cap;
	t->sb.s = xrealloc(t->sb.s, cap);
	t->sb.cap = cap;
}

/* After the end of a member: another member may follow, nothing else. */
static int next_member(z_stream *zs, char *err, size_t errlen)
{
	if (zs->avail_in == 0)
		return 1;
	if (!gz_is_gzip((const char *)zs->next_in, zs->avail_in)) {
		snprintf(err, errlen, "data after the end of the gzip stream");
		return -1;
	}
	inflateReset(zs);
	return 0;
}

/* Inflates straight into t->sb: no chunk buffer to copy out of. */
static int inflate_loop(z_stream *zs, struct gz_text *t,
			const struct gz_limits *lim, bool *cut, char *err,
			size_t errlen)
{
	int rc;

	for (;;) {
		size_t room;

		make_room(t, lim);
		room = t->sb.cap - t->sb.len - 1;
		zs->next_out = (Bytef *)(t->sb.s + t->sb.len);
		zs->avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
		rc = inflate(zs, Z_NO_FLUSH);
		if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR) {
			snprintf(err, errlen, "corrupt gzip data (%s)",
				 zs->msg ? zs->msg : "bad stream");
			return -1;
		}
		if (rc == Z_MEM_ERROR) {
			snprintf(err, errlen, "out of memory inflating");
			return -1;
		}
		if (check_chunk(t, (size_t)((char *)zs->next_out -
					    (t->sb.s + t->sb.len)),
				lim, err, errlen) < 0)
			return -1;
		if (rc == Z_STREAM_END) {
			rc = next_member(zs, err, errlen);
			if (rc != 0)
				return rc < 0 ? -1 : 0;
			continue;
		}
		/* No progress possible with output room left: the input ran
		 * out before the end of the stream. */
		if (zs->avail_in == 0 && zs->avail_out > 0) {
			*cut = true;
			return 0;
		}
	}
}

int gz_inflate_text(const char *data, size_t len, const struct gz_limits *lim,
		    char **out, size_t *outlen, bool *cut, char *err,
		    size_t errlen)
{
	z_stream zs;
	struct gz_text t = { .line = 0 };
	int rc;

	*out = NULL;
	*outlen = 0;
	*cut = false;
	if (len > UINT_MAX) {
		snprintf(err, errlen, "gzip data too large");
		return -1;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, GZ_WINDOW_GZIP) != Z_OK) {
		snprintf(err, errlen, "zlib: cannot start inflating");
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	/* A first guess of the size: recordings deflate about 7 to 24 times. */
	t.sb.cap = len < (64u << 10) ? 8 * len + 64 : 8u * (64u << 10);
	if (t.sb.cap > lim->max_bytes + 2)
		t.sb.cap = lim->max_bytes + 2;
	t.sb.s = xmalloc(t.sb.cap);
	t.sb.len = 0;
	t.sb.s[0] = '\0';
	rc = inflate_loop(&zs, &t, lim, cut, err, errlen);
	inflateEnd(&zs);
	if (rc < 0) {
		sb_free(&t.sb);
		return -1;
	}
	*outlen = t.sb.len;
	*out = sb_steal(&t.sb);
	return 0;
}

struct gz_writer {
	z_stream zs;
};

struct gz_writer *gz_writer_new(void)
{
	struct gz_writer *w = xcalloc(1, sizeof(*w));

	/* Level 6: most of the gain; a recording is text repeating itself
	 * snapshot after snapshot, within deflate's 32 KiB window. */
	if (deflateInit2(&w->zs, 6, Z_DEFLATED, GZ_WINDOW_GZIP, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(w);
		return NULL;
	}
	return w;
}

void gz_writer_free(struct gz_writer *w)
{
	if (!w)
		return;
	deflateEnd(&w->zs);
	free(w);
}

void gz_writer_reset(struct gz_writer *w)
{
	deflateReset(&w->zs);
}

/* Runs deflate with flush until it has taken all input and has output
 * room left over (then everything flushed is out). */
static int deflate_into(struct gz_writer *w, int flush, struct strbuf *out)
{
	char buf[16384];
	int rc;

	do {
		w->zs.next_out = (Bytef *)buf;
		w->zs.avail_out = sizeof(buf);
		rc = deflate(&w->zs, flush);
		if (rc == Z_STREAM_ERROR)
			return -EIO;
		sb_append(out, buf, sizeof(buf) - w->zs.avail_out);
	} while (flush == Z_FINISH ? rc != Z_STREAM_END :
		 w->zs.avail_out == 0 || w->zs.avail_in > 0);
	return 0;
}

int gz_writer_chunk(struct gz_writer *w, const char *p, size_t n,
		    struct strbuf *out)
{
	if (n > UINT_MAX)
		return -EFBIG;
	w->zs.next_in = (Bytef *)(uintptr_t)p;
	w->zs.avail_in = (uInt)n;
	return deflate_into(w, Z_SYNC_FLUSH, out);
}

int gz_writer_finish(struct gz_writer *w, struct strbuf *out)
{
	w->zs.next_in = NULL;
	w->zs.avail_in = 0;
	return deflate_into(w, Z_FINISH, out);
}
