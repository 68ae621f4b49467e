/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/sys/kernel/hostname and /proc/sys/kernel/osrelease: one line each,
 * the host name (of the UTS namespace) and the kernel release. The
 * dashboard's top line names the host and kernel a recording came from, so
 * they travel in the snapshot like any counter rather than being asked of
 * the machine that replays it. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "sources_internal.h"
#include "util.h"

/* Copies the first line of text into buf; an empty line stays unknown. */
static int first_line(struct snapshot *s, const char *src, const char *text,
		      char *buf, size_t size)
{
	const char *pos = text, *line;
	size_t len;

	line = next_line(&pos, &len);
	if (!line || len == 0) {
		snapshot_note(s, "%s: line 1: empty", src);
		return -EINVAL;
	}
	copy_token(buf, size, line, len);
	return 0;
}

int hostname_parse(struct snapshot *s, const char *text)
{
	return first_line(s, "/proc/sys/kernel/hostname", text, s->hostname,
			  sizeof(s->hostname));
}

int osrelease_parse(struct snapshot *s, const char *text)
{
	return first_line(s, "/proc/sys/kernel/osrelease", text,
			  s->kernel_release, sizeof(s->kernel_release));
}

int netns_parse(struct snapshot *s, const char *text)
{
	return first_line(s, "netns", text, s->netns, sizeof(s->netns));
}
