/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The notes of a diagnosis: those of both snapshots, once each, and what
 * the rows cannot show (a device in one snapshot only, a source read in
 * one snapshot only). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"

static bool has_note(const struct diagnosis *d, const char *text)
{
	for (size_t i = 0; i < d->nnotes; i++)
		if (strcmp(d->notes[i], text) == 0)
			return true;
	return false;
}

static void add_note(struct diagnosis *d, char *text)
{
	if (has_note(d, text)) {
		free(text);
		return;
	}
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(*d->notes));
	d->notes[d->nnotes++] = text;
}

/* A set of strings (indices into strs), for the lookups below that ran
 * strcmp() against every note kept or against a sorted copy: each string
 * hashed eight bytes a step, into open addressing, and compared in full
 * only with a string of the same hash. strcmp() and a byte-wise loop are
 * a callback per call or per byte in the fuzz targets. */
struct str_set {
	const char *const *strs;
	uint64_t *hash;   /* of strs[i] */
	size_t *slot;     /* index into strs + 1; 0: empty */
	size_t mask;      /* slots - 1, slots a power of two */
};

/* FNV-1a over words, each step mixed down. */
static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ n;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = 0;

		memcpy(&w, s + i, n - i < 8 ? n - i : 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

/* Room for max strings of strs. */
static void str_set_init(struct str_set *set, const char *const *strs,
			 size_t max)
{
	size_t slots = 16;

	while (slots < 2 * max)
		slots *= 2;
	set->strs = strs;
	set->hash = xmalloc((max + 1) * sizeof(*set->hash));
	set->slot = xcalloc(slots, sizeof(*set->slot));
	set->mask = slots - 1;
}

static void str_set_free(struct str_set *set)
{
	free(set->hash);
	free(set->slot);
}

/* Whether a string equal to s (of hash h) is in the set; *k is then its
 * slot, or else the empty slot where s goes (str_set_put). */
static bool str_set_has(const struct str_set *set, const char *s,
			uint64_t h, size_t *k)
{
	for (*k = h & set->mask; set->slot[*k]; *k = (*k + 1) & set->mask) {
		size_t j = set->slot[*k] - 1;

		if (set->hash[j] == h && strcmp(set->strs[j], s) == 0)
			return true;
	}
	return false;
}

/* strs[i], of hash h, in the empty slot k that str_set_has() found. */
static void str_set_put(struct str_set *set, size_t k, size_t i, uint64_t h)
{
	set->slot[k] = i + 1;
	set->hash[i] = h;
}

/* The notes of both snapshots, each once. A recording's parser notes a
 * malformed line at a time, hundreds for a hostile file, and the first
 * snapshot's come again in the second: comparing each with every note
 * kept was a fifteenth of a fuzz input's time. The notes array is sized
 * once, and a note copied only when kept.
 *
 * Keeps text unless an equal note is kept already, d->notes having room
 * (diag_notes() sized it): owned when given (freed if not kept), else a
 * copy of text. */
static void add_note_once(struct diagnosis *d, struct str_set *set,
			  const char *text, char *owned)
{
	size_t len = strlen(text), k;
	uint64_t h = str_hash(text, len);

	if (str_set_has(set, text, h, &k)) {
		free(owned);
		return;
	}
	str_set_put(set, k, d->nnotes, h);
	d->notes[d->nnotes++] = owned ? owned : xstrndup(text, len);
}

/* Devices in one snapshot only have no row: a note says what happened. */
static void note_devices(const struct diag_ctx *x, struct diagnosis *d)
{
	for (size_t i = 0; i < x->prev->ndevs; i++) {
		const char *name = x->prev->devs[i].name;

		if (!snapshot_find_device(x->cur, name))
			add_note(d, xasprintf("device %s vanished", name));
	}
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const char *name = x->cur->devs[i].name;

		if (!snapshot_find_device(x->prev, name))
			add_note(d, xasprintf("device %s appeared", name));
	}
}

/* How many counters both snapshots list first, in the same order: the
 * whole list in the usual case, and where a layout changes, the
 * counters before the change need no lookup. */
static size_t same_prefix(const struct device *p, const struct device *c)
{
	size_t n = p->nctrs < c->nctrs ? p->nctrs : c->nctrs, i = 0;

	while (i < n && strcmp(p->ctrs[i].name, c->ctrs[i].name) == 0)
		i++;
	return i;
}

/* Counters of from past the common prefix whose name other lacks; 0
 * without a lookup when from has nothing past it. */
static size_t count_tail_absent(const struct device *from,
				const struct device *other, size_t prefix)
{
	const char **names;
	struct str_set set;
	size_t absent = 0, k;

	if (prefix == from->nctrs)
		return 0;
	names = xmalloc((other->nctrs + 1) * sizeof(*names));
	str_set_init(&set, names, other->nctrs);
	for (size_t i = 0; i < other->nctrs; i++) {
		const char *s = other->ctrs[i].name;
		uint64_t h = str_hash(s, strlen(s));

		names[i] = s;
		if (!str_set_has(&set, s, h, &k))
			str_set_put(&set, k, i, h);
	}
	for (size_t i = prefix; i < from->nctrs; i++) {
		const char *s = from->ctrs[i].name;

		absent += !str_set_has(&set, s, str_hash(s, strlen(s)), &k);
	}
	str_set_free(&set);
	free(names);
	return absent;
}

