/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc text parsers of the counters: snmp, snmp6, softnet_stat,
 * softirqs and stat, on the real captures of tests/data and on edits of
 * them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

/* ---- /proc/net/snmp ---- */

static void assert_snmp(const struct snapshot *s, enum snmp_id id,
			uint64_t want)
{
	ck_assert_msg(s->snmp.have[id], "snmp counter %d unknown", (int)id);
	ck_assert_uint_eq(s->snmp.v[id], want);
}

START_TEST(snmp_ubuntu_udp_errors)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, snmp_parse,
		"snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt"), 0);
	assert_no_notes(&s, "snmp");
	ck_assert(s.have_snmp);
	ck_assert(!s.have_snmp6);
	assert_snmp(&s, IP_IN_RECEIVES, 54412186);
	assert_snmp(&s, IP_IN_DELIVERS, 54339383);
	assert_snmp(&s, IP_IN_DISCARDS, 0);
	assert_snmp(&s, UDP_IN_DATAGRAMS, 653565);
	assert_snmp(&s, UDP_NO_PORTS, 92);
	assert_snmp(&s, UDP_IN_ERRORS, 8109);
	assert_snmp(&s, UDP_RCVBUF_ERRORS, 1);
	assert_snmp(&s, UDP_IN_CSUM_ERRORS, 0);
	/* 3.13 has no MemErrors column: unknown, not zero. */
	ck_assert(!s.snmp.have[UDP_MEM_ERRORS]);
	ck_assert(!s.snmp.have[UDP6_IN_DATAGRAMS]);
	snapshot_free(&s);
}
END_TEST

START_TEST(snmp_node_exporter)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, snmp_parse, "snmp/node_exporter.txt"),
			 0);
	assert_no_notes(&s, "snmp");
	assert_snmp(&s, IP_IN_RECEIVES, 57740232);
	assert_snmp(&s, IP_IN_ADDR_ERRORS, 25);
	assert_snmp(&s, IP_FORW_DATAGRAMS, 397750);
	assert_snmp(&s, IP_IN_DELIVERS, 57340175);
	assert_snmp(&s, UDP_IN_DATAGRAMS, 88542);
	assert_snmp(&s, UDP_NO_PORTS, 120);
	assert_snmp(&s, UDP_RCVBUF_ERRORS, 9);
	snapshot_free(&s);
}
END_TEST

START_TEST(snmp_ignored_multi_column)
{
	struct snapshot s;

	/* IgnoredMulti (58, 15) is an extra column the parser skips. */
	ck_assert_int_eq(parse_data(&s, snmp_parse,
				    "snmp/procfs-ignoredmulti.txt"), 0);
	assert_no_notes(&s, "snmp");
	assert_snmp(&s, IP_IN_RECEIVES, 594223);
	assert_snmp(&s, IP_IN_ADDR_ERRORS, 1);
	assert_snmp(&s, UDP_IN_DATAGRAMS, 10179);
	assert_snmp(&s, UDP_NO_PORTS, 50);
	assert_snmp(&s, UDP_IN_CSUM_ERRORS, 0);
	snapshot_free(&s);
	ck_assert_int_eq(parse_data(&s, snmp_parse,
				    "snmp/rhcos-k4.18-hyperv-sosreport.txt"), 0);
	assert_snmp(&s, IP_IN_ADDR_ERRORS, 4);
	assert_snmp(&s, UDP_IN_DATAGRAMS, 55718);
	snapshot_free(&s);
}
END_TEST

static void snmp_file_parses(const char *rel)
{
	struct snapshot s;

	ck_assert_msg(parse_data(&s, snmp_parse, rel) == 0, "%s", rel);
	assert_no_notes(&s, rel);
	ck_assert(s.have_snmp);
	for (int id = IP_IN_RECEIVES; id <= UDP_IN_CSUM_ERRORS; id++)
		if (id != UDP_MEM_ERRORS)
			ck_assert_msg(s.snmp.have[id], "%s: %d", rel, id);
	snapshot_free(&s);
}

