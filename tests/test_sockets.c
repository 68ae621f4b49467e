/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `sockets` source: the capture tests/data/sockets/reuseport4-netns-
 * k6.18.txt (four SO_REUSEPORT sockets, one flooded), edits of it, the
 * owner scan on a made-up /proc tree, and sock_diag against this kernel. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockowner.h"
#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

#define CAPTURE "sockets/reuseport4-netns-k6.18.txt"
#define FLOODED 3   /* line of inode 198738, the socket that dropped */
#define T_RMEM 7
#define T_RCVBUF 8
#define T_DROPS 9
#define T_COMM 11

static const struct udp_socket *by_inode(const struct snapshot *s,
					 uint64_t inode)
{
	for (size_t i = 0; i < s->nsocks; i++)
		if (s->socks[i].inode == inode)
			return &s->socks[i];
	return NULL;
}

static char *capture(void)
{
	size_t len;

	return test_data(CAPTURE, &len);
}

START_TEST(capture_figures)
{
	const struct udp_socket *u;
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, sockets_parse, CAPTURE), 0);
	assert_no_notes(&s, "sockets");
	ck_assert(s.have_sockdiag);
	ck_assert_uint_eq(s.nsocks, 5);
	u = by_inode(&s, 198738);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->family, AF_INET);
	ck_assert_str_eq(u->local, "192.0.2.2");
	ck_assert_uint_eq(u->lport, 9999);
	ck_assert_str_eq(u->remote, "0.0.0.0");
	ck_assert_uint_eq(u->rport, 0);
	ck_assert_uint_eq(u->uid, 0);
	ck_assert_uint_eq(u->rx_queue, 3328);
	ck_assert(u->have_rcvbuf);
	ck_assert_uint_eq(u->rcvbuf, 4096);
	ck_assert(u->have_drops);
	ck_assert_uint_eq(u->drops, 19996);
	ck_assert_int_eq(u->pid, 2657);
	ck_assert_str_eq(u->comm, "udpsink");
	u = by_inode(&s, 198419);
	ck_assert_int_eq(u->family, AF_INET6);
	ck_assert_str_eq(u->local, "::");
	ck_assert_uint_eq(u->lport, 5353);
	ck_assert_uint_eq(u->rcvbuf, 212992);
	ck_assert_str_eq(u->comm, "python3");
	snapshot_free(&s);
}
END_TEST

/* The printer writes back exactly what the kernel-side collector wrote. */
START_TEST(print_round_trip)
{
	char *text = capture();
	struct snapshot s;
	struct strbuf sb;

	ck_assert_int_eq(parse_text(&s, sockets_parse, text), 0);
	sb_init(&sb);
	for (size_t i = 0; i < s.nsocks; i++)
		sockets_print(&sb, &s.socks[i]);
	ck_assert_str_eq(sb.s, text);
	sb_free(&sb);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* Kernels before SK_MEMINFO_DROPS, or a short SKMEMINFO: the key is
 * absent and the figure unknown, never 0. */
START_TEST(optional_keys_absent)
{
	char *text = capture(), *e1 = text_drop_token(text, FLOODED, T_DROPS);
	char *e2 = text_drop_token(e1, FLOODED, T_RCVBUF);
	const struct udp_socket *u;
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, sockets_parse, e2), 0);
	assert_no_notes(&s, "sockets");
	u = by_inode(&s, 198738);
	ck_assert(!u->have_drops && !u->have_rcvbuf);
	ck_assert_uint_eq(u->rx_queue, 3328);
	ck_assert(by_inode(&s, 198737)->have_drops);
	snapshot_free(&s);
	free(text);
	free(e1);
	free(e2);
}
END_TEST

START_TEST(unknown_key_ignored)
{
	char *text = capture();
	char *e = text_replace_token(text, FLOODED, T_COMM,
				     "comm=udpsink cookie=77 zz");
	struct snapshot s;

	/* "zz" has no '=': that line is refused, the others stay. */
	ck_assert_int_eq(parse_text(&s, sockets_parse, e), -EINVAL);
	ck_assert(any_note_has(&s, "sockets: line 3: bad field 'zz'"));
	ck_assert_uint_eq(s.nsocks, 4);
	snapshot_free(&s);
	free(e);
	e = text_replace_token(text, FLOODED, T_COMM, "comm=udpsink cookie=77");
	ck_assert_int_eq(parse_text(&s, sockets_parse, e), 0);
	ck_assert_str_eq(by_inode(&s, 198738)->comm, "udpsink");
	snapshot_free(&s);
	free(e);
	free(text);
}
END_TEST

static void assert_bad_line(const char *text, const char *note, size_t n)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, sockets_parse, text), -EINVAL);
	ck_assert_msg(any_note_has(&s, note), "no note '%s'", note);
	ck_assert_uint_eq(s.nsocks, n);
	ck_assert(!by_inode(&s, 198738));
	snapshot_free(&s);
}

