/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in receiver: the `receiver` source on a real recording (and
 * damaged copies of it), the option values (tables of edge cases), and a
 * live round trip on loopback through receiver_format and the parser. */
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

#include "receiver.h"
#include "recording.h"
#include "sources_internal.h"
#include "testutil.h"

#define REC "receiver/loopback-2threads.rec"

/* The receiver text of snapshot idx of the real recording (malloc'ed). */
static char *recorded_receiver(size_t idx)
{
	struct raw_snapshot *snaps;
	const struct raw_source *src;
	char err[256], *text, path[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, REC);
	ck_assert_int_eq(recording_load(path, &snaps, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	src = raw_find(&snaps[idx], "receiver");
	ck_assert_ptr_nonnull(src);
	text = xstrdup(src->text);
	recording_free(snaps, n);
	return text;
}

static int parse(struct snapshot *s, const char *text)
{
	snapshot_init(s);
	return receiver_parse(s, text);
}

/* Figures as recorded: 2 threads on 127.0.0.1:60137, batch 64. */
START_TEST(parses_recorded_counters)
{
	char *text = recorded_receiver(1);
	struct snapshot s;
	const struct receiver_thread *t;

	ck_assert_int_eq(parse(&s, text), 0);
	ck_assert(s.receiver.present);
	ck_assert_str_eq(s.receiver.addr, "127.0.0.1:60137");
	ck_assert_int_eq(s.receiver.batch, 64);
	ck_assert_int_eq(s.receiver.reuseport, 1);
	ck_assert_int_eq(s.receiver.rcvbuf, 212992);
	ck_assert_int_eq(s.receiver.busy_poll, 0);
	ck_assert_uint_eq(s.receiver.nthreads, 2);
	t = &s.receiver.threads[0];
	ck_assert(t->have_packets && t->have_bytes && t->have_calls &&
		  t->have_full);
	ck_assert_uint_eq(t->packets, 77108);
	ck_assert_uint_eq(t->bytes, 2467456);
	ck_assert_uint_eq(t->calls, 16883);
	ck_assert_uint_eq(t->full, 233);
	ck_assert_int_eq(t->cpu, 0);
	ck_assert_int_eq(t->node, 0);
	ck_assert_uint_eq(s.receiver.threads[1].packets, 77127);
	ck_assert_int_eq(s.receiver.threads[1].cpu, 1);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* Before the first datagram a thread has no CPU: -1 stays unknown. */
START_TEST(first_snapshot_has_no_cpu)
{
	char *text = recorded_receiver(0);
	struct snapshot s;

	ck_assert_int_eq(parse(&s, text), 0);
	ck_assert_uint_eq(s.receiver.threads[0].packets, 0);
	ck_assert_int_eq(s.receiver.threads[0].cpu, -1);
	ck_assert_int_eq(s.receiver.threads[1].node, -1);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* Replaces the first occurrence of from in text (malloc'ed result). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	struct strbuf sb;

	ck_assert_ptr_nonnull(p);
	sb_init(&sb);
	sb_append(&sb, text, (size_t)(p - text));
	sb_puts(&sb, to);
	sb_puts(&sb, p + strlen(from));
	return sb_steal(&sb);
}

static void expect_damaged(const char *text, const char *note)
{
	struct snapshot s;

	ck_assert_int_eq(parse(&s, text), -EINVAL);
	ck_assert(!s.receiver.present);
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], note);
	snapshot_free(&s);
}

START_TEST(damaged_copies_are_refused)
{
	char *text = recorded_receiver(1), *bad;
	size_t len = strlen(text);

	bad = xstrndup(text, len - 1);   /* the last newline lost */
	expect_damaged(bad, "receiver: line 3: incomplete last line "
			    "(truncated?)");
	free(bad);
	bad = edit(text, "thread 1 packets 77127 bytes 2468064 calls 17097 "
			 "full 224 cpu 1 node 0\n", "");
	expect_damaged(bad, "receiver: 2 threads announced, 1 listed");
	free(bad);
	bad = edit(text, "packets 77108", "packets 77x08");
	expect_damaged(bad, "receiver: line 2: expected 'thread' followed by "
			    "KEY VALUE pairs");
	free(bad);
	bad = edit(text, "thread 1 ", "thread 0 ");
	expect_damaged(bad, "receiver: line 3: thread listed twice");
	free(bad);
	bad = edit(text, " node 0\n", " node\n");
	expect_damaged(bad, "receiver: line 2: expected 'thread' followed by "
			    "KEY VALUE pairs");
	free(bad);
	bad = edit(text, "receiver 127.0.0.1:60137 ", "sender 127.0.0.1:60137 ");
	expect_damaged(bad, "receiver: no 'receiver' line");
	free(bad);
	free(text);
}
END_TEST

/* A newer droptop's keys and line kinds are skipped, not refused. */
START_TEST(unknown_keys_and_lines_skipped)
{
	char *text = recorded_receiver(1), *a, *b;
	struct snapshot s;

	a = edit(text, " full 233", " full 233 drops 5");
	b = edit(a, "thread 0", "socket 0 drops 7\nthread 0");
	ck_assert_int_eq(parse(&s, b), 0);
	ck_assert_uint_eq(s.nnotes, 0);
	ck_assert_uint_eq(s.receiver.threads[0].full, 233);
	ck_assert_int_eq(s.receiver.threads[0].cpu, 0);
	snapshot_free(&s);
	free(a);
	free(b);
	free(text);
}
END_TEST

struct opt_case {
	enum receiver_opt opt;
	const char *arg;
	const char *err;   /* NULL: accepted */
};

static const struct opt_case opt_cases[] = {
	{ RXOPT_RECEIVE, "5000", NULL },
	{ RXOPT_RECEIVE, "127.0.0.1:0", NULL },
	{ RXOPT_RECEIVE, "[::1]:5000", NULL },
	{ RXOPT_RECEIVE, "", "'': port: '' is not a number" },
	{ RXOPT_RECEIVE, "127.0.0.1:", "'127.0.0.1:': port: '' is not a "
				       "number" },
	{ RXOPT_RECEIVE, "localhost:5000", "'localhost:5000': 'localhost' is "
					   "not a numeric IPv4 address" },
	{ RXOPT_RECEIVE, "::1:5000", "'::1:5000' is not [ADDR:]PORT or "
				     "ADDR:PORT (IPv6 as [ADDR]:PORT)" },
	{ RXOPT_RECEIVE, "[::1]", "'[::1]' is not [ADDR:]PORT or ADDR:PORT "
				  "(IPv6 as [ADDR]:PORT)" },
	{ RXOPT_RECEIVE, "65536", "'65536': port: 65536 is out of range (0 to "
				  "65535)" },
	{ RXOPT_RECEIVE, "-1", "'-1': port: '-1' is not a number" },
	{ RXOPT_RECEIVE, "1.2.3:80", "'1.2.3:80': '1.2.3' is not a numeric "
				     "IPv4 address" },
	{ RXOPT_THREADS, "0", "--threads: 0 is out of range (1 to 256)" },
	{ RXOPT_THREADS, "257", "--threads: 257 is out of range (1 to 256)" },
	{ RXOPT_THREADS, "2x", "--threads: '2x' is not a number" },
	{ RXOPT_THREADS, "256", NULL },
	{ RXOPT_BATCH, "1024", NULL },
	{ RXOPT_BATCH, "1025", "--batch: 1025 is out of range (1 to 1024)" },
	{ RXOPT_BATCH, "99999999999999999999999", "--batch: "
	  "'99999999999999999999999' is not a number" },
	{ RXOPT_BATCH, "0", "--batch: 0 is out of range (1 to 1024)" },
	{ RXOPT_RCVBUF, "4M", NULL },
	{ RXOPT_RCVBUF, "2G", "--rcvbuf: 2G is out of range (1 to 1073741824 "
			      "bytes)" },
	{ RXOPT_RCVBUF, "M", "--rcvbuf: 'M' is not a size in bytes (digits, "
			     "optional K, M or G)" },
	{ RXOPT_BUSY_POLL, "50", NULL },
	{ RXOPT_BUSY_POLL, "1000001", "--busy-poll: 1000001 is out of range "
				      "(0 to 1000000)" },
	{ RXOPT_CPUS, "0-3,8", NULL },
	{ RXOPT_CPUS, "3-1", "--cpus: '3-1' is not a CPU list such as 0-3,8" },
	{ RXOPT_CPUS, "4096", "--cpus: '4096' is not a CPU list such as "
			      "0-3,8" },
	{ RXOPT_CPUS, "0, 1", "--cpus: '0, 1' is not a CPU list such as "
			      "0-3,8" },
	{ RXOPT_CPUS, "-1", "--cpus: '-1' is not a CPU list such as 0-3,8" },
};

START_TEST(option_values)
{
	const struct opt_case *c = &opt_cases[_i];
	struct receiver_config cfg;
	char err[256] = "";
	int rc;

	receiver_config_init(&cfg);
	rc = receiver_config_set(&cfg, c->opt, c->arg, err, sizeof(err));
	if (!c->err) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", c->arg, err);
		return;
	}
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(err, c->err);
	/* A refused value leaves the setting as it was. */
	ck_assert_int_eq(cfg.threads, 1);
	ck_assert_int_eq(cfg.batch, RECEIVER_DEFAULT_BATCH);
}
END_TEST

START_TEST(option_effects)
{
	struct receiver_config c;
	char err[256], buf[80];

	receiver_config_init(&c);
	ck_assert(c.reuseport);
	ck_assert_int_eq(c.busy_poll, -1);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_RCVBUF, "4M", err,
					     sizeof(err)), 0);
	ck_assert_uint_eq(c.rcvbuf, 4194304);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_NO_REUSEPORT, NULL, err,
					     sizeof(err)), 0);
	ck_assert(!c.reuseport);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_CPUS, "1,3-4", err,
					     sizeof(err)), 0);
	ck_assert_int_eq(netopt_nth_cpu(c.cpus, 0), 1);
	ck_assert_int_eq(netopt_nth_cpu(c.cpus, 2), 4);
	ck_assert_int_eq(netopt_nth_cpu(c.cpus, 3), 1);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_RECEIVE, "5000", err,
					     sizeof(err)), 0);
	netaddr_format(&c.addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0.0.0:5000");
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_RECEIVE,
					     "[::1]:5001", err, sizeof(err)), 0);
	netaddr_format(&c.addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::1]:5001");
	ck_assert(netaddr_is_loopback(&c.addr));
}
END_TEST

