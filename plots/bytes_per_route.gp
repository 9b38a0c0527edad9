# bytes_per_route.gp - what the structure itself holds per route (struct_bytes / routes), one
# panel per group of implementations (plots/panels.gp).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "bytes_per_route"; chart = "bytes_per_route"; YKIND = "count"; YLABEL = "bytes per route"
chart_title = "How many bytes does each route cost the structure? struct\\_bytes / " . \
	"(routes x carriers)"
load plots."/panels.gp"
