/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Counting the kernel's drop reasons live: loads and attaches the BPF
 * program (dropreason.bpf.c) once per run and prints its map as the
 * `drop-reasons` source at each refresh. Without BPF (no privileges, no
 * BTF, --no-drop-reasons, a --without-bpf build) it keeps the one reason
 * why, which each refresh adds as a note. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dropreason.h"
#include "util.h"

#ifdef HAVE_BPF
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dropreason_key.h"
/* bpftool's generated skeleton casts const away (its ELF bytes). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "dropreason.skel.h"
#pragma GCC diagnostic pop
#include "proc_kallsyms.h"

#define KALLSYMS "/proc/kallsyms"

/* Keys read per batch lookup. */
#define BATCH 256
#endif

/* NOT_SPECIFIED drops of one kernel function (its locations summed). */
struct loc_count {
	const char *func;
	uint64_t count;
};

struct drop_reasons {
	char why[200];               /* "" while counting */
#ifdef HAVE_BPF
	struct dropreason_bpf *skel;
	struct reason_names names;
	int ncpus;
	struct dropreason_key *keys; /* BATCH keys */
	uint64_t *vals;              /* BATCH * ncpus per-CPU values */
	struct strbuf out;
	char names_note[240];        /* a module's BTF could not be read */
	/* /proc/kallsyms, opened with privileges (the kernel shows addresses
	 * by the opener's credentials), read the first time a NOT_SPECIFIED
	 * location is counted. */
	int kallsyms_fd;
	bool kallsyms_read;
	struct kallsyms ksyms;
	char ksyms_note[240];
	struct loc_count *funcs;     /* DROPREASON_MAX_LOCATIONS */
#endif
};

static void set_why(struct drop_reasons *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_why(struct drop_reasons *d, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(d->why, sizeof(d->why), "drop reasons: ");

	va_start(ap, fmt);
	vsnprintf(d->why + n, sizeof(d->why) - (size_t)n, fmt, ap);
	va_end(ap);
}

#ifdef HAVE_BPF
/* libbpf's own messages would interleave with the dashboard; the cause
 * reaches the user as the note instead. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void why_load_failed(struct drop_reasons *d, int err, const char *step)
{
	if (err == -EPERM || err == -EACCES)
		set_why(d, "no privileges to %s the BPF program (needs root, or CAP_BPF and CAP_PERFMON)",
			step);
	else if (err == -ENOENT || err == -EINVAL)
		set_why(d, "cannot %s the BPF program on the kfree_skb raw tracepoint (kernel without it or without its reason argument: %s)",
			step, strerror(-err));
	else
		set_why(d, "cannot %s the BPF program: %s", step, strerror(-err));
}

static int watched_netns(struct drop_reasons *d, uint32_t *ino)
{
	struct stat st;
	int err;

	*ino = 0;
	if (stat("/proc/self/ns/net", &st) < 0) {
		err = errno;
		set_why(d, "/proc/self/ns/net: %s", strerror(err));
		return -err;
	}
	*ino = (uint32_t)st.st_ino;
	return 0;
}

static int load_and_attach(struct drop_reasons *d)
{
	uint32_t ino;
	int err;

	if (watched_netns(d, &ino) < 0)
		return -1;
	d->skel = dropreason_bpf__open();
	if (!d->skel) {
		why_load_failed(d, -errno, "open");
		return -1;
	}
	d->skel->rodata->watched_netns = ino;
	err = dropreason_bpf__load(d->skel);
	if (err) {
		why_load_failed(d, err, "load");
		return -1;
	}
	err = dropreason_bpf__attach(d->skel);
	if (err) {
		why_load_failed(d, err, "attach");
		return -1;
	}
	return 0;
}

/* Reading the names parses the kernel's BTF, as loading the program
 * does (about 0.15 s each): one thread does it while the other loads,
 * so droptop's first snapshot is not delayed by both. */
struct names_job {
	struct reason_names *names;
	char msg[160];
	int rc;
};

static void *read_names(void *arg)
{
	struct names_job *job = arg;

	job->rc = reason_names_from_btf(job->names, NULL, job->msg,
					sizeof(job->msg));
	return NULL;
}

static int count_cpus(struct drop_reasons *d)
{
	int n = libbpf_num_possible_cpus();

	if (n <= 0) {
		set_why(d, "cannot count possible CPUs: %s", strerror(-n));
		return -1;
	}
	d->ncpus = n;
	return 0;
}

/* Loads the program while the names are read; the names' failure (no
 * BTF, a kernel before 5.17) is the more telling reason, so it wins. */
static int load_with_names(struct drop_reasons *d)
{
	struct names_job job = { .names = &d->names };
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, read_names, &job) == 0;
	int rc;

	if (!threaded)
		read_names(&job);
	rc = load_and_attach(d);
	if (threaded)
		pthread_join(t, NULL);
	if (job.rc < 0) {
		set_why(d, "%s", job.msg);
		return -1;
	}
	return rc;
}

