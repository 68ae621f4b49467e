#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --count N: a report per interval, live and through recordings built
# from real captures (mkrec.sh), in text (one line each, headings every
# screenful) and NDJSON; --max-loss over intervals; a --record of a run
# killed with SIGKILL keeps the snapshots it took.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_DIR/mkrec.sh"
need_cmd jq
D=$TEST_DATA_DIR
TZ=UTC
export TZ

# A recording of the snapshots of REC (0: the zeroed one, 1: the capture)
# in the order given, 1 s apart: "0 0 1 1" has one lossy interval, the
# second.
mkseries() { # OUT REC 0|1...
	out=$1 rec=$2
	shift 2
	k=0
	{
		echo "droptop-recording 1"
		for b in "$@"; do
			awk -v want="$b" -v k=$k '
				/^@snapshot / && n++ == want {
					printf "@snapshot %d.000000 %d.000000\n",
					       1700000000 + k, 100 + k
					on = 1; next }
				on { print }
				/^@end$/ { on = 0 }' "$rec"
			k=$((k + 1))
		done
	} >"$out"
}

# Waits for PID (a background droptop) and sets rc; one that is still
# running after 20 s is killed (rc 137), so the test never hangs.
wait_rc() { # PID
	( sleep 20; kill -KILL "$1" 2>/dev/null ) &
	dog=$!
	wait "$1"
	rc=$?
	kill "$dog" 2>/dev/null
}

ndjson_lines() { # FILE N WHAT: N lines, each one JSON object
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || fail "$3: $n lines, expected $2"
	while IFS= read -r line; do
		printf '%s\n' "$line" | jq -e 'type == "object" and .interval_s > 0' \
			>/dev/null || fail "$3: a line is not a report: $line"
	done <"$1"
}

# The real loss: IP and UDP errors of an Ubuntu host, softnet drops of
# another (81045 pkt/s in all, as replay_fixtures.sh knows the captures).
mkrec "$TMP/pair.rec" \
	/proc/net/snmp "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt" \
	/proc/net/softnet_stat "$D/softnet_stat/11col-4cpu-node_exporter.txt"
LOSS=$("$DROPTOP" --replay "$TMP/pair.rec" -f json | jq .total_lost_pps)
[ "$LOSS" -gt 1000 ] || fail "the pair recording shows no loss ($LOSS)"

# --- replay: one report per recorded interval ----------------------------
mkseries "$TMP/burst.rec" "$TMP/pair.rec" 0 0 1 1 1
"$DROPTOP" --replay "$TMP/burst.rec" --count 0 -f json >"$TMP/all" ||
	fail "replay --count 0 exited $?"
ndjson_lines "$TMP/all" 4 "replay of 5 snapshots, --count 0"
[ "$(jq -c '.total_lost_pps' "$TMP/all" | tr '\n' ' ')" = "0 $LOSS 0 0 " ] ||
	fail "the loss is not in the second interval alone: $(jq -c .total_lost_pps "$TMP/all")"
[ "$(jq -r '.time' "$TMP/all" | tr '\n' ' ')" = "1700000001 1700000002 1700000003 1700000004 " ] ||
	fail "the intervals do not follow the recording: $(jq -r .time "$TMP/all")"
jq -e -s 'all(.[]; .interval_s == 1 and .source != null)' "$TMP/all" >/dev/null ||
	fail "an interval is not the 1 s between two snapshots"
"$DROPTOP" --replay "$TMP/burst.rec" --count 2 -f json >"$TMP/two" ||
	fail "replay --count 2 exited $?"
ndjson_lines "$TMP/two" 2 "replay --count 2"
"$DROPTOP" --replay "$TMP/burst.rec" --count 9 -f json >"$TMP/nine" 2>"$TMP/err" ||
	fail "replay --count 9 of 4 intervals exited $?"
ndjson_lines "$TMP/nine" 4 "replay --count 9 of 4 intervals"
grep -q "has 4 intervals, not the 9 asked for" "$TMP/err" ||
	fail "no word of the missing intervals: $(cat "$TMP/err")"
pass "replay: one NDJSON report per recorded interval"