static void send_n(const struct netaddr *to, int n)
{
	char payload[32] = "droptop-test";
	int fd = socket(to->ss.ss_family, SOCK_DGRAM, 0);

	test_live_lock();
	ck_assert_int_ge(fd, 0);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sendto(fd, payload, sizeof(payload), 0,
					(const struct sockaddr *)&to->ss,
					to->len), 32);
	close(fd);
}

/* The address a running receiver reports in its source text. */
static void receiver_addr(const struct receiver *r, struct netaddr *out)
{
	struct snapshot s;
	struct strbuf sb;
	char err[256];

	sb_init(&sb);
	receiver_format(r, &sb);
	ck_assert_int_eq(parse(&s, sb.s), 0);
	ck_assert_int_eq(netopt_addr(s.receiver.addr, false, 1, out, err,
				     sizeof(err)), 0);
	snapshot_free(&s);
	sb_free(&sb);
}

/* Loopback, 2 threads: every datagram sent before the stop is counted
 * (the stop drains the sockets), and the text parses back. */
static void round_trip(const char *addr)
{
	struct receiver_config c;
	struct receiver *r;
	struct snapshot s;
	struct strbuf sb;
	struct netaddr to;
	char err[256];
	uint64_t sum = 0;

	receiver_config_init(&c);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_RECEIVE, addr, err,
					     sizeof(err)), 0);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_THREADS, "2", err,
					     sizeof(err)), 0);
	ck_assert_int_eq(receiver_config_set(&c, RXOPT_RCVBUF, "1M", err,
					     sizeof(err)), 0);
	ck_assert_msg(receiver_start(&c, NULL, &r, err, sizeof(err)) == 0,
		      "%s", err);
	receiver_addr(r, &to);
	ck_assert_uint_gt(netaddr_port(&to), 0);
	send_n(&to, 1000);
	receiver_stop(r);
	sb_init(&sb);
	receiver_format(r, &sb);
	ck_assert_int_eq(parse(&s, sb.s), 0);
	ck_assert_uint_eq(s.receiver.nthreads, 2);
	for (size_t i = 0; i < 2; i++)
		sum += s.receiver.threads[i].packets;
	ck_assert_uint_eq(sum, 1000);
	ck_assert_int_eq(s.receiver.reuseport, 1);
	ck_assert_int_eq(s.receiver.batch, 512);
	/* SO_RCVBUFFORCE as root: the kernel's doubled 1 MiB. */
	if (geteuid() == 0)
		ck_assert_int_eq(s.receiver.rcvbuf, 2097152);
	sb_reset(&sb);
	receiver_totals(r, &sb);
	ck_assert_ptr_nonnull(strstr(sb.s, "packets 1000 bytes 32000 "));
	snapshot_free(&s);
	sb_free(&sb);
	receiver_free(r);
}

