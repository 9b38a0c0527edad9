# build_time.gp - what an index costs before its first answer: seconds to build the table(s)
# against routes per carrier, one panel per group of implementations (plots/panels.gp).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "build_s"; chart = "build_time"; YKIND = "s"; YLABEL = "build time"
chart_title = "What does an index cost before its first answer? Build time: create + insert " . \
	"every route + finalize"
load plots."/panels.gp"
