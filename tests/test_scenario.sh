#!/usr/bin/env bash
# test_scenario.sh - `bench --scenario api,update` end to end on a tiny dataset (1K routes x 2
# carriers, two implementations, 1 s points): api.csv has every column and one ok row per
# implementation (and the no-lookup baseline) x offered rate, with no error and no mismatch;
# update.csv, update_windows.csv and update_rss.csv are there with every update ok and every
# answer right for its version; the charts are real PNGs; and a server answering from other
# routes than the answers were priced from shows up as mismatches. Servers are real processes
# on loopback ports, children of the bench run, which stops them on every path (a signal to
# it, or its death: PR_SET_PDEATHSIG). No timing is asserted.
# usage: test_scenario.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"
BENCH_PID=
trap '[ -n "$BENCH_PID" ] && kill -TERM "$BENCH_PID" 2>/dev/null; wait; rm -rf "$T"' EXIT

# col FILE NAME [FILTER_COL FILTER_VALUE]: the NAME field of every data row, found by header.
col() {
	awk -F, -v n="$2" -v fc="${3:-}" -v fv="${4:-}" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; if (!(n in c)) exit 1; next }
		fc == "" || $c[fc] == fv { print $c[n] }' "$1"
}
has_cols() { # FILE COL...: the header names every column
	local f=$1; shift
	for c in "$@"; do head -1 "$f" | tr ',' '\n' | grep -qx "$c" || { echo "  $f: no $c"; return 1; }; done
}
only() { # VALUE: every stdin line is VALUE, and there is at least one
	local lines; lines=$(cat); [ -n "$lines" ] && [ -z "$(grep -vx -- "$1" <<< "$lines")" ]
}
positive() { local lines; lines=$(cat); [ -n "$lines" ] && awk '$1 + 0 <= 0 { exit 1 }' <<< "$lines"; }
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
# bench ARGS...: run routebench bench in the background (so the trap can stop it), wait for it.
bench() {
	"$RB" bench "$@" >"$T/out" 2>"$T/err" &
	BENCH_PID=$!
	wait "$BENCH_PID"
	local rc=$?
	BENCH_PID=
	[ "$rc" = 0 ] || { echo "  bench $* -> exit $rc"; tail -20 "$T/err" | sed 's/^/  stderr: /'; }
	return "$rc"
}

# a slow, shared machine may stall a server for seconds: late is not an error here
TINY="--size 1K --carriers 2 --queries 500 --duration 1 --closed-duration 1 --window 1
	--connections 2 --timeout 30 --mem-limit 0 --cache $T/cache"

# --- usage --------------------------------------------------------------------------------
check "bench --scenario --help" run 0 bench --scenario api --help
check "bench --scenario: unknown scenario" run 2 bench --scenario nosuch
check "bench --scenario: unknown implementation" run 2 bench --scenario api --impls nosuch
check "bench --scenario: bad duration" run 2 bench --scenario api --duration x
check "bench --scenario: bad fraction" run 2 bench --scenario update --fraction 2

# --- a tiny run of both scenarios: every column, every row ok ------------------------------
R=$T/run
IMPLS="hash,compacttrie"
check "api,update tiny run: exit 0" bench --scenario api,update --impls $IMPLS \
	--update-impls hash $TINY --fraction 0.3 --out "$R"
check "the states A and B answer differently" \
	grep -Eq "; [1-9][0-9]* of the 500 answers differ between A and B" "$T/err"
API_COLS="impl routes carriers threads mode offered_rate achieved_rate requests errors
	mismatches unsent p50_us p90_us p99_us p999_us p9999_us max_us server_peak_rss_bytes
	server_idle_rss_bytes status"
check "api.csv: every column" has_cols "$R/api.csv" $API_COLS
for impl in hash compacttrie no-lookup; do
	check "api.csv: $impl has 6 rows" test "$(col "$R/api.csv" impl impl "$impl" | wc -l)" = 6
	check "api.csv: $impl has one closed-loop row" \
		test "$(col "$R/api.csv" mode impl "$impl" | grep -cx closed)" = 1
done
check "api.csv: every row ok" only ok < <(col "$R/api.csv" status)
check "api.csv: no mismatch" only 0 < <(col "$R/api.csv" mismatches)
check "api.csv: no error" only 0 < <(col "$R/api.csv" errors)
check "api.csv: requests were made" positive < <(col "$R/api.csv" requests)
check "api.csv: the spike rate is offered" \
	test "$(col "$R/api.csv" offered_rate impl hash | grep -c '^166\.7$')" = 1
check "api.csv: a peak RSS from wait4" positive < <(col "$R/api.csv" server_peak_rss_bytes)
check "api.csv: an idle RSS" positive < <(col "$R/api.csv" server_idle_rss_bytes)
check "api.csv: latencies" positive < <(col "$R/api.csv" p99_us)
check "meta.json" grep -q '"strategies": *"api,update"' "$R/meta.json"

UPD_COLS="impl way update direction lines version visible_ms post_ms idle_rss_bytes
	peak_rss_bytes status"
