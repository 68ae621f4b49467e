/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink half of live collection: opens its sockets and resolves the
 * generic netlink families once, for every refresh of a run (the sockets
 * belong to the namespace droptop is in when they are opened), and asks
 * each family for a device's figures. A family the kernel lacks, or one
 * switched off with DROPTOP_NO_NETLINK, is named in a note together with
 * the fallback that replaces it, in every snapshot. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "kernel_uapi.h"
#include "nl_sources.h"
#include "sources.h"
#include "util.h"

#define FALLBACK_NETDEV "per-queue figures from ethtool -S, IRQs by name"
#define FALLBACK_ETHTOOL "ethtool ioctl used instead"
#define FALLBACK_LINK "device counters from sysfs"

static void note_disabled(struct raw_snapshot *r, const char *what,
			  const char *fallback)
{
	raw_note(r, "%s disabled by DROPTOP_NO_NETLINK: %s", what, fallback);
}

/* A family the kernel lacks (ENOENT) stays absent for the run, named in
 * every snapshot; any other failure (a signal, no buffer space) is said
 * in this snapshot and tried again at the next. */
static bool resolve(struct nl_collect *c, const char *name, uint16_t *id,
		    bool *want, const char *fallback, struct raw_snapshot *r)
{
	char err[256];
	int rc = nl_genl_family(&c->genl, name, id, err, sizeof(err));

	if (rc == 0)
		return true;
	if (rc == -ENOENT) {
		*want = false;
		r = &c->open_notes;
	}
	raw_note(r, "%s netlink: %s: %s", name, err, fallback);
	return false;
}

static void open_genl(struct nl_collect *c, struct raw_snapshot *r)
{
	char err[256];

	if (!c->want_netdev && !c->want_ethtool)
		return;
	if (!c->genl_ok && nl_open(&c->genl, NETLINK_GENERIC, err,
				   sizeof(err)) < 0) {
		raw_note(r, "generic netlink: %s: %s; %s", err,
			 FALLBACK_NETDEV, FALLBACK_ETHTOOL);
		return;
	}
	c->genl_ok = true;
	if (c->want_netdev && !c->netdev)
		c->netdev = resolve(c, NETDEV_FAMILY_NAME, &c->netdev_id,
				    &c->want_netdev, FALLBACK_NETDEV, r);
	if (c->want_ethtool && !c->ethtool)
		c->ethtool = resolve(c, ETHTOOL_GENL_NAME, &c->ethtool_id,
				     &c->want_ethtool, FALLBACK_ETHTOOL, r);
}

void nl_collect_open(struct nl_collect *c)
{
	struct raw_snapshot *r = &c->open_notes;

	memset(c, 0, sizeof(*c));
	raw_init(r);
	c->want_netdev = !nl_disabled("netdev");
	c->want_ethtool = !nl_disabled("ethtool");
	c->want_link = !nl_disabled("link");
	if (!c->want_netdev)
		note_disabled(r, "netdev netlink", FALLBACK_NETDEV);
	if (!c->want_ethtool)
		note_disabled(r, "ethtool netlink", FALLBACK_ETHTOOL);
	if (!c->want_link)
		note_disabled(r, "rtnetlink", FALLBACK_LINK);
}

void nl_collect_ready(struct nl_collect *c, struct raw_snapshot *r)
{
	char err[256];

	open_genl(c, r);
	if (!c->want_link || c->rtnl_ok)
		return;
	if (nl_open(&c->rtnl, NETLINK_ROUTE, err, sizeof(err)) < 0) {
		raw_note(r, "rtnetlink: %s: %s", err, FALLBACK_LINK);
		return;
	}
	c->rtnl_ok = c->link = true;
}

void nl_collect_close(struct nl_collect *c)
{
	if (c->genl_ok)
		nl_close(&c->genl);
	if (c->rtnl_ok)
		nl_close(&c->rtnl);
	c->genl_ok = c->rtnl_ok = false;
	raw_free(&c->open_notes);
}

void nl_collect_notes(const struct nl_collect *c, struct raw_snapshot *r)
{
	for (size_t i = 0; i < c->open_notes.nnotes; i++)
		raw_note(r, "%s", c->open_notes.notes[i]);
}

/* Adds "PREFIX DEV" when a request gave text (a later request of the
 * same source may have failed: what came is kept); a driver without the
 * operation (EOPNOTSUPP) is not worth a note. */
static bool add_source(struct raw_snapshot *r, const char *prefix,
		       const char *dev, int rc, const char *err,
		       struct strbuf *sb)
{
	char name[64];
	size_t len = sb->len;
	bool ok = len > 0;

	snprintf(name, sizeof(name), "%s %s", prefix, dev);
	if (rc < 0 && rc != -EOPNOTSUPP)
		raw_note(r, "%s: %s", name, err);
	if (ok)
		raw_add(r, name, sb_steal(sb), len);
	sb_free(sb);
	return ok;
}

/* The counters of the netdev family: queue and device qstats. */
static void collect_qstats(struct nl_collect *c, const char *dev,
			   unsigned int ifindex, struct raw_snapshot *r)
{
	struct strbuf sb;
	char err[256];
	int rc;

	sb_init(&sb);
	rc = netdev_qstats_collect(&c->genl, c->netdev_id, ifindex, &sb, err,
				   sizeof(err));
	add_source(r, "qstats", dev, rc, err, &sb);
}

/* Its settings: which queues there are, and their NAPI instances. */
static void collect_napi(struct nl_collect *c, const char *dev,
			 unsigned int ifindex, struct raw_snapshot *r)
{
	struct strbuf sb;
	char err[256];
	int rc;

	sb_init(&sb);
	rc = netdev_napi_collect(&c->genl, c->netdev_id, ifindex, &sb, err,
				 sizeof(err));
	add_source(r, "napi", dev, rc, err, &sb);
}

static unsigned int collect_link(struct nl_collect *c, const char *dev,
				 unsigned int *ifindex, struct raw_snapshot *r)
{
	struct strbuf sb;
	char err[256];
	int rc;

	sb_init(&sb);
	rc = rtnl_link_collect(&c->rtnl, dev, &sb, ifindex, err, sizeof(err));
	return add_source(r, "link", dev, rc, err, &sb) ? NLC_GOT_LINK : 0;
}

unsigned int nl_collect_device(struct nl_collect *c, const char *dev,
			       unsigned int parts, unsigned int *ifindex,
			       struct raw_snapshot *r)
{
	unsigned int got = 0, eth = 0, index = ifindex ? *ifindex : 0;
	struct strbuf sb;
	char err[256];
	int rc;

	if (c->link && (parts & COLLECT_COUNTERS))
		got |= collect_link(c, dev, &index, r);
	/* The netdev family asks by index: the link reply's, the caller's,
	 * or the name's now. */
	if (c->netdev && !index)
		index = if_nametoindex(dev);
	if (c->netdev && index && (parts & COLLECT_COUNTERS))
		collect_qstats(c, dev, index, r);
	if (c->netdev && index && (parts & COLLECT_SETTINGS))
		collect_napi(c, dev, index, r);
	if (c->ethtool) {
		sb_init(&sb);
		rc = ethtool_nl_collect(&c->genl, c->ethtool_id, dev, parts,
					&sb, &eth, err, sizeof(err));
		add_source(r, "ethtool-nl", dev, rc, err, &sb);
		got |= eth;
	}
	if (ifindex)
		*ifindex = index;
	return got;
}
