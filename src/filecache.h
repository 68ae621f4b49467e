/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Files read again on every refresh, from descriptors kept open between
 * refreshes: a /proc or sysfs file opened once and read from offset 0 is
 * generated anew by the kernel, so a refresh pays the reads but not the
 * open and close (the path walk is most of an open's cost). */
#ifndef DROPTOP_FILECACHE_H
#define DROPTOP_FILECACHE_H

#include <stddef.h>

struct file_cache;

/* At most max_fds descriptors are kept; files beyond, and files that are
 * neither procfs nor sysfs, are opened and closed at each read. */
struct file_cache *file_cache_new(size_t max_fds);
void file_cache_free(struct file_cache *fc);

/* The file is a single value (a sysfs attribute, a sysctl, a /proc/irq
 * file): the kernel produces it whole in one read of a page, so a short
 * read is its end and the read that would return 0 is skipped. */
#define FC_ONE_VALUE 0x1
/* The path may come to name another file while the old one lives on: a
 * network device renamed and another made under its name (sysfs moves
 * the old device's files with it). Each read first checks, with stat(),
 * that the path still names the kept file. */
#define FC_SAME_FILE 0x2

/* Reads the whole file at path, as read_text_file() does (*out is
 * NUL-terminated and malloc'ed), through fc; fc may be NULL (no cache).
 * A kept descriptor that fails (the device or IRQ behind it went away)
 * is closed and the path opened once more, so a file that reappears is
 * found and one that is gone gives the open's errno. Returns 0 or a
 * negative errno. */
int file_cache_read(struct file_cache *fc, const char *path, unsigned flags,
		    char **out, size_t *len);

/* Closes and lets go every kept file whose path starts with prefix: a
 * device that vanished is not read again, so nothing else would. */
void file_cache_forget(struct file_cache *fc, const char *prefix);

/* How many descriptors fc holds (for tests). */
size_t file_cache_open_count(const struct file_cache *fc);

#endif
