/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "filecache.h"
#include "util.h"

struct fc_entry {
	char *path;   /* NULL: an empty slot */
	int fd;       /* -1: closed after a failure, opened on next use */
	dev_t dev;    /* of the file fd reads (FC_SAME_FILE) */
	ino_t ino;
};

struct file_cache {
	struct fc_entry *slots;
	size_t nslots;     /* a power of two, at least twice max_fds */
	size_t used;       /* paths held */
	size_t max;
};

struct file_cache *file_cache_new(size_t max_fds)
{
	struct file_cache *fc = xcalloc(1, sizeof(*fc));

	fc->max = max_fds;
	fc->nslots = 16;
	while (fc->nslots < 2 * max_fds)
		fc->nslots *= 2;
	fc->slots = xcalloc(fc->nslots, sizeof(*fc->slots));
	return fc;
}

void file_cache_free(struct file_cache *fc)
{
	if (!fc)
		return;
	for (size_t i = 0; i < fc->nslots; i++) {
		if (fc->slots[i].path && fc->slots[i].fd >= 0)
			close(fc->slots[i].fd);
		free(fc->slots[i].path);
	}
	free(fc->slots);
	free(fc);
}

size_t file_cache_open_count(const struct file_cache *fc)
{
	size_t n = 0;

	for (size_t i = 0; fc && i < fc->nslots; i++)
		n += fc->slots[i].path && fc->slots[i].fd >= 0;
	return n;
}

static uint64_t path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot holding path, or the empty slot where it would go; NULL when
 * the path is new and the cache is full. */
static struct fc_entry *find_slot(struct file_cache *fc, const char *path)
{
	size_t mask = fc->nslots - 1, i = path_hash(path) & mask;

	while (fc->slots[i].path && strcmp(fc->slots[i].path, path) != 0)
		i = (i + 1) & mask;
	if (!fc->slots[i].path && fc->used >= fc->max)
		return NULL;
	return &fc->slots[i];
}

void file_cache_forget(struct file_cache *fc, const char *prefix)
{
	struct fc_entry *old;
	size_t n = strlen(prefix), mask;

	if (!fc)
		return;
	old = fc->slots;
	mask = fc->nslots - 1;
	fc->slots = xcalloc(fc->nslots, sizeof(*fc->slots));
	fc->used = 0;
	/* Open addressing: the kept entries are placed anew, so that no
	 * emptied slot breaks a probe sequence. */
	for (size_t i = 0; i < fc->nslots; i++) {
		struct fc_entry *e = &old[i];
		size_t j;

		if (!e->path)
			continue;
		if (strncmp(e->path, prefix, n) == 0) {
			if (e->fd >= 0)
				close(e->fd);
			free(e->path);
			continue;
		}
		j = path_hash(e->path) & mask;
		while (fc->slots[j].path)
			j = (j + 1) & mask;
		fc->slots[j] = *e;
		fc->used++;
	}
	free(old);
}

/* Reads from offset 0 to the end. Consecutive offsets let a seq_file
 * (most of /proc) carry on where it stopped instead of starting over. */
static int read_all(int fd, unsigned flags, struct strbuf *sb)
{
	char buf[16384];
	off_t off = 0;

	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		sb_append(sb, buf, (size_t)n);
		off += n;
		if ((flags & FC_ONE_VALUE) && (size_t)n < sizeof(buf))
			return 0;
	}
}

static int open_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int finish(struct strbuf *sb, int rc, char **out, size_t *len)
{
	if (rc < 0) {
		sb_free(sb);
		return rc;
	}
	if (len)
		*len = sb->len;
	*out = sb_steal(sb);
	return 0;
}

static int read_uncached(const char *path, unsigned flags, struct strbuf *sb)
{
	int fd = open_read(path), rc;

	if (fd < 0)
		return fd;
	rc = read_all(fd, flags, sb);
	close(fd);
	return rc;
}

static void remember_file(struct fc_entry *e)
{
	struct stat st;

	if (fstat(e->fd, &st) == 0) {
		e->dev = st.st_dev;
		e->ino = st.st_ino;
	}
}

/* False when the path now names another file than the kept one (or
 * none): the kept descriptor is then let go. */
static bool still_same_file(struct fc_entry *e)
{
	struct stat st;

	if (stat(e->path, &st) == 0 && st.st_dev == e->dev &&
	    st.st_ino == e->ino)
		return true;
	close(e->fd);
	e->fd = -1;
	return false;
}

/* A kept descriptor first; after its failure, the path opened anew. */
static int read_cached(struct fc_entry *e, unsigned flags, struct strbuf *sb)
{
	int rc = -EBADF;

	if (e->fd >= 0 && (flags & FC_SAME_FILE))
		still_same_file(e);
	if (e->fd >= 0) {
		rc = read_all(e->fd, flags, sb);
		if (rc == 0)
			return 0;
		close(e->fd);
		e->fd = -1;
		sb_reset(sb);
	}
	e->fd = open_read(e->path);
	if (e->fd < 0) {
		rc = e->fd;
		e->fd = -1;
		return rc;
	}
	remember_file(e);
	rc = read_all(e->fd, flags, sb);
	if (rc < 0) {
		close(e->fd);
		e->fd = -1;
	}
	return rc;
}

/* Only procfs and sysfs make a file anew at each read from 0: a regular
 * file (a --root tree of captures) replaced by rename would be read from
 * its old inode forever. */
static bool regenerated(int fd)
{
	struct statfs st;

	return fstatfs(fd, &st) == 0 && (st.f_type == PROC_SUPER_MAGIC ||
					 st.f_type == SYSFS_MAGIC);
}

int file_cache_read(struct file_cache *fc, const char *path, unsigned flags,
		    char **out, size_t *len)
{
	struct fc_entry *e = fc ? find_slot(fc, path) : NULL;
	struct strbuf sb;

	*out = NULL;
	if (len)
		*len = 0;
	sb_init(&sb);
	if (!e)
		return finish(&sb, read_uncached(path, flags, &sb), out, len);
	if (!e->path) {
		/* A path that does not open is not kept: a virtual device's
		 * missing file would otherwise hold a slot for nothing. */
		int fd = open_read(path), rc;

		if (fd < 0)
			return finish(&sb, fd, out, len);
		if (!regenerated(fd)) {
			rc = read_all(fd, flags, &sb);
			close(fd);
			return finish(&sb, rc, out, len);
		}
		e->path = xstrdup(path);
		e->fd = fd;
		remember_file(e);
		fc->used++;
	}
	return finish(&sb, read_cached(e, flags, &sb), out, len);
}
