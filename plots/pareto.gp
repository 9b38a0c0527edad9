# pareto.gp - memory against speed: the structure's bytes per route (x) and the median ns per
# lookup (y), log-log, one point per implementation (ours and the peers) at the largest size
# of the run, one carrier, glibc malloc (or the run's allocator: asan under ASan). The Pareto
# frontier joins, from the smallest to the fastest, the implementations that no other beats
# on both axes at once (filled, names in bold); every other point is dominated (open).
# Implementations of the run with no ok row at that size are listed under the chart with what
# became of them ("trie: oom at 10M"). The stream strategy builds no table and is not here.
# Reads only the result files: pareto.csv, the points and frontier the report layer computed
# (plots/derived.awk, pareto_* modes), and cells.csv for the series' colours.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "pareto"
pareto_cmd(mode) = derived_cmd("pareto.csv", mode, "", "impl")
HAVE = has_file("pareto.csv") eq "1"
PN = HAVE ? system(pareto_cmd("pareto_n")) : ""
PA = HAVE ? system(pareto_cmd("pareto_alloc")) : ""
NP = HAVE ? int(system(pareto_cmd("pareto_pts")." | wc -l")) : 0
NOTE = HAVE ? system(pareto_cmd("pareto_note")) : ""
if (!HAVE) {
	print sprintf("%s: no pareto.csv in %s (routebench report --derived-only writes it); " . \
		      "%s skipped", chart, dir, chart)
}
if (HAVE && NP == 0) {
	print sprintf("%s: no ok one-carrier cells in %s; %s skipped", chart, csv, chart)
}
if (NP > 0) {
	set title sprintf("Memory against speed at %s routes (one carrier, %s): the Pareto " . \
		"frontier\n{/*0.8 a point on the frontier has no other both smaller and " . \
		"faster; %s}", PN, PA, csv)
	set xlabel "bytes per route (the structure's own accounting, struct\\_bytes / routes)"
	set ylabel "ns per lookup (median of reps)"
	set format x "%g"
	set format y "%g"
	TICS = "(0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, " . \
	       "20000, 50000, 100000)"
	eval "set xtics ".TICS
	eval "set ytics ".TICS
	set key inside right top box opaque samplen 2 font ",9"
	set autoscale xfix
	set autoscale yfix
	set offsets graph 0.05, graph 0.15, graph 0.2, graph 0.1
	if (NOTE ne "") {
		set bmargin 6
		set label 10 "not shown: ".NOTE at screen 0.01, screen 0.025 left font ",9" \
			noenhanced
	}
	bold(on, name) = on > 0 ? "{/:Bold ".name."}" : name
	PLOT = "plot '< '.pareto_cmd('pareto_front') using 1:2 with lines lw 10 " . \
	       "lc rgb '#fdd49e' title 'Pareto frontier', " . \
	       "'< '.pareto_cmd('pareto_pts') using 1:($4 > 0 ? $2 : NaN):" . \
	       "(color_of(strcol(3))) with points pt 7 ps 2.2 lc variable " . \
	       "title 'on the frontier', " . \
	       "'' using 1:($4 > 0 ? NaN : $2):(color_of(strcol(3))) with points pt 6 ps 1.8 " . \
	       "lw 2 lc variable title 'dominated', " . \
	       "'' using 1:2:(bold($4, strcol(3))) with labels left offset char 1.1,0.5 " . \
	       "font ',9' notitle"
	load plots."/render.gp"
}
