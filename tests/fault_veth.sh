#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A watched veth deleted while droptop samples (in a namespace this test
# creates): the report still completes (exit 0), names the vanished device
# in its notes, and the device that stayed is reported from both
# snapshots; the recording then replays to the same report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates a network namespace and veth devices"
need_cmd ip
need_cmd jq
NS=droptop-veth-$$
ip netns add "$NS" || skip "cannot create a network namespace"
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip -n "$NS" link add va type veth peer name vb || skip "no veth support"
ip -n "$NS" link add vc type veth peer name vd || fail "second veth pair"
for d in lo va vb vc vd; do ip -n "$NS" link set "$d" up; done

"$DROPTOP" --netns "$NS" --report -d 2 -i va -i vc --format json \
	--record "$TMP/rec" >"$TMP/r.json" 2>"$TMP/err" &
pid=$!
sleep 0.7
ip -n "$NS" link del va || fail "deleting va"
wait $pid
rc=$?
[ $rc = 0 ] || fail "droptop exited $rc when va vanished: $(cat "$TMP/err")"
jq -e '[.notes[] | select(. == "device va vanished")] | length == 1' "$TMP/r.json" >/dev/null ||
	fail "no 'device va vanished' note: $(jq -c .notes "$TMP/r.json")"
jq -e '[.devices[] | .name] == ["vc"]' "$TMP/r.json" >/dev/null ||
	fail "devices must be vc only: $(jq -c '[.devices[].name]' "$TMP/r.json")"
jq -e '.devices[0] | .stats_source != null' "$TMP/r.json" >/dev/null ||
	fail "vc has no statistics source: $(jq -c '.devices[0]' "$TMP/r.json")"
[ "$(grep -c '^@source sysfs vc$\|^@source link vc$' "$TMP/rec")" -ge 2 ] ||
	fail "vc not read in both snapshots"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/r.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
pass "a veth deleted while watched is noted as vanished; the rest is reported"
