# common.gp - what every chart shares: where the run is, how series are read out of cells.csv
# (plots/cells.awk) and the derived figures out of crossover.csv, pareto.csv and panels.csv
# (plots/derived.awk), each implementation's colour and panel group (palette.gp, which
# `routebench report` writes from the registry), one number format per axis (plots/ticks.gp)
# and a page-width canvas whose smallest text stays readable. Charts read nothing but the run's
# result files; `routebench report --derived-only DIR` writes the derived ones.
# Usage: gnuplot -e "dir='results/latest'" plots/<chart>.gp   (plots/all.gp draws them all)

if (!exists("dir")) dir = "results/latest"
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
csv = dir."/cells.csv"
set encoding utf8

awk_cmd(mode, series, col) = sprintf("awk -v M=%s -v S='%s' -v Y=%s -f '%s/series.awk' " . \
	"-f '%s/cells.awk' '%s'", mode, series, col, plots, plots, csv)
# The figures a rule computed, from dir/file (crossover.csv, pareto.csv): plots/derived.awk.
derived_cmd(file, mode, series, y) = sprintf("awk -v M=%s -v S='%s' -v Y=%s " . \
	"-f '%s/series.awk' -f '%s/derived.awk' '%s/%s'", mode, series, y, plots, plots, dir, file)
# Does dir hold file? ("1" or "")
has_file(file) = system(sprintf("test -f '%s/%s' && echo 1 || true", dir, file))
line_of(series, col) = "< ".awk_cmd("line", series, col)
# One DRAM miss: meta.json's machine.dram_ns (bench --machine-limits), 0 when not measured;
# the lookup charts' reference line.
DRAM_NS = real(system(sprintf("sed -n 's/.*\"dram_ns\": *\\([0-9.]*\\).*/\\1/p' " . \
	"'%s/meta.json' 2>/dev/null | head -n 1 | grep . || echo 0", dir)))
# The same of the cold query set's rows (query_set "cold"; cells.awk -v Q=cold).
awk_cold(mode, series, col) = sprintf("awk -v Q=cold -v M=%s -v S='%s' -v Y=%s " . \
	"-f '%s/series.awk' -f '%s/cells.awk' '%s'", mode, series, col, plots, plots, csv)
cold_line_of(series, col) = "< ".awk_cold("line", series, col)
fails_of(series, col) = "< ".awk_cmd("fail", series, col)
n_fails(series, col) = int(system(awk_cmd("nfail", series, col)))

# --- colours: palette.gp (the registry's order), the same in every chart and in REPORT.html ---
load plots."/palette.inc.gp"

# --- numbers: one format per axis ------------------------------------------------------------
# fmt_count: 10, 300, 1K, 30K, 1M; fmt_s: 20 ns, 3 µs, 10 ms, 2 s; fmt_bytes: 500 kB, 20 MB, 3 GB.
fmt_count(v) = v >= 1e6 ? sprintf("%gM", v / 1e6) : v >= 1e3 ? sprintf("%gK", v / 1e3) : \
	sprintf("%g", v)
fmt_s(v) = v >= 1 ? sprintf("%g s", v) : v >= 1e-3 ? sprintf("%g ms", v * 1e3) : \
	v >= 1e-6 ? sprintf("%g µs", v * 1e6) : sprintf("%g ns", v * 1e9)
fmt_ns(v) = fmt_s(v * 1e-9)
fmt_bytes(v) = v >= 1e9 ? sprintf("%g GB", v / 1e9) : v >= 1e6 ? sprintf("%g MB", v / 1e6) : \
	v >= 1e3 ? sprintf("%g kB", v / 1e3) : sprintf("%g B", v)
fmt_kind(kind, v) = kind eq "s" ? fmt_s(v) : kind eq "ns" ? fmt_ns(v) : \
	kind eq "bytes" ? fmt_bytes(v) : fmt_count(v)

# The canvas: as wide as REPORT.html's column, so a 12-point font is 12 px on the page.
PX_W = 1200
FONT = "sans,12"
set datafile separator whitespace
set logscale xy
set grid xtics ytics lc rgb "#d9d9d9", lc rgb "#f0f0f0"
set xtics nomirror
set ytics nomirror
set border 3 lc rgb "#444444"
