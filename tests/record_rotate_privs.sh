#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# As root, --record-keep rotates after droptop has given up its
# privileges: a directory root may write only through CAP_DAC_OVERRIDE
# (another user's, mode 755) is refused during set-up, naming the file and
# leaving nothing behind; the same directory without rotation, or made
# writable to all, is accepted, and the file there rotates.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "a directory root writes only through a capability"
id nobody >/dev/null 2>&1 || skip "needs the user nobody"

dir=$TMP/theirs
mkdir "$dir" && chown nobody "$dir" && chmod 755 "$dir" || fail "cannot set up $dir"
"$DROPTOP" --report -d 0.1 --record "$dir/r.rec" --record-keep 1 >/dev/null 2>"$TMP/err" &&
	fail "rotation into a directory writable only with privileges was accepted"
grep -q "r.rec: its directory lets droptop create and rename files only with privileges" "$TMP/err" ||
	fail "message: $(cat "$TMP/err")"
[ -z "$(ls "$dir")" ] || fail "a refused recording left $(ls "$dir")"

# Without rotation the file is created during set-up, with privileges.
"$DROPTOP" --report -d 0.1 --record "$dir/s.rec" >/dev/null 2>"$TMP/err" ||
	fail "--record without --record-keep refused: $(cat "$TMP/err")"
[ -s "$dir/s.rec" ] || fail "s.rec not written"

# Writable to all: accepted, and a 64K file does rotate (each snapshot
# of this host is several KB; at most 200 intervals of 0.05 s).
chmod 777 "$dir"
"$DROPTOP" -d 0.05 --count 200 --record "$dir/t.rec" --record-keep 1 --record-limit 64K \
	--report >/dev/null 2>"$TMP/err" || fail "world-writable directory: $(cat "$TMP/err")"
[ -s "$dir/t.rec.1" ] || fail "t.rec never rotated in 200 intervals"
pass "rotation checked at set-up against the privileges droptop keeps"
