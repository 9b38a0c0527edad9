# all.gp - every chart of a run, next to its cells.csv:
#   gnuplot -e "dir='results/latest'" plots/all.gp     (make plots does this)
# Each chart answers one question; `routebench report --derived-only DIR` first writes the
# figures they draw (crossover.csv, pareto.csv, panels.csv, allocator.csv, parse.csv) and the
# palette (palette.gp), all from cells.csv.
if (!exists("dir")) dir = "results/latest"
plots = system(sprintf("dirname '%s'", ARG0))
load plots."/build_time.gp"
load plots."/lookup_time.gp"
load plots."/peak_rss.gp"
load plots."/bytes_per_route.gp"
load plots."/crossover.gp"
load plots."/parse_speed.gp"
load plots."/alloc_overhead.gp"
load plots."/allocator.gp"
load plots."/pareto.gp"
