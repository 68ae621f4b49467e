/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nl.h"
#include "util.h"

#define NL_BUFLEN (MNL_SOCKET_BUFFER_SIZE > 32768 ? MNL_SOCKET_BUFFER_SIZE : 32768)

/* The socket alone: s keeps its buffer and sequence. */
static int open_socket(struct nl_sock *s, char *err, size_t errlen)
{
	int one = 1;

	s->nl = mnl_socket_open2(s->proto, SOCK_CLOEXEC);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		snprintf(err, errlen, "netlink socket: %s", strerror(e));
		if (s->nl)
			mnl_socket_close(s->nl);
		s->nl = NULL;
		return -e;
	}
	/* Without it the kernel's reason for a refusal is lost. */
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->nl);
	s->broken = false;
	return 0;
}

int nl_open(struct nl_sock *s, int proto, char *err, size_t errlen)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	rc = open_socket(s, err, errlen);
	if (rc < 0)
		return rc;
	s->seq = (uint32_t)time(NULL);
	s->buflen = NL_BUFLEN;
	s->buf = xmalloc(s->buflen);
	return 0;
}

/* Replies still queued from a talk that stopped early would be read as
 * the answer to the next request: a fresh socket has none. */
static int reopen(struct nl_sock *s, char *err, size_t errlen)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
	return open_socket(s, err, errlen);
}

void nl_close(struct nl_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

struct nlmsghdr *nl_msg_start(struct nl_sock *s, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl before 1.0.5 leaves attribute padding as it finds it: a
	 * cleared buffer sends the kernel no stale reply bytes (valgrind
	 * flagged them as uninitialised on the first request). */
	memset(s->buf, 0, NL_REQ_MAX);
	nlh = mnl_nlmsg_put_header(s->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if (flags & NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++s->seq;
	return nlh;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	char *err;
	size_t errlen;
	bool ended;     /* the kernel's last message of this request came */
};

static int extack_attr(const struct nlattr *a, void *data)
{
	struct talk *t = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(t->err, t->errlen, "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: 0 is the ACK; otherwise keep the kernel's message text. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	unsigned int off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	t->ended = true;
	if (e->error == 0)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, off, extack_attr, t);
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	(void)nlh;
	t->ended = true;
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* Receives until the request's last message. Without the ACK flag the
 * request is a single one, answered by one message. */
static int talk_receive(struct nl_sock *s, uint32_t seq, bool single,
			struct talk *t)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	int rc;

	do {
		ssize_t n = mnl_socket_recvfrom(s->nl, s->buf, s->buflen);

		if (n < 0)
			return -errno;
		if (s->dump)
			fwrite(s->buf, 1, (size_t)n, s->dump);
		errno = 0;
		rc = mnl_cb_run2(s->buf, (size_t)n, seq, s->portid, data_cb, t,
				 ctl, NLMSG_MIN_TYPE);
		if (rc == MNL_CB_ERROR)
			return errno ? -errno : -EIO;
		if (single && rc == MNL_CB_OK)
			t->ended = true;
	} while (rc > MNL_CB_STOP && !t->ended);
	return 0;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    char *err, size_t errlen)
{
	struct talk t = { cb, data, err, errlen, false };
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	if (s->broken && (rc = reopen(s, err, errlen)) < 0)
		return rc;
	if (mnl_socket_sendto(s->nl, req, req->nlmsg_len) < 0) {
		rc = -errno;
		snprintf(err, errlen, "netlink send: %s", strerror(-rc));
		s->broken = true;
		return rc;
	}
	rc = talk_receive(s, req->nlmsg_seq, !(req->nlmsg_flags & NLM_F_ACK),
			  &t);
	if (!t.ended)
		s->broken = true;
	if (rc < 0 && errlen && !err[0])
		snprintf(err, errlen, "%s", strerror(-rc));
	return rc;
}

struct nlmsghdr *nl_genl_start(struct nl_sock *s, uint16_t family,
			       uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg_start(s, family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int family_attr(const struct nlattr *a, void *data)
{
	uint16_t *id = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
		*id = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
	return MNL_CB_OK;
}

int nl_genl_family(struct nl_sock *s, const char *name, uint16_t *id,
		   char *err, size_t errlen)
{
	struct nlmsghdr *nlh = nl_genl_start(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
					     1, 0);
	int rc;

	*id = 0;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	rc = nl_talk(s, nlh, family_cb, id, err, errlen);
	if (rc == 0 && *id == 0)
		rc = -ENOENT;
	if (rc == -ENOENT)
		snprintf(err, errlen, "generic netlink family \"%s\" not found", name);
	return rc;
}

bool nl_attr_uint(const struct nlattr *a, uint64_t *v)
{
	if (!a)
		return false;
	if (mnl_attr_get_payload_len(a) == sizeof(uint32_t)) {
		*v = mnl_attr_get_u32(a);
		return true;
	}
	if (mnl_attr_get_payload_len(a) == sizeof(uint64_t)) {
		*v = mnl_attr_get_u64(a);
		return true;
	}
	return false;
}

bool nl_disabled(const char *what)
{
	const char *list = getenv("DROPTOP_NO_NETLINK");
	size_t n = strlen(what);

	while (list && *list) {
		size_t len = strcspn(list, ", ");

		if ((len == n && strncmp(list, what, n) == 0) ||
		    (len == 3 && strncmp(list, "all", 3) == 0))
			return true;
		list += len;
		list += strspn(list, ", ");
	}
	return false;
}

struct attr_table {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_store(const struct nlattr *a, void *data)
{
	struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

void nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		    const struct nlattr **tb, unsigned int max)
{
	struct attr_table t = { tb, max };

	if (mnl_nlmsg_get_payload_len(nlh) >= offset)
		mnl_attr_parse(nlh, (unsigned int)offset, attr_store, &t);
}

void nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max)
{
	struct attr_table t = { tb, max };

	if (nest)
		mnl_attr_parse_nested(nest, attr_store, &t);
}

bool nl_attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

bool nl_attr_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return false;
	*v = mnl_attr_get_u64(a);
	return true;
}
