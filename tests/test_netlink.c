/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink sources on real replies recorded on a Linux 6.18 VM with a
 * virtio_net eth0 (tests/data/netlink, see SOURCES.md): each recorded reply
 * prints to the text recorded with it; attributes this machine does not
 * send (rx-hw-drops, NAPI IRQ and pid, eth-mac statistics, an RSS table)
 * are added in the test to a copy of a real message; malformed attributes
 * and texts are generated from the real ones. Then the text parsers, the
 * merge rule and a diagnosis of a recording made of these texts. */
#include "config.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "kernel_uapi.h"
#include "nl_sources.h"
#include "sources_internal.h"
#include "sourcetest.h"
#include "testutil.h"

#define MSGBUF 16384

typedef mnl_cb_t (*pick_fn)(const struct nlmsghdr *nlh);

static uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return g->cmd;
}

static mnl_cb_t pick_netdev(const struct nlmsghdr *nlh)
{
	switch (genl_cmd(nlh)) {
	case NETDEV_CMD_QSTATS_GET:
		return qstats_msg_print;
	case NETDEV_CMD_QUEUE_GET:
		return queue_msg_print;
	case NETDEV_CMD_NAPI_GET:
		return napi_msg_print;
	}
	return NULL;
}

static mnl_cb_t pick_ethtool(const struct nlmsghdr *nlh)
{
	switch (genl_cmd(nlh)) {
	case ETHTOOL_MSG_CHANNELS_GET_REPLY:
		return ethtool_channels_msg_print;
	case ETHTOOL_MSG_RINGS_GET_REPLY:
		return ethtool_rings_msg_print;
	case ETHTOOL_MSG_STATS_GET_REPLY:
		return ethtool_stats_msg_print;
	case ETHTOOL_MSG_RSS_GET_REPLY:
		return ethtool_rss_msg_print;
	}
	return NULL;
}

static mnl_cb_t pick_link(const struct nlmsghdr *nlh)
{
	(void)nlh;
	return link_msg_print;
}

/* Prints every data message of a recorded reply stream (ACKs, DONE
 * skipped), as nl_talk() would have. */
static char *print_stream(const char *buf, size_t len, pick_fn pick)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)len;
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "");
	while (mnl_nlmsg_ok(nlh, left)) {
		mnl_cb_t cb = nlh->nlmsg_type >= NLMSG_MIN_TYPE ? pick(nlh)
							       : NULL;

		if (cb)
			ck_assert_int_eq(cb(nlh, &sb), MNL_CB_OK);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return sb_steal(&sb);
}

/* The nth (from 0) data message of a recorded stream. */
static const struct nlmsghdr *data_msg(const char *buf, size_t len, int nth)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && nth-- == 0)
			return nlh;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	ck_abort_msg("recorded stream has too few messages");
	return NULL;
}

/* A copy of a real message (header, hdrlen bytes of family header, every
 * attribute but type skip) in out, ready for more attributes. */
static struct nlmsghdr *rebuild(char *out, const struct nlmsghdr *msg,
				size_t hdrlen, int skip)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(out);
	struct nlattr *a; /* not const: libmnl's iterator casts it to char * */
	void *extra;

	nlh->nlmsg_type = msg->nlmsg_type;
	nlh->nlmsg_flags = msg->nlmsg_flags;
	nlh->nlmsg_seq = msg->nlmsg_seq;
	extra = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	memcpy(extra, mnl_nlmsg_get_payload(msg), hdrlen);
	mnl_attr_for_each(a, msg, hdrlen)
		if ((int)mnl_attr_get_type(a) != skip)
			mnl_attr_put(nlh, mnl_attr_get_type(a),
				     mnl_attr_get_payload_len(a),
				     mnl_attr_get_payload(a));
	return nlh;
}

static char *print_one(mnl_cb_t cb, const struct nlmsghdr *nlh)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "");
	ck_assert_int_eq(cb(nlh, &sb), MNL_CB_OK);
	return sb_steal(&sb);
}

static char *BIN;
static size_t BINLEN;

static void load_bin(const char *rel)
{
	free(BIN);
	BIN = test_data(rel, &BINLEN);
}

static void teardown(void)
{
	free(BIN);
	BIN = NULL;
}

