#!/usr/bin/env bash
# test_check.sh - `routebench check` as a student meets it: usage errors, registered
# implementations and the example plugin pass, a plugin and a Python solver that are wrong on
# purpose fail with a minimal case that reproduces (its shell line recreates the files,
# routebench price on them gives the expected lines), crashes and hangs are verdicts, broken
# plugins are refused with a reason, and price, measure and bench take --plugin too.
# usage: test_check.sh PATH/TO/routebench PROJECT_DIR EXAMPLE.so WRONG.so NO_SYMBOL.so
#        CLASH.so NO_LOOKUP.so CRASH.so HANG.so
set -u
RB=$1
ROOT=$2
EXAMPLE=$3 WRONG=$4 NO_SYMBOL=$5 CLASH=$6 NO_LOOKUP=$7 CRASH=$8 HANG=$9
. "$(dirname "$0")/lib.sh"
FIX=$ROOT/datasets/fixtures
PY=$ROOT/impls/python
export TMPDIR=$T/tmp # the grader's temporary folders land here, to be counted
mkdir -p "$TMPDIR"

# --- help and usage -----------------------------------------------------------------------
check "check --help" run 0 check --help
check "check --help names --solver and {routes}" grep -q -- '--solver COMMAND.*' "$T/out"
check "top-level help lists check" sh -c "'$RB' --help | grep -q '^  check '"
check "no subject: usage error" run 2 check
check "two subjects: usage error" run 2 check --impl lazytrie --solver true
check "unknown impl: usage error" run 2 check --impl nosuch
check "bad --cases: usage error" run 2 check --impl lazytrie --cases many
check "bad --seed: usage error" run 2 check --impl lazytrie --seed -1
check "unterminated quote: usage error" run 2 check --solver "python3 'x.py"
check "empty solver: usage error" run 2 check --solver "  "
check "unknown option: usage error" run 2 check --impl lazytrie --frob
check "an abbreviation is an unknown option" run 2 check --imp lazytrie
check "negative timeout: usage error" run 2 check --impl lazytrie --timeout-s -1

# --- right answers: every registered implementation, the example plugin, a Python step -----
for impl in $("$RB" list | awk '/^[^ ]/ { print $1 }'); do
	check "$impl passes" run 0 check --impl "$impl" --cases 300 --seed 5
	check "$impl: one line saying so" grep -q "^routebench check: $impl: all correct: 9 conformance cases and 300 random cases (seed 5)$" "$T/out"
done
check "example plugin passes 1000 cases" run 0 check --plugin "$EXAMPLE"
check "example plugin: named by its ops" grep -q "bsearch: all correct" "$T/out"
check "Python step 7 passes" run 0 check --cases 10 --solver "python3 $PY/7_trie_mapper.py {numbers} {routes}"
check "answers through {out}" run 0 check --cases 5 --solver "sh -c 'python3 \"\$0\" \"\$@\" > {out}' $PY/5_trie_slots.py {numbers} {routes}"

