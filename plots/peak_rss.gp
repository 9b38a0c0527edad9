# peak_rss.gp - the cell's peak resident set (its child's ru_maxrss) against routes per carrier.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "peak_rss_bytes"; chart = "peak_rss"
chart_title = "Peak RSS of the cell's process (parse + build + lookups)"
set ylabel "peak RSS (bytes)"
set format y "%.0s %cB"
load plots."/per_route.gp"
