#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak: the dashboard collects a network namespace of its own every 0.1 s
# (--record) for 30 s while veths, UDP sockets and network
# namespaces come and go, and a veth's channel count changes (ethtool -L).
# Bounds: droptop's RSS grows less than 2 MiB between 10 s and the end,
# its open descriptors are the same at both times, it is still running and
# quits on 'q' without a sanitizer report; every deleted device leaves
# the recording once and its interval's diagnosis notes it vanished
# exactly once, and no device that stayed is said to have vanished.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "network namespaces and veths"
need_cmd ip
need_cmd tmux
need_cmd ethtool
need_cmd jq

SOAK_SECONDS=${SOAK_SECONDS:-30}
# ASan holds freed memory back (its quarantine, 256 MB) to catch a use
# after free: RSS then grows by design. A small one keeps the bound
# meaningful in a sanitizer build.
if command -v ldd >/dev/null && ldd "$DROPTOP" 2>/dev/null | grep -q 'libasan'; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
	export ASAN_OPTIONS
fi
NS=dtsoak$$
TM() { tmux -S "$TMP/tmux" -f /dev/null "$@"; }
peers=
sinks=
cleanup() {
	TM kill-server 2>/dev/null
	for p in $sinks; do kill "$p" 2>/dev/null; done
	for n in $peers; do ip netns del "$n" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$NS" 2>/dev/null || skip "cannot create a network namespace"
ip -n "$NS" link set lo up
ip -n "$NS" addr add 127.0.0.1/8 dev lo 2>/dev/null
# The veth whose channel count changes, and that stays.
ip -n "$NS" link add vfix numtxqueues 4 numrxqueues 4 type veth \
	peer name vfixp numtxqueues 4 numrxqueues 4 2>/dev/null ||
	skip "cannot create a veth pair with 4 queues"
ip -n "$NS" link set vfix up
ip -n "$NS" link set vfixp up
ip netns exec "$NS" ethtool -L vfix rx 2 tx 2 2>/dev/null ||
	skip "ethtool -L does not change a veth's channels here"

TM new-session -d -x 160 -y 50 \
	"exec $DROPTOP --netns $NS -d 0.1 --record $TMP/soak.rec 2>$TMP/err"
pid=$(TM list-panes -F '#{pane_pid}')
[ -n "$pid" ] || fail "no dashboard pane"
# The churn begins once the first snapshot is recorded.
i=0
while ! grep -q '^@snapshot ' "$TMP/soak.rec" 2>/dev/null && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q '^@snapshot ' "$TMP/soak.rec" || fail "no snapshot recorded in 20 s: $(cat "$TMP/err")"

rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }
alive() { [ -d "/proc/$pid" ] || fail "droptop died: $(cat "$TMP/err")"; }

# The churn. Each round: a veth pair in the namespace that lives 0.3 s;
# every third round a namespace whose veth's end in $NS goes with it;
# a UDP socket for 1 s; vfix's channels 1..4.
: >"$TMP/deleted"
start=$(date +%s)
round=0
rss10=
# The first measure at 10 s (earlier in a shortened run, SOAK_SECONDS).
early=$((SOAK_SECONDS >= 20 ? 10 : SOAK_SECONDS / 3))
while [ $(($(date +%s) - start)) -lt "$SOAK_SECONDS" ]; do
	round=$((round + 1))
	ip -n "$NS" link add "vc$round" type veth peer name "vcp$round"
	ip -n "$NS" link set "vc$round" up
	if [ $((round % 3)) = 0 ]; then
		ip netns add "$NS-p$round"
		peers="$peers $NS-p$round"
		ip -n "$NS" link add "vx$round" type veth peer name "vy$round" netns "$NS-p$round"
		ip -n "$NS" link set "vx$round" up
	fi
	ip netns exec "$NS" "$TEST_HELPERS/udpsink" 127.0.0.1 0 65536 1 >/dev/null &
	sinks="$sinks $!"
	ip netns exec "$NS" ethtool -L vfix rx $((round % 4 + 1)) tx $((round % 4 + 1))
	sleep 0.3
	ip -n "$NS" link del "vc$round"
	echo "vc$round" >>"$TMP/deleted"
	echo "vcp$round" >>"$TMP/deleted"
	if [ $((round % 3)) = 0 ]; then
		ip netns del "$NS-p$round"
		echo "vx$round" >>"$TMP/deleted"
	fi
	sleep 0.3
	alive
	if [ -z "$rss10" ] && [ $(($(date +%s) - start)) -ge "$early" ]; then
		rss10=$(rss)
		fds10=$(fds)
	fi
