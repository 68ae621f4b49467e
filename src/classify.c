/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table that maps driver counter names to what they count.
 *
 * Rules are tried in order; the first match wins. A pattern is literal
 * text plus three wildcards: "%q" one or more digits giving the queue,
 * "%n" one or more digits that are not a queue (a priority, a size),
 * "*" any run of characters (possibly empty).
 *
 * The arithmetic in snapshot_finish() relies on two promises:
 * - PACKETS is additive: per queue, the sum of its PACKETS counters is the
 *   queue's received packet count. Subsets (LRO, GRO, XDP, checksum,
 *   page-pool, TPA ...) are OTHER, and so are per-cast splits wherever a
 *   total exists.
 * - DROPS counts packets lost on receive at the NIC or driver, and within
 *   each class (per queue, device level) no packet is counted twice: a
 *   breakdown of a total that is itself DROPS stays OTHER.
 * Anything not named here falls to the catch-all rules at the end: OTHER,
 * with whatever queue and direction its shape tells. */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "util.h"

enum rule_flags {
	RULE_SECTION = 1, /* only inside a vmxnet3 queue section */
	RULE_HEADER = 2,  /* opens such a section; its value is the queue */
};

struct ctr_rule {
	const char *name;      /* reported as driver_rule */
	const char *pattern;
	enum ctr_dir dir;      /* DIR_NONE in a section rule: the section's */
	enum ctr_kind kind;
	unsigned int flags;
};

#define RX DIR_RX
#define TX DIR_TX
#define NO DIR_NONE
#define PKTS KIND_PACKETS
#define BYTES KIND_BYTES
#define DROPS KIND_DROPS
#define OTHER KIND_OTHER

