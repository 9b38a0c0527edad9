# lib.sh - what every shell test shares: a temporary folder, the counters, check, run, finish.
# Source it after setting RB to the routebench binary. Each check is counted; finish prints
# the closing "N passed, N failed, N skipped" line and fails the test if any check failed.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check WHAT CMD...: count CMD's success or failure; returns CMD's status, so `if check` works
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; return 1; fi; }
skipped() { skip=$((skip + 1)); echo "SKIP: $*"; }

# run_cmd STATUS PROGRAM ARGS...: keep stdout/stderr in $T/out and $T/err, compare the exit status.
run_cmd() {
	local want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	[ "$got" = "$want" ] || { echo "  $* -> exit $got, wanted $want"; sed 's/^/  stderr: /' "$T/err" | head -20; return 1; }
}

# run STATUS ARGS...: the same for routebench.
run() { local want=$1; shift; run_cmd "$want" "$RB" "$@"; }

# finish [NAME]: the closing line; the exit status says whether every check passed.
finish() {
	echo "${1:+$1: }$pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
}
