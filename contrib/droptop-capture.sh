#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# droptop-capture.sh: write a droptop recording with nothing but sh, cat and
# ethtool, so a host without droptop can be diagnosed elsewhere:
#   droptop-capture.sh [-n COUNT] [-d SECONDS] [-i DEV]... [-o FILE]
#   droptop --replay FILE
# Takes COUNT snapshots (default 2) SECONDS apart (default 1) of every
# network device but lo, or of the -i devices. The format is droptop's
# recording format version 1 (see droptop(8), FILES).
# Globbing is off: a device name may hold * ? [ (e.g. "vg*"); the few
# globs below turn it on around themselves, with the device name quoted.
set -u
set -f

count=2
interval=1
devs=""
out=""

usage() {
	echo "usage: $0 [-n COUNT] [-d SECONDS] [-i DEV]... [-o FILE]" >&2
	exit 2
}

while getopts "n:d:i:o:h" opt; do
	case $opt in
	n) count=$OPTARG ;;
	d) interval=$OPTARG ;;
	i) devs="$devs $OPTARG" ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
case $count in '' | *[!0-9]*) usage ;; esac
[ "$count" -ge 1 ] || usage

if [ -z "$devs" ]; then
	set +f
	for d in /sys/class/net/*; do
		d=${d##*/}
		[ "$d" = lo ] || devs="$devs $d"
	done
	set -f
fi
for d in $devs; do
	[ -e "/sys/class/net/$d" ] || { echo "$0: $d: no such network device" >&2; exit 2; }
done
if [ -n "$out" ]; then
	exec >"$out" || exit 2
fi

# One source: its name, then its text with lines starting with @ escaped.
# A command that fails (a device without ethtool stats) writes nothing.
source_block() {
	name=$1
	shift
	text=$("$@" 2>/dev/null) || return 0
	echo "@source $name"
	[ -z "$text" ] || printf '%s\n' "$text" | sed 's/^@/@@/'
}

sysfs_stats() {
	set +f
	for f in "/sys/class/net/$1/statistics/"*; do
		[ -r "$f" ] && echo "${f##*/} $(cat "$f")"
	done
	set -f
}

sysfs_dev() {
	if [ -e "/sys/class/net/$1/device" ]; then
		link=$(readlink "/sys/class/net/$1/device")
		echo "parent ${link##*/}"
	fi
	n=0
	set +f
	for q in "/sys/class/net/$1/queues/rx-"*; do
		[ -e "$q" ] && n=$((n + 1))
	done
	set -f
	echo "rx_queues $n"
}

irq_affinity() {
	set +f
	for f in /proc/irq/*/smp_affinity_list; do
		[ -r "$f" ] || continue
		irq=${f#/proc/irq/}
		echo "${irq%%/*} $(cat "$f")"
	done
	set -f
}

numa() {
	set +f
	for n in /sys/devices/system/node/node*; do
		[ -r "$n/cpulist" ] && echo "node ${n##*node} $(cat "$n/cpulist")"
	done
	set -f
	for d in $devs; do
		f=/sys/class/net/$d/device/numa_node
		[ -r "$f" ] && echo "dev $d $(cat "$f")"
	done
}

sysctls() {
	for k in rmem_max rmem_default netdev_max_backlog netdev_budget netdev_budget_usecs; do
		f=/proc/sys/net/core/$k
		[ -r "$f" ] && echo "net.core.$k $(cat "$f")"
	done
}

snapshot() {
	echo "@snapshot $(date +%s.%N) $(cut -d' ' -f1 /proc/uptime)"
	for f in /proc/net/snmp /proc/net/snmp6 /proc/net/softnet_stat \
		/proc/softirqs /proc/stat /proc/interrupts /proc/net/udp /proc/net/udp6 \
		/proc/sys/kernel/hostname /proc/sys/kernel/osrelease; do
		[ -r "$f" ] && source_block "$f" cat "$f"
	done
	source_block irq-affinity irq_affinity
	for d in $devs; do
		source_block "sysfs $d" sysfs_stats "$d"
		source_block "sysfs-dev $d" sysfs_dev "$d"
		if command -v ethtool >/dev/null 2>&1; then
			source_block "ethtool -i $d" ethtool -i "$d"
			source_block "ethtool -S $d" ethtool -S "$d"
			source_block "ethtool -l $d" ethtool -l "$d"
			source_block "ethtool -g $d" ethtool -g "$d"
			source_block "ethtool -n $d rx-flow-hash udp4" ethtool -n "$d" rx-flow-hash udp4
			source_block "ethtool -n $d rx-flow-hash udp6" ethtool -n "$d" rx-flow-hash udp6
		fi
	done
	source_block numa numa
	source_block sysctl sysctls
	echo "@end"
}

echo "droptop-recording 1"
i=1
while :; do
	snapshot
	[ "$i" -ge "$count" ] && break
	i=$((i + 1))
	sleep "$interval"
done