# --- wrong answers: shrunk, printed, reproducible -----------------------------------------
# minimal_case_ok NAME MAX_ROUTES: the printed case has at most MAX_ROUTES routes, and its
# shell line recreates files on which routebench price gives the expected lines.
minimal_case_ok() {
	local routes
	check "$1: exit 1" test "$status" = 1
	check "$1: says it shrank" grep -q "^shrunk to 1 carrier(s), [0-9]* route(s), 1 number(s)" "$T/check"
	routes=$(awk '/^carrier-[0-9]+\.txt:$/ { on = 1; next } /^numbers\.txt:$/ { on = 0 } on' "$T/check" | wc -l)
	check "$1: at most $2 routes printed (got $routes)" test "$routes" -le "$2"
	mkdir -p "$T/repro" && rm -f "$T"/repro/*
	(cd "$T/repro" && eval "$(sed -n '/^to recreate the files:$/{n;p}' "$T/check")") || bad "$1: shell line failed"
	sed -n '/^expected answers:$/,/^your/{/^expected answers:$/d;/^your/d;p}' "$T/check" > "$T/repro-expected"
	if [ -s "$T/repro/carrier-1.txt" ]; then
		check "$1: price on the recreated files" run_cmd 0 "$RB" price --routes "$T/repro/carrier-1.txt" --numbers "$T/repro/numbers.txt"
		check "$1: price gives the expected lines" cmp -s "$T/out" "$T/repro-expected"
	fi
}
run_check() { "$RB" check "$@" > "$T/check" 2> "$T/err"; status=$?; }

run_check --plugin "$WRONG"
minimal_case_ok "wrong plugin" 3
check "wrong plugin: found by a random case" grep -q "^routebench check: wrong8: a wrong answer on random case" "$T/check"
check "wrong plugin: the 8-digit route is the one left" grep -Eq '^\+[0-9]{8},' "$T/check"
check "wrong plugin: the wrong line is marked" grep -q '<- wrong' "$T/check"
run_check --plugin "$WRONG" --seed 2
minimal_case_ok "wrong plugin, seed 2" 3

run_check --solver "python3 $ROOT/tests/data/wrong_solver.py {numbers} {routes}"
minimal_case_ok "wrong Python solver" 2
check "wrong solver: caught by the duplicates case" grep -q "a wrong answer on a prefix listed twice keeps its lowest cost" "$T/check"
check "wrong solver: one prefix listed twice" test "$(grep -A3 '^carrier-1.txt:$' "$T/check" | sed -n '2,3p' | cut -d, -f1 | sort -u | wc -l)" = 1

# --- runs that fail: a crash, a hang, a missing program, a non-zero exit -------------------
run_check --plugin "$CRASH"
check "crashing plugin: exit 1" test "$status" = 1
check "crashing plugin: a failed run" grep -q "a failed run on" "$T/check"
check "crashing plugin: killed by a signal" grep -q "^your run: killed by signal 6 (Aborted)" "$T/check"
check "crashing plugin: shrunk to one 12-digit number" grep -Eqx '\+[0-9]{12}' "$T/check"
run_check --plugin "$HANG" --timeout-s 0.5 --cases 0
check "hanging plugin: exit 1" test "$status" = 1
check "hanging plugin: over its budget" grep -q "a run over its time budget" "$T/check"
check "hanging plugin: not shrunk" grep -q "^not shrunk" "$T/check"
check "hanging plugin: the budget named" grep -q "killed after 0.5 s" "$T/check"
run_check --solver "no-such-program-for-check"
check "missing program: exit 1" test "$status" = 1
check "missing program: says it cannot run" grep -q "cannot run no-such-program-for-check" "$T/check"
run_check --solver "sh -c 'echo broken >&2; exit 3'"
check "failing solver: exit status and stderr" grep -q "^your run: exit status 3; stderr: broken$" "$T/check"
check "no temporary folder left" test -z "$(ls "$TMPDIR")"

# --- broken plugins are refused with a reason, by every command ---------------------------
for cmd in check price measure; do
	args=()
	[ "$cmd" = check ] || args=(--routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt")
	check "$cmd: plugin without the symbol" run 1 "$cmd" --plugin "$NO_SYMBOL" "${args[@]}"
	check "$cmd: names the symbol" grep -q "no symbol routebench_plugin_ops" "$T/err"
	check "$cmd: plugin with a taken name" run 1 "$cmd" --plugin "$CLASH" "${args[@]}"
	check "$cmd: names the clash" grep -q "already called 'lazytrie'" "$T/err"
	check "$cmd: plugin without lookup" run 1 "$cmd" --plugin "$NO_LOOKUP" "${args[@]}"
	check "$cmd: names the field" grep -q "routebench_plugin_ops: lookup is NULL" "$T/err"
	check "$cmd: missing file" run 1 "$cmd" --plugin "$T/none.so" "${args[@]}"
	check "$cmd: says it cannot load" grep -q "none.so: cannot load" "$T/err"
done

# --- price, measure and bench with --plugin ------------------------------------------------
check "price --plugin" run 0 price --plugin "$EXAMPLE" --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt"
check "price --plugin answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
(cd "$(dirname "$EXAMPLE")" && "$RB" price --plugin "$(basename "$EXAMPLE")" --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" > "$T/rel.txt" 2>&1)
check "a plugin path without '/' is the current folder's" cmp -s "$T/rel.txt" "$FIX/readme-expected.txt"
check "measure --plugin" run 0 measure --plugin "$EXAMPLE" --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" --reps 1
# the allocator column: glibc, or asan in a sanitized build
check "measure --plugin: an ok row for it" grep -Eq '^bsearch,[a-z]*,4,1,.*,ok,' "$T/out"
check "bench --plugin" run 0 bench --plugin "$EXAMPLE" --impls linear --strategies index --sizes 100 --queries 50 --reps 1 --no-plots --out "$T/run" --cache "$T/cache"
check "bench --plugin: rows for both" test "$(cut -d, -f1 "$T/run/cells.csv" | sort | tr '\n' ' ')" = "bsearch impl linear "
check "bench --plugin: its row ok" grep -Eq '^bsearch,[a-z]*,100,.*,ok,' "$T/run/cells.csv"

finish test_check
