#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make install DESTDIR=... prefix=/usr puts every file where Debian looks
# for it, with the man pages' version filled in, and make uninstall takes
# them all away again.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${TOP_BUILDDIR:?}"
D=$TMP/root
${MAKE:-make} -s -C "$TOP_BUILDDIR" install DESTDIR="$D" prefix=/usr \
	>"$TMP/log" 2>&1 || fail "make install: $(tail -5 "$TMP/log")"

for f in usr/bin/droptop usr/bin/droptop-send; do
	[ -x "$D/$f" ] || fail "/$f not installed"
done
"$D/usr/bin/droptop" --version | grep -q '^droptop [0-9]' || fail "installed droptop does not run"
for f in usr/share/man/man8/droptop.8 usr/share/man/man8/droptop-send.8; do
	[ -f "$D/$f" ] || fail "/$f not installed"
	grep -q '@PACKAGE_VERSION@' "$D/$f" && fail "/$f: version not filled in"
done
C=usr/share/bash-completion/completions
[ -f "$D/$C/droptop" ] || fail "/$C/droptop not installed"
cmp -s "$D/$C/droptop" "$TESTS_DIR/../contrib/droptop.bash-completion" ||
	fail "/$C/droptop is not contrib/droptop.bash-completion"
[ "$(readlink "$D/$C/droptop-send")" = droptop ] || fail "/$C/droptop-send is not a link to droptop"
# Nothing else: each file installed is one of those above.
(cd "$D" && find . ! -type d | sort) >"$TMP/files"
[ "$(wc -l <"$TMP/files")" = 6 ] || fail "installed: $(tr '\n' ' ' <"$TMP/files")"
pass "install layout"

${MAKE:-make} -s -C "$TOP_BUILDDIR" uninstall DESTDIR="$D" prefix=/usr \
	>"$TMP/log" 2>&1 || fail "make uninstall: $(tail -5 "$TMP/log")"
left=$(cd "$D" && find . ! -type d)
[ -z "$left" ] || fail "left after uninstall: $left"
pass "uninstall"