static const struct {
	const char *bin, *txt;
	pick_fn pick;
} recorded[] = {
	{ "netlink/eth0-qstats.bin", "netlink/eth0-qstats.txt", pick_netdev },
	{ "netlink/eth0-napi.bin", "netlink/eth0-napi.txt", pick_netdev },
	{ "netlink/eth0-ethtool.bin", "netlink/eth0-ethtool.txt",
	  pick_ethtool },
	{ "netlink/eth0-link.bin", "netlink/eth0-link.txt", pick_link },
};

START_TEST(replies_print_as_recorded)
{
	char *want, *got;

	load_bin(recorded[_i].bin);
	want = test_data(recorded[_i].txt, NULL);
	got = print_stream(BIN, BINLEN, recorded[_i].pick);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
}
END_TEST

/* The reply cut anywhere inside its last message: the complete messages
 * still print, the cut one is not read. */
START_TEST(cut_stream_prints_whole_messages)
{
	char *want, *got;

	load_bin("netlink/eth0-qstats.bin");
	want = test_data("netlink/eth0-qstats.txt", NULL);
	for (size_t cut = 0; cut < BINLEN; cut += 3) {
		got = print_stream(BIN, cut, pick_netdev);
		ck_assert_msg(strncmp(want, got, strlen(got)) == 0,
			      "cut at %zu printed '%s'", cut, got);
		free(got);
	}
	free(want);
}
END_TEST

/* The real queue-scope message of RX queue 0, with drop counters a
 * physical NIC would add, rx-bytes made 2 bytes long (malformed) and an
 * attribute of a future kernel. */
START_TEST(qstats_generated_drops)
{
	char buf[MSGBUF], *got;
	const struct nlmsghdr *msg;
	struct nlmsghdr *nlh;

	load_bin("netlink/eth0-qstats.bin");
	msg = data_msg(BIN, BINLEN, 1);
	got = print_one(qstats_msg_print, msg);
	ck_assert_str_eq(got, "rx 0 rx-packets 869 rx-bytes 20080013\n");
	free(got);
	nlh = rebuild(buf, msg, GENL_HDRLEN, NETDEV_A_QSTATS_RX_BYTES);
	mnl_attr_put_u16(nlh, NETDEV_A_QSTATS_RX_BYTES, 7);
	mnl_attr_put_u64(nlh, NETDEV_A_QSTATS_RX_HW_DROPS, 7);
	mnl_attr_put_u32(nlh, NETDEV_A_QSTATS_RX_ALLOC_FAIL, 3);
	mnl_attr_put_u64(nlh, 200, 99);
	got = print_one(qstats_msg_print, nlh);
	ck_assert_str_eq(got, "rx 0 rx-packets 869 rx-alloc-fail 3 "
			      "rx-hw-drops 7\n");
	free(got);
}
END_TEST

/* virtio_net gives its NAPI no IRQ; a NIC that does, in threaded mode. */
START_TEST(napi_generated_irq_pid)
{
	char buf[MSGBUF], *got;
	const struct nlmsghdr *msg;
	struct nlmsghdr *nlh;

	load_bin("netlink/eth0-napi.bin");
	msg = data_msg(BIN, BINLEN, 2);
	nlh = rebuild(buf, msg, GENL_HDRLEN, -1);
	mnl_attr_put_u32(nlh, NETDEV_A_NAPI_IRQ, 38);
	mnl_attr_put_u32(nlh, NETDEV_A_NAPI_PID, 4242);
	got = print_one(napi_msg_print, nlh);
	ck_assert_str_eq(got, "napi 257 irq 38 pid 4242\n");
	free(got);
	/* A 2-byte IRQ is not read. */
	nlh = rebuild(buf, msg, GENL_HDRLEN, -1);
	mnl_attr_put_u16(nlh, NETDEV_A_NAPI_IRQ, 38);
	got = print_one(napi_msg_print, nlh);
	ck_assert_str_eq(got, "napi 257\n");
	free(got);
}
END_TEST

