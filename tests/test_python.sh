#!/usr/bin/env bash
# test_python.sh - the Python ladder (impls/python/) as solvers: every step against the
# README answers, against `routebench price` on a generated two-carrier set with duplicates
# and nested prefixes, on bad input (the same FILE:LINE message as routebench, nothing on
# stdout), the cost format, the heap_bytes line, and the Make School answers in ../shared
# ($RB_SHARED instead, when set).
# usage: test_python.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"
FIX=$ROOT/datasets/fixtures
SHARED=${RB_SHARED:-$ROOT/../shared}/data/makeschool # RB_SHARED: elsewhere (a worktree)
PY=$ROOT/impls/python

command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
STEPS=$(cd "$PY" && ls [1-9]_*.py)
[ "$(echo "$STEPS" | wc -l)" = 7 ] || bad "seven steps in impls/python, found: $STEPS"

# --- the README example, and a generated two-carrier set against routebench price ---------
"$RB" gen routes --count 2000 --carrier 0 -o "$T/c0.txt" &&
	"$RB" gen routes --count 2000 --carrier 1 -o "$T/c1.txt" &&
	"$RB" gen numbers --count 2000 --routes "$T/c0.txt" -o "$T/n.txt" &&
	"$RB" price --routes "$T/c0.txt" --routes "$T/c1.txt" --numbers "$T/n.txt" > "$T/expected.txt" ||
	bad "routebench could not make the generated set"
check "generated set has duplicate prefixes" test "$(cut -d, -f1 "$T/c0.txt" | sort | uniq -d | wc -l)" -gt 10
nested=$(cut -d, -f1 "$T/c0.txt" | sort -u | awk 'p != "" && index($0, p) == 1 { n++ } { p = $0 } END { print n + 0 }')
check "generated set has nested prefixes" test "$nested" -gt 10
printf '+1,0.4\n+14,0.125\n+141,2\n+1415,0.000001\n+14152,000123456789012.5\n+2,0\n' > "$T/fmt.txt"
printf '+19\n+149\n+1419\n+14159\n+141529\n+2\n+3\n' > "$T/fmt-numbers.txt"
printf '+19,0.40\n+149,0.125\n+1419,2.00\n+14159,0.000001\n+141529,123456789012.50\n+2,0.00\n+3,0\n' \
	> "$T/fmt-expected.txt"
: > "$T/empty.txt"
printf '\n  \n' > "$T/blank.txt"
for s in $STEPS; do
	check "$s: README example" run_cmd 0 python3 "$PY/$s" "$FIX/readme-numbers.txt" "$FIX/readme-routes.txt"
	check "$s: README answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
	check "$s: no heap line by default" test ! -s "$T/err"
	check "$s: two generated carriers" run_cmd 0 python3 "$PY/$s" "$T/n.txt" "$T/c0.txt" "$T/c1.txt"
	check "$s: same answers as routebench price" cmp -s "$T/out" "$T/expected.txt"
	check "$s: cost formats" run_cmd 0 python3 "$PY/$s" "$T/fmt-numbers.txt" "$T/fmt.txt"
	check "$s: cost formats output" cmp -s "$T/out" "$T/fmt-expected.txt"
	check "$s: an empty carrier" run_cmd 0 python3 "$PY/$s" "$FIX/readme-numbers.txt" "$T/empty.txt" "$T/blank.txt"
	check "$s: an empty carrier routes nothing" test "$(cut -d, -f2 "$T/out" | sort -u)" = 0
	RB_TRACEMALLOC=1 run_cmd 0 python3 "$PY/$s" "$T/n.txt" "$T/c0.txt" || bad "$s: RB_TRACEMALLOC=1 run"
	check "$s: heap_bytes line" grep -Eq '^routebench: heap_bytes=[1-9][0-9]*$' "$T/err"
	check "$s: answers unchanged under tracemalloc" test "$(wc -l < "$T/out")" = 2000
	check "$s: usage error" run_cmd 2 python3 "$PY/$s" "$T/n.txt"
done

# --- bad input: exit 1, routebench's own FILE:LINE message, nothing on stdout -------------
# bad_case NAME ROUTES_TEXT NUMBERS_TEXT: both files written, routebench's stderr is the truth
bad_case() {
	printf "$2" > "$T/r.txt"
	printf "$3" > "$T/nn.txt"
	run 1 price --routes "$T/r.txt" --numbers "$T/nn.txt" || { bad "$1: routebench accepts it"; return; }
	cp "$T/err" "$T/rb-err"
	for s in $STEPS; do
		check "$s: $1: exit 1" run_cmd 1 python3 "$PY/$s" "$T/nn.txt" "$T/r.txt"
		check "$s: $1: message as routebench's" cmp -s "$T/err" "$T/rb-err"
		check "$s: $1: nothing on stdout" test ! -s "$T/out"
	done
}
N='+14152345678\n'
bad_case "cost not a number" '+1,0.01\n+1415,abc\n' "$N"
bad_case "no plus" '+1,0.01\n\n1415,0.02\n' "$N"
bad_case "16-digit prefix" '+1234567890123456,0.01\n' "$N"
bad_case "missing cost" '+1415\n' "$N"
bad_case "empty cost" '+1415,\n' "$N"
bad_case "seven decimals" '+1415,0.1234567\n' "$N"
bad_case "13 integer digits" '+1415,1234567890123\n' "$N"
bad_case "letter in prefix" '+14x5,1\n' "$N"
bad_case "16-digit number" '+1,0.01\n' '+1\n+1234567890123456\n'
bad_case "number with letters" '+1,0.01\n' '+14a5\n'
bad_case "number without digits" '+1,0.01\n' '+\n'
bad_case "over-long line" "+1,0.01\n+$(printf '1%.0s' $(seq 1100)),1\n" "$N"
bad_case "binary garbage" '+1,0.01\n\x01\x02\x03\n' "$N"
for s in $STEPS; do
	check "$s: missing file: exit 1" run_cmd 1 python3 "$PY/$s" "$FIX/readme-numbers.txt" "$T/nope.txt"
	check "$s: missing file: message" grep -q "nope.txt: No such file or directory" "$T/err"
done

# --- the real Make School data and answers, when ../shared is there --------------------------
if [ -d "$SHARED/expected" ]; then
	for exp in "$SHARED"/expected/*__*.txt; do
		base=$(basename "$exp" .txt)
		numbers=$SHARED/${base%%__*}.txt
		files=()
		sizes=${base#*__route-costs-}
		IFS=+ read -r -a parts <<< "$sizes"
		routes=0
		for p in "${parts[@]}"; do
			files+=("$SHARED/route-costs-$p.txt")
			routes=$((routes + $(wc -l < "$SHARED/route-costs-$p.txt") + 1))
		done
		work=$(( routes * $(wc -l < "$numbers") ))
		for s in $STEPS; do
			# The list scan is O(routes) per number, and Python: only the small pairs.
			if [ "$s" = 1_list_scan.py ] && [ "$work" -gt 1000000 ]; then
				skipped "$s: $base (list scan on a big pair)"
				continue
			fi
			check "$s: $base" run_cmd 0 python3 "$PY/$s" "$numbers" "${files[@]}"
			check "$s: $base matches expected" cmp -s "$T/out" "$exp"
		done
	done
else
	skipped "the Make School answers: $SHARED not found"
fi

finish test_python
