/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records the raw netlink replies droptop's netlink sources get for one
 * device, as test data: for each source, DIR/DEV-SRC.bin holds the reply
 * messages byte for byte and DIR/DEV-SRC.txt the text the live printers
 * made of them. Not a test: run by hand to refresh tests/data/netlink
 * (see tests/data/SOURCES.md):  nlcapture eth0 tests/data/netlink */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "kernel_uapi.h"
#include "nl_sources.h"
#include "sources.h"
#include "util.h"

static int save(const char *dir, const char *dev, const char *src,
		const struct strbuf *sb)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s.txt", dir, dev, src);
	f = fopen(path, "w");
	if (!f || fwrite(sb->s ? sb->s : "", 1, sb->len, f) != sb->len) {
		fprintf(stderr, "nlcapture: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return fclose(f) != 0;
}

/* Points the socket's reply dump at DIR/DEV-SRC.bin. */
static FILE *dump_to(struct nl_sock *s, const char *dir, const char *dev,
		     const char *src)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s-%s.bin", dir, dev, src);
	s->dump = fopen(path, "wb");
	if (!s->dump)
		fprintf(stderr, "nlcapture: %s: %s\n", path, strerror(errno));
	return s->dump;
}

static int run(struct nl_sock *g, struct nl_sock *rt, const char *dev,
	       const char *dir)
{
	struct {
		const char *src;
		struct nl_sock *s;
	} steps[] = { { "qstats", g }, { "napi", g }, { "ethtool", g },
		      { "link", rt } };
	unsigned int ifindex = if_nametoindex(dev), got;
	uint16_t netdev, ethtool;
	char err[256];
	struct strbuf sb;
	int rc = 0;

	if (!ifindex ||
	    nl_genl_family(g, NETDEV_FAMILY_NAME, &netdev, err, sizeof(err)) ||
	    nl_genl_family(g, ETHTOOL_GENL_NAME, &ethtool, err, sizeof(err))) {
		fprintf(stderr, "nlcapture: %s: %s\n", dev, err);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		if (!dump_to(steps[i].s, dir, dev, steps[i].src))
			return 1;
		sb_init(&sb);
		if (i == 0)
			rc |= netdev_qstats_collect(g, netdev, ifindex, &sb,
						    err, sizeof(err));
		else if (i == 1)
			rc |= netdev_napi_collect(g, netdev, ifindex, &sb, err,
						  sizeof(err));
		else if (i == 2)
			rc |= ethtool_nl_collect(g, ethtool, dev, COLLECT_ALL,
						 &sb, &got, err, sizeof(err));
		else
			rc |= rtnl_link_collect(rt, dev, &sb, NULL, err,
						sizeof(err));
		fclose(steps[i].s->dump);
		steps[i].s->dump = NULL;
		rc |= save(dir, dev, steps[i].src, &sb);
		sb_free(&sb);
	}
	return rc != 0;
}

int main(int argc, char **argv)
{
	struct nl_sock g, rt;
	char err[256];
	int rc;

	if (argc != 3) {
		fputs("usage: nlcapture DEV DIR\n", stderr);
		return 2;
	}
	if (nl_open(&g, NETLINK_GENERIC, err, sizeof(err)) < 0 ||
	    nl_open(&rt, NETLINK_ROUTE, err, sizeof(err)) < 0) {
		fprintf(stderr, "nlcapture: %s\n", err);
		return 1;
	}
	rc = run(&g, &rt, argv[1], argv[2]);
	nl_close(&g);
	nl_close(&rt);
	return rc;
}
