#!/usr/bin/env bash
# serve.sh - `routebench serve` as a client meets it, over loopback with curl and python3:
# answers byte for byte equal to `routebench price`, JSON, every refused request, deltas
# (atomic: no answer sees half of one), reloads (a broken file keeps the old version), a
# slow client, SIGHUP, SIGTERM, kill -9 mid-update. No timing is asserted; every wait is
# bounded, and every server started is stopped on every path (trap).
# usage: serve.sh PATH/TO/routebench PROJECT_DIR
set -u
RB=$1
ROOT=$2
. "$(dirname "$0")/lib.sh"
FIX=$ROOT/datasets/fixtures
PYC="python3 $(dirname "$0")/serve_client.py"
SPID=""
trap 'if [ -n "$SPID" ]; then kill -9 "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi; rm -rf "$T"' EXIT

# start_server ARGS...: serve on a free loopback port; sets SPID, PORT and U (the base URL).
start_server() {
	local st
	"$RB" serve --port 0 "$@" >"$T/srv.out" 2>"$T/srv.err" &
	SPID=$!
	# wait for the whole line (port included): a half-written line must not end the wait
	for _ in $(seq 1 600); do
		PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$T/srv.out")
		[ "$(tail -c 1 "$T/srv.out" | wc -l)" = 1 ] || PORT=""  # the newline too
		[ -n "$PORT" ] && break
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	U=http://127.0.0.1:$PORT
	[ -n "$PORT" ] && return 0
	if kill -0 "$SPID" 2>/dev/null; then st="still running after 60 s"
	else wait "$SPID"; st="exit status $?"; fi
	echo "  server did not start ($st); its stdout and stderr:"
	sed 's/^/  /' "$T/srv.out" "$T/srv.err"
	return 1
}
# stop_server [SIGNAL]: signal the server (TERM) and wait; the status is the server's.
stop_server() {
	local rc=0
	[ -n "$SPID" ] || return 0
	kill "-${1:-TERM}" "$SPID" 2>/dev/null
	wait "$SPID" || rc=$?
	SPID=""
	return $rc
}
# req STATUS CURL_ARGS...: the body in $T/body; compare the status code.
req() {
	local want=$1 got; shift
	got=$(curl -s -o "$T/body" -w '%{http_code}' "$@")
	[ "$got" = "$want" ] || { echo "  curl $* -> $got, wanted $want: $(head -c 300 "$T/body")"; return 1; }
}
auth() { echo "Authorization: Bearer $TOKEN"; }
# jcheck EXPR: the python expression EXPR holds for a, the JSON in $T/body.
jcheck() { python3 -c "import json,sys; a=json.load(open(sys.argv[1])); sys.exit(not ($1))" "$T/body"; }
stat_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['carriers'][int(sys.argv[2])-1][sys.argv[3]])" "$T/body" "$@"; }
version_of() { req 200 "$U/stats" && stat_field "$1" version; }
# get_all NUMBERS: GET each number, the bodies concatenated into $T/got.
get_all() {
	: > "$T/got"
	while read -r n; do
		[ -n "$n" ] && curl -s "$U/price?number=$(printf %s "$n" | sed 's/+/%2B/')" >> "$T/got"
	done < "$1"
}

TOKEN=s3cret-$$
printf '%s\n' "$TOKEN" > "$T/token"
printf 'wrong\n' > "$T/wrong-token"

# --- usage and bad route files: refused before listening ---------------------------------
check "serve --help" run 0 serve --help
check "help names the endpoints" grep -q '/carriers/K/routes' "$T/out"
check "serve without --routes" run 2 serve
check "serve --update frob" run 2 serve --routes "$FIX/readme-routes.txt" --update frob
check "serve --port 70000" run 2 serve --routes "$FIX/readme-routes.txt" --port 70000
check "serve --bind a name" run 2 serve --routes "$FIX/readme-routes.txt" --bind localhost
check "serve --threads 0" run 2 serve --routes "$FIX/readme-routes.txt" --threads 0
# --update inplace needs the implementation's update ops: a usage error where it has none.
for impl in $("$RB" list | awk '/^[^ ]/ { print $1 }'); do
	"$RB" serve --impl "$impl" --update inplace --routes "$T/missing.txt" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc = 2 ]; then check "$impl: inplace refused with a reason" grep -q 'no in-place update' "$T/err"
	else check "$impl: inplace accepted, then the missing file refused" test $rc = 1; fi