START_TEST(loopback_round_trip_v4)
{
	round_trip("127.0.0.1:0");
}
END_TEST

START_TEST(loopback_round_trip_v6)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0)
		return;   /* no IPv6 on this host: nothing to test */
	close(fd);
	round_trip("[::1]:0");
}
END_TEST

/* Two receivers on one port: the second is refused before it binds, with
 * a message naming the first's process; with --join it tries, and the
 * bind (without SO_REUSEPORT) fails naming the address. Nothing is left
 * running either way. */
START_TEST(bind_conflict_reported)
{
	struct receiver_config c;
	struct receiver *r1, *r2 = NULL;
	char err[512], want[256], name[80];

	receiver_config_init(&c);
	receiver_config_set(&c, RXOPT_RECEIVE, "127.0.0.1:0", err, sizeof(err));
	receiver_config_set(&c, RXOPT_NO_REUSEPORT, NULL, err, sizeof(err));
	ck_assert_int_eq(receiver_start(&c, NULL, &r1, err, sizeof(err)), 0);
	receiver_addr(r1, &c.addr);
	netaddr_format(&c.addr, name, sizeof(name));
	ck_assert_int_eq(receiver_start(&c, NULL, &r2, err, sizeof(err)),
			 -EADDRINUSE);
	snprintf(want, sizeof(want), "%s is already in use: 1 socket of pid "
		 "%d (test_receiver) on %s; ", name, (int)getpid(), name);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	ck_assert_ptr_null(r2);
	receiver_config_set(&c, RXOPT_JOIN, NULL, err, sizeof(err));
	ck_assert_int_eq(receiver_start(&c, NULL, &r2, err, sizeof(err)),
			 -EADDRINUSE);
	snprintf(want, sizeof(want), "bind %s: %s", name, strerror(EADDRINUSE));
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(r2);
	receiver_stop(r1);
	receiver_free(r1);
}
END_TEST

