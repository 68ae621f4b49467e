/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/interrupts reduced to NIC queue vectors, the IRQ-to-queue mapping
 * and the irq-affinity source, on the real captures of tests/data. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sources_internal.h"
#include "testutil.h"
#include "sourcetest.h"
#include "util.h"

static int parse_file(struct snapshot *s, const char *rel)
{
	char *text = test_data(rel, NULL);
	int rc;

	snapshot_init(s);
	rc = interrupts_parse(s, text);
	free(text);
	return rc;
}

static const struct irq_line *irq_by_number(const struct snapshot *s, int irq)
{
	for (size_t i = 0; i < s->nirqs; i++)
		if (s->irqs[i].irq == irq)
			return &s->irqs[i];
	return NULL;
}

/* IRQs first..first+n-1 are named PREFIX<i>SUFFIX, with these totals. */
static void assert_vectors(const struct snapshot *s, int first, int n,
			   const char *prefix, const char *suffix,
			   const uint64_t *totals)
{
	char name[64];

	for (int i = 0; i < n; i++) {
		const struct irq_line *l = irq_by_number(s, first + i);

		snprintf(name, sizeof(name), "%s%d%s", prefix, i, suffix);
		ck_assert_msg(l != NULL, "IRQ %d missing", first + i);
		ck_assert_str_eq(l->name, name);
		ck_assert_uint_eq(l->total, totals[i]);
		ck_assert(!l->have_affinity);
	}
}

static struct device test_device(const char *name, const char *parent,
				 const char *bus)
{
	struct device d;

	memset(&d, 0, sizeof(d));
	copy_token(d.name, sizeof(d.name), name, strlen(name));
	copy_token(d.parent, sizeof(d.parent), parent, strlen(parent));
	copy_token(d.bus_info, sizeof(d.bus_info), bus, strlen(bus));
	return d;
}

START_TEST(mlx5_two_devices_all_on_cpu0)
{
	/* Every count sits in the CPU0 column: the totals are CPU0's. */
	static const uint64_t dev1[] = { 123648, 152455, 102308, 89403,
					 86793, 107817, 117091, 59714 };
	static const uint64_t dev2[] = { 35520, 576, 34139, 19951,
					 41038, 36569, 42023, 12610 };
	struct device d1 = test_device("eth1", "8b76:00:02.0", "");
	struct device d2 = test_device("eth2", "", "83a4:00:02.0");
	struct snapshot s;

	ck_assert_int_eq(parse_file(&s,
		"interrupts/mlx5-azure-vm-8cpu-k3.10-lkml.txt"), 0);
	assert_no_notes(&s, "mlx5");
	ck_assert(s.have_interrupts);
	/* Only the completion vectors: no pages/cmd/async EQs, no disks. */
	ck_assert_uint_eq(s.nirqs, 16);
	assert_vectors(&s, 28, 8, "mlx5_comp", "@pci:8b76:00:02.0", dev1);
	assert_vectors(&s, 40, 8, "mlx5_comp", "@pci:83a4:00:02.0", dev2);
	ck_assert_ptr_null(irq_by_number(&s, 25));
	for (int q = 0; q < 8; q++) {
		/* d1 is matched through its sysfs parent, d2 its bus-info. */
		ck_assert_int_eq(irq_queue_for_device(
			irq_by_number(&s, 28 + q)->name, &d1), q);
		ck_assert_int_eq(irq_queue_for_device(
			irq_by_number(&s, 28 + q)->name, &d2), -1);
		ck_assert_int_eq(irq_queue_for_device(
			irq_by_number(&s, 40 + q)->name, &d2), q);
		ck_assert_int_eq(irq_queue_for_device(
			irq_by_number(&s, 40 + q)->name, &d1), -1);
	}
	snapshot_free(&s);
}
END_TEST