START_TEST(snmp_every_file)
{
	ck_assert_int_eq(text_for_each_data_file("snmp", snmp_file_parses), 5);
}
END_TEST

START_TEST(snmp_any_column_order)
{
	char *text = test_data("snmp/node_exporter.txt", NULL), *a, *b, *c, *d;
	int ip = text_find_line(text, "Ip:", 1);
	int udp = text_find_line(text, "Udp:", 1);
	struct snapshot s;

	a = text_reverse_tokens(text, udp);
	b = text_reverse_tokens(a, udp + 1);
	c = text_reverse_tokens(b, ip);
	d = text_reverse_tokens(c, ip + 1);
	ck_assert_int_eq(parse_text(&s, snmp_parse, d), 0);
	assert_no_notes(&s, "reversed");
	assert_snmp(&s, UDP_RCVBUF_ERRORS, 9);
	assert_snmp(&s, UDP_NO_PORTS, 120);
	assert_snmp(&s, UDP_IN_DATAGRAMS, 88542);
	assert_snmp(&s, IP_FORW_DATAGRAMS, 397750);
	assert_snmp(&s, IP_IN_RECEIVES, 57740232);
	snapshot_free(&s);
	free(a);
	free(b);
	free(c);
	free(d);
	free(text);
}
END_TEST

START_TEST(snmp_value_dropped)
{
	char *text = test_data(
		"snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt", NULL);
	int udp = text_find_line(text, "Udp:", 2);
	char *edit = text_drop_token(text, udp, -1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, snmp_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/snmp: line 10: Udp:"));
	for (int id = UDP_IN_DATAGRAMS; id <= UDP_MEM_ERRORS; id++)
		ck_assert(!s.snmp.have[id]);
	assert_snmp(&s, IP_IN_RECEIVES, 54412186);
	ck_assert(s.have_snmp);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(snmp_non_numeric_value)
{
	char *text = test_data(
		"snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt", NULL);
	int udp = text_find_line(text, "Udp:", 2);
	char *edit = text_replace_token(text, udp, 5, "1x");
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, snmp_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "RcvbufErrors"));
	for (int id = UDP_IN_DATAGRAMS; id <= UDP_MEM_ERRORS; id++)
		ck_assert(!s.snmp.have[id]);
	assert_snmp(&s, IP_IN_DELIVERS, 54339383);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(snmp_negative_unused_column)
{
	char *text = test_data("snmp/node_exporter.txt", NULL);
	int ip = text_find_line(text, "Ip:", 2);
	char *edit = text_replace_token(text, ip, 1, "-1");
	struct snapshot s;

	/* Ip Forwarding (like Tcp MaxConn) is not a counter droptop uses. */
	ck_assert_int_eq(parse_text(&s, snmp_parse, edit), 0);
	assert_no_notes(&s, "Forwarding -1");
	assert_snmp(&s, IP_IN_RECEIVES, 57740232);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(snmp_header_without_values)
{
	char *text = test_data("snmp/node_exporter.txt", NULL);
	char *edit = text_drop_line(text, text_find_line(text, "Udp:", 2));
	struct snapshot s;

	/* The UdpLite header then follows the Udp header. */
	ck_assert_int_eq(parse_text(&s, snmp_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "Udp: header without a value line"));
	ck_assert(!s.snmp.have[UDP_RCVBUF_ERRORS]);
	assert_snmp(&s, IP_IN_RECEIVES, 57740232);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(snmp_empty)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, snmp_parse, ""), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/snmp"));
	ck_assert(!s.have_snmp);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, snmp6_parse, ""), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/snmp6"));
	ck_assert(!s.have_snmp6);
	snapshot_free(&s);
}
END_TEST

/* ---- /proc/net/snmp6 ---- */

struct snmp6_case {
	const char *rel;
	uint64_t in_receives, in_no_routes, in_delivers, udp_in, rcvbuf;
};

