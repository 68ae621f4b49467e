/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live collection: reads every source of the host into a raw snapshot. */
#ifndef DROPTOP_COLLECT_H
#define DROPTOP_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "raw.h"

struct receiver;
struct drop_reasons;

struct collect_config {
	const char *root;   /* prefix for /proc and /sys, "" for the host */
	char **devs;        /* devices to watch */
	size_t ndevs;
	bool follow_devices; /* devs was every device (no -i): each refresh
			      * lists /sys/class/net anew, so that devices
			      * made later are watched and vanished ones let
			      * go */
	bool use_ethtool;   /* SIOCETHTOOL (off when reading a root prefix) */
	bool use_sockdiag;  /* sock_diag for UDP sockets, else /proc/net/udp */
	bool use_netlink;   /* netdev, ethtool and rtnetlink (likewise) */
	const struct receiver *receiver; /* the built-in receiver, or NULL */
	const char *netns;  /* --netns NAME, recorded with each snapshot */
	struct drop_reasons *reasons;    /* drop_reasons_open(), or NULL */
};

/* A collector takes every refresh of a run: it keeps the descriptors,
 * sockets and ethtool names that do not change between refreshes (never
 * a figure). c must outlive it. Its sockets belong to the network
 * namespace droptop is in when it is made. */
struct collector;
/* Opens, while droptop still has its privileges, what live collection
 * cannot open after privs_drop(): the nf_tables event socket and a first
 * dump (nftables.c). The next collector_new() takes it; a failure is kept
 * as that collector's note. Call it at most once, after entering the
 * namespace. */
void collect_prepare(const char *root);
struct collector *collector_new(const struct collect_config *c);
void collector_free(struct collector *k);

/* Fills r (freshly initialised) with one snapshot of every source. What
 * cannot be read becomes a note of r naming the file or device. */
void collector_run(struct collector *k, struct raw_snapshot *r);

/* One snapshot with a collector made for it alone. */
void collect_live(const struct collect_config *c, struct raw_snapshot *r);

#endif
