/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A snapshot: every counter droptop knows, read at one monotonic instant.
 * Sources fill it (live from the kernel, or from a recording); diagnose
 * compares two of them. Plain data: no source reads anything from here. */
#ifndef DROPTOP_SNAPSHOT_H
#define DROPTOP_SNAPSHOT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "classify.h"

#define MAX_CPUS 4096
#define CPU_WORDS (MAX_CPUS / 64)

/* Recording limits: what one snapshot may hold. Recordings come from
 * other hosts, and a few bytes can claim a huge count ("rx_queues 65536",
 * "node 39999"): beyond a limit the parser notes it once and drops the
 * rest, so memory and time stay bounded whatever the file says. Real
 * hosts stay well below each. Documented in droptop(8), "Recording
 * limits". CPUs are bounded by MAX_CPUS. */
#define SNAP_MAX_DEVICES 4096
#define SNAP_MAX_QUEUES_PER_DEVICE 4096 /* RX queue ids 0..4095 */
#define SNAP_MAX_QUEUES 16384     /* RX queues of all devices together */
#define SNAP_MAX_COUNTERS 65536   /* `ethtool -S` counters of one device */
#define SNAP_MAX_THREADS 256      /* receiver threads: its own --threads limit */
#define SNAP_MAX_NODES 1024       /* NUMA node ids 0..1023, the kernel's most */
#define SNAP_MAX_IRQS 16384       /* NIC queue IRQ lines */
#define SNAP_MAX_SOCKETS 262144   /* UDP sockets */

/* The limits, for snapshot_over_limit(): each is noted once a snapshot. */
enum snap_limit {
	LIMIT_DEVICES,
	LIMIT_DEVICE_NAME,        /* names of IF_NAMESIZE bytes or more */
	LIMIT_QUEUES_PER_DEVICE,
	LIMIT_QUEUES,
	LIMIT_COUNTERS,
	LIMIT_THREADS,
	LIMIT_NODES,
	LIMIT_IRQS,
	LIMIT_SOCKETS,
	LIMIT_N
};

/* /proc/net/snmp, /proc/net/snmp6 and /proc/net/netstat counters droptop
 * uses. */
enum snmp_id {
	IP_IN_RECEIVES,
	IP_IN_HDR_ERRORS,
	IP_IN_ADDR_ERRORS,
	IP_FORW_DATAGRAMS,
	IP_IN_UNKNOWN_PROTOS,
	IP_IN_DISCARDS,
	IP_IN_DELIVERS,
	UDP_IN_DATAGRAMS,
	UDP_NO_PORTS,
	UDP_IN_ERRORS,
	UDP_RCVBUF_ERRORS,
	UDP_IN_CSUM_ERRORS,
	UDP_MEM_ERRORS,
	IP_REASM_TIMEOUT,
	IP_REASM_REQDS,
	IP_REASM_OKS,
	IP_REASM_FAILS,
	ICMP_OUT_DEST_UNREACHS,
	IP6_IN_RECEIVES,
	IP6_IN_HDR_ERRORS,
	IP6_IN_ADDR_ERRORS,
	IP6_IN_NO_ROUTES,
	IP6_IN_TRUNCATED_PKTS,
	IP6_IN_UNKNOWN_PROTOS,
	IP6_IN_DISCARDS,
	IP6_IN_DELIVERS,
	UDP6_IN_DATAGRAMS,
	UDP6_NO_PORTS,
	UDP6_IN_ERRORS,
	UDP6_RCVBUF_ERRORS,
	UDP6_IN_CSUM_ERRORS,
	UDP6_MEM_ERRORS,
	IP6_OUT_FORW_DATAGRAMS,
	IP6_REASM_TIMEOUT,
	IP6_REASM_REQDS,
	IP6_REASM_OKS,
	IP6_REASM_FAILS,
	IP6_IN_MCAST_PKTS,
	ICMP6_OUT_DEST_UNREACHS,
	/* /proc/net/netstat from here on (NETSTAT_FIRST). */
	IPEXT_IN_NO_ROUTES,
	IPEXT_IN_TRUNCATED_PKTS,
	IPEXT_IN_CSUM_ERRORS,
	IPEXT_IN_MCAST_PKTS,
	IPEXT_IN_BCAST_PKTS,
	TCPEXT_IP_RP_FILTER,
	SNMP_N
};