done
printf '+1415,0.02\n+1512,abc\n' > "$T/bad.txt"
check "bad route file: exit 1" run 1 serve --port 0 --routes "$FIX/readme-routes.txt" --routes "$T/bad.txt"
check "bad route file: FILE:LINE" grep -q "bad.txt:2: cost is not a number" "$T/err"
check "bad route file: never listened" test ! -s "$T/out"
check "missing token file: exit 1" run 1 serve --port 0 --routes "$FIX/readme-routes.txt" --admin-token-file "$T/nope"

# --- the README example, no admin token: answers, JSON, refusals ----------------------------
if check "start on the README example" start_server --routes "$FIX/readme-routes.txt" --max-body 64K; then
	check "listening line names a port" test "$PORT" -gt 0
	check "healthz" req 200 "$U/healthz"
	get_all "$FIX/readme-numbers.txt"
	check "GET answers = price output" cmp -s "$T/got" "$FIX/readme-expected.txt"
	# keep-alive: two GETs and a POST on one connection, and no answer says Connection: close
	curl -sv "$U/price?number=%2B14152345678" "$U/healthz" --next \
		--data-binary @"$FIX/readme-numbers.txt" "$U/price" >"$T/ka.out" 2>"$T/ka.err"
	check "keep-alive: one connection for three requests" \
		test "$(grep -c '^\* Re-using existing connection' "$T/ka.err")" = 2
	check "keep-alive: no Connection: close" test -z "$(grep -i '^< connection: close' "$T/ka.err")"
	check "GET with a literal '+' (decoded as a space)" req 200 "$U/price?number=+14152345678"
	check "literal '+' answer" test "$(cat "$T/body")" = "+14152345678,0.03"
	check "POST" req 200 --data-binary @"$FIX/readme-numbers.txt" "$U/price"
	check "POST answers = price output" cmp -s "$T/body" "$FIX/readme-expected.txt"
	check "GET JSON" req 200 -H 'Accept: application/json' "$U/price?number=%2B14152345678"
	check "GET JSON fields" jcheck 'a == {"number": "+14152345678", "cost": "0.03", "carrier": 1, "versions": [1]}'
	check "GET JSON, no route" req 200 -H 'Accept: application/json' "$U/price?number=%2B19876543210"
	check "no route: cost 0, carrier null" jcheck 'a["cost"] == "0" and a["carrier"] is None'
	check "POST JSON" req 200 -H 'Accept: application/json' --data-binary @"$FIX/readme-numbers.txt" "$U/price"
	check "POST JSON answers" jcheck '[x["cost"] for x in a["answers"]] == ["0.04", "0.03", "0"] and a["versions"] == [1]'
	check "bad number: 400" req 400 "$U/price?number=%2B1415x"
	check "bad number: one-line reason" grep -qx "number has a character that is not a digit" "$T/body"
	check "number too long: 400" req 400 "$U/price?number=%2B1234567890123456"
	check "no number: 400" req 400 "$U/price"
	check "bad POST line: 400" req 400 --data-binary $'+1415\n\n+14x\n' "$U/price"
	check "bad POST line named" grep -q '^line 3: number has a character that is not a digit' "$T/body"
	check "unknown path: 404" req 404 "$U/nope"
	check "unknown carrier: 404" req 404 -X POST -H "$(auth)" "$U/carriers/2/routes"
	check "wrong method: 405" req 405 -X DELETE "$U/price"
	check "wrong method on stats: 405" req 405 -X POST "$U/stats"
	head -c 70000 /dev/zero | tr '\0' '\n' > "$T/big.txt"
	check "body over --max-body: 413" req 413 --data-binary @"$T/big.txt" "$U/price"
	check "chunked body over --max-body: 413" req 413 -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt" "$U/price"
	check "the connection still serves after a 413" req 200 "$U/healthz"
	check "updates without --admin-token-file: 403" req 403 -X POST -H "$(auth)" --data-binary $'+1,1\n' "$U/carriers/1/routes"
	check "reload without --admin-token-file: 403" req 403 -X POST "$U/carriers/1/reload"
	check "refusals changed nothing" test "$(version_of 1)" = 1
	check "SIGTERM exits 0" stop_server TERM
	check "SIGTERM said it drained" grep -q 'draining' "$T/srv.err"
fi

