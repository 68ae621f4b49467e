#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "snapshot.h"
#include "util.h"

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SYSCTL_N; i++)
		s->sysctl_have[i] = false;
}

static void device_free(struct device *d)
{
	for (size_t i = 0; i < d->nctrs; i++)
		free(d->ctrs[i].name);
	free(d->ctrs);
	free(d->rxq);
	free(d->qs_rxq);
	free(d->qnapi);
	free(d->napis);
	free(d->rss_indir);
}

void snapshot_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->ndevs; i++)
		device_free(&s->devs[i]);
	free(s->devs);
	for (size_t i = 0; i < s->nirqs; i++)
		free(s->irqs[i].name);
	free(s->irqs);
	free(s->socks);
	free(s->cpus);
	free(s->nodes);
	free(s->receiver.threads);
	free(s->reasons);
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	free(s->dev_index.slots);
	free(s->irq_index.slots);
	memset(s, 0, sizeof(*s));
}

void *snapshot_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 8;

	if (need <= *cap)
		return arr;
	while (c < need && c <= SIZE_MAX / 2)
		c *= 2;
	if (c < need || c > SIZE_MAX / size)
		c = SIZE_MAX / size; /* xrealloc reports it out of memory */
	arr = xrealloc(arr, c * size);
	*cap = c;
	return arr;
}

/* ---- snap_index: positions by key ---- */

/* A device name, or an IRQ number when name is NULL. */
struct index_key {
	const char *name;
	int num;
};

typedef struct index_key (*key_at_fn)(const struct snapshot *s, size_t pos);

static struct index_key dev_key_at(const struct snapshot *s, size_t pos)
{
	return (struct index_key){ s->devs[pos].name, 0 };
}

static struct index_key irq_key_at(const struct snapshot *s, size_t pos)
{
	return (struct index_key){ NULL, s->irqs[pos].irq };
}

