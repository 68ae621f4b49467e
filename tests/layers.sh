#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Data flows one way: collect -> snapshot -> diagnose -> render. This test
# makes that a rule: each layer below may include only the project headers
# of its allow-list (and none of the system headers that read the kernel),
# and no diagnosis or drawing file opens a file or a socket or calls ioctl.
# A new file of a layer is covered by its name (diag_*.c, report_*.c,
# dashboard_*.c); and no other file (sources, snapshot, collector) includes
# a diagnosis or rendering header. Needs no terminal and no root.
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
SRC=$TESTS_DIR/../src
CPP="${CC:-cc} -fpreprocessed -dD -E -P -x c"
$CPP /dev/null >/dev/null 2>&1 || skip "'${CC:-cc} -fpreprocessed' does not run"

# The layers: NAME|FILES (globs in src/)|PROJECT HEADERS ALLOWED.
# dropreason.h is allowed for its pure part, the reason -> stage table and
# the protocol names (dropreason.c); its live half is in FORBIDDEN_CALLS.
# sources.h (snapshot_from_raw) and raw.h let diag_timeline.c turn a recording's raw
# snapshots into snapshots, one pair at a time: upstream, not downstream.
LAYERS='diagnosis|diagnose.c diagnose.h diag_*.c diag_*.h timeline.h|config.h diagnose.h diag_common.h diag_internal.h diag_history.h timeline.h snapshot.h counter.h util.h dropreason.h sources.h raw.h
renderers|report_*.c report*.h|config.h report.h report_common.h report_table.h diagnose.h timeline.h util.h dropreason.h
dashboard drawing|dashboard_*.c dashboard.h dashboard_internal.h|config.h dashboard.h dashboard_internal.h report_common.h diagnose.h diag_history.h util.h'

# Exceptions to the system headers and calls below (the project headers
# still are checked), each with its reason.
# dashboard_term.c: the dashboard's terminal, the one file that talks to
# curses and the tty (signals, termios); it draws nothing of the diagnosis.
EXCEPT='dashboard_term.c'

# System headers that only a collector needs: files, directories, ioctl,
# netlink, BPF, the terminal.
FORBIDDEN_SYS='fcntl.h dirent.h sys/ioctl.h sys/stat.h sys/mman.h unistd.h
termios.h curses.h ncurses.h term.h libmnl/libmnl.h linux/netlink.h
linux/rtnetlink.h linux/genetlink.h linux/sock_diag.h linux/inet_diag.h
bpf/libbpf.h bpf/bpf.h numa.h'

# Calls that open files or sockets, touch devices or run programs,
# including the project's own file readers and collectors.
FORBIDDEN_CALLS='open openat creat fopen fdopen freopen popen opendir
fdopendir socket socketpair ioctl accept connect bind read_text_file
read_text_file_max mnl_socket_open nl_open drop_reasons_open
drop_reasons_collect reason_names_from_btf system execv execvp execve fork'

in_list() { # WORD LIST
	for w in $2; do [ "$1" = "$w" ] && return 0; done
	return 1
}

# The code of a C file without comments and string literals, so that a
# word in either is not taken for a call or an include.
code_of() {
	$CPP "$1" > "$TMP/cpp" || { echo "$(basename "$1"): cannot strip comments"; return; }
	sed -e 's/"\([^"\\]\|\\.\)*"/""/g' -e "s/'\\([^'\\\\]\\|\\\\.\\)*'/''/g" "$TMP/cpp"
}

# Prints one line per include of FILE outside ALLOWED (and, unless
# SYSOK is 1, per forbidden system header).
check_includes() { # FILE ALLOWED SYSOK
	grep -E '^[[:space:]]*#[[:space:]]*include' "$1" |
		sed -n 's/.*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1 \2/p' |
		while read -r kind h; do
			if [ "$kind" = '"' ]; then
				in_list "$h" "$2" || echo "$(basename "$1"): includes \"$h\""
			elif [ "$3" != 1 ]; then
				in_list "$h" "$FORBIDDEN_SYS" &&
					echo "$(basename "$1"): includes <$h>"
			fi
		done
}

# Prints one line per forbidden call in FILE.
check_calls() { # FILE
	code_of "$1" > "$TMP/code"
	grep -h 'cannot strip comments' "$TMP/code"
	for fn in $FORBIDDEN_CALLS; do
		grep -E "(^|[^A-Za-z0-9_.>])$fn[[:space:]]*\\(" "$TMP/code" |
			sed "s|^|$(basename "$1"): calls $fn(): |"
	done
}

: > "$TMP/bad"
: > "$TMP/seen"
echo "$LAYERS" | while IFS='|' read -r layer globs allowed; do
	for g in $globs; do
		for f in "$SRC"/$g; do
			[ -f "$f" ] || continue
			echo "$layer: $(basename "$f")" >> "$TMP/seen"
			sysok=0
			in_list "$(basename "$f")" "$EXCEPT" && sysok=1
			check_includes "$f" "$allowed" $sysok >> "$TMP/bad"
			case "$f" in
			*.c) [ $sysok = 1 ] || check_calls "$f" >> "$TMP/bad" ;;
			esac
		done
	done
done
# Backwards: the rest of src/ (sources, snapshot, collector, receiver) uses
# no diagnosis or rendering header. droptop.c, dashloop.c and countloop.c,
# the main loops, join the layers and are left out.
for f in "$SRC"/*.c "$SRC"/*.h; do
	name=$(basename "$f")
	grep -q ": $name\$" "$TMP/seen" && continue
	case "$name" in droptop.c|dashloop.c|countloop.c) continue ;; esac
	grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(diagnose|diag_[a-z_]*|report[a-z_]*|dashboard[a-z_]*)\.h"' "$f" |
		sed "s|^|$name (collect side): |" >> "$TMP/bad"
	echo "collect side: $name" >> "$TMP/seen"
done
nfiles=$(wc -l < "$TMP/seen")
# The globs must still find the layers (a rename would empty them).
for layer in diagnosis renderers 'dashboard drawing'; do
	n=$(grep -c "^$layer: " "$TMP/seen")
	[ "$n" -ge 3 ] || fail "layer $layer: only $n files under $SRC"
done
if [ -s "$TMP/bad" ]; then
	cat "$TMP/bad"
	fail "$(wc -l < "$TMP/bad") layering violations (see above)"
fi
pass "$nfiles files: diagnosis, renderers and dashboard drawing include only their allow-lists and open no file or socket, call no ioctl; the rest includes none of theirs"
