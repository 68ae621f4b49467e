/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before the built-in receiver binds: the UDP sockets already on its
 * address and port. With SO_REUSEPORT the kernel would let droptop join
 * another program's group and take a share of that program's datagrams,
 * so a taken port is refused unless --join says otherwise; either way the
 * owners are named (pid and command, from sock_diag and /proc/PID/fd). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "receiver.h"
#include "sources_internal.h"

#define GUARD_MAX_OWNERS 4

/* An address as the set of destinations it receives: IPv4 space, IPv6
 * space or both, all of it (wildcard) or one address (IPv4 as v4-mapped). */
struct rx_scope {
	bool v4, v6, wild;
	struct in6_addr addr;
};

static void scope_v4(struct rx_scope *s, const struct in_addr *a)
{
	s->v4 = true;
	s->wild = a->s_addr == htonl(INADDR_ANY);
	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.s6_addr[10] = 0xff;
	s->addr.s6_addr[11] = 0xff;
	memcpy(&s->addr.s6_addr[12], &a->s_addr, 4);
}

/* "::" may also take IPv4 (unless IPV6_V6ONLY, which sock_diag does not
 * say here): counted as both, so a dual-stack overlap is never missed. */
static void scope_v6(struct rx_scope *s, const struct in6_addr *a)
{
	if (IN6_IS_ADDR_V4MAPPED(a)) {
		struct in_addr v4;

		memcpy(&v4.s_addr, &a->s6_addr[12], 4);
		scope_v4(s, &v4);
		return;
	}
	s->wild = IN6_IS_ADDR_UNSPECIFIED(a);
	s->v6 = true;
	s->v4 = s->wild;
	s->addr = *a;
}

static bool scope_from_text(int family, const char *text, struct rx_scope *s)
{
	struct in6_addr a6;
	struct in_addr a4;

	memset(s, 0, sizeof(*s));
	if (family == AF_INET && inet_pton(AF_INET, text, &a4) == 1)
		scope_v4(s, &a4);
	else if (family == AF_INET6 && inet_pton(AF_INET6, text, &a6) == 1)
		scope_v6(s, &a6);
	else
		return false;
	return true;
}

static void scope_from_netaddr(const struct netaddr *a, struct rx_scope *s)
{
	memset(s, 0, sizeof(*s));
	if (a->ss.ss_family == AF_INET6)
		scope_v6(s, &((const struct sockaddr_in6 *)&a->ss)->sin6_addr);
	else
		scope_v4(s, &((const struct sockaddr_in *)&a->ss)->sin_addr);
}

bool receiver_addr_overlaps(const struct netaddr *a,
			    const struct udp_socket *u)
{
	struct rx_scope mine, theirs;

	if (netaddr_port(a) == 0 || u->lport != netaddr_port(a))
		return false;
	scope_from_netaddr(a, &mine);
	/* An address that does not parse is not known to be elsewhere. */
	if (!scope_from_text(u->family, u->local, &theirs))
		return true;
	if (!((mine.v4 && theirs.v4) || (mine.v6 && theirs.v6)))
		return false;
	return mine.wild || theirs.wild ||
	       memcmp(&mine.addr, &theirs.addr, sizeof(mine.addr)) == 0;
}

/* /proc/PID/comm is chosen by that process: printable ASCII only. */
static void owner_put(struct strbuf *sb, const struct udp_socket *u)
{
	char comm[sizeof(u->comm)];
	size_t i;

	if (u->pid <= 0) {
		sb_printf(sb, "an unknown process (uid %u)", u->uid);
		return;
	}
	for (i = 0; i + 1 < sizeof(comm) && u->comm[i]; i++)
		comm[i] = u->comm[i] >= 0x20 && u->comm[i] < 0x7f ? u->comm[i]
								  : '?';
	comm[i] = '\0';
	sb_printf(sb, "pid %d (%s)", u->pid, i ? comm : "?");
}

static bool owner_listed(const struct udp_socket *v, const size_t *shown,
			 size_t nshown, const struct udp_socket *u)
{
	for (size_t i = 0; i < nshown; i++)
		if (v[shown[i]].pid == u->pid &&
		    (u->pid > 0 || v[shown[i]].uid == u->uid))
			return true;
	return false;
}

/* "N socket(s) of pid P (COMM), ..." for the overlapping ones. */
static size_t owners_describe(const struct netaddr *a,
			      const struct udp_socket *v, size_t n,
			      struct strbuf *out)
{
	size_t shown[GUARD_MAX_OWNERS], nshown = 0, hits = 0, more = 0;

	for (size_t i = 0; i < n; i++) {
		if (!receiver_addr_overlaps(a, &v[i]))
			continue;
		hits++;
		if (owner_listed(v, shown, nshown, &v[i]))
			continue;
		if (nshown == GUARD_MAX_OWNERS) {
			more++;
			continue;
		}
		shown[nshown++] = i;
	}
	if (!hits)
		return 0;
	sb_printf(out, "%zu socket%s of ", hits, hits == 1 ? "" : "s");
	for (size_t i = 0; i < nshown; i++) {
		if (i)
			sb_puts(out, ", ");
		owner_put(out, &v[shown[i]]);
		sb_printf(out, " on %s:%u", v[shown[i]].local,
			  v[shown[i]].lport);
	}
	if (more)
		sb_printf(out, " and %zu more", more);
	return hits;
}

/* Without sock_diag: a bind without SO_REUSEPORT fails when anything
 * holds the port, which is all the kernel will say. */
static int probe_bind(const struct netaddr *a)
{
	int fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int receiver_guard_check(const struct netaddr *a, struct strbuf *owners,
			 char *err, size_t errlen)
{
	struct udp_socket *v = NULL;
	size_t n = 0, hits;
	int rc;

	if (netaddr_port(a) == 0)
		return 0;
	rc = sockdiag_udp_list("", &v, &n, err, errlen);
	if (rc < 0) {
		rc = probe_bind(a);
		if (rc == -EADDRINUSE) {
			sb_printf(owners, "a socket of an unknown process "
				  "(sock_diag: %s)", err);
			return 1;
		}
		return 0;
	}
	hits = owners_describe(a, v, n, owners);
	free(v);
	return hits > 0;
}
