# cachesim.gp - what one lookup costs in the cache simulator, one bar per implementation:
# instructions and L1 data misses (log scales: the scan's are millions), last-level data misses
# per lookup, from valgrind's callgrind with this machine's cache sizes (routebench cachesim).
# A missing bar is a run that did not finish (its status is in cachesim.csv). A cold row (the
# cold query set: distinct numbers, each once a pass) has its own bar, named "IMPL (cold)".
# Reads only dir/cachesim.csv. Usage: gnuplot -e "dir='results/latest-cachesim'" plots/cachesim.gp
if (!exists("dir")) dir = "results/latest-cachesim"
csv = dir."/cachesim.csv"

if (int(system(sprintf("awk -F, '$(NF - 1) == \"ok\" { n++ } END { print n + 0 }' " . \
	"'%s' 2>/dev/null || echo 0", csv))) == 0) {
	print sprintf("cachesim.gp: no %s, or no ok row in it; chart skipped", csv)
	exit
}
n_routes = system(sprintf("awk -F, 'NR == 2 { print $2 }' '%s'", csv))
# the query_set column's number (0: an older file, every row hot), and the sets' sizes
qs = int(system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == " . \
	"\"query_set\") k = i; print k + 0; exit }' '%s'", csv)))
lookups = system(sprintf("awk -F, -v k=%d 'NR > 1 && $(NF - 1) == \"ok\" { s = k ? $k : " . \
	"\"hot\"; if ($3 > m[s]) m[s] = $3 } END { for (s in m) printf \"%%s%%s numbers %%s\", " . \
	"n++ ? \" and \" : \"\", m[s], s }' '%s'", qs, csv))
name(x) = strcol(1) . (qs > 0 && strcol(qs) eq "cold" ? " (cold)" : "")
ll_bytes = system(sprintf("awk -F, -v c=ll_bytes 'NR == 1 { for (i = 1; i <= NF; i++) " . \
	"if ($i == c) k = i } NR > 1 && $k != \"\" { print $k / 1048576; exit }' '%s'", csv))
# the largest LL misses per lookup of an ok row (0 if none), for the third panel's range
ll_max = real(system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == " . \
	"\"ll_misses_per_lookup\") c = i; if ($i == \"status\") st = i } } NR > 1 && " . \
	"$st == \"ok\" && $c + 0 > m { m = $c + 0 } END { print m + 0 }' '%s'", csv)))
ok(v) = strcol("status") eq "ok" ? v : NaN
label(v, f) = strcol("status") eq "ok" ? sprintf(f, v) : strcol("status")

set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.8
set grid ytics lc rgb "#dddddd"
set lmargin 12
set rmargin 8 # the last bar's rotated name
set xtics rotate by -40 nomirror font ",9"
set ytics nomirror
unset key

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,1000 font "sans,10"
	} else {
		set terminal svg size 1200,1000 dynamic font "sans,10"
	}
	set output dir."/cachesim.".fmt
	set multiplot layout 3,1 title sprintf("Per lookup under callgrind's cache simulator " . \
		"(%s routes, %s, one pass before the counted one; LL %s MiB)\n" . \
		"{/*0.8 %s}", n_routes, lookups, ll_bytes, dir)
	set logscale y
	set format y "10^{%L}"
	set yrange [0.1:*]
	set ylabel "instructions"
	plot csv using (ok(column("instr_per_lookup"))):xtic(name(0)) lc rgb "#1f77b4", \
	     csv using 0:(ok(column("instr_per_lookup"))):(label(column("instr_per_lookup"), \
		"%.0f")) with labels offset 0,0.7 font ",8"
	set ylabel "L1 data misses"
	plot csv using (ok(column("d1_misses_per_lookup"))):xtic(name(0)) lc rgb "#ff7f0e", \
	     csv using 0:(ok(column("d1_misses_per_lookup"))):(label(column( \
		"d1_misses_per_lookup"), "%.1f")) with labels offset 0,0.7 font ",8"
	unset logscale y
	set autoscale y
	set format y "%g"
	set offsets 0, 0, graph 0.15, 0
	set yrange [0:(ll_max > 0 ? 1.15 * ll_max : 1)]
	set ylabel "last-level data misses"
	plot csv using (ok(column("ll_misses_per_lookup"))):xtic(name(0)) lc rgb "#d62728", \
	     csv using 0:(ok(column("ll_misses_per_lookup"))):(label(column( \
		"ll_misses_per_lookup"), "%.2f")) with labels offset 0,0.7 font ",8"
	unset yrange
	unset offsets
	unset multiplot
	unset output
}
print sprintf("charts: %s/cachesim.png, .svg", dir)