#define NETSTAT_FIRST IPEXT_IN_NO_ROUTES

struct snmp_counters {
	uint64_t v[SNMP_N];
	bool have[SNMP_N];
};

/* One CPU: softnet_stat row, NET_RX softirqs, /proc/stat times. */
struct cpu_stat {
	bool have_softnet;
	uint64_t processed;     /* 32-bit counters in the kernel */
	uint64_t dropped;
	uint64_t time_squeeze;
	uint64_t received_rps;
	bool have_received_rps; /* 10+ columns */
	uint64_t flow_limit;
	bool have_flow_limit;   /* 11+ columns */
	uint64_t backlog_len;   /* a gauge; 13+ columns */
	bool have_backlog_len;
	bool have_net_rx;
	uint64_t net_rx;        /* /proc/softirqs NET_RX */
	bool have_times;
	uint64_t softirq_ticks; /* /proc/stat, USER_HZ */
	uint64_t total_ticks;
	int numa_node;          /* -1 unknown */
};

/* sysfs statistics droptop uses (/sys/class/net/DEV/statistics). */
enum sysfs_id {
	SYS_RX_PACKETS,
	SYS_RX_BYTES,
	SYS_RX_DROPPED,
	SYS_RX_ERRORS,
	SYS_RX_MISSED_ERRORS,
	SYS_RX_FIFO_ERRORS,
	SYS_RX_OVER_ERRORS,
	SYS_RX_CRC_ERRORS,
	SYS_RX_FRAME_ERRORS,
	SYS_RX_LENGTH_ERRORS,
	SYS_RX_NOHANDLER,
	SYS_RX_OTHERHOST_DROPPED, /* rtnetlink only, Linux 6.0+ */
	SYS_TX_PACKETS,
	SYS_N
};

/* A driver counter from `ethtool -S`, with its classification. */
struct ethtool_counter {
	char *name;             /* in its device's ctr_names */
	uint64_t value;
	struct counter_class cls;
};

/* One RX queue of a device, summed from the driver's per-queue counters,
 * or taken from netdev qstats where the kernel has them (merge rule:
 * qstats first, see netdev_nl.c). */
struct rx_queue {
	int id;                   /* the RX queue id, 0..SNAP_MAX_QUEUES_PER_DEVICE-1 */
	bool have_packets;
	uint64_t packets;
	bool have_bytes;
	uint64_t bytes;
	bool have_drops;
	uint64_t drops;
	int irq;  /* -1 unknown */
	const char *source;       /* "qstats", "ethtool -S", NULL: packets */
	const char *drops_source; /* the same for drops */
	bool have_napi;           /* netdev queue-get */
	uint32_t napi_id;
	bool irq_from_napi;       /* irq taken from napi-get, not a name */
	int napi_pid;             /* threaded NAPI kthread, -1 none/unknown */
};

/* netdev genl qstats (RX side) of one queue or of the whole device. */
enum qstat_id {
	QS_RX_PACKETS,
	QS_RX_BYTES,
	QS_RX_ALLOC_FAIL,
	QS_RX_HW_DROPS,
	QS_RX_HW_DROP_OVERRUNS,
	QS_RX_HW_DROP_RATELIMITS,
	QS_RX_CSUM_COMPLETE,
	QS_RX_CSUM_UNNECESSARY,
	QS_RX_CSUM_NONE,
	QS_RX_CSUM_BAD,
	QS_N
};

struct qstats {
	bool have[QS_N];
	uint64_t v[QS_N];
};

/* qstats of one RX queue, in the order of the text's lines. */
struct queue_qstats {
	int queue;
	unsigned int seq;         /* line order, so that a later line wins */
	struct qstats qs;
};

/* A NAPI instance (netdev napi-get). */
struct napi_info {
	uint32_t id;
	int irq;                  /* -1 unknown */
	int pid;                  /* -1 when not threaded */
};

/* The queue -> NAPI mapping of netdev queue-get (RX queues). */
struct queue_napi {
	int queue;
	uint32_t napi_id;
};

