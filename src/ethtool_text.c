/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers for the text ethtool prints: `ethtool -S`, `-i`, `-l`, `-g`
 * and `-n DEV rx-flow-hash udp4|udp6`. The live ioctl collector writes the
 * same text, so recordings made with plain ethtool and live runs share
 * these parsers. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/ethtool.h>

#include "arena.h"
#include "sources_internal.h"
#include "util.h"

#ifndef RXH_GTP_TEID
#define RXH_GTP_TEID (1 << 8)
#endif
/* <linux/ethtool.h> spells it (1 << 31), which overflows an int. */
#define RXH_DISCARD_BIT 0x80000000u

/* A garbage source can have thousands of bad lines: note a few, then
 * say how many more there were. */
#define MAX_NOTED_LINES 5
/* ETH_GSTRING_LEN is 32; anything far longer is not a counter name. */
#define MAX_NAME_LEN 128

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The blanks the n bytes at p begin with. p lies in NUL-terminated text
 * (a line of next_line()), so strspn() stops at its end at the latest,
 * and past n only over blanks, which the clamp leaves out: one call, not
 * three compares per blank. */
static size_t leading_blanks(const char *p, size_t n)
{
	size_t k = strspn(p, " \t\r");

	return k < n ? k : n;
}

/* Trims trailing blanks; returns the number of leading blanks. */
static size_t trim_line(const char *line, size_t *len)
{
	while (*len > 0 && is_blank(line[*len - 1]))
		(*len)--;
	return leading_blanks(line, *len);
}

/* parse_u64(s, n, 10, out) for n bytes of NUL-terminated text. Up to 19
 * digits cannot overflow: checked once by strspn(), they need no
 * compare per digit. */
static bool parse_decimal(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 19 || strspn(s, "0123456789") < n)
		return parse_u64(s, n, 10, out);
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	*out = v;
	return true;
}

/* ---- ethtool -S ---- */

struct stats_parser {
	struct snapshot *s;
	const char *dev;
	struct ethtool_counter *ctrs;
	size_t n, cap;
	struct arena names;     /* the counter names, handed to the device */
	enum ctr_dir sec_dir;   /* open vmxnet3 section, DIR_NONE if none */
	int sec_queue;
	size_t sec_indent;
	size_t item_indent;     /* indent of the section's items, 0 unknown */
	bool item_indent_known;
	int bad;                /* malformed lines */
};

static void stats_bad_line(struct stats_parser *p, int lineno,
			   const char *why)
{
	if (p->bad++ < MAX_NOTED_LINES)
		snapshot_note(p->s, "ethtool -S %s: line %d: %s", p->dev,
			      lineno, why);
}

/* Splits "name: value" at the last colon (bnxt names contain "[N]: ").
 * Returns NULL when the line is a counter, else why it is not. */
static const char *split_counter(const char *line, size_t len,
				 size_t *name_len, uint64_t *value)
{
	/* memrchr: one call, not a compare per byte of every line. */
	const char *colon = memrchr(line, ':', len), *v;
	size_t vlen, skip;

	if (!colon)
		return "no \"name: value\"";
	*name_len = (size_t)(colon - line);
	while (*name_len > 0 && is_blank(line[*name_len - 1]))
		(*name_len)--;
	if (*name_len == 0)
		return "empty counter name";
	/* All printable ASCII (0x20 to 0x7e), checked a word at a time. */
	if (*name_len > MAX_NAME_LEN ||
	    plain_ascii_run(line, *name_len, "") != *name_len)
		return "not a counter name";
	v = colon + 1;
	vlen = len - (size_t)(v - line);
	skip = leading_blanks(v, vlen);
	v += skip;
	vlen -= skip;
	if (vlen == 0)
		return "missing value";
	if (!parse_decimal(v, vlen, value))
		return "value is not a number";
	return NULL;
}

/* Follows vmxnet3's nesting: "Rx Queue#: N" opens a section, its items
 * are indented below it, and items indented further are parts of the
 * total just above them. Returns true for such a sub-item. When the
 * indentation was stripped, a section lasts until the next one. */
static bool track_section(struct stats_parser *p, const char *name,
			  uint64_t value, size_t indent)
{
	enum ctr_dir dir;

	if (classify_section(name, &dir)) {
		p->sec_dir = dir;
		p->sec_queue = value <= 65535 ? (int)value : -1;
		p->sec_indent = indent;
		p->item_indent_known = false;
		return false;
	}
	if (p->sec_dir == DIR_NONE)
		return false;
	if (indent <= p->sec_indent && indent > 0) {
		p->sec_dir = DIR_NONE;
		p->sec_queue = -1;
		return false;
	}
	if (!p->item_indent_known) {
		p->item_indent = indent;
		p->item_indent_known = true;
	}
	return indent > p->item_indent;
}

