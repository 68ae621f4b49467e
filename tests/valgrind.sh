#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The report mode under valgrind: no invalid access, no uninitialised
# value used, no leak (--leak-check=full, any error fails). A replay of a
# real recording, and a live report (with the receiver when the host
# allows sockets). Skipped without valgrind or in a sanitizer build.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd valgrind
if command -v ldd >/dev/null && ldd "$DROPTOP" 2>/dev/null | grep -q 'lib[at]san'; then
	skip "droptop is built with sanitizers, which valgrind cannot run"
fi
# The live runs load the drop-reason BPF program (as root): libbpf's bpf()
# calls need tests/valgrind.supp, and valgrind's notes on bpf commands it
# does not model (batch lookup, prog_bind_map) are not errors of droptop.
VG="valgrind -q --suppressions=$TESTS_DIR/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"

vg() { # NAME ARGS...
	name=$1; shift
	$VG --log-file="$TMP/$name.vg" "$DROPTOP" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	sed -i '/WARNING: unhandled eBPF command/d' "$TMP/$name.vg"
	if [ $rc = 99 ] || [ -s "$TMP/$name.vg" ]; then
		cat "$TMP/$name.vg"
		fail "$name: valgrind found errors"
	fi
	[ $rc = 0 ] || fail "$name: droptop exited $rc: $(cat "$TMP/$name.err")"
	pass "$name: clean under valgrind"
}

vg replay-text --replay "$TEST_DATA_DIR/receiver/loopback-2threads.rec"
vg replay-json --replay "$TEST_DATA_DIR/receiver/loopback-2threads.rec" --format json --all
vg live --report -d 0.5 --format json
vg live-receive --report -d 0.5 --receive 127.0.0.1:0
