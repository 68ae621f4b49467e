/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live SIOCETHTOOL queries. Each answer is printed as the ethtool command
 * prints it, so a live snapshot, a recording and a capture made with plain
 * ethtool all go through the parsers of ethtool_text.c. A query the device
 * refuses becomes a note; the others still run.
 *
 * Across refreshes an ethtool_cache keeps the socket and each device's
 * statistics names: the names are what costs most in the kernel (drivers
 * format them one by one) and change only with the statistics' layout. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "guardbuf.h"
#include "sources_internal.h"
#include "util.h"

/* Tries before giving up on a statistics count that keeps changing. */
#define STATS_ATTEMPTS 4
/* The most statistics read from one device (documented in droptop(8)):
 * a veth with 4,096 channels has about 37,000; names and values of this
 * many take 2.5 MiB, whatever count an odd driver claims. */
#define STATS_MAX 65536
/* Kept names are read again at least this often, whatever the layout. */
#define NAMES_MAX_AGE_NS (10 * 1000000000LL)

/* One device's statistics layout: valid while the driver, the bus
 * address and the count stay those it was read with. */
struct eth_names {
	char dev[IFNAMSIZ];
	struct ethtool_drvinfo di;     /* the last one read */
	bool have_di;
	char driver[32];               /* of the names */
	char bus[32];
	struct ethtool_gstrings *gs;   /* NULL: not read yet */
	int64_t read_ns;
	unsigned int layout;           /* bumped at each read of names */
	struct guardbuf st_buf;        /* the values' buffer, reused */
	uint32_t st_cap;               /* values st_buf holds */
};

struct ethtool_cache {
	int fd;                        /* -1 until first used */
	struct eth_names *devs;
	size_t ndevs;
};