START_TEST(igb_em1_txrx)
{
	static const uint64_t totals[] = { 44636, 71646, 17166, 18663,
					   16255, 16376, 16386, 16123 };
	struct device em1 = test_device("em1", "0000:01:00.0", "0000:01:00.0");
	struct device em10 = test_device("em10", "", "");
	struct snapshot s;

	ck_assert_int_eq(parse_file(&s,
		"interrupts/igb-em1-16cpu-filtered-uncelvel.txt"), 0);
	assert_no_notes(&s, "igb");
	/* 16 CPU columns; "em1" itself (the link vector) is not a queue. */
	ck_assert_uint_eq(s.nirqs, 8);
	assert_vectors(&s, 38, 8, "em1-TxRx-", "", totals);
	for (int q = 0; q < 8; q++) {
		const char *name = irq_by_number(&s, 38 + q)->name;

		ck_assert_int_eq(irq_queue_for_device(name, &em1), q);
		ck_assert_int_eq(irq_queue_for_device(name, &em10), -1);
	}
	snapshot_free(&s);
}
END_TEST

START_TEST(virtio_input_only)
{
	struct device eth0 = test_device("eth0", "virtio0", "0000:00:02.0");
	struct device other = test_device("eth1", "virtio2", "");
	struct snapshot s;

	ck_assert_int_eq(parse_file(&s,
		"interrupts/virtio-vm-4cpu-procfs.txt"), 0);
	assert_no_notes(&s, "virtio");
	/* "PCI-MSI 16385-edge" layout; output, config and virtio-blk
	 * request queues are no RX vectors. */
	ck_assert_uint_eq(s.nirqs, 1);
	ck_assert_int_eq(s.irqs[0].irq, 36);
	ck_assert_str_eq(s.irqs[0].name, "virtio0-input.0");
	ck_assert_uint_eq(s.irqs[0].total, 372);
	ck_assert_int_eq(irq_queue_for_device(s.irqs[0].name, &eth0), 0);
	ck_assert_int_eq(irq_queue_for_device(s.irqs[0].name, &other), -1);
	snapshot_free(&s);
}
END_TEST

START_TEST(ena_tx_rx_arm64)
{
	static const uint64_t totals[] = {
		1195698383ULL, 2709939227ULL, 1457922180ULL, 2052879860ULL,
		2268697159ULL, 1997799303ULL, 1238622633ULL, 1574978496ULL,
	};
	struct device eth0 = test_device("eth0", "0000:00:05.0",
					 "0000:00:05.0");
	struct snapshot s;

	/* ITS-MSI rows, IPI rows, "Err:" and a whitespace-only last line;
	 * the management vector ena-mgmnt@pci:... is no queue. */
	ck_assert_int_eq(parse_file(&s,
		"interrupts/ena-aws-graviton-aarch64-8cpu-node_exporter.txt"),
		0);
	assert_no_notes(&s, "ena");
	ck_assert_uint_eq(s.nirqs, 8);
	assert_vectors(&s, 58, 8, "eth0-Tx-Rx-", "", totals);
	ck_assert_int_eq(irq_queue_for_device("eth0-Tx-Rx-5", &eth0), 5);
	snapshot_free(&s);
}
END_TEST

START_TEST(vmxnet3_rxtx_not_event)
{
	static const uint64_t totals[] = { 1547186, 85162, 49038, 24996 };
	struct device ens160 = test_device("ens160", "", "");
	struct snapshot s;

	ck_assert_int_eq(parse_file(&s,
		"interrupts/vmxnet3-ens160-6cpu-filtered-uncelvel.txt"), 0);
	assert_no_notes(&s, "vmxnet3");
	ck_assert_uint_eq(s.nirqs, 4);
	assert_vectors(&s, 56, 4, "ens160-rxtx-", "", totals);
	ck_assert_ptr_null(irq_by_number(&s, 60));
	ck_assert_int_eq(irq_queue_for_device("ens160-event-4", &ens160), -1);
	ck_assert_int_eq(irq_queue_for_device("ens160-rxtx-2", &ens160), 2);
	snapshot_free(&s);
}
END_TEST

