/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The counter sources' parsers and collectors. Each source file turns one
 * kind of raw text into its part of a snapshot (parse), and, for live use,
 * reads the kernel into that same raw text (collect), so live runs and
 * replays share one parser.
 *
 * Parsers return 0, or -EINVAL when the text is malformed: they then add a
 * snapshot note naming the source and the line, keep what they parsed
 * before the fault, and never invent a value. Collectors return 0 or a
 * negative errno and append the text to a strbuf. */
#ifndef DROPTOP_SOURCES_INTERNAL_H
#define DROPTOP_SOURCES_INTERNAL_H

#include "sources.h"
#include "util.h"

struct file_cache;
struct nl_sock;

/* sources.c: the parser of a source called name (an index in its table,
 * or -1), with *arg its argument ("eth0" of "ethtool -S eth0"). walk is
 * the table walk that find replaced, from parser from on (tests). */
int source_parser_find(const char *name, const char **arg);
int source_parser_walk(const char *name, size_t from, const char **arg);
/* The name of parser i of that table, NULL past its end (tests). */
const char *source_parser_name(size_t i);

/* proc_snmp.c: /proc/net/snmp (Ip, Udp rows) and /proc/net/snmp6. */
int snmp_parse(struct snapshot *s, const char *text);
int snmp6_parse(struct snapshot *s, const char *text);
int netstat_parse(struct snapshot *s, const char *text);

/* proc_softnet.c: /proc/net/softnet_stat. */
int softnet_parse(struct snapshot *s, const char *text);

/* proc_softirqs.c: /proc/softirqs, the NET_RX row. */
int softirqs_parse(struct snapshot *s, const char *text);

/* proc_stat.c: /proc/stat, per-CPU softirq and total time. */
int procstat_parse(struct snapshot *s, const char *text);

/* proc_interrupts.c: /proc/interrupts (NIC queue vectors only) and the
 * `irq-affinity` source (lines "IRQ CPULIST"). */
int interrupts_parse(struct snapshot *s, const char *text);
int irq_affinity_parse(struct snapshot *s, const char *text);
/* The RX queue that an IRQ action name serves on device d, or -1. */
int irq_queue_for_device(const char *irq_name, const struct device *d);
/* Gives each RX queue of every device the first IRQ serving it (the same
 * as irq_queue_for_device() over all pairs, each name parsed once). */
void irq_assign_queues(struct snapshot *s);
/* Live: lines "IRQ CPULIST" for every IRQ already in s->irqs. The live
 * collectors read files through fc (filecache.h; NULL reads plainly). */
int irq_affinity_collect(struct file_cache *fc, const char *root,
			 const struct snapshot *s, struct strbuf *out);

/* proc_udp.c: /proc/net/udp and /proc/net/udp6 (family AF_INET/AF_INET6). */
int udp_parse(struct snapshot *s, const char *text, int family);

/* sockets.c: the `sockets` source (sock_diag's UDP sockets, one line of
 * KEY=VALUE per socket). Once read, /proc/net/udp{,6} are not parsed. */
int sockets_parse(struct snapshot *s, const char *text);
void sockets_print(struct strbuf *out, const struct udp_socket *u);

/* sockdiag.c: live sock_diag dump of every UDP socket (IPv4 and IPv6) with
 * its owner from ROOT/proc/PID/fd, added to r as `sockets`, through the
 * NETLINK_SOCK_DIAG socket s kept by the caller (NULL: one is opened for
 * the call). Returns 0, or a negative errno after adding a note (the
 * caller then falls back to /proc/net/udp). Unreadable /proc/PID/fd
 * directories are one note. */
int sockdiag_collect(struct nl_sock *s, const char *root,
		     struct raw_snapshot *r);
/* Every UDP socket (both families) now, with its owner's pid and command
 * when ROOT/proc tells them; *v is malloc'ed. Returns 0 or a negative
 * errno with a message in err. */
int sockdiag_udp_list(const char *root, struct udp_socket **v, size_t *n,
		      char *err, size_t errlen);

/* sysfs.c: `sysfs DEV` (lines "NAME VALUE" of statistics/), `sysfs-dev DEV`
 * (lines "parent NAME", "rx_queues N"), `numa` ("node N CPULIST",
 * "dev DEV N") and `sysctl` ("net.core.rmem_max VALUE" ...). */
int sysfs_stats_parse(struct snapshot *s, const char *dev, const char *text);
int sysfs_dev_parse(struct snapshot *s, const char *dev, const char *text);
int numa_parse(struct snapshot *s, const char *text);
int sysctl_parse(struct snapshot *s, const char *text);
int sysfs_stats_collect(struct file_cache *fc, const char *root,
			const char *dev, struct strbuf *out);
int sysfs_dev_collect(const char *root, const char *dev, struct strbuf *out);
int numa_collect(struct file_cache *fc, const char *root, char *const *devs,
		 size_t ndevs, struct strbuf *out);
int sysctl_collect(struct file_cache *fc, const char *root,
		   struct strbuf *out);
int sysctl_ip_collect(struct file_cache *fc, const char *root,
		      char *const *devs, size_t ndevs, struct strbuf *out);
/* Network devices under ROOT/sys/class/net, loopback excluded; sorted. */
int sysfs_list_devices(const char *root, char ***names, size_t *n);