static const struct snmp6_case snmp6_cases[] = {
	{ "snmp6/node_exporter.txt", 7, 5, 0, 0, 9 },
	{ "snmp6/procfs-udplite6.txt", 92166, 0, 92053, 2016, 0 },
	{ "snmp6/rhcos-k4.18-hyperv-sosreport.txt", 126, 6, 2, 0, 0 },
	{ "snmp6/ubuntu-k3.13-csm-proc-snapshot.txt", 4862, 0, 4862, 4518, 0 },
};

START_TEST(snmp6_files)
{
	const struct snmp6_case *c = &snmp6_cases[_i];
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, snmp6_parse, c->rel), 0);
	assert_no_notes(&s, c->rel);
	ck_assert(s.have_snmp6);
	ck_assert(!s.have_snmp);
	assert_snmp(&s, IP6_IN_RECEIVES, c->in_receives);
	assert_snmp(&s, IP6_IN_NO_ROUTES, c->in_no_routes);
	assert_snmp(&s, IP6_IN_DELIVERS, c->in_delivers);
	assert_snmp(&s, UDP6_IN_DATAGRAMS, c->udp_in);
	assert_snmp(&s, UDP6_RCVBUF_ERRORS, c->rcvbuf);
	assert_snmp(&s, UDP6_NO_PORTS, 0);
	/* No capture has Udp6MemErrors: it stays unknown. */
	ck_assert(!s.snmp.have[UDP6_MEM_ERRORS]);
	ck_assert(!s.snmp.have[IP_IN_RECEIVES]);
	snapshot_free(&s);
}
END_TEST

static void snmp6_file_parses(const char *rel)
{
	struct snapshot s;

	ck_assert_msg(parse_data(&s, snmp6_parse, rel) == 0, "%s", rel);
	assert_no_notes(&s, rel);
	for (int id = IP6_IN_RECEIVES; id <= UDP6_IN_CSUM_ERRORS; id++)
		ck_assert_msg(s.snmp.have[id], "%s: %d", rel, id);
	snapshot_free(&s);
}

START_TEST(snmp6_every_file)
{
	ck_assert_int_eq(text_for_each_data_file("snmp6", snmp6_file_parses),
			 (int)ARRAY_SIZE(snmp6_cases));
}
END_TEST

START_TEST(snmp6_non_numeric_value)
{
	char *text = test_data("snmp6/node_exporter.txt", NULL);
	int line = text_find_line(text, "Udp6RcvbufErrors", 1);
	char *edit = text_replace_token(text, line, 1, "9x");
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, snmp6_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "Udp6RcvbufErrors"));
	ck_assert(!s.snmp.have[UDP6_RCVBUF_ERRORS]);
	assert_snmp(&s, IP6_IN_NO_ROUTES, 5);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

/* ---- /proc/net/softnet_stat ---- */

static const struct cpu_stat *cpu_of(const struct snapshot *s, int cpu)
{
	ck_assert_msg(cpu < s->ncpus, "no CPU %d (ncpus %d)", cpu, s->ncpus);
	return &s->cpus[cpu];
}

START_TEST(softnet_13col_dropped)
{
	static const uint64_t dropped[] = {
		0x6283, 0x446, 0x4bc7, 0x7e2e, 0x2db94,
	};
	static const uint64_t processed[] = {
		0x358fe3, 0x953d1a, 0x2600138, 0x2883c47, 0x1a35c9d,
	};
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, softnet_parse,
		"softnet_stat/13col-rhel9-5cpu-insights-core.txt"), 0);
	assert_no_notes(&s, "softnet");
	ck_assert(s.have_softnet);
	ck_assert_int_eq(s.ncpus, 5);
	for (int c = 0; c < 5; c++) {
		const struct cpu_stat *st = cpu_of(&s, c);

		ck_assert(st->have_softnet);
		ck_assert_uint_eq(st->dropped, dropped[c]);
		ck_assert_uint_eq(st->processed, processed[c]);
		ck_assert(st->have_received_rps && st->have_flow_limit &&
			  st->have_backlog_len);
		ck_assert_uint_eq(st->backlog_len, 0);
	}
	ck_assert_uint_eq(cpu_of(&s, 0)->received_rps, 0x855fc);
	ck_assert_uint_eq(cpu_of(&s, 4)->time_squeeze, 1);
	ck_assert_uint_eq(cpu_of(&s, 3)->time_squeeze, 0);
	snapshot_free(&s);
}
END_TEST

