# lookup_time.gp - nanoseconds to price one number against routes per carrier.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "lookup_ns"; chart = "lookup_time"
chart_title = "Lookup time per number (median of reps; open circles: a sample of the numbers)"
set ylabel "ns per number priced"
set format y "10^{%L}"
load plots."/per_route.gp"
