#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Privileges after set-up, read from /proc/PID/status of a running droptop:
# a live report keeps only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (also in
# its bounding set), its receiver threads none, and sets NoNewPrivs; a
# replay holds nothing before it reads its file (a FIFO, so that it waits).
# After the drop the live report still names the owner of another user's
# socket.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "capabilities to drop"
need_cmd ip
need_cmd setpriv

NS=droptop-priv-$$
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

field() { awk -v k="$1:" '$1 == k { print $2 }' "$2"; }
# The status of a process once it has set NoNewPrivs (at most 10 s).
status_after_drop() { # PID FILE
	i=0
	while [ $i -lt 100 ]; do
		cat "/proc/$1/status" >"$2" 2>/dev/null || fail "droptop $1 ended early"
		[ "$(field NoNewPrivs "$2")" = 1 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "droptop $1 never set NoNewPrivs"
}
expect_caps() { # FILE MASK WHAT
	for set in CapEff CapPrm CapBnd; do
		have=$(field $set "$1")
		[ $((0x$have)) = $(($2)) ] ||
			fail "$3: $set $have, expected $(printf %016x $(($2)))"
	done
	[ $((0x$(field CapInh "$1"))) = 0 ] && [ $((0x$(field CapAmb "$1"))) = 0 ] ||
		fail "$3: inheritable or ambient capabilities left"
}

# What is kept: DAC_READ_SEARCH (2) and SYS_PTRACE (19), if we hold them.
keep=$((0x$(field CapBnd /proc/self/status) & 0x80004))

ip netns add "$NS" 2>/dev/null || skip "cannot create a network namespace"
ip -n "$NS" link set lo up
# Another user's socket (nobody's), which only CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH can trace to its process.
chmod 755 "$TMP"
ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$TEST_HELPERS/udpsink" 127.0.0.1 0 0 30 >"$TMP/port" 2>"$TMP/sink.err" &
pids="$pids $!"
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$TMP/port")
[ -n "$port" ] || skip "cannot run a socket as nobody: $(cat "$TMP/sink.err")"

"$DROPTOP" --netns "$NS" --report -a -d 3 --receive 127.0.0.2:0 --threads 2 \
	>"$TMP/live.out" 2>"$TMP/live.err" &
live=$!
pids="$pids $live"
status_after_drop $live "$TMP/live.status"
expect_caps "$TMP/live.status" $keep "live report"
n=0
for t in /proc/$live/task/*; do
	[ "${t##*/}" = $live ] && continue
	cat "$t/status" >"$TMP/thread.status" 2>/dev/null || continue
	[ "$(field NoNewPrivs "$TMP/thread.status")" = 1 ] ||
		fail "receiver thread ${t##*/}: NoNewPrivs not set"
	expect_caps "$TMP/thread.status" 0 "receiver thread ${t##*/}"
	n=$((n + 1))
done
[ $n -ge 2 ] || fail "found $n receiver threads, expected 2"
wait $live || fail "live report exited $?: $(cat "$TMP/live.err")"
grep -Eq "127\.0\.0\.1:$port .*[0-9]+/udpsink\$" "$TMP/live.out" ||
	{ cat "$TMP/live.out"; fail "the nobody socket's owner is not shown after the drop"; }
pass "live: CapEff=CapBnd=$(printf %x $keep), receiver threads none, owners still shown"

# A replay: everything dropped before the file is read.
mkfifo "$TMP/fifo"
"$DROPTOP" --report --replay "$TMP/fifo" >"$TMP/replay.out" 2>"$TMP/replay.err" &
replay=$!
pids="$pids $replay"
sleep 0.5
status_after_drop $replay "$TMP/replay.status"
expect_caps "$TMP/replay.status" 0 "replay"
printf 'droptop-recording 1\n@snapshot 1 2\n@end\n@snapshot 2 3\n@end\n' >"$TMP/fifo"
wait $replay || fail "replay exited $?: $(cat "$TMP/replay.err")"
grep -q '^verdict: ' "$TMP/replay.out" || fail "no report from the replay"
pass "replay: no capability at all before reading the file"
