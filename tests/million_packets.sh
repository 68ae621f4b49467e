#!/bin/sh
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