static void put_group(struct nlmsghdr *nlh, uint32_t id,
		      const unsigned int *types, const uint64_t *vals,
		      size_t n)
{
	struct nlattr *grp = mnl_attr_nest_start(nlh, ETHTOOL_A_STATS_GRP);
	struct nlattr *st;

	mnl_attr_put_u32(nlh, ETHTOOL_A_STATS_GRP_ID, id);
	mnl_attr_put_u32(nlh, ETHTOOL_A_STATS_GRP_SS_ID, 0);
	st = mnl_attr_nest_start(nlh, ETHTOOL_A_STATS_GRP_STAT);
	for (size_t i = 0; i < n; i++)
		mnl_attr_put_u64(nlh, (uint16_t)types[i], vals[i]);
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, grp);
}

/* The real STATS_GET reply (virtio_net fills no group) with the groups a
 * physical NIC fills, one statistic of a future kernel and one group
 * droptop does not ask for. */
START_TEST(ethtool_generated_stats)
{
	static const unsigned int mac_t[] = {
		ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT,
		ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR, 60,
	};
	static const uint64_t mac_v[] = { 1000, 5, 9 };
	static const unsigned int rmon_t[] = { ETHTOOL_A_STATS_RMON_UNDERSIZE };
	static const uint64_t rmon_v[] = { 2 };
	char buf[MSGBUF], *got;
	const struct nlmsghdr *msg;
	struct nlmsghdr *nlh;

	load_bin("netlink/eth0-ethtool.bin");
	msg = data_msg(BIN, BINLEN, 2);
	ck_assert_uint_eq(genl_cmd(msg), ETHTOOL_MSG_STATS_GET_REPLY);
	got = print_one(ethtool_stats_msg_print, msg);
	ck_assert_str_eq(got, "");
	free(got);
	nlh = rebuild(buf, msg, GENL_HDRLEN, -1);
	put_group(nlh, ETHTOOL_STATS_ETH_MAC, mac_t, mac_v, 3);
	put_group(nlh, ETHTOOL_STATS_RMON, rmon_t, rmon_v, 1);
	put_group(nlh, ETHTOOL_STATS_ETH_CTRL, rmon_t, rmon_v, 1);
	got = print_one(ethtool_stats_msg_print, nlh);
	ck_assert_str_eq(got, "eth-mac FramesReceivedOK 1000 "
			      "FramesLostDueToIntMACRcvError 5\n"
			      "rmon etherStatsUndersizePkts 2\n");
	free(got);
}
END_TEST

/* The real RSS reply (virtio_net: hash function, no table) with a table
 * added; a table that is not whole u32 entries is left out, and the hash
 * key never reaches a recording. */
START_TEST(rss_generated_indir)
{
	static const uint32_t indir[] = { 0, 1, 1, 0 };
	static const uint8_t key[] = { 0x6d, 0x5a, 0x56, 0xda };
	char buf[MSGBUF], *got;
	const struct nlmsghdr *msg;
	struct nlmsghdr *nlh;

	load_bin("netlink/eth0-ethtool.bin");
	msg = data_msg(BIN, BINLEN, 3);
	ck_assert_uint_eq(genl_cmd(msg), ETHTOOL_MSG_RSS_GET_REPLY);
	nlh = rebuild(buf, msg, GENL_HDRLEN, -1);
	mnl_attr_put(nlh, ETHTOOL_A_RSS_INDIR, sizeof(indir), indir);
	mnl_attr_put(nlh, ETHTOOL_A_RSS_HKEY, sizeof(key), key);
	got = print_one(ethtool_rss_msg_print, nlh);
	ck_assert_str_eq(got, "rss context 0 hfunc toeplitz\n"
			      "rss-indir 0 1 1 0\n");
	free(got);
	nlh = rebuild(buf, msg, GENL_HDRLEN, -1);
	mnl_attr_put(nlh, ETHTOOL_A_RSS_INDIR, 6, indir);
	got = print_one(ethtool_rss_msg_print, nlh);
	ck_assert_str_eq(got, "rss context 0 hfunc toeplitz\n");
	free(got);
}
END_TEST

/* IFLA_STATS64 of an older kernel (23 fields, before rx_nohandler) and
 * a reply without it. */
