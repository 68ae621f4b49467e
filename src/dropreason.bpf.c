// SPDX-License-Identifier: GPL-2.0-or-later
/* droptop's drop-reason counter: one program on the raw tracepoint
 * kfree_skb that counts dropped skbs of the watched network namespace by
 * (reason, L3 family, L4 protocol, destination port, device).
 *
 * CO-RE without a vmlinux.h: a generated vmlinux.h is a 3 MB copy of one
 * kernel's types (and its licence is that kernel's). The few fields read
 * here are declared below with preserve_access_index, so libbpf relocates
 * each access against the running kernel's BTF: layouts may differ, only
 * the names must exist. Anonymous unions of the real structs are matched
 * by libbpf through their members. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "dropreason_key.h"

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	int ifindex;
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct sock_common {
	possible_net_t skc_net;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	__be16 protocol;
	__u16 transport_header;
	__u16 network_header;
	unsigned char *head;
} __attribute__((preserve_access_index));

/* Only the name matters: libbpf replaces the value with the running
 * kernel's at load (a CO-RE enum relocation), so no number is assumed. */
enum skb_drop_reason {
	SKB_DROP_REASON_NOT_SPECIFIED = 2,
};

/* Set by droptop before load: the inode number of the watched netns. */
const volatile __u32 watched_netns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, DROPREASON_MAX_KEYS);
	__type(key, struct dropreason_key);
	__type(value, __u64);
} drops SEC(".maps");

/* NOT_SPECIFIED drops by the tracepoint's location (the address of the
 * kfree_skb call): droptop names the function from /proc/kallsyms. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, DROPREASON_MAX_LOCATIONS);
	__type(key, __u64);
	__type(value, __u64);
} locations SEC(".maps");

/* Slot 0: drops not counted in `drops` because it was full; slot 1:
 * NOT_SPECIFIED drops not counted in `locations`. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} overflow SEC(".maps");

#define ETH_P_IP_BE 0x0008   /* htons(0x0800) on little endian */
#define ETH_P_IPV6_BE 0xdd86 /* htons(0x86dd) */

static __always_inline __u16 be16(__u16 v)
{
	return __builtin_bswap16(v);
}

/* The netns of the skb's socket if it has one (the device field is then
 * scratch space for UDP), else of its device; 0 when neither is known. */
static __always_inline __u32 skb_netns(struct sk_buff *skb, int *ifindex)
{
	struct sock *sk = skb->sk;
	struct net_device *dev;

	*ifindex = 0;
	if (sk)
		return sk->__sk_common.skc_net.net->ns.inum;
	dev = skb->dev;
	if (!dev)
		return 0;
	*ifindex = dev->ifindex;
	return dev->nd_net.net->ns.inum;
}

/* IPv6 header and the ports, or an IPv4 header without options and the
 * ports: one read covers both in the common case. */
#define HDR_READ 44

/* Fills family, protocol and (UDP, TCP) destination port from the
 * headers; what cannot be read stays 0. One bpf_probe_read_kernel for the
 * network header and the ports together (each call costs tens of ns on a
 * path run once per drop), a second only for IPv4 options. */
static __always_inline void skb_headers(struct sk_buff *skb,
					struct dropreason_key *k)
{
	unsigned char *head = skb->head;
	__u16 nh = skb->network_header;
	__u16 proto = skb->protocol;
	__u8 h[HDR_READ];
	__u16 port = 0;
	__u32 l4;

	if (!head || nh == 0xffff)
		return;
	if (proto == ETH_P_IP_BE) {
		if (bpf_probe_read_kernel(h, 24, head + nh))
			return;
		k->family = 2; /* AF_INET */
		k->protocol = h[9];
		l4 = (h[0] & 0x0f) * 4;
		if (l4 == 20) {
			port = (__u16)(h[22] | h[23] << 8);
			goto ports;
		}
	} else if (proto == ETH_P_IPV6_BE) {
		if (bpf_probe_read_kernel(h, HDR_READ, head + nh))
			return;
		k->family = 10; /* AF_INET6 */
		k->protocol = h[6];
		port = (__u16)(h[42] | h[43] << 8);
		goto ports;
	} else {
		return;
	}
	if (k->protocol == 17 || k->protocol == 6)
		bpf_probe_read_kernel(&port, 2, head + nh + l4 + 2);
ports:
	if (k->protocol == 17 || k->protocol == 6) /* UDP, TCP */
		k->port = be16(port);
}

static __always_inline void count_overflow(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&overflow, &slot);

	if (n)
		(*n)++;
}

/* One more for key k of map m (per CPU); full: overflow slot. */
static __always_inline void count_in(void *m, const void *k, __u32 slot)
{
	__u64 one = 1, *n;
	long err;

	n = bpf_map_lookup_elem(m, k);
	if (n) {
		(*n)++; /* this CPU's slot: no other writer */
		return;
	}
	err = bpf_map_update_elem(m, k, &one, BPF_NOEXIST);
	if (err == -17) { /* EEXIST: another CPU added it meanwhile */
		n = bpf_map_lookup_elem(m, k);
		if (n)
			(*n)++;
	} else if (err) {
		count_overflow(slot);
	}
}

/* (skb, location, reason) up to 6.10, (skb, location, reason, rx_sk)
 * since 6.11: only the first three are read, so one program attaches to
 * both (reading a fourth argument would fail to attach on older ones).
 * A BTF tracepoint (tp_btf), not a plain raw one: the verifier knows skb's
 * type, so its fields, device, socket and netns are read with plain loads
 * (relocated by CO-RE; a NULL gives 0) instead of one
 * bpf_probe_read_kernel call each: tests/bench/reasons measured 206 ns
 * per drop with the calls. Only the packet bytes still need the helper. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(droptop_kfree_skb, struct sk_buff *skb, void *location,
	     unsigned int reason)
{
	struct dropreason_key k = {};
	int ifindex;

	if (skb_netns(skb, &ifindex) != watched_netns)
		return 0;
	k.reason = reason;
	k.ifindex = (__u32)ifindex;
	skb_headers(skb, &k);
	count_in(&drops, &k, 0);
	if (reason == bpf_core_enum_value(enum skb_drop_reason,
					  SKB_DROP_REASON_NOT_SPECIFIED)) {
		__u64 loc = (__u64)location;

		count_in(&locations, &loc, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
