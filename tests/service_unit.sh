#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/droptop-textfile.service: sandboxed (systemd-analyze security
# scores it 4.0 or lower, offline), and its own command line, run by hand
# against a temporary directory, writes droptop.prom through a fresh
# mktemp file: a link planted at the old fixed name droptop.prom.tmp is
# not followed, and a failing droptop leaves the previous file and no
# temporary one. The drop reasons load with the unit's capabilities.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
UNIT=$TESTS_DIR/../contrib/droptop-textfile.service

# --- the service's command, as systemd would run it ----------------------
# systemd turns $$ into $; the directory becomes ours, droptop a replay.
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$UNIT")
[ -n "$cmd" ] || fail "no ExecStart=/bin/sh -c '...' in the unit"
cmd=$(printf '%s\n' "$cmd" | sed 's/\$\$/$/g' |
	sed "s|/var/lib/prometheus/node-exporter|$TMP/tf|g; s|droptop --report |\"\$DROPTOP\" --replay \"\$REC\" --report |; s| -d 10 | |")
mkdir "$TMP/tf"
echo "root only" >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/tf/droptop.prom.tmp"
run() { REC=$1 DROPTOP=$DROPTOP sh -c "$cmd" 2>"$TMP/err"; }
run "$TEST_DATA_DIR/receiver/loopback-2threads.rec" ||
	fail "the service's command failed ($(cat "$TMP/err")): $cmd"
[ "$(cat "$TMP/victim")" = "root only" ] || fail "a link planted in the directory was followed"
[ "$(ls -A "$TMP/tf" | tr '\n' ' ')" = "droptop.prom droptop.prom.tmp " ] ||
	fail "the directory holds: $(ls -A "$TMP/tf")"
grep -q '^# TYPE droptop_' "$TMP/tf/droptop.prom" || fail "droptop.prom holds no metric"
[ "$(stat -c %a "$TMP/tf/droptop.prom")" = 644 ] ||
	fail "droptop.prom mode $(stat -c %a "$TMP/tf/droptop.prom"): node_exporter cannot read it"
cp "$TMP/tf/droptop.prom" "$TMP/before"
run "$TMP/no-such.rec" && fail "the command succeeded with droptop failing"
cmp -s "$TMP/before" "$TMP/tf/droptop.prom" || fail "a failed run changed droptop.prom"
[ "$(ls -A "$TMP/tf" | wc -l)" = 2 ] || fail "a failed run left: $(ls -A "$TMP/tf")"
pass "the service's command writes through mktemp and a rename"

# --- the drop reasons within the unit's capabilities --------------------
# As root with the unit's CapabilityBoundingSet (setpriv), droptop loads
# its BPF program; the bpf() system call is allowed beside @system-service.
grep -qx 'SystemCallFilter=bpf' "$UNIT" || fail "the unit's SystemCallFilter leaves out bpf()"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	echo "drop reasons in the unit's capabilities not checked: needs root, setpriv and jq"
elif "$DROPTOP" --report -d 0.5 --format json 2>/dev/null | jq -e '.drop_reasons == null' >/dev/null; then
	echo "drop reasons in the unit's capabilities not checked: none even as root here"
else
	setpriv --bounding-set "-all,$caps" "$DROPTOP" --report -d 0.5 --format json >"$TMP/caps.json" 2>"$TMP/err" ||
		fail "droptop with the unit's capabilities ($caps) exited $?: $(cat "$TMP/err")"
	jq -e '.drop_reasons != null' "$TMP/caps.json" >/dev/null ||
		fail "no drop reasons with the unit's capabilities ($caps): $(jq -c .notes "$TMP/caps.json")"
	pass "drop reasons load within the unit's capabilities ($caps)"
fi

# --- the sandbox ------------------------------------------------------------
command -v systemd-analyze >/dev/null 2>&1 ||
	skip "needs systemd-analyze (apt-get install systemd) to score the unit"
systemd-analyze security --offline=yes "$UNIT" >"$TMP/sec" 2>&1
score=$(sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) .*$/\1/p' "$TMP/sec")
[ -n "$score" ] || fail "no exposure level: $(tail -n 3 "$TMP/sec")"
awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }' ||
	fail "systemd-analyze security scores the unit $score, above 4.0"
pass "systemd-analyze security: exposure $score"
