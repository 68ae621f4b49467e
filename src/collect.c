/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "filecache.h"
#include "nl.h"
#include "nl_sources.h"
#include "dropreason.h"
#include "receiver.h"
#include "sources_internal.h"
#include "util.h"

static unsigned proc_file_flags(const char *name);

/* The /proc files read as they are; their raw text is the source. */
static const char *const proc_files[] = {
	"/proc/net/snmp",
	"/proc/net/snmp6",
	"/proc/net/netstat",
	"/proc/net/softnet_stat",
	"/proc/softirqs",
	"/proc/stat",
	"/proc/interrupts",
	"/proc/sys/kernel/hostname",
	"/proc/sys/kernel/osrelease",
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A device's settings (driver, channels, rings, RSS, flow hash, queue
 * and NAPI layout, parent, NUMA) are read at most this often; counters
 * at every refresh. */
#define SETTINGS_PERIOD_NS (5 * 1000000000LL)

/* The last settings read of one device: its sources and notes. */
struct kept_settings {
	struct raw_snapshot raw;
	bool have;
	int64_t read_ns;
	unsigned int ifindex;      /* 0: unknown (no netlink) */
	unsigned int layout;       /* ethtool_cache_layout() then */
};

/* What a collector keeps from one refresh to the next: descriptors of
 * the files it reads, its netlink and ioctl sockets, the ethtool names,
 * and the settings of each device (see SETTINGS_PERIOD_NS). Never a
 * counter: every counter is read anew on every refresh. */
struct collector {
	const struct collect_config *cfg;
	struct file_cache *files;
	struct nl_collect nl;
	bool nl_open;
	struct nl_sock diag;       /* NETLINK_SOCK_DIAG */
	bool diag_open;
	struct ethtool_cache *eth;
	char **names;               /* the devices watched now */
	size_t nnames;
	struct kept_settings *devs; /* one per names[i] */
	struct kept_settings numa;
	struct nft_cache *nft;     /* NULL: netlink not used */
};

/* Files kept open: a quarter of the descriptors allowed, at most 512
 * (the receiver's sockets and the caller's files need the rest). */
static size_t files_to_keep(void)
{
	struct rlimit rl;
	rlim_t n = 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = rl.rlim_cur / 4;
	return n > 512 ? 512 : (size_t)n;
}

static void collect_file(struct collector *k, const char *name,
			 unsigned flags, struct raw_snapshot *r)
{
	char path[4096], *text;
	size_t len;
	int rc;

	path_join(path, sizeof(path), k->cfg->root, name);
	rc = file_cache_read(k->files, path, flags, &text, &len);
	if (rc < 0) {
		raw_note(r, "%s: %s", path, strerror(-rc));
		return;
	}
	raw_add(r, name, text, len);
}

/* Adds the text a collector built, or a note naming what failed. */
static void add_collected(struct raw_snapshot *r, const char *name, int rc,
			  struct strbuf *sb)
{
	size_t len = sb->len;

	if (rc < 0)
		raw_note(r, "%s: %s", name, strerror(-rc));
	else
		raw_add(r, name, sb_steal(sb), len);
	sb_free(sb);
}

/* IRQ affinity is read only for the NIC queue vectors found in the
 * /proc/interrupts text just collected, and for the IRQs that netdev
 * napi-get named. */
static void collect_irq_affinity(struct collector *k, struct raw_snapshot *r)
{
	const struct raw_source *src = raw_find(r, "/proc/interrupts");
	struct snapshot tmp;
	struct strbuf sb;
	int rc;

	if (!src)
		return;
	snapshot_init(&tmp);
	interrupts_parse(&tmp, src->text);
	for (size_t i = 0; i < r->nsrcs; i++)
		if (strncmp(r->srcs[i].name, "napi ", 5) == 0)
			napi_parse(&tmp, r->srcs[i].name + 5, r->srcs[i].text);
	sb_init(&sb);
	rc = irq_affinity_collect(k->files, k->cfg->root, &tmp, &sb);
	add_collected(r, "irq-affinity", rc, &sb);
	snapshot_free(&tmp);
}

