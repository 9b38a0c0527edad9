/*
 * micro.h - what the two halves of routebench-micro share (private to it): the benchmark
 * state (sizes, cached tables, families, result rows) that micro.c measures with and
 * micro_out.c turns into micro.csv, micro-fit.csv and the plot data. No other program sees it.
 */
#ifndef ROUTEBENCH_MICRO_H
#define ROUTEBENCH_MICRO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gbench_shim.h"
#include "load.h"
#include "route_table.h"

#define MAX_SIZES 12
#define MAX_IMPLS 64
#define N_MODES 3

/* What a lookup family asks for: numbers drawn with this share of hits. */
struct mode {
	const char *name;
	double hit_ratio;
};

extern const struct mode modes[N_MODES]; /* hit, miss, mixed */
extern const char *const prog;            /* "routebench-micro", for messages */

/* One size of the ladder: its routes and, per mode, its numbers; loaded on first use. */
struct size_data {
	uint64_t n;
	int loaded, failed;
	char why[160];
	char routes_path[4096];
	struct ds_routes routes;
	struct ds_numbers numbers[N_MODES];
	uint64_t check[N_MODES];     /* hash of the first answers, from the first table measured */
	const char *check_impl[N_MODES];
};

/* A table built for lookups, kept while its implementation is being measured. */
struct cached_table {
	uint64_t n;
	struct route_table *t;
	int64_t batch;               /* lookups per keep-running batch */
	int checked[N_MODES];        /* 0 not yet, 1 answers agree, -1 they differ */
};

/* One registered family. */
struct family {
	char name[96];
	const struct route_table_ops *ops;
	int mode;                    /* index into modes[], or -1 for BM_Build */
	/* from the results */
	char big_o[16];
	double coef_ns, rms;
	int have_fit;
};

/* One measured instance (a family at one size), gathered from the reported runs. */
struct row {
	char name[128];
	struct family *fam;
	uint64_t n;
	double median_ns, mean_ns, stddev_ns, cv, real_median_ns;
	int64_t repetitions;
	double hit_ratio, bytes_per_route;
	char error[256];
};

struct micro {
	struct size_data sizes[MAX_SIZES];
	size_t n_sizes;
	const struct route_table_ops *impls[MAX_IMPLS];
	size_t n_impls;
	uint64_t queries, budget;
	double max_build_s, cv_max; /* --max-build-s, --cv-max */
	const char *cache_dir, *out_dir;
	/* the table cache: tables of one implementation */
	const struct route_table_ops *cached_ops;
	struct cached_table cache[MAX_SIZES];
	/* bytes per route seen per implementation and size, for the budget */
	double bpr[MAX_IMPLS][MAX_SIZES];
	struct family fams[MAX_IMPLS * (N_MODES + 1)];
	size_t n_fams;
	struct row *rows;
	size_t n_rows, cap_rows;
	unsigned char warned[MAX_IMPLS][MAX_SIZES]; /* a skip is reported once per table */
	unsigned mismatches, skips, failures;
};

/*
 * The row of the instance called name (created, with every figure NaN, on first use), of
 * family f. NULL when out of memory. (micro_out.c)
 */
struct row *micro_row_named(struct micro *m, const char *name, struct family *f);
/* The result hook: fold each run Google Benchmark reports into its row or family's fit. */
void micro_on_result(const struct gb_result *res, void *ctx);
/* micro.csv, micro-fit.csv and micro-*.dat into m->out_dir. 0, or -errno (printed). */
int micro_write_outputs(struct micro *m);
/* The fitted big-O of every family, one line per implementation, to f. */
void micro_print_fits(struct micro *m, FILE *f);

#endif
