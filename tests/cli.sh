#!/usr/bin/env bash
# cli.sh - the command line as a user meets it: golden answers for every implementation,
# least cost across carriers, every bad-input case (status, FILE:LINE message, no output file),
# usage errors, and the real Make School answers in ../shared when they are there.
# usage: cli.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"
FIX=$ROOT/datasets/fixtures
SHARED=$ROOT/../shared/data/makeschool



IMPLS=$("$RB" list | awk '/^[^ ]/ { print $1 }')
[ -n "$IMPLS" ] || { echo "FAIL: 'routebench list' named no implementation"; exit 1; }
# Every implementation behind the index strategy, plus the stream strategy: same answers.
WAYS="$IMPLS stream"
how() { if [ "$1" = stream ]; then echo "--strategy stream"; else echo "--impl $1"; fi; }

# --- help and usage -----------------------------------------------------------------------
check "routebench --help" run 0 --help
check "price --help" run 0 price --help
check "price --help mentions --skip-invalid" grep -q -- --skip-invalid "$T/out"
check "no arguments is a usage error" run 2
check "unknown command" run 2 frobnicate
check "unknown command hint" grep -q "Try 'routebench --help'" "$T/err"
check "price without --numbers" run 2 price --routes "$FIX/readme-routes.txt"
check "usage hint names the command" grep -q "Try 'routebench price --help'" "$T/err"
check "price without --routes" run 2 price --numbers "$FIX/readme-numbers.txt"
check "price with unknown impl" run 2 price --impl nosuch --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt"
check "price with unknown option" run 2 price --frob
check "option missing its value" run 2 price --routes
# exact option names: getopt took any unambiguous prefix (--rout for --routes) silently
check "price --rout (an abbreviation): exit 2" run 2 price --rout "$FIX/readme-routes.txt" \
	--numbers "$FIX/readme-numbers.txt"
check "price --rout: said so" grep -q "unknown option '--rout' (did you mean '--routes'?)" "$T/err"
check "price --skip-invalid=yes: exit 2" run 2 price --skip-invalid=yes \
	--routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt"
check "price --impl=NAME and -oFILE still work" run 0 price --impl=hash \
	--routes="$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" -o"$T/eq.txt"
check "price --impl=NAME and -oFILE: the answers" cmp -s "$T/eq.txt" "$FIX/readme-expected.txt"
# (--bind nonsense: were --rout taken for --routes, the server still could not start and hang)
check "serve --rout (an abbreviation): exit 2, nothing served" run 2 serve --rout \
	"$FIX/readme-routes.txt" --port 0 --bind nonsense
check "serve --rout: said so" grep -q "unknown option '--rout' (did you mean '--routes'?)" "$T/err"
check "load --dur (an abbreviation): exit 2" run 2 load --url http://127.0.0.1:9 \
	--numbers "$FIX/readme-numbers.txt" --dur 1
check "load --dur: said so" grep -q "unknown option '--dur' (did you mean '--duration'?)" "$T/err"
check "report --mic (an abbreviation): exit 2" run 2 report --mic x "$T"
check "report: two run folders: exit 2" run 2 report "$T" "$T"
# one option loop (cli_parse_all): help exits 0 and stops there, operands only where taken
check "report --help: exit 0, nothing written" run 0 report --help "$T/no-such-run"
check "compare -h a b c: the help, not the third folder" run 0 compare -h a b c
check "compare a b c: exit 2" run 2 compare a b c
check "compare a b c: said so" grep -q "two run folders ('c' is a third)" "$T/err"
check "price -- --odd: an operand, exit 2" run 2 price -- --odd
check "price -- --odd: said so" grep -q "routebench price: unexpected argument '--odd'" "$T/err"
check "bench --strategies index,frob: exit 2" run 2 bench --strategies index,frob
check "bench --strategies index,frob: said so" grep -q \
	"routebench bench: --strategies: want index or stream, not 'frob'" "$T/err"