/* FNV-1a for names, a multiplicative mix for numbers. */
static size_t key_hash(struct index_key k)
{
	uint64_t h = 14695981039346656037ULL;

	if (!k.name)
		return (size_t)(((uint64_t)(unsigned int)k.num *
				 0x9e3779b97f4a7c15ULL) >> 17);
	for (const char *p = k.name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

static bool key_eq(struct index_key a, struct index_key b)
{
	if (a.name || b.name)
		return a.name && b.name && strcmp(a.name, b.name) == 0;
	return a.num == b.num;
}

/* The indexed position of key below count, or SIZE_MAX. */
static size_t index_find(const struct snap_index *x, key_at_fn key_at,
			 const struct snapshot *s, size_t count,
			 struct index_key k)
{
	size_t mask = x->nslots - 1, pos;

	if (x->nslots == 0)
		return SIZE_MAX;
	for (size_t i = key_hash(k) & mask; x->slots[i]; i = (i + 1) & mask) {
		pos = x->slots[i] - 1;
		if (pos < count && key_eq(key_at(s, pos), k))
			return pos;
	}
	return SIZE_MAX;
}

/* Indexes pos unless an earlier position has the same key (the first
 * one is what a walk would find). */
static void index_insert(struct snap_index *x, key_at_fn key_at,
			 const struct snapshot *s, size_t pos)
{
	struct index_key k = key_at(s, pos);
	size_t mask = x->nslots - 1, i;

	for (i = key_hash(k) & mask; x->slots[i]; i = (i + 1) & mask)
		if (key_eq(key_at(s, x->slots[i] - 1), k))
			return;
	x->slots[i] = pos + 1;
}

/* Indexes positions up to count, keeping the table at most half full.
 * An array that shrank under the index is indexed anew. */
static void index_sync(struct snap_index *x, key_at_fn key_at,
		       const struct snapshot *s, size_t count)
{
	if (count * 2 > x->nslots || x->n > count) {
		size_t n = x->nslots ? x->nslots : 16;

		while (count * 2 > n)
			n *= 2;
		free(x->slots);
		x->slots = xcalloc(n, sizeof(*x->slots));
		x->nslots = n;
		x->n = 0;
	}
	for (; x->n < count; x->n++)
		index_insert(x, key_at, s, x->n);
}

static void index_reset(struct snap_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}

struct cpu_stat *snapshot_cpu(struct snapshot *s, int cpu)
{
	if (cpu < 0 || cpu >= MAX_CPUS)
		return NULL;
	if (cpu >= s->ncpus) {
		s->cpus = snapshot_grow(s->cpus, &s->cpus_cap, (size_t)cpu + 1,
					sizeof(*s->cpus));
		for (int i = s->ncpus; i <= cpu; i++) {
			memset(&s->cpus[i], 0, sizeof(s->cpus[i]));
			s->cpus[i].numa_node = -1;
		}
		s->ncpus = cpu + 1;
	}
	return &s->cpus[cpu];
}

struct device *snapshot_find_device(const struct snapshot *s, const char *name)
{
	const struct snap_index *x = &s->dev_index;
	size_t pos = index_find(x, dev_key_at, s, s->ndevs,
				(struct index_key){ name, 0 });

	if (pos < s->ndevs)
		return &s->devs[pos];
	for (size_t i = x->n < s->ndevs ? x->n : s->ndevs; i < s->ndevs; i++)
		if (strcmp(s->devs[i].name, name) == 0)
			return &s->devs[i];
	return NULL;
}

struct device *snapshot_device(struct snapshot *s, const char *name)
{
	struct device *d = snapshot_find_device(s, name);

	if (d)
		return d;
	s->devs = snapshot_grow(s->devs, &s->devs_cap, s->ndevs + 1,
				sizeof(*s->devs));
	d = &s->devs[s->ndevs++];
	memset(d, 0, sizeof(*d));
	copy_token(d->name, sizeof(d->name), name, strlen(name));
	d->sys_rx_queues = -1;
	d->channels_rx = -1;
	d->channels_combined = -1;
	d->channels_max_rx = -1;
	d->channels_max_combined = -1;
	d->numa_node = -1;
	d->ring_rx = -1;
	d->ring_rx_max = -1;
	index_sync(&s->dev_index, dev_key_at, s, s->ndevs);
	return d;
}

struct irq_line *snapshot_add_irq(struct snapshot *s, int irq, char *name)
{
	struct irq_line *l;

	s->irqs = snapshot_grow(s->irqs, &s->irqs_cap, s->nirqs + 1,
				sizeof(*s->irqs));
	l = &s->irqs[s->nirqs++];
	memset(l, 0, sizeof(*l));
	l->irq = irq;
	l->name = name;
	index_sync(&s->irq_index, irq_key_at, s, s->nirqs);
	return l;
}

struct irq_line *snapshot_find_irq(const struct snapshot *s, int irq)
{
	const struct snap_index *x = &s->irq_index;
	size_t pos = index_find(x, irq_key_at, s, s->nirqs,
				(struct index_key){ NULL, irq });

	if (pos < s->nirqs)
		return &s->irqs[pos];
	for (size_t i = x->n < s->nirqs ? x->n : s->nirqs; i < s->nirqs; i++)
		if (s->irqs[i].irq == irq)
			return &s->irqs[i];
	return NULL;
}

void snapshot_keep_devices(struct snapshot *s, char *const *names, size_t n)
{
	size_t keep = 0;

	for (size_t i = 0; i < s->ndevs; i++) {
		bool wanted = false;

		for (size_t j = 0; j < n; j++)
			wanted |= strcmp(s->devs[i].name, names[j]) == 0;
		if (wanted)
			s->devs[keep++] = s->devs[i];
		else
			device_free(&s->devs[i]);
	}
	s->ndevs = keep;
	/* Positions moved: index them anew. */
	index_reset(&s->dev_index);
	index_sync(&s->dev_index, dev_key_at, s, s->ndevs);
}

void snapshot_note(struct snapshot *s, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	s->notes = snapshot_grow(s->notes, &s->notes_cap, s->nnotes + 1,
				 sizeof(*s->notes));
	s->notes[s->nnotes++] = sb_steal(&sb);
}

const char *snapshot_family_name(int family)
{
	if (family == AF_INET)
		return "ipv4";
	if (family == AF_INET6)
		return "ipv6";
	return NULL;
}

static int device_queue_count(const struct device *d)
{
	int n = d->sys_rx_queues > 0 ? d->sys_rx_queues : 0;

	for (size_t i = 0; i < d->nctrs; i++) {
		const struct counter_class *c = &d->ctrs[i].cls;

		if (c->dir == DIR_RX && c->queue >= n && c->queue < 65536)
			n = c->queue + 1;
	}
	if (d->nqs_rxq > n)
		n = d->nqs_rxq;
	return n;
}

static void add_queue_counter(struct rx_queue *q, const struct ethtool_counter *c)
{
	switch (c->cls.kind) {
	case KIND_PACKETS:
		q->have_packets = true;
		q->packets += c->value;
		break;
	case KIND_BYTES:
		q->have_bytes = true;
		q->bytes += c->value;
		break;
	case KIND_DROPS:
		q->have_drops = true;
		q->drops += c->value;
		break;
	case KIND_OTHER:
		break;
	}
}

/* Sums the driver's counters into per-queue figures and a device-level
 * drop total. */
static void device_sum_counters(struct device *d)
{
	free(d->rxq);
	d->nrxq = device_queue_count(d);
	d->rxq = xcalloc((size_t)d->nrxq, sizeof(*d->rxq));
	for (int q = 0; q < d->nrxq; q++) {
		d->rxq[q].irq = -1;
		d->rxq[q].napi_pid = -1;
	}
	d->have_nic_drops = false;
	d->nic_drops = 0;
	for (size_t i = 0; i < d->nctrs; i++) {
		const struct ethtool_counter *c = &d->ctrs[i];

		if (c->cls.dir == DIR_RX && c->cls.queue >= 0 &&
		    c->cls.queue < d->nrxq)
			add_queue_counter(&d->rxq[c->cls.queue], c);
		else if (c->cls.queue < 0 && c->cls.kind == KIND_DROPS &&
			 c->cls.dir != DIR_TX) {
			d->have_nic_drops = true;
			d->nic_drops += c->value;
		}
	}
}

static void cpus_map_numa(struct snapshot *s)
{
	for (size_t n = 0; n < s->nnodes; n++)
		for (int c = 0; c < s->ncpus; c++)
			if (cpulist_has(s->nodes[n].cpus, c))
				s->cpus[c].numa_node = s->nodes[n].node;
}

void snapshot_finish(struct snapshot *s)
{
	for (size_t i = 0; i < s->ndevs; i++)
		device_sum_counters(&s->devs[i]);
	cpus_map_numa(s);
}
