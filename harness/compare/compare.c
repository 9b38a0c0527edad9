/*
 * compare.c - reading two runs and matching their cells (compare.h): by implementation,
 * allocator, routes, carriers and strategy, each row used once, so a rerun cell pairs in order.
 * Cost: O(n_a * n_b) matching, a U test per pair. Lesson: a cell in one run only is news (a
 * new structure, a size that died), never a row to drop quietly.
 */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int same_cell(const struct bench_cell *x, const struct bench_cell *y)
{
	return strcmp(x->impl, y->impl) == 0 && strcmp(x->allocator, y->allocator) == 0 &&
	       x->n_routes == y->n_routes && x->n_carriers == y->n_carriers &&
	       strcmp(x->strategy, y->strategy) == 0;
}

/* y / x when both are finite and x > 0, else NaN. */
static double ratio(double x, double y)
{
	return isfinite(x) && isfinite(y) && x > 0 ? y / x : NAN;
}

static int good(const struct bench_cell *c)
{
	return c->status == BENCH_OK || c->status == BENCH_MISMATCH;
}

/* The U test on the two rows' lookup samples, and the verdict it allows. */
static void test_lookup(struct compare_cell *c, const struct compare_opts *o)
{
	double sa[BENCH_SAMPLES_MAX], sb[BENCH_SAMPLES_MAX];
	const char *dir;

	if (bench_samples_parse(c->a->lookup_samples, sa, BENCH_SAMPLES_MAX, &c->na) != 0)
		c->na = 0;
	if (bench_samples_parse(c->b->lookup_samples, sb, BENCH_SAMPLES_MAX, &c->nb) != 0)
		c->nb = 0;
	if (!isfinite(c->lookup)) {
		snprintf(c->verdict, sizeof(c->verdict), "no lookup time");
		return;
	}
	if (c->na == 0 || c->nb == 0) {
		snprintf(c->verdict, sizeof(c->verdict), "no samples (older run?)");
		return;
	}
	c->tested = utest_mann_whitney(sa, c->na, sb, c->nb, &c->ut) == 0;
	if (!c->tested) {
		snprintf(c->verdict, sizeof(c->verdict), "too few reps for a test");
		return;
	}
	c->significant = c->ut.p < o->alpha;
	dir = c->lookup > 1 ? "slower" : c->lookup < 1 ? "faster" : "same";
	c->regressed = c->significant && isfinite(o->threshold_pct) &&
		       (c->lookup - 1) * 100 > o->threshold_pct;
	snprintf(c->verdict, sizeof(c->verdict), "%s%s%s",
		 c->regressed ? "REGRESSION: " : "",
		 c->significant ? dir : "no significant difference",
		 c->na < UTEST_GOOD_REPS || c->nb < UTEST_GOOD_REPS ? " (few reps)" : "");
}

/* Fill a matched pair's ratios and test. */
static void compare_pair(struct compare_cell *c, const struct compare_opts *o)
{
	const struct bench_cell *a = c->a, *b = c->b;

	c->build = ratio(a->build_s, b->build_s);
	c->lookup = ratio(a->lookup_ns, b->lookup_ns);
	c->rss = ratio((double)a->peak_rss_bytes, (double)b->peak_rss_bytes);
	c->bpr = ratio(a->bytes_per_route, b->bytes_per_route);
	if (!good(a) || !good(b)) {
		c->build = c->lookup = c->rss = c->bpr = NAN;
		snprintf(c->verdict, sizeof(c->verdict), "not comparable: A %s / B %s",
			 bench_status_name(a->status), bench_status_name(b->status));
		return;
	}
	test_lookup(c, o);
}

/* Open dir and its meta.json into run; refuse an incomplete run unless allowed. 0/-EINVAL. */
static int open_run(struct report_run *run, const char *dir, const struct compare_opts *o)
{
	if (report_run_open(run, dir, NULL, NULL) != 0)
		return -EINVAL;
	report_read_meta(run);
	if (!o->allow_incomplete && !report_run_complete(run)) {
		fprintf(stderr, "routebench compare: %s/meta.json: the run is incomplete (%s); "
				"--allow-incomplete compares it anyway\n", run->dir,
			run->meta.incomplete_reason[0] ? run->meta.incomplete_reason
						       : "\"complete\": false");
		return -EINVAL;
	}
	return 0;
}

/* Append a cell (a or b NULL for an unmatched one). */
static void add(struct compare_result *r, const struct bench_cell *a, const struct bench_cell *b)
{
	struct compare_cell *c = &r->cells[r->n++];

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	c->build = c->lookup = c->rss = c->bpr = NAN;
}

/* Pair every A row with the first unused B row of the same cell; list the rest. 0/-ENOMEM */
static int match(struct compare_result *r, const struct compare_opts *o)
{
	char *used = calloc(r->b.n + 1, 1);

	r->cells = calloc(r->a.n + r->b.n + 1, sizeof(*r->cells));
	if (!used || !r->cells) {
		free(used);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->a.n; i++)
		for (size_t j = 0; j < r->b.n; j++)
			if (!used[j] && same_cell(&r->a.rows[i], &r->b.rows[j])) {
				used[j] = 1;
				add(r, &r->a.rows[i], &r->b.rows[j]);
				compare_pair(&r->cells[r->n - 1], o);
				r->n_regressed += r->cells[r->n - 1].regressed;
				r->n_few += r->cells[r->n - 1].tested &&
					    (r->cells[r->n - 1].na < UTEST_GOOD_REPS ||
					     r->cells[r->n - 1].nb < UTEST_GOOD_REPS);
				break;
			}
	r->n_matched = r->n;
	for (size_t i = 0; i < r->a.n; i++) {
		int paired = 0;

		for (size_t k = 0; k < r->n_matched && !paired; k++)
			paired = r->cells[k].a == &r->a.rows[i];
		if (!paired)
			add(r, &r->a.rows[i], NULL);
	}
	r->n_only_a = r->n - r->n_matched;
	for (size_t j = 0; j < r->b.n; j++)
		if (!used[j])
			add(r, NULL, &r->b.rows[j]);
	r->n_only_b = r->n - r->n_matched - r->n_only_a;
	free(used);
	return 0;
}

int compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		 struct compare_result *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = open_run(&r->a, dir_a, o);
	if (rc == 0)
		rc = open_run(&r->b, dir_b, o);
	if (rc == 0)
		rc = match(r, o);
	return rc;
}

void compare_free(struct compare_result *r)
{
	report_run_free(&r->a);
	report_run_free(&r->b);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}
