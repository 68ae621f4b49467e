#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/: the alert rules pass promtool, and the textfile service's own
# command line, pointed at a temporary directory and a recording, writes
# a file promtool accepts and leaves no temporary file behind.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
command -v promtool >/dev/null 2>&1 ||
	skip "needs promtool (apt-get install prometheus) to check contrib/"
C=$TESTS_DIR/../contrib

promtool check rules "$C/droptop-alerts.rules.yml" >"$TMP/rules" 2>&1 ||
	fail "promtool check rules: $(cat "$TMP/rules")"
grep -q 'SUCCESS: 5 rules found' "$TMP/rules" || fail "rules: $(cat "$TMP/rules")"
# Every metric the rules name is one droptop writes (node_textfile_* is
# node_exporter's own).
"$DROPTOP" --replay "$TEST_DATA_DIR/receiver/loopback-2threads.rec" \
	--format prometheus >"$TMP/all.prom" || fail "prometheus replay"
for m in $(grep -o 'droptop_[a-z_]*' "$C/droptop-alerts.rules.yml" | sort -u); do
	grep -q "^# TYPE $m gauge" "$TMP/all.prom" || fail "rules use $m, droptop writes no such metric"
done
pass "alert rules"

cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$C/droptop-textfile.service")
[ -n "$cmd" ] || fail "no ExecStart in droptop-textfile.service"
cmd=$(printf '%s\n' "$cmd" | sed 's/\$\$/$/g' |
	sed "s|/var/lib/prometheus/node-exporter|$TMP/tf|g; s|droptop --report |\"\$DROPTOP\" --replay \"\$REC\" --report |; s| -d 10 | |")
mkdir "$TMP/tf"
REC=$TEST_DATA_DIR/receiver/loopback-2threads.rec DROPTOP=$DROPTOP sh -c "$cmd" ||
	fail "the service's command failed: $cmd"
[ "$(ls "$TMP/tf")" = droptop.prom ] || fail "textfile directory holds: $(ls "$TMP/tf")"
promtool check metrics <"$TMP/tf/droptop.prom" || fail "textfile rejected by promtool"
grep -q '^OnUnitActiveSec=' "$C/droptop-textfile.timer" || fail "timer has no period"
pass "textfile service writes a valid file"
