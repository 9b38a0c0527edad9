# crossover_chart.gp - one crossover chart (see crossover.gp) for K carriers, drawn as
# dir/<chart>.png and .svg from crossover.csv (cross_cmd) and panels.csv: one panel per group
# of implementations, on the same axes. Each index is a line, parse + build + q lookups, its key
# entry saying from which q it beats the scan (no label on the chart, so none can overlap); the
# scan is a grey reference beside the ladder and the peers; the stream strategy (black: its
# measured points, then dotted where extrapolated) sits with the baselines. The course's
# scenarios are dotted verticals; who wins each is written under the title. Set K, KMAX and
# chart, then load this file.
S = sprintf("%d", K)
unset label
unset arrow
NSTAR = system(cross_cmd("cross_n", S, "impl"))
CK = system(cross_cmd("cross_keys", S, "impl"))
CB = system(cross_cmd("cross_b", S, "impl"))
CL = system(cross_cmd("cross_l", S, "impl"))
QS = system(cross_cmd("cross_qs", S, "impl"))
SX = system(cross_cmd("cross_sx", S, "impl"))
panel_cmd(mode, p) = derived_cmd("panels.csv", mode, chart, sprintf("%d", p))
NP = has_file("panels.csv") eq "1" ? int(system(panel_cmd("panel_n", 0))) : 0
lines_of(mode, y) = int(system(cross_cmd(mode, S, y)." | wc -l"))
NS = lines_of("cross_stream", "impl")
NE = lines_of("cross_ext", "impl")
ck_pos(n) = strstrt(" ".CK." ", " ".n." ")
ck_idx(n) = ck_pos(n) ? words(substr(" ".CK." ", 1, ck_pos(n))) + 1 : 0
total(n, q) = ck_idx(n) ? real(word(CB, ck_idx(n))) + q * real(word(CL, ck_idx(n))) * 1e-9 : NaN
qs_at(n) = strstrt(" ".QS, " ".n."=")
q_of(n) = qs_at(n) ? word(substr(" ".QS, qs_at(n) + strlen(n) + 2, strlen(QS) + 1), 1) : ""
win(q) = system(cross_cmd("cross_win", S, sprintf("%d", q)))
sname(w) = w[1:strstrt(w, ":") - 1]
srole(w) = w[strstrt(w, ":") + 1:]
# The key names an index without its /kK: the title says how many carriers.
disp(n) = strstrt(n, "/k") ? n[1:strstrt(n, "/k") - 1] : n
stitle(w) = srole(w) eq "scan" ? disp(sname(w))." (the scan)" : \
	    disp(sname(w)).(srole(w) eq "best" ? " (ours)" : "").(q_of(sname(w)) eq "" ? "" : \
	    ", q ≥ ".q_of(sname(w)))
