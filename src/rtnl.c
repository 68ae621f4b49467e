/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rtnetlink RTM_GETLINK: a device's IFLA_STATS64 counters in one request,
 * instead of one sysfs read per counter (sysfs stays the fallback).
 *
 * Recording text `link DEV`: "NAME VALUE" lines, the fields of struct
 * rtnl_link_stats64 under the names of /sys/class/net/DEV/statistics
 * (rx_packets, rx_dropped, rx_missed_errors, rx_fifo_errors, ...), so the
 * same parser reads `link DEV` and `sysfs DEV`. After them the link state
 * as sysfs spells it: "admin_up 1" (IFF_UP of ifi_flags), "operstate up"
 * (IFLA_OPERSTATE) and "carrier 1" (IFLA_CARRIER); a kernel without an
 * attribute leaves its line out. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "nl_sources.h"
#include "sources_internal.h"
#include "util.h"

/* struct rtnl_link_stats64 in field order; an older kernel sends fewer
 * fields (the attribute is shorter), a newer one more (ignored). */
static const char *const stats64_names[] = {
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
	"rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
	"multicast", "collisions", "rx_length_errors", "rx_over_errors",
	"rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
	"rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors",
	"tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors",
	"rx_compressed", "tx_compressed", "rx_nohandler",
	"rx_otherhost_dropped",
};

/* IF_OPER_* (RFC 2863) in the words of /sys/class/net/DEV/operstate. */
static const char *const operstate_names[] = {
	"unknown", "notpresent", "down", "lowerlayerdown", "testing",
	"dormant", "up",
};

static void link_state_print(const struct ifinfomsg *ifm,
			     const struct nlattr *const *tb, struct strbuf *sb)
{
	const struct nlattr *op = tb[IFLA_OPERSTATE], *ca = tb[IFLA_CARRIER];

	sb_printf(sb, "admin_up %u\n", ifm->ifi_flags & IFF_UP ? 1u : 0u);
	if (op && mnl_attr_get_payload_len(op) >= 1 &&
	    mnl_attr_get_u8(op) < ARRAY_SIZE(operstate_names))
		sb_printf(sb, "operstate %s\n",
			  operstate_names[mnl_attr_get_u8(op)]);
	if (ca && mnl_attr_get_payload_len(ca) >= 1)
		sb_printf(sb, "carrier %u\n", mnl_attr_get_u8(ca) ? 1u : 0u);
}

int link_msg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_CARRIER + 1] = { 0 };
	const struct nlattr *st;
	struct strbuf *sb = data;
	size_t n;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;
	nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb, IFLA_CARRIER);
	st = tb[IFLA_STATS64];
	if (!st)
		return MNL_CB_OK;
	n = mnl_attr_get_payload_len(st) / sizeof(uint64_t);
	for (size_t i = 0; i < n && i < ARRAY_SIZE(stats64_names); i++) {
		uint64_t v;

		/* The payload is only 4-byte aligned. */
		memcpy(&v, (const char *)mnl_attr_get_payload(st) +
			   i * sizeof(v), sizeof(v));
		sb_printf(sb, "%s %" PRIu64 "\n", stats64_names[i], v);
	}
	link_state_print(mnl_nlmsg_get_payload(nlh), tb, sb);
	return MNL_CB_OK;
}

struct link_reply {
	struct strbuf *out;
	unsigned int ifindex;
};

/* The printer, keeping the ifindex the netdev family asks by. */
static int link_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_reply *lr = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifm) &&
	    ifm->ifi_index > 0)
		lr->ifindex = (unsigned int)ifm->ifi_index;
	return link_msg_print(nlh, lr->out);
}

int rtnl_link_collect(struct nl_sock *s, const char *dev, struct strbuf *out,
		      unsigned int *ifindex, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = nl_msg_start(s, RTM_GETLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct link_reply lr = { out, 0 };
	size_t start = out->len;
	int rc;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	rc = nl_talk(s, nlh, link_reply_cb, &lr, err, errlen);
	if (ifindex)
		*ifindex = rc == 0 ? lr.ifindex : 0;
	if (rc == 0 && out->len == start) {
		snprintf(err, errlen, "no IFLA_STATS64 in the reply");
		return -ENODATA;
	}
	return rc;
}

int link_parse(struct snapshot *s, const char *dev, const char *text)
{
	char src[64];
	int rc;

	snprintf(src, sizeof(src), "link %s", dev);
	rc = stats_kv_parse(s, dev, src, text);
	snapshot_device(s, dev)->sys_from_link = true;
	return rc;
}