START_TEST(link_short_stats)
{
	char buf[MSGBUF], *got;
	const struct nlmsghdr *msg;
	struct nlattr *a; /* not const: libmnl's iterator casts it to char * */
	struct nlmsghdr *nlh;
	const void *stats = NULL;

	load_bin("netlink/eth0-link.bin");
	msg = data_msg(BIN, BINLEN, 0);
	mnl_attr_for_each(a, msg, sizeof(struct ifinfomsg))
		if (mnl_attr_get_type(a) == IFLA_STATS64)
			stats = mnl_attr_get_payload(a);
	ck_assert_ptr_nonnull(stats);
	nlh = rebuild(buf, msg, sizeof(struct ifinfomsg), IFLA_STATS64);
	got = print_one(link_msg_print, nlh);
	ck_assert_str_eq(got, "");
	free(got);
	mnl_attr_put(nlh, IFLA_STATS64, 23 * sizeof(uint64_t), stats);
	got = print_one(link_msg_print, nlh);
	/* 23 counters, then the link state the reply also carries. */
	ck_assert_int_eq(text_count_lines(got), 26);
	ck_assert_ptr_nonnull(strstr(got, "tx_compressed 0\nadmin_up 1\n"
					  "operstate up\ncarrier 1\n"));
	ck_assert_ptr_nonnull(strstr(got, "rx_packets 869\n"));
	ck_assert_ptr_nonnull(strstr(got, "tx_compressed 0\n"));
	ck_assert_ptr_null(strstr(got, "rx_nohandler"));
	free(got);
}
END_TEST

/* ---- text parsers ---- */

static struct snapshot S;

static void snap_teardown(void)
{
	snapshot_free(&S);
	teardown();
}

static int parse_dev(int (*fn)(struct snapshot *, const char *,
			       const char *), const char *text)
{
	snapshot_init(&S);
	return fn(&S, "eth0", text);
}

START_TEST(qstats_text_figures)
{
	char *t = test_data("netlink/eth0-qstats.txt", NULL);
	struct device *d;

	ck_assert_int_eq(parse_dev(qstats_parse, t), 0);
	assert_no_notes(&S, "qstats");
	d = snapshot_find_device(&S, "eth0");
	ck_assert(d->have_qstats);
	ck_assert_uint_eq(d->qs_dev.v[QS_RX_PACKETS], 869);
	ck_assert_uint_eq(d->qs_dev.v[QS_RX_BYTES], 20080013);
	ck_assert(!d->qs_dev.have[QS_RX_HW_DROPS]);
	ck_assert_int_eq(d->nqs_rxq, 1);
	ck_assert(d->qs_rxq[0].qs.have[QS_RX_PACKETS]);
	ck_assert_uint_eq(d->qs_rxq[0].qs.v[QS_RX_PACKETS], 869);
	free(t);
}
END_TEST

START_TEST(napi_ethtool_link_text_figures)
{
	char *t = test_data("netlink/eth0-napi.txt", NULL);
	struct device *d;

	ck_assert_int_eq(parse_dev(napi_parse, t), 0);
	d = snapshot_find_device(&S, "eth0");
	ck_assert_uint_eq(d->nqnapi, 1);
	ck_assert_int_eq(d->qnapi[0].queue, 0);
	ck_assert_uint_eq(d->qnapi[0].napi_id, 257);
	ck_assert_uint_eq(d->nnapis, 1);
	ck_assert_int_eq(d->napis[0].irq, -1);
	free(t);
	snapshot_free(&S);
	t = test_data("netlink/eth0-ethtool.txt", NULL);
	ck_assert_int_eq(parse_dev(ethtool_nl_parse, t), 0);
	d = snapshot_find_device(&S, "eth0");
	ck_assert_int_eq(d->ring_rx, 256);
	ck_assert_int_eq(d->ring_rx_max, 256);
	ck_assert_int_eq(d->channels_combined, 1);
	ck_assert_int_eq(d->channels_max_combined, 1);
	ck_assert_int_eq(d->channels_rx, -1);
	ck_assert_str_eq(d->rss_hfunc, "toeplitz");
	free(t);
	snapshot_free(&S);
	t = test_data("netlink/eth0-link.txt", NULL);
	ck_assert_int_eq(parse_dev(link_parse, t), 0);
	d = snapshot_find_device(&S, "eth0");
	ck_assert(d->sys_from_link);
	ck_assert_uint_eq(d->sys[SYS_RX_PACKETS], 869);
	ck_assert(d->sys_have[SYS_RX_NOHANDLER]);
	ck_assert_str_eq(d->operstate, "up");
	ck_assert_int_eq(d->carrier, 1);
	ck_assert_int_eq(d->admin_up, 1);
	assert_no_notes(&S, "link");
	free(t);
}
END_TEST

