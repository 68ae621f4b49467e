#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Command line: help, version, usage errors and their exit status.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

"$DROPTOP" --help >"$TMP/help" || fail "--help exited $?"
grep -q -- '--report' "$TMP/help" || fail "--help does not list --report"
"$DROPTOP" --version | grep -q '^droptop [0-9]' || fail "--version"

# That --help and the man page's OPTIONS agree is tests/help_man.sh's job.

expect_usage() {
	"$DROPTOP" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 2 ] || fail "droptop $* exited $rc, expected 2"
	grep -q 'droptop:' "$TMP/err" || fail "droptop $* printed no message"
}
expect_usage --report -d 0
expect_usage --report -d abc
# The message states the real limit, not only "> 0".
expect_usage --report -d 86401
grep -q 'at most 86400' "$TMP/err" || fail "-d 86401: $(cat "$TMP/err")"
expect_usage --report --format xml
expect_usage --report --max-loss -5
expect_usage --report -i no-such-dev0
expect_usage --replay /nonexistent/file
# -i with --replay: a device the recording lacks is refused as live mode
# refuses it; one it has is kept.
REC=$TEST_DATA_DIR/receiver/loopback-2threads.rec
expect_usage --replay "$REC" --report -i nosuchdev
grep -q 'no network device nosuchdev in the recording' "$TMP/err" ||
	fail "--replay -i nosuchdev: $(cat "$TMP/err")"
"$DROPTOP" --replay "$REC" --report -i eth0 >"$TMP/out" 2>"$TMP/err" ||
	fail "--replay -i eth0 exited $?: $(cat "$TMP/err")"
expect_usage --netns droptop-no-such-ns
grep -q 'network namespace droptop-no-such-ns: /run/netns/droptop-no-such-ns: no such namespace' "$TMP/err" ||
	fail "--netns of a missing namespace: $(cat "$TMP/err")"
expect_usage --netns x --replay /nonexistent/file
expect_usage --netns ''
grep -q -- '--netns NAME' "$TMP/help" || fail "--help does not list --netns"
expect_usage --bogus-option
expect_usage extra-argument
pass "command line"