START_TEST(legacy_laptop_no_queues)
{
	struct snapshot s;

	/* "IR-PCI-MSI-edge  iwlwifi" layout, ERR:/MIS: with one value. */
	ck_assert_int_eq(parse_file(&s,
		"interrupts/legacy-laptop-4cpu-node_exporter.txt"), 0);
	assert_no_notes(&s, "legacy");
	ck_assert(s.have_interrupts);
	ck_assert_uint_eq(s.nirqs, 0);
	snapshot_free(&s);
}
END_TEST

struct name_case {
	const char *irq_name;
	const char *dev, *parent, *bus;
	int queue;
};

/* Names from the captures and from the drivers' request_irq() formats. */
static const struct name_case name_cases[] = {
	{ "eth0-TxRx-3", "eth0", "", "", 3 },
	{ "eth0-Tx-Rx-3", "eth0", "", "", 3 },
	{ "eth0-rx-3", "eth0", "", "", 3 },
	{ "eth0-tx-3", "eth0", "", "", -1 },
	{ "eth0-3", "eth0", "", "", 3 },
	{ "eth0-fp-3", "eth0", "", "", 3 },
	{ "i40e-eth0-TxRx-3", "eth0", "", "", 3 },
	{ "ice-eth0-TxRx-12", "eth0", "", "", 12 },
	{ "i40e-eth0-TxRx-3", "th0", "", "", -1 },
	{ "veth0-TxRx-1", "eth0", "", "", -1 },
	{ "eth0-TxRx-1", "eth", "", "", -1 },
	{ "ens160-rxtx-3", "ens160", "", "", 3 },
	{ "ens160-event-4", "ens160", "", "", -1 },
	{ "mlx5_comp3@pci:0000:8b:00.0", "eth0", "", "0000:8b:00.0", 3 },
	{ "mlx5_comp3@pci:0000:8b:00.0", "eth0", "0000:8b:00.0", "", 3 },
	{ "mlx5_comp3@pci:0000:8b:00.0", "eth0", "", "0000:8b:00.1", -1 },
	{ "mlx5_comp3@pci:8b76:00:02.0", "eth0", "", "8b76:00:02.0", 3 },
	{ "mlx5_async_eq@pci:8b76:00:02.0", "eth0", "", "8b76:00:02.0", -1 },
	{ "virtio2-input.1", "eth0", "virtio2", "", 1 },
	{ "virtio2-input.1", "eth0", "virtio20", "", -1 },
	{ "virtio2-output.1", "eth0", "virtio2", "", -1 },
	{ "virtio4-input", "eth0", "virtio4", "", -1 },
	{ "ena-mgmnt@pci:0000:00:05.0", "eth0", "", "0000:00:05.0", -1 },
	{ "nvme0q1", "nvme0", "", "", -1 },
	{ "em1", "em1", "", "", -1 },
};

START_TEST(queue_names)
{
	const struct name_case *c = &name_cases[_i];
	struct device d = test_device(c->dev, c->parent, c->bus);

	ck_assert_msg(irq_queue_for_device(c->irq_name, &d) == c->queue,
		      "%s on %s: want %d", c->irq_name, c->dev, c->queue);
}
END_TEST

/* The vector parsers as they were before their first-byte tests
 * (strncmp, strstr and strncasecmp on every name, a byte loop for a
 * plain word): the new ones must answer the same for every name. */
enum ref_match { REF_BY_NAME, REF_BY_PARENT, REF_BY_BUS };

struct ref_vector {
	enum ref_match match;
	const char *key;
	size_t keylen;
	int queue;
};

static bool ref_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static int ref_trailing_queue(const char *name, size_t len, int *queue)
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

static bool ref_mlx5(const char *name, struct ref_vector *v)
{
	const char *at = strchr(name, '@');
	size_t n = at ? (size_t)(at - name) : strlen(name);

	if (strncmp(name, "mlx5_comp", 9) != 0 ||
	    ref_trailing_queue(name, n, &v->queue) != 9)
		return false;
	v->match = REF_BY_BUS;
	v->key = "";
	if (at && strncmp(at, "@pci:", 5) == 0)
		v->key = at + 5;
	v->keylen = strlen(v->key);
	return true;
}

