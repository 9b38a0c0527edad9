/*
 * bench_batch.c - a tiny timing harness: ns per lookup, one at a time against rt_lookup_batch,
 * for each implementation asked, over every number of a file looked up once per pass.
 *
 * With many distinct numbers and a table larger than the last-level cache, each pass is cold:
 * single lookups wait on one miss at a time, a batch overlaps them. Timings are printed, never
 * asserted (ctest only runs it on a small file, to check its answers agree). Run it niced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "load.h"
#include "registry.h"

#define BB_MAX_PASSES 51

/* CPU time of this thread: on a shared machine, time spent descheduled is not the lookups'. */
static double bb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Anonymous memory backed by transparent huge pages now, in kB (-1 if unknown). */
static long bb_anon_huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "AnonHugePages:", 14) == 0)
			kb = atol(line + 14);
	if (f)
		fclose(f);
	return kb;
}

static int bb_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double bb_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bb_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct bb_run {
	const char **digits;
	unsigned *len;
	uint64_t *single, *batch;
	size_t n, block;
	unsigned passes;
};

/* Time `passes` single and batched passes, alternating; 0, or 1 if the answers differ. */
static int bb_measure(const struct route_table *t, struct bb_run *r, double *ns_single,
		      double *ns_batch)
{
	double s[BB_MAX_PASSES], b[BB_MAX_PASSES], t0;

	for (unsigned p = 0; p < r->passes; p++) {
		t0 = bb_now();
		for (size_t i = 0; i < r->n; i++)
			r->single[i] = rt_lookup(t, r->digits[i], r->len[i]);
		s[p] = (bb_now() - t0) * 1e9 / (double)r->n;
		t0 = bb_now();
		for (size_t i = 0; i < r->n; i += r->block) {
			size_t m = r->n - i < r->block ? r->n - i : r->block;

			rt_lookup_batch(t, m, r->digits + i, r->len + i, r->batch + i);
		}
		b[p] = (bb_now() - t0) * 1e9 / (double)r->n;
	}
	*ns_single = bb_median(s, r->passes);
	*ns_batch = bb_median(b, r->passes);
	return memcmp(r->single, r->batch, r->n * sizeof(*r->single)) != 0;
}

static int bb_usage(void)
{
	fprintf(stderr, "usage: bench_batch --routes FILE --numbers FILE [--impls A,B,...]\n"
			"                   [--passes N] [--block N] [--verbose]\n"
			"(default: every implementation with a lookup_batch op; 5 passes; 256;\n"
			" --verbose prints each table's components)\n");
	return 2;
}

/* Build ops' table from routes, time both kinds of pass, print one row. 0, or 1 on failure. */
static int bb_impl(const char *name, const struct ds_routes *routes, struct bb_run *r,
		   int verbose)
{
	const struct route_table_ops *ops = rt_find(name);
	struct route_table *t;
	struct rt_stats st;
	double t0 = bb_now(), build, ns1, nsb;
	int differ;

	if (!ops || pricing_build_table(ops, routes, &t) != 0) {
		fprintf(stderr, "bench_batch: cannot build '%s'\n", name);
		return 1;
	}
	build = bb_now() - t0;
	differ = bb_measure(t, r, &ns1, &nsb);
	rt_stats(t, &st);
	printf("%-12s %9.3f %9.1f %10.1f %10.1f %7.2fx %s%s\n", name, build,
	       (double)st.total_bytes / 1e6, ns1, nsb, ns1 / nsb, differ ? "DIFFER" : "equal",
	       ops->lookup_batch ? "" : " (no batch op)");
	if (verbose)
		printf("    (transparent huge pages: %ld kB)\n", bb_anon_huge_kb());
	for (size_t c = 0; c < st.n_components && verbose; c++)
		printf("    %-24s %12zu %10.1f MB\n", st.comp[c].name, st.comp[c].count,
		       (double)st.comp[c].bytes / 1e6);
	fflush(stdout);
	rt_destroy(t);
	return differ;
}

int main(int argc, char **argv)
{
	const char *routes_path = NULL, *numbers_path = NULL;
	char impls[512] = "";
	struct ds_routes routes = { 0 };
	struct ds_numbers numbers = { 0 };
	struct bb_run r = { .block = 256, .passes = 5 };
	struct ds_error err;
	int rc = 0, verbose = 0;

	if (argc > 1 && strcmp(argv[argc - 1], "--verbose") == 0) {
		verbose = 1;
		argc--;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--routes") == 0)
			routes_path = argv[i + 1];
		else if (strcmp(argv[i], "--numbers") == 0)
			numbers_path = argv[i + 1];
		else if (strcmp(argv[i], "--impls") == 0)
			snprintf(impls, sizeof(impls), "%s", argv[i + 1]);
		else if (strcmp(argv[i], "--passes") == 0)
			r.passes = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--block") == 0)
			r.block = (size_t)atol(argv[i + 1]);
		else
			return bb_usage();
	}
	if (argc % 2 == 0 || !routes_path || !numbers_path || r.passes < 1 ||
	    r.passes > BB_MAX_PASSES || r.block < 1)
		return bb_usage();
	if (ds_load_routes(routes_path, 0, &routes, &err) != 0 ||
	    ds_load_numbers(numbers_path, 0, &numbers, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	r.n = numbers.n;
	r.digits = malloc((r.n + 1) * sizeof(*r.digits));
	r.len = malloc((r.n + 1) * sizeof(*r.len));
	r.single = malloc((r.n + 1) * sizeof(*r.single));
	r.batch = malloc((r.n + 1) * sizeof(*r.batch));
	if (!r.digits || !r.len || !r.single || !r.batch)
		return 1;
	for (size_t i = 0; i < r.n; i++) {
		r.digits[i] = numbers.v[i].digits;
		r.len[i] = numbers.v[i].len;
	}
	if (!impls[0]) /* by default, every implementation with a batch op of its own */
		for (size_t i = 0, at = 0; i < rt_registry_count; i++)
			if (rt_registry[i]->lookup_batch && at + 40 < sizeof(impls))
				at += (size_t)snprintf(impls + at, sizeof(impls) - at, "%s%s",
						       at ? "," : "", rt_registry[i]->name);
	printf("%zu routes, %zu numbers, block %zu, median of %u passes\n", routes.n, r.n,
	       r.block, r.passes);
	printf("%-12s %9s %9s %10s %10s %8s %s\n", "impl", "build_s", "table_MB", "single_ns",
	       "batch_ns", "speedup", "answers");
	for (char *save = NULL, *name = strtok_r(impls, ",", &save); name;
	     name = strtok_r(NULL, ",", &save))
		rc |= bb_impl(name, &routes, &r, verbose);
	free(r.digits);
	free(r.len);
	free(r.single);
	free(r.batch);
	ds_routes_free(&routes);
	ds_numbers_free(&numbers);
	return rc;
}
