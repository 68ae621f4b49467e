/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --record FILE: safe creation and whole-snapshot appends (recfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privs.h"
#include "recfile.h"
#include "recgzip.h"
#include "recording.h"
#include "util.h"

/* Splits path into its directory, opened, and its name in it: every
 * later create, remove and rename is relative to that directory. */
static int open_dir(struct recfile *f, const char *path, char *err,
		    size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 :
				     (size_t)(slash - path)) : xstrdup(".");

	f->base = xstrdup(slash ? slash + 1 : path);
	f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->dirfd < 0)
		snprintf(err, errlen, "%s: directory %s: %s", path, dir,
			 strerror(errno));
	free(dir);
	return f->dirfd < 0 ? -1 : 0;
}

/* name: FILE's own name or a rotated one, FILE.k; messages name it by
 * the path given, with the ".k". */
static const char *suffix_of(const struct recfile *f, const char *name)
{
	return name + strlen(f->base);
}

/* 0 if name is absent, 1 if it is a regular file; else -1 with err. */
static int check_regular(const struct recfile *f, const char *name,
			 char *err, size_t errlen)
{
	struct stat st;

	if (fstatat(f->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return 1;
	snprintf(err, errlen, "%s%s: exists and is not a regular file%s; "
		 "not written", f->path, suffix_of(f, name),
		 S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
	return -1;
}

/* An existing path: replaced only when asked and only if it is a regular
 * file; a symbolic link is never followed, nor removed. */
static int clear_existing(const struct recfile *f, bool overwrite, char *err,
			  size_t errlen)
{
	int rc = check_regular(f, f->base, err, errlen);

	if (rc <= 0)
		return rc;
	if (!overwrite) {
		snprintf(err, errlen, "%s: exists; --overwrite replaces it",
			 f->path);
		return -1;
	}
	if (unlinkat(f->dirfd, f->base, 0) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: cannot replace it: %s", f->path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void rotated_name(const struct recfile *f, unsigned k, char *buf,
			 size_t size)
{
	snprintf(buf, size, "%s.%u", f->base, k);
}

/* With rotation, FILE.1 .. FILE.keep are replaced later: refused now as
 * FILE itself is, unless --overwrite. */
static int check_rotated(const struct recfile *f, bool overwrite, char *err,
			 size_t errlen)
{
	char name[4096];

	for (unsigned k = 1; k <= f->lim.keep; k++) {
		int rc;

		rotated_name(f, k, name, sizeof(name));
		rc = check_regular(f, name, err, errlen);
		if (rc < 0)
			return -1;
		if (rc > 0 && !overwrite) {
			snprintf(err, errlen, "%s%s: exists; --overwrite lets "
				 "rotation replace it", f->path,
				 suffix_of(f, name));
			return -1;
		}
	}
	return 0;
}

/* Rotation renames and creates files long after set-up, when droptop
 * has given up its privileges (privs.c): a directory that only a
 * privilege lets it write (root's CAP_DAC_OVERRIDE over another user's
 * directory) is refused now, not at the first rotation hours later. */
static int check_rotation_dir(const struct recfile *f, char *err,
			      size_t errlen)
{
	int rc;

	if (f->lim.keep == 0)
		return 0;
	rc = privs_dir_writable_after_drop(f->dirfd);
	if (rc > 0)
		return 0;
	if (rc == 0)
		snprintf(err, errlen, "%s: its directory lets droptop create "
			 "and rename files only with privileges it gives up "
			 "after set-up, so --record-keep could not rotate: "
			 "record into a directory root owns", f->path);
	else
		snprintf(err, errlen, "%s: checking its directory for "
			 "rotation: %s", f->path, strerror(-rc));
	return -1;
}

/* O_EXCL: a file or link planted since the check is refused. */
static int create_file(struct recfile *f, char *err, size_t errlen)
{
	f->fd = openat(f->dirfd, f->base, O_WRONLY | O_CREAT | O_EXCL |
		       O_NOFOLLOW | O_CLOEXEC, 0600);
	if (f->fd < 0) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	return 0;
}

static void free_state(struct recfile *f)
{
	gz_writer_free(f->gz);
	f->gz = NULL;
	sb_free(&f->last);
	free(f->base);
	f->base = NULL;
	if (f->dirfd >= 0)
		close(f->dirfd);
	f->dirfd = -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int recfile_open_limited(struct recfile *f, const char *path, bool overwrite,
			 const struct recfile_limits *lim, char *err,
			 size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->dirfd = -1;
	f->path = path;
	sb_init(&f->last);
	f->lim.max_bytes = RECORDING_MAX_BYTES;
	if (lim)
		f->lim = *lim;
	if (ends_with(path, ".gz"))
		f->gz = gz_writer_new();
	if (ends_with(path, ".gz") && !f->gz)
		snprintf(err, errlen, "%s: zlib: cannot start deflating", path);
	else if (open_dir(f, path, err, errlen) == 0 &&
		 clear_existing(f, overwrite, err, errlen) == 0 &&
		 check_rotated(f, overwrite, err, errlen) == 0 &&
		 check_rotation_dir(f, err, errlen) == 0 &&
		 create_file(f, err, errlen) == 0)
		return 0;
	free_state(f);
	return -1;
}

int recfile_open(struct recfile *f, const char *path, bool overwrite,
		 char *err, size_t errlen)
{
	return recfile_open_limited(f, path, overwrite, NULL, err, errlen);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Removes the file if it is still ours (the path may have been renamed). */
static bool is_ours(const struct recfile *f)
{
	struct stat mine, now;

	return fstat(f->fd, &mine) == 0 &&
	       fstatat(f->dirfd, f->base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	       mine.st_dev == now.st_dev && mine.st_ino == now.st_ino;
}

static bool remove_ours(const struct recfile *f)
{
	return is_ours(f) && unlinkat(f->dirfd, f->base, 0) == 0;
}

/* After a write error: keep the whole snapshots if they can be replayed,
 * else remove the file (or at least empty it). A gzip file cut at its
 * last whole snapshot ends at a flush point: it stays readable. */
static void handle_partial(struct recfile *f, int e, char *err, size_t errlen)
{
	if (f->nsnaps >= RECFILE_KEEP_MIN && ftruncate(f->fd, f->complete) == 0) {
		snprintf(err, errlen, "%s: %s; kept the %zu whole snapshots "
			 "written before", f->path, strerror(e), f->nsnaps);
		return;
	}
	if (remove_ours(f)) {
		snprintf(err, errlen, "%s: %s; the incomplete recording was "
			 "removed", f->path, strerror(e));
		return;
	}
	snprintf(err, errlen, "%s: %s; the incomplete recording could not "
		 "be removed%s", f->path, strerror(e),
		 ftruncate(f->fd, 0) == 0 ? " and was emptied" : "");
}

/* Writes text as it goes to the file: as is, or deflated and flushed. */
static int put_text(struct recfile *f, const struct strbuf *text)
{
	struct strbuf z;
	int rc;

	if (!f->gz)
		return write_all(f->fd, text->s, text->len);
	sb_init(&z);
	rc = gz_writer_chunk(f->gz, text->s, text->len, &z);
	if (rc == 0)
		rc = write_all(f->fd, z.s, z.len);
	sb_free(&z);
	return rc;
}

/* The header, then (in a rotated file) the last snapshot of the file
 * before, so that every file holds whole intervals; then snap. */
static int write_snapshot(struct recfile *f, const struct strbuf *snap)
{
	struct strbuf text;
	size_t added = 1;
	int rc;

	sb_init(&text);
	if (f->nsnaps == 0) {
		recording_write_header(&text);
		if (f->last.len) {
			sb_append(&text, f->last.s, f->last.len);
			added++;
		}
	}
	sb_append(&text, snap->s, snap->len);
	rc = put_text(f, &text);
	if (rc == 0) {
		f->complete = lseek(f->fd, 0, SEEK_CUR);
		f->nsnaps += added;
		f->text_bytes += text.len;
	}
	sb_free(&text);
	return rc;
}

/* Full: one more snapshot would pass the size limit or the snapshots a
 * replay reads. A file keeps at least one interval. */
static bool file_full(const struct recfile *f, size_t snap_len)
{
	if (f->nsnaps < RECFILE_KEEP_MIN)
		return false;
	return f->text_bytes >= f->lim.max_bytes ||
	       snap_len > f->lim.max_bytes - f->text_bytes ||
	       f->nsnaps >= RECORDING_MAX_SNAPSHOTS;
}

/* The end of a gzip stream; without it, a replay warns. */
static int finish_file(struct recfile *f)
{
	struct strbuf z;
	int rc;

	if (!f->gz)
		return 0;
	sb_init(&z);
	rc = gz_writer_finish(f->gz, &z);
	if (rc == 0)
		rc = write_all(f->fd, z.s, z.len);
	sb_free(&z);
	if (rc < 0 && ftruncate(f->fd, f->complete) < 0)
		rc = -errno;
	return rc;
}

static int stop_full(struct recfile *f, char *err, size_t errlen)
{
	f->stopped = true;
	if (f->nsnaps >= RECORDING_MAX_SNAPSHOTS)
		snprintf(err, errlen, "%s: holds %zu snapshots (recording "
			 "limit); recording stopped (--record-keep rotates)",
			 f->path, f->nsnaps);
	else
		snprintf(err, errlen, "%s: full at %zu bytes (--record-limit); "
			 "recording stopped (--record-keep rotates)", f->path,
			 f->text_bytes);
	return 1;
}

/* FILE.k -> FILE.k+1, replacing it; regular files only. rename() moves
 * a directory entry and never follows a link, and one is refused. */
static int shift_rotated(struct recfile *f, unsigned k, char *err,
			 size_t errlen)
{
	char from[4096], to[4096];
	int rc;

	if (k == 0)
		snprintf(from, sizeof(from), "%s", f->base);
	else
		rotated_name(f, k, from, sizeof(from));
	rotated_name(f, k + 1, to, sizeof(to));
	rc = check_regular(f, from, err, errlen);
	if (rc <= 0)
		return rc;
	if (check_regular(f, to, err, errlen) < 0)
		return -1;
	if (renameat(f->dirfd, from, f->dirfd, to) < 0) {
		snprintf(err, errlen, "%s: renaming %s to %s: %s", f->path,
			 from, to, strerror(errno));
		return -1;
	}
	return 0;
}

/* Ends the full file, renames it FILE.1 (older ones one up, the oldest
 * dropped) and starts FILE anew. */
static int rotate(struct recfile *f, char *err, size_t errlen)
{
	int rc = finish_file(f);

	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(-rc));
		return -1;
	}
	if (!is_ours(f)) {
		snprintf(err, errlen, "%s: no longer the file written; not "
			 "rotated", f->path);
		return -1;
	}
	for (unsigned k = f->lim.keep; k-- > 0;)
		if (shift_rotated(f, k, err, errlen) < 0)
			return -1;
	close(f->fd);
	f->fd = -1;
	if (create_file(f, err, errlen) < 0)
		return -1;
	f->complete = 0;
	f->nsnaps = 0;
	f->text_bytes = 0;
	if (f->gz)
		gz_writer_reset(f->gz);
	return 0;
}

int recfile_append(struct recfile *f, const struct raw_snapshot *r,
		   char *err, size_t errlen)
{
	struct strbuf snap;
	int rc = 0;

	if (f->stopped)
		return 0;
	if (f->fd < 0 || f->failed)
		return -1;
	sb_init(&snap);
	recording_write_snapshot(&snap, r);
	if (file_full(f, snap.len))
		rc = f->lim.keep ? rotate(f, err, errlen) : stop_full(f, err, errlen);
	if (rc < 0)
		f->failed = true;
	if (rc != 0) {
		sb_free(&snap);
		return rc;
	}
	rc = write_snapshot(f, &snap);
	if (rc < 0) {
		sb_free(&snap);
		f->failed = true;
		handle_partial(f, -rc, err, errlen);
		return -1;
	}
	sb_free(&f->last);
	f->last = snap;
	return 0;
}

int recfile_close(struct recfile *f, char *err, size_t errlen)
{
	int rc = 0, e;

	if (f->fd < 0) {
		free_state(f);
		return 0;
	}
	/* Nothing sampled (a later set-up step failed): no empty file left
	 * to block the next run. */
	if (f->nsnaps == 0 && !f->failed)
		remove_ours(f);
	else if (!f->failed && (e = finish_file(f)) < 0) {
		snprintf(err, errlen, "%s: %s; the gzip stream has no end",
			 f->path, strerror(-e));
		rc = -1;
	}
	if (close(f->fd) < 0 && !f->failed && rc == 0) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
		rc = -1;
	}
	f->fd = -1;
	free_state(f);
	return rc;
}
