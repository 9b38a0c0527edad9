# api_update_rss.gp - update_rss: the server's resident set over the update run, sampled every
# 20 ms, one line per implementation and update way (rebuild builds a second table beside the
# first; inplace copies only the changed paths). Each dot is one update, at its start, at the
# peak RSS during it (VmHWM, reset before it). Before the updates: the quiet window (and, when
# the api scenario did not run first, the closed loop that found the maximum). MB are 10^6
# bytes, as the report and the server's log count them. Reads only update_rss.csv and
# update.csv (plots/api.awk).
reset
if (!exists("dir")) { dir = "results/latest-api" }
if (!exists("plots")) { plots = system(sprintf("dirname '%s'", ARG0)) }
csv = dir."/update_rss.csv"
q(args) = sprintf("awk -f '%s/api.awk' %s '%s'", plots, args, csv)
qu(args) = sprintf("awk -f '%s/api.awk' %s '%s/update.csv'", plots, args, dir)
KEYS = system(q("-v M=keys -v K=impl -v K2=way"))
N = words(KEYS)
chart = "update_rss"
impl_of(k) = k[1:strstrt(k, "/") - 1]
way_of(k) = k[strstrt(k, "/") + 1:]
series(k) = "< ".q(sprintf("-v M=xy -v X=t_s -v Y=rss_bytes -v Z=updating -v F=impl " . \
	"-v V='%s' -v G=way -v W='%s'", impl_of(k), way_of(k)))
peaks(k) = "< ".qu(sprintf("-v M=xy -v X=t_s -v Y=peak_rss_bytes -v F=impl -v V='%s' " . \
	"-v G=way -v W='%s'", impl_of(k), way_of(k)))
if (N == 0) {
	print sprintf("%s: no samples in %s; skipped", chart, csv)
} else {
	set title "Server RSS through the updates (quiet window, then deltas back to back)" . \
		"\n{/*0.85 lines: VmRSS sampled every 20 ms; dots: one per update, at its start, at " . \
		"its peak (VmHWM, reset before it)}"
	set xlabel "seconds since sampling began (the server ready)"
	set ylabel "resident set (MB, 10^6 bytes, as the report counts)"
	set grid xtics ytics lc rgb "#dddddd"
	set key outside right top noenhanced
	set xtics nomirror
	set ytics nomirror
	set linetype 1 lc rgb "#1f77b4" lw 2
	set linetype 2 lc rgb "#d62728" lw 2
	set linetype 3 lc rgb "#2ca02c" lw 2
	set linetype 4 lc rgb "#ff7f0e" lw 2
	set linetype 5 lc rgb "#6baed6" lw 1
	set linetype 6 lc rgb "#fb6a4a" lw 1
	set linetype 7 lc rgb "#74c476" lw 1
	set linetype 8 lc rgb "#fd8d3c" lw 1
	set offsets graph 0, graph 0, graph 0.1, graph 0.1
	MB = 1e6
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size 1200, 600 font "sans,10"
		} else {
			set terminal svg size 1200, 600 dynamic font "sans,10"
		}
		set output dir."/".chart.".".fmt
		plot for [i = 1:N] peaks(word(KEYS, i)) using 1:($2 / MB) with points pt 7 ps 0.5 \
			lt (i - 1) % 4 + 5 title sprintf("%s: an update's peak", word(KEYS, i)), \
		     for [i = 1:N] series(word(KEYS, i)) using 1:($2 / MB) with lines \
			lt (i - 1) % 4 + 1 title sprintf("%s: RSS", word(KEYS, i))
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