START_TEST(softnet_offline_cpu_skipped)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, softnet_parse,
		"softnet_stat/13col-9cpu-cpu6-offline-sysstat.txt"), 0);
	assert_no_notes(&s, "softnet");
	/* 8 rows, but the CPU column jumps 5 -> 7: CPUs 0-5, 7, 8. */
	ck_assert_int_eq(s.ncpus, 9);
	ck_assert(!cpu_of(&s, 6)->have_softnet);
	ck_assert(cpu_of(&s, 5)->have_softnet);
	ck_assert_uint_eq(cpu_of(&s, 5)->processed, 0x3378);
	ck_assert_uint_eq(cpu_of(&s, 7)->processed, 0x4958);
	ck_assert_uint_eq(cpu_of(&s, 8)->processed, 0x22);
	ck_assert_uint_eq(cpu_of(&s, 1)->backlog_len, 0x0a);
	ck_assert_uint_eq(cpu_of(&s, 0)->backlog_len, 0);
	snapshot_free(&s);
}
END_TEST

START_TEST(softnet_11col)
{
	static const uint64_t squeeze[] = { 1, 0xa, 0x55, 0x32 };
	struct snapshot s;

	/* This capture has no newline after its last row. */
	ck_assert_int_eq(parse_data(&s, softnet_parse,
		"softnet_stat/11col-4cpu-node_exporter.txt"), 0);
	assert_no_notes(&s, "softnet");
	ck_assert_int_eq(s.ncpus, 4);
	for (int c = 0; c < 4; c++) {
		ck_assert_uint_eq(cpu_of(&s, c)->time_squeeze, squeeze[c]);
		ck_assert(cpu_of(&s, c)->have_flow_limit);
		/* 11 columns: no backlog_len column, so unknown. */
		ck_assert(!cpu_of(&s, c)->have_backlog_len);
	}
	ck_assert_uint_eq(cpu_of(&s, 1)->dropped, 0x29);
	ck_assert_uint_eq(cpu_of(&s, 0)->dropped, 0);
	ck_assert_uint_eq(cpu_of(&s, 3)->processed, 0x2f8339);
	snapshot_free(&s);

	ck_assert_int_eq(parse_data(&s, softnet_parse,
		"softnet_stat/11col-2cpu-rhcos-k4.18-hyperv-sosreport.txt"), 0);
	ck_assert_uint_eq(cpu_of(&s, 0)->time_squeeze, 0x5b);
	ck_assert_uint_eq(cpu_of(&s, 1)->time_squeeze, 0x46);
	snapshot_free(&s);

	ck_assert_int_eq(parse_data(&s, softnet_parse,
		"softnet_stat/11col-2cpu-aws-ena-k5.4.txt"), 0);
	ck_assert_uint_eq(cpu_of(&s, 0)->processed, 0x47f2);
	ck_assert_uint_eq(cpu_of(&s, 1)->processed, 0xdb31);
	ck_assert_uint_eq(cpu_of(&s, 1)->dropped, 0);
	snapshot_free(&s);
}
END_TEST

static void softnet_file_parses(const char *rel)
{
	struct snapshot s;

	ck_assert_msg(parse_data(&s, softnet_parse, rel) == 0, "%s", rel);
	assert_no_notes(&s, rel);
	ck_assert(s.have_softnet);
	ck_assert(cpu_of(&s, 0)->have_softnet);
	snapshot_free(&s);
}

START_TEST(softnet_every_file)
{
	ck_assert_int_eq(text_for_each_data_file("softnet_stat",
					    softnet_file_parses), 5);
}
END_TEST

