# allocator.gp - what does a second allocator change? For each structure measured under the
# run's allocator and another (make bench: the node-heavy tries under jemalloc), the other's
# figure over the run's, size by size: heap bytes handed out, build time, lookup time, and peak
# RSS above the RSS before the build; one panel each, one line per structure in its palette
# colour, 1 (no change) drawn across. Reads allocator.csv (harness/report/derived.c computes
# the ratios) and palette.gp. The bars of alloc_overhead.png break the bytes down instead.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "allocator"
F = dir."/allocator.csv"
HAVE = has_file("allocator.csv") eq "1"
NR = HAVE ? int(system(sprintf("awk 'END { print NR - 1 }' '%s'", F))) : 0
if (NR <= 0) {
	print sprintf("%s: no structure measured under two allocators in %s; %s skipped", \
		      chart, dir, chart)
} else {
	IMPLS = system(sprintf("awk -F, 'NR > 1 && !s[$1]++ { printf \"%%s \", $1 }' '%s'", F))
	A2 = system(sprintf("awk -F, 'NR == 2 { print $2 }' '%s'", F))
	A1 = system(sprintf("awk -F, 'NR == 2 { print $3 }' '%s'", F))
	R = system("awk -F, 'NR > 1 { if (!x0 || $4 < x0) x0 = $4; if ($4 > x1) x1 = $4; " . \
		"for (i = 5; i <= 8; i++) if ($i != \"\") { if (!y0 || $i < y0) y0 = $i; " . \
		"if ($i > y1) y1 = $i } } END { printf \"%.12f %.12f %.12f %.12f\\n\", " . \
		"x0, x1, y0, y1 }' '".F."'")
	# A ratio axis symmetric about 1, tics at simple ratios, one format: 0.8x, 1x, 1.25x.
	YM = real(word(R, 4)) > 1 / real(word(R, 3)) ? real(word(R, 4)) : 1 / real(word(R, 3))
	YM = YM * 1.15 < 1.3 ? 1.3 : YM * 1.15
	set yrange [1 / YM:YM]
	RT = ""
	do for [v in "0.1 0.25 0.5 0.8 1 1.25 2 4 10"] {
		if (real(v) >= 1 / YM && real(v) <= YM) {
			RT = RT.(RT eq "" ? "" : ", ").sprintf("\"%s×\" %s", v, v)
		}
	}
	eval "set ytics (".RT.")"
	set mytics default
	AXIS = "x"; LO = real(word(R, 1)); HI = real(word(R, 2)); KIND = "count"
	load plots."/ticks.gp"
	rows(impl) = sprintf("< awk -F, -v OFS=' ' 'NR > 1 && $1 == \"%s\" " . \
		"{ print $4, ($5 == \"\" ? \"NaN\" : $5), ($6 == \"\" ? \"NaN\" : $6), " . \
		"($7 == \"\" ? \"NaN\" : $7), ($8 == \"\" ? \"NaN\" : $8) }' '%s'", impl, F)
	TITLES = "heap bytes handed out|build time|lookup time|peak RSS - RSS before build"
	ptitle(p) = system(sprintf("echo '%s' | cut -d'|' -f%d", TITLES, p))
	NI = words(IMPLS)
	PX_H = 640
	PX_TOP = 80.0; PX_BOT = 110.0; PX_L1 = 70.0; PX_L = 52.0; PX_R = 14.0
	PW = (PX_W - PX_L1 - 3 * PX_L - PX_R) / 4
	pl(p) = (PX_L1 + (p - 1) * (PW + PX_L)) / PX_W
	pr(p) = pl(p) + PW / PX_W
	set datafile missing "NaN"
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/".chart.".".fmt
		set multiplot title sprintf("What does %s change against %s? Each structure's " . \
			"figure under %s over its figure under %s\n{/*0.85 one carrier; above 1×: " . \
			"%s costs more; every panel on the same axes; run %s}", A2, A1, A2, A1, \
			A2, system(sprintf("basename '%s'", dir)))
		set tmargin at screen 1 - PX_TOP / PX_H
		set bmargin at screen PX_BOT / PX_H
		set xlabel "routes per carrier" offset 0, 0.3
		do for [p=1:4] {
			set lmargin at screen pl(p)
			set rmargin at screen pr(p)
			set title ptitle(p) font ",12" offset 0, -0.3
			set ylabel (p == 1 ? sprintf("%s / %s", A2, A1) : "")
			unset key
			plot 1 with lines lc rgb "#555555" dt 2 lw 1.5 notitle, \
			     for [i=1:NI] rows(word(IMPLS, i)) using 1:(column(p + 1)) \
				with linespoints lc rgb colour(word(IMPLS, i)) lw 2.2 pt 7 ps 1 \
				title word(IMPLS, i)
		}
		# The key, once for the four panels: a plot of nothing as wide as the canvas.
		set lmargin at screen 0.02
		set rmargin at screen 0.98
		set tmargin at screen 40.0 / PX_H
		set bmargin at screen 8.0 / PX_H
		unset title
		unset xlabel
		unset ylabel
		unset border
		unset tics
		unset grid
		set key center center horizontal samplen 2 font ",11" width 2
		plot for [i=1:NI] NaN with linespoints lc rgb colour(word(IMPLS, i)) lw 2.2 pt 7 \
			title word(IMPLS, i)
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
