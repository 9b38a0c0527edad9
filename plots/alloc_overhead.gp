# alloc_overhead.gp - where the bytes of a built table go, per route, for every implementation
# under every allocator it ran with, at the largest size where it ran ok (one carrier preferred).
# Each bar stacks, bottom to top: the structure's own accounting (struct_bytes); the allocator's
# per-object overhead (heap_bytes above it: glibc's chunk headers and 16-byte rounding,
# jemalloc's size classes); page slack (heap_active_bytes above that: partly used pages); bytes
# held but not in use (heap_resident_bytes above that: freed pages not yet returned, free
# chunks, allocator metadata). A figure below the ones under it adds an empty segment. The
# diamond is peak RSS minus the RSS before the build: what the OS saw, transients included.
# Panels by size (plots/cells.awk, over_* modes), each with its own y axis, not a log one: bytes per
# route run from ~2 to ~5000, and a log axis cannot stack. Reads only cells.csv.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "alloc_overhead"
unset logscale
set grid noxtics nomxtics nomytics ytics lc rgb "#dddddd"
unset key

NP = int(system(awk_cmd("over_panels", "", "impl")))
SLOTS = system(awk_cmd("over_slots", "", "impl"))
NMAX = system(awk_cmd("over_n", "", "impl"))
rows(p) = "< ".awk_cmd("over_rows", sprintf("%d", p), "impl")
labels(p) = system(awk_cmd("over_labels", sprintf("%d", p), "impl"))
slots(p) = real(word(SLOTS, p)) + 0.4

T1 = "the structure's own bytes (struct\\_bytes)"
T2 = "per-object overhead: chunk headers, rounding, size classes (allocated - struct)"
T3 = "page slack: free room in the pages that hold objects (active - allocated)"
T4 = "held, not in use: freed pages kept, free chunks, metadata (resident - active)"
T5 = "peak RSS - RSS before the build"
TITLE = "Where the bytes go, per route: the structure, then what the allocator adds, at " . \
	"the largest size\n{/*0.85 each implementation ran ok (%s routes unless a bar says); the " . \
	"number over a bar is its top}\n{/*0.85 a bar without an allocator is the run's; each " . \
	"panel has its own scale; run %s}"

if (NP == 0) {
	print sprintf("%s: no ok cells in %s; %s skipped", chart, csv, chart)
} else {
	C1 = "#1f77b4"; C2 = "#ff7f0e"; C3 = "#2ca02c"; C4 = "#b8b8b8"
	# Panels side by side, as wide as their bars (the same width everywhere), in pixels: the
	# first one has room for the y label on its left, the others for their tic labels.
	PX_H = 700; PX_AXIS1 = 80; PX_AXIS = 52; PX_RIGHT = 12
	TOTAL = sum [p=1:NP] slots(p)
	UNIT = (PX_W - PX_AXIS1 - (NP - 1) * PX_AXIS - PX_RIGHT) / TOTAL
	pleft(p) = (PX_AXIS1 + (p - 1) * PX_AXIS + UNIT * sum [q=1:p-1] slots(q)) / PX_W
	pright(p) = pleft(p) + UNIT * slots(p) / PX_W
	lo(x) = x - 0.4
	hi(x) = x + 0.4
	unset xlabel
	set format y "%g"
	set yrange [0:*]
	set offsets 0, 0, graph 0.10, 0
	set style fill solid 1.0 border lc rgb "#555555"
	set tmargin at screen 1 - 165.0 / PX_H
	set bmargin at screen 75.0 / PX_H
	do for [fmt in "png svg"] {
		if (fmt eq "png") {
			set terminal pngcairo size PX_W, PX_H font FONT
		} else {
			set terminal svg size PX_W, PX_H dynamic font FONT
		}
		set output dir."/".chart.".".fmt
		set multiplot title sprintf(TITLE, NMAX, system(sprintf("basename '%s'", dir)))
		do for [p=1:NP] {
			unset label
			unset xtics
			eval labels(p)
			set xrange [0.3:slots(p) + 0.3]
			set lmargin at screen pleft(p)
			set rmargin at screen pright(p)
			if (p == 1) {
				set ylabel "bytes per route"
				set key at screen 0.5, screen 1 - 64.0 / PX_H center top vertical \
					reverse Left samplen 2 font ",11"
			} else {
				unset ylabel
				unset key
			}
			plot rows(p) using 1:2:(lo($1)):(hi($1)):(0):2 with boxxyerror fc rgb C1 \
				title T1, \
			     '' using 1:3:(lo($1)):(hi($1)):2:3 with boxxyerror fc rgb C2 \
				title T2, \
			     '' using 1:4:(lo($1)):(hi($1)):3:4 with boxxyerror fc rgb C3 \
				title T3, \
			     '' using 1:5:(lo($1)):(hi($1)):4:5 with boxxyerror fc rgb C4 \
				title T4, \
			     '' using 1:6 with points pt 13 ps 1.2 lc rgb "black" title T5
		}
		unset multiplot
		unset output
	}
	print sprintf("charts: %s/%s.png, .svg", dir, chart)
}
