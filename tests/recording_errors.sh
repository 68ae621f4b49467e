#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replaying damaged recordings: a clear message naming the file and line,
# exit status 2, never a crash.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

expect_error() { # FILE PATTERN
	"$DROPTOP" --replay "$1" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 2 ] || fail "replay of $(basename "$1") exited $rc, expected 2"
	grep -q -- "$2" "$TMP/err" || fail "replay of $(basename "$1"): '$(cat "$TMP/err")' lacks '$2'"
}

printf 'droptop-recording 1\n@snapshot 1 2\n@source /proc/net/snmp\n' >"$TMP/trunc"
cat "$TEST_DATA_DIR/snmp/node_exporter.txt" >>"$TMP/trunc"
expect_error "$TMP/trunc" "trunc: line [0-9]*: file ends inside the snapshot"

printf 'not a recording\n' >"$TMP/garbage"
expect_error "$TMP/garbage" "garbage: line 1: not a droptop recording"

head -c 3000 /dev/urandom >"$TMP/random"
expect_error "$TMP/random" "random: line"

printf 'droptop-recording 1\n@snapshot 1 2\n@end\n' >"$TMP/one"
expect_error "$TMP/one" "has 1 snapshot, a report needs two"

printf 'droptop-recording 1\n@snapshot 5 10\n@end\n@snapshot 6 10\n@end\n' >"$TMP/same"
expect_error "$TMP/same" "not later than the first"

: >"$TMP/empty"
expect_error "$TMP/empty" "empty: line 1: empty file"
pass "damaged recordings rejected with a message"