static const struct ctr_rule rules[] = {
	/* The section headers come first: classify_section(), called for
	 * every counter, walks only them. */
	/* vmxnet3: "Rx Queue#: N" opens a section of human-readable names.
	 * ucast+mcast+bcast are disjoint, so all three are PACKETS. "pkts rx
	 * OOB" is the device's out-of-buffer drop, "drv dropped rx total" the
	 * driver's (its indented sub-items are forced OTHER by the parser). */
	{ "vmxnet3 section", "Rx Queue#", RX, OTHER, RULE_HEADER },
	{ "vmxnet3 section", "Tx Queue#", TX, OTHER, RULE_HEADER },
	{ "vmxnet3 cast packets", "ucast pkts rx", RX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast packets", "mcast pkts rx", RX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast packets", "bcast pkts rx", RX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast bytes", "ucast bytes rx", RX, BYTES, RULE_SECTION },
	{ "vmxnet3 cast bytes", "mcast bytes rx", RX, BYTES, RULE_SECTION },
	{ "vmxnet3 cast bytes", "bcast bytes rx", RX, BYTES, RULE_SECTION },
	{ "vmxnet3 out of buffer", "pkts rx OOB", RX, DROPS, RULE_SECTION },
	{ "vmxnet3 driver drops", "drv dropped rx total", RX, DROPS,
	  RULE_SECTION },
	{ "vmxnet3 cast packets", "ucast pkts tx", TX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast packets", "mcast pkts tx", TX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast packets", "bcast pkts tx", TX, PKTS, RULE_SECTION },
	{ "vmxnet3 cast bytes", "ucast bytes tx", TX, BYTES, RULE_SECTION },
	{ "vmxnet3 cast bytes", "mcast bytes tx", TX, BYTES, RULE_SECTION },
	{ "vmxnet3 cast bytes", "bcast bytes tx", TX, BYTES, RULE_SECTION },
	{ "vmxnet3 queue other", "*", NO, OTHER, RULE_SECTION },

	/* bnxt_en, bnx2x: "[N]: name" per ring. */
	{ "bnxt/bnx2x ring packets", "[%q]: rx_ucast_packets", RX, PKTS, 0 },
	{ "bnxt/bnx2x ring packets", "[%q]: rx_mcast_packets", RX, PKTS, 0 },
	{ "bnxt/bnx2x ring packets", "[%q]: rx_bcast_packets", RX, PKTS, 0 },
	{ "bnx2x ring bytes", "[%q]: rx_bytes", RX, BYTES, 0 },
	{ "bnxt ring bytes", "[%q]: rx_ucast_bytes", RX, BYTES, 0 },
	{ "bnxt ring bytes", "[%q]: rx_mcast_bytes", RX, BYTES, 0 },
	{ "bnxt ring bytes", "[%q]: rx_bcast_bytes", RX, BYTES, 0 },
	{ "bnxt/bnx2x ring discards", "[%q]: rx_discards", RX, DROPS, 0 },
	{ "bnx2x ring skb alloc discards", "[%q]: rx_skb_alloc_discard", RX,
	  DROPS, 0 },
	{ "bnxt/bnx2x ring other", "[%q]: rx_*", RX, OTHER, 0 },
	{ "bnxt/bnx2x ring other", "[%q]: tpa_*", RX, OTHER, 0 },
	{ "bnxt/bnx2x ring packets", "[%q]: tx_ucast_packets", TX, PKTS, 0 },
	{ "bnxt/bnx2x ring packets", "[%q]: tx_mcast_packets", TX, PKTS, 0 },
	{ "bnxt/bnx2x ring packets", "[%q]: tx_bcast_packets", TX, PKTS, 0 },
	{ "bnxt/bnx2x ring bytes", "[%q]: tx_*bytes", TX, BYTES, 0 },
	{ "bnxt/bnx2x ring other", "[%q]: tx_*", TX, OTHER, 0 },
	{ "bnxt/bnx2x ring other", "[%q]: *", NO, OTHER, 0 },

	/* ixgbe, ice, igb, virtio_net before 6.10, veth. */
	{ "rx_queue_N packets", "rx_queue_%q_packets", RX, PKTS, 0 },
	{ "rx_queue_N bytes", "rx_queue_%q_bytes", RX, BYTES, 0 },
	{ "rx_queue_N drops", "rx_queue_%q_drops", RX, DROPS, 0 },
	{ "rx_queue_N other", "rx_queue_%q_*", RX, OTHER, 0 },
	{ "tx_queue_N packets", "tx_queue_%q_packets", TX, PKTS, 0 },
	{ "tx_queue_N bytes", "tx_queue_%q_bytes", TX, BYTES, 0 },
	{ "tx_queue_N other", "tx_queue_%q_*", TX, OTHER, 0 },

	/* mlx5 channels, virtio_net 6.10+. */
	{ "rxN packets", "rx%q_packets", RX, PKTS, 0 },
	{ "rxN bytes", "rx%q_bytes", RX, BYTES, 0 },
	{ "virtio_net rxN drops", "rx%q_drops", RX, DROPS, 0 },
	{ "mlx5 rxN oversize sw drops", "rx%q_oversize_pkts_sw_drop", RX,
	  DROPS, 0 },
	{ "rxN other", "rx%q_*", RX, OTHER, 0 },
	{ "txN packets", "tx%q_packets", TX, PKTS, 0 },
	{ "txN bytes", "tx%q_bytes", TX, BYTES, 0 },
	{ "txN other", "tx%q_*", TX, OTHER, 0 },
	{ "mlx5 chN other", "ch%q_*", NO, OTHER, 0 },

	/* i40e (old rx-N.rx_packets, new rx-N.packets), sfc. */
	{ "rx-N packets", "rx-%q.rx_packets", RX, PKTS, 0 },
	{ "rx-N packets", "rx-%q.packets", RX, PKTS, 0 },
	{ "rx-N bytes", "rx-%q.rx_bytes", RX, BYTES, 0 },
	{ "rx-N bytes", "rx-%q.bytes", RX, BYTES, 0 },
	{ "rx-N other", "rx-%q.*", RX, OTHER, 0 },
	{ "sfc xdp tx queue", "tx-xdp-cpu-%q.*", TX, OTHER, 0 },
	{ "tx-N packets", "tx-%q.tx_packets", TX, PKTS, 0 },
	{ "tx-N packets", "tx-%q.packets", TX, PKTS, 0 },
	{ "tx-N bytes", "tx-%q.tx_bytes", TX, BYTES, 0 },
	{ "tx-N bytes", "tx-%q.bytes", TX, BYTES, 0 },
	{ "tx-N other", "tx-%q.*", TX, OTHER, 0 },

	/* ena. */
	{ "ena queue packets", "queue_%q_rx_cnt", RX, PKTS, 0 },
	{ "ena queue bytes", "queue_%q_rx_bytes", RX, BYTES, 0 },
	{ "ena queue other", "queue_%q_rx_*", RX, OTHER, 0 },
	{ "ena queue packets", "queue_%q_tx_cnt", TX, PKTS, 0 },
	{ "ena queue bytes", "queue_%q_tx_bytes", TX, BYTES, 0 },
	{ "ena queue other", "queue_%q_tx_*", TX, OTHER, 0 },
	/* "queued or dropped" by the cloud's shaper: not a drop count. */
	{ "ena allowance exceeded", "*_allowance_exceeded", NO, OTHER, 0 },

	/* gve: "name[N]". No per-queue packet counter (descriptors are not
	 * packets). rx_dropped_pkt is the driver's, rx_queue_drop_cnt the
	 * NIC's per-queue total; the NIC's reasons beside it are OTHER. */
	{ "gve queue driver drops", "rx_dropped_pkt[%q]", RX, DROPS, 0 },
	{ "gve queue NIC drops", "rx_queue_drop_cnt[%q]", RX, DROPS, 0 },
	{ "gve queue bytes", "rx_bytes[%q]", RX, BYTES, 0 },
	{ "gve queue other", "rx_*[%q]", RX, OTHER, 0 },
	{ "gve queue bytes", "tx_bytes[%q]", TX, BYTES, 0 },
	{ "gve queue other", "tx_*[%q]", TX, OTHER, 0 },
	{ "gve queue other", "*[%q]", NO, OTHER, 0 },

	/* Device-level drops, each a distinct place where packets die. */
	{ "mlx5 out of buffer", "rx_out_of_buffer", RX, DROPS, 0 },
	{ "mlx5 port discards", "rx_discards_phy", RX, DROPS, 0 },
	{ "mlx5 oversize sw drops", "rx_oversize_pkts_sw_drop", RX, DROPS, 0 },
	{ "mlx5 received while down", "rx_if_down_packets", RX, DROPS, 0 },
	{ "mlx5 per-priority (part of rx_discards_phy)", "rx_prio%n_discards",
	  RX, OTHER, 0 },
	{ "ixgbe no DMA resources", "rx_no_dma_resources", RX, DROPS, 0 },
	{ "missed (no buffer space)", "rx_missed_errors", RX, DROPS, 0 },
	{ "fifo errors", "rx_fifo_errors", RX, DROPS, 0 },
	{ "over errors", "rx_over_errors", RX, DROPS, 0 },
	{ "sfc no descriptor", "port_rx_nodesc_drops", RX, DROPS, 0 },
	{ "sfc port overflow", "port_rx_overflow", RX, DROPS, 0 },
	{ "sfc truncated (no descriptor)", "rx_nodesc_trunc", RX, DROPS, 0 },
	{ "sfc no skb", "rx_noskb_drops", RX, DROPS, 0 },
	{ "sfc (old) no descriptor", "rx_nodesc_drop_cnt", RX, DROPS, 0 },
	{ "i40e port dropped", "port.rx_dropped", RX, DROPS, 0 },
	{ "ice port dropped", "rx_dropped.nic", RX, DROPS, 0 },
	{ "dropped", "rx_dropped", RX, DROPS, 0 },
	{ "virtio_net drops", "rx_drops", RX, DROPS, 0 },
	{ "bnx2x discards", "rx_discards", RX, DROPS, 0 },
	{ "bnx2x skb alloc discards", "rx_skb_alloc_discard", RX, DROPS, 0 },
	{ "bnx2x buffer block discards", "rx_brb_discard", RX, DROPS, 0 },
	{ "bnxt ring discards", "rx_total_ring_discards", RX, DROPS, 0 },
	{ "bnxt out-of-memory discards", "rx_total_oom_discards", RX, DROPS,
	  0 },
	{ "bnxt netpoll discards", "rx_total_netpoll_discards", RX, DROPS, 0 },
	{ "bnxt port discards", "rx_stat_discard", RX, DROPS, 0 },

	/* Device-level totals: one additive total per driver. */
	{ "device packets", "rx_packets", RX, PKTS, 0 },
	{ "device bytes", "rx_bytes", RX, BYTES, 0 },
	{ "bnx2x device packets", "rx_ucast_packets", RX, PKTS, 0 },
	{ "bnx2x device packets", "rx_mcast_packets", RX, PKTS, 0 },
	{ "bnx2x device packets", "rx_bcast_packets", RX, PKTS, 0 },
	{ "device packets", "tx_packets", TX, PKTS, 0 },
	{ "device bytes", "tx_bytes", TX, BYTES, 0 },

	/* Named here only to record why they are not drops. */
	{ "no-buffer events (not drops)", "rx_no_buffer_count", RX, OTHER, 0 },
	{ "ixgbe flow director miss (not drops)", "fdir_miss", RX, OTHER, 0 },
	{ "mlx5 steering miss (filtered)", "rx_steer_missed_packets", RX, OTHER,
	  0 },

	/* Catch-alls: unknown names keep the direction their shape tells. */
	{ "unknown rx", "rx_*", RX, OTHER, 0 },
	{ "unknown rx", "rx-*", RX, OTHER, 0 },
	{ "unknown rx", "port.rx_*", RX, OTHER, 0 },
	{ "unknown rx", "port_rx_*", RX, OTHER, 0 },
	{ "unknown tx", "tx_*", TX, OTHER, 0 },
	{ "unknown tx", "tx-*", TX, OTHER, 0 },
	{ "unknown tx", "port.tx_*", TX, OTHER, 0 },
	{ "unknown tx", "port_tx_*", TX, OTHER, 0 },
};

/* Reads one or more digits at *s; false if none or the number is out of
 * the queue range snapshot_finish() accepts. */
static bool match_digits(const char **s, int *out)
{
	long v = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p - '0');
		if (v > 65535)
			return false;
		p++;
	}
	*s = p;
	*out = (int)v;
	return true;
}

