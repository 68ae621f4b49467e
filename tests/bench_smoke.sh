#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Keeps the scale bench from rotting: tests/bench/genhost writes the
# synthetic big host (here 8 and 256 CPUs, 4 mlx5 NICs x 64 queues, 2,000
# UDP sockets) and droptop replays it with every queue mapped to its
# mlx5_comp IRQ and that IRQ's CPU. The figures follow from genhost's
# formulas: queue q of NIC n is served by IRQ 100 + 65 n + 1 + q on CPU
# (64 n + q) mod CPUS; softnet dropped grows by CPU mod 7 per second.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd jq
GEN="$TESTS_DIR/bench/genhost"

check() { # JSON-FILE JQ-EXPR WHAT
	jq -e "$2" "$1" >/dev/null || fail "$3 (jq: $2)"
}

sh "$GEN" 8 4 64 2000 >"$TMP/h8.rec" || fail "genhost exited $?"
"$DROPTOP" --replay "$TMP/h8.rec" --all --format json >"$TMP/h8.json" ||
	fail "replay of the 8-CPU host exited $?"
J=$TMP/h8.json
check "$J" '(.queues | length) == 256' "4 x 64 RX queues"
check "$J" '(.sockets | length) == 2000' "2000 sockets"
check "$J" '.notes == []' "a synthetic source did not parse: $(jq -c .notes "$J")"
check "$J" '[.queues[] | select(.dev == "enp24s0f0np0" and .queue == 5)][0] |
	.irq == 171 and .cpus == "5" and .rx_pps == 50000' \
	"NIC 1 queue 5: IRQ 171 (mlx5_comp5) on CPU 5, 50000 pkt/s"
check "$J" '[.cpus[] | select(.cpu == 3)][0] | .dropped_ps == 3 and .serves_rx_irq' \
	"CPU 3: 3 dropped/s and serving an RX IRQ"

sh "$GEN" 256 4 64 2000 >"$TMP/h256.rec" || fail "genhost exited $?"
"$DROPTOP" --replay "$TMP/h256.rec" --all --format json >"$TMP/h256.json" ||
	fail "replay of the 256-CPU host exited $?"
J=$TMP/h256.json
check "$J" '(.cpus | length) == 256' "256 CPUs"
check "$J" '[.cpus[] | select(.serves_rx_irq)] | length == 256' \
	"each of the 256 queues' IRQs on its own CPU"
check "$J" '[.queues[] | select(.dev == "enp56s0f0np0" and .queue == 63)][0] |
	.irq == 359 and .cpus == "255"' "NIC 3 queue 63: IRQ 359 on CPU 255"
pass "synthetic big host replays"
