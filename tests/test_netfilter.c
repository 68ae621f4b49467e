/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netfilter stage: its sources' parsers on real texts (and the older
 * conntrack layout of the kernel source), and the split of the ip
 * remainder between ip and netfilter (conntrack's drop column first, the
 * rest to the rules when some sit on prerouting/input). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "diagbuild.h"
#include "nl_sources.h"
#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"

#define T0 100.0
#define INTERVAL 2.0

static struct snapshot P, C;
static struct diagnosis D;

START_TEST(ct_host_k618)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, conntrack_stat_parse,
				    "nf_conntrack/debian-k6.18-host.txt"), 0);
	assert_no_notes(&s, "nf_conntrack");
	ck_assert(s.nf.have_ct_stat);
	for (int i = 0; i < CT_N; i++)
		ck_assert_msg(s.nf.ct_have[i], "column %s not found",
			      conntrack_stat_name(i));
	ck_assert_uint_eq(s.nf.ct[CT_DROP], 0);
	snapshot_free(&s);
}
END_TEST

/* 4.9 layout (searched, delete_list): columns by name, summed per CPU;
 * entries (42 in each row) is not a counter. */
START_TEST(ct_layout_k49)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, conntrack_stat_parse,
				    "nf_conntrack/layout-k4.9.txt"), 0);
	ck_assert_uint_eq(s.nf.ct[CT_DROP], 16);
	ck_assert_uint_eq(s.nf.ct[CT_EARLY_DROP], 5);
	ck_assert_uint_eq(s.nf.ct[CT_INSERT_FAILED], 1);
	ck_assert_uint_eq(s.nf.ct[CT_INVALID], 5);
	ck_assert_uint_eq(s.nf.ct[CT_SEARCH_RESTART], 1);
	snapshot_free(&s);
}
END_TEST

/* Any order: the columns reversed give the same sums. */
START_TEST(ct_any_order)
{
	char *text = test_data("nf_conntrack/layout-k4.9.txt", NULL);
	char *t1 = text_reverse_tokens(text, 1);
	char *t2 = text_reverse_tokens(t1, 2);
	char *t3 = text_reverse_tokens(t2, 3);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, conntrack_stat_parse, t3), 0);
	ck_assert_uint_eq(s.nf.ct[CT_DROP], 16);
	ck_assert_uint_eq(s.nf.ct[CT_EARLY_DROP], 5);
	snapshot_free(&s);
	free(text), free(t1), free(t2), free(t3);
}
END_TEST

/* A row short of a column, a cut text, no header: no figure invented. */
START_TEST(ct_bad_texts)
{
	char *text = test_data("nf_conntrack/layout-k4.9.txt", NULL);
	char *shortrow = text_drop_token(text, 3, 4);
	char *cut = text_cut(text, strlen(text) - 5);
	char *nohead = text_drop_line(text, 1);
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, conntrack_stat_parse, shortrow),
			 -EINVAL);
	ck_assert(!s.nf.have_ct_stat);
	ck_assert(any_note_has(&s, "/proc/net/stat/nf_conntrack: line 3"));
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, conntrack_stat_parse, cut), -EINVAL);
	ck_assert(!s.nf.have_ct_stat);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, conntrack_stat_parse, nohead),
			 -EINVAL);
	ck_assert(!s.nf.have_ct_stat);
	snapshot_free(&s);
	free(text), free(shortrow), free(cut), free(nohead);
}
END_TEST

START_TEST(ct_count_max)
{
	struct snapshot s;

	ck_assert_int_eq(parse_text(&s, conntrack_count_parse, "17\n"), 0);
	ck_assert(s.nf.have_ct_count);
	ck_assert_uint_eq(s.nf.ct_count, 17);
	ck_assert_int_eq(conntrack_max_parse(&s, "262144\n"), 0);
	ck_assert_uint_eq(s.nf.ct_max, 262144);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, conntrack_max_parse, "12 13\n"),
			 -EINVAL);
	ck_assert(!s.nf.have_ct_max);
	snapshot_free(&s);
}
END_TEST

/* Captured here: nft add table inet t; a chain on input with one rule. */
START_TEST(nft_capture)
{
	struct snapshot s;

	ck_assert_int_eq(parse_data(&s, nftables_parse,
				    "nftables/inet-input-drop-k6.18.txt"), 0);
	ck_assert(s.nf.have_nft);
	ck_assert_uint_eq(s.nf.nft_rules, 1);
	ck_assert_uint_eq(s.nf.nft_drop_chains, 0);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, nftables_parse,
				    "chain family=ip table=f name=x "
				    "hook=prerouting policy=drop rules=0\n"
				    "gen 7\n"), 0);
	ck_assert_uint_eq(s.nf.nft_drop_chains, 1);
	snapshot_free(&s);
	ck_assert_int_eq(parse_text(&s, nftables_parse,
				    "chain hook=output policy=accept "
				    "rules=3\n"), -EINVAL);
	ck_assert_uint_eq(s.nf.nft_rules, 0);
	snapshot_free(&s);
}
END_TEST

