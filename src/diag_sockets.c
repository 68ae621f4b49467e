/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sockets beyond one row each: where the rows came from, the groups of
 * sockets sharing a local address and port (SO_REUSEPORT), and the
 * reuseport-imbalance finding. The kernel keeps no packet count per
 * socket, so a group's spread is judged on what it does keep: each
 * member's drops over the interval and how full its queue is now. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_internal.h"

#define REUSEPORT_MIN_DROPS_PS 10.0
#define REUSEPORT_MIN_SHARE 0.6
#define REUSEPORT_FULL 0.5   /* a queue this full is busy */

static const char *socket_source(const struct snapshot *s)
{
	if (s->have_sockdiag)
		return "sock_diag";
	if (s->have_udp || s->have_udp6)
		return "/proc/net/udp";
	return NULL;
}

static int group_cmp(const void *a, const void *b)
{
	const struct socket_row *x = *(const struct socket_row *const *)a;
	const struct socket_row *y = *(const struct socket_row *const *)b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	c = strcmp(x->local, y->local);
	if (c)
		return c;
	return x < y ? -1 : x > y; /* table order within a group */
}

static bool same_group(const struct socket_row *a, const struct socket_row *b)
{
	return a->family == b->family && a->lport == b->lport &&
	       strcmp(a->local, b->local) == 0;
}

/* Members v[0..n) become group d->groups[d->ngroups]. */
static void add_group(const struct diag_ctx *x, struct diagnosis *d,
		      struct socket_row **v, size_t n)
{
	struct socket_group *g;
	struct acc drops = acc_start();

	d->groups = xrealloc(d->groups, (d->ngroups + 1) * sizeof(*d->groups));
	g = &d->groups[d->ngroups];
	memset(g, 0, sizeof(*g));
	g->family = v[0]->family;
	memcpy(g->local, v[0]->local, sizeof(g->local));
	g->lport = v[0]->lport;
	g->nmembers = n;
	for (size_t i = 0; i < n; i++) {
		acc_add(&drops, v[i]->drops.known, (uint64_t)v[i]->drops.v);
		g->rx_queue += v[i]->rx_queue;
		v[i]->in_group = true;
		v[i]->group = d->ngroups;
	}
	g->drops = acc_opt(drops);
	g->drops_ps = diag_per_s(x, g->drops);
	for (size_t i = 0; i < n; i++)
		if (drops.known && drops.n > 0)
			v[i]->drops_share = opt_known(v[i]->drops.v /
						      (double)drops.n);
	d->ngroups++;
}

/* Connected sockets receive only their peer's datagrams: not hashed,
 * not grouped. */
void diag_socket_groups(const struct diag_ctx *x, struct diagnosis *d)
{
	struct socket_row **v;
	size_t n = 0, start = 0;

	d->socket_source = socket_source(x->cur);
	if (d->nsocks < 2)
		return;   /* no group; and no block for the fuzz targets */
	v = xcalloc(d->nsocks + 1, sizeof(*v));
	for (size_t i = 0; i < d->nsocks; i++)
		if (d->socks[i].rport == 0)
			v[n++] = &d->socks[i];
	qsort(v, n, sizeof(*v), group_cmp);
	while (start < n) {
		size_t end = start + 1;

		while (end < n && same_group(v[start], v[end]))
			end++;
		if (end - start >= 2)
			add_group(x, d, &v[start], end - start);
		start = end;
	}
	free(v);
}

void diag_endpoint_put(struct strbuf *sb, const struct socket_row *r)
{
	if (r->family == AF_INET6)
		sb_printf(sb, "[%s]:%u", r->local, (unsigned)r->lport);
	else
		sb_printf(sb, "%s:%u", r->local, (unsigned)r->lport);
}

void diag_owner_put(struct strbuf *sb, const struct socket_row *r)
{
	if (r->pid > 0)
		sb_printf(sb, " pid %d (%s)", r->pid, r->comm[0] ? r->comm : "?");
}

/* The group's members, found again from the rows. */
static size_t group_members(const struct diagnosis *d, size_t g,
			    const struct socket_row **v)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nsocks; i++)
		if (d->socks[i].in_group && d->socks[i].group == g)
			v[n++] = &d->socks[i];
	return n;
}

static double need_share(size_t n)
{
	double even = 1.5 / (double)n;

	return even > REUSEPORT_MIN_SHARE ? even : REUSEPORT_MIN_SHARE;
}

static void fill_put(struct strbuf *sb, const struct socket_row *r)
{
	if (r->fill.known)
		sb_printf(sb, "%.0f%%", 100.0 * r->fill.v);
	else
		sb_puts(sb, "?");
}

