#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The dashboard, driven in tmux against replayed recordings built from the
# real captures in tests/data: the screen is read back with capture-pane
# and checked (verdict, waterfall, queue rows, help, keys, resizes), and the
# terminal must be restored (echo and icanon back on) after q, SIGINT,
# SIGTERM, SIGHUP, a fatal signal and a fatal error. Every wait is bounded.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_DIR/mkrec.sh"
need_cmd tmux
D=$TEST_DATA_DIR

# One tmux server per run (a fresh socket each time: a server still
# exiting must not meet the next run).
run=0
TM() { tmux -S "$TMP/tmux.$run" -f /dev/null "$@"; }
trap 'TM kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# --- recordings ------------------------------------------------------------
hostinfo() {
	echo "@source /proc/sys/kernel/hostname"; echo testhost
	echo "@source /proc/sys/kernel/osrelease"; echo 6.1.0-test
}
# The rss-imbalance recording of replay_fixtures.sh (sfc, all new packets on
# queue 4, udp4 hashed on addresses only), plus host and kernel.
awk '/^rx-4\.rx_packets:/ { $2 += 500000 } { print }' "$D/ethtool-S/sfc-ethq.txt" >"$TMP/sfc2"
awk '/^rx-4\.rx_packets:/ { $2 += 1000000 } /^rx-0\.rx_packets:/ { $2 += 100 } { print }' \
	"$D/ethtool-S/sfc-ethq.txt" >"$TMP/sfc3"
printf 'UDP over IPV4 flows use these fields for computing Hash flow key:\nIP SA\nIP DA\n\n' >"$TMP/hash"
sfc_rec() { # OUT CAPTURE... : one snapshot per capture, 1 s apart
	out=$1
	shift
	{
		echo "droptop-recording 1"
		i=0
		for f in "$@"; do
			echo "@snapshot $((1700000000 + i)).0 $((100 + i)).0"
			hostinfo
			echo "@source ethtool -S eth0"; cat "$f"
			echo "@source ethtool -n eth0 rx-flow-hash udp4"; cat "$TMP/hash"
			echo "@end"
			i=$((i + 1))
		done
	} >"$out"
}
sfc_rec "$TMP/rss.rec" "$D/ethtool-S/sfc-ethq.txt" "$TMP/sfc2"
sfc_rec "$TMP/steps.rec" "$D/ethtool-S/sfc-ethq.txt" "$TMP/sfc2" "$TMP/sfc3"
# One real host's snmp and sockets with another's softnet_stat: a verdict
# (softirq), CPUs, sockets and findings.
mkrec "$TMP/rich.rec" /proc/net/snmp "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt" \
	/proc/net/udp "$D/proc-net-udp/ubuntu-k3.13-drops8109-csm-proc-snapshot.txt" \
	/proc/net/softnet_stat "$D/softnet_stat/13col-rhel9-5cpu-insights-core.txt"

# A socket verdict with the owner from sock_diag (the reuseport capture:
# udpsink's socket drops every datagram), the net.core sysctls, host and
# kernel.
printf 'testhost\n' >"$TMP/hostname"
printf '6.1.0-test\n' >"$TMP/osrelease"
printf 'net.core.rmem_max 2048\nnet.core.rmem_default 2048\nnet.core.netdev_max_backlog 1000\n' >"$TMP/sysctl"
mkrec "$TMP/sock.rec" /proc/net/snmp "$D/snmp/netns-reuseport4-k6.18.txt" \
	sockets "$D/sockets/reuseport4-netns-k6.18.txt" sysctl "$TMP/sysctl" \
	/proc/sys/kernel/hostname "$TMP/hostname" /proc/sys/kernel/osrelease "$TMP/osrelease"
# The same with the kernel's SOCKET_RCVBUFF on the socket's port (the
# dashboard adds a RCVBUFF/s column only when there are reasons).
echo "SOCKET_RCVBUFF ipv4 udp 9999 - 19990" >"$TMP/rcvbuff"
mkrec "$TMP/sockreason.rec" /proc/net/snmp "$D/snmp/netns-reuseport4-k6.18.txt" \
	sockets "$D/sockets/reuseport4-netns-k6.18.txt" drop-reasons "$TMP/rcvbuff"
