/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which process owns a socket: the kernel does not say (sock_diag gives
 * the inode and uid only), so, as ss -p does, look for the links
 * "socket:[INODE]" under /proc/PID/fd. One pass over /proc per snapshot
 * serves every socket; a process whose fd directory cannot be read (another
 * user's, when unprivileged) is counted, and its sockets stay ownerless. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockowner.h"
#include "util.h"

static int inode_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "socket:[12345]" → 12345; false for any other link. */
static bool socket_link_inode(const char *link, uint64_t *inode)
{
	size_t n = strlen(link);

	if (n < 10 || strncmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return false;
	return parse_u64(link + 8, n - 9, 10, inode);
}

static bool parse_pid(const char *name, int *pid)
{
	uint64_t v;

	if (!parse_u64(name, strlen(name), 10, &v) || v == 0 || v > 0x7fffffff)
		return false;
	*pid = (int)v;
	return true;
}

/* /proc/PID/comm without its newline; "" when unreadable. */
static void read_comm(const char *root, int pid, char *comm, size_t size)
{
	char path[4096], *text;
	size_t len;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%s/proc/%d/comm", root, pid);
	if (read_text_file(path, &text, &len) < 0)
		return;
	if (len > 0 && text[len - 1] == '\n')
		len--;
	copy_token(comm, size, text, len);
	free(text);
}

/* Claims the sockets of one process among inodes[0..n); returns how many
 * it claimed, or -errno when its fd directory cannot be read. */
static int scan_process(const char *root, int pid, const uint64_t *inodes,
			size_t n, struct sock_owner *owners)
{
	char path[4096], link[64];
	struct dirent *e;
	int claimed = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc/%d/fd", root, pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		ssize_t len = readlinkat(dirfd(d), e->d_name, link,
					 sizeof(link) - 1);
		const uint64_t *hit;
		uint64_t inode;

		if (len <= 0)
			continue;
		link[len] = '\0';
		if (!socket_link_inode(link, &inode))
			continue;
		hit = bsearch(&inode, inodes, n, sizeof(*inodes), inode_cmp);
		/* The lowest pid wins when a socket is shared (fork), in
		 * whatever order the directory lists them. */
		if (hit && (owners[hit - inodes].pid == 0 ||
			    owners[hit - inodes].pid > pid)) {
			owners[hit - inodes].pid = pid;
			claimed++;
		}
	}
	closedir(d);
	return claimed;
}

static void name_owners(const char *root, int pid, size_t n,
			struct sock_owner *owners)
{
	char comm[sizeof(owners->comm)];

	read_comm(root, pid, comm, sizeof(comm));
	for (size_t i = 0; i < n; i++)
		if (owners[i].pid == pid)
			memcpy(owners[i].comm, comm, sizeof(comm));
}

int sock_owners_find(const char *root, const uint64_t *inodes, size_t n,
		     struct sock_owner *owners, int *denied)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	*denied = 0;
	memset(owners, 0, n * sizeof(*owners));
	path_join(path, sizeof(path), root, "/proc");
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		int pid, rc;

		if (!parse_pid(e->d_name, &pid))
			continue;
		rc = scan_process(root, pid, inodes, n, owners);
		if (rc == -EACCES || rc == -EPERM)
			(*denied)++;
		else if (rc > 0)
			name_owners(root, pid, n, owners);
	}
	closedir(d);
	return 0;
}
