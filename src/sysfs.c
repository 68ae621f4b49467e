/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysfs and sysctl sources. Each is a small text of "key value" lines that
 * the collectors below write from ROOT (a prefix: "" for the host, or a
 * test directory), so a recording holds the same text the parsers read:
 *   sysfs DEV      "rx_packets 123" per file of /sys/class/net/DEV/statistics,
 *                  then "admin_up 1" (IFF_UP of DEV/flags), "operstate up"
 *                  and "carrier 1" from DEV/ (as in `link DEV`; carrier
 *                  cannot be read on a device down)
 *   sysfs-dev DEV  "parent virtio2" (the device link), "rx_queues 4"
 *   numa           "node 0 0-7" per NUMA node, "dev eth0 0" per device
 *   sysctl         "net.core.rmem_max 212992" per file of net/core, then
 *                  the IP ones: "net.ipv4.ipfrag_time 30",
 *                  "net.ipv4.conf.eth0.rp_filter 1" (one per device) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecache.h"
#include "lines.h"
#include "nameidx.h"
#include "sources_internal.h"
#include "util.h"

struct key_id {
	const char *key;
	int id;
};

static const struct key_id sysfs_keys[] = {
	{ "rx_packets", SYS_RX_PACKETS },
	{ "rx_bytes", SYS_RX_BYTES },
	{ "rx_dropped", SYS_RX_DROPPED },
	{ "rx_errors", SYS_RX_ERRORS },
	{ "rx_missed_errors", SYS_RX_MISSED_ERRORS },
	{ "rx_fifo_errors", SYS_RX_FIFO_ERRORS },
	{ "rx_over_errors", SYS_RX_OVER_ERRORS },
	{ "rx_crc_errors", SYS_RX_CRC_ERRORS },
	{ "rx_frame_errors", SYS_RX_FRAME_ERRORS },
	{ "rx_length_errors", SYS_RX_LENGTH_ERRORS },
	{ "rx_nohandler", SYS_RX_NOHANDLER },
	{ "rx_otherhost_dropped", SYS_RX_OTHERHOST_DROPPED },
	{ "tx_packets", SYS_TX_PACKETS },
};

static const struct key_id sysctl_keys[] = {
	{ "net.core.rmem_max", SYSCTL_RMEM_MAX },
	{ "net.core.rmem_default", SYSCTL_RMEM_DEFAULT },
	{ "net.core.netdev_max_backlog", SYSCTL_NETDEV_MAX_BACKLOG },
	{ "net.core.netdev_budget", SYSCTL_NETDEV_BUDGET },
	{ "net.core.netdev_budget_usecs", SYSCTL_NETDEV_BUDGET_USECS },
	{ "net.ipv4.ipfrag_high_thresh", SYSCTL_IPFRAG_HIGH_THRESH },
	{ "net.ipv4.ipfrag_time", SYSCTL_IPFRAG_TIME },
	{ "net.ipv6.ip6frag_high_thresh", SYSCTL_IP6FRAG_HIGH_THRESH },
	{ "net.ipv6.ip6frag_time", SYSCTL_IP6FRAG_TIME },
	{ "net.ipv4.conf.all.rp_filter", SYSCTL_RP_FILTER_ALL },
};

static struct nameidx sysfs_ix, sysctl_ix;

static void index_keys(struct nameidx *ix, const struct key_id *keys,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		nameidx_add(ix, keys[i].key, keys[i].id);
}

/* Built once before main(), so no parser (in any thread) sees it half
 * built. */
__attribute__((constructor)) static void sysfs_index_keys(void)
{
	index_keys(&sysfs_ix, sysfs_keys, ARRAY_SIZE(sysfs_keys));
	index_keys(&sysctl_ix, sysctl_keys, ARRAY_SIZE(sysctl_keys));
}

/* One "KEY VALUE..." line of a source named src, split into its key and
 * the rest; the line callback sees the tokens after the key. */
typedef int (*kv_line_fn)(struct snapshot *s, void *ctx, const char *src,
			  unsigned int lineno, const char *key, size_t klen,
			  const char *p, const char *end);

struct kv_walk {
	const char *src;
	kv_line_fn fn;
	void *ctx;
};

