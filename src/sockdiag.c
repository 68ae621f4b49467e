/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live collection of the `sockets` source: every UDP socket (IPv4 and
 * IPv6) from sock_diag (NETLINK_SOCK_DIAG, inet_diag_req_v2 with
 * INET_DIAG_SKMEMINFO), with its owning process from /proc/PID/fd, printed
 * in the layout of sockets.c, which also parses it (live and on replay). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "nl.h"
#include "nl_sources.h"
#include "sockowner.h"
#include "sources_internal.h"
#include "util.h"

#define SRC "sockets"

struct sock_list {
	struct udp_socket *v;
	size_t n;
	int family;       /* of the dump running */
};

/* Optional fields: a short attribute (older kernel) leaves them unknown. */
static void skmeminfo(const struct nlattr *a, struct udp_socket *u)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	size_t n = mnl_attr_get_payload_len(a) / sizeof(uint32_t);

	if (n > SK_MEMINFO_VARS)
		n = SK_MEMINFO_VARS;
	memcpy(mem, mnl_attr_get_payload(a), n * sizeof(uint32_t));
	if (n > SK_MEMINFO_RCVBUF) {
		u->rx_queue = mem[SK_MEMINFO_RMEM_ALLOC];
		u->rcvbuf = mem[SK_MEMINFO_RCVBUF];
		u->have_rcvbuf = true;
	}
	if (n > SK_MEMINFO_DROPS) {
		u->drops = mem[SK_MEMINFO_DROPS];
		u->have_drops = true;
	}
}

static int sock_attr(const struct nlattr *a, void *data)
{
	/* Attribute types this code does not know are skipped. */
	if (mnl_attr_get_type(a) == INET_DIAG_SKMEMINFO)
		skmeminfo(a, data);
	return MNL_CB_OK;
}

static void put_addr(int family, const uint32_t *words, char *buf,
		     size_t size)
{
	if (!inet_ntop(family, words, buf, (socklen_t)size))
		buf[0] = '\0';
}

static int sock_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct sock_list *l = data;
	struct udp_socket u;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6))
		return MNL_CB_OK;
	memset(&u, 0, sizeof(u));
	u.family = m->idiag_family;
	put_addr(u.family, m->id.idiag_src, u.local, sizeof(u.local));
	put_addr(u.family, m->id.idiag_dst, u.remote, sizeof(u.remote));
	u.lport = ntohs(m->id.idiag_sport);
	u.rport = ntohs(m->id.idiag_dport);
	u.inode = m->idiag_inode;
	u.uid = m->idiag_uid;
	u.rx_queue = m->idiag_rqueue;
	u.tx_queue = m->idiag_wqueue;
	mnl_attr_parse(nlh, sizeof(*m), sock_attr, &u);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = u;
	return MNL_CB_OK;
}

static int dump_family(struct nl_sock *nl, int family, struct sock_list *l,
		       char *err, size_t errlen)
{
	struct nlmsghdr *nlh = nl_msg_start(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	struct inet_diag_req_v2 *req;

	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_UDP;
	req->idiag_states = ~0u;   /* bound, connected, every state */
	req->idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1);
	l->family = family;
	return nl_talk(nl, nlh, sock_msg, l, err, errlen);
}

static int inode_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The owners found by the last scan of /proc/PID/fd. Walking every
 * process's fd directory is most of a refresh's CPU time (readlink of each
 * fd), so a refresh reuses the last scan while every socket it sees was
 * there at that scan, for at most OWNER_CACHE_NS: a new socket, another
 * root or an old scan means a new one. */
#define OWNER_CACHE_NS (10 * 1000000000LL)

static struct {
	char root[256];
	int64_t at_ns;
	uint64_t *inodes;       /* sorted */
	struct sock_owner *own;
	size_t n;
	int denied;
} owner_cache;

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* True when the cache answers for every one of inodes[0..n) (sorted). */
static bool owner_cache_covers(const char *root, const uint64_t *inodes,
			       size_t n)
{
	if (!owner_cache.own || strcmp(owner_cache.root, root) != 0 ||
	    monotonic_ns() - owner_cache.at_ns > OWNER_CACHE_NS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!bsearch(&inodes[i], owner_cache.inodes, owner_cache.n,
			     sizeof(*inodes), inode_cmp))
			return false;
	return true;
}

/* Takes ownership of inodes and own. */
static void owner_cache_store(const char *root, uint64_t *inodes,
			      struct sock_owner *own, size_t n, int denied)
{
	free(owner_cache.inodes);
	free(owner_cache.own);
	snprintf(owner_cache.root, sizeof(owner_cache.root), "%s", root);
	owner_cache.at_ns = monotonic_ns();
	owner_cache.inodes = inodes;
	owner_cache.own = own;
	owner_cache.n = n;
	owner_cache.denied = denied;
}

