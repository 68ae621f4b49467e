/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ethtool generic netlink: channels, rings (current and maximum ring
 * sizes, for the ring-small finding), the standard statistics groups
 * eth-mac and rmon where the driver fills them, and the RSS context
 * (hash function, indirection table). The ioctl path (ethtool_ioctl.c)
 * stays the fallback, as in ethtool itself: collect.c asks it for what
 * this file could not get.
 *
 * Recording text `ethtool-nl DEV`, one "GROUP KEY VALUE..." line each:
 *   channels rx-max 0 tx-max 0 other-max 1 combined-max 8 ... combined 8
 *   rings rx-max 4096 rx 256 tx-max 4096 tx 256
 *   eth-mac FramesReceivedOK 12 FramesLostDueToIntMACRcvError 0 ...
 *   rmon etherStatsUndersizePkts 0 ...
 *   rss context 0 hfunc toeplitz
 *   rss-indir 0 1 2 3 0 1 2 3      (queue of each table entry)
 * Keys are the kernel's names (statistics: its string sets); the RSS key
 * is never recorded. A reader ignores groups and keys it does not know. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_uapi.h"
#include "nl_sources.h"
#include "sources_internal.h"
#include "util.h"

#define MAX_INDIR 65536
/* Above every channels and rings attribute, present and future. */
#define GROUP_ATTR_MAX 31

struct attr_name {
	unsigned int attr;
	const char *name;
};

static const struct attr_name channel_names[] = {
	{ ETHTOOL_A_CHANNELS_RX_MAX, "rx-max" },
	{ ETHTOOL_A_CHANNELS_TX_MAX, "tx-max" },
	{ ETHTOOL_A_CHANNELS_OTHER_MAX, "other-max" },
	{ ETHTOOL_A_CHANNELS_COMBINED_MAX, "combined-max" },
	{ ETHTOOL_A_CHANNELS_RX_COUNT, "rx" },
	{ ETHTOOL_A_CHANNELS_TX_COUNT, "tx" },
	{ ETHTOOL_A_CHANNELS_OTHER_COUNT, "other" },
	{ ETHTOOL_A_CHANNELS_COMBINED_COUNT, "combined" },
};

static const struct attr_name ring_names[] = {
	{ ETHTOOL_A_RINGS_RX_MAX, "rx-max" },
	{ ETHTOOL_A_RINGS_RX_MINI_MAX, "rx-mini-max" },
	{ ETHTOOL_A_RINGS_RX_JUMBO_MAX, "rx-jumbo-max" },
	{ ETHTOOL_A_RINGS_TX_MAX, "tx-max" },
	{ ETHTOOL_A_RINGS_RX, "rx" },
	{ ETHTOOL_A_RINGS_RX_MINI, "rx-mini" },
	{ ETHTOOL_A_RINGS_RX_JUMBO, "rx-jumbo" },
	{ ETHTOOL_A_RINGS_TX, "tx" },
};

/* The kernel's string set "stats-eth-mac", indexed by attribute. */
static const char *const eth_mac_names[] = {
	[ETHTOOL_A_STATS_ETH_MAC_2_TX_PKT] = "FramesTransmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_3_SINGLE_COL] = "SingleCollisionFrames",
	[ETHTOOL_A_STATS_ETH_MAC_4_MULTI_COL] = "MultipleCollisionFrames",
	[ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT] = "FramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_6_FCS_ERR] = "FrameCheckSequenceErrors",
	[ETHTOOL_A_STATS_ETH_MAC_7_ALIGN_ERR] = "AlignmentErrors",
	[ETHTOOL_A_STATS_ETH_MAC_8_TX_BYTES] = "OctetsTransmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_9_TX_DEFER] = "FramesWithDeferredXmissions",
	[ETHTOOL_A_STATS_ETH_MAC_10_LATE_COL] = "LateCollisions",
	[ETHTOOL_A_STATS_ETH_MAC_11_XS_COL] = "FramesAbortedDueToXSColls",
	[ETHTOOL_A_STATS_ETH_MAC_12_TX_INT_ERR] =
		"FramesLostDueToIntMACXmitError",
	[ETHTOOL_A_STATS_ETH_MAC_13_CS_ERR] = "CarrierSenseErrors",
	[ETHTOOL_A_STATS_ETH_MAC_14_RX_BYTES] = "OctetsReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR] =
		"FramesLostDueToIntMACRcvError",
	[ETHTOOL_A_STATS_ETH_MAC_18_TX_MCAST] = "MulticastFramesXmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_19_TX_BCAST] = "BroadcastFramesXmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_20_XS_DEFER] = "FramesWithExcessiveDeferral",
	[ETHTOOL_A_STATS_ETH_MAC_21_RX_MCAST] = "MulticastFramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_22_RX_BCAST] = "BroadcastFramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_23_IR_LEN_ERR] = "InRangeLengthErrors",
	[ETHTOOL_A_STATS_ETH_MAC_24_OOR_LEN] = "OutOfRangeLengthField",
	[ETHTOOL_A_STATS_ETH_MAC_25_TOO_LONG_ERR] = "FrameTooLongErrors",
};