# --- 10K routes, 2 carriers, with a token: price, deltas, atomicity, reloads, signals ------
"$RB" gen routes --count 10000 --seed 7 -o "$T/c1.txt" &&
"$RB" gen routes --count 10000 --seed 7 --carrier 1 -o "$T/c2.txt" &&
"$RB" gen numbers --count 2000 --routes "$T/c1.txt" -o "$T/nums.txt" || { bad "gen"; finish serve; exit; }
cp "$T/c1.txt" "$T/live1.txt"
cp "$T/c2.txt" "$T/live2.txt"
$PYC mkdelta "$T/c1.txt" "$T/delta.txt"
$PYC apply "$T/c1.txt" "$T/delta.txt" "$T/c1-after.txt"
"$RB" price --routes "$T/c1.txt" --routes "$T/c2.txt" --numbers "$T/nums.txt" > "$T/want-v1.txt"
"$RB" price --routes "$T/c1-after.txt" --routes "$T/c2.txt" --numbers "$T/nums.txt" > "$T/want-v2.txt"
check "the delta changes answers" test "$(diff "$T/want-v1.txt" "$T/want-v2.txt" | grep -c "^<")" -gt 100
head -100 "$T/nums.txt" > "$T/nums100.txt"
head -100 "$T/want-v1.txt" > "$T/want100-v1.txt"
head -c 600000 /dev/zero | tr '\0' '\n' > "$T/big2.txt"

# scenario UPDATE_ARGS...: the whole 10K story under one update mode.
scenario() {
	local m=${*:-default}
	cp "$T/c1.txt" "$T/live1.txt"
	start_server --routes "$T/live1.txt" --routes "$T/live2.txt" --admin-token-file "$T/token" \
		--max-body 512K "$@" || return
	req 200 "$U/stats" && MODE=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['update'])" "$T/body")
	check "$m: POST 2000 numbers = price" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: POST answers byte for byte" cmp -s "$T/body" "$T/want-v1.txt"
	get_all "$T/nums100.txt"
	check "$m: GET answers byte for byte" cmp -s "$T/got" "$T/want100-v1.txt"
	check "$m: missing token: 401" req 401 -X POST --data-binary @"$T/delta.txt" "$U/carriers/1/routes"
	check "$m: wrong token: 401" req 401 -X POST -H "Authorization: Bearer $(cat "$T/wrong-token")" --data-binary @"$T/delta.txt" "$U/carriers/1/routes"
	check "$m: token prefix: 401" req 401 -X POST -H "Authorization: Bearer ${TOKEN%?}" "$U/carriers/1/reload"
	{ head -5 "$T/delta.txt"; echo '+1415,zero'; cat "$T/delta.txt"; } > "$T/bad-delta.txt"
	check "$m: bad delta line: 400" req 400 -X POST -H "$(auth)" --data-binary @"$T/bad-delta.txt" "$U/carriers/1/routes"
	check "$m: bad delta line named" grep -q '^line 6: cost is not a number: "+1415,zero"' "$T/body"
	check "$m: bad delta: nothing applied" test "$(version_of 1)" = 1
	check "$m: bad delta: answers unchanged" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: bad delta: byte for byte" cmp -s "$T/body" "$T/want-v1.txt"
	check "$m: delta over --max-body: 413" req 413 -X POST -H "$(auth)" --data-binary @"$T/big2.txt" "$U/carriers/1/routes"
	check "$m: 413: nothing applied" test "$(version_of 1)" = 1
	check "$m: atomic delta under load" $PYC atomic "$PORT" "$TOKEN" "$T/nums.txt" "$T/want-v1.txt" "$T/want-v2.txt" "$T/delta.txt"
	check "$m: version 2 after the delta" test "$(version_of 1)" = 2
	check "$m: after the delta = price on the new file" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: after the delta, byte for byte" cmp -s "$T/body" "$T/want-v2.txt"
	check "$m: stats count the update" test "$(req 200 "$U/stats" && stat_field 1 updates_applied)" = 1
	check "$m: the server never wrote the file" cmp -s "$T/live1.txt" "$T/c1.txt"
	printf '+1,0.5\n-1\n-1\n+2,1\n' > "$T/small-delta.txt"
	check "$m: absent removals counted" req 200 -X POST -H "$(auth)" --data-binary @"$T/small-delta.txt" "$U/carriers/2/routes"
	check "$m: delta answer fields" jcheck '(a["carrier"], a["version"], a["applied"], a["absent"]) == (2, 2, 4, 1)'
	check "$m: carrier 2 back to its file" req 200 -X POST -H "$(auth)" "$U/carriers/2/reload"
	# a broken file on reload: the old version serves, the reason names FILE:LINE
	{ head -100 "$T/c2.txt"; echo '+44,'; } > "$T/live1.txt"
	check "$m: reload of a broken file refused" req 422 -X POST -H "$(auth)" "$U/carriers/1/reload"
	check "$m: reload error names FILE:LINE" grep -q 'live1.txt:101: cost is missing' "$T/body"
	check "$m: old version still serving" test "$(version_of 1)" = 2
	check "$m: old answers still served" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: old answers, byte for byte" cmp -s "$T/body" "$T/want-v2.txt"
	cp "$T/c1.txt" "$T/live1.txt"
	check "$m: reload" req 200 -X POST -H "$(auth)" "$U/carriers/1/reload"
	check "$m: reload is version 3" test "$(version_of 1)" = 3
	check "$m: reloaded = price on the files" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: reloaded, byte for byte" cmp -s "$T/body" "$T/want-v1.txt"
	check "$m: a slow client stalls no one" $PYC slow "$PORT" "$(head -1 "$T/nums.txt")" "$(head -1 "$T/want-v1.txt")"
	# SIGHUP re-reads every file
	cp "$T/c1-after.txt" "$T/live1.txt"
	kill -HUP "$SPID"
	for _ in $(seq 1 300); do [ "$(version_of 1)" = 4 ] && break; sleep 0.1; done
	check "$m: SIGHUP reloaded carrier 1" test "$(version_of 1)" = 4
	check "$m: after SIGHUP = price on the new file" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: after SIGHUP, byte for byte" cmp -s "$T/body" "$T/want-v2.txt"
	# SIGTERM drains: a request whose body is still arriving is answered, then exit 0
	rm -f "$T/ready"
	$PYC drain "$PORT" "$(head -1 "$T/nums.txt")" "$(head -1 "$T/want-v2.txt")" "$T/ready" &
	local dpid=$!
	for _ in $(seq 1 300); do [ -f "$T/ready" ] && break; sleep 0.1; done
	kill -TERM "$SPID"
	check "$m: SIGTERM answers the request in flight" wait "$dpid"
	check "$m: SIGTERM exits 0" stop_server TERM
	# kill -9 while an update runs: the restarted server serves what is on disk
	cp "$T/c1.txt" "$T/live1.txt"
	start_server --routes "$T/live1.txt" --routes "$T/live2.txt" --admin-token-file "$T/token" "$@" || return
	curl -s -o /dev/null -X POST -H "$(auth)" --data-binary @"$T/delta.txt" "$U/carriers/1/routes" &
	local cpid=$!
	kill -9 "$SPID"
	wait "$SPID" 2>/dev/null
	SPID=""
	wait "$cpid" 2>/dev/null
	check "$m: kill -9 left the file as it was" cmp -s "$T/live1.txt" "$T/c1.txt"
	check "$m: restart after kill -9" start_server --routes "$T/live1.txt" --routes "$T/live2.txt" "$@"
	check "$m: restarted = price on the file" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "$m: restarted, byte for byte" cmp -s "$T/body" "$T/want-v1.txt"
	check "$m: stopped" stop_server TERM
}

