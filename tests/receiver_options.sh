#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The receiver's socket options, live: --rcvbuf granted with
# SO_RCVBUFFORCE, and capped by net.core.rmem_max (said so) without
# CAP_NET_ADMIN; IPv6 with one shared socket (--no-reuseport), two threads
# and --busy-poll, counting exactly what droptop-send sent over [::1].
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
need_root "SO_RCVBUFFORCE and SO_BUSY_POLL need CAP_NET_ADMIN"
need_cmd jq
need_cmd setpriv
live_lock

"$DROPTOP" --receive 127.0.0.1:0 --rcvbuf 64M --report -d 0.1 >/dev/null 2>"$TMP/forced" ||
	fail "droptop --rcvbuf 64M exited $?"
grep -q 'rcvbuf: asked 67108864 with SO_RCVBUFFORCE, granted 67108864 (kernel limit 134217728 bytes' \
	"$TMP/forced" || fail "SO_RCVBUFFORCE: $(cat "$TMP/forced")"

rmem_max=$(cat /proc/sys/net/core/rmem_max)
if [ "$rmem_max" -lt 67108864 ]; then
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
		"$DROPTOP" --receive 127.0.0.1:0 --rcvbuf 64M --report -d 0.1 >/dev/null 2>"$TMP/capped" ||
		fail "droptop without CAP_NET_ADMIN exited $?"
	grep -q "asked 67108864 with SO_RCVBUF, granted $rmem_max .*capped by net.core.rmem_max = $rmem_max" \
		"$TMP/capped" || fail "capped rcvbuf: $(cat "$TMP/capped")"
fi

[ -e /proc/net/if_inet6 ] || skip "no IPv6 on this host"
# A large buffer, so a stall of this (possibly loaded, sanitized) run loses
# nothing and the count stays exact.
"$DROPTOP" --receive '[::1]:0' --no-reuseport --threads 2 --busy-poll 50 --rcvbuf 8M --report -d 3 \
	--format json >"$TMP/v6.json" 2>"$TMP/v6.err" &
rx=$!
trap 'kill $rx 2>/dev/null; rm -rf "$TMP"' EXIT
wait_receiver "$TMP/v6.err"
grep -q 'one shared socket' "$TMP/v6.err" || fail "--no-reuseport not in effect"
grep -q 'busy poll 50 usec' "$TMP/v6.err" || fail "--busy-poll not in effect"
"$DROPTOP_SEND" --count 20000 --rate 20000 "[::1]:$port" >"$TMP/tx" || fail "droptop-send exited $?"
wait $rx || fail "droptop exited $?"
sent=$(awk '$1 == "total:" { print $3 }' "$TMP/tx")
got=$(awk '$3 == "totals:" { print $5 }' "$TMP/v6.err")
[ "$sent" = 20000 ] && [ "$got" = 20000 ] || fail "IPv6: sent $sent, received $got"
jq -e '.receiver.reuseport == 0 and .receiver.busy_poll == 50 and
       (.receiver.threads | length) == 2' "$TMP/v6.json" >/dev/null ||
	fail "IPv6 report: $(jq -c .receiver "$TMP/v6.json")"
pass "rcvbuf forced and capped; IPv6 shared socket: 20000 sent, 20000 received"