/* Splits the key off a non-blank line for the kv_line_fn. */
static enum line_verdict kv_line(struct snapshot *s, void *ctx,
				 const char *line, size_t len,
				 unsigned int lineno)
{
	struct kv_walk *w = ctx;
	const char *p = line, *key;
	size_t klen;

	key = next_token(&p, line + len, &klen);
	if (w->fn(s, w->ctx, w->src, lineno, key, klen, p, line + len) < 0)
		return LINE_BAD;
	return LINE_OK;
}

/* Walks the lines of text; an unterminated last line may have lost digits
 * and is reported, not read (parse_lines()). */
static int kv_parse(struct snapshot *s, const char *src, const char *text,
		    kv_line_fn fn, void *ctx)
{
	struct kv_walk w = { src, fn, ctx };

	return parse_lines(s, src, text, kv_line, &w);
}

/* The single decimal value after a key; notes a bad one. */
static int kv_value(struct snapshot *s, const char *src, unsigned int lineno,
		    const char *key, size_t klen, const char *p,
		    const char *end, uint64_t *v)
{
	const char *tok;
	size_t n;

	tok = next_token(&p, end, &n);
	if (!tok || !only_blanks(p, end) || !parse_u64(tok, n, 10, v)) {
		snapshot_note(s, "%s: line %u: %.*s: expected one number",
			      src, lineno, (int)klen, key);
		return -EINVAL;
	}
	return 0;
}

static bool key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

/* The RFC 2863 names /sys/class/net/DEV/operstate uses; anything else in
 * a recording is refused, not shown. */
static bool operstate_known(const char *tok, size_t n)
{
	static const char *const names[] = {
		"unknown", "notpresent", "down", "lowerlayerdown",
		"testing", "dormant", "up",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (key_is(tok, n, names[i]))
			return true;
	return false;
}

/* "operstate NAME", "carrier 0|1" or "admin_up 0|1"; returns 1 when key
 * was one of them (0 when not, -EINVAL on a bad value, left unknown). */
static int link_state_line(struct snapshot *s, struct device *d,
			   const char *src, unsigned int lineno,
			   const char *key, size_t klen, const char *p,
			   const char *end)
{
	const char *tok;
	uint64_t v;
	size_t n;

	if (key_is(key, klen, "carrier") || key_is(key, klen, "admin_up")) {
		if (kv_value(s, src, lineno, key, klen, p, end, &v) < 0 ||
		    v > 1) {
			snapshot_note(s, "%s: line %u: %.*s: expected 0 or 1",
				      src, lineno, (int)klen, key);
			return -EINVAL;
		}
		if (key[0] == 'c')
			d->carrier = (int)v;
		else
			d->admin_up = (int)v;
		return 1;
	}
	if (!key_is(key, klen, "operstate"))
		return 0;
	tok = next_token(&p, end, &n);
	if (!tok || !only_blanks(p, end) || !operstate_known(tok, n)) {
		snapshot_note(s, "%s: line %u: operstate: not a known state",
			      src, lineno);
		return -EINVAL;
	}
	copy_token(d->operstate, sizeof(d->operstate), tok, n);
	return 1;
}

static int stats_line(struct snapshot *s, void *ctx, const char *src,
		      unsigned int lineno, const char *key, size_t klen,
		      const char *p, const char *end)
{
	struct device *d = ctx;
	int id = nameidx_find(&sysfs_ix, key, klen);
	uint64_t v;

	if (id < 0) {
		int rc = link_state_line(s, d, src, lineno, key, klen, p, end);

		return rc < 0 ? rc : 0;
	}
	if (kv_value(s, src, lineno, key, klen, p, end, &v) < 0)
		return -EINVAL;
	d->sys[id] = v;
	d->sys_have[id] = true;
	d->have_sysfs = true;
	return 0;
}

int stats_kv_parse(struct snapshot *s, const char *dev, const char *src,
		   const char *text)
{
	return kv_parse(s, src, text, stats_line, snapshot_device(s, dev));
}

int sysfs_stats_parse(struct snapshot *s, const char *dev, const char *text)
{
	char src[64];

	snprintf(src, sizeof(src), "sysfs %s", dev);
	return stats_kv_parse(s, dev, src, text);
}

static int dev_line(struct snapshot *s, void *ctx, const char *src,
		    unsigned int lineno, const char *key, size_t klen,
		    const char *p, const char *end)
{
	struct device *d = ctx;
	const char *tok;
	uint64_t v;
	size_t n;

	if (klen == 6 && memcmp(key, "parent", 6) == 0) {
		tok = next_token(&p, end, &n);
		if (!tok || !only_blanks(p, end) ||
		    n >= sizeof(d->parent)) {
			snapshot_note(s, "%s: line %u: expected 'parent NAME'",
				      src, lineno);
			return -EINVAL;
		}
		copy_token(d->parent, sizeof(d->parent), tok, n);
	} else if (klen == 9 && memcmp(key, "rx_queues", 9) == 0) {
		if (kv_value(s, src, lineno, key, klen, p, end, &v) < 0)
			return -EINVAL;
		d->sys_rx_queues = v > 65536 ? 65536 : (int)v;
	}
	return 0;
}

int sysfs_dev_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct device *d = snapshot_device(s, dev);
	char src[64];

	snprintf(src, sizeof(src), "sysfs-dev %s", dev);
	return kv_parse(s, src, text, dev_line, d);
}

