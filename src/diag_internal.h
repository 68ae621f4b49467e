/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The steps of the diagnosis (diag_notes.c, diag_rows.c, diag_stages.c,
 * diag_hints.c, diag_findings.c, diag_sockets.c, diag_receiver.c) as diagnose()
 * in diag_run.c calls them, and what one step takes from another.
 * Everything here is a pure function of the two snapshots and the
 * diagnosis being filled; the helpers all of them use are in
 * diag_common.h. */
#ifndef DROPTOP_DIAG_INTERNAL_H
#define DROPTOP_DIAG_INTERNAL_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#include "diag_common.h"

#define NIC_CANDS 5

/* NIC loss of one device between two snapshots: the largest of the
 * candidate counters that describe the same drops (see diag_stages.c). */
struct nic_loss {
	bool rx_known;          /* sysfs rx_packets delta */
	uint64_t rx;
	bool known;             /* at least one candidate known */
	uint64_t loss;
	const char *source;     /* the candidate used, NULL when unknown */
	int source_idx;         /* its index, -1 when unknown */
	/* candidates: 0 sysfs, 1 device-level driver, 2 per-queue (driver
	 * or qstats), 3 qstats device rx-hw-drops + rx-alloc-fail, 4 ethtool
	 * eth-mac FramesLostDueToIntMACRcvError */
	bool cand_present[NIC_CANDS]; /* the counters exist in either snapshot */
	bool cand_known[NIC_CANDS];
	uint64_t cand[NIC_CANDS];
	bool sys_present[3];    /* rx_missed_errors, rx_fifo_errors, */
	bool sys_known[3];      /* rx_over_errors one by one */
	uint64_t sys[3];
};

/* diag_notes.c and diag_rows.c: driver counter names sorted to be looked
 * up. A name's first 16 bytes (zeros after its end) as two big-endian
 * words decide most compares with two word compares; strcmp, which the
 * fuzzer hooks (a callback per call), runs only past 16 shared bytes.
 * The order is strcmp's, so a sort and a search give what they gave with
 * strcmp, duplicate names included. */
struct name_key {
	uint64_t w[2];
	const char *name;
	const void *item;       /* what the name belongs to */
};

static inline struct name_key name_key(const char *name, const void *item)
{
	unsigned char b[16] = { 0 };
	struct name_key k;

	memcpy(b, name, strnlen(name, sizeof(b)));
	memcpy(k.w, b, sizeof(b));
	k.w[0] = be64toh(k.w[0]);
	k.w[1] = be64toh(k.w[1]);
	k.name = name;
	k.item = item;
	return k;
}

/* strcmp's sign for the two names, for qsort and bsearch. */
static inline int name_key_cmp(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;

	if (x->w[0] != y->w[0])
		return x->w[0] < y->w[0] ? -1 : 1;
	if (x->w[1] != y->w[1])
		return x->w[1] < y->w[1] ? -1 : 1;
	/* Byte 15 is not NUL in either: both go on past 16 bytes. Else
	 * one ended within them, where the other has the same NUL. */
	if (x->w[1] & 0xff)
		return strcmp(x->name + 16, y->name + 16);
	return 0;
}

/* diag_stages.c: the waterfall; diag_rows.c takes the NIC loss too. */
void diag_nic_loss(const struct device *p, const struct device *c,
		   struct nic_loss *out);
void diag_stages(struct diag_ctx *x, struct diagnosis *d);

/* diag_sockets.c: socket sources, REUSEPORT groups and their finding. */
void diag_socket_groups(const struct diag_ctx *x, struct diagnosis *d);
void diag_find_reuseport_imbalance(const struct diag_ctx *x,
				   struct diagnosis *d);
/* "127.0.0.1:53" or "[::]:53", as ss prints them. */
void diag_endpoint_put(struct strbuf *sb, const struct socket_row *r);
/* " pid 812 (named)" when the owner is known, else nothing. */
void diag_owner_put(struct strbuf *sb, const struct socket_row *r);
/* diag_receiver.c: the built-in receiver. diag_receiver_packets adds its
 * packets over the interval to in and returns true when both snapshots
 * have it running. */
bool diag_receiver_packets(const struct diag_ctx *x, struct acc *in);
void diag_receiver_rows(const struct diag_ctx *x, struct diagnosis *d);
void diag_receiver_findings(const struct diag_ctx *x, struct diagnosis *d);

/* diag_findings_ip.c: rp-filter and reassembly-fail. */
void diag_ip_findings(const struct diag_ctx *x, struct diagnosis *d);
/* diag_link.c: whether a device with this operstate ("" unknown) and
 * carrier (1, 0, -1 unknown) passes traffic: LINK_UP, LINK_DOWN (down,
 * no carrier) or LINK_UNKNOWN. */
enum link_state diag_link_up(const char *operstate, int carrier);
void diag_link_row_fill(const struct device *c, struct device_row *r);
/* "set down, operstate down, no carrier" (what is known of it). */
void diag_link_state_put(struct strbuf *sb, const struct device_row *r);
/* What to do about a device that is down: "ip link set DEV up", or the
 * cable and the peer. */
void diag_link_fix_put(struct strbuf *sb, const struct device_row *r);
void diag_find_link_down(struct diagnosis *d);

/* diag_findings_nf.c: conntrack-full and netfilter-drop; the verdict's summary
 * and hint when netfilter loses the most. */
void diag_nf_findings(const struct diag_ctx *x, struct diagnosis *d);
void diag_nf_verdict(const struct diag_ctx *x, struct diagnosis *d,
		     struct strbuf *summary);

/* diag_notes.c, diag_rows.c, diag_hints.c, diag_findings.c: one step each. */
void diag_notes(const struct diag_ctx *x, struct diagnosis *d);
/* diag_notes.c, after the waterfall: ip in ahead of udp in by the host's
 * own ICMP destination-unreachable replies (loopback). */
void diag_icmp_note(const struct diag_ctx *x, struct diagnosis *d);
void diag_rows(const struct diag_ctx *x, struct diagnosis *d);
void diag_verdict(const struct diag_ctx *x, struct diagnosis *d);
void diag_findings(const struct diag_ctx *x, struct diagnosis *d);
/* diag_reasons.c: the drop reasons' rows and their stages. */
void diag_reasons(const struct diag_ctx *x, struct diagnosis *d);
/* diag_reasons.c, after the waterfall: each socket row's SOCKET_RCVBUFF
 * rate, the reasons of the ip remainder, and a note where a stage's
 * reasons and its counters disagree. */
void diag_reasons_join(const struct diag_ctx *x, struct diagnosis *d);
/* diag_reasons.c: "udp/5361: 40000 pkt/s, udp6/53: 2 pkt/s", the ports of
 * one reason (UDP rows with a port, and TCP's unless udp_only), the
 * busiest first, at most max; returns how many ports there were (0:
 * nothing written). */
size_t diag_reason_ports_put(const struct diagnosis *d, const char *reason,
			     bool udp_only, struct strbuf *sb, size_t max);

#endif
