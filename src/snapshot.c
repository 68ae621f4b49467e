#include "config.h"

#include <stdarg.h>
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
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	memset(s, 0, sizeof(*s));
}

struct cpu_stat *snapshot_cpu(struct snapshot *s, int cpu)
{
	if (cpu < 0 || cpu >= MAX_CPUS)
		return NULL;
	if (cpu >= s->ncpus) {
		s->cpus = xrealloc(s->cpus, (size_t)(cpu + 1) * sizeof(*s->cpus));
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
	for (size_t i = 0; i < s->ndevs; i++)
		if (strcmp(s->devs[i].name, name) == 0)
			return &s->devs[i];
	return NULL;
}

struct device *snapshot_device(struct snapshot *s, const char *name)
{
	struct device *d = snapshot_find_device(s, name);

	if (d)
		return d;
	s->devs = xrealloc(s->devs, (s->ndevs + 1) * sizeof(*s->devs));
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
	return d;
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
}

void snapshot_note(struct snapshot *s, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	s->notes = xrealloc(s->notes, (s->nnotes + 1) * sizeof(*s->notes));
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