static void numa_set_node(struct snapshot *s, int node, const uint64_t *cpus)
{
	struct numa_node *nn = snapshot_node(s, node);

	if (nn) /* NULL beyond SNAP_MAX_NODES, noted */
		memcpy(nn->cpus, cpus, sizeof(nn->cpus));
}

/* "node N CPULIST"; a node without CPUs (memory only) has an empty list. */
static int numa_node_line(struct snapshot *s, unsigned int lineno,
			  const char *p, const char *end)
{
	uint64_t node, cpus[CPU_WORDS];
	const char *tok, *list;
	size_t n, listlen = 0;
	char *copy;
	int rc;

	tok = next_token(&p, end, &n);
	list = next_token(&p, end, &listlen);
	if (!tok || !parse_u64(tok, n, 10, &node) || node > INT_MAX ||
	    !only_blanks(p, end)) {
		snapshot_note(s, "numa: line %u: expected 'node N CPULIST'",
			      lineno);
		return -EINVAL;
	}
	copy = xstrndup(list ? list : "", listlen);
	rc = cpulist_parse(copy, cpus, MAX_CPUS);
	free(copy);
	if (rc < 0) {
		snapshot_note(s, "numa: line %u: node %d: bad CPU list",
			      lineno, (int)node);
		return -EINVAL;
	}
	numa_set_node(s, (int)node, cpus);
	return 0;
}

/* "dev DEV N", N = -1 when the firmware does not say. */
static int numa_dev_line(struct snapshot *s, unsigned int lineno,
			 const char *p, const char *end)
{
	const char *dev, *tok;
	size_t dlen, n;
	char name[IF_NAMESIZE];
	uint64_t node = 0;
	bool neg;

	dev = next_token(&p, end, &dlen);
	tok = next_token(&p, end, &n);
	neg = tok && n == 2 && memcmp(tok, "-1", 2) == 0;
	if (!tok || dlen >= sizeof(name) || !only_blanks(p, end) ||
	    (!neg && (!parse_u64(tok, n, 10, &node) || node > INT_MAX))) {
		snapshot_note(s, "numa: line %u: expected 'dev DEV N'", lineno);
		return -EINVAL;
	}
	copy_token(name, sizeof(name), dev, dlen);
	if (snapshot_device_allowed(s, name))
		snapshot_device(s, name)->numa_node = neg ? -1 : (int)node;
	return 0;
}

static int numa_line(struct snapshot *s, void *ctx, const char *src,
		     unsigned int lineno, const char *key, size_t klen,
		     const char *p, const char *end)
{
	(void)ctx;
	(void)src;
	if (klen == 4 && memcmp(key, "node", 4) == 0)
		return numa_node_line(s, lineno, p, end);
	if (klen == 3 && memcmp(key, "dev", 3) == 0)
		return numa_dev_line(s, lineno, p, end);
	return 0;
}

int numa_parse(struct snapshot *s, const char *text)
{
	return kv_parse(s, "numa", text, numa_line, NULL);
}

#define CONF_PREFIX "net.ipv4.conf."
#define RP_SUFFIX ".rp_filter"

