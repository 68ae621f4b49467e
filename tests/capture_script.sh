#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/droptop-capture.sh writes a recording that droptop replays.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
script="$TESTS_DIR/../contrib/droptop-capture.sh"

sh "$script" -n 3 -d 0.3 -o "$TMP/rec" || fail "capture script exited $?"
[ "$(head -1 "$TMP/rec")" = "droptop-recording 1" ] || fail "bad header"
[ "$(grep -c '^@snapshot ' "$TMP/rec")" = 3 ] || fail "expected 3 snapshots"
[ "$(grep -c '^@end$' "$TMP/rec")" = 3 ] || fail "expected 3 @end"
grep -q '^@source /proc/net/snmp$' "$TMP/rec" || fail "no /proc/net/snmp source"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/report.json" || fail "replay exited $?"
# The interval is the monotonic span of the first and last snapshots (two
# sleeps of 0.3 s at least; a loaded machine takes longer between them).
span=$(awk '/^@snapshot / { if (!n++) first = $3; last = $3 } END { printf "%.6f", last - first }' "$TMP/rec")
jq -e --argjson span "$span" '.interval_s >= 0.6 and (.interval_s - $span | fabs) < 0.011' \
	"$TMP/report.json" >/dev/null ||
	fail "interval_s $(jq .interval_s "$TMP/report.json") is not the captured span $span"
jq -e '[.stages[].stage] == ["nic", "softirq", "ip", "netfilter", "udp", "socket", "app"]' "$TMP/report.json" >/dev/null || fail "not the seven stages nic to app: $(jq -c '[.stages[].stage]' "$TMP/report.json")"

sh "$script" -i no-such-dev0 -o "$TMP/x" 2>"$TMP/err" && fail "unknown device accepted"
grep -q 'no-such-dev0: no such network device' "$TMP/err" || fail "no message for unknown device"
pass "capture script output replays"