/* IEEE 802.3 / RMON counters of ethtool STATS_GET droptop uses. */
enum std_stat_id {
	STD_MAC_FRAMES_RX_OK,
	STD_MAC_LOST_INT_RX_ERR,  /* FramesLostDueToIntMACRcvError */
	STD_MAC_FCS_ERR,
	STD_RMON_UNDERSIZE,
	STD_RMON_OVERSIZE,
	STD_RMON_FRAGMENTS,
	STD_RMON_JABBERS,
	STD_N
};

/* RSS hash fields (ETHTOOL_GRXFH), RXH_* bits of <linux/ethtool.h>. */
struct rx_flow_hash {
	bool known;
	uint32_t fields;
};

struct device {
	char name[IF_NAMESIZE];
	char driver[32];
	char bus_info[64];        /* ethtool -i bus-info (PCI address) */
	char parent[64];          /* sysfs device link name, e.g. virtio2 */

	bool have_sysfs;
	uint64_t sys[SYS_N];
	bool sys_have[SYS_N];

	bool have_ethtool;        /* `ethtool -S` was available */
	struct ethtool_counter *ctrs;
	size_t nctrs;
	struct arena ctr_names;   /* owns every ctrs[i].name */

	/* Derived from ctrs by snapshot_finish(): the queues some source
	 * names, sorted by id (find one with device_rxq()); not indexed by
	 * id, so that one queue named 4000 is one queue, not 4001. */
	struct rx_queue *rxq;
	int nrxq;
	bool have_nic_drops;      /* device-level driver drop counters */
	uint64_t nic_drops;       /* sum of device-level driver drops */

	int sys_rx_queues;        /* /sys/class/net/DEV/queues/rx-*, -1 unknown */
	int channels_rx;          /* ETHTOOL_GCHANNELS, -1 unknown */
	int channels_combined;
	int channels_max_rx;
	int channels_max_combined;
	struct rx_flow_hash udp4_hash;
	struct rx_flow_hash udp6_hash;
	int numa_node;            /* -1 unknown */

	bool sys_from_link;       /* sys[] came from rtnetlink `link DEV` */
	int rp_filter;            /* net.ipv4.conf.DEV.rp_filter, -1 unknown */
	/* Link state (`link DEV` or `sysfs DEV`): RFC 2863 operstate name
	 * ("up", "down", "lowerlayerdown", ...; "" unknown), carrier and
	 * IFF_UP (1, 0, -1 unknown). */
	char operstate[16];
	int carrier;
	int admin_up;

	/* netdev genl (qstats DEV, napi DEV). */
	bool have_qstats;         /* device scope */
	struct qstats qs_dev;
	struct queue_qstats *qs_rxq; /* queue scope, one per RX queue line */
	size_t nqs_rxq;
	struct queue_napi *qnapi;
	size_t nqnapi;
	struct napi_info *napis;
	size_t nnapis;
	size_t qs_rxq_cap;        /* allocated slots (snapshot_grow) */
	size_t qnapi_cap;
	size_t napis_cap;

	/* ethtool netlink (ethtool-nl DEV). */
	int ring_rx;              /* -1 unknown */
	int ring_rx_max;
	bool std_have[STD_N];
	uint64_t std[STD_N];
	char rss_hfunc[16];       /* "" unknown */
	uint32_t *rss_indir;      /* indirection table: queue of each entry */
	size_t nrss_indir;
};

/* One UDP socket, from sock_diag (source `sockets`) or /proc/net/udp{,6}. */
struct udp_socket {
	int family;               /* AF_INET or AF_INET6 */
	char local[48];           /* printable address */
	uint16_t lport;
	char remote[48];
	uint16_t rport;
	uint64_t inode;
	uint32_t uid;
	uint64_t rx_queue;        /* bytes queued (rmem in use) */
	uint64_t tx_queue;
	bool have_drops;
	uint64_t drops;
	/* From sock_diag only; /proc/net/udp has neither. */
	bool have_rcvbuf;
	uint64_t rcvbuf;          /* SK_MEMINFO_RCVBUF, bytes */
	int pid;                  /* owning process from /proc/PID/fd, 0 unknown */
	char comm[16];            /* its /proc/PID/comm, "" unknown */
};

