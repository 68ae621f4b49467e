# SPDX-License-Identifier: GPL-2.0-or-later
# mkrec: build droptop recordings from real captures (sourced by tests).
#   mkrec OUT NAME FILE [NAME FILE]...
# writes a two-snapshot recording, 1 s apart: the second snapshot holds each
# capture as it is, the first the same capture with its counters zeroed, so
# a replay shows every counter's full value as its per-second delta.
# Gauges and structure (queue numbers, CPU index columns, addresses) stay.

zero_counters() { # NAME FILE
	case $1 in
	"ethtool -S "*)
		# "name: value" → "name: 0"; section headers (Queue#: N) stay.
		awk '/Queue#/ { print; next }
		     /:[ \t]*[0-9]+[ \t]*$/ { sub(/[0-9]+[ \t]*$/, "0") } { print }' "$2" ;;
	/proc/net/softnet_stat)
		# columns 1-11 are counters; 12 is backlog_len, 13 the CPU index.
		awk '{ for (i = 1; i <= NF && i <= 11; i++) $i = "00000000"; print }' "$2" ;;
	/proc/net/snmp | /proc/net/netstat)
		awk '{ if (seen[$1]++) for (i = 2; i <= NF; i++) $i = 0; print }' "$2" ;;
	/proc/net/snmp6)
		awk 'NF == 2 { $2 = 0 } { print }' "$2" ;;
	/proc/softirqs)
		awk 'NR > 1 { for (i = 2; i <= NF; i++) $i = 0 } { print }' "$2" ;;
	/proc/stat)
		awk '/^cpu[0-9]/ { for (i = 2; i <= NF; i++) $i = 0 } { print }' "$2" ;;
	/proc/net/udp | /proc/net/udp6)
		awk 'NR > 1 { $NF = 0 } { print }' "$2" ;;
	sysfs\ *)
		awk '{ $2 = 0; print }' "$2" ;;
	sockets)
		sed 's/ drops=[0-9]*/ drops=0/' "$2" ;;
	drop-reasons)
		awk '{ $NF = 0; print }' "$2" ;;
	*)
		cat "$2" ;;
	esac
}

source_text() { # text on stdin, escaped for a recording
	sed 's/^@/@@/'
	# a capture without a trailing newline still ends its last line
}

mkrec() {
	out=$1
	shift
	{
		echo "droptop-recording 1"
		for snap in 0 1; do
			echo "@snapshot $((1700000000 + snap)).000000 $((100 + snap)).000000"
			i=1
			while [ $i -lt $# ]; do
				eval "name=\${$i}; file=\${$((i + 1))}"
				echo "@source $name"
				if [ $snap = 0 ]; then
					zero_counters "$name" "$file"
				else
					cat "$file"
				fi | sed 's/^@/@@/; $a\'
				i=$((i + 2))
			done
			echo "@end"
		done
	} >"$out"
}
