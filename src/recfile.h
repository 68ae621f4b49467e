/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --record FILE: the file a recording is written to. droptop runs as root
 * and the path may be in a directory other users can write, so the file
 * is created anew (never through a symbolic link, never over an existing
 * file unless asked), mode 0600: it names every socket's owner.
 * FILE.gz is written as gzip, each snapshot flushed whole. A file is full
 * at a size limit: then it is rotated (FILE -> FILE.1 -> ... FILE.N) or
 * the recording stops. */
#ifndef DROPTOP_RECFILE_H
#define DROPTOP_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "raw.h"
#include "util.h"

struct gz_writer;

/* When a file is full. Each file holds at least two snapshots (one
 * interval), so that it can be replayed alone, even past max_bytes. */
struct recfile_limits {
	size_t max_bytes;  /* text of one file, before compression */
	unsigned keep;     /* rotated files kept; 0: stop when full */
};

struct recfile {
	int fd;
	const char *path;
	off_t complete;   /* bytes up to the end of the last whole snapshot */
	size_t nsnaps;    /* whole snapshots written */
	bool failed;      /* a write failed: nothing more is written */
	bool stopped;     /* full, not rotated: nothing more is written */
	int dirfd;        /* the file's directory: created, renamed in it */
	char *base;       /* the file's name in dirfd */
	struct gz_writer *gz;      /* FILE.gz, else NULL */
	struct recfile_limits lim;
	size_t text_bytes;         /* text written to this file */
	struct strbuf last;        /* the last snapshot: a rotated file's first */
};

/* The most rotated files --record-keep keeps; the smallest size limit. */
#define RECFILE_KEEP_MAX 999
#define RECFILE_MIN_LIMIT (64u << 10)

/* A recording is kept after a write error only if it can be replayed. */
#define RECFILE_KEEP_MIN 2

/* Creates path with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600. An existing
 * file is refused, or with overwrite, removed first if it is a regular
 * file (anything else, a symbolic link too, is refused). Returns 0, or -1
 * with a message naming the file in err. */
int recfile_open(struct recfile *f, const char *path, bool overwrite,
		 char *err, size_t errlen);

/* recfile_open() with limits (NULL: a file holds what a replay reads,
 * then the recording stops). With keep, an existing FILE.1 .. FILE.keep
 * is refused too unless overwrite (rotation then replaces it). */
int recfile_open_limited(struct recfile *f, const char *path, bool overwrite,
			 const struct recfile_limits *lim, char *err,
			 size_t errlen);

/* Appends one snapshot (the header before the first), written out at once
 * (write(2); a gzip file flushed whole): once it returns, a run killed even
 * by SIGKILL keeps the snapshot (--count --record relies on it). On a write error
 * returns -1 with the reason in err; the file then keeps only its whole
 * snapshots if it has RECFILE_KEEP_MIN of them, else it is removed.
 * Returns 1 with a note in err when the file was full and the recording
 * stops (later calls return 0 and write nothing). */
int recfile_append(struct recfile *f, const struct raw_snapshot *r,
		   char *err, size_t errlen);

/* Closes the file, removed if no snapshot was written; -1 with err if the
 * close reports a write error. */
int recfile_close(struct recfile *f, char *err, size_t errlen);

#endif
