#!/usr/bin/env bash
# layout.sh - the layout rules of harness/README.md, checked on every `make test`:
#   1. no source file over 800 lines;
#   2. no function over 80 lines (tables, i.e. initialised arrays, are not functions);
#   3. no source file outside impls/ (and tests/) names a registered implementation in a string;
#   4. each harness layer includes only its own headers and those of the layers below it.
# Usage: layout.sh ROOT [ROUTEBENCH]   (ROUTEBENCH: the built binary, for the registry's names)
set -u
root=$1 rb=${2:-}
cd "$root" || exit 1
fail=0
bad() { echo "layout: $*" >&2; fail=1; }

srcs=$(git ls-files 'impls/*.[ch]' 'impls/*.cc' 'harness/*.[ch]' 'harness/*.cc' 'datasets/*.[ch]' \
	'fuzz/*.[ch]' 2>/dev/null || find impls harness datasets -name '*.[ch]' -o -name '*.cc')

for f in $srcs; do
	n=$(wc -l < "$f")
	[ "$n" -le 800 ] || bad "$f: $n lines (at most 800)"
done

# Linux style: a function's opening brace stands alone in column 0 and its closing brace too;
# tables (initialised arrays and structs) open with '= {' at the end of a line, so they are
# not counted. The function's name is the last column-0 line before its brace.
for f in $srcs; do
	awk -v f="$f" '
	/^[A-Za-z_]/ { sig = $0 }
	/^\{/ { start = NR; name = sig; next }
	/^\}/ { if (start && NR - start - 1 > 80)
			printf "%s:%d: %s: %d lines\n", f, start, name, NR - start - 1
		start = 0 }
	' "$f"
done > /tmp/layout.long.$$
while read -r line; do bad "function over 80 lines: $line"; done < /tmp/layout.long.$$
rm -f /tmp/layout.long.$$

if [ -n "$rb" ]; then
	names=$("$rb" list | awk 'NF && $1 !~ /^\(/ {print $1}')
	others=$(git ls-files 'harness/*' 'datasets/*' 'plots/*' 2>/dev/null)
	for n in $names; do
		hits=$(grep -nE "[\"']$n[\"']" $others 2>/dev/null
			grep -nE "^[^#]*([=, ]|^)$n(,|$| )" Makefile 2>/dev/null | grep -vE 'DEPS|-dev ' |
				sed 's/^/Makefile:/')
		[ -z "$hits" ] || bad "names the implementation '$n' outside impls/: $hits"
	done
fi

# Layers, bottom to top, and what each may include from the harness.
declare -A allowed=(
	[sys]="sys"
	[data]="data sys"
	[pricing]="pricing data sys"
	[profile]="profile pricing data sys"
	[cell]="cell profile pricing data sys"
	[report]="report data sys"
	[serve]="serve pricing data sys"
	[net]="net data sys"
	[grade]="grade pricing data sys"
	[scenario]="scenario net data sys"
	[cmd]="cmd cell report serve net grade scenario profile pricing data sys"
)
for layer in "${!allowed[@]}"; do
	[ -d "harness/$layer" ] || continue
	for f in harness/$layer/*.[ch] harness/$layer/*.cc; do
		[ -f "$f" ] || continue
		for h in $(grep -ho '#include "[^"]*"' "$f" | sed 's/#include "//; s/"//'); do
			[ -f "impls/$h" ] || [ -f "datasets/$h" ] && continue
			if [ -f "harness/$layer/$h" ]; then home=$layer
			else home=$(cd harness && ls */"$h" 2>/dev/null | head -1 | cut -d/ -f1); fi
			[ -n "$home" ] || continue
			case " ${allowed[$layer]} " in *" $home "*) ;; *) bad "$f includes $h from $home/, a layer above or beside $layer/";; esac
		done
	done
done
for f in datasets/*.[ch]; do
	for h in $(grep -ho '#include "[^"]*"' "$f" | sed 's/#include "//; s/"//'); do
		[ -f "datasets/$h" ] || [ -f "impls/$h" ] || bad "$f includes $h, a harness header"
	done
done

[ $fail = 0 ] && echo "layout: ok ($(echo $srcs | wc -w) source files)"
exit $fail
