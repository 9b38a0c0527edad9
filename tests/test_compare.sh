#!/usr/bin/env bash
# test_compare.sh - `routebench compare` on two tiny real runs of the same build: every matched
# cell is in the table, a cell in one run only is listed, --threshold fails a doctored copy whose
# samples for one cell were multiplied by 3 and passes it under a higher threshold, incomplete
# runs are refused (unless --allow-incomplete), meta differences are warned, an older cells.csv
# without lookup_samples compares without a test, and bad usage exits 2. The only timing asserted
# is the doctored threefold slowdown (a copy of run A, its cell made steady, against itself, so
# no noise enters).
# usage: test_compare.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
. "$(dirname "$0")/lib.sh"

has() { grep -qF -- "$2" "$1" || { echo "  not in $1: $2"; return 1; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { echo "  unexpectedly in $1: $2"; return 1; }; }
# cp_run SRC DST: a copy of a run folder.
cp_run() { rm -rf "$2" && cp -r "$1" "$2"; }
# scale CSV IMPL ROUTES F: multiply one index row's lookup_ns and lookup_samples by F.
scale() {
	awk -F, -v OFS=, -v i="$2" -v n="$3" -v f="$4" '
		NR == 1 { for (j = 1; j <= NF; j++) c[$j] = j; print; next }
		$c["impl"] == i && $c["n_routes"] == n && $c["strategy"] == "index" {
			$c["lookup_ns"] = sprintf("%.2f", $c["lookup_ns"] * f)
			k = split($c["lookup_samples"], s, ";"); out = ""
			for (j = 1; j <= k; j++) out = out (j > 1 ? ";" : "") sprintf("%.2f", s[j] * f)
			$c["lookup_samples"] = out
		}
		{ print }' "$1" > "$1.new" && mv "$1.new" "$1"
}
# steady CSV IMPL ROUTES: give one index row nine steady samples, 100 to 108 ns (median 104).
# Real samples on a loaded machine can spread over more than 3x, and then the U test rightly
# finds no difference between a cell and its threefold copy; a steady cell leaves no doubt.
steady() {
	awk -F, -v OFS=, -v i="$2" -v n="$3" '
		NR == 1 { for (j = 1; j <= NF; j++) c[$j] = j; print; next }
		$c["impl"] == i && $c["n_routes"] == n && $c["strategy"] == "index" {
			$c["lookup_ns"] = "104.00"
			$c["lookup_samples"] = "100;101;102;103;104;105;106;107;108"
		}
		{ print }' "$1" > "$1.new" && mv "$1.new" "$1"
}
# drop CSV IMPL ROUTES: remove one index row.
drop() {
	awk -F, -v i="$2" -v n="$3" '
		NR == 1 { for (j = 1; j <= NF; j++) c[$j] = j; print; next }
		!($c["impl"] == i && $c["n_routes"] == n && $c["strategy"] == "index")' "$1" \
		> "$1.new" && mv "$1.new" "$1"
}

bench() {
	nice "$RB" bench --impls hash,lazytrie --sizes 100,1K --reps 9 --queries 1000 --no-plots \
		--cache "$T/cache" --out "$1" >"$T/bench.out" 2>&1
}
check "bench: run A" bench "$T/a"
check "bench: run B" bench "$T/b"
A=$T/a B=$T/b
# the allocator that served the cells: glibc, or asan under the sanitizers
AL=$(awk -F, 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "allocator") a = j; next }
	{ print $a; exit }' "$A/cells.csv")

# --- two runs of the same build --------------------------------------------------------------
# no --threshold: on a loaded machine two real runs can differ by any factor (seen: over 4x)
check "same build: the table, exit 0" run 0 compare "$A" "$B"
cp "$T/out" "$T/ab.md"
for impl in hash lazytrie; do
	for n in 100 1000; do
		check "table: $impl at $n matched" has "$T/ab.md" "| $impl | $AL | $n | 1 | index | "
	done
done
check "table: the stream cells matched" has "$T/ab.md" "| stream | $AL | 1000 | 1 | stream | "
check "table: 6 cells matched" has "$T/ab.md" "6 cells matched."
check "table: 9 reps a side, no power warning" hasnt "$T/ab.md" "little power"
check "table: nothing only in A" has "$T/ab.md" "## Cells only in run A

None."
check "same build: no cpu warning" hasnt "$T/ab.md" "warning: cpu differs"
check "csv: one line per cell and a header" run 0 compare "$A" "$B" --csv
check "csv: 7 lines" [ "$(wc -l < "$T/out")" = 7 ]
check "csv: header" has "$T/out" "in,impl,allocator,n_routes,n_carriers,strategy,build_ratio,"
check "csv: a matched row" has "$T/out" "both,hash,$AL,100,1,index,"

# --- the doctored copy: one cell three times slower --------------------------------------------
cp_run "$A" "$T/steady"
steady "$T/steady/cells.csv" lazytrie 1000
cp_run "$T/steady" "$T/slow"
scale "$T/slow/cells.csv" lazytrie 1000 3
check "doctored: exit 1 over 100%" run 1 compare "$T/steady" "$T/slow" --threshold 100
check "doctored: the cell is named a regression" has "$T/out" \
	"| lazytrie | $AL | 1000 | 1 | index | "