/* Owners of the sorted inodes[0..n) into own, from the cache or a scan;
 * returns 0 or a negative errno (the scan could not list /proc). */
static int owners_lookup(const char *root, const uint64_t *inodes, size_t n,
			 struct sock_owner *own, int *denied)
{
	struct sock_owner *copy;
	uint64_t *keep;
	int rc;

	if (owner_cache_covers(root, inodes, n)) {
		for (size_t i = 0; i < n; i++) {
			const uint64_t *hit = bsearch(&inodes[i],
				owner_cache.inodes, owner_cache.n,
				sizeof(*inodes), inode_cmp);

			own[i] = owner_cache.own[hit - owner_cache.inodes];
		}
		*denied = owner_cache.denied;
		return 0;
	}
	rc = sock_owners_find(root, inodes, n, own, denied);
	if (rc < 0)
		return rc;
	keep = xcalloc(n + 1, sizeof(*keep));
	memcpy(keep, inodes, n * sizeof(*keep));
	copy = xcalloc(n + 1, sizeof(*copy));
	memcpy(copy, own, n * sizeof(*copy));
	owner_cache_store(root, keep, copy, n, *denied);
	return 0;
}

/* Fills pid and comm; returns how many processes could not be looked at. */
static int find_owners(const char *root, struct sock_list *l)
{
	uint64_t *inodes = xcalloc(l->n + 1, sizeof(*inodes));
	struct sock_owner *own = xcalloc(l->n + 1, sizeof(*own));
	size_t n = 0;
	int denied = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].inode)
			inodes[n++] = l->v[i].inode;
	qsort(inodes, n, sizeof(*inodes), inode_cmp);
	/* No socket, no owner to look for. */
	if (n > 0 && owners_lookup(root, inodes, n, own, &denied) == 0) {
		for (size_t i = 0; i < l->n; i++) {
			uint64_t *hit = bsearch(&l->v[i].inode, inodes, n,
						sizeof(*inodes), inode_cmp);

			if (!hit)
				continue;
			l->v[i].pid = own[hit - inodes].pid;
			memcpy(l->v[i].comm, own[hit - inodes].comm,
			       sizeof(l->v[i].comm));
		}
	}
	free(own);
	free(inodes);
	return denied;
}

/* Both families' UDP sockets through s, or a socket opened for it. */
static int dump_udp(struct nl_sock *s, struct sock_list *l, char *err,
		    size_t errlen)
{
	struct nl_sock own;
	int rc;

	if (!s) {
		rc = nl_open(&own, NETLINK_SOCK_DIAG, err, errlen);
		if (rc < 0)
			return rc;
	}
	rc = dump_family(s ? s : &own, AF_INET, l, err, errlen);
	if (rc == 0)
		rc = dump_family(s ? s : &own, AF_INET6, l, err, errlen);
	if (!s)
		nl_close(&own);
	return rc;
}

int sockdiag_collect(struct nl_sock *s, const char *root,
		     struct raw_snapshot *r)
{
	struct sock_list l = { NULL, 0, 0 };
	struct strbuf sb;
	char err[256];
	int rc, denied;
	size_t len;

	rc = dump_udp(s, &l, err, sizeof(err));
	if (rc < 0) {
		raw_note(r, "sock_diag: %s: UDP sockets read from "
			 "/proc/net/udp instead", err);
		free(l.v);
		return rc;
	}
	denied = find_owners(root, &l);
	sb_init(&sb);
	for (size_t i = 0; i < l.n; i++)
		sockets_print(&sb, &l.v[i]);
	len = sb.len;
	raw_add(r, SRC, sb_steal(&sb), len);
	if (denied)
		raw_note(r, "/proc/PID/fd: other users' processes not "
			 "readable: their sockets' owners are unknown");
	free(l.v);
	return 0;
}

int sockdiag_udp_list(const char *root, struct udp_socket **v, size_t *n,
		      char *err, size_t errlen)
{
	struct sock_list l = { NULL, 0, 0 };
	int rc = dump_udp(NULL, &l, err, errlen);

	if (rc < 0) {
		free(l.v);
		return rc;
	}
	find_owners(root, &l);
	*v = l.v;
	*n = l.n;
	return 0;
}

/* One sock_diag reply message printed as its `sockets` line (nothing for
 * a message that is not a UDP socket): for tests and fuzzing, which feed
 * recorded or generated replies through the live path's parsing. */
int sockdiag_msg_print(const struct nlmsghdr *nlh, void *strbuf)
{
	struct sock_list l = { 0 };
	int ret = sock_msg(nlh, &l);

	for (size_t i = 0; i < l.n; i++)
		sockets_print(strbuf, &l.v[i]);
	free(l.v);
	return ret;
}