/* One line of /proc/interrupts that looks like a NIC queue vector. */
struct irq_line {
	int irq;
	char *name;               /* action name, e.g. eth0-TxRx-3 */
	uint64_t total;           /* sum over CPUs */
	bool have_affinity;
	/* The queue vector of name as /proc/interrupts's parser read it, so
	 * that irq_assign_queues() does not parse every name again: vec_kind
	 * 0 when not kept (a line added by another source), else its match
	 * kind + 1; the key is name[vec_key, vec_key + vec_keylen) (names are
	 * under 128 bytes). In the padding: the line stays 40 bytes. */
	uint8_t vec_kind;
	uint8_t vec_key;
	uint8_t vec_keylen;
	int vec_queue;
	/* /proc/irq/N/smp_affinity_list: CPU_WORDS words, allocated when
	 * read (set when have_affinity), so that an IRQ line is 40 bytes,
	 * not 544: a snapshot holds up to SNAP_MAX_IRQS of them. */
	uint64_t *affinity;
};

/* Sysctls quoted in hints. */
enum sysctl_id {
	SYSCTL_RMEM_MAX,
	SYSCTL_RMEM_DEFAULT,
	SYSCTL_NETDEV_MAX_BACKLOG,
	SYSCTL_NETDEV_BUDGET,
	SYSCTL_NETDEV_BUDGET_USECS,
	SYSCTL_IPFRAG_HIGH_THRESH,
	SYSCTL_IPFRAG_TIME,
	SYSCTL_IP6FRAG_HIGH_THRESH,
	SYSCTL_IP6FRAG_TIME,
	SYSCTL_RP_FILTER_ALL,     /* net.ipv4.conf.all.rp_filter */
	SYSCTL_N
};

/* Conntrack statistics droptop uses: columns of /proc/net/stat/nf_conntrack
 * (summed over the per-CPU rows). */
enum ct_stat_id {
	CT_DROP,
	CT_EARLY_DROP,
	CT_INSERT_FAILED,
	CT_INVALID,
	CT_SEARCH_RESTART,
	CT_N
};

/* The netfilter hooks of the receive path (PREROUTING, INPUT) in the
 * watched namespace: conntrack (proc_conntrack.c) and the rules (nftables.c). */
struct netfilter_state {
	bool have_ct_stat;        /* /proc/net/stat/nf_conntrack read */
	bool ct_have[CT_N];
	uint64_t ct[CT_N];
	bool have_ct_count;       /* nf_conntrack_count */
	uint64_t ct_count;
	bool have_ct_max;         /* nf_conntrack_max */
	uint64_t ct_max;
	bool have_nft;            /* the `nftables` source was read */
	uint64_t nft_rules;       /* rules of base chains at prerouting/input */
	uint64_t nft_drop_chains; /* of those chains, with policy drop */
	bool have_iptables;       /* /proc/net/ip{,6}_tables_names read */
	uint64_t iptables_tables; /* legacy tables loaded (each hooks in) */
};

struct numa_node {
	int node;
	uint64_t cpus[CPU_WORDS];
};

/* One thread of droptop's built-in receiver (the `receiver` source). */
struct receiver_thread {
	int id;
	bool have_packets;
	uint64_t packets;
	bool have_bytes;
	uint64_t bytes;
	bool have_calls;
	uint64_t calls;           /* recvmmsg calls that returned packets */
	bool have_full;
	uint64_t full;            /* of those, calls that filled the batch */
	int cpu;                  /* CPU of its latest call, -1 unknown */
	int node;                 /* NUMA node of that CPU, -1 unknown */
};

/* The built-in receiver, when it runs (droptop --receive). */
struct receiver_state {
	bool present;
	char addr[64];            /* "127.0.0.1:5000", "[::1]:5000" */
	int batch;                /* -1 unknown */
	int reuseport;            /* 1 one socket per thread, 0 shared, -1 */
	int64_t rcvbuf;           /* SO_RCVBUF as getsockopt reads it, -1 */
	int busy_poll;            /* usec, -1 unknown */
	struct receiver_thread *threads;
	size_t nthreads;
	/* Position + 1 of each thread id (0: none), for threads[0, nindexed)
	 * as receiver_parse() adds them; ids are below SNAP_MAX_THREADS. */
	uint16_t thread_pos[SNAP_MAX_THREADS];
	size_t nindexed;
	size_t threads_cap;
};