# --- text: one line per interval, the loss where it happened --------------
"$DROPTOP" --replay "$TMP/burst.rec" --count 0 >"$TMP/text" || fail "text exited $?"
[ "$(wc -l <"$TMP/text")" -eq 5 ] || fail "text: $(cat "$TMP/text")"
head -1 "$TMP/text" | grep -q '^time  *verdict  *lost/s  *nic  *softirq  *ip  *netfilter  *udp  *socket  *app  *finding$' ||
	fail "text heading: $(head -1 "$TMP/text")"
sed -n 3p "$TMP/text" | grep -q "^22:13:22 ip  *$LOSS " ||
	fail "the lossy interval's line: $(sed -n 3p "$TMP/text")"
sed -n 2p "$TMP/text" | grep -q '^22:13:21 none  *0 ' ||
	fail "a quiet interval's line: $(sed -n 2p "$TMP/text")"
# Every figure ends where its heading ends (right-aligned, fixed columns).
awk 'NR == 1 { for (i = 1; i <= length($0); i++)
		if (substr($0, i, 1) != " " && substr($0, i + 1, 1) == " ")
			end[++n] = i
	     next }
     { for (c = 3; c < n; c++)
		if (substr($0, end[c], 1) == " " || substr($0, end[c] + 1, 1) != " ") {
			print "line " NR " column " c ": " $0; exit 1 } }' "$TMP/text" ||
	fail "a figure is not under its heading"
pass "text: a line per interval under fixed headings"

# --- headings every 20 lines off a terminal ------------------------------
set -- 0
i=1
while [ $i -lt 46 ]; do set -- "$@" $((i % 2)); i=$((i + 1)); done
mkseries "$TMP/long.rec" "$TMP/pair.rec" "$@"
"$DROPTOP" --replay "$TMP/long.rec" --count 0 >"$TMP/long" || fail "long exited $?"
[ "$(grep -n '^time ' "$TMP/long" | cut -d: -f1 | tr '\n' ' ')" = "1 22 43 " ] ||
	fail "headings at lines $(grep -n '^time ' "$TMP/long" | cut -d: -f1 | tr '\n' ' ')"
[ "$(grep -vc '^time ' "$TMP/long")" -eq 45 ] || fail "not 45 interval lines"
# On a terminal, one every screenful (script(1) gives a pty of 10 rows).
if command -v script >/dev/null 2>&1; then
	script -qec "stty rows 10 cols 120; '$DROPTOP' --replay '$TMP/long.rec' --count 20" \
		/dev/null </dev/null | tr -d '\r' >"$TMP/tty" 2>/dev/null || true
	if grep -q '^time ' "$TMP/tty"; then
		[ "$(grep -n '^time ' "$TMP/tty" | cut -d: -f1 | tr '\n' ' ')" = "1 11 21 " ] ||
			fail "tty headings at lines $(grep -n '^time ' "$TMP/tty" | cut -d: -f1 | tr '\n' ' ')"
		pass "headings every screenful on a terminal"
	else
		echo "note: script(1) gave no output here; terminal case not checked"
	fi
fi
pass "text: headings repeated every 20 lines"

# --- --max-loss: any interval above it ------------------------------------
# The first-to-last report averages the burst over 4 s; the interval does not.
HALF=$((LOSS / 2))
"$DROPTOP" --replay "$TMP/burst.rec" --max-loss "$HALF" >/dev/null ||
	fail "single report: the averaged loss is below --max-loss $HALF"
"$DROPTOP" --replay "$TMP/burst.rec" --count 0 --max-loss "$HALF" >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] || fail "--count --max-loss $HALF exited $rc, expected 1"
grep -q "above --max-loss $HALF in 1 of 4 intervals (worst $LOSS pkt/s, stage ip)" "$TMP/err" ||
	fail "--max-loss message: $(cat "$TMP/err")"
"$DROPTOP" --replay "$TMP/burst.rec" --count 0 --max-loss "$LOSS" >/dev/null ||
	fail "--count --max-loss $LOSS (not exceeded) exited $?"
"$DROPTOP" --replay "$TMP/burst.rec" --count 1 --max-loss 1 >/dev/null ||
	fail "--count 1 covers the quiet first interval only, exited $?"
pass "--max-loss: exit 1 when one interval is above it"

