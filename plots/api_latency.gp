# api_latency.gp - the hockey stick: latency percentiles (p50, p99, p99.9, measured from each
# request's intended send time) against the offered rate, one panel per implementation (and
# the no-lookup baseline), same axes on every panel so they compare at a glance. The dashed
# line is the panel's closed-loop maximum, the dotted one the course's spike (166.7/s).
# Reads only api.csv (plots/api.awk).
reset
if (!exists("dir")) { dir = "results/latest-api" }
if (!exists("plots")) { plots = system(sprintf("dirname '%s'", ARG0)) }
csv = dir."/api.csv"
q(args) = sprintf("awk -f '%s/api.awk' %s '%s'", plots, args, csv)
sel(impl) = sprintf("-v F=impl -v V='%s' -v G=mode -v W=open", impl)
series(impl, y) = "< ".q(sprintf("-v M=xy -v X=offered_rate -v Y=%s %s", y, sel(impl)))
IMPLS = system(q("-v M=keys -v K=impl -v Y=p50_us"))
N = words(IMPLS)
chart = "api_latency"
if (N == 0) {
	print sprintf("%s: no measured rows in %s; skipped", chart, csv)
} else {
	COLS = N <= 1 ? 1 : (N <= 4 ? 2 : (N <= 9 ? 3 : 4))
	ROWS = int((N + COLS - 1) / COLS)
	YMIN = system(q("-v M=min -v Y=p50_us -v F=mode -v V=open"))
	YMAX = system(q("-v M=max -v Y=p999_us -v F=mode -v V=open"))
	XMAX = system(q("-v M=max -v Y=achieved_rate"))
	XMIN = system(q("-v M=min -v Y=offered_rate -v F=mode -v V=open"))
	FAILED = system(q("-v M=keys -v K=impl -v F=status -v V=failed"))
	YLO = YMIN eq "" ? 1 : YMIN / 2.0
	YHI = YMAX eq "" ? 1e6 : YMAX * 3.0
	XHI = XMAX eq "" ? 1e5 : XMAX * 2.0
	SPIKE = 10000.0 / 60
	ROUTES = system(sprintf("awk -F, 'NR == 2 { print $2 \" routes x \" $3 \" carriers, \" $4 \" server thread(s), \" $5 \" connections\" }' '%s'", csv))
	set logscale xy
	XLO = (XMIN eq "" || XMIN + 0 > SPIKE) ? SPIKE / 1.5 : (XMIN + 0) / 1.5
	set xrange [XLO : XHI]
	set yrange [YLO : YHI]
	set format x "%.0s%c"
	# y is in µs in api.csv: label it in time units, one tic a decade (gnuplot's "%c" would
	# read 1000 µs as "1k")
	set ytics ("1 µs" 1, "10 µs" 10, "100 µs" 100, "1 ms" 1e3, "10 ms" 1e4, "100 ms" 1e5, \
		"1 s" 1e6, "10 s" 1e7, "100 s" 1e8)
	set mytics 10
	set grid xtics ytics mytics lc rgb "#dddddd", lc rgb "#f0f0f0"
	set xtics nomirror font ",8"
	set ytics nomirror font ",8"
	set linetype 1 lc rgb "#1f77b4" lw 2 pt 7 ps 0.6
	set linetype 2 lc rgb "#ff7f0e" lw 2 pt 5 ps 0.6
	set linetype 3 lc rgb "#d62728" lw 2 pt 9 ps 0.7
	# two short lines rather than one long one: two panels a row are 840 px, too narrow for it
	TITLE = sprintf("Latency against offered load (open loop, from the intended send " . \
		"time)\n{/*0.85 %s; x: offered requests/s; y: latency}\n{/*0.85 dashed: " . \
		"closed-loop maximum; dotted: the course's spike, 166.7/s}%s", ROUTES, \
		FAILED eq "" ? "" : "\n{/*0.85 not shown (the server failed, see api.csv): " . \
		FAILED."}")
	W = 420 * COLS
	H = 300 * ROWS + 136
	# the title's three or four lines, then the key on a line of its own, then the panels
	TOP = 1 - 138.0 / H
	KEYY = 1 - 84.0 / H
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size W, H font "sans,9"
		} else {
			set terminal svg size W, H dynamic font "sans,9"
		}
		set output dir."/".chart.".".fmt
		set multiplot layout ROWS, COLS title TITLE font ",11" \
			margins screen 62.0 / W, 1 - 12.0 / W, 36.0 / H, TOP \
			spacing screen 78.0 / W, 62.0 / H
		do for [i = 1:N] {
			impl = word(IMPLS, i)
			MAXR = system(q(sprintf("-v M=max -v Y=achieved_rate -v F=impl -v V='%s' " . \
				"-v G=mode -v W=closed", impl)))
			unset arrow
			if (MAXR ne "") {
				set arrow 1 from MAXR + 0, graph 0 to MAXR + 0, graph 1 nohead dt 2 \
					lc rgb "#555555" lw 1
			}
			set arrow 2 from SPIKE, graph 0 to SPIKE, graph 1 nohead dt 3 \
				lc rgb "#999999" lw 1
			set title sprintf("%s%s", impl, MAXR eq "" ? "" : sprintf(" (max %.0f/s)", \
				MAXR + 0)) noenhanced font ",10"
			if (i == 1) {
				set key at screen 0.5, screen KEYY center top horizontal font ",9" \
					samplen 2
			} else {
				unset key
			}
			plot series(impl, "p50_us") using 1:2 with linespoints lt 1 title "p50", \
			     series(impl, "p99_us") using 1:2 with linespoints lt 2 title "p99", \
			     series(impl, "p999_us") using 1:2 with linespoints lt 3 title "p99.9"
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