static bool match(const char *p, const char *s, int *queue);

/* Whether some tail of s matches p, the pattern after a '*'. Tails are
 * tried from the longest, as a walk over every one would, but when p
 * begins with a literal byte only the tails beginning with it: strchr
 * finds them without a compare per byte of the name. */
static bool match_star(const char *p, const char *s, int *queue)
{
	if (!*p)
		return true; /* a trailing '*' takes the rest */
	if (*p != '*' && *p != '%') {
		for (const char *t = strchr(s, *p); t; t = strchr(t + 1, *p))
			if (match(p, t, queue))
				return true;
		return false;
	}
	for (const char *t = s;; t++) {
		if (match(p, t, queue))
			return true;
		if (!*t)
			return false;
	}
}

/* Whole-name match of s against pattern p; sets *queue on "%q". */
static bool match(const char *p, const char *s, int *queue)
{
	int v;

	for (; *p; p++) {
		if (*p == '*')
			return match_star(p + 1, s, queue);
		if (p[0] == '%' && (p[1] == 'q' || p[1] == 'n')) {
			if (!match_digits(&s, &v))
				return false;
			if (p[1] == 'q')
				*queue = v;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		s++;
	}
	return *s == '\0';
}

/* A rule can match a name only if its first character is the name's, or
 * is a wildcard. */
static bool may_match(const char *pattern, const char *name)
{
	return pattern[0] == '*' || pattern[0] == '%' || pattern[0] == name[0];
}

/* A section header may appear anywhere; inside a section only the section
 * rules apply, outside it only the others. */
static bool rule_applies(const struct ctr_rule *r, enum ctr_dir section_dir)
{
	if (r->flags & RULE_HEADER)
		return true;
	return (section_dir != DIR_NONE) == ((r->flags & RULE_SECTION) != 0);
}

/* The class rule r gives a name it matched, whose "%q" was queue. */
static void rule_set_class(const struct ctr_rule *r, int queue,
			   int section_queue, enum ctr_dir section_dir,
			   struct counter_class *c)
{
	c->dir = r->dir;
	c->queue = queue;
	c->kind = r->kind;
	c->driver_rule = r->name;
	if (r->flags & (RULE_SECTION | RULE_HEADER)) {
		c->queue = section_queue;
		if (c->dir == DIR_NONE)
			c->dir = section_dir;
	}
}

/* Whether rule r classifies name; if so, *c is its class. */
static bool rule_class(const struct ctr_rule *r, const char *name,
		       int section_queue, enum ctr_dir section_dir,
		       struct counter_class *c)
{
	int queue = -1;

	if (!match(r->pattern, name, &queue))
		return false;
	rule_set_class(r, queue, section_queue, section_dir, c);
	return true;
}

static const struct counter_class no_class = { DIR_NONE, -1, KIND_OTHER, "" };

struct counter_class classify_counter_walk(const char *name,
					   int section_queue,
					   enum ctr_dir section_dir)
{
	struct counter_class c = no_class;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rule_applies(&rules[i], section_dir) &&
		    may_match(rules[i].pattern, name) &&
		    rule_class(&rules[i], name, section_queue, section_dir, &c))
			break;
	return c;
}

