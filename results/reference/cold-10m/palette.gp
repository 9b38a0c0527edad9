# palette.gp - written by routebench report from the registry (harness/report/palette.c): each
# implementation's colour and panel group, in panel order. plots/common.gp reads it.
PAL_NAMES = "linear sorted hash trie maptrie lazyrawtrie lazytrie arenatrie compacttrie dirtable louds judy marisa darts sqlite"
PAL_COLOURS = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #bcbd22 #1f3d99 #1b7837 #b03060 #e6a000 #6a3d9a #00a087"
PAL_GROUPS = "1 1 1 2 2 2 2 2 2 2 2 3 3 3 3"
PAL_NGROUPS = 3
PAL_TITLE_1 = "the course's baselines"
PAL_TITLE_2 = "the optimisation ladder"
PAL_TITLE_3 = "the peers"
PAL_STREAM = "#000000"
PAL_OTHER = "#777777"
