/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel UAPI constants newer than the Linux 6.1 headers droptop is built
 * against, with their kernel values (include/uapi/linux/netdev.h, from
 * Documentation/netlink/specs/netdev.yaml; include/uapi/linux/
 * ethtool_netlink.h). The system headers are included first and every
 * constant is a guarded macro: with a newer system header the macro only
 * repeats the enumerator's value, so nothing clashes. Never include a
 * system <linux/netdev.h> after this file. */
#ifndef DROPTOP_KERNEL_UAPI_H
#define DROPTOP_KERNEL_UAPI_H

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#if defined(__has_include)
#if __has_include(<linux/netdev.h>)
#include <linux/netdev.h>
#endif
#endif

/* ---- generic netlink family "netdev" (Linux 6.3+; qstats 6.9+) ---- */

#ifndef NETDEV_FAMILY_NAME
#define NETDEV_FAMILY_NAME "netdev"
#endif
#ifndef NETDEV_FAMILY_VERSION
#define NETDEV_FAMILY_VERSION 1
#endif

/* enum netdev_queue_type */
#ifndef NETDEV_QUEUE_TYPE_RX
#define NETDEV_QUEUE_TYPE_RX 0
#endif
#ifndef NETDEV_QUEUE_TYPE_TX
#define NETDEV_QUEUE_TYPE_TX 1
#endif

/* enum netdev_qstats_scope (flags) */
#ifndef NETDEV_QSTATS_SCOPE_QUEUE
#define NETDEV_QSTATS_SCOPE_QUEUE 1
#endif

/* napi attribute set */
#ifndef NETDEV_A_NAPI_IFINDEX
#define NETDEV_A_NAPI_IFINDEX 1
#endif
#ifndef NETDEV_A_NAPI_ID
#define NETDEV_A_NAPI_ID 2
#endif
#ifndef NETDEV_A_NAPI_IRQ
#define NETDEV_A_NAPI_IRQ 3
#endif
#ifndef NETDEV_A_NAPI_PID
#define NETDEV_A_NAPI_PID 4
#endif

/* queue attribute set */
#ifndef NETDEV_A_QUEUE_ID
#define NETDEV_A_QUEUE_ID 1
#endif
#ifndef NETDEV_A_QUEUE_IFINDEX
#define NETDEV_A_QUEUE_IFINDEX 2
#endif
#ifndef NETDEV_A_QUEUE_TYPE
#define NETDEV_A_QUEUE_TYPE 3
#endif
#ifndef NETDEV_A_QUEUE_NAPI_ID
#define NETDEV_A_QUEUE_NAPI_ID 4
#endif

