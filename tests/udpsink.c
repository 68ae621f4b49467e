/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udpsink: UDP sockets for the integration tests.
 *   udpsink ADDR PORT RCVBUF SECONDS [NSOCKS]
 * Binds ADDR:PORT (0 = any free port) with SO_RCVBUF=RCVBUF (0 = default),
 * prints the bound port on stdout, then sleeps SECONDS without reading, so
 * its receive buffer overflows under load. SECONDS=0 exits at once (a free
 * port with no listener). NSOCKS > 1 binds that many sockets to the same
 * port with SO_REUSEPORT (a REUSEPORT group), none of them read. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SOCKS 64

/* One socket bound to *sin; a port 0 in *sin becomes the bound port. */
static int open_sink(struct sockaddr_in *sin, int rcvbuf, bool reuseport)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	if (fd < 0 ||
	    (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				      sizeof(rcvbuf)) < 0) ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one,
				     sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) < 0) {
		perror("udpsink");
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;
	int fds[MAX_SOCKS], nsocks, rcvbuf;

	if (argc != 5 && argc != 6) {
		fputs("usage: udpsink ADDR PORT RCVBUF SECONDS [NSOCKS]\n", stderr);
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "udpsink: bad address %s\n", argv[1]);
		return 2;
	}
	rcvbuf = atoi(argv[3]);
	nsocks = argc == 6 ? atoi(argv[5]) : 1;
	if (nsocks < 1 || nsocks > MAX_SOCKS) {
		fprintf(stderr, "udpsink: NSOCKS must be 1..%d\n", MAX_SOCKS);
		return 2;
	}
	for (int i = 0; i < nsocks; i++) {
		fds[i] = open_sink(&sin, rcvbuf, nsocks > 1);
		if (fds[i] < 0)
			return 1;
	}
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	sleep((unsigned)atoi(argv[4]));
	for (int i = 0; i < nsocks; i++)
		close(fds[i]);
	return 0;
}
