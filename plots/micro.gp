# micro.gp - routebench-micro's results: time per lookup (hit, miss, mixed numbers) and per build
# against routes, log-log, one colour per implementation: points are GB's medians, the dashed
# line of the same colour is GB's fitted big-O (its coefficient and N-term in the legend).
# Reads only the run folder: dir/micro-{hit,miss,mixed,build}.dat (written by routebench-micro
# --out DIR). Usage: gnuplot -e "dir='results/latest-micro'" plots/micro.gp  (make micro)
if (!exists("dir")) dir = "results/latest-micro"

set linetype 1 lc rgb "#1f77b4" lw 2
set linetype 2 lc rgb "#d62728" lw 2
set linetype 3 lc rgb "#2ca02c" lw 2
set linetype 4 lc rgb "#ff7f0e" lw 2
set linetype 5 lc rgb "#9467bd" lw 2
set linetype 6 lc rgb "#8c564b" lw 2
set linetype 7 lc rgb "#e377c2" lw 2
set linetype 8 lc rgb "#7f7f7f" lw 2
set linetype 9 lc rgb "#bcbd22" lw 2
set linetype 10 lc rgb "#17becf" lw 2
set linetype 11 lc rgb "#000080" lw 2
set linetype 12 lc rgb "#808000" lw 2
set linetype 13 lc rgb "#00a087" lw 2
set linetype 14 lc rgb "#b03060" lw 2
set linetype 15 lc rgb "#4d4d4d" lw 2
set linetype 16 lc rgb "#e6a000" lw 2
set linetype cycle 16

set datafile separator whitespace
set datafile missing "NaN"
set logscale xy
set autoscale xfixmin
set autoscale xfixmax
set grid xtics ytics mxtics mytics lc rgb "#dddddd", lc rgb "#f0f0f0"
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "routes"
set key outside right top font ",8" spacing 0.9 samplen 2
set xtics nomirror
set ytics nomirror

# One panel: data file f (two blocks per implementation: medians, then the fit).
panel(name) = dir."/micro-".name.".dat"
blocks(f) = int(system(sprintf("awk 'BEGIN{b=0;l=0} /^[^#]/{if(!l)b++;l=1;next} /^$/{l=0} END{print b}' '%s'", f)))

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1600,1100 font "sans,10"
	} else {
		set terminal svg size 1600,1100 dynamic font "sans,10"
	}
	set output dir."/micro.".fmt
	set multiplot layout 2,2 title sprintf("routebench-micro: Google Benchmark medians (points) and fitted big-O (dashed)\n{/*0.8 %s}", dir)
	do for [name in "hit miss mixed build"] {
		f = panel(name)
		n = blocks(f) / 2
		if (name eq "build") {
			set title "BM\\_Build: create + insert every route + finalize"
			set ylabel "ns per build"
			set yrange [*:*]
		} else {
			set yrange [1:*]
			set title sprintf("BM\\_Lookup/%s: one lookup", name)
			set ylabel "ns per lookup"
		}
		if (n > 0) {
			plot for [i=0:n-1] f index 2*i using 1:2 with linespoints lt i+1 pt (i%5)+5 ps 0.8 \
				lw 1 title columnheader(1), \
			     for [i=0:n-1] f index 2*i+1 using 1:2 with lines lt i+1 dt 2 lw 1 notitle
		} else {
			set label 1 "no data" at graph 0.5, 0.5 center
			plot NaN notitle
			unset label 1
		}
	}
	unset multiplot
	unset output
}
print sprintf("charts: %s/micro.png, .svg", dir)
