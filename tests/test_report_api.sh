#!/usr/bin/env bash
# test_report_api.sh - the service lessons of `routebench report` on the hand-made scenario
# run in tests/data/api-fixture (its README.md works the figures out): the lookup's share of a
# request against the no-lookup baseline, who holds the spike and who does not, the knee, each
# target met or not; the update lesson's time to visible against the build, memory against one
# table, the tail against a quiet window; a mismatch said loudly; a run without a scenario run
# says how to get one; --api finds one elsewhere. No timing is asserted.
# usage: test_report_api.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"
RUN=20250115T100000Z

has() { grep -qF -- "$2" "$1" || { echo "  not in $1: $2"; return 1; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { echo "  unexpectedly in $1: $2"; return 1; }; }
# fixture NAME: the ladder's fixture at $T/NAME, the scenario fixture beside it as latest-api.
fixture() {
	rm -rf "$T/$1"
	cp -r "$ROOT/tests/data/run-fixture" "$T/$1"
	cp -r "$ROOT/tests/data/api-fixture" "$T/$1/latest-api"
}
# setrow CSV COL VALUE AWK-CONDITION: set column COL (by header name) where the condition holds
# (c[name] is a column's number: '$c["impl"] == "hash"').
setrow() {
	awk -F, -v OFS=, -v col="$2" -v val="$3" "
		NR == 1 { for (j = 1; j <= NF; j++) c[\$j] = j; print; next }
		$4 { \$c[col] = val }
		{ print }" "$1" > "$1.new" && mv "$1.new" "$1"
}

# --- no scenario run: one line on how to get it ------------------------------------------
fixture none
rm -rf "$T/none/latest-api"
check "no api run: report exit 0" run 0 report "$T/none/$RUN"
NM=$T/none/$RUN/REPORT.md
check "no api run: the lesson is there" has "$NM" "## Lesson 8: what a request costs, and who holds the spike"
check "no api run: says how to get it" has "$NM" "This report has no scenario run (no api.csv or update.csv in \`$T/none/latest-api\`): \`make bench-api\` measures"
check "no api run: the update lesson too" has "$NM" "This report has no update run (no api.csv or update.csv in \`$T/none/latest-api\`): \`make bench-api\` also posts"
check "no api run: no summary of it" test "$(grep -c '^<!-- summary: ' "$T/none/$RUN/SUMMARY.md")" = 7

# --- the fixture: every computed sentence -----------------------------------------------
fixture fx
D=$T/fx/$RUN
check "api: report exit 0" run 0 report "$D"
MD=$D/REPORT.md
check "api: the table's hash row" has "$MD" "| hash | 16,000/s | 80% | 90.0 µs | 250 µs | 400 µs | yes | 80% of its maximum (12,800/s) | 300 MB | 0 | 0 |"
check "api: a failed server's row" has "$MD" "| trie | failed | - | - | - | - | - | - | - | 0 | 0 |"
check "api: dirtable misses the spike" has "$MD" "| dirtable | 10,000/s | 50% | 300 µs | 1.00 ms | 1.50 ms | **no** | 25% of its maximum (2,500/s) |"
check "api: every answer right" has "$MD" "**Every answer was right**: 0 errors and 0 mismatches over 641,450 requests"
check "api: the failed server left out" has "$MD" "The server of trie did not serve (datasets/cache/r1.txt: cannot build the trie table: Cannot allocate memory, under the scenario's memory limit)"
check "api: HTTP alone" has "$MD" "peaks at 20,000/s closed loop (4 connections, 1 server thread): one request every 50.0 µs is what HTTP alone costs"
check "api: the lookup's share, fastest" has "$MD" "The fastest implementation, hash, peaks at 16,000/s, 80% of the baseline's: the lookup is about 20% of its request (12.5 µs of 62.5 µs)"
check "api: the lookup's share, slowest" has "$MD" "the slowest, dirtable, peaks at 10,000/s, 50% of the baseline's: the lookup is about 50% of its request (50.0 µs of 100 µs)"
check "api: 70% target not met" has "$MD" "**2 of 3 implementations reach 70% of the baseline's maximum** (target: every one, **not met**); below it: dirtable 50%."
check "api: the spike, who holds it" has "$MD" "**2 of 3 implementations hold p99.9 under 1 ms** (hash 400 µs, lazytrie 600 µs); 1 does not (p99.9: dirtable 1.50 ms) (target: every implementation that fits in memory, **not met**)"
check "api: the baseline's floor" has "$MD" "The no-lookup baseline's own p99.9 there is 300 µs"
check "api: the knee, held to the end" has "$MD" "p99 stays within 5× its figure at the spike up to the highest rate measured for lazytrie."
check "api: the knee, hash" has "$MD" "hash up to 80% of its maximum (12,800/s), then 3.00 ms at 95% of its maximum (15,200/s) (12.0× the spike's p99)"
check "api: the knee, dirtable" has "$MD" "dirtable up to 25% of its maximum (2,500/s), then 6.00 ms at 50% of its maximum (5,000/s) (6.00× the spike's p99)"
check "api: not at the targets' size" has "$MD" "This run has 5 carriers of 1,000,000 routes; the issue states its targets at 5 × 10,000,000"
check "api: in the summary" has "$D/SUMMARY.md" "<!-- summary: api -->"
# update
check "update: rebuild row" has "$MD" "| lazytrie | rebuild | 3 (0) | 10,000 | 1.00 s | 1.10 s | 800 ms | 80.0 MB | 64.0 MB | 400 µs | 1.00 ms | 0 | 0 |"
check "update: every answer right" has "$MD" "**Every answer was right through 7 updates**: 0 failed updates, 0 errors and 0 mismatches over 240,000 requests"
check "update: rebuild against its build" has "$MD" "By rebuild (lazytrie): a delta of 10,000 lines (1.0% of carrier 1's 1,000,000 routes) is visible in 1.00 s median, at most 1.10 s over 3 updates, against the 800 ms its build of that carrier took at start: 1.38× (target under 1.5× the build: **met**)."
check "update: in place misses 200 ms" has "$MD" "is visible in 35.0 ms median, at most 250 ms over 4 updates, against the 800 ms its build of that carrier took at start: 0.31× (target under 200 ms: **not met**)."
check "update: the two ways" has "$MD" "For lazytrie, in place is 28.6× sooner visible than a rebuild (medians)."
check "update: memory against one table" has "$MD" "lazytrie rebuild 80.0 MB, 1.25× one carrier's table (64.0 MB) (target at most 1.2×: **not met**); lazytrie inplace 2.0 MB, 0.03× one carrier's table (64.0 MB) (target at most 1.2×: **met**)."
check "update: the tail" has "$MD" "lazytrie rebuild 1.00 ms against 400 µs (2.50×; target at most 3×: **met**); lazytrie inplace 1.60 ms against 400 µs (4.00×; target at most 3×: **not met**)."
check "update: in the summary" has "$D/SUMMARY.md" "<!-- summary: update -->"

# --- every target met: the same words turn ------------------------------------------------
fixture met
A=$T/met/latest-api
grep -v '^dirtable,' "$A/api.csv" > "$A/api.csv.new" && mv "$A/api.csv.new" "$A/api.csv"
setrow "$A/update.csv" visible_ms 150.000 '$c["way"] == "inplace" && $c["update"] == 4'
setrow "$A/update.csv" peak_rss_bytes 570000000 '$c["way"] == "rebuild" && $c["update"] == 3'
setrow "$A/update_windows.csv" p999_us 1000.0 '$c["way"] == "inplace" && $c["window"] == "updates"'
check "met: report exit 0" run 0 report "$T/met/$RUN"
MM=$T/met/$RUN/REPORT.md
check "met: 70% met" has "$MM" "**2 of 2 implementations reach 70% of the baseline's maximum** (target: every one, **met**)."
check "met: the spike met" has "$MM" "**2 of 2 implementations hold p99.9 under 1 ms** (hash 400 µs, lazytrie 600 µs) (target: every implementation that fits in memory, **met**)"
check "met: in place in time" has "$MM" "at most 150 ms over 4 updates, against the 800 ms its build of that carrier took at start: 0.19× (target under 200 ms: **met**)."
check "met: memory" has "$MM" "lazytrie rebuild 70.0 MB, 1.09× one carrier's table (64.0 MB) (target at most 1.2×: **met**)"
check "met: the tail" has "$MM" "lazytrie inplace 1.00 ms against 400 µs (2.50×; target at most 3×: **met**)."
hasnt "$MM" "**not met**" && ok || bad "met: no target missed"

# --- wrong answers: said loudly -------------------------------------------------------------
fixture wrong
A=$T/wrong/latest-api
setrow "$A/api.csv" mismatches 3 '$c["impl"] == "lazytrie" && $c["offered_rate"] == "7500.0"'
setrow "$A/api.csv" status mismatch '$c["impl"] == "lazytrie" && $c["offered_rate"] == "7500.0"'
setrow "$A/api.csv" errors 2 '$c["impl"] == "hash" && $c["mode"] == "closed"'
setrow "$A/update_windows.csv" mismatches 5 '$c["way"] == "inplace" && $c["window"] == "updates"'
setrow "$A/update.csv" status failed '$c["way"] == "rebuild" && $c["update"] == 2'
setrow "$A/update.csv" detail "HTTP 400: line 7: bad cost" '$c["way"] == "rebuild" && $c["update"] == 2'
setrow "$A/update_windows.csv" achieved_rate 5000.0 '$c["way"] == "rebuild" && $c["window"] == "quiet"'
setrow "$A/update_windows.csv" unsent 20000 '$c["way"] == "rebuild" && $c["window"] == "quiet"'
setrow "$A/api.csv" achieved_rate 23000.0 '$c["impl"] == "hash" && $c["mode"] == "closed"'
check "wrong: report exit 0" run 0 report "$T/wrong/$RUN"
WM=$T/wrong/$RUN/REPORT.md
check "wrong: api said loudly" has "$WM" "**Not every answer was right: 3 wrong answers and 2 errors** over 641,450 requests (target: 0 failed and 0 wrong: **not met**): **hash**: 0 wrong, 2 errors; **lazytrie**: 3 wrong, 0 errors."
check "wrong: the table marks it" has "$WM" "| lazytrie | 15,000/s | 75% | 100.0 µs | 300 µs | 600 µs | yes | 95% of its maximum (14,250/s) | 800 MB | 0 | **3** |"
check "wrong: update said loudly" has "$WM" "**Not every answer was right: 1 failed update, 5 wrong answers and 0 errors** over 7 updates and 240,000 requests (target: 0 failed and 0 wrong: **not met**): **lazytrie rebuild**: 1 failed update, 0 wrong, 0 errors (the first failed: HTTP 400: line 7: bad cost); **lazytrie inplace**: 0 failed updates, 5 wrong, 0 errors."
check "wrong: the failed update is left out of the times" has "$WM" "at most 1.10 s over 2 updates"
check "wrong: a server that fell behind" has "$WM" "**In the quiet window of lazytrie rebuild the server fell behind**: 5,000.0 of 7,500.0/s offered were answered (20,000 requests never sent): that tail is the queue's, so the tail target is not judged."
check "wrong: its tail not judged" has "$WM" "lazytrie rebuild 1.00 ms against 400 µs (2.50×; target at most 3×: not judged)"
check "wrong: outran the baseline" has "$WM" "The fastest implementation, hash, peaks at 23,000/s, 115% of the baseline's; the slowest, dirtable, peaks at 10,000/s, 50% of the baseline's: the lookup is about 50% of its request (50.0 µs of 100 µs). **hash outran the baseline by 15%**: a server with a lookup cannot be faster than one without"

# --- --api DIR: a scenario run elsewhere; a bad row is counted, not fatal ---------------------
fixture other
mv "$T/other/latest-api" "$T/elsewhere"
echo "hash,not-a-number,5" >> "$T/elsewhere/api.csv"
check "--api: report exit 0" run 0 report "$T/other/$RUN" --api "$T/elsewhere"
check "--api: read from there" has "$T/other/$RUN/REPORT.md" "from \`$T/elsewhere/api.csv\`"
check "--api: the bad row counted" has "$T/other/$RUN/REPORT.md" "**1 row of api.csv could not be read** and is left out."
check "--api: the help names it" sh -c "'$RB' report --help | grep -q -- '--api DIR'"

# --- the charts: drawn from the fixture without a warning, the latency axis in time units ---
if command -v gnuplot > /dev/null; then
	(cd "$T" && gnuplot -e "dir='$T/fx/latest-api'" "$ROOT/plots/api.gp") > "$T/gp.out" 2>&1
	check "charts: drawn, no warning" test -z "$(grep -v '^charts: ' "$T/gp.out")"
	check "charts: api_latency.png" test -s "$T/fx/latest-api/api_latency.png"
	check "charts: update_rss skipped without samples" test ! -e "$T/fx/latest-api/update_rss.png"
	check "charts: the y axis in time units" grep -q '>1 ms<' "$T/fx/latest-api/api_latency.svg"
	check "charts: no 1k µs" sh -c "! grep -q '>1k<.*µs\|>100k<' '$T/fx/latest-api/api_latency.svg'"
	check "report: the chart copied into the run" run 0 report "$D"
	check "report: api_latency beside the report" test -s "$D/api_latency.png"
else
	skipped "charts: gnuplot not installed"
fi

finish test_report_api
