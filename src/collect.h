/* Live collection: reads every source of the host into a raw snapshot. */
#ifndef DROPTOP_COLLECT_H
#define DROPTOP_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "raw.h"

struct receiver;

struct collect_config {
	const char *root;   /* prefix for /proc and /sys, "" for the host */
	char **devs;        /* devices to watch */
	size_t ndevs;
	bool use_ethtool;   /* SIOCETHTOOL (off when reading a root prefix) */
	bool use_sockdiag;  /* sock_diag for UDP sockets, else /proc/net/udp */
	bool use_netlink;   /* netdev, ethtool and rtnetlink (likewise) */
	const struct receiver *receiver; /* the built-in receiver, or NULL */
};

/* Fills r (freshly initialised) with one snapshot of every source. What
 * cannot be read becomes a note of r naming the file or device. */
void collect_live(const struct collect_config *c, struct raw_snapshot *r);

#endif