/* ethtool -L or a feature change during the interval adds or removes
 * driver counters by the hundred: they get no row (no rate without both
 * snapshots), and one note says how many came and went. */
static void note_counter_layout(const struct device *p,
				const struct device *c, struct diagnosis *d)
{
	size_t prefix = same_prefix(p, c);
	size_t came = count_tail_absent(c, p, prefix);
	size_t went = count_tail_absent(p, c, prefix);

	if (came || went)
		add_note(d, xasprintf("%s changed its driver counters during "
				      "the interval (channels or features "
				      "changed): %zu came, %zu went, shown "
				      "from the next interval", c->name, came,
				      went));
}

static void note_counter_layouts(const struct diag_ctx *x,
				 struct diagnosis *d)
{
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const struct device *c = &x->cur->devs[i];
		const struct device *p = snapshot_find_device(x->prev, c->name);

		if (p)
			note_counter_layout(p, c, d);
	}
}

void diag_notes(const struct diag_ctx *x, struct diagnosis *d)
{
	size_t max = d->nnotes + x->prev->nnotes + x->cur->nnotes;
	struct str_set set;

	/* The snapshots' notes first, in their order: nothing before them
	 * in d (diag_notes() is the first step), and what follows adds a
	 * handful, through add_note(). */
	if (max > d->nnotes) {
		size_t had = d->nnotes;

		d->notes = xrealloc(d->notes, max * sizeof(*d->notes));
		str_set_init(&set, (const char *const *)d->notes, max);
		d->nnotes = 0;
		for (size_t i = 0; i < had; i++)
			add_note_once(d, &set, d->notes[i], d->notes[i]);
		for (size_t i = 0; i < x->prev->nnotes; i++)
			add_note_once(d, &set, x->prev->notes[i], NULL);
		for (size_t i = 0; i < x->cur->nnotes; i++)
			add_note_once(d, &set, x->cur->notes[i], NULL);
		str_set_free(&set);
	}
	note_devices(x, d);
	note_counter_layouts(x, d);
	if (x->prev->have_snmp6 != x->cur->have_snmp6)
		add_note(d, xstrdup("/proc/net/snmp6 read in only one "
				    "snapshot: IPv6 left out"));
	if (x->prev->have_sockdiag != x->cur->have_sockdiag)
		add_note(d, xstrdup("UDP sockets from sock_diag in one "
				    "snapshot, /proc/net/udp in the other"));
	/* A live snapshot reads the rules; without conntrack's statistics
	 * beside them, nf_conntrack is not loaded: nothing to drop. */
	if ((x->cur->nf.have_nft || x->cur->nf.have_iptables) &&
	    !x->cur->nf.have_ct_stat)
		add_note(d, xstrdup("netfilter: conntrack not loaded (no "
				    "/proc/net/stat/nf_conntrack): no "
				    "conntrack drops"));
}

/* Traffic to a closed port on a local address: each datagram gets an ICMP
 * port unreachable, and over loopback that reply is IP input again, for
 * ICMP rather than UDP, so ip in runs ahead of udp in. Said when the
 * host's own destination-unreachable rate accounts for the gap. */
#define ICMP_NOTE_MIN_PPS 10.0

static struct optval unreach_pps(const struct diag_ctx *x)
{
	uint64_t v4 = 0, v6 = 0;

	if (!diag_snmp_delta(x, ICMP_OUT_DEST_UNREACHS, &v4))
		return opt_unknown();
	if (diag_have_v6(x) &&
	    !diag_snmp_delta(x, ICMP6_OUT_DEST_UNREACHS, &v6))
		v6 = 0;
	return opt_known((double)(v4 + v6) / x->interval);
}

void diag_icmp_note(const struct diag_ctx *x, struct diagnosis *d)
{
	struct optval ip = d->stages[STAGE_IP].in_pps;
	struct optval udp = d->stages[STAGE_UDP].in_pps;
	struct optval unreach = unreach_pps(x);
	double gap = ip.v - udp.v;

	if (!ip.known || !udp.known || !unreach.known ||
	    gap < ICMP_NOTE_MIN_PPS || unreach.v < 0.5 * gap ||
	    unreach.v > 1.25 * gap)
		return;
	add_note(d, xasprintf("ip in exceeds udp in by %.0f pkt/s: this "
			      "host sent %.0f ICMP destination "
			      "unreachable/s (IcmpOutDestUnreachs), replies "
			      "to datagrams for closed ports; sent to a "
			      "local address they come back (over loopback) "
			      "as IP input for ICMP, not UDP", gap,
			      unreach.v));
}
