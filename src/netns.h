/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --netns: run in another network namespace, as `ip netns exec` does. */
#ifndef DROPTOP_NETNS_H
#define DROPTOP_NETNS_H

#include <stddef.h>

/* Enters network namespace NAME (/run/netns/NAME, or a path when NAME
 * holds a '/'), then remounts /sys in a private mount namespace so that
 * /sys/class/net shows that namespace's devices. Netlink sockets and
 * /proc/net files opened afterwards belong to it; per-CPU files (/proc/stat,
 * /proc/softirqs, /proc/interrupts) are the host's anyway. Returns 0, or a
 * negative errno with a message naming the namespace in err. */
int netns_enter(const char *name, char *err, size_t errlen);

#endif
