#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A full conntrack table (namespaces this test creates): a ruleset that
# tracks (ct state) in the receiving namespace, nf_conntrack_max lowered,
# datagrams from many source ports. Verdict netfilter, finding
# conntrack-full, and the netfilter stage's lost rate is conntrack's drop
# column within 2 %; the recording replays to the same report.
# nf_conntrack_max is global (read-only in other namespaces, while the
# count is per namespace): it is set in the initial namespace and restored
# on exit.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
need_cmd nft
MAXF=/proc/sys/net/netfilter/nf_conntrack_max
S=droptop-cts-$$
R=droptop-ctr-$$
old=
send=
trap '[ -n "$old" ] && echo "$old" >$MAXF; kill $send 2>/dev/null; wait 2>/dev/null; ip netns del "$S" 2>/dev/null; ip netns del "$R" 2>/dev/null; rm -rf "$TMP"' EXIT
netns_pair "$S" "$R"
veth_link "$S" s1 10.94.1.1/24 "$R" r1 10.94.1.2/24
ip netns exec "$R" nft -f - <<NFT || fail "nft ruleset"
table inet t {
	chain c { type filter hook prerouting priority 0; ct state new,established counter accept; }
}
NFT
[ -r "$MAXF" ] || skip "no nf_conntrack (no $MAXF)"
ip netns exec "$R" "$TEST_HELPERS/udpsink" 10.94.1.2 5000 0 8 >/dev/null &
old=$(cat $MAXF)
# A few entries of the initial namespace must still fit.
host=$(cat /proc/sys/net/netfilter/nf_conntrack_count)
echo $((host + 256)) >$MAXF || fail "cannot lower nf_conntrack_max"
ip netns exec "$S" "$DROPTOP_SEND" -r 10000 -d 5 --src-ports 10000-10999 10.94.1.2:5000 >"$TMP/send" 2>&1 &
send=$!
sleep 1
"$DROPTOP" --netns "$R" --report -d 2 --format json --record "$TMP/rec" >"$TMP/r.json" ||
	fail "droptop exited $?"
wait $send
send=
echo "$old" >$MAXF && old=
j="$TMP/r.json"
stage=$(jq -r '.verdict.stage' "$j")
[ "$stage" = netfilter ] || fail "verdict stage is '$stage', expected netfilter: $(jq -c .verdict "$j")"
jq -e '.findings | map(.id) | index("conntrack-full") != null' "$j" >/dev/null ||
	fail "no finding conntrack-full: $(jq -c .findings "$j")"
lost=$(jq '.stages[] | select(.stage == "netfilter") | .lost_pps' "$j")
drop=$(jq '.stages[] | select(.stage == "netfilter") | .counters["conntrack drop"]' "$j")
awk -v n="$drop" 'BEGIN { exit !(n > 2000) }' || fail "conntrack drop $drop/s, expected most of 10000/s"
within_pct "$lost" "$drop" 2 || fail "netfilter lost $lost/s, conntrack drop $drop/s"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$j" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
pass "conntrack full: verdict netfilter, conntrack-full, lost $lost/s = conntrack drop $drop/s"
