/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in receiver. Each thread loops on recvmmsg(MSG_WAITFORONE):
 * it blocks for the first datagram and then takes whatever else is queued,
 * up to the batch size, in the same call. Its counters live in their own
 * cache line and are written only by that thread with relaxed atomic
 * stores (plain moves on x86), so readers never slow the hot path and no
 * lock is taken. A receive timeout lets the threads see a stop request;
 * on stop each drains its socket before exiting, so the totals count every
 * datagram that reached it. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "privs.h"
#include "receiver.h"

/* Room for an Ethernet-MTU datagram; longer ones are truncated, but
 * MSG_TRUNC still reports (and counts) their real length. */
#define RX_BUF_SIZE 2048
#define RX_TIMEOUT_MS 100

struct rx_counters {
	_Atomic uint64_t packets;
	_Atomic uint64_t bytes;
	_Atomic uint64_t calls;
	_Atomic uint64_t full;
	_Atomic int cpu;
	_Atomic int node;
};

struct rx_thread {
	alignas(64) struct rx_counters c; /* written by this thread only */
	alignas(64) struct receiver *r;
	int id;
	int fd;
	int pin_cpu; /* -1: the placement mask */
	bool started;
	pthread_t tid;
	struct mmsghdr *msgs;
	struct iovec *iov;
	char *bufs;
	int error; /* errno that ended it, or 0 */
};

