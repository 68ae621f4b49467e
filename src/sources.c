/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dispatch from a raw snapshot's source names to the parsers, in an order
 * where each parser finds what it depends on (IRQ affinity after the IRQ
 * list). Unknown names are skipped so newer recordings still replay. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "dropreason.h"
#include "sources_internal.h"
#include "util.h"

enum arg_kind {
	ARG_NONE,  /* the whole name, e.g. "/proc/net/snmp" */
	ARG_DEV,   /* "PREFIX DEV" */
	ARG_RXFH,  /* "ethtool -n DEV rx-flow-hash udp4|udp6" */
};

struct source_parser {
	const char *name;
	enum arg_kind arg;
	int (*parse)(struct snapshot *s, const char *arg, const char *text);
};

static int parse_snmp(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return snmp_parse(s, t);
}

static int parse_snmp6(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return snmp6_parse(s, t);
}

static int parse_netstat(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return netstat_parse(s, t);
}

static int parse_softnet(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return softnet_parse(s, t);
}

static int parse_softirqs(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return softirqs_parse(s, t);
}

static int parse_stat(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return procstat_parse(s, t);
}

static int parse_interrupts(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return interrupts_parse(s, t);
}

static int parse_affinity(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return irq_affinity_parse(s, t);
}

static int parse_sockets(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return sockets_parse(s, t);
}

/* sock_diag, when recorded, already gave every UDP socket. */
static int parse_udp4(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return s->have_sockdiag ? 0 : udp_parse(s, t, AF_INET);
}

static int parse_udp6(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return s->have_sockdiag ? 0 : udp_parse(s, t, AF_INET6);
}

static int parse_numa(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return numa_parse(s, t);
}

static int parse_sysctl(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return sysctl_parse(s, t);
}

static int parse_hostname(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return hostname_parse(s, t);
}

static int parse_osrelease(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return osrelease_parse(s, t);
}

static int parse_rxfh(struct snapshot *s, const char *arg, const char *t)
{
	char dev[IF_NAMESIZE];
	const char *sp = strchr(arg, ' ');
	int family;

	if (!sp)
		return -EINVAL;
	if ((size_t)(sp - arg) >= sizeof(dev)) {
		snapshot_over_limit(s, LIMIT_DEVICE_NAME, arg);
		return -EINVAL;
	}
	if (strcmp(sp, " rx-flow-hash udp4") == 0)
		family = AF_INET;
	else if (strcmp(sp, " rx-flow-hash udp6") == 0)
		family = AF_INET6;
	else
		return 0; /* another flow type: not used */
	copy_token(dev, sizeof(dev), arg, (size_t)(sp - arg));
	if (!snapshot_device_allowed(s, dev))
		return -EINVAL;
	return ethtool_rxfh_parse(s, dev, family, t);
}

static int parse_netns(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return netns_parse(s, t);
}

static int parse_receiver(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return receiver_parse(s, t);
}

static int parse_ct_stat(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return conntrack_stat_parse(s, t);
}

static int parse_ct_count(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return conntrack_count_parse(s, t);
}

static int parse_ct_max(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return conntrack_max_parse(s, t);
}

static int parse_nftables(struct snapshot *s, const char *arg, const char *t)
{
	(void)arg;
	return nftables_parse(s, t);
}

static int parse_iptables(struct snapshot *s, const char *arg, const char *t)
{
	return iptables_names_parse(s, arg, t);
}

static int parse_drop_reasons(struct snapshot *s, const char *arg,
			      const char *t)
{
	(void)arg;
	return drop_reasons_parse(s, t);
}

