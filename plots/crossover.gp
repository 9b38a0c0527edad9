# crossover.gp - when does building an index pay off over scanning? Total time (build + q
# lookups) against the number of numbers priced q, at N* routes per carrier: the largest size
# where linear was measured. Parsing, the same for every structure, is left out. The course's
# scenarios are marked: 1 number, 1,000 numbers, 10,000 numbers against 5 carriers (the /k5
# lines, dashed, when the run has 5-carrier cells at N*).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "crossover"
NSTAR = system(awk_cmd("cross_n", "", "impl"))
CK = system(awk_cmd("cross_keys", "", "impl"))
CB = system(awk_cmd("cross_b", "", "impl"))
CL = system(awk_cmd("cross_l", "", "impl"))
NC = words(CK)
total(i, q) = real(word(CB, i)) + q * real(word(CL, i)) * 1e-9
if (NC == 0) {
	print sprintf("crossover: no measured cells in %s; crossover skipped", csv)
} else {
	set title sprintf("When does building pay off? build + q lookups at %s routes per carrier\n{/*0.8 %s}", NSTAR, csv)
	set xlabel "numbers priced (q)"
	set ylabel "build + q lookups (s)"
	set format y "10^{%L}"
	set xrange [0.5:2e7]
	set samples 300
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 3 lc rgb "#555555"
	set arrow 2 from 1000, graph 0 to 1000, graph 1 nohead dt 3 lc rgb "#555555"
	set arrow 3 from 10000, graph 0 to 10000, graph 1 nohead dt 3 lc rgb "#555555"
	set label 1 "scenario 1: one number" at 1.2, graph 0.97 font ",9"
	set label 2 "scenario 2: 1,000 numbers" at 1000, graph 0.03 right offset -0.5,0 font ",9"
	set label 3 "scenario 3: 10,000 numbers x 5 carriers" at 12000, graph 0.97 font ",9"
	PLOT = "plot for [i=1:NC] total(i, x) lt color_of(word(CK, i)) " . \
	       "dt dash(word(CK, i)) title word(CK, i)"
	if (int(system(awk_cmd("cross_pts", "", "impl")." | wc -l")) > 0) {
		PLOT = PLOT . ", '< '.awk_cmd('cross_pts', '', 'impl') using 1:2:3:" . \
		       "(color_of(strcol(4))) with labels point pt 6 ps 1.5 lc variable " . \
		       "tc variable left offset char 0.5,-0.6 font ',8' title 'crossover with linear'"
	}
	load plots."/render.gp"
}