static void stats_add(struct stats_parser *p, const char *name,
		      size_t name_len, uint64_t value, size_t indent)
{
	struct ethtool_counter *c;
	char *copy = arena_strndup(&p->names, name, name_len);
	bool nested = track_section(p, copy, value, indent);

	/* Sized by stats_reserve(); growing is for a caller that did not. */
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->ctrs = xrealloc(p->ctrs, p->cap * sizeof(*p->ctrs));
	}
	c = &p->ctrs[p->n++];
	c->name = copy;
	c->value = value;
	c->cls = classify_counter(copy, p->sec_queue, p->sec_dir);
	if (nested) {
		/* Already counted in the total it is indented under. */
		c->cls.kind = KIND_OTHER;
		c->cls.driver_rule = "vmxnet3 sub-item of a total";
	}
}

static void stats_line(struct stats_parser *p, const char *line, size_t len,
		       int lineno, bool first)
{
	size_t indent = trim_line(line, &len), name_len;
	const char *why;
	uint64_t value;

	if (indent == len)
		return;
	line += indent;
	len -= indent;
	if (first && len == 15 && memcmp(line, "NIC statistics:", 15) == 0)
		return;
	why = split_counter(line, len, &name_len, &value);
	if (why)
		stats_bad_line(p, lineno, why);
	else
		stats_add(p, line, name_len, value, indent);
}

/* Sizes the counter array and the names' arena once from the lines that
 * can hold a counter (those with a colon; a name and its NUL fit in its
 * line): under ASan every block grown and dropped takes fresh pages, and
 * one string per name was most of the bytes a parse allocated. */
static void stats_reserve(struct stats_parser *p, const char *text)
{
	size_t lines = 0, bytes = 0;

	for (const char *pos = text; *pos;) {
		const char *end = strchrnul(pos, '\n');
		size_t len = (size_t)(end - pos);

		if (memchr(pos, ':', len)) {
			lines++;
			bytes += len;
		}
		pos = *end ? end + 1 : end;
	}
	if (lines == 0)
		return;
	p->cap = lines < SNAP_MAX_COUNTERS ? lines : SNAP_MAX_COUNTERS;
	p->ctrs = xmalloc(p->cap * sizeof(*p->ctrs));
	arena_reserve(&p->names, bytes);
}

static void device_set_counters(struct device *d, struct stats_parser *p)
{
	arena_free(&d->ctr_names);
	d->ctr_names = p->names;
	free(d->ctrs);
	d->ctrs = p->ctrs;
	d->nctrs = p->n;
	d->have_ethtool = p->n > 0 || p->bad == 0;
}

int ethtool_stats_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct stats_parser p = { .s = s, .dev = dev, .sec_dir = DIR_NONE,
				  .sec_queue = -1 };
	const char *pos = text, *line;
	bool first = true;
	int lineno = 0;
	size_t len;

	stats_reserve(&p, text);
	while ((line = next_line(&pos, &len))) {
		if (p.n >= SNAP_MAX_COUNTERS) {
			snapshot_over_limit(s, LIMIT_COUNTERS, dev);
			break;
		}
		stats_line(&p, line, len, ++lineno, first);
		if (first && trim_line(line, &len) < len)
			first = false;
	}
	if (p.bad > MAX_NOTED_LINES)
		snapshot_note(s, "ethtool -S %s: %d more malformed lines", dev,
			      p.bad - MAX_NOTED_LINES);
	device_set_counters(snapshot_device(s, dev), &p);
	return p.bad ? -EINVAL : 0;
}

/* ---- "key: value" texts (-i, -l) ---- */

/* Splits "key: value" at the first colon; false if there is none. */
static bool split_key(const char *line, size_t len, size_t *key_len,
		      const char **val, size_t *val_len)
{
	const char *colon = memchr(line, ':', len);
	size_t skip;

	if (!colon)
		return false;
	*key_len = (size_t)(colon - line);
	*val = colon + 1;
	*val_len = len - *key_len - 1;
	skip = leading_blanks(*val, *val_len);
	*val += skip;
	*val_len -= skip;
	return true;
}

static bool key_is(const char *key, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(key, want, n) == 0;
}

