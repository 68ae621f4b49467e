#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live, on loopback: `droptop --receive --report --format json` while
# droptop-send floods it with a known number of datagrams, all sent inside
# the sampling interval. The app stage is the receiver's threads (with
# their rates), and the waterfall adds up: sent = received by the app +
# losses of every stage + unaccounted, within 1 %. Run twice: two threads
# that keep up, then one thread with a tiny receive buffer that cannot
# (socket-stage losses). The recording replays to the same figures.
# The sums compare namespace-wide IP and UDP counters: droptop and the
# sender run in a network namespace of their own (own_netns), where no
# other test's loopback traffic lands. softnet_stat is per CPU for the
# whole host, in every namespace: there the waterfall is summed from the
# IP stage down (IP in must then be what was sent), without the softirq
# stage and its gap to IP, which count every namespace's packets.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
need_cmd jq
rx=
trap '[ -n "$rx" ] && kill $rx 2>/dev/null; own_netns_del; rm -rf "$TMP"' EXIT
own_netns

# run NAME "DROPTOP RECEIVER OPTIONS" "SENDER OPTIONS"
run() {
	$IN_NETNS "$DROPTOP" --receive 127.0.0.1:0 $2 --report -d 4 --format json \
		--record "$TMP/$1.rec" >"$TMP/$1.json" 2>"$TMP/$1.err" &
	rx=$!
	wait_receiver "$TMP/$1.err"
	# The first snapshot is taken right after start: let it be taken.
	sleep 0.5
	$IN_NETNS "$DROPTOP_SEND" $3 "127.0.0.1:$port" >"$TMP/$1.tx" || fail "$1: droptop-send exited $?"
	wait $rx || fail "$1: droptop exited $?"
	rx=
	jq -e . "$TMP/$1.json" >/dev/null || fail "$1: report is not valid JSON"
	sent=$(awk '$1 == "total:" { print $3 }' "$TMP/$1.tx")
}

# The waterfall of a report, in packets over its interval: app in, lost,
# unaccounted, the threads' sum, socket lost, IP in. With a namespace of
# its own, from the IP stage down (see above).
sums() {
	jq -r --argjson ns "$([ -n "$NETNS" ] && echo true || echo false)" '
	       .interval_s as $t |
	       def st(n): .stages[] | select(.stage == n);
	       (if $ns then ["ip", "udp", "socket", "app"]
	        else [.stages[].stage] end) as $from |
	       (if $ns then
	          [((st("softirq").in_pps // 0) - (st("softirq").lost_pps // 0))
	           - st("ip").in_pps, 0] | max
	        else 0 end) as $softirq_gap |
	       [ (st("app").in_pps * $t),
	         ([.stages[] | select(.stage as $s | $from | index($s)) |
	           .lost_pps] | add) * $t,
	         ([.unaccounted_pps - $softirq_gap, 0] | max) * $t,
	         ([.receiver.threads[].pps] | add) * $t,
	         (st("socket").lost_pps * $t),
	         (st("ip").in_pps * $t) ]
	       | map(. * 10 | round / 10) | @tsv' "$1"
}

check_adds_up() { # NAME
	set -- "$1" $(sums "$TMP/$1.json")
	total=$(awk -v a="$2" -v l="$3" -v u="$4" 'BEGIN { print a + l + u }')
	echo "$1: sent $sent = app $2 + lost $3 + unaccounted $4 = $total (socket lost $6, IP in $7${NETNS:+, in $NETNS})"
	within_pct "$total" "$sent" 1 || fail "$1: waterfall $total, sent $sent: more than 1 % apart"
	[ -z "$NETNS" ] || within_pct "$7" "$sent" 1 ||
		fail "$1: IP in $7 in $NETNS, sent $sent: more than 1 % apart"
	within_pct "$5" "$2" 0.01 || fail "$1: threads sum to $5, app stage $2"
	jq -e '.stages[] | select(.stage == "app") | .counters["receiver packets"] != null' \
		"$TMP/$1.json" >/dev/null || fail "$1: app stage is not the receiver"
	"$DROPTOP" --replay "$TMP/$1.rec" --format json >"$TMP/$1.replay" || fail "$1: replay"
	[ "$(sums "$TMP/$1.replay")" = "$(sums "$TMP/$1.json")" ] ||
		fail "$1: replay differs from the live report"
}

run keepup "--threads 2 --rcvbuf 4M" "--rate 50000 --duration 2 --src-ports 20000-20007"
check_adds_up keepup
jq -e '.receiver.threads | length == 2 and all(.pps > 0 and .avg_batch >= 1)' \
	"$TMP/keepup.json" >/dev/null || fail "keepup: per-thread rates missing: $(jq -c .receiver "$TMP/keepup.json")"
jq -e '.verdict.stage == "none" or .verdict.lost_pps < 1' "$TMP/keepup.json" >/dev/null ||
	fail "keepup: a loss verdict: $(jq -c .verdict "$TMP/keepup.json")"

run overflow "--threads 1 --batch 1 --rcvbuf 4K" "--count 200000 --duration 2"
check_adds_up overflow
jq -e '.verdict.stage == "socket"' "$TMP/overflow.json" >/dev/null ||
	fail "overflow: verdict $(jq -c .verdict.stage "$TMP/overflow.json"), expected socket"
pass "the waterfall adds up to what was sent, with and without losses"
