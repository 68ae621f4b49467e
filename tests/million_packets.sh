#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/million-packets.sh in its short mode: three steps, each with
# droptop's verdict, within its time bound, and no namespace left behind.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "network namespaces"
need_cmd ip
need_cmd timeout
ip netns add droptop-mp-probe-$$ 2>/dev/null || skip "cannot create network namespaces"
ip netns del droptop-mp-probe-$$
live_lock
: "${DROPTOP_SEND:?}"
export DROPTOP DROPTOP_SEND

before=$(ip netns list | grep -c '^mpkt-')
start=$(date +%s)
timeout 60 sh "$TESTS_DIR/../contrib/million-packets.sh" --short -t 2 >"$TMP/out" 2>&1 ||
	fail "million-packets.sh exited $?: $(cat "$TMP/out")"
took=$(($(date +%s) - start))
[ "$took" -le 30 ] || fail "three 1 s steps took $took s"
[ "$(grep -c '^== ' "$TMP/out")" = 3 ] || fail "not three steps: $(cat "$TMP/out")"
[ "$(grep -c '^verdict: ' "$TMP/out")" = 3 ] || fail "not three verdicts: $(cat "$TMP/out")"
grep -q '^== 5. 2 flows, SO_REUSEPORT, 2 threads' "$TMP/out" || fail "no SO_REUSEPORT step"
# The receiver read packets in every step: an app row with a rate.
[ "$(grep -cE '^  app +[1-9][0-9]* ' "$TMP/out")" = 3 ] ||
	fail "the receiver did not read in every step: $(cat "$TMP/out")"
[ "$(ip netns list | grep -c '^mpkt-')" = "$before" ] || fail "namespaces left behind"
pass "million-packets.sh --short ($took s)"

# A namespace name already taken (the script names them after its pid):
# the script stops and deletes only the one it created.
sh -c 'ip netns add "mpkt-rx-$$" || exit 3; echo $$ >"$1"; exec sh "$2" --short' \
	sh "$TMP/pid" "$TESTS_DIR/../contrib/million-packets.sh" >"$TMP/taken" 2>&1
rc=$?
pid=$(cat "$TMP/pid")
taken_rx=$(ip netns list | grep -c "^mpkt-rx-$pid\\b")
taken_tx=$(ip netns list | grep -c "^mpkt-tx-$pid\\b")
ip netns del "mpkt-rx-$pid" 2>/dev/null
[ $rc = 1 ] || fail "with mpkt-rx-$pid taken: exit $rc, expected 1: $(cat "$TMP/taken")"
grep -q "cannot create namespace mpkt-rx-$pid" "$TMP/taken" || fail "no message: $(cat "$TMP/taken")"
[ "$taken_rx" = 1 ] || fail "the existing namespace mpkt-rx-$pid was deleted"
[ "$taken_tx" = 0 ] || fail "the namespace it made, mpkt-tx-$pid, was left"
pass "a name already taken: only the namespace it made is deleted"
