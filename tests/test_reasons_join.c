/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The drop reasons joined to the diagnosis: no-listener, rcvbuf-overflow
 * and netfilter-drop name the ports from NO_SOCKET, SOCKET_RCVBUFF and
 * NETFILTER_DROP; socket rows gain their port's SOCKET_RCVBUFF rate; the
 * ip remainder is named by the reasons no Ip counter names; a note where
 * a stage's reasons and its counters disagree by more than a tenth. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "diagbuild.h"
#include "diagnose.h"
#include "dropreason.h"
#include "testutil.h"

#define T0 100.0
#define INTERVAL 2.0

static struct snapshot P, C;
static struct diagnosis D;

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

/* Both snapshots carry the source; prev's counts are given as text. */
static void reasons(const char *prev, const char *cur)
{
	ck_assert_int_eq(drop_reasons_parse(&P, prev), 0);
	ck_assert_int_eq(drop_reasons_parse(&C, cur), 0);
}

static const char *detail(const char *id)
{
	const struct finding *f = diagnosis_finding(&D, id);

	ck_assert_msg(f != NULL, "no finding %s", id);
	return f->detail;
}

static bool note_has(const char *text)
{
	for (size_t i = 0; i < D.nnotes; i++)
		if (strstr(D.notes[i], text))
			return true;
	return false;
}

static void assert_contains(const char *s, const char *part)
{
	ck_assert_msg(strstr(s, part) != NULL, "'%s' not in '%s'", part, s);
}

START_TEST(no_listener_names_ports)
{
	tb_snmp_add(&C, UDP_NO_PORTS, 80010);
	reasons("NO_SOCKET ipv4 udp 5361 eth0 1000\n",
		"NO_SOCKET ipv4 udp 5361 eth0 81000\n"
		"NO_SOCKET ipv4 udp 53 eth0 4\n"
		"NO_SOCKET ipv4 udp 53 lo 6\n"
		"NO_SOCKET ipv4 tcp 22 eth0 50\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	/* The busiest first; devices summed; TCP is not a listener of UDP. */
	assert_contains(detail("no-listener"),
			"by port (drop reason NO_SOCKET): udp/5361: 40000 "
			"pkt/s, udp/53: 5 pkt/s");
	ck_assert_ptr_null(strstr(detail("no-listener"), "tcp/22"));
	ck_assert(!note_has("disagree"));
}
END_TEST

START_TEST(ports_bounded)
{
	char cur[1024] = "";
	size_t len = 0;

	tb_snmp_add(&C, UDP_NO_PORTS, 80);
	for (int p = 1; p <= 8; p++)
		len += (size_t)snprintf(cur + len, sizeof(cur) - len,
					"NO_SOCKET ipv4 udp %d eth0 %d\n",
					1000 + p, 2 * p);
	reasons("", cur);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	assert_contains(detail("no-listener"), "udp/1008: 8 pkt/s, ");
	assert_contains(detail("no-listener"), ", +3 more");
	ck_assert_ptr_null(strstr(detail("no-listener"), "udp/1003"));
}
END_TEST

START_TEST(noports_disagree_note)
{
	tb_snmp_add(&C, UDP_NO_PORTS, 1000);
	reasons("", "NO_SOCKET ipv4 udp 5361 eth0 500\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(note_has("NO_SOCKET (udp) counted 500 drops, UdpNoPorts "
			   "1000: they disagree"));
	/* The counter stays the figure. */
	ck_assert_double_eq(tb_lost(&D, STAGE_UDP), 1000);
}
END_TEST

