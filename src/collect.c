#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collect.h"
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

static void collect_file(const char *root, const char *name,
			 struct raw_snapshot *r)
{
	char path[4096], *text;
	size_t len;
	int rc;

	path_join(path, sizeof(path), root, name);
	rc = read_text_file(path, &text, &len);
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
static void collect_irq_affinity(const char *root, struct raw_snapshot *r)
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
	rc = irq_affinity_collect(root, &tmp, &sb);
	add_collected(r, "irq-affinity", rc, &sb);
	snapshot_free(&tmp);
}

/* sock_diag first, as ss does; /proc/net/udp{,6} when it is refused. */
static void collect_sockets(const struct collect_config *c,
			    struct raw_snapshot *r)
{
	if (c->use_sockdiag && nl_disabled("sockdiag"))
		raw_note(r, "sock_diag: disabled by DROPTOP_NO_NETLINK, "
			 "reading /proc/net/udp and /proc/net/udp6");
	else if (c->use_sockdiag && sockdiag_collect(c->root, r) == 0)
		return;
	collect_file(c->root, "/proc/net/udp", r);
	collect_file(c->root, "/proc/net/udp6", r);
}

/* Netlink first (nl may be NULL); sysfs statistics and the ethtool
 * ioctl fill in what it did not give. */
static void collect_device(const struct collect_config *c,
			   struct nl_collect *nl, const char *dev,
			   struct raw_snapshot *r)
{
	unsigned int got = nl ? nl_collect_device(nl, dev, r) : 0;
	char name[64];
	struct strbuf sb;
	int rc;

	sb_init(&sb);
	if (!(got & NLC_GOT_LINK)) {
		snprintf(name, sizeof(name), "sysfs %s", dev);
		rc = sysfs_stats_collect(c->root, dev, &sb);
		add_collected(r, name, rc, &sb);
	}
	snprintf(name, sizeof(name), "sysfs-dev %s", dev);
	rc = sysfs_dev_collect(c->root, dev, &sb);
	add_collected(r, name, rc, &sb);
	if (c->use_ethtool)
		ethtool_collect_skip(dev, got & ETHNL_GOT_CHANNELS ?
				     ETHTOOL_SKIP_CHANNELS : 0, r);
}

void collect_live(const struct collect_config *c, struct raw_snapshot *r)
{
	struct nl_collect nl;
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
		collect_file(c->root, proc_files[i], r);
	collect_sockets(c, r);
	if (c->use_netlink)
		nl_collect_open(&nl, r);
	for (size_t i = 0; i < c->ndevs; i++)
		collect_device(c, c->use_netlink ? &nl : NULL, c->devs[i], r);
	if (c->use_netlink)
		nl_collect_close(&nl);
	collect_irq_affinity(c->root, r);
	sb_init(&sb);
	rc = numa_collect(c->root, c->devs, c->ndevs, &sb);
	add_collected(r, "numa", rc, &sb);
	rc = sysctl_collect(c->root, &sb);
	add_collected(r, "sysctl", rc, &sb);
}