check "bench --scenario api,: exit 2" run 2 bench --scenario api,
check "bench --scenario api,: said so" grep -q "empty item in 'api,'" "$T/err"
check "gen --cou (an abbreviation): exit 2" run 2 gen routes --cou 10
check "gen --cou: said so" grep -q "unknown option '--cou' (did you mean '--count'?)" "$T/err"
check "gen --count 200M: exit 2" run 2 gen routes --count 200M
check "gen --count 200M: the range" grep -q -- "--count: want a count from 0 to 100M" "$T/err"

# --- golden answers, every implementation -----------------------------------------------
printf '+1,0.50\n+14,0.20\n+1415,0.025\n' > "$T/carrier-b.txt"
printf '+15124156620,0.04\n+14152345678,0.025\n+19876543210,0.50\n' > "$T/two-carriers.txt"
printf '+1415,9\n+1415,0.01\n+1415,2\n+,7\n' > "$T/dups.txt"
printf '+15124156620,7.00\n+14152345678,0.01\n+19876543210,7.00\n' > "$T/dups-expected.txt"
for impl in $WAYS; do
	check "$impl: README example" run 0 price $(how "$impl") --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt"
	check "$impl: README example output" cmp -s "$T/out" "$FIX/readme-expected.txt"
	check "$impl: two carriers" run 0 price $(how "$impl") --routes "$FIX/readme-routes.txt" --routes "$T/carrier-b.txt" --numbers "$FIX/readme-numbers.txt"
	check "$impl: least cost across carriers" cmp -s "$T/out" "$T/two-carriers.txt"
	check "$impl: duplicates and catch-all" run 0 price $(how "$impl") --routes "$T/dups.txt" --numbers "$FIX/readme-numbers.txt"
	check "$impl: lowest duplicate kept" cmp -s "$T/out" "$T/dups-expected.txt"
done

# --- -o writes atomically, and only on success ---------------------------------------------
check "-o succeeds" run 0 price --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" -o "$T/answer.txt"
check "-o file has the answers" cmp -s "$T/answer.txt" "$FIX/readme-expected.txt"
check "-o leaves no temporary file" test -z "$(ls "$T" | grep '\.tmp\.')"
check "-o prints nothing on stdout" test ! -s "$T/out"

# --- bad input: exit 1, FILE:LINE message, no output, an existing output untouched ----------
# bad_case NAME ROUTES_TEXT NUMBERS_TEXT EXPECTED_STDERR_REGEX
bad_case() {
	local name=$1 strategy
	printf "$2" > "$T/r.txt"
	printf "$3" > "$T/n.txt"
	for strategy in index stream; do
		bad_case_with "$name ($strategy)" "$4" --strategy "$strategy"
	done
}
bad_case_with() {
	local name=$1 want=$2
	shift 2
	echo "precious" > "$T/keep.txt"
	check "$name: exit 1" run 1 price "$@" --routes "$T/r.txt" --numbers "$T/n.txt" -o "$T/keep.txt"
	check "$name: message '$want'" grep -Eq "$want" "$T/err"
	check "$name: existing output untouched" test "$(cat "$T/keep.txt")" = precious
	check "$name: no temporary file left" test -z "$(ls "$T" | grep '\.tmp\.')"
	rm -f "$T/new.txt"
	check "$name: exit 1 (new output)" run 1 price "$@" --routes "$T/r.txt" --numbers "$T/n.txt" -o "$T/new.txt"
	check "$name: no output file" test ! -e "$T/new.txt"
	check "$name: nothing on stdout" run 1 price "$@" --routes "$T/r.txt" --numbers "$T/n.txt"
	check "$name: stdout empty" test ! -s "$T/out"
}
N='+14152345678\n'
bad_case "cost not a number" '+1,0.01\n+1415,abc\n' "$N" 'r\.txt:2: cost is not a number: "\+1415,abc"'
bad_case "no plus" '+1,0.01\n\n1415,0.02\n' "$N" 'r\.txt:3: prefix must start with'
bad_case "16-digit prefix" '+1234567890123456,0.01\n' "$N" 'r\.txt:1: prefix longer than 15 digits'
bad_case "missing cost" '+1415\n' "$N" 'r\.txt:1: missing'
bad_case "seven decimals" '+1415,0.1234567\n' "$N" 'r\.txt:1: cost has more than 6 decimal places'
bad_case "empty route file" '' "$N" 'r\.txt: no routes'
bad_case "blank route file" '\n\n  \n' "$N" 'r\.txt: no routes'
bad_case "16-digit number" '+1,0.01\n' '+1\n+1234567890123456\n' 'n\.txt:2: number longer than 15 digits'
bad_case "number with letters" '+1,0.01\n' '+14a5\n' 'n\.txt:1: number has a character that is not a digit'
bad_case "number without digits" '+1,0.01\n' '+\n' 'n\.txt:1: number has no digits'
bad_case "over-long line" "+1,0.01\n+$(printf '1%.0s' $(seq 1100)),1\n" "$N" 'r\.txt:2: line too long'
bad_case "binary garbage" '+1,0.01\n\x01\x02\x03\n' "$N" 'r\.txt:2: prefix must start with'

