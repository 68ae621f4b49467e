#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# droptop-send through a link flap, in two network namespaces joined by a
# veth pair: "Network is unreachable" while the link is down is counted,
# waited out, and sending goes on until --duration ends (exit 0).
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
need_root "network namespaces"
need_cmd ip
A=droptop-flapa-$$
B=droptop-flapb-$$
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
netns_pair "$A" "$B"
veth_link "$A" flapa 192.0.2.1/24 "$B" flapb 192.0.2.2/24

# 3 s at 2000 pkt/s (6000 datagrams at most); the link is down from
# about 0.8 s to 1.8 s. Nothing listens in B: the datagrams are dropped there.
ip netns exec "$A" "$DROPTOP_SEND" --rate 2000 --duration 3 192.0.2.2:9 \
	>"$TMP/out" 2>"$TMP/err" &
send=$!
sleep 0.8
ip -n "$A" link set flapa down || fail "link down"
sleep 1
ip -n "$A" link set flapa up || fail "link up"
wait $send
rc=$?
[ $rc = 0 ] || fail "droptop-send exited $rc through the flap: $(cat "$TMP/err")"
# total: sent N packets B bytes in S s, R pkt/s; EAGAIN .. unreachable U other O
set -- $(awk '$1 == "total:" { for (i = 1; i < NF; i++) {
	if ($i == "sent") s = $(i + 1); if ($i == "in") t = $(i + 1)
	if ($i == "unreachable") u = $(i + 1) }
	print s, t, u }' "$TMP/out")
[ $# = 3 ] || fail "no totals line: $(cat "$TMP/out")"
sent=$1 secs=$2 unreach=$3
[ "$unreach" -gt 0 ] || fail "no unreachable error counted: $(tail -1 "$TMP/out")"
# It ran to the end of --duration, and sent after the link came back: more
# than the 0.8 s before the flap could give (1600).
awk -v t="$secs" 'BEGIN { exit !(t >= 2.9) }' || fail "stopped after $secs s"
[ "$sent" -gt 2600 ] || fail "sent only $sent: did not go on after the flap"
pass "link flap: $unreach unreachable errors counted, $sent sent in $secs s"