scenario --update rebuild
check "rebuild mode reported" test "$MODE" = rebuild
# --trim gives a rebuilt table's predecessor back to the kernel: answers as without it
cp "$T/c1.txt" "$T/live1.txt"
if check "--trim: start" start_server --routes "$T/live1.txt" --routes "$T/live2.txt" \
	--admin-token-file "$T/token" --update rebuild --trim; then
	check "--trim: the delta applies" req 200 -X POST -H "$(auth)" --data-binary @"$T/delta.txt" "$U/carriers/1/routes"
	check "--trim: version 2" test "$(version_of 1)" = 2
	check "--trim: after the delta = price on the new file" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "--trim: byte for byte" cmp -s "$T/body" "$T/want-v2.txt"
	check "--trim: reload" req 200 -X POST -H "$(auth)" "$U/carriers/1/reload"
	check "--trim: reloaded, byte for byte" req 200 --data-binary @"$T/nums.txt" "$U/price"
	check "--trim: reloaded = price on the file" cmp -s "$T/body" "$T/want-v1.txt"
	check "--trim: SIGTERM exits 0" stop_server TERM
fi
scenario
if [ "$MODE" = rebuild ]; then skipped "the default impl has no in-place update yet: inplace untested"; fi
# every implementation serves the same bytes (rebuild: every one can)
for impl in $("$RB" list | awk '/^[^ ]/ { print $1 }'); do
	[ "$impl" = linear ] && continue   # 10K x 2000 scans: covered by the README run below
	if check "$impl: start" start_server --impl "$impl" --routes "$T/c1.txt" --routes "$T/c2.txt"; then
		check "$impl: POST = price" req 200 --data-binary @"$T/nums.txt" "$U/price"
		check "$impl: byte for byte" cmp -s "$T/body" "$T/want-v1.txt"
		check "$impl: SIGTERM exits 0" stop_server TERM
	fi
done
finish serve
