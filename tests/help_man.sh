#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --help and the man page list the same long options, for droptop and for
# droptop-send: an option added to one and not the other fails here.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
: "${DROPTOP_SEND:?}" "${MAN_DIR:?}"

# The long options a --help text defines: the first one on each line
# that starts with an option ("  -d, --interval SECONDS ...").
help_opts() {
	sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u
}

# The long options a man page defines: the tag line after each .TP of its
# OPTIONS section (roff's \- read as -).
man_opts() {
	awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 }
	     on && tag { print; tag = 0 } on && /^\.TP/ { tag = 1 }' "$1" |
		sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z-]*' | sort -u
}

check() { # NAME BINARY MANPAGE
	"$2" --help >"$TMP/$1.help" || fail "$1 --help exited $?"
	help_opts <"$TMP/$1.help" >"$TMP/$1.h"
	man_opts "$3" >"$TMP/$1.m"
	[ -s "$TMP/$1.h" ] || fail "$1 --help lists no option"
	diff "$TMP/$1.h" "$TMP/$1.m" >"$TMP/$1.diff" ||
		fail "$1: --help (<) and $3 (>) differ: $(tr '\n' ' ' <"$TMP/$1.diff")"
	echo "$1: $(wc -l <"$TMP/$1.h") long options in both"
}

check droptop "$DROPTOP" "$MAN_DIR/droptop.8.in"
check droptop-send "$DROPTOP_SEND" "$MAN_DIR/droptop-send.8.in"
"$DROPTOP_SEND" --version | grep -q '^droptop-send [0-9]' || fail "droptop-send --version"
"$DROPTOP_SEND" --threads 0 127.0.0.1:9 >/dev/null 2>"$TMP/err"
[ $? = 2 ] || fail "droptop-send --threads 0 did not exit 2"
grep -q 'droptop-send: --threads: 0 is out of range' "$TMP/err" || fail "no message for --threads 0"
"$DROPTOP" --threads 2 >/dev/null 2>"$TMP/err"
[ $? = 2 ] || fail "droptop --threads without --receive did not exit 2"
grep -q -- '--threads needs --receive' "$TMP/err" || fail "no message for --threads alone"
pass "--help and man pages agree"
