#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on loopback: droptop-send at 50000 pkt/s for 3 s to droptop's
# receiver; at a rate the host absorbs, every datagram sent is received:
# the two totals are equal, exactly. The receiver is stopped by SIGINT (it
# drains its socket first) and still prints its totals.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
live_lock
# 4 MiB of receive buffer absorbs a scheduling stall of the receiver on a
# loaded host; as root SO_RCVBUFFORCE grants it, otherwise rmem_max must.
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/net/core/rmem_max)" -lt 4194304 ]; then
	skip "needs root or net.core.rmem_max >= 4194304 for --rcvbuf 4M"
fi

"$DROPTOP" --receive 127.0.0.1:0 --rcvbuf 4M --report -d 60 >"$TMP/report" 2>"$TMP/rx.err" &
rx=$!
trap 'kill $rx 2>/dev/null; rm -rf "$TMP"' EXIT
wait_receiver "$TMP/rx.err"

"$DROPTOP_SEND" --rate 50000 --duration 3 "127.0.0.1:$port" >"$TMP/tx.out" ||
	fail "droptop-send exited $?"
kill -INT $rx
wait $rx
rc=$?
[ $rc = 130 ] || fail "droptop exited $rc after SIGINT, expected 130"
send_totals "$TMP/tx.out" "$TMP/rx.err"
echo "sent $sent, received $received, send errors $errors"
within_pct "$sent" 150000 2 || fail "sent $sent, not 150000 within 2 %"
[ "$errors" = 0 ] || fail "the sender saw $errors errors"
[ "$sent" = "$received" ] || fail "sent $sent but the receiver got $received"
pass "150000 at 50000 pkt/s: receiver total $received == sender total $sent"