static void open_bpf(struct drop_reasons *d)
{
	libbpf_set_print(quiet);
	if (count_cpus(d) < 0)
		return;
	if (load_with_names(d) < 0) {
		dropreason_bpf__destroy(d->skel);
		d->skel = NULL;
		return;
	}
	d->kallsyms_fd = open(KALLSYMS, O_RDONLY | O_CLOEXEC);
	if (d->kallsyms_fd < 0)
		snprintf(d->ksyms_note, sizeof(d->ksyms_note),
			 "drop reasons: %s: %s: NOT_SPECIFIED drops not placed by function",
			 KALLSYMS, strerror(errno));
	d->funcs = xcalloc(DROPREASON_MAX_LOCATIONS, sizeof(*d->funcs));
	d->keys = xcalloc(BATCH, sizeof(*d->keys));
	d->vals = xcalloc((size_t)BATCH * (size_t)d->ncpus, sizeof(*d->vals));
	sb_init(&d->out);
}
#endif

struct drop_reasons *drop_reasons_open(bool enabled)
{
	struct drop_reasons *d = xcalloc(1, sizeof(*d));

#ifdef HAVE_BPF
	d->kallsyms_fd = -1;
#endif
	if (!enabled) {
		set_why(d, "off (--no-drop-reasons)");
		return d;
	}
#ifdef HAVE_BPF
	open_bpf(d);
#else
	set_why(d, "not in this build (configured --without-bpf)");
#endif
	return d;
}

void drop_reasons_close(struct drop_reasons *d)
{
	if (!d)
		return;
#ifdef HAVE_BPF
	dropreason_bpf__destroy(d->skel);
	reason_names_free(&d->names);
	free(d->keys);
	free(d->vals);
	sb_free(&d->out);
	if (d->kallsyms_fd >= 0)
		close(d->kallsyms_fd);
	kallsyms_free(&d->ksyms);
	free(d->funcs);
#endif
	free(d);
}

#ifdef HAVE_BPF
static uint64_t sum_cpus(const uint64_t *v, int ncpus)
{
	uint64_t sum = 0;

	for (int i = 0; i < ncpus; i++)
		sum += v[i];
	return sum;
}

/* A subsystem's reasons in a module: named from its BTF once seen. */
static void subsys_names(struct drop_reasons *d, uint32_t sub)
{
	char msg[128];

	if (reason_names_add_module(&d->names, sub, "/sys/kernel/btf", NULL,
				    msg, sizeof(msg)) < 0)
		snprintf(d->names_note, sizeof(d->names_note),
			 "drop reasons: %s: subsystem %u's reasons left as numbers",
			 msg, sub);
}

static void print_key(struct drop_reasons *d, const struct dropreason_key *k,
		      uint64_t count)
{
	char name[96], dev[IF_NAMESIZE] = "-";
	const char *fam = k->family == AF_INET ? "ipv4" :
			  k->family == AF_INET6 ? "ipv6" : "-";

	if (k->reason >> 16)
		subsys_names(d, k->reason >> 16);
	reason_name(&d->names, k->reason, name, sizeof(name));
	if (k->ifindex && !if_indextoname(k->ifindex, dev))
		snprintf(dev, sizeof(dev), "%s", "-");
	sb_printf(&d->out, "%s %s ", name, fam);
	if (k->protocol == IPPROTO_UDP)
		sb_puts(&d->out, "udp");
	else if (k->protocol == IPPROTO_TCP)
		sb_puts(&d->out, "tcp");
	else if (k->protocol)
		sb_printf(&d->out, "%u", k->protocol);
	else
		sb_puts(&d->out, "-");
	if (k->port)
		sb_printf(&d->out, " %u", k->port);
	else
		sb_puts(&d->out, " -");
	sb_printf(&d->out, " %s %llu\n", dev, (unsigned long long)count);
}

/* One key at a time: kernels before 5.6 have no batch lookup, and a hash
 * bucket larger than BATCH refuses the batch (ENOSPC). */
static int read_by_iteration(struct drop_reasons *d, int fd)
{
	struct dropreason_key key, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (bpf_map_lookup_elem(fd, &next, d->vals) == 0)
			print_key(d, &next, sum_cpus(d->vals, d->ncpus));
		key = next;
		prev = &key;
	}
	return 0;
}