/* The member taking most drops, when it takes enough of enough. */
static const struct socket_row *
drops_culprit(const struct socket_group *g, const struct socket_row **v,
	      size_t n)
{
	const struct socket_row *top = NULL;

	if (n == 0 || !g->drops_ps.known ||
	    g->drops_ps.v < REUSEPORT_MIN_DROPS_PS)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!top || v[i]->drops.v > top->drops.v)
			top = v[i];
	return top->drops_share.known &&
	       top->drops_share.v >= need_share(n) ? top : NULL;
}

/* Without drops, a queue filling on one member only tells the same. Once
 * the group drops, the drops are the evidence: one instant's queue fill
 * must not overrule a spread of drops that is even enough. */
static const struct socket_row *
fill_culprit(const struct socket_group *g, const struct socket_row **v,
	     size_t n)
{
	const struct socket_row *top = NULL;

	if (n == 0 || !g->drops.known || g->drops.v > 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->fill.known)
			return NULL;
		if (!top || v[i]->rx_queue > top->rx_queue)
			top = v[i];
	}
	if (g->rx_queue == 0 || top->fill.v < REUSEPORT_FULL ||
	    (double)top->rx_queue < need_share(n) * (double)g->rx_queue)
		return NULL;
	return top;
}

/* "the other 3: 0-2% of the drops, queues 0-5% full" */
static void others_put(struct strbuf *sb, const struct socket_row *top,
		       const struct socket_row **v, size_t n)
{
	double smin = 2, smax = -1, fmax = -1;

	for (size_t i = 0; i < n; i++) {
		if (v[i] == top)
			continue;
		if (v[i]->drops_share.known) {
			smin = v[i]->drops_share.v < smin ? v[i]->drops_share.v
							  : smin;
			smax = v[i]->drops_share.v > smax ? v[i]->drops_share.v
							  : smax;
		}
		if (v[i]->fill.known && v[i]->fill.v > fmax)
			fmax = v[i]->fill.v;
	}
	sb_printf(sb, "; the other %zu:", n - 1);
	if (smax >= 0 && smin < smax)
		sb_printf(sb, " %.0f-%.0f%% of the drops", 100 * smin,
			  100 * smax);
	else if (smax >= 0)
		sb_printf(sb, " %.0f%% of the drops each", 100 * smax);
	if (fmax >= 0)
		sb_printf(sb, "%s queues at most %.0f%% full",
			  smax >= 0 ? "," : "", 100 * fmax);
}

static void imbalance_detail(struct strbuf *sb, const struct socket_group *g,
			     const struct socket_row *top, bool by_drops,
			     const struct socket_row **v, size_t n)
{
	diag_endpoint_put(sb, top);
	sb_printf(sb, ", %zu sockets share the port: inode %" PRIu64,
		  g->nmembers, top->inode);
	diag_owner_put(sb, top);
	if (by_drops)
		sb_printf(sb, " takes %.0f%% of the group's %.0f drops/s",
			  100.0 * top->drops_share.v, g->drops_ps.v);
	else
		sb_printf(sb, " holds %.0f%% of the group's %" PRIu64
			  " queued bytes", 100.0 * (double)top->rx_queue /
			  (double)g->rx_queue, g->rx_queue);
	sb_puts(sb, ", its queue ");
	fill_put(sb, top);
	sb_puts(sb, " full");
	others_put(sb, top, v, n);
	sb_puts(sb, "; no per-socket packet count exists, drops and queue "
		    "fill are the evidence; SO_REUSEPORT hashes source and "
		    "destination address and port, so one sender's source "
		    "port always lands on one socket: use more source ports "
		    "or addresses, or steer with SO_ATTACH_REUSEPORT_CBPF");
}

void diag_find_reuseport_imbalance(const struct diag_ctx *x,
				   struct diagnosis *d)
{
	const struct socket_row **v = xcalloc(d->nsocks + 1, sizeof(*v));

	(void)x;
	for (size_t g = 0; g < d->ngroups; g++) {
		size_t n = group_members(d, g, v);
		const struct socket_row *top = drops_culprit(&d->groups[g], v, n);
		bool by_drops = top != NULL;
		struct finding *f;
		struct strbuf sb;

		if (!top)
			top = fill_culprit(&d->groups[g], v, n);
		if (!top)
			continue;
		sb_init(&sb);
		imbalance_detail(&sb, &d->groups[g], top, by_drops, v, n);
		f = diag_add_finding(d, "reuseport-imbalance", &sb);
		diag_about_socket(&f->about, top);
		if (by_drops)
			f->about.rate = top->drops_ps;
	}
	free(v);
}
