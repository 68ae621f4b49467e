#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collect.h"
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
	"/proc/net/udp",
	"/proc/net/udp6",
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
 * /proc/interrupts text just collected. */
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
	sb_init(&sb);
	rc = irq_affinity_collect(root, &tmp, &sb);
	add_collected(r, "irq-affinity", rc, &sb);
	snapshot_free(&tmp);
}

static void collect_device(const struct collect_config *c, const char *dev,
			   struct raw_snapshot *r)
{
	char name[64];
	struct strbuf sb;
	int rc;

	sb_init(&sb);
	snprintf(name, sizeof(name), "sysfs %s", dev);
	rc = sysfs_stats_collect(c->root, dev, &sb);
	add_collected(r, name, rc, &sb);
	snprintf(name, sizeof(name), "sysfs-dev %s", dev);
	rc = sysfs_dev_collect(c->root, dev, &sb);
	add_collected(r, name, rc, &sb);
	if (c->use_ethtool)
		ethtool_collect(dev, r);
}

void collect_live(const struct collect_config *c, struct raw_snapshot *r)
{
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
	collect_irq_affinity(c->root, r);
	for (size_t i = 0; i < c->ndevs; i++)
		collect_device(c, c->devs[i], r);
	sb_init(&sb);
	rc = numa_collect(c->root, c->devs, c->ndevs, &sb);
	add_collected(r, "numa", rc, &sb);
	rc = sysctl_collect(c->root, &sb);
	add_collected(r, "sysctl", rc, &sb);
}
