/* udpsink: a UDP socket for the integration tests.
 *   udpsink ADDR PORT RCVBUF SECONDS
 * Binds ADDR:PORT (0 = any free port) with SO_RCVBUF=RCVBUF (0 = default),
 * prints the bound port on stdout, then sleeps SECONDS without reading, so
 * its receive buffer overflows under load. SECONDS=0 exits at once (a free
 * port with no listener). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, rcvbuf;

	if (argc != 5) {
		fputs("usage: udpsink ADDR PORT RCVBUF SECONDS\n", stderr);
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "udpsink: bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	rcvbuf = atoi(argv[3]);
	if (fd < 0 || (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
						 sizeof(rcvbuf)) < 0) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		perror("udpsink");
		return 1;
	}
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	sleep((unsigned)atoi(argv[4]));
	close(fd);
	return 0;
}
