#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live cases of issue 15, in network namespaces this test creates and
# deletes, with bounded traffic (5000 pkt/s for 3 s each):
# - datagrams to a closed port on loopback: ip in is twice udp in, and a
#   note explains it by the host's own ICMP destination-unreachables;
# - a veth queue receiving is never hidden as idle (veth has no per-queue
#   packet counter), and no such note where the replies leave the host;
# - ethtool -L during the interval: the counters that came are counted in
#   a note, not listed as rows of "?".
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
A=droptop-hint-a-$$
B=droptop-hint-b-$$
ip netns add "$A" || skip "cannot create a network namespace"
trap 'ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null; rm -rf "$TMP"' EXIT
ip netns add "$B" || fail "second namespace"
ip -n "$A" link set lo up
ip -n "$B" link set lo up

# --- loopback, closed port: the ICMP note --------------------------------
ip netns exec "$A" "$DROPTOP_SEND" -r 5000 -d 3 127.0.0.1:9 >/dev/null 2>&1 &
send=$!
sleep 0.7
"$DROPTOP" --netns "$A" --report -d 1 --format json >"$TMP/lo.json" || fail "droptop exited $?"
wait $send
jq -e '[.notes[] | select(test("^ip in exceeds udp in by [0-9]+ pkt/s: this host sent [0-9]+ ICMP destination unreachable/s \\(IcmpOutDestUnreachs\\)"))] | length == 1' \
	"$TMP/lo.json" >/dev/null || fail "no ICMP note on loopback: $(jq -c .notes "$TMP/lo.json")"
pass "closed port on loopback: the ICMP note explains ip in > udp in"

# --- veth: the receiving queue is shown ----------------------------------
ip link add va netns "$A" type veth peer name vb netns "$B" numrxqueues 8 numtxqueues 8 ||
	skip "no veth support"
ip -n "$A" addr add 10.213.0.1/30 dev va
ip -n "$B" addr add 10.213.0.2/30 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
has_ethtool=0
if command -v ethtool >/dev/null 2>&1 && ip netns exec "$B" ethtool -L vb rx 1 tx 1 2>/dev/null; then
	has_ethtool=1
fi
ip netns exec "$A" "$DROPTOP_SEND" -r 5000 -d 3 10.213.0.2:9 >/dev/null 2>&1 &
send=$!
sleep 0.7
"$DROPTOP" --netns "$B" -i vb --report -d 1 --format json >"$TMP/veth.json" || fail "droptop exited $?"
jq -e '.devices[0].rx_pps > 1000' "$TMP/veth.json" >/dev/null ||
	fail "vb receives too little: $(jq -c .devices "$TMP/veth.json")"
jq -e '[.queues[] | select(.dev == "vb" and .idle == false)] | length >= 1' "$TMP/veth.json" >/dev/null ||
	fail "vb's queue hidden as idle: $(jq -c .queues "$TMP/veth.json")"
jq -e '[.notes[] | select(test("IcmpOutDestUnreachs"))] | length == 0' "$TMP/veth.json" >/dev/null ||
	fail "ICMP note where the replies leave: $(jq -c .notes "$TMP/veth.json")"
pass "a veth queue with traffic is not idle"

# --- ethtool -L 1 -> 8 during the interval --------------------------------
if [ $has_ethtool = 1 ]; then
	(sleep 0.5; ip netns exec "$B" ethtool -L vb rx 8 tx 8) &
	"$DROPTOP" --netns "$B" -i vb --report -d 1.5 --all --format json >"$TMP/L.json" || fail "droptop exited $?"
	wait
	jq -e '[.notes[] | select(test("^vb changed its driver counters during the interval .*: [1-9][0-9]* came, 0 went"))] | length == 1' \
		"$TMP/L.json" >/dev/null || fail "no counter layout note: $(jq -c .notes "$TMP/L.json")"
	jq -e '[.devices[0].other | to_entries[] | select(.value == null)] | length == 0' "$TMP/L.json" >/dev/null ||
		fail "other counters without a rate: $(jq -c .devices[0] "$TMP/L.json")"
	pass "ethtool -L during the interval: one note, no rows of ?"
fi
wait
exit 0