/* Positions of a snapshot array by key (device name, IRQ number), so that
 * looking one up is not a walk of the array: parsing a big host did that
 * once per line. Open addressing; a slot holds position + 1, 0 is empty.
 * Positions [0, n) are indexed; entries appended without going through
 * snapshot_device()/snapshot_add_irq() are still found, by a walk. */
struct snap_index {
	size_t *slots;
	size_t nslots;            /* a power of two, or 0 */
	size_t n;
};

/* One key of the `drop-reasons` source (dropreason.h). */
struct drop_reason_count {
	char reason[64];          /* NO_SOCKET, OPENVSWITCH:..., or a number */
	int family;               /* AF_INET, AF_INET6, 0 unknown */
	int protocol;             /* IPPROTO_*, -1 unknown */
	int port;                 /* destination port, -1 unknown */
	char dev[IF_NAMESIZE];    /* "" unknown */
	uint64_t count;           /* cumulative since attach */
};

/* NOT_SPECIFIED drops of one kernel function (`location` lines). */
struct drop_reason_func {
	char func[64];            /* from /proc/kallsyms, or "unknown" */
	uint64_t count;           /* cumulative since attach */
};

struct snapshot {
	double realtime;          /* seconds since the epoch */
	double monotonic;         /* CLOCK_MONOTONIC seconds */

	bool have_snmp;
	bool have_snmp6;
	bool have_netstat;        /* /proc/net/netstat */
	struct snmp_counters snmp;

	struct cpu_stat *cpus;    /* indexed by CPU number */
	int ncpus;                /* slots in cpus[] (highest CPU + 1) */
	bool have_softnet;
	bool have_softirqs;
	bool have_stat;

	struct device *devs;
	size_t ndevs;

	struct irq_line *irqs;
	size_t nirqs;
	bool have_interrupts;

	bool have_udp;            /* /proc/net/udp was read */
	bool have_udp6;
	bool have_sockdiag;       /* `sockets` was read: replaces /proc/net/udp */
	struct udp_socket *socks;
	size_t nsocks;

	uint64_t sysctl[SYSCTL_N];
	bool sysctl_have[SYSCTL_N];

	struct numa_node *nodes;
	size_t nnodes;

	/* Sources that could not be read, one line each, for the report. */
	char **notes;
	size_t nnotes;

	/* /proc/sys/kernel/hostname and osrelease, "" when unknown. */
	char hostname[65];
	char kernel_release[65];
	char netns[256];            /* --netns it was taken in, "" none */
	struct receiver_state receiver;
	struct netfilter_state nf;

	bool have_drop_reasons;   /* the `drop-reasons` source was read */
	struct drop_reason_count *reasons;
	size_t nreasons;
	uint64_t reasons_overflow; /* drops not keyed: the map was full */
	struct drop_reason_func *reason_funcs;
	size_t nreason_funcs;
	uint64_t reason_funcs_overflow; /* NOT_SPECIFIED drops not located */

	/* Allocated slots of the arrays above (n* is what is used): they
	 * grow by doubling, see snapshot_grow(). */
	size_t cpus_cap;
	size_t devs_cap;
	size_t irqs_cap;
	size_t socks_cap;
	size_t notes_cap;
	size_t reasons_cap;
	size_t reason_funcs_cap;
	size_t nodes_cap;
	struct snap_index dev_index;  /* devs by name */
	struct snap_index irq_index;  /* irqs by number, the first of each */

	/* nodes[] by node id: position + 1, 0 none (snapshot_node()); ids
	 * below node_pos_cap only, grown to the highest id added: an array
	 * of all SNAP_MAX_NODES ids was half of the struct, zeroed for every
	 * snapshot (the fuzz targets make two per input). */
	uint16_t *node_pos;
	size_t node_pos_cap;
	size_t qs_slots;              /* qstats queue slots of all devices */
	uint32_t limits_noted;        /* 1 << enum snap_limit, see below */
};

