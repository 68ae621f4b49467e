#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# No false loss at the ip stage (namespaces this test creates):
# 1. a TCP flow beside a UDP flow that droptop's receiver keeps up with:
#    InDelivers counts both, and TCP must never show as UDP or IP loss;
# 2. a router namespace between two others: forwarded packets are
#    forwarded, not lost.
# Each gives 0 lost and no finding.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_root "creates network namespaces and veth devices"
need_cmd ip
need_cmd jq
need_cmd python3
A=droptop-nla-$$
B=droptop-nlb-$$
C=droptop-nlc-$$
for ns in "$A" "$B" "$C"; do ip netns add "$ns" || skip "cannot create a network namespace"; done
pids=
trap 'kill $pids 2>/dev/null; wait 2>/dev/null; for ns in "$A" "$B" "$C"; do ip netns del "$ns"; done; rm -rf "$TMP"' EXIT
# A (10.95.1.1) -- B (router) -- C (10.95.2.1)
ip link add a1 netns "$A" type veth peer name b1 netns "$B" || skip "no veth support"
ip link add c1 netns "$C" type veth peer name b2 netns "$B" || fail "second veth pair"
ip -n "$A" addr add 10.95.1.1/24 dev a1
ip -n "$B" addr add 10.95.1.2/24 dev b1
ip -n "$B" addr add 10.95.2.2/24 dev b2
ip -n "$C" addr add 10.95.2.1/24 dev c1
for d in lo a1; do ip -n "$A" link set "$d" up; done
for d in lo b1 b2; do ip -n "$B" link set "$d" up; done
for d in lo c1; do ip -n "$C" link set "$d" up; done
ip -n "$A" route add default via 10.95.1.2
ip -n "$C" route add default via 10.95.2.2
ip netns exec "$B" sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward in $B"

no_loss() { # REPORT WHAT
	jq -e '.total_lost_pps == 0' "$1" >/dev/null ||
		fail "$2: lost $(jq -c '[.stages[] | {stage, lost_pps}]' "$1")"
	jq -e '.verdict.stage == "none"' "$1" >/dev/null || fail "$2: verdict $(jq -c .verdict "$1")"
	# A time squeeze is no loss, and /proc/net/softnet_stat is host-wide,
	# not the namespace's: a loaded host (CI under the sanitizers) really
	# runs out of NET_RX budget now and then. Every other finding fails.
	jq -e '[.findings[] | select(.id != "time-squeeze")] == []' "$1" >/dev/null ||
		fail "$2: findings $(jq -c .findings "$1")"
}

# 1. TCP and UDP from A to B, B receives both.
ip netns exec "$B" python3 -c '
import socket
s = socket.socket(); s.bind(("10.95.1.2", 5001)); s.listen(1)
c, _ = s.accept()
while c.recv(65536): pass' &
pids="$pids $!"
sleep 0.3
ip netns exec "$A" python3 -c '
import socket, sys, time
for i in range(100):
    try:
        s = socket.create_connection(("10.95.1.2", 5001)); break
    except ConnectionRefusedError:
        time.sleep(0.1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
open(sys.argv[1], "w").close()
end = time.time() + 5
while time.time() < end:
    s.sendall(b"x" * 100); time.sleep(0.0005)' "$TMP/connected" &
pids="$pids $!"
for i in $(seq 100); do [ -e "$TMP/connected" ] && break; sleep 0.1; done
[ -e "$TMP/connected" ] || fail "the TCP flow did not start"
ip netns exec "$A" "$DROPTOP_SEND" -r 3000 -d 5 10.95.1.2:5000 >"$TMP/send" 2>&1 &
pids="$pids $!"
sleep 0.5
"$DROPTOP" --netns "$B" --receive 10.95.1.2:5000 --rcvbuf 8M --report -d 2 --format json \
	>"$TMP/tcp.json" || fail "droptop exited $?"
no_loss "$TMP/tcp.json" "TCP beside UDP"
tcp_ip_in=$(jq '.stages[] | select(.stage == "ip") | .in_pps' "$TMP/tcp.json")
udp_in=$(jq '.stages[] | select(.stage == "udp") | .in_pps' "$TMP/tcp.json")
# the TCP segments (small, unmerged) make the ip input larger than udp's
awk -v i="$tcp_ip_in" -v u="$udp_in" 'BEGIN { exit !(u > 1500 && i > u + 300) }' ||
	fail "ip in $tcp_ip_in/s, udp in $udp_in/s: no TCP beside UDP"
wait
pids=

# 2. UDP from A to C through B; B is watched.
ip netns exec "$C" "$TEST_HELPERS/udpsink" 10.95.2.1 5000 0 6 >/dev/null &
pids="$pids $!"
ip netns exec "$A" "$DROPTOP_SEND" -r 5000 -d 4 10.95.2.1:5000 >"$TMP/send" 2>&1 &
pids="$pids $!"
sleep 0.5
"$DROPTOP" --netns "$B" --report -d 2 --format json --record "$TMP/rec" >"$TMP/fwd.json" ||
	fail "droptop exited $?"
no_loss "$TMP/fwd.json" "forwarding"
fwd=$(jq '.stages[] | select(.stage == "ip") | .counters.IpForwDatagrams' "$TMP/fwd.json")
ip_in=$(jq '.stages[] | select(.stage == "ip") | .in_pps' "$TMP/fwd.json")
awk -v f="$fwd" 'BEGIN { exit !(f > 2000) }' || fail "ForwDatagrams $fwd/s, expected about 5000/s"
within_pct "$fwd" "$ip_in" 2 || fail "ip in $ip_in/s, forwarded $fwd/s"
"$DROPTOP" --replay "$TMP/rec" --format json >"$TMP/replay.json" || fail "replay exited $?"
jq -S 'del(.source, .notes)' "$TMP/fwd.json" >"$TMP/a"
jq -S 'del(.source, .notes)' "$TMP/replay.json" >"$TMP/b"
diff -u "$TMP/a" "$TMP/b" >&2 || fail "the replay differs from the live report"
pass "no false loss: TCP beside UDP (ip in $tcp_ip_in/s, udp $udp_in/s), forwarding ($fwd/s forwarded)"
