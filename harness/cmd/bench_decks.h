/*
 * bench_decks.h - `bench --routes FILE ... --numbers FILE`: the ladder on the user's own files
 * instead of generated ones. Each --sizes n is a seeded sample of n lines of every carrier
 * file (data/deck.h), `all` the whole file; the numbers file is the query set.
 */
#ifndef ROUTEBENCH_BENCH_DECKS_H
#define ROUTEBENCH_BENCH_DECKS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "deck.h"
#include "measure.h"
#include "results.h"

#define BENCH_DECK_ALL UINT64_MAX /* --sizes all: sorts after every count */

struct bench_decks {
	const char *routes[BENCH_MAX_CARRIERS]; /* --routes, one per carrier */
	size_t n;
	const char *numbers;           /* --numbers */
	int skip_invalid;              /* --skip-invalid */
	int sizes_given, queries_given;
	char gen_only[64];             /* the first generator-only option given ("--shape") */
	struct ds_deck_scan scan[BENCH_MAX_CARRIERS + 1]; /* the numbers' last */
	char paths[BENCH_MAX_CARRIERS + 1][4096];         /* what the cells of a size read */
};

/* --routes FILE (numbers 0) or --numbers FILE (numbers 1). 0, or CLI_USAGE. */
int bench_decks_file(const struct cli_parser *p, int numbers, struct bench_decks *d);
/* --sizes: counts from 1 to DS_MAX_COUNT and the word all (BENCH_DECK_ALL), in the order
 * given, into v[cap]. 0 with *n set, or CLI_USAGE. */
int bench_decks_sizes(const struct cli_parser *p, struct bench_decks *d, uint64_t *v, size_t cap,
		      size_t *n);

/*
 * After the options: without --routes, refuse what needs them (--numbers, --skip-invalid,
 * all). With them, refuse generator-only options, check every file line by line (a bad line
 * printed as `price` prints it, FILE:LINE), then the sizes and --queries against the files'
 * counts; sizes default to all, the carrier counts become the number of files, and *queries
 * (when not given) the numbers in the file. Prints the one-line warning of --skip-invalid.
 * 0, 1 (bad input) or CLI_USAGE (2), before anything is created.
 */
int bench_decks_check(struct bench_decks *d, uint64_t *sizes, size_t *n_sizes, uint64_t *ks,
		      size_t *n_ks, uint64_t *queries);
/* `bench --scenario` with --routes or --numbers: CLI_USAGE after the message, else 0. */
int bench_decks_scenario_check(int argc, char **argv);

/* Record the user's files in meta.json (source "user"). */
void bench_decks_note(const struct bench_decks *d, struct bench_meta *m);

/*
 * The files of one size (BENCH_DECK_ALL: the whole files): each carrier's sample written into
 * DIR/decks (atomically) unless it is the user's file itself, recorded in *m, and set in *a;
 * *n_routes the routes per carrier (their mean for all). 0, or -1 after printing why (why[cap]
 * says it too).
 */
int bench_decks_datasets(struct bench_decks *d, const char *dir, uint64_t size, uint64_t seed,
			 struct bench_meta *m, struct bench_cell_args *a, uint64_t *n_routes,
			 char *why, size_t cap);

#endif