check "unreadable routes file: exit 1" run 1 price --routes "$T/does-not-exist.txt" --numbers "$FIX/readme-numbers.txt"
check "unreadable routes file: message" grep -q "does-not-exist.txt: No such file or directory" "$T/err"
check "directory as numbers: exit 1" run 1 price --routes "$FIX/readme-routes.txt" --numbers "$T"
check "unwritable output: exit 1" run 1 price --routes "$FIX/readme-routes.txt" --numbers "$FIX/readme-numbers.txt" -o "$T/no/such/dir/out.txt"
check "unwritable output: message" grep -q "cannot create output" "$T/err"

# --- hostile input: devices, pipes, standard input, byte order marks, files that change -----
# A sanitized build reserves terabytes of address space, so RLIMIT_AS checks run only outside it;
# elsewhere every hostile case runs under a 2 GB limit as well as a timeout, so a loader that
# regressed to reading everything fails the check instead of taking the machine down.
ASAN=0
ldd "$RB" 2>/dev/null | grep -q 'lib[at]san' && ASAN=1
bounded() { if [ "$ASAN" = 1 ]; then timeout 20 "$@"; else (ulimit -v 2097152; timeout 20 "$@"); fi; }
for s in index stream; do
	check "/dev/zero routes ($s): exit 1" run_cmd 1 bounded "$RB" price --strategy $s --routes /dev/zero --numbers "$FIX/readme-numbers.txt"
	check "/dev/zero routes ($s): message" grep -q '^/dev/zero:1: line too long' "$T/err"
	check "/dev/zero numbers ($s): exit 1" run_cmd 1 bounded "$RB" price --strategy $s --routes "$FIX/readme-routes.txt" --numbers /dev/zero
	check "/dev/zero numbers ($s): message" grep -q '^/dev/zero:1: line too long' "$T/err"
	check "routes on stdin ($s)" run_cmd 0 bounded "$RB" price --strategy $s --routes - --numbers "$FIX/readme-numbers.txt" < "$FIX/readme-routes.txt"
	check "routes on stdin ($s): answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
	check "numbers on stdin ($s)" run_cmd 0 bounded "$RB" price --strategy $s --routes "$FIX/readme-routes.txt" --numbers - < "$FIX/readme-numbers.txt"
	check "numbers on stdin ($s): answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
	# 100 MB of one line through a pipe: line 1 fails after one buffer, the writer is cut off
	# (SIGPIPE, 141) long before the pipe is drained, and the reader stays small.
	for src in - /dev/stdin; do
		name=$src
		[ "$src" = - ] && name=stdin
		what="100 MB line on $src ($s)"
		rm -f "$T/rss"
		head -c 100M /dev/zero | tr '\0' 'a' | { if [ -x /usr/bin/time ]; then bounded /usr/bin/time -f %M -o "$T/rss" "$RB" price --strategy $s --routes $src --numbers "$FIX/readme-numbers.txt"; else bounded "$RB" price --strategy $s --routes $src --numbers "$FIX/readme-numbers.txt"; fi; } >"$T/out" 2>"$T/err"
		st=("${PIPESTATUS[@]}")
		check "$what: exit 1" test "${st[2]}" = 1
		check "$what: message" grep -q "^$name:1: line too long" "$T/err"
		check "$what: pipe not drained" test "${st[1]}" = 141
		if [ -s "$T/rss" ]; then
			rss=$(tail -n 1 "$T/rss")
			check "$what: peak RSS under 64 MB ($rss KB)" test "$rss" -lt 65536
		else
			skipped "$what: peak RSS: /usr/bin/time missing (Debian: time)"
		fi
	done
	printf '\xef\xbb\xbf+1,0.50\r\n+1415,0.025\r\n' > "$T/bom.txt"
	check "byte order mark ($s): exit 0" run 0 price --strategy $s --routes "$T/bom.txt" --numbers "$FIX/readme-numbers.txt"
	check "byte order mark ($s): answers" test "$(cat "$T/out")" = "$(printf '+15124156620,0.50\n+14152345678,0.025\n+19876543210,0.50')"
	printf '\xef\xbb\xbf+15124156620\n' > "$T/bom-n.txt"
	check "byte order mark, numbers ($s)" run 0 price --strategy $s --routes "$T/bom.txt" --numbers "$T/bom-n.txt"
	printf '+1,0.50\n\xef\xbb\xbf+1415,0.025\n' > "$T/bom2.txt"
	check "byte order mark on line 2 ($s): exit 1" run 1 price --strategy $s --routes "$T/bom2.txt" --numbers "$FIX/readme-numbers.txt"
	check "byte order mark on line 2 ($s): message" grep -q 'bom2\.txt:2: prefix must start with' "$T/err"
	printf '+1,0.50\n+14\xc3\xa915,0.025\n' > "$T/utf8.txt"
	check "other non-ASCII ($s): exit 1" run 1 price --strategy $s --routes "$T/utf8.txt" --numbers "$FIX/readme-numbers.txt"
	check "other non-ASCII ($s): message" grep -q 'utf8\.txt:2: prefix has a character' "$T/err"
