/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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
	arena_free(&d->ctr_names);
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
	for (size_t i = 0; i < s->nirqs; i++) {
		free(s->irqs[i].name);
		free(s->irqs[i].affinity);
	}
	free(s->irqs);
	free(s->socks);
	free(s->cpus);
	free(s->nodes);
	free(s->receiver.threads);
	free(s->reasons);
	free(s->reason_funcs);
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	free(s->dev_index.slots);
	free(s->irq_index.slots);
	free(s->node_pos);
	memset(s, 0, sizeof(*s));
}

/* The first capacity: 8 slots, or fewer of a large element (a struct
 * device is ~700 bytes): most snapshots of a fuzz input or a replayed
 * source have one device, and under ASan every byte allocated costs. */
static size_t first_cap(size_t size)
{
	size_t c = 1024 / (size ? size : 1);

	return c < 1 ? 1 : c > 8 ? 8 : c;
}

void *snapshot_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : first_cap(size);

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

void snapshot_reserve_devices(struct snapshot *s, size_t n)
{
	if (n > SNAP_MAX_DEVICES)
		n = SNAP_MAX_DEVICES;
	if (n <= s->devs_cap)
		return;
	s->devs = xrealloc(s->devs, n * sizeof(*s->devs));
	s->devs_cap = n;
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

static const char *const limit_text[LIMIT_N] = {
	[LIMIT_DEVICES] = "more than " STR(SNAP_MAX_DEVICES) " devices",
	[LIMIT_DEVICE_NAME] = "device name of " STR(IF_NAMESIZE) " bytes or more",
	[LIMIT_QUEUES_PER_DEVICE] =
		"RX queue ids from " STR(SNAP_MAX_QUEUES_PER_DEVICE) " up",
	[LIMIT_QUEUES] = "more than " STR(SNAP_MAX_QUEUES) " RX queues in all",
	[LIMIT_COUNTERS] =
		"more than " STR(SNAP_MAX_COUNTERS) " driver counters",
	[LIMIT_THREADS] =
		"receiver thread ids from " STR(SNAP_MAX_THREADS) " up",
	[LIMIT_NODES] = "NUMA node ids from " STR(SNAP_MAX_NODES) " up",
	[LIMIT_IRQS] = "more than " STR(SNAP_MAX_IRQS) " queue IRQs",
	[LIMIT_SOCKETS] = "more than " STR(SNAP_MAX_SOCKETS) " UDP sockets",
};

bool snapshot_over_limit(struct snapshot *s, enum snap_limit limit,
			 const char *what)
{
	if (s->limits_noted & (1u << limit))
		return false;
	s->limits_noted |= 1u << limit;
	snapshot_note(s, "%s: %s: ignored beyond the recording limit "
		      "(droptop(8), Recording limits)", what, limit_text[limit]);
	return false;
}

bool snapshot_device_allowed(struct snapshot *s, const char *name)
{
	if (strlen(name) >= IF_NAMESIZE)
		return snapshot_over_limit(s, LIMIT_DEVICE_NAME, name);
	if (s->ndevs < SNAP_MAX_DEVICES || snapshot_find_device(s, name))
		return true;
	return snapshot_over_limit(s, LIMIT_DEVICES, name);
}

struct device *snapshot_device(struct snapshot *s, const char *name)
{
	char key[IF_NAMESIZE];
	struct device *d;

	/* Stored and looked up cut the same way (sources refuse such names
	 * first: snapshot_device_allowed()). */
	copy_token(key, sizeof(key), name, strlen(name));
	d = snapshot_find_device(s, key);
	if (d)
		return d;
	s->devs = snapshot_grow(s->devs, &s->devs_cap, s->ndevs + 1,
				sizeof(*s->devs));
	d = &s->devs[s->ndevs++];
	memset(d, 0, sizeof(*d));
	memcpy(d->name, key, sizeof(d->name));
	d->sys_rx_queues = -1;
	d->carrier = -1;
	d->admin_up = -1;
	d->channels_rx = -1;
	d->channels_combined = -1;
	d->channels_max_rx = -1;
	d->channels_max_combined = -1;
	d->numa_node = -1;
	d->ring_rx = -1;
	d->rp_filter = -1;
	d->ring_rx_max = -1;
	index_sync(&s->dev_index, dev_key_at, s, s->ndevs);
	return d;
}

struct irq_line *snapshot_add_irq(struct snapshot *s, int irq, char *name)
{
	struct irq_line *l;

	if (s->nirqs >= SNAP_MAX_IRQS) {
		snapshot_over_limit(s, LIMIT_IRQS, "/proc/interrupts");
		free(name);
		return NULL;
	}
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

/* The position of node id in nodes[], or SIZE_MAX. */
static size_t node_position(const struct snapshot *s, int id)
{
	size_t pos;

	if (id < 0 || id >= SNAP_MAX_NODES)
		return SIZE_MAX;
	pos = (size_t)id < s->node_pos_cap ? s->node_pos[id] : 0;
	if (pos > 0 && pos <= s->nnodes && s->nodes[pos - 1].node == id)
		return pos - 1;
	for (size_t i = 0; i < s->nnodes; i++) /* nodes not added here */
		if (s->nodes[i].node == id)
			return i;
	return SIZE_MAX;
}

/* Indexes the node just added with id (0 <= id < SNAP_MAX_NODES). */
static void node_index(struct snapshot *s, int id)
{
	size_t cap = s->node_pos_cap;

	if ((size_t)id >= cap) {
		s->node_pos = snapshot_grow(s->node_pos, &s->node_pos_cap,
					    (size_t)id + 1,
					    sizeof(*s->node_pos));
		memset(s->node_pos + cap, 0,
		       (s->node_pos_cap - cap) * sizeof(*s->node_pos));
	}
	s->node_pos[id] = (uint16_t)s->nnodes;
}

const struct numa_node *snapshot_find_node(const struct snapshot *s, int id)
{
	size_t pos = node_position(s, id);

	return pos == SIZE_MAX ? NULL : &s->nodes[pos];
}

struct numa_node *snapshot_node(struct snapshot *s, int id)
{
	size_t pos = node_position(s, id);
	struct numa_node *n;

	if (pos != SIZE_MAX)
		return &s->nodes[pos];
	if (id < 0 || id >= SNAP_MAX_NODES || s->nnodes >= SNAP_MAX_NODES) {
		snapshot_over_limit(s, LIMIT_NODES, "numa");
		return NULL;
	}
	s->nodes = snapshot_grow(s->nodes, &s->nodes_cap, s->nnodes + 1,
				 sizeof(*s->nodes));
	n = &s->nodes[s->nnodes++];
	memset(n, 0, sizeof(*n));
	n->node = id;
	node_index(s, id);
	return n;
}

bool snapshot_reserve_queue(struct snapshot *s, const struct device *d, int q)
{
	if (q < 0 || q >= SNAP_MAX_QUEUES_PER_DEVICE)
		return snapshot_over_limit(s, LIMIT_QUEUES_PER_DEVICE, d->name);
	if (s->qs_slots >= SNAP_MAX_QUEUES)
		return snapshot_over_limit(s, LIMIT_QUEUES, d->name);
	s->qs_slots++;
	return true;
}

const struct receiver_thread *snapshot_find_thread(const struct snapshot *s,
						   int id)
{
	const struct receiver_state *r = &s->receiver;
	size_t pos = id >= 0 && id < SNAP_MAX_THREADS ? r->thread_pos[id] : 0;

	if (pos > 0 && pos <= r->nthreads && r->threads[pos - 1].id == id)
		return &r->threads[pos - 1];
	/* Threads not added by receiver_parse() are not indexed. */
	for (size_t i = r->nindexed; i < r->nthreads; i++)
		if (r->threads[i].id == id)
			return &r->threads[i];
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

const char *snapshot_missing_device(const struct snapshot *s, size_t nsnaps,
				    char *const *names, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		bool seen = false;

		for (size_t i = 0; i < nsnaps && !seen; i++)
			seen = snapshot_find_device(&s[i], names[j]) != NULL;
		if (!seen)
			return names[j];
	}
	return NULL;
}

void snapshot_note_take(struct snapshot *s, char *text)
{
	s->notes = snapshot_grow(s->notes, &s->notes_cap, s->nnotes + 1,
				 sizeof(*s->notes));
	s->notes[s->nnotes++] = text;
}

/* Formatted once on the stack and allocated at its size: xvasprintf()
 * starts from 64 bytes, so a longer note (most) was formatted twice and
 * allocated twice, and mutated inputs make a note per bad line. */
void snapshot_note(struct snapshot *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(buf)) {
		snapshot_note_take(s, xstrndup(buf, (size_t)n));
		return;
	}
	va_start(ap, fmt);
	snapshot_note_take(s, xvasprintf(fmt, ap));
	va_end(ap);
}

const char *snapshot_family_name(int family)
{
	if (family == AF_INET)
		return "ipv4";
	if (family == AF_INET6)
		return "ipv6";
	return NULL;
}

#define QUEUE_WORDS (SNAP_MAX_QUEUES_PER_DEVICE / 64)

static void mark_queue(uint64_t *ids, int q)
{
	ids[q / 64] |= UINT64_C(1) << (q % 64);
}

/* Queues 0..n-1: sysfs gives the count of a device's RX queues. */
static void mark_first_queues(struct snapshot *s, const struct device *d,
			      uint64_t *ids)
{
	int n = d->sys_rx_queues > 0 ? d->sys_rx_queues : 0;

	if (n > SNAP_MAX_QUEUES_PER_DEVICE) {
		snapshot_over_limit(s, LIMIT_QUEUES_PER_DEVICE, d->name);
		n = SNAP_MAX_QUEUES_PER_DEVICE;
	}
	for (int w = 0; w < n / 64; w++)
		ids[w] = UINT64_MAX;
	if (n % 64)
		ids[n / 64] = (UINT64_C(1) << (n % 64)) - 1;
}

/* The RX queue ids of d that some source names, as a bitmap: sysfs's
 * count, the driver's per-queue counters and the qstats lines. A set, not
 * the highest id: "rx 4000" alone is one queue, not 4001. */
static void device_queue_ids(struct snapshot *s, const struct device *d,
			     uint64_t *ids)
{
	memset(ids, 0, QUEUE_WORDS * sizeof(*ids));
	mark_first_queues(s, d, ids);
	for (size_t i = 0; i < d->nctrs; i++) {
		const struct counter_class *c = &d->ctrs[i].cls;

		if (c->dir != DIR_RX || c->queue < 0)
			continue;
		if (c->queue < SNAP_MAX_QUEUES_PER_DEVICE)
			mark_queue(ids, c->queue);
		else /* "rx65535_packets": that queue only is dropped */
			snapshot_over_limit(s, LIMIT_QUEUES_PER_DEVICE, d->name);
	}
	for (size_t i = 0; i < d->nqs_rxq; i++) /* in range: reserved */
		mark_queue(ids, d->qs_rxq[i].queue);
}

/* d->rxq from the id bitmap, in id order, within the room left of
 * SNAP_MAX_QUEUES (the lowest ids are kept). */
static void device_queues_alloc(struct snapshot *s, struct device *d,
				const uint64_t *ids, size_t room)
{
	size_t n = 0, k = 0;

	for (int w = 0; w < QUEUE_WORDS; w++)
		n += (size_t)__builtin_popcountll(ids[w]);
	if (n > room) {
		snapshot_over_limit(s, LIMIT_QUEUES, d->name);
		n = room;
	}
	free(d->rxq);
	d->rxq = xcalloc(n, sizeof(*d->rxq));
	d->nrxq = (int)n;
	for (int w = 0; w < QUEUE_WORDS && k < n; w++) {
		for (uint64_t b = ids[w]; b && k < n; b &= b - 1) {
			struct rx_queue *q = &d->rxq[k++];

			q->id = w * 64 + __builtin_ctzll(b);
			q->irq = -1;
			q->napi_pid = -1;
		}
	}
}

struct rx_queue *device_rxq(const struct device *d, int id)
{
	int lo = 0, hi = d->nrxq;

	/* Queues 0..n-1 all named, the usual case: the id is the index. */
	if (id >= 0 && id < d->nrxq && d->rxq[id].id == id)
		return &d->rxq[id];
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (d->rxq[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nrxq && d->rxq[lo].id == id ? &d->rxq[lo] : NULL;
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
static void device_sum_counters(struct snapshot *s, struct device *d,
				size_t room)
{
	uint64_t ids[QUEUE_WORDS];

	device_queue_ids(s, d, ids);
	device_queues_alloc(s, d, ids, room);
	d->have_nic_drops = false;
	d->nic_drops = 0;
	for (size_t i = 0; i < d->nctrs; i++) {
		const struct ethtool_counter *c = &d->ctrs[i];

		if (c->cls.dir == DIR_RX && c->cls.queue >= 0) {
			struct rx_queue *q = device_rxq(d, c->cls.queue);

			if (q)
				add_queue_counter(q, c);
		} else if (c->cls.queue < 0 && c->cls.kind == KIND_DROPS &&
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
	size_t room = SNAP_MAX_QUEUES;

	for (size_t i = 0; i < s->ndevs; i++) {
		device_sum_counters(s, &s->devs[i], room);
		room -= (size_t)s->devs[i].nrxq;
	}
	cpus_map_numa(s);
}
