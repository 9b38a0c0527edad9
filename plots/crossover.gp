# crossover.gp - who prices q numbers fastest, starting from the route files? End-to-end time
# against q at a fixed size N* (crossover.csv, read by plots/derived.awk, cross_* modes: the
# report layer computes every figure): each index implementation is a line,
# parse + build + q lookups; the stream strategy (no table: the numbers indexed, every route
# file read once) is its measured points t(q), then dotted where extrapolated. Marked: the
# course's scenarios, with who wins each. One chart for one carrier (crossover: scenarios 1,
# one number, and 2, 1,000 numbers) and, when the run has more carriers, one for the largest
# count (crossover_5carriers for bench-full: scenario 3, 10,000 numbers x 5 carriers).
reset
if (!exists("plots")) plots = system(sprintf("dirname '%s'", ARG0))
load plots."/common.gp"
cross_cmd(mode, series, y) = derived_cmd("crossover.csv", mode, series, y)
if (has_file("crossover.csv") ne "1") {
	print sprintf("crossover: no crossover.csv in %s (routebench report --derived-only " . \
		      "writes it); crossover charts skipped", dir)
} else {
	KMAX = system(cross_cmd("cross_ks", "", "impl"))
	K = 1
	chart = "crossover"
	load plots."/crossover_chart.gp"
	if (KMAX ne "") {
		K = int(KMAX)
		chart = sprintf("crossover_%dcarriers", K)
		load plots."/crossover_chart.gp"
	}
}
