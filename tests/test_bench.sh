#!/usr/bin/env bash
# test_bench.sh - the benchmark harness end to end on tiny sizes: `bench` writes cells.csv with
# every required column and one ok row per cell, answers agree across implementations and with
# the stream strategy (one carrier and two), a cell that runs out of memory is a row (oom, then
# skipped) and the run goes on, `measure` prints a header and a row whatever becomes of the
# cell (a bad route line is a crash row naming the file and line, in both strategies), the
# allocator's heap figures are there (and jemalloc's active pages cover what it handed out),
# --allocator-impls picks who runs under the second allocator, and the charts are drawn
# (crossover per carrier count, pareto). No timing is asserted.
# usage: test_bench.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"



# col FILE NAME [FILTER_COL FILTER_VALUE]: the NAME field of every data row (optionally only
# the rows whose FILTER_COL is FILTER_VALUE), found by the header.
col() {
	awk -F, -v n="$2" -v fc="${3:-}" -v fv="${4:-}" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		fc == "" || $c[fc] == fv { print $c[n] }' "$1"
}
# all_equal: stdin lines are all the same (and there is at least one).
all_equal() { [ "$(sort -u | wc -l)" = 1 ]; }
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

REQUIRED="impl allocator n_routes n_carriers n_queries parse_s build_s lookup_ns peak_rss_bytes
	baseline_rss_bytes heap_bytes struct_bytes bytes_per_route nodes checksum status
	heap_active_bytes heap_resident_bytes heap_metadata_bytes"
IMPLS=$("$RB" list | awk '/^[^ ]/ { print $1 }')
N_IMPLS=$(echo $IMPLS | wc -w)
[ "$N_IMPLS" -gt 0 ] || { echo "FAIL: 'routebench list' named no implementation"; exit 1; }
# the stream strategy's rows are named "stream": no implementation may take the name
check "no implementation is named stream" test -z "$(grep -x stream <<< "$IMPLS")"

# --- usage --------------------------------------------------------------------------------
check "bench --help" run 0 bench --help
check "measure --help" run 0 measure --help
check "bench: unknown implementation" run 2 bench --impls nosuch
check "bench: bad sizes" run 2 bench --sizes 10,x
check "bench: bad allocator" run 2 bench --allocators tcmalloc
check "bench: unknown --allocator-impls name" run 2 bench --allocator-impls hash,nosuch
check "bench: unknown --allocator-impls name, said so" \
	grep -q "no implementation named 'nosuch'" "$T/err"
check "bench: bad mem-limit" run 2 bench --mem-limit lots
check "bench: unknown strategy" run 2 bench --strategies index,scan
check "bench: stream is not an implementation" run 2 bench --impls hash,stream
check "bench: stream is not an implementation, said so" grep -q "'stream' is a strategy" "$T/err"
check "measure: unknown strategy" run 2 measure --strategy scan --routes x --numbers y
check "measure --strategy stream takes no --impl" run 2 measure --strategy stream --impl hash \
	--routes x --numbers y
check "measure without --impl" run 2 measure --routes x --numbers y
check "measure without --numbers" run 2 measure --impl linear --routes x
check "measure: unknown implementation" run 2 measure --impl nosuch --routes x --numbers y

# --- strict options: exact names, no empty list item, values in range, before anything exists --
# Each would have run (or started) a real bench before; cheap flags keep that small if it does.
CHEAP="--impls hash --strategies index --queries 10 --reps 1 --no-plots --cache $T/cache"
# strict NAME STDERR_REGEX ARGS...: exit 2, the message, and no run folder $T/strict
strict() {
	local name=$1 want=$2
	shift 2
	check "$name: exit 2" run 2 "$@"
	check "$name: says '$want'" grep -Eq -- "$want" "$T/err"
	check "$name: nothing created" test ! -e "$T/strict"
}
strict "bench --size (an abbreviation of --sizes)" \
	"unknown option '--size' \(did you mean '--sizes'\?\)" \
	bench --size 10 $CHEAP --out "$T/strict"
strict "bench --sizes 1K,,2 (an empty item)" "--sizes: empty item in '1K,,2'" \
	bench --sizes 1K,,2 $CHEAP --out "$T/strict"
strict "bench --sizes 10, (an empty last item)" "--sizes: empty item" \
	bench --sizes 10, $CHEAP --out "$T/strict"
strict "bench --carriers 1,,2" "--carriers: empty item" \
	bench --sizes 10 --carriers 1,,2 $CHEAP --out "$T/strict"
strict "bench --impls hash,,linear" "--impls: empty item" \
	bench --impls hash,,linear --strategies index --sizes 10 --queries 10 --reps 1 \
	--no-plots --cache "$T/cache" --out "$T/strict"