static bool ref_virtio(const char *name, struct ref_vector *v)
{
	const char *dash = strstr(name, "-input.");
	int d;

	if (strncmp(name, "virtio", 6) != 0 || !dash ||
	    !ref_all_digits(name + 6, (size_t)(dash - name) - 6))
		return false;
	d = ref_trailing_queue(name, strlen(name), &v->queue);
	if (d != dash - name + 7)
		return false;
	v->match = REF_BY_PARENT;
	v->key = name;
	v->keylen = (size_t)(dash - name);
	return true;
}

static bool ref_plain_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return n > 0;
}

static bool ref_dashed(const char *name, struct ref_vector *v)
{
	static const char *const kinds[] = {
		"-tx-rx", "-rx-tx", "-txrx", "-rxtx", "-rx", "-fp",
	};
	int d = ref_trailing_queue(name, strlen(name), &v->queue);
	size_t rest;

	if (d < 2 || name[d - 1] != '-')
		return false;
	rest = (size_t)d - 1;
	v->match = REF_BY_NAME;
	v->key = name;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t k = strlen(kinds[i]);

		if (rest > k && strncasecmp(name + rest - k, kinds[i], k) == 0) {
			v->keylen = rest - k;
			return true;
		}
	}
	v->keylen = rest;
	return ref_plain_word(name, rest);
}

static bool ref_bus_equal(const char *a, size_t alen, const char *b)
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

static int ref_queue_for_device(const char *name, const struct device *d)
{
	struct ref_vector v;
	size_t n = strlen(d->name);
	bool ok = false;

	if (!ref_mlx5(name, &v) && !ref_virtio(name, &v) &&
	    !ref_dashed(name, &v))
		return -1;
	switch (v.match) {
	case REF_BY_NAME:
		ok = n > 0 && v.keylen >= n &&
		     memcmp(v.key + v.keylen - n, d->name, n) == 0 &&
		     (v.keylen == n || v.key[v.keylen - n - 1] == '-');
		break;
	case REF_BY_PARENT:
		ok = strlen(d->parent) == v.keylen &&
		     memcmp(d->parent, v.key, v.keylen) == 0;
		break;
	case REF_BY_BUS:
		ok = ref_bus_equal(v.key, v.keylen, d->bus_info) ||
		     ref_bus_equal(v.key, v.keylen, d->parent);
		break;
	}
	return ok ? v.queue : -1;
}

/* Names glued from pieces of real names, bytes that fold to the kinds'
 * last letters and bytes that do not, against devices of every match. */
