# cells.awk - read a run's cells.csv for the charts; columns are found by their header name.
# A series is impl, plus "/ALLOCATOR" when not glibc, plus "/kK" for K > 1 carriers. Rows of
# the stream strategy (strategy column "stream", impl "stream") have no table: no build, no
# lookup_ns, no bytes per route; their end-to-end times per q numbers are in stream_points.
# Modes (-v M=...), S a series, Y a column:
#   keys        the series that have at least one measured row with a Y, space-separated
#   line        "n_routes Y pointtype" for the measured rows of S (open circle: sampled lookups)
#   fail        "n_routes last_Y label" for the first oom/timeout/crash of each series, drawn
#               where its line stopped (series with no measured row before it are left out)
#   nfail       how many such failures there are
#   parse       "route_bytes_parsed parse_mb_s" for every row that parsed
#   cross_*     the crossover charts, one per carrier count K (S; "" is 1), at N* = the largest
#               size with K carriers where the stream strategy and an index were both measured
#               (else the largest size with K carriers). End to end: an index series costs
#               parse_s + build_s + q * lookup_ns for q numbers; stream costs its measured t(q)
#               (stream_points), between points on the line joining them, past the last one on
#               the line through the last two (never falling: "extrapolated").
#               cross_ks: the largest carrier count above 1 in the run (or nothing);
#               cross_n N* (as 100K); cross_keys, cross_b, cross_l the index series at N* and their
#               parse_s + build_s and lookup_ns; cross_stream "q t" stream's points;
#               cross_ext "q t" its extrapolation past the last point to q = 2e7;
#               cross_pts "q T label series" where an index falls below linear (same
#               allocator); cross_sx "q T label" the earliest q where an index falls below
#               stream; cross_win (Y = q) who wins at q, as label text; cross_winpts (Y = a
#               comma list of q) "q T name" of each winner
#   pareto_*    the Pareto chart: index rows with one carrier under glibc (pareto_alloc: else
#               the first row's allocator) at the largest such size (pareto_n). pareto_pts
#               "bytes_per_route lookup_ns name on_frontier" for each ok row; pareto_front the
#               frontier (no other point as small on both axes and smaller on one), by bytes
#               per route; pareto_note the implementations of the run left out there and why
#               ("trie: oom at 10M")
#   over_*      the allocator overhead chart: for each (impl, allocator), its ok row at the
#               largest size (one carrier preferred), in bytes per route, as cumulative tops
#               t1 = struct, t2 = max(t1, heap), t3 = max(t2, active), t4 = max(t3, resident): a
#               figure below the ones under it adds an empty segment. Implementations go into
#               panels by size: panel 1 holds those whose tallest bar (or peak mark) is at least
#               1/16 of the tallest, panel 2 the same among the rest, panel 3 the rest.
#               over_panels: how many panels; over_slots: each panel's bar slots, in order;
#               over_n: the largest size shown; over_rows (S = panel): "slot t1 t2 t3 t4 peak";
#               over_labels (S = panel): gnuplot commands for the allocator under each bar, the
#               value over it (and its size when below over_n) and the implementation's name
BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }

function key(   k) {
	k = $c["impl"]
	if ($c["allocator"] != "glibc")
		k = k "/" $c["allocator"]
	if ($c["n_carriers"] > 1)
		k = k "/k" $c["n_carriers"]
	return k
}
function good() { return $c["status"] == "ok" || $c["status"] == "mismatch" }
# A row of an implementation's table (older runs have no strategy column: all of them are).
function indexed() { return !("strategy" in c) || $c["strategy"] != "stream" }
function bad(   s) { s = $c["status"]; return s == "oom" || s == "timeout" || s == "crash" }

M == "keys" && good() && $c[Y] != "" && !(key() in seen) { seen[key()] = 1; printf "%s ", key() }
M == "line" && good() && key() == S && $c[Y] != "" {
	print $c["n_routes"], $c[Y], ($c["n_queries"] + 0 < $c["queries_total"] + 0 ? 6 : 7)
}
(M == "fail" || M == "nfail") && good() && $c[Y] != "" { last[key()] = $c[Y] }
(M == "fail" || M == "nfail") && bad() && !(key() in done) && (key() in last) {
	done[key()] = 1
	nfail++
	if (M == "fail")
		printf "%s %s \"%s: %s\"\n", $c["n_routes"], last[key()], key(), $c["status"]
}
M == "parse" && $c["parse_mb_s"] != "" { print $c["route_bytes_parsed"], $c["parse_mb_s"] }
M == "cross_ks" && good() && $c["n_carriers"] > 1 && $c["n_carriers"] + 0 > kmax {
	kmax = $c["n_carriers"] + 0
}
M ~ /^cross/ && good() && $c["n_carriers"] + 0 == (S == "" ? 1 : S + 0) {
	n++
	rk[n] = key(); ri[n] = $c["impl"]; rn[n] = $c["n_routes"] + 0; ra[n] = $c["allocator"]
	rs[n] = !indexed()
	rb[n] = $c["parse_s"] + $c["build_s"]; rl[n] = $c["lookup_ns"] + 0
	rp[n] = rs[n] ? $c["stream_points"] : ""
}
M ~ /^pareto/ && indexed() && $c["n_carriers"] == 1 {
	n++
	ri[n] = $c["impl"]; rn[n] = $c["n_routes"] + 0; rst[n] = $c["status"]
	ra[n] = $c["allocator"]
	rx[n] = $c["bytes_per_route"] + 0; ry[n] = $c["lookup_ns"] + 0; rd[n] = $c["detail"]
	if (!palloc || ra[n] == "glibc")
		palloc = ra[n]
}

