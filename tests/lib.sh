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