/* The rules that may match a name, found by walking the literal bytes its
 * beginning shares with the rules: a trie of the first HEAD_MAX literal
 * bytes of every pattern (up to its first wildcard). The node a name
 * reaches lists, per context (outside or inside a section) and in table
 * order, the rules whose literal beginning is that of the name so far;
 * match() then starts after the bytes the walk checked. A name costs a
 * few compares per byte walked and one match() per candidate left, not a
 * test of every rule that shares its first byte (each test compares,
 * every one a coverage callback in the fuzzer; mlx5 has 700 counters).
 * Built once, on first use. */
#define HEAD_MAX 8
#define MAX_NODES (1 + HEAD_MAX * ARRAY_SIZE(rules))
/* Candidates of all nodes in both contexts; the table needs ~2,000. */
#define MAX_CANDS 8192
/* Distinct bytes in the heads, plus one for the others (NUL among
 * them); the table has 30. */
#define HEAD_CLASSES 64
/* Distinct last bytes of the patterns' literal ends, plus one for the
 * others; the table has 13. */
#define LAST_CLASSES 16
_Static_assert(ARRAY_SIZE(rules) < 256, "rule numbers fit a byte");
_Static_assert(MAX_NODES < 65536 && MAX_CANDS < 65536,
	       "node and candidate numbers fit a short");

