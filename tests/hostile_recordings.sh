#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile recordings: small files claiming huge counts (150 devices of
# 65,536 queues each, 50,000 receiver threads, 40,000 NUMA nodes) are
# replayed within the recording limits of droptop(8): in about a second and
# under 100 MB, with a note saying what was dropped. Each is a real capture
# (tests/data/receiver) with the hostile sources added to both snapshots.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

need_cmd awk
[ -x /usr/bin/time ] || skip "needs /usr/bin/time (GNU time) for the peak RSS"
BASE=$TEST_DATA_DIR/receiver/loopback-2threads.rec
# Generous for ASan/valgrind-free sanitizer builds; the unbounded code took
# 8-30 s and 3.8-6.3 GB.
MAX_SECONDS=${HOSTILE_MAX_SECONDS:-3}
MAX_KB=102400

# add_sources OUT GENERATOR: BASE with the generator's sources before each
# @end (the generator is an awk program printing "@source" blocks).
add_sources() {
	awk "function hostile() { $2 }
	     /^@end\$/ { hostile() } { print }" "$BASE" >"$1"
}

# replace_source OUT NAME GENERATOR: BASE with source NAME's text replaced.
replace_source() {
	awk -v name="$2" "function hostile() { $3 }
	     /^@/ { skip = 0 }
	     \$0 == \"@source \" name { print; hostile(); skip = 1; next }
	     !skip { print }" "$BASE" >"$1"
}

# replay FILE: runs the report, sets $secs and $kb, keeps stdout and stderr.
replay() {
	/usr/bin/time -f '%e %M' -o "$TMP/time" \
		"$DROPTOP" --replay "$1" --report --all >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] ||
		fail "replay of $(basename "$1") exited $rc: $(head -c 300 "$TMP/err")"
	read -r secs kb <"$TMP/time" || fail "no timing for $(basename "$1")"
	echo "$(basename "$1"): ${secs} s, ${kb} KB"
	awk -v s="$secs" -v m="$MAX_SECONDS" 'BEGIN { exit !(s < m) }' ||
		fail "replay of $(basename "$1") took $secs s (limit $MAX_SECONDS)"
	[ "$kb" -lt $MAX_KB ] ||
		fail "replay of $(basename "$1") peaked at $kb KB (limit $MAX_KB)"
}

expect_note() { # PATTERN
	grep -q -- "$1" "$TMP/out" || fail "report lacks the note '$1'"
}

# 150 devices, each claiming 65,536 RX queues three ways: sysfs rx_queues,
# a fuzzed `ethtool -S` name, a netdev qstats queue id.
add_sources "$TMP/queues.rec" '
	for (i = 0; i < 150; i++) {
		printf "@source sysfs-dev hostile%d\nrx_queues 65536\n", i
		printf "@source ethtool -S hostile%d\nNIC statistics:\n", i
		printf "     rx65535_packets: 1\n"
		printf "@source qstats hostile%d\nrx 65535 rx-packets 1\n", i
	}'
[ "$(wc -c <"$TMP/queues.rec")" -lt 200000 ] || fail "queues.rec is not small"
replay "$TMP/queues.rec"
expect_note "queues"

# 50,000 receiver threads, numbered as the receiver numbers them.
replace_source "$TMP/threads.rec" receiver '
	print "receiver 127.0.0.1:60137 threads 50000 batch 64 reuseport 1 rcvbuf 212992 busy_poll 0"
	for (i = 0; i < 50000; i++)
		printf "thread %d packets %d bytes 0 calls 0 full 0 cpu -1 node -1\n", i, i'
replay "$TMP/threads.rec"
expect_note "receiver: receiver thread ids from 256 up"

# 40,000 NUMA nodes, each claiming the capture's two CPUs.
replace_source "$TMP/nodes.rec" numa '
	for (i = 0; i < 40000; i++)
		printf "node %d 0-1\n", i'
replay "$TMP/nodes.rec"
expect_note "numa: .*node"

pass "hostile recordings replayed within the recording limits"