/* sock_diag first, as ss does; /proc/net/udp{,6} when it is refused. */
static void collect_sockets(struct collector *k, struct raw_snapshot *r)
{
	const struct collect_config *c = k->cfg;

	if (c->use_sockdiag && nl_disabled("sockdiag"))
		raw_note(r, "sock_diag: disabled by DROPTOP_NO_NETLINK, "
			 "reading /proc/net/udp and /proc/net/udp6");
	else if (c->use_sockdiag &&
		 sockdiag_collect(k->diag_open ? &k->diag : NULL, c->root,
				  r) == 0)
		return;
	collect_file(k, "/proc/net/udp", 0, r);
	collect_file(k, "/proc/net/udp6", 0, r);
}

/* A file that exists only with a module loaded (nf_conntrack, ip_tables):
 * absent, it is left out without a note; the diagnosis says what its
 * absence means. */
static void collect_optional_file(struct collector *k, const char *name,
				  unsigned flags, struct raw_snapshot *r)
{
	char path[4096], *text;
	size_t len;
	int rc;

	path_join(path, sizeof(path), k->cfg->root, name);
	rc = file_cache_read(k->files, path, flags, &text, &len);
	if (rc == -ENOENT)
		return;
	if (rc < 0) {
		raw_note(r, "%s: %s", path, strerror(-rc));
		return;
	}
	raw_add(r, name, text, len);
}

/* Asking a kernel whose nf_tables is a module not loaded would load it:
 * then there is no chain (an empty source says so). Without module
 * support (no /proc/modules) it is built in, if there at all. */
static bool nf_tables_loaded(const char *root)
{
	char path[4096], *text;
	size_t len;
	bool yes;

	path_join(path, sizeof(path), root, "/sys/module/nf_tables");
	if (access(path, F_OK) == 0)
		return true;
	path_join(path, sizeof(path), root, "/proc/modules");
	if (read_text_file(path, &text, &len) < 0)
		return access(path, F_OK) != 0;
	yes = strncmp(text, "nf_tables ", 10) == 0 ||
	      strstr(text, "\nnf_tables ") != NULL;
	free(text);
	return yes;
}

/* The receive path's netfilter hooks: conntrack (its statistics are read
 * next to /proc/net/snmp), nf_tables base chains
 * (netlink only: a tree given by --root has no ruleset to ask) and the
 * legacy iptables tables. */
static void collect_netfilter(struct collector *k, struct raw_snapshot *r)
{
	static const char *const files[] = {
		CT_COUNT_SRC, CT_MAX_SRC,
		"/proc/net/ip_tables_names", "/proc/net/ip6_tables_names",
	};
	struct strbuf sb;
	char err[256] = "";
	size_t len;
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		collect_optional_file(k, files[i], proc_file_flags(files[i]),
				      r);
	if (!k->nft)
		return;
	sb_init(&sb);
	rc = nf_tables_loaded(k->cfg->root)
		     ? nft_collect(k->nft, &sb, err, sizeof(err))
		     : 0;
	if (rc < 0)
		raw_note(r, "nftables: %s%s%s%s", strerror(-rc),
			 *err ? " (" : "", err, *err ? ")" : "");
	len = sb.len;
	if (rc == 0)
		raw_add(r, "nftables", sb_steal(&sb), len);
	sb_free(&sb);
}

static void forget_settings(struct kept_settings *ks)
{
	raw_free(&ks->raw);
	raw_init(&ks->raw);
	ks->have = false;
}

/* Adds a copy of what ks holds to r. Settings and counters may share a
 * source (`ethtool-nl DEV`): the settings' lines then follow. */
static void add_settings(const struct kept_settings *ks,
			 struct raw_snapshot *r)
{
	for (size_t i = 0; i < ks->raw.nsrcs; i++)
		raw_append_copy(r, ks->raw.srcs[i].name, ks->raw.srcs[i].text,
				ks->raw.srcs[i].len);
	for (size_t i = 0; i < ks->raw.nnotes; i++)
		raw_note(r, "%s", ks->raw.notes[i]);
}