strict "bench --allocators glibc,,glibc" "--allocators: empty item" \
	bench --allocators glibc,,glibc --sizes 10 $CHEAP --out "$T/strict"
strict "bench --strategies index," "--strategies: empty item" \
	bench --strategies index, --impls hash --sizes 10 --queries 10 --reps 1 --no-plots \
	--cache "$T/cache" --out "$T/strict"
strict "bench --sizes 200M (past the generator)" \
	"--sizes: want a count from 1 to 100M, not '200M'" \
	bench --sizes 200M $CHEAP --out "$T/strict"
strict "bench --queries 200M (past the generator)" \
	"--queries: want a count from 1 to 100M, not '200M'" \
	bench --sizes 10 --impls hash --strategies index --queries 200M --reps 1 --no-plots \
	--cache "$T/cache" --out "$T/strict"
check "measure --imp (an abbreviation of --impl): exit 2" run 2 measure --imp hash --routes x \
	--numbers y
check "measure --imp: said so" grep -q "unknown option '--imp' (did you mean '--impl'?)" "$T/err"
check "measure --reps 1001: exit 2" run 2 measure --impl hash --routes x --numbers y --reps 1001
check "measure --reps 1001: the range" grep -q -- "--reps: want a count from 1 to 1000" "$T/err"
check "measure --in-process=1: exit 2" run 2 measure --impl hash --routes x --numbers y \
	--in-process=1
check "measure --in-process=1: said so" grep -q -- "--in-process takes no value" "$T/err"

# --- a tiny ladder: every cell ok, every column there, answers agree -----------------------
check "bench tiny ladder: exit 0" run 0 bench --sizes 10,100 --queries 100 --reps 2 \
	--out "$T/run" --cache "$T/cache"
CSV=$T/run/cells.csv
HEADER=$(head -n 1 "$CSV")
for c in $REQUIRED; do
	check "cells.csv has column $c" grep -Eq "(^|,)$c(,|$)" <<< "$HEADER"
done
check "one row per cell, and a stream cell per size" \
	test "$(($(wc -l < "$CSV") - 1))" = $((2 * (N_IMPLS + 1)))
check "every cell ok" test "$(col "$CSV" status | sort -u)" = ok
check "every row has the header's field count" \
	test "$(awk -F, '{ print NF }' "$CSV" | sort -u | wc -l)" = 1
check "every implementation measured" \
	test "$(col "$CSV" impl strategy index | sort -u | wc -l)" = "$N_IMPLS"
check "stream rows: impl stream, strategy stream, one per size" \
	test "$(col "$CSV" strategy impl stream | tr '\n' ' ')/$(col "$CSV" n_routes impl stream | \
	tr '\n' ' ')" = "stream stream /10 100 "
check "strategy index or stream" test "$(col "$CSV" strategy | sort -u | tr '\n' ' ')" = \
	"index stream "
check "no sampling at 100 queries" test "$(col "$CSV" n_queries | sort -u)" = 100
check "peak RSS reported" test -z "$(col "$CSV" peak_rss_bytes | grep -x 0)"
check "structure bytes reported" test -z "$(col "$CSV" struct_bytes strategy index | grep -x 0)"
check "stream: a time per checkpoint, up to n_queries" \
	test "$(col "$CSV" stream_points impl stream | sed 's/:[0-9.]*//g' | sort -u)" = "1;10;100"
check "stream: every time positive" test -z "$(col "$CSV" stream_points impl stream |
	tr ';' '\n' | awk -F: '!($2 > 0)')"
check "stream: no build, no lookup time, no table" test "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["impl"] == "stream" { print $c["parse_s"] $c["build_s"] $c["lookup_ns"] \
	  $c["bytes_per_route"] "/" $c["struct_bytes"] }' "$CSV" | sort -u)" = /0
check "index rows: no stream points" test -z "$(col "$CSV" stream_points strategy index | sort -u)"
check "bytes_per_route = struct_bytes / routes" test -z "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "index" { want = $c["struct_bytes"] / ($c["n_routes"] * $c["n_carriers"])
	  if ($c["bytes_per_route"] - want > 0.01 || want - $c["bytes_per_route"] > 0.01) print }' "$CSV")"
for n in 10 100; do
	check "same answers at $n routes" all_equal < <(col "$CSV" checksum n_routes "$n")
	check "same checkpoints at $n routes" all_equal < <(col "$CSV" checkpoints n_routes "$n")
done
check "heap figures of every ok index row" test -z "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] != "index" { next }
	$c["heap_active_bytes"] !~ /^-?[0-9]+$/ || $c["heap_resident_bytes"] !~ /^-?[0-9]+$/ ||
	$c["heap_metadata_bytes"] !~ /^-?[0-9]+$/ { print }' "$CSV")"
