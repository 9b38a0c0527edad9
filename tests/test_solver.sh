#!/usr/bin/env bash
# test_solver.sh - `bench --solver NAME=COMMAND` end to end on tiny sizes: a Python step of the
# ladder gives ok rows (strategy solver, stream_points, heap_bytes from RB_TRACEMALLOC) whose
# checksums equal the C rows', a wrong solver a mismatch row naming the number and both
# answers, a sleeper a timeout, a big allocation under --mem-limit an oom, a missing program a
# crash with a clear detail; names that clash and bad --solvers lines are usage errors. No
# timing is asserted.
# usage: test_solver.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"

# field ROWFILE IMPL N_ROUTES COLUMN: one column of the row of IMPL at N_ROUTES.
field() {
	python3 - "$@" <<'PY'
import csv, sys
path, impl, n, name = sys.argv[1:5]
for r in csv.DictReader(open(path)):
    if r["impl"] == impl and r["n_routes"] == n:
        print(r[name])
PY
}

command -v python3 >/dev/null || { skipped "no python3"; finish test_solver; exit; }
PY7="python3 $ROOT/impls/python/7_trie_mapper.py {numbers} {routes}"
WRONG="python3 $ROOT/tests/data/wrong_solver.py {numbers} {routes}"
COMMON=(--sizes 100,1000 --queries 300 --reps 1 --no-plots --cache "$T/cache")

# --- usage ----------------------------------------------------------------------------------
check "a solver named like an implementation" run 2 bench --solver "linear=$PY7" --out "$T/u1"
check "the message names the clash" grep -q "'linear' is the name of an implementation" "$T/err"
check "a solver without =" run 2 bench --solver "python3 x.py" --out "$T/u2"
check "a solver named twice" run 2 bench --solver "a=true" --solver "a=true" --out "$T/u3"
printf '# comment\n\npy=python3 x.py\nbroken line\n' > "$T/solvers.txt"
check "a bad --solvers line" run 2 bench --solvers "$T/solvers.txt" --out "$T/u4"
check "the message names FILE:LINE" grep -q "solvers.txt:4" "$T/err"
check "help mentions --solver" bash -c "'$RB' bench --help | grep -q -- '--solver NAME=COMMAND'"

# --- ok and mismatch, beside the C rows, with --solvers FILE and {out} -----------------------
printf 'wrong=%s\n' "$WRONG" > "$T/solvers.txt"
RB_TRACEMALLOC=1 run 0 bench "${COMMON[@]}" --impls linear,lazytrie --out "$T/r1" \
	--solver "py7=$PY7" --solvers "$T/solvers.txt" \
	--solver "py7out=sh -c 'exec python3 $ROOT/impls/python/7_trie_mapper.py \"\$0\" \"\$1\" > \"\$2\"' {numbers} {routes} {out}"
check "a run with solvers" test -s "$T/r1/cells.csv"
C=$T/r1/cells.csv
for n in 100 1000; do
	check "py7 ok at $n" test "$(field "$C" py7 $n status)" = ok
	check "py7 is a solver row" test "$(field "$C" py7 $n strategy)" = solver
	check "py7's checksum is linear's at $n" \
		test "$(field "$C" py7 $n checksum)" = "$(field "$C" linear $n checksum)"
	check "py7out ({out}) agrees at $n" \
		test "$(field "$C" py7out $n checksum)" = "$(field "$C" linear $n checksum)"
	check "py7 has end-to-end points at $n" \
		grep -q '^1:.*;300:' <<< "$(field "$C" py7 $n stream_points)"
	check "py7 has heap_bytes at $n" test "$(field "$C" py7 $n heap_bytes)" -gt 0
	check "py7 has its own peak RSS at $n" test "$(field "$C" py7 $n peak_rss_bytes)" -gt 0
	check "wrong is a mismatch at $n" test "$(field "$C" wrong $n status)" = mismatch
	check "the mismatch names the number and both answers at $n" \
		grep -Eq '^number [0-9]+ \(\+[0-9]+\): solver [0-9.]+ but expected [0-9.]+$' \
		<<< "$(field "$C" wrong $n detail)"
done
check "no temp files are left" test ! -e "$T/r1/tmp"

# --- timeout, oom, crash: rows, then skipped -------------------------------------------------
run 0 bench "${COMMON[@]}" --impls linear --strategies index --out "$T/r2" --budget-s 2 \
	--mem-limit 300M \
	--solver 'sleepy=python3 -c "import time; time.sleep(60)"' \
	--solver 'hog=python3 -c "b = bytearray(2 << 30)"' \
	--solver 'missing=/no/such/solver {numbers} {routes}'
C=$T/r2/cells.csv
check "a run with failing solvers" test -s "$C"
check "the sleeper times out" test "$(field "$C" sleepy 100 status)" = timeout
check "the hog is oom" test "$(field "$C" hog 100 status)" = oom
check "the oom detail says MemoryError" grep -q MemoryError <<< "$(field "$C" hog 100 detail)"
check "a missing program crashes" test "$(field "$C" missing 100 status)" = crash
check "its detail says it cannot run" \
	grep -q "cannot run /no/such/solver: No such file" <<< "$(field "$C" missing 100 detail)"
check "skipped at the next size" test "$(field "$C" sleepy 1000 status)" = skipped
check "the C rows are still ok" test "$(field "$C" linear 1000 status)" = ok

finish test_solver
