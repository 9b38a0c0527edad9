# render.gp - draw the plot command in PLOT as dir/<chart>.png (pngcairo) and dir/<chart>.svg.
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,720 font "sans,10"
	} else {
		set terminal svg size 1200,720 dynamic font "sans,10"
	}
	set output dir."/".chart.".".fmt
	@PLOT
	unset output
}
print sprintf("charts: %s/%s.png, .svg", dir, chart)