struct rule_index {
	/* By the class of the next byte: rows of 256 shorts spread the
	 * walk over four times the cache lines. */
	unsigned short child[MAX_NODES][HEAD_CLASSES]; /* 0: none (0 is the root) */
	unsigned char head_class[256];   /* 0: in no head */
	unsigned nhead_classes;
	unsigned short parent[MAX_NODES];
	unsigned short first[MAX_NODES][2];    /* its candidates in cands[] */
	unsigned char ncand[MAX_NODES][2];
	unsigned char cands[MAX_CANDS];
	unsigned char head_len[ARRAY_SIZE(rules)];
	unsigned short head_node[ARRAY_SIZE(rules)];
	uint64_t tail[ARRAY_SIZE(rules)];      /* see tail_word() */
	uint64_t tail_mask[ARRAY_SIZE(rules)];
	size_t nodes;
	bool header_first[256];  /* a section header may begin with it */
	/* Which of a node's candidates can match a name by the name's last
	 * byte: bit i for cands[first + i]. A byte no pattern ends with is
	 * class 0, which only patterns ending in a wildcard can match. */
	unsigned char last_class[256];
	unsigned nclasses;
	uint32_t by_last[MAX_NODES][2][LAST_CLASSES];
};

static struct rule_index rule_index;
static pthread_once_t rule_index_once = PTHREAD_ONCE_INIT;

/* The literal bytes a rule's pattern begins with, at most HEAD_MAX: the
 * bytes the trie checks for it. */
static size_t rule_head_len(size_t r)
{
	size_t lit = strcspn(rules[r].pattern, "*%");

	return lit < HEAD_MAX ? lit : HEAD_MAX;
}

/* The last n (at most 8) bytes of s, which is len bytes long, as the
 * high bytes of a word, the low ones zero: the same way for a pattern's
 * literal end and a name, so that a name that does not end as the
 * pattern gives a different word. A name shorter than n has zeros where
 * the pattern has bytes (none is NUL). */
static uint64_t tail_word(const char *s, size_t len, size_t n)
{
	unsigned char b[8] = { 0 };
	uint64_t w;

	if (n > len)
		n = len;
	memcpy(b + 8 - n, s + len - n, n);
	memcpy(&w, b, 8);
	return w;
}

/* A name can match rule r only if it ends with the literal bytes after
 * the pattern's last wildcard: their last 8 at most, as a word and which
 * bytes of it count. */