/* The recorded reply with its link state replaced: IFLA_OPERSTATE op
 * (-1: left out) and IFLA_CARRIER of carrier_len bytes holding carrier. */
static char *link_with_state(int op, const uint8_t *carrier,
			     size_t carrier_len)
{
	char b1[MSGBUF], b2[MSGBUF];
	struct nlmsghdr *nlh;
	uint8_t v;

	load_bin("netlink/eth0-link.bin");
	nlh = rebuild(b1, data_msg(BIN, BINLEN, 0), sizeof(struct ifinfomsg),
		      IFLA_OPERSTATE);
	nlh = rebuild(b2, nlh, sizeof(struct ifinfomsg), IFLA_CARRIER);
	if (op >= 0) {
		v = (uint8_t)op;
		mnl_attr_put(nlh, IFLA_OPERSTATE, 1, &v);
	}
	if (carrier)
		mnl_attr_put(nlh, IFLA_CARRIER, carrier_len, carrier);
	return print_one(link_msg_print, nlh);
}

/* A device that is down, as the kernel says it; a state number from a
 * newer kernel and an empty carrier attribute are left out, not shown. */
START_TEST(link_state_printed)
{
	const uint8_t off = 0, on = 1;
	char *got;

	got = link_with_state(2 /* IF_OPER_DOWN */, &off, 1);
	ck_assert_ptr_nonnull(strstr(got, "rx_otherhost_dropped 0\n"
					  "admin_up 1\noperstate down\n"
					  "carrier 0\n"));
	free(got);
	got = link_with_state(3 /* IF_OPER_LOWERLAYERDOWN */,
			      &on, 1);
	ck_assert_ptr_nonnull(strstr(got, "operstate lowerlayerdown\n"
					  "carrier 1\n"));
	free(got);
	got = link_with_state(7, &on, 0);
	ck_assert_ptr_null(strstr(got, "operstate"));
	ck_assert_ptr_null(strstr(got, "carrier "));
	ck_assert_ptr_nonnull(strstr(got, "rx_packets 869\n"));
	free(got);
	got = link_with_state(-1, NULL, 0);
	ck_assert_ptr_null(strstr(got, "operstate"));
	free(got);
}
END_TEST

/* A recording from before the link state: the same counters, the state
 * unknown, no note. */
START_TEST(link_text_without_state)
{
	char *t = test_data("netlink/eth0-link.txt", NULL);
	char *cut = strstr(t, "admin_up ");
	struct device *d;

	ck_assert_ptr_nonnull(cut);
	*cut = '\0';
	ck_assert_int_eq(parse_dev(link_parse, t), 0);
	d = snapshot_find_device(&S, "eth0");
	ck_assert_uint_eq(d->sys[SYS_RX_PACKETS], 869);
	ck_assert_str_eq(d->operstate, "");
	ck_assert_int_eq(d->carrier, -1);
	ck_assert_int_eq(d->admin_up, -1);
	assert_no_notes(&S, "link");
	snapshot_free(&S);
	free(t);
}
END_TEST

struct bad_case {
	const char *rel;
	const char *word;      /* line to edit: first token */
	int tok;               /* token to replace, -2: cut inside the line */
	const char *with;
	const char *note;
};

static const struct bad_case bad_cases[] = {
	{ "netlink/eth0-qstats.txt", "tx", -2, NULL,
	  "qstats eth0: line 3: incomplete last line" },
	{ "netlink/eth0-qstats.txt", "rx", 1, "x",
	  "qstats eth0: line 2: expected a queue number" },
	{ "netlink/eth0-qstats.txt", "rx", 3, "869x",
	  "qstats eth0: line 2: expected 'KEY VALUE' pairs" },
	{ "netlink/eth0-napi.txt", "napi", 1, "-1",
	  "napi eth0: line 3: expected 'napi ID'" },
	{ "netlink/eth0-napi.txt", "queue", 3, "irq",
	  "napi eth0: line 1: expected 'napi ID' after the queue" },
	{ "netlink/eth0-ethtool.txt", "rings", 2, "lots",
	  "ethtool-nl eth0: line 2: expected a number" },
	{ "netlink/eth0-link.txt", "rx_packets", 1, "8 69",
	  "link eth0: line 1: rx_packets: expected one number" },
	{ "netlink/eth0-link.txt", "admin_up", 1, "-1",
	  "link eth0: line 26: admin_up: expected 0 or 1" },
	{ "netlink/eth0-link.txt", "operstate", 1, "\033]0;x",
	  "link eth0: line 27: operstate: not a known state" },
	{ "netlink/eth0-link.txt", "carrier", 1, "2",
	  "link eth0: line 28: carrier: expected 0 or 1" },
};

