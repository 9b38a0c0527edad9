# parse_speed.gp - route text parsing speed of every cell against the bytes parsed, with the
# 400 MB/s target. The loader is shared, so the points should agree across implementations.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
chart = "parse_speed"
set title sprintf("Route text parsing speed (page cache warm)\n{/*0.8 %s}", csv)
set xlabel "route text parsed (bytes)"
set format x "%.0s %cB"
set ylabel "MB/s"
set format y "%g"
set key inside left top
PLOT = "plot '< '.awk_cmd('parse', '', 'impl') using 1:2 with points pt 7 ps 0.8 " . \
       "title 'cells', 400 with lines dt 2 lc rgb 'red' title 'target 400 MB/s'"
load plots."/render.gp"