static void rule_tail(size_t r)
{
	const char *p = rules[r].pattern;
	size_t len = strlen(p), lit = 0;

	while (lit < len && lit < 8 && !strchr("*%", p[len - lit - 1]))
		lit++;
	/* "%q" and "%n" end in a letter that is not literal. */
	if (lit < len && p[len - lit - 1] == '%')
		lit--;
	rule_index.tail[r] = tail_word(p, len, lit);
	rule_index.tail_mask[r] = tail_word("\xff\xff\xff\xff\xff\xff\xff\xff",
					    8, lit);
}

/* Adds the head of rule r to the trie; returns the node it ends at. */
static unsigned short trie_add(size_t r)
{
	const unsigned char *p = (const unsigned char *)rules[r].pattern;
	size_t n = rule_head_len(r);
	unsigned short node = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned short *next;

		if (!rule_index.head_class[p[i]]) {
			if (rule_index.nhead_classes + 1 >= HEAD_CLASSES)
				abort(); /* the table outgrew the index */
			rule_index.head_class[p[i]] =
				(unsigned char)++rule_index.nhead_classes;
		}
		next = &rule_index.child[node][rule_index.head_class[p[i]]];

		if (!*next) {
			rule_index.parent[rule_index.nodes] = node;
			*next = (unsigned short)rule_index.nodes++;
		}
		node = *next;
	}
	return node;
}

/* Whether node a is node b or lies on the way from the root to it. */
static bool node_on_path(unsigned short a, unsigned short b)
{
	while (a != b && b != 0)
		b = rule_index.parent[b];
	return a == b;
}

static size_t node_cands(unsigned short node, int in_section, size_t n)
{
	enum ctr_dir dir = in_section ? DIR_RX : DIR_NONE;

	rule_index.first[node][in_section] = (unsigned short)n;
	for (size_t r = 0; r < ARRAY_SIZE(rules); r++)
		if (rule_applies(&rules[r], dir) &&
		    node_on_path(rule_index.head_node[r], node)) {
			if (n >= MAX_CANDS)
				abort(); /* the table outgrew the index */
			rule_index.cands[n++] = (unsigned char)r;
		}
	rule_index.ncand[node][in_section] =
		(unsigned char)(n - rule_index.first[node][in_section]);
	return n;
}

/* The class of the last byte of rule r's literal end, 0 if it has none. */
static unsigned rule_last_class(size_t r)
{
	unsigned char b = (unsigned char)(rule_index.tail[r] >> 56);

	if (!rule_index.tail_mask[r])
		return 0;
	if (!rule_index.last_class[b]) {
		if (rule_index.nclasses + 1 >= LAST_CLASSES)
			abort(); /* the table outgrew the index */
		rule_index.last_class[b] = (unsigned char)++rule_index.nclasses;
	}
	return rule_index.last_class[b];
}

/* Fills by_last[node][sec] from the node's candidate list. */
static void node_by_last(size_t node, int sec)
{
	const unsigned char *cand = rule_index.cands + rule_index.first[node][sec];
	size_t n = rule_index.ncand[node][sec];

	if (n > 32)
		abort(); /* a bit per candidate */
	for (size_t i = 0; i < n; i++) {
		unsigned cls = rule_last_class(cand[i]);

		for (unsigned c = 0; c < LAST_CLASSES; c++)
			if (cls == 0 || cls == c)
				rule_index.by_last[node][sec][c] |=
					(uint32_t)1 << i;
	}
}

static void rule_index_build(void)
{
	size_t n = 0;

	rule_index.nodes = 1;
	for (size_t r = 0; r < ARRAY_SIZE(rules); r++) {
		const char *p = rules[r].pattern;

		if (!(rules[r].flags & RULE_HEADER))
			continue;
		if (p[0] == '*' || p[0] == '%')
			memset(rule_index.header_first, 1,
			       sizeof(rule_index.header_first));
		else
			rule_index.header_first[(unsigned char)p[0]] = true;
	}
	for (size_t r = 0; r < ARRAY_SIZE(rules); r++) {
		rule_index.head_len[r] = (unsigned char)rule_head_len(r);
		rule_index.head_node[r] = trie_add(r);
		rule_tail(r);
	}
	for (size_t node = 0; node < rule_index.nodes; node++)
		for (int sec = 0; sec < 2; sec++)
			n = node_cands((unsigned short)node, sec, n);
	for (size_t r = 0; r < ARRAY_SIZE(rules); r++)
		rule_last_class(r);
	for (size_t node = 0; node < rule_index.nodes; node++)
		for (int sec = 0; sec < 2; sec++)
			node_by_last(node, sec);
}