done
check "stdin twice: usage error" run 2 price --routes - --numbers - < /dev/null
check "stdin twice: message" grep -q "only one of --routes and --numbers may be '-'" "$T/err"
check "stdin twice as routes: usage error" run 2 price --routes - --routes - --numbers "$FIX/readme-numbers.txt" < /dev/null

# A file truncated while read (the loader's test hook, RB_TEST_TRUNCATE_AT, does it mid-read):
# a clear error, exit 1, nothing written, an existing output untouched.
check "gen 100K routes" run 0 gen routes --count 100000 -o "$T/big.txt"
for s in index stream; do
	cp "$T/big.txt" "$T/trunc.txt"
	echo "precious" > "$T/keep.txt"
	check "truncated while read ($s): exit 1" run_cmd 1 env RB_TEST_TRUNCATE_AT=300000 "$RB" price --strategy $s --routes "$T/trunc.txt" --numbers "$FIX/readme-numbers.txt" -o "$T/keep.txt"
	check "truncated while read ($s): message" grep -q "trunc\.txt: changed while being read" "$T/err"
	check "truncated while read ($s): output untouched" test "$(cat "$T/keep.txt")" = precious
	check "truncated while read ($s): the hook truncated it" test "$(stat -c %s "$T/trunc.txt")" = 300000
	cp "$T/big.txt" "$T/trunc.txt"
	rm -f "$T/new.txt"
	check "truncated numbers ($s): exit 1" run_cmd 1 env RB_TEST_TRUNCATE_AT=1000 "$RB" price --strategy $s --routes "$FIX/readme-routes.txt" --numbers "$T/trunc.txt" -o "$T/new.txt"
	check "truncated numbers ($s): message" grep -q "trunc\.txt: changed while being read" "$T/err"
	check "truncated numbers ($s): no output file" test ! -e "$T/new.txt"
done

# Valid lines past the memory limit: an out-of-memory error naming the file, not a crash.
if [ "$ASAN" = 0 ]; then
	yes '+1,0.01' | head -n 4000000 | (ulimit -v 40000; "$RB" price --routes - --numbers "$FIX/readme-numbers.txt") >"$T/out" 2>"$T/err"
	check "routes past RLIMIT_AS: exit 1" test "${PIPESTATUS[2]}" = 1
	check "routes past RLIMIT_AS: message" grep -Eq '^stdin: out of memory after [0-9]+ routes$' "$T/err"
else
	skipped "routes past RLIMIT_AS: not under a sanitizer"
fi