START_TEST(vector_parse_same_as_bytewise)
{
	static const char *const pieces[] = {
		"mlx5_comp", "virtio", "-input.", "@pci:", "0000:", "8b:00.0",
		"eth0", "em1", "i40e", "-", "-", "-TxRx", "-tx-RX", "-rX-Tx",
		"-rxtx", "-Rx", "-fP", "-FP", "-tx", "-x", "-p", "X", "P", "x",
		"p", "\x18", "\x10", "\xd8", "0", "3", "12", "65535",
		"65536", "123456", "_", ".", " ", "@", "mlx5_compx", "virtio2",
		"virtio20", "eth", "th0", "A", "z", "\x80",
		/* '\r' | 0x20 is '-': only letters may fold. */
		"\r", "\rtxrx", "-tx\rrx", "\rFP",
	};
	struct device devs[] = {
		test_device("eth0", "virtio2", "0000:8b:00.0"),
		test_device("em1", "8b:00.0", ""),
		test_device("th0", "virtio20", "8b:00.0"),
		test_device("eth0-TxRx", "", ""),
		test_device("A", "virtio", "0000:"),
	};
	char name[128];
	unsigned int seed = 17;
	size_t checked = 0;

	/* Every other name in the shape of a queue name, piece by piece
	 * from these lists (a random piece in place of one, at times). */
	static const char *const shape[][8] = {
		{ "", "", "i40e-", "mlx5_comp", "virtio2", "virtio", "A" },
		{ "", "eth0", "em1", "th0", "A", "eth0-TxRx", "2", "x" },
		{ "", "-TxRx", "-tx-rx", "-RX-TX", "-rxtx", "-rx", "-Fp", "-tx" },
		{ "-", "-", "-", "-input.", "", "@pci:", "-x", "-" },
		{ "3", "0", "12", "65535", "65536", "123456", "007", "" },
		{ "", "", "", "@pci:0000:8b:00.0", "@pci:8b:00.0", "@x", "-",
		  "x" },
	};

	for (int i = 0; i < 200000; i++) {
		size_t len = 0;
		bool shaped = i % 2 == 0;
		int n = shaped ? (int)ARRAY_SIZE(shape)
			       : 1 + (int)(rand_r(&seed) % 6);

		for (int j = 0; j < n; j++) {
			const char *p = pieces[rand_r(&seed) % ARRAY_SIZE(pieces)];

			if (shaped && rand_r(&seed) % 8 != 0)
				p = shape[j][rand_r(&seed) % 8];
			if (!p)
				p = "";
			size_t k = strlen(p);

			if (len + k >= sizeof(name))
				break;
			memcpy(name + len, p, k);
			len += k;
		}
		name[len] = '\0';
		for (size_t d = 0; d < ARRAY_SIZE(devs); d++) {
			int want = ref_queue_for_device(name, &devs[d]);

			ck_assert_msg(irq_queue_for_device(name, &devs[d]) == want,
				      "'%s' on %s: want %d", name,
				      devs[d].name, want);
			checked += want >= 0;
		}
	}
	/* The pieces do make queues, not only refusals. */
	ck_assert_uint_gt(checked, 1000);
}
END_TEST

/* The action name is the last token after the counts, found from the
 * end: on generated rows (blanks of both kinds anywhere, tokens of
 * pieces that end in blanks or not) the IRQ kept and its name are those
 * of a token walk. */
START_TEST(name_is_last_token)
{
	static const char *const pieces[] = {
		" ", "\t", "  ", " \t ", "eth0-TxRx-3", "IR-PCI-MSI", "524288-edge",
		"em1-rx-1", "x", "\r", "virtio2-input.0", "eth0-rx-12 ", "\t\t",
		"mlx5_comp2@pci:0000:8b:00.0", "-", "edge",
	};
	unsigned int seed = 5;
	char line[512];

	for (int i = 0; i < 20000; i++) {
		char text[600];
		const char *p, *end, *tok, *want = NULL;
		size_t len = 0, n, wantlen = 0;
		int k = (int)(rand_r(&seed) % 7);
		struct snapshot s;

		len = (size_t)snprintf(line, sizeof(line), "%d:%s1%s2%s", i,
				       rand_r(&seed) % 2 ? " " : "\t",
				       rand_r(&seed) % 2 ? " " : "\t",
				       rand_r(&seed) % 2 ? " " : "\t");
		for (int j = 0; j < k; j++) {
			const char *piece = pieces[rand_r(&seed) % ARRAY_SIZE(pieces)];

			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"%s", piece);
		}
		/* The tokens after the two counts, walked. */
		p = line;
		end = line + len;
		for (int c = 0; c < 3; c++)
			next_token(&p, end, &n);
		while ((tok = next_token(&p, end, &n))) {
			want = tok;
			wantlen = n;
		}
		snprintf(text, sizeof(text), "CPU0 CPU1\n%s\n", line);
		snapshot_init(&s);
		ck_assert_int_eq(interrupts_parse(&s, text), 0);
		if (s.nirqs == 1) {
			ck_assert_ptr_nonnull(want);
			ck_assert_uint_eq(strlen(s.irqs[0].name), wantlen);
			ck_assert(memcmp(s.irqs[0].name, want, wantlen) == 0);
		} else {
			char name[128];
			struct device d = test_device("eth0", "virtio2",
						      "0000:8b:00.0");

			ck_assert_uint_eq(s.nirqs, 0);
			/* Not kept: no name, or one that is not a vector. */
			if (want && wantlen < sizeof(name)) {
				copy_token(name, sizeof(name), want, wantlen);
				ck_assert_int_eq(irq_queue_for_device(name, &d),
						 -1);
			}
		}
		snapshot_free(&s);
	}
}
END_TEST

