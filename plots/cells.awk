# cells.awk - read a run's cells.csv for the charts; columns are found by their header name.
# A series is impl, plus "/ALLOCATOR" when not glibc, plus "/kK" for K > 1 carriers.
# Modes (-v M=...), S a series, Y a column:
#   keys        the series that have at least one measured row, space-separated
#   line        "n_routes Y pointtype" for the measured rows of S (open circle: sampled lookups)
#   fail        "n_routes last_Y label" for the first oom/timeout/crash of each series, drawn
#               where its line stopped (series with no measured row before it are left out)
#   nfail       how many such failures there are
#   parse       "route_bytes_parsed parse_mb_s" for every row that parsed
#   cross_*     the crossover chart, at N* = the largest size where linear was measured with one
#               carrier (else the largest one-carrier size): cross_n N*; cross_keys, cross_b,
#               cross_l the series at N* and their build_s and lookup_ns; cross_pts "q T label
#               series" where a structure's build + q lookups falls below linear's (same carriers
#               and allocator)
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
function bad(   s) { s = $c["status"]; return s == "oom" || s == "timeout" || s == "crash" }

M == "keys" && good() && !(key() in seen) { seen[key()] = 1; printf "%s ", key() }
M == "line" && good() && key() == S {
	print $c["n_routes"], $c[Y], ($c["n_queries"] + 0 < $c["queries_total"] + 0 ? 6 : 7)
}
(M == "fail" || M == "nfail") && good() { last[key()] = $c[Y] }
(M == "fail" || M == "nfail") && bad() && !(key() in done) && (key() in last) {
	done[key()] = 1
	nfail++
	if (M == "fail")
		printf "%s %s \"%s: %s\"\n", $c["n_routes"], last[key()], key(), $c["status"]
}
M == "parse" && $c["parse_mb_s"] != "" { print $c["route_bytes_parsed"], $c["parse_mb_s"] }
M ~ /^cross/ && good() {
	n++
	rk[n] = key(); ri[n] = $c["impl"]; rn[n] = $c["n_routes"] + 0
	rc[n] = $c["n_carriers"] + 0; rb[n] = $c["build_s"] + 0; rl[n] = $c["lookup_ns"] + 0
	ra[n] = $c["allocator"]
}

END {
	if (M == "nfail")
		print nfail + 0
	if (M !~ /^cross/)
		exit
	for (i = 1; i <= n; i++)
		if (ri[i] == "linear" && rc[i] == 1 && rn[i] > star)
			star = rn[i]
	for (i = 1; i <= n && !star; i++)
		if (rc[i] == 1 && rn[i] > any)
			any = rn[i]
	if (!star)
		star = any
	if (M == "cross_n")
		print star
	for (i = 1; i <= n; i++) {
		if (rn[i] != star)
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
			if (rn[j] == star && ri[j] == "linear" && rc[j] == rc[i] && ra[j] == ra[i] &&
			    rl[j] > rl[i] && rb[i] > rb[j]) {
				q = (rb[i] - rb[j]) / ((rl[j] - rl[i]) * 1e-9)
				printf "%.6f %.9f \"q=%.0f\" %s\n", q, rb[j] + q * rl[j] * 1e-9,
				       q, rk[i]
			}
	}
}
