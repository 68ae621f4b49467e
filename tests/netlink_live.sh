#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on this machine's NIC (eth0, or $DROPTOP_NL_DEV): netdev qstats
# rx-packets of the device and the sum over its RX queues match the sysfs
# (then rtnetlink) rx_packets read in the same snapshot within 1 %; the
# report takes its per-queue figures from qstats and says so; and the
# recording of the run, holding every netlink source, replays to the same
# report. No traffic is sent: the counters are compared as they stand.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
dev=${DROPTOP_NL_DEV:-eth0}
[ -e "/sys/class/net/$dev" ] || skip "no network device $dev"
live_lock

# Figures of the last snapshot of a recording: "QSTATS_DEV QSTATS_QUEUES STATS"
# where STATS is rx_packets of `sysfs DEV` or `link DEV`.
last_figures() {
	awk -v dev="$dev" '
	/^@snapshot / { qd = ""; qq = 0; st = ""; src = ""; next }
	/^@source / { src = substr($0, 9); next }
	/^@/ { src = ""; next }
	src == "qstats " dev {
		for (i = 2; i < NF; i++)
			if ($i == "rx-packets") {
				if ($1 == "dev") qd = $(i + 1)
				else if ($1 == "rx") qq += $(i + 1)
			}
	}
	(src == "sysfs " dev || src == "link " dev) && $1 == "rx_packets" { st = $2 }
	END { print qd, qq, st }' "$1"
}

# 1. Statistics from sysfs (rtnetlink off) beside qstats, in one snapshot.
DROPTOP_NO_NETLINK=link "$DROPTOP" --report -d 0.5 -i "$dev" --format json \
	--record "$TMP/rec1" >"$TMP/r1.json" || fail "droptop exited $?"
grep -q "^@source qstats $dev\$" "$TMP/rec1" ||
	skip "the kernel or the driver of $dev gives no netdev qstats (Linux 6.9+ and driver support needed)"
grep -q "^@source sysfs $dev\$" "$TMP/rec1" || fail "no sysfs source with DROPTOP_NO_NETLINK=link"
set -- $(last_figures "$TMP/rec1")
[ $# = 3 ] || fail "figures missing from the recording: $*"
echo "qstats dev rx-packets $1, sum of RX queues $2, sysfs rx_packets $3"
within_pct "$1" "$3" 1 || fail "qstats rx-packets $1 vs sysfs rx_packets $3: more than 1 % apart"
within_pct "$2" "$3" 1 || fail "qstats queue sum $2 vs sysfs rx_packets $3: more than 1 % apart"
jq -e --arg d "$dev" '[.queues[] | select(.dev == $d)] | length > 0 and all(.source == "qstats")' \
	"$TMP/r1.json" >/dev/null || fail "queue rows of $dev do not come from qstats"
jq -e --arg d "$dev" '.devices[] | select(.name == $d) | .stats_source == "sysfs"' \
	"$TMP/r1.json" >/dev/null || fail "device statistics not from sysfs"

# 2. Everything from netlink; the queue rates add up to the device rate.
"$DROPTOP" --report -d 1 -i "$dev" --format json --record "$TMP/rec2" \
	>"$TMP/r2.json" || fail "droptop exited $?"
for s in qstats napi ethtool-nl link; do
	grep -q "^@source $s $dev\$" "$TMP/rec2" || fail "no '$s $dev' source in the recording"
done
grep -q "^@source sysfs $dev\$" "$TMP/rec2" && fail "sysfs read although rtnetlink worked"
set -- $(last_figures "$TMP/rec2")
echo "qstats dev rx-packets $1, sum of RX queues $2, rtnetlink rx_packets $3"
within_pct "$1" "$3" 1 || fail "qstats rx-packets $1 vs rtnetlink rx_packets $3: more than 1 % apart"
jq -e --arg d "$dev" '.devices[] | select(.name == $d) |
	.stats_source == "link" and .ring_rx != null and .ring_rx_max != null' \
	"$TMP/r2.json" >/dev/null || fail "device row lacks link statistics or ring sizes"
jq -e --arg d "$dev" '.interval_s as $t |
	([.queues[] | select(.dev == $d) | .rx_pps] | add) as $q |
	(.devices[] | select(.name == $d) | .rx_pps) as $r |
	(($q - $r) * $t | fabs) <= ([2, $r * $t / 100] | max)' \
	"$TMP/r2.json" >/dev/null || fail "per-queue qstats rates do not add up to the device rate"

# 3. The recording replays to the same report.
"$DROPTOP" --replay "$TMP/rec2" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/r2.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay of the recording differs from the live report"
pass "qstats $1 = rx_packets $3 on $dev; queue rows from qstats; replay equal"
