#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Reassembly that fails (namespaces this test creates): 4000-byte UDP
# datagrams over MTU 1500 come as 3 fragments, and the receiver's
# ipfrag_high_thresh is 0, so every fragment fails (ip_defrag: ReasmFails
# per fragment). Verdict ip, finding reassembly-fail with the current
# value, and the ip stage's lost rate is ReasmFails' rate within 2 %.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
S=droptop-fgs-$$
R=droptop-fgr-$$
send=
trap 'kill $send 2>/dev/null; wait 2>/dev/null; ip netns del "$S" 2>/dev/null; ip netns del "$R" 2>/dev/null; rm -rf "$TMP"' EXIT
netns_pair "$S" "$R"
veth_link "$S" s1 10.96.1.1/24 "$R" r1 10.96.1.2/24
# The namespace's own limits (low first: high may not go below it).
ip netns exec "$R" sysctl -qw net.ipv4.ipfrag_low_thresh=0 net.ipv4.ipfrag_high_thresh=0 ||
	fail "setting ipfrag thresholds in $R"


ip netns exec "$S" "$DROPTOP_SEND" -s 4000 -r 3000 -d 5 10.96.1.2:5000 >"$TMP/send" 2>&1 &
send=$!
sleep 0.5
"$DROPTOP" --netns "$R" --report -d 2 --format json --record "$TMP/rec" >"$TMP/r.json" ||
	fail "droptop exited $?"
stage=$(jq -r '.verdict.stage' "$TMP/r.json")
[ "$stage" = ip ] || fail "verdict stage is '$stage', expected ip: $(jq -c .verdict "$TMP/r.json")"
jq -e '.findings[] | select(.id == "reassembly-fail") | .detail |
	test("net.ipv4.ipfrag_high_thresh = 0")' "$TMP/r.json" >/dev/null ||
	fail "no finding reassembly-fail with the threshold: $(jq -c .findings "$TMP/r.json")"
lost=$(jq '.stages[] | select(.stage == "ip") | .lost_pps' "$TMP/r.json")
fails=$(jq '.stages[] | select(.stage == "ip") | .counters.IpReasmFails' "$TMP/r.json")
awk -v n="$fails" 'BEGIN { exit !(n > 3000) }' || fail "ReasmFails $fails/s, expected most of 9000 fragments/s"
within_pct "$lost" "$fails" 2 || fail "ip lost $lost/s, ReasmFails $fails/s"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/r.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
pass "reassembly: verdict ip, reassembly-fail, lost $lost/s = ReasmFails $fails/s"
