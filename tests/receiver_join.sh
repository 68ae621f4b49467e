#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The built-in receiver does not take another program's traffic: with a
# program's SO_REUSEPORT group on a port, --receive on that port (same
# address, the IPv4 wildcard, the dual-stack IPv6 wildcard) is refused
# with exit 2 and a message naming the program's pid and command. With
# --join it shares the port, says so on stderr, and does receive a part
# of what is sent there. Its traffic stays in a namespace of its own (or
# under the traffic lock), out of other tests' counters.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
: "${TEST_HELPERS:?}"

sink=
trap '[ -z "$sink" ] || kill $sink 2>/dev/null; own_netns_del; rm -rf "$TMP"' EXIT
own_netns
$IN_NETNS "$TEST_HELPERS/udpsink" 127.0.0.1 0 0 60 2 >"$TMP/port" &
sink=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$TMP/port")
[ -n "$port" ] || fail "udpsink did not start"

refused() { # ADDR
	rc=0
	$IN_NETNS "$DROPTOP" --receive "$1" --report -d 0.2 >/dev/null 2>"$TMP/err" || rc=$?
	[ $rc = 2 ] || fail "--receive $1 beside udpsink: exit $rc, expected 2: $(cat "$TMP/err")"
	grep -q "receiver: .*already in use: 2 sockets of pid $sink (udpsink) on 127.0.0.1:$port.*--join" \
		"$TMP/err" || fail "--receive $1: the message does not name the owner: $(cat "$TMP/err")"
}
refused "127.0.0.1:$port"
refused "$port"
[ -e /proc/net/if_inet6 ] && refused "[::]:$port"

# Not refused: another address, and a free port.
$IN_NETNS "$DROPTOP" --receive "127.0.0.2:$port" --report -d 0.2 >/dev/null 2>"$TMP/other" ||
	fail "127.0.0.2:$port refused: $(cat "$TMP/other")"
! grep -q "warning" "$TMP/other" || fail "a warning on another address: $(cat "$TMP/other")"

$IN_NETNS "$DROPTOP" --receive "127.0.0.1:$port" --join --report -d 3 >/dev/null 2>"$TMP/join" &
rx=$!
i=0
while ! grep -q 'receiving on' "$TMP/join" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
$IN_NETNS "$DROPTOP_SEND" --count 3000 --rate 10000 --src-ports 20000-20063 "127.0.0.1:$port" >/dev/null ||
	fail "droptop-send exited $?"
wait $rx || fail "droptop --join exited $?"
grep -q "warning: --join: 127.0.0.1:$port is shared with 2 sockets of pid $sink (udpsink)" "$TMP/join" ||
	fail "--join without the warning: $(cat "$TMP/join")"
got=$(sed -n 's/.*receiver totals: packets \([0-9]*\) .*/\1/p' "$TMP/join")
echo "--join: droptop received $got of 3000"
[ "${got:-0}" -gt 0 ] && [ "$got" -lt 3000 ] ||
	fail "--join: received ${got:-nothing} of 3000, expected a share of them"
pass "a port in use is refused naming its owner; --join shares it and warns"