START_TEST(softnet_column_cut_off)
{
	char *text = test_data(
		"softnet_stat/13col-rhel9-5cpu-insights-core.txt", NULL);
	char *edit = text_drop_token(text, 3, -1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, softnet_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s,
			       "/proc/net/softnet_stat: line 3: 12 columns"));
	ck_assert(!cpu_of(&s, 2)->have_softnet);
	ck_assert_uint_eq(cpu_of(&s, 3)->dropped, 0x7e2e);
	ck_assert_uint_eq(cpu_of(&s, 4)->dropped, 0x2db94);
	snapshot_free(&s);
	free(edit);
	free(text);

	/* Without a CPU column the rows after the damaged one keep their
	 * CPU numbers. */
	text = test_data("softnet_stat/11col-4cpu-node_exporter.txt", NULL);
	edit = text_drop_token(text, 2, 5);
	ck_assert_int_eq(parse_text(&s, softnet_parse, edit), -EINVAL);
	ck_assert(!cpu_of(&s, 1)->have_softnet);
	ck_assert_uint_eq(cpu_of(&s, 2)->time_squeeze, 0x55);
	ck_assert_uint_eq(cpu_of(&s, 3)->time_squeeze, 0x32);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(softnet_first_row_damaged)
{
	char *text = test_data("softnet_stat/11col-4cpu-node_exporter.txt",
			       NULL);
	char *edit = text_drop_token(text, 1, 3);
	struct snapshot s;

	/* The narrow row is the damaged one, even when it comes first. */
	ck_assert_int_eq(parse_text(&s, softnet_parse, edit), -EINVAL);
	ck_assert(!cpu_of(&s, 0)->have_softnet);
	ck_assert_uint_eq(cpu_of(&s, 1)->dropped, 0x29);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(softnet_bad_hex)
{
	char *text = test_data("softnet_stat/11col-4cpu-node_exporter.txt",
			       NULL);
	char *edit = text_replace_token(text, 2, 1, "0000zz29");
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, softnet_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "line 2: column 2"));
	ck_assert(!cpu_of(&s, 1)->have_softnet);
	ck_assert(cpu_of(&s, 2)->have_softnet);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(softnet_empty)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, softnet_parse, ""), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/softnet_stat"));
	ck_assert(!s.have_softnet);
	ck_assert_int_eq(s.ncpus, 0);
	snapshot_free(&s);
}
END_TEST

/* ---- /proc/softirqs and /proc/stat ---- */

START_TEST(softirqs_more_possible_than_online)
{
	char *stat = test_data("stat/8cpu-ubuntu-k3.13-csm-proc-snapshot.txt",
			       NULL);
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, softirqs_parse,
		"softirqs/16possible-8online-cpu-ubuntu-k3.13-csm-proc-snapshot.txt"),
		0);
	assert_no_notes(&s, "softirqs");
	ck_assert(s.have_softirqs);
	ck_assert_int_eq(s.ncpus, 16);
	ck_assert_uint_eq(cpu_of(&s, 0)->net_rx, 7900);
	ck_assert_uint_eq(cpu_of(&s, 2)->net_rx, 54308502);
	ck_assert_uint_eq(cpu_of(&s, 7)->net_rx, 73);
	for (int c = 8; c < 16; c++) {
		ck_assert(cpu_of(&s, c)->have_net_rx);
		ck_assert_uint_eq(cpu_of(&s, c)->net_rx, 0);
	}
	/* /proc/stat of the same host lists the 8 online CPUs only. */
	ck_assert_int_eq(procstat_parse(&s, stat), 0);
	ck_assert_int_eq(s.ncpus, 16);
	for (int c = 0; c < 16; c++)
		ck_assert_int_eq(cpu_of(&s, c)->have_times, c < 8);
	ck_assert_uint_eq(cpu_of(&s, 2)->softirq_ticks, 51177);
	snapshot_free(&s);
	free(stat);
}
END_TEST

