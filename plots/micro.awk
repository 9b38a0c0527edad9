# micro.awk - read a routebench-micro micro-<family>.dat for plots/micro.gp: two blocks per
# implementation (its measured medians "n ns cv", then its fitted curve "n ns"), each headed by
# a quoted title. Modes (-v M=...):
#   blocks   "impl:index:nmin:nmax ..." for every implementation with a median: the gnuplot
#            index of its medians block (its fit is the next) and the sizes it was measured at
#   range    "ymin ymax" over the medians (a poor fit may leave the panel: it is clipped)
/^"/ {
	b++
	t = $0
	gsub(/"/, "", t)
	n = split(t, w, " ")
	fit = (n >= 2 && w[2] == "fit")
	if (!fit)
		impl = w[1]
	next
}
/^[0-9]/ && !fit && $2 != "NaN" {
	if (!(impl in nmin) || $1 + 0 < nmin[impl]) nmin[impl] = $1 + 0
	if ($1 + 0 > nmax[impl]) nmax[impl] = $1 + 0
	if (!(impl in idx)) { idx[impl] = b - 1; order[++ni] = impl }
	put($2)
}
function put(v) { if (!ny++ || v + 0 < y0) y0 = v + 0; if (v + 0 > y1) y1 = v + 0 }
END {
	if (M == "blocks")
		for (i = 1; i <= ni; i++)
			printf "%s:%d:%d:%d ", order[i], idx[order[i]], nmin[order[i]],
			       nmax[order[i]]
	if (M == "range" && ny)
		printf "%.12f %.12f\n", y0, y1
}
