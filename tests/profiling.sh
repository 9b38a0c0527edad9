#!/usr/bin/env bash
# profiling.sh - the profiling commands as a user meets them: `routebench breakdown` (trie
# against lazytrie), `routebench massif --parse` on the committed sample, usage errors, a tiny
# routebench-micro run (its CSV, fits and GB's JSON), and, outside sanitized builds and only
# when valgrind is installed, a tiny `routebench massif` run. No timing is asserted.
# usage: profiling.sh PATH/TO/routebench PATH/TO/routebench-micro|"" PROJECT_DIR SANITIZED(0|1)
set -u
RB=$1
MICRO=$2
ROOT=$3
SANITIZED=$4
. "$(dirname "$0")/lib.sh"
run() { run_cmd "$@"; } # here every run names its program (routebench or routebench-micro)
FIX=$ROOT/datasets/fixtures
export RB_CACHE_DIR=$T/cache



# --- breakdown ----------------------------------------------------------------------------
check "breakdown --help" run 0 "$RB" breakdown --help
check "breakdown without --impl" run 2 "$RB" breakdown --routes "$FIX/readme-routes.txt"
check "breakdown usage hint" grep -q "Try 'routebench breakdown --help'" "$T/err"
check "breakdown unknown impl" run 2 "$RB" breakdown --impl nosuch --routes "$FIX/readme-routes.txt"
check "breakdown both --routes and --size" run 2 "$RB" breakdown --impl trie --routes "$FIX/readme-routes.txt" --size 10
check "breakdown missing file" run 1 "$RB" breakdown --impl trie --routes "$T/none.txt"
check "breakdown trie,lazytrie" run 0 "$RB" breakdown --impls trie,lazytrie --routes "$FIX/readme-routes.txt"
check "breakdown names trie's nodes" grep -q "^trie: " "$T/out"
check "breakdown names lazytrie's child tables" grep -q "^  child tables " "$T/out"
check "breakdown compares against the first" grep -q "vs trie" "$T/out"
check "breakdown csv" run 0 "$RB" breakdown --impls trie,lazytrie --size 1000 --csv
check "breakdown csv sums to its total" awk -F, '
	NR == 1 { next }
	$2 == "total" { if (sum[$1] != $4) bad = 1; seen++; next }
	{ sum[$1] += $4 }
	END { exit !(seen == 2 && !bad) }' "$T/out"
check "breakdown --siz (an abbreviation): exit 2" run 2 "$RB" breakdown --impl trie --siz 10
check "breakdown --siz: said so" grep -q "unknown option '--siz' (did you mean '--size'?)" "$T/err"
check "breakdown --impls trie,,hash: exit 2" run 2 "$RB" breakdown --impls trie,,hash --size 10
check "breakdown --impls trie,,hash: said so" grep -q -- "--impls: empty item" "$T/err"
check "breakdown --impls hash,nosuch names it" run 2 "$RB" breakdown --impls hash,nosuch --size 10
check "breakdown --impls hash,nosuch: said so" grep -q "no implementation named 'nosuch'" "$T/err"

# measure --breakdown: the same table, from the measuring child, on stderr; the row stays on stdout
check "measure --breakdown" run 0 "$RB" measure --impl lazytrie --breakdown \
	--routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" --queries 3 --reps 1
check "measure --breakdown prints the components" grep -q "^  child tables " "$T/err"
check "measure --breakdown keeps stdout a header and one row" test "$(wc -l < "$T/out")" = 2

# --- massif --parse -------------------------------------------------------------------------
SAMPLE=$ROOT/tests/data/massif.sample.out
check "massif --help" run 0 "$RB" massif --help
check "massif without --out" run 2 "$RB" massif
check "massif -o without --parse" run 2 "$RB" massif --out "$T/m" -o "$T/x.csv"
check "massif bad time unit" run 2 "$RB" massif --out "$T/m" --time-unit hours
check "massif --parse sample" run 0 "$RB" massif --parse "$SAMPLE" -o "$T/sample.csv"
check "massif --parse counts snapshots" grep -q "7 snapshots, time unit B" "$T/out"
check "massif --parse finds the peak" grep -q "peak: snapshot 3 at time 89776: heap 89203 B + extra 93 B" "$T/out"
check "massif csv has 7 rows and one peak" awk -F, 'NR > 1 { n++; p += $6 } END { exit !(n == 7 && p == 1) }' "$T/sample.csv"
printf 'desc: x\ncmd: y\ntime_unit: B\nsnapshot=0\ntime=oops\n' >"$T/bad.out"
check "massif --impls all is a list like any other" run 0 "$RB" massif --impls all \
	--parse "$SAMPLE"
