#!/usr/bin/env bash
# readme_figures.sh - the README quotes nothing it cannot regenerate: every block between
# "<!-- generated: KIND ARGS -->" and "<!-- end generated -->" must equal what this script makes
# of KIND now, from the committed results/reference/ and from `routebench list`:
#   list ours|peers            the implementation tables: name, summary, claimed complexity,
#                              from `routebench list` (each ops table's .summary and
#                              .complexity; its [tags] aside), split by panel group
#                              (`report --palette`)
#   summary RUN GROUP...       those groups of RUN's SUMMARY.md, the lessons' headline figures
#                              as `routebench report RUN` computes them, image links made
#                              relative to the README
#   bench-time RUN WHAT        how long RUN took, from its meta.json's start and end times
# A block that differs fails the test, with the diff. `--update` rewrites the README's blocks.
# usage: readme_figures.sh PATH/TO/routebench PROJECT_DIR [--update]
set -u
RB=$1
ROOT=$2
UPDATE=${3:-}
. "$(dirname "$0")/lib.sh"
README=$ROOT/README.md
RB_ABS=$(cd "$(dirname "$RB")" && pwd)/$(basename "$RB")

# A scratch copy of the reference runs, reported again from their committed figures.
mkdir -p "$T/work/results"
cp -r "$ROOT/results/reference" "$T/work/results/"
"$RB" report --palette "$T/work" >/dev/null 2>&1

# Does this build register every implementation the reference measured? (Peers need their
# libraries; without one the report's tables would differ for that reason alone.)
missing=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "impl") c = i; next }
	$c != "stream" { print $c }' "$ROOT/results/reference/cells.csv" "$ROOT/results/reference/full/cells.csv" |
	sort -u | while read -r i; do "$RB" list | grep -q "^$i " || echo "$i"; done | tr '\n' ' ')

report() { # RUN: routebench report RUN in the scratch tree, paths as the README names them
	(cd "$T/work" && "$RB_ABS" report "$1" --micro results/reference/micro \
		--massif results/reference/massif >/dev/null 2>"$T/report.err")
}

# list GROUP: the table of group ours (the baselines and the ladder) or peers.
gen_list() {
	local want=$1
	echo "| name | what it is | claimed (n routes, L digits) |"
	echo "|---|---|---|"
	"$RB" list | awk -v want="$want" -v pal="$T/work/palette.csv" '
		BEGIN { FS = ","; while ((getline l < pal) > 0) { split(l, f, ","); g[f[1]] = f[3] } FS = " " }
		/^[a-z]/ { name = $1; sub(/^[a-z0-9_]+ +/, ""); summary = $0; next }
		/^ +\(/ { c = $0; sub(/( \[[^]]*\])+$/, "", c); sub(/^ +\(/, "", c); sub(/\)$/, "", c)
			peer = g[name] == 3
			if ((want == "peers") == peer) printf "| `%s` | %s | %s |\n", name, summary, c }'
}

# summary RUN GROUP...: those groups of RUN/SUMMARY.md, links prefixed with RUN.
gen_summary() {
	local run=$1
	shift
	local sum=$T/work/$run/SUMMARY.md
	if [ ! -s "$sum" ]; then
		report "$run" || { echo "(routebench report $run failed: $(cat "$T/report.err"))"; return; }
	fi
	local first=1
	for g in "$@"; do
		[ $first = 1 ] || echo
		first=0
		awk -v g="$g" '$0 == "<!-- summary: " g " -->" { on = 1; next }
			on && /^<!-- end summary -->/ { on = 0 } on' "$sum" |
			sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' |
			sed "s|\](\([a-z0-9_]*\.png\))|]($run/\1)|g"
	done
}

# bench-time RUN WHAT: "WHAT took 1 min 7 s here (RUN/meta.json: START to END)".
gen_bench_time() {
	local run=$1
	shift
	python3 - "$ROOT/$run/meta.json" "$run" "$*" <<'EOF'
import datetime, json, sys, textwrap
m = json.load(open(sys.argv[1]))
t = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
d = int((t(m["finished"]) - t(m["started"])).total_seconds())
took = "%d min %d s" % (d // 60, d % 60) if d >= 60 else "%d s" % d
print(textwrap.fill("%s took %s on this project's 2-core machine (%s/meta.json: %s to %s; "
                    "the build not counted)." % (sys.argv[3], took, sys.argv[2], m["started"],
                                                 m["finished"]), 96))
EOF
}

# The README's blocks, each followed by what it should hold, through one python pass.
python3 - "$README" "$T/blocks" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
with open(sys.argv[2], "w") as out:
    for i, m in enumerate(re.finditer(r"<!-- generated: (.*?) -->\n(.*?)<!-- end generated -->",
                                      text, re.S)):
        out.write("%d\t%s\n" % (i, m.group(1)))
        open("%s.%d" % (sys.argv[2], i), "w").write(m.group(2))
EOF
nblocks=$(wc -l < "$T/blocks")
check "README has generated blocks ($nblocks)" test "$nblocks" -ge 4
while IFS=$'\t' read -r i spec; do
	set -- $spec
	kind=$1
	shift
	case $kind in
	list) gen_list "$@" > "$T/want.$i" ;;
	summary)
		if [ -n "$missing" ]; then
			skipped "README block $i ($spec): this build lacks $missing"
			cp "$T/blocks.$i" "$T/want.$i"
			continue
		fi
		gen_summary "$@" > "$T/want.$i" ;;
	bench-time) gen_bench_time "$@" > "$T/want.$i" ;;
	*) echo "README block $i: unknown kind '$kind'" > "$T/want.$i" ;;
	esac
	if [ "$UPDATE" = --update ]; then
		continue
	fi
	if ! diff -u "$T/blocks.$i" "$T/want.$i" > "$T/diff.$i"; then
		sed 's/^/  /' "$T/diff.$i" | head -40
		echo "  (tests/readme_figures.sh build/routebench . --update rewrites the block)"
	fi
	check "README block '$spec' equals what the reference run and the registry give" \
		test ! -s "$T/diff.$i"
done < "$T/blocks"

if [ "$UPDATE" = --update ]; then
	python3 - "$README" "$T" <<'EOF'
import re, sys
path, tmp = sys.argv[1], sys.argv[2]
text = open(path).read()
n = [0]
def repl(m):
    i = n[0]; n[0] += 1
    return "<!-- generated: %s -->\n%s<!-- end generated -->" % (m.group(1),
                                                               open("%s/want.%d" % (tmp, i)).read())
text = re.sub(r"<!-- generated: (.*?) -->\n(.*?)<!-- end generated -->", repl, text, flags=re.S)
open(path, "w").write(text)
print("readme_figures: rewrote %d blocks of %s" % (n[0], path))
EOF
fi

# Every implementation's claimed complexity appears in the README only as `routebench list`
# prints it: no table row of the README that names an implementation and a big-O may give it
# another claim.
while read -r name; do
	claim=$("$RB" list | awk -v n="$name" '$1 == n { getline; sub(/( \[[^]]*\])+$/, "")
		sub(/^ +\(/, ""); sub(/\)$/, ""); print }')
	rows=$(grep -E "^\| \`$name\` \|.*O\(" "$README" | grep -vF -- "$claim" || true)
	check "README: $name's claim is the registry's" test -z "$rows"
done < <("$RB" list | awk '/^[a-z]/ { print $1 }')

finish readme_figures
