/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnosis: a pure function of two snapshots. It turns counter deltas into
 * the loss waterfall, the verdict, per-queue/CPU/socket rows and findings.
 * All judgement lives here; renderers only draw a struct diagnosis. */
#ifndef DROPTOP_DIAGNOSE_H
#define DROPTOP_DIAGNOSE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "snapshot.h"

enum stage_id {
	STAGE_NIC,
	STAGE_SOFTIRQ,
	STAGE_IP,
	STAGE_NETFILTER,
	STAGE_UDP,
	STAGE_SOCKET,
	STAGE_APP,
	STAGE_N
};

#define STAGE_NONE (-1)
#define MAX_STAGE_COUNTERS 40
/* The ip stage's conservation remainder and the IPv6 multicast it
 * excuses (diag_stages.c). */
#define IP_REMAINDER "not delivered, no counter names it"
#define IP_MCAST_NOT_JOINED "Ip6 multicast not joined (not a loss)"
/* The netfilter stage's counters (diag_stages.c): the part of the ip
 * remainder given to it, and the conntrack columns. */
#define IP_TO_NETFILTER "of it, given to netfilter"
#define NF_RULE_DROPS "rule drops (the ip remainder; rules on prerouting/input)"
#define NF_CT_DROP "conntrack drop"

/* One counter behind a stage's figure: its delta over the interval. */
struct stage_counter {
	const char *name;   /* static string, e.g. "RcvbufErrors" */
	bool known;
	uint64_t delta;
	double per_s;
	bool is_loss;       /* counted in the stage's lost figure */
};

struct stage {
	enum stage_id id;
	struct optval in_pps;    /* packets that reached this stage, per s */
	struct optval lost_pps;  /* packets this stage lost, per s */
	struct optval lost;      /* the same as an integer count over the interval */
	struct stage_counter counters[MAX_STAGE_COUNTERS];
	int ncounters;
};

struct queue_row {
	char dev[IF_NAMESIZE];
	int queue;
	struct optval rx_pps;
	struct optval drops_pps;
	struct optval share;     /* 0..1 of the device's per-queue rx */
	int irq;                 /* -1 unknown */
	char cpus[64];           /* affinity list of that IRQ, "" unknown */
	bool idle;
	const char *source;      /* of rx_pps: "qstats", "ethtool -S", NULL */
	const char *drops_source;/* of drops_pps, likewise */
	long napi_id;            /* netdev queue-get, -1 unknown */
	int napi_pid;            /* threaded NAPI kthread, -1 none */
	const char *irq_source;  /* "napi", "name" (/proc/interrupts), NULL */
};

struct cpu_row {
	int cpu;
	struct optval softirq_pct;  /* 0..100 of the CPU's time */
	struct optval net_rx_ps;    /* NET_RX softirqs per s */
	struct optval processed_ps; /* softnet processed */
	struct optval dropped_ps;   /* softnet dropped (backlog full) */
	struct optval squeeze_ps;   /* softnet time_squeeze */
	struct optval flow_limit_ps;
	int numa_node;
	bool serves_rx_irq;         /* an RX queue IRQ of a watched device */
	bool idle;
};

struct socket_row {
	int family;
	char local[48];
	uint16_t lport;
	char remote[48];
	uint16_t rport;
	uint64_t inode;
	uint32_t uid;
	uint64_t rx_queue;          /* bytes queued now */
	struct optval drops_ps;
	struct optval drops;        /* integer count over the interval */
	bool idle;
	/* sock_diag only: unknown (0, "") when rows come from /proc/net/udp. */
	bool have_rcvbuf;
	uint64_t rcvbuf;
	struct optval fill;         /* rx_queue / rcvbuf, about 0..1 */
	int pid;                    /* owning process, 0 unknown */
	char comm[16];
	bool in_group;              /* shares its local address:port */
	size_t group;               /* then its index in diagnosis.groups */
	struct optval drops_share;  /* 0..1 of its group's drops */
	/* The SOCKET_RCVBUFF drop reason on its port and family, per s: the
	 * kernel's figure beside drops_ps. Sockets sharing a port share it
	 * (reasons are keyed by port, not socket). Unknown without reasons. */
	struct optval rcvbuff_reason_ps;
};

/* Unconnected sockets sharing one local address and port (SO_REUSEPORT,
 * or SO_REUSEADDR): the kernel hands each datagram to one of them. It
 * counts no packets per socket, so drops and queue fill are the evidence
 * of how the traffic is spread. */
struct socket_group {
	int family;
	char local[48];
	uint16_t lport;
	size_t nmembers;
	struct optval drops;        /* all members, over the interval */
	struct optval drops_ps;
	uint64_t rx_queue;          /* bytes queued now, all members */
};

/* Zero is unknown, so that a row built field by field stays unknown. */
enum link_state { LINK_UNKNOWN, LINK_UP, LINK_DOWN };

struct device_row {
	char name[IF_NAMESIZE];
	char driver[32];
	struct optval rx_pps;       /* sysfs rx_packets */
	struct optval nic_lost_pps; /* the NIC loss figure used for the stage */
	const char *nic_loss_source;/* "sysfs", "ethtool -S", "ethtool -S
				     * per-queue", "qstats", "qstats
				     * per-queue", "ethtool eth-mac" */
	const char *stats_source;   /* of rx_pps: "link" (rtnetlink), "sysfs" */
	int ring_rx;                /* RX ring size, -1 unknown */
	int ring_rx_max;
	char operstate[16];         /* "up", "down", ...; "" unknown */
	enum link_state carrier;    /* LINK_UP: carrier on, LINK_DOWN: off */
	enum link_state admin;      /* IFF_UP: LINK_DOWN when set down */
	enum link_state link;       /* LINK_DOWN: down or no carrier */
	bool link_unused;           /* set down and never received a packet
				     * (an idle ifb0, dummy0): no finding */
	int nrxq;
	int numa_node;
	/* Driver counters the classifier does not know, with their delta.
	 * other_names is one block: the pointers, then the names. */
	char **other_names;
	struct optval *other_ps;
	size_t nother;
};

