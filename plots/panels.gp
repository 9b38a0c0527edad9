# panels.gp - a size chart as small multiples: column Y against routes per carrier, log-log,
# one panel per group of implementations as panels.csv lists them (the course's baselines, the
# optimisation ladder, the peers beside the best of ours: harness/report/panels.c), all panels
# on the same axes, fitted to the data. One colour per implementation (palette.gp); filled
# points every query timed, open points a sample; a cross where a series stopped (oom, timeout,
# crash). Set chart, Y, KIND (the y axis's format: s, ns, bytes, count), YLABEL and
# chart_title, then load this file; optionally REF_Y (> 0) and REF_T, a horizontal reference
# line drawn dashed in every panel with its label in the key, and COLD = 1, each series' cold
# query set rows as a dotted line of its colour (this file clears all three after).
if (!exists("REF_Y")) REF_Y = 0
if (!exists("REF_T")) REF_T = ""
if (!exists("COLD")) COLD = 0
ref_y(x) = REF_Y > 0 ? REF_Y : NaN
panel_cmd(mode, p) = derived_cmd("panels.csv", mode, chart, sprintf("%d", p))
NP = has_file("panels.csv") eq "1" ? int(system(panel_cmd("panel_n", 0))) : 0
if (NP == 0) {
	print sprintf("%s: no panels.csv rows in %s (routebench report --derived-only writes " . \
		      "them); %s skipped", chart, dir, chart)
} else {
	# What each panel draws, and the axes they share: every series of every panel.
	ALL = ""
	array PS[NP]
	array PG[NP]
	do for [p=1:NP] {
		PS[p] = system(panel_cmd("panel_series", p))
		PG[p] = int(system(panel_cmd("panel_group", p)))
		do for [w in PS[p]] { ALL = ALL." ".w[1:strstrt(w, ":") - 1] }
	}
	R = system(awk_cmd("range", ALL, Y))
	RC = COLD ? system(awk_cold("range", ALL, Y)) : ""
	NC = RC ne "" ? 1 : 0
	# The cold lines, appended to each panel's plot command when there are cold rows.
	COLD_EL = !NC ? "" : ", for [i=1:words(PS[p])] cold_line_of(sname(word(PS[p], i)), Y) " . \
		"using 1:2:3 with linespoints lc rgb colour(sname(word(PS[p], i))) lw 1.5 dt 3 " . \
		"pt variable ps 0.9 notitle, NaN with lines dt 3 lw 1.5 lc rgb '#444444' " . \
		"title (p == 1 ? 'dotted: the cold query set' : '')"
	if (NC && R ne "") {
		R = sprintf("%s %s %s %s", \
			real(word(R, 1)) < real(word(RC, 1)) ? word(R, 1) : word(RC, 1), \
			real(word(R, 2)) > real(word(RC, 2)) ? word(R, 2) : word(RC, 2), \
			real(word(R, 3)) < real(word(RC, 3)) ? word(R, 3) : word(RC, 3), \
			real(word(R, 4)) > real(word(RC, 4)) ? word(R, 4) : word(RC, 4))
	}
	PX_H = 620
	PX_TOP = 88.0; PX_BOT = 165.0; PX_L1 = 92.0; PX_L = 70.0; PX_R = 18.0
	PW = (PX_W - PX_L1 - (NP - 1) * PX_L - PX_R) / NP
	pl(p) = (PX_L1 + (p - 1) * (PW + PX_L)) / PX_W
	pr(p) = pl(p) + PW / PX_W
	sname(w) = w[1:strstrt(w, ":") - 1]
	srole(w) = w[strstrt(w, ":") + 1:]
	stitle(w) = srole(w) eq "best" ? sname(w)." (ours)" : \
		    srole(w) eq "scan" ? sname(w)." (the scan)" : sname(w)
	swidth(w) = srole(w) eq "best" ? 3.5 : srole(w) eq "scan" ? 1.5 : 2.2
	sdash(w) = srole(w) eq "best" ? 2 : 1
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/".chart.".".fmt
		set multiplot title sprintf("%s\n{/*0.85 %s; run %s}", chart_title, \
			"one carrier, the run's allocator; every panel on the same axes", \
			system(sprintf("basename '%s'", dir)))
		set tmargin at screen 1 - PX_TOP / PX_H
		set bmargin at screen PX_BOT / PX_H
		if (R ne "") {
			AXIS = "x"; LO = real(word(R, 1)); HI = real(word(R, 2)); KIND = "count"
			load plots."/ticks.gp"
			AXIS = "y"; LO = real(word(R, 3)); HI = real(word(R, 4)); KIND = YKIND
			if (REF_Y > 0) { LO = LO < REF_Y ? LO : REF_Y; HI = HI > REF_Y ? HI : REF_Y }
			load plots."/ticks.gp"
		}
		set xlabel "routes per carrier" offset 0, 0.3
		do for [p=1:NP] {
			set lmargin at screen pl(p)
			set rmargin at screen pr(p)
			set title group_title(PG[p]).(strstrt(PS[p], ":best") ? ", beside our best" : "") \
				font ",12"
			set ylabel (p == 1 ? YLABEL : "")
			set key at screen (pl(p) + pr(p)) / 2, screen (PX_BOT - 52) / PX_H \
				center top vertical maxrows 5 Left reverse samplen 2 spacing 1.1 \
				font ",11" width -1
			N_P = words(PS[p])
			NF = n_fails(system(sprintf("echo '%s' | sed 's/:[a-z]*//g'", PS[p])), Y)
			FS = system(sprintf("echo '%s' | sed 's/:[a-z]*//g'", PS[p]))
			# One command per panel, put together as a string: the failures' crosses and
			# the cold lines only when there are some (gnuplot 5.4 runs a plot-for once
			# even over an empty range, and warns of a file with no points).
			PLOT = "plot for [i=1:N_P] line_of(sname(word(PS[p], i)), Y) using 1:2:3 " . \
				"with linespoints lc rgb colour(sname(word(PS[p], i))) " . \
				"lw swidth(word(PS[p], i)) dt sdash(word(PS[p], i)) " . \
				"pt variable ps 1.1 title stitle(word(PS[p], i))"
			if (NF > 0) {
				PLOT = PLOT.", fails_of(FS, Y) using 1:2:3 with labels point pt 2 " . \
					"ps 2.5 lw 2 lc rgb 'black' right offset char -1.2,0 " . \
					"font ',10' title 'stopped (oom, timeout)'"
			}
			PLOT = PLOT.", ref_y(x) with lines dt 2 lw 2 lc rgb '#d62728' " . \
				"title (p == 1 ? REF_T : '')".COLD_EL
			eval PLOT
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
REF_Y = 0
REF_T = ""
COLD = 0
