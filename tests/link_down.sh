#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A link that goes down is not healthy: two network namespaces joined by a
# veth pair, droptop --netns B receiving on 192.0.2.2 while droptop-send
# floods it from A at 10k pkt/s. (1) B's end is set down during the report:
# finding link-down names it, the verdict says so, JSON and Prometheus give
# its state, and the recording replays to the same. (2) A's end is down
# before the report: B's end is up without carrier, link-down
# names it with the cable/peer hint; the sysfs fallback (no rtnetlink)
# sees it too.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
need_root "network namespaces"
need_cmd ip
need_cmd jq

A=droptop-lda-$$
B=droptop-ldb-$$
VA=drla$$
VB=drlb$$
tx=
cleanup() {
	[ -z "$tx" ] || kill "$tx" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
netns_pair "$A" "$B"
veth_link "$A" "$VA" 192.0.2.1/24 "$B" "$VB" 192.0.2.2/24

# (1) Down in the middle of a flood.
"$DROPTOP" --netns "$B" -i "$VB" --receive 192.0.2.2:7000 --report -d 3 \
	--format json --record "$TMP/down.rec" >"$TMP/down.json" 2>"$TMP/down.err" &
rx=$!
sleep 0.5
ip netns exec "$A" "$DROPTOP_SEND" --rate 10000 --duration 3 192.0.2.2:7000 \
	>/dev/null 2>&1 &
tx=$!
sleep 1
ip -n "$B" link set "$VB" down
wait $rx || fail "droptop exited $?: $(cat "$TMP/down.err")"
wait $tx 2>/dev/null
tx=
jq -e --arg d "$VB" '.findings[] | select(.id == "link-down") |
	.detail | startswith($d + " is down (set down, operstate down") and
	endswith("ip link set " + $d + " up")' "$TMP/down.json" >/dev/null ||
	fail "no link-down finding for $VB: $(jq -c '.findings, .verdict' "$TMP/down.json")"
jq -e --arg d "$VB" '.devices[] | select(.name == $d) |
	.operstate == "down" and .link_up == false and .admin_up == false' \
	"$TMP/down.json" >/dev/null ||
	fail "device state: $(jq -c .devices "$TMP/down.json")"
got=$(jq -r '.receiver.threads[0].pps' "$TMP/down.json")
echo "down during the flood: receiver at $got pkt/s over the interval"
"$DROPTOP" --replay "$TMP/down.rec" --format json >"$TMP/replay.json" ||
	fail "replay exited $?"
[ "$(jq -c '[.findings[] | select(.id == "link-down")], .devices' "$TMP/replay.json")" = \
  "$(jq -c '[.findings[] | select(.id == "link-down")], .devices' "$TMP/down.json")" ] ||
	fail "the replay differs: $(jq -c .findings "$TMP/replay.json")"
"$DROPTOP" --replay "$TMP/down.rec" --format prometheus >"$TMP/down.prom" || fail "replay prometheus"
# The replay names the recorded namespace in every sample's labels.
grep -qx "droptop_device_link_up{netns=\"$B\",device=\"$VB\"} 0" "$TMP/down.prom" &&
	grep -qx "droptop_device_operstate{netns=\"$B\",device=\"$VB\",state=\"down\"} 1" "$TMP/down.prom" ||
	fail "prometheus: $(grep "$VB" "$TMP/down.prom")"

# The kernel updates operstate a little after the change (linkwatch).
wait_state() { # STATE
	i=0
	until ip -n "$B" link show "$VB" | grep -q "state $1 "; do
		[ $i -lt 50 ] || fail "$VB never reached state $1: $(ip -n "$B" link show "$VB")"
		sleep 0.1
		i=$((i + 1))
	done
}

# (2) The peer down before the report: B's end is up without carrier.
ip -n "$B" link set "$VB" up
ip -n "$A" link set "$VA" down
i=0
until ip -n "$B" link show "$VB" | grep -q "NO-CARRIER.*state DOWN "; do
	[ $i -lt 50 ] || fail "$VB: still $(ip -n "$B" link show "$VB")"
	sleep 0.1
	i=$((i + 1))
done
for no_nl in "" link; do
	DROPTOP_NO_NETLINK=$no_nl "$DROPTOP" --netns "$B" -i "$VB" --report -d 0.5 \
		>"$TMP/peer.txt" 2>&1 || fail "droptop (DROPTOP_NO_NETLINK=$no_nl) exited $?"
	grep -q "^verdict: none .*; but link down: $VB\$" "$TMP/peer.txt" &&
	grep -q "\[link-down\] $VB is down (operstate down, no carrier): .*check the cable and the peer" \
		"$TMP/peer.txt" || fail "peer down (DROPTOP_NO_NETLINK=$no_nl): $(cat "$TMP/peer.txt")"
	grep -q "^  $VB  *veth  *down " "$TMP/peer.txt" || fail "no link column: $(cat "$TMP/peer.txt")"
done

# Both up: no finding.
ip -n "$A" link set "$VA" up
wait_state UP
"$DROPTOP" --netns "$B" -i "$VB" --report -d 0.3 --format json >"$TMP/up.json" || fail "droptop exited $?"
jq -e --arg d "$VB" '(.findings | map(select(.id == "link-down")) | length == 0) and
	(.devices[] | select(.name == $d) | .link_up == true)' "$TMP/up.json" >/dev/null ||
	fail "both ends up: $(jq -c '.findings, .devices' "$TMP/up.json")"
pass "link-down names $VB set down during a flood and with its peer down"