/* Each device's queues 0..7, no IRQ yet. */
static void give_queues(struct device *d)
{
	free(d->rxq);
	d->rxq = xcalloc(8, sizeof(*d->rxq));
	d->nrxq = 8;
	for (int q = 0; q < 8; q++) {
		d->rxq[q].id = q;
		d->rxq[q].irq = -1;
	}
}

/* irq_assign_queues() reads the vector kept when each row was parsed:
 * on generated rows, the queues' IRQs are those it gives when every name
 * is parsed again (as lines added by another source are). */
START_TEST(kept_vector_same_as_parsed)
{
	static const char *const pieces[] = {
		"mlx5_comp", "virtio2", "virtio", "-input.", "@pci:", "0000:",
		"8b:00.0", "eth0", "-", "-TxRx", "-rx", "0", "12", "65536", "x",
		"@pci:0000:8b:00.0", "@pci:8b:00.0", "@",
	};
	static const char *const heads[] = {
		"eth0-TxRx-", "i40e-eth0-rx-", "virtio2-input.", "em1-",
		"virtio-input.", "mlx5_comp", "eth0-tx-", "em1-fp-", "x",
	};
	static const char *const names[][3] = {
		{ "eth0", "virtio2", "0000:8b:00.0" },
		{ "em1", "", "8b:00.0" },
		{ "i40e", "virtio", "" },
	};
	unsigned int seed = 5;
	size_t kept = 0, assigned = 0;

	for (int round = 0; round < 200; round++) {
		struct strbuf text = { 0 };
		struct snapshot s;
		int want[3][8];

		sb_puts(&text, "           CPU0\n");
		for (int irq = 0; irq < 64; irq++) {
			sb_printf(&text, "%3d: %d PCI-MSI 1-edge ", irq, irq);
			/* A queue name's head and number, then at times
			 * random pieces. */
			sb_puts(&text, heads[rand_r(&seed) % ARRAY_SIZE(heads)]);
			sb_printf(&text, "%u", rand_r(&seed) % 9);
			for (int j = 0, n = (int)(rand_r(&seed) % 4) - 1; j < n;
			     j++)
				sb_puts(&text, pieces[rand_r(&seed) %
						      ARRAY_SIZE(pieces)]);
			sb_puts(&text, "\n");
		}
		snapshot_init(&s);
		ck_assert_int_eq(interrupts_parse(&s, text.s), 0);
		for (size_t d = 0; d < ARRAY_SIZE(names); d++) {
			struct device *dev = snapshot_device(&s, names[d][0]);

			copy_token(dev->parent, sizeof(dev->parent),
				   names[d][1], strlen(names[d][1]));
			copy_token(dev->bus_info, sizeof(dev->bus_info),
				   names[d][2], strlen(names[d][2]));
			give_queues(dev);
		}
		irq_assign_queues(&s);
		for (size_t d = 0; d < s.ndevs; d++) {
			for (int q = 0; q < 8; q++) {
				want[d][q] = s.devs[d].rxq[q].irq;
				assigned += want[d][q] >= 0;
			}
			give_queues(&s.devs[d]);
		}
		for (size_t i = 0; i < s.nirqs; i++) {
			kept += s.irqs[i].vec_kind != 0;
			s.irqs[i].vec_kind = 0;
		}
		irq_assign_queues(&s);
		for (size_t d = 0; d < s.ndevs; d++)
			for (int q = 0; q < 8; q++)
				ck_assert_int_eq(s.devs[d].rxq[q].irq,
						 want[d][q]);
		snapshot_free(&s);
		free(text.s);
	}
	ck_assert_uint_gt(kept, 2000);
	ck_assert_uint_gt(assigned, 1000);
}
END_TEST

