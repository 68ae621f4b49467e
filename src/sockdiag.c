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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"
#include "nl_sources.h"
#include "sockowner.h"
#include "sources.h"
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
	if (sock_owners_find(root, inodes, n, own, &denied) == 0) {
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

int sockdiag_collect(const char *root, struct raw_snapshot *r)
{
	struct sock_list l = { NULL, 0, 0 };
	struct strbuf sb;
	struct nl_sock nl;
	char err[256];
	int rc, denied;
	size_t len;

	rc = nl_open(&nl, NETLINK_SOCK_DIAG, err, sizeof(err));
	if (rc == 0) {
		rc = dump_family(&nl, AF_INET, &l, err, sizeof(err));
		if (rc == 0)
			rc = dump_family(&nl, AF_INET6, &l, err, sizeof(err));
		nl_close(&nl);
	}
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