int ethtool_info_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct device *d = snapshot_device(s, dev);
	const char *pos = text, *line, *val;
	size_t len, klen, vlen;
	bool have_driver = false;

	while ((line = next_line(&pos, &len))) {
		trim_line(line, &len);
		if (!split_key(line, len, &klen, &val, &vlen))
			continue;
		if (key_is(line, klen, "driver") && vlen > 0) {
			copy_token(d->driver, sizeof(d->driver), val, vlen);
			have_driver = true;
		} else if (key_is(line, klen, "bus-info")) {
			copy_token(d->bus_info, sizeof(d->bus_info), val, vlen);
		}
	}
	if (!have_driver) {
		snapshot_note(s, "ethtool -i %s: no \"driver:\" line", dev);
		return -EINVAL;
	}
	return 0;
}

/* ---- ethtool -l and ethtool -g ---- */

/* Both print "Pre-set maximums:" then "Current hardware settings:", each
 * with "KEY:<tabs>VALUE" lines; they differ in the keys they have. */
enum chan_section { CHAN_NONE, CHAN_MAX, CHAN_CUR };

struct two_sections {
	const char *cmd;      /* "ethtool -l", for notes */
	const char *what;     /* "channel count" */
	const char *all;      /* "channel settings" */
	int *(*field)(struct device *d, enum chan_section sec,
		      const char *key, size_t klen);
};

/* "n/a" is what ethtool prints for a channel type or ring the device
 * lacks. */
static bool channel_value(const char *v, size_t n, int *out)
{
	uint64_t u;

	if (n == 3 && memcmp(v, "n/a", 3) == 0) {
		*out = 0;
		return true;
	}
	if (!parse_u64(v, n, 10, &u) || u > 1000000)
		return false;
	*out = (int)u;
	return true;
}

static int *channel_field(struct device *d, enum chan_section sec,
			  const char *key, size_t klen)
{
	bool rx = key_is(key, klen, "RX");

	if (!rx && !key_is(key, klen, "Combined"))
		return NULL;
	if (sec == CHAN_MAX)
		return rx ? &d->channels_max_rx : &d->channels_max_combined;
	return rx ? &d->channels_rx : &d->channels_combined;
}

/* Only the RX ring matters to receive loss ("RX Mini", "RX Jumbo" and
 * "RX Buf Len" are other keys). */
static int *ring_field(struct device *d, enum chan_section sec,
		       const char *key, size_t klen)
{
	if (!key_is(key, klen, "RX"))
		return NULL;
	return sec == CHAN_MAX ? &d->ring_rx_max : &d->ring_rx;
}

static const struct two_sections channels_text = {
	"ethtool -l", "channel count", "channel settings", channel_field,
};
static const struct two_sections rings_text = {
	"ethtool -g", "ring size", "ring settings", ring_field,
};

static int section_line(struct snapshot *s, struct device *d,
			const struct two_sections *t, enum chan_section *sec,
			const char *line, size_t len, int lineno)
{
	const char *val;
	size_t klen, vlen;
	int *field;

	if (key_is(line, len, "Pre-set maximums:"))
		*sec = CHAN_MAX;
	else if (key_is(line, len, "Current hardware settings:"))
		*sec = CHAN_CUR;
	if (*sec == CHAN_NONE || !split_key(line, len, &klen, &val, &vlen))
		return 0;
	field = t->field(d, *sec, line, klen);
	if (field && !channel_value(val, vlen, field)) {
		snapshot_note(s, "%s %s: line %d: bad %s", t->cmd, d->name,
			      lineno, t->what);
		return -EINVAL;
	}
	return 0;
}

static int two_sections_parse(struct snapshot *s, const char *dev,
			      const struct two_sections *t, const char *text)
{
	struct device *d = snapshot_device(s, dev);
	enum chan_section sec = CHAN_NONE;
	const char *pos = text, *line;
	int lineno = 0, rc = 0;
	size_t len;

	while ((line = next_line(&pos, &len))) {
		size_t indent = trim_line(line, &len);

		lineno++;
		if (section_line(s, d, t, &sec, line + indent, len - indent,
				 lineno) < 0)
			rc = -EINVAL;
	}
	if (sec == CHAN_NONE) {
		snapshot_note(s, "%s %s: no %s", t->cmd, dev, t->all);
		return -EINVAL;
	}
	return rc;
}

int ethtool_channels_parse(struct snapshot *s, const char *dev,
			   const char *text)
{
	return two_sections_parse(s, dev, &channels_text, text);
}

