#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --record FILE.gz on a live host: a gzip file that replays to the same
# JSON as its text and is at least 5x smaller; --replay tells gzip by its
# magic bytes (any name); a cut or corrupt gzip, or a bomb, is refused
# naming the file, in bounded time; the size-limit options are checked.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
need_cmd gzip
need_cmd jq

replay_json() { # FILE: the report of a replay, without its source name
	"$DROPTOP" --replay "$1" --format json | jq -S 'del(.source)'
}
expect_refused() { # FILE PATTERN WHAT
	timeout 60 "$DROPTOP" --replay "$1" --report >/dev/null 2>"$TMP/err"
	rc=$?
	[ "$rc" = 2 ] || fail "$3: exit $rc, expected 2 ($(cat "$TMP/err"))"
	grep -q -- "$2" "$TMP/err" || fail "$3: '$(cat "$TMP/err")' lacks '$2'"
}

# A real recording, compressed by droptop itself.
"$DROPTOP" --report -d 0.5 --record "$TMP/live.rec.gz" >/dev/null ||
	fail "live --record FILE.gz failed"
gzip -t "$TMP/live.rec.gz" || fail "not a whole gzip file"
gzip -dc "$TMP/live.rec.gz" >"$TMP/live.rec"
[ "$(head -n 1 "$TMP/live.rec")" = "droptop-recording 1" ] ||
	fail "the gzip does not hold a recording"
[ "$(grep -c '^@snapshot ' "$TMP/live.rec")" = 2 ] || fail "not 2 snapshots"
replay_json "$TMP/live.rec" >"$TMP/plain.json"
replay_json "$TMP/live.rec.gz" >"$TMP/gz.json"
cmp -s "$TMP/plain.json" "$TMP/gz.json" ||
	fail "the gzip replays differently: $(diff "$TMP/plain.json" "$TMP/gz.json" | head -5)"
plain=$(wc -c <"$TMP/live.rec") gz=$(wc -c <"$TMP/live.rec.gz")
[ "$plain" -ge $((5 * gz)) ] || fail "gzip $gz bytes, text $plain: not 5x smaller"
pass "live recording: $plain bytes of text, $gz gzipped, same report"

# Told by the magic bytes, not the name: gzip(1) output named .rec.
rec=$TEST_DATA_DIR/receiver/loopback-2threads.rec
gzip -c "$rec" >"$TMP/capture.rec"
replay_json "$rec" >"$TMP/a.json"
replay_json "$TMP/capture.rec" >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" || fail "gzip(1) of a capture replays differently"

# Cut in the middle; a flipped byte; a stream that ends after a whole
# snapshot (a killed run) replays with a warning.
size=$(wc -c <"$TMP/live.rec.gz")
head -c $((size / 2)) "$TMP/live.rec.gz" >"$TMP/cut.rec.gz"
expect_refused "$TMP/cut.rec.gz" "cut.rec.gz: gzip data cut short (truncated?): line" "truncated gzip"
cp "$TMP/live.rec.gz" "$TMP/bad.rec.gz"
printf '\377\377\377\377' | dd of="$TMP/bad.rec.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
expect_refused "$TMP/bad.rec.gz" "bad.rec.gz: gzip: corrupt gzip data (incorrect data check)" "corrupt gzip"
head -c 3 "$TMP/live.rec.gz" >"$TMP/tiny.rec.gz"
expect_refused "$TMP/tiny.rec.gz" "tiny.rec.gz: gzip: truncated before any data" "3-byte gzip"

# A bomb: 256 MiB and more of short lines in 60 KiB. Refused at the
# recording limit, in bounded time and memory.
yes x | head -c 1048576 | gzip -9 >"$TMP/mib.gz"
printf 'droptop-recording 1\n' | gzip >"$TMP/bomb.rec.gz"
i=0
while [ $i -lt 300 ]; do cat "$TMP/mib.gz"; i=$((i + 1)); done >>"$TMP/bomb.rec.gz"
start=$(date +%s)
expect_refused "$TMP/bomb.rec.gz" "bomb.rec.gz: gzip: inflates to more than 268435456 bytes (recording limit)" "gzip bomb"
[ $(($(date +%s) - start)) -le 30 ] || fail "the bomb took more than 30 s"
# (Not under ASan, which reserves terabytes of address space.)
if command -v prlimit >/dev/null && ! ldd "$DROPTOP" 2>/dev/null | grep -q libasan; then
	prlimit --as=$((800 << 20)) "$DROPTOP" --replay "$TMP/bomb.rec.gz" --report \
		>/dev/null 2>"$TMP/err"
	grep -q "recording limit" "$TMP/err" || fail "bomb under an 800 MiB limit: $(cat "$TMP/err")"