grep -F "| lazytrie | $AL | 1000 | 1 | index | " "$T/out" > "$T/row"
check "doctored: verdict REGRESSION" has "$T/row" "REGRESSION: slower"
check "doctored: ratio 3" has "$T/row" " | 3.000 | "
check "doctored: stderr says how many" has "$T/err" "1 cells regressed by more than 100%"
check "doctored: one regression only" [ "$(grep -c REGRESSION "$T/out")" = 1 ]
check "doctored: csv flags it" run 1 compare "$T/steady" "$T/slow" --threshold 100 --csv
check "doctored: csv regressed column" has "$T/out" ",1,REGRESSION: slower"
check "doctored: below 200% it passes" run 0 compare "$T/steady" "$T/slow" --threshold 250
check "doctored: without --threshold exit 0" run 0 compare "$T/steady" "$T/slow"
check "doctored: faster the other way" run 0 compare "$T/slow" "$T/steady" --threshold 0
check "the same run against itself: exit 0 at 0%" run 0 compare "$A" "$A" --threshold 0

# --- a cell in one run only ---------------------------------------------------------------------
cp_run "$B" "$T/fewer"
drop "$T/fewer/cells.csv" hash 1000
check "one run only: exit 0" run 0 compare "$A" "$T/fewer"
check "one run only: 5 matched" has "$T/out" "5 cells matched."
sed -n '/## Cells only in run A/,/## Cells only in run B/p' "$T/out" > "$T/only"
check "one run only: listed under A" has "$T/only" "| hash | $AL | 1000 | 1 | index | ok |"
check "one run only: the other way, under B" run 0 compare "$T/fewer" "$A" --csv
check "one run only: csv row" has "$T/out" "b,hash,$AL,1000,1,index,"

# --- incomplete runs ------------------------------------------------------------------------
cp_run "$B" "$T/part"
sed -i 's/"complete": true/"complete": false/' "$T/part/meta.json"
check "incomplete B: refused" run 1 compare "$A" "$T/part"
check "incomplete B: says why" has "$T/err" "the run is incomplete"
check "incomplete B: names the file" has "$T/err" "$T/part/meta.json"
check "incomplete A: refused" run 1 compare "$T/part" "$A"
check "incomplete: --allow-incomplete compares" run 0 compare "$A" "$T/part" --allow-incomplete
check "incomplete: shown in the table" has "$T/out" "| complete | yes | no |"

# --- meta differences -------------------------------------------------------------------------
cp_run "$B" "$T/other"
sed -i 's/"cpu_model": "[^"]*"/"cpu_model": "Imaginary CPU 9000"/; s/"c_flags": "[^"]*"/"c_flags": "-O0"/' \
	"$T/other/meta.json"
check "meta: exit 0" run 0 compare "$A" "$T/other"
check "meta: cpu warned" has "$T/out" "- warning: cpu differs: A \""
check "meta: cpu side by side" has "$T/out" "| Imaginary CPU 9000 |"
check "meta: flags warned" has "$T/out" "\", B \"-O0\""
check "meta: csv warns on stderr" run 0 compare "$A" "$T/other" --csv
check "meta: csv warning" has "$T/err" "routebench compare: warning: cpu differs"
rm "$T/other/meta.json"
check "no meta.json: compared, warned" run 0 compare "$A" "$T/other"
check "no meta.json: said so" has "$T/out" "warning: run B has no meta.json"

# --- an older cells.csv (no lookup_samples) and few reps ------------------------------------
cp_run "$B" "$T/old"
awk -F, -v OFS=, 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "lookup_samples") s = j }
	{ NF = s - 1; print }' "$B/cells.csv" > "$T/old/cells.csv"
check "older run: exit 0 even with a threshold" run 0 compare "$A" "$T/old" --threshold 0
check "older run: no samples said" has "$T/out" "no samples (older run?)"
cp_run "$B" "$T/few"
awk -F, -v OFS=, 'NR == 1 { for (j = 1; j <= NF; j++) c[$j] = j; print; next }
	$c["lookup_samples"] != "" { k = split($c["lookup_samples"], s, ";")
		$c["lookup_samples"] = s[1] ";" s[2] ";" s[3] } { print }' "$B/cells.csv" \
	> "$T/few/cells.csv"
check "few reps: compared" run 0 compare "$A" "$T/few"
check "few reps: little power warned" has "$T/out" "the U test has little power"
check "few reps: verdict marked" has "$T/out" "(few reps) |"
check "the report still reads a run with samples" run 0 report "$A"
check "the report says nothing of lookup_samples" hasnt "$A/REPORT.md" "lookup_samples"

# --- usage --------------------------------------------------------------------------------
check "usage: one folder" run 2 compare "$A"
check "usage: three folders" run 2 compare "$A" "$B" "$A"
check "usage: bad threshold" run 2 compare "$A" "$B" --threshold -1
check "usage: bad alpha" run 2 compare "$A" "$B" --alpha 1
check "usage: unknown option" run 2 compare "$A" "$B" --thresh 5
check "help: exit 0" run 0 compare --help
check "help: names the test" has "$T/out" "Mann-Whitney U"
check "no such run: exit 1" run 1 compare "$A" "$T/none"
check "main help lists compare" run 0 --help
check "main help: compare" has "$T/out" "compare"

finish test_compare