/* ethtool_text.c: the text of `ethtool -S DEV`, `ethtool -i DEV`,
 * `ethtool -l DEV`, `ethtool -g DEV` and `ethtool -n DEV rx-flow-hash
 * udp4|udp6`. */
int ethtool_stats_parse(struct snapshot *s, const char *dev, const char *text);
int ethtool_info_parse(struct snapshot *s, const char *dev, const char *text);
int ethtool_channels_parse(struct snapshot *s, const char *dev,
			   const char *text);
int ethtool_rings_parse(struct snapshot *s, const char *dev, const char *text);
int ethtool_rxfh_parse(struct snapshot *s, const char *dev, int family,
		       const char *text);
/* Prints RXH_* fields as `ethtool -n DEV rx-flow-hash udp4|udp6` does. */
void ethtool_rxfh_print(struct strbuf *out, int family, uint32_t fields);

/* ethtool_ioctl.c: live SIOCETHTOOL queries, each printed as ethtool
 * prints it and added to r under the source names above. What the device
 * refuses becomes a note of r naming the device, never an abort. */
int ethtool_collect(const char *dev, struct raw_snapshot *r);
/* The same through a cache kept across refreshes (the socket, and each
 * device's statistics names while its driver, bus address and count
 * stay, for at most 10 s), for the parts asked (COLLECT_COUNTERS:
 * ethtool -S; COLLECT_SETTINGS: -i, -l, -g, -n), leaving out what ethtool
 * netlink already gave. */
struct ethtool_cache;
struct ethtool_cache *ethtool_cache_new(void);
void ethtool_cache_free(struct ethtool_cache *ec);
#define ETHTOOL_SKIP_CHANNELS 0x1
#define ETHTOOL_SKIP_RINGS 0x2
int ethtool_collect_cached(struct ethtool_cache *ec, const char *dev,
			   unsigned int parts, unsigned int skip,
			   struct raw_snapshot *r);
/* Changes each time dev's statistics names are read anew (a new
 * layout: channels or driver changed), 0 before the first read. */
unsigned int ethtool_cache_layout(const struct ethtool_cache *ec,
				  const char *dev);
/* Drops what is kept of dev (it was replaced by another device). */
void ethtool_cache_forget(struct ethtool_cache *ec, const char *dev);

/* netdev_nl.c: `qstats DEV` and `napi DEV`, the text droptop writes for
 * the netdev generic netlink family (formats in netdev_nl.c and
 * droptop(8)). netdev_merge() applies the merge rule once all sources of
 * a snapshot are in: qstats figures replace the ethtool -S per-queue
 * ones, and NAPI -> IRQ replaces the IRQ guessed from names. */
int qstats_parse(struct snapshot *s, const char *dev, const char *text);
int napi_parse(struct snapshot *s, const char *dev, const char *text);
void netdev_merge(struct snapshot *s, struct device *d);

/* ethtool_nl.c: `ethtool-nl DEV`, ethtool netlink channels, rings,
 * standard statistics and RSS as "GROUP KEY VALUE..." lines. */
int ethtool_nl_parse(struct snapshot *s, const char *dev, const char *text);

/* rtnl.c: `link DEV`, IFLA_STATS64 as "NAME VALUE" lines named like the
 * files of /sys/class/net/DEV/statistics. */
int link_parse(struct snapshot *s, const char *dev, const char *text);

/* sysfs.c: the "NAME VALUE" statistics lines of `sysfs DEV` (and of
 * `link DEV`), with notes naming src. */
int stats_kv_parse(struct snapshot *s, const char *dev, const char *src,
		   const char *text);

/* proc_hostinfo.c: /proc/sys/kernel/hostname and /proc/sys/kernel/osrelease. */
int hostname_parse(struct snapshot *s, const char *text);
int osrelease_parse(struct snapshot *s, const char *text);
/* "netns": the --netns name the snapshot was taken in, one line. */
int netns_parse(struct snapshot *s, const char *text);

/* receiver_source.c: the `receiver` source (the built-in receiver's
 * counters; format in that file and in droptop(8)). */
int receiver_parse(struct snapshot *s, const char *text);

/* proc_conntrack.c: /proc/net/stat/nf_conntrack (columns by name, summed over
 * the per-CPU rows), nf_conntrack_count and nf_conntrack_max. */
#define CT_STAT_SRC "/proc/net/stat/nf_conntrack"
#define CT_COUNT_SRC "/proc/sys/net/netfilter/nf_conntrack_count"
#define CT_MAX_SRC "/proc/sys/net/netfilter/nf_conntrack_max"
int conntrack_stat_parse(struct snapshot *s, const char *text);
int conntrack_count_parse(struct snapshot *s, const char *text);
int conntrack_max_parse(struct snapshot *s, const char *text);
const char *conntrack_stat_name(enum ct_stat_id id);

/* nftables.c: the `nftables` source (base chains on prerouting/input and
 * their rules; live half in nl_sources.h). proc_iptables.c: the legacy tables
 * of /proc/net/ip_tables_names or ip6_tables_names (src). */
int nftables_parse(struct snapshot *s, const char *text);
int iptables_names_parse(struct snapshot *s, const char *src,
			 const char *text);

#endif
