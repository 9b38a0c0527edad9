# peak_rss.gp - what the process needs from the OS: the cell's peak resident set (its child's
# ru_maxrss) against routes per carrier, one panel per group (plots/panels.gp); the stream
# strategy sits with the baselines.
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
Y = "peak_rss_bytes"; chart = "peak_rss"; YKIND = "bytes"; YLABEL = "peak RSS"
chart_title = "What does the process need from the OS? Peak RSS of the cell (parse + build " . \
	"+ lookups)"
load plots."/panels.gp"
