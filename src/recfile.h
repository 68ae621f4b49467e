/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --record FILE: the file a recording is written to. droptop runs as root
 * and the path may be in a directory other users can write, so the file
 * is created anew (never through a symbolic link, never over an existing
 * file unless asked), mode 0600: it names every socket's owner. */
#ifndef DROPTOP_RECFILE_H
#define DROPTOP_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "raw.h"

struct recfile {
	int fd;
	const char *path;
	off_t complete;   /* bytes up to the end of the last whole snapshot */
	size_t nsnaps;    /* whole snapshots written */
	bool failed;      /* a write failed: nothing more is written */
};

/* A recording is kept after a write error only if it can be replayed. */
#define RECFILE_KEEP_MIN 2

/* Creates path with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600. An existing
 * file is refused, or with overwrite, removed first if it is a regular
 * file (anything else, a symbolic link too, is refused). Returns 0, or -1
 * with a message naming the file in err. */
int recfile_open(struct recfile *f, const char *path, bool overwrite,
		 char *err, size_t errlen);

/* Appends one snapshot (the header before the first). On a write error
 * returns -1 with the reason in err; the file then keeps only its whole
 * snapshots if it has RECFILE_KEEP_MIN of them, else it is removed. */
int recfile_append(struct recfile *f, const struct raw_snapshot *r,
		   char *err, size_t errlen);

/* Closes the file, removed if no snapshot was written; -1 with err if the
 * close reports a write error. */
int recfile_close(struct recfile *f, char *err, size_t errlen);

#endif
