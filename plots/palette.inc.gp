# palette.inc.gp - each implementation's colour and panel group, from dir/palette.gp (written
# by `routebench report`, `report --derived-only` and `report --palette DIR` from the registry:
# harness/report/palette.c), as functions: colour(series) ("#rrggbb"), colour_int(series)
# (for lc rgb variable), group_of(series), group_title(g), in_list(w, list). A series is an
# implementation, maybe with /ALLOCATOR or /kK after it.
if (!exists("dir")) dir = "results/latest"
PAL_FILE = dir."/palette.gp"
if (system(sprintf("test -f '%s' && echo 1 || true", PAL_FILE)) eq "1") {
	load PAL_FILE
} else {
	print sprintf("%s: not found (routebench report --palette %s writes it); every " . \
		      "implementation drawn grey", PAL_FILE, dir)
	PAL_NAMES = ""; PAL_COLOURS = ""; PAL_GROUPS = ""; PAL_NGROUPS = 1
	PAL_TITLE_1 = "all"; PAL_TITLE_2 = ""; PAL_TITLE_3 = ""
	PAL_STREAM = "#000000"; PAL_OTHER = "#777777"
}
pal_impl(k) = strstrt(k, "/") ? k[1:strstrt(k, "/") - 1] : k
pal_pos(k) = strstrt(" ".PAL_NAMES." ", " ".pal_impl(k)." ")
pal_idx(k) = pal_pos(k) ? words(substr(" ".PAL_NAMES." ", 1, pal_pos(k))) + 1 : 0
colour(k) = pal_idx(k) ? word(PAL_COLOURS, pal_idx(k)) : \
	(pal_impl(k) eq "stream" ? PAL_STREAM : PAL_OTHER)
group_of(k) = pal_idx(k) ? int(word(PAL_GROUPS, pal_idx(k))) : 1
group_title(g) = g == 1 ? PAL_TITLE_1 : g == 2 ? PAL_TITLE_2 : g == 3 ? PAL_TITLE_3 : ""
# Is the word w among the space-separated words of list?
in_list(w, list) = strstrt(" ".list." ", " ".w." ") > 0
colour_int(k) = ("0x".colour(k)[2:]) + 0
