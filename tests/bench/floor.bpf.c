// SPDX-License-Identifier: GPL-2.0-or-later
/* The floor under droptop's drop-reason program, for tests/bench/reasons:
 * what any program on the kfree_skb tracepoint costs. floor_empty does
 * nothing (the price of the tracepoint calling a BPF program at all);
 * floor_count adds one to a per-CPU array slot per reason (the cheapest
 * count there is: no key, no hash, no packet bytes read). droptop's own
 * program adds the netns check, the headers and a hash map. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct sk_buff {
	void *dev;
} __attribute__((preserve_access_index));

#define FLOOR_SLOTS 1024

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FLOOR_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} floor_counts SEC(".maps");

SEC("tp_btf/kfree_skb")
int BPF_PROG(floor_empty, struct sk_buff *skb, void *location,
	     unsigned int reason)
{
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(floor_count, struct sk_buff *skb, void *location,
	     unsigned int reason)
{
	__u32 slot = reason % FLOOR_SLOTS;
	__u64 *n = bpf_map_lookup_elem(&floor_counts, &slot);

	if (n)
		(*n)++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
