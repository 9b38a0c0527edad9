/*
 * bench_help.h - the text of `routebench bench --help` (bench_help.c), kept apart from the
 * command so the options, the ladder and the run stay under one screen each.
 */
#ifndef ROUTEBENCH_BENCH_HELP_H
#define ROUTEBENCH_BENCH_HELP_H

/* bench's defaults, which the help text states */
#define DEFAULT_SIZES 10, 100, 1000, 10000, 100000, 1000000
#define DEFAULT_SIZES_HELP "10,100,1K,10K,100K,1M"
#define DEFAULT_QUERIES 10000
#define DEFAULT_SEED 1
#define DEFAULT_HIT_RATIO 0.5 /* as `routebench gen numbers` */

extern const char bench_help[];

#endif
