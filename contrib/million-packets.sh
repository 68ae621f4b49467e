#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The million-packets experiment, reproduced on one host: two network
# namespaces joined by a veth pair, droptop-send flooding UDP from one,
# droptop --receive reading in the other, and droptop's verdict for each
# step, numbered as in droptop(8)'s "million-packets experiment" (steps 1
# and 2 there need a real NIC):
#   3. one flow, one thread:          one CPU does all the work
#   4. several flows, one shared socket read by several threads
#   5. several flows, SO_REUSEPORT: one socket per thread
# Every step is bounded in time (about SECONDS + 3 s); the namespaces are
# deleted on exit, even on Ctrl-C. Needs root (ip netns).
#
# Usage: million-packets.sh [-d SECONDS] [-r PPS] [-t THREADS] [--short]
#   -d SECONDS  length of each step (default 5)
#   -r PPS      send rate, 0 for as fast as possible (default 0)
#   -t THREADS  receiver threads and flows of steps 4 and 5 (default 4)
#   --short     1 s steps at 50000 pkt/s: a quick check that it all works
# DROPTOP and DROPTOP_SEND name the binaries (default: droptop and
# droptop-send from the build tree next to this script, else from PATH).
set -u

secs=5 rate=0 threads=4
while [ $# -gt 0 ]; do
	case $1 in
	-d) secs=$2; shift ;;
	-r) rate=$2; shift ;;
	-t) threads=$2; shift ;;
	--short) secs=1 rate=50000 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "million-packets.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

here=$(cd "$(dirname "$0")" && pwd)
pick() { # NAME: the build tree's binary, else the one in PATH
	for b in "$here/../src/$1" "$here/../_build/src/$1"; do
		[ -x "$b" ] && { echo "$b"; return; }
	done
	command -v "$1"
}
DROPTOP=${DROPTOP:-$(pick droptop)}
DROPTOP_SEND=${DROPTOP_SEND:-$(pick droptop-send)}
[ -x "$DROPTOP" ] && [ -x "$DROPTOP_SEND" ] ||
	{ echo "million-packets.sh: droptop or droptop-send not found (build first, or set DROPTOP)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "million-packets.sh: needs root (network namespaces)" >&2; exit 2; }

TX=mpkt-tx-$$ RX=mpkt-rx-$$ VTX=mpkt0-$$ VRX=mpkt1-$$ PORT=5000
OUT=$(mktemp -d "${TMPDIR:-/tmp}/million-packets.XXXXXX")
made=
# Only the namespaces this run created: a name that already existed
# belongs to someone else.
cleanup() {
	for ns in $made; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One RX queue per receiver thread on the receiving side of the veth.
for ns in "$TX" "$RX"; do
	ip netns add "$ns" || { echo "million-packets.sh: cannot create namespace $ns" >&2; exit 1; }
	made="$made $ns"
done
ip link add "$VTX" netns "$TX" numtxqueues "$threads" type veth \
	peer name "$VRX" netns "$RX" numrxqueues "$threads" || exit 1
ip -n "$TX" addr add 198.51.100.1/24 dev "$VTX"
ip -n "$RX" addr add 198.51.100.2/24 dev "$VRX"
for ns in "$TX" "$RX"; do ip -n "$ns" link set lo up; done
ip -n "$TX" link set "$VTX" up
ip -n "$RX" link set "$VRX" up

# step TITLE RECEIVER-OPTIONS -- SENDER-OPTIONS: the receiver samples for
# SECONDS while the sender sends for SECONDS + 1, started just before.
step() {
	title=$1; shift
	ropts=
	while [ "$1" != -- ]; do ropts="$ropts $1"; shift; done
	shift
	echo "== $title"
	# shellcheck disable=SC2086 # the option lists are split on purpose
	timeout $((secs + 10)) ip netns exec "$TX" "$DROPTOP_SEND" \
		--duration $((secs + 1)) $( [ "$rate" = 0 ] || echo --rate "$rate" ) \
		"$@" 198.51.100.2:$PORT >"$OUT/send" 2>&1 &
	sender=$!
	# shellcheck disable=SC2086
	timeout $((secs + 10)) ip netns exec "$RX" "$DROPTOP" --report \
		-d "$secs" -i "$VRX" --receive 198.51.100.2:$PORT $ropts \
		>"$OUT/report" 2>&1
	rc=$?
	wait "$sender"
	[ $rc -le 1 ] || { echo "droptop exited $rc:"; cat "$OUT/report"; return 1; }
	grep -E '^(verdict|  hint):' "$OUT/report" || sed -n 1p "$OUT/report"
	grep -E '^ *(app|socket) ' "$OUT/report" | head -2
	echo
}

last=$((20000 + threads - 1))
step "3. one flow, one receiver thread" --threads 1 -- --src-ports 20000-20000 || exit 1
step "4. $threads flows, one shared socket, $threads threads" \
	--threads "$threads" --no-reuseport -- --src-ports 20000-$last --threads "$threads" || exit 1
step "5. $threads flows, SO_REUSEPORT, $threads threads" \
	--threads "$threads" -- --src-ports 20000-$last --threads "$threads" || exit 1