START_TEST(noports_agree_within_tolerance)
{
	tb_snmp_add(&C, UDP_NO_PORTS, 1000);
	reasons("", "NO_SOCKET ipv4 udp 5361 eth0 950\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(!note_has("disagree"));
	teardown();
	setup();
	/* A few packets apart: the reads are not one instant. */
	tb_snmp_add(&C, UDP_NO_PORTS, 8);
	reasons("", "NO_SOCKET ipv4 udp 5361 eth0 1\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(!note_has("disagree"));
}
END_TEST

START_TEST(rcvbuf_joined_to_sockets)
{
	/* A REUSEPORT pair on 6000 and a quiet socket on 7000. */
	tb_sock(&P, "0.0.0.0", 6000, 11, 0);
	tb_sock(&P, "0.0.0.0", 6000, 12, 0);
	tb_sock(&P, "0.0.0.0", 7000, 13, 0);
	tb_sock(&C, "0.0.0.0", 6000, 11, 200);
	tb_sock(&C, "0.0.0.0", 6000, 12, 100);
	tb_sock(&C, "0.0.0.0", 7000, 13, 0);
	tb_snmp_add(&C, UDP_IN_ERRORS, 300);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 300);
	tb_snmp_add(&C, UDP6_IN_ERRORS, 40);
	tb_snmp_add(&C, UDP6_RCVBUF_ERRORS, 40);
	reasons("", "SOCKET_RCVBUFF ipv4 udp 6000 - 300\n"
		    "SOCKET_RCVBUFF ipv6 udp 7000 - 40\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_uint_eq(D.nsocks, 3);
	for (size_t i = 0; i < D.nsocks; i++) {
		const struct socket_row *s = &D.socks[i];

		ck_assert(s->rcvbuff_reason_ps.known);
		/* The port's rate; the ipv6 reason is not the ipv4 socket's. */
		ck_assert_double_eq(s->rcvbuff_reason_ps.v,
				    s->lport == 6000 ? 150 : 0);
	}
	assert_contains(detail("rcvbuf-overflow"),
			"by port (drop reason SOCKET_RCVBUFF): udp/6000: 150 "
			"pkt/s, udp6/7000: 20 pkt/s");
	ck_assert(!note_has("disagree"));
}
END_TEST

START_TEST(without_reasons_unknown)
{
	tb_sock(&P, "0.0.0.0", 6000, 11, 0);
	tb_sock(&C, "0.0.0.0", 6000, 11, 200);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 200);
	tb_snmp_add(&C, UDP_IN_ERRORS, 200);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(!D.socks[0].rcvbuff_reason_ps.known);
	ck_assert_ptr_null(strstr(detail("rcvbuf-overflow"), "by port"));
	ck_assert_uint_eq(D.nip_rest_reasons, 0);
}
END_TEST

static void nf_rules(struct snapshot *s)
{
	s->nf.have_nft = true;
	s->nf.nft_rules = 1;
}

START_TEST(netfilter_drop_names_ports_and_remainder)
{
	tb_snmp_add(&C, IP_IN_RECEIVES, 1000);
	tb_snmp_add(&C, IP_IN_DELIVERS, 600);
	nf_rules(&P);
	nf_rules(&C);
	reasons("", "NETFILTER_DROP ipv4 udp 5000 eth0 396\n"
		    "IP_INVALID_SOURCE ipv4 udp 9 eth0 4\n"
		    "NO_SOCKET ipv4 tcp 22 eth0 30\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_double_eq(tb_lost(&D, STAGE_NETFILTER), 400);
	assert_contains(detail("netfilter-drop"),
			"by port (drop reason NETFILTER_DROP): udp/5000: 198 "
			"pkt/s");
	ck_assert_uint_eq(D.nip_rest_reasons, 2);
	ck_assert_str_eq(D.ip_rest_reasons[0].reason, "NETFILTER_DROP");
	ck_assert_double_eq(D.ip_rest_reasons[0].pps, 198);
	ck_assert_str_eq(D.ip_rest_reasons[1].reason, "IP_INVALID_SOURCE");
	ck_assert(!note_has("disagree"));
}
END_TEST

START_TEST(netfilter_disagree_note)
{
	tb_snmp_add(&C, IP_IN_RECEIVES, 1000);
	tb_snmp_add(&C, IP_IN_DELIVERS, 600);
	nf_rules(&P);
	nf_rules(&C);
	reasons("", "NETFILTER_DROP ipv4 udp 5000 eth0 100\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert(note_has("NETFILTER_DROP counted 100 drops, the netfilter "
			   "stage's loss 400"));
}
END_TEST

/* No remainder: the same reasons name nothing at the ip stage. */
START_TEST(no_remainder_no_names)
{
	tb_snmp_add(&C, IP_IN_RECEIVES, 1000);
	tb_snmp_add(&C, IP_IN_DELIVERS, 1000);
	reasons("", "NETFILTER_DROP ipv4 udp 5000 eth0 3\n");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_uint_eq(D.nip_rest_reasons, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("reasons_join");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_listener_names_ports);
	tcase_add_test(tc, ports_bounded);
	tcase_add_test(tc, noports_disagree_note);
	tcase_add_test(tc, noports_agree_within_tolerance);
	tcase_add_test(tc, rcvbuf_joined_to_sockets);
	tcase_add_test(tc, without_reasons_unknown);
	tcase_add_test(tc, netfilter_drop_names_ports_and_remainder);
	tcase_add_test(tc, netfilter_disagree_note);
	tcase_add_test(tc, no_remainder_no_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