# NOT_SPECIFIED drops with the kernel functions that freed them.
printf 'NOT_SPECIFIED - - - - 40\nlocation arp_process 40\nlocation ip6_mc_input 2\noverflow 0\n' >"$TMP/notspec"
mkrec "$TMP/notspec.rec" /proc/net/snmp "$D/snmp/netns-reuseport4-k6.18.txt" \
	drop-reasons "$TMP/notspec"

# The rich recording with the drop-reasons source: the closed-port capture
# of drop_reasons.sh, a full socket and a TCP reason (off the UDP path).
{
	cat "$D/dropreason/drop-reasons-lo.txt"
	echo "SOCKET_RCVBUFF ipv4 udp 5353 lo 3000"
	echo "NO_SOCKET ipv6 tcp 22 eth0 10"
} >"$TMP/reasons"
mkrec "$TMP/reasons.rec" /proc/net/snmp "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt" \
	/proc/net/softnet_stat "$D/softnet_stat/13col-rhel9-5cpu-insights-core.txt" \
	drop-reasons "$TMP/reasons"

# --- driving tmux --------------------------------------------------------
# start W H [ENV=VALUE...] -- DROPTOP-ARGS...: droptop in a fresh session;
# its pid goes to $TMP/pid; when it ends the pane shows its exit status
# and the terminal's echo/icanon settings, and stays open.
pre=
start() {
	w=$1 h=$2
	shift 2
	envs="LANG=C.UTF-8 TERM=screen"
	while [ "$1" != -- ]; do envs="$envs $1"; shift; done
	shift
	TM kill-server 2>/dev/null
	run=$((run + 1))
	rm -f "$TMP/pid"
	{
		# C-c reaches the whole foreground group: the shell must live on.
		echo "trap : INT"
		# A limit for the next run only (the file-size test).
		[ -z "$pre" ] || echo "$pre"
		echo "sh -c 'echo \$\$ >\"$TMP/pid\"; exec env $envs \"\$0\" \"\$@\"' \"$DROPTOP\" $*"
		echo 'echo "exit=$?"'
		echo "stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\n' ' '; echo"
		echo 'echo "shell is back"'
		echo 'sleep 60'
	} >"$TMP/run.sh"
	TM new-session -d -x "$w" -y "$h" -s t "sh $TMP/run.sh" || fail "tmux new-session"
}
screen() { TM capture-pane -p -t t; }
keys() { TM send-keys -t t "$@"; }
# wait_for EXTENDED-REGEX WHAT: up to 5 s for the screen to match.
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		screen >"$TMP/screen" 2>/dev/null
		grep -Eq -- "$1" "$TMP/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "--- screen:"; cat "$TMP/screen"
	fail "$2 (no match for '$1' within 5 s)"
}
# wait_gone EXTENDED-REGEX WHAT: up to 5 s for the screen not to match.
wait_gone() {
	i=0
	while [ $i -lt 50 ]; do
		screen >"$TMP/screen" 2>/dev/null
		grep -Eq -- "$1" "$TMP/screen" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "--- screen:"; cat "$TMP/screen"
	fail "$2 (still '$1' after 5 s)"
}
# The dashboard ended with status $1 and the terminal is sane again.
expect_exit() {
	wait_for 'shell is back' "droptop did not end ($2)"
	grep -q "^exit=$1\$" "$TMP/screen" || { cat "$TMP/screen"; fail "$2: exit status is not $1"; }
	grep -Eq '^echo icanon|^icanon echo' "$TMP/screen" ||
		{ cat "$TMP/screen"; fail "$2: echo and icanon not restored"; }
	! grep -q 'verdict:' "$TMP/screen" || fail "$2: the dashboard is still on screen"
}
line() { sed -n "$1p" "$TMP/screen"; }
# Columns of the widest line of the last screen (wc -L counts characters).
width() { LC_ALL=C.UTF-8 wc -L <"$TMP/screen"; }

# --- 80x24: verdict, waterfall, queue 4 on top with its share ------------
start 80 24 -- --replay "$TMP/rss.rec"
wait_for '^> RX queues' "no RX queues panel"
line 1 | grep -q '^ droptop  testhost  6\.1\.0-test  every 1 s  replay 1/1 END  1:eth0 *h: help$' ||
	fail "top line: $(line 1)"
