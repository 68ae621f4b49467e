#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Two network namespaces joined by a veth pair: four SO_REUSEPORT sockets
# on one port in the receiving one, never read, flooded from ONE source
# port (one flow: the reuseport hash sends it all to one socket).
# `droptop --netns` must report reuseport-imbalance, its per-socket drops
# must sum to that namespace's RcvbufErrors delta between droptop's own
# two snapshots (as recorded), and the recording must replay to the same
# report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "network namespaces"
need_cmd ip
need_cmd jq

A=droptop-rpa-$$
B=droptop-rpb-$$
VA=drpa$$
VB=drpb$$
PORT=9999
sink=
cleanup() {
	[ -z "$sink" ] || kill "$sink" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
netns_pair "$A" "$B"
veth_link "$A" "$VA" 192.0.2.1/24 "$B" "$VB" 192.0.2.2/24

# Four sockets, SO_RCVBUF 2048 (4096 in the kernel), for at most 20 s.
ip netns exec "$B" "$TEST_HELPERS/udpsink" 192.0.2.2 $PORT 2048 20 4 >"$TMP/port" &
sink=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$TMP/port")" = $PORT ] || fail "udpsink did not bind port $PORT"

# The flood (20000 datagrams, at most 2 s) falls between the snapshots.
"$DROPTOP" --netns "$B" --report -d 4 --format json --record "$TMP/rec" \
	>"$TMP/report.json" 2>"$TMP/err" &
dt=$!
sleep 1
ip netns exec "$A" "$TEST_HELPERS/udpflood" 192.0.2.2 $PORT 20000 20000 2 >"$TMP/sent"
wait $dt || fail "droptop exited $?: $(cat "$TMP/err")"
jq -e . "$TMP/report.json" >/dev/null || fail "report is not valid JSON"

check() { # JQ-EXPR WHAT
	jq -e "$1" "$TMP/report.json" >/dev/null || fail "$2 (jq: $1)"
}
check '.socket_source == "sock_diag"' "socket rows not from sock_diag"
check "[.devices[].name] == [\"$VB\"]" "devices are not those of namespace $B"
check '.findings | map(.id) | index("reuseport-imbalance") != null' \
	"no finding reuseport-imbalance: $(jq -c .findings "$TMP/report.json")"
check ".socket_groups | length == 1 and .[0].members == 4 and .[0].lport == $PORT and .[0].packets_ps == null" \
	"no group of 4 sockets on port $PORT"
check "[.sockets[] | select(.lport == $PORT) | .drops_share] | sort == [0, 0, 0, 1]" \
	"one socket should take every drop of the group"

# RcvbufErrors of snapshot N, from the recorded /proc/net/snmp of $B.
recorded_rcvbuf() {
	awk -v n="$1" '/^@snapshot / { s++ }
	     /^@source / { on = (s == n && $0 == "@source /proc/net/snmp"); next }
	     on && $1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
	     on && $1 == "Udp:" && h { print $col["RcvbufErrors"]; exit }' "$TMP/rec"
}
first=$(recorded_rcvbuf 1)
second=$(recorded_rcvbuf 2)
[ "$first" = 0 ] || fail "RcvbufErrors $first at the first snapshot: the flood began too early"
delta=$((second - first))
drops=$(jq "[.sockets[] | .drops // 0] | add" "$TMP/report.json")
echo "sent $(cat "$TMP/sent"), per-socket drops sum $drops, RcvbufErrors delta $delta"
[ "$delta" -gt 1000 ] || fail "the flood produced only $delta RcvbufErrors"
[ "$drops" = "$delta" ] || fail "per-socket drops $drops != RcvbufErrors delta $delta"

# The recording (with the `sockets` source) replays to the same report.
grep -qx '@source sockets' "$TMP/rec" || fail "no sockets source in the recording"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/report.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay of the recording differs from the live report"
pass "reuseport-imbalance; per-socket drops $drops = RcvbufErrors delta $delta; replay equal"