static void every_file(const char *rel)
{
	struct snapshot s;

	ck_assert_msg(parse_file(&s, rel) == 0, "%s", rel);
	assert_no_notes(&s, rel);
	ck_assert(s.have_interrupts);
	snapshot_free(&s);
}

START_TEST(every_capture_parses)
{
	ck_assert_int_eq(text_for_each_data_file("interrupts", every_file), 6);
}
END_TEST

START_TEST(counts_missing)
{
	char *text = test_data("interrupts/igb-em1-16cpu-filtered-uncelvel.txt",
			       NULL);
	int line = text_find_line(text, "40:", 1);
	char *a = text_drop_token(text, line, 16);
	struct snapshot s;

	/* 15 counts for 16 CPUs: the name would be taken for a count. */
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, a), -EINVAL);
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], "/proc/interrupts: line 5: IRQ 40 has "
			 "15 counts for 16 CPUs");
	ck_assert_ptr_null(irq_by_number(&s, 40));
	ck_assert_uint_eq(s.nirqs, 7);
	snapshot_free(&s);
	free(a);

	a = text_drop_line(text, 1);
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, a), -EINVAL);
	ck_assert(any_note_has(&s, "header"));
	ck_assert(!s.have_interrupts);
	ck_assert_uint_eq(s.nirqs, 0);
	snapshot_free(&s);
	free(a);

	/* The note is written without a printf: the largest numbers. */
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, "CPU0 CPU1\n2147483647: 18446744"
					  "073709551615\n"), -EINVAL);
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], "/proc/interrupts: line 2: IRQ 2147483647 "
			 "has 1 counts for 2 CPUs");
	snapshot_free(&s);
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, "CPU0\n0:\n"), -EINVAL);
	ck_assert_str_eq(s.notes[0], "/proc/interrupts: line 2: IRQ 0 has 0 "
			 "counts for 1 CPUs");
	snapshot_free(&s);

	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, ""), -EINVAL);
	ck_assert(!s.have_interrupts);
	ck_assert_uint_eq(s.nnotes, 1);
	snapshot_free(&s);
	free(text);
}
END_TEST

/* Every cut of every capture: no crash, no invented IRQ, a note when a
 * line was cut. */
static void cut_everywhere(const char *rel)
{
	size_t len;
	char *text = test_data(rel, &len);
	struct snapshot full;

	snapshot_init(&full);
	ck_assert_int_eq(interrupts_parse(&full, text), 0);
	for (size_t cut = 0; cut <= len; cut++) {
		char *part_text = text_cut(text, cut);
		const char *p = part_text + cut;
		struct snapshot part;

		snapshot_init(&part);
		interrupts_parse(&part, part_text);
		ck_assert_uint_le(part.nirqs, full.nirqs);
		for (size_t i = 0; i < part.nirqs; i++)
			ck_assert_msg(part.irqs[i].irq == full.irqs[i].irq &&
				      part.irqs[i].total ==
					      full.irqs[i].total &&
				      strcmp(part.irqs[i].name,
					     full.irqs[i].name) == 0,
				      "%s cut at %zu: IRQ invented", rel, cut);
		while (p > part_text && p[-1] != '\n')
			p--;
		if (cut == 0 || count_tokens(p, part_text + cut) > 0)
			ck_assert_msg(part.nnotes > 0, "%s cut at %zu: no note",
				      rel, cut);
		snapshot_free(&part);
		free(part_text);
	}
	snapshot_free(&full);
	free(text);
}

START_TEST(truncated_anywhere)
{
	ck_assert_int_eq(text_for_each_data_file("interrupts", cut_everywhere),
			 6);
}
END_TEST

