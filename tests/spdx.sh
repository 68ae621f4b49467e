#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file of the checkout (tracked, or new and not ignored) names
# its licence in an SPDX line near its top, so a new file cannot forget it;
# and COPYING, the licence that line names, is at the root.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd git
TOP=$TESTS_DIR/..
SPDX='SPDX-License-Identifier: GPL-2.0-or-later'

# Only in the checkout itself: a dist tree unpacked inside one (make
# distcheck) is not what git lists.
[ "$(git -C "$TOP" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$TOP" && pwd -P)" ] ||
	skip "$TOP is not the top of a git checkout: the file list comes from git"
grep -q 'GNU GENERAL PUBLIC LICENSE' "$TOP/COPYING" &&
	grep -q 'Version 2, June 1991' "$TOP/COPYING" ||
	fail "COPYING is not the GPL-2.0 text"

# Source files: C, shell, automake/autoconf, man pages, the contrib files
# and any script with a #! line. Test data and fuzz inputs are not source.
is_source() {
	case "$1" in
	tests/data/*) return 1 ;;
	*.json) return 1 ;;  # data without comments (contrib's Grafana dashboard)
	*.c|*.h|*.sh|*.am|*.ac|*.in|*.bash-completion|contrib/*) return 0 ;;
	esac
	head -c 2 "$TOP/$1" | grep -q '^#!'
}

git -C "$TOP" ls-files --cached --others --exclude-standard > "$TMP/files" ||
	fail "git ls-files"
n=0
missing=
while IFS= read -r f; do
	[ -f "$TOP/$f" ] && is_source "$f" || continue
	n=$((n + 1))
	head -n 3 "$TOP/$f" | grep -qF "$SPDX" || missing="$missing $f"
done < "$TMP/files"
[ "$n" -gt 100 ] || fail "only $n source files found in $TOP"
[ -z "$missing" ] || fail "no '$SPDX' in the first 3 lines of:$missing"
pass "$n source files carry the SPDX line"
