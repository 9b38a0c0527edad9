#!/usr/bin/env bash
# test_loadgen.sh - `routebench load` against a real server process on a loopback port: the
# python fixture tests/data/fake_price_server.py, correct, wrong on purpose, faulty or stalling.
# Asserts counts (requests, answers, mismatches, errors by kind) and relations between latency
# figures, never a timing a slow machine could break: a stall can only make latencies larger.
# usage: test_loadgen.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"
SERVER=$ROOT/tests/data/fake_price_server.py
FIX=$ROOT/datasets/fixtures

SPID=
stop_server() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null
		wait "$SPID" 2>/dev/null
		SPID=
	fi
}
trap 'stop_server; rm -rf "$T"' EXIT

# start_server ARGS...: the fixture on a port of the kernel's choosing; sets URL.
start_server() {
	stop_server
	rm -f "$T/port"
	python3 "$SERVER" --routes "$T/routes.txt" --port-file "$T/port" "$@" 2>"$T/server.err" &
	SPID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$T/port" ] || { echo "FAIL: the fixture server did not start"; cat "$T/server.err"; exit 1; }
	URL=http://127.0.0.1:$(cat "$T/port")
}

# col NAME: that column of the CSV row in $T/out.
col() {
	awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
		NR == 2 && c { print $c }' "$T/out"
}
# is NAME VALUE: the CSV column equals VALUE; ge NAME VALUE: at least VALUE (integers).
is() { local v; v=$(col "$1"); [ "$v" = "$2" ] || { echo "  $1 = '$v', wanted $2"; return 1; }; }
ge() {
	local v; v=$(col "$1")
	[ -n "$v" ] && [ "${v%.*}" -ge "$2" ] || { echo "  $1 = '$v', wanted >= $2"; return 1; }
}
lt() { [ "$1" -lt "$2" ] || { echo "  $1 is not below $2"; return 1; }; }
# lg STATUS ARGS...: routebench load against the running fixture, on the ten numbers.
lg() { local want=$1; shift; run "$want" load --url "$URL" --numbers "$NUM" "$@"; }

if ! command -v python3 >/dev/null; then
	skipped "python3 missing: no fixture server"
	finish test_loadgen
	exit
fi

# Ten numbers, each once; the README routes plus two more; the answers from `routebench price`.
{ cat "$FIX/readme-routes.txt"; printf '\n+1,0.50\n+44,0.125\n'; } >"$T/routes.txt"
printf '%s\n' +15124156620 +14152345678 +19876543210 +14152461234 +141 +442071234567 \
	+15125550000 +1415234 +33123456789 +14159999999 >"$T/numbers.txt"
NUM=$T/numbers.txt
EXP=$T/expected.txt
"$RB" price --routes "$T/routes.txt" --numbers "$NUM" >"$EXP"

# --- usage, and where it refuses to go ------------------------------------------------------
check "load --help" run 0 load --help
check "--help names the exit status for mismatches" grep -q "3 --check found" "$T/out"
check "no --url" run 2 load --numbers "$NUM"
check "no --numbers" run 2 load --url http://127.0.0.1:1
check "https refused" run 2 load --url https://127.0.0.1:1 --numbers "$NUM"
check "a name is never resolved" run 2 load --url http://example.com --numbers "$NUM"
check "non-loopback refused" run 2 load --url http://192.0.2.1:80 --numbers "$NUM"
check "the refusal names --allow-remote" grep -q -- "--allow-remote" "$T/err"
check "a query in the URL" run 2 load --url "http://127.0.0.1:1/p?x=1" --numbers "$NUM"
check "bad port" run 2 load --url http://127.0.0.1:99999 --numbers "$NUM"
check "bad rate" run 2 load --url http://127.0.0.1:1 --numbers "$NUM" --rate fast
check "zero connections" run 2 load --url http://127.0.0.1:1 --numbers "$NUM" --connections 0
check "zero duration" run 2 load --url http://127.0.0.1:1 --numbers "$NUM" --duration 0
check "unknown option" run 2 load --frob

# --- files that cannot be used: exit 1, FILE:LINE --------------------------------------------
start_server
printf '+1415\nnot a number\n' >"$T/bad-numbers.txt"
check "bad numbers file" run 1 load --url "$URL" --numbers "$T/bad-numbers.txt"
check "bad numbers: file and line" grep -q "bad-numbers.txt:2:" "$T/err"
head -3 "$EXP" >"$T/short.txt"
check "--check with too few answers" lg 1 --check "$T/short.txt"
check "too few answers: counted" grep -q "3 answers for 10 numbers" "$T/err"
tac "$EXP" >"$T/reversed.txt"
check "--check in another order" lg 1 --check "$T/reversed.txt"
check "another order: file and line" grep -q "reversed.txt:1: answer 1 is for" "$T/err"

# --- a correct server: every answer checked, nothing wrong -----------------------------------
check "open loop, checked" lg 0 --rate 400 --requests 200 --check "$EXP" --csv
check "200 requests" is requests 200
check "200 answered" is responses 200
check "no errors" is errors 0
check "200 answers checked" is checked 200
check "no mismatches" is mismatches 0
check "offered rate in the row" is offered_rate 400
for c in achieved_rate p50_us p90_us p99_us p999_us p9999_us max_us connections batch duration_s; do
	check "csv has $c" test -n "$(col $c)"
done
check "percentiles in order" test "$(col p50_us)" -le "$(col p99_us)" -a \
	"$(col p99_us)" -le "$(col max_us)"
