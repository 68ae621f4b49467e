/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/interrupts, reduced to the IRQs of NIC queues, and their affinity.
 *
 * A header "CPU0 CPU1 ..." gives the column count (online CPUs); each
 * numeric IRQ row then has that many counts followed by the chip, an
 * optional hwirq and trigger type, and the action names, in layouts that
 * vary by kernel and architecture ("IR-PCI-MSI-edge  em1-TxRx-0",
 * "PCI-MSI 16385-edge  virtio0-input.0", "ITS-MSI 81921 Edge  eth0-Tx-Rx-0").
 * The action name is the last token: queue vectors are MSI-X and never
 * shared, so a shared line ("ehci_hcd:usb1, mmc0") is never a queue. Rows
 * such as "NMI:" or "ERR:" (one value) are not numeric and are skipped. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filecache.h"
#include "lines.h"
#include "sources_internal.h"
#include "util.h"

#define INTERRUPTS_SRC "/proc/interrupts"
#define AFFINITY_SRC "irq-affinity"

/* How an action name ties a vector to a device. */
enum irq_match {
	IRQ_BY_NAME,    /* eth0-TxRx-3, i40e-eth0-TxRx-3: the device name */
	IRQ_BY_PARENT,  /* virtio2-input.0: the sysfs parent, "virtio2" */
	IRQ_BY_BUS,     /* mlx5_comp3@pci:0000:8b:00.0: the PCI address */
};

struct irq_vector {
	enum irq_match match;
	const char *key;   /* device name, parent or bus address */
	size_t keylen;
	int queue;
};

/* Queue kinds between the device and the index, longest first so that
 * "eth0-Tx-Rx-3" is not read as device "eth0-Tx" kind "Rx". TX-only
 * vectors ("eth0-tx-3") serve no RX queue and are not listed. */
static const struct rx_kind {
	const char *text;
	size_t len;
} rx_kinds[] = {
#define RX_KIND(s) { s, sizeof(s) - 1 }
	RX_KIND("-tx-rx"), RX_KIND("-rx-tx"), RX_KIND("-txrx"),
	RX_KIND("-rxtx"), RX_KIND("-rx"), RX_KIND("-fp"),
#undef RX_KIND
};

/* strncasecmp(s, kind, n) == 0 for a kind of lower-case letters and
 * '-' (no NUL in s's first n bytes): a letter matches either case ('|'
 * 0x20 folds only 'A'-'Z' onto 'a'-'z' among the bytes that can match),
 * '-' only itself. Not strncasecmp: libFuzzer hooks it, a callback each
 * time, and most queue names end in "x". */
static bool kind_equal(const char *s, const char *kind, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = kind[i] == '-' ? s[i] : (char)(s[i] | 0x20);

		if (c != kind[i])
			return false;
	}
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Parses the queue index that ends name (at most 5 digits); returns the
 * length of what precedes it, or -1. */
static int trailing_queue(const char *name, size_t len, int *queue)
{
	size_t d = len;
	uint64_t q;

	while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
		d--;
	if (d == len || len - d > 5 || !parse_u64(name + d, len - d, 10, &q) ||
	    q > 65535)
		return -1;
	*queue = (int)q;
	return (int)d;
}

/* The vector parsers run once per IRQ row and again per IRQ when queues
 * are assigned: in the fuzz targets strncmp/strstr/strncasecmp are
 * hooked by libFuzzer (a callback each), so a name's first or last byte
 * decides before any of them is called. len is strlen(name). */

/* mlx5_comp<N>[@pci:<bus>] */
static bool vector_mlx5(const char *name, size_t len, struct irq_vector *v)
{
	const char *at;
	size_t n;

	if (len < 9 || name[0] != 'm' || strncmp(name, "mlx5_comp", 9) != 0)
		return false;
	at = memchr(name, '@', len);
	n = at ? (size_t)(at - name) : len;
	if (trailing_queue(name, n, &v->queue) != 9)
		return false;
	v->match = IRQ_BY_BUS;
	v->key = "";
	v->keylen = 0;
	if (at && strncmp(at, "@pci:", 5) == 0) {
		v->key = at + 5;
		v->keylen = len - n - 5;
	}
	return true;
}

/* virtio<K>-input.<N> (virtio_net names its RX virtqueues "input.N") */
static bool vector_virtio(const char *name, size_t len, struct irq_vector *v)
{
	const char *dash;
	int d;

	if (len < 6 || name[0] != 'v' || strncmp(name, "virtio", 6) != 0)
		return false;
	dash = strstr(name, "-input.");
	if (!dash || !all_digits(name + 6, (size_t)(dash - name) - 6))
		return false;
	d = trailing_queue(name, len, &v->queue);
	if (d != dash - name + 7)
		return false;
	v->match = IRQ_BY_PARENT;
	v->key = name;
	v->keylen = (size_t)(dash - name);
	return true;
}

