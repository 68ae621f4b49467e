/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink sources' live half: requests through nl.h, and printers that
 * turn each kernel reply message into the text of a recording source
 * (`qstats DEV`, `napi DEV`, `ethtool-nl DEV`, `link DEV`). The printers
 * are mnl callbacks whose data is a struct strbuf; they are exported so
 * that tests can feed them replies recorded on a real machine. */
#ifndef DROPTOP_NL_SOURCES_H
#define DROPTOP_NL_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "raw.h"
#include "util.h"

/* netdev_nl.c */
int qstats_msg_print(const struct nlmsghdr *nlh, void *strbuf);
int queue_msg_print(const struct nlmsghdr *nlh, void *strbuf);
int napi_msg_print(const struct nlmsghdr *nlh, void *strbuf);
/* Device-scope then queue-scope qstats of one device. */
int netdev_qstats_collect(struct nl_sock *s, uint16_t family,
			  unsigned int ifindex, struct strbuf *out,
			  char *err, size_t errlen);
/* queue-get then napi-get dumps of one device. */
int netdev_napi_collect(struct nl_sock *s, uint16_t family,
			unsigned int ifindex, struct strbuf *out,
			char *err, size_t errlen);

/* ethtool_nl.c */
int ethtool_channels_msg_print(const struct nlmsghdr *nlh, void *strbuf);
int ethtool_rings_msg_print(const struct nlmsghdr *nlh, void *strbuf);
int ethtool_stats_msg_print(const struct nlmsghdr *nlh, void *strbuf);
int ethtool_rss_msg_print(const struct nlmsghdr *nlh, void *strbuf);

/* What ethtool_nl_collect() obtained, so the ioctl path can skip it. */
#define ETHNL_GOT_CHANNELS 0x1
#define ETHNL_GOT_RINGS 0x2

/* Channels, rings, eth-mac and rmon statistics, RSS of one device: the
 * statistics for COLLECT_COUNTERS in parts, the rest for
 * COLLECT_SETTINGS (sources.h). A command the driver or kernel refuses
 * is left out; returns the first error other than EOPNOTSUPP (err says
 * which command), or 0. */
int ethtool_nl_collect(struct nl_sock *s, uint16_t family, const char *dev,
		       unsigned int parts, struct strbuf *out,
		       unsigned int *got, char *err, size_t errlen);

/* rtnl.c */
int link_msg_print(const struct nlmsghdr *nlh, void *strbuf);
/* Also gives the device's ifindex (0 when the reply had none). */
int rtnl_link_collect(struct nl_sock *s, const char *dev, struct strbuf *out,
		      unsigned int *ifindex, char *err, size_t errlen);

/* sockdiag.c: one sock_diag reply printed as `sockets` lines. */
int sockdiag_msg_print(const struct nlmsghdr *nlh, void *strbuf);

/* nftables.c: the `nftables` source, live. The cache keeps the
 * NETLINK_NETFILTER socket and the last text with the ruleset generation
 * it describes: the chains and rules are dumped again only when the
 * generation changed. nft_chain_msg() adds each base chain on prerouting
 * or input (ip, ip6, inet) of a GETCHAIN reply to a struct nft_chains;
 * nft_rule_msg() counts a GETRULE reply's rule in its struct nft_chain
 * when table and chain match. */
#define NFT_NAME_MAX 64
struct nft_chain {
	uint8_t family;
	char table[NFT_NAME_MAX];  /* printable: other bytes are '?' */
	char name[NFT_NAME_MAX];
	uint32_t hook;             /* NF_INET_PRE_ROUTING or NF_INET_LOCAL_IN */
	uint32_t policy;           /* NF_ACCEPT or NF_DROP */
	uint64_t rules;
};
struct nft_chains {
	struct nft_chain *v;
	size_t n, cap;
};
/* The `nftables` text of cs (format in nftables.c). */
void nft_chains_print(const struct nft_chains *cs, struct strbuf *out);
struct nft_cache {
	struct nl_sock sock;
	bool open;
	uint32_t gen;
	char *text;        /* NULL before the first dump */
	struct mnl_socket *events; /* NFNLGRP_NFTABLES, or NULL */
	bool changed;      /* an event came since the last dump */
};
struct nft_cache *nft_cache_new(void);
/* While droptop still has CAP_NET_ADMIN (before privs_drop()): joins the
 * nf_tables event group and dumps once. Later refreshes then reuse the
 * text until an event says the ruleset changed. */
int nft_cache_prepare(struct nft_cache *c, char *err, size_t errlen);
void nft_cache_free(struct nft_cache *c);
int nft_collect(struct nft_cache *c, struct strbuf *out, char *err,
		size_t errlen);
int nft_chain_msg(const struct nlmsghdr *nlh, void *chains);
int nft_rule_msg(const struct nlmsghdr *nlh, void *chain);

/* nl_collect.c: the netlink sockets of live collection, opened once and
 * kept for every refresh of a run (in the namespace droptop is in when
 * they are opened). */
struct nl_collect {
	struct nl_sock genl;
	struct nl_sock rtnl;
	bool genl_ok, rtnl_ok;
	bool want_netdev, want_ethtool, want_link; /* not disabled, not absent */
	bool netdev, ethtool, link;   /* usable now */
	uint16_t netdev_id, ethtool_id;
	struct raw_snapshot open_notes; /* missing for good, and instead */
};

/* Notes what DROPTOP_NO_NETLINK switches off; opens nothing yet. */
void nl_collect_open(struct nl_collect *c);
/* Before each collection: opens the sockets and resolves the families
 * not yet usable. A failure is noted in r and tried again next time,
 * except a family the kernel lacks, which stays absent. */
void nl_collect_ready(struct nl_collect *c, struct raw_snapshot *r);
/* Adds to r the notes of nl_collect_open (a family missing or disabled),
 * so that every snapshot says what its figures lack. */
void nl_collect_notes(const struct nl_collect *c, struct raw_snapshot *r);
/* Adds the netlink sources of dev to r, the parts asked (COLLECT_*,
 * sources.h: `link`, `qstats` and the statistics of `ethtool-nl` are
 * counters; `napi` and the rest of `ethtool-nl` settings). Returns
 * ETHNL_GOT_* flags plus NLC_GOT_LINK when `link DEV` replaces the sysfs
 * statistics. *ifindex (may be NULL): in, the device's index if known
 * (else 0); out, its index (from the link reply when counters are
 * asked), 0 when it could not be found. */
#define NLC_GOT_LINK 0x100
unsigned int nl_collect_device(struct nl_collect *c, const char *dev,
			       unsigned int parts, unsigned int *ifindex,
			       struct raw_snapshot *r);
void nl_collect_close(struct nl_collect *c);

#endif
