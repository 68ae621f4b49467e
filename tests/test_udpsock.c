/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/udp and /proc/net/udp6: real captures, edits of them, and
 * sockets this test opens on loopback. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

/* ---- /proc/net/udp ---- */

static const struct udp_socket *sock_by_port(const struct snapshot *s,
					     uint16_t port, int nth)
{
	for (size_t i = 0; i < s->nsocks; i++)
		if (s->socks[i].lport == port && nth-- == 0)
			return &s->socks[i];
	return NULL;
}

static bool little_endian(void)
{
	uint32_t one = 1;
	unsigned char b;

	memcpy(&b, &one, 1);
	return b == 1;
}

START_TEST(udp_mdns_drops)
{
	const struct udp_socket *u;
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, udp4_parse,
		"proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt"), 0);
	assert_no_notes(&s, "udp");
	ck_assert(s.have_udp);
	ck_assert(!s.have_udp6);
	ck_assert_uint_eq(s.nsocks, 11);
	u = sock_by_port(&s, 5353, 0);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->family, AF_INET);
	ck_assert_str_eq(u->local, "0.0.0.0");
	ck_assert_str_eq(u->remote, "0.0.0.0");
	ck_assert_uint_eq(u->rport, 0);
	ck_assert_uint_eq(u->uid, 105);
	ck_assert_uint_eq(u->inode, 941);
	ck_assert(u->have_drops);
	ck_assert_uint_eq(u->drops, 8109);
	ck_assert_uint_eq(u->rx_queue, 0);
	/* Bucket 1838 holds three NTP sockets. */
	ck_assert_ptr_nonnull(sock_by_port(&s, 123, 2));
	ck_assert_ptr_null(sock_by_port(&s, 123, 3));
	if (little_endian()) {
		ck_assert_str_eq(sock_by_port(&s, 123, 0)->local,
				 "138.67.186.230");
		ck_assert_str_eq(sock_by_port(&s, 123, 1)->local, "127.0.0.1");
	}
	snapshot_free(&s);
}
END_TEST

START_TEST(udp_rhcos)
{
	const struct udp_socket *u;
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, udp4_parse,
		"proc-net-udp/rhcos-k4.18-hyperv-sosreport.txt"), 0);
	assert_no_notes(&s, "udp");
	ck_assert_uint_eq(s.nsocks, 5);
	u = sock_by_port(&s, 0xAA42, 0);
	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(u->uid, 29);
	ck_assert_uint_eq(u->inode, 24899);
	ck_assert(u->have_drops && u->drops == 0);
	u = sock_by_port(&s, 68, 0);
	ck_assert_ptr_nonnull(u);
	if (little_endian())
		ck_assert_str_eq(u->local, "172.16.1.10");
	snapshot_free(&s);
}
END_TEST

/* Kernels before 2.6.27 print no drops column. */
START_TEST(udp_without_drops_column)
{
	char *cur = test_data(
		"proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt",
		NULL);
	int lines = text_count_lines(cur);
	const struct udp_socket *u;
	struct snapshot s;

	for (int l = 1; l <= lines; l++) {
		char *next = text_drop_token(cur, l, -1);

		free(cur);
		cur = next;
	}
	ck_assert_int_eq(parse_text(&s, udp4_parse, cur), 0);
	assert_no_notes(&s, "no drops");
	ck_assert_uint_eq(s.nsocks, 11);
	u = sock_by_port(&s, 5353, 0);
	ck_assert_ptr_nonnull(u);
	ck_assert(!u->have_drops);
	ck_assert_uint_eq(u->drops, 0);
	ck_assert_uint_eq(u->inode, 941);
	snapshot_free(&s);
	free(cur);
}
END_TEST

START_TEST(udp_bad_line)
{
	char *text = test_data(
		"proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt",
		NULL);
	char *edit = text_replace_token(text, 11, 9, "94x");
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, udp4_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/udp: line 11"));
	ck_assert_uint_eq(s.nsocks, 10);
	ck_assert_ptr_null(sock_by_port(&s, 5353, 0));
	ck_assert(s.have_udp);
	snapshot_free(&s);
	free(edit);
	free(text);

	ck_assert_int_eq(parse_text(&s, udp4_parse, ""), -EINVAL);
	ck_assert(!s.have_udp);
	ck_assert(any_note_has(&s, "/proc/net/udp"));
	snapshot_free(&s);
}
END_TEST

/* Reads this host's file and finds the socket with fd's inode. */
static const struct udp_socket *find_live_socket(struct snapshot *s, int fd,
						 const char *path, int family)
{
	struct stat st;
	char *text;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(read_text_file(path, &text, NULL), 0);
	snapshot_init(s);
	ck_assert_int_eq(udp_parse(s, text, family), 0);
	assert_no_notes(s, path);
	free(text);
	for (size_t i = 0; i < s->nsocks; i++)
		if (s->socks[i].inode == (uint64_t)st.st_ino)
			return &s->socks[i];
	return NULL;
}

START_TEST(udp_live_loopback)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	socklen_t alen = sizeof(a);
	const struct udp_socket *u;
	struct snapshot s;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	u = find_live_socket(&s, fd, "/proc/net/udp", AF_INET);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->local, "127.0.0.1");
	ck_assert_uint_eq(u->lport, ntohs(a.sin_port));
	ck_assert_uint_eq(u->uid, getuid());
	ck_assert(u->have_drops);
	snapshot_free(&s);
	close(fd);

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	a6.sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a6, sizeof(a6)) < 0) {
		printf("udp_live_loopback: no IPv6 loopback here, udp6 part "
		       "skipped\n");
		if (fd >= 0)
			close(fd);
		return;
	}
	alen = sizeof(a6);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a6, &alen), 0);
	u = find_live_socket(&s, fd, "/proc/net/udp6", AF_INET6);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->family, AF_INET6);
	ck_assert_str_eq(u->local, "::1");
	ck_assert_uint_eq(u->lport, ntohs(a6.sin6_port));
	ck_assert(s.have_udp6);
	snapshot_free(&s);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("udpsock");
	TCase *udp = tcase_create("udp");

	tcase_add_test(udp, udp_mdns_drops);
	tcase_add_test(udp, udp_rhcos);
	tcase_add_test(udp, udp_without_drops_column);
	tcase_add_test(udp, udp_bad_line);
	tcase_add_test(udp, udp_live_loopback);
	suite_add_tcase(s, udp);
	return test_run_suite(s);
}