int ethtool_rings_parse(struct snapshot *s, const char *dev, const char *text)
{
	return two_sections_parse(s, dev, &rings_text, text);
}

/* ---- ethtool -n DEV rx-flow-hash udp4|udp6 ---- */

struct rxh_name {
	const char *text;
	uint32_t bit;
};

/* The lines ethtool's dump_rxfhash() prints, one per RXH_* bit. */
static const struct rxh_name rxh_names[] = {
	{ "L2DA", RXH_L2DA },
	{ "VLAN tag", RXH_VLAN },
	{ "L3 proto", RXH_L3_PROTO },
	{ "IP SA", RXH_IP_SRC },
	{ "IP DA", RXH_IP_DST },
	{ "L4 bytes 0 & 1 [TCP/UDP src port]", RXH_L4_B_0_1 },
	{ "L4 bytes 2 & 3 [TCP/UDP dst port]", RXH_L4_B_2_3 },
	{ "GTP TEID", RXH_GTP_TEID },
	{ "None", 0 },
};

void ethtool_rxfh_print(struct strbuf *out, int family, uint32_t fields)
{
	sb_puts(out, family == AF_INET6 ? "UDP over IPV6 flows"
					: "UDP over IPV4 flows");
	if (fields & RXH_DISCARD_BIT) {
		sb_puts(out, " - All matching flows discarded on RX\n");
		return;
	}
	sb_puts(out, " use these fields for computing Hash flow key:\n");
	if (!fields) {
		sb_puts(out, "None\n");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(rxh_names); i++)
		if (fields & rxh_names[i].bit)
			sb_printf(out, "%s\n", rxh_names[i].text);
	sb_putc(out, '\n');
}

static bool rxh_field(const char *line, size_t len, uint32_t *bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(rxh_names); i++) {
		if (key_is(line, len, rxh_names[i].text)) {
			*bit = rxh_names[i].bit;
			return true;
		}
	}
	return false;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);

	return n >= p && memcmp(s, prefix, p) == 0;
}

/* The header names the flow type, then either lists the fields or says
 * the flows are discarded. Returns 1 for fields, 0 for discard, -1 if it
 * is not the header this family expects. */
static int rxh_header(const char *line, size_t len, int family)
{
	const char *flow = family == AF_INET6 ? "UDP over IPV6 flows"
					      : "UDP over IPV4 flows";
	size_t fl = strlen(flow);

	if (!starts_with(line, len, flow))
		return -1;
	if (key_is(line + fl, len - fl,
		   " use these fields for computing Hash flow key:"))
		return 1;
	if (key_is(line + fl, len - fl,
		   " - All matching flows discarded on RX"))
		return 0;
	return -1;
}

static int rxh_fail(struct snapshot *s, const char *dev, int family,
		    int lineno, const char *why)
{
	snapshot_note(s, "ethtool -n %s rx-flow-hash %s: line %d: %s", dev,
		      family == AF_INET6 ? "udp6" : "udp4", lineno, why);
	return -EINVAL;
}

static int rxh_parse_lines(struct snapshot *s, const char *dev, int family,
			   const char *text, uint32_t *fields)
{
	const char *pos = text, *line;
	int lineno = 0, state = -1;
	size_t len;
	uint32_t bit;

	while ((line = next_line(&pos, &len))) {
		size_t indent = trim_line(line, &len);

		lineno++;
		line += indent;
		len -= indent;
		if (len == 0 || (state < 0 && starts_with(line, len,
							  "For RSS context ")))
			continue;
		if (state < 0) {
			state = rxh_header(line, len, family);
			if (state < 0)
				return rxh_fail(s, dev, family, lineno,
						"not a UDP flow hash header");
			if (state == 0)
				*fields = RXH_DISCARD_BIT;
		} else if (state == 0 || !rxh_field(line, len, &bit)) {
			return rxh_fail(s, dev, family, lineno,
					"unknown hash field");
		} else {
			*fields |= bit;
		}
	}
	if (state < 0)
		return rxh_fail(s, dev, family, lineno, "no flow hash header");
	return 0;
}

int ethtool_rxfh_parse(struct snapshot *s, const char *dev, int family,
		       const char *text)
{
	struct device *d = snapshot_device(s, dev);
	struct rx_flow_hash *h = family == AF_INET6 ? &d->udp6_hash
						    : &d->udp4_hash;
	uint32_t fields = 0;
	int rc = rxh_parse_lines(s, dev, family, text, &fields);

	h->known = rc == 0;
	h->fields = rc == 0 ? fields : 0;
	return rc;
}
