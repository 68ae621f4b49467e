#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "collect.h"
#include "filecache.h"
#include "nl.h"
#include "nl_sources.h"
#include "receiver.h"
#include "sources.h"
#include "util.h"

/* The /proc files read as they are; their raw text is the source. */
static const char *const proc_files[] = {
	"/proc/net/snmp",
	"/proc/net/snmp6",
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

/* What a collector keeps from one refresh to the next: descriptors of
 * the files it reads, its netlink and ioctl sockets, the ethtool names.
 * Only handles and layouts are kept, never a figure: every counter is
 * read anew on every refresh. */
struct collector {
	const struct collect_config *cfg;
	struct file_cache *files;
	struct nl_collect nl;
	bool nl_open;
	struct nl_sock diag;       /* NETLINK_SOCK_DIAG */
	bool diag_open;
	struct ethtool_cache *eth;
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

/* Netlink first; sysfs statistics and the ethtool ioctl fill in what it
 * did not give. */
static void collect_device(struct collector *k, const char *dev,
			   struct raw_snapshot *r)
{
	const struct collect_config *c = k->cfg;
	unsigned int got = k->nl_open ? nl_collect_device(&k->nl, dev, r) : 0;
	char name[64];
	struct strbuf sb;
	int rc;

	sb_init(&sb);
	if (!(got & NLC_GOT_LINK)) {
		snprintf(name, sizeof(name), "sysfs %s", dev);
		rc = sysfs_stats_collect(k->files, c->root, dev, &sb);
		add_collected(r, name, rc, &sb);
	}
	snprintf(name, sizeof(name), "sysfs-dev %s", dev);
	rc = sysfs_dev_collect(c->root, dev, &sb);
	add_collected(r, name, rc, &sb);
	if (c->use_ethtool)
		ethtool_collect_cached(k->eth, dev, got & ETHNL_GOT_CHANNELS ?
				       ETHTOOL_SKIP_CHANNELS : 0, r);
}

struct collector *collector_new(const struct collect_config *c)
{
	struct collector *k = xcalloc(1, sizeof(*k));
	char err[256];

	k->cfg = c;
	k->files = file_cache_new(files_to_keep());
	k->eth = ethtool_cache_new();
	if (c->use_netlink) {
		nl_collect_open(&k->nl);
		k->nl_open = true;
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
	file_cache_free(k->files);
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
	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		collect_file(k, proc_files[i], proc_file_flags(proc_files[i]),
			     r);
	collect_sockets(k, r);
	if (k->nl_open)
		nl_collect_notes(&k->nl, r);
	for (size_t i = 0; i < c->ndevs; i++)
		collect_device(k, c->devs[i], r);
	collect_irq_affinity(k, r);
	sb_init(&sb);
	rc = numa_collect(k->files, c->root, c->devs, c->ndevs, &sb);
	add_collected(r, "numa", rc, &sb);
	rc = sysctl_collect(k->files, c->root, &sb);
	add_collected(r, "sysctl", rc, &sb);
}

void collect_live(const struct collect_config *c, struct raw_snapshot *r)
{
	struct collector *k = collector_new(c);

	collector_run(k, r);
	collector_free(k);
}