check "glibc: active is allocated (no page-level figure)" test -z "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "index" && $c["allocator"] == "glibc" &&
	$c["heap_active_bytes"] != $c["heap_bytes"] { print }' "$CSV")"
check "checkpoints end at the row's checksum" test -z "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["checkpoints"] !~ (":" $c["checksum"] "$") { print }' "$CSV")"
check "a progress line per cell" test "$(grep -c '^\[ *[0-9]*/' "$T/err")" = $((2 * (N_IMPLS + 1)))
check "a summary table" grep -q "^impl  *alloc" "$T/err"
check "says where the results are" grep -q "results: $T/run/cells.csv" "$T/err"
check "latest points at the run" test "$(readlink "$T/latest")" = run
check "meta.json written" test -s "$T/run/meta.json"
for key in cpu_model cores mem_total_bytes kernel compiler c_flags git_commit glibc sha256 \
	started finished columns; do
	check "meta.json has $key" grep -q "\"$key\"" "$T/run/meta.json"
done
check "meta.json records dataset sha256" grep -Eq '"sha256": "[0-9a-f]{64}"' "$T/run/meta.json"
check "meta.json records the strategies" grep -q '"strategies": "index,stream"' "$T/run/meta.json"
check "meta.json records the query sets" grep -q '"query_sets": "hot",' "$T/run/meta.json"
check "meta.json: a run that finished is complete" grep -q '"complete": true,' "$T/run/meta.json"
check "meta.json: a complete run gives no reason" \
	test -z "$(grep incomplete_reason "$T/run/meta.json")"
for c in strategy stream_points; do
	check "meta.json documents $c" grep -q "\"$c\": \"" "$T/run/meta.json"
done
if command -v python3 >/dev/null; then
	check "meta.json is valid JSON" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$T/run/meta.json"
fi
# --- charts ----------------------------------------------------------------------------------
if command -v gnuplot >/dev/null; then
	for chart in build_time lookup_time peak_rss bytes_per_route crossover parse_speed \
		alloc_overhead pareto; do
		check "chart $chart.png is a PNG" is_png "$T/run/$chart.png"
		check "chart $chart.svg written" test -s "$T/run/$chart.svg"
	done
	check "says where the charts are" grep -q "charts:  $T/run/" "$T/err"
	check "one carrier only: no second crossover chart" \
		test -z "$(ls "$T/run" | grep '^crossover_.*carriers')"
	rm "$T/run/build_time.png"
	check "charts redrawn from the result files alone" \
		gnuplot -e "dir='$T/run'" "$ROOT/plots/all.gp" >/dev/null 2>&1
	check "redrawn chart is a PNG" is_png "$T/run/build_time.png"
	# a parse that printed 0.0 MB/s (a tiny file, the scheduler stalled it) breaks no chart
	mkdir -p "$T/zero" && cp "$T/run/"*.csv "$T/run/meta.json" "$T/zero/"
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		NR == 2 { $c["parse_mb_s"] = "0.0" } { print }' "$T/run/cells.csv" > "$T/zero/cells.csv"
	check "a parse speed of 0.0: every chart still drawn" \
		gnuplot -e "dir='$T/zero'" "$ROOT/plots/all.gp" >/dev/null 2>&1
	check "a parse speed of 0.0: the last chart is a PNG" is_png "$T/zero/pareto.png"
else
	skipped "gnuplot not installed: charts not checked"
fi
cp "$CSV" "$T/cells.before"
check "a folder holding a run is refused" run 1 bench --sizes 10 --out "$T/run" --cache "$T/cache"
check "bench --impls all: exit 0" run 0 bench --impls all --strategies index --sizes 10 \
	--queries 10 --reps 1 --no-plots --out "$T/all" --cache "$T/cache"
check "bench --impls all: every implementation, once" \
	test "$(col "$T/all/cells.csv" impl | tr '\n' ' ')" = "$(echo $IMPLS) "
check "the refused run left cells.csv alone" cmp -s "$CSV" "$T/cells.before"

# --- the stream strategy against the indexed ones, one carrier and two ----------------------
check "strategies ladder: exit 0" run 0 bench --impls linear,hash,lazytrie \
	--strategies index,stream --sizes 10,1000 --carriers 1,2 --queries 100 --reps 2 \
	--out "$T/st" --cache "$T/cache"
ST=$T/st/cells.csv
check "strategies ladder: 3 indexed + 1 stream cell per size and carrier count" \
	test "$(($(wc -l < "$ST") - 1))" = 16