START_TEST(softirqs_other_files)
{
	struct snapshot s;

	/* Its header ends in trailing spaces. */
	ck_assert_int_eq(parse_data(&s, softirqs_parse,
				    "softirqs/8cpu-desktop-sysstat.txt"), 0);
	assert_no_notes(&s, "softirqs");
	ck_assert_int_eq(s.ncpus, 8);
	ck_assert_uint_eq(cpu_of(&s, 3)->net_rx, 52747);
	ck_assert_uint_eq(cpu_of(&s, 7)->net_rx, 22);
	snapshot_free(&s);
	ck_assert_int_eq(parse_data(&s, softirqs_parse,
				    "softirqs/2cpu-node_exporter.txt"), 0);
	ck_assert_int_eq(s.ncpus, 2);
	ck_assert_uint_eq(cpu_of(&s, 0)->net_rx, 43066);
	ck_assert_uint_eq(cpu_of(&s, 1)->net_rx, 104508);
	snapshot_free(&s);
}
END_TEST

START_TEST(softirqs_value_dropped)
{
	char *text = test_data("softirqs/2cpu-node_exporter.txt", NULL);
	char *edit = text_drop_token(text, text_find_line(text, "NET_RX:", 1),
				     -1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, softirqs_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "NET_RX has 1 values for 2 CPUs"));
	ck_assert(!s.have_softirqs);
	for (int c = 0; c < s.ncpus; c++)
		ck_assert(!s.cpus[c].have_net_rx);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(softirqs_no_header)
{
	char *text = test_data("softirqs/2cpu-node_exporter.txt", NULL);
	char *edit = text_drop_line(text, 1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, softirqs_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/softirqs: line 1"));
	ck_assert(!s.have_softirqs);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(stat_guest_not_counted)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, procstat_parse,
				    "stat/8cpu-node_exporter.txt"), 0);
	assert_no_notes(&s, "stat");
	ck_assert(s.have_stat);
	/* The aggregate "cpu" line makes no CPU of its own. */
	ck_assert_int_eq(s.ncpus, 8);
	ck_assert_uint_eq(cpu_of(&s, 0)->softirq_ticks, 3410);
	/* user..steal; guest 2 and guest_nice 1 are inside user and nice. */
	ck_assert_uint_eq(cpu_of(&s, 0)->total_ticks, 1156254);
	ck_assert_uint_eq(cpu_of(&s, 7)->softirq_ticks, 31);
	ck_assert_uint_eq(cpu_of(&s, 7)->total_ticks, 1179398);
	snapshot_free(&s);
}
END_TEST

static void stat_file_parses(const char *rel)
{
	struct snapshot s;

	ck_assert_msg(parse_data(&s, procstat_parse, rel) == 0, "%s", rel);
	assert_no_notes(&s, rel);
	ck_assert(s.have_stat && cpu_of(&s, 0)->have_times);
	snapshot_free(&s);
}

START_TEST(stat_every_file)
{
	struct snapshot s;

	ck_assert_int_eq(text_for_each_data_file("stat", stat_file_parses), 3);
	ck_assert_int_eq(parse_data(&s, procstat_parse,
		"stat/rhcos-2cpu-k4.18-hyperv-sosreport.txt"), 0);
	ck_assert_int_eq(s.ncpus, 2);
	ck_assert_uint_eq(cpu_of(&s, 1)->softirq_ticks, 1312);
	ck_assert_uint_eq(cpu_of(&s, 1)->total_ticks, 209330);
	snapshot_free(&s);
}
END_TEST

/* Older kernels print fewer fields: cut cpu0 of a real capture to each
 * width from 10 down to 4. */