static int read_by_batch(struct drop_reasons *d, int fd)
{
	struct dropreason_key batch;
	void *in = NULL;
	int err;

	do {
		__u32 count = BATCH;

		err = bpf_map_lookup_batch(fd, in, &batch, d->keys, d->vals,
					   &count, NULL);
		if (err && err != -ENOENT)
			return err;
		for (__u32 i = 0; i < count && i < BATCH; i++)
			print_key(d, &d->keys[i],
				  sum_cpus(d->vals + (size_t)i * (size_t)d->ncpus,
					   d->ncpus));
		in = &batch;
	} while (!err);
	return 0;
}

static uint64_t read_overflow(struct drop_reasons *d, __u32 slot)
{
	if (bpf_map_lookup_elem(bpf_map__fd(d->skel->maps.overflow), &slot,
				d->vals) < 0)
		return 0;
	return sum_cpus(d->vals, d->ncpus);
}

/* Reads /proc/kallsyms once; false when functions cannot be named. */
static bool load_kallsyms(struct drop_reasons *d)
{
	char msg[160];

	if (d->kallsyms_read)
		return d->ksyms.n && !d->ksyms.hidden;
	d->kallsyms_read = true;
	if (d->kallsyms_fd < 0)
		return false;
	if (kallsyms_read(&d->ksyms, d->kallsyms_fd, KALLSYMS, msg,
			  sizeof(msg)) < 0)
		snprintf(d->ksyms_note, sizeof(d->ksyms_note),
			 "drop reasons: %s: NOT_SPECIFIED drops not placed by function",
			 msg);
	else if (d->ksyms.hidden)
		snprintf(d->ksyms_note, sizeof(d->ksyms_note),
			 "drop reasons: %s shows no addresses (kernel.kptr_restrict): NOT_SPECIFIED drops not placed by function",
			 KALLSYMS);
	close(d->kallsyms_fd);
	d->kallsyms_fd = -1;
	return d->ksyms.n && !d->ksyms.hidden;
}

/* The function of a location, its count added; n functions so far. */
static void add_location(struct drop_reasons *d, uint64_t loc,
			 uint64_t count, size_t *n)
{
	const char *f = kallsyms_name(&d->ksyms, loc);

	if (!f)
		f = "unknown";
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(d->funcs[i].func, f) == 0) {
			d->funcs[i].count += count;
			return;
		}
	}
	if (*n < DROPREASON_MAX_LOCATIONS)
		d->funcs[(*n)++] = (struct loc_count){ f, count };
}

/* "location FUNCTION COUNT" per function (never an address: a replay on
 * another host shows the names), then the locations' overflow. */
static void print_locations(struct drop_reasons *d)
{
	int fd = bpf_map__fd(d->skel->maps.locations);
	__u64 key = 0, next;   /* no location is 0: the walk starts at the first */
	size_t n = 0;

	while (bpf_map_get_next_key(fd, &key, &next) == 0) {
		if (!load_kallsyms(d))
			break;
		if (bpf_map_lookup_elem(fd, &next, d->vals) == 0)
			add_location(d, next, sum_cpus(d->vals, d->ncpus), &n);
		key = next;
	}
	for (size_t i = 0; i < n; i++)
		sb_printf(&d->out, "location %s %llu\n", d->funcs[i].func,
			  (unsigned long long)d->funcs[i].count);
	sb_printf(&d->out, "location-overflow %llu\n",
		  (unsigned long long)read_overflow(d, 1));
}
#endif

void drop_reasons_collect(struct drop_reasons *d, struct raw_snapshot *r)
{
	if (!d)
		return;
	if (d->why[0]) {
		raw_note(r, "%s", d->why);
		return;
	}
#ifdef HAVE_BPF
	{
		int fd = bpf_map__fd(d->skel->maps.drops);

		sb_reset(&d->out);
		if (read_by_batch(d, fd) < 0) {
			sb_reset(&d->out);
			read_by_iteration(d, fd);
		}
		sb_printf(&d->out, "overflow %llu\n",
			  (unsigned long long)read_overflow(d, 0));
		print_locations(d);
		raw_add_copy(r, "drop-reasons", d->out.s ? d->out.s : "",
			     d->out.len);
		if (d->names_note[0])
			raw_note(r, "%s", d->names_note);
		if (d->ksyms_note[0])
			raw_note(r, "%s", d->ksyms_note);
	}
#endif
}
