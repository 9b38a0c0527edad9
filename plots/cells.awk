# cells.awk - read a run's cells.csv for the charts; load after series.awk (columns by header
# name, series names, sizes). Rows of the stream strategy (strategy column "stream", impl
# "stream") have no table: no build, no lookup_ns, no bytes per route. The crossover and Pareto
# charts read what a rule computed from derived.awk instead (crossover.csv, pareto.csv).
# Modes (-v M=...), S a series, Y a column:
#   keys        the series that have at least one measured row with a Y, space-separated
#   line        "n_routes Y pointtype" for the measured rows of S (open circle: sampled lookups)
#   fail        "n_routes last_Y label" for the first oom/timeout/crash of each series, drawn
#               where its line stopped (series with no measured row before it are left out);
#               only the series among the words of S when S is not empty
#   nfail       how many such failures there are
#   range       "min_routes max_routes min_Y max_Y" over the measured rows of the series among
#               the words of S: the data a panel chart's shared axes must hold
#   parse       "route_bytes_parsed parse_mb_s" for every row that parsed at a speed above 0
#               (a tiny file's parse stalled by the scheduler prints 0.0; a log axis has no 0)
#   over_*      the allocator overhead chart: for each (impl, allocator), its ok row at the
#               largest size (one carrier preferred), in bytes per route, as cumulative tops
#               t1 = struct, t2 = max(t1, heap), t3 = max(t2, active), t4 = max(t3, resident): a
#               figure below the ones under it adds an empty segment. Implementations go into
#               panels by size: panel 1 holds those whose tallest bar (or peak mark) is at least
#               1/16 of the tallest, panel 2 the same among the rest, panel 3 the rest.
#               over_panels: how many panels; over_slots: each panel's bar slots, in order;
#               over_n: the largest size shown; over_rows (S = panel): "slot t1 t2 t3 t4 peak";
#               over_labels (S = panel): gnuplot commands for the allocator under each bar of
#               a structure with two, the value over it (and its size when below over_n) and
#               the implementation's name, every other one a row lower
# Rows of the cold query set (query_set "cold") are read only with -v Q=cold (the lookup
# chart's dotted lines), every other mode and chart reads the hot rows; older runs have no
# query_set column (all hot).
function cold() { return ("query_set" in c) && $c["query_set"] == "cold" }
function qs() { return Q == "cold" ? cold() : !cold() }
function good() { return ($c["status"] == "ok" || $c["status"] == "mismatch") && qs() }
# A row of an implementation's table (older runs have no strategy column: all of them are).
function indexed() { return !("strategy" in c) || $c["strategy"] != "stream" }
function bad(   s) {
	s = $c["status"]
	return (s == "oom" || s == "timeout" || s == "crash") && qs()
}

M == "keys" && good() && $c[Y] != "" && !(key() in seen) { seen[key()] = 1; printf "%s ", key() }
M == "line" && good() && key() == S && $c[Y] != "" {
	print $c["n_routes"], $c[Y], ($c["n_queries"] + 0 < $c["queries_total"] + 0 ? 6 : 7)
}
BEGIN { ns = split(S, sw, " "); for (i = 1; i <= ns; i++) want[sw[i]] = 1 }
function wanted() { return S == "" || (key() in want) }
(M == "fail" || M == "nfail") && good() && $c[Y] != "" { last[key()] = $c[Y] }
(M == "fail" || M == "nfail") && bad() && !(key() in done) && (key() in last) && wanted() {
	done[key()] = 1
	nfail++
	if (M == "fail")
		printf "%s %s \"%s: %s\"\n", $c["n_routes"], last[key()], key(), $c["status"]
}
M == "range" && good() && $c[Y] != "" && $c[Y] + 0 > 0 && (key() in want) {
	if (!nr++ || $c["n_routes"] + 0 < x0) x0 = $c["n_routes"] + 0
	if ($c["n_routes"] + 0 > x1) x1 = $c["n_routes"] + 0
	if (nr == 1 || $c[Y] + 0 < y0) y0 = $c[Y] + 0
	if ($c[Y] + 0 > y1) y1 = $c[Y] + 0
}
END { if (M == "range" && nr) printf "%.12f %.12f %.12f %.12f\n", x0, x1, y0, y1 }
M == "parse" && $c["parse_mb_s"] > 0 && !cold() {
	print $c["route_bytes_parsed"], $c["parse_mb_s"]
}
M ~ /^over/ && $c["status"] == "ok" && indexed() && !cold() {
	k = $c["impl"] SUBSEP $c["allocator"]
	one = $c["n_carriers"] == 1
	if (k in on && (ob[k] > one || (ob[k] == one && on[k] >= $c["n_routes"] + 0)))
		next
	if (!(k in on))
		over_key[++nk] = k
	if (!($c["impl"] in impl_seen)) {
		impl_seen[$c["impl"]] = 1
		impls[++ni] = $c["impl"]
	}
	r = $c["n_routes"] * $c["n_carriers"]
	heap = $c["heap_bytes"]
	act = heap
	res = heap
	if (("heap_active_bytes" in c) && $c["heap_active_bytes"] != "")
		act = $c["heap_active_bytes"]
	if (("heap_resident_bytes" in c) && $c["heap_resident_bytes"] != "")
		res = $c["heap_resident_bytes"]
	on[k] = $c["n_routes"] + 0
	ob[k] = one
	o1[k] = $c["struct_bytes"] / r
	o2[k] = heap / r > o1[k] ? heap / r : o1[k]
	o3[k] = act / r > o2[k] ? act / r : o2[k]
	o4[k] = res / r > o3[k] ? res / r : o3[k]
	op[k] = ($c["peak_rss_bytes"] - $c["baseline_rss_bytes"]) / r
}