/* The kernel's string set "stats-rmon". */
static const char *const rmon_names[] = {
	[ETHTOOL_A_STATS_RMON_UNDERSIZE] = "etherStatsUndersizePkts",
	[ETHTOOL_A_STATS_RMON_OVERSIZE] = "etherStatsOversizePkts",
	[ETHTOOL_A_STATS_RMON_FRAG] = "etherStatsFragments",
	[ETHTOOL_A_STATS_RMON_JABBER] = "etherStatsJabbers",
};

/* Bits of ETHTOOL_A_RSS_HFUNC: ETH_RSS_HASH_*_BIT of the kernel's
 * include/linux/ethtool.h, named as its "rss-hash-funcs" string set. */
static const char *const hfunc_names[] = { "toeplitz", "xor", "crc32" };

/* ---- live: reply messages -> text ---- */

static bool genl_msg_ok(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN;
}

/* "GROUP key value ..." for the u32 attributes of a reply. */
static void print_u32_group(const struct nlmsghdr *nlh, struct strbuf *sb,
			    const char *group, const struct attr_name *names,
			    size_t n)
{
	const struct nlattr *tb[GROUP_ATTR_MAX + 1] = { 0 };
	size_t start = sb->len;
	uint32_t v;

	nl_parse_attrs(nlh, GENL_HDRLEN, tb, GROUP_ATTR_MAX);
	sb_puts(sb, group);
	for (size_t i = 0; i < n; i++)
		if (names[i].attr <= GROUP_ATTR_MAX &&
		    nl_attr_u32(tb[names[i].attr], &v))
			sb_printf(sb, " %s %" PRIu32, names[i].name, v);
	if (sb->len == start + strlen(group)) {
		sb->len = start;   /* nothing the device reports */
		sb->s[start] = '\0';
		return;
	}
	sb_putc(sb, '\n');
}

int ethtool_channels_msg_print(const struct nlmsghdr *nlh, void *data)
{
	if (genl_msg_ok(nlh))
		print_u32_group(nlh, data, "channels", channel_names,
				ARRAY_SIZE(channel_names));
	return MNL_CB_OK;
}

int ethtool_rings_msg_print(const struct nlmsghdr *nlh, void *data)
{
	if (genl_msg_ok(nlh))
		print_u32_group(nlh, data, "rings", ring_names,
				ARRAY_SIZE(ring_names));
	return MNL_CB_OK;
}