static void udp_at(struct udp_socket *u, int family, const char *local,
		   unsigned port)
{
	memset(u, 0, sizeof(*u));
	u->family = family;
	snprintf(u->local, sizeof(u->local), "%s", local);
	u->lport = (uint16_t)port;
}

/* Which bound sockets a receiver address would share datagrams with. */
static const struct {
	const char *mine;
	int family;
	const char *theirs;
	unsigned port;
	bool overlaps;
} overlap_cases[] = {
	{ "127.0.0.1:7012", AF_INET, "127.0.0.1", 7012, true },
	{ "127.0.0.1:7012", AF_INET, "127.0.0.1", 7013, false },
	{ "127.0.0.1:7012", AF_INET, "127.0.0.2", 7012, false },
	{ "127.0.0.1:7012", AF_INET, "0.0.0.0", 7012, true },
	{ "7012", AF_INET, "127.0.0.1", 7012, true },
	{ "7012", AF_INET, "10.1.2.3", 7012, true },
	{ "7012", AF_INET6, "::1", 7012, false },
	{ "7012", AF_INET6, "::", 7012, true },
	{ "127.0.0.1:7012", AF_INET6, "::", 7012, true },
	{ "127.0.0.1:7012", AF_INET6, "::ffff:127.0.0.1", 7012, true },
	{ "127.0.0.1:7012", AF_INET6, "::ffff:127.0.0.2", 7012, false },
	{ "[::]:7012", AF_INET, "127.0.0.1", 7012, true },
	{ "[::]:7012", AF_INET6, "fe80::1", 7012, true },
	{ "[::1]:7012", AF_INET6, "::1", 7012, true },
	{ "[::1]:7012", AF_INET6, "::2", 7012, false },
	{ "[::1]:7012", AF_INET, "0.0.0.0", 7012, false },
	{ "[::1]:7012", AF_INET, "127.0.0.1", 7012, false },
	{ "[::ffff:127.0.0.1]:7012", AF_INET, "127.0.0.1", 7012, true },
	{ "[::ffff:127.0.0.1]:7012", AF_INET, "0.0.0.0", 7012, true },
	/* An address sock_diag printed that does not parse: assumed taken. */
	{ "127.0.0.1:7012", AF_INET, "", 7012, true },
	/* Port 0: the kernel picks a free one. */
	{ "127.0.0.1:0", AF_INET, "127.0.0.1", 0, false },
};

START_TEST(address_overlap)
{
	struct netaddr a;
	struct udp_socket u;
	char err[256];

	ck_assert_int_eq(netopt_addr(overlap_cases[_i].mine, true, 0, &a, err,
				     sizeof(err)), 0);
	udp_at(&u, overlap_cases[_i].family, overlap_cases[_i].theirs,
	       overlap_cases[_i].port);
	ck_assert_msg(receiver_addr_overlaps(&a, &u) ==
			  overlap_cases[_i].overlaps,
		      "%s vs %s port %u", overlap_cases[_i].mine,
		      overlap_cases[_i].theirs, overlap_cases[_i].port);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("receiver");
	TCase *tc = tcase_create("receiver");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, parses_recorded_counters);
	tcase_add_test(tc, first_snapshot_has_no_cpu);
	tcase_add_test(tc, damaged_copies_are_refused);
	tcase_add_test(tc, unknown_keys_and_lines_skipped);
	tcase_add_loop_test(tc, option_values, 0,
			    (int)(sizeof(opt_cases) / sizeof(opt_cases[0])));
	tcase_add_test(tc, option_effects);
	tcase_add_test(tc, loopback_round_trip_v4);
	tcase_add_test(tc, loopback_round_trip_v6);
	tcase_add_test(tc, bind_conflict_reported);
	tcase_add_loop_test(tc, address_overlap, 0,
			    (int)(sizeof(overlap_cases) /
				  sizeof(overlap_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