# --- --skip-invalid skips, counts per file, and still answers -------------------------------
printf '+1512,0.04\nbad line\n+1415,0.02\n+1415,x\n' > "$T/r.txt"
printf '+15124156620\n+oops\n+14152345678\n' > "$T/n.txt"
check "--skip-invalid: exit 0" run 0 price --skip-invalid --routes "$T/r.txt" --numbers "$T/n.txt"
check "--skip-invalid: answers" test "$(cat "$T/out")" = "$(printf '+15124156620,0.04\n+14152345678,0.02')"
check "--skip-invalid: routes count" grep -q "r.txt: skipped 2 invalid lines" "$T/err"
check "--skip-invalid: numbers count" grep -q "n.txt: skipped 1 invalid line$" "$T/err"
check "--skip-invalid stream: exit 0" run 0 price --strategy stream --skip-invalid --routes "$T/r.txt" --numbers "$T/n.txt"
check "--skip-invalid stream: answers" test "$(cat "$T/out")" = "$(printf '+15124156620,0.04\n+14152345678,0.02')"
check "--skip-invalid stream: routes count" grep -q "r.txt: skipped 2 invalid lines" "$T/err"
check "bad --strategy is a usage error" run 2 price --strategy fast --routes "$T/r.txt" --numbers "$T/n.txt"

# --- route images: image build, price --image, and damaged images ---------------------------
check "image --help" run 0 image --help
check "image without a subcommand" run 2 image
check "image with an unknown subcommand" run 2 image frob
check "image build without -o" run 2 image build --impl "${IMPLS%%[[:space:]]*}" --routes "$FIX/readme-routes.txt"
check "image build, unknown impl" run 2 image build --impl nosuch --routes "$FIX/readme-routes.txt" -o "$T/x.rbi"
check "price --image with --strategy stream" run 2 price --strategy stream --image "$T/x.rbi" --numbers "$FIX/readme-numbers.txt"
# Which implementations write images is the command's to say: build exits 0 or 2 (usage).
IMAGING=""
for impl in $IMPLS; do
	"$RB" image build --impl "$impl" --routes "$FIX/readme-routes.txt" -o "$T/$impl.rbi" >"$T/out" 2>"$T/err"
	case $? in
	0) IMAGING="$IMAGING $impl" ;;
	2) check "$impl: no image, no file" test ! -e "$T/$impl.rbi" ;;
	*) bad "$impl: image build exited $?"; cat "$T/err" ;;
	esac
done
check "some implementations write images" test -n "$IMAGING"
for impl in $IMAGING; do
	img=$T/$impl.rbi
	check "$impl image: price" run 0 price --image "$img" --numbers "$FIX/readme-numbers.txt"
	check "$impl image: answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
	check "$impl image: price --no-verify" run 0 price --image "$img" --no-verify --numbers "$FIX/readme-numbers.txt"
	check "$impl image: --no-verify answers" cmp -s "$T/out" "$FIX/readme-expected.txt"
	check "$impl image beside --routes" run 0 price --image "$img" --routes "$T/carrier-b.txt" --numbers "$FIX/readme-numbers.txt"
	check "$impl image beside --routes: least cost" cmp -s "$T/out" "$T/two-carriers.txt"
	check "$impl image: info" run 0 image info "$img"
	check "$impl image: info names it" grep -Eq "^impl +$impl$" "$T/out"
	check "$impl image: rebuilt byte for byte" run 0 image build --impl "$impl" --routes "$FIX/readme-routes.txt" -o "$T/again.rbi"
	check "$impl image: deterministic" cmp -s "$img" "$T/again.rbi"
