# build_time.gp - seconds to build the table(s) against routes per carrier.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "build_s"; chart = "build_time"
chart_title = "Build time: create + insert every route + finalize"
set ylabel "build time (s)"
set format y "10^{%L}"
load plots."/per_route.gp"