swidth(w) = srole(w) eq "best" ? 3.5 : srole(w) eq "scan" ? 1.5 : 2.2
scol(w) = srole(w) eq "scan" ? "#8c8c8c" : colour(sname(w))
sdash(w) = srole(w) eq "best" ? 2 : srole(w) eq "scan" ? 3 : 1
if (NP == 0 || words(CK) + NS == 0) {
	print sprintf("%s: no measured cells with %d carrier(s) in %s, or no panels.csv; " . \
		      "%s skipped", chart, K, dir, chart)
} else {
	# Axes fitted to the figures: q from 1 past every crossing; time from the cheapest
	# start to a few times the dearest build (lines that leave the top are the scan's q x
	# lookup growing, and their crossings are in the key).
	Y0 = 1e30; Y1 = 0
	do for [i=1:words(CB)] {
		Y0 = real(word(CB, i)) < Y0 ? real(word(CB, i)) : Y0
		Y1 = real(word(CB, i)) > Y1 ? real(word(CB, i)) : Y1
	}
	if (NS > 0) {
		ST = system(cross_cmd("cross_stream", S, "impl")." | awk '{ print $2 }'")
		do for [t in ST] { Y0 = real(t) < Y0 ? real(t) : Y0 }
	}
	ALLQ = system(derived_cmd("crossover.csv", "cross_pts", S, "impl") . \
		      " | awk '$1 > m { m = $1 } END { printf \"%.6f\\n\", m + 0 }'")
	SXQ = SX ne "" ? real(word(SX, 1)) : 0
	QMAX = 3 * (real(ALLQ) > SXQ ? real(ALLQ) : SXQ)
	QMAX = QMAX < 1e5 ? 1e5 : QMAX > 2e7 ? 2e7 : QMAX
	array PS[NP]
	array PG[NP]
	do for [p=1:NP] {
		PS[p] = system(panel_cmd("panel_series", p))
		PG[p] = int(system(panel_cmd("panel_group", p)))
	}
	# The scenarios' winners, under the title.
	if (K == 1) {
		SCEN = "1 1000".(KMAX eq "" ? " 10000" : "")
		WIN = sprintf("{/*0.85 winner at one number (scenario 1): %s; at 1,000 " . \
			"(scenario 2): %s}", win(1), win(1000))
		if (KMAX eq "") {
			WIN = WIN.sprintf("\n{/*0.85 at 10,000 numbers (scenario 3 has 5 carriers: " . \
				"bench --carriers 1,5): %s}", win(10000))
		}
	} else {
		SCEN = "10000"
		WIN = sprintf("{/*0.85 winner at 10,000 numbers x %d carriers (scenario 3%s): %s}", \
			K, K == 5 ? "" : "; the course's has 5", win(10000))
	}
	if (SX ne "") {
		WIN = WIN."\n{/*0.85 ".SX[strstrt(SX, "\"") + 1:strlen(SX) - 1]." (the green " . \
			"diamond)}"
	}
	PX_H = 740
	PX_TOP = 100.0 + 17 * words(WIN) / words(WIN) * (1 + (KMAX eq "" && K == 1) + (SX ne ""))
	PX_BOT = 200.0; PX_L1 = 92.0; PX_L = 70.0; PX_R = 18.0
	PW = (PX_W - PX_L1 - (NP - 1) * PX_L - PX_R) / NP
	pl(p) = (PX_L1 + (p - 1) * (PW + PX_L)) / PX_W
	pr(p) = pl(p) + PW / PX_W
	set samples 200
	set xlabel "numbers priced (q)" offset 0, 0.3
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/".chart.".".fmt
		set multiplot title sprintf("Who prices q numbers fastest, from the route files? " . \
			"%s routes per carrier, %d carrier%s\n{/*0.85 index: parse + build + q " . \
			"lookups; its key entry: from which q it beats the scan; run %s}\n" . \
			"%s", NSTAR, K, K > 1 ? "s" : "", \
			system(sprintf("basename '%s'", dir)), WIN)
		set tmargin at screen 1 - PX_TOP / PX_H
		set bmargin at screen PX_BOT / PX_H
		AXIS = "x"; LO = 1; HI = QMAX / 1.25; KIND = "count"
		load plots."/ticks.gp"
		set xrange [0.8:QMAX]
		AXIS = "y"; LO = Y0; HI = Y1 * 2.5; KIND = "s"
		load plots."/ticks.gp"
		unset arrow
		unset label
		do for [q in SCEN] {
			set arrow from real(q), graph 0 to real(q), graph 1 nohead dt 3 \
				lc rgb "#555555"
			set label sprintf("scenario %d", q eq "1" ? 1 : q eq "1000" ? 2 : 3) \
				at real(q), graph 0.98 rotate by 90 right offset char 0.9, 0 \
				font ",10" tc rgb "#444444"
		}
		do for [p=1:NP] {
			set lmargin at screen pl(p)
			set rmargin at screen pr(p)
			set title group_title(PG[p]).(strstrt(PS[p], ":best") ? ", beside our best" : "") \
				font ",12"
			set ylabel (p == 1 ? "seconds, end to end" : "")
			set key at screen (pl(p) + pr(p)) / 2, screen (PX_BOT - 52) / PX_H \
				center top vertical maxrows 6 Left reverse samplen 2 spacing 1.05 \
				font ",11" width -2
			SER = system(sprintf("echo '%s' | sed 's/:[a-z]*//g'", PS[p]))
			N_P = words(PS[p])
			HAS_STREAM = in_list("stream", SER)
			PLOT = "for [i=1:N_P] (srole(word(PS[p], i)) eq 'stream' ? NaN : " . \
			       "total(sname(word(PS[p], i)), x)) lc rgb scol(word(PS[p], i)) " . \
			       "lw swidth(word(PS[p], i)) dt sdash(word(PS[p], i)) " . \
			       "title (srole(word(PS[p], i)) eq 'stream' ? '' : " . \
			       "stitle(word(PS[p], i)))"
			HASX = 0
			do for [w in SER] { HASX = HASX || q_of(w) ne "" }
			if (HASX) {
				PLOT = PLOT.", '< '.cross_cmd('cross_pts', S, 'impl') using 1:" . \
				       "(in_list(strcol(4), SER) ? $2 : NaN) with points pt 6 " . \
				       "ps 1.3 lw 1.5 lc rgb '#555555' notitle"
			}
			if (HAS_STREAM && NS > 0) {
				PLOT = PLOT.", '< '.cross_cmd('cross_stream', S, 'impl') " . \
				       "using 1:2 with linespoints lc rgb PAL_STREAM lw 3 pt 7 " . \
				       "ps 1.2 title 'stream (measured)'"
			}
			if (HAS_STREAM && NE > 0) {
				PLOT = PLOT.", '< '.cross_cmd('cross_ext', S, 'impl') " . \
				       "using 1:2 with lines lc rgb PAL_STREAM lw 1.5 dt 3 " . \
				       "title 'stream, extrapolated'"
			}
			if (SX ne "" && (HAS_STREAM || in_list(word(SX, 3)[2:], SER))) {
				PLOT = PLOT.", '< '.cross_cmd('cross_sx', S, 'impl') using 1:2 " . \
				       "with points pt 13 ps 2.2 lc rgb '#2ca02c' notitle"
			}
			eval "plot ".PLOT
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
