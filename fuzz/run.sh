#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS [NAME...]: fuzz each target of fuzz/targets.txt (or those named)
# for SECONDS from its seed corpus, its regressions and what earlier runs found (kept in
# BUILD_DIR/fuzz-corpus/NAME, never in the committed corpus), with its dictionary if any.
# libFuzzer's random seed is FUZZ_SEED (1 by default), so a run on a fresh build repeats:
# CI fails on what a change did, not on what a new seed happened to find.
# Prints one line per target (executions, rate, corpus size, verdict); a crash leaves its
# input in BUILD_DIR/fuzz-crashes/ and makes the script fail: copy it to
# fuzz/regressions/NAME/ with the fix, so ctest replays it from then on.
set -u
BUILD=$1
SECONDS_EACH=$2
shift 2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
names=${*:-$(awk '/^[a-z]/ { print $1 }' "$ROOT/fuzz/targets.txt")}
mkdir -p "$BUILD/fuzz-crashes" "$BUILD/fuzz-logs"
failed=0
for t in $names; do
	bin=$BUILD/fuzz/fuzz_$t
	log=$BUILD/fuzz-logs/$t.log
	dirs=("$BUILD/fuzz-corpus/$t")
	mkdir -p "${dirs[0]}"
	for d in corpus regressions; do
		[ -d "$ROOT/fuzz/$d/$t" ] && dirs+=("$ROOT/fuzz/$d/$t")
	done
	opts=(-max_total_time="$SECONDS_EACH" -seed="${FUZZ_SEED:-1}" -print_final_stats=1
	      -timeout=10 -rss_limit_mb=2048
	      -artifact_prefix="$BUILD/fuzz-crashes/$t-")
	[ -f "$ROOT/fuzz/$t.dict" ] && opts+=(-dict="$ROOT/fuzz/$t.dict")
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: $bin missing (build with -DRB_FUZZ=ON)"
		failed=1
		continue
	fi
	"$bin" "${opts[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
	rate=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log")
	corpus=$(ls "${dirs[0]}" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "fuzz $t: ${SECONDS_EACH}s, ${execs:-?} runs (${rate:-?}/s), corpus $corpus: ok"
	else
		failed=1
		echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} runs; log $log"
		grep -E 'ERROR|check failed|SUMMARY|artifact|Test unit written' "$log" | head -8 |
			sed 's/^/  /'
	fi
done
exit $failed