/* nf_tables replies as the kernel builds them (nf_tables_fill_chain_info,
 * nf_tables_fill_rule_info): nfgenmsg, then attributes. */
static char msgbuf[4096] __attribute__((aligned(4)));

static struct nlmsghdr *nft_msg(uint8_t cmd, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct nfgenmsg *g;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | cmd;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	return nlh;
}

static struct nlmsghdr *chain_msg(uint8_t family, const char *table,
				  const char *name, int hook, uint32_t policy)
{
	struct nlmsghdr *nlh = nft_msg(NFT_MSG_NEWCHAIN, family);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, name);
	if (hook >= 0) {
		nest = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
		mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl((uint32_t)hook));
		mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, 0);
		mnl_attr_nest_end(nlh, nest);
		mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(policy));
	}
	return nlh;
}

/* Base chains on prerouting and input of ip, ip6 and inet are kept; a
 * regular chain, the output hook, the netdev family are not. */
START_TEST(nft_chain_replies)
{
	struct nft_chains cs = { NULL, 0, 0 };

	ck_assert_int_eq(nft_chain_msg(chain_msg(NFPROTO_INET, "filter",
						 "input", NF_INET_LOCAL_IN,
						 NF_DROP), &cs), MNL_CB_OK);
	nft_chain_msg(chain_msg(NFPROTO_IPV4, "raw", "pre",
				NF_INET_PRE_ROUTING, NF_ACCEPT), &cs);
	nft_chain_msg(chain_msg(NFPROTO_IPV6, "f", "out", NF_INET_LOCAL_OUT,
				NF_ACCEPT), &cs);
	nft_chain_msg(chain_msg(NFPROTO_INET, "f", "jumped", -1, 0), &cs);
	nft_chain_msg(chain_msg(NFPROTO_NETDEV, "f", "ingress", 0, 0), &cs);
	ck_assert_uint_eq(cs.n, 2);
	ck_assert_str_eq(cs.v[0].table, "filter");
	ck_assert_uint_eq(cs.v[0].policy, NF_DROP);
	ck_assert_uint_eq(cs.v[1].hook, NF_INET_PRE_ROUTING);
	free(cs.v);
}
END_TEST

/* A name without its NUL, or with a space: never read past the
 * attribute, printed with '?'. A reply too short for its header is
 * skipped. */
START_TEST(nft_hostile_replies)
{
	struct nft_chains cs = { NULL, 0, 0 };
	struct nlmsghdr *nlh = chain_msg(NFPROTO_INET, "a b", "in",
					 NF_INET_LOCAL_IN, NF_ACCEPT);
	struct nlmsghdr shortmsg = { .nlmsg_len = sizeof(struct nlmsghdr) };

	ck_assert_int_eq(nft_chain_msg(nlh, &cs), MNL_CB_OK);
	ck_assert_uint_eq(cs.n, 1);
	ck_assert_str_eq(cs.v[0].table, "a?b");
	ck_assert_int_eq(nft_chain_msg(&shortmsg, &cs), MNL_CB_OK);
	ck_assert_uint_eq(cs.n, 1);
	nlh = nft_msg(NFT_MSG_NEWCHAIN, NFPROTO_INET);
	mnl_attr_put(nlh, NFTA_CHAIN_TABLE, 3, "abc"); /* no NUL */
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, "x");
	ck_assert_int_eq(nft_chain_msg(nlh, &cs), MNL_CB_OK);
	ck_assert_uint_eq(cs.n, 1); /* no hook: not a base chain */
	free(cs.v);
}
END_TEST

static struct nlmsghdr *rule_msg(uint8_t family, const char *table,
				 const char *chain)
{
	struct nlmsghdr *nlh = nft_msg(NFT_MSG_NEWRULE, family);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	return nlh;
}

/* Rules count in their own chain only (a kernel that ignores the dump's
 * filter sends them all); the text printed parses back to the same
 * figures. */
START_TEST(nft_rules_round_trip)
{
	struct nft_chains cs = { NULL, 0, 0 };
	struct strbuf sb;
	struct snapshot s;

	nft_chain_msg(chain_msg(NFPROTO_INET, "t", "in", NF_INET_LOCAL_IN,
				NF_ACCEPT), &cs);
	nft_chain_msg(chain_msg(NFPROTO_IPV4, "t", "pre",
				NF_INET_PRE_ROUTING, NF_DROP), &cs);
	ck_assert_uint_eq(cs.n, 2);
	nft_rule_msg(rule_msg(NFPROTO_INET, "t", "in"), &cs.v[0]);
	nft_rule_msg(rule_msg(NFPROTO_INET, "t", "in"), &cs.v[0]);
	nft_rule_msg(rule_msg(NFPROTO_INET, "t", "other"), &cs.v[0]);
	nft_rule_msg(rule_msg(NFPROTO_IPV4, "t", "in"), &cs.v[0]);
	ck_assert_uint_eq(cs.v[0].rules, 2);
	sb_init(&sb);
	nft_chains_print(&cs, &sb);
	ck_assert_str_eq(sb.s, "chain family=inet table=t name=in hook=input "
			       "policy=accept rules=2\n"
			       "chain family=ip table=t name=pre "
			       "hook=prerouting policy=drop rules=0\n");
	ck_assert_int_eq(parse_text(&s, nftables_parse, sb.s), 0);
	ck_assert_uint_eq(s.nf.nft_rules, 2);
	ck_assert_uint_eq(s.nf.nft_drop_chains, 1);
	snapshot_free(&s);
	sb_free(&sb);
	free(cs.v);
}
END_TEST

