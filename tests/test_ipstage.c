/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ip stage's conservation rule: what entered IP and was neither
 * delivered upward, forwarded nor counted lost is loss. Each case is a
 * kernel behaviour (net/ipv4/ip_input.c, ip_fragment.c, ip_forward.c,
 * net/ipv6/ip6_input.c) turned into counter deltas over 2 seconds. */
#include "config.h"

#include <string.h>

#include "diagbuild.h"
#include "testutil.h"

#define T0 100.0
#define INTERVAL 2.0

static struct snapshot P, C;
static struct diagnosis D;

/* The reassembly and netstat counters, at the values of this machine's
 * /proc/net/snmp and /proc/net/netstat (tests/data/netstat), in both. */
static void base_ip(struct snapshot *s)
{
	static const struct {
		enum snmp_id id;
		uint64_t v;
	} vals[] = {
		{ IP_REASM_TIMEOUT, 0 },     { IP_REASM_REQDS, 0 },
		{ IP_REASM_OKS, 0 },         { IP_REASM_FAILS, 0 },
		{ IP6_OUT_FORW_DATAGRAMS, 0 }, { IP6_REASM_TIMEOUT, 0 },
		{ IP6_REASM_REQDS, 0 },      { IP6_REASM_OKS, 0 },
		{ IP6_REASM_FAILS, 0 },      { IP6_IN_MCAST_PKTS, 0 },
		{ IPEXT_IN_NO_ROUTES, 0 },   { IPEXT_IN_TRUNCATED_PKTS, 0 },
		{ IPEXT_IN_CSUM_ERRORS, 0 }, { IPEXT_IN_MCAST_PKTS, 0 },
		{ IPEXT_IN_BCAST_PKTS, 0 },  { TCPEXT_IP_RP_FILTER, 0 },
	};

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		tb_snmp(s, vals[i].id, vals[i].v);
}

static void setup(void)
{
	tb_base(&P, T0);
	tb_base(&C, T0 + INTERVAL);
	base_ip(&P);
	base_ip(&C);
}

static void teardown(void)
{
	diagnosis_free(&D);
	snapshot_free(&P);
	snapshot_free(&C);
}

static void run(void)
{
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
}

static void add(enum snmp_id id, uint64_t n)
{
	tb_snmp_add(&C, id, n);
}

static double rate(enum stage_id st, const char *name)
{
	const struct stage_counter *c = tb_counter(&D.stages[st], name);

	ck_assert_msg(c && c->known, "no known counter %s", name);
	return c->per_s;
}

/* Packets that entered IP and vanished with no counter: a firewall rule,
 * a martian source. They are loss at ip, not 0 by omission. */
START_TEST(remainder_is_loss)
{
	add(IP_IN_RECEIVES, 1000);
	add(IP_IN_DELIVERS, 900);
	run();
	ck_assert_double_eq(tb_in(&D, STAGE_IP), 1000);
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 100);
	ck_assert_double_eq(rate(STAGE_IP, IP_REMAINDER), 50);
	ck_assert(tb_counter(&D.stages[STAGE_IP], IP_REMAINDER)->is_loss);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	ck_assert_ptr_nonnull(strstr(D.verdict.summary, IP_REMAINDER));
	ck_assert_double_eq(D.total_lost_pps.v, 50);
	ck_assert_uint_eq(D.nfindings, 0);
}
END_TEST

/* TCP beside UDP: InDelivers counts both; TCP is never UDP loss. */
START_TEST(tcp_beside_udp_no_loss)
{
	add(IP_IN_RECEIVES, 3000);
	add(IP_IN_DELIVERS, 3000);
	add(UDP_IN_DATAGRAMS, 1000);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_UDP), 0);
	ck_assert_double_eq(tb_in(&D, STAGE_UDP), 1000);
	ck_assert_double_eq(D.total_lost_pps.v, 0);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
	ck_assert_uint_eq(D.nfindings, 0);
}
END_TEST

START_TEST(forwarded_is_not_lost)
{
	add(IP_IN_RECEIVES, 800);
	add(IP_FORW_DATAGRAMS, 800);
	add(IP6_IN_RECEIVES, 60);
	add(IP6_OUT_FORW_DATAGRAMS, 60);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
	ck_assert_double_eq(rate(STAGE_IP, "IpForwDatagrams"), 400);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
}
END_TEST

