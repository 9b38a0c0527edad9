/*
 * bench_decks.c - `bench --routes FILE ... --numbers FILE [--skip-invalid]`: the options, the
 * checks before anything is created (every line, every size against every file), and the
 * files each size's cells read: a seeded sample of every carrier file in the run folder
 * (RUN/decks), or for `all` the user's file itself. Cost: two streamed reads per file and
 * size, O(1) memory in the driver. Lesson: real data enters a benchmark only as reproducibly
 * as generated data does: path, bytes, lines and sha256 in meta.json, samples by seed.
 */
#include "bench_decks.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "outfile.h"

int bench_decks_file(const struct cli_parser *p, int numbers, struct bench_decks *d)
{
	if (numbers) {
		if (d->numbers)
			return cli_bad(p, "given twice (one numbers file is the query set)");
		d->numbers = p->arg;
		return 0;
	}
	if (d->n == BENCH_MAX_CARRIERS)
		return cli_bad(p, "at most %d carrier files", BENCH_MAX_CARRIERS);
	d->routes[d->n++] = p->arg;
	return 0;
}

int bench_decks_sizes(const struct cli_parser *p, struct bench_decks *d, uint64_t *v, size_t cap,
		      size_t *n)
{
	const char *items[64];
	char buf[1024];
	size_t k;
	int rc = cli_list(p, buf, sizeof(buf), items, cap < 64 ? cap : 64, &k);

	for (size_t i = 0; rc == 0 && i < k; i++) {
		struct cli_parser item = *p;

		item.arg = items[i];
		if (strcmp(items[i], "all") == 0)
			v[i] = BENCH_DECK_ALL;
		else
			rc = cli_count(&item, 1, DS_MAX_COUNT, &v[i]);
	}
	if (rc == 0) {
		*n = k;
		d->sizes_given = 1;
	}
	return rc;
}

/* What a file holds, as a message says it: "120 lines" or "118 routes in 120 lines". */
static const char *holds(const struct ds_deck_scan *s, const char *noun, char *buf, size_t cap)
{
	if (s->records == s->lines)
		snprintf(buf, cap, "%llu lines", (unsigned long long)s->lines);
	else
		snprintf(buf, cap, "%llu %s in %llu lines", (unsigned long long)s->records, noun,
			 (unsigned long long)s->lines);
	return buf;
}

/* Without --routes: what needs them. 0 or CLI_USAGE. */
static int check_generated(const struct bench_decks *d, const uint64_t *sizes, size_t n_sizes)
{
	if (d->numbers)
		return cli_usage_error("bench", "--numbers FILE needs --routes FILE (one per "
						"carrier)");
	if (d->skip_invalid)
		return cli_usage_error("bench", "--skip-invalid applies to --routes and --numbers "
						"files only");
	if (n_sizes && sizes[n_sizes - 1] == BENCH_DECK_ALL)
		return cli_usage_error("bench", "--sizes all needs --routes FILE (the whole file)");
	return 0;
}

/* Check every file line by line into d->scan. 0, or 1 after printing the first bad line. */
static int scan_files(struct bench_decks *d)
{
	for (size_t i = 0; i <= d->n; i++) {
		const char *path = i < d->n ? d->routes[i] : d->numbers;
		struct ds_error err;

		if (ds_deck_scan(path, i < d->n ? DS_DECK_ROUTES : DS_DECK_NUMBERS, d->skip_invalid,
				 &d->scan[i], &err) != 0) {
			ds_error_print(&err, stderr);
			return 1;
		}
		if (d->scan[i].records == 0) {
			fprintf(stderr, "%s: no %s in the file\n", path, i < d->n ? "routes"
										 : "numbers");
			return 1;
		}
	}
	return 0;
}

/* Every size, and --queries, within every file's records. 0 or CLI_USAGE. */
static int check_counts(const struct bench_decks *d, const uint64_t *sizes, size_t n_sizes,
			uint64_t queries)
{
	char buf[96];

	for (size_t s = 0; s < n_sizes; s++)
		for (size_t i = 0; sizes[s] != BENCH_DECK_ALL && i < d->n; i++)
			if (sizes[s] > d->scan[i].records)
				return cli_usage_error(
					"bench", "--sizes: %llu is more than %s holds (%s)",
					(unsigned long long)sizes[s], d->routes[i],
					holds(&d->scan[i], "routes", buf, sizeof(buf)));
	if (d->queries_given && queries > d->scan[d->n].records)
		return cli_usage_error("bench", "--queries: %llu is more than %s holds (%s)",
				       (unsigned long long)queries, d->numbers,
				       holds(&d->scan[d->n], "numbers", buf, sizeof(buf)));
	return 0;
}

/* The one-line warning of --skip-invalid: how many lines, in which files. */
static void warn_skipped(const struct bench_decks *d)
{
	char what[1024] = "";
	uint64_t total = 0;
	size_t n = 0;

	for (size_t i = 0; i <= d->n; i++) {
		const struct ds_deck_scan *s = &d->scan[i];

		if (!s->skipped)
			continue;
		total += s->skipped;
		if (n < sizeof(what))
			n += (size_t)snprintf(what + n, sizeof(what) - n, "%s%s: %llu",
					      n ? ", " : "", i < d->n ? d->routes[i] : d->numbers,
					      (unsigned long long)s->skipped);
	}
	if (total)
		fprintf(stderr, "routebench bench: warning: --skip-invalid skipped %llu invalid "
				"line%s (%s); meta.json lists them\n", (unsigned long long)total,
			total == 1 ? "" : "s", what);
}