/* One ETHTOOL_A_STATS_GRP nest: "eth-mac Name value ..." */
static void print_stats_group(const struct nlattr *grp, struct strbuf *sb)
{
	const struct nlattr *tb[ETHTOOL_A_STATS_GRP_MAX + 1] = { 0 };
	const char *const *names;
	struct nlattr *a; /* not const: libmnl's iterator casts it to char * */
	size_t nnames;
	uint32_t id;
	uint64_t v;

	nl_parse_nested(grp, tb, ETHTOOL_A_STATS_GRP_MAX);
	if (!nl_attr_u32(tb[ETHTOOL_A_STATS_GRP_ID], &id) ||
	    !tb[ETHTOOL_A_STATS_GRP_STAT])
		return;
	if (id == ETHTOOL_STATS_ETH_MAC) {
		names = eth_mac_names;
		nnames = ARRAY_SIZE(eth_mac_names);
		sb_puts(sb, "eth-mac");
	} else if (id == ETHTOOL_STATS_RMON) {
		names = rmon_names;
		nnames = ARRAY_SIZE(rmon_names);
		sb_puts(sb, "rmon");
	} else {
		return;
	}
	/* Each statistic is an attribute whose type is its index. */
	mnl_attr_for_each_nested(a, tb[ETHTOOL_A_STATS_GRP_STAT]) {
		unsigned int t = mnl_attr_get_type(a);

		if (t < nnames && names[t] && nl_attr_u64(a, &v))
			sb_printf(sb, " %s %" PRIu64, names[t], v);
	}
	sb_putc(sb, '\n');
}

int ethtool_stats_msg_print(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a; /* not const: libmnl's iterator casts it to char * */

	if (!genl_msg_ok(nlh))
		return MNL_CB_OK;
	/* Groups repeat the same attribute type: walk them all. */
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == ETHTOOL_A_STATS_GRP)
			print_stats_group(a, data);
	return MNL_CB_OK;
}

static void print_hfunc(struct strbuf *sb, uint32_t hfunc)
{
	for (size_t i = 0; i < ARRAY_SIZE(hfunc_names); i++)
		if (hfunc == (uint32_t)1 << i) {
			sb_printf(sb, " hfunc %s", hfunc_names[i]);
			return;
		}
	sb_printf(sb, " hfunc 0x%" PRIx32, hfunc);
}

int ethtool_rss_msg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[ETHTOOL_A_RSS_HKEY + 1] = { 0 };
	struct strbuf *sb = data;
	const struct nlattr *indir;
	uint32_t v, n;

	if (!genl_msg_ok(nlh))
		return MNL_CB_OK;
	nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_RSS_HKEY);
	sb_printf(sb, "rss context %" PRIu32,
		  nl_attr_u32(tb[ETHTOOL_A_RSS_CONTEXT], &v) ? v : 0);
	if (nl_attr_u32(tb[ETHTOOL_A_RSS_HFUNC], &v))
		print_hfunc(sb, v);
	sb_putc(sb, '\n');
	indir = tb[ETHTOOL_A_RSS_INDIR];
	if (!indir)
		return MNL_CB_OK;
	/* A table of whole u32 entries, or none at all. */
	n = mnl_attr_get_payload_len(indir) / sizeof(uint32_t);
	if (n == 0 || n > MAX_INDIR ||
	    mnl_attr_get_payload_len(indir) % sizeof(uint32_t))
		return MNL_CB_OK;
	sb_puts(sb, "rss-indir");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t q;

		memcpy(&q, (const char *)mnl_attr_get_payload(indir) +
			   i * sizeof(q), sizeof(q));
		sb_printf(sb, " %" PRIu32, q);
	}
	sb_putc(sb, '\n');
	return MNL_CB_OK;
}

/* A request for one device: ETHTOOL_A_*_HEADER { DEV_NAME }. */
static struct nlmsghdr *ethnl_start(struct nl_sock *s, uint16_t family,
				    uint8_t cmd, uint16_t hdr_attr,
				    const char *dev)
{
	struct nlmsghdr *nlh = nl_genl_start(s, family, cmd,
					     ETHTOOL_GENL_VERSION, 0);
	struct nlattr *hdr = mnl_attr_nest_start(nlh, hdr_attr);

	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, dev);
	mnl_attr_nest_end(nlh, hdr);
	return nlh;
}