struct receiver {
	struct receiver_config cfg;
	struct netaddr bound;
	int *fds;
	int nfds;
	struct rx_thread *t;
	bool have_place;
	uint64_t place[CPU_WORDS];
	int64_t sk_rcvbuf; /* getsockopt SO_RCVBUF, -1 */
	int64_t rmem_max;  /* -1 unknown */
	bool rcvbuf_forced;
	int busy_poll; /* as read back, -1 unknown */
	_Atomic bool stop;
	bool stopped;
	int64_t start_ns, stop_ns;
	char *joined; /* with --join: the sockets shared, or NULL */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int errf(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (rc < 0 && n + 3 < errlen)
		snprintf(err + n, errlen - n, ": %s", strerror(-rc));
	return rc;
}

/* getcpu() (glibc 2.29) gives the node too, through the vDSO. */
static int current_cpu(unsigned *cpu, unsigned *node)
{
#ifdef HAVE_GETCPU
	return getcpu(cpu, node);
#else
	int c = sched_getcpu();

	if (c < 0)
		return -1;
	*cpu = (unsigned)c;
	*node = (unsigned)-1;
	return 0;
#endif
}

/* The hot path: one recvmmsg, then the counters. */
static int rx_once(struct rx_thread *t, int flags, uint64_t *v)
{
	int n =
	    recvmmsg(t->fd, t->msgs, (unsigned)t->r->cfg.batch, flags, NULL);
	unsigned cpu, node;
	uint64_t bytes = 0;

	if (n <= 0)
		return n;
	for (int i = 0; i < n; i++)
		bytes += t->msgs[i].msg_len;
	v[0] += (uint64_t)n;
	v[1] += bytes;
	v[2]++;
	v[3] += n == t->r->cfg.batch;
	atomic_store_explicit(&t->c.packets, v[0], memory_order_relaxed);
	atomic_store_explicit(&t->c.bytes, v[1], memory_order_relaxed);
	atomic_store_explicit(&t->c.calls, v[2], memory_order_relaxed);
	atomic_store_explicit(&t->c.full, v[3], memory_order_relaxed);
	if (current_cpu(&cpu, &node) == 0) {
		atomic_store_explicit(&t->c.cpu, (int)cpu,
				      memory_order_relaxed);
		atomic_store_explicit(&t->c.node, (int)node,
				      memory_order_relaxed);
	}
	return n;
}

static bool rx_soft_error(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ENOMEM ||
	       e == ENOBUFS;
}

static void *rx_main(void *arg)
{
	struct rx_thread *t = arg;
	uint64_t v[4] = {0, 0, 0, 0};
	const int flags = MSG_WAITFORONE | MSG_TRUNC;
	char err[160];

	/* Capabilities are per thread, and this one needs none. */
	if (privs_drop(false, err, sizeof(err)) < 0) {
		t->error = EPERM;
		return NULL;
	}
	while (!atomic_load_explicit(&t->r->stop, memory_order_relaxed)) {
		if (rx_once(t, flags, v) < 0 && !rx_soft_error(errno)) {
			t->error = errno;
			return NULL;
		}
	}
	/* Drain: what is queued now was received by the host for us. */
	while (rx_once(t, flags | MSG_DONTWAIT, v) > 0)
		;
	return NULL;
}

static int thread_buffers(struct rx_thread *t, int batch)
{
	t->msgs = calloc((size_t)batch, sizeof(*t->msgs));
	t->iov = calloc((size_t)batch, sizeof(*t->iov));
	t->bufs = malloc((size_t)batch * RX_BUF_SIZE);
	if (!t->msgs || !t->iov || !t->bufs)
		return -ENOMEM;
	/* Touch the buffers now, not on the first packets. */
	memset(t->bufs, 0, (size_t)batch * RX_BUF_SIZE);
	for (int i = 0; i < batch; i++) {
		t->iov[i].iov_base = t->bufs + (size_t)i * RX_BUF_SIZE;
		t->iov[i].iov_len = RX_BUF_SIZE;
		t->msgs[i].msg_hdr.msg_iov = &t->iov[i];
		t->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

void receiver_config_init(struct receiver_config *c)
{
	memset(c, 0, sizeof(*c));
	c->threads = 1;
	c->batch = RECEIVER_DEFAULT_BATCH;
	c->reuseport = true;
	c->busy_poll = -1;
}

int receiver_config_set(struct receiver_config *c, enum receiver_opt opt,
			const char *arg, char *err, size_t errlen)
{
	uint64_t v;
	int rc = 0;

	switch (opt) {
	case RXOPT_RECEIVE:
		return netopt_addr(arg, true, 0, &c->addr, err, errlen);
	case RXOPT_THREADS:
		rc = netopt_uint("--threads", arg, 1, RECEIVER_MAX_THREADS, &v,
				 err, errlen);
		c->threads = rc ? c->threads : (int)v;
		return rc;
	case RXOPT_BATCH:
		rc = netopt_uint("--batch", arg, 1, RECEIVER_MAX_BATCH, &v, err,
				 errlen);
		c->batch = rc ? c->batch : (int)v;
		return rc;
	case RXOPT_NO_REUSEPORT:
		c->reuseport = false;
		return 0;
	case RXOPT_JOIN:
		c->join = true;
		return 0;
	case RXOPT_RCVBUF:
		return netopt_bytes("--rcvbuf", arg, 1, RECEIVER_MAX_RCVBUF,
				    &c->rcvbuf, err, errlen);
	case RXOPT_BUSY_POLL:
		rc = netopt_uint("--busy-poll", arg, 0, RECEIVER_MAX_BUSY_POLL,
				 &v, err, errlen);
		c->busy_poll = rc ? c->busy_poll : (int)v;
		return rc;
	case RXOPT_CPUS:
		rc = netopt_cpus("--cpus", arg, c->cpus, err, errlen);
		c->have_cpus = rc > 0;
		return rc > 0 ? 0 : rc;
	}
	return -EINVAL;
}

static int64_t read_rmem_max(void)
{
	char *text;
	size_t len;
	uint64_t v;
	int64_t out = -1;

	if (read_text_file("/proc/sys/net/core/rmem_max", &text, &len) < 0)
		return -1;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (parse_u64(text, len, 10, &v))
		out = (int64_t)v;
	free(text);
	return out;
}

/* SO_RCVBUFFORCE passes rmem_max when allowed (CAP_NET_ADMIN); otherwise
 * SO_RCVBUF, which the kernel caps at rmem_max. The kernel doubles the
 * value for its bookkeeping: half of what getsockopt returns is what was
 * granted. Without --rcvbuf the default size is asked for the same way,
 * and a refusal keeps the kernel's default instead of failing. */
static int set_rcvbuf(struct receiver *r, int fd)
{
	uint64_t want = r->cfg.rcvbuf ? r->cfg.rcvbuf : RECEIVER_DEFAULT_RCVBUF;
	int v = (int)want, got = 0;
	socklen_t len = sizeof(got);

	r->rcvbuf_forced = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v,
				      sizeof(v)) == 0;
	if (!r->rcvbuf_forced &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0 &&
	    r->cfg.rcvbuf)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0)
		r->sk_rcvbuf = got;
	return 0;
}

static int set_options(struct receiver *r, int fd, char *err, size_t errlen)
{
	struct timeval tv = {0, RX_TIMEOUT_MS * 1000};
	int one = 1, v, rc;
	socklen_t len = sizeof(v);

	if (r->cfg.reuseport &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		return errf(err, errlen, -errno, "SO_REUSEPORT");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return errf(err, errlen, -errno, "SO_RCVTIMEO");
	rc = set_rcvbuf(r, fd);
	if (rc < 0)
		return errf(err, errlen, rc, "SO_RCVBUF %llu",
			    (unsigned long long)r->cfg.rcvbuf);
	v = r->cfg.busy_poll;
	if (v >= 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &v, sizeof(v)) < 0)
		return errf(err, errlen, -errno, "SO_BUSY_POLL %d", v);
	if (getsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &v, &len) == 0)
		r->busy_poll = v;
	return 0;
}

