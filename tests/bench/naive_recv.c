/* SPDX-License-Identifier: GPL-2.0-or-later */
/* naive_recv: the baseline of tests/bench/receiver, written after the
 * pseudo-code of the "How to receive a million packets per second"
 * experiment: one UDP socket bound to the port, and forever
 *     recvmmsg(fd, 1024 messages, MSG_WAITFORONE)
 * with nothing else. It counts the datagrams and, on SIGINT or SIGTERM,
 * prints "naive totals: packets N".
 *   naive_recv ADDR PORT
 * The only addition is a 100 ms receive timeout, so that a signal that
 * arrives between two calls is not missed. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define VLEN 1024
#define BUFSIZE 2048

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_socket(const char *addr, int port)
{
	struct sockaddr_in sin;
	struct timeval tv = { 0, 100000 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (fd < 0 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("naive_recv");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

int main(int argc, char **argv)
{
	static char bufs[VLEN][BUFSIZE];
	static struct iovec iov[VLEN];
	static struct mmsghdr msgs[VLEN];
	struct sigaction sa;
	unsigned long long packets = 0;
	int fd, n;

	if (argc != 3) {
		fputs("usage: naive_recv ADDR PORT\n", stderr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fd = open_socket(argv[1], atoi(argv[2]));
	for (int i = 0; i < VLEN; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = BUFSIZE;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	fprintf(stderr, "naive_recv: listening on %s:%s\n", argv[1], argv[2]);
	while (!stop) {
		n = recvmmsg(fd, msgs, VLEN, MSG_WAITFORONE, NULL);
		if (n > 0)
			packets += (unsigned long long)n;
	}
	fprintf(stderr, "naive totals: packets %llu\n", packets);
	return 0;
}