check "massif --impls hash,nosuch: exit 2" run 2 "$RB" massif --impls hash,nosuch --parse "$SAMPLE"
check "massif --impls hash,nosuch: names it" grep -q "no implementation named 'nosuch'" "$T/err"
check "massif --siz (an abbreviation): exit 2" run 2 "$RB" massif --out "$T/m" --siz 10
check "massif --siz: said so" grep -q "unknown option '--siz' (did you mean '--size'?)" "$T/err"
check "massif --size 200M: exit 2" run 2 "$RB" massif --out "$T/m" --size 200M
check "massif --size 200M: the range" grep -q -- "--size: want a count from 1 to 100M" "$T/err"
check "massif created nothing for a usage error" test ! -e "$T/m"
check "massif --parse bad file" run 1 "$RB" massif --parse "$T/bad.out"
check "massif --parse error names file and line" grep -q "bad.out:5: not a byte count" "$T/err"

# --- routebench-micro -------------------------------------------------------------------------
if [ -n "$MICRO" ] && [ -x "$MICRO" ]; then
	check "micro --help" run 0 "$MICRO" --help
	check "micro --help lists GB flags" grep -q benchmark_filter "$T/out"
	check "micro unknown option" run 2 "$MICRO" --frobnicate
	check "micro bad sizes" run 2 "$MICRO" --sizes 10,5
	check "micro unknown impl" run 2 "$MICRO" --impls nosuch
	check "micro unknown impl: names it" grep -q "no implementation named 'nosuch'" "$T/err"
	check "micro --sizes 1K,,10K: exit 2" run 2 "$MICRO" --sizes 1K,,10K
	check "micro --sizes 1K,,10K: said so" \
		grep -q -- "--sizes: empty item in '1K,,10K'" "$T/err"
	check "micro --sizes 200M: exit 2" run 2 "$MICRO" --sizes 200M
	check "micro --sizes 200M: the range" grep -q -- "--sizes: want a count from 1 to 100M" \
		"$T/err"
	check "micro --impls all" run 0 "$MICRO" --impls all --sizes 100 --queries 64 \
		--benchmark_filter=BM_Build/linear/ --benchmark_min_time=0.001 \
		--benchmark_repetitions=1
	check "micro --impls all: ran the filtered family" grep -q "BM_Build/linear/100" "$T/out"
	check "micro tiny run" run 0 "$MICRO" --sizes 100,1000 --impls linear,lazytrie --queries 256 \
		--benchmark_min_time=0.001 --benchmark_repetitions=2 --out "$T/micro"
	check "micro json has a median" grep -q '"BM_Lookup/lazytrie/hit/1000_median"' "$T/micro/micro.json"
	check "micro json has a fit" grep -q '"BM_Build/linear_BigO"' "$T/micro/micro.json"
	# 2 impls x (3 lookup modes + build) x 2 sizes, every one measured, hits all hit
	check "micro csv rows" awk -F, 'NR > 1 && $14 == "" && $6 > 0 { n++ } END { exit n != 16 }' "$T/micro/micro.csv"
	check "micro hit numbers hit" awk -F, '$4 == "hit" && $12 != "1.0000" { bad = 1 } END { exit bad }' "$T/micro/micro.csv"
	check "micro fits per family" awk -F, 'NR > 1 && $5 != "" { n++ } END { exit n != 8 }' "$T/micro/micro-fit.csv"
	check "micro plot data" grep -q '"lazytrie fit"' "$T/micro/micro-hit.dat"
	check "micro memory budget skips" run 0 "$MICRO" --sizes 100,1000 --impls trie --queries 64 \
		--mem-budget 1K --benchmark_min_time=0.001 --benchmark_repetitions=2 \
		--benchmark_filter=BM_Lookup/trie/hit --out "$T/skip"
	check "micro says what it skipped" grep -q "skipped: trie at 1000 routes" "$T/err"
	check "micro csv row of the skip" grep -q "^BM_Lookup/trie/hit/1000,.*,skipped: trie" "$T/skip/micro.csv"
	check "micro json records the skip" grep -q '"error_message": "skipped: trie at 1000' "$T/skip/micro.json"
else
	echo "skip: routebench-micro not built"
	skip=$((skip + 1))
fi

# --- routebench massif under valgrind (never in a sanitized build) ---------------------------
if [ "$SANITIZED" = 1 ]; then
	check "massif refuses an ASan build" run 1 "$RB" massif --out "$T/mv" --impls linear --size 100
	check "massif says why" grep -q "AddressSanitizer" "$T/err"
elif command -v valgrind >/dev/null 2>&1; then
	check "massif tiny run" run 0 "$RB" massif --out "$T/mv" --impls lazytrie,linear --size 1000 --numbers 10
	check "massif csv per impl" test -s "$T/mv/massif-lazytrie.csv" -a -s "$T/mv/massif-linear.csv"
	check "massif table lists both" awk -F, 'NR > 1 && $9 > 0 { n++ } END { exit n != 2 }' "$T/mv/massif.csv"
	# where vgdb caught the built table, massif's heap is the table's own bytes (within 2%)
	check "massif agrees with struct_bytes" awk -F, 'NR > 1 && $5 != "" {
		d = $5 - $7 - $10; if (d < 0) d = -d; if (d > 0.02 * $10) bad = 1 } END { exit bad }' "$T/mv/massif.csv"
else
	echo "skip: valgrind not installed"
	skip=$((skip + 1))
fi

finish profiling.sh