line 2 | grep -q '^ verdict: none' || fail "verdict line: $(line 2)"
for st in nic softirq ip udp socket app unaccounted; do
	grep -Eq "^ $st " "$TMP/screen" || fail "no waterfall row for $st"
done
grep -A2 '^> RX queues: 1, 11 idle hidden' "$TMP/screen" >"$TMP/q"
sed -n 2p "$TMP/q" | grep -Eq '^dev +q +rx/s +drop/s +share' || fail "queue headings: $(cat "$TMP/q")"
sed -n 3p "$TMP/q" | grep -Eq '^eth0 +4 +500\.0k +\? +100\.0% █{20,}' ||
	fail "queue 4 is not first with its share: $(sed -n 3p "$TMP/q")"
grep -q '\[rss-imbalance\] eth0: queue 4 carries 100%' "$TMP/screen" || fail "no rss-imbalance finding"
[ "$(wc -l <"$TMP/screen")" = 24 ] && [ "$(width)" -le 80 ] || fail "not 80x24: $(width) wide"
pass "80x24: top line, verdict, waterfall, queue 4 first with 100% share"

# --- help overlay, then any key closes it ---------------------------------
keys h
wait_for 'droptop dashboard: keys' "no help after h"
grep -Eq 'cost: [0-9.]+ ms CPU per refresh' "$TMP/screen" || fail "help has no CPU cost"
for k in 'q +quit' 'Tab' 'PgUp, PgDn' '1-9, 0' 't +show counters since start'; do
	grep -Eq "$k" "$TMP/screen" || fail "help does not list '$k'"
done
keys x
wait_for '^> RX queues' "help did not close"
! grep -q 'droptop dashboard: keys' "$TMP/screen" || fail "help still shown"
pass "help overlay"

# --- resize: 120x40, then 60x15 -----------------------------------------
TM resize-window -t t -x 120 -y 40
wait_for '^ droptop .{90,}h: help$' "no redraw at 120 columns"
[ "$(width)" = 120 ] || fail "not redrawn 120 wide: $(width)"
line 2 | grep -q '^ verdict: none' || fail "verdict lost at 120x40"
grep -Eq '^eth0 +4 +500\.0k' "$TMP/screen" || fail "queue row lost at 120x40"
TM resize-window -t t -x 60 -y 15
wait_for 'terminal 60x15 is below 80x24' "no small-terminal note at 60x15"
[ "$(width)" -le 60 ] || fail "lines wider than 60: $(width)"
line 2 | grep -q '^ verdict: none' || fail "verdict lost at 60x15"
grep -q '^ softirq' "$TMP/screen" || fail "waterfall lost at 60x15"
line 15 | grep -q 'terminal 60x15' || fail "the note is not on the last line"
TM resize-window -t t -x 80 -y 24
wait_gone 'is below 80x24' "small note stays at 80x24"
grep -Eq '^eth0 +4 +500\.0k' "$TMP/screen" || fail "no queue row back at 80x24"
pass "resize to 120x40 and 60x15 redraws"

# --- q quits and restores the terminal ------------------------------------
keys q
expect_exit 0 "q"
pass "q: exit 0, terminal restored"

# --- the drop-reasons panel: busiest first, Tab reaches it, s sorts ---------
start 80 40 -- --replay "$TMP/reasons.rec"
wait_for '^  drop reasons \(kernel\): 3, sort pkt/s' "no drop-reasons panel"
grep -A2 '^  drop reasons' "$TMP/screen" | sed -n 3p | grep -Eq '^ ?SOCKET_RCVBUFF +socket +udp/5353 +3000 ' ||
	fail "SOCKET_RCVBUFF udp/5353 not first: $(grep -A4 '^  drop reasons' "$TMP/screen")"
keys Tab Tab Tab
wait_for '^> drop reasons' "Tab did not reach the drop reasons"
keys s
wait_for '^> drop reasons \(kernel\): 3, sort stage' "s did not sort the reasons"
grep -A4 '^> drop reasons' "$TMP/screen" | sed -n 3p | grep -Eq '^ ?NO_SOCKET +udp +udp/5361 +50 ' ||
	fail "the udp stage not first by stage: $(grep -A4 '^> drop reasons' "$TMP/screen")"
grep -A4 '^> drop reasons' "$TMP/screen" | sed -n 5p | grep -Eq '^ ?NO_SOCKET +other +tcp6/22 +10 ' ||
	fail "the TCP reason (other) not last by stage: $(grep -A4 '^> drop reasons' "$TMP/screen")"
