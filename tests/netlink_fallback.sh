#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# DROPTOP_NO_NETLINK simulates a kernel without the netdev, ethtool and
# rtnetlink families: the fallbacks (sysfs statistics, the ethtool ioctl,
# per-queue counters of ethtool -S) are used and named once in the notes,
# and the recording replays to the same report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
dev=${DROPTOP_NL_DEV:-eth0}
[ -e "/sys/class/net/$dev" ] || skip "no network device $dev"

DROPTOP_NO_NETLINK=netdev,ethtool,link "$DROPTOP" --report -d 0.3 -i "$dev" \
	--format json --record "$TMP/rec" >"$TMP/r.json" || fail "droptop exited $?"
for s in qstats napi ethtool-nl link; do
	grep -q "^@source $s " "$TMP/rec" && fail "source '$s' read although switched off"
done
grep -q "^@source sysfs $dev\$" "$TMP/rec" || fail "no sysfs fallback"
if grep -q "^@source ethtool -i $dev\$" "$TMP/rec"; then
	# The ioctl answers for this device: channels come from it again.
	ethtool_ok=1
	grep -q "^@source ethtool -l $dev\$" "$TMP/rec" || fail "no ethtool -l fallback"
fi
for n in "netdev netlink disabled by DROPTOP_NO_NETLINK: per-queue figures from ethtool -S, IRQs by name" \
	 "ethtool netlink disabled by DROPTOP_NO_NETLINK: ethtool ioctl used instead" \
	 "rtnetlink disabled by DROPTOP_NO_NETLINK: device counters from sysfs"; do
	c=$(jq --arg n "$n" '[.notes[] | select(. == $n)] | length' "$TMP/r.json")
	[ "$c" = 1 ] || fail "note '$n' appears $c times, expected once"
done
jq -e --arg d "$dev" '.devices[] | select(.name == $d) |
	.stats_source == "sysfs"' "$TMP/r.json" >/dev/null ||
	fail "device row not from sysfs"
# Ring sizes from the ETHTOOL_GRINGPARAM ioctl, as ethtool -g shows them.
ring=$(jq --arg d "$dev" '.devices[] | select(.name == $d) | .ring_rx' "$TMP/r.json")
if grep -q "^@source ethtool -g $dev\$" "$TMP/rec"; then
	if command -v ethtool >/dev/null; then
		want=$(ethtool -g "$dev" 2>/dev/null | awk '/^Current hardware/ { c = 1 }
			c && $1 == "RX:" { print $2; exit }')
		[ "$ring" = "$want" ] || fail "ring_rx $ring, ethtool -g says $want"
	fi
	[ "$ring" != null ] || fail "ethtool -g recorded but ring_rx unknown"
else
	[ "$ring" = null ] || fail "ring_rx $ring without ethtool -g"
fi
jq -e 'all(.queues[]; .source != "qstats" and .napi == null)' "$TMP/r.json" >/dev/null ||
	fail "a queue row claims netlink figures"

"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/r.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"

# A single family off: only its fallback is used.
DROPTOP_NO_NETLINK=ethtool "$DROPTOP" --report -d 0.2 -i "$dev" --record "$TMP/rec2" \
	>/dev/null || fail "droptop exited $?"
grep -q "^@source ethtool-nl " "$TMP/rec2" && fail "ethtool-nl read although switched off"
grep -q "^@source link $dev\$" "$TMP/rec2" || fail "rtnetlink not used with only ethtool off"
pass "fallbacks used and named${ethtool_ok:+, ethtool ioctl channels}; replay equal"
