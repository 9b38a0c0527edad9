# bytes_per_route.gp - the structure's own bytes per route (struct_bytes / routes).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "bytes_per_route"; chart = "bytes_per_route"
chart_title = "Bytes per route: the structure's own accounting / (routes x carriers)"
set ylabel "bytes per route"
set format y "%g"
load plots."/per_route.gp"
