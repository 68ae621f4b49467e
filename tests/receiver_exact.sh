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
i=0
while ! grep -q 'receiving on' "$TMP/rx.err" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's/.*receiving on 127\.0\.0\.1:\([0-9]*\):.*/\1/p' "$TMP/rx.err")
[ -n "$port" ] || fail "the receiver did not start: $(cat "$TMP/rx.err")"

"$DROPTOP_SEND" --rate 50000 --duration 3 "127.0.0.1:$port" >"$TMP/tx.out" ||
	fail "droptop-send exited $?"
kill -INT $rx
wait $rx
rc=$?
[ $rc = 130 ] || fail "droptop exited $rc after SIGINT, expected 130"
sent=$(awk '$1 == "total:" { print $3 }' "$TMP/tx.out")
received=$(awk '$2 == "receiver" && $3 == "totals:" { print $5 }' "$TMP/rx.err")
errors=$(awk '$1 == "total:" { print $(NF - 6) + $(NF - 4) + $(NF - 2) + $NF }' "$TMP/tx.out")
echo "sent $sent, received $received, send errors $errors"
[ -n "$sent" ] && [ -n "$received" ] || fail "missing totals: $(cat "$TMP/tx.out" "$TMP/rx.err")"
within_pct "$sent" 150000 2 || fail "sent $sent, not 150000 within 2 %"
[ "$errors" = 0 ] || fail "the sender saw $errors errors"
[ "$sent" = "$received" ] || fail "sent $sent but the receiver got $received"
pass "150000 at 50000 pkt/s: receiver total $received == sender total $sent"
