# pareto.gp - small or fast? The structure's bytes per route (x) against the median ns per
# lookup (y), log-log, one point per implementation (ours and the peers) at the largest size
# of the run, one carrier, glibc malloc (or the run's allocator: asan under ASan), each in its
# palette colour. The Pareto frontier joins, from the smallest to the fastest, the
# implementations that no other beats on both axes at once (filled, names in bold); every other
# point is dominated (open). Implementations of the run with no ok row at that size are listed
# under the chart with what became of them ("NAME: oom at 10M"). The stream strategy builds no
# table and is not here. Axes fitted to the points, one format each (plots/ticks.gp).
# Reads only the result files: pareto.csv, the points and frontier the report layer computed
# (plots/derived.awk, pareto_* modes), and palette.gp for the colours; a dashed line at one
# DRAM miss when the run measured the machine's limits (common.gp's DRAM_NS).
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
	R = system(pareto_cmd("pareto_pts")." | awk 'NR == 1 || $1 < x0 { x0 = $1 } " . \
		   "$1 > x1 { x1 = $1 } NR == 1 || $2 < y0 { y0 = $2 } $2 > y1 { y1 = $2 } " . \
		   "END { printf \"%.12f %.12f %.12f %.12f\\n\", x0, x1, y0, y1 }'")
	set title sprintf("Small or fast? Memory against speed at %s routes (one carrier, %s)" . \
		"\n{/*0.85 the frontier: no other point is both smaller and faster; run %s}", \
		PN, PA, system(sprintf("basename '%s'", dir)))
	set xlabel "bytes per route (the structure's own accounting, struct\\_bytes / routes)"
	set ylabel "time per lookup (median of the reps)"
	AXIS = "x"; LO = real(word(R, 1)) / 1.2; HI = real(word(R, 2)) * 1.6; KIND = "count"
	load plots."/ticks.gp"
	AXIS = "y"; LO = real(word(R, 3)) / 1.2; HI = real(word(R, 4)) * 1.3; KIND = "ns"
	if (DRAM_NS > 0) { LO = LO < DRAM_NS / 1.2 ? LO : DRAM_NS / 1.2 }
	if (DRAM_NS > 0) { HI = HI > DRAM_NS * 1.3 ? HI : DRAM_NS * 1.3 }
	load plots."/ticks.gp"
	set key inside right top box opaque samplen 2 font ",11"
	if (NOTE ne "") {
		set bmargin 6
		set label 10 "not shown: ".NOTE at screen 0.01, screen 0.025 left font ",11" \
			noenhanced
	}
	bold(on, name) = on > 0 ? "{/:Bold ".name."}" : name
	PLOT = "plot '< '.pareto_cmd('pareto_front') using 1:2 with lines lw 10 " . \
	       "lc rgb '#fdd49e' title 'Pareto frontier', " . \
	       "'< '.pareto_cmd('pareto_pts') using 1:($4 > 0 ? $2 : NaN):" . \
	       "(colour_int(strcol(3))) with points pt 7 ps 2.2 lc rgb variable " . \
	       "title 'on the frontier', " . \
	       "'' using 1:($4 > 0 ? NaN : $2):(colour_int(strcol(3))) with points pt 6 " . \
	       "ps 1.8 lw 2 lc rgb variable title 'dominated', " . \
	       "'' using 1:2:(bold($4, strcol(3))):(colour_int(strcol(3))) with labels " . \
	       "left offset char 1.1,0.5 font ',12' tc rgb variable notitle"
	if (DRAM_NS > 0) {
		PLOT = PLOT.sprintf(", %.4f with lines dt 2 lw 2 lc rgb '#d62728' title " . \
		       "'one DRAM miss: %.0f ns (the machine''s limits)'", DRAM_NS, DRAM_NS)
	}
	load plots."/render.gp"
}