/* The deepest node the name's first bytes lead to. A NUL has no child
 * (heads hold none), nor has a node HEAD_MAX deep: one compare a byte. */
static unsigned short trie_walk(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	unsigned short node = 0, next;

	while ((next = rule_index.child[node][rule_index.head_class[*s++]]))
		node = next;
	return node;
}

/* Whether rule r matches a name whose first head_len bytes the trie
 * matched with the rule's: match() goes on from there. */
static bool cand_matches(size_t r, const char *name, int *queue)
{
	size_t skip = rule_index.head_len[r];

	return match(rules[r].pattern + skip, name + skip, queue);
}

/* The first rule, in table order, that matches name (len bytes) in the
 * context sec (1: in a section); *queue is its "%q". NO_RULE if none. */
#define NO_RULE 0xff
_Static_assert(ARRAY_SIZE(rules) < NO_RULE, "NO_RULE is no rule");

static unsigned rule_for(const char *name, size_t len, int sec, int *queue)
{
	uint64_t tail = tail_word(name, len, 8);
	unsigned char last = (unsigned char)(tail >> 56);
	unsigned short node;
	const unsigned char *cand;
	uint32_t m;

	pthread_once(&rule_index_once, rule_index_build);
	node = trie_walk(name);
	cand = rule_index.cands + rule_index.first[node][sec];
	/* Only the candidates that may end as the name does, in order. */
	m = rule_index.by_last[node][sec][rule_index.last_class[last]];
	while (m) {
		size_t r = cand[__builtin_ctz(m)];

		m &= m - 1;
		*queue = -1;
		if ((tail & rule_index.tail_mask[r]) == rule_index.tail[r] &&
		    cand_matches(r, name, queue))
			return (unsigned)r;
	}
	return NO_RULE;
}

/* ---- the classification cache ----
 *
 * Which rule classifies a name, and the queue its "%q" read, depend on
 * the name and on whether it lies in a section only (the section's queue
 * and direction are applied after, by rule_set_class()). The live
 * collector classifies the same names every interval, and a parse of a
 * capture that grew (the fuzz harness parses half an input, then all of
 * it) classifies the old names again: a table remembers the answers, so
 * that a name seen before costs a hash and a compare of five words per
 * slot looked at, not the trie walk and match() calls.
 *
 * Bound: 1 << CACHE_BITS_DEFAULT slots of 48 bytes (192 KiB) per thread that
 * classifies, allocated at its first name and never grown. A name has a
 * set of two slots; a new one takes the first and moves the first to the
 * second, dropping what was there, so no input grows the table (two ways,
 * not one: two names that share a set both stay). Names longer
 * than CACHE_NAME_MAX (none that a driver prints) are not kept. A miss
 * costs what an uncached classification does plus two compares and a
 * store. Per thread, so that no lock is needed: only the main thread
 * parses today, and a thread that did too would get its own table (not
 * freed when it ends: the main thread's lasts as long as the process). */
#define CACHE_WORDS 4
#define CACHE_NAME_MAX (8 * CACHE_WORDS)
#define CACHE_BITS_DEFAULT 12   /* 4096 slots, 2048 sets */

struct cache_slot {
	uint64_t name[CACHE_WORDS]; /* the name, zero-padded */
	uint64_t meta;              /* see cache_meta(); 0: empty */
	int32_t queue;              /* what the rule's "%q" read, or -1 */
	unsigned char rule;         /* rules[] index, NO_RULE for none */
};

_Static_assert(sizeof(struct cache_slot) == 48, "the bound above");

struct class_cache {
	struct cache_slot *slots;   /* sets of two */
	unsigned bits;              /* 1 << bits slots */
	bool off;                   /* classify_cache_size(0) */
};

static _Thread_local struct class_cache cache;

/* The length and context of a cached name. Never 0: a name is cached
 * only if it has 1 to CACHE_NAME_MAX bytes. */
static uint64_t cache_meta(size_t len, int sec)
{
	return (uint64_t)len | (uint64_t)sec << 8;
}

/* The set of a key among 1 << set_bits: multiplying by odd constants
 * spreads every byte of a word up to the high bits, which pick the set,
 * with no compare per byte. */