/* qstats attribute set; statistics start at 8 (ids reserved before) */
#ifndef NETDEV_A_QSTATS_IFINDEX
#define NETDEV_A_QSTATS_IFINDEX 1
#endif
#ifndef NETDEV_A_QSTATS_QUEUE_TYPE
#define NETDEV_A_QSTATS_QUEUE_TYPE 2
#endif
#ifndef NETDEV_A_QSTATS_QUEUE_ID
#define NETDEV_A_QSTATS_QUEUE_ID 3
#endif
#ifndef NETDEV_A_QSTATS_SCOPE
#define NETDEV_A_QSTATS_SCOPE 4
#endif
#ifndef NETDEV_A_QSTATS_RX_PACKETS
#define NETDEV_A_QSTATS_RX_PACKETS 8
#endif
#ifndef NETDEV_A_QSTATS_RX_BYTES
#define NETDEV_A_QSTATS_RX_BYTES 9
#endif
#ifndef NETDEV_A_QSTATS_TX_PACKETS
#define NETDEV_A_QSTATS_TX_PACKETS 10
#endif
#ifndef NETDEV_A_QSTATS_TX_BYTES
#define NETDEV_A_QSTATS_TX_BYTES 11
#endif
#ifndef NETDEV_A_QSTATS_RX_ALLOC_FAIL
#define NETDEV_A_QSTATS_RX_ALLOC_FAIL 12
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_DROPS
#define NETDEV_A_QSTATS_RX_HW_DROPS 13
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_DROP_OVERRUNS
#define NETDEV_A_QSTATS_RX_HW_DROP_OVERRUNS 14
#endif
#ifndef NETDEV_A_QSTATS_RX_CSUM_COMPLETE
#define NETDEV_A_QSTATS_RX_CSUM_COMPLETE 15
#endif
#ifndef NETDEV_A_QSTATS_RX_CSUM_UNNECESSARY
#define NETDEV_A_QSTATS_RX_CSUM_UNNECESSARY 16
#endif
#ifndef NETDEV_A_QSTATS_RX_CSUM_NONE
#define NETDEV_A_QSTATS_RX_CSUM_NONE 17
#endif
#ifndef NETDEV_A_QSTATS_RX_CSUM_BAD
#define NETDEV_A_QSTATS_RX_CSUM_BAD 18
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_GRO_PACKETS
#define NETDEV_A_QSTATS_RX_HW_GRO_PACKETS 19
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_GRO_BYTES
#define NETDEV_A_QSTATS_RX_HW_GRO_BYTES 20
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_GRO_WIRE_PACKETS
#define NETDEV_A_QSTATS_RX_HW_GRO_WIRE_PACKETS 21
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_GRO_WIRE_BYTES
#define NETDEV_A_QSTATS_RX_HW_GRO_WIRE_BYTES 22
#endif
#ifndef NETDEV_A_QSTATS_RX_HW_DROP_RATELIMITS
#define NETDEV_A_QSTATS_RX_HW_DROP_RATELIMITS 23
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_DROPS
#define NETDEV_A_QSTATS_TX_HW_DROPS 24
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_DROP_ERRORS
#define NETDEV_A_QSTATS_TX_HW_DROP_ERRORS 25
#endif
#ifndef NETDEV_A_QSTATS_TX_CSUM_NONE
#define NETDEV_A_QSTATS_TX_CSUM_NONE 26
#endif
#ifndef NETDEV_A_QSTATS_TX_NEEDS_CSUM
#define NETDEV_A_QSTATS_TX_NEEDS_CSUM 27
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_GSO_PACKETS
#define NETDEV_A_QSTATS_TX_HW_GSO_PACKETS 28
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_GSO_BYTES
#define NETDEV_A_QSTATS_TX_HW_GSO_BYTES 29
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_GSO_WIRE_PACKETS
#define NETDEV_A_QSTATS_TX_HW_GSO_WIRE_PACKETS 30
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_GSO_WIRE_BYTES
#define NETDEV_A_QSTATS_TX_HW_GSO_WIRE_BYTES 31
#endif
#ifndef NETDEV_A_QSTATS_TX_HW_DROP_RATELIMITS
#define NETDEV_A_QSTATS_TX_HW_DROP_RATELIMITS 32
#endif
#ifndef NETDEV_A_QSTATS_TX_STOP
#define NETDEV_A_QSTATS_TX_STOP 33
#endif
#ifndef NETDEV_A_QSTATS_TX_WAKE
#define NETDEV_A_QSTATS_TX_WAKE 34
#endif

/* commands */
#ifndef NETDEV_CMD_QUEUE_GET
#define NETDEV_CMD_QUEUE_GET 10
#endif
#ifndef NETDEV_CMD_NAPI_GET
#define NETDEV_CMD_NAPI_GET 11
#endif
#ifndef NETDEV_CMD_QSTATS_GET
#define NETDEV_CMD_QSTATS_GET 12
#endif

/* ---- ethtool netlink, RSS_GET (Linux 6.2+) ---- */

#ifndef ETHTOOL_MSG_RSS_GET
#define ETHTOOL_MSG_RSS_GET 38
#endif
#ifndef ETHTOOL_MSG_RSS_GET_REPLY
#define ETHTOOL_MSG_RSS_GET_REPLY 38
#endif
#ifndef ETHTOOL_A_RSS_HEADER
#define ETHTOOL_A_RSS_HEADER 1
#endif
#ifndef ETHTOOL_A_RSS_CONTEXT
#define ETHTOOL_A_RSS_CONTEXT 2
#endif
#ifndef ETHTOOL_A_RSS_HFUNC
#define ETHTOOL_A_RSS_HFUNC 3
#endif
#ifndef ETHTOOL_A_RSS_INDIR
#define ETHTOOL_A_RSS_INDIR 4
#endif
#ifndef ETHTOOL_A_RSS_HKEY
#define ETHTOOL_A_RSS_HKEY 5
#endif

#endif