check "strategies ladder: every cell ok" test "$(col "$ST" status | sort -u)" = ok
# rows of one dataset (size, carriers): "n_routes x n_carriers" then a column
by_dataset() {
	awk -F, -v y="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["n_routes"] "x" $c["n_carriers"], $c[y], $c["impl"] }' "$1"
}
check "strategies ladder: a stream row per size and carrier count" \
	test "$(by_dataset "$ST" status | awk '$3 == "stream" { printf "%s ", $1 }')" = \
	"10x1 1000x1 10x2 1000x2 "
for d in 10x1 1000x1 10x2 1000x2; do
	check "stream answers as the indexes at $d" \
		all_equal < <(by_dataset "$ST" checkpoints | awk -v d=$d '$1 == d { print $2 }')
	check "stream answers as the indexes at $d: all four rows" \
		test "$(by_dataset "$ST" checkpoints | grep -c "^$d ")" = 4
done
check "strategies ladder: two carriers change the answers" test "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["impl"] == "stream" && $c["n_routes"] == 1000 { print $c["checksum"] }' "$ST" |
	sort -u | wc -l)" = 2
if command -v gnuplot >/dev/null; then
	for chart in crossover crossover_2carriers pareto; do
		check "strategies ladder: chart $chart.png is a PNG" is_png "$T/st/$chart.png"
		check "strategies ladder: chart $chart.svg written" test -s "$T/st/$chart.svg"
	done
fi
check "--strategies index: no stream rows" run 0 bench --impls hash --strategies index \
	--sizes 10 --queries 10 --reps 1 --out "$T/si" --cache "$T/cache" --no-plots
check "--strategies index: one row, hash's" test "$(col "$T/si/cells.csv" impl)" = hash
check "--strategies stream: only stream rows" run 0 bench --strategies stream --sizes 10,100 \
	--queries 10 --reps 1 --out "$T/ss" --cache "$T/cache" --no-plots
SS=$T/ss/cells.csv
check "--strategies stream: two rows, ok" \
	test "$(col "$SS" impl | tr '\n' ' ')/$(col "$SS" status | sort -u)" = "stream stream /ok"

# --- measure: header + one row, min over carriers, every status a row -----------------------
printf '+1,0.50\n+14,0.20\n+1415,0.03\n+44,0.10\n+4420,0.07\n' > "$T/a.txt"
printf '+1,0.40\n+14,0.10\n+1415,0.02\n+44,0.05\n+4420,0.06\n' > "$T/b.txt"
printf '+14155550100\n+14255550100\n+442071234567\n+447700900123\n+33123456789\n' > "$T/n.txt"
m() { run 0 measure --routes "$T/a.txt" --numbers "$T/n.txt" --reps 2 "$@"; }
check "measure: exit 0" m --impl linear
check "measure: header + one row" test "$(wc -l < "$T/out")" = 2
check "measure: the cells.csv header" test "$(head -n 1 "$T/out")" = "$HEADER"
cp "$T/out" "$T/m.csv"
check "measure: ok" test "$(col "$T/m.csv" status)" = ok
check "measure: every number priced" test "$(col "$T/m.csv" n_queries)" = 5
check "measure: one carrier" test "$(col "$T/m.csv" n_carriers)" = 1
check "measure: routes counted" test "$(col "$T/m.csv" n_routes)" = 5
check "measure: served by glibc" grep -Eq '^(glibc|asan)$' <<< "$(col "$T/m.csv" allocator)"
SUM_A=$(col "$T/m.csv" checksum)
for impl in $IMPLS; do
	check "measure $impl: exit 0" m --impl "$impl"
	check "measure $impl: same answers as linear" test "$(col "$T/out" checksum)" = "$SUM_A"
done
check "measure --strategy stream: exit 0" m --strategy stream
check "measure --strategy stream: the cells.csv header" test "$(head -n 1 "$T/out")" = "$HEADER"
check "measure --strategy stream: ok, impl stream" test \
	"$(col "$T/out" status),$(col "$T/out" impl),$(col "$T/out" strategy)" = ok,stream,stream
check "measure --strategy stream: same answers as linear" test "$(col "$T/out" checksum)" = "$SUM_A"
check "measure --strategy stream: same checkpoints as linear" \
	test "$(col "$T/out" checkpoints)" = "$(col "$T/m.csv" checkpoints)"
check "measure --strategy stream: routes counted" test "$(col "$T/out" n_routes)" = 5
check "measure --strategy stream: a time at q = 1 and 5" \
	test "$(col "$T/out" stream_points | sed 's/:[0-9.]*//g')" = "1;5"
check "measure --queries 2" m --impl hash --queries 2
check "measure --queries 2: two numbers" test "$(col "$T/out" n_queries)" = 2
check "measure --in-process: exit 0" m --impl lazytrie --in-process
check "measure --in-process: header + one row" test "$(wc -l < "$T/out")" = 2
check "measure --in-process: ok with a peak RSS" \
	test "$(col "$T/out" status)/$(col "$T/out" peak_rss_bytes | grep -c '^[1-9]')" = ok/1