/* Asks for the eth-mac and rmon groups, as a compact bitset. */
static void put_stats_groups(struct nlmsghdr *nlh)
{
	uint32_t bits = (1u << ETHTOOL_STATS_ETH_MAC) |
			(1u << ETHTOOL_STATS_RMON);
	struct nlattr *set = mnl_attr_nest_start(nlh, ETHTOOL_A_STATS_GROUPS);

	mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, __ETHTOOL_STATS_CNT);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_VALUE, sizeof(bits), &bits);
	mnl_attr_nest_end(nlh, set);
}

struct ethnl_cmd {
	uint8_t cmd;
	uint16_t hdr_attr;
	mnl_cb_t print;
	unsigned int got;
	const char *what;
	unsigned int part;    /* COLLECT_COUNTERS or COLLECT_SETTINGS */
};

static const struct ethnl_cmd ethnl_cmds[] = {
	{ ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_A_CHANNELS_HEADER,
	  ethtool_channels_msg_print, ETHNL_GOT_CHANNELS, "channels",
	  COLLECT_SETTINGS },
	{ ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_HEADER,
	  ethtool_rings_msg_print, ETHNL_GOT_RINGS, "rings",
	  COLLECT_SETTINGS },
	{ ETHTOOL_MSG_STATS_GET, ETHTOOL_A_STATS_HEADER,
	  ethtool_stats_msg_print, 0, "stats", COLLECT_COUNTERS },
	{ ETHTOOL_MSG_RSS_GET, ETHTOOL_A_RSS_HEADER,
	  ethtool_rss_msg_print, 0, "rss", COLLECT_SETTINGS },
};

int ethtool_nl_collect(struct nl_sock *s, uint16_t family, const char *dev,
		       unsigned int parts, struct strbuf *out, unsigned int *got,
		       char *err, size_t errlen)
{
	char why[256];
	int first = 0;

	*got = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ethnl_cmds); i++) {
		const struct ethnl_cmd *c = &ethnl_cmds[i];
		struct nlmsghdr *nlh;
		int rc;

		if (!(c->part & parts))
			continue;
		nlh = ethnl_start(s, family, c->cmd, c->hdr_attr, dev);
		if (c->cmd == ETHTOOL_MSG_STATS_GET)
			put_stats_groups(nlh);
		rc = nl_talk(s, nlh, c->print, out, why, sizeof(why));
		if (rc == 0) {
			*got |= c->got;
		} else if (rc != -EOPNOTSUPP && !first) {
			/* An older kernel lacks RSS_GET: EOPNOTSUPP too. */
			first = rc;
			snprintf(err, errlen, "%s: %s", c->what, why);
		}
	}
	return first;
}

/* ---- text -> snapshot ---- */

struct en_parser {
	struct snapshot *s;
	struct device *d;
	char src[64];
	unsigned int lineno;
};

static bool tok_is(const char *tok, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(tok, word, n) == 0;
}

static int en_bad(struct en_parser *x, const char *why)
{
	snapshot_note(x->s, "%s: line %u: %s", x->src, x->lineno, why);
	return -EINVAL;
}

static int *channel_field(struct device *d, const char *k, size_t n)
{
	if (tok_is(k, n, "rx"))
		return &d->channels_rx;
	if (tok_is(k, n, "combined"))
		return &d->channels_combined;
	if (tok_is(k, n, "rx-max"))
		return &d->channels_max_rx;
	if (tok_is(k, n, "combined-max"))
		return &d->channels_max_combined;
	return NULL;
}

static int *ring_field(struct device *d, const char *k, size_t n)
{
	if (tok_is(k, n, "rx"))
		return &d->ring_rx;
	if (tok_is(k, n, "rx-max"))
		return &d->ring_rx_max;
	return NULL;
}

static int std_stat_id(bool mac, const char *k, size_t n)
{
	static const struct {
		bool mac;
		const char *name;
		int id;
	} ids[] = {
		{ true, "FramesReceivedOK", STD_MAC_FRAMES_RX_OK },
		{ true, "FramesLostDueToIntMACRcvError",
		  STD_MAC_LOST_INT_RX_ERR },
		{ true, "FrameCheckSequenceErrors", STD_MAC_FCS_ERR },
		{ false, "etherStatsUndersizePkts", STD_RMON_UNDERSIZE },
		{ false, "etherStatsOversizePkts", STD_RMON_OVERSIZE },
		{ false, "etherStatsFragments", STD_RMON_FRAGMENTS },
		{ false, "etherStatsJabbers", STD_RMON_JABBERS },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i].mac == mac && tok_is(k, n, ids[i].name))
			return ids[i].id;
	return -1;
}

