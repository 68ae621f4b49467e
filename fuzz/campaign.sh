#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz-campaign: the campaign of docs/fuzzing.md on both cores. Two
# lanes run side by side under nice: one starts with the recording reader
# for LONG seconds, the other with ethtool_stats for LONG seconds; then
# every other target runs SHORT seconds, alternating between the lanes.
# Each lane appends run.sh's lines to OUTDIR/campaign-LANE.txt, with the
# load average before and after, so the numbers can be read against it.
#   campaign.sh SRCDIR OUTDIR [SHORT [LONG]]
set -u
src=$1 out=$2 short=${3:-60} long=${4:-600}
all=$(grep -v '^#' "$src/fuzz/targets" | cut -d'|' -f1 |
	grep -v -x -e recording -e ethtool_stats)
lane_targets() { # LANE (0 or 1): every other target
	echo "$all" | awk -v lane="$1" 'NR % 2 == lane'
}
lane() { # LANE LONGTARGET
	log=$out/campaign-$1.txt
	{
		echo "lane $1 start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
		nice -n 19 sh "$src/fuzz/run.sh" "$src" "$out" "$long" "$2"
		for t in $(lane_targets "$1"); do
			nice -n 19 sh "$src/fuzz/run.sh" "$src" "$out" "$short" "$t"
		done
		echo "lane $1 end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
	} >"$log" 2>&1
}
lane 0 recording &
lane 1 ethtool_stats &
wait
cat "$out"/campaign-0.txt "$out"/campaign-1.txt
! grep -q CRASH "$out"/campaign-0.txt "$out"/campaign-1.txt