check "batch of 4 (POST)" run 0 load --url "$URL/" --numbers "$NUM" --rate 200 --requests 25 --batch 4 --check "$EXP" --csv
check "batch: 100 answers checked" is checked 100
check "batch: no mismatches" is mismatches 0
check "batch: no errors" is errors 0
check "closed loop" lg 0 --rate 0 --requests 300 --connections 4 --check "$EXP" --csv
check "closed loop: 300 answered" is responses 300
check "closed loop: no errors" is errors 0
check "closed loop: nothing queued" is queued 0
check "summary" lg 0 --rate 100 --duration 1.5
check "summary has the percentiles" grep -q "p99.9 .*max" "$T/out"
check "a progress line each second" grep -q "^load: *1 s" "$T/err"
check "wrong path prefix: 4xx" run 0 load --url "$URL/nope" --numbers "$NUM" --rate 200 --requests 20 --csv
check "every request a 4xx" is errors_http_4xx 20

# Ctrl-C ends a long run early, and it still reports
"$RB" load --url "$URL" --numbers "$NUM" --rate 100 --duration 60 --quiet >"$T/out" 2>"$T/err" &
LPID=$!
sleep 1
kill -INT "$LPID"
wait "$LPID"
check "SIGINT: exit 0" test $? = 0
check "SIGINT: still reports" grep -q "^latency" "$T/out"
check "SIGINT: counts only what was due" test -z "$(grep 'never sent' "$T/out")"

# --- wrong on purpose: --check counts exactly those -------------------------------------------
start_server --wrong +141,+33123456789
check "mismatches: exit 3" lg 3 --rate 400 --requests 50 --check "$EXP" --csv
check "2 of 10 numbers x 5 rounds = 10 mismatches" is mismatches 10
check "mismatches are not errors" is errors 0
check "the first mismatch is shown with both lines" grep -q "expected '+141,0.50', got '+141,0.51'" "$T/err"
check "only the first 5 are shown" test "$(grep -c 'wrong answer for' "$T/err")" = 5
check "... and how many more" grep -q "and 5 more wrong answers" "$T/err"
check "batch mismatches: exit 3" lg 3 --rate 100 --requests 10 --batch 5 --check "$EXP" --csv
check "batch: 50 numbers, 10 mismatches" is mismatches 10
check "server stats" curl -sf "$URL/stats" -o "$T/stats"
check "the server sent 20 wrong answers in all" grep -q "wrong=20" "$T/stats"
check "without --check a wrong cost is not seen" lg 0 --rate 400 --requests 20 --csv
check "... and is no error" is errors 0

# --- chunked answers ----------------------------------------------------------------------------
start_server --chunked
check "chunked" lg 0 --rate 400 --requests 40 --check "$EXP" --csv
check "chunked: all checked" is checked 40
check "chunked: no errors" is errors 0
check "chunked batch" lg 0 --rate 100 --requests 10 --batch 7 --check "$EXP" --csv
check "chunked batch: all checked" is checked 70
check "chunked batch: no mismatches" is mismatches 0

# --- faults: each kind counted once --------------------------------------------------------
start_server --fault 3:close --fault 5:500 --fault 7:garbage
check "faults" lg 0 --rate 200 --requests 20 --connections 2 --csv
check "one closed" is errors_closed 1
check "one 5xx" is errors_http_5xx 1
check "one malformed" is errors_malformed 1
check "the rest answered" is responses 18
check "20 sent" is sent 20

# --- a request slower than --timeout; then a run that must end by itself ------------------------
start_server --fault 2:stall --stall-ms 3000
check "timeout" lg 0 --rate 50 --requests 5 --connections 1 --timeout 0.5 --csv
check "exactly one timeout" is errors_timeout 1
check "the others answered" is responses 4
start_server --fault 1:stall --stall-ms 5000
check "bounded run" run_cmd 0 timeout 30 "$RB" load --url "$URL" --numbers "$NUM" --rate 10 \
	--duration 1 --connections 1 --timeout 2 --csv
check "bounded: 10 due" is requests 10
check "bounded: 1 sent, 9 never sent" is unsent 9
check "bounded: all 10 are timeouts" is errors_timeout 10
check "bounded: none answered" is responses 0

# --- a 300 ms stall: open loop counts it in every queued request, closed loop once ----------
# One connection, so every request due during the stall queues behind it. At 200/s the 60
# requests due in those 300 ms wait until it ends: the k-th for at least 300 - 5k ms, so at
# least 4 of 400 requests (the top 1%) wait 280 ms or more whatever the machine's speed.
start_server --fault 100:stall --stall-ms 300
check "open loop through a stall" lg 0 --rate 200 --requests 400 --connections 1 --csv
check "open: all answered" is responses 400
check "open: max is at least the stall" ge max_us 300000
check "open: p99 reflects the queued requests" ge p99_us 150000
check "open: p99.9 too" ge p999_us 150000
check "open: most of the stall's requests queued" ge queued 50
OPEN_P99=$(col p99_us)
start_server --fault 100:stall --stall-ms 300
check "closed loop through a stall" lg 0 --rate 0 --requests 2000 --connections 1 --csv
check "closed: all answered" is responses 2000
check "closed: max is at least the stall" ge max_us 300000
check "closed: the stall counts once, below p99" lt "$(col p99_us)" "$OPEN_P99"
check "closed: nothing queued" is queued 0

# --- nothing listening (port 1, tcpmux, is never served here): it cannot run -----------------
stop_server
check "connection refused at the start" run 1 load --url http://127.0.0.1:1 --numbers "$NUM" --rate 10 --duration 1
check "refused: says so" grep -q "Connection refused" "$T/err"

finish test_loadgen
