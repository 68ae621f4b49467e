/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc parsers on this host's own files, and on every truncation of
 * every capture: no crash, no invented value, a note when a line was cut. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

/* ---- this host's files ---- */

struct live_case {
	const char *path;
	parse_fn parse;
};

static const struct live_case live_cases[] = {
	{ "/proc/net/snmp", snmp_parse },
	{ "/proc/net/snmp6", snmp6_parse },
	{ "/proc/net/softnet_stat", softnet_parse },
	{ "/proc/softirqs", softirqs_parse },
	{ "/proc/stat", procstat_parse },
	{ "/proc/net/udp", udp4_parse },
	{ "/proc/net/udp6", udp6_parse },
};

START_TEST(live_host_files)
{
	const struct live_case *c = &live_cases[_i];
	struct snapshot s;
	char *text;
	int rc = read_text_file(c->path, &text, NULL);

	if (rc == -ENOENT) {
		printf("%s: not on this host (IPv6 disabled?), skipped\n",
		       c->path);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(parse_text(&s, c->parse, text), 0);
	assert_no_notes(&s, c->path);
	ck_assert(s.have_snmp || s.have_snmp6 || s.have_softnet ||
		  s.have_softirqs || s.have_stat || s.have_udp || s.have_udp6);
	if (s.have_snmp)
		ck_assert(s.snmp.have[IP_IN_RECEIVES] &&
			  s.snmp.have[UDP_RCVBUF_ERRORS]);
	if (s.have_softnet || s.have_stat || s.have_softirqs)
		ck_assert_int_gt(s.ncpus, 0);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* ---- every truncation of every capture ---- */

typedef void (*subset_fn)(const struct snapshot *part,
			  const struct snapshot *full, size_t cut);

/* The unfinished line a cut leaves, and whether it has a token. */
static bool partial_line(const char *text, size_t cut, const char **start)
{
	const char *p = text + cut;

	while (p > text && p[-1] != '\n')
		p--;
	*start = p;
	return count_tokens(p, text + cut) > 0;
}

/* Every parser notes a cut inside a line (its last value may have lost
 * digits) and an empty text. */
static bool note_needed(const char *text, size_t cut)
{
	const char *start;

	return cut == 0 || partial_line(text, cut, &start);
}

/* softnet_stat rows are fixed width, so a cut row whose columns are all
 * complete is a valid row: no note needed for it. */
static bool softnet_note_needed(const char *text, size_t cut)
{
	const char *start, *p, *tok;
	size_t n, ntok = 0, full_width;

	if (cut == 0)
		return true;
	if (!partial_line(text, cut, &start))
		return false;
	p = text;
	full_width = count_tokens(p, strchr(text, '\n') ? strchr(text, '\n')
							 : text + strlen(text));
	p = start;
	while ((tok = next_token(&p, text + cut, &n))) {
		if (n != 8)
			return true;
		ntok++;
	}
	return !(ntok == full_width || (start == text && ntok >= 9));
}

static void check_every_cut(const char *rel, parse_fn parse, subset_fn subset,
			    bool (*needed)(const char *, size_t))
{
	size_t len;
	char *text = test_data(rel, &len);
	struct snapshot full;

	ck_assert_msg(parse_text(&full, parse, text) == 0, "%s", rel);
	assert_no_notes(&full, rel);
	for (size_t cut = 0; cut <= len; cut++) {
		char *part_text = text_cut(text, cut);
		struct snapshot part;

		parse_text(&part, parse, part_text);
		subset(&part, &full, cut);
		if (needed(text, cut))
			ck_assert_msg(part.nnotes > 0, "%s cut at %zu: no note",
				      rel, cut);
		snapshot_free(&part);
		free(part_text);
	}
	snapshot_free(&full);
	free(text);
}

static void snmp_subset(const struct snapshot *part,
			const struct snapshot *full, size_t cut)
{
	for (int i = 0; i < SNMP_N; i++) {
		if (!part->snmp.have[i])
			continue;
		ck_assert_msg(full->snmp.have[i] &&
			      part->snmp.v[i] == full->snmp.v[i],
			      "cut at %zu: counter %d invented", cut, i);
	}
}

#define SAME_IF(flag, field)                                               \
	ck_assert_msg(!p->flag || (f->flag && p->field == f->field),       \
		      "cut at %zu: cpu %d " #field " invented", cut, c)

static void cpu_subset(const struct snapshot *part,
		       const struct snapshot *full, size_t cut)
{
	ck_assert_int_le(part->ncpus, full->ncpus);
	for (int c = 0; c < part->ncpus; c++) {
		const struct cpu_stat *p = &part->cpus[c], *f = &full->cpus[c];

		SAME_IF(have_softnet, processed);
		SAME_IF(have_softnet, dropped);
		SAME_IF(have_softnet, time_squeeze);
		SAME_IF(have_received_rps, received_rps);
		SAME_IF(have_flow_limit, flow_limit);
		SAME_IF(have_backlog_len, backlog_len);
		SAME_IF(have_net_rx, net_rx);
		SAME_IF(have_times, softirq_ticks);
		SAME_IF(have_times, total_ticks);
	}
}

static void udp_subset(const struct snapshot *part,
		       const struct snapshot *full, size_t cut)
{
	ck_assert_uint_le(part->nsocks, full->nsocks);
	for (size_t i = 0; i < part->nsocks; i++) {
		const struct udp_socket *p = &part->socks[i];
		const struct udp_socket *f = &full->socks[i];

		ck_assert_msg(p->lport == f->lport && p->inode == f->inode &&
			      p->uid == f->uid && p->drops == f->drops &&
			      p->have_drops == f->have_drops &&
			      strcmp(p->local, f->local) == 0,
			      "cut at %zu: socket %zu differs", cut, i);
	}
}

static void cut_snmp(const char *rel)
{
	check_every_cut(rel, snmp_parse, snmp_subset, note_needed);
}

static void cut_snmp6(const char *rel)
{
	check_every_cut(rel, snmp6_parse, snmp_subset, note_needed);
}

static void cut_softnet(const char *rel)
{
	check_every_cut(rel, softnet_parse, cpu_subset, softnet_note_needed);
}

static void cut_softirqs(const char *rel)
{
	check_every_cut(rel, softirqs_parse, cpu_subset, note_needed);
}

static void cut_stat(const char *rel)
{
	check_every_cut(rel, procstat_parse, cpu_subset, note_needed);
}

static void cut_udp(const char *rel)
{
	check_every_cut(rel, udp4_parse, udp_subset, note_needed);
}

START_TEST(truncated_anywhere)
{
	ck_assert_int_gt(text_for_each_data_file("snmp", cut_snmp), 0);
	ck_assert_int_gt(text_for_each_data_file("snmp6", cut_snmp6), 0);
	ck_assert_int_gt(text_for_each_data_file("softnet_stat", cut_softnet),
			 0);
	ck_assert_int_gt(text_for_each_data_file("softirqs", cut_softirqs), 0);
	ck_assert_int_gt(text_for_each_data_file("stat", cut_stat), 0);
	ck_assert_int_gt(text_for_each_data_file("proc-net-udp", cut_udp), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("procfs-robust");
	TCase *live = tcase_create("live");
	TCase *cut = tcase_create("truncated");

	tcase_add_loop_test(live, live_host_files, 0,
			    (int)ARRAY_SIZE(live_cases));
	suite_add_tcase(s, live);
	tcase_add_test(cut, truncated_anywhere);
	tcase_set_timeout(cut, 300);
	suite_add_tcase(s, cut);
	return test_run_suite(s);
}
