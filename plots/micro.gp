# micro.gp - does each implementation grow as claimed? routebench-micro's medians (points) and
# Google Benchmark's fitted big-O (dashed, same colour, drawn only over the sizes it was fitted
# to), time per lookup (hit, miss, mixed numbers) and per build against routes, log-log: one
# row of panels per family, one column per group of implementations (palette.gp: the course's
# baselines, the optimisation ladder, the peers), each row on shared axes fitted to its
# medians; each column's colours named once, above it. The fitted classes, their errors and
# whether two runs agree are in the report's complexity table. Reads only the run folder:
# dir/micro-{hit,miss,mixed,build}.dat (routebench-micro --out DIR) and dir/palette.gp.
# Usage: gnuplot -e "dir='results/latest-micro'" plots/micro.gp  (make micro)
if (!exists("dir")) dir = "results/latest-micro"
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
set datafile missing "NaN"
FAMS = "hit miss mixed build"
dat(f) = dir."/micro-".f.".dat"
mawk(mode, f) = system(sprintf("test -f '%s' && awk -v M=%s -f '%s/micro.awk' '%s'", \
	dat(f), mode, plots, dat(f)))
array BL[4]
array RG[4]
ALL = ""
do for [k=1:4] {
	BL[k] = mawk("blocks", word(FAMS, k))
	RG[k] = mawk("range", word(FAMS, k))
	do for [w in BL[k]] { ALL = ALL." ".w[1:strstrt(w, ":") - 1] }
}
if (words(ALL) == 0) {
	print sprintf("micro.gp: no micro-*.dat with a median in %s; chart skipped", dir)
} else {
	# Columns: the palette's groups with an implementation in the run, in palette order.
	array CM[3]
	array CG[3]
	NC = 0
	do for [g=1:PAL_NGROUPS] {
		M = ""
		do for [w in PAL_NAMES." ".ALL] {
			if (in_list(w, ALL) && group_of(w) == g && !in_list(w, M)) { M = M." ".w }
		}
		if (words(M) > 0) { NC = NC + 1; CM[NC] = M; CG[NC] = g }
	}
	# A block of family k: "impl:index:nmin:nmax", or "" when impl has none.
	blk(k, impl) = strstrt(" ".BL[k], " ".impl.":") ? \
		word(substr(" ".BL[k], strstrt(" ".BL[k], " ".impl.":") + 1, strlen(BL[k]) + 1), 1) : ""
	f_head(b) = b[1:strstrt(b, ":") - 1]
	f_rest(b) = b[strstrt(b, ":") + 1:]
	field(b, i) = i == 1 ? f_head(b) : i == 2 ? f_head(f_rest(b)) : \
		i == 3 ? f_head(f_rest(f_rest(b))) : f_rest(f_rest(f_rest(b)))
	b_idx(b) = int(field(b, 2))
	PX_H = 1440
	PX_TOP = 190.0; PX_BOT = 12.0; PX_ROWGAP = 62.0; PX_L1 = 92.0; PX_L = 72.0; PX_R = 18.0
	PH = (PX_H - PX_TOP - PX_BOT - 4 * PX_ROWGAP) / 4
	PW = (PX_W - PX_L1 - (NC - 1) * PX_L - PX_R) / NC
	pl(c) = (PX_L1 + (c - 1) * (PW + PX_L)) / PX_W
	pr(c) = pl(c) + PW / PX_W
	ptop(r) = 1 - (PX_TOP + (r - 1) * (PH + PX_ROWGAP)) / PX_H
	pbot(r) = ptop(r) - PH / PX_H
	ROWT = "BM\\_Lookup, hit numbers: one lookup|BM\\_Lookup, miss numbers: one lookup|" . \
	       "BM\\_Lookup, mixed numbers: one lookup|BM\\_Build: create + insert every route " . \
	       "+ finalize"
	array RT[4]
	do for [r=1:4] { RT[r] = system(sprintf("echo '%s' | cut -d'|' -f%d", ROWT, r)) }
	rowt(r) = RT[r]
	XR = system(sprintf("cat %s 2>/dev/null | awk '/^[0-9]/ { if (!x0 || $1 < x0) x0 = $1; " . \
		"if ($1 > x1) x1 = $1 } END { print x0, x1 }'", \
		dat("hit")." ".dat("miss")." ".dat("mixed")." ".dat("build")))
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/micro.".fmt
		set multiplot title sprintf("Does each implementation grow as claimed? Google " . \
			"Benchmark medians (points) and fitted big-O (dashed, over the sizes it " . \
			"fitted)\n{/*0.85 run %s; the fitted classes, their errors and the " . \
			"second run's agreement are in the report's complexity table}", \
			system(sprintf("basename '%s'", dir)))
		# Each column's colours, once, above it: a plot of nothing.
		do for [c=1:NC] {
			set lmargin at screen pl(c)
			set rmargin at screen pr(c)
			set tmargin at screen 1 - 86.0 / PX_H
			set bmargin at screen 1 - (PX_TOP - 36.0) / PX_H
			unset border
			unset tics
			unset grid
			unset xlabel
			unset ylabel
			set title group_title(CG[c]) font ",12" offset 0, 0.2
			set key center top vertical maxrows 4 samplen 1.5 font ",11" width -1
			set xrange [1:2]
			set yrange [1:2]
			plot for [w in CM[c]] NaN with linespoints lc rgb colour(w) lw 2 pt 7 ps 0.9 \
				title w
		}
		set border 3 lc rgb "#444444"
		set xtics nomirror
		set ytics nomirror
		set grid xtics ytics lc rgb "#d9d9d9", lc rgb "#f0f0f0"
		unset key
		AXIS = "x"; LO = real(word(XR, 1)); HI = real(word(XR, 2)); KIND = "count"
		load plots."/ticks.gp"
		do for [r=1:4] {
			if (RG[r] ne "") {
				AXIS = "y"; LO = real(word(RG[r], 1)); HI = real(word(RG[r], 2))
				KIND = "ns"
				load plots."/ticks.gp"
			}
			do for [c=1:NC] {
				set lmargin at screen pl(c)
				set rmargin at screen pr(c)
				set tmargin at screen ptop(r)
				set bmargin at screen pbot(r)
				set title (c == (NC + 1) / 2 ? rowt(r) : "") font ",12" offset 0, -0.4
				set ylabel (c == 1 ? (r == 4 ? "time per build" : "time per lookup") : "")
				set xlabel (r == 4 ? "routes" : "") offset 0, 0.4
				LIST = ""
				do for [w in CM[c]] { if (blk(r, w) ne "") { LIST = LIST." ".blk(r, w) } }
				N_P = words(LIST)
				if (N_P == 0) {
					set label 1 "no data" at graph 0.5, 0.5 center
					plot NaN notitle
					unset label 1
				} else {
					plot for [i=1:N_P] dat(word(FAMS, r)) index b_idx(word(LIST, i)) \
						using 1:2 with linespoints \
						lc rgb colour(field(word(LIST, i), 1)) lw 1.5 pt 7 ps 0.9 \
						notitle, \
					     for [i=1:N_P] dat(word(FAMS, r)) \
						index b_idx(word(LIST, i)) + 1 using 1:(\
						$1 >= real(field(word(LIST, i), 3)) * 0.999 && \
						$1 <= real(field(word(LIST, i), 4)) * 1.001 ? $2 : NaN) \
						with lines lc rgb colour(field(word(LIST, i), 1)) lw 1.5 \
						dt 2 notitle
				}
			}
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/micro.png, .svg", dir)
}
