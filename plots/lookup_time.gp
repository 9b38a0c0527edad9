# lookup_time.gp - what each answer costs once the table is built: nanoseconds to price one
# number against routes per carrier, one panel per group of implementations (plots/panels.gp).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "lookup_ns"; chart = "lookup_time"; YKIND = "ns"; YLABEL = "time per number priced"
chart_title = "What does each answer cost? Lookup time per number (median of the reps; " . \
	"open points: timed on a sample of the numbers)"
load plots."/panels.gp"
