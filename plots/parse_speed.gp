# parse_speed.gp - how fast is the route text parsed? Every cell's parse speed against the
# bytes it parsed (one series: the loader is shared, so implementations should agree), the
# median per file size, and a reference line: the median at the largest file, the parser's
# steady state, where the fixed costs of a file (open, map, growing arrays) no longer show.
# The medians come from parse.csv (harness/report/derived.c, lesson_median_parse_mb_s).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "parse_speed"
P = dir."/parse.csv"
NPTS = int(system(awk_cmd("parse", "", "impl")." | wc -l"))
if (NPTS == 0) {
	print sprintf("%s: no cell with a parse speed in %s; %s skipped", chart, csv, chart)
} else {
	R = system(awk_cmd("parse", "", "impl")." | awk 'NR == 1 || $1 < x0 { x0 = $1 } " . \
		   "$1 > x1 { x1 = $1 } NR == 1 || $2 < y0 { y0 = $2 } $2 > y1 { y1 = $2 } " . \
		   "END { printf \"%.12f %.12f %.12f %.12f\\n\", x0, x1, y0, y1 }'")
	HAVE_P = has_file("parse.csv") eq "1"
	REF = HAVE_P ? system(sprintf("awk -F, 'NR > 1 { l = $0 } END { print l }' '%s'", P)) : ""
	set datafile separator whitespace
	set title sprintf("How fast is the route text parsed? (page cache warm)\n{/*0.85 every " . \
		"cell's own parse; the loader is shared by all; run %s}", \
		system(sprintf("basename '%s'", dir)))
	set xlabel "route text parsed"
	set ylabel "parse speed (MB/s, 10^6 bytes per second)"
	AXIS = "x"; LO = real(word(R, 1)); HI = real(word(R, 2)); KIND = "bytes"
	load plots."/ticks.gp"
	AXIS = "y"; LO = real(word(R, 3)); HI = real(word(R, 4)); KIND = "count"
	load plots."/ticks.gp"
	set key inside right bottom Left reverse samplen 2 font ",11" box opaque
	PLOT = "plot '< '.awk_cmd('parse', '', 'impl') using 1:2 with points pt 7 ps 0.9 " . \
	       "lc rgb '#7f7f7f' title 'one cell (any implementation)'"
	if (REF ne "") {
		REF_MB = real(system(sprintf("echo '%s' | cut -d, -f4", REF)))
		REF_B = real(system(sprintf("echo '%s' | cut -d, -f2", REF)))
		REF_N = system(sprintf("echo '%s' | cut -d, -f3", REF))
		MED = sprintf("< awk -F, 'NR > 1 { print $2, $4 }' '%s'", P)
		PLOT = PLOT.", MED using 1:2 with linespoints lc rgb 'black' lw 2 pt 5 ps 1 " . \
		       "title 'the median of each file size'"
		PLOT = PLOT.sprintf(", %.4f with lines dt 2 lw 2 lc rgb '#d62728' title " . \
		       "'the parser''s steady state: %.0f MB/s, the median of the %s cells of " . \
		       "the largest file (%.1f MB)'", REF_MB, REF_MB, REF_N, REF_B / 1e6)
	}
	PX_H = 640
	load plots."/render.gp"
}
