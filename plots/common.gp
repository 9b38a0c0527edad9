# common.gp - what every chart shares: where the run is, how series are read out of cells.csv
# (plots/cells.awk) and the derived figures out of crossover.csv and pareto.csv
# (plots/derived.awk), colours, and log-log axes. Charts read nothing but the run's result
# files; `routebench report` (or `routebench report --derived-only DIR`) writes the derived ones.
# Usage: gnuplot -e "dir='results/latest'" plots/<chart>.gp   (plots/all.gp draws them all)

if (!exists("dir")) dir = "results/latest"
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
csv = dir."/cells.csv"

awk_cmd(mode, series, col) = sprintf("awk -v M=%s -v S='%s' -v Y=%s -f '%s/series.awk' " . \
	"-f '%s/cells.awk' '%s'", mode, series, col, plots, plots, csv)
# The figures a rule computed, from dir/file (crossover.csv, pareto.csv): plots/derived.awk.
derived_cmd(file, mode, series, y) = sprintf("awk -v M=%s -v S='%s' -v Y=%s " . \
	"-f '%s/series.awk' -f '%s/derived.awk' '%s/%s'", mode, series, y, plots, plots, dir, file)
# Does dir hold file? ("1" or "")
has_file(file) = system(sprintf("test -f '%s/%s' && echo 1 || true", dir, file))
line_of(series, col) = "< ".awk_cmd("line", series, col)
fails_of(col) = "< ".awk_cmd("fail", "", col)
n_fails(col) = int(system(awk_cmd("nfail", "", col)))

KEYS = system(awk_cmd("keys", "", "impl"))
N = words(KEYS)
# A series' colour is its place among all series of the run: the same on every chart.
color_of(k) = words(substr(" ".KEYS." ", 1, strstrt(" ".KEYS." ", " ".k." "))) + 1
# Several carriers: dashed.
dash(k) = strstrt(k, "/k") ? 2 : 1

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
set linetype 13 lc rgb "#aec7e8" lw 2
set linetype 14 lc rgb "#ff9896" lw 2
set linetype 15 lc rgb "#98df8a" lw 2
set linetype 16 lc rgb "#ffbb78" lw 2
set linetype 17 lc rgb "#c5b0d5" lw 2
set linetype 18 lc rgb "#c49c94" lw 2
set linetype 19 lc rgb "#f7b6d2" lw 2
set linetype 20 lc rgb "#9edae5" lw 2
set linetype cycle 20

set datafile separator whitespace
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd", lc rgb "#f0f0f0"
set key outside right top
set format x "10^{%L}"
set xlabel "routes per carrier"
set xtics nomirror
set ytics nomirror
set offsets graph 0.03, graph 0.06, graph 0.08, graph 0.03
