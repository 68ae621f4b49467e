#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replays recordings built from the real captures in tests/data (see
# mkrec.sh: the first snapshot has the counters zeroed, the second is the
# capture, 1 s apart) and checks concrete figures from those captures.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_DIR/mkrec.sh"
need_cmd jq
D=$TEST_DATA_DIR

replay() { # REC → JSON on stdout, every row
	"$DROPTOP" --replay "$1" --all --format json || fail "replay of $1 exited $?"
}

check() { # JSON-FILE JQ-EXPR WHAT
	jq -e "$2" "$1" >/dev/null || fail "$3 (jq: $2)"
}

# --- ethtool -S of every driver: RX queues and their figures -------------
# file | RX queues expected | a jq check of a concrete figure from the file
while IFS='|' read -r file nq expr; do
	[ -n "$file" ] || continue
	mkrec "$TMP/rec" "ethtool -S eth0" "$D/ethtool-S/$file"
	replay "$TMP/rec" >"$TMP/j"
	check "$TMP/j" "[.queues[] | select(.dev == \"eth0\")] | length == $nq" \
		"$file: expected $nq RX queues, got $(jq '[.queues[]|select(.dev=="eth0")]|length' "$TMP/j")"
	[ -z "$expr" ] || check "$TMP/j" "$expr" "$file: figure check failed"
done <<'EOF_TABLE'
bnx2x-ethq.txt|8|([.queues[].rx_pps] | add) == 1606567562
bnxt_en-ethq.txt|12|(.queues[] | select(.queue == 0) | .drops_pps == 11763190) and (.queues[] | select(.queue == 4) | .drops_pps == 10455357) and .stages[0].lost_pps == 655479471
e1000e-ethq.txt|0|.devices[0].nic_lost_pps == 0
ena-aws-k5.4.txt|2|([.queues[].rx_pps] | add) == 218238 and .stages[0].lost_pps == null
ena-ethq.txt|4|([.queues[].rx_pps] | add) == 25745637
gve-gcp-c4a-arm64.txt|2|all(.queues[]; .rx_pps == null)
i40e-showmax-rhel8-k4.18.0-348.txt|48|([.queues[].rx_pps] | add) == 2946091121154
i40e-showmax-rhel8-k4.18.0-448.txt|129|([.queues[].rx_pps] | add) == 258269468302
ice-ethq.txt|128|([.queues[].rx_pps] | add) == 12117452
igb-showmax-rhel8.txt|8|all(.queues[]; .rx_pps == 0 and .drops_pps == 0)
ixgbe-usrp-users-eno2.txt|64|.queues[] | select(.queue == 20) | .rx_pps == 146646
mlx5_core-ethq.txt|16|([.queues[].rx_pps] | add) == 845320277
mlx5_core-xdp-k5.15-nonzero-only-bpf-list.txt|1|.stages[0].lost_pps == 59649371605 and .verdict.stage == "nic"
mlx5_core-xdp-k6.5-nonzero-only-bpf-list.txt|1|.stages[0].lost_pps == 441602169681
sfc-ethq.txt|12|.queues[] | select(.queue == 4) | .rx_pps == 225
virtio_net-do-k5.15.txt|1|.queues[0].rx_pps == 1869634984
virtio_net-ethq.txt|2|([.queues[].rx_pps] | add) == 20683987
virtio_net-gcp-k6.14.txt|2|all(.queues[]; .rx_pps == null and .drops_pps == 0)
vmxnet3-ethq.txt|2|([.queues[].rx_pps] | add) == 475703
EOF_TABLE
pass "ethtool -S captures of every driver"

# --- rss-imbalance: the sfc capture with all new packets on queue 4 ------
awk '/^rx-4\.rx_packets:/ { $2 += 500000 } { print }' "$D/ethtool-S/sfc-ethq.txt" >"$TMP/sfc2"
printf 'UDP over IPV4 flows use these fields for computing Hash flow key:\nIP SA\nIP DA\n\n' >"$TMP/hash"
{
	echo "droptop-recording 1"
	echo "@snapshot 1700000000.0 100.0"
	echo "@source ethtool -S eth0"; cat "$D/ethtool-S/sfc-ethq.txt"
	echo "@source ethtool -n eth0 rx-flow-hash udp4"; cat "$TMP/hash"
	echo "@end"
	echo "@snapshot 1700000001.0 101.0"
	echo "@source ethtool -S eth0"; cat "$TMP/sfc2"
	echo "@source ethtool -n eth0 rx-flow-hash udp4"; cat "$TMP/hash"
	echo "@end"
} >"$TMP/rss.rec"
replay "$TMP/rss.rec" >"$TMP/j"
check "$TMP/j" '.findings[] | select(.id == "rss-imbalance") | .detail | test("queue 4\\b")' \
	"rss-imbalance does not name queue 4: $(jq -c .findings "$TMP/j")"