/* ip_rcv_finish_core: -EXDEV from the route lookup bumps
 * LINUX_MIB_IPRPFILTER and nothing else. */
START_TEST(rp_filter_is_named)
{
	tb_dev(&C, "veth1", 1)->rp_filter = 1;
	tb_dev(&P, "veth1", 1)->rp_filter = 1;
	C.sysctl[SYSCTL_RP_FILTER_ALL] = 0;
	C.sysctl_have[SYSCTL_RP_FILTER_ALL] = true;
	add(IP_IN_RECEIVES, 2000);
	add(TCPEXT_IP_RP_FILTER, 2000);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 2000);
	ck_assert_double_eq(rate(STAGE_IP, IP_REMAINDER), 0);
	ck_assert_double_eq(rate(STAGE_IP, "TcpExtIPReversePathFilter"),
			    1000);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	ck_assert_ptr_nonnull(strstr(D.verdict.summary,
				     "IPReversePathFilter"));
	const struct finding *f = diagnosis_finding(&D, "rp-filter");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->detail, "rp_filter all = 0, "
					       "veth1 = 1"));
	ck_assert_ptr_nonnull(strstr(f->detail,
				     "net.ipv4.conf.all.rp_filter=2 "
				     "net.ipv4.conf.veth1.rp_filter=2"));
	/* The same as JSON fields. */
	ck_assert_str_eq(f->about.setting, "net.ipv4.conf.all.rp_filter");
	ck_assert(f->about.current.known && f->about.current.v == 0);
	ck_assert(f->about.suggested.known && f->about.suggested.v == 2);
	ck_assert(f->about.rate.known && f->about.rate.v == 1000);
}
END_TEST

/* ip_defrag with ip_find failing (memory over ipfrag_high_thresh):
 * ReasmReqds and ReasmFails per fragment, nothing delivered. */
START_TEST(reassembly_fail_is_named)
{
	C.sysctl[SYSCTL_IPFRAG_HIGH_THRESH] = 0;
	C.sysctl_have[SYSCTL_IPFRAG_HIGH_THRESH] = true;
	add(IP_IN_RECEIVES, 3000);
	add(IP_REASM_REQDS, 3000);
	add(IP_REASM_FAILS, 3000);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 3000);
	ck_assert_double_eq(rate(STAGE_IP, IP_REMAINDER), 0);
	ck_assert_int_eq(D.verdict.stage, STAGE_IP);
	const struct finding *f = diagnosis_finding(&D, "reassembly-fail");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->detail,
				     "net.ipv4.ipfrag_high_thresh = 0"));
	ck_assert_ptr_nonnull(strstr(f->detail, "path MTU"));
	ck_assert_str_eq(f->about.setting, "net.ipv4.ipfrag_high_thresh");
	ck_assert(f->about.current.known && f->about.current.v == 0);
	ck_assert(f->about.rate.known && f->about.rate.v == 1500);
}
END_TEST

/* ip_expire bumps ReasmTimeout and ReasmFails together: the timeout is
 * shown, never counted twice. 2 fragments of 3 came, the datagram timed
 * out: ReasmReqds 2, ReasmFails 1, ReasmTimeout 1. */
START_TEST(reassembly_timeout_counted_once)
{
	add(IP_IN_RECEIVES, 2);
	add(IP_REASM_REQDS, 2);
	add(IP_REASM_FAILS, 1);
	add(IP_REASM_TIMEOUT, 1);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 1);
	ck_assert(!tb_counter(&D.stages[STAGE_IP], "IpReasmTimeout")->is_loss);
}
END_TEST

/* 1000 datagrams of 3 fragments each, all reassembled: 3000 in,
 * 1000 delivered, no loss. */
START_TEST(reassembly_ok_is_not_lost)
{
	add(IP_IN_RECEIVES, 3000);
	add(IP_REASM_REQDS, 3000);
	add(IP_REASM_OKS, 1000);
	add(IP_IN_DELIVERS, 1000);
	add(IP6_IN_RECEIVES, 20);
	add(IP6_REASM_REQDS, 20);
	add(IP6_REASM_OKS, 10);
	add(IP6_IN_DELIVERS, 10);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 0);
	ck_assert_ptr_null(diagnosis_finding(&D, "reassembly-fail"));
}
END_TEST

