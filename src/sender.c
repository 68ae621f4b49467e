/* SPDX-License-Identifier: GPL-2.0-or-later */
/* droptop-send's threads. Each thread owns one connected UDP socket per
 * (source port, destination) pair and sends one sendmmsg batch on each in
 * turn, so every flow gets traffic and a connected socket reports
 * ECONNREFUSED when the peer port is closed. Sends never block
 * (MSG_DONTWAIT): a full socket buffer shows up as counted EAGAINs. The
 * rate limit is a token bucket per thread (its share of --rate), refilled
 * from CLOCK_MONOTONIC, sending in chunks of about a millisecond's worth. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sender.h"
#include "tokenbucket.h"
#include "util.h"

/* Tokens a thread may bank while late (scheduling on a busy host, a slow
 * call): enough to catch up after a stall of this many seconds, little
 * enough that the catch-up burst stays short. */
#define BURST_SECONDS 0.05
/* "Network is unreachable" (a link flap, a route being replaced): retry
 * after 1 ms, doubling up to 100 ms. Without --duration the thread gives
 * up after 10 s of it, so that --count alone never waits forever. */
#define UNREACH_FIRST_NS 1000000
#define UNREACH_MAX_NS 100000000
#define UNREACH_GIVE_UP_NS 10000000000LL

struct tx_counters {
	_Atomic uint64_t sent;
	_Atomic uint64_t bytes;
	/* EAGAIN, ECONNREFUSED, ENOBUFS, ENETUNREACH and the like, other */
	_Atomic uint64_t err[5];
	_Atomic bool done;
};

struct tx_thread {
	alignas(64) struct tx_counters c; /* written by this thread only */
	alignas(64) struct sender *s;
	int id;
	int *fds;
	int nfds;
	int pin_cpu;
	uint64_t quota; /* 0: no count limit */
	double rate;	/* 0: unlimited */
	bool started;
	pthread_t tid;
	struct mmsghdr *msgs;
	struct iovec iov;
	char *payload;
	int fatal;
	int64_t end_ns;
	int64_t backoff_ns;     /* next wait while unreachable, 0: reachable */
	int64_t unreach_since;  /* start of the unreachable spell */
};

struct sender {
	struct sender_config cfg;
	struct tx_thread *t;
	_Atomic bool stop;
	bool stopped;
	/* The threads start together, after all are created, so that the
	 * run's clock (start_ns, deadline_ns) is every thread's. */
	_Atomic bool go;
	int64_t start_ns;
	int64_t deadline_ns; /* 0: no --duration */
	double seconds;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = {ns / 1000000000, ns % 1000000000};

	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

static void count_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c,
			      atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

static bool unreachable_errno(int e)
{
	return e == ENETUNREACH || e == EHOSTUNREACH || e == ENETDOWN;
}

/* Waits out one "unreachable" error with a growing pause, cut at the
 * deadline; false when the thread should give up (no deadline, and the
 * network has been unreachable for too long). */
static bool unreachable_backoff(struct tx_thread *t)
{
	int64_t now = now_ns(), wait;

	count_add(&t->c.err[3], 1);
	if (!t->backoff_ns) {
		t->backoff_ns = UNREACH_FIRST_NS;
		t->unreach_since = now;
	}
	if (!t->s->deadline_ns && now - t->unreach_since >= UNREACH_GIVE_UP_NS)
		return false;
	wait = t->backoff_ns;
	if (t->s->deadline_ns && t->s->deadline_ns - now < wait)
		wait = t->s->deadline_ns - now;
	if (wait > 0)
		sleep_ns(wait);
	if (t->backoff_ns < UNREACH_MAX_NS)
		t->backoff_ns *= 2;
	return true;
}

/* Counts one failed call; returns false when the error ends the thread. */
static bool tx_error(struct tx_thread *t, int fd, int e)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};

	if (unreachable_errno(e)) {
		if (unreachable_backoff(t))
			return true;
		t->fatal = e;
		return false;
	}
	switch (e) {
	case EAGAIN:
		count_add(&t->c.err[0], 1);
		poll(&pfd, 1, 10); /* wait for room, briefly */
		return true;
	case ECONNREFUSED:
		count_add(&t->c.err[1], 1);
		return true;
	case ENOBUFS:
		count_add(&t->c.err[2], 1);
		sleep_ns(100000);
		return true;
	case EINTR:
		return true;
	default:
		count_add(&t->c.err[4], 1);
		/* A firewall (EPERM) or memory pressure may pass; anything
		 * else (bad size...) is refused for good. */
		if (e == ENOMEM || e == EPERM)
			return true;
		t->fatal = e;
		return false;
	}
}

/* How many to send next: the batch, bounded by the quota and, with a
 * rate, by the tokens (waiting for them). 0 means stop or retry. */
static unsigned next_chunk(struct tx_thread *t, struct token_bucket *tb,
			   uint64_t left, unsigned chunk)
{
	uint64_t n = (uint64_t)t->s->cfg.batch;
	int64_t wait;

	if (t->quota && left < n)
		n = left;
	if (!t->rate)
		return (unsigned)n;
	if (n > chunk)
		n = chunk;
	wait = bucket_wait_ns(tb, now_ns(), n);
	if (wait > 0) {
		sleep_ns(wait);
		return 0;
	}
	return (unsigned)bucket_take(tb, now_ns(), n);
}