check "$TMP/j" '.findings[] | select(.id == "rss-imbalance") | .detail | test("sdfn")' \
	"rss-imbalance does not give the hash fix"
check "$TMP/j" '.queues[] | select(.queue == 4) | .rx_pps == 500000 and .share == 1' \
	"queue 4 should carry 500000 pkt/s, all of it"
pass "rss-imbalance names queue 4"

# --- softnet_stat: the dropped column, CPU index with a CPU missing ------
mkrec "$TMP/rec" /proc/net/softnet_stat "$D/softnet_stat/13col-rhel9-5cpu-insights-core.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '[.cpus[] | .dropped_ps] == [25219, 1094, 19399, 32302, 187284]' \
	"13-column softnet dropped per CPU: $(jq -c '[.cpus[]|.dropped_ps]' "$TMP/j")"
check "$TMP/j" '.stages[] | select(.stage == "softirq") | .lost_pps == 265298' "softirq stage loss"
check "$TMP/j" '.findings | map(.id) | index("backlog-drops") != null' "no backlog-drops finding"
mkrec "$TMP/rec" /proc/net/softnet_stat "$D/softnet_stat/13col-9cpu-cpu6-offline-sysstat.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '[.cpus[] | .cpu] == [0, 1, 2, 3, 4, 5, 7, 8]' \
	"CPU numbers from the index column: $(jq -c '[.cpus[]|.cpu]' "$TMP/j")"
check "$TMP/j" '.cpus[] | select(.cpu == 7) | .processed_ps == 18776' "CPU 7 processed (0x4958)"
pass "softnet_stat columns"

# --- snmp + udp sockets of one real host ---------------------------------
mkrec "$TMP/rec" /proc/net/snmp "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt" \
	/proc/net/udp "$D/proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '.stages[] | select(.stage == "udp") | .lost_pps == 8200' "udp lost = NoPorts 92 + InErrors 8109 - RcvbufErrors 1"
check "$TMP/j" '.stages[] | select(.stage == "socket") | .lost_pps == 1' "socket lost = RcvbufErrors 1"
check "$TMP/j" '.stages[] | select(.stage == "ip") | .in_pps == 54412186' "ip in = InReceives"
# 54412186 in, 54339383 delivered, nothing forwarded or counted lost at IP:
# the 72803 others are the ip stage's remainder, the largest loss.
check "$TMP/j" '.stages[] | select(.stage == "ip") | .lost_pps == 72803' "ip lost = InReceives - InDelivers"
check "$TMP/j" '.verdict.stage == "ip"' "verdict should be ip (the remainder)"
check "$TMP/j" '.sockets[] | select(.lport == 5353) | .drops == 8109 and .uid == 105' "mDNS socket drops 8109"
check "$TMP/j" '.findings | map(.id) | index("no-listener") != null' "no no-listener finding"
pass "snmp and udp sockets"

# --- snmp + netstat of the same host: counters name part of the remainder --
mkrec "$TMP/rec" /proc/net/snmp "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt" \
	/proc/net/netstat "$D/netstat/ubuntu-k3.13-csm-proc-snapshot.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '.stages[] | select(.stage == "ip") | .counters.TcpExtIPReversePathFilter == 477' "IPReversePathFilter 477"
check "$TMP/j" '.stages[] | select(.stage == "ip") | .counters.IpExtInNoRoutes == 28' "InNoRoutes 28"
check "$TMP/j" '.stages[] | select(.stage == "ip") | .counters["not delivered, no counter names it"] == 72298' \
	"remainder = 72803 - 477 - 28"
check "$TMP/j" '.stages[] | select(.stage == "ip") | .lost_pps == 72803' "ip lost still 72803"
check "$TMP/j" '.findings | map(.id) | index("rp-filter") != null' "no rp-filter finding"
pass "netstat: IpExt and TcpExt counters at the ip stage"

