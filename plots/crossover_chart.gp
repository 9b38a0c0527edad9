# crossover_chart.gp - one crossover chart (see crossover.gp) for K carriers, drawn as
# dir/<chart>.png and .svg from crossover.csv (cross_cmd). Set K, KMAX and chart, then load
# this file.
S = sprintf("%d", K)
unset label
unset arrow
NSTAR = system(cross_cmd("cross_n", S, "impl"))
CK = system(cross_cmd("cross_keys", S, "impl"))
CB = system(cross_cmd("cross_b", S, "impl"))
CL = system(cross_cmd("cross_l", S, "impl"))
NC = words(CK)
lines_of(mode, y) = int(system(cross_cmd(mode, S, y)." | wc -l"))
NS = lines_of("cross_stream", "impl")
total(i, q) = real(word(CB, i)) + q * real(word(CL, i)) * 1e-9
win(q) = system(cross_cmd("cross_win", S, sprintf("%d", q)))
alloc_dash(k) = strstrt(k, "/jemalloc") ? 2 : 1
if (NC + NS == 0) {
	print sprintf("%s: no measured cells with %d carrier(s) in %s; %s skipped", chart, K, \
		      csv, chart)
} else {
	set title sprintf("Who prices q numbers fastest, from the route files? %s routes per " . \
		"carrier, %d carrier%s\n{/*0.8 index: parse + build + q lookups (lines); " . \
		"stream: no table, one run per q (points: measured; dotted: extrapolated); %s}", \
		NSTAR, K, K > 1 ? "s" : "", csv)
	set xlabel "numbers priced (q)"
	set ylabel "seconds, end to end"
	set format y "10^{%L}"
	set xrange [0.5:2e7]
	set samples 300
	# The course's scenarios: q, and where the label goes (left of the line or right of it).
	if (K == 1) {
		set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 3 lc rgb "#555555"
		set label 1 sprintf("scenario 1: one number\nwinner: %s", win(1)) \
			at 1.2, graph 0.97 font ",9"
		set arrow 2 from 1000, graph 0 to 1000, graph 1 nohead dt 3 lc rgb "#555555"
		set label 2 sprintf("scenario 2: 1,000 numbers\nwinner: %s", win(1000)) \
			at 1000, graph 0.86 right offset -0.5,0 font ",9"
		SCEN = "1,1000"
		if (KMAX eq "") {
			set arrow 3 from 10000, graph 0 to 10000, graph 1 nohead dt 3 \
				lc rgb "#555555"
			set label 3 sprintf("10,000 numbers (scenario 3 has 5 carriers: " . \
				"bench --carriers 1,5)\nwinner: %s", win(10000)) \
				at 12000, graph 0.97 font ",9"
			SCEN = "1,1000,10000"
		}
	} else {
		set arrow 3 from 10000, graph 0 to 10000, graph 1 nohead dt 3 lc rgb "#555555"
		set label 3 sprintf("scenario 3: 10,000 numbers x %d carriers%s\nwinner: %s", K, \
			K == 5 ? "" : " (the course's has 5)", win(10000)) \
			at 12000, graph 0.97 font ",9"
		SCEN = "10000"
	}
	PLOT = ""
	if (NC > 0) {
		PLOT = "for [i=1:NC] total(i, x) lt color_of(word(CK, i)) " . \
		       "dt alloc_dash(word(CK, i)) title word(CK, i)"
	}
	if (NS > 0) {
		PLOT = PLOT . (PLOT eq "" ? "" : ", ") . \
		       "'< '.cross_cmd('cross_stream', S, 'impl') using 1:2 with linespoints " . \
		       "lc rgb 'black' lw 3 pt 7 ps 1.3 title 'stream (measured)'"
	}
	if (lines_of("cross_ext", "impl") > 0) {
		PLOT = PLOT . ", '< '.cross_cmd('cross_ext', S, 'impl') using 1:2 with lines " . \
		       "lc rgb 'black' lw 1.5 dt 3 title 'stream, extrapolated'"
	}
	if (lines_of("cross_pts", "impl") > 0) {
		PLOT = PLOT . ", '< '.cross_cmd('cross_pts', S, 'impl') using 1:2:3:" . \
		       "(color_of(strcol(4))) with labels point pt 6 ps 1.2 lc variable " . \
		       "tc variable left offset char 0.5,-0.6 font ',7' " . \
		       "title 'index overtakes linear'"
	}
	SX = system(cross_cmd("cross_sx", S, "impl"))
	if (SX ne "") {
		set label 4 SX[strstrt(SX, "\"") + 1:strlen(SX) - 1] at graph 0.02, graph 0.04 \
			tc rgb "#2ca02c" font ",9"
		PLOT = PLOT . ", '< '.cross_cmd('cross_sx', S, 'impl') using 1:2 with points " . \
		       "pt 13 ps 2 lc rgb '#2ca02c' title 'the first index to overtake stream'"
	}
	if (lines_of("cross_winpts", SCEN) > 0) {
		PLOT = PLOT . ", '< '.cross_cmd('cross_winpts', S, SCEN) using 1:2:3 " . \
		       "with labels " . \
		       "point pt 6 ps 3 lw 2 lc rgb '#d62728' tc rgb '#d62728' left " . \
		       "offset char 1.2,-0.9 font ',9' title 'winner of a scenario'"
	}
	PLOT = "plot " . PLOT
	load plots."/render.gp"
}
