#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live: on a veth pair in a network namespace of its own, the recording's
# `ethtool -S` and `ethtool -i` blocks hold what ethtool itself prints.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

need_root "creates a network namespace and a veth pair"
need_cmd ip
need_cmd ethtool

NS=dt-ethtool-$$
VA=dtva$$
VB=dtvb$$
ip netns add "$NS" 2>"$TMP/err" ||
	skip "cannot create a netns: $(cat "$TMP/err")"
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip -n "$NS" link add "$VA" type veth peer name "$VB" 2>"$TMP/err" ||
	skip "cannot create a veth pair: $(cat "$TMP/err")"
ip -n "$NS" link set "$VA" up || fail "link set $VA up"
ip -n "$NS" link set "$VB" up || fail "link set $VB up"

ip netns exec "$NS" "$DROPTOP" --report -d 0.2 -i "$VA" \
	--record "$TMP/rec" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 0 ] || fail "droptop exited $rc: $(cat "$TMP/err")"
[ "$(head -n 1 "$TMP/rec")" = "droptop-recording 1" ] ||
	fail "recording header: $(head -n 1 "$TMP/rec")"

# The raw text of one source in the first snapshot of the recording.
source_block() {
	awk -v src="@source $1" '
		$0 == src { on = 1; next }
		on && /^@/ && !/^@@/ { exit }
		on { print }' "$TMP/rec"
}

# Counter names of `ethtool -S` text, one per line, in order.
counter_names() {
	sed -n 's/^ *\(.*\): [0-9][0-9]*$/\1/p'
}

source_block "ethtool -S $VA" >"$TMP/rec-S"
[ -s "$TMP/rec-S" ] || fail "no '@source ethtool -S $VA' in the recording"
[ "$(head -n 1 "$TMP/rec-S")" = "NIC statistics:" ] ||
	fail "ethtool -S block does not start with 'NIC statistics:'"
ip netns exec "$NS" ethtool -S "$VA" >"$TMP/tool-S" ||
	fail "ethtool -S $VA failed"
counter_names <"$TMP/rec-S" >"$TMP/rec-names"
counter_names <"$TMP/tool-S" >"$TMP/tool-names"
n_rec=$(wc -l <"$TMP/rec-names")
n_tool=$(wc -l <"$TMP/tool-names")
[ "$n_tool" -gt 0 ] || fail "ethtool -S $VA printed no counters"
[ "$n_rec" = "$n_tool" ] ||
	fail "recording has $n_rec counters, ethtool -S has $n_tool"
diff "$TMP/tool-names" "$TMP/rec-names" >"$TMP/diff" ||
	fail "counter names differ: $(cat "$TMP/diff")"
# Byte for byte the layout ethtool prints; only the values may move.
sed 's/: [0-9][0-9]*$/: N/' "$TMP/rec-S" >"$TMP/rec-S.masked"
sed 's/: [0-9][0-9]*$/: N/' "$TMP/tool-S" >"$TMP/tool-S.masked"
diff "$TMP/tool-S.masked" "$TMP/rec-S.masked" >"$TMP/diff" ||
	fail "ethtool -S layout differs: $(cat "$TMP/diff")"

source_block "ethtool -i $VA" >"$TMP/rec-i"
grep -qx 'driver: veth' "$TMP/rec-i" ||
	fail "ethtool -i block does not say 'driver: veth': $(cat "$TMP/rec-i")"
ip netns exec "$NS" ethtool -i "$VA" >"$TMP/tool-i" || fail "ethtool -i failed"
diff "$TMP/tool-i" "$TMP/rec-i" >"$TMP/diff" ||
	fail "ethtool -i differs: $(cat "$TMP/diff")"

pass "recording of $VA: $n_rec ethtool -S counters, driver veth"
