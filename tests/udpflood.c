/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udpflood: a bounded UDP sender for the integration tests.
 *   udpflood ADDR PORT COUNT [RATE_PPS] [MAX_SECONDS]
 * Sends exactly COUNT datagrams of 32 bytes (unless MAX_SECONDS runs out
 * first), at most RATE_PPS per second (0: as fast as possible), and prints
 * the number sent. Only for loopback or test namespaces. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_socket(const char *addr, int port, struct sockaddr_storage *ss,
		       socklen_t *sslen)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*in4);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*in6);
	} else {
		fprintf(stderr, "udpflood: bad address %s\n", addr);
		return -1;
	}
	return socket(ss->ss_family, SOCK_DGRAM, 0);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char payload[32] = "droptop-test";
	long count, sent = 0;
	double rate, limit, start;
	int fd;

	if (argc < 4) {
		fputs("usage: udpflood ADDR PORT COUNT [RATE_PPS] [MAX_SECONDS]\n", stderr);
		return 2;
	}
	count = atol(argv[3]);
	rate = argc > 4 ? atof(argv[4]) : 0;
	limit = argc > 5 ? atof(argv[5]) : 30;
	fd = open_socket(argv[1], atoi(argv[2]), &ss, &sslen);
	if (fd < 0)
		return 2;
	start = now();
	while (sent < count) {
		double t = now() - start;

		if (t > limit)
			break;
		if (rate > 0 && sent >= (long)(t * rate)) {
			usleep(200);
			continue;
		}
		if (sendto(fd, payload, sizeof(payload), 0,
			   (struct sockaddr *)&ss, sslen) < 0 &&
		    errno != ECONNREFUSED && errno != ENOBUFS)
			break;
		sent++;
	}
	printf("%ld\n", sent);
	close(fd);
	return 0;
}
