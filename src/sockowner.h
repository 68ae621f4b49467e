/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process owning each socket inode, from /proc/PID/fd (sockowner.c). */
#ifndef DROPTOP_SOCKOWNER_H
#define DROPTOP_SOCKOWNER_H

#include <stddef.h>
#include <stdint.h>

struct sock_owner {
	int pid;          /* 0: not found */
	char comm[16];    /* "" when unknown */
};

/* inodes[0..n) sorted ascending; owners[i] receives the owner of
 * inodes[i]. One pass over ROOT/proc. *denied counts the processes whose
 * fd directory could not be read. Returns 0, or a negative errno when
 * ROOT/proc cannot be listed. */
int sock_owners_find(const char *root, const uint64_t *inodes, size_t n,
		     struct sock_owner *owners, int *denied);

#endif