# the protocol's phase lines (harness/cell/protocol.h), as a parent reads them
phases() { grep '^#phase ' "$T/out" | cut -d' ' -f2 | tr '\n' ' '; }
check "measure --phases: exit 0" m --impl lazytrie --in-process --phases
check "measure --phases: an index cell's phases, in order" \
	test "$(phases)" = "parse build numbers lookup teardown "
check "measure --phases: then the header and the row" \
	test "$(grep -vc '^#' "$T/out")/$(grep -v '^#' "$T/out" | head -n 1)" = "2/$HEADER"
check "measure --phases, stream: exit 0" m --strategy stream --in-process --phases
check "measure --phases, stream: its phases" test "$(phases)" = "numbers stream "
check "two identical carriers: exit 0" m --impl hash --routes "$T/a.txt"
check "two identical carriers: same answers" test "$(col "$T/out" checksum)" = "$SUM_A"
check "two identical carriers: counted" test "$(col "$T/out" n_carriers)" = 2
run 0 measure --impl hash --routes "$T/b.txt" --numbers "$T/n.txt" --reps 2
SUM_B=$(col "$T/out" checksum)
check "cheaper carrier differs" test "$SUM_B" != "$SUM_A"
check "min over carriers: exit 0" m --impl sorted --routes "$T/b.txt"
check "min over carriers: the cheaper carrier's answers" test "$(col "$T/out" checksum)" = "$SUM_B"
check "stream, min over carriers: exit 0" m --strategy stream --routes "$T/b.txt"
check "stream, min over carriers: the cheaper carrier's answers" \
	test "$(col "$T/out" checksum),$(col "$T/out" n_carriers)" = "$SUM_B,2"
check "unreadable route file: exit 1" run 1 measure --impl linear --routes "$T/none.txt" \
	--numbers "$T/n.txt"
printf '+1,0.01\n+14,x\n' > "$T/bad.txt"
check "route file that fails to load: still a row" run 0 measure --impl linear \
	--routes "$T/bad.txt" --numbers "$T/n.txt"
check "route file that fails to load: crash, naming the file and line" \
	test "$(col "$T/out" status),$(col "$T/out" detail)" = \
	"crash,parse: bad.txt:2: cost is not a number"
check "route file that fails to load: the whole message on stderr" \
	grep -qF 'bad.txt:2: cost is not a number: "+14,x"' "$T/err"
check "stream, route file that fails to load: still a row" run 0 measure --strategy stream \
	--routes "$T/a.txt" --routes "$T/bad.txt" --numbers "$T/n.txt"
check "stream, route file that fails to load: crash, naming the file and line" \
	test "$(col "$T/out" status),$(col "$T/out" impl),$(col "$T/out" detail)" = \
	"crash,stream,stream: bad.txt:2: cost is not a number"
check "stream, route file that fails to load: no answers claimed" \
	test -z "$(col "$T/out" checksum)$(col "$T/out" stream_points)"
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "+1%09d,0.01\n", i }' > "$T/big.txt"
check "over budget: still a row" run 0 measure --impl linear --routes "$T/big.txt" \
	--numbers "$T/n.txt" --budget-s 0.001
check "over budget: timeout" test "$(col "$T/out" status)" = timeout
check "stream over budget: still a row" run 0 measure --strategy stream --routes "$T/big.txt" \
	--numbers "$T/n.txt" --budget-s 0.001
check "stream over budget: timeout" \
	test "$(col "$T/out" status),$(col "$T/out" impl)" = timeout,stream

# --- out of memory: a row, larger sizes skipped, the run goes on ----------------------------
run 0 measure --impl linear --routes "$T/a.txt" --numbers "$T/n.txt" --mem-limit 64M
if [ "$(col "$T/out" mem_limit_bytes)" = 0 ]; then
	skipped "no RLIMIT_AS in this build (AddressSanitizer): out-of-memory cells not checked"
elif ! grep -qx trie <<< "$IMPLS"; then
	skipped "no 'trie' implementation registered: out-of-memory cells not checked"
