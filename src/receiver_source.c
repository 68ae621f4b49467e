/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `receiver` source: the built-in receiver's counters, as
 * receiver_format() prints them and recordings keep them. No kernel tool
 * prints these, so the layout is droptop's own, one line per object:
 *
 *   receiver ADDR threads N batch N reuseport 0|1 rcvbuf BYTES busy_poll USEC
 *   thread ID packets N bytes N calls N full N cpu CPU node NODE
 *
 * After the first token (and ADDR or ID) come KEY VALUE pairs in any
 * order; unknown keys and unknown line kinds are skipped so that a newer
 * droptop's recordings still replay. -1 means unknown (rcvbuf, busy_poll,
 * cpu, node). calls counts recvmmsg calls that returned datagrams, full
 * those that filled the batch. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sources_internal.h"
#include "util.h"

#define SRC "receiver"

/* A decimal that may be -1 (unknown); anything else negative is bad. */
static bool parse_int(const char *t, size_t n, int64_t max, int64_t *out)
{
	uint64_t v;

	if (n == 2 && t[0] == '-' && t[1] == '1') {
		*out = -1;
		return true;
	}
	if (!parse_u64(t, n, 10, &v) || v > (uint64_t)max)
		return false;
	*out = (int64_t)v;
	return true;
}

static bool key_is(const char *k, size_t kn, const char *name)
{
	return strlen(name) == kn && memcmp(k, name, kn) == 0;
}

static void set_int(int *dst, int64_t v)
{
	*dst = (int)v;
}

/* The receiver line as parsed; threads is checked against the thread
 * lines at the end, so that a lost line is not a smaller sum. */
struct rx_head {
	struct receiver_state *r;
	int64_t threads;
};

/* One KEY VALUE pair of the receiver line. */
static bool receiver_pair(struct rx_head *h, const char *k, size_t kn,
			  const char *v, size_t vn)
{
	struct receiver_state *r = h->r;
	int64_t x;

	if (!parse_int(v, vn, INT64_MAX, &x))
		return false;
	if (key_is(k, kn, "threads"))
		h->threads = x;
	else if (key_is(k, kn, "batch"))
		set_int(&r->batch, x > INT32_MAX ? -1 : x);
	else if (key_is(k, kn, "reuseport"))
		set_int(&r->reuseport, x > 1 ? -1 : x);
	else if (key_is(k, kn, "rcvbuf"))
		r->rcvbuf = x;
	else if (key_is(k, kn, "busy_poll"))
		set_int(&r->busy_poll, x > INT32_MAX ? -1 : x);
	return true;
}

/* One KEY VALUE pair of a thread line. */
static bool thread_pair(struct receiver_thread *t, const char *k, size_t kn,
			const char *v, size_t vn)
{
	static const char *const names[4] = {"packets", "bytes", "calls",
					     "full"};
	uint64_t *dst[4] = {&t->packets, &t->bytes, &t->calls, &t->full};
	bool *have[4] = {&t->have_packets, &t->have_bytes, &t->have_calls,
			 &t->have_full};
	int64_t x;

	for (int i = 0; i < 4; i++)
		if (key_is(k, kn, names[i])) {
			*have[i] = parse_u64(v, vn, 10, dst[i]);
			return *have[i];
		}
	if (!parse_int(v, vn, MAX_CPUS, &x))
		return !key_is(k, kn, "cpu") && !key_is(k, kn, "node");
	if (key_is(k, kn, "cpu"))
		t->cpu = (int)x;
	else if (key_is(k, kn, "node"))
		t->node = (int)x;
	return true;
}

typedef bool (*pair_fn)(void *obj, const char *k, size_t kn, const char *v,
			size_t vn);

static bool pairs(void *obj, pair_fn fn, const char *p, const char *end)
{
	const char *k, *v;
	size_t kn, vn;

	while ((k = next_token(&p, end, &kn))) {
		v = next_token(&p, end, &vn);
		if (!v || !fn(obj, k, kn, v, vn))
			return false;
	}
	return true;
}

static bool receiver_pair_cb(void *obj, const char *k, size_t kn, const char *v,
			     size_t vn)
{
	return receiver_pair(obj, k, kn, v, vn);
}