done
IMG=$T/${IMAGING# }; IMG=${IMG%% *}.rbi
FIRST_IMAGING=$(basename "$IMG" .rbi)
printf '+1,0.01\n+1415,abc\n' > "$T/r-bad.txt"
check "image build of a bad route file: exit 1" run 1 image build --impl "$FIRST_IMAGING" --routes "$T/r-bad.txt" -o "$T/bad.rbi"
check "image build of a bad route file: FILE:LINE" grep -q 'r-bad\.txt:2: cost is not a number' "$T/err"
check "image build of a bad route file: no image" test ! -e "$T/bad.rbi"
check "image build leaves no temporary file" test -z "$(ls "$T" | grep '\.tmp\.')"
# flip FILE OFFSET: invert one byte in place
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# damaged NAME FILE REGEX MODES: price and image info exit 1 with "FILE: REGEX", an existing
# output untouched, in each mode ("" verifies, --no-verify does not)
damaged() {
	local name=$1 f=$2 want=$3 mode
	for mode in $4; do
		[ "$mode" = '""' ] && mode=""
		echo precious > "$T/keep.txt"
		check "$name $mode: exit 1" run 1 price --image "$f" $mode --numbers "$FIX/readme-numbers.txt" -o "$T/keep.txt"
		check "$name $mode: message" grep -Eq "^$f: $want\$" "$T/err"
		check "$name $mode: output untouched" test "$(cat "$T/keep.txt")" = precious
		check "$name $mode: image info exit 1" run 1 image info $mode "$f"
		check "$name $mode: image info message" grep -Eq "^$f: $want\$" "$T/err"
	done
}
size=$(stat -c %s "$IMG")
for cut in 4 100 511 600 $((size - 1)); do
	head -c "$cut" "$IMG" > "$T/cut.rbi"
	damaged "image cut at $cut" "$T/cut.rbi" truncated '"" --no-verify'
done
: > "$T/empty.rbi"
damaged "empty image" "$T/empty.rbi" "not a routebench image" '"" --no-verify'
damaged "route file as an image" "$FIX/readme-routes.txt" "not a routebench image" '"" --no-verify'
cp "$IMG" "$T/ver.rbi"; printf '\002' | dd of="$T/ver.rbi" bs=1 seek=8 conv=notrunc 2>/dev/null
damaged "other version" "$T/ver.rbi" "image of format version 2, this build reads 1" '"" --no-verify'
cp "$IMG" "$T/head.rbi"; flip "$T/head.rbi" 100
damaged "flipped header byte" "$T/head.rbi" "checksum mismatch" '"" --no-verify'
cp "$IMG" "$T/magic.rbi"; flip "$T/magic.rbi" 2
damaged "flipped magic" "$T/magic.rbi" "not a routebench image" '"" --no-verify'
for at in 520 600 $((size - 70)) $((size - 1)); do
	cp "$IMG" "$T/pay.rbi"; flip "$T/pay.rbi" "$at"
	damaged "flipped payload byte $at" "$T/pay.rbi" "checksum mismatch" '""'
	"$RB" price --image "$T/pay.rbi" --no-verify --numbers "$FIX/readme-numbers.txt" >"$T/out" 2>"$T/err"
	st=$?
	check "flipped payload byte $at --no-verify: an answer or an error, no crash ($st)" test "$st" -le 1
done
check "missing image: exit 1" run 1 price --image "$T/nope.rbi" --numbers "$FIX/readme-numbers.txt"
check "missing image: message" grep -q "nope.rbi: No such file or directory" "$T/err"

# --- the real Make School data and answers, when ../shared is there --------------------------
if [ -d "$SHARED/expected" ]; then
	for exp in "$SHARED"/expected/*__*.txt; do
		base=$(basename "$exp" .txt)
		numbers=$SHARED/${base%%__*}.txt
		args=()
		sizes=${base#*__route-costs-}
		IFS=+ read -r -a parts <<< "$sizes"
		routes=0
		for p in "${parts[@]}"; do
			args+=(--routes "$SHARED/route-costs-$p.txt")
			routes=$((routes + $(wc -l < "$SHARED/route-costs-$p.txt") + 1))
		done
		work=$(( routes * $(wc -l < "$numbers") ))
		for impl in $WAYS; do
			# The linear scan is O(routes) per number: keep it to pairs that finish in seconds.
			if [ "$impl" = linear ] && [ "$work" -gt 400000000 ]; then
				skip=$((skip + 1)); continue
			fi
			check "$impl: $base" run 0 price $(how "$impl") "${args[@]}" --numbers "$numbers"
			check "$impl: $base matches expected" cmp -s "$T/out" "$exp"
		done
	done
else
	echo "skipping the Make School answers: $SHARED not found"
	skip=$((skip + 1))
fi

finish