/* One socket bound to the address; with port 0 the first socket's port is
 * reused by the others so that they form one REUSEPORT group. */
static int open_socket(struct receiver *r, char *err, size_t errlen)
{
	char name[80];
	int fd, rc;

	fd = socket(r->bound.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errf(err, errlen, -errno, "socket");
	rc = set_options(r, fd, err, errlen);
	netaddr_format(&r->bound, name, sizeof(name));
	if (rc == 0 &&
	    bind(fd, (struct sockaddr *)&r->bound.ss, r->bound.len) < 0)
		rc = errf(err, errlen, -errno, "bind %s", name);
	if (rc == 0 && netaddr_port(&r->bound) == 0) {
		socklen_t len = sizeof(r->bound.ss);

		getsockname(fd, (struct sockaddr *)&r->bound.ss, &len);
	}
	if (rc < 0) {
		close(fd);
		return rc;
	}
	r->fds[r->nfds++] = fd;
	return fd;
}

static int open_sockets(struct receiver *r, char *err, size_t errlen)
{
	int n = r->cfg.reuseport ? r->cfg.threads : 1;

	r->fds = xcalloc((size_t)n, sizeof(*r->fds));
	for (int i = 0; i < n; i++) {
		int fd = open_socket(r, err, errlen);

		if (fd < 0)
			return fd;
	}
	return 0;
}

static void thread_affinity(const struct receiver *r, const struct rx_thread *t,
			    cpu_set_t *set)
{
	CPU_ZERO(set);
	if (t->pin_cpu >= 0 && t->pin_cpu < CPU_SETSIZE) {
		CPU_SET(t->pin_cpu, set);
		return;
	}
	for (int cpu = 0; cpu < MAX_CPUS && cpu < CPU_SETSIZE; cpu++)
		if (cpulist_has(r->place, cpu))
			CPU_SET(cpu, set);
}

static int start_thread(struct receiver *r, struct rx_thread *t, char *err,
			size_t errlen)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int rc;

	if (thread_buffers(t, r->cfg.batch) < 0)
		return errf(err, errlen, -ENOMEM, "receiver thread %d", t->id);
	pthread_attr_init(&attr);
	if (t->pin_cpu >= 0 || r->have_place) {
		thread_affinity(r, t, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	rc = pthread_create(&t->tid, &attr, rx_main, t);
	pthread_attr_destroy(&attr);
	if (rc)
		return t->pin_cpu >= 0 ? errf(err, errlen, -rc,
					      "receiver thread %d on CPU %d",
					      t->id, t->pin_cpu)
				       : errf(err, errlen, -rc,
					      "receiver thread %d", t->id);
	t->started = true;
	return 0;
}

/* Threads start with every signal blocked: SIGINT and SIGTERM go to the
 * main thread, which decides when to stop. */
static int start_all(struct receiver *r, char *err, size_t errlen)
{
	sigset_t all, old;
	int rc = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r->start_ns = now_ns();
	for (int i = 0; i < r->cfg.threads && rc == 0; i++)
		rc = start_thread(r, &r->t[i], err, errlen);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int start_threads(struct receiver *r, char *err, size_t errlen)
{
	r->t = aligned_alloc(64, (size_t)r->cfg.threads * sizeof(*r->t));
	if (!r->t)
		return errf(err, errlen, -ENOMEM, "receiver threads");
	memset(r->t, 0, (size_t)r->cfg.threads * sizeof(*r->t));
	for (int i = 0; i < r->cfg.threads; i++) {
		struct rx_thread *t = &r->t[i];

		t->r = r;
		t->id = i;
		t->fd = r->fds[r->cfg.reuseport ? i : 0];
		t->pin_cpu =
		    r->cfg.have_cpus ? netopt_nth_cpu(r->cfg.cpus, i) : -1;
		atomic_init(&t->c.cpu, -1);
		atomic_init(&t->c.node, -1);
	}
	return start_all(r, err, errlen);
}

/* Another program's sockets on the port: refused, or with --join kept to
 * be warned about in receiver_describe(). */
static int guard_port(struct receiver *r, char *err, size_t errlen)
{
	char name[80];
	struct strbuf sb;

	sb_init(&sb);
	if (receiver_guard_check(&r->bound, &sb, err, errlen) <= 0) {
		sb_free(&sb);
		return 0;
	}
	netaddr_format(&r->bound, name, sizeof(name));
	if (r->cfg.join) {
		r->joined = sb_steal(&sb);
		return 0;
	}
	errf(err, errlen, 0,
	     "%s is already in use: %s; sharing it would take a part of their "
	     "datagrams (--join to share it anyway)", name, sb.s);
	sb_free(&sb);
	return -EADDRINUSE;
}

int receiver_start(const struct receiver_config *c, const uint64_t *place,
		   struct receiver **out, char *err, size_t errlen)
{
	struct receiver *r = xcalloc(1, sizeof(*r));
	int rc;

	r->cfg = *c;
	r->bound = c->addr;
	r->sk_rcvbuf = -1;
	r->busy_poll = -1;
	r->rmem_max = read_rmem_max();
	if (place && !c->have_cpus) {
		r->have_place = true;
		memcpy(r->place, place, sizeof(r->place));
	}
	atomic_init(&r->stop, false);
	rc = guard_port(r, err, errlen);
	if (rc == 0)
		rc = open_sockets(r, err, errlen);
	if (rc == 0)
		rc = start_threads(r, err, errlen);
	if (rc < 0) {
		receiver_stop(r);
		receiver_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* The kernel doubles an SO_RCVBUF value for its accounting (skb overhead)
 * and getsockopt returns the doubled limit: half of it is what was
 * granted of the value asked. */
static void describe_rcvbuf(const struct receiver *r, struct strbuf *out)
{
	long long limit = (long long)r->sk_rcvbuf;
	uint64_t want = r->cfg.rcvbuf ? r->cfg.rcvbuf : RECEIVER_DEFAULT_RCVBUF;

	sb_printf(out,
		  "rcvbuf: asked %llu%s with %s, granted %lld (kernel limit "
		  "%lld bytes per socket)",
		  (unsigned long long)want, r->cfg.rcvbuf ? "" : " (default)",
		  r->rcvbuf_forced ? "SO_RCVBUFFORCE" : "SO_RCVBUF",
		  limit >= 0 ? limit / 2 : -1, limit);
	if (limit >= 0 && (uint64_t)limit / 2 < want && !r->rcvbuf_forced)
		sb_printf(out, "; capped by net.core.rmem_max = %lld",
			  (long long)r->rmem_max);
	sb_putc(out, '\n');
}

static void describe_placement(const struct receiver *r, struct strbuf *out)
{
	char list[256];

	if (r->cfg.have_cpus) {
		sb_puts(out, "threads pinned to CPUs");
		for (int i = 0; i < r->cfg.threads; i++)
			sb_printf(out, "%s%d", i ? "," : " ", r->t[i].pin_cpu);
		sb_puts(out, " (--cpus)\n");
	} else if (r->have_place) {
		netopt_cpulist_format(r->place, list, sizeof(list));
		sb_printf(out, "threads placed on CPUs %s\n", list);
	} else {
		sb_puts(out, "threads not pinned\n");
	}
}

void receiver_describe(const struct receiver *r, struct strbuf *out)
{
	char name[80];

	netaddr_format(&r->bound, name, sizeof(name));
	sb_printf(out, "receiving on %s: %d thread%s, %s, batch %d\n", name,
		  r->cfg.threads, r->cfg.threads == 1 ? "" : "s",
		  r->cfg.reuseport ? "one SO_REUSEPORT socket each"
				   : "one shared socket",
		  r->cfg.batch);
	if (r->joined)
		sb_printf(out, "warning: --join: %s is shared with %s: the "
			  "kernel splits their datagrams with droptop's "
			  "sockets\n", name, r->joined);
	describe_rcvbuf(r, out);
	if (r->cfg.busy_poll >= 0)
		sb_printf(out, "busy poll %d usec\n", r->busy_poll);
	describe_placement(r, out);
}

static void format_thread(const struct rx_thread *t, struct strbuf *out)
{
	const struct rx_counters *c = &t->c;

	sb_printf(out,
		  "thread %d packets %llu bytes %llu calls %llu full %llu"
		  " cpu %d node %d\n",
		  t->id,
		  (unsigned long long)atomic_load_explicit(
		      &c->packets, memory_order_relaxed),
		  (unsigned long long)atomic_load_explicit(
		      &c->bytes, memory_order_relaxed),
		  (unsigned long long)atomic_load_explicit(
		      &c->calls, memory_order_relaxed),
		  (unsigned long long)atomic_load_explicit(
		      &c->full, memory_order_relaxed),
		  atomic_load_explicit(&c->cpu, memory_order_relaxed),
		  atomic_load_explicit(&c->node, memory_order_relaxed));
}

void receiver_format(const struct receiver *r, struct strbuf *out)
{
	char name[80];

	netaddr_format(&r->bound, name, sizeof(name));
	sb_printf(out,
		  "receiver %s threads %d batch %d reuseport %d rcvbuf "
		  "%lld busy_poll %d\n",
		  name, r->cfg.threads, r->cfg.batch, r->cfg.reuseport ? 1 : 0,
		  (long long)r->sk_rcvbuf, r->busy_poll);
	for (int i = 0; i < r->cfg.threads; i++)
		format_thread(&r->t[i], out);
}

void receiver_stop(struct receiver *r)
{
	if (r->stopped)
		return;
	atomic_store(&r->stop, true);
	for (int i = 0; r->t && i < r->cfg.threads; i++)
		if (r->t[i].started)
			pthread_join(r->t[i].tid, NULL);
	r->stop_ns = now_ns();
	r->stopped = true;
}

void receiver_totals(const struct receiver *r, struct strbuf *out)
{
	uint64_t packets = 0, bytes = 0;
	double secs = (double)(r->stop_ns - r->start_ns) / 1e9;

	for (int i = 0; i < r->cfg.threads; i++) {
		packets += atomic_load(&r->t[i].c.packets);
		bytes += atomic_load(&r->t[i].c.bytes);
	}
	sb_printf(out,
		  "receiver totals: packets %llu bytes %llu duration "
		  "%.3f s avg %.0f pps\n",
		  (unsigned long long)packets, (unsigned long long)bytes, secs,
		  secs > 0 ? (double)packets / secs : 0.0);
	for (int i = 0; i < r->cfg.threads; i++)
		if (r->t[i].error)
			sb_printf(out, "receiver thread %d stopped early: %s\n",
				  i, strerror(r->t[i].error));
}

void receiver_free(struct receiver *r)
{
	if (!r)
		return;
	for (int i = 0; r->t && i < r->cfg.threads; i++) {
		free(r->t[i].msgs);
		free(r->t[i].iov);
		free(r->t[i].bufs);
	}
	free(r->t);
	for (int i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	free(r->fds);
	free(r->joined);
	free(r);
}
