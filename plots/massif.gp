# massif.gp - how does the heap grow while a table is built, and what is left? Heap over time
# under valgrind massif, one panel per group of implementations (palette.gp: the course's
# baselines, the optimisation ladder, the peers), all on the same axes: the build's growth, the
# spikes of array doubling, rehashing and build-then-compact temporaries, the plateau of the
# finished table while the lookups run, then the teardown. x is massif's own time, from the
# start of each run, in the unit the run recorded (massif-IMPL.out's time_unit: instructions
# executed, bytes allocated, or ms), so runs are comparable with each other; y is log. The heap
# holds its value between snapshots (steps); circles mark each run's peak snapshot. Reads only
# dir/massif-IMPL.csv and .out (routebench massif) and dir/palette.gp.
# Usage: gnuplot -e "dir='results/latest-massif'" plots/massif.gp   (make massif)
if (!exists("dir")) dir = "results/latest-massif"
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
unset logscale
set logscale y
set datafile separator ","
fmt_count(v) = v >= 1e9 ? sprintf("%gG", v / 1e9) : v >= 1e6 ? sprintf("%gM", v / 1e6) : \
	v >= 1e3 ? sprintf("%gK", v / 1e3) : sprintf("%g", v)

FILES = system(sprintf("ls '%s'/massif-*.csv 2>/dev/null | tr '\\n' ' '", dir))
IMPLS = ""
do for [f in FILES] { IMPLS = IMPLS." ".system(sprintf("basename '%s' .csv", f))[8:] }
if (words(IMPLS) == 0) {
	print sprintf("massif.gp: no massif-*.csv in %s; chart skipped", dir)
} else {
	file_of(i) = sprintf("%s/massif-%s.csv", dir, i)
	UNIT = system(sprintf("sed -n 's/^time_unit: //p' '%s/massif-%s.out' 2>/dev/null | " . \
		"head -n 1", dir, word(IMPLS, 1)))
	UNIT = UNIT eq "" ? "ms" : UNIT
	XL = UNIT eq "i" ? "instructions executed since the start (massif --time-unit=i)" : \
	     UNIT eq "B" ? "bytes allocated and freed since the start (massif --time-unit=B)" : \
	     "seconds under valgrind since the start (massif --time-unit=ms)"
	XK = UNIT eq "B" ? "bytes" : UNIT eq "ms" ? "ms" : "count"
	fmt_ms(v) = v == 0 ? "0" : sprintf("%g s", v / 1000.0)
	# x to the last snapshot; y from the smallest baseline (each run's first heap above 0:
	# what every process holds before the table) to the largest peak.
	R = system("awk -F, 'FNR == 1 { first = 1 } $1 != \"snapshot\" { " . \
		"if ($2 > x1) x1 = $2; if ($4 > 0 && first) { first = 0; " . \
		"if (!y0 || $4 < y0) y0 = $4 } if ($4 > y1) y1 = $4 } " . \
		"END { printf \"%.6f %.6f %.6f\\n\", x1, y0, y1 }' ".FILES)
	# Panels: the palette's groups that have a run, members in palette order.
	array PM[3]
	array PGR[3]
	NP = 0
	do for [g=1:PAL_NGROUPS] {
		M = ""
		do for [w in PAL_NAMES." ".IMPLS] {
			if (in_list(w, IMPLS) && group_of(w) == g && !in_list(w, M)) { M = M." ".w }
		}
		if (words(M) > 0) { NP = NP + 1; PM[NP] = M; PGR[NP] = g }
	}
	PX_H = 600
	PX_TOP = 92.0; PX_BOT = 150.0; PX_L1 = 100.0; PX_L = 66.0; PX_R = 18.0
	PW = (PX_W - PX_L1 - (NP - 1) * PX_L - PX_R) / NP
	pl(p) = (PX_L1 + (p - 1) * (PW + PX_L)) / PX_W
	pr(p) = pl(p) + PW / PX_W
	set xrange [0:real(word(R, 1)) * 1.02]
	if (XK eq "ms") {
		set xtics format ""
		XT = ""
		STEP = real(word(R, 1)) > 8000 ? 5000 : real(word(R, 1)) > 4000 ? 2000 : \
		       real(word(R, 1)) > 2000 ? 1000 : real(word(R, 1)) > 800 ? 500 : 200
		do for [k=0:int(real(word(R, 1)) / STEP)] {
			XT = XT.(k ? ", " : "").sprintf("\"%s\" %d", fmt_ms(k * STEP), k * STEP)
		}
		eval "set xtics (".XT.")"
	} else {
		XT = ""
		X1 = real(word(R, 1))
		E = floor(log10(X1))
		STEP = 10.0 ** E
		STEP = X1 / STEP < 2.5 ? STEP / 2 : X1 / STEP > 5 ? STEP * 2 : STEP
		do for [k=0:int(X1 / STEP)] {
			XT = XT.(k ? ", " : "").sprintf("\"%s\" %.10g", fmt_kind(XK, k * STEP), \
				k * STEP)
		}
		eval "set xtics (".XT.")"
	}
	AXIS = "y"; LO = real(word(R, 2)); HI = real(word(R, 3)); KIND = "bytes"
	load plots."/ticks.gp"
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/massif.".fmt
		set multiplot title sprintf("How does the heap grow while the table is built? " . \
			"Heap over time under valgrind massif\n{/*0.85 routebench measure " . \
			"--in-process, the loader's arrays ignored; circles: each run's peak; " . \
			"run %s}", system(sprintf("basename '%s'", dir)))
		set tmargin at screen 1 - PX_TOP / PX_H
		set bmargin at screen PX_BOT / PX_H
		do for [p=1:NP] {
			set lmargin at screen pl(p)
			set rmargin at screen pr(p)
			set title group_title(PGR[p]) font ",12"
			set xlabel (p == (NP + 1) / 2 ? XL : "") offset 0, 0.3
			set ylabel (p == 1 ? "heap (massif mem\\_heap\\_B)" : "")
			set key at screen (pl(p) + pr(p)) / 2, screen (PX_BOT - 50) / PX_H \
				center top vertical maxrows 4 Left reverse samplen 2 spacing 1.1 \
				font ",11" width -1
			N_P = words(PM[p])
			plot for [i=1:N_P] file_of(word(PM[p], i)) every ::1 using 2:4 with steps \
				lc rgb colour(word(PM[p], i)) lw 2 title word(PM[p], i), \
			     for [i=1:N_P] file_of(word(PM[p], i)) every ::1 \
				using 2:($6 == 1 ? $4 : NaN) with points pt 6 ps 1.6 lw 2 \
				lc rgb colour(word(PM[p], i)) notitle
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/massif.png, .svg", dir)
}
