#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel's drop reasons, live, in two network namespaces this test
# creates (traffic stays on their loopbacks, 3000 datagrams per flood):
# - a flood to a closed port: NO_SOCKET on that port equals the UdpNoPorts
#   delta exactly, between the same two recorded snapshots;
# - a small socket never read: SOCKET_RCVBUFF equals the RcvbufErrors delta;
# - the drops of the other namespace are not counted;
# - the recording replays to the same JSON;
# - --no-drop-reasons, and user nobody: exit 0, one note, drop_reasons null.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "BPF and network namespaces"
need_cmd ip
need_cmd jq
"$DROPTOP" --help | grep -q -- --no-drop-reasons || fail "--no-drop-reasons not in --help"

ns=droptop-dr-$$
other=droptop-dro-$$
ip netns add "$ns" 2>/dev/null || skip "cannot create a network namespace"
cleanup() {
	kill $sink 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	ip netns del "$other" 2>/dev/null
	rm -rf "$TMP"
}
sink=
trap cleanup EXIT
ip netns add "$other" || fail "cannot create a second namespace"
ip -n "$ns" link set lo up && ip -n "$other" link set lo up || fail "lo up"

# A probe: without the BPF build or kernel support the rest cannot run.
"$DROPTOP" --netns "$ns" --report -d 0.1 --format json >"$TMP/probe.json" ||
	fail "droptop exited $?"
if jq -e '.drop_reasons == null' "$TMP/probe.json" >/dev/null; then
	skip "no drop reasons here: $(jq -r '[.notes[] | select(startswith("drop reasons"))][0]' "$TMP/probe.json")"
fi

ip netns exec "$ns" "$TEST_HELPERS/udpsink" 127.0.0.1 0 2048 20 >"$TMP/port" &
sink=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
full=$(cat "$TMP/port")
[ -n "$full" ] || fail "udpsink did not start"
closed=5361

"$DROPTOP" --netns "$ns" --report -d 4 --format json --record "$TMP/rec" >"$TMP/live.json" &
dt=$!
sleep 1.5
ip netns exec "$ns" "$TEST_HELPERS/udpflood" 127.0.0.1 $closed 3000 30000 2 >"$TMP/sent1"
ip netns exec "$ns" "$TEST_HELPERS/udpflood" 127.0.0.1 "$full" 3000 30000 2 >"$TMP/sent2"
ip netns exec "$other" "$TEST_HELPERS/udpflood" 127.0.0.1 5362 3000 30000 2 >/dev/null
wait $dt || fail "droptop exited $?"

# Source NAME of snapshot N of the recording.
recorded() { # N NAME
	awk -v n="$1" -v name="@source $2" '/^@snapshot / { s++ } /^@source / { on = (s == n && $0 == name); next }
	     on { print }' "$TMP/rec"
}
udp_counter() { # N COLUMN
	recorded "$1" /proc/net/snmp | awk -v c="$2" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "Udp:" && h { print $col[c]; exit }'
}
reason_count() { # N REASON PORT
	recorded "$1" drop-reasons | awk -v r="$2" -v p="$3" '$1 == r && $3 == "udp" && $4 == p { n += $6 } END { print n + 0 }'
}
noports=$(( $(udp_counter 2 NoPorts) - $(udp_counter 1 NoPorts) ))
rcvbuf=$(( $(udp_counter 2 RcvbufErrors) - $(udp_counter 1 RcvbufErrors) ))
nosock=$(( $(reason_count 2 NO_SOCKET $closed) - $(reason_count 1 NO_SOCKET $closed) ))
rcvbuff=$(( $(reason_count 2 SOCKET_RCVBUFF "$full") - $(reason_count 1 SOCKET_RCVBUFF "$full") ))

[ "$noports" = "$(cat "$TMP/sent1")" ] ||
	fail "UdpNoPorts delta $noports, $(cat "$TMP/sent1") sent: the flood was not between the snapshots"
[ "$nosock" = "$noports" ] || fail "NO_SOCKET on port $closed: $nosock, UdpNoPorts delta: $noports"
[ "$rcvbuf" -gt 0 ] || fail "no RcvbufErrors from a 2 KB socket flooded with $(cat "$TMP/sent2") datagrams"
[ "$rcvbuff" = "$rcvbuf" ] || fail "SOCKET_RCVBUFF on port $full: $rcvbuff, RcvbufErrors delta: $rcvbuf"
if grep -q ' 5362 ' "$TMP/rec"; then
	fail "drops of namespace $other (port 5362) counted in $ns"
fi
jq -e --argjson p $closed '[.drop_reasons[] | select(.reason == "NO_SOCKET" and .port == $p and .stage == "udp")] | length == 1' \
	"$TMP/live.json" >/dev/null || fail "no NO_SOCKET row at stage udp for port $closed: $(jq -c .drop_reasons "$TMP/live.json")"
jq -e '.stages[] | select(.stage == "socket") | .reasons | map(.reason) | index("SOCKET_RCVBUFF") != null' \
	"$TMP/live.json" >/dev/null || fail "the socket stage does not list SOCKET_RCVBUFF"

"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/live.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay of the recording differs from the live report"

# Without reasons: one note saying why, drop_reasons null, exit 0.
without() { # WHAT CMD...
	what=$1
	shift
	"$@" --report -d 0.2 --format json >"$TMP/w.json" 2>"$TMP/w.err" ||
		fail "$what: exit $?: $(cat "$TMP/w.err")"
	jq -e '.drop_reasons == null and ([.notes[] | select(startswith("drop reasons: "))] | length == 1)' \
		"$TMP/w.json" >/dev/null || fail "$what: drop_reasons $(jq -c '.drop_reasons, .notes' "$TMP/w.json")"
}
without "--no-drop-reasons" "$DROPTOP" --no-drop-reasons
if command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$DROPTOP" --version >/dev/null 2>&1; then
	without "user nobody" setpriv --reuid=65534 --regid=65534 --clear-groups "$DROPTOP"
	grep -q "no privileges" "$TMP/w.json" || fail "nobody's note does not say privileges"
	as_nobody=", nobody"
else
	as_nobody=" (nobody not run: cannot execute $DROPTOP)"
fi
pass "NO_SOCKET = UdpNoPorts = $noports, SOCKET_RCVBUFF = RcvbufErrors = $rcvbuf, other netns not counted, replay same, no-reasons note$as_nobody"