/* A bare "DEV-N" is only taken when DEV is one plain word, so that
 * "ens160-event-4" or "eth0-tx-3" are not mistaken for RX queues. */
static bool plain_word(const char *s, size_t n)
{
	/* One libc scan instead of seven compares per byte; s is a C string
	 * (a NUL ends the span). */
	return n > 0 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") >= n;
}

/* [DRIVER-]DEV-KIND-N or DEV-N */
static bool vector_dashed(const char *name, size_t len, struct irq_vector *v)
{
	int d = trailing_queue(name, len, &v->queue);
	size_t rest;
	char last;

	if (d < 2 || name[d - 1] != '-')
		return false;
	rest = (size_t)d - 1;
	v->match = IRQ_BY_NAME;
	v->key = name;
	/* Every kind ends in 'x' or 'p' (either case, as strncasecmp
	 * folds them): any other last byte matches none. */
	last = (char)(name[rest - 1] | 0x20);
	for (size_t i = 0; (last == 'x' || last == 'p') &&
			   i < ARRAY_SIZE(rx_kinds); i++) {
		size_t k = rx_kinds[i].len;

		if (rest > k && kind_equal(name + rest - k, rx_kinds[i].text, k)) {
			v->keylen = rest - k;
			return true;
		}
	}
	v->keylen = rest;
	return plain_word(name, rest);
}

static bool irq_vector_parse(const char *name, struct irq_vector *v)
{
	size_t len = strlen(name);

	/* Set on every path, so that a vector kept by irq_keep_vector() is
	 * whole even where a parser gave up half way. */
	*v = (struct irq_vector){ .match = IRQ_BY_NAME, .key = "", .queue = -1 };
	return vector_mlx5(name, len, v) || vector_virtio(name, len, v) ||
	       vector_dashed(name, len, v);
}

/* PCI addresses with or without the "0000:" domain. */
static bool bus_equal(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen == 0 || blen == 0)
		return false;
	if (alen == blen)
		return memcmp(a, b, alen) == 0;
	if (alen == blen + 5)
		return strncmp(a, "0000:", 5) == 0 &&
		       memcmp(a + 5, b, blen) == 0;
	if (blen == alen + 5)
		return strncmp(b, "0000:", 5) == 0 &&
		       memcmp(b + 5, a, alen) == 0;
	return false;
}

/* "eth0" or "<driver>-eth0" (i40e, ice prefix their driver name). */
static bool device_name_matches(const struct irq_vector *v, const char *dev)
{
	size_t n = strlen(dev);

	if (n == 0 || v->keylen < n)
		return false;
	if (memcmp(v->key + v->keylen - n, dev, n) != 0)
		return false;
	return v->keylen == n || v->key[v->keylen - n - 1] == '-';
}

static int vector_queue_for_device(const struct irq_vector *v,
				   const struct device *d)
{
	bool ok = false;

	switch (v->match) {
	case IRQ_BY_NAME:
		ok = device_name_matches(v, d->name);
		break;
	case IRQ_BY_PARENT:
		ok = strlen(d->parent) == v->keylen &&
		     memcmp(d->parent, v->key, v->keylen) == 0;
		break;
	case IRQ_BY_BUS:
		ok = bus_equal(v->key, v->keylen, d->bus_info) ||
		     bus_equal(v->key, v->keylen, d->parent);
		break;
	}
	return ok ? v->queue : -1;
}

int irq_queue_for_device(const char *irq_name, const struct device *d)
{
	struct irq_vector v;

	if (!irq_name || !irq_vector_parse(irq_name, &v))
		return -1;
	return vector_queue_for_device(&v, d);
}

/* Keeps v, parsed from l->name (or from a copy of the same bytes at
 * name), in l for irq_assign_queues(). */
static void irq_keep_vector(struct irq_line *l, const char *name,
			    const struct irq_vector *v)
{
	size_t key = v->keylen ? (size_t)(v->key - name) : 0;

	if (key > UINT8_MAX || v->keylen > UINT8_MAX)
		return; /* not kept: parsed again when queues are assigned */
	l->vec_kind = (uint8_t)(v->match + 1);
	l->vec_key = (uint8_t)key;
	l->vec_keylen = (uint8_t)v->keylen;
	l->vec_queue = v->queue;
}

/* The vector of l: the one kept when its row was read, else parsed from
 * its name. */
static bool irq_line_vector(const struct irq_line *l, struct irq_vector *v)
{
	if (!l->name)
		return false;
	if (l->vec_kind == 0)
		return irq_vector_parse(l->name, v);
	v->match = (enum irq_match)(l->vec_kind - 1);
	v->key = l->name + l->vec_key;
	v->keylen = l->vec_keylen;
	v->queue = l->vec_queue;
	return true;
}

