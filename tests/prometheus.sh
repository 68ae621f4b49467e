#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --format prometheus: every recording built from the real captures renders
# as text exposition that promtool accepts (its linter included, when
# promtool is installed), and its figures are those of the JSON report.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_DIR/mkrec.sh"
need_cmd jq
D=$TEST_DATA_DIR
PROMTOOL=$(command -v promtool)

prom() { # REC [OPTION] → exposition in $TMP/p, checked by promtool
	"$DROPTOP" --replay "$1" ${3:-} --format prometheus >"$TMP/p" ||
		fail "--format prometheus of $1 exited $?"
	[ -z "$PROMTOOL" ] || promtool check metrics <"$TMP/p" >"$TMP/lint" 2>&1 ||
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
# Sockets: one series per local address and port, never per inode (a new
# series for every short-lived socket); the REUSEPORT group's two members
# add up, and the 8 idle sockets are left out.
! grep -q 'inode=' "$TMP/p" || fail "a socket series labelled by inode"
want=$(jq '[.sockets[] | select(.lport == 60137) | .drops_ps] | add' "$TMP/j")
got=$(sample 'droptop_socket_drops_per_second{local="127.0.0.1",port="60137"}')
[ -n "$got" ] && within_pct "$got" "$want" 0.0001 ||
	fail "port 60137 drops $got, JSON's sockets add up to $want"
[ "$(sample 'droptop_sockets{local="127.0.0.1",port="60137"}')" = 2 ] ||
	fail "port 60137: $(grep '^droptop_sockets' "$TMP/p")"
[ "$(grep -c '^droptop_sockets{' "$TMP/p")" = 1 ] ||
	fail "idle sockets exported without --all: $(grep '^droptop_sockets' "$TMP/p")"
[ "$(sample 'droptop_finding{id="rcvbuf-overflow"}')" = 1 ] || fail "no rcvbuf-overflow finding"
n=$(grep -c '^droptop_receiver_packets_per_second{thread=' "$TMP/p")
[ "$n" = 2 ] || fail "$n receiver threads, expected 2"
# Families are whole: each TYPE line once, and no name after its family ends.
awk '/^# TYPE/ { if (seen[$3]++) { print "twice: " $3; bad = 1 } cur = $3 }
     !/^#/ { n = $1; sub(/\{.*/, "", n); if (n != cur) { print "stray: " n; bad = 1 } }
     END { exit bad }' "$TMP/p" >"$TMP/fam" || fail "families: $(cat "$TMP/fam")"
pass "receiver recording as prometheus"

# --all: the idle sockets too, one series per port.
prom "$REC" "$REC --all" --all
[ "$(grep -c '^droptop_sockets{' "$TMP/p")" = 9 ] ||
	fail "--all: $(grep '^droptop_sockets' "$TMP/p")"
[ "$(sample 'droptop_sockets{local="127.0.0.1",port="20003"}')" = 1 ] ||
	fail "--all: idle port 20003 missing"
pass "idle sockets only with --all"

# --- NIC and queue series from a driver capture ---------------------------
mkrec "$TMP/rec" "ethtool -S eth0" "$D/ethtool-S/bnxt_en-ethq.txt"
prom "$TMP/rec" bnxt_en-ethq.txt
[ "$(sample 'droptop_queue_drops_per_second{device="eth0",queue="0"}')" = 11763190 ] ||
	fail "bnxt_en queue 0 drops: $(grep 'queue_drops.*queue="0"' "$TMP/p")"
[ "$(sample 'droptop_stage_lost_packets_per_second{stage="nic"}')" = 655479471 ] ||
	fail "bnxt_en NIC loss"
pass "driver capture as prometheus"

# --- --netns: a label on every sample, the JSON and the text header ------
netns_checks() {
	command -v ip >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || {
		echo "SKIP: --netns part: needs root and ip"
		return
	}
	NS=droptop-prom-$$
	ip netns add "$NS" 2>/dev/null || {
		echo "SKIP: --netns part: cannot create a network namespace"
		return
	}
	"$DROPTOP" --netns "$NS" --report -d 0.2 --format prometheus >"$TMP/p" 2>"$TMP/err"
	rc=$?
	"$DROPTOP" --netns "$NS" --report -d 0.2 --format json --record "$TMP/ns.rec" \
		>"$TMP/j" 2>>"$TMP/err"
	"$DROPTOP" --netns "$NS" --report -d 0.2 >"$TMP/t" 2>>"$TMP/err"
	ip netns del "$NS"
	[ $rc = 0 ] || fail "--netns prometheus exited $rc: $(cat "$TMP/err")"
	[ -z "$PROMTOOL" ] || promtool check metrics <"$TMP/p" >"$TMP/lint" 2>&1 ||
		fail "promtool check metrics with --netns: $(cat "$TMP/lint")"
	n=$(grep -c '^droptop_' "$TMP/p")
	[ "$n" -gt 0 ] && [ "$(grep -c "^droptop_[a-z_]*{netns=\"$NS\"[,}]" "$TMP/p")" = "$n" ] ||
		fail "a sample without netns=\"$NS\": $(grep '^droptop_' "$TMP/p" | grep -v "netns=" | head -3)"
	[ "$(jq -r .netns "$TMP/j")" = "$NS" ] || fail "JSON netns: $(jq .netns "$TMP/j")"
	# The recording carries it: its replay names the namespace too.
	"$DROPTOP" --replay "$TMP/ns.rec" --format json >"$TMP/jr" ||
		fail "replay of the --netns recording exited $?"
	[ "$(jq -r .netns "$TMP/jr")" = "$NS" ] || fail "replay's netns: $(jq .netns "$TMP/jr")"
	grep -q "^droptop report: live, netns $NS," "$TMP/t" ||
		fail "text header: $(grep "^droptop report" "$TMP/t")"
	pass "--netns named in prometheus, JSON, text and recordings"
}
netns_checks
# Without --netns, no netns label and a JSON null.
"$DROPTOP" --replay "$REC" --format json | jq -e '.netns == null' >/dev/null ||
	fail "a replay's JSON netns is not null"

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
[ -z "$PROMTOOL" ] && echo "SKIP: promtool not installed, the lint was not run"
pass "CPU and socket captures render"