START_TEST(stat_field_counts)
{
	char *text = test_data("stat/rhcos-2cpu-k4.18-hyperv-sosreport.txt",
			       NULL);
	static const uint64_t f[] = { 6088, 14, 5849, 193612, 93, 2230, 1398 };
	int line = text_find_line(text, "cpu0", 1);
	char *cur = xstrdup(text);

	for (int fields = 10; fields >= 4; fields--) {
		struct snapshot s;
		uint64_t total = 0;
		char *next;

		for (int i = 0; i < fields && i < 7; i++)
			total += f[i];
		parse_text(&s, procstat_parse, cur);
		assert_no_notes(&s, "fields");
		ck_assert_int_eq(cpu_of(&s, 0)->have_times, fields >= 7);
		if (fields >= 7) {
			ck_assert_uint_eq(cpu_of(&s, 0)->softirq_ticks, 1398);
			ck_assert_uint_eq(cpu_of(&s, 0)->total_ticks, total);
		}
		ck_assert(cpu_of(&s, 1)->have_times);
		snapshot_free(&s);
		next = text_drop_token(cur, line, -1);
		free(cur);
		cur = next;
	}
	free(cur);
	free(text);
}
END_TEST

START_TEST(stat_non_numeric)
{
	char *text = test_data("stat/rhcos-2cpu-k4.18-hyperv-sosreport.txt",
			       NULL);
	char *edit = text_replace_token(text, text_find_line(text, "cpu1", 1),
					7, "13x2");
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, procstat_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/stat: line 3: cpu1"));
	ck_assert_int_eq(s.ncpus, 1); /* cpu1 not even known to exist */
	ck_assert_uint_eq(cpu_of(&s, 0)->softirq_ticks, 1398);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

/* ---- /proc/net/netstat ---- */

#define NETSTAT_K313 "netstat/ubuntu-k3.13-csm-proc-snapshot.txt"

/* The same host as snmp/ubuntu-k3.13-...: 96 TcpExt columns, IpExt with
 * InCsumErrors (3.10+) but no ReasmOverlaps (5.x). */
START_TEST(netstat_ubuntu_k313)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, netstat_parse, NETSTAT_K313), 0);
	assert_no_notes(&s, "netstat");
	ck_assert(s.have_netstat);
	ck_assert(!s.have_snmp);
	assert_snmp(&s, TCPEXT_IP_RP_FILTER, 477);
	assert_snmp(&s, IPEXT_IN_NO_ROUTES, 28);
	assert_snmp(&s, IPEXT_IN_TRUNCATED_PKTS, 0);
	assert_snmp(&s, IPEXT_IN_CSUM_ERRORS, 0);
	assert_snmp(&s, IPEXT_IN_MCAST_PKTS, 543649);
	assert_snmp(&s, IPEXT_IN_BCAST_PKTS, 51699524);
	snapshot_free(&s);
}
END_TEST

/* Linux 6.18: 136 TcpExt columns, an MPTcpExt row pair (skipped). */
START_TEST(netstat_host_k618)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, netstat_parse,
				    "netstat/debian-k6.18-host.txt"), 0);
	assert_no_notes(&s, "netstat");
	for (int id = NETSTAT_FIRST; id < SNMP_N; id++)
		ck_assert_msg(s.snmp.have[id], "netstat counter %d", id);
	assert_snmp(&s, TCPEXT_IP_RP_FILTER, 0);
	for (int id = 0; id < NETSTAT_FIRST; id++)
		ck_assert(!s.snmp.have[id]);
	snapshot_free(&s);
}
END_TEST

/* Columns found by name: reversed rows, IpExt before TcpExt. */
START_TEST(netstat_any_order)
{
	char *text = test_data(NETSTAT_K313, NULL), *a, *b, *c, *d, *e;
	int tcp = text_find_line(text, "TcpExt:", 1);
	int ip = text_find_line(text, "IpExt:", 1);
	struct snapshot s;
	size_t half;

	a = text_reverse_tokens(text, tcp);
	b = text_reverse_tokens(a, tcp + 1);
	c = text_reverse_tokens(b, ip);
	d = text_reverse_tokens(c, ip + 1);
	/* the IpExt pair first */
	half = (size_t)(strstr(d, "IpExt:") - d);
	e = xmalloc(strlen(d) + 1);
	strcpy(e, d + half);
	memcpy(e + strlen(d) - half, d, half);
	e[strlen(d)] = '\0';
	ck_assert_int_eq(parse_text(&s, netstat_parse, e), 0);
	assert_no_notes(&s, "reordered");
	assert_snmp(&s, TCPEXT_IP_RP_FILTER, 477);
	assert_snmp(&s, IPEXT_IN_NO_ROUTES, 28);
	assert_snmp(&s, IPEXT_IN_BCAST_PKTS, 51699524);
	snapshot_free(&s);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(text);
}
END_TEST