/* ip_rcv_core: a bad checksum bumps InCsumErrors and InHdrErrors. */
START_TEST(csum_errors_inside_hdr_errors)
{
	add(IP_IN_RECEIVES, 10);
	add(IP_IN_HDR_ERRORS, 10);
	add(IPEXT_IN_CSUM_ERRORS, 10);
	add(IPEXT_IN_TRUNCATED_PKTS, 0);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 10);
	ck_assert(!tb_counter(&D.stages[STAGE_IP],
			      "IpExtInCsumErrors")->is_loss);
}
END_TEST

START_TEST(ipext_losses)
{
	add(IP_IN_RECEIVES, 30);
	add(IPEXT_IN_NO_ROUTES, 10);
	add(IPEXT_IN_TRUNCATED_PKTS, 20);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 30);
	ck_assert_double_eq(rate(STAGE_IP, IP_REMAINDER), 0);
}
END_TEST

/* ip6_mc_input drops multicast for groups not joined without a drop
 * counter, after counting Ip6InMcastPkts (MLD reports, router
 * solicitations of the neighbours): excused up to that figure. */
START_TEST(ipv6_multicast_not_joined)
{
	add(IP6_IN_RECEIVES, 12);
	add(IP6_IN_MCAST_PKTS, 10);
	add(IP6_IN_DELIVERS, 0);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 2);
	ck_assert_double_eq(rate(STAGE_IP, IP_MCAST_NOT_JOINED), 5);
}
END_TEST

/* Without /proc/net/netstat the rp_filter drops still show, as the
 * remainder. */
START_TEST(no_netstat_keeps_remainder)
{
	P.have_netstat = C.have_netstat = false;
	add(IP_IN_RECEIVES, 400);
	add(TCPEXT_IP_RP_FILTER, 400);
	run();
	ck_assert_double_eq(tb_lost(&D, STAGE_IP), 400);
	ck_assert_double_eq(rate(STAGE_IP, IP_REMAINDER), 200);
	ck_assert_ptr_null(tb_counter(&D.stages[STAGE_IP],
				      "TcpExtIPReversePathFilter"));
}
END_TEST

/* A device's frames for other hosts are shown at nic, not a loss. */
START_TEST(otherhost_is_not_loss)
{
	struct device *p = tb_dev(&P, "eth0", 1), *c;

	p->sys_have[SYS_RX_OTHERHOST_DROPPED] = true;
	c = tb_dev(&C, "eth0", 1);
	c->sys_have[SYS_RX_OTHERHOST_DROPPED] = true;
	c->sys[SYS_RX_OTHERHOST_DROPPED] = 500;
	/* 700 frames: 500 for other hosts, 200 IP datagrams delivered */
	c->sys[SYS_RX_PACKETS] = 700;
	add(IP_IN_RECEIVES, 200);
	add(IP_IN_DELIVERS, 200);
	run();
	ck_assert(D.unaccounted_pps.known);
	ck_assert_double_eq(D.unaccounted_pps.v, 0);
	ck_assert_double_eq(rate(STAGE_NIC,
				 "rx_otherhost_dropped (not for this host)"),
			    250);
	ck_assert_double_eq(tb_lost(&D, STAGE_NIC), 0);
	ck_assert_int_eq(D.verdict.stage, STAGE_NONE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipstage");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, remainder_is_loss);
	tcase_add_test(tc, tcp_beside_udp_no_loss);
	tcase_add_test(tc, forwarded_is_not_lost);
	tcase_add_test(tc, rp_filter_is_named);
	tcase_add_test(tc, reassembly_fail_is_named);
	tcase_add_test(tc, reassembly_timeout_counted_once);
	tcase_add_test(tc, reassembly_ok_is_not_lost);
	tcase_add_test(tc, csum_errors_inside_hdr_errors);
	tcase_add_test(tc, ipext_losses);
	tcase_add_test(tc, ipv6_multicast_not_joined);
	tcase_add_test(tc, no_netstat_keeps_remainder);
	tcase_add_test(tc, otherhost_is_not_loss);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
