#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A firewall rule drops the UDP port (namespaces this test creates): an
# nft rule in the receiving namespace, on input, then on prerouting.
# Verdict netfilter, finding netfilter-drop, and the netfilter stage's lost
# rate is the ip remainder (IpInReceives - IpInDelivers, nothing else
# counted) within 2 %; with drop reasons, NETFILTER_DROP on the port is
# that loss within 2 % and netfilter-drop names the port; the recording
# replays to the same report. Then a
# listener and no rules: no loss, and none given to netfilter.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
need_cmd nft
S=droptop-nfs-$$
R=droptop-nfr-$$
send=
trap 'kill $send 2>/dev/null; wait 2>/dev/null; ip netns del "$S" 2>/dev/null; ip netns del "$R" 2>/dev/null; rm -rf "$TMP"' EXIT
netns_pair "$S" "$R"
veth_link "$S" s1 10.96.1.1/24 "$R" r1 10.96.1.2/24

# One run: flood for 5 s, report over 2 s; $1 names the case.
run() {
	ip netns exec "$S" "$DROPTOP_SEND" -r 10000 -d 5 10.96.1.2:5000 >"$TMP/send" 2>&1 &
	send=$!
	sleep 0.5
	"$DROPTOP" --netns "$R" --report -d 2 --format json --record "$TMP/rec-$1" \
		>"$TMP/$1.json" || fail "$1: droptop exited $?"
	wait $send
	send=
}

# With the kernel's drop reasons: NETFILTER_DROP on port 5000 is the
# netfilter stage's loss within 2 %, netfilter-drop names the port and the
# ip stage names the reason of its remainder. $1 case, $2 netfilter lost.
reasons_case() {
	j="$TMP/$1.json"
	if jq -e '.drop_reasons == null' "$j" >/dev/null; then
		echo "$1: drop reasons not checked: $(jq -r '[.notes[] | select(startswith("drop reasons"))][0]' "$j")"
		return
	fi
	nfr=$(jq '[.drop_reasons[] | select(.reason == "NETFILTER_DROP" and .port == 5000) | .packets_ps] | add // 0' "$j")
	within_pct "$nfr" "$2" 2 || fail "$1: NETFILTER_DROP on port 5000 $nfr/s, netfilter lost $2/s: $(jq -c .drop_reasons "$j")"
	jq -e '.findings[] | select(.id == "netfilter-drop") | .detail | test("NETFILTER_DROP\\): udp/5000: ")' "$j" >/dev/null ||
		fail "$1: netfilter-drop does not name udp/5000: $(jq -c '.findings[] | select(.id == "netfilter-drop")' "$j")"
	jq -e '.stages[] | select(.stage == "ip") | .remainder_reasons[0].reason == "NETFILTER_DROP"' "$j" >/dev/null ||
		fail "$1: the ip remainder is not named NETFILTER_DROP: $(jq -c '.stages[] | select(.stage == "ip")' "$j")"
	echo "$1: NETFILTER_DROP on udp/5000 $nfr/s = netfilter lost $2/s"
}

# $1 case, $2 hook
drop_case() {
	ip netns exec "$R" nft -f - <<NFT || fail "$1: nft ruleset"
flush ruleset
table inet t {
	chain c { type filter hook $2 priority 0; udp dport 5000 drop; }
}
NFT
	run "$1"
	j="$TMP/$1.json"
	stage=$(jq -r '.verdict.stage' "$j")
	[ "$stage" = netfilter ] || fail "$1: verdict stage is '$stage', expected netfilter: $(jq -c .verdict "$j")"
	jq -e '.findings | map(.id) | index("netfilter-drop") != null' "$j" >/dev/null ||
		fail "$1: no finding netfilter-drop: $(jq -c .findings "$j")"
	lost=$(jq '.stages[] | select(.stage == "netfilter") | .lost_pps' "$j")
	rest=$(jq '.stages[] | select(.stage == "ip") | .counters |
		.IpInReceives - .IpInDelivers' "$j")
	awk -v n="$rest" 'BEGIN { exit !(n > 2000) }' || fail "$1: ip remainder $rest/s, expected most of 10000/s"
	within_pct "$lost" "$rest" 2 || fail "$1: netfilter lost $lost/s, ip remainder $rest/s"
	iplost=$(jq '.stages[] | select(.stage == "ip") | .lost_pps' "$j")
	awk -v n="$iplost" -v r="$rest" 'BEGIN { exit !(n < r / 50) }' ||
		fail "$1: ip still shows $iplost/s lost: counted twice"
	reasons_case "$1" "$lost"
	"$DROPTOP" --replay "$TMP/rec-$1" --format json >"$TMP/$1-replay.json" || fail "$1: replay exited $?"
	jq -S 'del(.source, .notes)' "$j" >"$TMP/a"
	jq -S 'del(.source, .notes)' "$TMP/$1-replay.json" >"$TMP/b"
	diff -u "$TMP/a" "$TMP/b" >&2 || fail "$1: the replay differs from the live report"
	echo "$1: netfilter lost $lost/s = ip remainder $rest/s"
}

drop_case input input
drop_case prerouting prerouting

# No rules: nothing lost, and nothing given to netfilter.
ip netns exec "$R" nft flush ruleset || fail "flush ruleset"
ip netns exec "$R" "$TEST_HELPERS/udpsink" 10.96.1.2 5000 0 6 >/dev/null &
sink=$!
run norules
kill $sink 2>/dev/null
j="$TMP/norules.json"
nfl=$(jq '.stages[] | select(.stage == "netfilter") | .lost_pps' "$j")
[ "$nfl" = 0 ] || fail "norules: netfilter lost $nfl/s, expected 0"
jq -e '.findings | map(.id) | index("netfilter-drop") == null' "$j" >/dev/null ||
	fail "norules: netfilter-drop without rules"
# The ruleset changes while droptop runs without CAP_NET_ADMIN (dropped
# after set-up): it says it cannot read it again, and gives nothing to
# netfilter on stale rules.
(sleep 1; ip netns exec "$R" nft add table ip late) &
"$DROPTOP" --netns "$R" --report -d 2 --format json >"$TMP/late.json" || fail "late: droptop exited $?"
wait
jq -e '.notes | map(test("ruleset changed since droptop started")) | any' "$TMP/late.json" >/dev/null ||
	fail "late: no note about the changed ruleset: $(jq -c .notes "$TMP/late.json")"
pass "nft drop rule on input and prerouting: verdict netfilter, netfilter-drop, lost = ip remainder"
