# derived.awk - hand gnuplot the figures `routebench report` computed for the charts, from
# crossover.csv and pareto.csv beside cells.csv (harness/report/derived.c writes them with the
# report's own rules, lesson.h). Picks rows and columns and formats labels; computes nothing.
# Load after series.awk. Modes (-v M=...), S a crossover chart's carrier count, Y a q (or a
# comma list of them):
#   cross_ks      the largest carrier count above 1 (nothing when there is none)
#   cross_n       the chart's size N* (as 100K)
#   cross_keys, cross_b, cross_l   the index series at N*: names, parse_s + build_s, lookup_ns
#   cross_stream  "q t": the stream strategy's measured points; cross_ext: its extrapolation
#   cross_pts     "q T label series": where an index's line crosses the scan's
#   cross_qs      "series=Q ...": the first whole q from which each index is below the scan
#   cross_sx      "q T label": the first index to overtake the stream strategy
#   cross_win     (Y = q) who wins at q, as label text; cross_winpts (Y = list) "q T name"
#   pareto_alloc, pareto_n   the Pareto chart's allocator and size
#   pareto_pts    "bytes_per_route lookup_ns name on_frontier"; pareto_front "x y" along the
#                 frontier (frontier_rank: by bytes per route)
#   pareto_note   the implementations left out at that size and why ("NAME: oom at 10M")
# and from panels.csv (S a chart's name, Y a panel's number):
#   panel_n       how many panels the chart has
#   panel_group   the palette group a panel shows (palette.gp's PAL_TITLE_<group>)
#   panel_series  "series:role ...": what the panel draws (role member, best, scan, stream)

function here() { return $c["n_carriers"] == (S == "" ? 1 : S + 0) }
function kind(k) { return $c["kind"] == k && here() }
function name() { return $c["impl"] == "stream" ? "stream" : key() }

function secs(t) {
	if (t < 1e-3)
		return sprintf("%.0f us", t * 1e6)
	if (t < 1)
		return sprintf("%.1f ms", t * 1e3)
	return sprintf("%.2f s", t)
}

function count(q) {
	if (q >= 1e6)
		return sprintf("%d,%03d,%03d", q / 1e6, (q % 1e6) / 1000, q % 1000)
	return q >= 1000 ? sprintf("%d,%03d", q / 1000, q % 1000) : q
}

M == "cross_ks" && $c["n_carriers"] > 1 && $c["n_carriers"] + 0 > kmax {
	kmax = $c["n_carriers"] + 0
}
M == "cross_n" && kind("chart") { print size_name($c["n_routes"]) }
M == "cross_keys" && kind("index") { printf "%s ", key() }
M == "cross_b" && kind("index") { printf "%s ", $c["base_s"] }
M == "cross_l" && kind("index") { printf "%s ", $c["lookup_ns"] }
M == "cross_stream" && kind("stream") { print $c["q"], $c["seconds"] }
M == "cross_ext" && kind("extrapolated") { print $c["q"], $c["seconds"] }
M == "cross_pts" && kind("overtakes_scan") {
	printf "%s %s \"q=%.0f\" %s\n", $c["q"], $c["seconds"], $c["q"], key()
}
M == "cross_qs" && kind("overtakes_scan") { printf "%s=%s ", key(), count(int($c["q"]) + 1) }
M == "cross_sx" && kind("overtakes_stream") {
	printf "%s %s \"%s beats stream from q = %s%s\"\n", $c["q"], $c["seconds"], key(),
	       count(int($c["q"] + 0.5)), ($c["extrapolated"] ? " (extrapolated)" : "")
}
M == "cross_win" && $c["q"] == Y + 0 && kind("winner") {
	wn = name(); wt = $c["seconds"]; wx = $c["extrapolated"] + 0; won = 1
}
M == "cross_win" && $c["q"] == Y + 0 && kind("runner_up") {
	rn = name(); rt = $c["seconds"]; rx = $c["extrapolated"] + 0; other = 1
}
M == "cross_winpts" && kind("winner") {
	nq = split(Y, a, ",")
	for (j = 1; j <= nq; j++)
		if (a[j] + 0 == $c["q"] + 0)
			printf "%s %s \"%s\"\n", $c["q"], $c["seconds"], name()
}

M == "panel_n" && $c["chart"] == S && $c["panel"] + 0 > pmax { pmax = $c["panel"] + 0 }
M == "panel_group" && $c["chart"] == S && $c["panel"] == Y && !pg { pg = $c["group"] }
M == "panel_series" && $c["chart"] == S && $c["panel"] == Y {
	printf "%s:%s ", $c["series"], $c["role"]
}

M == "pareto_alloc" && !palloc { palloc = $c["allocator"] }
M == "pareto_n" && !pn { pn = size_name($c["n_routes"]) }
M == "pareto_pts" && $c["status"] == "ok" {
	printf "%s %s %s %d\n", $c["bytes_per_route"], $c["lookup_ns"], $c["impl"],
	       $c["on_frontier"]
}
M == "pareto_front" && $c["status"] == "ok" && $c["frontier_rank"] > 0 {
	front[$c["frontier_rank"] + 0] = $c["bytes_per_route"] " " $c["lookup_ns"]
}
M == "pareto_note" && $c["status"] != "ok" {
	note = note (note ? "; " : "") $c["impl"] ": " $c["status"] " at " \
	       size_name($c["n_routes"]) ($c["detail"] == "" ? "" : " (" $c["detail"] ")")
}

END {
	if (M == "cross_ks" && kmax)
		print kmax
	if (M == "cross_win" && won && wn != "stream") {
		printf "%s, %s", wn, secs(wt)
		if (other)
			printf " (stream: %s%s)", secs(rt), (rx ? ", extrapolated" : "")
		print ""
	}
	if (M == "cross_win" && won && wn == "stream") {
		printf "stream, %s", secs(wt)
		if (other)
			printf " (best index: %s, %s)%s", rn, secs(rt),
			       (wx ? ", stream extrapolated" : "")
		print ""
	}
	if (M == "panel_n")
		print pmax + 0
	if (M == "panel_group")
		print pg + 0
	if (M == "pareto_alloc")
		print palloc
	if (M == "pareto_n")
		print pn
	if (M == "pareto_note")
		print note
	for (j = 1; M == "pareto_front" && (j in front); j++)
		print front[j]
}