/* One thread of the built-in receiver over the interval. */
struct receiver_row {
	int thread;
	struct optval pps;
	struct optval bytes_ps;
	struct optval avg_batch;    /* packets per recvmmsg call */
	struct optval full_pct;     /* calls that filled the batch, 0..100 */
	int cpu;                    /* where it ran last, -1 unknown */
	int node;                   /* NUMA node of that CPU, -1 unknown */
	bool idle;
};

struct receiver_diag {
	bool present;               /* running in both snapshots */
	char addr[64];
	int batch;                  /* -1 unknown */
	int reuseport;              /* 1, 0 or -1 unknown */
	int64_t rcvbuf;             /* SO_RCVBUF (getsockopt), -1 unknown */
	int busy_poll;              /* usec, -1 unknown */
	struct optval pps;          /* all threads */
	struct receiver_row *threads;
	size_t nthreads;
};

/* What a finding is about, in fields the JSON report gives as they are
 * (the detail line says the same for people). Each finding fills what it
 * knows; the rest stays unknown: "", -1, 0 or opt_unknown(). For a
 * finding about several rows, the worst one. */
struct finding_about {
	char device[IF_NAMESIZE];
	int queue;
	int cpu;
	uint64_t inode;             /* a socket */
	char local[48];             /* its local address, */
	int port;                   /* and port */
	struct optval rate;         /* per second: what the finding counts */
	const char *setting;        /* static: the knob current and suggested
				     * are values of */
	struct optval current;
	struct optval suggested;
};

/* One drop reason over the interval (the kernel's kfree_skb reasons,
 * summed over devices): the stage it explains, or "other". */
struct reason_row {
	char reason[64];
	const char *stage;          /* static: "nic" ... "socket", "other" */
	int family;                 /* AF_INET, AF_INET6, 0 unknown */
	int protocol;               /* IPPROTO_*, -1 unknown */
	int port;                   /* -1 unknown */
	uint64_t packets;           /* over the interval */
	double pps;
};

/* One reason summed over its rows (families, protocols, ports). */
struct reason_sum {
	char reason[64];
	double pps;
};

#define IP_REST_REASONS_MAX 4
/* NOT_SPECIFIED drops: the busiest kernel functions shown (as dropwatch). */
#define REASON_FUNCS_MAX 8

struct finding {
	char id[32];     /* stable: rss-imbalance, backlog-drops, ... */
	char *detail;    /* one line */
	struct finding_about about;
};

struct verdict {
	int stage;       /* enum stage_id, or STAGE_NONE */
	struct optval lost_pps;
	char *summary;
	char **hints;
	size_t nhints;
};

struct diagnosis {
	double interval_s;
	double realtime;            /* of the second snapshot */
	struct stage stages[STAGE_N];
	struct optval unaccounted_pps;
	struct optval total_lost_pps; /* sum over stages (unaccounted excluded) */
	struct verdict verdict;

	struct device_row *devs;
	size_t ndevs;
	struct queue_row *queues;
	size_t nqueues;
	struct cpu_row *cpus;
	size_t ncpus;
	struct socket_row *socks;
	size_t nsocks;
	struct socket_group *groups;
	size_t ngroups;
	const char *socket_source;  /* "sock_diag", "/proc/net/udp", NULL */
	struct finding *findings;
	size_t nfindings;
	char **notes;               /* vanished devices, unreadable sources */
	size_t nnotes;
	char host[65];              /* of the second snapshot, "" unknown */
	char kernel[65];
	char netns[256];            /* --netns watched, "" droptop's own */
	struct receiver_diag receiver;
	/* Drop reasons: have_reasons when both snapshots have the source;
	 * rows sorted by rate, those at 0 left out. */
	bool have_reasons;
	struct reason_row *reasons;
	size_t nreasons;
	/* The reasons that explain the ip remainder (NETFILTER_DROP,
	 * IP_RPFILTER, ...), summed over ports, the largest first. */
	struct reason_sum ip_rest_reasons[IP_REST_REASONS_MAX];
	size_t nip_rest_reasons;
	/* NOT_SPECIFIED drops by kernel function (reason_sum.reason holds
	 * the function), the busiest first; reason_funcs_more beyond them. */
	struct reason_sum reason_funcs[REASON_FUNCS_MAX];
	size_t nreason_funcs;
	size_t reason_funcs_more;
};

const char *stage_name(int id);   /* "nic", ..., "app"; "none" */

/* Compares prev and cur (cur later). Returns 0, or -1 when the two cannot
 * be compared (cur not later than prev); out is then still freeable. */
int diagnose(const struct snapshot *prev, const struct snapshot *cur,
	     struct diagnosis *out);
void diagnosis_free(struct diagnosis *d);

/* A device's link in one word for the renderers: "up", the operstate
 * that stops it ("down", "lowerlayerdown", ...), "no carrier", or "?". */
const char *device_link_label(const struct device_row *r);

const struct finding *diagnosis_finding(const struct diagnosis *d,
					const char *id);

#endif
