#!/usr/bin/env bash
# test_decks.sh - `bench --routes FILE ... --numbers FILE`, the ladder on the user's own files:
# a run at --sizes 50,all completes with rows for both sizes whose answers agree, meta.json
# records every file (path, bytes, lines, sha256 as sha256sum says, "source": "user"), the
# samples are subsets of their file in its order and a pure function of --seed, the report says
# "your data"; a size over a file's lines is a usage error that creates nothing, a bad line is
# exit 1 with FILE:LINE as `price` prints it, and --skip-invalid counts it in meta.json.
# usage: test_decks.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"

# col FILE NAME: the NAME field of every data row of a CSV, found by the header.
col() {
	awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c[n] }' \
		"$1"
}
# meta DIR PYTHON_EXPR: print the expression over m, DIR/meta.json parsed.
meta() { python3 -c "import json, sys; m = json.load(open(sys.argv[1])); print($2)" "$1/meta.json"; }
differ() { ! cmp -s "$1" "$2"; }
# in_order SAMPLE FILE: every line of SAMPLE is a line of FILE, in FILE's order.
in_order() {
	awk 'NR == FNR { want[++n] = $0; next } i < n && $0 == want[i + 1] { i++ }
	     END { exit !(n > 0 && i == n) }' "$1" "$2"
}

FAST="--impls hash,linear --reps 1 --no-plots"
cd "$T" || exit 1
"$RB" gen routes --count 120 --seed 7 -o a.txt
"$RB" gen routes --count 80 --seed 7 --carrier 1 -o b.txt
"$RB" gen numbers --count 200 --seed 7 --routes a.txt -o numbers.txt

# --- a run on two carrier files: both sizes, answers that agree -----------------------------
check "bench --routes a --routes b --numbers --sizes 50,all" \
	run 0 bench --routes a.txt --routes b.txt --numbers numbers.txt --sizes 50,all $FAST \
	--out run
check "rows at n=50 and at all (the mean of 120 and 80)" \
	test "$(col run/cells.csv n_routes | sort -un | tr '\n' ' ')" = "50 100 "
check "every row has two carriers" test "$(col run/cells.csv n_carriers | sort -u)" = 2
check "every row ok (answers agree: no mismatch)" test "$(col run/cells.csv status | sort -u)" = ok
check "the cells priced every number" test "$(col run/cells.csv queries_total | sort -u)" = 200
check "meta.json: source user" test "$(meta run "m['source']")" = user
check "meta.json: sizes 50,all" test "$(meta run "m['arguments']['sizes']")" = 50,all
for f in a.txt b.txt numbers.txt; do
	want="$(realpath $f) $(stat -c %s $f) $(wc -l < $f) $(sha256sum $f | cut -d' ' -f1)"
	got=$(meta run "' '.join(str(d[k]) for d in m['datasets'] if d.get('source') == 'user'
		and d['path'].endswith('/$f') for k in ('path', 'bytes', 'lines', 'sha256'))")
	check "meta.json: $f path, bytes, lines and sha256 (sha256sum's)" test "$got" = "$want"
done
check "two samples of 50 lines in the run folder" \
	test "$(cat run/decks/routes-c0-n50-s1-a.txt run/decks/routes-c1-n50-s1-b.txt | wc -l)" = 100
check "the sample of a is a's lines in a's order" in_order run/decks/routes-c0-n50-s1-a.txt a.txt
check "the sample of b is b's lines in b's order" in_order run/decks/routes-c1-n50-s1-b.txt b.txt
want=$(sha256sum run/decks/routes-c*-n50-*.txt | cut -d' ' -f1 | sort | tr '\n' ' ')
check "meta.json: each sample's sha256" test "$(meta run "' '.join(sorted(d['sha256'] for d in
	m['datasets'] if d.get('source') == 'sample')) + ' '")" = "$want"
check "report" run 0 report run
check "the report says whose data: your data: 2 carriers, 200 routes" \
	grep -q "your data: 2 carriers, 200 routes" run/REPORT.md

check "one file as two carriers" run 0 bench --routes a.txt --routes a.txt \
	--numbers numbers.txt --sizes 10 --impls hash --strategies index --reps 1 --no-plots \
	--out twice
check "one file as two carriers: meta.json lists it twice" \
	test "$(meta twice "[d['carrier'] for d in m['datasets'] if d.get('source') == 'user' and
	d['kind'] == 'routes']")" = "[0, 1]"

