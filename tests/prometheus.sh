#!/bin/sh
# --format prometheus: every recording built from the real captures renders
# as text exposition that promtool accepts (its linter included), and its
# figures are those of the JSON report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_DIR/mkrec.sh"
command -v promtool >/dev/null 2>&1 ||
	skip "needs promtool (apt-get install prometheus) to check the output"
need_cmd jq
D=$TEST_DATA_DIR

prom() { # REC → exposition on stdout, checked by promtool
	"$DROPTOP" --replay "$1" --format prometheus >"$TMP/p" ||
		fail "--format prometheus of $1 exited $?"
	promtool check metrics <"$TMP/p" >"$TMP/lint" 2>&1 ||
		fail "promtool check metrics on $2: $(cat "$TMP/lint")"
}

sample() { # METRIC{LABELS} → its value in $TMP/p, or nothing
	awk -v k="$1" '$1 == k { print $2 }' "$TMP/p"
}

# --- the receiver recording: verdict, socket loss, the receiver ----------
REC=$D/receiver/loopback-2threads.rec
prom "$REC" "$REC"
"$DROPTOP" --replay "$REC" --all --format json >"$TMP/j" || fail "json replay"
[ "$(sample 'droptop_verdict_stage{stage="socket"}')" = 1 ] ||
	fail "verdict is not socket: $(grep verdict_stage "$TMP/p")"
[ "$(grep -c '^droptop_verdict_stage{.*} 1$' "$TMP/p")" = 1 ] ||
	fail "more than one verdict stage"
want=$(jq -r '.stages[5].lost_pps' "$TMP/j")
got=$(sample 'droptop_stage_lost_packets_per_second{stage="socket"}')
[ "$got" = "$want" ] || fail "socket stage lost $got, JSON says $want"
# The two members of the REUSEPORT group are told apart by inode.
want=$(jq -r '.sockets[] | select(.inode == 235052) | .drops_ps' "$TMP/j")
got=$(sample 'droptop_socket_drops_per_second{socket="127.0.0.1:60137",inode="235052"}')
[ -n "$got" ] && [ "$got" = "$want" ] || fail "socket 235052 drops $got, JSON says $want"
[ "$(sample 'droptop_finding{id="rcvbuf-overflow"}')" = 1 ] || fail "no rcvbuf-overflow finding"
n=$(grep -c '^droptop_receiver_packets_per_second{thread=' "$TMP/p")
[ "$n" = 2 ] || fail "$n receiver threads, expected 2"
# Families are whole: each TYPE line once, and no name after its family ends.
awk '/^# TYPE/ { if (seen[$3]++) { print "twice: " $3; bad = 1 } cur = $3 }
     !/^#/ { n = $1; sub(/\{.*/, "", n); if (n != cur) { print "stray: " n; bad = 1 } }
     END { exit bad }' "$TMP/p" >"$TMP/fam" || fail "families: $(cat "$TMP/fam")"
pass "receiver recording as prometheus"

# --- NIC and queue series from a driver capture ---------------------------
mkrec "$TMP/rec" "ethtool -S eth0" "$D/ethtool-S/bnxt_en-ethq.txt"
prom "$TMP/rec" bnxt_en-ethq.txt
[ "$(sample 'droptop_queue_drops_per_second{device="eth0",queue="0"}')" = 11763190 ] ||
	fail "bnxt_en queue 0 drops: $(grep 'queue_drops.*queue="0"' "$TMP/p")"
[ "$(sample 'droptop_stage_lost_packets_per_second{stage="nic"}')" = 655479471 ] ||
	fail "bnxt_en NIC loss"
pass "driver capture as prometheus"

# --- the captures whose rows make labels (CPUs, sockets) pass promtool ----
# (the snmp and stat captures only change figures, not labels; promtool
# is slow enough that running it on them would load make -j for nothing)
for pair in "/proc/softirqs softirqs" "/proc/net/softnet_stat softnet_stat" \
	"sockets sockets" "/proc/net/udp proc-net-udp"; do
	for f in "$D/${pair#* }"/*.txt; do
		mkrec "$TMP/rec" "${pair% *}" "$f"
		prom "$TMP/rec" "$(basename "$f")"
	done
done
pass "CPU and socket captures pass promtool check metrics"