static void tx_loop(struct tx_thread *t)
{
	struct token_bucket tb;
	uint64_t left = t->quota, sent = 0;
	double per_ms = t->rate / 1000.0;
	unsigned chunk = per_ms < 1		    ? 1
			 : per_ms > t->s->cfg.batch ? (unsigned)t->s->cfg.batch
						    : (unsigned)per_ms;
	int k = 0;

	bucket_init(&tb, t->rate, t->rate * BURST_SECONDS + chunk,
		    t->s->start_ns);
	while (!atomic_load_explicit(&t->s->stop, memory_order_relaxed) &&
	       (!t->quota || left)) {
		unsigned n = next_chunk(t, &tb, left, chunk);
		int r;

		/* Each thread keeps the deadline itself, to the microsecond. */
		if (t->s->deadline_ns && now_ns() >= t->s->deadline_ns)
			break;
		if (!n)
			continue;
		r = sendmmsg(t->fds[k], t->msgs, n, MSG_DONTWAIT);
		if (r < 0 && !tx_error(t, t->fds[k], errno))
			return;
		if (r > 0)
			t->backoff_ns = 0; /* reachable again */
		r = r < 0 ? 0 : r;
		if (t->rate && (unsigned)r < n)
			tb.tokens += n - (unsigned)r; /* not sent: not spent */
		sent += (uint64_t)r;
		left -= t->quota ? (uint64_t)r : 0;
		atomic_store_explicit(&t->c.sent, sent, memory_order_relaxed);
		atomic_store_explicit(&t->c.bytes, sent * t->s->cfg.size,
				      memory_order_relaxed);
		k = (k + 1) % t->nfds;
	}
}