struct eth_ctx {
	int fd;
	const char *dev;
	struct raw_snapshot *r;
	struct eth_names *names;
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

/* The driver and bus address say whether kept names still apply. */
static int update_drvinfo(struct eth_ctx *c)
{
	int rc = query_drvinfo(c, &c->names->di);

	c->names->have_di = rc == 0;
	return rc;
}

static void collect_drvinfo(struct eth_ctx *c)
{
	struct strbuf sb;
	int rc = update_drvinfo(c);

	sb_init(&sb);
	if (rc == 0)
		print_drvinfo(&sb, &c->names->di);
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

	/* The kernel writes one count per bit of the mask we pass: one. */
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

/* The count can change between our ioctls (a veth going from 1 to 1024
 * channels goes from 10 to 9,217 statistics). Kernels without commit
 * 7b07be1ff1cb (CVE-2025-68795; in 6.19, 6.18.3, 6.12.64, 6.6.120,
 * 6.1.160, 5.15.198, 5.10.248) ignore the count we pass to GSTRINGS and
 * GSTATS and write as many entries as the device has at that instant;
 * later ones answer a count that is not the device's with none, and a
 * count of 0 with all of them. So we never ask for 0, and each buffer
 * ends at a guard page: a longer reply fails with EFAULT. Both, and a
 * reply of another count, mean "ask again". */
static int count_changed(int rc)
{
	return rc == -EFAULT || rc == -ESTALE ? 1 : rc;
}

/* Names of n statistics (n > 0), copied out of the guarded buffer.
 * Returns 1 if the count is no longer n. */
static int query_strings(const struct eth_ctx *c, uint32_t n,
			 struct ethtool_gstrings **out, uint32_t *seen)
{
	struct ethtool_gstrings *gs;
	struct guardbuf g;
	int rc = guardbuf_alloc(&g, sizeof(*gs) + (size_t)n * ETH_GSTRING_LEN);

	if (rc < 0)
		return rc;
	gs = g.data;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	rc = eth_ioctl(c, gs);
	/* The kernel writes the header, with its count, before the names. */
	*seen = gs->len;
	if (rc == 0 && gs->len != n)
		rc = -ESTALE;
	if (rc == 0) {
		*out = xmalloc(g.len);
		memcpy(*out, gs, g.len);
	}
	guardbuf_free(&g);
	return count_changed(rc);
}

/* Values of n statistics (n > 0) into the device's kept guarded buffer,
 * mapped again when n outgrows it. Returns 1 if the count is no longer
 * n. */
static int query_values(const struct eth_ctx *c, uint32_t n,
			struct ethtool_stats **out, uint32_t *seen)
{
	struct eth_names *dn = c->names;
	struct ethtool_stats *st;
	int rc;

	if (dn->st_cap < n) {
		guardbuf_free(&dn->st_buf);
		dn->st_cap = 0;
		rc = guardbuf_alloc(&dn->st_buf, sizeof(*st) +
						  (size_t)n * sizeof(uint64_t));
		if (rc < 0)
			return rc;
		dn->st_cap = n;
	}
	st = dn->st_buf.data;
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	rc = eth_ioctl(c, st);
	*seen = st->n_stats;
	if (rc == 0 && st->n_stats != n)
		rc = -ESTALE;
	if (rc < 0)
		return count_changed(rc);
	*out = st;
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void forget_names(struct eth_names *dn)
{
	free(dn->gs);
	dn->gs = NULL;
}

/* The kept names, if the layout is still the one they were read with. */
static bool names_valid(const struct eth_ctx *c, uint32_t n, int64_t now)
{
	const struct eth_names *dn = c->names;

	return dn->gs && dn->gs->len == n && dn->have_di &&
	       now - dn->read_ns < NAMES_MAX_AGE_NS &&
	       strncmp(dn->driver, (const char *)dn->di.driver,
		       sizeof(dn->driver)) == 0 &&
	       strncmp(dn->bus, (const char *)dn->di.bus_info,
		       sizeof(dn->bus)) == 0;
}

/* The names of n statistics, read now or kept from a refresh before.
 * Returns 1 if the count is no longer n. */
static int device_names(struct eth_ctx *c, uint32_t n,
			struct ethtool_gstrings **out, uint32_t *seen)
{
	struct eth_names *dn = c->names;
	int64_t now = now_ns();
	int rc;

	*seen = n;
	if (!names_valid(c, n, now)) {
		forget_names(dn);
		rc = query_strings(c, n, &dn->gs, seen);
		if (rc != 0)
			return rc;
		dn->read_ns = now;
		dn->layout++;
		memset(dn->driver, 0, sizeof(dn->driver));
		memset(dn->bus, 0, sizeof(dn->bus));
		if (dn->have_di) {
			memcpy(dn->driver, dn->di.driver, sizeof(dn->driver));
			memcpy(dn->bus, dn->di.bus_info, sizeof(dn->bus));
		}
	}
	*out = dn->gs;
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

/* The counts one try saw, for the notes. */
struct stats_seen {
	uint32_t count, names, values;
};

/* One try: count, names, then values, all of the same count. Returns 1
 * if the count changed in between (the driver changed its statistics),
 * 0 with text in sb, or a negative errno (-E2BIG: more than STATS_MAX). */
static int stats_try(struct eth_ctx *c, struct strbuf *sb,
		     struct stats_seen *seen)
{
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_stats *st = NULL;
	uint32_t n = 0;
	int rc = stats_count(c, &n);

	seen->count = n;
	if (rc == 0 && n == 0)
		rc = -ENODATA;
	if (rc == 0 && n > STATS_MAX)
		rc = -E2BIG;
	if (rc == 0)
		rc = device_names(c, n, &gs, &seen->names);
	if (rc == 0)
		rc = query_values(c, n, &st, &seen->values);
	/* Kept names may be of the layout that just went: read them
	 * again at the next try. */
	if (rc == 1)
		forget_names(c->names);
	if (rc != 0)
		return rc;
	print_stats(sb, gs, st);
	return 0;
}

static void collect_stats(struct eth_ctx *c)
{
	struct stats_seen seen = { 0, 0, 0 };
	struct strbuf sb;
	int rc = 1;

	sb_init(&sb);
	for (int i = 0; i < STATS_ATTEMPTS && rc == 1; i++)
		rc = stats_try(c, &sb, &seen);
	if (rc == 1) {
		/* Pairing names with values of another layout would be
		 * worse than having none. */
		raw_note(c->r, "ethtool -S %s: statistics count kept changing "
			 "(%u names, %u values); not recorded", c->dev,
			 seen.names, seen.values);
		sb_free(&sb);
		return;
	}
	if (rc == -E2BIG) {
		raw_note(c->r, "ethtool -S %s: %u statistics, more than the "
			 "%u droptop reads; not recorded", c->dev, seen.count,
			 STATS_MAX);
		sb_free(&sb);
		return;
	}
	finish_query(c, "ethtool -S", "", rc, &sb);
}

/* ---- ethtool -l and ethtool -g ---- */

/* One line of both sections: a channel type or a ring. */
struct max_cur {
	const char *label;    /* "RX:\t\t" */
	uint32_t max, cur;
};

/* As ethtool prints them: the maximums, then the current settings, and
 * "n/a" for what the device lacks (a maximum of 0). */
static void print_max_cur(struct strbuf *sb, const char *title,
			  const char *dev, const struct max_cur *rows,
			  size_t n)
{
	sb_printf(sb, "%s for %s:\n", title, dev);
	sb_puts(sb, "Pre-set maximums:\n");
	for (size_t i = 0; i < n; i++)
		if (rows[i].max)
			sb_printf(sb, "%s%u\n", rows[i].label, rows[i].max);
		else
			sb_printf(sb, "%sn/a\n", rows[i].label);
	sb_puts(sb, "Current hardware settings:\n");
	for (size_t i = 0; i < n; i++)
		if (rows[i].max)
			sb_printf(sb, "%s%u\n", rows[i].label, rows[i].cur);
		else
			sb_printf(sb, "%sn/a\n", rows[i].label);
}

static void print_channels(struct strbuf *sb, const char *dev,
			   const struct ethtool_channels *ch)
{
	const struct max_cur rows[] = {
		{ "RX:\t\t", ch->max_rx, ch->rx_count },
		{ "TX:\t\t", ch->max_tx, ch->tx_count },
		{ "Other:\t\t", ch->max_other, ch->other_count },
		{ "Combined:\t", ch->max_combined, ch->combined_count },
	};

	print_max_cur(sb, "Channel parameters", dev, rows, ARRAY_SIZE(rows));
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

static void print_rings(struct strbuf *sb, const char *dev,
			const struct ethtool_ringparam *rp)
{
	const struct max_cur rows[] = {
		{ "RX:\t\t", rp->rx_max_pending, rp->rx_pending },
		{ "RX Mini:\t", rp->rx_mini_max_pending, rp->rx_mini_pending },
		{ "RX Jumbo:\t", rp->rx_jumbo_max_pending,
		  rp->rx_jumbo_pending },
		{ "TX:\t\t", rp->tx_max_pending, rp->tx_pending },
	};

	print_max_cur(sb, "Ring parameters", dev, rows, ARRAY_SIZE(rows));
}

/* Where ethtool netlink (5.6+) is missing, the ring sizes the
 * ring-small finding needs. */
static void collect_rings(struct eth_ctx *c)
{
	struct ethtool_ringparam rp;
	struct strbuf sb;
	int rc;

	memset(&rp, 0, sizeof(rp));
	rp.cmd = ETHTOOL_GRINGPARAM;
	rc = eth_ioctl(c, &rp);
	sb_init(&sb);
	if (rc == 0)
		print_rings(&sb, c->dev, &rp);
	finish_query(c, "ethtool -g", "", rc, &sb);
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

struct ethtool_cache *ethtool_cache_new(void)
{
	struct ethtool_cache *ec = xcalloc(1, sizeof(*ec));

	ec->fd = -1;
	return ec;
}

void ethtool_cache_free(struct ethtool_cache *ec)
{
	if (!ec)
		return;
	if (ec->fd >= 0)
		close(ec->fd);
	for (size_t i = 0; i < ec->ndevs; i++) {
		forget_names(&ec->devs[i]);
		guardbuf_free(&ec->devs[i].st_buf);
	}
	free(ec->devs);
	free(ec);
}

static struct eth_names *cache_device(struct ethtool_cache *ec,
				      const char *dev)
{
	for (size_t i = 0; i < ec->ndevs; i++)
		if (strcmp(ec->devs[i].dev, dev) == 0)
			return &ec->devs[i];
	ec->devs = xrealloc(ec->devs, (ec->ndevs + 1) * sizeof(*ec->devs));
	memset(&ec->devs[ec->ndevs], 0, sizeof(*ec->devs));
	snprintf(ec->devs[ec->ndevs].dev, IFNAMSIZ, "%s", dev);
	return &ec->devs[ec->ndevs++];
}

void ethtool_cache_forget(struct ethtool_cache *ec, const char *dev)
{
	for (size_t i = 0; i < ec->ndevs; i++)
		if (strcmp(ec->devs[i].dev, dev) == 0) {
			forget_names(&ec->devs[i]);
			ec->devs[i].have_di = false;
		}
}

unsigned int ethtool_cache_layout(const struct ethtool_cache *ec,
				  const char *dev)
{
	for (size_t i = 0; i < ec->ndevs; i++)
		if (strcmp(ec->devs[i].dev, dev) == 0)
			return ec->devs[i].layout;
	return 0;
}

int ethtool_collect(const char *dev, struct raw_snapshot *r)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	int rc = ethtool_collect_cached(ec, dev, COLLECT_ALL, 0, r);

	ethtool_cache_free(ec);
	return rc;
}

int ethtool_collect_cached(struct ethtool_cache *ec, const char *dev,
			   unsigned int parts, unsigned int skip,
			   struct raw_snapshot *r)
{
	struct eth_ctx c = { .dev = dev, .r = r };

	if (strlen(dev) >= IFNAMSIZ) {
		raw_note(r, "ethtool %s: %s", dev, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (ec->fd < 0)
		ec->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ec->fd < 0) {
		int err = errno;

		raw_note(r, "ethtool %s: socket: %s", dev, strerror(err));
		return -err;
	}
	c.fd = ec->fd;
	c.names = cache_device(ec, dev);
	/* Every pass: kept names are checked against the driver and bus
	 * address of now, even with no ifindex to tell a new device. */
	if (parts & COLLECT_SETTINGS)
		collect_drvinfo(&c);
	else
		update_drvinfo(&c);
	if (parts & COLLECT_COUNTERS)
		collect_stats(&c);
	if (!(parts & COLLECT_SETTINGS))
		return c.any_ok ? 0 : c.first_error;
	if (!(skip & ETHTOOL_SKIP_CHANNELS))
		collect_channels(&c);
	if (!(skip & ETHTOOL_SKIP_RINGS))
		collect_rings(&c);
	collect_rxfh(&c, AF_INET);
	collect_rxfh(&c, AF_INET6);
	return c.any_ok ? 0 : c.first_error;
}