static size_t cache_set_of(const uint64_t *w, uint64_t meta,
			   unsigned set_bits)
{
	uint64_t h = w[0] * 0x9e3779b97f4a7c15u + w[1] * 0xc2b2ae3d27d4eb4fu +
		     w[2] * 0x165667b19e3779f9u + w[3] * 0x27d4eb2f165667c5u +
		     meta;

	if (set_bits == 0)
		return 0;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdu;
	return (size_t)(h >> (64 - set_bits));
}

void classify_cache_size(unsigned bits)
{
	free(cache.slots);
	cache.slots = NULL;
	cache.off = bits == 0;
	cache.bits = bits > 20 ? 20 : bits;
}

/* The set (two slots) for a name of len bytes in context sec, its key
 * in w and *meta; NULL if the name is not cached or there is no table. */
static struct cache_slot *cache_set(const char *name, size_t len, int sec,
				    uint64_t *w, uint64_t *meta)
{
	if (len == 0 || len > CACHE_NAME_MAX)
		return NULL;
	if (!cache.slots) {
		if (cache.off)
			return NULL;
		if (!cache.bits)
			cache.bits = CACHE_BITS_DEFAULT;
		cache.slots = xcalloc((size_t)1 << cache.bits,
				      sizeof(*cache.slots));
	}
	memset(w, 0, CACHE_NAME_MAX);
	memcpy(w, name, len);
	*meta = cache_meta(len, sec);
	return &cache.slots[2 * cache_set_of(w, *meta, cache.bits - 1)];
}

/* Whether slot holds the key w, meta: one compare for the five words. */
static bool cache_hit(const struct cache_slot *slot, const uint64_t *w,
		      uint64_t meta)
{
	return ((slot->name[0] ^ w[0]) | (slot->name[1] ^ w[1]) |
		(slot->name[2] ^ w[2]) | (slot->name[3] ^ w[3]) |
		(slot->meta ^ meta)) == 0;
}

/* The slot of set that holds the key, or NULL. */
static const struct cache_slot *cache_find(const struct cache_slot *set,
					   const uint64_t *w, uint64_t meta)
{
	if (cache_hit(&set[0], w, meta))
		return &set[0];
	if (cache_hit(&set[1], w, meta))
		return &set[1];
	return NULL;
}

static void cache_store(struct cache_slot *set, const uint64_t *w,
			uint64_t meta, unsigned rule, int queue)
{
	set[1] = set[0];
	memcpy(set[0].name, w, sizeof(set[0].name));
	set[0].meta = meta;
	set[0].queue = queue;
	set[0].rule = (unsigned char)rule;
}

struct counter_class classify_counter(const char *name, int section_queue,
				      enum ctr_dir section_dir)
{
	struct counter_class c = no_class;
	int sec = section_dir != DIR_NONE, queue = -1;
	size_t len = strlen(name);
	uint64_t w[CACHE_WORDS], meta;
	struct cache_slot *set = cache_set(name, len, sec, w, &meta);
	const struct cache_slot *hit = set ? cache_find(set, w, meta) : NULL;
	unsigned r;

	if (hit) {
		r = hit->rule;
		queue = hit->queue;
	} else {
		r = rule_for(name, len, sec, &queue);
		if (set)
			cache_store(set, w, meta, r, queue);
	}
	if (r != NO_RULE)
		rule_set_class(&rules[r], queue, section_queue, section_dir,
			       &c);
	return c;
}

bool classify_section(const char *name, enum ctr_dir *dir)
{
	int unused;

	/* Called for every counter: most begin as no header does. */
	pthread_once(&rule_index_once, rule_index_build);
	if (!rule_index.header_first[(unsigned char)name[0]])
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(rules) &&
			   (rules[i].flags & RULE_HEADER); i++) {
		if (may_match(rules[i].pattern, name) &&
		    match(rules[i].pattern, name, &unused)) {
			*dir = rules[i].dir;
			return true;
		}
	}
	return false;
}

const char *ctr_kind_name(enum ctr_kind k)
{
	static const char *const names[] = { "other", "packets", "bytes",
					     "drops" };
	return names[k];
}

const char *ctr_dir_name(enum ctr_dir d)
{
	static const char *const names[] = { "none", "rx", "tx" };
	return names[d];
}
