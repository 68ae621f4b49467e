#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz: builds every target of fuzz/targets with FUZZ_CC and libFuzzer
# into BUILDDIR, and its seed corpus (from tests/data) into BUILDDIR/seeds.
#   build.sh SRCDIR BUILDDIR   (FUZZ_CC, FUZZ_LIBS, FUZZ_CPPFLAGS from make)
set -eu
src=$1 out=$2
: "${FUZZ_CC:?}"
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$out/obj" "$out/seeds"
# The library, instrumented: every source but the programs' main files.
# A header newer than the archive rebuilds them all (a struct that changed
# size in one object but not in another is a false heap overflow).
for h in "$src"/src/*.h; do
	if [ -e "$out/libfuzz.a" ] && [ "$h" -nt "$out/libfuzz.a" ]; then
		rm -f "$out"/obj/*.o
		break
	fi
done
objs=
for f in "$src"/src/*.c; do
	b=$(basename "$f" .c)
	case $b in droptop|droptop-send|dropreason_btf|dropreason_live|dropreason.bpf) continue ;; esac
	o=$out/obj/$b.o
	if [ ! -e "$o" ] || [ "$f" -nt "$o" ]; then
		$FUZZ_CC $flags $FUZZ_CPPFLAGS -I"$src/src" -c "$f" -o "$o"
	fi
	objs="$objs $o"
done
rm -f "$out/libfuzz.a"
ar rcs "$out/libfuzz.a" $objs

# The text of source NAME in every recording under tests/data/receiver.
rec_source() { # NAME DEST
	n=0
	for r in "$src"/tests/data/receiver/*.rec; do
		awk -v name="$1" -v dest="$2" '
			/^@/ && !/^@@/ { on = ($0 == "@source " name); if (on) { n++; f = dest "-" n; printf "" > f }; next }
			on { sub(/^@@/, "@"); print >> f }' "$r"
	done
}

grep -v '^#' "$src/fuzz/targets" | while IFS='|' read -r name kind source printer seeds; do
	case $kind in
	text) main=fuzz_source.c ;;
	nl) main=fuzz_netlink.c ;;
	rec) main=fuzz_recording.c ;;
	esac
	echo "  FUZZ     $name"
	$FUZZ_CC $flags -fsanitize=fuzzer $FUZZ_CPPFLAGS -I"$src/src" \
		-DFUZZ_SOURCE="\"$source\"" -DFUZZ_PRINTER="${printer:-none}" \
		"$src/fuzz/$main" "$out/libfuzz.a" $FUZZ_LIBS -o "$out/$name"
	rm -rf "$out/seeds/$name"
	mkdir -p "$out/seeds/$name"
	case $seeds in
	"") ;;
	rec:*) rec_source "${seeds#rec:}" "$out/seeds/$name/rec" ;;
	*) find "$src/tests/data/$seeds" -type f -exec cp {} "$out/seeds/$name/" \; ;;
	esac
	# A recording's seeds also gzipped: the fuzzer reaches the inflate path.
	if [ "$kind" = rec ]; then
		for f in "$out/seeds/$name"/*; do
			[ -f "$f" ] && gzip -9nc "$f" >"$f.gz"
		done
	fi
done