static const struct source_parser parsers[] = {
	{ "sysfs-dev", ARG_DEV, sysfs_dev_parse },
	{ "sysfs", ARG_DEV, sysfs_stats_parse },
	{ "link", ARG_DEV, link_parse },
	{ "ethtool -i", ARG_DEV, ethtool_info_parse },
	{ "ethtool -l", ARG_DEV, ethtool_channels_parse },
	{ "ethtool -g", ARG_DEV, ethtool_rings_parse },
	{ "ethtool -S", ARG_DEV, ethtool_stats_parse },
	{ "ethtool -n", ARG_RXFH, parse_rxfh },
	{ "ethtool-nl", ARG_DEV, ethtool_nl_parse },
	{ "qstats", ARG_DEV, qstats_parse },
	{ "numa", ARG_NONE, parse_numa },
	{ "sysctl", ARG_NONE, parse_sysctl },
	{ "/proc/net/snmp", ARG_NONE, parse_snmp },
	{ "/proc/net/snmp6", ARG_NONE, parse_snmp6 },
	{ "/proc/net/netstat", ARG_NONE, parse_netstat },
	{ "/proc/net/softnet_stat", ARG_NONE, parse_softnet },
	{ "/proc/softirqs", ARG_NONE, parse_softirqs },
	{ "/proc/stat", ARG_NONE, parse_stat },
	{ "/proc/interrupts", ARG_NONE, parse_interrupts },
	{ "napi", ARG_DEV, napi_parse },
	{ "irq-affinity", ARG_NONE, parse_affinity },
	{ "sockets", ARG_NONE, parse_sockets },
	{ "/proc/net/udp", ARG_NONE, parse_udp4 },
	{ "/proc/net/udp6", ARG_NONE, parse_udp6 },
	{ "/proc/sys/kernel/hostname", ARG_NONE, parse_hostname },
	{ "/proc/sys/kernel/osrelease", ARG_NONE, parse_osrelease },
	{ "receiver", ARG_NONE, parse_receiver },
	{ "netns", ARG_NONE, parse_netns },
	{ CT_STAT_SRC, ARG_NONE, parse_ct_stat },
	{ CT_COUNT_SRC, ARG_NONE, parse_ct_count },
	{ CT_MAX_SRC, ARG_NONE, parse_ct_max },
	{ "nftables", ARG_NONE, parse_nftables },
	{ "/proc/net/ip_tables_names", ARG_NONE, parse_iptables },
	{ "/proc/net/ip6_tables_names", ARG_NONE, parse_iptables },
	{ "drop-reasons", ARG_NONE, parse_drop_reasons },
};

/* Ties each RX queue to the IRQ whose action name serves it, then lets
 * the netdev family's figures (qstats, NAPI → IRQ) replace the guesses.
 * Both are a source's knowledge, so they are done here, not in the plain
 * snapshot. */
static void derive_queue_sources(struct snapshot *s)
{
	irq_assign_queues(s);
	for (size_t d = 0; d < s->ndevs; d++)
		netdev_merge(s, &s->devs[d]);
}

/* The argument after "PREFIX " if name has that form, else NULL. */
static const char *match_source(const struct source_parser *p, const char *name)
{
	size_t n = strlen(p->name);

	if (p->arg == ARG_NONE)
		return strcmp(name, p->name) == 0 ? name : NULL;
	if (strncmp(name, p->name, n) != 0 || name[n] != ' ' || !name[n + 1])
		return NULL;
	return name + n + 1;
}

/* A source about one device is parsed only within the recording limits
 * (SNAP_MAX_DEVICES, names shorter than IF_NAMESIZE). */
static void parse_source(struct snapshot *s, const struct source_parser *p,
			 const char *arg, const char *text)
{
	if (p->arg == ARG_DEV && !snapshot_device_allowed(s, arg))
		return;
	p->parse(s, arg, text);
}

void snapshot_from_raw(const struct raw_snapshot *r, struct snapshot *s)
{
	s->realtime = (double)r->realtime_ns / 1e9;
	s->monotonic = (double)r->monotonic_ns / 1e9;
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++) {
		for (size_t j = 0; j < r->nsrcs; j++) {
			const char *arg = match_source(&parsers[i], r->srcs[j].name);

			if (arg)
				parse_source(s, &parsers[i], arg,
					     r->srcs[j].text);
		}
	}
	for (size_t i = 0; i < r->nnotes; i++)
		snapshot_note(s, "%s", r->notes[i]);
	snapshot_finish(s);
	derive_queue_sources(s);
}