/* "net.ipv4.conf.DEV.rp_filter V" of a device the snapshot has (a name
 * may hold dots: eth0.100). Others are skipped. */
static int rp_filter_line(struct snapshot *s, const char *src,
			  unsigned int lineno, const char *key, size_t klen,
			  const char *p, const char *end)
{
	const size_t pl = strlen(CONF_PREFIX), sl = strlen(RP_SUFFIX);
	char dev[IF_NAMESIZE];
	struct device *d;
	uint64_t v;

	if (klen <= pl + sl || klen - pl - sl >= sizeof(dev) ||
	    memcmp(key, CONF_PREFIX, pl) != 0 ||
	    memcmp(key + klen - sl, RP_SUFFIX, sl) != 0)
		return 0;
	copy_token(dev, sizeof(dev), key + pl, klen - pl - sl);
	d = snapshot_find_device(s, dev);
	if (!d)
		return 0;
	if (kv_value(s, src, lineno, key, klen, p, end, &v) < 0)
		return -EINVAL;
	d->rp_filter = v > 2 ? 2 : (int)v; /* 0 off, 1 strict, 2 loose */
	return 0;
}

static int sysctl_line(struct snapshot *s, void *ctx, const char *src,
		       unsigned int lineno, const char *key, size_t klen,
		       const char *p, const char *end)
{
	int id = nameidx_find(&sysctl_ix, key, klen);
	uint64_t v;

	(void)ctx;
	if (id < 0)
		return rp_filter_line(s, src, lineno, key, klen, p, end);
	if (kv_value(s, src, lineno, key, klen, p, end, &v) < 0)
		return -EINVAL;
	s->sysctl[id] = v;
	s->sysctl_have[id] = true;
	return 0;
}

int sysctl_parse(struct snapshot *s, const char *text)
{
	return kv_parse(s, "sysctl", text, sysctl_line, NULL);
}

/* ---- live collectors ---- */

/* ROOT + the formatted path; -ENAMETOOLONG if it does not fit. */
static int root_path(char *buf, size_t size, const char *root,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int root_path(char *buf, size_t size, const char *root,
		     const char *fmt, ...)
{
	size_t n = strlen(root ? root : "");
	va_list ap;
	int len;

	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, root ? root : "", n);
	va_start(ap, fmt);
	len = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return len < 0 || (size_t)len >= size - n ? -ENAMETOOLONG : 0;
}

/* A device name from the command line must not walk out of sysfs. */
static bool safe_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* The first line of a small sysfs or procfs file, trailing blanks
 * dropped, with tabs turned into spaces. */
static int read_value(struct file_cache *fc, const char *path, unsigned flags,
		      char **value)
{
	char *text, *nl;
	size_t n;
	int rc = file_cache_read(fc, path, FC_ONE_VALUE | flags, &text, NULL);

	if (rc < 0)
		return rc;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		text[--n] = '\0';
	for (char *t = text; *t; t++)
		if (*t == '\t')
			*t = ' ';
	*value = text;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory that pass keep(), sorted. */
static int list_dir(const char *path, bool (*keep)(const char *name),
		    char ***names, size_t *n)
{
	DIR *dir = opendir(path);
	struct dirent *de;

	*names = NULL;
	*n = 0;
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || (keep && !keep(de->d_name)))
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* "PREFIXNAME VALUE" for every readable regular file of dir. Files that
 * refuse to be read (write-only sysctls, counters a driver does not
 * implement) are left out. */
static int collect_dir_values(struct file_cache *fc, const char *dir,
			      const char *prefix, struct strbuf *out)
{
	char path[PATH_MAX], **names, *value;
	size_t n;
	int rc = list_dir(dir, NULL, &names, &n);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		/* Recordings end up in bug reports: the RSS key stays out. */
		if (strcmp(names[i], "netdev_rss_key") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
			    (int)sizeof(path) ||
		    !is_regular(path) ||
		    read_value(fc, path, FC_SAME_FILE, &value) < 0)
			continue;
		if (*value)
			sb_printf(out, "%s%s %s\n", prefix, names[i], value);
		free(value);
	}
	free_names(names, n);
	return 0;
}

