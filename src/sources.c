/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dispatch from a raw snapshot's source names to the parsers, in an order
 * where each parser finds what it depends on (IRQ affinity after the IRQ
 * list). Unknown names are skipped so newer recordings still replay. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dropreason.h"
#include "nameidx.h"
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

/* The parsers by name: whole names (ARG_NONE) in one index, the prefixes
 * of "PREFIX ARG" names in another with their few lengths. Each source's
 * name is looked up once, instead of compared with every parser's. */
static struct nameidx whole_ix, prefix_ix;
static size_t prefix_lens[8], nprefix_lens;

static void add_prefix_len(size_t n)
{
	for (size_t i = 0; i < nprefix_lens; i++)
		if (prefix_lens[i] == n)
			return;
	if (nprefix_lens == ARRAY_SIZE(prefix_lens))
		abort(); /* the table above has grown: raise the bound */
	prefix_lens[nprefix_lens++] = n;
}

/* Built once before main(), so no reader (in any thread) sees it half
 * built. */
__attribute__((constructor)) static void index_parsers(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++) {
		if (parsers[i].arg == ARG_NONE) {
			nameidx_add(&whole_ix, parsers[i].name, (int)i);
		} else {
			nameidx_add(&prefix_ix, parsers[i].name, (int)i);
			add_prefix_len(strlen(parsers[i].name));
		}
	}
}

/* The index in parsers[] of the parser for a source called name, and in
 * *arg its argument: the whole name, or what follows "PREFIX "; -1 when
 * no parser reads it. */
int source_parser_find(const char *name, const char **arg)
{
	size_t len = strlen(name);
	int i = nameidx_find(&whole_ix, name, len);

	if (i >= 0) {
		*arg = name;
		return i;
	}
	for (size_t k = 0; k < nprefix_lens; k++) {
		size_t n = prefix_lens[k];

		if (len > n + 1 && name[n] == ' ' &&
		    (i = nameidx_find(&prefix_ix, name, n)) >= 0) {
			*arg = name + n + 1;
			return i;
		}
	}
	return -1;
}

/* The same answer by comparing name with every parser's from index from
 * on, in table order: what the index replaced, kept for the test that both
 * agree (and that no name has two parsers). */
int source_parser_walk(const char *name, size_t from, const char **arg)
{
	for (size_t i = from; i < ARRAY_SIZE(parsers); i++) {
		const struct source_parser *p = &parsers[i];
		size_t n = strlen(p->name);

		if (p->arg == ARG_NONE) {
			if (strcmp(name, p->name) == 0) {
				*arg = name;
				return (int)i;
			}
		} else if (strncmp(name, p->name, n) == 0 && name[n] == ' ' &&
			   name[n + 1]) {
			*arg = name + n + 1;
			return (int)i;
		}
	}
	return -1;
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

const char *source_parser_name(size_t i)
{
	return i < ARRAY_SIZE(parsers) ? parsers[i].name : NULL;
}

/* The device a source of parser p with argument arg is about: its
 * length, 0 for a source about no device. */
static size_t source_device_len(const struct source_parser *p,
				const char *arg)
{
	const char *sp;

	if (p->arg == ARG_DEV)
		return strlen(arg);
	if (p->arg == ARG_RXFH && (sp = strchr(arg, ' ')))
		return (size_t)(sp - arg);
	return 0;
}

/* How many devices the sources can add, at most: a device's sources come
 * one after another, so each change of device name among them counts one
 * (names too long for a device add none). */
struct device_count {
	const char *last;
	size_t lastlen;
	size_t n;
};

static void count_device(struct device_count *c, const char *dev, size_t len)
{
	if (len == 0 || len >= IF_NAMESIZE)
		return;
	if (len == c->lastlen && memcmp(dev, c->last, len) == 0)
		return;
	c->last = dev;
	c->lastlen = len;
	c->n++;
}

/* A source waiting for its parser: the next one of the same parser. */
struct source_job {
	const char *arg;
	size_t next;
};

#define NO_JOB SIZE_MAX

void snapshot_from_raw(const struct raw_snapshot *r, struct snapshot *s)
{
	/* Each parser's sources in recording order, parsers in table order
	 * (the order their dependencies need): one list per parser. */
	size_t head[ARRAY_SIZE(parsers)], tail[ARRAY_SIZE(parsers)];
	struct source_job *jobs = xmalloc((r->nsrcs ? r->nsrcs : 1) *
					  sizeof(*jobs));
	struct device_count devs = { 0 };

	s->realtime = (double)r->realtime_ns / 1e9;
	s->monotonic = (double)r->monotonic_ns / 1e9;
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++)
		head[i] = tail[i] = NO_JOB;
	for (size_t j = 0; j < r->nsrcs; j++) {
		int i = source_parser_find(r->srcs[j].name, &jobs[j].arg);

		if (i < 0)
			continue;
		count_device(&devs, jobs[j].arg,
			     source_device_len(&parsers[i], jobs[j].arg));
		jobs[j].next = NO_JOB;
		if (head[i] == NO_JOB)
			head[i] = j;
		else
			jobs[tail[i]].next = j;
		tail[i] = j;
	}
	/* At most 16 at first: names alternating in a hostile recording
	 * count many times over. */
	snapshot_reserve_devices(s, devs.n < 16 ? devs.n : 16);
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++)
		for (size_t j = head[i]; j != NO_JOB; j = jobs[j].next)
			parse_source(s, &parsers[i], jobs[j].arg,
				     r->srcs[j].text);
	free(jobs);
	for (size_t i = 0; i < r->nnotes; i++)
		snapshot_note(s, "%s", r->notes[i]);
	snapshot_finish(s);
	derive_queue_sources(s);
}
