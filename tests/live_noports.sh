#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on loopback: datagrams to a port nobody listens on must give the
# verdict stage udp and the finding no-listener.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
live_lock

# A port that was free a moment ago and now has no listener.
port=$("$TEST_HELPERS/udpsink" 127.0.0.1 0 0 0) || fail "udpsink failed"
"$TEST_HELPERS/udpflood" 127.0.0.1 "$port" 100000 20000 8 >"$TMP/sent" &
flood=$!
trap 'kill $flood 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.5

"$DROPTOP" --report -d 1 --format json --record "$TMP/rec" >"$TMP/report.json" || fail "droptop exited $?"
stage=$(jq -r '.verdict.stage' "$TMP/report.json")
[ "$stage" = udp ] || fail "verdict stage is '$stage', expected udp"
jq -e '.findings | map(.id) | index("no-listener") != null' "$TMP/report.json" >/dev/null ||
	fail "no finding no-listener"
noports=$(jq '.stages[] | select(.stage == "udp") | .counters.UdpNoPorts' "$TMP/report.json")
awk -v n="$noports" 'BEGIN { exit !(n > 5000) }' || fail "NoPorts rate $noports too low for a 20000 pkt/s flood"
# The recording of that run replays to the same report.
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/report.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay of the recording differs from the live report"
pass "udp stage, no-listener, NoPorts $noports/s"
