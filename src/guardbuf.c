/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guard-page buffers for kernel replies whose length the kernel decides
 * (see guardbuf.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guardbuf.h"

static size_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}

int guardbuf_alloc(struct guardbuf *g, size_t len)
{
	size_t ps = page_size();
	size_t body;
	char *map;

	memset(g, 0, sizeof(*g));
	if (len == 0 || len > SIZE_MAX - 2 * ps)
		return -EINVAL;
	body = (len + ps - 1) / ps * ps;
	map = mmap(NULL, body + ps, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return -errno;
	if (mprotect(map + body, ps, PROT_NONE) < 0) {
		int err = errno;

		munmap(map, body + ps);
		return -err;
	}
	g->map = map;
	g->map_len = body + ps;
	/* The end of the buffer touches the guard: not one spare byte. */
	g->data = map + body - len;
	g->len = len;
	return 0;
}

void guardbuf_free(struct guardbuf *g)
{
	if (g->map)
		munmap(g->map, g->map_len);
	memset(g, 0, sizeof(*g));
}
