# massif.gp - heap over time under valgrind massif, one line per implementation: the build's
# growth, the spikes of array doubling, rehashing and build-then-compact temporaries, and the
# plateau of the finished table while the lookups run, then the teardown. x is massif's time
# (ms by default; bytes allocated + freed with --time-unit=B) as a share of the run, so runs of
# every length share the axis; y is log. The heap holds its value between snapshots (steps).
# Circles mark each run's peak snapshot. Reads only dir/massif-IMPL.csv (routebench massif).
# Usage: gnuplot -e "dir='results/latest-massif'" plots/massif.gp   (make massif)
if (!exists("dir")) dir = "results/latest-massif"

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

files = system(sprintf("ls '%s'/massif-*.csv 2>/dev/null", dir))
n = words(files)
impl(f) = system(sprintf("basename '%s' .csv", f))[8:]

set datafile separator ","
set logscale y
set format y "%g"
set xrange [0:1]
set yrange [0.05:*]
set grid xtics ytics mytics lc rgb "#dddddd", lc rgb "#f0f0f0"
set key outside right top font ",9"
set xlabel "massif time, share of the run (valgrind start to exit)"
set ylabel "heap (MB, massif mem\\_heap\\_B)"
set title sprintf("Heap over time under valgrind massif (routebench measure --in-process; the loader's arrays ignored)\n{/*0.8 %s}", dir)

if (n == 0) {
	print sprintf("massif.gp: no massif-*.csv in %s; chart skipped", dir)
} else {
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size 1400,800 font "sans,10"
		} else {
			set terminal svg size 1400,800 dynamic font "sans,10"
		}
		set output dir."/massif.".fmt
		plot for [i=1:n] word(files, i) every ::1 using 3:($4/1e6) with steps lt i lw 1.5 \
			title impl(word(files, i)), \
		     for [i=1:n] word(files, i) every ::1 using 3:($6 == 1 ? $4/1e6 : NaN) \
			with points lt i pt 6 ps 1.5 notitle
		unset output
	}
	print sprintf("charts: %s/massif.png, .svg", dir)
}