START_TEST(affinity_lines)
{
	struct snapshot s;
	const struct irq_line *l;

	ck_assert_int_eq(parse_file(&s,
		"interrupts/mlx5-azure-vm-8cpu-k3.10-lkml.txt"), 0);
	/* 25 is not a queue vector and 999 does not exist: ignored. */
	ck_assert_int_eq(irq_affinity_parse(&s, "28 0\n29 0-3,6\n25 1\n"
					    "999 2\n"), 0);
	assert_no_notes(&s, "affinity");
	l = irq_by_number(&s, 28);
	ck_assert(l->have_affinity);
	ck_assert(cpulist_has(l->affinity, 0));
	ck_assert(!cpulist_has(l->affinity, 1));
	l = irq_by_number(&s, 29);
	ck_assert(cpulist_has(l->affinity, 3) && cpulist_has(l->affinity, 6));
	ck_assert(!cpulist_has(l->affinity, 4));
	ck_assert(!irq_by_number(&s, 30)->have_affinity);
	/* The bitmap exists only for an IRQ whose affinity was read: a line
	 * of /proc/interrupts costs a small struct, not 4096 CPU bits. */
	ck_assert_ptr_null(irq_by_number(&s, 30)->affinity);
	ck_assert_uint_le(sizeof(struct irq_line), 64);

	ck_assert_int_eq(irq_affinity_parse(&s, "30 0-x\n31\n"), -EINVAL);
	ck_assert(any_note_has(&s, "irq-affinity: line 1: IRQ 30"));
	ck_assert(any_note_has(&s, "irq-affinity: line 2"));
	ck_assert(!irq_by_number(&s, 30)->have_affinity);
	/* A good list, then a bad one for the same IRQ: emptied, as before. */
	ck_assert_int_eq(irq_affinity_parse(&s, "28 1\n28 x\n"), -EINVAL);
	l = irq_by_number(&s, 28);
	ck_assert(!cpulist_has(l->affinity, 0) && !cpulist_has(l->affinity, 1));
	/* A cut last line ("0-15" -> "0-1") is not believed. */
	ck_assert_int_eq(irq_affinity_parse(&s, "32 0-1"), -EINVAL);
	ck_assert(!irq_by_number(&s, 32)->have_affinity);
	snapshot_free(&s);
}
END_TEST

START_TEST(live_host)
{
	struct snapshot s;
	char *text;

	ck_assert_int_eq(read_text_file("/proc/interrupts", &text, NULL), 0);
	snapshot_init(&s);
	ck_assert_int_eq(interrupts_parse(&s, text), 0);
	assert_no_notes(&s, "/proc/interrupts");
	ck_assert(s.have_interrupts);
	for (size_t i = 0; i < s.nirqs; i++)
		printf("live queue vector: IRQ %d %s\n", s.irqs[i].irq,
		       s.irqs[i].name);
	snapshot_free(&s);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("interrupts");
	TCase *tc = tcase_create("core");
	TCase *cut = tcase_create("truncated");

	tcase_add_test(tc, mlx5_two_devices_all_on_cpu0);
	tcase_add_test(tc, igb_em1_txrx);
	tcase_add_test(tc, virtio_input_only);
	tcase_add_test(tc, ena_tx_rx_arm64);
	tcase_add_test(tc, vmxnet3_rxtx_not_event);
	tcase_add_test(tc, legacy_laptop_no_queues);
	tcase_add_loop_test(tc, queue_names, 0, (int)ARRAY_SIZE(name_cases));
	tcase_add_test(tc, vector_parse_same_as_bytewise);
	tcase_add_test(tc, name_is_last_token);
	tcase_add_test(tc, kept_vector_same_as_parsed);
	tcase_add_test(tc, every_capture_parses);
	tcase_add_test(tc, counts_missing);
	tcase_add_test(tc, affinity_lines);
	tcase_add_test(tc, live_host);
	suite_add_tcase(s, tc);
	tcase_add_test(cut, truncated_anywhere);
	tcase_set_timeout(cut, 300);
	suite_add_tcase(s, cut);
	return test_run_suite(s);
}