static bool same_sources(const struct raw_snapshot *a,
			 const struct raw_snapshot *b)
{
	if (a->nsrcs != b->nsrcs)
		return false;
	for (size_t i = 0; i < a->nsrcs; i++)
		if (strcmp(a->srcs[i].name, b->srcs[i].name) != 0 ||
		    a->srcs[i].len != b->srcs[i].len ||
		    memcmp(a->srcs[i].text, b->srcs[i].text, a->srcs[i].len))
			return false;
	return true;
}

/* What the counters pass tells about the device. */
struct device_seen {
	bool present;          /* its statistics could be read */
	unsigned int got;      /* NLC_GOT_LINK */
	unsigned int ifindex;
};

/* Netlink first; the sysfs statistics fill in when it gave none. */
static struct device_seen collect_counters(struct collector *k,
					   const char *dev,
					   struct raw_snapshot *r)
{
	struct device_seen seen = { false, 0, 0 };
	char name[64];
	struct strbuf sb;
	int rc;

	if (k->nl_open)
		seen.got = nl_collect_device(&k->nl, dev, COLLECT_COUNTERS,
					     &seen.ifindex, r);
	seen.present = seen.got & NLC_GOT_LINK;
	if (!seen.present) {
		sb_init(&sb);
		snprintf(name, sizeof(name), "sysfs %s", dev);
		rc = sysfs_stats_collect(k->files, k->cfg->root, dev, &sb);
		seen.present = rc == 0;
		add_collected(r, name, rc, &sb);
	}
	return seen;
}

/* The ethtool ioctl's share of either pass; channels and rings only
 * where ethtool netlink did not give them. */
static void collect_ethtool(struct collector *k, const char *dev,
			    unsigned int parts, unsigned int got,
			    struct raw_snapshot *r)
{
	unsigned int skip = 0;

	if (got & ETHNL_GOT_CHANNELS)
		skip |= ETHTOOL_SKIP_CHANNELS;
	if (got & ETHNL_GOT_RINGS)
		skip |= ETHTOOL_SKIP_RINGS;
	if (k->cfg->use_ethtool)
		ethtool_collect_cached(k->eth, dev, parts, skip, r);
}

static void collect_settings(struct collector *k, const char *dev,
			     unsigned int ifindex, struct raw_snapshot *r)
{
	unsigned int got = 0;
	char name[64];
	struct strbuf sb;
	int rc;

	if (k->nl_open)
		got = nl_collect_device(&k->nl, dev, COLLECT_SETTINGS,
					&ifindex, r);
	sb_init(&sb);
	snprintf(name, sizeof(name), "sysfs-dev %s", dev);
	rc = sysfs_dev_collect(k->cfg->root, dev, &sb);
	add_collected(r, name, rc, &sb);
	collect_ethtool(k, dev, COLLECT_SETTINGS, got, r);
}

/* Settings are read again when old, and at once when the device is
 * another one (new ifindex) or its statistics changed layout (channels
 * or driver changed). */
static bool settings_due(const struct collector *k,
			 const struct kept_settings *ks, const char *dev,
			 const struct device_seen *seen, int64_t now)
{
	return !ks->have || now - ks->read_ns >= SETTINGS_PERIOD_NS ||
	       seen->ifindex != ks->ifindex ||
	       ethtool_cache_layout(k->eth, dev) != ks->layout;
}

static void collect_device(struct collector *k, size_t i, int64_t now,
			   struct raw_snapshot *r)
{
	const char *dev = k->names[i];
	struct kept_settings *ks = &k->devs[i];
	struct device_seen seen = collect_counters(k, dev, r);

