/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one netlink helper every netlink source uses (libmnl): a socket with
 * NETLINK_EXT_ACK, one request/dump loop that turns the kernel's error into
 * a negative errno plus its own text, and generic netlink family lookup. */
#ifndef DROPTOP_NL_H
#define DROPTOP_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nl_sock {
	struct mnl_socket *nl;
	int proto;
	unsigned int portid;
	uint32_t seq;
	bool broken;      /* a talk stopped early: replies may be queued */
	char *buf;        /* MNL_SOCKET_BUFFER_SIZE or more */
	size_t buflen;
	FILE *dump;       /* if set, every reply is written here raw */
};

/* Opens a netlink socket of protocol proto (NETLINK_ROUTE, NETLINK_GENERIC,
 * NETLINK_SOCK_DIAG). Returns 0 or a negative errno (err says why). */
int nl_open(struct nl_sock *s, int proto, char *err, size_t errlen);
void nl_close(struct nl_sock *s);

/* Starts a request in s->buf: a header of the given type and flags and a
 * fresh sequence number. A dump also asks for the ACK; a single request
 * does not, as its one reply (or the kernel's error) says the same and
 * costs one receive less. Requests must fit in NL_REQ_MAX bytes. */
#define NL_REQ_MAX 1024
struct nlmsghdr *nl_msg_start(struct nl_sock *s, uint16_t type, uint16_t flags);

/* Sends req and feeds every reply message to cb until the kernel says it
 * is done (a dump's NLMSG_DONE, the ACK, or the one reply of a single
 * request). Returns 0, or a negative errno with the kernel's extended-ack
 * text (if any) in err. A socket kept for many talks stays usable: after
 * a talk that stopped before the kernel's last message (a callback's
 * error, a receive error), the next talk opens it anew, so no stale reply
 * is read as the answer to a later request. */
int nl_talk(struct nl_sock *s, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    char *err, size_t errlen);

/* Resolves a generic netlink family by name through nlctrl. Returns 0 and
 * the id, -ENOENT when the kernel has no such family, or another errno. */
int nl_genl_family(struct nl_sock *s, const char *name, uint16_t *id,
		   char *err, size_t errlen);

/* Starts a generic netlink request: nlmsghdr + genlmsghdr. */
struct nlmsghdr *nl_genl_start(struct nl_sock *s, uint16_t family,
			       uint8_t cmd, uint8_t version, uint16_t flags);

/* Fills tb[0..max] with the attributes of a message after offset bytes
 * of payload (or of a nest); types above max are ignored, as a newer
 * kernel may add them. tb must be zeroed by the caller. Attributes are
 * only indexed here: read them with the length-checked getters below. */
void nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		    const struct nlattr **tb, unsigned int max);
void nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max);
/* Length-checked reads: false when a is NULL or not of that size. */
bool nl_attr_u32(const struct nlattr *a, uint32_t *v);
bool nl_attr_u64(const struct nlattr *a, uint64_t *v);

/* A generic netlink "uint" attribute (NLA_UINT: 4 or 8 bytes, as the
 * kernel chooses) or a plain u32/u64. Returns false for any other length,
 * so a malformed attribute is never read past its end. */
bool nl_attr_uint(const struct nlattr *a, uint64_t *v);

/* True when the environment switch DROPTOP_NO_NETLINK (a comma-separated
 * list: netdev, ethtool, link, ...) names what, to simulate a kernel
 * without that netlink family. */
bool nl_disabled(const char *what);

#endif