static void *tx_main(void *arg)
{
	struct tx_thread *t = arg;

	/* Sleeps of tens of microseconds: the default 50 us slack would
	 * make them much longer. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	while (!atomic_load(&t->s->go))
		sleep_ns(20000);
	if (!atomic_load(&t->s->stop))
		tx_loop(t);
	t->end_ns = now_ns();
	atomic_store(&t->c.done, true);
	return NULL;
}

static int errf(char *err, size_t errlen, int rc, const char *what,
		const struct netaddr *a)
{
	char name[80] = "";

	if (a)
		netaddr_format(a, name, sizeof(name));
	snprintf(err, errlen, "%s%s%s: %s", what, a ? " " : "", name,
		 strerror(-rc));
	return rc;
}

/* One socket from source port port (0: ephemeral) to dst. REUSEADDR lets
 * the thread's sockets share a source port across destinations. */
static int open_flow(const struct netaddr *dst, unsigned port, char *err,
		     size_t errlen, unsigned *bound)
{
	struct netaddr src;
	int fd, one = 1;
	socklen_t len;

	memset(&src, 0, sizeof(src));
	src.ss.ss_family = dst->ss.ss_family;
	src.len = dst->len;
	netaddr_set_port(&src, port);
	fd = socket(dst->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errf(err, errlen, -errno, "socket", NULL);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (dst->ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&src.ss, src.len) < 0 ||
	    connect(fd, (const struct sockaddr *)&dst->ss, dst->len) < 0) {
		int rc = -errno;

		close(fd);
		return errf(err, errlen, rc, port ? "source port" : "connect",
			    dst);
	}
	len = sizeof(src.ss);
	getsockname(fd, (struct sockaddr *)&src.ss, &len);
	*bound = netaddr_port(&src);
	return fd;
}

/* Thread i's source ports: i, i + threads, ... of the range; without a
 * range, one ephemeral port (taken by its first socket). */
static int open_flows(struct sender *s, struct tx_thread *t, char *err,
		      size_t errlen)
{
	const struct sender_config *c = &s->cfg;
	unsigned nports = 1, got = 0;

	if (c->have_src_ports)
		nports = (c->src_hi - c->src_lo) / (unsigned)c->threads +
			 ((unsigned)t->id <=
			  (c->src_hi - c->src_lo) % (unsigned)c->threads);
	t->fds = xcalloc(nports * c->ndst, sizeof(*t->fds));
	for (unsigned p = 0; p < nports; p++) {
		unsigned port =
		    c->have_src_ports
			? c->src_lo + (unsigned)t->id + p * (unsigned)c->threads
			: 0;

		for (size_t d = 0; d < c->ndst; d++) {
			int fd = open_flow(&c->dst[d], port ? port : got, err,
					   errlen, &got);

			if (fd < 0)
				return fd;
			t->fds[t->nfds++] = fd;
		}
	}
	return 0;
}

/* Every message of a batch points at the same payload: the kernel copies
 * it per datagram, which is all a load generator needs. */
static int thread_buffers(struct sender *s, struct tx_thread *t)
{
	t->payload = xcalloc(s->cfg.size ? s->cfg.size : 1, 1);
	memcpy(t->payload, "droptop-send", s->cfg.size < 12 ? s->cfg.size : 12);
	t->iov.iov_base = t->payload;
	t->iov.iov_len = s->cfg.size;
	t->msgs = xcalloc((size_t)s->cfg.batch, sizeof(*t->msgs));
	for (int i = 0; i < s->cfg.batch; i++) {
		t->msgs[i].msg_hdr.msg_iov = &t->iov;
		t->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

/* Thread i's share of the count and of the rate. */
static void thread_share(const struct sender_config *c, struct tx_thread *t)
{
	uint64_t n = (uint64_t)c->threads;

	t->quota =
	    c->count ? c->count / n + ((uint64_t)t->id < c->count % n) : 0;
	t->rate = c->rate / (double)c->threads;
	t->pin_cpu = c->have_cpus ? netopt_nth_cpu(c->cpus, t->id) : -1;
}

static int start_thread(struct tx_thread *t, char *err, size_t errlen)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int rc;

	pthread_attr_init(&attr);
	if (t->pin_cpu >= 0 && t->pin_cpu < CPU_SETSIZE) {
		CPU_ZERO(&set);
		CPU_SET(t->pin_cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	rc = pthread_create(&t->tid, &attr, tx_main, t);
	pthread_attr_destroy(&attr);
	if (rc) {
		snprintf(err, errlen, "sender thread %d%s: %s", t->id,
			 t->pin_cpu >= 0 ? " (--cpus)" : "", strerror(rc));
		return -rc;
	}
	t->started = true;
	return 0;
}

static int setup_threads(struct sender *s, char *err, size_t errlen)
{
	size_t n = (size_t)s->cfg.threads;

	s->t = aligned_alloc(64, n * sizeof(*s->t));
	if (!s->t)
		return -ENOMEM;
	memset(s->t, 0, n * sizeof(*s->t));
	for (size_t i = 0; i < n; i++) {
		struct tx_thread *t = &s->t[i];
		int rc;

		t->s = s;
		t->id = (int)i;
		thread_share(&s->cfg, t);
		thread_buffers(s, t);
		rc = open_flows(s, t, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Sets the run's clock and lets the threads go (after a failed start,
 * the ones created return at once). */
static void release_threads(struct sender *s, bool failed)
{
	if (failed)
		atomic_store(&s->stop, true);
	s->start_ns = now_ns();
	if (s->cfg.duration > 0)
		s->deadline_ns = s->start_ns + (int64_t)(s->cfg.duration * 1e9);
	atomic_store(&s->go, true);
}

int sender_start(const struct sender_config *c, struct sender **out, char *err,
		 size_t errlen)
{
	struct sender *s = xcalloc(1, sizeof(*s));
	sigset_t all, old;
	int rc;

	s->cfg = *c;
	atomic_init(&s->stop, false);
	atomic_init(&s->go, false);
	rc = setup_threads(s, err, errlen);
	/* Signals go to the main thread, which prints and stops. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; rc == 0 && i < c->threads; i++)
		rc = start_thread(&s->t[i], err, errlen);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	release_threads(s, rc < 0);
	if (rc < 0) {
		sender_stop(s);
		sender_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sender_read(const struct sender *s, struct sender_totals *tot)
{
	memset(tot, 0, sizeof(*tot));
	for (int i = 0; s->t && i < s->cfg.threads; i++) {
		const struct tx_thread *t = &s->t[i];

		tot->sent += atomic_load(&t->c.sent);
		tot->bytes += atomic_load(&t->c.bytes);
		tot->eagain += atomic_load(&t->c.err[0]);
		tot->econnrefused += atomic_load(&t->c.err[1]);
		tot->enobufs += atomic_load(&t->c.err[2]);
		tot->unreachable += atomic_load(&t->c.err[3]);
		tot->other += atomic_load(&t->c.err[4]);
		if (atomic_load(&t->c.done) && t->fatal && !tot->fatal)
			tot->fatal = t->fatal;
	}
}

bool sender_done(const struct sender *s)
{
	for (int i = 0; i < s->cfg.threads; i++)
		if (!atomic_load(&s->t[i].c.done))
			return false;
	return true;
}

double sender_stop(struct sender *s)
{
	int64_t end = s->start_ns;

	if (s->stopped)
		return s->seconds;
	atomic_store(&s->stop, true);
	for (int i = 0; s->t && i < s->cfg.threads; i++) {
		if (!s->t[i].started)
			continue;
		pthread_join(s->t[i].tid, NULL);
		if (s->t[i].end_ns > end)
			end = s->t[i].end_ns;
	}
	/* Up to the last thread's end, not to this call. */
	s->seconds = (double)(end - s->start_ns) / 1e9;
	s->stopped = true;
	return s->seconds;
}

void sender_free(struct sender *s)
{
	if (!s)
		return;
	for (int i = 0; s->t && i < s->cfg.threads; i++) {
		for (int j = 0; j < s->t[i].nfds; j++)
			close(s->t[i].fds[j]);
		free(s->t[i].fds);
		free(s->t[i].msgs);
		free(s->t[i].payload);
	}
	free(s->t);
	free(s);
}
