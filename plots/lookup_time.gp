# lookup_time.gp - what each answer costs once the table is built: nanoseconds to price one
# number against routes per carrier, one panel per group of implementations (plots/panels.gp),
# with a dashed line at one DRAM miss when the run measured the machine's limits, and each
# structure's cold query set (bench --query-set cold) dotted beside its hot line.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "lookup_ns"; chart = "lookup_time"; YKIND = "ns"; YLABEL = "time per number priced"
chart_title = "What does each answer cost? Lookup time per number (median of the reps; " . \
	"open points: timed on a sample of the numbers)"
REF_Y = DRAM_NS # one DRAM miss, the reference line (common.gp)
REF_T = REF_Y > 0 ? sprintf("one DRAM miss: %.0f ns (the machine's limits)", REF_Y) : ""
COLD = 1 # the cold query set's rows too, dotted
load plots."/panels.gp"