else
	check "measure: limit applied" test "$(col "$T/out" mem_limit_bytes)" = 67108864
	check "oom ladder: exit 0" run 0 bench --impls trie,hash --strategies index \
		--sizes 100,100000,200000 --queries 100 --reps 1 --mem-limit 64M --out "$T/oom" \
		--cache "$T/cache" --no-plots
	OOM=$T/oom/cells.csv
	check "oom ladder: six rows" test "$(($(wc -l < "$OOM") - 1))" = 6
	check "oom ladder: trie ok while small" test "$(col "$OOM" status impl trie | head -n 1)" = ok
	check "oom ladder: trie out of memory" \
		test "$(col "$OOM" impl status oom)" = trie
	check "oom ladder: trie oom at 100000" test "$(col "$OOM" n_routes status oom)" = 100000
	check "oom ladder: trie skipped at 200000" \
		test "$(col "$OOM" impl status skipped),$(col "$OOM" n_routes status skipped)" = trie,200000
	check "oom ladder: hash ok at every size" test "$(col "$OOM" status impl hash | sort -u)" = ok
	check "oom ladder: hash ran after the oom" test "$(col "$OOM" n_routes impl hash | tail -n 1)" = 200000
	check "oom ladder: meta counts the oom" grep -q '"oom": 1' "$T/oom/meta.json"
fi

# --- jemalloc, when Debian's libjemalloc2 is there ------------------------------------------
if [ "$(col "$T/m.csv" allocator)" = asan ]; then
	skipped "AddressSanitizer build: jemalloc cannot be preloaded under it"
elif ! "$RB" measure --impl hash --routes "$T/a.txt" --numbers "$T/n.txt" --allocator jemalloc \
	>"$T/out" 2>"$T/err"; then
	if grep -q "libjemalloc.so.2 not found" "$T/err"; then
		skipped "libjemalloc.so.2 not installed: jemalloc cells not checked"
	else
		bad "measure --allocator jemalloc failed"; cat "$T/err"
	fi
else
	check "jemalloc: ok" test "$(col "$T/out" status)" = ok
	check "jemalloc: the row proves it ran under jemalloc" test "$(col "$T/out" allocator)" = jemalloc
	check "jemalloc: its version" test -n "$(col "$T/out" allocator_version)"
	check "jemalloc: same answers" test "$(col "$T/out" checksum)" = "$SUM_A"
	check "jemalloc --in-process without preload: refused" run 1 measure --impl hash \
		--routes "$T/a.txt" --numbers "$T/n.txt" --allocator jemalloc --in-process
	# jemalloc goes in front of our LD_PRELOAD: an entry that would not fit is an error, not cut
	LONG=$(printf ':%.0s' $(seq 9000))
	check "jemalloc: an LD_PRELOAD that does not fit: exit 1" run_cmd 1 env LD_PRELOAD="$LONG" \
		"$RB" measure --impl hash --routes "$T/a.txt" --numbers "$T/n.txt" \
		--allocator jemalloc
	check "jemalloc: an LD_PRELOAD that does not fit: said so" \
		grep -q "jemalloc: LD_PRELOAD would be 9.* bytes" "$T/err"
	check "jemalloc: an LD_PRELOAD that does not fit: no row" test ! -s "$T/out"
	check "bench: an LD_PRELOAD that does not fit: exit 1" run_cmd 1 env LD_PRELOAD="$LONG" \
		"$RB" bench --impls hash --allocators glibc,jemalloc --sizes 10 --queries 10 \
		--out "$T/lp" --cache "$T/cache" --no-plots
	check "bench: an LD_PRELOAD that does not fit: said so" \
		grep -q "LD_PRELOAD would be" "$T/err"
	check "bench: an LD_PRELOAD that does not fit: nothing created" test ! -e "$T/lp"
	# a table of some megabytes, so the figures are pages, not a few bytes in a shared slab
	run 0 measure --impl hash --routes "$T/big.txt" --numbers "$T/n.txt" --reps 1 \
		--allocator jemalloc
	cp "$T/out" "$T/je.csv"
	check "jemalloc heap: ok under jemalloc" \
		test "$(col "$T/je.csv" status),$(col "$T/je.csv" allocator)" = ok,jemalloc
	for f in heap_bytes heap_active_bytes heap_resident_bytes heap_metadata_bytes; do
		check "jemalloc heap: $f reported" \
			grep -Eq '^-?[0-9]+$' <<< "$(col "$T/je.csv" "$f")"
	done
	check "jemalloc heap: megabytes handed out" test "$(col "$T/je.csv" heap_bytes)" -gt 1000000
	check "jemalloc heap: active pages >= bytes handed out" \
		test "$(col "$T/je.csv" heap_active_bytes)" -ge "$(col "$T/je.csv" heap_bytes)"
	check "jemalloc heap: active is whole pages over the table" \
		test "$(col "$T/je.csv" heap_active_bytes)" -ge "$(col "$T/je.csv" struct_bytes)"
	# --allocator-impls: the first allocator measures everyone, the second only those named
	check "allocator-impls ladder: exit 0" run 0 bench --impls linear,hash --strategies index \
		--sizes 10,100 --queries 100 --reps 1 --allocators jemalloc,glibc \
		--allocator-impls hash --out "$T/al" --cache "$T/cache" --no-plots
	AL=$T/al/cells.csv
	check "allocator-impls ladder: six rows" test "$(($(wc -l < "$AL") - 1))" = 6
	check "allocator-impls ladder: counted six cells" grep -q "6 cells" "$T/err"
	check "allocator-impls ladder: every cell ok" test "$(col "$AL" status | sort -u)" = ok
	check "allocator-impls ladder: linear under jemalloc only" \
		test "$(col "$AL" allocator impl linear | sort -u)" = jemalloc
	check "allocator-impls ladder: hash under both" \
		test "$(col "$AL" allocator impl hash | sort -u | tr '\n' ' ')" = "glibc jemalloc "
	check "allocator-impls ladder: the first allocator goes first" \
		test "$(col "$AL" allocator n_routes 10 | tr '\n' ' ')" = "jemalloc jemalloc glibc "
	check "allocator-impls ladder: same answers under both" \
		all_equal < <(col "$AL" checksum n_routes 100)
	check "allocator-impls ladder: meta.json says who ran under both" \
		grep -q '"allocator_impls": "hash"' "$T/al/meta.json"