# --- samples: a pure function of the file and the seed ----------------------------------------
ONE="--impls hash --strategies index --reps 1 --no-plots --sizes 30"
check "seed 5" run 0 bench --routes a.txt --numbers numbers.txt $ONE --seed 5 --out s5
check "seed 5 again" run 0 bench --routes a.txt --numbers numbers.txt $ONE --seed 5 --out s5b
check "seed 6" run 0 bench --routes a.txt --numbers numbers.txt $ONE --seed 6 --out s6
check "the same seed, the same lines" \
	cmp -s s5/decks/routes-c0-n30-s5-a.txt s5b/decks/routes-c0-n30-s5-a.txt
check "another seed, other lines" \
	differ s5/decks/routes-c0-n30-s5-a.txt s6/decks/routes-c0-n30-s6-a.txt
check "one --routes file: one carrier, sizes default to all" \
	run 0 bench --routes a.txt --numbers numbers.txt --impls hash --reps 1 --no-plots \
	--queries 20 --out whole
check "all is the file itself: no sample written" test ! -e whole/decks
check "all: 120 routes" test "$(col whole/cells.csv n_routes | sort -u)" = 120
check "--queries 20: the first 20 numbers" test "$(col whole/cells.csv queries_total | sort -u)" = 20

# --- usage errors: exit 2, the reason, nothing created -----------------------------------------
# usage NAME STDERR_REGEX ARGS...: exit 2, the message, and no run folder $T/none
usage() {
	local name=$1 want=$2
	shift 2
	check "$name: exit 2" run 2 "$@" --out none
	check "$name: says '$want'" grep -Eq -- "$want" "$T/err"
	check "$name: no run folder" test ! -e none
}
usage "a size over b's 80 lines" "--sizes: 100 is more than b.txt holds \(80 lines\)" \
	bench --routes a.txt --routes b.txt --numbers numbers.txt --sizes 50,100 $FAST
usage "--queries over the numbers' 200 lines" "--queries: 201 is more than numbers.txt holds" \
	bench --routes a.txt --numbers numbers.txt --queries 201 $FAST
usage "--routes without --numbers" "--routes needs --numbers" bench --routes a.txt $FAST
usage "--numbers without --routes" "--numbers FILE needs --routes" \
	bench --numbers numbers.txt $FAST
usage "--sizes all without --routes" "--sizes all needs --routes" bench --sizes all $FAST
usage "--shape with --routes" "--shape is for generated datasets" \
	bench --routes a.txt --numbers numbers.txt --shape uniform $FAST
usage "--carriers with --routes" "--carriers is for generated datasets" \
	bench --routes a.txt --numbers numbers.txt --carriers 2 $FAST
usage "--routes with --scenario" "--routes works with the ladder only" \
	bench --scenario api --routes a.txt --numbers numbers.txt
usage "--routes -" "a file, not '-'" bench --routes - --numbers numbers.txt $FAST

# --- bad lines: exit 1 with FILE:LINE as price says it, or skipped and counted -------------------
{ head -3 b.txt; echo "+4420,x"; tail -n +4 b.txt; echo "+44,1.5.0"; } > bad.txt
check "price on the bad file: exit 1" run 1 price --routes bad.txt --numbers numbers.txt
price_err=$(cat "$T/err")
check "bench on the bad file: exit 1" \
	run 1 bench --routes a.txt --routes bad.txt --numbers numbers.txt $FAST --out none
check "bench says bad.txt:4 as price does" test "$(cat "$T/err")" = "$price_err"
check "bench says bad.txt:4" grep -q '^bad.txt:4: ' "$T/err"
check "bad line: nothing measured" test ! -e none
check "--skip-invalid" run 0 bench --routes a.txt --routes bad.txt --numbers numbers.txt \
	--sizes 50,all $FAST --skip-invalid --out skip
check "--skip-invalid: a one-line warning with the count" \
	test "$(grep -c 'warning: --skip-invalid skipped 2 invalid lines (bad.txt: 2)' "$T/err")" = 1
check "meta.json: bad.txt skipped 2, at lines 4 and 82, 80 routes in 82 lines" \
	test "$(meta skip "[(d['skipped'], d['skipped_lines'], d['count'], d['lines']) for d in \
	m['datasets'] if d.get('source') == 'user' and d['path'].endswith('/bad.txt')]")" = \
	"[(2, [4, 82], 80, 82)]"
check "--skip-invalid: all is bad.txt without its bad lines" \
	cmp -s skip/decks/routes-c1-all-bad.txt b.txt
check "--skip-invalid: every row ok" test "$(col skip/cells.csv status | sort -u)" = ok

finish test_decks
