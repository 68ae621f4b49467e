#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on loopback: droptop's receiver with its default buffer (no
# --rcvbuf) asks for 4 MiB, and at 50000 pkt/s for 5 s with a CPU hog on
# every CPU beside it loses nothing: the receiver's total equals the
# sender's, exactly. (With --rcvbuf 212992, the kernel's rmem_default, the
# same run lost 46811, 72006 and 51391 of about 230000 at load 15.)
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
live_lock
rmem_max=$(cat /proc/sys/net/core/rmem_max)
if [ "$(id -u)" != 0 ] && [ "$rmem_max" -lt 4194304 ]; then
	skip "the default 4 MiB needs root (SO_RCVBUFFORCE) or net.core.rmem_max >= 4194304"
fi

hogs=
stop_all() {
	for p in $rx $hogs; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
rx=
trap stop_all EXIT
"$DROPTOP" --receive 127.0.0.1:0 --report -d 60 >"$TMP/report" 2>"$TMP/rx.err" &
rx=$!
wait_receiver "$TMP/rx.err"
grep -q 'rcvbuf: asked 4194304 (default) with SO_RCVBUF[A-Z]*, granted 4194304 ' "$TMP/rx.err" ||
	fail "default rcvbuf not granted: $(grep rcvbuf "$TMP/rx.err")"

# One busy loop per CPU, at the receiver's priority, for the send only.
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
for _ in $(seq "$ncpu"); do
	timeout 8 sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
"$DROPTOP_SEND" --rate 50000 --duration 5 "127.0.0.1:$port" >"$TMP/tx.out" ||
	fail "droptop-send exited $?"
for p in $hogs; do kill "$p" 2>/dev/null; done
kill -INT $rx
wait $rx
rc=$?
[ $rc = 130 ] || fail "droptop exited $rc after SIGINT, expected 130"
send_totals "$TMP/tx.out" "$TMP/rx.err"
echo "with $ncpu CPU hogs: sent $sent, received $received, send errors $errors"
# The hogs slow the sender too; what is tested is that nothing sent is
# lost, at a rate at least half the one asked.
[ "$sent" -ge 125000 ] || fail "sent only $sent of 250000: the rate was not reached"
[ "$errors" = 0 ] || fail "the sender saw $errors errors"
[ "$sent" = "$received" ] || fail "sent $sent but the receiver got $received: $((sent - received)) lost"
pass "$sent at up to 50000 pkt/s beside $ncpu CPU hogs, default rcvbuf: received $received == sent $sent"