static bool thread_pair_cb(void *obj, const char *k, size_t kn, const char *v,
			   size_t vn)
{
	return thread_pair(obj, k, kn, v, vn);
}

static int receiver_line(struct rx_head *h, const char *p, const char *end)
{
	struct receiver_state *r = h->r;
	const char *addr;
	size_t n;

	addr = next_token(&p, end, &n);
	if (!addr || n >= sizeof(r->addr))
		return -EINVAL;
	copy_token(r->addr, sizeof(r->addr), addr, n);
	r->batch = r->reuseport = r->busy_poll = -1;
	r->rcvbuf = -1;
	return pairs(h, receiver_pair_cb, p, end) ? 0 : -EINVAL;
}

/* Thread ids are indexed (thread_pos): a recording can list many. */
static struct receiver_thread *add_thread(struct receiver_state *r, int id)
{
	struct receiver_thread *t;

	if (r->thread_pos[id])
		return NULL;
	r->threads = snapshot_grow(r->threads, &r->threads_cap,
				   r->nthreads + 1, sizeof(*r->threads));
	t = &r->threads[r->nthreads++];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->cpu = t->node = -1;
	r->thread_pos[id] = (uint16_t)r->nthreads;
	r->nindexed = r->nthreads;
	return t;
}

/* Ids at or beyond SNAP_MAX_THREADS (the receiver numbers its threads
 * from 0, at most that many) refuse the source: -E2BIG. */
static int thread_line(struct snapshot *s, const char *p, const char *end)
{
	struct receiver_thread *t;
	const char *tok;
	int64_t id;
	size_t n;

	tok = next_token(&p, end, &n);
	if (!tok || !parse_int(tok, n, 1000000, &id) || id < 0)
		return -EINVAL;
	if (id >= SNAP_MAX_THREADS) {
		snapshot_over_limit(s, LIMIT_THREADS, SRC);
		return -E2BIG;
	}
	t = add_thread(&s->receiver, (int)id);
	if (!t)
		return -EEXIST;
	return pairs(t, thread_pair_cb, p, end) ? 0 : -EINVAL;
}

static int parse_line(struct snapshot *s, struct rx_head *h, unsigned lineno,
		      const char *line, size_t len)
{
	const char *p = line, *end = line + len, *kind;
	size_t kn;
	int rc = 0;

	kind = next_token(&p, end, &kn);
	if (!kind)
		return 0;
	if (line[len] != '\n') {
		snapshot_note(s,
			      SRC ": line %u: incomplete last line "
				  "(truncated?)",
			      lineno);
		return -EINVAL;
	}
	if (key_is(kind, kn, "receiver"))
		rc = receiver_line(h, p, end);
	else if (key_is(kind, kn, "thread"))
		rc = thread_line(s, p, end);
	if (rc == -EEXIST)
		snapshot_note(s, SRC ": line %u: thread listed twice", lineno);
	else if (rc == -E2BIG)
		snapshot_note(s, SRC ": line %u: thread id beyond the limit, "
			      "source skipped", lineno);
	else if (rc < 0)
		snapshot_note(s,
			      SRC ": line %u: expected '%.*s' followed by "
				  "KEY VALUE pairs",
			      lineno, (int)kn, kind);
	return rc < 0 ? -EINVAL : 0;
}

int receiver_parse(struct snapshot *s, const char *text)
{
	struct rx_head h = {.r = &s->receiver, .threads = -1};
	const char *pos = text, *line;
	unsigned lineno = 0;
	size_t len;

	while ((line = next_line(&pos, &len))) {
		lineno++;
		if (parse_line(s, &h, lineno, line, len) < 0)
			return -EINVAL;
	}
	if (!s->receiver.addr[0]) {
		snapshot_note(s, SRC ": no 'receiver' line");
		return -EINVAL;
	}
	if (h.threads != (int64_t)s->receiver.nthreads) {
		snapshot_note(s, SRC ": %lld threads announced, %zu listed",
			      (long long)h.threads, s->receiver.nthreads);
		return -EINVAL;
	}
	s->receiver.present = true;
	return 0;
}
