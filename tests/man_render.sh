#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages render without a groff warning, hold the sections a
# reader looks for, and give an entry to every finding id the diagnosis
# can raise and every counter a stage lists.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd groff
need_cmd jq
: "${MAN_BUILD_DIR:?}"

for page in droptop.8 droptop-send.8; do
	m=$MAN_BUILD_DIR/$page
	[ -r "$m" ] || fail "$m not built"
	grep -q '@[A-Z_]*@' "$m" && fail "$page: configure left a @VAR@"
	groff -ww -z -man "$m" >"$TMP/warn" 2>&1 || fail "groff failed on $page"
	[ ! -s "$TMP/warn" ] || fail "groff warns on $page: $(cat "$TMP/warn")"
	# An option glued to its argument, as a .RB line without quotes
	# renders "(--src-ports20000-20015)".
	groff -man -Tascii -P-cbou "$m" 2>/dev/null |
		grep -E -- '--[a-z][a-z-]*[0-9]' >"$TMP/glued" &&
		fail "$page renders an option glued to its argument: $(cat "$TMP/glued")"
	for sec in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT \
		EXAMPLES "SEE ALSO"; do
		grep -q "^\.SH \"\{0,1\}$sec\"\{0,1\}\$" "$m" || fail "$page has no $sec section"
	done
done
M=$MAN_BUILD_DIR/droptop.8
for sec in STAGES FINDINGS "OUTPUT FORMATS" FILES; do
	grep -q "^\.SH $sec\$" "$M" || fail "droptop.8 has no $sec section"
done
grep -q '^\.B prometheus$' "$M" || fail "OUTPUT FORMATS does not describe prometheus"
grep -q "\"droptop $("$DROPTOP" --version | sed -n 's/^droptop //p')\"" "$M" ||
	fail "droptop.8 does not carry the version of droptop --version"
pass "man pages render without warnings"

# Every finding id the sources can raise has its own .B entry.
ids=$(grep -ohE '(add_finding\([a-z]+, |sizeof\(f->id\), )"[a-z0-9-]+"' \
	"$TESTS_DIR"/../src/*.c | grep -oE '"[a-z0-9-]+"' | tr -d '"' | sort -u)
[ "$(echo "$ids" | wc -l)" -ge 10 ] || fail "found only $(echo "$ids" | wc -w) finding ids in src/"
for id in $ids; do
	grep -q "^\.B $(echo "$id" | sed 's/-/\\\\-/g')\$" "$M" || fail "finding $id has no entry"
done
# Every counter a stage lists (the recording below lists every stage's).
"$DROPTOP" --replay "$TEST_DATA_DIR/receiver/loopback-2threads.rec" --format json |
	jq -r '.stages[].counters | keys[]' | sort -u >"$TMP/counters"
[ "$(wc -l <"$TMP/counters")" -ge 30 ] || fail "only $(wc -l <"$TMP/counters") counters"
sed -n '/^\.SS Counters/,/^\.SH/p' "$M" | grep -A1 '^\.TP' | sed 's/\\-/-/g' >"$TMP/entries"
while read -r c; do
	grep -qF "\"$c\"" "$TMP/entries" || fail "counter $c has no entry under Counters"
done <"$TMP/counters"
pass "every finding id and counter has a man page entry"

# contrib/million-packets.sh numbers its steps as droptop(8) does ("runs
# steps 3 to 5 by itself"), and each step is the one the page describes.
MP=$TESTS_DIR/../contrib/million-packets.sh
range=$(tr '\n' ' ' <"$M" | grep -oE 'runs steps [0-9]+ to [0-9]+' | grep -oE '[0-9]+' | tr '\n' ' ')
nums=$(grep -oE '^step "[0-9]+\.' "$MP" | grep -oE '[0-9]+' | tr '\n' ' ')
set -- $range
[ $# = 2 ] && [ "$nums" = "$(seq "$1" "$2" | tr '\n' ' ')" ] ||
	fail "million-packets.sh runs steps $nums, droptop.8 says '${range}'"
for pair in "4 shared socket" "5 SO_REUSEPORT"; do
	n=${pair%% *} what=${pair#* }
	grep -q "^step \"$n\..*$what" "$MP" || fail "million-packets.sh step $n is not '$what'"
	sed -n "/^\.SS The million/,/^\.SH/p" "$M" | grep -A1 "^\.IP $n\. " |
		grep -qi "$what" || fail "droptop.8 step $n is not '$what'"
done
pass "million-packets.sh and droptop.8 number the steps alike"

# The README's quick start begins with sudo, which a bare Debian root shell
# lacks: it says how to do without, and that way works.
R=$TESTS_DIR/../README.md
def=$(grep -o 'sudo() { "$@"; }' "$R" | head -1)
[ -n "$def" ] || fail "README does not say how to run the quick start as root"
out=$(PATH=/nonexistent; eval "$def"; sudo printf '%s' ok) && [ "$out" = ok ] ||
	fail "README's sudo stand-in does not run a command"
pass "README says how to run the quick start without sudo"

# README is for users (issue 17): at most 300 lines; the details live in
# docs/ and the man page, and every docs/ file it links exists.
lines=$(wc -l <"$R")
[ "$lines" -le 300 ] || fail "README.md has $lines lines (at most 300)"
for doc in $(grep -o '(docs/[a-z-]*\.md)' "$R" | tr -d '()' | sort -u); do
	[ -f "$TESTS_DIR/../$doc" ] || fail "README links $doc, which does not exist"
done
pass "README.md: $lines lines, its docs/ links exist"

# mandoc's linter, at warning level (style notes such as long lines pass).
command -v mandoc >/dev/null 2>&1 ||
	skip "needs mandoc (apt-get install mandoc) for mandoc -T lint"
for page in droptop.8 droptop-send.8; do
	mandoc -T lint -W warning "$MAN_BUILD_DIR/$page" >"$TMP/lint" 2>&1
	[ ! -s "$TMP/lint" ] || fail "mandoc -T lint on $page: $(cat "$TMP/lint")"
done
pass "mandoc -T lint finds nothing"
