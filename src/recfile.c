/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --record FILE: safe creation and whole-snapshot appends (recfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recfile.h"
#include "recording.h"
#include "util.h"

/* An existing path: replaced only when asked and only if it is a regular
 * file; a symbolic link is never followed, nor removed. */
static int clear_existing(const char *path, bool overwrite, char *err,
			  size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a regular file%s; "
			 "not written", path,
			 S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
		return -1;
	}
	if (!overwrite) {
		snprintf(err, errlen, "%s: exists; --overwrite replaces it",
			 path);
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: cannot replace it: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int recfile_open(struct recfile *f, const char *path, bool overwrite,
		 char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = path;
	if (clear_existing(path, overwrite, err, errlen) < 0)
		return -1;
	/* O_EXCL: a file or link planted since the check is refused. */
	f->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     0600);
	if (f->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
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
static bool remove_ours(const struct recfile *f)
{
	struct stat mine, now;

	if (fstat(f->fd, &mine) < 0 || lstat(f->path, &now) < 0 ||
	    mine.st_dev != now.st_dev || mine.st_ino != now.st_ino)
		return false;
	return unlink(f->path) == 0;
}

/* After a write error: keep the whole snapshots if they can be replayed,
 * else remove the file (or at least empty it). */
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

int recfile_append(struct recfile *f, const struct raw_snapshot *r,
		   char *err, size_t errlen)
{
	struct strbuf sb;
	int rc;

	if (f->fd < 0 || f->failed)
		return -1;
	sb_init(&sb);
	if (f->nsnaps == 0)
		recording_write_header(&sb);
	recording_write_snapshot(&sb, r);
	rc = write_all(f->fd, sb.s, sb.len);
	if (rc == 0) {
		f->complete += (off_t)sb.len;
		f->nsnaps++;
	}
	sb_free(&sb);
	if (rc < 0) {
		f->failed = true;
		handle_partial(f, -rc, err, errlen);
		return -1;
	}
	return 0;
}

int recfile_close(struct recfile *f, char *err, size_t errlen)
{
	int rc = 0;

	if (f->fd < 0)
		return 0;
	/* Nothing sampled (a later set-up step failed): no empty file left
	 * to block the next run. */
	if (f->nsnaps == 0 && !f->failed)
		remove_ours(f);
	if (close(f->fd) < 0 && !f->failed) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
		rc = -1;
	}
	f->fd = -1;
	return rc;
}