keys q
expect_exit 0 "q from the reasons panel"
pass "drop-reasons panel: rows, Tab, sort"

# --- keys: focus, sort, idle rows, totals, interface, interval, reset -----
start 80 24 -- --replay "$TMP/rich.rec"
wait_for '^ verdict: softirq — 265\.3k pkt/s lost: dropped because per-CPU backlog' "rich verdict"
grep -Eq '^ softirq < +123\.1M +265\.3k +0\.22%' "$TMP/screen" || fail "softirq stage row"
grep -Eq '^ udp +661\.8k +8200 +1\.24%' "$TMP/screen" || fail "udp stage row"
keys Tab
wait_for '^> CPUs: 5' "Tab did not focus the CPUs"
grep -Eq '^ +3 +\? +\? +42\.48M +32\.30k' "$TMP/screen" || fail "busiest CPU (3) not first"
keys s
wait_for '^> CPUs: 5, sort drop/s' "s did not sort the CPUs"
grep -A2 '^> CPUs' "$TMP/screen" | sed -n 3p | grep -Eq '^ +4 .* 187\.3k' || fail "CPU 4 not first by drops"
keys t
wait_for 'in total lost total' "t shows no totals"
grep -Eq '^ softirq < +123\.1M +265\.3k +0\.22% +123\.1M +265\.3k' "$TMP/screen" || fail "softirq totals"
keys Tab
wait_for '^> UDP sockets: 1, 10 idle hidden' "Tab did not reach sockets"
keys a
wait_for '^> UDP sockets: 11, sort' "a did not show idle sockets"
keys r
wait_for 'counters since start and history reset' "r did not reset"
keys -- -
wait_for 'every 0\.5 s' "- did not shorten the interval"
keys +
wait_for 'every 1 s' "+ did not lengthen the interval"
keys C-c
expect_exit 130 "SIGINT (C-c)"
pass "keys Tab s t a r + - and SIGINT"

# --- stepping a recording, pause, 1-9 -------------------------------------
start 80 24 -- --replay "$TMP/steps.rec" -d 60
wait_for 'replay 1/2' "first step"
grep -q '^> RX queues: 1, 11 idle hidden' "$TMP/screen" || fail "step 1: only queue 4 moves"
grep -Eq '^eth0 +4 +500\.0k' "$TMP/screen" || fail "step 1: queue 4 at 500k"
! grep -q 'END' "$TMP/screen" || fail "step 1 of 2 is not the end"
keys n
wait_for 'replay 2/2 END' "n did not step to the end"
grep -q '^> RX queues: 2, 10 idle hidden' "$TMP/screen" || fail "step 2: queues 4 and 0 move"
grep -Eq '^eth0 +0 +100 ' "$TMP/screen" || fail "step 2: queue 0 at 100/s"
keys p
wait_for 'replay 2/2 END PAUSED' "p did not pause"
keys 1
wait_for '^> RX queues of eth0' "1 did not focus eth0"
grep -q '\[1:eth0\]' "$TMP/screen" || fail "the top line does not mark eth0"
keys Space
wait_gone 'PAUSED' "space did not resume"
keys q
expect_exit 0 "q after stepping"
pass "replay steps, end of recording, pause, interface focus"

# --- loss history: a burst in a replay, g, r -------------------------------
# The Ubuntu snmp capture, one snapshot a second: 1000 datagrams/s
# delivered, and a burst to ports nobody listens on (Udp NoPorts) of
# 50000 then 150000 in the third and fourth seconds.
burst_rec() { # OUT LOST-PER-SECOND...
	out=$1
	shift
	{
		echo "droptop-recording 1"
		i=0 lost=0 ok=0
		for l in 0 "$@"; do
			lost=$((lost + l))
			[ $i = 0 ] || ok=$((ok + 1000))
			echo "@snapshot $((1700000000 + i)).0 $((100 + i)).0"
			hostinfo
			echo "@source /proc/net/snmp"
			awk -v n=$((lost + ok)) -v lost=$lost -v ok=$ok '
				$1 == "Ip:" && seen["Ip"]++ { $4 += n; $10 += n }
				$1 == "Udp:" && seen["Udp"]++ { $2 += ok; $3 += lost }
				{ print }' "$D/snmp/ubuntu-k3.13-InErrors8109-csm-proc-snapshot.txt"
			echo "@end"
			i=$((i + 1))
		done
	} >"$out"
}
burst_rec "$TMP/burst.rec" 0 0 50000 150000 0 0
"$DROPTOP" --replay "$TMP/burst.rec" --report --format json | grep -q '"UdpNoPorts"' ||
	fail "the burst recording has no NoPorts"