done
sleep 1 # the last deletion into a snapshot
alive
rss_end=$(rss)
fds_end=$(fds)
wait $sinks 2>/dev/null
sinks=
TM send-keys q
i=0
while [ -d "/proc/$pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -d "/proc/$pid" ] && fail "droptop did not quit on q"
grep -E 'AddressSanitizer|LeakSanitizer|runtime error' "$TMP/err" &&
	fail "sanitizer report: $(cat "$TMP/err")"

growth=$((rss_end - rss10))
echo "$round rounds; RSS ${rss10} kB at $early s, ${rss_end} kB at the end (+$growth kB); fds $fds10 -> $fds_end"
[ "$growth" -lt 2048 ] || fail "RSS grew $growth kB (>= 2 MiB) between $early s and the end"
[ "$fds10" = "$fds_end" ] || fail "open descriptors $fds10 at $early s, $fds_end at the end"

# Per snapshot of the recording, its devices (sources "link DEV" from
# netlink, "sysfs-dev DEV" from sysfs).
awk '/^@snapshot / { n++ } /^@source (link|sysfs-dev) / { print n, $3 }' "$TMP/soak.rec" |
	sort -u -k1,1n -k2 >"$TMP/devs"
nsnap=$(grep -c '^@snapshot ' "$TMP/soak.rec")
[ "$nsnap" -ge $((SOAK_SECONDS * 3)) ] ||
	fail "only $nsnap snapshots in ${SOAK_SECONDS} s at -d 0.1"
# The snapshots where a device seen before is missing: each pair is
# replayed, and its diagnosis's notes kept.
awk '{ dev[$1] = dev[$1] " " $2 " " } END {
	for (i = 2; i in dev; i++) {
		n = split(dev[i - 1], prev, " ")
		for (j = 1; j <= n; j++)
			if (index(dev[i], " " prev[j] " ") == 0) { print i; break }
	} }' "$TMP/devs" | sort -un >"$TMP/gone_at"
: >"$TMP/notes"
while read -r k; do
	awk -v a=$((k - 1)) -v b="$k" 'NR == 1 { print; next } /^@snapshot / { n++ }
		n == a || n == b { print }' "$TMP/soak.rec" >"$TMP/pair.rec"
	"$DROPTOP" --replay "$TMP/pair.rec" --report --format json >"$TMP/pair.json" 2>/dev/null
	jq -r '.notes[]?' "$TMP/pair.json" >>"$TMP/notes" || fail "pair $k: no JSON report"
done <"$TMP/gone_at"
sed -n 's/^device \([^ ]*\) vanished$/\1/p' "$TMP/notes" | sort >"$TMP/noted"
sort "$TMP/deleted" >"$TMP/deleted.sorted"
dups=$(uniq -d "$TMP/noted" | tr '\n' ' ')
[ -z "$dups" ] || fail "vanished more than once: $dups"
missing=$(comm -23 "$TMP/deleted.sorted" "$TMP/noted" | tr '\n' ' ')
[ -z "$missing" ] || fail "deleted but never noted as vanished: $missing"
extra=$(comm -13 "$TMP/deleted.sorted" "$TMP/noted" | tr '\n' ' ')
[ -z "$extra" ] || fail "noted as vanished but never deleted: $extra"
pass "$round rounds, $nsnap snapshots: RSS +$growth kB, fds $fds_end, $(wc -l <"$TMP/noted") devices each noted vanished once"