static void setup(void)
{
	tb_base(&P, T0);
	tb_base(&C, T0 + INTERVAL);
}

static void teardown(void)
{
	diagnosis_free(&D);
	snapshot_free(&P);
	snapshot_free(&C);
}

static void ip_rest(uint64_t n)
{
	tb_snmp_add(&C, IP_IN_RECEIVES, 1000);
	tb_snmp_add(&C, IP_IN_DELIVERS, 1000 - n);
}

static void rules(struct snapshot *s, uint64_t n)
{
	s->nf.have_nft = true;
	s->nf.nft_rules = n;
}

static void ct_drop(struct snapshot *s, uint64_t n)
{
	s->nf.have_ct_stat = true;
	for (int i = 0; i < CT_N; i++)
		s->nf.ct_have[i] = true;
	s->nf.ct[CT_DROP] = n;
}

/* Without rules the remainder stays at ip; netfilter lost 0. */
START_TEST(no_rules_stays_at_ip)
{
	ip_rest(400);
	rules(&P, 0);
	rules(&C, 0);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 400);
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 0);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	ck_assert_ptr_null(diagnosis_finding(&D, "netfilter-drop"));
}
END_TEST

START_TEST(rules_take_remainder)
{
	ip_rest(400);
	rules(&P, 2);
	rules(&C, 2);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 400);
	ck_assert_double_eq(D.total_lost_pps.v, 200);
	ck_assert_int_eq(D.verdict.stage, STAGE_NETFILTER);
	ck_assert_ptr_nonnull(diagnosis_finding(&D, "netfilter-drop"));
}
END_TEST

/* Conntrack drops come out of the remainder once, capped by it; the rest
 * stays at ip when there are no rules. */
START_TEST(ct_drop_counted_once)
{
	ip_rest(400);
	rules(&P, 0);
	rules(&C, 0);
	ct_drop(&P, 1000);
	ct_drop(&C, 1300);
	C.nf.have_ct_count = C.nf.have_ct_max = true;
	C.nf.ct_count = 100;
	C.nf.ct_max = 100;
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 300);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 100);
	ck_assert_double_eq(D.total_lost_pps.v, 200);
	ck_assert_int_eq(D.verdict.stage, STAGE_NETFILTER);
	ck_assert_ptr_nonnull(diagnosis_finding(&D, "conntrack-full"));
	ck_assert_ptr_nonnull(strstr(diagnosis_finding(&D, "conntrack-full")
					     ->detail,
				     "nf_conntrack_max=200 (now 100)"));
	diagnosis_free(&D);
	ct_drop(&C, 2000); /* more drops than the remainder: capped */
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 400);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
}
END_TEST

/* nf_conntrack not loaded: its files are absent, a note says so, and the
 * rules alone decide. */
START_TEST(no_conntrack_note)
{
	ip_rest(300);
	rules(&P, 1);
	rules(&C, 1);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(tb_has_note(&D, "netfilter: conntrack not loaded (no "
			      "/proc/net/stat/nf_conntrack): no conntrack "
			      "drops"));
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 300);
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_NETFILTER],
				      NF_CT_DROP));
	ck_assert_ptr_null(diagnosis_finding(&D, "conntrack-full"));
}
END_TEST

/* A recording without the netfilter sources: the stage is unknown, the
 * remainder stays at ip. */
START_TEST(old_recording_unknown)
{
	ip_rest(400);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(!D.stages[STAGE_NETFILTER].lost.known);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 400);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netfilter");
	TCase *tp = tcase_create("parsers");
	TCase *tc = tcase_create("diagnosis");

	tcase_add_test(tp, ct_host_k618);
	tcase_add_test(tp, ct_layout_k49);
	tcase_add_test(tp, ct_any_order);
	tcase_add_test(tp, ct_bad_texts);
	tcase_add_test(tp, ct_count_max);
	tcase_add_test(tp, nft_capture);
	tcase_add_test(tp, nft_chain_replies);
	tcase_add_test(tp, nft_hostile_replies);
	tcase_add_test(tp, nft_rules_round_trip);
	suite_add_tcase(s, tp);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_rules_stays_at_ip);
	tcase_add_test(tc, rules_take_remainder);
	tcase_add_test(tc, ct_drop_counted_once);
	tcase_add_test(tc, no_conntrack_note);
	tcase_add_test(tc, old_recording_unknown);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