int bench_decks_check(struct bench_decks *d, uint64_t *sizes, size_t *n_sizes, uint64_t *ks,
		      size_t *n_ks, uint64_t *queries)
{
	int rc;

	if (!d->n)
		return check_generated(d, sizes, *n_sizes);
	if (d->gen_only[0])
		return cli_usage_error("bench", "%s is for generated datasets; with --routes the "
						"carriers are the files given", d->gen_only);
	if (!d->numbers)
		return cli_usage_error("bench", "--routes needs --numbers FILE (the query set)");
	for (size_t i = 0; i <= d->n; i++)
		if (strcmp(i < d->n ? d->routes[i] : d->numbers, "-") == 0)
			return cli_usage_error("bench", "--%s: a file, not '-' (bench reads it "
							"more than once)", i < d->n ? "routes"
										: "numbers");
	if (!d->sizes_given) {
		sizes[0] = BENCH_DECK_ALL;
		*n_sizes = 1;
	}
	ks[0] = d->n;
	*n_ks = 1;
	rc = scan_files(d);
	if (rc == 0)
		rc = check_counts(d, sizes, *n_sizes, *queries);
	if (rc == 0 && !d->queries_given)
		*queries = d->scan[d->n].records;
	if (rc == 0)
		warn_skipped(d);
	return rc;
}

int bench_decks_scenario_check(int argc, char **argv)
{
	static const char *const names[] = { "--routes", "--numbers", "--skip-invalid" };

	for (int i = 1; i < argc; i++)
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			size_t len = strlen(names[k]);

			if (strncmp(argv[i], names[k], len) == 0 &&
			    (argv[i][len] == '\0' || argv[i][len] == '='))
				return cli_usage_error("bench", "%s works with the ladder only; "
								"--scenario generates its routes",
						       names[k]);
		}
	return 0;
}

void bench_decks_note(const struct bench_decks *d, struct bench_meta *m)
{
	snprintf(m->source, sizeof(m->source), "user");
	for (size_t i = 0; i <= d->n; i++) {
		const char *path = i < d->n ? d->routes[i] : d->numbers;
		char real[PATH_MAX];

		bench_meta_add_source(m, i < d->n ? "routes" : "numbers",
				      (unsigned)(i < d->n ? i : 0), realpath(path, real) ? real : path,
				      &d->scan[i]);
	}
}

/* The file's name without its folder and ".txt". */
static void base_name(const char *path, char *buf, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".txt") == 0)
		n -= 4;
	snprintf(buf, cap, "%.*s", (int)(n < 200 ? n : 200), b);
}

/*
 * File i's n records into d->paths[i]: the user's file when that is all of it, else a sample
 * in DIR/decks (routes-cI-nN-sSEED-BASE.txt; -all- for a whole file without its invalid
 * lines). 0, or -1 after printing why.
 */
static int deck_file(struct bench_decks *d, size_t i, const char *dir, uint64_t n, uint64_t seed,
		     struct bench_meta *m)
{
	const struct ds_deck_scan *s = &d->scan[i];
	const char *src = i < d->n ? d->routes[i] : d->numbers, *kind = i < d->n ? "routes"
										 : "numbers";
	char base[256], sub[4200], size[48], real[PATH_MAX];
	struct ds_error err;
	int rc;

	if (n == s->records && s->skipped == 0) {
		snprintf(d->paths[i], sizeof(d->paths[i]), "%s", src);
		return 0;
	}
	base_name(src, base, sizeof(base));
	if (n == s->records)
		snprintf(size, sizeof(size), "all");
	else
		snprintf(size, sizeof(size), "n%llu-s%llu", (unsigned long long)n,
			 (unsigned long long)seed);
	snprintf(sub, sizeof(sub), "%s/decks", dir);
	rc = rb_mkdir_p(sub);
	if (rc == 0 && snprintf(d->paths[i], sizeof(d->paths[i]), "%s/%s-c%zu-%s-%s.txt", sub,
				kind, i < d->n ? i : 0, size, base) >= (int)sizeof(d->paths[i]))
		rc = -ENAMETOOLONG;
	if (rc != 0) {
		fprintf(stderr, "routebench bench: %s: %s\n", sub, strerror(-rc));
		return -1;
	}
	if (ds_deck_sample(src, i < d->n ? DS_DECK_ROUTES : DS_DECK_NUMBERS, s, n, seed, i,
			   d->paths[i], &err) != 0) {
		ds_error_print(&err, stderr);
		return -1;
	}
	bench_meta_add_sample(m, kind, n, seed, (unsigned)(i < d->n ? i : 0), d->paths[i],
			      realpath(src, real) ? real : src);
	return 0;
}

int bench_decks_datasets(struct bench_decks *d, const char *dir, uint64_t size, uint64_t seed,
			 struct bench_meta *m, struct bench_cell_args *a, uint64_t *n_routes,
			 char *why, size_t cap)
{
	uint64_t total = 0;

	for (size_t i = 0; i <= d->n; i++) {
		uint64_t n = i == d->n || size == BENCH_DECK_ALL ? d->scan[i].records : size;

		if (!(i == d->n && d->paths[i][0]) && deck_file(d, i, dir, n, seed, m) != 0) {
			snprintf(why, cap, "cannot write the sample of %s",
				 i < d->n ? d->routes[i] : d->numbers);
			return -1;
		}
		if (i < d->n)
			a->routes[i] = d->paths[i];
		total += i < d->n ? n : 0;
	}
	a->numbers = d->paths[d->n];
	a->n_carriers = d->n;
	*n_routes = total / d->n;
	bench_meta_write(dir, m);
	return 0;
}