	if (ks->have && seen.ifindex != ks->ifindex)
		ethtool_cache_forget(k->eth, dev);
	collect_ethtool(k, dev, COLLECT_COUNTERS, 0, r);
	if (!seen.present) {
		/* Gone, or a tree without statistics: nothing is kept, the
		 * settings are read as they are now (and say why not). */
		forget_settings(ks);
		collect_settings(k, dev, seen.ifindex, r);
		return;
	}
	if (settings_due(k, ks, dev, &seen, now)) {
		struct raw_snapshot old = ks->raw;

		raw_init(&ks->raw);
		collect_settings(k, dev, seen.ifindex, &ks->raw);
		/* New channels can rename statistics without changing their
		 * count: the names are read again at the next refresh. */
		if (ks->have && !same_sources(&old, &ks->raw))
			ethtool_cache_forget(k->eth, dev);
		raw_free(&old);
		ks->have = true;
		ks->read_ns = now;
		ks->ifindex = seen.ifindex;
		ks->layout = ethtool_cache_layout(k->eth, dev);
	}
	add_settings(ks, r);
}

/* Lets go what was kept for a device no longer listed: its settings, its
 * ethtool names and its files' descriptors. */
static void drop_device(struct collector *k, size_t i)
{
	static const char *const trees[] = { "/sys/class/net/",
					     "/proc/sys/net/ipv4/conf/",
					     "/proc/sys/net/ipv6/conf/" };
	char prefix[PATH_MAX];

	for (size_t t = 0; t < ARRAY_SIZE(trees); t++) {
		snprintf(prefix, sizeof(prefix), "%s%s%s/", k->cfg->root,
			 trees[t], k->names[i]);
		file_cache_forget(k->files, prefix);
	}
	ethtool_cache_forget(k->eth, k->names[i]);
	raw_free(&k->devs[i].raw);
	free(k->names[i]);
}

static ssize_t find_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return (ssize_t)i;
	return -1;
}

/* Without -i: the devices of /sys/class/net now, keeping what was kept
 * for those already watched. A listing that fails keeps the last one. */
static void follow_devices(struct collector *k)
{
	struct kept_settings *devs;
	char **names;
	size_t n;

	if (sysfs_list_devices(k->cfg->root, &names, &n) < 0)
		return;
	devs = xcalloc(n + 1, sizeof(*devs));
	for (size_t i = 0; i < n; i++) {
		ssize_t j = find_name(k->names, k->nnames, names[i]);

		if (j < 0) {
			raw_init(&devs[i].raw);
			continue;
		}
		devs[i] = k->devs[j];
		free(k->names[j]);
		k->names[j] = NULL;
	}
	for (size_t j = 0; j < k->nnames; j++)
		if (k->names[j])
			drop_device(k, j);
	free(k->names);
	free(k->devs);
	k->names = names;
	k->nnames = n;
	k->devs = devs;
}

/* The NUMA layout: nodes and the devices' nodes change with hardware. */
static void collect_numa(struct collector *k, int64_t now,
			 struct raw_snapshot *r)
{
	const struct collect_config *c = k->cfg;
	struct kept_settings *ks = &k->numa;
	struct strbuf sb;
	int rc;

	if (!ks->have || now - ks->read_ns >= SETTINGS_PERIOD_NS) {
		forget_settings(ks);
		sb_init(&sb);
		rc = numa_collect(k->files, c->root, k->names, k->nnames,
				  &sb);
		add_collected(&ks->raw, "numa", rc, &sb);
		ks->have = true;
		ks->read_ns = now;
	}
	add_settings(ks, r);
}

/* What collect_prepare() opened, for the next collector. */
static struct nft_cache *prepared_nft;

void collect_prepare(const char *root)
{
	char err[256] = "";

	if (prepared_nft || nl_disabled("nftables") || !nf_tables_loaded(root))
		return;
	prepared_nft = nft_cache_new();
	/* Refused (no CAP_NET_ADMIN): the collector asks again and notes
	 * why it cannot. */
	if (nft_cache_prepare(prepared_nft, err, sizeof(err)) < 0) {
		nft_cache_free(prepared_nft);
		prepared_nft = NULL;
	}
}

struct collector *collector_new(const struct collect_config *c)
{
	struct collector *k = xcalloc(1, sizeof(*k));
	char err[256];