fi

# The options: sizes within the limits, and only with --record.
"$DROPTOP" --report --record-keep 2 >/dev/null 2>"$TMP/err" && fail "--record-keep without --record"
grep -q "need --record" "$TMP/err" || fail "message: $(cat "$TMP/err")"
"$DROPTOP" --report --record "$TMP/x.rec" --record-limit 1G >/dev/null 2>"$TMP/err" &&
	fail "--record-limit 1G accepted"
[ ! -e "$TMP/x.rec" ] || fail "a refused option left a file"
"$DROPTOP" --report --record "$TMP/x.rec" --record-keep 1000 >/dev/null 2>&1 &&
	fail "--record-keep 1000 accepted"
# With --record-keep, an earlier run's FILE.1 needs --overwrite.
echo old >"$TMP/k.rec.1"
"$DROPTOP" --report -d 0.1 --record "$TMP/k.rec" --record-keep 1 >/dev/null 2>"$TMP/err" &&
	fail "FILE.1 of an earlier run was not refused"
grep -q "k.rec.1: exists; --overwrite lets rotation replace it" "$TMP/err" ||
	fail "message: $(cat "$TMP/err")"
"$DROPTOP" --report -d 0.1 --record "$TMP/k.rec" --record-keep 1 --record-limit 64K \
	--overwrite >/dev/null || fail "--record-limit 64K --record-keep 1 --overwrite"
[ "$(grep -c '^@snapshot ' "$TMP/k.rec")" = 2 ] || fail "k.rec: not 2 snapshots"
pass "gzip recordings: same report, refused when damaged; limits checked"

# A dashboard recording killed with SIGKILL: every snapshot flushed
# before it replays (with a warning), the stream just has no end.
command -v tmux >/dev/null 2>&1 || skip "needs tmux for the killed dashboard run"
sess=droptop-gz-$$
tmux new-session -d -s "$sess" -x 120 -y 40 \
	"exec '$DROPTOP' -d 0.2 --record '$TMP/killed.rec.gz'" || skip "tmux cannot start"
# Until 5 snapshots are in the file (the machine may be loaded), at most 60 s.
i=0
while [ "$(gzip -dc "$TMP/killed.rec.gz" 2>/dev/null | grep -c '^@snapshot ')" -lt 5 ]; do
	i=$((i + 1))
	[ $i -le 120 ] || { tmux kill-session -t "$sess"; fail "no 5 snapshots in 60 s"; }
	sleep 0.5
done
pid=$(tmux list-panes -t "$sess" -F '#{pane_pid}')
kill -9 "$pid"
sleep 0.2
tmux kill-session -t "$sess" 2>/dev/null
"$DROPTOP" --replay "$TMP/killed.rec.gz" --format json >"$TMP/killed.json" 2>"$TMP/err" ||
	fail "a killed recording does not replay: $(cat "$TMP/err")"
grep -q "killed.rec.gz: gzip stream has no end .* replaying its [0-9]* whole snapshots" "$TMP/err" ||
	fail "no warning for the stream without end: $(cat "$TMP/err")"
snaps=$(gzip -dc "$TMP/killed.rec.gz" 2>/dev/null | grep -c '^@snapshot ')
[ "$snaps" -ge 5 ] || fail "the killed recording holds $snaps snapshots"
grep -q "replaying its $snaps whole snapshots" "$TMP/err" || fail "$(cat "$TMP/err")"
jq -e '.interval_s > 0.6' "$TMP/killed.json" >/dev/null || fail "the replay does not span the snapshots"
plain=$(gzip -dc "$TMP/killed.rec.gz" 2>/dev/null | wc -c) gz=$(wc -c <"$TMP/killed.rec.gz")
[ "$plain" -ge $((5 * gz)) ] || fail "killed recording: gzip $gz bytes, text $plain"
pass "killed dashboard recording: $snaps snapshots replayed, $plain bytes of text in $gz"

