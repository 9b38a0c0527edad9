#!/usr/bin/env bash
# machine.sh - `routebench machine` and `routebench cachesim` as a user meets them: usage
# errors, a quick machine run whose figures are all there, positive and finite (no timing is
# asserted: a busy machine may order them any way), its CSV and JSON; cachesim --parse on the
# committed sample and on broken files; and, outside sanitized builds and only with valgrind,
# cachesim on two implementations at 1K routes, twice: the same counts both times; and of the
# cold query set (distinct numbers, bench's cold file): its rows labelled, deterministic too.
# usage: machine.sh PATH/TO/routebench PROJECT_DIR SANITIZED(0|1)
set -u
RB=$1
ROOT=$2
SANITIZED=$3
. "$(dirname "$0")/lib.sh"
export RB_CACHE_DIR=$T/cache

# --- machine ------------------------------------------------------------------------------
check "machine --help" run 0 machine --help
check "machine help names the plateaus" grep -q "L1," "$T/out"
check "machine bad --max-bytes" run 2 machine --max-bytes 3M
check "machine --max-bytes too large" run 2 machine --max-bytes 2G
check "machine usage hint" grep -q "Try 'routebench machine --help'" "$T/err"
check "machine --csv and --json" run 2 machine --quick --csv --json
check "machine unknown option" run 2 machine --frobnicate
check "machine --runs 0" run 2 machine --runs 0

check "machine --quick" run 0 machine --quick --max-bytes 16M
for f in l1_ns l2_ns llc_ns dram_ns seq_read_gb_s random_read_ns random_reads_per_s; do
	check "machine table has $f" grep -q "^  $f " "$T/out"
done
check "machine table names the caches" grep -q "^caches (" "$T/out"

check "machine --quick --csv" run 0 machine --quick --max-bytes 16M --csv
check "machine csv header" test "$(head -1 "$T/out")" = "figure,working_set_bytes,parallel,value,unit"
# every figure once, every value a positive finite number, every row five fields
check "machine csv figures" awk -F, '
	NR == 1 { next }
	NF != 5 || $4 !~ /^[0-9]+(\.[0-9]+)?$/ || $4 + 0 <= 0 { bad = 1 }
	{ seen[$1]++ }
	END {
		n = split("l1_ns l2_ns llc_ns dram_ns seq_read_gb_s random_read_ns random_reads_per_s", f, " ")
		for (i = 1; i <= n; i++) if (seen[f[i]] != 1) bad = 1
		if (seen["latency"] != 13 || seen["parallel_read"] != 6) bad = 1
		exit bad
	}' "$T/out"
check "machine csv working sets 4 KiB to 16 MiB" awk -F, '
	$1 == "latency" { if (!first) first = $2; last = $2 }
	END { exit !(first == 4096 && last == 16777216) }' "$T/out"

check "machine --quick --json" run 0 machine --quick --max-bytes 1M --json
check "machine json" python3 -c '
import json, math, sys
d = json.load(open(sys.argv[1]))
m = d["machine"]
for k in ("l1_ns", "l2_ns", "llc_ns", "dram_ns", "seq_read_gb_s", "random_read_ns",
          "random_reads_per_s"):
    assert m[k] > 0 and math.isfinite(m[k]), k
assert m["membench_max_bytes"] == 1 << 20
assert m["dram_beyond_llc"] is False      # 1 MiB is no DRAM working set, and it says so
assert len(d["latency"]) == 9 and d["latency"][0]["bytes"] == 4096
assert [p["chains"] for p in d["parallel"]] == [1, 2, 4, 8, 16, 32]
assert d["caches"]["source"] in ("sysfs", "sysconf", "unknown")
' "$T/out"

# bench --machine-limits records the same figures in meta.json's machine object
check "bench --machine-limits" run 0 bench --impls lazytrie --sizes 100 --queries 10 --reps 1 \
	--strategies index --no-plots --machine-limits --out "$T/bench"
check "meta.json has the machine's limits" python3 -c '
import json, math, sys
m = json.load(open(sys.argv[1]))["machine"]
assert m["cores"] >= 1
for k in ("l1_ns", "l2_ns", "llc_ns", "dram_ns", "seq_read_gb_s", "random_read_ns"):
    assert m[k] > 0 and math.isfinite(m[k]), k
' "$T/bench/meta.json"

# --- cachesim: usage and the parser ---------------------------------------------------------
SAMPLE=$ROOT/tests/data/callgrind.out.sample
check "cachesim --help" run 0 cachesim --help
check "cachesim unknown impl" run 2 cachesim --impls nosuch
check "cachesim bad size" run 2 cachesim --size 0
check "cachesim child options alone" run 2 cachesim --impl lazytrie
check "cachesim --child without files" run 2 cachesim --child --impl lazytrie
check "cachesim --parse with --out" run 2 cachesim --parse "$SAMPLE" --out "$T/x"
check "cachesim bad query set" run 2 cachesim --query-set tepid
check "cachesim bad query set says so" grep -q "'tepid' is neither hot nor cold" "$T/err"
check "cachesim empty query set" run 2 cachesim --query-set ,
check "cachesim bad cold count" run 2 cachesim --query-set cold --cold-numbers 0
check "cachesim --parse sample" run 0 cachesim --parse "$SAMPLE"
check "cachesim --parse totals" grep -q "figures from its totals: line" "$T/out"
check "cachesim --parse Ir" grep -qx "Ir    9757" "$T/out"
check "cachesim --parse D1mr" grep -qx "D1mr  17" "$T/out"
check "cachesim --parse caches" grep -q "^D1 32768 B 8-way, LL 33554432 B 16-way, 64 B lines" "$T/out"
printf 'events: Ir Dr\ntotals: 12 x\n' >"$T/bad.out"
check "cachesim --parse bad file" run 1 cachesim --parse "$T/bad.out"
check "cachesim --parse names file and line" grep -q "bad.out:2: not a count" "$T/err"
head -c 300 "$SAMPLE" >"$T/cut.out"
check "cachesim --parse cut file" run 1 cachesim --parse "$T/cut.out"
check "cachesim --parse says why" grep -q "cut.out: no events: line" "$T/err"
check "cachesim --parse missing file" run 1 cachesim --parse "$T/none.out"