	k->cfg = c;
	k->files = file_cache_new(files_to_keep());
	k->eth = ethtool_cache_new();
	k->nnames = c->ndevs;
	k->names = xcalloc(c->ndevs + 1, sizeof(*k->names));
	k->devs = xcalloc(c->ndevs + 1, sizeof(*k->devs));
	for (size_t i = 0; i < c->ndevs; i++) {
		k->names[i] = xstrdup(c->devs[i]);
		raw_init(&k->devs[i].raw);
	}
	raw_init(&k->numa.raw);
	if (c->use_netlink) {
		nl_collect_open(&k->nl);
		k->nl_open = true;
		k->nft = prepared_nft;
		prepared_nft = NULL;
		if (!k->nft && !nl_disabled("nftables"))
			k->nft = nft_cache_new();
	}
	/* Refused here, sockdiag_collect tries again and says why. */
	if (c->use_sockdiag && !nl_disabled("sockdiag") &&
	    nl_open(&k->diag, NETLINK_SOCK_DIAG, err, sizeof(err)) == 0)
		k->diag_open = true;
	return k;
}

void collector_free(struct collector *k)
{
	if (!k)
		return;
	if (k->nl_open)
		nl_collect_close(&k->nl);
	if (k->diag_open)
		nl_close(&k->diag);
	ethtool_cache_free(k->eth);
	nft_cache_free(k->nft);
	file_cache_free(k->files);
	for (size_t i = 0; i < k->nnames; i++) {
		raw_free(&k->devs[i].raw);
		free(k->names[i]);
	}
	free(k->names);
	free(k->devs);
	raw_free(&k->numa.raw);
	free(k);
}

/* hostname and osrelease are sysctls: one read gives them whole. */
static unsigned proc_file_flags(const char *name)
{
	return strncmp(name, "/proc/sys/", 10) == 0 ? FC_ONE_VALUE : 0;
}

void collector_run(struct collector *k, struct raw_snapshot *r)
{
	const struct collect_config *c = k->cfg;
	struct strbuf sb;
	int rc;

	r->realtime_ns = clock_ns(CLOCK_REALTIME);
	r->monotonic_ns = clock_ns(CLOCK_MONOTONIC);
	/* Read next to /proc/net/snmp, the first file: Udp InDatagrams and
	 * the receiver's packets then describe the same instant. */
	if (c->receiver) {
		sb_init(&sb);
		receiver_format(c->receiver, &sb);
		add_collected(r, "receiver", 0, &sb);
	}
	if (c->netns) {
		sb_init(&sb);
		sb_printf(&sb, "%s\n", c->netns);
		add_collected(r, "netns", 0, &sb);
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++) {
		collect_file(k, proc_files[i], proc_file_flags(proc_files[i]),
			     r);
		/* Conntrack's drops are part of the ip remainder: read them
		 * at the instant of the Ip counters. */
		if (i == 0)
			collect_optional_file(k, CT_STAT_SRC, 0, r);
	}
	drop_reasons_collect(c->reasons, r);
	collect_sockets(k, r);
	collect_netfilter(k, r);
	if (k->nl_open) {
		nl_collect_ready(&k->nl, r);
		nl_collect_notes(&k->nl, r);
	}
	if (c->follow_devices)
		follow_devices(k);
	for (size_t i = 0; i < k->nnames; i++)
		collect_device(k, i, r->monotonic_ns, r);
	collect_irq_affinity(k, r);
	collect_numa(k, r->monotonic_ns, r);
	sb_init(&sb);
	rc = sysctl_collect(k->files, c->root, &sb);
	if (sysctl_ip_collect(k->files, c->root, k->names, k->nnames,
			      &sb) == 0)
		rc = 0;
	add_collected(r, "sysctl", rc, &sb);
}

void collect_live(const struct collect_config *c, struct raw_snapshot *r)
{
	struct collector *k = collector_new(c);

	collector_run(k, r);
	collector_free(k);
}