static int (*parser_of(const char *rel))(struct snapshot *, const char *,
					  const char *)
{
	if (strstr(rel, "qstats"))
		return qstats_parse;
	if (strstr(rel, "napi"))
		return napi_parse;
	if (strstr(rel, "ethtool"))
		return ethtool_nl_parse;
	return link_parse;
}

/* Each edit of a real text is noted, naming the source and line, and
 * never gives a value. */
START_TEST(bad_text_is_noted)
{
	const struct bad_case *c = &bad_cases[_i];
	char *t = test_data(c->rel, NULL), *bad;
	int line = text_find_line(t, c->word, 1);

	if (c->tok == -2)
		bad = text_cut(t, strlen(t) - 5);
	else
		bad = text_replace_token(t, line, c->tok, c->with);
	ck_assert_int_eq(parse_dev(parser_of(c->rel), bad), -EINVAL);
	ck_assert_msg(any_note_has(&S, c->note), "no note '%s' (first: %s)",
		      c->note, S.nnotes ? S.notes[0] : "none");
	free(t);
	free(bad);
}
END_TEST

/* Newer lines and keys are skipped, not errors. */
START_TEST(unknown_lines_and_keys_skipped)
{
	ck_assert_int_eq(parse_dev(qstats_parse, "dev rx-packets 5 rx-new 7\n"
				   "page-pool 1 alloc 2\n"), 0);
	ck_assert_uint_eq(snapshot_find_device(&S, "eth0")
				  ->qs_dev.v[QS_RX_PACKETS], 5);
	assert_no_notes(&S, "qstats");
	snapshot_free(&S);
	ck_assert_int_eq(parse_dev(ethtool_nl_parse, "coalesce rx-usecs 8\n"
				   "rings rx 512 rx-buf-len 4096\n"), 0);
	ck_assert_int_eq(snapshot_find_device(&S, "eth0")->ring_rx, 512);
	assert_no_notes(&S, "ethtool-nl");
}
END_TEST

/* ---- merge rule, on recordings made of real captures ---- */

static void raw_with(struct raw_snapshot *r, bool qstats, const char *napi)
{
	raw_init(r);
	test_raw_add_file(r, "ethtool -S eth0",
			  "ethtool-S/virtio_net-ethq.txt");
	if (qstats)
		test_raw_add_file(r, "qstats eth0", "netlink/eth0-qstats.txt");
	if (napi)
		raw_add_copy(r, "napi eth0", napi, strlen(napi));
}

/* virtio_net-ethq.txt: rx_queue_0_packets 10282181, rx_queue_1_packets
 * 10401806; eth0-qstats.txt: rx 0 rx-packets 869. */
START_TEST(qstats_preferred_over_ethtool)
{
	struct raw_snapshot r;
	struct device *d;

	raw_with(&r, true, "queue rx 0 napi 257\nnapi 257 irq 38\n");
	snapshot_init(&S);
	snapshot_from_raw(&r, &S);
	d = snapshot_find_device(&S, "eth0");
	ck_assert_int_eq(d->nrxq, 2);
	ck_assert_uint_eq(d->rxq[0].packets, 869);
	ck_assert_str_eq(d->rxq[0].source, "qstats");
	ck_assert_uint_eq(d->rxq[1].packets, 10401806);
	ck_assert_str_eq(d->rxq[1].source, "ethtool -S");
	ck_assert(d->rxq[0].have_napi);
	ck_assert_uint_eq(d->rxq[0].napi_id, 257);
	ck_assert_int_eq(d->rxq[0].irq, 38);
	ck_assert(d->rxq[0].irq_from_napi);
	ck_assert_int_eq(S.nirqs, 1);
	ck_assert_str_eq(S.irqs[0].name, "eth0-napi");
	raw_free(&r);
	snapshot_free(&S);
	raw_with(&r, false, NULL);
	snapshot_init(&S);
	snapshot_from_raw(&r, &S);
	d = snapshot_find_device(&S, "eth0");
	ck_assert_uint_eq(d->rxq[0].packets, 10282181);
	ck_assert_str_eq(d->rxq[0].source, "ethtool -S");
	ck_assert(!d->rxq[0].have_napi);
	raw_free(&r);
}
END_TEST

