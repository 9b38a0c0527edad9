# api.awk - read a scenario run's CSV files (api.csv, update_rss.csv, update.csv) for the
# charts; columns are found by their header name, so a column added later breaks nothing.
# Modes (-v M=...):
#   keys     the distinct values of column K (or "K/K2" when K2 is given), in order of first
#            appearance, space-separated (only rows where column Y is not empty, when Y is given,
#            and where F equals V, when F is given)
#   xy       "X Y" (and Z, when Z is given) for every row where column F equals V (and G
#            equals W, when G is given) and X and Y are numbers
#   max      the largest Y over the rows where F equals V (and G equals W), or nothing
#   min      the smallest positive Y over those rows, or nothing
BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
function want() {
	if (F != "" && $c[F] != V) return 0
	if (G != "" && $c[G] != W) return 0
	return 1
}
function num(s) { return s ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ }
M == "keys" {
	if ((Y != "" && $c[Y] == "") || !want()) next
	k = K2 == "" ? $c[K] : $c[K] "/" $c[K2]
	if (!(k in seen)) { seen[k] = 1; out = out (out == "" ? "" : " ") k }
	next
}
M == "xy" && want() && num($c[X]) && num($c[Y]) {
	if (Z == "") print $c[X], $c[Y]
	else print $c[X], $c[Y], $c[Z]
	next
}
M == "max" && want() && num($c[Y]) { if (!has || $c[Y] + 0 > best) best = $c[Y] + 0; has = 1 }
M == "min" && want() && num($c[Y]) && $c[Y] + 0 > 0 {
	if (!has || $c[Y] + 0 < best) best = $c[Y] + 0
	has = 1
}
END {
	if (M == "keys") print out
	if ((M == "max" || M == "min") && has) print best
}