# --- cachesim under valgrind (never in a sanitized build) ---------------------------------------
COLS=impl,n_routes,lookups,instr_per_lookup,d1_misses_per_lookup,ll_misses_per_lookup
if [ "$SANITIZED" = 1 ]; then
	check "cachesim refuses an ASan build" run 1 cachesim --impls linear --size 100
	check "cachesim says why" grep -q "AddressSanitizer" "$T/err"
elif command -v valgrind >/dev/null 2>&1; then
	check "cachesim 2 impls at 1K" run 0 cachesim --impls lazytrie,sorted --size 1K --numbers 1K \
		--out "$T/cs"
	cp "$T/out" "$T/run1.csv"
	check "cachesim csv columns" test "$(head -1 "$T/run1.csv" | cut -d, -f1-6)" = "$COLS"
	check "cachesim wrote DIR/cachesim.csv" cmp -s "$T/run1.csv" "$T/cs/cachesim.csv"
	check "cachesim kept callgrind's files" test -s "$T/cs/callgrind.out.lazytrie" -a -s "$T/cs/sorted.log"
	check "cachesim rows ok" awk -F, 'NR > 1 && $(NF - 1) == "ok" && $3 == 1000 && $4 > 0 { n++ }
		END { exit n != 2 }' "$T/run1.csv"
	check "cachesim same answers" test "$(awk -F, 'NR > 1 { print $19 }' "$T/run1.csv" | sort -u | wc -l)" = 1
	mkdir -p "$T/tmp"
	export TMPDIR=$T/tmp
	check "cachesim again" run 0 cachesim --impls lazytrie,sorted --size 1K --numbers 1K
	unset TMPDIR
	# every column but valgrind_s (wall time) is the same: the simulator is deterministic
	strip() { awk -F, -v OFS=, '{ $(NF - 3) = ""; print }' "$1"; }
	check "cachesim counts are deterministic" cmp -s <(strip "$T/run1.csv") <(strip "$T/out")
	check "cachesim removed its temporary folder" test -z "$(ls -A "$T/tmp")"
	check "cachesim rows say hot" test "$(awk -F, 'NR > 1 { print $(NF - 2) }' "$T/run1.csv" |
		sort -u)" = hot
	# the cold set: bench's distinct file, a row per implementation after the hot ones
	check "cachesim hot,cold" run 0 cachesim --impls lazytrie,sorted --size 1K --numbers 1K \
		--query-set hot,cold --cold-numbers 3K --out "$T/cs2"
	cp "$T/out" "$T/run2.csv"
	check "cachesim hot,cold: a row each, hot first" test "$(awk -F, 'NR > 1 {
		printf "%s:%s:%s ", $1, $(NF - 2), $3 }' "$T/run2.csv")" = \
		"lazytrie:hot:1000 sorted:hot:1000 lazytrie:cold:3000 sorted:cold:3000 "
	check "cachesim hot,cold: all ok" test "$(awk -F, 'NR > 1 { print $(NF - 1) }' \
		"$T/run2.csv" | sort -u)" = ok
	check "cachesim cold: the hot rows are the hot run's" cmp -s <(strip "$T/run1.csv") \
		<(strip "$T/run2.csv" | head -n 3)
	check "cachesim cold: kept its own files" test -s "$T/cs2/callgrind.out.sorted.cold" -a \
		-s "$T/cs2/lazytrie.cold.log" -a -s "$T/cs2/callgrind.out.sorted"
	check "cachesim cold: the same answers, not the hot set's" test "$(awk -F, \
		'NR > 1 { print $(NF - 2) ":" $19 }' "$T/run2.csv" | sort -u | wc -l)" = 2
	COLDQ=$(ls "$T"/cache/numbers-n3000-*-distinct-routes-makeschool-n1000-*.txt)
	check "cachesim cold: bench's distinct file" test "$(wc -l < "$COLDQ")" = 3000
	check "cachesim cold: every number once" test -z "$(sort "$COLDQ" | uniq -d)"
	# a cold pass over its instruction budget: sorted (~750 a lookup) looks up 1,000,000 / 750
	check "cachesim cold budget" run 0 cachesim --impls lazytrie,sorted --size 1K --numbers 1K \
		--query-set hot,cold --cold-numbers 3K --cold-budget 1M
	check "cachesim cold budget: sorted capped, said so" awk -F, 'NR > 1 && $(NF - 2) == "cold" {
		if ($1 == "sorted") { ok = $3 > 1000 && $3 < 1500 && $NF ~ /^the first [0-9]+ numbers only: 1000000 instructions a pass at most/ }
		else if ($3 != 3000) exit 1 } END { exit !ok }' "$T/out"
	check "cachesim bad budget" run 2 cachesim --cold-budget 0
	check "cachesim cold alone" run 0 cachesim --impls lazytrie,sorted --size 1K \
		--query-set cold --cold-numbers 3K
	check "cachesim cold counts are deterministic" cmp -s <(strip "$T/out") \
		<(strip "$T/run2.csv" | sed -n '1p;4,$p')
else
	skipped "valgrind not installed"
fi

finish machine.sh
