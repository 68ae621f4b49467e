#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on loopback: a UDP socket with a small SO_RCVBUF that is never read,
# flooded by a bounded sender. The report must blame the socket stage, and
# its lost figure must match /proc/net/snmp's RcvbufErrors delta within 2 %.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
live_lock
[ -r /proc/net/snmp ] || skip "no /proc/net/snmp"

# RcvbufErrors of a /proc/net/snmp text on stdin (the Udp header names
# the columns).
rcvbuf_errors() {
	awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
	     $1 == "Udp:" && h { print $col["RcvbufErrors"]; exit }'
}

# The /proc/net/snmp text of snapshot N (1 or 2) of a recording.
recorded_snmp() {
	awk -v n="$2" '/^@snapshot / { s++ } /^@source / { on = (s == n && $0 == "@source /proc/net/snmp"); next }
	     on { print }' "$1"
}

"$TEST_HELPERS/udpsink" 127.0.0.1 0 2048 30 >"$TMP/port" &
sink=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$TMP/port")
[ -n "$port" ] || fail "udpsink did not start"

# 60000 pkt/s for at most 12 s: bounded in packets and in time.
"$TEST_HELPERS/udpflood" 127.0.0.1 "$port" 720000 60000 12 >"$TMP/sent" &
flood=$!
trap 'kill $sink $flood 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 1

before=$(rcvbuf_errors </proc/net/snmp)
"$DROPTOP" --report -d 3 --format json --record "$TMP/rec" >"$TMP/report.json"
rc=$?
after=$(rcvbuf_errors </proc/net/snmp)
[ $rc = 0 ] || fail "droptop exited $rc"
jq -e . "$TMP/report.json" >/dev/null || fail "report is not valid JSON"

stage=$(jq -r '.verdict.stage' "$TMP/report.json")
[ "$stage" = socket ] || fail "verdict stage is '$stage', expected socket"
lost=$(jq '(.stages[] | select(.stage == "socket") | .lost_pps) * .interval_s' "$TMP/report.json")
# The kernel's text at droptop's two instants, as recorded, parsed here
# independently; it must lie within what was read around the run.
first=$(recorded_snmp "$TMP/rec" 1 | rcvbuf_errors)
second=$(recorded_snmp "$TMP/rec" 2 | rcvbuf_errors)
[ "$before" -le "$first" ] && [ "$first" -le "$second" ] && [ "$second" -le "$after" ] ||
	fail "recorded RcvbufErrors $first..$second not within $before..$after read around the run"
delta=$((second - first))
echo "socket lost x interval = $lost, RcvbufErrors delta = $delta (around the run: $((after - before)))"
[ "$delta" -gt 10000 ] || fail "the flood produced only $delta RcvbufErrors"
within_pct "$lost" "$delta" 2 || fail "socket loss $lost differs from RcvbufErrors delta $delta by more than 2 %"
jq -e --arg p "$port" '.findings[] | select(.id == "rcvbuf-overflow") | .detail | contains(":" + $p)' \
	"$TMP/report.json" >/dev/null || fail "finding rcvbuf-overflow does not name port $port"
pass "socket stage loss $lost matches RcvbufErrors delta $delta"
