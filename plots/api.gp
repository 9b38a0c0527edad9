# api.gp - the charts of a scenario run (routebench bench --scenario api|update), next to its
# CSV files: gnuplot -e "dir='results/latest-api'" plots/api.gp. Each chart is drawn only when
# its CSV is there: api_latency from api.csv, update_rss from update_rss.csv.
if (!exists("dir")) dir = "results/latest-api"
plots = system(sprintf("dirname '%s'", ARG0))
if (system(sprintf("test -s '%s/api.csv' && echo 1 || echo 0", dir)) eq "1") {
	load plots."/api_latency.gp"
}
if (system(sprintf("test -s '%s/update_rss.csv' && echo 1 || echo 0", dir)) eq "1") {
	load plots."/api_update_rss.gp"
}
