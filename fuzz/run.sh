#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz-run: runs every built target for SECONDS (default 60) on its
# seed corpus and the corpus of earlier runs, FUZZ_CORPUS/NAME (default
# OUTDIR/corpus; make fuzz-run uses fuzz-corpus/ of the build tree, which
# make clean leaves): what a run finds is added there, nothing is removed.
# Prints one line per target with its executions. A crash leaves its input
# in OUTDIR/crashes/ and makes the run fail.
#   run.sh SRCDIR OUTDIR [SECONDS] [TARGET...]
set -u
src=$1 out=$2 secs=${3:-60}
corpus=${FUZZ_CORPUS:-$out/corpus}
shift 2; [ $# -gt 0 ] && shift
targets=$*
[ -n "$targets" ] || targets=$(grep -v '^#' "$src/fuzz/targets" | cut -d'|' -f1)
mkdir -p "$out/crashes" "$out/logs"
failed=0
for t in $targets; do
	mkdir -p "$corpus/$t"
	"$out/$t" -max_total_time="$secs" -print_final_stats=1 \
		-rss_limit_mb=2048 -timeout=10 -max_len=65536 \
		-artifact_prefix="$out/crashes/$t-" \
		"$corpus/$t" "$out/seeds/$t" >"$out/logs/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$out/logs/$t.log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "fuzz $t: ${execs:-?} executions in ${secs}s, $cov, corpus $(ls "$corpus/$t" | wc -l), ok"
	else
		echo "fuzz $t: CRASH (exit $rc) after ${execs:-?} executions; log $out/logs/$t.log"
		grep -m3 -E 'ERROR|runtime error' "$out/logs/$t.log"
		failed=1
	fi
done
exit $failed
