#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# NOT_SPECIFIED drops by kernel function, live: in a network namespace this
# test creates, a veth pair receives 50 ARP requests for a multicast
# address, which arp_process() frees with kfree_skb() and no reason (Linux
# 5.17 to 6.18 at least). The recording's `location` lines must name
# arp_process with exactly those 50, never an address; the JSON lists it;
# the replay gives the same JSON; with kernel.kptr_restrict=2 (restored)
# there is one note and no location line.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "BPF, /proc/kallsyms addresses and network namespaces"
need_cmd ip
need_cmd jq
need_cmd python3

ns=droptop-loc-$$
ip netns add "$ns" 2>/dev/null || skip "cannot create a network namespace"
kptr=$(cat /proc/sys/kernel/kptr_restrict)
cleanup() {
	echo "$kptr" >/proc/sys/kernel/kptr_restrict
	ip netns del "$ns" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
ip -n "$ns" link set lo up &&
	ip -n "$ns" link add va type veth peer name vb &&
	ip -n "$ns" addr add 10.9.0.1/24 dev va &&
	ip -n "$ns" addr add 10.9.0.2/24 dev vb &&
	ip -n "$ns" link set va up && ip -n "$ns" link set vb up ||
	fail "cannot set up veth va/vb in $ns"
# Until link watch gives them a real qdisc, frames sent on va are lost.
i=0
while ip -n "$ns" link show | grep -Eq 'v[ab]@.*(qdisc noop|state DOWN)' && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

"$DROPTOP" --netns "$ns" --report -d 0.1 --format json >"$TMP/probe.json" ||
	fail "droptop exited $?"
if jq -e '.drop_reasons == null' "$TMP/probe.json" >/dev/null; then
	skip "no drop reasons here: $(jq -r '[.notes[] | select(startswith("drop reasons"))][0]' "$TMP/probe.json")"
fi

# N ARP requests (who-has 224.0.0.1) from va, received by vb.
cat >"$TMP/arp.py" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
mac = s.getsockname()[4]
arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac,
                  socket.inet_aton('10.9.0.1'), b'\0' * 6,
                  socket.inet_aton('224.0.0.1'))
for _ in range(int(sys.argv[2])):
    s.send(b'\xff' * 6 + mac + b'\x08\x06' + arp)
PY
sent=50

# Records -d SECONDS to FILE, sending the ARP requests once the first
# snapshot is written (attaching takes a while on a loaded machine).
record() { # FILE SECONDS
	"$DROPTOP" --netns "$ns" --report -d "$2" --format json --record "$1" >"$1.json" &
	dt=$!
	i=0
	while ! grep -q '^@end' "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^@end' "$1" || fail "no first snapshot in 10 s"
	ip netns exec "$ns" python3 "$TMP/arp.py" va $sent || fail "sending ARP failed"
	wait $dt || fail "droptop exited $?"
}
# `location arp_process N` of snapshot N of the recording.
located() { # FILE N
	awk -v n="$2" '/^@snapshot / { s++ } /^@source / { on = (s == n && $0 == "@source drop-reasons"); next }
	     on && $1 == "location" && $2 == "arp_process" { c += $3 } END { print c + 0 }' "$1"
}

record "$TMP/rec" 4
n=$(( $(located "$TMP/rec" 2) - $(located "$TMP/rec" 1) ))
[ "$n" = "$sent" ] ||
	fail "arp_process located $n NOT_SPECIFIED drops, $sent sent: $(grep '^location' "$TMP/rec" | tr '\n' ' ')"
if grep -Eq '^location [0-9a-f]{8,} ' "$TMP/rec"; then
	fail "an address recorded instead of a function name"
fi
jq -e '[.drop_reason_functions[] | select(.function == "arp_process" and .packets_ps > 0)] | length == 1' \
	"$TMP/rec.json" >/dev/null || fail "arp_process not in drop_reason_functions: $(jq -c .drop_reason_functions "$TMP/rec.json")"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/rec.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
"$DROPTOP" --replay "$TMP/rec" --format text | grep -q 'NOT_SPECIFIED by kernel function: arp_process' ||
	fail "the text report does not name arp_process"

# kptr_restrict=2 hides the addresses even from root: a note, no location.
# A second run attaches afresh and counts them again.
record "$TMP/again" 3
again=$(( $(located "$TMP/again" 2) - $(located "$TMP/again" 1) ))
[ "$again" = "$sent" ] || fail "second run: arp_process located $again, $sent sent"
echo 2 >/proc/sys/kernel/kptr_restrict || fail "cannot set kernel.kptr_restrict"
record "$TMP/hidden" 3
echo "$kptr" >/proc/sys/kernel/kptr_restrict
if grep -q '^location ' "$TMP/hidden"; then
	fail "location lines with kptr_restrict=2: $(grep '^location ' "$TMP/hidden")"
fi
jq -e '[.notes[] | select(contains("kptr_restrict"))] | length == 1' "$TMP/hidden.json" >/dev/null ||
	fail "no kptr_restrict note: $(jq -c .notes "$TMP/hidden.json")"
pass "arp_process: $n NOT_SPECIFIED drops located = $sent sent, no address recorded, replay same, kptr_restrict note"
