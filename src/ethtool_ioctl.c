/* Live SIOCETHTOOL queries. Each answer is printed as the ethtool command
 * prints it, so a live snapshot, a recording and a capture made with plain
 * ethtool all go through the parsers of ethtool_text.c. A query the device
 * refuses becomes a note; the others still run. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "sources.h"
#include "util.h"

/* Tries before giving up on a statistics count that keeps changing. */
#define STATS_ATTEMPTS 4

struct eth_ctx {
	int fd;
	const char *dev;
	struct raw_snapshot *r;
	int first_error;  /* first refusal, 0 if none */
	bool any_ok;
};

static int eth_ioctl(const struct eth_ctx *c, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	copy_token(ifr.ifr_name, sizeof(ifr.ifr_name), c->dev, strlen(c->dev));
	ifr.ifr_data = cmd;
	return ioctl(c->fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

/* Adds the text as source "CMD DEV SUFFIX", or notes why there is none. */
static void finish_query(struct eth_ctx *c, const char *cmd,
			 const char *suffix, int rc, struct strbuf *sb)
{
	char name[96];
	size_t len = sb->len;

	snprintf(name, sizeof(name), "%s %s%s", cmd, c->dev, suffix);
	if (rc < 0) {
		/* A driver without channels or RSS hashing (veth, ifb) is
		 * not a fault worth a note: the figure is just unknown. */
		if (rc != -EOPNOTSUPP || strcmp(cmd, "ethtool -S") == 0 ||
		    strcmp(cmd, "ethtool -i") == 0)
			raw_note(c->r, "%s: %s", name, strerror(-rc));
		if (!c->first_error)
			c->first_error = rc;
	} else {
		raw_add(c->r, name, sb_steal(sb), len);
		c->any_ok = true;
	}
	sb_free(sb);
}

/* ---- ethtool -i ---- */

static int query_drvinfo(const struct eth_ctx *c, struct ethtool_drvinfo *di)
{
	memset(di, 0, sizeof(*di));
	di->cmd = ETHTOOL_GDRVINFO;
	return eth_ioctl(c, di);
}

static const char *yes_no(uint32_t v)
{
	return v ? "yes" : "no";
}

static void print_drvinfo(struct strbuf *sb, const struct ethtool_drvinfo *d)
{
	sb_printf(sb, "driver: %.*s\n", (int)sizeof(d->driver), d->driver);
	sb_printf(sb, "version: %.*s\n", (int)sizeof(d->version), d->version);
	sb_printf(sb, "firmware-version: %.*s\n", (int)sizeof(d->fw_version),
		  d->fw_version);
	sb_printf(sb, "expansion-rom-version: %.*s\n",
		  (int)sizeof(d->erom_version), d->erom_version);
	sb_printf(sb, "bus-info: %.*s\n", (int)sizeof(d->bus_info),
		  d->bus_info);
	sb_printf(sb, "supports-statistics: %s\n", yes_no(d->n_stats));
	sb_printf(sb, "supports-test: %s\n", yes_no(d->testinfo_len));
	sb_printf(sb, "supports-eeprom-access: %s\n", yes_no(d->eedump_len));
	sb_printf(sb, "supports-register-dump: %s\n", yes_no(d->regdump_len));
	sb_printf(sb, "supports-priv-flags: %s\n", yes_no(d->n_priv_flags));
}

static void collect_drvinfo(struct eth_ctx *c)
{
	struct ethtool_drvinfo di;
	struct strbuf sb;
	int rc = query_drvinfo(c, &di);

	sb_init(&sb);
	if (rc == 0)
		print_drvinfo(&sb, &di);
	finish_query(c, "ethtool -i", "", rc, &sb);
}

/* ---- ethtool -S ---- */

/* The current number of statistics; GSSET_INFO where the kernel has it,
 * else the count in GDRVINFO (kernels before 2.6.34). */
static int stats_count(const struct eth_ctx *c, uint32_t *n)
{
	struct ethtool_sset_info *si;
	struct ethtool_drvinfo di;
	int rc;

	si = xcalloc(1, sizeof(*si) + sizeof(uint32_t));
	si->cmd = ETHTOOL_GSSET_INFO;
	si->sset_mask = 1ULL << ETH_SS_STATS;
	rc = eth_ioctl(c, si);
	if (rc == 0 && !(si->sset_mask & (1ULL << ETH_SS_STATS)))
		rc = -EOPNOTSUPP;
	if (rc == 0)
		*n = si->data[0];
	free(si);
	if (rc != -EOPNOTSUPP && rc != -EINVAL)
		return rc;
	rc = query_drvinfo(c, &di);
	if (rc == 0)
		*n = di.n_stats;
	return rc;
}

/* Older kernels write as many entries as the driver has *now*, whatever
 * count we pass, so the buffers get room for a count that has grown. */
static uint32_t with_slack(uint32_t n)
{
	return n * 2 + 1024;
}

static int query_strings(const struct eth_ctx *c, uint32_t n,
			 struct ethtool_gstrings **out)
{
	uint32_t cap = with_slack(n);
	struct ethtool_gstrings *gs;
	int rc;

	gs = xcalloc(1, sizeof(*gs) + (size_t)cap * ETH_GSTRING_LEN);
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	rc = eth_ioctl(c, gs);
	if (rc == 0 && gs->len > cap)
		rc = -EOVERFLOW;
	if (rc < 0) {
		free(gs);
		return rc;
	}
	*out = gs;
	return 0;
}

static int query_values(const struct eth_ctx *c, uint32_t n,
			struct ethtool_stats **out)
{
	uint32_t cap = with_slack(n);
	struct ethtool_stats *st;
	int rc;

	st = xcalloc(1, sizeof(*st) + (size_t)cap * sizeof(uint64_t));
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	rc = eth_ioctl(c, st);
	if (rc == 0 && st->n_stats > cap)
		rc = -EOVERFLOW;
	if (rc < 0) {
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

static void print_stats(struct strbuf *sb, const struct ethtool_gstrings *gs,
			const struct ethtool_stats *st)
{
	sb_puts(sb, "NIC statistics:\n");
	for (uint32_t i = 0; i < gs->len; i++) {
		const char *name = (const char *)gs->data + (size_t)i *
				   ETH_GSTRING_LEN;

		sb_printf(sb, "     %.*s: %llu\n", ETH_GSTRING_LEN, name,
			  (unsigned long long)st->data[i]);
	}
}

/* One try: names, then values. Returns 1 if the counts differ (the
 * driver changed its statistics in between), 0 with text in sb, or a
 * negative errno. */
static int stats_try(const struct eth_ctx *c, struct strbuf *sb,
		     uint32_t *names, uint32_t *values)
{
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_stats *st = NULL;
	uint32_t n;
	int rc = stats_count(c, &n);

	if (rc == 0 && n == 0)
		rc = -ENODATA;
	if (rc == 0)
		rc = query_strings(c, n, &gs);
	if (rc == 0)
		rc = query_values(c, gs->len, &st);
	if (rc == 0) {
		*names = gs->len;
		*values = st->n_stats;
		if (gs->len == st->n_stats)
			print_stats(sb, gs, st);
		else
			rc = 1;
	}
	free(gs);
	free(st);
	return rc;
}

static void collect_stats(struct eth_ctx *c)
{
	uint32_t names = 0, values = 0;
	struct strbuf sb;
	int rc = 1;

	sb_init(&sb);
	for (int i = 0; i < STATS_ATTEMPTS && rc == 1; i++)
		rc = stats_try(c, &sb, &names, &values);
	if (rc == 1) {
		/* Pairing names with values of another layout would be
		 * worse than having none. */
		raw_note(c->r, "ethtool -S %s: statistics count kept changing "
			 "(%u names, %u values); not recorded", c->dev, names,
			 values);
		sb_free(&sb);
		return;
	}
	finish_query(c, "ethtool -S", "", rc, &sb);
}

/* ---- ethtool -l ---- */

/* As ethtool prints it: "n/a" for a channel type the device lacks. */
static void print_channel(struct strbuf *sb, const char *label,
			  uint32_t max, uint32_t v)
{
	if (max)
		sb_printf(sb, "%s%u\n", label, v);
	else
		sb_printf(sb, "%sn/a\n", label);
}

static void print_channels(struct strbuf *sb, const char *dev,
			   const struct ethtool_channels *ch)
{
	sb_printf(sb, "Channel parameters for %s:\n", dev);
	sb_puts(sb, "Pre-set maximums:\n");
	print_channel(sb, "RX:\t\t", ch->max_rx, ch->max_rx);
	print_channel(sb, "TX:\t\t", ch->max_tx, ch->max_tx);
	print_channel(sb, "Other:\t\t", ch->max_other, ch->max_other);
	print_channel(sb, "Combined:\t", ch->max_combined, ch->max_combined);
	sb_puts(sb, "Current hardware settings:\n");
	print_channel(sb, "RX:\t\t", ch->max_rx, ch->rx_count);
	print_channel(sb, "TX:\t\t", ch->max_tx, ch->tx_count);
	print_channel(sb, "Other:\t\t", ch->max_other, ch->other_count);
	print_channel(sb, "Combined:\t", ch->max_combined, ch->combined_count);
}

static void collect_channels(struct eth_ctx *c)
{
	struct ethtool_channels ch;
	struct strbuf sb;
	int rc;

	memset(&ch, 0, sizeof(ch));
	ch.cmd = ETHTOOL_GCHANNELS;
	rc = eth_ioctl(c, &ch);
	sb_init(&sb);
	if (rc == 0)
		print_channels(&sb, c->dev, &ch);
	finish_query(c, "ethtool -l", "", rc, &sb);
}

/* ---- ethtool -n DEV rx-flow-hash udp4|udp6 ---- */

static void collect_rxfh(struct eth_ctx *c, int family)
{
	struct ethtool_rxnfc nfc;
	struct strbuf sb;
	int rc;

	memset(&nfc, 0, sizeof(nfc));
	nfc.cmd = ETHTOOL_GRXFH;
	nfc.flow_type = family == AF_INET6 ? UDP_V6_FLOW : UDP_V4_FLOW;
	rc = eth_ioctl(c, &nfc);
	sb_init(&sb);
	if (rc == 0)
		ethtool_rxfh_print(&sb, family, (uint32_t)nfc.data);
	finish_query(c, "ethtool -n", family == AF_INET6 ? " rx-flow-hash udp6"
						     : " rx-flow-hash udp4",
		     rc, &sb);
}

int ethtool_collect(const char *dev, struct raw_snapshot *r)
{
	return ethtool_collect_skip(dev, 0, r);
}

int ethtool_collect_skip(const char *dev, unsigned int skip,
			 struct raw_snapshot *r)
{
	struct eth_ctx c = { .dev = dev, .r = r };

	if (strlen(dev) >= IFNAMSIZ) {
		raw_note(r, "ethtool %s: %s", dev, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	c.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c.fd < 0) {
		int err = errno;

		raw_note(r, "ethtool %s: socket: %s", dev, strerror(err));
		return -err;
	}
	collect_drvinfo(&c);
	collect_stats(&c);
	if (!(skip & ETHTOOL_SKIP_CHANNELS))
		collect_channels(&c);
	collect_rxfh(&c, AF_INET);
	collect_rxfh(&c, AF_INET6);
	close(c.fd);
	return c.any_ok ? 0 : c.first_error;
}