fi

# --- runs that cannot lie: latest moves only to a run that completed ------------------------
# meta KEY DIR: the value of a top-level key of DIR/meta.json
meta() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	"$2/meta.json" "$1"; }
LATEST=$(readlink "$T/latest")
check "the run to compare with is there" test -n "$LATEST"
# a bench that fails before measuring anything: its cache cannot be a folder
echo "a file" > "$T/not-a-folder"
check "bench that cannot make its datasets: exit 1" run 1 bench --impls hash --strategies index \
	--sizes 10 --queries 10 --reps 1 --no-plots --out "$T/nodata" --cache "$T/not-a-folder"
check "bench that cannot make its datasets: latest not moved" \
	test "$(readlink "$T/latest")" = "$LATEST"
check "bench that cannot make its datasets: no rows" test "$(wc -l < "$T/nodata/cells.csv")" = 1
WHY="failed at cell 1 of 1 (the datasets of 10 routes): cannot generate the datasets of 10 routes"
check "bench that cannot make its datasets: incomplete, says where" \
	test "$(meta complete "$T/nodata")/$(meta incomplete_reason "$T/nodata")" = "False/$WHY"
check "bench that cannot make its datasets: said so" grep -q "incomplete run, failed" "$T/err"
# an interrupted bench: SIGINT once its first row is in cells.csv (a background job gets
# SIGINT ignored unless job control is on, so set -m for the launch)
INT_PID=
stop_bench() { [ -z "$INT_PID" ] || kill -KILL "$INT_PID" 2>/dev/null; }
trap 'stop_bench; rm -rf "$T"' EXIT
set -m
"$RB" bench --impls hash,linear --strategies index --sizes 10,100000 --queries 10000 --reps 3 \
	--no-plots --out "$T/int" --cache "$T/cache-int" >"$T/int.out" 2>"$T/int.err" &
INT_PID=$!
set +m
for _ in $(seq 1200); do # a poll, not a timing: give up after a minute or two
	[ "$(cat "$T/int/cells.csv" 2>/dev/null | wc -l)" -ge 2 ] && break
	kill -0 "$INT_PID" 2>/dev/null || break
	sleep 0.1
done
kill -INT "$INT_PID" 2>/dev/null
wait "$INT_PID"
INT_RC=$?
INT_PID=
check "interrupted bench: exit 130" test "$INT_RC" = 130
check "interrupted bench: latest not moved" test "$(readlink "$T/latest")" = "$LATEST"
check "interrupted bench: incomplete" test "$(meta complete "$T/int")" = False
check "interrupted bench: says where it stopped" \
	grep -Eq '^interrupted at cell [0-9]+ of 4 \(.*\) by SIGINT$' \
	<<< "$(meta incomplete_reason "$T/int")"
check "interrupted bench: at least the first row kept" test "$(wc -l < "$T/int/cells.csv")" -ge 2
check "interrupted bench: every row whole" \
	test "$(awk -F, '{ print NF }' "$T/int/cells.csv" | sort -u | wc -l)" = 1
counted() {
	python3 -c 'import json, sys; print(sum(json.load(open(sys.argv[1]))["cells"].values()))' \
		"$1/meta.json"
}
check "interrupted bench: meta.json counts the rows kept" \
	test "$(counted "$T/int")" = "$(($(wc -l < "$T/int/cells.csv") - 1))"
check "interrupted bench: said so" grep -q "incomplete run, interrupted" "$T/int.err"
check "interrupted bench: no cell left running" test -z "$(pgrep -f -- "$T/cache-int")"

