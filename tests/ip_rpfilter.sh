#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Reverse-path filtering (namespaces this test creates): the receiver's
# route back to the sender leaves by another veth, rp_filter=1 drops every
# datagram at IP. Verdict ip, finding rp-filter, and the ip stage's lost
# rate is TcpExt IPReversePathFilter's rate within 2 %; the recording
# replays to the same report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
S=droptop-rps-$$
R=droptop-rpr-$$
send=
trap 'kill $send 2>/dev/null; wait 2>/dev/null; ip netns del "$S" 2>/dev/null; ip netns del "$R" 2>/dev/null; rm -rf "$TMP"' EXIT
netns_pair "$S" "$R"
# Two links: datagrams come in on r1, the route back leaves by r2.
veth_link "$S" s1 10.97.1.1/24 "$R" r1 10.97.1.2/24
veth_link "$S" s2 10.97.2.1/24 "$R" r2 10.97.2.2/24
ip -n "$R" route add 10.97.1.1/32 via 10.97.2.1 dev r2 || fail "asymmetric route"
ip netns exec "$R" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.r1.rp_filter=1 ||
	fail "setting rp_filter in $R"
# rp_filter also stops the ARP reply: the neighbour is set by hand.
mac=$(ip -n "$R" -j link show r1 | jq -r '.[0].address')
ip -n "$S" neigh replace 10.97.1.2 lladdr "$mac" dev s1 nud permanent || fail "static neighbour"

ip netns exec "$S" "$DROPTOP_SEND" -r 10000 -d 5 10.97.1.2:5000 >"$TMP/send" 2>&1 &
send=$!
sleep 0.5
"$DROPTOP" --netns "$R" --report -d 2 --format json --record "$TMP/rec" >"$TMP/r.json" ||
	fail "droptop exited $?"
stage=$(jq -r '.verdict.stage' "$TMP/r.json")
[ "$stage" = ip ] || fail "verdict stage is '$stage', expected ip: $(jq -c .verdict "$TMP/r.json")"
jq -e '.findings | map(.id) | index("rp-filter") != null' "$TMP/r.json" >/dev/null ||
	fail "no finding rp-filter: $(jq -c .findings "$TMP/r.json")"
jq -e '.findings[] | select(.id == "rp-filter") | .detail | test("all = 1, r1 = 1")' \
	"$TMP/r.json" >/dev/null || fail "rp-filter does not show both values"
lost=$(jq '.stages[] | select(.stage == "ip") | .lost_pps' "$TMP/r.json")
rpf=$(jq '.stages[] | select(.stage == "ip") | .counters.TcpExtIPReversePathFilter' "$TMP/r.json")
awk -v n="$rpf" 'BEGIN { exit !(n > 2000) }' || fail "IPReversePathFilter $rpf/s, expected most of 10000/s"
within_pct "$lost" "$rpf" 2 || fail "ip lost $lost/s, IPReversePathFilter $rpf/s"
total=$(jq '.total_lost_pps' "$TMP/r.json")
within_pct "$total" "$rpf" 2 || fail "total lost $total/s, IPReversePathFilter $rpf/s"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/r.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
pass "rp_filter: verdict ip, rp-filter, lost $lost/s = IPReversePathFilter $rpf/s"
