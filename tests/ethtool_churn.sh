#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live: a veth's statistics count goes from 10 to 9,217 and back while
# collectors refresh its `ethtool -S` many times. Kernels write as many
# entries as the device has at that instant (before commit 7b07be1ff1cb),
# or all of them for a count of 0 (since); droptop's heap buffers aborted
# here ("malloc(): invalid size"). No crash; every text recorded is one
# whole layout.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

need_root "creates a network namespace and a veth pair"
need_cmd ip
need_cmd ethtool
need_cmd timeout
CHURN=${TEST_HELPERS:?}/ethtool_churn
[ -x "$CHURN" ] || skip "no $CHURN (make check builds it)"

NS=dt-churn-$$
VA=dtca$$
VB=dtcb$$
FLIPS=200
ip netns add "$NS" 2>"$TMP/err" ||
	skip "cannot create a netns: $(cat "$TMP/err")"
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip -n "$NS" link add "$VA" numrxqueues 1024 numtxqueues 1024 type veth \
	peer name "$VB" numrxqueues 1024 numtxqueues 1024 2>"$TMP/err" ||
	skip "cannot create a veth pair with 1024 queues: $(cat "$TMP/err")"

channels() {
	ip netns exec "$NS" ethtool -L "$VA" rx "$1" tx "$1" 2>"$TMP/err"
}
stats_count() {
	ip netns exec "$NS" ethtool -S "$VA" | grep -c ': '
}
channels 1 || skip "ethtool -L on veth refused: $(cat "$TMP/err")"
few=$(stats_count)
channels 1024 || fail "ethtool -L $VA rx 1024 tx 1024: $(cat "$TMP/err")"
many=$(stats_count)
[ "$many" -gt "$few" ] || fail "statistics count $few at 1 channel, $many at 1024"

# FLIPS changes, then the collector stops (at most 10^6 refreshes, 120 s).
(
	i=0
	while [ $i -lt $FLIPS ]; do
		channels $((i % 2 ? 1024 : 1)) || break
		i=$((i + 1))
	done
	echo $i >"$TMP/flips"
	touch "$TMP/stop"
) &
flipper=$!
timeout 120 ip netns exec "$NS" "$CHURN" "$VA" 1000000 "$TMP/stop" \
	>"$TMP/out" 2>"$TMP/cerr"
rc=$?
touch "$TMP/stop"
wait $flipper
[ $rc = 0 ] || fail "collector exited $rc: $(cat "$TMP/cerr")"
flips=$(cat "$TMP/flips")
[ "$flips" = $FLIPS ] || fail "ethtool -L stopped after $flips of $FLIPS changes"
recorded=$(awk '$1 == "refreshes" { print $4 }' "$TMP/out")
[ "${recorded:-0}" -gt 0 ] || fail "no refresh recorded ethtool -S: $(cat "$TMP/out")"
awk -v few="$few" -v many="$many" '$1 == "count" && $2 != few && $2 != many {
	bad = 1; print "count " $2 " is neither " few " nor " many }
	END { exit bad }' "$TMP/out" >"$TMP/bad" || fail "$(cat "$TMP/bad")"
pass "$(head -n 1 "$TMP/out"), $flips channel changes ($few <-> $many statistics)"
