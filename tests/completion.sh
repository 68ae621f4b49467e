#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/droptop.bash-completion: sourcing it registers completions for
# droptop and droptop-send, which complete options and --format values.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd bash
F=$TESTS_DIR/../contrib/droptop.bash-completion

# Completes the words given, the cursor at the end of the last one, and
# prints COMPREPLY one per line. Uses bash-completion when installed, else
# minimal stand-ins for the three helpers the file calls.
complete_words() { # COMMAND WORD...
	bash -c '
		if [ -r /usr/share/bash-completion/bash_completion ]; then
			. /usr/share/bash-completion/bash_completion
		else
			_init_completion() {
				cur=${COMP_WORDS[COMP_CWORD]}
				prev=${COMP_WORDS[COMP_CWORD-1]}
				words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
			}
			_filedir() { :; }
			_available_interfaces() { COMPREPLY=(lo); }
		fi
		. "$0" || exit 1
		complete -p droptop droptop-send >&2 || exit 1
		fn=$(complete -p "$1" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' "$F" "$@" 2>"$TMP/err"
}

complete_words droptop --rep >"$TMP/o" || fail "sourcing failed: $(cat "$TMP/err")"
grep -q '^complete -F _droptop droptop$' "$TMP/err" || fail "complete -p droptop: $(cat "$TMP/err")"
grep -q '^complete -F _droptop_send droptop-send$' "$TMP/err" || fail "no droptop-send completion"
[ "$(cat "$TMP/o")" = "--report
--replay" ] || fail "--rep completes to: $(cat "$TMP/o")"
complete_words droptop --format p >"$TMP/o"
[ "$(cat "$TMP/o")" = prometheus ] || fail "--format p completes to: $(cat "$TMP/o")"
complete_words droptop -f '' >"$TMP/o"
[ "$(sort "$TMP/o" | tr '\n' ' ')" = "json prometheus svg text " ] || fail "-f completes to: $(cat "$TMP/o")"
complete_words droptop-send --src >"$TMP/o"
[ "$(cat "$TMP/o")" = --src-ports ] || fail "droptop-send --src completes to: $(cat "$TMP/o")"
pass "bash completion"

# Every long option of --help is offered, and nothing else.
"$DROPTOP" --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u >"$TMP/h"
complete_words droptop -- | sed '/^--$/d' | sort -u >"$TMP/c"
diff "$TMP/h" "$TMP/c" >"$TMP/d" || fail "--help (<) and completion (>) differ: $(tr '\n' ' ' <"$TMP/d")"
"$DROPTOP_SEND" --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u >"$TMP/h"
complete_words droptop-send -- | sed '/^--$/d' | sort -u >"$TMP/c"
diff "$TMP/h" "$TMP/c" >"$TMP/d" || fail "droptop-send --help (<) and completion (>) differ: $(tr '\n' ' ' <"$TMP/d")"
pass "completion offers every option of --help"
