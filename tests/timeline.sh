#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The timeline of a recording (issue 16). A burst recording is built from
# a real capture (tests/data/snmp, a REUSEPORT group losing datagrams):
# 10 snapshots 2 s apart, 100k pkt/s reaching UDP, 1k pkt/s lost to full
# socket buffers except from 10 to 12 s, where 150k pkt/s are lost. The
# first-to-last report averages the burst to 17.6k pkt/s; the timeline
# must name 10.0-12.0 s and the socket stage (text and JSON), and the SVG
# must parse as XML and render, with a hostile device and host name
# escaped.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
need_cmd python3
SNMP=$TEST_DATA_DIR/snmp/netns-reuseport4-k6.18.txt
# A device and a host name from someone else's recording: markup, quotes.
EVIL_DEV='e<x&"y'"'"'>'
EVIL_HOST='h<script>&amp;</script>'

# snmp FILE IP_IN RCVBUF: the capture with IP_IN datagrams more received
# and delivered, RCVBUF of them lost to full socket buffers (RcvbufErrors,
# also in InErrors) and the rest read (InDatagrams).
snmp() {
	awk -v in_="$2" -v rb="$3" '
	function add(name, v,  i) {
		for (i = 2; i <= NF; i++)
			if (head[i] == name)
				$i += v
	}
	!seen[$1]++ { for (i = 2; i <= NF; i++) head[i] = $i; print; next }
	$1 == "Ip:" { add("InReceives", in_); add("InDelivers", in_) }
	$1 == "Udp:" { add("InDatagrams", in_ - rb); add("InErrors", rb)
		       add("RcvbufErrors", rb) }
	{ print }' "$1"
}

# burst_rec OUT NSNAPS: snapshots 2 s apart; the interval starting at
# 10 s holds the burst.
burst_rec() {
	in_=0 rb=0 i=0
	{
		echo "droptop-recording 1"
		while [ "$i" -lt "$2" ]; do
			echo "@snapshot $((1700000000 + 2 * i)).000000 $((100 + 2 * i)).000000"
			echo "@source /proc/sys/kernel/hostname"
			echo "$EVIL_HOST"
			echo "@source sysfs $EVIL_DEV"
			echo "rx_packets $in_"
			echo "@source /proc/net/snmp"
			snmp "$SNMP" "$in_" "$rb"
			echo "@end"
			in_=$((in_ + 200000))
			if [ "$i" = 5 ]; then rb=$((rb + 300000)); else rb=$((rb + 2000)); fi
			i=$((i + 1))
		done
	} >"$1"
}

burst_rec "$TMP/burst.rec" 10

# --- text: the first-to-last summary stays, the timeline names the burst
"$DROPTOP" --replay "$TMP/burst.rec" >"$TMP/text" || fail "text replay exited $?"
grep -q '^verdict: socket' "$TMP/text" || fail "verdict is not socket: $(head -1 "$TMP/text")"
grep -q '^timeline: 9 intervals, 0.0–18.0 s$' "$TMP/text" ||
	fail "no timeline header for 9 intervals: $(cat "$TMP/text")"
grep -q '^  worst interval 10.0–12.0 s (2023-11-14 22:13:30 UTC): socket 150k pkt/s, 8.5× the average (17.6k pkt/s)$' "$TMP/text" ||
	fail "worst interval line: $(grep worst "$TMP/text")"
# The burst's row: start 10.0 s, 2 s long, socket, 150000/s.
grep -Eq '^ +10\.0 +22:13:30 +2\.0 +socket +150000 +150000$' "$TMP/text" ||
	fail "no row for the burst: $(sed -n '/^timeline/,/^$/p' "$TMP/text")"
pass "text: the worst interval is the burst, 10.0-12.0 s, socket 150k pkt/s"

# --- JSON: the first-to-last figures stay, the timeline holds each interval
"$DROPTOP" --replay "$TMP/burst.rec" --format json >"$TMP/json" || fail "json replay exited $?"
jq -e '.verdict.stage == "socket" and
	(.stages[] | select(.stage == "socket") | .lost_pps) == 17555.555556' "$TMP/json" >/dev/null ||
	fail "first-to-last socket loss: $(jq -c '.stages[] | select(.stage == "socket")' "$TMP/json")"
jq -e '.timeline | length == 9 and
	([.[].t] == [0, 2, 4, 6, 8, 10, 12, 14, 16]) and
	all(.[]; .interval_s == 2)' "$TMP/json" >/dev/null ||
	fail "timeline points: $(jq -c '[.timeline[] | [.t, .interval_s]]' "$TMP/json")"
jq -e '.timeline[5] | .verdict == {stage: "socket", lost_pps: 150000} and
	.lost_pps_by_stage.socket == 150000 and .time == 1700000010' "$TMP/json" >/dev/null ||
	fail "burst point: $(jq -c '.timeline[5]' "$TMP/json")"
