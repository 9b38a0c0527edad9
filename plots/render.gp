# render.gp - draw the plot command in PLOT as dir/<chart>.png (pngcairo) and dir/<chart>.svg,
# PX_W wide (common.gp) and PX_H high (720 unless set), in the charts' one font.
if (!exists("PX_H")) { PX_H = 720 }
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size PX_W, PX_H font FONT
	} else {
		set terminal svg size PX_W, PX_H dynamic font FONT
	}
	set output dir."/".chart.".".fmt
	@PLOT
	unset output
}
print sprintf("charts: %s/%s.png, .svg", dir, chart)