# --- usage errors ----------------------------------------------------------
"$DROPTOP" --replay "$TMP/burst.rec" --count 2 -f prometheus >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "--count with prometheus exited $rc, expected 2"
[ ! -s "$TMP/out" ] || fail "--count with prometheus printed a report"
grep -q -- "--count .*not with --format prometheus" "$TMP/err" ||
	fail "prometheus message: $(cat "$TMP/err")"
for bad in -1 abc 1.5 "" 99999999999; do
	"$DROPTOP" --replay "$TMP/burst.rec" --count "$bad" >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] || fail "--count '$bad' exited $rc, expected 2"
	grep -q "invalid --count" "$TMP/err" || fail "--count '$bad': $(cat "$TMP/err")"
done
mkseries "$TMP/one.rec" "$TMP/pair.rec" 1
"$DROPTOP" --replay "$TMP/one.rec" --count 0 >/dev/null 2>"$TMP/err"
[ $? -eq 2 ] && grep -q "one.rec: has 1 snapshot, a report needs two" "$TMP/err" ||
	fail "one snapshot: $(cat "$TMP/err")"
pass "usage errors: prometheus, bad counts, a single snapshot"

# --- live: NDJSON and text, then signals -----------------------------------
"$DROPTOP" --count 3 -d 0.2 -f json >"$TMP/live" || fail "live --count 3 exited $?"
ndjson_lines "$TMP/live" 3 "live --count 3 -d 0.2"
jq -e -s 'all(.[]; .source == "live" and .interval_s > 0.05 and .interval_s < 5)' \
	"$TMP/live" >/dev/null || fail "live intervals: $(jq -c .interval_s "$TMP/live")"
"$DROPTOP" --count 2 -d 0.2 >"$TMP/live" || fail "live text exited $?"
[ "$(wc -l <"$TMP/live")" -eq 3 ] && head -1 "$TMP/live" | grep -q '^time ' ||
	fail "live text: $(cat "$TMP/live")"
pass "live: --count 3 -d 0.2 gives 3 reports"

# SIGINT ends --count 0 after a whole line, exit 0; SIGTERM cuts a count
# short: exit 130, said on stderr.
: >"$TMP/int"
: >"$TMP/term"
# (the handlers are in place once a line is out: wait for it)
"$DROPTOP" --count 0 -d 0.2 -f json >"$TMP/int" 2>"$TMP/err" &
pid=$!
i=0
while [ "$(wc -l <"$TMP/int")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait_rc $pid
[ $rc -eq 0 ] || fail "SIGINT on --count 0 exited $rc: $(cat "$TMP/err")"
n=$(wc -l <"$TMP/int")
[ "$n" -ge 2 ] || fail "SIGINT: only $n lines"
ndjson_lines "$TMP/int" "$n" "--count 0 stopped by SIGINT"
"$DROPTOP" --count 1000 -d 0.2 >"$TMP/term" 2>"$TMP/err" &
pid=$!
i=0
while [ "$(wc -l <"$TMP/term")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait_rc $pid
[ $rc -eq 130 ] || fail "SIGTERM on --count 1000 exited $rc, expected 130"
grep -q "interrupted after [0-9]* interval" "$TMP/err" || fail "SIGTERM: $(cat "$TMP/err")"
pass "signals: SIGINT ends --count 0 cleanly, SIGTERM flags a cut count"

# --- --record: a run killed with SIGKILL keeps every snapshot it took -------
# -d 1 and the kill right after a snapshot lands: droptop is asleep then,
# not half-way through a write.
"$DROPTOP" --count 0 -d 1 --record "$TMP/k.rec" -f json >"$TMP/k.out" 2>"$TMP/err" &
pid=$!
i=0
while [ "$(grep -c '^@end$' "$TMP/k.rec" 2>/dev/null)" != 3 ] && [ $i -lt 300 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
took=$(grep -c '^@end$' "$TMP/k.rec")
[ "$took" -ge 3 ] || fail "the killed run's recording has $took snapshots"
printed=$(wc -l <"$TMP/k.out")
[ "$took" -ge $((printed + 1)) ] || fail "$printed reports printed, $took snapshots kept"
"$DROPTOP" --replay "$TMP/k.rec" --count 0 -f json >"$TMP/k.replay" ||
	fail "the killed run's recording does not replay ($?)"
ndjson_lines "$TMP/k.replay" $((took - 1)) "replay of the killed run's recording"
pass "--record: SIGKILL keeps the $took snapshots taken"