# --- sock_diag sockets (`sockets`) of a namespace with a REUSEPORT group --
mkrec "$TMP/rec" /proc/net/snmp "$D/snmp/netns-reuseport4-k6.18.txt" \
	sockets "$D/sockets/reuseport4-netns-k6.18.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '.socket_source == "sock_diag"' "socket rows not from sock_diag"
check "$TMP/j" '.stages[] | select(.stage == "socket") | .lost_pps == 19996' "socket lost = RcvbufErrors 19996"
check "$TMP/j" '[.sockets[].drops] | add == 19996' "per-socket drops should sum to 19996"
check "$TMP/j" '.sockets[] | select(.inode == 198738) | .rcvbuf == 4096 and .rx_queue == 3328 and .pid == 2657 and .drops_share == 1' \
	"socket 198738: rcvbuf, queue, owner, share"
check "$TMP/j" '.socket_groups == [{"family": "ipv4", "local": "192.0.2.2", "lport": 9999, "members": 4, "drops": 19996, "drops_ps": 19996, "rx_queue": 3328, "packets_ps": null}]' \
	"the REUSEPORT group: $(jq -c .socket_groups "$TMP/j")"
check "$TMP/j" '.findings[] | select(.id == "reuseport-imbalance") | .detail | startswith("192.0.2.2:9999, 4 sockets share the port: inode 198738 pid 2657 (udpsink) takes 100%")' \
	"reuseport-imbalance: $(jq -c .findings "$TMP/j")"
check "$TMP/j" '.findings[] | select(.id == "rcvbuf-overflow") | .detail | contains("queued 3328 B of rcvbuf 4096 B, 81% full")' \
	"rcvbuf-overflow should give the socket's fill"
# /proc/net/udp recorded as well: sock_diag's rows win, none is doubled.
mkrec "$TMP/rec" sockets "$D/sockets/reuseport4-netns-k6.18.txt" \
	/proc/net/udp "$D/proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '(.sockets | length) == 5 and .socket_source == "sock_diag"' "sockets doubled"
pass "sockets source, REUSEPORT group"

# --- every other capture replays cleanly ---------------------------------
for pair in "/proc/net/snmp snmp" "/proc/net/snmp6 snmp6" "/proc/softirqs softirqs" \
	"/proc/stat stat" "/proc/interrupts interrupts" "/proc/net/udp proc-net-udp" \
	"/proc/net/softnet_stat softnet_stat" "sockets sockets"; do
	name=${pair% *}
	for f in "$D/${pair#* }"/*.txt; do
		mkrec "$TMP/rec" "$name" "$f"
		replay "$TMP/rec" >"$TMP/j"
		check "$TMP/j" '.stages | length == 7' "$(basename "$f"): no waterfall"
		check "$TMP/j" '.notes | length == 0' "$(basename "$f"): notes $(jq -c .notes "$TMP/j")"
	done
done
# A 16-possible-CPU softirqs file with 8 online: NET_RX skewed to CPU 2.
mkrec "$TMP/rec" /proc/softirqs "$D/softirqs/16possible-8online-cpu-ubuntu-k3.13-csm-proc-snapshot.txt"
replay "$TMP/rec" >"$TMP/j"
check "$TMP/j" '[.cpus[] | select(.net_rx_ps > 0)] | max_by(.net_rx_ps) | .cpu == 2' "NET_RX not busiest on CPU 2"
pass "every /proc capture replays"

# --- --max-loss: exit 1 above the threshold, 0 below ---------------------
mkrec "$TMP/rec" /proc/net/softnet_stat "$D/softnet_stat/13col-rhel9-5cpu-insights-core.txt"
"$DROPTOP" --replay "$TMP/rec" --max-loss 1000 >/dev/null 2>"$TMP/err"
[ $? = 1 ] || fail "--max-loss 1000 with 265298 pkt/s lost should exit 1"
[ "$(cat "$TMP/err")" = "droptop: loss 265298 pkt/s above --max-loss 1000 (worst stage: softirq)" ] ||
	fail "--max-loss stderr line: '$(cat "$TMP/err")'"
"$DROPTOP" --replay "$TMP/rec" --max-loss 300000 >/dev/null 2>"$TMP/err" || fail "--max-loss 300000 should exit 0"
[ ! -s "$TMP/err" ] || fail "stderr below --max-loss: $(cat "$TMP/err")"
pass "--max-loss exit status"