check "update.csv: every column" has_cols "$R/update.csv" $UPD_COLS
check "update.csv: some updates" test "$(col "$R/update.csv" status | wc -l)" -ge 1
check "update.csv: every update ok" only ok < <(col "$R/update.csv" status)
check "update.csv: the rebuild way ran" only rebuild < <(col "$R/update.csv" way impl hash)
check "update.csv: a peak RSS per update" positive < <(col "$R/update.csv" peak_rss_bytes)
check "update.csv: versions count up by one" awk -F, 'NR > 2 && $8 != v + 1 { exit 1 }
	{ v = $8 }' "$R/update.csv"
check "update.csv: directions alternate, A to B first" test \
	"$(col "$R/update.csv" direction | head -2 | tr '\n' ' ')" = "a_to_b b_to_a " -o \
	"$(col "$R/update.csv" direction | wc -l)" = 1
W=$R/update_windows.csv
check "update_windows.csv: every column" has_cols "$W" window updates offered_rate p99_us \
	p999_us errors mismatches
check "update_windows.csv: a quiet and an update window" \
	test "$(col "$W" window | tr '\n' ' ')" = "quiet updates "
check "update_windows.csv: no mismatch (answers by version)" only 0 < <(col "$W" mismatches)
check "update_windows.csv: no error" only 0 < <(col "$W" errors)
check "update_rss.csv: samples" test "$(col "$R/update_rss.csv" rss_bytes | wc -l)" -ge 5

# --- the charts: drawn by the run, and again from its files alone ---------------------------
check "charts: api_latency.png" is_png "$R/api_latency.png"
check "charts: update_rss.png by the run" is_png "$R/update_rss.png"
rm -f "$R"/*.png "$R"/*.svg
check "charts: gnuplot redraws them" run_cmd 0 gnuplot -e "dir='$R'" "$ROOT/plots/api.gp"
check "charts: api_latency.png again" is_png "$R/api_latency.png"
check "charts: update_rss.png" is_png "$R/update_rss.png"
check "charts: svg too" test -s "$R/api_latency.svg" -a -s "$R/update_rss.svg"

# --- a wrong server: answers priced from other routes must show up as mismatches -----------
"$RB" gen routes --count 1K --seed 7 -o "$T/other.txt" 2>/dev/null
NUMBERS=$(ls "$T"/cache/numbers-*.txt | head -1)
"$RB" price --routes "$T/other.txt" --numbers "$NUMBERS" -o "$T/wrong.txt"
check "wrong answers: the run still completes" bench --scenario api --impls hash --no-baseline \
	$TINY --no-plots --answers "$T/wrong.txt" --out "$T/wrong"
check "wrong answers: mismatches > 0" positive < <(col "$T/wrong/api.csv" mismatches impl hash)
check "wrong answers: status mismatch" only mismatch < <(col "$T/wrong/api.csv" status)

# --- answers checked by version: the wrong state for a version is a mismatch --------------
SERVE_PID=
trap '[ -n "$BENCH_PID" ] && kill -TERM "$BENCH_PID" 2>/dev/null
	[ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null; wait; rm -rf "$T"' EXIT
A=$(ls "$T"/cache/answers-*-k2.txt | head -1)
B=$(ls "$T"/cache/answers-*-k2-B-*.txt | head -1)
FWD=$(ls "$T"/cache/delta-*-f0.3-*-fwd.txt | head -1)
ROUTES=$(ls "$T"/cache/routes-makeschool-n1000-s1-c*.txt | sed 's/^/--routes /')
echo "tok-$$" > "$T/token"
"$RB" serve $ROUTES --port 0 --threads 1 --admin-token-file "$T/token" >"$T/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do grep -q "^listening on" "$T/serve.log" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$T/serve.log")
load_mismatches() { # EVEN ODD: mismatches of a short closed loop checked by version parity
	"$RB" load --url "$URL" --numbers "$NUMBERS" --rate 0 --duration 0.5 --connections 2 \
		--timeout 30 --check "$1" --check-odd "$2" --csv 2>/dev/null | col /dev/stdin mismatches
}
if [ -n "$URL" ] && [ -n "$A" ] && [ -n "$B" ] && [ -n "$FWD" ]; then
	NUMBERS=$(ls "$T"/cache/numbers-n500-*.txt | head -1)
	check "by version 1: A is right" test "$(load_mismatches "$B" "$A")" = 0
	check "by version 1: B is wrong" positive < <(load_mismatches "$A" "$B")
	check "a delta A to B" run_cmd 0 curl -sf -H "Authorization: Bearer tok-$$" \
		--data-binary "@$FWD" "$URL/carriers/1/routes"
	check "by version 2: B is right" test "$(load_mismatches "$B" "$A")" = 0
	check "by version 2: A is wrong" positive < <(load_mismatches "$A" "$B")
else
	bad "version check: no server ($URL) or no A/B files"
fi
kill -TERM "$SERVE_PID"
check "serve drains on SIGTERM and exits 0" wait "$SERVE_PID"
SERVE_PID=

finish test_scenario
