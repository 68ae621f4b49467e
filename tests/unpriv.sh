#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# droptop as user nobody: every source the kernel allows still works
# (sock_diag lists every UDP socket to anyone), what is refused (other
# users' /proc/PID/fd, so the owner of a root socket) is named once in the
# notes and never aborts the run; --netns (missing, or not permitted) is
# refused with exit status 2 and a reason; the receiver needs no privilege.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "switching to user nobody"
need_cmd setpriv
need_cmd jq
# Run directly (not from a shell function) so that $! is the program.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
as_nobody() { $NOBODY "$@"; }
as_nobody "$DROPTOP" --version >/dev/null 2>&1 ||
	skip "user nobody cannot run $DROPTOP (directory permissions)"

"$TEST_HELPERS/udpsink" 127.0.0.1 0 0 15 >"$TMP/root.port" &
s1=$!
$NOBODY "$TEST_HELPERS/udpsink" 127.0.0.1 0 0 15 >"$TMP/nobody.port" &
s2=$!
trap 'kill $s1 $s2 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while { [ ! -s "$TMP/root.port" ] || [ ! -s "$TMP/nobody.port" ]; } && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
rport=$(cat "$TMP/root.port")
nport=$(cat "$TMP/nobody.port")

as_nobody "$DROPTOP" --report -d 0.5 --format json >"$TMP/j" 2>"$TMP/err" ||
	fail "droptop as nobody exited $?: $(cat "$TMP/err")"
check() { # JQ-EXPR WHAT
	jq -e "$1" "$TMP/j" >/dev/null || fail "$2 (jq: $1)"
}
check '.socket_source == "sock_diag"' "sock_diag refused to nobody"
check '.stages[] | select(.stage == "udp") | .in_pps != null' "no Udp counters"
check "[.sockets[] | select(.lport == $rport)] | length == 1 and .[0].pid == null and .[0].rcvbuf > 0" \
	"root's socket on port $rport: listed, owner unknown, rcvbuf known"
check "[.sockets[] | select(.lport == $nport)][0] | .pid == $s2 and .comm == \"udpsink\"" \
	"nobody's own socket on port $nport must name its process $s2"
check '[.notes[] | select(contains("/proc/PID/fd"))] | length == 1' \
	"the unreadable /proc/PID/fd must be one note: $(jq -c .notes "$TMP/j")"
check '(.notes | length) == (.notes | unique | length)' "a note is repeated"
echo "notes as nobody: $(jq -c .notes "$TMP/j")"

as_nobody "$DROPTOP" --netns droptop-no-such-$$ >/dev/null 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "--netns of a missing namespace exited $rc, expected 2"
grep -q "droptop-no-such-$$.*no such namespace" "$TMP/err" || fail "message: $(cat "$TMP/err")"
# An existing namespace that nobody may not enter: refused, exit 2, and
# the message says what is needed.
ns=droptop-unpriv-$$
if ip netns add "$ns" 2>/dev/null; then
	as_nobody "$DROPTOP" --netns "$ns" --report -d 0.1 >/dev/null 2>"$TMP/err"
	rc=$?
	ip netns del "$ns"
	[ $rc = 2 ] || fail "--netns without permission exited $rc, expected 2"
	grep -q "$ns: setns: permission denied (needs CAP_SYS_ADMIN" "$TMP/err" ||
		fail "--netns without permission: $(cat "$TMP/err")"
fi

# The receiver needs no privilege: nobody receives and prints its totals.
as_nobody "$DROPTOP" --receive 127.0.0.1:0 --report -d 0.3 >/dev/null 2>"$TMP/err" ||
	fail "the receiver as nobody exited $?: $(cat "$TMP/err")"
grep -q '^droptop: receiver totals: packets 0 ' "$TMP/err" ||
	fail "no receiver totals as nobody: $(cat "$TMP/err")"
pass "unprivileged: sockets listed, refusals noted once"
