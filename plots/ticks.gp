# ticks.gp - a log axis fitted to the data: set AXIS ("x" or "y"), LO and HI (the data's
# extremes, > 0) and KIND (count, s, ns or bytes: plots/common.gp's fmt_kind), then load this
# file. The range is the data's, padded by a quarter on each side; the tics are every decade
# when the data spans more than five of them, 1-3-10 from two and a half to five, 1-2-5 down
# to about one, finer below, each labelled in the axis's one format (1K, 10K, 1M; 20 ns,
# 1 µs; 10 MB, 1 GB).
T_LO = LO / 1.25
T_HI = HI * 1.25
if (!(T_HI > T_LO)) { T_LO = LO / 2.0; T_HI = LO * 2.0 }
T_SPAN = log10(T_HI / T_LO)
T_MANT = T_SPAN > 5 ? "1" : T_SPAN > 2.5 ? "1 3" : T_SPAN > 0.8 ? "1 2 5" : \
	"1 1.5 2 3 4 5 6 7 8"
T_E0 = floor(log10(T_LO))
T_E1 = ceil(log10(T_HI))
T_CMD = ""
do for [T_E = T_E0:T_E1] {
	do for [T_M in T_MANT] {
		T_V = real(T_M) * 10.0 ** T_E
		if (T_V >= T_LO * 0.999 && T_V <= T_HI * 1.001 && \
		    (T_SPAN <= 9 || T_E % 2 == 0)) {
			T_CMD = T_CMD . (T_CMD eq "" ? "" : ", ") . \
				sprintf("\"%s\" %.10g", fmt_kind(KIND, T_V), T_V)
		}
	}
}
if (T_CMD eq "") { T_CMD = sprintf("\"%s\" %.10g", fmt_kind(KIND, LO), LO) }
eval sprintf("set %srange [%.10g:%.10g]", AXIS, T_LO, T_HI)
eval sprintf("set %stics (%s)", AXIS, T_CMD)
eval sprintf("set m%stics default", AXIS)
