/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's drop reasons (issue 14): the `drop-reasons` source, its
 * reason names, and the reason -> stage table.
 *
 * Live, a BPF program on the kfree_skb raw tracepoint counts dropped skbs
 * of the watched network namespace by (reason, family, protocol, port,
 * device); droptop prints the counts as the text source `drop-reasons`,
 * one line per key, cumulative since attach:
 *
 *   REASON FAMILY PROTOCOL PORT DEVICE COUNT
 *   overflow COUNT
 *   location FUNCTION COUNT
 *   location-overflow COUNT
 *
 * REASON is the name in the running kernel's enum skb_drop_reason minus
 * SKB_DROP_REASON_ (or SKB_), SUBSYS:NAME for a subsystem's reason, or a
 * decimal when the kernel names none. FAMILY is ipv4, ipv6 or -; PROTOCOL
 * udp, tcp, a decimal or -; PORT a decimal or -; DEVICE a name or -. The
 * `overflow` line counts drops not keyed because the map was full. A
 * `location` line counts the NOT_SPECIFIED drops of one kernel function
 * (from /proc/kallsyms; never an address), `location-overflow` those not
 * located because that map was full. */
#ifndef DROPTOP_DROPREASON_H
#define DROPTOP_DROPREASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "raw.h"
#include "snapshot.h"

/* dropreason.c: parses the source into s->reasons. */
int drop_reasons_parse(struct snapshot *s, const char *text);

/* dropreason.c: the stage a reason belongs to ("nic", "softirq", "ip",
 * "netfilter", "udp", "socket") or "other" for reasons off the UDP receive
 * path (TCP, ...), which never enter the waterfall. */
const char *drop_reason_stage(const char *reason, int protocol);

/* dropreason.c: "udp", "tcp", the decimal in buf, or NULL (-1 unknown). */
const char *drop_reason_protocol(int protocol, char *buf, size_t size);

/* dropreason_names.c: an enum's names and values, from BTF or a fixture. */
struct enum_entry {
	char *name;
	uint32_t value;
};

struct enum_names {
	struct enum_entry *e;
	size_t n;
	bool tried;                  /* a module's BTF was looked at */
};

struct reason_names {
	struct enum_names core;      /* enum skb_drop_reason */
	struct enum_names subsys;    /* enum skb_drop_reason_subsys */
	/* Each subsystem's own enum, by subsystem number. */
	struct enum_names *sub;
	size_t nsub;
};

void enum_names_add(struct enum_names *en, const char *name, uint32_t value);
void reason_names_free(struct reason_names *rn);
/* Writes the name of reason value v (see the format above) into buf. */
void reason_name(const struct reason_names *rn, uint32_t v, char *buf,
		 size_t size);

/* dropreason_btf.c (BPF builds): fills rn from a BTF file (NULL: the
 * running kernel's). Returns 0 or a negative errno with msg set. */
int reason_names_from_btf(struct reason_names *rn, const char *path,
			  char *msg, size_t size);

/* dropreason_btf.c (BPF builds): the first time a reason of subsystem sub
 * appears and vmlinux's BTF did not name its reasons, reads the enum from
 * the subsystem's module's split BTF, DIR/MODULE (/sys/kernel/btf), on top
 * of the base BTF at base_path (NULL: the running kernel's). Tried once per
 * subsystem; a module not loaded leaves its reasons as SUBSYS:CODE.
 * Returns 0 or a negative errno with msg set. */
int reason_names_add_module(struct reason_names *rn, uint32_t sub,
			    const char *dir, const char *base_path,
			    char *msg, size_t size);

/* dropreason_live.c: counting live. Opened once per run, before
 * privileges are dropped (loading and attaching need CAP_BPF and
 * CAP_PERFMON); counts the network namespace droptop is in when called.
 * Never NULL: without reasons it keeps why, and each collect adds that as
 * a note instead of the source. enabled false is --no-drop-reasons. */
struct drop_reasons;
struct drop_reasons *drop_reasons_open(bool enabled);
void drop_reasons_collect(struct drop_reasons *d, struct raw_snapshot *r);
void drop_reasons_close(struct drop_reasons *d);

#endif