M ~ /^over/ && $c["status"] == "ok" && indexed() {
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

function size_name(n) {
	if (n >= 1e6 && n % 1e6 == 0)
		return (n / 1e6) "M"
	if (n >= 1e3 && n % 1e3 == 0)
		return (n / 1e3) "K"
	return n
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
		printf "set xtics add (\"%s\" %g); ", a[2], at[k]
		printf "set label \"%s%s\" at %g, %g center offset 0,1 font \",8\"; ",
		       sprintf(o4[k] >= 100 ? "%.0f" : "%.1f", o4[k]),
		       on[k] < maxn ? " (at " size_name(on[k]) ")" : "", at[k], tall[k]
	}
	for (i = 1; i <= ni && M == "over_labels"; i++)
		if (panel[impls[i]] == S)
			printf "set label \"%s\" at %g, graph 0 center offset 0,-2.2 " \
			       "font \",10\"; ", impls[i], (first[impls[i]] + last[impls[i]]) / 2
}

END {
	if (M ~ /^over/)
		over_print()
}

END {
	if (M == "nfail")
		print nfail + 0
}

# --- the crossover charts -------------------------------------------------------------------
# N*: the largest size where stream and an index were both measured, else the largest size.
function cross_star(   i, has_s, has_i, best, any) {
	for (i = 1; i <= n; i++) {
		if (rs[i])
			has_s[rn[i]] = 1
		else
			has_i[rn[i]] = 1
		if (rn[i] > any)
			any = rn[i]
	}
	for (i = 1; i <= n; i++)
		if ((rn[i] in has_s) && (rn[i] in has_i) && rn[i] > best)
			best = rn[i]
	return best ? best : any
}

# Read the stream row at N* into sq[1..ns] (q) and st[] (seconds).
function stream_points(star,   i, j, p, a) {
	ns = 0
	for (i = 1; i <= n; i++) {
		if (!rs[i] || rn[i] != star)
			continue
		split(rp[i], p, ";")
		for (j = 1; j in p; j++)
			if (split(p[j], a, ":") == 2) {
				sq[++ns] = a[1] + 0
				st[ns] = a[2] + 0
			}
		return
	}
}

# Stream's seconds for q numbers: measured, on the line between the points around q, or past
# the last point on the line through the last two, never falling; -1 with no points.
function stream_t(q,   j, b) {
	if (!ns)
		return -1
	for (j = 1; j <= ns; j++) {
		if (q <= sq[j])
			return j == 1 ? st[1] : \
			       st[j - 1] + (st[j] - st[j - 1]) * (q - sq[j - 1]) / \
					   (sq[j] - sq[j - 1])
	}
	b = ns > 1 ? (st[ns] - st[ns - 1]) / (sq[ns] - sq[ns - 1]) : 0
	return st[ns] + (b > 0 ? b : 0) * (q - sq[ns])
}

function index_t(i, q) { return rb[i] + q * rl[i] * 1e-9 }

function secs(t) {
	if (t < 1e-3)
		return sprintf("%.0f us", t * 1e6)
	if (t < 1)
		return sprintf("%.1f ms", t * 1e3)
	return sprintf("%.2f s", t)
}

function count(q) { return q >= 1000 ? sprintf("%d,%03d", q / 1000, q % 1000) : q }

# Who is cheapest at q: sets win (the index row, or 0 for stream), win_t, and best_i, best_t
# (the cheapest index row, 0 if none).
function winner(star, q,   i, t) {
	best_i = 0
	for (i = 1; i <= n; i++)
		if (rn[i] == star && !rs[i] && (!best_i || index_t(i, q) < best_t)) {
			best_i = i
			best_t = index_t(i, q)
		}
	t = stream_t(q)
	win = best_i
	win_t = best_t
	if (t >= 0 && (!best_i || t < best_t)) {
		win = 0
		win_t = t
	}
	return best_i || t >= 0
}

# The first q in [1, 2e7] where index row i is cheaper than stream after being dearer, or 0.
function overtakes(i,   lo, hi, mid, k, q, prev) {
	prev = 1
	if (index_t(i, 1) < stream_t(1))
		return 0
	for (k = 1; k <= 146; k++) { # 20 steps a decade
		q = 10 ^ (k / 20)
		if (index_t(i, q) < stream_t(q)) {
			lo = prev
			hi = q
			while (hi / lo > 1.0001) {
				mid = sqrt(lo * hi)
				if (index_t(i, mid) < stream_t(mid))
					hi = mid
				else
					lo = mid
			}
			return hi
		}
		prev = q
	}
	return 0
}

