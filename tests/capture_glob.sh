#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/droptop-capture.sh with a device named "vg*" beside files vgA and
# vgB in the current directory: the name is neither globbed nor split (a
# veth in a network namespace of our own).
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "a namespace with a device named 'vg*'"
need_cmd ip
need_cmd jq
script="$TESTS_DIR/../contrib/droptop-capture.sh"
NS=droptop-cap-$$
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip netns add "$NS" 2>/dev/null || skip "cannot create a network namespace"
ip -n "$NS" link add 'vg*' type veth peer name vgpeer 2>/dev/null ||
	skip "cannot create a veth pair"
mkdir "$TMP/cwd" && : >"$TMP/cwd/vgA" && : >"$TMP/cwd/vgB"
for opt in "" "-i vg*"; do
	# shellcheck disable=SC2086 # $opt is split on purpose; set -f keeps vg*
	(cd "$TMP/cwd" && set -f && ip netns exec "$NS" sh "$script" -n 2 -d 0.1 $opt \
		-o "$TMP/vg.rec") 2>"$TMP/vg.err" ||
		fail "capture ${opt:-of all devices} with a device 'vg*' exited $?: $(cat "$TMP/vg.err")"
	[ "$(grep -c '^@source sysfs vg\*$' "$TMP/vg.rec")" = 2 ] ||
		fail "no 'sysfs vg*' source in each snapshot (${opt:-all devices})"
	! grep -q 'vgA\|vgB' "$TMP/vg.rec" || fail "the name was globbed: $(grep 'vgA\|vgB' "$TMP/vg.rec" | head -1)"
	"$DROPTOP" --replay "$TMP/vg.rec" --format json >"$TMP/vg.json" || fail "replay of the vg* capture exited $?"
	jq -e '[.devices[]?.name] | index("vg*")' "$TMP/vg.json" >/dev/null ||
		fail "device 'vg*' not in the replayed report: $(jq -c '[.devices[]?.name]' "$TMP/vg.json")"
	rm -f "$TMP/vg.rec"
done
pass "a device named 'vg*' is captured as it is, files vgA vgB beside it"
