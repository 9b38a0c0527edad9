# per_route.gp - the common chart: column Y against routes per carrier, log-log, one line per
# series (filled points: every query timed; open: a sample), a cross where a series failed.
# Only series with a Y are drawn (the stream strategy has no build_s, lookup_ns or bytes per
# route; it has a peak RSS). Set Y, chart, chart_title and the y label, then load this file.
YKEYS = system(awk_cmd("keys", "", Y))
NY = words(YKEYS)
if (NY == 0) {
	print sprintf("%s: no measured cells in %s; %s skipped", chart, csv, chart)
} else {
	set title sprintf("%s\n{/*0.8 %s}", chart_title, csv)
	PLOT = "plot for [i=1:NY] line_of(word(YKEYS, i), Y) using 1:2:3 with linespoints " . \
	       "lt color_of(word(YKEYS, i)) dt dash(word(YKEYS, i)) pt variable ps 1.2 " . \
	       "title word(YKEYS, i)"
	if (n_fails(Y) > 0) {
		PLOT = PLOT . ", fails_of(Y) using 1:2:3 with labels point pt 2 ps 3 lw 2 " . \
		       "lc rgb 'black' offset char 0,1.2 font ',9' title 'stopped: oom/timeout/crash'"
	}
	load plots."/render.gp"
}