START_TEST(malformed_lines)
{
	char *text = capture(), *e;

	e = text_replace_token(text, FLOODED, 2, "lport=99999");
	assert_bad_line(e, "sockets: line 3: bad field 'lport=99999'", 4);
	free(e);
	e = text_replace_token(text, FLOODED, 1, "local=192.0.2.256");
	assert_bad_line(e, "sockets: line 3: bad field", 4);
	free(e);
	e = text_drop_token(text, FLOODED, 5);
	assert_bad_line(e, "sockets: line 3: lacks family, local, lport or "
			   "inode", 4);
	free(e);
	e = text_replace_token(text, FLOODED, T_RMEM, "rmem=-1");
	assert_bad_line(e, "sockets: line 3: bad field 'rmem=-1'", 4);
	free(e);
	e = text_replace_token(text, FLOODED, T_COMM, "comm=a\\9");
	assert_bad_line(e, "sockets: line 3: bad field", 4);
	free(e);
	free(text);
}
END_TEST

/* A cut recording: the last line may have lost digits. */
START_TEST(truncated)
{
	char *text = capture();
	char *cut = text_cut(text, (size_t)(strstr(text, "drops=19996") -
					    text) + 9);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, sockets_parse, cut), -EINVAL);
	ck_assert(any_note_has(&s, "sockets: line 3: incomplete last line"));
	ck_assert_uint_eq(s.nsocks, 2);
	snapshot_free(&s);
	free(cut);
	free(text);
}
END_TEST

START_TEST(comm_escapes)
{
	char *text = capture();
	char *e = text_replace_token(text, FLOODED, T_COMM,
				     "comm=my\\040app\\134x=1");
	struct snapshot s;
	struct strbuf sb;

	ck_assert_int_eq(parse_text(&s, sockets_parse, e), 0);
	ck_assert_str_eq(by_inode(&s, 198738)->comm, "my app\\x=1");
	sb_init(&sb);
	sockets_print(&sb, by_inode(&s, 198738));
	ck_assert_ptr_nonnull(strstr(sb.s, " comm=my\\040app\\134x=1\n"));
	sb_free(&sb);
	snapshot_free(&s);
	free(e);
	free(text);
}
END_TEST

/* No UDP socket at all is a valid, empty source. */
START_TEST(empty_is_valid)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, sockets_parse, ""), 0);
	ck_assert(s.have_sockdiag);
	ck_assert_uint_eq(s.nsocks, 0);
	snapshot_free(&s);
}
END_TEST

/* With `sockets` recorded, /proc/net/udp is not parsed as well. */
START_TEST(sockets_replace_proc_net_udp)
{
	struct raw_snapshot r;
	struct snapshot s;

	raw_init(&r);
	test_raw_add_file(&r, "/proc/net/udp",
		"proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt");
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_uint_eq(s.nsocks, 11);
	ck_assert(!s.have_sockdiag);
	snapshot_free(&s);
	test_raw_add_file(&r, "sockets", CAPTURE);
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	ck_assert_uint_eq(s.nsocks, 5);
	ck_assert(s.have_sockdiag);
	snapshot_free(&s);
	raw_free(&r);
}
END_TEST

/* ---- owners, on a /proc tree made for the test ---- */

static void make_proc(const char *root)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/proc", root);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	for (int pid = 41; pid <= 42; pid++) {
		snprintf(p, sizeof(p), "%s/proc/%d", root, pid);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		snprintf(p, sizeof(p), "%s/proc/%d/fd", root, pid);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		snprintf(p, sizeof(p), "%s/proc/%d/comm", root, pid);
		text_write_file(p, pid == 41 ? "udpsink\n" : "other\n");
	}
	snprintf(p, sizeof(p), "%s/proc/41/fd/3", root);
	ck_assert_int_eq(symlink("socket:[198738]", p), 0);
	snprintf(p, sizeof(p), "%s/proc/41/fd/4", root);
	ck_assert_int_eq(symlink("/dev/null", p), 0);
	/* A forked child shares the socket: the lower pid is the owner. */
	snprintf(p, sizeof(p), "%s/proc/42/fd/3", root);
	ck_assert_int_eq(symlink("socket:[198738]", p), 0);
	snprintf(p, sizeof(p), "%s/proc/42/fd/5", root);
	ck_assert_int_eq(symlink("socket:[198419]", p), 0);
	snprintf(p, sizeof(p), "%s/proc/self", root);
	ck_assert_int_eq(symlink("41", p), 0);
}

