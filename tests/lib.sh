# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for droptop's shell tests (sourced).
set -u

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "PASS: $*"; }

need_root() { [ "$(id -u)" = 0 ] || skip "needs root ($1)"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "needs the '$1' command"; }

: "${DROPTOP:?DROPTOP must point at the droptop binary}"
: "${TEST_DATA_DIR:?}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/droptop-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Asserts that two numbers differ by at most PCT percent of the second.
within_pct() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d;
		exit !(d <= (b < 0 ? -b : b) * p / 100 || d == 0) }'
}

# Live tests read host-wide counters (/proc/net/snmp): one at a time, even
# under make -j, so one test's flood is not another's noise.
live_lock() {
	need_cmd flock
	exec 9>"${TMPDIR:-/tmp}/droptop-live-tests.lock"
	flock -w 120 9 || fail "another live test held the lock for 120 s"
}

# For a test that compares namespace-wide counters (/proc/net/snmp): a
# network namespace of its own (lo up) where it runs droptop and its
# traffic through $IN_NETNS ("ip netns exec NAME"), so no other test's
# loopback traffic reaches those counters even under make -j. Without
# root (or ip), the traffic lock instead and IN_NETNS empty. The caller's
# EXIT trap must run own_netns_del.
own_netns() {
	NETNS=
	IN_NETNS=
	if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 &&
	   ip netns add "droptop-test-$$" 2>/dev/null; then
		NETNS=droptop-test-$$
		ip -n "$NETNS" link set lo up || fail "lo up in $NETNS"
		IN_NETNS="ip netns exec $NETNS"
	else
		live_lock
	fi
}
own_netns_del() { [ -z "${NETNS:-}" ] || ip netns del "$NETNS" 2>/dev/null; }

# netns_pair A B: network namespaces A and B, lo up in each; skips the
# test when namespaces cannot be made. The caller's EXIT trap deletes them
# (ip netns del), so set it first.
netns_pair() {
	ip netns add "$1" 2>/dev/null || skip "cannot create a network namespace"
	ip netns add "$2" || fail "ip netns add $2"
	ip -n "$1" link set lo up && ip -n "$2" link set lo up || fail "lo up in $1 and $2"
}

# veth_link NSA DEVA ADDRA NSB DEVB ADDRB: a veth pair from DEVA in NSA to
# DEVB in NSB, each end given its address (with prefix) and set up; skips
# when veth devices cannot be made.
veth_link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		skip "cannot create a veth pair"
	ip -n "$1" addr add "$3" dev "$2" && ip -n "$4" addr add "$6" dev "$5" &&
		ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up ||
		fail "setting up the veth pair $2/$5"
}

# wait_receiver ERRFILE: sets port to the one droptop --receive ADDR:0
# chose, from its "receiving on ADDR:PORT:" line in ERRFILE (waited for,
# at most 10 s); fails the test when the receiver does not start.
wait_receiver() {
	_i=0
	while ! grep -q 'receiving on' "$1" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	port=$(sed -n 's/.*receiving on .*:\([0-9][0-9]*\): .*/\1/p' "$1" | head -1)
	[ -n "$port" ] || fail "the receiver did not start: $(cat "$1")"
}

# send_totals TXOUT RXERR: sets sent (droptop-send's total), errors (its
# four error counts added) and received (droptop's receiver total).
send_totals() {
	sent=$(awk '$1 == "total:" { print $3 }' "$1")
	errors=$(awk '$1 == "total:" { print $(NF - 6) + $(NF - 4) + $(NF - 2) + $NF }' "$1")
	received=$(awk '$2 == "receiver" && $3 == "totals:" { print $5 }' "$2")
	[ -n "$sent" ] && [ -n "$received" ] || fail "missing totals: $(cat "$1" "$2")"
}
