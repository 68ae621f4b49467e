#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --record FILE as root: never through a planted symbolic link, never over
# an existing file without --overwrite, mode 0600 whatever the umask, and
# on a full disk the reason named, the report still printed, the partial
# file removed.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"

rec() { # ARGS...: a short live report; stdout, stderr and status kept
	"$DROPTOP" --report -d 0.1 "$@" >"$TMP/out" 2>"$TMP/err"
	echo $? >"$TMP/rc"
}
expect() { # STATUS PATTERN WHAT
	[ "$(cat "$TMP/rc")" = "$1" ] ||
		fail "$3: exit $(cat "$TMP/rc"), expected $1 ($(cat "$TMP/err"))"
	grep -q -- "$2" "$TMP/err" || fail "$3: '$(cat "$TMP/err")' lacks '$2'"
}
is_recording() { [ "$(head -n 1 "$1")" = "droptop-recording 1" ]; }

# A symbolic link planted where the recording goes, to a file only its
# owner may write: refused, with or without --overwrite; the target keeps
# its bytes.
echo "precious" >"$TMP/target"
chmod 600 "$TMP/target"
ln -s "$TMP/target" "$TMP/link"
rec --record "$TMP/link"
expect 2 "link: exists and is not a regular file (a symbolic link)" "symlink"
rec --record "$TMP/link" --overwrite
expect 2 "a symbolic link" "symlink with --overwrite"
[ "$(cat "$TMP/target")" = precious ] || fail "the symlink's target was written"
[ -L "$TMP/link" ] || fail "the symlink was removed"
# A dangling link too: O_EXCL does not create its target.
ln -s "$TMP/nowhere" "$TMP/dangling"
rec --record "$TMP/dangling"
expect 2 "a symbolic link" "dangling symlink"
[ ! -e "$TMP/nowhere" ] || fail "a dangling symlink's target was created"
pass "a planted symbolic link is refused, its target untouched"

# An existing file: refused and kept without --overwrite, replaced with it.
echo "old" >"$TMP/old.rec"
rec --record "$TMP/old.rec"
expect 2 "old.rec: exists; --overwrite replaces it" "existing file"
[ "$(cat "$TMP/old.rec")" = old ] || fail "an existing file was changed"
rec --record "$TMP/old.rec" --overwrite
[ "$(cat "$TMP/rc")" = 0 ] || fail "--overwrite: exit $(cat "$TMP/rc"): $(cat "$TMP/err")"
is_recording "$TMP/old.rec" || fail "--overwrite did not replace the file"
"$DROPTOP" --replay "$TMP/old.rec" >/dev/null || fail "the replaced file does not replay"
mkdir "$TMP/dir"
rec --record "$TMP/dir" --overwrite
expect 2 "dir: exists and is not a regular file" "a directory"
rec --overwrite
expect 2 "overwrite needs --record" "--overwrite alone"
# Set-up failing after the file was made (no such device): no empty file
# is left to block the next run.
rec --record "$TMP/nodev.rec" -i no-such-dev0
expect 2 "no-such-dev0: no such network device" "unknown device"
[ ! -e "$TMP/nodev.rec" ] || fail "an empty recording was left after a failed set-up"
pass "an existing file is refused, replaced with --overwrite"

# Mode 0600 even under umask 000: the file names every socket's owner.
(umask 000 && rec --record "$TMP/mode.rec")
[ "$(stat -c %a "$TMP/mode.rec")" = 600 ] ||
	fail "mode $(stat -c %a "$TMP/mode.rec"), expected 600"
pass "the recording's mode is 0600"

# A full disk: a 4 KiB tmpfs in a mount namespace of our own holds less
# than one snapshot.
need_root "mounting a tmpfs"
need_cmd unshare
mkdir "$TMP/full"
unshare -m sh -c 'mount -t tmpfs -o size=4k droptop-test "$1" || exit 77
	"$2" --report -d 0.1 --record "$1/r.rec" >"$3/out" 2>"$3/err"
	echo $? >"$3/rc"
	ls -A "$1" >"$3/left"' sh "$TMP/full" "$DROPTOP" "$TMP"
[ -s "$TMP/rc" ] || skip "cannot mount a tmpfs in a private mount namespace"
expect 2 "r.rec: No space left on device; the incomplete recording was removed" "ENOSPC"
grep -q '^verdict: ' "$TMP/out" || fail "no report printed after the write error"
[ ! -s "$TMP/left" ] || fail "partial file left behind: $(cat "$TMP/left")"
pass "a full disk: reason named, report printed, partial file removed"