/* "admin_up N" from the hexadecimal DEV/flags (IFF_UP is bit 0). */
static void collect_admin_up(struct file_cache *fc, const char *root,
			     const char *dev, struct strbuf *out)
{
	char path[PATH_MAX], *value;
	uint64_t flags;

	if (root_path(path, sizeof(path), root, "/sys/class/net/%s/flags",
		      dev) < 0 ||
	    read_value(fc, path, FC_SAME_FILE, &value) < 0)
		return;
	if (strncmp(value, "0x", 2) == 0 &&
	    parse_u64(value + 2, strlen(value + 2), 16, &flags))
		sb_printf(out, "admin_up %u\n", (unsigned)(flags & 1));
	free(value);
}

/* "operstate X" and "carrier N" where the files can be read (carrier
 * refuses with EINVAL while the device is down). */
static void collect_link_state(struct file_cache *fc, const char *root,
			       const char *dev, struct strbuf *out)
{
	static const char *const names[] = { "operstate", "carrier" };
	char path[PATH_MAX], *value;

	collect_admin_up(fc, root, dev, out);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (root_path(path, sizeof(path), root, "/sys/class/net/%s/%s",
			      dev, names[i]) < 0 ||
		    read_value(fc, path, FC_SAME_FILE, &value) < 0)
			continue;
		if (*value && !strchr(value, ' '))
			sb_printf(out, "%s %s\n", names[i], value);
		free(value);
	}
}

int sysfs_stats_collect(struct file_cache *fc, const char *root,
			const char *dev, struct strbuf *out)
{
	char dir[PATH_MAX];
	int rc;

	if (!safe_name(dev))
		return -EINVAL;
	rc = root_path(dir, sizeof(dir), root, "/sys/class/net/%s/statistics",
		       dev);
	if (rc < 0)
		return rc;
	rc = collect_dir_values(fc, dir, "", out);
	if (rc == 0)
		collect_link_state(fc, root, dev, out);
	return rc;
}

static bool is_rx_queue(const char *name)
{
	return strncmp(name, "rx-", 3) == 0;
}

/* "parent NAME" when the device has a device link (virtual devices have
 * none), then "rx_queues N" from the queues/rx-* directories. */
int sysfs_dev_collect(const char *root, const char *dev, struct strbuf *out)
{
	char path[PATH_MAX], link[PATH_MAX], **names;
	const char *base;
	ssize_t len;
	size_t n;
	int rc;

	if (!safe_name(dev))
		return -EINVAL;
	rc = root_path(path, sizeof(path), root, "/sys/class/net/%s/queues",
		       dev);
	if (rc < 0 || (rc = list_dir(path, is_rx_queue, &names, &n)) < 0)
		return rc;
	free_names(names, n);
	rc = root_path(path, sizeof(path), root, "/sys/class/net/%s/device",
		       dev);
	if (rc < 0)
		return rc;
	len = readlink(path, link, sizeof(link) - 1);
	if (len > 0) {
		link[len] = '\0';
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (*base && !strchr(base, ' '))
			sb_printf(out, "parent %s\n", base);
	}
	sb_printf(out, "rx_queues %zu\n", n);
	return 0;
}

static bool is_node_dir(const char *name)
{
	size_t n = strlen(name);
	uint64_t v;

	return n > 4 && strncmp(name, "node", 4) == 0 &&
	       parse_u64(name + 4, n - 4, 10, &v) && v <= INT_MAX;
}

static int node_cmp(const void *a, const void *b)
{
	long x = atol(*(char *const *)a + 4), y = atol(*(char *const *)b + 4);

	return (x > y) - (x < y);
}

/* "node N CPULIST" for each node of ROOT/sys/devices/system/node, in
 * numeric order. A kernel without NUMA has no such directory: then
 * nothing is written and the host counts as one node. */
static int collect_nodes(struct file_cache *fc, const char *root,
			 struct strbuf *out)
{
	char path[PATH_MAX], **names, *value;
	size_t n;
	int rc;

	rc = root_path(path, sizeof(path), root, "/sys/devices/system/node");
	if (rc < 0)
		return rc;
	rc = list_dir(path, is_node_dir, &names, &n);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	qsort(names, n, sizeof(*names), node_cmp);
	for (size_t i = 0; i < n; i++) {
		if (root_path(path, sizeof(path), root,
			      "/sys/devices/system/node/%s/cpulist",
			      names[i]) < 0 ||
		    read_value(fc, path, 0, &value) < 0)
			continue;
		/* A memory-only node has an empty list. */
		sb_printf(out, "node %s%s%s\n", names[i] + 4,
			  *value ? " " : "", value);
		free(value);
	}
	free_names(names, n);
	return 0;
}