/* A value line one short: that row is refused with a note naming the
 * file and line, the other row still read. */
START_TEST(netstat_value_dropped)
{
	char *text = test_data(NETSTAT_K313, NULL);
	char *edit = text_drop_token(text, text_find_line(text, "TcpExt:", 2),
				     -1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, netstat_parse, edit), -EINVAL);
	ck_assert(any_note_has(&s, "/proc/net/netstat: line 2: TcpExt:"));
	ck_assert(!s.snmp.have[TCPEXT_IP_RP_FILTER]);
	assert_snmp(&s, IPEXT_IN_NO_ROUTES, 28);
	snapshot_free(&s);
	free(edit);
	free(text);
}
END_TEST

START_TEST(netstat_without_our_rows)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, netstat_parse,
				    "MPTcpExt: MPCapableSYNRX\nMPTcpExt: 3\n"),
			 -EINVAL);
	ck_assert(any_note_has(&s, "no IpExt or TcpExt counters"));
	ck_assert(!s.have_netstat);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, netstat_parse,
				    "TcpExt: IPReversePathFilter\nTcpExt: -1\n"),
			 -EINVAL);
	ck_assert(any_note_has(&s, "not a counter '-1'"));
	ck_assert(!s.snmp.have[TCPEXT_IP_RP_FILTER]);
	snapshot_free(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("procfs");
	TCase *snmp = tcase_create("snmp");
	TCase *cpu = tcase_create("cpu");

	tcase_add_test(snmp, snmp_ubuntu_udp_errors);
	tcase_add_test(snmp, snmp_node_exporter);
	tcase_add_test(snmp, snmp_ignored_multi_column);
	tcase_add_test(snmp, snmp_every_file);
	tcase_add_test(snmp, snmp_any_column_order);
	tcase_add_test(snmp, snmp_value_dropped);
	tcase_add_test(snmp, snmp_non_numeric_value);
	tcase_add_test(snmp, snmp_negative_unused_column);
	tcase_add_test(snmp, snmp_header_without_values);
	tcase_add_test(snmp, snmp_empty);
	tcase_add_loop_test(snmp, snmp6_files, 0, (int)ARRAY_SIZE(snmp6_cases));
	tcase_add_test(snmp, snmp6_every_file);
	tcase_add_test(snmp, snmp6_non_numeric_value);
	tcase_add_test(snmp, netstat_ubuntu_k313);
	tcase_add_test(snmp, netstat_host_k618);
	tcase_add_test(snmp, netstat_any_order);
	tcase_add_test(snmp, netstat_value_dropped);
	tcase_add_test(snmp, netstat_without_our_rows);
	suite_add_tcase(s, snmp);

	tcase_add_test(cpu, softnet_13col_dropped);
	tcase_add_test(cpu, softnet_offline_cpu_skipped);
	tcase_add_test(cpu, softnet_11col);
	tcase_add_test(cpu, softnet_every_file);
	tcase_add_test(cpu, softnet_column_cut_off);
	tcase_add_test(cpu, softnet_first_row_damaged);
	tcase_add_test(cpu, softnet_bad_hex);
	tcase_add_test(cpu, softnet_empty);
	tcase_add_test(cpu, softirqs_more_possible_than_online);
	tcase_add_test(cpu, softirqs_other_files);
	tcase_add_test(cpu, softirqs_value_dropped);
	tcase_add_test(cpu, softirqs_no_header);
	tcase_add_test(cpu, stat_guest_not_counted);
	tcase_add_test(cpu, stat_every_file);
	tcase_add_test(cpu, stat_field_counts);
	tcase_add_test(cpu, stat_non_numeric);
	suite_add_tcase(s, cpu);
	return test_run_suite(s);
}