jq -e '[.timeline[] | select(.t != 10) | .lost_pps_by_stage.socket] | all(. == 1000)' \
	"$TMP/json" >/dev/null || fail "quiet points are not 1k pkt/s"
jq -e '.timeline_worst.t == 10 and .timeline_worst.interval_s == 2 and
	.timeline_average_lost_pps == 17555.555556' "$TMP/json" >/dev/null ||
	fail "timeline_worst: $(jq -c '[.timeline_worst, .timeline_average_lost_pps]' "$TMP/json")"
pass "json: timeline of 9 points, the worst at t=10 with 150k pkt/s"

# --- two snapshots: no timeline (the report keeps its old shape) -------
awk '/^@snapshot/ { n++ } n <= 2' "$TMP/burst.rec" >"$TMP/two.rec"
"$DROPTOP" --replay "$TMP/two.rec" --format json | jq -e 'has("timeline") | not' >/dev/null ||
	fail "a two-snapshot report has a timeline key"
"$DROPTOP" --replay "$TMP/two.rec" | grep -q '^timeline' && fail "two-snapshot text has a timeline"
pass "two snapshots: no timeline"

# --- many intervals: the text table stays bounded ----------------------
burst_rec "$TMP/long.rec" 60
"$DROPTOP" --replay "$TMP/long.rec" >"$TMP/text" || fail "long replay exited $?"
rows=$(sed -n '/^  start_s/,/^  (/p' "$TMP/text" | grep -c '^ *[0-9]')
[ "$rows" = 20 ] || fail "59 intervals should show 20 rows, got $rows"
grep -q '^  (39 intervals with less loss hidden, --all shows them)$' "$TMP/text" ||
	fail "no hidden-rows line: $(sed -n '/^timeline/,/^$/p' "$TMP/text")"
grep -Eq '^ +10\.0 +22:13:30 +2\.0 +socket +150000' "$TMP/text" || fail "the burst row was hidden"
rows=$("$DROPTOP" --replay "$TMP/long.rec" --all | sed -n '/^  start_s/,/^$/p' | grep -c '^ *[0-9]')
[ "$rows" = 59 ] || fail "--all should show 59 rows, got $rows"
pass "text: 20 rows of 59, the burst among them; --all shows all"

# --- SVG: well-formed XML, renders, hostile names escaped --------------
"$DROPTOP" --replay "$TMP/burst.rec" --format svg >"$TMP/t.svg" || fail "svg exited $?"
python3 - "$TMP/t.svg" "$EVIL_DEV" "$EVIL_HOST" <<'EOF' || fail "SVG check failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == '{http://www.w3.org/2000/svg}svg', root.tag
texts = [''.join(t.itertext()) for t in root.iter('{http://www.w3.org/2000/svg}text')]
sub = [t for t in texts if 'host' in t]
assert sub and sys.argv[2] in sub[0] and sys.argv[3] in sub[0], sub
assert any(t.startswith('worst 10.0') and 'socket 150k pkt/s' in t for t in texts), texts
assert 'socket' in texts and 'lost (pkt/s)' in texts, texts
assert any('(s)' in t for t in texts), texts
assert '150k' in texts, texts      # a y tick at the burst
assert not list(root.iter('{http://www.w3.org/2000/svg}script'))
EOF
if command -v rsvg-convert >/dev/null 2>&1; then
	rsvg-convert -o "$TMP/t.png" "$TMP/t.svg" || fail "rsvg-convert failed"
	[ "$(head -c 4 "$TMP/t.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
		fail "rsvg-convert wrote no PNG"
else
	echo "note: rsvg-convert missing (librsvg2-bin), SVG not rendered"
fi
pass "svg: parses as XML, hostile names escaped, worst interval marked"

# --- SVG of a long run: downsampled, bounded ---------------------------
burst_rec "$TMP/long.rec" 3000
"$DROPTOP" --replay "$TMP/long.rec" --format svg >"$TMP/long.svg" || fail "long svg exited $?"
size=$(wc -c <"$TMP/long.svg")
[ "$size" -lt 100000 ] || fail "SVG of 2999 intervals is $size bytes"
python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$TMP/long.svg" ||
	fail "long SVG does not parse"
grep -q 'worst 10.0–12.0 s: socket 150k' "$TMP/long.svg" || fail "long SVG lost the burst"
pass "svg: 2999 intervals in $size bytes"

# --- usage: svg needs a timeline ---------------------------------------
"$DROPTOP" --format svg >/dev/null 2>"$TMP/err"
[ $? = 2 ] || fail "--format svg live should be a usage error"
grep -q 'needs --count or --replay' "$TMP/err" || fail "svg usage message: $(cat "$TMP/err")"
pass "--format svg without --replay is a usage error"