void snapshot_init(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Room for n devices (at most SNAP_MAX_DEVICES) before they are added:
 * a 700-byte struct device grown from one slot by doubling is a block
 * per doubling, each fresh memory under ASan. */
void snapshot_reserve_devices(struct snapshot *s, size_t n);

/* Returns arr with room for at least need elements of size bytes, *cap
 * holding the slots allocated. Capacity doubles, so appending n elements
 * one by one copies O(n) bytes even where realloc always moves (ASan):
 * append to the snapshot's arrays only through it (or the adders below),
 * never with realloc to n + 1, which would leave *cap larger than the
 * allocation. */
void *snapshot_grow(void *arr, size_t *cap, size_t need, size_t size);

/* Grows cpus[] so that index cpu exists; returns it or NULL if cpu is out
 * of range. New slots start with nothing known and numa_node -1. */
struct cpu_stat *snapshot_cpu(struct snapshot *s, int cpu);
/* Finds a device by name, or adds an empty one; a name of IF_NAMESIZE
 * bytes or more is cut to fit, for the lookup as for the name stored. */
struct device *snapshot_device(struct snapshot *s, const char *name);
struct device *snapshot_find_device(const struct snapshot *s, const char *name);
/* Appends an IRQ line (nothing else known) and takes ownership of name;
 * NULL (noted, name freed) beyond SNAP_MAX_IRQS. */
struct irq_line *snapshot_add_irq(struct snapshot *s, int irq, char *name);
/* The first IRQ line with that number, or NULL. */
struct irq_line *snapshot_find_irq(const struct snapshot *s, int irq);
/* Drops every device not named in names[] (replay with -i). */
void snapshot_keep_devices(struct snapshot *s, char *const *names, size_t n);
/* The first of names that none of the n snapshots has, or NULL: --replay
 * with -i refuses a device the recording never saw, as live mode does. */
const char *snapshot_missing_device(const struct snapshot *s, size_t nsnaps,
				    char *const *names, size_t n);
void snapshot_note(struct snapshot *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A note already written (malloc'ed, now the snapshot's): a parser's
 * note per bad row without a printf, which the fuzz targets pay for on
 * every mutated row. */
void snapshot_note_take(struct snapshot *s, char *text);
/* "ipv4" for AF_INET, "ipv6" for AF_INET6, NULL for any other family: the
 * one spelling the sockets source and the reports share. */
const char *snapshot_family_name(int family);

/* Notes once per snapshot that limit was reached (what names the
 * source or device) and returns false, so a parser can write
 * `if (... >= SNAP_MAX_X) return snapshot_over_limit(...)`. */
bool snapshot_over_limit(struct snapshot *s, enum snap_limit limit,
			 const char *what);
/* Whether a source about device name may be parsed: the name fits
 * IF_NAMESIZE (a longer one would be stored cut and then looked up in full,
 * so one device would become several) and the device exists or
 * SNAP_MAX_DEVICES leaves room. Notes why not. */
bool snapshot_device_allowed(struct snapshot *s, const char *name);
/* The NUMA node with that id, added if new; NULL (noted) when id is
 * negative or not below SNAP_MAX_NODES. */
struct numa_node *snapshot_node(struct snapshot *s, int id);
const struct numa_node *snapshot_find_node(const struct snapshot *s, int id);
/* Whether a qstats line of queue q of d may get a slot, within the
 * limits per device (its id) and in all (lines kept); counts the slot. */
bool snapshot_reserve_queue(struct snapshot *s, const struct device *d, int q);
/* The RX queue of d with that id (after snapshot_finish), NULL if no
 * source named it. */
struct rx_queue *device_rxq(const struct device *d, int id);

/* The receiver thread with that id, or NULL. */
const struct receiver_thread *snapshot_find_thread(const struct snapshot *s,
						   int id);

/* Derives per-queue sums, device drop totals and CPU NUMA nodes from the
 * raw counters once all sources are in. */
void snapshot_finish(struct snapshot *s);

#endif