START_TEST(owners_from_proc_fd)
{
	char root[] = "/tmp/droptop-owners.XXXXXX", cmd[600];
	const uint64_t inodes[] = { 198419, 198737, 198738 };
	struct sock_owner own[3];
	int denied = -1;

	ck_assert_ptr_nonnull(mkdtemp(root));
	make_proc(root);
	ck_assert_int_eq(sock_owners_find(root, inodes, 3, own, &denied), 0);
	ck_assert_int_eq(denied, 0);
	ck_assert_int_eq(own[0].pid, 42);
	ck_assert_str_eq(own[0].comm, "other");
	ck_assert_int_eq(own[1].pid, 0);
	ck_assert_str_eq(own[1].comm, "");
	ck_assert_int_eq(own[2].pid, 41);
	ck_assert_str_eq(own[2].comm, "udpsink");
	ck_assert_int_eq(sock_owners_find("/nonexistent", inodes, 3, own,
					  &denied), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- sock_diag against this kernel, on loopback ---- */

static int bound_socket(int family, int rcvbuf, uint16_t *port,
			uint64_t *inode)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct stat st;
	int fd = socket(family, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr =
			htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				    sizeof(rcvbuf)), 0);
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
		 sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0) {
		close(fd);
		return -1;
	}
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
				       : ((struct sockaddr_in6 *)&ss)->sin6_port);
	ck_assert_int_eq(fstat(fd, &st), 0);
	*inode = (uint64_t)st.st_ino;
	return fd;
}

static void live_snapshot(struct snapshot *s)
{
	struct raw_snapshot r;

	raw_init(&r);
	ck_assert_int_eq(sockdiag_collect(NULL, "", &r), 0);
	ck_assert_ptr_nonnull(raw_find(&r, "sockets"));
	snapshot_init(s);
	snapshot_from_raw(&r, s);
	raw_free(&r);
}

static int send_burst(uint16_t port, int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), sent = 0;
	char buf[32] = "droptop";

	test_live_lock();
	to.sin_port = htons(port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++)
		sent += sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&to,
			       sizeof(to)) == sizeof(buf);
	close(fd);
	return sent;
}

static int drain(int fd)
{
	char buf[64];
	int n = 0;

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/* Every datagram sent is either read or counted in the socket's drops;
 * rcvbuf is what getsockopt says; the owner is this process. */
START_TEST(live_sockdiag)
{
	const struct udp_socket *u;
	struct snapshot s;
	int fd, rcvbuf = 2048, got, sent, read_n;
	socklen_t len = sizeof(got);
	uint64_t inode;
	uint16_t port;
	char comm[16];

	ck_assert_int_eq(prctl(PR_GET_NAME, comm), 0);
	fd = bound_socket(AF_INET, rcvbuf, &port, &inode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len), 0);
	live_snapshot(&s);
	u = by_inode(&s, inode);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->local, "127.0.0.1");
	ck_assert_uint_eq(u->lport, port);
	ck_assert_uint_eq(u->uid, getuid());
	ck_assert(u->have_rcvbuf && u->have_drops);
	ck_assert_uint_eq(u->rcvbuf, (uint64_t)got);
	ck_assert_uint_eq(u->drops, 0);
	ck_assert_int_eq(u->pid, getpid());
	ck_assert_str_eq(u->comm, comm);
	snapshot_free(&s);
	sent = send_burst(port, 200);
	live_snapshot(&s);
	u = by_inode(&s, inode);
	ck_assert_uint_gt(u->rx_queue, 0);
	read_n = drain(fd);
	ck_assert_uint_eq(u->drops + (uint64_t)read_n, (uint64_t)sent);
	ck_assert_uint_gt(u->drops, 0);
	snapshot_free(&s);
	close(fd);
}
END_TEST

START_TEST(live_sockdiag_ipv6)
{
	struct snapshot s;
	uint64_t inode;
	uint16_t port;
	int fd = bound_socket(AF_INET6, 4096, &port, &inode);

	if (fd < 0)
		return; /* no IPv6 loopback here: nothing to compare */
	live_snapshot(&s);
	ck_assert_ptr_nonnull(by_inode(&s, inode));
	ck_assert_int_eq(by_inode(&s, inode)->family, AF_INET6);
	ck_assert_str_eq(by_inode(&s, inode)->local, "::1");
	ck_assert_uint_eq(by_inode(&s, inode)->lport, port);
	snapshot_free(&s);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sockets");
	TCase *tc = tcase_create("sockets");

	tcase_add_test(tc, capture_figures);
	tcase_add_test(tc, print_round_trip);
	tcase_add_test(tc, optional_keys_absent);
	tcase_add_test(tc, unknown_key_ignored);
	tcase_add_test(tc, malformed_lines);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, comm_escapes);
	tcase_add_test(tc, empty_is_valid);
	tcase_add_test(tc, sockets_replace_proc_net_udp);
	tcase_add_test(tc, owners_from_proc_fd);
	tcase_add_test(tc, live_sockdiag);
	tcase_add_test(tc, live_sockdiag_ipv6);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
