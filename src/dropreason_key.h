/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key of the drop-reason map, shared by the BPF program and droptop.
 * Fixed-size fields only, padding explicit, so both compilers agree. */
#ifndef DROPTOP_DROPREASON_KEY_H
#define DROPTOP_DROPREASON_KEY_H

#include <linux/types.h>

/* Keys the program keeps; drops of further keys are only counted. */
#define DROPREASON_MAX_KEYS 4096
/* Locations of NOT_SPECIFIED drops the program keeps (kfree_skb() calls
 * without a reason: a few dozen in a kernel's networking code). */
#define DROPREASON_MAX_LOCATIONS 256

struct dropreason_key {
	__u32 reason;   /* enum skb_drop_reason, subsystem in the top 16 bits */
	__u16 family;   /* AF_INET, AF_INET6, 0 unknown */
	__u8 protocol;  /* IPPROTO_*, 0 unknown */
	__u8 pad;
	__u16 port;     /* UDP/TCP destination port, host order; 0 unknown */
	__u16 pad2;
	__u32 ifindex;  /* device, 0 unknown */
};

#endif