function cross_print(   star, i, j, q, t, a, nq, first, fq) {
	if (M == "cross_ks") {
		if (kmax)
			print kmax
		return
	}
	star = cross_star()
	stream_points(star)
	if (M == "cross_n")
		print size_name(star)
	for (i = 1; i <= n; i++) {
		if (rn[i] != star || rs[i])
			continue
		if (M == "cross_keys")
			printf "%s ", rk[i]
		if (M == "cross_b")
			printf "%.9f ", rb[i]
		if (M == "cross_l")
			printf "%.4f ", rl[i]
		if (M != "cross_pts" || ri[i] == "linear")
			continue
		for (j = 1; j <= n; j++)
			if (rn[j] == star && !rs[j] && ri[j] == "linear" && ra[j] == ra[i] &&
			    rl[j] > rl[i] && rb[i] > rb[j]) {
				q = (rb[i] - rb[j]) / ((rl[j] - rl[i]) * 1e-9)
				printf "%.6f %.9f \"q=%.0f\" %s\n", q, index_t(j, q), q, rk[i]
			}
	}
	for (j = 1; j <= ns && M == "cross_stream"; j++)
		printf "%.0f %.9f\n", sq[j], st[j]
	if (M == "cross_ext" && ns && sq[ns] < 2e7)
		for (j = 0; j <= 40; j++) {
			q = sq[ns] * (2e7 / sq[ns]) ^ (j / 40)
			printf "%.3f %.9f\n", q, stream_t(q)
		}
	if (M == "cross_sx" && ns) {
		for (i = 1; i <= n; i++)
			if (rn[i] == star && !rs[i] && (q = overtakes(i)) && (!first || q < fq)) {
				first = i
				fq = q
			}
		if (first)
			printf "%.3f %.9f \"%s beats stream from q = %s%s\"\n", fq, stream_t(fq),
			       rk[first], count(int(fq + 0.5)),
			       (fq > sq[ns] ? " (extrapolated)" : "")
	}
	if (M == "cross_win" && winner(star, Y + 0)) {
		if (win)
			printf "%s, %s", rk[win], secs(win_t)
		else
			printf "stream, %s", secs(win_t)
		if (win && ns)
			printf " (stream: %s%s)", secs(stream_t(Y + 0)),
			       (Y + 0 > sq[ns] ? ", extrapolated" : "")
		else if (!win && best_i)
			printf " (best index: %s, %s)%s", rk[best_i], secs(best_t),
			       (Y + 0 > sq[ns] ? ", stream extrapolated" : "")
		print ""
	}
	nq = M == "cross_winpts" ? split(Y, a, ",") : 0
	for (j = 1; j <= nq; j++)
		if (winner(star, a[j] + 0))
			printf "%s %.9f \"%s\"\n", a[j], win_t, win ? rk[win] : "stream"
}

# --- the Pareto chart ---------------------------------------------------------------------
function pareto_print(   i, j, big, dom, order, m, t, tmp, note, seen) {
	for (i = 1; i <= n; i++) # one allocator: glibc, else the run's (asan in a sanitized build)
		if (ra[i] != palloc)
			rn[i] = -1
	if (M == "pareto_alloc")
		print palloc
	for (i = 1; i <= n; i++)
		if (rn[i] > big)
			big = rn[i]
	if (M == "pareto_n")
		print size_name(big)
	for (i = 1; i <= n; i++) {
		if (rn[i] != big || rst[i] != "ok")
			continue
		dom = 0
		for (j = 1; j <= n && !dom; j++)
			dom = j != i && rn[j] == big && rst[j] == "ok" && rx[j] <= rx[i] &&
			      ry[j] <= ry[i] && (rx[j] < rx[i] || ry[j] < ry[i])
		if (M == "pareto_pts")
			printf "%.4f %.4f %s %d\n", rx[i], ry[i], ri[i], !dom
		if (!dom)
			order[++m] = i
	}
	for (i = 2; i <= m; i++) # insertion sort by bytes per route
		for (j = i; j > 1 && rx[order[j]] < rx[order[j - 1]]; j--) {
			t = order[j]
			order[j] = order[j - 1]
			order[j - 1] = t
		}
	for (i = 1; i <= m && M == "pareto_front"; i++)
		printf "%.4f %.4f\n", rx[order[i]], ry[order[i]]
	if (M != "pareto_note")
		return
	for (i = 1; i <= n; i++)
		if (rn[i] == big && rst[i] == "ok")
			seen[ri[i]] = 1
	for (i = 1; i <= n; i++) {
		if ((ri[i] in seen) || rn[i] < 0)
			continue
		seen[ri[i]] = 1
		tmp = "not run at " size_name(big)
		for (j = 1; j <= n; j++)
			if (ri[j] == ri[i] && rn[j] == big)
				tmp = rst[j] " at " size_name(big) \
				      (rd[j] == "" ? "" : " (" rd[j] ")")
		note = note (note ? "; " : "") ri[i] ": " tmp
	}
	print note
}

END {
	if (M ~ /^cross/)
		cross_print()
	if (M ~ /^pareto/)
		pareto_print()
}