enum en_group { EN_CHANNELS, EN_RINGS, EN_MAC, EN_RMON, EN_RSS };

/* One "KEY VALUE" pair of a group line. */
static int en_pair(struct en_parser *x, enum en_group g, const char *k,
		   size_t kn, const char *v, size_t vn)
{
	struct device *d = x->d;
	uint64_t n = 0;
	bool num = parse_u64(v, vn, 10, &n);
	int *field = NULL, id;

	if (g == EN_RSS && tok_is(k, kn, "hfunc")) {
		copy_token(d->rss_hfunc, sizeof(d->rss_hfunc), v, vn);
		return 0;
	}
	if (!num)
		return en_bad(x, "expected a number");
	if (g == EN_CHANNELS)
		field = channel_field(d, k, kn);
	else if (g == EN_RINGS)
		field = ring_field(d, k, kn);
	if (field) {
		*field = n > INT32_MAX ? INT32_MAX : (int)n;
	} else if ((g == EN_MAC || g == EN_RMON) &&
		   (id = std_stat_id(g == EN_MAC, k, kn)) >= 0) {
		d->std_have[id] = true;
		d->std[id] = n;
	}
	return 0;
}

static int en_pairs(struct en_parser *x, enum en_group g, const char *p,
		    const char *end)
{
	const char *k, *v;
	size_t kn, vn;

	while ((k = next_token(&p, end, &kn))) {
		v = next_token(&p, end, &vn);
		if (!v)
			return en_bad(x, "expected 'KEY VALUE' pairs");
		if (en_pair(x, g, k, kn, v, vn) < 0)
			return -EINVAL;
	}
	return 0;
}

/* "rss-indir Q Q Q ...": every entry must be a queue number. */
static int en_indir(struct en_parser *x, const char *p, const char *end)
{
	size_t n = count_tokens(p, end), i = 0, len;
	const char *tok;
	uint64_t q;

	if (n == 0 || n > MAX_INDIR)
		return en_bad(x, "bad indirection table size");
	free(x->d->rss_indir);
	x->d->rss_indir = xcalloc(n, sizeof(*x->d->rss_indir));
	x->d->nrss_indir = 0;
	while ((tok = next_token(&p, end, &len))) {
		if (!parse_u64(tok, len, 10, &q) || q > UINT32_MAX)
			return en_bad(x, "bad indirection table entry");
		x->d->rss_indir[i++] = (uint32_t)q;
	}
	x->d->nrss_indir = i;
	return 0;
}

static int en_line(struct en_parser *x, const char *p, const char *end)
{
	static const struct {
		const char *name;
		enum en_group g;
	} groups[] = {
		{ "channels", EN_CHANNELS }, { "rings", EN_RINGS },
		{ "eth-mac", EN_MAC },       { "rmon", EN_RMON },
		{ "rss", EN_RSS },
	};
	size_t n;
	const char *tok = next_token(&p, end, &n);

	if (tok_is(tok, n, "rss-indir"))
		return en_indir(x, p, end);
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (tok_is(tok, n, groups[i].name))
			return en_pairs(x, groups[i].g, p, end);
	return 0;
}

int ethtool_nl_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct en_parser x = { .s = s, .d = snapshot_device(s, dev) };
	const char *pos = text, *line;
	size_t len;
	int rc = 0;

	snprintf(x.src, sizeof(x.src), "ethtool-nl %s", dev);
	while ((line = next_line(&pos, &len))) {
		x.lineno++;
		if (only_blanks(line, line + len))
			continue;
		if (line[len] != '\n')
			return en_bad(&x, "incomplete last line (truncated?)");
		if (en_line(&x, line, line + len) < 0)
			rc = -EINVAL;
	}
	return rc;
}
