#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Accuracy, live in a network namespace this test creates: droptop-send
# floods droptop's receiver (a 64 KiB socket buffer, so the socket stage
# drops) at a bounded rate for 10 s, inside droptop's 12 s report. Then,
# exactly, in integers:
#  - each stage's `lost` equals the deltas of its loss counters between
#    the recorded first and last snapshots (read here from the recording
#    with awk, not through droptop's parsers);
#  - the receiver's total equals the datagrams the kernel delivered to the
#    socket (the namespace's UdpInDatagrams delta);
#  - every packet sent is either received or counted lost at one stage.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}"
need_root "creates a network namespace"
need_cmd ip
need_cmd jq
live_lock   # softnet_stat is host-wide
NS=droptop-acc-$$
ip netns add "$NS" || skip "cannot create a network namespace"
trap 'kill $rx 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
rx=
ip -n "$NS" link set lo up

"$DROPTOP" --netns "$NS" --receive 127.0.0.1:0 --rcvbuf 64K --report -d 12 \
	--format json --record "$TMP/rec" >"$TMP/r.json" 2>"$TMP/rx.err" &
rx=$!
wait_receiver "$TMP/rx.err"
sleep 0.5
ip netns exec "$NS" "$DROPTOP_SEND" --rate 100000 --duration 10 "127.0.0.1:$port" \
	>"$TMP/tx.out" || fail "droptop-send exited $?"
wait $rx || fail "droptop exited $?: $(cat "$TMP/rx.err")"
rx=

# Field F of the "PREFIX:" rows of /proc/net/snmp in snapshot N (1-based).
snmp() { # N PREFIX FIELD
	awk -v n="$1" -v p="$2:" -v f="$3" '
		/^@snapshot / { s++; on = 0; next }
		/^@source / { on = (s == n && $0 == "@source /proc/net/snmp"); next }
		/^@/ { on = 0; next }
		on && $1 == p { if (!hdr) { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1 }
				else { print $(col[f]); exit } }' "$TMP/rec"
}
last=$(grep -c '^@snapshot ' "$TMP/rec")
delta() { echo $(($(snmp "$last" "$1" "$2") - $(snmp 1 "$1" "$2"))); }
# Sum of dropped + flow_limit_count (columns 2 and 10, hex) over the
# softnet_stat rows of snapshot N.
softnet() {
	t=0
	for h in $(awk -v n="$1" '
		/^@snapshot / { s++; on = 0; next }
		/^@source / { on = (s == n && $0 == "@source /proc/net/softnet_stat"); next }
		/^@/ { on = 0; next }
		on { print $2, $10 }' "$TMP/rec"); do
		t=$((t + 0x$h))
	done
	echo $t
}

lost() { jq ".stages[] | select(.stage == \"$1\") | .lost" "$TMP/r.json"; }
sent=$(awk '$1 == "total:" { print $3 }' "$TMP/tx.out")
received=$(awk '$2 == "receiver" && $3 == "totals:" { print $5 }' "$TMP/rx.err")
rcvbuf=$(delta Udp RcvbufErrors)
udp=$(($(delta Udp NoPorts) + $(delta Udp InErrors) - rcvbuf))
ip4=$(($(delta Ip InHdrErrors) + $(delta Ip InAddrErrors) + $(delta Ip InDiscards)))
indgrams=$(delta Udp InDatagrams)
softirq=$(($(softnet "$last") - $(softnet 1)))
echo "sent $sent received $received; kernel: InDatagrams $indgrams RcvbufErrors $rcvbuf udp $udp ip $ip4 softnet $softirq"
echo "droptop lost: softirq $(lost softirq) ip $(lost ip) udp $(lost udp) socket $(lost socket) app $(lost app)"
[ "$rcvbuf" -gt 0 ] || fail "the flood caused no socket drop: the test proves nothing"
[ "$(lost socket)" = "$rcvbuf" ] || fail "socket lost $(lost socket) != RcvbufErrors delta $rcvbuf"
[ "$(lost udp)" = "$udp" ] || fail "udp lost $(lost udp) != kernel delta $udp"
[ "$(lost softirq)" = "$softirq" ] || fail "softirq lost $(lost softirq) != softnet delta $softirq"
[ "$(lost ip)" -ge 0 ] && [ "$(lost ip)" -le "$ip4" ] ||
	fail "ip lost $(lost ip) outside the kernel's IPv4 delta $ip4"
[ "$received" = "$indgrams" ] ||
	fail "the receiver counted $received, the kernel delivered $indgrams"
total=$((received + $(lost softirq) + $(lost ip) + $(lost udp) + $(lost socket) + $(lost app)))
[ "$sent" = "$total" ] ||
	fail "sent $sent != received + every stage's lost = $total"
pass "$sent sent = $received received + $((total - received)) lost, each stage equal to the kernel's deltas"