# --impls groups: each is the implementations `list` marks with that property, in registry order
group_of() { "$RB" list | awk -v tag="$1" '/^[^ ]/ { name = $1 } index($0, tag) { print name }'; }
impls_run() { "$RB" bench --impls "$1" --sizes 10 --queries 10 --strategies index --no-plots \
	--out "$T/grp-$2" --cache "$T/cache" >/dev/null 2>&1 &&
	awk -F, 'NR > 1 { print $1 }' "$T/grp-$2/cells.csv"; }
check "--impls node-heavy: the [node-heavy] ones" \
	test "$(impls_run node-heavy nh)" = "$(group_of '[node-heavy]')"
check "--impls ladder: the ladder's steps" test "$(impls_run ladder l)" = "$(group_of '[ladder step')"
check "--impls ladder,trie: no implementation twice" \
	test "$(impls_run ladder,"$(group_of '[ladder step 1]')" l2)" = "$(group_of '[ladder step')"

# --- the cold query set: distinct numbers, one pass per rep, batched too ---------------------
check "bench: bad query set" run 2 bench --query-set tepid
check "bench: cold with no index cell" run 2 bench --query-set cold --strategies stream
check "bench: cold with no index cell, said so" grep -q "index cells only" "$T/err"
check "measure: bad query set" run 2 measure --impl hash --routes x --numbers y --query-set warm
check "bench cold: exit 0" run 0 bench --sizes 100 --query-set hot,cold --cold-queries 3000 \
	--queries 100 --reps 2 --strategies index,stream --no-plots --out "$T/cold" \
	--cache "$T/cache-cold"
CC=$T/cold/cells.csv
check "cold: the summary labels each row's set" sh -c "grep -Eq '^hash +[a-z]+ +100 +1 hot ' '$T/err' &&
	grep -Eq '^hash +[a-z]+ +100 +1 cold +3000 ' '$T/err'"
check "cold: one memory line per implementation" test "$(grep -cE '^hash +[a-z]+ +100 +1 +[0-9.]+ ' "$T/err")" = 1
check "cold: the progress lines too" grep -Eq '^\[ *[0-9]+/[0-9]+\] hash +[a-z]+ +n=100 +k=1 +cold ' "$T/err"
check "cold: meta.json records the query sets" grep -q '"query_sets": "hot,cold",' "$T/cold/meta.json"
check "cold: meta.json records the cold set's size" grep -q '"cold_queries": 3000,' "$T/cold/meta.json"
check "cold: hot rows, then one cold row per implementation" \
	test "$(col "$CC" query_set | uniq -c | awk '{ print $2 $1 }' | tr '\n' ' ')" = \
	"hot$((N_IMPLS + 1)) cold$N_IMPLS "
check "cold: every cell ok (no mismatch: all agree)" test "$(col "$CC" status | sort -u)" = ok
check "cold: one checksum for every cold row" \
	sh -c "awk -F, -v q=query_set -v k=checksum 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		\$c[q] == \"cold\" { print \$c[k] }' '$CC' | sort -u | wc -l | grep -qx 1"
check "cold: not the hot set's checksum" test "$(col "$CC" checksum query_set cold | head -n 1)" != \
	"$(col "$CC" checksum query_set hot | head -n 1)"
check "cold: every number, each once, no sampling" \
	test "$(col "$CC" n_queries query_set cold | sort -u)/$(col "$CC" queries_total query_set cold |
	sort -u)" = "3000/3000"
check "cold: one pass per rep" test "$(col "$CC" lookups_timed query_set cold | sort -u)" = 6000
check "cold: no stream row" test -z "$(col "$CC" query_set impl stream | grep cold)"
check "cold: a batched figure on every row" \
	test -z "$(col "$CC" batch_lookup_ns query_set cold | grep -vE '^[0-9]+\.[0-9]+$')"
check "cold: a batched figure on every hot index row" \
	test -z "$(col "$CC" batch_lookup_ns strategy index | grep -vE '^[0-9]+\.[0-9]+$')"
COLDF=$(ls "$T/cache-cold"/numbers-n3000-*-distinct-*.txt)
check "cold: the numbers file is distinct" test "$(sort "$COLDF" | uniq -d | wc -l)" = 0
check "cold: the numbers file has them all" test "$(wc -l < "$COLDF")" = 3000
check "measure --query-set cold: the row says cold" run 0 measure --impl hash \
	--routes "$(ls "$T/cache-cold"/routes-*.txt)" --numbers "$COLDF" --query-set cold --reps 1
check "measure --query-set cold: one pass" \
	test "$(col "$T/out" query_set)/$(col "$T/out" lookups_timed)" = "cold/3000"

finish test_bench
