/*
 * deck.h - the user's own route and number files ("decks") as benchmark datasets: checked line
 * by line with the loaders of load.h, and cut into seeded samples that keep the file's order.
 *
 * Both passes stream the file through load.h's bounded buffer and keep O(1) state, so a deck
 * of any size costs the driver no memory. Lesson: a sample of real data is only comparable
 * across runs when it is a pure function of the file and a seed.
 */
#ifndef ROUTEBENCH_DECK_H
#define ROUTEBENCH_DECK_H

#include <stdint.h>

#include "load.h"

#define DS_DECK_SKIP_AT 5 /* the line numbers of the first this many skipped lines are kept */

enum ds_deck_kind { DS_DECK_ROUTES, DS_DECK_NUMBERS };

/* What a deck file holds, as ds_deck_scan found it. */
struct ds_deck_scan {
	uint64_t lines;   /* every line, blank and invalid ones included */
	uint64_t records; /* valid routes (or numbers): what a sample draws from */
	uint64_t skipped; /* invalid lines, under skip_invalid */
	uint64_t skip_at[DS_DECK_SKIP_AT]; /* line numbers of the first skipped[...] of them */
	uint64_t bytes;   /* the size read (a byte order mark included) */
};

/*
 * Read the route (or number) file at path ("-" is refused: a deck is read twice) and check
 * every line as ds_load_routes (ds_load_numbers) would, blank lines ignored. Without
 * skip_invalid the first bad line fails it: -EINVAL with *err filled exactly as the loader
 * fills it (path:line: what: "text"); with it, bad lines are counted in out. 0 with *out set,
 * or -errno with *err filled.
 */
int ds_deck_scan(const char *path, enum ds_deck_kind kind, int skip_invalid,
		 struct ds_deck_scan *out, struct ds_error *err);

/*
 * Write atomically to out_path n of the scan->records valid lines of path, chosen by seeded
 * selection sampling (Knuth's Algorithm S: every n-subset equally likely) and kept in the
 * file's order, as they were written (duplicates stay duplicates, a later line stays later).
 * The same path, n, seed and stream give the same lines; n == records copies every valid line
 * (a file without its invalid lines). 0, or -errno with *err filled (-EIO: the file no longer
 * holds scan->records valid lines, it changed since the scan; -EINVAL: n > records).
 */
int ds_deck_sample(const char *path, enum ds_deck_kind kind, const struct ds_deck_scan *scan,
		   uint64_t n, uint64_t seed, uint64_t stream, const char *out_path,
		   struct ds_error *err);

#endif
