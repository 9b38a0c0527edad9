# series.awk - what every awk reader of plots/ shares (load it first: awk -f series.awk -f X.awk):
# comma-separated fields, columns found by their header name (c[name]), a row's series name
# and sizes as "100K". A series is impl, plus "/ALLOCATOR" when not glibc, plus "/kK" for K > 1
# carriers: the same name on every chart, from cells.csv or from the derived files.
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

function size_name(n) {
	if (n >= 1e6 && n % 1e6 == 0)
		return (n / 1e6) "M"
	if (n >= 1e3 && n % 1e3 == 0)
		return (n / 1e3) "K"
	return n
}