/* IRQs in order for each device, as a walk per device would: the first
 * IRQ naming a queue keeps it. */
void irq_assign_queues(struct snapshot *s)
{
	for (size_t i = 0; i < s->nirqs; i++) {
		struct irq_vector v;

		if (!irq_line_vector(&s->irqs[i], &v))
			continue;
		for (size_t d = 0; d < s->ndevs; d++) {
			struct device *dev = &s->devs[d];
			int q = vector_queue_for_device(&v, dev);
			struct rx_queue *r = q >= 0 ? device_rxq(dev, q) : NULL;

			if (r && r->irq < 0)
				r->irq = s->irqs[i].irq;
		}
	}
}

/* The header "CPU0 CPU1 ...": returns the number of CPU columns or 0. */
static size_t irq_header(const char *line, size_t len)
{
	const char *p = line, *end = line + len, *tok;
	size_t n, ncpu = 0;

	while ((tok = next_token(&p, end, &n))) {
		if (n < 4 || memcmp(tok, "CPU", 3) != 0 ||
		    !all_digits(tok + 3, n - 3))
			return 0;
		ncpu++;
	}
	return ncpu;
}

/* Adds the row of a queue vector v, parsed from buf (a copy of the n
 * bytes at name). */
static void irq_add(struct snapshot *s, int irq, const char *name, size_t n,
		    uint64_t total, const char *buf, const struct irq_vector *v)
{
	struct irq_line *l = snapshot_add_irq(s, irq, xstrndup(name, n));

	if (!l) /* NULL beyond SNAP_MAX_IRQS */
		return;
	l->total = total;
	irq_keep_vector(l, buf, v);
}

static char *put_text(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* v in decimal at p; returns the end. */
static char *put_decimal(char *p, uint64_t v)
{
	char digits[U64_DIGITS];
	size_t n = u64_digits(digits, v);

	return put_text(p, digits + sizeof(digits) - n, n);
}

#define PUT_LITERAL(p, lit) put_text(p, lit, sizeof(lit) - 1)

/* "/proc/interrupts: line L: IRQ N has I counts for C CPUs", written
 * without a printf and allocated at its size (under ASan every fresh
 * byte is a page touched): mutated inputs make many such rows. */
static void note_short_row(struct snapshot *s, unsigned int lineno, int irq,
			   size_t have, size_t ncpu)
{
	char buf[sizeof(INTERRUPTS_SRC) + 4 * U64_DIGITS + 40], *p = buf;

	p = PUT_LITERAL(p, INTERRUPTS_SRC ": line ");
	p = put_decimal(p, lineno);
	p = PUT_LITERAL(p, ": IRQ ");
	p = put_decimal(p, (uint64_t)irq);
	p = PUT_LITERAL(p, " has ");
	p = put_decimal(p, have);
	p = PUT_LITERAL(p, " counts for ");
	p = put_decimal(p, ncpu);
	p = PUT_LITERAL(p, " CPUs");
	snapshot_note_take(s, xstrndup(buf, (size_t)(p - buf)));
}

/* The last token of [p, end) (blanks: ' ', '\t', as next_token's), or
 * NULL: found from the end by two memrchr() calls, not by walking the
 * chip, hwirq and type tokens before it, where every byte scanned is
 * compare callbacks in the fuzz targets. */
static const char *last_token(const char *p, const char *end, size_t *len)
{
	const char *e = end, *space, *tab, *start;

	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == p)
		return NULL;
	space = memrchr(p, ' ', (size_t)(e - p));
	tab = memrchr(p, '\t', (size_t)(e - p));
	if (tab && (!space || tab > space))
		space = tab;
	start = space ? space + 1 : p;
	*len = (size_t)(e - start);
	return start;
}

/* Sums the ncpu counts at p; the action name is the last token after them
 * (NULL when the IRQ has none). */
static int irq_counts(struct snapshot *s, int irq, size_t ncpu, const char *p,
		      const char *end, unsigned int lineno, uint64_t *total,
		      const char **name, size_t *namelen)
{
	const char *tok;
	size_t n, i;
	uint64_t v;

	*total = 0;
	for (i = 0; i < ncpu && (tok = next_token(&p, end, &n)); i++) {
		if (!parse_u64(tok, n, 10, &v))
			break;
		*total += v;
	}
	if (i < ncpu) {
		note_short_row(s, lineno, irq, i, ncpu);
		return -EINVAL;
	}
	*name = last_token(p, end, namelen);
	return 0;
}