# The overhead chart's panels (panel[impl]) and bar slots (at[key]), see the over_* modes.
function over_layout(   i, j, k, a, top, left, p, slot) {
	for (j = 1; j <= nk; j++) {
		k = over_key[j]
		split(k, a, SUBSEP)
		tall[k] = o4[k] > op[k] ? o4[k] : op[k]
		if (tall[k] > imax[a[1]])
			imax[a[1]] = tall[k]
		if (on[k] > maxn)
			maxn = on[k]
	}
	left = ni
	for (p = 1; p <= 3 && left; p++) {
		top = 0
		for (i = 1; i <= ni; i++)
			if (!panel[impls[i]] && imax[impls[i]] > top)
				top = imax[impls[i]]
		for (i = 1; i <= ni; i++)
			if (!panel[impls[i]] && (p == 3 || imax[impls[i]] >= top / 16)) {
				panel[impls[i]] = p
				left--
			}
		npanels = p
	}
	for (p = 1; p <= npanels; p++) {
		slot = 0
		for (i = 1; i <= ni; i++) {
			if (panel[impls[i]] != p)
				continue
			first[impls[i]] = slot + 1
			for (j = 1; j <= nk; j++) {
				split(over_key[j], a, SUBSEP)
				if (a[1] == impls[i])
					at[over_key[j]] = ++slot
			}
			last[impls[i]] = slot
			slot += 0.5
		}
		slots[p] = slot - 0.5
	}
}

# Print what an over_* mode asks for.
function over_print(   i, j, k, a, p) {
	over_layout()
	if (M == "over_panels")
		print npanels + 0
	for (p = 1; p <= npanels && M == "over_slots"; p++)
		printf "%g ", slots[p]
	for (j = 1; j <= nk && M == "over_rows"; j++) {
		split(over_key[j], a, SUBSEP)
		if (panel[a[1]] == S)
			printf "%g %.4f %.4f %.4f %.4f %.4f\n", at[over_key[j]], o1[over_key[j]],
			       o2[over_key[j]], o3[over_key[j]], o4[over_key[j]], op[over_key[j]]
	}
	if (M == "over_n")
		print size_name(maxn)
	for (j = 1; j <= nk && M == "over_labels"; j++) {
		k = over_key[j]
		split(k, a, SUBSEP)
		if (panel[a[1]] != S)
			continue
		# The allocator under a bar only when its structure has two; nudged apart.
		if (last[a[1]] > first[a[1]])
			printf "set label \"%s\" at %g, graph 0 center offset %g,-0.9 " \
			       "font \",10\"; ", a[2], at[k], at[k] == first[a[1]] ? -0.4 : 0.4
		printf "set label \"%s%s\" at %g, %g center offset 0,%s font \",10\"; ",
		       sprintf(o4[k] >= 100 ? "%.0f" : "%.1f", o4[k]),
		       on[k] < maxn ? "\\n(at " size_name(on[k]) ")" : "", at[k], tall[k],
		       on[k] < maxn ? "1.6" : "1"
	}
	# Each structure's name under its bars, every other one a row lower so none touch.
	for (i = 1; i <= ni && M == "over_labels"; i++)
		if (panel[impls[i]] == S)
			printf "set label \"%s\" at %g, graph 0 center offset 0,%g " \
			       "font \",11\"; ", impls[i], (first[impls[i]] + last[impls[i]]) / 2,
			       (row[S]++ % 2) ? -3.3 : -2.1
}

END {
	if (M ~ /^over/)
		over_print()
}

END {
	if (M == "nfail")
		print nfail + 0
}