start 80 24 -- --replay "$TMP/burst.rec" -d 0.2
wait_for 'replay 6/6 END' "the burst replay did not reach its end"
grep -Eq '^ stage .* history ' "$TMP/screen" || fail "no history column at 80x24"
# Per second 0 0 50k 150k 0 0: blank, blank, 3/8, full, blank, blank.
grep -Eq '^ udp +1000 +0 +0\.00% +▃█ *$' "$TMP/screen" || fail "no burst in the udp row: $(grep '^ udp' "$TMP/screen")"
grep -Eq '^ nic +\? +\? +\? +······( |$)' "$TMP/screen" || fail "unknown nic figures are not gaps"
! grep -Eq '^ (ip|socket|app) .*[▁▂▃▄▅▆▇█]' "$TMP/screen" || fail "a sparkline on a stage that lost nothing"
[ "$(width)" -le 80 ] || fail "the history widens the screen: $(width)"
keys r
wait_for 'counters since start and history reset' "r did not say it reset the history"
! grep -Eq '[▁▂▃▄▅▆▇█·]' "$TMP/screen" || fail "r left a sparkline: $(grep '^ udp' "$TMP/screen")"
keys q
expect_exit 0 "q after the history"
start 80 24 -- --ascii --replay "$TMP/burst.rec" -d 0.2
wait_for 'replay 6/6 END' "the burst replay (--ascii) did not reach its end"
grep -Eq '^ udp +1000 +0 +0\.00% +-@ *$' "$TMP/screen" || fail "no ASCII burst: $(grep '^ udp' "$TMP/screen")"
# Two seconds without loss after it: two blanks to the column's end, the
# blank before the lost bar's heading.
spark_end=$(awk '/^ stage / { h = index($0, " lost ") } /^ udp / { u = index($0, "-@") }
	END { print h - u }' "$TMP/screen")
[ "$spark_end" = 4 ] || fail "the burst is not two steps before the end: $spark_end"
# g: the top queue's history, from the two steps of the sfc recording.
start 80 24 -- --replay "$TMP/steps.rec" -d 0.2
wait_for 'replay 2/2 END' "steps replay for g"
keys g
wait_for 'history of RX queue eth0 4' "g shows no history of the top queue"
grep -Eq '^  rx/s +max 500\.0k +██$' "$TMP/screen" || fail "no rx/s history for queue 4"
grep -Eq '^  drops/s +max 0 +··$' "$TMP/screen" || fail "unknown queue drops are not gaps"
keys g
wait_gone 'history of RX queue' "g did not hide the history"
keys h
wait_for ' g +history of the focused panel' "help does not list g"
keys q
expect_exit 0 "q after g"
pass "history: a replayed burst as a sparkline (UTF-8, ASCII), gaps, g, r clears"

# --- signals restore the terminal -----------------------------------------
for sig in TERM:143 HUP:129 ABRT:134; do
	start 80 24 -- --replay "$TMP/rss.rec"
	wait_for '^> RX queues' "start for SIG${sig%:*}"
	kill -"${sig%:*}" "$(cat "$TMP/pid")"
	expect_exit "${sig#*:}" "SIG${sig%:*}"
done
pass "SIGTERM, SIGHUP and SIGABRT restore the terminal"

# --- a fatal error while the dashboard runs: the --record file fills ------
# A 4 KiB file-size limit (EFBIG) is less than any live snapshot: the
# partial recording cannot be replayed and is removed.
pre="trap '' XFSZ; ulimit -f 8"
start 200 24 -- --record "$TMP/full.rec"
pre=
expect_exit 2 "write error on --record"
grep -q "droptop: $TMP/full.rec: File too large; the incomplete recording was removed" "$TMP/screen" ||
	{ cat "$TMP/screen"; fail "no message after a fatal error"; }
[ ! -e "$TMP/full.rec" ] || fail "the partial recording was left"
pass "fatal error: message after the terminal is restored"

# --- colours: on by default, off with NO_COLOR and --no-color -------------
coloured() { TM capture-pane -p -e -t t | grep -Eq '\[([0-9;]*;)?3[1-6](;[0-9;]*)?m'; }
start 80 24 -- --replay "$TMP/rich.rec"
wait_for '^ verdict: softirq' "colour run"
coloured || fail "no colour by default"
start 80 24 NO_COLOR=1 -- --replay "$TMP/rich.rec"
wait_for '^ verdict: softirq' "NO_COLOR run"
! coloured || fail "colour despite NO_COLOR"
start 80 24 -- --no-color --replay "$TMP/rich.rec"
wait_for '^ verdict: softirq' "--no-color run"
! coloured || fail "colour despite --no-color"
pass "colours, NO_COLOR, --no-color"

# --- ASCII bars outside a UTF-8 locale, and with --ascii ------------------
start 80 24 LC_ALL=C LANG=C -- --replay "$TMP/rss.rec"
wait_for '^eth0 +4 +500\.0k +\? +100\.0% #{20,}' "no ASCII bar in the C locale"
! grep -q '█' "$TMP/screen" || fail "UTF-8 block in the C locale"
start 80 24 -- --ascii --replay "$TMP/rss.rec"
wait_for '^eth0 +4 +500\.0k +\? +100\.0% #{20,}' "no ASCII bar with --ascii"
pass "ASCII bars"

# --- --report on a terminal prints the report -----------------------------
start 100 60 -- --report --replay "$TMP/rss.rec"
wait_for 'shell is back' "--report on a tty did not end"
grep -q '^exit=0$' "$TMP/screen" && grep -q 'droptop report:' "$TMP/screen" ||
	fail "--report on a tty did not print a report"
pass "--report on a terminal"

# --- the fix and the culprit at 80x24, 120x40 and 200x50 (issue 15) -------
# The first hint of the report is on screen whole (the findings panel's
# lines joined), unfocused and focused; no sysctl command is cut at the
# edge; the top line keeps the help mark; the verdict is not cut inside an
# aside; the focused findings scroll to their end.
first_hint() { # RECORDING
	"$DROPTOP" --replay "$1" --report | grep -m1 '^  hint: ' | sed 's/^ *//' | tr -s ' '
}
joined_findings() {
	sed -n '/^[> ] findings/,$p' "$TMP/screen" | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '
}
hint_whole() { # HINT WHAT (a capture may catch a frame half drawn: retry)
	i=0
	while ! joined_findings | grep -qF -- "$1"; do
		[ $i -lt 20 ] || { cat "$TMP/screen"; fail "$2: the first hint is not whole: $1"; }
		sleep 0.1
		screen >"$TMP/screen"
		i=$((i + 1))
	done
	! grep -Eq 'sysctl( -w)? *$|sysctl -w [a-z_.]*$' "$TMP/screen" ||
		{ cat "$TMP/screen"; fail "$2: a command is cut at the edge"; }
}
for rec in rich sock; do
	hint=$(first_hint "$TMP/$rec.rec")
	[ -n "$hint" ] || fail "$rec.rec: no hint in the report"
	for size in 80x24 120x40 200x50; do
		start "${size%x*}" "${size#*x}" -- --replay "$TMP/$rec.rec"
		wait_for '^[> ] findings: ' "$rec at $size"
		[ "$(width)" -le "${size%x*}" ] || fail "$size: lines wider than the screen"
		line 1 | grep -q 'h: help$' || fail "$size: no help mark: $(line 1)"
		line 2 | grep -Eq '\([^)]*$' && fail "$size: verdict cut inside an aside: $(line 2)"
		hint_whole "$hint" "$rec $size"
		keys Tab Tab Tab
		wait_for '^> findings' "$size: Tab did not reach the findings"
		hint_whole "$hint" "$rec $size, findings focused"
		[ "$size" = 80x24 ] || continue
		# Too long for 80x24: End shows the last line, Home the first.
		keys End
		wait_for '^> findings.*\[[0-9]+-([0-9]+) of \1\]' "$rec $size: End did not scroll to the end"
		keys Home
		wait_for '^> findings.*\[1-[0-9]+ of' "$rec $size: Home did not scroll back"
	done
done
pass "80x24, 120x40, 200x50: the first hint whole, help mark, verdict, findings scroll"

for size in 80x24 120x40 200x50; do
	start "${size%x*}" "${size#*x}" -- --replay "$TMP/sock.rec"
	wait_for '^ verdict: socket' "socket verdict at $size"
	line 1 | grep -q 'h: help$' || fail "$size: no help mark: $(line 1)"
	line 2 | grep -Eq '\([A-Za-z]*$' && fail "$size: verdict cut: $(line 2)"
	grep -Eq '^local +pid/command +drop/s +queued B +rcvbuf +fill' "$TMP/screen" ||
		{ cat "$TMP/screen"; fail "$size: no owner, rcvbuf, fill headings"; }
	grep -Eq '^192\.0\.2\.2:9999 +2657/udpsink +20\.00k +3328 +4096 +81\.2%' "$TMP/screen" ||
		{ cat "$TMP/screen"; fail "$size: the dropping socket's owner row"; }
	grep -q 'UdpRcvbufErrors 20\.00k/s' "$TMP/screen" || fail "$size: loss counter cut"
done
grep -q 'RCVBUFF/s' "$TMP/screen" && fail "RCVBUFF/s column without reasons"
pass "sockets panel: pid/command, rcvbuf and fill at 80, 120 and 200 columns"

# --- sockets panel with reasons: the port's SOCKET_RCVBUFF rate -----------
start 120 40 -- --replay "$TMP/sockreason.rec"
wait_for '^ verdict: socket' "socket verdict with reasons"
grep -Eq '^local +pid/command +drop/s +RCVBUFF/s +queued B +rcvbuf +fill' "$TMP/screen" ||
	{ cat "$TMP/screen"; fail "no RCVBUFF/s heading with reasons"; }
grep -Eq '^192\.0\.2\.2:9999 +2657/udpsink +20\.00k +19\.99k +3328 +4096 +81\.2%' "$TMP/screen" ||
	{ cat "$TMP/screen"; fail "the dropping socket's RCVBUFF/s"; }
keys q
expect_exit 0 "q from the sockets panel with reasons"
pass "sockets panel: RCVBUFF/s of the socket's port with reasons"

# --- NOT_SPECIFIED by kernel function, busiest first ----------------------
start 120 40 -- --replay "$TMP/notspec.rec"
wait_for 'NOT_SPECIFIED by kernel function: arp_process 40 pkt/s, ip6_mc_input 2 pkt/s' \
	"no NOT_SPECIFIED functions on the dashboard"
keys q
expect_exit 0 "q after the NOT_SPECIFIED functions"
pass "dashboard: NOT_SPECIFIED drops by kernel function"

# --- -d 30: host and kernel at once, and a countdown ----------------------
start 80 24 -- -d 30
wait_for 'collecting the first interval: [0-9]+ s left' "no countdown"
n1=$(line 2 | sed 's/.*interval: \([0-9]*\) s left.*/\1/')
[ "$n1" -le 30 ] && [ "$n1" -ge 25 ] || fail "countdown starts at $n1"
line 1 | grep -qF " $(cat /proc/sys/kernel/hostname) " || fail "no host at once: $(line 1)"
line 1 | grep -qF " $(uname -r) " || fail "no kernel at once: $(line 1)"
line 1 | grep -q 'h: help$' || fail "no help mark while collecting"
wait_gone "interval: $n1 s left" "the countdown does not move"
n2=$(line 2 | sed 's/.*interval: \([0-9]*\) s left.*/\1/')
[ "$n2" -lt "$n1" ] || fail "countdown went from $n1 to $n2"
keys q
expect_exit 0 "q while collecting"
pass "-d 30: countdown $n1 -> $n2, host and kernel from the first snapshot"

# --- a terminal curses cannot drive: a clear error, exit 2 ----------------
for t in dumb no-such-terminal; do
	start 80 24 TERM=$t -- --replay "$TMP/rss.rec"
	expect_exit 2 "TERM=$t"
	# The pane wraps the message at 80 columns: join its lines first.
	tr -d '\n' <"$TMP/screen" | grep -q "droptop: terminal type '$t' .*use --report" ||
		{ cat "$TMP/screen"; fail "TERM=$t: no message naming the terminal type and --report"; }
done
pass "TERM=dumb and an unknown TERM: error naming TERM and --report, exit 2"