static int irq_row(struct snapshot *s, size_t ncpu, const char *line,
		   size_t len, unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok, *name;
	size_t n, namelen = 0;
	uint64_t irq, total;
	char buf[128];
	struct irq_vector v;

	tok = next_token(&p, end, &n);
	if (n < 2 || tok[n - 1] != ':' || !parse_u64(tok, n - 1, 10, &irq) ||
	    irq > INT32_MAX)
		return 0; /* NMI:, LOC:, ERR:, IPI0: ... */
	if (irq_counts(s, (int)irq, ncpu, p, end, lineno, &total, &name,
		       &namelen) < 0)
		return -EINVAL;
	if (!name || namelen >= sizeof(buf))
		return 0;
	copy_token(buf, sizeof(buf), name, namelen);
	if (irq_vector_parse(buf, &v))
		irq_add(s, (int)irq, name, namelen, total, buf, &v);
	return 0;
}

/* The CPU header first, then one row per IRQ. */
static enum line_verdict interrupts_line(struct snapshot *s, void *ctx,
					 const char *line, size_t len,
					 unsigned int lineno)
{
	size_t *ncpu = ctx;

	if (*ncpu == 0) {
		*ncpu = irq_header(line, len);
		if (*ncpu == 0) {
			snapshot_note(s, "%s: line %u: expected the header "
				      "'CPU0 CPU1 ...'", INTERRUPTS_SRC,
				      lineno);
			return LINE_STOP;
		}
		s->have_interrupts = true;
		return LINE_OK;
	}
	if (irq_row(s, *ncpu, line, len, lineno) < 0)
		return LINE_BAD;
	return LINE_OK;
}

int interrupts_parse(struct snapshot *s, const char *text)
{
	size_t ncpu = 0;
	int rc = parse_lines(s, INTERRUPTS_SRC, text, interrupts_line, &ncpu);

	/* Without a header rc is only set by a bad header or a cut line,
	 * each noted already. */
	if (ncpu == 0 && rc == 0) {
		snapshot_note(s, "%s: empty", INTERRUPTS_SRC);
		rc = -EINVAL;
	}
	return rc;
}

static struct irq_line *irq_find(struct snapshot *s, uint64_t irq)
{
	return irq <= INT32_MAX ? snapshot_find_irq(s, (int)irq) : NULL;
}

/* One "IRQ CPULIST" line. IRQs not in s->irqs are ignored. */
static enum line_verdict affinity_line(struct snapshot *s, void *ctx,
				       const char *line, size_t len,
				       unsigned int lineno)
{
	const char *p = line, *end = line + len, *tok, *list;
	size_t n, listlen;
	struct irq_line *l;
	uint64_t irq;
	char *copy;
	enum line_verdict v = LINE_OK;

	(void)ctx;
	tok = next_token(&p, end, &n);
	list = next_token(&p, end, &listlen);
	if (!list || !only_blanks(p, end) ||
	    !parse_u64(tok, n, 10, &irq)) {
		snapshot_note(s, "%s: line %u: expected 'IRQ CPULIST'",
			      AFFINITY_SRC, lineno);
		return LINE_BAD;
	}
	l = irq_find(s, irq);
	if (!l)
		return LINE_OK;
	copy = xstrndup(list, listlen);
	if (!l->affinity)
		l->affinity = xcalloc(CPU_WORDS, sizeof(*l->affinity));
	if (cpulist_parse(copy, l->affinity, MAX_CPUS) < 0) {
		snapshot_note(s, "%s: line %u: IRQ %d: bad CPU list '%.*s'",
			      AFFINITY_SRC, lineno, l->irq,
			      (int)(listlen > 40 ? 40 : listlen), list);
		memset(l->affinity, 0, CPU_WORDS * sizeof(*l->affinity));
		v = LINE_BAD;
	} else {
		l->have_affinity = true;
	}
	free(copy);
	return v;
}

int irq_affinity_parse(struct snapshot *s, const char *text)
{
	/* "0-15" cut to "0-1" would still parse: parse_lines() refuses a
	 * cut last line. */
	return parse_lines(s, AFFINITY_SRC, text, affinity_line, NULL);
}

/* Drops the newline and any blanks the kernel leaves at the end. */
static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
			 s[n - 1] == '\t'))
		s[--n] = '\0';
}

int irq_affinity_collect(struct file_cache *fc, const char *root,
			 const struct snapshot *s, struct strbuf *out)
{
	char rel[64], path[4096], *text;

	for (size_t i = 0; i < s->nirqs; i++) {
		snprintf(rel, sizeof(rel), "/proc/irq/%d/smp_affinity_list",
			 s->irqs[i].irq);
		path_join(path, sizeof(path), root, rel);
		if (file_cache_read(fc, path, FC_ONE_VALUE, &text, NULL) < 0)
			continue; /* the IRQ went away, or no permission */
		trim_end(text);
		if (*text && !strchr(text, '\n'))
			sb_printf(out, "%d %s\n", s->irqs[i].irq, text);
		free(text);
	}
	return 0;
}