int numa_collect(struct file_cache *fc, const char *root, char *const *devs,
		 size_t ndevs, struct strbuf *out)
{
	char path[PATH_MAX], *value;
	int rc = collect_nodes(fc, root, out);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ndevs; i++) {
		if (!safe_name(devs[i]) ||
		    root_path(path, sizeof(path), root,
			      "/sys/class/net/%s/device/numa_node",
			      devs[i]) < 0 ||
		    read_value(fc, path, FC_SAME_FILE, &value) < 0)
			continue; /* virtual, or a bus without NUMA info */
		if (*value && !strchr(value, ' '))
			sb_printf(out, "dev %s %s\n", devs[i], value);
		free(value);
	}
	return 0;
}

/* The net.core sysctls the diagnosis reads (sysctl_keys), sorted. Only
 * these are read: the ~40 files of the directory cost three system calls
 * each on every refresh, half of a refresh's CPU time. */
static const char *const sysctl_files[] = {
	"netdev_budget", "netdev_budget_usecs", "netdev_max_backlog",
	"rmem_default", "rmem_max",
};

/* "PREFIXNAME VALUE" lines for the readable files names[0..n) of dir. */
static int collect_names(struct file_cache *fc, const char *dir,
			 const char *const *names, size_t n, const char *prefix,
			 struct strbuf *out)
{
	char path[PATH_MAX], *value;
	size_t found = 0;

	for (size_t i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
			    (int)sizeof(path) ||
		    read_value(fc, path, 0, &value) < 0)
			continue;
		found++;
		if (*value)
			sb_printf(out, "%s%s %s\n", prefix, names[i], value);
		free(value);
	}
	return found ? 0 : -ENOENT;
}

int sysctl_collect(struct file_cache *fc, const char *root, struct strbuf *out)
{
	char dir[PATH_MAX];
	int rc = root_path(dir, sizeof(dir), root, "/proc/sys/net/core");

	if (rc < 0)
		return rc;
	return collect_names(fc, dir, sysctl_files,
			     ARRAY_SIZE(sysctl_files), "net.core.", out);
}

/* The IP sysctls the ip-stage findings quote: reassembly limits and
 * rp_filter (all, and each watched device), after the net.core ones. */
int sysctl_ip_collect(struct file_cache *fc, const char *root,
		      char *const *devs, size_t ndevs, struct strbuf *out)
{
	static const char *const v4[] = { "ipfrag_high_thresh", "ipfrag_time" };
	static const char *const v6[] = { "ip6frag_high_thresh",
					  "ip6frag_time" };
	static const char *const rp[] = { "rp_filter" };
	char dir[PATH_MAX], prefix[64];
	int found = 0;

	if (root_path(dir, sizeof(dir), root, "/proc/sys/net/ipv4") == 0)
		found |= !collect_names(fc, dir, v4, 2, "net.ipv4.", out);
	if (root_path(dir, sizeof(dir), root, "/proc/sys/net/ipv6") == 0)
		found |= !collect_names(fc, dir, v6, 2, "net.ipv6.", out);
	for (size_t i = 0; i <= ndevs; i++) {
		const char *dev = i < ndevs ? devs[i] : "all";

		if (!safe_name(dev) ||
		    root_path(dir, sizeof(dir), root,
			      "/proc/sys/net/ipv4/conf/%s", dev) < 0)
			continue;
		snprintf(prefix, sizeof(prefix), "net.ipv4.conf.%s.", dev);
		found |= !collect_names(fc, dir, rp, 1, prefix, out);
	}
	return found ? 0 : -ENOENT;
}

static bool not_loopback(const char *name)
{
	return strcmp(name, "lo") != 0;
}

int sysfs_list_devices(const char *root, char ***names, size_t *n)
{
	char path[PATH_MAX];
	int rc = root_path(path, sizeof(path), root, "/sys/class/net");

	*names = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	return list_dir(path, not_loopback, names, n);
}
