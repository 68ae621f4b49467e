#!/bin/sh
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
expect_usage --report --format xml
expect_usage --report --max-loss -5
expect_usage --report -i no-such-dev0
expect_usage --replay /nonexistent/file
expect_usage --netns droptop-no-such-ns
grep -q 'network namespace droptop-no-such-ns: /run/netns/droptop-no-such-ns: no such namespace' "$TMP/err" ||
	fail "--netns of a missing namespace: $(cat "$TMP/err")"
expect_usage --netns x --replay /nonexistent/file
expect_usage --netns ''
grep -q -- '--netns NAME' "$TMP/help" || fail "--help does not list --netns"
expect_usage --bogus-option
expect_usage extra-argument
pass "command line"