/* A recording of two snapshots made of the real texts: 1000 more packets
 * on queue 0 (qstats and link), 50 rx_missed_errors, and the ring maximum
 * raised to 4096 → queue rows from qstats, ring-small with the fix. */
static void recording_snapshot(struct snapshot *s, int64_t sec, bool later)
{
	char *q = test_data("netlink/eth0-qstats.txt", NULL);
	char *l = test_data("netlink/eth0-link.txt", NULL);
	char *e = test_data("netlink/eth0-ethtool.txt", NULL);
	char *e2 = text_replace_token(e, text_find_line(e, "rings", 1), 2,
				      "4096");
	struct raw_snapshot r;

	if (later) {
		char *t = text_replace_token(q, 1, 2, "1869");

		free(q);
		q = text_replace_token(t, 2, 3, "1869");
		free(t);
		t = text_replace_token(l, 1, 1, "1869");
		free(l);
		l = text_replace_token(t, text_find_line(t, "rx_missed_errors",
							 1), 1, "50");
		free(t);
	}
	raw_init(&r);
	r.monotonic_ns = sec * 1000000000;
	raw_add(&r, "qstats eth0", q, strlen(q));
	raw_add(&r, "link eth0", l, strlen(l));
	raw_add(&r, "ethtool-nl eth0", e2, strlen(e2));
	snapshot_init(s);
	snapshot_from_raw(&r, s);
	raw_free(&r);
	free(e);
}

START_TEST(recording_queue_source_and_ring_small)
{
	struct snapshot p;
	struct diagnosis d;
	const struct finding *f;

	recording_snapshot(&p, 100, false);
	recording_snapshot(&S, 101, true);
	ck_assert_int_eq(diagnose(&p, &S, &d), 0);
	ck_assert_uint_eq(d.nqueues, 1);
	ck_assert_str_eq(d.queues[0].source, "qstats");
	ck_assert(d.queues[0].rx_pps.known);
	ck_assert_double_eq(d.queues[0].rx_pps.v, 1000);
	ck_assert_int_eq(d.queues[0].napi_id, -1);
	ck_assert_str_eq(d.devs[0].stats_source, "link");
	ck_assert_double_eq(d.devs[0].nic_lost_pps.v, 50);
	ck_assert_str_eq(d.devs[0].nic_loss_source, "link");
	f = diagnosis_finding(&d, "ring-small");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->detail, "eth0: 50 NIC drops/s (link) with the RX "
				    "ring at 256 of a maximum 4096: ethtool -G "
				    "eth0 rx 4096");
	diagnosis_free(&d);
	snapshot_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("replies");
	TCase *tt = tcase_create("text");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, replies_print_as_recorded, 0,
			    (int)ARRAY_SIZE(recorded));
	tcase_add_test(tc, cut_stream_prints_whole_messages);
	tcase_add_test(tc, qstats_generated_drops);
	tcase_add_test(tc, napi_generated_irq_pid);
	tcase_add_test(tc, ethtool_generated_stats);
	tcase_add_test(tc, rss_generated_indir);
	tcase_add_test(tc, link_short_stats);
	tcase_add_test(tc, link_state_printed);
	tcase_add_test(tc, link_text_without_state);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tt, NULL, snap_teardown);
	tcase_add_test(tt, qstats_text_figures);
	tcase_add_test(tt, napi_ethtool_link_text_figures);
	tcase_add_loop_test(tt, bad_text_is_noted, 0,
			    (int)ARRAY_SIZE(bad_cases));
	tcase_add_test(tt, unknown_lines_and_keys_skipped);
	tcase_add_test(tt, qstats_preferred_over_ethtool);
	tcase_add_test(tt, recording_queue_source_and_ring_small);
	suite_add_tcase(s, tt);
	return test_run_suite(s);
}
